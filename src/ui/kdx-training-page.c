/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Training area: the courses with their completion, what is overdue
 * and what expires soon; a new course; a department's people against
 * their courses (a manager's view of their team); every overdue
 * assignment of the organisation, the longest overdue first; and, a level
 * deeper, the view of one course and the transcript of one person.
 */
#define G_LOG_DOMAIN "kdx-training-page"

#include "config.h"

#include "kdx-training-page.h"

#include "kdx-course-view.h"
#include "kdx-csv.h"
#include "kdx-date.h"
#include "kdx-format.h"
#include "kdx-import-dialog.h"
#include "kdx-mapping-widgets.h"
#include "kdx-query-model.h"
#include "kdx-transcript.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

struct _KdxTrainingPage
{
  GtkWidget           parent_instance;

  GtkStack           *main_stack;
  GtkMenuButton      *import_button;
  AdwViewStack       *browse_stack;
  GtkSearchEntry     *search_entry;
  GtkStack           *content_stack;
  GtkColumnView      *course_view;
  GtkLabel           *count_label;
  GtkWidget          *department_bar;
  GtkDropDown        *department_dropdown;
  GtkLevelBar        *department_level;
  GtkLabel           *department_summary;
  GtkBox             *department_counts;
  GtkStack           *department_stack;
  GtkColumnView      *people_view;
  GtkWidget          *department_hint;
  GtkWidget          *overdue_bar;
  GtkLabel           *overdue_summary;
  GtkStack           *overdue_stack;
  GtkColumnView      *overdue_view;
  GtkWidget          *overdue_hint;
  KdxCourseView      *view;          /* made when first needed */
  KdxTranscript      *transcript;    /* made when first needed */

  KdxStore           *store;
  GListStore         *courses;       /* KdxTrainingCourseRow, as core lists them */
  GtkCustomFilter    *course_filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkSingleSelection *course_selection;
  GListStore         *people;        /* KdxTrainingPersonRow of the department shown */
  GtkSingleSelection *people_selection;
  GPtrArray          *departments;   /* KdxTrainingSummary, as in the drop-down */
  char               *department;    /* the one chosen */
  char               *return_to;     /* where Back goes from a transcript */
  /* The Overdue view's list: it follows the store, so it is there only
   * while the view is shown (KdxAssignmentItem, by KdxQueryRow). */
  GListModel         *overdue;
  GListModel         *overdue_rows;
  GtkSingleSelection *overdue_selection;
  KdxAssignmentSort   overdue_sort;
  gboolean            overdue_descending;
  gboolean            filling;       /* the drop-down being rebuilt */
  gboolean            courses_dirty; /* the store changed while not shown */
  gboolean            people_dirty;
};

G_DEFINE_FINAL_TYPE (KdxTrainingPage, kdx_training_page, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Rows                                                               */

struct _KdxTrainingCourseRow
{
  GObject             parent_instance;
  KdxCourse          *course;
  KdxTrainingSummary *summary;   /* never NULL: zeros for a course nobody has */
};

G_DEFINE_FINAL_TYPE (KdxTrainingCourseRow, kdx_training_course_row, G_TYPE_OBJECT)

static void
kdx_training_course_row_finalize (GObject *object)
{
  KdxTrainingCourseRow *self = KDX_TRAINING_COURSE_ROW (object);

  g_clear_object (&self->course);
  g_clear_pointer (&self->summary, kdx_training_summary_free);

  G_OBJECT_CLASS (kdx_training_course_row_parent_class)->finalize (object);
}

static void
kdx_training_course_row_class_init (KdxTrainingCourseRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_training_course_row_finalize;
}

static void
kdx_training_course_row_init (KdxTrainingCourseRow *self)
{
}

KdxCourse *
kdx_training_course_row_get_course (KdxTrainingCourseRow *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_COURSE_ROW (self), NULL);

  return self->course;
}

const KdxTrainingSummary *
kdx_training_course_row_get_summary (KdxTrainingCourseRow *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_COURSE_ROW (self), NULL);

  return self->summary;
}

struct _KdxTrainingPersonRow
{
  GObject             parent_instance;
  KdxTrainingSummary *summary;    /* key: the person's uuid, label: their name */
  GHashTable         *statuses;   /* course uuid → status + 1 */
};

G_DEFINE_FINAL_TYPE (KdxTrainingPersonRow, kdx_training_person_row, G_TYPE_OBJECT)

static void
kdx_training_person_row_finalize (GObject *object)
{
  KdxTrainingPersonRow *self = KDX_TRAINING_PERSON_ROW (object);

  g_clear_pointer (&self->summary, kdx_training_summary_free);
  g_clear_pointer (&self->statuses, g_hash_table_unref);

  G_OBJECT_CLASS (kdx_training_person_row_parent_class)->finalize (object);
}

static void
kdx_training_person_row_class_init (KdxTrainingPersonRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_training_person_row_finalize;
}

static void
kdx_training_person_row_init (KdxTrainingPersonRow *self)
{
  self->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

const KdxTrainingSummary *
kdx_training_person_row_get_summary (KdxTrainingPersonRow *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_PERSON_ROW (self), NULL);

  return self->summary;
}

int
kdx_training_person_row_get_status (KdxTrainingPersonRow *self,
                                    const char           *course)
{
  g_return_val_if_fail (KDX_IS_TRAINING_PERSON_ROW (self), -1);

  return GPOINTER_TO_INT (g_hash_table_lookup (self->statuses, course)) - 1;
}

/* ------------------------------------------------------------------ */
/* What the Training views share                                      */

static const char *status_classes[KDX_ASSIGNMENT_N_STATUSES] = {
  "kdx-training-assigned", "kdx-training-overdue", "kdx-training-completed",
  "kdx-training-expiring", "kdx-training-expired",
};

GtkWidget *
kdx_training_pill_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "kdx-status");

  return label;
}

void
kdx_training_pill_set (GtkWidget           *pill,
                       KdxAssignmentStatus  status)
{
  g_return_if_fail (GTK_IS_LABEL (pill));

  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    if ((guint) status != i)
      gtk_widget_remove_css_class (pill, status_classes[i]);
  if ((guint) status >= KDX_ASSIGNMENT_N_STATUSES)
    {
      gtk_label_set_label (GTK_LABEL (pill), "");
      return;
    }
  gtk_label_set_label (GTK_LABEL (pill), kdx_assignment_status_get_label (status));
  gtk_widget_add_css_class (pill, status_classes[status]);
}

char *
kdx_training_validity_text (guint months)
{
  if (months == 0)
    /* Translators: a course whose completion stays valid */
    return g_strdup (_("Never expires"));

  /* Translators: how long a completion of a course stays valid */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u month", "%u months", months), months);
}

char *
kdx_training_duration_text (guint minutes)
{
  if (minutes == 0)
    return g_strdup ("");
  if (minutes < 60)
    /* Translators: the duration of a course in minutes */
    return g_strdup_printf (_("%u min"), minutes);
  if (minutes % 60 == 0)
    /* Translators: the duration of a course in hours */
    return g_strdup_printf (_("%u h"), minutes / 60);

  /* Translators: the duration of a course in hours and minutes */
  return g_strdup_printf (_("%u h %u min"), minutes / 60, minutes % 60);
}

char *
kdx_training_day_from_today (int days)
{
  g_autofree char *today = kdx_date_today ();

  return kdx_date_add_days (today, days);
}

const char *
kdx_training_department_label (const char *department)
{
  if (department == NULL || *department == '\0')
    /* Translators: the people whose department is not known */
    return _("No department");

  return department;
}

/* Replaces the string in @slot with a copy of @value. */
static void
set_str (char       **slot,
         const char  *value)
{
  char *copy;

  if (*slot == value)
    return;
  copy = g_strdup (value);
  g_free (*slot);
  *slot = copy;
}

static char *
percent_text (double fraction)
{
  /* Translators: a share in per cent; German: "%.0f %%" with a no-break space */
  return g_strdup_printf (_("%.0f %%"), CLAMP (fraction, 0, 1) * 100);
}

