/*
 * SD card driver for the BCM2837's Arasan SD host controller ("EMMC").
 *
 * References (register, field and section names below are theirs):
 *   [HCS] SD Specifications Part A2, SD Host Controller Simplified
 *         Specification Version 3.00 — chapter 2 (registers), chapter 3
 *         (sequences: §3.2 SD clock, §3.7 transactions, §3.10 error recovery).
 *   [PLS] SD Specifications Part 1, Physical Layer Simplified Specification
 *         Version 3.01 or later — §4.2 card identification, §4.7 commands,
 *         §4.9 responses, §4.10.1 card status, chapter 5 card registers.
 *   [BCM] BCM2835 ARM Peripherals, chapter 5 "External Mass Media Controller"
 *         (the same registers under Broadcom's names, given in brackets).
 *
 * How the card comes up (sdhci_init, [PLS] §4.2 figure "card initialization
 * and identification flow"): reset the host, run the SD clock at 400 kHz,
 * CMD0 (idle), CMD8 (is it a version 2.00 card, does it take 2.7-3.6 V?),
 * ACMD41 until the card reports power-up done (and, in OCR.CCS, whether it
 * is block addressed), CMD2 (CID), CMD3 (relative card address), CMD9 (CSD:
 * capacity), then 25 MHz, CMD7 (select), ACMD51 (SCR) and ACMD6 for the
 * 4-bit bus, CMD16 (512-byte blocks) for byte-addressed cards.
 *
 * Two BCM2835 facts shape the register access:
 * - Its peripherals take 32-bit accesses only, so the 8- and 16-bit SDHCI
 *   registers are reached through the 32-bit word that holds them (e.g. the
 *   Transfer Mode and Command registers are written together; writing the
 *   word is what starts the command).
 * - The Arasan core may lose a register write that follows another less
 *   than two SD clock cycles later (the write crosses from the bus clock to
 *   the SD clock domain). Linux's and U-Boot's BCM2835 drivers wait after
 *   every write; so does emmc_write(), for two SD clocks plus 1 us. The Buffer
 *   Data Port is only read here, and reads are unaffected.
 */
#include "board/bcm2837/sdhci.h"
#include "board/bcm2837/gpio.h"
#include "board/bcm2837/mailbox.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"
#include "board/bcm2837/sd_decode.h"
#include "board/bcm2837/systimer.h"
#include "lib/printf.h"

/* ---- Registers ([HCS] chapter 2; [BCM] §5.4 names in brackets) ---- */

#define EMMC_BLKSIZECNT	  0x04 /* Block Size (004h) | Block Count (006h) << 16 [BLKSIZECNT] */
#define EMMC_ARG1	  0x08 /* Argument 1 (008h) [ARG1] */
#define EMMC_CMDTM	  0x0c /* Transfer Mode (00Ch) | Command (00Eh) << 16 [CMDTM] */
#define EMMC_RESP0	  0x10 /* Response (010h-01Fh) [RESP0-3] */
#define EMMC_DATA	  0x20 /* Buffer Data Port (020h) [DATA] */
#define EMMC_STATUS	  0x24 /* Present State (024h) [STATUS] */
#define EMMC_CONTROL0	  0x28 /* Host Control 1 (028h) | Power (029h) | Block Gap | Wakeup */
#define EMMC_CONTROL1	  0x2c /* Clock Control (02Ch) | Timeout Control | Software Reset */
#define EMMC_INTERRUPT	  0x30 /* Normal (030h) | Error (032h) Interrupt Status << 16 */
#define EMMC_IRPT_MASK	  0x34 /* Normal | Error Interrupt Status Enable (034h, 036h) */
#define EMMC_IRPT_EN	  0x38 /* Normal | Error Interrupt Signal Enable (038h, 03Ah) */
#define EMMC_CONTROL2	  0x3c /* Auto CMD Error Status (03Ch) | Host Control 2 << 16 */
#define EMMC_CAPABILITIES 0x40 /* Capabilities (040h), low word */
#define EMMC_SLOTISR_VER  0xfc /* Slot Interrupt Status (0FCh) | Host Controller Version << 16 */

/* Transfer Mode register (00Ch), the low half of CMDTM. */
#define TM_BLOCK_COUNT_ENABLE (1U << 1)
#define TM_AUTO_CMD12	      (1U << 2) /* Auto CMD Enable = 01b */
#define TM_READ		      (1U << 4) /* Data Transfer Direction Select: card to host */
#define TM_MULTI_BLOCK	      (1U << 5) /* Multi / Single Block Select */

/* Command register (00Eh), the high half of CMDTM. */
#define CMD_RESPONSE_NONE  (0U << 16) /* Response Type Select */
#define CMD_RESPONSE_136   (1U << 16)
#define CMD_RESPONSE_48	   (2U << 16)
#define CMD_RESPONSE_BUSY  (3U << 16) /* 48 bits, then the card holds DAT0 low while busy */
#define CMD_RESPONSE_MASK  (3U << 16)
#define CMD_CRC_CHECK	   (1U << 19) /* Command CRC Check Enable */
#define CMD_INDEX_CHECK	   (1U << 20) /* Command Index Check Enable */
#define CMD_DATA_PRESENT   (1U << 21) /* Data Present Select */
#define CMD_TYPE_ABORT	   (3U << 22) /* Command Type = Abort (CMD12) */
#define CMD_INDEX(n)	   ((uint32_t)(n) << 24)
#define CMD_INDEX_OF(word) (((word) >> 24) & 0x3fU)

/* Response types ([PLS] §4.9) as the checks the host can make on them ([HCS] table 2-10). */
#define RESP_R1	 (CMD_RESPONSE_48 | CMD_CRC_CHECK | CMD_INDEX_CHECK)
#define RESP_R1B (CMD_RESPONSE_BUSY | CMD_CRC_CHECK | CMD_INDEX_CHECK)
#define RESP_R2	 (CMD_RESPONSE_136 | CMD_CRC_CHECK) /* no index: the field reads 111111b */
#define RESP_R3	 CMD_RESPONSE_48		    /* OCR: neither CRC nor index */
#define RESP_R6	 RESP_R1
#define RESP_R7	 RESP_R1

