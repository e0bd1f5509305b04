# build/sdcard.img: a FAT32 image made with mtools (no root, no mounts).
# QEMU's SD card model requires a power-of-two size.

SDCARD_FILES := docs/sdcard-readme.txt $(GUEST_BINS)

$(BUILD)/sdcard.img: scripts/mksdcard.sh $(SDCARD_FILES)
	@mkdir -p $(BUILD)
	@./scripts/mksdcard.sh $@ $(SDCARD_FILES)
