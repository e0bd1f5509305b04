/*
 * Finding the FAT32 volume on the device and checking its boot sector.
 *
 * Block 0 is either the volume's own boot sector (an unpartitioned
 * "superfloppy") or a Master Boot Record. Both end with the 0x55 0xAA
 * signature, so the content decides: a boot sector starts with a jump
 * instruction followed by BPB fields that have only a few legal values,
 * where an MBR has boot code (or zeros). A boot sector whose BPB is broken is
 * still reported as such, rather than as "no partition", when block 0 holds
 * no usable partition table.
 *
 * The BPB is then checked field by field, and the layout it describes
 * (reserved sectors, FATs, data clusters) against itself and the space the
 * device or partition really has, so that later code can trust that every
 * valid cluster number and every FAT sector lies inside the volume.
 */
#include "fs/fat32_internal.h"
#include "fs/mbr.h"
#include "lib/printf.h"
#include "lib/string.h"

#define BOOT_SECTOR_SIGNATURE 0xAA55

static bool is_power_of_two(uint32_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static bool has_boot_signature(const uint8_t *sector)
{
	return get_le16(sector + BS_SIGNATURE) == BOOT_SECTOR_SIGNATURE;
}

/* BS_jmpBoot: a short jump (0xEB xx 0x90) or a near jump (0xE9 xx xx). */
static bool has_jump_instruction(const uint8_t *sector)
{
	return sector[BS_JMPBOOT] == 0xE9 ||
	       (sector[BS_JMPBOOT] == 0xEB && sector[BS_JMPBOOT + 2] == 0x90);
}

/* Enough of a BPB to tell a boot sector from an MBR's boot code. */
static bool looks_like_boot_sector(const uint8_t *sector)
{
	uint32_t bytes_per_sector = get_le16(sector + BPB_BYTSPERSEC);

	return has_jump_instruction(sector) && bytes_per_sector >= 512 &&
	       bytes_per_sector <= 4096 && is_power_of_two(bytes_per_sector) &&
	       is_power_of_two(sector[BPB_SECPERCLUS]) && sector[BPB_NUMFATS] != 0 &&
	       get_le16(sector + BPB_RSVDSECCNT) != 0;
}

/* ---- MBR ---- */

static bool is_fat32_type(uint8_t type)
{
	return type == 0x0B || type == 0x0C; /* FAT32 with CHS / LBA addressing */
}

/* FAT16 types: some tools label FAT32 partitions with them too. */
static bool is_fat16_type(uint8_t type)
{
	return type == 0x06 || type == 0x0E;
}

/* The first entry whose type matches; false if none does. */
static bool find_partition(const uint8_t *mbr, bool (*match)(uint8_t), struct mbr_partition *p)
{
	int i;

	for (i = 1; i <= MBR_ENTRIES; i++) {
		mbr_entry(mbr, i, p);
		if (match(p->type))
			return true;
	}
	return false;
}

static bool is_gpt_type(uint8_t type)
{
	return type == MBR_TYPE_GPT;
}

/*
 * A partition starting at block 0 is allowed: mkfs.fat --mbr writes such a
 * table into the volume's own boot sector.
 */
static int check_partition_bounds(struct fat32_volume *vol, const struct mbr_partition *p)
{
	uint64_t blocks = vol->dev->block_count;

	if (p->size == 0)
		return fat32_fail(vol, FAT32_ERR_CORRUPT, "partition %d is empty (0 blocks)",
				  p->number);
	if ((uint64_t)p->start + p->size > blocks)
		return fat32_fail(
		    vol, FAT32_ERR_CORRUPT,
		    "partition %d (blocks %u..%llu) extends past the end of the device "
		    "(%llu blocks)",
		    p->number, p->start, (unsigned long long)p->start + p->size - 1,
		    (unsigned long long)blocks);
	return 0;
}

static unsigned int entry_type(const uint8_t *mbr, int number)
{
	struct mbr_partition p;

	mbr_entry(mbr, number, &p);
	return p.type;
}

/*
 * The partition to mount: the first FAT32-typed one, else the first
 * FAT16-typed one (mount_volume then insists on a FAT32 boot sector).
 */
static int choose_partition(struct fat32_volume *vol, const uint8_t *mbr, struct mbr_partition *p)
{
	if (!mbr_is_partition_table(mbr))
		return fat32_fail(
		    vol, FAT32_ERR_NOT_FAT32,
		    "block 0 is neither a FAT boot sector nor an MBR partition table");
	if (find_partition(mbr, is_fat32_type, p) || find_partition(mbr, is_fat16_type, p))
		return check_partition_bounds(vol, p);
	if (find_partition(mbr, is_gpt_type, p))
		return fat32_fail(vol, FAT32_ERR_NOT_FAT32,
				  "the card has a GPT partition table; only MBR partition tables "
				  "are supported");
	return fat32_fail(vol, FAT32_ERR_NOT_FAT32,
			  "no FAT partition in the MBR (partition types 0x%02x 0x%02x 0x%02x "
			  "0x%02x; FAT32 is 0x0b or 0x0c)",
			  entry_type(mbr, 1), entry_type(mbr, 2), entry_type(mbr, 3),
			  entry_type(mbr, 4));
}

/* ---- Boot sector ---- */

static int check_boot_sector_format(struct fat32_volume *vol, const uint8_t *bs)
{
	if (!has_boot_signature(bs))
		return fat32_fail(vol, FAT32_ERR_NOT_FAT32,
				  "no boot sector signature (0x55 0xAA at offset 510): not "
				  "formatted?");
	if (memcmp(bs + BS_OEMNAME, "EXFAT   ", 8) == 0)
		return fat32_fail(vol, FAT32_ERR_NOT_FAT32,
				  "exFAT volume: only FAT32 is supported (reformat the card as "
				  "FAT32)");
	if (!has_jump_instruction(bs))
		return fat32_fail(vol, FAT32_ERR_NOT_FAT32,
				  "no FAT boot sector (BS_jmpBoot is 0x%02x 0x%02x 0x%02x)",
				  bs[BS_JMPBOOT], bs[BS_JMPBOOT + 1], bs[BS_JMPBOOT + 2]);
	return 0;
}

static int check_sector_and_cluster_size(struct fat32_volume *vol, const uint8_t *bs)
{
	uint32_t bytes_per_sector = get_le16(bs + BPB_BYTSPERSEC);
	uint32_t sectors_per_cluster = bs[BPB_SECPERCLUS];

	if (bytes_per_sector != BLOCK_SIZE) {
		if (is_power_of_two(bytes_per_sector) && bytes_per_sector >= 1024 &&
		    bytes_per_sector <= 4096)
			return fat32_fail(vol, FAT32_ERR_BAD_BPB,
					  "bad BPB: bytes per sector is %u, only 512 is supported",
					  bytes_per_sector);
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: bytes per sector is %u, must be 512, 1024, 2048 or "
				  "4096",
				  bytes_per_sector);
	}
	if (!is_power_of_two(sectors_per_cluster) || sectors_per_cluster > 128)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: sectors per cluster is %u, must be a power of two from "
				  "1 to 128",
				  sectors_per_cluster);
	return 0;
}

