#include "board/bcm2837/mailbox.h"
#include "arch/arm64/cache.h"
#include "board/bcm2837/memmap.h"
#include "board/bcm2837/mmio.h"
#include "board/bcm2837/systimer.h"

#define MBOX_READ	      (MAILBOX_BASE + 0x00)
#define MBOX_STATUS	      (MAILBOX_BASE + 0x18)
#define MBOX_WRITE	      (MAILBOX_BASE + 0x20)
#define MBOX_FULL	      (1U << 31)
#define MBOX_EMPTY	      (1U << 30)
#define MBOX_CHANNEL_PROPERTY 8U

#define PROPERTY_REQUEST       0U
#define PROPERTY_RESPONSE_OK   0x80000000U
#define TAG_RESPONSE	       0x80000000U
#define TAG_GET_BOARD_REVISION 0x00010002U
#define TAG_GET_ARM_MEMORY     0x00010005U
#define TAG_GET_VC_MEMORY      0x00010006U
#define TAG_GET_CLOCK_RATE     0x00030002U

/* The VideoCore sees ARM RAM through the uncached bus alias at 0xC0000000. */
#define VC_BUS_UNCACHED	   0xc0000000U
#define MAILBOX_TIMEOUT_US 100000U

/* One property message with one tag of up to two 32-bit values (16-byte aligned, §mailbox). */
struct property_message {
	uint32_t size;
	uint32_t code;
	uint32_t tag;
	uint32_t value_size;
	uint32_t tag_code;
	uint32_t value[2];
	uint32_t end_tag;
} __attribute__((aligned(16)));

static struct property_message message;

static bool wait_status_clear(uint32_t bit)
{
	uint64_t deadline = systimer_now_us() + MAILBOX_TIMEOUT_US;

	while (mmio_read32(MBOX_STATUS) & bit) {
		if (systimer_now_us() > deadline)
			return false;
	}
	return true;
}

/* Sends the message and waits (bounded) for the firmware's answer on the property channel. */
static bool mailbox_call(void)
{
	uint32_t bus_address =
	    ((uint32_t)(uintptr_t)&message | VC_BUS_UNCACHED) | MBOX_CHANNEL_PROPERTY;

	dcache_clean_invalidate_range(&message, sizeof(message));
	if (!wait_status_clear(MBOX_FULL))
		return false;
	mmio_write32(MBOX_WRITE, bus_address);
	for (;;) {
		if (!wait_status_clear(MBOX_EMPTY))
			return false;
		/* Answers on other channels are not ours; ours carries channel 8. */
		if ((mmio_read32(MBOX_READ) & 0xf) == MBOX_CHANNEL_PROPERTY)
			break;
	}
	dcache_clean_invalidate_range(&message, sizeof(message));
	return message.code == PROPERTY_RESPONSE_OK && (message.tag_code & TAG_RESPONSE);
}

/* `request` is the tag's first request value (a clock id, say); most tags take none (0). */
static bool get_property(uint32_t tag, uint32_t request, uint32_t *value0, uint32_t *value1)
{
	message = (struct property_message){
	    .size = sizeof(message),
	    .code = PROPERTY_REQUEST,
	    .tag = tag,
	    .value_size = sizeof(message.value),
	    .tag_code = 0,
	    .value = {request, 0},
	    .end_tag = 0,
	};
	if (!mailbox_call())
		return false;
	*value0 = message.value[0];
	if (value1)
		*value1 = message.value[1];
	return true;
}

bool mailbox_get_board_revision(uint32_t *revision)
{
	return get_property(TAG_GET_BOARD_REVISION, 0, revision, NULL);
}

bool mailbox_get_arm_memory(uint32_t *base, uint32_t *size)
{
	return get_property(TAG_GET_ARM_MEMORY, 0, base, size);
}

bool mailbox_get_vc_memory(uint32_t *base, uint32_t *size)
{
	return get_property(TAG_GET_VC_MEMORY, 0, base, size);
}

bool mailbox_get_clock_rate(uint32_t clock_id, uint32_t *hz)
{
	uint32_t id;

	/* The answer repeats the clock id, then gives the rate in Hz. */
	return get_property(TAG_GET_CLOCK_RATE, clock_id, &id, hz) && id == clock_id;
}
