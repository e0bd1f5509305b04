#include "core/sched_policy.h"

int sched_pick_round_robin(const bool *runnable, unsigned int count, int current)
{
	unsigned int start = current < 0 ? 0 : (unsigned int)current + 1;

	for (unsigned int n = 0; n < count; n++) {
		unsigned int i = (start + n) % count;
		if (runnable[i])
			return (int)i;
	}
	return -1;
}
