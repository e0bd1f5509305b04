/*
 * Isolation test, part 1 (issue 14): a guest that fills every register it
 * can write with its own patterns (tests/guests/regfile.h), arms two
 * breakpoints on code the reader runs and two watchpoints over the reader's
 * memory (MDSCR_EL1.KDE|MDE set), switches its PMU on to count only at EL2,
 * and then rewrites all of it forever, so that whenever it is descheduled
 * its values are what the hardware holds. Its own debug exceptions stay
 * masked (PSTATE.D), so nothing of this fires in the writer itself.
 *
 * It prints "writer: PMU TRAPPED" when the PMU is out of its reach, or how
 * many cycles it counted at EL2 over 1000 trapped device reads.
 */
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/mmio.h"
#include "lib/systimer.h"
#include "lib/uart.h"
#include "regfile.h"
#include "pmu_regs.h"

#define EC_UNKNOWN 0x00 /* ESR_EL1.EC of an undefined instruction */

static volatile unsigned int undefined;

/* An undefined instruction (a trapped PMU access) is counted and skipped. */
static void on_sync(struct trap_frame *tf)
{
	if ((read_sysreg(esr_el1) >> 26) == EC_UNKNOWN) {
		undefined++;
		tf->elr += 4;
		return;
	}
	exc_fatal(tf, EXC_CUR_SPX_SYNC);
}

static void try_pmu(void)
{
	static const struct reg pmu[] = PMU_TABLE;
	uint64_t before, after;

	for (unsigned int i = 0; i < sizeof(pmu) / sizeof(pmu[0]); i++)
		pmu[i].write(pmu[i].writer);
	if (undefined) {
		console_printf("writer: PMU TRAPPED (%u accesses undefined)\n", undefined);
		return;
	}
	before = read_pmccntr_el0();
	for (unsigned int i = 0; i < 1000; i++)
		(void)systimer_now();
	after = read_pmccntr_el0();
	console_printf("writer: PMU counted %lu cycles at EL2 over 1000 device reads\n",
		       (unsigned long)(after - before));
}

int main(void)
{
	const struct reg regs[] = REG_TABLE(WRITER_BREAKPOINT0, WRITER_BREAKPOINT1);
	const struct reg fp_control[] = FP_CONTROL_TABLE;
	const unsigned int count = sizeof(regs) / sizeof(regs[0]);

	uart_init();
	exc_set_handler(EXC_CUR_SPX_SYNC, on_sync);
	write_cpacr_el1(CPACR_FPEN);
	try_pmu();
	write_sysreg(oslar_el1, 0); /* its breakpoints may fire (in a guest with PSTATE.D clear) */
	console_printf("writer: %u registers and V0-V31 armed, rewriting them forever\n", count);
	for (;;) {
		for (unsigned int i = 0; i < count; i++)
			regs[i].write(regs[i].writer);
		for (unsigned int i = 0; i < 2; i++)
			fp_control[i].write(fp_control[i].writer);
		fp_fill(FP_WRITER_PATTERN, 1);
	}
}
