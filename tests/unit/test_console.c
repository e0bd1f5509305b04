/*
 * Unit tests for the console and the shell's line on it (hv/core/console.c,
 * hv/core/shell.c): a report — which another core may print at any moment —
 * goes on a line of its own, and the prompt with what was typed so far is
 * drawn again right after it, so that the command being typed is never cut
 * in two on the terminal.
 *
 * Run with pthreads under ThreadSanitizer (UNIT_TSAN_TESTS in unit.mk): one
 * thread types as core 0 does (shell_feed), another prints reports as core
 * 2 would (console_report). The terminal is modelled ('\b' left, '\r' to
 * column 0, '\n' down a row, characters overwrite), so the tests check what
 * a user would see, whatever the interleaving.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "board/board.h"
#include "core/console.h"
#include "core/sched.h"
#include "core/shell.h"
#include "core/vconsole.h"
#include "lib/printf.h"

#define TERM_ROWS   4096
#define TERM_COLS   300
#define REPORTS	    200
#define ROUNDS	    20
#define REPORT_TEXT "[aVisor] VM 6 (bad_sysreg): undefined instruction injected"

/* --- The hypervisor around the console, faked --------------------------------------------- */

struct term {
	char rows[TERM_ROWS][TERM_COLS];
	int row;
	size_t col;
};

/* Written only under the console lock, as the UART is. */
static struct term term;
static int commands_run;
static char last_command_arg[64];

void board_console_putc(char c)
{
	switch (c) {
	case '\b':
		if (term.col > 0)
			term.col--;
		break;
	case '\r':
		term.col = 0;
		break;
	case '\n':
		assert_true(term.row < TERM_ROWS - 1);
		term.row++;
		break;
	default:
		assert_true(term.col < TERM_COLS - 1);
		for (size_t i = strlen(term.rows[term.row]); i < term.col; i++)
			term.rows[term.row][i] = ' ';
		term.rows[term.row][term.col++] = c;
		break;
	}
}

void board_console_set_rx_sink(const struct board_rx_sink *sink)
{
	(void)sink;
}

void board_console_rx_resume(void)
{
}

void sched_request(enum sched_work work)
{
	(void)work;
}

struct vm *vconsole_attached(void)
{
	return NULL;
}

static int run_say(int argc, char **argv)
{
	commands_run++;
	snprintf(last_command_arg, sizeof(last_command_arg), "%s", argc > 1 ? argv[1] : "");
	hv_printf("said %s\n", last_command_arg);
	return 0;
}

/* A command during which another core reports. */
static int run_tell(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	commands_run++;
	console_report(REPORT_TEXT);
	hv_printf("told\n");
	return 0;
}