/* The colour of a completion bar (0–1), with the offsets of a system's
 * catalog bars (kdx-system-frameworks.c): blue, and green only above
 * 99 % (Adwaita draws "low" and "high" alike) — not GTK's defaults,
 * where 75 % is blue and 79 % green. */
static void
set_completion_offsets (GtkLevelBar *bar)
{
  gtk_level_bar_add_offset_value (bar, GTK_LEVEL_BAR_OFFSET_LOW, 0.5);
  gtk_level_bar_add_offset_value (bar, GTK_LEVEL_BAR_OFFSET_HIGH, 0.99);
  gtk_level_bar_add_offset_value (bar, GTK_LEVEL_BAR_OFFSET_FULL, 1.0);
}

/* The completions that expire soon, by the days left; the counts of core
 * are cumulative, these are not. */
static char *
expiring_tooltip (const KdxTrainingSummary *s)
{
  guint in_30 = s->n_expiring_30;
  guint in_60 = s->n_expiring_60 >= in_30 ? s->n_expiring_60 - in_30 : 0;
  guint in_90 = s->n_expiring_90 >= s->n_expiring_60 ? s->n_expiring_90 - s->n_expiring_60 : 0;

  /* Translators: the tooltip of a count of completions that expire within
   * 90 days, by the days left; the ranges do not overlap */
  return g_strdup_printf (_("Expiring within 30 days: %u · in 31–60 days: %u · in 61–90 days: %u"),
                          in_30, in_60, in_90);
}

/* A count in a table: the number alone, as the column says what it
 * counts; in a pill of @pill_class when it is not 0, dimmed when it is. */
static void
set_count_cell (GtkWidget  *label,
                guint       count,
                const char *pill_class)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  gtk_label_set_label (GTK_LABEL (label), text);
  if (count > 0 && pill_class != NULL)
    {
      gtk_widget_add_css_class (label, "kdx-status");
      gtk_widget_add_css_class (label, pill_class);
    }
  else if (pill_class != NULL)
    {
      gtk_widget_remove_css_class (label, "kdx-status");
      gtk_widget_remove_css_class (label, pill_class);
    }
  if (count == 0)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

/* ------------------------------------------------------------------ */
/* The course list                                                    */

/* The course's key, topic and validity are on its caption line: the
 * columns are for what changes as people take it (and fit beside two
 * lines of title at 960 pixels). */
typedef enum
{
  CELL_COURSE,
  CELL_PEOPLE,
  CELL_COMPLETION,
  CELL_OVERDUE,
  CELL_EXPIRING,
  N_CELLS
} CourseCell;

static const struct
{
  const char *title;
  gboolean    expand;
} course_columns[N_CELLS] = {
  { N_("Course"), TRUE },
  /* Translators: column header: the number of people who have to take a course */
  { N_("People"), FALSE },
  { N_("Completion"), FALSE },
  { N_("Overdue"), FALSE },
  /* Translators: column header: completions that expire within 90 days,
   * as the status of that name */
  { N_("Expiring"), FALSE },
};

static GtkWidget *
text_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);

  return label;
}

static GtkWidget *
literacy_badge_new (void)
{
  /* Translators: the badge of a course that counts toward AI literacy */
  GtkWidget *badge = gtk_label_new (_("AI Literacy"));

  gtk_widget_add_css_class (badge, "kdx-status");
  gtk_widget_add_css_class (badge, "kdx-training-literacy");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (badge, _("Counts toward the AI literacy that Article 4 of the "
                                        "EU AI Act asks of everyone who works with AI systems"));

  return badge;
}

/* "CRS-001 · Data protection · valid for 12 months", as a course's
 * subtitle in its view. */
static char *
caption_text (KdxCourse *course)
{
  GString *text = g_string_new (kdx_course_get_key (course));
  g_autofree char *validity = kdx_training_validity_text (kdx_course_get_validity_months (course));

  if (kdx_course_get_topic (course) != NULL)
    g_string_append_printf (text, " · %s", kdx_course_get_topic (course));
  if (kdx_course_get_validity_months (course) > 0)
    /* Translators: in a course's subtitle: "valid for 12 months" */
    g_string_append_printf (text, _(" · valid for %s"), validity);
  else
    g_string_append_printf (text, " · %s", validity);

  return g_string_free (text, FALSE);
}

static void
set_cell_child (GtkListItem *item,
                GtkWidget   *child)
{
  gtk_widget_set_margin_top (child, 4);
  gtk_widget_set_margin_bottom (child, 4);
  gtk_list_item_set_child (item, child);
}

static void
setup_course_cell_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  CourseCell cell = GPOINTER_TO_UINT (user_data);
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *level;

  switch (cell)
    {
    case CELL_COURSE:
      /* The title, on up to two lines, and below it the key and topic
       * with the badge: the badge takes no width from the title. */
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      label = text_label_new ();
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 2);
      gtk_label_set_width_chars (GTK_LABEL (label), 16);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
      gtk_box_append (GTK_BOX (box), label);
      level = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      label = text_label_new ();
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (level), label);
      gtk_box_append (GTK_BOX (level), literacy_badge_new ());
      gtk_box_append (GTK_BOX (box), level);
      set_cell_child (item, box);
      break;
    case CELL_COMPLETION:
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      level = gtk_level_bar_new_for_interval (0, 1);
      set_completion_offsets (GTK_LEVEL_BAR (level));
      gtk_widget_set_size_request (level, 72, -1);
      gtk_widget_set_valign (level, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), level);
      label = gtk_label_new (NULL);
      gtk_label_set_width_chars (GTK_LABEL (label), 5);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (box), label);
      set_cell_child (item, box);
      break;
    case CELL_OVERDUE:
    case CELL_EXPIRING:
      label = gtk_label_new (NULL);
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "numeric");
      set_cell_child (item, label);
      break;
    case CELL_PEOPLE:
    case N_CELLS:
    default:
      label = text_label_new ();
      gtk_widget_add_css_class (label, "numeric");
      set_cell_child (item, label);
      break;
    }
}

static void
bind_course_cell_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  CourseCell cell = GPOINTER_TO_UINT (user_data);
  KdxTrainingCourseRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  const KdxTrainingSummary *s = row->summary;
  KdxCourse *course = row->course;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *caption;
  guint overdue;

  switch (cell)
    {
    case CELL_COURSE:
      gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (child)),
                           kdx_course_get_title (course));
      caption = gtk_widget_get_last_child (child);
      text = caption_text (course);
      gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (caption)), text);
      gtk_widget_set_tooltip_text (gtk_widget_get_first_child (caption), text);
      gtk_widget_set_visible (gtk_widget_get_last_child (caption),
                              kdx_course_get_ai_literacy (course));
      break;
    case CELL_PEOPLE:
      text = g_strdup_printf ("%u", s->n_people);
      gtk_label_set_label (GTK_LABEL (child), text);
      break;
    case CELL_COMPLETION:
      gtk_level_bar_set_value (GTK_LEVEL_BAR (gtk_widget_get_first_child (child)),
                               CLAMP (s->completion, 0, 1));
      text = s->n_people > 0 ? percent_text (s->completion) : g_strdup ("—");
      gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (child)), text);
      /* Translators: the tooltip of a course's completion: "12 of 20 people hold a valid completion" */
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u of %u person holds a valid completion",
                                              "%u of %u people hold a valid completion",
                                              s->n_people),
                                 s->n_status[KDX_ASSIGNMENT_COMPLETED] +
                                 s->n_status[KDX_ASSIGNMENT_EXPIRING], s->n_people);
      gtk_widget_set_tooltip_text (child, tooltip);
      break;
    case CELL_OVERDUE:
      overdue = s->n_status[KDX_ASSIGNMENT_OVERDUE];
      set_count_cell (child, overdue, "kdx-training-overdue");
      /* Translators: in the course list: the number of people overdue */
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u overdue", "%u overdue",
                                              overdue), overdue);
      gtk_widget_set_tooltip_text (child, tooltip);
      break;
    case CELL_EXPIRING:
      set_count_cell (child, s->n_expiring_90, NULL);
      tooltip = expiring_tooltip (s);
      gtk_widget_set_tooltip_text (child, tooltip);
      break;
    case N_CELLS:
    default:
      g_assert_not_reached ();
    }
}

