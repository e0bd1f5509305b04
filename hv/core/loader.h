#pragma once
/*
 * Creating VMs from the SD card: the image (and device tree, and initial
 * RAM disk) named by a spec are read straight into the new VM's RAM, then
 * it starts.
 */
#include "core/config.h"

#include <stddef.h>
#include <stdint.h>

struct vm;

struct load_report {
	uint64_t image_bytes;
	uint64_t dtb_bytes;
	uint64_t initrd_bytes;
	uint64_t micros; /* time spent reading from the card */
};

/*
 * Creates a VM from `spec`, loads its files and starts it (unless
 * spec->autostart is false). NULL with the problem in err (which file, what
 * is wrong) if anything fails; nothing is left behind then.
 */
struct vm *loader_create_vm(const struct vm_spec *spec, char *err, size_t err_size,
			    struct load_report *report);

/*
 * Loads a created (or reset) VM's image, device tree and initrd from the card into
 * its RAM, as its spec named them: 0, or -1 with the problem in err.
 */
int loader_load_files(struct vm *vm, char *err, size_t err_size, struct load_report *report);

/* Bytes per second for a report (0 if too fast to measure). */
uint64_t loader_bytes_per_s(const struct load_report *report);
