/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Frameworks area: the catalogs of the workspace — laws, standards,
 * practices — with their version and legal status; for one catalog the
 * coverage of its requirements by the policies, in document order,
 * filtered to the gaps or searched, and a detail pane where a requirement
 * is read and linked to the policies that cover it; catalogs imported
 * from Kodex or OSCAL catalog files and removed again; and the coverage
 * matrix of AI systems × policies. The coverage rule itself is in core
 * (kdx_coverage_requirements); this page only shows its result.
 */
#define G_LOG_DOMAIN "kdx-frameworks-page"

#include "config.h"

#include "kdx-frameworks-page.h"

#include "kdx-catalog.h"
#include "kdx-coverage-matrix.h"
#include "kdx-format.h"
#include "kdx-job.h"
#include "kdx-mapping.h"
#include "kdx-mapping-widgets.h"
#include "kdx-policy.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

/* ------------------------------------------------------------------ */
/* One row of the requirement list                                    */

#define KDX_TYPE_FRAMEWORKS_ITEM (kdx_frameworks_item_get_type ())
G_DECLARE_FINAL_TYPE (KdxFrameworksItem, kdx_frameworks_item, KDX, FRAMEWORKS_ITEM, GObject)

struct _KdxFrameworksItem
{
  GObject                 parent_instance;
  KdxRequirementCoverage *row;
  char                   *search;   /* label, code, title and policies, case-folded */
};

G_DEFINE_FINAL_TYPE (KdxFrameworksItem, kdx_frameworks_item, G_TYPE_OBJECT)

static void
kdx_frameworks_item_finalize (GObject *object)
{
  KdxFrameworksItem *self = KDX_FRAMEWORKS_ITEM (object);

  g_clear_pointer (&self->row, kdx_requirement_coverage_free);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (kdx_frameworks_item_parent_class)->finalize (object);
}

static void
kdx_frameworks_item_class_init (KdxFrameworksItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_frameworks_item_finalize;
}

static void
kdx_frameworks_item_init (KdxFrameworksItem *self)
{
}

/* ------------------------------------------------------------------ */

struct _KdxFrameworksPage
{
  GtkWidget              parent_instance;

  AdwViewStack          *view_stack;
  GtkSpinner            *import_spinner;
  GtkButton             *import_button;
  GtkStack              *main_stack;
  GtkListBox            *catalog_list;
  GtkLabel              *catalog_title_label;
  GtkLabel              *catalog_caption_label;
  GtkLabel              *catalog_legal_label;
  GtkMenuButton         *about_button;
  GtkLabel              *about_legal_label;
  GtkLabel              *about_source_label;
  GtkLabel              *about_licence_label;
  GtkButton             *remove_button;
  GtkSearchEntry        *search_entry;
  GtkToggleButton       *filter_all;
  GtkToggleButton       *filter_gap;
  GtkToggleButton       *filter_partly;
  GtkToggleButton       *filter_covered;
  AdwLeaflet            *leaflet;
  GtkStack              *list_stack;
  GtkColumnView         *requirement_view;
  GtkLabel              *counts_label;
  GtkStack              *detail_stack;
  GtkLabel              *detail_code_label;
  GtkLabel              *detail_coverage_label;
  GtkLabel              *detail_title_label;
  GtkLabel              *detail_coverage_note;
  GtkLabel              *detail_text_label;
  AdwActionRow          *applies_row;
  AdwActionRow          *status_row;
  GtkMenuButton         *link_button;
  GtkPopover            *link_popover;
  GtkSearchEntry        *link_search;
  GtkListBox            *link_list;
  GtkListBox            *policies_list;
  GtkLabel              *inherited_label;
  KdxCoverageMatrixView *matrix_view;

  KdxStore              *store;
  GPtrArray             *catalogs;      /* KdxCatalog, by title */
  char                  *catalog_key;   /* the catalog shown */
  GListStore            *model;         /* KdxFrameworksItem, document order */
  GtkCustomFilter       *filter;
  GtkFilterListModel    *filtered;
  GtkSingleSelection    *selection;
  char                  *search;        /* case-folded search text, or NULL */
  guint                  counts[KDX_COVERAGE_N_STATES];
  KdxRequirement        *requirement;   /* in the detail pane */
  GCancellable          *import_cancellable;
  gboolean               filling;
};

G_DEFINE_FINAL_TYPE (KdxFrameworksPage, kdx_frameworks_page, GTK_TYPE_WIDGET)

static const char *coverage_classes[] = {
  "kdx-coverage-gap", "kdx-coverage-partly", "kdx-coverage-covered",
};
G_STATIC_ASSERT (G_N_ELEMENTS (coverage_classes) == KDX_COVERAGE_N_STATES);

