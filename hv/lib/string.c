/*
 * Memory and string helpers for the hypervisor (target build only; the host
 * unit tests use the C library).
 *
 * memset and memcpy are on the hot path (zeroing pages, copying guest
 * images), so they move 8 bytes at a time once the pointers are aligned.
 * Aligned accesses matter: the hypervisor is built with -mstrict-align
 * because memory is Device memory until the MMU is on.
 */

#include "lib/string.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * GCC can recognise the byte loops below as memset/memcpy idioms and replace
 * them with calls to the very function being defined, which would recurse
 * forever. -ffreestanding happens to prevent that today; this keeps the
 * functions correct whatever flags they are built with.
 */
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* A word type that may alias any object, so word-wise copies stay defined. */
typedef uint64_t __attribute__((may_alias)) word_t;

#define WORD_SIZE sizeof(word_t)

static inline bool is_word_aligned(uintptr_t addr)
{
	return (addr & (WORD_SIZE - 1)) == 0;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char byte = (unsigned char)c;

	while (n > 0 && !is_word_aligned((uintptr_t)d)) {
		*d++ = byte;
		n--;
	}
	if (n >= WORD_SIZE) {
		/* Replicate the byte into every lane of a word. */
		word_t pattern = byte * (word_t)0x0101010101010101ull;

		while (n >= WORD_SIZE) {
			*(word_t *)d = pattern;
			d += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n > 0) {
		*d++ = byte;
		n--;
	}
	return dst;
}

/* Forward copy; safe for overlapping buffers when dst is below src. */
NO_LIBCALL static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	/* Word copies only pay off if both pointers can become aligned together. */
	bool same_alignment = (((uintptr_t)d ^ (uintptr_t)s) & (WORD_SIZE - 1)) == 0;

	if (same_alignment) {
		while (n > 0 && !is_word_aligned((uintptr_t)d)) {
			*d++ = *s++;
			n--;
		}
		/*
		 * Four words a step (two load and two store pairs): a VM switch
		 * copies two 34-word trap frames, a disk request whole sectors.
		 */
		while (n >= 4 * WORD_SIZE) {
			word_t w0 = ((const word_t *)s)[0], w1 = ((const word_t *)s)[1];
			word_t w2 = ((const word_t *)s)[2], w3 = ((const word_t *)s)[3];

			((word_t *)d)[0] = w0;
			((word_t *)d)[1] = w1;
			((word_t *)d)[2] = w2;
			((word_t *)d)[3] = w3;
			d += 4 * WORD_SIZE;
			s += 4 * WORD_SIZE;
			n -= 4 * WORD_SIZE;
		}
		while (n >= WORD_SIZE) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n > 0) {
		*d++ = *s++;
		n--;
	}
}

/* Backward copy, for overlapping buffers where dst is above src. */
NO_LIBCALL static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	while (n > 0) {
		*--d = *--s;
		n--;
	}
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst;
	uintptr_t s = (uintptr_t)src;

	/* Only a destination that starts inside the source must copy backwards. */
	if (d > s && d - s < n)
		copy_backward(dst, src, n);
	else
		copy_forward(dst, src, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* C compares the characters as unsigned char. */
		unsigned char x = (unsigned char)a[i];
		unsigned char y = (unsigned char)b[i];

		if (x != y)
			return x < y ? -1 : 1;
		if (x == '\0')
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	char wanted = (char)c;

	/* The terminating NUL counts as part of the string, as in C. */
	for (;; s++) {
		if (*s == wanted)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
