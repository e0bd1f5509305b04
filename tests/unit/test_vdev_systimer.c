/*
 * Unit tests for hv/vdev/bcm2837/systimer.c: the system timer model
 * (counter from the VM's clock, compare matching once per write including
 * the 32-bit wrap, CS match flags, interrupt lines, poll deadlines).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_vdev_host.h"
#include "vdev/bcm2837/systimer.h"
#include "vdev_test_util.h"

#define CS  0x00
#define CLO 0x04
#define CHI 0x08
#define C0  0x0c
#define C1  0x10
#define C2  0x14
#define C3  0x18

#define WRAP (1ULL << 32)

static struct vsystimer timer;

static int setup(void **state)
{
	(void)state;
	fake_host_reset(0);
	vsystimer_init(&timer, fake_vm());
	return 0;
}

static uint32_t rd(uint64_t offset)
{
	return vdev_test_read(vsystimer_read, &timer, offset);
}

static void wr(uint64_t offset, uint32_t value)
{
	vdev_test_write(vsystimer_write, &timer, offset, value);
}

static void test_counter_is_vm_clock(void **state)
{
	(void)state;
	assert_int_equal(rd(CLO), 0);
	assert_int_equal(rd(CHI), 0);
	fake_host.now_us = 0x123456789aULL;
	assert_int_equal(rd(CLO), 0x3456789a);
	assert_int_equal(rd(CHI), 0x12);
	wr(CLO, 0); /* read-only */
	wr(CHI, 0);
	assert_int_equal(rd(CLO), 0x3456789a);
}

static void test_nothing_armed_at_reset(void **state)
{
	(void)state;
	assert_int_equal(vsystimer_poll(&timer, UINT64_MAX - 1), VSYSTIMER_NEVER);
	assert_int_equal(rd(CS), 0);
	for (unsigned int n = 0; n < 4; n++)
		assert_false(fake_irq_line(n));
	assert_int_equal(rd(C0), 0);
}

static void test_compare_matches_at_deadline(void **state)
{
	(void)state;
	fake_host.now_us = 1000;
	wr(C1, 1500);
	assert_int_equal(rd(C1), 1500);
	assert_int_equal(vsystimer_poll(&timer, 1499), 1500);
	assert_int_equal(rd(CS), 0);
	assert_false(fake_irq_line(1));

	assert_int_equal(vsystimer_poll(&timer, 1500), VSYSTIMER_NEVER);
	assert_int_equal(rd(CS), 1U << 1);
	assert_true(fake_irq_line(1));
	assert_false(fake_irq_line(0));
	assert_int_equal(timer.matches, 1);
}

/* Every compare write tells the hypervisor, which must re-arm its alarm for it. */
static void test_compare_write_tells_the_host(void **state)
{
	(void)state;
	assert_int_equal(fake_host.timers_armed, 0);
	wr(C1, 1500);
	wr(C3, 2500);
	assert_int_equal(fake_host.timers_armed, 2);
	(void)rd(C1);
	wr(CS, 1U << 1);
	assert_int_equal(fake_host.timers_armed, 2);
}

static void test_cs_write_one_clears(void **state)
{
	(void)state;
	wr(C0, 10);
	wr(C3, 20);
	(void)vsystimer_poll(&timer, 30);
	assert_int_equal(rd(CS), 0x9);
	wr(CS, 0); /* zeros leave flags alone */
	assert_int_equal(rd(CS), 0x9);
	wr(CS, 0x8);
	assert_int_equal(rd(CS), 0x1);
	assert_false(fake_irq_line(3));
	assert_true(fake_irq_line(0));
	wr(CS, 0xffffffff);
	assert_int_equal(rd(CS), 0);
	assert_false(fake_irq_line(0));
}

static void test_match_fires_once_per_write(void **state)
{
	(void)state;
	wr(C2, 100);
	(void)vsystimer_poll(&timer, 100);
	wr(CS, 1U << 2);
	/* Even a whole wrap later, the same compare does not match again. */
	assert_int_equal(vsystimer_poll(&timer, 100 + 2 * WRAP), VSYSTIMER_NEVER);
	assert_int_equal(rd(CS), 0);
	assert_false(fake_irq_line(2));
	/* Writing the compare again re-arms it. */
	fake_host.now_us = 200 + 2 * WRAP;
	wr(C2, 300);
	assert_int_equal(vsystimer_poll(&timer, fake_host.now_us), 300 + 2 * WRAP);
}

