/* Unit tests of the scheduler's round-robin choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/sched_policy.h"

static void test_rotates_after_current(void **state)
{
	uint32_t runnable = 0xbU; /* slots 0, 1 and 3 of 4 */

	(void)state;
	assert_int_equal(sched_pick_round_robin(runnable, 0), 1);
	assert_int_equal(sched_pick_round_robin(runnable, 1), 3);
	assert_int_equal(sched_pick_round_robin(runnable, 3), 0); /* wraps */
}

static void test_current_alone_keeps_running(void **state)
{
	uint32_t runnable = 0x4U; /* slot 2 of 4 */

	(void)state;
	assert_int_equal(sched_pick_round_robin(runnable, 2), 2);
}

static void test_none_runnable(void **state)
{
	uint32_t runnable = 0x0U; /* no slot of 3 */

	(void)state;
	assert_int_equal(sched_pick_round_robin(runnable, 1), -1);
	assert_int_equal(sched_pick_round_robin(runnable, -1), -1);
}

static void test_first_choice_starts_at_zero(void **state)
{
	uint32_t runnable = 0x6U; /* slots 1 and 2 of 3 */

	(void)state;
	assert_int_equal(sched_pick_round_robin(runnable, -1), 1);
}

/* Slot 31 is the last: after it the search wraps to slot 0; -1 starts at 0. */
static void test_all_32_slots(void **state)
{
	(void)state;
	assert_int_equal(sched_pick_round_robin(0x80000001U, 31), 0);
	assert_int_equal(sched_pick_round_robin(0x80000001U, 0), 31);
	assert_int_equal(sched_pick_round_robin(0x80000000U, 31), 31);
	assert_int_equal(sched_pick_round_robin(0x80000000U, -1), 31);
	assert_int_equal(sched_pick_round_robin(0xffffffffU, 30), 31);
	assert_int_equal(sched_pick_round_robin(0, 31), -1);
}

static void test_fairness_over_many_rounds(void **state)
{
	uint32_t runnable = 0xdU; /* slots 0, 2 and 3 of 5 */
	int counts[5] = {0};
	int cur = -1;

	(void)state;
	for (int i = 0; i < 300; i++) {
		cur = sched_pick_round_robin(runnable, cur);
		counts[cur]++;
	}
	assert_int_equal(counts[0], 100);
	assert_int_equal(counts[2], 100);
	assert_int_equal(counts[3], 100);
	assert_int_equal(counts[1] + counts[4], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rotates_after_current),
	    cmocka_unit_test(test_current_alone_keeps_running),
	    cmocka_unit_test(test_none_runnable),
	    cmocka_unit_test(test_first_choice_starts_at_zero),
	    cmocka_unit_test(test_all_32_slots),
	    cmocka_unit_test(test_fairness_over_many_rounds),
	};
	return cmocka_run_group_tests_name("sched_policy", tests, NULL, NULL);
}
