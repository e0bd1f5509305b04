/*
 * echo: the smallest useful guest. It prints a banner, then sends back
 * every byte it receives on the mini UART, turning CR into CR LF so a
 * terminal's Enter starts a new line.
 *
 * It waits for input in WFI with the receive interrupt enabled instead of
 * polling the UART, so under aVisor an idle echo VM costs no CPU time: the
 * hypervisor traps the WFI (HCR_EL2.TWI) and runs it again only when its
 * emulated UART has a byte for it.
 */
#include "lib/boot.h"
#include "lib/console.h"
#include "lib/sysreg.h"
#include "lib/uart.h"

static void echo_byte(char c)
{
	if (c == '\r') {
		uart_putc('\r');
		uart_putc('\n');
	} else {
		uart_putc(c);
	}
}

int main(void)
{
	uart_init();
	console_printf("echo: ready (entered at EL%u, running at EL%u)\n",
		       (unsigned int)boot_entry_el, current_el());
	uart_rx_irq_start();
	for (;;)
		echo_byte(uart_getc());
}
