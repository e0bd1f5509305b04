/*
 * Unit tests of the FAT32 reader on damaged volumes: a good image (small.img
 * from scripts/mkfatimages.py, or a hand-made volume) is patched in memory,
 * and each kind of damage must give its own error and message, with no read
 * outside the device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fat32_test_util.h"
#include "fs/fat32.h"

/* small.img's 8.3 names, as DIR_Name holds them. */
#define LOOP_BIN  "LOOP    BIN"
#define SMALL_TXT "SMALL   TXT"
#define SUB_DIR	  "SUB        "
#define LONG_NAME "LONGFI~1TXT"

#define SMALLMBR_START 63 /* smallmbr.img's partition starts at this block */
#define MBR_ENTRY(i)   (446 + 16 * (i))

struct fixture {
	struct test_image img;
	struct test_layout layout;
	struct fat32_volume vol;
	uint8_t *bs; /* the volume's boot sector in img */
};

static struct fixture *load(void **state, const char *name, size_t base, uint64_t min_blocks)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	test_image_load(&f->img, name, min_blocks);
	test_layout_read(&f->layout, &f->img, base);
	f->bs = f->img.data + base;
	*state = f;
	return f;
}

static int setup_small(void **state)
{
	load(state, "small.img", 0, 0);
	return 0;
}

/* small.img on a device much larger than the image (zeros past its end). */
static int setup_small_on_large_device(void **state)
{
	load(state, "small.img", 0, 100000);
	return 0;
}

/* small.img on a device of 2^32 blocks, the most a BPB can claim. */
static int setup_small_on_huge_device(void **state)
{
	load(state, "small.img", 0, 0xFFFFFFFF);
	return 0;
}

static int setup_smallmbr(void **state)
{
	load(state, "smallmbr.img", SMALLMBR_START * BLOCK_SIZE, 0);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_false(f->img.read_outside);
	test_image_close(&f->img);
	free(f);
	return 0;
}

static void expect(struct fixture *f, int rc, int err, const char *detail)
{
	const char *got = fat32_last_error_detail(&f->vol);

	if (rc != err)
		fail_msg("expected %s, got %d (%s): %s", fat32_strerror(err), rc,
			 fat32_strerror(rc), got);
	if (!strstr(got, detail))
		fail_msg("detail \"%s\" does not mention \"%s\"", got, detail);
}

static void expect_mount(struct fixture *f, int err, const char *detail)
{
	expect(f, fat32_mount(&f->vol, &f->img.dev), err, detail);
}

static void expect_read(struct fixture *f, const char *path, int err, const char *detail)
{
	static uint8_t buf[64 * 1024];
	uint64_t got = 1;
	int rc;

	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	rc = fat32_read_file(&f->vol, path, buf, sizeof(buf), &got);
	expect(f, rc, err, detail);
	if (err != 0)
		assert_int_equal(got, 0);
}

static int ignore_entry(void *ctx, const struct fat32_entry *e)
{
	(void)ctx;
	(void)e;
	return 0;
}

static void expect_list(struct fixture *f, const char *path, int err, const char *detail)
{
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	expect(f, fat32_list(&f->vol, path, ignore_entry, NULL), err, detail);
}

static uint8_t *entry(struct fixture *f, const char *name11)
{
	uint8_t *e = test_find_entry(&f->layout, &f->img, f->layout.root_cluster, name11);

	assert_non_null(e);
	return e;
}

/* ---- Boot sector (BPB) ---- */

static void test_bytes_per_sector(void **state)
{
	struct fixture *f = *state;

	put_le16(f->bs + 11, 4096);
	expect_mount(f, FAT32_ERR_BAD_BPB,
		     "bad BPB: bytes per sector is 4096, only 512 is supported");
	put_le16(f->bs + 11, 1000);
	expect_mount(f, FAT32_ERR_BAD_BPB, "bytes per sector is 1000, must be 512");
	put_le16(f->bs + 11, 0);
	expect_mount(f, FAT32_ERR_BAD_BPB, "bytes per sector is 0");
}

