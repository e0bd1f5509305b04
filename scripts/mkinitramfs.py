#!/usr/bin/env python3
"""Usage: mkinitramfs.py OUT.cpio.gz BUSYBOX INIT [PATH=FILE ...] [--modules DIR NAME,...]

Writes the initramfs of aVisor's Linux guest without root: the cpio archive
is written here, in the "newc" format the kernel unpacks
(Documentation/driver-api/early-userspace/buffer-format.rst), so it can hold
the device node /dev/console, which the kernel opens for /init's stdin,
stdout and stderr before devtmpfs is mounted. Then gzip (CONFIG_RD_GZIP).

Contents: the directories of a small root, /dev/console (character device
5:1), /bin/busybox (static), /bin/sh -> busybox, INIT as /init and each
FILE as /PATH (e.g. etc/inittab=guests/linux/inittab; PATH's directory must
be one of the root's). /init installs busybox's other applets as links when
it starts. Every entry has
uid 0, gid 0 and mtime 0, so the same inputs give the same bytes.

--modules DIR NAME,...: kernel modules from DIR (a /lib/modules/VERSION
folder of Debian's linux-image package, which has no modules.dep: depmod
runs when the package is installed). Each NAME.ko found under DIR/kernel,
and every module it depends on (the "depends=" field of its .modinfo
section), goes to /lib/modules/VERSION/ at the same path, with a
modules.dep listing each one's dependencies, so that busybox's modprobe
loads a module and what it needs.
"""
import gzip
import os
import stat
import sys

MAGIC = b"070701"
TRAILER = "TRAILER!!!"
DIRS = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "root",
        "etc"]


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def newc_entry(name, mode, data=b"", ino=0, rdev=(0, 0), nlink=1):
    """One archive member: the 110-byte header, the name, the data, each padded to 4 bytes."""
    name_bytes = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name_bytes), 0]
    for value in fields:
        if not 0 <= value <= 0xFFFFFFFF:
            raise ValueError("%s: field value %d does not fit the newc header" % (name, value))
    header = MAGIC + b"".join(b"%08X" % value for value in fields)
    return pad4(header + name_bytes) + pad4(data)


class Archive:
    """Members in order; each gets the next inode number. to_bytes() adds the trailer."""

    def __init__(self):
        self.members = []

    def _add(self, name, mode, data=b"", rdev=(0, 0), nlink=1):
        if name.startswith("/") or not name:
            raise ValueError("archive names are relative and not empty: %r" % name)
        self.members.append(newc_entry(name, mode, data, len(self.members) + 1, rdev, nlink))

    def directory(self, name, perm=0o755):
        self._add(name, stat.S_IFDIR | perm, nlink=2)

    def file(self, name, data, perm=0o644):
        self._add(name, stat.S_IFREG | perm, data)

    def symlink(self, name, target):
        self._add(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor, perm=0o600):
        self._add(name, stat.S_IFCHR | perm, rdev=(major, minor))

    def to_bytes(self):
        return b"".join(self.members) + newc_entry(TRAILER, 0)


def linux_guest_archive(busybox, init, extra=()):
    """extra: (path in the archive, bytes) pairs, regular files of mode 0644."""
    archive = Archive()
    for d in DIRS:
        archive.directory(d, 0o1777 if d == "tmp" else 0o755)
    archive.char_device("dev/console", 5, 1)
    archive.file("bin/busybox", busybox, 0o755)
    archive.symlink("bin/sh", "busybox")
    archive.file("init", init, 0o755)
    for name, data in extra:
        if os.path.dirname(name) not in DIRS:
            raise ValueError("%s: its directory is not one of %s" % (name, " ".join(DIRS)))
        archive.file(name, data)
    return archive


def modinfo_depends(data):
    """The modules a .ko needs: its .modinfo "depends=a,b" string (empty: none)."""
    at = data.find(b"\0depends=")
    if at < 0:
        return []
    end = data.index(b"\0", at + 1)
    value = data[at + len(b"\0depends="):end].decode()
    return [name for name in value.split(",") if name]


def find_modules(moddir):
    """NAME -> path relative to moddir, for every NAME.ko under moddir/kernel."""
    found = {}
    for top, _, files in os.walk(os.path.join(moddir, "kernel")):
        for f in files:
            if f.endswith(".ko"):
                rel = os.path.relpath(os.path.join(top, f), moddir)
                found[f[:-3].replace("-", "_")] = rel
    return found


def module_closure(moddir, names):
    """[(relative path, bytes, [dependency paths])] for names and what they depend on."""
    index = find_modules(moddir)
    result, seen, todo = [], set(), list(names)
    while todo:
        name = todo.pop(0).replace("-", "_")
        if name in seen:
            continue
        seen.add(name)
        if name not in index:
            raise ValueError("module %s not found under %s/kernel" % (name, moddir))
        data = read_input(os.path.join(moddir, index[name]))
        deps = modinfo_depends(data)
        for dep in deps:
            if dep.replace("-", "_") not in index:
                raise ValueError("module %s needs %s, not found under %s/kernel"
                                 % (name, dep, moddir))
        todo.extend(deps)
        result.append((index[name], data, [index[d.replace("-", "_")] for d in deps]))
    return result


def add_modules(archive, moddir, names):
    """The modules under lib/modules/VERSION/, their directories and modules.dep."""
    base = "lib/modules/" + os.path.basename(os.path.normpath(moddir))
    dirs = set()
    modules = module_closure(moddir, names)
    for rel, _, _ in modules:
        parts = (base + "/" + os.path.dirname(rel)).split("/")
        for i in range(len(parts)):
            dirs.add("/".join(parts[:i + 1]))
    for d in sorted(dirs):
        archive.directory(d)
    dep_lines = []
    for rel, data, deps in modules:
        archive.file(base + "/" + rel, data)
        dep_lines.append("%s:%s\n" % (rel, "".join(" " + d for d in deps)))
    archive.file(base + "/modules.dep", "".join(dep_lines).encode())


def read_input(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        sys.exit("mkinitramfs: cannot read %s: %s" % (path, e.strerror))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, busybox_path, init_path = sys.argv[1:4]
    args = sys.argv[4:]
    modules = None
    if "--modules" in args:
        at = args.index("--modules")
        if len(args) < at + 3:
            sys.exit("mkinitramfs: --modules needs DIR and NAME,NAME...")
        modules = (args[at + 1], [n for n in args[at + 2].split(",") if n])
        del args[at:at + 3]
    extra = []
    for spec in args:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            sys.exit("mkinitramfs: %r is not PATH=FILE" % spec)
        extra.append((name, read_input(path)))
    busybox = read_input(busybox_path)
    init = read_input(init_path)
    if not init.startswith(b"#!"):
        sys.exit("mkinitramfs: %s does not start with #! (the kernel could not run it)"
                 % init_path)
    try:
        archive = linux_guest_archive(busybox, init, extra)
        if modules:
            add_modules(archive, *modules)
        data = archive.to_bytes()
    except ValueError as e:
        sys.exit("mkinitramfs: %s" % e)
    with open(out + ".tmp", "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main()
