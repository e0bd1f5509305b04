/*
 * A test guest for the traps the hypervisor answers in assembly (vectors.S:
 * ID register reads, the VERSION and VM_ID hypercalls) and for the C path
 * they fall back to. The system test runs it with the shell's `fastpath on`
 * and `fastpath off` and compares everything it prints: the assembly must
 * give what its C reference gives.
 *
 * A probe sets x0-x30 to known patterns (0x5a00 + n), makes one trapping
 * instruction and stores all 31 registers: every register but the
 * instruction's results must come back as it was, and so must SP,
 * ELR_EL1, SPSR_EL1 and both halves of V8 (run_probe). The MRS probe runs once
 * for every transfer register (x0-x30, and XZR); the hypercall probes run
 * VERSION and VM_ID (answered in assembly), CONSOLE_PUTC and HVC #1
 * (always C). A last probe spins for 5 ms with its virtual timer and a
 * system timer compare firing meanwhile (its own IRQs stay masked, so the
 * hypervisor's interrupt fast paths run under it: the virtual timer's,
 * its re-check's, the device alarm's) and checks that nothing changed
 * either. Then every register of the ID space (Op0 3, Op1 0, CRn 0, CRm
 * 1-7, any Op2) is read and printed.
 */
#include "lib/bcm2837.h"
#include "lib/console.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/systimer.h"
#include "lib/uart.h"

#include <stdint.h>

#define PATTERN(n)	       (0x5a00UL + (n))
#define HC_VERSION	       0
#define HC_PUTC		       2
#define HC_VM_ID	       4
#define HC_ERR_NONE	       (-1L) /* NOT_SUPPORTED, for HVC #1 */
#define ELR_PATTERN	       0x5a5a0000UL
#define SPSR_PATTERN	       0x3c5UL /* EL1h, DAIF masked: a value the guest could return to */
#define V8_LO		       0x0123456789abcdefUL
#define V8_HI		       0x5a5a5a5a00000001UL
#define CPACR_FPEN	       (3UL << 20) /* CPACR_EL1.FPEN: FP/SIMD does not trap at EL1 */
#define LOCAL_CORE0_TIMER_CTRL 0x40000040UL
#define LOCAL_CORE0_IRQ_SOURCE 0x40000060UL
#define SOURCE_CNTV	       (1U << 3) /* QA7 §4.6, §4.10 */
#define CNTV_CTL_ENABLE	       1UL
#define SPIN_MS		       5

/* probe_spin spins until CNTVCT_EL0 reaches this (in x27/x28, which it leaves out). */
uint64_t spin_until;

/*
 * probe_mrs_N(regs), N = 0-31: MRS of ID_AA64MMFR0_EL1 into xN (31: XZR).
 * probe_hvc_FN(regs): HVC #0 with x0 = FN, x1 = 'h' for CONSOLE_PUTC.
 * probe_hvc_imm1(regs): HVC #1.
 * Each fills x0-x30, traps once, and stores x0-x30 to regs[0..30]; x19-x30
 * and SP are the caller's again on return.
 */
