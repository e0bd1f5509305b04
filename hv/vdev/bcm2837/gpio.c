/*
 * BCM2835 GPIO model (BCM2835 ARM Peripherals §6.1, "Register View"). See
 * gpio.h for what is modelled.
 */
#include "vdev/bcm2837/gpio.h"

#include "vdev/vdev_access.h"

#include <stdbool.h>

/* Register offsets (§6.1). Each "bank" pair covers pins 0-31 and 32-53. */
#define REG_GPFSEL5   0x14
#define REG_GPSET0    0x1c
#define REG_GPSET1    0x20
#define REG_GPCLR0    0x28
#define REG_GPCLR1    0x2c
#define REG_GPLEV0    0x34
#define REG_GPLEV1    0x38
#define REG_GPEDS0    0x40
#define REG_GPEDS1    0x44
#define REG_GPREN0    0x4c /* first detect-enable pair; the others follow every 0x0c */
#define REG_GPAFEN1   0x8c
#define REG_GPPUD     0x94
#define REG_GPPUDCLK0 0x98
#define REG_GPPUDCLK1 0x9c

#define DETECT_STRIDE 0x0c

#define PIN_MASK     ((1ULL << VGPIO_PINS) - 1)
#define FSEL_MASK    0x3fffffffU /* ten 3-bit fields; bits 31:30 reserved */
#define FSEL5_MASK   0x00000fffU /* pins 50-53 only */
#define FSEL_OUTPUT  1U		 /* function 001 = output */
#define PINS_PER_REG 10

/* GPPUD bits 1:0 (§6.1, "GPIO Pull-up/down Register"). */
#define PUD_MASK 3U
#define PUD_OFF	 0U
#define PUD_DOWN 1U
#define PUD_UP	 2U

/*
 * GPFSEL1 as the Pi firmware leaves it with enable_uart=1: GPIO14/15 (fields
 * FSEL14 at bits 14:12 and FSEL15 at bits 17:15) in alternate function 5,
 * TXD1/RXD1 of the mini UART. Guests such as U-Boot check this mux before
 * they use the mini UART as their console.
 */
#define GPFSEL1_FIRMWARE ((2U << 12) | (2U << 15))

void vgpio_init(struct vgpio *g)
{
	/* Every other pin an input, no pull, no event detection, as at reset. */
	*g = (struct vgpio){0};
	g->fsel[1] = GPFSEL1_FIRMWARE;
}

static uint64_t output_pins(const struct vgpio *g)
{
	uint64_t outputs = 0;

	for (unsigned int pin = 0; pin < VGPIO_PINS; pin++) {
		uint32_t fsel = g->fsel[pin / PINS_PER_REG] >> (3 * (pin % PINS_PER_REG));

		if ((fsel & 7U) == FSEL_OUTPUT)
			outputs |= 1ULL << pin;
	}
	return outputs;
}

uint64_t vgpio_levels(const struct vgpio *g)
{
	uint64_t outputs = output_pins(g);

	return (g->output & outputs) | (g->pull_up & ~outputs);
}

/*
 * GPPUDCLKn: the control signal in GPPUD is clocked into the pins whose bit
 * is set. The manual's sequence then writes GPPUD = 0 and GPPUDCLK = 0,
 * which must not undo the pull, so only the set bits matter.
 */
static void clock_pull(struct vgpio *g, unsigned int bank, uint32_t value)
{
	uint64_t pins = ((uint64_t)value << (32 * bank)) & PIN_MASK;

	g->pudclk[bank] = value;
	switch (g->pud & PUD_MASK) {
	case PUD_OFF:
		g->pull_up &= ~pins;
		g->pull_down &= ~pins;
		break;
	case PUD_DOWN:
		g->pull_up &= ~pins;
		g->pull_down |= pins;
		break;
	case PUD_UP:
		g->pull_up |= pins;
		g->pull_down &= ~pins;
		break;
	default:
		break; /* 11 is reserved */
	}
}

static uint32_t bank_word(uint64_t pins, unsigned int bank)
{
	return (uint32_t)(pins >> (32 * bank));
}

