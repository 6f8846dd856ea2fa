/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One course: its current rounds (who has to take it, by when, and how
 * it stands) with Mark Complete…, Assign People… and the actions on a
 * round; the rules that assign it; and its details, edited in place (a
 * field is stored when its row is applied or left), with the policies it
 * teaches.
 *
 * A course of the large demo has 100,000 rounds: the list counts them and
 * reads the first ones (kdx_course_rounds_new()); a new sort or filter
 * reads the list again, not the course; a change in the store refreshes,
 * once for all the transactions of one action, what it may have changed:
 * the rounds and their summary, or the details. The table shows the
 * list's rows (kdx_query_model_get_rows()), which keep their place when
 * the list is read again: the rows on screen are bound again, not built
 * anew. The selection, by place, is cleared then, as the rounds at those
 * places may be others now.
 */
#define G_LOG_DOMAIN "kdx-course-view"

#include "config.h"

#include "kdx-course-view.h"

#include "kdx-date.h"
#include "kdx-format.h"
#include "kdx-mapping-widgets.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-query-model.h"
#include "kdx-system.h"
#include "kdx-training.h"
#include "kdx-training-page.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#define SPIN_SAVE_DELAY_MS 600
/* Assign People… shows the first of the people it finds: a list box lays
 * out all its rows at each keystroke, 1 ms a row under GTK 4.8. */
#define MAX_PEOPLE_SHOWN   50
/* The name of a person in the table keeps this many characters at least;
 * the e-mail below it asks for no more than EMAIL_CHARS. */
#define NAME_CHARS         16
#define EMAIL_CHARS        22

typedef enum
{
  FIELD_TITLE,
  FIELD_TOPIC,
  FIELD_DURATION,
  FIELD_VALIDITY,
  FIELD_LITERACY,
  FIELD_DESCRIPTION,
} Field;

struct _KdxCourseView
{
  GtkWidget          parent_instance;

  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkWidget         *literacy_label;
  AdwViewStack      *view_stack;
  GtkLevelBar       *completion_level;
  GtkLabel          *summary_label;
  GtkSearchEntry    *assignment_search;
  GtkDropDown       *status_dropdown;
  GtkStack          *assignment_stack;
  GtkColumnView     *assignment_view;
  GtkLabel          *assignment_count;
  GtkListBox        *rules_list;
  GtkListBox        *policies_list;
  AdwEntryRow       *title_row;
  AdwEntryRow       *topic_row;
  GtkSpinButton     *duration_spin;
  AdwActionRow      *validity_row;
  GtkSpinButton     *validity_spin;
  GtkSwitch         *literacy_switch;
  GtkTextView       *description_view;
  AdwActionRow      *created_row;
  AdwActionRow      *modified_row;

  KdxStore          *store;
  KdxCourse         *course;
  GListModel        *assignments;    /* the course's current rounds, filtered in SQL */
  GListModel        *rows;           /* its rows, for the table */
  GtkMultiSelection *selection;      /* of the rows */
  guint              n_people;       /* people with a round of the course, unfiltered */
  KdxAssignmentSort  sort;
  gboolean           descending;
  guint              spin_timeout;
  gboolean           filling;
  gboolean           dirty;          /* the store changed while not shown */
  gboolean           rounds_stale;   /* a change in the store not shown yet… */
  gboolean           details_stale;
  guint              refresh_id;     /* …shown from here */
};

G_DEFINE_FINAL_TYPE (KdxCourseView, kdx_course_view, GTK_TYPE_WIDGET)

static void refresh_list (KdxCourseView *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
writable (KdxCourseView *self)
{
  return self->store != NULL && !kdx_store_is_read_only (self->store);
}

static void
toast (KdxCourseView *self,
       const char    *message)
{
  kdx_window_toast_from (GTK_WIDGET (self), message);
}

static gboolean
contains_focus (GtkWidget *widget)
{
  return (gtk_widget_get_state_flags (widget) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0;
}

static gboolean
strings_equal (const char *a,
               const char *b)
{
  return g_strcmp0 (a && *a ? a : NULL, b && *b ? b : NULL) == 0;
}

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Sets the text of an entry row, unless someone is typing another one. */
static void
set_entry (AdwEntryRow *row,
           const char  *value,
           const char  *before)
{
  const char *shown = gtk_editable_get_text (GTK_EDITABLE (row));

  if (g_strcmp0 (shown, value ? value : "") == 0)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      return;
    }
  if (contains_focus (GTK_WIDGET (row)) && g_strcmp0 (shown, before ? before : "") != 0)
    return;

  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
reset_apply_button (AdwEntryRow *row)
{
  adw_entry_row_set_show_apply_button (row, FALSE);
  adw_entry_row_set_show_apply_button (row, TRUE);
}

static const char *
course_uuid (KdxCourseView *self)
{
  return self->course ? kdx_course_get_uuid (self->course) : NULL;
}

static GtkWidget *
dialog_parent (KdxCourseView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WIDGET (root) : NULL;
}

/* A modal window over the view's, with Cancel and a suggested button
 * named @button_name in its header bar; @content below. */
static GtkWidget *
dialog_new (KdxCourseView  *self,
            const char     *title,
            const char     *subtitle,
            const char     *confirm,
            const char     *button_name,
            GtkWidget      *content,
            int             width,
            int             height,
            GtkWidget     **confirm_out)
{
  GtkWidget *parent = dialog_parent (self);
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *button = gtk_button_new_with_mnemonic (confirm);
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, subtitle));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (parent));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_name (button, button_name);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), button);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_widget (GTK_WINDOW (window), button);
  *confirm_out = button;

  return window;
}

static GtkWidget *
error_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  gtk_widget_set_name (label, "error-label");

  return label;
}

static void
show_error (GtkWidget  *label,
            const char *message)
{
  gtk_label_set_label (GTK_LABEL (label), message);
  gtk_widget_set_visible (label, message != NULL);
}

/* The score typed in @row: -1 for none, -2 when it is no score. */
static double
score_of (AdwEntryRow *row)
{
  g_autofree char *text = kdx_editable_dup_stripped (GTK_EDITABLE (row));
  char *end = NULL;
  double score;

  if (text == NULL)
    return -1;
  g_strdelimit (text, ",", '.');
  score = g_ascii_strtod (text, &end);
  if (end == NULL || *end != '\0' || score < 0 || score > 100)
    return -2;

  return score;
}

/* Why the score typed in @row is none, or NULL. */
static const char *
score_problem (AdwEntryRow *row)
{
  /* Translators: under the score of a completion, when it is not one */
  return score_of (row) < -1 ? _("The score is a number from 0 to 100.") : NULL;
}

/* A day as the tables show it (31.12.2026 in German), to type over. */
static char *
shown_day_from_today (int days)
{
  g_autofree char *day = kdx_training_day_from_today (days);

  return kdx_format_date (day);
}

/* The day typed in @row (as the tables show days, or ISO) as ISO; NULL
 * with why in *@problem when it is no day. A language that shows days
 * with slashes has them read in its order (03/31/2026 where the month
 * comes first); where days are shown otherwise (ISO in English, 31.12.2026
 * in German), a slash form that could be either order (03/04/2026) is
 * refused with why, never guessed. */
static char *
typed_day (AdwEntryRow  *row,
           char        **problem)
{
  static KdxDateOrder order = KDX_DATE_ORDER_UNKNOWN;
  static gboolean order_known;
  g_autofree char *text = kdx_editable_dup_stripped (GTK_EDITABLE (row));
  g_autoptr(GError) error = NULL;
  char *day;

  if (!order_known)
    {
      g_autofree char *shown = kdx_format_date ("2001-02-03");
      g_autofree char *read = kdx_date_parse (shown, KDX_DATE_ORDER_DMY, NULL);

      if (strchr (shown, '/') != NULL)
        order = g_strcmp0 (read, "2001-02-03") == 0 ? KDX_DATE_ORDER_DMY : KDX_DATE_ORDER_MDY;
      order_known = TRUE;
    }

  day = kdx_date_parse (text ? text : "", order, &error);
  if (problem != NULL)
    *problem = day == NULL ? g_strdup (error->message) : NULL;

  return day;
}

/* ------------------------------------------------------------------ */
/* The rounds                                                         */

typedef enum
{
  CELL_PERSON,
  CELL_DEPARTMENT,
  CELL_DUE,
  CELL_STATUS,
  CELL_COMPLETED,
  CELL_SCORE,
  CELL_EXPIRES,
  CELL_SOURCE,
  N_CELLS
} Cell;

static const struct
{
  const char *title;
  int         sort;       /* KdxAssignmentSort, or -1 */
  gboolean    expand;
} columns[N_CELLS] = {
  { N_("Person"), KDX_ASSIGNMENT_SORT_PERSON, TRUE },
  { N_("Department"), KDX_ASSIGNMENT_SORT_DEPARTMENT, FALSE },
  /* Translators: column header: the date by which an assignment is to be completed */
  { N_("Due"), KDX_ASSIGNMENT_SORT_DUE, FALSE },
  { N_("Status"), KDX_ASSIGNMENT_SORT_STATUS, FALSE },
  /* Translators: column header: the date an assignment was completed */
  { N_("Completed"), KDX_ASSIGNMENT_SORT_COMPLETED, FALSE },
  /* Translators: column header: the score of a completed assignment */
  { N_("Score"), -1, FALSE },
  /* Translators: column header: the date a completion expires */
  { N_("Expires"), -1, FALSE },
  /* Translators: column header: how an assignment came to be (rule, by hand, import, recertification) */
  { N_("Source"), -1, FALSE },
};

static GtkWidget *
text_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);

  return label;
}

