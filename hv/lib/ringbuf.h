#pragma once

/*
 * A byte ring buffer, safe for one producer and one consumer without locks
 * (for example the UART receive interrupt filling it while the shell drains
 * it on the same core, or two cores).
 *
 * head and tail are free-running counters: they only ever increase and wrap
 * around at 2^32, the number of stored bytes is head - tail (modulo 2^32), and
 * the slot of a byte is its counter masked with size - 1. This is why the
 * size must be a power of two, and why all size bytes can be used (full and
 * empty are head - tail == size and == 0, no slot has to stay unused).
 *
 * Only the producer writes head and only the consumer writes tail. Each
 * side stores its own counter with release semantics after touching the
 * data, and loads the other side's counter with acquire semantics before
 * touching the data, so a byte is never read before it is written nor
 * overwritten before it is read.
 *
 * Producer side: ringbuf_put, ringbuf_write, ringbuf_put_overwrite.
 * Consumer side: ringbuf_get, ringbuf_read, ringbuf_peek, ringbuf_clear.
 * Either side: ringbuf_count, ringbuf_space, ringbuf_is_empty, ringbuf_is_full.
 */

#include <stdbool.h>
#include <stdint.h>

struct ringbuf {
	uint8_t *data;
	uint32_t size;	  /* capacity in bytes, a power of two */
	uint32_t head;	  /* free-running count of bytes ever stored (producer) */
	uint32_t tail;	  /* free-running count of bytes ever removed (consumer) */
	uint32_t dropped; /* bytes lost by ringbuf_put_overwrite */
};

/*
 * size must be a power of two no larger than 2^31; any other size is
 * rounded down to one (0 gives a buffer that is always empty and full).
 */
void ringbuf_init(struct ringbuf *rb, uint8_t *storage, uint32_t size);

uint32_t ringbuf_count(const struct ringbuf *rb);
uint32_t ringbuf_space(const struct ringbuf *rb);
bool ringbuf_is_empty(const struct ringbuf *rb);
bool ringbuf_is_full(const struct ringbuf *rb);

/* Stores one byte; returns false (and stores nothing) if the buffer is full. */
bool ringbuf_put(struct ringbuf *rb, uint8_t byte);

/*
 * Stores one byte; when the buffer is full the oldest byte is dropped and
 * counted in rb->dropped. Meant for logs that keep the newest output.
 * NOT safe against a concurrent consumer: dropping a byte moves tail, which
 * belongs to the consumer, so callers must keep the consumer out (e.g. the
 * same lock or interrupts masked).
 */
void ringbuf_put_overwrite(struct ringbuf *rb, uint8_t byte);

/* Removes the oldest byte; returns false if the buffer is empty. */
bool ringbuf_get(struct ringbuf *rb, uint8_t *byte);

/* Reads the byte at index (0 = oldest) without removing it; false if index >= count. */
bool ringbuf_peek(const struct ringbuf *rb, uint32_t index, uint8_t *byte);

/* Stores as many of the len bytes as fit; returns how many were stored. */
uint32_t ringbuf_write(struct ringbuf *rb, const void *src, uint32_t len);

/* Removes up to len of the oldest bytes into dst; returns how many were read. */
uint32_t ringbuf_read(struct ringbuf *rb, void *dst, uint32_t len);

/* Discards everything stored and resets rb->dropped (consumer side). */
void ringbuf_clear(struct ringbuf *rb);
