/*
 * Device access for the FAT32 reader. Every read goes through
 * fat32_read_blocks, which refuses blocks the device does not have: values
 * from the card (partition starts, BPB sizes, cluster numbers) are checked
 * where they are read, and once more here, so that no mistake in those checks
 * can turn into a read past the end of the card.
 */
#include "fs/fat32_internal.h"
#include "lib/printf.h"
#include "lib/string.h"

#include <stdarg.h>

int fat32_fail(struct fat32_volume *vol, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(vol->detail, sizeof(vol->detail), fmt, ap);
	va_end(ap);
	return err;
}

void fat32_prefix_detail(struct fat32_volume *vol, const char *prefix)
{
	char old[FAT32_DETAIL_MAX];

	memcpy(old, vol->detail, sizeof(old));
	fmt_snprintf(vol->detail, sizeof(vol->detail), "%s: %s", prefix, old);
}

int fat32_read_blocks(struct fat32_volume *vol, uint64_t lba, uint32_t count, void *buf)
{
	const struct blockdev *dev = vol->dev;
	int rc;

	if (count == 0)
		return 0;
	if (lba >= dev->block_count || count > dev->block_count - lba)
		return fat32_fail(vol, FAT32_ERR_IO,
				  "read of %u block(s) at block %llu is past the end of the device "
				  "(%llu blocks)",
				  count, (unsigned long long)lba,
				  (unsigned long long)dev->block_count);
	rc = dev->read(dev->ctx, lba, count, buf);
	if (rc != 0)
		return fat32_fail(vol, FAT32_ERR_IO,
				  "device read of %u block(s) at block %llu failed (error %d)",
				  count, (unsigned long long)lba, rc);
	return 0;
}

int fat32_read_sectors(struct fat32_volume *vol, uint64_t sector, uint32_t count, void *buf)
{
	if (count == 0)
		return 0;
	if (sector >= vol->total_sectors || count > vol->total_sectors - sector)
		return fat32_fail(vol, FAT32_ERR_CORRUPT,
				  "sectors %llu..%llu are outside the volume (%u sectors)",
				  (unsigned long long)sector,
				  (unsigned long long)(sector + count - 1), vol->total_sectors);
	return fat32_read_blocks(vol, vol->start_lba + sector, count, buf);
}

int fat32_load_sector(struct fat32_volume *vol, struct fat32_sector_cache *cache, uint32_t sector)
{
	int rc;

	if (cache->valid && cache->sector == sector)
		return 0;
	/* A failed read may leave part of the buffer overwritten. */
	cache->valid = false;
	rc = fat32_read_sectors(vol, sector, 1, cache->data);
	if (rc < 0)
		return rc;
	cache->sector = sector;
	cache->valid = true;
	return 0;
}
