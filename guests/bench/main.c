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
 * Interrupt latencies (latency.c) and the VM switch (vm_switch.c) are timed
 * with the same counter.
 *
 * The guest waits for a key, which chooses what it does (docs/benchmarks.md):
 *     ' '  every measurement          'q'  the same, 64 times fewer iterations
 *     'y'  time VM switches (another VM must be yielding: key 'p' there)
 *     'd'  time 4 KiB requests to the VM's virtio disk (disk=sd:N); 'D' quick
 *     'Y'  the same, 64 times fewer   'p'  yield forever: the partner of 'y'
 *     'l'  the virtual timer's latency only (a dedicated core, the others loaded)
 *
 * Output, one line per result (parsed by scripts/bench.py):
 *     bench: <name> <instructions per op> (<ticks> ticks / <n> ops)
 * and, after the compute and memory kernels, "bench: checksum 0x..." (the
 * same natively and under aVisor for the same iterations: the system test
 * compares them).
 */
#include "lib/boot.h"
#include "lib/console.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/uart.h"

#include "bench/bench.h"

#include <stdbool.h>
#include <stdint.h>

#define ITERATIONS     4096
#define WARMUP	       256
#define SYSTIMER_CLO   0x3f003004UL
#define AUX_MU_SCRATCH 0x3f21505cUL

bool bench_quick;

unsigned int bench_runs(unsigned int full)
{
	unsigned int n = bench_quick ? full / 64 : full;

	return n ? n : 1;
}

uint64_t bench_ticks_to_ns(uint64_t ticks)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	/* Split so that ticks * 10^9 cannot overflow, however long the guest has run. */
	return ticks / freq * 1000000000UL + ticks % freq * 1000000000UL / freq;
}

uint64_t bench_us_to_ticks(uint64_t us)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	return us / 1000000 * freq + us % 1000000 * freq / 1000000;
}

void bench_print(const char *name, uint64_t insns_x100, uint64_t total, const char *unit,
		 unsigned int n, const char *what)
{
	console_printf("bench: %s %lu.%02lu (%lu %s / %u %s)\n", name, insns_x100 / 100,
		       insns_x100 % 100, total, unit, n, what);
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

/*
 * Registers only: what virtualization should not slow down at all. The
 * generator's state carries over from call to call and ends in the checksum.
 */
static uint64_t compute_state = 12345;

static void op_compute(void)
{
	uint64_t x = compute_state;

	for (int i = 0; i < 64; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	compute_state = x;
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

/*
 * Without -icount a busy host can delay the compare write until after the
 * moment it names: such a compare matches only when CLO wraps (71 minutes
 * later), so it is set again. Under -icount the check passes at once (it
 * adds one read of CLO to the operation).
 */
static void op_wfi_wakeup(void)
{
	uint32_t match;

	do {
		match = mmio_read32(SYSTIMER_CLO) + WAIT_US;
		mmio_write32(SYSTIMER_C1, match);
	} while ((int32_t)(match - mmio_read32(SYSTIMER_CLO)) <= 0 &&
		 !(mmio_read32(SYSTIMER_CS) & 2));
	while (!(mmio_read32(SYSTIMER_CS) & 2))
		__asm__ volatile("wfi" ::: "memory");
	mmio_write32(SYSTIMER_CS, 2);
}

/*
 * What the compute and memory kernels left behind: the generator's state,
 * and every word of the memory area weighted by its position (a store lost,
 * doubled or misplaced changes it).
 */
static uint64_t kernels_checksum(void)
{
	uint64_t sum = compute_state;

	for (uint64_t i = 0; i < MEMORY_BYTES / 8; i++)
		sum = sum * 31 + memory_area[i] * (i + 1);
	return sum;
}

/*
 * Not inlined or specialised: the empty loop must call op_empty through the
 * pointer, exactly as the loop of any other operation calls it, so that the
 * subtraction leaves only the operation's own instructions.
 */
static __attribute__((noinline, noclone)) uint64_t time_loop(void (*op)(void), unsigned int n)
{
	uint64_t start, end;

	for (unsigned int i = 0; i < WARMUP; i++)
		op();
	start = bench_counter();
	for (unsigned int i = 0; i < n; i++)
		op();
	end = bench_counter();
	return end - start;
}

uint64_t bench_net_ticks(void (*op)(void), unsigned int n)
{
	uint64_t base = time_loop(op_empty, n);
	uint64_t ticks = time_loop(op, n);

	return ticks > base ? ticks - base : 0;
}

/*
 * Instructions per operation, in hundredths, from counter ticks. Under
 * -icount shift=0 virtual time runs at 1 GHz: instructions = ns. `minus_ns`
 * is taken off per operation (a deliberate wait).
 */
static void report_n(const char *name, void (*op)(void), unsigned int n, uint64_t minus_ns)
{
	uint64_t net = bench_net_ticks(op, n);
	uint64_t ns_x100 = bench_ticks_to_ns(net) * 100 / n;
	uint64_t insns_x100 = ns_x100 > minus_ns * 100 ? ns_x100 - minus_ns * 100 : 0;

	bench_print(name, insns_x100, net, "ticks", n, "ops");
}

static void report(const char *name, void (*op)(void))
{
	report_n(name, op, bench_runs(ITERATIONS), 0);
}

/* The trap paths, the interrupt latencies, and the kernels with their checksum. */
static void run_all(void)
{
	if (boot_entry_el == 1)
		report("hvc", op_hvc);
	report("mmio_read", op_mmio_read);
	report("mmio_write", op_mmio_write);
	report("id_register", op_id_register);
	report_n("uart_char", op_uart_char, bench_runs(512), 0);
	mmio_write32(INTC_ENABLE1, 1U << 1);
	report_n("wfi_wakeup", op_wfi_wakeup, bench_runs(64), WAIT_US * 1000);
	mmio_write32(INTC_DISABLE1, 1U << 1);
	bench_irq_latency();
	report("compute", op_compute);
	report("memory", op_memory);
	console_printf("bench: checksum 0x%016lx\n", kernels_checksum());
}

static char wait_for_key(void)
{
	while (!uart_rx_ready())
		;
	return (char)mmio_read32(AUX_MU_IO);
}

int main(void)
{
	char key;

	uart_init();
	console_printf("bench: start (entered at EL%u, CNTFRQ %lu Hz)\n",
		       (unsigned int)boot_entry_el, read_sysreg(cntfrq_el0));
	/*
	 * Measure only once the console is attached and quiet: a key typed
	 * during a measurement would change what it counts.
	 */
	console_printf("bench: press a key to start\n");
	key = wait_for_key();
	bench_quick = key == 'q' || key == 'Y' || key == 'D';
	if (key == 'p')
		bench_yield_partner();
	if (key == 'y' || key == 'Y')
		bench_vm_switch();
	else if (key == 'd' || key == 'D')
		bench_disk();
	else if (key == 'l')
		bench_vtimer_latency();
	else
		run_all();
	console_printf("bench: done\n");
	for (;;)
		wait_for_interrupt();
}
