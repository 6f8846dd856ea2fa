/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Code of Conduct & Policies area: the list of policies (filtered and
 * sorted in SQL), full-text search across every version, a new policy
 * from a template, and the view of one policy.
 */
#define G_LOG_DOMAIN "kdx-policy-page"

#include "config.h"

#include "kdx-policy-page.h"

#include "kdx-format.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-policy-view.h"
#include "kdx-template.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

struct _KdxPolicyPage
{
  GtkWidget         parent_instance;

  GtkStack         *main_stack;
  GtkSearchEntry   *search_entry;
  GtkDropDown      *kind_dropdown;
  GtkDropDown      *area_dropdown;
  GtkDropDown      *status_dropdown;
  KdxPersonChooser *owner_chooser;
  GtkToggleButton  *overdue_toggle;
  GtkStack         *content_stack;
  GtkColumnView    *column_view;
  GtkListBox       *results_list;
  GtkLabel         *count_label;
  KdxPolicyView    *policy_view;   /* made when first needed: it is large */

  KdxStore         *store;
  GListStore       *model;
  GtkSingleSelection *selection;
  KdxPolicySort     sort;
  gboolean          descending;
  guint             n_results;
};

G_DEFINE_FINAL_TYPE (KdxPolicyPage, kdx_policy_page, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Cells                                                              */

static char *
status_text (KdxPolicy *policy)
{
  const char *published = kdx_policy_get_published_label (policy);
  KdxVersionStatus status = kdx_policy_get_status (policy);

  if (kdx_policy_get_version_label (policy) == NULL)
    return g_strdup ("");
  if (kdx_policy_get_retired (policy) != NULL)
    return g_strdup (_("Retired"));
  if (published != NULL && status != KDX_VERSION_PUBLISHED)
    /* Translators: "Draft 2.0 · published 1.1" */
    return g_strdup_printf (_("%s %s · published %s"), kdx_version_status_get_label (status),
                            kdx_policy_get_version_label (policy), published);

  /* Translators: "Published 1.1" */
  return g_strdup_printf (_("%s %s"), kdx_version_status_get_label (status),
                          kdx_policy_get_version_label (policy));
}

static char *
review_text (KdxPolicy *policy)
{
  g_autofree char *date = kdx_format_date (kdx_policy_get_next_review (policy));

  if (kdx_policy_is_overdue (policy, NULL))
    /* Translators: the next review date, when it has passed */
    return g_strdup_printf (_("%s · overdue"), date);

  return g_steal_pointer (&date);
}

static char *kind_text (KdxPolicy *p) { return g_strdup (kdx_policy_kind_get_label (kdx_policy_get_kind (p))); }
static char *area_text (KdxPolicy *p) { return g_strdup (kdx_policy_area_get_label (kdx_policy_get_area (p))); }
static char *key_text (KdxPolicy *p) { return g_strdup (kdx_policy_get_key (p)); }
static char *title_text (KdxPolicy *p) { return g_strdup (kdx_policy_get_title (p)); }
static char *owner_text (KdxPolicy *p) { return g_strdup (kdx_policy_get_owner_name (p)); }

typedef char *(*TextFunc) (KdxPolicy *policy);

static const struct
{
  const char    *title;
  TextFunc       text;
  KdxPolicySort  sort;
  gboolean       expand;
} columns[] = {
  /* Translators: column header: the policy's key, such as POL-007 */
  { N_("Key"), key_text, KDX_POLICY_SORT_KEY, FALSE },
  { N_("Title"), title_text, KDX_POLICY_SORT_TITLE, TRUE },
  { N_("Kind"), kind_text, KDX_POLICY_SORT_KIND, FALSE },
  { N_("Area"), area_text, KDX_POLICY_SORT_AREA, TRUE },
  { N_("Status"), status_text, KDX_POLICY_SORT_STATUS, FALSE },
  { N_("Owner"), owner_text, KDX_POLICY_SORT_OWNER, FALSE },
  { N_("Next Review"), review_text, KDX_POLICY_SORT_NEXT_REVIEW, FALSE },
};

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  KdxPolicy *policy = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = columns[column].text (policy);

  gtk_label_set_label (GTK_LABEL (label), text ? text : "");
  if (columns[column].sort == KDX_POLICY_SORT_NEXT_REVIEW && kdx_policy_is_overdue (policy, NULL))
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
  if (kdx_policy_get_retired (policy) != NULL)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

/* Sorting by the column headers, in SQL: see kdx-format.h for why a
 * probing sorter names the column on GTK 4.8. */
static void refresh (KdxPolicyPage *self);

static void
view_sorter_changed_cb (GtkSorter      *sorter,
                        GtkSorterChange change,
                        KdxPolicyPage  *self)
{
  gboolean descending;
  int column = kdx_column_view_sort_probe (sorter, &descending);

  self->sort = column < 0 ? KDX_POLICY_SORT_KEY : columns[column].sort;
  self->descending = descending;
  refresh (self);
}

static void
build_columns (KdxPolicyPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GtkSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = kdx_column_sorter_new (i);
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (self->column_view, column);
    }

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (view_sorter_changed_cb), self);
}

