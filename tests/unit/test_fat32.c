/*
 * Unit tests of the FAT32 reader on images made by mkfs.fat and mtools
 * (scripts/mkfatimages.py): every directory listing and every file's size
 * and content must match the manifest of what was put in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fat32_test_util.h"
#include "fs/fat32.h"

/* One image, mounted, with its manifest; cmocka's state. */
struct fixture {
	struct test_image img;
	struct fat32_volume vol;
	struct manifest manifest;
};

static int setup(void **state, const char *name)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	test_image_open(&f->img, name);
	manifest_load(&f->manifest, name);
	if (fat32_mount(&f->vol, &f->img.dev) != 0)
		fail_msg("mount %s: %s", name, fat32_last_error_detail(&f->vol));
	*state = f;
	return 0;
}

static int setup_super(void **state)
{
	return setup(state, "super.img");
}

static int setup_mbr(void **state)
{
	return setup(state, "mbr.img");
}

static int setup_mbrfake(void **state)
{
	return setup(state, "mbrfake.img");
}

static int setup_compact(void **state)
{
	return setup(state, "compact.img");
}

static int setup_compact4k(void **state)
{
	return setup(state, "compact4k.img");
}

static int setup_small(void **state)
{
	return setup(state, "small.img");
}

static int setup_smallmbr(void **state)
{
	return setup(state, "smallmbr.img");
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	/* No test may make the reader ask for a block the device does not have. */
	assert_false(f->img.read_outside);
	manifest_free(&f->manifest);
	test_image_close(&f->img);
	free(f);
	return 0;
}

/* ---- Everything in the manifest is there, and nothing else ---- */

struct listing_check {
	const struct manifest *manifest;
	const char *dir;
	size_t seen;
};

static void join_path(char *out, size_t size, const char *dir, const char *name)
{
	snprintf(out, size, "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, name);
}

static int check_listed_entry(void *ctx, const struct fat32_entry *e)
{
	struct listing_check *c = ctx;
	const struct manifest_line *line;
	char path[1024];

	join_path(path, sizeof(path), c->dir, e->name);
	line = manifest_find(c->manifest, path);
	if (!line)
		fail_msg("listed %s, which was not put in", path);
	assert_int_equal(e->is_dir, line->type == 'd');
	if (!e->is_dir)
		assert_int_equal(e->size, line->size);
	c->seen++;
	return 0;
}

static void check_listing(struct fixture *f, const char *dir)
{
	struct listing_check c = {&f->manifest, dir, 0};
	int rc = fat32_list(&f->vol, dir, check_listed_entry, &c);

	if (rc != 0)
		fail_msg("list %s: %s", dir, fat32_last_error_detail(&f->vol));
	assert_int_equal(c.seen, manifest_children(&f->manifest, dir));
}

static void check_file(struct fixture *f, const struct manifest_line *line)
{
	uint8_t *buf = malloc(line->size + 1);
	struct fat32_entry e;
	uint64_t got = 12345;
	int rc;

	assert_non_null(buf);
	assert_int_equal(fat32_stat(&f->vol, line->path, &e), 0);
	assert_false(e.is_dir);
	assert_int_equal(e.size, line->size);
	rc = fat32_read_file(&f->vol, line->path, buf, line->size, &got);
	if (rc != 0)
		fail_msg("read %s: %s", line->path, fat32_last_error_detail(&f->vol));
	assert_int_equal(got, line->size);
	if (test_crc32(buf, line->size) != line->crc)
		fail_msg("%s: content differs from what was put in", line->path);
	free(buf);
}

static void test_everything_matches_manifest(void **state)
{
	struct fixture *f = *state;
	size_t i;

	check_listing(f, "/");
	for (i = 0; i < f->manifest.count; i++) {
		const struct manifest_line *line = &f->manifest.lines[i];

		if (line->type == 'd')
			check_listing(f, line->path);
		else
			check_file(f, line);
	}
}

/* ---- Mounting ---- */

static void test_mount_finds_the_volume(void **state)
{
	struct fixture *f = *state;
	struct fat32_volume vol;

	/* super: no partition table, 4 KiB clusters, spec-size FAT32. */
	assert_int_equal(fat32_mount(&vol, &f->img.dev), 0);
	assert_int_equal(vol.partition, 0);
	assert_int_equal(vol.start_lba, 0);
	assert_int_equal(vol.bytes_per_cluster, 4096);
	assert_true(vol.cluster_count >= 65525);
	assert_string_equal(fat32_last_error_detail(&vol), "");
}

static void test_mount_partition(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->vol.partition, 1);
	assert_int_equal(f->vol.start_lba, 2048);
	assert_int_equal(f->vol.bytes_per_cluster, 512);
}

