#include "fs/mbr.h"

#define MBR_TABLE	0x1BE /* byte 446 */
#define MBR_ENTRY_SIZE	16
#define ENTRY_BOOT_FLAG 0
#define ENTRY_TYPE	4
#define ENTRY_START_LBA 8
#define ENTRY_SIZE	12
#define MBR_SIGNATURE	0x1FE /* 0x55, 0xAA */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool mbr_is_partition_table(const uint8_t block0[512])
{
	if (block0[MBR_SIGNATURE] != 0x55 || block0[MBR_SIGNATURE + 1] != 0xAA)
		return false;
	for (int i = 0; i < MBR_ENTRIES; i++) {
		uint8_t flag = block0[MBR_TABLE + i * MBR_ENTRY_SIZE + ENTRY_BOOT_FLAG];

		if (flag != 0x00 && flag != 0x80)
			return false;
	}
	return true;
}

void mbr_entry(const uint8_t block0[512], int number, struct mbr_partition *p)
{
	const uint8_t *entry = block0 + MBR_TABLE + (number - 1) * MBR_ENTRY_SIZE;

	p->number = number;
	p->type = entry[ENTRY_TYPE];
	p->start = le32(entry + ENTRY_START_LBA);
	p->size = le32(entry + ENTRY_SIZE);
}

static bool has_gpt_entry(const uint8_t block0[512])
{
	struct mbr_partition p;

	for (int n = 1; n <= MBR_ENTRIES; n++) {
		mbr_entry(block0, n, &p);
		if (p.type == MBR_TYPE_GPT)
			return true;
	}
	return false;
}

enum mbr_lookup mbr_find(const uint8_t block0[512], uint64_t blocks, int number,
			 struct mbr_partition *p)
{
	if (!mbr_is_partition_table(block0))
		return MBR_NO_TABLE;
	if (has_gpt_entry(block0))
		return MBR_GPT;
	if (number < 1 || number > MBR_ENTRIES)
		return MBR_NO_SUCH;
	mbr_entry(block0, number, p);
	if (p->type == MBR_TYPE_EMPTY || p->size == 0)
		return MBR_NO_SUCH;
	if (p->start == 0)
		return MBR_OVERLAPS_0;
	if ((uint64_t)p->start + p->size > blocks)
		return MBR_PAST_END;
	return MBR_FOUND;
}

const char *mbr_lookup_words(enum mbr_lookup r)
{
	switch (r) {
	case MBR_FOUND:
		return "found";
	case MBR_NO_TABLE:
		return "the card has no MBR partition table";
	case MBR_GPT:
		return "the card has a GPT partition table; only MBR partition tables are "
		       "supported";
	case MBR_NO_SUCH:
		return "no such partition (the entry is empty)";
	case MBR_PAST_END:
		return "the partition reaches past the end of the card";
	case MBR_OVERLAPS_0:
		return "the partition starts at block 0, over the partition table";
	}
	return "?";
}
