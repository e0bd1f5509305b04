/*
 * Unit tests for hv/vdev/bcm2837/local_intc.c: the BCM2836 local
 * peripherals model (IRQ/FIQ source computation, GPU routing, core
 * mailboxes, stored control registers).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vdev/bcm2837/intc.h"
#include "vdev/bcm2837/local_intc.h"
#include "vdev_test_util.h"

#define CONTROL		    0x00
#define PRESCALER	    0x08
#define GPU_ROUTING	    0x0c
#define PMU_SET		    0x10
#define PMU_CLEAR	    0x14
#define CORE_TIMER_LS	    0x1c
#define CORE_TIMER_MS	    0x20
#define LOCAL_ROUTING	    0x24
#define AXI_COUNTERS	    0x2c
#define AXI_IRQ		    0x30
#define LOCAL_TIMER	    0x34
#define LOCAL_TIMER_FLAGS   0x38
#define TIMER_CONTROL(c)    (0x40 + 4 * (c))
#define MAILBOX_CONTROL(c)  (0x50 + 4 * (c))
#define IRQ_SOURCE(c)	    (0x60 + 4 * (c))
#define FIQ_SOURCE(c)	    (0x70 + 4 * (c))
#define MAILBOX_SET(c, m)   (0x80 + 16 * (c) + 4 * (m))
#define MAILBOX_CLEAR(c, m) (0xc0 + 16 * (c) + 4 * (m))

#define SRC_CNTV	 (1U << 3)
#define SRC_MAILBOX(m)	 (1U << (4 + (m)))
#define SRC_GPU		 (1U << 8)
#define TIMER_CNTV_IRQ	 (1U << 3)
#define TIMER_CNTV_FIQ	 (1U << 7)
#define GPU_IRQ_TO(core) (core)
#define GPU_FIQ_TO(core) ((core) << 2)
#define AUX_IRQ		 29

static struct vlocal local;
static struct vintc intc;
static uint64_t gpu_lines;
static uint32_t arm_lines;

static int setup(void **state)
{
	(void)state;
	gpu_lines = 0;
	arm_lines = 0;
	vintc_init(&intc, &gpu_lines, &arm_lines);
	vlocal_init(&local, &intc);
	return 0;
}

static uint32_t rd(uint64_t offset)
{
	return vdev_test_read(vlocal_read, &local, offset);
}

static void wr(uint64_t offset, uint32_t value)
{
	vdev_test_write(vlocal_write, &local, offset, value);
}

static void test_reset_reads_zero(void **state)
{
	(void)state;
	for (uint64_t offset = 0; offset < 0x100; offset += 4) {
		uint64_t value = 1;

		if (vlocal_read(&local, offset, 4, &value) == MMIO_HANDLED)
			assert_int_equal(value, 0);
	}
	for (unsigned int core = 0; core < VLOCAL_CORES; core++) {
		assert_false(vlocal_irq_pending(&local, core, false, false));
		assert_false(vlocal_fiq_pending(&local, core, false, false));
	}
}

static void test_control_registers_read_back(void **state)
{
	(void)state;
	wr(CONTROL, 0xffffffff);
	assert_int_equal(rd(CONTROL), 0x300);
	wr(PRESCALER, 0x80000000);
	assert_int_equal(rd(PRESCALER), 0x80000000);
	wr(GPU_ROUTING, 0xffffffff);
	assert_int_equal(rd(GPU_ROUTING), 0xf);
	wr(LOCAL_ROUTING, 0xffffffff);
	assert_int_equal(rd(LOCAL_ROUTING), 0x7);
	wr(AXI_COUNTERS, 0xffffffff);
	assert_int_equal(rd(AXI_COUNTERS), 0xfffff);
	wr(AXI_IRQ, 0xffffffff);
	assert_int_equal(rd(AXI_IRQ), 0x1fffff);
	wr(LOCAL_TIMER, 0xffffffff);
	assert_int_equal(rd(LOCAL_TIMER), 0x3fffffff); /* no interrupt flag: not running */
	wr(LOCAL_TIMER_FLAGS, 0xc0000000);
	assert_int_equal(rd(LOCAL_TIMER_FLAGS), 0);
	wr(TIMER_CONTROL(2), 0xffffffff);
	assert_int_equal(rd(TIMER_CONTROL(2)), 0xff);
	wr(MAILBOX_CONTROL(1), 0x1ff);
	assert_int_equal(rd(MAILBOX_CONTROL(1)), 0xff);
}

