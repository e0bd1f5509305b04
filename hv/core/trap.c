#include "core/trap.h"
#include "arch/arm64/abort.h"
#include "arch/arm64/esr.h"
#include "arch/arm64/inject.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "core/console.h"
#include "core/hypercall.h"
#include "core/psci.h"
#include "core/sched.h"
#include "core/sysreg_emul.h"
#include "core/vconsole.h"
#include "core/vm.h"
#include "lib/printf.h"

#define ISS_WFX_WFE 1U /* ISS.TI: 0 = WFI, 1 = WFE */

/*
 * A handler answers TRAP_RESUME, or TRAP_NEEDS_FULL_FRAME before doing
 * anything when the register it must transfer is one of x20-x29 and the
 * frame does not hold them yet (see trap_guest_sync).
 */
typedef enum trap_next (*trap_handler)(struct vcpu *v, struct trap_frame *f, uint64_t esr);

/*
 * Whether register `reg` (31 = XZR) can be read or written in the frame now:
 * this core's frame_complete is set while a trap is handled again with the
 * complete frame (trap_guest_sync_full).
 */
static bool reg_in_frame(unsigned int reg)
{
	return reg < 20 || reg > 29 || this_pcpu()->frame_complete;
}

void trap_irq_in_hypervisor(void)
{
	board_handle_irq();
}

void trap_halt_other_cores(void)
{
	for (unsigned int core = 0; core < PCPU_MAX; core++)
		if (core != this_pcpu()->id)
			sched_kick(core, WORK_HALT);
	/* Even if this core crashed holding a VM's lock: now. */
	sched_send_deferred_ipis();
}

enum trap_next trap_irq_from_guest(void)
{
	struct vcpu *v = sched_current();

	if (v)
		v->stats.irq_exits++;
	board_handle_irq();
	return sched_resume_after_irq() ? TRAP_RESUME : TRAP_RESCHEDULE;
}

/* "EC 0x24 data abort from a lower EL — translation fault, level 2; ESR ... ELR ... FAR ..." */
static void describe_exception(char *buf, size_t size, const struct trap_frame *f, uint64_t esr)
{
	const char *status = esr_fault_status_name(esr);
	int level = esr_fault_level(esr);
	char fault[64] = "";

	if (status && level >= 0)
		fmt_snprintf(fault, sizeof(fault), " — %s, level %d", status, level);
	else if (status)
		fmt_snprintf(fault, sizeof(fault), " — %s", status);
	fmt_snprintf(buf, size, "EC 0x%02x %s%s; ESR 0x%lx ELR 0x%lx FAR 0x%lx", esr_ec(esr),
		     esr_class_name(esr), fault, esr, f->elr, read_sysreg(far_el2));
}

static void stop_with_report(struct vcpu *v, struct trap_frame *f, uint64_t esr, const char *what)
{
	char detail[192];

	describe_exception(detail, sizeof(detail), f, esr);
	vm_stop(v->vm, "%s (%s)", what, detail);
}

/*
 * What the architecture does with an instruction EL1 may not execute: an
 * Undefined Instruction exception, delivered to the guest's own vectors.
 * The first one per VM is reported (later ones are only counted, so a guest
 * cannot flood the console).
 */
static enum trap_next trap_undefined(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	char what[48] = "";

	/* Summed over its vCPUs: the first of the VM, whichever vCPU it was. */
	v->stats.undef++;
	if (vm_stats_total(v->vm).undef == 1) {
		if (esr_ec(esr) == EC_SYSREG)
			sysreg_describe(esr_iss(esr), what, sizeof(what));
		vconsole_report(
		    "VM %u (%s): undefined instruction injected at ELR 0x%lx (EC 0x%02x "
		    "%s%s%s)",
		    v->vm->id, v->vm->name, f->elr, esr_ec(esr), esr_class_name(esr),
		    what[0] ? ": " : "", what);
	}
	inject_undefined(f);
	return TRAP_RESUME;
}

