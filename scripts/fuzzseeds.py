#!/usr/bin/env python3
"""Seed inputs for the libFuzzer targets (tests/fuzz/fuzz_NAME.c).

Usage: fuzzseeds.py cmdline OUTDIR
       fuzzseeds.py config  OUTDIR CONFIG_FILE CONFIG_DOC
       fuzzseeds.py mailbox OUTDIR
       fuzzseeds.py abort   OUTDIR
       fuzzseeds.py virtio  OUTDIR

Writes meaningful inputs as OUTDIR/seed-*: for cmdline, shell commands and
key sequences; for config, the given configuration file, every line and
every code block of the given Markdown document (docs/configuration.md),
and lines with each option and each kind of error; for mailbox, property
buffers with every tag group (in the input format of fuzz_mailbox.c); for
abort, syndromes of typical MMIO accesses and other exceptions (in the
input format of fuzz_abort.c); for virtio, descriptor chains of every request
type and of malformed queues (in the input format of fuzz_virtio.c). Old seeds in OUTDIR are replaced; other
files (what the fuzzer found) are kept.
"""
import os
import re
import struct
import sys


def write_seeds(outdir, seeds):
    os.makedirs(outdir, exist_ok=True)
    for name in os.listdir(outdir):
        if name.startswith("seed-"):
            os.remove(os.path.join(outdir, name))
    for name, data in seeds.items():
        if isinstance(data, str):
            data = data.encode("latin-1")
        with open(os.path.join(outdir, "seed-" + name), "wb") as f:
            f.write(data)


# --- cmdline: shell lines and keys -------------------------------------------

UP, DOWN, RIGHT, LEFT = "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D"
HOME, END, DELETE = "\x1b[H", "\x1b[F", "\x1b[3~"


def cmdline_seeds():
    words17 = " ".join(str(i) for i in range(17))
    return {
        "help": "help\r",
        "vmc": "vmc 1\r\n",
        "vmld": 'vmld "my image.bin" 0x80000 0x80000\r',
        "vmld-tabs": "vmld\techo.bin\t524288  0X80000\n",
        "quotes": 'a "" "b c"d" e" \r',
        "open-quote": 'ls "dir\r',
        "too-many": words17 + "\r",
        "numbers": "18446744073709551615 18446744073709551616 0xffffffffffffffff "
        "0x10000000000000000 0x 0X1f 007 -1 +1 1a\r",
        "edit": "abc" + LEFT + LEFT + "X" + RIGHT + "Y" + HOME + "Z" + END + "!\r",
        "delete": "hello" + HOME + DELETE + DELETE + END + "\x7f\x08\r\n",
        "ss3": "ab\x1bOD\x1bOH\x1bOF\x1bOC\x1bOA\x1bOB\r",
        "vt220": "xyz\x1b[1~\x1b[4~\x1b[7~\x1b[8~\x1b[2~\x1b[99999999999~\x1b[3;5~\r",
        "csi-params": "ab\x1b[1;5D\x1b[?25h\x1b[\x1b\x1b[D\x1bx\x1b\r",
        "history": "vml\rls\rvml\r" + UP + UP + UP + DOWN + "\r" + UP + "\x15\r",
        "history-16": "".join("cmd%d\r" % i for i in range(18)) + UP * 20 + DOWN * 3 + "\r",
        "ctrl": "abc\x03def\x15ghi\x01\x02\x7f\r",
        "full-line": "x" * 300 + LEFT * 10 + "y\r" + UP + "\x7f\r",
        "crlf-lf": "a\r\nb\n\nc\r\r\n",
    }


# --- config: avisor.cfg ------------------------------------------------------

CONFIG_LINES = [
    "echo echo.bin 0x80000 0x80000 16M",
    "lrtos lrtos.bin 0x80000 0x80000 32M slice=5 vcpus=2",
    "spare echo.bin 0x80000 0x80000 16M autostart=no",
    "uboot u-boot.bin 0x80000 0x80000 128M dtb=uboot.dtb dtb_addr=0x100000",
    'spaced "dir/my image.bin" 4096 0x1000 1G autostart=yes slice=1000 vcpus=4',
    "big linux/Image 0x200000 0x200000 1008MiB dtb=b.dtb",
    "tiny t.bin 0 0 2",
    "linux linux/Image 0x200000 0x200000 256M dtb=linux.dtb initrd=linux/initrd.gz "
    "initrd_addr=0x4000000 vcpus=2",
    "rd-zero k 0x200000 0x200000 16M initrd=r.gz initrd_addr=0",
    "rd-noaddr k 0x200000 0x200000 16M initrd=r.gz",
    "rd-noinitrd k 0x200000 0x200000 16M initrd_addr=0x400000",
    "rd-unaligned k 0 0 16M initrd=r initrd_addr=0x400010",
    "rd-outside k 0 0 16M initrd=r initrd_addr=0x1000000",
    "rd-on-dtb k 0 0 16M dtb=d initrd=r initrd_addr=0xe00000",
    "a.b-c_d x 0x0 0x4 2M\t# a comment after the words",
    "bad-mem x 0x80000 0x80000 3M",
    "bad-load x 0x80001 0x80000 16M",
    "bad-entry x 0x80000 0x80002 16M",
    "outside x 0x80000 0x80000 1009M",
    "bad-option x 0x80000 0x80000 16M color=red",
    "bad-vcpus x 0x80000 0x80000 16M vcpus=5",
    "bad-slice x 0x80000 0x80000 16M slice=0",
    "bad-bool x 0x80000 0x80000 16M autostart=maybe",
    "bad-dtb x 0x80000 0x80000 16M dtb=d.dtb dtb_addr=0x3",
    "nameiswaytoolongforthis x 0 0 2M",
    "bad/name x 0 0 2M",
    "few words",
    'quote "open 0 0 2M',
    "num x 0x80000 18446744073709551616 16M",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
    "   # only a comment",
]