static int
compare_courses (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  KdxTrainingCourseRow *x = (KdxTrainingCourseRow *) a;
  KdxTrainingCourseRow *y = (KdxTrainingCourseRow *) b;
  CourseCell cell = GPOINTER_TO_UINT (user_data);
  double dx = 0, dy = 0;

  switch (cell)
    {
    case CELL_PEOPLE:
      dx = x->summary->n_people;
      dy = y->summary->n_people;
      break;
    case CELL_COMPLETION:
      dx = x->summary->completion;
      dy = y->summary->completion;
      break;
    case CELL_OVERDUE:
      dx = x->summary->n_status[KDX_ASSIGNMENT_OVERDUE];
      dy = y->summary->n_status[KDX_ASSIGNMENT_OVERDUE];
      break;
    case CELL_EXPIRING:
      dx = x->summary->n_expiring_90;
      dy = y->summary->n_expiring_90;
      break;
    case CELL_COURSE:
    case N_CELLS:
    default:
      break;
    }

  if (dx != dy)
    return dx < dy ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;

  /* Then by title, as core lists them. */
  return gtk_ordering_from_cmpfunc (g_utf8_collate (kdx_course_get_title (x->course),
                                                    kdx_course_get_title (y->course)));
}

static void
build_course_columns (KdxTrainingPage *self)
{
  for (guint i = 0; i < N_CELLS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_course_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_course_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(course_columns[i].title), factory);
      gtk_column_view_column_set_expand (column, course_columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_courses, GUINT_TO_POINTER (i), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (self->course_view, column);
    }
}

static gboolean
course_matches (gpointer item,
                gpointer user_data)
{
  KdxTrainingPage *self = user_data;
  KdxTrainingCourseRow *row = item;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *topic = kdx_course_get_topic (row->course);
  const char *key = kdx_course_get_key (row->course);
  g_autofree char *needle = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *haystack = NULL;

  if (*text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  joined = g_strdup_printf ("%s\n%s\n%s", kdx_course_get_title (row->course),
                            topic ? topic : "", key ? key : "");
  haystack = g_utf8_casefold (joined, -1);

  return strstr (haystack, needle) != NULL;
}

static void
update_course_state (KdxTrainingPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->courses));
  guint literacy = 0, overdue = 0;
  g_autofree char *count = NULL;

  for (guint i = 0; i < total; i++)
    {
      g_autoptr(KdxTrainingCourseRow) row = g_list_model_get_item (G_LIST_MODEL (self->courses), i);

      if (kdx_course_get_ai_literacy (row->course))
        literacy++;
      overdue += row->summary->n_status[KDX_ASSIGNMENT_OVERDUE];
    }

  if (n > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  else if (total > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "empty");

  if (total > 0)
    {
      /* The pieces carry their own numbers. */
      g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u course",
                                                         "%u courses", total), total);
      g_autofree char *b = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u for AI literacy",
                                                         "%u for AI literacy", literacy),
                                            literacy);
      g_autofree char *c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u assignment overdue",
                                                         "%u assignments overdue", overdue), overdue);

      /* Translators: below the course list: "4 courses, 2 for AI literacy · 3 rounds overdue" */
      count = g_strdup_printf (_("%s, %s · %s"), a, b, c);
    }
  gtk_label_set_label (self->count_label, count);
}

static void
refresh_courses (KdxTrainingPage *self)
{
  g_autoptr(GPtrArray) courses = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GHashTable) by_course = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) kdx_training_summary_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  self->courses_dirty = FALSE;
  if (self->store != NULL)
    {
      courses = kdx_course_list (self->store, &error);
      if (courses == NULL)
        {
          g_warning ("Cannot list the courses: %s", error->message);
          g_clear_error (&error);
        }
      summaries = kdx_training_status (self->store, KDX_TRAINING_BY_COURSE, NULL, NULL, NULL,
                                       NULL, &error);
      if (summaries == NULL)
        g_warning ("Cannot count the courses' rounds: %s", error->message);
    }

  /* The summaries move into the rows; those of no course listed go. */
  for (guint i = 0; summaries != NULL && i < summaries->len; i++)
    {
      KdxTrainingSummary *s = g_steal_pointer (&summaries->pdata[i]);

      g_hash_table_replace (by_course, s->key, s);
    }

  for (guint i = 0; courses != NULL && i < courses->len; i++)
    {
      KdxTrainingCourseRow *row = g_object_new (KDX_TYPE_TRAINING_COURSE_ROW, NULL);
      gpointer s = NULL;

      row->course = g_object_ref (courses->pdata[i]);
      if (!g_hash_table_steal_extended (by_course, kdx_course_get_uuid (row->course), NULL, &s))
        s = g_new0 (KdxTrainingSummary, 1);
      row->summary = s;
      g_ptr_array_add (rows, row);
    }

  g_list_store_splice (self->courses, 0, g_list_model_get_n_items (G_LIST_MODEL (self->courses)),
                       rows->pdata, rows->len);
  update_course_state (self);
}

static void
search_changed_cb (KdxTrainingPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->course_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_course_state (self);
}

static void
course_activated_cb (KdxTrainingPage *self,
                     guint            position)
{
  g_autoptr(KdxTrainingCourseRow) row = g_list_model_get_item (G_LIST_MODEL (self->sorted),
                                                               position);

  if (row != NULL)
    kdx_training_page_show_course (self, kdx_course_get_uuid (row->course));
}

static void
search_activate_cb (KdxTrainingPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) == 1)
    course_activated_cb (self, 0);
}

/* ------------------------------------------------------------------ */
/* Departments                                                        */

/* The person's name, a pill per course, and what they have done. */
enum
{
  PEOPLE_NAME,
  PEOPLE_DONE,
  PEOPLE_OVERDUE,
};

/* A course's column: its uuid and its full title, which the column's
 * width may cut. */
typedef struct
{
  char *uuid;
  char *title;
} CourseColumn;

static void
course_column_free (CourseColumn *column)
{
  g_free (column->uuid);
  g_free (column->title);
  g_free (column);
}

static void
setup_person_cell_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  CourseColumn *course = user_data;

  if (course != NULL)
    set_cell_child (item, kdx_training_pill_new ());
  else
    set_cell_child (item, text_label_new ());
}

static void
bind_person_cell_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  CourseColumn *course = user_data;
  KdxTrainingPersonRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  int status = kdx_training_person_row_get_status (row, course->uuid);
  g_autofree char *tooltip = NULL;

  if (status < 0)
    {
      kdx_training_pill_set (child, KDX_ASSIGNMENT_N_STATUSES);
      /* Translators: a person who does not have to take a course */
      gtk_label_set_label (GTK_LABEL (child), C_("course", "Not assigned"));
      gtk_widget_add_css_class (child, "kdx-training-none");
    }
  else
    {
      gtk_widget_remove_css_class (child, "kdx-training-none");
      kdx_training_pill_set (child, status);
    }
  /* Translators: the tooltip of a cell of the Departments table: a course's
   * title and the person's status in it, "Data Protection Basics: Overdue" */
  tooltip = g_strdup_printf (_("%s: %s"), course->title, gtk_label_get_label (GTK_LABEL (child)));
  gtk_widget_set_tooltip_text (child, tooltip);
}

