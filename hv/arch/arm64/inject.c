#include "arch/arm64/inject.h"
#include "arch/arm64/sysreg.h"

/* ESR_IL (bit 25, a 32-bit instruction) comes from sysreg.h. */
#define ESR_EL1_UNKNOWN_IL  ESR_IL /* EC 0: unknown reason */
#define EC_INSN_ABORT_LOWER 0x20
#define EC_INSN_ABORT_SAME  0x21
#define EC_DATA_ABORT_LOWER 0x24
#define EC_DATA_ABORT_SAME  0x25
#define FSC_SYNC_EXTERNAL   0x10UL /* DFSC/IFSC: synchronous external abort */
#define ISS_WNR		    (1UL << 6)

/* VBAR_EL1 offsets of the synchronous entries (Arm ARM D1.10.2). */
#define VECTOR_CURRENT_SP0 0x000
#define VECTOR_CURRENT_SPX 0x200
#define VECTOR_LOWER_A64   0x400
#define VECTOR_LOWER_A32   0x600

#define SPSR_MODE_MASK 0xfUL
#define SPSR_NRW       (1UL << 4) /* the interrupted state was AArch32 */
#define MODE_EL1T      0x4UL
#define MODE_EL1H      0x5UL

static uint64_t sync_vector_offset(uint64_t spsr)
{
	if (spsr & SPSR_NRW)
		return VECTOR_LOWER_A32;
	switch (spsr & SPSR_MODE_MASK) {
	case MODE_EL1T:
		return VECTOR_CURRENT_SP0;
	case MODE_EL1H:
		return VECTOR_CURRENT_SPX;
	default:
		return VECTOR_LOWER_A64;
	}
}

static bool from_el0(uint64_t spsr)
{
	return (spsr & SPSR_NRW) || (spsr & SPSR_MODE_MASK) == 0;
}

/* Exception entry to EL1 with syndrome `esr`, as the core would do it (Arm ARM D1.10.3). */
static void enter_el1(struct trap_frame *frame, uint64_t esr)
{
	write_sysreg(esr_el1, esr);
	write_sysreg(elr_el1, frame->elr);
	write_sysreg(spsr_el1, frame->spsr);
	frame->elr = read_sysreg(vbar_el1) + sync_vector_offset(frame->spsr);
	/* EL1h, with D, A, I, F masked. */
	frame->spsr = SPSR_DAIF_MASKED | SPSR_EL1H;
}

void inject_undefined(struct trap_frame *frame)
{
	enter_el1(frame, ESR_EL1_UNKNOWN_IL);
}

void inject_data_abort(struct trap_frame *frame, uint64_t far, bool write)
{
	unsigned int ec = from_el0(frame->spsr) ? EC_DATA_ABORT_LOWER : EC_DATA_ABORT_SAME;
	uint64_t esr = ((uint64_t)ec << 26) | ESR_IL | FSC_SYNC_EXTERNAL | (write ? ISS_WNR : 0);

	write_sysreg(far_el1, far);
	enter_el1(frame, esr);
}

void inject_instruction_abort(struct trap_frame *frame, uint64_t far)
{
	unsigned int ec = from_el0(frame->spsr) ? EC_INSN_ABORT_LOWER : EC_INSN_ABORT_SAME;

	write_sysreg(far_el1, far);
	enter_el1(frame, ((uint64_t)ec << 26) | ESR_IL | FSC_SYNC_EXTERNAL);
}
