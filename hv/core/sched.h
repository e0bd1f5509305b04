#pragma once
/*
 * The scheduler: one physical core shared by every runnable vCPU, round
 * robin, preempted by the hypervisor's alarm (a physical interrupt, taken to
 * EL2 whatever the guest's PSTATE.I says). vCPUs in WFI take no time; when
 * none is runnable the core sleeps in WFI at EL2.
 *
 * Every return to a guest passes through sched_return_to_guest(). Its fast
 * path costs a couple of loads: only when an interrupt handler or a trap
 * handler has asked for work (sched_request) does it do more.
 */
#include "arch/arm64/trap_frame.h"

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vm;

enum sched_work {
	WORK_TIMER = 1U << 0,	   /* the alarm fired: device timers, time slices */
	WORK_CONSOLE = 1U << 1,	   /* console input arrived */
	WORK_RESCHED = 1U << 2,	   /* a vCPU changed state (WFI, yield, start, stop) */
	WORK_VTIMER = 1U << 3,	   /* the running vCPU's virtual timer fired */
	WORK_VM_REQUEST = 1U << 4, /* a VM asked to be restarted or powered off */
};

void sched_init(void);
/* Asks for work on the next return to a guest (safe from interrupt handlers). */
void sched_request(enum sched_work work);
/* Never returns: enters the first runnable vCPU (or idles with the shell). */
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
void sched_yield(void);

/* The vCPU on the core (NULL while none is). Read inline: every trap asks. */
extern struct vcpu *sched_running;
/* Bits of enum sched_work not yet handled. */
extern uint32_t sched_pending_work;

static inline struct vcpu *sched_current(void)
{
	return sched_running;
}

/*
 * The scheduler's fast path: the running vCPU can simply be resumed — no
 * work was requested. Whatever takes the running vCPU out of
 * VCPU_RUNNABLE (WFI, a stop, a reset request) requests WORK_RESCHED, so
 * one load answers. False means the slow path (sched_return_to_guest, with
 * the complete frame) must run first. IRQs are masked in a trap handler and
 * there is one core: a plain load sees every request made so far.
 */
static inline bool sched_can_resume_guest(void)
{
	return !*(volatile const uint32_t *)&sched_pending_work;
}

/* A vCPU's registers as they are now (live in the trap frame for the one on the core). */
const struct trap_frame *sched_vcpu_regs(const struct vcpu *v);
void sched_vm_started(struct vm *vm);
/*
 * Takes the VM's vCPU off the core if it is there: its state is saved and
 * the next vCPU to run is loaded in full. Used before a VM is reset or
 * destroyed, so that nothing of it stays live in the hardware.
 */
void sched_evict_vm(struct vm *vm);
void sched_vm_stopped(struct vm *vm);
/* What the scheduler is doing, for the shell's `sched` command. */
void sched_print_state(void);
/*
 * Makes every waiting vCPU of the VM that now has an interrupt to take
 * runnable (after a device changed: an inter-processor interrupt wakes the
 * target vCPU from WFI). It gets the core in its turn.
 */
void sched_wake_vcpus(struct vm *vm);
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
/* The physical virtual-timer interrupt is masked at EL2 until the guest has handled it. */
extern bool sched_vtimer_irq_masked;

/*
 * After an emulated device access: re-evaluates HCR_EL2.VI if the devices
 * say their interrupt output may have changed. Inline: every access asks.
 */
static inline void sched_update_virq_after_access(bool irq_changed, uint64_t spsr)
{
	if (irq_changed)
		sched_update_virq(spsr);
}

/*
 * Before any trap returns to the guest: while the running vCPU's virtual
 * timer interrupt is masked at EL2 its line was high when last looked at,
 * and the guest may have lowered it since without a trap (a CNTV_CVAL_EL0
 * write): HCR_EL2.VI is made to match the line again, on every entry, as
 * KVM re-evaluates the timer's output on every entry. Otherwise nothing
 * can have moved the line unseen: one load.
 */
static inline void sched_update_virq_on_entry(uint64_t spsr)
{
	if (sched_vtimer_irq_masked)
		sched_update_virq(spsr);
}