static void test_compare_across_32bit_wrap(void **state)
{
	(void)state;
	fake_host.now_us = 0xffffff00ULL;
	wr(C0, 0x100);
	assert_int_equal(vsystimer_poll(&timer, WRAP + 0xff), WRAP + 0x100);
	assert_false(fake_irq_line(0));
	(void)vsystimer_poll(&timer, WRAP + 0x100);
	assert_true(fake_irq_line(0));
}

/* The chip's rule: a value the guest saw the clock pass matches only after the wrap. */
static void test_compare_already_passed_waits_for_wrap(void **state)
{
	(void)state;
	fake_host.now_us = 5 * WRAP + 1000;
	assert_int_equal(rd(CLO), 1000);
	wr(C1, 999);
	assert_int_equal(vsystimer_poll(&timer, fake_host.now_us), 6 * WRAP + 999);
}

static void test_compare_equal_to_now_is_a_full_wrap(void **state)
{
	(void)state;
	fake_host.now_us = 77;
	assert_int_equal(rd(CLO), 77);
	wr(C3, 77);
	assert_int_equal(vsystimer_poll(&timer, 77), 77 + WRAP);
	assert_int_equal(rd(CS), 0);
}

/*
 * The guest read CLO = 1000 and chose 1500, but the write landed at 1600
 * (the VM was descheduled in between): the match is late, not a wrap away.
 * This is what stopped lrtos for good (issue 12).
 */
static void test_deadline_passed_unseen_matches_at_once(void **state)
{
	(void)state;
	fake_host.now_us = 3 * WRAP + 1000;
	assert_int_equal(rd(CLO), 1000);
	fake_host.now_us = 3 * WRAP + 1600;
	wr(C3, 1500);
	assert_int_equal(rd(CS), 1U << 3);
	assert_true(fake_irq_line(3));
	assert_int_equal(timer.matches, 1);
	assert_int_equal(vsystimer_poll(&timer, fake_host.now_us), VSYSTIMER_NEVER);
	/* Exactly at the clock's value is passed too; one after it is in the future. */
	wr(CS, 1U << 3);
	wr(C2, 1600);
	assert_int_equal(rd(CS), 1U << 2);
	wr(C1, 1601);
	assert_int_equal(vsystimer_poll(&timer, fake_host.now_us), 3 * WRAP + 1601);
}

/*
 * CLO and CHI are answered without the VM's lock (the region's read_unlocked):
 * the same values as the locked read, and a CLO read that way counts as the
 * guest's look at the clock for the late-match rule above. Every other
 * register and any access but an aligned word is left to the locked path.
 */
static enum mmio_result read_clock(uint64_t offset, unsigned int size, uint64_t *value)
{
	*value = 0xdead;
	return vsystimer_read_clock(&timer, offset, size, value);
}

static void test_clock_is_read_without_the_lock(void **state)
{
	uint64_t value;

	(void)state;
	fake_host.now_us = 0x123456789aULL;
	assert_int_equal(read_clock(CLO, 4, &value), MMIO_HANDLED);
	assert_int_equal(value, 0x3456789a);
	assert_int_equal(read_clock(CHI, 4, &value), MMIO_HANDLED);
	assert_int_equal(value, 0x12);
	for (uint64_t offset = CS; offset <= C3; offset += 4) {
		if (offset == CLO || offset == CHI)
			continue;
		assert_int_equal(read_clock(offset, 4, &value), MMIO_UNHANDLED);
	}
	assert_int_equal(read_clock(CLO, 2, &value), MMIO_UNHANDLED);
	assert_int_equal(read_clock(CLO, 8, &value), MMIO_UNHANDLED);
	assert_int_equal(read_clock(CLO + 1, 1, &value), MMIO_UNHANDLED);

	/* The late-match rule sees the unlocked read: CLO = 1000, C3 = 1500 written at 1600. */
	fake_host.now_us = 5 * WRAP + 1000;
	assert_int_equal(read_clock(CLO, 4, &value), MMIO_HANDLED);
	fake_host.now_us = 5 * WRAP + 1600;
	wr(C3, 1500);
	assert_int_equal(rd(CS), 1U << 3);
	assert_true(fake_irq_line(3));
}

