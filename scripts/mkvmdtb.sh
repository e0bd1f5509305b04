#!/bin/sh
# Usage: mkvmdtb.sh [--u-boot] IN.dtb OUT.dtb MEMORY_MIB VCPUS [BOOTARGS]
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
set -eu
uboot=0
if [ "$1" = "--u-boot" ]; then
	uboot=1
	shift
fi
in=$1
out=$2
mem_mib=$3
vcpus=$4
bootargs=${5:-}

cp "$in" "$out.tmp"
put() { fdtput "$out.tmp" "$@"; }

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
	fdtput -t s "$out.tmp" "$node" status disabled 2>/dev/null || true
done

cpu=$vcpus
while [ $cpu -lt 4 ]; do
	fdtput -r "$out.tmp" "/cpus/cpu@$cpu" 2>/dev/null || true
	cpu=$((cpu + 1))
done

put -t s /chosen stdout-path "serial1:115200n8"
if [ $uboot -eq 1 ]; then
	for node in /soc /soc/serial@7e215040 /soc/gpio@7e200000 /soc/aux@7e215000 \
		/soc/cprman@7e101000 /soc/mailbox@7e00b880; do
		put -t s "$node" u-boot,dm-pre-reloc ""
	done
fi
if [ -n "$bootargs" ]; then
	put -t s /chosen bootargs "$bootargs"
fi
mv "$out.tmp" "$out"