/* "All kinds" then the names of an enumeration. */
static void
fill_dropdown (GtkDropDown  *dropdown,
               const char   *all,
               const char *(*label) (int),
               guint         n)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, all);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, label (i));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

/* ------------------------------------------------------------------ */
/* Search results                                                     */

static GtkWidget *
result_row_new (KdxPolicyHit *hit)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *title = g_strdup_printf ("%s · %s", hit->key, hit->title);
  /* Translators: a search result's version: "Version 1.1 · Published" */
  g_autofree char *version = g_strdup_printf (_("Version %s · %s"), hit->label,
                                              kdx_version_status_get_label (hit->status));
  g_autofree char *markup = kdx_format_snippet_markup (hit->snippet, KDX_POLICY_MATCH_START,
                                                       KDX_POLICY_MATCH_END);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *version_label = gtk_label_new (version);
  GtkWidget *snippet_label = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title_label, TRUE);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_widget_add_css_class (version_label, "dim-label");
  gtk_widget_add_css_class (version_label, "caption");
  gtk_label_set_markup (GTK_LABEL (snippet_label), markup);
  gtk_label_set_xalign (GTK_LABEL (snippet_label), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet_label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet_label), PANGO_ELLIPSIZE_END);

  gtk_box_append (GTK_BOX (top), title_label);
  gtk_box_append (GTK_BOX (top), version_label);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), snippet_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "policy", g_strdup (hit->policy), g_free);
  g_object_set_data_full (G_OBJECT (row), "version", g_strdup (hit->version), g_free);

  return row;
}

static void
fill_results (KdxPolicyPage *self,
              const char    *query)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);

  hits = kdx_policy_search (self->store, query, 100, &error);
  if (hits == NULL)
    {
      g_warning ("Cannot search policies: %s", error->message);
      self->n_results = 0;
      return;
    }

  for (guint i = 0; i < hits->len; i++)
    gtk_list_box_append (self->results_list, result_row_new (hits->pdata[i]));
  self->n_results = hits->len;
}

/* ------------------------------------------------------------------ */
/* Behaviour                                                          */

static const char *
search_text (KdxPolicyPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

static void
update_state (KdxPolicyPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  gboolean searching = *search_text (self) != '\0';
  gboolean filtered = gtk_drop_down_get_selected (self->kind_dropdown) > 0 ||
                      gtk_drop_down_get_selected (self->area_dropdown) > 0 ||
                      gtk_drop_down_get_selected (self->status_dropdown) > 0 ||
                      kdx_person_chooser_get_person (self->owner_chooser) != NULL ||
                      gtk_toggle_button_get_active (self->overdue_toggle);
  gboolean writable = self->store != NULL && !kdx_store_is_read_only (self->store);
  g_autofree char *count = NULL;

  if (searching)
    {
      gtk_stack_set_visible_child_name (self->content_stack,
                                        self->n_results > 0 ? "search" : "no-results");
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u policy found",
                                            "%u policies found", self->n_results),
                               self->n_results);
    }
  else
    {
      if (n > 0)
        gtk_stack_set_visible_child_name (self->content_stack, "list");
      else if (filtered || (self->store && kdx_policy_count (self->store) > 0))
        gtk_stack_set_visible_child_name (self->content_stack, "no-results");
      else
        gtk_stack_set_visible_child_name (self->content_stack, "empty");
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u policy", "%u policies", n), n);
    }
  gtk_label_set_label (self->count_label, count);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policies.new", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policies.from-templates", writable);
}

