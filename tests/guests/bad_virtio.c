/*
 * A hostile guest: drives the virtio-blk device (virtio-mmio at 0x3fe00000,
 * hv/vdev/virtio_blk.h) by hand, with a good request now and then and
 * every malformed thing a driver could do in between: notifications before
 * the queue is ready, feature negotiation without VIRTIO_F_VERSION_1, a
 * queue size that is not a power of two, descriptor loops and indexes past
 * the table, an available index that jumps, buffers outside its RAM and in
 * the device window, lengths of 0 and 4 GiB - 1, sectors past the end of
 * the disk, unknown request types, a header too short, no status byte.
 *
 * Run with disk=sd:N. One line per case:
 *
 *     bad_virtio: <case>: status <request status> used <used length> dev 0x<device status>
 *
 * (request status 0 OK, 1 IOERR, 2 UNSUPP, 255 if the device did not write
 * it; the device status shows DEVICE_NEEDS_RESET, 0x40, when the queue is
 * broken). Each broken queue is followed by a reset and a good read, so the
 * device must come back. The guest runs with its MMU off: every access to
 * the rings goes to memory, as a device's would.
 */
#include "lib/console.h"
#include "lib/mmio.h"
#include "lib/uart.h"

#include <stdbool.h>
#include <stdint.h>

#define VBLK		    0x3fe00000UL
#define REG(off)	    (VBLK + (off))
#define MAGIC		    0x000
#define VERSION		    0x004
#define DEVICE_ID	    0x008
#define DEVICE_FEATURES	    0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES	    0x020
#define DRIVER_FEATURES_SEL 0x024
#define QUEUE_SEL	    0x030
#define QUEUE_NUM_MAX	    0x034
#define QUEUE_NUM	    0x038
#define QUEUE_READY	    0x044
#define QUEUE_NOTIFY	    0x050
#define INTERRUPT_STATUS    0x060
#define INTERRUPT_ACK	    0x064
#define STATUS		    0x070
#define QUEUE_DESC_LOW	    0x080
#define QUEUE_DESC_HIGH	    0x084
#define QUEUE_DRIVER_LOW    0x090
#define QUEUE_DRIVER_HIGH   0x094
#define QUEUE_DEVICE_LOW    0x0a0
#define QUEUE_DEVICE_HIGH   0x0a4
#define CONFIG		    0x100

#define ST_ACK	       1U
#define ST_DRIVER      2U
#define ST_DRIVER_OK   4U
#define ST_FEATURES_OK 8U

#define F_NEXT	 1U
#define F_WRITE	 2U
#define T_IN	 0U
#define T_OUT	 1U
#define T_GET_ID 8U

#define QSIZE	    8U
#define SECTOR	    512U
#define OUTSIDE_RAM 0x20000000UL /* above any test VM's RAM, below the devices */
#define IN_DEVICES  0x3f00b000UL /* the interrupt controller's page */

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct req_header {
	uint32_t type, reserved;
	uint64_t sector;
};

static volatile struct desc __attribute__((aligned(16))) table[QSIZE];
static volatile uint16_t __attribute__((aligned(4))) avail[2 + QSIZE + 1];
static volatile uint32_t __attribute__((aligned(4))) used[1 + 2 * QSIZE + 1];
static volatile struct req_header __attribute__((aligned(16))) header;
static volatile uint8_t __attribute__((aligned(16))) data[2 * SECTOR];
static volatile uint8_t status_byte;
static uint16_t next_avail;
static uint64_t capacity;

static void wr(uint32_t off, uint32_t v)
{
	mmio_write32(REG(off), v);
}

static uint32_t rd(uint32_t off)
{
	return mmio_read32(REG(off));
}

static void set_queue_addresses(void)
{
	wr(QUEUE_DESC_LOW, (uint32_t)(uintptr_t)table);
	wr(QUEUE_DESC_HIGH, 0);
	wr(QUEUE_DRIVER_LOW, (uint32_t)(uintptr_t)avail);
	wr(QUEUE_DRIVER_HIGH, 0);
	wr(QUEUE_DEVICE_LOW, (uint32_t)(uintptr_t)used);
	wr(QUEUE_DEVICE_HIGH, 0);
}

