/*
 * Process table, fork/exit/sleep and the round-robin scheduler.
 */
#include "lrtos/proc.h"

#include "lib/exception.h"
#include "lib/string.h"
#include "lib/sysreg.h"
#include "lrtos/abi.h"
#include "lrtos/image.h"
#include "lrtos/log.h"

static struct proc procs[NPROC];
static struct proc idle_task; /* the boot context, pid 0, never in procs[] */
static struct proc *current = &idle_task;
static uint8_t kstacks[NPROC][KSTACK_SIZE] __attribute__((aligned(16)));
static int next_pid = 1;
static uint64_t ticks;

void proc_init(void)
{
	idle_task.pid = 0;
	idle_task.state = PROC_RUNNABLE;
	current = &idle_task;
}

struct proc *proc_current(void)
{
	return current;
}

static unsigned int slot_of(const struct proc *p)
{
	return (unsigned int)(p - procs);
}

/*
 * Claims a free slot. The slot number also gives the ASID (slot + 1; ASID 0
 * is the kernel's), which as_destroy flushes when the slot is given up.
 */
static struct proc *proc_alloc(void)
{
	for (unsigned int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state != PROC_FREE)
			continue;
		memset(p, 0, sizeof(*p));
		p->pid = next_pid++;
		p->kstack_top = kstacks[i] + KSTACK_SIZE;
		return p;
	}
	return NULL;
}

/* Places a trap frame at the top of p's kernel stack; p's first run "returns" through it. */
static struct trap_frame *prepare_first_run(struct proc *p)
{
	struct trap_frame *tf = (struct trap_frame *)(p->kstack_top - sizeof(*tf));

	p->ctx.lr = (uintptr_t)exc_return;
	p->ctx.sp = (uintptr_t)tf;
	return tf;
}

/* The next runnable process after prev in table order, or the idle task. */
static struct proc *pick_next(const struct proc *prev)
{
	unsigned int start = prev == &idle_task ? 0 : slot_of(prev) + 1;

	for (unsigned int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[(start + i) % NPROC];

		if (p->state == PROC_RUNNABLE)
			return p;
	}
	return &idle_task;
}

/* Gives the CPU to the next runnable process; returns when the caller is scheduled again. */
static void schedule(void)
{
	struct proc *prev = current;
	struct proc *next = pick_next(prev);

	if (next == prev)
		return;
	current = next;
	if (next == &idle_task)
		mmu_use_kernel_tables();
	else
		as_activate(&next->as);
	ctx_switch(&prev->ctx, &next->ctx);
}

int proc_spawn(const void *image, size_t size)
{
	struct proc *p = proc_alloc();
	struct trap_frame *tf;
	uint64_t entry = 0;
	int err;

	if (!p)
		return -EAGAIN;
	err = as_init(&p->as, slot_of(p) + 1);
	if (!err)
		err = image_load(&p->as, image, size, &entry);
	if (err) {
		as_destroy(&p->as);
		return err;
	}
	tf = prepare_first_run(p);
	memset(tf, 0, sizeof(*tf));
	tf->elr = entry;
	tf->spsr = SPSR_EL0T; /* EL0 with SP_EL0, all interrupts unmasked */
	tf->sp_el0 = USER_STACK_TOP;
	p->state = PROC_RUNNABLE;
	return p->pid;
}

int proc_fork(const struct trap_frame *tf)
{
	struct proc *child = proc_alloc();
	struct trap_frame *child_tf;
	int err;

	if (!child)
		return -EAGAIN;
	err = as_init(&child->as, slot_of(child) + 1);
	if (!err)
		err = as_clone(&child->as, &current->as);
	if (err) {
		as_destroy(&child->as);
		return err;
	}
	/* The child resumes at the same point in user space, with fork() returning 0. */
	child_tf = prepare_first_run(child);
	*child_tf = *tf;
	child_tf->x[0] = 0;
	child->state = PROC_RUNNABLE;
	klog("process %d forked process %d", current->pid, child->pid);
	return child->pid;
}

void proc_terminate(void)
{
	struct proc *p = current;

	/* Frees the tables even though we run on them: as_destroy moves TTBR0_EL1 first. */
	as_destroy(&p->as);
	p->state = PROC_FREE;
	/* Never returns: a free slot is not scheduled, and is reset before reuse. */
	schedule();
	halt();
}

void proc_exit(int status)
{
	klog("process %d exited (status %d)", current->pid, status);
	proc_terminate();
}

void proc_sleep(uint64_t n)
{
	if (n) {
		current->wake_tick = ticks + n;
		current->state = PROC_SLEEPING;
	}
	schedule();
}

static void wake_sleepers(void)
{
	for (unsigned int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];

		if (p->state == PROC_SLEEPING && p->wake_tick <= ticks)
			p->state = PROC_RUNNABLE;
	}
}

void sched_tick(void)
{
	ticks++;
	wake_sleepers();
	schedule();
}

void sched_idle(void)
{
	for (;;) {
		schedule();
		wait_for_interrupt();
	}
}
