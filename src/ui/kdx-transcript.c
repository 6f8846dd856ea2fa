/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transcript of one person: every round of every course, the current
 * one first per course and older ones dimmed below it, in a column view
 * like the app's other tables; and its print on A4 — organisation, the
 * heading with the person, their department and the day printed, then a
 * table of the courses with duration, AI literacy, status, completion and
 * expiry, earlier rounds indented and labelled — drawn with Pango.
 */
#define G_LOG_DOMAIN "kdx-transcript"

#include "config.h"

#include "kdx-transcript.h"

#include "kdx-date.h"
#include "kdx-format.h"
#include "kdx-person.h"
#include "kdx-training.h"
#include "kdx-training-page.h"
#include "kdx-window.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

struct _KdxTranscript
{
  GtkWidget   parent_instance;

  GtkWidget  *name_label;
  GtkWidget  *subtitle_label;
  GtkWidget  *stack;
  GtkWidget  *view;
  GListStore *rows;        /* KdxTranscriptRow */

  KdxStore   *store;
  KdxPerson  *person;
  GPtrArray  *rounds;      /* KdxAssignment */
  gboolean    dirty;
};

G_DEFINE_FINAL_TYPE (KdxTranscript, kdx_transcript, GTK_TYPE_WIDGET)

/* A row of the table on screen: one of the rounds, which it keeps. */
#define KDX_TYPE_TRANSCRIPT_ROW (kdx_transcript_row_get_type ())
G_DECLARE_FINAL_TYPE (KdxTranscriptRow, kdx_transcript_row, KDX, TRANSCRIPT_ROW, GObject)

struct _KdxTranscriptRow
{
  GObject    parent_instance;

  GPtrArray *rounds;
  guint      index;
};

G_DEFINE_FINAL_TYPE (KdxTranscriptRow, kdx_transcript_row, G_TYPE_OBJECT)

static void
kdx_transcript_row_finalize (GObject *object)
{
  KdxTranscriptRow *self = KDX_TRANSCRIPT_ROW (object);

  g_clear_pointer (&self->rounds, g_ptr_array_unref);

  G_OBJECT_CLASS (kdx_transcript_row_parent_class)->finalize (object);
}

static void
kdx_transcript_row_class_init (KdxTranscriptRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_transcript_row_finalize;
}

static void
kdx_transcript_row_init (KdxTranscriptRow *self)
{
}

static KdxTranscriptRow *
kdx_transcript_row_new (GPtrArray *rounds,
                        guint      index)
{
  KdxTranscriptRow *self = g_object_new (KDX_TYPE_TRANSCRIPT_ROW, NULL);

  self->rounds = g_ptr_array_ref (rounds);
  self->index = index;

  return self;
}

static const KdxAssignment *
kdx_transcript_row_get_round (KdxTranscriptRow *self)
{
  return self->rounds->pdata[self->index];
}

/* The columns of the screen and of the print. */
typedef enum
{
  COLUMN_COURSE,
  COLUMN_STATUS,
  COLUMN_ASSIGNED,
  COLUMN_DUE,
  COLUMN_COMPLETED,
  COLUMN_SCORE,
  COLUMN_EXPIRES,
  N_COLUMNS
} Column;

static const char *column_titles[N_COLUMNS] = {
  N_("Course"),
  N_("Status"),
  /* Translators: column header: the day a round was assigned */
  N_("Assigned"),
  N_("Due"),
  N_("Completed"),
  N_("Score"),
  N_("Expires"),
};

