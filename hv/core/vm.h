#pragma once
/*
 * A virtual machine: its RAM and stage-2 translation, its device models and
 * MMIO registry, its console buffers, counters, and its vCPUs.
 */
#include "arch/arm64/stage2.h"
#include "core/config.h"
#include "core/mmio.h"
#include "core/pcpu.h"
#include "core/storage.h"
#include "core/vcpu.h"
#include "lib/ringbuf.h"
#include "lib/spinlock.h"
#include "vdev/bcm2837/vdevs.h"
#include "vdev/virtio_blk.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define VM_MAX		    8 /* ids 1..8; 0 is the hypervisor shell */
#define VM_MAX_VCPUS	    4
#define VM_NAME_MAX	    16
#define VM_LOG_SIZE	    16384 /* detached output kept per VM */
#define VM_INPUT_SIZE	    1024  /* typed input waiting for the guest */
#define VM_DEFAULT_SLICE_US 10000
#define VM_MIN_RAM	    (2UL << 20)

enum vm_state {
	VM_EMPTY,   /* free slot */
	VM_RUNNING, /* its vCPUs are scheduled */
	VM_STOPPED, /* stopped by a fault or by the user; its log is kept */
	VM_LOADING, /* its RAM is being cleared and its files read (loader.c); not scheduled */
};

/* What the VM asked for, carried out by the scheduler outside the guest's trap. */
enum vm_request {
	VM_REQUEST_NONE,
	VM_REQUEST_RESTART,   /* reset: reload its files and start again */
	VM_REQUEST_POWER_OFF, /* stop, keeping memory and log */
};

struct vm {
	/*
	 * Its device models and the decisions that read them (docs/architecture.md,
	 * "Locks and their order"): taken by whichever core emulates an access,
	 * polls its timers or changes its state. First in the structure, with
	 * the device models right after the small fields: an MMIO trap reaches
	 * both with short offsets.
	 */
	struct spinlock lock;
	unsigned int id;
	char name[VM_NAME_MAX];
	enum vm_state state;
	enum vm_request request;
	unsigned int restarts;
	bool started;	   /* it has run since it was created or last reset */
	bool resumable;	   /* stopped by the user (vmstop): vmstart resumes it where it was */
	bool files_loaded; /* its RAM holds its files since it was created or last reset */
	char stop_reason[256];
	char image[CONFIG_PATH_MAX];
	char dtb[CONFIG_PATH_MAX];
	uint64_t dtb_addr; /* passed in x0 at entry (the arm64 boot protocol), 0 without a dtb */
	char initrd[CONFIG_PATH_MAX]; /* initial RAM disk, "" = none */
	uint64_t initrd_addr;
	uint64_t ram_pa; /* host-physical base of its RAM */
	uint64_t ram_size;
	uint64_t entry, load_addr;
	uint64_t vttbr; /* VTTBR_EL2: stage-2 tables and VMID */
	struct stage2_tables *s2;
	struct bcm2837_vdevs devs;
	struct mmio_bus mmio;
	struct storage_disk disk; /* disk=sd:N; partition 0 = none */
	struct vblk blk;	  /* its virtio-blk device, when it has a disk */
	uint64_t
	    time_base_us; /* board time when the VM was created: its system timer starts at 0 */
	uint64_t cntvoff; /* CNTVOFF_EL2: its virtual counter starts at 0 too */
	uint32_t slice_us;
	struct ringbuf input; /* console bytes typed for it */
	struct ringbuf log;   /* its output while detached */
	uint8_t input_storage[VM_INPUT_SIZE];
	uint8_t log_storage[VM_LOG_SIZE];
	uint32_t cpus; /* cores its vCPUs may be placed on (bit n: core n), from cpus= */
	/* Its device timers' next deadline and when one last fired (board time; sched.c). */
	uint64_t device_deadline_us, device_timer_fired_us;
	unsigned int nr_vcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
};

void vm_init_all(void);
/*
 * Creates a VM from a spec: a slot, RAM, stage-2 tables, device models,
 * vCPUs at their reset state; not started yet (stopped, "not started").
 * Its RAM still holds what a previous owner left: the load job clears it
 * (vm_clear_ram) before any file is read, and the VM cannot start before
 * its files are in. Returns it, or NULL with a message in err naming what
 * was wrong (bad values, no free slot, not enough memory).
 */