static enum trap_next trap_wfx(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	f->elr += 4;
	if (esr_iss(esr) & ISS_WFX_WFE) {
		/* WFE: a hint that it is spinning; let someone else run. */
		sched_yield_current();
		return TRAP_RESUME;
	}
	/*
	 * A guest that waits is not in its timer handler any more: a timer line
	 * still high must be presented again (sched_update_virq).
	 */
	v->vtimer_taken = false;
	/* WFI completes at once when an interrupt is already pending (even if masked). */
	if (vcpu_irq_pending(v, true)) {
		sched_update_virq(f->spsr);
		return TRAP_RESUME;
	}
	v->state = VCPU_WAITING;
	sched_request(WORK_RESCHED);
	return TRAP_RESUME;
}

/* CPTR_EL2.TFP: the vCPU's FP/SIMD registers are not loaded yet (lazy switching, sched.c). */
static enum trap_next trap_fp_simd_access(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	(void)v;
	(void)f;
	(void)esr;
	sched_fp_simd_access();
	return TRAP_RESUME;
}

static enum trap_next trap_hvc(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	return hypercall_dispatch(v, f, (uint16_t)esr_iss(esr));
}

/*
 * SMC, trapped by HCR_EL2.TSC: there is no secure firmware for a VM. PSCI
 * calls are answered as over HVC (an OS may use either conduit); anything
 * else as SMCCC does for an unknown function (x0 = -1, NOT_SUPPORTED). For a
 * trapped SMC, ELR_EL2 points at the SMC itself: skip it.
 */
static enum trap_next trap_smc(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	(void)esr;
	f->elr += 4;
	if (psci_is_call(f->x[0]))
		psci_call(v, f);
	else
		f->x[0] = (uint64_t)HC_ERR_NOT_SUPPORTED;
	return TRAP_RESUME;
}

/* Every system register but the ID space: out of line, so the ID path needs no stack frame. */
static __attribute__((noinline)) enum trap_next
trap_sysreg_emulate(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	if (sysreg_emulate(v, f, esr_iss(esr)))
		return TRAP_RESUME;
	return trap_undefined(v, f, esr);
}

static enum trap_next trap_sysreg(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	uint32_t iss = esr_iss(esr);

	if (!reg_in_frame(sysreg_transfer_register(iss)))
		return TRAP_NEEDS_FULL_FRAME;
	if (sysreg_read_id_space(f, iss))
		return TRAP_RESUME;
	return trap_sysreg_emulate(v, f, esr);
}

/*
 * A guest touched an address where it has no RAM and no device. A real
 * board answers with a bus error: the guest gets a synchronous external
 * abort at its own vectors (its OS decides what to do) and the hypervisor
 * reports it — the first few times per VM, so a looping guest cannot flood
 * the console.
 */
#define ABORT_REPORTS_PER_VM 3

static void inject_abort_outside_ram(struct vcpu *v, struct trap_frame *f, uint64_t esr,
				     const char *what)
{
	char detail[192];
	bool instruction = esr_ec(esr) == EC_IABT_LOWER;
	uint64_t far = read_sysreg(far_el2);

	v->stats.aborts++;
	if (vm_stats_total(v->vm).aborts <= ABORT_REPORTS_PER_VM) {
		describe_exception(detail, sizeof(detail), f, esr);
		vconsole_report("VM %u (%s): %s; external abort injected (%s)", v->vm->id,
				v->vm->name, what, detail);
	}
	if (instruction)
		inject_instruction_abort(f, far);
	else
		inject_data_abort(f, far, esr_iss(esr) & (1U << 6));
}

/*
 * The access hit a device register in a way the model refuses: a guest bug,
 * the VM stops. The access is decoded again from FAR_EL2 and HPFAR_EL2
 * (nothing at EL2 has changed them since the trap) so that the MMIO path
 * need not keep it live across the model's call.
 */
static __attribute__((noinline, cold)) void mmio_malformed(struct vm *vm, uint32_t iss)
{
	struct data_abort da;

	(void)data_abort_decode(iss, read_sysreg(far_el2), read_sysreg(hpfar_el2), &da);
	vm_stop(vm, "malformed %u-byte %s of device register at IPA 0x%lx", da.size,
		da.write ? "write" : "read", da.ipa);
}

