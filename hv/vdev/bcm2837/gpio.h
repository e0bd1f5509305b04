#pragma once
/*
 * The BCM2835 GPIO block as a VM sees it (BCM2835 ARM Peripherals §6
 * "General Purpose I/O"; ARM physical 0x3F200000 on the BCM2837). Nothing
 * is connected to the VM's pins: the model keeps what the guest configures,
 * so that UART pin set-up works and reads give back what was written.
 *
 * - GPFSEL0-5 store the 3-bit function of each of the 54 pins.
 * - GPSET/GPCLR change the output latch; GPLEV reads the latch for output
 *   pins and, for every other pin, the pull the guest selected with the
 *   GPPUD/GPPUDCLK sequence (§6.1, "GPIO Pull-up/down Clock Registers"):
 *   high if pulled up, low otherwise, as an unconnected pin would read.
 * - The detect-enable registers (GPREN, GPFEN, GPHEN, GPLEN, GPAREN,
 *   GPAFEN) store what is written; no level ever changes by itself, so no
 *   event is ever detected: GPEDS0/1 read 0 and no GPIO interrupt is raised.
 */
#include <stdint.h>

#include "core/mmio.h"

#define VGPIO_BASE 0x3f200000ULL
#define VGPIO_SIZE 0xb4ULL
#define VGPIO_PINS 54

/* The six detect-enable register pairs, in register-map order. */
enum vgpio_detect {
	VGPIO_RISING,
	VGPIO_FALLING,
	VGPIO_HIGH,
	VGPIO_LOW,
	VGPIO_ASYNC_RISING,
	VGPIO_ASYNC_FALLING,
	VGPIO_DETECT_KINDS,
};

struct vgpio {
	uint32_t fsel[6];   /* GPFSEL0-5 */
	uint64_t output;    /* output latch, bit n = pin n */
	uint64_t pull_up;   /* pins whose pull-up was clocked in */
	uint64_t pull_down; /* pins whose pull-down was clocked in */
	uint32_t pud;	    /* GPPUD: bits 1:0 pull control */
	uint32_t pudclk[2]; /* GPPUDCLK0/1 as last written */
	uint64_t detect[VGPIO_DETECT_KINDS];
};

void vgpio_init(struct vgpio *g);

enum mmio_result vgpio_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
enum mmio_result vgpio_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);

/* The level GPLEV0/1 show, bit n = pin n. */
uint64_t vgpio_levels(const struct vgpio *g);
