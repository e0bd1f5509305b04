#include "core/boot_vms.h"
#include "board/board.h"
#include "core/config.h"
#include "core/console.h"
#include "core/loader.h"
#include "core/storage.h"
#include "core/vconsole.h"
#include "core/vm.h"
#include "fs/fat32.h"
#include "lib/printf.h"

#define CONFIG_MAX_BYTES 16384

static char config_text[CONFIG_MAX_BYTES];
static struct vm_spec specs[CONFIG_MAX_VMS];

static void report_config_error(void *ctx, unsigned int line, const char *problem)
{
	(void)ctx;
	hv_printf("%s:%u: %s\n", BOOT_CONFIG_FILE, line, problem);
}

/* Reads the configuration file; returns its length, or -1 after saying why not. */
static long read_config(struct fat32_volume *vol)
{
	uint64_t size = 0;
	int rc = fat32_read_file(vol, BOOT_CONFIG_FILE, config_text, sizeof(config_text), &size);

	if (rc == FAT32_ERR_TOO_BIG) {
		hv_printf("boot: %s is larger than %d bytes: no VMs started\n", BOOT_CONFIG_FILE,
			  CONFIG_MAX_BYTES);
		return -1;
	}
	if (rc < 0) {
		hv_printf("boot: cannot read %s from the SD card (%s): no VMs started\n",
			  BOOT_CONFIG_FILE, fat32_strerror(rc));
		return -1;
	}
	return (long)size;
}

/* Loads queued at boot and not finished yet. */
static unsigned int boot_loads_left;

/*
 * The time make bench reports: every VM of the configuration file is in. The
 * system timer counts from power-on; under QEMU -icount shift=0 a
 * microsecond is 1000 instructions.
 */
static void report_all_started(void)
{
	vconsole_report("boot: VMs started %lu us after power-on", board_uptime_us());
}

/* A VM of the configuration file is loaded (a failure was reported by the loader). */
static void boot_load_done(struct vm *vm, const struct load_report *report, const char *err)
{
	if (!err)
		vconsole_report(
		    "boot: VM %u (%s) %s: %s, %s at 0x%lx, %s RAM at 0x%08lx, %s/s, in %lu ms",
		    vm->id, vm->name, report->starts ? "started" : "created (autostart=no)",
		    vm->image, SIZE_TEXT(report->image_bytes), vm->load_addr,
		    SIZE_TEXT(vm->ram_size), vm->ram_pa, SIZE_TEXT(loader_bytes_per_s(report)),
		    report->elapsed_us / 1000);
	if (--boot_loads_left == 0)
		report_all_started();
}

/* Creates the VM and queues its load; false after saying why it cannot be. */
static bool queue_one(const struct vm_spec *spec)
{
	char err[160];
	struct vm *vm = loader_create_vm(spec, boot_load_done, err, sizeof(err));

	if (!vm) {
		hv_printf("%s:%u: VM '%s' not started: %s\n", BOOT_CONFIG_FILE, spec->line,
			  spec->name, err);
		return false;
	}
	hv_printf("boot: VM %u (%s) loading: %s, %s RAM at 0x%08lx\n", vm->id, vm->name,
		  spec->image, SIZE_TEXT(vm->ram_size), vm->ram_pa);
	return true;
}

static unsigned int queue_all(void)
{
	struct fat32_volume *vol;
	unsigned int count, queued = 0;
	long len;

	if (storage_init() < 0) {
		hv_printf("boot: %s: no VMs started\n", storage_error());
		return 0;
	}
	vol = storage_volume();
	len = read_config(vol);
	if (len < 0)
		return 0;
	count = config_parse(config_text, (size_t)len, specs, CONFIG_MAX_VMS, report_config_error,
			     NULL);
	if (count == 0)
		hv_printf("boot: %s defines no VMs\n", BOOT_CONFIG_FILE);
	/* Counted first: a load's end is reported from the scheduler, after this returns. */
	for (unsigned int i = 0; i < count; i++)
		queued += queue_one(&specs[i]);
	return queued;
}

void boot_vms_create(void)
{
	boot_loads_left = queue_all();
	if (boot_loads_left == 0) {
		hv_printf("boot: VMs started %lu us after power-on\n", board_uptime_us());
		return;
	}
	hv_printf("boot: shell ready %lu us after power-on; %u VM(s) loading in the background, "
		  "each reported when it starts\n",
		  board_uptime_us(), boot_loads_left);
}
