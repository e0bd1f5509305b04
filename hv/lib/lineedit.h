#pragma once

/*
 * A line editor for the serial console shell, independent of any hardware:
 * the shell feeds it each received byte and it answers through the echo
 * callback with what the terminal must show.
 *
 * Keys: printable ASCII inserts at the cursor (BEL when the line is full),
 * Enter ('\r', '\n' or "\r\n") finishes the line, Backspace (0x7f or 0x08)
 * and Delete (ESC [ 3 ~) remove a character, Ctrl-U clears the line, Ctrl-C
 * cancels it, Up/Down browse the history, Left/Right/Home/End move the
 * cursor. Arrow keys are understood both as ESC [ X and ESC O X. Other
 * control bytes and unknown escape sequences are ignored.
 *
 * The echo uses only '\b', spaces and printable characters, so it works on
 * any terminal without cursor-addressing sequences.
 */

#include <stdbool.h>
#include <stddef.h>

#define LINEEDIT_MAX_LEN 256 /* incl. NUL */
#define LINEEDIT_HISTORY 16

typedef void (*lineedit_echo_fn)(void *ctx, const char *s, size_t len);

enum lineedit_result {
	LINEEDIT_PENDING,    /* keep feeding */
	LINEEDIT_LINE_READY, /* lineedit_line() holds the finished line */
	LINEEDIT_CANCELLED,  /* Ctrl-C: the line was discarded */
};

/* Where the editor is within an escape sequence. */
enum lineedit_esc {
	LINEEDIT_ESC_NONE,
	LINEEDIT_ESC_START, /* got ESC */
	LINEEDIT_ESC_CSI,   /* got ESC [ (parameters may follow) */
	LINEEDIT_ESC_SS3,   /* got ESC O */
};

struct lineedit {
	lineedit_echo_fn echo;
	void *ctx;

	char buf[LINEEDIT_MAX_LEN]; /* the line being edited, always NUL-terminated */
	size_t len;
	size_t cursor;	/* insertion point, 0..len */
	bool line_done; /* buf holds a finished line, cleared by the next feed */
	bool after_cr;	/* the previous byte was '\r' (to swallow the '\n' of CRLF) */
	bool bell_rung; /* the line is full and said so: silent until it has room again */

	enum lineedit_esc esc;
	unsigned esc_param;  /* first numeric parameter of a CSI sequence */
	bool esc_param_done; /* a ';' ended the first parameter */

	/* Ring of previous lines; the newest is the slot just before hist_next. */
	char history[LINEEDIT_HISTORY][LINEEDIT_MAX_LEN];
	unsigned hist_count;
	unsigned hist_next;
	unsigned hist_pos; /* 0 = new line, k = k-th newest entry being shown */
};

void lineedit_init(struct lineedit *le, lineedit_echo_fn echo, void *ctx);

/* Processes one received byte. */
enum lineedit_result lineedit_feed(struct lineedit *le, char c);

/*
 * The finished line after LINEEDIT_LINE_READY (NUL-terminated, without the
 * Enter). It stays valid until the next lineedit_feed().
 */
const char *lineedit_line(const struct lineedit *le);
