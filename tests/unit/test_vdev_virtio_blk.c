/*
 * Unit tests of the virtio-blk model (hv/vdev/virtio_blk.c, virtqueue.c):
 * a driver written here negotiates, sets up the queue in the fake guest RAM
 * and sends requests to a 64-sector disk in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_vdev_host.h"
#include "vdev/virtio_blk.h"

#define RAM_SIZE     (1U << 20)
#define DISK_SECTORS 64U
#define QSIZE	     8U
/* Where the driver puts things in guest RAM. */
#define DESC_AT	  0x1000U
#define AVAIL_AT  0x2000U
#define USED_AT	  0x3000U
#define HEADER_AT 0x4000U
#define DATA_AT	  0x5000U
#define STATUS_AT 0x9000U

#define R_FEATURES	0x010
#define R_FEATURES_SEL	0x014
#define R_DRV_FEATURES	0x020
#define R_DRV_FEAT_SEL	0x024
#define R_QUEUE_NUM	0x038
#define R_QUEUE_READY	0x044
#define R_QUEUE_NOTIFY	0x050
#define R_INT_STATUS	0x060
#define R_INT_ACK	0x064
#define R_STATUS	0x070
#define R_DESC_LOW	0x080
#define R_DRIVER_LOW	0x090
#define R_DEVICE_LOW	0x0a0
#define R_CONFIG	0x100
#define ST_DRIVER_READY 0x7U /* ACKNOWLEDGE | DRIVER | DRIVER_OK */
#define ST_FEATURES_OK	0x8U
#define ST_NEEDS_RESET	0x40U
#define F_NEXT		1U
#define F_WRITE		2U

static struct vblk blk;
static uint8_t disk[DISK_SECTORS * 512];
static unsigned int disk_calls;
static uint16_t next_avail;

static int disk_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	(void)ctx;
	disk_calls++;
	assert_true(sector + count <= DISK_SECTORS); /* the model checked the range first */
	memcpy(buf, disk + sector * 512, count * 512);
	return 0;
}

static int disk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	(void)ctx;
	disk_calls++;
	assert_true(sector + count <= DISK_SECTORS);
	memcpy(disk + sector * 512, buf, count * 512);
	return 0;
}

static struct vblk_backend backend(bool read_only)
{
	struct vblk_backend b = {
	    .sectors = DISK_SECTORS,
	    .read_only = read_only,
	    .read = disk_read,
	    .write = disk_write,
	    .ctx = NULL,
	};

	strcpy(b.id, "unit-disk");
	return b;
}

static uint32_t rd(uint64_t offset)
{
	uint64_t v = 0;

	assert_int_equal(vblk_read(&blk, offset, 4, &v), MMIO_HANDLED);
	return (uint32_t)v;
}

static void wr(uint64_t offset, uint32_t v)
{
	assert_int_equal(vblk_write(&blk, offset, 4, v), MMIO_HANDLED);
}

static uint8_t *ram(uint64_t ipa)
{
	return fake_host.ram + ipa;
}

static void put16(uint64_t ipa, uint16_t v)
{
	memcpy(ram(ipa), &v, 2);
}

static uint32_t get32(uint64_t ipa)
{
	uint32_t v;

	memcpy(&v, ram(ipa), 4);
	return v;
}

static void set_desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = ram(DESC_AT + 16 * i);

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

static void negotiate(uint32_t high_features)
{
	wr(R_STATUS, 0);
	wr(R_STATUS, 3);
	wr(R_DRV_FEAT_SEL, 1);
	wr(R_DRV_FEATURES, high_features);
	wr(R_STATUS, 3 | ST_FEATURES_OK);
}