static void test_sectors_per_cluster(void **state)
{
	struct fixture *f = *state;

	f->bs[13] = 3;
	expect_mount(f, FAT32_ERR_BAD_BPB, "sectors per cluster is 3, must be a power of two");
	f->bs[13] = 0;
	expect_mount(f, FAT32_ERR_BAD_BPB, "sectors per cluster is 0");
}

static void test_no_fats(void **state)
{
	struct fixture *f = *state;

	f->bs[16] = 0;
	expect_mount(f, FAT32_ERR_BAD_BPB, "number of FATs is 0");
}

static void test_fat_size_zero(void **state)
{
	struct fixture *f = *state;

	put_le32(f->bs + 36, 0);
	expect_mount(f, FAT32_ERR_BAD_BPB, "FAT size (BPB_FATSz32) is 0");
}

static void test_no_reserved_sectors(void **state)
{
	struct fixture *f = *state;

	put_le16(f->bs + 14, 0);
	expect_mount(f, FAT32_ERR_BAD_BPB, "reserved sector count is 0");
}

static void test_root_cluster_out_of_range(void **state)
{
	struct fixture *f = *state;

	put_le32(f->bs + 44, 1);
	expect_mount(f, FAT32_ERR_BAD_BPB, "root directory cluster (BPB_RootClus) is 1");
	put_le32(f->bs + 44, 0x0FFFFFFF);
	expect_mount(f, FAT32_ERR_BAD_BPB, "is 268435455, outside 2..");
}

static void test_total_smaller_than_layout(void **state)
{
	struct fixture *f = *state;

	put_le32(f->bs + 32, f->layout.data_start);
	expect_mount(f, FAT32_ERR_BAD_BPB, "leave no room for data");
	put_le32(f->bs + 32, 0);
	expect_mount(f, FAT32_ERR_BAD_BPB, "total sector count");
	f->bs[13] = 8;
	put_le32(f->bs + 32, f->layout.data_start + 7);
	expect_mount(f, FAT32_ERR_BAD_BPB, "no room for a whole cluster after the FATs");
}

static void test_volume_larger_than_device(void **state)
{
	struct fixture *f = *state;

	put_le32(f->bs + 32, (uint32_t)f->img.dev.block_count + 1);
	expect_mount(f, FAT32_ERR_BAD_BPB, "but the device has only");
	/* The same for a device cut short (a truncated image). */
	put_le32(f->bs + 32, (uint32_t)f->img.dev.block_count);
	f->img.dev.block_count -= 10;
	expect_mount(f, FAT32_ERR_BAD_BPB, "but the device has only");
}

static void test_fat_too_small_for_clusters(void **state)
{
	struct fixture *f = *state;

	put_le32(f->bs + 32, 100000);
	expect_mount(f, FAT32_ERR_BAD_BPB, "has too few entries for");
}

static void test_too_many_clusters(void **state)
{
	struct fixture *f = *state;

	/* 2^32 - 1 one-sector clusters: more than 28-bit cluster numbers reach. */
	put_le32(f->bs + 32, 0xFFFFFFFF);
	expect_mount(f, FAT32_ERR_BAD_BPB, "clusters, more than FAT32 can number");
}

static void test_unknown_version_and_media(void **state)
{
	struct fixture *f = *state;

	put_le16(f->bs + 42, 0x0100);
	expect_mount(f, FAT32_ERR_BAD_BPB, "FAT32 version 1.0");
	put_le16(f->bs + 42, 0);
	f->bs[21] = 0x12;
	expect_mount(f, FAT32_ERR_BAD_BPB, "media descriptor is 0x12");
}

static void test_fat16_fields(void **state)
{
	struct fixture *f = *state;

	put_le16(f->bs + 22, 9);
	expect_mount(f, FAT32_ERR_NOT_FAT32, "FAT12 or FAT16 volume (BPB_FATSz16 is 9)");
	put_le16(f->bs + 22, 0);
	put_le16(f->bs + 17, 512);
	expect_mount(f, FAT32_ERR_BAD_BPB, "root entry count is 512");
}

