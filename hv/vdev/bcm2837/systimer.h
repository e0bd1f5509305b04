#pragma once
/*
 * The BCM2835 system timer as a VM sees it (BCM2835 ARM Peripherals §12
 * "System Timer"; ARM physical 0x3F003000 on the BCM2837): a free-running
 * 64-bit 1 MHz counter (CLO/CHI) and four 32-bit compare registers C0-C3.
 *
 * The counter is the VM's clock, vdev_now_us(): it starts near 0 when the
 * VM is created. A compare matches when the counter's low 32 bits reach Cn;
 * the match sets CS.Mn and raises GPU IRQ n (0-3) until the guest writes 1
 * to CS.Mn. Each write of Cn arms one match: the deadline on the 64-bit
 * clock is now + ((Cn - CLO) mod 2^32), a distance of 0 meaning a whole
 * wrap (2^32 us later), since the counter has already passed that value.
 *
 * One rule differs from the chip, because a VM does not run all the time:
 * a compare value that the clock passed after the guest last read CLO
 * matches at once instead of 71 minutes later. A guest arms a compare by
 * reading CLO and writing CLO + period a few instructions later; natively
 * nothing can come between the two, but here the VM can be descheduled, or
 * the hypervisor busy, in between, and the deadline it chose falls into the
 * gap. The guest could not have seen the clock pass its value, so the match
 * is only late, as if the write had landed when it was computed; a value at
 * or before the last clock value the guest read keeps the chip's rule (a
 * whole wrap). docs/robustness.md, "A compare deadline that passes while
 * the guest is not looking".
 *
 * All four channels belong to the VM (on the real chip the GPU uses C0 and
 * C2; a VM has no GPU).
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/mmio.h"

struct vm;

#define VSYSTIMER_BASE	   0x3f003000ULL
#define VSYSTIMER_SIZE	   0x1cULL
#define VSYSTIMER_CHANNELS 4
#define VSYSTIMER_NEVER	   UINT64_MAX

struct vsystimer {
	struct vm *vm;
	uint32_t cs; /* CS: M0-M3 match flags, bits 3:0 */
	uint32_t compare[VSYSTIMER_CHANNELS];
	/* When channel n matches on the VM's clock; VSYSTIMER_NEVER if it is not armed. */
	uint64_t deadline[VSYSTIMER_CHANNELS];
	uint64_t matches; /* compare matches so far, for the VM listing */
	/*
	 * The low 32 bits of the clock when the guest last read CLO: compare
	 * values after it that the clock has passed since are late, not a wrap.
	 */
	uint32_t seen_low;
};

void vsystimer_init(struct vsystimer *t, struct vm *vm);

enum mmio_result vsystimer_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
/* CLO and CHI without the VM's lock (the region's read_unlocked); MMIO_UNHANDLED otherwise. */
enum mmio_result vsystimer_read_clock(void *opaque, uint64_t offset, unsigned int size,
				      uint64_t *value);
enum mmio_result vsystimer_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);

/*
 * Applies every armed match whose deadline is <= now_us (sets CS.Mn, raises
 * IRQ line n) and returns the earliest deadline still armed, or
 * VSYSTIMER_NEVER (UINT64_MAX) if none: the VM has nothing to wake it
 * before then, so the scheduler can sleep until that time.
 */
uint64_t vsystimer_poll(struct vsystimer *t, uint64_t now_us);