/* The commands used ([PLS] §4.7.4, tables "Basic Commands", "Application Specific Commands"). */
#define GO_IDLE_STATE	     (CMD_INDEX(0) | CMD_RESPONSE_NONE)
#define ALL_SEND_CID	     (CMD_INDEX(2) | RESP_R2)
#define SEND_RELATIVE_ADDR   (CMD_INDEX(3) | RESP_R6)
#define SELECT_CARD	     (CMD_INDEX(7) | RESP_R1B)
#define SEND_IF_COND	     (CMD_INDEX(8) | RESP_R7)
#define SEND_CSD	     (CMD_INDEX(9) | RESP_R2)
#define STOP_TRANSMISSION    (CMD_INDEX(12) | RESP_R1B | CMD_TYPE_ABORT)
#define SET_BLOCKLEN	     (CMD_INDEX(16) | RESP_R1)
#define READ_SINGLE_BLOCK    (CMD_INDEX(17) | RESP_R1 | CMD_DATA_PRESENT)
#define READ_MULTIPLE_BLOCK  (CMD_INDEX(18) | RESP_R1 | CMD_DATA_PRESENT)
#define SEND_STATUS	     (CMD_INDEX(13) | RESP_R1)
#define WRITE_BLOCK	     (CMD_INDEX(24) | RESP_R1 | CMD_DATA_PRESENT)
#define WRITE_MULTIPLE_BLOCK (CMD_INDEX(25) | RESP_R1 | CMD_DATA_PRESENT)
#define APP_CMD		     (CMD_INDEX(55) | RESP_R1)
#define ACMD_SET_BUS_WIDTH   (CMD_INDEX(6) | RESP_R1)
#define ACMD_SD_SEND_OP_COND (CMD_INDEX(41) | RESP_R3)
#define ACMD_SEND_SCR	     (CMD_INDEX(51) | RESP_R1 | CMD_DATA_PRESENT)

/* CMD8 argument ([PLS] §4.3.13): VHS = 0001b (2.7-3.6 V) and a check pattern the card echoes. */
#define IF_COND_VHS_2V7_3V6 (1U << 8)
#define IF_COND_PATTERN	    0xaaU
#define IF_COND_ECHO_MASK   0xfffU
/* ACMD41 argument bit 30: HCS, the host supports high-capacity cards. */
#define OP_COND_HCS (1U << 30)
/* ACMD6 argument: bus width 10b = 4 bits. */
#define BUS_WIDTH_4 2U
/* R6 (CMD3): the card status bits 23, 22, 19, 12:0 squeezed into [15:0]; bit 13 is ERROR. */
#define R6_ERROR (1U << 13)

/* Present State register (024h). */
#define PRESENT_CMD_INHIBIT (1U << 0) /* Command Inhibit (CMD) */
#define PRESENT_DAT_INHIBIT (1U << 1) /* Command Inhibit (DAT) */

/* Host Control 1 (028h): Data Transfer Width, 1 = 4-bit mode. */
#define HC1_DATA_WIDTH_4BIT (1U << 1)

/* Clock Control (02Ch), Timeout Control (02Eh), Software Reset (02Fh) in CONTROL1. */
#define CLOCK_INTERNAL_ENABLE (1U << 0)
#define CLOCK_INTERNAL_STABLE (1U << 1)
#define CLOCK_SD_ENABLE	      (1U << 2)
#define TIMEOUT_TMCLK_2_27    (0xeU << 16) /* Data Timeout Counter Value: TMCLK x 2^27 */
#define RESET_ALL	      (1U << 24)   /* Software Reset For All */
#define RESET_CMD	      (1U << 25)   /* Software Reset For CMD Line */
#define RESET_DAT	      (1U << 26)   /* Software Reset For DAT Line */

/* Normal Interrupt Status (030h) and Error Interrupt Status (032h) in INTERRUPT. */
#define INT_CMD_COMPLETE       (1U << 0)
#define INT_TRANSFER_COMPLETE  (1U << 1)
#define INT_BUFFER_WRITE_READY (1U << 4)
#define INT_BUFFER_READ_READY  (1U << 5)
#define INT_ERROR	       (1U << 15) /* Error Interrupt: some bit of the upper half is set */
#define INT_ERRORS	       0xffff0000U
#define INT_ALL		       0xffffffffU
#define ERR_CMD_TIMEOUT	       (1U << 16)
#define ERR_CMD_CRC	       (1U << 17)
#define ERR_CMD_END_BIT	       (1U << 18)
#define ERR_CMD_INDEX	       (1U << 19)
#define ERR_DATA_TIMEOUT       (1U << 20)
#define ERR_DATA_CRC	       (1U << 21)
#define ERR_DATA_END_BIT       (1U << 22)
#define ERR_AUTO_CMD	       (1U << 24)

/* Capabilities (040h): Base Clock Frequency For SD Clock, in MHz (8 bits from 3.00, 6 before). */
#define CAPS_BASE_CLOCK_MHZ(caps, v3) (((caps) >> 8) & ((v3) ? 0xffU : 0x3fU))
/* Host Controller Version (0FEh): Specification Version Number, 2 = 3.00. */
#define HOST_VERSION_SPEC(word)	  (((word) >> 16) & 0xffU)
#define HOST_VERSION_VENDOR(word) (((word) >> 24) & 0xffU)
#define HOST_SPEC_300		  2U

/* ---- Clocks and time limits ---- */

#define IDENTIFICATION_CLOCK_HZ 400000U	  /* [PLS] §6.7: f_OD at most 400 kHz */
#define DATA_CLOCK_HZ		25000000U /* [PLS] §6.7: Default Speed, at most 25 MHz */
/* Used only if neither the firmware nor CAPABILITIES name the base clock. The higher guess
 * is the safe one: were the real clock lower, the card would just run slower. */
#define FALLBACK_BASE_CLOCK_HZ 250000000U