static void test_pmu_routing_set_and_clear(void **state)
{
	(void)state;
	wr(PMU_SET, 0x11);
	wr(PMU_SET, 0x02);
	assert_int_equal(rd(PMU_SET), 0x13);
	assert_int_equal(rd(PMU_CLEAR), 0x13);
	wr(PMU_CLEAR, 0x01);
	assert_int_equal(rd(PMU_SET), 0x12);
}

static void test_core_timer_reads_zero(void **state)
{
	(void)state;
	wr(CORE_TIMER_LS, 1234);
	wr(CORE_TIMER_MS, 5);
	assert_int_equal(rd(CORE_TIMER_LS), 0);
	assert_int_equal(rd(CORE_TIMER_MS), 0);
}

static void test_virtual_timer_irq(void **state)
{
	(void)state;
	assert_false(vlocal_irq_pending(&local, 0, false, true)); /* not enabled */
	assert_int_equal(rd(IRQ_SOURCE(0)), 0);
	wr(TIMER_CONTROL(0), TIMER_CNTV_IRQ);
	assert_true(vlocal_irq_pending(&local, 0, false, true));
	assert_int_equal(rd(IRQ_SOURCE(0)), SRC_CNTV);
	assert_int_equal(rd(FIQ_SOURCE(0)), 0);
	assert_false(vlocal_irq_pending(&local, 0, false, false)); /* line low */
	assert_int_equal(rd(IRQ_SOURCE(0)), 0);
	/* The other timer enables have no line behind them. */
	wr(TIMER_CONTROL(0), 0x7);
	assert_false(vlocal_irq_pending(&local, 0, false, true));
	/* Another core's control does not matter. */
	wr(TIMER_CONTROL(1), TIMER_CNTV_IRQ);
	assert_false(vlocal_irq_pending(&local, 0, false, true));
	assert_true(vlocal_irq_pending(&local, 1, false, true));
}

/* vlocal_irq_inputs gives both of vlocal_irq_pending's answers, whatever is routed where. */
static void test_irq_inputs_are_both_pending_answers(void **state)
{
	static const uint32_t timer_controls[] = {0, TIMER_CNTV_IRQ, 0x7, 0x80, 0x88};

	(void)state;
	for (unsigned int t = 0; t < sizeof(timer_controls) / sizeof(timer_controls[0]); t++) {
		for (unsigned int mailbox = 0; mailbox < 2; mailbox++) {
			for (unsigned int gpu = 0; gpu < 2; gpu++) {
				uint8_t inputs;

				wr(TIMER_CONTROL(0), timer_controls[t]);
				wr(MAILBOX_CONTROL(0), mailbox ? 1 : 0);
				wr(MAILBOX_SET(0, 0), 1);
				inputs = vlocal_irq_inputs(&local, 0, gpu);
				assert_int_equal(!!(inputs & VLOCAL_IRQ_WITHOUT_VTIMER),
						 vlocal_irq_pending(&local, 0, gpu, false));
				assert_int_equal(!!(inputs & VLOCAL_IRQ_WITH_VTIMER),
						 vlocal_irq_pending(&local, 0, gpu, true));
				wr(MAILBOX_CLEAR(0, 0), 1);
			}
		}
	}
	assert_int_equal(vlocal_irq_inputs(&local, VLOCAL_CORES, true), 0);
}

static void test_virtual_timer_fiq_wins(void **state)
{
	(void)state;
	wr(TIMER_CONTROL(2), TIMER_CNTV_IRQ | TIMER_CNTV_FIQ);
	assert_false(vlocal_irq_pending(&local, 2, false, true));
	assert_true(vlocal_fiq_pending(&local, 2, false, true));
	assert_int_equal(rd(IRQ_SOURCE(2)), 0);
	assert_int_equal(rd(FIQ_SOURCE(2)), SRC_CNTV);
}

