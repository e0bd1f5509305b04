#pragma once
/*
 * The VM configuration file (avisor.cfg on the SD card; format in
 * docs/configuration.md): one VM per line,
 *
 *     name  image  load  entry  memory  [key=value ...]
 *
 * e.g. "uboot u-boot.bin 0x80000 0x80000 64M dtb=uboot.dtb". A bad line is
 * reported (file, line number, problem) and skipped; the good lines stand.
 * Pure: parsed from a buffer, unit-tested and fuzzed on the host.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_VMS		8
#define CONFIG_NAME_MAX		16 /* with the NUL */
#define CONFIG_PATH_MAX		64
#define CONFIG_LINE_MAX		256
#define CONFIG_DEFAULT_SLICE_MS 10
#define CONFIG_MAX_RAM_MIB	1008 /* RAM must end below the 0x3F000000 device window */

struct vm_spec {
	unsigned int line; /* where it was defined */
	char name[CONFIG_NAME_MAX];
	char image[CONFIG_PATH_MAX];
	uint64_t load_addr;
	uint64_t entry;
	uint64_t ram_size;	      /* bytes */
	char dtb[CONFIG_PATH_MAX];    /* "" = none */
	uint64_t dtb_addr;	      /* valid when dtb[0] */
	char initrd[CONFIG_PATH_MAX]; /* an initial RAM disk, "" = none */
	uint64_t initrd_addr;	      /* where it goes (required with initrd) */
	unsigned int vcpus;
	uint32_t slice_ms;
	bool autostart;
};

/* Called once per bad line with its number and the problem in words. */
typedef void (*config_error_fn)(void *ctx, unsigned int line, const char *problem);

/*
 * Parses `len` bytes of configuration text into at most `max` specs and
 * returns how many good lines there were. Every bad line is reported through
 * `on_error` (which may be NULL).
 */
unsigned int config_parse(const char *text, size_t len, struct vm_spec *specs, unsigned int max,
			  config_error_fn on_error, void *ctx);

/*
 * Checks one spec's values (memory size, alignment, everything inside RAM).
 * Returns NULL if it is good, else the problem in words. Used by the parser
 * and by the shell's vmld.
 */
const char *config_check_spec(const struct vm_spec *spec);

/* Parses a memory size: "16", "16M", "16MiB" (MiB) or "1G"; false if malformed. */
bool config_parse_size_mib(const char *s, uint64_t *mib);
