/*
 * VideoCore mailbox and property-channel model. Register facts come from the
 * firmware wiki's "Mailboxes" page and Linux's bcm2835-mailbox driver; the
 * property protocol and tags from the wiki's "Mailbox property interface"
 * page (cited below as "the wiki"). See mailbox.h for the overall design.
 */
#include "vdev/bcm2837/mailbox.h"

#include "vdev/bcm2837/intc.h"
#include "vdev/vdev_access.h"
#include "vdev/vdev_host.h"

#include <stddef.h>

/* Register offsets: mailbox 0 (VC to ARM), then mailbox 1 (ARM to VC). */
#define REG_MAIL0_READ	 0x00
#define REG_MAIL0_PEEK	 0x10
#define REG_MAIL0_SENDER 0x14
#define REG_MAIL0_STATUS 0x18
#define REG_MAIL0_CONFIG 0x1c
#define REG_MAIL1_WRITE	 0x20
#define REG_MAIL1_PEEK	 0x30
#define REG_MAIL1_SENDER 0x34
#define REG_MAIL1_STATUS 0x38
#define REG_MAIL1_CONFIG 0x3c

#define STATUS_FULL	(1U << 31)
#define STATUS_EMPTY	(1U << 30)
#define CONFIG_DATA_IRQ (1U << 0) /* Linux: ARM_MC_IHAVEDATAIRQEN */
#define CONFIG_MASK	0x7U	  /* the three interrupt enables */

/*
 * A message is a 28-bit value (here: the buffer address, 16-byte aligned by
 * construction) and a 4-bit channel. The address is a VideoCore bus address:
 * bits 31:30 select the cache alias (0x40000000 L2-coherent, 0xC0000000
 * uncached), the rest is the ARM physical address.
 */
#define CHANNEL_MASK   0xfU
#define BUS_ALIAS_MASK 0x3fffffffU

/* Property buffer (the wiki, "Buffer contents" and "Tag format"). */
#define CODE_SUCCESS	  0x80000000U
#define CODE_PARSE_ERROR  0x80000001U
#define TAG_END		  0U
#define TAG_RESPONSE	  0x80000000U /* bit 31 of the tag's request/response code */
#define TAG_NOT_ANSWERED  0U
#define HEADER_BYTES	  8U  /* buffer size, request/response code */
#define MIN_BUFFER_BYTES  12U /* the header and the end tag */
#define TAG_HEADER_WORDS  3U  /* tag id, value buffer size, request/response code */
#define TAG_REQUEST_WORDS 3U  /* no answered tag takes more request words */
#define TAG_REPLY_WORDS	  4U  /* the longest answer that is not all zeros */

/* Tags answered (the wiki, by section). */
#define TAG_FIRMWARE_REVISION 0x00000001U
#define TAG_BOARD_MODEL	      0x00010001U
#define TAG_BOARD_REVISION    0x00010002U
#define TAG_BOARD_MAC	      0x00010003U
#define TAG_BOARD_SERIAL      0x00010004U
#define TAG_ARM_MEMORY	      0x00010005U
#define TAG_VC_MEMORY	      0x00010006U
#define TAG_GET_POWER_STATE   0x00020001U
#define TAG_GET_TIMING	      0x00020002U
#define TAG_SET_POWER_STATE   0x00028001U
#define TAG_GET_CLOCK_STATE   0x00030001U
#define TAG_SET_CLOCK_STATE   0x00038001U
#define TAG_GET_CLOCK_RATE    0x00030002U
#define TAG_GET_MAX_CLOCK     0x00030004U
#define TAG_GET_MIN_CLOCK     0x00030007U
#define TAG_SET_CLOCK_RATE    0x00038002U
#define TAG_GET_COMMAND_LINE  0x00050001U
#define TAG_GET_DMA_CHANNELS  0x00060001U

/*
 * What the virtual firmware reports about the board. The revision is the
 * build time of the firmware as a Unix time, here 2021-01-01 00:00 UTC.
 * 0xa02082 is a Raspberry Pi 3 Model B rev 1.2, 1 GB, made by Sony UK
 * (the revision-code table of the Raspberry Pi documentation).
 */
