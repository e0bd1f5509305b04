#pragma once
/*
 * The power manager's watchdog (PM block at 0x3F100000; documented in
 * Linux's bcm2835_wdt and in no Broadcom manual): how guests reset or power
 * off a Raspberry Pi. Writing PM_RSTC with the password and a full-reset
 * configuration resets the VM; if PM_RSTS names partition 63 at that moment
 * (what Linux's power-off does), the VM powers off instead.
 */
#include "core/mmio.h"

#include <stdint.h>

#define VPM_BASE 0x3f100000UL
#define VPM_SIZE 0x100UL

struct vm;

struct vpm {
	struct vm *vm;
	uint32_t rstc; /* 0x1C: reset control */
	uint32_t rsts; /* 0x20: reset status; the boot partition in the even bits 0-10 */
	uint32_t wdog; /* 0x24: watchdog timeout, 16 us ticks */
	uint32_t resets_requested;
};

void vpm_init(struct vpm *p, struct vm *vm);
enum mmio_result vpm_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
enum mmio_result vpm_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);
