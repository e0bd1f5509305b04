#include "board/bcm2837/mini_uart.h"
#include "board/bcm2837/gpio.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"

#define AUX_ENABLES (AUX_BASE + 0x04)
#define MU_IO	    (AUX_BASE + 0x40)
#define MU_IER	    (AUX_BASE + 0x44)
#define MU_IIR	    (AUX_BASE + 0x48)
#define MU_LCR	    (AUX_BASE + 0x4c)
#define MU_MCR	    (AUX_BASE + 0x50)
#define MU_LSR	    (AUX_BASE + 0x54)
#define MU_CNTL	    (AUX_BASE + 0x60)
#define MU_BAUD	    (AUX_BASE + 0x68)

#define AUX_ENABLE_MINI_UART 1U
#define LSR_DATA_READY	     (1U << 0)
#define LSR_TX_EMPTY	     (1U << 5) /* the transmit FIFO can accept a byte */
#define LCR_8BIT	     3U	       /* bit 0 = 8-bit mode; bit 1 must be set too (errata) */
#define IIR_CLEAR_TX_FIFO    0xc4U     /* bit 2; keep bytes already received (bit 1) */
#define CNTL_RX_TX_ENABLE    3U
#define IER_RX_IRQ	     0x5U /* bit 0 enables RX interrupts; bit 2 as the errata advise */

/*
 * Baud rate = system clock / (8 * (BAUD + 1)). The Pi 3 firmware fixes the
 * core clock at 250 MHz when the mini UART is enabled (enable_uart=1), so
 * 270 gives 115200 baud. QEMU ignores the divisor.
 */
#define BAUD_115200_AT_250MHZ 270U

void mini_uart_init(void)
{
	mmio_write32(AUX_ENABLES, mmio_read32(AUX_ENABLES) | AUX_ENABLE_MINI_UART);
	mmio_write32(MU_CNTL, 0);
	mmio_write32(MU_IER, 0);
	mmio_write32(MU_LCR, LCR_8BIT);
	mmio_write32(MU_MCR, 0);
	mmio_write32(MU_BAUD, BAUD_115200_AT_250MHZ);

	/* GPIO14 = TXD1, GPIO15 = RXD1 in alternate function 5. */
	gpio_set_function(14, GPIO_FUNC_ALT5);
	gpio_set_function(15, GPIO_FUNC_ALT5);
	gpio_disable_pull(14);
	gpio_disable_pull(15);

	mmio_write32(MU_IIR, IIR_CLEAR_TX_FIFO);
	mmio_write32(MU_CNTL, CNTL_RX_TX_ENABLE);
}

void mini_uart_putc(char c)
{
	while (!(mmio_read32(MU_LSR) & LSR_TX_EMPTY))
		;
	mmio_write32(MU_IO, (uint8_t)c);
}

bool mini_uart_rx_ready(void)
{
	return mmio_read32(MU_LSR) & LSR_DATA_READY;
}

uint8_t mini_uart_rx_byte(void)
{
	return (uint8_t)mmio_read32(MU_IO);
}

void mini_uart_rx_irq_enable(bool enable)
{
	mmio_write32(MU_IER, enable ? IER_RX_IRQ : 0);
}
