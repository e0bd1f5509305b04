#include "core/mm.h"

static struct block_allocator pool;

static bool block_is_used(const struct block_allocator *a, unsigned int i)
{
	return a->bitmap[i / 64] & (1UL << (i % 64));
}

static void block_set(struct block_allocator *a, unsigned int i, bool used)
{
	if (used)
		a->bitmap[i / 64] |= 1UL << (i % 64);
	else
		a->bitmap[i / 64] &= ~(1UL << (i % 64));
}

static unsigned int blocks_for(uint64_t bytes)
{
	uint64_t blocks = (bytes + MM_BLOCK_SIZE - 1) / MM_BLOCK_SIZE;

	return blocks > MM_MAX_BLOCKS ? MM_MAX_BLOCKS + 1 : (unsigned int)blocks;
}

void block_allocator_init(struct block_allocator *a, uint64_t base, uint64_t end)
{
	/* Round the start up and the end down to whole blocks. */
	uint64_t first = (base + MM_BLOCK_SIZE - 1) & ~(MM_BLOCK_SIZE - 1);
	uint64_t blocks = end > first ? (end - first) / MM_BLOCK_SIZE : 0;

	a->base = first;
	a->count = blocks > MM_MAX_BLOCKS ? MM_MAX_BLOCKS : (unsigned int)blocks;
	a->used = 0;
	for (unsigned int i = 0; i < MM_MAX_BLOCKS / 64; i++)
		a->bitmap[i] = 0;
}

uint64_t block_alloc(struct block_allocator *a, uint64_t bytes)
{
	unsigned int need = blocks_for(bytes);
	unsigned int run = 0;

	if (need == 0 || need > a->count)
		return 0;
	for (unsigned int i = 0; i < a->count; i++) {
		run = block_is_used(a, i) ? 0 : run + 1;
		if (run == need) {
			unsigned int first = i + 1 - need;
			for (unsigned int j = first; j <= i; j++)
				block_set(a, j, true);
			a->used += need;
			return a->base + (uint64_t)first * MM_BLOCK_SIZE;
		}
	}
	return 0;
}

bool block_free(struct block_allocator *a, uint64_t addr, uint64_t bytes)
{
	unsigned int need = blocks_for(bytes);
	unsigned int first;

	if (addr < a->base || (addr - a->base) % MM_BLOCK_SIZE || need == 0)
		return false;
	first = (unsigned int)((addr - a->base) / MM_BLOCK_SIZE);
	if (first >= a->count || need > a->count - first)
		return false;
	for (unsigned int i = first; i < first + need; i++) {
		if (!block_is_used(a, i))
			return false;
	}
	for (unsigned int i = first; i < first + need; i++)
		block_set(a, i, false);
	a->used -= need;
	return true;
}

uint64_t block_free_bytes(const struct block_allocator *a)
{
	return (uint64_t)(a->count - a->used) * MM_BLOCK_SIZE;
}

uint64_t block_largest_free(const struct block_allocator *a)
{
	unsigned int run = 0, best = 0;

	for (unsigned int i = 0; i < a->count; i++) {
		run = block_is_used(a, i) ? 0 : run + 1;
		if (run > best)
			best = run;
	}
	return (uint64_t)best * MM_BLOCK_SIZE;
}

void mm_init(uint64_t pool_start, uint64_t pool_end)
{
	block_allocator_init(&pool, pool_start, pool_end);
}

uint64_t mm_alloc_vm_ram(uint64_t bytes)
{
	return block_alloc(&pool, bytes);
}

void mm_free_vm_ram(uint64_t addr, uint64_t bytes)
{
	(void)block_free(&pool, addr, bytes);
}

const struct block_allocator *mm_pool(void)
{
	return &pool;
}
