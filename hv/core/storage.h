#pragma once
/*
 * The SD card as the hypervisor uses it: one FAT32 volume, mounted at boot,
 * from which VM images, device trees and the configuration file are read;
 * and partitions of the card given to VMs as disks (disk=sd:N). Every card
 * access of either goes through one function of storage.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fat32_volume;

enum storage_op {
	STORAGE_READ,
	STORAGE_WRITE,
	STORAGE_FLUSH,
};

/* Initialises the card and mounts its FAT32 volume; 0, or a negative error. */
int storage_init(void);
/* Initialises the card again (the shell's `sd`), under the card lock. */
int storage_card_init(void);
/* Reads blocks of the whole card (the shell's `sd read`), under the card lock. */
int storage_card_read(uint64_t lba, uint32_t count, void *buf);
/* The mounted volume, or NULL (then storage_error() says why). */
struct fat32_volume *storage_volume(void);
/* Why there is no volume, in words ("no SD card", "not FAT32: ..."). */
const char *storage_error(void);
/*
 * The card failed a read (pulled out, or changed for another): the volume is
 * mounted again, with the card initialised again, the next time
 * storage_require is called, so that a card put back in is found.
 */
void storage_forget(const char *why);
/* Ensures the volume is mounted, mounting it now if the first attempt failed (card inserted later).
 */
struct fat32_volume *storage_require(void);

/* Partition N (1-4) of the card's MBR as a VM's disk. */
struct storage_disk {
	unsigned int partition; /* 0: no disk */
	uint64_t start, blocks; /* in 512-byte blocks on the card */
	bool read_only;
	uint64_t io_errors; /* card errors on its requests */
};

/*
 * Looks partition `partition` up in the card's MBR: it must exist, lie on
 * the card and not be the FAT32 volume the hypervisor reads. False with the
 * problem in words (naming the partition) in err.
 */
bool storage_disk_open(struct storage_disk *d, unsigned int partition, bool read_only, char *err,
		       size_t err_size);
/*
 * Sectors of the disk (numbered from the partition's start), for the
 * virtio-blk backend (ctx = the struct storage_disk): a request reaching
 * past the partition fails (-1) without touching the card.
 */
int storage_disk_read(void *ctx, uint64_t sector, uint32_t count, void *buf);
int storage_disk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf);
int storage_disk_flush(void *ctx);
