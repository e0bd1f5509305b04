#include "core/vcpu.h"
#include "arch/arm64/sysreg.h"
#include "core/sched.h"
#include "core/vm.h"
#include "lib/string.h"

/* SCTLR_EL1 reset value: RES1 bits set, MMU and caches off (Arm ARM D19.2, SCTLR_EL1). */
#define SCTLR_EL1_RESET 0x30d00800UL
/* CNTV_CTL_EL0 fields. */
#define CNTV_ENABLE  (1UL << 0)
#define CNTV_IMASK   (1UL << 1)
#define CNTV_ISTATUS (1UL << 2)

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	memset(&v->regs, 0, sizeof(v->regs));
	memset(&v->sys, 0, sizeof(v->sys));
	memset(&v->fp, 0, sizeof(v->fp));
	sched_forget_fp_simd(v);
	vdebug_reset(&v->debug);
	sched_forget_debug(v);
	v->regs.x[0] = arg;
	v->regs.elr = entry;
	/* Start in EL1h with D, A, I and F masked, as a core comes out of reset. */
	v->regs.spsr = SPSR_DAIF_MASKED | SPSR_EL1H;
	v->sys.sctlr_el1 = SCTLR_EL1_RESET;
	v->csselr_el1 = 0;
	v->actlr_el1 = 0;
	v->vtimer_taken = false;
}

bool vcpu_vtimer_line(const struct vcpu *v, bool running)
{
	uint64_t ctl, cval, now;

	if (running)
		ctl = read_sysreg(cntv_ctl_el0);
	else
		ctl = v->sys.cntv_ctl_el0;
	if (!(ctl & CNTV_ENABLE) || (ctl & CNTV_IMASK))
		return false;
	if (running)
		return ctl & CNTV_ISTATUS;
	/* Saved state: ISTATUS is stale, compare against the VM's virtual count now. */
	cval = v->sys.cntv_cval_el0;
	now = read_sysreg(cntpct_el0) - v->vm->cntvoff;
	return now >= cval;
}

bool vcpu_irq_pending(const struct vcpu *v, bool running)
{
	return vcpu_irq_input(v, vcpu_vtimer_line(v, running));
}
