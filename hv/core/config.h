#pragma once
/*
 * The VM configuration file (avisor.cfg on the SD card; format in
 * docs/configuration.md): one VM per line,
 *
 *     name  image  load  entry  [memory]  [key=value ...]
 *
 * e.g. "uboot u-boot.bin 80000 80000 64M dtb=uboot.dtb" (addresses are hex,
 * 0x optional, as in U-Boot and the original aVisor). The shell's vmld takes
 * the same words after the image (config_parse_vm). A bad line is
 * reported (file, line number, problem) and skipped; the good lines stand.
 * Pure: parsed from a buffer, unit-tested and fuzzed on the host.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_VMS		8
#define CONFIG_NAME_MAX		16 /* with the NUL */
#define CONFIG_CORES		4  /* physical cores cpus= may name */
#define CONFIG_PATH_MAX		64
#define CONFIG_LINE_MAX		256
#define CONFIG_DEFAULT_SLICE_MS 10
#define CONFIG_DEFAULT_RAM_MIB	16   /* when a VM's line (or vmld) gives no memory size */
#define CONFIG_PROBLEM_MAX	160  /* room for any problem in words */
#define CONFIG_MAX_RAM_MIB	1008 /* RAM must end below the 0x3F000000 device window */

/*
 * A VM's disk (disk=...): today partition N of the SD card ("sd:N", or
 * "sd:N:ro" read-only). The kind leaves room for other sources (a file on
 * the card) without changing the option's shape.
 */
enum disk_kind {
	DISK_NONE,
	DISK_SD_PARTITION,
};

struct disk_spec {
	enum disk_kind kind;
	unsigned int partition; /* 1-4, for DISK_SD_PARTITION */
	bool read_only;
};

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
	uint32_t cpus; /* physical cores its vCPUs may use (bit n: core n); 0 = any */
	uint32_t slice_ms;
	bool autostart;
	struct disk_spec disk;
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
 * Parses one VM: its name, then the words "image load entry [memory]
 * [key=value ...]", as a line of the file has them and as the shell's vmld
 * takes them. Every field but `line` is set (defaults for what is not
 * given) and checked; the option words are modified. False with the
 * problem in words (quoting each value as written and as read) in problem.
 */
bool config_parse_vm(const char *name, char **words, int count, struct vm_spec *spec, char *problem,
		     size_t size);

/*
 * Checks one spec's values (memory size, alignment, everything inside RAM).
 * True if it is good, else false with the problem in words in problem.
 */
bool config_check_spec(const struct vm_spec *spec, char *problem, size_t size);

/* A character a VM's name may have: a letter, a digit, '-', '_' or '.'. */
bool config_is_name_char(char c);

/* Parses a memory size: "16", "16M", "16MiB" (MiB) or "1G"; false if malformed. */
bool config_parse_size_mib(const char *s, uint64_t *mib);
