/*
 * A hostile guest: writes a system timer compare register with a halfword
 * store (STRH). The syndrome is valid, so the hypervisor decodes it, but the
 * model takes aligned words only (vdev/vdev_access.h): the access is
 * malformed, and the hypervisor stops this VM with a one-line report naming
 * the access's size, direction and address.
 */
#include "lib/console.h"
#include "lib/uart.h"

#include <stdint.h>

#define SYSTEM_TIMER_C1 0x3f003010UL

int main(void)
{
	uart_init();
	console_printf("bad_width: writing the system timer's C1 with STRH\n");
	__asm__ volatile("strh %w0, [%1]" ::"r"(0x1234U), "r"(SYSTEM_TIMER_C1) : "memory");
	console_printf("bad_width: wrote C1 — it should have been stopped\n");
	for (;;)
		__asm__ volatile("wfi");
}
