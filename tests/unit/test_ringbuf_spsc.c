/*
 * hv/lib/ringbuf.c across threads, under ThreadSanitizer (UNIT_TSAN_TESTS
 * in unit.mk): one producer thread and one consumer thread, as the UART
 * interrupt and the shell (or two cores) use it. The data bytes are plain
 * memory; only the acquire/release counters order them, so a missing or
 * too weak barrier is a race TSan reports, and a lost, repeated or
 * reordered byte shows in the received copy.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ringbuf.h"

#define SPSC_BYTES (1u << 19)

/* Not periodic in 256, so a whole lost or repeated lap of the ring shows. */
static uint8_t expected_byte(uint32_t i)
{
	return (uint8_t)(i ^ (i >> 8) ^ (i >> 16));
}

struct spsc {
	struct ringbuf rb;
	uint8_t storage[16]; /* small: the run wraps the storage many times */
	uint8_t *received;   /* SPSC_BYTES + 1: a byte too many is seen too */
	uint32_t received_count;
	/* Checked by main: cmocka's assertions cannot fail from another thread. */
	uint32_t space_errors;
};

static void *producer(void *arg)
{
	struct spsc *s = arg;
	uint32_t sent = 0;

	while (sent < SPSC_BYTES) {
		uint8_t chunk[7];
		/* Every size from 1 (ringbuf_put) to 7, partial writes included. */
		uint32_t n = sent % 7 + 1;

		if (n > SPSC_BYTES - sent)
			n = SPSC_BYTES - sent;
		for (uint32_t i = 0; i < n; i++)
			chunk[i] = expected_byte(sent + i);
		uint32_t done = n == 1 ? (ringbuf_put(&s->rb, chunk[0]) ? 1 : 0)
				       : ringbuf_write(&s->rb, chunk, n);

		/* The producer's view: never more space than the ring has. */
		if (ringbuf_space(&s->rb) > s->rb.size)
			s->space_errors++;
		if (done == 0)
			sched_yield(); /* full: let the consumer run */
		sent += done;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct spsc *s = arg;
	uint32_t got = 0;

	while (got < SPSC_BYTES) {
		uint32_t want = got % 5 + 1;
		uint32_t n;

		if (want == 1)
			n = ringbuf_get(&s->rb, &s->received[got]) ? 1 : 0;
		else
			n = ringbuf_read(&s->rb, &s->received[got], want);
		if (n == 0)
			sched_yield(); /* empty: let the producer run */
		got += n;
	}
	s->received_count = got;
	return NULL;
}

static void test_spsc_every_byte_once_in_order(void **state)
{
	(void)state;
	struct spsc *s = calloc(1, sizeof(*s));
	pthread_t threads[2];

	assert_non_null(s);
	s->received = calloc(SPSC_BYTES + 1, 1);
	assert_non_null(s->received);
	ringbuf_init(&s->rb, s->storage, sizeof(s->storage));
	/* Start near the wrap so the counters cross UINT32_MAX during the run. */
	s->rb.head = s->rb.tail = UINT32_MAX - 1000;

	assert_int_equal(pthread_create(&threads[0], NULL, consumer, s), 0);
	assert_int_equal(pthread_create(&threads[1], NULL, producer, s), 0);
	assert_int_equal(pthread_join(threads[1], NULL), 0);
	assert_int_equal(pthread_join(threads[0], NULL), 0);

	assert_int_equal(s->received_count, SPSC_BYTES);
	assert_int_equal(s->space_errors, 0);
	for (uint32_t i = 0; i < SPSC_BYTES; i++) {
		if (s->received[i] != expected_byte(i))
			fail_msg("byte %u: got 0x%02x, want 0x%02x", i, s->received[i],
				 expected_byte(i));
	}
	/* Nothing left over and nothing written past what was asked for. */
	assert_true(ringbuf_is_empty(&s->rb));
	assert_int_equal(s->received[SPSC_BYTES], 0);
	assert_int_equal(s->rb.head, (uint32_t)(UINT32_MAX - 1000 + SPSC_BYTES));
	assert_int_equal(s->rb.dropped, 0);
	free(s->received);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spsc_every_byte_once_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
