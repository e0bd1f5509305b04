/*
 * Unit tests for hv/vdev/bcm2837/mailbox.c: the mailbox registers and the
 * property channel — every answered tag, unknown tags, truncation, and
 * corrupt buffers, which must never cause a write outside the buffer and
 * must always terminate.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fake_vdev_host.h"
#include "vdev/bcm2837/intc.h"
#include "vdev/bcm2837/mailbox.h"
#include "vdev_test_util.h"

#define MAIL0_READ   0x00
#define MAIL0_PEEK   0x10
#define MAIL0_SENDER 0x14
#define MAIL0_STATUS 0x18
#define MAIL0_CONFIG 0x1c
#define MAIL1_WRITE  0x20
#define MAIL1_STATUS 0x38
#define MAIL1_CONFIG 0x3c

#define FULL	 (1U << 31)
#define EMPTY	 (1U << 30)
#define PROPERTY 8U

#define CODE_SUCCESS 0x80000000U
#define CODE_ERROR   0x80000001U
#define TAG_RESPONSE 0x80000000U

#define RAM_SIZE (4U << 20)
#define BUF	 0x1000U /* where most tests put their buffer */

static struct vmailbox mbox;
static uint32_t arm_lines;

static int setup(void **state)
{
	(void)state;
	fake_host_reset(RAM_SIZE);
	arm_lines = 0;
	vmailbox_init(&mbox, fake_vm(), &arm_lines);
	return 0;
}

static uint32_t rd(uint64_t offset)
{
	return vdev_test_read(vmailbox_read, &mbox, offset);
}

static void wr(uint64_t offset, uint32_t value)
{
	vdev_test_write(vmailbox_write, &mbox, offset, value);
}

static uint32_t ram_word(uint64_t ipa)
{
	uint32_t word;

	memcpy(&word, fake_host.ram + ipa, 4);
	return word;
}

static void put_words(uint64_t ipa, const uint32_t *words, size_t n)
{
	if (n == 0)
		return; /* words may be NULL */
	memcpy(fake_host.ram + ipa, words, n * 4);
}

/* The offset of the first byte in [from, to) that lost the fill pattern, or `to`. */
static uint64_t first_change(uint64_t from, uint64_t to)
{
	static uint8_t fill[4096];

	memset(fill, FAKE_RAM_FILL, sizeof(fill));
	while (from < to) {
		uint64_t n = to - from < sizeof(fill) ? to - from : sizeof(fill);

		if (memcmp(fake_host.ram + from, fill, n) != 0) {
			while (fake_host.ram[from] == FAKE_RAM_FILL)
				from++;
			return from;
		}
		from += n;
	}
	return to;
}

/* Every byte of RAM outside [ipa, ipa + size) still holds the fill pattern. */
static void assert_untouched_outside(uint64_t ipa, uint64_t size)
{
	uint64_t end = ipa + size < fake_host.ram_size ? ipa + size : fake_host.ram_size;
	uint64_t changed = first_change(0, ipa);

	if (changed == ipa)
		changed = first_change(end, fake_host.ram_size);
	if (changed != ipa && changed != fake_host.ram_size)
		fail_msg("RAM byte 0x%llx changed outside [0x%llx, +0x%llx)",
			 (unsigned long long)changed, (unsigned long long)ipa,
			 (unsigned long long)size);
}

static void refill_ram(void)
{
	memset(fake_host.ram, FAKE_RAM_FILL, fake_host.ram_size);
}

/* Sends a message and checks it comes back as the answer. */
static void call(uint32_t message)
{
	assert_int_equal(rd(MAIL1_STATUS) & FULL, 0);
	wr(MAIL1_WRITE, message);
	assert_int_equal(rd(MAIL0_STATUS) & EMPTY, 0);
	assert_int_equal(rd(MAIL0_READ), message);
	assert_int_equal(rd(MAIL0_STATUS), EMPTY);
}

static void call_property(uint64_t ipa)
{
	call((uint32_t)ipa | PROPERTY);
}

/*
 * Builds a one-tag buffer at BUF: size, code 0, the tag with a value buffer
 * of value_bytes (padded to words) holding args, the end tag. Returns the
 * buffer size. The value buffer beyond args is filled with 0xcc.
 */
