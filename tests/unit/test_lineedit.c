/*
 * Unit tests for hv/lib/lineedit.c.
 *
 * The echo goes into a tiny terminal model ('\b' moves left, '\r' to the
 * first column, '\n' down a row, characters overwrite), so besides checking
 * exact echo bytes the tests can check what a user would actually see: after
 * every byte, the screen row shows the line buffer and the terminal cursor
 * sits at the editor's cursor.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/lineedit.h"

#define TERM_ROWS 64
#define TERM_COLS 512
#define ECHO_LOG  65536

#define KEY_UP	  "\x1b[A"
#define KEY_DOWN  "\x1b[B"
#define KEY_RIGHT "\x1b[C"
#define KEY_LEFT  "\x1b[D"
#define KEY_HOME  "\x1b[H"
#define KEY_END	  "\x1b[F"
#define KEY_DEL	  "\x1b[3~"

struct term {
	char log[ECHO_LOG]; /* every echoed byte since the last clear_log() */
	size_t log_len;
	char rows[TERM_ROWS][TERM_COLS];
	int row;
	size_t col;
	int bells;
};

struct fixture {
	struct lineedit le;
	struct term term;
};

static void term_put(struct term *t, char c)
{
	switch (c) {
	case '\b':
		if (t->col > 0)
			t->col--;
		break;
	case '\r':
		t->col = 0;
		break;
	case '\n':
		assert_true(t->row < TERM_ROWS - 1);
		t->row++;
		break;
	case '\a':
		t->bells++;
		break;
	default:
		/* Anything else the editor echoes must be printable. */
		assert_in_range((unsigned char)c, 0x20, 0x7e);
		assert_true(t->col < TERM_COLS - 1);
		for (size_t i = strlen(t->rows[t->row]); i < t->col; i++)
			t->rows[t->row][i] = ' ';
		t->rows[t->row][t->col++] = c;
		break;
	}
}

static void term_echo(void *ctx, const char *s, size_t len)
{
	struct term *t = ctx;

	assert_true(len > 0);
	assert_true(t->log_len + len < sizeof(t->log));
	memcpy(t->log + t->log_len, s, len);
	t->log_len += len;
	t->log[t->log_len] = '\0';
	for (size_t i = 0; i < len; i++)
		term_put(t, s[i]);
}

static void clear_log(struct fixture *f)
{
	f->term.log_len = 0;
	f->term.log[0] = '\0';
}

/* Length of s without its trailing spaces (a terminal cannot show them). */
static size_t visible_len(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n;
}

/* The screen shows exactly the line being edited, cursor included. */
static void assert_screen_shows_line(const struct fixture *f)
{
	const char *row = f->term.rows[f->term.row];
	const char *line = lineedit_line(&f->le);

	assert_int_equal(visible_len(row), visible_len(line));
	assert_memory_equal(row, line, visible_len(line));
	assert_int_equal(f->term.col, f->le.cursor);
	assert_int_equal(strlen(line), f->le.len);
}

static enum lineedit_result feed_bytes(struct fixture *f, const char *s, size_t n)
{
	enum lineedit_result r = LINEEDIT_PENDING;

	for (size_t i = 0; i < n; i++) {
		r = lineedit_feed(&f->le, s[i]);
		if (r == LINEEDIT_PENDING)
			assert_screen_shows_line(f);
		else
			assert_int_equal(f->term.col, 0); /* on a fresh row */
	}
	return r;
}

/* Feeds a string of keys; returns the result of the last byte. */
static enum lineedit_result feed(struct fixture *f, const char *keys)
{
	return feed_bytes(f, keys, strlen(keys));
}

/* Types a line and Enter; checks that exactly that line comes out. */
static void enter_line(struct fixture *f, const char *text)
{
	assert_int_equal(feed(f, text), LINEEDIT_PENDING);
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), text);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	lineedit_init(&f->le, term_echo, &f->term);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void test_initial_state(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(lineedit_line(&f->le), "");
	assert_int_equal(f->term.log_len, 0);
}

