/*
 * Unit tests for hv/lib/ringbuf.c.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ringbuf.h"

#define STORAGE_SIZE 8

struct fixture {
	struct ringbuf rb;
	/* Guard bytes around the storage catch writes outside it. */
	uint8_t guard_before[8];
	uint8_t storage[STORAGE_SIZE];
	uint8_t guard_after[8];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	memset(f->guard_before, 0xaa, sizeof(f->guard_before));
	memset(f->guard_after, 0xaa, sizeof(f->guard_after));
	ringbuf_init(&f->rb, f->storage, STORAGE_SIZE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(f->guard_before); i++) {
		assert_int_equal(f->guard_before[i], 0xaa);
		assert_int_equal(f->guard_after[i], 0xaa);
	}
	free(f);
	return 0;
}

/* Moves both indices, so that the next byte goes to counter value `start`. */
static void start_at(struct ringbuf *rb, uint32_t start)
{
	rb->head = start;
	rb->tail = start;
}

static void test_init_empty(void **state)
{
	struct fixture *f = *state;
	uint8_t byte = 0x55;

	assert_int_equal(f->rb.size, STORAGE_SIZE);
	assert_int_equal(ringbuf_count(&f->rb), 0);
	assert_int_equal(ringbuf_space(&f->rb), STORAGE_SIZE);
	assert_true(ringbuf_is_empty(&f->rb));
	assert_false(ringbuf_is_full(&f->rb));
	assert_false(ringbuf_get(&f->rb, &byte));
	assert_int_equal(byte, 0x55);
	assert_false(ringbuf_peek(&f->rb, 0, &byte));
	assert_int_equal(f->rb.dropped, 0);
}

static void test_put_get_fifo_order(void **state)
{
	struct fixture *f = *state;
	uint8_t byte;

	assert_true(ringbuf_put(&f->rb, 1));
	assert_true(ringbuf_put(&f->rb, 2));
	assert_true(ringbuf_put(&f->rb, 3));
	assert_int_equal(ringbuf_count(&f->rb), 3);
	assert_int_equal(ringbuf_space(&f->rb), STORAGE_SIZE - 3);
	assert_false(ringbuf_is_empty(&f->rb));

	assert_true(ringbuf_get(&f->rb, &byte));
	assert_int_equal(byte, 1);
	assert_true(ringbuf_get(&f->rb, &byte));
	assert_int_equal(byte, 2);
	assert_true(ringbuf_get(&f->rb, &byte));
	assert_int_equal(byte, 3);
	assert_false(ringbuf_get(&f->rb, &byte));
	assert_true(ringbuf_is_empty(&f->rb));
}

static void test_fill_to_capacity(void **state)
{
	struct fixture *f = *state;
	uint8_t byte;

	/* Free-running indices: all STORAGE_SIZE slots are usable. */
	for (int i = 0; i < STORAGE_SIZE; i++)
		assert_true(ringbuf_put(&f->rb, (uint8_t)(0x10 + i)));
	assert_true(ringbuf_is_full(&f->rb));
	assert_int_equal(ringbuf_count(&f->rb), STORAGE_SIZE);
	assert_int_equal(ringbuf_space(&f->rb), 0);

	/* A put into a full buffer changes nothing. */
	assert_false(ringbuf_put(&f->rb, 0xee));
	assert_int_equal(ringbuf_count(&f->rb), STORAGE_SIZE);
	assert_int_equal(f->rb.dropped, 0);

	for (int i = 0; i < STORAGE_SIZE; i++) {
		assert_true(ringbuf_get(&f->rb, &byte));
		assert_int_equal(byte, 0x10 + i);
	}
	assert_true(ringbuf_is_empty(&f->rb));
}

static void test_interleaved_many_laps(void **state)
{
	struct fixture *f = *state;
	uint8_t next_in = 0, next_out = 0, byte;

	/* Keep 0..7 bytes in flight for many laps around the storage. */
	for (int round = 0; round < 1000; round++) {
		int burst = round % (STORAGE_SIZE + 1);

		for (int i = 0; i < burst; i++)
			assert_true(ringbuf_put(&f->rb, next_in++));
		assert_int_equal(ringbuf_count(&f->rb), burst);
		for (int i = 0; i < burst; i++) {
			assert_true(ringbuf_get(&f->rb, &byte));
			assert_int_equal(byte, next_out++);
		}
		assert_true(ringbuf_is_empty(&f->rb));
	}
}