static void fill_detail (KdxFrameworksPage *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
writable (KdxFrameworksPage *self)
{
  return self->store != NULL && !kdx_store_is_read_only (self->store);
}

static KdxCatalog *
current_catalog (KdxFrameworksPage *self)
{
  for (guint i = 0; self->catalogs != NULL && i < self->catalogs->len; i++)
    {
      KdxCatalog *catalog = self->catalogs->pdata[i];

      if (g_strcmp0 (catalog->key, self->catalog_key) == 0)
        return catalog;
    }

  return NULL;
}

static void
set_coverage_pill (GtkWidget   *label,
                   KdxCoverage  coverage)
{
  gtk_label_set_label (GTK_LABEL (label), kdx_coverage_get_label (coverage));
  for (guint i = 0; i < G_N_ELEMENTS (coverage_classes); i++)
    if (i != coverage)
      gtk_widget_remove_css_class (label, coverage_classes[i]);
  gtk_widget_add_css_class (label, coverage_classes[coverage]);
}

/* "As of 2026-11-01 · In force since 1 August 2024. …" */
static char *
legal_caption (const KdxCatalog *catalog)
{
  g_autofree char *as_of = kdx_format_date (catalog->as_of);
  const char *status = kdx_catalog_get_legal_status (catalog);

  if (status != NULL)
    /* Translators: the date a catalog's content reflects, then its legal status */
    return g_strdup_printf (_("As of %s · %s"), as_of, status);

  /* Translators: the date a catalog's content reflects */
  return g_strdup_printf (_("As of %s"), as_of);
}

/* "Version 2024/1689 · 43 requirements · Comes with Kodex" */
static char *
catalog_caption (const KdxCatalog *catalog)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (catalog->version != NULL)
    /* Translators: the version of a catalog, such as 2024/1689 or 1.0 */
    g_string_append_printf (text, _("Version %s · "), catalog->version);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u requirement",
                                             "%u requirements", catalog->n_requirements),
                          catalog->n_requirements);
  g_string_append (text, " · ");
  if (catalog->shipped)
    g_string_append (text, _("Comes with Kodex"));
  else
    {
      g_autofree char *date = kdx_format_date (catalog->imported);

      /* Translators: when a catalog was imported into the workspace */
      g_string_append_printf (text, _("Imported on %s"), date);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ------------------------------------------------------------------ */
/* The catalogs                                                       */

static GtkWidget *
catalog_row_new (KdxFrameworksPage *self,
                 KdxCatalog        *catalog)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (kdx_catalog_get_title (catalog));
  g_autofree char *caption_text = catalog_caption (catalog);
  g_autofree char *legal_text = legal_caption (catalog);
  GtkWidget *caption = gtk_label_new (caption_text);
  GtkWidget *legal = gtk_label_new (legal_text);

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_hexpand (text, TRUE);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_add_css_class (caption, "caption");
  /* The legal status is a paragraph for some laws: its start is shown
   * here, the whole of it in the tooltip and beside the catalog. */
  gtk_label_set_xalign (GTK_LABEL (legal), 0);
  gtk_label_set_wrap (GTK_LABEL (legal), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (legal), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (legal), 2);
  gtk_label_set_ellipsize (GTK_LABEL (legal), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (legal, "caption");
  if (kdx_catalog_get_legal_status (catalog) != NULL)
    {
      gtk_widget_add_css_class (legal, "kdx-legal-status");
      gtk_widget_set_tooltip_text (legal, legal_text);
    }
  else
    gtk_widget_add_css_class (legal, "dim-label");

  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), caption);
  gtk_box_append (GTK_BOX (text), legal);
  gtk_box_append (GTK_BOX (box), text);

  if (!catalog->shipped)
    {
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Remove “%s”…"), kdx_catalog_get_title (catalog));

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tooltip, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "frameworks.remove-catalog");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", catalog->key);
      gtk_widget_set_sensitive (remove, writable (self));
      gtk_box_append (GTK_BOX (box), remove);
    }
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("go-next-symbolic"));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "key", g_strdup (catalog->key), g_free);

  return row;
}

static void
fill_catalogs (KdxFrameworksPage *self)
{
  g_autoptr(GError) error = NULL;

  kdx_list_box_remove_all (self->catalog_list);
  g_clear_pointer (&self->catalogs, g_ptr_array_unref);
  if (self->store == NULL)
    return;

  self->catalogs = kdx_catalog_list (self->store, &error);
  if (self->catalogs == NULL)
    {
      g_warning ("Cannot list the catalogs: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->catalogs->len; i++)
    gtk_list_box_append (self->catalog_list, catalog_row_new (self, self->catalogs->pdata[i]));
}

static void
fill_catalog_header (KdxFrameworksPage *self)
{
  KdxCatalog *catalog = current_catalog (self);
  g_autofree char *caption = NULL;
  g_autofree char *legal = NULL;
  g_autoptr(GString) source = NULL;
  const char *status;

  if (catalog == NULL)
    return;

  caption = catalog_caption (catalog);
  legal = legal_caption (catalog);
  status = kdx_catalog_get_legal_status (catalog);
  gtk_label_set_label (self->catalog_title_label, kdx_catalog_get_title (catalog));
  gtk_label_set_label (self->catalog_caption_label, caption);
  gtk_label_set_label (self->catalog_legal_label, legal);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->catalog_legal_label), legal);
  if (status != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->catalog_legal_label), "kdx-legal-status");
      gtk_widget_remove_css_class (GTK_WIDGET (self->catalog_legal_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->catalog_legal_label), "kdx-legal-status");
      gtk_widget_add_css_class (GTK_WIDGET (self->catalog_legal_label), "dim-label");
    }

  gtk_label_set_label (self->about_legal_label, legal);
  source = g_string_new (catalog->source ? catalog->source : "");
  if (catalog->source_url != NULL)
    g_string_append_printf (source, "\n%s", catalog->source_url);
  gtk_label_set_label (self->about_source_label, source->str);
  gtk_label_set_label (self->about_licence_label, catalog->licence ? catalog->licence : "");

  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), !catalog->shipped);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), writable (self));
}

