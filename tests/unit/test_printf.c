/*
 * Unit tests for hv/lib/printf.c.
 *
 * Wherever C defines the result, the output is compared with the host C
 * library's snprintf, both for a table of hand-picked cases and for every
 * combination of flags, width, precision, length and conversion over a set
 * of values. The deliberate differences from C (NULL pointers, unknown
 * conversions) are checked against fixed strings.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "lib/printf.h"

#define OUT_SIZE 512

static unsigned long compared;

static void compare_output(const char *call, const char *expect, int expect_len, const char *got,
			   int got_len)
{
	compared++;
	if (strcmp(expect, got) != 0 || expect_len != got_len) {
		print_error("%s\n  C library: \"%s\" (%d)\n  fmt:       \"%s\" (%d)\n", call,
			    expect, expect_len, got, got_len);
		fail();
	}
}

/* Formats the arguments with both snprintf and fmt_snprintf and compares. */
#define CHECK_C(...)                                                                               \
	do {                                                                                       \
		char expect_[OUT_SIZE], got_[OUT_SIZE];                                            \
		int expect_len_ = snprintf(expect_, sizeof(expect_), __VA_ARGS__);                 \
		int got_len_ = fmt_snprintf(got_, sizeof(got_), __VA_ARGS__);                      \
		compare_output(#__VA_ARGS__, expect_, expect_len_, got_, got_len_);                \
	} while (0)

/*
 * fmt_snprintf without the format attribute, for formats the compiler would
 * rightly reject (unknown conversions and the like).
 */
static int unchecked_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

#define CHECK_FIXED(expect, ...)                                                                   \
	do {                                                                                       \
		char got_[OUT_SIZE];                                                               \
		int got_len_ = unchecked_snprintf(got_, sizeof(got_), __VA_ARGS__);                \
		compare_output(#__VA_ARGS__, expect, (int)strlen(expect), got_, got_len_);         \
	} while (0)

/*
 * The same comparison with a format the compiler does not see, for
 * combinations it warns about although C defines them.
 */
static void check_c_int(const char *fmt, int v)
{
	char expect[OUT_SIZE], got[OUT_SIZE];
	int expect_len = snprintf(expect, sizeof(expect), fmt, v);
	int got_len = unchecked_snprintf(got, sizeof(got), fmt, v);

	compare_output(fmt, expect, expect_len, got, got_len);
}

static void check_c_int_int(const char *fmt, int a, int b)
{
	char expect[OUT_SIZE], got[OUT_SIZE];
	int expect_len = snprintf(expect, sizeof(expect), fmt, a, b);
	int got_len = unchecked_snprintf(got, sizeof(got), fmt, a, b);

	compare_output(fmt, expect, expect_len, got, got_len);
}

static void test_plain_text(void **state)
{
	(void)state;
	CHECK_FIXED("", "");
	CHECK_C("hello, world");
	CHECK_C("tabs\tand\nnewlines\r\n");
	CHECK_C("100%%");
	CHECK_C("%%%%");
	CHECK_C("a%%b%%c");
}

static void test_signed_decimal(void **state)
{
	(void)state;
	CHECK_C("%d", 0);
	CHECK_C("%d", 1);
	CHECK_C("%d", -1);
	CHECK_C("%d", 42);
	CHECK_C("%i", -42);
	CHECK_C("%d", INT_MAX);
	CHECK_C("%d", INT_MIN);
	CHECK_C("%5d", 42);
	CHECK_C("%-5d|", 42);
	CHECK_C("%05d", 42);
	CHECK_C("%05d", -42);
	CHECK_C("%+d", 42);
	CHECK_C("%+d", -42);
	CHECK_C("%+d", 0);
	CHECK_C("% d", 42);
	CHECK_C("% d", -42);
	CHECK_C("% 05d", 42);
	CHECK_C("%+05d", 42);
	CHECK_C("%-+6d|", 42);
	CHECK_C("%.3d", 7);
	CHECK_C("%.3d", -7);
	CHECK_C("%.3d", 12345);
	CHECK_C("%8.3d", -7);
	CHECK_C("%-8.3d|", -7);
	check_c_int("%08.3d", 7); /* '0' is ignored with a precision */
	CHECK_C("%.0d", 0);
	CHECK_C("%5.0d|", 0);
	CHECK_C("%+.0d", 0);
	CHECK_C("% .0d", 0);
	CHECK_C("%.0d", 1);
	CHECK_C("%.d", 0);
	CHECK_C("%1d", 12345);
	CHECK_C("%20d", INT_MIN);
	CHECK_C("%-20d|", INT_MIN);
	CHECK_C("%.15d", INT_MIN);
	CHECK_C("%d %d %d", 1, -2, 3);
}

static void test_unsigned_conversions(void **state)
{
	(void)state;
	CHECK_C("%u", 0u);
	CHECK_C("%u", 1u);
	CHECK_C("%u", UINT_MAX);
	CHECK_C("%x", 0u);
	CHECK_C("%x", 0xdeadbeefu);
	CHECK_C("%X", 0xdeadbeefu);
	CHECK_C("%o", 0u);
	CHECK_C("%o", 8u);
	CHECK_C("%o", 0777u);
	CHECK_C("%o", UINT_MAX);
	CHECK_C("%#x", 0u);
	CHECK_C("%#x", 0x1fu);
	CHECK_C("%#X", 0xabcu);
	CHECK_C("%#o", 0u);
	CHECK_C("%#o", 8u);
	CHECK_C("%#.5o", 8u);
	CHECK_C("%#.0o", 0u);
	CHECK_C("%#.0x", 0u);
	CHECK_C("%#.3x", 1u);
	CHECK_C("%#10x|", 0x1fu);
	CHECK_C("%#-10x|", 0x1fu);
	CHECK_C("%#010x", 0x1fu);
	CHECK_C("%010x", 0x1fu);
	CHECK_C("%08X", 0xbeefu);
	CHECK_C("%.8x", 0xbeefu);
	CHECK_C("%12.8x|", 0xbeefu);
	CHECK_C("%-12.8x|", 0xbeefu);
	CHECK_C("%.0x", 0u);
	CHECK_C("%.0u", 0u);
	CHECK_C("%.0o", 0u);
	CHECK_C("%3.0x|", 0u);
	CHECK_C("%x", (unsigned)-1);
}

/*
 * Out-of-range int arguments for hh and h, which C narrows to char and
 * short. Kept in a table: checkers rightly flag them in a literal call.
 */
static const struct {
	const char *fmt;
	int value;
} narrowing_cases[] = {
    {"%hhd", 127},    {"%hhd", -128}, {"%hhd", 300},	 {"%hhu", 255},	 {"%hhu", 256},
    {"%hhx", 0x1ff},  {"%hhi", -1},   {"%hd", SHRT_MIN}, {"%hd", 70000}, {"%hu", 65535},
    {"%hx", 0x12345}, {"%hho", 0777}, {"%#hhx", 0x180},	 {"%+hhd", 200}, {"%05hd", -70000},
};

static void test_length_modifiers(void **state)
{
	(void)state;
	/* hh and h take a promoted int and narrow it (see narrowing_cases). */
	for (size_t i = 0; i < sizeof(narrowing_cases) / sizeof(narrowing_cases[0]); i++)
		check_c_int(narrowing_cases[i].fmt, narrowing_cases[i].value);
	CHECK_C("%ld", LONG_MIN);
	CHECK_C("%ld", LONG_MAX);
	CHECK_C("%lu", ULONG_MAX);
	CHECK_C("%lx", 0x123456789abcdefUL);
	CHECK_C("%lld", LLONG_MIN);
	CHECK_C("%lld", LLONG_MAX);
	CHECK_C("%llu", ULLONG_MAX);
	CHECK_C("%llX", 0xfedcba9876543210ULL);
	CHECK_C("%llo", ULLONG_MAX);
	CHECK_C("%#llo", ULLONG_MAX);
	CHECK_C("%zu", SIZE_MAX);
	CHECK_C("%zx", (size_t)0x80000);
	CHECK_C("%zd", (ssize_t)-5);
	CHECK_C("%td", (ptrdiff_t)-12345);
	CHECK_C("%tx", (ptrdiff_t)0x7fff);
	CHECK_C("%jd", INTMAX_MIN);
	CHECK_C("%jd", INTMAX_MAX);
	CHECK_C("%ju", UINTMAX_MAX);
	CHECK_C("%jx", UINTMAX_MAX);
}

static void test_int64_min(void **state)
{
	(void)state;
	CHECK_C("%" PRId64, INT64_MIN);
	CHECK_C("%" PRIi64, INT64_MIN);
	CHECK_C("%" PRId64, INT64_MAX);
	CHECK_C("%" PRIu64, (uint64_t)INT64_MIN);
	CHECK_C("%" PRIx64, (uint64_t)INT64_MIN);
	CHECK_C("%30" PRId64 "|", INT64_MIN);
	CHECK_C("%-30" PRId64 "|", INT64_MIN);
	CHECK_C("%030" PRId64, INT64_MIN);
	CHECK_C("%.25" PRId64, INT64_MIN);
	CHECK_C("%+" PRId64, INT64_MIN);
	CHECK_FIXED("-9223372036854775808", "%lld", (long long)INT64_MIN);
}

static void test_strings(void **state)
{
	(void)state;
	/* Not NUL-terminated: with a precision, nothing past it may be read. */
	const char unterminated[3] = {'a', 'b', 'c'};

	CHECK_C("%s", "");
	CHECK_C("%s", "hello");
	CHECK_C("%10s|", "hello");
	CHECK_C("%-10s|", "hello");
	CHECK_C("%.3s", "hello");
	CHECK_C("%.0s|", "hello");
	CHECK_C("%.10s", "hello");
	CHECK_C("%8.3s|", "hello");
	CHECK_C("%-8.3s|", "hello");
	CHECK_C("%2s", "hello");
	CHECK_C("%s and %s", "this", "that");
	CHECK_C("%.3s", unterminated);
	CHECK_C("%.*s", 2, unterminated);
	CHECK_C("[%s]", "with %d inside");
}

static void test_chars(void **state)
{
	(void)state;
	CHECK_C("%c", 'x');
	CHECK_C("%c%c%c", 'a', 'b', 'c');
	CHECK_C("%3c|", 'x');
	CHECK_C("%-3c|", 'x');
	CHECK_C("%c", 0x7e);
	CHECK_C("[%c]", ' ');
}

static void test_pointers(void **state)
{
	(void)state;
	CHECK_C("%p", (void *)0x80000);
	CHECK_C("%p", (void *)0x1);
	CHECK_C("%p", (void *)UINTPTR_MAX);
	CHECK_C("%20p|", (void *)0x80000);
	CHECK_C("%-20p|", (void *)0x80000);
	CHECK_FIXED("0x80000", "%p", (void *)0x80000);
	CHECK_FIXED("0xffff000000001000", "%p", (void *)0xffff000000001000);
}

static void test_star_width_and_precision(void **state)
{
	(void)state;
	CHECK_C("%*d|", 6, 42);
	CHECK_C("%*d|", -6, 42); /* negative width: left-justified */
	CHECK_C("%-*d|", -6, 42);
	CHECK_C("%.*d", 5, 42);
	CHECK_C("%.*d", -5, 42); /* negative precision: as if none */
	CHECK_C("%0*d", 6, -42);
	check_c_int_int("%0.*d", -1, 42);
	CHECK_C("%*.*x|", 10, 4, 0xabu);
	CHECK_C("%*.*s|", -10, 2, "hello");
	CHECK_C("%*s|%*s|", 3, "a", -3, "b");
	CHECK_C("%.*s", 0, "hello");
	CHECK_C("%*c|", 4, 'z');
}

static void test_many_arguments(void **state)
{
	(void)state;
	/* More arguments than fit in registers: some of them come from the stack. */
	CHECK_C("%d %s %x %c %ld %p %u %lld %zu %o %X %i %d %jd %s", -1, "two", 3u, '4', 5L,
		(void *)0x6, 7u, 8LL, (size_t)9, 10u, 11u, 12, 13, (intmax_t)14, "fifteen");
}

/* C library and fmt agree on every combination of the pieces below. */
static const char *const flag_chars = "-0+ #";
static const char *const widths[] = {"", "1", "6", "25"};
static const char *const precisions[] = {"", ".", ".0", ".1", ".4", ".22"};
static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};
static const char int_convs[] = "diuxXo";
static const long long int_values[] = {0,
				       1,
				       -1,
				       7,
				       -7,
				       42,
				       255,
				       256,
				       -128,
				       32767,
				       -32768,
				       65535,
				       123456789,
				       INT_MAX,
				       INT_MIN,
				       UINT_MAX,
				       LLONG_MAX,
				       LLONG_MIN,
				       0x123456789abcdefLL,
				       -0x123456789abcdefLL,
				       0x80000000LL};

static int format_both(char *expect, char *got, const char *fmt, const char *length, char conv,
		       long long v, int *expect_len)
{
	bool is_signed = conv == 'd' || conv == 'i';

	/* Pass the argument with the type the length modifier promises. */
#define BOTH(arg)                                                                                  \
	do {                                                                                       \
		*expect_len = snprintf(expect, OUT_SIZE, fmt, arg);                                \
		return unchecked_snprintf(got, OUT_SIZE, fmt, arg);                                \
	} while (0)
	if (!strcmp(length, "l")) {
		if (is_signed)
			BOTH((long)v);
		BOTH((unsigned long)v);
	}
	if (!strcmp(length, "ll")) {
		if (is_signed)
			BOTH(v);
		BOTH((unsigned long long)v);
	}
	if (!strcmp(length, "z")) {
		if (is_signed)
			BOTH((ssize_t)v);
		BOTH((size_t)v);
	}
	if (!strcmp(length, "t")) {
		if (is_signed)
			BOTH((ptrdiff_t)v);
		BOTH((size_t)v);
	}
	if (!strcmp(length, "j")) {
		if (is_signed)
			BOTH((intmax_t)v);
		BOTH((uintmax_t)v);
	}
	/* "", "h" and "hh" all take a promoted int. */
	if (is_signed)
		BOTH((int)v);
	BOTH((unsigned int)v);
#undef BOTH
}

static void build_format(char *fmt, unsigned flag_set, const char *width, const char *precision,
			 const char *length, char conv)
{
	char *p = fmt;

	*p++ = '<';
	*p++ = '%';
	for (unsigned i = 0; flag_chars[i]; i++) {
		if (flag_set & (1u << i))
			*p++ = flag_chars[i];
	}
	p += sprintf(p, "%s%s%s%c>", width, precision, length, conv);
}

static void test_integer_combinations_match_c(void **state)
{
	(void)state;
	unsigned long before = compared;

	for (unsigned flag_set = 0; flag_set < (1u << 5); flag_set++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (size_t pr = 0; pr < sizeof(precisions) / sizeof(precisions[0]); pr++)
				for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++)
					for (const char *c = int_convs; *c; c++) {
						char fmt[64], expect[OUT_SIZE], got[OUT_SIZE];

						build_format(fmt, flag_set, widths[w],
							     precisions[pr], lengths[l], *c);
						for (size_t v = 0;
						     v < sizeof(int_values) / sizeof(int_values[0]);
						     v++) {
							int expect_len;
							int got_len = format_both(
							    expect, got, fmt, lengths[l], *c,
							    int_values[v], &expect_len);

							compare_output(fmt, expect, expect_len, got,
								       got_len);
						}
					}
	print_message("compared %lu integer formats with the C library\n", compared - before);
}

static void test_string_and_char_combinations_match_c(void **state)
{
	(void)state;
	static const char *const strings[] = {"", "a", "hello", "a longer string of text"};

	/* '-' and '0' are the flags that mean something (or nothing, for '0') here. */
	for (unsigned flag_set = 0; flag_set < 4; flag_set++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (size_t pr = 0; pr < sizeof(precisions) / sizeof(precisions[0]); pr++) {
				char fmt[64], expect[OUT_SIZE], got[OUT_SIZE];
				int expect_len, got_len;

				build_format(fmt, flag_set, widths[w], precisions[pr], "", 's');
				for (size_t s = 0; s < sizeof(strings) / sizeof(strings[0]); s++) {
					expect_len =
					    snprintf(expect, sizeof(expect), fmt, strings[s]);
					got_len =
					    unchecked_snprintf(got, sizeof(got), fmt, strings[s]);
					compare_output(fmt, expect, expect_len, got, got_len);
				}
				build_format(fmt, flag_set, widths[w], "", "", 'c');
				expect_len = snprintf(expect, sizeof(expect), fmt, 'q');
				got_len = unchecked_snprintf(got, sizeof(got), fmt, 'q');
				compare_output(fmt, expect, expect_len, got, got_len);
			}
}

static void test_star_combinations_match_c(void **state)
{
	(void)state;
	static const char *const fmts[] = {"[%*d]", "[%-*d]", "[%0*d]", "[%+*x]", "[%#*o]"};

	for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++)
		for (int width = -30; width <= 30; width++)
			for (size_t v = 0; v < sizeof(int_values) / sizeof(int_values[0]); v++) {
				char expect[OUT_SIZE], got[OUT_SIZE];
				int value = (int)int_values[v];
				int expect_len =
				    snprintf(expect, sizeof(expect), fmts[f], width, value);
				int got_len =
				    unchecked_snprintf(got, sizeof(got), fmts[f], width, value);

				compare_output(fmts[f], expect, expect_len, got, got_len);
			}
	for (int precision = -3; precision <= 25; precision++)
		for (int width = -12; width <= 12; width += 4) {
			char expect[OUT_SIZE], got[OUT_SIZE];
			const char *fmt = "[%*.*d|%*.*s|%.*x]";
			int expect_len =
			    snprintf(expect, sizeof(expect), fmt, width, precision, -77, width,
				     precision, "some text", precision, 0u);
			int got_len =
			    unchecked_snprintf(got, sizeof(got), fmt, width, precision, -77, width,
					       precision, "some text", precision, 0u);

			compare_output(fmt, expect, expect_len, got, got_len);
		}
}

static void test_null_string_and_pointer(void **state)
{
	(void)state;
	const char *null_string = NULL;

	CHECK_FIXED("(null)", "%s", null_string);
	CHECK_FIXED("[  (null)]", "[%8s]", null_string);
	CHECK_FIXED("[(null)  ]", "[%-8s]", null_string);
	CHECK_FIXED("(nu", "%.3s", null_string);
	CHECK_FIXED("0x0", "%p", (void *)NULL);
	CHECK_FIXED("[     0x0]", "[%8p]", (void *)NULL);
	CHECK_FIXED("0x00000000", "%010p", (void *)NULL);
}

static void test_unknown_conversions_print_literally(void **state)
{
	(void)state;
	CHECK_FIXED("%y", "%y");
	CHECK_FIXED("a%yb", "a%yb");
	CHECK_FIXED("%-5y", "%-5y");
	CHECK_FIXED("%ly", "%ly");
	CHECK_FIXED("%#08.3hhy", "%#08.3hhy");
	CHECK_FIXED("%f", "%f");
	CHECK_FIXED("%L", "%L");
	CHECK_FIXED("%%", "%%%%");
	/* An unknown conversion takes no argument: the next one gets it. */
	CHECK_FIXED("%y5", "%y%d", 5);
	/* ...but a '*' inside it already took its argument. */
	CHECK_FIXED("%*y9", "%*y%d", 3, 9);
	/* %n would write memory: it is not supported and prints literally. */
	int n = 1234;
	CHECK_FIXED("ab%n", "ab%n", &n);
	assert_int_equal(n, 1234);
}

static void test_incomplete_specification_at_end(void **state)
{
	(void)state;
	CHECK_FIXED("%", "%");
	CHECK_FIXED("abc%", "abc%");
	CHECK_FIXED("7%", "%d%", 7);
	CHECK_FIXED("%5", "%5");
	CHECK_FIXED("%-", "%-");
	CHECK_FIXED("%.", "%.");
	CHECK_FIXED("%l", "%l");
	CHECK_FIXED("%hh", "%hh");
	CHECK_FIXED("x%-08.5ll", "x%-08.5ll");
}

static void test_truncation_and_return_value(void **state)
{
	(void)state;
	char buf[16];

	/* Fits exactly: 15 characters and the NUL. */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%s", "123456789012345"), 15);
	assert_string_equal(buf, "123456789012345");

	/* One too many: the last character is dropped for the NUL. */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%s", "1234567890123456"), 16);
	assert_string_equal(buf, "123456789012345");

	/* Only size bytes are touched. */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 5, "hello world %d", 42), 14);
	assert_string_equal(buf, "hell");
	assert_int_equal(buf[5], '#');

	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 1, "hello"), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], '#');

	/* size 0: nothing written, the buffer may be NULL. */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 0, "hello"), 5);
	assert_int_equal(buf[0], '#');
	assert_int_equal(fmt_snprintf(NULL, 0, "%d-%s", -12345, "abc"), 10);

	/* Padding that does not fit is still counted. */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 8, "%20d", 5), 20);
	assert_string_equal(buf, "       ");
	assert_int_equal(fmt_snprintf(buf, 8, "%*d", -100000, 1), 100000);
	assert_string_equal(buf, "1      ");

	/* Empty output still gets its NUL. */
	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%s", ""), 0);
	assert_int_equal(buf[0], '\0');
}