/* A driver sets the rings up afresh after every reset. */
static void driver_ready(void)
{
	memset(ram(AVAIL_AT), 0, 0x1000);
	memset(ram(USED_AT), 0, 0x1000);
	negotiate(1); /* VIRTIO_F_VERSION_1 */
	assert_true(rd(R_STATUS) & ST_FEATURES_OK);
	wr(R_QUEUE_NUM, QSIZE);
	wr(R_DESC_LOW, DESC_AT);
	wr(R_DRIVER_LOW, AVAIL_AT);
	wr(R_DEVICE_LOW, USED_AT);
	wr(R_QUEUE_READY, 1);
	wr(R_STATUS, ST_DRIVER_READY | ST_FEATURES_OK);
	next_avail = 0;
}

static int setup(void **state)
{
	(void)state;
	fake_host_reset(RAM_SIZE);
	memset(fake_host.ram, 0, RAM_SIZE);
	for (unsigned int i = 0; i < sizeof(disk); i++)
		disk[i] = (uint8_t)(i / 512 + 1);
	disk_calls = 0;
	struct vblk_backend b = backend(false);
	vblk_init(&blk, fake_vm(), &b);
	driver_ready();
	return 0;
}

/* Offers the chain at desc 0, notifies; returns the used length (or -1 if not used). */
static int64_t submit(void)
{
	uint16_t used_before;

	memcpy(&used_before, ram(USED_AT + 2), 2);
	ram(STATUS_AT)[0] = 0xff;
	put16(AVAIL_AT + 4 + 2 * (next_avail % QSIZE), 0);
	next_avail++;
	put16(AVAIL_AT + 2, next_avail);
	wr(R_QUEUE_NOTIFY, 0);
	uint16_t used_after;
	memcpy(&used_after, ram(USED_AT + 2), 2);
	if (used_after == used_before)
		return -1;
	assert_int_equal(get32(USED_AT + 4 + 8 * (used_before % QSIZE)), 0); /* the head */
	return get32(USED_AT + 4 + 8 * (used_before % QSIZE) + 4);
}

static void header(uint32_t type, uint64_t sector)
{
	memcpy(ram(HEADER_AT), &type, 4);
	memset(ram(HEADER_AT + 4), 0, 4);
	memcpy(ram(HEADER_AT + 8), &sector, 8);
}

/* header, one data buffer, status: as Linux's virtio_blk sends them. */
static int64_t request(uint32_t type, uint64_t sector, uint32_t len)
{
	header(type, sector);
	set_desc(0, HEADER_AT, 16, F_NEXT, 1);
	set_desc(1, DATA_AT, len, (uint16_t)(F_NEXT | (type == 1 ? 0 : F_WRITE)), 2);
	set_desc(2, STATUS_AT, 1, F_WRITE, 0);
	return submit();
}

static void test_identity_config_and_features(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(rd(0x000), 0x74726976);
	assert_int_equal(rd(0x004), 2);
	assert_int_equal(rd(0x008), 2);
	assert_int_equal(rd(0x034), VQ_MAX_SIZE);
	wr(R_FEATURES_SEL, 0);
	assert_int_equal(rd(R_FEATURES), (1U << 1) | (1U << 2) | (1U << 6) | (1U << 9));
	wr(R_FEATURES_SEL, 1);
	assert_int_equal(rd(R_FEATURES), 1);
	assert_int_equal(rd(R_CONFIG), DISK_SECTORS);
	assert_int_equal(rd(R_CONFIG + 4), 0);
	assert_int_equal(rd(R_CONFIG + 0x0c), VBLK_SEG_MAX);
	assert_int_equal(rd(R_CONFIG + 0x14), 512);
	/* Config space takes bytes; the control registers only words. */
	assert_int_equal(vblk_read(&blk, R_CONFIG + 0x15, 1, &v), MMIO_HANDLED);
	assert_int_equal(v, 2);
	assert_int_equal(vblk_read(&blk, R_STATUS, 1, &v), MMIO_ERROR);
	assert_int_equal(vblk_read(&blk, R_CONFIG + 1, 2, &v), MMIO_ERROR);
}

