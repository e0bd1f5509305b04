#include "core/sched.h"
#include "arch/arm64/context.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "core/console.h"
#include "core/lifecycle.h"
#include "core/loader.h"
#include "core/sched_policy.h"
#include "core/vconsole.h"
#include "core/vdebug_hw.h"
#include "core/vm.h"

#include <stdbool.h>
#include <stddef.h>

#define SLOTS (VM_MAX * VM_MAX_VCPUS)
/* While the physical virtual-timer interrupt is masked, re-check this often. */
#define VTIMER_RECHECK_US 1000
/*
 * How long a vCPU may run "in its timer handler" (vtimer_taken) before its
 * timer line is presented again anyway: a safety net for a guest that never
 * unmasks IRQs or waits, long against any handler (one default time slice).
 */
#define VTIMER_TAKEN_MAX_US 10000

/* In vectors.S: switches to a fresh frame at the top of the stack and enters guests. */
void sched_enter_first(uint64_t stack_top) __attribute__((noreturn));
extern char boot_stacks[];
#define BOOT_STACK_SIZE 16384

/* Both read by the inline trap fast path in sched.h; written only here. */
struct vcpu *sched_running;
uint32_t sched_pending_work;
/*
 * The slot round robin last chose. Only round robin moves it: a vCPU that
 * runs out of turn because it just woke must not move it, or a vCPU whose
 * timer wakes it often would keep sending the turn back past a runnable
 * vCPU in the slot before it, which would never run.
 */
static int round_robin_slot = -1;
static uint64_t slice_end_us;
static uint64_t alarm_deadline_us = UINT64_MAX;
bool sched_vtimer_irq_masked;
/* The trap frame of the exception being handled: the current vCPU's live registers. */
static struct trap_frame *live_frame;

static struct vcpu *slot_vcpu(unsigned int slot)
{
	struct vm *vm = vm_slot(slot / VM_MAX_VCPUS);

	if (!vm || vm->state != VM_RUNNING || slot % VM_MAX_VCPUS >= vm->nr_vcpus)
		return NULL;
	return &vm->vcpus[slot % VM_MAX_VCPUS];
}

/*
 * The vCPUs of running VMs, VM by VM: the loops below visit only those
 * instead of asking about each of the SLOTS slots (most are empty).
 */
#define for_each_running_vcpu(vm_index, vm, v)                                                     \
	for (unsigned int vm_index = 0; vm_index < VM_MAX; vm_index++)                             \
		for (struct vm *vm = vm_slot(vm_index); vm && vm->state == VM_RUNNING; vm = NULL)  \
			for (struct vcpu *v = vm->vcpus; v < vm->vcpus + vm->nr_vcpus; v++)

static unsigned int vcpu_slot(const struct vcpu *v)
{
	return (v->vm->id - 1) * VM_MAX_VCPUS + v->index;
}

void sched_request(enum sched_work work)
{
	__atomic_fetch_or(&sched_pending_work, (uint32_t)work, __ATOMIC_RELEASE);
}

const struct trap_frame *sched_vcpu_regs(const struct vcpu *v)
{
	return v == sched_running && live_frame ? live_frame : &v->regs;
}

void sched_vm_started(struct vm *vm)
{
	(void)vm;
	sched_request(WORK_RESCHED);
}

void sched_vm_stopped(struct vm *vm)
{
	(void)vm;
	sched_request(WORK_RESCHED);
}

/*
 * Lazy FP/SIMD switching. The FP/SIMD registers hold fp_owner's values
 * (NULL: nobody's that matter). A switch to any other vCPU sets
 * CPTR_EL2.TFP, so that vCPU's first FP/SIMD instruction traps to EL2
 * (ESR_EL2.EC 0x07); only then are the registers swapped, and the
 * instruction runs again. A guest that uses no FP/SIMD before the next
 * switch costs nothing, and one that does pays one trap.
 */
static struct vcpu *fp_owner;

static void trap_fp_simd(bool trap)
{
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | (trap ? CPTR_EL2_TFP : 0));
}

