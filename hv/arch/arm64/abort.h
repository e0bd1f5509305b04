#pragma once
/*
 * Decoding a data abort taken to EL2 (ESR_EL2.EC = 0x24) into the access
 * the guest attempted, for MMIO emulation. Pure: unit-tested on the host.
 */
#include <stdbool.h>
#include <stdint.h>

struct data_abort {
	uint64_t ipa;	   /* faulting intermediate physical address */
	unsigned int size; /* 1, 2, 4 or 8 bytes */
	unsigned int reg;  /* transfer register Xt; 31 is XZR (reads discard, writes store 0) */
	bool write;	   /* WnR */
	bool sign_extend;  /* SSE: a load sign-extends to the register width */
	bool reg64;	   /* SF: Xt is a 64-bit register (else Wt) */
	bool stage1_walk;  /* S1PTW: the fault was on the guest's own page table walk */
};

/*
 * Returns false when ESR_EL2.ISS.ISV is 0: the instruction (e.g. a load
 * pair or a write-back form) cannot be emulated from the syndrome alone.
 * The IPA comes from HPFAR_EL2.FIPA (bits [43:4] = IPA[51:12]) plus the
 * page offset from FAR_EL2. It is filled in even when ISV is 0.
 */
bool data_abort_decode(uint64_t esr, uint64_t far, uint64_t hpfar, struct data_abort *out);

/* The value a load writes to Xt: sign-extended per SSE and cut to 32 bits for Wt. */
uint64_t data_abort_load_value(const struct data_abort *da, uint64_t raw);

/* The value a store writes: Xt (0 for XZR) cut to the access size. */
uint64_t data_abort_store_value(const struct data_abort *da, const uint64_t regs[31]);
