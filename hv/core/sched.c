#include "core/sched.h"
#include "arch/arm64/context.h"
#include "arch/arm64/exception.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "core/console.h"
#include "core/lifecycle.h"
#include "core/loader.h"
#include "core/sched_policy.h"
#include "core/vconsole.h"
#include "core/vdebug_hw.h"
#include "core/trap.h"
#include "core/vm.h"
#include "lib/atomic.h"

#include <stdbool.h>
#include <stddef.h>

#define SLOTS (VM_MAX * VM_MAX_VCPUS)
_Static_assert(SLOTS <= 32, "the round robin keeps one bit a slot");
/*
 * While the physical virtual-timer interrupt is masked and the guest takes
 * no trap, look at its line again this often (arm_vtimer_recheck).
 */
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

/*
 * Every core's scheduler state (core/pcpu.h). A core's scheduler reads and
 * writes only its own entry, through this_pcpu(); other cores only OR work
 * bits into pending_work (sched_kick) and, on core 0, read running and the
 * owners to know when a core has left a VM (sched_evict_vm).
 *
 * round_robin_slot is the slot round robin last chose. Only round robin
 * moves it: a vCPU that runs out of turn because it just woke must not move
 * it, or a vCPU whose timer wakes it often would keep sending the turn back
 * past a runnable vCPU in the slot before it, which would never run.
 */
struct pcpu pcpus[PCPU_MAX];

uint32_t pcpu_online_mask(void)
{
	uint32_t mask = 0;

	for (unsigned int core = 0; core < PCPU_MAX; core++)
		if (__atomic_load_n(&pcpus[core].online, __ATOMIC_ACQUIRE))
			mask |= 1U << core;
	return mask;
}

/* A vCPU of a running VM placed on this core, or NULL. */
static struct vcpu *slot_vcpu(unsigned int slot)
{
	struct vm *vm = vm_slot(slot / VM_MAX_VCPUS);
	struct vcpu *v;

	if (!vm || vm->state != VM_RUNNING || slot % VM_MAX_VCPUS >= vm->nr_vcpus)
		return NULL;
	v = &vm->vcpus[slot % VM_MAX_VCPUS];
	return v->pcpu == this_pcpu()->id ? v : NULL;
}

/*
 * The vCPUs of running VMs placed on this core, VM by VM: the loops below
 * visit only those instead of asking about each of the SLOTS slots (most
 * are empty).
 */
#define for_each_running_vcpu(vm_index, vm, v)                                                     \
	for (unsigned int vm_index = 0; vm_index < VM_MAX; vm_index++)                             \
		for (struct vm *vm = vm_slot(vm_index); vm && vm->state == VM_RUNNING; vm = NULL)  \
			for (struct vcpu *v = vm->vcpus; v < vm->vcpus + vm->nr_vcpus; v++)        \
				if (v->pcpu == this_pcpu()->id)

static unsigned int vcpu_slot(const struct vcpu *v)
{
	return (v->vm->id - 1) * VM_MAX_VCPUS + v->index;
}

void sched_request(enum sched_work work)
{
	(void)atomic_fetch_or_release32(&this_pcpu()->pending_work, (uint32_t)work);
}

/*
 * Work for another core: the bits are ORed into its pending work (release:
 * whatever this core wrote before is visible to it once it sees them), then
 * its mailbox 0 interrupts it. If it had all the bits already, it has not
 * handled them yet and will see what was written before: no interrupt.
 */
void sched_kick(unsigned int core, enum sched_work work)
{
	struct pcpu *target = pcpu_of(core);
	uint32_t old;

	if (!target || target == this_pcpu()) {
		sched_request(work);
		return;
	}
	if (!__atomic_load_n(&target->online, __ATOMIC_ACQUIRE))
		return;
	old = atomic_fetch_or_release32(&target->pending_work, (uint32_t)work);
	if ((old & (uint32_t)work) == (uint32_t)work)
		return;
	if (this_pcpu()->holds_vm_lock)
		this_pcpu()->deferred_ipis |= 1U << core;
	else
		board_ipi_send(core);
}

void sched_send_deferred_ipis(void)
{
	struct pcpu *c = this_pcpu();
	uint32_t cores = c->deferred_ipis;

	c->deferred_ipis = 0;
	for (unsigned int core = 0; core < PCPU_MAX; core++)
		if (cores & (1U << core))
			board_ipi_send(core);
}

/* Kicks every core other than this one that has a vCPU of the VM placed on it. */
void sched_kick_vm_cores(struct vm *vm, enum sched_work work)
{
	uint32_t cores = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		cores |= 1U << vm->vcpus[i].pcpu;
	cores &= ~(1U << this_pcpu()->id);
	for (unsigned int core = 0; core < PCPU_MAX; core++)
		if (cores & (1U << core))
			sched_kick(core, work);
}

