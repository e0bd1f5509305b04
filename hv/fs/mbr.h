#pragma once
/*
 * The Master Boot Record's partition table: four 16-byte entries at byte
 * 446 of block 0, then the 0x55 0xAA signature. Each entry: boot flag
 * (0x00 or 0x80), CHS start, type, CHS end, start LBA (u32), size in
 * blocks (u32), little-endian. The CHS fields are ignored: every tool since
 * the 1990s writes LBA. Pure (no device access), unit-tested on the host.
 */
#include <stdbool.h>
#include <stdint.h>

#define MBR_ENTRIES    4
#define MBR_TYPE_EMPTY 0x00
#define MBR_TYPE_GPT   0xEE /* protective MBR of a GPT disk */
#define MBR_TYPE_LINUX 0x83

struct mbr_partition {
	int number; /* 1..4 */
	uint8_t type;
	uint32_t start; /* first block */
	uint32_t size;	/* blocks */
};

/* Whether block 0 ends with 0x55 0xAA and every entry's boot flag is 0x00 or 0x80. */
bool mbr_is_partition_table(const uint8_t block0[512]);
/* Entry `number` (1..4) as it is written, whatever its type. */
void mbr_entry(const uint8_t block0[512], int number, struct mbr_partition *p);

enum mbr_lookup {
	MBR_FOUND,
	MBR_NO_TABLE,	/* block 0 holds no MBR partition table */
	MBR_GPT,	/* a protective MBR: the card has a GPT */
	MBR_NO_SUCH,	/* number not 1..4, or the entry is empty (type 0 or 0 blocks) */
	MBR_PAST_END,	/* the entry reaches past the device's `blocks` */
	MBR_OVERLAPS_0, /* it starts at block 0, over the table itself */
};
/*
 * Partition `number` of a device of `blocks` blocks, checked to lie inside
 * the device and not over block 0, as a disk given to a VM must.
 */
enum mbr_lookup mbr_find(const uint8_t block0[512], uint64_t blocks, int number,
			 struct mbr_partition *p);
/* The lookup's result in words ("no such partition"...). */
const char *mbr_lookup_words(enum mbr_lookup r);
