/*
 * make bench's IPI round trip: a guest with two vCPUs (avisor.cfg:
 * vcpus=2, each on its own core) that bounces an inter-processor
 * interrupt between them through the BCM2836 local controller's mailboxes
 * (QA7 §4.7: core n's mailbox 0 is set at 0x40000080 + 16n, read and
 * cleared at 0x400000C0 + 16n). vCPU 0 sets vCPU 1's mailbox and waits in
 * WFI; vCPU 1's IRQ handler clears it and sets vCPU 0's; vCPU 0's handler
 * clears that and counts the round trip. Under -icount the cores that
 * wait are halted, so the guest time of a round trip is the instructions
 * both cores executed for it: two mailbox writes emulated, two physical
 * IPIs, two virtual interrupts delivered, two guest handlers.
 *
 * Prints "bench: ipi_round_trip N.NN (TICKS ticks / ROUNDS round trips)"
 * (instructions per round trip, as guests/bench prints its rows), then
 * "bench: done".
 */
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/uart.h"
#include "secondary.h"

#include <stdint.h>

#define PSCI_CPU_ON_64		 0xc4000003UL
#define LOCAL_MAILBOX_CTRL(core) (0x40000050UL + 4 * (core))
#define LOCAL_IRQ_SOURCE(core)	 (0x40000060UL + 4 * (core))
#define LOCAL_MAILBOX0_SET(core) (0x40000080UL + 16 * (core))
#define LOCAL_MAILBOX0_CLR(core) (0x400000c0UL + 16 * (core))
#define SOURCE_MAILBOX0		 (1U << 4)
#define MAILBOX0_IRQ_ENABLE	 1U
#define ROUNDS			 256
#define WARMUP			 16

static volatile unsigned int returned; /* round trips vCPU 0 saw come back */
static volatile unsigned int secondary_up;

static unsigned int this_core(void)
{
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xff);
}

/* Either vCPU: take the mailbox; vCPU 1 answers at once, vCPU 0 counts. */
static void on_irq(struct trap_frame *tf)
{
	unsigned int core = this_core();

	(void)tf;
	if (!(mmio_read32(LOCAL_IRQ_SOURCE(core)) & SOURCE_MAILBOX0))
		return;
	mmio_write32(LOCAL_MAILBOX0_CLR(core), mmio_read32(LOCAL_MAILBOX0_CLR(core)));
	if (core == 1)
		mmio_write32(LOCAL_MAILBOX0_SET(0), 1);
	else
		returned = returned + 1;
}

void secondary_main(uint64_t context)
{
	(void)context;
	mmio_write32(LOCAL_MAILBOX_CTRL(1), MAILBOX0_IRQ_ENABLE);
	secondary_up = 1;
	for (;;)
		wait_for_interrupt();
}

static void bounce(unsigned int rounds)
{
	for (unsigned int i = 0; i < rounds; i++) {
		unsigned int before = returned;

		mmio_write32(LOCAL_MAILBOX0_SET(1), 1);
		while (returned == before)
			wait_for_interrupt();
	}
}

/* PSCI CPU_ON (over HVC) of vCPU 1 at secondary_entry: 0 or a PSCI error. */
static int64_t start_vcpu1(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_64;
	register uint64_t x1 __asm__("x1") = 1;
	register uint64_t x2 __asm__("x2") = (uint64_t)(uintptr_t)secondary_entry;
	register uint64_t x3 __asm__("x3") = 0;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

int main(void)
{
	uint64_t start, ticks, freq;
	int64_t on;

	uart_init();
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	/* IRQs stay masked: wait_for_interrupt() takes them without a lost wake-up (smp.c). */
	mmio_write32(LOCAL_MAILBOX_CTRL(0), MAILBOX0_IRQ_ENABLE);
	on = start_vcpu1();
	if (on != 0) {
		console_printf("ipi: CPU_ON of vCPU 1 failed (%ld)\n", on);
		for (;;)
			wait_for_interrupt();
	}
	while (!secondary_up)
		__asm__ volatile("" ::: "memory");
	bounce(WARMUP);
	isb();
	start = read_sysreg(cntvct_el0);
	bounce(ROUNDS);
	isb();
	ticks = read_sysreg(cntvct_el0) - start;
	freq = read_sysreg(cntfrq_el0);
	/* Under -icount shift=0 one nanosecond of guest time is one instruction. */
	console_printf("bench: ipi_round_trip %lu.%02lu (%lu ticks / %u round trips)\n",
		       ticks * 1000000000UL / freq / ROUNDS,
		       ticks * 100000000000UL / freq / ROUNDS % 100, ticks, ROUNDS);
	console_printf("bench: done\n");
	for (;;)
		wait_for_interrupt();
}
