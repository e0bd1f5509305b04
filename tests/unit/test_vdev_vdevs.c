/*
 * Unit tests for hv/vdev/bcm2837/vdevs.c: one VM's devices put together on
 * a real MMIO bus (hv/core/mmio.c), with the fake host setting line levels
 * in the aggregate's bitmap as the core does. These follow interrupts from
 * a device through both controllers to a vCPU's IRQ input.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/mmio.h"
#include "fake_vdev_host.h"
#include "vdev/bcm2837/vdevs.h"

#define INTC_BASIC_PENDING 0x3f00b200ULL
#define INTC_ENABLE_1	   0x3f00b210ULL
#define INTC_ENABLE_BASIC  0x3f00b218ULL
#define AUX_MU_IO	   0x3f215040ULL
#define AUX_MU_IER	   0x3f215044ULL
#define SYSTIMER_CS	   0x3f003000ULL
#define SYSTIMER_C1	   0x3f003010ULL
#define GPIO_GPFSEL1	   0x3f200004ULL
#define MAIL0_READ	   0x3f00b880ULL
#define MAIL0_CONFIG	   0x3f00b89cULL
#define MAIL1_WRITE	   0x3f00b8a0ULL
#define LOCAL_GPU_ROUTING  0x4000000cULL
#define LOCAL_TIMER_CTL_0  0x40000040ULL
#define LOCAL_IRQ_SOURCE_0 0x40000060ULL

static struct bcm2837_vdevs devs;

/* The vCPU's IRQ input with its virtual-timer line at `vtimer_line`. */
static bool irq_pending(unsigned int vcpu, bool vtimer_line)
{
	return bcm2837_vdevs_irq_inputs(&devs, vcpu) &
	       (vtimer_line ? VLOCAL_IRQ_WITH_VTIMER : VLOCAL_IRQ_WITHOUT_VTIMER);
}
static struct mmio_bus bus;

static int setup(void **state)
{
	(void)state;
	fake_host_reset(1U << 20);
	bcm2837_vdevs_init(&devs, fake_vm());
	fake_host.irq_lines = &devs.irq_lines; /* as the core's vdev_set_irq_line does */
	mmio_bus_init(&bus);
	assert_true(bcm2837_vdevs_register(&devs, &bus));
	return 0;
}

static uint32_t rd(uint64_t addr)
{
	uint64_t value = 0xdeadbeef;

	assert_int_equal(mmio_read(&bus, addr, 4, &value), MMIO_HANDLED);
	return (uint32_t)value;
}

static void wr(uint64_t addr, uint32_t value)
{
	assert_int_equal(mmio_write(&bus, addr, 4, value), MMIO_HANDLED);
}

static void test_every_region_registered(void **state)
{
	static const struct {
		uint64_t base, size;
	} expected[] = {
	    {0x3f00b200, 0x200}, {0x3f215000, 0x100}, {0x3f003000, 0x1c},  {0x3f200000, 0xb4},
	    {0x3f00b880, 0x40},	 {0x40000000, 0x100}, {0x3f100000, 0x100},
	};
	const size_t count = sizeof(expected) / sizeof(expected[0]);

	(void)state;
	assert_int_equal(bus.count, count);
	for (size_t i = 0; i < count; i++) {
		const struct mmio_region *r = mmio_find(&bus, expected[i].base);

		assert_non_null(r);
		assert_int_equal(r->base, expected[i].base);
		assert_int_equal(r->size, expected[i].size);
		assert_ptr_equal(mmio_find(&bus, expected[i].base + expected[i].size - 1), r);
	}
	/* A second registration overlaps the first. */
	assert_false(bcm2837_vdevs_register(&devs, &bus));
}

static void test_console_input_reaches_vcpu_irq(void **state)
{
	(void)state;
	wr(AUX_MU_IER, 1);
	wr(INTC_ENABLE_1, 1U << VAUX_IRQ);
	assert_false(irq_pending(0, false));

	fake_host_type("A");
	bcm2837_vdevs_console_input(&devs);
	assert_true(devs.irq_lines & (1ULL << VAUX_IRQ));
	assert_true(irq_pending(0, false));
	assert_false(irq_pending(1, false)); /* GPU IRQs go to core 0 */
	assert_int_equal(rd(INTC_BASIC_PENDING), 1U << 8);
	assert_int_equal(rd(LOCAL_IRQ_SOURCE_0), 1U << 8);

	assert_int_equal(rd(AUX_MU_IO), 'A');
	assert_false(irq_pending(0, false));
}