static void test_not_a_boot_sector(void **state)
{
	struct fixture *f = *state;

	f->bs[511] = 0;
	expect_mount(f, FAT32_ERR_NOT_FAT32, "no boot signature");
	memset(f->bs, 0, 512);
	expect_mount(f, FAT32_ERR_NOT_FAT32, "no boot signature");
	f->bs[510] = 0x55;
	f->bs[511] = 0xAA;
	expect_mount(f, FAT32_ERR_NOT_FAT32, "no FAT partition in the MBR");
}

static void test_exfat(void **state)
{
	struct fixture *f = *state;

	/* exFAT zeroes the BPB fields FAT uses. */
	memset(f->bs + 11, 0, 53);
	memcpy(f->bs + 3, "EXFAT   ", 8);
	expect_mount(f, FAT32_ERR_NOT_FAT32, "exFAT volume");
}

static void test_active_fat(void **state)
{
	struct fixture *f = *state;
	uint32_t loop = test_entry_cluster(entry(f, LOOP_BIN));
	static uint8_t buf[8192];
	uint64_t got;

	/* Mirroring off, FAT 1 active: damage in FAT 0 must not matter. */
	put_le16(f->bs + 40, 0x81);
	put_le32(f->img.data + f->layout.fat_start * BLOCK_SIZE + loop * 4, loop);
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	assert_int_equal(fat32_read_file(&f->vol, "LOOP.BIN", buf, sizeof(buf), &got), 0);
	assert_int_equal(got, 4096);
	/* ... while with mirroring on, FAT 0 is used. */
	put_le16(f->bs + 40, 0);
	expect_read(f, "LOOP.BIN", FAT32_ERR_LOOP, "loops");
	put_le16(f->bs + 40, 0x85);
	expect_mount(f, FAT32_ERR_BAD_BPB, "makes FAT 5 the active one, but there are only 2");
}

/* ---- MBR ---- */

static void test_partition_mounts(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	assert_int_equal(f->vol.partition, 1);
	assert_int_equal(f->vol.start_lba, SMALLMBR_START);
	expect_read(f, "/SUB/INNER.TXT", 0, "");
}

static void test_partition_types(void **state)
{
	struct fixture *f = *state;
	uint8_t *type = f->img.data + MBR_ENTRY(0) + 4;

	*type = 0x0E;
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	*type = 0x06;
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	*type = 0x83;
	expect_mount(f, FAT32_ERR_NOT_FAT32, "no FAT partition in the MBR (partition types 0x83");
	*type = 0xEE;
	expect_mount(f, FAT32_ERR_NOT_FAT32, "GPT partition table");
}

static void test_second_partition(void **state)
{
	struct fixture *f = *state;
	uint8_t *table = f->img.data + MBR_ENTRY(0);

	/* Partition 1 is Linux, partition 2 the FAT32 volume. */
	memcpy(table + 16, table, 16);
	table[4] = 0x83;
	put_le32(table + 8, 1);
	put_le32(table + 12, 10);
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	assert_int_equal(f->vol.partition, 2);
}

static void test_partition_past_device_end(void **state)
{
	struct fixture *f = *state;
	uint8_t *table = f->img.data + MBR_ENTRY(0);

	put_le32(table + 12, (uint32_t)f->img.dev.block_count);
	expect_mount(f, FAT32_ERR_CORRUPT, "partition 1 (blocks 63..");
	put_le32(table + 8, 0xFFFFFFFF);
	expect_mount(f, FAT32_ERR_CORRUPT, "extends past the end of the device");
	put_le32(table + 8, SMALLMBR_START);
	put_le32(table + 12, 0);
	expect_mount(f, FAT32_ERR_CORRUPT, "partition 1 is empty");
}

static void test_partition_smaller_than_volume(void **state)
{
	struct fixture *f = *state;

	put_le32(f->img.data + MBR_ENTRY(0) + 12, 50);
	expect_mount(f, FAT32_ERR_BAD_BPB, "sectors but the partition has only 50");
	assert_non_null(strstr(fat32_last_error_detail(&f->vol), "partition 1: bad BPB: "));
}

