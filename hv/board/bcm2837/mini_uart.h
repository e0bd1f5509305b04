#pragma once
/*
 * The AUX mini UART (BCM2835 ARM Peripherals §2.2): the Pi 3's console on
 * GPIO14/15 (the PL011 drives Bluetooth), and QEMU raspi3b's second serial port.
 */
#include <stdbool.h>
#include <stdint.h>

void mini_uart_init(void);
void mini_uart_putc(char c);
bool mini_uart_rx_ready(void);
uint8_t mini_uart_rx_byte(void);
/* Receive interrupts (AUX_MU_IER bit 0): raised while the receive FIFO holds data. */
void mini_uart_rx_irq_enable(bool enable);
