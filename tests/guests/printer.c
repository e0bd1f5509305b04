/*
 * A hostile guest: prints as fast as it can, forever, never waiting for
 * anything. Each line carries a counter, one more than the line before,
 * so whoever reads the output can tell whether a byte was lost in between:
 *
 *     printer: 41
 *     printer: 42
 *
 * Even lines go through the mini UART (one trapped register write per
 * byte), odd lines through the CONSOLE_WRITE hypercall (one trap per line):
 * the two ways into the VM's console must keep the lines in order.
 *
 * While detached, its output fills its 16 KiB log in the hypervisor, which
 * drops the oldest bytes; the hypervisor shell and the other VMs must not
 * notice.
 */
#include "lib/console.h"
#include "lib/printf.h"
#include "lib/uart.h"

#include <stdint.h>

#define HC_CONSOLE_WRITE 3

/* CONSOLE_WRITE (docs/hypercalls.md): x0 = 3, x1 = buffer, x2 = length -> bytes written. */
static int64_t console_write_hvc(const char *buf, uint64_t len)
{
	register uint64_t x0 __asm__("x0") = HC_CONSOLE_WRITE;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)buf;
	register uint64_t x2 __asm__("x2") = len;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2) : : "x3", "memory");
	return (int64_t)x0;
}

int main(void)
{
	char line[48];

	uart_init();
	console_printf("printer: printing as fast as it can, forever\n");
	for (uint64_t n = 0;; n++) {
		if (n % 2 == 0) {
			console_printf("printer: %lu\n", n);
			continue;
		}
		int len = fmt_snprintf(line, sizeof(line), "printer: %lu\r\n", n);

		if (console_write_hvc(line, (uint64_t)len) != len)
			console_printf("printer: CONSOLE_WRITE of line %lu failed\n", n);
	}
}
