"""Tests of the build itself: a build with nothing changed does nothing.

They use the tree's own build/ (make test builds it first); without a built
kernel8.img they are skipped rather than start a full build.
"""
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KERNEL = os.path.join(ROOT, "build", "kernel8.img")
VERSION_OBJ = os.path.join(ROOT, "build", "hv", "hv", "core", "version.c.o")


def make_all():
    result = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "all"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.skipif(not os.path.exists(KERNEL), reason="nothing built yet: run make")
def test_nothing_changed_builds_nothing():
    make_all()  # whatever the tree's state, bring build/ up to date
    before = (os.stat(KERNEL).st_mtime_ns, os.stat(VERSION_OBJ).st_mtime_ns)
    out = make_all()
    built = [line for line in out.splitlines()
             if line.split()[:1] in (["CC"], ["AS"], ["LD"], ["GEN"], ["built"])]
    assert built == [], "a build with nothing changed did:\n" + out
    assert (os.stat(KERNEL).st_mtime_ns, os.stat(VERSION_OBJ).st_mtime_ns) == before