/* ------------------------------------------------------------------ */
/* The requirement list                                               */

static int
shown_coverage (KdxFrameworksPage *self)
{
  if (gtk_toggle_button_get_active (self->filter_gap))
    return KDX_COVERAGE_GAP;
  if (gtk_toggle_button_get_active (self->filter_partly))
    return KDX_COVERAGE_PARTLY;
  if (gtk_toggle_button_get_active (self->filter_covered))
    return KDX_COVERAGE_COVERED;

  return -1;
}

static gboolean
text_matches (const char *text,
              const char *folded_query)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);

  return strstr (folded, folded_query) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  KdxFrameworksPage *self = user_data;
  KdxFrameworksItem *it = KDX_FRAMEWORKS_ITEM (item);
  int only = shown_coverage (self);

  if (only >= 0 && (int) it->row->coverage != only)
    return FALSE;

  return self->search == NULL || strstr (it->search, self->search) != NULL;
}

static void
update_list_state (KdxFrameworksPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *covered = NULL;
  g_autofree char *partly = NULL;
  g_autofree char *gaps = NULL;
  g_autofree char *counts = NULL;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (shown_coverage (self) == KDX_COVERAGE_GAP && self->search == NULL)
    gtk_stack_set_visible_child_name (self->list_stack, "no-gaps");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");

  covered = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u covered", "%u covered",
                                          self->counts[KDX_COVERAGE_COVERED]),
                             self->counts[KDX_COVERAGE_COVERED]);
  partly = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u partly", "%u partly",
                                         self->counts[KDX_COVERAGE_PARTLY]),
                            self->counts[KDX_COVERAGE_PARTLY]);
  gaps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u gap", "%u gaps",
                                       self->counts[KDX_COVERAGE_GAP]),
                          self->counts[KDX_COVERAGE_GAP]);
  /* Translators: the coverage counts of a catalog: "12 covered · 3 partly · 20 gaps" */
  counts = g_strdup_printf (_("%s · %s · %s"), covered, partly, gaps);
  gtk_label_set_label (self->counts_label, counts);
}

static guint
position_of (KdxFrameworksPage *self,
             const char        *uuid)
{
  GListModel *model = G_LIST_MODEL (self->filtered);

  for (guint i = 0; uuid != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KdxFrameworksItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (item->row->uuid, uuid))
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static void
scroll_to (KdxFrameworksPage *self,
           guint              position)
{
  /* GTK 4.8 cannot scroll a column view to a row (4.12 can); the list
   * view inside the column view has the action that does it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->requirement_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static void
reload_requirements (KdxFrameworksPage *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = self->requirement ? g_strdup (self->requirement->uuid) : NULL;
  guint position;

  memset (self->counts, 0, sizeof self->counts);
  if (self->store != NULL && self->catalog_key != NULL)
    {
      rows = kdx_coverage_requirements (self->store, self->catalog_key, -1, &error);
      if (rows == NULL)
        g_warning ("Cannot compute the coverage of %s: %s", self->catalog_key, error->message);
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  if (rows != NULL)
    {
      /* The items take the rows over. */
      g_ptr_array_set_free_func (rows, NULL);
      for (guint i = 0; i < rows->len; i++)
        {
          KdxFrameworksItem *item = g_object_new (KDX_TYPE_FRAMEWORKS_ITEM, NULL);

          g_autofree char *text = NULL;

          item->row = rows->pdata[i];
          /* Folded once here, not on every keystroke of a search. */
          text = g_strjoin ("\n", item->row->label, item->row->code,
                            item->row->title ? item->row->title : "",
                            item->row->policies ? item->row->policies : "", NULL);
          item->search = g_utf8_casefold (text, -1);
          self->counts[item->row->coverage]++;
          g_ptr_array_add (items, item);
        }
    }

  self->filling = TRUE;
  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       items->pdata, items->len);
  position = position_of (self, selected);
  gtk_single_selection_set_selected (self->selection, position);
  self->filling = FALSE;

  update_list_state (self);
  fill_detail (self);
}

static void
refilter_cb (KdxFrameworksPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_autofree char *selected = self->requirement ? g_strdup (self->requirement->uuid) : NULL;
  guint position;

  g_clear_pointer (&self->search, g_free);
  if (*text != '\0')
    self->search = g_utf8_casefold (text, -1);

  self->filling = TRUE;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  position = position_of (self, selected);
  gtk_single_selection_set_selected (self->selection, position);
  self->filling = FALSE;

  update_list_state (self);
  fill_detail (self);
  /* A new filter starts at the top, or where the chosen requirement is. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    scroll_to (self, position != GTK_INVALID_LIST_POSITION ? position : 0);
}

static void
search_activate_cb (KdxFrameworksPage *self)
{
  /* Enter may come before the entry's pause for "search-changed". */
  refilter_cb (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->requirement_view));
}

static void
selection_changed_cb (KdxFrameworksPage *self)
{
  if (!self->filling)
    fill_detail (self);
}

