/*
 * virtio-blk over virtio-mmio (see virtio_blk.h). Register and field names
 * are the specification's (VIRTIO 1.2 §4.2.2 table "MMIO Device Register
 * Layout", §5.2.4 struct virtio_blk_config, §5.2.6 struct virtio_blk_req).
 */
#include "vdev/virtio_blk.h"
#include "vdev/vdev_host.h"

#include <stddef.h>

/* ---- Registers (§4.2.2) ---- */
#define REG_MAGIC_VALUE		0x000
#define REG_VERSION		0x004
#define REG_DEVICE_ID		0x008
#define REG_VENDOR_ID		0x00c
#define REG_DEVICE_FEATURES	0x010
#define REG_DEVICE_FEATURES_SEL 0x014
#define REG_DRIVER_FEATURES	0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL		0x030
#define REG_QUEUE_NUM_MAX	0x034
#define REG_QUEUE_NUM		0x038
#define REG_QUEUE_READY		0x044
#define REG_QUEUE_NOTIFY	0x050
#define REG_INTERRUPT_STATUS	0x060
#define REG_INTERRUPT_ACK	0x064
#define REG_STATUS		0x070
#define REG_QUEUE_DESC_LOW	0x080
#define REG_QUEUE_DESC_HIGH	0x084
#define REG_QUEUE_DRIVER_LOW	0x090
#define REG_QUEUE_DRIVER_HIGH	0x094
#define REG_QUEUE_DEVICE_LOW	0x0a0
#define REG_QUEUE_DEVICE_HIGH	0x0a4
#define REG_CONFIG_GENERATION	0x0fc
#define REG_CONFIG		0x100

#define MAGIC_VALUE	0x74726976U /* "virt" */
#define MMIO_VERSION	2U	    /* the modern transport */
#define DEVICE_ID_BLOCK 2U	    /* §5 "Device Types" */
#define VENDOR_ID	0x73695661U /* "aVis" */

/* Device status bits (§2.1). */
#define STATUS_ACKNOWLEDGE	  1U
#define STATUS_DRIVER		  2U
#define STATUS_DRIVER_OK	  4U
#define STATUS_FEATURES_OK	  8U
#define STATUS_DEVICE_NEEDS_RESET 64U
#define STATUS_FAILED		  128U

#define INTERRUPT_USED_BUFFER	1U
#define INTERRUPT_CONFIG_CHANGE 2U

/* Feature bits (§5.2.3, §6). */
#define VIRTIO_BLK_F_SIZE_MAX (1ULL << 1)
#define VIRTIO_BLK_F_SEG_MAX  (1ULL << 2)
#define VIRTIO_BLK_F_RO	      (1ULL << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ULL << 6)
#define VIRTIO_BLK_F_FLUSH    (1ULL << 9)
#define VIRTIO_F_VERSION_1    (1ULL << 32)

/* struct virtio_blk_config offsets (§5.2.4). */
#define CONFIG_CAPACITY 0x00 /* le64, in 512-byte sectors */
#define CONFIG_SIZE_MAX 0x08
#define CONFIG_SEG_MAX	0x0c
#define CONFIG_BLK_SIZE 0x14
#define CONFIG_SIZE	0x18

/* struct virtio_blk_req (§5.2.6). */
#define REQ_HEADER_SIZE	    16U /* le32 type, le32 reserved, le64 sector */
#define VIRTIO_BLK_T_IN	    0U
#define VIRTIO_BLK_T_OUT    1U
#define VIRTIO_BLK_T_FLUSH  4U
#define VIRTIO_BLK_T_GET_ID 8U
#define VIRTIO_BLK_S_OK	    0U
#define VIRTIO_BLK_S_IOERR  1U
#define VIRTIO_BLK_S_UNSUPP 2U

/* Sectors per backend call: bounds the time one call holds the card. */
#define MAX_RUN_SECTORS 128U

void vblk_init(struct vblk *b, struct vm *vm, const struct vblk_backend *disk)
{
	*b = (struct vblk){.vm = vm, .disk = *disk};
}

