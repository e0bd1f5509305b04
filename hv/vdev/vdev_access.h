#pragma once
/*
 * Access checks shared by the device models.
 *
 * BCM2837 peripheral registers are 32 bits wide and drivers access them as
 * aligned words; QEMU's models of the interrupt controllers, system timer
 * and mailbox accept nothing else. The models here do the same (the AUX
 * block, which QEMU lets guests access bytewise, is the exception: see
 * aux.c) and answer any other access with MMIO_ERROR, which stops the VM:
 * such an access is a guest bug, and guessing what the hardware would do
 * would hide it.
 */
#include <stdbool.h>
#include <stdint.h>

static inline bool vdev_is_word_access(uint64_t offset, unsigned int size)
{
	return size == 4 && (offset & 3) == 0;
}
