#include "arch/arm64/inject.h"
#include "arch/arm64/sysreg.h"

#define ESR_EL1_UNKNOWN_IL (1UL << 25) /* EC 0, IL = 1: a 32-bit instruction */

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

void inject_undefined(struct trap_frame *frame)
{
	write_sysreg(esr_el1, ESR_EL1_UNKNOWN_IL);
	write_sysreg(elr_el1, frame->elr);
	write_sysreg(spsr_el1, frame->spsr);
	frame->elr = read_sysreg(vbar_el1) + sync_vector_offset(frame->spsr);
	/* Exception entry to EL1: EL1h, with D, A, I, F masked. */
	frame->spsr = SPSR_DAIF_MASKED | SPSR_EL1H;
}