static uint32_t one_tag(uint32_t tag, uint32_t value_bytes, const uint32_t *args, size_t nargs)
{
	uint32_t value_words = (value_bytes + 3) / 4;
	uint32_t size = (3 + 3 + value_words) * 4;
	uint32_t header[5] = {size, 0, tag, value_bytes, 0};

	refill_ram();
	put_words(BUF, header, 5);
	memset(fake_host.ram + BUF + 20, 0xcc, value_words * 4);
	put_words(BUF + 20, args, nargs);
	memset(fake_host.ram + BUF + 20 + value_words * 4, 0, 4); /* end tag */
	return size;
}

/* Sends a one-tag request, checks success and the tag's response length. */
static void ask(uint32_t tag, uint32_t value_bytes, const uint32_t *args, size_t nargs,
		uint32_t response_bytes)
{
	uint32_t size = one_tag(tag, value_bytes, args, nargs);

	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_SUCCESS);
	assert_int_equal(ram_word(BUF + 8), tag);
	assert_int_equal(ram_word(BUF + 12), value_bytes);
	assert_int_equal(ram_word(BUF + 16), TAG_RESPONSE | response_bytes);
	assert_untouched_outside(BUF, size);
}

static uint32_t value_word(unsigned int i)
{
	return ram_word(BUF + 20 + 4 * i);
}

/* --- Registers ------------------------------------------------------------ */

static void test_reset_status(void **state)
{
	(void)state;
	assert_int_equal(rd(MAIL0_STATUS), EMPTY);
	assert_int_equal(rd(MAIL1_STATUS), EMPTY);
	assert_int_equal(rd(MAIL0_READ), 0); /* empty reads 0 */
	assert_int_equal(rd(MAIL0_PEEK), 0);
	assert_int_equal(rd(MAIL0_SENDER), 0);
	assert_int_equal(rd(MAIL0_CONFIG), 0);
}

static void test_other_channel_echoed_untouched(void **state)
{
	(void)state;
	call(BUF | 1); /* legacy framebuffer channel */
	call(BUF | 0);
	assert_int_equal(mbox.other_channel, 2);
	assert_int_equal(mbox.requests, 0);
	assert_untouched_outside(0, 0);
}

static void test_queue_order_peek_and_full(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < VMAILBOX_DEPTH; i++) {
		assert_int_equal(rd(MAIL1_STATUS), EMPTY);
		wr(MAIL1_WRITE, (i << 4) | 1);
	}
	assert_int_equal(rd(MAIL0_STATUS), FULL);
	assert_int_equal(rd(MAIL1_STATUS), FULL);
	wr(MAIL1_WRITE, 0xf1); /* no room for the answer: ignored */
	assert_int_equal(mbox.dropped_writes, 1);
	assert_int_equal(rd(MAIL0_PEEK), 0x01);
	assert_int_equal(rd(MAIL0_PEEK), 0x01);
	for (uint32_t i = 0; i < VMAILBOX_DEPTH; i++)
		assert_int_equal(rd(MAIL0_READ), (i << 4) | 1);
	assert_int_equal(rd(MAIL0_STATUS), EMPTY);
}

static void test_data_interrupt(void **state)
{
	uint32_t bit = 1U << VINTC_ARM_MAILBOX;

	(void)state;
	wr(MAIL1_WRITE, 0x11);
	assert_int_equal(arm_lines & bit, 0); /* not enabled */
	wr(MAIL0_CONFIG, 1);
	assert_int_equal(rd(MAIL0_CONFIG), 1);
	assert_int_equal(arm_lines & bit, bit);
	(void)rd(MAIL0_READ);
	assert_int_equal(arm_lines & bit, 0);
	wr(MAIL1_WRITE, 0x21);
	assert_int_equal(arm_lines & bit, bit);
	wr(MAIL0_CONFIG, 0);
	assert_int_equal(arm_lines & bit, 0);
	/* Other lines of the bitmap are left alone. */
	arm_lines |= 1U;
	wr(MAIL0_CONFIG, 1);
	assert_int_equal(arm_lines, 1U | bit);
}

