/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV import dialog, one page per step:
 *
 *   file      a file chooser button (or a file dropped on the dialog);
 *   columns   the detected encoding and delimiter (changing one reads the
 *             file again), the recognised layout, and a preview of the
 *             first rows under a field chooser per column; what the
 *             mapping lacks is said there and Next waits for it;
 *   progress  kdx_import_plan() or kdx_import_commit() as a job, with
 *             Cancel in the header bar;
 *   result    what the import will change, or every problem with its
 *             line and column (Import stays insensitive); the date order
 *             question when the dates could be read either way, and, once
 *             unmatched completions are listed, the choice to skip them;
 *   done      what was imported.
 *
 * Nothing is written before Import. The jobs write through connections of
 * their own: the window's views learn of an import through the store's
 * "changed" signal, which the dialog emits when the job is done. A file
 * that cannot be read is named in a banner under the header bar.
 */
#define G_LOG_DOMAIN "kdx-import-dialog"

#include "config.h"

#include "kdx-import-dialog.h"

#include "kdx-window.h"

#include <glib/gi18n.h>
#include <string.h>

/* The choices of the encoding row, in its order; the names are iconv's. */
static const char *encodings[] = { "UTF-8", "WINDOWS-1252", "UTF-16" };
static const char delimiters[] = { ',', ';', '\t' };

/* ------------------------------------------------------------------ */
/* A problem as a list item                                           */

#define KDX_TYPE_IMPORT_PROBLEM_ITEM (kdx_import_problem_item_get_type ())
G_DECLARE_FINAL_TYPE (KdxImportProblemItem, kdx_import_problem_item, KDX, IMPORT_PROBLEM_ITEM,
                      GObject)

struct _KdxImportProblemItem
{
  GObject  parent_instance;

  guint    line;
  char    *column;    /* "Nachname (2)", "" for the whole row */
  char    *message;
};

G_DEFINE_FINAL_TYPE (KdxImportProblemItem, kdx_import_problem_item, G_TYPE_OBJECT)

static void
kdx_import_problem_item_finalize (GObject *object)
{
  KdxImportProblemItem *self = (KdxImportProblemItem *) object;

  g_free (self->column);
  g_free (self->message);

  G_OBJECT_CLASS (kdx_import_problem_item_parent_class)->finalize (object);
}

static void
kdx_import_problem_item_class_init (KdxImportProblemItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_import_problem_item_finalize;
}

static void
kdx_import_problem_item_init (KdxImportProblemItem *self)
{
}

/* ------------------------------------------------------------------ */
/* The dialog                                                         */

struct _KdxImportDialog
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkWidget            *cancel_button;
  GtkWidget            *back_button;
  GtkWidget            *next_button;
  GtkWidget            *import_button;
  GtkWidget            *done_button;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkStack             *stack;
  AdwStatusPage        *file_status;
  AdwComboRow          *encoding_row;
  AdwComboRow          *delimiter_row;
  GtkWidget            *layout_row;
  GtkLabel             *layout_label;
  GtkWidget            *people_group;
  GtkSwitch            *deactivate_switch;
  GtkWidget            *mapping_error;
  GtkLabel             *mapping_error_label;
  GtkWidget            *preview_scroller;
  GtkGrid              *preview_grid;
  GtkLabel             *preview_caption;
  AdwStatusPage        *progress_status;
  GtkProgressBar       *progress_bar;
  GtkImage             *result_icon;
  GtkLabel             *result_title;
  GtkLabel             *result_description;
  GtkWidget            *check_again_button;
  GtkWidget            *date_order_group;
  GtkCheckButton       *dmy_check;
  GtkCheckButton       *mdy_check;
  GtkStack             *result_stack;
  GtkListBox           *summary_list;
  GtkColumnView        *problems_view;
  GtkLabel             *problems_caption;
  GtkWidget            *skip_group;
  AdwActionRow         *skip_row;
  GtkSwitch            *skip_switch;
  AdwStatusPage        *done_status;

  KdxStore             *store;
  KdxImportKind         kind;
  const KdxImportField *fields;
  guint                 n_fields;
  KdxImport            *import;
  GFile                *file;
  gboolean              opened;       /* the file was read with the options shown */
  KdxImportPlan        *plan;         /* of the last check, NULL before one */
  GListStore           *problems;     /* KdxImportProblemItem */
  KdxDateOrder          date_order;   /* the user's answer, UNKNOWN before one */

  KdxJob               *job;          /* the running job, NULL when none */
  GCancellable         *cancellable;
  gboolean              committing;
  gboolean              updating;     /* the dialog sets its own widgets */
  gboolean              disposed;
  char                 *done_message; /* the toast for the window when the dialog closes */
};