#define POWER_ON_DELAY_US  1000U   /* [PLS] §6.4.1: 74 clocks before CMD0; 185 us at 400 kHz */
#define RESET_TIMEOUT_US   100000U /* software reset and clock stabilisation */
#define COMMAND_TIMEOUT_US 100000U /* response within 64 clocks ([PLS] §4.12.4, N_CR) */
#define BLOCK_TIMEOUT_US   250000U /* read access at most 100 ms ([PLS] §4.6.2.1), with margin */
#define BUSY_TIMEOUT_US	   500000U /* R1b busy, Command Inhibit (DAT) */
/* Programming a written block: at most 250 ms (SDHC) or 500 ms (SDXC) ([PLS] §4.6.2.2). */
#define PROGRAM_TIMEOUT_US  1000000U
#define POWER_UP_TIMEOUT_US 1000000U /* ACMD41: initialisation within 1 s ([PLS] §4.2.3.1) */
#define POWER_UP_POLL_US    10000U
#define RCA_ATTEMPTS	    3U
/* The Block Count register has 16 bits: longer transfers take several commands. */
#define MAX_BLOCKS_PER_COMMAND SD_MAX_BLOCKS_PER_COMMAND

#define NO_COMMAND 0xffU

/* ---- State ---- */

struct sd_card {
	bool ready;
	bool version2;	    /* answered CMD8: Physical Layer 2.00 or later */
	bool high_capacity; /* OCR.CCS: SDHC/SDXC, addressed in blocks instead of bytes */
	bool bus_4bit;
	uint16_t rca;
	uint32_t ocr;
	struct sd_r2 cid, csd;
	uint64_t block_count;
};

struct sd_host {
	uint32_t version; /* Slot Interrupt Status / Host Controller Version word */
	uint32_t base_clock_hz;
	const char *base_clock_source;
	uint32_t sd_clock_hz;
	uint32_t write_delay_us;
};

/* The last failure, for sdhci_describe(). */
struct sd_failure {
	int error;	      /* negative enum sd_error, 0 if none */
	uint8_t command;      /* index, or NO_COMMAND */
	bool app;	      /* an application command (ACMDn) */
	const char *status;   /* the card status bit, for SD_ERR_CARD_STATUS */
	const char *activity; /* what the driver was doing */
};

/* One command to the card. */
struct command {
	uint32_t word;	     /* one of the command definitions above: index, response, flags */
	uint32_t arg;	     /* Argument 1 */
	bool app;	     /* an application command: CMD55 goes first */
	uint32_t mode;	     /* Transfer Mode bits, for commands with data */
	uint32_t blocks;     /* Block Count, for commands with data */
	uint32_t block_size; /* Block Size, for commands with data */
};

static struct sd_card card;
static struct sd_host host = {.write_delay_us = 6};
static struct sd_failure last_failure;
static bool init_attempted;
static const char *activity = "";

/* ---- Register access ---- */

static void delay_us(uint32_t us)
{
	/* One tick more: the 1 MHz counter may advance right after the first read. */
	uint64_t end = systimer_now_us() + us + 1;

	while (systimer_now_us() < end)
		continue;
}

static uint32_t emmc_read(uint32_t offset)
{
	return mmio_read32(EMMC_BASE + offset);
}

/* Every write waits two SD clocks (+1 us) for the Arasan's clock domain crossing (see top). */
static void emmc_write(uint32_t offset, uint32_t value)
{
	mmio_write32(EMMC_BASE + offset, value);
	delay_us(host.write_delay_us);
}

static void set_write_delay(uint32_t sd_clock_hz)
{
	uint32_t hz = sd_clock_hz ? sd_clock_hz : IDENTIFICATION_CLOCK_HZ;

	host.write_delay_us = (2000000U + hz - 1) / hz + 1;
}

/* ---- Errors ---- */

/* `c` is the command that failed, or NULL for a failure of no command (a reset, a request). */
static void record_failure(int error, const struct command *c, const char *status)
{
	last_failure = (struct sd_failure){
	    .error = error,
	    .command = c ? (uint8_t)CMD_INDEX_OF(c->word) : NO_COMMAND,
	    .app = c && c->app,
	    .status = status,
	    .activity = activity,
	};
}

/* The Error Interrupt Status bits, most telling first ([HCS] Error Interrupt Status, 032h). */
static const struct {
	uint32_t bit;
	int error;
} error_bits[] = {
    {ERR_CMD_TIMEOUT, -SD_ERR_CMD_TIMEOUT},   {ERR_CMD_CRC, -SD_ERR_CMD_CRC},
    {ERR_CMD_END_BIT, -SD_ERR_CMD_END_BIT},   {ERR_CMD_INDEX, -SD_ERR_CMD_INDEX},
    {ERR_DATA_TIMEOUT, -SD_ERR_DATA_TIMEOUT}, {ERR_DATA_CRC, -SD_ERR_DATA_CRC},
    {ERR_DATA_END_BIT, -SD_ERR_DATA_END_BIT}, {ERR_AUTO_CMD, -SD_ERR_AUTO_CMD12},
};

static int error_from_interrupt(uint32_t status)
{
	for (unsigned int i = 0; i < sizeof(error_bits) / sizeof(error_bits[0]); i++) {
		if (status & error_bits[i].bit)
			return error_bits[i].error;
	}
	return -SD_ERR_HOST;
}

/* Sets a Software Reset bit and waits for the controller to clear it ([HCS] 02Fh). */
static int software_reset(uint32_t reset_bit)
{
	uint32_t control1 = emmc_read(EMMC_CONTROL1) & ~(RESET_ALL | RESET_CMD | RESET_DAT);
	uint64_t deadline;

	emmc_write(EMMC_CONTROL1, control1 | reset_bit);
	deadline = systimer_now_us() + RESET_TIMEOUT_US;
	for (;;) {
		bool expired = systimer_now_us() > deadline;

		if (!(emmc_read(EMMC_CONTROL1) & reset_bit))
			return 0;
		if (expired)
			return -SD_ERR_RESET;
	}
}