static void test_mount_table_inside_boot_sector(void **state)
{
	struct fixture *f = *state;

	/* mkfs.fat --mbr: the boot sector is also an MBR whose partition starts at 0. */
	assert_int_equal(f->vol.start_lba, 0);
	assert_int_equal(f->vol.bytes_per_cluster, 1024);
}

static void test_mount_small_fat32(void **state)
{
	struct fixture *f = *state;

	/* Fewer clusters than the specification's FAT32 minimum: read by BPB layout. */
	assert_true(f->vol.cluster_count < 65525);
	assert_true(f->img.dev.block_count < 2048);
}

static void test_mount_rejects_fat16(void **state)
{
	struct test_image img;
	struct fat32_volume vol;

	(void)state;
	test_image_open(&img, "fat16.img");
	assert_int_equal(fat32_mount(&vol, &img.dev), FAT32_ERR_NOT_FAT32);
	assert_non_null(strstr(fat32_last_error_detail(&vol), "FAT16"));
	test_image_close(&img);
}

/* ---- Names and paths ---- */

static void expect_stat(struct fixture *f, const char *path, const char *name, bool is_dir)
{
	struct fat32_entry e;
	int rc = fat32_stat(&f->vol, path, &e);

	if (rc != 0)
		fail_msg("stat %s: %s", path, fat32_last_error_detail(&f->vol));
	assert_string_equal(e.name, name);
	assert_int_equal(e.is_dir, is_dir);
}

static void test_names_match_case_insensitively(void **state)
{
	struct fixture *f = *state;

	expect_stat(f, "/readme.txt", "README.TXT", false);
	expect_stat(f, "/LOWER.TXT", "lower.txt", false);
	expect_stat(f, "/mixed case NAME.data", "Mixed Case Name.Data", false);
	expect_stat(f, "A/B/C/D/E/DEEP FILE.TXT", "deep file.txt", false);
}

static void test_short_alias_finds_long_name(void **state)
{
	struct fixture *f = *state;

	expect_stat(f, "/MIXEDC~1.DAT", "Mixed Case Name.Data", false);
	expect_stat(f, "/mixedc~1.dat", "Mixed Case Name.Data", false);
}

static void test_longest_name(void **state)
{
	struct fixture *f = *state;
	char name[256];

	memset(name, 'L', 251);
	memcpy(name + 251, ".txt", 5);
	expect_stat(f, name, name, false);
}

static void test_dots_and_slashes_in_paths(void **state)
{
	struct fixture *f = *state;

	expect_stat(f, "", "/", true);
	expect_stat(f, "/", "/", true);
	expect_stat(f, "/..", "/", true);
	expect_stat(f, "a/..", "/", true);
	expect_stat(f, "a/b/..", "..", true);
	expect_stat(f, "//a//b/", "b", true);
	expect_stat(f, "/a/./b/../sibling.txt", "sibling.txt", false);
	expect_stat(f, "/a/b/c/../../../README.TXT", "README.TXT", false);
}

struct names {
	char list[400][256];
	int count;
	int stop_after;
};