static void
setup_cell (GtkListItem *item,
            guint        column)
{
  Cell cell = column;
  GtkWidget *child;
  GtkWidget *name;
  GtkWidget *email;

  switch (cell)
    {
    case CELL_PERSON:
      /* The name in full, the e-mail below it, smaller: the e-mail is
       * shortened first, the name only when the column is narrower than
       * it (never below NAME_CHARS). */
      child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
      name = text_label_new ();
      gtk_label_set_width_chars (GTK_LABEL (name), NAME_CHARS);
      gtk_box_append (GTK_BOX (child), name);
      email = text_label_new ();
      gtk_label_set_max_width_chars (GTK_LABEL (email), EMAIL_CHARS);
      gtk_widget_add_css_class (email, "dim-label");
      gtk_widget_add_css_class (email, "caption");
      gtk_box_append (GTK_BOX (child), email);
      break;
    /* Dates, scores and statuses are never shortened: a narrow window
     * scrolls the table sideways rather than showing "28.06.…". */
    case CELL_STATUS:
      child = kdx_training_pill_new ();
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_NONE);
      break;
    case CELL_DUE:
    case CELL_COMPLETED:
    case CELL_SCORE:
    case CELL_EXPIRES:
      child = text_label_new ();
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_NONE);
      break;
    case CELL_DEPARTMENT:
    case CELL_SOURCE:
      child = text_label_new ();
      gtk_label_set_width_chars (GTK_LABEL (child), 8);
      break;
    case N_CELLS:
    default:
      child = text_label_new ();
      break;
    }

  gtk_widget_set_margin_top (child, 4);
  gtk_widget_set_margin_bottom (child, 4);
  gtk_list_item_set_child (item, child);
}

/* For an open round that renews a certificate: what the certificate
 * and the renewal are ("Certificate valid until …; renewal due …"), or
 * NULL for other rounds. */
static char *
renewal_text (const KdxAssignment *a)
{
  g_autofree char *expires = NULL;
  g_autofree char *due = NULL;

  if (a->completed != NULL || a->renews_completed == NULL || a->expires == NULL ||
      a->due == NULL)
    return NULL;

  expires = kdx_format_date (a->expires);
  due = kdx_format_date (a->due);
  if (a->status == KDX_ASSIGNMENT_EXPIRING)
    /* Translators: the tooltip of an assignment that renews a certificate still valid: the
     * certificate's expiry, then the due date of the renewal */
    return g_strdup_printf (_("Certificate valid until %s; renewal due %s"), expires, due);

  /* Translators: the tooltip of an assignment that renews a certificate that has expired */
  return g_strdup_printf (_("Certificate expired on %s; renewal due %s"), expires, due);
}

/* A label of the row's renewed certificate: dimmed, with @tooltip. */
static void
set_renewal_look (GtkWidget  *widget,
                  const char *tooltip)
{
  if (tooltip != NULL)
    gtk_widget_add_css_class (widget, "dim-label");
  else
    gtk_widget_remove_css_class (widget, "dim-label");
  gtk_widget_set_tooltip_text (widget, tooltip);
}

/* Shows what the cell's row holds now. */
static void
update_cell (GtkListItem *item,
             guint        column)
{
  Cell cell = column;
  KdxQueryRow *row = gtk_list_item_get_item (item);
  KdxAssignmentItem *round = row ? kdx_query_row_get_item (row) : NULL;
  const KdxAssignment *a = round ? kdx_assignment_item_get (round) : NULL;
  GtkWidget *child = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  g_autofree char *renewal = NULL;
  GtkWidget *email;

  /* A round gone since the list was read: an empty row until the next. */
  if (a == NULL)
    {
      if (cell == CELL_PERSON)
        {
          gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (child)), "");
          gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (child)), "");
          gtk_widget_set_tooltip_text (gtk_widget_get_last_child (child), NULL);
        }
      else if (cell == CELL_STATUS)
        {
          kdx_training_pill_set (child, KDX_ASSIGNMENT_N_STATUSES);
          gtk_widget_set_tooltip_text (child, NULL);
        }
      else
        {
          gtk_label_set_label (GTK_LABEL (child), "");
          set_renewal_look (child, NULL);
        }
      return;
    }

  switch (cell)
    {
    case CELL_PERSON:
      email = gtk_widget_get_last_child (child);
      gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (child)), a->person_name);
      gtk_label_set_label (GTK_LABEL (email), a->person_email ? a->person_email : "");
      gtk_widget_set_tooltip_text (email, a->person_email);
      gtk_widget_set_visible (email, a->person_email != NULL && *a->person_email != '\0');
      return;
    case CELL_STATUS:
      kdx_training_pill_set (child, a->status);
      renewal = renewal_text (a);
      gtk_widget_set_tooltip_text (child, renewal);
      return;
    case CELL_DEPARTMENT:
      text = g_strdup (a->department ? a->department : "");
      break;
    case CELL_DUE:
      text = kdx_format_date (a->due);
      break;
    case CELL_COMPLETED:
      /* A renewal shows, dimmed, the completion it renews. */
      renewal = renewal_text (a);
      text = kdx_format_date (renewal != NULL ? a->renews_completed : a->completed);
      set_renewal_look (child, renewal);
      break;
    case CELL_SCORE:
      text = a->completed != NULL && a->score >= 0 ? g_strdup_printf ("%g", a->score)
                                                   : g_strdup ("");
      break;
    case CELL_EXPIRES:
      /* A renewal's expiry is the certificate's it renews: dimmed too. */
      renewal = renewal_text (a);
      if (a->completed != NULL && a->expires == NULL)
        /* Translators: a completion that does not expire */
        text = g_strdup (C_("expires", "Never"));
      else
        text = kdx_format_date (a->expires);
      set_renewal_look (child, renewal);
      break;
    case CELL_SOURCE:
      text = g_strdup (kdx_assignment_source_get_label (a->source));
      break;
    case N_CELLS:
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (GTK_LABEL (child), text);
}

static void
view_sorter_changed_cb (GtkSorter     *sorter,
                        GtkSorterChange change,
                        KdxCourseView *self)
{
  gboolean descending;
  int column = kdx_column_view_sort_probe (sorter, &descending);

  if (column < 0 || column >= N_CELLS || columns[column].sort < 0)
    {
      self->sort = KDX_ASSIGNMENT_SORT_PERSON;
      self->descending = FALSE;
    }
  else
    {
      self->sort = columns[column].sort;
      self->descending = descending;
    }
  refresh_list (self);
}

static void
build_columns (KdxCourseView *self)
{
  for (guint i = 0; i < N_CELLS; i++)
    {
      GtkListItemFactory *factory = kdx_query_cell_factory_new (i, setup_cell, update_cell);
      g_autoptr(GtkColumnViewColumn) column = NULL;

      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (columns[i].sort >= 0)
        {
          g_autoptr(GtkSorter) sorter = kdx_column_sorter_new (i);

          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->assignment_view, column);
    }

  g_signal_connect (gtk_column_view_get_sorter (self->assignment_view), "changed",
                    G_CALLBACK (view_sorter_changed_cb), self);
}

static gboolean
filtered (KdxCourseView *self)
{
  return gtk_drop_down_get_selected (self->status_dropdown) > 0 ||
         *gtk_editable_get_text (GTK_EDITABLE (self->assignment_search)) != '\0';
}

/* The rounds of the selection (KdxAssignment copies are not needed: the
 * items live as long as the array). */
static GPtrArray *
selected_items (KdxCourseView *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) set = NULL;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return items;

  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      KdxAssignmentItem *item = g_list_model_get_item (self->assignments, position);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }

  return items;
}

/* The count below the rounds, and what to do with them. */
static void
update_count (KdxCourseView *self,
              guint          n_selected)
{
  guint n = self->assignments ? g_list_model_get_n_items (self->assignments) : 0;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (n == 0 && !filtered (self))
    {
      gtk_label_set_label (self->assignment_count, "");
      return;
    }

  if (filtered (self))
    /* Translators: below the assignments of a course when filtered: "3 of 12 assignments" */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u assignment",
                                          "%u of %u assignments", self->n_people),
                             n, self->n_people);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u assignment", "%u assignments", n),
                             n);

  if (n_selected > 0)
    /* Translators: below the assignments of a course: "12 assignments · 3 selected" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u selected", "%s · %u selected",
                                         n_selected), count, n_selected);
  else if (n > 0)
    /* Translators: below the assignments of a course, while none is selected */
    text = g_strdup_printf (_("%s · Select assignments to mark them complete; double-click one "
                              "for the person’s transcript"), count);
  else
    text = g_steal_pointer (&count);
  gtk_label_set_label (self->assignment_count, text);
}

static void
update_round_actions (KdxCourseView *self)
{
  g_autoptr(GPtrArray) items = selected_items (self);
  gboolean open = FALSE, completed = FALSE;
  gboolean can = self->course != NULL && writable (self);

  for (guint i = 0; i < items->len; i++)
    {
      const KdxAssignment *a = kdx_assignment_item_get (items->pdata[i]);

      if (a->completed != NULL)
        completed = TRUE;
      else
        open = TRUE;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.mark-complete",
                                 can && items->len > 0);
  update_count (self, items->len);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.reopen", can && completed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.remove-round", can && open);
}

static void
update_summary (KdxCourseView *self)
{
  g_autoptr(KdxTrainingSummary) summary = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *tooltip = NULL;
  const KdxTrainingSummary *s = NULL;
  guint valid;

  if (self->store != NULL && self->course != NULL)
    summary = kdx_training_course_summary (self->store, course_uuid (self), NULL, NULL);
  s = summary;

  self->n_people = s ? s->n_people : 0;
  gtk_widget_set_visible (GTK_WIDGET (self->completion_level), s != NULL && s->n_people > 0);
  if (s == NULL || s->n_people == 0)
    {
      gtk_label_set_label (self->summary_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), NULL);
      return;
    }

  valid = s->n_status[KDX_ASSIGNMENT_COMPLETED] + s->n_status[KDX_ASSIGNMENT_EXPIRING];
  gtk_level_bar_set_value (self->completion_level, CLAMP (s->completion, 0, 1));
  /* Translators: the completion of a course: "12 of 20 people hold a valid completion (60 %)" */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                             "%u of %u person holds a valid completion (%.0f %%)",
                                             "%u of %u people hold a valid completion (%.0f %%)",
                                             s->n_people),
                          valid, s->n_people, CLAMP (s->completion, 0, 1) * 100);
  if (s->n_status[KDX_ASSIGNMENT_OVERDUE] > 0)
    {
      g_string_append (text, " · ");
      /* Translators: assignments of a course past their due date */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u overdue", "%u overdue",
                                                 s->n_status[KDX_ASSIGNMENT_OVERDUE]),
                              s->n_status[KDX_ASSIGNMENT_OVERDUE]);
    }
  /* One figure; the tooltip splits it (the summary counts cumulatively). */
  if (s->n_expiring_90 > 0)
    {
      g_string_append (text, " · ");
      /* Translators: completions of a course that expire within 90 days */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u expiring within 90 days",
                                                 "%u expiring within 90 days",
                                                 s->n_expiring_90),
                              s->n_expiring_90);
      /* Translators: the tooltip of "8 expiring within 90 days": how many expire in
       * each month from now */
      tooltip = g_strdup_printf (_("Within 30 days: %u · in 31–60 days: %u · in 61–90 days: %u"),
                                 s->n_expiring_30,
                                 s->n_expiring_60 - MIN (s->n_expiring_30, s->n_expiring_60),
                                 s->n_expiring_90 - MIN (s->n_expiring_60, s->n_expiring_90));
    }
  gtk_label_set_label (self->summary_label, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), tooltip);
}

