/*
 * A hostile guest: reads a system register the hypervisor does not emulate:
 * CNTP_CTL_EL0, the EL1 physical timer, which belongs to the hypervisor
 * (CNTHCTL_EL2.EL1PCEN = 0 traps it to EL2). The hypervisor injects an
 * undefined-instruction exception, as the architecture would, and this
 * guest's own exception handler reports it.
 */
#include "lib/console.h"
#include "lib/uart.h"

#include <stdint.h>

int main(void)
{
	uint64_t value;

	uart_init();
	console_printf("bad_sysreg: reading CNTP_CTL_EL0 (S3_3_C14_C2_1)\n");
	__asm__ volatile("mrs %0, S3_3_C14_C2_1" : "=r"(value));
	console_printf("bad_sysreg: read 0x%lx — it should have been undefined\n", value);
	for (;;)
		__asm__ volatile("wfi");
}
