# Host unit tests of the hardware-independent code (cmocka).
#
# tests/unit/test_NAME.c is built with the host compiler and sanitizers into
# $(BUILD)/unit/test_NAME, linked with the sources listed in UNIT_SRCS_NAME
# (hv/lib/NAME.c when that variable is not set). hv/lib/string.c is not
# linked for the host: the tests use the C library's functions, and
# test_string.c includes string.c under other names to test it.
# To add a test, write tests/unit/test_NAME.c, add NAME to UNIT_TESTS and,
# if it tests code outside hv/lib, set UNIT_SRCS_NAME.

UNIT_CC      ?= gcc
UNIT_BUILD   := $(BUILD)/unit
UNIT_CFLAGS  := -std=gnu11 -Wall -Wextra -Werror -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Ihv -Itests/unit
UNIT_LDLIBS  := -lcmocka -pthread
UNIT_TESTS   := ringbuf printf lineedit cmdline esr stage2 abort mm sched_policy mmio
UNIT_TESTS   += config cpulist string
UNIT_SRCS_cpulist := hv/lib/cpulist.c hv/lib/printf.c
UNIT_SRCS_config := hv/core/config.c hv/lib/cmdline.c hv/lib/cpulist.c hv/lib/printf.c tests/unit/host_string.c
UNIT_SRCS_esr := hv/arch/arm64/esr.c
UNIT_SRCS_stage2 := hv/arch/arm64/stage2.c
# Header-only code under test: nothing to link but the test.
UNIT_HEADER_ONLY := abort
# The hypervisor's own string.c, under other names beside the C library's (test_string.c).
UNIT_HEADER_ONLY += string
UNIT_SRCS_mm := hv/core/mm.c
UNIT_SRCS_sched_policy := hv/core/sched_policy.c
UNIT_SRCS_mmio := hv/core/mmio.c
# A vCPU's emulated debug registers: what a guest may set, and what it reads back.
UNIT_TESTS += vdebug
UNIT_SRCS_vdebug := hv/core/vdebug.c

# The SD driver's pure decoding (card registers, clock divisor, transfer
# commands, write completion from CMD13) and the MBR reader.
UNIT_TESTS += sd_decode mbr
UNIT_SRCS_mbr := hv/fs/mbr.c
UNIT_SRCS_sd_decode := hv/board/bcm2837/sd_decode.c