static char *
cell_text (const KdxAssignment *a,
           Column               column)
{
  switch (column)
    {
    case COLUMN_COURSE:
      return g_strdup (a->course_title);
    case COLUMN_STATUS:
      return g_strdup (kdx_assignment_status_get_label (a->status));
    case COLUMN_ASSIGNED:
      return kdx_format_date (a->assigned);
    case COLUMN_DUE:
      return kdx_format_date (a->due);
    case COLUMN_COMPLETED:
      return kdx_format_date (a->completed);
    case COLUMN_SCORE:
      return a->completed != NULL && a->score >= 0 ? g_strdup_printf ("%g", a->score)
                                                   : g_strdup ("");
    case COLUMN_EXPIRES:
      if (a->completed != NULL && a->expires == NULL)
        return g_strdup (C_("expires", "Never"));
      return kdx_format_date (a->expires);
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------ */
/* On screen                                                          */

/* "Vertrieb Süd · Data Protection Officer · martin@example.com", on
 * screen and on paper. */
static char *
dup_person_details (KdxPerson *person)
{
  GString *details = g_string_new (NULL);

  g_string_append (details, kdx_training_department_label (kdx_person_get_department (person)));
  if (kdx_person_get_role (person) != NULL)
    g_string_append_printf (details, " · %s", kdx_person_get_role (person));
  if (kdx_person_get_email (person) != NULL)
    g_string_append_printf (details, " · %s", kdx_person_get_email (person));
  if (!kdx_person_get_active (person))
    /* Translators: in a transcript's subtitle: the person has left or is on leave */
    g_string_append_printf (details, " · %s", _("Inactive"));

  return g_string_free (details, FALSE);
}

static char *
dup_heading (KdxPerson *person)
{
  /* Translators: the heading of a person's transcript on screen and on
   * paper, and the name of its print job; %s is the person */
  return g_strdup_printf (_("Training Transcript of %s"), kdx_person_get_name (person));
}

static gboolean
course_link_cb (GtkLabel   *label,
                const char *uri,
                gpointer    user_data)
{
  gtk_widget_activate_action (GTK_WIDGET (label), "training.show-course", "s", uri);

  return TRUE;
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *child;

  /* Dates, scores and statuses are never cut: the title wraps instead. */
  if (column == COLUMN_STATUS)
    {
      child = kdx_training_pill_new ();
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_NONE);
    }
  else
    {
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      if (column == COLUMN_COURSE)
        {
          /* The whole title, on more lines when the window is narrow. */
          gtk_label_set_wrap (GTK_LABEL (child), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_width_chars (GTK_LABEL (child), 12);
          g_signal_connect (child, "activate-link", G_CALLBACK (course_link_cb), NULL);
        }
      if (column == COLUMN_SCORE)
        gtk_widget_add_css_class (child, "numeric");
    }

  gtk_widget_set_margin_top (child, 4);
  gtk_widget_set_margin_bottom (child, 4);
  gtk_list_item_set_child (item, child);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  const KdxAssignment *a = kdx_transcript_row_get_round (gtk_list_item_get_item (item));
  GtkWidget *child = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  /* Earlier rounds dimmed, as the course view's rows are not. */
  if (a->current)
    gtk_widget_remove_css_class (child, "dim-label");
  else
    gtk_widget_add_css_class (child, "dim-label");

  switch (column)
    {
    case COLUMN_STATUS:
      kdx_training_pill_set (child, a->status);
      return;
    case COLUMN_COURSE:
      if (a->current)
        {
          /* The current round leads to its course: a link, a click away. */
          text = g_markup_printf_escaped ("<a href=\"%s\" title=\"%s\">%s</a>", a->course_uuid,
                                          _("Open the Course"), a->course_title);
          gtk_label_set_markup (GTK_LABEL (child), text);
          gtk_widget_set_margin_start (child, 0);
        }
      else
        {
          /* Translators: an earlier round of a course in a transcript, on
           * screen and on paper, below the course's current round */
          gtk_label_set_label (GTK_LABEL (child), _("earlier assignment"));
          gtk_widget_set_margin_start (child, 24);
        }
      return;
    case COLUMN_ASSIGNED:
    case COLUMN_DUE:
    case COLUMN_COMPLETED:
    case COLUMN_SCORE:
    case COLUMN_EXPIRES:
    case N_COLUMNS:
    default:
      text = cell_text (a, column);
      gtk_label_set_label (GTK_LABEL (child), text);
      return;
    }
}

static void
round_activated_cb (GtkColumnView *view,
                    guint          position,
                    KdxTranscript *self)
{
  g_autoptr(KdxTranscriptRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  if (row != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "training.show-course", "s",
                                kdx_transcript_row_get_round (row)->course_uuid);
}

static void
fill (KdxTranscript *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(KdxPerson) person = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *details = NULL;

  self->dirty = FALSE;
  g_list_store_remove_all (self->rows);
  g_clear_pointer (&self->rounds, g_ptr_array_unref);

  if (self->store != NULL && self->person != NULL)
    {
      person = kdx_person_load (self->store, kdx_person_get_uuid (self->person), NULL);
      if (person != NULL)
        g_set_object (&self->person, person);
      self->rounds = kdx_assignment_list_for_person (self->store,
                                                     kdx_person_get_uuid (self->person),
                                                     NULL, &error);
      if (self->rounds == NULL)
        g_warning ("Cannot list the person's rounds: %s", error->message);
    }
  if (self->rounds == NULL)
    self->rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_assignment_free);

  if (self->person == NULL)
    {
      gtk_label_set_label (GTK_LABEL (self->name_label), "");
      gtk_label_set_label (GTK_LABEL (self->subtitle_label), "");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.print", FALSE);
      return;
    }

  heading = dup_heading (self->person);
  details = dup_person_details (self->person);
  gtk_label_set_label (GTK_LABEL (self->name_label), heading);
  gtk_label_set_label (GTK_LABEL (self->subtitle_label), details);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.print", TRUE);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    self->rounds->len > 0 ? "rounds" : "empty");

  rows = g_ptr_array_new_full (self->rounds->len, g_object_unref);
  for (guint i = 0; i < self->rounds->len; i++)
    g_ptr_array_add (rows, kdx_transcript_row_new (self->rounds, i));
  g_list_store_splice (self->rows, 0, 0, rows->pdata, rows->len);
}

static void
store_changed_cb (KdxStore      *store,
                  const char    *entity,
                  GArray        *ids,
                  KdxTranscript *self)
{
  if (self->person == NULL)
    return;

  if (entity == NULL || g_str_has_prefix (entity, "course") ||
      g_str_has_prefix (entity, "assignment") || g_str_has_prefix (entity, "training") ||
      g_strcmp0 (entity, "person") == 0 || g_strcmp0 (entity, "import") == 0)
    {
      if (kdx_section_should_fill (GTK_WIDGET (self), &self->dirty))
        fill (self);
    }
}

/* ------------------------------------------------------------------ */
/* On paper                                                           */

#define PRINT_FONT      "Sans 9"
#define PRINT_GAP       8.0     /* points between columns */
#define PRINT_ROW_GAP   5.0
#define PRINT_INDENT    14.0    /* earlier rounds, below their course */
#define PRINT_GREY      0.35    /* earlier rounds: dark enough to read on any printer */

typedef struct
{
  KdxTranscript *transcript;
  char          *organisation;
  char          *today;
  GHashTable    *courses;       /* course uuid → KdxCourse (NULL: not found) */
  GArray        *page_starts;   /* guint: the first round of each page */
  double         widths[N_COLUMNS];
  double         header_height;
} Printing;

static void
printing_free (Printing *printing)
{
  g_clear_object (&printing->transcript);
  g_free (printing->organisation);
  g_free (printing->today);
  g_clear_pointer (&printing->courses, g_hash_table_unref);
  g_clear_pointer (&printing->page_starts, g_array_unref);
  g_free (printing);
}

/* @text is markup when @markup. */
static PangoLayout *
print_layout_full (GtkPrintContext *context,
                   const char      *text,
                   gboolean         markup,
                   double           width,
                   gboolean         bold,
                   gboolean         italic,
                   double           scale)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (PRINT_FONT);

  pango_font_description_set_size (font, pango_font_description_get_size (font) * scale);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (italic)
    pango_font_description_set_style (font, PANGO_STYLE_ITALIC);
  pango_layout_set_font_description (layout, font);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }

  return layout;
}