G_DEFINE_FINAL_TYPE (KdxImportDialog, kdx_import_dialog, ADW_TYPE_WINDOW)

typedef struct
{
  KdxImportDialog *self;
  KdxStore        *store;
  KdxImport       *import;
  KdxImportPlan   *plan;
  gboolean         commit;
} JobData;

static void start_check (KdxImportDialog *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
running (KdxImportDialog *self)
{
  return self->job != NULL;
}

static gboolean
writable (KdxImportDialog *self)
{
  return self->store != NULL && !kdx_store_is_read_only (self->store);
}

static const char *
page (KdxImportDialog *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
show_page (KdxImportDialog *self,
           const char      *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
show_banner (KdxImportDialog *self,
             const char      *message)
{
  if (message != NULL)
    gtk_label_set_label (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, message != NULL);
}

static void
remove_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

static void
remove_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);

  return label;
}

/* A row of a boxed list that shows @text as it is (no markup). */
static GtkWidget *
text_row (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), wrapped_label (text));
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  return row;
}

/* Adds @text to a text_row(), dimmed below what it shows. */
static void
add_detail (GtkWidget  *row,
            const char *text)
{
  GtkWidget *label = wrapped_label (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))), label);
}

static char *
dup_file_name (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));

  return g_file_get_basename (file);
}

static const char *
kind_title (KdxImportKind kind)
{
  switch (kind)
    {
    case KDX_IMPORT_PEOPLE:
      return _("Import People");
    case KDX_IMPORT_ASSIGNMENTS:
      return _("Import Assignments");
    case KDX_IMPORT_COMPLETIONS:
    default:
      return _("Import Completions");
    }
}

static const char *
kind_description (KdxImportKind kind)
{
  switch (kind)
    {
    case KDX_IMPORT_PEOPLE:
      return _("Choose a CSV file exported from your HR system or saved from a spreadsheet. "
               "You will see its columns, and what will change, before anything is imported.");
    case KDX_IMPORT_ASSIGNMENTS:
      return _("Choose a CSV file that lists who must take which course. "
               "You will see its columns, and what will change, before anything is imported.");
    case KDX_IMPORT_COMPLETIONS:
    default:
      return _("Choose a CSV export of your learning platform, such as Moodle’s course "
               "completion report. You will see its columns, and what will change, before "
               "anything is imported.");
    }
}

/* "Nachname (2)" for column 2 (1-based), "" for the whole row. */
static char *
column_text (KdxImportDialog *self,
             guint            column)
{
  const char *header = NULL;

  if (column == 0)
    return g_strdup ("");
  if (self->opened && column <= kdx_import_get_n_columns (self->import))
    header = kdx_import_get_header (self->import, column - 1);
  if (header == NULL || *header == '\0')
    return g_strdup_printf ("%u", column);

  /* Translators: a column of a file: its name in the header row, then its number */
  return g_strdup_printf (_("%s (%u)"), header, column);
}

static guint
field_position (KdxImportDialog *self,
                KdxImportField   field)
{
  for (guint i = 0; i < self->n_fields; i++)
    if (self->fields[i] == field)
      return i;

  return 0;
}

/* ------------------------------------------------------------------ */
/* What is shown                                                      */

static void
update_buttons (KdxImportDialog *self)
{
  const char *name = page (self);
  gboolean busy = running (self);
  gboolean on_columns = g_strcmp0 (name, "columns") == 0;
  gboolean on_result = g_strcmp0 (name, "result") == 0;
  gboolean on_done = g_strcmp0 (name, "done") == 0;
  gboolean mapping_ok = self->opened && kdx_import_check_mapping (self->import, NULL);
  gboolean clean = self->plan != NULL && kdx_import_plan_get_n_problems (self->plan) == 0;

  gtk_widget_set_visible (self->cancel_button, !on_done);
  gtk_widget_set_visible (self->back_button, !busy && (on_columns || on_result));
  gtk_widget_set_visible (self->next_button, on_columns);
  gtk_widget_set_visible (self->import_button, on_result || (busy && self->committing));
  gtk_widget_set_visible (self->done_button, on_done);
  /* Enter goes on, and closes at the end; it never imports. */
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 on_columns ? self->next_button
                                 : on_done ? self->done_button : NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.back", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.next", !busy && mapping_ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.check-again", !busy && self->file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.import",
                                 !busy && clean && writable (self));

  if (on_result && !clean)
    gtk_widget_set_tooltip_text (self->import_button,
                                 _("The file can be imported once it has no problems"));
  else if (on_result && !writable (self))
    gtk_widget_set_tooltip_text (self->import_button,
                                 _("The workspace is open read-only"));
  else
    gtk_widget_set_tooltip_text (self->import_button, _("Import the file into the workspace"));
}

