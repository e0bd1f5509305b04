/*
 * The Raspberry Pi 3 (BCM2837) implementation of board/board.h.
 */
#include "board/board.h"
#include "board/bcm2837/intc.h"
#include "board/bcm2837/mailbox.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mini_uart.h"
#include "board/bcm2837/sdhci.h"
#include "board/bcm2837/systimer.h"
#include "fs/blockdev.h"

#include <stddef.h>

/* Used when the firmware does not answer: 1 GiB total, VideoCore's default 64 MiB at the top. */
#define FALLBACK_ARM_RAM_SIZE 0x3c000000UL
#define PI3_TOTAL_RAM	      0x40000000UL

static struct board_info info = {
    .name = "Raspberry Pi 3 (BCM2837)",
    .periph_base = PERIPH_BASE,
    .periph_size = PERIPH_SIZE,
    .local_base = LOCAL_BASE,
    .local_size = LOCAL_SIZE,
    .total_ram_size = PI3_TOTAL_RAM,
};

static const struct board_rx_sink *rx_sink;
static bool rx_paused;
static uint64_t irq_count;

static void query_firmware(void)
{
	uint32_t base, size;

	if (!mailbox_get_board_revision(&info.revision))
		info.revision = 0;
	if (mailbox_get_arm_memory(&base, &size) && size != 0) {
		info.arm_ram_base = base;
		info.arm_ram_size = size;
	} else {
		info.arm_ram_base = 0;
		info.arm_ram_size = FALLBACK_ARM_RAM_SIZE;
	}
}

/*
 * AUX interrupt: move received bytes into the console's buffer. The mini
 * UART cannot peek, so the sink is asked for room *before* a byte is read;
 * when it has none, reception pauses with the bytes still in the UART (and,
 * under QEMU, in the host's character device) until the console drains.
 */
static void aux_irq(void *opaque)
{
	(void)opaque;
	while (mini_uart_rx_ready()) {
		if (!rx_sink) {
			(void)mini_uart_rx_byte();
			continue;
		}
		if (!rx_sink->has_room()) {
			rx_paused = true;
			mini_uart_rx_irq_enable(false);
			return;
		}
		rx_sink->put(mini_uart_rx_byte());
	}
}

/*
 * Cores 1-3 wait in the firmware's spin table (QEMU's stub does the same):
 * WFE, then read their release address, 8 bytes each from 0xd8 on, and
 * jump to it when it is not zero. aVisor runs on core 0 only, so they are
 * sent to _start, which parks them in WFI (boot.S). Left in the spin table
 * they would poll for ever: under QEMU that is three host threads spinning,
 * which slows core 0 (and SD card loading) on a busy host. Done before the
 * MMU is on, so the stores reach memory with no cache maintenance.
 */
static void park_secondary_cores(void)
{
	extern char _start[];

	uint64_t entry = (uint64_t)(uintptr_t)_start;

	/* A store by hand: the compiler takes pointers this close to 0 for NULL's neighbours. */
	for (uintptr_t core = 1; core < 4; core++)
		__asm__ volatile("str %0, [%1]" ::"r"(entry), "r"(SPIN_TABLE_BASE + 8 * core)
				 : "memory");
	__asm__ volatile("dsb sy\n\tsev" ::: "memory");
}

void board_init(void)
{
	park_secondary_cores();
	mini_uart_init();
	intc_init();
	query_firmware();
	intc_register_gpu_irq(IRQ_AUX, aux_irq, NULL);
	mini_uart_rx_irq_enable(true);
}

const struct board_info *board_get_info(void)
{
	return &info;
}

void board_console_putc(char c)
{
	mini_uart_putc(c);
}

void board_console_set_rx_sink(const struct board_rx_sink *sink)
{
	rx_sink = sink;
}

void board_console_rx_resume(void)
{
	if (rx_paused) {
		rx_paused = false;
		mini_uart_rx_irq_enable(true);
	}
}

void board_handle_irq(void)
{
	irq_count += intc_dispatch();
}

uint64_t board_uptime_us(void)
{
	return systimer_now_us();
}

uint32_t board_uptime_us_low(void)
{
	return systimer_now_us_low();
}

void board_alarm_init(void (*handler)(void))
{
	systimer_alarm_init(handler);
}

void board_alarm_set(uint64_t deadline_us)
{
	systimer_alarm_set(deadline_us);
}

static void (*vtimer_handler)(void);

static void vtimer_irq(void *opaque)
{
	(void)opaque;
	if (vtimer_handler)
		vtimer_handler();
	else
		intc_local_irq_enable(LOCAL_IRQ_CNTV, false);
}

void board_vtimer_init(void (*handler)(void))
{
	vtimer_handler = handler;
	intc_register_local_irq(LOCAL_IRQ_CNTV, vtimer_irq, NULL);
}

void board_vtimer_irq_enable(bool enable)
{
	intc_local_irq_enable(LOCAL_IRQ_CNTV, enable);
}

uint64_t board_irq_count(void)
{
	return irq_count;
}

/* The SD card: the Arasan SD host driver (sdhci.c) behind the block device interface. */
static int sd_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	(void)ctx;
	return sdhci_read(lba, count, buf);
}

static int sd_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	(void)ctx;
	return sdhci_write(lba, count, buf);
}

static struct blockdev sd_blockdev = {.read = sd_read, .write = sd_write};

int board_sd_init(void)
{
	int err = sdhci_init();

	sd_blockdev.block_count = sdhci_block_count();
	return err;
}

const struct blockdev *board_sd_blockdev(void)
{
	return sdhci_ready() ? &sd_blockdev : NULL;
}

const char *board_sd_describe(void)
{
	static char line[320];

	sdhci_describe(line, sizeof(line));
	return line;
}

const char *board_sd_strerror(int err)
{
	return sdhci_strerror(err);
}
