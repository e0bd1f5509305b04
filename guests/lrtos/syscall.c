/*
 * System calls (numbers and calling convention: abi.h). Each takes the
 * caller's trap frame, reads its arguments from x0..x2 and returns the
 * value for x0. They run with IRQs masked, like all of the kernel.
 */
#include "lib/console.h"
#include "lrtos/abi.h"
#include "lrtos/mmu.h"
#include "lrtos/proc.h"
#include "lrtos/tick.h"
#include "lrtos/trap.h"

#define STDOUT 1
#define STDERR 2

/* Longest write done in one call, so IRQs are never masked for long; the caller retries. */
#define WRITE_MAX 1024

typedef int64_t (*syscall_fn)(struct trap_frame *tf);

static int64_t sys_write(struct trap_frame *tf)
{
	uint64_t fd = tf->x[0];
	uintptr_t buf = tf->x[1];
	size_t len = tf->x[2] < WRITE_MAX ? tf->x[2] : WRITE_MAX;

	if (fd != STDOUT && fd != STDERR)
		return -EBADF;
	/* Never trust a user pointer: the MMU itself checks that EL0 could read it. */
	if (!as_user_readable(buf, len))
		return -EFAULT;
	console_write((const char *)buf, len);
	return (int64_t)len;
}

static int64_t sys_fork(struct trap_frame *tf)
{
	return proc_fork(tf);
}

static int64_t sys_exit(struct trap_frame *tf)
{
	proc_exit((int)tf->x[0]);
}

static int64_t sys_getpid(struct trap_frame *tf)
{
	(void)tf;
	return proc_current()->pid;
}

static int64_t sys_sleep(struct trap_frame *tf)
{
	proc_sleep(tick_from_ms(tf->x[0]));
	return 0;
}

static const syscall_fn syscalls[SYS_CALLS] = {
    [SYS_WRITE] = sys_write,   /* write(fd, buf, len) */
    [SYS_FORK] = sys_fork,     /* fork() */
    [SYS_EXIT] = sys_exit,     /* exit(status) */
    [SYS_GETPID] = sys_getpid, /* getpid() */
    [SYS_SLEEP] = sys_sleep,   /* sleep(ms) */
};

void syscall_handle(struct trap_frame *tf)
{
	uint64_t nr = tf->x[8];

	tf->x[0] = nr < SYS_CALLS && syscalls[nr] ? (uint64_t)syscalls[nr](tf) : (uint64_t)-ENOSYS;
}
