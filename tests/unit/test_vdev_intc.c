/*
 * Unit tests for hv/vdev/bcm2837/intc.c: the BCM2835 ARM interrupt
 * controller model (enables, pending masks, basic pending, FIQ).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vdev/bcm2837/intc.h"
#include "vdev_test_util.h"

/* Offsets from 0x3F00B200 (the manual's 0x200 onwards). */
#define BASIC_PENDING 0x00
#define PENDING_1     0x04
#define PENDING_2     0x08
#define FIQ_CONTROL   0x0c
#define ENABLE_1      0x10
#define ENABLE_2      0x14
#define ENABLE_BASIC  0x18
#define DISABLE_1     0x1c
#define DISABLE_2     0x20
#define DISABLE_BASIC 0x24

static struct vintc ic;
static uint64_t gpu_lines;
static uint32_t arm_lines;

static int setup(void **state)
{
	(void)state;
	gpu_lines = 0;
	arm_lines = 0;
	vintc_init(&ic, &gpu_lines, &arm_lines);
	return 0;
}

static uint32_t rd(uint64_t offset)
{
	return vdev_test_read(vintc_read, &ic, offset);
}

static void wr(uint64_t offset, uint32_t value)
{
	vdev_test_write(vintc_write, &ic, offset, value);
}

static void test_reset_state(void **state)
{
	(void)state;
	for (uint64_t offset = 0; offset <= DISABLE_BASIC; offset += 4)
		assert_int_equal(rd(offset), 0);
	gpu_lines = ~0ULL;
	arm_lines = 0xff;
	assert_false(vintc_irq_asserted(&ic));
	assert_false(vintc_fiq_asserted(&ic));
}

static void test_enable_sets_only_written_bits(void **state)
{
	(void)state;
	wr(ENABLE_1, 1U << 29);
	wr(ENABLE_1, 1U << 3);
	wr(ENABLE_2, 1U << 25);
	wr(ENABLE_BASIC, 0x3);
	assert_int_equal(rd(ENABLE_1), (1U << 29) | (1U << 3));
	assert_int_equal(rd(DISABLE_1), (1U << 29) | (1U << 3));
	assert_int_equal(rd(ENABLE_2), 1U << 25);
	assert_int_equal(rd(DISABLE_2), 1U << 25);
	assert_int_equal(rd(ENABLE_BASIC), 0x3);
	assert_int_equal(rd(DISABLE_BASIC), 0x3);
}

static void test_enable_basic_keeps_bits_0_to_7(void **state)
{
	(void)state;
	wr(ENABLE_BASIC, 0xffffffff);
	assert_int_equal(rd(ENABLE_BASIC), 0xff);
}

static void test_disable_clears_only_written_bits(void **state)
{
	(void)state;
	wr(ENABLE_1, 0xf0);
	wr(ENABLE_2, 0x0f);
	wr(ENABLE_BASIC, 0x7);
	wr(DISABLE_1, 0x30);
	wr(DISABLE_2, 0x01);
	wr(DISABLE_BASIC, 0x2);
	assert_int_equal(rd(ENABLE_1), 0xc0);
	assert_int_equal(rd(ENABLE_2), 0x0e);
	assert_int_equal(rd(ENABLE_BASIC), 0x5);
}

static void test_pending_is_lines_and_enables(void **state)
{
	(void)state;
	gpu_lines = (1ULL << 29) | (1ULL << 1) | (1ULL << 40);
	assert_int_equal(rd(PENDING_1), 0);
	assert_int_equal(rd(PENDING_2), 0);
	assert_false(vintc_irq_asserted(&ic));

	wr(ENABLE_1, 1U << 29);
	assert_int_equal(rd(PENDING_1), 1U << 29);
	assert_int_equal(rd(PENDING_2), 0);
	assert_true(vintc_irq_asserted(&ic));

	wr(ENABLE_2, 1U << 8); /* IRQ 40 */
	assert_int_equal(rd(PENDING_2), 1U << 8);

	gpu_lines &= ~(1ULL << 29); /* the line drops: pending follows */
	assert_int_equal(rd(PENDING_1), 0);
	assert_true(vintc_irq_asserted(&ic));
	wr(DISABLE_2, 1U << 8);
	assert_false(vintc_irq_asserted(&ic));
}

static void test_basic_pending_bank_bits(void **state)
{
	(void)state;
	wr(ENABLE_1, 0xffffffff);
	wr(ENABLE_2, 0xffffffff);
	gpu_lines = 1ULL << 29; /* AUX: no shortcut bit */
	assert_int_equal(rd(BASIC_PENDING), 1U << 8);
	gpu_lines = 1ULL << 33;
	assert_int_equal(rd(BASIC_PENDING), 1U << 9);
	gpu_lines = (1ULL << 29) | (1ULL << 33);
	assert_int_equal(rd(BASIC_PENDING), (1U << 8) | (1U << 9));
	wr(DISABLE_1, 1U << 29);
	assert_int_equal(rd(BASIC_PENDING), 1U << 9);
}

