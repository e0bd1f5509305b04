#pragma once
/*
 * A ticket spinlock: fair (cores get the lock in the order they asked) and
 * small. `next` is the ticket the next core to ask will draw, `owner` the
 * ticket now served. Taking the lock draws a ticket (an atomic increment)
 * and waits, asleep in WFE, until owner reaches it; the load that sees its
 * turn is a load-acquire, so nothing inside the critical section can be
 * seen before the lock is held. Releasing is one store-release of owner + 1,
 * which also wakes the waiters' WFE (their exclusive monitors see the
 * write).
 *
 * Every lock of the hypervisor is one of these, named where it is declared,
 * and taken in the order docs/architecture.md ("Locks and their order")
 * gives. A lock is never held across a return to a guest.
 */
#include "lib/atomic.h"

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t next;	/* ticket the next caller draws */
	uint32_t owner; /* ticket being served */
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0, 0                                                                               \
	}

static inline void spin_lock(struct spinlock *l)
{
	uint32_t ticket = atomic_fetch_inc32(&l->next);

	atomic_wait_equal32(&l->owner, ticket);
}

/* Takes the lock only if nobody holds or waits for it; true when it did. */
static inline bool spin_trylock(struct spinlock *l)
{
	uint32_t owner = atomic_load_acquire32(&l->owner);

	return atomic_cas_acquire32(&l->next, owner, owner + 1);
}

static inline void spin_unlock(struct spinlock *l)
{
	/* Only the holder writes owner: a plain read of it is its own. */
	atomic_store_release32(&l->owner, l->owner + 1);
}
