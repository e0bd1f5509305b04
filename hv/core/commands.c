/*
 * The shell's command table: every command the hypervisor understands, in
 * the order `help` lists them.
 */
#include "arch/arm64/esr.h"
#include "board/board.h"
#include "core/console.h"
#include "core/shell.h"
#include "core/sysinfo.h"
#include "core/config.h"
#include "core/layout.h"
#include "core/lifecycle.h"
#include "core/loader.h"
#include "core/storage.h"
#include "fs/fat32.h"
#include "fs/blockdev.h"
#include "lib/printf.h"
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
	char progress[96];

	hv_printf("VM %u (%s): %s\n", vm->id, vm->name, vm_state_name(vm->state));
	if (vm->state == VM_STOPPED)
		hv_printf("  stopped: %s\n", vm->stop_reason);
	if (vm->state == VM_LOADING && loader_progress_text(vm, progress, sizeof(progress)))
		hv_printf("  loading: %s\n", progress);
	hv_printf("  image %s, loaded at 0x%lx, entry 0x%lx\n", vm->image, vm->load_addr,
		  vm->entry);
	if (vm->dtb[0])
		hv_printf("  device tree %s at 0x%lx (passed in x0)\n", vm->dtb, vm->dtb_addr);
	if (vm->initrd[0])
		hv_printf("  initrd %s at 0x%lx\n", vm->initrd, vm->initrd_addr);
	hv_printf("  memory %lu MiB: IPA 0x0-0x%lx -> PA 0x%08lx-0x%08lx, VMID %u\n",
		  vm->ram_size >> 20, vm->ram_size - 1, vm->ram_pa, vm->ram_pa + vm->ram_size - 1,
		  vm->id);
	hv_printf("  time slice %u ms, restarts %u\n", vm->slice_us / 1000, vm->restarts);
	hv_printf("  exits %lu: %lu interrupts, %lu MMIO reads, %lu MMIO writes, %lu HVC, %lu SMC, "
		  "%lu WFI/WFE, %lu system registers\n",
		  vm_stats_exits(st), st->irq_exits, st->mmio_reads, st->mmio_writes,
		  st->traps[EC_HVC64], st->traps[EC_SMC64], st->traps[EC_WFX],
		  st->traps[EC_SYSREG]);
	hv_printf("  virtual interrupts delivered %lu, undefined instructions injected %lu, "
		  "external aborts injected %lu\n",
		  st->virq, st->undef, st->aborts);
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

/* The VM a lifecycle command names; NULL after saying what is wrong. */
static struct vm *vm_argument(int argc, char **argv)
{
	unsigned int id;

	if (argc != 2) {
		hv_printf("usage: %s <id>   (see vml for ids)\n", argv[0]);
		return NULL;
	}
	if (!parse_vm_id(argv[0], argv[1], &id))
		return NULL;
	if (id == 0) {
		hv_printf("%s: 0 is the hypervisor shell, not a VM\n", argv[0]);
		return NULL;
	}
	return vm_by_id(id);
}

/* Reloads the VM's files in the background; it starts when they are in. */
static int vmrestart(struct vm *vm, const char *cmd)
{
	char err[160];

	if (lifecycle_restart(vm, err, sizeof(err)) < 0) {
		vm_stop(vm, "restart failed: %s", err);
		return 1;
	}
	hv_printf("%s: VM %u (%s) loading %s from the SD card; it starts when its files are in "
		  "(vml shows how far)\n",
		  cmd, vm->id, vm->name, vm->image);
	return 0;
}

static int cmd_vmstop(int argc, char **argv)
{
	struct vm *vm = vm_argument(argc, argv);

	if (!vm)
		return 1;
	if (vm->state == VM_LOADING) {
		loader_cancel(vm);
		hv_printf("vmstop: VM %u (%s) stopped while loading: the load is cancelled; "
			  "vmstart or vmrestart loads it again\n",
			  vm->id, vm->name);
		return 0;
	}
	if (vm->state != VM_RUNNING) {
		hv_printf("vmstop: VM %u (%s) is not running\n", vm->id, vm->name);
		return 1;
	}
	vm_pause(vm);
	hv_printf("vmstop: VM %u (%s) stopped; vmstart resumes it, its output log is kept\n",
		  vm->id, vm->name);
	return 0;
}

