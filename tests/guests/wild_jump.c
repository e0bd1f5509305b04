/*
 * A hostile guest: jumps to addresses where it has no memory to fetch from.
 * Under aVisor stage 2 maps nothing there, the fetch faults to EL2, and the
 * hypervisor injects a synchronous external abort (an instruction abort)
 * into this guest, reporting it in one line; the guest's own handler reports
 * it too and returns to the caller of the wild call, so the guest goes on
 * with the next target.
 *
 * The targets: 0x30000000 (above any test VM's RAM, below the devices),
 * the system timer's page (device addresses are emulated for loads and
 * stores only: there is nothing to execute there) and 64 GiB, beyond the
 * 4 GiB guest-physical address space.
 */
#include "arch/arm64/esr.h"
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/sysreg.h"
#include "lib/uart.h"

#include <stdint.h>

#define LR 30 /* x30 holds the return address of the wild call */

static const uint64_t targets[] = {0x30000000UL, 0x3f003000UL, 0x1000000000UL};

static volatile unsigned int aborts;

/* An instruction abort at EL1: report it and "return" from the call that jumped. */
static void on_sync(struct trap_frame *tf)
{
	uint64_t esr = read_sysreg(esr_el1);
	uint64_t far = read_sysreg(far_el1);
	const char *status = esr_fault_status_name(esr);

	if (esr_ec(esr) != EC_IABT_SAME)
		exc_fatal(tf, EXC_CUR_SPX_SYNC);
	aborts++;
	console_printf("wild_jump: %s at ELR 0x%lx: ESR_EL1=0x%08lx FAR_EL1=0x%lx (%s)\n",
		       esr_class_name(esr), tf->elr, esr, far, status ? status : "?");
	tf->elr = tf->x[LR];
}

int main(void)
{
	unsigned int n = sizeof(targets) / sizeof(targets[0]);

	uart_init();
	exc_set_handler(EXC_CUR_SPX_SYNC, on_sync);
	for (unsigned int i = 0; i < n; i++) {
		void (*wild)(void) = (void (*)(void))targets[i];

		console_printf("wild_jump: jumping to 0x%lx\n", targets[i]);
		wild();
		console_printf("wild_jump: back from 0x%lx\n", targets[i]);
	}
	console_printf("wild_jump: %u of %u jumps ended in an instruction abort\n", aborts, n);
	console_printf("wild_jump: done\n");
	for (;;)
		__asm__ volatile("wfi");
}
