#include "core/boot_vms.h"
#include "core/console.h"
#include "core/images.h"
#include "core/vm.h"

#include <stddef.h>

#define MIB (1UL << 20)

static const struct vm_config boot_vms[] = {
    {.name = "echo",
     .image = "echo.bin",
     .ram_size = 16 * MIB,
     .load_addr = 0x80000,
     .entry = 0x80000},
    {.name = "lrtos",
     .image = "lrtos.bin",
     .ram_size = 32 * MIB,
     .load_addr = 0x80000,
     .entry = 0x80000},
};

void boot_vms_create(void)
{
	for (size_t i = 0; i < sizeof(boot_vms) / sizeof(boot_vms[0]); i++) {
		const struct vm_config *cfg = &boot_vms[i];
		const struct image *img = image_find(cfg->image);
		struct vm *vm;
		char err[96];

		if (!img) {
			hv_printf("boot: VM '%s' not started: no image '%s'\n", cfg->name,
				  cfg->image);
			continue;
		}
		vm = vm_create(cfg, img->data, img->size, err, sizeof(err));
		if (!vm) {
			hv_printf("boot: VM '%s' not started: %s\n", cfg->name, err);
			continue;
		}
		hv_printf("boot: VM %u (%s) started: %s, %lu KiB image, %lu MiB RAM at 0x%08lx\n",
			  vm->id, vm->name, cfg->image, (img->size + 1023) / 1024,
			  vm->ram_size >> 20, vm->ram_pa);
	}
}