static void test_nul_character_is_counted(void **state)
{
	(void)state;
	char buf[8];

	memset(buf, '#', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "a%cb", '\0'), 3);
	assert_memory_equal(buf, "a\0b\0", 4);
}

struct capture {
	char text[OUT_SIZE];
	size_t len;
};

static void capture_sink(void *ctx, char c)
{
	struct capture *cap = ctx;

	assert_true(cap->len < sizeof(cap->text) - 1);
	cap->text[cap->len++] = c;
	cap->text[cap->len] = '\0';
}

static int capture_print(struct capture *cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vprint(capture_sink, cap, fmt, ap);
	va_end(ap);
	return n;
}

static void test_vprint_to_sink(void **state)
{
	(void)state;
	struct capture cap = {.len = 0};

	assert_int_equal(capture_print(&cap, "vm%d: %s at %#lx\n", 2, "stopped", 0x80000UL), 24);
	assert_string_equal(cap.text, "vm2: stopped at 0x80000\n");
	assert_int_equal(cap.len, 24);

	cap.len = 0;
	assert_int_equal(capture_print(&cap, ""), 0);
	assert_int_equal(cap.len, 0);

	cap.len = 0;
	assert_int_equal(capture_print(&cap, "%c", '\0'), 1);
	assert_int_equal(cap.len, 1);
}

