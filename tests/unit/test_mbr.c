/* Unit tests of hv/fs/mbr.c: the MBR partition table and the lookup of a VM's disk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fs/mbr.h"

static uint8_t block0[512];

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void set_entry(int number, uint8_t flag, uint8_t type, uint32_t start, uint32_t size)
{
	uint8_t *e = block0 + 446 + 16 * (number - 1);

	e[0] = flag;
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, size);
}

/* The card mksdcard.sh --rootfs makes: FAT32 (bootable) from 1 MiB, then Linux. */
static int setup(void **state)
{
	(void)state;
	memset(block0, 0, sizeof(block0));
	block0[510] = 0x55;
	block0[511] = 0xAA;
	set_entry(1, 0x80, 0x0C, 2048, 391168);
	set_entry(2, 0x00, MBR_TYPE_LINUX, 393216, 131072);
	return 0;
}

static void test_entries_are_read_as_written(void **state)
{
	struct mbr_partition p;

	(void)state;
	assert_true(mbr_is_partition_table(block0));
	mbr_entry(block0, 2, &p);
	assert_int_equal(p.number, 2);
	assert_int_equal(p.type, 0x83);
	assert_int_equal(p.start, 393216);
	assert_int_equal(p.size, 131072);
	assert_int_equal(mbr_find(block0, 524288, 2, &p), MBR_FOUND);
	assert_int_equal(mbr_find(block0, 524288, 1, &p), MBR_FOUND);
	assert_int_equal(p.start, 2048);
}

static void test_no_signature_or_bad_flags_is_no_table(void **state)
{
	struct mbr_partition p;

	(void)state;
	block0[511] = 0;
	assert_false(mbr_is_partition_table(block0));
	assert_int_equal(mbr_find(block0, 524288, 2, &p), MBR_NO_TABLE);
	block0[511] = 0xAA;
	block0[446 + 16] = 0x01; /* boot flag of entry 2 */
	assert_int_equal(mbr_find(block0, 524288, 2, &p), MBR_NO_TABLE);
}

static void test_empty_and_out_of_range_numbers_are_no_such_partition(void **state)
{
	struct mbr_partition p;

	(void)state;
	assert_int_equal(mbr_find(block0, 524288, 3, &p), MBR_NO_SUCH);
	assert_int_equal(mbr_find(block0, 524288, 0, &p), MBR_NO_SUCH);
	assert_int_equal(mbr_find(block0, 524288, 5, &p), MBR_NO_SUCH);
	set_entry(3, 0, MBR_TYPE_LINUX, 600000, 0); /* typed, but 0 blocks */
	assert_int_equal(mbr_find(block0, 1 << 20, 3, &p), MBR_NO_SUCH);
}

static void test_partition_past_the_card_or_over_block_0_is_refused(void **state)
{
	struct mbr_partition p;

	(void)state;
	/* One block short of the partition's end. */
	assert_int_equal(mbr_find(block0, 524287, 2, &p), MBR_PAST_END);
	/* 32-bit start + size must not wrap. */
	set_entry(2, 0, MBR_TYPE_LINUX, 0xffffff00U, 0x200);
	assert_int_equal(mbr_find(block0, 1ULL << 33, 2, &p), MBR_FOUND);
	assert_int_equal(mbr_find(block0, 0xffffffffULL, 2, &p), MBR_PAST_END);
	set_entry(2, 0, MBR_TYPE_LINUX, 0, 100);
	assert_int_equal(mbr_find(block0, 524288, 2, &p), MBR_OVERLAPS_0);
}

static void test_gpt_protective_mbr_is_named(void **state)
{
	struct mbr_partition p;

	(void)state;
	set_entry(1, 0, MBR_TYPE_GPT, 1, 0xffffffffU);
	assert_int_equal(mbr_find(block0, 524288, 2, &p), MBR_GPT);
	assert_non_null(strstr(mbr_lookup_words(MBR_GPT), "GPT"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_entries_are_read_as_written, setup),
	    cmocka_unit_test_setup(test_no_signature_or_bad_flags_is_no_table, setup),
	    cmocka_unit_test_setup(test_empty_and_out_of_range_numbers_are_no_such_partition,
				   setup),
	    cmocka_unit_test_setup(test_partition_past_the_card_or_over_block_0_is_refused, setup),
	    cmocka_unit_test_setup(test_gpt_protective_mbr_is_named, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
