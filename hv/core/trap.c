#include "core/trap.h"
#include "arch/arm64/abort.h"
#include "arch/arm64/esr.h"
#include "arch/arm64/inject.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "core/console.h"
#include "core/hypercall.h"
#include "core/sched.h"
#include "core/sysreg_emul.h"
#include "core/vconsole.h"
#include "core/vm.h"
#include "lib/printf.h"

#define ISS_WFX_WFE 1U /* ISS.TI: 0 = WFI, 1 = WFE */

typedef void (*trap_handler)(struct vcpu *v, struct trap_frame *f, uint64_t esr);

void trap_irq_in_hypervisor(void)
{
	board_handle_irq();
}

void trap_irq_from_guest(struct trap_frame *frame)
{
	struct vcpu *v = sched_current();

	if (v)
		v->vm->stats.irq_exits++;
	board_handle_irq();
	sched_return_to_guest(frame);
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
static void trap_undefined(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	char what[48] = "";

	if (v->vm->stats.undef++ == 0) {
		if (esr_ec(esr) == EC_SYSREG)
			sysreg_describe(esr_iss(esr), what, sizeof(what));
		vconsole_report(
		    "VM %u (%s): undefined instruction injected at ELR 0x%lx (EC 0x%02x "
		    "%s%s%s)",
		    v->vm->id, v->vm->name, f->elr, esr_ec(esr), esr_class_name(esr),
		    what[0] ? ": " : "", what);
	}
	inject_undefined(f);
}

static void trap_wfx(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	f->elr += 4;
	if (esr_iss(esr) & ISS_WFX_WFE) {
		/* WFE: a hint that it is spinning; let someone else run. */
		sched_yield();
		return;
	}
	/* WFI completes at once when an interrupt is already pending (even if masked). */
	if (vcpu_irq_pending(v, true))
		return;
	v->state = VCPU_WAITING;
	sched_request(WORK_RESCHED);
}

static void trap_hvc(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	hypercall_dispatch(v, f, (uint16_t)esr_iss(esr));
}

/*
 * SMC, trapped by HCR_EL2.TSC: there is no secure firmware for a VM. Answer
 * as SMCCC does for an unknown function (x0 = -1, NOT_SUPPORTED) and skip it
 * (for a trapped SMC, ELR_EL2 points at the SMC itself).
 */
static void trap_smc(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	(void)v;
	(void)esr;
	f->x[0] = (uint64_t)HC_ERR_NOT_SUPPORTED;
	f->elr += 4;
}

static void trap_sysreg(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	if (!sysreg_emulate(v, f, esr_iss(esr)))
		trap_undefined(v, f, esr);
}

static void emulate_mmio(struct vcpu *v, struct trap_frame *f, const struct data_abort *da)
{
	struct vm *vm = v->vm;
	enum mmio_result result;
	uint64_t value;

	if (da->write) {
		vm->stats.mmio_writes++;
		result = mmio_write(&vm->mmio, da->ipa, da->size, data_abort_store_value(da, f->x));
	} else {
		vm->stats.mmio_reads++;
		result = mmio_read(&vm->mmio, da->ipa, da->size, &value);
		if (da->reg != 31)
			f->x[da->reg] = data_abort_load_value(da, value);
	}
	if (result == MMIO_ERROR) {
		vm_stop(vm, "malformed %u-byte %s of device register at IPA 0x%lx", da->size,
			da->write ? "write" : "read", da->ipa);
		return;
	}
	f->elr += 4;
	/* Most accesses leave the VM's interrupt alone; the models say when one did not. */
	sched_update_virq_after_access(bcm2837_vdevs_take_irq_change(&vm->devs));
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

	if (v->vm->stats.aborts++ < ABORT_REPORTS_PER_VM) {
		describe_exception(detail, sizeof(detail), f, esr);
		vconsole_report("VM %u (%s): %s; external abort injected (%s)", v->vm->id,
				v->vm->name, what, detail);
	}
	if (instruction)
		inject_instruction_abort(f, far);
	else
		inject_data_abort(f, far, esr_iss(esr) & (1U << 6));
}

/* The rare outcomes of a data abort, out of line so the MMIO path keeps a small frame. */
static __attribute__((noinline, cold)) void data_abort_outside_ram(struct vcpu *v,
								   struct trap_frame *f,
								   uint64_t esr,
								   const struct data_abort *da)
{
	char what[96];

	fmt_snprintf(what, sizeof(what), "%s outside its RAM at IPA 0x%lx",
		     da->write ? "write" : "read", da->ipa);
	inject_abort_outside_ram(v, f, esr, what);
}

static __attribute__((noinline, cold)) void data_abort_not_emulable(struct vcpu *v,
								    struct trap_frame *f,
								    uint64_t esr,
								    const struct data_abort *da)
{
	char what[96];

	fmt_snprintf(what, sizeof(what), "%s at device IPA 0x%lx cannot be emulated",
		     da->stage1_walk ? "page table walk" : "access without a valid syndrome",
		     da->ipa);
	stop_with_report(v, f, esr, what);
}

static void trap_data_abort(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	struct data_abort da;
	bool valid = data_abort_decode(esr, read_sysreg(far_el2), read_sysreg(hpfar_el2), &da);

	if (!mmio_in_window(da.ipa))
		data_abort_outside_ram(v, f, esr, &da);
	else if (da.stage1_walk || !valid)
		data_abort_not_emulable(v, f, esr, &da);
	else
		emulate_mmio(v, f, &da);
}

static void trap_instruction_abort(struct vcpu *v, struct trap_frame *f, uint64_t esr)
{
	char what[80];

	fmt_snprintf(what, sizeof(what), "instruction fetch from IPA 0x%lx outside its RAM",
		     ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff));
	inject_abort_outside_ram(v, f, esr, what);
}

