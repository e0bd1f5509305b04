#pragma once
/*
 * Memory for VMs: the RAM above the hypervisor's reserved 16 MiB, handed out
 * as contiguous runs of 2 MiB blocks (one VM's RAM is one run, mapped by
 * 2 MiB stage-2 blocks). The allocator is pure bookkeeping over a bitmap, so
 * it is unit-tested on the host.
 */
#include <stdbool.h>
#include <stdint.h>

#define MM_BLOCK_SIZE (2UL << 20)
#define MM_MAX_BLOCKS 512 /* 1 GiB */

struct block_allocator {
	uint64_t base;	    /* physical address of block 0 */
	unsigned int count; /* blocks managed */
	unsigned int used;
	uint64_t bitmap[MM_MAX_BLOCKS / 64];
};

void block_allocator_init(struct block_allocator *a, uint64_t base, uint64_t end);
/* First fit of `bytes` (rounded up to blocks); returns the physical address or 0. */
uint64_t block_alloc(struct block_allocator *a, uint64_t bytes);
/* Frees what block_alloc returned; false (and nothing freed) if the range was not allocated. */
bool block_free(struct block_allocator *a, uint64_t addr, uint64_t bytes);
uint64_t block_free_bytes(const struct block_allocator *a);
uint64_t block_largest_free(const struct block_allocator *a);

/* The hypervisor's VM memory pool. */
void mm_init(uint64_t pool_start, uint64_t pool_end);
uint64_t mm_alloc_vm_ram(uint64_t bytes);
void mm_free_vm_ram(uint64_t addr, uint64_t bytes);
const struct block_allocator *mm_pool(void);
