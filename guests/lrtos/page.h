#pragma once
/*
 * The physical page allocator: 4 KiB pages from the RAM between the end of
 * the kernel image and the 8 MiB guest limit. Pages are reached through the
 * kernel's identity map, so a page's address is both its virtual and its
 * physical address.
 */
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096UL

void page_pool_init(uintptr_t start, uintptr_t end);

/* A zeroed page, or NULL when the pool is empty. */
void *page_alloc(void);

void page_free(void *page);

size_t page_free_count(void);
