#!/bin/sh
# Usage: mkvmdtb.sh [--u-boot] IN.dtb OUT.dtb MEMORY_MIB VCPUS [BOOTARGS]
#        mkvmdtb.sh --linux IN.dtb OUT.dtb MEMORY_MIB VCPUS BOOTARGS INITRD_ADDR INITRD_FILE
# Turns the Raspberry Pi 3's device tree (bcm2837-rpi-3-b.dtb from Debian's
# kernel package) into the device tree of one aVisor VM, with dtc's fdtput:
#   - /memory@0: the VM's RAM, from guest-physical 0;
#   - devices the VM does not have are disabled (status = "disabled"): the VM
#     has the interrupt controllers, the system timer, the mailbox, GPIO, the
#     AUX mini UART and the watchdog (reset); nothing else is emulated;
#   - CPUs beyond VCPUS are removed;
#   - /chosen: the console is the mini UART (serial1), and the bootargs.
# --u-boot: also mark the console's nodes for use before relocation
# ("u-boot,dm-pre-reloc"), which U-Boot's own device trees carry and Linux's
# do not; without it U-Boot's first lines (banner, DRAM, board) are lost.
# --linux: for Debian's unmodified arm64 kernel (docs/guests.md, "Linux"):
#   - the initramfs: /chosen linux,initrd-start/-end from INITRD_ADDR and the
#     size of INITRD_FILE (Documentation/arm64/booting.rst, and the devicetree
#     specification's /chosen node);
#   - the clock manager (cprman) is not emulated: the AUX block's clock is a
#     fixed 250 MHz clock (the VPU clock the firmware sets, which the mini
#     UART's baud divisor is computed from) and cprman is disabled;
#   - the power manager keeps only its PM registers: without the "asb"
#     region Linux does not start the power-domain driver (no ASB here);
#   - secondary CPUs start with PSCI CPU_ON through HVC (/psci node,
#     enable-method "psci"), not the spin table: one hypercall, and no
#     release address in guest memory for the hypervisor to watch;
#   - the PMU node is disabled: the VM has no PMU interrupt;
#   - /soc/virtio@7ee00000: the virtio-mmio block device a VM with disk=sd:N
#     has (hv/vdev/virtio_blk.h: ARM address 0x3fe00000 through /soc's
#     ranges, 512 bytes, GPU interrupt 60 = bank 2 line 28 of the BCM2835
#     controller, which no other node uses). A VM without a disk reads zeros
#     there (no magic value), so Linux's virtio_mmio finds no device.
set -eu
mode=vm
case "$1" in
--u-boot) mode=uboot; shift ;;
--linux) mode=linux; shift ;;
esac
if [ $# -lt 4 ] || { [ $mode = linux ] && [ $# -ne 7 ]; }; then
	sed -n '2,3s/^# //p' "$0" >&2
	exit 2
fi
in=$1
out=$2
mem_mib=$3
vcpus=$4
bootargs=${5:-}

cp "$in" "$out.tmp"
trap 'rm -f "$out.tmp"' EXIT
put() { fdtput "$out.tmp" "$@"; }
disable() { fdtput -t s "$out.tmp" "$1" status disabled 2>/dev/null || true; }

put -t x /memory@0 reg 0 "$(printf %x $((mem_mib * 1024 * 1024)))"
# The firmware's reserved CMA pool would not fit a small VM: drop it.
fdtput -r "$out.tmp" /reserved-memory 2>/dev/null || true

for node in \
	/soc/txp@7e004000 /soc/serial@7e201000 /soc/mmc@7e202000 /soc/i2s@7e203000 \
	/soc/spi@7e204000 /soc/i2c@7e205000 /soc/dpi@7e208000 /soc/dsi@7e209000 \
	/soc/spi@7e215080 /soc/spi@7e2150c0 /soc/pwm@7e20c000 /soc/mmc@7e300000 \
	/soc/hvs@7e400000 /soc/dsi@7e700000 /soc/i2c@7e804000 /soc/usb@7e980000 \
	/soc/dma@7e007000 /soc/rng@7e104000 /soc/pixelvalve@7e206000 \
	/soc/pixelvalve@7e207000 /soc/thermal@7e212000 /soc/i2c@7e805000 \
	/soc/vec@7e806000 /soc/pixelvalve@7e807000 /soc/hdmi@7e902000 /soc/v3d@7ec00000 \
	/soc/gpu /soc/firmware/vchiq /soc/vchiq@7e00b840 /leds /wifi-pwrseq /phy \
	/soc/firmware/gpio /soc/firmware/clocks; do
	disable "$node"
done

cpu=$vcpus
while [ $cpu -lt 4 ]; do
	fdtput -r "$out.tmp" "/cpus/cpu@$cpu" 2>/dev/null || true
	cpu=$((cpu + 1))
done

put -t s /chosen stdout-path "serial1:115200n8"
if [ $mode = uboot ]; then
	for node in /soc /soc/serial@7e215040 /soc/gpio@7e200000 /soc/aux@7e215000 \
		/soc/cprman@7e101000 /soc/mailbox@7e00b880; do
		put -t s "$node" u-boot,dm-pre-reloc ""
	done
fi
if [ -n "$bootargs" ]; then
	put -t s /chosen bootargs "$bootargs"
fi

# The highest phandle in use, so a new node can take the next one.
max_phandle() {
	dtc -I dtb -O dts "$out.tmp" 2>/dev/null |
		sed -n 's/.*phandle = <\(0x[0-9a-f]*\)>;.*/\1/p' |
		while read -r p; do printf '%d\n' "$p"; done | sort -n | tail -n 1
}

linux_initrd() {
	addr=$1
	file=$2
	size=$(wc -c <"$file")
	put -t x /chosen linux,initrd-start "$(printf %x $((addr)))"
	put -t x /chosen linux,initrd-end "$(printf %x $((addr + size)))"
}

linux_clocks() {
	phandle=$(($(max_phandle) + 1))
	fdtput -c "$out.tmp" /clocks/clk-vpu-fixed
	put -t s /clocks/clk-vpu-fixed compatible fixed-clock
	put -t x /clocks/clk-vpu-fixed "#clock-cells" 0
	put -t u /clocks/clk-vpu-fixed clock-frequency 250000000
	put -t s /clocks/clk-vpu-fixed clock-output-names vpu
	put -t x /clocks/clk-vpu-fixed phandle "$(printf %x $phandle)"
	# The AUX block gates its three devices' clocks; its parent was cprman's VPU clock.
	put -t x /soc/aux@7e215000 clocks "$(printf %x $phandle)"
	disable /soc/cprman@7e101000
	disable /arm-pmu
	put -t x /soc/watchdog@7e100000 reg 7e100000 114
	put -t s /soc/watchdog@7e100000 reg-names pm
}

# PSCI (ARM DEN 0022) through HVC for CPU_ON, SYSTEM_OFF and SYSTEM_RESET.
linux_psci() {
	fdtput -c "$out.tmp" /psci
	put -t s /psci compatible arm,psci-1.0 arm,psci-0.2
	put -t s /psci method hvc
	# The 32-bit SMP method at /cpus level means nothing to arm64: drop it.
	fdtput -d "$out.tmp" /cpus enable-method 2>/dev/null || true
	cpu=0
	while [ $cpu -lt "$vcpus" ]; do
		put -t s "/cpus/cpu@$cpu" enable-method psci
		fdtput -d "$out.tmp" "/cpus/cpu@$cpu" cpu-release-addr 2>/dev/null || true
		cpu=$((cpu + 1))
	done
}

# The virtio block device (Documentation/devicetree/bindings/virtio/mmio.yaml).
linux_virtio_disk() {
	node=/soc/virtio@7ee00000
	fdtput -c "$out.tmp" $node
	put -t s $node compatible virtio,mmio
	put -t x $node reg 7ee00000 200
	put -t u $node interrupts 2 28
	# Device memory: no DMA translation to describe; the device reads guest RAM directly.
	put -t s $node status okay
}

if [ $mode = linux ]; then
	if [ ! -f "$7" ]; then
		echo "mkvmdtb: initramfs '$7' not found" >&2
		exit 1
	fi
	linux_initrd "$6" "$7"
	linux_clocks
	linux_psci
	linux_virtio_disk
fi
mv "$out.tmp" "$out"
trap - EXIT
