#include "core/vconsole.h"

#include <stdarg.h>

#include "arch/arm64/esr.h"
#include "core/console.h"
#include "core/loader.h"
#include "core/placement.h"
#include "core/sched.h"
#include "core/shell.h"
#include "core/vm.h"
#include "lib/cpulist.h"
#include "lib/printf.h"
#include "lib/string.h"

#define ESCAPE_CHAR '@'

/*
 * The VM whose output goes to the terminal. Only core 0 changes it, with
 * that VM's lock held; the VM's UART model and console hypercalls, on
 * whichever core, read it under the same lock (vconsole_guest_output).
 */
static struct vm *attached;
static bool escape_pending;

struct vm *vconsole_attached(void)
{
	return attached;
}

static void detach(void)
{
	struct vm *old = attached;

	if (!old)
		return;
	vm_lock(old);
	attached = NULL;
	vm_unlock(old);
}

/*
 * Attaches the console to the VM and shows what it printed while detached,
 * with a marker if the oldest part was dropped. The log is replayed with
 * the VM's lock held: its vCPUs, on other cores, wait to print until the
 * replay is over, so their new output comes after it, never inside it.
 */
static void attach_and_replay(struct vm *vm)
{
	uint8_t byte;

	vm_lock(vm);
	attached = vm;
	if (vm->log.dropped)
		hv_printf("[... %u bytes of earlier output dropped ...]\n", vm->log.dropped);
	vm->log.dropped = 0;
	while (ringbuf_get(&vm->log, &byte))
		console_putc_raw((char)byte);
	vm_unlock(vm);
}

bool vconsole_attach(unsigned int id)
{
	struct vm *vm;

	if (id == 0) {
		detach();
		escape_pending = false;
		console_start_line();
		hv_printf("[hypervisor shell]\n");
		shell_print_prompt();
		return true;
	}
	vm = vm_by_id(id);
	if (!vm)
		return false;
	detach();
	escape_pending = false;
	console_start_line();
	hv_printf("[attached to VM %u (%s), %s — @0 returns to the shell, @l lists VMs]\n", vm->id,
		  vm->name, vm_state_name(vm));
	attach_and_replay(vm);
	return true;
}

/*
 * A byte the VM wrote (its UART or a console hypercall), on the core that
 * ran it, with vm->lock held — so one VM's bytes keep one order whichever
 * of its vCPUs wrote them. Attached, it goes to the terminal at once: that
 * core takes the console for one byte (the shell holds it for at most a
 * line). Detached, the log keeps the newest output.
 */
void vconsole_guest_output(struct vm *vm, uint8_t byte)
{
	if (vm == attached)
		console_putc_raw((char)byte);
	else
		ringbuf_put_overwrite(&vm->log, byte);
}

/*
 * Formatted first, written in one piece with the shell's line drawn again
 * after it (console_report): reports from several cores do not interleave,
 * and none lands inside a command being typed.
 */
void vconsole_report(const char *fmt, ...)
{
	char line[320];
	va_list ap;
	size_t len;

	fmt_snprintf(line, sizeof(line), "[aVisor] ");
	len = strlen(line);
	va_start(ap, fmt);
	fmt_vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	va_end(ap);
	console_report(line);
}

/* Delivers one typed byte to the attached VM; false when its input buffer is full. */
static bool send_to_vm(uint8_t byte)
{
	struct vm *vm = attached;

	if (!ringbuf_put(&vm->input, byte))
		return false;
	vm_lock(vm);
	bcm2837_vdevs_console_input(&vm->devs);
	(void)sched_devices_changed_locked(vm);
	vm_unlock(vm);
	/*
	 * Its receive interrupt may have risen, or a vCPU polling its UART may
	 * be napping (sched_nap): its cores look again.
	 */
	sched_kick_vm(vm, WORK_RESCHED);
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
	" %7" conv " %7" conv " %7" conv " %5s\n"

/* A VM's CPU time: all its vCPUs'. */
static uint64_t vm_cpu_time_us(const struct vm *vm)
{
	uint64_t us = 0;

	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		us += sched_vcpu_cpu_time_us(&vm->vcpus[i]);
	return us;
}

/* One VM's row of vml (and @l), and why it stopped when it did. */
static void print_vm(const struct vm *vm)
{
	const struct vm_stats total = vm_stats_total(vm);
	const struct vm_stats *st = &total;
	char progress[96], cores[CPULIST_TEXT_MAX];

	/* CORES: where its vCPUs run (vCPU 0 first when they are on several). */
	cpulist_format(placement_vm_cores(vm), cores, sizeof(cores));
	hv_printf(VM_LIST_FORMAT("lu"), vm == attached ? '*' : ' ', (unsigned long)vm->id, vm->name,
		  vm_state_name(vm), SIZE_TEXT(vm->ram_size), vm_cpu_time_us(vm) / 1000,
		  vm_stats_exits(st), st->mmio_reads, st->mmio_writes, st->traps[EC_HVC64],
		  st->traps[EC_WFX], st->traps[EC_SYSREG], st->virq, cores);
	if (vm->state == VM_STOPPED)
		hv_printf("      stopped: %s\n", vm->stop_reason);
	if (vm->state == VM_LOADING && loader_progress_text(vm, progress, sizeof(progress)))
		hv_printf("      loading: %s\n", progress);
}

void vconsole_print_vm_list(void)
{
	unsigned int count = 0;

	hv_printf(VM_LIST_FORMAT("s"), ' ', "ID", "NAME", "STATE", "MEM", "CPU(ms)", "EXITS",
		  "MMIO-RD", "MMIO-WR", "HVC", "WFX", "SYSREG", "VIRQ", "CORES");
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
		sched_kick(0, WORK_CONSOLE);
	return true;
}