void sched_fp_simd_access(void)
{
	/* The hypervisor's own save and restore would trap too: stop trapping first. */
	trap_fp_simd(false);
	isb();
	if (fp_owner == sched_running)
		return;
	if (fp_owner)
		fpsimd_save(&fp_owner->fp);
	fpsimd_restore(&sched_running->fp);
	fp_owner = sched_running;
}

void sched_forget_fp_simd(const struct vcpu *v)
{
	/* Its saved state was replaced (reset): the registers no longer hold it. */
	if (fp_owner == v)
		fp_owner = NULL;
}

/*
 * Lazy debug-register switching. The hardware breakpoints and watchpoints
 * hold debug_owner's values (NULL: all disabled). A switch touches them only
 * when the next vCPU has one enabled (load it) or the hardware still holds
 * someone's (disable them): VMs that never use debug pay one comparison.
 * The values themselves live in each vCPU's struct vdebug, which is all a
 * guest can reach (MDCR_EL2.TDA traps its accesses).
 */
static struct vcpu *debug_owner;

static void load_debug(struct vcpu *v, bool changed)
{
	if (v->debug.any_enabled) {
		if (debug_owner != v || changed) {
			vdebug_hw_load(&v->debug);
			debug_owner = v;
		}
	} else if (debug_owner) {
		vdebug_hw_disable();
		debug_owner = NULL;
	}
}

void sched_debug_changed(struct vcpu *v)
{
	load_debug(v, true);
}

void sched_forget_debug(const struct vcpu *v)
{
	if (debug_owner == v) {
		vdebug_hw_disable();
		debug_owner = NULL;
	}
}

static void save_current(struct trap_frame *frame, uint64_t now_us);

void sched_evict_vm(struct vm *vm)
{
	if (sched_running && sched_running->vm == vm) {
		save_current(live_frame, board_uptime_us());
		sched_running = NULL;
	}
	if (fp_owner && fp_owner->vm == vm)
		fp_owner = NULL;
	if (debug_owner && debug_owner->vm == vm)
		sched_forget_debug(debug_owner);
}

void sched_yield(void)
{
	slice_end_us = 0;
	sched_request(WORK_RESCHED);
}

/* The physical virtual-timer interrupt of the current vCPU: mask it until the guest handles it. */
static void vtimer_fired(void)
{
	board_vtimer_irq_enable(false);
	sched_vtimer_irq_masked = true;
	sched_request(WORK_VTIMER);
}

static void alarm_fired(void)
{
	sched_request(WORK_TIMER);
}

void sched_init(void)
{
	board_alarm_init(alarm_fired);
	board_vtimer_init(vtimer_fired);
	write_sysreg(vtcr_el2, stage2_vtcr());
	/* EL1 may read the physical counter; the physical timer stays the hypervisor's. */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(hcr_el2, HCR_GUEST);
	write_sysreg(mdcr_el2,
		     MDCR_EL2_GUEST | (PMCR_N(read_sysreg(pmcr_el0)) & MDCR_EL2_HPMN_MASK));
	vdebug_hw_init();
	/*
	 * MIDR_EL1 read at EL1 returns VPIDR_EL2, whose reset value is UNKNOWN:
	 * guests see the real core's identification (MPIDR_EL1 comes from
	 * VMPIDR_EL2, set per vCPU on every switch).
	 */
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	trap_fp_simd(true);
	isb();
}

/*
 * HCR_EL2.VI: the current vCPU sees an IRQ while its virtual IRQ input is
 * asserted — with one exception for its virtual timer. WFI completes without
 * trapping while VI is raised, and the guest lowers the timer's line by
 * writing CNTV_CVAL_EL0 or CNTV_CTL_EL0, which never trap (ARMv8.0 has no
 * trap for them; CNTHCTL_EL2.EL1TVT is ARMv8.6 FEAT_ECV). A VI still raised
 * for a line that fell would make every WFI return at once and interrupt
 * the guest for nothing. So once the guest has taken its timer interrupt —
 * read its IRQ source register and seen the timer (vdev_vtimer_taken), as
 * reading a GIC's IAR acknowledges an interrupt — VI does not present the
 * timer again until the guest runs with IRQs unmasked (`spsr`, the PSTATE it
 * resumes with, has I clear: its handler is over), waits in WFI
 * (trap_wfx), or the line fell — or it has run VTIMER_TAKEN_MAX_US since
 * (expire_vtimer_taken), so that a guest which does none of these still
 * gets a line that stays high. WFI itself always sees the real line.
 */
