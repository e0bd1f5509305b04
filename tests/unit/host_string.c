/*
 * String functions the hypervisor's hv/lib/string.c has and the host's C
 * library (glibc 2.36, Debian 12) lacks; the unit tests link this instead of
 * string.c, whose other functions would clash with libc's.
 */
#include <stddef.h>
#include <string.h>

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