static void test_partition_without_file_system(void **state)
{
	struct fixture *f = *state;

	put_le32(f->img.data + MBR_ENTRY(0) + 8, 1);
	expect_mount(f, FAT32_ERR_NOT_FAT32, "partition 1: no boot sector signature");
	/* A FAT32 partition with a broken BPB: its own error, not "no partition". */
	put_le32(f->img.data + MBR_ENTRY(0) + 8, SMALLMBR_START);
	f->bs[13] = 5;
	expect_mount(f, FAT32_ERR_BAD_BPB, "partition 1: bad BPB: sectors per cluster is 5");
}

static void test_bad_boot_flag(void **state)
{
	struct fixture *f = *state;

	f->img.data[MBR_ENTRY(2)] = 0x12;
	expect_mount(f, FAT32_ERR_NOT_FAT32, "neither a FAT boot sector nor an MBR");
}

/* ---- Cluster chains ---- */

/* LOOP.BIN's first cluster; its 8 clusters are contiguous. */
static uint32_t loop_bin_cluster(struct fixture *f)
{
	uint32_t first = test_entry_cluster(entry(f, LOOP_BIN));
	uint32_t i;

	for (i = 0; i < 7; i++)
		assert_int_equal(test_get_fat(&f->layout, &f->img, first + i), first + i + 1);
	return first;
}

static void test_file_chain_loops(void **state)
{
	struct fixture *f = *state;
	uint32_t first = loop_bin_cluster(f);

	/* 8 clusters: the second links back to the first. */
	test_set_fat(&f->layout, &f->img, first + 1, first);
	expect_read(f, "/LOOP.BIN", FAT32_ERR_LOOP, "cluster chain starting at cluster");
	assert_non_null(strstr(fat32_last_error_detail(&f->vol), "/LOOP.BIN: "));
	/* A cluster linking to itself. */
	test_set_fat(&f->layout, &f->img, first + 1, first + 1);
	expect_read(f, "/LOOP.BIN", FAT32_ERR_LOOP, "loops");
}

static void test_directory_chain_loops(void **state)
{
	struct fixture *f = *state;
	uint32_t root = f->layout.root_cluster;

	uint8_t *p = test_cluster(&f->layout, &f->img, root);
	int i;

	test_set_fat(&f->layout, &f->img, root, root);
	/* Free entries become deleted ones: the walk meets no end-of-directory entry. */
	for (i = 0; i < 16; i++)
		if (p[i * 32] == 0)
			p[i * 32] = 0xE5;
	expect_list(f, "/", FAT32_ERR_LOOP, "loops");
}

static void test_chain_bad_links(void **state)
{
	struct fixture *f = *state;
	uint32_t first = loop_bin_cluster(f);

	test_set_fat(&f->layout, &f->img, first + 2, 0);
	expect_read(f, "LOOP.BIN", FAT32_ERR_CORRUPT, "is marked free");
	test_set_fat(&f->layout, &f->img, first + 2, 0x0FFFFFF7);
	expect_read(f, "LOOP.BIN", FAT32_ERR_CORRUPT, "is marked bad");
	test_set_fat(&f->layout, &f->img, first + 2, 1);
	expect_read(f, "LOOP.BIN", FAT32_ERR_CORRUPT, "holds a reserved value");
	test_set_fat(&f->layout, &f->img, first + 2, 0x0FFFFFF0);
	expect_read(f, "LOOP.BIN", FAT32_ERR_CORRUPT, "holds a reserved value");
	test_set_fat(&f->layout, &f->img, first + 2, 0x00FFFFFF);
	expect_read(f, "LOOP.BIN", FAT32_ERR_CORRUPT, "points past the last cluster");
	/* The top 4 bits of an entry are reserved and ignored. */
	test_set_fat(&f->layout, &f->img, first + 2, 0xF0000000 | (first + 3));
	expect_read(f, "LOOP.BIN", 0, "");
}

