/*
 * Directories. A directory is a cluster chain of 32-byte entries: each file
 * has one 8.3 entry (DIR_Name, DIR_Attr, first cluster, size), preceded by
 * the long file name (LFN) entries of its long name, if it has one, last
 * part first. An entry starting with 0xE5 is deleted; one starting with 0x00
 * ends the directory.
 *
 * Entries are read one at a time through the volume's sector cache, so the
 * iterator holds no sector of its own and stays valid if its user reads
 * other files in between.
 */
#include "fs/fat32_internal.h"
#include "lib/string.h"

int fat32_dir_open(struct fat32_volume *vol, struct fat32_dir_iter *it, uint32_t cluster)
{
	if (!fat32_cluster_valid(vol, cluster))
		return fat32_fail(vol, FAT32_ERR_CORRUPT,
				  "directory starts at cluster %u, outside the volume's clusters "
				  "2..%u",
				  cluster, vol->cluster_count + 1);
	memset(it, 0, sizeof(*it));
	fat32_chain_start(&it->chain, cluster);
	return 0;
}

/* Copies the next 32-byte entry to raw: 1, 0 at the end of the chain, or an error. */
static int read_raw_entry(struct fat32_volume *vol, struct fat32_dir_iter *it, uint8_t *raw)
{
	uint64_t sector;
	int rc;

	if (it->entry_in_sector == DIR_ENTRIES_PER_SECTOR) {
		it->entry_in_sector = 0;
		it->sector_in_cluster++;
	}
	if (it->sector_in_cluster == vol->sectors_per_cluster) {
		rc = fat32_chain_next(vol, &it->chain);
		if (rc <= 0)
			return rc;
		it->sector_in_cluster = 0;
	}
	/* 2 MiB is a whole number of clusters, so this is reached only on a cluster boundary. */
	if (it->entries_read == DIR_MAX_ENTRIES)
		return fat32_fail(vol, FAT32_ERR_CORRUPT,
				  "directory starting at cluster %u goes on past 65536 entries (2 "
				  "MiB), the most a directory may have",
				  it->chain.first);
	sector = fat32_cluster_sector(vol, it->chain.cluster) + it->sector_in_cluster;
	rc = fat32_load_sector(vol, &vol->data_cache, (uint32_t)sector);
	if (rc < 0)
		return rc;
	memcpy(raw, vol->data_cache.data + it->entry_in_sector * DIR_ENTRY_SIZE, DIR_ENTRY_SIZE);
	it->entry_in_sector++;
	it->entries_read++;
	return 1;
}

/* ---- Names ---- */

/* How a name character is shown: printable ASCII as is, except '/', else '?'. */
static char shown_char(uint32_t c)
{
	return c >= 0x20 && c < 0x7F && c != '/' ? (char)c : '?';
}

static size_t trimmed_length(const uint8_t *field, size_t len)
{
	while (len > 0 && field[len - 1] == ' ')
		len--;
	return len;
}