static void
requirement_activated_cb (KdxFrameworksPage *self,
                          guint              position)
{
  gtk_single_selection_set_selected (self->selection, position);
  /* Folded, the detail pane is a page of its own. */
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail_stack));
}

/* The columns: the requirement indented by its depth, its coverage, and
 * the policies that cover it. */
enum { COLUMN_REQUIREMENT, COLUMN_COVERAGE, COLUMN_POLICIES };

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  switch (column)
    {
    case COLUMN_REQUIREMENT:
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_use_markup (GTK_LABEL (label), TRUE);
      break;
    case COLUMN_COVERAGE:
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_add_css_class (label, "kdx-status");
      break;
    default:
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "dim-label");
      break;
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  KdxRequirementCoverage *row = KDX_FRAMEWORKS_ITEM (gtk_list_item_get_item (list_item))->row;
  GtkWidget *label = gtk_list_item_get_child (list_item);

  switch (column)
    {
    case COLUMN_REQUIREMENT:
      {
        g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>  %s", row->label,
                                                           row->title ? row->title : "");
        g_autofree char *tooltip = g_strdup_printf ("%s  %s", row->label,
                                                    row->title ? row->title : "");

        gtk_label_set_markup (GTK_LABEL (label), markup);
        gtk_widget_set_tooltip_text (label, tooltip);
        /* A tree in document order: children sit under their parent. */
        gtk_widget_set_margin_start (label, MIN (row->depth, 8) * 20);
      }
      break;
    case COLUMN_COVERAGE:
      set_coverage_pill (label, row->coverage);
      break;
    default:
      gtk_label_set_label (GTK_LABEL (label), row->policies ? row->policies : "");
      gtk_widget_set_tooltip_text (label, row->policies);
      break;
    }
}

static void
build_columns (KdxFrameworksPage *self)
{
  static const struct
  {
    const char *title;
    gboolean    expand;
  } columns[] = {
    { N_("Requirement"), TRUE },
    { N_("Coverage"), FALSE },
    { N_("Policies"), FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (i == COLUMN_POLICIES)
        gtk_column_view_column_set_fixed_width (column, 150);
      gtk_column_view_append_column (self->requirement_view, column);
    }
}

/* ------------------------------------------------------------------ */
/* The detail pane                                                    */

static void
unlink_clicked_cb (GtkButton         *button,
                   KdxFrameworksPage *self)
{
  const char *policy = g_object_get_data (G_OBJECT (button), "policy");
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  KdxRequirementLink *link;

  if (self->requirement == NULL || !writable (self))
    return;

  link = kdx_requirement_link_new (self->store, policy, self->requirement->uuid);
  /* Translators: "POL-001 no longer covers Art. 50" */
  message = g_strdup_printf (_("%s no longer covers %s"), key, self->requirement->label);

  if (!kdx_mapping_unlink_requirement (self->store, policy, self->requirement->uuid, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      kdx_requirement_link_free (link);
      return;
    }
  kdx_toast_with_undo (GTK_WIDGET (self), message, G_CALLBACK (kdx_requirement_link_undo_cb), link,
                       (GDestroyNotify) kdx_requirement_link_free);
}

static GtkWidget *
policy_row_new (KdxFrameworksPage *self,
                KdxMappingRow     *policy)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *unlink = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *title = g_strdup_printf ("%s · %s", policy->key, policy->title);
  /* Translators: a button that removes the link between a policy and a requirement */
  g_autofree char *tooltip = g_strdup_printf (_("Unlink %s"), policy->key);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               policy->in_effect ? _("In effect: a version is published")
                                                 : _("Not in effect yet: no version is published"));
  gtk_widget_set_valign (unlink, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (unlink, "flat");
  gtk_widget_set_tooltip_text (unlink, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (unlink), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_sensitive (unlink, writable (self));
  g_object_set_data_full (G_OBJECT (unlink), "policy", g_strdup (policy->uuid), g_free);
  g_object_set_data_full (G_OBJECT (unlink), "key", g_strdup (policy->key), g_free);
  g_signal_connect (unlink, "clicked", G_CALLBACK (unlink_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), unlink);

  return row;
}

static const char *
coverage_note (KdxCoverage coverage)
{
  switch (coverage)
    {
    case KDX_COVERAGE_COVERED:
      return _("A policy in effect covers it, or all of its parts.");
    case KDX_COVERAGE_PARTLY:
      return _("Only policies not yet in effect cover it, or only some of its parts are covered.");
    default:
      return _("No policy covers it yet.");
    }
}

static void
fill_detail (KdxFrameworksPage *self)
{
  KdxFrameworksItem *item = gtk_single_selection_get_selected_item (self->selection);
  KdxCatalog *catalog = current_catalog (self);
  g_autoptr(KdxRequirement) requirement = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) inherited = g_string_new (NULL);
  g_autofree char *code = NULL;
  g_auto(GStrv) keys = NULL;
  const char *text;
  const char *status;

  kdx_list_box_remove_all (self->policies_list);
  if (item != NULL && self->store != NULL)
    {
      requirement = kdx_requirement_load (self->store, item->row->uuid, &error);
      if (requirement == NULL)
        g_warning ("Cannot load requirement %s: %s", item->row->code, error->message);
    }

  g_clear_pointer (&self->requirement, kdx_requirement_free);
  if (requirement == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      if (gtk_widget_get_visible (GTK_WIDGET (self->link_popover)))
        gtk_popover_popdown (self->link_popover);
      return;
    }
  self->requirement = g_steal_pointer (&requirement);
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");

  code = g_strdup_printf ("%s · %s", catalog ? kdx_catalog_get_title (catalog) : self->catalog_key,
                          self->requirement->label);
  gtk_label_set_label (self->detail_code_label, code);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_code_label), code);
  set_coverage_pill (GTK_WIDGET (self->detail_coverage_label), item->row->coverage);
  gtk_label_set_label (self->detail_coverage_note, coverage_note (item->row->coverage));
  gtk_label_set_label (self->detail_title_label, kdx_requirement_get_title (self->requirement));

  text = kdx_requirement_get_text (self->requirement);
  gtk_label_set_label (self->detail_text_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_text_label), text != NULL);

  if (self->requirement->applies_from != NULL)
    {
      g_autofree char *date = kdx_format_date (self->requirement->applies_from);

      adw_action_row_set_subtitle (self->applies_row, date);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->applies_row), self->requirement->applies_from != NULL);
  status = kdx_requirement_get_legal_status (self->requirement);
  adw_action_row_set_subtitle (self->status_row, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_row), status != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->applies_row)),
                          self->requirement->applies_from != NULL || status != NULL);

  policies = kdx_mapping_list_policies_for_requirement (self->store, self->requirement->uuid, &error);
  if (policies == NULL)
    {
      g_warning ("Cannot list the policies of %s: %s", self->requirement->code, error->message);
      policies = g_ptr_array_new ();
    }
  for (guint i = 0; i < policies->len; i++)
    gtk_list_box_append (self->policies_list, policy_row_new (self, policies->pdata[i]));
  if (policies->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No policy is linked to it"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->policies_list, row);
    }

  /* Policies linked to a parent cover this requirement too; core names
   * them with the row, so the pane can say where they come from. */
  keys = item->row->policies ? g_strsplit (item->row->policies, ", ", -1) : NULL;
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      gboolean direct = FALSE;

      for (guint j = 0; j < policies->len && !direct; j++)
        direct = g_str_equal (((KdxMappingRow *) policies->pdata[j])->key, keys[i]);
      if (!direct)
        g_string_append_printf (inherited, "%s%s", inherited->len ? ", " : "", keys[i]);
    }
  if (inherited->len > 0)
    {
      /* Translators: policies that cover a requirement through its parent: "… a parent requirement: POL-002" */
      g_autofree char *note = g_strdup_printf (_("Also covered through a parent requirement: %s"),
                                               inherited->str);
      gtk_label_set_label (self->inherited_label, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->inherited_label), inherited->len > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->link_button), writable (self));
}

