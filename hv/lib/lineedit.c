/*
 * Line editor state machine. Every editing operation updates the buffer and
 * then echoes what moves the terminal from the old picture to the new one,
 * using only '\b' (cursor left), spaces and the characters themselves: the
 * screen always shows buf with the terminal cursor at le->cursor.
 */

#include "lib/lineedit.h"

#include "lib/string.h"

#define KEY_CTRL_C    0x03
#define KEY_BACKSPACE 0x08
#define KEY_CTRL_U    0x15
#define KEY_ESC	      0x1b
#define KEY_DEL	      0x7f

/* Cap for the numeric parameter of "ESC [ n ~", so long digit runs cannot overflow. */
#define ESC_PARAM_LIMIT 1000

static void echo(struct lineedit *le, const char *s, size_t len)
{
	if (le->echo && len > 0)
		le->echo(le->ctx, s, len);
}

static void echo_str(struct lineedit *le, const char *s)
{
	echo(le, s, strlen(s));
}

static void echo_repeat(struct lineedit *le, char c, size_t n)
{
	char chunk[16];

	memset(chunk, c, sizeof(chunk));
	while (n > 0) {
		size_t part = n < sizeof(chunk) ? n : sizeof(chunk);

		echo(le, chunk, part);
		n -= part;
	}
}

static void reset_line(struct lineedit *le)
{
	le->len = 0;
	le->cursor = 0;
	le->buf[0] = '\0';
}

void lineedit_init(struct lineedit *le, lineedit_echo_fn echo_fn, void *ctx)
{
	memset(le, 0, sizeof(*le));
	le->echo = echo_fn;
	le->ctx = ctx;
	le->esc = LINEEDIT_ESC_NONE;
	reset_line(le);
}

const char *lineedit_line(const struct lineedit *le)
{
	return le->buf;
}

/*
 * Re-echoes everything from the cursor to the end, blanks `erased` stale
 * characters after it, and walks the terminal cursor back to le->cursor.
 */
static void redraw_tail(struct lineedit *le, size_t erased)
{
	size_t tail = le->len - le->cursor;

	echo(le, le->buf + le->cursor, tail);
	echo_repeat(le, ' ', erased);
	echo_repeat(le, '\b', tail + erased);
}

/* Removes the whole line from the screen and the buffer. */
static void erase_line(struct lineedit *le)
{
	echo_repeat(le, '\b', le->cursor);
	echo_repeat(le, ' ', le->len);
	echo_repeat(le, '\b', le->len);
	reset_line(le);
}

/* Replaces the line with s (shorter than LINEEDIT_MAX_LEN), cursor at its end. */
static void set_line(struct lineedit *le, const char *s)
{
	size_t n = strlen(s);

	erase_line(le);
	memcpy(le->buf, s, n + 1);
	le->len = n;
	le->cursor = n;
	echo(le, le->buf, n);
}

static void insert_char(struct lineedit *le, char c)
{
	if (le->len >= LINEEDIT_MAX_LEN - 1) {
		/* One bell per overflow: a long paste must not answer with a bell per byte. */
		if (!le->bell_rung)
			echo_str(le, "\a");
		le->bell_rung = true;
		return;
	}
	le->bell_rung = false;
	memmove(le->buf + le->cursor + 1, le->buf + le->cursor, le->len - le->cursor + 1);
	le->buf[le->cursor] = c;
	le->len++;
	/* Echo the new character and everything it pushed right, then step back. */
	echo(le, le->buf + le->cursor, le->len - le->cursor);
	le->cursor++;
	echo_repeat(le, '\b', le->len - le->cursor);
}

/* Backspace: at the end of the line this echoes exactly "\b \b". */
static void delete_before_cursor(struct lineedit *le)
{
	if (le->cursor == 0)
		return;
	memmove(le->buf + le->cursor - 1, le->buf + le->cursor, le->len - le->cursor + 1);
	le->cursor--;
	le->len--;
	echo_str(le, "\b");
	redraw_tail(le, 1);
}

static void delete_at_cursor(struct lineedit *le)
{
	if (le->cursor == le->len)
		return;
	memmove(le->buf + le->cursor, le->buf + le->cursor + 1, le->len - le->cursor);
	le->len--;
	redraw_tail(le, 1);
}

static void move_left(struct lineedit *le)
{
	if (le->cursor == 0)
		return;
	le->cursor--;
	echo_str(le, "\b");
}

static void move_right(struct lineedit *le)
{
	if (le->cursor == le->len)
		return;
	/* Re-printing the character under the cursor moves past it. */
	echo(le, le->buf + le->cursor, 1);
	le->cursor++;
}

static void move_home(struct lineedit *le)
{
	echo_repeat(le, '\b', le->cursor);
	le->cursor = 0;
}

static void move_end(struct lineedit *le)
{
	echo(le, le->buf + le->cursor, le->len - le->cursor);
	le->cursor = le->len;
}

/* The k-th newest history entry, k = 1..hist_count. */
static const char *history_entry(const struct lineedit *le, unsigned k)
{
	return le->history[(le->hist_next + LINEEDIT_HISTORY - k) % LINEEDIT_HISTORY];
}

