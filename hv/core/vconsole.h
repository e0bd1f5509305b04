#pragma once
/*
 * Console multiplexing: one serial console shared by the hypervisor shell
 * and every VM. Input goes to whoever is attached; in a VM's console,
 * '@' followed by a digit switches (@0 = the shell), '@l' lists VMs and
 * '@@' sends one '@'. A VM's output goes straight to the terminal while it
 * is attached and into its bounded log otherwise; attaching shows the log.
 */
#include <stdbool.h>
#include <stdint.h>

struct vm;

/* Moves waiting console input to the shell or to the attached VM. */
void vconsole_poll(void);
/* One byte the guest wrote to its UART. */
void vconsole_guest_output(struct vm *vm, uint8_t byte);
/* Attaches the console to VM `id` (0 = the hypervisor shell); false if there is no such VM. */
bool vconsole_attach(unsigned int id);
/* The attached VM, or NULL for the shell. */
struct vm *vconsole_attached(void);
/*
 * An event line ("[aVisor] VM 3 (x) stopped: ...") printed whenever it
 * happens, on its own line; when the shell has the terminal, its prompt and
 * what was typed of the next command are drawn again after it
 * (console_report), so the user knows the shell is still listening.
 */
void vconsole_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The VM table, as `vml` and '@l' print it. */
void vconsole_print_vm_list(void);
