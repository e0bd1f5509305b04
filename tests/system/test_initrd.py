"""The initrd options of avisor.cfg (initrd=, initrd_addr=), on the small card.

The small guests stand in for the files; the Linux VM itself is tested in
test_linux.py, on the full card.
"""

import re


def boot_log(con):
    return open(con.log.name, encoding="utf-8").read()



def test_initrd_is_loaded_and_shown(boot):
    con = boot(card_files={"avisor.cfg": "rd echo.bin 0x80000 0x80000 16M initrd=lrtos.bin "
                                          "initrd_addr=0x400000\n"})
    con.expect_booted(timeout=30)
    assert re.search(r"boot: VM 1 \(rd\) started: echo.bin", boot_log(con))
    out = con.run("vmi 1")
    assert "initrd lrtos.bin at 0x400000" in out, out
    con.attach(1)
    con.expect_exact("echo: ready")


def test_bad_initrd_lines_are_reported(boot):
    config = ("nofile echo.bin 0x80000 0x80000 16M initrd=nope.gz initrd_addr=0x400000\n"
              "noaddr echo.bin 0x80000 0x80000 16M initrd=lrtos.bin\n"
              "onimage lrtos.bin 0x80000 0x80000 16M initrd=echo.bin initrd_addr=0x81000\n"
              "ondtb echo.bin 0x80000 0x80000 16M dtb=uboot.dtb dtb_addr=0x400000 "
              "initrd=lrtos.bin initrd_addr=0x3ff000\n"
              "toobig echo.bin 0x80000 0x80000 16M initrd=lrtos.bin initrd_addr=0xfff000\n"
              "outside echo.bin 0x80000 0x80000 16M initrd=lrtos.bin initrd_addr=0x1000000\n"
              "echo echo.bin 0x80000 0x80000 16M\n")
    con = boot(card_files={"avisor.cfg": config})
    con.expect_booted(timeout=30)
    log = boot_log(con)
    assert "avisor.cfg:1: VM 'nofile' not started: initrd 'nope.gz': not found" in log, log
    assert "avisor.cfg:2: initrd needs initrd_addr=ADDR" in log, log
    assert re.search(r"avisor.cfg:3: VM 'onimage' not started: initrd 'echo.bin' at "
                     r"initrd_addr 0x81000 \(\d+ bytes\) overlaps the image", log), log
    assert re.search(r"avisor.cfg:4: VM 'ondtb' not started: initrd 'lrtos.bin' at "
                     r"initrd_addr 0x3ff000 \(\d+ bytes\) overlaps the device tree", log), log
    assert re.search(r"avisor.cfg:5: VM 'toobig' not started: initrd 'lrtos.bin' \(\d+ bytes\) "
                     r"does not fit in the VM's memory at 0xfff000", log), log
    assert "avisor.cfg:6: initrd_addr 0x1000000 is outside the VM's memory (16 MiB)" in log, log
    out = con.run("vml")
    assert re.search(r"1 echo\s+(running|waiting)", out), out
