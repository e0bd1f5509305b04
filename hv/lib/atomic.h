#pragma once
/*
 * The few atomic operations the hypervisor's locks and cross-core flags are
 * built from, behind one small interface with two implementations:
 *
 *  - on the hypervisor (AArch64, ARMv8.0): load-acquire/store-release
 *    exclusives written out, because the Cortex-A53 has no LSE atomics
 *    (ID_AA64ISAR0_EL1.Atomic = 0) and a learner should see what a
 *    read-modify-write is made of: LDXR marks the address in the exclusive
 *    monitor, STXR stores only if nobody wrote it since, else retry;
 *  - on the host (unit tests under ThreadSanitizer): the compiler's
 *    __atomic builtins, which TSan understands.
 *
 * Everything above this file (lib/spinlock.h, lib/ringbuf.c, the
 * scheduler's work bits) is the same source on both.
 */
#include <stdbool.h>
#include <stdint.h>

#if defined(__aarch64__) && !defined(ATOMIC_HOST_BUILTINS)

static inline uint32_t atomic_load_acquire32(const uint32_t *p)
{
	uint32_t v;

	__asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
	return v;
}

static inline void atomic_store_release32(uint32_t *p, uint32_t v)
{
	__asm__ volatile("stlr %w0, [%1]" ::"r"(v), "r"(p) : "memory");
}

/* *p += 1 with no ordering of its own; returns the old value. */
static inline uint32_t atomic_fetch_inc32(uint32_t *p)
{
	uint32_t old, next, failed;

	__asm__ volatile("1:	ldxr	%w0, [%3]\n"
			 "	add	%w1, %w0, #1\n"
			 "	stxr	%w2, %w1, [%3]\n"
			 "	cbnz	%w2, 1b"
			 : "=&r"(old), "=&r"(next), "=&r"(failed)
			 : "r"(p)
			 : "memory");
	return old;
}

/* *p |= bits, ordered after everything before it (release); returns the old value. */
static inline uint32_t atomic_fetch_or_release32(uint32_t *p, uint32_t bits)
{
	uint32_t old, next, failed;

	__asm__ volatile("1:	ldxr	%w0, [%4]\n"
			 "	orr	%w1, %w0, %w3\n"
			 "	stlxr	%w2, %w1, [%4]\n"
			 "	cbnz	%w2, 1b"
			 : "=&r"(old), "=&r"(next), "=&r"(failed)
			 : "r"(bits), "r"(p)
			 : "memory");
	return old;
}

/* Takes *p and leaves 0, ordered before everything after it (acquire). */
static inline uint32_t atomic_take_acquire32(uint32_t *p)
{
	uint32_t old, failed;

	__asm__ volatile("1:	ldaxr	%w0, [%2]\n"
			 "	stxr	%w1, wzr, [%2]\n"
			 "	cbnz	%w1, 1b"
			 : "=&r"(old), "=&r"(failed)
			 : "r"(p)
			 : "memory");
	return old;
}

/* If *p == expected, *p = desired (acquire on success); returns whether it did. */
static inline bool atomic_cas_acquire32(uint32_t *p, uint32_t expected, uint32_t desired)
{
	uint32_t old, failed = 1;

	__asm__ volatile("1:	ldaxr	%w0, [%2]\n"
			 "	cmp	%w0, %w3\n"
			 "	b.ne	2f\n"
			 "	stxr	%w1, %w4, [%2]\n"
			 "	cbnz	%w1, 1b\n"
			 "2:"
			 : "=&r"(old), "+&r"(failed)
			 : "r"(p), "r"(expected), "r"(desired)
			 : "memory", "cc");
	return old == expected;
}

/*
 * Waits until *p == want (acquire). The LDAXR arms the exclusive monitor on
 * *p, so when the value is not there yet WFE sleeps until another core's
 * store to *p clears the monitor (an event), with no SEV needed. The value
 * is checked before the first WFE: a lock that is free costs no WFE (under
 * QEMU's TCG, which runs the cores in turn with -icount, a WFE hands the
 * host thread to the next core for a whole time slice).
 */
static inline void atomic_wait_equal32(const uint32_t *p, uint32_t want)
{
	uint32_t v;

	__asm__ volatile("1:	ldaxr	%w0, [%1]\n"
			 "	cmp	%w0, %w2\n"
			 "	b.eq	2f\n"
			 "	wfe\n"
			 "	b	1b\n"
			 "2:"
			 : "=&r"(v)
			 : "r"(p), "r"(want)
			 : "memory", "cc");
}

#else /* the host: the compiler's builtins (x86-64 or any other) */

#include <sched.h>

static inline uint32_t atomic_load_acquire32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void atomic_store_release32(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint32_t atomic_fetch_inc32(uint32_t *p)
{
	return __atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
}

static inline uint32_t atomic_fetch_or_release32(uint32_t *p, uint32_t bits)
{
	return __atomic_fetch_or(p, bits, __ATOMIC_RELEASE);
}

static inline uint32_t atomic_take_acquire32(uint32_t *p)
{
	return __atomic_exchange_n(p, 0, __ATOMIC_ACQUIRE);
}

static inline bool atomic_cas_acquire32(uint32_t *p, uint32_t expected, uint32_t desired)
{
	return __atomic_compare_exchange_n(p, &expected, desired, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void atomic_wait_equal32(const uint32_t *p, uint32_t want)
{
	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != want)
		sched_yield();
}

#endif
