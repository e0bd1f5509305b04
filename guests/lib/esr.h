#pragma once
/*
 * Decoding ESR_EL1, the Exception Syndrome Register (Arm ARM, ESR_EL1):
 * EC, bits [31:26], says what kind of exception it was; for aborts the ISS
 * holds the fault status code (DFSC/IFSC, bits [5:0]) and, for data aborts,
 * WnR (bit 6): the access was a write.
 */
#include <stdbool.h>
#include <stdint.h>

#define ESR_EC(esr) ((unsigned int)((esr) >> 26) & 0x3F)

enum esr_class {
	EC_UNKNOWN = 0x00,    /* e.g. an undefined instruction */
	EC_WFX = 0x01,	      /* WFI/WFE trapped (SCTLR_EL1.nTWI/nTWE) */
	EC_SVC64 = 0x15,      /* SVC from AArch64 */
	EC_HVC64 = 0x16,      /* HVC from AArch64 */
	EC_SMC64 = 0x17,      /* SMC from AArch64 */
	EC_SYSREG = 0x18,     /* MSR/MRS/system instruction trapped */
	EC_IABT_LOWER = 0x20, /* instruction abort from EL0 */
	EC_IABT_CUR = 0x21,   /* instruction abort at EL1 */
	EC_PC_ALIGN = 0x22,   /* misaligned PC */
	EC_DABT_LOWER = 0x24, /* data abort from EL0 */
	EC_DABT_CUR = 0x25,   /* data abort at EL1 */
	EC_SP_ALIGN = 0x26,   /* misaligned SP */
	EC_SERROR = 0x2F,
	EC_BRK64 = 0x3C, /* BRK instruction */
};

/* A short name of the exception class, e.g. "data abort from EL0". */
const char *esr_class_name(uint64_t esr);

/* For instruction and data aborts: the fault status code's name, e.g. "translation fault". */
const char *esr_fault_name(uint64_t esr);

/* The translation table level of the fault, or -1 if the fault status has none. */
int esr_fault_level(uint64_t esr);

/* For data aborts: ISS.WnR, the faulting access was a write. */
static inline bool esr_is_write(uint64_t esr)
{
	return (esr >> 6) & 1;
}