#define FIRMWARE_REVISION 0x5fee6600U
#define BOARD_MODEL	  0U
#define BOARD_REVISION	  0x00a02082U
#define SERIAL_PREFIX	  0x61560000U /* "aV" in the high half of the low word */

/*
 * Power domains (the wiki, "Power"): devices 0-8 exist (SD card, UART0,
 * UART1, USB HCD, I2C0-2, SPI, CCP2TX). State bit 0 = on, bit 1 = no such
 * device; in a request to set it, bit 1 means "wait".
 */
#define POWER_DEVICES	  9U
#define POWER_ON	  (1U << 0)
#define POWER_NO_DEVICE	  (1U << 1)
#define POWER_ALL_DEVICES ((1U << POWER_DEVICES) - 1)

/* Clocks (the wiki, "Clocks"): state bit 0 = on, bit 1 = no such clock. */
#define CLOCK_ON       (1U << 0)
#define CLOCK_NO_CLOCK (1U << 1)
#define CLOCK_EMMC     1U
#define CLOCK_UART     2U
#define CLOCK_ARM      3U
#define CLOCK_CORE     4U

/*
 * The VM cannot change clocks, so every clock has one rate (min = max =
 * current) and a set request is answered with it. The rates are a Pi 3's
 * defaults; the core clock is what guests derive the mini UART's baud rate
 * divisor from (250 MHz). Other clock ids drive devices a VM does not have
 * and are reported as not existing.
 */
struct clock {
	uint32_t id;
	uint32_t hz;
};

static const struct clock clocks[] = {
    {CLOCK_EMMC, 200000000U},
    {CLOCK_UART, 48000000U},
    {CLOCK_ARM, 1200000000U},
    {CLOCK_CORE, 250000000U},
};

/* A tag's request: the first words of its value buffer, 0 past the buffer's end. */
struct tag_request {
	uint32_t arg[TAG_REQUEST_WORDS];
};

/* A tag's response value: words[] then zeros, `bytes` long in all. */
struct tag_reply {
	uint32_t words[TAG_REPLY_WORDS];
	uint32_t bytes;
};

typedef void (*tag_answer_fn)(struct vmailbox *m, const struct tag_request *req,
			      struct tag_reply *reply);

/* Guest memory may change under us (another vCPU): each field is loaded exactly once. */
static uint32_t load_guest_word(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}

static void reply_words(struct tag_reply *reply, uint32_t w0, uint32_t w1)
{
	reply->words[0] = w0;
	reply->words[1] = w1;
	reply->bytes = 8;
}

/* --- Board information --------------------------------------------------- */

/*
 * ba:27:eb:00:<id high>:<id low>. b8:27:eb is the Raspberry Pi Foundation's
 * OUI; setting the locally-administered bit (0x02 of the first byte) makes
 * an address no real Pi carries, so a VM can never clash with a board on the
 * same network, while the prefix still says "a Pi". The VM id tells VMs of
 * one hypervisor apart (VMs of two hypervisors on one LAN would clash).
 */
static void answer_board_mac(struct vmailbox *m, const struct tag_request *req,
			     struct tag_reply *reply)
{
	uint32_t id = vdev_vm_id(m->vm);
	const uint8_t mac[6] = {0xba, 0x27, 0xeb, 0x00, (uint8_t)(id >> 8), (uint8_t)id};

	(void)req;
	/* The response is 6 bytes in address order; words are little-endian. */
	reply->words[0] =
	    mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24;
	reply->words[1] = mac[4] | (uint32_t)mac[5] << 8;
	reply->bytes = 6;
}

/* A 64-bit serial number, "aV" and the VM id, so that VMs differ. */
static void answer_board_serial(struct vmailbox *m, const struct tag_request *req,
				struct tag_reply *reply)
{
	(void)req;
	reply_words(reply, SERIAL_PREFIX | (vdev_vm_id(m->vm) & 0xffffU), 0);
}

static uint32_t ram_size32(struct vmailbox *m)
{
	uint64_t size = vdev_ram_size(m->vm);

	return size > 0xffffffffU ? 0xffffffffU : (uint32_t)size;
}

/* The ARM's memory is the VM's RAM, at guest-physical 0. */
static void answer_arm_memory(struct vmailbox *m, const struct tag_request *req,
			      struct tag_reply *reply)
{
	(void)req;
	reply_words(reply, 0, ram_size32(m));
}

