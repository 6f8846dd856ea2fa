/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The People area: a query-backed table (filtered and sorted in SQL,
 * searched as one types), add and edit through the person editor, delete
 * to the trash with Undo on a toast, and the import of an HR system's
 * staff list (kdx-import-dialog.h).
 *
 * The table shows the model's rows (kdx_query_model_get_rows()), which keep
 * their place when a search changes what they hold: each keystroke rebinds
 * the rows on screen instead of building them anew, which GTK 4.8 cannot
 * do within a keystroke. The selection follows the person, not the place.
 */
#define G_LOG_DOMAIN "kdx-people-page"

#include "config.h"

#include "kdx-people-page.h"

#include "kdx-format.h"
#include "kdx-import-dialog.h"
#include "kdx-person.h"
#include "kdx-person-editor.h"
#include "kdx-query-model.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

struct _KdxPeoplePage
{
  GtkWidget          parent_instance;

  GtkSearchEntry    *search_entry;
  GtkToggleButton   *committee_toggle;
  GtkToggleButton   *inactive_toggle;
  GtkStack          *stack;
  GtkColumnView     *column_view;
  GtkLabel          *count_label;

  KdxStore          *store;
  GListModel        *model;
  GListModel        *rows;
  GtkSingleSelection *selection;
  KdxPersonSort      sort;
  gboolean           descending;
  gint64             selected_id;        /* 0: no one */
  guint              selected_position;
};

G_DEFINE_FINAL_TYPE (KdxPeoplePage, kdx_people_page, GTK_TYPE_WIDGET)

typedef const char *(*TextGetter) (KdxPerson *person);

static const char *
committee_text (KdxPerson *person)
{
  return kdx_person_get_committee (person) ? _("Member") : "";
}

static const char *
active_text (KdxPerson *person)
{
  return kdx_person_get_active (person) ? _("Active") : _("Inactive");
}

/* A cell is a GtkInscription: it does not measure its text, which a table
 * of 200 rows of seven cells does not need and cannot afford at every
 * keystroke. The widths are in characters. */
static const struct
{
  const char    *title;
  TextGetter     getter;
  KdxPersonSort  sort;
  gboolean       expand;
  guint          min_chars;
  guint          nat_chars;
} columns[] = {
  { N_("Name"), kdx_person_get_name, KDX_PERSON_SORT_NAME, TRUE, 3, 12 },
  { N_("E-mail"), kdx_person_get_email, KDX_PERSON_SORT_EMAIL, TRUE, 3, 12 },
  { N_("Department"), kdx_person_get_department, KDX_PERSON_SORT_DEPARTMENT, TRUE, 3, 12 },
  { N_("Role"), kdx_person_get_role, KDX_PERSON_SORT_ROLE, TRUE, 3, 12 },
  { N_("Manager"), kdx_person_get_manager_name, KDX_PERSON_SORT_MANAGER, TRUE, 3, 12 },
  /* Translators: column header: member of the ethics committee */
  { N_("Committee"), committee_text, KDX_PERSON_SORT_COMMITTEE, FALSE, 3, 9 },
  { N_("Status"), active_text, KDX_PERSON_SORT_ACTIVE, FALSE, 3, 8 },
};

/* ------------------------------------------------------------------ */
/* Sorting in SQL from the column headers                             */

/* The column view names its column through a probe (kdx-format.h); the
 * rows are sorted by SQL. */
static void refilter (KdxPeoplePage *self);

static void
view_sorter_changed_cb (GtkSorter       *sorter,
                        GtkSorterChange  change,
                        KdxPeoplePage   *self)
{
  gboolean descending;
  int column = kdx_column_view_sort_probe (sorter, &descending);

  self->sort = column < 0 ? KDX_PERSON_SORT_NAME : columns[column].sort;
  self->descending = descending;

  refilter (self);
}

/* ------------------------------------------------------------------ */
/* Cells                                                              */

static void
setup_cell (GtkListItem *item,
            guint        column)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), columns[column].min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), columns[column].nat_chars);
  gtk_list_item_set_child (item, cell);
}

