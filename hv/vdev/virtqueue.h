#pragma once
/*
 * A split virtqueue, device side (Virtual I/O Device (VIRTIO) Version 1.2,
 * §2.7 "Split Virtqueues"): the driver's descriptor table, available ring
 * and used ring in guest RAM, read and written through the hypervisor's
 * guest-RAM accessors (vdev_host.h), never through a pointer kept across
 * calls, so every field is read once, checked, and then used.
 *
 * What the guest controls and what is checked:
 *   - the ring addresses and size, when the queue is made ready
 *     (vq_check_layout): size a power of two up to VQ_MAX_SIZE, each part
 *     aligned (§2.7 "Virtqueue Part Alignment": 16, 2, 4) and inside RAM;
 *   - the available index: it may run ahead of the device by at most the
 *     queue size (§2.7.6);
 *   - each chain (vq_pop): head and next indexes inside the table, at most
 *     `num` descriptors (a longer chain loops), no INDIRECT (not offered),
 *     every buffer inside RAM, device-writable buffers after the readable
 *     ones (§2.7.4.2).
 * A fault in the ring structure (index, loop, indirect) breaks the queue:
 * the device must be reset. A fault in a buffer fails only its request.
 */
#include <stdbool.h>
#include <stdint.h>

struct vm;

#define VQ_MAX_SIZE 128 /* QueueNumMax */

#define VIRTQ_DESC_F_NEXT     1U
#define VIRTQ_DESC_F_WRITE    2U
#define VIRTQ_DESC_F_INDIRECT 4U

struct virtqueue {
	uint32_t num;		    /* QueueNum */
	bool ready;		    /* QueueReady */
	uint64_t desc, avail, used; /* guest-physical (QueueDesc, QueueDriver, QueueDevice) */
	uint16_t last_avail;	    /* the next available ring slot to take */
	uint16_t used_idx;	    /* the used index last published */
};

/* One buffer of a chain: host pointer into guest RAM (NULL if len is 0 or the buffer is bad). */
struct vq_seg {
	uint8_t *ptr;
	uint32_t len;
	bool writable; /* VIRTQ_DESC_F_WRITE: the device writes it */
};

struct vq_chain {
	uint16_t head;
	unsigned int count;
	struct vq_seg seg[VQ_MAX_SIZE];
	uint64_t readable, writable; /* bytes of each kind */
	const char *bad;	     /* why the request must fail, or NULL */
};

enum vq_pop {
	VQ_EMPTY,  /* nothing available */
	VQ_CHAIN,  /* a chain taken: push it back used when done (even if c->bad) */
	VQ_BROKEN, /* the ring is malformed: *why says how; nothing was taken */
};

/* NULL if the ready queue's layout is good, else the problem in words. */
const char *vq_check_layout(const struct virtqueue *q, struct vm *vm);
enum vq_pop vq_pop(struct virtqueue *q, struct vm *vm, struct vq_chain *c, const char **why);
/* Returns the chain at `head` as used with `len` bytes written; false if the ring is gone. */
bool vq_push(struct virtqueue *q, struct vm *vm, uint16_t head, uint32_t len);
