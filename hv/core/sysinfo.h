#pragma once
/* What the hypervisor says about itself: the boot banner and the memory map. */

void sysinfo_set_entry_el(unsigned int el);
void sysinfo_print_banner(void);
void sysinfo_print_memory_map(void);
