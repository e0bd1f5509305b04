#pragma once
/*
 * The BCM2837 devices of one VM, as one object the VM embeds: each model,
 * the interrupt line levels they share, and the functions the core calls.
 *
 * Interrupt lines: models drive the 64 GPU lines through vdev_set_irq_line,
 * which the core implements by setting bits of irq_lines; the mailbox drives
 * its basic ("ARM") line in arm_irq_lines directly. The ARM interrupt
 * controller reads both, the local controller routes its output to a core.
 *
 * When to ask whether a vCPU has an interrupt (bcm2837_vdevs_irq_inputs):
 * after a line changed level (vdev_set_irq_line sets irq_changed then),
 * after an access that can change the controllers' output directly — any
 * write to the interrupt controller or the local controller (enables,
 * routing, local mailboxes), any mailbox access (its ARM line) — which the
 * region functions here flag in irq_changed too, after
 * bcm2837_vdevs_poll_timers matched, after console input, and when the
 * vCPU's virtual timer line changes. An access that flagged nothing (a
 * timer register read, a UART read that found its transmit FIFO as it was,
 * a scratch write) cannot have changed it.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/mmio.h"
#include "vdev/bcm2837/aux.h"
#include "vdev/bcm2837/gpio.h"
#include "vdev/bcm2837/intc.h"
#include "vdev/bcm2837/local_intc.h"
#include "vdev/bcm2837/mailbox.h"
#include "vdev/bcm2837/pm.h"
#include "vdev/bcm2837/systimer.h"

struct vm;

struct bcm2837_vdevs {
	struct vintc intc;
	struct vaux aux;
	struct vsystimer systimer;
	struct vgpio gpio;
	struct vmailbox mailbox;
	struct vlocal local;
	struct vpm pm;
	uint64_t irq_lines;	/* GPU IRQ 0-63 levels (vdev_set_irq_line) */
	uint32_t arm_irq_lines; /* basic IRQ 0-7 levels (bit 1: ARM mailbox) */
	bool irq_changed;	/* the controllers' output may differ since it was last taken */
	struct vm *vm;
};

void bcm2837_vdevs_init(struct bcm2837_vdevs *d, struct vm *vm);
/* Registers every model's region on the VM's bus; false if one did not fit. */
bool bcm2837_vdevs_register(struct bcm2837_vdevs *d, struct mmio_bus *bus);
/*
 * Applies due timer matches and empties the mini UART's transmit FIFO once
 * its line time has passed; returns the earliest deadline (VM time, us) or
 * UINT64_MAX.
 */
uint64_t bcm2837_vdevs_poll_timers(struct bcm2837_vdevs *d, uint64_t now_us);
/* Whether the interrupt output may have changed since the last call; clears the flag. */
static inline bool bcm2837_vdevs_take_irq_change(struct bcm2837_vdevs *d)
{
	bool changed = d->irq_changed;

	d->irq_changed = false;
	return changed;
}
/*
 * The vCPU's IRQ input for either level of its virtual-timer line (ISTATUS
 * and not IMASK): VLOCAL_IRQ_WITHOUT_VTIMER and VLOCAL_IRQ_WITH_VTIMER bits.
 */
uint8_t bcm2837_vdevs_irq_inputs(struct bcm2837_vdevs *d, unsigned int vcpu);
/* The vCPU's FIQ input (for HCR_EL2.VF), likewise. */
bool bcm2837_vdevs_fiq_pending(struct bcm2837_vdevs *d, unsigned int vcpu, bool vtimer_line);
/* Input arrived for the VM, or its console output drained: recompute the AUX line. */
void bcm2837_vdevs_console_input(struct bcm2837_vdevs *d);