static PangoLayout *
print_layout (GtkPrintContext *context,
              const char      *text,
              double           width,
              gboolean         bold,
              double           scale)
{
  return print_layout_full (context, text, FALSE, width, bold, FALSE, scale);
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);

  return pango_units_to_double (height);
}

static double
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_size (layout, &width, NULL);

  return pango_units_to_double (width);
}

/* What the print tells of a course as evidence beside its title: its
 * duration and whether it counts toward AI literacy. NULL: nothing. */
static char *
dup_course_facts (Printing            *printing,
                  const KdxAssignment *a)
{
  KdxCourse *course = g_hash_table_lookup (printing->courses, a->course_uuid);
  g_autofree char *duration = NULL;
  GString *facts;

  if (course == NULL)
    return NULL;

  duration = kdx_training_duration_text (kdx_course_get_duration_minutes (course));
  facts = g_string_new (duration);
  if (kdx_course_get_ai_literacy (course))
    {
      if (facts->len > 0)
        g_string_append (facts, " · ");
      /* Translators: on a printed transcript, below a course's title (after
       * its duration): the course counts toward the AI literacy that
       * Article 4 of the EU AI Act asks for; keep it short */
      g_string_append (facts, _("AI literacy (EU AI Act Art. 4)"));
    }
  if (facts->len == 0)
    {
      g_string_free (facts, TRUE);
      return NULL;
    }

  return g_string_free (facts, FALSE);
}

