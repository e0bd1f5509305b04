"""Tests of scripts/mkinitramfs.py, the rootless initramfs writer.

The archives it writes are read back by GNU cpio (an independent reader of
the "newc" format) and checked member by member.
"""
import gzip
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import mkinitramfs  # noqa: E402

INIT = b"#!/bin/sh\necho hello\n"
BUSYBOX = bytes(range(256)) * 41 + b"odd"  # not a multiple of 4: padding is exercised


def cpio(args, data, cwd=None):
    result = subprocess.run(["cpio"] + args, input=data, capture_output=True, cwd=cwd)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def test_header_layout():
    entry = mkinitramfs.newc_entry("ab", 0o100644, b"xyz", ino=7)
    assert entry[:6] == b"070701"
    assert entry[6:14] == b"00000007"          # c_ino
    assert entry[14:22] == b"000081A4"         # c_mode: regular file, 0644
    assert entry[54:62] == b"00000003"         # c_filesize
    assert entry[94:102] == b"00000003"        # c_namesize, with the NUL
    assert entry[110:113] == b"ab\0"
    assert len(entry) % 4 == 0
    # Name padded so the data starts 4-byte aligned: 110 + 3 -> 116.
    assert entry[116:119] == b"xyz"


def test_field_overflow_is_an_error():
    with pytest.raises(ValueError):
        mkinitramfs.newc_entry("x", 0, ino=1 << 32)


def test_absolute_names_are_refused():
    with pytest.raises(ValueError):
        mkinitramfs.Archive().file("/init", b"")


def test_cpio_lists_every_member():
    data = mkinitramfs.linux_guest_archive(BUSYBOX, INIT).to_bytes()
    listing = cpio(["-itv", "--quiet"], data).splitlines()
    names = [line.split()[-1] if "->" not in line else line.split()[-3] for line in listing]
    assert names[:len(mkinitramfs.DIRS)] == mkinitramfs.DIRS
    assert set(names) >= {"dev/console", "bin/busybox", "bin/sh", "init"}
    console = next(line for line in listing if line.endswith("dev/console"))
    assert console.startswith("crw-------") and "5,   1" in console
    sh = next(line for line in listing if " bin/sh " in line)
    assert sh.startswith("l") and sh.endswith("-> busybox")
    tmp = next(line for line in listing if line.endswith(" tmp"))
    assert tmp.startswith("drwxrwxrwt")


def test_cpio_extracts_the_files(tmp_path):
    data = mkinitramfs.linux_guest_archive(BUSYBOX, INIT).to_bytes()
    cpio(["-idm", "--quiet", "--no-absolute-filenames", "init", "bin/busybox"], data,
         cwd=tmp_path)
    assert (tmp_path / "init").read_bytes() == INIT
    assert (tmp_path / "bin" / "busybox").read_bytes() == BUSYBOX
    assert os.access(tmp_path / "init", os.X_OK)


def test_extra_files_are_packed_where_asked(tmp_path):
    inittab = b"::respawn:/bin/sh\n"
    data = mkinitramfs.linux_guest_archive(BUSYBOX, INIT, [("etc/inittab", inittab)]).to_bytes()
    listing = cpio(["-itv", "--quiet"], data).splitlines()
    entry = next(line for line in listing if line.endswith(" etc/inittab"))
    assert entry.startswith("-rw-r--r--")
    cpio(["-idm", "--quiet", "--no-absolute-filenames", "etc/inittab"], data, cwd=tmp_path)
    assert (tmp_path / "etc" / "inittab").read_bytes() == inittab


def test_extra_file_outside_the_roots_directories_is_refused():
    with pytest.raises(ValueError):
        mkinitramfs.linux_guest_archive(BUSYBOX, INIT, [("nowhere/inittab", b"")])


def test_command_line_takes_extra_files(tmp_path):
    for name, data in (("busybox", BUSYBOX), ("init", INIT), ("tab", b"::sysinit:x\n")):
        (tmp_path / name).write_bytes(data)
    script = os.path.join(ROOT, "scripts", "mkinitramfs.py")
    out = tmp_path / "out.gz"
    subprocess.run([sys.executable, script, str(out), str(tmp_path / "busybox"),
                    str(tmp_path / "init"), "etc/inittab=%s" % (tmp_path / "tab")], check=True)
    assert "etc/inittab" in cpio(["-it", "--quiet"], gzip.decompress(out.read_bytes()))
    result = subprocess.run([sys.executable, script, str(out), str(tmp_path / "busybox"),
                             str(tmp_path / "init"), "etc/inittab"],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "is not PATH=FILE" in result.stderr


def test_command_line_writes_reproducible_gzip(tmp_path):
    busybox = tmp_path / "busybox"
    busybox.write_bytes(BUSYBOX)
    init = tmp_path / "init"
    init.write_bytes(INIT)
    outputs = []
    for name in ("a.gz", "b.gz"):
        out = tmp_path / name
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "mkinitramfs.py"),
                        str(out), str(busybox), str(init)], check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert "bin/busybox" in cpio(["-it", "--quiet"], gzip.decompress(outputs[0]))


def test_init_without_interpreter_line_is_refused(tmp_path):
    busybox = tmp_path / "busybox"
    busybox.write_bytes(BUSYBOX)
    init = tmp_path / "init"
    init.write_bytes(b"echo no shebang\n")
    result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "mkinitramfs.py"),
                             str(tmp_path / "out.gz"), str(busybox), str(init)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "does not start with #!" in result.stderr
    assert not (tmp_path / "out.gz").exists()


def test_missing_input_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "mkinitramfs.py"),
                             str(tmp_path / "out.gz"), str(tmp_path / "nope"), "init"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "nope" in result.stderr
