#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Print a Boot#### efivarfs file as one line, for the host tests:
   ATTRS DESCRIPTION|HD(N,GPT,GUID,0xSTART,0xSIZE)/File(PATH)
Written from the UEFI specification (3.1.3, 10.3), independently of the
program under test, so that the tests check its bytes, not its own
reading of them. Exits 1 on anything malformed."""
import struct
import sys
import uuid


def main(path):
    raw = open(path, "rb").read()
    attrs, = struct.unpack_from("<I", raw, 0)
    opt = raw[4:]
    oattrs, plen = struct.unpack_from("<IH", opt, 0)
    off = 6
    end = off
    while opt[end:end + 2] != b"\0\0":
        end += 2
    desc = opt[off:end].decode("utf-16-le")
    dp = opt[end + 2:end + 2 + plen]
    if len(dp) != plen:
        sys.exit("truncated device path")
    parts, i = [], 0
    while i < len(dp):
        t, st, ln = struct.unpack_from("<BBH", dp, i)
        body = dp[i + 4:i + ln]
        if t == 0x7F:
            break
        if t == 4 and st == 1:
            num, start, size = struct.unpack_from("<IQQ", body, 0)
            sig = uuid.UUID(bytes_le=bytes(body[20:36]))
            fmt, styp = body[36], body[37]
            if (fmt, styp) != (2, 2):
                sys.exit("HD() not GPT/GUID")
            parts.append("HD(%d,GPT,%s,0x%x,0x%x)" % (num, sig, start, size))
        elif t == 4 and st == 4:
            parts.append("File(%s)" % body.decode("utf-16-le").rstrip("\0"))
        else:
            parts.append("Node(%d,%d)" % (t, st))
        i += ln
    if len(opt) != end + 2 + plen:
        sys.exit("optional data present")
    print("0x%x 0x%x %s|%s" % (attrs, oattrs, desc, "/".join(parts)))


main(sys.argv[1])
