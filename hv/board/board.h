#pragma once
/*
 * The board interface: everything core/ needs from the hardware, so that core
 * code never includes a board-specific header. Implemented by
 * board/bcm2837/board.c for the Raspberry Pi 3 (and QEMU -M raspi3b).
 */
#include <stdbool.h>
#include <stdint.h>

struct board_info {
	const char *name;      /* e.g. "Raspberry Pi 3 Model B (BCM2837)" */
	uint32_t revision;     /* firmware board revision code, 0 if unknown */
	uint64_t arm_ram_base; /* RAM the ARM cores own (the rest is VideoCore memory) */
	uint64_t arm_ram_size;
	uint64_t total_ram_size;
	uint64_t periph_base; /* SoC peripherals, mapped as Device memory */
	uint64_t periph_size;
	uint64_t local_base; /* per-core local peripherals (BCM2836 local controller) */
	uint64_t local_size;
};

/* Brings up the console UART, interrupt controllers, system timer; asks the firmware for RAM. */
void board_init(void);
const struct board_info *board_get_info(void);

/* Console: blocking transmit of one byte. Usable from any context, also when crashing. */
void board_console_putc(char c);

/*
 * Console receive: called from the IRQ handler. The board asks has_room()
 * before taking each byte from the UART; when there is no room it stops
 * receiving (the byte stays in the UART) until board_console_rx_resume().
 */
struct board_rx_sink {
	bool (*has_room)(void);
	void (*put)(uint8_t byte);
};
void board_console_set_rx_sink(const struct board_rx_sink *sink);
void board_console_rx_resume(void);

/* Called from the EL2 IRQ vector: dispatches every pending hardware interrupt. */
void board_handle_irq(void);

/* Microseconds since the board powered up (the BCM2835 system timer's free-running counter). */
uint64_t board_uptime_us(void);
/* Its low 32 bits, from one read of the counter (CLO) instead of three. */
uint32_t board_uptime_us_low(void);
/*
 * The counter behind that clock (CNTPCT_EL0), unconverted: a timestamp for
 * code that only compares times it took itself, in one instruction instead
 * of a conversion. board_ticks_in_us converts a duration (rounded down);
 * board_uptime_us_at_ticks gives the first microsecond of the clock at
 * which the counter has reached `ticks` (a deadline, rounded up).
 */
uint64_t board_ticks(void);
uint64_t board_ticks_in_us(uint64_t us);
uint64_t board_uptime_us_at_ticks(uint64_t ticks);

/*
 * The hypervisor's one-shot alarm, one per core: `handler` runs in IRQ
 * context on the core that set it when board_uptime_us() reaches the
 * deadline it last set. BOARD_NO_ALARM cancels.
 */
#define BOARD_NO_ALARM UINT64_MAX
void board_alarm_init(void (*handler)(void));
void board_alarm_set(uint64_t deadline_us);

/*
 * The running guest's virtual timer (CNTV) interrupt, as the core's local
 * interrupt controller delivers it to EL2. `handler` runs in IRQ context and
 * must mask it (board_vtimer_irq_enable(false)) until the guest has handled it.
 */
void board_vtimer_init(void (*handler)(void));
void board_vtimer_irq_enable(bool enable);

/*
 * Inter-processor interrupts: board_ipi_send(core) interrupts that core,
 * where `handler` (set once, for every core) runs in IRQ context.
 */
void board_ipi_init(void (*handler)(void));
void board_ipi_send(unsigned int core);
/* On each core as it comes up: enables its alarm, virtual timer and IPI interrupts. */
void board_core_init(void);
/* Sends a core waiting in the firmware's spin table to `entry` (MMU off, at EL2). */
void board_release_core(unsigned int core, uint64_t entry);

struct blockdev;
/* Initialises the SD card; 0, or a negative error (no card, timeout, unsupported card...). */
int board_sd_init(void);
/* The card as a block device (valid after a successful board_sd_init), or NULL. */
const struct blockdev *board_sd_blockdev(void);
/* One line describing the card (type, capacity, CID) and the last error in words. */
const char *board_sd_describe(void);
const char *board_sd_strerror(int err);

/* Number of hardware interrupts handled since boot. */
uint64_t board_irq_count(void);
