#pragma once
/*
 * A virtio block device on the virtio-mmio transport (Virtual I/O Device
 * (VIRTIO) Version 1.2: §4.2 "Virtio Over MMIO", version 2 ("modern")
 * register layout; §5.2 "Block Device"; §2.7 split virtqueues, one request
 * queue). The disk behind it is whatever the backend reads and writes: the
 * core gives it a partition of the SD card (core/storage.h).
 *
 * Offered features: VIRTIO_F_VERSION_1 (required of the driver),
 * VIRTIO_BLK_F_SIZE_MAX, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_BLK_SIZE,
 * VIRTIO_BLK_F_FLUSH, and VIRTIO_BLK_F_RO for a read-only disk. Requests:
 * IN, OUT, FLUSH, GET_ID; any other type is answered VIRTIO_BLK_S_UNSUPP.
 *
 * Requests are carried out synchronously in the write to QueueNotify that
 * announces them, so nothing runs behind the guest's back and the model
 * needs no thread; the used-buffer interrupt is raised before that write
 * returns. All state is in struct vblk (the caller serializes accesses per
 * VM), and every byte the guest supplies is checked (virtqueue.h).
 */
#include "core/mmio.h"
#include "vdev/virtqueue.h"

#include <stdbool.h>
#include <stdint.h>

/* Where the device is in every VM that has a disk, and its BCM2835 interrupt line. */
#define VBLK_BASE 0x3fe00000UL /* bus address 0x7ee00000 in the device tree's /soc */
#define VBLK_SIZE 0x200UL
#define VBLK_IRQ_LINE                                                                              \
	60U /* GPU IRQ 60: bank 2, bit 28 in the device tree ("interrupts = <2 28>") */

#define VBLK_SECTOR_SIZE 512U
#define VBLK_SIZE_MAX	 65536U /* size_max: the largest buffer of a request */
#define VBLK_SEG_MAX	 126U	/* seg_max: data buffers per request (header and status aside) */
#define VBLK_ID_BYTES	 20U	/* GET_ID answer (VIRTIO_BLK_ID_BYTES) */
#define VBLK_BOUNCE	 VBLK_SECTOR_SIZE

/* The disk: sectors of 512 bytes; read/write return 0 or a negative error. */
struct vblk_backend {
	uint64_t sectors;
	bool read_only;
	int (*read)(void *ctx, uint64_t sector, uint32_t count, void *buf);
	int (*write)(void *ctx, uint64_t sector, uint32_t count, const void *buf);
	int (*flush)(void *ctx);
	void *ctx;
	char id[VBLK_ID_BYTES + 1]; /* the serial GET_ID returns */
};

struct vblk_stats {
	uint64_t reads, writes, flushes, get_ids; /* requests completed OK */
	uint64_t sectors_read, sectors_written;
	uint64_t errors;	 /* requests answered IOERR */
	uint64_t unsupported;	 /* requests answered UNSUPP */
	uint64_t early_notifies; /* notifications before the queue and driver were ready */
};

struct vblk {
	struct vm *vm;
	struct vblk_backend disk;
	uint32_t status; /* device status (§2.1) */
	uint32_t device_features_sel, driver_features_sel;
	uint64_t driver_features;
	uint32_t queue_sel;
	uint32_t interrupt_status; /* bit 0 used buffer, bit 1 configuration change */
	struct virtqueue queue;
	const char *broken; /* why DEVICE_NEEDS_RESET is set, or NULL */
	struct vblk_stats stats;
	struct vq_chain chain; /* the request being carried out (kept here, off the stack) */
	uint8_t bounce[VBLK_BOUNCE];
};

/* A fresh device, as after a reset, backed by `disk`. */
void vblk_init(struct vblk *b, struct vm *vm, const struct vblk_backend *disk);
/* The device's features (VIRTIO_F_VERSION_1 and the VIRTIO_BLK_F_* offered). */
uint64_t vblk_device_features(const struct vblk *b);
enum mmio_result vblk_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
enum mmio_result vblk_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);
