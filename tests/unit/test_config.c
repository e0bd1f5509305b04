/* Unit tests of the VM configuration file parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/config.h"

#define MIB (1UL << 20)

struct errors {
	unsigned int count;
	unsigned int lines[16];
	char text[16][160];
};

static void collect(void *ctx, unsigned int line, const char *problem)
{
	struct errors *e = ctx;

	if (e->count < 16) {
		e->lines[e->count] = line;
		snprintf(e->text[e->count], sizeof(e->text[0]), "%s", problem);
	}
	e->count++;
}

static unsigned int parse(const char *text, struct vm_spec *specs, struct errors *e)
{
	memset(e, 0, sizeof(*e));
	return config_parse(text, strlen(text), specs, CONFIG_MAX_VMS, collect, e);
}

/* Parses a one-line file that must be rejected; returns the problem. */
static const char *reject(const char *line)
{
	static struct errors e;
	struct vm_spec specs[CONFIG_MAX_VMS];

	assert_int_equal(parse(line, specs, &e), 0);
	assert_int_equal(e.count, 1);
	assert_int_equal(e.lines[0], 1);
	return e.text[0];
}

static void test_good_file_with_comments_and_blank_lines(void **state)
{
	const char *text =
	    "# aVisor VMs\n"
	    "\n"
	    "echo   echo.bin   0x80000 0x80000 16M\n"
	    "lrtos\tlrtos.bin 0x80000 0x80000 32   slice=5   # a comment\r\n"
	    "uboot  boot/u-boot.bin 0x80000 0x80000 64MiB dtb=uboot.dtb autostart=no\n"
	    "big    big.bin 0 0 1008M vcpus=2 dtb=x.dtb dtb_addr=0x100000 cpus=1,3";
	struct vm_spec specs[CONFIG_MAX_VMS];
	struct errors e;

	(void)state;
	assert_int_equal(parse(text, specs, &e), 4);
	assert_int_equal(e.count, 0);
	assert_string_equal(specs[0].name, "echo");
	assert_string_equal(specs[0].image, "echo.bin");
	assert_int_equal(specs[0].load_addr, 0x80000);
	assert_int_equal(specs[0].entry, 0x80000);
	assert_int_equal(specs[0].ram_size, 16 * MIB);
	assert_int_equal(specs[0].line, 3);
	assert_int_equal(specs[0].slice_ms, CONFIG_DEFAULT_SLICE_MS);
	assert_int_equal(specs[0].vcpus, 1);
	assert_true(specs[0].autostart);
	assert_string_equal(specs[0].dtb, "");
	assert_int_equal(specs[1].slice_ms, 5);
	assert_int_equal(specs[1].ram_size, 32 * MIB);
	assert_string_equal(specs[2].image, "boot/u-boot.bin");
	assert_string_equal(specs[2].dtb, "uboot.dtb");
	assert_int_equal(specs[2].dtb_addr, 62 * MIB); /* default: last 2 MiB */
	assert_false(specs[2].autostart);
	assert_int_equal(specs[3].ram_size, 1008 * MIB);
	assert_int_equal(specs[3].vcpus, 2);
	assert_int_equal(specs[3].dtb_addr, 0x100000);
	assert_int_equal(specs[3].cpus, 0xa); /* cores 1 and 3 */
	assert_int_equal(specs[0].cpus, 0);   /* any core */
}

static void test_bad_lines_are_reported_and_good_ones_kept(void **state)
{
	const char *text = "echo echo.bin 0x80000 0x80000 16M\n"
			   "broken echo.bin 0x80000\n"
			   "lrtos lrtos.bin 0x80000 0x80000 32M\n"
			   "echo again.bin 0x80000 0x80000 16M\n";
	struct vm_spec specs[CONFIG_MAX_VMS];
	struct errors e;

	(void)state;
	assert_int_equal(parse(text, specs, &e), 2);
	assert_string_equal(specs[0].name, "echo");
	assert_string_equal(specs[1].name, "lrtos");
	assert_int_equal(e.count, 2);
	assert_int_equal(e.lines[0], 2);
	assert_non_null(strstr(e.text[0], "expected: name image load entry [memory]"));
	assert_int_equal(e.lines[1], 4);
	assert_non_null(strstr(e.text[1], "a VM named 'echo' is already defined"));
}

