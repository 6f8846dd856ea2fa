#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Kodex benchmarks (DESIGN §7): `make bench`, which is
# `meson test -C _build --benchmark --verbose`, runs this; it also runs on
# its own:  bench/run-benchmarks.sh [BUILDDIR]   (default: _build)
#
# What is measured, and how
#
#   demo       `kodex-cli demo FILE --size large` (100,000 people), wall
#              time of the process (DEMO_RUNS runs). The file it makes becomes the cached
#              large workspace, BUILDDIR/bench/large.kodex, whenever that
#              is missing or older than kodex-cli.
#   first frame
#              Wall time from fork/exec (so exec, dynamic linking, D-Bus
#              registration, opening the workspace and building the window
#              are all included) until the program prints "first-frame",
#              which it does at the end of the first frame clock cycle in
#              which its window was rendered. bench-spawn takes the time.
#              Kodex: bench-first-frame, the app started as `kodex FILE`
#              (a double-click) on a copy of the large workspace. Floor:
#              bench-floor, a bare AdwApplicationWindow with a header bar
#              and a label. One warm-up run each, then RUNS runs
#              alternating floor/Kodex; medians and their ratio.
#   info       `kodex-cli info` on the large workspace: wall time of the
#              process, median of INFO_RUNS after two warm-up runs. For
#              comparison the same on an empty workspace.
#   search     In the real window with the large workspace on People,
#              a sequence typed into the search entry (inserted and deleted
#              as a keyboard does): "m" "mü" "mül" "müll" "müller", clear,
#              "außendienst", clear, "vertrieb", clear. Each step is timed
#              from the entry's search-changed — whose handler refilters
#              as kdx_people_page_set_search() does — to the end of the
#              next rendered frame (model requeried, rows drawn); the
#              entry's 150 ms debounce is not counted. A frame is asked
#              for after the handler: a step that changes nothing on
#              screen ("m" finds every active person) would paint none.
#              SEARCH_RUNS runs;
#              the median of each step is reported, and their maximum is
#              judged. (bench-first-frame --search-api times
#              kdx_people_page_set_search() itself; see there why that
#              costs an extra refilter.) Floor: bench-list-floor, GTK alone
#              replacing the rows of a GtkColumnView like People's with as
#              many in-memory rows as each step finds, same timing.
#   memory     VmHWM (peak RSS) one second after the first frame, Kodex
#              with the large workspace versus the floor program (medians
#              of the first-frame runs).
#   journal    `kodex-cli verify` (integrity, foreign keys, hash chain) on a
#              workspace with 1,000,000 journal entries made by
#              bench-make-journal in transactions of 10,000, cached as
#              BUILDDIR/bench/journal-1m.kodex (remade when the generator
#              is newer). Median of VERIFY_RUNS after one warm-up run;
#              `verify --journal-only` (the chain alone) for information.
#
# Every figure is taken with the files in the page cache (warm), as on a
# machine where the workspace was just used. Goals are judged on wall-clock
# time; beside it the table gives CPU time (of the process, or of the main
# thread for a search step), which the load of other processes does not
# inflate — the load average is in the table's heading. The GUI programs
# run under dbus-run-session and xvfb-run (1280x800x24) with
# GSK_RENDERER=cairo, GSETTINGS_BACKEND=memory and a fresh HOME; the
# warm-up run also starts the accessibility bus, as a desktop session has.
#
# The table goes to standard output and to bench/results/latest.txt, raw
# figures below it. Exit status: 0 when every benchmark ran (a MISS is a
# finding, not a failure), 1 when one could not run; with
# KODEX_BENCH_STRICT=1 a MISS fails too. `run-benchmarks.sh --table FILE`
# prints the table again from the raw figures in FILE (a latest.txt).
#
# Knobs (environment): KODEX_BENCH_RUNS (5), KODEX_BENCH_INFO_RUNS (10),
# KODEX_BENCH_SEARCH_RUNS (3), KODEX_BENCH_VERIFY_RUNS (3),
# KODEX_BENCH_DEMO_RUNS (1), KODEX_BENCH_GUI_TIMEOUT (180: seconds a GUI
# run may take before it is killed and reported as a MISS),
# KODEX_BENCH_STRICT.

