#include "core/vm.h"
#include "arch/arm64/cache.h"
#include "arch/arm64/sysreg.h"
#include "arch/arm64/tlb.h"
#include "board/board.h"
#include "core/console.h"
#include "core/loader.h"
#include "core/mm.h"
#include "core/placement.h"
#include "core/sched.h"
#include "core/vconsole.h"
#include "lib/printf.h"
#include "lib/string.h"

struct vm vm_table[VM_MAX];
static struct stage2_tables stage2_storage[VM_MAX] __attribute__((section(".pagetables")));

_Static_assert(VCPU_IRQ_WITHOUT_VTIMER == VLOCAL_IRQ_WITHOUT_VTIMER &&
		   VCPU_IRQ_WITH_VTIMER == VLOCAL_IRQ_WITH_VTIMER,
	       "irq_inputs holds the local controller's answer as it is");

uint32_t vm_refresh_irq_inputs_locked(struct vm *vm)
{
	uint32_t changed = 0;

	if (!bcm2837_vdevs_take_irq_change(&vm->devs))
		return 0;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		uint8_t inputs = bcm2837_vdevs_irq_inputs(&vm->devs, i);

		if (inputs != vm->vcpus[i].irq_inputs)
			changed |= 1U << i;
		__atomic_store_n(&vm->vcpus[i].irq_inputs, inputs, __ATOMIC_RELEASE);
	}
	return changed | VM_IRQ_INPUTS_LOOKED;
}

void vm_init_all(void)
{
	for (unsigned int i = 0; i < VM_MAX; i++) {
		vm_table[i].id = i + 1;
		vm_table[i].state = VM_EMPTY;
	}
}

struct vm_stats vm_stats_total(const struct vm *vm)
{
	struct vm_stats total;
	uint64_t *sum = (uint64_t *)&total;

	memset(&total, 0, sizeof(total));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const uint64_t *part = (const uint64_t *)&vm->vcpus[i].stats;

		for (size_t n = 0; n < sizeof(total) / sizeof(uint64_t); n++)
			sum[n] += part[n];
	}
	return total;
}

uint64_t vm_stats_exits(const struct vm_stats *st)
{
	uint64_t exits = st->irq_exits + st->faults;

	for (unsigned int ec = 0; ec < VM_TRAP_CLASSES; ec++)
		exits += st->traps[ec];
	return exits;
}

struct vm *vm_by_id(unsigned int id)
{
	if (id == 0 || id > VM_MAX || vm_table[id - 1].state == VM_EMPTY)
		return NULL;
	return &vm_table[id - 1];
}

static bool any_vcpu_runnable(const struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].state == VCPU_RUNNABLE)
			return true;
	}
	return false;
}

const char *vm_state_name(const struct vm *vm)
{
	switch (vm->state) {
	case VM_RUNNING:
		return any_vcpu_runnable(vm) ? "running" : "waiting";
	case VM_STOPPED:
		return "stopped";
	case VM_LOADING:
		return "loading";
	default:
		return "empty";
	}
}

static struct vm *free_slot(void)
{
	for (unsigned int i = 0; i < VM_MAX; i++) {
		if (vm_table[i].state == VM_EMPTY)
			return &vm_table[i];
	}
	return NULL;
}

/*
 * Fresh RAM holds nothing of a previous owner. Clean and invalidate it to
 * the Point of Coherency: the guest starts with its MMU (and caches) off, and
 * no stale clean line may later shadow what the guest writes. The load job
 * calls this a piece at a time (clearing 256 MiB takes about a second in
 * QEMU).
 */
void vm_clear_ram(struct vm *vm, uint64_t offset, uint64_t size)
{
	void *ram = (void *)(vm->ram_pa + offset);

	if (offset >= vm->ram_size || size > vm->ram_size - offset)
		return;
	if (!dcache_zero_range(ram, size))
		memset(ram, 0, size);
	dcache_clean_invalidate_range(ram, size);
}

void vm_finish_load(struct vm *vm, uint64_t ipa, uint64_t size)
{
	void *ptr = vm_guest_ptr(vm, ipa, size);

	if (ptr) {
		dcache_clean_invalidate_range(ptr, size);
		icache_invalidate_all();
	}
}

