/*
 * Isolation test, part 2 (issue 14): started after regs_writer, this guest
 * checks that nothing of the writer reaches it. For every register of
 * tests/guests/regfile.h, and V0-V31, it prints one line per phase:
 *
 *   boot  what a new VM finds: "OK" unless it is the writer's value ("LEAK");
 *   busy  its own value written, then 1.5 s of spinning while the writer
 *         runs, read back: "OK", "LEAK" (the writer's) or "CHANGED";
 *   wait  the same around ten 100 ms sleeps in WFI on system timer 1
 *         (each sleep's lateness is reported too).
 *
 * Then "pmu" lines (each PMU register must be "TRAPPED": a VM has no PMU),
 * the number of debug exceptions it took from the writer's breakpoints and
 * watchpoints with its own debug exceptions unmasked (must be 0), whether
 * its own breakpoint fires (once), and "reader: done".
 */
#include "lib/bcm2837.h"
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/irq.h"
#include "lib/mmio.h"
#include "lib/systimer.h"
#include "lib/uart.h"
#include "regfile.h"
#include "pmu_regs.h"

#define EC_UNKNOWN	  0x00
#define EC_BREAKPOINT_CUR 0x31
#define EC_WATCHPOINT_CUR 0x35
#define EC_SOFTWARE_STEP  0x33
#define SLEEP_US	  100000U
#define SLEEPS		  10
#define VBAR_PATTERN	  0x12345800ULL
#define FP_STEP		  ((uint64_t)-1)

ACCESSORS(vbar_el1)
ACCESSORS(dbgbvr2_el1)
ACCESSORS(dbgbcr2_el1)

static volatile unsigned int undefined, debug_exceptions, own_breakpoints;
static volatile bool woken;

static void on_sync(struct trap_frame *tf)
{
	unsigned int ec = (unsigned int)(read_sysreg(esr_el1) >> 26);

	if (ec == EC_UNKNOWN) {
		undefined++;
		tf->elr += 4;
	} else if (ec == EC_BREAKPOINT_CUR && tf->elr == read_dbgbvr2_el1()) {
		own_breakpoints++;
		write_dbgbcr2_el1(0); /* disarm, so the instruction can run */
	} else if (ec == EC_BREAKPOINT_CUR || ec == EC_WATCHPOINT_CUR || ec == EC_SOFTWARE_STEP) {
		/* Not ours: disarm the whole point set so the guest can go on, and count it. */
		debug_exceptions++;
		write_mdscr_el1(read_mdscr_el1() & ~(MDSCR_KDE | MDSCR_MDE));
	} else {
		exc_fatal(tf, EXC_CUR_SPX_SYNC);
	}
}

static void on_irq(struct trap_frame *tf)
{
	(void)tf;
	irq_dispatch();
}

static void on_match(void *ctx)
{
	(void)ctx;
	systimer_ack(1);
	woken = true;
}

static const char *verdict(const struct reg *r, uint64_t value)
{
	value &= r->mask;
	if (value == (r->reader & r->mask))
		return "OK";
	if (value == (r->writer & r->mask))
		return "LEAK";
	return "CHANGED";
}

/* A writer pattern of 0 cannot be told from a reset value: only the later phases test those. */
static void check_boot(const struct reg *regs, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		uint64_t value = regs[i].read() & regs[i].mask,
			 writer = regs[i].writer & regs[i].mask;

		console_printf("reader: %s boot %s (0x%lx)\n", regs[i].name,
			       writer && value == writer ? "LEAK" : "OK", (unsigned long)value);
	}
}

static const struct reg fp_control[] = FP_CONTROL_TABLE;
#define FP_CONTROL_COUNT (sizeof(fp_control) / sizeof(fp_control[0]))

static void write_own(const struct reg *regs, unsigned int count, bool with_exception_regs)
{
	for (unsigned int i = 0; i < count; i++) {
		if (with_exception_regs || !regs[i].exceptions_clobber)
			regs[i].write(regs[i].reader);
	}
	for (unsigned int i = 0; i < FP_CONTROL_COUNT; i++)
		fp_control[i].write(fp_control[i].reader);
	fp_fill(FP_READER_PATTERN, FP_STEP);
}

static void check_own(const struct reg *regs, unsigned int count, const char *phase,
		      bool with_exception_regs)
{
	uint64_t v[32];

	for (unsigned int i = 0; i < count; i++) {
		if (with_exception_regs || !regs[i].exceptions_clobber)
			console_printf("reader: %s %s %s\n", regs[i].name, phase,
				       verdict(&regs[i], regs[i].read()));
	}
	for (unsigned int i = 0; i < FP_CONTROL_COUNT; i++)
		console_printf("reader: %s %s %s\n", fp_control[i].name, phase,
			       verdict(&fp_control[i], fp_control[i].read()));
	fp_read(v);
	for (unsigned int n = 0; n < 32; n++) {
		uint64_t own = FP_READER_PATTERN + n * FP_STEP, writer = FP_WRITER_PATTERN + n;

		console_printf("reader: v%u %s %s\n", n, phase,
			       v[n] == own	? "OK"
			       : v[n] == writer ? "LEAK"
						: "CHANGED");
	}
}

