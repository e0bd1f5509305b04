#include "board/bcm2837/sd_decode.h"

#include <stddef.h>

/* The host controller drops the 8 CRC bits: register bit n is stored at bit n - 8. */
#define R2_DROPPED_BITS 8U

uint32_t sd_r2_bits(const struct sd_r2 *r2, unsigned int hi, unsigned int lo)
{
	unsigned int width = hi - lo + 1;
	unsigned int first = lo - R2_DROPPED_BITS;
	unsigned int word = first / 32;
	uint64_t pair = r2->resp[word];

	/* A field may straddle two response registers. */
	if (word + 1 < 4)
		pair |= (uint64_t)r2->resp[word + 1] << 32;
	pair >>= first % 32;
	return width >= 32 ? (uint32_t)pair : (uint32_t)(pair & ((1ULL << width) - 1));
}

/* The card's name fields are outside input: show anything unprintable as '?'. */
static char printable(uint32_t c)
{
	return (c >= 0x20 && c < 0x7f) ? (char)c : '?';
}

void sd_decode_cid(const struct sd_r2 *r2, struct sd_cid *cid)
{
	uint32_t prv = sd_r2_bits(r2, 63, 56);

	cid->manufacturer_id = (uint8_t)sd_r2_bits(r2, 127, 120);
	cid->oem_id[0] = printable(sd_r2_bits(r2, 119, 112));
	cid->oem_id[1] = printable(sd_r2_bits(r2, 111, 104));
	cid->oem_id[2] = '\0';
	/* PNM [103:64]: five characters, the first in the highest byte. */
	for (unsigned int i = 0; i < 5; i++) {
		unsigned int hi = 103 - 8 * i;
		cid->product_name[i] = printable(sd_r2_bits(r2, hi, hi - 7));
	}
	cid->product_name[5] = '\0';
	cid->revision_major = (uint8_t)(prv >> 4);
	cid->revision_minor = (uint8_t)(prv & 0xf);
	cid->serial = sd_r2_bits(r2, 55, 24);
	cid->year = (uint16_t)(2000 + sd_r2_bits(r2, 19, 12));
	cid->month = (uint8_t)sd_r2_bits(r2, 11, 8);
}

unsigned int sd_csd_structure(const struct sd_r2 *csd)
{
	return sd_r2_bits(csd, 127, 126);
}

/* CSD 1.0 ([PLS] §5.3.2): (C_SIZE + 1) * 2^(C_SIZE_MULT + 2) blocks of 2^READ_BL_LEN bytes. */
static bool csd_v1_block_count(const struct sd_r2 *csd, uint64_t *blocks)
{
	uint32_t read_bl_len = sd_r2_bits(csd, 83, 80);
	uint32_t c_size = sd_r2_bits(csd, 73, 62);
	uint32_t c_size_mult = sd_r2_bits(csd, 49, 47);
	uint64_t bytes;

	/* Only 512, 1024 and 2048-byte blocks are defined; others are reserved values. */
	if (read_bl_len < 9 || read_bl_len > 11)
		return false;
	bytes = ((uint64_t)c_size + 1) << (c_size_mult + 2) << read_bl_len;
	*blocks = bytes / 512;
	return true;
}

/* CSD 2.0 ([PLS] §5.3.3): (C_SIZE + 1) * 512 KiB, that is 1024 blocks per unit. */
static bool csd_v2_block_count(const struct sd_r2 *csd, uint64_t *blocks)
{
	uint32_t c_size = sd_r2_bits(csd, 69, 48);

	*blocks = ((uint64_t)c_size + 1) * 1024;
	return true;
}

bool sd_csd_block_count(const struct sd_r2 *csd, uint64_t *blocks)
{
	switch (sd_csd_structure(csd)) {
	case 0:
		return csd_v1_block_count(csd, blocks);
	case 1:
		return csd_v2_block_count(csd, blocks);
	default:
		return false;
	}
}