uint64_t sched_vcpu_cpu_time_us(const struct vcpu *v)
{
	const struct vcpu *on_core = __atomic_load_n(&pcpus[v->pcpu].running, __ATOMIC_ACQUIRE);
	uint64_t since = v->ran_since_us, now = board_uptime_us();

	/* Charged when its core reschedules; one alone on its core may not for long. */
	if (on_core == v && v->state == VCPU_RUNNABLE && now > since)
		return v->cpu_time_us + (now - since);
	return v->cpu_time_us;
}

const struct trap_frame *sched_vcpu_regs(const struct vcpu *v)
{
	struct pcpu *c = this_pcpu();

	return v == c->running && c->live_frame ? c->live_frame : &v->regs;
}

void sched_kick_vm(struct vm *vm, enum sched_work work)
{
	sched_request(work);
	sched_kick_vm_cores(vm, work);
}

void sched_vm_started(struct vm *vm)
{
	sched_kick_vm(vm, WORK_RESCHED);
}

void sched_vm_stopped(struct vm *vm)
{
	sched_kick_vm(vm, WORK_RESCHED);
}

/*
 * Lazy FP/SIMD switching. The FP/SIMD registers hold this_pcpu()->fp_owner's values
 * (NULL: nobody's that matter). A switch to any other vCPU sets
 * CPTR_EL2.TFP, so that vCPU's first FP/SIMD instruction traps to EL2
 * (ESR_EL2.EC 0x07); only then are the registers swapped, and the
 * instruction runs again. A guest that uses no FP/SIMD before the next
 * switch costs nothing, and one that does pays one trap.
 */

static void trap_fp_simd(bool trap)
{
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | (trap ? CPTR_EL2_TFP : 0));
}

void sched_fp_simd_access(void)
{
	struct pcpu *c = this_pcpu();

	/* The hypervisor's own save and restore would trap too: stop trapping first. */
	trap_fp_simd(false);
	isb();
	if (c->fp_owner == c->running)
		return;
	if (c->fp_owner)
		fpsimd_save(&c->fp_owner->fp);
	fpsimd_restore(&c->running->fp);
	c->fp_owner = c->running;
}

/*
 * Its saved state was replaced (reset): the registers no longer hold it.
 * Only the vCPU's own core can hold it, and a vCPU is reset by another core
 * only while it is off or its VM has been evicted, when no core does.
 */
void sched_forget_fp_simd(const struct vcpu *v)
{
	struct pcpu *c = this_pcpu();

	if (c->fp_owner == v)
		c->fp_owner = NULL;
}

/*
 * Lazy debug-register switching. The hardware breakpoints and watchpoints
 * hold debug_owner's values (NULL: all disabled). A switch touches them only
 * when the next vCPU has one enabled (load it) or the hardware still holds
 * someone's (disable them): VMs that never use debug pay one comparison.
 * The values themselves live in each vCPU's struct vdebug, which is all a
 * guest can reach (MDCR_EL2.TDA traps its accesses).
 */
static void load_debug(struct vcpu *v, bool changed)
{
	struct pcpu *c = this_pcpu();

	if (v->debug.any_enabled) {
		if (c->debug_owner != v || changed) {
			vdebug_hw_load(&v->debug);
			c->debug_owner = v;
		}
	} else if (c->debug_owner) {
		vdebug_hw_disable();
		c->debug_owner = NULL;
	}
}

void sched_debug_changed(struct vcpu *v)
{
	load_debug(v, true);
}

void sched_forget_debug(const struct vcpu *v)
{
	struct pcpu *c = this_pcpu();

	if (c->debug_owner == v) {
		vdebug_hw_disable();
		c->debug_owner = NULL;
	}
}

static void save_current(struct trap_frame *frame);

/* Whether vCPU v may stay live on its core: its VM runs and it is on. */
static bool vcpu_may_stay(const struct vcpu *v)
{
	return v->vm->state == VM_RUNNING && v->state != VCPU_OFF;
}

/*
 * Leaves every vCPU this core holds that may not stay (its VM was stopped,
 * reset or destroyed by another core, or it turned itself off): its
 * registers are saved into it, its FP/SIMD values too (a stopped VM may be
 * resumed), its breakpoints disarmed. The stores of the owners are
 * releases: core 0, waiting in sched_evict_vm, reads them with acquire and
 * then finds everything saved.
 */
static void leave_stopped_vcpus(void)
{
	struct pcpu *c = this_pcpu();

	if (c->running && !vcpu_may_stay(c->running)) {
		save_current(c->live_frame);
		__atomic_store_n(&c->running, NULL, __ATOMIC_RELEASE);
	}
	if (c->fp_owner && !vcpu_may_stay(c->fp_owner)) {
		trap_fp_simd(false);
		isb();
		fpsimd_save(&c->fp_owner->fp);
		__atomic_store_n(&c->fp_owner, NULL, __ATOMIC_RELEASE);
		trap_fp_simd(true);
	}
	if (c->debug_owner && !vcpu_may_stay(c->debug_owner)) {
		vdebug_hw_disable();
		__atomic_store_n(&c->debug_owner, NULL, __ATOMIC_RELEASE);
	}
}

