#pragma once
/*
 * A VM's life after it is created: restart (reset and reload its files),
 * power off. Requests a guest makes from inside a trap (a watchdog reset)
 * are carried out here, from the scheduler, once no trap of that VM is in
 * progress.
 */
#include <stddef.h>

struct vm;

/* Carries out every pending VM request (called by the scheduler's slow path). */
void lifecycle_carry_out_requests(void);

/*
 * Resets the VM and queues the reload of its files from the card (any load
 * in progress starts over); it starts by itself when they are in, with a
 * report line. 0, or -1 with err when the files are not there or do not fit.
 */
int lifecycle_restart(struct vm *vm, char *err, size_t err_size);
