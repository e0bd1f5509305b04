#pragma once
/*
 * The AUX block and its mini UART as a VM sees them (BCM2835 ARM
 * Peripherals §2 "Auxiliaries: UART1 & SPI1, SPI2"; ARM physical 0x3F215000
 * on the BCM2837). The mini UART is the VM's console: received bytes come
 * from the VM's console input (vdev_console_read), transmitted bytes go to
 * its console output (vdev_console_write). SPI1/SPI2 are not modelled.
 *
 * The receive FIFO is a window on the VM's console input buffer.
 * Transmitted bytes go straight to the console, but the transmit FIFO's
 * fill level is modelled, because Linux's 8250 driver batches by it: a
 * byte written into an empty FIFO starts it; it shows as empty again once
 * the line would have sent its bytes at the programmed baud rate
 * (vaux_poll), or at once when the guest fills all 8 places (the model never
 * makes a guest wait on a full FIFO, so output can run faster than the
 * line). While the FIFO is not empty the transmit interrupt is low, so a
 * driver that enables it after writing a few bytes does not take an
 * interrupt per write (docs/benchmarks.md, "Console output").
 *
 * The AUX interrupt (GPU IRQ 29) is high when
 *   (IER bit 0 and a received byte is waiting) or (IER bit 1 and the transmit FIFO is empty).
 * The model recomputes it after every register access and in vaux_poll; the
 * core must call vaux_input_changed() when input arrives for the VM and
 * vaux_poll() when the deadline it returned has passed.
 */
#include <stdbool.h>
#include <stdint.h>

#include "core/mmio.h"

struct vm;

#define VAUX_BASE 0x3f215000ULL
#define VAUX_SIZE 0x100ULL
#define VAUX_IRQ  29 /* GPU IRQ of the AUX block (§7.5 "ARM peripherals interrupts table") */

struct vaux {
	struct vm *vm;
	uint32_t enables;    /* AUX_ENABLES: bit 0 mini UART, bits 1-2 SPI1/2 (stored only) */
	uint8_t ier;	     /* AUX_MU_IER bits 3:0; bit 0 RX, bit 1 TX interrupt enable */
	uint8_t lcr;	     /* AUX_MU_LCR: bit 7 DLAB, bit 6 break, bits 1:0 data size */
	uint8_t mcr;	     /* AUX_MU_MCR: bit 1 RTS */
	uint8_t scratch;     /* AUX_MU_SCRATCH */
	uint8_t cntl;	     /* AUX_MU_CNTL: bit 0 receiver enable, bit 1 transmitter enable */
	uint16_t baud;	     /* AUX_MU_BAUD, also reached through IO/IER with LCR.DLAB set */
	uint32_t char_ticks; /* one character's time at that rate (vdev_ticks); 0: not known yet */
	bool irq_level;	     /* the AUX line as last passed to vdev_set_irq_line */
	bool console_full;   /* vaux_console_space: the console takes no byte now */
	/*
	 * The fields below are also read by vaux_read_status without the VM's
	 * lock (as are enables, cntl and ier): they are loaded and stored as
	 * single-copy-atomic words (aux.c, "Status reads without the lock").
	 */
	uint8_t tx_level; /* bytes the transmit FIFO shows (0-7; a full FIFO empties at once) */
	uint64_t tx_empty_ticks; /* when the line has sent them all (vdev_ticks; tx_level > 0) */
	bool tx_deadline_known;	 /* the hypervisor will call vaux_poll by a deadline it was given */
	uint32_t
	    rx_waiting; /* the console input's bytes, as last counted (vdev_console_input_count) */
	uint32_t polled_status; /* the last LSR or STAT value read, and how often in a row */
	uint32_t idle_polls;
	/* Counters, for the VM listing. */
	uint64_t bytes_in;   /* bytes the guest read from IO */
	uint64_t bytes_out;  /* bytes the guest wrote to IO that went to the console */
	uint64_t tx_dropped; /* bytes written while the transmitter was off or full */
};

void vaux_init(struct vaux *a, struct vm *vm);

enum mmio_result vaux_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value);
enum mmio_result vaux_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value);
/*
 * The region's read_unlocked accessor (core/mmio.h): LSR and STAT, the
 * registers guests poll, without the VM's lock; MMIO_UNHANDLED for every
 * other access and whenever the read would move the interrupt line.
 */
enum mmio_result vaux_read_status(void *opaque, uint64_t offset, unsigned int size,
				  uint64_t *value);

/* The level of the AUX interrupt (GPU IRQ 29) as the model computes it now. */
bool vaux_irq_level(const struct vaux *a);
/* Recomputes the AUX interrupt and passes it to vdev_set_irq_line. */
void vaux_update_irq(struct vaux *a);
/* Bytes arrived in the VM's console input: count them, recompute the AUX interrupt. */
void vaux_input_changed(struct vaux *a);
/*
 * Whether the console can take the guest's bytes. While it cannot, the
 * transmit FIFO shows full (LSR bit 5 clear) and bytes written are
 * dropped, as a real FIFO's would be. An input the host sets, like a modem
 * line, rather than a question the model asks, so that the byte path
 * calls nobody: the hypervisor's console never refuses a byte (attached it
 * goes to the terminal, detached to the VM's log) and never sets it; the
 * unit tests do.
 */
void vaux_console_space(struct vaux *a, bool space);
/*
 * Time passed: empties the transmit FIFO if the line has sent it (the FIFO
 * reads its own counter, vdev_ticks; now_us, the VM time the other models'
 * polls get, is not needed). Returns when it will be empty (VM time,
 * rounded up), or UINT64_MAX.
 */
uint64_t vaux_poll(struct vaux *a, uint64_t now_us);
