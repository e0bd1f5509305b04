#pragma once
/*
 * The user side of lrtos: system call wrappers and a few helpers. Every
 * function here runs at EL0; the only way into the kernel is SVC.
 */
#include <stddef.h>
#include <stdint.h>

long write(int fd, const void *buf, size_t len);
int fork(void);
__attribute__((noreturn)) void exit(int status);
int getpid(void);
int sleep_ms(unsigned int ms);

/* Formats like printf (hv/lib/printf.c) and writes the result to stdout. */
int uprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Busy-waits (burns CPU time) for about ms milliseconds. */
void spin_ms(unsigned int ms);
