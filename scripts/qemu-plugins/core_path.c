/*
 * A QEMU TCG plugin for make bench: counts the instructions ONE emulated
 * core executes from a start address to an end address, whatever the other
 * cores do meanwhile.
 *
 * Why: under -icount QEMU 7.2 runs the cores in turn on one thread, and
 * guest time is the sum of every core's instructions, so a latency read
 * from the guest's counter also counts the other cores' turns
 * (docs/benchmarks.md). On a real Pi the cores run at once; what a
 * dedicated core's interrupt costs is the instructions that core executes
 * between the interrupt's arrival and the guest's handler. This plugin
 * counts exactly those: from the first instruction at `start` (the
 * hypervisor's IRQ vector for a lower EL) to the next one at `end` (the
 * guest's IRQ vector), on core `vcpu` only, and writes one line per
 * interval to `out`.
 *
 * Arguments (QEMU 7.2: -plugin core_path.so,arg=start=0x..,arg=end=0x..,...):
 *     start=ADDR end=ADDR vcpu=N out=PATH
 *
 * Counting is per translated block: a block's instructions are added when
 * it starts, and a marker's position inside its block is corrected for, so
 * an interval is exact unless an exception cuts a block short inside it.
 *
 * Debian ships QEMU with plugin support but not the plugin header
 * (qemu-plugin.h); the few functions used are declared here from QEMU's
 * documented plugin API, version 1 (QEMU 6.0 to 8.1).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };

typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*vcpu_udata_cb)(unsigned int vcpu_index, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, vcpu_udata_cb cb,
					  enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, vcpu_udata_cb cb,
					    enum qemu_plugin_cb_flags flags, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_VCPUS 8

static uint64_t start_addr, end_addr;
static unsigned int watched_vcpu;
static FILE *out;
/* Instructions each core has started, block by block (one thread runs them all under -icount). */
static uint64_t executed[MAX_VCPUS];
static uint64_t interval_start;
static int in_interval;

/* A marker's udata: its index in its block, and whether it is the end. */
#define MARK_END (1UL << 32)

static void block_started(unsigned int vcpu, void *n_insns)
{
	if (vcpu < MAX_VCPUS)
		executed[vcpu] += (uintptr_t)n_insns;
}

/* The block's count was added when it started; `index` insns of it came before this one. */
static void marker_reached(unsigned int vcpu, void *udata)
{
	uintptr_t mark = (uintptr_t)udata;
	uint64_t before = executed[vcpu] - (mark >> 33) + (mark & 0xffffffffUL);

	if (vcpu != watched_vcpu)
		return;
	if (!(mark & MARK_END)) {
		if (!in_interval) {
			interval_start = before;
			in_interval = 1;
		}
		return;
	}
	if (in_interval) {
		fprintf(out, "%" PRIu64 "\n", before - interval_start);
		fflush(out);
		in_interval = 0;
	}
}

static void block_translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_started, QEMU_PLUGIN_CB_NO_REGS,
					     (void *)(uintptr_t)n);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t pc = qemu_plugin_insn_vaddr(insn);
		uintptr_t mark = ((uintptr_t)n << 33) | i;

		if (pc == start_addr || pc == end_addr)
			qemu_plugin_register_vcpu_insn_exec_cb(
			    insn, marker_reached, QEMU_PLUGIN_CB_NO_REGS,
			    (void *)(mark | (pc == end_addr ? MARK_END : 0)));
	}
}

static int parse_arg(const char *arg)
{
	const char *value = strchr(arg, '=');

	if (!value)
		return -1;
	value++;
	if (!strncmp(arg, "start=", 6))
		start_addr = strtoull(value, NULL, 0);
	else if (!strncmp(arg, "end=", 4))
		end_addr = strtoull(value, NULL, 0);
	else if (!strncmp(arg, "vcpu=", 5))
		watched_vcpu = (unsigned int)strtoul(value, NULL, 0);
	else if (!strncmp(arg, "out=", 4))
		out = fopen(value, "w");
	else
		return -1;
	return 0;
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		if (parse_arg(argv[i])) {
			fprintf(stderr, "core_path: unknown argument '%s'\n", argv[i]);
			return -1;
		}
	}
	if (!out || !start_addr || !end_addr || watched_vcpu >= MAX_VCPUS) {
		fprintf(stderr, "core_path: needs start=, end=, out= and vcpu= below %d\n",
			MAX_VCPUS);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, block_translated);
	return 0;
}
