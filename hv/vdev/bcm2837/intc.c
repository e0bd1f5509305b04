/*
 * BCM2835 ARM interrupt controller model (BCM2835 ARM Peripherals §7.5,
 * "Registers"). See intc.h for what is modelled.
 */
#include "vdev/bcm2837/intc.h"

#include "vdev/vdev_access.h"

#include <stddef.h>

/* Register offsets from 0x3F00B200 (the manual's 0x200, 0x204, ...). */
#define REG_IRQ_BASIC_PENDING 0x00
#define REG_IRQ_PENDING_1     0x04
#define REG_IRQ_PENDING_2     0x08
#define REG_FIQ_CONTROL	      0x0c
#define REG_ENABLE_IRQS_1     0x10
#define REG_ENABLE_IRQS_2     0x14
#define REG_ENABLE_BASIC_IRQS 0x18
#define REG_DISABLE_IRQS_1    0x1c
#define REG_DISABLE_IRQS_2    0x20
#define REG_DISABLE_BASIC     0x24

#define ARM_LINES_MASK 0xffU /* basic IRQs 0-7 */

/* IRQ basic pending bits 8 and 9: "one or more bits set in pending register 1/2". */
#define BASIC_PENDING_1 (1U << 8)
#define BASIC_PENDING_2 (1U << 9)

/* FIQ control (§7.5 "FIQ register"): source 0-63 = GPU IRQ, 64-71 = basic IRQ 0-7. */
#define FIQ_SOURCE_MASK	  0x7fU
#define FIQ_ENABLE	  (1U << 7)
#define FIQ_FIRST_ARM_SRC 64U
#define FIQ_LAST_ARM_SRC  71U

/*
 * The GPU interrupts that also appear in IRQ basic pending, in the order of
 * bits 10-20 there (§7.5, "Basic pending register"), so that a handler can
 * find the common ones with a single read.
 */
static const uint8_t basic_shortcut_irqs[] = {7, 9, 10, 18, 19, 53, 54, 55, 56, 57, 62};
#define BASIC_SHORTCUT_FIRST_BIT 10

void vintc_init(struct vintc *ic, const uint64_t *gpu_lines, const uint32_t *arm_lines)
{
	/* Every interrupt disabled, FIQ off. */
	*ic = (struct vintc){.gpu_lines = gpu_lines, .arm_lines = arm_lines};
}

static uint64_t gpu_pending(const struct vintc *ic)
{
	return *ic->gpu_lines & ic->gpu_enable;
}

static uint32_t arm_pending(const struct vintc *ic)
{
	return *ic->arm_lines & ic->arm_enable & ARM_LINES_MASK;
}

static uint32_t basic_pending(const struct vintc *ic)
{
	uint64_t gpu = gpu_pending(ic);
	uint32_t value = arm_pending(ic);

	if ((uint32_t)gpu != 0)
		value |= BASIC_PENDING_1;
	if ((uint32_t)(gpu >> 32) != 0)
		value |= BASIC_PENDING_2;
	for (size_t i = 0; i < sizeof(basic_shortcut_irqs); i++) {
		if (gpu & (1ULL << basic_shortcut_irqs[i]))
			value |= 1U << (BASIC_SHORTCUT_FIRST_BIT + i);
	}
	return value;
}

bool vintc_irq_asserted(const struct vintc *ic)
{
	return gpu_pending(ic) != 0 || arm_pending(ic) != 0;
}

bool vintc_fiq_asserted(const struct vintc *ic)
{
	uint32_t source = ic->fiq_control & FIQ_SOURCE_MASK;

	if (!(ic->fiq_control & FIQ_ENABLE))
		return false;
	if (source < FIQ_FIRST_ARM_SRC)
		return (*ic->gpu_lines >> source) & 1;
	if (source <= FIQ_LAST_ARM_SRC)
		return (*ic->arm_lines >> (source - FIQ_FIRST_ARM_SRC)) & 1;
	return false; /* 72-127: "do not use" */
}

static enum mmio_result read_register(void *opaque, uint64_t offset, uint32_t *value)
{
	const struct vintc *ic = opaque;

	switch (offset) {
	case REG_IRQ_BASIC_PENDING:
		*value = basic_pending(ic);
		return MMIO_HANDLED;
	case REG_IRQ_PENDING_1:
		*value = (uint32_t)gpu_pending(ic);
		return MMIO_HANDLED;
	case REG_IRQ_PENDING_2:
		*value = (uint32_t)(gpu_pending(ic) >> 32);
		return MMIO_HANDLED;
	case REG_FIQ_CONTROL:
		*value = ic->fiq_control;
		return MMIO_HANDLED;
	/* The manual does not say what the enable/disable registers read;
	 * like QEMU, both read the current enables. */
	case REG_ENABLE_IRQS_1:
	case REG_DISABLE_IRQS_1:
		*value = (uint32_t)ic->gpu_enable;
		return MMIO_HANDLED;
	case REG_ENABLE_IRQS_2:
	case REG_DISABLE_IRQS_2:
		*value = (uint32_t)(ic->gpu_enable >> 32);
		return MMIO_HANDLED;
	case REG_ENABLE_BASIC_IRQS:
	case REG_DISABLE_BASIC:
		*value = ic->arm_enable;
		return MMIO_HANDLED;
	default:
		return MMIO_UNHANDLED;
	}
}

/* Enable and disable registers: writing 1 sets or clears that enable, 0 leaves it. */
static enum mmio_result write_register(void *opaque, uint64_t offset, uint32_t value)
{
	struct vintc *ic = opaque;

	switch (offset) {
	case REG_IRQ_BASIC_PENDING:
	case REG_IRQ_PENDING_1:
	case REG_IRQ_PENDING_2:
		return MMIO_HANDLED; /* read-only: pending follows the lines */
	case REG_FIQ_CONTROL:
		ic->fiq_control = value & (FIQ_ENABLE | FIQ_SOURCE_MASK);
		return MMIO_HANDLED;
	case REG_ENABLE_IRQS_1:
		ic->gpu_enable |= value;
		return MMIO_HANDLED;
	case REG_ENABLE_IRQS_2:
		ic->gpu_enable |= (uint64_t)value << 32;
		return MMIO_HANDLED;
	case REG_ENABLE_BASIC_IRQS:
		ic->arm_enable |= value & ARM_LINES_MASK;
		return MMIO_HANDLED;
	case REG_DISABLE_IRQS_1:
		ic->gpu_enable &= ~(uint64_t)value;
		return MMIO_HANDLED;
	case REG_DISABLE_IRQS_2:
		ic->gpu_enable &= ~((uint64_t)value << 32);
		return MMIO_HANDLED;
	case REG_DISABLE_BASIC:
		ic->arm_enable &= ~value;
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

enum mmio_result vintc_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	return vdev_read(&registers, opaque, offset, size, value);
}

enum mmio_result vintc_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	return vdev_write(&registers, opaque, offset, size, value);
}
