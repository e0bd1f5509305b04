#include "core/vm.h"
#include "arch/arm64/cache.h"
#include "arch/arm64/sysreg.h"
#include "arch/arm64/tlb.h"
#include "board/board.h"
#include "core/console.h"
#include "core/mm.h"
#include "core/sched.h"
#include "core/vconsole.h"
#include "lib/printf.h"
#include "lib/string.h"

static struct vm vms[VM_MAX];
static struct stage2_tables stage2_storage[VM_MAX] __attribute__((section(".pagetables")));

/* Guest RAM must end below the device window the guest sees at 0x3F000000. */
#define GUEST_RAM_LIMIT 0x3f000000UL

void vm_init_all(void)
{
	for (unsigned int i = 0; i < VM_MAX; i++) {
		vms[i].id = i + 1;
		vms[i].state = VM_EMPTY;
	}
}

struct vm *vm_slot(unsigned int i)
{
	return i < VM_MAX ? &vms[i] : NULL;
}

struct vm *vm_by_id(unsigned int id)
{
	if (id == 0 || id > VM_MAX || vms[id - 1].state == VM_EMPTY)
		return NULL;
	return &vms[id - 1];
}

const char *vm_state_name(enum vm_state state)
{
	switch (state) {
	case VM_RUNNING:
		return "running";
	case VM_STOPPED:
		return "stopped";
	default:
		return "empty";
	}
}

static bool config_error(char *err, size_t err_size, const char *msg)
{
	strlcpy(err, msg, err_size);
	return false;
}

static bool validate_config(const struct vm_config *cfg, size_t image_size, char *err,
			    size_t err_size)
{
	if (!cfg->name || !cfg->name[0] || strlen(cfg->name) >= VM_NAME_MAX)
		return config_error(err, err_size, "name must be 1 to 15 characters");
	if (cfg->ram_size < VM_MIN_RAM || cfg->ram_size % STAGE2_BLOCK_SIZE ||
	    cfg->ram_size > GUEST_RAM_LIMIT)
		return config_error(err, err_size,
				    "memory must be a multiple of 2 MiB, from 2 MiB to 1008 MiB");
	if (cfg->load_addr % 4096)
		return config_error(err, err_size, "load address must be 4 KiB aligned");
	if (cfg->load_addr >= cfg->ram_size || image_size > cfg->ram_size - cfg->load_addr)
		return config_error(err, err_size, "image does not fit in the VM's memory");
	if (cfg->entry % 4 || cfg->entry >= cfg->ram_size)
		return config_error(
		    err, err_size, "entry point must be 4-byte aligned and inside the VM's memory");
	return true;
}

static struct vm *free_slot(void)
{
	for (unsigned int i = 0; i < VM_MAX; i++) {
		if (vms[i].state == VM_EMPTY)
			return &vms[i];
	}
	return NULL;
}

/*
 * Fresh RAM holds nothing of a previous owner. The guest starts with its MMU
 * off, so its accesses are non-cacheable: clean what we wrote through the
 * hypervisor's cacheable mapping to memory, and drop stale instructions.
 */
static void load_image(struct vm *vm, const void *image, size_t image_size)
{
	void *ram = (void *)vm->ram_pa;

	memset(ram, 0, vm->ram_size);
	memcpy((uint8_t *)ram + vm->load_addr, image, image_size);
	/* Clean and invalidate: no stale clean line may later shadow what the guest writes. */
	dcache_clean_invalidate_range(ram, vm->ram_size);
	icache_invalidate_all();
}

static void init_devices(struct vm *vm)
{
	mmio_bus_init(&vm->mmio);
	bcm2837_vdevs_init(&vm->devs, vm);
	(void)bcm2837_vdevs_register(&vm->devs, &vm->mmio);
}

static void init_vcpus(struct vm *vm)
{
	vm->nr_vcpus = 1;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		memset(v, 0, sizeof(*v));
		v->vm = vm;
		v->index = i;
		vcpu_reset(v, vm->entry, 0);
		v->state = i == 0 ? VCPU_RUNNABLE : VCPU_OFF;
	}
}

