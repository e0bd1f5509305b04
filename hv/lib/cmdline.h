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

/*
 * Parses an unsigned 64-bit number, decimal or hex with 0x/0X. The whole
 * string must be the number: empty strings, "0x" alone, signs, spaces,
 * trailing characters and values above UINT64_MAX are rejected (false, *out
 * unchanged).
 */
bool cmdline_parse_u64(const char *s, uint64_t *out);
