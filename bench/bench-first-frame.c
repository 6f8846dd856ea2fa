/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-first-frame: Kodex as a double-click on a workspace starts it —
 * src/main.c's start-up, then g_application_run() with the file as its
 * argument, so KdxApplication's "open" makes a KdxWindow, calls
 * kdx_window_open_path() and presents it — plus a watch that reports when
 * the window has painted its first frame, and then, on request:
 *
 *   --rss         idles one second and reports the peak RSS (VmHWM);
 *   --search      shows People and types a sequence of searches into the
 *                 search entry (inserting and deleting text as a keyboard
 *                 does). Each step is timed from the entry's
 *                 "search-changed" — whose handler refilters exactly as
 *                 kdx_people_page_set_search() does — to the end of the
 *                 next painted frame: the model has been requeried and the
 *                 rows drawn. The entry's own 150 ms debounce before
 *                 search-changed is not counted. A frame is asked for
 *                 after the handler, for steps that change nothing on
 *                 screen.
 *   --search-api  the same steps through kdx_people_page_set_search(),
 *                 timed from the call. Note that it sets the entry's text
 *                 too, and gtk_editable_set_text() deletes before it
 *                 inserts: the empty text in between fires an immediate
 *                 search-changed, so each call also refilters once with no
 *                 search at all, which typing does not.
 *
 * bench-first-frame [--rss] [--search|--search-api] WORKSPACE
 *
 * Output, one figure a line (run-benchmarks.sh reads them):
 *
 *   first-frame-ms 512.3          from the top of main(), in this process
 *   vmhwm-kb 123456
 *   people-area-ms 40.2
 *   first-frame-cpu-ms 300.1      CPU time of all threads until then
 *   search 12.5 3.1 4711 9.8 müller
 *                                 ms to the frame, ms in the handler
 *                                 (count and signals), rows, CPU ms of
 *                                 the main thread (SQL, GTK, painting),
 *                                 text
 *
 * Start-to-first-frame including exec and dynamic linking is
 * bench-spawn's figure: wall time from fork/exec to "first-frame".
 */
#define G_LOG_DOMAIN "kdx-bench"

#include "config.h"

#include "kdx-application.h"
#include "kdx-people-page.h"
#include "kdx-ui-resources.h"
#include "kdx-window.h"

#include "bench-frame.h"

#include <glib/gi18n.h>
#include <locale.h>

/* What a person types: a surname letter by letter, then a department
 * (pasted whole), a word in most departments and roles, and clearing the
 * field in between. */
static const char *searches[] = {
  "m", "mü", "mül", "müll", "müller", "", "außendienst", "", "vertrieb", "",
};

#define SETTLE_MS 600  /* between steps: everything a step set off is done */

static gint64 t_main;
static gboolean opt_rss;
static gboolean opt_search;
static KdxWindow *window;
static guint search_index;
static gint64 search_t0;
static gint64 search_model_us;
static double search_cpu0;
static guint search_rows;
static double search_max_ms;
static gboolean opt_search_api;
static GtkSearchEntry *search_entry;
static gboolean search_armed;       /* the next search-changed starts a step */
static gboolean search_in_handler;  /* between the hook and the after-handler */

static gboolean
finish_cb (gpointer user_data)
{
  bench_emit ("done");
  /* Disposing the window closes the workspace and releases its lock; the
   * application then has no window left and g_application_run() returns. */
  gtk_window_destroy (GTK_WINDOW (window));

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ */
/* Searching in People                                                */

static KdxPeoplePage *
people_page (void)
{
  return KDX_PEOPLE_PAGE (kdx_window_get_page (window, "people"));
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean next_search_cb (gpointer user_data);

static void
search_painted_cb (gint64   painted_at,
                   gpointer user_data)
{
  const char *text = searches[search_index];
  double ms = (painted_at - search_t0) / 1000.0;

  bench_emit ("search %.1f %.1f %u %.1f %s", ms, search_model_us / 1000.0, search_rows,
              bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - search_cpu0, *text ? text : "(clear)");
  search_max_ms = MAX (search_max_ms, ms);
  search_index++;
  g_timeout_add (SETTLE_MS, next_search_cb, NULL);
}

/* The clock of a typed step starts when the entry emits search-changed,
 * before the page's handler runs (emission hooks run before handlers of
 * a RUN_LAST signal)... */
static gboolean
search_changed_hook (GSignalInvocationHint *hint,
                     guint                  n_params,
                     const GValue          *params,
                     gpointer               user_data)
{
  if (search_armed && g_value_get_object (&params[0]) == (GObject *) search_entry)
    {
      search_armed = FALSE;
      search_in_handler = TRUE;
      bench_wait_frame (GTK_WIDGET (window), search_painted_cb, NULL);
      search_cpu0 = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
      search_t0 = g_get_monotonic_time ();
    }

  return TRUE;
}

/* ... and the model has been requeried when the page's handler returns.
 * A step whose rows look like the last step's ("m" finds every active
 * person, as the unfiltered list shows them) changes nothing on screen,
 * and GTK paints no frame for it: one is asked for, on the entry, so that
 * every step ends on a painted frame. It never comes sooner than a frame
 * the rows themselves asked for. */
static void
search_changed_after_cb (GtkSearchEntry *entry)
{
  if (!search_in_handler)
    return;

  search_in_handler = FALSE;
  search_model_us = g_get_monotonic_time () - search_t0;
  search_rows = g_list_model_get_n_items (kdx_people_page_get_model (people_page ()));
  gtk_widget_queue_draw (GTK_WIDGET (entry));
}

/* Edits the entry the way typing does: removes what no longer matches,
 * then inserts the rest. */
static void
type_text (const char *target)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (search_entry));
  const char *a = current, *b = target;
  int common = 0;

  while (*a && *b && g_utf8_get_char (a) == g_utf8_get_char (b))
    {
      a = g_utf8_next_char (a);
      b = g_utf8_next_char (b);
      common++;
    }

  if (*a)
    gtk_editable_delete_text (GTK_EDITABLE (search_entry), common, -1);
  if (*b)
    {
      int position = common;

      gtk_editable_insert_text (GTK_EDITABLE (search_entry), b, -1, &position);
    }
}