/*
 * After an error the CMD and DAT state machines may be stuck mid-command:
 * reset both ([HCS] §3.10.1 "Error Interrupt Recovery"; each line on its
 * own, as the register takes one reset at a time in QEMU's model) and clear
 * the status, so the next command starts clean. The clock and bus settings
 * survive these resets.
 */
static void recover_lines(void)
{
	(void)software_reset(RESET_CMD);
	(void)software_reset(RESET_DAT);
	emmc_write(EMMC_INTERRUPT, INT_ALL);
}

/* ---- Waiting ---- */

/*
 * Waits until one of `bits` is set in Normal Interrupt Status, or an error
 * is. The bits seen are cleared (write 1 to clear). The deadline is read
 * before the register, so being held up (by an interrupt) between the two
 * can never turn a finished operation into a timeout.
 */
static int wait_for_interrupt(uint32_t bits, uint32_t timeout_us)
{
	uint64_t deadline = systimer_now_us() + timeout_us;

	for (;;) {
		bool expired = systimer_now_us() > deadline;
		uint32_t status = emmc_read(EMMC_INTERRUPT);

		if (status & (INT_ERROR | INT_ERRORS))
			return error_from_interrupt(status);
		if (status & bits) {
			emmc_write(EMMC_INTERRUPT, status & bits);
			return 0;
		}
		if (expired)
			return -SD_ERR_HOST_TIMEOUT;
	}
}

/* Waits until the given Present State bits are all clear. */
static int wait_present_clear(uint32_t bits, uint32_t timeout_us)
{
	uint64_t deadline = systimer_now_us() + timeout_us;

	for (;;) {
		bool expired = systimer_now_us() > deadline;

		if (!(emmc_read(EMMC_STATUS) & bits))
			return 0;
		if (expired)
			return -SD_ERR_BUSY;
	}
}

/* ---- Commands ([HCS] §3.7.1 "Transaction Control without Data Transfer Using DAT Line") ---- */

static bool uses_dat_line(uint32_t word)
{
	bool busy = (word & CMD_RESPONSE_MASK) == CMD_RESPONSE_BUSY;
	bool abort = (word & CMD_TYPE_ABORT) == CMD_TYPE_ABORT;

	/* An abort (CMD12) may be issued while a transfer holds the DAT line. */
	return ((word & CMD_DATA_PRESENT) || busy) && !abort;
}

static int issue(const struct command *c)
{
	uint32_t inhibit = PRESENT_CMD_INHIBIT | (uses_dat_line(c->word) ? PRESENT_DAT_INHIBIT : 0);
	int err = wait_present_clear(inhibit, BUSY_TIMEOUT_US);

	if (err)
		return err;
	emmc_write(EMMC_INTERRUPT, INT_ALL);
	if (c->word & CMD_DATA_PRESENT)
		emmc_write(EMMC_BLKSIZECNT, c->block_size | (c->blocks << 16));
	emmc_write(EMMC_ARG1, c->arg);
	/* Writing the Command half starts the command. */
	emmc_write(EMMC_CMDTM, c->word | c->mode);
	err = wait_for_interrupt(INT_CMD_COMPLETE, COMMAND_TIMEOUT_US);
	/* R1b: Command Inhibit (DAT) stays set while the card signals busy on DAT0. */
	if (!err && (c->word & CMD_RESPONSE_MASK) == CMD_RESPONSE_BUSY)
		err = wait_present_clear(PRESENT_DAT_INHIBIT, BUSY_TIMEOUT_US);
	return err;
}

static int command_r1(uint32_t word, uint32_t arg);

/*
 * Sends a command (CMD55 first for an application command: the card then
 * takes the next command as an ACMD); on failure records it and recovers the
 * controller. resp0 may be NULL.
 */
static int send_command(const struct command *c, uint32_t *resp0)
{
	int err = c->app ? command_r1(APP_CMD, (uint32_t)card.rca << 16) : 0;

	if (err)
		return err;
	err = issue(c);
	if (err) {
		record_failure(err, c, NULL);
		recover_lines();
		return err;
	}
	if (resp0)
		*resp0 = emmc_read(EMMC_RESP0);
	return 0;
}

/* Checks the card status of an R1/R1b response ([PLS] §4.10.1). */
static int check_status(const struct command *c, uint32_t status)
{
	if (status & SD_STATUS_ERRORS) {
		record_failure(-SD_ERR_CARD_STATUS, c, sd_status_error_name(status));
		return -SD_ERR_CARD_STATUS;
	}
	return 0;
}

/* A command with an R1 or R1b response, its card status checked. */
static int command_r1(uint32_t word, uint32_t arg)
{
	struct command c = {.word = word, .arg = arg};
	uint32_t status;
	int err = send_command(&c, &status);

	return err ? err : check_status(&c, status);
}

/* A 136-bit response (CID, CSD) from the four Response registers. */
static int command_r2(const struct command *c, struct sd_r2 *r2)
{
	int err = send_command(c, NULL);

	if (err)
		return err;
	for (unsigned int i = 0; i < 4; i++)
		r2->resp[i] = emmc_read(EMMC_RESP0 + 4 * i);
	return 0;
}

/* ---- Data ([HCS] §3.7.2 "Transaction Control with Data Transfer Using DAT Line", PIO) ---- */

/* Stores a word of the Buffer Data Port byte by byte: buf may have any alignment. */
static uint8_t *store_word(uint8_t *p, uint32_t word)
{
	p[0] = (uint8_t)word;
	p[1] = (uint8_t)(word >> 8);
	p[2] = (uint8_t)(word >> 16);
	p[3] = (uint8_t)(word >> 24);
	return p + 4;
}

/* Waits for Buffer Read Ready and empties one block from the Buffer Data Port. */
static int read_buffer(uint8_t *buf, uint32_t block_size)
{
	/* Clearing Buffer Read Ready before reading lets the next block's flag be seen. */
	int err = wait_for_interrupt(INT_BUFFER_READ_READY, BLOCK_TIMEOUT_US);

	if (err)
		return err;
	for (uint32_t i = 0; i < block_size / 4; i++)
		buf = store_word(buf, emmc_read(EMMC_DATA));
	return 0;
}

