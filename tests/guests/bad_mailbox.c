/*
 * A hostile guest: sends the (virtual) VideoCore firmware property requests
 * with corrupt buffers. The property buffer is outside input for the
 * hypervisor: every size and offset must be checked against the buffer and
 * the VM's RAM, and a bad buffer answered with the error code 0x80000001
 * (the firmware wiki, "Mailbox property interface") or, where there is no
 * buffer in RAM to answer in, not at all.
 *
 * One line per request:
 *
 *     bad_mailbox: <request>: answer 0x<mailbox 0 value> code 0x<code word>
 *
 * "answer none" when mailbox 0 stayed empty; for buffers outside its RAM
 * the code word cannot be read and is not printed. The first request is a
 * good one (the ARM's memory: base 0, size = this VM's RAM), with a second
 * line "tag ... base ... size ..."; the test checks the size against the
 * RAM it gave the VM.
 */
#include "lib/console.h"
#include "lib/mmio.h"
#include "lib/uart.h"

#include <stdbool.h>
#include <stdint.h>

/* Mailbox 0 (VideoCore to ARM) and 1 (ARM to VideoCore) registers. */
#define MAIL0_READ   0x3f00b880UL
#define MAIL0_STATUS 0x3f00b898UL
#define MAIL1_WRITE  0x3f00b8a0UL
#define MAIL1_STATUS 0x3f00b8b8UL
#define MAIL_FULL    (1U << 31)
#define MAIL_EMPTY   (1U << 30)
#define MAIL_DEPTH   8 /* answers mailbox 0 holds */

#define CHANNEL_PROPERTY 8U
#define BUS_UNCACHED	 0xc0000000U /* the VideoCore's uncached alias of ARM memory */
#define CODE_REQUEST	 0U
#define CODE_SUCCESS	 0x80000000U
#define TAG_ARM_MEMORY	 0x00010005U
#define TAG_UNKNOWN	 0x00badbadU
#define TAG_RESPONSE	 0x80000000U
#define MAX_BUFFER	 (1U << 20)  /* the hypervisor's limit for one buffer */
#define BIG_BUFFER_AT	 0x400000UL  /* a 1 MiB buffer, below the guests' 8 MiB */
#define OUTSIDE_RAM	 0x20000000U /* above any test VM's RAM, below the devices */
#define POLLS		 1000	     /* how long to wait for an answer (each poll is a trap) */
#define WORDS		 8	     /* header, one tag with 8 bytes of value, end tag */

static volatile uint32_t __attribute__((aligned(16))) buf[WORDS];

/* Waits for mailbox 0; the answer, or `none` set if nothing came. */
static uint32_t receive(bool *none)
{
	for (int i = 0; i < POLLS; i++) {
		if (!(mmio_read32(MAIL0_STATUS) & MAIL_EMPTY)) {
			*none = false;
			return mmio_read32(MAIL0_READ);
		}
	}
	*none = true;
	return 0;
}

static void send(uint32_t message)
{
	for (int i = 0; i < POLLS && (mmio_read32(MAIL1_STATUS) & MAIL_FULL); i++)
		;
	mmio_write32(MAIL1_WRITE, message);
}

/* Sends a message, prints the answer and (if the buffer is ours) its code word. */
static void request(const char *what, uint32_t message, volatile uint32_t *code)
{
	bool none;
	uint32_t answer;

	send(message);
	answer = receive(&none);
	console_printf("bad_mailbox: %s: ", what);
	if (none)
		console_printf("answer none");
	else
		console_printf("answer 0x%08x", answer);
	if (code)
		console_printf(" code 0x%08x", *code);
	console_printf("\n");
}

static uint32_t message_for(volatile uint32_t *b)
{
	return (uint32_t)(uintptr_t)b | CHANNEL_PROPERTY;
}

/* An ARM-memory request in b: size, code, tag, value size, request code, base, size, end. */
static void arm_memory_request(volatile uint32_t *b, uint32_t size, uint32_t value_bytes)
{
	b[0] = size;
	b[1] = CODE_REQUEST;
	b[2] = TAG_ARM_MEMORY;
	b[3] = value_bytes;
	b[4] = 0;
	b[5] = 0;
	b[6] = 0;
	b[7] = 0; /* end tag */
}

/* The good request; returns the RAM size the mailbox reported (0 if it failed). */
static uint32_t good_request(const char *what, uint32_t alias)
{
	arm_memory_request(buf, 32, 8);
	request(what, message_for(buf) | alias, &buf[1]);
	console_printf("bad_mailbox: %s: tag 0x%08x base 0x%x size 0x%x\n", what, buf[4], buf[5],
		       buf[6]);
	return buf[1] == CODE_SUCCESS && buf[4] == (TAG_RESPONSE | 8) ? buf[6] : 0;
}

