#pragma once
/*
 * The hypervisor's console: output to the board's UART, input from an
 * interrupt-filled ring buffer so that bytes arriving in bursts (a paste)
 * wait there until the shell reads them.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONSOLE_RX_BUFFER 4096

void console_init(void);
/* Writes one byte; '\n' becomes "\r\n" as terminals expect. */
void console_putc(char c);
void console_write(const char *s, size_t len);
/* Writes bytes exactly as given (no newline translation): terminal echo, guest output. */
void console_write_raw(const char *s, size_t len);
void console_putc_raw(char c);

/*
 * Ends the terminal's current line unless it just ended: what the hypervisor
 * says (a banner, a report) starts a line of its own, after a guest's output
 * or the prompt, without an empty line after output that ended its line.
 */
void console_start_line(void);
/*
 * A report (a line that may come from any core at any moment) on a line of
 * its own, then the shell's line drawn again after it (the hook set with
 * console_set_line_redraw), all in one piece under the console lock: the
 * terminal shows the report between two lines, never inside the command
 * being typed, whatever the shell's core echoes meanwhile.
 */
void console_report(const char *line);
/*
 * The shell's hook that draws its line again (the prompt and what was
 * typed so far); it runs with the console held and writes with
 * console_write_raw_held().
 */
void console_set_line_redraw(void (*redraw)(void));
/*
 * Holds the console across several writes: the line editor holds it while
 * it edits its line and echoes the change, so that a report from another
 * core sees the line and the terminal agree. Only the *_held writes may be
 * used meanwhile (the lock is not recursive).
 */
void console_hold(void);
void console_release(void);
void console_write_raw_held(const char *s, size_t len);
void console_puts(const char *s);
int hv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int hv_vprintf(const char *fmt, va_list ap);

/* The next received byte, or -1 when none is waiting. Never blocks. */
int console_getc(void);
/* The next received byte without taking it, or -1. */
int console_peekc(void);
/* Bytes received but not yet read, and how often reception had to pause. */
uint32_t console_rx_pending(void);
uint32_t console_rx_pauses(void);

/*
 * After a hypervisor crash: the console is this core's alone from now on
 * (the lock is ignored; the other cores have been halted).
 */
void console_take_over(void);