static void test_typing_echoes_and_enter_finishes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(feed(f, "help"), LINEEDIT_PENDING);
	assert_string_equal(f->term.log, "help");
	assert_string_equal(lineedit_line(&f->le), "help");

	assert_int_equal(lineedit_feed(&f->le, '\r'), LINEEDIT_LINE_READY);
	assert_string_equal(f->term.log, "help\r\n");
	assert_string_equal(lineedit_line(&f->le), "help");
	assert_string_equal(f->term.rows[0], "help");
	assert_int_equal(f->term.row, 1);
}

static void test_line_valid_until_next_feed(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "vml");
	assert_string_equal(lineedit_line(&f->le), "vml");
	/* The next byte starts a new line. */
	assert_int_equal(feed(f, "x"), LINEEDIT_PENDING);
	assert_string_equal(lineedit_line(&f->le), "x");
}

static void test_printable_range(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(feed(f, " ~!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}"), LINEEDIT_PENDING);
	assert_string_equal(lineedit_line(&f->le), " ~!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}");
}

static void test_enter_variants(void **state)
{
	struct fixture *f = *state;

	/* CR alone, LF alone, and CRLF are each one Enter. */
	assert_int_equal(feed(f, "a\r"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), "a");
	assert_int_equal(feed(f, "b\n"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), "b");
	assert_int_equal(feed(f, "c\r"), LINEEDIT_LINE_READY);
	clear_log(f);
	assert_int_equal(lineedit_feed(&f->le, '\n'), LINEEDIT_PENDING);
	assert_int_equal(f->term.log_len, 0);
	assert_int_equal(feed(f, "d\r\n"), LINEEDIT_PENDING);
	assert_int_equal(feed(f, "e"), LINEEDIT_PENDING);
	assert_string_equal(lineedit_line(&f->le), "e");
}

static void test_crlf_gives_one_line(void **state)
{
	struct fixture *f = *state;
	int lines = 0;

	for (const char *p = "ls\r\nvml\r\n\r\n"; *p; p++) {
		if (lineedit_feed(&f->le, *p) == LINEEDIT_LINE_READY)
			lines++;
	}
	assert_int_equal(lines, 3); /* "ls", "vml", "" */
	assert_string_equal(lineedit_line(&f->le), "");
}

static void test_repeated_cr_and_lf_are_separate_enters(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_int_equal(feed(f, "\n"), LINEEDIT_PENDING); /* pairs with the last CR */
	assert_int_equal(feed(f, "\n"), LINEEDIT_LINE_READY);
	assert_int_equal(feed(f, "\n"), LINEEDIT_LINE_READY);
	/* LF CR is two Enters: only CR LF is a pair. */
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
}

static void test_empty_enter(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), "");
	assert_string_equal(f->term.log, "\r\n");
	assert_int_equal(f->le.hist_count, 0);
}

static void test_backspace(void **state)
{
	struct fixture *f = *state;

	feed(f, "abc");
	clear_log(f);
	assert_int_equal(feed(f, "\x7f"), LINEEDIT_PENDING);
	assert_string_equal(f->term.log, "\b \b");
	assert_string_equal(lineedit_line(&f->le), "ab");

	clear_log(f);
	assert_int_equal(feed(f, "\b"), LINEEDIT_PENDING);
	assert_string_equal(f->term.log, "\b \b");
	assert_string_equal(lineedit_line(&f->le), "a");

	feed(f, "\x7f");
	assert_string_equal(lineedit_line(&f->le), "");

	/* At the start of the line there is nothing to remove, and nothing is echoed. */
	clear_log(f);
	assert_int_equal(feed(f, "\x7f\b\x7f"), LINEEDIT_PENDING);
	assert_int_equal(f->term.log_len, 0);
	assert_string_equal(lineedit_line(&f->le), "");

	enter_line(f, "ok");
}

