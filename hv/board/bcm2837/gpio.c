#include "board/bcm2837/gpio.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"

#define GPFSEL0	  (GPIO_BASE + 0x00) /* 10 pins per register, 3 bits each */
#define GPPUD	  (GPIO_BASE + 0x94)
#define GPPUDCLK0 (GPIO_BASE + 0x98)

void gpio_set_function(unsigned int pin, enum gpio_function function)
{
	uintptr_t reg = GPFSEL0 + 4 * (pin / 10);
	unsigned int shift = 3 * (pin % 10);
	uint32_t value = mmio_read32(reg);

	value &= ~(7U << shift);
	value |= (uint32_t)function << shift;
	mmio_write32(reg, value);
}

/* The GPPUD sequence needs 150 cycles of set-up and hold (BCM2835 §6.1, GPPUDCLKn). */
static void delay_cycles(unsigned int cycles)
{
	while (cycles--)
		__asm__ volatile("nop");
}

void gpio_set_pull(unsigned int pin, enum gpio_pull pull)
{
	uintptr_t clk = GPPUDCLK0 + 4 * (pin / 32);

	mmio_write32(GPPUD, pull);
	delay_cycles(150);
	mmio_write32(clk, 1U << (pin % 32));
	delay_cycles(150);
	mmio_write32(GPPUD, GPIO_PULL_NONE);
	mmio_write32(clk, 0);
}

void gpio_disable_pull(unsigned int pin)
{
	gpio_set_pull(pin, GPIO_PULL_NONE);
}
