#pragma once

/*
 * Parsing of shell command lines: splitting into words and reading numbers.
 * The input comes from the console, so every malformed case is an error
 * code, never a crash.
 */

#include <stdbool.h>
#include <stdint.h>

#define CMDLINE_MAX_ARGS 16

#define CMDLINE_ERR_TOO_MANY (-1) /* more words than max_args */
#define CMDLINE_ERR_QUOTE    (-2) /* a '"' without its closing '"' */

/*
 * Splits line in place into words separated by spaces and tabs, storing a
 * pointer to each in argv (argv is not NULL-terminated). Double quotes group
 * words: `vmld "my image.bin" 0x80000` gives 3 words, the quotes are removed,
 * and "" is an empty word. Returns the number of words, or one of the
 * CMDLINE_ERR_* codes (line is then partly modified and argv unusable).
 */
int cmdline_split(char *line, char *argv[], int max_args);

enum cmdline_number {
	CMDLINE_NUMBER,	      /* parsed, *out set */
	CMDLINE_NOT_A_NUMBER, /* empty, a sign, a space, a character that is not a digit */
	CMDLINE_TOO_BIG,      /* well-formed but above UINT64_MAX */
};

/*
 * Parses an unsigned 64-bit number in `base` (10 or 16); a 0x/0X prefix
 * always means hex. The whole string must be the number: empty strings, "0x"
 * alone, signs, spaces and trailing characters are not numbers. *out is only
 * written for CMDLINE_NUMBER.
 */
enum cmdline_number cmdline_parse_number(const char *s, unsigned int base, uint64_t *out);

/* A count or an id: decimal, or hex with 0x. False for anything but CMDLINE_NUMBER. */
bool cmdline_parse_u64(const char *s, uint64_t *out);

/*
 * An address, as U-Boot and the original aVisor read one: hex, with or
 * without 0x ("80000" is 0x80000). False for anything but CMDLINE_NUMBER.
 */
bool cmdline_parse_hex_u64(const char *s, uint64_t *out);
