/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the GUI benchmark programs: output lines for bench-spawn and
 * run-benchmarks.sh, the peak RSS of this process, and "wait until the
 * window has painted a frame".
 *
 * A frame counts as painted when the window's surface emitted "render"
 * (GTK drew the widget tree into it) during a frame clock cycle, and the
 * time taken is that cycle's "after-paint", when rendering has finished.
 * The "render" signal is watched with an emission hook because GtkWindow's
 * own handler stops its emission.
 */
#pragma once

#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

G_GNUC_PRINTF (1, 2) static void
bench_emit (const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

/* A "VmHWM:"-style field of /proc/self/status, in kB; -1 if unknown. */
G_GNUC_UNUSED static gint64
bench_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

/* CPU time in ms: CLOCK_PROCESS_CPUTIME_ID (all threads) or
 * CLOCK_THREAD_CPUTIME_ID (the calling thread). Unlike wall time it does
 * not grow when other processes compete for the CPUs. */
static double
bench_cpu_ms (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef void (*BenchFrameFunc) (gint64 painted_at, gpointer user_data);

typedef struct
{
  GdkSurface     *surface;
  GdkFrameClock  *clock;
  gulong          paint_id;
  gulong          hook_id;
  gboolean        rendered;
  BenchFrameFunc  func;
  gpointer        user_data;
} BenchFrameWait;

static gboolean
bench_render_hook (GSignalInvocationHint *hint,
                   guint                  n_params,
                   const GValue          *params,
                   gpointer               user_data)
{
  BenchFrameWait *wait = user_data;

  if (g_value_get_object (&params[0]) == (GObject *) wait->surface)
    wait->rendered = TRUE;

  return TRUE;  /* stay installed */
}

static void
bench_frame_wait_free (BenchFrameWait *wait)
{
  g_signal_handler_disconnect (wait->clock, wait->paint_id);
  g_signal_remove_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), wait->hook_id);
  g_free (wait);
}

static void
bench_after_paint_cb (GdkFrameClock  *clock,
                      BenchFrameWait *wait)
{
  gint64 now = g_get_monotonic_time ();
  BenchFrameFunc func = wait->func;
  gpointer user_data = wait->user_data;

  if (!wait->rendered)
    return;

  bench_frame_wait_free (wait);
  func (now, user_data);
}

/* Calls @func at the end of the next frame in which @window is drawn.
 * @window must be realized. Nothing here asks for a frame: what is
 * measured must (a mapped window, a changed model). There is no timeout
 * here: work on the main thread would delay it too; bench-spawn --timeout
 * ends a run that hangs. */
static void
bench_wait_frame (GtkWidget      *window,
                  BenchFrameFunc  func,
                  gpointer        user_data)
{
  BenchFrameWait *wait = g_new0 (BenchFrameWait, 1);

  wait->surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_assert (wait->surface != NULL);
  wait->clock = gdk_surface_get_frame_clock (wait->surface);
  wait->func = func;
  wait->user_data = user_data;
  wait->hook_id = g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                                              bench_render_hook, wait, NULL);
  wait->paint_id = g_signal_connect (wait->clock, "after-paint",
                                     G_CALLBACK (bench_after_paint_cb), wait);
}

/* Peak and current RSS, as lines for run-benchmarks.sh. */
G_GNUC_UNUSED static void
bench_emit_rss (void)
{
  bench_emit ("vmhwm-kb %" G_GINT64_FORMAT, bench_status_kb ("VmHWM:"));
  bench_emit ("vmrss-kb %" G_GINT64_FORMAT, bench_status_kb ("VmRSS:"));
}