/* After a failed multi-block read the card is still sending: CMD12 stops it. */
static void stop_transmission(void)
{
	struct command c = {.word = STOP_TRANSMISSION};

	(void)issue(&c);
	recover_lines();
}

static int write_buffer(const uint8_t *buf, uint32_t block_size);
static int wait_programmed(void);

/*
 * The data phase of a command whose response has arrived: the blocks
 * through the Buffer Data Port, then Transfer Complete (which follows the
 * last block and the Auto CMD12 with its busy). After an error the card is
 * still sending or waiting for blocks: CMD12 ends a multi-block transfer
 * ([PLS] §4.3.3, §4.3.4). A write is done only once the card has
 * programmed it.
 */
static int data_phase(const struct command *c, uint8_t *buf, bool write)
{
	int err = 0;

	for (uint32_t i = 0; i < c->blocks && !err; i++) {
		uint8_t *block = buf + (size_t)i * c->block_size;

		err =
		    write ? write_buffer(block, c->block_size) : read_buffer(block, c->block_size);
	}
	if (!err)
		err = wait_for_interrupt(INT_TRANSFER_COMPLETE, BUSY_TIMEOUT_US);
	if (err) {
		record_failure(err, c, NULL);
		recover_lines();
		if (c->mode & TM_MULTI_BLOCK)
			stop_transmission();
		return err;
	}
	return write ? wait_programmed() : 0;
}

/* A read command and its data: the response's card status is checked before the data. */
static int read_command(const struct command *c, uint8_t *buf)
{
	uint32_t status;
	int err = send_command(c, &status);

	if (err)
		return err;
	err = check_status(c, status);
	if (err) {
		/* The card refused (no data will come); leave the DAT line idle for the next. */
		recover_lines();
		return err;
	}
	return data_phase(c, buf, false);
}

/* The command of a planned transfer (sd_plan_transfer) with its Transfer Mode bits. */
static struct command transfer_command(const struct sd_transfer *t, uint32_t count)
{
	static const uint32_t words[] = {READ_SINGLE_BLOCK, READ_MULTIPLE_BLOCK, WRITE_BLOCK,
					 WRITE_MULTIPLE_BLOCK};
	struct command c = {
	    .word = words[(t->write ? 2 : 0) + (t->multi_block ? 1 : 0)],
	    .arg = t->arg,
	    .mode = t->write ? 0 : TM_READ,
	    .blocks = count,
	    .block_size = SD_BLOCK_SIZE,
	};

	if (t->multi_block)
		c.mode |= TM_MULTI_BLOCK | TM_BLOCK_COUNT_ENABLE;
	if (t->auto_cmd12)
		c.mode |= TM_AUTO_CMD12;
	return c;
}

/* Reads `count` blocks (at most MAX_BLOCKS_PER_COMMAND) with CMD17 or CMD18 + Auto CMD12. */
static int read_blocks(uint64_t lba, uint32_t count, uint8_t *buf)
{
	struct sd_transfer t;
	struct command c;

	if (!sd_plan_transfer(lba, count, card.high_capacity, false, &t)) {
		record_failure(-SD_ERR_OUT_OF_RANGE, NULL, NULL);
		return -SD_ERR_OUT_OF_RANGE;
	}
	c = transfer_command(&t, count);
	return read_command(&c, buf);
}

/* ---- Writes ([HCS] §3.7.2.1 "Using PIO", host to card) ---- */

/* Takes a word for the Buffer Data Port byte by byte: buf may have any alignment. */
static const uint8_t *load_word(const uint8_t *p, uint32_t *word)
{
	*word = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return p + 4;
}

/*
 * Waits for Buffer Write Ready and fills one block into the Buffer Data
 * Port. The port is written without emmc_write's delay: the lost-write
 * hazard of the clock domain crossing concerns the control registers at
 * identification speed (Linux's sdhci-iproc delays only at 400 kHz and
 * below), and 128 delayed writes a block would cost more than the transfer.
 */
static int write_buffer(const uint8_t *buf, uint32_t block_size)
{
	int err = wait_for_interrupt(INT_BUFFER_WRITE_READY, BLOCK_TIMEOUT_US);

	if (err)
		return err;
	for (uint32_t i = 0; i < block_size / 4; i++) {
		uint32_t word;

		buf = load_word(buf, &word);
		mmio_write32(EMMC_BASE + EMMC_DATA, word);
	}
	return 0;
}

/*
 * CMD13 until the card has programmed what it received ([PLS] §4.3.4):
 * Transfer Complete only says the last block (and the busy of the Auto
 * CMD12) went over the bus; a card may still be in "prg".
 */
static int wait_programmed(void)
{
	struct command c = {.word = SEND_STATUS, .arg = (uint32_t)card.rca << 16};
	uint64_t deadline = systimer_now_us() + PROGRAM_TIMEOUT_US;

	for (;;) {
		bool expired = systimer_now_us() > deadline;
		uint32_t status;
		int err = send_command(&c, &status);

		if (err)
			return err;
		switch (sd_write_progress(status)) {
		case SD_WRITE_DONE:
			return 0;
		case SD_WRITE_FAILED:
			return check_status(&c, status);
		case SD_WRITE_LOST:
			record_failure(-SD_ERR_CARD_STATUS, &c, "not in the transfer state");
			return -SD_ERR_CARD_STATUS;
		case SD_WRITE_BUSY:
			break;
		}
		if (expired) {
			record_failure(-SD_ERR_PROGRAM_TIMEOUT, &c, NULL);
			return -SD_ERR_PROGRAM_TIMEOUT;
		}
	}
}

/* Writes `count` blocks (at most MAX_BLOCKS_PER_COMMAND) with CMD24 or CMD25 + Auto CMD12. */
static int write_blocks(uint64_t lba, uint32_t count, const uint8_t *buf)
{
	struct sd_transfer t;
	struct command c;
	uint32_t status;
	int err;

	if (!sd_plan_transfer(lba, count, card.high_capacity, true, &t)) {
		record_failure(-SD_ERR_OUT_OF_RANGE, NULL, NULL);
		return -SD_ERR_OUT_OF_RANGE;
	}
	c = transfer_command(&t, count);
	err = send_command(&c, &status);
	if (!err)
		err = check_status(&c, status);
	if (err) {
		recover_lines();
		return err;
	}
	/* data_phase only reads from buf when writing. */
	return data_phase(&c, (uint8_t *)(uintptr_t)buf, true);
}

