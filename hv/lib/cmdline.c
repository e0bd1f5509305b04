/*
 * Command line splitting and number parsing for the shell.
 */

#include "lib/cmdline.h"

#include <stddef.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Collects one word starting at *p, removing quotes by copying it over itself
 * (the write position never passes the read position). Leaves *p after the
 * word and its terminating blank. Returns false on an unterminated quote.
 */
static bool take_word(char **p)
{
	char *in = *p;
	char *out = *p;
	bool quoted = false;

	while (*in && (quoted || !is_blank(*in))) {
		if (*in == '"')
			quoted = !quoted;
		else
			*out++ = *in;
		in++;
	}
	if (quoted)
		return false;
	/* Step over the blank that ended the word before overwriting with NUL. */
	*p = *in ? in + 1 : in;
	*out = '\0';
	return true;
}

int cmdline_split(char *line, char *argv[], int max_args)
{
	char *p = line;
	int argc = 0;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			return argc;
		if (argc >= max_args)
			return CMDLINE_ERR_TOO_MANY;
		argv[argc++] = p;
		if (!take_word(&p))
			return CMDLINE_ERR_QUOTE;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum cmdline_number cmdline_parse_number(const char *s, unsigned int base, uint64_t *out)
{
	bool too_big = false;
	uint64_t value = 0;

	if (s == NULL)
		return CMDLINE_NOT_A_NUMBER;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return CMDLINE_NOT_A_NUMBER;
	/* Every character is looked at, so "99999999999999999999x" is malformed, not too big. */
	for (; *s; s++) {
		int d = digit_value(*s);

		if (d < 0 || (unsigned)d >= base)
			return CMDLINE_NOT_A_NUMBER;
		/* value * base + d must stay within 64 bits. */
		if (value > (UINT64_MAX - (uint64_t)d) / base)
			too_big = true;
		value = value * base + (uint64_t)d;
	}
	if (too_big)
		return CMDLINE_TOO_BIG;
	*out = value;
	return CMDLINE_NUMBER;
}

bool cmdline_parse_u64(const char *s, uint64_t *out)
{
	return cmdline_parse_number(s, 10, out) == CMDLINE_NUMBER;
}

bool cmdline_parse_hex_u64(const char *s, uint64_t *out)
{
	return cmdline_parse_number(s, 16, out) == CMDLINE_NUMBER;
}