static void test_index_wrap_across_uint32_max(void **state)
{
	struct fixture *f = *state;
	uint8_t byte;

	start_at(&f->rb, UINT32_MAX - 2);
	for (int i = 0; i < STORAGE_SIZE; i++)
		assert_true(ringbuf_put(&f->rb, (uint8_t)(0xa0 + i)));

	/* head has wrapped past zero while tail has not. */
	assert_true(f->rb.head < f->rb.tail);
	assert_int_equal(f->rb.head, STORAGE_SIZE - 3);
	assert_int_equal(ringbuf_count(&f->rb), STORAGE_SIZE);
	assert_true(ringbuf_is_full(&f->rb));
	assert_false(ringbuf_put(&f->rb, 0));

	for (uint32_t i = 0; i < STORAGE_SIZE; i++) {
		assert_true(ringbuf_peek(&f->rb, i, &byte));
		assert_int_equal(byte, 0xa0 + i);
	}
	for (int i = 0; i < STORAGE_SIZE; i++) {
		assert_true(ringbuf_get(&f->rb, &byte));
		assert_int_equal(byte, 0xa0 + i);
		assert_int_equal(ringbuf_count(&f->rb), STORAGE_SIZE - 1 - i);
	}
	assert_true(ringbuf_is_empty(&f->rb));
	assert_int_equal(f->rb.tail, STORAGE_SIZE - 3);
}

static void test_block_write_read_wrap_across_uint32_max(void **state)
{
	struct fixture *f = *state;
	const uint8_t in[] = {1, 2, 3, 4, 5, 6};
	uint8_t out[8] = {0};

	start_at(&f->rb, UINT32_MAX - 1);
	/* Slot 6: the copy splits into 2 bytes at the end and 4 at the start. */
	assert_int_equal(ringbuf_write(&f->rb, in, sizeof(in)), sizeof(in));
	assert_int_equal(ringbuf_count(&f->rb), sizeof(in));
	assert_int_equal(ringbuf_read(&f->rb, out, sizeof(out)), sizeof(in));
	assert_memory_equal(out, in, sizeof(in));
	assert_true(ringbuf_is_empty(&f->rb));
	assert_int_equal(f->rb.head, 4);
	assert_int_equal(f->rb.tail, 4);
}

static void test_write_splits_at_storage_end(void **state)
{
	struct fixture *f = *state;
	const uint8_t in[] = {'a', 'b', 'c', 'd', 'e'};
	uint8_t out[5] = {0};

	/* Slot 6 of 8: two bytes go to the end of the storage, three to its start. */
	start_at(&f->rb, 6);
	assert_int_equal(ringbuf_write(&f->rb, in, sizeof(in)), sizeof(in));
	assert_int_equal(f->storage[6], 'a');
	assert_int_equal(f->storage[7], 'b');
	assert_int_equal(f->storage[0], 'c');
	assert_int_equal(f->storage[2], 'e');

	/* Read in two pieces, the first stopping inside the split. */
	assert_int_equal(ringbuf_read(&f->rb, out, 3), 3);
	assert_memory_equal(out, "abc", 3);
	assert_int_equal(ringbuf_read(&f->rb, out, 5), 2);
	assert_memory_equal(out, "de", 2);
	assert_int_equal(ringbuf_read(&f->rb, out, 5), 0);
}

