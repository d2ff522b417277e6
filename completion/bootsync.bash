# SPDX-License-Identifier: LGPL-3.0-or-later
# bash completion for bootsync(8): verbs and options (docs/HACKING.md).
# Options are accepted before or after the verb, so both are offered
# everywhere until a verb is given; then only the options.

# shellcheck disable=SC2207 # compgen words have no spaces
_bootsync()
{
	local cur prev words cword split
	_init_completion -s || return

	local verbs='bind sync status init'
	local opts='--esp-root= --dry-run --json --lock-timeout= --mount-timeout= --no-variables --verbose --quiet --help --version -n -v -q -h -V'

	case $prev in
	--esp-root)
		_filedir -d
		return
		;;
	--lock-timeout | --mount-timeout)
		COMPREPLY=($(compgen -W '0 10 60 300' -- "$cur"))
		return
		;;
	--help | -h | --version | -V)
		return
		;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		# Options that take a value: no space after the "=".
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi

	# Offer the verbs until one is on the line; after init, its ESP
	# (a directory ROOT@X).
	local i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		init)
			_filedir -d
			return
			;;
		bind | sync | status) return ;;
		esac
	done
	COMPREPLY=($(compgen -W "$verbs" -- "$cur"))
} &&
	complete -F _bootsync bootsync