/* The list as the sort and the filter ask (its summary stays). */
static void
refresh_list (KdxCourseView *self)
{
  KdxAssignmentFilter filter = { 0 };
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->assignment_search));
  guint n = 0;

  if (self->assignments != NULL)
    {
      filter.course_uuid = course_uuid (self);
      filter.search = *search != '\0' ? search : NULL;
      filter.status = selected > 0 && selected <= KDX_ASSIGNMENT_N_STATUSES ? (int) selected - 1
                                                                            : -1;
      filter.sort = self->sort;
      filter.descending = self->descending;
      kdx_course_rounds_set_filter (self->assignments, &filter);
      n = g_list_model_get_n_items (self->assignments);
    }

  if (n > 0)
    gtk_stack_set_visible_child_name (self->assignment_stack, "list");
  else if (self->n_people > 0 || filtered (self))
    gtk_stack_set_visible_child_name (self->assignment_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->assignment_stack, "empty");

  update_round_actions (self);
}

/* The rounds and their summary, as they are in the store now. */
static void
refresh_rounds (KdxCourseView *self)
{
  self->rounds_stale = FALSE;
  update_summary (self);
  refresh_list (self);
}

static void
refilter_cb (KdxCourseView *self)
{
  if (!self->filling)
    refresh_list (self);
}

static void
selection_changed_cb (KdxCourseView *self)
{
  update_round_actions (self);
}

/* The places selected may hold other rounds now. */
static void
rounds_reloaded_cb (KdxCourseView *self)
{
  if (self->selection != NULL)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  update_round_actions (self);
}

static void
assignment_activated_cb (KdxCourseView *self,
                         guint          position)
{
  g_autoptr(KdxAssignmentItem) item = self->assignments
                                      ? g_list_model_get_item (self->assignments, position)
                                      : NULL;

  if (item != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "training.show-transcript", "s",
                                kdx_assignment_item_get (item)->person_uuid);
}

/* ------------------------------------------------------------------ */
/* Rules                                                              */

typedef struct
{
  KdxStore *store;
  KdxRule  *rule;
} RuleUndo;

static void
rule_undo_free (RuleUndo *undo)
{
  g_clear_object (&undo->store);
  g_clear_pointer (&undo->rule, kdx_rule_free);
  g_free (undo);
}

static void
rule_undo_cb (AdwToast *toast,
              RuleUndo *undo)
{
  g_autoptr(GError) error = NULL;

  if (!kdx_rule_insert (undo->store, undo->rule, &error))
    g_warning ("Cannot add the rule again: %s", error->message);
}

static void
remove_rule_cb (GtkButton     *button,
                KdxCourseView *self)
{
  const KdxRule *rule = g_object_get_data (G_OBJECT (button), "rule");
  g_autoptr(GError) error = NULL;
  RuleUndo *undo;

  if (rule == NULL || !writable (self))
    return;

  undo = g_new0 (RuleUndo, 1);
  undo->store = g_object_ref (self->store);
  undo->rule = kdx_rule_copy (rule);
  g_clear_pointer (&undo->rule->uuid, g_free);

  if (!kdx_rule_delete (self->store, rule->uuid, &error))
    {
      toast (self, error->message);
      rule_undo_free (undo);
      return;
    }
  kdx_toast_with_undo (GTK_WIDGET (self),
                       _("Rule removed; the assignments it made stay"),
                       G_CALLBACK (rule_undo_cb), undo, (GDestroyNotify) rule_undo_free);
}

static void
fill_rules (KdxCourseView *self)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  kdx_list_box_remove_all (self->rules_list);
  if (self->course == NULL)
    return;

  rules = kdx_rule_list (self->store, course_uuid (self), &error);
  if (rules == NULL)
    {
      g_warning ("Cannot list the rules of the course: %s", error->message);
      return;
    }

  for (guint i = 0; i < rules->len; i++)
    {
      KdxRule *rule = rules->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *title = kdx_rule_dup_description (rule);
      g_autofree char *subtitle = NULL;

      /* Translators: the subtitle of an assignment rule */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Due within %u day of being assigned",
                                               "Due within %u days of being assigned",
                                               rule->due_days), rule->due_days);
      /* Plain text before any text: "IT & Data Science" is no markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Rule"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove Rule"), -1);
      gtk_widget_set_sensitive (remove, writable (self));
      g_object_set_data_full (G_OBJECT (remove), "rule", kdx_rule_copy (rule),
                              (GDestroyNotify) kdx_rule_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_rule_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      g_object_set_data_full (G_OBJECT (row), "rule", g_strdup (rule->uuid), g_free);
      gtk_list_box_append (self->rules_list, row);
    }

  if (rules->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No rules yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Only the people assigned by hand or by import have the course."));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->rules_list, row);
    }
}

/* The Add Rule dialog. */
typedef struct
{
  KdxCourseView *view;        /* weak */
  GtkWindow     *window;
  AdwComboRow   *kind_row;
  AdwComboRow   *department_row;
  AdwEntryRow   *role_row;
  AdwComboRow   *system_row;
  GtkSpinButton *due_spin;
  GtkWidget     *error_label;
  GtkWidget     *add_button;
  GStrv          departments;
  GPtrArray     *systems;     /* uuids, after "every system" */
} NewRule;

static void
new_rule_free (NewRule *data)
{
  if (data->view != NULL)
    g_object_remove_weak_pointer (G_OBJECT (data->view), (gpointer *) &data->view);
  g_strfreev (data->departments);
  g_clear_pointer (&data->systems, g_ptr_array_unref);
  g_free (data);
}

static void
new_rule_update (NewRule *data)
{
  KdxRuleKind kind = adw_combo_row_get_selected (data->kind_row);
  g_autofree char *role = kdx_editable_dup_stripped (GTK_EDITABLE (data->role_row));
  gboolean ok = data->view != NULL && data->view->course != NULL;

  gtk_widget_set_visible (GTK_WIDGET (data->department_row), kind == KDX_RULE_DEPARTMENT);
  gtk_widget_set_visible (GTK_WIDGET (data->role_row), kind == KDX_RULE_ROLE);
  gtk_widget_set_visible (GTK_WIDGET (data->system_row), kind == KDX_RULE_OVERSEERS);

  if (kind == KDX_RULE_DEPARTMENT)
    ok = ok && data->departments[0] != NULL &&
         adw_combo_row_get_selected (data->department_row) < g_strv_length (data->departments);
  else if (kind == KDX_RULE_ROLE)
    ok = ok && role != NULL;

  gtk_widget_set_sensitive (data->add_button, ok);
  show_error (data->error_label, NULL);
}

