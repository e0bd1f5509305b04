#include "arch/arm64/context.h"
#include "arch/arm64/sysreg.h"

void el1_sysregs_save(struct el1_sysregs *r)
{
	/* Stop the timer first, so it cannot fire for this vCPU while another runs. */
	r->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	r->cntv_cval_el0 = read_sysreg(cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, 0);

	r->sctlr_el1 = read_sysreg(sctlr_el1);
	r->cpacr_el1 = read_sysreg(cpacr_el1);
	r->ttbr0_el1 = read_sysreg(ttbr0_el1);
	r->ttbr1_el1 = read_sysreg(ttbr1_el1);
	r->tcr_el1 = read_sysreg(tcr_el1);
	r->mair_el1 = read_sysreg(mair_el1);
	r->amair_el1 = read_sysreg(amair_el1);
	r->vbar_el1 = read_sysreg(vbar_el1);
	r->contextidr_el1 = read_sysreg(contextidr_el1);
	r->esr_el1 = read_sysreg(esr_el1);
	r->far_el1 = read_sysreg(far_el1);
	r->afsr0_el1 = read_sysreg(afsr0_el1);
	r->afsr1_el1 = read_sysreg(afsr1_el1);
	r->par_el1 = read_sysreg(par_el1);
	r->tpidr_el0 = read_sysreg(tpidr_el0);
	r->tpidrro_el0 = read_sysreg(tpidrro_el0);
	r->tpidr_el1 = read_sysreg(tpidr_el1);
	r->sp_el0 = read_sysreg(sp_el0);
	r->sp_el1 = read_sysreg(sp_el1);
	r->elr_el1 = read_sysreg(elr_el1);
	r->spsr_el1 = read_sysreg(spsr_el1);
	r->cntkctl_el1 = read_sysreg(cntkctl_el1);
	r->mdscr_el1 = read_sysreg(mdscr_el1);
}

void el1_sysregs_restore(const struct el1_sysregs *r)
{
	write_sysreg(sctlr_el1, r->sctlr_el1);
	write_sysreg(cpacr_el1, r->cpacr_el1);
	write_sysreg(ttbr0_el1, r->ttbr0_el1);
	write_sysreg(ttbr1_el1, r->ttbr1_el1);
	write_sysreg(tcr_el1, r->tcr_el1);
	write_sysreg(mair_el1, r->mair_el1);
	write_sysreg(amair_el1, r->amair_el1);
	write_sysreg(vbar_el1, r->vbar_el1);
	write_sysreg(contextidr_el1, r->contextidr_el1);
	write_sysreg(esr_el1, r->esr_el1);
	write_sysreg(far_el1, r->far_el1);
	write_sysreg(afsr0_el1, r->afsr0_el1);
	write_sysreg(afsr1_el1, r->afsr1_el1);
	write_sysreg(par_el1, r->par_el1);
	write_sysreg(tpidr_el0, r->tpidr_el0);
	write_sysreg(tpidrro_el0, r->tpidrro_el0);
	write_sysreg(tpidr_el1, r->tpidr_el1);
	write_sysreg(sp_el0, r->sp_el0);
	write_sysreg(sp_el1, r->sp_el1);
	write_sysreg(elr_el1, r->elr_el1);
	write_sysreg(spsr_el1, r->spsr_el1);
	write_sysreg(cntkctl_el1, r->cntkctl_el1);
	write_sysreg(mdscr_el1, r->mdscr_el1);
	write_sysreg(cntv_cval_el0, r->cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, r->cntv_ctl_el0);
}
