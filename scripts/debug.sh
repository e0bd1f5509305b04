#!/bin/sh
# Starts QEMU halted at the first instruction with its GDB server on :1234,
# and a gdb-multiarch session with the hypervisor's symbols attached to it.
# Load a guest's symbols too with: add-symbol-file build/guests/NAME.elf
# The console goes to build/debug-console.log (gdb keeps the terminal):
# follow it from a second terminal with tail -f.
set -eu
BUILD=${BUILD:-build}
LOG=$BUILD/debug-console.log
qemu-system-aarch64 -M raspi3b -nographic -serial null -serial "file:$LOG" -monitor none -m 1024 \
	-kernel "$BUILD/kernel8.img" -drive "file=$BUILD/sdcard.img,if=sd,format=raw" -s -S &
qemu_pid=$!
trap 'kill $qemu_pid 2>/dev/null || true' EXIT INT TERM
echo "aVisor debug: QEMU halted (pid $qemu_pid); console output goes to $LOG (tail -f it)"
gdb-multiarch -q "$BUILD/avisor.elf" \
	-ex "set architecture aarch64" \
	-ex "target remote localhost:1234" \
	-ex "break hv_main"
