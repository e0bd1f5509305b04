#pragma once
/*
 * What device models need from the hypervisor, and nothing more. The core
 * implements these (core/vm.c); unit tests link fakes instead, so every
 * model is tested on the host.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

/* The VM's view of the BCM2835 system timer's 1 MHz counter (starts near 0 when the VM is created).
 */
uint64_t vdev_now_us(struct vm *vm);
/* Its low 32 bits (the CLO register a guest polls), cheaper to get. */
uint32_t vdev_now_us_low(struct vm *vm);
/*
 * A timestamp for models that only compare times they took themselves (the
 * mini UART's transmit FIFO): the board's counter, unconverted, so much
 * cheaper than vdev_now_us. vdev_ticks_in_us converts a duration (rounded
 * down); vdev_now_us_at_ticks gives the VM time by which the counter has
 * reached `ticks` (for a deadline, rounded up).
 */
uint64_t vdev_ticks(void);
uint64_t vdev_ticks_in_us(uint64_t us);
uint64_t vdev_now_us_at_ticks(struct vm *vm, uint64_t ticks);

/*
 * A device timer of this VM was armed (a system timer compare written): the
 * hypervisor must look at the VM's timer deadlines again before it sleeps
 * or lets the guest run on, or the match would wait for an unrelated event.
 */
void vdev_timer_armed(struct vm *vm);

/*
 * The guest is polling a device that has nothing new for it (the hint a WFE
 * gives): let another vCPU run before this one goes on.
 */
void vdev_guest_spinning(struct vm *vm);

/* Sets the level of one BCM2835 interrupt line (0-63) of this VM. */
void vdev_set_irq_line(struct vm *vm, unsigned int line, bool level);

/* The virtual timer interrupt line of the VM's vCPU `index` right now (false if no such vCPU). */
bool vdev_vtimer_line(struct vm *vm, unsigned int index);
/*
 * The guest read vCPU `index`'s IRQ source register and saw its virtual
 * timer there: it has taken that interrupt and is handling it, as reading
 * a GIC's IAR acknowledges one. The hypervisor stops presenting the timer
 * as a new interrupt until the guest has unmasked IRQs again or its line
 * fell (core/sched.c, sched_update_virq).
 */
void vdev_vtimer_taken(struct vm *vm, unsigned int index);

/* Guest UART output: the console takes every byte (aux.h, vaux_console_space). */
void vdev_console_write(struct vm *vm, uint8_t byte);

/* Guest UART input: bytes typed for this VM, oldest first. */
uint32_t vdev_console_input_count(struct vm *vm);
bool vdev_console_read(struct vm *vm, uint8_t *byte);

/*
 * Host pointer to guest-physical [ipa, ipa + size) if all of it lies inside
 * the VM's RAM, else NULL. Used by DMA-like models (the mailbox). The range
 * is made coherent first: a guest with its MMU off writes around the caches.
 */
void *vdev_guest_ptr(struct vm *vm, uint64_t ipa, uint64_t size);
/* After a model wrote guest memory: make the writes visible to a guest that does not cache. */
void vdev_guest_sync(struct vm *vm, void *ptr, uint64_t size);
uint64_t vdev_ram_size(struct vm *vm);

/*
 * The guest asked for a reset (or, with power_off, to be switched off), as a
 * watchdog would do it. The VM stops running at once; the hypervisor
 * restarts it from its files (or stops it) outside the current access.
 */
void vdev_request_reset(struct vm *vm, bool power_off);

/* The VM's id and name, for messages. */
unsigned int vdev_vm_id(struct vm *vm);
const char *vdev_vm_name(struct vm *vm);