static int cmd_vmstart(int argc, char **argv)
{
	struct vm *vm = vm_argument(argc, argv);

	if (!vm)
		return 1;
	if (vm->state == VM_RUNNING) {
		hv_printf("vmstart: VM %u (%s) is already running\n", vm->id, vm->name);
		return 1;
	}
	if (vm->state == VM_LOADING) {
		hv_printf("vmstart: VM %u (%s) is loading; vml shows how far\n", vm->id, vm->name);
		return 1;
	}
	if (!vm->files_loaded) {
		/* Its load was cancelled or failed: load again, then it starts. */
		return vmrestart(vm, "vmstart");
	}
	if (vm->resumable) {
		vm_resume(vm);
		hv_printf("vmstart: VM %u (%s) resumed\n", vm->id, vm->name);
	} else if (!vm->started) {
		vm_start(vm);
		hv_printf("vmstart: VM %u (%s) started\n", vm->id, vm->name);
	} else {
		hv_printf("vmstart: VM %u (%s) was stopped by a fault; vmrestart boots it again\n",
			  vm->id, vm->name);
		return 1;
	}
	return 0;
}

static int cmd_vmrestart(int argc, char **argv)
{
	struct vm *vm = vm_argument(argc, argv);

	if (!vm)
		return 1;
	return vmrestart(vm, "vmrestart");
}

static int cmd_vmkill(int argc, char **argv)
{
	struct vm *vm = vm_argument(argc, argv);
	unsigned int id;
	char name[VM_NAME_MAX];
	uint64_t mib;
	bool loading;

	if (!vm)
		return 1;
	loading = vm->state == VM_LOADING;
	id = vm->id;
	mib = vm->ram_size >> 20;
	strlcpy(name, vm->name, sizeof(name));
	vm_destroy(vm);
	hv_printf("vmkill: VM %u (%s) destroyed%s, %lu MiB of memory freed\n", id, name,
		  loading ? " (its load cancelled)" : "", mib);
	return 0;
}

