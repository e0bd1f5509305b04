/*
 * BCM2836 local interrupt controller model (QA7 document §4, "Register
 * map", and its per-register sections). See local_intc.h for what raises
 * which interrupt.
 */
#include "vdev/bcm2837/local_intc.h"

#include "vdev/bcm2837/intc.h"
#include "vdev/vdev_access.h"

#define REG_CONTROL		0x00
#define REG_PRESCALER		0x08
#define REG_GPU_ROUTING		0x0c
#define REG_PMU_ROUTING_SET	0x10
#define REG_PMU_ROUTING_CLEAR	0x14
#define REG_CORE_TIMER_LS	0x1c
#define REG_CORE_TIMER_MS	0x20
#define REG_LOCAL_ROUTING	0x24
#define REG_AXI_COUNTERS	0x2c
#define REG_AXI_IRQ		0x30
#define REG_LOCAL_TIMER_CONTROL 0x34
#define REG_LOCAL_TIMER_FLAGS	0x38
#define REG_TIMER_CONTROL_0	0x40
#define REG_MAILBOX_CONTROL_0	0x50
#define REG_IRQ_SOURCE_0	0x60
#define REG_FIQ_SOURCE_0	0x70
#define REG_MAILBOX_SET_0	0x80 /* write-set: 0x80 + 16 * core + 4 * mailbox */
#define REG_MAILBOX_CLEAR_0	0xc0 /* read / write-clear: 0xC0 + 16 * core + 4 * mailbox */
#define PER_CORE_BANK		0x10 /* each per-core register group holds 4 words */

#define CONTROL_MASK	   0x300U      /* bit 8 increment by 2, bit 9 clock source */
#define GPU_ROUTING_MASK   0xfU	       /* bits 1:0 IRQ core, bits 3:2 FIQ core */
#define PMU_ROUTING_MASK   0xffU       /* bits 3:0 IRQ per core, bits 7:4 FIQ per core */
#define LOCAL_ROUTING_MASK 0x7U	       /* bits 2:0: core and IRQ/FIQ */
#define AXI_COUNTERS_MASK  0x000fffffU /* bits 19:0: read and write timeouts */
#define AXI_IRQ_MASK	   0x001fffffU /* bit 20 enable, bits 19:0 timeout */
#define LOCAL_TIMER_MASK   0x3fffffffU /* bits 27:0 reload, 28 enable, 29 interrupt enable */
#define CONTROL_8BIT_MASK  0xffU       /* timer and mailbox interrupt control */

/* Timer interrupt control (QA7 §4.6): bit 3 CNTV IRQ, bit 7 CNTV FIQ. */
#define TIMER_CNTV_IRQ_BIT 3U
#define TIMER_CNTV_FIQ_BIT 7U
/* Mailbox interrupt control (QA7 §4.7): bit m IRQ, bit 4 + m FIQ. */
#define MAILBOX_FIQ_SHIFT 4

/* Interrupt source bits (QA7 §4.10). */
#define SOURCE_CNTV	     VLOCAL_SOURCE_CNTV
#define SOURCE_MAILBOX_SHIFT 4
#define SOURCE_GPU	     (1U << 8)

#define GPU_IRQ_CORE(routing) ((routing)&3U)
#define GPU_FIQ_CORE(routing) (((routing) >> 2) & 3U)

void vlocal_init(struct vlocal *l, const struct vintc *intc)
{
	/* Every register 0: GPU interrupts go to core 0, nothing else is routed. */
	*l = (struct vlocal){.intc = intc};
}

/*
 * Whether a timer or mailbox interrupt with these control bits reaches the
 * core's FIQ input (fiq true) or its IRQ input (fiq false). With both
 * enables set it goes to the FIQ only (QA7 §4.6, §4.7).
 */
static bool routed_to(uint32_t control, unsigned int irq_bit, unsigned int fiq_bit, bool fiq)
{
	if (control & (1U << fiq_bit))
		return fiq;
	return !fiq && (control & (1U << irq_bit));
}

