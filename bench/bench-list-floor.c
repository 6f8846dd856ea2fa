/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-list-floor: the floor of the People search benchmark — what GTK
 * alone needs to show a new result in a table like People's. An
 * AdwApplicationWindow of Kodex's default size holds a GtkColumnView
 * with People's seven columns (a GtkLabel per cell, left-aligned and
 * ellipsized as kdx-people-page.c makes them, texts as long as the large
 * demo's) over a GListStore. Each step replaces the store's contents with
 * as many rows as the same step finds in Kodex — new row objects, as a
 * requery makes, taken in turn from one of two prepared pools of 100,000;
 * no SQL, no counting — timed from the replacement to the end of the next
 * rendered frame. The replacement removes everything, then adds (two
 * items-changed signals, as a model whose rows are all new must emit them
 * on GTK 4.8: see run-benchmarks.sh); --splice does it in one
 * g_list_store_splice().
 *
 * bench-list-floor [--splice]
 *
 * Output: "search MS 0 ROWS CPU-MS STEP", like bench-first-frame --search.
 */
#define G_LOG_DOMAIN "kdx-bench-list-floor"

#include <adwaita.h>
#include <locale.h>

#include "bench-frame.h"

#define N_ROWS 100000
#define N_COLUMNS 7
#define SETTLE_MS 600

/* The row counts of bench-first-frame's steps on the large workspace. */
static const struct
{
  const char *name;
  guint       rows;
} steps[] = {
  { "m", 98003 }, { "mü", 2758 }, { "mül", 2758 }, { "müll", 2758 }, { "müller", 2758 },
  { "(clear)", 98003 }, { "außendienst", 12285 }, { "(clear)", 98003 }, { "vertrieb", 91164 },
  { "(clear)", 98003 },
};

static GtkWidget *window;
static GListStore *store;
static gpointer *pools[2];    /* N_ROWS GtkStringObjects each */
static guint step;
static gint64 t0;
static double cpu0;
static double max_ms;
static gboolean opt_splice;

static gboolean next_step_cb (gpointer user_data);

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

/* Texts as long as the large demo's: the row's own name, then typical
 * values of the other columns. */
static const char *column_texts[N_COLUMNS] = {
  NULL, "simon.nowak.49994@brenner-hoffmann.de", "Vertrieb Außendienst Süd",
  "Vertriebsmitarbeitende", "Katharina Brenner", "", "Active",
};

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  GtkStringObject *row = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       column == 0 ? gtk_string_object_get_string (row) : column_texts[column]);
}

static void
painted_cb (gint64   painted_at,
            gpointer user_data)
{
  double ms = (painted_at - t0) / 1000.0;

  bench_emit ("search %.1f 0 %u %.1f %s", ms, steps[step].rows,
              bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - cpu0, steps[step].name);
  max_ms = MAX (max_ms, ms);
  step++;
  g_timeout_add (SETTLE_MS, next_step_cb, NULL);
}

static gboolean
next_step_cb (gpointer user_data)
{
  gpointer *rows = pools[step % 2];

  if (step >= G_N_ELEMENTS (steps))
    {
      bench_emit ("search-max-ms %.1f", max_ms);
      bench_emit ("done");
      gtk_window_destroy (GTK_WINDOW (window));
      return G_SOURCE_REMOVE;
    }

  bench_wait_frame (window, painted_cb, NULL);
  cpu0 = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
  t0 = g_get_monotonic_time ();
  if (opt_splice)
    g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                         rows, steps[step].rows);
  else
    {
      g_list_store_remove_all (store);
      g_list_store_splice (store, 0, 0, rows, steps[step].rows);
    }

  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (gint64   painted_at,
                gpointer user_data)
{
  g_timeout_add (1000, next_step_cb, NULL);
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
  static const char *titles[N_COLUMNS] = {
    "Name", "E-mail", "Department", "Role", "Manager", "Committee", "Status",
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view;
  GtkSingleSelection *selection;

  store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_list_store_splice (store, 0, 0, pools[1], 98003);  /* not step 0's rows */
  selection = gtk_single_selection_new (G_LIST_MODEL (store));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  view = gtk_column_view_new (GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "data-table");

  for (guint i = 0; i < N_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (titles[i], factory);
      gtk_column_view_column_set_expand (column, i < 5);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (GTK_COLUMN_VIEW (view), column);
      g_object_unref (column);
    }

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), scrolled);

  window = adw_application_window_new (GTK_APPLICATION (app));
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
  int status;

  setlocale (LC_ALL, "");

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--splice"))
        opt_splice = TRUE;
      else
        {
          g_printerr ("usage: %s [--splice]\n", argv[0]);
          return 2;
        }
    }

  for (guint p = 0; p < 2; p++)
    {
      pools[p] = g_new (gpointer, N_ROWS);
      for (guint i = 0; i < N_ROWS; i++)
        {
          g_autofree char *text = g_strdup_printf ("Simon Müller %u", i);

          pools[p][i] = gtk_string_object_new (text);
        }
    }

  app = adw_application_new ("io.github.kodexapp.Kodex.BenchListFloor", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  status = g_application_run (G_APPLICATION (app), 1, app_argv);

  for (guint p = 0; p < 2; p++)
    {
      for (guint i = 0; i < N_ROWS; i++)
        g_object_unref (pools[p][i]);
      g_free (pools[p]);
    }

  return status;
}
