#include "core/vconsole.h"

#include <stdarg.h>

#include "arch/arm64/esr.h"
#include "core/console.h"
#include "core/loader.h"
#include "core/sched.h"
#include "core/shell.h"
#include "core/vm.h"

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
		hv_printf("\n[hypervisor shell]\n");
		shell_print_prompt();
		return true;
	}
	vm = vm_by_id(id);
	if (!vm)
		return false;
	attached = vm;
	escape_pending = false;
	hv_printf("[attached to VM %u (%s), %s — @0 returns to the shell, @l lists VMs]\n", vm->id,
		  vm->name, vm_state_name(vm->state));
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

	hv_printf("\n[aVisor] ");
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
		if (!vconsole_attach((unsigned int)(byte - '0')))
			hv_printf("\n[no VM %c — @l lists VMs]\n", byte);
	} else if (byte == 'l') {
		hv_printf("\n");
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

static void print_vm(const struct vm *vm)
{
	const struct vcpu *v = &vm->vcpus[0];
	char progress[96];
	const char *state = vm->state != VM_RUNNING    ? vm_state_name(vm->state)
			    : v->state == VCPU_WAITING ? "waiting"
						       : "running";

	hv_printf("%c%2u %-15s %-8s %5luM %8lu %9lu %8lu %8lu %7lu %7lu %7lu %7lu\n",
		  vm == attached ? '*' : ' ', vm->id, vm->name, state, vm->ram_size >> 20,
		  v->cpu_time_us / 1000, vm_stats_exits(&vm->stats), vm->stats.mmio_reads,
		  vm->stats.mmio_writes, vm->stats.traps[EC_HVC64], vm->stats.traps[EC_WFX],
		  vm->stats.traps[EC_SYSREG], vm->stats.virq);
	if (vm->state == VM_STOPPED)
		hv_printf("      stopped: %s\n", vm->stop_reason);
	if (vm->state == VM_LOADING && loader_progress_text(vm, progress, sizeof(progress)))
		hv_printf("      loading: %s\n", progress);
}

void vconsole_print_vm_list(void)
{
	unsigned int count = 0;

	hv_printf(
	    " ID NAME         STATE       MEM  CPU(ms)     EXITS  MMIO-RD  MMIO-WR     HVC     "
	    "WFX  SYSREG    VIRQ\n");
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
