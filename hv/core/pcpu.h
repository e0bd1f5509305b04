#pragma once
/*
 * One physical core's own state: everything its scheduler and trap paths
 * keep, so that the four cores share nothing on their fast paths
 * (docs/architecture.md, "All four cores"). TPIDR_EL2 holds the address of
 * the core's struct pcpu from its first C instruction on: this_pcpu() is
 * one MRS.
 */
#include "arch/arm64/trap_frame.h"

#include <stdbool.h>
#include <stdint.h>

#define PCPU_MAX 4 /* the BCM2837's four Cortex-A53 cores */

struct vcpu;

struct pcpu {
	unsigned int id; /* MPIDR_EL1.Aff0 */
	bool online;	 /* came up and runs its scheduler */
	/* Written by other cores (sched_kick), atomically: enum sched_work bits. */
	uint32_t pending_work;
	struct vcpu *running;	       /* the vCPU on the core, NULL while none is */
	struct trap_frame *live_frame; /* the frame of the exception being handled */
	bool frame_complete;	       /* trap.c: the frame holds x20-x29 too */
	bool vtimer_irq_masked;	       /* the CNTV interrupt is masked until the guest handles it */
	int round_robin_slot;	       /* the slot round robin last chose */
	uint64_t slice_end_us;
	/*
	 * The alarm (CNTHP) as programmed, and the deadline the scheduler
	 * wants (device timers, waiting vCPUs' timers, the slice's end): the
	 * alarm is earlier only while a virtual-timer re-check is armed.
	 */
	uint64_t alarm_deadline_us;
	uint64_t alarm_plan_us;
	struct vcpu *fp_owner;	  /* whose values the FP/SIMD registers hold */
	struct vcpu *debug_owner; /* whose breakpoints/watchpoints are armed */
	unsigned int placed;	  /* vCPUs placed here (core/placement.c) */
	/*
	 * Passes through its scheduler's loop. A pass that begins after a VM
	 * was marked stopped no longer looks at it: core 0 waits for one
	 * before it frees or resets the VM (sched_evict_vm).
	 */
	uint32_t passes;
	/*
	 * Whether this core holds a VM's lock (never two at once), and the
	 * cores it must still interrupt: a kick made under a VM lock sends its
	 * IPI when the lock is let go (vm_unlock), so no lock is held across a
	 * device write (under QEMU, one that waits for its big lock).
	 */
	bool holds_vm_lock;
	uint32_t deferred_ipis;
	uint64_t kicks_received;
	uint64_t idle_us; /* time spent asleep in WFI */
};

extern struct pcpu pcpus[PCPU_MAX];

/*
 * Not volatile: TPIDR_EL2 never changes once the core is up, so the
 * compiler may keep the pointer in a register across a function.
 */
static inline struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	__asm__("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

static inline struct pcpu *pcpu_of(unsigned int core)
{
	return core < PCPU_MAX ? &pcpus[core] : 0;
}

/* Cores that came up, as a bit mask (bit n: core n). */
uint32_t pcpu_online_mask(void);