/* Also across the 32-bit wrap of the clock between the read and the write. */
static void test_deadline_passed_unseen_across_wrap(void **state)
{
	(void)state;
	fake_host.now_us = WRAP - 100;
	assert_int_equal(rd(CLO), (uint32_t)(WRAP - 100));
	fake_host.now_us = WRAP + 50;
	wr(C0, 20);
	assert_true(fake_irq_line(0));
	wr(C1, (uint32_t)(WRAP - 101)); /* before the read: the chip's rule */
	assert_false(fake_irq_line(1));
	assert_int_equal(vsystimer_poll(&timer, fake_host.now_us), 2 * WRAP - 101);
}

/*
 * A read more than a wrap ago: modulo 2^32 it would look recent, and a value
 * the clock passed after it would look "before the read". The model keeps
 * the last read at most 2^24 us old, so such a value still counts as passed.
 */
static void test_old_clock_read_is_not_aliased(void **state)
{
	(void)state;
	fake_host.now_us = 100;
	assert_int_equal(rd(CLO), 100);
	/* 71.6 minutes plus 300 us later; the scheduler polls the VM meanwhile. */
	for (uint64_t t = 100; t < WRAP + 400; t += WRAP / 16)
		(void)vsystimer_poll(&timer, t);
	fake_host.now_us = WRAP + 400;
	(void)vsystimer_poll(&timer, fake_host.now_us);
	wr(C0, 50); /* the clock was at 50 350 us ago, long after the read */
	assert_true(fake_irq_line(0));
	wr(C1, 401); /* the future is still the future */
	assert_int_equal(vsystimer_poll(&timer, fake_host.now_us), WRAP + 401);
	wr(C2, (uint32_t)(400 - (1U << 25))); /* passed 33 s ago: the chip's rule */
	assert_false(fake_irq_line(2));
}

static void test_rewrite_moves_deadline(void **state)
{
	(void)state;
	wr(C0, 500);
	wr(C0, 200);
	assert_int_equal(vsystimer_poll(&timer, 0), 200);
	(void)vsystimer_poll(&timer, 499);
	assert_int_equal(rd(CS), 1);
	assert_int_equal(timer.matches, 1);
}

static void test_poll_returns_earliest_and_applies_all_due(void **state)
{
	(void)state;
	wr(C0, 400);
	wr(C1, 100);
	wr(C2, 300);
	wr(C3, 200);
	assert_int_equal(vsystimer_poll(&timer, 50), 100);
	assert_int_equal(vsystimer_poll(&timer, 250), 300);
	assert_int_equal(rd(CS), 0xa);
	assert_true(fake_irq_line(1));
	assert_true(fake_irq_line(3));
	assert_false(fake_irq_line(0));
	assert_int_equal(vsystimer_poll(&timer, 1000), VSYSTIMER_NEVER);
	assert_int_equal(rd(CS), 0xf);
}

static void test_register_access_applies_due_matches(void **state)
{
	(void)state;
	wr(C1, 50);
	fake_host.now_us = 60; /* nobody polled */
	assert_int_equal(rd(CS), 1U << 1);
	assert_true(fake_irq_line(1));
}

static void test_bad_accesses(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(vsystimer_read(&timer, CLO, 8, &value), MMIO_ERROR);
	assert_int_equal(vsystimer_read(&timer, CLO, 2, &value), MMIO_ERROR);
	assert_int_equal(vsystimer_write(&timer, C0 + 1, 4, 5), MMIO_ERROR);
	assert_int_equal(vsystimer_write(&timer, C0, 1, 5), MMIO_ERROR);
	assert_int_equal(vsystimer_poll(&timer, 0), VSYSTIMER_NEVER);
	assert_int_equal(vsystimer_read(&timer, 0x1c, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vsystimer_write(&timer, 0x1c, 4, 5), MMIO_UNHANDLED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_counter_is_vm_clock, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_armed_at_reset, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_compare_matches_at_deadline, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_compare_write_tells_the_host, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_cs_write_one_clears, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_match_fires_once_per_write, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_compare_across_32bit_wrap, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_compare_already_passed_waits_for_wrap, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_compare_equal_to_now_is_a_full_wrap, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_deadline_passed_unseen_matches_at_once, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_deadline_passed_unseen_across_wrap, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_old_clock_read_is_not_aliased, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_rewrite_moves_deadline, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_poll_returns_earliest_and_applies_all_due, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_register_access_applies_due_matches, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_accesses, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_clock_is_read_without_the_lock, setup,
					    fake_host_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
