#pragma once
/* BCM2835 GPIO: just what the console and the SD card need (BCM2835 ARM Peripherals §6). */
#include <stdint.h>

enum gpio_function {
	GPIO_FUNC_INPUT = 0,
	GPIO_FUNC_OUTPUT = 1,
	GPIO_FUNC_ALT0 = 4,
	GPIO_FUNC_ALT5 = 2,
	GPIO_FUNC_ALT3 = 7,
};

/* GPPUD values (BCM2835 ARM Peripherals §6.1). */
enum gpio_pull {
	GPIO_PULL_NONE = 0,
	GPIO_PULL_DOWN = 1,
	GPIO_PULL_UP = 2,
};

void gpio_set_function(unsigned int pin, enum gpio_function function);
/* Sets the pull-up/down resistor of a pin (GPPUD + GPPUDCLK sequence). */
void gpio_set_pull(unsigned int pin, enum gpio_pull pull);
void gpio_disable_pull(unsigned int pin);
