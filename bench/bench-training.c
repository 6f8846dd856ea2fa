/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmark: training status by department (issue 5: "training status by
 * department on the large demo ≤ 300 ms") on the large demo workspace with
 * its 100,000 people and 1,000,000 assignments.
 *
 * Method: kdx_training_status (KDX_TRAINING_BY_DEPARTMENT) for every
 * course and every department — what the department view of Training and
 * `kodex-cli training status --by department` ask for — on a connection
 * opened read-only. The first call (a cold statement cache, the page
 * cache as the workspace was left) is reported on its own, then RUNS more
 * (default 7); their median wall time is judged, the median CPU time of
 * the thread (which the load of other processes does not inflate) stands
 * beside it. The same by course and, for comparison, by person (one row
 * for each of the 100,000 people) are printed below.
 *
 *   bench-training LARGE.kodex [RUNS]
 */
#include "config.h"

#include "kdx-training.h"

#include "bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define GOAL_MS 300.0

/* Times @runs + 1 calls: *@first the first, the median wall time of the
 * others is returned, their median CPU time in *@cpu; *@n_rows the number
 * of groups, *@n_people the people summed over the groups. */
static double
time_status (KdxStore            *store,
             KdxTrainingGrouping  grouping,
             guint                runs,
             double              *first,
             double              *cpu,
             guint               *n_rows,
             guint64             *n_people)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i <= runs; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = bench_clock_ms (CLOCK_THREAD_CPUTIME_ID);
      double ms, cpu_ms;

      rows = kdx_training_status (store, grouping, NULL, NULL, NULL, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      cpu_ms = bench_clock_ms (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      if (rows == NULL)
        {
          fprintf (stderr, "bench-training: %s\n", error->message);
          exit (1);
        }
      *n_rows = rows->len;
      *n_people = 0;
      for (guint r = 0; r < rows->len; r++)
        *n_people += ((KdxTrainingSummary *) rows->pdata[r])->n_people;
      if (i == 0)
        *first = ms;
      else
        {
          g_array_append_val (times, ms);
          g_array_append_val (cpu_times, cpu_ms);
        }
    }
  *cpu = bench_median (cpu_times);

  return bench_median (times);
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    KdxTrainingGrouping grouping;
    const char *name;
  } groupings[] = {
    { KDX_TRAINING_BY_DEPARTMENT, "department" },
    { KDX_TRAINING_BY_COURSE, "course" },
    { KDX_TRAINING_BY_PERSON, "person" },
  };
  g_autoptr(KdxStore) store = NULL;
  guint runs = 7;
  gint64 n_assignments;
  char measured[64];

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-training LARGE.kodex [RUNS]\n");
      return 2;
    }
  if (argc > 2)
    runs = MAX (1, atoi (argv[2]));

  store = bench_open_workspace ("bench-training", argv[1]);
  if (store == NULL)
    return 1;

  n_assignments = kdx_store_count (store, "SELECT count(*) FROM assignment");
  g_snprintf (measured, sizeof measured, "%" G_GINT64_FORMAT " rounds, %" G_GINT64_FORMAT
              " courses", n_assignments, kdx_course_count (store));
  bench_row ("  workspace: assignments", measured, "1,000,000",
             n_assignments >= 1000000 ? "" : "MISS");

  for (guint g = 0; g < G_N_ELEMENTS (groupings); g++)
    {
      gboolean judged = groupings[g].grouping == KDX_TRAINING_BY_DEPARTMENT;
      g_autofree char *what = NULL;
      guint n_rows = 0;
      guint64 n_people = 0;
      double first = 0, cpu = 0, median;
      g_autofree char *median_runs = g_strdup_printf ("median of %u", runs);

      median = time_status (store, groupings[g].grouping, judged ? runs : MIN (runs, 3),
                            &first, &cpu, &n_rows, &n_people);

      what = g_strdup_printf ("training status by %s%s", groupings[g].name,
                              judged ? "" : " (comparison)");
      g_snprintf (measured, sizeof measured, "%.1f ms, CPU %.1f (%s)", median, cpu,
                  judged ? median_runs : "median of 3");
      bench_row (what, measured, judged ? "<= 300 ms" : "",
                 judged ? (median <= GOAL_MS ? "PASS" : "MISS") : "");
      g_free (what);
      what = g_strdup_printf ("  (first call, by %s)", groupings[g].name);
      g_snprintf (measured, sizeof measured, "%.1f ms", first);
      bench_row (what, measured, judged ? "info" : "",
                 judged ? (first <= GOAL_MS ? "met" : "over") : "");
      g_free (what);
      what = g_strdup_printf ("  (groups, people summed, by %s)", groupings[g].name);
      g_snprintf (measured, sizeof measured, "%u, %" G_GUINT64_FORMAT, n_rows, n_people);
      bench_row (what, measured, "", "");
    }

  return 0;
}