static void test_basic_pending_shortcuts(void **state)
{
	static const struct {
		unsigned int irq;
		unsigned int bit;
	} shortcuts[] = {
	    {7, 10},  {9, 11},	{10, 12}, {18, 13}, {19, 14}, {53, 15},
	    {54, 16}, {55, 17}, {56, 18}, {57, 19}, {62, 20},
	};

	(void)state;
	wr(ENABLE_1, 0xffffffff);
	wr(ENABLE_2, 0xffffffff);
	for (size_t i = 0; i < sizeof(shortcuts) / sizeof(shortcuts[0]); i++) {
		unsigned int irq = shortcuts[i].irq;
		uint32_t bank = irq < 32 ? 1U << 8 : 1U << 9;

		gpu_lines = 1ULL << irq;
		assert_int_equal(rd(BASIC_PENDING), bank | (1U << shortcuts[i].bit));
	}
	/* A shortcut IRQ that is not enabled shows nowhere. */
	wr(DISABLE_2, 1U << (62 - 32));
	gpu_lines = 1ULL << 62;
	assert_int_equal(rd(BASIC_PENDING), 0);
}

static void test_basic_arm_lines(void **state)
{
	(void)state;
	arm_lines = 1U << VINTC_ARM_MAILBOX;
	assert_int_equal(rd(BASIC_PENDING), 0);
	assert_false(vintc_irq_asserted(&ic));
	wr(ENABLE_BASIC, 1U << VINTC_ARM_MAILBOX);
	assert_int_equal(rd(BASIC_PENDING), 1U << VINTC_ARM_MAILBOX);
	assert_true(vintc_irq_asserted(&ic));
	/* Basic lines are not in pending 1/2. */
	assert_int_equal(rd(PENDING_1), 0);
	assert_int_equal(rd(PENDING_2), 0);
}

static void test_pending_registers_are_read_only(void **state)
{
	(void)state;
	wr(ENABLE_1, 1);
	gpu_lines = 1;
	wr(PENDING_1, 0);
	wr(BASIC_PENDING, 0xffffffff);
	wr(PENDING_2, 0xffffffff);
	assert_int_equal(rd(PENDING_1), 1);
	assert_int_equal(rd(PENDING_2), 0);
	assert_int_equal(rd(ENABLE_1), 1);
}

static void test_fiq_gpu_source(void **state)
{
	(void)state;
	wr(FIQ_CONTROL, 0x80 | 29);
	assert_int_equal(rd(FIQ_CONTROL), 0x80 | 29);
	assert_false(vintc_fiq_asserted(&ic));
	gpu_lines = 1ULL << 29;
	assert_true(vintc_fiq_asserted(&ic));
	assert_false(vintc_irq_asserted(&ic)); /* not enabled as an IRQ */
	wr(FIQ_CONTROL, 29);		       /* FIQ disabled */
	assert_false(vintc_fiq_asserted(&ic));
}

static void test_fiq_arm_and_reserved_sources(void **state)
{
	(void)state;
	arm_lines = 1U << 1;
	wr(FIQ_CONTROL, 0x80 | 65); /* ARM mailbox */
	assert_true(vintc_fiq_asserted(&ic));
	wr(FIQ_CONTROL, 0x80 | 64);
	assert_false(vintc_fiq_asserted(&ic));
	gpu_lines = ~0ULL;
	arm_lines = 0xff;
	wr(FIQ_CONTROL, 0x80 | 72); /* "do not use" */
	assert_false(vintc_fiq_asserted(&ic));
	wr(FIQ_CONTROL, 0xffffffff);
	assert_int_equal(rd(FIQ_CONTROL), 0xff);
}

static void test_bad_accesses(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(vintc_read(&ic, ENABLE_1, 1, &value), MMIO_ERROR);
	assert_int_equal(vintc_read(&ic, ENABLE_1, 2, &value), MMIO_ERROR);
	assert_int_equal(vintc_read(&ic, ENABLE_1, 8, &value), MMIO_ERROR);
	assert_int_equal(vintc_read(&ic, ENABLE_1 + 2, 4, &value), MMIO_ERROR);
	assert_int_equal(vintc_write(&ic, ENABLE_1, 1, 1), MMIO_ERROR);
	assert_int_equal(rd(ENABLE_1), 0);
	assert_int_equal(vintc_read(&ic, 0x28, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vintc_read(&ic, 0x1fc, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vintc_write(&ic, 0x28, 4, 1), MMIO_UNHANDLED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_reset_state, setup),
	    cmocka_unit_test_setup(test_enable_sets_only_written_bits, setup),
	    cmocka_unit_test_setup(test_enable_basic_keeps_bits_0_to_7, setup),
	    cmocka_unit_test_setup(test_disable_clears_only_written_bits, setup),
	    cmocka_unit_test_setup(test_pending_is_lines_and_enables, setup),
	    cmocka_unit_test_setup(test_basic_pending_bank_bits, setup),
	    cmocka_unit_test_setup(test_basic_pending_shortcuts, setup),
	    cmocka_unit_test_setup(test_basic_arm_lines, setup),
	    cmocka_unit_test_setup(test_pending_registers_are_read_only, setup),
	    cmocka_unit_test_setup(test_fiq_gpu_source, setup),
	    cmocka_unit_test_setup(test_fiq_arm_and_reserved_sources, setup),
	    cmocka_unit_test_setup(test_bad_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