/* Handlers by ESR_EL2.EC. Every class has one: those not listed are undefined to the guest. */
static const trap_handler guest_traps[VM_TRAP_CLASSES] = {
    [EC_WFX] = trap_wfx,
    [EC_HVC64] = trap_hvc,
    [EC_SMC64] = trap_smc,
    [EC_SYSREG] = trap_sysreg,
    [EC_IABT_LOWER] = trap_instruction_abort,
    [EC_DABT_LOWER] = trap_data_abort,
};

/* Counts the trap by class (the only counter every trap pays) and runs its handler. */
static inline __attribute__((always_inline)) void dispatch(struct trap_frame *frame, uint64_t esr)
{
	struct vcpu *v = sched_current();
	unsigned int ec = esr_ec(esr);
	trap_handler handler = guest_traps[ec];

	v->vm->stats.traps[ec]++;
	(handler ? handler : trap_undefined)(v, frame, esr);
}

/*
 * On the fast path the frame holds x0-x19, x30, ELR_EL2 and SPSR_EL2 only;
 * x20-x29 are still in the hardware registers. Handlers read or write no
 * general register except the one the syndrome names (MMIO, MSR/MRS) and
 * x0-x2 (hypercalls), so only a transfer register in x20-x29 needs them.
 */
static bool needs_x20_to_x29(uint64_t esr)
{
	int reg = esr_transfer_register(esr);

	return reg >= 20 && reg <= 29;
}

enum trap_next trap_guest_sync(struct trap_frame *frame, uint64_t esr)
{
	if (needs_x20_to_x29(esr))
		return TRAP_NEEDS_FULL_FRAME;
	dispatch(frame, esr);
	return sched_can_resume_guest() ? TRAP_RESUME : TRAP_RESCHEDULE;
}

void trap_guest_sync_full(struct trap_frame *frame, uint64_t esr, enum trap_next next)
{
	if (next == TRAP_NEEDS_FULL_FRAME)
		dispatch(frame, esr);
	sched_return_to_guest(frame);
}

void trap_guest_fault(struct trap_frame *frame, const char *what, uint64_t esr)
{
	struct vcpu *v = sched_current();

	v->vm->stats.faults++;
	stop_with_report(v, frame, esr, what);
	sched_return_to_guest(frame);
}
