#include "core/mmio.h"

#include <stddef.h>

void mmio_bus_init(struct mmio_bus *bus)
{
	bus->count = 0;
	bus->unhandled_reads = 0;
	bus->unhandled_writes = 0;
}

static bool overlaps(const struct mmio_region *a, const struct mmio_region *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
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
	return true;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t addr)
{
	for (unsigned int i = 0; i < bus->count; i++) {
		const struct mmio_region *r = &bus->regions[i];
		if (addr >= r->base && addr - r->base < r->size)
			return r;
	}
	return NULL;
}

enum mmio_result mmio_read(struct mmio_bus *bus, uint64_t addr, unsigned int size, uint64_t *value)
{
	const struct mmio_region *r = mmio_find(bus, addr);
	enum mmio_result result = MMIO_UNHANDLED;

	*value = 0;
	if (r && r->read)
		result = r->read(r->opaque, addr - r->base, size, value);
	if (result == MMIO_UNHANDLED) {
		*value = 0;
		bus->unhandled_reads++;
	}
	return result;
}

enum mmio_result mmio_write(struct mmio_bus *bus, uint64_t addr, unsigned int size, uint64_t value)
{
	const struct mmio_region *r = mmio_find(bus, addr);
	enum mmio_result result = MMIO_UNHANDLED;

	if (r && r->write)
		result = r->write(r->opaque, addr - r->base, size, value);
	if (result == MMIO_UNHANDLED)
		bus->unhandled_writes++;
	return result;
}
