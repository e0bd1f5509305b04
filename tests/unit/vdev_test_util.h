#pragma once
/*
 * Register access for the device-model unit tests: a guest's 32-bit access
 * to one register of a model, which the model must handle. Each test wraps
 * these as rd()/wr() for its model, so its checks read like the driver code
 * they mimic.
 *
 * Static inline in a header, not in fake_vdev_host.c: the tests of models
 * that need no hypervisor (intc, GPIO, local controller) do not link the
 * fake. Include after <cmocka.h>.
 */
#include <stdint.h>

#include "core/mmio.h"

static inline uint32_t vdev_test_read(mmio_read_fn read, void *dev, uint64_t offset)
{
	uint64_t value = 0xdeadbeef; /* a model that forgets to store shows as this */

	assert_int_equal(read(dev, offset, 4, &value), MMIO_HANDLED);
	assert_true(value <= 0xffffffffU); /* a 32-bit register zero-extends */
	return (uint32_t)value;
}

static inline void vdev_test_write(mmio_write_fn write, void *dev, uint64_t offset, uint32_t value)
{
	assert_int_equal(write(dev, offset, 4, value), MMIO_HANDLED);
}