static void test_register_accesses(void **state)
{
	uint64_t value;

	(void)state;
	wr(MAIL1_CONFIG, 0xffffffff);
	assert_int_equal(rd(MAIL1_CONFIG), 0x7);
	wr(MAIL0_STATUS, 0); /* read-only */
	assert_int_equal(rd(MAIL0_STATUS), EMPTY);
	assert_int_equal(vmailbox_read(&mbox, 0x04, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vmailbox_write(&mbox, 0x24, 4, 1), MMIO_UNHANDLED);
	assert_int_equal(vmailbox_write(&mbox, MAIL1_WRITE, 1, BUF | PROPERTY), MMIO_ERROR);
	assert_int_equal(vmailbox_write(&mbox, MAIL1_WRITE, 8, BUF | PROPERTY), MMIO_ERROR);
	assert_int_equal(vmailbox_read(&mbox, MAIL0_READ + 2, 4, &value), MMIO_ERROR);
	assert_int_equal(mbox.requests, 0);
	assert_int_equal(rd(MAIL0_STATUS), EMPTY);
}

/* --- Tags ----------------------------------------------------------------- */

static void test_firmware_and_board(void **state)
{
	(void)state;
	ask(0x00000001, 4, NULL, 0, 4);
	assert_int_equal(value_word(0), 0x5fee6600);
	ask(0x00010001, 4, NULL, 0, 4);
	assert_int_equal(value_word(0), 0);
	ask(0x00010002, 4, NULL, 0, 4);
	assert_int_equal(value_word(0), 0xa02082);
	assert_int_equal(mbox.requests, 3);
	assert_int_equal(mbox.errors, 0);
}

static void test_board_mac_is_local_and_per_vm(void **state)
{
	static const uint8_t expected[] = {0xba, 0x27, 0xeb, 0x00, 0x01, 0x02};

	(void)state;
	fake_host.vm_id = 0x102;
	ask(0x00010003, 8, NULL, 0, 6);
	assert_memory_equal(fake_host.ram + BUF + 20, expected, 6);
	assert_true(fake_host.ram[BUF + 20] & 0x02);	 /* locally administered */
	assert_false(fake_host.ram[BUF + 20] & 0x01);	 /* unicast */
	assert_int_equal(fake_host.ram[BUF + 26], 0xcc); /* padding untouched */
}

static void test_board_serial(void **state)
{
	(void)state;
	fake_host.vm_id = 3;
	ask(0x00010004, 8, NULL, 0, 8);
	assert_int_equal(value_word(0), 0x61560003);
	assert_int_equal(value_word(1), 0);
}

static void test_memory_split(void **state)
{
	(void)state;
	ask(0x00010005, 8, NULL, 0, 8);
	assert_int_equal(value_word(0), 0);
	assert_int_equal(value_word(1), RAM_SIZE);
	ask(0x00010006, 8, NULL, 0, 8);
	assert_int_equal(value_word(0), RAM_SIZE);
	assert_int_equal(value_word(1), 0);
}

static void test_clock_rates(void **state)
{
	static const struct {
		uint32_t id, hz;
	} clocks[] = {{1, 200000000}, {2, 48000000}, {3, 1200000000}, {4, 250000000},
		      {5, 0},	      {0, 0},	     {99, 0}};
	static const uint32_t rate_tags[] = {0x00030002, 0x00030004, 0x00030007};

	(void)state;
	for (size_t c = 0; c < sizeof(clocks) / sizeof(clocks[0]); c++) {
		for (size_t t = 0; t < 3; t++) {
			ask(rate_tags[t], 8, &clocks[c].id, 1, 8);
			assert_int_equal(value_word(0), clocks[c].id);
			assert_int_equal(value_word(1), clocks[c].hz);
		}
	}
}

static void test_set_clock_rate_reports_fixed_rate(void **state)
{
	const uint32_t args[] = {3, 600000000, 0}; /* ARM to 600 MHz, skip turbo 0 */

	(void)state;
	ask(0x00038002, 12, args, 3, 8);
	assert_int_equal(value_word(0), 3);
	assert_int_equal(value_word(1), 1200000000);
}

static void test_clock_state(void **state)
{
	const uint32_t core = 4, v3d = 5;
	const uint32_t stop_core[] = {4, 0};

	(void)state;
	ask(0x00030001, 8, &core, 1, 8);
	assert_int_equal(value_word(1), 1); /* on, exists */
	ask(0x00030001, 8, &v3d, 1, 8);
	assert_int_equal(value_word(1), 2); /* off, does not exist */
	ask(0x00038001, 8, stop_core, 2, 8);
	assert_int_equal(value_word(1), 1); /* clocks stay on */
}

static void test_power_state(void **state)
{
	const uint32_t sd = 0, usb = 3, missing = 20;
	const uint32_t usb_off[] = {3, 0}, usb_on_wait[] = {3, 3}, missing_on[] = {20, 1};

	(void)state;
	ask(0x00020001, 8, &usb, 1, 8);
	assert_int_equal(value_word(0), 3);
	assert_int_equal(value_word(1), 1);
	ask(0x00028001, 8, usb_off, 2, 8);
	assert_int_equal(value_word(1), 0);
	ask(0x00020001, 8, &usb, 1, 8);
	assert_int_equal(value_word(1), 0);
	ask(0x00020001, 8, &sd, 1, 8);
	assert_int_equal(value_word(1), 1); /* others unaffected */
	ask(0x00028001, 8, usb_on_wait, 2, 8);
	assert_int_equal(value_word(1), 1); /* on, exists: the wait bit is not a state */
	ask(0x00020001, 8, &missing, 1, 8);
	assert_int_equal(value_word(1), 2);
	ask(0x00028001, 8, missing_on, 2, 8);
	assert_int_equal(value_word(1), 2);
	ask(0x00020002, 8, &usb, 1, 8);
	assert_int_equal(value_word(0), 3);
	assert_int_equal(value_word(1), 0); /* no wait */
}

static void test_dma_and_command_line(void **state)
{
	(void)state;
	ask(0x00060001, 4, NULL, 0, 4);
	assert_int_equal(value_word(0), 0);
	ask(0x00050001, 16, NULL, 0, 1);
	assert_int_equal(fake_host.ram[BUF + 20], 0);
	assert_int_equal(fake_host.ram[BUF + 21], 0xcc);
}

static void test_framebuffer_says_no_display(void **state)
{
	const uint32_t size[] = {1024, 768};
	const uint32_t alignment = 4096, depth = 32;

	(void)state;
	ask(0x00040003, 8, NULL, 0, 8); /* get physical size */
	assert_int_equal(value_word(0), 0);
	assert_int_equal(value_word(1), 0);
	ask(0x00048003, 8, size, 2, 8); /* set physical size */
	assert_int_equal(value_word(0), 0);
	ask(0x00048005, 4, &depth, 1, 4);
	assert_int_equal(value_word(0), 0);
	ask(0x00040001, 8, &alignment, 1, 8); /* allocate */
	assert_int_equal(value_word(0), 0);
	assert_int_equal(value_word(1), 0);
	ask(0x00040008, 4, NULL, 0, 4); /* pitch */
	assert_int_equal(value_word(0), 0);
	ask(0x0004000a, 16, NULL, 0, 16); /* overscan */
	ask(0x00048001, 0, NULL, 0, 0);	  /* release */
	ask(0x0004800b, 12, size, 2, 4);  /* set palette: invalid */
	assert_int_equal(value_word(0), 1);
}

static void test_get_palette_fills_value_buffer(void **state)
{
	(void)state;
	ask(0x0004000b, 1024, NULL, 0, 1024);
	for (unsigned int i = 0; i < 256; i++)
		assert_int_equal(value_word(i), 0);
}

static void test_unknown_tag_not_answered(void **state)
{
	const uint32_t buf[] = {
	    12 * 4,	0, 0x00030006, 8, TAG_RESPONSE | 8, 0x11, 0x22, /* temperature: unknown */
	    0x00010002, 4, 0,	       0,				/* board revision */
	    0,
	};

	(void)state;
	put_words(BUF, buf, 12);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_SUCCESS);
	assert_int_equal(ram_word(BUF + 16), 0); /* no response bit */
	assert_int_equal(ram_word(BUF + 20), 0x11);
	assert_int_equal(ram_word(BUF + 24), 0x22);
	assert_int_equal(ram_word(BUF + 36), TAG_RESPONSE | 4);
	assert_int_equal(ram_word(BUF + 40), 0xa02082);
	assert_int_equal(mbox.unsupported, 1);
	assert_untouched_outside(BUF, 48);
}