static void
new_rule_add_cb (NewRule *data)
{
  g_autoptr(KdxRule) rule = kdx_rule_new ();
  g_autoptr(GError) error = NULL;
  KdxCourseView *view = data->view;
  guint selected;

  if (view == NULL || view->course == NULL)
    return;

  rule->course_uuid = g_strdup (course_uuid (view));
  rule->kind = adw_combo_row_get_selected (data->kind_row);
  rule->due_days = gtk_spin_button_get_value_as_int (data->due_spin);
  switch (rule->kind)
    {
    case KDX_RULE_DEPARTMENT:
      selected = adw_combo_row_get_selected (data->department_row);
      if (selected >= g_strv_length (data->departments))
        return;
      rule->target = g_strdup (data->departments[selected]);
      break;
    case KDX_RULE_ROLE:
      rule->target = kdx_editable_dup_stripped (GTK_EDITABLE (data->role_row));
      break;
    case KDX_RULE_OVERSEERS:
      selected = adw_combo_row_get_selected (data->system_row);
      if (selected > 0 && selected <= data->systems->len)
        rule->system_uuid = g_strdup (data->systems->pdata[selected - 1]);
      break;
    case KDX_RULE_EVERYONE:
    case KDX_RULE_COMMITTEE:
    case KDX_RULE_N_KINDS:
    default:
      break;
    }

  if (!kdx_rule_insert (view->store, rule, &error))
    {
      show_error (data->error_label, error->message);
      return;
    }

  gtk_window_destroy (data->window);
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) departments = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) systems = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) system_list = NULL;
  KdxSystemFilter filter;
  NewRule *data;
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *due_row = adw_action_row_new ();
  GtkWidget *due_spin = gtk_spin_button_new_with_range (0, 3650, 1);
  GtkWidget *window;

  if (self->course == NULL || !writable (self))
    return;

  data = g_new0 (NewRule, 1);
  data->view = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->view);

  for (int i = 0; i < KDX_RULE_N_KINDS; i++)
    gtk_string_list_append (kinds, kdx_rule_kind_get_label (i));
  data->departments = kdx_system_dup_departments (self->store);
  if (data->departments == NULL)
    data->departments = g_new0 (char *, 1);
  for (guint i = 0; data->departments[i] != NULL; i++)
    gtk_string_list_append (departments, data->departments[i]);

  data->systems = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (systems, _("Every AI System"));
  kdx_system_filter_init (&filter);
  filter.sort = KDX_SYSTEM_SORT_NAME;
  system_list = kdx_system_list (self->store, &filter, NULL);
  for (guint i = 0; system_list != NULL && i < system_list->len; i++)
    {
      KdxSystem *system = system_list->pdata[i];
      g_autofree char *label = g_strdup_printf ("%s · %s", kdx_system_get_key (system),
                                                kdx_system_get_name (system));

      gtk_string_list_append (systems, label);
      g_ptr_array_add (data->systems, g_strdup (kdx_system_get_uuid (system)));
    }

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);

  data->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->kind_row), FALSE);
  /* Translators: whom an assignment rule gives a course to */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->kind_row), _("Assign To"));
  adw_combo_row_set_model (data->kind_row, G_LIST_MODEL (kinds));
  gtk_widget_set_name (GTK_WIDGET (data->kind_row), "kind-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->kind_row));

  data->department_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->department_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->department_row), _("Department"));
  adw_combo_row_set_model (data->department_row, G_LIST_MODEL (departments));
  gtk_widget_set_name (GTK_WIDGET (data->department_row), "department-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->department_row));

  data->role_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->role_row), FALSE);
  /* Translators: a job title, such as "Key Account Manager" */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->role_row), _("Role (Job Title)"));
  gtk_widget_set_name (GTK_WIDGET (data->role_row), "role-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->role_row));

  data->system_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->system_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->system_row), _("AI System"));
  adw_combo_row_set_model (data->system_row, G_LIST_MODEL (systems));
  gtk_widget_set_name (GTK_WIDGET (data->system_row), "system-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->system_row));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (due_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (due_row), _("_Due Within Days"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (due_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (due_row),
                               _("Counted from the day the rule gives someone the course"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (due_spin), 30);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (due_spin), TRUE);
  gtk_widget_set_valign (due_spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (due_spin, "due-spin");
  gtk_accessible_update_property (GTK_ACCESSIBLE (due_spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Due Within Days"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (due_row), due_spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (due_row), due_spin);
  gtk_list_box_append (GTK_LIST_BOX (list), due_row);
  data->due_spin = GTK_SPIN_BUTTON (due_spin);

  gtk_box_append (GTK_BOX (body), list);
  data->error_label = error_label_new ();
  gtk_box_append (GTK_BOX (body), data->error_label);
  gtk_widget_set_margin_top (body, 18);
  gtk_widget_set_margin_bottom (body, 18);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), body);

  window = dialog_new (self, _("Add Rule"), kdx_course_get_title (self->course), _("_Add"),
                       "add-button", clamp, 520, 420, &data->add_button);
  data->window = GTK_WINDOW (window);
  g_object_set_data_full (G_OBJECT (window), "new-rule", data, (GDestroyNotify) new_rule_free);

  g_signal_connect_swapped (data->kind_row, "notify::selected", G_CALLBACK (new_rule_update), data);
  g_signal_connect_swapped (data->department_row, "notify::selected",
                            G_CALLBACK (new_rule_update), data);
  g_signal_connect_swapped (data->role_row, "changed", G_CALLBACK (new_rule_update), data);
  g_signal_connect_swapped (data->add_button, "clicked", G_CALLBACK (new_rule_add_cb), data);
  new_rule_update (data);
  gtk_window_present (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------ */
/* Linked policies                                                    */

typedef struct
{
  KdxStore *store;
  char     *course;
  char     *policy;
  gboolean  link;     /* what Undo does: link it again, or unlink it */
} PolicyUndo;

static void
policy_undo_free (PolicyUndo *undo)
{
  g_clear_object (&undo->store);
  g_free (undo->course);
  g_free (undo->policy);
  g_free (undo);
}

/* Links @policy to @course or unlinks it, on top of the course as stored. */
static gboolean
set_policy_linked (KdxStore    *store,
                   const char  *course,
                   const char  *policy,
                   gboolean     link,
                   GError     **error)
{
  g_autoptr(KdxCourse) fresh = kdx_course_load (store, course, error);
  g_auto(GStrv) policies = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  gboolean found = FALSE;

  if (fresh == NULL)
    return FALSE;

  policies = kdx_course_dup_policies (fresh);
  for (guint i = 0; policies != NULL && policies[i] != NULL; i++)
    {
      if (g_str_equal (policies[i], policy))
        {
          found = TRUE;
          if (!link)
            continue;
        }
      g_strv_builder_add (builder, policies[i]);
    }
  if (link && !found)
    g_strv_builder_add (builder, policy);
  if (link == found)
    return TRUE;

  result = g_strv_builder_end (builder);
  kdx_course_set_policies (fresh, (const char * const *) result);

  return kdx_course_update (store, fresh, error);
}

static void
policy_undo_cb (AdwToast   *toast,
                PolicyUndo *undo)
{
  g_autoptr(GError) error = NULL;

  if (!set_policy_linked (undo->store, undo->course, undo->policy, undo->link, &error))
    g_warning ("Cannot undo: %s", error->message);
}

static void
unlink_policy_cb (GtkButton     *button,
                  KdxCourseView *self)
{
  const char *policy = g_object_get_data (G_OBJECT (button), "policy");
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  PolicyUndo *undo;

  if (self->course == NULL || !writable (self))
    return;

  if (!set_policy_linked (self->store, course_uuid (self), policy, FALSE, &error))
    {
      toast (self, error->message);
      return;
    }

  undo = g_new0 (PolicyUndo, 1);
  undo->store = g_object_ref (self->store);
  undo->course = g_strdup (course_uuid (self));
  undo->policy = g_strdup (policy);
  undo->link = TRUE;
  /* Translators: %s is the key of a policy, such as POL-003 */
  message = g_strdup_printf (_("%s is no longer linked to the course"), key);
  kdx_toast_with_undo (GTK_WIDGET (self), message, G_CALLBACK (policy_undo_cb), undo,
                       (GDestroyNotify) policy_undo_free);
}

static void
fill_policies (KdxCourseView *self)
{
  g_auto(GStrv) policies = NULL;
  guint n = 0;

  kdx_list_box_remove_all (self->policies_list);
  if (self->course == NULL)
    return;

  policies = kdx_course_dup_policies (self->course);
  for (guint i = 0; policies != NULL && policies[i] != NULL; i++)
    {
      g_autoptr(KdxPolicy) policy = kdx_policy_load (self->store, policies[i], NULL);
      GtkWidget *row;
      GtkWidget *remove;

      if (policy == NULL)
        continue;

      row = adw_action_row_new ();
      remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kdx_policy_get_title (policy));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), kdx_policy_get_key (policy));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Unlink Policy"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Unlink Policy"), -1);
      gtk_widget_set_sensitive (remove, writable (self));
      g_object_set_data_full (G_OBJECT (remove), "policy", g_strdup (policies[i]), g_free);
      g_object_set_data_full (G_OBJECT (remove), "key", g_strdup (kdx_policy_get_key (policy)),
                              g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (unlink_policy_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      g_object_set_data_full (G_OBJECT (row), "policy", g_strdup (policies[i]), g_free);
      gtk_list_box_append (self->policies_list, row);
      n++;
    }

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No policies linked"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->policies_list, row);
    }
}

static gboolean
policy_picked (KdxPickItem   *item,
               KdxCourseView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->course == NULL)
    return TRUE;
  if (!set_policy_linked (self->store, course_uuid (self), kdx_pick_item_get_id (item), TRUE,
                          &error))
    toast (self, error->message);

  return TRUE;
}

static void
link_policy_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) linked = NULL;
  g_autofree char *title = NULL;
  KdxPolicyFilter filter;
  KdxPicker *picker;

  if (self->course == NULL || !writable (self))
    return;

  /* Translators: the title of the window to pick a policy for course %s */
  title = g_strdup_printf (_("Link Policy to “%s”"), kdx_course_get_title (self->course));
  picker = kdx_picker_new (GTK_WIDGET (self), title, _("_Link"), _("Search policies"),
                           _("Policies"), (KdxPickerChooseFunc) policy_picked,
                           g_object_ref (self), g_object_unref);
  linked = kdx_course_dup_policies (self->course);
  kdx_policy_filter_init (&filter);
  policies = kdx_policy_list (self->store, &filter, NULL);
  for (guint i = 0; policies != NULL && i < policies->len; i++)
    {
      KdxPolicy *policy = policies->pdata[i];
      const char *uuid = kdx_policy_get_uuid (policy);
      gboolean taken = linked != NULL && g_strv_contains ((const char * const *) linked, uuid);
      g_autofree char *label = g_strdup_printf ("%s · %s", kdx_policy_get_key (policy),
                                                kdx_policy_get_title (policy));
      const char *kind = kdx_policy_kind_get_label (kdx_policy_get_kind (policy));

      g_ptr_array_add (items, kdx_pick_item_new (uuid, label, kind,
                                                 /* Translators: a policy linked to the course already */
                                                 _("Linked already"), 0, taken));
    }
  kdx_picker_set_items (picker, items);
  kdx_picker_present (picker);
}

/* ------------------------------------------------------------------ */
/* Marking rounds complete                                            */

typedef struct
{
  KdxCourseView *view;       /* weak */
  GPtrArray     *people;     /* person uuids */
  char          *today;
  AdwEntryRow   *date_row;
  AdwEntryRow   *score_row;
  GtkWidget     *problem_label;
} Completion;

static void
completion_free (Completion *data)
{
  if (data->view != NULL)
    g_object_remove_weak_pointer (G_OBJECT (data->view), (gpointer *) &data->view);
  g_ptr_array_unref (data->people);
  g_free (data->today);
  g_free (data);
}

/* The day typed (as shown, or ISO), or NULL with why in *@problem. */
static char *
completion_date (Completion  *data,
                 char       **problem)
{
  return typed_day (data->date_row, problem);
}


static void
completion_changed_cb (AdwMessageDialog *dialog)
{
  Completion *data = g_object_get_data (G_OBJECT (dialog), "completion");
  g_autofree char *problem = NULL;
  g_autofree char *date = completion_date (data, &problem);
  double score = score_of (data->score_row);
  gboolean date_ok;

  /* What core would refuse is said here, before anything is tried, below
   * the fields: a day that is none, or in the future (a day before the
   * round was assigned is fine: the course may have been taken before
   * Kodex assigned it), then a score that is none. */
  if (date != NULL && strcmp (date, data->today) > 0)
    problem = g_strdup (_("A completion cannot lie in the future."));
  date_ok = problem == NULL;
  if (date_ok && score_problem (data->score_row) != NULL)
    problem = g_strdup (score_problem (data->score_row));
  show_error (data->problem_label, problem);
  if (date_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (data->date_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (data->date_row), "error");
  if (score < -1)
    gtk_widget_add_css_class (GTK_WIDGET (data->score_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (data->score_row), "error");
  adw_message_dialog_set_response_enabled (dialog, "complete",
                                           date != NULL && problem == NULL && score >= -1);
}

static void
completion_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        Completion       *data)
{
  KdxCourseView *self = data->view;
  g_autofree char *date = completion_date (data, NULL);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  KdxTrainingApplyStats stats = { 0 };
  double score = score_of (data->score_row);

  if (self == NULL || self->course == NULL || g_strcmp0 (response, "complete") != 0 ||
      date == NULL || score < -1)
    return;

  g_ptr_array_add (data->people, NULL);
  if (!kdx_assignment_complete (self->store, course_uuid (self),
                                (const char * const *) data->people->pdata, date, score, &error))
    {
      g_ptr_array_remove_index (data->people, data->people->len - 1);
      toast (self, error->message);
      return;
    }
  g_ptr_array_remove_index (data->people, data->people->len - 1);

  /* A completion long ago may expire soon: the next round follows now,
   * not at the next start. */
  if (!kdx_training_apply (self->store, course_uuid (self), NULL, &stats, &error))
    g_warning ("Cannot apply the rules of the course: %s", error->message);

  if (stats.n_recertified > 0)
    /* Translators: after Mark Complete…, when a completion expires within 90 days */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u assignment marked complete; it expires soon, so "
                                            "its renewal is assigned",
                                            "%u assignments marked complete; %u expire soon, so "
                                            "their renewals are assigned",
                                            data->people->len),
                               data->people->len, stats.n_recertified);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u assignment marked complete",
                                            "%u assignments marked complete", data->people->len),
                               data->people->len);
  toast (self, message);
}