/* Shows what the cell's row holds now. */
static void
update_cell (GtkListItem *item,
             guint        column)
{
  KdxQueryRow *row = gtk_list_item_get_item (item);
  KdxPerson *person = row ? kdx_query_row_get_item (row) : NULL;
  GtkWidget *cell = gtk_list_item_get_child (item);
  const char *text = person ? columns[column].getter (person) : NULL;
  gboolean dim = person != NULL && !kdx_person_get_active (person);

  /* Screen readers read an inscription's text as they read a label's. */
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
  if (dim != gtk_widget_has_css_class (cell, "dim-label"))
    {
      if (dim)
        gtk_widget_add_css_class (cell, "dim-label");
      else
        gtk_widget_remove_css_class (cell, "dim-label");
    }
}

static void
build_columns (KdxPeoplePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = kdx_query_cell_factory_new (i, setup_cell, update_cell);
      GtkColumnViewColumn *column;
      GtkSorter *sorter;

      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = kdx_column_sorter_new (i);
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (view_sorter_changed_cb), self);
}

/* ------------------------------------------------------------------ */
/* Behaviour                                                          */

static KdxPerson *
dup_selected (KdxPeoplePage *self)
{
  KdxQueryRow *row;
  KdxPerson *person;

  if (self->selection == NULL)
    return NULL;

  row = gtk_single_selection_get_selected_item (self->selection);
  person = row ? kdx_query_row_get_item (row) : NULL;

  return person ? g_object_ref (person) : NULL;
}

static void
update_state (KdxPeoplePage *self)
{
  guint n = self->model ? g_list_model_get_n_items (self->model) : 0;
  gboolean searching = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0' ||
                       gtk_toggle_button_get_active (self->committee_toggle);
  gboolean writable = self->store != NULL && !kdx_store_is_read_only (self->store);
  g_autoptr(KdxPerson) selected = dup_selected (self);
  g_autofree char *count = NULL;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (searching || (self->store && kdx_person_count (self->store) > 0))
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "empty");

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person", "%u people", n), n);
  gtk_label_set_label (self->count_label, count);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "people.delete", writable && selected != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "people.import", writable);
}

/* A new search, filter or order shows its first rows. */
static void
refilter (KdxPeoplePage *self)
{
  GtkAdjustment *adjustment;

  if (self->model == NULL)
    return;

  kdx_person_model_set_filter (self->model,
                               gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                               gtk_toggle_button_get_active (self->inactive_toggle),
                               gtk_toggle_button_get_active (self->committee_toggle),
                               self->sort, self->descending);

  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

static void
refilter_cb (KdxPeoplePage *self)
{
  refilter (self);
}

/* The rows hold other people now: the selected person is selected where
 * they are, or no one when they are gone from the list. */
static void
reloaded_cb (KdxPeoplePage *self)
{
  if (self->selected_id != 0)
    {
      guint position = kdx_query_model_find_id (KDX_QUERY_MODEL (self->model), self->selected_id);

      if (position == GTK_INVALID_LIST_POSITION)
        self->selected_id = 0;
      if (position != gtk_single_selection_get_selected (self->selection))
        gtk_single_selection_set_selected (self->selection, position);
    }

  update_state (self);
}

static void
open_editor (KdxPeoplePage *self,
             KdxPerson     *person)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  KdxPersonEditor *editor;

  if (self->store == NULL)
    return;

  editor = kdx_person_editor_new (GTK_WINDOW (root), self->store, person);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
row_activated_cb (KdxPeoplePage *self,
                  guint          position)
{
  g_autoptr(KdxPerson) person = g_list_model_get_item (self->model, position);

  if (person != NULL)
    open_editor (self, person);
}

static void
search_activate_cb (KdxPeoplePage *self)
{
  if (self->model != NULL && g_list_model_get_n_items (self->model) == 1)
    row_activated_cb (self, 0);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxPeoplePage *self = KDX_PEOPLE_PAGE (widget);
  g_autoptr(KdxPerson) person = dup_selected (self);
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (person == NULL || self->store == NULL)
    return;

  if (!kdx_person_trash (self->store, kdx_person_get_uuid (person), &error))
    {
      if (KDX_IS_WINDOW (root))
        kdx_window_toast (KDX_WINDOW (root), error->message);
      return;
    }

  if (KDX_IS_WINDOW (root))
    kdx_window_toast_trashed (KDX_WINDOW (root), "person", kdx_person_get_uuid (person),
                              kdx_person_get_name (person));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxPeoplePage *self = KDX_PEOPLE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  KdxImportDialog *dialog;

  if (self->store == NULL)
    return;

  dialog = kdx_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store,
                                  KDX_IMPORT_PEOPLE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
selection_changed_cb (KdxPeoplePage *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION)
    {
      g_autoptr(KdxPerson) person = dup_selected (self);

      self->selected_id = person ? kdx_person_get_id (person) : 0;
      self->selected_position = position;
    }
  else if (self->selected_position < g_list_model_get_n_items (self->rows))
    {
      /* Unselected where the row still is: by the user. (A reload that
       * shortens the list past the selected row unselects it too; then
       * reloaded_cb() selects the person where they are now.) */
      self->selected_id = 0;
    }

  update_state (self);
}

static void
kdx_people_page_dispose (GObject *object)
{
  KdxPeoplePage *self = (KdxPeoplePage *)object;

  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_PEOPLE_PAGE);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kdx_people_page_parent_class)->dispose (object);
}

