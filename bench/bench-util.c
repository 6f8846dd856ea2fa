/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the benchmark programs that measure in-process; see
 * bench-util.h.
 */
#include "config.h"

#include "bench-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

double
bench_clock_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_median (GArray *times)
{
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, times->len / 2);
}

double
bench_median_of (const double *values,
                 guint         n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof (double));

  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

void
bench_row_widths (int         what_width,
                  int         measured_width,
                  int         goal_width,
                  const char *what,
                  const char *measured,
                  const char *goal,
                  const char *verdict)
{
  printf ("%-*s | %-*s | %-*s | %s\n", what_width, what, measured_width, measured,
          goal_width, goal, verdict);
  fflush (stdout);
}

void
bench_row (const char *what,
           const char *measured,
           const char *goal,
           const char *verdict)
{
  bench_row_widths (44, 22, 14, what, measured, goal, verdict);
}

KdxStore *
bench_open_workspace (const char *program,
                      const char *path)
{
  g_autoptr(GError) error = NULL;
  KdxStore *store;

  store = kdx_store_open (path, KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    fprintf (stderr, "%s: %s\n", program, error->message);

  return store;
}

void
bench_remove_workspace (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}
