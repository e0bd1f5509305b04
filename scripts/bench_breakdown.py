#!/usr/bin/env python3
"""Where the instructions of each bench operation go, function by function.

Runs guests/bench under aVisor like scripts/bench.py, but turns on QEMU's
execution log (-d in_asm,exec,nochain) from the monitor right before the
measurements start, and reads it through a FIFO as it is written. Every
translated block is counted with the instructions QEMU printed for it when
it translated it; blocks that run at EL2 (learnt from the flags of the
blocks at VBAR_EL2) are charged to the hypervisor function they belong to,
and to the bench operation (op_*) the guest was last seen in. The result is
the average per exit from the guest, e.g.

    == op_hvc: 4352 exits, 79.0 hv instructions per exit
          36.0  guest_sync_fast
          23.0  trap_guest_sync
          ...

Warm-up iterations are included (they take the same path). A block cut short
by an exception is counted whole, so guest-side numbers would be slightly
high; hypervisor blocks end in ERET or a branch and are exact. It is slow
(a few minutes): a diagnostic, not part of make bench.

Usage: bench_breakdown.py [BUILD_DIR]
"""
import bisect
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

import pexpect

from cardimage import fat_volume

OPS = ["op_hvc", "op_mmio_read", "op_mmio_write", "op_id_register", "op_uart_char",
       "op_wfi_wakeup"]
EXEC = re.compile(r"Trace (\d+): (0x[0-9a-f]+) \[([0-9a-f]+)/([0-9a-f]+)/([0-9a-f]+)/([0-9a-f]+)\]")
INSN = re.compile(r"^0x([0-9a-f]+):\s+[0-9a-f]{8}\s")


def symbols(elf):
    """Sorted (address, name) of the text symbols of an ELF file."""
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tTwW":
            syms.append((int(fields[0], 16), fields[2]))
    return syms


class Symbolizer:
    def __init__(self, syms):
        self.syms = syms
        self.addrs = [a for a, _ in syms]

    def name(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.syms[i][1] if i >= 0 else hex(pc)


class Breakdown:
    """Consumes the QEMU log line by line; keeps per-operation counters."""

    def __init__(self, hv, guest, vectors):
        self.hv, self.guest, self.vectors = hv, guest, vectors
        self.per_op = {op: collections.Counter() for op in OPS}
        self.exits = collections.Counter()
        self.blocks = {}
        self.pending = []
        self.in_block = False
        self.el2_flags = set()
        self.op = None
        self.in_hv = False

    def feed(self, line):
        if line.startswith("IN:"):
            self.pending, self.in_block = [], True
            return
        if self.in_block:
            m = INSN.match(line)
            if m:
                self.pending.append(int(m.group(1), 16))
                return
            self.in_block = False
        m = EXEC.match(line)
        if m and m.group(1) == "0":  # core 0: the others only spin in the firmware
            self.executed(m.group(2), int(m.group(4), 16), m.group(5))

    def executed(self, host_ptr, pc, flags):
        key = (host_ptr, pc, flags)
        insns = self.blocks.get(key)
        if insns is None:
            insns = self.pending if self.pending and self.pending[0] == pc else [pc]
            self.pending = []
            self.blocks[key] = insns
        if self.vectors <= pc < self.vectors + 0x800:
            self.el2_flags.add(flags)
        if flags in self.el2_flags:
            if self.op:
                if not self.in_hv:
                    self.exits[self.op] += 1
                for addr in insns:
                    self.per_op[self.op][self.hv.name(addr)] += 1
            self.in_hv = True
            return
        self.in_hv = False
        name = self.guest.name(pc)
        if name in OPS:
            self.op = name
        elif name != "time_loop":
            self.op = None

    def report(self):
        for op in OPS:
            n = self.exits[op]
            if not n:
                continue
            total = sum(self.per_op[op].values())
            print("== %s: %d exits, %.1f hv instructions per exit" % (op, n, total / n))
            for fn, count in self.per_op[op].most_common(30):
                print("   %7.1f  %s" % (count / n, fn))


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    hv_syms = symbols(os.path.join(build, "avisor.elf"))
    vectors = [a for a, n in hv_syms if n == "el2_vectors"][0]
    breakdown = Breakdown(Symbolizer(hv_syms),
                          Symbolizer(symbols(os.path.join(build, "guests", "bench.elf"))), vectors)
    tmp = tempfile.mkdtemp()
    try:
        fifo = os.path.join(tmp, "qemu.log")
        os.mkfifo(fifo)
        card, cfg = os.path.join(tmp, "card.img"), os.path.join(tmp, "avisor.cfg")
        with open(cfg, "w") as f:
            f.write("bench bench.bin 0x80000 0x80000 16M\n")
        shutil.copyfile(os.path.join(build, "sdcard.img"), card)
        subprocess.run(["mcopy", "-o", "-i", fat_volume(card), cfg, "::avisor.cfg"], check=True)

        def read_log():
            with open(fifo) as log:
                for line in log:
                    breakdown.feed(line)

        reader = threading.Thread(target=read_log, daemon=True)
        child = pexpect.spawn("qemu-system-aarch64", [
            "-M", "raspi3b", "-nographic", "-serial", "null", "-serial", "mon:stdio",
            "-m", "1024", "-icount", "shift=0,align=off,sleep=off",
            "-kernel", os.path.join(build, "kernel8.img"),
            "-drive", "file=%s,if=sd,format=raw" % card, "-D", fifo],
            encoding="utf-8", timeout=900)
        reader.start()
        child.expect_exact("avisor:/# ")
        child.send("vmc 1\r")
        child.expect_exact("bench: press a key to start")
        child.send("\x01c")  # QEMU monitor: start logging now
        child.expect_exact("(qemu)")
        child.send("log in_asm,exec,nochain\r")
        child.expect_exact("(qemu)")
        child.send("\x01c")
        child.send(" ")
        child.expect_exact("bench: wfi_wakeup")
        child.send("\x01c")
        child.expect_exact("(qemu)")
        child.send("quit\r")
        child.expect(pexpect.EOF)
        reader.join(timeout=900)
        breakdown.report()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