/* ------------------------------------------------------------------ */
/* Link Policy…                                                       */

static gboolean
link_filter_func (GtkListBoxRow *row,
                  gpointer       user_data)
{
  KdxFrameworksPage *self = user_data;
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_search))));
  g_autofree char *folded = NULL;

  if (*query == '\0')
    return TRUE;
  folded = g_utf8_casefold (query, -1);

  return text_matches (g_object_get_data (G_OBJECT (row), "search"), folded);
}

static void
link_popover_show_cb (KdxFrameworksPage *self)
{
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GError) error = NULL;
  KdxPolicyFilter filter;

  kdx_list_box_remove_all (self->link_list);
  gtk_editable_set_text (GTK_EDITABLE (self->link_search), "");
  if (self->store == NULL || self->requirement == NULL)
    return;

  kdx_policy_filter_init (&filter);
  filter.include_retired = FALSE;
  policies = kdx_policy_list (self->store, &filter, &error);
  if (policies == NULL)
    {
      g_warning ("Cannot list policies: %s", error->message);
      return;
    }
  linked = kdx_mapping_list_policies_for_requirement (self->store, self->requirement->uuid, NULL);

  for (guint i = 0; i < policies->len; i++)
    {
      KdxPolicy *policy = policies->pdata[i];
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *title = g_strdup_printf ("%s · %s", kdx_policy_get_key (policy),
                                                kdx_policy_get_title (policy));
      GtkWidget *title_label = gtk_label_new (title);
      GtkWidget *state_label;
      gboolean is_linked = FALSE;

      for (guint j = 0; linked != NULL && j < linked->len && !is_linked; j++)
        is_linked = g_str_equal (((KdxMappingRow *) linked->pdata[j])->uuid,
                                 kdx_policy_get_uuid (policy));

      state_label = gtk_label_new (is_linked ? _("Linked already")
                                   : kdx_policy_get_published_label (policy) != NULL
                                   ? C_("policy", "In effect") : _("Not in effect yet"));
      gtk_label_set_xalign (GTK_LABEL (title_label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (state_label), 0);
      gtk_widget_add_css_class (state_label, "dim-label");
      gtk_widget_add_css_class (state_label, "caption");
      gtk_box_append (GTK_BOX (box), title_label);
      gtk_box_append (GTK_BOX (box), state_label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_sensitive (row, !is_linked);
      g_object_set_data_full (G_OBJECT (row), "policy", g_strdup (kdx_policy_get_uuid (policy)), g_free);
      g_object_set_data_full (G_OBJECT (row), "key", g_strdup (kdx_policy_get_key (policy)), g_free);
      g_object_set_data_full (G_OBJECT (row), "search", g_steal_pointer (&title), g_free);
      gtk_list_box_append (self->link_list, row);
    }

  if (policies->len == 0)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (_("No policies yet: write one under Code of Conduct & Policies."));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_sensitive (row, FALSE);
      gtk_list_box_append (self->link_list, row);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->link_search));
}