struct vm *vm_create(const struct vm_spec *spec, char *err, size_t err_size);
/*
 * Zeroes guest-physical [offset, offset + size) of the VM's RAM, cleaned to
 * the Point of Coherency (see vm.c, why).
 */
void vm_clear_ram(struct vm *vm, uint64_t offset, uint64_t size);
/*
 * Makes `size` bytes just written at guest-physical `ipa` visible to a guest
 * whose MMU and caches are still off (clean to the Point of Coherency) and
 * drops stale instructions.
 */
void vm_finish_load(struct vm *vm, uint64_t ipa, uint64_t size);
/* Starts vCPU 0 at the entry point, with x0 = the device tree address (or 0). */
void vm_start(struct vm *vm);
/*
 * Puts the VM back to its state right after vm_create: devices and vCPUs
 * reset, not running, a load in progress cancelled. Its files must be
 * loaded again (the load clears its RAM first). Its console log and
 * counters stay.
 */
void vm_reset(struct vm *vm);
/*
 * Frees everything the VM has (a load in progress is cancelled): its RAM
 * goes back to the pool and its slot and id are free.
 */
void vm_destroy(struct vm *vm);
/* Stops a VM and prints a one-line report with the reason. */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * The VM asks to be restarted or powered off (watchdog, PSCI): its vCPUs stop
 * at once, the scheduler carries the request out outside the current trap.
 */
void vm_request(struct vm *vm, enum vm_request request);
/* Stops a VM at the user's request; vm_resume continues it where it was. */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);
struct vm *vm_by_id(unsigned int id);
/* The slots; read through vm_slot (inline: the scheduler walks them on every pass). */
extern struct vm vm_table[VM_MAX];

/* Slot i (0..VM_MAX-1), whatever its state; NULL beyond. */
static inline struct vm *vm_slot(unsigned int i)
{
	return i < VM_MAX ? &vm_table[i] : NULL;
}

/* Host pointer for guest-physical [ipa, ipa + size) if it is all RAM, else NULL. */
void *vm_guest_ptr(struct vm *vm, uint64_t ipa, uint64_t size);
/* The VM's view of the 1 MHz system timer. */
uint64_t vm_now_us(const struct vm *vm);
/*
 * The VM's state in one word, the same wherever it is shown (vml, vmi, the
 * attach banner): "running" (a vCPU wants the core), "waiting" (every vCPU
 * that is on waits in WFI for an interrupt), "stopped".
 */
const char *vm_state_name(const struct vm *vm);
/* Every entry into the hypervisor from this VM: traps of every class, interrupts, faults. */
uint64_t vm_stats_exits(const struct vm_stats *st);
/* The VM's counters: the sum of its vCPUs' (each counts on its own core, without a lock). */
struct vm_stats vm_stats_total(const struct vm *vm);
/*
 * With vm->lock held, after its devices were used: if they say their
 * interrupt outputs may have changed, works out again what each vCPU's IRQ
 * input would be with its timer line low and high (vcpu.irq_inputs).
 * Returns 0 if they did not say so; otherwise VM_IRQ_INPUTS_LOOKED and bit n
 * for each vCPU n whose inputs are now different.
 */
#define VM_IRQ_INPUTS_LOOKED (1U << 31)
uint32_t vm_refresh_irq_inputs_locked(struct vm *vm);
/* vm->lock, counted on this core so that kicks made meanwhile are sent after it (sched.c). */
/* A core holds at most one VM's lock at a time (docs/architecture.md, the lock order). */
static inline void vm_lock(struct vm *vm)
{
	spin_lock(&vm->lock);
	this_pcpu()->holds_vm_lock = true;
}

void sched_send_deferred_ipis(void);

static inline void vm_unlock(struct vm *vm)
{
	struct pcpu *c = this_pcpu();

	spin_unlock(&vm->lock);
	c->holds_vm_lock = false;
	if (c->deferred_ipis)
		sched_send_deferred_ipis();
}

/*
 * With vm->lock held: whether a device model flagged that the interrupt
 * controllers' outputs may have changed since they were last worked out.
 * Most accesses flag nothing; checking inline spares them the call that
 * would find that out (sched_devices_changed_locked).
 */
static inline bool vm_irq_outputs_flagged(const struct vm *vm)
{
	return vm->devs.irq_changed;
}

/* The core that polls the VM's device timers: the one vCPU 0 is placed on. */
static inline unsigned int vm_device_core(const struct vm *vm)
{
	return vm->vcpus[0].pcpu;
}