/*
 * After a model ran under the VM's lock: most accesses leave the VM's
 * interrupts alone, and the models say when one did not. A change may also
 * interrupt its other vCPUs (an IPI through a local mailbox): their cores
 * are kicked.
 */
static inline __attribute__((always_inline)) void finish_locked_access(struct vcpu *v,
								       struct trap_frame *f,
								       const struct data_abort *da,
								       enum mmio_result result)
{
	struct vm *vm = v->vm;
	bool irq_changed = vm_irq_outputs_flagged(vm) && sched_devices_changed_locked(vm);

	vm_unlock(vm);
	if (irq_changed)
		sched_update_virq(f->spsr);
	if (result == MMIO_ERROR) {
		mmio_malformed(vm, da->iss);
		return;
	}
	f->elr += 4;
}

/*
 * The VM's devices may be used by its other vCPUs on other cores at the
 * same time: a model runs under the VM's lock — except a register its
 * region answers without it (a clock, a constant: read_unlocked in mmio.h),
 * which cannot change an interrupt either.
 */
static inline __attribute__((always_inline)) void
emulate_mmio_read(struct vcpu *v, struct trap_frame *f, const struct data_abort *da)
{
	struct vm *vm = v->vm;
	const struct mmio_region *region = mmio_find(&vm->mmio, da->ipa);
	enum mmio_result result;
	uint64_t value;

	v->stats.mmio_reads++;
	if (mmio_read_unlocked(region, da->ipa, da->size, &value)) {
		if (iss_transfer_reg(da->iss) != 31)
			f->x[iss_transfer_reg(da->iss)] = data_abort_load_value(da->iss, value);
		f->elr += 4;
		return;
	}
	vm_lock(vm);
	result = mmio_read_region(&vm->mmio, region, da->ipa, da->size, &value);
	if (iss_transfer_reg(da->iss) != 31)
		f->x[iss_transfer_reg(da->iss)] = data_abort_load_value(da->iss, value);
	finish_locked_access(v, f, da, result);
}

static inline __attribute__((always_inline)) void
emulate_mmio_write(struct vcpu *v, struct trap_frame *f, const struct data_abort *da)
{
	struct vm *vm = v->vm;
	enum mmio_result result;

	v->stats.mmio_writes++;
	vm_lock(vm);
	result = mmio_write(&vm->mmio, da->ipa, da->size, data_abort_store_value(da->iss, f->x));
	finish_locked_access(v, f, da, result);
}

/*
 * A data abort that is no device access to emulate, out of line so the MMIO
 * path keeps its decoded syndrome in registers: outside RAM and the device
 * window (an external abort for the guest), or on a device without a usable
 * syndrome (the VM is stopped).
 */
static __attribute__((noinline, cold)) enum trap_next
data_abort_not_mmio(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	struct data_abort da;
	char what[96];

	(void)data_abort_decode(esr, read_sysreg(far_el2), read_sysreg(hpfar_el2), &da);

	if (!mmio_in_window(da.ipa)) {
		fmt_snprintf(what, sizeof(what), "%s outside its RAM at IPA 0x%lx",
			     da.write ? "write" : "read", da.ipa);
		inject_abort_outside_ram(v, f, esr, what);
	} else {
		fmt_snprintf(what, sizeof(what), "%s at device IPA 0x%lx cannot be emulated",
			     da.stage1_walk ? "page table walk" : "access without a valid syndrome",
			     da.ipa);
		stop_with_report(v, f, esr, what);
	}
	return TRAP_RESUME;
}

static enum trap_next trap_data_abort(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	struct data_abort da;
	bool valid = data_abort_decode(esr, read_sysreg(far_el2), read_sysreg(hpfar_el2), &da);

	if (!valid || da.stage1_walk || !mmio_in_window(da.ipa))
		return data_abort_not_mmio(v, f, esr);
	if (!reg_in_frame(da.reg))
		return TRAP_NEEDS_FULL_FRAME;
	if (da.write)
		emulate_mmio_write(v, f, &da);
	else
		emulate_mmio_read(v, f, &da);
	return TRAP_RESUME;
}

