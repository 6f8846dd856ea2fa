/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-format"

#include "config.h"

#include "kdx-format.h"
#include "kdx-query-model.h"

#include <glib/gi18n.h>
#include <string.h>

static GDateTime *
parse (const char *iso)
{
  g_autofree char *midday = NULL;

  if (iso == NULL)
    return NULL;
  if (strlen (iso) == 10)
    {
      /* A date: midday UTC is the same day everywhere in Europe. */
      midday = g_strconcat (iso, "T12:00:00Z", NULL);
      return g_date_time_new_from_iso8601 (midday, NULL);
    }

  return g_date_time_new_from_iso8601 (iso, NULL);
}

char *
kdx_format_date (const char *iso)
{
  g_autoptr(GDateTime) dt = parse (iso);

  if (iso == NULL)
    return g_strdup ("");
  if (dt == NULL)
    return g_strdup (iso);

  /* Translators: a date, see g_date_time_format(); German: %d.%m.%Y */
  return g_date_time_format (dt, _("%Y-%m-%d"));
}

char *
kdx_format_time (const char *iso)
{
  g_autoptr(GDateTime) dt = parse (iso);
  g_autoptr(GDateTime) local = dt ? g_date_time_to_local (dt) : NULL;

  if (iso == NULL)
    return g_strdup ("");
  if (local == NULL)
    return g_strdup (iso);

  /* Translators: a date and time, see g_date_time_format(); German: %d.%m.%Y %H:%M */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

char *
kdx_format_snippet_markup (const char *snippet,
                           const char *start,
                           const char *end)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = snippet ? snippet : "";

  /* Escaped piece by piece: the markers are control characters, which
   * g_markup_escape_text() would turn into character references. */
  while (*p)
    {
      const char *marker = strstr (p, start);
      const char *stop = marker ? marker : p + strlen (p);
      g_autofree char *piece = g_markup_escape_text (p, stop - p);

      g_string_append (out, piece);
      if (marker == NULL)
        break;

      p = marker + strlen (start);
      stop = strstr (p, end);
      if (stop == NULL)
        stop = p + strlen (p);
      g_free (piece);
      piece = g_markup_escape_text (p, stop - p);
      g_string_append_printf (out, "<b>%s</b>", piece);
      p = *stop ? stop + strlen (end) : stop;
    }
  g_string_replace (out, "\n", " ", 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
kdx_list_box_remove_all (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

gboolean
kdx_section_set_store (GtkWidget  *section,
                       KdxStore  **store_slot,
                       KdxStore   *store,
                       GCallback   changed_cb)
{
  g_return_val_if_fail (GTK_IS_WIDGET (section), FALSE);
  g_return_val_if_fail (store == NULL || KDX_IS_STORE (store), FALSE);

  if (*store_slot == store)
    return FALSE;

  if (*store_slot != NULL)
    g_signal_handlers_disconnect_by_data (*store_slot, section);
  g_set_object (store_slot, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", changed_cb, section, 0);

  return TRUE;
}

void
kdx_section_clear_store (GtkWidget  *section,
                         KdxStore  **store_slot)
{
  if (*store_slot != NULL)
    g_signal_handlers_disconnect_by_data (*store_slot, section);
  g_clear_object (store_slot);
}

gboolean
kdx_section_should_fill (GtkWidget *section,
                         gboolean  *dirty)
{
  *dirty = !gtk_widget_get_mapped (section);

  return !*dirty;
}

/* Only the main thread sorts views: one probe runs at a time. */
static int probed_column = -1;

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  if (probed_column < 0)
    probed_column = GPOINTER_TO_INT (user_data);

  return GTK_ORDERING_SMALLER;
}

GtkSorter *
kdx_column_sorter_new (int column)
{
  return GTK_SORTER (gtk_custom_sorter_new (probe_compare, GINT_TO_POINTER (column), NULL));
}

int
kdx_column_view_sort_probe (GtkSorter *sorter,
                            gboolean  *descending)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;
  int column;

  g_return_val_if_fail (GTK_IS_SORTER (sorter), -1);

  probed_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  column = probed_column;
  probed_column = -1;
  if (descending != NULL)
    *descending = column >= 0 && order == GTK_ORDERING_LARGER;

  return column;
}

/* ------------------------------------------------------------------ */
/* Cells of query-backed column views                                 */

typedef struct
{
  guint       column;
  KdxCellFunc setup;
  KdxCellFunc update;
} QueryCell;

static void
query_cell_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     QueryCell                *cell)
{
  cell->setup (item, cell->column);
}

static void
query_cell_item_changed_cb (KdxQueryRow *row,
                            GParamSpec  *pspec,
                            GtkListItem *item)
{
  QueryCell *cell = g_object_get_data (G_OBJECT (item), "kdx-query-cell");

  cell->update (item, cell->column);
}

static void
query_cell_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    QueryCell                *cell)
{
  KdxQueryRow *row = gtk_list_item_get_item (item);

  g_object_set_data (G_OBJECT (item), "kdx-query-cell", cell);
  g_signal_connect_object (row, "notify::item", G_CALLBACK (query_cell_item_changed_cb), item, 0);
  cell->update (item, cell->column);
}

static void
query_cell_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      QueryCell                *cell)
{
  KdxQueryRow *row = gtk_list_item_get_item (item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, query_cell_item_changed_cb, item);
}

GtkListItemFactory *
kdx_query_cell_factory_new (guint       column,
                            KdxCellFunc setup,
                            KdxCellFunc update)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  QueryCell *cell = g_new (QueryCell, 1);

  g_return_val_if_fail (setup != NULL && update != NULL, NULL);

  *cell = (QueryCell) { column, setup, update };
  g_object_set_data_full (G_OBJECT (factory), "kdx-query-cell", cell, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (query_cell_setup_cb), cell);
  g_signal_connect (factory, "bind", G_CALLBACK (query_cell_bind_cb), cell);
  g_signal_connect (factory, "unbind", G_CALLBACK (query_cell_unbind_cb), cell);

  return factory;
}

AdwToast *
kdx_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  return adw_toast_new (escaped);
}