static void
update_mapping_message (KdxImportDialog *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = !self->opened || kdx_import_check_mapping (self->import, &error);

  if (!ok)
    gtk_label_set_label (self->mapping_error_label, error->message);
  gtk_widget_set_visible (self->mapping_error, !ok);
}

/* Dims the cells of the columns that are not imported. */
static void
update_ignored_columns (KdxImportDialog *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      int column, row;
      gboolean ignored;

      gtk_grid_query_child (self->preview_grid, child, &column, &row, NULL, NULL);
      if (row == 0)
        continue;
      ignored = kdx_import_get_mapping (self->import, column) == KDX_IMPORT_FIELD_IGNORE;
      if (ignored)
        gtk_widget_add_css_class (child, "dim-label");
      else
        gtk_widget_remove_css_class (child, "dim-label");
    }
}

static void
mapping_selected_cb (GtkDropDown     *dropdown,
                     GParamSpec      *pspec,
                     KdxImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "kdx-column"));
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating || !self->opened || selected >= self->n_fields)
    return;

  kdx_import_set_mapping (self->import, column, self->fields[selected]);
  g_clear_pointer (&self->plan, kdx_import_plan_unref);
  update_mapping_message (self);
  update_ignored_columns (self);
  update_buttons (self);
}

static GtkWidget *
preview_cell (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_widget_set_tooltip_text (label, text != NULL && g_utf8_strlen (text, -1) > 28 ? text : NULL);
  gtk_widget_add_css_class (label, "kdx-import-cell");

  return label;
}

/* The header row: each column's name over the choice of its field, then
 * the first rows of the file. */
static void
build_preview (KdxImportDialog *self)
{
  g_autofree const char **labels = g_new0 (const char *, self->n_fields + 1);
  guint n_columns = self->opened ? kdx_import_get_n_columns (self->import) : 0;
  guint n_rows = self->opened ? kdx_import_get_n_preview_rows (self->import) : 0;
  g_autofree char *caption = NULL;

  remove_children (GTK_WIDGET (self->preview_grid));
  for (guint i = 0; i < self->n_fields; i++)
    labels[i] = kdx_import_field_get_label (self->fields[i]);

  self->updating = TRUE;
  for (guint c = 0; c < n_columns; c++)
    {
      const char *header = kdx_import_get_header (self->import, c);
      g_autofree char *name = g_strdup_printf ("column:%s", header);
      g_autofree char *accessible = NULL;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *title = gtk_label_new (header);
      GtkWidget *dropdown = gtk_drop_down_new_from_strings (labels);

      gtk_widget_add_css_class (box, "kdx-import-header");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (title), 28);
      gtk_widget_add_css_class (title, "heading");
      gtk_box_append (GTK_BOX (box), title);

      gtk_widget_set_name (dropdown, name);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                                  field_position (self, kdx_import_get_mapping (self->import, c)));
      g_object_set_data (G_OBJECT (dropdown), "kdx-column", GUINT_TO_POINTER (c));
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (mapping_selected_cb), self);
      /* Translators: the accessible name of the choice above a column, %s its header */
      accessible = g_strdup_printf (_("What column “%s” holds"), header);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      gtk_box_append (GTK_BOX (box), dropdown);

      gtk_grid_attach (self->preview_grid, box, c, 0, 1, 1);
      for (guint r = 0; r < n_rows; r++)
        gtk_grid_attach (self->preview_grid,
                         preview_cell (kdx_import_get_preview_field (self->import, r, c)),
                         c, r + 1, 1, 1);
    }
  self->updating = FALSE;

  if (n_rows == 0)
    caption = g_strdup (self->opened ? _("The file has no rows below its header.") : "");
  else if (n_rows < 20)
    caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The file’s only row is shown.",
                                            "All %u rows of the file are shown.", n_rows),
                               n_rows);
  else
    caption = g_strdup_printf (_("The first %u rows of the file are shown."), n_rows);
  gtk_label_set_label (self->preview_caption, caption);
  gtk_widget_set_visible (self->preview_scroller, n_columns > 0);

  update_ignored_columns (self);
  update_mapping_message (self);
}

