#include "core/vconsole.h"

#include <stdarg.h>

#include "arch/arm64/esr.h"
#include "core/console.h"
#include "core/loader.h"
#include "core/sched.h"
#include "core/shell.h"
#include "core/vm.h"
#include "lib/printf.h"

#define ESCAPE_CHAR '@'

static struct vm *attached;
static bool escape_pending;

struct vm *vconsole_attached(void)
{
	return attached;
}

/* Shows what the VM printed while detached, with a marker if the oldest part was dropped. */
static void replay_log(struct vm *vm)
{
	uint8_t byte;

	if (vm->log.dropped)
		hv_printf("[... %u bytes of earlier output dropped ...]\n", vm->log.dropped);
	while (ringbuf_get(&vm->log, &byte))
		console_putc_raw((char)byte);
	vm->log.dropped = 0;
}

bool vconsole_attach(unsigned int id)
{
	struct vm *vm;

	if (id == 0) {
		attached = NULL;
		escape_pending = false;
		console_start_line();
		hv_printf("[hypervisor shell]\n");
		shell_print_prompt();
		return true;
	}
	vm = vm_by_id(id);
	if (!vm)
		return false;
	attached = vm;
	escape_pending = false;
	console_start_line();
	hv_printf("[attached to VM %u (%s), %s — @0 returns to the shell, @l lists VMs]\n", vm->id,
		  vm->name, vm_state_name(vm));
	replay_log(vm);
	return true;
}

void vconsole_guest_output(struct vm *vm, uint8_t byte)
{
	if (vm == attached)
		console_putc_raw((char)byte);
	else
		ringbuf_put_overwrite(&vm->log, byte);
}

void vconsole_report(const char *fmt, ...)
{
	va_list ap;

	console_start_line();
	hv_printf("[aVisor] ");
	va_start(ap, fmt);
	hv_vprintf(fmt, ap);
	va_end(ap);
	hv_printf("\n");
	if (!attached)
		shell_reprint_prompt();
}

/* Delivers one typed byte to the attached VM; false when its input buffer is full. */
static bool send_to_vm(uint8_t byte)
{
	if (!ringbuf_put(&attached->input, byte))
		return false;
	bcm2837_vdevs_console_input(&attached->devs);
	return true;
}

static void handle_escape(uint8_t byte)
{
	if (byte >= '0' && byte <= '9') {
		if (!vconsole_attach((unsigned int)(byte - '0'))) {
			console_start_line();
			hv_printf("[no VM %c — @l lists VMs]\n", byte);
		}
	} else if (byte == 'l') {
		console_start_line();
		vconsole_print_vm_list();
	} else if (byte == ESCAPE_CHAR) {
		(void)send_to_vm(ESCAPE_CHAR);
	} else {
		/* Not an escape after all: the guest gets both bytes. */
		(void)send_to_vm(ESCAPE_CHAR);
		(void)send_to_vm(byte);
	}
}

/* One byte typed while a VM is attached. False: the VM cannot take it yet, keep it. */
static bool feed_vm_console(uint8_t byte)
{
	if (escape_pending) {
		escape_pending = false;
		handle_escape(byte);
		return true;
	}
	if (byte == ESCAPE_CHAR) {
		escape_pending = true;
		return true;
	}
	return send_to_vm(byte);
}

void vconsole_poll(void)
{
	int c;

	while ((c = console_peekc()) >= 0) {
		if (!attached) {
			(void)console_getc();
			shell_feed((char)c);
			continue;
		}
		/* A full guest input buffer makes the console wait: nothing is dropped. */
		if (!feed_vm_console((uint8_t)c))
			break;
		(void)console_getc();
	}
}

/*
 * The list's columns, one format for the header (conv "s") and the rows (conv
 * "lu"), so that the two cannot drift apart. The name column holds the
 * longest name a VM can have (15 characters).
 */
#define VM_LIST_FORMAT(conv)                                                                       \
	"%c%2" conv " %-15s %-8s %8s %8" conv " %9" conv " %8" conv " %8" conv " %7" conv          \
	" %7" conv " %7" conv " %7" conv "\n"

/* A VM's CPU time: all its vCPUs'. */
static uint64_t vm_cpu_time_us(const struct vm *vm)
{
	uint64_t us = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		us += vm->vcpus[i].cpu_time_us;
	return us;
}

/* One VM's row of vml (and @l), and why it stopped when it did. */
static void print_vm(const struct vm *vm)
{
	const struct vm_stats *st = &vm->stats;
	char progress[96];

	hv_printf(VM_LIST_FORMAT("lu"), vm == attached ? '*' : ' ', (unsigned long)vm->id, vm->name,
		  vm_state_name(vm), SIZE_TEXT(vm->ram_size), vm_cpu_time_us(vm) / 1000,
		  vm_stats_exits(st), st->mmio_reads, st->mmio_writes, st->traps[EC_HVC64],
		  st->traps[EC_WFX], st->traps[EC_SYSREG], st->virq);
	if (vm->state == VM_STOPPED)
		hv_printf("      stopped: %s\n", vm->stop_reason);
	if (vm->state == VM_LOADING && loader_progress_text(vm, progress, sizeof(progress)))
		hv_printf("      loading: %s\n", progress);
}

void vconsole_print_vm_list(void)
{
	unsigned int count = 0;

	hv_printf(VM_LIST_FORMAT("s"), ' ', "ID", "NAME", "STATE", "MEM", "CPU(ms)", "EXITS",
		  "MMIO-RD", "MMIO-WR", "HVC", "WFX", "SYSREG", "VIRQ");
	for (unsigned int i = 0; i < VM_MAX; i++) {
		const struct vm *vm = vm_slot(i);
		if (vm->state == VM_EMPTY)
			continue;
		print_vm(vm);
		count++;
	}
	if (!count)
		hv_printf("  (no VMs)\n");
}

/* The device models' console (vdev/vdev_host.h). */

bool vdev_console_can_write(struct vm *vm)
{
	(void)vm;
	return true;
}

void vdev_console_write(struct vm *vm, uint8_t byte)
{
	vconsole_guest_output(vm, byte);
}

uint32_t vdev_console_input_count(struct vm *vm)
{
	return ringbuf_count(&vm->input);
}

bool vdev_console_read(struct vm *vm, uint8_t *byte)
{
	if (!ringbuf_get(&vm->input, byte))
		return false;
	/* The console may be holding bytes back for this VM: let it try again. */
	if (vm == attached && console_rx_pending())
		sched_request(WORK_CONSOLE);
	return true;
}