uint64_t vblk_device_features(const struct vblk *b)
{
	uint64_t f = VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_SEG_MAX |
		     VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH;

	return b->disk.read_only ? f | VIRTIO_BLK_F_RO : f;
}

/* The level of the one interrupt line follows InterruptStatus (§4.2.3.4). */
static void update_irq(struct vblk *b)
{
	vdev_set_irq_line(b->vm, VBLK_IRQ_LINE, b->interrupt_status != 0);
}

/* Reset (§2.1, status 0): the driver starts over; the counters stay. */
static void reset_device(struct vblk *b)
{
	b->status = 0;
	b->device_features_sel = b->driver_features_sel = 0;
	b->driver_features = 0;
	b->queue_sel = 0;
	b->interrupt_status = 0;
	b->queue = (struct virtqueue){0};
	b->broken = NULL;
	update_irq(b);
}

/* Something the guest did makes the device unusable until reset (§2.1.2). */
static void needs_reset(struct vblk *b, const char *why)
{
	if (!b->broken)
		b->broken = why;
	b->status |= STATUS_DEVICE_NEEDS_RESET;
	if (b->status & STATUS_DRIVER_OK) {
		b->interrupt_status |= INTERRUPT_CONFIG_CHANGE;
		update_irq(b);
	}
}

/* ---- Walking a request's bytes across its buffers ---- */

/* A position in the readable or the writable buffers of a chain, with a byte limit. */
struct cursor {
	struct vm *vm;
	const struct vq_chain *c;
	unsigned int seg;
	uint32_t off;
	uint64_t left;
	bool writable;
};

static void cursor_skip_empty(struct cursor *k)
{
	while (k->seg < k->c->count &&
	       (k->c->seg[k->seg].writable != k->writable || k->off == k->c->seg[k->seg].len)) {
		k->seg++;
		k->off = 0;
	}
}

static void cursor_init(struct cursor *k, struct vblk *b, bool writable, uint64_t limit)
{
	*k = (struct cursor){.vm = b->vm, .c = &b->chain, .writable = writable, .left = limit};
	cursor_skip_empty(k);
}

/* Bytes available at the cursor in one piece, and where. */
static uint32_t cursor_span(struct cursor *k, uint8_t **ptr)
{
	const struct vq_seg *s = &k->c->seg[k->seg];
	uint64_t span;

	if (k->seg >= k->c->count || k->left == 0)
		return 0;
	span = s->len - k->off;
	if (span > k->left)
		span = k->left;
	*ptr = s->ptr + k->off;
	return (uint32_t)span;
}

static void cursor_advance(struct cursor *k, uint32_t n)
{
	k->off += n;
	k->left -= n;
	cursor_skip_empty(k);
}

/*
 * Copies n bytes between the cursor and buf (into the chain's buffers when
 * into_chain, else out of them), or passes over them when buf is NULL (the
 * request header before the data); false if the buffers hold fewer.
 */
