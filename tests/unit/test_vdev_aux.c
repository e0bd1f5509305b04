/*
 * Unit tests for hv/vdev/bcm2837/aux.c: the AUX mini UART model (receive and
 * transmit through the fake console, LSR/IIR/STAT levels, the transmit FIFO's
 * fill level and when it empties, the AUX interrupt line following input,
 * the FIFO and IER, a guest polling status registers, DLAB, access sizes).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "fake_vdev_host.h"
#include "vdev/bcm2837/aux.h"
#include "vdev_test_util.h"

#define AUX_IRQ	    0x00
#define AUX_ENABLES 0x04
#define MU_IO	    0x40
#define MU_IER	    0x44
#define MU_IIR	    0x48
#define MU_LCR	    0x4c
#define MU_MCR	    0x50
#define MU_LSR	    0x54
#define MU_MSR	    0x58
#define MU_SCRATCH  0x5c
#define MU_CNTL	    0x60
#define MU_STAT	    0x64
#define MU_BAUD	    0x68

#define IIR_NONE    0xc1 /* FIFOs on, no interrupt pending */
#define IIR_RX_DATA 0xc4
#define IIR_TX_IDLE 0xc2

#define LSR_DATA_READY (1U << 0)
#define LSR_TX_EMPTY   (1U << 5)
#define LSR_TX_IDLE    (1U << 6)

#define STAT_IDLE_EMPTY 0x30e /* space, RX idle, TX idle, TX FIFO empty, TX done */

static struct vaux aux;

static int setup(void **state)
{
	(void)state;
	fake_host_reset(0);
	vaux_init(&aux, fake_vm());
	return 0;
}

static uint32_t rd(uint64_t offset)
{
	return vdev_test_read(vaux_read, &aux, offset);
}

static void wr(uint64_t offset, uint32_t value)
{
	vdev_test_write(vaux_write, &aux, offset, value);
}

/* Input arrives as the hypervisor delivers it: into the VM's input, then vaux_input_changed. */
static void type(const char *text)
{
	fake_host_type(text);
	vaux_input_changed(&aux);
}

static bool aux_line(void)
{
	return fake_irq_line(VAUX_IRQ);
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_int_equal(rd(AUX_IRQ), 0);
	assert_int_equal(rd(AUX_ENABLES), 1);
	assert_int_equal(rd(MU_IER), 0);
	assert_int_equal(rd(MU_IIR), IIR_NONE);
	assert_int_equal(rd(MU_LCR), 0);
	assert_int_equal(rd(MU_MCR), 0);
	assert_int_equal(rd(MU_LSR), LSR_TX_EMPTY | LSR_TX_IDLE);
	assert_int_equal(rd(MU_MSR), 0x20);
	assert_int_equal(rd(MU_SCRATCH), 0);
	assert_int_equal(rd(MU_CNTL), 3);
	assert_int_equal(rd(MU_STAT), STAT_IDLE_EMPTY);
	assert_int_equal(rd(MU_BAUD), 0);
	assert_false(aux_line());
}

static void test_transmit_goes_to_console(void **state)
{
	(void)state;
	wr(MU_IO, 'h');
	wr(MU_IO, 'i');
	wr(MU_IO, 0x100 | '!'); /* only the low byte is data */
	assert_string_equal((const char *)fake_host.output, "hi!");
	assert_int_equal(aux.bytes_out, 3);
	assert_int_equal(aux.tx_dropped, 0);
}

static void test_transmit_full_console(void **state)
{
	(void)state;
	vaux_console_space(&aux, false);
	assert_int_equal(rd(MU_LSR) & (LSR_TX_EMPTY | LSR_TX_IDLE), 0);
	/* TX FIFO full, level 8; no space, not idle, not done. */
	assert_int_equal(rd(MU_STAT), (1U << 2) | (1U << 5) | (8U << 24));
	wr(MU_IO, 'x');
	assert_int_equal(fake_host.output_len, 0);
	assert_int_equal(aux.tx_dropped, 1);
	vaux_console_space(&aux, true);
	assert_int_equal(rd(MU_LSR) & (LSR_TX_EMPTY | LSR_TX_IDLE), LSR_TX_EMPTY | LSR_TX_IDLE);
	wr(MU_IO, 'y');
	assert_string_equal((const char *)fake_host.output, "y");
}

