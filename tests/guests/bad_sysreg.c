/*
 * A hostile guest: reads a system register the hypervisor does not emulate
 * (CPUACTLR_EL1, an implementation-defined Cortex-A53 register; HCR_EL2.TIDCP
 * traps it). The hypervisor injects an undefined-instruction exception, as
 * the architecture would, and this guest's own exception handler reports it.
 */
#include "lib/console.h"
#include "lib/uart.h"

#include <stdint.h>

int main(void)
{
	uint64_t value;

	uart_init();
	console_printf("bad_sysreg: reading CPUACTLR_EL1 (S3_1_C15_C2_0)\n");
	__asm__ volatile("mrs %0, S3_1_C15_C2_0" : "=r"(value));
	console_printf("bad_sysreg: read 0x%lx — it should have been undefined\n", value);
	for (;;)
		__asm__ volatile("wfi");
}