const struct shell_command shell_commands[] = {
    {"say", "<word>", "prints its word", run_say, NULL},
    {"tell", "", "reports while it runs", run_tell, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* --- Helpers ------------------------------------------------------------------------------ */

static int setup(void **state)
{
	(void)state;
	memset(&term, 0, sizeof(term));
	commands_run = 0;
	console_init();
	shell_init();
	shell_print_prompt();
	return 0;
}

static void type(const char *keys)
{
	while (*keys)
		shell_feed(*keys++);
}

static const char *current_row(void)
{
	return term.rows[term.row];
}

/* A row holds one report and nothing else. */
static bool is_report_row(const char *row)
{
	return strncmp(row, "[aVisor] ", 9) == 0;
}

/* --- Tests -------------------------------------------------------------------------------- */

/* Typed, interrupted by a report, typed on: the user sees the report, then their whole line. */
static void test_a_report_redraws_the_line_being_typed(void **state)
{
	(void)state;
	type("say tim");
	console_report(REPORT_TEXT);
	assert_string_equal(term.rows[0], SHELL_PROMPT "say tim");
	assert_string_equal(term.rows[1], REPORT_TEXT);
	assert_string_equal(current_row(), SHELL_PROMPT "say tim");
	assert_int_equal(term.col, strlen(SHELL_PROMPT "say tim"));
	type("er\r");
	assert_int_equal(commands_run, 1);
	assert_string_equal(last_command_arg, "timer");
	assert_string_equal(term.rows[2], SHELL_PROMPT "say timer");
	assert_string_equal(term.rows[3], "said timer");
	assert_string_equal(current_row(), SHELL_PROMPT);
}

/* The cursor goes back where it was, in the middle of the line. */
static void test_the_redraw_keeps_the_cursor_where_it_was(void **state)
{
	(void)state;
	type("say wod\x1b[D"); /* Left: the cursor is before the 'd' */
	console_report(REPORT_TEXT);
	assert_string_equal(current_row(), SHELL_PROMPT "say wod");
	assert_int_equal(term.col, strlen(SHELL_PROMPT "say wo"));
	type("r\r");
	assert_string_equal(last_command_arg, "word");
}

/* While a command runs there is no prompt to draw: its own prompt comes after its output. */
static void test_no_prompt_is_drawn_while_a_command_runs(void **state)
{
	(void)state;
	type("tell\r");
	assert_int_equal(commands_run, 1);
	assert_string_equal(term.rows[0], SHELL_PROMPT "tell");
	assert_string_equal(term.rows[1], REPORT_TEXT);
	assert_string_equal(term.rows[2], "told");
	assert_string_equal(term.rows[3], SHELL_PROMPT);
	assert_int_equal(term.row, 3);
}

/* After a command, the next prompt is empty until a key comes: the report draws only it. */
static void test_the_line_that_ran_is_not_drawn_again(void **state)
{
	(void)state;
	type("say first\r");
	console_report(REPORT_TEXT);
	assert_string_equal(term.rows[2], SHELL_PROMPT);
	assert_string_equal(term.rows[3], REPORT_TEXT);
	assert_string_equal(current_row(), SHELL_PROMPT);
	type("say next\r");
	assert_string_equal(last_command_arg, "next");
}

/* Ctrl-C ends the line too: the report that follows draws the fresh prompt, empty. */
static void test_a_cancelled_line_is_not_drawn_again(void **state)
{
	(void)state;
	type("say abc\x03");
	console_report(REPORT_TEXT);
	assert_string_equal(term.rows[0], SHELL_PROMPT "say abc^C");
	assert_string_equal(term.rows[1], SHELL_PROMPT);
	assert_string_equal(term.rows[2], REPORT_TEXT);
	assert_string_equal(current_row(), SHELL_PROMPT);
}

/* A report after output that did not end its line starts a line of its own. */
static void test_a_report_starts_its_own_line(void **state)
{
	(void)state;
	console_write_raw("guest says hi", 13);
	console_report(REPORT_TEXT);
	assert_string_equal(term.rows[0], SHELL_PROMPT "guest says hi");
	assert_string_equal(term.rows[1], REPORT_TEXT);
}

/*
 * What a user sees after ROUNDS commands typed while reports came: every
 * row is a whole report, a command's output, or the prompt with a prefix of
 * the command being typed then (empty between a command and the next key).
 */
static void assert_rows_show_reports_and_typed_lines(char line[ROUNDS][64])
{
	int round = 0;

	for (int r = 0; r <= term.row; r++) {
		const char *row = term.rows[r];
		const char *typed = row + strlen(SHELL_PROMPT);
		char said[80];

		if (is_report_row(row)) {
			assert_string_equal(row, REPORT_TEXT);
			continue;
		}
		if (strncmp(row, "said ", 5) == 0) {
			snprintf(said, sizeof(said), "said %s", line[round] + 4);
			assert_string_equal(row, said);
			round++;
			continue;
		}
		assert_memory_equal(row, SHELL_PROMPT, strlen(SHELL_PROMPT));
		if (round < ROUNDS) {
			assert_true(strlen(typed) <= strlen(line[round]));
			assert_memory_equal(typed, line[round], strlen(typed));
		} else {
			assert_string_equal(typed, "");
		}
	}
	assert_int_equal(round, ROUNDS);
}

static void *report_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < REPORTS; i++) {
		console_report(REPORT_TEXT);
		sched_yield();
	}
	return NULL;
}

/*
 * Core 0 types commands while another core reports, at every moment: each
 * report is alone on its row, each redraw shows the prompt and exactly what
 * was typed by then, and the command that runs is the one typed.
 */
static void test_reports_from_another_core_never_cut_a_typed_command(void **state)
{
	char line[ROUNDS][64];
	pthread_t reporter;

	(void)state;
	for (int round = 0; round < ROUNDS; round++)
		snprintf(line[round], sizeof(line[round]), "say %d_tests/timer_spin.bin_cpus=2",
			 round);
	assert_int_equal(pthread_create(&reporter, NULL, report_thread, NULL), 0);
	for (int round = 0; round < ROUNDS; round++) {
		for (const char *k = line[round]; *k; k++) {
			shell_feed(*k);
			sched_yield();
		}
		shell_feed('\r');
		assert_string_equal(last_command_arg, line[round] + 4);
	}
	assert_int_equal(pthread_join(reporter, NULL), 0);
	assert_int_equal(commands_run, ROUNDS);
	assert_rows_show_reports_and_typed_lines(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_a_report_redraws_the_line_being_typed, setup),
	    cmocka_unit_test_setup(test_the_redraw_keeps_the_cursor_where_it_was, setup),
	    cmocka_unit_test_setup(test_no_prompt_is_drawn_while_a_command_runs, setup),
	    cmocka_unit_test_setup(test_the_line_that_ran_is_not_drawn_again, setup),
	    cmocka_unit_test_setup(test_a_cancelled_line_is_not_drawn_again, setup),
	    cmocka_unit_test_setup(test_a_report_starts_its_own_line, setup),
	    cmocka_unit_test_setup(test_reports_from_another_core_never_cut_a_typed_command, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