static bool holds_vm(struct pcpu *c, const struct vm *vm)
{
	struct vcpu *running = __atomic_load_n(&c->running, __ATOMIC_ACQUIRE);
	struct vcpu *fp = __atomic_load_n(&c->fp_owner, __ATOMIC_ACQUIRE);
	struct vcpu *debug = __atomic_load_n(&c->debug_owner, __ATOMIC_ACQUIRE);

	return (running && running->vm == vm) || (fp && fp->vm == vm) || (debug && debug->vm == vm);
}

/* How long core 0 waits for another core to leave a VM (it takes microseconds). */
#define EVICT_TIMEOUT_US 100000

/*
 * Called by core 0 once the VM is no longer VM_RUNNING: every core leaves
 * it (leave_stopped_vcpus) and begins a new pass of its scheduler (which
 * sees the VM stopped and touches it no more) before this returns, so that
 * its vCPUs, devices and memory can be reset or freed. This core does it at
 * once; the others are kicked and waited for. A core that does not answer is reported (it
 * cannot happen while cores take interrupts: no hypervisor path masks them
 * for long).
 */
void sched_evict_vm(struct vm *vm)
{
	uint64_t start;

	leave_stopped_vcpus();
	for (unsigned int core = 0; core < PCPU_MAX; core++) {
		struct pcpu *c = &pcpus[core];

		uint32_t passes;

		if (c == this_pcpu() || !__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
			continue;
		passes = atomic_load_acquire32(&c->passes);
		sched_kick(core, WORK_RESCHED);
		start = board_uptime_us();
		while (holds_vm(c, vm) || atomic_load_acquire32(&c->passes) == passes) {
			cpu_relax();
			if (board_uptime_us() - start > EVICT_TIMEOUT_US) {
				vconsole_report("core %u did not leave VM %u within %u ms", core,
						vm->id, EVICT_TIMEOUT_US / 1000);
				break;
			}
		}
	}
}

void sched_yield_current(void)
{
	this_pcpu()->slice_end_us = 0;
	sched_request(WORK_RESCHED);
}

void sched_nap(struct vcpu *v)
{
	v->nap_until_us = board_uptime_us() + SCHED_NAP_US;
	v->state = VCPU_WAITING;
	sched_yield_current();
}

static void set_alarm(struct pcpu *c, uint64_t deadline)
{
	c->alarm_deadline_us = deadline;
	board_alarm_set(deadline);
}

/*
 * While the physical CNTV interrupt is masked, the guest may lower its
 * line without a trap (a CNTV_CVAL_EL0 write): the alarm then comes within
 * VTIMER_RECHECK_US to look again, unless the plan is sooner. Only a guest
 * that takes no trap after its handler ever meets it: the first trap that
 * sees the line low unmasks the interrupt and puts the alarm back
 * (sched_update_virq_masked): a core with one vCPU then keeps no alarm.
 */
static void arm_vtimer_recheck(struct pcpu *c, uint64_t now_us)
{
	uint64_t recheck = now_us + VTIMER_RECHECK_US;

	set_alarm(c, recheck < c->alarm_plan_us ? recheck : c->alarm_plan_us);
}

static void unmask_vtimer_irq(struct pcpu *c)
{
	c->vtimer_irq_masked = false;
	board_vtimer_irq_enable(true);
	if (c->alarm_deadline_us != c->alarm_plan_us)
		set_alarm(c, c->alarm_plan_us);
}

/* The physical virtual-timer interrupt of the current vCPU: mask it until the guest handles it. */
static void vtimer_fired(void)
{
	board_vtimer_irq_enable(false);
	this_pcpu()->vtimer_irq_masked = true;
	sched_request(WORK_VTIMER);
}

/* An alarm earlier than the plan is a virtual-timer re-check (arm_vtimer_recheck). */
static void alarm_fired(void)
{
	struct pcpu *c = this_pcpu();

	sched_request(c->alarm_deadline_us < c->alarm_plan_us ? WORK_VTIMER_RECHECK : WORK_TIMER);
}

/*
 * Another core kicked this one: the work bits are in pending_work already.
 * A halt request (a crash elsewhere) is carried out here and now, whatever
 * this core was doing.
 */
static void kicked(void)
{
	struct pcpu *c = this_pcpu();

	c->kicks_received++;
	if (__atomic_load_n(&c->pending_work, __ATOMIC_ACQUIRE) & WORK_HALT)
		halt();
	if (__atomic_fetch_and(&c->pending_work, ~(uint32_t)WORK_VECTORS, __ATOMIC_ACQ_REL) &
	    WORK_VECTORS)
		trap_load_vectors();
}

/* Once, on core 0, before any other core is released: the interrupt handlers every core shares. */
void sched_init(void)
{
	for (unsigned int core = 0; core < PCPU_MAX; core++) {
		pcpus[core].id = core;
		pcpus[core].round_robin_slot = -1;
		pcpus[core].alarm_deadline_us = UINT64_MAX;
		pcpus[core].alarm_plan_us = UINT64_MAX;
	}
	board_alarm_init(alarm_fired);
	board_vtimer_init(vtimer_fired);
	board_ipi_init(kicked);
}

/*
 * On every core, as it comes up: its own EL2 configuration for running
 * guests, and its own interrupts (alarm, virtual timer, mailbox).
 */
void sched_init_core(unsigned int core)
{
	write_sysreg(tpidr_el2, (uint64_t)&pcpus[core]);
	isb();
	write_sysreg(vtcr_el2, stage2_vtcr());
	/* EL1 may read the physical counter; the physical timer stays the hypervisor's. */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(hcr_el2, HCR_GUEST_SHARED);
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
	board_core_init();
	__atomic_store_n(&pcpus[core].online, true, __ATOMIC_RELEASE);
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
	struct vcpu *v = this_pcpu()->running;
	bool vtimer, pending;
	uint64_t hcr;

	if (!v)
		return;
	vtimer = vcpu_vtimer_line(v, true);
	if (v->vtimer_taken && (!vtimer || !(spsr & SPSR_I)))
		v->vtimer_taken = false;
	pending = vcpu_irq_input(v, vtimer && !v->vtimer_taken);
	hcr = this_pcpu()->placed > 1 ? HCR_GUEST_SHARED : HCR_GUEST;
	if (pending)
		hcr |= HCR_VI;
	if (read_sysreg(hcr_el2) != hcr)
		write_sysreg(hcr_el2, hcr);
	/* Count each interrupt once: when the vCPU's IRQ input rises. */
	if (pending && !v->irq_line)
		v->stats.virq++;
	v->irq_line = pending;
}

void sched_update_virq_masked(uint64_t spsr)
{
	struct pcpu *c = this_pcpu();

	if (c->vtimer_irq_masked && c->running && !vcpu_vtimer_line(c->running, true))
		unmask_vtimer_irq(c);
	sched_update_virq(spsr);
}

/*
 * With vm->lock held, after the VM's devices were used (on any core): if
 * their interrupt outputs may have changed, every vCPU's IRQ inputs are
 * worked out again. Of the vCPUs whose inputs are now different, those of
 * this core that wait and now have an interrupt become runnable (an
 * inter-processor interrupt wakes the target vCPU from WFI), and the cores
 * of the others are kicked to look for themselves (their vCPUs' state is
 * theirs to change); a change that concerns no other vCPU (a guest reading
 * its own interrupt source) kicks nobody. True if the devices said so.
 */
bool sched_devices_changed_locked(struct vm *vm)
{
	struct pcpu *c = this_pcpu();
	uint32_t changed = vm_refresh_irq_inputs_locked(vm);

	if (!changed)
		return false;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!(changed & (1U << i)))
			continue; /* nothing new for it: its core need not look */
		if (v->pcpu != c->id)
			sched_kick(v->pcpu, WORK_RESCHED);
		else if (v != c->running && v->state == VCPU_WAITING && vcpu_irq_pending(v, false))
			v->state = VCPU_RUNNABLE;
	}
	return true;
}

