#pragma once
/*
 * Processes and the scheduler.
 *
 * Each process has a kernel stack, its own address space and a saved
 * kernel context (the callee-saved registers and SP of ctx_switch). A
 * process is always left, and resumed, inside the kernel: an exception from
 * EL0 saves the user registers in a trap frame at the top of its kernel
 * stack, and the kernel switches to another process from there (a timer
 * tick, a sleep, an exit). A new process starts in exc_return with SP at a
 * prepared trap frame, which "returns" to EL0.
 *
 * The scheduler is round robin over the process table with a time slice of
 * one tick. When nothing is runnable, the boot context runs as the idle
 * task (pid 0) and waits in WFI. The kernel itself is never preempted:
 * it runs with IRQs masked.
 */

/* struct context layout, shared with switch.S. */
#define CTX_X19	 0  /* x19..x28 at 8 * (n - 19) */
#define CTX_X29	 80 /* frame pointer */
#define CTX_LR	 88 /* where ctx_switch returns to */
#define CTX_SP	 96
#define CTX_SIZE 104

#ifndef __ASSEMBLY__
#include "lib/trap_frame.h"
#include "lrtos/mmu.h"

#include <stddef.h>
#include <stdint.h>

#define NPROC	    8
#define KSTACK_SIZE 8192

struct context {
	uint64_t x19_x28[10];
	uint64_t x29;
	uint64_t lr;
	uint64_t sp;
};

_Static_assert(offsetof(struct context, x29) == CTX_X29, "CTX_X29");
_Static_assert(offsetof(struct context, lr) == CTX_LR, "CTX_LR");
_Static_assert(offsetof(struct context, sp) == CTX_SP, "CTX_SP");
_Static_assert(sizeof(struct context) == CTX_SIZE, "CTX_SIZE");

enum proc_state {
	PROC_FREE,
	PROC_RUNNABLE,
	PROC_SLEEPING,
};

struct proc {
	int pid;
	enum proc_state state;
	struct context ctx;
	struct addrspace as;
	uint64_t wake_tick; /* PROC_SLEEPING: runnable again at this tick */
	uint8_t *kstack_top;
};

/* Saves the callee-saved registers and SP in *save, loads them from *load (switch.S). */
void ctx_switch(struct context *save, const struct context *load);

/* Makes the calling boot context the idle task. */
void proc_init(void);

struct proc *proc_current(void);

/* Creates a process from a user image (see abi.h). Returns its pid or a negative errno. */
int proc_spawn(const void *image, size_t size);

/* Copies the current process; tf is its trap frame. Returns the child's pid or a negative errno. */
int proc_fork(const struct trap_frame *tf);

/* Reports "process N exited" and ends the current process. */
__attribute__((noreturn)) void proc_exit(int status);

/* Ends the current process silently (the caller has said why). */
__attribute__((noreturn)) void proc_terminate(void);

/* Blocks the current process for ticks timer ticks (0: just yields the CPU). */
void proc_sleep(uint64_t ticks);

/* Timer tick: wakes the sleepers whose time has come and preempts the current process. */
void sched_tick(void);

/* The idle task's loop: runs whatever is runnable, waits in WFI otherwise. */
__attribute__((noreturn)) void sched_idle(void);
#endif
