#pragma once
/*
 * What the benchmark guest's parts share: the virtual counter, the number of
 * runs of each measurement, and the one output line per result.
 */
#include <stdbool.h>
#include <stdint.h>

/* CNTVCT_EL0, with ISB on both sides so the read is not reordered with the code timed. */
static inline uint64_t bench_counter(void)
{
	uint64_t value;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(value) : : "memory");
	return value;
}

/*
 * True in the quick run (key 'q'): every measurement runs 64 times fewer
 * iterations. The system test uses it; make bench does not.
 */
extern bool bench_quick;

/* The iterations a measurement runs: `full`, or 64 times fewer (at least 1) in the quick run. */
unsigned int bench_runs(unsigned int full);

/*
 * Counter ticks taken by n calls of op, after a warm-up, minus those of an
 * empty loop of n iterations timed the same way.
 */
uint64_t bench_net_ticks(void (*op)(void), unsigned int n);

/* Counter ticks as nanoseconds: instructions under QEMU -icount shift=0. */
uint64_t bench_ticks_to_ns(uint64_t ticks);

/* Microseconds as counter ticks: the tick the counter shows at that microsecond's start. */
uint64_t bench_us_to_ticks(uint64_t us);

/*
 * Prints one result, parsed by scripts/bench.py and the system test:
 *     bench: <name> <instructions per op, 2 decimals> (<total> <unit> / <n> <what>)
 */
void bench_print(const char *name, uint64_t insns_x100, uint64_t total, const char *unit,
		 unsigned int n, const char *what);

/* HVC #0 function numbers (docs/hypercalls.md); only valid under aVisor (entered at EL1). */
#define HC_YIELD 1
#define HC_VM_ID 4

static inline int64_t bench_hypercall(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	return (int64_t)x0;
}

/* One 4 KiB request to the VM's virtio disk, read and write (disk.c): key 'd'. */
void bench_disk(void);

/* Interrupt latencies (latency.c): system timer and virtual timer to the IRQ vector. */
void bench_irq_latency(void);
/* The virtual timer's row of bench_irq_latency alone. */
void bench_vtimer_latency(void);

/* VM switch (vm_switch.c): timed by the VM that got key 'y', while its partner (key 'p') yields. */
void bench_vm_switch(void);
__attribute__((noreturn)) void bench_yield_partner(void);