# Device models (hv/vdev/bcm2837), each with the fake hypervisor side.
VDEV_DIR  := hv/vdev/bcm2837
VDEV_FAKE := tests/unit/fake_vdev_host.c
UNIT_TESTS += vdev_intc vdev_aux vdev_systimer vdev_gpio vdev_mailbox vdev_local vdev_vdevs vdev_pm
UNIT_SRCS_vdev_pm := $(VDEV_DIR)/pm.c $(VDEV_FAKE)
UNIT_SRCS_vdev_intc := $(VDEV_DIR)/intc.c
UNIT_SRCS_vdev_aux := $(VDEV_DIR)/aux.c $(VDEV_FAKE)
UNIT_SRCS_vdev_systimer := $(VDEV_DIR)/systimer.c $(VDEV_FAKE)
UNIT_SRCS_vdev_gpio := $(VDEV_DIR)/gpio.c
UNIT_SRCS_vdev_mailbox := $(VDEV_DIR)/mailbox.c $(VDEV_FAKE)
UNIT_SRCS_vdev_local := $(VDEV_DIR)/local_intc.c $(VDEV_DIR)/intc.c
UNIT_SRCS_vdev_vdevs := $(wildcard $(VDEV_DIR)/*.c) hv/core/mmio.c $(VDEV_FAKE)
# The virtio block device over a disk in memory.
UNIT_TESTS += vdev_virtio_blk
UNIT_SRCS_vdev_virtio_blk := hv/vdev/virtio_blk.c hv/vdev/virtqueue.c $(VDEV_FAKE)

# FAT32 reader (hv/fs/): test_fat32 checks it against images made by
# scripts/mkfatimages.py with mkfs.fat and mtools, test_fat32_corrupt patches
# damage into them. The images go to $(BUILD)/fat32 (the tests find them
# next to their own directory).
UNIT_TESTS += fat32 fat32_corrupt
UNIT_SRCS_fat32 := $(wildcard hv/fs/*.c) hv/lib/printf.c tests/unit/fat32_test_util.c
UNIT_SRCS_fat32_corrupt := $(UNIT_SRCS_fat32)
FAT32_IMAGES := $(BUILD)/fat32/.made
$(FAT32_IMAGES): scripts/mkfatimages.py
	@echo "  GEN     $(dir $@)"
	@rm -rf $(dir $@)
	@$(PYTHON) scripts/mkfatimages.py $(dir $@)
	@touch $@
# (Listed here too: the .d file of a several-source test names only the last source's headers.)
$(UNIT_BUILD)/test_fat32 $(UNIT_BUILD)/test_fat32_corrupt: $(FAT32_IMAGES) $(wildcard hv/fs/*.h) \
	tests/unit/fat32_test_util.h

# Code that runs on several cores at once, tested with pthreads under
# ThreadSanitizer. TSan cannot be combined with ASan, so these programs have
# their own flags and go to $(UNIT_BUILD)/tsan/. ATOMIC_HOST_BUILTINS makes
# lib/atomic.h use the __atomic builtins even on an AArch64 host: TSan does
# not see through inline assembly. Sources as for UNIT_TESTS
# (UNIT_SRCS_NAME, UNIT_HEADER_ONLY).
UNIT_TSAN_TESTS  := spinlock ringbuf_spsc console
UNIT_HEADER_ONLY += spinlock
UNIT_SRCS_ringbuf_spsc := hv/lib/ringbuf.c
# The console and the shell's line on it, typed on one thread, reported on by another.
UNIT_SRCS_console := hv/core/console.c hv/core/shell.c hv/lib/lineedit.c hv/lib/cmdline.c \
	hv/lib/printf.c hv/lib/ringbuf.c tests/unit/host_string.c
UNIT_TSAN_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 -fsanitize=thread \
	-fno-omit-frame-pointer -DATOMIC_HOST_BUILTINS -Ihv -Itests/unit
# A report fails the program at once with its own exit status (66), even when
# every cmocka assertion passed.
UNIT_TSAN_OPTIONS := halt_on_error=1 exitcode=66 second_deadlock_stack=1
# GCC 12's TSan runtime fails with "unexpected memory mapping" on kernels
# that randomize mmap with more bits than it expects (vm.mmap_rnd_bits > 28);
# without address randomization it always finds its layout. Used only when
# setarch -R works here (some containers forbid personality()). Expanded on
# use, so other targets do not run the probe.
UNIT_TSAN_RUN = $(shell setarch $$(uname -m) -R true 2>/dev/null && echo setarch $$(uname -m) -R)

unit_srcs = $(if $(filter $(1),$(UNIT_HEADER_ONLY)),,$(if $(UNIT_SRCS_$(1)),$(UNIT_SRCS_$(1)),hv/lib/$(1).c))
UNIT_BINS := $(UNIT_TESTS:%=$(UNIT_BUILD)/test_%)
UNIT_TSAN_BINS := $(UNIT_TSAN_TESTS:%=$(UNIT_BUILD)/tsan/test_%)

define unit_rule
$(UNIT_BUILD)/test_$(1): tests/unit/test_$(1).c $(call unit_srcs,$(1)) tests/unit/unit.mk
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@"
	@$(UNIT_CC) $(UNIT_CFLAGS) -MMD -MP -o $$@ tests/unit/test_$(1).c $(call unit_srcs,$(1)) $(UNIT_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))
-include $(UNIT_BINS:=.d)

define unit_tsan_rule
$(UNIT_BUILD)/tsan/test_$(1): tests/unit/test_$(1).c $(call unit_srcs,$(1)) tests/unit/unit.mk
	@mkdir -p $$(dir $$@)
	@echo "  HOSTCC  $$@ (tsan)"
	@$(UNIT_CC) $(UNIT_TSAN_CFLAGS) -MMD -MP -o $$@ tests/unit/test_$(1).c $(call unit_srcs,$(1)) $(UNIT_LDLIBS)
endef
$(foreach t,$(UNIT_TSAN_TESTS),$(eval $(call unit_tsan_rule,$(t))))
-include $(UNIT_TSAN_BINS:=.d)

.PHONY: unit-test

# Runs every test even after a failure, so one run shows all of them.
unit-test: $(UNIT_BINS) $(UNIT_TSAN_BINS)
	@failed=""; \
	for t in $(UNIT_BINS); do \
		echo "== $$t"; \
		$$t || failed="$$failed $$t"; \
	done; \
	for t in $(UNIT_TSAN_BINS); do \
		echo "== $$t (ThreadSanitizer)"; \
		TSAN_OPTIONS="$(UNIT_TSAN_OPTIONS)" $(UNIT_TSAN_RUN) $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "unit-test: FAILED:$$failed"; exit 1; fi; \
	echo "unit-test: all $(words $(UNIT_BINS) $(UNIT_TSAN_BINS)) programs passed"
