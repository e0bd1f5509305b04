#include "vdev/virtqueue.h"
#include "vdev/vdev_host.h"

#include <stddef.h>

/* Sizes of the three parts (§2.7): 16 bytes a descriptor; flags, idx, ring and an event word. */
#define DESC_SIZE	16U
#define AVAIL_SIZE(num) (6U + 2U * (num))
#define USED_SIZE(num)	(6U + 8U * (num))
#define RING_IDX	2U /* offset of idx in both rings */
#define RING_ENTRIES	4U /* offset of ring[] in both rings */
#define USED_ENTRY_SIZE 8U /* struct virtq_used_elem: le32 id, le32 len */

/* Guest RAM is little-endian like the Cortex-A53 here; volatile: read each field once. */
static uint16_t load16(const void *p)
{
	return *(const volatile uint16_t *)p;
}

static uint32_t load32(const void *p)
{
	return *(const volatile uint32_t *)p;
}

static uint64_t load64(const void *p)
{
	return *(const volatile uint64_t *)p;
}

static bool is_power_of_two(uint32_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static bool part_ok(struct vm *vm, uint64_t ipa, uint64_t size, uint64_t align)
{
	return ipa % align == 0 && vdev_guest_ptr(vm, ipa, size) != NULL;
}

const char *vq_check_layout(const struct virtqueue *q, struct vm *vm)
{
	if (q->num == 0 || q->num > VQ_MAX_SIZE)
		return "queue size 0 or above QueueNumMax";
	if (!is_power_of_two(q->num))
		return "queue size not a power of two";
	if (!part_ok(vm, q->desc, (uint64_t)DESC_SIZE * q->num, 16))
		return "descriptor table not 16-byte aligned inside RAM";
	if (!part_ok(vm, q->avail, AVAIL_SIZE(q->num), 2))
		return "available ring not 2-byte aligned inside RAM";
	if (!part_ok(vm, q->used, USED_SIZE(q->num), 4))
		return "used ring not 4-byte aligned inside RAM";
	return NULL;
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static bool read_desc(const struct virtqueue *q, struct vm *vm, uint16_t index, struct desc *d)
{
	const uint8_t *p = vdev_guest_ptr(vm, q->desc + (uint64_t)index * DESC_SIZE, DESC_SIZE);

	if (!p)
		return false;
	d->addr = load64(p);
	d->len = load32(p + 8);
	d->flags = load16(p + 12);
	d->next = load16(p + 14);
	return true;
}

/* Adds one descriptor's buffer to the chain; a bad buffer marks the request failed. */
static void add_segment(struct vm *vm, struct vq_chain *c, const struct desc *d)
{
	struct vq_seg *s = &c->seg[c->count++];

	s->len = d->len;
	s->writable = d->flags & VIRTQ_DESC_F_WRITE;
	s->ptr = d->len ? vdev_guest_ptr(vm, d->addr, d->len) : NULL;
	if (d->len && !s->ptr && !c->bad)
		c->bad = "a buffer is outside the VM's RAM";
	if (!s->writable && c->writable && !c->bad)
		c->bad = "a device-readable buffer follows a device-writable one";
	if (s->writable)
		c->writable += d->len;
	else
		c->readable += d->len;
}

/* Walks the chain from c->head; false (with why) when the ring itself is malformed. */
static bool walk_chain(const struct virtqueue *q, struct vm *vm, struct vq_chain *c,
		       const char **why)
{
	uint16_t index = c->head;
	struct desc d;

	for (;;) {
		if (index >= q->num) {
			*why = "descriptor index beyond the queue size";
			return false;
		}
		if (c->count == q->num) {
			*why = "descriptor chain longer than the queue (a loop)";
			return false;
		}
		if (!read_desc(q, vm, index, &d)) {
			*why = "descriptor table no longer in RAM";
			return false;
		}
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			*why = "indirect descriptor (VIRTIO_F_INDIRECT_DESC not offered)";
			return false;
		}
		add_segment(vm, c, &d);
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return true;
		index = d.next;
	}
}

enum vq_pop vq_pop(struct virtqueue *q, struct vm *vm, struct vq_chain *c, const char **why)
{
	const uint8_t *avail = vdev_guest_ptr(vm, q->avail, AVAIL_SIZE(q->num));
	uint16_t avail_idx, pending;

	if (!avail) {
		*why = "available ring no longer in RAM";
		return VQ_BROKEN;
	}
	avail_idx = load16(avail + RING_IDX);
	pending = (uint16_t)(avail_idx - q->last_avail);
	if (pending == 0)
		return VQ_EMPTY;
	if (pending > q->num) {
		*why = "available index ahead of the device by more than the queue size";
		return VQ_BROKEN;
	}
	/* Read the ring entry only after the index that published it (§2.7.13.3). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	c->head = load16(avail + RING_ENTRIES + 2U * (q->last_avail % q->num));
	c->count = 0;
	c->readable = c->writable = 0;
	c->bad = NULL;
	if (!walk_chain(q, vm, c, why))
		return VQ_BROKEN;
	q->last_avail++;
	return VQ_CHAIN;
}

bool vq_push(struct virtqueue *q, struct vm *vm, uint16_t head, uint32_t len)
{
	uint8_t *used = vdev_guest_ptr(vm, q->used, USED_SIZE(q->num));
	uint8_t *entry;

	if (!used)
		return false;
	entry = used + RING_ENTRIES + USED_ENTRY_SIZE * (q->used_idx % q->num);
	*(volatile uint32_t *)entry = head;
	*(volatile uint32_t *)(entry + 4) = len;
	/* The entry before the index that publishes it (§2.7.8). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->used_idx++;
	*(volatile uint16_t *)(used + RING_IDX) = q->used_idx;
	vdev_guest_sync(vm, used, USED_SIZE(q->num));
	return true;
}
