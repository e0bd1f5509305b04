#include "core/console.h"
#include "board/board.h"
#include "lib/printf.h"
#include "core/sched.h"
#include "lib/ringbuf.h"

#include <stdbool.h>

static uint8_t rx_storage[CONSOLE_RX_BUFFER];
static struct ringbuf rx_ring;
static uint32_t rx_pauses;
/* The last byte sent to the terminal, whoever sent it (the shell, a VM, a report). */
static char last_sent = '\n';

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

void console_putc(char c)
{
	if (c == '\n')
		send('\r');
	send(c);
}

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		console_putc(s[i]);
}

void console_write_raw(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		send(s[i]);
}

void console_putc_raw(char c)
{
	send(c);
}

void console_start_line(void)
{
	if (last_sent != '\n')
		console_putc('\n');
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

static void console_sink(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

int hv_vprintf(const char *fmt, va_list ap)
{
	return fmt_vprint(console_sink, NULL, fmt, ap);
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