/* Each problem names the value: as written, and as read when that looks different. */
static void check_reject(const char *line, const char *problem)
{
	const char *got = reject(line);

	if (!strstr(got, problem))
		fail_msg("'%s': expected '%s', got '%s'", line, problem, got);
}

static void test_each_kind_of_bad_value(void **state)
{
	(void)state;
	check_reject("a.very.long.vm.name x 0 0 16M", "longer than 15");
	check_reject("bad/name x 0 0 16M", "may only have letters");
	check_reject("\"\" x 0 0 16M", "the name is empty");
	check_reject("vm x zero 0 16M", "load address 'zero' is not a hex address");
	check_reject("vm x 0 0x8000g 16M", "entry '0x8000g' is not a hex address");
	check_reject("vm x 0 10000000000000000 16M",
		     "entry '10000000000000000' is out of range (more than 64 bits)");
	check_reject("vm x 0 0 lots", "memory 'lots' is not a size");
	check_reject("vm x 0 0 3M", "memory 3M (3 MiB) must be a multiple of 2 MiB");
	check_reject("vm x 0 0 0M", "memory 0M (0 B) must be a multiple of 2 MiB");
	check_reject("vm x 0 0 2G",
		     "memory 2G (2 GiB) must be a multiple of 2 MiB, from 2 MiB to 1008");
	check_reject("vm x 80001 80000 16M", "load address 80001 (0x80001) must be 4 KiB aligned");
	check_reject("vm x 0x80001 0x80000 16M", "load address 0x80001 must be 4 KiB aligned");
	check_reject("vm x 0x2000000 0x80000 16M",
		     "load address 0x2000000 is outside the VM's memory (16 MiB)");
	check_reject("vm x 80000 80002 16M", "entry 80002 (0x80002) must be 4-byte aligned");
	check_reject("vm x 0x80000 0x1000000 16M", "entry 0x1000000 is outside the VM's memory");
	check_reject("vm x 0 0 16M color=red", "unknown option 'color'");
	check_reject("vm x 0 0 16M slice", "'slice' is not an option");
	check_reject("vm x 0 0 16M slice=0", "slice=0: must be from 1 to 1000");
	check_reject("vm x 0 0 16M vcpus=5", "vcpus=5: must be from 1 to 4");
	check_reject("vm x 0 0 16M vcpus=0x5", "vcpus=0x5 (5): must be from 1 to 4");
	check_reject("vm x 0 0 16M vcpus=two", "vcpus=two: not a number");
	check_reject("vm x 0 0 16M cpus=4", "cpus=4: core 4 does not exist (cores are 0-3)");
	check_reject("vm x 0 0 16M cpus=2-1", "cpus=2-1: range 2-1 runs backwards");
	check_reject("vm x 0 0 16M autostart=maybe", "must be yes or no");
	check_reject("vm x 0 0 16M dtb=a dtb_addr=1000001",
		     "dtb_addr 1000001 (0x1000001) must be 8-byte aligned");
	check_reject("vm \"x 0 0 16M", "unterminated quote");
	check_reject("vm x 0 0 16M \x01", "byte 0x01 at column 14 is not text");
}

