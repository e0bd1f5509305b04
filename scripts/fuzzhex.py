#!/usr/bin/env python3
"""Fuzzer inputs as hex text, so that no binary file goes into git.

Usage: fuzzhex.py tohex INPUT          prints INPUT as hex, 30 bytes a line
                                       (the format of `xxd -p`)
       fuzzhex.py tobin HEXFILE OUTPUT writes the bytes of HEXFILE (`xxd -p`
                                       format: hex digits, whitespace ignored)

tobin is what the fuzz runs use to replay tests/fuzz/regressions/; tohex
turns a crashing input into such a file (`xxd -p` does the same, where
installed).
"""
import sys


def to_hex(path):
    with open(path, "rb") as f:
        data = f.read()
    for i in range(0, len(data), 30):
        print(data[i:i + 30].hex())


def to_bin(hex_path, out_path):
    with open(hex_path, encoding="ascii") as f:
        text = "".join(f.read().split())
    try:
        data = bytes.fromhex(text)
    except ValueError as e:
        sys.exit(f"{hex_path}: not hex text: {e}")
    with open(out_path, "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "tohex":
        to_hex(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "tobin":
        to_bin(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