static void
bind_person_text_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  guint what = GPOINTER_TO_UINT (user_data);
  KdxTrainingPersonRow *row = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  const KdxTrainingSummary *s = row->summary;
  g_autofree char *text = NULL;
  guint done = s->n_status[KDX_ASSIGNMENT_COMPLETED] + s->n_status[KDX_ASSIGNMENT_EXPIRING];
  guint rounds = 0;

  for (guint i = 0; i < KDX_ASSIGNMENT_N_STATUSES; i++)
    rounds += s->n_status[i];

  switch (what)
    {
    case PEOPLE_NAME:
      gtk_label_set_label (GTK_LABEL (child), s->label);
      break;
    case PEOPLE_DONE:
      /* Translators: the courses a person has completed: "2 of 3" */
      text = g_strdup_printf (_("%u of %u"), done, rounds);
      gtk_label_set_label (GTK_LABEL (child), text);
      break;
    case PEOPLE_OVERDUE:
    default:
      text = g_strdup_printf ("%u", s->n_status[KDX_ASSIGNMENT_OVERDUE]);
      gtk_label_set_label (GTK_LABEL (child), text);
      if (s->n_status[KDX_ASSIGNMENT_OVERDUE] > 0)
        gtk_widget_add_css_class (child, "error");
      else
        gtk_widget_remove_css_class (child, "error");
      break;
    }
}

/* A course's column is as wide as a status; the person's figures come
 * before the courses, where no number of courses pushes them away. */
#define COURSE_COLUMN_WIDTH 150

static void
append_people_column (KdxTrainingPage *self,
                      const char      *title,
                      const char      *course,
                      guint            what)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  if (course != NULL)
    {
      CourseColumn *data = g_new0 (CourseColumn, 1);

      data->uuid = g_strdup (course);
      data->title = g_strdup (title);
      g_object_set_data_full (G_OBJECT (factory), "course", data,
                              (GDestroyNotify) course_column_free);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_person_cell_cb), data);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_person_cell_cb), data);
    }
  else
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_person_cell_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_person_text_cb),
                        GUINT_TO_POINTER (what));
    }
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (course != NULL)
    gtk_column_view_column_set_fixed_width (column, COURSE_COLUMN_WIDTH);
  else if (what == PEOPLE_NAME)
    gtk_column_view_column_set_fixed_width (column, 220);
  gtk_column_view_append_column (self->people_view, column);
}

/* GTK 4.8 gives a column's header neither a tooltip nor an ellipsis: the
 * headers of the courses are found among the column view's header
 * buttons (each a box with its title label first), cut with an ellipsis
 * and given the full title as their tooltip. */
static void
set_course_headers (KdxTrainingPage *self,
                    GHashTable      *titles)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->people_view));

  if (header == NULL || g_strcmp0 (gtk_widget_get_css_name (header), "header") != 0)
    return;

  for (GtkWidget *button = gtk_widget_get_first_child (header); button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      GtkWidget *box = gtk_widget_get_first_child (button);
      GtkWidget *label = box != NULL ? gtk_widget_get_first_child (box) : NULL;

      if (!GTK_IS_LABEL (label) ||
          !g_hash_table_contains (titles, gtk_label_get_label (GTK_LABEL (label))))
        continue;
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (button, gtk_label_get_label (GTK_LABEL (label)));
    }
}

static void
clear_people_columns (KdxTrainingPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->people_view);
  g_autoptr(GtkColumnViewColumn) column = NULL;

  while (g_list_model_get_n_items (columns) > 0)
    {
      column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->people_view, column);
      g_clear_object (&column);
    }
}

/* Course uuids by their titles in @titles. */
static int
compare_titles (gconstpointer a,
                gconstpointer b,
                gpointer      titles)
{
  return g_utf8_collate (g_hash_table_lookup (titles, a), g_hash_table_lookup (titles, b));
}

/* The department chosen in the drop-down, or NULL. */
static const KdxTrainingSummary *
chosen_department (KdxTrainingPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->department_dropdown);

  if (self->departments == NULL || selected == GTK_INVALID_LIST_POSITION ||
      selected >= self->departments->len)
    return NULL;

  return self->departments->pdata[selected];
}

/* A count of the department's rounds: plain text, as nothing happens on
 * a click (a pill would look like a button); what nobody has is dimmed,
 * and overdue rounds are red. */
static GtkWidget *
count_label_new (KdxAssignmentStatus status,
                 guint               count)
{
  GtkWidget *label;
  g_autofree char *text = NULL;

  /* Translators: a status and how many rounds have it: "Overdue: 2" */
  text = g_strdup_printf (_("%s: %u"), kdx_assignment_status_get_label (status), count);
  label = gtk_label_new (text);
  if (count == 0)
    gtk_widget_add_css_class (label, "dim-label");
  else if (status == KDX_ASSIGNMENT_OVERDUE)
    gtk_widget_add_css_class (label, "error");

  return label;
}

static void
show_department_summary (KdxTrainingPage          *self,
                         const KdxTrainingSummary *s)
{
  g_autofree char *people = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *summary = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->department_counts))) != NULL)
    gtk_box_remove (self->department_counts, child);

  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->department_level)), s != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->department_counts), s != NULL);
  if (s == NULL)
    return;

  gtk_level_bar_set_value (self->department_level, CLAMP (s->completion, 0, 1));
  people = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people",
                                         s->n_people), s->n_people);
  percent = percent_text (s->completion);
  /* Translators: above a department's table: "12 people · 75 % complete" */
  summary = g_strdup_printf (_("%s · %s complete"), people, percent);
  gtk_label_set_label (self->department_summary, summary);

  for (guint i = 0; i < KDX_ASSIGNMENT_N_STATUSES; i++)
    {
      GtkWidget *label = count_label_new (i, s->n_status[i]);

      if (i == KDX_ASSIGNMENT_EXPIRING)
        {
          g_autofree char *tooltip = expiring_tooltip (s);

          gtk_widget_set_tooltip_text (label, tooltip);
        }
      gtk_box_append (self->department_counts, label);
    }
}

static void
refresh_people (KdxTrainingPage *self)
{
  const KdxTrainingSummary *department = chosen_department (self);
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_person = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) shown_titles = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) courses = NULL;
  g_autoptr(GError) error = NULL;
  KdxAssignmentFilter filter = { 0 };
  guint n;

  self->people_dirty = FALSE;
  show_department_summary (self, department);
  clear_people_columns (self);

  if (self->store != NULL && department != NULL)
    {
      summaries = kdx_training_status (self->store, KDX_TRAINING_BY_PERSON, NULL,
                                       department->key, NULL, NULL, &error);
      if (summaries == NULL)
        g_warning ("Cannot count the rounds of the department: %s", error->message);
    }

  for (guint i = 0; summaries != NULL && i < summaries->len; i++)
    {
      KdxTrainingPersonRow *row = g_object_new (KDX_TYPE_TRAINING_PERSON_ROW, NULL);

      row->summary = g_steal_pointer (&summaries->pdata[i]);
      g_hash_table_insert (by_person, row->summary->key, row);
      g_ptr_array_add (rows, row);
    }

  /* Which course each of them has, and how it stands: read once, in a
   * list of its own that is gone before it could follow the store (and
   * be read again on every change while nobody looks). */
  if (department != NULL && self->store != NULL)
    {
      g_autoptr(GListModel) assignments = kdx_assignment_model_new (self->store);

      filter.department = department->key;
      filter.status = -1;
      filter.sort = KDX_ASSIGNMENT_SORT_PERSON;
      kdx_assignment_model_set_filter (assignments, &filter);
      n = g_list_model_get_n_items (assignments);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KdxAssignmentItem) item = g_list_model_get_item (assignments, i);
          const KdxAssignment *a = kdx_assignment_item_get (item);
          KdxTrainingPersonRow *row = g_hash_table_lookup (by_person, a->person_uuid);

          if (row == NULL)
            continue;
          g_hash_table_insert (row->statuses, g_strdup (a->course_uuid),
                               GINT_TO_POINTER (a->status + 1));
          if (!g_hash_table_contains (titles, a->course_uuid))
            g_hash_table_insert (titles, g_strdup (a->course_uuid), g_strdup (a->course_title));
        }
    }

  /* Translators: column header in the Departments view */
  append_people_column (self, _("Person"), NULL, PEOPLE_NAME);
  /* Translators: column header: how many of their courses a person has completed */
  append_people_column (self, _("Completed"), NULL, PEOPLE_DONE);
  append_people_column (self, _("Overdue"), NULL, PEOPLE_OVERDUE);
  courses = g_hash_table_get_keys (titles);
  courses = g_list_sort_with_data (courses, compare_titles, titles);
  for (GList *l = courses; l != NULL; l = l->next)
    {
      const char *title = g_hash_table_lookup (titles, l->data);

      append_people_column (self, title, l->data, 0);
      g_hash_table_add (shown_titles, (gpointer) title);
    }
  set_course_headers (self, shown_titles);

  g_list_store_splice (self->people, 0, g_list_model_get_n_items (G_LIST_MODEL (self->people)),
                       rows->pdata, rows->len);
  gtk_stack_set_visible_child_name (self->department_stack, rows->len > 0 ? "table" : "empty");
}