static void test_backspace_mid_line(void **state)
{
	struct fixture *f = *state;

	feed(f, "abcd" KEY_LEFT KEY_LEFT);
	assert_int_equal(f->le.cursor, 2);
	clear_log(f);
	feed(f, "\x7f");
	/* Step back, redraw the tail, blank the stale last cell, return. */
	assert_string_equal(f->term.log, "\bcd \b\b\b");
	assert_string_equal(lineedit_line(&f->le), "acd");
	assert_int_equal(f->le.cursor, 1);
	feed(f, KEY_HOME "\x7f");
	assert_string_equal(lineedit_line(&f->le), "acd");
}

static void test_ctrl_u_clears_line(void **state)
{
	struct fixture *f = *state;

	feed(f, "some command");
	assert_int_equal(feed(f, "\x15"), LINEEDIT_PENDING);
	assert_string_equal(lineedit_line(&f->le), "");
	assert_int_equal(f->le.cursor, 0);
	assert_int_equal(visible_len(f->term.rows[0]), 0);

	/* Also from the middle of the line. */
	feed(f, "abcdef" KEY_LEFT KEY_LEFT KEY_LEFT "\x15");
	assert_string_equal(lineedit_line(&f->le), "");
	assert_int_equal(visible_len(f->term.rows[0]), 0);

	/* On an empty line it does nothing visible. */
	clear_log(f);
	feed(f, "\x15");
	assert_int_equal(f->term.log_len, 0);

	enter_line(f, "after");
}

static void test_ctrl_c_cancels(void **state)
{
	struct fixture *f = *state;

	feed(f, "vmld foo");
	clear_log(f);
	assert_int_equal(lineedit_feed(&f->le, 0x03), LINEEDIT_CANCELLED);
	assert_string_equal(f->term.log, "^C\r\n");
	assert_string_equal(lineedit_line(&f->le), "");
	assert_int_equal(f->le.hist_count, 0);

	/* Editing goes on normally on the next line. */
	enter_line(f, "vml");
	assert_int_equal(f->le.hist_count, 1);

	/* Ctrl-C on an empty line cancels too. */
	assert_int_equal(lineedit_feed(&f->le, 0x03), LINEEDIT_CANCELLED);
}

static void test_ctrl_c_while_browsing_history(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "one");
	enter_line(f, "two");
	feed(f, KEY_UP KEY_UP);
	assert_int_equal(lineedit_feed(&f->le, 0x03), LINEEDIT_CANCELLED);
	/* Browsing starts again from the newest entry. */
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "two");
}

/* A paste far longer than a line rings the bell once, not once per refused byte. */
static void test_long_paste_rings_once(void **state)
{
	struct fixture *f = *state;
	static char paste[5001];

	memset(paste, 'x', sizeof(paste) - 1);
	paste[sizeof(paste) - 1] = '\0';
	feed(f, paste);
	assert_int_equal(f->le.len, LINEEDIT_MAX_LEN - 1);
	assert_int_equal(f->term.bells, 1);

	/* A new line starts with room: overflowing it rings once more. */
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	feed(f, paste);
	assert_int_equal(f->term.bells, 2);
}

static void test_full_buffer(void **state)
{
	struct fixture *f = *state;
	char full[LINEEDIT_MAX_LEN];

	memset(full, 'x', LINEEDIT_MAX_LEN - 1);
	full[LINEEDIT_MAX_LEN - 1] = '\0';
	feed(f, full);
	assert_int_equal(f->le.len, LINEEDIT_MAX_LEN - 1);
	assert_int_equal(f->term.bells, 0);

	clear_log(f);
	assert_int_equal(feed(f, "y"), LINEEDIT_PENDING);
	assert_string_equal(f->term.log, "\a");
	assert_int_equal(f->term.bells, 1);
	assert_string_equal(lineedit_line(&f->le), full);

	/* Inserting in the middle of a full line is refused, silently: it already rang. */
	feed(f, KEY_LEFT KEY_LEFT "z");
	assert_int_equal(f->term.bells, 1);
	assert_string_equal(lineedit_line(&f->le), full);

	/* Making room allows one more character again, and the next overflow rings again. */
	feed(f, KEY_END "\x7f"
			"y");
	assert_int_equal(f->term.bells, 1);
	feed(f, "w");
	assert_int_equal(f->term.bells, 2);
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_int_equal(strlen(lineedit_line(&f->le)), LINEEDIT_MAX_LEN - 1);
	assert_int_equal(lineedit_line(&f->le)[LINEEDIT_MAX_LEN - 2], 'y');

	/* A full-length line goes into the history intact. */
	feed(f, KEY_UP);
	assert_int_equal(f->le.len, LINEEDIT_MAX_LEN - 1);
}