static int cmd_sched(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	sched_print_state();
	return 0;
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

/* Sizes as a person reads them: B below 1 KiB, KB below 1 MiB, else MB. */
static void print_size(uint64_t size)
{
	if (size >= (1UL << 20))
		hv_printf("%7lu MB", size >> 20);
	else if (size >= 1024)
		hv_printf("%7lu KB", size >> 10);
	else
		hv_printf("%7lu B ", size);
}

static int print_dir_entry(void *ctx, const struct fat32_entry *e)
{
	unsigned int *count = ctx;

	if (e->is_dir)
		hv_printf("     <DIR>  %s/\n", e->name);
	else {
		hv_printf("  ");
		print_size(e->size);
		hv_printf("  %s\n", e->name);
	}
	(*count)++;
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/";
	struct fat32_volume *vol;
	unsigned int count = 0;
	int rc;

	if (argc > 2) {
		hv_printf("usage: ls [directory]\n");
		return 1;
	}
	vol = storage_require();
	if (!vol) {
		hv_printf("ls: %s\n", storage_error());
		return 1;
	}
	rc = fat32_list(vol, path, print_dir_entry, &count);
	if (rc < 0) {
		hv_printf("ls: %s: %s\n", path, fat32_strerror(rc));
		return 1;
	}
	if (count == 0)
		hv_printf("  (empty)\n");
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

static bool name_in_use(const char *name)
{
	for (unsigned int i = 0; i < VM_MAX; i++) {
		const struct vm *vm = vm_slot(i);
		if (vm->state != VM_EMPTY && strcmp(vm->name, name) == 0)
			return true;
	}
	return false;
}

/* The VM's name: the image's file name without directory and extension, made unique. */
static void name_from_image(const char *image, char *name, size_t size)
{
	const char *base = image;
	char *dot;
	size_t len;

	for (const char *p = image; *p; p++) {
		if (*p == '/')
			base = p + 1;
	}
	strlcpy(name, base[0] && base[0] != '.' ? base : "vm", size);
	dot = strchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	len = strlen(name);
	for (unsigned int n = 2; name_in_use(name) && n < 100; n++)
		fmt_snprintf(name + (len > size - 4 ? size - 4 : len), 4, "-%u", n);
}

#define VMLD_DEFAULT_MIB 16

static bool parse_vmld_args(int argc, char **argv, struct vm_spec *spec)
{
	uint64_t mib = VMLD_DEFAULT_MIB;

	if (strlen(argv[1]) >= sizeof(spec->image)) {
		hv_printf("vmld: image path '%s' is too long\n", argv[1]);
		return false;
	}
	if (!parse_address("load address", argv[2], &spec->load_addr) ||
	    !parse_address("entry address", argv[3], &spec->entry))
		return false;
	if (argc == 5 && (!config_parse_size_mib(argv[4], &mib) || mib < 2 || mib % 2 ||
			  mib > CONFIG_MAX_RAM_MIB)) {
		hv_printf("vmld: memory '%s' must be an even number of MiB from 2 to %d\n", argv[4],
			  CONFIG_MAX_RAM_MIB);
		return false;
	}
	strlcpy(spec->image, argv[1], sizeof(spec->image));
	name_from_image(argv[1], spec->name, sizeof(spec->name));
	spec->ram_size = mib << 20;
	spec->vcpus = 1;
	spec->slice_ms = CONFIG_DEFAULT_SLICE_MS;
	spec->autostart = true;
	return true;
}

/* The VM vmld made is in: the line vmld printed before loading was asynchronous. */
static void vmld_done(struct vm *vm, const struct load_report *report, const char *err)
{
	if (err)
		return;
	vconsole_report("vmld: VM %u (%s) started: %s, %lu bytes loaded at 0x%lx in %lu ms "
			"(%lu KB/s), entry 0x%lx, %lu MiB RAM",
			vm->id, vm->name, vm->image, report->image_bytes, vm->load_addr,
			report->elapsed_us / 1000, loader_speed_kbs(report), vm->entry,
			vm->ram_size >> 20);
}

static int cmd_vmld(int argc, char **argv)
{
	struct vm_spec spec = {0};
	const char *problem;
	char err[160];
	struct vm *vm;

	if (argc < 4 || argc > 5) {
		hv_printf("usage: vmld <image> <load addr> <entry addr> [<memory MiB>]\n");
		return 1;
	}
	if (!parse_vmld_args(argc, argv, &spec))
		return 1;
	problem = config_check_spec(&spec);
	if (problem) {
		hv_printf("vmld: %s\n", problem);
		return 1;
	}
	vm = loader_create_vm(&spec, vmld_done, err, sizeof(err));
	if (!vm) {
		hv_printf("vmld: %s\n", err);
		return 1;
	}
	hv_printf("vmld: VM %u (%s) loading %s into %lu MiB RAM; a line follows when it starts "
		  "(vml shows how far)\n",
		  vm->id, vm->name, spec.image, spec.ram_size >> 20);
	return 0;
}

extern char __hv_start[], __hv_end[];

static int cmd_free(int argc, char **argv)
{
	const struct block_allocator *pool = mm_pool();

	uint64_t total = (uint64_t)pool->count * MM_BLOCK_SIZE;
	uint64_t free_bytes = block_free_bytes(pool);

	if (expect_no_args(argc, argv))
		return 1;
	/* The hypervisor's own memory is static: image, tables, stacks and the VM slots. */
	hv_printf("hypervisor: %lu KiB in use (image, page tables, stacks, %d VM slots), "
		  "%lu MiB reserved\n",
		  ((uint64_t)__hv_end - (uint64_t)__hv_start) >> 10, VM_MAX, HV_RESERVED_END >> 20);
	hv_printf("VMs: %lu MiB used, %lu MiB free of %lu MiB (largest free run %lu MiB)\n",
		  (total - free_bytes) >> 20, free_bytes >> 20, total >> 20,
		  block_largest_free(pool) >> 20);
	for (unsigned int i = 0; i < VM_MAX; i++) {
		const struct vm *vm = vm_slot(i);
		if (vm->state != VM_EMPTY)
			hv_printf("  VM %u (%s): %lu MiB at 0x%08lx\n", vm->id, vm->name,
				  vm->ram_size >> 20, vm->ram_pa);
	}
	return 0;
}

/* sd: the card as the driver sees it; "sd read" hex-dumps raw blocks for debugging cards. */
#define SD_DUMP_MAX_BLOCKS 8

static uint8_t sd_dump[SD_DUMP_MAX_BLOCKS * BLOCK_SIZE];

/* The card, initialised now if that has not succeeded yet (so a card inserted later is found). */
static const struct blockdev *sd_card(void)
{
	if (!board_sd_blockdev())
		(void)board_sd_init();
	return board_sd_blockdev();
}

/* One block as lines of "offset: 16 hex bytes |ASCII|". */
static void sd_dump_block(uint64_t lba, const uint8_t *block)
{
	hv_printf("LBA %lu:\n", lba);
	for (unsigned int off = 0; off < BLOCK_SIZE; off += 16) {
		char line[80];
		size_t n = (size_t)fmt_snprintf(line, sizeof(line), "%03x:", off);

		for (unsigned int i = 0; i < 16; i++)
			n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " %02x",
						  block[off + i]);
		n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, "  |");
		for (unsigned int i = 0; i < 16; i++) {
			uint8_t c = block[off + i];
			line[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		line[n] = '\0';
		hv_printf("%s|\n", line);
	}
}

static int sd_read_and_dump(const struct blockdev *dev, uint64_t lba, uint64_t count)
{
	uint64_t start = board_uptime_us(), us;
	int err = dev->read(dev->ctx, lba, (uint32_t)count, sd_dump);

	us = board_uptime_us() - start;
	if (err) {
		hv_printf("sd read: LBA %lu, %lu block(s): %s (the card has %lu blocks)\n", lba,
			  count, board_sd_strerror(err), dev->block_count);
		return 1;
	}
	for (uint64_t i = 0; i < count; i++)
		sd_dump_block(lba + i, sd_dump + i * BLOCK_SIZE);
	hv_printf("read %lu block(s) in %lu us: %lu KB/s\n", count, us,
		  us ? count * BLOCK_SIZE * 1000000 / 1024 / us : 0);
	return 0;
}

static int cmd_sd(int argc, char **argv)
{
	const struct blockdev *dev;
	uint64_t lba, count = 1;

	if (argc == 1) {
		(void)sd_card();
		hv_printf("%s\n", board_sd_describe());
		return 0;
	}
	if (strcmp(argv[1], "read") != 0 || argc < 3 || argc > 4) {
		hv_printf("usage: sd   |   sd read <lba> [count 1-%u]\n", SD_DUMP_MAX_BLOCKS);
		return 1;
	}
	if (!cmdline_parse_u64(argv[2], &lba)) {
		hv_printf("sd read: LBA '%s' is not a number (hex with 0x, or decimal)\n", argv[2]);
		return 1;
	}
	if (argc == 4 &&
	    (!cmdline_parse_u64(argv[3], &count) || count == 0 || count > SD_DUMP_MAX_BLOCKS)) {
		hv_printf("sd read: count '%s' must be 1 to %u\n", argv[3], SD_DUMP_MAX_BLOCKS);
		return 1;
	}
	dev = sd_card();
	if (!dev) {
		hv_printf("sd read: %s\n", board_sd_describe());
		return 1;
	}
	return sd_read_and_dump(dev, lba, count);
}

const struct shell_command shell_commands[] = {
    {"help", "", "list the commands", cmd_help},
    {"vml", "", "list VMs: state, memory, CPU time and trap counters", cmd_vml},
    {"vmc", "<id>", "attach the console to a VM (@0 comes back)", cmd_vmc},
    {"vmi", "<id>", "show everything about one VM: memory, counters, vCPUs", cmd_vmi},
    {"vmstop", "<id>", "stop a VM (it keeps its memory and log)", cmd_vmstop},
    {"vmstart", "<id>", "resume a stopped VM, or start one not yet started", cmd_vmstart},
    {"vmrestart", "<id>", "reload a VM's files from the SD card and boot it again", cmd_vmrestart},
    {"vmkill", "<id>", "destroy a VM: free its memory and its id", cmd_vmkill},
    {"vmld", "<image> <load> <entry> [MiB]", "load an image into a new VM and start it", cmd_vmld},
    {"ls", "[dir]", "list the files on the SD card", cmd_ls},
    {"sd", "[read <lba> [count]]", "show the SD card; read: hex-dump up to 8 blocks", cmd_sd},
    {"free", "", "show the memory used by the hypervisor and each VM, and what is free", cmd_free},
    {"sched", "", "show the scheduler: who runs, the alarm, each vCPU's state", cmd_sched},
    {"mem", "", "show the physical memory map", cmd_mem},
    {"uptime", "", "show time since boot and interrupt counts", cmd_uptime},
    {"version", "", "show the hypervisor version", cmd_version},
    {"clear", "", "clear the terminal", cmd_clear},
    {"crash", "", "fault the hypervisor on purpose (shows the crash report, halts)", cmd_crash},
    {NULL, NULL, NULL, NULL},
};