void sched_update_virq(uint64_t spsr)
{
	struct vcpu *v = sched_running;
	bool vtimer, pending;
	uint64_t hcr;

	if (!v)
		return;
	vtimer = vcpu_vtimer_line(v, true);
	if (v->vtimer_taken && (!vtimer || !(spsr & SPSR_I)))
		v->vtimer_taken = false;
	pending = bcm2837_vdevs_irq_pending(&v->vm->devs, v->index, vtimer && !v->vtimer_taken);
	hcr = pending ? (HCR_GUEST | HCR_VI) : HCR_GUEST;
	if (read_sysreg(hcr_el2) != hcr)
		write_sysreg(hcr_el2, hcr);
	/* Count each interrupt once: when the vCPU's IRQ input rises. */
	if (pending && !v->irq_line)
		v->vm->stats.virq++;
	v->irq_line = pending;
}

void sched_wake_vcpus(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (v != sched_running && v->state == VCPU_WAITING && vcpu_irq_pending(v, false))
			v->state = VCPU_RUNNABLE;
	}
}

/* Advances every VM's device timers; returns the earliest future device deadline (board time). */
static uint64_t poll_device_timers(void)
{
	uint64_t earliest = UINT64_MAX;

	for (unsigned int i = 0; i < VM_MAX; i++) {
		struct vm *vm = vm_slot(i);
		uint64_t next;

		if (vm->state != VM_RUNNING)
			continue;
		next = bcm2837_vdevs_poll_timers(&vm->devs, vm_now_us(vm));
		if (next != UINT64_MAX && next + vm->time_base_us < earliest)
			earliest = next + vm->time_base_us;
	}
	return earliest;
}

/* A waiting vCPU's virtual timer deadline in board time, or UINT64_MAX. */
static uint64_t vtimer_deadline(const struct vcpu *v, uint64_t now_us)
{
	uint64_t ctl = v->sys.cntv_ctl_el0, count, freq, ticks;

	if (v == sched_running || !(ctl & 1) || (ctl & 2))
		return UINT64_MAX;
	count = read_sysreg(cntpct_el0) - v->vm->cntvoff;
	if (v->sys.cntv_cval_el0 <= count)
		return now_us;
	freq = read_sysreg(cntfrq_el0);
	ticks = v->sys.cntv_cval_el0 - count;
	if (freq == 0 || ticks / freq > 3600)
		return now_us + 3600UL * 1000000;
	return now_us + ticks / freq * 1000000 + (ticks % freq) * 1000000 / freq + 1;
}

/*
 * WFI ends when the vCPU has an interrupt to take, even one PSTATE.I masks.
 * Returns one vCPU that just woke (NULL if none): it runs next, so that an
 * interrupt reaches a waiting guest without waiting for a busy guest's slice
 * to end. A guest cannot abuse this: only an interrupt wakes it.
 */
static struct vcpu *wake_waiting_vcpus(void)
{
	struct vcpu *woken = NULL;

	for_each_running_vcpu(i, vm, v)
	{
		if (v->state == VCPU_WAITING && vcpu_irq_pending(v, v == sched_running)) {
			v->state = VCPU_RUNNABLE;
			if (!woken)
				woken = v;
		}
	}
	return woken;
}

/*
 * The earliest virtual timer deadline among waiting vCPUs that are not on
 * the core (the one on the core has its timer live in hardware: its own
 * interrupt will come).
 */
static uint64_t waiting_vtimer_deadline(uint64_t now_us)
{
	uint64_t earliest = UINT64_MAX;

	for_each_running_vcpu(i, vm, v)
	{
		uint64_t deadline =
		    v->state == VCPU_WAITING ? vtimer_deadline(v, now_us) : UINT64_MAX;

		if (deadline < earliest)
			earliest = deadline;
	}
	return earliest;
}

