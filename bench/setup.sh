# setup.sh - sourced by bench/run and tests/run: Debian packages, then a
# meson build. Root installs what is missing; anyone else gets the one
# apt-get line to run.
#
#   PTB_BUILD   build folder (default: build/ in the source tree)
#   MESON_ARGS  extra `meson setup` options, e.g. -Dwerror=true

ptb_top=$(cd "$(dirname "$0")/.." && pwd)
ptb_build=${PTB_BUILD:-$ptb_top/build}

# Everything a fresh Debian 12 needs to build, test and chart.
PTB_PACKAGES="gcc libc6-dev meson ninja-build pkg-config libhwloc-dev libcsv-dev libxlsxwriter-dev git python3 gnuplot-nox"

# The packages of the arguments that are not installed.
ptb_missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			printf '%s ' "$p"
	done
}

ptb_deps() {
	# shellcheck disable=SC2086
	missing=$(ptb_missing $PTB_PACKAGES ${PTB_EXTRA_PACKAGES:-})
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "ptbench: installing $missing"
		apt-get update -q >/dev/null &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null ||
			{ echo "ptbench: apt-get install failed" >&2; exit 1; }
	else
		echo "ptbench: missing packages; as root, run:" >&2
		echo "apt-get update && apt-get install -y --no-install-recommends $missing" >&2
		exit 1
	fi
}

# Packages only some tests need: LibreOffice opens the workbook (export
# test); Slurm and munge make a one-node cluster (slurm test).
PTB_TEST_PACKAGES="libreoffice-calc-nogui slurm-wlm munge"

# Such packages: root installs them when it can; without them those
# tests skip and say why, and nothing else stops.
ptb_optional() {
	missing=$(ptb_missing "$@")
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "ptbench: installing $missing (for the tests)"
		apt-get update -q >/dev/null &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null ||
			echo "ptbench: could not install $missing: the tests that need it skip" >&2
	else
		echo "ptbench: not installed: $missing (the tests that need it skip); as root, run:" >&2
		echo "apt-get install -y --no-install-recommends $missing" >&2
	fi
}

ptb_configure() {
	if [ -f "$ptb_build/build.ninja" ]; then
		# shellcheck disable=SC2086
		[ -z "${MESON_ARGS:-}" ] || meson configure "$ptb_build" $MESON_ARGS >/dev/null
	else
		# shellcheck disable=SC2086
		meson setup "$ptb_build" "$ptb_top" ${MESON_ARGS:-} >/dev/null
	fi
}

ptb_compile() {
	ptb_configure && meson compile -C "$ptb_build" >"$ptb_build.log" 2>&1 ||
		{ cat "$ptb_build.log" >&2; return 1; }
}
