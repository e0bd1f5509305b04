#pragma once
/*
 * Decoding a data abort taken to EL2 (ESR_EL2.EC = 0x24) into the access
 * the guest attempted, for MMIO emulation. Pure: unit-tested on the host.
 * Inline: every emulated device access decodes one, and the compiler then
 * keeps the fields in registers instead of a structure on the stack.
 */
#include <stdbool.h>
#include <stdint.h>

/* ISS fields of a data abort (Arm ARM D19.2, ESR_EL2, "ISS encoding for a Data Abort"). */
#define ISS_ISV	      (1U << 24)
#define ISS_SAS_SHIFT 22
#define ISS_SSE	      (1U << 21)
#define ISS_SRT_SHIFT 16
#define ISS_SF	      (1U << 15)
#define ISS_S1PTW     (1U << 7)
#define ISS_WNR	      (1U << 6)

struct data_abort {
	uint32_t iss;	   /* ESR_EL2.ISS, from which the fields below are decoded */
	uint64_t ipa;	   /* faulting intermediate physical address */
	unsigned int size; /* 1, 2, 4 or 8 bytes */
	unsigned int reg;  /* transfer register Xt; 31 is XZR (reads discard, writes store 0) */
	bool write;	   /* WnR */
	bool sign_extend;  /* SSE: a load sign-extends to the register width */
	bool reg64;	   /* SF: Xt is a 64-bit register (else Wt) */
	bool stage1_walk;  /* S1PTW: the fault was on the guest's own page table walk */
};

/*
 * The access's width and transfer register, straight from the ISS: the MMIO
 * path works them out again after the device model's call instead of
 * keeping decoded fields live across it (fewer callee-saved registers).
 */
static inline unsigned int iss_access_size(uint32_t iss)
{
	return 1U << ((iss >> ISS_SAS_SHIFT) & 3);
}

static inline unsigned int iss_transfer_reg(uint32_t iss)
{
	return (iss >> ISS_SRT_SHIFT) & 31;
}

/*
 * Returns false when ESR_EL2.ISS.ISV is 0: the instruction (e.g. a load
 * pair or a write-back form) cannot be emulated from the syndrome alone.
 * The IPA comes from HPFAR_EL2.FIPA (bits [43:4] = IPA[51:12]) plus the
 * page offset from FAR_EL2. It is filled in even when ISV is 0.
 */
static inline uint64_t data_abort_ipa(uint64_t far, uint64_t hpfar)
{
	return ((hpfar >> 4) << 12 & 0x000ffffffffff000UL) | (far & 0xfff);
}

static inline bool data_abort_decode(uint64_t esr, uint64_t far, uint64_t hpfar,
				     struct data_abort *out)
{
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);

	out->iss = iss;
	out->ipa = data_abort_ipa(far, hpfar);
	out->stage1_walk = iss & ISS_S1PTW;
	out->write = iss & ISS_WNR;
	if (!(iss & ISS_ISV)) {
		out->size = 0;
		out->reg = 0;
		out->sign_extend = false;
		out->reg64 = false;
		return false;
	}
	out->size = iss_access_size(iss);
	out->sign_extend = iss & ISS_SSE;
	out->reg = iss_transfer_reg(iss);
	out->reg64 = iss & ISS_SF;
	return true;
}

/* A sign-extending load (LDRSB, LDRSH, LDRSW: ISS.SSE): to 64 bits, cut to 32 for Wt (SF clear). */
static inline uint64_t data_abort_sign_extend(uint32_t iss, uint64_t value)
{
	unsigned int unused_bits = 64 - 8 * iss_access_size(iss);

	value = (uint64_t)((int64_t)(value << unused_bits) >> unused_bits);
	return (iss & ISS_SF) ? value : value & 0xffffffffUL;
}

/*
 * The value a load writes to Xt. The device models answer with the
 * access's bytes only, zero-extended (core/mmio.h), so a plain load takes
 * the answer as it is: a load into Wt is at most 4 bytes wide, and the
 * value then fits. Only a sign-extending load has work to do.
 */
static inline uint64_t data_abort_load_value(uint32_t iss, uint64_t value)
{
	if (__builtin_expect(iss & ISS_SSE, 0))
		return data_abort_sign_extend(iss, value);
	return value;
}

/*
 * The register a store writes from: Xt (0 for XZR), whole. The access
 * carries only its low bytes (ISS.SAS); the MMIO handlers take those
 * themselves (core/mmio.h), as they check the size anyway, so the common
 * path does not cut the value a second time.
 */
static inline uint64_t data_abort_store_value(uint32_t iss, const uint64_t regs[31])
{
	unsigned int reg = iss_transfer_reg(iss);

	return reg == 31 ? 0 : regs[reg];
}
