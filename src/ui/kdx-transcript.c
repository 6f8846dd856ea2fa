/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transcript of one person: every round of every course, the current
 * one first per course and older ones dimmed below it, and its print on
 * A4 — organisation, person and date at the head, then a table of the
 * courses with status, completion and expiry — drawn with Pango.
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
  GtkWidget  *grid;

  KdxStore   *store;
  KdxPerson  *person;
  GPtrArray  *rounds;      /* KdxAssignment */
  gboolean    dirty;
};

G_DEFINE_FINAL_TYPE (KdxTranscript, kdx_transcript, GTK_TYPE_WIDGET)

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

static void
clear_grid (KdxTranscript *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
}

static GtkWidget *
grid_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);

  return label;
}

static void
fill (KdxTranscript *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(KdxPerson) person = NULL;

  self->dirty = FALSE;
  clear_grid (self);
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

  gtk_label_set_label (GTK_LABEL (self->name_label), kdx_person_get_name (self->person));
  g_string_append (subtitle,
                   kdx_training_department_label (kdx_person_get_department (self->person)));
  if (kdx_person_get_role (self->person) != NULL)
    g_string_append_printf (subtitle, " · %s", kdx_person_get_role (self->person));
  if (kdx_person_get_email (self->person) != NULL)
    g_string_append_printf (subtitle, " · %s", kdx_person_get_email (self->person));
  if (!kdx_person_get_active (self->person))
    /* Translators: in a transcript's subtitle: the person has left or is on leave */
    g_string_append_printf (subtitle, " · %s", _("Inactive"));
  gtk_label_set_label (GTK_LABEL (self->subtitle_label), subtitle->str);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transcript.print", TRUE);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    self->rounds->len > 0 ? "rounds" : "empty");

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkWidget *header = grid_label_new (_(column_titles[c]));

      gtk_widget_add_css_class (header, "heading");
      gtk_widget_add_css_class (header, "dim-label");
      gtk_grid_attach (GTK_GRID (self->grid), header, c, 0, 1, 1);
    }

  for (guint i = 0; i < self->rounds->len; i++)
    {
      const KdxAssignment *a = self->rounds->pdata[i];
      gboolean older = !a->current;

      for (guint c = 0; c < N_COLUMNS; c++)
        {
          g_autofree char *text = cell_text (a, c);
          GtkWidget *cell;

          if (c == COLUMN_STATUS)
            {
              cell = kdx_training_pill_new ();
              kdx_training_pill_set (cell, a->status);
            }
          else if (c == COLUMN_COURSE && !older)
            {
              /* The current round leads to its course. */
              GtkWidget *label = grid_label_new (text);

              gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
              cell = gtk_button_new ();
              gtk_button_set_child (GTK_BUTTON (cell), label);
              gtk_widget_add_css_class (cell, "flat");
              gtk_widget_set_halign (cell, GTK_ALIGN_START);
              gtk_widget_set_tooltip_text (cell, _("Open the Course"));
              gtk_actionable_set_action_name (GTK_ACTIONABLE (cell), "training.show-course");
              gtk_actionable_set_action_target (GTK_ACTIONABLE (cell), "s", a->course_uuid);
            }
          else
            {
              cell = grid_label_new (c == COLUMN_COURSE
                                     /* Translators: an earlier round of a course in a transcript */
                                     ? _("earlier round") : text);
              if (c == COLUMN_COURSE)
                gtk_widget_set_margin_start (cell, 24);
            }
          if (c == COLUMN_COURSE)
            gtk_widget_set_hexpand (cell, TRUE);
          if (older)
            gtk_widget_add_css_class (cell, "dim-label");
          gtk_grid_attach (GTK_GRID (self->grid), cell, c, i + 1, 1, 1);
        }
    }
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

/* The share of the width of each printed column. */
static const double print_widths[N_COLUMNS] = { 0.25, 0.13, 0.12, 0.12, 0.16, 0.10, 0.12 };

typedef struct
{
  KdxTranscript *transcript;
  char          *organisation;
  char          *today;
  GArray        *page_starts;   /* guint: the first round of each page */
  double         header_height;
} Printing;

static void
printing_free (Printing *printing)
{
  g_clear_object (&printing->transcript);
  g_free (printing->organisation);
  g_free (printing->today);
  g_clear_pointer (&printing->page_starts, g_array_unref);
  g_free (printing);
}

static PangoLayout *
print_layout (GtkPrintContext *context,
              const char      *text,
              double           width,
              gboolean         bold,
              double           scale)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (PRINT_FONT);

  pango_font_description_set_size (font, pango_font_description_get_size (font) * scale);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text ? text : "", -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);

  return pango_units_to_double (height);
}

