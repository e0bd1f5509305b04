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
	    "big    big.bin 0 0 1008M vcpus=2 dtb=x.dtb dtb_addr=0x100000";
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
	assert_non_null(strstr(e.text[0], "expected: name image load entry memory"));
	assert_int_equal(e.lines[1], 4);
	assert_non_null(strstr(e.text[1], "a VM named 'echo' is already defined"));
}

static void test_each_kind_of_bad_value(void **state)
{
	(void)state;
	assert_non_null(strstr(reject("a.very.long.vm.name x 0 0 16M"), "longer than 15"));
	assert_non_null(strstr(reject("bad/name x 0 0 16M"), "may only have letters"));
	assert_non_null(strstr(reject("\"\" x 0 0 16M"), "the name is empty"));
	assert_non_null(strstr(reject("vm x zero 0 16M"), "load address 'zero' is not a number"));
	assert_non_null(strstr(reject("vm x 0 0x8000g 16M"), "entry '0x8000g' is not a number"));
	assert_non_null(strstr(reject("vm x 0 0 lots"), "memory 'lots' is not a size"));
	assert_non_null(strstr(reject("vm x 0 0 3M"), "multiple of 2 MiB"));
	assert_non_null(strstr(reject("vm x 0 0 0M"), "multiple of 2 MiB"));
	assert_non_null(strstr(reject("vm x 0 0 2G"), "multiple of 2 MiB, from 2 MiB to 1008"));
	assert_non_null(strstr(reject("vm x 0x80001 0x80000 16M"), "4 KiB aligned"));
	assert_non_null(strstr(reject("vm x 0x2000000 0x80000 16M"), "load address is outside"));
	assert_non_null(strstr(reject("vm x 0x80000 0x80002 16M"), "entry point must be"));
	assert_non_null(strstr(reject("vm x 0x80000 0x1000000 16M"), "entry point must be"));
	assert_non_null(strstr(reject("vm x 0 0 16M color=red"), "unknown option 'color'"));
	assert_non_null(strstr(reject("vm x 0 0 16M slice"), "'slice' is not an option"));
	assert_non_null(strstr(reject("vm x 0 0 16M slice=0"), "slice=0: must be a number"));
	assert_non_null(strstr(reject("vm x 0 0 16M vcpus=5"), "vcpus=5: must be a number"));
	assert_non_null(strstr(reject("vm x 0 0 16M autostart=maybe"), "must be yes or no"));
	assert_non_null(strstr(reject("vm x 0 0 16M dtb=a dtb_addr=0x1000001"), "dtb_addr must"));
	assert_non_null(strstr(reject("vm \"x 0 0 16M"), "unterminated quote"));
	assert_non_null(strstr(reject("vm x 0 0 16M \x01"), "byte 0x01 at column 14 is not text"));
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
	assert_non_null(strstr(reject("vm x 0 0 16M initrd=r initrd_addr=0x400010"),
			       "initrd_addr must be 4 KiB aligned"));
	assert_non_null(strstr(reject("vm x 0 0 16M initrd=r initrd_addr=0x1000000"),
			       "initrd_addr is outside the VM's memory"));
	assert_non_null(strstr(reject("vm x 0 0 16M initrd=r initrd_addr=ten"),
			       "initrd_addr 'ten' is not a number"));
	assert_non_null(strstr(reject("vm x 0x80000 0x80000 16M initrd=r initrd_addr=0x80000"),
			       "initrd_addr is the image's load address"));
	assert_non_null(strstr(reject("vm x 0 0 16M dtb=d initrd=r initrd_addr=0xe00000"),
			       "initrd_addr is the device tree's address"));
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
	    cmocka_unit_test(test_initrd),
	    cmocka_unit_test(test_bad_initrd_options),
	    cmocka_unit_test(test_long_line_and_too_many_vms),
	    cmocka_unit_test(test_sizes),
	    cmocka_unit_test(test_empty_and_nul_input),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
