# The guests: build/guests/echo.bin and build/guests/lrtos.bin (+ .elf, .map).
#
# Both are linked at 0x80000 with guests/lib/guest.ld on top of one shared
# guest library: guests/lib plus the hypervisor's freestanding helpers
# (hv/lib: formatter, string functions, ring buffer; the ESR decoder of
# hv/arch/arm64, for the guests' fault reports), compiled again here for
# the guests. lrtos also carries its user programs: they are linked on
# their own at the user virtual address (guests/lrtos/user/user.ld), turned
# into a flat binary and embedded in the kernel image with .incbin.
#
# Included by the top Makefile, which defines BUILD, CC, LD, OBJCOPY and
# TARGET_CFLAGS. Every variable here starts with GUEST_.

GUEST_BUILD  := $(BUILD)/guests
GUEST_OBJDIR := $(GUEST_BUILD)/obj
GUEST_CFLAGS := $(TARGET_CFLAGS) -Iguests -Ihv
GUEST_LDS    := guests/lib/guest.ld

# $(call guest_objs,sources): the object of each source, build/guests/obj/<source>.o
guest_objs = $(patsubst %,$(GUEST_OBJDIR)/%.o,$(1))

GUEST_HVLIB_SRCS := hv/lib/printf.c hv/lib/string.c hv/lib/ringbuf.c hv/arch/arm64/esr.c
GUEST_LIB_SRCS   := $(wildcard guests/lib/*.c guests/lib/*.S) $(GUEST_HVLIB_SRCS)
GUEST_ECHO_SRCS  := $(wildcard guests/echo/*.c guests/echo/*.S)
GUEST_BENCH_SRCS := $(wildcard guests/bench/*.c guests/bench/*.S)
GUEST_LRTOS_SRCS := $(wildcard guests/lrtos/*.c guests/lrtos/*.S)
GUEST_HELLO_SRCS := guests/hello/main.c
GUEST_USER_SRCS  := $(wildcard guests/lrtos/user/*.c guests/lrtos/user/*.S) \
	hv/lib/printf.c hv/lib/string.c

GUEST_LIB_OBJS   := $(call guest_objs,$(GUEST_LIB_SRCS))
GUEST_ECHO_OBJS  := $(call guest_objs,$(GUEST_ECHO_SRCS))
GUEST_BENCH_OBJS := $(call guest_objs,$(GUEST_BENCH_SRCS))
GUEST_LRTOS_OBJS := $(call guest_objs,$(GUEST_LRTOS_SRCS))
GUEST_HELLO_OBJS := $(call guest_objs,$(GUEST_HELLO_SRCS))
GUEST_USER_OBJS  := $(call guest_objs,$(GUEST_USER_SRCS))

GUEST_ALL_OBJS := $(sort $(GUEST_LIB_OBJS) $(GUEST_ECHO_OBJS) $(GUEST_BENCH_OBJS) $(GUEST_LRTOS_OBJS) \
	$(GUEST_USER_OBJS) $(GUEST_HELLO_OBJS))
GUEST_C_OBJS   := $(filter %.c.o,$(GUEST_ALL_OBJS))
GUEST_S_OBJS   := $(filter %.S.o,$(GUEST_ALL_OBJS))

GUEST_USER_ELF := $(GUEST_BUILD)/lrtos/user.elf
GUEST_USER_BIN := $(GUEST_BUILD)/lrtos/user.bin
GUEST_ELFS     := $(GUEST_BUILD)/echo.elf $(GUEST_BUILD)/lrtos.elf $(GUEST_BUILD)/bench.elf \
	$(GUEST_BUILD)/hello.elf
GUEST_BINS     := $(GUEST_ELFS:.elf=.bin)

.PHONY: guests
guests: $(GUEST_BINS)
all: guests

$(GUEST_C_OBJS): $(GUEST_OBJDIR)/%.c.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_S_OBJS): $(GUEST_OBJDIR)/%.S.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(GUEST_CFLAGS) $(GUEST_EXTRA_ASFLAGS) -D__ASSEMBLY__ -c -o $@ $<

# lrtos's kernel embeds the user programs' flat binary.
GUEST_USER_IMAGE_OBJ := $(GUEST_OBJDIR)/guests/lrtos/user_image.S.o
$(GUEST_USER_IMAGE_OBJ): $(GUEST_USER_BIN)
$(GUEST_USER_IMAGE_OBJ): GUEST_EXTRA_ASFLAGS = -DLRTOS_USER_IMAGE='"$(GUEST_USER_BIN)"'

$(GUEST_USER_ELF): $(GUEST_USER_OBJS) guests/lrtos/user/user.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(LD) -nostdlib -T guests/lrtos/user/user.ld -Map $(@:.elf=.map) -o $@ $(GUEST_USER_OBJS)

# Each guest image: the shared guest library plus its own objects, at 0x80000.
$(GUEST_BUILD)/bench.elf: $(GUEST_BENCH_OBJS)
$(GUEST_BUILD)/echo.elf: $(GUEST_ECHO_OBJS)
$(GUEST_BUILD)/lrtos.elf: $(GUEST_LRTOS_OBJS)
$(GUEST_BUILD)/hello.elf: $(GUEST_HELLO_OBJS)
$(GUEST_ELFS): $(GUEST_BUILD)/%.elf: $(GUEST_LIB_OBJS) $(GUEST_LDS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(LD) -nostdlib -T $(GUEST_LDS) -Map $(@:.elf=.map) -o $@ $(GUEST_LIB_OBJS) \
		$(filter-out $(GUEST_LIB_OBJS) $(GUEST_LDS),$^)

$(GUEST_BINS) $(GUEST_USER_BIN): %.bin: %.elf
	@$(OBJCOPY) -O binary $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"

-include $(GUEST_ALL_OBJS:.o=.d)
