/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-floor: the least a libadwaita application can show — an
 * AdwApplication (with an application id, so it registers on the session
 * bus as Kodex does) whose activate presents an AdwApplicationWindow of
 * Kodex's default size with an AdwHeaderBar and a label. It is the floor
 * against which bench-first-frame is compared: same measurement, same
 * output lines (see bench-first-frame.c).
 *
 * bench-floor [--rss]
 */
#define G_LOG_DOMAIN "kdx-bench-floor"

#include <adwaita.h>
#include <locale.h>

#include "bench-frame.h"

static gint64 t_main;
static gboolean opt_rss;
static GtkWidget *window;

static gboolean
finish_cb (gpointer user_data)
{
  if (opt_rss)
    bench_emit_rss ();
  bench_emit ("done");
  gtk_window_destroy (GTK_WINDOW (window));

  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (gint64   painted_at,
                gpointer user_data)
{
  bench_emit ("first-frame-ms %.1f", (painted_at - t_main) / 1000.0);
  bench_emit ("first-frame-cpu-ms %.1f", bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID));
  g_timeout_add (opt_rss ? 1000 : 0, finish_cb, NULL);
}

static void
map_cb (GtkWidget *widget)
{
  static gboolean seen;

  if (seen)
    return;
  seen = TRUE;
  bench_wait_frame (widget, first_frame_cb, NULL);
}

static void
activate_cb (GApplication *app)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Floor");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;
  char *app_argv[] = { argv[0], NULL };

  t_main = g_get_monotonic_time ();

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--rss"))
        opt_rss = TRUE;
      else
        {
          g_printerr ("usage: %s [--rss]\n", argv[0]);
          return 2;
        }
    }

  setlocale (LC_ALL, "");

  app = adw_application_new ("io.github.kodexapp.Kodex.BenchFloor", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), 1, app_argv);
}