static void test_history_up_down(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "one");
	enter_line(f, "two");
	enter_line(f, "three");

	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "three");
	assert_int_equal(f->le.cursor, 5);
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "two");
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "one");

	/* Past the oldest entry: nothing happens. */
	clear_log(f);
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "one");
	assert_int_equal(f->term.log_len, 0);

	feed(f, KEY_DOWN);
	assert_string_equal(lineedit_line(&f->le), "two");
	feed(f, KEY_DOWN);
	assert_string_equal(lineedit_line(&f->le), "three");
	/* After the newest entry comes the empty line... */
	feed(f, KEY_DOWN);
	assert_string_equal(lineedit_line(&f->le), "");
	/* ...and no further. */
	clear_log(f);
	feed(f, KEY_DOWN);
	assert_string_equal(lineedit_line(&f->le), "");
	assert_int_equal(f->term.log_len, 0);
}

static void test_history_recall_echo(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "ls");
	feed(f, "abc");
	clear_log(f);
	feed(f, KEY_UP);
	/* Erase "abc" (cursor at its end), then print the entry. */
	assert_string_equal(f->term.log, "\b\b\b   \b\b\bls");
}

static void test_history_replaces_longer_line_on_screen(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "a very long command line");
	enter_line(f, "ab");
	feed(f, KEY_UP KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "a very long command line");
	/* The screen check inside feed() verifies no stale characters remain. */
	feed(f, KEY_LEFT KEY_LEFT KEY_LEFT KEY_DOWN);
	assert_string_equal(lineedit_line(&f->le), "ab");
	assert_int_equal(f->le.cursor, 2);
}

static void test_history_recalled_line_can_be_edited_and_entered(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "vmc 1");
	feed(f, KEY_UP "\x7f"
		       "2");
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), "vmc 2");
	assert_int_equal(f->le.hist_count, 2);

	/* The original entry is unchanged by the edit. */
	feed(f, KEY_UP KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "vmc 1");

	/* Entering a recalled line as is makes it the newest entry. */
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "vmc 1");
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "vmc 2");
}

static void test_history_empty(void **state)
{
	struct fixture *f = *state;

	feed(f, "abc");
	clear_log(f);
	feed(f, KEY_UP KEY_DOWN);
	assert_int_equal(f->term.log_len, 0);
	assert_string_equal(lineedit_line(&f->le), "abc");
}

static void test_history_skips_empty_lines_and_duplicates(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "ls");
	enter_line(f, "ls");
	enter_line(f, "");
	enter_line(f, "ls");
	assert_int_equal(f->le.hist_count, 1);

	/* Only a repeat of the newest entry is suppressed. */
	enter_line(f, "vml");
	enter_line(f, "ls");
	assert_int_equal(f->le.hist_count, 3);

	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "ls");
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "vml");
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "ls");
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "ls");

	/* A line differing only by a trailing space is a different line. */
	feed(f, "\x15");
	enter_line(f, "ls ");
	assert_int_equal(f->le.hist_count, 4);
}

