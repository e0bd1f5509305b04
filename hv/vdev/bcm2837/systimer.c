/*
 * BCM2835 system timer model (BCM2835 ARM Peripherals §12.1, "System Timer
 * Registers"). See systimer.h for the matching rule.
 */
#include "vdev/bcm2837/systimer.h"

#include "vdev/vdev_access.h"
#include "vdev/vdev_host.h"

#define REG_CS	0x00
#define REG_CLO 0x04
#define REG_CHI 0x08
#define REG_C0	0x0c
#define REG_C1	0x10
#define REG_C2	0x14
#define REG_C3	0x18

#define CS_MATCH_MASK ((1U << VSYSTIMER_CHANNELS) - 1)
#define WRAP_US	      (1ULL << 32) /* the compare registers see the low 32 bits */
/*
 * How far back the guest's last look at the clock is remembered: older than
 * this, seen_low is moved up. It bounds the late-match rule to delays the
 * hypervisor can cause (about 16.8 s, far more than a scheduling round), so
 * a guest that never reads CLO and writes a long-past value still waits for
 * the wrap; and the modulo-2^32 arithmetic never mistakes a read more than a
 * wrap ago for a recent one.
 */
#define SEEN_MAX_AGE_US (1U << 24)

void vsystimer_init(struct vsystimer *t, struct vm *vm)
{
	*t = (struct vsystimer){.vm = vm};
	for (unsigned int n = 0; n < VSYSTIMER_CHANNELS; n++)
		t->deadline[n] = VSYSTIMER_NEVER;
}

/*
 * seen_low is written by CLO reads without the VM's lock (vsystimer_read_clock),
 * from whichever core the reading vCPU runs on: every access to it is a
 * single-copy-atomic 32-bit load or store. Two reads racing leave either
 * value, both of which the guest has seen.
 */
static uint32_t seen_low(const struct vsystimer *t)
{
	return __atomic_load_n(&t->seen_low, __ATOMIC_RELAXED);
}

static void set_seen_low(struct vsystimer *t, uint32_t value)
{
	__atomic_store_n(&t->seen_low, value, __ATOMIC_RELAXED);
}

/* Channel n's match flag and its interrupt line (GPU IRQ n) go up together. */
static void signal_match(struct vsystimer *t, unsigned int n)
{
	t->cs |= 1U << n;
	t->deadline[n] = VSYSTIMER_NEVER;
	t->matches++;
	vdev_set_irq_line(t->vm, n, true);
}

uint64_t vsystimer_poll(struct vsystimer *t, uint64_t now_us)
{
	uint64_t earliest = VSYSTIMER_NEVER;

	if ((uint32_t)now_us - seen_low(t) > SEEN_MAX_AGE_US)
		set_seen_low(t, (uint32_t)now_us - SEEN_MAX_AGE_US);

	for (unsigned int n = 0; n < VSYSTIMER_CHANNELS; n++) {
		if (t->deadline[n] <= now_us)
			signal_match(t, n);
		else if (t->deadline[n] < earliest)
			earliest = t->deadline[n];
	}
	return earliest;
}

/*
 * Whether the clock passed `value` after the guest last read it: value lies
 * in (seen_low, now]. All modulo 2^32, as the compare registers count.
 */
static bool passed_unseen(const struct vsystimer *t, uint32_t value, uint64_t now)
{
	uint32_t seen = seen_low(t);
	uint32_t since_seen = (uint32_t)now - seen;

	return value != seen && value - seen <= since_seen;
}

/*
 * Writing Cn arms one match, when the low 32 bits of the clock next equal
 * Cn; or at once if the clock passed Cn while the guest was not looking
 * (see systimer.h).
 */
static void arm_compare(struct vsystimer *t, unsigned int n, uint32_t value, uint64_t now)
{
	uint64_t distance = (uint32_t)(value - (uint32_t)now);

	t->compare[n] = value;
	if (passed_unseen(t, value, now)) {
		signal_match(t, n); /* late, not 71 minutes late */
		return;
	}
	if (distance == 0)
		distance = WRAP_US;
	t->deadline[n] = now + distance;
	vdev_timer_armed(t->vm);
}

