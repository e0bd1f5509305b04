#pragma once
/*
 * The hypervisor's periodic tick, driven by the board's hardware timer
 * interrupt (taken at EL2 whatever a guest does with its own interrupt mask).
 * Later the scheduler preempts VMs from here.
 */
#include <stdint.h>

#define TICK_HZ 100

void tick_start(void);
uint64_t tick_count(void);