/* The departments with training, the one chosen kept. */
static void
fill_departments (KdxTrainingPage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) departments = NULL;
  g_autoptr(GError) error = NULL;
  guint keep = 0;

  if (self->store != NULL)
    {
      departments = kdx_training_status (self->store, KDX_TRAINING_BY_DEPARTMENT, NULL, NULL,
                                         NULL, NULL, &error);
      if (departments == NULL)
        g_warning ("Cannot count the departments' rounds: %s", error->message);
    }
  if (departments == NULL)
    departments = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_training_summary_free);

  for (guint i = 0; i < departments->len; i++)
    {
      KdxTrainingSummary *s = departments->pdata[i];

      gtk_string_list_append (list, kdx_training_department_label (s->key));
      if (g_strcmp0 (s->key, self->department) == 0)
        keep = i;
    }

  g_clear_pointer (&self->departments, g_ptr_array_unref);
  self->departments = g_steal_pointer (&departments);
  self->filling = TRUE;
  gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->department_dropdown,
                              self->departments->len > 0 ? keep : GTK_INVALID_LIST_POSITION);
  /* Nothing to choose and nobody to double-click: the status page alone. */
  gtk_widget_set_visible (self->department_bar, self->departments->len > 0);
  gtk_widget_set_visible (self->department_hint, self->departments->len > 0);
  self->filling = FALSE;
  if (self->departments->len > 0)
    set_str (&self->department, ((KdxTrainingSummary *) self->departments->pdata[keep])->key);
}

static void
refresh_departments (KdxTrainingPage *self)
{
  fill_departments (self);
  refresh_people (self);
}

static void
department_chosen_cb (KdxTrainingPage *self)
{
  const KdxTrainingSummary *department;

  if (self->filling)
    return;

  department = chosen_department (self);
  set_str (&self->department, department ? department->key : NULL);
  refresh_people (self);
}

static void
person_activated_cb (KdxTrainingPage *self,
                     guint            position)
{
  g_autoptr(KdxTrainingPersonRow) row = g_list_model_get_item (G_LIST_MODEL (self->people),
                                                               position);

  if (row != NULL)
    kdx_training_page_show_transcript (self, row->summary->key);
}

/* ------------------------------------------------------------------ */
/* Overdue                                                            */

/* Every overdue round of the organisation, from a list that core filters
 * and sorts in SQL; sorted from the headers, in SQL too. */
static const struct
{
  const char        *title;
  KdxAssignmentSort  sort;
  gboolean           inverted;    /* the column's ascending order is the sort's descending */
  gboolean           expand;
  guint              nat_chars;
} overdue_columns[] = {
  { N_("Person"), KDX_ASSIGNMENT_SORT_PERSON, FALSE, TRUE, 18 },
  { N_("Department"), KDX_ASSIGNMENT_SORT_DEPARTMENT, FALSE, TRUE, 14 },
  { N_("Course"), KDX_ASSIGNMENT_SORT_COURSE, FALSE, TRUE, 24 },
  /* Translators: column header: the day by which a round was to be completed */
  { N_("Due"), KDX_ASSIGNMENT_SORT_DUE, FALSE, FALSE, 10 },
  /* Translators: column header: how many days have passed since a round was due */
  { N_("Days Overdue"), KDX_ASSIGNMENT_SORT_DUE, TRUE, FALSE, 5 },
};

enum { OVERDUE_PERSON, OVERDUE_DEPARTMENT, OVERDUE_COURSE, OVERDUE_DUE, OVERDUE_DAYS };

/* The days from @from to @to (ISO days), 0 when either is no day. */
static int
days_between (const char *from,
              const char *to)
{
  GDate a, b;
  int y, m, d;

  if (from == NULL || to == NULL)
    return 0;
  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  if (sscanf (from, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return 0;
  g_date_set_dmy (&a, d, m, y);
  if (sscanf (to, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return 0;
  g_date_set_dmy (&b, d, m, y);

  return g_date_days_between (&a, &b);
}

static void
setup_overdue_cell (GtkListItem *item,
                    guint        column)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 3);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), overdue_columns[column].nat_chars);
  if (column == OVERDUE_DAYS)
    gtk_widget_add_css_class (cell, "numeric");
  set_cell_child (item, cell);
}

static void
update_overdue_cell (GtkListItem *item,
                     guint        column)
{
  KdxQueryRow *row = gtk_list_item_get_item (item);
  KdxAssignmentItem *found = row ? kdx_query_row_get_item (row) : NULL;
  const KdxAssignment *a = found ? kdx_assignment_item_get (found) : NULL;
  GtkWidget *cell = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  g_autofree char *today = NULL;

  if (a != NULL)
    switch (column)
      {
      case OVERDUE_PERSON:
        text = g_strdup (a->person_name);
        break;
      case OVERDUE_DEPARTMENT:
        text = g_strdup (kdx_training_department_label (a->department));
        break;
      case OVERDUE_COURSE:
        text = g_strdup (a->course_title);
        break;
      case OVERDUE_DUE:
        text = kdx_format_date (a->due);
        break;
      case OVERDUE_DAYS:
      default:
        today = kdx_date_today ();
        text = g_strdup_printf ("%d", days_between (a->due, today));
        break;
      }
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

static void
overdue_set_filter (KdxTrainingPage *self)
{
  KdxAssignmentFilter filter = { 0 };

  if (self->overdue == NULL)
    return;

  filter.status = KDX_ASSIGNMENT_OVERDUE;
  filter.sort = self->overdue_sort;
  filter.descending = self->overdue_descending;
  kdx_assignment_model_set_filter (self->overdue, &filter);
}

static void
overdue_sorter_changed_cb (GtkSorter       *sorter,
                           GtkSorterChange  change,
                           KdxTrainingPage *self)
{
  gboolean descending = FALSE;
  int column = kdx_column_view_sort_probe (sorter, &descending);

  /* No column: the longest overdue first. */
  self->overdue_sort = column >= 0 ? overdue_columns[column].sort : KDX_ASSIGNMENT_SORT_DUE;
  self->overdue_descending = column >= 0 && overdue_columns[column].inverted ? !descending
                                                                              : descending;
  overdue_set_filter (self);
}

static void
build_overdue_columns (KdxTrainingPage *self)
{
  GtkColumnViewColumn *days = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (overdue_columns); i++)
    {
      GtkListItemFactory *factory = kdx_query_cell_factory_new (i, setup_overdue_cell,
                                                                update_overdue_cell);
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = kdx_column_sorter_new (i);

      column = gtk_column_view_column_new (_(overdue_columns[i].title), factory);
      gtk_column_view_column_set_expand (column, overdue_columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (self->overdue_view, column);
      if (i == OVERDUE_DAYS)
        days = column;
    }

  g_signal_connect (gtk_column_view_get_sorter (self->overdue_view), "changed",
                    G_CALLBACK (overdue_sorter_changed_cb), self);
  /* The arrow says the order: the longest overdue first. */
  gtk_column_view_sort_by_column (self->overdue_view, days, GTK_SORT_DESCENDING);
}

static void
overdue_reloaded_cb (KdxTrainingPage *self)
{
  guint n = self->overdue ? g_list_model_get_n_items (self->overdue) : 0;
  g_autofree char *text = NULL;

  /* Translators: above the Overdue view: how many rounds are overdue */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u assignment overdue", "%u assignments overdue",
                                       n), n);
  gtk_label_set_label (self->overdue_summary, text);
  gtk_widget_set_visible (self->overdue_bar, n > 0);
  gtk_widget_set_visible (self->overdue_hint, n > 0);
  gtk_stack_set_visible_child_name (self->overdue_stack, n > 0 ? "table" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.copy-overdue", n > 0);
}

