#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Write fake efivarfs files (4 attribute bytes, then the data) for the host tests.

  mkefivar.py partuuid FILE GUID [--truncate N]
      LoaderDevicePartUUID: the GUID in upper case as UTF-16LE with a
      trailing NUL, attributes 0x06 (as systemd-boot writes it). With
      --truncate N keep only the first N bytes of the whole file.
  mkefivar.py u16 FILE VALUE
      BootCurrent-style little-endian uint16 (attributes 0x06).
  mkefivar.py loadopt FILE GUID DESCRIPTION [--part N] [--start LBA]
                       [--size SECTORS] [--path \\EFI\\...]
                       [--extra-path \\EFI\\...]...
      Boot####: an EFI_LOAD_OPTION (active) whose device path is
      HD(N,GPT,GUID,start,size)/File(path)/End, attributes 0x07 (as
      efibootmgr -c writes it; compare with the fixture's hd-entry Boot0006).
      Each --extra-path adds one more device path to the FilePathList
      (UEFI 2.10 3.1.3: it may hold several, each ending with End
      Entire): File(path)/End.
"""
import argparse
import struct
import sys
import uuid


def utf16z(s):
    return s.encode("utf-16-le") + b"\0\0"


def write(path, attrs, data):
    with open(path, "wb") as f:
        f.write(struct.pack("<I", attrs) + data)


def file_node(path):
    fpath = utf16z(path)
    return struct.pack("<BBH", 0x04, 0x04, 4 + len(fpath)) + fpath


def load_option(guid, desc, part, start, size, path, extra=()):
    hd = struct.pack("<BBH", 0x04, 0x01, 42)
    hd += struct.pack("<IQQ", part, start, size)
    hd += uuid.UUID(guid).bytes_le
    hd += bytes([0x02, 0x02])  # MBR type: GPT, signature type: GUID
    end = bytes([0x7F, 0xFF, 0x04, 0x00])
    dp = hd + file_node(path) + end
    for p in extra:
        dp += file_node(p) + end
    return struct.pack("<IH", 1, len(dp)) + utf16z(desc) + dp


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("partuuid")
    p.add_argument("file")
    p.add_argument("guid")
    p.add_argument("--truncate", type=int)
    p = sub.add_parser("u16")
    p.add_argument("file")
    p.add_argument("value", type=lambda v: int(v, 0))
    p = sub.add_parser("loadopt")
    p.add_argument("file")
    p.add_argument("guid")
    p.add_argument("desc")
    p.add_argument("--part", type=int, default=1)
    p.add_argument("--start", type=lambda v: int(v, 0), default=2048)
    p.add_argument("--size", type=lambda v: int(v, 0), default=0x1F800)
    p.add_argument("--path", default="\\EFI\\systemd\\systemd-bootx64.efi")
    p.add_argument("--extra-path", action="append", default=[])
    a = ap.parse_args()
    if a.cmd == "partuuid":
        data = struct.pack("<I", 6) + utf16z(a.guid.upper())
        if a.truncate is not None:
            data = data[: a.truncate]
        with open(a.file, "wb") as f:
            f.write(data)
    elif a.cmd == "u16":
        write(a.file, 6, struct.pack("<H", a.value))
    elif a.cmd == "loadopt":
        write(a.file, 7, load_option(a.guid, a.desc, a.part, a.start, a.size, a.path, a.extra_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