static void test_transmit_needs_enables(void **state)
{
	(void)state;
	wr(MU_CNTL, 1); /* receiver only */
	wr(MU_IO, 'a');
	wr(MU_CNTL, 3);
	wr(AUX_ENABLES, 0); /* mini UART off */
	wr(MU_IO, 'b');
	wr(AUX_ENABLES, 1);
	wr(MU_IO, 'c');
	assert_string_equal((const char *)fake_host.output, "c");
	assert_int_equal(aux.tx_dropped, 2);
}

static void test_receive_in_order(void **state)
{
	(void)state;
	assert_int_equal(rd(MU_LSR) & LSR_DATA_READY, 0);
	type("ab");
	assert_int_equal(rd(MU_LSR) & LSR_DATA_READY, LSR_DATA_READY);
	assert_int_equal(rd(MU_STAT), STAT_IDLE_EMPTY | 1U | (2U << 16));
	assert_int_equal(rd(MU_IO), 'a');
	assert_int_equal(rd(MU_STAT) >> 16 & 0xf, 1);
	assert_int_equal(rd(MU_IO), 'b');
	assert_int_equal(rd(MU_LSR) & LSR_DATA_READY, 0);
	assert_int_equal(rd(MU_STAT), STAT_IDLE_EMPTY);
	assert_int_equal(rd(MU_IO), 0); /* empty FIFO */
	assert_int_equal(aux.bytes_in, 2);
}

/* A VM reset initialises its devices again: input typed before it is still there. */
static void test_reset_keeps_typed_input(void **state)
{
	(void)state;
	type("r");
	vaux_init(&aux, fake_vm());
	assert_int_equal(rd(MU_LSR) & LSR_DATA_READY, LSR_DATA_READY);
	assert_int_equal(rd(MU_IO), 'r');
	assert_int_equal(rd(MU_LSR) & LSR_DATA_READY, 0);
}

static void test_receive_level_saturates_at_fifo_depth(void **state)
{
	(void)state;
	type("0123456789abcdefghij");
	assert_int_equal(rd(MU_STAT) >> 16 & 0xf, 8);
	for (int i = 0; i < 13; i++)
		(void)rd(MU_IO);
	assert_int_equal(rd(MU_STAT) >> 16 & 0xf, 7);
}

static void test_receiver_off_keeps_input(void **state)
{
	(void)state;
	type("k");
	wr(MU_CNTL, 2); /* transmitter only */
	assert_int_equal(rd(MU_LSR) & LSR_DATA_READY, 0);
	assert_int_equal(rd(MU_STAT) & 0x000f0001, 0);
	assert_int_equal(rd(MU_IO), 0);
	assert_int_equal(vdev_console_input_count(fake_vm()), 1);
	wr(AUX_ENABLES, 0);
	wr(MU_CNTL, 3);
	assert_int_equal(rd(MU_IO), 0);
	wr(AUX_ENABLES, 1);
	assert_int_equal(rd(MU_IO), 'k');
}

static void test_rx_interrupt_follows_input_and_ier(void **state)
{
	(void)state;
	wr(MU_IER, 1);
	assert_false(aux_line());
	assert_int_equal(rd(MU_IIR), IIR_NONE);

	type("z");
	assert_true(aux_line());
	assert_int_equal(rd(AUX_IRQ), 1);
	assert_int_equal(rd(MU_IIR), IIR_RX_DATA);

	assert_int_equal(rd(MU_IO), 'z');
	assert_false(aux_line());
	assert_int_equal(rd(AUX_IRQ), 0);
	assert_int_equal(rd(MU_IIR), IIR_NONE);

	type("y");
	assert_true(aux_line());
	wr(MU_IER, 0); /* disabling the interrupt lowers the line at once */
	assert_false(aux_line());
	assert_int_equal(rd(MU_IIR), IIR_NONE);
}