/*
 * A vCPU of the VM naps on another core, polling a device: a device timer
 * of the VM just fired (the model may show something new), so its core
 * looks again.
 */
static void kick_napping_vcpus(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];

		if (v->pcpu != this_pcpu()->id && v->nap_until_us)
			sched_kick(v->pcpu, WORK_RESCHED);
	}
}

/*
 * Advances one VM's device timers when one is due or was just armed
 * (WORK_TIMER) — otherwise its lock is not taken at all — and returns its
 * next device deadline (board time). The VM's other cores are kicked when
 * its interrupt lines changed.
 */
static inline __attribute__((always_inline)) uint64_t
poll_vm_device_timers(struct vm *vm, uint32_t work, uint64_t now_us)
{
	bool fired = vm->device_deadline_us <= now_us;
	uint64_t next;

	if (fired || (work & WORK_TIMER)) {
		vm_lock(vm);
		/* The same moment that decided `fired`, in the VM's time: one clock read. */
		next = bcm2837_vdevs_poll_timers(&vm->devs, now_us - vm->time_base_us);
		vm->device_deadline_us = next == UINT64_MAX ? UINT64_MAX : next + vm->time_base_us;
		(void)sched_devices_changed_locked(vm);
		vm_unlock(vm);
	}
	if (fired) {
		/* A vCPU polling its devices may see news. */
		vm->device_timer_fired_us = now_us;
		kick_napping_vcpus(vm);
	}
	return vm->device_deadline_us;
}