/* The layout of one cell (the column headers: @a NULL). */
static PangoLayout *
print_cell (GtkPrintContext     *context,
            Printing            *printing,
            const KdxAssignment *a,
            Column               column,
            double               width)
{
  g_autofree char *text = NULL;
  g_autofree char *facts = NULL;

  if (a == NULL)
    return print_layout (context, _(column_titles[column]), width, TRUE, 1.0);

  if (column == COLUMN_COURSE && !a->current)
    return print_layout_full (context, _("earlier assignment"), FALSE, width - PRINT_INDENT, FALSE, TRUE,
                              1.0);

  if (column == COLUMN_COURSE && (facts = dup_course_facts (printing, a)) != NULL)
    {
      text = g_markup_printf_escaped ("%s\n<span size=\"smaller\">%s</span>", a->course_title, facts);
      return print_layout_full (context, text, TRUE, width, FALSE, FALSE, 1.0);
    }

  text = cell_text (a, column);

  return print_layout (context, text, width, FALSE, 1.0);
}

/* The widths of the columns: each as wide as its widest cell, the course
 * the rest — unless that leaves it less than a quarter of the page, then
 * the others in proportion (and wrapped). */
static void
measure_columns (GtkPrintContext *context,
                 Printing        *printing)
{
  GPtrArray *rounds = printing->transcript->rounds;
  double width = gtk_print_context_get_width (context);
  double others = 0;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      double widest = 0;

      if (c == COLUMN_COURSE)
        continue;

      for (guint i = 0; i <= rounds->len; i++)
        {
          g_autoptr(PangoLayout) layout = print_cell (context, printing,
                                                      i == 0 ? NULL : rounds->pdata[i - 1], c, -1);

          widest = MAX (widest, layout_width (layout));
        }
      printing->widths[c] = widest + PRINT_GAP;
      others += printing->widths[c];
    }

  if (others > width * 0.75)
    {
      for (guint c = 0; c < N_COLUMNS; c++)
        printing->widths[c] *= width * 0.75 / others;
      others = width * 0.75;
    }
  printing->widths[COLUMN_COURSE] = width - others;
}

/* The height of a row of the table (or of the column headers: @a NULL). */
static double
print_row (GtkPrintContext     *context,
           Printing            *printing,
           const KdxAssignment *a,
           double               y,
           gboolean             draw)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  gboolean older = a != NULL && !a->current;
  double x = 0, height = 0;

  if (draw)
    {
      /* Earlier rounds in grey, and — for a print in black and white —
       * indented below their course, labelled and marked by a line. */
      if (older)
        cairo_set_source_rgb (cr, PRINT_GREY, PRINT_GREY, PRINT_GREY);
      else
        cairo_set_source_rgb (cr, 0, 0, 0);
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(PangoLayout) layout = print_cell (context, printing, a, c,
                                                  printing->widths[c] - PRINT_GAP);

      height = MAX (height, layout_height (layout));
      if (draw)
        {
          cairo_move_to (cr, x + (older && c == COLUMN_COURSE ? PRINT_INDENT : 0), y);
          pango_cairo_show_layout (cr, layout);
        }
      x += printing->widths[c];
    }

  if (draw && older)
    {
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, PRINT_INDENT / 2, y - PRINT_ROW_GAP / 2);
      cairo_line_to (cr, PRINT_INDENT / 2, y + height);
      cairo_stroke (cr);
    }
  if (draw && a == NULL)
    {
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, 0, y + height + PRINT_ROW_GAP / 2);
      cairo_line_to (cr, width, y + height + PRINT_ROW_GAP / 2);
      cairo_stroke (cr);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);

  return height + PRINT_ROW_GAP;
}