static int collect_name(void *ctx, const struct fat32_entry *e)
{
	struct names *n = ctx;

	assert_true(n->count < 400);
	snprintf(n->list[n->count++], 256, "%s", e->name);
	return n->stop_after && n->count == n->stop_after;
}

static bool has_name(const struct names *n, const char *name)
{
	int i;

	for (i = 0; i < n->count; i++)
		if (strcmp(n->list[i], name) == 0)
			return true;
	return false;
}

static void test_listing_leaves_out_dots_and_label(void **state)
{
	struct fixture *f = *state;
	static struct names n;

	memset(&n, 0, sizeof(n));
	assert_int_equal(fat32_list(&f->vol, "/a", collect_name, &n), 0);
	assert_int_equal(n.count, 2);
	assert_false(has_name(&n, "."));
	assert_false(has_name(&n, ".."));
	memset(&n, 0, sizeof(n));
	assert_int_equal(fat32_list(&f->vol, "", collect_name, &n), 0);
	assert_false(has_name(&n, "AVISORTEST"));
	assert_true(has_name(&n, "Caf? au lait.txt"));
	assert_true(has_name(&n, "emptydir"));
}

static void test_callback_stops_listing(void **state)
{
	struct fixture *f = *state;
	static struct names n;

	memset(&n, 0, sizeof(n));
	n.stop_after = 3;
	assert_int_equal(fat32_list(&f->vol, "/many", collect_name, &n), 0);
	assert_int_equal(n.count, 3);
}

struct reading_lister {
	struct fixture *f;
	int files;
};

/* Reads each file while the listing runs: the listing must not lose its place. */
static int read_while_listing(void *ctx, const struct fat32_entry *e)
{
	struct reading_lister *r = ctx;
	char path[600];

	join_path(path, sizeof(path), "/many", e->name);
	check_file(r->f, manifest_find(&r->f->manifest, path));
	r->files++;
	return 0;
}

static void test_files_read_during_listing(void **state)
{
	struct reading_lister r = {*state, 0};

	assert_int_equal(fat32_list(&r.f->vol, "/many", read_while_listing, &r), 0);
	assert_int_equal(r.files, 300);
}

/* ---- Reading ---- */

static void test_contiguous_file_is_one_read(void **state)
{
	struct fixture *f = *state;
	static uint8_t buf[300 * 1024];
	uint64_t got;

	test_image_reset_counts(&f->img);
	assert_int_equal(fat32_read_file(&f->vol, "/big.bin", buf, sizeof(buf), &got), 0);
	assert_int_equal(got, sizeof(buf));
	assert_int_equal(f->img.multi_block_reads, 1);
	assert_int_equal(f->img.largest_read, sizeof(buf) / 512);
}

static void test_fragmented_file_is_read_in_runs(void **state)
{
	struct fixture *f = *state;
	static uint8_t buf[41 * 4096];
	uint64_t got;

	test_image_reset_counts(&f->img);
	assert_int_equal(fat32_read_file(&f->vol, "/frag/fragmented.bin", buf, sizeof(buf), &got),
			 0);
	assert_int_equal(got, 40 * 4096 + 123);
	/* 32 one-cluster holes, then the rest in one run. */
	assert_true(f->img.multi_block_reads >= 33);
	assert_int_equal(f->img.largest_read, 8 * 8);
}

/*
 * Reading a file in pieces (the VM loader's way) gives what reading it at
 * once does, whatever the piece size: smaller than a cluster, not a multiple
 * of one, larger than a run; and never more device reads than one per piece
 * and run (the chain is not walked again from the start).
 */