static unsigned int runnable_slots(bool runnable[SLOTS])
{
	unsigned int count = 0;

	for (unsigned int slot = 0; slot < SLOTS; slot++)
		runnable[slot] = false;
	for_each_running_vcpu(i, vm, v)
	{
		runnable[vcpu_slot(v)] = v->state == VCPU_RUNNABLE;
		count += v->state == VCPU_RUNNABLE;
	}
	return count;
}

/*
 * Loading files (loader.h) has a turn of its own in the round robin, after
 * the last slot: when the round robin wraps round while a load waits, the
 * loader gets the core for a time slice (slice_end_us), then the round
 * robin goes on. With n busy vCPUs a load gets one turn in n + 1, and every
 * vCPU still gets its own. A vCPU that wakes runs out of turn as always; a
 * key for the shell is served; then the loader's turn goes on.
 */
static bool loader_had_turn; /* the round robin wrapped round to the loader last time */
static bool loader_turn;     /* the slice ending at slice_end_us is the loader's */

static bool loader_turn_goes_on(uint64_t now_us)
{
	if (loader_turn && (now_us >= slice_end_us || !loader_pending()))
		loader_turn = false;
	return loader_turn;
}

static bool loader_takes_turn(int slot, uint64_t now_us)
{
	if (slot > round_robin_slot || loader_had_turn || !loader_pending()) {
		loader_had_turn = false;
		return false;
	}
	loader_had_turn = true;
	loader_turn = true;
	slice_end_us = now_us + VM_DEFAULT_SLICE_US;
	return true;
}

/*
 * A vCPU that just woke goes first; otherwise the current vCPU keeps the
 * core until its slice ends, then the next runnable one in turn (or the
 * loader, NULL, in its turn).
 */
static struct vcpu *choose_next(uint64_t now_us, struct vcpu *woken, unsigned int *runnable_count)
{
	bool runnable[SLOTS];
	int slot;

	*runnable_count = runnable_slots(runnable);
	if (woken)
		return woken;
	if (loader_turn_goes_on(now_us))
		return NULL;
	if (sched_running && sched_running->state == VCPU_RUNNABLE &&
	    sched_running->vm->state == VM_RUNNING && now_us < slice_end_us)
		return sched_running;
	slot = sched_pick_round_robin(runnable, SLOTS, round_robin_slot);
	if (slot < 0 || loader_takes_turn(slot, now_us))
		return NULL;
	round_robin_slot = slot;
	return slot_vcpu((unsigned int)slot);
}

/* Saves the vCPU on the core: registers and EL1 state (its timer stops); FP/SIMD stays lazily. */
static void save_current(struct trap_frame *frame, uint64_t now_us)
{
	struct vcpu *prev = sched_running;

	if (frame)
		prev->regs = *frame;
	el1_sysregs_save(&prev->sys);
	(void)now_us; /* its CPU time was charged when the scheduler was entered */
}

static void switch_to(struct trap_frame *frame, struct vcpu *next, uint64_t now_us)
{
	if (sched_running)
		save_current(frame, now_us);
	*frame = next->regs;
	el1_sysregs_restore(&next->sys);
	trap_fp_simd(next != fp_owner);
	load_debug(next, false);
	write_sysreg(vttbr_el2, next->vm->vttbr);
	write_sysreg(cntvoff_el2, next->vm->cntvoff);
	/* MPIDR_EL1 as the guest reads it: uniprocessor bit clear, Aff0 = vCPU index. */
	write_sysreg(vmpidr_el2, (1UL << 31) | next->index);
	isb();
	sched_running = next;
}

/*
 * Charges the vCPU on the core for the time since it last got it. Called
 * when the scheduler's slow path is entered: what the hypervisor does from
 * there (shell commands, loading files, idling) is nobody's CPU time.
 */
static void account_current(uint64_t now_us)
{
	if (sched_running) {
		sched_running->cpu_time_us += now_us - sched_running->ran_since_us;
		sched_running->ran_since_us = now_us;
	}
}

