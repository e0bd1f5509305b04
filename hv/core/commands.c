/*
 * The shell's command table: every command the hypervisor understands, in
 * the order `help` lists them.
 */
#include "board/board.h"
#include "core/console.h"
#include "core/shell.h"
#include "core/sysinfo.h"
#include "core/images.h"
#include "core/mm.h"
#include "core/sched.h"
#include "core/vconsole.h"
#include "core/vm.h"
#include "lib/cmdline.h"
#include "core/version.h"
#include "lib/string.h"

#include <stddef.h>

static int expect_no_args(int argc, char **argv)
{
	if (argc > 1) {
		hv_printf("%s: unexpected argument '%s' (it takes none)\n", argv[0], argv[1]);
		return 1;
	}
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	hv_printf("commands:\n");
	for (const struct shell_command *cmd = shell_commands; cmd->name; cmd++) {
		char left[48];
		size_t n = strlcpy(left, cmd->name, sizeof(left));

		if (cmd->usage[0] && n + 1 < sizeof(left)) {
			left[n] = ' ';
			strlcpy(left + n + 1, cmd->usage, sizeof(left) - n - 1);
		}
		hv_printf("  %-36s %s\n", left, cmd->help);
	}
	hv_printf("line editing: Backspace, Ctrl-U clears, Ctrl-C cancels, Up/Down history\n");
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	hv_printf("aVisor %s (%s)\n", avisor_release, avisor_build);
	return 0;
}

static int cmd_mem(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	sysinfo_print_memory_map();
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	uint64_t us = board_uptime_us();

	if (expect_no_args(argc, argv))
		return 1;
	hv_printf("up %lu.%03lu s; %lu interrupts; %u console pauses\n", us / 1000000,
		  (us / 1000) % 1000, board_irq_count(), console_rx_pauses());
	return 0;
}

static int cmd_clear(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	/* ANSI: erase the display, cursor home. */
	console_puts("\033[2J\033[H");
	return 0;
}

static int cmd_crash(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	hv_printf("crash: writing to an unmapped address from EL2, as requested\n");
	/* 0xdead0000 is in the 4 GiB space but mapped by nothing: a level-2 translation fault. */
	*(volatile uint64_t *)0xdead0000UL = 0;
	return 0;
}

static int cmd_vml(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	vconsole_print_vm_list();
	return 0;
}

/* Parses a VM id argument; prints what is wrong and returns false if it is not one. */
static bool parse_vm_id(const char *cmd, const char *arg, unsigned int *id)
{
	uint64_t value;

	if (!cmdline_parse_u64(arg, &value)) {
		hv_printf("%s: '%s' is not a VM id (a number, see vml)\n", cmd, arg);
		return false;
	}
	if (value != 0 && !vm_by_id((unsigned int)value)) {
		hv_printf("%s: no VM with id %lu (see vml)\n", cmd, value);
		return false;
	}
	*id = (unsigned int)value;
	return true;
}

static int cmd_vmc(int argc, char **argv)
{
	unsigned int id;

	if (argc != 2) {
		hv_printf("usage: vmc <id>   (0 = this shell; see vml for ids)\n");
		return 1;
	}
	if (!parse_vm_id(argv[0], argv[1], &id))
		return 1;
	if (id != 0)
		(void)vconsole_attach(id);
	return 0;
}

static const char *vcpu_state_name(enum vcpu_state state)
{
	switch (state) {
	case VCPU_RUNNABLE:
		return "runnable";
	case VCPU_WAITING:
		return "waiting (WFI)";
	default:
		return "off";
	}
}

static void print_vm_details(const struct vm *vm)
{
	const struct vm_stats *st = &vm->stats;

	hv_printf("VM %u (%s): %s\n", vm->id, vm->name, vm_state_name(vm->state));
	if (vm->state == VM_STOPPED)
		hv_printf("  stopped: %s\n", vm->stop_reason);
	hv_printf("  image %s, loaded at 0x%lx, entry 0x%lx\n", vm->image ? vm->image : "?",
		  vm->load_addr, vm->entry);
	hv_printf("  memory %lu MiB: IPA 0x0-0x%lx -> PA 0x%08lx-0x%08lx, VMID %u\n",
		  vm->ram_size >> 20, vm->ram_size - 1, vm->ram_pa, vm->ram_pa + vm->ram_size - 1,
		  vm->id);
	hv_printf("  time slice %u ms\n", vm->slice_us / 1000);
	hv_printf("  exits %lu: %lu interrupts, %lu MMIO reads, %lu MMIO writes, %lu HVC, %lu SMC, "
		  "%lu WFI/WFE, %lu system registers\n",
		  st->exits, st->irq_exits, st->mmio_reads, st->mmio_writes, st->hvc, st->smc,
		  st->wfx, st->sysreg);
	hv_printf("  virtual interrupts delivered %lu, undefined instructions injected %lu\n",
		  st->virq, st->undef);
	hv_printf("  device accesses that hit no register: %lu reads, %lu writes\n",
		  vm->mmio.unhandled_reads, vm->mmio.unhandled_writes);
	hv_printf("  console: %u bytes of output kept (%u dropped), %u bytes of input waiting\n",
		  ringbuf_count(&vm->log), vm->log.dropped, ringbuf_count(&vm->input));
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		const struct vcpu *v = &vm->vcpus[i];
		const struct trap_frame *regs = sched_vcpu_regs(v);
		hv_printf("  vCPU %u: %s, CPU time %lu ms, PC 0x%lx, PSTATE 0x%lx\n", i,
			  vcpu_state_name(v->state), v->cpu_time_us / 1000, regs->elr, regs->spsr);
	}
}