uint64_t sd_scr_from_bytes(const uint8_t bytes[8])
{
	uint64_t scr = 0;

	for (unsigned int i = 0; i < 8; i++)
		scr = (scr << 8) | bytes[i];
	return scr;
}

bool sd_scr_supports_4bit(uint64_t scr)
{
	/* SD_BUS_WIDTHS is SCR [51:48]; its bit 2 stands for "4 bit (DAT0-3)". */
	return (scr >> 50) & 1;
}

/* The names of the card status bits the driver counts as errors, highest bit first. */
static const struct {
	uint32_t bit;
	const char *name;
} status_errors[] = {
    {1U << 31, "OUT_OF_RANGE"},	      {1U << 30, "ADDRESS_ERROR"},
    {1U << 29, "BLOCK_LEN_ERROR"},    {1U << 28, "ERASE_SEQ_ERROR"},
    {1U << 27, "ERASE_PARAM"},	      {1U << 26, "WP_VIOLATION"},
    {1U << 24, "LOCK_UNLOCK_FAILED"}, {1U << 21, "CARD_ECC_FAILED"},
    {1U << 20, "CC_ERROR"},	      {1U << 19, "ERROR"},
};

const char *sd_status_error_name(uint32_t status)
{
	for (size_t i = 0; i < sizeof(status_errors) / sizeof(status_errors[0]); i++) {
		if (status & status_errors[i].bit)
			return status_errors[i].name;
	}
	return NULL;
}

uint32_t sdhci_clock_divisor(uint32_t base_hz, uint32_t target_hz, bool ten_bit)
{
	const uint32_t max = ten_bit ? 1023 : 128;
	uint64_t n;

	if (target_hz == 0)
		return max;
	if (base_hz <= target_hz)
		return 0;
	/* Round up: never faster than asked. */
	n = ((uint64_t)base_hz + 2ULL * target_hz - 1) / (2ULL * target_hz);
	if (!ten_bit) {
		uint64_t p = 1;

		while (p < n)
			p <<= 1;
		n = p;
	}
	return n > max ? max : (uint32_t)n;
}

uint32_t sdhci_clock_hz(uint32_t base_hz, uint32_t divisor)
{
	return divisor == 0 ? base_hz : base_hz / (2 * divisor);
}

uint32_t sdhci_clock_divisor_field(uint32_t divisor)
{
	return ((divisor & 0xffU) << 8) | (((divisor >> 8) & 0x3U) << 6);
}

bool sd_plan_transfer(uint64_t lba, uint32_t count, bool high_capacity, bool write,
		      struct sd_transfer *t)
{
	uint64_t address = high_capacity ? lba : lba * 512U;

	if (count == 0 || count > SD_MAX_BLOCKS_PER_COMMAND || address > UINT32_MAX ||
	    (!high_capacity && lba > UINT32_MAX))
		return false;
	t->multi_block = count > 1;
	t->auto_cmd12 = t->multi_block;
	t->write = write;
	t->arg = (uint32_t)address;
	if (write)
		t->command = t->multi_block ? 25 : 24;
	else
		t->command = t->multi_block ? 18 : 17;
	return true;
}

/* CURRENT_STATE values of [PLS] §4.10.1 (table "Card Status", bits 12:9). */
#define STATE_RCV 6U
#define STATE_PRG 7U

enum sd_write_progress sd_write_progress(uint32_t status)
{
	unsigned int state = SD_STATUS_STATE(status);

	if (status & SD_STATUS_ERRORS)
		return SD_WRITE_FAILED;
	if (state == STATE_RCV || state == STATE_PRG)
		return SD_WRITE_BUSY;
	if (state != SD_STATE_TRAN)
		return SD_WRITE_LOST;
	return (status & SD_STATUS_READY_FOR_DATA) ? SD_WRITE_DONE : SD_WRITE_BUSY;
}
