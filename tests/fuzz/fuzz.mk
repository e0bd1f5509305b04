# libFuzzer targets for the parsers of outside input: tests/fuzz/fuzz_NAME.c.
#
#   fat32    the FAT32 reader (hv/fs/), on disk images
#   cmdline  the shell's line editor and command line parser (hv/lib/)
#   config   the VM configuration parser (hv/core/config.c), on avisor.cfg files
#   mailbox  the VideoCore mailbox model (hv/vdev/bcm2837/mailbox.c), on
#            property buffers in guest RAM and register accesses
#   abort    the data abort and ESR decoders (hv/arch/arm64/), on syndromes
#   virtio   the virtio-blk model and its split-virtqueue parser (hv/vdev/),
#            on descriptor tables, rings and requests in guest RAM
#
#   make fuzz-test   each target for FUZZ_SECONDS seconds (default 15, so that
#                    all together take about 90 s): make test
#   make fuzz        the same, longer (FUZZ_SECONDS default 300)
#   make fuzz-run-NAME FUZZ_RUN_SECONDS=60   one target
#
# Each run first replays the target's kept crash regressions,
# tests/fuzz/regressions/NAME/*.hex (hex text in `xxd -p` format: no binary
# files in git), then fuzzes from the kept corpus $(FUZZ_BUILD)/corpus/NAME/,
# which grows from run to run under build/. A crash, a hang (10 s on one
# input) or a leak fails the run; the full log is $(FUZZ_BUILD)/logs/NAME.log,
# crashing inputs land in $(FUZZ_BUILD)/crashes/NAME/ (scripts/fuzz-run.sh
# prints how to keep one as a regression).
#
# To add a target: write tests/fuzz/fuzz_NAME.c (LLVMFuzzerTestOneInput), add
# NAME to FUZZ_TARGETS and set FUZZ_SRCS_NAME (sources under test),
# FUZZ_DEPS_NAME (headers), and if wanted FUZZ_SEEDS_NAME (a file whose rule
# puts seed inputs into the corpus; scripts/fuzzseeds.py writes those of the
# targets other than fat32), FUZZ_DICT_NAME (a libFuzzer dictionary),
# FUZZ_FLAGS_NAME (more compiler flags) and FUZZ_LIBS_NAME (libraries).
# Needs clang with libFuzzer (Debian 12: clang and libclang-rt-14-dev).

FUZZ_CC      ?= clang
FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Ihv
FUZZ_TARGETS := fat32 cmdline config mailbox abort virtio