/*
 * The device timers of every VM whose devices this core looks after (those
 * whose vCPU 0 is placed here); returns the earliest future deadline.
 */
static uint64_t poll_device_timers(uint32_t work, uint64_t now_us)
{
	uint64_t earliest = UINT64_MAX;

	for (unsigned int i = 0; i < VM_MAX; i++) {
		struct vm *vm = vm_slot(i);
		uint64_t next;

		if (vm->state != VM_RUNNING || vm_device_core(vm) != this_pcpu()->id)
			continue;
		next = poll_vm_device_timers(vm, work, now_us);
		if (next < earliest)
			earliest = next;
	}
	return earliest;
}

/* A waiting vCPU's virtual timer deadline in board time, or UINT64_MAX. */
static uint64_t vtimer_deadline(const struct vcpu *v, uint64_t now_us)
{
	uint64_t ctl = v->sys.cntv_ctl_el0, count, freq, ticks;

	if (v == this_pcpu()->running || !(ctl & 1) || (ctl & 2))
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
 * A nap (sched_nap) ends at its deadline, when input for the VM waits, or
 * when one of the VM's device timers has fired since it began (the model it
 * polls may show something new: a transmit FIFO drained).
 */
static bool nap_over(const struct vcpu *v, uint64_t now_us)
{
	return v->nap_until_us && (now_us >= v->nap_until_us || !ringbuf_is_empty(&v->vm->input) ||
				   v->vm->device_timer_fired_us + SCHED_NAP_US >= v->nap_until_us);
}

/*
 * WFI ends when the vCPU has an interrupt to take, even one PSTATE.I masks.
 * Returns one vCPU that just woke (NULL if none): it runs next, so that an
 * interrupt reaches a waiting guest without waiting for a busy guest's slice
 * to end. A guest cannot abuse this: only an interrupt wakes it. The same
 * pass notes which slots are runnable afterwards (`runnable`, and how many
 * in `count`), for the round robin, and whether any vCPU still waits (whose
 * timer the alarm must then cover).
 */
static struct vcpu *wake_waiting_vcpus(uint64_t now_us, uint32_t *runnable, unsigned int *count,
				       bool *any_waiting)
{
	struct vcpu *woken = NULL;

	*runnable = 0;
	*count = 0;
	*any_waiting = false;
	for_each_running_vcpu(i, vm, v)
	{
		if (v->state == VCPU_WAITING && vcpu_irq_pending(v, v == this_pcpu()->running)) {
			v->state = VCPU_RUNNABLE;
			v->nap_until_us = 0;
			if (!woken)
				woken = v;
		} else if (v->state == VCPU_WAITING && nap_over(v, now_us)) {
			/* Back to its turn, not out of turn: polling is no reason to go first. */
			v->state = VCPU_RUNNABLE;
			v->nap_until_us = 0;
		}
		if (v->state == VCPU_RUNNABLE) {
			*runnable |= 1U << vcpu_slot(v);
			(*count)++;
		}
		*any_waiting |= v->state == VCPU_WAITING;
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

		if (v->state == VCPU_WAITING && v->nap_until_us && v->nap_until_us < deadline)
			deadline = v->nap_until_us;

		if (deadline < earliest)
			earliest = deadline;
	}
	return earliest;
}

/*
 * Loading files (loader.h) has a turn of its own in the round robin, after
 * the last slot: when the round robin wraps round while a load waits, the
 * loader gets the core for a time slice (this_pcpu()->slice_end_us), then the round
 * robin goes on. With n busy vCPUs a load gets one turn in n + 1, and every
 * vCPU still gets its own. A vCPU that wakes runs out of turn as always; a
 * key for the shell is served; then the loader's turn goes on.
 */
/* Only core 0 loads files (it owns the SD card). */
static bool loader_here(void)
{
	return this_pcpu()->id == 0 && loader_pending();
}

static bool loader_had_turn; /* the round robin wrapped round to the loader last time */
static bool loader_turn;     /* the slice ending at this_pcpu()->slice_end_us is the loader's */

static bool loader_turn_goes_on(uint64_t now_us)
{
	if (loader_turn && (now_us >= this_pcpu()->slice_end_us || !loader_here()))
		loader_turn = false;
	return loader_turn;
}

static bool loader_takes_turn(int slot, uint64_t now_us)
{
	if (slot > this_pcpu()->round_robin_slot || loader_had_turn || !loader_here()) {
		loader_had_turn = false;
		return false;
	}
	loader_had_turn = true;
	loader_turn = true;
	this_pcpu()->slice_end_us = now_us + VM_DEFAULT_SLICE_US;
	return true;
}