__asm__(".macro fill_registers\n"
	".irp k,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,"
	"30\n"
	"	mov	x\\k, #(0x5a00 + \\k)\n"
	".endr\n"
	".endm\n"
	/* The registers to the stack, then to the buffer (its address below them). */
	".macro store_registers\n"
	"	sub	sp, sp, #256\n"
	"	stp	x0, x1, [sp, #0]\n"
	"	stp	x2, x3, [sp, #16]\n"
	"	stp	x4, x5, [sp, #32]\n"
	"	stp	x6, x7, [sp, #48]\n"
	"	stp	x8, x9, [sp, #64]\n"
	"	stp	x10, x11, [sp, #80]\n"
	"	stp	x12, x13, [sp, #96]\n"
	"	stp	x14, x15, [sp, #112]\n"
	"	stp	x16, x17, [sp, #128]\n"
	"	stp	x18, x19, [sp, #144]\n"
	"	stp	x20, x21, [sp, #160]\n"
	"	stp	x22, x23, [sp, #176]\n"
	"	stp	x24, x25, [sp, #192]\n"
	"	stp	x26, x27, [sp, #208]\n"
	"	stp	x28, x29, [sp, #224]\n"
	"	str	x30, [sp, #240]\n"
	"	ldr	x0, [sp, #256]\n"
	"	ldp	x1, x2, [sp, #0]\n"
	"	stp	x1, x2, [x0, #0]\n"
	"	ldp	x1, x2, [sp, #16]\n"
	"	stp	x1, x2, [x0, #16]\n"
	"	ldp	x1, x2, [sp, #32]\n"
	"	stp	x1, x2, [x0, #32]\n"
	"	ldp	x1, x2, [sp, #48]\n"
	"	stp	x1, x2, [x0, #48]\n"
	"	ldp	x1, x2, [sp, #64]\n"
	"	stp	x1, x2, [x0, #64]\n"
	"	ldp	x1, x2, [sp, #80]\n"
	"	stp	x1, x2, [x0, #80]\n"
	"	ldp	x1, x2, [sp, #96]\n"
	"	stp	x1, x2, [x0, #96]\n"
	"	ldp	x1, x2, [sp, #112]\n"
	"	stp	x1, x2, [x0, #112]\n"
	"	ldp	x1, x2, [sp, #128]\n"
	"	stp	x1, x2, [x0, #128]\n"
	"	ldp	x1, x2, [sp, #144]\n"
	"	stp	x1, x2, [x0, #144]\n"
	"	ldp	x1, x2, [sp, #160]\n"
	"	stp	x1, x2, [x0, #160]\n"
	"	ldp	x1, x2, [sp, #176]\n"
	"	stp	x1, x2, [x0, #176]\n"
	"	ldp	x1, x2, [sp, #192]\n"
	"	stp	x1, x2, [x0, #192]\n"
	"	ldp	x1, x2, [sp, #208]\n"
	"	stp	x1, x2, [x0, #208]\n"
	"	ldp	x1, x2, [sp, #224]\n"
	"	stp	x1, x2, [x0, #224]\n"
	"	ldr	x1, [sp, #240]\n"
	"	str	x1, [x0, #240]\n"
	"	add	sp, sp, #256\n"
	".endm\n"
	".macro probe name, setup, insn\n"
	"	.global	\\name\n"
	"\\name:\n"
	"	stp	x29, x30, [sp, #-16]!\n"
	"	stp	x27, x28, [sp, #-16]!\n"
	"	stp	x25, x26, [sp, #-16]!\n"
	"	stp	x23, x24, [sp, #-16]!\n"
	"	stp	x21, x22, [sp, #-16]!\n"
	"	stp	x19, x20, [sp, #-16]!\n"
	"	str	x0, [sp, #-16]!\n"
	"	fill_registers\n"
	"	\\setup\n"
	"	\\insn\n"
	"	store_registers\n"
	"	add	sp, sp, #16\n"
	"	ldp	x19, x20, [sp], #16\n"
	"	ldp	x21, x22, [sp], #16\n"
	"	ldp	x23, x24, [sp], #16\n"
	"	ldp	x25, x26, [sp], #16\n"
	"	ldp	x27, x28, [sp], #16\n"
	"	ldp	x29, x30, [sp], #16\n"
	"	ret\n"
	".endm\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,"
	"30\n"
	"	probe probe_mrs_\\n, nop, \"mrs x\\n, id_aa64mmfr0_el1\"\n"
	".endr\n"
	"	probe probe_mrs_31, nop, \"mrs xzr, id_aa64mmfr0_el1\"\n"
	"	probe probe_hvc_version, \"mov x0, #0\", \"hvc #0\"\n"
	"	probe probe_hvc_vm_id, \"mov x0, #4\", \"hvc #0\"\n"
	"	probe probe_hvc_putc, \"mov x0, #2; mov x1, #'h'\", \"hvc #0\"\n"
	"	probe probe_hvc_imm1, nop, \"hvc #1\"\n"
	"	probe probe_spin, \"adrp x28, spin_until; ldr x28, [x28, :lo12:spin_until]\", "
	"\"1: mrs x27, cntvct_el0; cmp x27, x28; b.lo 1b\"\n"
	"	.section .rodata\n"
	"	.balign	8\n"
	"	.global	probe_mrs\n"
	"probe_mrs:\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,"
	"30,31\n"
	"	.quad	probe_mrs_\\n\n"
	".endr\n"
	"	.text\n");

