# The SD card image, a FAT32 image made with mtools (no root, no mounts):
# the VM configuration, the guests, and the test guests under tests/.
#
# PLATFORM=qemu: build/sdcard.img, 256 MiB (QEMU's SD card needs a power of
# two), booted by QEMU with -kernel: an MBR with partition 1 FAT32 (the
# configuration, the guests, Linux's 33 MB kernel) and partition 2 the Linux
# VM's 64 MiB ext4 root file system (its disk=sd:2, docs/guests.md). Also build/test-sdcard.img, 64 MiB: the same card
# without Linux (no files, no line in avisor.cfg), which the system tests
# boot by default so that only the Linux tests pay for loading 33 MB.
# PLATFORM=rpi3: build/rpi3/sdcard.img, a card for a real Pi 3, with the same
# two partitions: also the
# firmware (bootcode.bin, start.elf, fixup.dat: from Debian's raspi-firmware
# package, fetched into the cache like the guests, or from FIRMWARE_DIR if
# given; the project does not ship them), config.txt and kernel8.img.
# See docs/hardware.md.

SDCARD_SIZE_MIB := 256
TEST_SDCARD_SIZE_MIB := 64
SDCARD_COMMON := README.txt=docs/sdcard-readme.txt \
	$(foreach f,$(GUEST_BINS),$(notdir $(f))=$(f)) \
	$(foreach f,$(TEST_GUEST_BINS),tests/$(notdir $(f))=$(f)) $(DEBIAN_CARD_CONTENT)
SDCARD_CONTENT := avisor.cfg=config/avisor.cfg $(SDCARD_COMMON) $(LINUX_CARD_CONTENT)
TEST_SDCARD_CONTENT := avisor.cfg=$(BUILD)/test-avisor.cfg $(SDCARD_COMMON)
TEST_SDCARD_DEPS := scripts/mksdcard.sh scripts/sdcard.mk $(BUILD)/test-avisor.cfg \
	docs/sdcard-readme.txt $(GUEST_BINS) $(TEST_GUEST_BINS) $(DEBIAN_GUEST_FILES)
SDCARD_DEPS := $(TEST_SDCARD_DEPS) config/avisor.cfg $(LINUX_GUEST_FILES) $(LINUX_ROOTFS)

ifeq ($(PLATFORM),rpi3)
FIRMWARE_FILES := bootcode.bin start.elf fixup.dat
# FIRMWARE_DIR= overrides the firmware Debian ships (a folder with the three files).
ifeq ($(FIRMWARE_DIR),)
FIRMWARE_SRC  := $(RPI_FIRMWARE_DIR)
FIRMWARE_DEPS := $(addprefix $(RPI_FIRMWARE_DIR)/,$(FIRMWARE_FILES))
else
FIRMWARE_SRC  := $(FIRMWARE_DIR)
FIRMWARE_DEPS := .FORCE
endif
SDCARD_CONTENT += kernel8.img=$(BUILD)/kernel8.img config.txt=$(BUILD)/config.txt \
	$(foreach f,$(FIRMWARE_FILES),$(f)=$(FIRMWARE_SRC)/$(f))
SDCARD_DEPS += $(BUILD)/kernel8.img $(BUILD)/config.txt $(FIRMWARE_DEPS)
all: $(BUILD)/config.txt

$(BUILD)/config.txt: config/rpi3-config.txt
	@mkdir -p $(BUILD)
	@cp $< $@
endif

$(BUILD)/sdcard.img: $(SDCARD_DEPS)
	@mkdir -p $(BUILD)
	@./scripts/mksdcard.sh --rootfs $(LINUX_ROOTFS) $@ $(SDCARD_SIZE_MIB) \
		$(SDCARD_CONTENT)

ifeq ($(PLATFORM),qemu)
all: $(BUILD)/test-sdcard.img
endif

# config/avisor.cfg without the linux line.
$(BUILD)/test-avisor.cfg: config/avisor.cfg
	@mkdir -p $(BUILD)
	@awk '$$1 != "linux"' $< >$@

$(BUILD)/test-sdcard.img: $(TEST_SDCARD_DEPS)
	@./scripts/mksdcard.sh $@ $(TEST_SDCARD_SIZE_MIB) $(TEST_SDCARD_CONTENT)

sdcard: $(BUILD)/sdcard.img
