#pragma once
/*
 * The BCM2837 registers the guests touch, as physical addresses seen by the
 * ARM cores ("BCM2835 ARM Peripherals" §1.2.3: bus address 0x7Exxxxxx
 * appears at 0x3Fxxxxxx on the Pi 3). Under aVisor every one of these is
 * emulated by the hypervisor, so the guests deliberately use no others.
 */

#define PERIPHERAL_BASE 0x3F000000UL
#define PERIPHERAL_SIZE 0x01000000UL
#define LOCAL_BASE	0x40000000UL /* BCM2836 "ARM local" block (QA7 rev 3.4) */

/* System timer (§12): a free-running 1 MHz counter and four compare registers. */
#define SYSTIMER_BASE (PERIPHERAL_BASE + 0x003000)
#define SYSTIMER_CS   (SYSTIMER_BASE + 0x00) /* bit n: compare n matched, write 1 to clear */
#define SYSTIMER_CLO  (SYSTIMER_BASE + 0x04)
#define SYSTIMER_CHI  (SYSTIMER_BASE + 0x08)
#define SYSTIMER_C(n) (SYSTIMER_BASE + 0x0C + 4 * (n))

/* ARM interrupt controller (§7.5). */
#define IC_BASE		 (PERIPHERAL_BASE + 0x00B200)
#define IC_BASIC_PENDING (IC_BASE + 0x00)
#define IC_PENDING(bank) (IC_BASE + 0x04 + 4 * (bank)) /* bank 0: GPU IRQs 0-31, 1: 32-63 */
#define IC_ENABLE(bank)	 (IC_BASE + 0x10 + 4 * (bank))
#define IC_BASIC_ENABLE	 (IC_BASE + 0x18)
#define IC_DISABLE(bank) (IC_BASE + 0x1C + 4 * (bank))

/* GPU interrupt lines (§7.5 "ARM peripherals interrupts table"). */
#define IRQ_SYSTIMER_1 1 /* compares 0 and 2 belong to the VideoCore firmware */
#define IRQ_SYSTIMER_3 3
#define IRQ_AUX	       29 /* mini UART and the two auxiliary SPI masters */
#define IRQ_LINES      64

/* GPIO function select (§6.1): three bits per pin, ten pins per register. */
#define GPIO_BASE    (PERIPHERAL_BASE + 0x200000)
#define GPFSEL(n)    (GPIO_BASE + 4 * (n))
#define GPIO_FN_ALT5 2U

/* Auxiliaries: mini UART (§2.1, §2.2). QEMU connects it to its second serial port. */
#define AUX_BASE    (PERIPHERAL_BASE + 0x215000)
#define AUX_IRQ	    (AUX_BASE + 0x00) /* bit 0: mini UART interrupt pending */
#define AUX_ENABLES (AUX_BASE + 0x04) /* bit 0: mini UART enable */
#define AUX_MU_IO   (AUX_BASE + 0x40)
#define AUX_MU_IER  (AUX_BASE + 0x44)
#define AUX_MU_IIR  (AUX_BASE + 0x48)
#define AUX_MU_LCR  (AUX_BASE + 0x4C)
#define AUX_MU_MCR  (AUX_BASE + 0x50)
#define AUX_MU_LSR  (AUX_BASE + 0x54)
#define AUX_MU_CNTL (AUX_BASE + 0x60)
#define AUX_MU_BAUD (AUX_BASE + 0x68)