static void test_gpu_routing_moves_irq_to_another_vcpu(void **state)
{
	(void)state;
	wr(AUX_MU_IER, 2); /* TX empty: high at once */
	wr(INTC_ENABLE_1, 1U << VAUX_IRQ);
	wr(LOCAL_GPU_ROUTING, 3);
	assert_false(irq_pending(0, false));
	assert_true(irq_pending(3, false));
}

static void test_system_timer_match_wakes_vcpu(void **state)
{
	(void)state;
	fake_host.now_us = 1000;
	wr(SYSTIMER_C1, 3000);
	wr(INTC_ENABLE_1, 1U << 1);
	assert_int_equal(bcm2837_vdevs_poll_timers(&devs, 2000), 3000);
	assert_false(irq_pending(0, false));
	assert_int_equal(bcm2837_vdevs_poll_timers(&devs, 3000), UINT64_MAX);
	assert_true(irq_pending(0, false));
	fake_host.now_us = 3000;
	wr(SYSTIMER_CS, 1U << 1);
	assert_false(irq_pending(0, false));
}

static void test_mailbox_answer_raises_basic_irq(void **state)
{
	const uint32_t buf[] = {12, 0, 0};

	(void)state;
	memcpy(fake_host.ram + 0x2000, buf, sizeof(buf));
	wr(MAIL0_CONFIG, 1);
	wr(INTC_ENABLE_BASIC, 1U << VINTC_ARM_MAILBOX);
	wr(MAIL1_WRITE, 0x2000 | 8);
	assert_true(irq_pending(0, false));
	assert_int_equal(rd(INTC_BASIC_PENDING), 1U << VINTC_ARM_MAILBOX);
	assert_int_equal(rd(MAIL0_READ), 0x2008);
	assert_false(irq_pending(0, false));
}

static void test_virtual_timer_line(void **state)
{
	(void)state;
	assert_false(irq_pending(0, true));
	wr(LOCAL_TIMER_CTL_0, 1U << 3);
	assert_true(irq_pending(0, true));
	/* The source register shows the timer line as it is when read (the guest re-arms CNTV
	 * untrapped). */
	fake_host.vtimer_line[0] = true;
	(void)bcm2837_vdevs_take_irq_change(&devs);
	assert_int_equal(rd(LOCAL_IRQ_SOURCE_0), 1U << 3);
	/* That read is the guest taking its timer interrupt: the core is told, VI re-evaluated. */
	assert_int_equal(fake_host.vtimer_taken[0], 1);
	assert_true(bcm2837_vdevs_take_irq_change(&devs));
	fake_host.vtimer_line[0] = false;
	assert_int_equal(rd(LOCAL_IRQ_SOURCE_0), 0);
	assert_int_equal(fake_host.vtimer_taken[0], 1);
	assert_false(bcm2837_vdevs_take_irq_change(&devs));
	/* Core 1's register names core 1 (the core checks that the reader is that vCPU). */
	fake_host.vtimer_line[1] = true;
	(void)rd(LOCAL_IRQ_SOURCE_0 + 4);
	assert_int_equal(fake_host.vtimer_taken[1], 0); /* not routed to IRQ: not shown */
	wr(LOCAL_TIMER_CTL_0 + 4, 1U << 3);
	assert_int_equal(rd(LOCAL_IRQ_SOURCE_0 + 4), 1U << 3);
	assert_int_equal(fake_host.vtimer_taken[1], 1);
	assert_int_equal(fake_host.vtimer_taken[0], 1);
	fake_host.vtimer_line[1] = false;
	assert_false(bcm2837_vdevs_fiq_pending(&devs, 0, true));
	wr(LOCAL_TIMER_CTL_0, 1U << 7);
	assert_true(bcm2837_vdevs_fiq_pending(&devs, 0, true));
	assert_false(irq_pending(0, true));
}

static void test_gpio_and_unclaimed_addresses(void **state)
{
	uint64_t value;

	(void)state;
	wr(GPIO_GPFSEL1, 2U << 12);
	assert_int_equal(rd(GPIO_GPFSEL1), 2U << 12);
	/* A register hole in a model and an address no model claims: RAZ/WI, counted. */
	assert_int_equal(mmio_read(&bus, 0x3f215008, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(mmio_read(&bus, 0x3f201000, 4, &value), MMIO_UNHANDLED);
	assert_int_equal(value, 0);
	assert_int_equal(bus.unhandled_reads, 2);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, fake_host_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_every_region_registered),
	    TEST(test_console_input_reaches_vcpu_irq),
	    TEST(test_gpu_routing_moves_irq_to_another_vcpu),
	    TEST(test_system_timer_match_wakes_vcpu),
	    TEST(test_mailbox_answer_raises_basic_irq),
	    TEST(test_virtual_timer_line),
	    TEST(test_gpio_and_unclaimed_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
