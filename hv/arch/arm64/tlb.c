#include "arch/arm64/tlb.h"
#include "arch/arm64/sysreg.h"

void tlb_flush_vmid(uint64_t vttbr)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, vttbr);
	isb();
	__asm__ volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish" ::: "memory");
	write_sysreg(vttbr_el2, saved);
	isb();
}
