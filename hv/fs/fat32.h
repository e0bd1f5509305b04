#pragma once
/*
 * Read-only FAT32 reader for the SD card.
 *
 * Field names in comments (BPB_SecPerClus, DIR_Attr, LDIR_Ord, ...) are
 * those of Microsoft's FAT specification ("FAT: General Overview of On-Disk
 * Format"), so the code reads side by side with it.
 *
 * What is supported:
 *   - a FAT32 volume at block 0 (a "superfloppy", also one made with
 *     mkfs.fat --mbr, whose boot sector doubles as the MBR), or in an MBR
 *     partition: the first of type 0x0B/0x0C (FAT32), else the first of type
 *     0x06/0x0E (FAT16 types some tools give FAT32 partitions too) if its
 *     boot sector describes FAT32; extended partitions are not followed;
 *   - 512-byte sectors, 1 to 128 sectors per cluster, any number of FATs
 *     (the active one when BPB_ExtFlags turns mirroring off);
 *   - FAT32 recognised by its BPB layout (BPB_FATSz16 = 0, BPB_FATSz32 > 0,
 *     BPB_RootEntCnt = 0), as Linux does: small volumes with fewer than the
 *     specification's 65525 clusters mount too;
 *   - long file names (LFN entries with LDIR_Chksum verified; an orphaned or
 *     broken sequence falls back to the 8.3 name), 8.3 names with the
 *     lower-case flags in DIR_NTRes; names match ASCII case-insensitively,
 *     by long name or by 8.3 alias. Characters outside printable ASCII, and
 *     '/', read as '?'.
 *   - paths "", "/", "dir/sub/file", with "." and ".." components and
 *     repeated slashes; ".." of the root is the root.
 *
 * What is rejected with an error naming the problem (see
 * fat32_last_error_detail): other sector sizes, FAT12/FAT16, exFAT, GPT
 * disks, BPB values that contradict each other or the device's size, and on
 * the way through the file system: cluster chains that loop, run past the
 * last cluster, reach a free, bad or reserved FAT entry, end before the file
 * size does; directories larger than the specification's 65536 entries;
 * file sizes larger than the volume. Every device read is checked against
 * the volume and the device size first. Nothing recurses and every loop is
 * bounded, so a hostile card cannot hang or crash the reader.
 */
#include <stdbool.h>
#include <stdint.h>

#include "fs/blockdev.h"

enum fat32_error {
	FAT32_OK = 0,
	FAT32_ERR_IO = -1,	     /* the device failed a read */
	FAT32_ERR_NOT_FAT32 = -2,    /* no FAT32 volume on the device */
	FAT32_ERR_BAD_BPB = -3,	     /* boot sector values invalid or unsupported */
	FAT32_ERR_CORRUPT = -4,	     /* FAT, directory or partition table inconsistent */
	FAT32_ERR_LOOP = -5,	     /* a cluster chain loops */
	FAT32_ERR_NOT_FOUND = -6,    /* no such file or directory */
	FAT32_ERR_NOT_DIR = -7,	     /* a path component is a file */
	FAT32_ERR_IS_DIR = -8,	     /* reading a directory as a file */
	FAT32_ERR_TOO_BIG = -9,	     /* the file does not fit the buffer */
	FAT32_ERR_NAME = -10,	     /* a path component longer than 255 characters */
	FAT32_ERR_NOT_MOUNTED = -11, /* the volume was never mounted, or mounting failed */
	FAT32_ERR_INVAL = -12,	     /* a NULL argument where one is required */
};

#define FAT32_NAME_MAX	 255 /* characters of a long file name */
#define FAT32_DETAIL_MAX 200 /* bytes of the last error's message, NUL included */

struct fat32_entry {
	char name[FAT32_NAME_MAX + 1]; /* long name if present, else 8.3 as "NAME.EXT" */
	uint64_t size;		       /* bytes (DIR_FileSize); 0 for directories */
	bool is_dir;
	uint32_t first_cluster; /* DIR_FstClusHI:DIR_FstClusLO; 0 for an empty file */
};

/* One sector kept in memory, tagged with its volume-relative sector number. */
struct fat32_sector_cache {
	bool valid;
	uint32_t sector;
	_Alignas(64) uint8_t data[BLOCK_SIZE];
};

/*
 * A walk along a cluster chain. `cluster` is the current cluster. Loops are
 * caught two ways: Brent's cycle detection (compare with a saved cluster,
 * saving a new one at power-of-two step counts) catches a loop within a few
 * times its length, and no chain can take more steps than the volume has
 * clusters.
 */
