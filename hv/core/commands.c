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
#include "lib/cpulist.h"
#include "lib/printf.h"
#include "core/mm.h"
#include "core/sched.h"
#include "core/vconsole.h"
#include "core/trap.h"
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

/* "name usage" of a command, as help shows it. */
static const char *command_synopsis(const struct shell_command *cmd, char *buf, size_t size)
{
	fmt_snprintf(buf, size, "%s%s%s", cmd->name, cmd->usage[0] ? " " : "", cmd->usage);
	return buf;
}

static int help_for(const char *name)
{
	char synopsis[64];

	for (const struct shell_command *cmd = shell_commands; cmd->name; cmd++) {
		if (strcmp(cmd->name, name) != 0)
			continue;
		hv_printf("usage: %s\n  %s\n", command_synopsis(cmd, synopsis, sizeof(synopsis)),
			  cmd->help);
		if (cmd->details)
			hv_printf("  %s\n", cmd->details);
		return 0;
	}
	hv_printf("help: no command '%s' (help lists them)\n", name);
	return 1;
}

/* The width of help's first column: the longest synopsis, so the explanations line up. */
static int synopsis_width(void)
{
	char synopsis[64];
	int width = 0;

	for (const struct shell_command *cmd = shell_commands; cmd->name; cmd++) {
		int n = (int)strlen(command_synopsis(cmd, synopsis, sizeof(synopsis)));
		width = n > width ? n : width;
	}
	return width;
}

static int cmd_help(int argc, char **argv)
{
	int width = synopsis_width();
	char synopsis[64];

	if (argc > 2) {
		hv_printf("usage: help [command]\n");
		return 1;
	}
	if (argc == 2)
		return help_for(argv[1]);
	hv_printf("commands (help <command> for more):\n");
	for (const struct shell_command *cmd = shell_commands; cmd->name; cmd++)
		hv_printf("  %-*s  %s\n", width, command_synopsis(cmd, synopsis, sizeof(synopsis)),
			  cmd->help);
	hv_printf("addresses are hex, 0x optional (80000 = 0x80000), as in U-Boot; ids and counts "
		  "are decimal\n");
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

/* Parses a VM id (0 = the shell); prints what is wrong and returns false if it is not one. */
static bool parse_vm_id(const char *cmd, const char *arg, unsigned int *id)
{
	uint64_t value = 0;
	enum cmdline_number parsed = cmdline_parse_number(arg, 10, &value);

	if (parsed == CMDLINE_NOT_A_NUMBER) {
		hv_printf("%s: '%s' is not a VM id (a number, see vml)\n", cmd, arg);
		return false;
	}
	if (parsed == CMDLINE_TOO_BIG || value > VM_MAX) {
		hv_printf("%s: %s is out of range: VM ids are 1 to %d (see vml)\n", cmd, arg,
			  VM_MAX);
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
		hv_printf("usage: vmc <id>   (see vml for ids)\n");
		return 1;
	}
	if (!parse_vm_id(argv[0], argv[1], &id))
		return 1;
	if (id == 0) {
		hv_printf("vmc: you are in the shell already (0 is the shell; in a VM, @0 comes "
			  "back here)\n");
		return 0;
	}
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

/* The disk: partition, size, and what the guest did with it since the VM was (re)started. */
static void print_vm_disk(const struct vm *vm)
{
	const struct storage_disk *d = &vm->disk;
	const struct vblk_stats *st = &vm->blk.stats;

	hv_printf("  disk sd:%u%s (virtio-blk at 0x%lx, IRQ %u): %s, SD blocks %lu-%lu\n",
		  d->partition, d->read_only ? " read-only" : "", VBLK_BASE, VBLK_IRQ_LINE,
		  SIZE_TEXT(d->blocks * 512), d->start, d->start + d->blocks - 1);
	hv_printf("  disk requests: %lu reads (%s), %lu writes (%s), %lu flushes, %lu errors, "
		  "%lu unsupported, %lu SD errors\n",
		  st->reads, SIZE_TEXT(st->sectors_read * 512), st->writes,
		  SIZE_TEXT(st->sectors_written * 512), st->flushes, st->errors, st->unsupported,
		  d->io_errors);
	if (vm->blk.broken)
		hv_printf("  disk device needs a reset: %s\n", vm->blk.broken);
}

/*
 * One vCPU's line. Its PC and PSTATE are known here when it is off its core
 * (saved at its last switch) or on this one (the live frame); a vCPU on
 * another core keeps them in that core's registers and frame, which this
 * core does not interrupt to read (a dedicated core would otherwise show
 * the state it started with).
 */
static void print_vcpu_details(const struct vcpu *v)
{
	const struct vcpu *on_its_core = __atomic_load_n(&pcpus[v->pcpu].running, __ATOMIC_ACQUIRE);

	hv_printf("  vCPU %u on core %u%s: %s, CPU time %lu ms, ", v->index, v->pcpu,
		  pcpus[v->pcpu].placed == 1 ? " (dedicated)" : "", vcpu_state_name(v->state),
		  sched_vcpu_cpu_time_us(v) / 1000);
	if (on_its_core == v && v->pcpu != this_pcpu()->id)
		hv_printf("registers live on core %u\n", v->pcpu);
	else
		hv_printf("PC 0x%lx, PSTATE 0x%lx\n", sched_vcpu_regs(v)->elr,
			  sched_vcpu_regs(v)->spsr);
}

static void print_vm_details(const struct vm *vm)
{
	const struct vm_stats total = vm_stats_total(vm);
	const struct vm_stats *st = &total;
	char progress[96], cores[CPULIST_TEXT_MAX];

	hv_printf("VM %u (%s): %s\n", vm->id, vm->name, vm_state_name(vm));
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
	if (vm->disk.partition)
		print_vm_disk(vm);
	hv_printf("  memory %s: IPA 0x0-0x%lx -> PA 0x%08lx-0x%08lx, VMID %u\n",
		  SIZE_TEXT(vm->ram_size), vm->ram_size - 1, vm->ram_pa,
		  vm->ram_pa + vm->ram_size - 1, vm->id);
	cpulist_format(vm->cpus, cores, sizeof(cores));
	hv_printf("  time slice %u ms, restarts %u, cores cpus=%s\n", vm->slice_us / 1000,
		  vm->restarts, cores);
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
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		print_vcpu_details(&vm->vcpus[i]);
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
	uint64_t ram_size;
	bool loading;

	if (!vm)
		return 1;
	loading = vm->state == VM_LOADING;
	id = vm->id;
	ram_size = vm->ram_size;
	strlcpy(name, vm->name, sizeof(name));
	vm_destroy(vm);
	hv_printf("vmkill: VM %u (%s) destroyed%s, %s of memory freed\n", id, name,
		  loading ? " (its load cancelled)" : "", SIZE_TEXT(ram_size));
	return 0;
}

static int cmd_sched(int argc, char **argv)
{
	if (expect_no_args(argc, argv))
		return 1;
	sched_print_state();
	return 0;
}

static int cmd_fastpath(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "on") != 0 && strcmp(argv[1], "off") != 0)) {
		hv_printf("usage: fastpath [on|off]   (not '%s')\n", argv[argc - 1]);
		return 1;
	}
	if (argc == 2)
		trap_set_asm_answers(strcmp(argv[1], "on") == 0);
	hv_printf("fastpath: %s (ID register reads and the VERSION and VM_ID hypercalls are "
		  "answered %s)\n",
		  trap_asm_answers() ? "on" : "off",
		  trap_asm_answers() ? "in assembly (vectors.S)" : "in C, like every other trap");
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

