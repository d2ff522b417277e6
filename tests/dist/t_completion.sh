#!/bin/bash
# SPDX-License-Identifier: LGPL-3.0-or-later
# Source the bash completion and check COMPREPLY for a few command lines,
# and that every long option of `bootsync --help` is offered (when the
# binary is built), so that the completion cannot drift from the CLI.
# usage: t_completion.sh [path/to/bootsync]
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${1:-build/bootsync}
fail=0

if [ ! -r /usr/share/bash-completion/bash_completion ]; then
	echo "SKIP t_completion: bash-completion is not installed (tools/install-dist-deps)"
	exit 0
fi
# shellcheck source=/dev/null
source /usr/share/bash-completion/bash_completion
# shellcheck source=../../completion/bootsync.bash
source completion/bootsync.bash
# compopt only works inside a completion started by readline.
compopt() { :; }

# complete LINE: run the completion function as bash would for LINE, the
# cursor at its end; the words it offers, sorted, on one line.
complete_line()
{
	local line=$1
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *' ' ]] && COMP_WORDS+=('')
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_bootsync bootsync "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

expect()
{
	local line=$1 want=$2 got
	got=$(complete_line "$line")
	if [ "$got" = "$want" ]; then
		echo "ok   '$line' -> $got"
	else
		echo "FAIL '$line': want '$want', got '$got'"
		fail=1
	fi
}

expect 'bootsync ' 'bind init status sync'
expect 'bootsync s' 'status sync'
expect 'bootsync --js' '--json'
expect 'bootsync --lock' '--lock-timeout='
expect 'bootsync --no' '--no-variables'
expect 'bootsync i' 'init'
expect 'bootsync sync --dr' '--dry-run'
expect 'bootsync status ' ''
expect 'bootsync -v st' 'status'

# --esp-root completes directories.
dir=$(mktemp -d)
mkdir "$dir/espdir"
touch "$dir/espfile"
expect "bootsync --esp-root $dir/esp" "$dir/espdir"
rm -rf "$dir"

if [ -x "$BIN" ]; then
	offered=$(complete_line 'bootsync --')
	for opt in $("$BIN" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		case " $offered " in
		*" $opt "* | *" $opt= "*) ;;
		*) echo "FAIL --help lists $opt, the completion does not offer it"; fail=1 ;;
		esac
	done
	[ $fail = 0 ] && echo "ok   every long option of --help is offered"
else
	echo "SKIP --help comparison: $BIN not built yet"
fi
exit $fail
