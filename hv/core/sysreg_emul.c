#include "core/sysreg_emul.h"
#include "arch/arm64/sysreg.h"
#include "core/sched.h"
#include "core/vcpu.h"
#include "core/vdebug_hw.h"
#include "lib/printf.h"

/* ISS fields for EC 0x18 (Arm ARM D19.2, ESR_EL2, "ISS encoding for ... MSR, MRS"). */
#define ISS_OP0(iss)  (((iss) >> 20) & 3)
#define ISS_OP2(iss)  (((iss) >> 17) & 7)
#define ISS_OP1(iss)  (((iss) >> 14) & 7)
#define ISS_CRN(iss)  (((iss) >> 10) & 15)
#define ISS_RT(iss)   (((iss) >> 5) & 31)
#define ISS_CRM(iss)  (((iss) >> 1) & 15)
#define ISS_READ(iss) ((iss)&1) /* Direction: 1 = MRS */

#define SYSREG(op0, op1, crn, crm, op2)                                                            \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

#define REG_REVIDR_EL1	      SYSREG(3, 0, 0, 0, 6)
#define REG_AIDR_EL1	      SYSREG(3, 1, 0, 0, 7)
#define REG_CTR_EL0	      SYSREG(3, 3, 0, 0, 1)
#define REG_CCSIDR_EL1	      SYSREG(3, 1, 0, 0, 0)
#define REG_CLIDR_EL1	      SYSREG(3, 1, 0, 0, 1)
#define REG_CSSELR_EL1	      SYSREG(3, 2, 0, 0, 0)
#define REG_ACTLR_EL1	      SYSREG(3, 0, 1, 0, 1)
#define REG_MDSCR_EL1	      SYSREG(2, 0, 0, 2, 2)
#define REG_DBGAUTHSTATUS_EL1 SYSREG(2, 0, 7, 14, 6)
#define OP0_DEBUG	      2

/* ID_AA64PFR0_EL1 fields hidden from guests: EL2 [11:8] and EL3 [15:12]. */
#define PFR0_EL2_EL3_MASK 0xff00UL
/* ID_PFR1_EL1: Virtualization [15:12], Security [7:4] (AArch32 view of the same). */
#define PFR1_VIRT_SEC_MASK 0xf0f0UL
/*
 * ID_AA64DFR0_EL1: PMUVer [11:8] and TraceVer [7:4] read 0 — a VM has no
 * PMU (MDCR_EL2.TPM) and no trace unit; ID_DFR0_EL1 PerfMon [27:24], the
 * AArch32 view of the PMU, likewise.
 */
#define DFR0_PMU_TRACE_MASK 0xff0UL
#define DFR0_AA32_PERFMON   0xf000000UL

/* The ID register space op0=3, op1=0, CRn=0, CRm=1..7, op2=0..7 (D12.3.1: reserved ones read 0). */
uint64_t sysreg_id_space[SYSREG_ID_SPACE_ENTRIES];
static uint64_t revidr, aidr, ctr, clidr;