/* One row: the size (or <DIR>) right-aligned in one column, then the name. */
static int print_dir_entry(void *ctx, const struct fat32_entry *e)
{
	unsigned int *count = ctx;

	if (e->is_dir)
		hv_printf("  %10s  %s/\n", "<DIR>", e->name);
	else
		hv_printf("  %10s  %s\n", SIZE_TEXT(e->size), e->name);
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
	/* A VM name has only the characters a configuration file allows: "My Guest" is My_Guest. */
	for (char *p = name; *p; p++) {
		if (!config_is_name_char(*p))
			*p = '_';
	}
	len = strlen(name);
	for (unsigned int n = 2; name_in_use(name) && n < 100; n++)
		fmt_snprintf(name + (len > size - 4 ? size - 4 : len), 4, "-%u", n);
}

/* The VM vmld made is in: the line vmld printed before loading was asynchronous. */
static void vmld_done(struct vm *vm, const struct load_report *report, const char *err)
{
	if (err)
		return;
	vconsole_report("vmld: VM %u (%s) %s: %s, %s loaded at 0x%lx in %lu ms (%s/s), entry "
			"0x%lx, %s RAM",
			vm->id, vm->name, report->starts ? "started" : "created (autostart=no)",
			vm->image, SIZE_TEXT(report->image_bytes), vm->load_addr,
			report->elapsed_us / 1000, SIZE_TEXT(loader_bytes_per_s(report)), vm->entry,
			SIZE_TEXT(vm->ram_size));
}