/* Reset, negotiate VIRTIO_F_VERSION_1 only, one queue of `num`; true if FEATURES_OK held. */
static bool setup(uint32_t num, bool ready)
{
	wr(STATUS, 0);
	for (unsigned int i = 0; i < sizeof(avail) / 2; i++)
		avail[i] = 0;
	for (unsigned int i = 0; i < sizeof(used) / 4; i++)
		used[i] = 0;
	next_avail = 0;
	wr(STATUS, ST_ACK | ST_DRIVER);
	wr(DRIVER_FEATURES_SEL, 0);
	wr(DRIVER_FEATURES, 0);
	wr(DRIVER_FEATURES_SEL, 1);
	wr(DRIVER_FEATURES, 1); /* bit 32: VIRTIO_F_VERSION_1 */
	wr(STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
	if (!(rd(STATUS) & ST_FEATURES_OK))
		return false;
	wr(QUEUE_SEL, 0);
	wr(QUEUE_NUM, num);
	set_queue_addresses();
	if (ready)
		wr(QUEUE_READY, 1);
	wr(STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
	return true;
}

static void set_desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	table[i].addr = addr;
	table[i].len = len;
	table[i].flags = flags;
	table[i].next = next;
}

/* Offers the chain at `head` (moving the available index by `step`), notifies, reports. */
static void submit(const char *what, uint16_t head, uint16_t step)
{
	uint16_t before = (uint16_t)(used[0] >> 16);
	uint32_t len = 0;

	status_byte = 0xff;
	avail[2 + next_avail % QSIZE] = head;
	__asm__ volatile("dmb sy" ::: "memory");
	next_avail = (uint16_t)(next_avail + step);
	avail[1] = next_avail;
	__asm__ volatile("dsb sy" ::: "memory");
	wr(QUEUE_NOTIFY, 0);
	if ((uint16_t)(used[0] >> 16) != before)
		len = used[2 + 2 * (before % QSIZE)];
	wr(INTERRUPT_ACK, rd(INTERRUPT_STATUS));
	console_printf("bad_virtio: %s: status %u used %u dev 0x%x\n", what, status_byte, len,
		       rd(STATUS));
}

/* The usual three descriptors: header (readable), data, status (writable). */
static void request(const char *what, uint32_t type, uint64_t sector, uint64_t addr, uint32_t len)
{
	header.type = type;
	header.reserved = 0;
	header.sector = sector;
	set_desc(0, (uintptr_t)&header, sizeof(header), F_NEXT, 1);
	set_desc(1, addr, len, (uint16_t)(F_NEXT | (type == T_OUT ? 0 : F_WRITE)), 2);
	set_desc(2, (uintptr_t)&status_byte, 1, F_WRITE, 0);
	submit(what, 0, 1);
}

static void good_read(const char *what)
{
	request(what, T_IN, 2, (uintptr_t)data, SECTOR);
}

static void identify(void)
{
	console_printf("bad_virtio: magic 0x%x version %u device %u queue max %u\n", rd(MAGIC),
		       rd(VERSION), rd(DEVICE_ID), rd(QUEUE_NUM_MAX));
	capacity = rd(CONFIG) | (uint64_t)rd(CONFIG + 4) << 32;
	wr(DEVICE_FEATURES_SEL, 1);
	console_printf("bad_virtio: capacity %lu features high 0x%x\n", capacity,
		       rd(DEVICE_FEATURES));
}

static void negotiation_cases(void)
{
	/* Notify before anything: nothing may happen. */
	wr(STATUS, 0);
	wr(QUEUE_NOTIFY, 0);
	console_printf("bad_virtio: notify before ready: used idx %u dev 0x%x\n",
		       (unsigned int)(used[0] >> 16), rd(STATUS));
	wr(STATUS, ST_ACK | ST_DRIVER);
	wr(DRIVER_FEATURES_SEL, 1);
	wr(DRIVER_FEATURES, 0); /* no VIRTIO_F_VERSION_1 */
	wr(STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
	console_printf("bad_virtio: features without VERSION_1: dev 0x%x\n", rd(STATUS));
	/* Queue made ready before DRIVER_OK, then notified with DRIVER_OK not set. */
	(void)setup(QSIZE, false);
	wr(STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
	wr(QUEUE_READY, 1);
	header.type = T_IN;
	header.sector = 0;
	set_desc(0, (uintptr_t)&header, sizeof(header), F_NEXT, 1);
	set_desc(1, (uintptr_t)data, SECTOR, F_NEXT | F_WRITE, 2);
	set_desc(2, (uintptr_t)&status_byte, 1, F_WRITE, 0);
	submit("notify before DRIVER_OK", 0, 1);
	(void)setup(100, true);
	console_printf("bad_virtio: queue size 100: dev 0x%x ready %u\n", rd(STATUS),
		       rd(QUEUE_READY));
	(void)setup(QSIZE, true);
	good_read("good read after reset");
	console_printf("bad_virtio: superblock magic 0x%x\n",
		       (unsigned int)(data[0x38] | data[0x39] << 8));
}

static void request_cases(void)
{
	request("sector past the end", T_IN, capacity, (uintptr_t)data, SECTOR);
	request("two sectors over the end", T_IN, capacity - 1, (uintptr_t)data, 2 * SECTOR);
	request("sector 2^63", T_IN, 1ULL << 63, (uintptr_t)data, SECTOR);
	request("write past the end", T_OUT, capacity, (uintptr_t)data, SECTOR);
	request("unknown type", 99, 0, (uintptr_t)data, SECTOR);
	request("buffer outside RAM", T_IN, 0, OUTSIDE_RAM, SECTOR);
	request("buffer in the device window", T_IN, 0, IN_DEVICES, SECTOR);
	request("write from the device window", T_OUT, 0, IN_DEVICES, SECTOR);
	request("length 0", T_IN, 0, (uintptr_t)data, 0);
	request("length 4 GiB - 1", T_IN, 0, (uintptr_t)data, 0xffffffffU);
	request("length 300", T_IN, 0, (uintptr_t)data, 300);
	/* A header shorter than 16 bytes. */
	set_desc(0, (uintptr_t)&header, 8, F_NEXT, 1);
	set_desc(1, (uintptr_t)&status_byte, 1, F_WRITE, 0);
	submit("short header", 0, 1);
	/* No device-writable byte: nowhere to put a status. */
	set_desc(0, (uintptr_t)&header, sizeof(header), 0, 0);
	submit("no status byte", 0, 1);
	/* The last sector, written and read back: inside the disk, allowed. */
	for (unsigned int i = 0; i < SECTOR; i++)
		data[i] = (uint8_t)(i ^ 0x5a);
	request("write the last sector", T_OUT, capacity - 1, (uintptr_t)data, SECTOR);
	for (unsigned int i = 0; i < SECTOR; i++)
		data[i] = 0;
	request("read the last sector", T_IN, capacity - 1, (uintptr_t)data, SECTOR);
	console_printf("bad_virtio: last sector %s\n",
		       data[0] == 0x5a && data[511] == (uint8_t)(511 ^ 0x5a) ? "as written"
									     : "DIFFERENT");
	request("get id", T_GET_ID, 0, (uintptr_t)data, 20);
	console_printf("bad_virtio: id '%s'\n", (const char *)data);
}

static void ring_cases(void)
{
	set_desc(0, (uintptr_t)&header, sizeof(header), F_NEXT, 1);
	set_desc(1, (uintptr_t)data, SECTOR, F_NEXT | F_WRITE, 0); /* back to 0: a loop */
	submit("descriptor loop", 0, 1);
	(void)setup(QSIZE, true);
	good_read("good read after the loop");
	set_desc(0, (uintptr_t)&header, sizeof(header), F_NEXT, 200);
	submit("next index 200", 0, 1);
	(void)setup(QSIZE, true);
	submit("head index 9", 9, 1);
	(void)setup(QSIZE, true);
	good_read("good read after bad indexes");
	set_desc(0, (uintptr_t)&header, sizeof(header), F_NEXT, 1);
	set_desc(1, (uintptr_t)data, SECTOR, F_NEXT | F_WRITE, 2);
	set_desc(2, (uintptr_t)&status_byte, 1, F_WRITE, 0);
	submit("available index jumps by 100", 0, 100);
	(void)setup(QSIZE, true);
	set_desc(0, (uintptr_t)&header, sizeof(header), F_NEXT | 4U, 1); /* INDIRECT */
	submit("indirect descriptor", 0, 1);
	(void)setup(QSIZE, true);
	good_read("good read at the end");
}

int main(void)
{
	uart_init();
	identify();
	negotiation_cases();
	request_cases();
	ring_cases();
	console_printf("bad_virtio: done\n");
	for (;;)
		__asm__ volatile("wfi");
}
