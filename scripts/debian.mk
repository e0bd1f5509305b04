# Guest software from Debian's arm64 packages, fetched by scripts/fetch-debian.sh
# into $(DEBIAN_CACHE) (ignored by git, kept between builds):
#   U-Boot (u-boot-rpi, the rpi_arm64 build) and the Pi 3 device tree
#   (bcm2837-rpi-3-b.dtb from linux-image-arm64), turned into the U-Boot VM's
#   device tree by scripts/mkvmdtb.sh.

DEBIAN_CACHE ?= cache
DEBIAN_STAMP := $(DEBIAN_CACHE)/.fetched
UBOOT_BIN    := $(DEBIAN_CACHE)/u-boot-rpi/usr/lib/u-boot/rpi_arm64/u-boot.bin
PI3_DTB_GLOB := $(DEBIAN_CACHE)/linux-image/usr/lib/linux-image-*/broadcom/bcm2837-rpi-3-b.dtb
# The U-Boot VM's memory: keep in step with its line in config/avisor.cfg.
UBOOT_VM_MIB := 128

$(DEBIAN_STAMP): scripts/fetch-debian.sh
	@echo "  FETCH   Debian arm64 packages into $(DEBIAN_CACHE)/"
	@./scripts/fetch-debian.sh $(DEBIAN_CACHE)
	@touch $@

$(UBOOT_BIN): $(DEBIAN_STAMP)
	@test -f $@ || { echo "error: $@ missing after fetching u-boot-rpi"; exit 1; }

$(BUILD)/dtb/uboot.dtb: $(DEBIAN_STAMP) scripts/mkvmdtb.sh scripts/debian.mk
	@mkdir -p $(dir $@)
	@echo "  DTB     $@"
	@./scripts/mkvmdtb.sh --u-boot $$(ls $(PI3_DTB_GLOB) | head -n 1) $@ $(UBOOT_VM_MIB) 1

DEBIAN_GUEST_FILES := $(UBOOT_BIN) $(BUILD)/dtb/uboot.dtb
DEBIAN_CARD_CONTENT := u-boot.bin=$(UBOOT_BIN) uboot.dtb=$(BUILD)/dtb/uboot.dtb
