#pragma once
/*
 * BCM2837 physical address map as seen by the ARM cores (BCM2835 ARM
 * Peripherals §1.2.3: bus address 0x7Exxxxxx appears at 0x3Fxxxxxx).
 */
#define PERIPH_BASE 0x3f000000UL
#define PERIPH_SIZE 0x01000000UL
#define LOCAL_BASE  0x40000000UL /* BCM2836 "ARM local" registers (QA7_rev3.4) */
#define LOCAL_SIZE  0x00040000UL
/* Cores 0-3's release addresses in the firmware's spin table (armstub8.S; QEMU's stub too). */
#define SPIN_TABLE_BASE 0xd8UL

#define SYSTIMER_BASE (PERIPH_BASE + 0x003000)
#define INTC_BASE     (PERIPH_BASE + 0x00b200)
#define MAILBOX_BASE  (PERIPH_BASE + 0x00b880)
#define GPIO_BASE     (PERIPH_BASE + 0x200000)
#define AUX_BASE      (PERIPH_BASE + 0x215000)
#define EMMC_BASE     (PERIPH_BASE + 0x300000) /* Arasan SDHCI "EMMC" (BCM2835 §5) */

/* GPU interrupt numbers (BCM2835 ARM Peripherals §7.5, "ARM peripherals interrupts table"). */
#define IRQ_SYSTIMER_1 1
#define IRQ_SYSTIMER_3 3
#define IRQ_AUX	       29
#define GPU_IRQ_COUNT  64