/* The encoding and delimiter rows show what the file was read with. */
static void
show_read_options (KdxImportDialog *self)
{
  const char *encoding = kdx_import_get_encoding (self->import);
  char delimiter = kdx_import_get_delimiter (self->import);
  const char *layout = kdx_import_get_layout_name (self->import);

  self->updating = TRUE;
  for (guint i = 0; encoding != NULL && i < G_N_ELEMENTS (encodings); i++)
    if (g_ascii_strncasecmp (encoding, encodings[i], strlen (encodings[i])) == 0)
      adw_combo_row_set_selected (self->encoding_row, i);
  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    if (delimiter == delimiters[i])
      adw_combo_row_set_selected (self->delimiter_row, i);
  self->updating = FALSE;

  gtk_label_set_label (self->layout_label, layout ? layout : "");
  gtk_widget_set_visible (self->layout_row, layout != NULL);
}

/* Reads the header and the first rows with the options set. With
 * @keep_mapping the fields chosen so far stay with the columns of the
 * same name. */
static gboolean
read_file (KdxImportDialog *self,
           gboolean         keep_mapping)
{
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GError) error = NULL;

  if (keep_mapping && self->opened)
    {
      chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint c = 0; c < kdx_import_get_n_columns (self->import); c++)
        g_hash_table_insert (chosen, g_strdup (kdx_import_get_header (self->import, c)),
                             GINT_TO_POINTER (kdx_import_get_mapping (self->import, c)));
    }

  g_clear_pointer (&self->plan, kdx_import_plan_unref);
  self->opened = kdx_import_open (self->import, self->file, self->store, NULL, &error);
  if (self->opened && chosen != NULL)
    for (guint c = 0; c < kdx_import_get_n_columns (self->import); c++)
      {
        gpointer field;

        if (g_hash_table_lookup_extended (chosen, kdx_import_get_header (self->import, c),
                                          NULL, &field))
          kdx_import_set_mapping (self->import, c, GPOINTER_TO_INT (field));
      }

  show_banner (self, self->opened ? NULL : error->message);
  if (self->opened)
    show_read_options (self);
  build_preview (self);
  update_buttons (self);

  return self->opened;
}

static void
show_plan (KdxImportDialog *self)
{
  KdxImportPlan *plan = self->plan;
  guint n_problems = kdx_import_plan_get_n_problems (plan);
  guint n_unmatched = kdx_import_plan_get_n_unmatched (plan);
  gboolean needs_order = self->kind != KDX_IMPORT_PEOPLE &&
                         (kdx_import_needs_date_order (self->import) ||
                          self->date_order != KDX_DATE_ORDER_UNKNOWN);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  g_list_store_remove_all (self->problems);
  remove_rows (self->summary_list);

  if (n_problems > 0)
    {
      GPtrArray *problems = kdx_import_plan_get_problems (plan);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *caption = NULL;

      for (guint i = 0; i < problems->len; i++)
        {
          const KdxImportProblem *problem = g_ptr_array_index (problems, i);
          KdxImportProblemItem *item = g_object_new (KDX_TYPE_IMPORT_PROBLEM_ITEM, NULL);

          item->line = problem->line;
          item->column = column_text (self, problem->column);
          item->message = g_strdup (problem->message);
          g_ptr_array_add (items, item);
        }
      g_list_store_splice (self->problems, 0, 0, items->pdata, items->len);

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Problem", "%u Problems",
                                            n_problems), n_problems);
      description = g_strdup (_("Nothing has been imported. Correct the file and check it "
                                "again, or go back and change what the columns hold."));
      if (problems->len < n_problems)
        caption = g_strdup_printf (_("The first %u of %u problems are listed."),
                                   problems->len, n_problems);
      gtk_label_set_label (self->problems_caption, caption ? caption : "");
      gtk_widget_set_visible (GTK_WIDGET (self->problems_caption), caption != NULL);
      gtk_image_set_from_icon_name (self->result_icon, "dialog-warning-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), "warning");
      gtk_stack_set_visible_child_name (self->result_stack, "problems");
    }
  else
    {
      g_autofree char *text = kdx_import_plan_describe (plan);
      g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
      GtkWidget *row = NULL;

      /* A sentence per row; the names that follow a sentence, indented,
       * below it. */
      for (guint i = 0; lines[i] != NULL; i++)
        {
          gboolean indented = g_str_has_prefix (lines[i], "  ");

          if (*g_strstrip (lines[i]) == '\0')
            continue;
          if (indented && row != NULL)
            add_detail (row, lines[i]);
          else
            {
              row = text_row (lines[i]);
              gtk_list_box_append (self->summary_list, row);
            }
        }

      title = g_strdup (_("Ready to Import"));
      description = g_strdup (_("Nothing has been changed yet. Import writes what is listed "
                                "below, all of it or nothing, and records it in the journal."));
      gtk_image_set_from_icon_name (self->result_icon, "object-select-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), "success");
      gtk_stack_set_visible_child_name (self->result_stack, "summary");
    }

  gtk_label_set_label (self->result_title, title);
  gtk_label_set_label (self->result_description, description);
  gtk_widget_set_visible (self->check_again_button, n_problems > 0);

  self->updating = TRUE;
  gtk_widget_set_visible (self->date_order_group, needs_order);
  gtk_check_button_set_active (self->dmy_check, self->date_order == KDX_DATE_ORDER_DMY);
  gtk_check_button_set_active (self->mdy_check, self->date_order == KDX_DATE_ORDER_MDY);
  gtk_widget_set_visible (self->skip_group,
                          self->kind == KDX_IMPORT_COMPLETIONS &&
                          (n_unmatched > 0 || gtk_switch_get_active (self->skip_switch)));
  if (n_unmatched > 0)
    {
      g_autofree char *skip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Import the other rows; the journal "
                                                            "lists the %u unmatched row",
                                                            "Import the other rows; the journal "
                                                            "lists the %u unmatched rows",
                                                            n_unmatched), n_unmatched);

      adw_action_row_set_subtitle (self->skip_row, skip);
    }
  self->updating = FALSE;

  show_page (self, "result");
  update_buttons (self);
}

