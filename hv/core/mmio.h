#pragma once
/*
 * The MMIO registry of one VM: device models register the guest-physical
 * ranges they emulate; a stage-2 data abort inside a device window is
 * dispatched here by address. Handlers see offsets from their base.
 */
#include <stdbool.h>
#include <stdint.h>

enum mmio_result {
	MMIO_HANDLED,	/* the model did the access */
	MMIO_UNHANDLED, /* no register there: reads as zero, writes ignored, counted */
	MMIO_ERROR,	/* the access is malformed for this device: the VM is stopped */
};

typedef enum mmio_result (*mmio_read_fn)(void *opaque, uint64_t offset, unsigned int size,
					 uint64_t *value);
typedef enum mmio_result (*mmio_write_fn)(void *opaque, uint64_t offset, unsigned int size,
					  uint64_t value);

struct mmio_region {
	const char *name;
	uint64_t base; /* guest-physical */
	uint64_t size;
	mmio_read_fn read;
	mmio_write_fn write;
	void *opaque;
};

#define MMIO_MAX_REGIONS 12

struct mmio_bus {
	struct mmio_region regions[MMIO_MAX_REGIONS];
	unsigned int count;
	uint64_t unhandled_reads; /* accesses that hit no register, per VM */
	uint64_t unhandled_writes;
};

void mmio_bus_init(struct mmio_bus *bus);
/* Adds a region; false if the bus is full or the range overlaps a registered one. */
bool mmio_register(struct mmio_bus *bus, const struct mmio_region *region);
const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t addr);
/*
 * Performs one access of `size` bytes (1, 2, 4 or 8). Addresses no region
 * claims, and registers a model does not know, read as zero and ignore
 * writes (MMIO_UNHANDLED, counted on the bus).
 */
enum mmio_result mmio_read(struct mmio_bus *bus, uint64_t addr, unsigned int size, uint64_t *value);
enum mmio_result mmio_write(struct mmio_bus *bus, uint64_t addr, unsigned int size, uint64_t value);