static enum trap_next trap_instruction_abort(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	char what[80];

	fmt_snprintf(what, sizeof(what), "instruction fetch from IPA 0x%lx outside its RAM",
		     ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff));
	inject_abort_outside_ram(v, f, esr, what);
	return TRAP_RESUME;
}

/*
 * Handlers by ESR_EL2.EC. Every class has one: those not listed are
 * undefined to the guest (the range fills every entry first, then the
 * listed ones override it, hence the pragma), so dispatch needs no check.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const trap_handler guest_traps[VM_TRAP_CLASSES] = {
    [0 ... VM_TRAP_CLASSES - 1] = trap_undefined,
    [EC_WFX] = trap_wfx,
    [EC_FP_SIMD] = trap_fp_simd_access,
    [EC_HVC64] = trap_hvc,
    [EC_SMC64] = trap_smc,
    [EC_SYSREG] = trap_sysreg,
    [EC_IABT_LOWER] = trap_instruction_abort,
    [EC_DABT_LOWER] = trap_data_abort,
};
#pragma GCC diagnostic pop

static trap_handler handler_of(unsigned int ec)
{
	return guest_traps[ec & (VM_TRAP_CLASSES - 1)];
}

/*
 * On the fast path the frame holds x0-x19, x30, ELR_EL2 and SPSR_EL2 only;
 * x20-x29 are still in the hardware registers. Handlers touch no general
 * register but the one the syndrome names (MMIO, MSR/MRS; they check it
 * with reg_in_frame) and x0-x2 (hypercalls, SMC). The trap is counted by
 * class here: the only counter every trap pays. The handler is a tail
 * call: what follows a handled trap — resume unless the scheduler has work
 * (sched_can_resume_guest), with HCR_EL2.VI worked out again while the
 * virtual timer interrupt is masked (sched_update_virq_on_entry) — is done
 * by the vectors, in assembly, so that this needs no stack frame.
 */
enum trap_next trap_guest_sync(struct trap_frame *frame, uint64_t esr)
{
	struct vcpu *v = sched_current();
	unsigned int ec = esr_ec(esr);

	v->stats.traps[ec]++;
	return handler_of(ec)(v, frame, esr);
}

void trap_guest_sync_full(struct trap_frame *frame, uint64_t esr, enum trap_next next)
{
	if (next == TRAP_NEEDS_FULL_FRAME) {
		/* Counted already; its handler stopped before doing anything. */
		this_pcpu()->frame_complete = true;
		(void)handler_of(esr_ec(esr))(sched_current(), frame, esr);
		this_pcpu()->frame_complete = false;
	}
	sched_return_to_guest(frame);
}

void trap_guest_fault(struct trap_frame *frame, const char *what, uint64_t esr)
{
	struct vcpu *v = sched_current();

	v->stats.faults++;
	stop_with_report(v, frame, esr, what);
	sched_return_to_guest(frame);
}

/* vectors.S: the vector table with the assembly answers, and the one without. */
extern char el2_vectors[], el2_vectors_c[];
static bool asm_answers = true;

bool trap_asm_answers(void)
{
	return __atomic_load_n(&asm_answers, __ATOMIC_ACQUIRE);
}

void trap_load_vectors(void)
{
	write_sysreg(vbar_el2, (uint64_t)(trap_asm_answers() ? el2_vectors : el2_vectors_c));
	isb();
}

/* Every core loads the table itself: VBAR_EL2 is one per core. */
void trap_set_asm_answers(bool on)
{
	__atomic_store_n(&asm_answers, on, __ATOMIC_RELEASE);
	trap_load_vectors();
	for (unsigned int core = 0; core < PCPU_MAX; core++)
		if (core != this_pcpu()->id && (pcpu_online_mask() & (1U << core)))
			sched_kick(core, WORK_VECTORS);
}