/* The height of a row of the table (or of the column headers: @a NULL). */
static double
print_row (GtkPrintContext     *context,
           const KdxAssignment *a,
           double               y,
           gboolean             draw)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double x = 0, height = 0;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      double column_width = width * print_widths[c] - PRINT_GAP;
      g_autofree char *text = a ? cell_text (a, c) : g_strdup (_(column_titles[c]));
      g_autoptr(PangoLayout) layout = print_layout (context, text, column_width, a == NULL, 1.0);

      height = MAX (height, layout_height (layout));
      if (draw)
        {
          cairo_move_to (cr, x, y);
          pango_cairo_show_layout (cr, layout);
        }
      x += width * print_widths[c];
    }

  if (draw && a == NULL)
    {
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, 0, y + height + PRINT_ROW_GAP / 2);
      cairo_line_to (cr, width, y + height + PRINT_ROW_GAP / 2);
      cairo_stroke (cr);
    }

  return height + PRINT_ROW_GAP;
}

/* The head of the first page: organisation, title, person, date. */
static double
print_header (GtkPrintContext *context,
              Printing        *printing,
              gboolean         draw)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  KdxPerson *person = printing->transcript->person;
  g_autofree char *details = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *date = kdx_format_date (printing->today);
  const char *department = kdx_person_get_department (person);
  const char *email = kdx_person_get_email (person);
  struct { char *text; gboolean bold; double scale; } lines[4];
  double width = gtk_print_context_get_width (context);
  double y = 0;

  /* Translators: below the name on a printed transcript: department and e-mail */
  details = g_strdup_printf (_("%s · %s"), kdx_training_department_label (department),
                             email ? email : "");
  /* Translators: on a printed transcript; %s is a date */
  printed = g_strdup_printf (_("Training transcript, printed on %s"), date);
  lines[0].text = printing->organisation ? printing->organisation : "";
  lines[0].bold = FALSE;
  lines[0].scale = 1.0;
  lines[1].text = (char *) kdx_person_get_name (person);
  lines[1].bold = TRUE;
  lines[1].scale = 1.8;
  lines[2].text = email ? details : (char *) kdx_training_department_label (department);
  lines[2].bold = FALSE;
  lines[2].scale = 1.0;
  lines[3].text = printed;
  lines[3].bold = FALSE;
  lines[3].scale = 1.0;

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(PangoLayout) layout = print_layout (context, lines[i].text, width, lines[i].bold,
                                                    lines[i].scale);

      if (draw)
        {
          cairo_move_to (cr, 0, y);
          pango_cairo_show_layout (cr, layout);
        }
      y += layout_height (layout) + (i == 1 ? 4 : 2);
    }

  return y + 18;
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                Printing          *printing)
{
  GPtrArray *rounds = printing->transcript->rounds;
  double page_height = gtk_print_context_get_height (context) - 24;   /* the footer */
  double y;
  guint first = 0;

  printing->header_height = print_header (context, printing, FALSE);
  y = printing->header_height + print_row (context, NULL, 0, FALSE);
  g_array_append_val (printing->page_starts, first);
  for (guint i = 0; i < rounds->len; i++)
    {
      double height = print_row (context, rounds->pdata[i], 0, FALSE);

      if (y + height > page_height && y > printing->header_height + 40)
        {
          g_array_append_val (printing->page_starts, i);
          y = print_row (context, NULL, 0, FALSE);
        }
      y += height;
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
  double y = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  if (page == 0)
    y = print_header (context, printing, TRUE);
  y += print_row (context, NULL, y, TRUE);
  for (guint i = start; i < end; i++)
    {
      const KdxAssignment *a = rounds->pdata[i];

      /* Earlier rounds in grey, as on screen. */
      if (a->current)
        cairo_set_source_rgb (cr, 0, 0, 0);
      else
        cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
      y += print_row (context, a, y, TRUE);
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

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  /* Translators: the name of a print job; %s is a person */
  name = g_strdup_printf (_("Training Transcript of %s"), kdx_person_get_name (self->person));
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
  GtkWidget *clamp = adw_clamp_new ();
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

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_widget_set_margin_top (self->grid, 18);
  gtk_widget_set_margin_bottom (self->grid, 18);
  gtk_widget_set_margin_start (self->grid, 12);
  gtk_widget_set_margin_end (self->grid, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Training Transcript"), -1);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1100);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->grid);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);

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