static void
link_search_changed_cb (KdxFrameworksPage *self)
{
  gtk_list_box_invalidate_filter (self->link_list);
}

static void
link_row_activated_cb (KdxFrameworksPage *self,
                       GtkListBoxRow     *row)
{
  const char *policy = g_object_get_data (G_OBJECT (row), "policy");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *label = NULL;

  if (policy == NULL || self->requirement == NULL || !writable (self))
    return;

  gtk_popover_popdown (self->link_popover);
  label = g_strdup (self->requirement->label);
  /* Translators: "POL-001 now covers Art. 50" */
  message = g_strdup_printf (_("%s now covers %s"), (char *) g_object_get_data (G_OBJECT (row), "key"),
                             label);
  if (!kdx_mapping_link_requirement (self->store, policy, self->requirement->uuid, &error))
    kdx_window_toast_from (GTK_WIDGET (self), error->message);
  else
    kdx_window_toast_from (GTK_WIDGET (self), message);
}

static void
link_search_activate_cb (KdxFrameworksPage *self)
{
  gtk_list_box_invalidate_filter (self->link_list);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->link_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_child_visible (row) && gtk_widget_is_sensitive (row))
      {
        link_row_activated_cb (self, GTK_LIST_BOX_ROW (row));
        return;
      }
}

/* ------------------------------------------------------------------ */
/* Import and removal                                                 */

typedef struct
{
  char *path;
  char *key;   /* set by the job */
} ImportData;

static void
import_data_clear (ImportData *data)
{
  g_free (data->path);
  g_free (data->key);
}

static void
import_data_release (gpointer data)
{
  g_rc_box_release_full (data, (GDestroyNotify) import_data_clear);
}

typedef struct
{
  KdxFrameworksPage *page;
  KdxStore          *store;
  ImportData        *data;
} ImportContext;

static void
import_context_free (ImportContext *ctx)
{
  g_object_unref (ctx->page);
  g_object_unref (ctx->store);
  import_data_release (ctx->data);
  g_free (ctx);
}

/* In a worker thread, on the job's own connection: reading and checking
 * a catalog of thousands of controls takes a moment. One transaction:
 * the catalog lands whole or not at all. */
static gboolean
import_job (KdxJob        *job,
            KdxStore      *store,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ImportData *data = user_data;

  return kdx_catalog_import_file (store, data->path, KDX_CATALOG_FORMAT_AUTO, &data->key, error);
}

static void
update_actions (KdxFrameworksPage *self)
{
  gboolean busy = self->import_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "frameworks.import", writable (self) && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "frameworks.remove-catalog",
                                 writable (self) && !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->import_spinner), busy);
  gtk_spinner_set_spinning (self->import_spinner, busy);
}

static void
show_import_error (KdxFrameworksPage *self,
                   const char        *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Cannot Import the Catalog"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportContext *ctx = user_data;
  KdxFrameworksPage *self = ctx->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCatalog) catalog = NULL;
  g_autofree char *message = NULL;
  gboolean ok = kdx_job_run_finish (KDX_JOB (source), result, &error);

  g_clear_object (&self->import_cancellable);
  if (self->store == ctx->store)
    update_actions (self);

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->store == ctx->store)
        show_import_error (self, error->message);
      import_context_free (ctx);
      return;
    }

  /* The job wrote through a connection of its own: the views of this
   * one learn of it here. */
  kdx_store_emit_changed (ctx->store, "catalog");
  if (self->store == ctx->store)
    {
      catalog = kdx_catalog_load (ctx->store, ctx->data->key, NULL);
      if (catalog != NULL)
        {
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Imported “%s” with %u requirement",
                                                  "Imported “%s” with %u requirements",
                                                  catalog->n_requirements),
                                     kdx_catalog_get_title (catalog), catalog->n_requirements);
          kdx_window_toast_from (GTK_WIDGET (self), message);
          kdx_frameworks_page_show_catalog (self, catalog->key);
        }
    }
  import_context_free (ctx);
}

static void
import_response_cb (GtkNativeDialog   *dialog,
                    int                response,
                    KdxFrameworksPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);

  if (file != NULL)
    kdx_frameworks_page_import_file (self, file);
  g_object_unref (self);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  kdx_frameworks_page_import (KDX_FRAMEWORKS_PAGE (widget));
}

