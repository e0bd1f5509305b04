#pragma once
/*
 * 32-bit register access to the BCM2837's peripherals. The peripherals are
 * mapped Device-nGnRnE in the hypervisor's page tables, and every access is a
 * single 32-bit load or store, as the BCM2835 ARM Peripherals manual requires.
 */
#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}
