/*
 * A hostile guest: masks every interrupt and spins forever. The hypervisor's
 * own timer interrupt is routed to EL2 (HCR_EL2.IMO), which PSTATE.I at EL1
 * cannot mask, so the hypervisor still takes the core back.
 */
#include "lib/console.h"
#include "lib/uart.h"

int main(void)
{
	uart_init();
	console_printf("irq_spin: spinning forever with interrupts masked\n");
	__asm__ volatile("msr daifset, #0xf");
	for (;;)
		__asm__ volatile("" ::: "memory");
}