static int cmd_vmi(int argc, char **argv)
{
	unsigned int id;

	if (argc != 2) {
		hv_printf("usage: vmi <id>   (see vml for ids)\n");
		return 1;
	}
	if (!parse_vm_id(argv[0], argv[1], &id))
		return 1;
	if (id == 0) {
		hv_printf("vmi: 0 is the hypervisor shell, not a VM\n");
		return 1;
	}
	print_vm_details(vm_by_id(id));
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	for (unsigned int i = 0; i < image_count(); i++) {
		const struct image *img = image_at(i);
		if (img->size >= (1UL << 20))
			hv_printf("  %-24s %6lu MB\n", img->name, img->size >> 20);
		else if (img->size >= 1024)
			hv_printf("  %-24s %6lu KB\n", img->name, img->size >> 10);
		else
			hv_printf("  %-24s %6lu B\n", img->name, img->size);
	}
	return 0;
}

/* Parses an address argument of vmld; prints which argument is wrong. */
static bool parse_address(const char *what, const char *arg, uint64_t *value)
{
	if (!cmdline_parse_u64(arg, value)) {
		hv_printf("vmld: %s '%s' is not a number (hex with 0x, or decimal)\n", what, arg);
		return false;
	}
	return true;
}

/* The VM's name: the image's file name without its extension. */
static void name_from_image(const char *image, char *name, size_t size)
{
	size_t n = strlcpy(name, image, size);
	char *dot = strchr(name, '.');

	(void)n;
	if (dot && dot != name)
		*dot = '\0';
}

#define VMLD_DEFAULT_MIB 16

static int cmd_vmld(int argc, char **argv)
{
	const struct image *img;
	struct vm_config cfg = {0};
	uint64_t mib = VMLD_DEFAULT_MIB;
	char name[VM_NAME_MAX], err[96];
	struct vm *vm;

	if (argc < 4 || argc > 5) {
		hv_printf("usage: vmld <image> <load addr> <entry addr> [<memory MiB>]\n");
		return 1;
	}
	img = image_find(argv[1]);
	if (!img) {
		hv_printf("vmld: no image '%s' (see ls)\n", argv[1]);
		return 1;
	}
	if (!parse_address("load address", argv[2], &cfg.load_addr) ||
	    !parse_address("entry address", argv[3], &cfg.entry))
		return 1;
	if (argc == 5 && (!cmdline_parse_u64(argv[4], &mib) || mib == 0 || mib > 1008)) {
		hv_printf("vmld: memory '%s' must be a number of MiB from 2 to 1008\n", argv[4]);
		return 1;
	}
	name_from_image(img->name, name, sizeof(name));
	cfg.name = name;
	cfg.image = img->name;
	cfg.ram_size = mib << 20;
	vm = vm_create(&cfg, img->data, img->size, err, sizeof(err));
	if (!vm) {
		hv_printf("vmld: %s\n", err);
		return 1;
	}
	hv_printf("vmld: VM %u (%s) started: %lu bytes at 0x%lx, entry 0x%lx, %lu MiB RAM\n",
		  vm->id, vm->name, img->size, cfg.load_addr, cfg.entry, mib);
	return 0;
}

static int cmd_free(int argc, char **argv)
{
	const struct block_allocator *pool = mm_pool();

	if (expect_no_args(argc, argv))
		return 1;
	hv_printf("VM memory: %lu MiB free of %lu MiB (largest free run %lu MiB)\n",
		  block_free_bytes(pool) >> 20, ((uint64_t)pool->count * MM_BLOCK_SIZE) >> 20,
		  block_largest_free(pool) >> 20);
	for (unsigned int i = 0; i < VM_MAX; i++) {
		const struct vm *vm = vm_slot(i);
		if (vm->state != VM_EMPTY)
			hv_printf("  VM %u (%s): %lu MiB at 0x%08lx\n", vm->id, vm->name,
				  vm->ram_size >> 20, vm->ram_pa);
	}
	return 0;
}

const struct shell_command shell_commands[] = {
    {"help", "", "list the commands", cmd_help},
    {"vml", "", "list VMs: state, memory, CPU time and trap counters", cmd_vml},
    {"vmc", "<id>", "attach the console to a VM (@0 comes back)", cmd_vmc},
    {"vmi", "<id>", "show everything about one VM: memory, counters, vCPUs", cmd_vmi},
    {"vmld", "<image> <load> <entry> [MiB]", "load an image into a new VM and start it", cmd_vmld},
    {"ls", "", "list the guest images", cmd_ls},
    {"free", "", "show free and used VM memory", cmd_free},
    {"mem", "", "show the physical memory map", cmd_mem},
    {"uptime", "", "show time since boot and interrupt counts", cmd_uptime},
    {"version", "", "show the hypervisor version", cmd_version},
    {"clear", "", "clear the terminal", cmd_clear},
    {"crash", "", "fault the hypervisor on purpose (shows the crash report, halts)", cmd_crash},
    {NULL, NULL, NULL, NULL},
};