/* ---- Bringing up the host ---- */

/*
 * GPIO 48-53 (CLK, CMD, DAT0-3) to ALT3, the Arasan controller ([BCM] §6.2);
 * the other choice, ALT0, is the SDHOST controller the firmware may have
 * left them on. CMD and DAT get pull-ups ([PLS] §6.3 bus topology), CLK none.
 * QEMU's GPIO model moves its card to the SDHCI when all six pins are inputs
 * and to the SDHOST when all are ALT0; ALT3 leaves the card where it is, on
 * the SDHCI it starts on.
 */
static int route_pins(void)
{
	for (unsigned int pin = 48; pin <= 53; pin++) {
		gpio_set_function(pin, GPIO_FUNC_ALT3);
		gpio_set_pull(pin, pin == 48 ? GPIO_PULL_NONE : GPIO_PULL_UP);
	}
	return 0;
}

/*
 * Software Reset For All, then status reporting without interrupts: the
 * Status Enable bits make events visible in INTERRUPT, the Signal Enable
 * bits stay 0 because the driver polls.
 */
static int reset_host(void)
{
	int err;

	emmc_write(EMMC_CONTROL1, 0);
	err = software_reset(RESET_ALL);
	if (err)
		return err;
	host.version = emmc_read(EMMC_SLOTISR_VER);
	host.sd_clock_hz = 0;
	set_write_delay(0);
	emmc_write(EMMC_CONTROL2, 0);
	emmc_write(EMMC_IRPT_EN, 0);
	emmc_write(EMMC_IRPT_MASK, INT_ERRORS | INT_CMD_COMPLETE | INT_TRANSFER_COMPLETE |
				       INT_BUFFER_READ_READY | INT_BUFFER_WRITE_READY);
	emmc_write(EMMC_INTERRUPT, INT_ALL);
	return 0;
}

/*
 * The clock the divisor divides. The firmware owns the EMMC clock and
 * reports its rate (mailbox clock id 1); CAPABILITIES' Base Clock Frequency
 * is a value fixed in the silicon that need not match what the firmware
 * programmed, so it is only the second choice. QEMU answers 50 MHz and
 * ignores clock settings altogether.
 */
static int choose_base_clock(void)
{
	bool v3 = HOST_VERSION_SPEC(host.version) >= HOST_SPEC_300;
	uint32_t caps_mhz = CAPS_BASE_CLOCK_MHZ(emmc_read(EMMC_CAPABILITIES), v3);
	uint32_t hz;

	if (mailbox_get_clock_rate(MAILBOX_CLOCK_EMMC, &hz) && hz != 0) {
		host.base_clock_hz = hz;
		host.base_clock_source = "firmware";
	} else if (caps_mhz != 0) {
		host.base_clock_hz = caps_mhz * 1000000U;
		host.base_clock_source = "capabilities";
	} else {
		host.base_clock_hz = FALLBACK_BASE_CLOCK_HZ;
		host.base_clock_source = "assumed";
	}
	return 0;
}

/* [HCS] §3.2.3 "SD Clock Frequency Change Sequence": stop SDCLK, divide, wait stable, start. */
static int set_sd_clock(uint32_t target_hz)
{
	bool ten_bit = HOST_VERSION_SPEC(host.version) >= HOST_SPEC_300;
	uint32_t divisor = sdhci_clock_divisor(host.base_clock_hz, target_hz, ten_bit);
	uint32_t control1 =
	    TIMEOUT_TMCLK_2_27 | sdhci_clock_divisor_field(divisor) | CLOCK_INTERNAL_ENABLE;
	uint64_t deadline;
	int err = wait_present_clear(PRESENT_CMD_INHIBIT | PRESENT_DAT_INHIBIT, BUSY_TIMEOUT_US);

	if (err)
		return err;
	emmc_write(EMMC_CONTROL1, emmc_read(EMMC_CONTROL1) &
				      ~(CLOCK_SD_ENABLE | RESET_ALL | RESET_CMD | RESET_DAT));
	emmc_write(EMMC_CONTROL1, control1);
	deadline = systimer_now_us() + RESET_TIMEOUT_US;
	for (;;) {
		bool expired = systimer_now_us() > deadline;

		if (emmc_read(EMMC_CONTROL1) & CLOCK_INTERNAL_STABLE)
			break;
		if (expired)
			return -SD_ERR_CLOCK;
	}
	emmc_write(EMMC_CONTROL1, control1 | CLOCK_SD_ENABLE);
	host.sd_clock_hz = sdhci_clock_hz(host.base_clock_hz, divisor);
	set_write_delay(host.sd_clock_hz);
	return 0;
}

static int start_identification_clock(void)
{
	int err = set_sd_clock(IDENTIFICATION_CLOCK_HZ);

	if (!err)
		delay_us(POWER_ON_DELAY_US);
	return err;
}

static int start_data_clock(void)
{
	return set_sd_clock(DATA_CLOCK_HZ);
}

/* ---- Identifying the card ([PLS] §4.2) ---- */

static int go_idle(void)
{
	struct command c = {.word = GO_IDLE_STATE};

	return send_command(&c, NULL);
}

/*
 * CMD8: a version 2.00 card echoes the voltage and check pattern; a version
 * 1.x card (or no card) does not answer — that is not an error yet.
 */
static int send_if_cond(void)
{
	struct command c = {.word = SEND_IF_COND, .arg = IF_COND_VHS_2V7_3V6 | IF_COND_PATTERN};
	uint32_t r7;
	int err = send_command(&c, &r7);

	card.version2 = false;
	if (err == -SD_ERR_CMD_TIMEOUT) {
		/* Expected from a version 1.x card: not the failure to report. */
		last_failure = (struct sd_failure){0};
		return 0;
	}
	if (err)
		return err;
	if ((r7 & IF_COND_ECHO_MASK) != (IF_COND_VHS_2V7_3V6 | IF_COND_PATTERN)) {
		record_failure(-SD_ERR_VOLTAGE, &c, NULL);
		return -SD_ERR_VOLTAGE;
	}
	card.version2 = true;
	return 0;
}