/*
 * A VM has no VideoCore memory: size 0, placed right after its RAM where the
 * real split puts it, so "ARM base + ARM size == VC base" still holds.
 */
static void answer_vc_memory(struct vmailbox *m, const struct tag_request *req,
			     struct tag_reply *reply)
{
	(void)req;
	reply_words(reply, ram_size32(m), 0);
}

/* --- Power ----------------------------------------------------------------- */

static uint32_t power_state(const struct vmailbox *m, uint32_t device)
{
	if (device >= POWER_DEVICES)
		return POWER_NO_DEVICE;
	return (m->power_on >> device) & POWER_ON;
}

static void answer_get_power_state(struct vmailbox *m, const struct tag_request *req,
				   struct tag_reply *reply)
{
	reply_words(reply, req->arg[0], power_state(m, req->arg[0]));
}

/* Power comes on at once, so there is never a wait: 0 us. */
static void answer_get_timing(struct vmailbox *m, const struct tag_request *req,
			      struct tag_reply *reply)
{
	(void)m;
	reply_words(reply, req->arg[0], 0);
}

/* The state is remembered and acknowledged; nothing is really switched. */
static void answer_set_power_state(struct vmailbox *m, const struct tag_request *req,
				   struct tag_reply *reply)
{
	uint32_t device = req->arg[0];

	if (device < POWER_DEVICES) {
		m->power_on &= ~(1U << device);
		m->power_on |= (req->arg[1] & POWER_ON) << device;
	}
	reply_words(reply, device, power_state(m, device));
}

/* --- Clocks ---------------------------------------------------------------- */

static const struct clock *find_clock(uint32_t id)
{
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		if (clocks[i].id == id)
			return &clocks[i];
	}
	return NULL;
}

/* Clocks are always on: a request to stop one is acknowledged with "on". */
static void answer_clock_state(struct vmailbox *m, const struct tag_request *req,
			       struct tag_reply *reply)
{
	(void)m;
	reply_words(reply, req->arg[0], find_clock(req->arg[0]) ? CLOCK_ON : CLOCK_NO_CLOCK);
}

/* Get rate, get min, get max and set rate all answer the one fixed rate (0: no such clock). */
static void answer_clock_rate(struct vmailbox *m, const struct tag_request *req,
			      struct tag_reply *reply)
{
	const struct clock *clock = find_clock(req->arg[0]);

	(void)m;
	reply_words(reply, req->arg[0], clock ? clock->hz : 0);
}

/* --- The tags ---------------------------------------------------------------- */

/*
 * A tag and its answer: answer() where the reply depends on the request or
 * the VM; otherwise (answer NULL) a reply that never changes, `bytes` long,
 * `word` followed by zeros.
 */
struct tag_handler {
	uint32_t id;
	tag_answer_fn answer;
	uint32_t bytes;
	uint32_t word;
};

#define ANSWER(id, fn)                                                                             \
	{                                                                                          \
		(id), (fn), 0, 0                                                                   \
	}
#define FIXED(id, bytes, word)                                                                     \
	{                                                                                          \
		(id), NULL, (bytes), (word)                                                        \
	}
/*
 * A VM has no display. Every framebuffer tag gets a response of its usual
 * length, all zeros: a 0x0 display, and "allocate buffer" returns base 0
 * size 0. U-Boot's bcm2835 video driver, for one, gives up on a 0x0
 * display; a guest that allocates anyway gets no buffer.
 */
#define NO_DISPLAY(id, bytes) FIXED(id, bytes, 0)