static void
mark_complete_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);
  g_autoptr(GPtrArray) items = selected_items (self);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *today = NULL;
  GtkWidget *dialog;
  GtkWidget *list;
  Completion *data;
  guint shown = 0;

  if (self->course == NULL || items->len == 0 || !writable (self))
    return;

  data = g_new0 (Completion, 1);
  data->view = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->view);
  data->people = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      const KdxAssignment *a = kdx_assignment_item_get (items->pdata[i]);

      g_ptr_array_add (data->people, g_strdup (a->person_uuid));
      if (shown++ < 4)
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", a->person_name);
    }
  if (items->len > 4)
    /* Translators: after the first four names of a list */
    g_string_append_printf (names, g_dngettext (GETTEXT_PACKAGE, " and %u more",
                                                " and %u more", items->len - 4),
                            items->len - 4);

  /* Translators: the heading of the Mark Complete dialog */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Mark %u Assignment Complete",
                                          "Mark %u Assignments Complete", items->len),
                             items->len);
  /* Translators: the body of the Mark Complete dialog: the course, then the people */
  body = g_strdup_printf (_("“%s” for %s."), kdx_course_get_title (self->course), names->str);
  dialog = adw_message_dialog_new (GTK_WINDOW (dialog_parent (self)), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "complete", _("_Mark Complete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "complete",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "complete");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  data->date_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->date_row), FALSE);
  /* Translators: the date a course was completed; both 2026-03-31 and 31.03.2026 are read */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->date_row), _("Completed On"));
  data->today = kdx_training_day_from_today (0);
  today = shown_day_from_today (0);
  gtk_editable_set_text (GTK_EDITABLE (data->date_row), today);
  adw_entry_row_set_activates_default (data->date_row, TRUE);
  gtk_widget_set_name (GTK_WIDGET (data->date_row), "date-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->date_row));
  data->score_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->score_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->score_row),
                                 _("Score (optional, 0 to 100)"));
  adw_entry_row_set_input_purpose (data->score_row, GTK_INPUT_PURPOSE_NUMBER);
  adw_entry_row_set_activates_default (data->score_row, TRUE);
  gtk_widget_set_name (GTK_WIDGET (data->score_row), "score-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->score_row));
  {
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

    data->problem_label = error_label_new ();
    gtk_widget_set_name (data->problem_label, "date-problem");
    gtk_box_append (GTK_BOX (box), list);
    gtk_box_append (GTK_BOX (box), data->problem_label);
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  }

  g_object_set_data_full (G_OBJECT (dialog), "completion", data,
                          (GDestroyNotify) completion_free);
  g_signal_connect_swapped (data->date_row, "changed", G_CALLBACK (completion_changed_cb), dialog);
  g_signal_connect_swapped (data->score_row, "changed", G_CALLBACK (completion_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (completion_response_cb), data);
  completion_changed_cb (ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ */
/* Reopening and removing rounds                                      */

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);
  g_autoptr(GPtrArray) items = selected_items (self);
  g_autofree char *message = NULL;
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const KdxAssignment *a = kdx_assignment_item_get (items->pdata[i]);
      g_autoptr(GError) error = NULL;

      if (a->completed == NULL)
        continue;
      if (!kdx_assignment_reopen (self->store, a->id, &error))
        {
          toast (self, error->message);
          return;
        }
      n++;
    }

  /* Translators: after Reopen Completion */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u completion taken back",
                                          "%u completions taken back", n), n);
  toast (self, message);
}

typedef struct
{
  KdxStore  *store;
  char      *course;
  GPtrArray *people;   /* uuids */
  GPtrArray *dues;     /* their due dates (NULL: none) */
} RoundsUndo;

static void
rounds_undo_free (RoundsUndo *undo)
{
  g_clear_object (&undo->store);
  g_free (undo->course);
  g_ptr_array_unref (undo->people);
  g_ptr_array_unref (undo->dues);
  g_free (undo);
}

static void
rounds_undo_cb (AdwToast   *toast,
                RoundsUndo *undo)
{
  for (guint i = 0; i < undo->people->len; i++)
    {
      const char *person[] = { undo->people->pdata[i], NULL };
      g_autoptr(GError) error = NULL;

      if (!kdx_assignment_assign (undo->store, undo->course, person, undo->dues->pdata[i], NULL,
                                  &error))
        g_warning ("Cannot assign the round again: %s", error->message);
    }
}

static void
remove_round_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);
  g_autoptr(GPtrArray) items = selected_items (self);
  g_autofree char *message = NULL;
  RoundsUndo *undo;
  gboolean from_rule = FALSE;

  if (self->course == NULL || !writable (self))
    return;

  undo = g_new0 (RoundsUndo, 1);
  undo->store = g_object_ref (self->store);
  undo->course = g_strdup (course_uuid (self));
  undo->people = g_ptr_array_new_with_free_func (g_free);
  undo->dues = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      const KdxAssignment *a = kdx_assignment_item_get (items->pdata[i]);
      g_autoptr(GError) error = NULL;

      if (a->completed != NULL)
        continue;
      if (!kdx_assignment_delete (self->store, a->id, &error))
        {
          toast (self, error->message);
          break;
        }
      from_rule = from_rule || a->source == KDX_ASSIGNMENT_SOURCE_RULE;
      g_ptr_array_add (undo->people, g_strdup (a->person_uuid));
      g_ptr_array_add (undo->dues, g_strdup (a->due));
    }

  if (undo->people->len == 0)
    {
      rounds_undo_free (undo);
      return;
    }

  if (from_rule)
    /* Translators: after Remove Open Assignment, when a rule had made one of them */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u open assignment removed; a rule that still names "
                                            "the person assigns the course again",
                                            "%u open assignments removed; a rule that still "
                                            "names them assigns the course again",
                                            undo->people->len),
                               undo->people->len);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open assignment removed",
                                            "%u open assignments removed", undo->people->len),
                               undo->people->len);
  kdx_toast_with_undo (GTK_WIDGET (self), message, G_CALLBACK (rounds_undo_cb), undo,
                       (GDestroyNotify) rounds_undo_free);
}

/* ------------------------------------------------------------------ */
/* Assigning people and recording completions by hand                */

/* One dialog for both: people picked by name or by department, with the
 * day they are due (Assign People…) or the day they completed the course
 * and their score (Record Completions…, for the people of a session).
 *
 * The people are searched as on the People page (kdx_person_model_new():
 * every word in the name, e-mail, employee id, department or role), and
 * only the first MAX_PEOPLE_SHOWN of those found are read, with whether
 * they have an open round: no list of all 100,000. At each keystroke the
 * rows there are show the people found now (building them anew costs
 * twice as much). */
typedef struct
{
  KdxCourseView  *view;         /* weak */
  KdxStore       *store;
  char           *course;       /* uuid */
  gboolean        completing;
  GtkWindow      *window;
  GListModel     *people;       /* KdxPerson, active, by name, as searched */
  GHashTable     *chosen;       /* uuids */
  GStrv           departments;
  GtkDropDown    *department_dropdown;
  GtkSearchEntry *search;
  GtkListBox     *list;
  GPtrArray      *rows;         /* AdwActionRow, one a person shown */
  GtkWidget      *more_row;     /* "… more people", last */
  AdwEntryRow    *due_row;      /* or the day of the completion */
  AdwEntryRow    *score_row;    /* when completing */
  GtkWidget      *field_error;  /* why the day or the score is none, below them */
  GtkWidget      *error_label;
  GtkLabel       *count_label;
  GtkWidget      *assign_button;
  gboolean        filling;
} Assigning;

static void
assigning_free (Assigning *data)
{
  if (data->view != NULL)
    g_object_remove_weak_pointer (G_OBJECT (data->view), (gpointer *) &data->view);
  g_clear_object (&data->people);
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_clear_object (&data->store);
  g_free (data->course);
  g_clear_pointer (&data->chosen, g_hash_table_unref);
  g_strfreev (data->departments);
  g_free (data);
}

static char *
assigning_due (Assigning  *data,
               char      **problem)
{
  return typed_day (data->due_row, problem);
}

static void
assigning_update (Assigning *data)
{
  guint n = g_hash_table_size (data->chosen);
  g_autofree char *problem = NULL;
  g_autofree char *due = assigning_due (data, &problem);
  g_autofree char *count = NULL;
  gboolean score_ok = TRUE;

  if (data->completing)
    {
      g_autofree char *today = kdx_training_day_from_today (0);

      /* As Mark Complete… says it, before core refuses it. */
      if (due != NULL && strcmp (due, today) > 0)
        {
          g_clear_pointer (&due, g_free);
          problem = g_strdup (_("A completion cannot lie in the future."));
        }
      score_ok = score_of (data->score_row) >= -1;
      if (score_ok)
        gtk_widget_remove_css_class (GTK_WIDGET (data->score_row), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (data->score_row), "error");
      if (problem == NULL && !score_ok)
        problem = g_strdup (score_problem (data->score_row));
    }
  show_error (data->field_error, problem);
  show_error (data->error_label, NULL);

  /* Translators: in Assign People: how many people are chosen */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person chosen",
                                        "%u people chosen", n), n);
  gtk_label_set_label (data->count_label, count);
  if (due == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (data->due_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (data->due_row), "error");
  gtk_widget_set_sensitive (data->assign_button,
                            n > 0 && due != NULL && score_ok && data->view != NULL);
}

