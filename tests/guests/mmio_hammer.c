/*
 * A hostile guest: hammers emulated device registers in a tight loop,
 * forever. Every access traps to the hypervisor, which must keep the shell
 * and the other VMs responsive all the same.
 *
 * Each round reads the system timer's counter (CLO), the mini UART's line
 * status, and the interrupt controller's pending registers, and reads and
 * writes device addresses where no register is: outside every device the
 * hypervisor models, and at unused offsets inside a modelled block. Those
 * read as 0 and writes to them are ignored (and counted: `vmi` shows them).
 *
 * The power manager's block (0x3F100000) is left alone: a write there can
 * reset the VM (its watchdog).
 *
 * Every HAMMER_ROUNDS rounds it prints one line: the round, CLO, and what
 * it noticed — CLO going backwards, an unknown address reading non-zero.
 */
#include "lib/bcm2837.h"
#include "lib/console.h"
#include "lib/mmio.h"
#include "lib/uart.h"

#include <stdint.h>

#define HAMMER_ROUNDS 512

static const uintptr_t nowhere[] = {
    0x3f000000UL, /* the first device address: nothing modelled there */
    0x3f00b300UL, /* inside the interrupt controller's block, no register */
    0x3f201000UL, /* PL011 UART0: not given to VMs */
    0x3f215080UL, /* AUX SPI1, inside the AUX block, not modelled */
    0x3f300000UL, /* EMMC */
    0x3f980000UL, /* USB */
    0x3ffffffcUL, /* the last device word */
    0x40000100UL, /* local peripherals, past the modelled page */
    0x4003fffcUL, /* the last word of the local window */
};

int main(void)
{
	const unsigned int n = sizeof(nowhere) / sizeof(nowhere[0]);
	uint64_t accesses = 0, nonzero = 0, backwards = 0;
	uint32_t last_clo;

	uart_init();
	console_printf("mmio_hammer: hammering device registers forever\n");
	last_clo = mmio_read32(SYSTIMER_CLO);
	for (uint64_t round = 1;; round++) {
		uint32_t clo = mmio_read32(SYSTIMER_CLO);

		/* Unsigned difference: a wrap of the 32-bit counter is not "backwards". */
		if ((int32_t)(clo - last_clo) < 0)
			backwards++;
		last_clo = clo;
		(void)mmio_read32(AUX_MU_LSR);
		(void)mmio_read32(IC_BASIC_PENDING);
		(void)mmio_read32(IC_PENDING(0));
		(void)mmio_read32(IC_PENDING(1));
		accesses += 5;
		for (unsigned int i = 0; i < n; i++) {
			if (mmio_read32(nowhere[i]) != 0)
				nonzero++;
			mmio_write32(nowhere[i], (uint32_t)round ^ 0xdeadbeefU);
			accesses += 2;
		}
		if (round % HAMMER_ROUNDS == 0)
			console_printf("mmio_hammer: round %lu, CLO %u, %lu accesses, %lu unknown "
				       "reads non-zero, CLO backwards %lu times\n",
				       round, clo, accesses, nonzero, backwards);
	}
}
