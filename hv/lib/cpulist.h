#pragma once
/*
 * Lists of physical cores as a user writes them (cpus=0-3, cpus=1,3,
 * cpus=2) and as the hypervisor shows them, to and from a bit mask
 * (bit n: core n).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPULIST_TEXT_MAX 16 /* "0,1,2,3" and the like, with room to spare */

/*
 * Parses `text` (comma-separated cores or ranges a-b, each core below
 * `cores`) into *mask. False, with the problem in words in `problem`, for
 * an empty list or item, a character that is no digit, a range that runs
 * backwards, or a core of `cores` or more.
 */
bool cpulist_parse(const char *text, unsigned int cores, uint32_t *mask, char *problem,
		   size_t size);

/* Writes the mask as the shortest list ("0-3", "1,3", "0-1,3"); "-" for an empty mask. */
void cpulist_format(uint32_t mask, char *buf, size_t size);
