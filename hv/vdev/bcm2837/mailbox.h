#pragma once
/*
 * The VideoCore mailbox as a VM sees it (ARM physical 0x3F00B880; the
 * register layout is documented by the Raspberry Pi firmware wiki,
 * "Mailboxes", and Linux's bcm2835-mailbox driver): mailbox 0 (VC to ARM)
 * at offsets 0x00-0x1F, and mailbox 1 (ARM to VC) at 0x20-0x3F, of which the
 * guest uses WRITE (0x20) and STATUS (0x38).
 *
 * There is no VideoCore behind it: a write of (buffer address | 8) on the
 * property channel is answered at once, in the guest's buffer, by the model
 * (the "Mailbox property interface" wiki page), and the same value is queued
 * for the guest to read back from mailbox 0, as the firmware does. Writes on
 * other channels are queued back unchanged without being acted on, so a
 * guest waiting for an answer is not stuck forever (see mailbox.c).
 *
 * The buffer is outside input: every size and offset in it is checked
 * against the buffer and the VM's RAM, each field is read once, nothing is
 * ever written outside the buffer, and the tag walk is bounded.
 *
 * With MAIL0_CNF bit 0 set, a waiting answer raises the "ARM Mailbox" basic
 * interrupt (bit 1 of the interrupt controller's basic registers), which the
 * model drives in the aggregate's basic-line bitmap.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/mmio.h"

struct vm;

#define VMAILBOX_BASE  0x3f00b880ULL
#define VMAILBOX_SIZE  0x40ULL
#define VMAILBOX_DEPTH 8 /* answers waiting to be read, as deep as the real FIFO */

/* Property channel and buffer limits. */
#define VMAILBOX_CHANNEL_PROPERTY 8U
#define VMAILBOX_MAX_BUFFER	  (1U << 20) /* larger buffers are refused as corrupt */

struct vmailbox {
	struct vm *vm;
	uint32_t *arm_lines; /* the aggregate's basic IRQ levels; bit 1 is ours */
	uint32_t queue[VMAILBOX_DEPTH];
	unsigned int head, count;
	uint32_t config0;  /* MAIL0_CNF: bit 0 "I have data" interrupt enable */
	uint32_t config1;  /* MAIL1_CNF: stored only */
	uint32_t power_on; /* set-power-state of devices 0-8, bit n = device n */
	/* Counters, for the VM listing. */
	uint64_t requests;	 /* property buffers processed */
	uint64_t errors;	 /* property buffers refused as corrupt */
	uint64_t unsupported;	 /* tags answered "not supported" */
	uint64_t other_channel;	 /* writes on channels other than the property channel */
	uint64_t dropped_writes; /* writes while mailbox 0 was full, ignored */
};

void vmailbox_init(struct vmailbox *m, struct vm *vm, uint32_t *arm_lines);

enum mmio_result vmailbox_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
enum mmio_result vmailbox_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);
