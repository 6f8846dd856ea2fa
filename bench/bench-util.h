/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the benchmark programs that measure in-process: clocks in
 * milliseconds, medians, the rows of their tables, and opening and
 * removing workspaces. No GTK here: the GUI programs' waiting for a frame
 * is in bench-frame.h.
 */
#pragma once

#include <glib.h>
#include <time.h>

#include "kdx-store.h"

G_BEGIN_DECLS

/* The time of @clock in ms: CLOCK_MONOTONIC (wall time),
 * CLOCK_PROCESS_CPUTIME_ID (CPU of all threads) or CLOCK_THREAD_CPUTIME_ID
 * (CPU of the calling thread). CPU time does not grow when other processes
 * compete for the CPUs. */
double    bench_clock_ms         (clockid_t    clock);

/* Sorts @times (doubles) in place and returns the value at len / 2: the
 * median, for an even count the upper of the two middle values. */
double    bench_median           (GArray      *times);

/* The median of the @n values at @values, which are left as they are;
 * for an even @n the mean of the two middle values. */
double    bench_median_of        (const double *values,
                                  guint         n);

/* Prints a table row "what | measured | goal | verdict" as the run-*.sh
 * scripts collect them (columns of 44, 22 and 14), and flushes stdout. */
void      bench_row              (const char  *what,
                                  const char  *measured,
                                  const char  *goal,
                                  const char  *verdict);

/* The same with other column widths, for a program with its own table. */
void      bench_row_widths       (int          what_width,
                                  int          measured_width,
                                  int          goal_width,
                                  const char  *what,
                                  const char  *measured,
                                  const char  *goal,
                                  const char  *verdict);

/* Opens the workspace at @path read-only, its deep check deferred (what a
 * measurement reads must not wait for it). On failure prints
 * "@program: message" to stderr and returns NULL. */
KdxStore *bench_open_workspace   (const char  *program,
                                  const char  *path);

/* Removes the workspace file at @path with its -wal, -shm and -journal
 * files, where they exist. */
void      bench_remove_workspace (const char  *path);

G_END_DECLS
