/*
 * libFuzzer target for the virtio-blk model and its split-virtqueue parser
 * (hv/vdev/virtio_blk.c, hv/vdev/virtqueue.c), with the unit tests' fake
 * hypervisor side (tests/unit/fake_vdev_host.c) and a 32-sector disk in
 * memory.
 *
 * The input:
 *
 *   u8  setup   bits 0-1: queue size 1, 2, 8 or 128 (what the driver writes
 *               to QueueNum; 128 is QueueNumMax); bit 2: read-only disk;
 *               bits 3-7: notifications after the first (0-31)
 *   rest        guest RAM from address 0 (64 KiB; the rest of RAM is zero):
 *               the descriptor table is at 0x0000, the available ring at
 *               0x1000, the used ring at 0x2000; everything else (requests,
 *               buffers, descriptor addresses and lengths) is the input's
 *
 * The driver negotiates VIRTIO_F_VERSION_1, makes the queue ready and
 * notifies. Besides the sanitizers and the fake's own checks (every pointer
 * the model syncs lies in RAM):
 *   - every disk access lies inside the disk;
 *   - a read-only disk is never written;
 *   - the model changes no byte of guest RAM outside the used ring and the
 *     buffers of descriptors marked device-writable;
 *   - the used index moves by at most what was made available, and each
 *     used entry names a descriptor of the table.
 * The processing must terminate: libFuzzer's timeout catches a hang.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_vdev_host.h"
#include "fuzz_fake_host.h"
#include "vdev/virtio_blk.h"

#define RAM_SIZE     (64U << 10)
#define DESC_AT	     0x0000U
#define AVAIL_AT     0x1000U
#define USED_AT	     0x2000U
#define DISK_SECTORS 32U

static const uint32_t queue_sizes[4] = {1, 2, 8, 128};

static struct vblk blk;
static uint8_t disk[DISK_SECTORS * 512];
static bool disk_read_only;
static uint8_t before[RAM_SIZE];
static bool may_change[RAM_SIZE];

static void fuzz_fail(const char *what, uint64_t detail)
{
	fprintf(stderr, "fuzz_virtio: %s (0x%llx)\n", what, (unsigned long long)detail);
	abort();
}

static void check_range(uint64_t sector, uint32_t count)
{
	if (count == 0 || sector >= DISK_SECTORS || count > DISK_SECTORS - sector)
		fuzz_fail("disk access outside the disk", sector);
}

static int disk_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	(void)ctx;
	check_range(sector, count);
	memcpy(buf, disk + sector * 512, (size_t)count * 512);
	return 0;
}

static int disk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	(void)ctx;
	check_range(sector, count);
	if (disk_read_only)
		fuzz_fail("a read-only disk was written", sector);
	memcpy(disk + sector * 512, buf, (size_t)count * 512);
	return 0;
}

static int disk_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

static void reg_write(uint64_t offset, uint32_t value)
{
	if (vblk_write(&blk, offset, 4, value) != MMIO_HANDLED)
		fuzz_fail("a driver's register write was refused", offset);
}

static uint16_t ram16(uint64_t at)
{
	uint16_t v;

	memcpy(&v, fake_host.ram + at, 2);
	return v;
}

static uint32_t ram32(uint64_t at)
{
	uint32_t v;

	memcpy(&v, fake_host.ram + at, 4);
	return v;
}

/* What the device may write: the used ring, and every device-writable buffer in RAM. */
static void allowed_writes(uint32_t num)
{
	memset(may_change, 0, sizeof(may_change));
	for (uint64_t i = USED_AT; i < USED_AT + 6 + 8ULL * num && i < RAM_SIZE; i++)
		may_change[i] = true;
	for (uint32_t d = 0; d < num && DESC_AT + 16 * (d + 1) <= RAM_SIZE; d++) {
		const uint8_t *p = fake_host.ram + DESC_AT + 16 * d;
		uint64_t addr;
		uint32_t len;
		uint16_t flags;

		memcpy(&addr, p, 8);
		memcpy(&len, p + 8, 4);
		memcpy(&flags, p + 12, 2);
		if (!(flags & VIRTQ_DESC_F_WRITE))
			continue;
		for (uint64_t i = addr; i < addr + len && i < RAM_SIZE && i >= addr; i++)
			may_change[i] = true;
	}
}

static void driver_setup(uint32_t num)
{
	reg_write(0x070, 0);
	reg_write(0x070, 3);
	reg_write(0x024, 1);
	reg_write(0x020, 1); /* VIRTIO_F_VERSION_1 */
	reg_write(0x070, 0xb);
	reg_write(0x038, num);
	reg_write(0x080, DESC_AT);
	reg_write(0x090, AVAIL_AT);
	reg_write(0x0a0, USED_AT);
	reg_write(0x044, 1);
	reg_write(0x070, 0xf);
}

/* Every chain taken was given back (unless the ring broke first), nothing more. */
static void check_used(uint32_t num, uint16_t avail_idx)
{
	uint16_t used_idx = ram16(USED_AT + 2);
	uint16_t taken = blk.queue.last_avail;

	if (!blk.queue.ready) {
		if (used_idx != 0)
			fuzz_fail("used index moved on a queue never ready", used_idx);
		return;
	}
	if (used_idx != blk.queue.used_idx)
		fuzz_fail("used index in RAM differs from the device's", used_idx);
	if (used_idx != taken && !blk.broken)
		fuzz_fail("a chain taken was not given back", taken);
	if ((uint16_t)(avail_idx - taken) > num && !blk.broken)
		fuzz_fail("more taken than made available", taken);
	for (uint32_t i = 0; i < used_idx && i < num; i++) {
		if (ram32(USED_AT + 4 + 8 * i) >= num)
			fuzz_fail("used entry names no descriptor", ram32(USED_AT + 4 + 8 * i));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vblk_backend backend = {
	    .sectors = DISK_SECTORS, .read = disk_read, .write = disk_write, .flush = disk_flush};
	uint32_t num;
	unsigned int notifies;

	if (size < 1)
		return 0;
	num = queue_sizes[data[0] & 3];
	disk_read_only = data[0] & 4;
	notifies = 1 + (data[0] >> 3);
	fake_host_reset(RAM_SIZE);
	memset(fake_host.ram, 0, RAM_SIZE);
	memcpy(fake_host.ram, data + 1, size - 1 < RAM_SIZE ? size - 1 : RAM_SIZE);
	for (unsigned int i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)i;
	backend.read_only = disk_read_only;
	strcpy(backend.id, "fuzz");
	vblk_init(&blk, fake_vm(), &backend);
	/* The used ring starts as a driver leaves it: zero. */
	memset(fake_host.ram + USED_AT, 0, 6 + 8 * num);
	allowed_writes(num);
	memcpy(before, fake_host.ram, RAM_SIZE);

	driver_setup(num);
	for (unsigned int n = 0; n < notifies; n++)
		reg_write(0x050, 0);
	for (uint32_t i = 0; i < RAM_SIZE; i++) {
		if (fake_host.ram[i] != before[i] && !may_change[i])
			fuzz_fail("a byte the device may not write changed", i);
	}
	check_used(num, ram16(AVAIL_AT + 2));
	fake_host_release();
	return 0;
}
