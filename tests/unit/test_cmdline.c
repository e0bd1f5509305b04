/*
 * Unit tests for hv/lib/cmdline.c.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "lib/cmdline.h"

/* Splits a copy of text and checks the words against the NULL-terminated list. */
static void check_split(const char *text, const char *const *expect)
{
	char line[256];
	char *argv[CMDLINE_MAX_ARGS];
	int expect_argc = 0;

	while (expect[expect_argc])
		expect_argc++;
	strcpy(line, text);
	assert_int_equal(cmdline_split(line, argv, CMDLINE_MAX_ARGS), expect_argc);
	for (int i = 0; i < expect_argc; i++) {
		assert_string_equal(argv[i], expect[i]);
		/* Every word lives inside the line buffer (split in place). */
		assert_true(argv[i] >= line && argv[i] < line + sizeof(line));
	}
}

#define CHECK_SPLIT(text, ...)                                                                     \
	do {                                                                                       \
		static const char *const expect_[] = {__VA_ARGS__, NULL};                          \
		check_split(text, expect_);                                                        \
	} while (0)

static void check_split_none(const char *text)
{
	static const char *const none[] = {NULL};

	check_split(text, none);
}

static void test_split_words(void **state)
{
	(void)state;
	CHECK_SPLIT("help", "help");
	CHECK_SPLIT("vmc 1", "vmc", "1");
	CHECK_SPLIT("vmld linux.bin 0x80000 0x80000", "vmld", "linux.bin", "0x80000", "0x80000");
	CHECK_SPLIT("  leading", "leading");
	CHECK_SPLIT("trailing   ", "trailing");
	CHECK_SPLIT("a\tb \t c", "a", "b", "c");
	CHECK_SPLIT("\t x \t", "x");
	CHECK_SPLIT("a  b", "a", "b");
}

static void test_split_empty(void **state)
{
	(void)state;
	check_split_none("");
	check_split_none("   ");
	check_split_none("\t\t \t");
}

static void test_split_quotes(void **state)
{
	(void)state;
	CHECK_SPLIT("vmld \"my image.bin\" 0x80000", "vmld", "my image.bin", "0x80000");
	CHECK_SPLIT("\"a b\"", "a b");
	CHECK_SPLIT("\"  spaced  \"", "  spaced  ");
	CHECK_SPLIT("\"tab\there\"", "tab\there");
	/* Quotes can sit inside a word and glue pieces together. */
	CHECK_SPLIT("ab\"c d\"ef g", "abc def", "g");
	CHECK_SPLIT("\"a\"\"b\"", "ab");
	/* "" is an empty word, not nothing. */
	CHECK_SPLIT("echo \"\" x", "echo", "", "x");
	CHECK_SPLIT("\"\"", "");
	CHECK_SPLIT("a \"\"", "a", "");
}

static void test_split_unterminated_quote(void **state)
{
	(void)state;
	char lines[3][32] = {"say \"hello", "\"", "a b \"c d"};
	char *argv[CMDLINE_MAX_ARGS];

	for (int i = 0; i < 3; i++)
		assert_int_equal(cmdline_split(lines[i], argv, CMDLINE_MAX_ARGS),
				 CMDLINE_ERR_QUOTE);
}

static void test_split_argument_limit(void **state)
{
	(void)state;
	char line[256];
	char *argv[CMDLINE_MAX_ARGS + 1];

	/* Exactly CMDLINE_MAX_ARGS words fit. */
	strcpy(line, "0 1 2 3 4 5 6 7 8 9 a b c d e f");
	assert_int_equal(cmdline_split(line, argv, CMDLINE_MAX_ARGS), CMDLINE_MAX_ARGS);
	assert_string_equal(argv[15], "f");

	/* One more is an error, and argv[max_args] is never written. */
	strcpy(line, "0 1 2 3 4 5 6 7 8 9 a b c d e f g");
	argv[CMDLINE_MAX_ARGS] = (char *)0x1234;
	assert_int_equal(cmdline_split(line, argv, CMDLINE_MAX_ARGS), CMDLINE_ERR_TOO_MANY);
	assert_ptr_equal(argv[CMDLINE_MAX_ARGS], (char *)0x1234);

	/* Trailing blanks after the last allowed word are not a word. */
	strcpy(line, "a b   ");
	assert_int_equal(cmdline_split(line, argv, 2), 2);

	/* Small limits. */
	strcpy(line, "a b");
	assert_int_equal(cmdline_split(line, argv, 1), CMDLINE_ERR_TOO_MANY);
	strcpy(line, "a");
	assert_int_equal(cmdline_split(line, argv, 1), 1);
	strcpy(line, "a");
	assert_int_equal(cmdline_split(line, argv, 0), CMDLINE_ERR_TOO_MANY);
	strcpy(line, "  ");
	assert_int_equal(cmdline_split(line, argv, 0), 0);
}

static void test_split_is_in_place(void **state)
{
	(void)state;
	char line[] = "vmc  2";
	char *argv[CMDLINE_MAX_ARGS];

	assert_int_equal(cmdline_split(line, argv, CMDLINE_MAX_ARGS), 2);
	assert_ptr_equal(argv[0], line);
	assert_ptr_equal(argv[1], line + 5);
	assert_int_equal(line[3], '\0');
}

