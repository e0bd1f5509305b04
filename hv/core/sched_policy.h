#pragma once
/*
 * The scheduler's choice, separated from the mechanism so that it is
 * unit-tested on the host: which vCPU slot runs next.
 */
#include <stdbool.h>

/*
 * Round robin: the first runnable slot after `current` (wrapping around),
 * which is `current` itself when it is the only runnable one; -1 when none
 * is runnable. `current` may be -1 (nothing ran before): the search starts
 * at slot 0.
 */
int sched_pick_round_robin(const bool *runnable, unsigned int count, int current);