static void test_size_larger_than_chain(void **state)
{
	struct fixture *f = *state;
	uint8_t *e = entry(f, LOOP_BIN);

	put_le32(e + 28, 8 * 512 + 1);
	expect_read(f, "LOOP.BIN", FAT32_ERR_CORRUPT,
		    "is 4097 bytes but its cluster chain ends after 4096");
}

static void test_absurd_size(void **state)
{
	struct fixture *f = *state;

	put_le32(entry(f, SMALL_TXT) + 28, 0xFFFFFFFF);
	expect_read(f, "SMALL.TXT", FAT32_ERR_CORRUPT,
		    "claims 4294967295 bytes, more than the volume");
}

static void test_first_cluster_out_of_range(void **state)
{
	struct fixture *f = *state;
	uint8_t *e = entry(f, SMALL_TXT);

	put_le16(e + 20, 0x0FFF);
	expect_read(f, "SMALL.TXT", FAT32_ERR_CORRUPT, "starts at cluster 268369");
	put_le16(e + 20, 0);
	put_le16(e + 26, 0);
	expect_read(f, "SMALL.TXT", FAT32_ERR_CORRUPT, "starts at cluster 0");
}

static void test_subdirectory_without_cluster(void **state)
{
	struct fixture *f = *state;
	uint8_t *e = entry(f, SUB_DIR);

	put_le16(e + 26, 0);
	expect_list(f, "SUB", FAT32_ERR_CORRUPT, "directory starts at cluster 0");
	expect(f, fat32_stat(&f->vol, "SUB/INNER.TXT", &(struct fat32_entry){0}), FAT32_ERR_CORRUPT,
	       "SUB/INNER.TXT: directory starts at cluster 0");
}

/* ---- Directory entries ---- */

struct names {
	char list[64][256];
	int count;
};

static int collect_name(void *ctx, const struct fat32_entry *e)
{
	struct names *n = ctx;

	assert_true(n->count < 64);
	strcpy(n->list[n->count++], e->name);
	return 0;
}

static bool listed(struct fixture *f, const char *dir, const char *name)
{
	static struct names n;
	int i;

	n.count = 0;
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	assert_int_equal(fat32_list(&f->vol, dir, collect_name, &n), 0);
	for (i = 0; i < n.count; i++)
		if (strcmp(n.list[i], name) == 0)
			return true;
	return false;
}

static void test_lfn_checksum_mismatch(void **state)
{
	struct fixture *f = *state;
	uint8_t *e = entry(f, LONG_NAME);

	assert_true(listed(f, "/", "Long File Name.txt"));
	/* The 8.3 entry renamed by a system that knows nothing of long names. */
	e[0] = 'M';
	assert_false(listed(f, "/", "Long File Name.txt"));
	assert_true(listed(f, "/", "MONGFI~1.TXT"));
	expect(f, fat32_stat(&f->vol, "Long File Name.txt", &(struct fat32_entry){0}),
	       FAT32_ERR_NOT_FOUND, "no \"Long File Name.txt\"");
}

static void test_lfn_orphan_entry(void **state)
{
	struct fixture *f = *state;
	uint8_t *e = entry(f, LONG_NAME);

	/* Deleting the first LFN entry (the end of the name) orphans the rest. */
	(e - 64)[0] = 0xE5;
	assert_true(listed(f, "/", "LONGFI~1.TXT"));
	assert_false(listed(f, "/", "Long File Name.txt"));
}

static void test_deleted_and_special_first_bytes(void **state)
{
	struct fixture *f = *state;
	uint8_t *e = entry(f, SMALL_TXT);

	e[0] = 0xE5;
	assert_false(listed(f, "/", "SMALL.TXT"));
	expect_read(f, "SMALL.TXT", FAT32_ERR_NOT_FOUND, "no \"SMALL.TXT\"");
	e[0] = 0x05; /* stands for a real 0xE5, shown as '?' */
	assert_true(listed(f, "/", "?MALL.TXT"));
	e[0] = 0x00; /* the end of the directory: SMALL.TXT and all after it are gone */
	assert_true(listed(f, "/", "LOOP.BIN"));
	assert_false(listed(f, "/", "SUB"));
}

