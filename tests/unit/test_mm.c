/* Unit tests of the VM memory block allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/mm.h"

#define MIB (1UL << 20)

static void test_init_rounds_to_blocks(void **state)
{
	struct block_allocator a;

	(void)state;
	block_allocator_init(&a, 0x1000000 + 1, 0x1000000 + 21 * MIB);
	assert_int_equal(a.base, 0x1200000);
	assert_int_equal(a.count, 9);
	assert_int_equal(block_free_bytes(&a), 18 * MIB);
}

static void test_alloc_first_fit_and_free(void **state)
{
	struct block_allocator a;
	uint64_t x, y, z;

	(void)state;
	block_allocator_init(&a, 0x1000000, 0x1000000 + 32 * MIB);
	x = block_alloc(&a, 16 * MIB);
	y = block_alloc(&a, 3 * MIB); /* rounded up to 4 MiB */
	assert_int_equal(x, 0x1000000);
	assert_int_equal(y, 0x2000000);
	assert_int_equal(block_free_bytes(&a), 12 * MIB);
	assert_true(block_free(&a, x, 16 * MIB));
	z = block_alloc(&a, 8 * MIB);
	assert_int_equal(z, 0x1000000);
	assert_int_equal(block_largest_free(&a), 12 * MIB);
}

static void test_out_of_memory_and_fragmentation(void **state)
{
	struct block_allocator a;
	uint64_t x, y;

	(void)state;
	block_allocator_init(&a, 0, 8 * MIB);
	x = block_alloc(&a, 2 * MIB);
	y = block_alloc(&a, 2 * MIB);
	assert_int_not_equal(block_alloc(&a, 2 * MIB), 0);
	assert_true(block_free(&a, y, 2 * MIB));
	assert_int_equal(block_alloc(&a, 4 * MIB), 0); /* 4 MiB free, but not contiguous */
	assert_int_equal(block_free_bytes(&a), 4 * MIB);
	assert_int_equal(block_alloc(&a, 0), 0);
	assert_int_equal(block_alloc(&a, 1UL << 40), 0);
	(void)x;
}

static void test_bad_free_is_refused(void **state)
{
	struct block_allocator a;
	uint64_t x;

	(void)state;
	block_allocator_init(&a, 0x1000000, 0x1000000 + 16 * MIB);
	x = block_alloc(&a, 4 * MIB);
	assert_false(block_free(&a, x + 4096, 2 * MIB));    /* not a block boundary */
	assert_false(block_free(&a, x + 4 * MIB, 2 * MIB)); /* not allocated */
	assert_false(block_free(&a, 0, 2 * MIB));	    /* below the pool */
	assert_false(block_free(&a, x, 64 * MIB));	    /* past the end */
	assert_true(block_free(&a, x, 4 * MIB));
	assert_false(block_free(&a, x, 4 * MIB)); /* double free */
	assert_int_equal(block_free_bytes(&a), 16 * MIB);
}

static void test_create_destroy_cycles_return_all_memory(void **state)
{
	struct block_allocator a;
	uint64_t addrs[5];

	(void)state;
	block_allocator_init(&a, 0x1000000, 0x3c000000);
	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 5; i++) {
			addrs[i] = block_alloc(&a, (uint64_t)(i + 1) * 8 * MIB);
			assert_int_not_equal(addrs[i], 0);
		}
		for (int i = 4; i >= 0; i -= 2)
			assert_true(block_free(&a, addrs[i], (uint64_t)(i + 1) * 8 * MIB));
		for (int i = 1; i < 5; i += 2)
			assert_true(block_free(&a, addrs[i], (uint64_t)(i + 1) * 8 * MIB));
	}
	assert_int_equal(block_free_bytes(&a), 0x3c000000 - 0x1000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_rounds_to_blocks),
	    cmocka_unit_test(test_alloc_first_fit_and_free),
	    cmocka_unit_test(test_out_of_memory_and_fragmentation),
	    cmocka_unit_test(test_bad_free_is_refused),
	    cmocka_unit_test(test_create_destroy_cycles_return_all_memory),
	};
	return cmocka_run_group_tests_name("mm", tests, NULL, NULL);
}