static gboolean
showing (KdxTrainingPage *self,
         const char      *view)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->browse_stack), view) == 0;
}

static void
drop_overdue (KdxTrainingPage *self)
{
  if (self->overdue == NULL)
    return;

  gtk_column_view_set_model (self->overdue_view, NULL);
  g_clear_object (&self->overdue_selection);
  g_clear_object (&self->overdue_rows);
  g_signal_handlers_disconnect_by_data (self->overdue, self);
  g_clear_object (&self->overdue);
}

/* The Overdue view's list follows the store: it is made when the view is
 * shown, and let go when it is not (another view, another area), so that
 * no change reads the overdue rounds again for nobody. */
static void
sync_overdue (KdxTrainingPage *self)
{
  gboolean wanted = self->store != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
                    showing (self, "overdue");

  if (!wanted)
    {
      drop_overdue (self);
      return;
    }
  if (self->overdue != NULL)
    return;

  self->overdue = kdx_assignment_model_new (self->store);
  overdue_set_filter (self);
  self->overdue_rows = kdx_query_model_get_rows (KDX_QUERY_MODEL (self->overdue));
  self->overdue_selection = gtk_single_selection_new (g_object_ref (self->overdue_rows));
  gtk_single_selection_set_autoselect (self->overdue_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->overdue_selection, TRUE);
  gtk_single_selection_set_selected (self->overdue_selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->overdue, "reloaded", G_CALLBACK (overdue_reloaded_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->overdue_view, GTK_SELECTION_MODEL (self->overdue_selection));
  overdue_reloaded_cb (self);
}

static void
overdue_activated_cb (KdxTrainingPage *self,
                      guint            position)
{
  g_autoptr(KdxQueryRow) row = NULL;
  KdxAssignmentItem *found;

  if (self->overdue_rows == NULL)
    return;
  row = g_list_model_get_item (self->overdue_rows, position);
  found = row ? kdx_query_row_get_item (row) : NULL;
  if (found != NULL)
    kdx_training_page_show_transcript (self, kdx_assignment_item_get (found)->person_uuid);
}

/* Copy as CSV: the list as shown, with the e-mail addresses to write to
 * and the due day as ISO, for a spreadsheet. */
static void
copy_overdue_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KdxTrainingPage *self = KDX_TRAINING_PAGE (widget);
  g_autoptr(KdxCsvWriter) writer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *today = kdx_date_today ();
  g_autofree char *text = NULL;
  g_autofree char *toast = NULL;
  const char *header[] = {
    _("Person"), _("E-mail"), _("Department"), _("Course"), _("Due"), _("Days Overdue"),
  };
  guint n, copied = 0;

  if (self->overdue == NULL)
    return;

  writer = kdx_csv_writer_new (NULL, ',', KDX_CSV_WRITER_NO_BOM);
  kdx_csv_writer_add_row (writer, header, G_N_ELEMENTS (header), NULL, NULL);
  n = g_list_model_get_n_items (self->overdue);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KdxAssignmentItem) item = g_list_model_get_item (self->overdue, i);
      const KdxAssignment *a = item ? kdx_assignment_item_get (item) : NULL;
      g_autofree char *days = NULL;
      const char *fields[G_N_ELEMENTS (header)];

      if (a == NULL)
        continue;
      days = g_strdup_printf ("%d", days_between (a->due, today));
      fields[0] = a->person_name;
      fields[1] = a->person_email;
      fields[2] = kdx_training_department_label (a->department);
      fields[3] = a->course_title;
      fields[4] = a->due;
      fields[5] = days;
      if (kdx_csv_writer_add_row (writer, fields, G_N_ELEMENTS (fields), NULL, NULL))
        copied++;
    }
  bytes = kdx_csv_writer_free_to_bytes (g_steal_pointer (&writer));
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);

  /* Translators: a toast after Copy as CSV in the Overdue view */
  toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u overdue assignment copied",
                                        "%u overdue assignments copied", copied), copied);
  kdx_window_toast_from (widget, toast);
}

/* ------------------------------------------------------------------ */
/* Following the store                                                */

/* Fills what is shown now, and marks the rest to be filled when shown.
 * (The Overdue view's list follows the store by itself.) */
static void
refresh (KdxTrainingPage *self)
{
  gboolean shown = gtk_widget_get_mapped (GTK_WIDGET (self)) &&
                   g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browse") == 0;

  self->courses_dirty = TRUE;
  self->people_dirty = TRUE;
  if (!shown)
    return;
  if (showing (self, "departments"))
    refresh_departments (self);
  else if (showing (self, "courses"))
    refresh_courses (self);
}

static void
refresh_if_dirty (KdxTrainingPage *self)
{
  if (showing (self, "departments") && self->people_dirty)
    refresh_departments (self);
  else if (showing (self, "courses") && self->courses_dirty)
    refresh_courses (self);
}

static void
browse_switched_cb (KdxTrainingPage *self)
{
  sync_overdue (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh_if_dirty (self);
}

static gboolean
is_training_entity (const char *entity)
{
  return entity == NULL || g_str_has_prefix (entity, "course") ||
         g_str_has_prefix (entity, "assignment") || g_str_has_prefix (entity, "training") ||
         g_strcmp0 (entity, "person") == 0 || g_strcmp0 (entity, "import") == 0 ||
         g_strcmp0 (entity, "ai_system") == 0;
}

static void
store_changed_cb (KdxStore        *store,
                  const char      *entity,
                  GArray          *ids,
                  KdxTrainingPage *self)
{
  if (is_training_entity (entity))
    refresh (self);
}

/* ------------------------------------------------------------------ */
/* A new course                                                       */

typedef struct
{
  KdxTrainingPage *page;        /* weak: the dialog is closed with the page */
  GtkWindow       *window;
  AdwEntryRow     *title_row;
  AdwEntryRow     *topic_row;
  GtkSpinButton   *duration_spin;
  AdwActionRow    *validity_row;
  GtkSpinButton   *validity_spin;
  GtkSwitch       *literacy_switch;
  GtkTextView     *description_view;
  GtkLabel        *error_label;
  GtkButton       *create_button;
} NewCourse;

static void
new_course_free (NewCourse *data)
{
  if (data->page != NULL)
    g_object_remove_weak_pointer (G_OBJECT (data->page), (gpointer *) &data->page);
  g_free (data);
}

static void
new_course_update (NewCourse *data)
{
  g_autofree char *title = kdx_editable_dup_stripped (GTK_EDITABLE (data->title_row));
  guint months = gtk_spin_button_get_value_as_int (data->validity_spin);
  g_autofree char *validity = NULL;

  validity = months == 0
    ? g_strdup (_("0 months: a completion never expires"))
    /* Translators: the subtitle of the validity row of a new course */
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                    "A completion expires after %u month; the next assignment "
                                    "is made by itself",
                                    "A completion expires after %u months; the next assignment "
                                    "is made by itself", months), months);
  adw_action_row_set_subtitle (data->validity_row, validity);
  gtk_widget_set_sensitive (GTK_WIDGET (data->create_button),
                            title != NULL && data->page != NULL && data->page->store != NULL);
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
}

