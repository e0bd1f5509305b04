/*
 * The Raspberry Pi 3 (BCM2837) implementation of board/board.h.
 */
#include "board/board.h"
#include "arch/arm64/sysreg.h"
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
 * WFE, then read their release address, 8 bytes each from 0xd8 on (0xe0,
 * 0xe8, 0xf0), and jump to it when it is not zero, with the MMU off. The
 * address is written with the MMU on here, so it is cleaned to the Point of
 * Coherency for a core whose caches are still off; SEV wakes the WFE.
 */
void board_release_core(unsigned int core, uint64_t entry)
{
	volatile uint64_t *slot;

	if (core == 0 || core >= 4)
		return;
	/* A pointer built at run time: the compiler takes addresses this close to 0 for NULL's. */
	__asm__("" : "=r"(slot) : "0"(SPIN_TABLE_BASE + 8 * core));
	*slot = entry;
	__asm__ volatile("dc civac, %0\n\tdsb sy\n\tsev" ::"r"(slot) : "memory");
}

static void clock_calibrate(void);

void board_init(void)
{
	clock_calibrate();
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
	__atomic_fetch_add(&irq_count, intc_dispatch(), __ATOMIC_RELAXED);
}

/*
 * The board's microsecond clock is the system timer's (what VMs see in
 * their timer models), but read through the core's own counter:
 * CNTPCT_EL0 ticks at CNTFRQ_EL0 from the same crystal, and reading it is
 * one instruction, where the system timer is three device reads (and,
 * under QEMU, three trips through its big lock, which four cores contend
 * for). clock_calibrate() notes both at one instant; then
 * us = base_us + (count - base_count) * 10^6 / CNTFRQ, computed in two parts
 * (whole seconds of ticks, then the rest) so that it is exact and nothing
 * overflows 64 bits: board_alarm_set() uses its exact inverse.
 */
static uint64_t clock_base_us, clock_base_count, clock_freq;

static void clock_calibrate(void)
{
	uint64_t before = systimer_now_us(), now;

	/* On the edge of a microsecond, so that the two agree to within a tick. */
	do {
		now = systimer_now_us();
	} while (now == before);
	clock_base_count = read_sysreg(cntpct_el0);
	clock_base_us = now;
	clock_freq = read_sysreg(cntfrq_el0);
}

/* The microsecond at which the counter reads `count`, rounded down (count >= the base). */
static inline uint64_t us_at_count(uint64_t count)
{
	uint64_t ticks = count - clock_base_count;

	return clock_base_us + ticks / clock_freq * 1000000 +
	       ticks % clock_freq * 1000000 / clock_freq;
}

uint64_t board_uptime_us(void)
{
	if (!clock_freq)
		return systimer_now_us();
	return us_at_count(read_sysreg(cntpct_el0));
}

uint64_t board_ticks(void)
{
	return read_sysreg(cntpct_el0);
}

uint64_t board_ticks_in_us(uint64_t us)
{
	return us * clock_freq / 1000000;
}

uint32_t board_uptime_us_low(void)
{
	if (!clock_freq)
		return (uint32_t)systimer_now_us();
	return (uint32_t)us_at_count(read_sysreg(cntpct_el0));
}

/*
 * The scheduler's alarm: each core's own EL2 physical timer (CNTHP,
 * CNTHP_CVAL_EL2 / CNTHP_CTL_EL2), which only EL2 can program, routed to
 * the core by its local controller (timer control bit 2, CNTHPIRQ). The
 * deadline is in system-timer microseconds; the timer counts CNTPCT_EL0
 * ticks (CNTFRQ_EL0 per second). Both come from the same crystal, so the
 * conversion is exact to a tick; rounding up means the alarm is never early.
 */
#define CNTHP_ENABLE (1UL << 0)

static void (*alarm_handler)(void);

static void alarm_irq(void *opaque)
{
	(void)opaque;
	/* One-shot: the line stays high while CVAL <= count, so the timer goes off first. */
	write_sysreg(cnthp_ctl_el2, 0);
	if (alarm_handler)
		alarm_handler();
}

void board_alarm_init(void (*handler)(void))
{
	alarm_handler = handler;
	intc_register_local_irq(LOCAL_IRQ_CNTHP, alarm_irq, NULL);
}

/*
 * The first counter value at which board_uptime_us() reads `us`: the exact
 * inverse of its formula, rounded up to a whole tick. Deadlines further
 * than CLOCK_FAR_US from the calibration (a thousand years) are taken as
 * that far, so that nothing overflows 64 bits.
 */
#define CLOCK_FAR_US (1000ULL * 365 * 24 * 3600 * 1000000)

static uint64_t count_at_us(uint64_t us)
{
	uint64_t since = us > clock_base_us ? us - clock_base_us : 0;

	if (since > CLOCK_FAR_US)
		since = CLOCK_FAR_US;
	return clock_base_count + since / 1000000 * clock_freq +
	       (since % 1000000 * clock_freq + 999999) / 1000000;
}

/*
 * The first microsecond at which the clock has passed counter value
 * `ticks`: the deadline for something timed in ticks (the round-up of
 * us_at_count: its count_at_us is the first tick of that microsecond).
 */
uint64_t board_uptime_us_at_ticks(uint64_t ticks)
{
	uint64_t us;

	if (!clock_freq || ticks < clock_base_count)
		return board_uptime_us();
	us = us_at_count(ticks);
	return count_at_us(us) >= ticks ? us : us + 1;
}

/*
 * The alarm goes off at the first counter tick at which the board's clock
 * reads deadline_us — at once if that has passed (CNTHP fires while
 * CNTHP_CVAL_EL2 <= CNTPCT_EL0): neither early (the scheduler would find
 * nothing due and set it again) nor late by the fraction of a microsecond
 * that "now" read in whole microseconds would lose. No clock is read.
 */
void board_alarm_set(uint64_t deadline_us)
{
	if (deadline_us == BOARD_NO_ALARM) {
		write_sysreg(cnthp_ctl_el2, 0);
		return;
	}
	/* Without a counter frequency (boot.S always sets one) the alarm goes off at once. */
	write_sysreg(cnthp_cval_el2, clock_freq ? count_at_us(deadline_us) : 0);
	write_sysreg(cnthp_ctl_el2, CNTHP_ENABLE);
	isb();
}

/* Inter-processor interrupts: mailbox 0 of each core (intc.c). */
static void (*ipi_handler)(void);

static void ipi_irq(void *opaque)
{
	(void)opaque;
	(void)intc_mailbox_take();
	if (ipi_handler)
		ipi_handler();
}

void board_ipi_init(void (*handler)(void))
{
	ipi_handler = handler;
	intc_register_local_irq(LOCAL_IRQ_MAILBOX0, ipi_irq, NULL);
}

void board_ipi_send(unsigned int core)
{
	/* The work the receiver reads was stored before: make it visible before the doorbell. */
	__asm__ volatile("dsb ish" ::: "memory");
	intc_mailbox_send(core, 1);
}

/* A core coming up enables its own local sources: the handlers are already registered. */
void board_core_init(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	intc_local_irq_enable(LOCAL_IRQ_CNTHP, true);
	intc_local_irq_enable(LOCAL_IRQ_CNTV, true);
	intc_local_irq_enable(LOCAL_IRQ_MAILBOX0, true);
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
