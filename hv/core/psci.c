/*
 * PSCI 1.0 for VMs (Arm DEN 0022): the minimum an OS needs to bring up
 * secondary CPUs and to power the machine off or reset it.
 *
 * A vCPU is "on" while its state is not VCPU_OFF. CPU_ON puts the target
 * vCPU in its reset state (EL1h, interrupts masked, MMU and caches off) at
 * the entry point, with the context id in x0 — exactly what DEN 0022 §6.4
 * ("CPU_ON") says the caller may rely on — and makes it runnable: the
 * scheduler gives it the core like any other vCPU.
 *
 * CPU_SUSPEND is not offered (PSCI_FEATURES says so): an OS idles its CPUs
 * with WFI, which the hypervisor already turns into "not runnable until an
 * interrupt".
 */
#include "core/psci.h"
#include "core/sched.h"
#include "core/vm.h"

/* SMCCC (Arm DEN 0028): bits 29:24 = owning entity; 4 = standard secure service. */
#define SMCCC_OWNER_SHIFT    24
#define SMCCC_OWNER_MASK     0x3fU
#define SMCCC_OWNER_STANDARD 4U
#define SMCCC_FAST_CALL	     (1U << 31)
#define PSCI_FUNCTION_MASK   0xffffU
#define PSCI_LAST_FUNCTION   0x1fU

/* MPIDR affinity fields the target of CPU_ON/AFFINITY_INFO names: Aff3, Aff2, Aff1, Aff0. */
#define MPIDR_AFFINITY	  0xff00ffffffUL
#define ENTRY_ALIGN_BYTES 4U

bool psci_is_call(uint64_t x0)
{
	uint32_t id = (uint32_t)x0;

	return (id & SMCCC_FAST_CALL) &&
	       ((id >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) == SMCCC_OWNER_STANDARD &&
	       (id & PSCI_FUNCTION_MASK) <= PSCI_LAST_FUNCTION;
}

/* The vCPU whose MPIDR_EL1 is `mpidr` (VMPIDR_EL2 gives vCPU n Aff0 = n), or NULL. */
static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	uint64_t affinity = mpidr & MPIDR_AFFINITY;

	/* Only Aff0 may be non-zero: every vCPU of a VM is in one cluster. */
	if (affinity >= vm->nr_vcpus || affinity >= VM_MAX_VCPUS)
		return NULL;
	return &vm->vcpus[affinity];
}

static int64_t cpu_on(struct vcpu *caller, uint64_t mpidr, uint64_t entry, uint64_t context)
{
	struct vm *vm = caller->vm;
	struct vcpu *target = vcpu_by_mpidr(vm, mpidr);

	if (!target)
		return PSCI_INVALID_PARAMETERS;
	/* The entry point must be an instruction in the VM's RAM. */
	if (entry % ENTRY_ALIGN_BYTES || !vm_guest_ptr(vm, entry, ENTRY_ALIGN_BYTES))
		return PSCI_INVALID_ADDRESS;
	/* Two vCPUs may ask for the same target at once: one of them wins. */
	vm_lock(vm);
	if (target->state != VCPU_OFF || target->power_on_pending) {
		vm_unlock(vm);
		return PSCI_ALREADY_ON;
	}
	/*
	 * The target may be placed on another core, which may still hold it
	 * (it has just called CPU_OFF): its own core resets it, when it next
	 * picks it up (sched.c, carry_out_power_on).
	 */
	target->power_on_entry = entry;
	target->power_on_context = context;
	target->power_on_pending = true;
	__atomic_store_n(&target->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	vm_unlock(vm);
	sched_kick(target->pcpu, WORK_RESCHED);
	return PSCI_SUCCESS;
}

/* AFFINITY_INFO at level 0 (one CPU): is it on? Higher levels (clusters) are not offered. */
static int64_t affinity_info(struct vcpu *caller, uint64_t mpidr, uint64_t level)
{
	const struct vcpu *target = vcpu_by_mpidr(caller->vm, mpidr);

	if (!target || level != 0)
		return PSCI_INVALID_PARAMETERS;
	return target->state == VCPU_OFF ? PSCI_AFFINITY_OFF : PSCI_AFFINITY_ON;
}

static void cpu_off(struct vcpu *v)
{
	/*
	 * The vCPU leaves the core for good; only CPU_ON brings it back (reset),
	 * perhaps from another core: its core lets go of its FP/SIMD and debug
	 * registers now, so nothing of it is live anywhere when that happens.
	 */
	v->state = VCPU_OFF;
	sched_forget_fp_simd(v);
	sched_forget_debug(v);
	sched_request(WORK_RESCHED);
}

static int64_t features(uint64_t function)
{
	switch ((uint32_t)function) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* The 32-bit forms take 32-bit arguments (SMCCC: the upper halves are ignored). */
static uint64_t arg(const struct trap_frame *f, unsigned int n, bool smc64)
{
	return smc64 ? f->x[n] : (uint32_t)f->x[n];
}

void psci_call(struct vcpu *v, struct trap_frame *f)
{
	uint32_t id = (uint32_t)f->x[0];
	bool smc64 = id & (1U << 30);
	int64_t result;

	switch (id) {
	case PSCI_VERSION:
		result = PSCI_VERSION_1_0;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		result = cpu_on(v, arg(f, 1, smc64), arg(f, 2, smc64), arg(f, 3, smc64));
		break;
	case PSCI_CPU_OFF:
		cpu_off(v);
		return;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		result = affinity_info(v, arg(f, 1, smc64), arg(f, 2, smc64));
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		result = PSCI_TOS_NOT_PRESENT;
		break;
	case PSCI_SYSTEM_OFF:
		vm_request(v->vm, VM_REQUEST_POWER_OFF);
		return;
	case PSCI_SYSTEM_RESET:
		vm_request(v->vm, VM_REQUEST_RESTART);
		return;
	case PSCI_FEATURES:
		result = features(f->x[1]);
		break;
	default:
		result = PSCI_NOT_SUPPORTED;
		break;
	}
	f->x[0] = (uint64_t)result;
}