static void
new_course_create_cb (NewCourse *data)
{
  g_autoptr(KdxCourse) course = kdx_course_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *title = kdx_editable_dup_stripped (GTK_EDITABLE (data->title_row));
  g_autofree char *topic = kdx_editable_dup_stripped (GTK_EDITABLE (data->topic_row));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (data->description_view);
  g_autofree char *description = NULL;
  GtkTextIter start, end;
  KdxTrainingPage *page = data->page;

  if (page == NULL || page->store == NULL || title == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  kdx_course_set_title (course, title);
  kdx_course_set_topic (course, topic);
  kdx_course_set_description (course, *description != '\0' ? description : NULL);
  kdx_course_set_duration_minutes (course, gtk_spin_button_get_value_as_int (data->duration_spin));
  kdx_course_set_validity_months (course, gtk_spin_button_get_value_as_int (data->validity_spin));
  kdx_course_set_ai_literacy (course, gtk_switch_get_active (data->literacy_switch));

  if (!kdx_course_insert (page->store, course, &error))
    {
      gtk_label_set_label (data->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (data->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (data->title_row), "error");
      return;
    }

  /* The new course opens, to give it rules. */
  g_object_ref (page);
  gtk_window_destroy (data->window);
  kdx_training_page_show_course (page, kdx_course_get_uuid (course));
  g_object_unref (page);
}

static GtkWidget *
spin_row_new (const char     *title,
              const char     *subtitle,
              double          max,
              double          value,
              const char     *name,
              GtkSpinButton **spin_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_name (spin, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  *spin_out = GTK_SPIN_BUTTON (spin);

  return row;
}

static GtkWidget *
new_course_dialog_new (KdxTrainingPage *self,
                       NewCourse       *data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window = adw_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *create = gtk_button_new_with_mnemonic (_("C_reate"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *title_row = adw_entry_row_new ();
  GtkWidget *topic_row = adw_entry_row_new ();
  GtkWidget *literacy_row = adw_action_row_new ();
  GtkWidget *literacy_switch = gtk_switch_new ();
  GtkWidget *description_heading = gtk_label_new_with_mnemonic (_("_Description"));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *description = gtk_text_view_new ();
  GtkWidget *error_label = gtk_label_new (NULL);
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkSpinButton *duration_spin;
  GtkSpinButton *validity_spin;
  GtkWidget *duration_row;
  GtkWidget *validity_row;

  gtk_window_set_title (GTK_WINDOW (window), _("New Course"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 640);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_widget_add_css_class (create, "suggested-action");
  gtk_widget_set_name (create, "create-button");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), create);
  gtk_box_append (GTK_BOX (content), header);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);

  gtk_widget_set_margin_top (body, 18);
  gtk_widget_set_margin_bottom (body, 18);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (title_row), _("Title"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (title_row), TRUE);
  gtk_widget_set_name (title_row, "title-row");
  gtk_list_box_append (GTK_LIST_BOX (list), title_row);

  /* Translators: the topic of a course, such as "AI Act basics" or "Ethical selling" */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (topic_row), _("Topic"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (topic_row), TRUE);
  gtk_widget_set_name (topic_row, "topic-row");
  gtk_list_box_append (GTK_LIST_BOX (list), topic_row);

  duration_row = spin_row_new (_("D_uration in Minutes"), NULL, 100000, 60, "duration-spin",
                               &duration_spin);
  gtk_list_box_append (GTK_LIST_BOX (list), duration_row);
  validity_row = spin_row_new (_("_Valid for Months"), NULL, 600, 12, "validity-spin",
                               &validity_spin);
  gtk_list_box_append (GTK_LIST_BOX (list), validity_row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (literacy_row), _("_AI Literacy"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (literacy_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (literacy_row),
                               _("The course gives the AI literacy of Article 4 of the EU AI Act"));
  gtk_widget_set_valign (literacy_switch, GTK_ALIGN_CENTER);
  gtk_widget_set_name (literacy_switch, "literacy-switch");
  gtk_accessible_update_property (GTK_ACCESSIBLE (literacy_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("AI Literacy"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (literacy_row), literacy_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (literacy_row), literacy_switch);
  gtk_list_box_append (GTK_LIST_BOX (list), literacy_row);
  gtk_box_append (GTK_BOX (body), list);

  gtk_label_set_xalign (GTK_LABEL (description_heading), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (description_heading), description);
  gtk_widget_add_css_class (description_heading, "heading");
  gtk_widget_set_margin_top (description_heading, 6);
  gtk_box_append (GTK_BOX (body), description_heading);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (description), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (description), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (description), 10);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (description), 10);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (description), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (description), 12);
  gtk_widget_set_size_request (description, -1, 110);
  gtk_widget_set_name (description, "description-view");
  gtk_accessible_update_property (GTK_ACCESSIBLE (description), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Description"), -1);
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  gtk_frame_set_child (GTK_FRAME (frame), description);
  gtk_box_append (GTK_BOX (body), frame);

  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_widget_set_name (error_label, "error-label");
  gtk_box_append (GTK_BOX (body), error_label);

  adw_clamp_set_child (ADW_CLAMP (clamp), body);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (content), scroller);
  adw_window_set_content (ADW_WINDOW (window), content);
  gtk_window_set_default_widget (GTK_WINDOW (window), create);

  data->window = GTK_WINDOW (window);
  data->title_row = ADW_ENTRY_ROW (title_row);
  data->topic_row = ADW_ENTRY_ROW (topic_row);
  data->duration_spin = duration_spin;
  data->validity_row = ADW_ACTION_ROW (validity_row);
  data->validity_spin = validity_spin;
  data->literacy_switch = GTK_SWITCH (literacy_switch);
  data->description_view = GTK_TEXT_VIEW (description);
  data->error_label = GTK_LABEL (error_label);
  data->create_button = GTK_BUTTON (create);

  g_signal_connect_swapped (title_row, "changed", G_CALLBACK (new_course_update), data);
  g_signal_connect_swapped (validity_spin, "value-changed", G_CALLBACK (new_course_update), data);
  g_signal_connect_swapped (create, "clicked", G_CALLBACK (new_course_create_cb), data);
  g_object_set_data_full (G_OBJECT (window), "new-course", data, (GDestroyNotify) new_course_free);

  new_course_update (data);

  return window;
}

/* ------------------------------------------------------------------ */
/* Actions                                                            */

static void
new_course_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  kdx_training_page_new_course (KDX_TRAINING_PAGE (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxTrainingPage *self = KDX_TRAINING_PAGE (widget);
  const char *shown = gtk_stack_get_visible_child_name (self->main_stack);

  if (g_strcmp0 (shown, "transcript") == 0 && g_strcmp0 (self->return_to, "course") == 0)
    gtk_stack_set_visible_child_name (self->main_stack, "course");
  else if (g_strcmp0 (shown, "browse") != 0)
    kdx_training_page_show_list (self);
}

static void
show_transcript_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  kdx_training_page_show_transcript (KDX_TRAINING_PAGE (widget),
                                     g_variant_get_string (parameter, NULL));
}

static void
show_course_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  kdx_training_page_show_course (KDX_TRAINING_PAGE (widget),
                                 g_variant_get_string (parameter, NULL));
}

static void
import (KdxTrainingPage *self,
        KdxImportKind    kind)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  KdxImportDialog *dialog;

  if (self->store == NULL || kdx_store_is_read_only (self->store))
    return;

  dialog = kdx_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store,
                                  kind);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxTrainingPage *self = KDX_TRAINING_PAGE (widget);

  if (g_str_equal (action_name, "training.import-people"))
    import (self, KDX_IMPORT_PEOPLE);
  else if (g_str_equal (action_name, "training.import-assignments"))
    import (self, KDX_IMPORT_ASSIGNMENTS);
  else
    import (self, KDX_IMPORT_COMPLETIONS);
}

static void
update_actions (KdxTrainingPage *self)
{
  gboolean writable = self->store != NULL && !kdx_store_is_read_only (self->store);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.new-course", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.import-people", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.import-completions", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.import-assignments", writable);
}

/* ------------------------------------------------------------------ */

static KdxCourseView *
ensure_view (KdxTrainingPage *self)
{
  if (self->view == NULL)
    {
      self->view = kdx_course_view_new ();
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->view), "course");
    }

  return self->view;
}

static KdxTranscript *
ensure_transcript (KdxTrainingPage *self)
{
  if (self->transcript == NULL)
    {
      self->transcript = kdx_transcript_new ();
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->transcript), "transcript");
    }

  return self->transcript;
}

