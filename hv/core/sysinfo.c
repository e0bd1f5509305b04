#include "core/sysinfo.h"
#include "arch/arm64/sysreg.h"
#include "board/board.h"
#include "core/console.h"
#include "core/layout.h"
#include "core/version.h"
#include "lib/printf.h"

#include <stdint.h>

extern char __hv_start[], __text_end[], __rodata_end[], __bss_start[], __bss_end[], __hv_end[];

static unsigned int entry_el;

void sysinfo_set_entry_el(unsigned int el)
{
	entry_el = el;
}

/* One line of the map: range, size, and what it is. */
static void print_region(uint64_t start, uint64_t end, const char *what)
{
	hv_printf("  0x%08lx-0x%08lx  %10s  %s\n", start, end - 1, SIZE_TEXT(end - start), what);
}

void sysinfo_print_memory_map(void)
{
	const struct board_info *b = board_get_info();
	uint64_t ram_end = b->arm_ram_base + b->arm_ram_size;

	hv_printf("memory map (physical):\n");
	print_region(0, (uint64_t)__hv_start, "firmware stub and spin tables (reserved)");
	print_region((uint64_t)__hv_start, (uint64_t)__text_end,
		     "hypervisor text (read-only, executable)");
	print_region((uint64_t)__text_end, (uint64_t)__rodata_end, "hypervisor rodata (read-only)");
	print_region((uint64_t)__rodata_end, (uint64_t)__bss_end, "hypervisor data and bss");
	print_region((uint64_t)__bss_end, (uint64_t)__hv_end, "hypervisor page tables and stacks");
	print_region((uint64_t)__hv_end, HV_RESERVED_END, "hypervisor heap (reserved)");
	if (ram_end > HV_RESERVED_END)
		print_region(HV_RESERVED_END, ram_end, "free for virtual machines");
	if (b->periph_base > ram_end)
		print_region(ram_end, b->periph_base, "VideoCore memory (not mapped)");
	print_region(b->periph_base, b->periph_base + b->periph_size,
		     "peripherals (Device memory)");
	print_region(b->local_base, b->local_base + b->local_size,
		     "local peripherals (Device memory)");
}

void sysinfo_print_banner(void)
{
	const struct board_info *b = board_get_info();

	hv_printf("\naVisor %s (%s) — a small hypervisor for the Raspberry Pi 3\n", avisor_release,
		  avisor_build);
	hv_printf("board: %s, revision 0x%x; entered at EL%u, running at EL%u\n", b->name,
		  b->revision, entry_el, current_el());
	sysinfo_print_memory_map();
}