/* The head of the first page: organisation, heading with the person,
 * their department, role and e-mail, the day printed. */
static double
print_header (GtkPrintContext *context,
              Printing        *printing,
              gboolean         draw)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  KdxPerson *person = printing->transcript->person;
  g_autofree char *heading = dup_heading (person);
  g_autofree char *details = dup_person_details (person);
  g_autofree char *date = kdx_format_date (printing->today);
  g_autofree char *printed = NULL;
  struct { const char *text; gboolean bold; double scale; double after; } lines[4];
  double width = gtk_print_context_get_width (context);
  double y = 0;

  /* Translators: on a printed transcript, below the person; %s is a date */
  printed = g_strdup_printf (_("Printed on %s"), date);
  lines[0].text = printing->organisation ? printing->organisation : "";
  lines[0].bold = FALSE;
  lines[0].scale = 1.0;
  lines[0].after = 2;
  lines[1].text = heading;
  lines[1].bold = TRUE;
  lines[1].scale = 1.6;
  lines[1].after = 4;
  lines[2].text = details;
  lines[2].bold = FALSE;
  lines[2].scale = 1.0;
  lines[2].after = 2;
  lines[3].text = printed;
  lines[3].bold = FALSE;
  lines[3].scale = 1.0;
  lines[3].after = 2;

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(PangoLayout) layout = print_layout (context, lines[i].text, width, lines[i].bold,
                                                    lines[i].scale);

      if (draw)
        {
          cairo_move_to (cr, 0, y);
          pango_cairo_show_layout (cr, layout);
        }
      y += layout_height (layout) + lines[i].after;
    }

  return y + 18;
}

/* The round after the last of @first's course: its earlier rounds follow
 * the current one. */
static guint
group_end (GPtrArray *rounds,
           guint      first)
{
  const KdxAssignment *a = rounds->pdata[first];
  guint end = first + 1;

  while (end < rounds->len)
    {
      const KdxAssignment *next = rounds->pdata[end];

      if (next->current || g_strcmp0 (next->course_uuid, a->course_uuid) != 0)
        break;
      end++;
    }

  return end;
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Printing          *printing)
{
  GPtrArray *rounds = printing->transcript->rounds;
  double page_height = gtk_print_context_get_height (context) - 24;   /* the footer */
  g_autofree double *heights = g_new (double, rounds->len + 1);
  double headers, y;
  guint first = 0, on_page = 0;

  measure_columns (context, printing);
  printing->header_height = print_header (context, printing, FALSE);
  headers = print_row (context, printing, NULL, 0, FALSE);
  for (guint i = 0; i < rounds->len; i++)
    heights[i] = print_row (context, printing, rounds->pdata[i], 0, FALSE);

  /* A course and its earlier rounds on one page, unless they fill more. */
  y = printing->header_height + headers;
  g_array_append_val (printing->page_starts, first);
  for (guint i = 0; i < rounds->len; i = group_end (rounds, i))
    {
      guint end = group_end (rounds, i);
      double group = 0;

      for (guint j = i; j < end; j++)
        group += heights[j];
      for (guint j = i; j < end; j++)
        {
          if (on_page > 0 && (y + heights[j] > page_height || (j == i && y + group > page_height)))
            {
              g_array_append_val (printing->page_starts, j);
              y = headers;
              on_page = 0;
            }
          y += heights[j];
          on_page++;
        }
    }

  gtk_print_operation_set_n_pages (operation, printing->page_starts->len);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              Printing          *printing)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  GPtrArray *rounds = printing->transcript->rounds;
  guint start = g_array_index (printing->page_starts, guint, page);
  guint end = (guint) page + 1 < printing->page_starts->len
              ? g_array_index (printing->page_starts, guint, page + 1) : rounds->len;
  g_autofree char *footer = NULL;
  g_autoptr(PangoLayout) footer_layout = NULL;
  double width = gtk_print_context_get_width (context);
  double y = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  if (page == 0)
    y = print_header (context, printing, TRUE);
  y += print_row (context, printing, NULL, y, TRUE);
  for (guint i = start; i < end; i++)
    {
      const KdxAssignment *a = rounds->pdata[i];

      /* A hairline between courses. */
      if (a->current && i > start)
        {
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_set_line_width (cr, 0.3);
          cairo_move_to (cr, 0, y - PRINT_ROW_GAP / 2);
          cairo_line_to (cr, width, y - PRINT_ROW_GAP / 2);
          cairo_stroke (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
        }
      y += print_row (context, printing, a, y, TRUE);
    }

  if (rounds->len == 0)
    {
      g_autoptr(PangoLayout) none = print_layout (context, _("No training recorded."), 0, FALSE,
                                                  1.0);

      cairo_move_to (cr, 0, y);
      pango_cairo_show_layout (cr, none);
    }

  cairo_set_source_rgb (cr, 0, 0, 0);
  /* Translators: the footer of a printed transcript: the person, then "page 1 of 2" */
  footer = g_strdup_printf (_("%s · page %d of %u"), kdx_person_get_name (printing->transcript->person),
                            page + 1, printing->page_starts->len);
  footer_layout = print_layout (context, footer, 0, FALSE, 0.85);
  cairo_move_to (cr, 0, gtk_print_context_get_height (context) - layout_height (footer_layout));
  pango_cairo_show_layout (cr, footer_layout);
}

