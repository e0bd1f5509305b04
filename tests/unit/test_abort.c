/* Unit tests of the data abort syndrome decoder used for MMIO emulation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/arm64/abort.h"

#define EC_DABT_LOWER (0x24UL << 26)
#define IL	      (1UL << 25)
#define ISV	      (1UL << 24)

static uint64_t iss(unsigned int sas, int sse, unsigned int srt, int sf, int wnr)
{
	return ISV | ((uint64_t)sas << 22) | ((uint64_t)(sse != 0) << 21) | ((uint64_t)srt << 16) |
	       ((uint64_t)(sf != 0) << 15) | ((uint64_t)(wnr != 0) << 6) | 0x07; /* DFSC level 3 */
}

static void test_ipa_from_hpfar_and_far(void **state)
{
	struct data_abort da;

	(void)state;
	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]; FAR gives the page offset. */
	assert_true(data_abort_decode(EC_DABT_LOWER | IL | iss(2, 0, 1, 0, 0), 0xffff000012345204,
				      0x3f2150UL, &da));
	assert_int_equal(da.ipa, 0x3f215204UL);
}

static void test_word_load(void **state)
{
	struct data_abort da;

	(void)state;
	/* ldr w3, [x0]: SAS=2 (4 bytes), SRT=3, SF=0, read. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(2, 0, 3, 0, 0), 0, 0, &da));
	assert_int_equal(da.size, 4);
	assert_int_equal(da.reg, 3);
	assert_false(da.write);
	assert_false(da.reg64);
	assert_false(da.sign_extend);
	/* The model answers the access's 4 bytes (core/mmio.h): the register gets them as they are.
	 */
	assert_int_equal(data_abort_load_value(da.iss, 0xcafef00dUL), 0xcafef00dUL);
}

static void test_sign_extending_loads(void **state)
{
	struct data_abort da;

	(void)state;
	/* ldrsb x5: SAS=0, SSE=1, SF=1. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(0, 1, 5, 1, 0), 0, 0, &da));
	assert_int_equal(data_abort_load_value(da.iss, 0x80), 0xffffffffffffff80UL);
	assert_int_equal(data_abort_load_value(da.iss, 0x7f), 0x7f);
	/* ldrsh w5: SAS=1, SSE=1, SF=0: extended to 32 bits only. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(1, 1, 5, 0, 0), 0, 0, &da));
	assert_int_equal(data_abort_load_value(da.iss, 0x8001), 0xffff8001UL);
	/* ldrsw x5: SAS=2, SSE=1, SF=1. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(2, 1, 5, 1, 0), 0, 0, &da));
	assert_int_equal(data_abort_load_value(da.iss, 0x80000000UL), 0xffffffff80000000UL);
	/* ldrb w5: no sign extension. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(0, 0, 5, 0, 0), 0, 0, &da));
	assert_int_equal(data_abort_load_value(da.iss, 0xff), 0xff);
	/* ldrsh x5 of 0x7fff: positive, nothing to extend. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(1, 1, 5, 1, 0), 0, 0, &da));
	assert_int_equal(data_abort_load_value(da.iss, 0x7fff), 0x7fff);
	/* ldrsb w5 of 0xff: -1 in 32 bits. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(0, 1, 5, 0, 0), 0, 0, &da));
	assert_int_equal(data_abort_load_value(da.iss, 0xff), 0xffffffffUL);
}

static void test_stores_and_xzr(void **state)
{
	struct data_abort da;
	uint64_t regs[31] = {0};

	(void)state;
	regs[7] = 0x1122334455667788UL;
	/* strh w7: 2 bytes of x7; the handler cuts the register to them (core/mmio.h). */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(1, 0, 7, 0, 1), 0, 0, &da));
	assert_true(da.write);
	assert_int_equal(da.size, 2);
	assert_int_equal(data_abort_store_value(da.iss, regs), 0x1122334455667788UL);
	/* str x7: all of it. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(3, 0, 7, 1, 1), 0, 0, &da));
	assert_int_equal(da.size, 8);
	assert_int_equal(data_abort_store_value(da.iss, regs), 0x1122334455667788UL);
	/* str wzr: register 31 is the zero register here, never SP. */
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(2, 0, 31, 0, 1), 0, 0, &da));
	assert_int_equal(da.reg, 31);
	assert_int_equal(data_abort_store_value(da.iss, regs), 0);
}

static void test_no_valid_syndrome(void **state)
{
	struct data_abort da;

	(void)state;
	/* ISV=0 (e.g. ldp): not decodable, but the address and direction are still known. */
	assert_false(data_abort_decode(EC_DABT_LOWER | (1UL << 6) | 0x07, 0x10, 0x3f0030UL, &da));
	assert_int_equal(da.ipa, 0x3f003010UL);
	assert_true(da.write);
}

static void test_stage1_walk_flag(void **state)
{
	struct data_abort da;

	(void)state;
	assert_true(data_abort_decode(EC_DABT_LOWER | iss(3, 0, 0, 1, 0) | (1UL << 7), 0, 0, &da));
	assert_true(da.stage1_walk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipa_from_hpfar_and_far), cmocka_unit_test(test_word_load),
	    cmocka_unit_test(test_sign_extending_loads),   cmocka_unit_test(test_stores_and_xzr),
	    cmocka_unit_test(test_no_valid_syndrome),	   cmocka_unit_test(test_stage1_walk_flag),
	};
	return cmocka_run_group_tests_name("abort", tests, NULL, NULL);
}