set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(dirname "$here")

# Progress goes to standard error; the GUI part, whose output
# dbus-run-session and xvfb-run capture, appends to a file that the main
# part follows.
log ()
{
  if [ -n "${KODEX_BENCH_LOG:-}" ] && [ -w "$KODEX_BENCH_LOG" ]; then
    printf '%s\n' "bench: $*" >> "$KODEX_BENCH_LOG"
  else
    printf '%s\n' "bench: $*" >&2
  fi
}

# Files to where log () writes.
log_files ()
{
  if [ -n "${KODEX_BENCH_LOG:-}" ] && [ -w "$KODEX_BENCH_LOG" ]; then
    cat "$@" >> "$KODEX_BENCH_LOG"
  else
    cat "$@" >&2
  fi
}

# The median of the numbers on standard input, one a line ("-" if none).
median ()
{
  sort -g | awk '{ v[NR] = $1 }
    END {
      if (NR == 0) { print "-"; exit }
      if (NR % 2) printf "%.1f\n", v[(NR + 1) / 2];
      else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

# Whether file A was modified after file B (test -nt is not POSIX).
newer ()
{
  [ -n "$(find "$1" -prune -newer "$2" 2>/dev/null)" ]
}

# The value of the first line "KEY VALUE" in FILE.
value ()
{
  awk -v k="$1" '$1 == k { print $2; exit }' "$2"
}

# ------------------------------------------------------------------ #
# The GUI part, run by the main part under dbus-run-session/xvfb-run  #

gui_main ()
{
  out=$1
  work=$2
  : > "$out"

  rm -f "$work/gui.kodex" "$work/gui.kodex-wal" "$work/gui.kodex-shm"
  cp "$LARGE" "$work/gui.kodex" || exit 1

  # One run of PROGRAM ARGS; its lines and bench-spawn's land in $work/run.out.
  # Returns 2 when the run timed out, 1 when it failed.
  run ()
  {
    "$SPAWN" --mark first-frame --timeout "$GUI_TIMEOUT" -- "$@" > "$work/run.out" 2>> "$work/gui-stderr.log"
    status=$?
    grep '^warning' "$work/run.out" | sed 's/^/bench: /' | log_files
    if [ $status -eq 124 ]; then
      log "$* did not finish within $GUI_TIMEOUT s; killed"
      return 2
    fi
    if [ $status -ne 0 ] || grep -q '^error' "$work/run.out"; then
      log "$* failed (status $status):"
      log_files "$work/run.out"
      tail -n 20 "$work/gui-stderr.log" | log_files
      echo "error $*" >> "$out"
      return 1
    fi
    return 0
  }

  # A run that ran out of time: what it measured so far, and the timeout.
  note_timeout ()
  {
    echo "$1-timeout-s $GUI_TIMEOUT" >> "$out"
  }

  log "first frame: warm-up (starts the accessibility bus, fills the page cache)"
  run "$FLOOR" --rss
  run "$FIRST_FRAME" --rss "$work/gui.kodex"
  kodex_ok=$?
  if [ $kodex_ok -eq 2 ]; then
    note_timeout kodex
    log "Kodex painted no first frame within $GUI_TIMEOUT s; only the floor is measured"
  fi

  i=1
  while [ $i -le "$RUNS" ]; do
    for who in floor kodex; do
      if [ $who = floor ]; then
        run "$FLOOR" --rss || continue
      else
        [ $kodex_ok -eq 2 ] && continue
        run "$FIRST_FRAME" --rss "$work/gui.kodex"
        case $? in
          0) ;;
          2) note_timeout kodex; continue ;;
          *) continue ;;
        esac
      fi
      wall=$(value spawn-mark-ms "$work/run.out")
      inproc=$(value first-frame-ms "$work/run.out")
      cpu=$(value first-frame-cpu-ms "$work/run.out")
      hwm=$(value vmhwm-kb "$work/run.out")
      {
        echo "$who-wall-ms $wall"
        echo "$who-main-ms $inproc"
        echo "$who-cpu-ms $cpu"
        echo "$who-vmhwm-kb $hwm"
      } >> "$out"
      log "first frame $i/$RUNS $who: $wall ms from exec ($inproc ms from main, CPU $cpu ms), VmHWM $hwm kB"
    done
    i=$((i + 1))
  done

  i=1
  while [ $i -le "$SEARCH_RUNS" ]; do
    if run "$LIST_FLOOR"; then
      awk '$1 == "search" { n++; print "listfloor", n, $2, $5 }' "$work/run.out" >> "$out"
      log "search floor run $i/$SEARCH_RUNS: $(awk '$1 == "search" { printf "%s %s ms; ", $6, $2 }' "$work/run.out")"
    fi
    i=$((i + 1))
  done

  i=1
  while [ $i -le "$SEARCH_RUNS" ]; do
    if [ $kodex_ok -eq 2 ]; then
      note_timeout search
      break
    fi
    run "$FIRST_FRAME" --search "$work/gui.kodex"
    result=$?
    # The keystrokes measured, also from a run that ran out of time.
    awk '$1 == "search" { n++; print "search", n, $2, $3, $4, $5, $6 }
         $1 == "people-area-ms" || $1 == "people-rows" { print }' "$work/run.out" >> "$out"
    log "search run $i/$SEARCH_RUNS: $(awk '$1 == "search" { printf "%s %s ms (CPU %s); ", $6, $2, $5 }' "$work/run.out")"
    if [ $result -eq 2 ]; then
      note_timeout search
      break  # the next run would run out of time as well
    fi
    i=$((i + 1))
  done
}

