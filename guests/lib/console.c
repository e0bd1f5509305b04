/*
 * Console: newline translation and formatting on top of the UART driver.
 */
#include "lib/console.h"

#include "lib/printf.h"
#include "lib/uart.h"

static bool at_line_start = true;

void console_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
	at_line_start = c == '\n';
}

void console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		console_putc(buf[i]);
}

static void console_sink(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

int console_vprintf(const char *fmt, va_list ap)
{
	return fmt_vprint(console_sink, NULL, fmt, ap);
}

int console_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = console_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

bool console_at_line_start(void)
{
	return at_line_start;
}
