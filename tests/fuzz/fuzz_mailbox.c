/*
 * libFuzzer target for the VideoCore mailbox model
 * (hv/vdev/bcm2837/mailbox.c), driven through its registers like a guest,
 * with the fake hypervisor side of the unit tests (tests/unit/fake_vdev_host.c).
 *
 * The input:
 *
 *   u32 mail     what a send writes to MAIL1_WRITE (bus address | channel),
 *                little-endian
 *   u8  setup    bits 0-1: guest RAM size (64 KiB, 4 KiB, 2 MiB, 1 MiB + 16);
 *                bits 2-3: VM id; bits 4-7: number of register operations
 *   ops          6 bytes each: u8 offset (bit 7: write), u8 size (bits 0-1:
 *                4, 1, 2 or 8 bytes), u32 value; a 4-byte write to MAIL1_WRITE
 *                is a send of `mail`. No operations: one send.
 *   buffer       the rest, put into guest RAM at the address `mail` names
 *                (as much as fits; the rest of RAM holds a fill pattern)
 *
 * After the operations the answers are read until mailbox 0 is empty.
 *
 * Besides the sanitizers and the fake's own checks (every pointer the model
 * syncs lies in RAM):
 *   - every access gives the result and value of a reference model of the
 *     registers written here (the answer queue, status, config, interrupt);
 *   - nothing in RAM changes outside [addr + 4, addr + size) of the one
 *     buffer sent, and nothing at all if it was never processed or its
 *     header is not in RAM; in a buffer that is not valid only the code word
 *     changes, to "parse error";
 *   - in a valid buffer, a reference walk of its tags finds the code word
 *     right ("success" exactly when the walk reaches an end tag inside the
 *     buffer), every tag's id and size unchanged, its code 0 or a response
 *     whose value bytes past the response length are unchanged, and nothing
 *     after the walk stopped changed.
 * The walk itself must terminate: libFuzzer's timeout catches a hang.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_vdev_host.h"
#include "fuzz_fake_host.h"
#include "vdev/bcm2837/intc.h"
#include "vdev/bcm2837/mailbox.h"

#define MAIL0_READ   0x00
#define MAIL0_PEEK   0x10
#define MAIL0_SENDER 0x14
#define MAIL0_STATUS 0x18
#define MAIL0_CONFIG 0x1c
#define MAIL1_WRITE  0x20
#define MAIL1_PEEK   0x30
#define MAIL1_SENDER 0x34
#define MAIL1_STATUS 0x38
#define MAIL1_CONFIG 0x3c

#define STATUS_FULL  (1U << 31)
#define STATUS_EMPTY (1U << 30)
#define CODE_SUCCESS 0x80000000U
#define CODE_ERROR   0x80000001U
#define TAG_RESPONSE 0x80000000U
#define LONGEST_TAG  1024U /* the palette */

#define OP_BYTES  6
#define MAX_RAM	  (2U << 20)
#define ARM_LINES 0xa5a5a5a5U /* the other lines of the aggregate: must stay as they are */

static const uint64_t ram_sizes[4] = {64U << 10, 4U << 10, 2U << 20, (1U << 20) + 16};
static const unsigned int vm_ids[4] = {1, 0, 0x102, 0xffffffffU};
static const unsigned int op_sizes[4] = {4, 1, 2, 8};

/* What a guest can know about the mailbox: a reference model of its registers. */
struct shadow {
	uint32_t queue[VMAILBOX_DEPTH];
	unsigned int head, count;
	uint32_t config0, config1;
	uint64_t property_sends, other_sends, dropped;
};

static struct vmailbox mbox;
static uint32_t arm_lines;
static struct shadow sh;
static uint8_t before[MAX_RAM];

