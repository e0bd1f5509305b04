#include "core/hypercall.h"
#include "core/psci.h"
#include "core/sched.h"
#include "core/vconsole.h"
#include "core/vm.h"

/*
 * A hypercall's result goes in x0 (docs/hypercalls.md). Each function
 * writes it and returns what the trap path does next, so the dispatcher
 * is a plain tail call. Hypercalls use x0-x2 only: never x20-x29.
 */
static enum trap_next answer(struct trap_frame *f, int64_t value)
{
	f->x[0] = (uint64_t)value;
	return TRAP_RESUME;
}

static enum trap_next hc_version(struct vcpu *v, struct trap_frame *f)
{
	(void)v;
	return answer(f, (HC_ABI_MAJOR << 16) | HC_ABI_MINOR);
}

static enum trap_next hc_yield(struct vcpu *v, struct trap_frame *f)
{
	(void)v;
	sched_yield_current();
	return answer(f, 0);
}

/* Under the VM's lock, as for its UART: its vCPUs' output keeps one order. */
static enum trap_next hc_console_putc(struct vcpu *v, struct trap_frame *f)
{
	vm_lock(v->vm);
	vconsole_guest_output(v->vm, (uint8_t)f->x[1]);
	vm_unlock(v->vm);
	return answer(f, 0);
}

static enum trap_next hc_console_write(struct vcpu *v, struct trap_frame *f)
{
	uint64_t len = f->x[2];
	const uint8_t *buf;

	if (len > HC_CONSOLE_WRITE_MAX)
		return answer(f, HC_ERR_INVALID);
	buf = vm_guest_ptr(v->vm, f->x[1], len);
	if (!buf)
		return answer(f, HC_ERR_INVALID);
	vm_lock(v->vm);
	for (uint64_t i = 0; i < len; i++)
		vconsole_guest_output(v->vm, buf[i]);
	vm_unlock(v->vm);
	return answer(f, (int64_t)len);
}

static enum trap_next hc_vm_id(struct vcpu *v, struct trap_frame *f)
{
	f->x[1] = v->index;
	return answer(f, v->vm->id);
}

typedef enum trap_next (*hypercall_fn)(struct vcpu *v, struct trap_frame *f);

static const hypercall_fn hypercalls[HC_COUNT] = {
    [HC_VERSION] = hc_version,
    [HC_YIELD] = hc_yield,
    [HC_CONSOLE_PUTC] = hc_console_putc,
    [HC_CONSOLE_WRITE] = hc_console_write,
    [HC_VM_ID] = hc_vm_id,
};

/* Out of line, so that the hypercalls of this ABI need no stack frame in the dispatcher. */
static __attribute__((noinline, cold)) enum trap_next other_call(struct vcpu *v,
								 struct trap_frame *frame)
{
	/* PSCI's function ids (0x84000000 up) are far above this ABI's numbers. */
	if (psci_is_call(frame->x[0])) {
		psci_call(v, frame);
		return TRAP_RESUME;
	}
	return answer(frame, HC_ERR_NOT_SUPPORTED);
}

enum trap_next hypercall_dispatch(struct vcpu *v, struct trap_frame *frame, uint16_t imm)
{
	uint64_t fn = frame->x[0];

	/* ELR_EL2 already points after the HVC: nothing to skip. */
	if (imm != 0)
		return answer(frame, HC_ERR_NOT_SUPPORTED);
	if (fn < HC_COUNT)
		return hypercalls[fn](v, frame);
	return other_call(v, frame);
}