static void
kdx_people_page_map (GtkWidget *widget)
{
  KdxPeoplePage *self = (KdxPeoplePage *) widget;

  GTK_WIDGET_CLASS (kdx_people_page_parent_class)->map (widget);

  if (self->selection != NULL &&
      gtk_column_view_get_model (self->column_view) != GTK_SELECTION_MODEL (self->selection))
    {
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      /* Whoever opens People likely searches soon. */
      kdx_person_model_preload_search (self->model);
    }
}

static void
kdx_people_page_class_init (KdxPeoplePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_people_page_dispose;
  widget_class->map = kdx_people_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-people-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPeoplePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxPeoplePage, committee_toggle);
  gtk_widget_class_bind_template_child (widget_class, KdxPeoplePage, inactive_toggle);
  gtk_widget_class_bind_template_child (widget_class, KdxPeoplePage, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxPeoplePage, column_view);
  gtk_widget_class_bind_template_child (widget_class, KdxPeoplePage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, refilter_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "people.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "people.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "people.delete", NULL);
  gtk_widget_class_install_action (widget_class, "people.import", NULL, import_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_people_page_init (KdxPeoplePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_columns (self);
  update_state (self);
}

KdxPeoplePage *
kdx_people_page_new (void)
{
  return g_object_new (KDX_TYPE_PEOPLE_PAGE, NULL);
}

void
kdx_people_page_set_store (KdxPeoplePage *self,
                           KdxStore      *store)
{
  g_return_if_fail (KDX_IS_PEOPLE_PAGE (self));

  if (self->store == store)
    return;

  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->model);
  g_set_object (&self->store, store);
  self->selected_id = 0;

  if (store != NULL)
    {
      self->model = kdx_person_model_new (store);
      refilter (self);
      self->rows = kdx_query_model_get_rows (KDX_QUERY_MODEL (self->model));
      self->selection = gtk_single_selection_new (g_object_ref (self->rows));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      g_signal_connect_object (self->model, "reloaded", G_CALLBACK (reloaded_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->selection, "notify::selected",
                               G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
      /* A list view builds its first 200 rows as soon as it has a model,
       * shown or not: a hidden page gets its model when first shown. */
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        {
          gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
          kdx_person_model_preload_search (self->model);
        }
    }

  update_state (self);
}

void
kdx_people_page_focus_search (KdxPeoplePage *self)
{
  g_return_if_fail (KDX_IS_PEOPLE_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
kdx_people_page_set_search (KdxPeoplePage *self,
                            const char    *text)
{
  g_return_if_fail (KDX_IS_PEOPLE_PAGE (self));

  /* Setting the text deletes the old one first: no search for the empty
   * text in between. */
  g_signal_handlers_block_by_func (self->search_entry, refilter_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  g_signal_handlers_unblock_by_func (self->search_entry, refilter_cb, self);
  refilter (self);
}

void
kdx_people_page_add_person (KdxPeoplePage *self)
{
  g_return_if_fail (KDX_IS_PEOPLE_PAGE (self));

  open_editor (self, NULL);
}

GListModel *
kdx_people_page_get_model (KdxPeoplePage *self)
{
  g_return_val_if_fail (KDX_IS_PEOPLE_PAGE (self), NULL);

  return self->model;
}
