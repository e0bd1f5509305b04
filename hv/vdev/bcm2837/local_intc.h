#pragma once
/*
 * The BCM2836 local peripherals page as a VM sees it (the "QA7" document,
 * "ARM Quad A7 core", §4 "Register map"; ARM physical 0x40000000): per-core
 * interrupt routing and sources, the four mailboxes of each core, and
 * control registers that are stored so that reading the page is defined.
 *
 * A core (vCPU) n receives an IRQ when its IRQ source register
 * (0x60 + 4n) is non-zero:
 *   bit 3  CNTV:        its virtual-timer line is high and bit 3 of its timer
 *                       interrupt control (0x40 + 4n) routes it to IRQ;
 *   bits 4-7 mailbox m: its mailbox m is non-zero and bit m of its mailbox
 *                       interrupt control (0x50 + 4n) routes it to IRQ;
 *   bit 8  GPU:         the ARM interrupt controller asserts its IRQ and
 *                       GPU routing (0x0C) bits 1:0 name this core.
 * For timers and mailboxes the FIQ enable (bit 4 higher) wins over the IRQ
 * enable (QA7 §4.6, §4.7); those sources then appear in the FIQ source
 * register (0x70 + 4n) instead. Physical and hypervisor timers, the PMU, AXI
 * and the local timer never raise anything (the VM has the virtual timer
 * only, and the others are not modelled).
 *
 * The virtual-timer line lives in the core's vCPU state, not here: the core
 * passes it to vlocal_irq_pending(), which also remembers it so that reads
 * of the source registers show the level of the latest evaluation.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/mmio.h"

struct vintc;

#define VLOCAL_BASE	 0x40000000ULL
#define VLOCAL_SIZE	 0x100ULL
#define VLOCAL_CORES	 4
#define VLOCAL_MAILBOXES 4 /* per core */

struct vlocal {
	const struct vintc *intc; /* whose IRQ/FIQ outputs are the "GPU interrupt" */
	uint32_t control;	  /* 0x00: timer clock source and increment */
	uint32_t prescaler;	  /* 0x08: core timer prescaler */
	uint32_t gpu_routing;	  /* 0x0C: bits 1:0 GPU IRQ core, bits 3:2 GPU FIQ core */
	uint32_t pmu_routing;	  /* 0x10 set / 0x14 clear: bits 3:0 IRQ, 7:4 FIQ */
	uint32_t local_routing;	  /* 0x24: local timer interrupt routing */
	uint32_t axi_counters;	  /* 0x2C */
	uint32_t axi_irq;	  /* 0x30 */
	uint32_t local_timer;	  /* 0x34: reload value, timer and interrupt enable */
	uint32_t timer_control[VLOCAL_CORES];	/* 0x40-0x4C */
	uint32_t mailbox_control[VLOCAL_CORES]; /* 0x50-0x5C */
	uint32_t mailbox[VLOCAL_CORES][VLOCAL_MAILBOXES];
	bool vtimer_line[VLOCAL_CORES]; /* as last passed to vlocal_irq_pending */
};

/* intc may be NULL (no GPU interrupt ever, e.g. in tests). */
void vlocal_init(struct vlocal *l, const struct vintc *intc);

enum mmio_result vlocal_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
enum mmio_result vlocal_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);

/*
 * Whether core's IRQ input is high, given the GPU interrupt controller's
 * IRQ output and the core's virtual-timer line (CNTV_CTL_EL0.ISTATUS set and
 * IMASK clear). Records vtimer_line for the source registers. A core number
 * >= VLOCAL_CORES has no interrupts.
 */
bool vlocal_irq_pending(struct vlocal *l, unsigned int core, bool gpu_irq, bool vtimer_line);
/*
 * Both answers of vlocal_irq_pending at once, without recording anything:
 * VLOCAL_IRQ_WITHOUT_VTIMER if core's IRQ input is high with its
 * virtual-timer line low, VLOCAL_IRQ_WITH_VTIMER if it is high with that
 * line high. The sources are worked out once: the timer only adds one.
 */
#define VLOCAL_IRQ_WITHOUT_VTIMER 1U
#define VLOCAL_IRQ_WITH_VTIMER	  2U
uint8_t vlocal_irq_inputs(const struct vlocal *l, unsigned int core, bool gpu_irq);
/* The CNTV bit of a core's IRQ source register. */
#define VLOCAL_SOURCE_CNTV (1U << 3)
/* The core whose IRQ source register (0x60 + 4n) is at offset, or -1 for any other register. */
int vlocal_irq_source_core(uint64_t offset);
/* The same for the core's FIQ input, given the controller's FIQ output. */
bool vlocal_fiq_pending(struct vlocal *l, unsigned int core, bool gpu_fiq, bool vtimer_line);