# FAT32 reader (hv/fs/). Seeds: the unit tests' small images, made by
# scripts/mkfatimages.py (see tests/unit/unit.mk), and the first 128 KiB
# (where the metadata is) of two compacted images with 360 files, one with
# 512-byte clusters, one with 4 KiB clusters.
FUZZ_SRCS_fat32  := $(wildcard hv/fs/*.c) hv/lib/printf.c
FUZZ_DEPS_fat32  := $(wildcard hv/fs/*.h) hv/lib/printf.h hv/lib/string.h
FUZZ_DICT_fat32  := tests/fuzz/fat32.dict
FUZZ_SEEDS_fat32 := $(FUZZ_BUILD)/seeds-fat32.made

$(FUZZ_BUILD)/seeds-fat32.made: $(BUILD)/fat32/.made
	@mkdir -p $(FUZZ_BUILD)/corpus/fat32
	@cp $(BUILD)/fat32/small.img $(FUZZ_BUILD)/corpus/fat32/seed-small
	@cp $(BUILD)/fat32/smallmbr.img $(FUZZ_BUILD)/corpus/fat32/seed-smallmbr
	@head -c 131072 $(BUILD)/fat32/compact.img >$(FUZZ_BUILD)/corpus/fat32/seed-compact-128k
	@head -c 131072 $(BUILD)/fat32/compact4k.img >$(FUZZ_BUILD)/corpus/fat32/seed-compact4k-128k
	@touch $@

# Shell input: the line editor fed the input as keys, the parser on each line.
FUZZ_SRCS_cmdline  := hv/lib/cmdline.c hv/lib/lineedit.c
FUZZ_DEPS_cmdline  := hv/lib/cmdline.h hv/lib/lineedit.h hv/lib/string.h
FUZZ_DICT_cmdline  := tests/fuzz/cmdline.dict
FUZZ_SEEDS_cmdline := $(FUZZ_BUILD)/seeds-cmdline.made

# avisor.cfg. Seeds: config/avisor.cfg, the examples of docs/configuration.md
# (its code blocks and each of their lines) and lines with every option and error.
FUZZ_SRCS_config  := hv/core/config.c hv/lib/cmdline.c hv/lib/cpulist.c hv/lib/printf.c tests/unit/host_string.c
FUZZ_DEPS_config  := hv/core/config.h hv/lib/cmdline.h hv/lib/cpulist.h hv/lib/printf.h hv/lib/string.h
FUZZ_DICT_config  := tests/fuzz/config.dict
FUZZ_SEEDS_config := $(FUZZ_BUILD)/seeds-config.made
FUZZ_SEED_ARGS_config := config/avisor.cfg docs/configuration.md

# The mailbox model with the unit tests' fake hypervisor, whose checks are
# cmocka assertions (made to abort by the target).
FUZZ_SRCS_mailbox  := hv/vdev/bcm2837/mailbox.c tests/unit/fake_vdev_host.c
FUZZ_DEPS_mailbox  := $(wildcard hv/vdev/bcm2837/*.h hv/vdev/*.h) hv/core/mmio.h \
	tests/unit/fake_vdev_host.h tests/fuzz/fuzz_fake_host.h
FUZZ_FLAGS_mailbox := -Itests/unit
FUZZ_LIBS_mailbox  := -lcmocka
FUZZ_DICT_mailbox  := tests/fuzz/mailbox.dict
FUZZ_SEEDS_mailbox := $(FUZZ_BUILD)/seeds-mailbox.made

FUZZ_SRCS_abort  := hv/arch/arm64/esr.c
FUZZ_DEPS_abort  := hv/arch/arm64/abort.h hv/arch/arm64/esr.h
FUZZ_SEEDS_abort := $(FUZZ_BUILD)/seeds-abort.made

# The virtio-blk model over a disk in memory, with the fake hypervisor side.
FUZZ_SRCS_virtio  := hv/vdev/virtio_blk.c hv/vdev/virtqueue.c tests/unit/fake_vdev_host.c
FUZZ_DEPS_virtio  := hv/vdev/virtio_blk.h hv/vdev/virtqueue.h hv/vdev/vdev_host.h \
	hv/core/mmio.h tests/unit/fake_vdev_host.h tests/fuzz/fuzz_fake_host.h
FUZZ_FLAGS_virtio := -Itests/unit
FUZZ_LIBS_virtio  := -lcmocka
FUZZ_SEEDS_virtio := $(FUZZ_BUILD)/seeds-virtio.made

# Seeds written by scripts/fuzzseeds.py NAME OUTDIR [FUZZ_SEED_ARGS_NAME].
define fuzz_seed_rule
$(FUZZ_BUILD)/seeds-$(1).made: scripts/fuzzseeds.py $(FUZZ_SEED_ARGS_$(1))
	@mkdir -p $$(dir $$@)
	@echo "  SEEDS   $(FUZZ_BUILD)/corpus/$(1)"
	@$(PYTHON) scripts/fuzzseeds.py $(1) $(FUZZ_BUILD)/corpus/$(1) $(FUZZ_SEED_ARGS_$(1))
	@touch $$@
endef
$(foreach t,$(filter-out fat32,$(FUZZ_TARGETS)),$(eval $(call fuzz_seed_rule,$(t))))

define fuzz_rule
$(FUZZ_BUILD)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1)) $(FUZZ_DEPS_$(1)) tests/fuzz/fuzz.mk
	@mkdir -p $$(dir $$@)
	@echo "  FUZZCC  $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_FLAGS_$(1)) -o $$@ tests/fuzz/fuzz_$(1).c \
		$(FUZZ_SRCS_$(1)) $(FUZZ_LIBS_$(1))

.PHONY: fuzz-run-$(1)
fuzz-run-$(1): $(FUZZ_BUILD)/fuzz_$(1) $(FUZZ_SEEDS_$(1))
	@PYTHON=$(PYTHON) ./scripts/fuzz-run.sh $(FUZZ_BUILD)/fuzz_$(1) $(1) \
		$$(FUZZ_RUN_SECONDS) $(FUZZ_BUILD) $(FUZZ_DICT_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz-test fuzz
# -k: every target runs even after one fails, so one run shows all failures.
fuzz-test:
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -k \
		$(FUZZ_TARGETS:%=fuzz-run-%) FUZZ_RUN_SECONDS=$(or $(FUZZ_SECONDS),15)

fuzz:
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -k \
		$(FUZZ_TARGETS:%=fuzz-run-%) FUZZ_RUN_SECONDS=$(or $(FUZZ_SECONDS),300)
