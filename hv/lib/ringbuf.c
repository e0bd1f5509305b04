/*
 * Byte ring buffer with free-running indices; see ringbuf.h for the
 * single-producer / single-consumer rules this code relies on.
 */

#include "lib/ringbuf.h"

/*
 * The counters' acquire/release go through lib/atomic.h, so this file is the
 * same source on the hypervisor (LDAR/STLR) and in the host tests (__atomic
 * builtins, which ThreadSanitizer checks).
 */
#include "lib/atomic.h"
#include "lib/string.h"

/* The largest power of two not above n (0 for 0), at most 2^31. */
static uint32_t round_down_pow2(uint32_t n)
{
	uint32_t p = 1;

	if (n == 0)
		return 0;
	while (p <= n / 2)
		p *= 2;
	return p;
}

static uint32_t slot(const struct ringbuf *rb, uint32_t index)
{
	return index & (rb->size - 1);
}

void ringbuf_init(struct ringbuf *rb, uint8_t *storage, uint32_t size)
{
	rb->data = storage;
	rb->size = round_down_pow2(size);
	rb->head = 0;
	rb->tail = 0;
	rb->dropped = 0;
}

uint32_t ringbuf_count(const struct ringbuf *rb)
{
	/*
	 * Tail first: head only grows, so a head read later can only make the
	 * count larger, never wrap it below zero. Observed from a third
	 * context it can exceed size for a moment; clamp that.
	 */
	uint32_t tail = atomic_load_acquire32(&rb->tail);
	uint32_t head = atomic_load_acquire32(&rb->head);
	uint32_t count = head - tail;

	return count > rb->size ? rb->size : count;
}

uint32_t ringbuf_space(const struct ringbuf *rb)
{
	return rb->size - ringbuf_count(rb);
}

bool ringbuf_is_empty(const struct ringbuf *rb)
{
	return ringbuf_count(rb) == 0;
}

bool ringbuf_is_full(const struct ringbuf *rb)
{
	return ringbuf_count(rb) == rb->size;
}

bool ringbuf_put(struct ringbuf *rb, uint8_t byte)
{
	/* head is ours; tail must be acquired so its slot is really free. */
	uint32_t head = rb->head;
	uint32_t tail = atomic_load_acquire32(&rb->tail);

	if (head - tail >= rb->size)
		return false;
	rb->data[slot(rb, head)] = byte;
	atomic_store_release32(&rb->head, head + 1);
	return true;
}

void ringbuf_put_overwrite(struct ringbuf *rb, uint8_t byte)
{
	uint32_t head = rb->head;
	uint32_t tail = rb->tail;

	if (rb->size == 0) {
		rb->dropped++;
		return;
	}
	if (head - tail >= rb->size) {
		/* Full: give up the oldest byte (the consumer's side, see ringbuf.h). */
		atomic_store_release32(&rb->tail, tail + 1);
		rb->dropped++;
	}
	rb->data[slot(rb, head)] = byte;
	atomic_store_release32(&rb->head, head + 1);
}

bool ringbuf_get(struct ringbuf *rb, uint8_t *byte)
{
	/* tail is ours; head must be acquired so the byte's data is visible. */
	uint32_t tail = rb->tail;
	uint32_t head = atomic_load_acquire32(&rb->head);

	if (head == tail)
		return false;
	*byte = rb->data[slot(rb, tail)];
	atomic_store_release32(&rb->tail, tail + 1);
	return true;
}

bool ringbuf_peek(const struct ringbuf *rb, uint32_t index, uint8_t *byte)
{
	uint32_t tail = rb->tail;
	uint32_t head = atomic_load_acquire32(&rb->head);

	if (index >= head - tail)
		return false;
	*byte = rb->data[slot(rb, tail + index)];
	return true;
}

uint32_t ringbuf_write(struct ringbuf *rb, const void *src, uint32_t len)
{
	uint32_t head = rb->head;
	uint32_t tail = atomic_load_acquire32(&rb->tail);
	uint32_t space = rb->size - (head - tail);
	uint32_t n = len < space ? len : space;

	if (n == 0)
		return 0;

	/* At most two pieces: up to the end of the storage, then from its start. */
	uint32_t start = slot(rb, head);
	uint32_t first = rb->size - start;

	if (first > n)
		first = n;
	memcpy(rb->data + start, src, first);
	memcpy(rb->data, (const uint8_t *)src + first, n - first);
	atomic_store_release32(&rb->head, head + n);
	return n;
}

uint32_t ringbuf_read(struct ringbuf *rb, void *dst, uint32_t len)
{
	uint32_t tail = rb->tail;
	uint32_t head = atomic_load_acquire32(&rb->head);
	uint32_t count = head - tail;
	uint32_t n = len < count ? len : count;

	if (n == 0)
		return 0;

	uint32_t start = slot(rb, tail);
	uint32_t first = rb->size - start;

	if (first > n)
		first = n;
	memcpy(dst, rb->data + start, first);
	memcpy((uint8_t *)dst + first, rb->data, n - first);
	atomic_store_release32(&rb->tail, tail + n);
	return n;
}

void ringbuf_clear(struct ringbuf *rb)
{
	atomic_store_release32(&rb->tail, atomic_load_acquire32(&rb->head));
	rb->dropped = 0;
}