typedef struct
{
  KdxFrameworksPage *page;
  char              *key;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_object_unref (data->page);
  g_free (data->key);
  g_free (data);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RemoveData       *data)
{
  KdxFrameworksPage *self = data->page;
  g_autoptr(KdxCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_str_equal (response, "remove") || self->store == NULL)
    return;

  catalog = kdx_catalog_load (self->store, data->key, &error);
  if (catalog == NULL || !kdx_catalog_remove (self->store, data->key, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }
  /* Translators: a catalog was removed from the workspace */
  message = g_strdup_printf (_("“%s” was removed"), kdx_catalog_get_title (catalog));
  kdx_window_toast_from (GTK_WIDGET (self), message);
}

static void
remove_catalog_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KdxFrameworksPage *self = KDX_FRAMEWORKS_PAGE (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(KdxCatalog) catalog = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  RemoveData *data;

  if (!writable (self))
    return;
  catalog = kdx_catalog_load (self->store, key, &error);
  if (catalog == NULL)
    {
      kdx_window_toast_from (widget, error->message);
      return;
    }

  heading = g_strdup_printf (_("Remove “%s”?"), kdx_catalog_get_title (catalog));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Its %u requirement leaves the workspace; the journal "
                                       "keeps a record of it. You can import the file again later.",
                                       "Its %u requirements leave the workspace; the journal "
                                       "keeps a record of them. You can import the file again later.",
                                       catalog->n_requirements),
                          catalog->n_requirements);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (RemoveData, 1);
  data->page = g_object_ref (self);
  data->key = g_strdup (key);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb), data,
                         (GClosureNotify) (void (*) (void)) remove_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_clicked_cb (KdxFrameworksPage *self)
{
  if (self->catalog_key != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "frameworks.remove-catalog", "s",
                                self->catalog_key);
}

/* ------------------------------------------------------------------ */
/* Navigation                                                         */

static void
catalog_activated_cb (KdxFrameworksPage *self,
                      GtkListBoxRow     *row)
{
  kdx_frameworks_page_show_catalog (self, g_object_get_data (G_OBJECT (row), "key"));
}

static void
show_catalogs (KdxFrameworksPage *self)
{
  g_clear_pointer (&self->catalog_key, g_free);
  gtk_stack_set_visible_child_name (self->main_stack, "catalogs");
  reload_requirements (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxFrameworksPage *self = KDX_FRAMEWORKS_PAGE (widget);

  if (adw_leaflet_get_folded (self->leaflet) &&
      adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->detail_stack) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "catalog") == 0)
    {
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
      return;
    }
  show_catalogs (self);
}

static void
back_to_list_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KdxFrameworksPage *self = KDX_FRAMEWORKS_PAGE (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
reset_filter (KdxFrameworksPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->filter_all, TRUE);
  refilter_cb (self);
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  reset_filter (KDX_FRAMEWORKS_PAGE (widget));
}

static void
store_changed_cb (KdxStore          *store,
                  const char        *entity,
                  GArray            *ids,
                  KdxFrameworksPage *self)
{
  if (g_strcmp0 (entity, "catalog") == 0 || g_strcmp0 (entity, "import") == 0 ||
      g_strcmp0 (entity, "workspace") == 0)
    {
      fill_catalogs (self);
      if (self->catalog_key != NULL && current_catalog (self) == NULL)
        show_catalogs (self);
      else
        {
          fill_catalog_header (self);
          reload_requirements (self);
        }
      update_actions (self);
    }
  else if (g_strcmp0 (entity, "policy") == 0)
    /* Coverage follows from the policies: their links and whether they
     * are in effect. */
    reload_requirements (self);
}

/* ------------------------------------------------------------------ */

static void
kdx_frameworks_page_dispose (GObject *object)
{
  KdxFrameworksPage *self = KDX_FRAMEWORKS_PAGE (object);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_FRAMEWORKS_PAGE);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->catalogs, g_ptr_array_unref);
  g_clear_pointer (&self->catalog_key, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->requirement, kdx_requirement_free);

  G_OBJECT_CLASS (kdx_frameworks_page_parent_class)->dispose (object);
}