/*
 * Nothing to run: sleep until an interrupt. IRQs are masked here (we are in
 * an exception handler); WFI still wakes on a pending one, and the brief
 * unmask lets its handler run through the EL2 IRQ vector.
 */
static void idle(void)
{
	if (!__atomic_load_n(&sched_pending_work, __ATOMIC_ACQUIRE))
		wfi();
	irq_unmask();
	isb();
	irq_mask();
}

/*
 * A guest that has run VTIMER_TAKEN_MAX_US "in its timer handler" is
 * presented its line again. Its own CPU time counts, not the clock: a vCPU
 * preempted in its handler for a whole round of other VMs' slices is still
 * in the handler when it comes back. Called after account_current().
 */
static void expire_vtimer_taken(void)
{
	struct vcpu *v = sched_running;

	if (v && v->vtimer_taken && v->cpu_time_us - v->vtimer_taken_cpu_us >= VTIMER_TAKEN_MAX_US)
		v->vtimer_taken = false;
}

/*
 * Nothing to run, or the loader's turn: load files for up to a time slice,
 * instead of sleeping. Interrupts are on, as for the shell: the steps stop
 * as soon as one asks for work (a key, an alarm), so the console is served
 * within one step.
 */
static bool run_loader(void)
{
	if (!loader_pending())
		return false;
	irq_unmask();
	loader_run(VM_DEFAULT_SLICE_US);
	irq_mask();
	return true;
}

static void recheck_vtimer(void)
{
	if (sched_vtimer_irq_masked && (!sched_running || !vcpu_vtimer_line(sched_running, true))) {
		sched_vtimer_irq_masked = false;
		board_vtimer_irq_enable(true);
	}
}

/* The next moment the scheduler must look again: a device timer, a vCPU timer, a slice end. */
static void program_alarm(uint64_t now_us, uint64_t device_deadline, unsigned int runnable)
{
	uint64_t deadline = device_deadline;
	uint64_t vtimer_next = waiting_vtimer_deadline(now_us);

	if (vtimer_next < deadline)
		deadline = vtimer_next;
	/* A waiting load is one more turn: the slice of a lone vCPU ends too. */
	if ((runnable > 1 || loader_pending()) && slice_end_us < deadline)
		deadline = slice_end_us;
	if (sched_vtimer_irq_masked && now_us + VTIMER_RECHECK_US < deadline)
		deadline = now_us + VTIMER_RECHECK_US;
	alarm_deadline_us = deadline;
	board_alarm_set(deadline);
}

/* The slow path: handle requested work, pick who runs, sleep if nobody can. */
static void reschedule(struct trap_frame *frame)
{
	struct vcpu *next, *woken;
	uint64_t now, deadline;
	unsigned int runnable;

	live_frame = frame;
	account_current(board_uptime_us());
	for (;;) {
		uint32_t work = __atomic_exchange_n(&sched_pending_work, 0, __ATOMIC_ACQUIRE);

		if (work & WORK_CONSOLE) {
			/* The shell may run a long command: keep taking interrupts meanwhile. */
			irq_unmask();
			vconsole_poll();
			irq_mask();
		}
		if (work & WORK_VM_REQUEST) {
			/* Restarts read files from the card: interrupts on, as for the shell. */
			irq_unmask();
			lifecycle_carry_out_requests();
			irq_mask();
		}
		now = board_uptime_us();
		deadline = poll_device_timers();
		woken = wake_waiting_vcpus();
		expire_vtimer_taken();
		recheck_vtimer();
		next = choose_next(now, woken, &runnable);
		if (next)
			break;
		program_alarm(now, deadline, runnable);
		if (!run_loader())
			idle();
	}
	if (next != sched_running) {
		switch_to(frame, next, now);
		slice_end_us = now + next->vm->slice_us;
		recheck_vtimer();
	} else if (now >= slice_end_us) {
		slice_end_us = now + next->vm->slice_us;
	}
	program_alarm(now, deadline, runnable);
	sched_running->ran_since_us = board_uptime_us();
}