static GtkPrintOperation *
print_operation_new (KdxTranscript *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autofree char *name = NULL;
  Printing *printing = g_new0 (Printing, 1);

  printing->transcript = g_object_ref (self);
  printing->organisation = kdx_store_dup_setting (self->store, "organisation");
  printing->today = kdx_date_today ();
  printing->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  printing->courses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < self->rounds->len; i++)
    {
      const KdxAssignment *a = self->rounds->pdata[i];
      KdxCourse *course;

      if (g_hash_table_contains (printing->courses, a->course_uuid))
        continue;
      course = kdx_course_load (self->store, a->course_uuid, NULL);
      if (course != NULL)
        g_hash_table_insert (printing->courses, g_strdup (a->course_uuid), course);
    }

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  name = dup_heading (self->person);
  gtk_print_operation_set_job_name (operation, name);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), printing);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), printing);
  g_object_set_data_full (G_OBJECT (operation), "printing", printing,
                          (GDestroyNotify) printing_free);

  return operation;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  kdx_transcript_print (KDX_TRANSCRIPT (widget));
}

/* ------------------------------------------------------------------ */

static void
kdx_transcript_map (GtkWidget *widget)
{
  KdxTranscript *self = KDX_TRANSCRIPT (widget);

  GTK_WIDGET_CLASS (kdx_transcript_parent_class)->map (widget);

  if (self->dirty)
    fill (self);
}

static void
kdx_transcript_dispose (GObject *object)
{
  KdxTranscript *self = KDX_TRANSCRIPT (object);
  GtkWidget *child;

  kdx_section_clear_store (GTK_WIDGET (self), &self->store);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->person);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->rounds, g_ptr_array_unref);

  G_OBJECT_CLASS (kdx_transcript_parent_class)->dispose (object);
}