static const struct tag_handler tag_handlers[] = {
    FIXED(TAG_FIRMWARE_REVISION, 4, FIRMWARE_REVISION),
    FIXED(TAG_BOARD_MODEL, 4, BOARD_MODEL),
    FIXED(TAG_BOARD_REVISION, 4, BOARD_REVISION),
    ANSWER(TAG_BOARD_MAC, answer_board_mac),
    ANSWER(TAG_BOARD_SERIAL, answer_board_serial),
    ANSWER(TAG_ARM_MEMORY, answer_arm_memory),
    ANSWER(TAG_VC_MEMORY, answer_vc_memory),
    ANSWER(TAG_GET_POWER_STATE, answer_get_power_state),
    ANSWER(TAG_GET_TIMING, answer_get_timing),
    ANSWER(TAG_SET_POWER_STATE, answer_set_power_state),
    ANSWER(TAG_GET_CLOCK_STATE, answer_clock_state),
    ANSWER(TAG_SET_CLOCK_STATE, answer_clock_state),
    ANSWER(TAG_GET_CLOCK_RATE, answer_clock_rate),
    ANSWER(TAG_GET_MAX_CLOCK, answer_clock_rate),
    ANSWER(TAG_GET_MIN_CLOCK, answer_clock_rate),
    ANSWER(TAG_SET_CLOCK_RATE, answer_clock_rate),
    FIXED(TAG_GET_COMMAND_LINE, 1, 0), /* an empty string: one NUL byte */
    FIXED(TAG_GET_DMA_CHANNELS, 4, 0), /* no DMA controller is modelled: no usable channel */
    /* Framebuffer (the wiki, "Frame buffer"): get 0x0004xxxx, test 0x0004 4xxx, set 0x0004 8xxx. */
    NO_DISPLAY(0x00040001U, 8), /* allocate buffer: base, size */
    NO_DISPLAY(0x00048001U, 0), /* release buffer */
    NO_DISPLAY(0x00040002U, 4), /* blank screen */
    NO_DISPLAY(0x00040003U, 8), /* physical width/height */
    NO_DISPLAY(0x00044003U, 8),
    NO_DISPLAY(0x00048003U, 8),
    NO_DISPLAY(0x00040004U, 8), /* virtual width/height */
    NO_DISPLAY(0x00044004U, 8),
    NO_DISPLAY(0x00048004U, 8),
    NO_DISPLAY(0x00040005U, 4), /* depth */
    NO_DISPLAY(0x00044005U, 4),
    NO_DISPLAY(0x00048005U, 4),
    NO_DISPLAY(0x00040006U, 4), /* pixel order */
    NO_DISPLAY(0x00044006U, 4),
    NO_DISPLAY(0x00048006U, 4),
    NO_DISPLAY(0x00040007U, 4), /* alpha mode */
    NO_DISPLAY(0x00044007U, 4),
    NO_DISPLAY(0x00048007U, 4),
    NO_DISPLAY(0x00040008U, 4), /* pitch */
    NO_DISPLAY(0x00040009U, 8), /* virtual offset */
    NO_DISPLAY(0x00044009U, 8),
    NO_DISPLAY(0x00048009U, 8),
    NO_DISPLAY(0x0004000aU, 16), /* overscan */
    NO_DISPLAY(0x0004400aU, 16),
    NO_DISPLAY(0x0004800aU, 16),
    NO_DISPLAY(0x0004000bU, 1024), /* get palette: 256 entries, all black */
    /* Test/set palette: "0 = valid, 1 = invalid"; there is no palette to set. */
    FIXED(0x0004400bU, 4, 1),
    FIXED(0x0004800bU, 4, 1),
};

static const struct tag_handler *find_tag_handler(uint32_t id)
{
	for (size_t i = 0; i < sizeof(tag_handlers) / sizeof(tag_handlers[0]); i++) {
		if (tag_handlers[i].id == id)
			return &tag_handlers[i];
	}
	return NULL;
}

/* --- The property buffer ------------------------------------------------------ */

static void read_request(struct tag_request *req, const uint32_t *value, uint32_t value_bytes)
{
	for (uint32_t k = 0; k < TAG_REQUEST_WORDS; k++)
		req->arg[k] = (k + 1) * 4 <= value_bytes ? load_guest_word(&value[k]) : 0;
}

/*
 * The response overwrites the request, truncated to the value buffer; the
 * code word then gives the full length, so a guest whose buffer was too small
 * can tell (the wiki: "Response length indicates the desired length even
 * when it is longer than the buffer size filled").
 */
static void write_reply(uint8_t *value, uint32_t value_bytes, const struct tag_reply *reply)
{
	uint32_t n = reply->bytes < value_bytes ? reply->bytes : value_bytes;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t word = i / 4 < TAG_REPLY_WORDS ? reply->words[i / 4] : 0;

		value[i] = (uint8_t)(word >> (8 * (i % 4)));
	}
}

