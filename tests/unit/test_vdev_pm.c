/* Unit tests of the power manager watchdog model: reset and power-off requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_vdev_host.h"
#include "vdev/bcm2837/pm.h"

#define RSTC	 0x1c
#define RSTS	 0x20
#define WDOG	 0x24
#define PASSWORD 0x5a000000U

static struct vpm pm;

static int setup(void **state)
{
	(void)state;
	fake_host_reset(1 << 20);
	vpm_init(&pm, fake_vm());
	return 0;
}

static uint64_t rd(uint64_t offset)
{
	uint64_t value = 0xdead;

	assert_int_equal(vpm_read(&pm, offset, 4, &value), MMIO_HANDLED);
	return value;
}

static void wr(uint64_t offset, uint32_t value)
{
	assert_int_equal(vpm_write(&pm, offset, 4, value), MMIO_HANDLED);
}

static void test_full_reset_requests_a_reset(void **state)
{
	(void)state;
	wr(WDOG, PASSWORD | 10);
	assert_int_equal(rd(WDOG), 10);
	assert_int_equal(fake_host.resets, 0);
	wr(RSTC, PASSWORD | 0x20);
	assert_int_equal(fake_host.resets, 1);
	assert_int_equal(fake_host.power_offs, 0);
	assert_int_equal(rd(RSTC), 0x20);
}

static void test_writes_without_password_are_ignored(void **state)
{
	(void)state;
	wr(RSTC, 0x20);
	wr(WDOG, 10);
	assert_int_equal(fake_host.resets, 0);
	assert_int_equal(rd(WDOG), 0);
}

static void test_partition_63_means_power_off(void **state)
{
	(void)state;
	wr(RSTS, PASSWORD | 0x555);
	wr(RSTC, PASSWORD | 0x20);
	assert_int_equal(fake_host.power_offs, 1);
	assert_int_equal(fake_host.resets, 0);
}

static void test_other_configurations_do_not_reset(void **state)
{
	(void)state;
	wr(RSTC, PASSWORD | 0x10); /* WRCFG = 01: clear */
	wr(RSTC, PASSWORD | 0x00);
	assert_int_equal(fake_host.resets, 0);
}

static void test_bad_accesses(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(vpm_read(&pm, RSTC, 1, &value), MMIO_ERROR);
	assert_int_equal(vpm_read(&pm, RSTC + 2, 4, &value), MMIO_ERROR);
	assert_int_equal(vpm_read(&pm, 0x40, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vpm_write(&pm, 0x40, 4, PASSWORD), MMIO_UNHANDLED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_full_reset_requests_a_reset, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_writes_without_password_are_ignored, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_partition_63_means_power_off, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_other_configurations_do_not_reset, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_accesses, setup, fake_host_teardown),
	};
	return cmocka_run_group_tests_name("vdev_pm", tests, NULL, NULL);
}
