#pragma once
/*
 * Data cache maintenance by virtual address to the Point of Coherency, for
 * memory shared with observers that do not snoop the ARM caches (the
 * VideoCore reading a mailbox buffer). Cortex-A53 cache lines are 64 bytes;
 * CTR_EL0.DminLine could tell, but 64 is the smallest line on every core
 * this hypervisor runs on.
 */
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

/* Invalidate all instruction caches to the Point of Unification (inner shareable). */
static inline void icache_invalidate_all(void)
{
	__asm__ volatile("ic ialluis\n\tdsb ish\n\tisb" ::: "memory");
}
