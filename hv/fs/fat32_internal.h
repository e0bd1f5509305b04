#pragma once
/*
 * Internals of the FAT32 reader shared by its files; nothing outside hv/fs/
 * includes this header.
 *
 *   fat32_io.c     bounds-checked device reads, sector caches, error messages
 *   fat32_mount.c  MBR and boot sector (BPB): finding and checking the volume
 *   fat32_chain.c  the FAT: following cluster chains, catching loops
 *   fat32_dir.c    directory entries: 8.3 and long names
 *   fat32.c        paths, listing, stat, reading files
 *
 * Offsets are named after the fields of Microsoft's FAT specification.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fs/fat32.h"

/* Boot sector and BIOS Parameter Block (BPB), byte offsets in sector 0. */
#define BS_JMPBOOT	      0	   /* 3 bytes: 0xEB xx 0x90 or 0xE9 xx xx */
#define BS_OEMNAME	      3	   /* 8 bytes; "EXFAT   " on exFAT */
#define BPB_BYTSPERSEC	      11   /* u16 */
#define BPB_SECPERCLUS	      13   /* u8 */
#define BPB_RSVDSECCNT	      14   /* u16 */
#define BPB_NUMFATS	      16   /* u8 */
#define BPB_ROOTENTCNT	      17   /* u16, 0 on FAT32 */
#define BPB_TOTSEC16	      19   /* u16 */
#define BPB_MEDIA	      21   /* u8 */
#define BPB_FATSZ16	      22   /* u16, 0 on FAT32 */
#define BPB_TOTSEC32	      32   /* u32 */
#define BPB_FATSZ32	      36   /* u32 */
#define BPB_EXTFLAGS	      40   /* u16 */
#define BPB_FSVER	      42   /* u16 */
#define BPB_ROOTCLUS	      44   /* u32 */
#define BS_SIGNATURE	      510  /* 0x55 0xAA, also ends an MBR */
#define EXTFLAGS_NO_MIRRORING 0x80 /* BPB_ExtFlags bit 7: only one FAT is active */
#define EXTFLAGS_ACTIVE_FAT   0x0F /* BPB_ExtFlags bits 0-3: which one */

/* FAT32 entries: 28 bits used, the top 4 reserved. */
#define FAT_ENTRY_MASK	       0x0FFFFFFFu
#define FAT_FREE	       0x00000000u
#define FAT_BAD_CLUSTER	       0x0FFFFFF7u
#define FAT_EOC_MIN	       0x0FFFFFF8u /* 0x0FFFFFF8..0x0FFFFFFF end a chain */
#define FAT_MAX_CLUSTER	       0x0FFFFFEFu /* above: reserved values 0x0FFFFFF0..6, bad, end of chain */
#define FAT_ENTRIES_PER_SECTOR (BLOCK_SIZE / 4)

/* Directory entries (32 bytes), byte offsets. */
#define DIR_ENTRY_SIZE	       32
#define DIR_NAME	       0 /* 11 bytes: 8 name + 3 extension, space padded */
#define DIR_ATTR	       11
#define DIR_NTRES	       12   /* bits 3/4: name/extension are lower case */
#define DIR_FSTCLUSHI	       20   /* u16 */
#define DIR_FSTCLUSLO	       26   /* u16 */
#define DIR_FILESIZE	       28   /* u32 */
#define DIR_NAME_FREE	       0xE5 /* DIR_Name[0] of a deleted entry */
#define DIR_NAME_END	       0x00 /* DIR_Name[0]: this and all following entries are free */
#define DIR_NAME_KANJI_E5      0x05 /* DIR_Name[0] standing for a real 0xE5 byte */
#define NTRES_LOWER_NAME       0x08
#define NTRES_LOWER_EXT	       0x10
#define DIR_ENTRIES_PER_SECTOR (BLOCK_SIZE / DIR_ENTRY_SIZE)
#define DIR_MAX_ENTRIES	       65536 /* the specification's limit: a directory is at most 2 MiB */