static void test_tx_interrupt_follows_console_space(void **state)
{
	(void)state;
	wr(MU_IER, 2);
	assert_true(aux_line());
	assert_int_equal(rd(MU_IIR), IIR_TX_IDLE);
	vaux_console_space(&aux, false); /* moves the line at once */
	assert_false(aux_line());
	assert_int_equal(rd(MU_IIR), IIR_NONE);
	vaux_console_space(&aux, true);
	assert_true(aux_line());
	wr(MU_CNTL, 1); /* transmitter off: no TX interrupt */
	assert_false(aux_line());
}

#define BAUD_115200	 270 /* at the 250 MHz system clock */
#define CHAR_TIME_US	 86  /* 10 bits at 115200 baud, rounded down */
#define STAT_TX_LEVEL(n) ((uint32_t)(n) << 24)

/* Bytes go to the console at once; the FIFO shows them until the line has sent them. */
static void test_tx_fifo_level_follows_the_line(void **state)
{
	(void)state;
	wr(MU_BAUD, BAUD_115200);
	wr(MU_IER, 2);
	assert_true(aux_line());
	fake_host.now_us = 1000;
	wr(MU_IO, 'a');
	wr(MU_IO, 'b');
	wr(MU_IO, 'c');
	assert_string_equal((const char *)fake_host.output, "abc");
	assert_int_equal(fake_host.timers_armed, 1); /* the first byte gives a deadline */
	assert_false(aux_line());		     /* not empty: no TX interrupt */
	assert_int_equal(rd(MU_IIR), IIR_NONE);
	assert_int_equal(rd(MU_LSR), LSR_TX_EMPTY); /* room, but not idle */
	assert_int_equal(rd(MU_STAT) & (0xfU << 24 | 0x30c), STAT_TX_LEVEL(3) | (1U << 2));
	assert_int_equal(vaux_poll(&aux, 1000), 1000 + 3 * CHAR_TIME_US);
	fake_host.now_us = 1000 + 3 * CHAR_TIME_US - 1;
	assert_int_equal(rd(MU_LSR), LSR_TX_EMPTY);
	assert_int_equal(vaux_poll(&aux, fake_host.now_us), 1000 + 3 * CHAR_TIME_US);
	assert_false(aux_line());
	fake_host.now_us++;
	assert_int_equal(vaux_poll(&aux, fake_host.now_us), UINT64_MAX);
	assert_true(aux_line()); /* the poll raised it: no register access needed */
	assert_int_equal(rd(MU_LSR), LSR_TX_EMPTY | LSR_TX_IDLE);
	assert_int_equal(rd(MU_STAT), STAT_IDLE_EMPTY);
}

/* A register read sees the FIFO empty on time even before the hypervisor polls. */
static void test_tx_fifo_empties_for_a_polling_guest(void **state)
{
	(void)state;
	wr(MU_BAUD, BAUD_115200);
	wr(MU_IER, 2);
	wr(MU_IO, 'x');
	fake_host.now_us = CHAR_TIME_US;
	assert_int_equal(rd(MU_IIR), IIR_TX_IDLE);
	assert_true(aux_line());
}

/* Eight bytes fill the FIFO, which is taken at once: a guest writing back to back never waits. */
static void test_full_tx_fifo_is_taken_at_once(void **state)
{
	(void)state;
	wr(MU_BAUD, BAUD_115200);
	wr(MU_IER, 2);
	for (unsigned int i = 0; i < 7; i++)
		wr(MU_IO, 'a' + i);
	assert_int_equal(rd(MU_STAT) >> 24, 7);
	assert_false(aux_line());
	wr(MU_IO, 'h');
	assert_int_equal(rd(MU_LSR), LSR_TX_EMPTY | LSR_TX_IDLE);
	assert_true(aux_line());
	wr(MU_IO, 'i');
	assert_int_equal(rd(MU_STAT) >> 24, 1);
	assert_string_equal((const char *)fake_host.output, "abcdefghi");
	assert_int_equal(aux.tx_dropped, 0);
}

/*
 * LSR or STAT through vaux_read_status (no lock), checked against the
 * locked read of the same register, which it must equal whenever it answers.
 * Returns whether it answered.
 */
static bool status_unlocked_matches(uint64_t offset)
{
	uint64_t value = 0xdeadbeef;
	enum mmio_result result = vaux_read_status(&aux, offset, 4, &value);

	if (result == MMIO_UNHANDLED)
		return false;
	assert_int_equal(result, MMIO_HANDLED);
	assert_int_equal(value, rd(offset));
	return true;
}

