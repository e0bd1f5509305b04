/*
 * Unit tests for hv/lib/spinlock.h, run with several pthreads under
 * ThreadSanitizer (UNIT_TSAN_TESTS in unit.mk): the lock must make a plain,
 * non-atomic counter exact, and TSan must see every critical section
 * ordered after the previous one (an unordered pair is reported as a race
 * and fails the run).
 *
 * Built with -DSPINLOCK_TEST_BROKEN, the counting test skips the lock: that
 * build has to fail (TSan reports the race on the counter and the count
 * comes out short), which shows the test can catch a missing lock.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>

#include "lib/spinlock.h"

#define THREADS	   6
#define ITERATIONS 20000

struct counting {
	struct spinlock lock;
	/* Plain on purpose: only the lock keeps the increments from racing. */
	uint32_t counter;
	/* Set while a thread is inside; a second thread inside is a broken lock. */
	uint32_t inside;
	uint32_t overlaps;
};

static void count_lock(struct spinlock *l)
{
#ifdef SPINLOCK_TEST_BROKEN
	(void)l;
#else
	spin_lock(l);
#endif
}

static void count_unlock(struct spinlock *l)
{
#ifdef SPINLOCK_TEST_BROKEN
	(void)l;
#else
	spin_unlock(l);
#endif
}

static void *count_thread(void *arg)
{
	struct counting *c = arg;

	for (int i = 0; i < ITERATIONS; i++) {
		count_lock(&c->lock);
		if (c->inside)
			c->overlaps++;
		c->inside = 1;
		/*
		 * A read, a yield, then the write: without mutual exclusion
		 * another thread's increment lands in between and is lost,
		 * so a broken lock shows in the count too, not only in TSan.
		 */
		uint32_t v = c->counter;

		if (i % 64 == 0)
			sched_yield();
		c->counter = v + 1;
		c->inside = 0;
		count_unlock(&c->lock);
	}
	return NULL;
}

static void test_threads_count_exactly(void **state)
{
	(void)state;
	static struct counting c = {.lock = SPINLOCK_INIT};
	pthread_t threads[THREADS];

	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, count_thread, &c), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	assert_int_equal(c.counter, THREADS * ITERATIONS);
	assert_int_equal(c.overlaps, 0);
	/* Every ticket drawn was served: the lock is free again. */
	assert_int_equal(c.lock.next, THREADS * ITERATIONS);
	assert_int_equal(c.lock.owner, THREADS * ITERATIONS);
}

struct try_arg {
	struct spinlock *lock;
	bool got;
};

static void *try_thread(void *arg)
{
	struct try_arg *t = arg;

	t->got = spin_trylock(t->lock);
	if (t->got)
		spin_unlock(t->lock);
	return NULL;
}

/* Runs spin_trylock on another thread, as another core would. */
static bool trylock_elsewhere(struct spinlock *l)
{
	struct try_arg t = {.lock = l};
	pthread_t thread;

	assert_int_equal(pthread_create(&thread, NULL, try_thread, &t), 0);
	assert_int_equal(pthread_join(thread, NULL), 0);
	return t.got;
}

static void test_trylock(void **state)
{
	(void)state;
	struct spinlock l = SPINLOCK_INIT;

	assert_true(trylock_elsewhere(&l));
	spin_lock(&l);
	assert_false(trylock_elsewhere(&l));
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	assert_true(trylock_elsewhere(&l));

	/* A trylock that succeeds holds the lock like spin_lock. */
	assert_true(spin_trylock(&l));
	assert_false(trylock_elsewhere(&l));
	spin_unlock(&l);

	/* Free again after all that: the tickets balance. */
	assert_int_equal(l.next, l.owner);
}

/* Free but with a waiter queued: trylock must not jump the queue. */
static void test_trylock_fails_with_waiter(void **state)
{
	(void)state;
	struct spinlock l = SPINLOCK_INIT;

	spin_lock(&l);
	/* A drawn ticket nobody is served yet: what a waiting core leaves. */
	atomic_fetch_inc32(&l.next);
	spin_unlock(&l);
	assert_false(spin_trylock(&l));
	spin_unlock(&l); /* the waiter's turn ends */
	assert_true(spin_trylock(&l));
	spin_unlock(&l);
}

#define ORDER_THREADS 5

struct ordering {
	struct spinlock lock;
	int served[ORDER_THREADS]; /* thread ids in the order they got the lock */
	int count;
};

struct order_arg {
	struct ordering *o;
	int id;
};

static void *order_thread(void *arg)
{
	struct order_arg *a = arg;

	spin_lock(&a->o->lock);
	a->o->served[a->o->count++] = a->id;
	spin_unlock(&a->o->lock);
	return NULL;
}

/*
 * Fairness: with the lock held, thread i is started only once thread i-1
 * has drawn its ticket, so the tickets are drawn in thread order; after
 * the release the threads must get the lock in that same order, whatever
 * order the scheduler wakes them in.
 */
static void test_tickets_served_in_order(void **state)
{
	(void)state;
	static struct ordering o = {.lock = SPINLOCK_INIT};
	struct order_arg args[ORDER_THREADS];
	pthread_t threads[ORDER_THREADS];

	spin_lock(&o.lock);
	for (int i = 0; i < ORDER_THREADS; i++) {
		args[i] = (struct order_arg){.o = &o, .id = i};
		assert_int_equal(pthread_create(&threads[i], NULL, order_thread, &args[i]), 0);
		/* Ticket 0 is ours, thread i draws ticket i + 1. */
		while (atomic_load_acquire32(&o.lock.next) != (uint32_t)i + 2)
			sched_yield();
	}
	spin_unlock(&o.lock);
	for (int i = 0; i < ORDER_THREADS; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	assert_int_equal(o.count, ORDER_THREADS);
	for (int i = 0; i < ORDER_THREADS; i++)
		assert_int_equal(o.served[i], i);
}

/* Counters wrap at 2^32 and a free lock is next == owner, whatever the value. */
static void test_ticket_wrap(void **state)
{
	(void)state;
	struct spinlock l = {UINT32_MAX, UINT32_MAX};

	spin_lock(&l);
	assert_int_equal(l.next, 0);
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	assert_int_equal(l.owner, 0);
	assert_true(spin_trylock(&l));
	spin_unlock(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_threads_count_exactly),
	    cmocka_unit_test(test_trylock),
	    cmocka_unit_test(test_trylock_fails_with_waiter),
	    cmocka_unit_test(test_tickets_served_in_order),
	    cmocka_unit_test(test_ticket_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
