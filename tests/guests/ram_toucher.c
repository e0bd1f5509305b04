/*
 * A hostile guest: touches all of its RAM, and more.
 *
 * It does not ask how much RAM it has: it walks upward from 0 a page at a
 * time, writing a pattern to the first and last word of each page and
 * reading it back, until an access faults. Under aVisor the first address
 * past the VM's RAM is not mapped at stage 2, and the hypervisor injects a
 * synchronous external abort, which this guest's handler counts and skips.
 * The walk therefore measures exactly the RAM the VM was given.
 *
 * A second pass checks that every page still holds its own pattern (two
 * guest pages backed by one physical page would show up here). Then it
 * tries addresses further out — just past the end, 2 MiB on, the last word
 * below the device window, past the local peripherals, the top of the
 * 4 GiB guest-physical space, beyond it — each must fault.
 *
 * The pages of its own image (code, data, stack) are only read.
 */
#include "arch/arm64/esr.h"
#include "lib/console.h"
#include "lib/exception.h"
#include "lib/sysreg.h"
#include "lib/uart.h"

#include <stdbool.h>
#include <stdint.h>

#define PAGE	       4096UL
#define DEVICE_WINDOW  0x3f000000UL /* the walk never goes further */
#define SIGNATURE      0x5a5a0000U
#define LAST_WORD(pg)  ((pg) + PAGE - 4)
#define MIB(bytes)     ((bytes) >> 20)
#define PAST_LOCAL_WIN 0x40040000UL
#define TOP_OF_IPAS    0xfffffff0UL
#define BEYOND_IPAS    0x100000000UL

extern char __image_start[], __image_end[];

static volatile bool faulted;
static volatile uint64_t fault_esr, fault_far;

/* A data abort at EL1: note it and skip the load or store that caused it. */
static void on_sync(struct trap_frame *tf)
{
	uint64_t esr = read_sysreg(esr_el1);

	if (esr_ec(esr) != EC_DABT_SAME)
		exc_fatal(tf, EXC_CUR_SPX_SYNC);
	fault_esr = esr;
	fault_far = read_sysreg(far_el1);
	faulted = true;
	tf->elr += 4;
}

/* One load or store instruction each, so that the handler can skip exactly it. */
static uint32_t probe_read(uint64_t addr)
{
	uint32_t value = 0;

	__asm__ volatile("ldr %w0, [%1]" : "+r"(value) : "r"(addr) : "memory");
	return value;
}

static void probe_write(uint64_t addr, uint32_t value)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(value), "r"(addr) : "memory");
}

static uint32_t pattern(uint64_t addr)
{
	return SIGNATURE ^ (uint32_t)(addr >> 12) ^ (uint32_t)(addr << 20);
}

static bool in_image(uint64_t page)
{
	return page + PAGE > (uint64_t)(uintptr_t)__image_start &&
	       page < (uint64_t)(uintptr_t)__image_end;
}

/* Touches one page; false if an access faulted. Counts read-back mismatches. */
static bool touch_page(uint64_t page, unsigned long *mismatches)
{
	const uint64_t words[2] = {page, LAST_WORD(page)};

	for (int i = 0; i < 2; i++) {
		uint32_t value;

		faulted = false;
		(void)probe_read(words[i]);
		if (faulted)
			return false;
		if (in_image(page))
			continue;
		probe_write(words[i], pattern(words[i]));
		value = probe_read(words[i]);
		if (faulted)
			return false;
		if (value != pattern(words[i]))
			(*mismatches)++;
	}
	return true;
}

/* Second pass: every page written in the first one still holds its own pattern. */
static unsigned long verify(uint64_t end)
{
	unsigned long bad = 0;

	for (uint64_t page = 0; page < end; page += PAGE) {
		if (in_image(page))
			continue;
		if (probe_read(page) != pattern(page) ||
		    probe_read(LAST_WORD(page)) != pattern(LAST_WORD(page)))
			bad++;
	}
	return bad;
}

/* Accesses beyond the RAM; returns how many of them faulted. */
static unsigned int probe_beyond(uint64_t end)
{
	const uint64_t addrs[] = {
	    end,	 end + PAGE, end + 0x200000UL, DEVICE_WINDOW - 4, PAST_LOCAL_WIN,
	    TOP_OF_IPAS, BEYOND_IPAS};
	unsigned int n = sizeof(addrs) / sizeof(addrs[0]), hits = 0;

	for (unsigned int i = 0; i < n; i++) {
		bool write = i % 2 == 0;

		faulted = false;
		if (write)
			probe_write(addrs[i], pattern(addrs[i]));
		else
			(void)probe_read(addrs[i]);
		console_printf("ram_toucher: %s at 0x%lx %s\n", write ? "write" : "read", addrs[i],
			       faulted ? "faulted" : "went through");
		if (faulted)
			hits++;
	}
	console_printf("ram_toucher: %u of %u accesses beyond its RAM faulted\n", hits, n);
	return hits;
}

int main(void)
{
	unsigned long mismatches = 0;
	uint64_t end;

	uart_init();
	exc_set_handler(EXC_CUR_SPX_SYNC, on_sync);
	console_printf("ram_toucher: touching every page from 0 up until an access faults\n");
	for (end = 0; end < DEVICE_WINDOW; end += PAGE) {
		if (!touch_page(end, &mismatches))
			break;
	}
	if (end < DEVICE_WINDOW)
		console_printf(
		    "ram_toucher: first fault at 0x%lx (ESR_EL1=0x%08lx FAR_EL1=0x%lx)\n", end,
		    (uint64_t)fault_esr, (uint64_t)fault_far);
	else
		console_printf("ram_toucher: no fault below the device window\n");
	console_printf("ram_toucher: touched %lu MiB (%lu pages), %lu read back wrong\n", MIB(end),
		       end / PAGE, mismatches);
	console_printf("ram_toucher: second pass: %lu pages lost their pattern\n", verify(end));
	(void)probe_beyond(end);
	console_printf("ram_toucher: done\n");
	for (;;)
		__asm__ volatile("wfi");
}
