#pragma once
/*
 * Loading the user image (its format: struct user_image_header in abi.h)
 * into a fresh address space.
 */
#include "lrtos/mmu.h"

#include <stddef.h>
#include <stdint.h>

/* The user programs' image, embedded in the kernel by user_image.S. */
extern const uint8_t user_image_start[];
extern const uint8_t user_image_end[];

/*
 * Checks the header, copies the image into new pages mapped at its link
 * address (code read-only and executable, data writable), zeroes .bss,
 * maps a stack below USER_STACK_TOP and returns the entry point.
 * Returns 0 or a negative errno.
 */
int image_load(struct addrspace *as, const void *image, size_t size, uint64_t *entry);
