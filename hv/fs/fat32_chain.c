/*
 * The File Allocation Table: entry N says which cluster follows cluster N in
 * its file or directory (or that N is free, bad, or the last one). Every
 * value read from it is classified before it is used, and every walk along a
 * chain is bounded, so a corrupt FAT gives an error, never a wild read or an
 * endless loop.
 */
#include "fs/fat32_internal.h"

bool fat32_cluster_valid(const struct fat32_volume *vol, uint32_t cluster)
{
	return cluster >= 2 && cluster - 2 < vol->cluster_count;
}

uint64_t fat32_cluster_sector(const struct fat32_volume *vol, uint32_t cluster)
{
	return vol->data_start + (uint64_t)(cluster - 2) * vol->sectors_per_cluster;
}

/*
 * The FAT entry of a valid cluster. Mounting checked that the FAT has an
 * entry for every valid cluster, so the sector is inside the FAT.
 */
static int read_fat_entry(struct fat32_volume *vol, uint32_t cluster, uint32_t *value)
{
	uint32_t sector = vol->fat_start + cluster / FAT_ENTRIES_PER_SECTOR;
	uint32_t offset = (cluster % FAT_ENTRIES_PER_SECTOR) * 4;
	int rc = fat32_load_sector(vol, &vol->fat_cache, sector);

	if (rc < 0)
		return rc;
	*value = get_le32(vol->fat_cache.data + offset) & FAT_ENTRY_MASK;
	return 0;
}

/* Turns a FAT value that is not a next cluster into an error. */
static int bad_link(struct fat32_volume *vol, const struct fat32_chain *chain, uint32_t value)
{
	const char *what;

	if (value == FAT_FREE)
		what = "is marked free";
	else if (value == FAT_BAD_CLUSTER)
		what = "is marked bad";
	else if (value == 1 || value > FAT_MAX_CLUSTER)
		what = "holds a reserved value";
	else
		what = "points past the last cluster";
	return fat32_fail(vol, FAT32_ERR_CORRUPT,
			  "cluster chain starting at cluster %u: the FAT entry of cluster %u %s "
			  "(0x%08x; clusters are 2..%u)",
			  chain->first, chain->cluster, what, value, vol->cluster_count + 1);
}

static int loop_found(struct fat32_volume *vol, const struct fat32_chain *chain)
{
	return fat32_fail(vol, FAT32_ERR_LOOP,
			  "cluster chain starting at cluster %u loops (seen at cluster %u, "
			  "%u steps along)",
			  chain->first, chain->cluster, chain->steps);
}

void fat32_chain_start(struct fat32_chain *chain, uint32_t first)
{
	chain->cluster = first;
	chain->first = first;
	chain->steps = 0;
	chain->saved = first;
	chain->steps_since_saved = 0;
	chain->save_interval = 1;
}

int fat32_chain_next(struct fat32_volume *vol, struct fat32_chain *chain)
{
	uint32_t value;
	int rc = read_fat_entry(vol, chain->cluster, &value);

	if (rc < 0)
		return rc;
	if (value >= FAT_EOC_MIN)
		return 0;
	if (!fat32_cluster_valid(vol, value))
		return bad_link(vol, chain, value);

	chain->cluster = value;
	chain->steps++;
	/* n distinct clusters are linked by n - 1 steps; one more revisits a cluster. */
	if (value == chain->saved || chain->steps >= vol->cluster_count)
		return loop_found(vol, chain);
	/* Brent: move the saved point forward at steps 1, 2, 4, 8, ... */
	if (++chain->steps_since_saved == chain->save_interval) {
		chain->saved = value;
		chain->steps_since_saved = 0;
		chain->save_interval *= 2;
	}
	return 1;
}
