/* Unit tests of the stage-2 table builder: what a VM can reach, and what it cannot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "arch/arm64/stage2.h"

#define MIB (1UL << 20)

static struct stage2_tables *new_tables(void)
{
	struct stage2_tables *t = aligned_alloc(4096, sizeof(*t));
	assert_non_null(t);
	return t;
}

static void test_ram_maps_to_its_block(void **state)
{
	struct stage2_tables *t = new_tables();
	uint64_t pa;

	(void)state;
	assert_true(stage2_build(t, 0x100000, 0x4000000, 16 * MIB));
	assert_true(stage2_translate(t, 0, &pa));
	assert_int_equal(pa, 0x4000000);
	assert_true(stage2_translate(t, 0x80000, &pa));
	assert_int_equal(pa, 0x4080000);
	assert_true(stage2_translate(t, 16 * MIB - 1, &pa));
	assert_int_equal(pa, 0x4000000 + 16 * MIB - 1);
	free(t);
}

static void test_nothing_beyond_ram_is_mapped(void **state)
{
	struct stage2_tables *t = new_tables();
	uint64_t pa;

	(void)state;
	assert_true(stage2_build(t, 0x100000, 0x4000000, 16 * MIB));
	assert_false(stage2_translate(t, 16 * MIB, &pa));
	assert_false(stage2_translate(t, 0x3f000000, &pa)); /* device window: trapped */
	assert_false(stage2_translate(t, 0x40000000, &pa)); /* local peripherals: trapped */
	assert_false(stage2_translate(t, 0xffffffff, &pa));
	assert_false(stage2_translate(t, 1UL << 32, &pa));
	free(t);
}

static void test_rebuild_clears_old_mappings(void **state)
{
	struct stage2_tables *t = new_tables();
	uint64_t pa;

	(void)state;
	assert_true(stage2_build(t, 0x100000, 0x4000000, 64 * MIB));
	assert_true(stage2_build(t, 0x100000, 0x8000000, 4 * MIB));
	assert_false(stage2_translate(t, 4 * MIB, &pa));
	assert_true(stage2_translate(t, 2 * MIB, &pa));
	assert_int_equal(pa, 0x8200000);
	free(t);
}

static void test_descriptors(void **state)
{
	struct stage2_tables *t = new_tables();

	(void)state;
	assert_true(stage2_build(t, 0x100000, 0x4000000, 4 * MIB));
	/* Level 1 entry 0: a table descriptor (0b11) pointing at our level-2 table. */
	assert_int_equal(t->l1[0] & 3, 3);
	assert_int_equal(t->l1[0] & ~0xfffUL, 0x100000 + offsetof(struct stage2_tables, l2));
	assert_int_equal(t->l1[1], 0);
	/* Level 2: block (0b01), MemAttr 0b1111, S2AP RW, inner shareable, AF. */
	assert_int_equal(t->l2[0] & 3, 1);
	assert_int_equal((t->l2[0] >> 2) & 0xf, 0xf);
	assert_int_equal((t->l2[0] >> 6) & 3, 3);
	assert_int_equal((t->l2[0] >> 8) & 3, 3);
	assert_true(t->l2[0] & (1UL << 10));
	assert_int_equal(t->l2[2], 0);
	free(t);
}

static void test_rejects_bad_arguments(void **state)
{
	struct stage2_tables *t = new_tables();

	(void)state;
	assert_false(stage2_build(t, 0x100000, 0x4001000, 16 * MIB)); /* PA not 2 MiB aligned */
	assert_false(stage2_build(t, 0x100000, 0x4000000, 3 * MIB));  /* size not 2 MiB multiple */
	assert_false(stage2_build(t, 0x100000, 0x4000000, 0));
	assert_false(stage2_build(t, 0x100000, 0x4000000, 2048 * MIB));
	free(t);
}

static void test_vttbr_and_vtcr(void **state)
{
	(void)state;
	assert_int_equal(stage2_vttbr(0x123000, 5), (5UL << 48) | 0x123000);
	/* T0SZ=32, SL0=1, IRGN0=ORGN0=WBWA, SH0=inner, TG0=4K, PS=32 bits, RES1 bit 31. */
	assert_int_equal(stage2_vtcr(), 0x80003560UL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ram_maps_to_its_block),
	    cmocka_unit_test(test_nothing_beyond_ram_is_mapped),
	    cmocka_unit_test(test_rebuild_clears_old_mappings),
	    cmocka_unit_test(test_descriptors),
	    cmocka_unit_test(test_rejects_bad_arguments),
	    cmocka_unit_test(test_vttbr_and_vtcr),
	};
	return cmocka_run_group_tests_name("stage2", tests, NULL, NULL);
}