static void test_several_tags_in_one_buffer(void **state)
{
	const uint32_t buf[] = {
	    17 * 4,	0, 0x00010005, 8, 0, 0, 0, /* ARM memory */
	    0x00030002, 8, 0,	       2, 0,	   /* UART clock */
	    0x00010001, 4, 0,	       0,	   /* model */
	    0,
	};

	(void)state;
	put_words(BUF, buf, 17);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_SUCCESS);
	assert_int_equal(ram_word(BUF + 24), RAM_SIZE);
	assert_int_equal(ram_word(BUF + 36), TAG_RESPONSE | 8);
	assert_int_equal(ram_word(BUF + 44), 48000000);
	assert_int_equal(ram_word(BUF + 56), TAG_RESPONSE | 4);
	assert_untouched_outside(BUF, 68);
}

static void test_short_value_buffer_truncates(void **state)
{
	(void)state;
	/* The MAC needs 6 bytes; the buffer has 4. The length says 6. */
	ask(0x00010003, 4, NULL, 0, 6);
	assert_int_equal(value_word(0), 0x00eb27ba);
	/* A clock request with no room: the id reads as 0, nothing is written. */
	ask(0x00030002, 0, NULL, 0, 8);
	assert_int_equal(ram_word(BUF + 20), 0); /* the end tag */
}

