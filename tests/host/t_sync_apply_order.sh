# SPDX-License-Identifier: LGPL-3.0-or-later
# The apply step, watched with strace: every file lands by rename of an
# fsync'ed temp file from its own directory; kernels and initrds land (and
# their directory is fsync'ed) before the entry naming them; an entry is
# deleted (and durably) before its kernel and initrd.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || fail "strace is not installed (needed by this test)"
machine_init
disk_add a
disk_add b
esp_populate b
source_esp a "$K1" "$K2"
bs_sync
assert_rc 0
kernel_add a "$K3"
modules_add "$K3"
kernel_del a "$K1"
modules_del "$K1"
LAST_CMD="strace bootsync sync"
RC=0
# LeakSanitizer cannot run under ptrace: no leak check in this one run (the
# other tests do it) when the binary is the ASan build.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
strace -f -y -qq -e signal=none -e trace=renameat,renameat2,unlinkat,fsync,fdatasync -o "$T/trace" \
	"$BOOTSYNC" sync --esp-root="$ESP_ROOT" >"$T/out" 2>"$T/err" || RC=$?
assert_rc 0
assert_in_step "$ESP_ROOT@a" "$ESP_ROOT@b"
"$PYTHON" "$HOSTDIR/check_apply_trace.py" "$T/trace" "$ESP_ROOT@b" \
	"$TOKEN/$K3/linux,$TOKEN/$K3/initrd" "loader/entries/$TOKEN-$K3.conf" \
	"loader/entries/$TOKEN-$K1.conf" "$TOKEN/$K1/linux,$TOKEN/$K1/initrd" >"$T/violations" ||
	fail "crash-safety: $(tr '\n' ';' <"$T/violations") (trace: $(grep -c . "$T/trace") lines)"