static void history_add(struct lineedit *le)
{
	if (le->len == 0)
		return;
	/* Repeating a command should not fill the history with copies of it. */
	if (le->hist_count > 0 && strcmp(history_entry(le, 1), le->buf) == 0)
		return;
	memcpy(le->history[le->hist_next], le->buf, le->len + 1);
	le->hist_next = (le->hist_next + 1) % LINEEDIT_HISTORY;
	if (le->hist_count < LINEEDIT_HISTORY)
		le->hist_count++;
}

static void history_older(struct lineedit *le)
{
	if (le->hist_pos >= le->hist_count)
		return;
	le->hist_pos++;
	set_line(le, history_entry(le, le->hist_pos));
}

static void history_newer(struct lineedit *le)
{
	if (le->hist_pos == 0)
		return;
	le->hist_pos--;
	/* Past the newest entry comes the empty new line. */
	set_line(le, le->hist_pos > 0 ? history_entry(le, le->hist_pos) : "");
}

static enum lineedit_result finish_line(struct lineedit *le)
{
	echo_str(le, "\r\n");
	history_add(le);
	le->hist_pos = 0;
	le->line_done = true;
	return LINEEDIT_LINE_READY;
}

static enum lineedit_result cancel_line(struct lineedit *le)
{
	echo_str(le, "^C\r\n");
	reset_line(le);
	le->hist_pos = 0;
	return LINEEDIT_CANCELLED;
}

/* The last byte of ESC [ ... X or ESC O X. */
static void escape_final(struct lineedit *le, char c, unsigned param)
{
	switch (c) {
	case 'A':
		history_older(le);
		break;
	case 'B':
		history_newer(le);
		break;
	case 'C':
		move_right(le);
		break;
	case 'D':
		move_left(le);
		break;
	case 'H':
		move_home(le);
		break;
	case 'F':
		move_end(le);
		break;
	case '~':
		/* VT220 editing keys: 1/7 Home, 4/8 End, 3 Delete; others (Insert, PgUp...)
		 * ignored. */
		if (param == 1 || param == 7)
			move_home(le);
		else if (param == 4 || param == 8)
			move_end(le);
		else if (param == 3)
			delete_at_cursor(le);
		break;
	default:
		break;
	}
}

/*
 * A byte that cannot continue the current escape sequence ends it; if that
 * byte is itself an ESC it starts a new one, otherwise it is an ordinary key.
 * Returns true if the byte was consumed.
 */
static bool abort_escape(struct lineedit *le, char c)
{
	le->esc = LINEEDIT_ESC_NONE;
	if (c == KEY_ESC) {
		le->esc = LINEEDIT_ESC_START;
		return true;
	}
	return false;
}

static bool feed_csi(struct lineedit *le, char c)
{
	if (c >= '0' && c <= '9') {
		if (!le->esc_param_done && le->esc_param < ESC_PARAM_LIMIT)
			le->esc_param = le->esc_param * 10 + (unsigned)(c - '0');
		return true;
	}
	if (c >= 0x20 && c <= 0x3f) {
		/* Other parameter and intermediate bytes; only the first parameter matters. */
		if (c == ';')
			le->esc_param_done = true;
		return true;
	}
	if (c >= 0x40 && c <= 0x7e) {
		le->esc = LINEEDIT_ESC_NONE;
		escape_final(le, c, le->esc_param);
		return true;
	}
	return abort_escape(le, c);
}

/* Runs the escape sequence recogniser; returns true if it consumed the byte. */
static bool feed_escape(struct lineedit *le, char c)
{
	switch (le->esc) {
	case LINEEDIT_ESC_NONE:
		if (c != KEY_ESC)
			return false;
		le->esc = LINEEDIT_ESC_START;
		return true;
	case LINEEDIT_ESC_START:
		if (c == '[') {
			le->esc = LINEEDIT_ESC_CSI;
			le->esc_param = 0;
			le->esc_param_done = false;
			return true;
		}
		if (c == 'O') {
			le->esc = LINEEDIT_ESC_SS3;
			return true;
		}
		return abort_escape(le, c);
	case LINEEDIT_ESC_CSI:
		return feed_csi(le, c);
	case LINEEDIT_ESC_SS3:
		if (c >= 0x40 && c <= 0x7e) {
			le->esc = LINEEDIT_ESC_NONE;
			escape_final(le, c, 0);
			return true;
		}
		return abort_escape(le, c);
	}
	return false;
}

static enum lineedit_result feed_key(struct lineedit *le, char c, bool after_cr)
{
	switch (c) {
	case '\r':
		le->after_cr = true;
		return finish_line(le);
	case '\n':
		/* The '\n' of a "\r\n" pair: that Enter was already handled. */
		if (after_cr)
			return LINEEDIT_PENDING;
		return finish_line(le);
	case KEY_BACKSPACE:
	case KEY_DEL:
		delete_before_cursor(le);
		return LINEEDIT_PENDING;
	case KEY_CTRL_U:
		erase_line(le);
		return LINEEDIT_PENDING;
	case KEY_CTRL_C:
		return cancel_line(le);
	default:
		if (c >= 0x20 && c <= 0x7e)
			insert_char(le, c);
		return LINEEDIT_PENDING;
	}
}

enum lineedit_result lineedit_feed(struct lineedit *le, char c)
{
	bool after_cr = le->after_cr;

	/* The finished line stayed readable until now; start a new one. */
	if (le->line_done) {
		reset_line(le);
		le->line_done = false;
	}
	le->after_cr = false;
	if (feed_escape(le, c))
		return LINEEDIT_PENDING;
	return feed_key(le, c, after_cr);
}