static void
person_toggled_cb (GtkCheckButton *check,
                   Assigning      *data)
{
  const char *uuid = g_object_get_data (G_OBJECT (check), "uuid");

  if (data->filling)
    return;
  if (gtk_check_button_get_active (check))
    g_hash_table_add (data->chosen, g_strdup (uuid));
  else
    g_hash_table_remove (data->chosen, uuid);
  assigning_update (data);
}

static void
assigning_fill (Assigning *data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (data->search));
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GHashTable) open = NULL;
  g_autoptr(GError) error = NULL;
  guint shown, matching;

  kdx_person_model_set_filter (data->people, text, FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  matching = g_list_model_get_n_items (data->people);
  for (guint i = 0; i < matching && people->len < MAX_PEOPLE_SHOWN; i++)
    {
      KdxPerson *person = g_list_model_get_item (data->people, i);

      if (person == NULL)
        continue;
      g_ptr_array_add (people, person);
      g_ptr_array_add (uuids, (gpointer) kdx_person_get_uuid (person));
    }
  g_ptr_array_add (uuids, NULL);
  shown = people->len;
  open = kdx_course_dup_open_people (data->store, data->course,
                                     (const char * const *) uuids->pdata, &error);
  if (open == NULL)
    {
      g_warning ("Cannot tell who has an open round: %s", error->message);
      open = g_hash_table_new (g_str_hash, g_str_equal);
    }

  data->filling = TRUE;
  for (guint i = 0; i < people->len; i++)
    {
      KdxPerson *person = people->pdata[i];
      const char *uuid = kdx_person_get_uuid (person);
      gboolean has_open = g_hash_table_contains (open, uuid);
      gboolean taken = has_open && !data->completing;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *check;

      if (i < data->rows->len)
        row = data->rows->pdata[i];
      else
        {
          row = adw_action_row_new ();
          check = gtk_check_button_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          g_signal_connect (check, "toggled", G_CALLBACK (person_toggled_cb), data);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          g_object_set_data (G_OBJECT (row), "check", check);
          gtk_list_box_insert (data->list, row, (int) i);
          g_ptr_array_add (data->rows, row);
        }
      check = g_object_get_data (G_OBJECT (row), "check");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kdx_person_get_name (person));
      if (has_open)
        /* Translators: in Assign People: a person who has an open assignment of the course */
        subtitle = g_strdup_printf (_("%s · Has an open assignment"),
                                    kdx_training_department_label (kdx_person_get_department (person)));
      else
        subtitle = g_strdup (kdx_training_department_label (kdx_person_get_department (person)));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (check), "uuid", g_strdup (uuid), g_free);
      g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (uuid), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   taken || g_hash_table_contains (data->chosen, uuid));
      gtk_widget_set_sensitive (check, !taken);
      gtk_widget_set_sensitive (row, !taken);
    }
  while (data->rows->len > people->len)
    {
      gtk_list_box_remove (data->list, data->rows->pdata[data->rows->len - 1]);
      g_ptr_array_set_size (data->rows, data->rows->len - 1);
    }

  gtk_widget_set_visible (data->more_row, matching > shown);
  if (matching > shown)
    {
      g_autofree char *more = NULL;

      /* Translators: in Assign People, below a long list */
      more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u more person: search to find them",
                                           "%u more people: search to find them",
                                           matching - shown), matching - shown);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->more_row), more);
    }
  data->filling = FALSE;
  assigning_update (data);
}

static void
assigning_department_cb (Assigning *data)
{
  guint selected = gtk_drop_down_get_selected (data->department_dropdown);
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) error = NULL;
  const char *department;

  if (data->filling || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (data->departments))
    return;

  /* Everyone of the department is chosen (for a new round, those without
   * an open one); the list shows them ticked. */
  department = data->departments[selected - 1];
  people = kdx_course_dup_department_people (data->store, data->course, department,
                                             data->completing, &error);
  if (people == NULL)
    g_warning ("Cannot list the department: %s", error->message);
  for (guint i = 0; people != NULL && i < people->len; i++)
    g_hash_table_add (data->chosen, g_strdup (people->pdata[i]));
  data->filling = TRUE;
  gtk_drop_down_set_selected (data->department_dropdown, 0);
  data->filling = FALSE;
  assigning_fill (data);
}

/* Escape in the search: the search is cleared, or without one the dialog
 * closes (the search entry takes Escape before the window's shortcut). */
static void
assigning_stop_search_cb (Assigning *data)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (data->search)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (data->search), "");
  else
    gtk_window_close (data->window);
}

static void
assigning_assign_cb (Assigning *data)
{
  KdxCourseView *self = data->view;
  g_autofree char *due = assigning_due (data, NULL);
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;
  guint n = 0;

  if (self == NULL || self->course == NULL || due == NULL)
    return;

  g_hash_table_iter_init (&iter, data->chosen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (uuids, key);
  g_ptr_array_add (uuids, NULL);

  if (data->completing)
    {
      KdxTrainingApplyStats stats = { 0 };

      n = uuids->len - 1;
      if (!kdx_assignment_complete (self->store, course_uuid (self),
                                    (const char * const *) uuids->pdata, due,
                                    score_of (data->score_row), &error))
        {
          /* The dialog stays, with what was chosen, to mend it. */
          show_error (data->error_label, error->message);
          return;
        }
      if (!kdx_training_apply (self->store, course_uuid (self), NULL, &stats, &error))
        g_warning ("Cannot apply the rules of the course: %s", error->message);
      /* Translators: after Record Completions */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u completion recorded",
                                              "%u completions recorded", n), n);
      toast (self, message);
      gtk_window_destroy (data->window);
      return;
    }

  if (!kdx_assignment_assign (self->store, course_uuid (self),
                              (const char * const *) uuids->pdata, due, &n, &error))
    {
      toast (self, error->message);
      return;
    }

  /* Translators: after Assign People */
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person assigned",
                                          "%u people assigned", n), n);
  toast (self, message);
  gtk_window_destroy (data->window);
}

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);
  g_autoptr(GtkStringList) departments = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *due = NULL;
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *top = gtk_list_box_new ();
  GtkWidget *department_row = adw_action_row_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *window;
  Assigning *data;

  if (self->course == NULL || !writable (self))
    return;

  data = g_new0 (Assigning, 1);
  data->view = self;
  data->completing = g_str_equal (action_name, "course.record-completions");
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->view);
  data->store = g_object_ref (self->store);
  data->course = g_strdup (course_uuid (self));
  data->people = kdx_person_model_new (self->store);
  /* The first search need not wait for the search texts. */
  kdx_person_model_preload_search (data->people);
  data->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->departments = kdx_system_dup_departments (self->store);
  if (data->departments == NULL)
    data->departments = g_new0 (char *, 1);

  /* Translators: the first entry of the department list in Assign People */
  gtk_string_list_append (departments, _("Choose…"));
  for (guint i = 0; data->departments[i] != NULL; i++)
    gtk_string_list_append (departments, data->departments[i]);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (top), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (top, "boxed-list");
  data->due_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  if (data->completing)
    {
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->due_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->due_row), _("Completed On"));
      due = shown_day_from_today (0);
      gtk_widget_set_name (GTK_WIDGET (data->due_row), "date-row");
    }
  else
    {
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->due_row), FALSE);
      /* Translators: the date by which the people assigned are to complete the course */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->due_row), _("Due On"));
      due = shown_day_from_today (30);
      gtk_widget_set_name (GTK_WIDGET (data->due_row), "due-row");
    }
  gtk_editable_set_text (GTK_EDITABLE (data->due_row), due);
  gtk_list_box_append (GTK_LIST_BOX (top), GTK_WIDGET (data->due_row));
  if (data->completing)
    {
      data->score_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->score_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->score_row),
                                     _("Score (optional, 0 to 100)"));
      adw_entry_row_set_input_purpose (data->score_row, GTK_INPUT_PURPOSE_NUMBER);
      gtk_widget_set_name (GTK_WIDGET (data->score_row), "score-row");
      gtk_list_box_append (GTK_LIST_BOX (top), GTK_WIDGET (data->score_row));
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (department_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (department_row), _("Add a Whole Department"));
  data->department_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (departments)),
                                                                NULL));
  gtk_drop_down_set_enable_search (data->department_dropdown, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (data->department_dropdown), GTK_ALIGN_CENTER);
  gtk_widget_set_name (GTK_WIDGET (data->department_dropdown), "department-dropdown");
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->department_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add a Whole Department"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (department_row),
                             GTK_WIDGET (data->department_dropdown));
  gtk_list_box_append (GTK_LIST_BOX (top), department_row);
  gtk_box_append (GTK_BOX (body), top);
  data->field_error = error_label_new ();
  gtk_widget_set_name (data->field_error, "date-problem");
  gtk_box_append (GTK_BOX (body), data->field_error);

  data->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (data->search, "placeholder-text", _("Search name, e-mail or department"), NULL);
  gtk_widget_set_name (GTK_WIDGET (data->search), "people-search");
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (data->search));

  data->list = GTK_LIST_BOX (gtk_list_box_new ());
  data->rows = g_ptr_array_new ();
  data->more_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (data->more_row), FALSE);
  gtk_widget_add_css_class (data->more_row, "dim-label");
  gtk_widget_set_visible (data->more_row, FALSE);
  gtk_list_box_append (data->list, data->more_row);
  gtk_list_box_set_selection_mode (data->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (data->list), "boxed-list");
  gtk_widget_set_valign (GTK_WIDGET (data->list), GTK_ALIGN_START);
  gtk_widget_set_name (GTK_WIDGET (data->list), "people-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("People"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (data->list));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (body), scroller);

  data->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (data->count_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (data->count_label), "dim-label");
  gtk_box_append (GTK_BOX (body), GTK_WIDGET (data->count_label));
  data->error_label = error_label_new ();
  gtk_box_append (GTK_BOX (body), data->error_label);

  gtk_widget_set_margin_top (body, 12);
  gtk_widget_set_margin_bottom (body, 12);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);

  if (data->completing)
    {
      window = dialog_new (self, _("Record Completions"), kdx_course_get_title (self->course),
                           _("_Record"), "assign-button", body, 560, 680, &data->assign_button);
    }
  else
    {
      window = dialog_new (self, _("Assign People"), kdx_course_get_title (self->course),
                           _("_Assign"), "assign-button", body, 560, 640, &data->assign_button);
    }
  data->window = GTK_WINDOW (window);
  g_object_set_data_full (G_OBJECT (window), "assign-people", data,
                          (GDestroyNotify) assigning_free);

  g_signal_connect_swapped (data->search, "search-changed", G_CALLBACK (assigning_fill), data);
  g_signal_connect_swapped (data->search, "stop-search", G_CALLBACK (assigning_stop_search_cb),
                            data);
  g_signal_connect_swapped (data->due_row, "changed", G_CALLBACK (assigning_update), data);
  if (data->score_row != NULL)
    g_signal_connect_swapped (data->score_row, "changed", G_CALLBACK (assigning_update), data);
  g_signal_connect_swapped (data->department_dropdown, "notify::selected",
                            G_CALLBACK (assigning_department_cb), data);
  g_signal_connect_swapped (data->assign_button, "clicked", G_CALLBACK (assigning_assign_cb),
                            data);
  assigning_fill (data);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (GTK_WIDGET (data->search));
}