static void
kdx_frameworks_page_class_init (KdxFrameworksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_frameworks_page_dispose;

  g_type_ensure (KDX_TYPE_COVERAGE_MATRIX_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-frameworks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, import_spinner);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, catalog_list);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, catalog_title_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, catalog_caption_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, catalog_legal_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, about_button);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, about_legal_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, about_source_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, about_licence_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, remove_button);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, filter_all);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, filter_gap);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, filter_partly);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, filter_covered);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, requirement_view);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, detail_code_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, detail_coverage_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, detail_title_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, detail_coverage_note);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, detail_text_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, applies_row);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, link_button);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, link_popover);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, link_search);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, link_list);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, policies_list);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, inherited_label);
  gtk_widget_class_bind_template_child (widget_class, KdxFrameworksPage, matrix_view);
  gtk_widget_class_bind_template_callback (widget_class, catalog_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refilter_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, requirement_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "frameworks.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "frameworks.remove-catalog", "s",
                                   remove_catalog_action);
  gtk_widget_class_install_action (widget_class, "frameworks.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "frameworks.back-to-list", NULL,
                                   back_to_list_action);
  gtk_widget_class_install_action (widget_class, "frameworks.show-all", NULL, show_all_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "frameworks.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_frameworks_page_init (KdxFrameworksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = g_list_store_new (KDX_TYPE_FRAMEWORKS_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->model)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  build_columns (self);
  gtk_column_view_set_model (self->requirement_view, GTK_SELECTION_MODEL (self->selection));
  gtk_list_box_set_filter_func (self->link_list, link_filter_func, self, NULL);

  update_list_state (self);
  update_actions (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

KdxFrameworksPage *
kdx_frameworks_page_new (void)
{
  return g_object_new (KDX_TYPE_FRAMEWORKS_PAGE, NULL);
}

void
kdx_frameworks_page_set_store (KdxFrameworksPage *self,
                               KdxStore          *store)
{
  g_return_if_fail (KDX_IS_FRAMEWORKS_PAGE (self));

  if (self->store == store)
    return;

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);

  kdx_coverage_matrix_view_set_store (self->matrix_view, store);
  fill_catalogs (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->filter_all, TRUE);
  adw_view_stack_set_visible_child_name (self->view_stack, "requirements");
  show_catalogs (self);
  update_actions (self);
}

void
kdx_frameworks_page_show_catalog (KdxFrameworksPage *self,
                                  const char        *key)
{
  g_return_if_fail (KDX_IS_FRAMEWORKS_PAGE (self));
  g_return_if_fail (key != NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "requirements");
  if (g_strcmp0 (self->catalog_key, key) != 0)
    {
      g_free (self->catalog_key);
      self->catalog_key = g_strdup (key);
      if (current_catalog (self) == NULL)
        {
          show_catalogs (self);
          return;
        }
      g_clear_pointer (&self->requirement, kdx_requirement_free);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_toggle_button_set_active (self->filter_all, TRUE);
      fill_catalog_header (self);
      reload_requirements (self);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
    }
  gtk_stack_set_visible_child_name (self->main_stack, "catalog");
}

void
kdx_frameworks_page_show_requirement (KdxFrameworksPage *self,
                                      const char        *uuid)
{
  g_autoptr(KdxRequirement) requirement = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  g_return_if_fail (KDX_IS_FRAMEWORKS_PAGE (self));
  g_return_if_fail (uuid != NULL);

  if (self->store == NULL)
    return;
  requirement = kdx_requirement_load (self->store, uuid, &error);
  if (requirement == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  kdx_frameworks_page_show_catalog (self, requirement->catalog);
  position = position_of (self, uuid);
  if (position == GTK_INVALID_LIST_POSITION)
    {
      /* Hidden by the filter: show every requirement. */
      reset_filter (self);
      position = position_of (self, uuid);
    }
  if (position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail_stack));
}

const char *
kdx_frameworks_page_get_catalog (KdxFrameworksPage *self)
{
  g_return_val_if_fail (KDX_IS_FRAMEWORKS_PAGE (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "catalog") != 0)
    return NULL;

  return self->catalog_key;
}

const char *
kdx_frameworks_page_get_requirement (KdxFrameworksPage *self)
{
  g_return_val_if_fail (KDX_IS_FRAMEWORKS_PAGE (self), NULL);

  return self->requirement ? self->requirement->uuid : NULL;
}

guint
kdx_frameworks_page_get_n_shown (KdxFrameworksPage *self)
{
  g_return_val_if_fail (KDX_IS_FRAMEWORKS_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

int
kdx_frameworks_page_get_shown_coverage (KdxFrameworksPage *self,
                                        const char        *code)
{
  GListModel *model;

  g_return_val_if_fail (KDX_IS_FRAMEWORKS_PAGE (self), -1);
  g_return_val_if_fail (code != NULL, -1);

  model = G_LIST_MODEL (self->filtered);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KdxFrameworksItem) item = g_list_model_get_item (model, i);

      if (g_str_equal (item->row->code, code))
        return item->row->coverage;
    }

  return -1;
}

void
kdx_frameworks_page_show_matrix (KdxFrameworksPage *self)
{
  g_return_if_fail (KDX_IS_FRAMEWORKS_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "matrix");
}

void
kdx_frameworks_page_import (KdxFrameworksPage *self)
{
  GtkRoot *root;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) catalogs = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  g_return_if_fail (KDX_IS_FRAMEWORKS_PAGE (self));

  if (!writable (self) || self->import_cancellable != NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = gtk_file_chooser_native_new (_("Import Catalog"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (catalogs, _("Catalogs (XML)"));
  gtk_file_filter_add_mime_type (catalogs, "application/xml");
  gtk_file_filter_add_mime_type (catalogs, "text/xml");
  gtk_file_filter_add_pattern (catalogs, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), catalogs);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
kdx_frameworks_page_import_file (KdxFrameworksPage *self,
                                 GFile             *file)
{
  g_autoptr(KdxJob) job = NULL;
  ImportContext *ctx;
  ImportData *data;

  g_return_if_fail (KDX_IS_FRAMEWORKS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!writable (self) || self->import_cancellable != NULL)
    return;
  if (g_file_peek_path (file) == NULL)
    {
      show_import_error (self, _("Only a file on this computer can be imported."));
      return;
    }

  data = g_rc_box_new0 (ImportData);
  data->path = g_strdup (g_file_peek_path (file));
  ctx = g_new0 (ImportContext, 1);
  ctx->page = g_object_ref (self);
  ctx->store = g_object_ref (self->store);
  ctx->data = g_rc_box_acquire (data);

  self->import_cancellable = g_cancellable_new ();
  update_actions (self);
  job = kdx_job_new (_("Importing the catalog"));
  kdx_job_run_async (job, self->store, import_job, data, import_data_release,
                     self->import_cancellable, import_done_cb, ctx);
}

gboolean
kdx_frameworks_page_get_busy (KdxFrameworksPage *self)
{
  g_return_val_if_fail (KDX_IS_FRAMEWORKS_PAGE (self), FALSE);

  return self->import_cancellable != NULL;
}
