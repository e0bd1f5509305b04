#include "arch/arm64/esr.h"

#include <stddef.h>

struct ec_name {
	uint8_t ec;
	const char *name;
};

static const struct ec_name ec_names[] = {
    {0x00, "unknown reason (undefined instruction)"},
    {0x01, "WFI/WFE"},
    {0x03, "MCR/MRC coprocessor 15 access (AArch32)"},
    {0x04, "MCRR/MRRC coprocessor 15 access (AArch32)"},
    {0x05, "MCR/MRC coprocessor 14 access (AArch32)"},
    {0x06, "LDC/STC coprocessor 14 access (AArch32)"},
    {0x07, "FP/SIMD access trapped"},
    {0x0c, "MRRC coprocessor 14 access (AArch32)"},
    {0x0d, "branch target exception"},
    {0x0e, "illegal execution state"},
    {0x11, "SVC (AArch32)"},
    {0x12, "HVC (AArch32)"},
    {0x13, "SMC (AArch32)"},
    {0x15, "SVC"},
    {0x16, "HVC"},
    {0x17, "SMC"},
    {0x18, "MSR/MRS/system instruction trapped"},
    {0x19, "SVE access trapped"},
    {0x20, "instruction abort from a lower EL"},
    {0x21, "instruction abort at the same EL"},
    {0x22, "PC alignment fault"},
    {0x24, "data abort from a lower EL"},
    {0x25, "data abort at the same EL"},
    {0x26, "SP alignment fault"},
    {0x28, "FP exception (AArch32)"},
    {0x2c, "FP exception"},
    {0x2f, "SError interrupt"},
    {0x30, "breakpoint from a lower EL"},
    {0x31, "breakpoint at the same EL"},
    {0x32, "software step from a lower EL"},
    {0x33, "software step at the same EL"},
    {0x34, "watchpoint from a lower EL"},
    {0x35, "watchpoint at the same EL"},
    {0x38, "BKPT (AArch32)"},
    {0x3c, "BRK instruction"},
};

const char *esr_class_name(uint64_t esr)
{
	unsigned int ec = esr_ec(esr);

	for (size_t i = 0; i < sizeof(ec_names) / sizeof(ec_names[0]); i++) {
		if (ec_names[i].ec == ec)
			return ec_names[i].name;
	}
	return "reserved exception class";
}

static int is_abort(unsigned int ec)
{
	return ec == EC_IABT_LOWER || ec == EC_IABT_SAME || ec == EC_DABT_LOWER ||
	       ec == EC_DABT_SAME;
}

/* ISS.DFSC/IFSC bits [5:0]: for codes 0x00-0x0f, the kind in [5:2], the level in [1:0]. */
static const char *const level_fault_names[] = {
    [0x0] = "address size fault",
    [0x1] = "translation fault",
    [0x2] = "access flag fault",
    [0x3] = "permission fault",
};

static unsigned int fault_status_code(uint64_t esr)
{
	return esr_iss(esr) & 0x3f;
}

const char *esr_fault_status_name(uint64_t esr)
{
	unsigned int fsc = fault_status_code(esr);

	if (!is_abort(esr_ec(esr)))
		return NULL;
	if (fsc < 0x10)
		return level_fault_names[fsc >> 2];
	switch (fsc) {
	case 0x10:
		return "synchronous external abort";
	case 0x21:
		return "alignment fault";
	case 0x30:
		return "TLB conflict abort";
	default:
		if (fsc >= 0x14 && fsc <= 0x17)
			return "synchronous external abort on table walk";
		return "other fault";
	}
}

int esr_fault_level(uint64_t esr)
{
	unsigned int fsc = fault_status_code(esr);

	if (!is_abort(esr_ec(esr)))
		return -1;
	if (fsc < 0x10 || (fsc >= 0x14 && fsc <= 0x17))
		return (int)(fsc & 3);
	return -1;
}