static void test_file_read_in_pieces(void **state)
{
	static const uint64_t pieces[] = {512, 1536, 4096, 5120, 12288, 300 * 1024};
	struct fixture *f = *state;
	static uint8_t whole[41 * 4096], part[41 * 4096];
	uint64_t size, got;

	assert_int_equal(
	    fat32_read_file(&f->vol, "/frag/fragmented.bin", whole, sizeof(whole), &size), 0);
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		struct fat32_file file;
		uint64_t offset = 0;
		unsigned int reads = 0;

		memset(part, 0xa5, sizeof(part));
		assert_int_equal(fat32_open(&f->vol, "/frag/fragmented.bin", &file), 0);
		test_image_reset_counts(&f->img);
		do {
			assert_int_equal(
			    fat32_read_next(&f->vol, &file, part + offset, pieces[i], &got), 0);
			assert_true(got <= pieces[i]);
			offset += got;
			reads++;
		} while (got > 0);
		assert_int_equal(offset, size);
		assert_memory_equal(part, whole, size);
		/* Runs (33) + pieces, plus the FAT sectors and the last partial sector. */
		assert_true(f->img.reads <= 33 + reads + 4);
	}
}

static void test_read_next_needs_a_sector(void **state)
{
	struct fixture *f = *state;
	struct fat32_file file;
	uint8_t buf[512];
	uint64_t got = 7;

	assert_int_equal(fat32_open(&f->vol, "/big.bin", &file), 0);
	assert_int_equal(fat32_read_next(&f->vol, &file, buf, 511, &got), FAT32_ERR_INVAL);
	assert_int_equal(got, 0);
	assert_int_equal(fat32_open(&f->vol, "/frag", &file), FAT32_ERR_IS_DIR);
	assert_int_equal(fat32_open(&f->vol, "/nope.bin", &file), FAT32_ERR_NOT_FOUND);
}

static void test_buffer_exactly_the_size(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[4097];
	uint64_t got = 99;

	assert_int_equal(fat32_read_file(&f->vol, "/sizes/size-4097.bin", buf, 4097, &got), 0);
	assert_int_equal(got, 4097);
	assert_int_equal(fat32_read_file(&f->vol, "/sizes/size-4097.bin", buf, 4096, &got),
			 FAT32_ERR_TOO_BIG);
	assert_int_equal(got, 0);
	assert_non_null(strstr(fat32_last_error_detail(&f->vol), "4097 bytes"));
}

static void test_empty_file(void **state)
{
	struct fixture *f = *state;
	uint64_t got = 99;

	assert_int_equal(fat32_read_file(&f->vol, "/empty.bin", NULL, 0, &got), 0);
	assert_int_equal(got, 0);
	assert_int_equal(fat32_read_file(&f->vol, "/empty.bin", NULL, 0, NULL), 0);
}

/* ---- Errors on a good volume ---- */

static void expect_error(struct fat32_volume *vol, int rc, int err, const char *detail)
{
	assert_int_equal(rc, err);
	if (!strstr(fat32_last_error_detail(vol), detail))
		fail_msg("detail \"%s\" does not mention \"%s\"", fat32_last_error_detail(vol),
			 detail);
}