static void test_features_ok_needs_version_1_and_known_bits(void **state)
{
	(void)state;
	negotiate(0);
	assert_false(rd(R_STATUS) & ST_FEATURES_OK);
	negotiate(1 | 2); /* bit 33: not offered */
	assert_false(rd(R_STATUS) & ST_FEATURES_OK);
	negotiate(1);
	assert_true(rd(R_STATUS) & ST_FEATURES_OK);
}

static void test_read_fills_the_buffer_and_raises_the_line(void **state)
{
	(void)state;
	assert_int_equal(request(0, 3, 1024), 1025);
	assert_int_equal(ram(STATUS_AT)[0], 0);
	assert_int_equal(ram(DATA_AT)[0], 4);
	assert_int_equal(ram(DATA_AT + 1023)[0], 5);
	assert_true(fake_irq_line(VBLK_IRQ_LINE));
	assert_int_equal(rd(R_INT_STATUS), 1);
	wr(R_INT_ACK, 1);
	assert_false(fake_irq_line(VBLK_IRQ_LINE));
	assert_int_equal(blk.stats.reads, 1);
	assert_int_equal(blk.stats.sectors_read, 2);
}

static void test_write_reaches_the_disk_unless_read_only(void **state)
{
	(void)state;
	memset(ram(DATA_AT), 0xab, 512);
	assert_int_equal(request(1, 63, 512), 1);
	assert_int_equal(ram(STATUS_AT)[0], 0);
	assert_int_equal(disk[63 * 512], 0xab);
	struct vblk_backend b = backend(true);
	vblk_init(&blk, fake_vm(), &b);
	driver_ready();
	memset(ram(DATA_AT), 0xcd, 512);
	disk_calls = 0;
	assert_int_equal(request(1, 63, 512), 1);
	assert_int_equal(ram(STATUS_AT)[0], 1); /* IOERR */
	assert_int_equal(disk_calls, 0);
	assert_int_equal(disk[63 * 512], 0xab);
}

static void test_sectors_past_the_end_fail_without_touching_the_disk(void **state)
{
	(void)state;
	assert_int_equal(request(0, 64, 512), 1);
	assert_int_equal(ram(STATUS_AT)[0], 1);
	assert_int_equal(request(0, 63, 1024), 1);
	assert_int_equal(ram(STATUS_AT)[0], 1);
	assert_int_equal(request(1, UINT64_MAX, 512), 1);
	assert_int_equal(ram(STATUS_AT)[0], 1);
	assert_int_equal(request(0, 0, 500), 1); /* not whole sectors */
	assert_int_equal(ram(STATUS_AT)[0], 1);
	assert_int_equal(disk_calls, 0);
	assert_int_equal(blk.stats.errors, 4);
}

static void test_buffers_outside_ram_fail_the_request(void **state)
{
	(void)state;
	header(0, 0);
	set_desc(0, HEADER_AT, 16, F_NEXT, 1);
	set_desc(1, RAM_SIZE - 256, 512, F_NEXT | F_WRITE, 2);
	set_desc(2, STATUS_AT, 1, F_WRITE, 0);
	assert_int_equal(submit(), 1);
	assert_int_equal(ram(STATUS_AT)[0], 1);
	set_desc(1, DATA_AT, 0xffffffffU, F_NEXT | F_WRITE, 2);
	assert_int_equal(submit(), 1);
	assert_int_equal(ram(STATUS_AT)[0], 1);
	assert_int_equal(disk_calls, 0);
	assert_false(rd(R_STATUS) & ST_NEEDS_RESET);
}