static void test_history_keeps_newest_entries(void **state)
{
	struct fixture *f = *state;
	char line[16];

	for (int i = 0; i < LINEEDIT_HISTORY + 4; i++) {
		snprintf(line, sizeof(line), "cmd%d", i);
		enter_line(f, line);
	}
	assert_int_equal(f->le.hist_count, LINEEDIT_HISTORY);

	for (int i = LINEEDIT_HISTORY + 3; i >= 4; i--) {
		feed(f, KEY_UP);
		snprintf(line, sizeof(line), "cmd%d", i);
		assert_string_equal(lineedit_line(&f->le), line);
	}
	/* cmd0..cmd3 were pushed out. */
	feed(f, KEY_UP);
	assert_string_equal(lineedit_line(&f->le), "cmd4");

	for (int i = 5; i <= LINEEDIT_HISTORY + 3; i++) {
		feed(f, KEY_DOWN);
		snprintf(line, sizeof(line), "cmd%d", i);
		assert_string_equal(lineedit_line(&f->le), line);
	}
	feed(f, KEY_DOWN);
	assert_string_equal(lineedit_line(&f->le), "");
}

static void test_left_right_and_insert(void **state)
{
	struct fixture *f = *state;

	feed(f, "ac");
	clear_log(f);
	feed(f, KEY_LEFT);
	assert_string_equal(f->term.log, "\b");
	assert_int_equal(f->le.cursor, 1);

	clear_log(f);
	feed(f, "b");
	/* The new character, the pushed tail, then back to just after the insert. */
	assert_string_equal(f->term.log, "bc\b");
	assert_string_equal(lineedit_line(&f->le), "abc");
	assert_int_equal(f->le.cursor, 2);

	clear_log(f);
	feed(f, KEY_RIGHT);
	assert_string_equal(f->term.log, "c");
	assert_int_equal(f->le.cursor, 3);

	/* Right at the end and Left at the start do nothing. */
	clear_log(f);
	feed(f, KEY_RIGHT);
	assert_int_equal(f->term.log_len, 0);
	feed(f, KEY_LEFT KEY_LEFT KEY_LEFT);
	clear_log(f);
	feed(f, KEY_LEFT);
	assert_int_equal(f->term.log_len, 0);
	assert_int_equal(f->le.cursor, 0);

	feed(f, ">");
	assert_string_equal(lineedit_line(&f->le), ">abc");
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), ">abc");
}

static void test_enter_with_cursor_mid_line_returns_whole_line(void **state)
{
	struct fixture *f = *state;

	feed(f, "vmc 1" KEY_LEFT KEY_LEFT KEY_LEFT);
	assert_int_equal(feed(f, "\r"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), "vmc 1");
}

static void test_home_end_and_delete(void **state)
{
	struct fixture *f = *state;

	feed(f, "hello");
	clear_log(f);
	feed(f, KEY_HOME);
	assert_string_equal(f->term.log, "\b\b\b\b\b");
	assert_int_equal(f->le.cursor, 0);

	clear_log(f);
	feed(f, KEY_DEL);
	assert_string_equal(f->term.log, "ello \b\b\b\b\b");
	assert_string_equal(lineedit_line(&f->le), "ello");
	assert_int_equal(f->le.cursor, 0);

	clear_log(f);
	feed(f, KEY_END);
	assert_string_equal(f->term.log, "ello");
	assert_int_equal(f->le.cursor, 4);

	/* Delete at the end of the line does nothing. */
	clear_log(f);
	feed(f, KEY_DEL);
	assert_int_equal(f->term.log_len, 0);

	/* The VT220 forms: 1~ and 7~ are Home, 4~ and 8~ End. */
	feed(f, "\x1b[1~");
	assert_int_equal(f->le.cursor, 0);
	feed(f, "\x1b[4~");
	assert_int_equal(f->le.cursor, 4);
	feed(f, "\x1b[7~");
	assert_int_equal(f->le.cursor, 0);
	feed(f, "\x1b[8~");
	assert_int_equal(f->le.cursor, 4);
	feed(f, "\x1bOH");
	assert_int_equal(f->le.cursor, 0);
	feed(f, "\x1bOF");
	assert_int_equal(f->le.cursor, 4);
}

static void test_ss3_arrow_keys(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "first");
	feed(f, "\x1bOA");
	assert_string_equal(lineedit_line(&f->le), "first");
	feed(f, "\x1bOD\x1bOD"
		"X");
	assert_string_equal(lineedit_line(&f->le), "firXst");
	feed(f, "\x1bOC"
		"Y");
	assert_string_equal(lineedit_line(&f->le), "firXsYt");
	feed(f, "\x1bOB");
	assert_string_equal(lineedit_line(&f->le), "");
}