static void test_bus_alias_bits_ignored(void **state)
{
	(void)state;
	one_tag(0x00010002, 4, NULL, 0);
	call(0xc0000000U | BUF | PROPERTY);
	assert_int_equal(value_word(0), 0xa02082);
	one_tag(0x00010002, 4, NULL, 0);
	call(0x40000000U | BUF | PROPERTY);
	assert_int_equal(value_word(0), 0xa02082);
}

/* --- Corrupt buffers ------------------------------------------------------- */

/*
 * Sends a buffer whose header says `size`, followed by an end tag (so only
 * the size can be wrong); expects the error code and no other write.
 */
static void expect_refused(uint32_t size)
{
	uint32_t words[3] = {size, 0, 0};
	uint64_t errors = mbox.errors;

	refill_ram();
	put_words(BUF, words, 3);
	call_property(BUF);
	assert_int_equal(ram_word(BUF), size);
	assert_int_equal(ram_word(BUF + 4), CODE_ERROR);
	assert_int_equal(ram_word(BUF + 8), 0);
	assert_untouched_outside(BUF, 12);
	assert_int_equal(mbox.errors, errors + 1);
}

static void test_bad_sizes_refused(void **state)
{
	(void)state;
	expect_refused(0);
	expect_refused(4);
	expect_refused(8);
	expect_refused(13);
	expect_refused(0xfffffff0);
	expect_refused(VMAILBOX_MAX_BUFFER + 16); /* inside RAM, but too big */
	expect_refused(RAM_SIZE - BUF + 16);	  /* past the end of RAM */
	expect_refused(0xffffffff);
	/* The smallest and the largest valid sizes are accepted. */
	const uint32_t smallest[3] = {12, 0, 0};
	put_words(BUF, smallest, 3);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_SUCCESS);
	const uint32_t largest[3] = {VMAILBOX_MAX_BUFFER, 0, 0};
	put_words(BUF, largest, 3);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_SUCCESS);
}

static void test_buffer_crossing_end_of_ram(void **state)
{
	const uint32_t header[2] = {32, 0};
	const uint64_t ipa = RAM_SIZE - 16;

	(void)state;
	put_words(ipa, header, 2);
	call_property(ipa);
	assert_int_equal(ram_word(ipa + 4), CODE_ERROR);
	assert_untouched_outside(ipa, 8);
}

static void test_header_outside_ram(void **state)
{
	(void)state;
	call(0x3f000000U | PROPERTY);	   /* a peripheral address */
	call((RAM_SIZE - 0x0) | PROPERTY); /* just past RAM */
	call(0xfffffff0U | PROPERTY);	   /* 0x3ffffff0 after alias masking */
	assert_untouched_outside(0, 0);
	assert_int_equal(mbox.errors, 3);
	assert_int_equal(mbox.requests, 3);
}

