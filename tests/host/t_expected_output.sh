# SPDX-License-Identifier: LGPL-3.0-or-later
# The whole output of `status`, `status --json` and `sync --dry-run`, as a
# user sees it, compared with tests/expected/CASE.{status,json,dry-run}
# (util-linux style: any change to what is printed shows here as a diff,
# and is either a bug or a change to commit with the new expected file).
# Cases: in-step, behind, not-mounted, newer (refused), too-small, conflict.
# What differs from run to run is replaced before the comparison: the test
# directory (<T>), loop device numbers (loopN), free space and byte counts
# (<N>), the version of Debian's systemd-boot (<SDBOOT>). BOOTSYNC_UPDATE_EXPECTED=1 writes the files instead of comparing.
. "$(dirname "$0")/lib.sh"
EXPECTED=$HOSTDIR/../expected

SDV=$(sdboot_version)
normalise() {
	sed -e "s|$T|<T>|g" -e 's|/dev/loop[0-9]*|/dev/loopN|g' -e "s|$SDV|<SDBOOT>|g" \
		-e 's|space: .* free of .*|space: <N> free of <N>|' \
		-e 's|needs [0-9]* bytes, [0-9]* bytes are free|needs <N> bytes, <N> bytes are free|'
}
# run_case NAME: the three outputs of the current machine, each with its
# exit code and stderr, against the expected files.
run_case() {
	local name=$1 kind f got
	for kind in status json dry-run; do
		case $kind in
		status) bs_status ;;
		json) bs_status --json ;;
		dry-run) bs_sync --dry-run ;;
		esac
		got=$T/got-$name.$kind
		{
			if [ $kind = json ]; then
				jq '(.esps[] | select(.free_bytes != null)) |= (.free_bytes = 0 | .size_bytes = 0)' "$T/out" ||
					fail "$name: status --json is not JSON"
			else
				cat "$T/out"
			fi
			echo "# exit $RC"
			sed 's/^/# stderr: /' "$T/err"
		} | normalise >"$got"
		f=$EXPECTED/$name.$kind
		if [ "${BOOTSYNC_UPDATE_EXPECTED:-}" = 1 ]; then
			cp "$got" "$f"
			note "wrote $f"
		elif [ ! -f "$f" ]; then
			fail "no expected file $f (BOOTSYNC_UPDATE_EXPECTED=1 writes it)"
		elif ! cmp -s "$f" "$got"; then
			diff -u "$f" "$got" >&2
			fail "$name: the output of $kind is not tests/expected/$name.$kind"
		fi
	done
}

machine_init
disk_add a
disk_add b
disk_add c 16
esp_populate b
esp_populate c
source_esp a "$K1" "$K2"
for l in a b c; do esp_sdboot $l; done
efi_loader_partuuid "${PARTUUID[a]}"
efi_boot_current 0x0007
efi_boot_entry 0007 "${PARTUUID[a]}" "Linux Boot Manager (a)"
efi_boot_entry 0008 "${PARTUUID[b]}" "Linux Boot Manager (b)"
printf '\x07\x00\x00\x00\x07\x00\x08\x00' >"$EFIVARS/BootOrder-$GUID_GLOBAL"
umount "$ESP_ROOT@c"
bs_sync
assert_rc 4 "c not mounted"
run_case not-mounted

esp_mount c
bs_sync
assert_rc 0
run_case in-step

kernel_add a "$K3"
modules_add "$K3"
run_case behind

bs_sync
assert_rc 0
kernel_add a "$K4" 6144 6144
modules_add "$K4"
run_case too-small

rm -rf "${ESP_ROOT:?}@c/$TOKEN/$K1"
echo "not a directory" >"$ESP_ROOT@c/$TOKEN/$K1"
kernel_del a "$K4"
modules_del "$K4"
bs_sync
run_case conflict

rm -f "$ESP_ROOT@c/$TOKEN/$K1"
mkdir -p "$ESP_ROOT@b/$TOKEN/$KNEWER"
run_case newer