static void test_escape_sequence_split_across_feeds(void **state)
{
	struct fixture *f = *state;

	enter_line(f, "previous");
	feed(f, "ab");
	clear_log(f);
	assert_int_equal(lineedit_feed(&f->le, 0x1b), LINEEDIT_PENDING);
	assert_int_equal(f->term.log_len, 0);
	assert_int_equal(lineedit_feed(&f->le, '['), LINEEDIT_PENDING);
	assert_int_equal(f->term.log_len, 0);
	assert_string_equal(lineedit_line(&f->le), "ab");
	assert_int_equal(lineedit_feed(&f->le, 'A'), LINEEDIT_PENDING);
	assert_string_equal(lineedit_line(&f->le), "previous");

	/* The same with the delete sequence, one byte at a time. */
	feed(f, KEY_HOME);
	for (const char *p = KEY_DEL; *p; p++) {
		assert_string_equal(lineedit_line(&f->le), "previous");
		assert_int_equal(lineedit_feed(&f->le, *p), LINEEDIT_PENDING);
	}
	assert_string_equal(lineedit_line(&f->le), "revious");
}

static void test_unknown_escape_sequences_are_ignored(void **state)
{
	struct fixture *f = *state;

	/* Cursor mid-line, so that a misread Home, End or Delete would show. */
	feed(f, "abc" KEY_LEFT);
	clear_log(f);
	/* Insert, PgUp, PgDn, F3, F5, F17, bracketed paste markers, a huge parameter. */
	feed(f, "\x1b[2~\x1b[5~\x1b[6~\x1b[13~\x1b[15~\x1b[31~\x1b[200~\x1b[201~"
		"\x1b[99999999999999~");
	/* Cursor position reports and other CSI finals, with parameters. */
	feed(f, "\x1b[12;40R\x1b[?25h\x1b[0m\x1b[Z");
	/* SS3 function keys (F1..F4). */
	feed(f, "\x1bOP\x1bOQ\x1bOR\x1bOS");
	assert_int_equal(f->term.log_len, 0);
	assert_string_equal(lineedit_line(&f->le), "abc");
	assert_int_equal(f->le.cursor, 2);
	assert_int_equal(f->le.esc, LINEEDIT_ESC_NONE);

	/* Modified arrows (Ctrl-Left = ESC [ 1 ; 5 D) act like plain arrows. */
	feed(f, KEY_END "\x1b[1;5D");
	assert_int_equal(f->le.cursor, 2);
	/* A ';' ends the first parameter: "3;5~" is still Delete. */
	feed(f, "\x1b[3;5~");
	assert_string_equal(lineedit_line(&f->le), "ab");

	feed(f, "\x15");
	enter_line(f, "ok");
}

static void test_broken_escape_sequences(void **state)
{
	struct fixture *f = *state;

	/* ESC followed by an ordinary key: the ESC is dropped, the key typed. */
	feed(f, "\x1bx");
	assert_string_equal(lineedit_line(&f->le), "x");

	/* ESC ESC [ D: the second ESC starts the sequence again. */
	feed(f, "\x1b\x1b[D");
	assert_int_equal(f->le.cursor, 0);

	/* A control byte inside a sequence aborts it and acts normally. */
	feed(f, KEY_END "\x1b[\x7f");
	assert_string_equal(lineedit_line(&f->le), "");
	feed(f, "abc\x1bO\x7f");
	assert_string_equal(lineedit_line(&f->le), "ab");
	assert_int_equal(feed(f, "\x1b[1\r"), LINEEDIT_LINE_READY);
	assert_string_equal(lineedit_line(&f->le), "ab");
	assert_int_equal(feed(f, "zz\x1b[\x03"), LINEEDIT_CANCELLED);
	assert_int_equal(feed(f, "\x1b\x03"), LINEEDIT_CANCELLED);

	/* An ESC inside a CSI sequence starts a new one. */
	enter_line(f, "hist");
	feed(f, "\x1b[1\x1b[A");
	assert_string_equal(lineedit_line(&f->le), "hist");
}