static void test_any_layout_header_and_data_split_anywhere(void **state)
{
	(void)state;
	header(0, 1);
	/* The header in two pieces, the data split at 100 bytes, the status with the last data. */
	set_desc(0, HEADER_AT, 10, F_NEXT, 1);
	set_desc(1, HEADER_AT + 10, 6, F_NEXT, 2);
	set_desc(2, DATA_AT, 100, F_NEXT | F_WRITE, 3);
	set_desc(3, DATA_AT + 100, 412, F_NEXT | F_WRITE, 4);
	set_desc(4, STATUS_AT, 1, F_WRITE, 0);
	assert_int_equal(submit(), 513);
	assert_int_equal(ram(STATUS_AT)[0], 0);
	assert_int_equal(ram(DATA_AT)[0], 2);
	assert_int_equal(ram(DATA_AT + 511)[0], 2);
}

static void test_loops_and_bad_indexes_need_a_reset(void **state)
{
	(void)state;
	header(0, 0);
	set_desc(0, HEADER_AT, 16, F_NEXT, 1);
	set_desc(1, DATA_AT, 512, F_NEXT | F_WRITE, 0);
	assert_int_equal(submit(), -1);
	assert_true(rd(R_STATUS) & ST_NEEDS_RESET);
	assert_int_equal(rd(R_INT_STATUS), 2); /* configuration change */
	/* Further notifications do nothing until the reset. */
	assert_int_equal(request(0, 0, 512), -1);
	assert_int_equal(disk_calls, 0);
	driver_ready();
	assert_false(rd(R_STATUS) & ST_NEEDS_RESET);
	assert_int_equal(request(0, 0, 512), 513);
	set_desc(0, HEADER_AT, 16, F_NEXT, QSIZE);
	assert_int_equal(submit(), -1);
	assert_true(rd(R_STATUS) & ST_NEEDS_RESET);
}

static void test_bad_queue_layouts_are_refused_at_ready(void **state)
{
	static const struct {
		uint32_t num, desc;
	} bad[] = {{100, DESC_AT},
		   {0, DESC_AT},
		   {256, DESC_AT},
		   {QSIZE, DESC_AT + 8},
		   {QSIZE, RAM_SIZE - 64}};

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		negotiate(1);
		wr(R_QUEUE_NUM, bad[i].num);
		wr(R_DESC_LOW, bad[i].desc);
		wr(R_DRIVER_LOW, AVAIL_AT);
		wr(R_DEVICE_LOW, USED_AT);
		wr(R_QUEUE_READY, 1);
		assert_int_equal(rd(R_QUEUE_READY), 0);
		assert_true(rd(R_STATUS) & ST_NEEDS_RESET);
	}
}

static void test_flush_get_id_and_unknown_types(void **state)
{
	(void)state;
	assert_int_equal(request(4, 0, 0), 1);
	assert_int_equal(ram(STATUS_AT)[0], 0);
	assert_int_equal(request(8, 0, 20), 21);
	assert_string_equal((const char *)ram(DATA_AT), "unit-disk");
	assert_int_equal(request(11, 0, 512), 1); /* DISCARD: not offered */
	assert_int_equal(ram(STATUS_AT)[0], 2);
	assert_int_equal(blk.stats.flushes, 1);
	assert_int_equal(blk.stats.unsupported, 1);
}

static void test_notify_before_driver_ok_is_ignored(void **state)
{
	(void)state;
	wr(R_STATUS, 0);
	assert_int_equal(request(0, 0, 512), -1);
	assert_int_equal(blk.stats.early_notifies, 1);
	assert_int_equal(disk_calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_identity_config_and_features, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_features_ok_needs_version_1_and_known_bits, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_read_fills_the_buffer_and_raises_the_line, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_write_reaches_the_disk_unless_read_only, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(
		test_sectors_past_the_end_fail_without_touching_the_disk, setup,
		fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_buffers_outside_ram_fail_the_request, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_any_layout_header_and_data_split_anywhere, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_loops_and_bad_indexes_need_a_reset, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_queue_layouts_are_refused_at_ready, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_flush_get_id_and_unknown_types, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_notify_before_driver_ok_is_ignored, setup,
					    fake_host_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
