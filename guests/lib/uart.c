/*
 * Mini UART driver. Register names and fields: "BCM2835 ARM Peripherals"
 * §2.1-2.2 and its published errata (elinux.org "BCM2835 datasheet errata").
 */
#include "lib/uart.h"

#include "lib/bcm2837.h"
#include "lib/irq.h"
#include "lib/mmio.h"
#include "lib/sysreg.h"
#include "lib/ringbuf.h"

#include <stddef.h>
#include <stdint.h>

#define AUX_ENABLES_MINI_UART (1U << 0)

#define LCR_8BIT (3U) /* the manual documents bit 0 only; the errata: 8 bits needs 0b11 */

#define CNTL_RX_ENABLE (1U << 0)
#define CNTL_TX_ENABLE (1U << 1)

#define LSR_DATA_READY (1U << 0) /* the receive FIFO holds at least one byte */
#define LSR_TX_EMPTY   (1U << 5) /* the transmit FIFO can accept at least one byte */

#define IIR_NOT_PENDING (1U << 0) /* reads 0 while an interrupt is pending */
#define IIR_ID(iir)	(((iir) >> 1) & 3U)
#define IIR_ID_TX_EMPTY 1U
#define IIR_CLEAR_FIFOS 0xC6U /* write: bits 1 and 2 clear the receive and transmit FIFOs */
#define IER_BIT0	(1U << 0)
#define IER_BIT1	(1U << 1)
#define BAUD_REG_115200 270U /* baud = 250 MHz system clock / (8 * (270 + 1)) */
#define GPIO_TXD	14
#define GPIO_RXD	15
#define RX_BUFFER_SIZE	256 /* a power of two, as struct ringbuf requires */

static uint8_t rx_storage[RX_BUFFER_SIZE];
static struct ringbuf rx_buffer;
static uint32_t ier_rx_enable; /* the AUX_MU_IER bit that enables the receive interrupt */
static bool rx_paused;	       /* receive interrupt off because rx_buffer is full */

/* GPFSELn holds three function-select bits for each of ten pins. */
static void gpio_select_alt5(unsigned int pin)
{
	uintptr_t reg = GPFSEL(pin / 10);
	unsigned int shift = (pin % 10) * 3;
	uint32_t value = mmio_read32(reg);

	value &= ~(7U << shift);
	value |= GPIO_FN_ALT5 << shift;
	mmio_write32(reg, value);
}

void uart_init(void)
{
	mmio_write32(AUX_ENABLES, mmio_read32(AUX_ENABLES) | AUX_ENABLES_MINI_UART);
	mmio_write32(AUX_MU_CNTL, 0); /* receiver and transmitter off while configuring */
	mmio_write32(AUX_MU_IER, 0);
	mmio_write32(AUX_MU_LCR, LCR_8BIT);
	mmio_write32(AUX_MU_MCR, 0);
	mmio_write32(AUX_MU_IIR, IIR_CLEAR_FIFOS);
	mmio_write32(AUX_MU_BAUD, BAUD_REG_115200);
	/* TXD1/RXD1 are alternate function 5 of GPIO 14/15 (§6.2); QEMU ignores this. */
	gpio_select_alt5(GPIO_TXD);
	gpio_select_alt5(GPIO_RXD);
	mmio_write32(AUX_MU_CNTL, CNTL_RX_ENABLE | CNTL_TX_ENABLE);
}

void uart_putc(char c)
{
	while (!(mmio_read32(AUX_MU_LSR) & LSR_TX_EMPTY))
		;
	mmio_write32(AUX_MU_IO, (uint8_t)c);
}

bool uart_rx_ready(void)
{
	return mmio_read32(AUX_MU_LSR) & LSR_DATA_READY;
}

/*
 * Which AUX_MU_IER bit enables the receive interrupt? The manual says bit 1,
 * its errata and the silicon (Linux drives it as a 16550: UART_IER_RDI is
 * bit 0) say bit 0, and QEMU follows the manual (bit 0 enables the transmit
 * interrupt). So ask the device: with the receive FIFO empty, enable bit 0
 * alone. If that raises "transmit holding register empty" in AUX_MU_IIR,
 * bit 0 is the transmit enable and bit 1 must be the receive enable.
 * The interrupt line is still disabled at the interrupt controller here.
 */
static uint32_t probe_rx_enable_bit(void)
{
	uint32_t iir;

	mmio_write32(AUX_MU_IER, IER_BIT0);
	iir = mmio_read32(AUX_MU_IIR);
	mmio_write32(AUX_MU_IER, 0);
	if (!(iir & IIR_NOT_PENDING) && IIR_ID(iir) == IIR_ID_TX_EMPTY)
		return IER_BIT1;
	return IER_BIT0;
}

/* Moves received bytes into rx_buffer; when it is full, stops listening until it drains. */
static void drain_rx_fifo(void)
{
	while (uart_rx_ready()) {
		if (ringbuf_is_full(&rx_buffer)) {
			/* Bytes stay in the FIFO; when it fills up the sender is held back. */
			mmio_write32(AUX_MU_IER, 0);
			rx_paused = true;
			return;
		}
		ringbuf_put(&rx_buffer, (uint8_t)mmio_read32(AUX_MU_IO));
	}
}

static void uart_irq(void *ctx)
{
	(void)ctx;
	drain_rx_fifo();
}

void uart_rx_irq_start(void)
{
	ringbuf_init(&rx_buffer, rx_storage, sizeof(rx_storage));
	drain_rx_fifo(); /* the probe needs an empty receive FIFO */
	ier_rx_enable = probe_rx_enable_bit();
	irq_register(IRQ_AUX, uart_irq, NULL);
	mmio_write32(AUX_MU_IER, ier_rx_enable);
}

char uart_getc(void)
{
	uint64_t saved_daif = read_sysreg(daif);
	uint8_t c;

	irq_mask();
	while (!ringbuf_get(&rx_buffer, &c))
		wait_for_interrupt();
	if (rx_paused && ringbuf_space(&rx_buffer) >= RX_BUFFER_SIZE / 2) {
		rx_paused = false;
		mmio_write32(AUX_MU_IER, ier_rx_enable);
	}
	write_sysreg(daif, saved_daif);
	return (char)c;
}
