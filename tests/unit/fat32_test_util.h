#pragma once
/*
 * Helpers for the FAT32 reader's tests: disk images as block devices (a file
 * read with pread, or a copy in memory that a test may patch), the
 * manifests scripts/mkfatimages.py writes next to its images, and a builder
 * for small hand-made FAT32 volumes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/blockdev.h"

/* A disk image behind a struct blockdev, counting what is read. */
struct test_image {
	struct blockdev dev;
	uint8_t *data; /* the image in memory, or NULL when read from fd */
	size_t size;   /* bytes in data (blocks past them read as zeros) */
	int fd;	       /* -1 for a memory image */
	unsigned int reads;
	unsigned int multi_block_reads;
	uint32_t largest_read;	/* blocks */
	unsigned int fail_read; /* if nonzero, read number fail_read fails */
	bool read_outside;	/* a read past block_count was attempted */
};

/* Remembers where the images are: the directory fat32/ next to unit/ of argv0. */
void test_images_init(const char *argv0);
/* The path of image file `name` (e.g. "super.img") in a static buffer. */
const char *test_image_path(const char *name);

/* Opens an image to read with pread (large, sparse images). */
void test_image_open(struct test_image *img, const char *name);
/* Loads an image into memory; block_count covers at least `min_blocks`. */
void test_image_load(struct test_image *img, const char *name, uint64_t min_blocks);
/* A zero-filled memory image of `blocks` blocks. */
void test_image_blank(struct test_image *img, uint64_t blocks);
void test_image_close(struct test_image *img);
void test_image_reset_counts(struct test_image *img);

/* Little-endian patching of a memory image. */
void put_le16(uint8_t *p, uint16_t v);
void put_le32(uint8_t *p, uint32_t v);
uint16_t read_le16(const uint8_t *p);
uint32_t read_le32(const uint8_t *p);

/* One line of a manifest: 'd' or 'f', size and CRC-32 for files. */
struct manifest_line {
	char type;
	uint64_t size;
	uint32_t crc;
	char path[300];
};

struct manifest {
	struct manifest_line *lines;
	size_t count;
};

/* Loads IMAGE.manifest for image "IMAGE.img". */
void manifest_load(struct manifest *m, const char *image_name);
void manifest_free(struct manifest *m);
/* The line for path, or NULL. */
const struct manifest_line *manifest_find(const struct manifest *m, const char *path);
/* Number of lines whose parent directory is dir ("/" for the root). */
size_t manifest_children(const struct manifest *m, const char *dir);

/* zlib's CRC-32, as the manifests record it. */
uint32_t test_crc32(const void *data, size_t len);

/*
 * The layout of the FAT32 volume whose boot sector starts at byte `base` of
 * a memory image, computed from its BPB, to find what a test patches.
 */
struct test_layout {
	size_t base;
	uint32_t sectors_per_cluster;
	uint32_t fat_start; /* sectors from base */
	uint32_t fat_sectors;
	uint32_t fats;
	uint32_t data_start;
	uint32_t root_cluster;
};

void test_layout_read(struct test_layout *l, const struct test_image *img, size_t base);
/* Pointer to the first byte of cluster c. */
uint8_t *test_cluster(const struct test_layout *l, struct test_image *img, uint32_t c);
uint32_t test_get_fat(const struct test_layout *l, const struct test_image *img, uint32_t c);
/* Sets the FAT entry of cluster c in every FAT. */
void test_set_fat(const struct test_layout *l, struct test_image *img, uint32_t c, uint32_t v);
/*
 * The 32-byte entry with 8.3 name `name11` ("LOOP    BIN") in the directory
 * starting at cluster dir, following its chain; NULL if absent.
 */
uint8_t *test_find_entry(const struct test_layout *l, struct test_image *img, uint32_t dir,
			 const char *name11);
uint32_t test_entry_cluster(const uint8_t *entry);

/*
 * A hand-made superfloppy FAT32 volume: 1 reserved sector, one FAT, the
 * given cluster size and count, root directory at cluster 2 (one cluster,
 * empty). The FAT entry of every other cluster is free.
 */
void test_synth_volume(struct test_image *img, struct test_layout *l, uint32_t sectors_per_cluster,
		       uint32_t clusters);
/* Writes an 8.3 entry at p; name11 is the 11-byte DIR_Name. */
void test_put_short_entry(uint8_t *p, const char *name11, uint8_t attr, uint32_t cluster,
			  uint32_t size);
/*
 * Writes the LFN entries of `name` (ASCII) for the 8.3 name name11 at p, in
 * on-disk order; returns the number of entries (32 bytes each) written.
 */
int test_put_lfn_entries(uint8_t *p, const char *name, const char *name11);
uint8_t test_short_name_checksum(const char *name11);
