#include "core/boot_vms.h"
#include "core/config.h"
#include "core/console.h"
#include "core/loader.h"
#include "core/storage.h"
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

static void start_one(const struct vm_spec *spec)
{
	struct load_report report;
	char err[160];
	struct vm *vm = loader_create_vm(spec, err, sizeof(err), &report);

	if (!vm) {
		hv_printf("%s:%u: VM '%s' not started: %s\n", BOOT_CONFIG_FILE, spec->line,
			  spec->name, err);
		return;
	}
	hv_printf("boot: VM %u (%s) %s: %s, %s at 0x%lx, %s RAM at 0x%08lx, %s/s\n", vm->id,
		  vm->name, spec->autostart ? "started" : "created (autostart=no)", spec->image,
		  SIZE_TEXT(report.image_bytes), spec->load_addr, SIZE_TEXT(vm->ram_size),
		  vm->ram_pa, SIZE_TEXT(loader_bytes_per_s(&report)));
}

void boot_vms_create(void)
{
	struct fat32_volume *vol;
	unsigned int count;
	long len;

	if (storage_init() < 0) {
		hv_printf("boot: %s: no VMs started\n", storage_error());
		return;
	}
	vol = storage_volume();
	len = read_config(vol);
	if (len < 0)
		return;
	count = config_parse(config_text, (size_t)len, specs, CONFIG_MAX_VMS, report_config_error,
			     NULL);
	if (count == 0)
		hv_printf("boot: %s defines no VMs\n", BOOT_CONFIG_FILE);
	for (unsigned int i = 0; i < count; i++)
		start_one(&specs[i]);
}
