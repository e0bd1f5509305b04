/*
 * libFuzzer target for the shell's input path: the line editor
 * (hv/lib/lineedit.c) fed the input byte by byte, as the console delivers
 * it, and the command line parser (hv/lib/cmdline.c) on every line the
 * editor finishes and on the whole input taken as one line.
 *
 * Besides the sanitizers:
 *   - the editor's echo drives a one-row terminal model of fixed width; a
 *     character past the last column, a '\b' at the first one, or a byte
 *     that is not '\b', '\a', "\r\n" or printable is an error, and after
 *     every byte the row must show the line buffer (then blanks) with the
 *     terminal cursor at the editor's cursor;
 *   - the editor's state stays sane (length, cursor, NUL, printable ASCII,
 *     history entries), and a finished line is exactly what was shown;
 *   - cmdline_split agrees with a reference splitter written here, its words
 *     lie inside the line in order, and a smaller max_args gives the same
 *     words or CMDLINE_ERR_TOO_MANY;
 *   - cmdline_parse_u64 and cmdline_parse_hex_u64 agree with a reference
 *     parser, leave *out alone on failure, and read back what was printed
 *     in decimal and in hex (with and without 0x).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cmdline.h"
#include "lib/lineedit.h"

#define TERM_COLS (LINEEDIT_MAX_LEN + 8) /* a full line, and "^C" after it */
#define SENTINEL  0x5a5a5a5a5a5a5a5aULL

struct term {
	char row[TERM_COLS]; /* what the row shows; '\0' = never written */
	size_t col;
	size_t used;   /* columns ever written on this row */
	bool after_cr; /* a '\r' was echoed: only '\n' may follow */
};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_cmdline: %s\n", what);
	abort();
}

static void term_put(struct term *t, char c)
{
	if (t->after_cr && c != '\n')
		fail("echo: '\\r' not followed by '\\n'");
	switch (c) {
	case '\b':
		if (t->col == 0)
			fail("echo: '\\b' at the first column");
		t->col--;
		break;
	case '\a':
		break;
	case '\r':
		t->after_cr = true;
		t->col = 0;
		break;
	case '\n':
		if (!t->after_cr)
			fail("echo: '\\n' without '\\r'");
		t->after_cr = false;
		memset(t->row, 0, t->used); /* a fresh row below */
		t->used = 0;
		break;
	default:
		if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e)
			fail("echo: a byte that is neither printable nor '\\b', '\\a', CR, LF");
		if (t->col >= TERM_COLS)
			fail("echo: a character far past the longest line");
		t->row[t->col++] = c;
		if (t->used < t->col)
			t->used = t->col;
		break;
	}
}

static void term_echo(void *ctx, const char *s, size_t len)
{
	if (s == NULL || len == 0)
		fail("echo: NULL or empty");
	for (size_t i = 0; i < len; i++)
		term_put(ctx, s[i]);
}

static bool printable_string(const char *s, size_t max, size_t *len)
{
	size_t n = strnlen(s, max);

	if (n == max)
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	}
	if (len)
		*len = n;
	return true;
}

static void check_editor(const struct lineedit *le)
{
	size_t n;

	if (le->len >= LINEEDIT_MAX_LEN || le->cursor > le->len)
		fail("editor: length or cursor out of range");
	if (!printable_string(le->buf, LINEEDIT_MAX_LEN, &n) || n != le->len)
		fail("editor: buffer not a printable string of length len");
	if (le->hist_pos > le->hist_count)
		fail("editor: showing a history entry that does not exist");
}

/* The history changes only when a line is finished. */
static void check_history(const struct lineedit *le)
{
	size_t n;

	if (le->hist_count > LINEEDIT_HISTORY || le->hist_next >= LINEEDIT_HISTORY)
		fail("editor: history indexes out of range");
	for (unsigned int k = 1; k <= le->hist_count; k++) {
		const char *entry =
		    le->history[(le->hist_next + LINEEDIT_HISTORY - k) % LINEEDIT_HISTORY];

		if (!printable_string(entry, LINEEDIT_MAX_LEN, &n) || n == 0)
			fail("editor: a history entry is empty or not a printable string");
	}
}

/* The row shows buf followed only by blanks, and the terminal cursor is the editor's. */
static void check_screen(const struct term *t, const struct lineedit *le)
{
	if (t->after_cr)
		fail("echo: the row ended with '\\r'");
	if (t->col != le->cursor)
		fail("screen: terminal cursor is not at the editor's cursor");
	if (t->used < le->len || memcmp(t->row, le->buf, le->len) != 0)
		fail("screen: the row does not show the line");
	for (size_t i = le->len; i < t->used; i++) {
		if (t->row[i] != ' ')
			fail("screen: something other than blanks after the line");
	}
}

/* --- Command line parser ---------------------------------------------------------- */

/*
 * The reference splitter: words separated by blanks, '"' toggles quoting
 * and is dropped. Words go into out, each NUL-terminated, one after the
 * other; returns the count or the same error codes as cmdline_split.
 */
static int ref_split(const char *s, char *out, size_t *starts, int max_args)
{
	size_t o = 0;
	int argc = 0;

	for (;;) {
		bool quoted = false;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return argc;
		if (argc >= max_args)
			return CMDLINE_ERR_TOO_MANY;
		starts[argc++] = o;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"')
				quoted = !quoted;
			else
				out[o++] = *s;
			s++;
		}
		out[o++] = '\0';
		if (quoted)
			return CMDLINE_ERR_QUOTE;
	}
}