/* The source bits of one core's IRQ input (fiq false) or FIQ input (fiq true). */
static uint32_t sources(const struct vlocal *l, unsigned int core, bool fiq, bool gpu,
			bool vtimer_line)
{
	unsigned int gpu_core = fiq ? GPU_FIQ_CORE(l->gpu_routing) : GPU_IRQ_CORE(l->gpu_routing);
	uint32_t value = 0;

	if (vtimer_line &&
	    routed_to(l->timer_control[core], TIMER_CNTV_IRQ_BIT, TIMER_CNTV_FIQ_BIT, fiq))
		value |= SOURCE_CNTV;
	/* Most guests route no mailbox anywhere (QA7 §4.7: bits 3:0 IRQ, 7:4 FIQ). */
	for (unsigned int mb = 0; (l->mailbox_control[core] & 0xff) && mb < VLOCAL_MAILBOXES;
	     mb++) {
		if (l->mailbox[core][mb] != 0 &&
		    routed_to(l->mailbox_control[core], mb, mb + MAILBOX_FIQ_SHIFT, fiq))
			value |= 1U << (SOURCE_MAILBOX_SHIFT + mb);
	}
	if (gpu && gpu_core == core)
		value |= SOURCE_GPU;
	return value;
}

int vlocal_irq_source_core(uint64_t offset)
{
	if (offset < REG_IRQ_SOURCE_0 || offset >= REG_IRQ_SOURCE_0 + PER_CORE_BANK || offset % 4)
		return -1;
	return (int)((offset - REG_IRQ_SOURCE_0) / 4);
}

bool vlocal_irq_pending(struct vlocal *l, unsigned int core, bool gpu_irq, bool vtimer_line)
{
	if (core >= VLOCAL_CORES)
		return false;
	l->vtimer_line[core] = vtimer_line;
	return sources(l, core, false, gpu_irq, vtimer_line) != 0;
}

uint8_t vlocal_irq_inputs(const struct vlocal *l, unsigned int core, bool gpu_irq)
{
	if (core >= VLOCAL_CORES)
		return 0;
	if (sources(l, core, false, gpu_irq, false))
		return VLOCAL_IRQ_WITHOUT_VTIMER | VLOCAL_IRQ_WITH_VTIMER;
	if (routed_to(l->timer_control[core], TIMER_CNTV_IRQ_BIT, TIMER_CNTV_FIQ_BIT, false))
		return VLOCAL_IRQ_WITH_VTIMER;
	return 0;
}

bool vlocal_fiq_pending(struct vlocal *l, unsigned int core, bool gpu_fiq, bool vtimer_line)
{
	if (core >= VLOCAL_CORES)
		return false;
	l->vtimer_line[core] = vtimer_line;
	return sources(l, core, true, gpu_fiq, vtimer_line) != 0;
}

static bool gpu_irq(const struct vlocal *l)
{
	return l->intc && vintc_irq_asserted(l->intc);
}

static bool gpu_fiq(const struct vlocal *l)
{
	return l->intc && vintc_fiq_asserted(l->intc);
}

/* Which core, and which mailbox of it, a register in a per-core bank is for. */
static unsigned int bank_core(uint64_t offset, uint64_t first)
{
	return (unsigned int)((offset - first) / PER_CORE_BANK);
}

static unsigned int bank_mailbox(uint64_t offset)
{
	return (unsigned int)(offset % PER_CORE_BANK) / 4;
}

static bool in_range(uint64_t offset, uint64_t first, uint64_t bytes)
{
	return offset >= first && offset < first + bytes;
}

/* The per-core registers from 0x40 on; false if offset is not one. */
static bool read_per_core(const struct vlocal *l, uint64_t offset, uint32_t *value)
{
	unsigned int core = (unsigned int)(offset % PER_CORE_BANK) / 4;

	if (in_range(offset, REG_TIMER_CONTROL_0, PER_CORE_BANK))
		*value = l->timer_control[core];
	else if (in_range(offset, REG_MAILBOX_CONTROL_0, PER_CORE_BANK))
		*value = l->mailbox_control[core];
	else if (in_range(offset, REG_IRQ_SOURCE_0, PER_CORE_BANK))
		*value = sources(l, core, false, gpu_irq(l), l->vtimer_line[core]);
	else if (in_range(offset, REG_FIQ_SOURCE_0, PER_CORE_BANK))
		*value = sources(l, core, true, gpu_fiq(l), l->vtimer_line[core]);
	else if (in_range(offset, REG_MAILBOX_SET_0, 4 * PER_CORE_BANK))
		*value = 0; /* write-only */
	else if (in_range(offset, REG_MAILBOX_CLEAR_0, 4 * PER_CORE_BANK))
		*value = l->mailbox[bank_core(offset, REG_MAILBOX_CLEAR_0)][bank_mailbox(offset)];
	else
		return false;
	return true;
}