/*
 * A vCPU that just woke goes first; otherwise the current vCPU keeps the
 * core until its slice ends, then the next runnable one in turn (or the
 * loader, NULL, in its turn).
 */
static struct vcpu *choose_next(uint64_t now_us, struct vcpu *woken, uint32_t runnable)
{
	int slot;

	if (woken)
		return woken;
	if (loader_turn_goes_on(now_us))
		return NULL;
	if (this_pcpu()->running && this_pcpu()->running->state == VCPU_RUNNABLE &&
	    this_pcpu()->running->vm->state == VM_RUNNING && now_us < this_pcpu()->slice_end_us)
		return this_pcpu()->running;
	slot = sched_pick_round_robin(runnable, this_pcpu()->round_robin_slot);
	if (slot < 0 || loader_takes_turn(slot, now_us))
		return NULL;
	this_pcpu()->round_robin_slot = slot;
	return slot_vcpu((unsigned int)slot);
}

/* Saves the vCPU on the core: registers and EL1 state (its timer stops); FP/SIMD stays lazily. */
static void save_current(struct trap_frame *frame)
{
	struct vcpu *prev = this_pcpu()->running;

	if (frame)
		trap_frame_copy(&prev->regs, frame);
	el1_sysregs_save(&prev->sys);
}

/*
 * PSCI CPU_ON asked for vCPU v (psci.c): it starts from its reset state, on
 * its own core, which alone may touch its live registers. If it is the one
 * on the core (it called CPU_OFF and nothing else ran since), the live
 * frame and EL1 registers are replaced too.
 */
static void carry_out_power_on(struct vcpu *v, struct trap_frame *live)
{
	if (!__atomic_load_n(&v->power_on_pending, __ATOMIC_ACQUIRE))
		return;
	vcpu_reset(v, v->power_on_entry, v->power_on_context);
	v->power_on_pending = false;
	if (live) {
		trap_frame_copy(live, &v->regs);
		el1_sysregs_restore(&v->sys);
		isb();
	}
}

/*
 * Loads vCPU `next` in place of the running one. Its VM's lock is held
 * while it becomes `running`: core 0 changes a VM's state under the same
 * lock before it waits for the cores to leave it (sched_evict_vm), so
 * either this core sees the VM stopped and does not enter it (false), or
 * core 0 sees it running here and waits.
 */
static bool switch_to(struct trap_frame *frame, struct vcpu *next)
{
	struct pcpu *c = this_pcpu();

	vm_lock(next->vm);
	if (!vcpu_may_stay(next)) {
		vm_unlock(next->vm);
		return false;
	}
	if (c->running)
		save_current(frame);
	__atomic_store_n(&c->running, next, __ATOMIC_RELEASE);
	vm_unlock(next->vm);
	carry_out_power_on(next, NULL);
	trap_frame_copy(frame, &next->regs);
	el1_sysregs_restore(&next->sys);
	trap_fp_simd(next != c->fp_owner);
	load_debug(next, false);
	write_sysreg(vttbr_el2, next->vm->vttbr);
	write_sysreg(cntvoff_el2, next->vm->cntvoff);
	/* MPIDR_EL1 as the guest reads it: uniprocessor bit clear, Aff0 = vCPU index. */
	write_sysreg(vmpidr_el2, (1UL << 31) | next->index);
	isb();
	return true;
}

/*
 * Charges the vCPU on the core for the time since it last got it. Called
 * when the scheduler's slow path is entered: what the hypervisor does from
 * there (shell commands, loading files, idling) is nobody's CPU time.
 */
static void account_current(uint64_t now_us)
{
	if (this_pcpu()->running) {
		this_pcpu()->running->cpu_time_us += now_us - this_pcpu()->running->ran_since_us;
		this_pcpu()->running->ran_since_us = now_us;
	}
}

/*
 * Nothing to run: sleep until an interrupt. IRQs are masked here (we are in
 * an exception handler); WFI still wakes on a pending one, and the brief
 * unmask lets its handler run through the EL2 IRQ vector.
 */
static void idle(void)
{
	if (!__atomic_load_n(&this_pcpu()->pending_work, __ATOMIC_ACQUIRE))
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
	struct vcpu *v = this_pcpu()->running;

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
	if (!loader_here())
		return false;
	irq_unmask();
	loader_run(VM_DEFAULT_SLICE_US);
	irq_mask();
	return true;
}

static void recheck_vtimer(void)
{
	struct pcpu *c = this_pcpu();

	if (c->vtimer_irq_masked && (!c->running || !vcpu_vtimer_line(c->running, true)))
		unmask_vtimer_irq(c);
}

/*
 * The next moment the scheduler must look again: a device timer, a waiting
 * vCPU's timer (when one waits), a slice end.
 */