/* ------------------------------------------------------------------ */
/* Details                                                            */

/* Copies the widget's value of @field into @course; FALSE when it is
 * the same. */
static gboolean
apply_field (KdxCourseView *self,
             KdxCourse     *course,
             Field          field)
{
  g_autofree char *text = NULL;
  guint number;
  gboolean flag;

  switch (field)
    {
    case FIELD_TITLE:
      text = kdx_editable_dup_stripped (GTK_EDITABLE (self->title_row));
      if (strings_equal (text, kdx_course_get_title (course)))
        return FALSE;
      kdx_course_set_title (course, text);
      return TRUE;
    case FIELD_TOPIC:
      text = kdx_editable_dup_stripped (GTK_EDITABLE (self->topic_row));
      if (strings_equal (text, kdx_course_get_topic (course)))
        return FALSE;
      kdx_course_set_topic (course, text);
      return TRUE;
    case FIELD_DESCRIPTION:
      text = g_strstrip (text_view_text (self->description_view));
      if (strings_equal (text, kdx_course_get_description (course)))
        return FALSE;
      kdx_course_set_description (course, *text != '\0' ? text : NULL);
      return TRUE;
    case FIELD_DURATION:
      number = gtk_spin_button_get_value_as_int (self->duration_spin);
      if (number == kdx_course_get_duration_minutes (course))
        return FALSE;
      kdx_course_set_duration_minutes (course, number);
      return TRUE;
    case FIELD_VALIDITY:
      number = gtk_spin_button_get_value_as_int (self->validity_spin);
      if (number == kdx_course_get_validity_months (course))
        return FALSE;
      kdx_course_set_validity_months (course, number);
      return TRUE;
    case FIELD_LITERACY:
      flag = gtk_switch_get_active (self->literacy_switch);
      if (flag == kdx_course_get_ai_literacy (course))
        return FALSE;
      kdx_course_set_ai_literacy (course, flag);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* Stores @field as the widgets show it, on top of the course as stored
 * now; an error (a title that is taken) says so and leaves the text. */
static gboolean
save_field (KdxCourseView *self,
            Field          field)
{
  g_autoptr(KdxCourse) fresh = NULL;
  g_autoptr(GError) error = NULL;
  AdwEntryRow *row = field == FIELD_TITLE ? self->title_row
                   : field == FIELD_TOPIC ? self->topic_row : NULL;

  if (self->filling || self->course == NULL || !writable (self))
    return FALSE;

  fresh = kdx_course_load (self->store, course_uuid (self), &error);
  if (fresh == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }

  if (field == FIELD_TITLE && gtk_editable_get_text (GTK_EDITABLE (row))[0] == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, _("A course needs a title"));
      return FALSE;
    }

  if (!apply_field (self, fresh, field))
    {
      if (row != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      return TRUE;
    }

  if (!kdx_course_update (self->store, fresh, &error))
    {
      if (row != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, error->message);
      return FALSE;
    }
  if (row != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  g_set_object (&self->course, fresh);

  return TRUE;
}

static void
entry_applied_cb (KdxCourseView *self,
                  AdwEntryRow   *row)
{
  save_field (self, row == self->title_row ? FIELD_TITLE : FIELD_TOPIC);
}

static void
entry_leave_cb (GtkEventControllerFocus *controller,
                KdxCourseView           *self)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));

  if (self->course == NULL || self->filling)
    return;
  if (save_field (self, row == self->title_row ? FIELD_TITLE : FIELD_TOPIC))
    reset_apply_button (row);
}

static void
description_leave_cb (GtkEventControllerFocus *controller,
                      KdxCourseView           *self)
{
  save_field (self, FIELD_DESCRIPTION);
}

static void
update_validity_subtitle (KdxCourseView *self)
{
  g_autofree char *text = kdx_training_validity_text (gtk_spin_button_get_value_as_int (self->validity_spin));

  adw_action_row_set_subtitle (self->validity_row, text);
}

static gboolean
spin_save_cb (gpointer user_data)
{
  KdxCourseView *self = user_data;

  self->spin_timeout = 0;
  save_field (self, FIELD_DURATION);
  save_field (self, FIELD_VALIDITY);

  return G_SOURCE_REMOVE;
}

/* Clicking through the months stores the number it stops at. */
static void
spin_changed_cb (KdxCourseView *self)
{
  update_validity_subtitle (self);
  if (self->filling)
    return;
  g_clear_handle_id (&self->spin_timeout, g_source_remove);
  self->spin_timeout = g_timeout_add (SPIN_SAVE_DELAY_MS, spin_save_cb, self);
}

static void
flush_spins (KdxCourseView *self)
{
  if (self->spin_timeout == 0)
    return;
  g_clear_handle_id (&self->spin_timeout, g_source_remove);
  spin_save_cb (self);
}

static void
literacy_toggled_cb (KdxCourseView *self)
{
  save_field (self, FIELD_LITERACY);
}

static void
watch_focus (KdxCourseView *self,
             GtkWidget     *widget,
             GCallback      leave_cb)
{
  GtkEventController *controller = gtk_event_controller_focus_new ();

  g_signal_connect (controller, "leave", leave_cb, self);
  gtk_widget_add_controller (widget, controller);
}

/* ------------------------------------------------------------------ */
/* Filling the view                                                   */

static void
update_header (KdxCourseView *self)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *validity = NULL;
  g_autofree char *duration = NULL;
  KdxCourse *c = self->course;

  if (c == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->subtitle_label, "");
      gtk_widget_set_visible (self->literacy_label, FALSE);
      return;
    }

  gtk_label_set_label (self->title_label, kdx_course_get_title (c));
  g_string_append (subtitle, kdx_course_get_key (c) ? kdx_course_get_key (c) : "");
  if (kdx_course_get_topic (c) != NULL)
    g_string_append_printf (subtitle, " · %s", kdx_course_get_topic (c));
  duration = kdx_training_duration_text (kdx_course_get_duration_minutes (c));
  if (*duration != '\0')
    g_string_append_printf (subtitle, " · %s", duration);
  validity = kdx_training_validity_text (kdx_course_get_validity_months (c));
  if (kdx_course_get_validity_months (c) > 0)
    /* Translators: in a course's subtitle: "valid for 12 months" */
    g_string_append_printf (subtitle, _(" · valid for %s"), validity);
  else
    g_string_append_printf (subtitle, " · %s", validity);
  gtk_label_set_label (self->subtitle_label, subtitle->str);
  gtk_widget_set_visible (self->literacy_label, kdx_course_get_ai_literacy (c));
}

static void
fill_details (KdxCourseView *self,
              KdxCourse     *before)
{
  KdxCourse *c = self->course;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *description = NULL;
  const char *stored;

  set_entry (self->title_row, kdx_course_get_title (c), before ? kdx_course_get_title (before) : NULL);
  set_entry (self->topic_row, kdx_course_get_topic (c), before ? kdx_course_get_topic (before) : NULL);
  if (self->spin_timeout == 0)
    {
      gtk_spin_button_set_value (self->duration_spin, kdx_course_get_duration_minutes (c));
      gtk_spin_button_set_value (self->validity_spin, kdx_course_get_validity_months (c));
    }
  update_validity_subtitle (self);
  gtk_switch_set_active (self->literacy_switch, kdx_course_get_ai_literacy (c));

  /* The description stays as typed while it has the focus. */
  stored = kdx_course_get_description (c);
  description = text_view_text (self->description_view);
  if (!gtk_widget_has_focus (GTK_WIDGET (self->description_view)) &&
      !strings_equal (g_strstrip (description), stored))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view),
                              stored ? stored : "", -1);

  created = kdx_format_time (kdx_course_get_created (c));
  modified = kdx_format_time (kdx_course_get_modified (c));
  adw_action_row_set_subtitle (self->created_row, created);
  adw_action_row_set_subtitle (self->modified_row, modified);
}

static void
update_actions (KdxCourseView *self)
{
  gboolean can = self->course != NULL && writable (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.trash", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.add-rule", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.link-policy", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.assign", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "course.record-completions", can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->title_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->topic_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->duration_spin), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->validity_spin), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->literacy_switch), can);
  gtk_text_view_set_editable (self->description_view, can);
  update_round_actions (self);
}

/* The details, and with @rounds the rounds. */
static void
fill (KdxCourseView *self,
      KdxCourse     *before,
      gboolean       rounds)
{
  self->filling = TRUE;
  update_header (self);
  if (self->course != NULL)
    fill_details (self, before);
  fill_rules (self);
  fill_policies (self);
  self->filling = FALSE;
  if (rounds)
    refresh_rounds (self);
  update_actions (self);
}

static void
reload (KdxCourseView *self,
        gboolean       rounds)
{
  g_autoptr(KdxCourse) before = NULL;
  g_autoptr(KdxCourse) loaded = NULL;
  g_autoptr(GError) error = NULL;

  self->dirty = FALSE;
  if (self->store == NULL || self->course == NULL)
    return;

  loaded = kdx_course_load (self->store, course_uuid (self), &error);
  if (loaded == NULL)
    {
      g_warning ("Cannot reload the course: %s", error->message);
      return;
    }

  before = g_steal_pointer (&self->course);
  self->course = g_steal_pointer (&loaded);
  /* A course trashed or restored has its rounds listed or not. */
  if (g_strcmp0 (kdx_course_get_trashed (before), kdx_course_get_trashed (self->course)) != 0)
    rounds = TRUE;
  fill (self, before, rounds);
}

