#pragma once
/*
 * Data cache maintenance by virtual address to the Point of Coherency, for
 * memory shared with observers that do not snoop the ARM caches (the
 * VideoCore reading a mailbox buffer). Cortex-A53 cache lines are 64 bytes;
 * CTR_EL0.DminLine could tell, but 64 is the smallest line on every core
 * this hypervisor runs on.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DCACHE_LINE 64

static inline void dcache_clean_invalidate_range(const void *start, size_t size)
{
	uintptr_t addr = (uintptr_t)start & ~(uintptr_t)(DCACHE_LINE - 1);
	uintptr_t end = (uintptr_t)start + size;

	for (; addr < end; addr += DCACHE_LINE)
		__asm__ volatile("dc civac, %0" : : "r"(addr) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

/* Clean to the Point of Coherency: memory then holds what the caches held. */
static inline void dcache_clean_range(const void *start, size_t size)
{
	uintptr_t addr = (uintptr_t)start & ~(uintptr_t)(DCACHE_LINE - 1);
	uintptr_t end = (uintptr_t)start + size;

	for (; addr < end; addr += DCACHE_LINE)
		__asm__ volatile("dc cvac, %0" : : "r"(addr) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

/*
 * Zeroes [start, start + size) with DC ZVA, one block of DCZID_EL0.BS words
 * per instruction (64 bytes on the Cortex-A53; in QEMU one host memset per
 * block instead of eight stores); the rest with plain stores. Returns false
 * (nothing written) if DCZID_EL0.DZP prohibits DC ZVA. The memory must be
 * Normal memory: DC ZVA on Device memory faults.
 */
static inline bool dcache_zero_range(void *start, size_t size)
{
	uint64_t dczid;
	uintptr_t addr = (uintptr_t)start, end = addr + size, block;

	__asm__ volatile("mrs %0, dczid_el0" : "=r"(dczid));
	if (dczid & (1U << 4)) /* DZP */
		return false;
	block = 4UL << (dczid & 0xf); /* BS: log2 of the block size in words */
	for (; addr < end && (addr & (block - 1)); addr++)
		*(volatile uint8_t *)addr = 0;
	for (; end - addr >= block; addr += block)
		__asm__ volatile("dc zva, %0" : : "r"(addr) : "memory");
	for (; addr < end; addr++)
		*(volatile uint8_t *)addr = 0;
	return true;
}

/* Invalidate all instruction caches to the Point of Unification (inner shareable). */
static inline void icache_invalidate_all(void)
{
	__asm__ volatile("ic ialluis\n\tdsb ish\n\tisb" ::: "memory");
}
