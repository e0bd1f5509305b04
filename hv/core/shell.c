#include "core/shell.h"
#include "core/console.h"
#include "core/vconsole.h"
#include "lib/cmdline.h"
#include "lib/lineedit.h"
#include "lib/string.h"

#include <stddef.h>

static struct lineedit editor;
/*
 * The prompt is on the terminal and the editor's line after it: from the
 * prompt until Enter (or Ctrl-C) ends the line. Set and read with the
 * console held, like the editor's line while it is edited.
 */
static bool at_prompt;

static void echo_to_console(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write_raw_held(s, len);
}

/*
 * After a report (console_report, on any core, the console held): the
 * prompt again with what was typed of the next command so far and the
 * cursor where it was, so that a report never swallows half a command from
 * the terminal's view. Nothing while a command runs: its prompt follows it.
 */
static void redraw_line(void)
{
	if (!at_prompt)
		return;
	console_write_raw_held(SHELL_PROMPT, strlen(SHELL_PROMPT));
	/* Until the next key the editor still holds the line that ran: nothing is typed yet. */
	if (editor.line_done)
		return;
	console_write_raw_held(editor.buf, editor.len);
	for (size_t i = editor.cursor; i < editor.len; i++)
		console_write_raw_held("\b", 1);
}

void shell_init(void)
{
	lineedit_init(&editor, echo_to_console, NULL);
	console_set_line_redraw(redraw_line);
}

void shell_print_prompt(void)
{
	console_hold();
	console_write_raw_held(SHELL_PROMPT, strlen(SHELL_PROMPT));
	at_prompt = true;
	console_release();
}

static const struct shell_command *find_command(const char *name)
{
	for (const struct shell_command *cmd = shell_commands; cmd->name; cmd++) {
		if (strcmp(cmd->name, name) == 0)
			return cmd;
	}
	return NULL;
}

int shell_execute(char *line)
{
	char *argv[CMDLINE_MAX_ARGS];
	int argc = cmdline_split(line, argv, CMDLINE_MAX_ARGS);
	const struct shell_command *cmd;

	if (argc == CMDLINE_ERR_TOO_MANY) {
		hv_printf("error: too many arguments (at most %d words)\n", CMDLINE_MAX_ARGS);
		return 1;
	}
	if (argc == CMDLINE_ERR_QUOTE) {
		hv_printf("error: unterminated quote\n");
		return 1;
	}
	if (argc == 0)
		return 0;
	cmd = find_command(argv[0]);
	if (!cmd) {
		hv_printf("unknown command '%s' — type help\n", argv[0]);
		return 1;
	}
	return cmd->run(argc, argv);
}

void shell_feed(char c)
{
	char line[LINEEDIT_MAX_LEN];
	enum lineedit_result result;

	console_hold();
	result = lineedit_feed(&editor, c);
	if (result != LINEEDIT_PENDING)
		at_prompt = false;
	console_release();
	switch (result) {
	case LINEEDIT_LINE_READY:
		/* Copy out: the command may print, and the editor owns its buffer. */
		strlcpy(line, lineedit_line(&editor), sizeof(line));
		shell_execute(line);
		/* A command that attached the console to a VM hands the terminal over. */
		if (!vconsole_attached())
			shell_print_prompt();
		break;
	case LINEEDIT_CANCELLED:
		shell_print_prompt();
		break;
	case LINEEDIT_PENDING:
		break;
	}
}
