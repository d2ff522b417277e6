#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""Check a strace log (strace -f -y) of one `bootsync sync` against the
crash-safety rules of the design, for one target directory:

- every file lands by rename of a temp file (.bootsync-tmp.*) from the same
  directory, fsync'ed before the rename and again after it (vfat);
- the directory is fsync'ed after a rename or an unlink and before the next
  step that depends on it: after a payload lands and before the entry naming
  it lands; after an entry is deleted and before its payload is deleted;
- payload before entry (adds), entry before payload (deletes).

usage: check_apply_trace.py LOG TARGET ADDED_PAYLOADS ADDED_ENTRY DELETED_ENTRY DELETED_PAYLOADS
  (paths relative to TARGET; several payloads separated by commas)
Prints one line per violation; exit 1 if any.
"""
import re
import sys

log, target, add_pl, add_ent, del_ent, del_pl = sys.argv[1:7]
add_pl = add_pl.split(",")
del_pl = del_pl.split(",")

fdpath = r'-?\d+<([^>]*)>'
qstr = r'"((?:[^"\\]|\\.)*)"'
rx_rename = re.compile(r'renameat2?\(' + fdpath + r', ' + qstr + r', ' + fdpath + r', ' + qstr + r'(?:, [^)]*)?\)\s*=\s*0')
rx_unlink = re.compile(r'unlinkat\(' + fdpath + r', ' + qstr + r', (0|AT_REMOVEDIR)\)\s*=\s*0')
rx_fsync = re.compile(r'f(?:data)?sync\(' + fdpath + r'\)\s*=\s*0')

events = []  # (kind, path, extra)
for line in open(log, errors="replace"):
    m = rx_rename.search(line)
    if m:
        od, on, nd, nn = m.groups()
        events.append(("rename", nd + "/" + nn, (od, on, nd, nn)))
        continue
    m = rx_unlink.search(line)
    if m:
        d, n, flag = m.groups()
        events.append(("rmdir" if flag == "AT_REMOVEDIR" else "unlink", d + "/" + n, None))
        continue
    m = rx_fsync.search(line)
    if m:
        events.append(("fsync", m.group(1), None))

bad = []
def rel(p):
    return p[len(target) + 1:] if p.startswith(target + "/") else None

def index_of(kind, relpath):
    for i, (k, p, _) in enumerate(events):
        if k == kind and rel(p) == relpath:
            return i
    bad.append(f"no {kind} of {relpath} in the trace")
    return None

def dir_fsync_between(i, j, d):
    return any(k == "fsync" and p == d for k, p, _ in events[i + 1:j])

renames = [(i, e) for i, e in enumerate(events) if e[0] == "rename" and rel(e[1]) is not None]
if not renames:
    bad.append("no rename into the target at all")
for i, (k, p, (od, on, nd, nn)) in renames:
    if od != nd:
        bad.append(f"{rel(p)}: temp file in {od}, not in the target directory {nd}")
    if not on.startswith(".bootsync-tmp."):
        bad.append(f"{rel(p)}: renamed from {on}, not a .bootsync-tmp.* file")
    tmp = od + "/" + on
    if not any(k2 == "fsync" and p2 == tmp for k2, p2, _ in events[:i]):
        bad.append(f"{rel(p)}: temp file {on} not fsync'ed before the rename")
    # vfat writes a renamed file's directory slot with the file, not with the
    # directory: the file must be fsync'ed again under its new name.
    nxt = next((j for j, e in enumerate(events) if j > i and e[0] == "rename"), len(events))
    if not any(k2 == "fsync" and p2 == p for k2, p2, _ in events[i + 1:nxt]):
        bad.append(f"{rel(p)}: not fsync'ed under its new name after the rename")
    if not any(k2 == "fsync" and p2 == nd for k2, p2, _ in events[i + 1:]):
        bad.append(f"{rel(p)}: directory {nd} never fsync'ed after the rename")

ie = index_of("rename", add_ent)
for pl in add_pl:
    ip = index_of("rename", pl)
    if ip is not None and ie is not None:
        if ip > ie:
            bad.append(f"entry {add_ent} landed before its payload {pl}")
        elif not dir_fsync_between(ip, ie, target + "/" + pl.rsplit("/", 1)[0]):
            bad.append(f"no fsync of the directory of {pl} between it and the entry {add_ent}")

ide = index_of("unlink", del_ent)
for pl in del_pl:
    ip = index_of("unlink", pl)
    if ip is not None and ide is not None:
        if ip < ide:
            bad.append(f"payload {pl} deleted before the entry {del_ent} naming it")
        elif not dir_fsync_between(ide, ip, target + "/" + del_ent.rsplit("/", 1)[0]):
            bad.append(f"no fsync of the entries directory between deleting {del_ent} and {pl}")

for b in bad:
    print(b)
sys.exit(1 if bad else 0)
