"""Tests of scripts/mkvmdtb.sh --linux and scripts/linux-image.sh.

They run on the Debian files in cache/ (fetched by the first `make`) and
read the results back with fdtget; without the cache they are skipped.
"""
import glob
import gzip
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MKVMDTB = os.path.join(ROOT, "scripts", "mkvmdtb.sh")
LINUX_IMAGE = os.path.join(ROOT, "scripts", "linux-image.sh")
PI3_DTBS = glob.glob(os.path.join(ROOT, "cache", "linux-image", "usr", "lib", "linux-image-*",
                                  "broadcom", "bcm2837-rpi-3-b.dtb"))
VMLINUZ = glob.glob(os.path.join(ROOT, "cache", "linux-image", "boot", "vmlinuz-*"))
BOOTARGS = "console=ttyS1,115200 earlycon rdinit=/init"

needs_dtb = pytest.mark.skipif(not PI3_DTBS, reason="cache/ has no Pi 3 device tree: run make")
needs_kernel = pytest.mark.skipif(not VMLINUZ, reason="cache/ has no kernel: run make")


def fdtget(dtb, node, prop, kind=None):
    args = ["fdtget"] + (["-t", kind] if kind else []) + [dtb, node, prop]
    result = subprocess.run(args, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def has_node(dtb, node):
    return subprocess.run(["fdtget", "-l", dtb, node], capture_output=True).returncode == 0


@pytest.fixture
def linux_dtb(tmp_path):
    initrd = tmp_path / "initrd.gz"
    initrd.write_bytes(b"x" * 1000)
    out = str(tmp_path / "linux.dtb")
    subprocess.run([MKVMDTB, "--linux", PI3_DTBS[0], out, "256", "2", BOOTARGS, "0x4000000",
                    str(initrd)], check=True)
    return out


@needs_dtb
def test_memory_chosen_and_initrd(linux_dtb):
    assert fdtget(linux_dtb, "/memory@0", "reg", "x") == "0 10000000"
    assert fdtget(linux_dtb, "/chosen", "bootargs") == BOOTARGS
    assert fdtget(linux_dtb, "/chosen", "stdout-path") == "serial1:115200n8"
    assert fdtget(linux_dtb, "/chosen", "linux,initrd-start", "x") == "4000000"
    assert fdtget(linux_dtb, "/chosen", "linux,initrd-end", "x") == "40003e8"  # + 1000 bytes
    assert not has_node(linux_dtb, "/reserved-memory")


@needs_dtb
def test_two_cpus_started_by_psci_over_hvc(linux_dtb):
    assert fdtget(linux_dtb, "/psci", "method") == "hvc"
    assert fdtget(linux_dtb, "/psci", "compatible") == "arm,psci-1.0 arm,psci-0.2"
    for cpu in (0, 1):
        node = "/cpus/cpu@%d" % cpu
        assert fdtget(linux_dtb, node, "enable-method") == "psci"
        assert fdtget(linux_dtb, node, "cpu-release-addr") is None
    assert not has_node(linux_dtb, "/cpus/cpu@2") and not has_node(linux_dtb, "/cpus/cpu@3")
    assert fdtget(linux_dtb, "/cpus", "enable-method") is None


@needs_dtb
def test_mini_uart_clock_is_fixed_and_cprman_disabled(linux_dtb):
    clk = "/clocks/clk-vpu-fixed"
    assert fdtget(linux_dtb, clk, "compatible") == "fixed-clock"
    assert fdtget(linux_dtb, clk, "clock-frequency", "u") == "250000000"
    phandle = fdtget(linux_dtb, clk, "phandle", "x")
    assert phandle and fdtget(linux_dtb, "/soc/aux@7e215000", "clocks", "x") == phandle
    # No other node has that phandle.
    dts = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", linux_dtb], capture_output=True,
                         text=True).stdout
    assert dts.count("phandle = <0x%s>;" % phandle) == 1
    assert fdtget(linux_dtb, "/soc/cprman@7e101000", "status") == "disabled"
    assert fdtget(linux_dtb, "/soc/watchdog@7e100000", "reg-names") == "pm"
    assert fdtget(linux_dtb, "/arm-pmu", "status") == "disabled"
    for kept in ("/soc/serial@7e215040", "/soc/gpio@7e200000", "/soc/mailbox@7e00b880",
                 "/soc/timer@7e003000", "/soc/local_intc@40000000"):
        assert fdtget(linux_dtb, kept, "status") in (None, "okay"), kept


@needs_dtb
def test_missing_initrd_and_bad_arguments_are_errors(tmp_path):
    out = str(tmp_path / "x.dtb")
    result = subprocess.run([MKVMDTB, "--linux", PI3_DTBS[0], out, "256", "2", BOOTARGS,
                             "0x4000000", str(tmp_path / "nope")], capture_output=True, text=True)
    assert result.returncode == 1 and "initramfs" in result.stderr and "not found" in result.stderr
    assert not os.path.exists(out) and not os.path.exists(out + ".tmp")
    result = subprocess.run([MKVMDTB, "--linux", PI3_DTBS[0], out, "256", "2"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Usage" in result.stderr


@needs_kernel
def test_linux_image_plain_or_gzip_gives_the_same_image(tmp_path):
    plain = tmp_path / "plain"
    subprocess.run([LINUX_IMAGE, VMLINUZ[0], str(plain)], check=True, capture_output=True)
    data = plain.read_bytes()
    assert data[56:60] == b"ARM\x64"
    packed = tmp_path / "vmlinuz.gz"
    packed.write_bytes(gzip.compress(data, compresslevel=1))
    unpacked = tmp_path / "unpacked"
    result = subprocess.run([LINUX_IMAGE, str(packed), str(unpacked)], check=True,
                            capture_output=True, text=True)
    assert "decompressed" in result.stdout
    assert unpacked.read_bytes() == data


def test_linux_image_refuses_what_is_not_an_image(tmp_path):
    bogus = tmp_path / "bogus"
    bogus.write_bytes(b"\0" * 4096)
    out = tmp_path / "out"
    result = subprocess.run([LINUX_IMAGE, str(bogus), str(out)], capture_output=True, text=True)
    assert result.returncode == 1 and "not an arm64 kernel Image" in result.stderr
    assert not out.exists()
