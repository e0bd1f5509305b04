/*
 * libFuzzer target for the FAT32 reader (hv/fs/). The input is the start of
 * a disk image. It is mounted twice: on a device exactly its size, and on a
 * 64 MiB device whose blocks past the input read as zeros, so that a seed cut
 * after the file system's metadata still mounts and the fuzzer reaches the
 * directories and files. On each, every directory is listed (to a bounded
 * depth and count), every entry looked up by path and every file read.
 *
 * Besides the sanitizers, the device aborts on a read past its end (the
 * reader must check every block number first), and the results must agree:
 * a file read gives as many bytes as its entry says, a directory cannot be
 * read as a file nor a file listed, every error has a message that fits.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fat32.h"

#define LARGE_DEVICE_BLOCKS ((64u << 20) / BLOCK_SIZE)
#define MAX_DEPTH	    4  /* directory levels below the root */
#define MAX_DIRS	    24 /* directories listed per mount */
#define MAX_NAMES	    48 /* entries looked at per directory */
#define PATH_LEN	    600

struct memory_device {
	struct blockdev dev;
	const uint8_t *data;
	size_t size;
};

struct walk {
	struct fat32_volume *vol;
	char dirs[MAX_DIRS][PATH_LEN];
	int depth[MAX_DIRS];
	int dir_count;
	char names[MAX_NAMES][FAT32_NAME_MAX + 1];
	int name_count;
};

static uint8_t file_buf[64 * 1024];
static uint8_t piece_buf[3 * 512];

static int memory_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct memory_device *m = ctx;
	uint64_t offset = lba * BLOCK_SIZE;
	size_t len = (size_t)count * BLOCK_SIZE;

	if (lba >= m->dev.block_count || count > m->dev.block_count - lba) {
		fprintf(stderr, "read of %u blocks at %llu past the device's %llu\n", count,
			(unsigned long long)lba, (unsigned long long)m->dev.block_count);
		abort();
	}
	memset(buf, 0, len);
	if (offset < m->size)
		memcpy(buf, m->data + offset, m->size - offset < len ? m->size - offset : len);
	return 0;
}

static void check_error_message(const struct fat32_volume *vol, int rc)
{
	const char *detail = fat32_last_error_detail(vol);

	if (strnlen(detail, FAT32_DETAIL_MAX) == FAT32_DETAIL_MAX || !fat32_strerror(rc))
		abort();
	if (rc < 0 && detail[0] == '\0') {
		fprintf(stderr, "error %d (%s) without a message\n", rc, fat32_strerror(rc));
		abort();
	}
}

static int collect_name(void *ctx, const struct fat32_entry *e)
{
	struct walk *w = ctx;

	if (strnlen(e->name, sizeof(e->name)) == sizeof(e->name))
		abort();
	if (w->name_count == MAX_NAMES)
		return 1;
	memcpy(w->names[w->name_count++], e->name, sizeof(e->name));
	return 0;
}

static int collect_nothing(void *ctx, const struct fat32_entry *e)
{
	(void)ctx;
	(void)e;
	return 1;
}

/* The path resolved a moment ago: resolving it again must give the same error. */
static void expect_error(struct fat32_volume *vol, const char *path, int rc, int expected)
{
	check_error_message(vol, rc);
	if (rc != expected) {
		fprintf(stderr, "%s: got %d (%s), expected %d\n", path, rc, fat32_strerror(rc),
			expected);
		abort();
	}
}

/*
 * The file read again a piece at a time (as the VM loader reads): the same
 * bytes when the whole read succeeded, an error with a message otherwise,
 * never a piece larger than asked for.
 */