/* The va_list passed to fmt_vsnprintf can be consumed by the caller afterwards. */
static int format_twice(char *a, char *b, size_t size, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = fmt_vsnprintf(a, size, fmt, ap);
	assert_int_equal(fmt_vsnprintf(b, size, fmt, ap2), n);
	va_end(ap2);
	va_end(ap);
	return n;
}

static void check_size(uint64_t bytes, const char *expect)
{
	char buf[FMT_SIZE_MAX];

	assert_int_equal(fmt_size(buf, sizeof(buf), bytes), strlen(expect));
	assert_string_equal(buf, expect);
}

/* One convention for every size: binary units, exact bytes when small, else one decimal. */
static void test_size(void **state)
{
	(void)state;
	check_size(0, "0 B");
	check_size(1023, "1023 B");
	check_size(1024, "1 KiB");
	check_size(14760, "14.4 KiB");	   /* echo.bin: 14.41 KiB, rounded down */
	check_size(1048575, "1023.9 KiB"); /* never rounded up into the next unit */
	check_size(16UL << 20, "16 MiB");
	check_size(2840000, "2.7 MiB");
	check_size((1UL << 30) + 1, "1.0 GiB");
	check_size(1008UL << 20, "1008 MiB");
	check_size(UINT64_MAX, "15.9 EiB");
}

