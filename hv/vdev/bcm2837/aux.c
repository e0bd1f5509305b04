/*
 * AUX mini UART model (BCM2835 ARM Peripherals §2.1-2.2). See aux.h for the
 * overall design; the comments below give the register details and where the
 * model departs from the manual or follows its errata.
 */
#include "vdev/bcm2837/aux.h"

#include "vdev/vdev_access.h"
#include "vdev/vdev_host.h"

/* Register offsets (§2.1, "Auxiliary peripherals Register Map"). */
#define REG_AUX_IRQ	0x00
#define REG_AUX_ENABLES 0x04
#define REG_MU_IO	0x40
#define REG_MU_IER	0x44
#define REG_MU_IIR	0x48
#define REG_MU_LCR	0x4c
#define REG_MU_MCR	0x50
#define REG_MU_LSR	0x54
#define REG_MU_MSR	0x58
#define REG_MU_SCRATCH	0x5c
#define REG_MU_CNTL	0x60
#define REG_MU_STAT	0x64
#define REG_MU_BAUD	0x68

#define AUX_IRQ_MINI_UART    (1U << 0)
#define AUX_ENABLE_MINI_UART (1U << 0)
#define AUX_ENABLES_MASK     0x7U

/*
 * IER: the manual's table (§2.2.2) has bits 0 and 1 the other way round;
 * its errata (elinux.org "BCM2835 datasheet errata") corrects it to the
 * 16550 layout that Linux's 8250 driver and QEMU use: bit 0 receive, bit 1
 * transmit. The errata also says real hardware needs bits 3:2 set to
 * interrupt at all; the model does not require them and only stores them.
 */
#define IER_RX_ENABLE (1U << 0)
#define IER_TX_ENABLE (1U << 1)
#define IER_MASK      0xfU

/* IIR (§2.2.2, AUX_MU_IIR_REG). */
#define IIR_NO_INTERRUPT  (1U << 0) /* clear while an interrupt is pending */
#define IIR_ID_TX_EMPTY	  (1U << 1) /* bits 2:1 = 01 */
#define IIR_ID_RX_DATA	  (2U << 1) /* bits 2:1 = 10 */
#define IIR_FIFOS_ON	  (3U << 6) /* "both bits always read as 1" */
#define IIR_CLEAR_TX_FIFO (1U << 2) /* on write */

#define LCR_DLAB (1U << 7)

/* LSR (§2.2.2, AUX_MU_LSR_REG). */
#define LSR_DATA_READY	 (1U << 0)
#define LSR_TX_EMPTY	 (1U << 5) /* the transmit FIFO can accept at least one byte */
#define LSR_TX_IDLE	 (1U << 6)
#define MSR_CTS_ASSERTED (1U << 5) /* "the inverse of the UART1_CTS input" */

#define CNTL_RX_ENABLE (1U << 0)
#define CNTL_TX_ENABLE (1U << 1)
#define CNTL_RESET     (CNTL_RX_ENABLE | CNTL_TX_ENABLE)

/* STAT (§2.2.2, AUX_MU_STAT_REG). */
#define STAT_SYMBOL_AVAILABLE (1U << 0)
#define STAT_SPACE_AVAILABLE  (1U << 1)
#define STAT_RX_IDLE	      (1U << 2)
#define STAT_TX_IDLE	      (1U << 3)
#define STAT_TX_FIFO_FULL     (1U << 5)
#define STAT_TX_FIFO_EMPTY    (1U << 8)
#define STAT_TX_DONE	      (1U << 9)
#define STAT_RX_LEVEL_SHIFT   16
#define STAT_TX_LEVEL_SHIFT   24

#define FIFO_DEPTH 8U /* both FIFOs are 8 symbols deep (§2.2) */

/*
 * One character on the line: start bit, 8 data bits, stop bit, at
 * baud = system clock / (8 * (AUX_MU_BAUD + 1)) (§2.2.1). The system clock
 * is the 250 MHz core clock the device tree gives Linux (scripts/mkvmdtb.sh),
 * so AUX_MU_BAUD = 270 is 115200 baud, 86 us a character.
 */
#define SYSTEM_CLOCK_MHZ 250U
#define BITS_PER_CHAR	 10U

/*
 * A guest that reads LSR or STAT over and over and sees the same value is
 * waiting for something (U-Boot's console loop polls for input and never
 * sleeps): after this many such reads in a row it is treated as spinning,
 * like a WFE, and lets another vCPU run. Any write starts the count again.
 */
#define IDLE_POLLS_BEFORE_YIELD 64U

