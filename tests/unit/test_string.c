/*
 * Unit tests for the hypervisor's own memset, memcpy and memmove
 * (hv/lib/string.c). The other unit tests use the C library's; this one
 * compiles string.c under other names (hv_memcpy, ...) so that both live in
 * one program, and checks every size up to a few hundred bytes at every
 * relative alignment of source and destination against the C library:
 * the word-at-a-time and four-words-at-a-time loops, the byte head and
 * tail, and that nothing outside the destination is touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#define memset	hv_memset
#define memcpy	hv_memcpy
#define memmove hv_memmove
#define memcmp	hv_memcmp
#define strlen	hv_strlen
#define strnlen hv_strnlen
#define strcmp	hv_strcmp
#define strncmp hv_strncmp
#define strchr	hv_strchr
#define strlcpy hv_strlcpy
/* strcmp is strncmp with no bound, which GCC's host string checks object to. */
#pragma GCC diagnostic ignored "-Wstringop-overread"
#include "lib/string.c"
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strlcpy

#define MAX_SIZE 300
#define SLACK	 32
#define AREA	 (MAX_SIZE + 3 * SLACK)

static unsigned char area[AREA], expect[AREA];

static void fill(unsigned char *buf, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 131 + seed * 7 + 1);
}

static void test_memcpy_every_size_and_alignment(void **state)
{
	static unsigned char src[MAX_SIZE + SLACK];

	(void)state;
	fill(src, sizeof(src), 3);
	for (size_t n = 0; n <= MAX_SIZE; n++) {
		for (size_t s_off = 0; s_off < 8; s_off++) {
			for (size_t d_off = 0; d_off < 16; d_off++) {
				fill(area, AREA, 5);
				memcpy(expect, area, AREA);
				memcpy(expect + SLACK + d_off, src + s_off, n);
				assert_ptr_equal(hv_memcpy(area + SLACK + d_off, src + s_off, n),
						 area + SLACK + d_off);
				assert_memory_equal(area, expect, AREA);
			}
		}
	}
}

static void test_memmove_overlaps_both_ways(void **state)
{
	(void)state;
	for (size_t n = 0; n <= MAX_SIZE; n += 7) {
		for (size_t from = 0; from < 2 * SLACK; from += 3) {
			for (size_t to = 0; to < 2 * SLACK; to += 5) {
				fill(area, AREA, 11);
				memcpy(expect, area, AREA);
				memmove(expect + to, expect + from, n);
				assert_ptr_equal(hv_memmove(area + to, area + from, n), area + to);
				assert_memory_equal(area, expect, AREA);
			}
		}
	}
}

static void test_memset_every_size_and_alignment(void **state)
{
	(void)state;
	for (size_t n = 0; n <= MAX_SIZE; n++) {
		for (size_t off = 0; off < 16; off++) {
			fill(area, AREA, 13);
			memcpy(expect, area, AREA);
			memset(expect + SLACK + off, 0xa5, n);
			assert_ptr_equal(hv_memset(area + SLACK + off, 0xa5, n),
					 area + SLACK + off);
			assert_memory_equal(area, expect, AREA);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy_every_size_and_alignment),
	    cmocka_unit_test(test_memmove_overlaps_both_ways),
	    cmocka_unit_test(test_memset_every_size_and_alignment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
