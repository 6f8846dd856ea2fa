/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

/* How dates and times read in the UI. */

/* A date (YYYY-MM-DD) or a time (ISO 8601) as a date in the user's
 * language; "" for NULL, the text itself when it is no date. */
char *kdx_format_date (const char *iso);

/* An ISO 8601 time as local date and time, to the minute. */
char *kdx_format_time (const char *iso);

/* A search snippet, its matches between @start and @end markers, as Pango
 * markup with the matches in bold, on one line. */
char *kdx_format_snippet_markup (const char *snippet,
                                 const char *start,
                                 const char *end);

/* Removes every row (GTK 4.8 has no gtk_list_box_remove_all()). */
void  kdx_list_box_remove_all   (GtkListBox *list);

/* A section shows one entity of a store and fills itself again on the
 * store's "changed" signal; these are the steps they all take. */

/* Points *@store_slot at @store (a new reference): @section's handlers
 * leave the old store and @changed_cb (with @section as its data) follows
 * "changed" on the new one. Returns whether the store is another one. */
gboolean kdx_section_set_store    (GtkWidget  *section,
                                   KdxStore  **store_slot,
                                   KdxStore   *store,
                                   GCallback   changed_cb);

/* Lets go of the store, as dispose does. */
void     kdx_section_clear_store  (GtkWidget  *section,
                                   KdxStore  **store_slot);

/* Whether @section is shown and should fill itself now; if not, it is
 * marked *@dirty, so that it fills itself when it is mapped. */
gboolean kdx_section_should_fill  (GtkWidget  *section,
                                   gboolean   *dirty);

/* Sorting a column view by its headers, in SQL. GTK 4.8 has no API to
 * ask a column view which column it sorts by. Each column gets a sorter
 * that only notes that it was asked; comparing two dummies through the
 * view's sorter then names the primary column, and the sign of the
 * answer its direction. The rows themselves are sorted by SQL. */

/* The sorter of column @column (an index into the page's own table). */
GtkSorter *kdx_column_sorter_new      (int        column);

/* The column the view's @sorter sorts by first, or -1 for none; in
 * *@descending its direction (FALSE for none). */
int        kdx_column_view_sort_probe (GtkSorter *sorter,
                                       gboolean  *descending);

/* A toast that shows @text as it is. libadwaita 1.2 reads a toast's title
 * as Pango markup: a title such as "IT & Data" would be refused with a
 * warning, "<b>" taken as bold. */
AdwToast *kdx_toast_new (const char *text);

/* The cells of column @column of a column view over a KdxQueryModel:
 * @setup makes a cell, @update shows in it the item of its row, when the
 * row is bound and again whenever the row's item is read anew. */
typedef void (*KdxCellFunc) (GtkListItem *item,
                             guint        column);

GtkListItemFactory *kdx_query_cell_factory_new (guint       column,
                                                KdxCellFunc setup,
                                                KdxCellFunc update);

G_END_DECLS