/*
 * Status reads without the lock. LSR and STAT are what guests poll while
 * they wait (U-Boot's console loop, every polled putc): vaux_read_status
 * answers them without the VM's lock, so its other vCPUs may change the
 * model at the same time on other cores. The fields such a read looks at
 * (enables, cntl, ier, tx_level, tx_empty_ticks, the poll counter) are
 * therefore read and written as single-copy-atomic loads and stores
 * (SHARED/SET_SHARED). A read racing a write of another vCPU sees the FIFO
 * as it was before the write or after it; the poll counter is a heuristic
 * and may lose a count in such a race.
 */
#define SHARED(field)	       __atomic_load_n(&(field), __ATOMIC_RELAXED)
#define SET_SHARED(field, val) __atomic_store_n(&(field), (val), __ATOMIC_RELAXED)

/*
 * The baud rate register. The time a character takes on the line at that
 * rate is worked out by the first byte sent after it changed (char_time),
 * not here: the register file calls nothing, so that its writes need no
 * stack frame.
 */
static void set_baud(struct vaux *a, uint16_t baud)
{
	a->baud = baud;
	a->char_ticks = 0;
}

/* One character's time on the line in counter ticks (vdev_ticks), at least 1. */
static uint64_t char_time(struct vaux *a)
{
	uint64_t us, ticks;

	if (a->char_ticks)
		return a->char_ticks;
	us = BITS_PER_CHAR * 8U * ((uint32_t)a->baud + 1U) / SYSTEM_CLOCK_MHZ;
	ticks = vdev_ticks_in_us(us ? us : 1);
	a->char_ticks = (uint32_t)(ticks ? ticks : 1);
	return a->char_ticks;
}

/*
 * The console input's length, counted again whenever it changes: the host
 * calls vaux_input_changed when bytes arrive, and only receive_byte takes
 * them. A status read, which guests poll, then asks the host nothing.
 */
static void count_input(struct vaux *a)
{
	SET_SHARED(a->rx_waiting, vdev_console_input_count(a->vm));
}

void vaux_init(struct vaux *a, struct vm *vm)
{
	/*
	 * Registers and counters start at 0, except two. The manual resets
	 * AUX_ENABLES to 0, but the Pi firmware has already enabled the mini
	 * UART when it is the console (and QEMU reads the bit as always set),
	 * so guests commonly assume it: start enabled. CNTL resets with both
	 * receiver and transmitter on (§2.2.2).
	 */
	*a = (struct vaux){.vm = vm, .enables = AUX_ENABLE_MINI_UART, .cntl = CNTL_RESET};
	set_baud(a, 0);
	count_input(a); /* a VM reset keeps what was typed for it */
}

static bool receiver_on(const struct vaux *a)
{
	return (SHARED(a->enables) & AUX_ENABLE_MINI_UART) && (SHARED(a->cntl) & CNTL_RX_ENABLE);
}

static bool transmitter_on(const struct vaux *a)
{
	return (SHARED(a->enables) & AUX_ENABLE_MINI_UART) && (SHARED(a->cntl) & CNTL_TX_ENABLE);
}

/* Bytes the receive FIFO shows: none while the receiver is off (input stays queued). */
static inline __attribute__((always_inline)) uint32_t rx_count(const struct vaux *a)
{
	return receiver_on(a) ? SHARED(a->rx_waiting) : 0;
}

static inline __attribute__((always_inline)) bool console_can_write(const struct vaux *a)
{
	return !SHARED(a->console_full);
}

/* LSR bit 5: a transmit FIFO holding `level` bytes can accept at least one more. */
static bool tx_space(const struct vaux *a, uint8_t level)
{
	return level < FIFO_DEPTH && console_can_write(a);
}

/* LSR bit 6 and the transmit interrupt: the FIFO is empty and the line idle. */
static bool tx_idle(const struct vaux *a, uint8_t level)
{
	return level == 0 && console_can_write(a);
}

static inline __attribute__((always_inline)) bool rx_interrupt(const struct vaux *a)
{
	return (SHARED(a->ier) & IER_RX_ENABLE) && rx_count(a) > 0;
}

static inline __attribute__((always_inline)) bool tx_interrupt(const struct vaux *a)
{
	return (SHARED(a->ier) & IER_TX_ENABLE) && transmitter_on(a) && tx_idle(a, a->tx_level);
}

/* Inline in vaux_update_irq, which every byte sent calls. */
static inline __attribute__((always_inline)) bool irq_level(const struct vaux *a)
{
	return rx_interrupt(a) || tx_interrupt(a);
}