/* Addresses are hex with 0x optional, as in the original aVisor; sizes keep their units. */
static void test_hex_addresses_and_optional_memory(void **state)
{
	const char *text = "freertos freertos.bin 80000 80000\n"
			   "mixed m.bin 0x200000 200000 128M dtb_addr=1e00000 dtb=d initrd=r "
			   "initrd_addr=4000000\n";
	struct vm_spec specs[CONFIG_MAX_VMS];
	struct errors e;

	(void)state;
	assert_int_equal(parse(text, specs, &e), 2);
	assert_int_equal(e.count, 0);
	assert_int_equal(specs[0].load_addr, 0x80000);
	assert_int_equal(specs[0].entry, 0x80000);
	assert_int_equal(specs[0].ram_size, CONFIG_DEFAULT_RAM_MIB * MIB);
	assert_int_equal(specs[1].load_addr, 0x200000);
	assert_int_equal(specs[1].entry, 0x200000);
	assert_int_equal(specs[1].ram_size, 128 * MIB);
	assert_int_equal(specs[1].dtb_addr, 0x1e00000);
	assert_int_equal(specs[1].initrd_addr, 0x4000000);
}

/* vmld's words: the same parser as a line after its name. */
static void test_parse_vm_words(void **state)
{
	char image[] = "linux/Image", load[] = "200000", entry[] = "0x200000", mem[] = "256M",
	     dtb[] = "dtb=linux/linux.dtb", initrd[] = "initrd=linux/initrd.gz",
	     initrd_addr[] = "initrd_addr=4000000", vcpus[] = "vcpus=2", bad[] = "vcpus=9";
	char *words[] = {image, load, entry, mem, dtb, initrd, initrd_addr, vcpus};
	char *no_memory[] = {image, load, entry, vcpus};
	char *wrong[] = {image, load, entry, bad};
	char problem[CONFIG_PROBLEM_MAX];
	struct vm_spec spec;

	(void)state;
	assert_true(config_parse_vm("Image", words, 8, &spec, problem, sizeof(problem)));
	assert_string_equal(spec.name, "Image");
	assert_int_equal(spec.load_addr, 0x200000);
	assert_int_equal(spec.ram_size, 256 * MIB);
	assert_string_equal(spec.dtb, "linux/linux.dtb");
	assert_int_equal(spec.dtb_addr, 254 * MIB);
	assert_string_equal(spec.initrd, "linux/initrd.gz");
	assert_int_equal(spec.initrd_addr, 0x4000000);
	assert_int_equal(spec.vcpus, 2);
	assert_true(spec.autostart);

	vcpus[5] = '='; /* the parser cut "vcpus=2" at its '=' */
	assert_true(config_parse_vm("x", no_memory, 4, &spec, problem, sizeof(problem)));
	assert_int_equal(spec.ram_size, CONFIG_DEFAULT_RAM_MIB * MIB);
	assert_false(config_parse_vm("x", wrong, 4, &spec, problem, sizeof(problem)));
	assert_string_equal(problem, "vcpus=9: must be from 1 to 4");
	assert_false(config_parse_vm("x", words, 2, &spec, problem, sizeof(problem)));
	assert_non_null(strstr(problem, "expected: image load entry"));
}

static void test_initrd(void **state)
{
	const char *text = "linux linux/Image 0x200000 0x200000 256M dtb=linux.dtb "
			   "initrd=linux/initrd.gz initrd_addr=0x4000000 vcpus=2\n"
			   "zero k 0x200000 0x200000 16M initrd=r.gz initrd_addr=0\n";
	struct vm_spec specs[CONFIG_MAX_VMS];
	struct errors e;

	(void)state;
	assert_int_equal(parse(text, specs, &e), 2);
	assert_int_equal(e.count, 0);
	assert_string_equal(specs[0].initrd, "linux/initrd.gz");
	assert_int_equal(specs[0].initrd_addr, 0x4000000);
	assert_int_equal(specs[0].dtb_addr, 254 * MIB);
	assert_int_equal(specs[0].vcpus, 2);
	assert_int_equal(specs[1].initrd_addr, 0); /* 0 is an address like any other */
	parse("echo echo.bin 0x80000 0x80000 16M\n", specs, &e);
	assert_string_equal(specs[0].initrd, "");
}

