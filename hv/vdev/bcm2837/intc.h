#pragma once
/*
 * The BCM2835 ARM interrupt controller as a VM sees it (BCM2835 ARM
 * Peripherals, §7 "Interrupts"; bus address 0x7E00B200, ARM physical
 * 0x3F00B200 on the BCM2837). The manual numbers its registers from 0x200;
 * here offsets are from 0x3F00B200, so IRQ basic pending is offset 0x00.
 *
 * The model keeps only the enables and the FIQ control. The interrupt line
 * levels belong to the VM's device aggregate (vdevs.h): 64 "GPU" lines that
 * models drive with vdev_set_irq_line, and 8 "ARM" lines (basic IRQs 0-7)
 * that the mailbox drives. Like QEMU's bcm2835_ic, the pending registers
 * show the line levels ANDed with the enables.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/mmio.h"

#define VINTC_BASE 0x3f00b200ULL
#define VINTC_SIZE 0x200ULL

/* Basic (ARM-side) interrupts, bits 0-7 of IRQ basic pending/enable (§7.5). */
#define VINTC_ARM_TIMER	  0
#define VINTC_ARM_MAILBOX 1

struct vintc {
	const uint64_t *gpu_lines; /* levels of GPU IRQs 0-63 (owned by the aggregate) */
	const uint32_t *arm_lines; /* levels of basic IRQs 0-7 (owned by the aggregate) */
	uint64_t gpu_enable;	   /* Enable IRQs 1 (bits 0-31) and 2 (bits 32-63) */
	uint32_t arm_enable;	   /* Enable Basic IRQs, bits 0-7 */
	uint32_t fiq_control;	   /* FIQ control: bits 6:0 source, bit 7 enable */
};

void vintc_init(struct vintc *ic, const uint64_t *gpu_lines, const uint32_t *arm_lines);

enum mmio_result vintc_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
enum mmio_result vintc_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);

/* The controller's IRQ output: some enabled line is high. */
bool vintc_irq_asserted(const struct vintc *ic);
/* The controller's FIQ output: FIQ enabled and its selected source line is high. */
bool vintc_fiq_asserted(const struct vintc *ic);
