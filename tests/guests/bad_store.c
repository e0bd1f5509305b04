/*
 * A hostile guest: stores outside its RAM. Under aVisor, stage 2 maps
 * nothing there, the store faults to EL2, and the hypervisor stops this VM
 * with a one-line report; other VMs keep running.
 */
#include "lib/console.h"
#include "lib/uart.h"

#include <stdint.h>

/* 512 MiB: beyond any test VM's RAM, below the device window. */
#define OUTSIDE_RAM 0x20000000UL

int main(void)
{
	uart_init();
	console_printf("bad_store: storing to 0x%lx, outside my RAM\n", OUTSIDE_RAM);
	*(volatile uint64_t *)OUTSIDE_RAM = 0xbad;
	console_printf("bad_store: the store went through — isolation is broken\n");
	for (;;)
		__asm__ volatile("wfi");
}