static bool cursor_copy(struct cursor *k, uint8_t *buf, uint32_t n, bool into_chain)
{
	while (n > 0) {
		uint8_t *p;
		uint32_t span = cursor_span(k, &p);

		if (span == 0)
			return false;
		if (span > n)
			span = n;
		for (uint32_t i = 0; buf && i < span; i++) {
			if (into_chain)
				p[i] = buf[i];
			else
				buf[i] = p[i];
		}
		if (buf && into_chain)
			vdev_guest_sync(k->vm, p, span);
		cursor_advance(k, span);
		buf = buf ? buf + span : NULL;
		n -= span;
	}
	return true;
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64_at(const uint8_t *p)
{
	return (uint64_t)le32_at(p) | (uint64_t)le32_at(p + 4) << 32;
}

/* ---- Requests (§5.2.6) ---- */

struct request {
	uint32_t type;
	uint64_t sector;
	uint64_t data_len; /* bytes between header and status */
	uint8_t *status;   /* the last device-writable byte */
	uint32_t used_len; /* bytes written into the chain, status included */
};

/* A data transfer's sectors: a multiple of 512 bytes, inside the disk. */
static bool data_in_range(const struct vblk *b, const struct request *r)
{
	uint64_t n = r->data_len / VBLK_SECTOR_SIZE;

	return r->data_len % VBLK_SECTOR_SIZE == 0 && r->sector <= b->disk.sectors &&
	       n <= b->disk.sectors - r->sector;
}

/* Moves the data: straight between guest RAM and the disk in whole sectors, else a bounce. */
static int transfer_run(struct vblk *b, struct cursor *k, uint64_t sector, bool to_disk)
{
	uint8_t *p;
	uint32_t span = cursor_span(k, &p);
	uint32_t n = span / VBLK_SECTOR_SIZE;
	int err;

	if (n > MAX_RUN_SECTORS)
		n = MAX_RUN_SECTORS;
	if (n > 0) {
		err = to_disk ? b->disk.write(b->disk.ctx, sector, n, p)
			      : b->disk.read(b->disk.ctx, sector, n, p);
		if (!err && !to_disk)
			vdev_guest_sync(b->vm, p, (uint64_t)n * VBLK_SECTOR_SIZE);
		if (!err)
			cursor_advance(k, n * VBLK_SECTOR_SIZE);
		return err ? err : (int)n;
	}
	/* A sector split across buffers. */
	if (to_disk) {
		if (!cursor_copy(k, b->bounce, VBLK_SECTOR_SIZE, false))
			return -1;
		err = b->disk.write(b->disk.ctx, sector, 1, b->bounce);
	} else {
		err = b->disk.read(b->disk.ctx, sector, 1, b->bounce);
		if (!err && !cursor_copy(k, b->bounce, VBLK_SECTOR_SIZE, true))
			err = -1;
	}
	return err ? err : 1;
}

static uint8_t do_transfer(struct vblk *b, struct request *r, bool to_disk)
{
	struct cursor k;
	uint64_t sector = r->sector, left = r->data_len / VBLK_SECTOR_SIZE;

	if (!data_in_range(b, r) || (to_disk && b->disk.read_only))
		return VIRTIO_BLK_S_IOERR;
	/* Data follows the header among the readable buffers, or leads the writable ones. */
	cursor_init(&k, b, !to_disk, r->data_len + (to_disk ? REQ_HEADER_SIZE : 0));
	if (to_disk && !cursor_copy(&k, NULL, REQ_HEADER_SIZE, false))
		return VIRTIO_BLK_S_IOERR;
	while (left > 0) {
		int n = transfer_run(b, &k, sector, to_disk);

		if (n < 0)
			return VIRTIO_BLK_S_IOERR;
		sector += (uint64_t)n;
		left -= (uint64_t)n;
	}
	if (to_disk) {
		b->stats.writes++;
		b->stats.sectors_written += r->data_len / VBLK_SECTOR_SIZE;
	} else {
		b->stats.reads++;
		b->stats.sectors_read += r->data_len / VBLK_SECTOR_SIZE;
		r->used_len += (uint32_t)r->data_len;
	}
	return VIRTIO_BLK_S_OK;
}

static uint8_t do_get_id(struct vblk *b, struct request *r)
{
	uint8_t id[VBLK_ID_BYTES] = {0};
	uint32_t n = r->data_len < VBLK_ID_BYTES ? (uint32_t)r->data_len : VBLK_ID_BYTES;
	struct cursor k;

	for (unsigned int i = 0; i < VBLK_ID_BYTES && b->disk.id[i]; i++)
		id[i] = (uint8_t)b->disk.id[i];
	cursor_init(&k, b, true, n);
	if (!cursor_copy(&k, id, n, true))
		return VIRTIO_BLK_S_IOERR;
	r->used_len += n;
	b->stats.get_ids++;
	return VIRTIO_BLK_S_OK;
}

static uint8_t do_flush(struct vblk *b)
{
	if (b->disk.flush && b->disk.flush(b->disk.ctx) != 0)
		return VIRTIO_BLK_S_IOERR;
	b->stats.flushes++;
	return VIRTIO_BLK_S_OK;
}

static uint8_t execute(struct vblk *b, struct request *r)
{
	switch (r->type) {
	case VIRTIO_BLK_T_IN:
		return do_transfer(b, r, false);
	case VIRTIO_BLK_T_OUT:
		return do_transfer(b, r, true);
	case VIRTIO_BLK_T_FLUSH:
		return do_flush(b);
	case VIRTIO_BLK_T_GET_ID:
		return do_get_id(b, r);
	default:
		b->stats.unsupported++;
		return VIRTIO_BLK_S_UNSUPP;
	}
}

/* The status byte: the last byte of the last writable buffer, if that buffer is good. */
static uint8_t *status_byte(const struct vq_chain *c)
{
	const struct vq_seg *last = c->count ? &c->seg[c->count - 1] : NULL;

	if (!last || !last->writable || !last->ptr || last->len == 0)
		return NULL;
	return last->ptr + last->len - 1;
}

/* Every buffer within size_max and the data within seg_max buffers of it (what was offered). */
static bool within_limits(const struct vq_chain *c)
{
	for (unsigned int i = 0; i < c->count; i++) {
		if (c->seg[i].len > VBLK_SIZE_MAX)
			return false;
	}
	return c->count <= VBLK_SEG_MAX + 2;
}

/* Decodes and carries out one chain; returns the used length. */
static uint32_t handle_chain(struct vblk *b)
{
	struct vq_chain *c = &b->chain;
	struct request r = {.status = status_byte(c)};
	uint8_t header[REQ_HEADER_SIZE];
	struct cursor k;
	uint8_t st;

	if (!r.status)
		return 0; /* nowhere to answer: the request is dropped, used with 0 bytes */
	r.used_len = 1;
	cursor_init(&k, b, false, c->readable);
	if (c->bad || !within_limits(c) || !cursor_copy(&k, header, REQ_HEADER_SIZE, false)) {
		st = VIRTIO_BLK_S_IOERR;
	} else {
		r.type = le32_at(header);
		r.sector = le64_at(header + 8);
		r.data_len =
		    r.type == VIRTIO_BLK_T_OUT ? c->readable - REQ_HEADER_SIZE : c->writable - 1;
		st = execute(b, &r);
	}
	if (st == VIRTIO_BLK_S_IOERR)
		b->stats.errors++;
	*r.status = st;
	vdev_guest_sync(b->vm, r.status, 1);
	return r.used_len;
}

/* QueueNotify: every available request, in order, then one interrupt. */
static void process_queue(struct vblk *b)
{
	bool used = false;

	for (uint32_t i = 0; i < b->queue.num; i++) {
		const char *why = NULL;
		enum vq_pop pop = vq_pop(&b->queue, b->vm, &b->chain, &why);

		if (pop == VQ_EMPTY)
			break;
		if (pop == VQ_BROKEN) {
			needs_reset(b, why);
			break;
		}
		if (!vq_push(&b->queue, b->vm, b->chain.head, handle_chain(b))) {
			needs_reset(b, "used ring no longer in RAM");
			break;
		}
		used = true;
	}
	if (used) {
		b->interrupt_status |= INTERRUPT_USED_BUFFER;
		update_irq(b);
	}
}

/* ---- Register file ---- */

static bool queue_selected(const struct vblk *b)
{
	return b->queue_sel == 0;
}

static uint32_t read_features(const struct vblk *b)
{
	uint64_t f = vblk_device_features(b);

	switch (b->device_features_sel) {
	case 0:
		return (uint32_t)f;
	case 1:
		return (uint32_t)(f >> 32);
	default:
		return 0;
	}
}

static enum mmio_result reg_read(struct vblk *b, uint64_t offset, uint32_t *value)
{
	const struct virtqueue *q = &b->queue;
	bool sel = queue_selected(b);

	switch (offset) {
	case REG_MAGIC_VALUE:
		*value = MAGIC_VALUE;
		break;
	case REG_VERSION:
		*value = MMIO_VERSION;
		break;
	case REG_DEVICE_ID:
		*value = DEVICE_ID_BLOCK;
		break;
	case REG_VENDOR_ID:
		*value = VENDOR_ID;
		break;
	case REG_DEVICE_FEATURES:
		*value = read_features(b);
		break;
	case REG_QUEUE_NUM_MAX:
		*value = sel ? VQ_MAX_SIZE : 0;
		break;
	case REG_QUEUE_READY:
		*value = sel && q->ready;
		break;
	case REG_INTERRUPT_STATUS:
		*value = b->interrupt_status;
		break;
	case REG_STATUS:
		*value = b->status;
		break;
	case REG_CONFIG_GENERATION:
		*value = 0; /* the configuration never changes */
		break;
	default:
		return MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

/* FEATURES_OK stays set only for features the device offers, VIRTIO_F_VERSION_1 among them. */
static void write_status(struct vblk *b, uint32_t value)
{
	uint32_t newly = value & ~b->status;

	if (value == 0) {
		reset_device(b);
		return;
	}
	b->status = (value & 0xffU) | (b->status & STATUS_DEVICE_NEEDS_RESET);
	if (newly & STATUS_FEATURES_OK) {
		uint64_t f = b->driver_features;

		if ((f & ~vblk_device_features(b)) || !(f & VIRTIO_F_VERSION_1))
			b->status &= ~STATUS_FEATURES_OK;
	}
}

static void write_driver_features(struct vblk *b, uint32_t value)
{
	if (b->status & STATUS_FEATURES_OK)
		return; /* negotiation is over (§3.1.1 step 5) */
	if (b->driver_features_sel == 0)
		b->driver_features = (b->driver_features & ~0xffffffffULL) | value;
	else if (b->driver_features_sel == 1)
		b->driver_features = (b->driver_features & 0xffffffffULL) | (uint64_t)value << 32;
}

static void set_half(uint64_t *field, uint32_t value, bool high)
{
	if (high)
		*field = (*field & 0xffffffffULL) | (uint64_t)value << 32;
	else
		*field = (*field & ~0xffffffffULL) | value;
}

static void write_queue_ready(struct vblk *b, uint32_t value)
{
	const char *why;

	if (!(value & 1)) {
		b->queue.ready = false;
		return;
	}
	why = vq_check_layout(&b->queue, b->vm);
	if (why) {
		needs_reset(b, why);
		return;
	}
	b->queue.ready = true;
	b->queue.last_avail = 0;
	b->queue.used_idx = 0;
}

static void write_notify(struct vblk *b, uint32_t value)
{
	bool ready = (b->status & STATUS_DRIVER_OK) && b->queue.ready &&
		     !(b->status & STATUS_DEVICE_NEEDS_RESET);

	if (value != 0 || !ready) {
		b->stats.early_notifies++;
		return;
	}
	process_queue(b);
}

/* The queue's registers are written before QueueReady (§4.2.3.2); later writes are ignored. */
static bool write_queue_reg(struct vblk *b, uint64_t offset, uint32_t value)
{
	struct virtqueue *q = &b->queue;

	if (!queue_selected(b) || q->ready)
		return offset >= REG_QUEUE_NUM && offset <= REG_QUEUE_DEVICE_HIGH;
	switch (offset) {
	case REG_QUEUE_NUM:
		q->num = value;
		return true;
	case REG_QUEUE_DESC_LOW:
	case REG_QUEUE_DESC_HIGH:
		set_half(&q->desc, value, offset == REG_QUEUE_DESC_HIGH);
		return true;
	case REG_QUEUE_DRIVER_LOW:
	case REG_QUEUE_DRIVER_HIGH:
		set_half(&q->avail, value, offset == REG_QUEUE_DRIVER_HIGH);
		return true;
	case REG_QUEUE_DEVICE_LOW:
	case REG_QUEUE_DEVICE_HIGH:
		set_half(&q->used, value, offset == REG_QUEUE_DEVICE_HIGH);
		return true;
	default:
		return false;
	}
}

static enum mmio_result reg_write(struct vblk *b, uint64_t offset, uint32_t value)
{
	switch (offset) {
	case REG_DEVICE_FEATURES_SEL:
		b->device_features_sel = value;
		return MMIO_HANDLED;
	case REG_DRIVER_FEATURES:
		write_driver_features(b, value);
		return MMIO_HANDLED;
	case REG_DRIVER_FEATURES_SEL:
		b->driver_features_sel = value;
		return MMIO_HANDLED;
	case REG_QUEUE_SEL:
		b->queue_sel = value;
		return MMIO_HANDLED;
	case REG_QUEUE_READY:
		if (queue_selected(b))
			write_queue_ready(b, value);
		return MMIO_HANDLED;
	case REG_QUEUE_NOTIFY:
		write_notify(b, value);
		return MMIO_HANDLED;
	case REG_INTERRUPT_ACK:
		b->interrupt_status &= ~value;
		update_irq(b);
		return MMIO_HANDLED;
	case REG_STATUS:
		write_status(b, value);
		return MMIO_HANDLED;
	default:
		return write_queue_reg(b, offset, value) ? MMIO_HANDLED : MMIO_UNHANDLED;
	}
}

/* ---- Configuration space (§5.2.4): any aligned 1-, 2- or 4-byte access ---- */

static uint8_t config_byte(const struct vblk *b, uint32_t at)
{
	uint64_t field;

	if (at < CONFIG_SIZE_MAX)
		field = b->disk.sectors >> (8 * (at - CONFIG_CAPACITY));
	else if (at < CONFIG_SEG_MAX)
		field = VBLK_SIZE_MAX >> (8 * (at - CONFIG_SIZE_MAX));
	else if (at < CONFIG_SEG_MAX + 4)
		field = VBLK_SEG_MAX >> (8 * (at - CONFIG_SEG_MAX));
	else if (at >= CONFIG_BLK_SIZE && at < CONFIG_BLK_SIZE + 4)
		field = VBLK_SECTOR_SIZE >> (8 * (at - CONFIG_BLK_SIZE));
	else
		field = 0; /* geometry and everything not offered */
	return (uint8_t)field;
}

static enum mmio_result config_read(const struct vblk *b, uint64_t offset, unsigned int size,
				    uint64_t *value)
{
	uint64_t at = offset - REG_CONFIG;

	*value = 0;
	if ((size != 1 && size != 2 && size != 4) || (offset & (size - 1)))
		return MMIO_ERROR;
	if (at + size > CONFIG_SIZE)
		return MMIO_UNHANDLED;
	for (unsigned int i = 0; i < size; i++)
		*value |= (uint64_t)config_byte(b, (uint32_t)(at + i)) << (8 * i);
	return MMIO_HANDLED;
}

/* The control registers take aligned 32-bit accesses only (§4.2.2.2). */
static bool word_access(uint64_t offset, unsigned int size)
{
	return size == 4 && (offset & 3) == 0;
}

enum mmio_result vblk_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	struct vblk *b = opaque;
	uint32_t word = 0;
	enum mmio_result result;

	if (offset >= REG_CONFIG)
		return config_read(b, offset, size, value);
	if (!word_access(offset, size)) {
		*value = 0;
		return MMIO_ERROR;
	}
	result = reg_read(b, offset, &word);
	*value = word;
	return result;
}

enum mmio_result vblk_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	struct vblk *b = opaque;

	if (offset >= REG_CONFIG)
		return (size == 1 || size == 2 || size == 4) && !(offset & (size - 1))
			   ? MMIO_UNHANDLED
			   : MMIO_ERROR; /* no writable configuration field offered */
	if (!word_access(offset, size))
		return MMIO_ERROR;
	return reg_write(b, offset, (uint32_t)value);
}
