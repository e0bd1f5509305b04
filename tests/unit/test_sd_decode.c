/*
 * Unit tests for hv/board/bcm2837/sd_decode.c: the SD card registers (CID,
 * CSD, SCR, card status) as the SD host controller delivers them, and the
 * SD clock divisor.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "board/bcm2837/sd_decode.h"

/*
 * A 128-bit card register, most significant byte first (as on the wire), in
 * the host controller's Response register layout: bits [127:8] without the
 * CRC byte, RESP0 holding register bits [39:8].
 */
static struct sd_r2 r2_from_bytes(const uint8_t b[16])
{
	struct sd_r2 r2;

	r2.resp[0] = (uint32_t)b[11] << 24 | (uint32_t)b[12] << 16 | (uint32_t)b[13] << 8 | b[14];
	r2.resp[1] = (uint32_t)b[7] << 24 | (uint32_t)b[8] << 16 | (uint32_t)b[9] << 8 | b[10];
	r2.resp[2] = (uint32_t)b[3] << 24 | (uint32_t)b[4] << 16 | (uint32_t)b[5] << 8 | b[6];
	r2.resp[3] = (uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2];
	return r2;
}

/* Sets register bits [hi:lo] of a big-endian 16-byte register to value, bit by bit. */
static void set_bits(uint8_t b[16], unsigned int hi, unsigned int lo, uint32_t value)
{
	for (unsigned int bit = lo; bit <= hi; bit++) {
		unsigned int byte = 15 - bit / 8;
		uint8_t mask = (uint8_t)(1U << (bit % 8));

		if ((value >> (bit - lo)) & 1)
			b[byte] |= mask;
		else
			b[byte] &= (uint8_t)~mask;
	}
}

static void test_r2_bits_reads_fields_across_response_registers(void **state)
{
	uint8_t b[16] = {0};
	struct sd_r2 r2;

	(void)state;
	set_bits(b, 127, 120, 0xa5); /* the top byte, in RESP3 */
	set_bits(b, 73, 62, 0xabc);  /* C_SIZE of CSD 1.0: straddles RESP1 and RESP2 */
	set_bits(b, 55, 24, 0x12345678);
	set_bits(b, 15, 8, 0x5a); /* the lowest stored bits */
	r2 = r2_from_bytes(b);
	assert_int_equal(sd_r2_bits(&r2, 127, 120), 0xa5);
	assert_int_equal(sd_r2_bits(&r2, 73, 62), 0xabc);
	assert_int_equal(sd_r2_bits(&r2, 55, 24), 0x12345678);
	assert_int_equal(sd_r2_bits(&r2, 15, 8), 0x5a);
	assert_int_equal(sd_r2_bits(&r2, 23, 16), 0);
}

/* QEMU's card: MID 0xaa, OID "XY", PNM "QEMU!", PRV 0.1, PSN 0xdeadbeef, MDT 2006-02. */
static void test_cid_of_qemus_card(void **state)
{
	const uint8_t b[16] = {0xaa, 'X',  'Y',	 'Q',  'E',  'M',  'U',	 '!',
			       0x01, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x62, 0x01};
	struct sd_r2 r2 = r2_from_bytes(b);
	struct sd_cid cid;

	(void)state;
	sd_decode_cid(&r2, &cid);
	assert_int_equal(cid.manufacturer_id, 0xaa);
	assert_string_equal(cid.oem_id, "XY");
	assert_string_equal(cid.product_name, "QEMU!");
	assert_int_equal(cid.revision_major, 0);
	assert_int_equal(cid.revision_minor, 1);
	assert_int_equal(cid.serial, 0xdeadbeef);
	assert_int_equal(cid.year, 2006);
	assert_int_equal(cid.month, 2);
}

static void test_cid_names_with_unprintable_bytes_are_made_safe(void **state)
{
	const uint8_t b[16] = {0x03, 0x00, 'D', 'S', 'U', 0x0a, 0xff, '8', 0x80};
	struct sd_r2 r2 = r2_from_bytes(b);
	struct sd_cid cid;

	(void)state;
	sd_decode_cid(&r2, &cid);
	assert_string_equal(cid.oem_id, "?D");
	assert_string_equal(cid.product_name, "SU??8");
	assert_int_equal(cid.revision_major, 8);
	assert_int_equal(cid.revision_minor, 0);
}

static struct sd_r2 csd_v1(uint32_t read_bl_len, uint32_t c_size, uint32_t c_size_mult)
{
	uint8_t b[16] = {0};

