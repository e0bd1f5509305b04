/*
 * bench: times the hypervisor's trap paths from inside a guest.
 *
 * Each operation runs in a loop of N iterations, after a warm-up, between two
 * reads of the virtual counter (CNTVCT_EL0, with ISB around it so the reads
 * are not reordered with the loop); an empty loop of N iterations is timed
 * the same way and subtracted. Under QEMU with -icount shift=0 one
 * nanosecond of virtual time is one executed instruction (at every exception
 * level), so with CNTFRQ = 62.5 MHz a counter tick is 16 instructions:
 * the result is the hypervisor's path length per operation, reproducibly.
 *
 * Output, one line per operation (parsed by scripts/bench.py):
 *     bench: <name> <instructions per op> (<ticks> ticks / <n> ops)
 */
#include "lib/boot.h"
#include "lib/console.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/uart.h"

#include <stdint.h>

#define ITERATIONS     4096
#define WARMUP	       256
#define SYSTIMER_CLO   0x3f003004UL
#define AUX_MU_SCRATCH 0x3f21505cUL

static uint64_t counter(void)
{
	uint64_t value;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(value) : : "memory");
	return value;
}

static void op_empty(void)
{
	__asm__ volatile("" ::: "memory");
}

static void op_hvc(void)
{
	register uint64_t x0 __asm__("x0") = 0; /* VERSION: the null hypercall */

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static void op_mmio_read(void)
{
	(void)mmio_read32(SYSTIMER_CLO);
}

static void op_mmio_write(void)
{
	mmio_write32(AUX_MU_SCRATCH, 0x5a);
}

static void op_id_register(void)
{
	uint64_t value;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(value) : : "memory");
}

/* Registers only: what virtualization should not slow down at all. */
static void op_compute(void)
{
	uint64_t x = 12345;

	for (int i = 0; i < 64; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	__asm__ volatile("" : : "r"(x));
}

/* Streams over 2 MiB: stage-2 translation costs show up as TLB misses. */
#define MEMORY_BYTES (2u << 20)
static volatile uint64_t *const memory_area = (volatile uint64_t *)0x400000UL;

static void op_memory(void)
{
	static unsigned int offset;

	for (int i = 0; i < 64; i++) {
		memory_area[offset / 8] += 1;
		offset = (offset + 4096 + 64) % MEMORY_BYTES;
	}
}

/* One character on the mini UART by polling, as a bare-metal console does: LSR, then IO. */
#define AUX_MU_IO    0x3f215040UL
#define AUX_MU_LSR   0x3f215054UL
#define LSR_TX_EMPTY (1U << 5)

static void op_uart_char(void)
{
	while (!(mmio_read32(AUX_MU_LSR) & LSR_TX_EMPTY))
		;
	mmio_write32(AUX_MU_IO, 0); /* NUL: invisible on a terminal */
}

/*
 * WFI until a system timer compare (C1, interrupt line 1 enabled at the
 * interrupt controller, PSTATE.I masked: WFI still wakes) fires WAIT_US
 * ahead; what it costs beyond the wait is the wake-up path.
 */
#define SYSTIMER_CS   0x3f003000UL
#define SYSTIMER_C1   0x3f003010UL
#define INTC_ENABLE1  0x3f00b210UL
#define INTC_DISABLE1 0x3f00b21cUL
#define WAIT_US	      100

static void op_wfi_wakeup(void)
{
	mmio_write32(SYSTIMER_C1, mmio_read32(SYSTIMER_CLO) + WAIT_US);
	while (!(mmio_read32(SYSTIMER_CS) & 2))
		__asm__ volatile("wfi" ::: "memory");
	mmio_write32(SYSTIMER_CS, 2);
}

static uint64_t time_loop(void (*op)(void), unsigned int n)
{
	uint64_t start, end;

	for (unsigned int i = 0; i < WARMUP; i++)
		op();
	start = counter();
	for (unsigned int i = 0; i < n; i++)
		op();
	end = counter();
	return end - start;
}

/*
 * Instructions per operation, in hundredths, from counter ticks. Under
 * -icount shift=0 virtual time runs at 1 GHz: instructions = ns. `minus_ns`
 * is taken off per operation (a deliberate wait).
 */
static void report_n(const char *name, void (*op)(void), unsigned int n, uint64_t minus_ns)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t base = time_loop(op_empty, n);
	uint64_t ticks = time_loop(op, n);
	uint64_t net = ticks > base ? ticks - base : 0;
	uint64_t ns_x100 = net * 1000000000UL / freq * 100 / n;
	uint64_t insns_x100 = ns_x100 > minus_ns * 100 ? ns_x100 - minus_ns * 100 : 0;

	console_printf("bench: %s %lu.%02lu (%lu ticks / %u ops)\n", name, insns_x100 / 100,
		       insns_x100 % 100, net, n);
}

static void report(const char *name, void (*op)(void))
{
	report_n(name, op, ITERATIONS, 0);
}

int main(void)
{
	uart_init();
	console_printf("bench: start (entered at EL%u, CNTFRQ %lu Hz)\n",
		       (unsigned int)boot_entry_el, read_sysreg(cntfrq_el0));
	/*
	 * Measure only once the console is attached and quiet: a key typed
	 * during a measurement would change what it counts.
	 */
	console_printf("bench: press a key to start\n");
	while (!uart_rx_ready())
		;
	(void)mmio_read32(AUX_MU_IO);
	if (boot_entry_el == 1)
		report("hvc", op_hvc);
	report("mmio_read", op_mmio_read);
	report("mmio_write", op_mmio_write);
	report("id_register", op_id_register);
	report_n("uart_char", op_uart_char, 512, 0);
	mmio_write32(INTC_ENABLE1, 1U << 1);
	report_n("wfi_wakeup", op_wfi_wakeup, 64, WAIT_US * 1000);
	mmio_write32(INTC_DISABLE1, 1U << 1);
	report("compute", op_compute);
	report("memory", op_memory);
	console_printf("bench: done\n");
	for (;;)
		wait_for_interrupt();
}