typedef void probe_fn(uint64_t regs[31]);
extern probe_fn *const probe_mrs[32];
probe_fn probe_hvc_version, probe_hvc_vm_id, probe_hvc_putc, probe_hvc_imm1, probe_spin;

static unsigned int failures;

static void expect_state(const char *what, const char *name, uint64_t got, uint64_t want)
{
	if (got != want && failures++ < 10)
		console_printf("fast_paths: FAIL %s: %s = 0x%lx, expected 0x%lx\n", what, name, got,
			       want);
}

/*
 * Runs one probe with ELR_EL1, SPSR_EL1 and V8 set to patterns, and checks
 * them and SP afterwards. The guest never unmasks interrupts, so nothing of
 * its own rewrites ELR_EL1 and SPSR_EL1 meanwhile; it is built with
 * -mgeneral-regs-only, so the compiler never touches V8.
 */
static void run_probe(const char *what, probe_fn *fn, uint64_t regs[31])
{
	uint64_t sp_before, sp_after, lo, hi;

	write_sysreg(elr_el1, ELR_PATTERN);
	write_sysreg(spsr_el1, SPSR_PATTERN);
	__asm__ volatile("fmov d8, %0\n\tmov v8.d[1], %1" : : "r"(V8_LO), "r"(V8_HI) : "memory");
	__asm__ volatile("mov %0, sp" : "=r"(sp_before));
	fn(regs);
	__asm__ volatile("mov %0, sp" : "=r"(sp_after));
	__asm__ volatile("fmov %0, d8\n\tmov %1, v8.d[1]" : "=r"(lo), "=r"(hi) : : "memory");
	expect_state(what, "SP", sp_after, sp_before);
	expect_state(what, "ELR_EL1", read_sysreg(elr_el1), ELR_PATTERN);
	expect_state(what, "SPSR_EL1", read_sysreg(spsr_el1), SPSR_PATTERN);
	expect_state(what, "V8 low", lo, V8_LO);
	expect_state(what, "V8 high", hi, V8_HI);
}

/* Every register but `skip_a` and `skip_b` (-1: none) holds its pattern. */
static void check_patterns(const char *what, const uint64_t regs[31], int skip_a, int skip_b)
{
	for (int n = 0; n < 31; n++) {
		if (n == skip_a || n == skip_b || regs[n] == PATTERN(n))
			continue;
		if (failures++ < 10)
			console_printf("fast_paths: FAIL %s: x%d = 0x%lx, expected 0x%lx\n", what,
				       n, regs[n], PATTERN(n));
	}
}

static void expect_value(const char *what, int reg, uint64_t got, uint64_t want)
{
	if (got != want && failures++ < 10)
		console_printf("fast_paths: FAIL %s: x%d = 0x%lx, expected 0x%lx\n", what, reg, got,
			       want);
}

static void mrs_into_every_register(void)
{
	uint64_t regs[31], mmfr0;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	for (int rt = 0; rt < 32; rt++) {
		run_probe("MRS", probe_mrs[rt], regs);
		check_patterns("MRS", regs, rt, -1);
		if (rt < 31)
			expect_value("MRS", rt, regs[rt], mmfr0);
	}
	console_printf("fast_paths: ID_AA64MMFR0_EL1 0x%lx through x0-x30 and xzr\n", mmfr0);
}

