/*
 * A hostile guest: reads a device register with a load pair (LDP). Such an
 * instruction has no valid syndrome (ESR_EL2.ISS.ISV = 0), so the hypervisor
 * cannot emulate it and stops this VM with a one-line report.
 */
#include "lib/console.h"
#include "lib/uart.h"

#include <stdint.h>

#define SYSTEM_TIMER_CLO 0x3f003004UL

int main(void)
{
	uint64_t lo, hi;

	uart_init();
	console_printf("bad_mmio: reading the system timer with LDP\n");
	__asm__ volatile("ldp %0, %1, [%2]"
			 : "=r"(lo), "=r"(hi)
			 : "r"(SYSTEM_TIMER_CLO)
			 : "memory");
	console_printf("bad_mmio: read 0x%lx 0x%lx — it should have been stopped\n", lo, hi);
	for (;;)
		__asm__ volatile("wfi");
}
