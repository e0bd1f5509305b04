#include "core/sched_policy.h"

int sched_pick_round_robin(uint32_t runnable, int current)
{
	/* The slots after current; for current 31 (or -1) the shift leaves all or none. */
	uint32_t after = current < 0 ? runnable : runnable & ~((2U << current) - 1);

	if (after)
		return __builtin_ctz(after);
	return runnable ? __builtin_ctz(runnable) : -1;
}
