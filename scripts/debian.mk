# Guest software from Debian's arm64 packages, fetched by scripts/fetch-debian.sh
# into $(DEBIAN_CACHE) (ignored by git, kept between builds):
#   U-Boot (u-boot-rpi, the rpi_arm64 build) and the Pi 3 device tree
#   (bcm2837-rpi-3-b.dtb from linux-image-arm64), turned into the U-Boot VM's
#   device tree by scripts/mkvmdtb.sh.
#   Linux (linux-image-arm64: the kernel Image, decompressed if it is gzip)
#   with an initramfs around busybox-static (scripts/mkinitramfs.py) and its
#   own device tree (mkvmdtb.sh --linux). Where they go in the VM comes from
#   the linux line of config/avisor.cfg, the one place it is written.
#   The Raspberry Pi's boot firmware (raspi-firmware), for PLATFORM=rpi3's card.

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

# --- Linux ---------------------------------------------------------------
LINUX_VMLINUZ_GLOB := $(DEBIAN_CACHE)/linux-image/boot/vmlinuz-*
BUSYBOX_BIN   := $(DEBIAN_CACHE)/busybox-static/bin/busybox
LINUX_BUILD   := $(BUILD)/linux
LINUX_IMAGE   := $(LINUX_BUILD)/Image
LINUX_INITRD  := $(LINUX_BUILD)/initrd.gz
LINUX_DTB     := $(LINUX_BUILD)/linux.dtb
# root=/dev/vda: the VM's virtio disk (disk=sd:2 on its line), mounted by
# the initramfs's /init (guests/linux/init), which stays the root without it.
LINUX_BOOTARGS := console=ttyS1,115200 earlycon rdinit=/init root=/dev/vda
# Modules the initramfs loads to reach the disk (their dependencies follow).
LINUX_MODULES  := virtio_mmio,virtio_blk,crc32c_generic,ext4
LINUX_MODDIR_GLOB := $(DEBIAN_CACHE)/linux-image/lib/modules/*-arm64
# The root file system, partition 2 of the card: busybox, guests/linux/rootfs/.
LINUX_ROOTFS_DIR := $(LINUX_BUILD)/rootfs
LINUX_ROOTFS     := $(LINUX_BUILD)/rootfs.ext4
LINUX_ROOTFS_MIB := 64
LINUX_ROOTFS_SRC := $(shell find guests/linux/rootfs -type f 2>/dev/null)
# The VM's line in config/avisor.cfg: name "linux", memory as NNNM, vcpus=N
# and initrd_addr=ADDR; its device tree must say the same.
LINUX_CFG_LINE    := $(shell awk '$$1 == "linux"' config/avisor.cfg)
LINUX_VM_MIB      := $(patsubst %M,%,$(word 5,$(LINUX_CFG_LINE)))
LINUX_VCPUS       := $(or $(patsubst vcpus=%,%,$(filter vcpus=%,$(LINUX_CFG_LINE))),1)
LINUX_INITRD_ADDR := $(patsubst initrd_addr=%,%,$(filter initrd_addr=%,$(LINUX_CFG_LINE)))
ifeq ($(LINUX_CFG_LINE),)
$(error config/avisor.cfg has no "linux" line: the Linux guest's files need it)
endif
ifeq ($(shell echo '$(LINUX_VM_MIB)' | grep -xE '[0-9]+'),)
$(error config/avisor.cfg: write the linux VM's memory as NNNM (e.g. 256M), not '$(word 5,$(LINUX_CFG_LINE))')
endif
ifeq ($(LINUX_INITRD_ADDR),)
$(error config/avisor.cfg: the linux line needs initrd_addr=ADDR)
endif

$(BUSYBOX_BIN): $(DEBIAN_STAMP)
	@test -f $@ || { echo "error: $@ missing after fetching busybox-static"; exit 1; }

$(LINUX_IMAGE): $(DEBIAN_STAMP) scripts/linux-image.sh
	@mkdir -p $(dir $@)
	@echo "  IMAGE   $@"
	@./scripts/linux-image.sh $$(ls $(LINUX_VMLINUZ_GLOB) | head -n 1) $@ >/dev/null

$(LINUX_INITRD): $(BUSYBOX_BIN) guests/linux/init guests/linux/inittab scripts/mkinitramfs.py \
		scripts/debian.mk
	@mkdir -p $(dir $@)
	@echo "  CPIO    $@"
	@$(PYTHON) scripts/mkinitramfs.py $@ $(BUSYBOX_BIN) guests/linux/init \
		etc/inittab=guests/linux/inittab --modules $$(ls -d $(LINUX_MODDIR_GLOB) | head -n 1) \
		$(LINUX_MODULES)

# The tree is made afresh each time, so a file removed from guests/linux/rootfs goes too.
$(LINUX_ROOTFS): $(BUSYBOX_BIN) $(LINUX_ROOTFS_SRC) scripts/mkrootfs.sh scripts/debian.mk
	@echo "  EXT4    $@"
	@rm -rf $(LINUX_ROOTFS_DIR)
	@mkdir -p $(LINUX_ROOTFS_DIR)/bin $(addprefix $(LINUX_ROOTFS_DIR)/,dev proc sys tmp run root mnt)
	@cp $(BUSYBOX_BIN) $(LINUX_ROOTFS_DIR)/bin/busybox
	@ln -s busybox $(LINUX_ROOTFS_DIR)/bin/sh
	@cp -R guests/linux/rootfs/. $(LINUX_ROOTFS_DIR)/
	@./scripts/mkrootfs.sh $(LINUX_ROOTFS_DIR) $@ $(LINUX_ROOTFS_MIB) >/dev/null

$(LINUX_DTB): $(DEBIAN_STAMP) $(LINUX_INITRD) scripts/mkvmdtb.sh scripts/debian.mk config/avisor.cfg
	@mkdir -p $(dir $@)
	@echo "  DTB     $@"
	@./scripts/mkvmdtb.sh --linux $$(ls $(PI3_DTB_GLOB) | head -n 1) $@ $(LINUX_VM_MIB) \
		$(LINUX_VCPUS) "$(LINUX_BOOTARGS)" $(LINUX_INITRD_ADDR) $(LINUX_INITRD)

LINUX_GUEST_FILES := $(LINUX_IMAGE) $(LINUX_INITRD) $(LINUX_DTB)
LINUX_CARD_CONTENT := linux/Image=$(LINUX_IMAGE) linux/initrd.gz=$(LINUX_INITRD) \
	linux/linux.dtb=$(LINUX_DTB)

# --- Raspberry Pi firmware ------------------------------------------------
# The boot firmware for a real Pi's card (PLATFORM=rpi3): bootcode.bin,
# start.elf and fixup.dat of raspi-firmware, from Debian's non-free-firmware
# component, fetched with a private apt configuration (fetch-debian.sh).
RPI_FIRMWARE_STAMP := $(DEBIAN_CACHE)/.fetched-firmware
RPI_FIRMWARE_DIR   := $(DEBIAN_CACHE)/raspi-firmware/usr/lib/raspi-firmware

$(RPI_FIRMWARE_STAMP): scripts/fetch-debian.sh
	@echo "  FETCH   Raspberry Pi firmware (Debian's raspi-firmware) into $(DEBIAN_CACHE)/"
	@./scripts/fetch-debian.sh $(DEBIAN_CACHE) firmware
	@touch $@

$(RPI_FIRMWARE_DIR)/%: $(RPI_FIRMWARE_STAMP)
	@test -f $@ || { echo "error: $@ missing after fetching raspi-firmware"; exit 1; }