static void test_vsnprintf_with_copied_va_list(void **state)
{
	(void)state;
	char a[32], b[32];

	assert_int_equal(format_twice(a, b, sizeof(a), "%s=%d", "x", 5), 3);
	assert_string_equal(a, "x=5");
	assert_string_equal(b, "x=5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_text),
	    cmocka_unit_test(test_signed_decimal),
	    cmocka_unit_test(test_unsigned_conversions),
	    cmocka_unit_test(test_length_modifiers),
	    cmocka_unit_test(test_int64_min),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_chars),
	    cmocka_unit_test(test_pointers),
	    cmocka_unit_test(test_star_width_and_precision),
	    cmocka_unit_test(test_many_arguments),
	    cmocka_unit_test(test_integer_combinations_match_c),
	    cmocka_unit_test(test_string_and_char_combinations_match_c),
	    cmocka_unit_test(test_star_combinations_match_c),
	    cmocka_unit_test(test_null_string_and_pointer),
	    cmocka_unit_test(test_unknown_conversions_print_literally),
	    cmocka_unit_test(test_incomplete_specification_at_end),
	    cmocka_unit_test(test_truncation_and_return_value),
	    cmocka_unit_test(test_nul_character_is_counted),
	    cmocka_unit_test(test_vprint_to_sink),
	    cmocka_unit_test(test_vsnprintf_with_copied_va_list),
	    cmocka_unit_test(test_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
