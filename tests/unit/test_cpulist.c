/* Core lists (cpus=): parsing what users write, and showing masks back. */
#include "lib/cpulist.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static uint32_t parse_ok(const char *text)
{
	char problem[96] = "";
	uint32_t mask = 0xdead;

	assert_true(cpulist_parse(text, 4, &mask, problem, sizeof(problem)));
	return mask;
}

static void test_parses_single_cores_ranges_and_lists(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("2"), 0x4);
	assert_int_equal(parse_ok("0-3"), 0xf);
	assert_int_equal(parse_ok("1,3"), 0xa);
	assert_int_equal(parse_ok("0-1,3"), 0xb);
	assert_int_equal(parse_ok("3-3"), 0x8);
	/* Overlaps are allowed: a set, not a sequence. */
	assert_int_equal(parse_ok("0-2,1"), 0x7);
}

static void expect_problem(const char *text, const char *words)
{
	char problem[96] = "";
	uint32_t mask;

	assert_false(cpulist_parse(text, 4, &mask, problem, sizeof(problem)));
	assert_non_null(strstr(problem, words));
}

static void test_refuses_what_is_wrong_and_says_why(void **state)
{
	(void)state;
	expect_problem("", "expected a core number");
	expect_problem("4", "core 4 does not exist (cores are 0-3)");
	expect_problem("0-7", "core 7 does not exist");
	expect_problem("3-1", "range 3-1 runs backwards");
	expect_problem("1,", "expected a core number");
	expect_problem(",1", "expected a core number");
	expect_problem("1;2", "unexpected ';'");
	expect_problem("1-", "after '-'");
	expect_problem("x", "expected a core number");
	expect_problem("00001", "expected a core number");
}

static void format_is(uint32_t mask, const char *want)
{
	char buf[CPULIST_TEXT_MAX];

	cpulist_format(mask, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_formats_the_shortest_list(void **state)
{
	(void)state;
	format_is(0xf, "0-3");
	format_is(0xa, "1,3");
	format_is(0xb, "0-1,3");
	format_is(0x4, "2");
	format_is(0x0, "-");
}

static void test_format_and_parse_agree(void **state)
{
	(void)state;
	for (uint32_t mask = 1; mask < 16; mask++) {
		char buf[CPULIST_TEXT_MAX];

		cpulist_format(mask, buf, sizeof(buf));
		assert_int_equal(parse_ok(buf), mask);
	}
}

static void test_small_buffer_stays_terminated(void **state)
{
	char buf[3];

	(void)state;
	cpulist_format(0xa, buf, sizeof(buf));
	assert_int_equal(buf[sizeof(buf) - 1] == '\0' || strlen(buf) < sizeof(buf), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parses_single_cores_ranges_and_lists),
	    cmocka_unit_test(test_refuses_what_is_wrong_and_says_why),
	    cmocka_unit_test(test_formats_the_shortest_list),
	    cmocka_unit_test(test_format_and_parse_agree),
	    cmocka_unit_test(test_small_buffer_stays_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
