/* Helpers for the FAT32 reader's tests; see fat32_test_util.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fat32_test_util.h"

static char image_dir[4096];

void test_images_init(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	int len = slash ? (int)(slash - argv0) : 1;

	/* argv0 is BUILD/unit/test_NAME; the images are in BUILD/fat32. */
	snprintf(image_dir, sizeof(image_dir), "%.*s/../fat32", len, slash ? argv0 : ".");
}

const char *test_image_path(const char *name)
{
	static char path[sizeof(image_dir) + 64];

	snprintf(path, sizeof(path), "%s/%s", image_dir, name);
	return path;
}

/* Copies blocks from the image, zeros past its end (a sparse or short image). */
static void copy_blocks(struct test_image *img, uint64_t offset, size_t len, uint8_t *buf)
{
	memset(buf, 0, len);
	if (img->fd >= 0) {
		ssize_t got = pread(img->fd, buf, len, (off_t)offset);

		assert_true(got >= 0);
	} else if (offset < img->size) {
		size_t avail = img->size - offset;

		memcpy(buf, img->data + offset, len < avail ? len : avail);
	}
}

static int image_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct test_image *img = ctx;

	img->reads++;
	if (count > 1)
		img->multi_block_reads++;
	if (count > img->largest_read)
		img->largest_read = count;
	if (img->fail_read && img->reads == img->fail_read)
		return -5;
	if (lba >= img->dev.block_count || count > img->dev.block_count - lba) {
		img->read_outside = true;
		return -22;
	}
	copy_blocks(img, lba * BLOCK_SIZE, (size_t)count * BLOCK_SIZE, buf);
	return 0;
}

static void image_init(struct test_image *img, uint64_t blocks)
{
	img->dev.block_count = blocks;
	img->dev.read = image_read;
	img->dev.ctx = img;
	test_image_reset_counts(img);
	img->fail_read = 0;
	img->read_outside = false;
}

void test_image_open(struct test_image *img, const char *name)
{
	struct stat st;

	memset(img, 0, sizeof(*img));
	img->fd = open(test_image_path(name), O_RDONLY);
	if (img->fd < 0)
		fail_msg("cannot open %s: run make unit-test (it makes the images)",
			 test_image_path(name));
	assert_int_equal(fstat(img->fd, &st), 0);
	image_init(img, (uint64_t)st.st_size / BLOCK_SIZE);
}

void test_image_load(struct test_image *img, const char *name, uint64_t min_blocks)
{
	struct test_image file;
	uint64_t blocks;

	test_image_open(&file, name);
	blocks = file.dev.block_count;
	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->size = blocks * BLOCK_SIZE;
	img->data = malloc(img->size);
	assert_non_null(img->data);
	copy_blocks(&file, 0, img->size, img->data);
	test_image_close(&file);
	image_init(img, blocks > min_blocks ? blocks : min_blocks);
}

void test_image_blank(struct test_image *img, uint64_t blocks)
{
	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->size = blocks * BLOCK_SIZE;
	img->data = calloc(1, img->size);
	assert_non_null(img->data);
	image_init(img, blocks);
}

void test_image_close(struct test_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	free(img->data);
	img->data = NULL;
	img->fd = -1;
}

void test_image_reset_counts(struct test_image *img)
{
	img->reads = 0;
	img->multi_block_reads = 0;
	img->largest_read = 0;
}

void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

uint16_t read_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t read_le32(const uint8_t *p)
{
	return read_le16(p) | (uint32_t)read_le16(p + 2) << 16;
}

/* ---- Manifests ---- */

static void parse_manifest_line(struct manifest_line *l, const char *text)
{
	int used = 0;

	memset(l, 0, sizeof(*l));
	l->type = text[0];
	if (l->type == 'd') {
		snprintf(l->path, sizeof(l->path), "%s", text + 2);
		return;
	}
	assert_int_equal(l->type, 'f');
	assert_int_equal(sscanf(text, "f %lu %x %n", &l->size, &l->crc, &used), 2);
	snprintf(l->path, sizeof(l->path), "%s", text + used);
}

void manifest_load(struct manifest *m, const char *image_name)
{
	char name[128];
	char line[1024];
	size_t len = strlen(image_name);
	FILE *f;

	assert_true(len > 4 && len < sizeof(name));
	snprintf(name, sizeof(name), "%.*s.manifest", (int)(len - 4), image_name);
	f = fopen(test_image_path(name), "r");
	assert_non_null(f); /* made with the image, which was opened first */
	memset(m, 0, sizeof(*m));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0')
			continue;
		m->lines = realloc(m->lines, (m->count + 1) * sizeof(*m->lines));
		assert_non_null(m->lines);
		parse_manifest_line(&m->lines[m->count++], line);
	}
	fclose(f);
}

void manifest_free(struct manifest *m)
{
	free(m->lines);
	m->lines = NULL;
	m->count = 0;
}

const struct manifest_line *manifest_find(const struct manifest *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		if (strcmp(m->lines[i].path, path) == 0)
			return &m->lines[i];
	return NULL;
}

static bool is_child_of(const char *path, const char *dir)
{
	size_t len = strcmp(dir, "/") == 0 ? 0 : strlen(dir);

	return strncmp(path, dir, len) == 0 && path[len] == '/' && !strchr(path + len + 1, '/');
}

size_t manifest_children(const struct manifest *m, const char *dir)
{
	size_t i, n = 0;

	for (i = 0; i < m->count; i++)
		if (is_child_of(m->lines[i].path, dir))
			n++;
	return n;
}

