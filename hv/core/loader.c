#include "core/loader.h"
#include "board/board.h"
#include "core/storage.h"
#include "core/vm.h"
#include "fs/fat32.h"
#include "lib/printf.h"
#include "lib/string.h"

/* Checks that `path` is a file that fits at guest-physical [ipa, ram end); returns its size. */
static bool check_file(struct fat32_volume *vol, const char *what, const char *path, uint64_t ipa,
		       uint64_t ram_size, uint64_t *size, char *err, size_t err_size)
{
	struct fat32_entry entry;
	int rc = fat32_stat(vol, path, &entry);

	if (rc < 0) {
		fmt_snprintf(err, err_size, "%s '%s': %s", what, path, fat32_strerror(rc));
		return false;
	}
	if (entry.is_dir) {
		fmt_snprintf(err, err_size, "%s '%s' is a directory", what, path);
		return false;
	}
	if (entry.size > ram_size - ipa) {
		fmt_snprintf(err, err_size,
			     "%s '%s' (%lu bytes) does not fit in the VM's memory at 0x%lx "
			     "(%lu bytes free there)",
			     what, path, entry.size, ipa, ram_size - ipa);
		return false;
	}
	*size = entry.size;
	return true;
}

static bool read_into_vm(struct fat32_volume *vol, struct vm *vm, const char *what,
			 const char *path, uint64_t ipa, uint64_t size, char *err, size_t err_size)
{
	void *dst = vm_guest_ptr(vm, ipa, size);
	uint64_t got = 0;
	int rc;

	if (!dst) {
		fmt_snprintf(err, err_size, "%s '%s' does not fit in the VM's memory", what, path);
		return false;
	}
	rc = fat32_read_file(vol, path, dst, size, &got);
	if (rc < 0 || got != size) {
		fmt_snprintf(err, err_size, "reading %s '%s': %s", what, path,
			     rc < 0 ? fat32_strerror(rc) : "short read");
		return false;
	}
	vm_finish_load(vm, ipa, size);
	return true;
}

/* Sizes of the files a spec names, 0 for those it does not name. */
struct file_sizes {
	uint64_t image, dtb, initrd;
};

/* Whether [a, a + a_size) and [b, b + b_size) share a byte; an empty range shares none. */
static bool overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a_size && b_size && a < b + b_size && b < a + a_size;
}

/* Each file exists and fits in RAM where it goes, and no two overlap. */
static bool files_fit(struct fat32_volume *vol, const struct vm_spec *spec,
		      struct file_sizes *sizes, char *err, size_t err_size)
{
	*sizes = (struct file_sizes){0};
	if (!check_file(vol, "image", spec->image, spec->load_addr, spec->ram_size, &sizes->image,
			err, err_size))
		return false;
	if (spec->dtb[0] && !check_file(vol, "device tree", spec->dtb, spec->dtb_addr,
					spec->ram_size, &sizes->dtb, err, err_size))
		return false;
	if (spec->initrd[0] && !check_file(vol, "initrd", spec->initrd, spec->initrd_addr,
					   spec->ram_size, &sizes->initrd, err, err_size))
		return false;
	if (overlap(spec->dtb_addr, sizes->dtb, spec->load_addr, sizes->image)) {
		fmt_snprintf(err, err_size, "device tree at 0x%lx overlaps the image",
			     spec->dtb_addr);
		return false;
	}
	if (overlap(spec->initrd_addr, sizes->initrd, spec->load_addr, sizes->image)) {
		fmt_snprintf(err, err_size,
			     "initrd '%s' at initrd_addr 0x%lx (%lu bytes) overlaps the image "
			     "(0x%lx-0x%lx)",
			     spec->initrd, spec->initrd_addr, sizes->initrd, spec->load_addr,
			     spec->load_addr + sizes->image);
		return false;
	}
	if (overlap(spec->initrd_addr, sizes->initrd, spec->dtb_addr, sizes->dtb)) {
		fmt_snprintf(
		    err, err_size,
		    "initrd '%s' at initrd_addr 0x%lx (%lu bytes) overlaps the device tree "
		    "at 0x%lx",
		    spec->initrd, spec->initrd_addr, sizes->initrd, spec->dtb_addr);
		return false;
	}
	return true;
}

/* The spec a VM was created from, rebuilt from what the VM keeps. */
static void spec_of(const struct vm *vm, struct vm_spec *spec)
{
	*spec = (struct vm_spec){0};
	strlcpy(spec->name, vm->name, sizeof(spec->name));
	strlcpy(spec->image, vm->image, sizeof(spec->image));
	strlcpy(spec->dtb, vm->dtb, sizeof(spec->dtb));
	spec->dtb_addr = vm->dtb_addr;
	strlcpy(spec->initrd, vm->initrd, sizeof(spec->initrd));
	spec->initrd_addr = vm->initrd_addr;
	spec->load_addr = vm->load_addr;
	spec->entry = vm->entry;
	spec->ram_size = vm->ram_size;
}

int loader_load_files(struct vm *vm, char *err, size_t err_size, struct load_report *report)
{
	struct fat32_volume *vol = storage_require();
	struct file_sizes sizes;
	struct vm_spec spec;
	uint64_t start;

	*report = (struct load_report){0};
	if (!vol) {
		fmt_snprintf(err, err_size, "%s", storage_error());
		return -1;
	}
	spec_of(vm, &spec);
	if (!files_fit(vol, &spec, &sizes, err, err_size))
		return -1;
	start = board_uptime_us();
	if (!read_into_vm(vol, vm, "image", spec.image, spec.load_addr, sizes.image, err, err_size))
		return -1;
	if (spec.dtb[0] && !read_into_vm(vol, vm, "device tree", spec.dtb, spec.dtb_addr, sizes.dtb,
					 err, err_size))
		return -1;
	if (spec.initrd[0] && !read_into_vm(vol, vm, "initrd", spec.initrd, spec.initrd_addr,
					    sizes.initrd, err, err_size))
		return -1;
	report->micros = board_uptime_us() - start;
	report->image_bytes = sizes.image;
	report->dtb_bytes = sizes.dtb;
	report->initrd_bytes = sizes.initrd;
	return 0;
}

struct vm *loader_create_vm(const struct vm_spec *spec, char *err, size_t err_size,
			    struct load_report *report)
{
	struct fat32_volume *vol = storage_require();
	struct file_sizes sizes;
	struct vm *vm;

	*report = (struct load_report){0};
	if (!vol) {
		fmt_snprintf(err, err_size, "%s", storage_error());
		return NULL;
	}
	/* Check the files before taking memory, so a bad spec costs nothing. */
	if (!files_fit(vol, spec, &sizes, err, err_size))
		return NULL;
	vm = vm_create(spec, err, err_size);
	if (!vm)
		return NULL;
	if (loader_load_files(vm, err, err_size, report) < 0) {
		vm_destroy(vm);
		return NULL;
	}
	if (spec->autostart)
		vm_start(vm);
	return vm;
}

uint64_t loader_bytes_per_s(const struct load_report *report)
{
	uint64_t bytes = report->image_bytes + report->dtb_bytes + report->initrd_bytes;

	if (report->micros == 0)
		return 0;
	return bytes * 1000000 / report->micros;
}
