/*
 * A test guest for the trap path of vectors.S (guest_sync_c): the
 * hypervisor first saves only x0-x19 and x30 and completes the frame when a
 * trap needs x20-x29. This guest checks both halves:
 *
 *  - emulated accesses that transfer x19-x29 (an MMIO store and load of the
 *    AUX scratch register, an MRS of ID_AA64MMFR0_EL1) give the same values
 *    as through x0;
 *  - x19-x29 keep their values across traps that use the partial frame
 *    (HVC, MMIO into x0, MRS into x0), across WFE (which reschedules), and
 *    across whatever interrupts and vCPU switches happen meanwhile.
 *
 * It prints "high_regs: ok after N rounds" every so often, or a FAIL line.
 */
#include "lib/console.h"
#include "lib/uart.h"

#include <stdint.h>

#define AUX_MU_SCRATCH 0x3f21505cUL
#define SYSTIMER_CLO   0x3f003004UL
#define ROUNDS	       2000

/* Store `value` to the scratch register from x<n>, load it back into x<n>. */
#define SCRATCH_THROUGH(n, value, out)                                                             \
	__asm__ volatile("mov x" #n ", %1\n\t"                                                     \
			 "strb w" #n ", [%2]\n\t"                                                  \
			 "mov x" #n ", #0\n\t"                                                     \
			 "ldrb w" #n ", [%2]\n\t"                                                  \
			 "mov %0, x" #n                                                            \
			 : "=&r"(out)                                                              \
			 : "r"(value), "r"(AUX_MU_SCRATCH)                                         \
			 : "x" #n, "memory")

#define MMFR0_THROUGH(n, out)                                                                      \
	__asm__ volatile("mrs x" #n ", id_aa64mmfr0_el1\n\tmov %0, x" #n : "=r"(out) : : "x" #n)

static unsigned int failures;

static void expect(const char *what, unsigned int reg, uint64_t got, uint64_t want)
{
	if (got != want && failures++ < 10)
		console_printf("high_regs: FAIL %s x%u: 0x%lx, expected 0x%lx\n", what, reg, got,
			       want);
}

#define CHECK_REG(n)                                                                               \
	do {                                                                                       \
		uint64_t got;                                                                      \
		SCRATCH_THROUGH(n, (uint64_t)(0x40 + n), got);                                     \
		expect("MMIO store/load", n, got, 0x40 + n);                                       \
		MMFR0_THROUGH(n, got);                                                             \
		expect("MRS", n, got, mmfr0);                                                      \
	} while (0)

static void transfers_through_every_high_register(void)
{
	uint64_t mmfr0;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	CHECK_REG(19);
	CHECK_REG(20);
	CHECK_REG(21);
	CHECK_REG(22);
	CHECK_REG(23);
	CHECK_REG(24);
	CHECK_REG(25);
	CHECK_REG(26);
	CHECK_REG(27);
	CHECK_REG(28);
	CHECK_REG(30);
}

/*
 * Sets x19-x29 to known values (0x913 + n - 19), traps four ways with them
 * live, and returns the OR of their differences (0 if every one survived). x29 is the frame
 * pointer, so it is saved and restored by hand around the test.
 */
static uint64_t callee_saved_survive_traps(void)
{
	uint64_t changed;

	__asm__ volatile("str x29, [sp, #-16]!\n\t"
			 "mov x19, #0x913\n\t"
			 "mov x20, #0x914\n\t"
			 "mov x21, #0x915\n\t"
			 "mov x22, #0x916\n\t"
			 "mov x23, #0x917\n\t"
			 "mov x24, #0x918\n\t"
			 "mov x25, #0x919\n\t"
			 "mov x26, #0x91a\n\t"
			 "mov x27, #0x91b\n\t"
			 "mov x28, #0x91c\n\t"
			 "mov x29, #0x91d\n\t"
			 "mov x0, #0\n\t"
			 "hvc #0\n\t" /* VERSION: answered on the partial frame */
			 "ldr w0, [%1]\n\t"
			 "mrs x0, id_aa64mmfr0_el1\n\t"
			 "wfe\n\t" /* a yield: the scheduler's slow path, maybe another vCPU */
			 "sub %0, x19, #0x913\n\t"
			 "sub x0, x20, #0x914\n\torr %0, %0, x0\n\t"
			 "sub x0, x21, #0x915\n\torr %0, %0, x0\n\t"
			 "sub x0, x22, #0x916\n\torr %0, %0, x0\n\t"
			 "sub x0, x23, #0x917\n\torr %0, %0, x0\n\t"
			 "sub x0, x24, #0x918\n\torr %0, %0, x0\n\t"
			 "sub x0, x25, #0x919\n\torr %0, %0, x0\n\t"
			 "sub x0, x26, #0x91a\n\torr %0, %0, x0\n\t"
			 "sub x0, x27, #0x91b\n\torr %0, %0, x0\n\t"
			 "sub x0, x28, #0x91c\n\torr %0, %0, x0\n\t"
			 "sub x0, x29, #0x91d\n\torr %0, %0, x0\n\t"
			 "ldr x29, [sp], #16"
			 : "=&r"(changed)
			 : "r"(SYSTIMER_CLO)
			 : "x0", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27",
			   "x28", "x30", "memory");
	return changed;
}

int main(void)
{
	uart_init();
	console_printf("high_regs: start\n");
	for (unsigned int round = 1;; round++) {
		uint64_t changed;

		transfers_through_every_high_register();
		changed = callee_saved_survive_traps();
		if (changed && failures++ < 10)
			console_printf("high_regs: FAIL x19-x29 changed across traps (0x%lx)\n",
				       changed);
		if (round % ROUNDS == 0)
			console_printf("high_regs: %s after %u rounds\n",
				       failures ? "FAILED" : "ok", round);
	}
}
