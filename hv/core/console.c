#include "core/console.h"
#include "board/board.h"
#include "lib/printf.h"
#include "core/sched.h"
#include "lib/ringbuf.h"
#include "lib/spinlock.h"

#include <stdbool.h>

static uint8_t rx_storage[CONSOLE_RX_BUFFER];
static struct ringbuf rx_ring;
static uint32_t rx_pauses;
/* The last byte sent to the terminal, whoever sent it (the shell, a VM, a report). */
static char last_sent = '\n';
/*
 * console_lock: the UART, so that lines written by different cores do not
 * interleave (docs/architecture.md, "Locks and their order": it is taken
 * last). Held for one call of the functions below, never while waiting for
 * anything but the UART. After a crash (console_take_over) it is ignored:
 * the other cores are halted, and one of them may have died holding it.
 */
static struct spinlock console_lock = SPINLOCK_INIT;
static bool taken_over;

static void lock(void)
{
	if (!taken_over)
		spin_lock(&console_lock);
}

static void unlock(void)
{
	if (!taken_over)
		spin_unlock(&console_lock);
}

void console_take_over(void)
{
	taken_over = true;
}

static bool rx_has_room(void)
{
	if (ringbuf_is_full(&rx_ring)) {
		rx_pauses++;
		return false;
	}
	return true;
}

static void rx_put(uint8_t byte)
{
	(void)ringbuf_put(&rx_ring, byte);
	sched_request(WORK_CONSOLE);
}

static const struct board_rx_sink rx_sink = {
    .has_room = rx_has_room,
    .put = rx_put,
};

void console_init(void)
{
	ringbuf_init(&rx_ring, rx_storage, sizeof(rx_storage));
	board_console_set_rx_sink(&rx_sink);
}

static void send(char c)
{
	board_console_putc(c);
	last_sent = c;
}

/* A newline becomes CR LF on the terminal. */
static void send_text(char c)
{
	if (c == '\n')
		send('\r');
	send(c);
}

void console_putc(char c)
{
	lock();
	send_text(c);
	unlock();
}

void console_write(const char *s, size_t len)
{
	lock();
	for (size_t i = 0; i < len; i++)
		send_text(s[i]);
	unlock();
}

void console_write_raw(const char *s, size_t len)
{
	lock();
	for (size_t i = 0; i < len; i++)
		send(s[i]);
	unlock();
}

void console_putc_raw(char c)
{
	lock();
	send(c);
	unlock();
}

static void (*line_redraw)(void);

void console_set_line_redraw(void (*redraw)(void))
{
	line_redraw = redraw;
}

void console_hold(void)
{
	lock();
}

void console_release(void)
{
	unlock();
}

void console_write_raw_held(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		send(s[i]);
}

void console_report(const char *line)
{
	lock();
	if (last_sent != '\n')
		send_text('\n');
	while (*line)
		send_text(*line++);
	send_text('\n');
	if (line_redraw)
		line_redraw();
	unlock();
}

void console_start_line(void)
{
	lock();
	if (last_sent != '\n')
		send_text('\n');
	unlock();
}

void console_puts(const char *s)
{
	lock();
	while (*s)
		send_text(*s++);
	unlock();
}

static void console_sink(void *ctx, char c)
{
	(void)ctx;
	send_text(c);
}

int hv_vprintf(const char *fmt, va_list ap)
{
	int n;

	lock();
	n = fmt_vprint(console_sink, NULL, fmt, ap);
	unlock();
	return n;
}

int hv_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int console_getc(void)
{
	uint8_t byte;

	if (!ringbuf_get(&rx_ring, &byte))
		return -1;
	board_console_rx_resume();
	return byte;
}

int console_peekc(void)
{
	uint8_t byte;

	if (!ringbuf_peek(&rx_ring, 0, &byte))
		return -1;
	return byte;
}

uint32_t console_rx_pending(void)
{
	return ringbuf_count(&rx_ring);
}

uint32_t console_rx_pauses(void)
{
	return rx_pauses;
}