/* ACMD41 until OCR bit 31 says power-up is done; HCS only to a version 2.00 card. */
static int wait_power_up(void)
{
	struct command c = {
	    .word = ACMD_SD_SEND_OP_COND,
	    .arg = SD_OCR_VDD_2V7_3V6 | (card.version2 ? OP_COND_HCS : 0),
	    .app = true,
	};
	uint64_t deadline = systimer_now_us() + POWER_UP_TIMEOUT_US;

	for (;;) {
		bool expired = systimer_now_us() > deadline;
		uint32_t ocr;
		int err = send_command(&c, &ocr);

		/* Silence to CMD8 and to CMD55/ACMD41: nothing in the slot (or not an SD card). */
		if (err == -SD_ERR_CMD_TIMEOUT && !card.version2) {
			last_failure.error = -SD_ERR_NO_CARD;
			last_failure.command = NO_COMMAND; /* the words name both commands */
			return -SD_ERR_NO_CARD;
		}
		if (err)
			return err;
		if (ocr & SD_OCR_BUSY) {
			card.ocr = ocr;
			card.high_capacity = card.version2 && (ocr & SD_OCR_CCS);
			return 0;
		}
		if (expired) {
			record_failure(-SD_ERR_POWER_UP, &c, NULL);
			return -SD_ERR_POWER_UP;
		}
		delay_us(POWER_UP_POLL_US);
	}
}

/* CMD3: the card proposes a relative address; 0 is reserved, so ask again. */
static int get_relative_address(void)
{
	struct command c = {.word = SEND_RELATIVE_ADDR};

	for (unsigned int i = 0; i < RCA_ATTEMPTS; i++) {
		uint32_t r6;
		int err = send_command(&c, &r6);

		if (err)
			return err;
		if (r6 & R6_ERROR) {
			record_failure(-SD_ERR_CARD_STATUS, &c, "ERROR");
			return -SD_ERR_CARD_STATUS;
		}
		card.rca = (uint16_t)(r6 >> 16);
		if (card.rca != 0)
			return 0;
	}
	record_failure(-SD_ERR_NO_RCA, &c, NULL);
	return -SD_ERR_NO_RCA;
}

static int identify_card(void)
{
	struct command all_send_cid = {.word = ALL_SEND_CID};
	int err = go_idle();

	if (!err)
		err = send_if_cond();
	if (!err)
		err = wait_power_up();
	if (!err)
		err = command_r2(&all_send_cid, &card.cid);
	if (!err)
		err = get_relative_address();
	return err;
}

/* CMD9: the capacity, from a CSD of structure 1.0 (SDSC) or 2.0 (SDHC/SDXC). */
static int read_csd(void)
{
	struct command c = {.word = SEND_CSD, .arg = (uint32_t)card.rca << 16};
	int err = command_r2(&c, &card.csd);

	if (err)
		return err;
	if (!sd_csd_block_count(&card.csd, &card.block_count) || card.block_count == 0) {
		record_failure(-SD_ERR_UNSUPPORTED, &c, NULL);
		return -SD_ERR_UNSUPPORTED;
	}
	return 0;
}

static int select_card(void)
{
	return command_r1(SELECT_CARD, (uint32_t)card.rca << 16);
}

/* ACMD51: the 8-byte SCR, read through the data path like a tiny block. */
static int read_scr(uint64_t *scr)
{
	uint8_t bytes[8];
	struct command c = {
	    .word = ACMD_SEND_SCR,
	    .app = true,
	    .mode = TM_READ,
	    .blocks = 1,
	    .block_size = sizeof(bytes),
	};
	int err = read_command(&c, bytes);

	if (!err)
		*scr = sd_scr_from_bytes(bytes);
	return err;
}

/* 4-bit bus if the SCR says the card has it (every SD memory card should): ACMD6, then the host. */
static int configure_bus(void)
{
	struct command c = {.word = ACMD_SET_BUS_WIDTH, .arg = BUS_WIDTH_4, .app = true};
	uint64_t scr;
	uint32_t status;
	int err = read_scr(&scr);

	if (err || !sd_scr_supports_4bit(scr))
		return err;
	err = send_command(&c, &status);
	if (!err)
		err = check_status(&c, status);
	if (err)
		return err;
	emmc_write(EMMC_CONTROL0, emmc_read(EMMC_CONTROL0) | HC1_DATA_WIDTH_4BIT);
	card.bus_4bit = true;
	return 0;
}

/* SDSC cards read 2^READ_BL_LEN bytes per block unless told 512; SDHC/SDXC always use 512. */
static int set_block_length(void)
{
	return card.high_capacity ? 0 : command_r1(SET_BLOCKLEN, SD_BLOCK_SIZE);
}

/* ---- Public interface ---- */

static const struct {
	int (*run)(void);
	const char *activity;
} init_steps[] = {
    {route_pins, "routing GPIO 48-53"},
    {reset_host, "resetting the host controller"},
    {choose_base_clock, "finding the base clock"},
    {start_identification_clock, "starting the 400 kHz clock"},
    {identify_card, "identifying the card"},
    {read_csd, "reading the CSD"},
    {start_data_clock, "starting the 25 MHz clock"},
    {select_card, "selecting the card"},
    {configure_bus, "setting the 4-bit bus"},
    {set_block_length, "setting the block length"},
};

int sdhci_init(void)
{
	int err = 0;

	card = (struct sd_card){0};
	last_failure = (struct sd_failure){0};
	init_attempted = true;
	for (unsigned int i = 0; i < sizeof(init_steps) / sizeof(init_steps[0]) && !err; i++) {
		activity = init_steps[i].activity;
		err = init_steps[i].run();
		/* Failures outside a command (reset, clock) are recorded here. */
		if (err && last_failure.error == 0)
			record_failure(err, NULL, NULL);
	}
	activity = "reading";
	card.ready = err == 0;
	return err;
}