/* ------------------------------------------------------------------ */
/* Jobs                                                               */

static void
job_progress_cb (KdxJob          *job,
                 GParamSpec      *pspec,
                 KdxImportDialog *self)
{
  g_autofree char *message = kdx_job_dup_message (job);

  gtk_progress_bar_set_fraction (self->progress_bar, kdx_job_get_fraction (job));
  if (message != NULL)
    adw_status_page_set_description (self->progress_status, message);
}

static gboolean
import_job (KdxJob        *job,
            KdxStore      *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  JobData *data = user_data;

  if (data->commit)
    return kdx_import_commit (data->import, store, job, cancellable, error);

  data->plan = kdx_import_plan (data->import, store, job, cancellable, error);

  return data->plan != NULL;
}

static void
job_data_free (JobData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->store);
  g_clear_object (&data->import);
  g_clear_pointer (&data->plan, kdx_import_plan_unref);
  g_free (data);
}

static void
end_job (KdxImportDialog *self)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
  self->committing = FALSE;
}

/* Adds @format with @count on a line of its own, unless @count is 0. */
static void
append_count (GString    *text,
              const char *format,
              guint       count)
{
  if (count == 0)
    return;

  g_string_append_c (text, '\n');
  g_string_append_printf (text, format, count);
}

/* What was imported, in sentences. */
static char *
dup_done_text (KdxImportDialog *self)
{
  KdxImportPlan *plan = self->plan;
  GString *text = g_string_new (NULL);
  guint n;

  switch (self->kind)
    {
    case KDX_IMPORT_PEOPLE:
      n = kdx_import_plan_get_n_new (plan);
      append_count (text, g_dngettext (GETTEXT_PACKAGE, "%u person was added.",
                                       "%u people were added.", n), n);
      n = kdx_import_plan_get_n_updated (plan);
      append_count (text, g_dngettext (GETTEXT_PACKAGE, "%u person was changed.",
                                       "%u people were changed.", n), n);
      n = kdx_import_plan_get_n_deactivated (plan);
      append_count (text, g_dngettext (GETTEXT_PACKAGE, "%u person was deactivated.",
                                       "%u people were deactivated.", n), n);
      break;
    case KDX_IMPORT_ASSIGNMENTS:
      n = kdx_import_plan_get_n_new (plan);
      append_count (text, g_dngettext (GETTEXT_PACKAGE, "%u course was assigned.",
                                       "%u courses were assigned.", n), n);
      break;
    case KDX_IMPORT_COMPLETIONS:
    default:
      n = kdx_import_plan_get_n_new (plan) + kdx_import_plan_get_n_updated (plan);
      append_count (text, g_dngettext (GETTEXT_PACKAGE, "%u completion was recorded.",
                                       "%u completions were recorded.", n), n);
      break;
    }
  if (gtk_switch_get_active (self->skip_switch))
    {
      n = kdx_import_plan_get_n_unmatched (plan);
      append_count (text, g_dngettext (GETTEXT_PACKAGE,
                                       "%u unmatched row was left out; the journal lists it.",
                                       "%u unmatched rows were left out; the journal lists them.",
                                       n), n);
    }

  return g_string_free (text, FALSE);
}