static void test_misaligned_buffer_is_not_a_property_request(void **state)
{
	(void)state;
	one_tag(0x00010002, 4, NULL, 0);
	/* A buffer at BUF + 4 cannot be expressed: the low bits are the channel. */
	call((BUF + 4) | PROPERTY); /* channel 0xc */
	assert_int_equal(mbox.requests, 0);
	assert_int_equal(ram_word(BUF + 4), 0);
}

static void test_tag_overrunning_buffer(void **state)
{
	const uint32_t buf[] = {
	    8 * 4,	0,  0x00010002, 4, 0, 0, /* board revision: fits */
	    0x00010005, 16,			 /* ARM memory: 16 bytes do not fit */
	};

	(void)state;
	put_words(BUF, buf, 8);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_ERROR);
	assert_int_equal(ram_word(BUF + 20), 0xa02082); /* partial response */
	assert_int_equal(ram_word(BUF + 24), 0x00010005);
	assert_untouched_outside(BUF, 32);
}

static void test_tag_header_overrunning_buffer(void **state)
{
	const uint32_t buf[] = {4 * 4, 0, 0x00010002, 4};

	(void)state;
	put_words(BUF, buf, 4);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_ERROR);
	assert_untouched_outside(BUF, 16);
}

static void test_tag_value_size_all_ones(void **state)
{
	const uint32_t buf[] = {8 * 4, 0, 0x00010005, 0xffffffff, 0, 0, 0, 0};

	(void)state;
	put_words(BUF, buf, 8);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_ERROR);
	assert_int_equal(ram_word(BUF + 16), 0);
	assert_untouched_outside(BUF, 32);
}

/* 341 unknown tags with empty value buffers fill the 1023 words after the header. */
#define ZERO_TAGS 341U
static uint32_t zero_tags[2 + 3 * ZERO_TAGS + 1];

static void test_zero_size_tags_terminate(void **state)
{
	const uint32_t words = 2 + 3 * ZERO_TAGS;

	(void)state;
	for (uint32_t i = 2; i < words; i += 3) {
		zero_tags[i] = 0x00099999;
		zero_tags[i + 1] = 0;
		zero_tags[i + 2] = 0;
	}
	/* No room left for an end tag: refused after walking every tag once. */
	zero_tags[0] = words * 4;
	put_words(BUF, zero_tags, words);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_ERROR);
	assert_untouched_outside(BUF, words * 4);
	assert_int_equal(mbox.unsupported, ZERO_TAGS);

	/* One more word for the end tag: success. */
	zero_tags[0] = (words + 1) * 4;
	zero_tags[words] = 0;
	put_words(BUF, zero_tags, words + 1);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_SUCCESS);
}

static void test_missing_end_tag(void **state)
{
	const uint32_t buf[] = {6 * 4, 0, 0x00010002, 4, 0, 0};

	(void)state;
	put_words(BUF, buf, 6);
	call_property(BUF);
	assert_int_equal(ram_word(BUF + 4), CODE_ERROR);
	assert_int_equal(ram_word(BUF + 20), 0xa02082); /* answered before the end was missed */
	assert_untouched_outside(BUF, 24);
}

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1664525U + 1013904223U;
	return *seed;
}

#define RANDOM_MAX_WORDS 64

/* A plausible buffer: real and unknown tags with mostly small value sizes, usually an end tag. */
static uint32_t random_buffer(uint32_t *seed, uint32_t *w)
{
	static const uint32_t ids[] = {0x00010003, 0x00010005, 0x00030002, 0x00040001,
				       0x00050001, 0x00028001, 0x12345678, 0x0004000b};
	uint32_t n = 2;

	while (n + 3 < RANDOM_MAX_WORDS && next_random(seed) % 5 != 0) {
		uint32_t r = next_random(seed);
		uint32_t value_bytes = r % 7 == 0 ? next_random(seed) : r % 33;

		w[n++] = ids[next_random(seed) % 8];
		w[n++] = value_bytes;
		w[n++] = 0;
		for (uint32_t k = 0; k < (value_bytes + 3) / 4 && n < RANDOM_MAX_WORDS; k++)
			w[n++] = next_random(seed);
	}
	if (n < RANDOM_MAX_WORDS && next_random(seed) % 8 != 0)
		w[n++] = 0;
	w[0] = n * 4;
	w[1] = 0;
	return n;
}