static void check_u64(const char *s, uint64_t expect)
{
	uint64_t v = 0xdeadbeef;

	assert_true(cmdline_parse_u64(s, &v));
	assert_int_equal(v, expect);
}

static void check_u64_rejected(const char *s)
{
	uint64_t v = 0xdeadbeef;

	assert_false(cmdline_parse_u64(s, &v));
	/* A rejected string leaves the output alone. */
	assert_int_equal(v, 0xdeadbeef);
}

static void test_parse_decimal(void **state)
{
	(void)state;
	check_u64("0", 0);
	check_u64("1", 1);
	check_u64("42", 42);
	check_u64("007", 7); /* leading zeros are decimal, not octal */
	check_u64("4294967296", 4294967296ull);
	check_u64("18446744073709551615", UINT64_MAX);
	check_u64("000000000000000000000018446744073709551615", UINT64_MAX);
}

static void test_parse_hex(void **state)
{
	(void)state;
	check_u64("0x0", 0);
	check_u64("0x80000", 0x80000);
	check_u64("0X80000", 0x80000);
	check_u64("0xdeadBEEF", 0xdeadbeef);
	check_u64("0xffffffffffffffff", UINT64_MAX);
	check_u64("0xFFFFFFFFFFFFFFFF", UINT64_MAX);
	check_u64("0x0000000000000000ffffffffffffffff", UINT64_MAX);
	check_u64("0x123456789abcdef0", 0x123456789abcdef0ull);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	check_u64_rejected(NULL);
	check_u64_rejected("");
	check_u64_rejected("0x");
	check_u64_rejected("0X");
	check_u64_rejected("x10");
	check_u64_rejected("-1");
	check_u64_rejected("+1");
	check_u64_rejected(" 1");
	check_u64_rejected("1 ");
	check_u64_rejected("12abc");
	check_u64_rejected("0x12g");
	check_u64_rejected("abc");
	check_u64_rejected("0x-1");
	check_u64_rejected("0x 1");
	check_u64_rejected("0x0x1");
	check_u64_rejected("1.5");
	check_u64_rejected("0b101");
	check_u64_rejected("0o17");
}

static void test_parse_rejects_overflow(void **state)
{
	(void)state;
	check_u64_rejected("18446744073709551616");
	check_u64_rejected("18446744073709551620");
	check_u64_rejected("99999999999999999999");
	check_u64_rejected("184467440737095516150");
	check_u64_rejected("0x10000000000000000");
	check_u64_rejected("0xffffffffffffffff0");
}

static void check_hex(const char *s, uint64_t expect)
{
	uint64_t v = 0xdeadbeef;

	assert_true(cmdline_parse_hex_u64(s, &v));
	assert_int_equal(v, expect);
}

/* Addresses are hex with 0x optional, as U-Boot and the original aVisor read them. */
static void test_parse_address(void **state)
{
	uint64_t v = 0xdeadbeef;

	(void)state;
	check_hex("80000", 0x80000);
	check_hex("0x80000", 0x80000);
	check_hex("0X80000", 0x80000);
	check_hex("10", 0x10);
	check_hex("DeadBeef", 0xdeadbeef);
	check_hex("ffffffffffffffff", UINT64_MAX);
	assert_false(cmdline_parse_hex_u64("", &v));
	assert_false(cmdline_parse_hex_u64("0x", &v));
	assert_false(cmdline_parse_hex_u64("80000g", &v));
	assert_false(cmdline_parse_hex_u64("10000000000000000", &v));
	assert_int_equal(v, 0xdeadbeef);
}

/* Too big is told apart from malformed, so an error can say which. */
static void test_parse_number_status(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(cmdline_parse_number("12", 10, &v), CMDLINE_NUMBER);
	assert_int_equal(v, 12);
	assert_int_equal(cmdline_parse_number("12", 16, &v), CMDLINE_NUMBER);
	assert_int_equal(v, 0x12);
	assert_int_equal(cmdline_parse_number("99999999999999999999", 10, &v), CMDLINE_TOO_BIG);
	assert_int_equal(cmdline_parse_number("0x10000000000000000", 10, &v), CMDLINE_TOO_BIG);
	assert_int_equal(cmdline_parse_number("99999999999999999999x", 10, &v),
			 CMDLINE_NOT_A_NUMBER);
	assert_int_equal(cmdline_parse_number("ab", 10, &v), CMDLINE_NOT_A_NUMBER);
	assert_int_equal(cmdline_parse_number("-1", 16, &v), CMDLINE_NOT_A_NUMBER);
	assert_int_equal(v, 0x12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_words),
	    cmocka_unit_test(test_split_empty),
	    cmocka_unit_test(test_split_quotes),
	    cmocka_unit_test(test_split_unterminated_quote),
	    cmocka_unit_test(test_split_argument_limit),
	    cmocka_unit_test(test_split_is_in_place),
	    cmocka_unit_test(test_parse_decimal),
	    cmocka_unit_test(test_parse_hex),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_parse_rejects_overflow),
	    cmocka_unit_test(test_parse_address),
	    cmocka_unit_test(test_parse_number_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
