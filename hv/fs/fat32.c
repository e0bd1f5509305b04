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
static int check_file(struct fat32_volume *vol, const struct fat32_entry *e)
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
	if (e->size > 0 && !fat32_cluster_valid(vol, e->first_cluster))
		return fat32_fail(vol, FAT32_ERR_CORRUPT,
				  "\"%s\" (%llu bytes) starts at cluster %u, outside the volume's "
				  "clusters 2..%u",
				  e->name, (unsigned long long)e->size, e->first_cluster,
				  vol->cluster_count + 1);
	return 0;
}

/* The file is larger than its chain: the chain ended after `clusters` clusters. */
static int chain_too_short(struct fat32_volume *vol, const struct fat32_file *f, uint64_t bytes)
{
	return fat32_fail(
	    vol, FAT32_ERR_CORRUPT, "\"%s\" is %llu bytes but its cluster chain ends after %llu",
	    f->entry.name, (unsigned long long)f->entry.size, (unsigned long long)bytes);
}

/* One step along the file's chain: chain.cluster becomes the one after it. */
static int next_cluster(struct fat32_volume *vol, struct fat32_file *f)
{
	int rc = fat32_chain_next(vol, &f->chain);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return chain_too_short(vol, f, f->cluster_start + vol->bytes_per_cluster);
	f->cluster_start += vol->bytes_per_cluster;
	return 0;
}

/*
 * Reads `bytes` (whole sectors, but for the file's last partial sector)
 * starting `in` bytes into cluster `first` of a run of contiguous ones: the
 * whole sectors with one device read straight into dst, a last partial
 * sector through the cache (the device reads only whole blocks).
 */
static int read_run(struct fat32_volume *vol, uint32_t first, uint64_t in, uint64_t bytes,
		    uint8_t *dst)
{
	uint64_t sector = fat32_cluster_sector(vol, first) + in / BLOCK_SIZE;
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
 * Reads up to `want` bytes from the cluster holding the file's next byte and
 * the clusters adjacent to it on the card, as one device read; *done is how
 * many. The chain is left at the cluster holding the byte after them (or
 * at their last cluster, which may hold more of them).
 */
static int read_contiguous(struct fat32_volume *vol, struct fat32_file *f, uint8_t *dst,
			   uint64_t want, uint64_t *done)
{
	uint64_t cluster_bytes = vol->bytes_per_cluster;
	uint64_t in, avail;
	uint32_t first, run = 1;
	int rc;

	if (f->offset == f->cluster_start + cluster_bytes && (rc = next_cluster(vol, f)) < 0)
		return rc;
	first = f->chain.cluster;
	in = f->offset - f->cluster_start;
	avail = cluster_bytes - in;
	while (avail < want) {
		rc = next_cluster(vol, f);
		if (rc < 0)
			return rc;
		/* A gap on the card: this run ends; chain.cluster starts the next one. */
		if (f->chain.cluster != first + run)
			break;
		run++;
		avail += cluster_bytes;
	}
	*done = avail < want ? avail : want;
	rc = read_run(vol, first, in, *done, dst);
	if (rc == 0)
		f->offset += *done;
	return rc;
}

int fat32_open(struct fat32_volume *vol, const char *path, struct fat32_file *file)
{
	int rc;

	if (!vol)
		return FAT32_ERR_INVAL;
	rc = begin(vol);
	if (rc < 0)
		return rc;
	if (!path || !file)
		return fat32_fail(vol, FAT32_ERR_INVAL, "fat32_open needs a path and a file");
	memset(file, 0, sizeof(*file));
	rc = resolve(vol, path, &file->entry);
	if (rc == 0)
		rc = check_file(vol, &file->entry);
	if (rc == 0)
		fat32_chain_start(&file->chain, file->entry.first_cluster);
	return finish(vol, path, rc);
}

int fat32_read_next(struct fat32_volume *vol, struct fat32_file *file, void *buf, uint64_t max,
		    uint64_t *got)
{
	uint64_t want, done;
	uint8_t *dst = buf;
	int rc;

	if (got)
		*got = 0;
	if (!vol)
		return FAT32_ERR_INVAL;
	rc = begin(vol);
	if (rc < 0)
		return rc;
	if (!file || !got || (!buf && max > 0) || max < BLOCK_SIZE)
		return fat32_fail(vol, FAT32_ERR_INVAL,
				  "fat32_read_next needs a file, a buffer of a sector or more");
	/* Whole sectors, so that every read but the file's last starts on a sector. */
	want = max - max % BLOCK_SIZE;
	if (want > file->entry.size - file->offset)
		want = file->entry.size - file->offset;
	while (want > 0) {
		rc = read_contiguous(vol, file, dst, want, &done);
		if (rc < 0) {
			*got = 0;
			return rc;
		}
		dst += done;
		want -= done;
		*got += done;
	}
	return 0;
}

int fat32_read_file(struct fat32_volume *vol, const char *path, void *buf, uint64_t buf_size,
		    uint64_t *out_size)
{
	struct fat32_file file;
	uint64_t got = 0;
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
	rc = fat32_open(vol, path, &file);
	if (rc < 0)
		return rc;
	if (file.entry.size > buf_size)
		rc = fat32_fail(vol, FAT32_ERR_TOO_BIG,
				"\"%s\" is %llu bytes, the buffer holds only %llu", file.entry.name,
				(unsigned long long)file.entry.size, (unsigned long long)buf_size);
	/* One read of it all: max is the size rounded up to whole sectors. */
	else if (file.entry.size > 0)
		rc = fat32_read_next(vol, &file, buf, file.entry.size + BLOCK_SIZE - 1, &got);
	if (rc == 0 && out_size)
		*out_size = got;
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
