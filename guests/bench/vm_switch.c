/*
 * VM switch: what it costs aVisor to take the core from one VM and give it
 * to another, timed with the yield hypercall (HVC #0, x0 = 1).
 *
 * Two bench VMs run, and nothing else. One got key 'p' and only yields, in a
 * loop of three instructions (mov x0, #1; hvc #0; b), forever. The other got
 * key 'y' and times YIELD_ROUND_TRIPS of its own yields, like any other
 * operation (warm-up, counter reads with ISB, empty loop subtracted). With
 * exactly two runnable vCPUs the round-robin scheduler must switch on every
 * yield, so each timed yield is one round trip: a switch to the partner, the
 * partner's loop up to its next HVC, and a switch back. So
 *
 *     cost of one switch = net time / (2 * YIELD_ROUND_TRIPS)
 *
 * counting from one VM's HVC to the other VM's next instruction: the trap,
 * the hypercall, the scheduler's slow path, saving and loading the full EL1,
 * FP/SIMD and virtual timer state, the stage-2 and counter offset registers,
 * and the ERET; plus about 2.5 guest instructions (the partner's loop and
 * the measuring VM's mov + hvc, half each per switch).
 *
 * Only the measuring VM times, so the two never need to agree on a start:
 * the partner is yielding before the measuring VM gets its key (make bench
 * types 'p' first) and goes on after it is done.
 *
 * Both VMs also leave a different pattern in FP/SIMD register V8; the
 * measuring VM checks its own is intact afterwards, a check that the
 * switch keeps each VM's FP/SIMD state its own.
 */
#include "lib/console.h"
#include "lib/sysreg.h"

#include "bench/bench.h"

#include <stdint.h>

#define YIELD_ROUND_TRIPS 4096
/* CPACR_EL1.FPEN (bits 21:20) = 0b11: FP/SIMD instructions do not trap at EL1 or EL0. */
#define CPACR_EL1_FPEN (3UL << 20)

#define PATTERN_MEASURER_LO 0x0123456789abcdefUL
#define PATTERN_MEASURER_HI 0x5a5a5a5a00000001UL
#define PATTERN_PARTNER_LO  0xfedcba9876543210UL
#define PATTERN_PARTNER_HI  0xa5a5a5a5ffffffffUL

/*
 * V8's two halves. The guests are built with -mgeneral-regs-only, so the
 * compiler itself never touches V8 between these calls.
 */
static void fp_pattern_set(uint64_t lo, uint64_t hi)
{
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_EL1_FPEN);
	isb();
	__asm__ volatile("fmov d8, %0\n\tmov v8.d[1], %1" : : "r"(lo), "r"(hi) : "memory");
}

static int fp_pattern_is(uint64_t lo, uint64_t hi)
{
	uint64_t got_lo, got_hi;

	__asm__ volatile("fmov %0, d8\n\tmov %1, v8.d[1]"
			 : "=r"(got_lo), "=r"(got_hi)
			 :
			 : "memory");
	return got_lo == lo && got_hi == hi;
}

static void op_yield(void)
{
	(void)bench_hypercall(HC_YIELD);
}

void bench_vm_switch(void)
{
	unsigned int n = bench_runs(YIELD_ROUND_TRIPS);
	uint64_t net, ns_x100;

	fp_pattern_set(PATTERN_MEASURER_LO, PATTERN_MEASURER_HI);
	/*
	 * A fresh time slice (10 ms) first: the empty loop is timed while this
	 * VM runs alone, and its slice must not end in the middle of it (the
	 * yields themselves start a new slice at every switch).
	 */
	op_yield();
	net = bench_net_ticks(op_yield, n);
	ns_x100 = bench_ticks_to_ns(net) * 100 / (2 * n);
	bench_print("vm_switch", ns_x100, net, "ticks", 2 * n, "switches");
	console_printf("bench: fpsimd across switches %s\n",
		       fp_pattern_is(PATTERN_MEASURER_LO, PATTERN_MEASURER_HI) ? "intact"
									       : "CORRUPTED");
}

void bench_yield_partner(void)
{
	fp_pattern_set(PATTERN_PARTNER_LO, PATTERN_PARTNER_HI);
	console_printf("bench: yielding forever, the partner of the VM that times switches\n");
	for (;;)
		(void)bench_hypercall(HC_YIELD);
}
