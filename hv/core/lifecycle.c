#include "core/lifecycle.h"
#include "core/loader.h"
#include "core/vconsole.h"
#include "core/vm.h"
#include "lib/printf.h"

/* The restarted VM's files are in and it runs again (errors were reported by the loader). */
static void restart_done(struct vm *vm, const struct load_report *report, const char *err)
{
	if (err)
		return;
	vconsole_report("VM %u (%s) reloaded from %s and started (%s in %lu ms, %s/s)", vm->id,
			vm->name, vm->image,
			SIZE_TEXT(report->image_bytes + report->dtb_bytes + report->initrd_bytes),
			report->elapsed_us / 1000, SIZE_TEXT(loader_bytes_per_s(report)));
}

int lifecycle_restart(struct vm *vm, char *err, size_t err_size)
{
	vm_reset(vm);
	if (loader_queue(vm, true, restart_done, err, err_size) < 0)
		return -1;
	vm->restarts++;
	return 0;
}

static void carry_out(struct vm *vm)
{
	enum vm_request request = vm->request;
	char err[160];

	vm->request = VM_REQUEST_NONE;
	if (request == VM_REQUEST_POWER_OFF) {
		vm_stop(vm, "powered off by the guest");
		return;
	}
	vconsole_report("VM %u (%s): reset by the guest, restarting", vm->id, vm->name);
	if (lifecycle_restart(vm, err, sizeof(err)) < 0)
		vm_stop(vm, "restart failed: %s", err);
}

void lifecycle_carry_out_requests(void)
{
	for (unsigned int i = 0; i < VM_MAX; i++) {
		struct vm *vm = vm_slot(i);

		if (vm->state == VM_RUNNING && vm->request != VM_REQUEST_NONE)
			carry_out(vm);
	}
}
