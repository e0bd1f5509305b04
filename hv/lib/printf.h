#pragma once

/*
 * Formatted output without floating point, for the hypervisor's console and
 * logs. The output goes to a sink callback one character at a time, so the
 * same formatter serves the UART, the per-VM log ring buffers and strings.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%
 * Flags '-' '0' '+' ' ' '#', width and precision (also '*'), length
 * modifiers hh h l ll z t j, all with the C library's meaning.
 * Differences from C, chosen so that a bad format never crashes:
 *   - %s of NULL prints "(null)" (truncated by a precision like any string);
 *   - %p prints "0x" and the hex address, also for NULL ("0x0");
 *   - an unknown conversion (including %n, %f, %L...) is printed literally,
 *     e.g. "%-5y" prints "%-5y", and a '%' ending the format prints as is.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef void (*fmt_sink_fn)(void *ctx, char c);

/* Formats into sink; returns the number of characters emitted. */
int fmt_vprint(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);

/*
 * C99 vsnprintf: stores at most size - 1 characters plus a NUL (nothing at
 * all if size is 0, buf may then be NULL) and returns the length the whole
 * output would have had, so "ret >= size" means it was truncated.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * A size in bytes as a person reads it, in binary units: exact bytes below
 * 1 KiB ("512 B"), else the largest unit it reaches, whole when exact
 * ("16 MiB") and with one decimal, rounded down, when not ("14.4 KiB",
 * "2.7 MiB"). Every size the hypervisor prints goes through here, so the
 * console has one convention. FMT_SIZE_MAX holds any of them.
 */
#define FMT_SIZE_MAX 16
int fmt_size(char *buf, size_t size, uint64_t bytes);

/* fmt_size into buf (FMT_SIZE_MAX bytes), returning buf, for use as a printf argument. */
const char *fmt_size_text(char *buf, uint64_t bytes);

/* A size as a string that lives to the end of the enclosing block: printf("%s", SIZE_TEXT(n)). */
#define SIZE_TEXT(bytes) fmt_size_text((char[FMT_SIZE_MAX]){0}, (bytes))