static void
kdx_training_page_map (GtkWidget *widget)
{
  KdxTrainingPage *self = KDX_TRAINING_PAGE (widget);

  GTK_WIDGET_CLASS (kdx_training_page_parent_class)->map (widget);

  sync_overdue (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browse") == 0)
    refresh_if_dirty (self);
}

static void
kdx_training_page_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kdx_training_page_parent_class)->unmap (widget);

  sync_overdue (KDX_TRAINING_PAGE (widget));
}

static void
kdx_training_page_dispose (GObject *object)
{
  KdxTrainingPage *self = KDX_TRAINING_PAGE (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->overdue != NULL)
    g_signal_handlers_disconnect_by_data (self->overdue, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_TRAINING_PAGE);
  g_clear_object (&self->overdue_selection);
  g_clear_object (&self->overdue_rows);
  g_clear_object (&self->overdue);
  g_clear_object (&self->course_selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->course_filter);
  g_clear_object (&self->courses);
  g_clear_object (&self->people_selection);
  g_clear_object (&self->people);
  g_clear_object (&self->store);
  g_clear_pointer (&self->departments, g_ptr_array_unref);
  g_clear_pointer (&self->department, g_free);
  g_clear_pointer (&self->return_to, g_free);

  G_OBJECT_CLASS (kdx_training_page_parent_class)->dispose (object);
}

static void
kdx_training_page_class_init (KdxTrainingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_training_page_dispose;
  widget_class->map = kdx_training_page_map;
  widget_class->unmap = kdx_training_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-training-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, browse_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, course_view);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, department_bar);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, department_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, department_level);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, department_summary);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, department_counts);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, department_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, people_view);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, department_hint);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, overdue_bar);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, overdue_summary);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, overdue_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, overdue_view);
  gtk_widget_class_bind_template_child (widget_class, KdxTrainingPage, overdue_hint);
  gtk_widget_class_bind_template_callback (widget_class, browse_switched_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, course_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, department_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, person_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, overdue_activated_cb);

  gtk_widget_class_install_action (widget_class, "training.new-course", NULL, new_course_action);
  gtk_widget_class_install_action (widget_class, "training.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "training.show-course", "s", show_course_action);
  gtk_widget_class_install_action (widget_class, "training.show-transcript", "s",
                                   show_transcript_action);
  gtk_widget_class_install_action (widget_class, "training.import-people", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "training.import-completions", NULL,
                                   import_action);
  gtk_widget_class_install_action (widget_class, "training.import-assignments", NULL,
                                   import_action);
  gtk_widget_class_install_action (widget_class, "training.copy-overdue", NULL,
                                   copy_overdue_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "training.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_training_page_init (KdxTrainingPage *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->courses = g_list_store_new (KDX_TYPE_TRAINING_COURSE_ROW);
  self->course_filter = gtk_custom_filter_new (course_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->courses)),
                                              g_object_ref (GTK_FILTER (self->course_filter)));
  build_course_columns (self);
  sorter = gtk_column_view_get_sorter (self->course_view);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (sorter));
  self->course_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->course_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->course_selection, TRUE);
  gtk_column_view_set_model (self->course_view, GTK_SELECTION_MODEL (self->course_selection));

  self->people = g_list_store_new (KDX_TYPE_TRAINING_PERSON_ROW);
  self->people_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->people)));
  gtk_single_selection_set_autoselect (self->people_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->people_selection, TRUE);
  gtk_column_view_set_model (self->people_view, GTK_SELECTION_MODEL (self->people_selection));

  set_completion_offsets (self->department_level);
  self->overdue_sort = KDX_ASSIGNMENT_SORT_DUE;
  build_overdue_columns (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "training.copy-overdue", FALSE);

  self->courses_dirty = TRUE;
  self->people_dirty = TRUE;
  update_course_state (self);
  show_department_summary (self, NULL);
  update_actions (self);
}

KdxTrainingPage *
kdx_training_page_new (void)
{
  return g_object_new (KDX_TYPE_TRAINING_PAGE, NULL);
}

void
kdx_training_page_set_store (KdxTrainingPage *self,
                             KdxStore        *store)
{
  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (!kdx_section_set_store (GTK_WIDGET (self), &self->store, store,
                              G_CALLBACK (store_changed_cb)))
    return;

  g_clear_pointer (&self->department, g_free);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  if (self->view != NULL)
    kdx_course_view_set_course (self->view, NULL, NULL);
  if (self->transcript != NULL)
    kdx_transcript_set_person (self->transcript, NULL, NULL);
  update_actions (self);
  /* The Overdue view's list is made anew on the new store. */
  drop_overdue (self);
  sync_overdue (self);
  refresh (self);
}

void
kdx_training_page_focus_search (KdxTrainingPage *self)
{
  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "course") == 0)
    {
      kdx_course_view_focus_search (self->view);
      return;
    }

  kdx_training_page_show_list (self);
  adw_view_stack_set_visible_child_name (self->browse_stack, "courses");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
kdx_training_page_new_course (KdxTrainingPage *self)
{
  NewCourse *data;
  GtkWidget *dialog;

  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (self->store == NULL || kdx_store_is_read_only (self->store))
    return;

  data = g_new0 (NewCourse, 1);
  data->page = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->page);
  dialog = new_course_dialog_new (self, data);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (data->title_row));
}

void
kdx_training_page_show_course (KdxTrainingPage *self,
                               const char      *course)
{
  g_autoptr(KdxCourse) found = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (self->store == NULL || course == NULL)
    return;

  found = kdx_course_find (self->store, course, &error);
  if (found == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  kdx_course_view_set_course (ensure_view (self), self->store, kdx_course_get_uuid (found));
  gtk_stack_set_visible_child_name (self->main_stack, "course");
}

void
kdx_training_page_show_list (KdxTrainingPage *self)
{
  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (self->view != NULL)
    kdx_course_view_flush (self->view);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  refresh_if_dirty (self);
}

void
kdx_training_page_show_department (KdxTrainingPage *self,
                                   const char      *department)
{
  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (department != NULL)
    set_str (&self->department, department);
  if (self->view != NULL)
    kdx_course_view_flush (self->view);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  adw_view_stack_set_visible_child_name (self->browse_stack, "departments");
  refresh_departments (self);
}

void
kdx_training_page_show_transcript (KdxTrainingPage *self,
                                   const char      *person)
{
  const char *shown;

  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (self->store == NULL || person == NULL)
    return;

  shown = gtk_stack_get_visible_child_name (self->main_stack);
  set_str (&self->return_to, g_strcmp0 (shown, "course") == 0 ? "course" : "browse");
  if (self->view != NULL)
    kdx_course_view_flush (self->view);
  kdx_transcript_set_person (ensure_transcript (self), self->store, person);
  gtk_stack_set_visible_child_name (self->main_stack, "transcript");
}

GListModel *
kdx_training_page_get_courses (KdxTrainingPage *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_PAGE (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

void
kdx_training_page_show_overdue (KdxTrainingPage *self)
{
  g_return_if_fail (KDX_IS_TRAINING_PAGE (self));

  if (self->view != NULL)
    kdx_course_view_flush (self->view);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  adw_view_stack_set_visible_child_name (self->browse_stack, "overdue");
  sync_overdue (self);
}

GListModel *
kdx_training_page_get_overdue (KdxTrainingPage *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_PAGE (self), NULL);

  return self->overdue;
}

GListModel *
kdx_training_page_get_department_people (KdxTrainingPage *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_PAGE (self), NULL);

  return G_LIST_MODEL (self->people);
}

GtkWidget *
kdx_training_page_get_view (KdxTrainingPage *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_PAGE (self), NULL);

  return GTK_WIDGET (ensure_view (self));
}

GtkWidget *
kdx_training_page_get_transcript (KdxTrainingPage *self)
{
  g_return_val_if_fail (KDX_IS_TRAINING_PAGE (self), NULL);

  return GTK_WIDGET (ensure_transcript (self));
}
