/* Unit tests of the ESR_ELx decoder used by crash reports and VM stop reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/arm64/esr.h"

static uint64_t make_esr(unsigned int ec, uint32_t iss)
{
	return ((uint64_t)ec << 26) | (1UL << 25) | iss;
}

static void test_class_names(void **state)
{
	(void)state;
	assert_string_equal(esr_class_name(make_esr(0x16, 0)), "HVC");
	assert_string_equal(esr_class_name(make_esr(0x24, 0)), "data abort from a lower EL");
	assert_string_equal(esr_class_name(make_esr(0x25, 0)), "data abort at the same EL");
	assert_string_equal(esr_class_name(make_esr(0x18, 0)),
			    "MSR/MRS/system instruction trapped");
	assert_string_equal(esr_class_name(make_esr(0x00, 0)),
			    "unknown reason (undefined instruction)");
}

static void test_reserved_class(void **state)
{
	(void)state;
	assert_string_equal(esr_class_name(make_esr(0x3f, 0)), "reserved exception class");
	assert_string_equal(esr_class_name(make_esr(0x02, 0)), "reserved exception class");
}

static void test_fault_status_of_aborts(void **state)
{
	(void)state;
	/* DFSC 0b000110: translation fault, level 2. */
	assert_string_equal(esr_fault_status_name(make_esr(0x25, 0x46)), "translation fault");
	assert_int_equal(esr_fault_level(make_esr(0x25, 0x46)), 2);
	/* 0b001111: permission fault, level 3. */
	assert_string_equal(esr_fault_status_name(make_esr(0x24, 0x0f)), "permission fault");
	assert_int_equal(esr_fault_level(make_esr(0x24, 0x0f)), 3);
	/* 0b001001: access flag fault, level 1. */
	assert_string_equal(esr_fault_status_name(make_esr(0x20, 0x09)), "access flag fault");
	assert_int_equal(esr_fault_level(make_esr(0x20, 0x09)), 1);
	/* 0b100001: alignment fault, no level. */
	assert_string_equal(esr_fault_status_name(make_esr(0x21, 0x21)), "alignment fault");
	assert_int_equal(esr_fault_level(make_esr(0x21, 0x21)), -1);
	assert_string_equal(esr_fault_status_name(make_esr(0x25, 0x10)),
			    "synchronous external abort");
	assert_string_equal(esr_fault_status_name(make_esr(0x25, 0x15)),
			    "synchronous external abort on table walk");
	assert_int_equal(esr_fault_level(make_esr(0x25, 0x15)), 1);
	assert_string_equal(esr_fault_status_name(make_esr(0x25, 0x3d)), "other fault");
}

static void test_no_fault_status_for_other_classes(void **state)
{
	(void)state;
	assert_null(esr_fault_status_name(make_esr(0x16, 0x46)));
	assert_int_equal(esr_fault_level(make_esr(0x16, 0x46)), -1);
}

static void test_field_accessors(void **state)
{
	(void)state;
	assert_int_equal(esr_ec(0x97df8046UL), 0x25);
	assert_int_equal(esr_iss(0x97df8046UL), 0x1df8046);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_class_names),
	    cmocka_unit_test(test_reserved_class),
	    cmocka_unit_test(test_fault_status_of_aborts),
	    cmocka_unit_test(test_no_fault_status_for_other_classes),
	    cmocka_unit_test(test_field_accessors),
	};
	return cmocka_run_group_tests_name("esr", tests, NULL, NULL);
}
