#!/usr/bin/env python3
"""make bench: run guests/bench natively and under aVisor, in QEMU with
-icount shift=0,align=off,sleep=off (virtual time advances one nanosecond per
executed instruction), and print per operation: native, aVisor, overhead, in
executed instructions. The table also goes to build/bench.txt.

Usage: bench.py BUILD_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pexpect

ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
QEMU = ["qemu-system-aarch64", "-M", "raspi3b", "-nographic", "-serial", "null",
        "-serial", "mon:stdio", "-m", "1024"] + ICOUNT
LINE = re.compile(r"bench: (\w+) (\d+\.\d+) \(")


def parse(text):
    return {m.group(1): float(m.group(2)) for m in LINE.finditer(text)}


def run_native(build):
    child = pexpect.spawn(QEMU[0], QEMU[1:] + ["-kernel", os.path.join(build, "guests", "bench.bin")],
                          encoding="utf-8", timeout=120)
    try:
        child.expect_exact("bench: press a key to start")
        child.send(" ")
        child.expect_exact("bench: done")
        return parse(child.before)
    finally:
        child.terminate(force=True)


def run_virtualized(build):
    card = tempfile.NamedTemporaryFile(suffix=".img", delete=False)
    card.close()
    cfg = tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False)
    cfg.write("bench bench.bin 0x80000 0x80000 16M\n")
    cfg.close()
    try:
        shutil.copyfile(os.path.join(build, "sdcard.img"), card.name)
        subprocess.run(["mcopy", "-o", "-i", card.name, cfg.name, "::avisor.cfg"], check=True)
        child = pexpect.spawn(QEMU[0], QEMU[1:] + [
            "-kernel", os.path.join(build, "kernel8.img"),
            "-drive", "file=%s,if=sd,format=raw" % card.name], encoding="utf-8", timeout=120)
        try:
            child.expect_exact("avisor:/# ")
            child.send("vmc 1\r")
            # Attached before the measurements start, and no input while they run.
            child.expect_exact("bench: press a key to start")
            child.send(" ")
            child.expect_exact("bench: done")
            return parse(child.before)
        finally:
            child.terminate(force=True)
    finally:
        os.unlink(card.name)
        os.unlink(cfg.name)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    native = run_native(build)
    virt = run_virtualized(build)
    rows = ["%-14s %12s %12s %12s" % ("operation", "native", "aVisor", "overhead"),
            "%-14s %12s %12s %12s" % ("", "(instr/op)", "(instr/op)", "(instr/op)")]
    for name in virt:
        n = native.get(name)
        v = virt[name]
        rows.append("%-14s %12s %12.0f %12s" % (
            name, "-" if n is None else "%.0f" % n, v, "-" if n is None else "%.0f" % (v - n)))
    table = "\n".join(rows) + "\n"
    sys.stdout.write(table)
    with open(os.path.join(build, "bench.txt"), "w") as f:
        f.write(table)


if __name__ == "__main__":
    main()
