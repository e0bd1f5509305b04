#pragma once
/* BCM2835 GPIO: just what the console needs (BCM2835 ARM Peripherals §6). */
#include <stdint.h>

enum gpio_function {
	GPIO_FUNC_INPUT = 0,
	GPIO_FUNC_OUTPUT = 1,
	GPIO_FUNC_ALT0 = 4,
	GPIO_FUNC_ALT5 = 2,
};

void gpio_set_function(unsigned int pin, enum gpio_function function);
/* Disables the pull-up/down resistor of a pin (GPPUD + GPPUDCLK sequence). */
void gpio_disable_pull(unsigned int pin);
