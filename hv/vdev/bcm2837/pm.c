#include "vdev/bcm2837/pm.h"
#include "vdev/vdev_access.h"
#include "vdev/vdev_host.h"

#define REG_RSTC 0x1c
#define REG_RSTS 0x20
#define REG_WDOG 0x24

/* Every write must carry the password in bits 31:24, or it is ignored. */
#define PM_PASSWORD	 0x5a000000U
#define PM_PASSWORD_MASK 0xff000000U
/* PM_RSTC.WRCFG (bits 5:4): 0b10 = full reset when the watchdog expires. */
#define RSTC_WRCFG_MASK 0x30U
#define RSTC_FULL_RESET 0x20U
/* PM_RSTS partition bits (the even bits 0-10): 63 means "halt" (Linux power-off). */
#define RSTS_PARTITION_MASK 0x555U
#define RSTS_PARTITION_HALT 0x555U

void vpm_init(struct vpm *p, struct vm *vm)
{
	*p = (struct vpm){.vm = vm};
}

static enum mmio_result pm_reg_read(void *dev, uint64_t offset, uint32_t *value)
{
	struct vpm *p = dev;

	switch (offset) {
	case REG_RSTC:
		*value = p->rstc;
		return MMIO_HANDLED;
	case REG_RSTS:
		*value = p->rsts;
		return MMIO_HANDLED;
	case REG_WDOG:
		*value = p->wdog;
		return MMIO_HANDLED;
	default:
		return MMIO_UNHANDLED;
	}
}

/*
 * The watchdog would fire after PM_WDOG ticks; guests set it to a few ticks
 * and wait, so the VM is reset at once. The reset itself happens outside this
 * access (the core restarts the VM from its files on the next reschedule).
 */
static void write_rstc(struct vpm *p, uint32_t value)
{
	p->rstc = value & ~PM_PASSWORD_MASK;
	if ((value & RSTC_WRCFG_MASK) == RSTC_FULL_RESET) {
		p->resets_requested++;
		vdev_request_reset(p->vm, (p->rsts & RSTS_PARTITION_MASK) == RSTS_PARTITION_HALT);
	}
}

static enum mmio_result pm_reg_write(void *dev, uint64_t offset, uint32_t value)
{
	struct vpm *p = dev;

	if ((value & PM_PASSWORD_MASK) != PM_PASSWORD)
		return offset <= REG_WDOG ? MMIO_HANDLED
					  : MMIO_UNHANDLED; /* ignored, as on the SoC */
	switch (offset) {
	case REG_RSTC:
		write_rstc(p, value);
		return MMIO_HANDLED;
	case REG_RSTS:
		p->rsts = value & ~PM_PASSWORD_MASK;
		return MMIO_HANDLED;
	case REG_WDOG:
		p->wdog = value & 0xfffffU;
		return MMIO_HANDLED;
	default:
		return MMIO_UNHANDLED;
	}
}

static const struct vdev_registers pm_registers = {
    .read = pm_reg_read,
    .write = pm_reg_write,
    .min_size = 4,
};

enum mmio_result vpm_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	return vdev_read(&pm_registers, opaque, offset, size, value);
}

enum mmio_result vpm_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	return vdev_write(&pm_registers, opaque, offset, size, value);
}