bool vaux_irq_level(const struct vaux *a)
{
	return irq_level(a);
}

/*
 * Most accesses leave the line where it was: only a change is passed on.
 * Inline in send_byte, the path of every byte sent.
 */
static inline __attribute__((always_inline)) void update_irq(struct vaux *a)
{
	bool level = irq_level(a);

	if (level == a->irq_level)
		return;
	a->irq_level = level;
	vdev_set_irq_line(a->vm, VAUX_IRQ, level);
}

void vaux_update_irq(struct vaux *a)
{
	update_irq(a);
}

void vaux_input_changed(struct vaux *a)
{
	count_input(a);
	vaux_update_irq(a);
}

void vaux_console_space(struct vaux *a, bool space)
{
	SET_SHARED(a->console_full, !space);
	vaux_update_irq(a);
}

/* Empties the transmit FIFO once the line has sent its bytes; true if it did. */
static bool settle_tx_fifo(struct vaux *a, uint64_t now_ticks)
{
	if (a->tx_level == 0 || now_ticks < a->tx_empty_ticks)
		return false;
	SET_SHARED(a->tx_level, 0);
	return true;
}

/* Before a register read: the FIFO may have emptied since the last access. */
static void settle_tx_fifo_now(struct vaux *a)
{
	if (a->tx_level && settle_tx_fifo(a, vdev_ticks()))
		vaux_update_irq(a);
}

/* The FIFO's times are in counter ticks; the hypervisor's deadline is in VM time. */
uint64_t vaux_poll(struct vaux *a, uint64_t now_us)
{
	(void)now_us;
	if (settle_tx_fifo(a, vdev_ticks()))
		vaux_update_irq(a);
	a->tx_deadline_known = a->tx_level != 0;
	return a->tx_level ? vdev_now_us_at_ticks(a->vm, a->tx_empty_ticks) : UINT64_MAX;
}

/*
 * A byte written takes a FIFO place until the line has sent it and those
 * before it. The first byte into an empty FIFO gives the hypervisor a new
 * deadline (unless it already has an earlier one: then the FIFO shows empty
 * to the interrupt at most one FIFO time late; register reads see it on time).
 * A full FIFO is taken at once, so a guest writing back to back never waits.
 */
static void occupy_tx_place(struct vaux *a)
{
	uint64_t now = vdev_ticks();
	uint64_t empty = a->tx_empty_ticks;
	uint8_t level;

	(void)settle_tx_fifo(a, now);
	level = a->tx_level;
	if (level == 0) {
		empty = now;
		if (!a->tx_deadline_known) {
			a->tx_deadline_known = true;
			vdev_timer_armed(a->vm);
		}
	}
	SET_SHARED(a->tx_empty_ticks, empty + char_time(a));
	SET_SHARED(a->tx_level, level + 1U == FIFO_DEPTH ? 0 : level + 1U);
}

static uint32_t receive_byte(struct vaux *a)
{
	uint8_t byte;
	bool got;

	/* An empty FIFO reads as 0; the input waits while the receiver is off. */
	if (!receiver_on(a))
		return 0;
	got = vdev_console_read(a->vm, &byte);
	count_input(a);
	if (!got)
		return 0;
	a->bytes_in++;
	return byte;
}

/*
 * A byte written while the transmitter is off or the console is full is lost,
 * as a byte written into a full FIFO would be; guests poll LSR bit 5 first.
 */
static void transmit_byte(struct vaux *a, uint8_t byte)
{
	if (!transmitter_on(a) || !tx_space(a, a->tx_level)) {
		a->tx_dropped++;
		return;
	}
	vdev_console_write(a->vm, byte);
	a->bytes_out++;
	occupy_tx_place(a);
}

/* IIR read: receive data first (QEMU's choice; the manual says both cannot happen). */
static uint32_t read_iir(const struct vaux *a)
{
	if (rx_interrupt(a))
		return IIR_FIFOS_ON | IIR_ID_RX_DATA;
	if (tx_interrupt(a))
		return IIR_FIFOS_ON | IIR_ID_TX_EMPTY;
	return IIR_FIFOS_ON | IIR_NO_INTERRUPT;
}

/* Inline: the register guests poll most, on the path without the lock too. */
static inline __attribute__((always_inline)) uint32_t read_lsr(const struct vaux *a,
							       uint8_t tx_level)
{
	uint32_t value = rx_count(a) > 0 ? LSR_DATA_READY : 0;

	if (!console_can_write(a)) /* tx_space and tx_idle, asked once */
		return value;
	if (tx_level < FIFO_DEPTH)
		value |= LSR_TX_EMPTY;
	if (tx_level == 0)
		value |= LSR_TX_IDLE;
	return value;
}

