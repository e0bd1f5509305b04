/*
 * A hostile guest: calls the hypervisor with things it does not offer.
 *
 * - SMC (there is no secure firmware for a VM): the hypervisor answers
 *   NOT_SUPPORTED (x0 = -1) and execution continues after the SMC;
 * - HVC #0 with unknown function numbers and garbage in every register;
 * - HVC with a non-zero immediate (reserved: NOT_SUPPORTED);
 * - CONSOLE_WRITE with a buffer outside its RAM, crossing its end, wrapping
 *   around the address space, or longer than allowed (INVALID, -2);
 * and then checks that VERSION and VM_ID still answer.
 *
 * Every call is made with all of x0-x28 loaded from an array and stored
 * back afterwards, so the guest sees exactly what the hypervisor left in
 * them: the result in x0, and x4-x28 unchanged (docs/hypercalls.md: "every
 * other register is preserved"; x1-x3 may carry extra results). One line is
 * printed per call; the system test checks each.
 */
#include "lib/console.h"
#include "lib/mmio.h"
#include "lib/printf.h"
#include "lib/uart.h"

#include <stdbool.h>
#include <stdint.h>

#define REGS 29 /* x0-x28: the registers a call is made with */

/* Hypercall numbers and errors (docs/hypercalls.md). */
#define HC_VERSION	     0
#define HC_CONSOLE_WRITE     3
#define HC_VM_ID	     4
#define HC_FIRST_UNKNOWN     5
#define HC_ABI_1_0	     0x10000
#define HC_ERR_NOT_SUPPORTED (-1L)
#define HC_ERR_INVALID	     (-2L)
#define CONSOLE_WRITE_MAX    4096

/*
 * PSCI over either conduit (docs/hypercalls.md): VERSION answers 1.0; this VM
 * has one vCPU, so CPU_ON for vCPU 1 is INVALID_PARAMETERS.
 */
#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_ON_64		0xc4000003UL
#define PSCI_1_0		0x10000L
#define PSCI_INVALID_PARAMETERS (-2L)

/* Mailbox (firmware wiki "Mailboxes"), to ask for the size of this VM's RAM. */
#define MAIL0_READ	  0x3f00b880UL
#define MAIL0_STATUS	  0x3f00b898UL
#define MAIL1_WRITE	  0x3f00b8a0UL
#define MAIL1_STATUS	  0x3f00b8b8UL
#define MAIL_FULL	  (1U << 31)
#define MAIL_EMPTY	  (1U << 30)
#define CHANNEL_PROPERTY  8U
#define TAG_ARM_MEMORY	  0x00010005U
#define CODE_SUCCESS	  0x80000000U
#define UART_IO_REGISTER  0x3f215040UL
#define OUTSIDE_RAM	  0x20000000UL
#define LAST_PAGE_OF_IPAS 0xfffffffffffff000UL

/*
 * The trap instruction, run with x0-x28 from regs[] and stored back into it
 * (void NAME(uint64_t regs[REGS])). x29 holds the array's address across the
 * trap, so the hypervisor has to keep it too; x19-x28, callee-saved in the
 * C ABI, are restored before returning.
 */
__asm__(".macro regs_pairs op\n"
	"	\\op	x0, x1, [x29, #0]\n"
	"	\\op	x2, x3, [x29, #16]\n"
	"	\\op	x4, x5, [x29, #32]\n"
	"	\\op	x6, x7, [x29, #48]\n"
	"	\\op	x8, x9, [x29, #64]\n"
	"	\\op	x10, x11, [x29, #80]\n"
	"	\\op	x12, x13, [x29, #96]\n"
	"	\\op	x14, x15, [x29, #112]\n"
	"	\\op	x16, x17, [x29, #128]\n"
	"	\\op	x18, x19, [x29, #144]\n"
	"	\\op	x20, x21, [x29, #160]\n"
	"	\\op	x22, x23, [x29, #176]\n"
	"	\\op	x24, x25, [x29, #192]\n"
	"	\\op	x26, x27, [x29, #208]\n"
	".endm\n"
	".macro with_regs name, insn\n"
	"	.pushsection .text\n"
	"	.global	\\name\n"
	"	.type	\\name, %function\n"
	"\\name:\n"
	"	stp	x29, x30, [sp, #-96]!\n"
	"	stp	x19, x20, [sp, #16]\n"
	"	stp	x21, x22, [sp, #32]\n"
	"	stp	x23, x24, [sp, #48]\n"
	"	stp	x25, x26, [sp, #64]\n"
	"	stp	x27, x28, [sp, #80]\n"
	"	mov	x29, x0\n"
	"	regs_pairs ldp\n"
	"	ldr	x28, [x29, #224]\n"
	"	\\insn\n"
	"	regs_pairs stp\n"
	"	str	x28, [x29, #224]\n"
	"	ldp	x19, x20, [sp, #16]\n"
	"	ldp	x21, x22, [sp, #32]\n"
	"	ldp	x23, x24, [sp, #48]\n"
	"	ldp	x25, x26, [sp, #64]\n"
	"	ldp	x27, x28, [sp, #80]\n"
	"	ldp	x29, x30, [sp], #96\n"
	"	ret\n"
	"	.size	\\name, . - \\name\n"
	"	.popsection\n"
	".endm\n"
	"with_regs smc0_with_regs, \"smc #0\"\n"
	"with_regs smc1234_with_regs, \"smc #0x1234\"\n"
	"with_regs hvc0_with_regs, \"hvc #0\"\n"
	"with_regs hvc1_with_regs, \"hvc #1\"\n"
	"with_regs hvcffff_with_regs, \"hvc #0xffff\"\n");