/* Sometimes corrupts the declared size or one word. */
static void mutate(uint32_t *seed, uint32_t *w, uint32_t n)
{
	switch (next_random(seed) % 6) {
	case 0:
		w[0] = next_random(seed); /* a wild size */
		break;
	case 1:
		w[0] = 4 * (next_random(seed) % (n + 4)); /* shorter or longer */
		break;
	case 2:
		w[2 + next_random(seed) % (n - 2)] = next_random(seed);
		break;
	default:
		break;
	}
}

/*
 * Whatever the content, nothing outside the declared buffer (or, when the
 * declared size is refused, outside the header) changes, and every request
 * terminates. The generator is deterministic, so a failure can be replayed.
 */
#define SMALL_RAM_SIZE (64U << 10) /* keeps 2000 rounds of snapshots fast */
static uint8_t snapshot[SMALL_RAM_SIZE];

/* RAM outside [ipa, ipa + size) is as it was when the snapshot was taken. */
static void assert_same_outside(uint64_t ipa, uint64_t size)
{
	uint64_t end = ipa + size < SMALL_RAM_SIZE ? ipa + size : SMALL_RAM_SIZE;

	assert_memory_equal(fake_host.ram, snapshot, ipa);
	assert_memory_equal(fake_host.ram + end, snapshot + end, SMALL_RAM_SIZE - end);
}

static void test_random_buffers_stay_inside(void **state)
{
	uint32_t seed = 12345;
	unsigned int answered = 0;

	(void)state;
	fake_host_reset(SMALL_RAM_SIZE);
	vmailbox_init(&mbox, fake_vm(), &arm_lines);
	for (int round = 0; round < 2000; round++) {
		uint32_t w[RANDOM_MAX_WORDS];
		uint64_t ipa = BUF + 16 * (next_random(&seed) % 64);
		uint32_t n = random_buffer(&seed, w);

		mutate(&seed, w, n);
		refill_ram();
		put_words(ipa, w, n);
		memcpy(snapshot, fake_host.ram, SMALL_RAM_SIZE);
		call_property(ipa);
		if (w[0] >= 12 && w[0] <= VMAILBOX_MAX_BUFFER && w[0] % 4 == 0)
			assert_same_outside(ipa, w[0]);
		else
			assert_same_outside(ipa, 8);
		if (ram_word(ipa + 4) == CODE_SUCCESS)
			answered++;
		else
			assert_int_equal(ram_word(ipa + 4), CODE_ERROR);
	}
	assert_int_equal(mbox.requests, 2000);
	/* Both outcomes were exercised. */
	assert_true(answered > 200 && mbox.errors > 200);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, fake_host_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_reset_status),
	    TEST(test_other_channel_echoed_untouched),
	    TEST(test_queue_order_peek_and_full),
	    TEST(test_data_interrupt),
	    TEST(test_register_accesses),
	    TEST(test_firmware_and_board),
	    TEST(test_board_mac_is_local_and_per_vm),
	    TEST(test_board_serial),
	    TEST(test_memory_split),
	    TEST(test_clock_rates),
	    TEST(test_set_clock_rate_reports_fixed_rate),
	    TEST(test_clock_state),
	    TEST(test_power_state),
	    TEST(test_dma_and_command_line),
	    TEST(test_framebuffer_says_no_display),
	    TEST(test_get_palette_fills_value_buffer),
	    TEST(test_unknown_tag_not_answered),
	    TEST(test_several_tags_in_one_buffer),
	    TEST(test_short_value_buffer_truncates),
	    TEST(test_bus_alias_bits_ignored),
	    TEST(test_bad_sizes_refused),
	    TEST(test_buffer_crossing_end_of_ram),
	    TEST(test_header_outside_ram),
	    TEST(test_misaligned_buffer_is_not_a_property_request),
	    TEST(test_tag_overrunning_buffer),
	    TEST(test_tag_header_overrunning_buffer),
	    TEST(test_tag_value_size_all_ones),
	    TEST(test_zero_size_tags_terminate),
	    TEST(test_missing_end_tag),
	    TEST(test_random_buffers_stay_inside),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