static void test_path_errors(void **state)
{
	struct fixture *f = *state;
	struct fat32_entry e;
	uint8_t buf[16];
	char long_name[300];
	struct names n;

	expect_error(&f->vol, fat32_stat(&f->vol, "/nope", &e), FAT32_ERR_NOT_FOUND,
		     "/nope: no \"nope\" in directory \"/\"");
	expect_error(&f->vol, fat32_stat(&f->vol, "/a/nope/x", &e), FAT32_ERR_NOT_FOUND,
		     "no \"nope\" in directory \"a\"");
	expect_error(&f->vol, fat32_stat(&f->vol, "/README.TXT/x", &e), FAT32_ERR_NOT_DIR,
		     "\"README.TXT\" is not a directory");
	expect_error(&f->vol, fat32_list(&f->vol, "/README.TXT", collect_name, &n),
		     FAT32_ERR_NOT_DIR, "is a file");
	expect_error(&f->vol, fat32_read_file(&f->vol, "/a", buf, sizeof(buf), NULL),
		     FAT32_ERR_IS_DIR, "\"a\" is a directory");
	memset(long_name, 'x', 256);
	long_name[256] = '\0';
	expect_error(&f->vol, fat32_stat(&f->vol, long_name, &e), FAT32_ERR_NAME,
		     "longer than 255");
	assert_int_equal(fat32_stat(&f->vol, NULL, &e), FAT32_ERR_INVAL);
	assert_int_equal(fat32_stat(&f->vol, "/", NULL), FAT32_ERR_INVAL);
	assert_int_equal(fat32_list(&f->vol, "/", NULL, NULL), FAT32_ERR_INVAL);
	assert_int_equal(fat32_read_file(&f->vol, "/README.TXT", NULL, 10, NULL), FAT32_ERR_INVAL);
	assert_int_equal(fat32_stat(NULL, "/", &e), FAT32_ERR_INVAL);
	/* A successful call clears the last error. */
	assert_int_equal(fat32_stat(&f->vol, "/", &e), 0);
	assert_string_equal(fat32_last_error_detail(&f->vol), "");
}

static void test_unmounted_volume(void **state)
{
	static struct fat32_volume vol;
	struct fat32_entry e;

	(void)state;
	memset(&vol, 0, sizeof(vol));
	assert_int_equal(fat32_stat(&vol, "/", &e), FAT32_ERR_NOT_MOUNTED);
	assert_int_equal(fat32_mount(&vol, NULL), FAT32_ERR_INVAL);
	assert_int_equal(fat32_list(&vol, "/", collect_name, NULL), FAT32_ERR_NOT_MOUNTED);
	assert_int_equal(fat32_mount(NULL, NULL), FAT32_ERR_INVAL);
}

static void test_strerror_names_every_error(void **state)
{
	int err;

	(void)state;
	for (err = FAT32_ERR_INVAL; err <= FAT32_OK; err++)
		assert_string_not_equal(fat32_strerror(err), "unknown error");
	assert_string_equal(fat32_strerror(FAT32_ERR_LOOP), "cluster chain loops");
	assert_string_equal(fat32_strerror(FAT32_ERR_INVAL - 1), "unknown error");
	assert_string_equal(fat32_strerror(1), "unknown error");
}

#define ON(test, image) cmocka_unit_test_setup_teardown(test, setup_##image, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    ON(test_everything_matches_manifest, super),
	    ON(test_everything_matches_manifest, mbr),
	    ON(test_everything_matches_manifest, mbrfake),
	    ON(test_everything_matches_manifest, compact),
	    ON(test_everything_matches_manifest, compact4k),
	    ON(test_everything_matches_manifest, small),
	    ON(test_everything_matches_manifest, smallmbr),
	    ON(test_mount_finds_the_volume, super),
	    ON(test_mount_partition, mbr),
	    ON(test_mount_table_inside_boot_sector, mbrfake),
	    ON(test_mount_small_fat32, small),
	    cmocka_unit_test(test_mount_rejects_fat16),
	    ON(test_names_match_case_insensitively, super),
	    ON(test_short_alias_finds_long_name, mbr),
	    ON(test_longest_name, mbr),
	    ON(test_dots_and_slashes_in_paths, super),
	    ON(test_listing_leaves_out_dots_and_label, super),
	    ON(test_callback_stops_listing, mbr),
	    ON(test_files_read_during_listing, mbr),
	    ON(test_contiguous_file_is_one_read, super),
	    ON(test_fragmented_file_is_read_in_runs, super),
	    ON(test_file_read_in_pieces, super),
	    ON(test_read_next_needs_a_sector, super),
	    ON(test_buffer_exactly_the_size, super),
	    ON(test_empty_file, compact),
	    ON(test_path_errors, super),
	    cmocka_unit_test(test_unmounted_volume),
	    cmocka_unit_test(test_strerror_names_every_error),
	};

	(void)argc;
	test_images_init(argv[0]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
