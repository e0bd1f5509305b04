#pragma once
/*
 * 32-bit device register access: every BCM2835 peripheral register is 32
 * bits wide and is read and written whole.
 *
 * The instruction form is pinned with inline assembly instead of being left
 * to the compiler: a single LDR/STR of a W register with a plain base
 * register ("Q" constraint: no offset, no writeback). Under aVisor these
 * addresses are not mapped at stage 2, every access traps to EL2, and the
 * hypervisor can only emulate a data abort whose syndrome is valid
 * (ESR_EL2.ISV == 1, "instruction syndrome valid"), which excludes LDP/STP
 * and pre- or post-index writeback.
 */
#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	volatile uint32_t *reg = (volatile uint32_t *)addr;
	uint32_t value;

	__asm__ volatile("ldr %w0, %1" : "=r"(value) : "Q"(*reg) : "memory");
	return value;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	volatile uint32_t *reg = (volatile uint32_t *)addr;

	__asm__ volatile("str %w1, %0" : "=Q"(*reg) : "rZ"(value) : "memory");
}