static void
refresh (KdxPolicyPage *self)
{
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *selected_uuid = NULL;
  KdxPolicyFilter filter;
  guint kind, area, status;

  if (self->store == NULL || self->model == NULL)
    {
      update_state (self);
      return;
    }

  if (*search_text (self) != '\0')
    fill_results (self, search_text (self));

  if (self->selection != NULL)
    {
      KdxPolicy *selected = gtk_single_selection_get_selected_item (self->selection);

      selected_uuid = selected ? g_strdup (kdx_policy_get_uuid (selected)) : NULL;
    }

  kind = gtk_drop_down_get_selected (self->kind_dropdown);
  area = gtk_drop_down_get_selected (self->area_dropdown);
  status = gtk_drop_down_get_selected (self->status_dropdown);

  kdx_policy_filter_init (&filter);
  filter.kind = kind > 0 && kind != GTK_INVALID_LIST_POSITION ? (int) kind - 1 : -1;
  filter.area = area > 0 && area != GTK_INVALID_LIST_POSITION ? (int) area - 1 : -1;
  filter.status = status > 0 && status != GTK_INVALID_LIST_POSITION ? (int) status - 1 : -1;
  filter.include_retired = filter.status == KDX_VERSION_RETIRED || filter.status < 0;
  filter.overdue = gtk_toggle_button_get_active (self->overdue_toggle);
  filter.owner = kdx_person_chooser_get_person (self->owner_chooser);
  filter.sort = self->sort;
  filter.descending = self->descending;

  policies = kdx_policy_list (self->store, &filter, &error);
  if (policies == NULL)
    {
      g_warning ("Cannot list policies: %s", error->message);
      policies = g_ptr_array_new ();
    }
  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       policies->pdata, policies->len);

  /* Keep the selection on the same policy. */
  if (selected_uuid != NULL)
    for (guint i = 0; i < policies->len; i++)
      if (g_str_equal (kdx_policy_get_uuid (policies->pdata[i]), selected_uuid))
        {
          gtk_single_selection_set_selected (self->selection, i);
          break;
        }

  update_state (self);
}

static void
refilter_cb (KdxPolicyPage *self)
{
  refresh (self);
}

static void
store_changed_cb (KdxStore      *store,
                  const char    *entity,
                  GArray        *ids,
                  KdxPolicyPage *self)
{
  if (g_strcmp0 (entity, "policy") == 0 || g_strcmp0 (entity, "person") == 0 ||
      g_strcmp0 (entity, "import") == 0)
    refresh (self);
}

static void
row_activated_cb (KdxPolicyPage *self,
                  guint          position)
{
  g_autoptr(KdxPolicy) policy = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (policy != NULL)
    kdx_policy_page_show_policy (self, kdx_policy_get_uuid (policy), NULL);
}

static void
result_activated_cb (KdxPolicyPage *self,
                     GtkListBoxRow *row)
{
  kdx_policy_page_show_policy (self, g_object_get_data (G_OBJECT (row), "policy"),
                               g_object_get_data (G_OBJECT (row), "version"));
}

static void
search_activate_cb (KdxPolicyPage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->results_list, 0);

  if (*search_text (self) != '\0' && first != NULL)
    result_activated_cb (self, first);
  else if (*search_text (self) == '\0' && g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 1)
    row_activated_cb (self, 0);
}

/* ------------------------------------------------------------------ */
/* A new policy                                                       */

typedef struct
{
  KdxPolicyPage *page;
  GPtrArray     *templates;
  AdwEntryRow   *title_row;
  AdwComboRow   *template_row;
  AdwComboRow   *kind_row;
  AdwComboRow   *area_row;
} NewPolicy;

static void
new_policy_free (NewPolicy *data)
{
  g_clear_pointer (&data->templates, g_ptr_array_unref);
  g_free (data);
}

static void
template_selected_cb (AdwComboRow *row,
                      GParamSpec  *pspec,
                      NewPolicy   *data)
{
  guint i = adw_combo_row_get_selected (row);
  KdxTemplate *template;

  if (i == 0 || i == GTK_INVALID_LIST_POSITION || i > data->templates->len)
    return;
  template = data->templates->pdata[i - 1];
  gtk_editable_set_text (GTK_EDITABLE (data->title_row), kdx_template_get_title (template));
  adw_combo_row_set_selected (data->kind_row,
                              MAX (kdx_policy_kind_from_string (kdx_template_get_kind (template)), 0));
  adw_combo_row_set_selected (data->area_row,
                              MAX (kdx_policy_area_from_string (kdx_template_get_area (template)), 0));
}

static void
title_changed_cb (GtkEditable      *editable,
                  AdwMessageDialog *dialog)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  adw_message_dialog_set_response_enabled (dialog, "create", *title != '\0');
}

