#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan in a build
# folder of their own and runs each for a while on its corpus.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET …]
#
# SECONDS per target (default 60); TARGET: exchange, workspace (default:
# all). Inputs that crash, hang (over 10 s) or leak are written to
# tests/fuzz/crashes/TARGET/; replay one with
#   _build-fuzz/tests/fuzz/fuzz-TARGET FILE
# and keep it there: `make test` replays it, so it fails until the bug is
# fixed and stays fixed.
# New interesting inputs go to _build-fuzz/tests/fuzz/corpus-TARGET/,
# which later runs start from; the checked-in corpus is not changed.
#
# Environment: KDX_FUZZ_BUILD (build folder, default _build-fuzz),
# KDX_FUZZ_PARALLEL=1 (run the targets at the same time, one core each),
# KDX_FUZZ_JOBS (fuzzing processes per target, default 1),
# KDX_FUZZ_ARGS (more libFuzzer options).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${KDX_FUZZ_BUILD:-$src/_build-fuzz}
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-exchange workspace}
jobs=${KDX_FUZZ_JOBS:-1}
parallel=""
if [ "$jobs" -gt 1 ]; then
  parallel="-jobs=$jobs -workers=$jobs"
fi

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Db_lundef=false
elif ! meson configure "$build" | grep -Eq '^ *fuzzing +true'; then
  meson configure "$build" -Dfuzzing=true -Db_lundef=false
fi

for t in $targets; do
  ninja -C "$build" "tests/fuzz/fuzz-$t"
done

# Workspaces are written, fsynced and removed for every input: a memory
# file system is much faster when there is one.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
# GLib's slice allocator would hide use-after-free from ASan.
export G_SLICE=always-malloc
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_target() {
  t=$1
  fuzzer="$build/tests/fuzz/fuzz-$t"
  work="$build/tests/fuzz/corpus-$t"
  crashes="$src/tests/fuzz/crashes/$t"
  mkdir -p "$work" "$crashes"

  case "$t" in
    # SAFETY.md: an XML attack stays under 64 MB.
    exchange) extra="-dict=$src/tests/fuzz/exchange.dict -max_len=65536 -malloc_limit_mb=64" ;;
    workspace) extra="-max_len=131072" ;;
    *) extra="" ;;
  esac

  echo "== fuzz-$t for $seconds s"
  # Past crashes are not fuzzed from: one that is not fixed yet would stop
  # every run at once. `make test` replays them.
  # shellcheck disable=SC2086 # $parallel, $extra and $KDX_FUZZ_ARGS are lists
  if ! "$fuzzer" \
      -max_total_time="$seconds" \
      -timeout=10 \
      -rss_limit_mb=2048 \
      -print_final_stats=1 \
      -artifact_prefix="$crashes/" \
      $parallel $extra ${KDX_FUZZ_ARGS:-} \
      "$work" "$src/tests/fuzz/corpus/$t"; then
    echo "fuzz-$t found a problem; see the new files in $crashes" >&2
    return 1
  fi
}

status=0
if [ "${KDX_FUZZ_PARALLEL:-0}" = 1 ]; then
  pids=""
  for t in $targets; do
    run_target "$t" > "$build/tests/fuzz/fuzz-$t.log" 2>&1 &
    pids="$pids $!"
    echo "fuzz-$t: log in $build/tests/fuzz/fuzz-$t.log"
  done
  for pid in $pids; do
    wait "$pid" || status=1
  done
  for t in $targets; do
    grep -E '^#[0-9]+[[:space:]]+DONE|^stat::|found a problem' "$build/tests/fuzz/fuzz-$t.log" |
      sed "s/^/fuzz-$t: /"
  done
else
  for t in $targets; do
    run_target "$t" || status=1
  done
fi

exit $status