/*
 * Answers one tag whose value buffer (value_bytes long) is known to lie in
 * the buffer. An unknown tag is "ignored (the response bit will not be set)"
 * (the wiki): its code word is set to 0, so a guest that reuses an old
 * buffer cannot mistake a stale response bit for an answer.
 */
static void answer_tag(struct vmailbox *m, uint32_t *tag, uint32_t id, uint32_t value_bytes)
{
	const struct tag_handler *handler = find_tag_handler(id);
	uint32_t *value = &tag[TAG_HEADER_WORDS];
	struct tag_request req;
	struct tag_reply reply = {{0}, 0};

	if (!handler) {
		tag[2] = TAG_NOT_ANSWERED;
		m->unsupported++;
		return;
	}
	read_request(&req, value, value_bytes);
	if (handler->answer) {
		handler->answer(m, &req, &reply);
	} else {
		reply.words[0] = handler->word;
		reply.bytes = handler->bytes;
	}
	write_reply((uint8_t *)value, value_bytes, &reply);
	tag[2] = TAG_RESPONSE | reply.bytes;
}

/*
 * Walks the tags of a buffer of `words` 32-bit words, all inside the VM's
 * RAM. Returns true if it ended at an end tag, false if a tag did not fit
 * (the tags before it are answered: "partial response"). Every step moves
 * at least one tag header forward, so the walk ends.
 */
static bool answer_tags(struct vmailbox *m, uint32_t *buf, uint32_t words)
{
	uint32_t i = HEADER_BYTES / 4;

	while (i < words) {
		uint32_t id = load_guest_word(&buf[i]);
		uint32_t value_bytes;

		if (id == TAG_END)
			return true;
		if (words - i < TAG_HEADER_WORDS)
			return false;
		value_bytes = load_guest_word(&buf[i + 1]);
		if (value_bytes > (words - i - TAG_HEADER_WORDS) * 4)
			return false;
		answer_tag(m, &buf[i], id, value_bytes);
		/* Value buffers are padded to 32 bits (the wiki, "Tag format"). */
		i += TAG_HEADER_WORDS + (value_bytes + 3) / 4;
	}
	return false; /* no end tag */
}

static bool buffer_size_valid(uint32_t size)
{
	return size >= MIN_BUFFER_BYTES && size <= VMAILBOX_MAX_BUFFER && size % 4 == 0;
}

/*
 * Processes the property buffer at guest-physical ipa in place. The header
 * (size, code) must be in RAM for anything to be written; the whole buffer
 * must be in RAM for the tags to be answered.
 */
static void process_property_buffer(struct vmailbox *m, uint64_t ipa)
{
	uint32_t *header = vdev_guest_ptr(m->vm, ipa, HEADER_BYTES);
	uint32_t *buf;
	uint32_t size;

	m->requests++;
	if (!header) {
		m->errors++; /* nowhere to report it: the guest sees no answer code */
		return;
	}
	size = load_guest_word(&header[0]);
	buf = buffer_size_valid(size) ? vdev_guest_ptr(m->vm, ipa, size) : NULL;
	if (!buf || !answer_tags(m, buf, size / 4)) {
		header[1] = CODE_PARSE_ERROR;
		m->errors++;
		vdev_guest_sync(m->vm, header, HEADER_BYTES);
		return;
	}
	header[1] = CODE_SUCCESS;
	vdev_guest_sync(m->vm, buf, size);
}

/* --- Registers ------------------------------------------------------------------ */

void vmailbox_init(struct vmailbox *m, struct vm *vm, uint32_t *arm_lines)
{
	/* Both mailboxes empty, no interrupt enabled, counters 0; every device powered. */
	*m = (struct vmailbox){.vm = vm, .arm_lines = arm_lines, .power_on = POWER_ALL_DEVICES};
}

/*
 * The "ARM Mailbox" basic interrupt: an answer is waiting and MAIL0_CNF asks
 * for it. Reading MAIL0 takes an answer and writing MAIL1 may queue one, so
 * it is recomputed after every access.
 */