static void test_bad_initrd_options(void **state)
{
	(void)state;
	assert_non_null(
	    strstr(reject("vm x 0 0 16M initrd=r.gz"), "initrd needs initrd_addr=ADDR"));
	assert_non_null(
	    strstr(reject("vm x 0 0 16M initrd_addr=0x400000"), "initrd_addr without initrd=FILE"));
	check_reject("vm x 0 0 16M initrd=r initrd_addr=400010",
		     "initrd_addr 400010 (0x400010) must be 4 KiB aligned");
	check_reject("vm x 0 0 16M initrd=r initrd_addr=0x1000000",
		     "initrd_addr 0x1000000 is outside the VM's memory");
	check_reject("vm x 0 0 16M initrd=r initrd_addr=tent",
		     "initrd_addr 'tent' is not a hex address");
	check_reject("vm x 0x80000 0x80000 16M initrd=r initrd_addr=80000",
		     "initrd_addr 80000 (0x80000) is the image's load address");
	check_reject("vm x 0 0 16M dtb=d initrd=r initrd_addr=0xe00000",
		     "initrd_addr 0xe00000 is the device tree's address");
	assert_non_null(
	    strstr(reject("vm x 0 0 16M initrd="
			  "a234567890123456789012345678901234567890123456789012345678901234"
			  " initrd_addr=0x400000"),
		   "initrd path 'a2345"));
}

static void test_long_line_and_too_many_vms(void **state)
{
	char text[4096];
	struct vm_spec specs[CONFIG_MAX_VMS];
	struct errors e;
	size_t n = 0;

	(void)state;
	memset(text, 'x', 300);
	text[300] = '\0';
	assert_non_null(strstr(reject(text), "longer than 255"));
	for (int i = 0; i < CONFIG_MAX_VMS + 2; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "vm%d x.bin 0 0 2M\n", i);
	assert_int_equal(parse(text, specs, &e), CONFIG_MAX_VMS);
	assert_int_equal(e.count, 2);
	assert_int_equal(e.lines[0], CONFIG_MAX_VMS + 1);
	assert_non_null(strstr(e.text[0], "too many VMs"));
}

static void test_sizes(void **state)
{
	uint64_t mib;

	(void)state;
	assert_true(config_parse_size_mib("64", &mib));
	assert_int_equal(mib, 64);
	assert_true(config_parse_size_mib("64M", &mib));
	assert_true(config_parse_size_mib("1G", &mib));
	assert_int_equal(mib, 1024);
	assert_false(config_parse_size_mib("", &mib));
	assert_false(config_parse_size_mib("M", &mib));
	assert_false(config_parse_size_mib("16K", &mib));
	assert_false(config_parse_size_mib("99999999999999999999", &mib));
	assert_false(config_parse_size_mib("-1", &mib));
}

static void test_empty_and_nul_input(void **state)
{
	struct vm_spec specs[CONFIG_MAX_VMS];
	struct errors e;

	(void)state;
	assert_int_equal(parse("", specs, &e), 0);
	assert_int_equal(e.count, 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(config_parse("a b\0c", 5, specs, CONFIG_MAX_VMS, collect, &e), 0);
	assert_int_equal(e.count, 1);
	assert_non_null(strstr(e.text[0], "byte 0x00"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file_with_comments_and_blank_lines),
	    cmocka_unit_test(test_bad_lines_are_reported_and_good_ones_kept),
	    cmocka_unit_test(test_each_kind_of_bad_value),
	    cmocka_unit_test(test_hex_addresses_and_optional_memory),
	    cmocka_unit_test(test_parse_vm_words),
	    cmocka_unit_test(test_initrd),
	    cmocka_unit_test(test_bad_initrd_options),
	    cmocka_unit_test(test_long_line_and_too_many_vms),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_empty_and_nul_input),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