/*
 * STAT mirrors the FIFO state: the receive level is the waiting input (at
 * most the FIFO depth), the transmit level the modelled fill level (full
 * while the console cannot take a byte). The receiver is never busy with a
 * symbol; the transmitter is idle exactly when its FIFO is empty.
 */
static uint32_t read_stat(const struct vaux *a, uint8_t tx_level)
{
	uint32_t rx = rx_count(a);
	uint32_t value = STAT_RX_IDLE;

	if (rx > FIFO_DEPTH)
		rx = FIFO_DEPTH;
	if (rx > 0)
		value |= STAT_SYMBOL_AVAILABLE;
	value |= rx << STAT_RX_LEVEL_SHIFT;
	if (!console_can_write(a))
		return value | STAT_TX_FIFO_FULL | (FIFO_DEPTH << STAT_TX_LEVEL_SHIFT);
	value |= STAT_SPACE_AVAILABLE | ((uint32_t)tx_level << STAT_TX_LEVEL_SHIFT);
	if (tx_level == 0)
		value |= STAT_TX_IDLE | STAT_TX_FIFO_EMPTY | STAT_TX_DONE;
	return value;
}

static inline __attribute__((always_inline)) void note_status_poll(struct vaux *a, uint32_t value)
{
	uint32_t polls;

	if (value != SHARED(a->polled_status)) {
		SET_SHARED(a->polled_status, value);
		SET_SHARED(a->idle_polls, 0);
		return;
	}
	polls = SHARED(a->idle_polls) + 1;
	if (polls < IDLE_POLLS_BEFORE_YIELD) {
		SET_SHARED(a->idle_polls, polls);
		return;
	}
	SET_SHARED(a->idle_polls, 0);
	vdev_guest_spinning(a->vm);
}

static enum mmio_result read_register(void *opaque, uint64_t offset, uint32_t *value)
{
	struct vaux *a = opaque;
	bool dlab = a->lcr & LCR_DLAB;