def markdown_blocks(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S)


def config_seeds(config_file, config_doc):
    with open(config_file, "rb") as f:
        cfg = f.read()
    seeds = {"avisor.cfg": cfg}
    for i, line in enumerate(cfg.split(b"\n")):
        if line.strip() and not line.startswith(b"#"):
            seeds["cfg-line%d" % i] = line + b"\n"
    for b, block in enumerate(markdown_blocks(config_doc)):
        seeds["doc-block%d" % b] = block
        for i, line in enumerate(block.splitlines()):
            seeds["doc-block%d-line%d" % (b, i)] = line + "\n"
    for i, line in enumerate(CONFIG_LINES):
        seeds["line%d" % i] = line + "\n"
    seeds["all-lines"] = "\n".join(CONFIG_LINES)
    seeds["crlf"] = "echo echo.bin 0x80000 0x80000 16M\r\nlrtos l.bin 0 0 4M\r\n"
    seeds["duplicate"] = "echo e 0 0 2M\necho f 0 0 2M\n"
    seeds["nine-vms"] = "".join("vm%d v.bin 0 0 2M\n" % i for i in range(9))
    seeds["long-line"] = "long " + "x" * 260 + " 0 0 2M\n"
    seeds["not-text"] = b"bin\x01ary x 0 0 2M\nok x 0 0 2M # \xff after the comment\n"
    seeds["no-newline"] = "last x 0 0 2M"
    return seeds


# --- mailbox: property buffers -----------------------------------------------

BUF = 0x1000
PROPERTY = 8
WRITE, READ, STATUS0, CONFIG0, STATUS1 = 0x20, 0x00, 0x18, 0x1C, 0x38