static void bad_sizes(uint32_t ram)
{
	arm_memory_request(buf, 0, 8);
	request("size 0", message_for(buf), &buf[1]);
	arm_memory_request(buf, 0xfffffff0U, 8);
	request("size 0xfffffff0", message_for(buf), &buf[1]);
	arm_memory_request(buf, MAX_BUFFER + 16, 8);
	request("size 1 MiB + 16", message_for(buf), &buf[1]);
	arm_memory_request(buf, ram + 16, 8);
	request("size larger than its RAM", message_for(buf), &buf[1]);
	arm_memory_request(buf, 30, 8);
	request("size not a multiple of 4", message_for(buf), &buf[1]);
	arm_memory_request(buf, 8, 8);
	request("size 8, no room for a tag", message_for(buf), &buf[1]);
}

static void bad_places(uint32_t ram)
{
	/* The last 16 bytes of RAM: the header fits, the 32-byte buffer does not. */
	volatile uint32_t *tail = (volatile uint32_t *)(uintptr_t)(ram - 16);

	tail[0] = 32;
	tail[1] = CODE_REQUEST;
	tail[2] = TAG_ARM_MEMORY;
	tail[3] = 8;
	request("buffer crossing the end of RAM", message_for(tail), &tail[1]);
	request("buffer outside its RAM", OUTSIDE_RAM | CHANNEL_PROPERTY, 0);
	request("buffer at the end of RAM", ram | CHANNEL_PROPERTY, 0);
	request("buffer in the device window", 0x3f00b880U | CHANNEL_PROPERTY, 0);
	/* 0xfffffff0 through the uncached alias is ARM address 0x3ffffff0: a device. */
	request("buffer at 0xfffffff0", 0xfffffff0U | CHANNEL_PROPERTY, 0);
}

static void bad_tags(void)
{
	arm_memory_request(buf, 32, 0x1000);
	request("tag value size 0x1000 in a 32-byte buffer", message_for(buf), &buf[1]);
	arm_memory_request(buf, 32, 0xffffffffU);
	request("tag value size 0xffffffff", message_for(buf), &buf[1]);
	arm_memory_request(buf, 32, 0xfffffffcU);
	request("tag value size 0xfffffffc", message_for(buf), &buf[1]);
	/* Tags to the very end, no end tag. */
	arm_memory_request(buf, 28, 8);
	request("no end tag", message_for(buf), &buf[1]);
	/* A tag header cut off by the end of the buffer. */
	arm_memory_request(buf, 32, 8);
	buf[7] = TAG_ARM_MEMORY;
	request("tag header cut off", message_for(buf), &buf[1]);
	/* An unknown tag is not answered, but the buffer is fine. */
	arm_memory_request(buf, 32, 8);
	buf[2] = TAG_UNKNOWN;
	request("unknown tag", message_for(buf), &buf[1]);
	console_printf("bad_mailbox: unknown tag: tag code 0x%08x\n", buf[4]);
}

/* The largest buffer allowed, full of unknown empty tags: the walk must end. */
static void big_buffer(void)
{
	volatile uint32_t *b = (volatile uint32_t *)BIG_BUFFER_AT;
	uint32_t words = MAX_BUFFER / 4, i = 2;

	for (; i + 3 < words; i += 3) {
		b[i] = TAG_UNKNOWN;
		b[i + 1] = 0;
		b[i + 2] = CODE_REQUEST;
	}
	for (; i < words; i++)
		b[i] = 0;
	b[0] = MAX_BUFFER;
	b[1] = CODE_REQUEST;
	request("1 MiB of unknown tags", message_for(b), &b[1]);
}

/* More requests than mailbox 0 holds, none read back until the end. */
static void flood(void)
{
	bool none;
	int answers = 0;

	for (int i = 0; i < MAIL_DEPTH + 4; i++) {
		arm_memory_request(buf, 32, 8);
		mmio_write32(MAIL1_WRITE, message_for(buf));
	}
	while (receive(&none), !none)
		answers++;
	console_printf("bad_mailbox: %d requests without reading: %d answers\n", MAIL_DEPTH + 4,
		       answers);
}

int main(void)
{
	uint32_t ram;

	uart_init();
	console_printf("bad_mailbox: property requests with corrupt buffers\n");
	ram = good_request("good request", 0);
	if (!ram) {
		console_printf("bad_mailbox: the good request failed\n");
		ram = 16U << 20;
	}
	bad_sizes(ram);
	bad_places(ram);
	bad_tags();
	big_buffer();
	flood();
	good_request("good request again, uncached alias", BUS_UNCACHED);
	console_printf("bad_mailbox: done\n");
	for (;;)
		__asm__ volatile("wfi");
}
