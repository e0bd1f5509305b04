#include "core/mmio.h"

#include <stddef.h>

_Static_assert(MMIO_MAX_REGIONS < MMIO_PAGE_SHARED, "a page index entry holds a region index + 1");

void mmio_bus_init(struct mmio_bus *bus)
{
	for (unsigned int page = 0; page < MMIO_WINDOW_PAGES; page++)
		bus->page_region[page] = MMIO_PAGE_EMPTY;
	bus->count = 0;
	bus->unhandled_reads = 0;
	bus->unhandled_writes = 0;
}

static bool overlaps(const struct mmio_region *a, const struct mmio_region *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

/* Enters region number `number` (index + 1) on every window page it touches. */
static void index_pages(struct mmio_bus *bus, const struct mmio_region *region, unsigned int number)
{
	uint64_t first = region->base, last = region->base + region->size - 1;

	if (first < MMIO_WINDOW_BASE)
		first = MMIO_WINDOW_BASE;
	if (last >= MMIO_WINDOW_END)
		last = MMIO_WINDOW_END - 1;
	if (first > last)
		return;
	for (uint64_t page = (first - MMIO_WINDOW_BASE) >> MMIO_PAGE_SHIFT;
	     page <= (last - MMIO_WINDOW_BASE) >> MMIO_PAGE_SHIFT; page++) {
		uint8_t *entry = &bus->page_region[page];

		*entry = *entry == MMIO_PAGE_EMPTY ? (uint8_t)number : MMIO_PAGE_SHARED;
	}
}

bool mmio_register(struct mmio_bus *bus, const struct mmio_region *region)
{
	if (bus->count >= MMIO_MAX_REGIONS || region->size == 0 ||
	    region->base + region->size < region->base)
		return false;
	for (unsigned int i = 0; i < bus->count; i++) {
		if (overlaps(&bus->regions[i], region))
			return false;
	}
	bus->regions[bus->count++] = *region;
	index_pages(bus, region, bus->count);
	return true;
}

const struct mmio_region *mmio_search(const struct mmio_bus *bus, uint64_t addr)
{
	for (unsigned int i = 0; i < bus->count; i++) {
		if (mmio_region_contains(&bus->regions[i], addr))
			return &bus->regions[i];
	}
	return NULL;
}