/* The virtio-blk device over the VM's partition (core/storage.c checks every sector). */
static void init_disk_device(struct vm *vm)
{
	struct vblk_backend backend = {
	    .sectors = vm->disk.blocks,
	    .read_only = vm->disk.read_only,
	    .read = storage_disk_read,
	    .write = storage_disk_write,
	    .flush = storage_disk_flush,
	    .ctx = &vm->disk,
	};
	const struct mmio_region region = {.name = "virtio-blk",
					   .base = VBLK_BASE,
					   .size = VBLK_SIZE,
					   .read = vblk_read,
					   .write = vblk_write,
					   .opaque = &vm->blk};

	fmt_snprintf(backend.id, sizeof(backend.id), "avisor-sd%u", vm->disk.partition);
	vblk_init(&vm->blk, vm, &backend);
	(void)mmio_register(&vm->mmio, &region);
}

static void init_devices(struct vm *vm)
{
	mmio_bus_init(&vm->mmio);
	bcm2837_vdevs_init(&vm->devs, vm);
	(void)bcm2837_vdevs_register(&vm->devs, &vm->mmio);
	if (vm->disk.partition)
		init_disk_device(vm);
}

/*
 * A partition is one VM's writable disk, or any number of VMs' read-only
 * disk: two writers (or a writer and a reader) would each cache the file
 * system and corrupt it.
 */
static bool disk_conflict(const struct disk_spec *want, char *err, size_t err_size)
{
	for (unsigned int i = 0; i < VM_MAX; i++) {
		const struct vm *other = &vm_table[i];

		if (other->state == VM_EMPTY || other->disk.partition != want->partition)
			continue;
		if (!want->read_only || !other->disk.read_only) {
			fmt_snprintf(err, err_size,
				     "disk sd:%u is already the disk of VM %u (%s)%s; a partition "
				     "can be one VM's writable disk or several VMs' read-only disk",
				     want->partition, other->id, other->name,
				     other->disk.read_only ? " read-only" : ", writable");
			return true;
		}
	}
	return false;
}

static bool open_disk(const struct vm_spec *spec, struct storage_disk *disk, char *err,
		      size_t err_size)
{
	*disk = (struct storage_disk){0};
	if (spec->disk.kind == DISK_NONE)
		return true;
	if (disk_conflict(&spec->disk, err, err_size))
		return false;
	return storage_disk_open(disk, spec->disk.partition, spec->disk.read_only, err, err_size);
}

/* Every vCPU at its reset state, off; each keeps the core it is placed on. */
static void init_vcpus(struct vm *vm, unsigned int count)
{
	vm->nr_vcpus = count;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		unsigned int pcpu = v->pcpu;

		memset(v, 0, sizeof(*v));
		v->vm = vm;
		v->index = i;
		v->pcpu = pcpu;
		vcpu_reset(v, vm->entry, vm->dtb_addr);
		v->state = VCPU_OFF;
	}
}

static void fill_from_spec(struct vm *vm, const struct vm_spec *spec)
{
	unsigned int id = vm->id;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	strlcpy(vm->name, spec->name, sizeof(vm->name));
	strlcpy(vm->image, spec->image, sizeof(vm->image));
	strlcpy(vm->dtb, spec->dtb, sizeof(vm->dtb));
	vm->dtb_addr = spec->dtb[0] ? spec->dtb_addr : 0;
	strlcpy(vm->initrd, spec->initrd, sizeof(vm->initrd));
	vm->initrd_addr = spec->initrd[0] ? spec->initrd_addr : 0;
	vm->ram_size = spec->ram_size;
	vm->load_addr = spec->load_addr;
	vm->entry = spec->entry;
	vm->slice_us = spec->slice_ms ? spec->slice_ms * 1000 : VM_DEFAULT_SLICE_US;
	ringbuf_init(&vm->input, vm->input_storage, sizeof(vm->input_storage));
	ringbuf_init(&vm->log, vm->log_storage, sizeof(vm->log_storage));
}

struct vm *vm_create(const struct vm_spec *spec, char *err, size_t err_size)
{
	struct storage_disk disk;
	struct vm *vm;
	uint64_t ram;

