/*
 * The formatter: a small parser for one conversion specification at a time
 * ("%-08.3lx" -> struct fmt_spec), then one routine per kind of value
 * (integer, string, character) that lays out padding, sign, prefix and
 * digits exactly as the C library does.
 */

#include "lib/printf.h"

#include <stdbool.h>
#include <stdint.h>

enum {
	FLAG_LEFT = 1 << 0,  /* '-': pad on the right */
	FLAG_ZERO = 1 << 1,  /* '0': pad numbers with zeros */
	FLAG_PLUS = 1 << 2,  /* '+': always print a sign */
	FLAG_SPACE = 1 << 3, /* ' ': space where a '+' would go */
	FLAG_ALT = 1 << 4,   /* '#': 0x prefix, leading 0 for octal */
};

enum fmt_length {
	LEN_DEFAULT,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_T,
	LEN_J,
};

#define NO_PRECISION (-1)

/* Widths and precisions stop growing here instead of overflowing an int. */
#define FMT_NUMBER_LIMIT ((__INT_MAX__ - 9) / 10)

struct fmt_spec {
	unsigned flags;
	int width;
	int precision; /* NO_PRECISION if none was given */
	enum fmt_length length;
	char conv; /* the conversion character, '\0' if the format ended */
};

struct fmt_out {
	fmt_sink_fn sink;
	void *ctx;
	size_t count;
};

static void out_char(struct fmt_out *out, char c)
{
	out->sink(out->ctx, c);
	out->count++;
}

static void out_chars(struct fmt_out *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(out, s[i]);
}