static gboolean
next_search_cb (gpointer user_data)
{
  const char *text;

  if (search_index >= G_N_ELEMENTS (searches))
    {
      bench_emit ("search-max-ms %.1f", search_max_ms);
      g_idle_add (finish_cb, NULL);
      return G_SOURCE_REMOVE;
    }

  text = searches[search_index];
  if (opt_search_api)
    {
      bench_wait_frame (GTK_WIDGET (window), search_painted_cb, NULL);
      search_cpu0 = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
      search_t0 = g_get_monotonic_time ();
      kdx_people_page_set_search (people_page (), text);
      search_model_us = g_get_monotonic_time () - search_t0;
      search_rows = g_list_model_get_n_items (kdx_people_page_get_model (people_page ()));
      gtk_widget_queue_draw (GTK_WIDGET (search_entry));
    }
  else
    {
      search_armed = TRUE;
      type_text (text);
    }

  return G_SOURCE_REMOVE;
}

static void
people_painted_cb (gint64   painted_at,
                   gpointer user_data)
{
  gint64 *t0 = user_data;

  bench_emit ("people-area-ms %.1f", (painted_at - *t0) / 1000.0);
  bench_emit ("people-rows %u", g_list_model_get_n_items (kdx_people_page_get_model (people_page ())));
  g_free (t0);
  search_entry = GTK_SEARCH_ENTRY (find_search_entry (GTK_WIDGET (people_page ())));
  g_assert (search_entry != NULL);
  g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), 0,
                              search_changed_hook, NULL, NULL);
  g_signal_connect_after (search_entry, "search-changed", G_CALLBACK (search_changed_after_cb), NULL);
  g_timeout_add (1000, next_search_cb, NULL);
}

static gboolean
show_people_cb (gpointer user_data)
{
  gint64 *t0 = g_new (gint64, 1);

  bench_wait_frame (GTK_WIDGET (window), people_painted_cb, t0);
  *t0 = g_get_monotonic_time ();
  kdx_window_show_area (window, "people");

  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ */
/* First frame and memory                                             */

static gboolean
after_idle_cb (gpointer user_data)
{
  if (opt_rss)
    bench_emit_rss ();
  if (opt_search)
    g_idle_add (show_people_cb, NULL);
  else
    g_idle_add (finish_cb, NULL);

  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (gint64   painted_at,
                gpointer user_data)
{
  KdxStore *store = kdx_window_get_store (window);

  bench_emit ("first-frame-ms %.1f", (painted_at - t_main) / 1000.0);
  bench_emit ("first-frame-cpu-ms %.1f", bench_cpu_ms (CLOCK_PROCESS_CPUTIME_ID));

  if (store == NULL)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      /* Say why: the window shows the error in a message dialog. */
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (toplevel))
            bench_emit ("error %s: %s",
                        adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)),
                        adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (toplevel)));
        }
      bench_emit ("error the workspace did not open");
      exit (1);
    }
  if (kdx_store_is_read_only (store))
    bench_emit ("warning the workspace opened read-only");

  g_timeout_add (opt_rss ? 1000 : 0, after_idle_cb, NULL);
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
window_added_cb (GtkApplication *app,
                 GtkWindow      *added)
{
  if (window != NULL || !KDX_IS_WINDOW (added))
    return;

  window = KDX_WINDOW (added);
  g_signal_connect (added, "map", G_CALLBACK (map_cb), NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KdxApplication) app = NULL;
  const char *localedir;
  const char *path = NULL;
  char *app_argv[3];

  t_main = g_get_monotonic_time ();

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--rss"))
        opt_rss = TRUE;
      else if (g_str_equal (argv[i], "--search"))
        opt_search = TRUE;
      else if (g_str_equal (argv[i], "--search-api"))
        opt_search = opt_search_api = TRUE;
      else if (path == NULL && argv[i][0] != '-')
        path = argv[i];
      else
        {
          g_printerr ("usage: %s [--rss] [--search|--search-api] WORKSPACE\n", argv[0]);
          return 2;
        }
    }
  if (path == NULL)
    {
      g_printerr ("usage: %s [--rss] [--search|--search-api] WORKSPACE\n", argv[0]);
      return 2;
    }

  /* From here on, what src/main.c does. */
  localedir = g_getenv ("KODEX_LOCALEDIR");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_resources_register (kdx_ui_get_resource ());

  app = kdx_application_new ();
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);

  /* `kodex FILE`, as the desktop file's Exec line runs it. */
  app_argv[0] = argv[0];
  app_argv[1] = (char *) path;
  app_argv[2] = NULL;

  return g_application_run (G_APPLICATION (app), 2, app_argv);
}
