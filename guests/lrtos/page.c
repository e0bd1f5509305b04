/*
 * Page allocator: pages never handed out yet are taken from the low end of
 * the pool in order ("bump"), freed pages go to a list threaded through the
 * pages themselves. The pool is never touched before a page is needed.
 */
#include "lrtos/page.h"

#include "lib/string.h"

struct free_page {
	struct free_page *next;
};

static uintptr_t bump;
static uintptr_t pool_end;
static struct free_page *free_list;
static size_t free_listed;

void page_pool_init(uintptr_t start, uintptr_t end)
{
	bump = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	pool_end = end & ~(PAGE_SIZE - 1);
	free_list = NULL;
	free_listed = 0;
}

void *page_alloc(void)
{
	void *page;

	if (free_list) {
		page = free_list;
		free_list = free_list->next;
		free_listed--;
	} else if (bump < pool_end) {
		page = (void *)bump;
		bump += PAGE_SIZE;
	} else {
		return NULL;
	}
	memset(page, 0, PAGE_SIZE);
	return page;
}

void page_free(void *page)
{
	struct free_page *p = page;

	if (!page)
		return;
	p->next = free_list;
	free_list = p;
	free_listed++;
}

size_t page_free_count(void)
{
	return free_listed + (pool_end - bump) / PAGE_SIZE;
}
