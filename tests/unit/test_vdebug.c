/*
 * Unit tests of hv/core/vdebug.c: the debug registers a vCPU owns, and the
 * values a guest may put in them (nothing may match at EL2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/vdebug.h"

#define ENC(op1, crn, crm, op2) ((2U << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define DBGBVR(n)		ENC(0, 0, n, 4)
#define DBGBCR(n)		ENC(0, 0, n, 5)
#define DBGWVR(n)		ENC(0, 0, n, 6)
#define DBGWCR(n)		ENC(0, 0, n, 7)
#define OSLAR			ENC(0, 1, 0, 4)
#define OSLSR			ENC(0, 1, 1, 4)
#define MDCCINT			ENC(0, 0, 2, 0)
#define CLAIMSET		ENC(0, 7, 8, 6)
#define CLAIMCLR		ENC(0, 7, 9, 6)
#define MDCCSR			ENC(3, 0, 1, 0)
#define MDRAR			ENC(0, 1, 0, 0)

static const struct vdebug_limits a53 = {.breakpoints = 6, .watchpoints = 4};
static struct vdebug d;

static int setup(void **state)
{
	(void)state;
	vdebug_reset(&d);
	return 0;
}

static uint64_t rd(uint32_t reg)
{
	uint64_t value = 0xdead;
	bool changed = false;

	assert_true(vdebug_access(&d, &a53, reg, true, &value, &changed));
	assert_false(changed);
	return value;
}

static bool wr(uint32_t reg, uint64_t value)
{
	bool changed = false;

	assert_true(vdebug_access(&d, &a53, reg, false, &value, &changed));
	return changed;
}

static void test_reset_state(void **state)
{
	(void)state;
	for (unsigned int n = 0; n < 6; n++) {
		assert_int_equal(rd(DBGBVR(n)), 0);
		assert_int_equal(rd(DBGBCR(n)), 0);
	}
	for (unsigned int n = 0; n < 4; n++)
		assert_int_equal(rd(DBGWCR(n)), 0);
	/* OSLM = 0b10 (implemented), OSLK set: locked, as the A53 comes out of reset. */
	assert_int_equal(rd(OSLSR), 0xa);
	assert_false(d.any_enabled);
}

static void test_breakpoint_values_are_kept_and_enable_the_hardware(void **state)
{
	(void)state;
	assert_true(wr(OSLAR, 0));
	assert_int_equal(rd(OSLSR), 0x8);
	assert_true(wr(DBGBVR(5), 0xffff000012345678));
	assert_false(d.any_enabled);
	/* E, PMC = EL1 and EL0, BAS = 0xf: an ordinary breakpoint. */
	assert_true(wr(DBGBCR(5), 0x1e7));
	assert_int_equal(rd(DBGBVR(5)), 0xffff000012345678);
	assert_int_equal(rd(DBGBCR(5)), 0x1e7);
	assert_true(d.any_enabled);
	assert_true(wr(DBGBCR(5), 0));
	assert_false(d.any_enabled);
}

static void test_nothing_can_match_at_el2(void **state)
{
	(void)state;
	/* HMC (bit 13) set with SSC = 0b11: would match at EL2. HMC is cleared. */
	(void)wr(DBGBCR(0), 0xe000 | 0x1e7);
	assert_int_equal(rd(DBGBCR(0)) & (1U << 13), 0);
	(void)wr(DBGWCR(0), 0xe000 | 0x1ff7);
	assert_int_equal(rd(DBGWCR(0)) & (1U << 13), 0);
	/* BT = 0b1000, VMID match: EL2's own type, refused. */
	(void)wr(DBGBCR(1), (8ULL << 20) | 0x1e7);
	assert_int_equal(rd(DBGBCR(1)) >> 20 & 8, 0);
	/* RES0 bits read as 0. */
	(void)wr(DBGBCR(2), ~0ULL);
	assert_int_equal(rd(DBGBCR(2)), 0x00ffe1e7ULL & ~((1ULL << 13) | (1ULL << 23)));
	(void)wr(DBGWCR(2), ~0ULL);
	assert_int_equal(rd(DBGWCR(2)), 0x1f1fffffULL & ~(1ULL << 13));
	assert_int_equal(vdebug_sanitize_mdscr(~0ULL), 0xb001);
}

static void test_os_lock_keeps_points_disarmed(void **state)
{
	(void)state;
	(void)wr(DBGWCR(3), 0x1ff7);
	assert_false(d.any_enabled); /* locked since reset */
	(void)wr(OSLAR, 0);
	assert_true(d.any_enabled);
	(void)wr(OSLAR, 1);
	assert_false(d.any_enabled);
}

static void test_points_the_core_lacks_are_undefined(void **state)
{
	uint64_t value = 1;
	bool changed = false;

	(void)state;
	assert_false(vdebug_access(&d, &a53, DBGBVR(6), true, &value, &changed));
	assert_false(vdebug_access(&d, &a53, DBGWCR(4), false, &value, &changed));
	assert_false(vdebug_access(&d, &a53, OSLAR, true, &value, &changed));  /* write-only */
	assert_false(vdebug_access(&d, &a53, OSLSR, false, &value, &changed)); /* read-only */
	assert_false(vdebug_access(&d, &a53, ENC(0, 0, 1, 1), true, &value, &changed));
}

static void test_claim_tags_dcc_and_rom_table(void **state)
{
	(void)state;
	assert_int_equal(rd(CLAIMSET), 0xff);
	(void)wr(CLAIMSET, 0x1ff);
	assert_int_equal(rd(CLAIMCLR), 0xff);
	(void)wr(CLAIMCLR, 0x0f);
	assert_int_equal(rd(CLAIMCLR), 0xf0);
	(void)wr(MDCCINT, ~0ULL);
	assert_int_equal(rd(MDCCINT), 3ULL << 29);
	(void)wr(MDCCSR, 5);
	assert_int_equal(rd(MDCCSR), 0);
	assert_int_equal(rd(MDRAR), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_reset_state, setup),
	    cmocka_unit_test_setup(test_breakpoint_values_are_kept_and_enable_the_hardware, setup),
	    cmocka_unit_test_setup(test_nothing_can_match_at_el2, setup),
	    cmocka_unit_test_setup(test_os_lock_keeps_points_disarmed, setup),
	    cmocka_unit_test_setup(test_points_the_core_lacks_are_undefined, setup),
	    cmocka_unit_test_setup(test_claim_tags_dcc_and_rom_table, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