static uint64_t bank_pins(uint32_t value, unsigned int bank)
{
	return ((uint64_t)value << (32 * bank)) & PIN_MASK;
}

/* GPFSEL0-5 start at offset 0. */
static bool is_fsel_register(uint64_t offset)
{
	return offset <= REG_GPFSEL5;
}

static uint32_t fsel_mask(unsigned int index)
{
	return index == 5 ? FSEL5_MASK : FSEL_MASK;
}

/* The detect-enable register at offset, or false if it is not one. */
static bool detect_register(uint64_t offset, unsigned int *kind, unsigned int *bank)
{
	uint64_t rel;

	if (offset < REG_GPREN0 || offset > REG_GPAFEN1)
		return false;
	rel = offset - REG_GPREN0;
	if (rel % DETECT_STRIDE == 8)
		return false; /* the reserved word after each pair */
	*kind = (unsigned int)(rel / DETECT_STRIDE);
	*bank = (unsigned int)(rel % DETECT_STRIDE) / 4;
	return true;
}

static enum mmio_result read_register(void *opaque, uint64_t offset, uint32_t *value)
{
	const struct vgpio *g = opaque;
	unsigned int kind, bank;

	if (is_fsel_register(offset)) {
		*value = g->fsel[offset / 4];
		return MMIO_HANDLED;
	}
	if (detect_register(offset, &kind, &bank)) {
		*value = bank_word(g->detect[kind], bank);
		return MMIO_HANDLED;
	}
	switch (offset) {
	case REG_GPSET0:
	case REG_GPSET1:
	case REG_GPCLR0:
	case REG_GPCLR1:
	case REG_GPEDS0: /* no event is ever detected */
	case REG_GPEDS1:
		*value = 0; /* GPSET/GPCLR are write-only */
		return MMIO_HANDLED;
	case REG_GPLEV0:
	case REG_GPLEV1:
		*value = bank_word(vgpio_levels(g), offset == REG_GPLEV1);
		return MMIO_HANDLED;
	case REG_GPPUD:
		*value = g->pud;
		return MMIO_HANDLED;
	case REG_GPPUDCLK0:
	case REG_GPPUDCLK1:
		*value = g->pudclk[offset == REG_GPPUDCLK1];
		return MMIO_HANDLED;
	default:
		return MMIO_UNHANDLED;
	}
}

static enum mmio_result write_register(void *opaque, uint64_t offset, uint32_t value)
{
	struct vgpio *g = opaque;
	unsigned int kind, bank;

	if (is_fsel_register(offset)) {
		g->fsel[offset / 4] = value & fsel_mask((unsigned int)(offset / 4));
		return MMIO_HANDLED;
	}
	if (detect_register(offset, &kind, &bank)) {
		g->detect[kind] &= ~bank_pins(0xffffffffU, bank);
		g->detect[kind] |= bank_pins(value, bank);
		return MMIO_HANDLED;
	}
	switch (offset) {
	case REG_GPSET0:
	case REG_GPSET1:
		/* Set and clear act on the latch even for input pins (§6.1, GPSETn). */
		g->output |= bank_pins(value, offset == REG_GPSET1);
		return MMIO_HANDLED;
	case REG_GPCLR0:
	case REG_GPCLR1:
		g->output &= ~bank_pins(value, offset == REG_GPCLR1);
		return MMIO_HANDLED;
	case REG_GPLEV0:
	case REG_GPLEV1:
	case REG_GPEDS0: /* write 1 to clear: nothing is ever set */
	case REG_GPEDS1:
		return MMIO_HANDLED;
	case REG_GPPUD:
		g->pud = value & PUD_MASK;
		return MMIO_HANDLED;
	case REG_GPPUDCLK0:
	case REG_GPPUDCLK1:
		clock_pull(g, offset == REG_GPPUDCLK1, value);
		return MMIO_HANDLED;
	default:
		return MMIO_UNHANDLED;
	}
}

static const struct vdev_registers registers = {
    .read = read_register,
    .write = write_register,
    .min_size = 4,
};

enum mmio_result vgpio_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	return vdev_read(&registers, opaque, offset, size, value);
}

enum mmio_result vgpio_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	return vdev_write(&registers, opaque, offset, size, value);
}