/* What the done page says, and the window's toast. */
static void
show_done (KdxImportDialog *self)
{
  g_autofree char *name = dup_file_name (self->file);
  g_autofree char *counts = self->plan ? dup_done_text (self) : g_strdup ("");
  g_autofree char *description = NULL;

  /* Translators: %s is a file name; what was imported follows */
  description = g_strdup_printf (_("“%s” was imported, and the journal records it."), name);
  if (*counts != '\0')
    {
      g_autofree char *both = g_strconcat (description, "\n", counts, NULL);

      g_free (description);
      description = g_steal_pointer (&both);
    }
  adw_status_page_set_description (self->done_status, description);

  g_free (self->done_message);
  /* Translators: %s is a file name */
  self->done_message = g_strdup_printf (_("Imported “%s”"), name);

  show_page (self, "done");
  update_buttons (self);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  JobData *data = user_data;
  KdxImportDialog *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean ok = kdx_job_run_finish (KDX_JOB (source), result, &error);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The job wrote through a connection of its own: the views of this one
   * learn of it here, even when the dialog was closed meanwhile. */
  if (ok && data->commit)
    {
      /* New people get the rounds that the rules give them. */
      if (self->kind == KDX_IMPORT_PEOPLE)
        kdx_store_emit_changed (data->store, "person");
      kdx_store_emit_changed (data->store, "assignment");
      kdx_store_emit_changed (data->store, "journal");
    }

  if (self->disposed)
    {
      job_data_free (data);
      return;
    }

  end_job (self);
  if (data->commit)
    {
      if (ok)
        show_done (self);
      else if (g_error_matches (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_PROBLEMS) ||
               g_error_matches (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_CHANGED))
        {
          /* The workspace or the file changed since the check: check again. */
          show_banner (self, error->message);
          start_check (self);
        }
      else
        {
          show_banner (self, cancelled ? _("The import was cancelled; nothing was changed.")
                                       : error->message);
          show_page (self, "result");
        }
    }
  else if (ok)
    {
      g_clear_pointer (&self->plan, kdx_import_plan_unref);
      self->plan = g_steal_pointer (&data->plan);
      show_plan (self);
    }
  else
    {
      if (!cancelled)
        show_banner (self, error->message);
      show_page (self, "columns");
    }

  update_buttons (self);
  job_data_free (data);
}

static void
start_job (KdxImportDialog *self,
           gboolean         commit)
{
  g_autofree char *name = dup_file_name (self->file);
  g_autofree char *title = NULL;
  JobData *data;

  g_return_if_fail (!running (self));

  /* The options as the widgets show them. */
  if (self->kind == KDX_IMPORT_PEOPLE)
    kdx_import_set_deactivate_missing (self->import,
                                       gtk_switch_get_active (self->deactivate_switch));
  if (self->kind == KDX_IMPORT_COMPLETIONS)
    kdx_import_set_skip_unmatched (self->import, gtk_switch_get_active (self->skip_switch));
  kdx_import_set_date_order (self->import, self->date_order);

  if (commit)
    /* Translators: %s is a file name */
    title = g_strdup_printf (_("Importing “%s”…"), name);
  else
    /* Translators: %s is a file name */
    title = g_strdup_printf (_("Checking “%s”…"), name);

  self->job = kdx_job_new (title);
  self->cancellable = g_cancellable_new ();
  self->committing = commit;
  g_signal_connect (self->job, "notify::fraction", G_CALLBACK (job_progress_cb), self);
  g_signal_connect (self->job, "notify::message", G_CALLBACK (job_progress_cb), self);

  adw_status_page_set_title (self->progress_status, title);
  adw_status_page_set_description (self->progress_status,
                                   commit ? _("Everything is written at once; Cancel leaves "
                                              "the workspace as it was.")
                                          : _("Every row is compared with the workspace. "
                                              "Nothing is changed."));
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  show_banner (self, NULL);
  show_page (self, "progress");
  update_buttons (self);

  data = g_new0 (JobData, 1);
  data->self = g_object_ref (self);
  data->store = g_object_ref (self->store);
  data->import = g_object_ref (self->import);
  data->commit = commit;
  kdx_job_run_async (self->job, self->store, import_job, data, NULL, self->cancellable,
                     job_done_cb, data);
}