static void fuzz_fail(const char *what, uint64_t detail)
{
	fprintf(stderr, "fuzz_mailbox: %s (0x%llx)\n", what, (unsigned long long)detail);
	abort();
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t word_at(const uint8_t *ram, uint64_t offset)
{
	uint32_t w;

	memcpy(&w, ram + offset, 4);
	return w;
}

static bool known_register(uint64_t offset)
{
	switch (offset) {
	case MAIL0_READ:
	case MAIL0_PEEK:
	case MAIL0_SENDER:
	case MAIL0_STATUS:
	case MAIL0_CONFIG:
	case MAIL1_WRITE:
	case MAIL1_PEEK:
	case MAIL1_SENDER:
	case MAIL1_STATUS:
	case MAIL1_CONFIG:
		return true;
	default:
		return false;
	}
}

/* The result the access path must give (vdev_access.h): aligned words only; reads and writes
 * know the same registers. */
static enum mmio_result expected_result(uint64_t offset, unsigned int size)
{
	if (size != 4 || offset % 4)
		return MMIO_ERROR;
	return known_register(offset) ? MMIO_HANDLED : MMIO_UNHANDLED;
}

static uint32_t shadow_read(uint64_t offset)
{
	uint32_t v;

	switch (offset) {
	case MAIL0_READ:
		if (sh.count == 0)
			return 0;
		v = sh.queue[sh.head];
		sh.head = (sh.head + 1) % VMAILBOX_DEPTH;
		sh.count--;
		return v;
	case MAIL0_PEEK:
		return sh.count ? sh.queue[sh.head] : 0;
	case MAIL0_STATUS:
		if (sh.count == 0)
			return STATUS_EMPTY;
		return sh.count == VMAILBOX_DEPTH ? STATUS_FULL : 0;
	case MAIL1_STATUS:
		return sh.count == VMAILBOX_DEPTH ? STATUS_FULL : STATUS_EMPTY;
	case MAIL0_CONFIG:
		return sh.config0;
	case MAIL1_CONFIG:
		return sh.config1;
	default:
		return 0;
	}
}

static void shadow_write(uint64_t offset, uint32_t value)
{
	switch (offset) {
	case MAIL1_WRITE:
		if (sh.count == VMAILBOX_DEPTH) {
			sh.dropped++;
			return;
		}
		if ((value & 0xf) == VMAILBOX_CHANNEL_PROPERTY)
			sh.property_sends++;
		else
			sh.other_sends++;
		sh.queue[(sh.head + sh.count) % VMAILBOX_DEPTH] = value;
		sh.count++;
		break;
	case MAIL0_CONFIG:
		sh.config0 = value & 7;
		break;
	case MAIL1_CONFIG:
		sh.config1 = value & 7;
		break;
	default:
		break;
	}
}

static void check_state(void)
{
	uint32_t bit = 1U << VINTC_ARM_MAILBOX;
	bool irq = (sh.config0 & 1) && sh.count > 0;

	if ((arm_lines & ~bit) != (ARM_LINES & ~bit))
		fuzz_fail("another line of the aggregate changed", arm_lines);
	if (!!(arm_lines & bit) != irq)
		fuzz_fail("the mailbox interrupt line is wrong", arm_lines);
	if (mbox.requests != sh.property_sends || mbox.other_channel != sh.other_sends ||
	    mbox.dropped_writes != sh.dropped || mbox.errors > mbox.requests ||
	    mbox.count != sh.count)
		fuzz_fail("a counter disagrees with the reference model", mbox.requests);
}

static void do_read(uint64_t offset, unsigned int size)
{
	enum mmio_result want = expected_result(offset, size);
	uint64_t value = 0xdeadbeefcafef00dULL;
	enum mmio_result got = vmailbox_read(&mbox, offset, size, &value);
	uint64_t expect = want == MMIO_HANDLED ? shadow_read(offset) : 0;

	if (got != want)
		fuzz_fail("read: unexpected result at offset", offset);
	if (value != expect)
		fuzz_fail("read: unexpected value at offset", offset);
	check_state();
}

static void do_write(uint64_t offset, unsigned int size, uint32_t value)
{
	enum mmio_result want = expected_result(offset, size);

	if (vmailbox_write(&mbox, offset, size, value) != want)
		fuzz_fail("write: unexpected result at offset", offset);
	if (want == MMIO_HANDLED)
		shadow_write(offset, value);
	check_state();
}

static void expect_unchanged(uint64_t from, uint64_t to)
{
	if (from < to && memcmp(before + from, fake_host.ram + from, to - from) != 0) {
		while (before[from] == fake_host.ram[from])
			from++;
		fuzz_fail("RAM changed where the model may not write, at", from);
	}
}

/*
 * The reference walk of a valid buffer at ipa, `size` bytes, over its
 * contents before (the tag layout never changes: the model writes only
 * code words and value buffers). Returns the code the header must have.
 */
static uint32_t check_tags(uint64_t ipa, uint32_t size)
{
	const uint8_t *ram = fake_host.ram;
	uint32_t words = size / 4, i = 2;

	while (i < words) {
		uint64_t tag = ipa + 4ULL * i;
		uint32_t id = word_at(before, tag), value_bytes, code, kept;

		if (id == 0) {
			expect_unchanged(tag, ipa + size);
			return CODE_SUCCESS;
		}
		if (words - i < 3)
			break;
		value_bytes = word_at(before, tag + 4);
		if (value_bytes > (words - i - 3) * 4)
			break;
		if (word_at(ram, tag) != id || word_at(ram, tag + 4) != value_bytes)
			fuzz_fail("a tag's id or size changed, tag at", tag);
		code = word_at(ram, tag + 8);
		if (code != 0 && (!(code & TAG_RESPONSE) || (code & ~TAG_RESPONSE) > LONGEST_TAG))
			fuzz_fail("a tag's code is neither 0 nor a response, tag at", tag);
		kept = code & ~TAG_RESPONSE;
		if (kept > value_bytes)
			kept = value_bytes;
		/* Past the response (all of it for an unknown tag), the value buffer stays. */
		expect_unchanged(tag + 12 + kept, tag + 12 + (value_bytes + 3) / 4 * 4ULL);
		i += 3 + (value_bytes + 3) / 4;
	}
	expect_unchanged(ipa + 4ULL * (i < words ? i : words), ipa + size);
	return CODE_ERROR;
}

static void check_ram(uint32_t mail)
{
	uint64_t ipa = (mail & ~0xfU) & 0x3fffffffU, ram_size = fake_host.ram_size;
	uint32_t size, code;

	if (sh.property_sends == 0 || (mail & 0xf) != VMAILBOX_CHANNEL_PROPERTY ||
	    ipa >= ram_size || ram_size - ipa < 8) {
		expect_unchanged(0, ram_size);
		return;
	}
	expect_unchanged(0, ipa + 4); /* ... and the size word */
	size = word_at(before, ipa);
	if (size < 12 || size > VMAILBOX_MAX_BUFFER || size % 4 || size > ram_size - ipa) {
		expect_unchanged(ipa + 8, ram_size);
		code = CODE_ERROR;
	} else {
		expect_unchanged(ipa + size, ram_size);
		code = check_tags(ipa, size);
	}
	if (word_at(fake_host.ram, ipa + 4) != code)
		fuzz_fail("the buffer's code word is wrong", word_at(fake_host.ram, ipa + 4));
}

static void setup_ram(uint8_t setup, uint32_t mail, const uint8_t *buffer, size_t len)
{
	uint64_t ipa = (mail & ~0xfU) & 0x3fffffffU;

	fake_host_reset(ram_sizes[setup & 3]);
	fake_host.vm_id = vm_ids[(setup >> 2) & 3];
	if (ipa < fake_host.ram_size) {
		size_t room = fake_host.ram_size - ipa;

		memcpy(fake_host.ram + ipa, buffer, len < room ? len : room);
	}
	memcpy(before, fake_host.ram, fake_host.ram_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *ops = data + 5;
	unsigned int nops;
	uint32_t mail;

	if (size < 5)
		return 0;
	mail = le32(data);
	nops = data[4] >> 4;
	if (size - 5 < (size_t)nops * OP_BYTES)
		nops = (unsigned int)((size - 5) / OP_BYTES);
	setup_ram(data[4], mail, ops + nops * OP_BYTES, size - 5 - nops * OP_BYTES);
	memset(&sh, 0, sizeof(sh));
	arm_lines = ARM_LINES & ~(1U << VINTC_ARM_MAILBOX);
	vmailbox_init(&mbox, fake_vm(), &arm_lines);

	if (nops == 0)
		do_write(MAIL1_WRITE, 4, mail);
	for (unsigned int i = 0; i < nops; i++) {
		const uint8_t *op = ops + i * OP_BYTES;
		uint64_t offset = op[0] & 0x7f;
		unsigned int op_size = op_sizes[op[1] & 3];

		if (!(op[0] & 0x80))
			do_read(offset, op_size);
		else if (offset == MAIL1_WRITE && op_size == 4)
			do_write(offset, op_size, mail);
		else
			do_write(offset, op_size, le32(op + 2));
	}
	/* A guest collects its answers: status, then read until empty. */
	for (unsigned int i = 0; i <= VMAILBOX_DEPTH; i++) {
		do_read(MAIL0_STATUS, 4);
		do_read(MAIL1_STATUS, 4);
		do_read(MAIL0_READ, 4);
	}
	if (sh.count != 0)
		fuzz_fail("answers left after reading them all", sh.count);
	check_ram(mail);
	return 0;
}
