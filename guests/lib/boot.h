#pragma once
/*
 * What start.S leaves behind for the C code, and the image layout symbols
 * defined by guest.ld.
 */
#include <stdint.h>

/*
 * Guests use only the memory below this address (guest.ld has the same
 * value): under aVisor a VM may have as little as 16 MiB.
 */
#define GUEST_RAM_LIMIT 0x800000UL

/* Exception level the guest was entered at: 2 when run natively, 1 under aVisor. */
extern uint32_t boot_entry_el;

/* Linker symbols (guest.ld): only their addresses are meaningful. */
extern char __image_start[]; /* link address, 0x80000 */
extern char __bss_start[];
extern char __bss_end[];
extern char __stack_top[];
extern char __image_end[]; /* page aligned end of everything the image uses */

/* Every guest provides main(); start.S calls it at EL1 with IRQs masked. */
int main(void);
