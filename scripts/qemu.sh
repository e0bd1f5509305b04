#!/bin/sh
# Boots aVisor in QEMU with the console on this terminal.
# Usage: scripts/qemu.sh [extra QEMU arguments...]
# The first serial port (PL011) is unused; the second (the mini UART) is the
# console, multiplexed with the QEMU monitor: Ctrl-A X quits, Ctrl-A C
# switches to the monitor.
set -eu
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/kernel8.img}
SDCARD=${SDCARD:-$BUILD/sdcard.img}

echo "aVisor: booting $KERNEL in QEMU raspi3b — quit with Ctrl-A X"
exec qemu-system-aarch64 -M raspi3b -nographic -serial null -serial mon:stdio -m 1024 \
	-kernel "$KERNEL" -drive "file=$SDCARD,if=sd,format=raw" "$@"