#define ID_READ(crm, op2)                                                                          \
	case ((crm)-SYSREG_ID_SPACE_CRM_FIRST) * 8 + (op2):                                        \
		return read_sysreg(S3_0_C0_C##crm##_##op2)
#define ID_READ_ROW(crm)                                                                           \
	ID_READ(crm, 0);                                                                           \
	ID_READ(crm, 1);                                                                           \
	ID_READ(crm, 2);                                                                           \
	ID_READ(crm, 3);                                                                           \
	ID_READ(crm, 4);                                                                           \
	ID_READ(crm, 5);                                                                           \
	ID_READ(crm, 6);                                                                           \
	ID_READ(crm, 7)

/* MRS needs the register name at assembly time: one case per encoding. */
static uint64_t read_id_register(unsigned int index)
{
	switch (index) {
		ID_READ_ROW(1);
		ID_READ_ROW(2);
		ID_READ_ROW(3);
		ID_READ_ROW(4);
		ID_READ_ROW(5);
		ID_READ_ROW(6);
		ID_READ_ROW(7);
	default:
		return 0;
	}
}

void sysreg_emul_init(void)
{
	for (unsigned int i = 0; i < SYSREG_ID_SPACE_ENTRIES; i++)
		sysreg_id_space[i] = read_id_register(i);
	/* ID_AA64PFR0_EL1 is CRm=4, op2=0; ID_PFR1_EL1 is CRm=1, op2=1. */
	sysreg_id_space[(4 - SYSREG_ID_SPACE_CRM_FIRST) * 8 + 0] &= ~PFR0_EL2_EL3_MASK;
	sysreg_id_space[(1 - SYSREG_ID_SPACE_CRM_FIRST) * 8 + 1] &= ~PFR1_VIRT_SEC_MASK;
	/* ID_AA64DFR0_EL1 is CRm=5, op2=0; ID_DFR0_EL1 is CRm=1, op2=2. */
	sysreg_id_space[(5 - SYSREG_ID_SPACE_CRM_FIRST) * 8 + 0] &= ~DFR0_PMU_TRACE_MASK;
	sysreg_id_space[(1 - SYSREG_ID_SPACE_CRM_FIRST) * 8 + 2] &= ~DFR0_AA32_PERFMON;
	revidr = read_sysreg(revidr_el1);
	aidr = read_sysreg(aidr_el1);
	ctr = read_sysreg(ctr_el0);
	clidr = read_sysreg(clidr_el1);
}

static uint64_t read_ccsidr(const struct vcpu *v)
{
	/* CCSIDR_EL1 describes the cache CSSELR_EL1 selects: select the guest's choice first. */
	write_sysreg(csselr_el1, v->csselr_el1);
	isb();
	return read_sysreg(ccsidr_el1);
}

static bool emulate_read(struct vcpu *v, uint32_t reg, uint64_t *value)
{
	unsigned int crm = (reg >> 3) & 15;

	if ((reg & ~SYSREG(0, 0, 0, 15, 7)) == SYSREG(3, 0, 0, 0, 0) &&
	    crm >= SYSREG_ID_SPACE_CRM_FIRST && crm <= 7) {
		*value = sysreg_id_space[(crm - SYSREG_ID_SPACE_CRM_FIRST) * 8 + (reg & 7)];
		return true;
	}
	switch (reg) {
	case REG_REVIDR_EL1:
		*value = revidr;
		return true;
	case REG_AIDR_EL1:
		*value = aidr;
		return true;
	case REG_CTR_EL0:
		*value = ctr;
		return true;
	case REG_CLIDR_EL1:
		*value = clidr;
		return true;
	case REG_CCSIDR_EL1:
		*value = read_ccsidr(v);
		return true;
	case REG_CSSELR_EL1:
		*value = v->csselr_el1;
		return true;
	case REG_ACTLR_EL1:
		*value = v->actlr_el1;
		return true;
	default:
		return false;
	}
}

static bool emulate_write(struct vcpu *v, uint32_t reg, uint64_t value)
{
	switch (reg) {
	case REG_CSSELR_EL1:
		/* Level [3:1] and InD [0]; TnD and the rest are RES0 on the A53. */
		v->csselr_el1 = value & 0xf;
		return true;
	case REG_ACTLR_EL1:
		/* Implementation defined and shared with nothing: keep the guest's value, touch no
		 * hardware. */
		v->actlr_el1 = value;
		return true;
	default:
		return false;
	}
}

/*
 * The debug registers (op0 = 2), all trapped by MDCR_EL2.TDA/TDOSA/TDRA.
 * MDSCR_EL1 is switched with the vCPU (context.c), so the running vCPU's
 * value is in the hardware: only the bits a guest may set are written.
 * DBGAUTHSTATUS_EL1 is fixed by the core. The rest is the vCPU's own copy.
 */
static bool emulate_debug(struct vcpu *v, uint32_t reg, bool read, uint64_t *value)
{
	bool changed = false;

	if (reg == REG_MDSCR_EL1) {
		if (read)
			*value = read_sysreg(mdscr_el1);
		else
			write_sysreg(mdscr_el1, vdebug_sanitize_mdscr(*value));
		return true;
	}
	if (reg == REG_DBGAUTHSTATUS_EL1) {
		if (read)
			*value = read_sysreg(dbgauthstatus_el1);
		return read;
	}
	if (!vdebug_access(&v->debug, &vdebug_hw_limits, reg, read, value, &changed))
		return false;
	if (changed)
		sched_debug_changed(v);
	return true;
}

bool sysreg_emulate(struct vcpu *v, struct trap_frame *frame, uint32_t iss)
{
	uint32_t reg = SYSREG(ISS_OP0(iss), ISS_OP1(iss), ISS_CRN(iss), ISS_CRM(iss), ISS_OP2(iss));
	unsigned int rt = ISS_RT(iss);
	uint64_t value = 0;

	if (sysreg_read_id_space(frame, iss))
		return true;
	if (ISS_OP0(iss) == OP0_DEBUG) {
		value = rt == 31 ? 0 : frame->x[rt];
		if (!emulate_debug(v, reg, ISS_READ(iss), &value))
			return false;
		if (ISS_READ(iss) && rt != 31)
			frame->x[rt] = value;
	} else if (ISS_READ(iss)) {
		if (!emulate_read(v, reg, &value))
			return false;
		if (rt != 31)
			frame->x[rt] = value;
	} else {
		if (!emulate_write(v, reg, rt == 31 ? 0 : frame->x[rt]))
			return false;
	}
	frame->elr += 4;
	return true;
}

void sysreg_describe(uint32_t iss, char *buf, unsigned int size)
{
	fmt_snprintf(buf, size, "%s S%u_%u_C%u_C%u_%u", ISS_READ(iss) ? "MRS" : "MSR", ISS_OP0(iss),
		     ISS_OP1(iss), ISS_CRN(iss), ISS_CRM(iss), ISS_OP2(iss));
}
