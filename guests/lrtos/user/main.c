/*
 * lrtos's user programs. The kernel starts main() as process 1.
 *
 * Processes 1 and 2 print "12345" and "abcde" forever, one character at a
 * time, doing busy work between characters. Neither ever gives up the CPU
 * in the middle of its group, so when their characters interleave on the
 * console, it is the timer interrupt that preempted one for the other.
 * After each group they sleep a little, which lets the idle task run.
 *
 * Process 1 also starts two short-lived processes along the way: one reads
 * an unmapped address and is killed by the kernel, one says hello and
 * exits with a status.
 */
#include "lrtos/user/ulib.h"

#include <stdbool.h>

#define CHAR_WORK_MS   20  /* busy work after each character: two ticks' worth */
#define GROUP_PAUSE_MS 100 /* sleep after each group */
#define FAULTER_ROUND  6   /* process 1 starts the faulting process after its 6th group */
#define GREETER_ROUND  10  /* ... and the process that exits after its 10th */

/* In no process's address space: the kernel maps only USER_BASE..+2 MiB for EL0. */
#define UNMAPPED_ADDRESS 0xdead0000UL

static void print_slowly(const char *text)
{
	for (; *text; text++) {
		write(1, text, 1);
		spin_ms(CHAR_WORK_MS);
	}
}

static void faulter(void)
{
	volatile const unsigned int *bad = (volatile const unsigned int *)UNMAPPED_ADDRESS;
	unsigned int value;

	uprintf("\nprocess %d: reading unmapped address 0x%lx, the kernel must kill me\n", getpid(),
		UNMAPPED_ADDRESS);
	value = *bad;
	uprintf("process %d: read 0x%x from nowhere?!\n", getpid(), value);
	exit(1);
}

static void greeter(void)
{
	uprintf("\nprocess %d: hello, exiting with status 7\n", getpid());
	exit(7);
}

static void start_child(void (*body)(void))
{
	int pid = fork();

	if (pid == 0)
		body(); /* never returns */
	if (pid < 0)
		uprintf("\nprocess %d: fork failed (%d)\n", getpid(), pid);
}

static __attribute__((noreturn)) void printer(const char *group, bool starts_demos)
{
	for (unsigned int round = 1;; round++) {
		print_slowly(group);
		write(1, " ", 1);
		sleep_ms(GROUP_PAUSE_MS);
		if (starts_demos && round == FAULTER_ROUND)
			start_child(faulter);
		if (starts_demos && round == GREETER_ROUND)
			start_child(greeter);
	}
}

int main(void)
{
	int pid = fork();

	if (pid == 0)
		printer("abcde", false);
	if (pid < 0)
		uprintf("process %d: fork failed (%d)\n", getpid(), pid);
	printer("12345", true);
}