struct vm *vm_create(const struct vm_config *cfg, const void *image, size_t image_size, char *err,
		     size_t err_size)
{
	struct vm *vm;
	unsigned int id;
	uint64_t ram;

	if (!validate_config(cfg, image_size, err, err_size))
		return NULL;
	vm = free_slot();
	if (!vm) {
		fmt_snprintf(err, err_size, "no free VM slot (at most %d VMs)", VM_MAX);
		return NULL;
	}
	ram = mm_alloc_vm_ram(cfg->ram_size);
	if (!ram) {
		fmt_snprintf(err, err_size,
			     "not enough free memory for %lu MiB (largest free %lu MiB)",
			     cfg->ram_size >> 20, block_largest_free(mm_pool()) >> 20);
		return NULL;
	}

	id = vm->id;
	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	strlcpy(vm->name, cfg->name, sizeof(vm->name));
	vm->image = cfg->image;
	vm->ram_pa = ram;
	vm->ram_size = cfg->ram_size;
	vm->load_addr = cfg->load_addr;
	vm->entry = cfg->entry;
	vm->slice_us = cfg->slice_us ? cfg->slice_us : VM_DEFAULT_SLICE_US;
	ringbuf_init(&vm->input, vm->input_storage, sizeof(vm->input_storage));
	ringbuf_init(&vm->log, vm->log_storage, sizeof(vm->log_storage));

	load_image(vm, image, image_size);
	vm->s2 = &stage2_storage[id - 1];
	(void)stage2_build(vm->s2, (uint64_t)vm->s2, vm->ram_pa, vm->ram_size);
	vm->vttbr = stage2_vttbr((uint64_t)vm->s2, (uint16_t)id);
	tlb_flush_vmid(vm->vttbr);

	vm->time_base_us = board_uptime_us();
	vm->cntvoff = read_sysreg(cntpct_el0);
	init_devices(vm);
	init_vcpus(vm);
	vm->state = VM_RUNNING;
	sched_vm_started(vm);
	return vm;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = VCPU_OFF;
	vm->state = VM_STOPPED;
	vconsole_report("VM %u (%s) stopped: %s", vm->id, vm->name, vm->stop_reason);
	sched_vm_stopped(vm);
}

void *vm_guest_ptr(struct vm *vm, uint64_t ipa, uint64_t size)
{
	void *ptr;

	if (ipa >= vm->ram_size || size > vm->ram_size - ipa)
		return NULL;
	ptr = (void *)(vm->ram_pa + ipa);
	/*
	 * The guest may run with its MMU (and so its caches) off: drop any line
	 * the hypervisor holds for this range, so we read what is in memory.
	 */
	dcache_clean_invalidate_range(ptr, size);
	return ptr;
}

uint64_t vm_now_us(const struct vm *vm)
{
	return board_uptime_us() - vm->time_base_us;
}

/* The device models' window into the hypervisor (vdev/vdev_host.h). */

uint64_t vdev_now_us(struct vm *vm)
{
	return vm_now_us(vm);
}

void vdev_set_irq_line(struct vm *vm, unsigned int line, bool level)
{
	if (line >= 64)
		return;
	if (level)
		vm->devs.irq_lines |= 1UL << line;
	else
		vm->devs.irq_lines &= ~(1UL << line);
}

bool vdev_vtimer_line(struct vm *vm, unsigned int index)
{
	const struct vcpu *v;

	if (index >= vm->nr_vcpus)
		return false;
	v = &vm->vcpus[index];
	return vcpu_vtimer_line(v, v == sched_current());
}

void *vdev_guest_ptr(struct vm *vm, uint64_t ipa, uint64_t size)
{
	return vm_guest_ptr(vm, ipa, size);
}

void vdev_guest_sync(struct vm *vm, void *ptr, uint64_t size)
{
	(void)vm;
	dcache_clean_invalidate_range(ptr, size);
}

uint64_t vdev_ram_size(struct vm *vm)
{
	return vm->ram_size;
}

unsigned int vdev_vm_id(struct vm *vm)
{
	return vm->id;
}

const char *vdev_vm_name(struct vm *vm)
{
	return vm->name;
}
