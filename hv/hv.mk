# The hypervisor image: every .c and .S under hv/ except the asm-offsets
# generator, linked at the Pi's kernel load address (see hv/arch/arm64/linker.ld).

HV_BUILD := $(BUILD)/hv
HV_SRCS  := $(filter-out hv/arch/arm64/asm-offsets.c,$(shell find hv -name '*.c' -o -name '*.S'))
HV_OBJS  := $(patsubst %,$(HV_BUILD)/%.o,$(HV_SRCS))
# -fomit-frame-pointer: nothing walks the frame chain (the crash report prints
# registers, gdb unwinds with the DWARF call frame information), and every
# non-leaf function on the trap path saves an instruction.
HV_CFLAGS := $(TARGET_CFLAGS) -fomit-frame-pointer -Ihv -I$(HV_BUILD)/include

# Offsets of C structures used by assembly are generated, not hand-kept:
# asm-offsets.c emits "->NAME value" markers into its assembly output.
$(HV_BUILD)/include/asm-offsets.h: hv/arch/arm64/asm-offsets.c
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(CC) $(HV_CFLAGS) -MF $@.d -MT $@ -S -o $@.s $<
	@{ echo "/* Generated from asm-offsets.c — do not edit. */"; \
	   echo "#pragma once"; \
	   sed -n 's/.*->\([A-Z_0-9]*\) #\{0,1\}\([0-9-]*\).*/#define \1 \2/p' $@.s; } > $@

$(HV_BUILD)/%.c.o: %.c Makefile hv/hv.mk | $(HV_BUILD)/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(HV_CFLAGS) -c -o $@ $<

$(HV_BUILD)/%.S.o: %.S $(HV_BUILD)/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(HV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

# The version string changes with every commit (and with "-dirty"). It goes
# into a header written only when the string differs from the one there, so a
# build with nothing changed compiles and links nothing. Written when the
# makefile is read, because make cannot know before running git whether it
# changed; the rule makes it again after a clean in the same run.
VERSION_HEADER := $(HV_BUILD)/include/avisor_version.h
VERSION_LINE   := \#define AVISOR_VERSION "$(VERSION)"
$(shell mkdir -p $(HV_BUILD)/include && \
	{ [ "$$(cat $(VERSION_HEADER) 2>/dev/null)" = '$(VERSION_LINE)' ] || \
	  echo '$(VERSION_LINE)' > $(VERSION_HEADER); })
$(VERSION_HEADER):
	@mkdir -p $(dir $@)
	@echo '$(VERSION_LINE)' > $@
$(HV_BUILD)/hv/core/version.c.o: $(VERSION_HEADER)

$(BUILD)/avisor.elf: $(HV_OBJS) hv/arch/arm64/linker.ld
	@echo "  LD      $@"
	@$(LD) -nostdlib --no-warn-rwx-segments -T hv/arch/arm64/linker.ld -Map $(BUILD)/avisor.map \
		-o $@ $(HV_OBJS)

$(BUILD)/kernel8.img: $(BUILD)/avisor.elf
	@$(OBJCOPY) -O binary $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes, version $(VERSION))"

-include $(HV_OBJS:.o=.d) $(HV_BUILD)/include/asm-offsets.h.d
