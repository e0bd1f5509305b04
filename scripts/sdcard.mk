# The SD card image, a FAT32 image made with mtools (no root, no mounts):
# the VM configuration, the guests, and the test guests under tests/.
#
# PLATFORM=qemu: build/sdcard.img, 64 MiB (QEMU's SD card needs a power of
# two), booted by QEMU with -kernel; nothing else is needed on it.
# PLATFORM=rpi3: build/rpi3/sdcard.img, a card for a real Pi 3: also the
# firmware (bootcode.bin, start.elf, fixup.dat — from FIRMWARE_DIR, the
# project does not ship them), config.txt and kernel8.img. See docs/hardware.md.

SDCARD_SIZE_MIB := 64
SDCARD_CONTENT := avisor.cfg=config/avisor.cfg README.txt=docs/sdcard-readme.txt \
	$(foreach f,$(GUEST_BINS),$(notdir $(f))=$(f)) \
	$(foreach f,$(TEST_GUEST_BINS),tests/$(notdir $(f))=$(f)) $(DEBIAN_CARD_CONTENT)
SDCARD_DEPS := scripts/mksdcard.sh scripts/sdcard.mk config/avisor.cfg docs/sdcard-readme.txt \
	$(GUEST_BINS) $(TEST_GUEST_BINS) $(DEBIAN_GUEST_FILES)

ifeq ($(PLATFORM),rpi3)
FIRMWARE_FILES := bootcode.bin start.elf fixup.dat
SDCARD_CONTENT += kernel8.img=$(BUILD)/kernel8.img config.txt=$(BUILD)/config.txt \
	$(if $(FIRMWARE_DIR),$(foreach f,$(FIRMWARE_FILES),$(f)=$(FIRMWARE_DIR)/$(f)))
SDCARD_DEPS += $(BUILD)/kernel8.img $(BUILD)/config.txt
all: $(BUILD)/config.txt

$(BUILD)/config.txt: config/rpi3-config.txt
	@mkdir -p $(BUILD)
	@cp $< $@
endif

$(BUILD)/sdcard.img: $(SDCARD_DEPS) $(if $(FIRMWARE_DIR),.FORCE)
	@mkdir -p $(BUILD)
	@./scripts/mksdcard.sh $(if $(filter rpi3,$(PLATFORM)),--partitioned) $@ $(SDCARD_SIZE_MIB) \
		$(SDCARD_CONTENT)
ifeq ($(PLATFORM),rpi3)
	@if [ -z "$(FIRMWARE_DIR)" ]; then \
		echo "note: $@ has no Raspberry Pi firmware: to boot a real Pi 3 from it, run"; \
		echo "      make PLATFORM=rpi3 sdcard FIRMWARE_DIR=<folder with $(FIRMWARE_FILES)>"; \
		echo "      (from https://github.com/raspberrypi/firmware, boot/ folder; see docs/hardware.md)"; \
	fi
endif

sdcard: $(BUILD)/sdcard.img
