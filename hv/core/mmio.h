#pragma once
/*
 * The MMIO registry of one VM: device models register the guest-physical
 * ranges they emulate; a stage-2 data abort inside a device window is
 * dispatched here by address. Handlers see offsets from their base.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mmio_result {
	MMIO_HANDLED,	/* the model did the access */
	MMIO_UNHANDLED, /* no register there: reads as zero, writes ignored, counted */
	MMIO_ERROR,	/* the access is malformed for this device: the VM is stopped */
};

/*
 * A read stores the access's bytes of the register, zero-extended: no bit
 * above the low `size` bytes may be set (vdev_read in vdev/vdev_access.h
 * does it), so that the trap writes a plain load's value to the guest's
 * register as it is. A write gets the guest's whole source register: the access
 * carries only its low `size` bytes, and the handler takes those (it
 * checks the size anyway: vdev_write in vdev/vdev_access.h).
 */
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
	/*
	 * Optional, the fast path for reads: answers, without the VM's lock,
	 * the registers whose value needs none of the state the lock guards
	 * (a clock, a constant), and MMIO_UNHANDLED for every other one, which
	 * then takes the locked way through `read`. The VM's other vCPUs may
	 * use the model at the same time on other cores.
	 */
	mmio_read_fn read_unlocked;
};

#define MMIO_MAX_REGIONS 12

/*
 * The guest-physical window every device model lives in on a Pi 3: the
 * BCM2837 peripherals (0x3f000000, 16 MiB) and the BCM2836 local
 * peripherals right above them (0x40000000-0x4003ffff). Within it a
 * per-page index finds the region of an address in one load (a stage-2
 * fault gives the page in HPFAR_EL2); a page two regions share (the
 * interrupt controller and the mailbox are both in 0x3f00b000) and
 * addresses outside the window fall back to searching the list.
 */
#define MMIO_WINDOW_BASE  0x3f000000UL
#define MMIO_WINDOW_END	  0x40040000UL
#define MMIO_PAGE_SHIFT	  12
#define MMIO_WINDOW_PAGES ((MMIO_WINDOW_END - MMIO_WINDOW_BASE) >> MMIO_PAGE_SHIFT)
#define MMIO_PAGE_EMPTY	  0    /* no region on the page */
#define MMIO_PAGE_SHARED  0xff /* more than one: search the list */

struct mmio_bus {
	struct mmio_region regions[MMIO_MAX_REGIONS];
	unsigned int count;
	uint8_t page_region[MMIO_WINDOW_PAGES]; /* index + 1, EMPTY or SHARED */
	uint64_t unhandled_reads;		/* accesses that hit no register, per VM */
	uint64_t unhandled_writes;
};

void mmio_bus_init(struct mmio_bus *bus);
/* Adds a region; false if the bus is full or the range overlaps a registered one. */
bool mmio_register(struct mmio_bus *bus, const struct mmio_region *region);
static inline bool mmio_in_window(uint64_t addr)
{
	return addr - MMIO_WINDOW_BASE < MMIO_WINDOW_END - MMIO_WINDOW_BASE;
}

static inline bool mmio_region_contains(const struct mmio_region *r, uint64_t addr)
{
	return addr >= r->base && addr - r->base < r->size;
}

/* The region that claims addr, or NULL, by going through the whole list. */
const struct mmio_region *mmio_search(const struct mmio_bus *bus, uint64_t addr);

/* The region that claims addr, or NULL: one index load inside the window. */
static inline const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t addr)
{
	const struct mmio_region *r;
	uint8_t entry;

	if (!mmio_in_window(addr))
		return mmio_search(bus, addr);
	entry = bus->page_region[(addr - MMIO_WINDOW_BASE) >> MMIO_PAGE_SHIFT];
	if (entry == MMIO_PAGE_EMPTY)
		return NULL;
	if (entry == MMIO_PAGE_SHARED)
		return mmio_search(bus, addr);
	/* The region may cover only part of its page. */
	r = &bus->regions[entry - 1];
	return mmio_region_contains(r, addr) ? r : NULL;
}

/*
 * Performs one access of `size` bytes (1, 2, 4 or 8). Addresses no region
 * claims, and registers a model does not know, read as zero and ignore
 * writes (MMIO_UNHANDLED, counted on the bus). mmio_read_region reads
 * through a region already found (NULL: none), mmio_read finds it first.
 */
static inline enum mmio_result mmio_read_region(struct mmio_bus *bus, const struct mmio_region *r,
						uint64_t addr, unsigned int size, uint64_t *value)
{
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

static inline enum mmio_result mmio_read(struct mmio_bus *bus, uint64_t addr, unsigned int size,
					 uint64_t *value)
{
	return mmio_read_region(bus, mmio_find(bus, addr), addr, size, value);
}

/* True if the region answered the read without the VM's lock (read_unlocked). */
static inline bool mmio_read_unlocked(const struct mmio_region *r, uint64_t addr, unsigned int size,
				      uint64_t *value)
{
	return r && r->read_unlocked &&
	       r->read_unlocked(r->opaque, addr - r->base, size, value) == MMIO_HANDLED;
}

static inline enum mmio_result mmio_write_region(struct mmio_bus *bus, const struct mmio_region *r,
						 uint64_t addr, unsigned int size, uint64_t value)
{
	enum mmio_result result = MMIO_UNHANDLED;

	if (r && r->write)
		result = r->write(r->opaque, addr - r->base, size, value);
	if (result == MMIO_UNHANDLED)
		bus->unhandled_writes++;
	return result;
}

static inline enum mmio_result mmio_write(struct mmio_bus *bus, uint64_t addr, unsigned int size,
					  uint64_t value)
{
	return mmio_write_region(bus, mmio_find(bus, addr), addr, size, value);
}