static void
kdx_transcript_class_init (KdxTranscriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_transcript_dispose;
  widget_class->map = kdx_transcript_map;

  gtk_widget_class_install_action (widget_class, "transcript.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "transcript.print", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* The view is small enough to build here rather than in a template. */
static void
kdx_transcript_init (KdxTranscript *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *print = gtk_button_new ();
  GtkWidget *print_content = adw_button_content_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *empty = adw_status_page_new ();

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 8);
  gtk_widget_set_margin_bottom (header, 8);
  gtk_widget_set_valign (back, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (back, "flat");
  gtk_widget_set_tooltip_text (back, _("Back (Alt+←)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Back"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "training.back");
  gtk_box_append (GTK_BOX (header), back);

  self->name_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->name_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->name_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (self->name_label), TRUE);
  gtk_widget_add_css_class (self->name_label, "title-3");
  gtk_widget_set_name (self->name_label, "name-label");
  self->subtitle_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->subtitle_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->subtitle_label, "dim-label");
  gtk_widget_add_css_class (self->subtitle_label, "caption");
  gtk_box_append (GTK_BOX (titles), self->name_label);
  gtk_box_append (GTK_BOX (titles), self->subtitle_label);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), titles);

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (print_content), "document-print-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (print_content), _("_Print…"));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (print_content), TRUE);
  gtk_button_set_child (GTK_BUTTON (print), print_content);
  gtk_widget_set_valign (print, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (print, _("Print the Transcript (Ctrl+P)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (print), "transcript.print");
  gtk_box_append (GTK_BOX (header), print);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  /* A table as the app's others: the course view's, the People page's. */
  self->rows = g_list_store_new (KDX_TYPE_TRANSCRIPT_ROW);
  self->view = gtk_column_view_new (GTK_SELECTION_MODEL (
                 gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))));
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (self->view), TRUE);
  gtk_column_view_set_reorderable (GTK_COLUMN_VIEW (self->view), FALSE);
  gtk_widget_add_css_class (self->view, "data-table");
  gtk_widget_set_name (self->view, "rounds-view");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Training Transcript"), -1);
  g_signal_connect (self->view, "activate", G_CALLBACK (round_activated_cb), self);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(column_titles[c]), factory);
      gtk_column_view_column_set_expand (column, c == COLUMN_COURSE);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (GTK_COLUMN_VIEW (self->view), column);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->view);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "x-office-address-book-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Training Recorded"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("This person has not been given a course yet. A rule gives "
                                     "them one as soon as it names them."));

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "rounds");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_box_append (GTK_BOX (box), self->stack);
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.print", FALSE);
}

KdxTranscript *
kdx_transcript_new (void)
{
  return g_object_new (KDX_TYPE_TRANSCRIPT, NULL);
}

void
kdx_transcript_set_person (KdxTranscript *self,
                           KdxStore      *store,
                           const char    *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPerson) person = NULL;

  g_return_if_fail (KDX_IS_TRANSCRIPT (self));

  kdx_section_set_store (GTK_WIDGET (self), &self->store, store, G_CALLBACK (store_changed_cb));
  if (store != NULL && uuid != NULL)
    {
      person = kdx_person_load (store, uuid, &error);
      if (person == NULL)
        kdx_window_toast_from (GTK_WIDGET (self), error->message);
    }
  g_set_object (&self->person, person);
  fill (self);
}

const char *
kdx_transcript_get_person (KdxTranscript *self)
{
  g_return_val_if_fail (KDX_IS_TRANSCRIPT (self), NULL);

  return self->person ? kdx_person_get_uuid (self->person) : NULL;
}

GPtrArray *
kdx_transcript_get_rounds (KdxTranscript *self)
{
  g_return_val_if_fail (KDX_IS_TRANSCRIPT (self), NULL);

  return self->rounds;
}

void
kdx_transcript_print (KdxTranscript *self)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  g_return_if_fail (KDX_IS_TRANSCRIPT (self));

  if (self->person == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  operation = print_operation_new (self);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autofree char *message = NULL;

      /* Translators: printing failed; %s is the reason */
      message = g_strdup_printf (_("The transcript was not printed: %s"), error->message);
      kdx_window_toast_from (GTK_WIDGET (self), message);
    }
}

gboolean
kdx_transcript_export_pdf (KdxTranscript *self,
                           const char    *path,
                           GError       **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (KDX_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->person == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Nobody is shown"));
      return FALSE;
    }

  operation = print_operation_new (self);
  gtk_print_operation_set_export_filename (operation, path);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                               error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    return FALSE;

  /* A transcript is personal data: for its owner's eyes, as every file
   * Kodex writes. */
  if (g_chmod (path, 0600) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}
