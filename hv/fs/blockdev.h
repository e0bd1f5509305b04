#pragma once
/*
 * A block device: a count of 512-byte blocks, a read function and, for
 * devices that can be written, a write function (NULL otherwise; the FAT32
 * reader never writes). The SD host driver provides one for the card; the host
 * tests and the fuzzer provide one over a memory or file image.
 */
#include <stdint.h>

#define BLOCK_SIZE 512

struct blockdev {
	uint64_t block_count; /* 512-byte blocks on the device */
	/*
	 * Reads `count` consecutive blocks starting at `lba` into buf; returns 0
	 * or a negative error. Multi-block reads are faster: callers should read
	 * runs. Callers never ask for blocks at or past block_count.
	 */
	int (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
	/* Writes `count` blocks; returns 0 only once they are on the medium. May be NULL. */
	int (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
	void *ctx;
};
