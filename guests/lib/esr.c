/*
 * Names for the exception syndromes a guest reports, so a fault message
 * reads "data abort from EL0 (translation fault, level 1)" instead of a
 * bare number. Encodings: the Arm ARM's ESR_EL1 description, tables of EC values
 * and of DFSC/IFSC values.
 */
#include "lib/esr.h"

#include <stddef.h>

struct ec_name {
	unsigned int ec;
	const char *name;
};

static const struct ec_name ec_names[] = {
    {EC_UNKNOWN, "undefined instruction"},
    {EC_WFX, "trapped WFI/WFE"},
    {EC_SVC64, "SVC"},
    {EC_HVC64, "HVC"},
    {EC_SMC64, "SMC"},
    {EC_SYSREG, "trapped system register access"},
    {EC_IABT_LOWER, "instruction abort from EL0"},
    {EC_IABT_CUR, "instruction abort at EL1"},
    {EC_PC_ALIGN, "PC alignment fault"},
    {EC_DABT_LOWER, "data abort from EL0"},
    {EC_DABT_CUR, "data abort at EL1"},
    {EC_SP_ALIGN, "SP alignment fault"},
    {EC_SERROR, "SError"},
    {EC_BRK64, "BRK"},
};

const char *esr_class_name(uint64_t esr)
{
	unsigned int ec = ESR_EC(esr);

	for (size_t i = 0; i < sizeof(ec_names) / sizeof(ec_names[0]); i++) {
		if (ec_names[i].ec == ec)
			return ec_names[i].name;
	}
	return "unknown exception class";
}

static bool is_abort(uint64_t esr)
{
	unsigned int ec = ESR_EC(esr);

	return ec == EC_IABT_LOWER || ec == EC_IABT_CUR || ec == EC_DABT_LOWER || ec == EC_DABT_CUR;
}

/* DFSC/IFSC, ISS bits [5:0]. */
static unsigned int fault_status(uint64_t esr)
{
	return (unsigned int)esr & 0x3F;
}

const char *esr_fault_name(uint64_t esr)
{
	unsigned int fsc = fault_status(esr);

	if (!is_abort(esr))
		return "not an abort";
	/* 0b00TTLL: type TT at translation level LL. */
	switch (fsc >> 2) {
	case 0:
		return "address size fault";
	case 1:
		return "translation fault";
	case 2:
		return "access flag fault";
	case 3:
		return "permission fault";
	default:
		break;
	}
	switch (fsc) {
	case 0x10:
		return "synchronous external abort";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	default:
		return "other fault";
	}
}

int esr_fault_level(uint64_t esr)
{
	unsigned int fsc = fault_status(esr);

	if (!is_abort(esr) || fsc >= 0x10)
		return -1;
	return (int)(fsc & 3);
}
