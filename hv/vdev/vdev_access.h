#pragma once
/*
 * Access checks shared by the device models.
 *
 * The BCM2837 peripherals are 32-bit registers on a 32-bit APB bus; QEMU's
 * models of them only accept naturally aligned 32-bit accesses (the AUX
 * block being the exception: see aux.c). A model answers anything else with
 * MMIO_ERROR, which stops the VM: such an access is a guest bug, and
 * guessing what the hardware would do hides it.
 */
#include <stdbool.h>
#include <stdint.h>

static inline bool vdev_is_word_access(uint64_t offset, unsigned int size)
{
	return size == 4 && (offset & 3) == 0;
}
