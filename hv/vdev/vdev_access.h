#pragma once
/*
 * The access path shared by the device models: check the guest's access,
 * call the model's function for the one 32-bit register it reaches, and
 * give back what the access carries. A model writes only its register
 * file (offset in, 32-bit value in or out); its vxxx_read/vxxx_write are
 * one call to vdev_read/vdev_write.
 *
 * BCM2837 peripheral registers are 32 bits wide and drivers access them as
 * aligned words; QEMU's models of the interrupt controllers, system timer
 * and mailbox accept nothing else. The models here do the same
 * (min_size 4; the AUX block, which QEMU lets guests access bytewise, is
 * the exception: see aux.c) and answer any other access with MMIO_ERROR,
 * which stops the VM: such an access is a guest bug, and guessing what the
 * hardware would do would hide it.
 */
#include "core/mmio.h"

#include <stdint.h>

/* One register of the model `dev` at offset, a multiple of 4. */
typedef enum mmio_result (*vdev_reg_read_fn)(void *dev, uint64_t offset, uint32_t *value);
typedef enum mmio_result (*vdev_reg_write_fn)(void *dev, uint64_t offset, uint32_t value);

struct vdev_registers {
	vdev_reg_read_fn read;
	vdev_reg_write_fn write;
	unsigned int min_size; /* the narrowest access accepted: 4 (words only) or 1 */
	/*
	 * Optional: called after every access, whatever its result, by models
	 * whose interrupt line follows state an access changes (a FIFO read,
	 * an enable bit), so the line is right before the guest runs again.
	 */
	void (*update_irq)(void *dev);
};

/*
 * MMIO_ERROR for a size other than 1, 2 or 4, below min_size, or not
 * aligned to itself. An aligned narrow access that does not start at a
 * register's first byte is MMIO_UNHANDLED: the other byte lanes are not
 * registers, but touching them is no worse than touching a hole.
 */
static inline enum mmio_result vdev_check_access(const struct vdev_registers *regs, uint64_t offset,
						 unsigned int size)
{
	if ((size != 1 && size != 2 && size != 4) || size < regs->min_size)
		return MMIO_ERROR;
	if (offset & (size - 1))
		return MMIO_ERROR;
	return (offset & 3) ? MMIO_UNHANDLED : MMIO_HANDLED;
}

/* The bits an access of size 1, 2 or 4 bytes carries (all 32 for anything wider). */
static inline uint32_t vdev_size_mask(unsigned int size)
{
	return size >= 4 ? 0xffffffffU : (1U << (8 * size)) - 1;
}

/* A guest read: the register's low `size` bytes, or 0 where no register was read. */
static inline enum mmio_result vdev_read(const struct vdev_registers *regs, void *dev,
					 uint64_t offset, unsigned int size, uint64_t *value)
{
	enum mmio_result result = vdev_check_access(regs, offset, size);
	uint32_t word = 0;

	if (result == MMIO_HANDLED)
		result = regs->read(dev, offset, &word);
	*value = word & vdev_size_mask(size);
	if (regs->update_irq)
		regs->update_irq(dev);
	return result;
}

/* A guest write: a narrow write reaches the register as a 32-bit value with the upper bits 0. */
static inline enum mmio_result vdev_write(const struct vdev_registers *regs, void *dev,
					  uint64_t offset, unsigned int size, uint64_t value)
{
	enum mmio_result result = vdev_check_access(regs, offset, size);

	if (result == MMIO_HANDLED)
		result = regs->write(dev, offset, (uint32_t)value & vdev_size_mask(size));
	if (regs->update_irq)
		regs->update_irq(dev);
	return result;
}
