#include "arch/arm64/abort.h"

/* ISS fields of a data abort (Arm ARM D19.2, ESR_EL2, "ISS encoding for a Data Abort"). */
#define ISS_ISV	      (1U << 24)
#define ISS_SAS_SHIFT 22
#define ISS_SSE	      (1U << 21)
#define ISS_SRT_SHIFT 16
#define ISS_SF	      (1U << 15)
#define ISS_S1PTW     (1U << 7)
#define ISS_WNR	      (1U << 6)

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

bool data_abort_decode(uint64_t esr, uint64_t far, uint64_t hpfar, struct data_abort *out)
{
	uint32_t iss = (uint32_t)(esr & 0x1ffffff);

	out->ipa = ((hpfar >> 4) << 12 & 0x000ffffffffff000UL) | (far & 0xfff);
	out->stage1_walk = iss & ISS_S1PTW;
	out->write = iss & ISS_WNR;
	if (!(iss & ISS_ISV)) {
		out->size = 0;
		out->reg = 0;
		out->sign_extend = false;
		out->reg64 = false;
		return false;
	}
	out->size = 1U << ((iss >> ISS_SAS_SHIFT) & 3);
	out->sign_extend = iss & ISS_SSE;
	out->reg = (iss >> ISS_SRT_SHIFT) & 31;
	out->reg64 = iss & ISS_SF;
	return true;
}

uint64_t data_abort_load_value(const struct data_abort *da, uint64_t raw)
{
	uint64_t value = raw & size_mask(da->size);

	if (da->sign_extend && da->size < 8) {
		uint64_t sign = 1UL << (8 * da->size - 1);
		value = (value ^ sign) - sign;
	}
	if (!da->reg64)
		value &= 0xffffffffUL;
	return value;
}

uint64_t data_abort_store_value(const struct data_abort *da, const uint64_t regs[31])
{
	uint64_t value = da->reg == 31 ? 0 : regs[da->reg];

	return value & size_mask(da->size);
}