static void test_other_control_bytes_ignored(void **state)
{
	struct fixture *f = *state;
	const char ignored[] = {0x00, 0x01,	  0x02,	      0x04,	  0x07,	     0x09, 0x0b,
				0x0c, 0x0e,	  0x10,	      0x11,	  0x13,	     0x1a, 0x1c,
				0x1f, (char)0x80, (char)0xc3, (char)0xa9, (char)0xff};

	feed(f, "ab");
	clear_log(f);
	assert_int_equal(feed_bytes(f, ignored, sizeof(ignored)), LINEEDIT_PENDING);
	assert_int_equal(f->term.log_len, 0);
	assert_string_equal(lineedit_line(&f->le), "ab");
}

static void test_no_echo_callback(void **state)
{
	(void)state;
	struct lineedit *le = calloc(1, sizeof(*le));

	assert_non_null(le);
	lineedit_init(le, NULL, NULL);
	for (const char *p = "abc\x1b[D\x7f\x15xyz\r"; *p; p++)
		lineedit_feed(le, *p);
	assert_string_equal(lineedit_line(le), "xyz");
	free(le);
}

/*
 * Random key sequences checked against a straightforward model of the
 * editor (a string, a cursor and a list of history lines), with the screen
 * checked after every byte by feed().
 */
#define MODEL_HISTORY (2 * LINEEDIT_HISTORY)

struct model {
	char line[LINEEDIT_MAX_LEN];
	size_t len, cursor;
	char history[MODEL_HISTORY][LINEEDIT_MAX_LEN];
	int hist_count; /* entries kept; the newest LINEEDIT_HISTORY are reachable */
	int lines;	/* Enters so far */
	int full;	/* characters refused because the line was full */
	int hist_pos;
};

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void model_set(struct model *m, const char *s)
{
	strcpy(m->line, s);
	m->len = m->cursor = strlen(s);
}

static void model_key(struct model *m, int key)
{
	int reachable = m->hist_count < LINEEDIT_HISTORY ? m->hist_count : LINEEDIT_HISTORY;

	switch (key) {
	case 0: /* printable */
		break;
	case 1: /* backspace */
		if (m->cursor > 0) {
			memmove(m->line + m->cursor - 1, m->line + m->cursor,
				m->len - m->cursor + 1);
			m->cursor--;
			m->len--;
		}
		break;
	case 2: /* delete */
		if (m->cursor < m->len) {
			memmove(m->line + m->cursor, m->line + m->cursor + 1, m->len - m->cursor);
			m->len--;
		}
		break;
	case 3: /* left */
		if (m->cursor > 0)
			m->cursor--;
		break;
	case 4: /* right */
		if (m->cursor < m->len)
			m->cursor++;
		break;
	case 5: /* home */
		m->cursor = 0;
		break;
	case 6: /* end */
		m->cursor = m->len;
		break;
	case 7: /* up */
		if (m->hist_pos < reachable) {
			m->hist_pos++;
			model_set(m, m->history[m->hist_count - m->hist_pos]);
		}
		break;
	case 8: /* down */
		if (m->hist_pos > 0) {
			m->hist_pos--;
			model_set(m, m->hist_pos ? m->history[m->hist_count - m->hist_pos] : "");
		}
		break;
	case 9: /* Ctrl-U */
		model_set(m, "");
		break;
	case 10: /* Enter */
		if (m->len > 0 &&
		    (m->hist_count == 0 || strcmp(m->history[m->hist_count - 1], m->line) != 0)) {
			if (m->hist_count == MODEL_HISTORY) {
				/* Forget old entries the editor cannot reach anyway. */
				m->hist_count = MODEL_HISTORY / 2;
				memmove(m->history, m->history + m->hist_count,
					sizeof(m->history[0]) * (size_t)m->hist_count);
			}
			strcpy(m->history[m->hist_count++], m->line);
		}
		m->hist_pos = 0;
		break;
	default:
		fail();
	}
}