/* CS: writing 1 to Mn clears the flag and lowers line n; 0 leaves it. */
static void clear_matches(struct vsystimer *t, uint32_t value)
{
	for (unsigned int n = 0; n < VSYSTIMER_CHANNELS; n++) {
		if ((value & t->cs) & (1U << n)) {
			t->cs &= ~(1U << n);
			vdev_set_irq_line(t->vm, n, false);
		}
	}
}

static unsigned int channel_of(uint64_t offset)
{
	return (unsigned int)((offset - REG_C0) / 4);
}

/*
 * The VM's clock now, after signalling the matches due by then: a guest
 * sees them in CS, and a compare written now is armed against the same
 * clock, even before the scheduler polls.
 */
static uint64_t catch_up(struct vsystimer *t)
{
	uint64_t now = vdev_now_us(t->vm);

	(void)vsystimer_poll(t, now);
	return now;
}

/*
 * Only CS shows matches, so only a CS read catches up with the clock's
 * matches first; the counter registers just read the clock (the common
 * case: a guest polling CLO pays no match scan).
 */
/* CLO and CHI: the clock, which needs no state the VM's lock guards. */
static enum mmio_result read_clock(struct vsystimer *t, uint64_t offset, uint32_t *value)
{
	if (offset == REG_CLO) {
		*value = vdev_now_us_low(t->vm);
		set_seen_low(t, *value);
	} else {
		*value = (uint32_t)(vdev_now_us(t->vm) >> 32);
	}
	return MMIO_HANDLED;
}

static enum mmio_result read_register(void *opaque, uint64_t offset, uint32_t *value)
{
	struct vsystimer *t = opaque;

	switch (offset) {
	case REG_CLO:
	case REG_CHI:
		return read_clock(t, offset, value);
	case REG_CS:
		(void)catch_up(t);
		*value = t->cs;
		break;
	case REG_C0:
	case REG_C1:
	case REG_C2:
	case REG_C3:
		*value = t->compare[channel_of(offset)];
		break;
	default:
		return MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

static enum mmio_result write_register(void *opaque, uint64_t offset, uint32_t value)
{
	struct vsystimer *t = opaque;
	uint64_t now = catch_up(t);

	switch (offset) {
	case REG_CS:
		clear_matches(t, value & CS_MATCH_MASK);
		break;
	case REG_CLO:
	case REG_CHI:
		break; /* read-only: the VM cannot set its clock */
	case REG_C0:
	case REG_C1:
	case REG_C2:
	case REG_C3:
		arm_compare(t, channel_of(offset), value, now);
		break;
	default:
		return MMIO_UNHANDLED;
	}
	return MMIO_HANDLED;
}

static const struct vdev_registers registers = {
    .read = read_register,
    .write = write_register,
    .min_size = 4,
};

enum mmio_result vsystimer_read(void *opaque, uint64_t offset, unsigned int size, uint64_t *value)
{
	return vdev_read(&registers, opaque, offset, size, value);
}

/*
 * Delay loops poll CLO (lrtos, U-Boot, the bench guest): it is answered
 * without the VM's lock (mmio.h, read_unlocked), as is CHI; every other
 * register, and any access that is not an aligned word, takes the locked
 * way through vsystimer_read.
 */
enum mmio_result vsystimer_read_clock(void *opaque, uint64_t offset, unsigned int size,
				      uint64_t *value)
{
	uint32_t word;

	if (size != 4 || (offset != REG_CLO && offset != REG_CHI))
		return MMIO_UNHANDLED;
	(void)read_clock(opaque, offset, &word);
	*value = word;
	return MMIO_HANDLED;
}

enum mmio_result vsystimer_write(void *opaque, uint64_t offset, unsigned int size, uint64_t value)
{
	return vdev_write(&registers, opaque, offset, size, value);
}