typedef void (*trap_fn)(uint64_t *regs);

void smc0_with_regs(uint64_t *regs);
void smc1234_with_regs(uint64_t *regs);
void hvc0_with_regs(uint64_t *regs);
void hvc1_with_regs(uint64_t *regs);
void hvcffff_with_regs(uint64_t *regs);

static unsigned int calls, as_expected;

/* xorshift64: the same garbage on every run, so a failure can be replayed. */
static uint64_t garbage(void)
{
	static uint64_t state = 0x9e3779b97f4a7c15UL;

	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/*
 * Makes one call with x0 = fn, x1 and x2 as given, every other register
 * garbage; prints what came back in x0 and whether x4-x28 were kept.
 */
static int64_t call(const char *what, trap_fn trap, uint64_t fn, uint64_t x1, uint64_t x2,
		    int64_t want)
{
	uint64_t before[REGS], regs[REGS];
	bool kept = true;
	int64_t result;

	for (int i = 0; i < REGS; i++)
		before[i] = garbage();
	before[0] = fn;
	before[1] = x1;
	before[2] = x2;
	for (int i = 0; i < REGS; i++)
		regs[i] = before[i];
	trap(regs);
	for (int i = 4; i < REGS; i++)
		kept = kept && regs[i] == before[i];
	result = (int64_t)regs[0];
	calls++;
	if (result == want && kept)
		as_expected++;
	console_printf("smc_hvc: %s: x0=%ld (want %ld), x4-x28 %s\n", what, result, want,
		       kept ? "kept" : "CHANGED");
	return result;
}

/* The size of this VM's RAM from the mailbox's ARM-memory tag (0 if it does not answer). */
static uint64_t ram_size(void)
{
	static volatile uint32_t __attribute__((aligned(16))) buf[8];

	buf[0] = sizeof(buf);
	buf[1] = 0;
	buf[2] = TAG_ARM_MEMORY;
	buf[3] = 8;
	buf[4] = 0;
	buf[5] = 0;
	buf[6] = 0;
	buf[7] = 0; /* end tag */
	while (mmio_read32(MAIL1_STATUS) & MAIL_FULL)
		;
	mmio_write32(MAIL1_WRITE, (uint32_t)(uintptr_t)buf | CHANNEL_PROPERTY);
	while (mmio_read32(MAIL0_STATUS) & MAIL_EMPTY)
		;
	(void)mmio_read32(MAIL0_READ);
	return buf[1] == CODE_SUCCESS ? buf[6] : 0;
}

static void smc_calls(void)
{
	call("smc #0 PSCI_VERSION", smc0_with_regs, PSCI_VERSION, 0, 0, PSCI_1_0);
	call("smc #0 PSCI_CPU_ON", smc0_with_regs, PSCI_CPU_ON_64, 1, 0x80000,
	     PSCI_INVALID_PARAMETERS);
	call("smc #0 garbage", smc0_with_regs, garbage(), garbage(), garbage(),
	     HC_ERR_NOT_SUPPORTED);
	call("smc #0x1234 garbage", smc1234_with_regs, garbage(), garbage(), garbage(),
	     HC_ERR_NOT_SUPPORTED);
}

static void unknown_hypercalls(void)
{
	static const uint64_t numbers[] = {
	    HC_FIRST_UNKNOWN,
	    6,
	    0xff,
	    0x84000020UL,	    /* just past PSCI's function numbers */
	    0xc5000000UL,	    /* SMCCC owner 5: not a service this hypervisor offers */
	    (1UL << 32) | HC_VM_ID, /* a known number in w0, but x0 is what counts */
	    1UL << 63,
	    ~0UL,
	};
	char what[48];

	for (unsigned int i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		fmt_snprintf(what, sizeof(what), "hvc #0 x0=0x%lx", numbers[i]);
		call(what, hvc0_with_regs, numbers[i], garbage(), garbage(), HC_ERR_NOT_SUPPORTED);
	}
	call("hvc #0 PSCI_VERSION", hvc0_with_regs, PSCI_VERSION, garbage(), garbage(), PSCI_1_0);
	for (int i = 0; i < 3; i++) {
		/* Never one of the five known numbers, nor a PSCI call (bit 31 clear). */
		uint64_t fn = (garbage() | 0x100) & ~(1UL << 31);

		fmt_snprintf(what, sizeof(what), "hvc #0 garbage x0=0x%lx", fn);
		call(what, hvc0_with_regs, fn, garbage(), garbage(), HC_ERR_NOT_SUPPORTED);
	}
	/* A non-zero immediate is reserved, whatever the function number. */
	call("hvc #1 VERSION", hvc1_with_regs, HC_VERSION, 0, 0, HC_ERR_NOT_SUPPORTED);
	call("hvc #0xffff CONSOLE_WRITE", hvcffff_with_regs, HC_CONSOLE_WRITE,
	     (uint64_t)(uintptr_t) "x", 1, HC_ERR_NOT_SUPPORTED);
}

static void bad_console_writes(uint64_t ram)
{
	static const char text[] = "smc_hvc: console_write works\r\n";
	const uint64_t ok = (uint64_t)(uintptr_t)text;
	const uint64_t len = sizeof(text) - 1;

	call("console_write good buffer", hvc0_with_regs, HC_CONSOLE_WRITE, ok, len, (int64_t)len);
	call("console_write outside RAM", hvc0_with_regs, HC_CONSOLE_WRITE, OUTSIDE_RAM, 16,
	     HC_ERR_INVALID);
	call("console_write at RAM end", hvc0_with_regs, HC_CONSOLE_WRITE, ram, 1, HC_ERR_INVALID);
	call("console_write across RAM end", hvc0_with_regs, HC_CONSOLE_WRITE, ram - 8, 16,
	     HC_ERR_INVALID);
	call("console_write device window", hvc0_with_regs, HC_CONSOLE_WRITE, UART_IO_REGISTER, 4,
	     HC_ERR_INVALID);
	call("console_write wraps around", hvc0_with_regs, HC_CONSOLE_WRITE, ~0UL - 15, 32,
	     HC_ERR_INVALID);
	call("console_write last page", hvc0_with_regs, HC_CONSOLE_WRITE, LAST_PAGE_OF_IPAS, 0x2000,
	     HC_ERR_INVALID);
	call("console_write too long", hvc0_with_regs, HC_CONSOLE_WRITE, ok, CONSOLE_WRITE_MAX + 1,
	     HC_ERR_INVALID);
	call("console_write length -1", hvc0_with_regs, HC_CONSOLE_WRITE, ok, ~0UL, HC_ERR_INVALID);
	call("console_write length 2^32+5", hvc0_with_regs, HC_CONSOLE_WRITE, ok, (1UL << 32) | 5,
	     HC_ERR_INVALID);
	call("console_write length 2^63", hvc0_with_regs, HC_CONSOLE_WRITE, ok, 1UL << 63,
	     HC_ERR_INVALID);
}

int main(void)
{
	uint64_t ram;
	uint64_t regs[REGS] = {HC_VM_ID};

	uart_init();
	ram = ram_size();
	console_printf("smc_hvc: %lu MiB of RAM, calling with garbage in x0-x28\n", ram >> 20);
	smc_calls();
	unknown_hypercalls();
	if (ram)
		bad_console_writes(ram);
	/* After all that, the ABI still works. */
	call("hvc #0 VERSION", hvc0_with_regs, HC_VERSION, 0, 0, HC_ABI_1_0);
	hvc0_with_regs(regs);
	console_printf("smc_hvc: VM_ID: VM %ld, vCPU %lu\n", (int64_t)regs[0], regs[1]);
	console_printf("smc_hvc: %u of %u results as expected\n", as_expected, calls);
	console_printf("smc_hvc: done\n");
	for (;;)
		__asm__ volatile("wfi");
}
