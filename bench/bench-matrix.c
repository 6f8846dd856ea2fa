/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmark: the coverage matrix of 2,000 AI systems × 2,000 policies
 * (issue 4: "smooth with 2,000 × 2,000"; goal: a full redraw of the
 * viewport in 8 ms or less, half a frame at 60 Hz).
 *
 * Method: the real KdxCoverageMatrixView in a window whose grid is
 * 1200 × 800 pixels, scrolled to the middle of the matrix. Three figures,
 * each over RUNS redraws (default 100), the scroll position stepping one
 * cell back and forth so that every redraw is of a moved viewport:
 *
 *   snapshot   the grid's snapshot() called directly: the render nodes
 *              of the visible cells, labels and headers, nothing from a
 *              cache (a GtkWidgetPaintable would replay the last frame);
 *   + render   the same nodes drawn into a texture by the window's
 *              renderer (cairo under Xvfb, as in the GUI tests);
 *   frame      a real frame of the whole window after a scroll step, from
 *              the frame clock's "before-paint" to its "after-paint".
 *
 * each at the default 24-pixel cells and at the smallest zoom (8 pixels,
 * nine times as many cells in view), first on the demo's matrix (3–8
 * policies per system, so most cells are empty) and then on one with a
 * status in every cell, the worst case. The first two are judged by the
 * median CPU time of this thread (the machine may be busy with other
 * work; the wall time is printed beside it, with the 95th percentile).
 *
 * The matrix is the workspace's (kdx_coverage_matrix_load(), timed too)
 * when it has at least 2,000 × 2,000; otherwise — a workspace made before
 * the large demo had its systems, or none given — a matrix of that size
 * is made in memory like the demo's: every system applied to 3–8 random
 * policies with random statuses, from a fixed seed. The drawing does not
 * depend on where the bytes came from. The workspace is opened read-only.
 *
 *   bench-matrix [LARGE.kodex] [RUNS]
 */
#include "config.h"

#include "kdx-coverage-matrix.h"
#include "kdx-mapping.h"
#include "kdx-store.h"
#include "kdx-ui-resources.h"

#include "bench-util.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define GOAL_MS 8.0
#define N       2000
#define VIEW_W  1200
#define VIEW_H  800
#define SEED    20240801

/* This table's own columns, wider for the measured figures. */
static void
row (const char *what,
     const char *measured,
     const char *goal,
     const char *verdict)
{
  bench_row_widths (40, 34, 10, what, measured, goal, verdict);
}

/* The median of @times (sorted here) with its 95th percentile and worst,
 * and the median of @wall beside it when given. */
static double
report (const char *what,
        GArray     *times,
        GArray     *wall,
        gboolean    judged)
{
  double *t = (double *) times->data;
  double median = bench_median (times);
  double p95 = t[MIN (times->len - 1, (guint) (times->len * 0.95))];
  g_autofree char *measured = NULL;

  if (wall != NULL)
    measured = g_strdup_printf ("CPU %.2f ms (p95 %.2f; wall %.2f)", median, p95,
                                bench_median (wall));
  else
    measured = g_strdup_printf ("%.2f ms (p95 %.2f, max %.2f)", median, p95, t[times->len - 1]);
  row (what, measured, judged ? "<= 8 ms" : "-",
       judged ? (median <= GOAL_MS ? "ok" : "TOO SLOW") : "-");

  return median;
}

/* @dense: every cell holds a status, the worst case for drawing. */
static KdxCoverageMatrix *
synthetic_matrix (gboolean dense)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  KdxCoverageMatrix *matrix = g_new0 (KdxCoverageMatrix, 1);

  matrix->n_systems = N;
  matrix->n_policies = N;
  matrix->system_uuids = g_new0 (char *, N + 1);
  matrix->system_labels = g_new0 (char *, N + 1);
  matrix->policy_uuids = g_new0 (char *, N + 1);
  matrix->policy_labels = g_new0 (char *, N + 1);
  matrix->cells = g_malloc0 ((gsize) N * N);
  for (guint i = 0; i < N; i++)
    {
      matrix->system_uuids[i] = g_uuid_string_random ();
      matrix->system_labels[i] = g_strdup_printf ("SYS-%04u · Lead scoring of region %u", i + 1, i % 40);
      matrix->policy_uuids[i] = g_uuid_string_random ();
      matrix->policy_labels[i] = g_strdup_printf ("POL-%04u · Policy %u", i + 1, i + 1);
    }
  for (gsize i = 0; dense && i < (gsize) N * N; i++)
    matrix->cells[i] = g_rand_int_range (rand, 0, KDX_COMPLIANCE_N_STATES) + 1;
  for (guint s = 0; !dense && s < N; s++)
    {
      guint n = g_rand_int_range (rand, 3, 9);

      for (guint k = 0; k < n; k++)
        matrix->cells[(gsize) s * N + g_rand_int_range (rand, 0, N)] =
          g_rand_int_range (rand, 0, KDX_COMPLIANCE_N_STATES) + 1;
    }

  return matrix;
}

