/*
 * The fake hypervisor side of the device models (see fake_vdev_host.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fake_vdev_host.h"

struct fake_vdev_host fake_host;

struct vm *fake_vm(void)
{
	return (struct vm *)&fake_host;
}

/* Models must pass back the VM they were given. */
static void check_vm(const struct vm *vm)
{
	assert_ptr_equal(vm, fake_vm());
}

void fake_host_reset(uint64_t ram_size)
{
	free(fake_host.ram);
	memset(&fake_host, 0, sizeof(fake_host));
	fake_host.irq_lines = &fake_host.own_lines;
	fake_host.vm_id = 1;
	fake_host.vm_name = "test";
	fake_host.ram_size = ram_size;
	fake_host.ram = malloc(ram_size ? ram_size : 1);
	assert_non_null(fake_host.ram);
	memset(fake_host.ram, FAKE_RAM_FILL, ram_size);
}

void fake_host_release(void)
{
	free(fake_host.ram);
	fake_host.ram = NULL;
	fake_host.ram_size = 0;
}

int fake_host_teardown(void **state)
{
	(void)state;
	fake_host_release();
	return 0;
}

void fake_host_type_bytes(const uint8_t *bytes, size_t n)
{
	assert_true(fake_host.input_tail + n <= FAKE_INPUT_MAX);
	memcpy(&fake_host.input[fake_host.input_tail], bytes, n);
	fake_host.input_tail += n;
}

void fake_host_type(const char *text)
{
	fake_host_type_bytes((const uint8_t *)text, strlen(text));
}

bool fake_irq_line(unsigned int line)
{
	return (*fake_host.irq_lines >> line) & 1;
}

uint64_t vdev_now_us(struct vm *vm)
{
	check_vm(vm);
	return fake_host.now_us;
}

uint32_t vdev_now_us_low(struct vm *vm)
{
	check_vm(vm);
	return (uint32_t)fake_host.now_us;
}

/* The fake counter runs at FAKE_TICKS_PER_US, so that a model mixing up ticks and microseconds
 * shows. */
uint64_t vdev_ticks(void)
{
	return fake_host.now_us * FAKE_TICKS_PER_US;
}

uint64_t vdev_ticks_in_us(uint64_t us)
{
	return us * FAKE_TICKS_PER_US;
}

uint64_t vdev_now_us_at_ticks(struct vm *vm, uint64_t ticks)
{
	check_vm(vm);
	return (ticks + FAKE_TICKS_PER_US - 1) / FAKE_TICKS_PER_US;
}

void vdev_set_irq_line(struct vm *vm, unsigned int line, bool level)
{
	check_vm(vm);
	assert_true(line < 64);
	fake_host.irq_line_calls++;
	if (level)
		*fake_host.irq_lines |= 1ULL << line;
	else
		*fake_host.irq_lines &= ~(1ULL << line);
}

void vdev_console_write(struct vm *vm, uint8_t byte)
{
	check_vm(vm);
	assert_true(fake_host.output_len < FAKE_OUTPUT_MAX);
	fake_host.output[fake_host.output_len++] = byte;
	fake_host.output[fake_host.output_len] = 0;
}

uint32_t vdev_console_input_count(struct vm *vm)
{
	check_vm(vm);
	return (uint32_t)(fake_host.input_tail - fake_host.input_head);
}

bool vdev_console_read(struct vm *vm, uint8_t *byte)
{
	check_vm(vm);
	if (fake_host.input_head == fake_host.input_tail)
		return false;
	*byte = fake_host.input[fake_host.input_head++];
	return true;
}

void vdev_timer_armed(struct vm *vm)
{
	check_vm(vm);
	fake_host.timers_armed++;
}

void vdev_guest_spinning(struct vm *vm)
{
	check_vm(vm);
	fake_host.spins++;
}

void vdev_request_reset(struct vm *vm, bool power_off)
{
	check_vm(vm);
	if (power_off)
		fake_host.power_offs++;
	else
		fake_host.resets++;
}

bool vdev_vtimer_line(struct vm *vm, unsigned int index)
{
	check_vm(vm);
	return index < FAKE_VCPUS && fake_host.vtimer_line[index];
}

void vdev_vtimer_taken(struct vm *vm, unsigned int index)
{
	check_vm(vm);
	if (index < FAKE_VCPUS)
		fake_host.vtimer_taken[index]++;
}

void *vdev_guest_ptr(struct vm *vm, uint64_t ipa, uint64_t size)
{
	check_vm(vm);
	if (ipa >= fake_host.ram_size || size > fake_host.ram_size - ipa)
		return NULL;
	return fake_host.ram + ipa;
}

void vdev_guest_sync(struct vm *vm, void *ptr, uint64_t size)
{
	check_vm(vm);
	/* The synced range must be guest RAM the model was given. */
	assert_true((uint8_t *)ptr >= fake_host.ram);
	assert_true((uint8_t *)ptr + size <= fake_host.ram + fake_host.ram_size);
	fake_host.syncs++;
}

uint64_t vdev_ram_size(struct vm *vm)
{
	check_vm(vm);
	return fake_host.ram_size;
}

unsigned int vdev_vm_id(struct vm *vm)
{
	check_vm(vm);
	return fake_host.vm_id;
}

const char *vdev_vm_name(struct vm *vm)
{
	check_vm(vm);
	return fake_host.vm_name;
}
