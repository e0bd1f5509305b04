#include "core/console.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "lib/printf.h"
#include "lib/ringbuf.h"

#include <stdbool.h>

static uint8_t rx_storage[CONSOLE_RX_BUFFER];
static struct ringbuf rx_ring;
static uint32_t rx_pauses;

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

void console_putc(char c)
{
	if (c == '\n')
		board_console_putc('\r');
	board_console_putc(c);
}

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		console_putc(s[i]);
}

void console_write_raw(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		board_console_putc(s[i]);
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

void console_wait_for_input(void)
{
	/*
	 * Mask IRQs while checking, then WFI: an interrupt that arrives after
	 * the check still wakes WFI (it is pending, just not taken), and is
	 * taken as soon as IRQs are unmasked again. Without the mask it could
	 * be taken between the check and the WFI, and we would sleep on it.
	 */
	irq_disable();
	if (ringbuf_is_empty(&rx_ring))
		wfi();
	irq_enable();
}

uint32_t console_rx_pending(void)
{
	return ringbuf_count(&rx_ring);
}

uint32_t console_rx_pauses(void)
{
	return rx_pauses;
}