static int cmd_vmld(int argc, char **argv)
{
	char name[VM_NAME_MAX], problem[CONFIG_PROBLEM_MAX], err[160];
	struct vm_spec spec;
	struct vm *vm;

	if (argc < 4) {
		hv_printf("usage: vmld <image> <load> <entry> [memory] [option=value ...]   (help "
			  "vmld)\n");
		return 1;
	}
	/* The same words as a line of avisor.cfg after its name, parsed by the same code. */
	name_from_image(argv[1], name, sizeof(name));
	if (!config_parse_vm(name, argv + 1, argc - 1, &spec, problem, sizeof(problem))) {
		hv_printf("vmld: %s\n", problem);
		return 1;
	}
	vm = loader_create_vm(&spec, vmld_done, err, sizeof(err));
	if (!vm) {
		hv_printf("vmld: %s\n", err);
		return 1;
	}
	hv_printf("vmld: VM %u (%s) loading %s into %s RAM; a line follows when it starts "
		  "(vml shows how far)\n",
		  vm->id, vm->name, spec.image, SIZE_TEXT(spec.ram_size));
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
	hv_printf("hypervisor: %s in use (image, page tables, stacks, %d VM slots), %s reserved\n",
		  SIZE_TEXT((uint64_t)__hv_end - (uint64_t)__hv_start), VM_MAX,
		  SIZE_TEXT(HV_RESERVED_END));
	hv_printf("VMs: %s used, %s free of %s (largest free run %s)\n",
		  SIZE_TEXT(total - free_bytes), SIZE_TEXT(free_bytes), SIZE_TEXT(total),
		  SIZE_TEXT(block_largest_free(pool)));
	for (unsigned int i = 0; i < VM_MAX; i++) {
		const struct vm *vm = vm_slot(i);
		if (vm->state != VM_EMPTY)
			hv_printf("  VM %u (%s): %s at 0x%08lx\n", vm->id, vm->name,
				  SIZE_TEXT(vm->ram_size), vm->ram_pa);
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
		(void)storage_card_init();
	return board_sd_blockdev();
}

/* One block as lines of "offset: 16 hex bytes |ASCII|". */
static void sd_dump_block(uint64_t lba, const uint8_t *block)
{
	hv_printf("LBA 0x%lx:\n", lba);
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
	int err = storage_card_read(lba, (uint32_t)count, sd_dump);

	us = board_uptime_us() - start;
	if (err) {
		hv_printf("sd read: LBA 0x%lx, %lu block(s): %s (the card has %lu blocks)\n", lba,
			  count, board_sd_strerror(err), dev->block_count);
		return 1;
	}
	for (uint64_t i = 0; i < count; i++)
		sd_dump_block(lba + i, sd_dump + i * BLOCK_SIZE);
	hv_printf("read %lu block(s) in %lu us: %s/s\n", count, us,
		  SIZE_TEXT(us ? count * BLOCK_SIZE * 1000000 / us : 0));
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
	/* A block address, so hex like every address (as U-Boot's mmc read takes it). */
	if (!cmdline_parse_hex_u64(argv[2], &lba)) {
		hv_printf("sd read: LBA '%s' is not a hex number (e.g. 1f or 0x1f)\n", argv[2]);
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
    {"help", "[command]", "list the commands, or show one command's usage", cmd_help, NULL},
    {"vml", "", "list VMs: state, memory, CPU time and trap counters", cmd_vml,
     "states: running, waiting (every vCPU in WFI), stopped; * marks the attached VM"},
    {"vmc", "<id>", "attach the console to a VM (@0 comes back)", cmd_vmc,
     "in a VM: @0 back to the shell, @1-@9 another VM, @l lists VMs, @@ sends one @"},
    {"vmi", "<id>", "show everything about one VM: memory, counters, vCPUs", cmd_vmi, NULL},
    {"vmstop", "<id>", "stop a VM (it keeps its memory and log)", cmd_vmstop,
     "a VM still loading: its load is cancelled (vmstart or vmrestart loads it again)"},
    {"vmstart", "<id>", "resume a stopped VM, or start one not yet started", cmd_vmstart, NULL},
    {"vmrestart", "<id>", "reload a VM's files from the SD card and boot it again", cmd_vmrestart,
     "its files are read again in the background and it starts when they are in; every "
     "counter starts again from zero (CPU time, exits, MMIO, interrupts); restarts counts"},
    {"vmkill", "<id>", "destroy a VM: free its memory and its id", cmd_vmkill,
     "a load in progress is cancelled"},
    {"vmld", "<image> <load> <entry> [mem] [opts]", "load an image into a new VM and start it",
     cmd_vmld,
     "as an avisor.cfg line after its name: addresses hex, 0x optional (vmld echo.bin 80000 "
     "80000); mem 16M (default), 1G; options dtb= dtb_addr= initrd= initrd_addr= vcpus= "
     "slice= autostart=; the files are read in the background, a line says when it starts"},
    {"ls", "[dir]", "list the files on the SD card", cmd_ls, NULL},
    {"sd", "[read <lba> [count]]", "show the SD card; read: hex-dump up to 8 blocks", cmd_sd,
     "the LBA is hex, 0x optional; count is 1 to 8"},
    {"free", "", "show the memory used by the hypervisor and each VM, and what is free", cmd_free,
     NULL},
    {"sched", "", "show the scheduler: who runs, the alarm, each vCPU's state", cmd_sched, NULL},
    {"fastpath", "[on|off]", "show or switch the trap answers made in assembly", cmd_fastpath,
     "off: every trap goes through C, the reference the assembly answers are checked "
     "against; make bench both ways to see what they save"},
    {"mem", "", "show the physical memory map", cmd_mem, NULL},
    {"uptime", "", "show time since boot and interrupt counts", cmd_uptime, NULL},
    {"version", "", "show the hypervisor version", cmd_version, NULL},
    {"clear", "", "clear the terminal", cmd_clear, NULL},
    {"crash", "", "fault the hypervisor on purpose (shows the crash report, halts)", cmd_crash,
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