#define ATTR_READ_ONLY	    0x01
#define ATTR_HIDDEN	    0x02
#define ATTR_SYSTEM	    0x04
#define ATTR_VOLUME_ID	    0x08
#define ATTR_DIRECTORY	    0x10
#define ATTR_ARCHIVE	    0x20
#define ATTR_LONG_NAME	    (ATTR_READ_ONLY | ATTR_HIDDEN | ATTR_SYSTEM | ATTR_VOLUME_ID)
#define ATTR_LONG_NAME_MASK 0x3F

/* Long file name entries, byte offsets. */
#define LDIR_ORD	    0  /* sequence number 1..20, LAST_LONG_ENTRY on the first */
#define LDIR_NAME1	    1  /* 5 UCS-2 characters */
#define LDIR_TYPE	    12 /* 0 for a name entry */
#define LDIR_CHKSUM	    13 /* checksum of the 8.3 name the sequence belongs to */
#define LDIR_NAME2	    14 /* 6 UCS-2 characters */
#define LDIR_FSTCLUSLO	    26 /* must be 0 */
#define LDIR_NAME3	    28 /* 2 UCS-2 characters */
#define LAST_LONG_ENTRY	    0x40
#define LDIR_ORD_MASK	    0x3F
#define LFN_CHARS_PER_ENTRY 13
#define LFN_MAX_ENTRIES	    20 /* 20 * 13 = 260 >= 255 characters */

#define SHORT_NAME_MAX 12 /* "NAME1234.EXT" */

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* fat32_io.c */

/* Records the message of an error for fat32_last_error_detail; returns err. */
int fat32_fail(struct fat32_volume *vol, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Puts "prefix: " in front of the last error's message. */
void fat32_prefix_detail(struct fat32_volume *vol, const char *prefix);
/* Reads device blocks, refusing any that are not on the device. */
int fat32_read_blocks(struct fat32_volume *vol, uint64_t lba, uint32_t count, void *buf);
/* Reads volume sectors, refusing any outside the volume (and the device). */
int fat32_read_sectors(struct fat32_volume *vol, uint64_t sector, uint32_t count, void *buf);
/* Makes cache hold `sector` (volume-relative), reading it only if needed. */
int fat32_load_sector(struct fat32_volume *vol, struct fat32_sector_cache *cache, uint32_t sector);

/* fat32_chain.c */

bool fat32_cluster_valid(const struct fat32_volume *vol, uint32_t cluster);
uint64_t fat32_cluster_sector(const struct fat32_volume *vol, uint32_t cluster);
/* Starts a walk at `first`, which the caller has checked with fat32_cluster_valid. */
void fat32_chain_start(struct fat32_chain *chain, uint32_t first);
/* Moves to the next cluster: 1 moved, 0 the chain ended here, or an error. */
int fat32_chain_next(struct fat32_volume *vol, struct fat32_chain *chain);

/* fat32_dir.c */

/* A long name being put together from its LFN entries. */
struct fat32_lfn {
	uint16_t chars[LFN_MAX_ENTRIES * LFN_CHARS_PER_ENTRY];
	uint8_t entries;  /* entries in the sequence (0: none in progress) */
	uint8_t next_ord; /* LDIR_Ord expected next; 0 when the sequence is complete */
	uint8_t checksum; /* LDIR_Chksum shared by the sequence */
};

struct fat32_dir_iter {
	struct fat32_chain chain;
	uint32_t sector_in_cluster;
	uint32_t entry_in_sector;
	uint32_t entries_read;
	bool at_end;
	struct fat32_lfn lfn;
};

struct fat32_dir_item {
	struct fat32_entry entry;
	char short_name[SHORT_NAME_MAX + 1]; /* the 8.3 name, also when a long one exists */
	bool is_dot;			     /* the "." or ".." entry */
};

/* Starts reading the directory whose first cluster is `cluster`. */
int fat32_dir_open(struct fat32_volume *vol, struct fat32_dir_iter *it, uint32_t cluster);
/* The next file or directory: 1 filled *item, 0 no more entries, or an error. */
int fat32_dir_next(struct fat32_volume *vol, struct fat32_dir_iter *it,
		   struct fat32_dir_item *item);
