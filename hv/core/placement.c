#include "core/placement.h"
#include "core/pcpu.h"
#include "core/vm.h"
#include "lib/cpulist.h"
#include "lib/printf.h"

/* Lower is better: a core this VM does not use yet, then the least loaded, then the lowest. */
static unsigned int placement_cost(unsigned int core, uint32_t used_by_vm)
{
	return ((used_by_vm >> core) & 1U) * 1000U + pcpus[core].placed * 10U + core;
}

static unsigned int best_core(uint32_t usable, uint32_t used_by_vm)
{
	unsigned int best = PCPU_MAX;

	for (unsigned int core = 0; core < PCPU_MAX; core++) {
		if (!(usable & (1U << core)))
			continue;
		if (best == PCPU_MAX ||
		    placement_cost(core, used_by_vm) < placement_cost(best, used_by_vm))
			best = core;
	}
	return best;
}

bool placement_place_vm(struct vm *vm, uint32_t wanted, char *err, size_t size)
{
	uint32_t online = pcpu_online_mask();
	uint32_t usable = (wanted ? wanted : online) & online;
	uint32_t used = 0;

	if (!usable) {
		char want_text[CPULIST_TEXT_MAX], online_text[CPULIST_TEXT_MAX];

		cpulist_format(wanted, want_text, sizeof(want_text));
		cpulist_format(online, online_text, sizeof(online_text));
		fmt_snprintf(err, size, "cpus=%s: none of these cores is online (online: %s)",
			     want_text, online_text);
		return false;
	}
	vm->cpus = wanted ? wanted : online;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		unsigned int core = best_core(usable, used);

		vm->vcpus[i].pcpu = core;
		pcpus[core].placed++;
		used |= 1U << core;
	}
	return true;
}

void placement_release_vm(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		pcpus[vm->vcpus[i].pcpu].placed--;
}

uint32_t placement_vm_cores(const struct vm *vm)
{
	uint32_t cores = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		cores |= 1U << vm->vcpus[i].pcpu;
	return cores;
}
