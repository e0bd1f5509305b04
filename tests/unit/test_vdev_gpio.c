/*
 * Unit tests for hv/vdev/bcm2837/gpio.c: the GPIO model (function select,
 * set/clear/level, pull-up/down sequence, detect registers).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vdev/bcm2837/gpio.h"
#include "vdev_test_util.h"

#define GPFSEL(n)   (0x00 + 4 * (n))
#define GPSET0	    0x1c
#define GPSET1	    0x20
#define GPCLR0	    0x28
#define GPCLR1	    0x2c
#define GPLEV0	    0x34
#define GPLEV1	    0x38
#define GPEDS0	    0x40
#define GPEDS1	    0x44
#define GPREN0	    0x4c
#define GPHEN1	    0x68
#define GPAFEN1	    0x8c
#define GPPUD	    0x94
#define GPPUDCLK0   0x98
#define GPPUDCLK1   0x9c
#define FSEL_OUTPUT 1U
#define FSEL_ALT5   2U

static struct vgpio gpio;

static int setup(void **state)
{
	(void)state;
	vgpio_init(&gpio);
	return 0;
}

static uint32_t rd(uint64_t offset)
{
	return vdev_test_read(vgpio_read, &gpio, offset);
}

static void wr(uint64_t offset, uint32_t value)
{
	vdev_test_write(vgpio_write, &gpio, offset, value);
}

/* Sets one pin's function with a read-modify-write, as guests do. */
static void set_function(unsigned int pin, uint32_t function)
{
	uint64_t reg = GPFSEL(pin / 10);
	unsigned int shift = 3 * (pin % 10);

	wr(reg, (rd(reg) & ~(7U << shift)) | (function << shift));
}

static void test_reset_state(void **state)
{
	(void)state;
	for (uint64_t offset = 0; offset < 0xa0; offset += 4) {
		uint64_t value = 1;
		enum mmio_result r = vgpio_read(&gpio, offset, 4, &value);

		/* GPFSEL1 (0x04): GPIO14/15 in ALT5 for the mini UART, as the firmware leaves them.
		 */
		if (r == MMIO_HANDLED)
			assert_int_equal(value, offset == 0x04 ? 0x12000 : 0);
	}
}

static void test_function_select_reads_back(void **state)
{
	(void)state;
	/* The mini UART pin set-up: GPIO 14 and 15 to ALT5. */
	set_function(14, FSEL_ALT5);
	set_function(15, FSEL_ALT5);
	assert_int_equal(rd(GPFSEL(1)), (2U << 12) | (2U << 15));
	wr(GPFSEL(0), 0xffffffff);
	assert_int_equal(rd(GPFSEL(0)), 0x3fffffff);
	wr(GPFSEL(5), 0xffffffff); /* pins 50-53 only */
	assert_int_equal(rd(GPFSEL(5)), 0xfff);
}

static void test_set_clear_level_for_outputs(void **state)
{
	(void)state;
	set_function(16, FSEL_OUTPUT);
	set_function(47, FSEL_OUTPUT);
	set_function(53, FSEL_OUTPUT);
	wr(GPSET0, 1U << 16);
	assert_int_equal(rd(GPLEV0), 1U << 16);
	wr(GPSET1, (1U << (47 - 32)) | (1U << (53 - 32)) | 0xffc00000U);
	assert_int_equal(rd(GPLEV1), (1U << 15) | (1U << 21));
	wr(GPCLR0, 1U << 16);
	wr(GPCLR1, 1U << 15);
	assert_int_equal(rd(GPLEV0), 0);
	assert_int_equal(rd(GPLEV1), 1U << 21);
	/* Set and clear are write-only; level is read-only. */
	assert_int_equal(rd(GPSET0), 0);
	assert_int_equal(rd(GPCLR1), 0);
	wr(GPLEV1, 0);
	assert_int_equal(rd(GPLEV1), 1U << 21);
}