static void check_fp_boot(void)
{
	uint64_t v[32];

	check_boot(fp_control, FP_CONTROL_COUNT);
	fp_read(v);
	for (unsigned int n = 0; n < 32; n++)
		console_printf("reader: v%u boot %s\n", n,
			       v[n] == FP_WRITER_PATTERN + n ? "LEAK" : "OK");
}

static void spin_us(uint64_t us)
{
	uint64_t ticks = read_sysreg(cntfrq_el0) / 1000000 * us, start = read_sysreg(cntvct_el0);

	while (read_sysreg(cntvct_el0) - start < ticks)
		;
}

/* Busy with IRQs masked: VBAR_EL1 and ELR/SPSR_EL1 can hold patterns meanwhile. */
static void busy_phase(const struct reg *regs, unsigned int count)
{
	uint64_t vbar = read_vbar_el1(), got;

	write_own(regs, count, true);
	write_vbar_el1(VBAR_PATTERN);
	spin_us(1500000);
	got = read_vbar_el1();
	write_vbar_el1(vbar);
	console_printf("reader: vbar_el1 busy %s\n", got == VBAR_PATTERN ? "OK" : "CHANGED");
	check_own(regs, count, "busy", true);
}

/* Ten 100 ms sleeps in WFI on system timer compare 1. */
static void wait_phase(const struct reg *regs, unsigned int count)
{
	uint32_t worst = 0;

	write_own(regs, count, false);
	for (unsigned int i = 0; i < SLEEPS; i++) {
		uint32_t deadline = mmio_read32(SYSTIMER_CLO) + SLEEP_US, late;

		woken = false;
		mmio_write32(SYSTIMER_C(1), deadline);
		while (!woken)
			wait_for_interrupt();
		late = mmio_read32(SYSTIMER_CLO) - deadline;
		if (late > worst)
			worst = late;
	}
	console_printf("reader: sleeps of 100 ms late by %u us at most\n", worst);
	check_own(regs, count, "wait", false);
}

static void check_pmu(void)
{
	static const struct reg pmu[] = PMU_TABLE;

	console_printf("reader: ID_AA64DFR0_EL1.PMUVer %lu\n",
		       (unsigned long)((read_sysreg(id_aa64dfr0_el1) >> 8) & 15));
	for (unsigned int i = 0; i < sizeof(pmu) / sizeof(pmu[0]); i++) {
		unsigned int before = undefined;
		uint64_t value = pmu[i].read();

		console_printf("reader: %s pmu %s\n", pmu[i].name,
			       undefined != before		 ? "TRAPPED"
			       : value == pmu[i].writer && value ? "LEAK"
								 : "READ");
	}
}

static __attribute__((noinline)) unsigned int own_target(unsigned int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 1;
}

/* Debug exceptions unmasked (PSTATE.D clear, MDSCR_EL1.KDE|MDE) on what the writer aimed at. */
static void debug_phase(void)
{
	uint64_t mdscr = MDSCR_KDE | MDSCR_MDE;
	volatile unsigned int sink = 0;

	write_sysreg(oslar_el1, 0);
	write_mdscr_el1(mdscr);
	__asm__ volatile("msr daifclr, #8\n\tisb" ::: "memory");
	for (unsigned int i = 0; i < 200; i++) {
		sink += (unsigned int)systimer_now();
		spin_us(5000);
	}
	console_printf("reader: debug exceptions from the writer's points: %u\n", debug_exceptions);
	write_mdscr_el1(mdscr);
	write_dbgbvr2_el1((uint64_t)(uintptr_t)own_target);
	write_dbgbcr2_el1(BCR_ARMED);
	sink += own_target(sink);
	__asm__ volatile("msr daifset, #8\n\tisb" ::: "memory");
	write_mdscr_el1(0);
	console_printf("reader: own breakpoint taken %u times\n", own_breakpoints);
}

int main(void)
{
	const struct reg regs[] = REG_TABLE(WRITER_BREAKPOINT0, WRITER_BREAKPOINT1);
	const unsigned int count = sizeof(regs) / sizeof(regs[0]);

	uart_init();
	check_boot(regs, count);
	exc_set_handler(EXC_CUR_SPX_SYNC, on_sync);
	exc_set_handler(EXC_CUR_SPX_IRQ, on_irq);
	irq_register(IRQ_SYSTIMER_1, on_match, 0);
	write_cpacr_el1(CPACR_FPEN);
	check_fp_boot();
	check_pmu();
	busy_phase(regs, count);
	wait_phase(regs, count);
	debug_phase();
	console_printf("reader: done\n");
	for (;;)
		wait_for_interrupt();
}