/* The unlocked status read shows what the locked one shows, in every FIFO state. */
static void test_status_read_without_the_lock(void **state)
{
	(void)state;
	wr(MU_BAUD, BAUD_115200);
	assert_true(status_unlocked_matches(MU_LSR)); /* idle */
	assert_true(status_unlocked_matches(MU_STAT));
	type("ab");
	assert_true(status_unlocked_matches(MU_LSR)); /* data ready */
	assert_true(status_unlocked_matches(MU_STAT));
	for (unsigned int i = 1; i < 8; i++) {
		wr(MU_IO, 'a');
		assert_true(status_unlocked_matches(MU_LSR)); /* 1-7 bytes, then taken at once */
		assert_true(status_unlocked_matches(MU_STAT));
	}
	/* The line has sent them: shown empty without the model being changed. */
	fake_host.now_us += 8 * CHAR_TIME_US;
	uint64_t lsr = 0;
	assert_int_equal(vaux_read_status(&aux, MU_LSR, 4, &lsr), MMIO_HANDLED);
	assert_int_equal(lsr, LSR_DATA_READY | LSR_TX_EMPTY | LSR_TX_IDLE);
	assert_int_equal(aux.tx_level, 7);
	assert_true(status_unlocked_matches(MU_STAT)); /* the locked read settles it */
	assert_int_equal(aux.tx_level, 0);
	wr(MU_CNTL, 0); /* receiver and transmitter off */
	assert_true(status_unlocked_matches(MU_LSR));
	assert_true(status_unlocked_matches(MU_STAT));
}

/* Emptying the FIFO would raise the transmit interrupt: that read takes the locked way. */
static void test_status_read_that_moves_the_line_takes_the_lock(void **state)
{
	(void)state;
	wr(MU_BAUD, BAUD_115200);
	wr(MU_IER, 2);
	wr(MU_IO, 'x');
	assert_true(status_unlocked_matches(MU_LSR)); /* still sending */
	fake_host.now_us += CHAR_TIME_US;
	uint64_t value = 0;
	assert_int_equal(vaux_read_status(&aux, MU_LSR, 4, &value), MMIO_UNHANDLED);
	assert_false(aux_line());
	(void)rd(MU_LSR);
	assert_true(aux_line());
	assert_true(status_unlocked_matches(MU_LSR)); /* settled: no lock needed again */
}