def tag(tag_id, value_bytes, args=()):
    words = [tag_id, value_bytes, 0] + list(args)
    words += [0] * ((value_bytes + 3) // 4 - len(args))
    return words


def buffer(*tags, end=True):
    body = [w for t in tags for w in t] + ([0] if end else [])
    words = [4 * (2 + len(body)), 0] + body
    return struct.pack("<%dI" % len(words), *words)


def mailbox_input(buf, mail=BUF | PROPERTY, ram=0, vm=0, ops=()):
    """The input of fuzz_mailbox.c: mail, setup byte, ops, the buffer."""
    data = struct.pack("<IB", mail, ram | vm << 2 | len(ops) << 4)
    for offset, size_sel, value in ops:
        data += struct.pack("<BBI", offset, size_sel, value)
    return data + buf


def mailbox_seeds():
    board = buffer(tag(0x1, 4), tag(0x10001, 4), tag(0x10002, 4), tag(0x10003, 6),
                   tag(0x10004, 8), tag(0x10005, 8), tag(0x10006, 8))
    power = buffer(tag(0x20001, 8, [3]), tag(0x28001, 8, [3, 0]), tag(0x20001, 8, [3]),
                   tag(0x28001, 8, [20, 3]), tag(0x20002, 8, [0]))
    clocks = buffer(*[tag(t, 8, [c]) for t in (0x30001, 0x30002, 0x30004, 0x30007)
                      for c in (1, 2, 3, 4, 99)],
                    tag(0x38001, 8, [4, 0]), tag(0x38002, 12, [3, 600000000, 0]))
    misc = buffer(tag(0x50001, 16), tag(0x60001, 4), tag(0x12345, 8, [1, 2]))
    display = buffer(tag(0x48003, 8, [1024, 768]), tag(0x48004, 8, [1024, 768]),
                     tag(0x48005, 4, [32]), tag(0x40001, 8, [4096]), tag(0x40008, 4),
                     tag(0x4000a, 16), tag(0x48001, 0), tag(0x4800b, 12, [0, 1, 0]))
    palette = buffer(tag(0x4000b, 1024))
    short_values = buffer(tag(0x10003, 2), tag(0x10004, 3), tag(0x30002, 0))
    no_end = buffer(tag(0x1, 4), end=False)
    too_long_tag = buffer(tag(0x1, 4))[:-4] + struct.pack("<III", 0x10001, 64, 0)
    bad_size = struct.pack("<IIII", 15, 0, 0, 0)
    huge = struct.pack("<I", 0x100000) + buffer(tag(0x1, 4))[4:]  # all of 1 MiB
    fill_queue = [(WRITE, 0, 0)] * 9
    irq_ops = [(CONFIG0 | 0x80, 0, 1), (WRITE | 0x80, 0, 0), (STATUS0, 0, 0), (READ, 0, 0),
               (WRITE | 0x80, 1, 0), (WRITE | 0x80, 3, 0), (0x24 | 0x80, 0, 5), (0x22, 0, 0)]
    return {
        "board": mailbox_input(board),
        "power": mailbox_input(power, vm=2),
        "clocks": mailbox_input(clocks),
        "misc": mailbox_input(misc),
        "display": mailbox_input(display),
        "palette": mailbox_input(palette, mail=0xC0000000 | BUF | PROPERTY),
        "short-values": mailbox_input(short_values, mail=0x40000000 | BUF | PROPERTY),
        "no-end": mailbox_input(no_end),
        "too-long-tag": mailbox_input(too_long_tag),
        "bad-size": mailbox_input(bad_size),
        "past-ram": mailbox_input(board, mail=0xfff0 | PROPERTY),
        "outside-ram": mailbox_input(board, mail=0x20000 | PROPERTY),
        "max-buffer": mailbox_input(huge, mail=PROPERTY, ram=3),
        "small-ram": mailbox_input(board, mail=0xff0 | PROPERTY, ram=1),
        "other-channel": mailbox_input(board, mail=BUF | 1),
        "fill-queue": mailbox_input(board, ops=[(o | 0x80, s, v) for o, s, v in fill_queue]),
        "irq": mailbox_input(board, ops=irq_ops),
        "registers": mailbox_input(b"", ops=[(o, 0, 0) for o in range(0, 0x40, 4)][:15]),
    }


# --- abort: syndromes -------------------------------------------------------

def esr(ec, iss):
    return ec << 26 | 1 << 25 | iss


def dabt(size_log2, reg, write=False, sse=False, sf=False, dfsc=0x07, s1ptw=False):
    return esr(0x24, 1 << 24 | size_log2 << 22 | sse << 21 | reg << 16 | sf << 15 |
               s1ptw << 7 | write << 6 | dfsc)


def abort_input(syndrome, far, hpfar, raw):
    return struct.pack("<QQQQ", syndrome, far, hpfar, raw)


def abort_seeds():
    uart = 0x3F215040
    hpfar = (uart >> 12) << 4
    return {
        "ldr-w": abort_input(dabt(2, 1), uart, hpfar, 0x1234),
        "ldr-x": abort_input(dabt(3, 2, sf=True), uart, hpfar, 0x8000000000000001),
        "ldrsb-x": abort_input(dabt(0, 3, sse=True, sf=True), uart, hpfar, 0x80),
        "ldrsh-w": abort_input(dabt(1, 4, sse=True), uart, hpfar, 0xfffe),
        "ldrsw": abort_input(dabt(2, 5, sse=True, sf=True), uart, hpfar, 0x80000000),
        "strb": abort_input(dabt(0, 6, write=True), uart + 1, hpfar, 0x41),
        "str-xzr": abort_input(dabt(2, 31, write=True), uart, hpfar, 0),
        "no-isv": abort_input(esr(0x24, 0x47), uart, hpfar, 0),
        "s1ptw": abort_input(dabt(3, 0, s1ptw=True, dfsc=0x0b), 0xffff000000001ff8,
                             0xfffffffffffffff0, 0),
        "iabt": abort_input(esr(0x20, 0x0f), 0x80000, 0x800, 0),
        "dabt-same": abort_input(esr(0x25, 0x21), 0, 0, 0),
        "hvc": abort_input(esr(0x16, 0x1234), 0, 0, 0),
        "svc": abort_input(esr(0x15, 0), 0, 0, 0),
        "sysreg": abort_input(esr(0x18, 0x300000), 0, 0, 0),
        "unknown": abort_input(0, 0, 0, 0),
        "reserved": abort_input(esr(0x3f, 0x1ffffff), 0, 0, 0),
        "table-walk": abort_input(esr(0x24, 0x15), 0, 0, 0),
    }


# --- virtio: descriptor tables, rings and requests ---------------------------

VQ_DESC, VQ_AVAIL, VQ_USED = 0x0000, 0x1000, 0x2000
F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4


def virtio_input(chains, size_index=2, read_only=False, notifies=0, avail_step=None,
                 requests=()):
    """The input of fuzz_virtio.c: setup byte, then guest RAM from 0.

    chains: lists of (addr, len, flags, next) descriptors, laid out one after
    the other in the table (next given explicitly); requests: (addr, bytes)
    to put into RAM."""
    ram = bytearray(0x3000 + 0x1000)
    descs = [d for chain in chains for d in chain]
    for i, (addr, length, flags, nxt) in enumerate(descs):
        struct.pack_into("<QIHH", ram, VQ_DESC + 16 * i, addr, length, flags, nxt)
    heads, at = [], 0
    for chain in chains:
        heads.append(at)
        at += len(chain)
    for i, head in enumerate(heads):
        struct.pack_into("<H", ram, VQ_AVAIL + 4 + 2 * i, head)
    struct.pack_into("<H", ram, VQ_AVAIL + 2, len(heads) if avail_step is None else avail_step)
    for addr, data in requests:
        if addr + len(data) > len(ram):
            ram.extend(bytes(addr + len(data) - len(ram)))
        ram[addr:addr + len(data)] = data
    return bytes([size_index | read_only << 2 | notifies << 3]) + bytes(ram)


def blk_header(rtype, sector):
    return struct.pack("<IIQ", rtype, 0, sector)


def virtio_seeds():
    hdr, data, status = 0x3000, 0x3200, 0x3f00

    def req(rtype, sector, length=512, data_flags=None):
        flags = data_flags if data_flags is not None else (0 if rtype == 1 else F_WRITE)
        return [(hdr, 16, F_NEXT, 1), (data, length, F_NEXT | flags, 2), (status, 1, F_WRITE, 0)]

    def one(rtype, sector, **kw):
        return virtio_input([req(rtype, sector, **kw)], requests=[(hdr, blk_header(rtype, sector))])

    return {
        "read": one(0, 3),
        "write": one(1, 31),
        "write-ro": virtio_input([req(1, 0)], read_only=True, requests=[(hdr, blk_header(1, 0))]),
        "flush": virtio_input([[(hdr, 16, F_NEXT, 1), (status, 1, F_WRITE, 0)]],
                              requests=[(hdr, blk_header(4, 0))]),
        "get-id": one(8, 0, length=20),
        "unsupported": one(11, 0),
        "past-end": one(0, 32),
        "split": virtio_input([[(hdr, 10, F_NEXT, 1), (hdr + 10, 6, F_NEXT, 2),
                                (data, 100, F_NEXT | F_WRITE, 3), (data + 100, 412, F_NEXT | F_WRITE, 4),
                                (status, 1, F_WRITE, 0)]], requests=[(hdr, blk_header(0, 1))]),
        "loop": virtio_input([[(hdr, 16, F_NEXT, 1), (data, 512, F_NEXT | F_WRITE, 0)]],
                             requests=[(hdr, blk_header(0, 0))]),
        "indirect": virtio_input([[(hdr, 16, F_INDIRECT, 0)]]),
        "outside-ram": virtio_input([[(hdr, 16, F_NEXT, 1), (0x20000000, 512, F_NEXT | F_WRITE, 2),
                                      (status, 1, F_WRITE, 0)]], requests=[(hdr, blk_header(0, 0))]),
        "huge": virtio_input([[(hdr, 16, F_NEXT, 1), (data, 0xffffffff, F_NEXT | F_WRITE, 2),
                               (status, 1, F_WRITE, 0)]], requests=[(hdr, blk_header(0, 0))]),
        "avail-jump": virtio_input([req(0, 0)], avail_step=100, requests=[(hdr, blk_header(0, 0))]),
        "two-requests": virtio_input([req(0, 0), [(hdr, 16, F_NEXT, 4), (data, 512, F_NEXT, 5),
                                                  (status, 1, F_WRITE, 0)]],
                                     notifies=1, requests=[(hdr, blk_header(0, 0))]),
        "size-1": virtio_input([[(hdr, 16, 0, 0)]], size_index=0),
        "size-128": virtio_input([req(0, 5)], size_index=3, requests=[(hdr, blk_header(0, 5))]),
    }


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "cmdline":
        write_seeds(args[1], cmdline_seeds())
    elif len(args) == 4 and args[0] == "config":
        write_seeds(args[1], config_seeds(args[2], args[3]))
    elif len(args) == 2 and args[0] == "mailbox":
        write_seeds(args[1], mailbox_seeds())
    elif len(args) == 2 and args[0] == "abort":
        write_seeds(args[1], abort_seeds())
    elif len(args) == 2 and args[0] == "virtio":
        write_seeds(args[1], virtio_seeds())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