static void model_type(struct model *m, char c)
{
	if (m->len >= LINEEDIT_MAX_LEN - 1) {
		m->full++;
		return;
	}
	memmove(m->line + m->cursor + 1, m->line + m->cursor, m->len - m->cursor + 1);
	m->line[m->cursor++] = c;
	m->len++;
}

static void test_random_editing_matches_model(void **state)
{
	struct fixture *f = *state;
	static const char *const keys[] = {NULL,    "\x7f", KEY_DEL,  KEY_LEFT, KEY_RIGHT, KEY_HOME,
					   KEY_END, KEY_UP, KEY_DOWN, "\x15",	"\r"};
	static struct model model;
	struct model *m = &model;

	for (int step = 0; step < 20000; step++) {
		/*
		 * Mostly typing; in every fourth phase almost only typing, so
		 * that lines reach the length limit.
		 */
		bool long_lines = (step / 1000) % 4 == 3;
		int key = (int)(rng() % (long_lines ? 400 : 16));

		if (key > 10)
			key = 0;
		if (key == 0) {
			char c = (char)(0x20 + rng() % 95);

			feed_bytes(f, &c, 1);
			model_type(m, c);
		} else {
			enum lineedit_result r = feed(f, keys[key]);

			assert_int_equal(r, key == 10 ? LINEEDIT_LINE_READY : LINEEDIT_PENDING);
			model_key(m, key);
			if (key == 10) {
				assert_string_equal(lineedit_line(&f->le), m->line);
				model_set(m, "");
				m->lines++;
				/* A fresh terminal once the model's rows run out. */
				if (f->term.row >= TERM_ROWS - 2)
					memset(&f->term, 0, sizeof(f->term));
				continue;
			}
		}
		assert_string_equal(lineedit_line(&f->le), m->line);
		assert_int_equal(f->le.cursor, m->cursor);
	}
	/* The run must have exercised history overflow. */
	assert_true(m->lines > 2 * LINEEDIT_HISTORY);
	assert_int_equal(f->le.hist_count, LINEEDIT_HISTORY);
	assert_true(m->full > 0);
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    TEST(test_initial_state),
	    TEST(test_typing_echoes_and_enter_finishes),
	    TEST(test_line_valid_until_next_feed),
	    TEST(test_printable_range),
	    TEST(test_enter_variants),
	    TEST(test_crlf_gives_one_line),
	    TEST(test_repeated_cr_and_lf_are_separate_enters),
	    TEST(test_empty_enter),
	    TEST(test_backspace),
	    TEST(test_backspace_mid_line),
	    TEST(test_ctrl_u_clears_line),
	    TEST(test_ctrl_c_cancels),
	    TEST(test_ctrl_c_while_browsing_history),
	    TEST(test_long_paste_rings_once),
	    TEST(test_full_buffer),
	    TEST(test_history_up_down),
	    TEST(test_history_recall_echo),
	    TEST(test_history_replaces_longer_line_on_screen),
	    TEST(test_history_recalled_line_can_be_edited_and_entered),
	    TEST(test_history_empty),
	    TEST(test_history_skips_empty_lines_and_duplicates),
	    TEST(test_history_keeps_newest_entries),
	    TEST(test_left_right_and_insert),
	    TEST(test_enter_with_cursor_mid_line_returns_whole_line),
	    TEST(test_home_end_and_delete),
	    TEST(test_ss3_arrow_keys),
	    TEST(test_escape_sequence_split_across_feeds),
	    TEST(test_unknown_escape_sequences_are_ignored),
	    TEST(test_broken_escape_sequences),
	    TEST(test_other_control_bytes_ignored),
	    cmocka_unit_test(test_no_echo_callback),
	    TEST(test_random_editing_matches_model),
	};
#undef TEST

	return cmocka_run_group_tests(tests, NULL, NULL);
}