/*
 * The running vCPU's virtual timer fired and nothing else was asked for:
 * raising its virtual IRQ (HCR_EL2.VI) is all there is to do, plus making
 * sure the scheduler looks again within VTIMER_RECHECK_US to unmask the
 * physical interrupt once the guest has handled it. The slow path would
 * come to the same result after scanning every VM.
 */
static bool vtimer_fast_path(void)
{
	uint64_t recheck;

	if (__atomic_load_n(&sched_pending_work, __ATOMIC_RELAXED) != WORK_VTIMER ||
	    !sched_running || sched_running->state != VCPU_RUNNABLE)
		return false;
	__atomic_and_fetch(&sched_pending_work, ~(uint32_t)WORK_VTIMER, __ATOMIC_ACQ_REL);
	recheck = board_uptime_us() + VTIMER_RECHECK_US;
	if (alarm_deadline_us > recheck) {
		alarm_deadline_us = recheck;
		board_alarm_set(recheck);
	}
	sched_update_virq(read_sysreg(spsr_el2));
	return true;
}

bool sched_resume_after_irq(void)
{
	return vtimer_fast_path() ||
	       (sched_can_resume_guest() && sched_running && sched_running->state == VCPU_RUNNABLE);
}

void sched_return_to_guest(struct trap_frame *frame)
{
	if (vtimer_fast_path())
		return;
	if (!sched_can_resume_guest() || !sched_running || sched_running->state != VCPU_RUNNABLE) {
		reschedule(frame);
		sched_update_virq(frame->spsr);
	}
}

/* Called from vectors.S on the fresh frame at the top of the stack. */
void sched_first_entry(struct trap_frame *frame);
void sched_first_entry(struct trap_frame *frame)
{
	sched_request(WORK_RESCHED);
	reschedule(frame);
	sched_update_virq(frame->spsr);
}

void sched_start(void)
{
	sched_enter_first((uint64_t)boot_stacks + BOOT_STACK_SIZE);
}

void sched_print_state(void)
{
	uint64_t now = board_uptime_us();

	hv_printf("scheduler: now %lu us; on the core: ", now);
	if (sched_running && now < slice_end_us)
		hv_printf("VM %u vCPU %u, slice ends in %lu us\n", sched_running->vm->id,
			  sched_running->index, slice_end_us - now);
	else if (sched_running)
		/* Alone on the core, a vCPU runs on past its slice: no alarm ends it, and the
		 * next reschedule renews it. */
		hv_printf("VM %u vCPU %u, slice over (it keeps the core until another vCPU is "
			  "runnable)\n",
			  sched_running->vm->id, sched_running->index);
	else
		hv_printf("nothing\n");
	if (alarm_deadline_us == UINT64_MAX)
		hv_printf("  alarm: none\n");
	else if (alarm_deadline_us > now)
		hv_printf("  alarm: in %lu us\n", alarm_deadline_us - now);
	else
		hv_printf("  alarm: due now\n");
	hv_printf("  pending work 0x%x; virtual timer interrupt %s\n", sched_pending_work,
		  sched_vtimer_irq_masked ? "masked (waiting for the guest)" : "enabled");
	for (unsigned int slot = 0; slot < SLOTS; slot++) {
		struct vcpu *v = slot_vcpu(slot);
		uint64_t deadline;

		if (!v)
			continue;
		deadline = v->state == VCPU_WAITING ? vtimer_deadline(v, now) : UINT64_MAX;
		hv_printf("  VM %u vCPU %u: %s, irq %s, CNTV_CTL 0x%lx", v->vm->id, v->index,
			  v->state == VCPU_RUNNABLE  ? "runnable"
			  : v->state == VCPU_WAITING ? "waiting"
						     : "off",
			  vcpu_irq_pending(v, v == sched_running) ? "pending" : "none",
			  v->sys.cntv_ctl_el0);
		if (deadline != UINT64_MAX && deadline > now)
			hv_printf(", timer due in %lu us", deadline - now);
		else if (deadline != UINT64_MAX)
			hv_printf(", timer due");
		hv_printf("\n");
	}
}
