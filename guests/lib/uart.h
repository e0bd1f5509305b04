#pragma once
/*
 * The mini UART of the BCM2835 auxiliary block ("BCM2835 ARM Peripherals"
 * §2.2), the Pi 3's console UART on GPIO 14/15 and QEMU raspi3b's second
 * serial port. 115200 baud, 8 data bits, no parity, 1 stop bit.
 *
 * Transmission is polled. Reception is either polled (uart_rx_ready) or
 * interrupt driven (uart_rx_irq_start, then uart_getc): the interrupt
 * handler moves bytes into a ring buffer and uart_getc sleeps in WFI until
 * one is there, so a guest waiting for input uses no CPU time.
 */
#include <stdbool.h>

void uart_init(void);

/* Sends one byte as is (no newline translation). */
void uart_putc(char c);

/* True if a received byte is waiting in the receive FIFO. */
bool uart_rx_ready(void);

/* Enables the receive interrupt (AUX_MU_IER, GPU line 29) and its handler. */
void uart_rx_irq_start(void);

/* Returns the next received byte, sleeping until there is one; needs uart_rx_irq_start. */
char uart_getc(void);