static void test_write_partial_when_nearly_full(void **state)
{
	struct fixture *f = *state;
	const uint8_t in[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	uint8_t out[12];

	assert_int_equal(ringbuf_write(&f->rb, in, 5), 5);
	/* Only 3 of the next 12 fit. */
	assert_int_equal(ringbuf_write(&f->rb, in + 5, 7), 3);
	assert_true(ringbuf_is_full(&f->rb));
	assert_int_equal(ringbuf_write(&f->rb, in, 1), 0);
	assert_int_equal(ringbuf_write(&f->rb, in, 0), 0);

	assert_int_equal(ringbuf_read(&f->rb, out, sizeof(out)), STORAGE_SIZE);
	assert_memory_equal(out, in, STORAGE_SIZE);
	assert_int_equal(ringbuf_read(&f->rb, out, 0), 0);
}

static void test_peek_does_not_consume(void **state)
{
	struct fixture *f = *state;
	uint8_t byte = 0;

	ringbuf_write(&f->rb, "xyz", 3);
	assert_true(ringbuf_peek(&f->rb, 0, &byte));
	assert_int_equal(byte, 'x');
	assert_true(ringbuf_peek(&f->rb, 2, &byte));
	assert_int_equal(byte, 'z');
	byte = 0;
	assert_false(ringbuf_peek(&f->rb, 3, &byte));
	assert_false(ringbuf_peek(&f->rb, UINT32_MAX, &byte));
	assert_int_equal(byte, 0);
	assert_int_equal(ringbuf_count(&f->rb), 3);

	assert_true(ringbuf_get(&f->rb, &byte));
	assert_true(ringbuf_peek(&f->rb, 0, &byte));
	assert_int_equal(byte, 'y');
}

static void test_overwrite_keeps_newest(void **state)
{
	struct fixture *f = *state;
	uint8_t out[STORAGE_SIZE];

	/* While there is room, overwrite mode behaves like put. */
	for (int i = 0; i < STORAGE_SIZE; i++)
		ringbuf_put_overwrite(&f->rb, (uint8_t)i);
	assert_int_equal(f->rb.dropped, 0);
	assert_true(ringbuf_is_full(&f->rb));

	/* 0..7 stored; writing 8..12 drops 0..4. */
	for (int i = STORAGE_SIZE; i < STORAGE_SIZE + 5; i++)
		ringbuf_put_overwrite(&f->rb, (uint8_t)i);
	assert_int_equal(f->rb.dropped, 5);
	assert_int_equal(ringbuf_count(&f->rb), STORAGE_SIZE);

	assert_int_equal(ringbuf_read(&f->rb, out, sizeof(out)), STORAGE_SIZE);
	for (int i = 0; i < STORAGE_SIZE; i++)
		assert_int_equal(out[i], 5 + i);
}

static void test_overwrite_wraps_across_uint32_max(void **state)
{
	struct fixture *f = *state;
	uint8_t byte;

	start_at(&f->rb, UINT32_MAX - 3);
	for (int i = 0; i < 3 * STORAGE_SIZE; i++)
		ringbuf_put_overwrite(&f->rb, (uint8_t)i);
	assert_int_equal(f->rb.dropped, 2 * STORAGE_SIZE);
	assert_int_equal(ringbuf_count(&f->rb), STORAGE_SIZE);
	for (int i = 0; i < STORAGE_SIZE; i++) {
		assert_true(ringbuf_get(&f->rb, &byte));
		assert_int_equal(byte, 2 * STORAGE_SIZE + i);
	}
	assert_true(ringbuf_is_empty(&f->rb));
}

static void test_clear(void **state)
{
	struct fixture *f = *state;
	uint8_t byte;

	for (int i = 0; i < STORAGE_SIZE + 3; i++)
		ringbuf_put_overwrite(&f->rb, (uint8_t)i);
	assert_int_equal(f->rb.dropped, 3);

	ringbuf_clear(&f->rb);
	assert_true(ringbuf_is_empty(&f->rb));
	assert_int_equal(ringbuf_space(&f->rb), STORAGE_SIZE);
	assert_int_equal(f->rb.dropped, 0);
	assert_false(ringbuf_get(&f->rb, &byte));

	/* Still usable after clearing. */
	assert_true(ringbuf_put(&f->rb, 42));
	assert_true(ringbuf_get(&f->rb, &byte));
	assert_int_equal(byte, 42);
}

static void test_size_one(void **state)
{
	(void)state;
	struct ringbuf rb;
	uint8_t storage[1];
	uint8_t byte;

	ringbuf_init(&rb, storage, 1);
	assert_true(ringbuf_put(&rb, 7));
	assert_true(ringbuf_is_full(&rb));
	assert_false(ringbuf_put(&rb, 8));
	ringbuf_put_overwrite(&rb, 9);
	assert_int_equal(rb.dropped, 1);
	assert_true(ringbuf_get(&rb, &byte));
	assert_int_equal(byte, 9);
	assert_true(ringbuf_is_empty(&rb));
}

static void test_size_not_power_of_two_rounds_down(void **state)
{
	(void)state;
	struct ringbuf rb;
	uint8_t storage[12];
	uint8_t fill[12] = {0};

	ringbuf_init(&rb, storage, sizeof(storage));
	assert_int_equal(rb.size, 8);
	assert_int_equal(ringbuf_write(&rb, fill, sizeof(fill)), 8);

	ringbuf_init(&rb, storage, 3);
	assert_int_equal(rb.size, 2);
	ringbuf_init(&rb, storage, UINT32_MAX);
	assert_int_equal(rb.size, 0x80000000u);
}

static void test_size_zero_is_inert(void **state)
{
	(void)state;
	struct ringbuf rb;
	uint8_t byte = 0x33;

	ringbuf_init(&rb, NULL, 0);
	assert_int_equal(rb.size, 0);
	assert_int_equal(ringbuf_count(&rb), 0);
	assert_int_equal(ringbuf_space(&rb), 0);
	assert_false(ringbuf_put(&rb, 1));
	assert_false(ringbuf_get(&rb, &byte));
	assert_false(ringbuf_peek(&rb, 0, &byte));
	assert_int_equal(ringbuf_write(&rb, "ab", 2), 0);
	assert_int_equal(ringbuf_read(&rb, &byte, 1), 0);
	ringbuf_put_overwrite(&rb, 1);
	assert_int_equal(rb.dropped, 1);
	assert_int_equal(byte, 0x33);
}

/*
 * A real producer thread and consumer thread: every byte of a long
 * sequence must arrive exactly once and in order.
 */
#define SPSC_BYTES (1u << 20)

static void *spsc_producer(void *arg)
{
	struct ringbuf *rb = arg;
	uint32_t sent = 0;

	while (sent < SPSC_BYTES) {
		uint8_t chunk[5];
		uint32_t n = (sent % 3 == 0) ? 1 : sizeof(chunk);

		if (n > SPSC_BYTES - sent)
			n = SPSC_BYTES - sent;
		for (uint32_t i = 0; i < n; i++)
			chunk[i] = (uint8_t)((sent + i) * 7);
		if (n == 1) {
			if (ringbuf_put(rb, chunk[0]))
				sent++;
		} else {
			/* A partial write is fine; resend the rest next time. */
			sent += ringbuf_write(rb, chunk, n);
		}
	}
	return NULL;
}

static void test_spsc_threads(void **state)
{
	(void)state;
	static uint8_t storage[64];
	struct ringbuf rb;
	pthread_t producer;
	uint32_t received = 0;
	bool in_order = true;

	ringbuf_init(&rb, storage, sizeof(storage));
	/* Start the indices near the wrap so the run crosses UINT32_MAX. */
	start_at(&rb, UINT32_MAX - 1000);
	assert_int_equal(pthread_create(&producer, NULL, spsc_producer, &rb), 0);
	while (received < SPSC_BYTES) {
		uint8_t chunk[3];
		uint32_t n;

		if (received % 2) {
			n = ringbuf_get(&rb, chunk) ? 1 : 0;
		} else {
			n = ringbuf_read(&rb, chunk, sizeof(chunk));
		}
		for (uint32_t i = 0; i < n; i++) {
			if (chunk[i] != (uint8_t)((received + i) * 7))
				in_order = false;
		}
		received += n;
	}
	assert_int_equal(pthread_join(producer, NULL), 0);
	assert_true(in_order);
	assert_true(ringbuf_is_empty(&rb));
	assert_int_equal(rb.dropped, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_put_get_fifo_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fill_to_capacity, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_interleaved_many_laps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_index_wrap_across_uint32_max, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_block_write_read_wrap_across_uint32_max, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_write_splits_at_storage_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_partial_when_nearly_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_peek_does_not_consume, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overwrite_keeps_newest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overwrite_wraps_across_uint32_max, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
	    cmocka_unit_test(test_size_one),
	    cmocka_unit_test(test_size_not_power_of_two_rounds_down),
	    cmocka_unit_test(test_size_zero_is_inert),
	    cmocka_unit_test(test_spsc_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
