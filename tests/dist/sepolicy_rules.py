#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-3.0-or-later
"""What the linked policy lets bootsync_t do, and what it must not.

usage: sepolicy_rules.py POLICY_FILE
Queries are made with setools (Debian's python3-setools), like sesearch,
but the policy is loaded once. Attributes are expanded: a rule written for
`domain` or `file_type` counts for bootsync_t and etc_t.
"""
import sys

import setools

policy = setools.SELinuxPolicy(sys.argv[1])
failed = False


# Each TERuleQuery walks every rule of the policy (seconds): walk once per
# rule kind and source, expand the targets, then answer from memory.
_cache = {}


def _expanded(kind, source):
    if (kind, source) not in _cache:
        q = setools.TERuleQuery(policy, ruletype=[kind], source=source)
        _cache[kind, source] = [
            (r, {str(t) for t in r.target.expand()}) for r in q.results()]
    return _cache[kind, source]


def rules(kind, source, target=None, tclass=None, perms=None, default=None):
    found = []
    for r, targets in _expanded(kind, source):
        if target and target not in targets:
            continue
        if tclass and str(r.tclass) != tclass:
            continue
        if perms and not set(perms.split(',')) <= {str(p) for p in r.perms}:
            continue
        if default and str(r.default) != default:
            continue
        found.append(r)
    return found


def check(want, what, *args, **kw):
    global failed
    found = rules(*args, **kw)
    if bool(found) == want:
        print(f"ok   {'allows' if want else 'denies'}: {what}")
    else:
        failed = True
        print(f"FAIL {'missing' if want else 'allows'}: {what}")
        for r in found:
            print(f"       {r}")


def has(what, *args, **kw):
    check(True, what, *args, **kw)


def hasnt(what, *args, **kw):
    check(False, what, *args, **kw)


B = 'bootsync_t'
has("systemd (init_t) starts bootsync_exec_t in bootsync_t",
    'type_transition', 'init_t', 'bootsync_exec_t', 'process', default=B)
has("read EFI variables", 'allow', B, 'efivarfs_t', 'file', 'read')
has("list EFI variables", 'allow', B, 'efivarfs_t', 'dir', 'read')
has("statfs efivarfs (libefivar)", 'allow', B, 'efivarfs_t', 'filesystem', 'getattr')
has("find selinuxfs (libselinux)", 'allow', B, 'security_t', 'filesystem', 'getattr')
has("update /run/mount/utab (libmount, after the bind)", 'allow', B, 'mount_runtime_t', 'file', 'create,write,rename,lock')
has("read /etc/machine-id, /etc/kernel/entry-token", 'allow', B, 'etc_t', 'file', 'read')
has("list /lib/modules", 'allow', B, 'modules_object_t', 'dir', 'read')
has("read the disks' partition tables", 'allow', B, 'fixed_disk_device_t', 'blk_file', 'read')
has("read /proc/self/mountinfo", 'allow', B, B, 'file', 'read')
has("bind-mount on the ESP root", 'allow', B, 'boot_t', 'dir', 'mounton')
has("replace files on boot_t ESPs", 'allow', B, 'boot_t', 'file', 'create,write,rename,unlink,setattr')
has("replace files on vfat ESPs (dosfs_t)", 'allow', B, 'dosfs_t', 'file', 'create,write,rename,unlink,setattr')
has("statvfs on vfat ESPs", 'allow', B, 'dosfs_t', 'filesystem', 'getattr')
has("create /run/bootsync.lock as bootsync_var_run_t",
    'type_transition', B, 'var_run_t', 'file', default='bootsync_var_run_t')
has("lock the lock file", 'allow', B, 'bootsync_var_run_t', 'file', 'lock')
has("CAP_SYS_ADMIN for mount(2)", 'allow', B, B, 'capability', 'sys_admin')

has("make a firmware boot entry (create and write a variable)", 'allow', B, 'efivarfs_t', 'file', 'create,write')
has("add a variable to efivarfs", 'allow', B, 'efivarfs_t', 'dir', 'add_name,write')
has("clear efivarfs's immutable flag for the write", 'allow', B, 'efivarfs_t', 'file', 'ioctl')
has("CAP_LINUX_IMMUTABLE for that flag", 'allow', B, B, 'capability', 'linux_immutable')
hasnt("delete EFI variables", 'allow', B, 'efivarfs_t', 'file', 'unlink')
hasnt("delete entries from efivarfs", 'allow', B, 'efivarfs_t', 'dir', 'remove_name')
hasnt("rename or setattr EFI variables", 'allow', B, 'efivarfs_t', 'file', 'rename')
hasnt("write the disks' block devices", 'allow', B, 'fixed_disk_device_t', 'blk_file', 'write')
hasnt("write /etc", 'allow', B, 'etc_t', 'file', 'write')
hasnt("read /etc/shadow", 'allow', B, 'shadow_t', 'file', 'read')
hasnt("write kernel modules", 'allow', B, 'modules_object_t', 'file', 'write')
hasnt("mount filesystems (only bind mounts)", 'allow', B, None, 'filesystem', 'mount')
hasnt("remount or unmount filesystems", 'allow', B, None, 'filesystem', 'remount')
hasnt("TCP sockets", 'allow', B, B, 'tcp_socket', 'create')
hasnt("DAC override", 'allow', B, B, 'capability', 'dac_override')
hasnt("write user home files", 'allow', B, 'user_home_t', 'file', 'write')
sys.exit(1 if failed else 0)
