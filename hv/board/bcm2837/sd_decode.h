#pragma once
/*
 * The pure part of the SD driver: decoding what the card says (its OCR, CID,
 * CSD and SCR registers and the card status in R1 responses) and the host
 * controller's clock divisor arithmetic. No register access, so the host unit
 * tests (tests/unit/test_sd_decode.c) cover every field.
 *
 * References:
 *   [PLS] SD Specifications Part 1, Physical Layer Simplified Specification
 *         (Version 3.01 or later): §4.9 responses, §4.10.1 card status,
 *         §5.1 OCR, §5.2 CID, §5.3 CSD, §5.6 SCR.
 *   [HCS] SD Specifications Part A2, SD Host Controller Simplified
 *         Specification Version 3.00: Clock Control register (offset 02Ch).
 */
#include <stdbool.h>
#include <stdint.h>

/*
 * A 136-bit response (R2: CID or CSD) as the host controller stores it: the
 * four Response registers hold bits [127:8] of the card register, without
 * the CRC ([HCS] Response register, table "Response bit definition"), so
 * register bit n is bit n - 8 of the 120-bit value. resp[0] holds the lowest
 * bits (RESP0 / offset 010h).
 */
struct sd_r2 {
	uint32_t resp[4];
};

/* Bits [hi:lo] of a card register in an R2 response (hi - lo < 32, lo >= 8). */
uint32_t sd_r2_bits(const struct sd_r2 *r2, unsigned int hi, unsigned int lo);

/* OCR ([PLS] §5.1): returned by ACMD41 in R3. */
#define SD_OCR_BUSY	   (1U << 31) /* "Card power up status bit": 1 = initialisation done */
#define SD_OCR_CCS	   (1U << 30) /* Card Capacity Status: 1 = SDHC/SDXC, block addressed */
#define SD_OCR_VDD_2V7_3V6 0x00ff8000U

/* Card identification ([PLS] §5.2). */
struct sd_cid {
	uint8_t manufacturer_id; /* MID, assigned by the SD-3C */
	char oem_id[3];		 /* OID: two ASCII characters */
	char product_name[6];	 /* PNM: five ASCII characters */
	uint8_t revision_major;	 /* PRV: BCD n.m */
	uint8_t revision_minor;
	uint32_t serial; /* PSN */
	uint16_t year;	 /* MDT: 2000 + y */
	uint8_t month;	 /* MDT: 1-12 */
};
void sd_decode_cid(const struct sd_r2 *r2, struct sd_cid *cid);

/*
 * Capacity from the CSD ([PLS] §5.3): in 512-byte blocks. CSD version 1.0
 * (SDSC) and 2.0 (SDHC/SDXC) are understood; anything else (3.0 = SDUC, or
 * reserved) gives false. A version 1.0 capacity uses READ_BL_LEN, C_SIZE and
 * C_SIZE_MULT; a version 2.0 capacity is (C_SIZE + 1) * 512 KiB.
 */
bool sd_csd_block_count(const struct sd_r2 *csd, uint64_t *blocks);
unsigned int sd_csd_structure(const struct sd_r2 *csd);

/*
 * The SCR ([PLS] §5.6) as it arrives from ACMD51: 8 bytes, most significant
 * first. Returned as a 64-bit value with SCR bit n at bit n.
 */
uint64_t sd_scr_from_bytes(const uint8_t bytes[8]);
/* SD_BUS_WIDTHS bit 2 (SCR bit 50): the card supports the 4-bit data bus. */
bool sd_scr_supports_4bit(uint64_t scr);

/*
 * Card status ([PLS] §4.10.1, R1/R1b responses). The driver treats as errors
 * the bits the card sets while executing *this* command (type "X"):
 * OUT_OF_RANGE, ADDRESS_ERROR, BLOCK_LEN_ERROR, ERASE_SEQ_ERROR, ERASE_PARAM,
 * WP_VIOLATION, LOCK_UNLOCK_FAILED, CARD_ECC_FAILED, CC_ERROR, ERROR.
 * COM_CRC_ERROR and ILLEGAL_COMMAND describe the *previous* command (which
 * the host already saw fail) and are not counted again.
 */