	set_bits(b, 127, 126, 0);
	set_bits(b, 83, 80, read_bl_len);
	set_bits(b, 73, 62, c_size);
	set_bits(b, 49, 47, c_size_mult);
	return r2_from_bytes(b);
}

static void test_csd_v1_capacity(void **state)
{
	struct sd_r2 qemu_64mib = csd_v1(9, 255, 7);
	struct sd_r2 card_2gib = csd_v1(10, 4095, 7);
	struct sd_r2 small = csd_v1(9, 0, 0);
	uint64_t blocks = 0;

	(void)state;
	assert_int_equal(sd_csd_structure(&qemu_64mib), 0);
	assert_true(sd_csd_block_count(&qemu_64mib, &blocks));
	assert_int_equal(blocks, 131072); /* 256 * 2^9 blocks of 512 bytes: 64 MiB */
	assert_true(sd_csd_block_count(&card_2gib, &blocks));
	assert_int_equal(blocks, 4194304); /* 1024-byte READ_BL_LEN: 2 GiB in 512-byte blocks */
	assert_true(sd_csd_block_count(&small, &blocks));
	assert_int_equal(blocks, 4);
}

static void test_csd_v1_with_a_reserved_block_length_is_refused(void **state)
{
	struct sd_r2 r8 = csd_v1(8, 100, 3), r12 = csd_v1(12, 100, 3);
	uint64_t blocks = 0;

	(void)state;
	assert_false(sd_csd_block_count(&r8, &blocks));
	assert_false(sd_csd_block_count(&r12, &blocks));
}

/* A real 32 GB SDHC card's CSD (structure 1 = CSD 2.0, C_SIZE 0xedc8). */
static void test_csd_v2_capacity(void **state)
{
	const uint8_t b[16] = {0x40, 0x0e, 0x00, 0x32, 0x5b, 0x59, 0x00, 0x00,
			       0xed, 0xc8, 0x7f, 0x80, 0x0a, 0x40, 0x40, 0x00};
	struct sd_r2 r2 = r2_from_bytes(b);
	uint8_t top[16] = {0};
	uint64_t blocks = 0;

	(void)state;
	assert_int_equal(sd_csd_structure(&r2), 1);
	assert_true(sd_csd_block_count(&r2, &blocks));
	assert_int_equal(blocks, (0xedc8ULL + 1) * 1024);
	/* C_SIZE is 22 bits: the largest SDXC card, 2 TiB. */
	set_bits(top, 127, 126, 1);
	set_bits(top, 69, 48, 0x3fffff);
	r2 = r2_from_bytes(top);
	assert_true(sd_csd_block_count(&r2, &blocks));
	assert_int_equal(blocks, 0x400000ULL * 1024);
}

static void test_csd_v3_and_reserved_structures_are_refused(void **state)
{
	uint8_t b[16] = {0};
	struct sd_r2 r2;
	uint64_t blocks = 0;

	(void)state;
	for (uint32_t structure = 2; structure <= 3; structure++) {
		set_bits(b, 127, 126, structure);
		set_bits(b, 69, 48, 1000);
		r2 = r2_from_bytes(b);
		assert_false(sd_csd_block_count(&r2, &blocks));
	}
}

static void test_scr_bus_widths(void **state)
{
	/* SCR_STRUCTURE 0, SD_SPEC 2; SD_BUS_WIDTHS 0101b (1 and 4 bits) or 0001b (1 bit). */
	const uint8_t four_bit[8] = {0x02, 0x35, 0x80, 0x00, 0, 0, 0, 0};
	const uint8_t one_bit[8] = {0x02, 0x31, 0x80, 0x00, 0, 0, 0, 0};

	(void)state;
	assert_int_equal(sd_scr_from_bytes(four_bit), 0x0235800000000000ULL);
	assert_true(sd_scr_supports_4bit(sd_scr_from_bytes(four_bit)));
	assert_false(sd_scr_supports_4bit(sd_scr_from_bytes(one_bit)));
}