/* The workspace's matrix when it is large enough, timed; NULL otherwise. */
static KdxCoverageMatrix *
workspace_matrix (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = kdx_store_open (path, KDX_STORE_OPEN_READ_ONLY |
                                              KDX_STORE_OPEN_DEFER_CHECK, &error);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  KdxCoverageMatrix *matrix = NULL;

  if (store == NULL)
    {
      g_printerr ("bench-matrix: %s; a matrix is made in memory\n", error->message);
      return NULL;
    }

  for (guint i = 0; i < 6; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      g_clear_pointer (&matrix, kdx_coverage_matrix_free);
      matrix = kdx_coverage_matrix_load (store, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (matrix == NULL)
        {
          g_printerr ("bench-matrix: %s; a matrix is made in memory\n", error->message);
          return NULL;
        }
      if (i > 0)   /* the first warms the page cache */
        g_array_append_val (times, ms);
    }

  if (matrix->n_systems < N || matrix->n_policies < N)
    {
      g_printerr ("bench-matrix: %s has %u systems × %u policies; a matrix of %u × %u is made "
                  "in memory\n", path, matrix->n_systems, matrix->n_policies, N, N);
      kdx_coverage_matrix_free (matrix);
      return NULL;
    }

  {
    g_autofree char *what = g_strdup_printf ("matrix load, %u × %u", matrix->n_systems,
                                             matrix->n_policies);

    report (what, times, NULL, FALSE);
  }
  kdx_store_close (store);

  return matrix;
}

/* ------------------------------------------------------------------ */

typedef struct
{
  gint64   before;
  double   ms;
  gboolean rendered;
  gboolean done;
} Frame;

static gboolean
render_hook (GSignalInvocationHint *hint,
             guint                  n_params,
             const GValue          *params,
             gpointer               user_data)
{
  ((Frame *) user_data)->rendered = TRUE;
  return TRUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Frame         *frame)
{
  frame->before = g_get_monotonic_time ();
  frame->rendered = FALSE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Frame         *frame)
{
  if (!frame->rendered || frame->before == 0)
    return;
  frame->ms = (g_get_monotonic_time () - frame->before) / 1000.0;
  frame->done = TRUE;
}

static void
iterate_until (gboolean *flag)
{
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!*flag && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
}

static void
iterate_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  GtkWidget     *window;
  GtkWidget     *grid;
  GtkAdjustment *h;
  GtkAdjustment *v;
  double         mid_h;
  double         mid_v;
} Bench;

/* Back and forth around the middle, one cell at a time. */
static void
step (Bench *b,
      guint  i,
      int    cell)
{
  double offset = (i % 2 == 0 ? 1 : -1) * cell;

  gtk_adjustment_set_value (b->h, b->mid_h + offset);
  gtk_adjustment_set_value (b->v, b->mid_v + offset);
}