	if (!config_check_spec(spec, err, err_size) || !open_disk(spec, &disk, err, err_size))
		return NULL;
	vm = free_slot();
	if (!vm) {
		fmt_snprintf(err, err_size, "no free VM slot (at most %d VMs)", VM_MAX);
		return NULL;
	}
	ram = mm_alloc_vm_ram(spec->ram_size);
	if (!ram) {
		fmt_snprintf(err, err_size, "not enough free memory for %s (largest free %s)",
			     SIZE_TEXT(spec->ram_size), SIZE_TEXT(block_largest_free(mm_pool())));
		return NULL;
	}

	fill_from_spec(vm, spec);
	vm->disk = disk;
	vm->ram_pa = ram;
	vm->s2 = &stage2_storage[vm->id - 1];
	(void)stage2_build(vm->s2, (uint64_t)vm->s2, vm->ram_pa, vm->ram_size);
	vm->vttbr = stage2_vttbr((uint64_t)vm->s2, (uint16_t)vm->id);
	tlb_flush_vmid(vm->vttbr);
	init_devices(vm);
	init_vcpus(vm, spec->vcpus ? spec->vcpus : 1);
	if (!placement_place_vm(vm, spec->cpus, err, err_size)) {
		mm_free_vm_ram(vm->ram_pa, vm->ram_size);
		memset(vm, 0, sizeof(*vm));
		vm->id = (unsigned int)(vm - vm_table) + 1;
		return NULL;
	}
	vm->state = VM_STOPPED;
	strlcpy(vm->stop_reason, "not started", sizeof(vm->stop_reason));
	return vm;
}

/*
 * Marks the VM stopped under its lock and has every core leave it: after
 * this, no core runs its vCPUs or looks at its devices (sched_evict_vm).
 */
static void stop_everywhere(struct vm *vm)
{
	vm_lock(vm);
	if (vm->state == VM_RUNNING)
		vm->state = VM_STOPPED;
	vm_unlock(vm);
	sched_evict_vm(vm);
}

void vm_reset(struct vm *vm)
{
	loader_cancel(vm);
	stop_everywhere(vm);
	tlb_flush_vmid(vm->vttbr);
	init_devices(vm);
	/* A reset VM starts counting from zero, like a new one: its vCPUs' CPU time
	 * (init_vcpus) and the device counters (init_devices) are zero again too. */
	init_vcpus(vm, vm->nr_vcpus);
	vm->request = VM_REQUEST_NONE;
	vm->state = VM_STOPPED;
	vm->started = false;
	vm->resumable = false;
	vm->files_loaded = false;
	strlcpy(vm->stop_reason, "not started", sizeof(vm->stop_reason));
}

/*
 * The VM's system timer (1 MHz) and its virtual counter (CNTVOFF_EL2) start
 * together, on the edge of a system timer microsecond, so that when the
 * VM's timer reads C its counter reads C * CNTFRQ / 1 MHz (to within the
 * few instructions between the two reads below). A guest can then convert a
 * system timer compare value into counter ticks, as make bench does to time
 * interrupt latency. Waiting for the edge costs at most 1 us.
 */
static void start_clocks(struct vm *vm)
{
	uint64_t before = board_uptime_us(), now;

	do {
		now = board_uptime_us();
	} while (now == before);
	vm->cntvoff = read_sysreg(cntpct_el0);
	vm->time_base_us = now;
}

void vm_start(struct vm *vm)
{
	start_clocks(vm);
	vm->stop_reason[0] = '\0';
	vm_lock(vm);
	vm->devs.irq_changed = true;
	(void)vm_refresh_irq_inputs_locked(vm);
	vm->device_deadline_us = 0; /* its device timers are polled at once */
	vm->vcpus[0].state = VCPU_RUNNABLE;
	vm->state = VM_RUNNING;
	vm_unlock(vm);
	vm->started = true;
	vm->resumable = false;
	sched_vm_started(vm);
}

/*
 * The vCPUs keep their states (which are on, which are off): the scheduler
 * never runs a vCPU of a VM that is not VM_RUNNING, and vm_resume needs to
 * know which of them to continue. Returns once every core has left the VM
 * (and charged its CPU time): when vmstop says "stopped", it is — its CPU
 * time no longer moves.
 */
void vm_pause(struct vm *vm)
{
	vm_lock(vm);
	vm->state = VM_STOPPED;
	vm_unlock(vm);
	vm->resumable = true;
	strlcpy(vm->stop_reason, "stopped by the user (vmstart resumes it)",
		sizeof(vm->stop_reason));
	sched_evict_vm(vm);
}