/*
 * FAT32 is told from FAT12/16 by the BPB's layout, as Linux does: no
 * BPB_FATSz16 and no fixed root directory (BPB_RootEntCnt), a BPB_FATSz32.
 */
static int check_fat32_fields(struct fat32_volume *vol, const uint8_t *bs)
{
	uint32_t fat_size16 = get_le16(bs + BPB_FATSZ16);
	uint32_t root_entries = get_le16(bs + BPB_ROOTENTCNT);
	uint32_t version = get_le16(bs + BPB_FSVER);
	uint32_t media = bs[BPB_MEDIA];

	if (fat_size16 != 0)
		return fat32_fail(vol, FAT32_ERR_NOT_FAT32,
				  "FAT12 or FAT16 volume (BPB_FATSz16 is %u): only FAT32 is "
				  "supported",
				  fat_size16);
	if (root_entries != 0)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: root entry count is %u, must be 0 on FAT32",
				  root_entries);
	if (get_le16(bs + BPB_RSVDSECCNT) == 0)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB, "bad BPB: reserved sector count is 0");
	if (bs[BPB_NUMFATS] == 0)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB, "bad BPB: number of FATs is 0");
	if (get_le32(bs + BPB_FATSZ32) == 0)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB, "bad BPB: FAT size (BPB_FATSz32) is 0");
	/* The specification asks drivers to refuse versions they do not know. */
	if (version != 0)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: FAT32 version %u.%u, only 0.0 is supported",
				  version >> 8, version & 0xFF);
	if (media != 0xF0 && media < 0xF8)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: media descriptor is 0x%02x, must be 0xf0 or 0xf8..0xff",
				  media);
	return 0;
}

/* The FAT in use: FAT 0 while the FATs mirror each other. */
static int choose_active_fat(struct fat32_volume *vol, const uint8_t *bs, uint32_t *active)
{
	uint32_t flags = get_le16(bs + BPB_EXTFLAGS);
	uint32_t fats = bs[BPB_NUMFATS];

	*active = 0;
	if (!(flags & EXTFLAGS_NO_MIRRORING))
		return 0;
	*active = flags & EXTFLAGS_ACTIVE_FAT;
	if (*active >= fats)
		return fat32_fail(
		    vol, FAT32_ERR_BAD_BPB,
		    "bad BPB: BPB_ExtFlags makes FAT %u the active one, but there are "
		    "only %u",
		    *active, fats);
	return 0;
}

/* BPB_TotSec16 if not 0 (small volumes), else BPB_TotSec32. */
static uint32_t bpb_total_sectors(const uint8_t *bs)
{
	uint32_t total16 = get_le16(bs + BPB_TOTSEC16);

	return total16 != 0 ? total16 : get_le32(bs + BPB_TOTSEC32);
}

/*
 * Reserved sectors, then BPB_NumFATs FATs of BPB_FATSz32 sectors, then the
 * data clusters numbered from 2. Checks that the pieces fit in the volume,
 * that the volume fits in the space it was found in, and that the FAT has an
 * entry for every cluster.
 */
