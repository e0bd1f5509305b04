#pragma once
/*
 * Decoding of ESR_ELx (Exception Syndrome Register) into words, for crash
 * reports and for the one-line report when a guest is stopped. Pure
 * functions: unit-tested on the host.
 */
#include <stdint.h>

/* ESR_ELx.EC values (Arm ARM D19.2, "ESR_EL2, Exception Syndrome Register"). */
enum esr_ec {
	EC_UNKNOWN = 0x00,
	EC_WFX = 0x01,
	EC_FP_SIMD = 0x07,
	EC_ILLEGAL_STATE = 0x0e,
	EC_SVC64 = 0x15,
	EC_HVC64 = 0x16,
	EC_SMC64 = 0x17,
	EC_SYSREG = 0x18,
	EC_IABT_LOWER = 0x20,
	EC_IABT_SAME = 0x21,
	EC_PC_ALIGN = 0x22,
	EC_DABT_LOWER = 0x24,
	EC_DABT_SAME = 0x25,
	EC_SP_ALIGN = 0x26,
	EC_SERROR = 0x2f,
	EC_BRK64 = 0x3c,
};

static inline unsigned int esr_ec(uint64_t esr)
{
	return (unsigned int)(esr >> 26) & 0x3f;
}

static inline uint32_t esr_iss(uint64_t esr)
{
	return (uint32_t)(esr & 0x1ffffff);
}

/* A short English name of the exception class, e.g. "data abort from a lower EL". */
const char *esr_class_name(uint64_t esr);

/*
 * For instruction and data aborts: the fault status code (ISS.IFSC/DFSC)
 * in words, e.g. "translation fault". NULL for other classes.
 */
const char *esr_fault_status_name(uint64_t esr);

/* The translation table level (0-3) an abort's fault status names, or -1. */
int esr_fault_level(uint64_t esr);
