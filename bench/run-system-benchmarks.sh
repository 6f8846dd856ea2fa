#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# AI systems, catalogs and coverage benchmarks (issue 4): `make bench` runs
# this after the policy benchmarks; it also runs on its own:
#   bench/run-system-benchmarks.sh [BUILDDIR]   (default: _build)
#
# Each program measures one capability in-process and prints table rows
# "what | measured | goal | PASS/MISS"; the method is described at the top
# of each program:
#   bench-register        the register filtered by risk class (≤ 50 ms)
#   bench-coverage        coverage of all systems and one catalog (≤ 200 ms)
#   bench-catalog-import  OSCAL import of a 1,000-control catalog (≤ 2 s)
#   bench-matrix          drawing the coverage matrix 2,000 × 2,000
# on the large demo workspace (2,000 systems, 2,000 policies).
#
# The table goes to standard output and to bench/results/systems.txt.
# Exit status: 0 when every benchmark ran (a MISS is a finding), 1 when one
# could not run; with KODEX_BENCH_STRICT=1 a MISS fails too.

set -u

build=$(cd "${1:-_build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
cli=${KODEX_CLI:-$build/src/cli/kodex-cli}
large=$build/bench/large.kodex
out=$src/bench/results/systems.txt
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
    echo "bench: a system benchmark program is missing: $prog" >&2
    status=1
    return
  fi
  if ! "$@" >> "$rows"; then
    echo "bench: $prog failed" >&2
    status=1
  fi
}

register=${KODEX_BENCH_REGISTER:-$build/bench/bench-register}
coverage=${KODEX_BENCH_COVERAGE:-$build/bench/bench-coverage}
import=${KODEX_BENCH_CATALOG_IMPORT:-$build/bench/bench-catalog-import}
matrix=${KODEX_BENCH_MATRIX:-$build/bench/bench-matrix}

run "$register" "$register" "$large"
run "$coverage" "$coverage" "$large"
run "$import" "$import"
if [ -x "$matrix" ]; then
  run "$matrix" env GDK_BACKEND=x11 GSK_RENDERER=cairo GSETTINGS_BACKEND=memory GTK_A11Y=none \
    dbus-run-session -- xvfb-run -a -s "-screen 0 1600x1200x24" "$matrix" "$large"
fi

{
  printf 'Kodex AI systems benchmarks — %s, %s CPUs, load average %s\n\n' \
    "$(date '+%Y-%m-%d %H:%M')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-44s | %-22s | %-14s | %s\n' "benchmark" "measured" "goal" "verdict"
  cat "$rows"
} | tee "$out"

if [ "${KODEX_BENCH_STRICT:-0}" = 1 ] && grep -q '| MISS' "$rows"; then
  status=1
fi
exit $status