static void test_names_with_odd_characters(void **state)
{
	struct fixture *f = *state;
	uint8_t *e = entry(f, SMALL_TXT);

	memcpy(e, "A/\x01\x80    T  ", 11);
	assert_true(listed(f, "/", "A???.T"));
	memcpy(e, "           ", 11); /* no name at all */
	assert_true(listed(f, "/", ""));
}

/* ---- Hand-made volumes ---- */

static int setup_none(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	return *state ? 0 : -1;
}

static void test_directory_of_2_mib(void **state)
{
	struct fixture *f = *state;
	uint32_t c;

	/* 64 KiB clusters: 32 of them make the largest directory allowed. */
	test_synth_volume(&f->img, &f->layout, 128, 40);
	for (c = 2; c < 34; c++) {
		memset(test_cluster(&f->layout, &f->img, c), 0xE5, 128 * 512);
		test_set_fat(&f->layout, &f->img, c, c + 1);
	}
	test_set_fat(&f->layout, &f->img, 33, 0x0FFFFFFF);
	expect_list(f, "/", 0, "");
	/* One cluster more, without an end-of-directory entry: too large. */
	memset(test_cluster(&f->layout, &f->img, 34), 0xE5, 128 * 512);
	test_set_fat(&f->layout, &f->img, 33, 34);
	test_set_fat(&f->layout, &f->img, 34, 0x0FFFFFFF);
	expect_list(f, "/", FAT32_ERR_CORRUPT, "goes on past 65536 entries");
}

