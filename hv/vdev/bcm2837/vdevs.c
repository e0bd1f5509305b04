/*
 * One VM's BCM2837 device models, put together (see vdevs.h).
 */
#include "vdev/bcm2837/vdevs.h"
#include "vdev/vdev_host.h"

#include <stddef.h>

void bcm2837_vdevs_init(struct bcm2837_vdevs *d, struct vm *vm)
{
	d->vm = vm;
	d->irq_lines = 0;
	d->arm_irq_lines = 0;
	d->irq_changed = true;
	vintc_init(&d->intc, &d->irq_lines, &d->arm_irq_lines);
	vaux_init(&d->aux, vm);
	vsystimer_init(&d->systimer, vm);
	vgpio_init(&d->gpio);
	vmailbox_init(&d->mailbox, vm, &d->arm_irq_lines);
	vlocal_init(&d->local, &d->intc);
	vpm_init(&d->pm, vm);
}

/*
 * The local controller's source registers show each core's virtual timer
 * line as it is at the moment of the read: the guest re-arms CNTV without
 * trapping, so a remembered level would be stale.
 */
static enum mmio_result local_read(void *opaque, uint64_t offset, unsigned int size,
				   uint64_t *value)
{
	struct bcm2837_vdevs *d = opaque;
	enum mmio_result result;
	int core;

	for (core = 0; core < VLOCAL_CORES; core++)
		d->local.vtimer_line[core] = vdev_vtimer_line(d->vm, core);
	result = vlocal_read(&d->local, offset, size, value);
	/*
	 * Reading its IRQ source register is how a guest learns that its timer
	 * interrupted: from then on it is handling that interrupt (see
	 * vdev_vtimer_taken), and its IRQ input is evaluated again.
	 */
	core = vlocal_irq_source_core(offset);
	if (result == MMIO_HANDLED && core >= 0 && (*value & VLOCAL_SOURCE_CNTV)) {
		vdev_vtimer_taken(d->vm, (unsigned int)core);
		d->irq_changed = true;
	}
	return result;
}

/* Routing, timer control and local mailboxes all decide what reaches a core. */
static enum mmio_result local_write(void *opaque, uint64_t offset, unsigned int size,
				    uint64_t value)
{
	struct bcm2837_vdevs *d = opaque;

	d->irq_changed = true;
	return vlocal_write(&d->local, offset, size, value);
}

/* Enables and the FIQ control change the controller's output without moving a line. */
static enum mmio_result intc_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	struct bcm2837_vdevs *d = opaque;

	d->irq_changed = true;
	return vintc_write(&d->intc, offset, size, value);
}

static enum mmio_result intc_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	struct bcm2837_vdevs *d = opaque;

	return vintc_read(&d->intc, offset, size, value);
}

/* The mailbox drives its ARM line itself: reading MAIL0 or writing MAIL1 can move it. */
static enum mmio_result mailbox_read(void *opaque, uint64_t offset, unsigned int size,
				     uint64_t *value)
{
	struct bcm2837_vdevs *d = opaque;

	d->irq_changed = true;
	return vmailbox_read(&d->mailbox, offset, size, value);
}

static enum mmio_result mailbox_write(void *opaque, uint64_t offset, unsigned int size,
				      uint64_t value)
{
	struct bcm2837_vdevs *d = opaque;

	d->irq_changed = true;
	return vmailbox_write(&d->mailbox, offset, size, value);
}

bool bcm2837_vdevs_register(struct bcm2837_vdevs *d, struct mmio_bus *bus)
{
	const struct mmio_region regions[] = {
	    {.name = "intc",
	     .base = VINTC_BASE,
	     .size = VINTC_SIZE,
	     .read = intc_read,
	     .write = intc_write,
	     .opaque = d},
	    {.name = "aux",
	     .base = VAUX_BASE,
	     .size = VAUX_SIZE,
	     .read = vaux_read,
	     .write = vaux_write,
	     .opaque = &d->aux,
	     .read_unlocked = vaux_read_status},
	    {.name = "systimer",
	     .base = VSYSTIMER_BASE,
	     .size = VSYSTIMER_SIZE,
	     .read = vsystimer_read,
	     .write = vsystimer_write,
	     .opaque = &d->systimer,
	     .read_unlocked = vsystimer_read_clock},
	    {.name = "gpio",
	     .base = VGPIO_BASE,
	     .size = VGPIO_SIZE,
	     .read = vgpio_read,
	     .write = vgpio_write,
	     .opaque = &d->gpio},
	    {.name = "mailbox",
	     .base = VMAILBOX_BASE,
	     .size = VMAILBOX_SIZE,
	     .read = mailbox_read,
	     .write = mailbox_write,
	     .opaque = d},
	    {.name = "local",
	     .base = VLOCAL_BASE,
	     .size = VLOCAL_SIZE,
	     .read = local_read,
	     .write = local_write,
	     .opaque = d},
	    {.name = "pm",
	     .base = VPM_BASE,
	     .size = VPM_SIZE,
	     .read = vpm_read,
	     .write = vpm_write,
	     .opaque = &d->pm},
	};

	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		if (!mmio_register(bus, &regions[i]))
			return false;
	}
	return true;
}

uint64_t bcm2837_vdevs_poll_timers(struct bcm2837_vdevs *d, uint64_t now_us)
{
	uint64_t timer = vsystimer_poll(&d->systimer, now_us);
	uint64_t uart = vaux_poll(&d->aux, now_us);

	return timer < uart ? timer : uart;
}

uint8_t bcm2837_vdevs_irq_inputs(struct bcm2837_vdevs *d, unsigned int vcpu)
{
	return vlocal_irq_inputs(&d->local, vcpu, vintc_irq_asserted(&d->intc));
}

bool bcm2837_vdevs_fiq_pending(struct bcm2837_vdevs *d, unsigned int vcpu, bool vtimer_line)
{
	return vlocal_fiq_pending(&d->local, vcpu, vintc_fiq_asserted(&d->intc), vtimer_line);
}

void bcm2837_vdevs_console_input(struct bcm2837_vdevs *d)
{
	vaux_input_changed(&d->aux);
}
