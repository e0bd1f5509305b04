/* Unit tests of the per-VM MMIO registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/mmio.h"

struct fake_dev {
	uint64_t last_offset, last_value;
	unsigned int last_size;
	uint64_t reg;
};

static enum mmio_result fake_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	struct fake_dev *d = opaque;

	d->last_offset = offset;
	d->last_size = size;
	if (offset == 0x10)
		return MMIO_ERROR;
	if (offset != 0)
		return MMIO_UNHANDLED;
	*value = d->reg;
	return MMIO_HANDLED;
}

static enum mmio_result fake_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	struct fake_dev *d = opaque;

	d->last_offset = offset;
	d->last_size = size;
	d->last_value = value;
	if (offset != 0)
		return MMIO_UNHANDLED;
	d->reg = value;
	return MMIO_HANDLED;
}

static struct mmio_region region(const char *name, uint64_t base, uint64_t size, struct fake_dev *d)
{
	struct mmio_region r = {name, base, size, fake_read, fake_write, d};
	return r;
}

static void test_dispatch_by_address_with_offsets(void **state)
{
	struct mmio_bus bus;
	struct fake_dev a = {0}, b = {0};
	struct mmio_region ra = region("a", 0x3f003000, 0x20, &a);
	struct mmio_region rb = region("b", 0x3f215000, 0x100, &b);
	uint64_t value;

	(void)state;
	mmio_bus_init(&bus);
	assert_true(mmio_register(&bus, &ra));
	assert_true(mmio_register(&bus, &rb));
	assert_int_equal(mmio_write(&bus, 0x3f215000, 4, 0x55), MMIO_HANDLED);
	assert_int_equal(b.reg, 0x55);
	assert_int_equal(b.last_size, 4);
	assert_int_equal(mmio_read(&bus, 0x3f215000, 4, &value), MMIO_HANDLED);
	assert_int_equal(value, 0x55);
	assert_int_equal(a.reg, 0);
	assert_int_equal(mmio_read(&bus, 0x3f003004, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(a.last_offset, 4);
	assert_int_equal(value, 0);
}

static void test_unclaimed_addresses_read_zero_and_are_counted(void **state)
{
	struct mmio_bus bus;
	struct fake_dev a = {.reg = 7};
	struct mmio_region ra = region("a", 0x3f003000, 0x20, &a);
	uint64_t value = 99;

	(void)state;
	mmio_bus_init(&bus);
	assert_true(mmio_register(&bus, &ra));
	assert_int_equal(mmio_read(&bus, 0x3f100000, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(value, 0);
	assert_int_equal(mmio_write(&bus, 0x3f100000, 4, 1), MMIO_UNHANDLED);
	assert_int_equal(mmio_read(&bus, 0x3f003020, 4, &value), MMIO_UNHANDLED); /* one past */
	assert_int_equal(bus.unhandled_reads, 2);
	assert_int_equal(bus.unhandled_writes, 1);
}

static void test_errors_pass_through(void **state)
{
	struct mmio_bus bus;
	struct fake_dev a = {0};
	struct mmio_region ra = region("a", 0x1000, 0x20, &a);
	uint64_t value;

	(void)state;
	mmio_bus_init(&bus);
	assert_true(mmio_register(&bus, &ra));
	assert_int_equal(mmio_read(&bus, 0x1010, 4, &value), MMIO_ERROR);
	assert_int_equal(bus.unhandled_reads, 0);
}

static void test_overlaps_and_full_bus_are_refused(void **state)
{
	struct mmio_bus bus;
	struct fake_dev d = {0};
	struct mmio_region r;

	(void)state;
	mmio_bus_init(&bus);
	r = region("a", 0x1000, 0x100, &d);
	assert_true(mmio_register(&bus, &r));
	r = region("b", 0x10ff, 0x10, &d);
	assert_false(mmio_register(&bus, &r));
	r = region("c", 0xf00, 0x101, &d);
	assert_false(mmio_register(&bus, &r));
	r = region("d", 0x1100, 0x10, &d); /* adjacent is fine */
	assert_true(mmio_register(&bus, &r));
	r = region("e", 0x5000, 0, &d);
	assert_false(mmio_register(&bus, &r));
	r = region("f", ~0UL - 4, 0x10, &d); /* wraps around */
	assert_false(mmio_register(&bus, &r));
	for (uint64_t i = bus.count; i < MMIO_MAX_REGIONS; i++) {
		r = region("g", 0x10000 + i * 0x100, 0x100, &d);
		assert_true(mmio_register(&bus, &r));
	}
	r = region("h", 0x90000, 0x100, &d);
	assert_false(mmio_register(&bus, &r));
	assert_non_null(mmio_find(&bus, 0x10ff));
	assert_null(mmio_find(&bus, 0x1110));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dispatch_by_address_with_offsets),
	    cmocka_unit_test(test_unclaimed_addresses_read_zero_and_are_counted),
	    cmocka_unit_test(test_errors_pass_through),
	    cmocka_unit_test(test_overlaps_and_full_bus_are_refused),
	};
	return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