static void test_long_names_built_by_hand(void **state)
{
	struct fixture *f = *state;
	static const int lfn_offsets[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
	char name[256];
	uint8_t *root;
	int n, i;

	test_synth_volume(&f->img, &f->layout, 8, 20);
	root = test_cluster(&f->layout, &f->img, 2);
	/* 255 characters: the longest name. */
	memset(name, 'n', 255);
	name[255] = '\0';
	n = test_put_lfn_entries(root, name, "LONGES~1   ");
	test_put_short_entry(root + n * 32, "LONGES~1   ", 0x20, 0, 0);
	assert_true(listed(f, "/", name));
	/* A 20-entry sequence without a terminator: 260 characters, too long. */
	memset(name, 'm', 255);
	test_put_lfn_entries(root, name, "LONGES~1   ");
	for (i = 0; i < 13; i++) /* entry 20 holds characters 248..260: no end after 255 */
		put_le16(root + lfn_offsets[i], 'x');
	assert_true(listed(f, "/", "LONGES~1"));
	/* Ordinals out of sequence. */
	n = test_put_lfn_entries(root, "a name in two entries", "TWOENT~1   ");
	test_put_short_entry(root + n * 32, "TWOENT~1   ", 0x20, 0, 0);
	memset(root + (n + 1) * 32, 0, 32);
	assert_true(listed(f, "/", "a name in two entries"));
	root[32] = 3;
	assert_true(listed(f, "/", "TWOENT~1"));
	root[32] = 1;
	root[32 + 12] = 1; /* LDIR_Type must be 0 */
	assert_true(listed(f, "/", "TWOENT~1"));
	root[32 + 12] = 0;
	root[0] = 0x41 | 0x80; /* stray high bit in LDIR_Ord */
	assert_true(listed(f, "/", "TWOENT~1"));
}

static void test_volume_label_and_dot_entries_skipped(void **state)
{
	struct fixture *f = *state;
	static struct names n;
	uint8_t *root;

	test_synth_volume(&f->img, &f->layout, 1, 20);
	root = test_cluster(&f->layout, &f->img, 2);
	test_put_short_entry(root, "MY LABEL   ", 0x08, 0, 0);
	test_put_short_entry(root + 32, "DIR        ", 0x10, 3, 0);
	test_set_fat(&f->layout, &f->img, 3, 0x0FFFFFFF);
	root = test_cluster(&f->layout, &f->img, 3);
	test_put_short_entry(root, ".          ", 0x10, 3, 0);
	test_put_short_entry(root + 32, "..         ", 0x10, 0, 0);
	test_put_short_entry(root + 64, "FILE    TXT", 0x20, 0, 0);
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	n.count = 0;
	assert_int_equal(fat32_list(&f->vol, "/", collect_name, &n), 0);
	assert_int_equal(n.count, 1);
	assert_string_equal(n.list[0], "DIR");
	n.count = 0;
	assert_int_equal(fat32_list(&f->vol, "/DIR", collect_name, &n), 0);
	assert_int_equal(n.count, 1);
	assert_string_equal(n.list[0], "FILE.TXT");
	assert_int_equal(fat32_list(&f->vol, "/DIR/../DIR/./..", collect_name, &n), 0);
	assert_int_equal(n.count, 2);
}

/* ---- The device ---- */

static void test_device_errors(void **state)
{
	struct fixture *f = *state;
	static uint8_t buf[8192];
	unsigned int reads;

	f->img.fail_read = 1;
	expect_mount(f, FAT32_ERR_IO, "device read of 1 block(s) at block 0 failed (error -5)");
	/* Fail each read of a file read in turn: every one gives an I/O error. */
	f->img.fail_read = 0;
	assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
	test_image_reset_counts(&f->img);
	assert_int_equal(fat32_read_file(&f->vol, "SUB/INNER.TXT", buf, sizeof(buf), NULL), 0);
	for (reads = f->img.reads; reads > 0; reads--) {
		assert_int_equal(fat32_mount(&f->vol, &f->img.dev), 0);
		test_image_reset_counts(&f->img);
		f->img.fail_read = reads;
		expect(f, fat32_read_file(&f->vol, "SUB/INNER.TXT", buf, sizeof(buf), NULL),
		       FAT32_ERR_IO, "failed (error -5)");
		f->img.fail_read = 0;
	}
}

static void test_empty_device(void **state)
{
	struct fixture *f = *state;

	f->img.dev.block_count = 0;
	expect_mount(f, FAT32_ERR_NOT_FAT32, "the device is empty");
}

#define ON(test, image) cmocka_unit_test_setup_teardown(test, setup_##image, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    ON(test_bytes_per_sector, small),
	    ON(test_sectors_per_cluster, small),
	    ON(test_no_fats, small),
	    ON(test_fat_size_zero, small),
	    ON(test_no_reserved_sectors, small),
	    ON(test_root_cluster_out_of_range, small),
	    ON(test_total_smaller_than_layout, small),
	    ON(test_volume_larger_than_device, small),
	    ON(test_fat_too_small_for_clusters, small_on_large_device),
	    ON(test_too_many_clusters, small_on_huge_device),
	    ON(test_unknown_version_and_media, small),
	    ON(test_fat16_fields, small),
	    ON(test_not_a_boot_sector, small),
	    ON(test_exfat, small),
	    ON(test_active_fat, small),
	    ON(test_partition_mounts, smallmbr),
	    ON(test_partition_types, smallmbr),
	    ON(test_second_partition, smallmbr),
	    ON(test_partition_past_device_end, smallmbr),
	    ON(test_partition_smaller_than_volume, smallmbr),
	    ON(test_partition_without_file_system, smallmbr),
	    ON(test_bad_boot_flag, smallmbr),
	    ON(test_file_chain_loops, small),
	    ON(test_directory_chain_loops, small),
	    ON(test_chain_bad_links, small),
	    ON(test_size_larger_than_chain, small),
	    ON(test_absurd_size, small),
	    ON(test_first_cluster_out_of_range, small),
	    ON(test_subdirectory_without_cluster, small),
	    ON(test_lfn_checksum_mismatch, small),
	    ON(test_lfn_orphan_entry, small),
	    ON(test_deleted_and_special_first_bytes, small),
	    ON(test_names_with_odd_characters, small),
	    ON(test_directory_of_2_mib, none),
	    ON(test_long_names_built_by_hand, none),
	    ON(test_volume_label_and_dot_entries_skipped, none),
	    ON(test_device_errors, small),
	    ON(test_empty_device, small),
	};

	(void)argc;
	test_images_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