/* Shows what the changes in the store since the last time may have
 * changed. */
static void
refresh (KdxCourseView *self)
{
  gboolean rounds = self->rounds_stale;
  gboolean details = self->details_stale;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->rounds_stale = FALSE;
  self->details_stale = FALSE;
  if (details)
    reload (self, rounds);
  else if (rounds)
    refresh_rounds (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  KdxCourseView *self = user_data;

  self->refresh_id = 0;
  refresh (self);

  return G_SOURCE_REMOVE;
}

/* One action may commit several transactions (Mark Complete… completes,
 * then assigns the next rounds): the view is refreshed once, after them,
 * before the next frame. */
static void
store_changed_cb (KdxStore      *store,
                  const char    *entity,
                  GArray        *ids,
                  KdxCourseView *self)
{
  gboolean rounds, details;

  if (self->course == NULL)
    return;

  /* The rounds show people's names and departments; the details show the
   * rules (with systems' names) and the policies' titles. */
  rounds = entity == NULL || g_str_has_prefix (entity, "training") ||
           (g_str_has_prefix (entity, "assignment") && g_strcmp0 (entity, "assignment-rule") != 0) ||
           g_strcmp0 (entity, "person") == 0 || g_strcmp0 (entity, "import") == 0;
  details = entity == NULL || g_str_has_prefix (entity, "training") ||
            g_str_has_prefix (entity, "course") || g_strcmp0 (entity, "assignment-rule") == 0 ||
            g_strcmp0 (entity, "policy") == 0 || g_strcmp0 (entity, "ai_system") == 0 ||
            g_strcmp0 (entity, "import") == 0;
  if (!rounds && !details)
    return;

  self->rounds_stale |= rounds;
  self->details_stale |= details;
  if (kdx_section_should_fill (GTK_WIDGET (self), &self->dirty) && self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_cb, self, NULL);
}

/* ------------------------------------------------------------------ */
/* Trash                                                              */

static void
trash_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);
  g_autoptr(KdxCourse) course = self->course ? g_object_ref (self->course) : NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;

  if (course == NULL || !writable (self))
    return;

  kdx_course_view_flush (self);
  if (!kdx_course_trash (self->store, kdx_course_get_uuid (course), &error))
    {
      toast (self, error->message);
      return;
    }

  gtk_widget_activate_action (widget, "training.back", NULL);
  kdx_course_view_set_course (self, NULL, NULL);

  /* The window's trash toast: Undo on it and Ctrl+Z bring the course back. */
  window = gtk_widget_get_ancestor (widget, KDX_TYPE_WINDOW);
  if (window != NULL)
    kdx_window_toast_trashed (KDX_WINDOW (window), "course", kdx_course_get_uuid (course),
                              kdx_course_get_title (course));
}

/* ------------------------------------------------------------------ */

static void
kdx_course_view_map (GtkWidget *widget)
{
  KdxCourseView *self = KDX_COURSE_VIEW (widget);

  GTK_WIDGET_CLASS (kdx_course_view_parent_class)->map (widget);

  if (self->dirty)
    {
      self->dirty = FALSE;
      refresh (self);
    }
}

static void
kdx_course_view_dispose (GObject *object)
{
  KdxCourseView *self = KDX_COURSE_VIEW (object);

  if (self->course != NULL && !self->filling)
    kdx_course_view_flush (self);
  g_clear_handle_id (&self->spin_timeout, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->assignment_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->assignment_view),
                                          self);
  kdx_section_clear_store (GTK_WIDGET (self), &self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_COURSE_VIEW);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  if (self->assignments != NULL)
    g_signal_handlers_disconnect_by_data (self->assignments, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->assignments);
  g_clear_object (&self->course);

  G_OBJECT_CLASS (kdx_course_view_parent_class)->dispose (object);
}

static void
kdx_course_view_class_init (KdxCourseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_course_view_dispose;
  widget_class->map = kdx_course_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-course-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, title_label);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, literacy_label);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, completion_level);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, assignment_search);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, assignment_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, assignment_view);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, assignment_count);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, rules_list);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, policies_list);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, title_row);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, topic_row);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, validity_row);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, validity_spin);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, literacy_switch);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, description_view);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, created_row);
  gtk_widget_class_bind_template_child (widget_class, KdxCourseView, modified_row);
  gtk_widget_class_bind_template_callback (widget_class, refilter_cb);
  gtk_widget_class_bind_template_callback (widget_class, assignment_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, literacy_toggled_cb);

  gtk_widget_class_install_action (widget_class, "course.trash", NULL, trash_action);
  gtk_widget_class_install_action (widget_class, "course.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "course.link-policy", NULL, link_policy_action);
  gtk_widget_class_install_action (widget_class, "course.assign", NULL, assign_action);
  gtk_widget_class_install_action (widget_class, "course.record-completions", NULL,
                                   assign_action);
  gtk_widget_class_install_action (widget_class, "course.mark-complete", NULL,
                                   mark_complete_action);
  gtk_widget_class_install_action (widget_class, "course.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "course.remove-round", NULL,
                                   remove_round_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_course_view_init (KdxCourseView *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (statuses, _("Every Status"));
  for (int i = 0; i < KDX_ASSIGNMENT_N_STATUSES; i++)
    gtk_string_list_append (statuses, kdx_assignment_status_get_label (i));
  self->filling = TRUE;
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
  self->filling = FALSE;

  self->sort = KDX_ASSIGNMENT_SORT_PERSON;
  build_columns (self);
  watch_focus (self, GTK_WIDGET (self->title_row), G_CALLBACK (entry_leave_cb));
  watch_focus (self, GTK_WIDGET (self->topic_row), G_CALLBACK (entry_leave_cb));
  watch_focus (self, GTK_WIDGET (self->description_view), G_CALLBACK (description_leave_cb));
  update_header (self);
  update_actions (self);
}

KdxCourseView *
kdx_course_view_new (void)
{
  return g_object_new (KDX_TYPE_COURSE_VIEW, NULL);
}

void
kdx_course_view_set_course (KdxCourseView *self,
                            KdxStore      *store,
                            const char    *uuid)
{
  g_autoptr(KdxCourse) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gboolean same;

  g_return_if_fail (KDX_IS_COURSE_VIEW (self));

  kdx_course_view_flush (self);

  if (kdx_section_set_store (GTK_WIDGET (self), &self->store, store,
                             G_CALLBACK (store_changed_cb)))
    {
      if (self->selection != NULL)
        g_signal_handlers_disconnect_by_data (self->selection, self);
      if (self->assignments != NULL)
        g_signal_handlers_disconnect_by_data (self->assignments, self);
      gtk_column_view_set_model (self->assignment_view, NULL);
      g_clear_object (&self->selection);
      g_clear_object (&self->rows);
      g_clear_object (&self->assignments);
      if (store != NULL)
        {
          self->assignments = kdx_course_rounds_new (store);
          self->rows = kdx_query_model_get_rows (KDX_QUERY_MODEL (self->assignments));
          g_signal_connect_swapped (self->assignments, "reloaded",
                                    G_CALLBACK (rounds_reloaded_cb), self);
          self->selection = gtk_multi_selection_new (g_object_ref (self->rows));
          g_signal_connect_swapped (self->selection, "selection-changed",
                                    G_CALLBACK (selection_changed_cb), self);
          g_signal_connect_swapped (self->selection, "items-changed",
                                    G_CALLBACK (selection_changed_cb), self);
          gtk_column_view_set_model (self->assignment_view, GTK_SELECTION_MODEL (self->selection));
        }
    }

  if (store != NULL && uuid != NULL)
    {
      loaded = kdx_course_load (store, uuid, &error);
      if (loaded == NULL)
        toast (self, error->message);
    }

  same = self->course != NULL && loaded != NULL &&
         g_str_equal (kdx_course_get_uuid (self->course), kdx_course_get_uuid (loaded));
  g_set_object (&self->course, loaded);

  if (!same)
    {
      /* Another course opens on its rounds, unfiltered, with nothing
       * typed for the one before. */
      self->filling = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view), "", -1);
      gtk_editable_set_text (GTK_EDITABLE (self->assignment_search), "");
      gtk_drop_down_set_selected (self->status_dropdown, 0);
      self->filling = FALSE;
      adw_view_stack_set_visible_child_name (self->view_stack, "assignments");
    }

  /* All is shown as it is now. */
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->rounds_stale = FALSE;
  self->details_stale = FALSE;
  self->dirty = FALSE;
  fill (self, NULL, TRUE);
}

const char *
kdx_course_view_get_course (KdxCourseView *self)
{
  g_return_val_if_fail (KDX_IS_COURSE_VIEW (self), NULL);

  return course_uuid (self);
}

void
kdx_course_view_show_section (KdxCourseView *self,
                              const char    *section)
{
  g_return_if_fail (KDX_IS_COURSE_VIEW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, section);
}

void
kdx_course_view_focus_search (KdxCourseView *self)
{
  g_return_if_fail (KDX_IS_COURSE_VIEW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "assignments");
  gtk_widget_grab_focus (GTK_WIDGET (self->assignment_search));
}

void
kdx_course_view_flush (KdxCourseView *self)
{
  g_return_if_fail (KDX_IS_COURSE_VIEW (self));

  if (self->course == NULL)
    return;

  flush_spins (self);
  if (contains_focus (GTK_WIDGET (self->title_row)))
    save_field (self, FIELD_TITLE);
  if (contains_focus (GTK_WIDGET (self->topic_row)))
    save_field (self, FIELD_TOPIC);
  if (gtk_widget_has_focus (GTK_WIDGET (self->description_view)))
    save_field (self, FIELD_DESCRIPTION);
}

GListModel *
kdx_course_view_get_assignments (KdxCourseView *self)
{
  g_return_val_if_fail (KDX_IS_COURSE_VIEW (self), NULL);

  return self->assignments;
}

GtkSelectionModel *
kdx_course_view_get_selection (KdxCourseView *self)
{
  g_return_val_if_fail (KDX_IS_COURSE_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}