static void
new_policy_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        NewPolicy        *data)
{
  KdxPolicyPage *self = data->page;
  g_autoptr(KdxPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  KdxTemplate *template = NULL;
  guint t;

  if (!g_str_equal (response, "create") || self->store == NULL)
    return;

  t = adw_combo_row_get_selected (data->template_row);
  if (t > 0 && t != GTK_INVALID_LIST_POSITION && t <= data->templates->len)
    template = data->templates->pdata[t - 1];

  policy = kdx_policy_new ();
  kdx_policy_set_title (policy, gtk_editable_get_text (GTK_EDITABLE (data->title_row)));
  kdx_policy_set_kind (policy, adw_combo_row_get_selected (data->kind_row));
  kdx_policy_set_area (policy, adw_combo_row_get_selected (data->area_row));
  if (template != NULL)
    {
      kdx_policy_set_review_months (policy, kdx_template_get_review_months (template));
      /* So that a use case of the AI systems register can suggest it. */
      kdx_policy_set_template (policy, kdx_template_get_id (template));
    }
  kdx_policy_set_owner (policy, kdx_store_get_actor (self->store));

  if (!kdx_policy_create (self->store, policy,
                          template ? kdx_template_get_body (template) : "", &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  kdx_policy_page_show_policy (self, kdx_policy_get_uuid (policy), NULL);
}

static GtkWidget *
combo_row_new (const char *title,
               const char *(*label) (int),
               guint       n)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, label (i));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));

  return row;
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  kdx_policy_page_new_policy (KDX_POLICY_PAGE (widget));
}

static void
from_templates_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KdxPolicyPage *self = KDX_POLICY_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (self->store == NULL)
    return;

  if (!kdx_policy_create_from_templates (self->store, NULL, &n, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u draft created from the templates",
                                          "%u drafts created from the templates", n), n);
  kdx_window_toast_from (GTK_WIDGET (self), message);
}

static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxPolicyPage *self = KDX_POLICY_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "policy") == 0)
    kdx_policy_page_show_list (self);
}

/* ------------------------------------------------------------------ */

/* The view of one policy holds an editor, a comparison and more: it is
 * built when a policy is first opened, not when the window starts. */
static KdxPolicyView *
ensure_view (KdxPolicyPage *self)
{
  if (self->policy_view == NULL)
    {
      self->policy_view = g_object_new (KDX_TYPE_POLICY_VIEW, NULL);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->policy_view), "policy");
    }

  return self->policy_view;
}

static void
kdx_policy_page_dispose (GObject *object)
{
  KdxPolicyPage *self = KDX_POLICY_PAGE (object);

  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_POLICY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kdx_policy_page_parent_class)->dispose (object);
}

static void
kdx_policy_page_map (GtkWidget *widget)
{
  KdxPolicyPage *self = KDX_POLICY_PAGE (widget);

  GTK_WIDGET_CLASS (kdx_policy_page_parent_class)->map (widget);

  if (gtk_column_view_get_model (self->column_view) != GTK_SELECTION_MODEL (self->selection))
    gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

static void
kdx_policy_page_class_init (KdxPolicyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_policy_page_dispose;
  widget_class->map = kdx_policy_page_map;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-policy-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, area_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, owner_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, overdue_toggle);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, results_list);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, refilter_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, result_activated_cb);

  gtk_widget_class_install_action (widget_class, "policies.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "policies.from-templates", NULL,
                                   from_templates_action);
  gtk_widget_class_install_action (widget_class, "policies.back", NULL, escape_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "policies.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static const char *kind_label (int i) { return kdx_policy_kind_get_label (i); }
static const char *area_label (int i) { return kdx_policy_area_get_label (i); }
static const char *status_label (int i) { return kdx_version_status_get_label (i); }

static void
kdx_policy_page_init (KdxPolicyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  fill_dropdown (self->kind_dropdown, _("All Kinds"), kind_label, KDX_POLICY_N_KINDS);
  fill_dropdown (self->area_dropdown, _("All Areas"), area_label, KDX_POLICY_N_AREAS);
  fill_dropdown (self->status_dropdown, _("Any Status"), status_label, KDX_VERSION_N_STATUSES);
  kdx_person_chooser_set_allow_none (self->owner_chooser, TRUE);
  kdx_person_chooser_set_empty_label (self->owner_chooser, _("Any Owner"));

  self->model = g_list_store_new (KDX_TYPE_POLICY);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  build_columns (self);
  update_state (self);
}

KdxPolicyPage *
kdx_policy_page_new (void)
{
  return g_object_new (KDX_TYPE_POLICY_PAGE, NULL);
}

void
kdx_policy_page_set_store (KdxPolicyPage *self,
                           KdxStore      *store)
{
  g_return_if_fail (KDX_IS_POLICY_PAGE (self));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_list_store_remove_all (self->model);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  if (self->policy_view != NULL)
    kdx_policy_view_set_policy (self->policy_view, NULL, NULL, NULL);

  kdx_person_chooser_set_store (self->owner_chooser, store);
  kdx_person_chooser_set_person (self->owner_chooser, NULL);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);

  refresh (self);
}