	settle_tx_fifo_now(a);
	switch (offset) {
	case REG_AUX_IRQ:
		*value = vaux_irq_level(a) ? AUX_IRQ_MINI_UART : 0;
		break;
	case REG_AUX_ENABLES:
		*value = a->enables;
		break;
	case REG_MU_IO: /* with DLAB set: the baud rate register's low byte (§2.2.2) */
		*value = dlab ? (a->baud & 0xffU) : receive_byte(a);
		vaux_update_irq(a); /* taking a byte may empty the FIFO */
		break;
	case REG_MU_IER: /* with DLAB set: the baud rate register's high byte */
		*value = dlab ? (uint32_t)(a->baud >> 8) : a->ier;
		break;
	case REG_MU_IIR:
		*value = read_iir(a);
		break;
	case REG_MU_LCR:
		*value = a->lcr;
		break;
	case REG_MU_MCR:
		*value = a->mcr;
		break;
	case REG_MU_LSR:
		*value = read_lsr(a, a->tx_level);
		note_status_poll(a, *value);
		break;
	case REG_MU_MSR: /* the virtual line is always clear to send */
		*value = MSR_CTS_ASSERTED;
		break;
	case REG_MU_SCRATCH:
		*value = a->scratch;
		break;
	case REG_MU_CNTL:
		*value = a->cntl;
		break;
	case REG_MU_STAT:
		*value = read_stat(a, a->tx_level);
		note_status_poll(a, *value);
		break;
	case REG_MU_BAUD:
		*value = a->baud;
		break;
	default:
		return MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

static enum mmio_result write_register_file(void *opaque, uint64_t offset, uint32_t value)
{
	struct vaux *a = opaque;
	bool dlab = a->lcr & LCR_DLAB;

	switch (offset) {
	case REG_AUX_IRQ:
	case REG_MU_LSR:
	case REG_MU_MSR:
	case REG_MU_STAT:
		break; /* read-only */
	case REG_AUX_ENABLES:
		SET_SHARED(a->enables, value & AUX_ENABLES_MASK);
		break;
	case REG_MU_IO: /* a byte to send was taken by write_register */
		set_baud(a, (uint16_t)((a->baud & 0xff00U) | (value & 0xffU)));
		break;
	case REG_MU_IER:
		if (dlab)
			set_baud(a, (uint16_t)((a->baud & 0x00ffU) | ((value & 0xffU) << 8)));
		else
			SET_SHARED(a->ier, (uint8_t)(value & IER_MASK));
		break;
	case REG_MU_IIR:
		/*
		 * Bit 1 clears the receive FIFO, bit 2 the transmit FIFO. The
		 * transmit FIFO's bytes have already gone to the console: the
		 * clear only empties it. The receive FIFO is the VM's console
		 * input: clearing it would silently throw away what the user
		 * typed (guests clear it at start-up, while the user may
		 * already be typing), so that clear is a no-op.
		 */
		if (value & IIR_CLEAR_TX_FIFO)
			SET_SHARED(a->tx_level, 0);
		break;
	case REG_MU_LCR:
		a->lcr = (uint8_t)value;
		break;
	case REG_MU_MCR:
		a->mcr = (uint8_t)value;
		break;
	case REG_MU_SCRATCH:
		a->scratch = (uint8_t)value;
		break;
	case REG_MU_CNTL:
		SET_SHARED(a->cntl, (uint8_t)value);
		break;
	case REG_MU_BAUD:
		set_baud(a, (uint16_t)value);
		break;
	default:
		return MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

/*
 * Only what an access changes moves the interrupt line: a byte taken (IO
 * read, above) or sent, IER, and the enables of the UART, its receiver and
 * transmitter. A scratch or LSR access leaves it, and costs no recompute.
 */
static bool write_moves_irq(uint64_t offset)
{
	return offset == REG_MU_IO || offset == REG_MU_IER || offset == REG_AUX_ENABLES ||
	       offset == REG_MU_CNTL || offset == REG_MU_IIR;
}

/* Out of line: the writes that move no line (most) then need no stack frame. */
static __attribute__((noinline)) enum mmio_result update_irq_after_write(struct vaux *a)
{
	vaux_update_irq(a);
	return MMIO_HANDLED; /* every register whose write moves the line is one */
}

/* A byte for the line (an IO write without DLAB): sent, and the line recomputed. */
static __attribute__((noinline)) enum mmio_result send_byte(struct vaux *a, uint32_t value)
{
	transmit_byte(a, (uint8_t)value);
	update_irq(a);
	return MMIO_HANDLED;
}

/*
 * The register file itself calls nothing, so that a write that moves no
 * line (scratch, LCR, ...) needs no stack frame; sending a byte and
 * recomputing the line are tail calls.
 */
static enum mmio_result write_register(void *opaque, uint64_t offset, uint32_t value)
{
	struct vaux *a = opaque;
	enum mmio_result result;

	SET_SHARED(a->idle_polls, 0);
	if (offset == REG_MU_IO && !(a->lcr & LCR_DLAB))
		return send_byte(a, value);
	result = write_register_file(a, offset, value);
	if (write_moves_irq(offset))
		return update_irq_after_write(a);
	return result;
}

/*
 * Like QEMU's bcm2835_aux (which takes 1 to 4 byte accesses), 8- and 16-bit
 * accesses are accepted: guests commonly use byte accesses to IO. They must
 * start at the register's first byte; other byte lanes are not registers.
 */
static const struct vdev_registers registers = {
    .read = read_register,
    .write = write_register,
    .min_size = 1,
};

enum mmio_result vaux_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	return vdev_read(&registers, opaque, offset, size, value);
}

enum mmio_result vaux_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	return vdev_write(&registers, opaque, offset, size, value);
}

/*
 * The transmit FIFO's fill level as a read without the lock sees it: the
 * line may have sent it since the last access. Settling that would change
 * the model, so it is left to the next locked access; if the FIFO emptying
 * would raise the transmit interrupt, the read must take the locked way.
 */
static bool tx_level_unlocked(const struct vaux *a, uint8_t *level)
{
	*level = SHARED(a->tx_level);
	if (*level == 0 || vdev_ticks() < SHARED(a->tx_empty_ticks))
		return true;
	*level = 0;
	return !(SHARED(a->ier) & IER_TX_ENABLE);
}

enum mmio_result vaux_read_status(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	struct vaux *a = opaque;
	uint32_t word;
	uint8_t level;

	if (offset != REG_MU_LSR && offset != REG_MU_STAT)
		return MMIO_UNHANDLED;
	if (vdev_check_access(&registers, offset, size) != MMIO_HANDLED ||
	    !tx_level_unlocked(a, &level))
		return MMIO_UNHANDLED;
	/* LSR's bits are all in its low byte: every access width reads it whole. */
	word = offset == REG_MU_LSR ? read_lsr(a, level) : read_stat(a, level);
	note_status_poll(a, word);
	*value = offset == REG_MU_LSR ? word : word & vdev_size_mask(size);
	return MMIO_HANDLED;
}
