/*
 * libFuzzer target for the syndrome decoders: the MMIO data abort decoder
 * (hv/arch/arm64/abort.h) and the ESR describer (hv/arch/arm64/esr.c).
 *
 * The input is four little-endian 64-bit values, zero-padded if short:
 * ESR_EL2, FAR_EL2, HPFAR_EL2 and the raw value an MMIO load returns (which
 * also seeds the guest's registers for a store).
 *
 * Checked, against the Arm ARM's field layout re-derived here:
 *   - data_abort_decode returns ISS.ISV, depends only on the ISS, and gives
 *     the IPA from HPFAR.FIPA with the page offset of FAR; with ISV a size of
 *     1, 2, 4 or 8 (1 << SAS), a register 0-31 (SRT), and SSE, SF, WnR,
 *     S1PTW as the bits say;
 *   - a load's value is the raw value cut to the access size, sign-extended
 *     per SSE to the register width, and fits a W register when SF is 0;
 *   - a store's value is the whole register (0 for XZR): the MMIO handlers
 *     keep the bytes the access carries (core/mmio.h);
 *   - esr_class_name is never NULL, a non-empty string, and depends only on
 *     EC; esr_fault_status_name is NULL exactly for non-abort classes and a
 *     non-empty string otherwise, depending only on EC and the fault status
 *     code; esr_fault_level is -1 or 0-3 as the fault status code says.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/abort.h"
#include "arch/arm64/esr.h"

#define NAME_MAX_LEN 200 /* longer than any name: a string without its NUL shows up */

static void fail(const char *what, uint64_t esr)
{
	fprintf(stderr, "fuzz_abort: %s (esr 0x%016llx)\n", what, (unsigned long long)esr);
	abort();
}

static uint64_t le64(const uint8_t *data, size_t size, size_t at)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8 && at + i < size; i++)
		v |= (uint64_t)data[at + i] << (8 * i);
	return v;
}

static bool is_name(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strnlen(s, NAME_MAX_LEN);
	return n > 0 && n < NAME_MAX_LEN;
}

static bool is_abort_class(unsigned int ec)
{
	return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
}

static void check_esr(uint64_t esr)
{
	unsigned int ec = (unsigned int)(esr >> 26) & 0x3f, fsc = (unsigned int)esr & 0x3f;
	const char *name = esr_class_name(esr);
	const char *status = esr_fault_status_name(esr);
	int level = esr_fault_level(esr);

	if (esr_ec(esr) != ec || esr_iss(esr) != (esr & 0x1ffffff))
		fail("esr_ec or esr_iss picks the wrong bits", esr);
	if (!is_name(name))
		fail("esr_class_name: NULL, empty or unterminated", esr);
	if (esr_class_name((uint64_t)ec << 26) != name)
		fail("esr_class_name depends on more than EC", esr);
	if (!is_abort_class(ec)) {
		if (status != NULL || level != -1)
			fail("a fault status or level for a class that is not an abort", esr);
		return;
	}
	if (!is_name(status))
		fail("esr_fault_status_name: NULL, empty or unterminated for an abort", esr);
	if (esr_fault_status_name((uint64_t)ec << 26 | fsc) != status)
		fail("esr_fault_status_name depends on more than EC and the status code", esr);
	if (fsc < 0x10 || (fsc >= 0x14 && fsc <= 0x17)) {
		if (level != (int)(fsc & 3))
			fail("esr_fault_level is not the level the status code names", esr);
	} else if (level != -1) {
		fail("esr_fault_level gives a level the status code does not name", esr);
	}
}

/* What a load of the access's size gives, sign-extended to 64 bits and cut for a W register. */
static uint64_t expected_load(const struct data_abort *da, uint64_t raw)
{
	uint64_t v;

	switch (da->size) {
	case 1:
		v = da->sign_extend ? (uint64_t)(int64_t)(int8_t)raw : (uint8_t)raw;
		break;
	case 2:
		v = da->sign_extend ? (uint64_t)(int64_t)(int16_t)raw : (uint16_t)raw;
		break;
	case 4:
		v = da->sign_extend ? (uint64_t)(int64_t)(int32_t)raw : (uint32_t)raw;
		break;
	default:
		v = raw;
		break;
	}
	return da->reg64 ? v : (uint32_t)v;
}

static void check_abort(uint64_t esr, uint64_t far, uint64_t hpfar, uint64_t raw)
{
	uint32_t iss = (uint32_t)esr & 0x1ffffff;
	bool isv = iss >> 24 & 1;
	struct data_abort da, again;
	uint64_t regs[31], value;
	bool valid;

	memset(&da, 0x5a, sizeof(da));
	memset(&again, 0xa5, sizeof(again));
	valid = data_abort_decode(esr, far, hpfar, &da);
	data_abort_decode(iss, far, hpfar, &again);
	if (valid != isv)
		fail("data_abort_decode does not return ISV", esr);
	if (da.ipa != again.ipa || da.size != again.size || da.reg != again.reg ||
	    da.write != again.write || da.sign_extend != again.sign_extend ||
	    da.reg64 != again.reg64 || da.stage1_walk != again.stage1_walk)
		fail("data_abort_decode depends on more than the ISS", esr);
	if ((da.ipa & 0xfff) != (far & 0xfff) || da.ipa >> 52 != 0 ||
	    da.ipa >> 12 != ((hpfar >> 4) & ((1ULL << 40) - 1)))
		fail("the IPA is not HPFAR.FIPA with FAR's page offset", esr);
	if (da.write != (iss >> 6 & 1) || da.stage1_walk != (iss >> 7 & 1))
		fail("WnR or S1PTW wrong", esr);
	if (!valid) {
		if (da.size != 0 || da.reg != 0 || da.sign_extend || da.reg64)
			fail("fields left over without ISV", esr);
		return;
	}
	if (da.size != 1U << (iss >> 22 & 3) || da.reg > 31 || da.reg != (iss >> 16 & 31) ||
	    da.sign_extend != (iss >> 21 & 1) || da.reg64 != (iss >> 15 & 1))
		fail("SAS, SRT, SSE or SF decoded wrong", esr);

	/*
	 * A model answers with the access's bytes, zero-extended (core/mmio.h).
	 * No load moves 8 bytes into a W register (SAS = 3 with SF clear): no
	 * instruction has that syndrome, and the trap does not cut for it.
	 */
	if (da.size < 8)
		raw &= (1ULL << (8 * da.size)) - 1;
	value = data_abort_load_value(da.iss, raw);
	if ((da.size < 8 || da.reg64) &&
	    (value != expected_load(&da, raw) || (!da.reg64 && value >> 32)))
		fail("the load value is not the model's answer extended to the register", esr);

	for (unsigned int i = 0; i < 31; i++)
		regs[i] = raw * (i + 1) ^ (0x0101010101010101ULL * i);
	value = data_abort_store_value(da.iss, regs);
	if (value != (da.reg == 31 ? 0 : regs[da.reg]))
		fail("the store value is not the source register", esr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t esr = le64(data, size, 0), far = le64(data, size, 8);
	uint64_t hpfar = le64(data, size, 16), raw = le64(data, size, 24);

	check_esr(esr);
	check_abort(esr, far, hpfar, raw);
	/* The same syndrome as a data abort from a lower EL, the class MMIO emulation sees. */
	check_esr((esr & ~(0x3fULL << 26)) | 0x24ULL << 26);
	return 0;
}