static void read_in_pieces(struct walk *w, const char *path, uint64_t size, bool whole_ok)
{
	static const uint64_t piece = 3 * 512;
	struct fat32_file f;
	uint64_t offset = 0, got;
	int rc = fat32_open(w->vol, path, &f);

	check_error_message(w->vol, rc);
	while (rc == 0 && offset < size) {
		rc = fat32_read_next(w->vol, &f, piece_buf, piece, &got);
		check_error_message(w->vol, rc);
		if (got > piece || (rc == 0 && got == 0) ||
		    (whole_ok && rc == 0 && memcmp(piece_buf, file_buf + offset, got) != 0)) {
			fprintf(stderr, "%s: piece at %llu differs (%llu bytes, rc %d)\n", path,
				(unsigned long long)offset, (unsigned long long)got, rc);
			abort();
		}
		offset += got;
	}
	if (whole_ok && rc != 0) {
		fprintf(stderr, "%s: read whole, but not in pieces (rc %d at %llu)\n", path, rc,
			(unsigned long long)offset);
		abort();
	}
}

static void read_file(struct walk *w, const char *path, const struct fat32_entry *e)
{
	uint64_t got = 1;
	int rc = fat32_read_file(w->vol, path, file_buf, sizeof(file_buf), &got);

	check_error_message(w->vol, rc);
	if ((rc == 0 && got != e->size) || (rc != 0 && got != 0)) {
		fprintf(stderr, "%s: read %llu bytes, entry says %llu (rc %d)\n", path,
			(unsigned long long)got, (unsigned long long)e->size, rc);
		abort();
	}
	if (e->size <= sizeof(file_buf))
		read_in_pieces(w, path, e->size, rc == 0);
}

static void visit(struct walk *w, const char *dir, const char *name, int depth)
{
	char path[PATH_LEN];
	struct fat32_entry e;
	int len = snprintf(path, sizeof(path), "%s/%s", dir, name);
	int rc;

	if (len < 0 || len >= (int)sizeof(path))
		return;
	rc = fat32_stat(w->vol, path, &e);
	check_error_message(w->vol, rc);
	if (rc != 0)
		return;
	if (!e.is_dir) {
		read_file(w, path, &e);
		expect_error(w->vol, path, fat32_list(w->vol, path, collect_nothing, NULL),
			     FAT32_ERR_NOT_DIR);
		return;
	}
	expect_error(w->vol, path, fat32_read_file(w->vol, path, file_buf, 1, NULL),
		     FAT32_ERR_IS_DIR);
	if (depth < MAX_DEPTH && w->dir_count < MAX_DIRS) {
		memcpy(w->dirs[w->dir_count], path, sizeof(path));
		w->depth[w->dir_count++] = depth + 1;
	}
}

/* Breadth first, without recursion: the reader's own depth limits are not tested here. */
static void walk_volume(struct fat32_volume *vol)
{
	static struct walk w;
	int i, j, rc;

	w.vol = vol;
	w.dir_count = 1;
	w.dirs[0][0] = '\0';
	w.depth[0] = 0;
	for (i = 0; i < w.dir_count; i++) {
		w.name_count = 0;
		rc = fat32_list(vol, w.dirs[i], collect_name, &w);
		check_error_message(vol, rc);
		for (j = 0; j < w.name_count; j++)
			visit(&w, w.dirs[i], w.names[j], w.depth[i]);
	}
}

static void try_odd_paths(struct fat32_volume *vol)
{
	static const char *const paths[] = {"/..", "a/../../b", "//.//", "./x/./", "A.B/C.D/E"};
	struct fat32_entry e;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		check_error_message(vol, fat32_stat(vol, paths[i], &e));
}

static void mount_and_walk(struct memory_device *m)
{
	static struct fat32_volume vol;
	int rc = fat32_mount(&vol, &m->dev);

	check_error_message(&vol, rc);
	if (rc != 0)
		return;
	walk_volume(&vol);
	try_odd_paths(&vol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memory_device m = {{.read = memory_read}, data, size};

	m.dev.ctx = &m;
	m.dev.block_count = (size + BLOCK_SIZE - 1) / BLOCK_SIZE;
	mount_and_walk(&m);
	if (size < (size_t)LARGE_DEVICE_BLOCKS * BLOCK_SIZE) {
		m.dev.block_count = LARGE_DEVICE_BLOCKS;
		mount_and_walk(&m);
	}
	return 0;
}
