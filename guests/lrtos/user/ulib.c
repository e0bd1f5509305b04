/*
 * System call wrappers (ABI: lrtos/abi.h) and helpers for user programs.
 */
#include "lrtos/user/ulib.h"

#include "lib/printf.h"
#include "lrtos/abi.h"

#include <stdarg.h>

/* SVC #0 with the call number in x8, arguments in x0..x2, the result in x0. */
static long syscall3(long nr, long a0, long a1, long a2)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

long write(int fd, const void *buf, size_t len)
{
	return syscall3(SYS_WRITE, fd, (long)buf, (long)len);
}

int fork(void)
{
	return (int)syscall3(SYS_FORK, 0, 0, 0);
}

void exit(int status)
{
	syscall3(SYS_EXIT, status, 0, 0);
	for (;;)
		; /* not reached: the kernel does not return from exit */
}

int getpid(void)
{
	return (int)syscall3(SYS_GETPID, 0, 0, 0);
}

int sleep_ms(unsigned int ms)
{
	return (int)syscall3(SYS_SLEEP, (long)ms, 0, 0);
}

/* uprintf collects the output here and writes it with as few system calls as possible. */
struct out_buffer {
	char data[128];
	size_t used;
};

static void flush(struct out_buffer *out)
{
	if (out->used)
		write(1, out->data, out->used);
	out->used = 0;
}

static void buffer_sink(void *ctx, char c)
{
	struct out_buffer *out = ctx;

	if (out->used == sizeof(out->data))
		flush(out);
	out->data[out->used++] = c;
}

int uprintf(const char *fmt, ...)
{
	struct out_buffer out = {.used = 0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vprint(buffer_sink, &out, fmt, ap);
	va_end(ap);
	flush(&out);
	return n;
}

/* CNTVCT_EL0, readable at EL0 because the kernel set CNTKCTL_EL1.EL0VCTEN. */
static uint64_t counter(void)
{
	uint64_t value;

	/* ISB: the counter is read in program order, not speculatively early. */
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(value) : : "memory");
	return value;
}

void spin_ms(unsigned int ms)
{
	uint64_t frequency;
	uint64_t start = counter();
	uint64_t duration;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frequency));
	duration = frequency / 1000 * ms;
	while (counter() - start < duration)
		;
}
