#pragma once
/*
 * Console output on the mini UART, with the newline translation of a
 * terminal's ONLCR ('\n' is sent as "\r\n") and printf-style formatting by
 * the hypervisor's formatter (hv/lib/printf.c, compiled into every guest).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void console_putc(char c);
void console_write(const char *buf, size_t len);
int console_vprintf(const char *fmt, va_list ap);
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True if the last character written ended a line (or nothing was written yet). */
bool console_at_line_start(void);
