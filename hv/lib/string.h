#pragma once

/*
 * Memory and string helpers for the freestanding hypervisor.
 *
 * The prototypes are the standard C ones on purpose: GCC may emit calls to
 * memset/memcpy/memmove/memcmp on its own (struct copies, zeroing), and the
 * host unit tests link the C library's versions instead of string.c.
 * strlcpy is the BSD function: it always NUL-terminates (when size > 0) and
 * returns strlen(src), so truncation is detected with "ret >= size".
 */

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
