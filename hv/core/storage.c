#include "core/storage.h"
#include "lib/spinlock.h"
#include "board/board.h"
#include "fs/blockdev.h"
#include "fs/fat32.h"
#include "fs/mbr.h"
#include "lib/printf.h"

#include <stddef.h>

static struct fat32_volume volume;
static bool mounted;
static char error[256] = "SD card not initialised";

/*
 * Every access to the card, for the FAT32 volume and for every VM's disk,
 * goes through here: the one place a lock will serialize the card once
 * several cores use it.
 */
/*
 * card_lock: the SD host controller, one transfer at a time. Core 0 (the
 * loader, the FAT32 reader, the shell's `sd`) and the cores of VMs with a
 * disk (a virtio request, under that VM's vm->lock) take it; it is taken
 * after a VM lock, never before one (docs/architecture.md, "Locks and
 * their order"), and no interrupt handler takes it.
 */
static struct spinlock card_lock = SPINLOCK_INIT;

static int card_transfer(enum storage_op op, uint64_t lba, uint32_t count, void *buf)
{
	const struct blockdev *dev = board_sd_blockdev();

	if (!dev)
		return -1;
	switch (op) {
	case STORAGE_READ:
		return dev->read(dev->ctx, lba, count, buf);
	case STORAGE_WRITE:
		return dev->write ? dev->write(dev->ctx, lba, count, buf) : -1;
	case STORAGE_FLUSH:
		/* The driver returns from a write only once the card has programmed it. */
		return 0;
	}
	return -1;
}

static int card_io(enum storage_op op, uint64_t lba, uint32_t count, void *buf)
{
	int result;

	spin_lock(&card_lock);
	result = card_transfer(op, lba, count, buf);
	spin_unlock(&card_lock);
	return result;
}

int storage_card_read(uint64_t lba, uint32_t count, void *buf)
{
	return card_io(STORAGE_READ, lba, count, buf);
}

/* (Re)initialises the card, with the card lock held: a VM's disk may be in use meanwhile. */
int storage_card_init(void)
{
	int err;

	spin_lock(&card_lock);
	err = board_sd_init();
	spin_unlock(&card_lock);
	return err;
}

static int volume_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	(void)ctx;
	return card_io(STORAGE_READ, lba, count, buf);
}

/* The FAT32 reader sees the whole card, through card_io. */
static struct blockdev card_dev = {.read = volume_read};

int storage_init(void)
{
	int err = storage_card_init();

	mounted = false;
	if (err < 0) {
		fmt_snprintf(error, sizeof(error), "SD card: %s", board_sd_strerror(err));
		return err;
	}
	card_dev.block_count = board_sd_blockdev()->block_count;
	err = fat32_mount(&volume, &card_dev);
	if (err < 0) {
		const char *detail = fat32_last_error_detail(&volume);

		fmt_snprintf(error, sizeof(error), "SD card has no usable FAT32 volume: %s",
			     detail[0] ? detail : fat32_strerror(err));
		return err;
	}
	mounted = true;
	return 0;
}

struct fat32_volume *storage_volume(void)
{
	return mounted ? &volume : NULL;
}

void storage_forget(const char *why)
{
	mounted = false;
	fmt_snprintf(error, sizeof(error), "SD card failed (%s); not mounted again yet", why);
}

struct fat32_volume *storage_require(void)
{
	if (!mounted)
		(void)storage_init();
	return storage_volume();
}

const char *storage_error(void)
{
	return error;
}

/* ---- Partitions given to VMs as disks ---- */

bool storage_disk_open(struct storage_disk *d, unsigned int partition, bool read_only, char *err,
		       size_t err_size)
{
	uint8_t block0[512];
	const struct blockdev *dev;
	struct mbr_partition p;
	enum mbr_lookup found;

	if (!storage_require() && !board_sd_blockdev()) {
		fmt_snprintf(err, err_size, "disk sd:%u: %s", partition, storage_error());
		return false;
	}
	dev = board_sd_blockdev();
	if (card_io(STORAGE_READ, 0, 1, block0) != 0) {
		fmt_snprintf(err, err_size, "disk sd:%u: the SD card's block 0 cannot be read: %s",
			     partition, board_sd_describe());
		return false;
	}
	/* A superfloppy's boot sector has the MBR's signature and zeros where its table would be.
	 */
	if (mounted && volume.start_lba == 0) {
		fmt_snprintf(err, err_size,
			     "disk sd:%u: the card has no MBR partition table (its FAT32 volume "
			     "starts at block 0)",
			     partition);
		return false;
	}
	found = mbr_find(block0, dev->block_count, (int)partition, &p);
	if (found != MBR_FOUND) {
		fmt_snprintf(err, err_size, "disk sd:%u: %s", partition, mbr_lookup_words(found));
		return false;
	}
	if (mounted && volume.start_lba == p.start) {
		fmt_snprintf(err, err_size,
			     "disk sd:%u: that partition is the hypervisor's FAT32 volume",
			     partition);
		return false;
	}
	*d = (struct storage_disk){
	    .partition = partition, .start = p.start, .blocks = p.size, .read_only = read_only};
	return true;
}

/* The request's blocks inside the partition: never a block of another. */
static bool in_disk(const struct storage_disk *d, uint64_t sector, uint32_t count)
{
	return d->partition != 0 && sector <= d->blocks && count <= d->blocks - sector;
}

int storage_disk_read(void *ctx, uint64_t sector, uint32_t count, void *buf)
{
	struct storage_disk *d = ctx;
	int err;

	if (!in_disk(d, sector, count))
		return -1;
	err = card_io(STORAGE_READ, d->start + sector, count, buf);
	if (err)
		d->io_errors++;
	return err;
}

int storage_disk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf)
{
	struct storage_disk *d = ctx;
	int err;

	if (d->read_only || !in_disk(d, sector, count))
		return -1;
	/* card_io only reads from buf when writing. */
	err = card_io(STORAGE_WRITE, d->start + sector, count, (void *)(uintptr_t)buf);
	if (err)
		d->io_errors++;
	return err;
}

int storage_disk_flush(void *ctx)
{
	(void)ctx;
	return card_io(STORAGE_FLUSH, 0, 0, NULL);
}