uint32_t test_crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xFFFFFFFF;
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1));
	}
	return ~crc;
}

/* ---- Layout and patching ---- */

void test_layout_read(struct test_layout *l, const struct test_image *img, size_t base)
{
	const uint8_t *bs = img->data + base;
	uint32_t reserved = read_le16(bs + 14);

	l->base = base;
	l->sectors_per_cluster = bs[13];
	l->fats = bs[16];
	l->fat_sectors = read_le32(bs + 36);
	l->fat_start = reserved;
	l->data_start = reserved + l->fats * l->fat_sectors;
	l->root_cluster = read_le32(bs + 44);
}

uint8_t *test_cluster(const struct test_layout *l, struct test_image *img, uint32_t c)
{
	size_t sector = l->data_start + (size_t)(c - 2) * l->sectors_per_cluster;
	size_t offset = l->base + sector * BLOCK_SIZE;

	assert_true(offset + (size_t)l->sectors_per_cluster * BLOCK_SIZE <= img->size);
	return img->data + offset;
}

static uint8_t *fat_entry(const struct test_layout *l, const struct test_image *img, uint32_t fat,
			  uint32_t c)
{
	size_t offset =
	    l->base + (size_t)(l->fat_start + fat * l->fat_sectors) * BLOCK_SIZE + c * 4;

	assert_true(offset + 4 <= img->size);
	return img->data + offset;
}

uint32_t test_get_fat(const struct test_layout *l, const struct test_image *img, uint32_t c)
{
	return read_le32(fat_entry(l, img, 0, c)) & 0x0FFFFFFF;
}

void test_set_fat(const struct test_layout *l, struct test_image *img, uint32_t c, uint32_t v)
{
	uint32_t i;

	for (i = 0; i < l->fats; i++)
		put_le32(fat_entry(l, img, i, c), v);
}

uint8_t *test_find_entry(const struct test_layout *l, struct test_image *img, uint32_t dir,
			 const char *name11)
{
	size_t per_cluster = (size_t)l->sectors_per_cluster * BLOCK_SIZE;
	int hops;

	for (hops = 0; hops < 1000 && dir >= 2 && dir < 0x0FFFFFF8; hops++) {
		uint8_t *p = test_cluster(l, img, dir);
		size_t i;

		for (i = 0; i < per_cluster; i += 32)
			if (memcmp(p + i, name11, 11) == 0 && p[i + 11] != 0x0F)
				return p + i;
		dir = test_get_fat(l, img, dir);
	}
	return NULL;
}

uint32_t test_entry_cluster(const uint8_t *entry)
{
	return (uint32_t)read_le16(entry + 20) << 16 | read_le16(entry + 26);
}

/* ---- Hand-made volumes ---- */

void test_synth_volume(struct test_image *img, struct test_layout *l, uint32_t sectors_per_cluster,
		       uint32_t clusters)
{
	uint32_t fat_sectors = ((clusters + 2) * 4 + BLOCK_SIZE - 1) / BLOCK_SIZE;
	uint32_t total = 1 + fat_sectors + clusters * sectors_per_cluster;
	uint8_t *bs;

	test_image_blank(img, total);
	bs = img->data;
	memcpy(bs, "\xEB\x58\x90TESTSYN ", 11);
	put_le16(bs + 11, BLOCK_SIZE);
	bs[13] = (uint8_t)sectors_per_cluster;
	put_le16(bs + 14, 1); /* BPB_RsvdSecCnt */
	bs[16] = 1;	      /* BPB_NumFATs */
	bs[21] = 0xF8;	      /* BPB_Media */
	put_le32(bs + 32, total);
	put_le32(bs + 36, fat_sectors);
	put_le32(bs + 44, 2); /* BPB_RootClus */
	memcpy(bs + 82, "FAT32   ", 8);
	bs[510] = 0x55;
	bs[511] = 0xAA;
	test_layout_read(l, img, 0);
	test_set_fat(l, img, 0, 0x0FFFFFF8);
	test_set_fat(l, img, 1, 0x0FFFFFFF);
	test_set_fat(l, img, 2, 0x0FFFFFFF);
}

void test_put_short_entry(uint8_t *p, const char *name11, uint8_t attr, uint32_t cluster,
			  uint32_t size)
{
	memset(p, 0, 32);
	memcpy(p, name11, 11);
	p[11] = attr;
	put_le16(p + 20, (uint16_t)(cluster >> 16));
	put_le16(p + 26, (uint16_t)cluster);
	put_le32(p + 28, size);
}

uint8_t test_short_name_checksum(const char *name11)
{
	uint8_t sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + (uint8_t)name11[i]);
	return sum;
}

/* Byte offsets of the 13 characters of an LFN entry. */
static const int lfn_offsets[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

int test_put_lfn_entries(uint8_t *p, const char *name, const char *name11)
{
	int len = (int)strlen(name);
	int n = (len + 12) / 13;
	int k, i;

	for (k = n; k >= 1; k--, p += 32) {
		memset(p, 0, 32);
		p[0] = (uint8_t)(k | (k == n ? 0x40 : 0));
		p[11] = 0x0F;
		p[13] = test_short_name_checksum(name11);
		for (i = 0; i < 13; i++) {
			int pos = (k - 1) * 13 + i;
			uint16_t c = pos < len ? (uint8_t)name[pos] : pos == len ? 0x0000 : 0xFFFF;

			put_le16(p + lfn_offsets[i], c);
		}
	}
	return n;
}
