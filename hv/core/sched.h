#pragma once
/*
 * The scheduler, one per physical core: each core round-robins the vCPUs
 * placed on it (core/placement.c), preempted by its own alarm (a physical
 * interrupt, taken to EL2 whatever the guest's PSTATE.I says). vCPUs in WFI
 * take no time; when none is runnable the core sleeps in WFI at EL2. The
 * cores talk through work bits and a mailbox interrupt (sched_kick); see
 * docs/architecture.md, "All four cores".
 *
 * Every return to a guest passes through sched_return_to_guest(). Its fast
 * path costs a couple of loads: only when an interrupt handler or a trap
 * handler has asked for work (sched_request) does it do more.
 */
#include "arch/arm64/trap_frame.h"
#include "core/pcpu.h"

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vm;

enum sched_work {
	WORK_TIMER = 1U << 0,	   /* the alarm fired: device timers, time slices */
	WORK_CONSOLE = 1U << 1,	   /* console input arrived */
	WORK_RESCHED = 1U << 2,	   /* a vCPU changed state (WFI, yield, start, stop) */
	WORK_VTIMER = 1U << 3,	   /* the running vCPU's virtual timer fired */
	WORK_VM_REQUEST = 1U << 4, /* a VM asked to be restarted or powered off (core 0) */
	WORK_HALT = 1U << 5,	   /* another core crashed: stop at once */
	/* The alarm fired early, only to look at the masked virtual timer again. */
	WORK_VTIMER_RECHECK = 1U << 6,
	WORK_VECTORS = 1U << 7, /* load VBAR_EL2 again (trap_set_asm_answers) */
};

/* Once, on core 0: the state of every core and the interrupt handlers they share. */
void sched_init(void);
/* On each core as it comes up (core 0 too): TPIDR_EL2 and its EL2 guest configuration. */
void sched_init_core(unsigned int core);
/* Asks this core for work on its next return to a guest (safe from interrupt handlers). */
void sched_request(enum sched_work work);
/* Asks core `core` for work, interrupting it if it is another (a mailbox IPI). */
void sched_kick(unsigned int core, enum sched_work work);
/* Kicks every other core that has a vCPU of the VM placed on it. */
void sched_kick_vm_cores(struct vm *vm, enum sched_work work);
/* The same, and asks this core too (whether or not the VM has a vCPU here). */
void sched_kick_vm(struct vm *vm, enum sched_work work);
/* Never returns: enters the first runnable vCPU of this core (or idles). */
void sched_start(void) __attribute__((noreturn));
/*
 * After an interrupt from a guest: true when the running vCPU can be
 * resumed without the slow path (nothing requested, or only its virtual
 * timer fired, which this handles). False: call sched_return_to_guest.
 */
bool sched_resume_after_irq(void);
/* Called on every return to a guest, with the frame that will be restored. */
void sched_return_to_guest(struct trap_frame *frame);
/* Gives up the rest of the time slice. */
void sched_yield_current(void);
/*
 * The running vCPU v polls a device and nothing changes (vdev_guest_spinning):
 * it waits, like in WFI, until an interrupt, console input for its VM, one
 * of its VM's device timers, or SCHED_NAP_US — so that a poller alone on a
 * core does not keep the core (and, under QEMU, a host thread) busy.
 */
#define SCHED_NAP_US 1000
void sched_nap(struct vcpu *v);

/* The vCPU on this core (NULL while none is). Read inline: every trap asks. */
static inline struct vcpu *sched_current(void)
{
	return this_pcpu()->running;
}

/*
 * The scheduler's fast path: the running vCPU can simply be resumed — no
 * work was requested. Whatever takes the running vCPU out of
 * VCPU_RUNNABLE (WFI, a stop, a reset request) requests WORK_RESCHED, so
 * one load answers. False means the slow path (sched_return_to_guest, with
 * the complete frame) must run first. IRQs are masked in a trap handler: a
 * request from this core is seen by a plain load; one from another core
 * comes with its interrupt, taken before this guest runs again.
 */
static inline bool sched_can_resume_guest(void)
{
	return !*(volatile const uint32_t *)&this_pcpu()->pending_work;
}

/* A vCPU's CPU time so far, with the part since its core last charged it. */
uint64_t sched_vcpu_cpu_time_us(const struct vcpu *v);
/* A vCPU's registers as they are now (live in the trap frame for the one on the core). */
const struct trap_frame *sched_vcpu_regs(const struct vcpu *v);
void sched_vm_started(struct vm *vm);
/*
 * Called on core 0 once the VM is not VM_RUNNING: every core leaves its
 * vCPUs (registers, FP/SIMD and debug state saved into them) before this
 * returns. Used before a VM is reset or destroyed, so that nothing of it
 * stays live in any core's hardware.
 */
void sched_evict_vm(struct vm *vm);
void sched_vm_stopped(struct vm *vm);
/* What the scheduler is doing, for the shell's `sched` command. */
void sched_print_state(void);
/*
 * With vm->lock held, after the VM's devices were used: if their interrupt
 * outputs may have changed, the vCPUs' IRQ inputs are worked out again,
 * waiting vCPUs of this core that now have an interrupt to take become
 * runnable, and the cores of the VM's other vCPUs are kicked. True if
 * anything changed (then this core's running vCPU needs sched_update_virq).
 */
bool sched_devices_changed_locked(struct vm *vm);
/*
 * The running vCPU used FP/SIMD while CPTR_EL2.TFP trapped it (it is not
 * the owner of the registers): swap its state in; the instruction is run
 * again on return.
 */
void sched_fp_simd_access(void);
/* vCPU v's FP/SIMD state was reset: the registers no longer hold it. */
void sched_forget_fp_simd(const struct vcpu *v);
/* The running vCPU v changed its (emulated) breakpoints or watchpoints: load them again. */
void sched_debug_changed(struct vcpu *v);
/* vCPU v's debug state was reset: nothing of it may stay armed in the hardware. */
void sched_forget_debug(const struct vcpu *v);
/*
 * Re-evaluates the running vCPU's virtual IRQ input (HCR_EL2.VI) after a
 * device changed; spsr is the PSTATE the guest resumes with.
 */
void sched_update_virq(uint64_t spsr);

/*
 * sched_update_virq while the physical virtual-timer interrupt is masked:
 * the guest may have lowered its line since without a trap (a
 * CNTV_CVAL_EL0 write). If it did, the interrupt is unmasked again and the
 * alarm's re-check dropped, so a core whose guest traps after its timer
 * handler keeps no alarm for it.
 */
void sched_update_virq_masked(uint64_t spsr);

/*
 * Before any trap returns to the guest: while the running vCPU's virtual
 * timer interrupt is masked at EL2 its line was high when last looked at,
 * and the guest may have lowered it since without a trap: the interrupt
 * and HCR_EL2.VI are made to match the line again, on every entry, as KVM
 * re-evaluates the timer's output on every entry. Otherwise nothing can
 * have moved the line unseen: one load. guest_sync_c (vectors.S) makes
 * this check in assembly after every trap handled on the partial frame;
 * this is its C form.
 */
static inline void sched_update_virq_on_entry(uint64_t spsr)
{
	if (this_pcpu()->vtimer_irq_masked)
		sched_update_virq_masked(spsr);
}