static void test_card_status_errors_are_named(void **state)
{
	(void)state;
	/* READY_FOR_DATA, state "tran", APP_CMD: no error. */
	assert_null(sd_status_error_name((1U << 8) | (4U << 9) | (1U << 5)));
	/* ILLEGAL_COMMAND and COM_CRC_ERROR concern the previous command: not counted. */
	assert_null(sd_status_error_name((1U << 22) | (1U << 23)));
	assert_string_equal(sd_status_error_name(SD_STATUS_OUT_OF_RANGE | SD_STATUS_ADDRESS_ERROR),
			    "OUT_OF_RANGE");
	assert_string_equal(sd_status_error_name(SD_STATUS_ADDRESS_ERROR), "ADDRESS_ERROR");
	assert_string_equal(sd_status_error_name(1U << 19), "ERROR");
	assert_string_equal(sd_status_error_name(1U << 21), "CARD_ECC_FAILED");
	assert_int_equal(SD_STATUS_STATE(4U << 9), 4);
	for (unsigned int bit = 0; bit < 32; bit++) {
		uint32_t status = 1U << bit;
		bool named = sd_status_error_name(status) != NULL;

		assert_int_equal(named, (status & SD_STATUS_ERRORS) != 0);
	}
}

static void test_clock_divisor_10_bit(void **state)
{
	(void)state;
	/* QEMU's firmware answer (50 MHz): 400 kHz needs N = 63 (396.8 kHz), 25 MHz N = 1. */
	assert_int_equal(sdhci_clock_divisor(50000000, 400000, true), 63);
	assert_int_equal(sdhci_clock_hz(50000000, 63), 396825);
	assert_int_equal(sdhci_clock_divisor(50000000, 25000000, true), 1);
	/* A 200 MHz or 250 MHz EMMC clock on a real Pi. */
	assert_int_equal(sdhci_clock_divisor(200000000, 25000000, true), 4);
	assert_int_equal(sdhci_clock_divisor(250000000, 25000000, true), 5);
	assert_int_equal(sdhci_clock_divisor(250000000, 400000, true), 313);
	/* A base at or below the target: undivided. */
	assert_int_equal(sdhci_clock_divisor(25000000, 25000000, true), 0);
	assert_int_equal(sdhci_clock_hz(25000000, 0), 25000000);
	/* Slower than the slowest possible: the largest divisor. */
	assert_int_equal(sdhci_clock_divisor(250000000, 1000, true), 1023);
	assert_int_equal(sdhci_clock_divisor(250000000, 0, true), 1023);
}

static void test_clock_divisor_8_bit_is_a_power_of_two(void **state)
{
	(void)state;
	assert_int_equal(sdhci_clock_divisor(50000000, 400000, false), 64);
	assert_int_equal(sdhci_clock_divisor(50000000, 25000000, false), 1);
	assert_int_equal(sdhci_clock_divisor(200000000, 25000000, false), 4);
	assert_int_equal(sdhci_clock_divisor(250000000, 25000000, false), 8);
	assert_int_equal(sdhci_clock_divisor(250000000, 400000, false), 128);
}

static void test_clock_divisor_never_exceeds_the_target(void **state)
{
	const uint32_t bases[] = {41666666, 50000000, 52000000, 100000000, 200000000, 250000000};
	const uint32_t targets[] = {400000, 1000000, 12500000, 20000000, 25000000, 50000000};

	(void)state;
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		for (size_t j = 0; j < sizeof(targets) / sizeof(targets[0]); j++) {
			for (int ten_bit = 0; ten_bit <= 1; ten_bit++) {
				uint32_t n = sdhci_clock_divisor(bases[i], targets[j], ten_bit);
				uint32_t hz = sdhci_clock_hz(bases[i], n);

				/* Too fast only when even the largest divisor is not enough. */
				assert_true(hz <= targets[j] || n == (ten_bit ? 1023U : 128U));
				/* Fastest such clock: one step less division would be too fast. */
				if (ten_bit && n > 1)
					assert_true(sdhci_clock_hz(bases[i], n - 1) > targets[j]);
			}
		}
	}
}

static void test_clock_divisor_field_layout(void **state)
{
	(void)state;
	/* Bits 15:8 the low 8 bits of N, bits 7:6 its upper 2 bits. */
	assert_int_equal(sdhci_clock_divisor_field(0), 0);
	assert_int_equal(sdhci_clock_divisor_field(63), 0x3f00);
	assert_int_equal(sdhci_clock_divisor_field(313), 0x3940);
	assert_int_equal(sdhci_clock_divisor_field(1023), 0xffc0);
}

