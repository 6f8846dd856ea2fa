/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

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

G_END_DECLS
