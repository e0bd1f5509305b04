#pragma once
/*
 * Stage-1 translation for the EL1&0 regime (Arm ARM, "The AArch64 Virtual
 * Memory System Architecture"): 4 KiB granule, 39-bit virtual addresses
 * (TCR_EL1.T0SZ = 25), walks starting at level 1, everything through
 * TTBR0_EL1 (TTBR1_EL1 walks are disabled).
 *
 * The kernel's mappings are global (nG = 0) and the same in every table:
 *   0x00000000-0x007fffff  RAM, Normal write-back, EL1 only    (2 MiB blocks)
 *   0x3f000000-0x3fffffff  peripherals, Device-nGnRE, EL1 only
 *   0x40000000-0x401fffff  local peripherals, Device-nGnRE, EL1 only
 * Each process adds non-global (nG = 1) 4 KiB pages in its user window at
 * USER_BASE, tagged with its ASID so switching TTBR0_EL1 needs no TLB flush.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A process's translation tables: level 1 -> level 2 -> one level 3 table for its window. */
struct addrspace {
	uint64_t *l1;
	uint64_t *l2;
	uint64_t *l3;
	unsigned int asid;
};

enum user_perm {
	USER_RX, /* code: readable and executable at EL0, read-only */
	USER_RW, /* data and stack: readable and writable at EL0, never executable */
};

/* Builds the kernel's tables and turns on the MMU and the caches. */
void mmu_init(void);

/* Makes the kernel's tables (no user mappings, ASID 0) the active ones. */
void mmu_use_kernel_tables(void);

/* Empty user window, kernel mappings shared. Returns 0 or -ENOMEM. */
int as_init(struct addrspace *as, unsigned int asid);

/* Maps the page at va (inside the user window). Returns 0 or a negative errno. */
int as_map(struct addrspace *as, uintptr_t va, void *page, enum user_perm perm);

/* Gives dst a private copy of every page of src (fork). Returns 0 or -ENOMEM. */
int as_clone(struct addrspace *dst, const struct addrspace *src);

/* Frees every page and table and forgets the ASID's TLB entries. */
void as_destroy(struct addrspace *as);

/* Makes as the active address space (TTBR0_EL1 = tables | ASID). */
void as_activate(const struct addrspace *as);

/* True if EL0 may read [va, va + len) in the active address space. */
bool as_user_readable(uintptr_t va, size_t len);

/* Makes instructions written as data to [addr, addr + len) visible to instruction fetch. */
void sync_icache(const void *addr, size_t len);
