#pragma once

#define FAKE_VCPUS 4
/*
 * A fake hypervisor for the device-model unit tests: implements
 * vdev/vdev_host.h for one VM whose clock, console and RAM the test
 * controls and inspects.
 *
 *   fake_host_reset(ram_size)  fresh state: time 0, no input, console writable,
 *                              RAM of ram_size bytes filled with FAKE_RAM_FILL
 *   fake_vm()                  the struct vm * to give the models; every
 *                              vdev_* call checks it gets this pointer back
 *   fake_host.irq_lines        where vdev_set_irq_line stores levels; points
 *                              at fake_host.own_lines unless the test points
 *                              it at an aggregate's irq_lines (as the core does)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdev/vdev_host.h"

#define FAKE_INPUT_MAX	  4096
#define FAKE_OUTPUT_MAX	  4096
#define FAKE_RAM_FILL	  0xee
#define FAKE_TICKS_PER_US 3 /* vdev_ticks() */

struct fake_vdev_host {
	uint64_t now_us;
	uint64_t *irq_lines;
	uint64_t own_lines;
	unsigned int irq_line_calls; /* vdev_set_irq_line calls so far */
	uint8_t input[FAKE_INPUT_MAX];
	size_t input_head, input_tail;	     /* bytes [head, tail) are waiting */
	uint8_t output[FAKE_OUTPUT_MAX + 1]; /* NUL-terminated for string checks */
	size_t output_len;
	uint8_t *ram;
	uint64_t ram_size;
	unsigned int syncs;		       /* vdev_guest_sync calls */
	unsigned int resets, power_offs;       /* vdev_request_reset calls */
	unsigned int timers_armed;	       /* vdev_timer_armed calls */
	unsigned int spins;		       /* vdev_guest_spinning calls */
	bool vtimer_line[FAKE_VCPUS];	       /* what vdev_vtimer_line reports */
	unsigned int vtimer_taken[FAKE_VCPUS]; /* vdev_vtimer_taken calls per vCPU */
	unsigned int vm_id;
	const char *vm_name;
};

extern struct fake_vdev_host fake_host;

struct vm *fake_vm(void);
void fake_host_reset(uint64_t ram_size);
void fake_host_release(void); /* frees the RAM */
/* fake_host_release() as a cmocka teardown, for tests whose setup calls fake_host_reset(). */
int fake_host_teardown(void **state);
/* Queues console input for the VM. */
void fake_host_type(const char *text);
void fake_host_type_bytes(const uint8_t *bytes, size_t n);
bool fake_irq_line(unsigned int line);