static void out_repeat(struct fmt_out *out, char c, int n)
{
	for (; n > 0; n--)
		out_char(out, c);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int parse_decimal(const char **p)
{
	int n = 0;

	while (is_digit(**p)) {
		if (n < FMT_NUMBER_LIMIT)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n;
}

static unsigned parse_flags(const char **p)
{
	unsigned flags = 0;

	for (;; (*p)++) {
		switch (**p) {
		case '-':
			flags |= FLAG_LEFT;
			break;
		case '0':
			flags |= FLAG_ZERO;
			break;
		case '+':
			flags |= FLAG_PLUS;
			break;
		case ' ':
			flags |= FLAG_SPACE;
			break;
		case '#':
			flags |= FLAG_ALT;
			break;
		default:
			return flags;
		}
	}
}

static void parse_width(const char **p, va_list *ap, struct fmt_spec *spec)
{
	if (**p != '*') {
		spec->width = parse_decimal(p);
		return;
	}
	(*p)++;
	int width = va_arg(*ap, int);

	/* A negative '*' width means '-' flag and the absolute value. */
	if (width < 0) {
		spec->flags |= FLAG_LEFT;
		width = width < -__INT_MAX__ ? __INT_MAX__ : -width;
	}
	spec->width = width;
}

static void parse_precision(const char **p, va_list *ap, struct fmt_spec *spec)
{
	spec->precision = NO_PRECISION;
	if (**p != '.')
		return;
	(*p)++;
	if (**p == '*') {
		(*p)++;
		int precision = va_arg(*ap, int);

		/* A negative '*' precision counts as if none was given. */
		spec->precision = precision < 0 ? NO_PRECISION : precision;
	} else {
		/* A lone '.' means precision 0. */
		spec->precision = parse_decimal(p);
	}
}

static enum fmt_length parse_length(const char **p)
{
	switch (**p) {
	case 'h':
		(*p)++;
		if (**p == 'h') {
			(*p)++;
			return LEN_HH;
		}
		return LEN_H;
	case 'l':
		(*p)++;
		if (**p == 'l') {
			(*p)++;
			return LEN_LL;
		}
		return LEN_L;
	case 'z':
		(*p)++;
		return LEN_Z;
	case 't':
		(*p)++;
		return LEN_T;
	case 'j':
		(*p)++;
		return LEN_J;
	default:
		return LEN_DEFAULT;
	}
}

/*
 * Parses the specification after a '%'. Leaves *p on the conversion
 * character (or on the terminating NUL for an incomplete specification).
 */
static void parse_spec(const char **p, va_list *ap, struct fmt_spec *spec)
{
	spec->flags = parse_flags(p);
	parse_width(p, ap, spec);
	parse_precision(p, ap, spec);
	spec->length = parse_length(p);
	spec->conv = **p;
}

/* Fetches a signed argument, narrowed to the type the length modifier names. */
static intmax_t fetch_signed(va_list *ap, enum fmt_length length)
{
	switch (length) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		/* ptrdiff_t is the signed type of size_t's width. */
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t fetch_unsigned(va_list *ap, enum fmt_length length)
{
	switch (length) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* An integer to print: its magnitude and where the sign and prefix come from. */
struct fmt_integer {
	uintmax_t magnitude;
	bool negative;
	unsigned base;
	bool upper;
	bool force_prefix; /* %p: "0x" even for zero */
};

/* Writes the digits to the end of buf (most significant first); returns how many. */
static int integer_digits(const struct fmt_integer *num, char *buf, int size)
{
	const char *digits = num->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	uintmax_t v = num->magnitude;
	int n = 0;

	do {
		buf[size - 1 - n] = digits[v % num->base];
		v /= num->base;
		n++;
	} while (v != 0);
	return n;
}

/* The sign or "0x" that goes before the zeros and digits. */
static const char *integer_prefix(const struct fmt_spec *spec, const struct fmt_integer *num,
				  bool is_signed)
{
	if (is_signed) {
		if (num->negative)
			return "-";
		if (spec->flags & FLAG_PLUS)
			return "+";
		if (spec->flags & FLAG_SPACE)
			return " ";
		return "";
	}
	if (num->base == 16 && (num->force_prefix || ((spec->flags & FLAG_ALT) && num->magnitude)))
		return num->upper ? "0X" : "0x";
	return "";
}

static void format_integer(struct fmt_out *out, const struct fmt_spec *spec,
			   const struct fmt_integer *num, bool is_signed)
{
	char buf[24]; /* 22 octal digits are enough for 64 bits */
	int ndigits = 0;

	/* C: a zero value with precision 0 prints no digits at all. */
	if (num->magnitude != 0 || spec->precision != 0)
		ndigits = integer_digits(num, buf, (int)sizeof(buf));

	int zeros = spec->precision > ndigits ? spec->precision - ndigits : 0;

	/* '#' with octal raises the precision so that the first digit is a 0. */
	if ((spec->flags & FLAG_ALT) && num->base == 8 && zeros == 0 &&
	    !(ndigits > 0 && num->magnitude == 0))
		zeros = 1;

	const char *prefix = integer_prefix(spec, num, is_signed);
	int prefix_len = 0;

	while (prefix[prefix_len])
		prefix_len++;

	int pad = spec->width - (prefix_len + zeros + ndigits);

	/* '0' pads between the prefix and the digits, unless '-' or a precision overrides it. */
	if ((spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_LEFT) &&
	    spec->precision == NO_PRECISION && pad > 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(spec->flags & FLAG_LEFT))
		out_repeat(out, ' ', pad);
	out_chars(out, prefix, (size_t)prefix_len);
	out_repeat(out, '0', zeros);
	out_chars(out, buf + sizeof(buf) - ndigits, (size_t)ndigits);
	if (spec->flags & FLAG_LEFT)
		out_repeat(out, ' ', pad);
}

/* Prints n characters of s padded to the width; '0' does not apply to text. */
static void format_text(struct fmt_out *out, const struct fmt_spec *spec, const char *s, int n)
{
	int pad = spec->width - n;

	if (!(spec->flags & FLAG_LEFT))
		out_repeat(out, ' ', pad);
	out_chars(out, s, (size_t)n);
	if (spec->flags & FLAG_LEFT)
		out_repeat(out, ' ', pad);
}

static void format_string(struct fmt_out *out, const struct fmt_spec *spec, const char *s)
{
	int n = 0;

	if (s == NULL)
		s = "(null)";
	/* Never read past the precision: the string need not be NUL-terminated. */
	while ((spec->precision == NO_PRECISION || n < spec->precision) && s[n] && n < __INT_MAX__)
		n++;
	format_text(out, spec, s, n);
}

static void format_signed(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	intmax_t v = fetch_signed(ap, spec->length);
	struct fmt_integer num = {
	    .negative = v < 0,
	    /* Negate in unsigned arithmetic so that INTMAX_MIN works too. */
	    .magnitude = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v,
	    .base = 10,
	};

	format_integer(out, spec, &num, true);
}

static void format_unsigned(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	struct fmt_integer num = {
	    .magnitude = fetch_unsigned(ap, spec->length),
	    .base = spec->conv == 'u'	? 10
		    : spec->conv == 'o' ? 8
					: 16,
	    .upper = spec->conv == 'X',
	};

	format_integer(out, spec, &num, false);
}

static void format_pointer(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	struct fmt_integer num = {
	    .magnitude = (uintptr_t)va_arg(*ap, void *),
	    .base = 16,
	    .force_prefix = true,
	};

	format_integer(out, spec, &num, false);
}

/* Formats one conversion; returns false if the conversion is unknown. */
static bool format_one(struct fmt_out *out, const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->conv) {
	case 'd':
	case 'i':
		format_signed(out, spec, ap);
		return true;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		format_unsigned(out, spec, ap);
		return true;
	case 'p':
		format_pointer(out, spec, ap);
		return true;
	case 's':
		format_string(out, spec, va_arg(*ap, const char *));
		return true;
	case 'c': {
		char c = (char)va_arg(*ap, int);

		format_text(out, spec, &c, 1);
		return true;
	}
	case '%':
		out_char(out, '%');
		return true;
	default:
		return false;
	}
}

int fmt_vprint(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out out = {.sink = sink, .ctx = ctx};
	const char *p = fmt;
	va_list args;

	/* The helpers take a va_list pointer; a parameter's address is not portable. */
	va_copy(args, ap);
	while (*p) {
		if (*p != '%') {
			out_char(&out, *p++);
			continue;
		}

		const char *start = p++;
		struct fmt_spec spec;

		parse_spec(&p, &args, &spec);
		if (spec.conv == '\0') {
			/* Incomplete specification at the end: print it as is. */
			out_chars(&out, start, (size_t)(p - start));
			break;
		}
		p++;
		if (!format_one(&out, &spec, &args))
			out_chars(&out, start, (size_t)(p - start));
	}
	va_end(args);
	return out.count > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)out.count;
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_sink_put(void *ctx, char c)
{
	struct buf_sink *b = ctx;

	/* Keep the last byte free for the NUL; count the rest without storing it. */
	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = {.buf = buf, .size = size};
	int len = fmt_vprint(buf_sink_put, &b, fmt, ap);

	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

int fmt_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	unsigned int unit = 0;
	uint64_t scale = 1, rest;

	while (unit + 1 < sizeof(units) / sizeof(units[0]) && bytes / scale >= 1024) {
		scale <<= 10;
		unit++;
	}
	rest = bytes % scale;
	if (rest == 0)
		return fmt_snprintf(buf, size, "%lu %s", bytes / scale, units[unit]);
	/* Tenths rounded down: a size never shows larger than it is. rest < 2^60: rest * 10 fits.
	 */
	return fmt_snprintf(buf, size, "%lu.%lu %s", bytes / scale, rest * 10 / scale, units[unit]);
}

const char *fmt_size_text(char *buf, uint64_t bytes)
{
	(void)fmt_size(buf, FMT_SIZE_MAX, bytes);
	return buf;
}