/* The command for each transfer shape, and its argument by card addressing ([PLS] §4.3.14). */
static void test_transfer_commands_and_arguments(void **state)
{
	struct sd_transfer t;

	(void)state;
	assert_true(sd_plan_transfer(100, 1, true, false, &t));
	assert_int_equal(t.command, 17);
	assert_false(t.multi_block || t.auto_cmd12 || t.write);
	assert_int_equal(t.arg, 100);
	assert_true(sd_plan_transfer(100, 8, true, false, &t));
	assert_int_equal(t.command, 18);
	assert_true(t.multi_block && t.auto_cmd12);
	assert_true(sd_plan_transfer(7, 1, true, true, &t));
	assert_int_equal(t.command, 24);
	assert_true(t.write && !t.multi_block && !t.auto_cmd12);
	assert_true(sd_plan_transfer(7, 65535, true, true, &t));
	assert_int_equal(t.command, 25);
	assert_true(t.multi_block && t.auto_cmd12);
	/* An SDSC card takes a byte address. */
	assert_true(sd_plan_transfer(3, 2, false, true, &t));
	assert_int_equal(t.arg, 3 * 512);
}

static void test_transfers_that_do_not_fit_a_command_are_refused(void **state)
{
	struct sd_transfer t;

	(void)state;
	assert_false(sd_plan_transfer(0, 0, true, true, &t));
	assert_false(sd_plan_transfer(0, 65536, true, false, &t));
	/* Block numbers above 32 bits, and byte addresses past 4 GiB on SDSC. */
	assert_false(sd_plan_transfer(1ULL << 32, 1, true, true, &t));
	assert_true(sd_plan_transfer(0xffffffffULL, 1, true, true, &t));
	assert_false(sd_plan_transfer(8388608, 1, false, false, &t));
	assert_true(sd_plan_transfer(8388607, 1, false, false, &t));
	assert_int_equal(t.arg, 8388607U * 512);
}

/* CMD13 answers while a write is programmed ([PLS] §4.10.1: CURRENT_STATE 12:9). */
static void test_write_is_done_only_in_tran_and_ready(void **state)
{
	const uint32_t tran = 4U << 9, rcv = 6U << 9, prg = 7U << 9, stby = 3U << 9;

	(void)state;
	assert_int_equal(sd_write_progress(tran | SD_STATUS_READY_FOR_DATA), SD_WRITE_DONE);
	assert_int_equal(sd_write_progress(tran), SD_WRITE_BUSY);
	assert_int_equal(sd_write_progress(prg), SD_WRITE_BUSY);
	assert_int_equal(sd_write_progress(rcv | SD_STATUS_READY_FOR_DATA), SD_WRITE_BUSY);
	assert_int_equal(sd_write_progress(stby | SD_STATUS_READY_FOR_DATA), SD_WRITE_LOST);
	/* An error bit wins over the state: WP_VIOLATION (26), CARD_ECC_FAILED (21). */
	assert_int_equal(sd_write_progress(tran | SD_STATUS_READY_FOR_DATA | (1U << 26)),
			 SD_WRITE_FAILED);
	assert_int_equal(sd_write_progress(prg | (1U << 21)), SD_WRITE_FAILED);
	/* COM_CRC_ERROR (23) and ILLEGAL_COMMAND (22) are the previous command's. */
	assert_int_equal(sd_write_progress(tran | SD_STATUS_READY_FOR_DATA | (3U << 22)),
			 SD_WRITE_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_r2_bits_reads_fields_across_response_registers),
	    cmocka_unit_test(test_cid_of_qemus_card),
	    cmocka_unit_test(test_cid_names_with_unprintable_bytes_are_made_safe),
	    cmocka_unit_test(test_csd_v1_capacity),
	    cmocka_unit_test(test_csd_v1_with_a_reserved_block_length_is_refused),
	    cmocka_unit_test(test_csd_v2_capacity),
	    cmocka_unit_test(test_csd_v3_and_reserved_structures_are_refused),
	    cmocka_unit_test(test_scr_bus_widths),
	    cmocka_unit_test(test_card_status_errors_are_named),
	    cmocka_unit_test(test_clock_divisor_10_bit),
	    cmocka_unit_test(test_clock_divisor_8_bit_is_a_power_of_two),
	    cmocka_unit_test(test_clock_divisor_never_exceeds_the_target),
	    cmocka_unit_test(test_clock_divisor_field_layout),
	    cmocka_unit_test(test_transfer_commands_and_arguments),
	    cmocka_unit_test(test_transfers_that_do_not_fit_a_command_are_refused),
	    cmocka_unit_test(test_write_is_done_only_in_tran_and_ready),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