static void test_core_mailboxes_set_read_clear(void **state)
{
	(void)state;
	wr(MAILBOX_SET(1, 2), 0x5);
	wr(MAILBOX_SET(1, 2), 0x100);
	assert_int_equal(rd(MAILBOX_CLEAR(1, 2)), 0x105);
	assert_int_equal(rd(MAILBOX_SET(1, 2)), 0); /* write-only */
	wr(MAILBOX_CLEAR(1, 2), 0x4);
	assert_int_equal(rd(MAILBOX_CLEAR(1, 2)), 0x101);
	/* Each of the 16 mailboxes is separate. */
	for (unsigned int core = 0; core < 4; core++) {
		for (unsigned int mb = 0; mb < 4; mb++) {
			if (core != 1 || mb != 2)
				assert_int_equal(rd(MAILBOX_CLEAR(core, mb)), 0);
		}
	}
	wr(MAILBOX_SET(3, 3), 0x80000000);
	assert_int_equal(rd(MAILBOX_CLEAR(3, 3)), 0x80000000);
	assert_int_equal(rd(0xfc), 0x80000000);
}

static void test_mailbox_interrupts(void **state)
{
	(void)state;
	wr(MAILBOX_SET(0, 3), 1);
	assert_false(vlocal_irq_pending(&local, 0, false, false)); /* not enabled */
	wr(MAILBOX_CONTROL(0), 1U << 3);
	assert_true(vlocal_irq_pending(&local, 0, false, false));
	assert_int_equal(rd(IRQ_SOURCE(0)), SRC_MAILBOX(3));
	wr(MAILBOX_SET(0, 1), 7); /* not enabled: not a source */
	assert_int_equal(rd(IRQ_SOURCE(0)), SRC_MAILBOX(3));
	wr(MAILBOX_CLEAR(0, 3), 1);
	assert_false(vlocal_irq_pending(&local, 0, false, false));
	/* FIQ enable (bit 4 + m) wins. */
	wr(MAILBOX_CONTROL(0), (1U << 1) | (1U << 5));
	assert_false(vlocal_irq_pending(&local, 0, false, false));
	assert_true(vlocal_fiq_pending(&local, 0, false, false));
	assert_int_equal(rd(FIQ_SOURCE(0)), SRC_MAILBOX(1));
	/* A mailbox of another core interrupts that core only. */
	wr(MAILBOX_CONTROL(2), 1U << 0);
	wr(MAILBOX_SET(2, 0), 1);
	assert_true(vlocal_irq_pending(&local, 2, false, false));
	assert_false(vlocal_irq_pending(&local, 3, false, false));
}

static void test_gpu_interrupt_routing(void **state)
{
	(void)state;
	assert_true(vlocal_irq_pending(&local, 0, true, false)); /* core 0 at reset */
	assert_false(vlocal_irq_pending(&local, 1, true, false));
	wr(GPU_ROUTING, GPU_IRQ_TO(2));
	assert_false(vlocal_irq_pending(&local, 0, true, false));
	assert_true(vlocal_irq_pending(&local, 2, true, false));
	assert_false(vlocal_irq_pending(&local, 2, false, false));
	wr(GPU_ROUTING, GPU_IRQ_TO(0) | GPU_FIQ_TO(3));
	assert_true(vlocal_fiq_pending(&local, 3, true, false));
	assert_false(vlocal_fiq_pending(&local, 0, true, false));
}