static bool write_per_core(struct vlocal *l, uint64_t offset, uint32_t value)
{
	unsigned int core = (unsigned int)(offset % PER_CORE_BANK) / 4;

	if (in_range(offset, REG_TIMER_CONTROL_0, PER_CORE_BANK)) {
		l->timer_control[core] = value & CONTROL_8BIT_MASK;
		return true;
	}
	if (in_range(offset, REG_MAILBOX_CONTROL_0, PER_CORE_BANK)) {
		l->mailbox_control[core] = value & CONTROL_8BIT_MASK;
		return true;
	}
	if (in_range(offset, REG_MAILBOX_SET_0, 4 * PER_CORE_BANK)) {
		l->mailbox[bank_core(offset, REG_MAILBOX_SET_0)][bank_mailbox(offset)] |= value;
		return true;
	}
	if (in_range(offset, REG_MAILBOX_CLEAR_0, 4 * PER_CORE_BANK)) {
		l->mailbox[bank_core(offset, REG_MAILBOX_CLEAR_0)][bank_mailbox(offset)] &= ~value;
		return true;
	}
	/* The IRQ and FIQ source registers are read-only. */
	return in_range(offset, REG_IRQ_SOURCE_0, 2 * PER_CORE_BANK);
}

static enum mmio_result read_register(void *opaque, uint64_t offset, uint32_t *value)
{
	const struct vlocal *l = opaque;

	switch (offset) {
	case REG_CONTROL:
		*value = l->control;
		break;
	case REG_PRESCALER:
		*value = l->prescaler;
		break;
	case REG_GPU_ROUTING:
		*value = l->gpu_routing;
		break;
	case REG_PMU_ROUTING_SET:
	case REG_PMU_ROUTING_CLEAR:
		*value = l->pmu_routing;
		break;
	/*
	 * The 64-bit core timer feeds every core's generic counter; the VM's
	 * counter is its virtual counter (CNTVCT_EL0, with the hypervisor's
	 * offset), which this page cannot show consistently, so it reads 0.
	 */
	case REG_CORE_TIMER_LS:
	case REG_CORE_TIMER_MS:
	case REG_LOCAL_TIMER_FLAGS: /* write-only */
		*value = 0;
		break;
	case REG_LOCAL_ROUTING:
		*value = l->local_routing;
		break;
	case REG_AXI_COUNTERS:
		*value = l->axi_counters;
		break;
	case REG_AXI_IRQ:
		*value = l->axi_irq;
		break;
	case REG_LOCAL_TIMER_CONTROL: /* bit 31 (interrupt flag) stays 0: the timer does not run */
		*value = l->local_timer;
		break;
	default:
		return read_per_core(l, offset, value) ? MMIO_HANDLED : MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

static enum mmio_result write_register(void *opaque, uint64_t offset, uint32_t value)
{
	struct vlocal *l = opaque;

	switch (offset) {
	case REG_CONTROL:
		l->control = value & CONTROL_MASK;
		break;
	case REG_PRESCALER:
		l->prescaler = value;
		break;
	case REG_GPU_ROUTING:
		l->gpu_routing = value & GPU_ROUTING_MASK;
		break;
	case REG_PMU_ROUTING_SET:
		l->pmu_routing |= value & PMU_ROUTING_MASK;
		break;
	case REG_PMU_ROUTING_CLEAR:
		l->pmu_routing &= ~value;
		break;
	case REG_CORE_TIMER_LS:
	case REG_CORE_TIMER_MS:
		break; /* the VM may not set the shared counter */
	case REG_LOCAL_ROUTING:
		l->local_routing = value & LOCAL_ROUTING_MASK;
		break;
	case REG_AXI_COUNTERS:
		l->axi_counters = value & AXI_COUNTERS_MASK;
		break;
	case REG_AXI_IRQ:
		l->axi_irq = value & AXI_IRQ_MASK;
		break;
	case REG_LOCAL_TIMER_CONTROL:
		l->local_timer = value & LOCAL_TIMER_MASK;
		break;
	case REG_LOCAL_TIMER_FLAGS:
		break; /* clear/reload: the timer does not run, nothing to do */
	default:
		return write_per_core(l, offset, value) ? MMIO_HANDLED : MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

static const struct vdev_registers registers = {
    .read = read_register,
    .write = write_register,
    .min_size = 4,
};

enum mmio_result vlocal_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	return vdev_read(&registers, opaque, offset, size, value);
}

enum mmio_result vlocal_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	return vdev_write(&registers, opaque, offset, size, value);
}
