/*
 * hello: the guest of the worked example in docs/guests.md, "Writing a
 * guest". It greets, then sends back what you type in capitals.
 */
#include "lib/console.h"
#include "lib/uart.h"

int main(void)
{
	uart_init();
	console_printf("hello: a new guest, running in its own VM\n");
	uart_rx_irq_start(); /* uart_getc() then sleeps in WFI until a key comes */
	for (;;) {
		char c = uart_getc();

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		uart_putc(c);
		if (c == '\r')
			uart_putc('\n');
	}
}
