/*
 * The FAT32 reader's public side: paths, listing, stat and reading files.
 * Mounting is in fat32_mount.c, the FAT in fat32_chain.c, directory entries
 * in fat32_dir.c.
 */
#include "fs/fat32_internal.h"
#include "lib/printf.h"
#include "lib/string.h"

#define PATH_IN_MESSAGE_MAX 64 /* characters of a path quoted in an error message */

/* Clears the last error; refuses a volume that is not mounted. */
static int begin(struct fat32_volume *vol)
{
	vol->detail[0] = '\0';
	if (!vol->mounted)
		return fat32_fail(vol, FAT32_ERR_NOT_MOUNTED, "no FAT32 volume is mounted");
	return 0;
}

/* Names the path in the message of an error found while following it. */
static int finish(struct fat32_volume *vol, const char *path, int rc)
{
	char prefix[PATH_IN_MESSAGE_MAX + 1];

	if (rc < 0 && rc != FAT32_ERR_NOT_MOUNTED && rc != FAT32_ERR_INVAL) {
		fmt_snprintf(prefix, sizeof(prefix), "%s", path[0] ? path : "/");
		fat32_prefix_detail(vol, prefix);
	}
	return rc;
}

/* ---- Paths ---- */

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* FAT names are case-insensitive; only ASCII letters are folded. */
static bool names_equal(const char *a, const char *b)
{
	while (*a && ascii_lower(*a) == ascii_lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static void root_entry(const struct fat32_volume *vol, struct fat32_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->name[0] = '/';
	e->is_dir = true;
	e->first_cluster = vol->root_cluster;
}

/*
 * Copies the next component of *path (between slashes) into name and moves
 * *path past it. Returns its length, 0 at the end of the path, or
 * FAT32_ERR_NAME for a component too long to be a FAT name.
 */
static int next_component(struct fat32_volume *vol, const char **path, char *name)
{
	const char *p = *path;
	size_t len = 0;

	while (*p == '/')
		p++;
	while (p[len] != '\0' && p[len] != '/') {
		if (len == FAT32_NAME_MAX)
			return fat32_fail(vol, FAT32_ERR_NAME,
					  "a path component is longer than %d characters",
					  FAT32_NAME_MAX);
		len++;
	}
	memcpy(name, p, len);
	name[len] = '\0';
	*path = p + len;
	return (int)len;
}

/* Looks name up in directory dir (by long or 8.3 name); out may be dir itself. */
static int find_in_dir(struct fat32_volume *vol, const struct fat32_entry *dir, const char *name,
		       struct fat32_entry *out)
{
	struct fat32_dir_iter it;
	struct fat32_dir_item item;
	int rc = fat32_dir_open(vol, &it, dir->first_cluster);

	if (rc < 0)
		return rc;
	while ((rc = fat32_dir_next(vol, &it, &item)) > 0) {
		if (names_equal(name, item.entry.name) || names_equal(name, item.short_name)) {
			*out = item.entry;
			return 0;
		}
	}
	if (rc < 0)
		return rc;
	return fat32_fail(vol, FAT32_ERR_NOT_FOUND, "no \"%s\" in directory \"%s\"", name,
			  dir->name);
}

/* Follows path from the root; the loop is bounded by the path's length. */
static int resolve(struct fat32_volume *vol, const char *path, struct fat32_entry *out)
{
	char name[FAT32_NAME_MAX + 1];
	int len;
	int rc;

	root_entry(vol, out);
	while ((len = next_component(vol, &path, name)) > 0) {
		if (!out->is_dir)
			return fat32_fail(vol, FAT32_ERR_NOT_DIR, "\"%s\" is not a directory",
					  out->name);
		if (strcmp(name, ".") == 0)
			continue;
		/* The root has no ".." entry; like POSIX, its parent is itself. */
		if (strcmp(name, "..") == 0 && out->first_cluster == vol->root_cluster) {
			root_entry(vol, out);
			continue;
		}
		rc = find_in_dir(vol, out, name, out);
		if (rc < 0)
			return rc;
		if (strcmp(name, "..") == 0 && out->first_cluster == vol->root_cluster)
			root_entry(vol, out);
	}
	return len;
}

/* ---- Listing ---- */

static int list_dir(struct fat32_volume *vol, const struct fat32_entry *dir, fat32_dir_fn fn,
		    void *ctx)
{
	struct fat32_dir_iter it;
	struct fat32_dir_item item;
	int rc;

	if (!dir->is_dir)
		return fat32_fail(vol, FAT32_ERR_NOT_DIR, "\"%s\" is a file, not a directory",
				  dir->name);
	rc = fat32_dir_open(vol, &it, dir->first_cluster);
	if (rc < 0)
		return rc;
	while ((rc = fat32_dir_next(vol, &it, &item)) > 0) {
		if (!item.is_dot && fn(ctx, &item.entry) != 0)
			return 0;
	}
	return rc;
}

int fat32_list(struct fat32_volume *vol, const char *path, fat32_dir_fn fn, void *ctx)
{
	struct fat32_entry dir;
	int rc;

	if (!vol)
		return FAT32_ERR_INVAL;
	rc = begin(vol);
	if (rc < 0)
		return rc;
	if (!path || !fn)
		return fat32_fail(vol, FAT32_ERR_INVAL, "fat32_list needs a path and a function");
	rc = resolve(vol, path, &dir);
	if (rc == 0)
		rc = list_dir(vol, &dir, fn, ctx);
	return finish(vol, path, rc);
}

int fat32_stat(struct fat32_volume *vol, const char *path, struct fat32_entry *out)
{
	int rc;

	if (!vol)
		return FAT32_ERR_INVAL;
	rc = begin(vol);
	if (rc < 0)
		return rc;
	if (!path || !out)
		return fat32_fail(vol, FAT32_ERR_INVAL, "fat32_stat needs a path and an entry");
	return finish(vol, path, resolve(vol, path, out));
}

/* ---- Reading files ---- */

/* What the directory entry says must hold before the chain is followed. */
static int check_file(struct fat32_volume *vol, const struct fat32_entry *e, uint64_t buf_size)
{
	uint64_t volume_bytes = (uint64_t)vol->cluster_count * vol->bytes_per_cluster;

	if (e->is_dir)
		return fat32_fail(vol, FAT32_ERR_IS_DIR, "\"%s\" is a directory", e->name);
	if (e->size > volume_bytes)
		return fat32_fail(vol, FAT32_ERR_CORRUPT,
				  "\"%s\" claims %llu bytes, more than the volume's %llu bytes of "
				  "clusters",
				  e->name, (unsigned long long)e->size,
				  (unsigned long long)volume_bytes);
	if (e->size > buf_size)
		return fat32_fail(vol, FAT32_ERR_TOO_BIG,
				  "\"%s\" is %llu bytes, the buffer holds only %llu", e->name,
				  (unsigned long long)e->size, (unsigned long long)buf_size);
	if (e->size > 0 && !fat32_cluster_valid(vol, e->first_cluster))
		return fat32_fail(vol, FAT32_ERR_CORRUPT,
				  "\"%s\" (%llu bytes) starts at cluster %u, outside the volume's "
				  "clusters 2..%u",
				  e->name, (unsigned long long)e->size, e->first_cluster,
				  vol->cluster_count + 1);
	return 0;
}

/*
 * Reads `bytes` from contiguous clusters starting at `first`: the whole
 * sectors with one device read straight into dst, a last partial sector
 * through the cache (the device reads only whole blocks).
 */
static int read_run(struct fat32_volume *vol, uint32_t first, uint64_t bytes, uint8_t *dst)
{
	uint64_t sector = fat32_cluster_sector(vol, first);
	uint32_t whole = (uint32_t)(bytes / BLOCK_SIZE);
	uint32_t tail = (uint32_t)(bytes % BLOCK_SIZE);
	int rc = fat32_read_sectors(vol, sector, whole, dst);

	if (rc < 0 || tail == 0)
		return rc;
	rc = fat32_load_sector(vol, &vol->data_cache, (uint32_t)(sector + whole));
	if (rc < 0)
		return rc;
	memcpy(dst + (uint64_t)whole * BLOCK_SIZE, vol->data_cache.data, tail);
	return 0;
}

/*
 * Follows the file's chain as far as its size needs, gathering adjacent
 * clusters into runs and reading each run at once. At the top of the outer
 * loop, chain.cluster is the first cluster of the next run.
 */
static int read_clusters(struct fat32_volume *vol, const struct fat32_entry *e, uint8_t *dst)
{
	uint64_t cluster_bytes = vol->bytes_per_cluster;
	uint64_t remaining = e->size;
	struct fat32_chain chain;
	int rc;

	fat32_chain_start(&chain, e->first_cluster);
	while (remaining > 0) {
		uint32_t run_start = chain.cluster;
		uint64_t run_clusters = 1;
		uint64_t bytes;

		while (run_clusters * cluster_bytes < remaining) {
			rc = fat32_chain_next(vol, &chain);
			if (rc < 0)
				return rc;
			if (rc == 0)
				return fat32_fail(
				    vol, FAT32_ERR_CORRUPT,
				    "\"%s\" is %llu bytes but its cluster chain ends "
				    "after %llu",
				    e->name, (unsigned long long)e->size,
				    (unsigned long long)(e->size - remaining +
							 run_clusters * cluster_bytes));
			if (chain.cluster != run_start + run_clusters)
				break;
			run_clusters++;
		}
		bytes = run_clusters * cluster_bytes < remaining ? run_clusters * cluster_bytes
								 : remaining;
		rc = read_run(vol, run_start, bytes, dst);
		if (rc < 0)
			return rc;
		dst += bytes;
		remaining -= bytes;
	}
	return 0;
}

int fat32_read_file(struct fat32_volume *vol, const char *path, void *buf, uint64_t buf_size,
		    uint64_t *out_size)
{
	struct fat32_entry e;
	int rc;

	if (out_size)
		*out_size = 0;
	if (!vol)
		return FAT32_ERR_INVAL;
	rc = begin(vol);
	if (rc < 0)
		return rc;
	if (!path || (!buf && buf_size > 0))
		return fat32_fail(vol, FAT32_ERR_INVAL,
				  "fat32_read_file needs a path and a buffer");
	rc = resolve(vol, path, &e);
	if (rc == 0)
		rc = check_file(vol, &e, buf_size);
	if (rc == 0)
		rc = read_clusters(vol, &e, buf);
	if (rc == 0 && out_size)
		*out_size = e.size;
	return finish(vol, path, rc);
}

/* ---- Errors ---- */

const char *fat32_strerror(int err)
{
	switch (err) {
	case FAT32_OK:
		return "no error";
	case FAT32_ERR_IO:
		return "device read error";
	case FAT32_ERR_NOT_FAT32:
		return "not a FAT32 volume";
	case FAT32_ERR_BAD_BPB:
		return "bad or unsupported boot sector (BPB)";
	case FAT32_ERR_CORRUPT:
		return "file system is corrupt";
	case FAT32_ERR_LOOP:
		return "cluster chain loops";
	case FAT32_ERR_NOT_FOUND:
		return "not found";
	case FAT32_ERR_NOT_DIR:
		return "not a directory";
	case FAT32_ERR_IS_DIR:
		return "is a directory";
	case FAT32_ERR_TOO_BIG:
		return "file too big for the buffer";
	case FAT32_ERR_NAME:
		return "name longer than 255 characters";
	case FAT32_ERR_NOT_MOUNTED:
		return "no FAT32 volume mounted";
	case FAT32_ERR_INVAL:
		return "invalid argument";
	default:
		return "unknown error";
	}
}

const char *fat32_last_error_detail(const struct fat32_volume *vol)
{
	return vol ? vol->detail : "no volume";
}
