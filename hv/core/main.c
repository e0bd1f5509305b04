/*
 * hv_main: the C entry point, called by boot.S on core 0 at EL2 with the MMU
 * off, a stack, and .bss cleared.
 */
#include "arch/arm64/exception.h"
#include "arch/arm64/mmu.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "core/boot_vms.h"
#include "core/console.h"
#include "core/layout.h"
#include "core/mm.h"
#include "core/pcpu.h"
#include "core/sched.h"
#include "core/shell.h"
#include "core/sysinfo.h"
#include "core/sysreg_emul.h"
#include "core/vm.h"

void hv_main(unsigned int entry_el) __attribute__((noreturn));
void hv_secondary_main(unsigned int core) __attribute__((noreturn));

extern char __hv_end[];

/*
 * HCR_EL2 before any guest exists: route physical IRQs, FIQs and SErrors to
 * EL2 (IMO/FMO/AMO) so the hypervisor's own interrupts reach it at EL2; RW:
 * EL1 is AArch64. sched_init() sets the full guest configuration.
 */
static void configure_el2(void)
{
	write_sysreg(hcr_el2, HCR_RW | HCR_IMO | HCR_FMO | HCR_AMO);
	isb();
}

static void enable_mmu(void)
{
	const struct board_info *b = board_get_info();
	struct mmu_layout layout = {
	    .ram_end = b->arm_ram_base + b->arm_ram_size,
	    .device_start = b->periph_base,
	    /* The local peripherals follow the SoC's; round up to a 2 MiB block. */
	    .device_end = (b->local_base + b->local_size + 0x1fffff) & ~0x1fffffUL,
	};

	mmu_enable(&layout);
}

static void check_image_fits(void)
{
	if ((uintptr_t)__hv_end > HV_IMAGE_MAX_END) {
		hv_printf(
		    "fatal: hypervisor image ends at %p, beyond the %p the MMU maps with pages\n",
		    (void *)__hv_end, (void *)HV_IMAGE_MAX_END);
		halt();
	}
}

/* How long core 0 waits for a released core to say it is online. */
#define CORE_START_TIMEOUT_US 1000000

/*
 * Releases cores 1-3 one at a time and waits for each to come online. A
 * core that does not is reported and left out: the others run without it.
 */
static void start_secondary_cores(void)
{
	extern char _start[];
	unsigned int online = 1;

	for (unsigned int core = 1; core < PCPU_MAX; core++) {
		uint64_t start = board_uptime_us();

		board_release_core(core, (uint64_t)(uintptr_t)_start);
		while (!__atomic_load_n(&pcpus[core].online, __ATOMIC_ACQUIRE) &&
		       board_uptime_us() - start < CORE_START_TIMEOUT_US)
			cpu_relax();
		if (pcpus[core].online)
			online++;
		else
			hv_printf("core %u did not come up within %u ms: running without it\n",
				  core, CORE_START_TIMEOUT_US / 1000);
	}
	hv_printf("cores: %u online\n", online);
}

/* Cores 1-3, from boot.S: MMU on, own stack; they join the scheduler. */
void hv_secondary_main(unsigned int core)
{
	sched_init_core(core);
	sched_start();
}

void hv_main(unsigned int entry_el)
{
	const struct board_info *b;

	/* Core 0's struct pcpu from the start: interrupt handlers ask for it. */
	write_sysreg(tpidr_el2, (uint64_t)&pcpus[0]);
	sysinfo_set_entry_el(entry_el);
	configure_el2();
	board_init();
	enable_mmu();
	console_init();
	shell_init();

	sysinfo_print_banner();
	check_image_fits();

	b = board_get_info();
	mm_init(HV_RESERVED_END, b->arm_ram_base + b->arm_ram_size);
	sysreg_emul_init();
	vm_init_all();
	sched_init();
	sched_init_core(0);
	start_secondary_cores();
	boot_vms_create();

	hv_printf(
	    "Type 'help' for commands, 'vmc <id>' to attach to a VM. In QEMU, Ctrl-A X quits.\n");
	shell_print_prompt();
	sched_start();
}
