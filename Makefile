# aVisor — top-level build.
#
#   make          build build/kernel8.img and build/sdcard.img (PLATFORM=qemu)
#   make PLATFORM=rpi3         the same for a real Raspberry Pi 3, in build/rpi3/
#   make sdcard   the SD card image (rpi3: with Debian's Pi firmware, or FIRMWARE_DIR=...)
#   make run      install what is missing, build, boot the hypervisor in QEMU
#   make test     install what is missing, build, run lint + unit + system tests
#   make debug    boot QEMU halted with a GDB server and attach gdb-multiarch
#   make lint     clang-format check + cppcheck
#   make script-test  pytest of the Python build scripts (tests/scripts)
#   make fuzz     every fuzz target, longer than make test does
#   make bench    trap, interrupt, VM switch and boot costs in executed instructions
#                 (build/bench.txt, build/bench.log, chart build/bench.png and .svg)
#   make soak     8 VMs for SOAK_SECONDS (default 300) while the shell is used
#   make format   apply clang-format to every C source and header
#
# Everything produced goes under build/.

PLATFORM ?= qemu
ifeq ($(PLATFORM),qemu)
BUILD    ?= build
else ifeq ($(PLATFORM),rpi3)
BUILD    ?= build/rpi3
else
$(error PLATFORM=$(PLATFORM) is not known: use qemu (the default) or rpi3)
endif
CROSS    ?= aarch64-linux-gnu-
PYTHON   ?= /usr/bin/python3

CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
OBJDUMP := $(CROSS)objdump

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# Flags shared by everything that runs on the Pi (hypervisor and guests).
# -mgeneral-regs-only: the hypervisor never touches FP/SIMD registers, so a
# trap does not have to save the guest's FP state.
# -mstrict-align: code that runs before the MMU is on sees all memory as
# Device memory, where unaligned accesses fault.
TARGET_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-nostdlib -nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) \
	-fno-stack-protector -fno-pic -fno-common -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -march=armv8-a -mcpu=cortex-a53 -MMD -MP

.PHONY: all setup run test lint format unit-test script-test system-test debug clean sdcard soak \
	bench
all: $(BUILD)/kernel8.img $(BUILD)/sdcard.img

# Guests first: the hypervisor embeds their images.
include guests/guests.mk
include tests/guests/guests.mk
include scripts/debian.mk
include hv/hv.mk
include tests/unit/unit.mk
include tests/fuzz/fuzz.mk
include scripts/sdcard.mk

setup:
	@./scripts/setup.sh

run: setup
	@$(MAKE) --no-print-directory all
	@./scripts/qemu.sh

debug: setup
	@$(MAKE) --no-print-directory all
	@./scripts/debug.sh

test: setup
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit-test
	@$(MAKE) --no-print-directory script-test
	@$(MAKE) --no-print-directory fuzz-test
	@$(MAKE) --no-print-directory system-test

# Tests of the build scripts written in Python (tests/scripts, pytest).
script-test:
	$(PYTHON) -m pytest -q tests/scripts

# The system tests also check and boot the real Pi's card (build/rpi3/).
system-test: all
	@$(MAKE) --no-print-directory PLATFORM=rpi3 sdcard
	$(PYTHON) -m pytest -v --durations=15 tests/system

# Trap paths, interrupt latency, VM switch (two bench VMs) and boot time, in
# executed instructions (QEMU -icount), native vs aVisor; the chart needs
# gnuplot, which setup installs. docs/benchmarks.md explains every number.
bench: setup
	@$(MAKE) --no-print-directory all
	@$(PYTHON) scripts/bench.py $(BUILD)

# The soak test for longer: 8 VMs for SOAK_SECONDS (make test runs it for 20 s).
SOAK_SECONDS ?= 300
soak: setup
	@$(MAKE) --no-print-directory all
	AVISOR_SOAK_SECONDS=$(SOAK_SECONDS) $(PYTHON) -m pytest -v tests/system/test_console_stress.py -k soak

C_SOURCES := $(shell git ls-files -co --exclude-standard '*.c' '*.h' 2>/dev/null)

lint:
	@echo "lint: clang-format"
	@clang-format --dry-run --Werror $(C_SOURCES)
	@echo "lint: cppcheck"
	@cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
		--enable=warning,performance,portability \
		--suppress=missingIncludeSystem -Ihv -Iguests $(filter %.c,$(C_SOURCES))
	@echo "lint: clean"

format:
	clang-format -i $(C_SOURCES)

clean:
	rm -rf $(BUILD)