/* Appends a space-padded 8.3 field to out at pos; returns the new end. */
static size_t append_short_part(char *out, size_t pos, const uint8_t *field, size_t len, bool lower)
{
	size_t i;

	len = trimmed_length(field, len);
	for (i = 0; i < len; i++) {
		uint8_t c = field[i];

		if (lower && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		out[pos++] = shown_char(c);
	}
	return pos;
}

/*
 * "NAME.EXT" from DIR_Name, lower-cased where DIR_NTRes says so (how Windows
 * and mtools store names like "readme.txt" without an LFN entry).
 */
static void format_short_name(const uint8_t *raw, char *out)
{
	uint8_t base[8];
	const uint8_t *ext = raw + DIR_NAME + 8;
	size_t pos;

	memcpy(base, raw + DIR_NAME, sizeof(base));
	if (base[0] == DIR_NAME_KANJI_E5)
		base[0] = DIR_NAME_FREE;
	pos = append_short_part(out, 0, base, sizeof(base), raw[DIR_NTRES] & NTRES_LOWER_NAME);
	if (trimmed_length(ext, 3) > 0) {
		out[pos++] = '.';
		pos = append_short_part(out, pos, ext, 3, raw[DIR_NTRES] & NTRES_LOWER_EXT);
	}
	out[pos] = '\0';
}

/* The specification's ChkSum of DIR_Name, which every LFN entry repeats in LDIR_Chksum. */
static uint8_t short_name_checksum(const uint8_t *raw)
{
	uint8_t sum = 0;
	int i;

	for (i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + raw[DIR_NAME + i]);
	return sum;
}

static void lfn_reset(struct fat32_lfn *lfn)
{
	lfn->entries = 0;
	lfn->next_ord = 0;
}

/* The 13 UCS-2 characters of an LFN entry: 5 in LDIR_Name1, 6 in LDIR_Name2, 2 in LDIR_Name3. */
static void lfn_copy_chars(uint16_t *dst, const uint8_t *raw)
{
	static const uint8_t offsets[LFN_CHARS_PER_ENTRY] = {
	    LDIR_NAME1,	     LDIR_NAME1 + 2, LDIR_NAME1 + 4, LDIR_NAME1 + 6, LDIR_NAME1 + 8,
	    LDIR_NAME2,	     LDIR_NAME2 + 2, LDIR_NAME2 + 4, LDIR_NAME2 + 6, LDIR_NAME2 + 8,
	    LDIR_NAME2 + 10, LDIR_NAME3,     LDIR_NAME3 + 2,
	};
	int i;

	for (i = 0; i < LFN_CHARS_PER_ENTRY; i++)
		dst[i] = get_le16(raw + offsets[i]);
}

/*
 * Adds an LFN entry to the long name being put together. The entries come
 * with LDIR_Ord N (marked LAST_LONG_ENTRY), N-1, ... 1, all with the same
 * LDIR_Chksum; an entry that does not continue the sequence discards it (the
 * specification's "orphaned" entries), and the file keeps its 8.3 name.
 */
static void lfn_add(struct fat32_lfn *lfn, const uint8_t *raw)
{
	uint8_t ord = raw[LDIR_ORD];
	uint8_t n = ord & LDIR_ORD_MASK;
	bool well_formed = raw[LDIR_TYPE] == 0 && get_le16(raw + LDIR_FSTCLUSLO) == 0 &&
			   (ord & ~(LAST_LONG_ENTRY | LDIR_ORD_MASK)) == 0 && n >= 1 &&
			   n <= LFN_MAX_ENTRIES;

	if (!well_formed) {
		lfn_reset(lfn);
		return;
	}
	if (ord & LAST_LONG_ENTRY) {
		lfn->entries = n;
		lfn->checksum = raw[LDIR_CHKSUM];
	} else if (lfn->next_ord == 0 || n != lfn->next_ord || raw[LDIR_CHKSUM] != lfn->checksum) {
		lfn_reset(lfn);
		return;
	}
	lfn_copy_chars(lfn->chars + (n - 1) * LFN_CHARS_PER_ENTRY, raw);
	lfn->next_ord = n - 1;
}

/*
 * Writes the long name for the 8.3 entry raw into name and forgets it. False
 * when there is no complete sequence, it belongs to another 8.3 name (a
 * checksum mismatch: the 8.3 entry was rewritten by an LFN-unaware system),
 * or the name is empty or longer than 255 characters.
 */
static bool lfn_take(struct fat32_lfn *lfn, const uint8_t *raw, char *name)
{
	size_t max = (size_t)lfn->entries * LFN_CHARS_PER_ENTRY;
	bool usable =
	    lfn->entries != 0 && lfn->next_ord == 0 && lfn->checksum == short_name_checksum(raw);
	size_t len = 0;

	lfn_reset(lfn);
	if (!usable)
		return false;
	/* The name ends with 0x0000 and is padded with 0xFFFF, unless it fills the entries. */
	while (len < max && lfn->chars[len] != 0x0000 && lfn->chars[len] != 0xFFFF) {
		if (len == FAT32_NAME_MAX)
			return false;
		name[len] = shown_char(lfn->chars[len]);
		len++;
	}
	name[len] = '\0';
	return len > 0;
}

/* ---- Entries ---- */

static void fill_item(struct fat32_volume *vol, struct fat32_lfn *lfn, const uint8_t *raw,
		      struct fat32_dir_item *item)
{
	struct fat32_entry *e = &item->entry;
	bool has_long_name = lfn_take(lfn, raw, e->name);

	e->is_dir = (raw[DIR_ATTR] & ATTR_DIRECTORY) != 0;
	e->first_cluster =
	    (uint32_t)get_le16(raw + DIR_FSTCLUSHI) << 16 | get_le16(raw + DIR_FSTCLUSLO);
	e->size = e->is_dir ? 0 : get_le32(raw + DIR_FILESIZE);
	format_short_name(raw, item->short_name);
	/* No real 8.3 name starts with '.': this is "." or "..". */
	item->is_dot = raw[DIR_NAME] == '.';
	if (item->is_dot || !has_long_name)
		memcpy(e->name, item->short_name, sizeof(item->short_name));
	/* ".." holds cluster 0 when the parent is the root directory. */
	if (item->is_dot && e->is_dir && e->first_cluster == 0)
		e->first_cluster = vol->root_cluster;
}

int fat32_dir_next(struct fat32_volume *vol, struct fat32_dir_iter *it, struct fat32_dir_item *item)
{
	uint8_t raw[DIR_ENTRY_SIZE];
	int rc;

	while (!it->at_end) {
		rc = read_raw_entry(vol, it, raw);
		if (rc < 0)
			return rc;
		if (rc == 0 || raw[DIR_NAME] == DIR_NAME_END) {
			it->at_end = true;
			break;
		}
		if (raw[DIR_NAME] == DIR_NAME_FREE) {
			lfn_reset(&it->lfn);
		} else if ((raw[DIR_ATTR] & ATTR_LONG_NAME_MASK) == ATTR_LONG_NAME) {
			lfn_add(&it->lfn, raw);
		} else if (raw[DIR_ATTR] & ATTR_VOLUME_ID) {
			lfn_reset(&it->lfn); /* the volume label */
		} else {
			fill_item(vol, &it->lfn, raw, item);
			return 1;
		}
	}
	return 0;
}