static void
measure_zoom (Bench                 *b,
              KdxCoverageMatrixView *view,
              int                    cell,
              guint                  runs)
{
  GtkWidgetClass *grid_class = GTK_WIDGET_GET_CLASS (b->grid);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (b->grid));
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (b->window)));
  g_autoptr(GArray) snap_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) render_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) snap_wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) render_wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frame_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *what = NULL;
  Frame frame = { 0 };
  gulong before_id, after_id, hook_id;
  int first_row, first_col;

  kdx_coverage_matrix_view_set_cell_size (view, cell);
  iterate_for (300);
  b->mid_h = (gtk_adjustment_get_upper (b->h) - gtk_adjustment_get_page_size (b->h)) / 2;
  b->mid_v = (gtk_adjustment_get_upper (b->v) - gtk_adjustment_get_page_size (b->v)) / 2;
  step (b, 0, cell);
  iterate_for (200);

  for (guint i = 0; i < runs + 5; i++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 start, snapped, rendered;
      double cpu_start, cpu_snapped, cpu_rendered;

      step (b, i, cell);
      /* CPU time of this thread: unlike wall time it does not grow when
       * other processes compete for the CPUs (GSK's cairo renderer draws
       * on this thread). */
      start = g_get_monotonic_time ();
      cpu_start = bench_clock_ms (CLOCK_THREAD_CPUTIME_ID);
      grid_class->snapshot (b->grid, snapshot);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      snapped = g_get_monotonic_time ();
      cpu_snapped = bench_clock_ms (CLOCK_THREAD_CPUTIME_ID);
      texture = gsk_renderer_render_texture (renderer, node, NULL);
      rendered = g_get_monotonic_time ();
      cpu_rendered = bench_clock_ms (CLOCK_THREAD_CPUTIME_ID);
      if (i < 5)   /* the first ones make the layouts of the labels */
        continue;
      g_array_append_val (snap_times, ((double) { cpu_snapped - cpu_start }));
      g_array_append_val (render_times, ((double) { cpu_rendered - cpu_start }));
      g_array_append_val (snap_wall, ((double) { (snapped - start) / 1000.0 }));
      g_array_append_val (render_wall, ((double) { (rendered - start) / 1000.0 }));
    }

  /* Real frames of the window, one per scroll step. */
  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &frame);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frame);
  hook_id = g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                                        render_hook, &frame, NULL);
  for (guint i = 0; i < runs + 5; i++)
    {
      frame = (Frame) { 0 };
      step (b, i, cell);
      iterate_until (&frame.done);
      if (i >= 5 && frame.done)
        g_array_append_val (frame_times, frame.ms);
    }
  g_signal_remove_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), hook_id);
  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);

  first_row = (int) (b->mid_v / cell);
  first_col = (int) (b->mid_h / cell);
  what = g_strdup_printf ("%d px cells, from row %d, column %d", cell, first_row, first_col);
  row (what, "", "", "");
  report ("  snapshot", snap_times, snap_wall, FALSE);
  report ("  snapshot + render (full redraw)", render_times, render_wall, TRUE);
  if (frame_times->len > 0)
    report ("  frame of the window after a scroll (wall)", frame_times, NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  const char *path = argc > 1 ? argv[1] : NULL;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 100;
  KdxCoverageMatrix *matrix = NULL;
  KdxCoverageMatrixView *view;
  GtkWidget *scroller;
  Bench b = { 0 };

  gtk_init ();
  adw_init ();
  g_resources_register (kdx_ui_get_resource ());
  runs = MAX (runs, 10);

  row ("what", "measured (median)", "goal", "verdict");
  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    matrix = workspace_matrix (path);
  if (matrix == NULL)
    {
      row ("matrix", "2,000 × 2,000 made in memory", "-", "-");
      matrix = synthetic_matrix (FALSE);
    }

  view = kdx_coverage_matrix_view_new ();
  kdx_coverage_matrix_view_set_matrix (view, matrix);
  b.grid = kdx_coverage_matrix_view_get_grid (view);
  b.window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (b.window), GTK_WIDGET (view));
  gtk_window_set_default_size (GTK_WINDOW (b.window), VIEW_W, VIEW_H + 100);
  gtk_window_present (GTK_WINDOW (b.window));
  while (gtk_widget_get_width (b.grid) == 0)
    g_main_context_iteration (NULL, TRUE);
  iterate_for (300);

  /* The grid itself 1200 × 800: the window grows by what the legend and
   * the decorations take. */
  for (guint i = 0; i < 5 && (gtk_widget_get_width (b.grid) != VIEW_W ||
                              gtk_widget_get_height (b.grid) != VIEW_H); i++)
    {
      int w, h;

      gtk_window_get_default_size (GTK_WINDOW (b.window), &w, &h);
      gtk_window_set_default_size (GTK_WINDOW (b.window), w + VIEW_W - gtk_widget_get_width (b.grid),
                                   h + VIEW_H - gtk_widget_get_height (b.grid));
      iterate_for (300);
    }
  if (gtk_widget_get_width (b.grid) != VIEW_W || gtk_widget_get_height (b.grid) != VIEW_H)
    g_printerr ("bench-matrix: the grid is %d × %d, not %d × %d (screen too small?)\n",
                gtk_widget_get_width (b.grid), gtk_widget_get_height (b.grid), VIEW_W, VIEW_H);

  scroller = gtk_widget_get_ancestor (b.grid, GTK_TYPE_SCROLLED_WINDOW);
  b.h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  b.v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  measure_zoom (&b, view, 24, runs);
  measure_zoom (&b, view, 8, runs);

  /* The worst case: a status in every cell. */
  row ("every cell mapped, 2,000 × 2,000", "", "", "");
  kdx_coverage_matrix_view_set_matrix (view, synthetic_matrix (TRUE));
  iterate_for (300);
  measure_zoom (&b, view, 24, runs);
  measure_zoom (&b, view, 8, runs);

  gtk_window_destroy (GTK_WINDOW (b.window));
  iterate_for (50);

  return 0;
}
