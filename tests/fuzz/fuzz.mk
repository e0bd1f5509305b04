# libFuzzer targets for the parsers of outside input: tests/fuzz/fuzz_NAME.c.
#
#   make fuzz-test   each target for FUZZ_SECONDS seconds (default 20): make test
#   make fuzz        the same, longer (FUZZ_SECONDS default 300)
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
# puts seed inputs into the corpus) and FUZZ_DICT_NAME (a libFuzzer
# dictionary). Needs clang with libFuzzer (Debian 12: clang and
# libclang-rt-14-dev).

FUZZ_CC      ?= clang
FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Ihv
FUZZ_TARGETS := fat32

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

define fuzz_rule
$(FUZZ_BUILD)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1)) $(FUZZ_DEPS_$(1)) tests/fuzz/fuzz.mk
	@mkdir -p $$(dir $$@)
	@echo "  FUZZCC  $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1))

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
		$(FUZZ_TARGETS:%=fuzz-run-%) FUZZ_RUN_SECONDS=$(or $(FUZZ_SECONDS),20)

fuzz:
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -k \
		$(FUZZ_TARGETS:%=fuzz-run-%) FUZZ_RUN_SECONDS=$(or $(FUZZ_SECONDS),300)