# ------------------------------------------------------------------ #
# The table, from the raw figures                                    #

# render_table RAW TABLE: writes the table for the figures in RAW to
# TABLE; returns 0 when every goal is met, 2 when one is missed, 3 when a
# benchmark did not run.
render_table ()
{
  raw=$1
  table=$2

  pick ()
  {
    awk -v k="$1" '$1 == k && $2 != "error" { print $2 }' "$raw" | median
  }

  demo=$(pick demo-ms)
  demo_cpu=$(pick demo-cpu-ms)
  info_cpu=$(pick info-large-cpu-ms)
  verify_cpu=$(pick verify-cpu-ms)
  chain=$(pick verify-chain-ms)
  chain_cpu=$(pick verify-chain-cpu-ms)
  info=$(pick info-large-ms)
  info_empty=$(pick info-empty-ms)
  verify=$(pick verify-ms)
  verified=$(value verify-entries "$raw")
  floor_wall=$(pick floor-wall-ms)
  kodex_wall=$(pick kodex-wall-ms)
  floor_main=$(pick floor-main-ms)
  kodex_main=$(pick kodex-main-ms)
  floor_hwm=$(pick floor-vmhwm-kb)
  kodex_hwm=$(pick kodex-vmhwm-kb)
  people_area=$(pick people-area-ms)

  kodex_timeout=$(value kodex-timeout-s "$raw")
  search_timeout=$(value search-timeout-s "$raw")

  {
    printf 'Kodex benchmarks — %s, %s, %s CPUs, load average %s\n' "$(date '+%Y-%m-%d %H:%M')" \
      "$(git -C "$srcdir" describe --always --dirty 2>/dev/null || echo '?')" \
      "$(nproc 2>/dev/null || echo '?')" "$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)"
    printf 'Medians; first frame: %s runs alternating with the floor; search: %s runs\n\n' \
      "$RUNS" "$SEARCH_RUNS"
  } > "$table"

  LC_ALL=C awk -v demo="$demo" -v info="$info" -v info_empty="$info_empty" \
      -v demo_cpu="$demo_cpu" -v info_cpu="$info_cpu" -v verify_cpu="$verify_cpu" \
      -v chain="$chain" -v chain_cpu="$chain_cpu" -v demo_skipped="$(value demo-skipped "$raw")" \
      -v verify="$verify" -v verified="${verified:-0}" \
      -v floor_wall="$floor_wall" -v kodex_wall="$kodex_wall" \
      -v floor_main="$floor_main" -v kodex_main="$kodex_main" \
      -v floor_cpu="$(pick floor-cpu-ms)" -v kodex_cpu="$(pick kodex-cpu-ms)" \
      -v floor_hwm="$floor_hwm" -v kodex_hwm="$kodex_hwm" \
      -v people_area="$people_area" \
      -v kodex_timeout="$kodex_timeout" -v search_timeout="$search_timeout" '
    function num (v) { return v != "" && v != "-" && v != "error" && v != "none" }
    function verdict (ok, v) { if (!num (v)) return "ERROR"; return ok ? "PASS" : "MISS" }
    # Padding counts characters, not bytes (awk runs with LC_ALL=C).
    function pad (text, width,    t, n) {
      t = text; n = length (text) - gsub (/[\200-\277]/, "", t)
      while (n++ < width) text = text " "
      return text
    }
    function row (name, measured, comparison, ratio, goal, result) {
      printf "%s | %s | %s | %s | %s | %s\n", pad(name, 36), pad(measured, 18), pad(comparison, 28),
             pad(ratio, 9), pad(goal, 16), result
      if (counted && result == "MISS") misses++
      if (counted && result == "ERROR") errors++
    }
    function med (list,    a, m, i, j, t) {
      m = split (list, a, " ")
      for (i = 2; i <= m; i++)
        for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
      if (m == 0) return "-"
      return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    # Each keystroke, in the order typed, and the same step of the floor.
    $1 == "search" {
      k = $2
      if (!(k in text)) { order[++n] = k; text[k] = $7 }
      vals[k] = vals[k] " " $3; rows[k] = $5; cpu[k] = cpu[k] " " $6
    }
    $1 == "listfloor" { lf[$2] = lf[$2] " " $3 }
    END {
      counted = 1
      row("benchmark", "measured", "comparison/floor", "ratio", "goal", "result")
      print "-------------------------------------+--------------------+------------------------------+-----------+------------------+-------"

      if (demo_skipped)
        row("1. kodex-cli demo --size large", "(not timed)", "KODEX_BENCH_DEMO_RUNS=0", "-",
            "<= 60 s", "SKIP")
      else
        row("1. kodex-cli demo --size large", num (demo) ? sprintf ("%.1f s", demo / 1000) : "-",
            num (demo_cpu) ? sprintf ("CPU %.1f s", demo_cpu / 1000) : "-", "-", "<= 60 s",
            verdict (num (demo) && demo <= 60000, demo))

      if (num (kodex_wall)) {
        ratio = num (floor_wall) && floor_wall > 0 ? kodex_wall / floor_wall : -1
        row("2. first frame, large workspace", sprintf ("%.0f ms", kodex_wall),
            sprintf ("floor %.0f ms", floor_wall), ratio >= 0 ? sprintf ("%.2fx", ratio) : "-",
            "<= 1.5x floor", verdict (ratio >= 0 && ratio <= 1.5, kodex_wall))
        row("   (same, from the top of main())", sprintf ("%.0f ms", kodex_main),
            sprintf ("floor %.0f ms", floor_main),
            num (kodex_main) && floor_main > 0 ? sprintf ("%.2fx", kodex_main / floor_main) : "-",
            "(information)", "")
        row("   (CPU time until the first frame)", sprintf ("%.0f ms", kodex_cpu),
            sprintf ("floor %.0f ms", floor_cpu),
            num (kodex_cpu) && floor_cpu > 0 ? sprintf ("%.2fx", kodex_cpu / floor_cpu) : "-",
            "(information)", "")
      } else if (num (kodex_timeout)) {
        row("2. first frame, large workspace", sprintf ("> %d s (killed)", kodex_timeout),
            sprintf ("floor %.0f ms", floor_wall), sprintf ("> %.0fx", kodex_timeout * 1000 / floor_wall),
            "<= 1.5x floor", "MISS")
      } else
        row("2. first frame, large workspace", "-", "", "-", "<= 1.5x floor", "ERROR")

      row("3. kodex-cli info, large workspace", num (info) ? sprintf ("%.0f ms", info) : "-",
          sprintf ("CPU %.0f ms; empty wsp %.0f ms", info_cpu, info_empty),
          num (info) && info_empty > 0 ? sprintf ("%.2fx", info / info_empty) : "-",
          "<= 100 ms", verdict (num (info) && info <= 100, info))

      max = -1
      counted = 0  # each keystroke is shown; the slowest is judged
      for (i = 1; i <= n; i++) {
        k = order[i]; v = med(vals[k]); f = med(lf[k])
        if (v + 0 > max) max = v + 0
        row(sprintf ("4. search \"%s\"", text[k]), sprintf ("%.0f ms, CPU %.0f", v, med(cpu[k])),
            sprintf ("floor %s, %s rows", f == "-" ? "-" : sprintf ("%.0f ms", f), rows[k]),
            f != "-" && f > 0 ? sprintf ("%.2fx", v / f) : "-", "<= 30 ms", verdict (v <= 30, v))
      }
      counted = 1
      fmax = -1
      for (k in lf) { f = med(lf[k]); if (f + 0 > fmax) fmax = f + 0 }
      fcomp = fmax >= 0 ? sprintf ("floor, slowest %.0f ms", fmax) : "over 100,000 people"
      if (num (search_timeout)) {
        row(sprintf ("4. search, keystroke %d", n + 1), sprintf ("> %d s (killed)", search_timeout),
            n == 0 && num (kodex_timeout) ? "no first frame" : "", "-", "<= 30 ms", "MISS")
        max = search_timeout * 1000
        row("4. search, slowest keystroke", sprintf ("> %d s", search_timeout), fcomp,
            fmax > 0 ? sprintf ("> %.0fx", max / fmax) : "-", "<= 30 ms", "MISS")
      } else
        row("4. search, slowest keystroke", max >= 0 ? sprintf ("%.0f ms", max) : "-", fcomp,
            max >= 0 && fmax > 0 ? sprintf ("%.2fx", max / fmax) : "-",
            "<= 30 ms", verdict (max >= 0 && max <= 30, max >= 0 ? max : ""))
      if (num (people_area))
        row("   (switching to People)", sprintf ("%.1f ms", people_area), "", "-", "(information)", "")

      if (num (kodex_hwm)) {
        extra = num (floor_hwm) ? (kodex_hwm - floor_hwm) / 1024 : -1
        row("5. peak RSS, large workspace", sprintf ("%.1f MB", kodex_hwm / 1024),
            sprintf ("floor %.1f MB", floor_hwm / 1024), extra >= 0 ? sprintf ("%+.1f MB", extra) : "-",
            "<= floor + 50 MB", verdict (extra >= 0 && extra <= 50, kodex_hwm))
      } else if (num (kodex_timeout))
        row("5. peak RSS, large workspace", "not measured", sprintf ("floor %.1f MB", floor_hwm / 1024), "-",
            "<= floor + 50 MB", "MISS")
      else
        row("5. peak RSS, large workspace", "-", "", "-", "<= floor + 50 MB", "ERROR")

      row(sprintf ("6. kodex-cli verify, %s entries", verified),
          num (verify) ? sprintf ("%.2f s", verify / 1000) : "-",
          sprintf ("CPU %.2f s", verify_cpu / 1000),
          num (verify) && verify > 0 ? sprintf ("%.0fk/s", verified / verify) : "-",
          "<= 5 s", verdict (num (verify) && verify <= 5000, verify))
      if (num (chain))
        row("   (--journal-only: the chain alone)", sprintf ("%.2f s", chain / 1000),
            sprintf ("CPU %.2f s", chain_cpu / 1000),
            chain > 0 ? sprintf ("%.0fk/s", verified / chain) : "-", "(information)", "")

      printf "\n%d of 6 goals missed%s\n", misses, errors ? sprintf (", %d benchmark(s) did not run", errors) : ""
      exit (errors > 0 ? 3 : (misses > 0 ? 2 : 0))
    }' "$raw" >> "$table"
}


if [ "${1:-}" = "--gui" ]; then
  gui_main "$2" "$3"
  exit 0
fi

# run-benchmarks.sh --table RAW: the table again, from the raw figures of
# a run (the lines under "Raw figures" in bench/results/latest.txt).
if [ "${1:-}" = "--table" ]; then
  RUNS=${KODEX_BENCH_RUNS:-5}
  SEARCH_RUNS=${KODEX_BENCH_SEARCH_RUNS:-3}
  tmp=$(mktemp) || exit 1
  sed -n '/^Raw figures/,$p' "$2" | sed -e '1d' -e 's/^  //' > "$tmp"
  [ -s "$tmp" ] || cp "$2" "$tmp"
  render_table "$tmp" "$tmp.table"
  status=$?
  cat "$tmp.table"
  rm -f "$tmp" "$tmp.table"
  exit $status
fi

# ------------------------------------------------------------------ #
# The main part                                                      #

build=${1:-${MESON_BUILD_ROOT:-$srcdir/_build}}
if [ ! -d "$build" ]; then
  log "no build folder $build; run meson setup first"
  exit 1
fi
build=$(cd "$build" && pwd)

RUNS=${KODEX_BENCH_RUNS:-5}
INFO_RUNS=${KODEX_BENCH_INFO_RUNS:-10}
SEARCH_RUNS=${KODEX_BENCH_SEARCH_RUNS:-3}
VERIFY_RUNS=${KODEX_BENCH_VERIFY_RUNS:-3}
DEMO_RUNS=${KODEX_BENCH_DEMO_RUNS:-1}
CLI=${KODEX_CLI:-$build/src/cli/kodex-cli}
FIRST_FRAME=${KODEX_BENCH_FIRST_FRAME:-$build/bench/bench-first-frame}
FLOOR=${KODEX_BENCH_FLOOR:-$build/bench/bench-floor}
LIST_FLOOR=${KODEX_BENCH_LIST_FLOOR:-$build/bench/bench-list-floor}
SPAWN=${KODEX_BENCH_SPAWN:-$build/bench/bench-spawn}
MAKE_JOURNAL=${KODEX_BENCH_MAKE_JOURNAL:-$build/bench/bench-make-journal}
BENCH_DIR=${KODEX_BENCH_DIR:-$build/bench}
SCHEMA_DIR=${GSETTINGS_SCHEMA_DIR:-$build/data}
LARGE=$BENCH_DIR/large.kodex
JOURNAL=$BENCH_DIR/journal-1m.kodex
GUI_TIMEOUT=${KODEX_BENCH_GUI_TIMEOUT:-180}
export RUNS SEARCH_RUNS GUI_TIMEOUT FIRST_FRAME FLOOR LIST_FLOOR SPAWN LARGE

# Build what is missing or stale: only what the benchmarks need, so that
# an unrelated broken target does not stop them.
if command -v ninja > /dev/null; then
  ninja -C "$build" src/cli/kodex-cli bench/bench-first-frame bench/bench-floor \
        bench/bench-list-floor bench/bench-spawn bench/bench-make-journal \
        data/gschemas.compiled > "$BENCH_DIR/ninja.log" 2>&1 ||
    { cat "$BENCH_DIR/ninja.log" >&2; log "the build failed"; exit 1; }
fi
for program in "$CLI" "$FIRST_FRAME" "$FLOOR" "$LIST_FLOOR" "$SPAWN" "$MAKE_JOURNAL"; do
  [ -x "$program" ] || { log "missing $program"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kodex-bench.XXXXXX") || exit 1
tail_pid=
trap '[ -n "$tail_pid" ] && kill "$tail_pid" 2> /dev/null; rm -rf "$work"' EXIT INT TERM
raw=$work/raw.txt
: > "$raw"
errors=0

# bench-spawn's figures as "WALL CPU" (ms), or "error error".
spawn_figures ()
{
  awk '$1 == "spawn-exit-ms" { v = $2 } $1 == "spawn-cpu-ms" { c = $2 } $1 == "spawn-status" { s = $2 }
       END { if (s == 0) print v, c; else print "error error" }'
}

# ---- 1. demo --size large ----------------------------------------- #

[ "$DEMO_RUNS" -gt 0 ] || echo "demo-skipped 1" >> "$raw"
i=1
while [ $i -le "$DEMO_RUNS" ]; do
  timed=$BENCH_DIR/demo-timed.kodex
  rm -f "$timed" "$timed-wal" "$timed-shm" "$timed-journal"
  log "demo --size large, run $i/$DEMO_RUNS (about a minute)"
  # shellcheck disable=SC2046  # two words: wall and CPU time
  set -- $("$SPAWN" -- "$CLI" demo "$timed" --size large | spawn_figures)
  ms=$1
  if [ "$ms" = error ]; then
    log "kodex-cli demo failed"
    errors=$((errors + 1))
  else
    printf 'demo-ms %s\ndemo-cpu-ms %s\n' "$ms" "$2" >> "$raw"
    log "demo: $ms ms (CPU $2 ms)"
    if [ ! -f "$LARGE" ] || newer "$CLI" "$LARGE"; then
      rm -f "$LARGE-wal" "$LARGE-shm"
      mv "$timed" "$LARGE"
      log "cached the large workspace as $LARGE"
    fi
  fi
  rm -f "$timed" "$timed-wal" "$timed-shm" "$timed-journal"
  i=$((i + 1))
done
if [ ! -f "$LARGE" ] || newer "$CLI" "$LARGE"; then
  log "making the large workspace"
  rm -f "$LARGE" "$LARGE-wal" "$LARGE-shm"
  "$CLI" demo "$LARGE" --size large || { log "cannot make $LARGE"; exit 1; }
fi

# ---- 3. kodex-cli info -------------------------------------------- #

"$CLI" new "$work/empty.kodex" > /dev/null 2>&1
for f in large empty; do
  file=$LARGE
  [ $f = empty ] && file=$work/empty.kodex
  "$CLI" info "$file" > "$work/info.txt" 2>&1 || { log "kodex-cli info $file failed:"; cat "$work/info.txt" >&2; errors=$((errors + 1)); continue; }
  "$CLI" info "$file" > /dev/null 2>&1
  i=1
  while [ $i -le "$INFO_RUNS" ]; do
    # shellcheck disable=SC2046
    set -- $("$SPAWN" --quiet -- "$CLI" info "$file" | spawn_figures)
    printf 'info-%s-ms %s\ninfo-%s-cpu-ms %s\n' "$f" "$1" "$f" "$2" >> "$raw"
    i=$((i + 1))
  done
  log "info ($f): $(awk -v k="info-$f-ms" '$1 == k { printf "%s ", $2 }' "$raw")ms"
done

# ---- 6. journal verification -------------------------------------- #

if [ ! -f "$JOURNAL" ] || newer "$MAKE_JOURNAL" "$JOURNAL"; then
  log "making $JOURNAL: 1,000,000 journal entries (a few minutes, once)"
  rm -f "$JOURNAL"
  "$MAKE_JOURNAL" "$JOURNAL" 1000000 10000 || { log "bench-make-journal failed"; errors=$((errors + 1)); }
fi
if [ -f "$JOURNAL" ]; then
  "$CLI" verify "$JOURNAL" > "$work/verify.txt" 2>&1 || true
  sed 's/^/bench: verify: /' "$work/verify.txt" >&2
  verified=$(grep -o '[0-9][0-9]* journal entries' "$work/verify.txt" | awk '{ print $1 }')
  echo "verify-entries ${verified:-0}" >> "$raw"
  i=1
  while [ $i -le "$VERIFY_RUNS" ]; do
    # shellcheck disable=SC2046
    set -- $("$SPAWN" --quiet -- "$CLI" verify "$JOURNAL" | spawn_figures)
    printf 'verify-ms %s\nverify-cpu-ms %s\n' "$1" "$2" >> "$raw"
    log "verify run $i/$VERIFY_RUNS: $1 ms (CPU $2 ms)"
    [ "$1" = error ] && errors=$((errors + 1))
    i=$((i + 1))
  done
  # The chain alone, where kodex-cli offers it (for information).
  if "$CLI" verify --help 2>&1 | grep -q -- --journal-only; then
    i=1
    while [ $i -le "$VERIFY_RUNS" ]; do
      # shellcheck disable=SC2046
      set -- $("$SPAWN" --quiet -- "$CLI" verify --journal-only "$JOURNAL" | spawn_figures)
      printf 'verify-chain-ms %s\nverify-chain-cpu-ms %s\n' "$1" "$2" >> "$raw"
      log "verify --journal-only run $i/$VERIFY_RUNS: $1 ms (CPU $2 ms)"
      i=$((i + 1))
    done
  fi
fi

# ---- 2, 4, 5. the window ------------------------------------------ #

mkdir -p "$work/home" "$work/config" "$work/data" "$work/cache" "$work/runtime"
chmod 700 "$work/runtime"
log "first frame, memory and search under Xvfb"
: > "$work/progress.log"
tail -f "$work/progress.log" >&2 &
tail_pid=$!
HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data \
XDG_CACHE_HOME=$work/cache XDG_RUNTIME_DIR=$work/runtime \
GSK_RENDERER=cairo GDK_BACKEND=x11 GSETTINGS_BACKEND=memory \
GSETTINGS_SCHEMA_DIR=$SCHEMA_DIR NO_AT_BRIDGE=1 LC_ALL=C.UTF-8 \
KODEX_BENCH_LOG=$work/progress.log \
  dbus-run-session -- xvfb-run -a -s '-screen 0 1280x800x24' \
    "$here/run-benchmarks.sh" --gui "$work/gui.txt" "$work" > "$work/gui.log" 2>&1
status=$?
sleep 1  # let tail print the last lines
kill "$tail_pid" 2> /dev/null
if [ $status -ne 0 ] || [ ! -s "$work/gui.txt" ]; then
  log "the GUI benchmarks did not run (status $status):"
  tail -n 30 "$work/gui.log" >&2
  errors=$((errors + 1))
fi
[ -f "$work/gui.txt" ] && cat "$work/gui.txt" >> "$raw"
grep -q '^error' "$raw" && errors=$((errors + 1))

render_table "$raw" "$work/table.txt"
verdict=$?
table=$work/table.txt

{
  echo
  echo "Raw figures (ms unless named kb):"
  sed 's/^/  /' "$raw"
} >> "$table"

cat "$table"
mkdir -p "$srcdir/bench/results"
cp "$table" "$srcdir/bench/results/latest.txt"
log "written to $srcdir/bench/results/latest.txt"

if [ $errors -gt 0 ] || [ $verdict -eq 3 ]; then
  exit 1
fi
if [ $verdict -eq 2 ] && [ "${KODEX_BENCH_STRICT:-0}" = 1 ]; then
  exit 1
fi
exit 0