struct fat32_chain {
	uint32_t cluster;
	uint32_t first;
	uint32_t steps;
	uint32_t saved;
	uint32_t steps_since_saved;
	uint32_t save_interval;
};

/*
 * A mounted volume: everything the reader needs, buffers included, so that
 * it can be a static variable. Sector numbers are relative to the volume's
 * first block (start_lba). Read the fields, never write them.
 */
struct fat32_volume {
	const struct blockdev *dev;
	bool mounted;
	uint64_t start_lba;	      /* device block of the boot sector */
	uint32_t total_sectors;	      /* BPB_TotSec32 (or BPB_TotSec16) */
	uint32_t sectors_per_cluster; /* BPB_SecPerClus */
	uint32_t bytes_per_cluster;
	uint32_t fat_start;	/* first sector of the FAT in use */
	uint32_t fat_sectors;	/* BPB_FATSz32 */
	uint32_t data_start;	/* first sector of cluster 2 */
	uint32_t cluster_count; /* data clusters: valid numbers are 2 .. cluster_count + 1 */
	uint32_t root_cluster;	/* BPB_RootClus */
	int partition;		/* MBR partition number 1..4, or 0 for a superfloppy */
	struct fat32_sector_cache fat_cache;  /* last FAT sector read */
	struct fat32_sector_cache data_cache; /* last directory or file-tail sector read */
	char detail[FAT32_DETAIL_MAX];	      /* message of the last error */
};

/*
 * Finds and checks the FAT32 volume on dev (see the top of this file).
 * Returns 0, or an error with the reason in fat32_last_error_detail(vol).
 * dev must stay valid while the volume is used.
 */
int fat32_mount(struct fat32_volume *vol, const struct blockdev *dev);

/* Called for each entry of a listed directory ("." and ".." are not listed). */
typedef int (*fat32_dir_fn)(void *ctx, const struct fat32_entry *e); /* nonzero stops */

/*
 * Calls fn for each file and subdirectory of the directory at path ("" or
 * "/" is the root), in directory order, skipping deleted entries and the
 * volume label. Returns 0 (also when fn stopped the listing) or an error.
 * fn may use the volume (stat or read files) while the listing runs.
 */
int fat32_list(struct fat32_volume *vol, const char *path, fat32_dir_fn fn, void *ctx);

/* Fills *out for the file or directory at path; the root is named "/". */
int fat32_stat(struct fat32_volume *vol, const char *path, struct fat32_entry *out);

/*
 * Reads the whole file at path into buf. FAT32_ERR_TOO_BIG (nothing read) if
 * it is larger than buf_size. *out_size (may be NULL) is the number of bytes
 * read: the file's size on success, 0 on error. Each run of contiguous
 * clusters is one multi-block device read.
 */
int fat32_read_file(struct fat32_volume *vol, const char *path, void *buf, uint64_t buf_size,
		    uint64_t *out_size);

/*
 * A file being read piece by piece (fat32_open, fat32_read_next): where the
 * next byte is, and the cluster that holds it, so that each read continues
 * along the cluster chain instead of walking it again from the start.
 * Read the fields, never write them.
 */
struct fat32_file {
	struct fat32_entry entry;
	uint64_t offset;	  /* bytes read so far */
	uint64_t cluster_start;	  /* file offset of the first byte of chain.cluster */
	struct fat32_chain chain; /* byte `offset` is in chain.cluster, or just past its end */
};

/*
 * Opens the file at path for fat32_read_next: 0, or an error (a directory,
 * a size or first cluster the volume cannot hold). Nothing is read yet.
 */
int fat32_open(struct fat32_volume *vol, const char *path, struct fat32_file *file);

/*
 * Reads the next bytes of an open file into buf: at most max (rounded down
 * to whole 512-byte sectors; at least one sector), fewer only at the end of
 * the file. *got is the number of bytes read (0 at the end, and on error).
 * The file's chain is followed from where the last read stopped, so reading
 * a file in n pieces costs what reading it at once does, plus n device
 * commands. The volume may be used for other things between two reads.
 */
int fat32_read_next(struct fat32_volume *vol, struct fat32_file *file, void *buf, uint64_t max,
		    uint64_t *got);

/* A short description of an error code, e.g. "cluster chain loops". */
const char *fat32_strerror(int err);

/*
 * The message of the volume's last error, naming the value and the rule,
 * e.g. "bad BPB: bytes per sector is 4096, only 512 is supported"; "" after
 * a call that succeeded.
 */
const char *fat32_last_error_detail(const struct fat32_volume *vol);