/* Only LSR and STAT, by well-formed accesses; everything else goes the locked way. */
static void test_status_read_only_for_status_registers(void **state)
{
	uint64_t value = 0;

	(void)state;
	assert_int_equal(vaux_read_status(&aux, MU_IO, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vaux_read_status(&aux, MU_IIR, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vaux_read_status(&aux, MU_LSR + 1, 1, &value), MMIO_UNHANDLED);
	assert_int_equal(vaux_read_status(&aux, MU_LSR, 8, &value), MMIO_UNHANDLED);
	assert_int_equal(vaux_read_status(&aux, MU_LSR, 1, &value), MMIO_HANDLED);
	assert_int_equal(value, LSR_TX_EMPTY | LSR_TX_IDLE);
	assert_int_equal(vaux_read_status(&aux, MU_STAT, 2, &value), MMIO_HANDLED);
	assert_int_equal(value, STAT_IDLE_EMPTY & 0xffff);
}

/* Polls without the lock count towards "spinning" like locked ones. */
static void test_unlocked_status_polls_count_as_spinning(void **state)
{
	uint64_t value;

	(void)state;
	for (unsigned int i = 0; i < 65; i++)
		assert_int_equal(vaux_read_status(&aux, MU_LSR, 4, &value), MMIO_HANDLED);
	assert_int_equal(fake_host.spins, 1);
}

/* IIR bit 2 written clears the transmit FIFO; its bytes were already sent. */
static void test_tx_fifo_clear(void **state)
{
	(void)state;
	wr(MU_IER, 2);
	wr(MU_BAUD, BAUD_115200);
	wr(MU_IO, 'a');
	assert_false(aux_line());
	wr(MU_IIR, 0x4);
	assert_true(aux_line());
	assert_int_equal(rd(MU_STAT), STAT_IDLE_EMPTY);
	assert_string_equal((const char *)fake_host.output, "a");
}

/* The same LSR value read many times in a row is a guest spinning: it is told so once per 64. */
static void test_repeated_status_polls_count_as_spinning(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < 64; i++)
		(void)rd(MU_LSR);
	assert_int_equal(fake_host.spins, 0); /* the first read sets the value, 63 repeat it */
	(void)rd(MU_LSR);
	assert_int_equal(fake_host.spins, 1);
	for (unsigned int i = 0; i < 63; i++)
		(void)rd(MU_STAT); /* another value starts the count again */
	assert_int_equal(fake_host.spins, 1);
	wr(MU_IO, 'z'); /* so does a write */
	for (unsigned int i = 0; i < 63; i++)
		(void)rd(MU_STAT);
	assert_int_equal(fake_host.spins, 1);
	type("k"); /* input changes LSR: not spinning */
	(void)rd(MU_LSR);
	assert_int_equal(fake_host.spins, 1);
}

static void test_iir_prefers_receive(void **state)
{
	(void)state;
	wr(MU_IER, 3);
	type("q");
	assert_int_equal(rd(MU_IIR), IIR_RX_DATA);
	(void)rd(MU_IO);
	assert_int_equal(rd(MU_IIR), IIR_TX_IDLE);
}

/* The line is recomputed by the accesses that can move it, and only a change is passed on. */
static void test_line_recomputed_when_an_access_can_move_it(void **state)
{
	(void)state;
	wr(MU_IER, 1);
	type("w");
	assert_true(aux_line());
	unsigned int calls = fake_host.irq_line_calls;
	wr(MU_SCRATCH, 5);
	(void)rd(MU_LSR);
	assert_int_equal(fake_host.irq_line_calls, calls);
	(void)rd(MU_IO); /* takes the byte: the line drops */
	assert_false(aux_line());
	assert_int_equal(fake_host.irq_line_calls, calls + 1);
	wr(MU_IER, 0); /* recomputed, still low: nothing to pass on */
	assert_false(aux_line());
	assert_int_equal(fake_host.irq_line_calls, calls + 1);
	wr(MU_IER, 2); /* the transmit interrupt: the FIFO is empty, the line rises */
	assert_true(aux_line());
	assert_int_equal(fake_host.irq_line_calls, calls + 2);
}

static void test_fifo_clear_keeps_typed_input(void **state)
{
	(void)state;
	type("keep");
	wr(MU_IIR, 0x6); /* clear both FIFOs */
	assert_int_equal(rd(MU_STAT) >> 16 & 0xf, 4);
	assert_int_equal(rd(MU_IO), 'k');
	assert_int_equal(rd(MU_IIR), IIR_NONE);
}

static void test_dlab_reaches_baud_divisor(void **state)
{
	(void)state;
	wr(MU_LCR, 0x83);
	wr(MU_IO, 0x0e);
	wr(MU_IER, 0x01);
	assert_int_equal(rd(MU_BAUD), 0x010e);
	assert_int_equal(rd(MU_IO), 0x0e);
	assert_int_equal(rd(MU_IER), 0x01);
	assert_int_equal(fake_host.output_len, 0); /* nothing was transmitted */
	wr(MU_LCR, 0x03);
	assert_int_equal(rd(MU_IER), 0); /* IER itself was not written */
	wr(MU_BAUD, 270);
	wr(MU_LCR, 0x83);
	assert_int_equal(rd(MU_IO), 270 & 0xff);
	assert_int_equal(rd(MU_IER), 270 >> 8);
	wr(MU_LCR, 0x03);
	wr(MU_IO, 'o');
	assert_string_equal((const char *)fake_host.output, "o");
}

static void test_plain_registers_read_back(void **state)
{
	(void)state;
	wr(MU_LCR, 0x03);
	wr(MU_MCR, 0x02);
	wr(MU_SCRATCH, 0xa5);
	wr(MU_CNTL, 0x03);
	wr(MU_IER, 0xff);
	wr(AUX_ENABLES, 0xff);
	assert_int_equal(rd(MU_LCR), 0x03);
	assert_int_equal(rd(MU_MCR), 0x02);
	assert_int_equal(rd(MU_SCRATCH), 0xa5);
	assert_int_equal(rd(MU_CNTL), 0x03);
	assert_int_equal(rd(MU_IER), 0x0f);
	assert_int_equal(rd(AUX_ENABLES), 0x07);
	/* Read-only registers ignore writes. */
	wr(MU_LSR, 0);
	wr(MU_STAT, 0);
	wr(AUX_IRQ, 1);
	assert_int_equal(rd(MU_LSR), LSR_TX_EMPTY | LSR_TX_IDLE);
}

static void test_byte_and_halfword_accesses(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(vaux_write(&aux, MU_IO, 1, 'b'), MMIO_HANDLED);
	assert_string_equal((const char *)fake_host.output, "b");
	fake_host.now_us = 1; /* at AUX_MU_BAUD 0 the byte is sent within 1 us */
	type("r");
	assert_int_equal(vaux_read(&aux, MU_IO, 1, &value), MMIO_HANDLED);
	assert_int_equal(value, 'r');
	assert_int_equal(vaux_read(&aux, MU_STAT, 2, &value), MMIO_HANDLED);
	assert_int_equal(value, STAT_IDLE_EMPTY);
	assert_int_equal(vaux_read(&aux, MU_LSR, 1, &value), MMIO_HANDLED);
	assert_int_equal(value, LSR_TX_EMPTY | LSR_TX_IDLE);
	/* Other byte lanes are not registers; odd sizes and misalignment are errors. */
	assert_int_equal(vaux_read(&aux, MU_IO + 1, 1, &value), MMIO_UNHANDLED);
	assert_int_equal(value, 0);
	assert_int_equal(vaux_write(&aux, MU_IO + 2, 2, 'x'), MMIO_UNHANDLED);
	assert_int_equal(vaux_read(&aux, MU_IO + 1, 2, &value), MMIO_ERROR);
	assert_int_equal(vaux_read(&aux, MU_IO, 8, &value), MMIO_ERROR);
	assert_int_equal(vaux_write(&aux, MU_IO + 2, 4, 'x'), MMIO_ERROR);
	assert_string_equal((const char *)fake_host.output, "b");
	/* A write gets the guest's whole register and keeps the bytes the access carries. */
	assert_int_equal(vaux_write(&aux, MU_SCRATCH, 1, 0x1234567890abcdefUL), MMIO_HANDLED);
	assert_int_equal(rd(MU_SCRATCH), 0xef);
	assert_int_equal(vaux_write(&aux, MU_BAUD, 4, 0xffffffff00000010UL), MMIO_HANDLED);
	assert_int_equal(rd(MU_BAUD), 0x10);
}

static void test_unknown_offsets(void **state)
{
	uint64_t value;

	(void)state;
	assert_int_equal(vaux_read(&aux, 0x08, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vaux_read(&aux, 0x6c, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(vaux_read(&aux, 0x80, 4, &value), MMIO_UNHANDLED); /* SPI1: not modelled */
	assert_int_equal(vaux_write(&aux, 0xd0, 4, 1), MMIO_UNHANDLED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_reset_values, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_transmit_goes_to_console, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_transmit_full_console, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_transmit_needs_enables, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_receive_in_order, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_reset_keeps_typed_input, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_receive_level_saturates_at_fifo_depth, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_receiver_off_keeps_input, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_rx_interrupt_follows_input_and_ier, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_interrupt_follows_console_space, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_fifo_level_follows_the_line, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_fifo_empties_for_a_polling_guest, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_full_tx_fifo_is_taken_at_once, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_tx_fifo_clear, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_repeated_status_polls_count_as_spinning, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_iir_prefers_receive, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_line_recomputed_when_an_access_can_move_it, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_fifo_clear_keeps_typed_input, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_dlab_reaches_baud_divisor, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_plain_registers_read_back, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_byte_and_halfword_accesses, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_offsets, setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_status_read_without_the_lock, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_status_read_that_moves_the_line_takes_the_lock,
					    setup, fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_status_read_only_for_status_registers, setup,
					    fake_host_teardown),
	    cmocka_unit_test_setup_teardown(test_unlocked_status_polls_count_as_spinning, setup,
					    fake_host_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
