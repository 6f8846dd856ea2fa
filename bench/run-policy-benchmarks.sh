#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Policy benchmarks (issue 3): `make bench` runs this after the foundation
# benchmarks; it also runs on its own:
#   bench/run-policy-benchmarks.sh [BUILDDIR]   (default: _build)
#
# Each program measures one capability in-process on the large demo
# workspace (2,000 policies with 5 versions each) and prints table rows
# "what | measured | goal | PASS/MISS"; the method is described at the top
# of each program. The preview benchmark draws a real GtkTextView and runs
# under dbus-run-session and xvfb-run.
#
# The table goes to standard output and to bench/results/policies.txt.
# Exit status: 0 when every benchmark ran (a MISS is a finding), 1 when one
# could not run; with KODEX_BENCH_STRICT=1 a MISS fails too.

set -u

build=$(cd "${1:-_build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
cli=${KODEX_CLI:-$build/src/cli/kodex-cli}
large=$build/bench/large.kodex
out=$src/bench/results/policies.txt
status=0

mkdir -p "$build/bench" "$src/bench/results"

if [ ! -f "$large" ] || [ "$cli" -nt "$large" ]; then
  echo "bench: making the large demo workspace" >&2
  rm -f "$large"
  "$cli" demo "$large" --size large --language de >&2 || exit 1
fi

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT

run () {
  prog=$1; shift
  if [ -z "$prog" ] || [ ! -x "$prog" ]; then
    echo "bench: a policy benchmark program is missing" >&2
    status=1
    return
  fi
  if ! "$@" >> "$rows"; then
    echo "bench: $prog failed" >&2
    status=1
  fi
}

search=${KODEX_BENCH_POLICY_SEARCH:-$build/bench/bench-policy-search}
diff=${KODEX_BENCH_DIFF:-$build/bench/bench-diff}
preview=${KODEX_BENCH_PREVIEW:-$build/bench/bench-preview}

run "$search" "$search" "$large"
run "$diff" "$diff" "$large"
run "$preview" env GSK_RENDERER=cairo GSETTINGS_BACKEND=memory GTK_A11Y=none \
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$preview" "$large"

{
  printf 'Kodex policy benchmarks — %s, %s CPUs, load average %s\n\n' \
    "$(date '+%Y-%m-%d %H:%M')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-44s | %-22s | %-14s | %s\n' "benchmark" "measured" "goal" "verdict"
  cat "$rows"
} | tee "$out"

if [ "${KODEX_BENCH_STRICT:-0}" = 1 ] && grep -q '| MISS' "$rows"; then
  status=1
fi
exit $status
