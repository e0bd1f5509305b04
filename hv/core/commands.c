/*
 * The shell's command table: every command the hypervisor understands, in
 * the order `help` lists them.
 */
#include "board/board.h"
#include "core/console.h"
#include "core/shell.h"
#include "core/sysinfo.h"
#include "core/tick.h"
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
		char left[32];
		size_t n = strlcpy(left, cmd->name, sizeof(left));

		if (cmd->usage[0] && n + 1 < sizeof(left)) {
			left[n] = ' ';
			strlcpy(left + n + 1, cmd->usage, sizeof(left) - n - 1);
		}
		hv_printf("  %-20s %s\n", left, cmd->help);
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
	hv_printf("up %lu.%03lu s; %lu timer ticks (%d Hz); %lu interrupts; %u console pauses\n",
		  us / 1000000, (us / 1000) % 1000, tick_count(), TICK_HZ, board_irq_count(),
		  console_rx_pauses());
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

const struct shell_command shell_commands[] = {
    {"help", "", "list the commands", cmd_help},
    {"version", "", "show the hypervisor version", cmd_version},
    {"mem", "", "show the physical memory map", cmd_mem},
    {"uptime", "", "show time since boot, timer ticks and interrupt counts", cmd_uptime},
    {"clear", "", "clear the terminal", cmd_clear},
    {"crash", "", "fault the hypervisor on purpose (shows the crash report, halts)", cmd_crash},
    {NULL, NULL, NULL, NULL},
};