static int compute_layout(struct fat32_volume *vol, const uint8_t *bs, uint64_t space)
{
	uint32_t reserved = get_le16(bs + BPB_RSVDSECCNT);
	uint32_t fats = bs[BPB_NUMFATS];
	uint32_t fat_size = get_le32(bs + BPB_FATSZ32);
	uint32_t per_cluster = bs[BPB_SECPERCLUS];
	uint32_t total = bpb_total_sectors(bs);
	uint32_t root = get_le32(bs + BPB_ROOTCLUS);
	uint64_t data_start = reserved + (uint64_t)fats * fat_size;
	uint64_t clusters;
	uint32_t active;
	int rc;

	if (total == 0)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: total sector count (BPB_TotSec32) is 0");
	if (total > space)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: the volume has %u sectors but the %s has only %llu",
				  total, vol->partition ? "partition" : "device",
				  (unsigned long long)space);
	if (data_start >= total)
		return fat32_fail(
		    vol, FAT32_ERR_BAD_BPB,
		    "bad BPB: %u reserved sectors and %u FAT(s) of %u sectors leave no "
		    "room for data in %u sectors",
		    reserved, fats, fat_size, total);
	clusters = (total - data_start) / per_cluster;
	if (clusters == 0)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: no room for a whole cluster after the FATs");
	if (clusters > FAT_MAX_CLUSTER - 1)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: %llu clusters, more than FAT32 can number",
				  (unsigned long long)clusters);
	if ((uint64_t)fat_size * FAT_ENTRIES_PER_SECTOR < clusters + 2)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: a FAT of %u sectors has too few entries for %llu "
				  "clusters",
				  fat_size, (unsigned long long)clusters);
	if (root < 2 || root > clusters + 1)
		return fat32_fail(vol, FAT32_ERR_BAD_BPB,
				  "bad BPB: root directory cluster (BPB_RootClus) is %u, outside "
				  "2..%llu",
				  root, (unsigned long long)clusters + 1);
	rc = choose_active_fat(vol, bs, &active);
	if (rc < 0)
		return rc;

	vol->total_sectors = total;
	vol->sectors_per_cluster = per_cluster;
	vol->bytes_per_cluster = per_cluster * BLOCK_SIZE;
	vol->fat_sectors = fat_size;
	vol->fat_start = reserved + active * fat_size;
	vol->data_start = (uint32_t)data_start;
	vol->cluster_count = (uint32_t)clusters;
	vol->root_cluster = root;
	return 0;
}

static int check_and_lay_out(struct fat32_volume *vol, const uint8_t *bs, uint64_t space)
{
	int rc = check_boot_sector_format(vol, bs);

	if (rc == 0)
		rc = check_sector_and_cluster_size(vol, bs);
	if (rc == 0)
		rc = check_fat32_fields(vol, bs);
	if (rc == 0)
		rc = compute_layout(vol, bs, space);
	return rc;
}

/* Mounts the volume whose boot sector `bs` is at device block start_lba. */
static int mount_volume(struct fat32_volume *vol, uint64_t start_lba, uint64_t space,
			const uint8_t *bs, int partition)
{
	char where[16];
	int rc;

	vol->start_lba = start_lba;
	vol->partition = partition;
	rc = check_and_lay_out(vol, bs, space);
	if (rc < 0) {
		if (partition) {
			fmt_snprintf(where, sizeof(where), "partition %d", partition);
			fat32_prefix_detail(vol, where);
		}
		return rc;
	}
	vol->mounted = true;
	vol->detail[0] = '\0';
	return 0;
}

int fat32_mount(struct fat32_volume *vol, const struct blockdev *dev)
{
	uint8_t *sector;
	struct mbr_partition part;
	int rc;

	if (!vol)
		return FAT32_ERR_INVAL;
	memset(vol, 0, sizeof(*vol));
	if (!dev || !dev->read)
		return fat32_fail(vol, FAT32_ERR_INVAL, "no block device");
	vol->dev = dev;
	if (dev->block_count == 0)
		return fat32_fail(vol, FAT32_ERR_NOT_FAT32, "the device is empty (0 blocks)");

	/* Scratch space until the volume is known; the cache stays marked invalid. */
	sector = vol->data_cache.data;
	rc = fat32_read_blocks(vol, 0, 1, sector);
	if (rc < 0)
		return rc;
	if (!has_boot_signature(sector))
		return fat32_fail(vol, FAT32_ERR_NOT_FAT32,
				  "block 0 has no boot signature (0x55 0xAA at offset 510): no MBR "
				  "and no FAT boot sector");
	if (looks_like_boot_sector(sector))
		return mount_volume(vol, 0, vol->dev->block_count, sector, 0);

	rc = choose_partition(vol, sector, &part);
	if (rc == FAT32_ERR_NOT_FAT32 && has_jump_instruction(sector))
		return mount_volume(vol, 0, vol->dev->block_count, sector, 0);
	if (rc < 0)
		return rc;
	rc = fat32_read_blocks(vol, part.start, 1, sector);
	if (rc < 0)
		return rc;
	return mount_volume(vol, part.start, part.size, sector, part.number);
}