static void
start_check (KdxImportDialog *self)
{
  g_clear_pointer (&self->plan, kdx_import_plan_unref);
  start_job (self, FALSE);
}

/* ------------------------------------------------------------------ */
/* Callbacks and actions                                              */

static void
page_changed_cb (KdxImportDialog *self)
{
  if (!self->disposed)
    update_buttons (self);
}

static void
read_option_changed_cb (KdxImportDialog *self)
{
  guint encoding = adw_combo_row_get_selected (self->encoding_row);
  guint delimiter = adw_combo_row_get_selected (self->delimiter_row);

  if (self->updating || self->file == NULL || running (self))
    return;

  kdx_import_set_encoding (self->import,
                           encoding < G_N_ELEMENTS (encodings) ? encodings[encoding] : NULL);
  kdx_import_set_delimiter (self->import,
                            delimiter < G_N_ELEMENTS (delimiters) ? delimiters[delimiter] : 0);
  read_file (self, TRUE);
}

static void
deactivate_changed_cb (KdxImportDialog *self)
{
  g_clear_pointer (&self->plan, kdx_import_plan_unref);
}

static void
date_order_toggled_cb (KdxImportDialog *self)
{
  KdxDateOrder order;

  if (self->updating || running (self))
    return;

  if (gtk_check_button_get_active (self->dmy_check))
    order = KDX_DATE_ORDER_DMY;
  else if (gtk_check_button_get_active (self->mdy_check))
    order = KDX_DATE_ORDER_MDY;
  else
    return;

  if (order == self->date_order)
    return;
  self->date_order = order;
  start_check (self);
}

static void
skip_changed_cb (KdxImportDialog *self)
{
  if (self->updating || running (self))
    return;

  start_check (self);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     KdxImportDialog *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_unref (chooser);

  if (file != NULL && !self->disposed)
    kdx_import_dialog_open_file (self, file);
  g_object_unref (self);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxImportDialog *self = KDX_IMPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;

  chooser = gtk_file_chooser_native_new (kind_title (self->kind), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_mime_type (filter, "text/tab-separated-values");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "tsv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All Files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);

  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxImportDialog *self = KDX_IMPORT_DIALOG (widget);

  if (running (self))
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxImportDialog *self = KDX_IMPORT_DIALOG (widget);

  show_banner (self, NULL);
  if (g_strcmp0 (page (self), "result") == 0)
    {
      if (!self->opened)
        read_file (self, TRUE);
      show_page (self, "columns");
    }
  else
    show_page (self, "file");
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  start_check (KDX_IMPORT_DIALOG (widget));
}

static void
check_again_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxImportDialog *self = KDX_IMPORT_DIALOG (widget);

  if (!read_file (self, TRUE))
    {
      show_page (self, "columns");
      return;
    }
  if (!kdx_import_check_mapping (self->import, NULL))
    {
      show_page (self, "columns");
      return;
    }
  start_check (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  start_job (KDX_IMPORT_DIALOG (widget), TRUE);
}

static gboolean
drop_cb (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         KdxImportDialog *self)
{
  GFile *file = g_value_get_object (value);
  const char *name = page (self);

  if (file == NULL || running (self) ||
      (g_strcmp0 (name, "file") != 0 && g_strcmp0 (name, "columns") != 0))
    return FALSE;

  kdx_import_dialog_open_file (self, file);
  return TRUE;
}

/* Problems list cells. */
static void
setup_problem_cell_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 1 : 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  if (column == 2)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), 30);
      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
    }
  else
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      if (column == 0)
        gtk_widget_add_css_class (label, "numeric");
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_problem_cell_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  KdxImportProblemItem *problem = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *line = NULL;

  switch (column)
    {
    case 0:
      line = problem->line ? g_strdup_printf ("%u", problem->line) : g_strdup ("");
      gtk_label_set_label (label, line);
      break;
    case 1:
      gtk_label_set_label (label, problem->column);
      break;
    default:
      gtk_label_set_label (label, problem->message);
      break;
    }
}