#define SD_STATUS_OUT_OF_RANGE	(1U << 31)
#define SD_STATUS_ADDRESS_ERROR (1U << 30)
#define SD_STATUS_ERRORS	0xfd380000U
#define SD_STATUS_STATE(s)	(((s) >> 9) & 0xfU) /* CURRENT_STATE */
/* The name of the highest error bit set in `status`, or NULL if none. */
const char *sd_status_error_name(uint32_t status);

/*
 * SDCLK Frequency Select ([HCS] Clock Control register): the divisor N such
 * that base / (2N) is the fastest clock not above `target_hz` (N = 0 means
 * the base clock itself). Host controller version 3.00 has a 10-bit N (any
 * value up to 1023, "10-bit Divided Clock Mode"); versions 1.00/2.00 have an
 * 8-bit N that must be a power of two (or 0). A target below the slowest
 * possible clock gets the largest divisor.
 */
uint32_t sdhci_clock_divisor(uint32_t base_hz, uint32_t target_hz, bool ten_bit);
/* The SD clock a divisor gives. */
uint32_t sdhci_clock_hz(uint32_t base_hz, uint32_t divisor);
/* The divisor in the Clock Control layout: bits 15:8 low 8 bits, bits 7:6 upper 2 bits. */
uint32_t sdhci_clock_divisor_field(uint32_t divisor);

/*
 * Planning one data transfer of `count` blocks (1..65535, the Block Count
 * register's 16 bits) at block `lba`: which command ([PLS] §4.7.4 "Block
 * oriented read/write commands": CMD17 READ_SINGLE_BLOCK, CMD18
 * READ_MULTIPLE_BLOCK, CMD24 WRITE_BLOCK, CMD25 WRITE_MULTIPLE_BLOCK) and
 * its argument: a block number for SDHC/SDXC, a byte address for SDSC
 * ([PLS] §4.3.14). A multi-block transfer is ended by the host's Auto CMD12
 * ([HCS] Transfer Mode, Auto CMD Enable) right after the last block, so the
 * card never sees more blocks than asked. False if the address does not fit
 * the 32-bit argument or count is 0 or too large.
 */
#define SD_MAX_BLOCKS_PER_COMMAND 0xffffU
struct sd_transfer {
	uint8_t command; /* 17, 18, 24 or 25 */
	uint32_t arg;
	bool multi_block; /* Multi / Single Block Select, Block Count Enable */
	bool auto_cmd12;  /* Auto CMD12 after the last block */
	bool write;	  /* Data Transfer Direction Select = host to card */
};
bool sd_plan_transfer(uint64_t lba, uint32_t count, bool high_capacity, bool write,
		      struct sd_transfer *t);

/*
 * After a write's data is sent the card programs it: the write is on the
 * card only when a CMD13 (SEND_STATUS) card status says READY_FOR_DATA
 * (bit 8) in the "tran" state ([PLS] §4.3.4 "Data Write", §4.10.1: states
 * rcv = 6 and prg = 7 mean it is still receiving or programming). An error
 * bit in the status is a failed write.
 */
#define SD_STATUS_READY_FOR_DATA (1U << 8)
#define SD_STATE_TRAN		 4U
enum sd_write_progress {
	SD_WRITE_DONE,	 /* tran and ready: the data is on the card */
	SD_WRITE_BUSY,	 /* still receiving or programming: ask again */
	SD_WRITE_FAILED, /* an error bit of the status (sd_status_error_name) */
	SD_WRITE_LOST,	 /* an unexpected state (idle, stby...): the card lost the transfer */
};
enum sd_write_progress sd_write_progress(uint32_t status);
