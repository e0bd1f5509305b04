#pragma once
/*
 * The scheduler's choice, separated from the mechanism so that it is
 * unit-tested on the host: which vCPU slot runs next.
 */
#include <stdint.h>

/*
 * Round robin over at most 32 slots, `runnable` one bit a slot (bit n: slot
 * n may run): the first runnable slot after `current` (wrapping around),
 * which is `current` itself when it is the only runnable one; -1 when none
 * is runnable. `current` may be -1 (nothing ran before): the search starts
 * at slot 0. Two count-trailing-zeros, whatever the number of slots.
 */
int sched_pick_round_robin(uint32_t runnable, int current);