static void program_alarm(uint64_t now_us, uint64_t device_deadline, unsigned int runnable,
			  bool any_waiting)
{
	struct pcpu *c = this_pcpu();
	uint64_t deadline = device_deadline;
	uint64_t vtimer_next = any_waiting ? waiting_vtimer_deadline(now_us) : UINT64_MAX;

	if (vtimer_next < deadline)
		deadline = vtimer_next;
	/* A waiting load is one more turn: the slice of a lone vCPU ends too. */
	if ((runnable > 1 || loader_here()) && c->slice_end_us < deadline)
		deadline = c->slice_end_us;
	c->alarm_plan_us = deadline;
	if (c->vtimer_irq_masked)
		arm_vtimer_recheck(c, now_us);
	else
		set_alarm(c, deadline);
}

/*
 * Work only core 0 does: console input and output (the shell), and VM
 * requests (restart, power off), which may read files from the card.
 * Interrupts are on meanwhile: a shell command may take long.
 */
static void service_core_work(uint32_t work)
{
	if (work & WORK_CONSOLE) {
		irq_unmask();
		vconsole_poll();
		irq_mask();
	}
	if (work & WORK_VM_REQUEST) {
		irq_unmask();
		lifecycle_carry_out_requests();
		irq_mask();
	}
}

/* The slow path: handle requested work, pick who runs, sleep if nobody can. */
static void reschedule(struct trap_frame *frame)
{
	struct pcpu *c = this_pcpu();
	struct vcpu *next, *woken;
	uint64_t now, deadline;
	uint32_t runnable_slot; /* bit n: slot n may run */
	unsigned int runnable;
	bool any_waiting;

	c->live_frame = frame;
	account_current(board_uptime_us());
	for (;;) {
		uint32_t work = atomic_take_acquire32(&c->pending_work);

		atomic_store_release32(&c->passes, c->passes + 1);
		if (c->id == 0)
			service_core_work(work);
		leave_stopped_vcpus();
		if (c->running)
			carry_out_power_on(c->running, frame);
		now = board_uptime_us();
		deadline = poll_device_timers(work, now);
		woken = wake_waiting_vcpus(now, &runnable_slot, &runnable, &any_waiting);
		expire_vtimer_taken();
		recheck_vtimer();
		next = choose_next(now, woken, runnable_slot);
		if (next == c->running && next) {
			if (now >= c->slice_end_us)
				c->slice_end_us = now + next->vm->slice_us;
			break;
		}
		if (next && switch_to(frame, next)) {
			c->slice_end_us = now + next->vm->slice_us;
			recheck_vtimer();
			break;
		}
		if (next)
			continue; /* its VM was stopped meanwhile: choose again */
		program_alarm(now, deadline, runnable, any_waiting);
		if (!run_loader())
			idle();
	}
	program_alarm(now, deadline, runnable, any_waiting);
	/* Loading its registers, a moment ago, was already for the vCPU: its time runs from now. */
	c->running->ran_since_us = now;
}

static bool running_can_go_on(void)
{
	struct vcpu *v = this_pcpu()->running;

	return v && v->state == VCPU_RUNNABLE;
}

/*
 * The running vCPU's virtual timer fired and nothing else was asked for:
 * raising its virtual IRQ (HCR_EL2.VI) is all there is to do, plus arming
 * the re-check that unmasks the physical interrupt if the guest lowers the
 * line without a trap. The slow path would come to the same result after
 * scanning every VM.
 */
static bool vtimer_fired_fast_path(struct pcpu *c)
{
	if (!running_can_go_on())
		return false;
	__atomic_and_fetch(&c->pending_work, ~(uint32_t)WORK_VTIMER, __ATOMIC_ACQ_REL);
	arm_vtimer_recheck(c, board_uptime_us());
	sched_update_virq(read_sysreg(spsr_el2));
	return true;
}

/*
 * The re-check alarm fired and nothing else was asked for: the physical
 * interrupt is unmasked if the line fell, HCR_EL2.VI worked out again, and
 * while the interrupt stays masked the re-check is armed again. A guest in
 * its timer handler (vtimer_taken) is left to the slow path, which limits
 * its time there (expire_vtimer_taken).
 */
static __attribute__((noinline)) bool vtimer_recheck_fast_path(struct pcpu *c)
{
	if (!running_can_go_on() || c->running->vtimer_taken)
		return false;
	__atomic_and_fetch(&c->pending_work, ~(uint32_t)WORK_VTIMER_RECHECK, __ATOMIC_ACQ_REL);
	sched_update_virq_masked(read_sysreg(spsr_el2));
	if (c->vtimer_irq_masked)
		arm_vtimer_recheck(c, board_uptime_us());
	return true;
}

/*
 * The alarm fired (or a device timer was armed) on a dedicated core — its
 * one vCPU placed here runs and goes on — and nothing else was asked for:
 * the slow path would only poll that vCPU's VM's device timers and set the
 * alarm again, after looking at every VM for vCPUs to wake and choosing
 * the same vCPU again. This does just the first two, on the partial frame:
 * a guest's own system timer interrupt on its own core costs no scheduler
 * pass. A core that runs the loader, and a vCPU in its timer handler
 * (vtimer_taken, whose time there the slow path limits), take the slow
 * path.
 */