bool sdhci_ready(void)
{
	return card.ready;
}

uint64_t sdhci_block_count(void)
{
	return card.ready ? card.block_count : 0;
}

/* The same for reads and writes: the range checked, then commands of at most 65535 blocks. */
static int transfer(uint64_t lba, uint32_t count, uint8_t *buf, bool write)
{
	if (!card.ready)
		return -SD_ERR_NOT_INITIALISED;
	if (lba >= card.block_count || count > card.block_count - lba) {
		record_failure(-SD_ERR_OUT_OF_RANGE, NULL, NULL);
		return -SD_ERR_OUT_OF_RANGE;
	}
	activity = write ? "writing" : "reading";
	while (count > 0) {
		uint32_t n = count < MAX_BLOCKS_PER_COMMAND ? count : MAX_BLOCKS_PER_COMMAND;
		int err = write ? write_blocks(lba, n, buf) : read_blocks(lba, n, buf);

		if (err)
			return err;
		lba += n;
		count -= n;
		buf += (size_t)n * SD_BLOCK_SIZE;
	}
	return 0;
}

int sdhci_read(uint64_t lba, uint32_t count, void *buf)
{
	return transfer(lba, count, buf, false);
}

int sdhci_write(uint64_t lba, uint32_t count, const void *buf)
{
	/* transfer() only reads from buf when writing. */
	return transfer(lba, count, (uint8_t *)(uintptr_t)buf, true);
}

static const char *const error_words[SD_ERR_COUNT] = {
    [SD_OK] = "no error",
    [SD_ERR_NOT_INITIALISED] = "SD card not initialised",
    [SD_ERR_NO_CARD] = "no SD card (nothing answered CMD8 or CMD55)",
    [SD_ERR_CMD_TIMEOUT] = "command timeout (no response from the card)",
    [SD_ERR_CMD_CRC] = "command response CRC error",
    [SD_ERR_CMD_END_BIT] = "command response end bit error",
    [SD_ERR_CMD_INDEX] = "command response index error",
    [SD_ERR_DATA_TIMEOUT] = "data timeout (the card sent no data)",
    [SD_ERR_DATA_CRC] = "data CRC error",
    [SD_ERR_DATA_END_BIT] = "data end bit error",
    [SD_ERR_AUTO_CMD12] = "Auto CMD12 error (stopping a multi-block transfer failed)",
    [SD_ERR_HOST] = "host controller error",
    [SD_ERR_HOST_TIMEOUT] = "the host controller did not finish in time",
    [SD_ERR_RESET] = "the host controller did not come out of reset",
    [SD_ERR_CLOCK] = "the host controller's clock did not become stable",
    [SD_ERR_BUSY] = "the CMD/DAT lines stayed busy",
    [SD_ERR_VOLTAGE] = "the card rejected 3.3 V (CMD8 check pattern not echoed)",
    [SD_ERR_POWER_UP] = "the card did not finish powering up within 1 s (ACMD41)",
    [SD_ERR_NO_RCA] = "the card gave no relative address (CMD3)",
    [SD_ERR_UNSUPPORTED] = "unsupported card (unknown CSD structure)",
    [SD_ERR_CARD_STATUS] = "the card reported an error in its status",
    [SD_ERR_OUT_OF_RANGE] = "request beyond the end of the card",
    [SD_ERR_PROGRAM_TIMEOUT] = "the card did not finish programming a write within 1 s (CMD13)",
};

const char *sdhci_strerror(int err)
{
	int code = err < 0 ? -err : err;

	if (code >= SD_ERR_COUNT || !error_words[code])
		return "unknown SD error";
	return error_words[code];
}

static const char *card_type(void)
{
	/* SDXC is SDHC's addressing beyond 32 GiB ([PLS] §5.3.3). */
	if (card.high_capacity)
		return card.block_count > (32ULL << 30) / SD_BLOCK_SIZE ? "SDXC" : "SDHC";
	return card.version2 ? "SDSC (v2)" : "SDSC (v1)";
}

/* "CMD18", "ACMD41", or "" when the failure was not a command's. */
static void format_command(char *buf, size_t size, const struct sd_failure *f)
{
	if (f->command == NO_COMMAND)
		buf[0] = '\0';
	else
		fmt_snprintf(buf, size, " (%sCMD%u)", f->app ? "A" : "", f->command);
}

static void format_failure(char *buf, size_t size, const struct sd_failure *f)
{
	char command[16];

	format_command(command, sizeof(command), f);
	fmt_snprintf(buf, size, "%s%s%s%s, while %s", sdhci_strerror(f->error), command,
		     f->status ? ": " : "", f->status ? f->status : "", f->activity);
}

static void describe_card(char *buf, size_t size, const char *last)
{
	struct sd_cid cid;

	sd_decode_cid(&card.cid, &cid);
	fmt_snprintf(buf, size,
		     "%s card, %lu MiB (%lu blocks), %u-bit bus at %u kHz (base %u MHz, %s); "
		     "maker 0x%02x OEM '%s' product '%s' rev %u.%u serial 0x%08x made %u-%02u; "
		     "last error: %s",
		     card_type(), card.block_count / 2048, card.block_count, card.bus_4bit ? 4 : 1,
		     host.sd_clock_hz / 1000, host.base_clock_hz / 1000000, host.base_clock_source,
		     cid.manufacturer_id, cid.oem_id, cid.product_name, cid.revision_major,
		     cid.revision_minor, cid.serial, cid.year, cid.month, last);
}

void sdhci_describe(char *buf, size_t size)
{
	char failure[160] = "none";

	if (last_failure.error)
		format_failure(failure, sizeof(failure), &last_failure);
	if (!init_attempted)
		fmt_snprintf(buf, size, "SD card not initialised");
	else if (!card.ready)
		fmt_snprintf(buf, size, "no usable SD card: %s", failure);
	else
		describe_card(buf, size, failure);
}
