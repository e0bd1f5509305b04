/*
 * Key 'd': the cost of one 4 KiB request to the VM's virtio-blk disk
 * (hv/vdev/virtio_blk.h; the VM needs disk=sd:N), read and write, from the
 * notification to the used buffer: what a driver does per request (the
 * QueueNotify write, InterruptStatus read and InterruptACK write: three
 * traps), the hypervisor's checks and the SD card transfer of 8 blocks.
 * The hypervisor carries the request out inside the notify write, so the
 * used ring has moved when that write returns.
 */
#include "bench.h"
#include "lib/console.h"
#include "lib/mmio.h"

#include <stdint.h>

#define VBLK		0x3fe00000UL
#define R_MAGIC		0x000
#define R_DRV_FEAT	0x020
#define R_DRV_FEAT_SEL	0x024
#define R_QUEUE_NUM	0x038
#define R_QUEUE_READY	0x044
#define R_QUEUE_NOTIFY	0x050
#define R_INT_STATUS	0x060
#define R_INT_ACK	0x064
#define R_STATUS	0x070
#define R_QUEUE_DESC	0x080
#define R_QUEUE_DRIVER	0x090
#define R_QUEUE_DEVICE	0x0a0
#define VIRTIO_MAGIC	0x74726976U
#define QSIZE		4U
#define REQUEST_BYTES	4096U
#define REQUEST_SECTOR	2048U /* 1 MiB into the disk */
#define DISK_ITERATIONS 64U

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static volatile struct desc __attribute__((aligned(16))) table[3];
static volatile uint16_t __attribute__((aligned(4))) avail[2 + QSIZE + 1];
static volatile uint32_t __attribute__((aligned(4))) used[1 + 2 * QSIZE + 1];
static volatile uint32_t __attribute__((aligned(16))) header[4];
static volatile uint8_t __attribute__((aligned(64))) data[REQUEST_BYTES];
static volatile uint8_t status;
static uint16_t next_avail;

static void reg(uint32_t offset, uint32_t value)
{
	mmio_write32(VBLK + offset, value);
}

/* Reset, VIRTIO_F_VERSION_1, one queue of QSIZE, DRIVER_OK; false without a device. */
static int setup(void)
{
	if (mmio_read32(VBLK + R_MAGIC) != VIRTIO_MAGIC)
		return 0;
	reg(R_STATUS, 0);
	reg(R_STATUS, 3);
	reg(R_DRV_FEAT_SEL, 1);
	reg(R_DRV_FEAT, 1);
	reg(R_STATUS, 0xb);
	reg(R_QUEUE_NUM, QSIZE);
	reg(R_QUEUE_DESC, (uint32_t)(uintptr_t)table);
	reg(R_QUEUE_DRIVER, (uint32_t)(uintptr_t)avail);
	reg(R_QUEUE_DEVICE, (uint32_t)(uintptr_t)used);
	reg(R_QUEUE_READY, 1);
	reg(R_STATUS, 0xf);
	table[0] = (struct desc){(uintptr_t)header, 16, 1, 1};
	table[2] = (struct desc){(uintptr_t)&status, 1, 2, 0};
	return 1;
}

/* One request: the chain offered, the notify, the interrupt acknowledged. */
static void submit(uint32_t type)
{
	header[0] = type;
	header[2] = REQUEST_SECTOR;
	table[1] = (struct desc){(uintptr_t)data, REQUEST_BYTES, (uint16_t)(type ? 1 : 3), 2};
	avail[2 + next_avail % QSIZE] = 0;
	next_avail++;
	__asm__ volatile("dmb sy" ::: "memory");
	avail[1] = next_avail;
	__asm__ volatile("dsb sy" ::: "memory");
	reg(R_QUEUE_NOTIFY, 0);
	reg(R_INT_ACK, mmio_read32(VBLK + R_INT_STATUS));
}

static void op_read_4k(void)
{
	submit(0);
}

static void op_write_4k(void)
{
	submit(1);
}

static void report(const char *name, void (*op)(void))
{
	unsigned int n = bench_runs(DISK_ITERATIONS);
	uint64_t net = bench_net_ticks(op, n);

	bench_print(name, bench_ticks_to_ns(net) * 100 / n, net, "ticks", n, "requests");
}

void bench_disk(void)
{
	if (!setup()) {
		console_printf("bench: no virtio disk at 0x%lx (disk=sd:N on the VM's line)\n",
			       VBLK);
		return;
	}
	report("blk_read_4k", op_read_4k);
	report("blk_write_4k", op_write_4k);
	console_printf("bench: last status %u\n", status);
}
