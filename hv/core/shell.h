#pragma once
/*
 * The hypervisor shell: reads lines from the console with the line editor
 * and runs the command they name (the table lives in core/commands.c).
 */

#define SHELL_PROMPT "avisor:/# "

struct shell_command {
	const char *name;
	const char *usage; /* arguments, e.g. "<id>"; "" when none */
	const char *help;  /* one line */
	int (*run)(int argc, char **argv);
	const char *details; /* more for `help <command>`, or NULL */
};

/* The command table, terminated by an entry with name == NULL. */
extern const struct shell_command shell_commands[];

void shell_init(void);
void shell_print_prompt(void);
/* Feeds one received byte to the line editor; runs the command when a line is complete. */
void shell_feed(char c);
/* Splits and runs one command line; returns the command's status (0 = success). */
int shell_execute(char *line);