static bool ref_parse(const char *s, unsigned int base, uint64_t *out)
{
	unsigned __int128 value = 0;

	if (strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		const char *digits = "0123456789abcdef";
		char c = (*s >= 'A' && *s <= 'F') ? (char)(*s - 'A' + 'a') : *s;
		const char *d = c ? strchr(digits, c) : NULL;

		if (!d || (unsigned int)(d - digits) >= base)
			return false;
		value = value * base + (unsigned int)(d - digits);
		if (value > UINT64_MAX)
			return false;
	}
	*out = (uint64_t)value;
	return true;
}

static void check_parse_u64(const char *s)
{
	uint64_t got = SENTINEL, want = SENTINEL, again = SENTINEL;
	bool ok = cmdline_parse_u64(s, &got);
	char text[32];

	if (ok != ref_parse(s, 10, &want) || got != want)
		fail("cmdline_parse_u64 disagrees with the reference parser");
	got = want = SENTINEL;
	if (cmdline_parse_hex_u64(s, &got) != ref_parse(s, 16, &want) || got != want)
		fail("cmdline_parse_hex_u64 disagrees with the reference parser");
	if (!ok)
		return;
	cmdline_parse_u64(s, &got);
	snprintf(text, sizeof(text), "%llu", (unsigned long long)got);
	if (!cmdline_parse_u64(text, &again) || again != got)
		fail("cmdline_parse_u64 does not read back its value in decimal");
	snprintf(text, sizeof(text), "0x%llX", (unsigned long long)got);
	if (!cmdline_parse_u64(text, &again) || again != got)
		fail("cmdline_parse_u64 does not read back its value in hex");
	snprintf(text, sizeof(text), "%llx", (unsigned long long)got);
	if (!cmdline_parse_hex_u64(text, &again) || again != got)
		fail("cmdline_parse_hex_u64 does not read back its value in hex without 0x");
}

/* Splits a copy of line (in a buffer of its exact size) with max_args; checks the words. */
static int check_split_with(const char *line, size_t len, int max_args, bool parse_numbers)
{
	char *copy = malloc(len + 1);
	char *ref = malloc(len + 1);
	size_t starts[CMDLINE_MAX_ARGS];
	char *argv[CMDLINE_MAX_ARGS + 1];
	int argc, ref_argc;
	char *end = NULL;

	if (!copy || !ref)
		fail("out of memory");
	memcpy(copy, line, len + 1);
	argv[max_args] = (char *)&argc; /* must stay untouched */
	argc = cmdline_split(copy, argv, max_args);
	ref_argc = ref_split(line, ref, starts, max_args);
	if (argc != ref_argc)
		fail("cmdline_split disagrees with the reference splitter");
	if (argv[max_args] != (char *)&argc)
		fail("cmdline_split wrote past argv[max_args - 1]");
	for (int i = 0; i < argc; i++) {
		if (argv[i] < copy || argv[i] > copy + len || (end && argv[i] <= end))
			fail("cmdline_split: a word outside the line or out of order");
		end = argv[i] + strlen(argv[i]);
		if (end > copy + len)
			fail("cmdline_split: a word runs past the line");
		if (strcmp(argv[i], ref + starts[i]) != 0)
			fail("cmdline_split: a word differs from the reference");
		if (parse_numbers)
			check_parse_u64(argv[i]);
	}
	free(copy);
	free(ref);
	return argc;
}

static void check_split(const char *line, size_t len)
{
	int all = check_split_with(line, len, CMDLINE_MAX_ARGS, true);
	int two = check_split_with(line, len, 2, false);

	if (all >= 0 && all <= 2 && two != all)
		fail("cmdline_split: a smaller max_args changed the result");
	if (all > 2 && two != CMDLINE_ERR_TOO_MANY)
		fail("cmdline_split: more words than max_args not reported");
	check_parse_u64(line);
}

/* --- The input -------------------------------------------------------------------- */

static void feed_editor(const uint8_t *data, size_t size)
{
	static struct lineedit le;
	static struct term term;
	static char shown[LINEEDIT_MAX_LEN];

	memset(&term, 0, sizeof(term));
	lineedit_init(&le, term_echo, &term);
	check_editor(&le);
	check_history(&le);
	for (size_t i = 0; i < size; i++) {
		enum lineedit_result r;

		/* The line the next byte edits: empty right after a finished one. */
		memcpy(shown, le.line_done ? "" : le.buf, le.line_done ? 1 : le.len + 1);
		r = lineedit_feed(&le, (char)data[i]);
		if (r == LINEEDIT_LINE_READY) {
			const char *line = lineedit_line(&le);
			size_t len;

			if (!printable_string(line, LINEEDIT_MAX_LEN, &len) || strcmp(line, shown))
				fail("lineedit: the finished line is not the line shown");
			if (term.col != 0 || term.row[0] != '\0')
				fail("lineedit: Enter did not start a new row");
			check_split(line, len);
			check_editor(&le);
			check_history(&le);
			continue;
		}
		if (r == LINEEDIT_CANCELLED && (le.len != 0 || term.col != 0 || term.row[0]))
			fail("lineedit: Ctrl-C did not leave an empty new row");
		if (r != LINEEDIT_PENDING && r != LINEEDIT_CANCELLED)
			fail("lineedit: unknown result");
		check_editor(&le);
		if (!le.line_done)
			check_screen(&term, &le);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);

	if (!line)
		fail("out of memory");
	memcpy(line, data, size);
	line[size] = '\0';
	/* As one line (up to a NUL, as a C string ends), then as keys typed. */
	check_split(line, strlen(line));
	free(line);
	feed_editor(data, size);
	return 0;
}