static void update_irq(void *opaque)
{
	const struct vmailbox *m = opaque;
	uint32_t bit = 1U << VINTC_ARM_MAILBOX;

	if ((m->config0 & CONFIG_DATA_IRQ) && m->count > 0)
		*m->arm_lines |= bit;
	else
		*m->arm_lines &= ~bit;
}

static void queue_answer(struct vmailbox *m, uint32_t value)
{
	m->queue[(m->head + m->count) % VMAILBOX_DEPTH] = value;
	m->count++;
}

static uint32_t take_answer(struct vmailbox *m)
{
	uint32_t value;

	if (m->count == 0)
		return 0; /* an empty mailbox reads as 0 */
	value = m->queue[m->head];
	m->head = (m->head + 1) % VMAILBOX_DEPTH;
	m->count--;
	return value;
}

/*
 * A write to mailbox 1. Property requests are answered in the buffer and
 * the same value is queued as the answer. Other channels (0 power, 1 legacy
 * framebuffer, ...) have nothing behind them; their value is queued back
 * unchanged, so a guest that waits for an answer goes on (and finds that
 * nothing happened) instead of hanging. While mailbox 0 is full the
 * VideoCore would not take requests: the write is ignored and counted.
 */
static void send_to_videocore(struct vmailbox *m, uint32_t value)
{
	if (m->count == VMAILBOX_DEPTH) {
		m->dropped_writes++;
		return;
	}
	if ((value & CHANNEL_MASK) == VMAILBOX_CHANNEL_PROPERTY)
		process_property_buffer(m, (value & ~CHANNEL_MASK) & BUS_ALIAS_MASK);
	else
		m->other_channel++;
	queue_answer(m, value);
}

static uint32_t mail0_status(const struct vmailbox *m)
{
	if (m->count == 0)
		return STATUS_EMPTY;
	return m->count == VMAILBOX_DEPTH ? STATUS_FULL : 0;
}

/* Mailbox 1 is drained at once; it is full only while answers cannot be queued. */
static uint32_t mail1_status(const struct vmailbox *m)
{
	return m->count == VMAILBOX_DEPTH ? STATUS_FULL : STATUS_EMPTY;
}

static enum mmio_result read_register(void *opaque, uint64_t offset, uint32_t *value)
{
	struct vmailbox *m = opaque;

	switch (offset) {
	case REG_MAIL0_READ:
		*value = take_answer(m);
		break;
	case REG_MAIL0_PEEK:
		*value = m->count ? m->queue[m->head] : 0;
		break;
	case REG_MAIL0_SENDER:
	case REG_MAIL1_WRITE: /* mailbox 1's read side belongs to the VideoCore */
	case REG_MAIL1_PEEK:
	case REG_MAIL1_SENDER:
		*value = 0;
		break;
	case REG_MAIL0_STATUS:
		*value = mail0_status(m);
		break;
	case REG_MAIL0_CONFIG:
		*value = m->config0;
		break;
	case REG_MAIL1_STATUS:
		*value = mail1_status(m);
		break;
	case REG_MAIL1_CONFIG:
		*value = m->config1;
		break;
	default:
		return MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

static enum mmio_result write_register(void *opaque, uint64_t offset, uint32_t value)
{
	struct vmailbox *m = opaque;

	switch (offset) {
	case REG_MAIL1_WRITE:
		send_to_videocore(m, value);
		break;
	case REG_MAIL0_CONFIG:
		m->config0 = value & CONFIG_MASK;
		break;
	case REG_MAIL1_CONFIG:
		m->config1 = value & CONFIG_MASK;
		break;
	case REG_MAIL0_READ:
	case REG_MAIL0_PEEK:
	case REG_MAIL0_SENDER:
	case REG_MAIL0_STATUS:
	case REG_MAIL1_PEEK:
	case REG_MAIL1_SENDER:
	case REG_MAIL1_STATUS:
		break; /* read-only for the ARM */
	default:
		return MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

static const struct vdev_registers registers = {
    .read = read_register,
    .write = write_register,
    .min_size = 4,
    .update_irq = update_irq,
};

enum mmio_result vmailbox_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	return vdev_read(&registers, opaque, offset, size, value);
}

enum mmio_result vmailbox_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	return vdev_write(&registers, opaque, offset, size, value);
}