static void hypercalls(void)
{
	uint64_t regs[31];

	run_probe("VERSION", probe_hvc_version, regs);
	check_patterns("VERSION", regs, 0, -1);
	console_printf("fast_paths: VERSION 0x%lx\n", regs[0]);
	run_probe("VM_ID", probe_hvc_vm_id, regs);
	check_patterns("VM_ID", regs, 0, 1);
	console_printf("fast_paths: VM_ID vm %lu vcpu %lu\n", regs[0], regs[1]);
	run_probe("CONSOLE_PUTC", probe_hvc_putc, regs);
	check_patterns("CONSOLE_PUTC", regs, 0, 1);
	expect_value("CONSOLE_PUTC", 1, regs[1], 'h');
	console_printf("\nfast_paths: CONSOLE_PUTC %ld\n", (long)regs[0]);
	run_probe("HVC #1", probe_hvc_imm1, regs);
	check_patterns("HVC #1", regs, 0, -1);
	expect_value("HVC #1", 0, regs[0], (uint64_t)HC_ERR_NONE);
}

/*
 * Interrupts under a spinning guest: CNTV 1 ms ahead (routed to IRQ) and
 * system timer compare 1 0.5 ms ahead (enabled in the interrupt
 * controller), IRQs masked at EL1 throughout. Afterwards both must be
 * pending: they fired while it spun, and the hypervisor handled them at
 * EL2 under it.
 */
static void interrupts_while_spinning(void)
{
	uint64_t regs[31], freq = read_sysreg(cntfrq_el0), now = read_sysreg(cntvct_el0);
	uint32_t source, pending, match;

	mmio_write32(LOCAL_CORE0_TIMER_CTRL, SOURCE_CNTV);
	write_sysreg(cntv_cval_el0, now + freq / 1000);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	/*
	 * A compare already behind the clock would match only after CLO
	 * wraps: without -icount a busy host may stall the guest between the
	 * read and the write, so it is written again until it is ahead.
	 */
	do {
		systimer_ack(1);
		match = (uint32_t)systimer_now() + 500;
		mmio_write32(SYSTIMER_C(1), match);
	} while ((int32_t)(match - (uint32_t)systimer_now()) <= 0);
	mmio_write32(IC_ENABLE(0), 1U << IRQ_SYSTIMER_1);
	/* From here: the compare matches within the spin, whatever the host does. */
	spin_until = read_sysreg(cntvct_el0) + SPIN_MS * freq / 1000;
	run_probe("spin", probe_spin, regs);
	check_patterns("spin", regs, 27, 28);
	source = mmio_read32(LOCAL_CORE0_IRQ_SOURCE);
	pending = mmio_read32(IC_PENDING(0));
	console_printf("fast_paths: after %d ms of spinning: virtual timer %s, system timer 1 %s\n",
		       SPIN_MS, source & SOURCE_CNTV ? "pending" : "NOT PENDING",
		       pending & (1U << IRQ_SYSTIMER_1) ? "pending" : "NOT PENDING");
	write_sysreg(cntv_ctl_el0, 0);
	mmio_write32(LOCAL_CORE0_TIMER_CTRL, 0);
	mmio_write32(IC_DISABLE(0), 1U << IRQ_SYSTIMER_1);
	systimer_ack(1);
}

/* S3_0_C0_C<crm>_<op2>: the assembler takes any such name. */
#define ID_READ(crm, op2)                                                                          \
	({                                                                                         \
		uint64_t v;                                                                        \
		__asm__ volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v));                     \
		v;                                                                                 \
	})
#define ID_ROW(crm)                                                                                \
	console_printf("fast_paths: CRm %d: %lx %lx %lx %lx %lx %lx %lx %lx\n", crm,               \
		       ID_READ(crm, 0), ID_READ(crm, 1), ID_READ(crm, 2), ID_READ(crm, 3),         \
		       ID_READ(crm, 4), ID_READ(crm, 5), ID_READ(crm, 6), ID_READ(crm, 7))

static void id_space(void)
{
	ID_ROW(1);
	ID_ROW(2);
	ID_ROW(3);
	ID_ROW(4);
	ID_ROW(5);
	ID_ROW(6);
	ID_ROW(7);
}

int main(void)
{
	uart_init();
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_FPEN);
	isb();
	console_printf("fast_paths: start\n");
	mrs_into_every_register();
	hypercalls();
	interrupts_while_spinning();
	id_space();
	console_printf("fast_paths: %s, %u failures\n", failures ? "FAILED" : "registers ok",
		       failures);
	for (;;)
		__asm__ volatile("wfi");
}