static void
build_problem_columns (KdxImportDialog *self)
{
  static const struct
  {
    const char *title;
    gboolean    expand;
    int         width;
  } columns[] = {
    /* Translators: column header: the line of the file */
    { N_("Line"), FALSE, 72 },
    /* Translators: column header: the column of the file */
    { N_("Column"), FALSE, 180 },
    { N_("Problem"), TRUE, -1 },
  };
  g_autoptr(GtkNoSelection) selection = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_problem_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_problem_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (columns[i].width > 0)
        gtk_column_view_column_set_fixed_width (column, columns[i].width);
      gtk_column_view_append_column (self->problems_view, column);
      g_object_unref (column);
    }

  self->problems = g_list_store_new (KDX_TYPE_IMPORT_PROBLEM_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->problems)));
  gtk_column_view_set_model (self->problems_view, GTK_SELECTION_MODEL (selection));
}

/* ------------------------------------------------------------------ */
/* Overrides                                                          */

static gboolean
kdx_import_dialog_close_request (GtkWindow *window)
{
  KdxImportDialog *self = KDX_IMPORT_DIALOG (window);
  GtkWindow *parent = gtk_window_get_transient_for (window);

  /* A check stops; an import stops too unless it is written already. */
  if (running (self))
    g_cancellable_cancel (self->cancellable);

  if (self->done_message != NULL && parent != NULL)
    kdx_window_toast_from (GTK_WIDGET (parent), self->done_message);

  return GTK_WINDOW_CLASS (kdx_import_dialog_parent_class)->close_request (window);
}

static void
kdx_import_dialog_dispose (GObject *object)
{
  KdxImportDialog *self = (KdxImportDialog *)object;

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  end_job (self);
  if (self->problems_view != NULL)
    gtk_column_view_set_model (self->problems_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->problems);
  g_clear_pointer (&self->plan, kdx_import_plan_unref);
  g_clear_object (&self->import);
  g_clear_object (&self->file);
  g_clear_object (&self->store);
  g_clear_pointer (&self->done_message, g_free);

  G_OBJECT_CLASS (kdx_import_dialog_parent_class)->dispose (object);
}

static void
kdx_import_dialog_class_init (KdxImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kdx_import_dialog_dispose;
  window_class->close_request = kdx_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, banner_label);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, file_status);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, layout_row);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, layout_label);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, people_group);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, deactivate_switch);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, mapping_error);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, mapping_error_label);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, preview_scroller);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, preview_caption);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, progress_status);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, result_icon);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, result_title);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, result_description);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, check_again_button);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, date_order_group);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, dmy_check);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, mdy_check);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, result_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, summary_list);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, problems_view);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, problems_caption);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, skip_group);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, skip_row);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, KdxImportDialog, done_status);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, read_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, deactivate_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_order_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, skip_changed_cb);

  gtk_widget_class_install_action (widget_class, "import.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "import.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "import.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "import.check-again", NULL, check_again_action);
  gtk_widget_class_install_action (widget_class, "import.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
kdx_import_dialog_init (KdxImportDialog *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  build_problem_columns (self);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

KdxImportDialog *
kdx_import_dialog_new (GtkWindow     *parent,
                       KdxStore      *store,
                       KdxImportKind  kind)
{
  KdxImportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  self = g_object_new (KDX_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->kind = kind;
  self->import = kdx_import_new (kind);
  self->fields = kdx_import_kind_get_fields (kind, &self->n_fields);

  gtk_window_set_title (GTK_WINDOW (self), kind_title (kind));
  adw_window_title_set_title (self->window_title, kind_title (kind));
  adw_status_page_set_title (self->file_status, kind_title (kind));
  adw_status_page_set_description (self->file_status, kind_description (kind));
  gtk_widget_set_visible (self->people_group, kind == KDX_IMPORT_PEOPLE);
  if (!writable (self))
    show_banner (self, _("The workspace is open read-only: a file can be checked, but not "
                         "imported."));

  show_page (self, "file");
  update_buttons (self);

  return self;
}

void
kdx_import_dialog_open_file (KdxImportDialog *self,
                             GFile           *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (KDX_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!running (self));

  g_set_object (&self->file, file);
  name = dup_file_name (file);
  adw_window_title_set_subtitle (self->window_title, name);

  /* A new file: its encoding and delimiter are detected again, and the
   * answers about the last one do not carry over. */
  kdx_import_set_encoding (self->import, NULL);
  kdx_import_set_delimiter (self->import, 0);
  self->date_order = KDX_DATE_ORDER_UNKNOWN;
  self->updating = TRUE;
  gtk_switch_set_active (self->skip_switch, FALSE);
  self->updating = FALSE;

  show_page (self, read_file (self, FALSE) ? "columns" : "file");
}