/*
 * Its vCPUs continue from their saved state. A vCPU that was in WFI resumes
 * after it: a spurious wake-up, which the architecture allows.
 */
void vm_resume(struct vm *vm)
{
	/* Every core left it when it stopped (vm_pause waited): its vCPUs are nobody's. */
	sched_evict_vm(vm);
	vm_lock(vm);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].state == VCPU_WAITING)
			vm->vcpus[i].state = VCPU_RUNNABLE;
		vm->vcpus[i].nap_until_us = 0;
	}
	vm->device_deadline_us = 0; /* its device timers are polled at once */
	vm->state = VM_RUNNING;
	vm_unlock(vm);
	vm->resumable = false;
	vm->stop_reason[0] = '\0';
	sched_vm_started(vm);
}

void vm_destroy(struct vm *vm)
{
	unsigned int id = vm->id;

	if (vm->state == VM_EMPTY)
		return;
	loader_cancel(vm);
	if (vconsole_attached() == vm)
		(void)vconsole_attach(0);
	stop_everywhere(vm);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = VCPU_OFF;
	/* No core holds a translation of its VMID once its memory goes to the next VM. */
	tlb_flush_vmid(vm->vttbr);
	placement_release_vm(vm);
	vm->state = VM_EMPTY;
	mm_free_vm_ram(vm->ram_pa, vm->ram_size);
	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->state = VM_EMPTY;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_lock(vm);
	fmt_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = VCPU_OFF;
	vm->state = VM_STOPPED;
	vm->resumable = false;
	vm_unlock(vm);
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

/* Modulo 2^32 the low half of a difference depends only on the low halves. */
uint32_t vdev_now_us_low(struct vm *vm)
{
	return board_uptime_us_low() - (uint32_t)vm->time_base_us;
}

uint64_t vdev_ticks(void)
{
	return board_ticks();
}

uint64_t vdev_ticks_in_us(uint64_t us)
{
	return board_ticks_in_us(us);
}

uint64_t vdev_now_us_at_ticks(struct vm *vm, uint64_t ticks)
{
	return board_uptime_us_at_ticks(ticks) - vm->time_base_us;
}

/* Only a real change of level makes the scheduler look at HCR_EL2.VI again. */
void vdev_set_irq_line(struct vm *vm, unsigned int line, bool level)
{
	uint64_t lines = vm->devs.irq_lines;

	if (line >= 64)
		return;
	if (level)
		lines |= 1UL << line;
	else
		lines &= ~(1UL << line);
	if (lines != vm->devs.irq_lines) {
		vm->devs.irq_lines = lines;
		vm->devs.irq_changed = true;
	}
}

void vdev_timer_armed(struct vm *vm)
{
	/* The scheduler of the VM's device core polls its timers and reprograms its alarm. */
	sched_kick(vm_device_core(vm), WORK_TIMER);
}

void vdev_guest_spinning(struct vm *vm)
{
	struct vcpu *v = sched_current();

	if (v && v->vm == vm)
		sched_nap(v);
}

/*
 * Called from a trap of the VM (PSCI) or from its device models (with
 * vm->lock held): it does not take the lock. Its vCPUs stop now; core 0
 * carries the request out outside this trap.
 */
void vm_request(struct vm *vm, enum vm_request request)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = VCPU_OFF;
	vm->request = request;
	sched_request(WORK_RESCHED);
	sched_kick_vm_cores(vm, WORK_RESCHED);
	sched_kick(0, WORK_VM_REQUEST);
}

void vdev_request_reset(struct vm *vm, bool power_off)
{
	vm_request(vm, power_off ? VM_REQUEST_POWER_OFF : VM_REQUEST_RESTART);
}

bool vdev_vtimer_line(struct vm *vm, unsigned int index)
{
	const struct vcpu *v;

	if (index >= vm->nr_vcpus)
		return false;
	v = &vm->vcpus[index];
	return vcpu_vtimer_line(v, v == sched_current());
}

void vdev_vtimer_taken(struct vm *vm, unsigned int index)
{
	struct vcpu *v = sched_current();

	/* Only the vCPU reading its own source register acknowledges its own timer. */
	if (v && v->vm == vm && v->index == index) {
		v->vtimer_taken = true;
		v->vtimer_taken_cpu_us = v->cpu_time_us + (board_uptime_us() - v->ran_since_us);
	}
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