void
kdx_policy_page_focus_search (KdxPolicyPage *self)
{
  g_return_if_fail (KDX_IS_POLICY_PAGE (self));

  kdx_policy_page_show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
kdx_policy_page_set_search (KdxPolicyPage *self,
                            const char    *text)
{
  g_return_if_fail (KDX_IS_POLICY_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  refresh (self);
}

void
kdx_policy_page_show_policy (KdxPolicyPage *self,
                             const char    *policy,
                             const char    *version_uuid)
{
  g_return_if_fail (KDX_IS_POLICY_PAGE (self));

  if (self->store == NULL || policy == NULL)
    return;

  kdx_policy_view_set_policy (ensure_view (self), self->store, policy, version_uuid);
  gtk_stack_set_visible_child_name (self->main_stack, "policy");
}

void
kdx_policy_page_show_list (KdxPolicyPage *self)
{
  g_return_if_fail (KDX_IS_POLICY_PAGE (self));

  if (self->policy_view != NULL)
    kdx_policy_view_flush (self->policy_view);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
}

void
kdx_policy_page_new_policy (KdxPolicyPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *language = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *group;
  NewPolicy *data;

  g_return_if_fail (KDX_IS_POLICY_PAGE (self));

  if (self->store == NULL || kdx_store_is_read_only (self->store))
    return;

  data = g_new0 (NewPolicy, 1);
  data->page = self;
  language = kdx_store_dup_setting (self->store, "language");
  data->templates = kdx_template_list (language);

  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("New Policy"),
                                   _("It starts as a draft; nothing is in effect until the committee "
                                     "approves a version and it is published."));
  group = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (group), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (group, "boxed-list");

  gtk_string_list_append (names, _("Empty document"));
  for (guint i = 0; i < data->templates->len; i++)
    gtk_string_list_append (names, kdx_template_get_title (data->templates->pdata[i]));
  data->template_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->template_row), _("Start From"));
  adw_combo_row_set_model (data->template_row, G_LIST_MODEL (names));

  data->title_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->title_row), _("Title"));
  data->kind_row = ADW_COMBO_ROW (combo_row_new (_("Kind"), kind_label, KDX_POLICY_N_KINDS));
  adw_combo_row_set_selected (data->kind_row, KDX_POLICY_KIND_POLICY);
  data->area_row = ADW_COMBO_ROW (combo_row_new (_("Area"), area_label, KDX_POLICY_N_AREAS));

  gtk_list_box_append (GTK_LIST_BOX (group), GTK_WIDGET (data->template_row));
  gtk_list_box_append (GTK_LIST_BOX (group), GTK_WIDGET (data->title_row));
  gtk_list_box_append (GTK_LIST_BOX (group), GTK_WIDGET (data->kind_row));
  gtk_list_box_append (GTK_LIST_BOX (group), GTK_WIDGET (data->area_row));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), group);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "create", _("C_reate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "create", FALSE);

  g_signal_connect (data->template_row, "notify::selected", G_CALLBACK (template_selected_cb), data);
  g_signal_connect (data->title_row, "changed", G_CALLBACK (title_changed_cb), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (new_policy_response_cb), data,
                         (GClosureNotify) new_policy_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (data->title_row));
}

GListModel *
kdx_policy_page_get_model (KdxPolicyPage *self)
{
  g_return_val_if_fail (KDX_IS_POLICY_PAGE (self), NULL);

  return G_LIST_MODEL (self->model);
}

GtkWidget *
kdx_policy_page_get_view (KdxPolicyPage *self)
{
  g_return_val_if_fail (KDX_IS_POLICY_PAGE (self), NULL);

  return GTK_WIDGET (ensure_view (self));
}
