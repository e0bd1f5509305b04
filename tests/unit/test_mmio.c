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
	struct mmio_region r = {.name = name,
				.base = base,
				.size = size,
				.read = fake_read,
				.write = fake_write,
				.opaque = d};
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

/* The page index: one page, shared pages, partial pages, the window's edges and beyond. */
static void test_page_index_finds_every_region(void **state)
{
	struct mmio_bus bus;
	struct fake_dev d = {0};
	/* Two regions on one page (like the interrupt controller and the mailbox). */
	struct mmio_region intc = region("intc", 0x3f00b200, 0x28, &d);
	struct mmio_region mbox = region("mbox", 0x3f00b880, 0x40, &d);
	/* One region across three pages, one at the window's top, one outside it. */
	struct mmio_region wide = region("wide", 0x3f100800, 0x2000, &d);
	struct mmio_region local = region("local", 0x4003f000, 0x1000, &d);
	struct mmio_region ram = region("outside", 0x1000, 0x100, &d);

	(void)state;
	mmio_bus_init(&bus);
	assert_true(mmio_register(&bus, &intc));
	assert_true(mmio_register(&bus, &mbox));
	assert_true(mmio_register(&bus, &wide));
	assert_true(mmio_register(&bus, &local));
	assert_true(mmio_register(&bus, &ram));

	assert_string_equal(mmio_find(&bus, 0x3f00b200)->name, "intc");
	assert_string_equal(mmio_find(&bus, 0x3f00b8bc)->name, "mbox");
	assert_null(mmio_find(&bus, 0x3f00b000)); /* shared page, in no region */
	assert_null(mmio_find(&bus, 0x3f100000)); /* the wide region's first page, before it */
	assert_string_equal(mmio_find(&bus, 0x3f100800)->name, "wide");
	assert_string_equal(mmio_find(&bus, 0x3f101ffc)->name, "wide");
	assert_string_equal(mmio_find(&bus, 0x3f1027fc)->name, "wide");
	assert_null(mmio_find(&bus, 0x3f102800)); /* its last page, after it */
	assert_string_equal(mmio_find(&bus, 0x4003fffc)->name, "local");
	assert_null(mmio_find(&bus, 0x40040000));
	assert_string_equal(mmio_find(&bus, 0x1010)->name, "outside");
	assert_null(mmio_find(&bus, 0x3effffff));
}

/* A refused registration leaves the index as it was. */
static enum mmio_result fake_read_unlocked(void *opaque, uint64_t offset, unsigned int size,
					   uint64_t *value)
{
	(void)size;
	if (offset != 4)
		return MMIO_UNHANDLED;
	*value = ((struct fake_dev *)opaque)->reg + 1;
	return MMIO_HANDLED;
}

/* A region's read_unlocked answers its own registers; everything else takes the locked way. */
static void test_unlocked_reads_only_where_the_region_answers(void **state)
{
	struct mmio_bus bus;
	struct fake_dev a = {.reg = 41}, b = {0};
	struct mmio_region ra = region("a", 0x3f003000, 0x20, &a);
	struct mmio_region rb = region("b", 0x3f215000, 0x100, &b);
	uint64_t value = 0;

	(void)state;
	ra.read_unlocked = fake_read_unlocked;
	mmio_bus_init(&bus);
	assert_true(mmio_register(&bus, &ra));
	assert_true(mmio_register(&bus, &rb));
	assert_true(mmio_read_unlocked(mmio_find(&bus, 0x3f003004), 0x3f003004, 4, &value));
	assert_int_equal(value, 42);
	assert_false(mmio_read_unlocked(mmio_find(&bus, 0x3f003000), 0x3f003000, 4, &value));
	assert_false(mmio_read_unlocked(mmio_find(&bus, 0x3f215004), 0x3f215004, 4, &value));
	assert_false(mmio_read_unlocked(mmio_find(&bus, 0x3f400000), 0x3f400000, 4, &value));
	/* The locked path through the region found once gives the model's own answer. */
	assert_int_equal(mmio_read_region(&bus, mmio_find(&bus, 0x3f003000), 0x3f003000, 4, &value),
			 MMIO_HANDLED);
	assert_int_equal(value, 41);
	assert_int_equal(bus.unhandled_reads, 0);
}

static void test_refused_region_is_not_indexed(void **state)
{
	struct mmio_bus bus;
	struct fake_dev d = {0};
	struct mmio_region a = region("a", 0x3f003000, 0x20, &d);
	struct mmio_region overlap = region("b", 0x3f003010, 0x2000, &d);

	(void)state;
	mmio_bus_init(&bus);
	assert_true(mmio_register(&bus, &a));
	assert_false(mmio_register(&bus, &overlap));
	assert_null(mmio_find(&bus, 0x3f004000));
	assert_int_equal(bus.page_region[(0x3f004000 - MMIO_WINDOW_BASE) >> MMIO_PAGE_SHIFT],
			 MMIO_PAGE_EMPTY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dispatch_by_address_with_offsets),
	    cmocka_unit_test(test_unclaimed_addresses_read_zero_and_are_counted),
	    cmocka_unit_test(test_errors_pass_through),
	    cmocka_unit_test(test_overlaps_and_full_bus_are_refused),
	    cmocka_unit_test(test_page_index_finds_every_region),
	    cmocka_unit_test(test_refused_region_is_not_indexed),
	    cmocka_unit_test(test_unlocked_reads_only_where_the_region_answers),
	};
	return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