static __attribute__((noinline)) bool alarm_fast_path(struct pcpu *c)
{
	struct vcpu *v = c->running;
	uint64_t now, plan = UINT64_MAX;

	if (!running_can_go_on() || c->placed != 1 || v->vtimer_taken || loader_here())
		return false;
	__atomic_and_fetch(&c->pending_work, ~(uint32_t)WORK_TIMER, __ATOMIC_ACQ_REL);
	now = board_uptime_us();
	if (vm_device_core(v->vm) == c->id)
		plan = poll_vm_device_timers(v->vm, WORK_TIMER, now);
	c->alarm_plan_us = plan;
	if (c->vtimer_irq_masked)
		arm_vtimer_recheck(c, now);
	else
		set_alarm(c, plan);
	sched_update_virq(read_sysreg(spsr_el2));
	return true;
}

/* Inline: every interrupt from a guest asks it first. */
static inline __attribute__((always_inline)) bool vtimer_fast_path(void)
{
	struct pcpu *c = this_pcpu();
	uint32_t work = __atomic_load_n(&c->pending_work, __ATOMIC_RELAXED);

	if (work == WORK_VTIMER)
		return vtimer_fired_fast_path(c);
	if (work == WORK_VTIMER_RECHECK)
		return vtimer_recheck_fast_path(c);
	if (work == WORK_TIMER)
		return alarm_fast_path(c);
	return false;
}

bool sched_resume_after_irq(void)
{
	return vtimer_fast_path() || (sched_can_resume_guest() && running_can_go_on());
}

void sched_return_to_guest(struct trap_frame *frame)
{
	if (vtimer_fast_path())
		return;
	if (!sched_can_resume_guest() || !running_can_go_on()) {
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

/* Each core's EL2 stack: BOOT_STACK_SIZE bytes, core n's at boot_stacks + n * BOOT_STACK_SIZE. */
void sched_start(void)
{
	sched_enter_first((uint64_t)boot_stacks + (this_pcpu()->id + 1) * BOOT_STACK_SIZE);
}

static const char *vcpu_state_word(const struct vcpu *v)
{
	return v->state == VCPU_RUNNABLE  ? "runnable"
	       : v->state == VCPU_WAITING ? "waiting"
					  : "off";
}

/* What runs on core c and when its alarm fires; read without asking it (a snapshot). */
static void print_core(const struct pcpu *c, uint64_t now)
{
	const struct vcpu *running = __atomic_load_n(&c->running, __ATOMIC_ACQUIRE);
	uint64_t alarm = c->alarm_deadline_us;

	hv_printf("core %u: %s", c->id, c->placed == 1 ? "dedicated, " : "");
	if (running && running->vm->state == VM_RUNNING)
		hv_printf("VM %u vCPU %u on the core", running->vm->id, running->index);
	else
		hv_printf("nothing on the core");
	if (alarm == UINT64_MAX)
		hv_printf("; alarm: none (tickless)");
	else if (alarm > now)
		hv_printf("; alarm in %lu us", alarm - now);
	else
		hv_printf("; alarm due now");
	hv_printf("; %u vCPUs placed, %lu kicks, virtual timer interrupt %s\n", c->placed,
		  c->kicks_received,
		  c->vtimer_irq_masked ? "masked (waiting for the guest)" : "enabled");
}

static void print_vcpu(const struct vcpu *v)
{
	hv_printf("  VM %u vCPU %u on core %u: %s, CNTV_CTL 0x%lx, CPU %lu ms\n", v->vm->id,
		  v->index, v->pcpu, vcpu_state_word(v), v->sys.cntv_ctl_el0,
		  sched_vcpu_cpu_time_us(v) / 1000);
}

void sched_print_state(void)
{
	uint64_t now = board_uptime_us();

	unsigned int online = 0;

	for (uint32_t mask = pcpu_online_mask(); mask; mask &= mask - 1)
		online++;
	hv_printf("scheduler: now %lu us, %u of %u cores online\n", now, online, PCPU_MAX);
	for (unsigned int core = 0; core < PCPU_MAX; core++) {
		if (!pcpus[core].online) {
			hv_printf("core %u: offline\n", core);
			continue;
		}
		print_core(&pcpus[core], now);
		for (unsigned int i = 0; i < VM_MAX; i++) {
			const struct vm *vm = vm_slot(i);

			if (vm->state != VM_RUNNING)
				continue;
			for (unsigned int n = 0; n < vm->nr_vcpus; n++)
				if (vm->vcpus[n].pcpu == core)
					print_vcpu(&vm->vcpus[n]);
		}
	}
}
