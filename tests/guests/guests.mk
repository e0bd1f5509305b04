# Test-only guests that misbehave on purpose (build/tests/guests/NAME.bin):
# each tests/guests/NAME.c is linked with the shared guest library
# (guests/guests.mk) at 0x80000, like the real guests.

TEST_GUEST_BUILD := $(BUILD)/tests/guests
TEST_GUEST_NAMES := $(basename $(notdir $(wildcard tests/guests/*.c)))
TEST_GUEST_BINS  := $(TEST_GUEST_NAMES:%=$(TEST_GUEST_BUILD)/%.bin)

$(TEST_GUEST_BUILD)/%.c.o: tests/guests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(TEST_GUEST_BUILD)/%.elf: $(TEST_GUEST_BUILD)/%.c.o $(GUEST_LIB_OBJS) $(GUEST_LDS)
	@$(LD) -nostdlib -T $(GUEST_LDS) -o $@ $(GUEST_LIB_OBJS) $<

$(TEST_GUEST_BUILD)/%.bin: $(TEST_GUEST_BUILD)/%.elf
	@$(OBJCOPY) -O binary $< $@
	@echo "built $@ ($$(stat -c %s $@) bytes)"

.PHONY: test-guests
test-guests: $(TEST_GUEST_BINS)
all: test-guests

-include $(TEST_GUEST_BINS:.bin=.c.d)

# Keep the intermediate files (make would delete them as it goes).
.SECONDARY: $(TEST_GUEST_BINS:.bin=.elf) $(TEST_GUEST_BINS:.bin=.c.o)