static void test_latch_of_input_pin_shows_once_output(void **state)
{
	(void)state;
	wr(GPSET0, 1U << 5);
	assert_int_equal(rd(GPLEV0), 0);
	set_function(5, FSEL_OUTPUT);
	assert_int_equal(rd(GPLEV0), 1U << 5);
	set_function(5, 0);
	assert_int_equal(rd(GPLEV0), 0);
}

static void pull(uint32_t control, uint64_t clk_reg, uint32_t pins)
{
	wr(GPPUD, control);
	wr(clk_reg, pins);
	wr(GPPUD, 0);
	wr(clk_reg, 0);
}

static void test_pull_up_sequence_sets_input_level(void **state)
{
	(void)state;
	pull(2, GPPUDCLK0, (1U << 14) | (1U << 15));
	assert_int_equal(rd(GPLEV0), (1U << 14) | (1U << 15));
	pull(1, GPPUDCLK0, 1U << 15); /* pull-down */
	assert_int_equal(rd(GPLEV0), 1U << 14);
	pull(0, GPPUDCLK0, 1U << 14); /* off */
	assert_int_equal(rd(GPLEV0), 0);
	pull(2, GPPUDCLK1, 1U << 3);
	assert_int_equal(rd(GPLEV1), 1U << 3);
	/* An output pin shows its latch, not its pull. */
	set_function(35, FSEL_OUTPUT);
	assert_int_equal(rd(GPLEV1), 0);
}

static void test_pud_registers_read_back(void **state)
{
	(void)state;
	wr(GPPUD, 0xffffffff);
	assert_int_equal(rd(GPPUD), 3);
	wr(GPPUDCLK1, 0x12345);
	assert_int_equal(rd(GPPUDCLK1), 0x12345);
	/* 11 is reserved: no pull changes. */
	assert_int_equal(rd(GPLEV1), 0);
}

static void test_detect_registers(void **state)
{
	(void)state;
	wr(GPREN0, 0x1234);
	wr(GPHEN1, 0x3);
	wr(GPAFEN1, 0x55);
	assert_int_equal(rd(GPREN0), 0x1234);
	assert_int_equal(rd(GPHEN1), 0x3);
	assert_int_equal(rd(GPAFEN1), 0x55);
	assert_int_equal(rd(GPREN0 + 4), 0);
	/* No event is ever detected. */
	wr(GPEDS0, 0xffffffff);
	assert_int_equal(rd(GPEDS0), 0);
	assert_int_equal(rd(GPEDS1), 0);
}

static void test_reserved_and_bad_accesses(void **state)
{
	static const uint64_t reserved[] = {0x18, 0x24, 0x30, 0x3c, 0x48, 0x54, 0x60,
					    0x6c, 0x78, 0x84, 0x90, 0xa0, 0xb0};
	uint64_t value;

	(void)state;
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		assert_int_equal(vgpio_read(&gpio, reserved[i], 4, &value), MMIO_UNHANDLED);
		assert_int_equal(vgpio_write(&gpio, reserved[i], 4, 1), MMIO_UNHANDLED);
	}
	assert_int_equal(vgpio_read(&gpio, GPLEV0, 1, &value), MMIO_ERROR);
	assert_int_equal(vgpio_write(&gpio, GPSET0 + 2, 4, 1), MMIO_ERROR);
	assert_int_equal(vgpio_write(&gpio, GPSET0, 8, 1), MMIO_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_reset_state, setup),
	    cmocka_unit_test_setup(test_function_select_reads_back, setup),
	    cmocka_unit_test_setup(test_set_clear_level_for_outputs, setup),
	    cmocka_unit_test_setup(test_latch_of_input_pin_shows_once_output, setup),
	    cmocka_unit_test_setup(test_pull_up_sequence_sets_input_level, setup),
	    cmocka_unit_test_setup(test_pud_registers_read_back, setup),
	    cmocka_unit_test_setup(test_detect_registers, setup),
	    cmocka_unit_test_setup(test_reserved_and_bad_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