static void test_source_register_follows_intc(void **state)
{
	(void)state;
	gpu_lines = 1ULL << AUX_IRQ;
	assert_int_equal(rd(IRQ_SOURCE(0)), 0); /* not enabled in the ARM controller */
	intc.gpu_enable = 1ULL << AUX_IRQ;
	assert_int_equal(rd(IRQ_SOURCE(0)), SRC_GPU);
	assert_int_equal(rd(IRQ_SOURCE(1)), 0);
	wr(GPU_ROUTING, GPU_IRQ_TO(1));
	assert_int_equal(rd(IRQ_SOURCE(0)), 0);
	assert_int_equal(rd(IRQ_SOURCE(1)), SRC_GPU);
	/* FIQ: the ARM controller's FIQ output, routed by bits 3:2. */
	intc.fiq_control = 0x80 | AUX_IRQ;
	assert_int_equal(rd(FIQ_SOURCE(0)), SRC_GPU);
	wr(GPU_ROUTING, GPU_FIQ_TO(2));
	assert_int_equal(rd(FIQ_SOURCE(0)), 0);
	assert_int_equal(rd(FIQ_SOURCE(2)), SRC_GPU);
}

static void test_all_sources_together(void **state)
{
	(void)state;
	wr(TIMER_CONTROL(0), TIMER_CNTV_IRQ);
	wr(MAILBOX_CONTROL(0), 0xf);
	for (unsigned int mb = 0; mb < 4; mb++)
		wr(MAILBOX_SET(0, mb), 1);
	gpu_lines = 1;
	intc.gpu_enable = 1;
	assert_true(vlocal_irq_pending(&local, 0, true, true));
	assert_int_equal(rd(IRQ_SOURCE(0)), SRC_CNTV | 0xf0 | SRC_GPU);
}

static void test_no_such_core(void **state)
{
	(void)state;
	wr(TIMER_CONTROL(0), TIMER_CNTV_IRQ);
	assert_false(vlocal_irq_pending(&local, 4, true, true));
	assert_false(vlocal_fiq_pending(&local, 100, true, true));
}

static void test_no_intc(void **state)
{
	(void)state;
	vlocal_init(&local, NULL);
	assert_int_equal(rd(IRQ_SOURCE(0)), 0);
	assert_int_equal(rd(FIQ_SOURCE(0)), 0);
}

static void test_bad_accesses(void **state)
{
	static const uint64_t unused[] = {0x04, 0x18, 0x28, 0x3c};
	uint64_t value;

	(void)state;
	for (size_t i = 0; i < sizeof(unused) / sizeof(unused[0]); i++) {
		assert_int_equal(vlocal_read(&local, unused[i], 4, &value), MMIO_UNHANDLED);
		assert_int_equal(vlocal_write(&local, unused[i], 4, 1), MMIO_UNHANDLED);
	}
	wr(IRQ_SOURCE(1), 0xffffffff); /* read-only */
	wr(FIQ_SOURCE(3), 0xffffffff);
	assert_int_equal(rd(IRQ_SOURCE(1)), 0);
	assert_int_equal(vlocal_read(&local, IRQ_SOURCE(0), 8, &value), MMIO_ERROR);
	assert_int_equal(vlocal_write(&local, MAILBOX_SET(0, 0), 1, 1), MMIO_ERROR);
	assert_int_equal(vlocal_write(&local, MAILBOX_SET(0, 0) + 2, 4, 1), MMIO_ERROR);
	assert_int_equal(rd(MAILBOX_CLEAR(0, 0)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_reset_reads_zero, setup),
	    cmocka_unit_test_setup(test_control_registers_read_back, setup),
	    cmocka_unit_test_setup(test_pmu_routing_set_and_clear, setup),
	    cmocka_unit_test_setup(test_core_timer_reads_zero, setup),
	    cmocka_unit_test_setup(test_irq_inputs_are_both_pending_answers, setup),
	    cmocka_unit_test_setup(test_virtual_timer_irq, setup),
	    cmocka_unit_test_setup(test_virtual_timer_fiq_wins, setup),
	    cmocka_unit_test_setup(test_core_mailboxes_set_read_clear, setup),
	    cmocka_unit_test_setup(test_mailbox_interrupts, setup),
	    cmocka_unit_test_setup(test_gpu_interrupt_routing, setup),
	    cmocka_unit_test_setup(test_source_register_follows_intc, setup),
	    cmocka_unit_test_setup(test_all_sources_together, setup),
	    cmocka_unit_test_setup(test_no_such_core, setup),
	    cmocka_unit_test_setup(test_no_intc, setup),
	    cmocka_unit_test_setup(test_bad_accesses, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
