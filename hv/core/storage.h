#pragma once
/*
 * The SD card as the hypervisor uses it: one FAT32 volume, mounted at boot,
 * from which VM images, device trees and the configuration file are read.
 */
#include <stdint.h>

struct fat32_volume;

/* Initialises the card and mounts its FAT32 volume; 0, or a negative error. */
int storage_init(void);
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
