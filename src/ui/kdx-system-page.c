/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The AI Systems area: the register of the AI systems the sales
 * organisation uses (filtered and sorted in SQL), a new system from the
 * library of sales use cases, and the view of one system.
 */
#define G_LOG_DOMAIN "kdx-system-page"

#include "config.h"

#include "kdx-system-page.h"

#include "kdx-classify.h"
#include "kdx-format.h"
#include "kdx-mapping.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-system-view.h"
#include "kdx-template.h"
#include "kdx-training.h"
#include "kdx-usecase.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

struct _KdxSystemPage
{
  GtkWidget           parent_instance;

  GtkStack           *main_stack;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *risk_dropdown;
  GtkDropDown        *lifecycle_dropdown;
  GtkDropDown        *department_dropdown;
  GtkDropDown        *use_case_dropdown;
  KdxPersonChooser   *owner_chooser;
  GtkStack           *content_stack;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
  KdxSystemView      *system_view;   /* made when first needed */

  KdxStore           *store;
  GListStore         *model;
  GtkSingleSelection *selection;
  GStrv               departments;   /* as in the department filter, after "All" */
  GHashTable         *gated;         /* uuids of systems the competence gate flags */
  KdxSystemSort       sort;
  gboolean            descending;
  gboolean            filling;       /* filters being rebuilt: no refresh */
};

G_DEFINE_FINAL_TYPE (KdxSystemPage, kdx_system_page, GTK_TYPE_WIDGET)

/* The risk filter: "All", the four classes, then "Not classified". */
#define RISK_ROW_UNCLASSIFIED (1 + KDX_RISK_N_CLASSES)

/* ------------------------------------------------------------------ */
/* Pills                                                              */

/* The style class of a risk pill; the colours are in style.css. */
static const char *
risk_css_class (KdxRiskClass risk)
{
  switch (risk)
    {
    case KDX_RISK_PROHIBITED:
      return "kdx-classify-risk-prohibited";
    case KDX_RISK_HIGH:
      return "kdx-classify-risk-high";
    case KDX_RISK_LIMITED:
      return "kdx-classify-risk-limited";
    case KDX_RISK_MINIMAL:
      return "kdx-classify-risk-minimal";
    case KDX_RISK_UNCLASSIFIED:
    case KDX_RISK_N_CLASSES:
    default:
      return "kdx-classify-risk-unclassified";
    }
}

static const char *
risk_label (KdxRiskClass risk)
{
  if (risk < 0 || risk >= KDX_RISK_N_CLASSES)
    return _("Not classified");

  return kdx_risk_class_get_label (risk);
}

static const char *
compliance_css_class (int compliance)
{
  switch (compliance)
    {
    case KDX_COMPLIANCE_COMPLIANT:
      return "kdx-compliance-compliant";
    case KDX_COMPLIANCE_PARTIAL:
      return "kdx-compliance-partial";
    case KDX_COMPLIANCE_NON_COMPLIANT:
      return "kdx-compliance-non-compliant";
    case KDX_COMPLIANCE_NOT_ASSESSED:
      return "kdx-compliance-not-assessed";
    case KDX_COMPLIANCE_NOT_APPLICABLE:
      return "kdx-compliance-not-applicable";
    default:
      return "kdx-compliance-none";
    }
}

static const char *pill_classes[] = {
  "kdx-classify-risk-prohibited", "kdx-classify-risk-high", "kdx-classify-risk-limited",
  "kdx-classify-risk-minimal", "kdx-classify-risk-unclassified", "kdx-compliance-compliant",
  "kdx-compliance-partial", "kdx-compliance-non-compliant", "kdx-compliance-not-assessed",
  "kdx-compliance-not-applicable", "kdx-compliance-none",
};

/* Shows @text in the pill @label, coloured by @css_class alone. */
static void
set_pill (GtkLabel   *label,
          const char *text,
          const char *css_class)
{
  gtk_label_set_label (label, text);
  for (guint i = 0; i < G_N_ELEMENTS (pill_classes); i++)
    if (g_strcmp0 (pill_classes[i], css_class) != 0)
      gtk_widget_remove_css_class (GTK_WIDGET (label), pill_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
}

static GtkWidget *
pill_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "kdx-status");

  return label;
}

/* ------------------------------------------------------------------ */
/* Cells                                                              */

typedef enum
{
  CELL_TEXT,
  CELL_NAME,         /* name, and the vendor dimmed after it */
  CELL_RISK,
  CELL_COMPLIANCE,
} CellKind;

static char *
use_case_text (KdxSystem *system)
{
  const KdxUseCase *use_case = kdx_system_get_use_case (system)
                               ? kdx_use_case_lookup (kdx_system_get_use_case (system))
                               : NULL;

  /* Translators: the use case of a system none of the library's describes */
  return g_strdup (use_case ? kdx_use_case_get_name (use_case) : C_("use case", "Other"));
}

static char *key_text (KdxSystem *s) { return g_strdup (kdx_system_get_key (s)); }
static char *
lifecycle_text (KdxSystem *s)
{
  return g_strdup (kdx_lifecycle_get_label (kdx_system_get_lifecycle (s)));
}

static char *department_text (KdxSystem *s) { return g_strdup (kdx_system_get_department (s)); }
static char *owner_text (KdxSystem *s) { return g_strdup (kdx_system_get_business_owner_name (s)); }

typedef char *(*TextFunc) (KdxSystem *system);

static const struct
{
  const char    *title;
  CellKind       kind;
  TextFunc       text;
  int            sort;      /* KdxSystemSort, or -1: not sortable in SQL */
  gboolean       expand;
} columns[] = {
  /* Translators: column header: the system's key, such as SYS-007 */
  { N_("Key"), CELL_TEXT, key_text, KDX_SYSTEM_SORT_KEY, FALSE },
  { N_("Name"), CELL_NAME, NULL, KDX_SYSTEM_SORT_NAME, TRUE },
  { N_("Use Case"), CELL_TEXT, use_case_text, KDX_SYSTEM_SORT_USE_CASE, TRUE },
  { N_("Risk Class"), CELL_RISK, NULL, KDX_SYSTEM_SORT_RISK, FALSE },
  { N_("Lifecycle"), CELL_TEXT, lifecycle_text, KDX_SYSTEM_SORT_LIFECYCLE, FALSE },
  { N_("Department"), CELL_TEXT, department_text, KDX_SYSTEM_SORT_DEPARTMENT, FALSE },
  { N_("Business Owner"), CELL_TEXT, owner_text, KDX_SYSTEM_SORT_OWNER, FALSE },
  /* Translators: column header: the worst compliance status of the policies applied to a system */
  { N_("Compliance"), CELL_COMPLIANCE, NULL, -1, FALSE },
};

static GtkWidget *
text_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);

  return label;
}

/* Rows a little taller than the table's default: the pills need air. */
static void
set_cell_child (GtkListItem *item,
                GtkWidget   *child)
{
  gtk_widget_set_margin_top (child, 4);
  gtk_widget_set_margin_bottom (child, 4);
  gtk_list_item_set_child (item, child);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  GtkWidget *box;
  GtkWidget *vendor;
  GtkWidget *gate;

  switch (columns[column].kind)
    {
    case CELL_NAME:
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      vendor = text_label_new ();
      gtk_widget_add_css_class (vendor, "dim-label");
      gtk_box_append (GTK_BOX (box), text_label_new ());
      gtk_box_append (GTK_BOX (box), vendor);
      /* The competence gate's flag, last so that names stay aligned. */
      gate = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (gate, "warning");
      gtk_widget_set_tooltip_text (gate, _("An overseer lacks valid training (EU AI Act Art. 26(2))"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (gate), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("An overseer lacks valid training"), -1);
      gtk_widget_set_visible (gate, FALSE);
      gtk_box_append (GTK_BOX (box), gate);
      set_cell_child (item, box);
      break;
    case CELL_RISK:
    case CELL_COMPLIANCE:
      set_cell_child (item, pill_new ());
      break;
    case CELL_TEXT:
    default:
      set_cell_child (item, text_label_new ());
      break;
    }
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  KdxSystem *system = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  KdxSystemPage *page;
  int compliance;
  guint n;

  switch (columns[column].kind)
    {
    case CELL_NAME:
      page = g_object_get_data (G_OBJECT (factory), "page");
      gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (child)),
                           kdx_system_get_name (system));
      gtk_label_set_label (GTK_LABEL (gtk_widget_get_next_sibling (gtk_widget_get_first_child (child))),
                           kdx_system_get_vendor (system) ? kdx_system_get_vendor (system) : "");
      gtk_widget_set_visible (gtk_widget_get_last_child (child),
                              page != NULL && page->gated != NULL &&
                              g_hash_table_contains (page->gated, kdx_system_get_uuid (system)));
      break;
    case CELL_RISK:
      set_pill (GTK_LABEL (child), risk_label (kdx_system_get_risk (system)),
                risk_css_class (kdx_system_get_risk (system)));
      break;
    case CELL_COMPLIANCE:
      compliance = kdx_system_get_compliance (system);
      n = kdx_system_get_n_policies (system);
      if (compliance < 0 || compliance >= KDX_COMPLIANCE_N_STATES)
        set_pill (GTK_LABEL (child), _("No policies"), "kdx-compliance-none");
      else
        set_pill (GTK_LABEL (child), kdx_compliance_get_label (compliance),
                  compliance_css_class (compliance));
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u policy applied",
                                              "%u policies applied", n), n);
      gtk_widget_set_tooltip_text (child, tooltip);
      break;
    case CELL_TEXT:
    default:
      text = columns[column].text (system);
      gtk_label_set_label (GTK_LABEL (child), text ? text : "");
      break;
    }

  /* A retired system stays in the register, dimmed. */
  if (kdx_system_get_lifecycle (system) == KDX_LIFECYCLE_RETIRED)
    gtk_widget_add_css_class (child, "dim-label");
  else
    gtk_widget_remove_css_class (child, "dim-label");
}

/* Sorting by the column headers, in SQL: see kdx-format.h for why a
 * probing sorter names the column on GTK 4.8. */
static void refresh (KdxSystemPage *self);

static void
view_sorter_changed_cb (GtkSorter       *sorter,
                        GtkSorterChange  change,
                        KdxSystemPage   *self)
{
  gboolean descending;
  int column = kdx_column_view_sort_probe (sorter, &descending);

  if (column < 0 || columns[column].sort < 0)
    {
      self->sort = KDX_SYSTEM_SORT_KEY;
      self->descending = FALSE;
    }
  else
    {
      self->sort = columns[column].sort;
      self->descending = descending;
    }
  refresh (self);
}

static void
build_columns (KdxSystemPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "page", self);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (columns[i].sort >= 0)
        {
          g_autoptr(GtkSorter) sorter = NULL;

          sorter = kdx_column_sorter_new (i);
          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_append_column (self->column_view, column);
    }

  g_signal_connect (gtk_column_view_get_sorter (self->column_view), "changed",
                    G_CALLBACK (view_sorter_changed_cb), self);
}

/* ------------------------------------------------------------------ */
/* Filters                                                            */

/* Labels in a drop-down are cut short rather than widen the filter bar;
 * the tooltip of the drop-down and its list say the rest. */
static void
setup_filter_item_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_list_item_set_child (item, label);
}

static void
bind_filter_item_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (label), gtk_string_object_get_string (string));
  gtk_widget_set_tooltip_text (label, gtk_string_object_get_string (string));
}

static void
set_filter_factory (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_filter_item_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_filter_item_cb), NULL);
  gtk_drop_down_set_factory (dropdown, factory);
}

static void
fill_static_filters (KdxSystemPage *self)
{
  g_autoptr(GtkStringList) risks = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) lifecycles = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) use_cases = gtk_string_list_new (NULL);
  const KdxUseCase *all;
  guint n = 0;

  gtk_string_list_append (risks, _("All Risk Classes"));
  for (int i = 0; i < KDX_RISK_N_CLASSES; i++)
    gtk_string_list_append (risks, kdx_risk_class_get_label (i));
  gtk_string_list_append (risks, _("Not classified"));

  gtk_string_list_append (lifecycles, _("Any Lifecycle"));
  for (int i = 0; i < KDX_LIFECYCLE_N_STATES; i++)
    gtk_string_list_append (lifecycles, kdx_lifecycle_get_label (i));

  gtk_string_list_append (use_cases, _("All Use Cases"));
  all = kdx_use_case_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (use_cases, kdx_use_case_get_name (&all[i]));
  /* Translators: in the use-case filter: systems registered without a use case of the library */
  gtk_string_list_append (use_cases, _("Other Use Case"));

  self->filling = TRUE;
  gtk_drop_down_set_model (self->risk_dropdown, G_LIST_MODEL (risks));
  gtk_drop_down_set_model (self->lifecycle_dropdown, G_LIST_MODEL (lifecycles));
  gtk_drop_down_set_model (self->use_case_dropdown, G_LIST_MODEL (use_cases));
  self->filling = FALSE;
}

/* The departments of systems and people, kept on the one chosen. */
static void
fill_departments (KdxSystemPage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_auto(GStrv) departments = NULL;
  g_autofree char *chosen = NULL;
  guint selected = gtk_drop_down_get_selected (self->department_dropdown);
  guint keep = 0;

  if (self->departments != NULL && selected > 0 && selected != GTK_INVALID_LIST_POSITION &&
      selected <= g_strv_length (self->departments))
    chosen = g_strdup (self->departments[selected - 1]);

  departments = self->store ? kdx_system_dup_departments (self->store) : NULL;
  if (departments == NULL)
    departments = g_new0 (char *, 1);
  if (self->departments != NULL && g_strv_equal ((const char * const *) departments,
                                                 (const char * const *) self->departments) &&
      gtk_drop_down_get_model (self->department_dropdown) != NULL)
    return;

  gtk_string_list_append (list, _("All Departments"));
  for (guint i = 0; departments[i] != NULL; i++)
    {
      gtk_string_list_append (list, departments[i]);
      if (g_strcmp0 (departments[i], chosen) == 0)
        keep = i + 1;
    }
  g_strfreev (self->departments);
  self->departments = g_steal_pointer (&departments);

  self->filling = TRUE;
  gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->department_dropdown, keep);
  self->filling = FALSE;
}

static gboolean
filtered (KdxSystemPage *self)
{
  return gtk_drop_down_get_selected (self->risk_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->lifecycle_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->department_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->use_case_dropdown) > 0 ||
         kdx_person_chooser_get_person (self->owner_chooser) != NULL ||
         *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

static void
get_filter (KdxSystemPage   *self,
            KdxSystemFilter *filter)
{
  guint risk = gtk_drop_down_get_selected (self->risk_dropdown);
  guint lifecycle = gtk_drop_down_get_selected (self->lifecycle_dropdown);
  guint department = gtk_drop_down_get_selected (self->department_dropdown);
  guint use_case = gtk_drop_down_get_selected (self->use_case_dropdown);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const KdxUseCase *all;
  guint n_use_cases = 0;

  all = kdx_use_case_get_all (&n_use_cases);

  kdx_system_filter_init (filter);
  if (risk == RISK_ROW_UNCLASSIFIED)
    filter->risk = KDX_RISK_UNCLASSIFIED;
  else if (risk > 0 && risk <= KDX_RISK_N_CLASSES)
    filter->risk = (int) risk - 1;
  if (lifecycle > 0 && lifecycle <= KDX_LIFECYCLE_N_STATES)
    filter->lifecycle = (int) lifecycle - 1;
  if (department > 0 && department != GTK_INVALID_LIST_POSITION && self->departments != NULL &&
      department <= g_strv_length (self->departments))
    filter->department = self->departments[department - 1];
  if (use_case > 0 && use_case <= n_use_cases)
    filter->use_case = all[use_case - 1].id;
  else if (use_case == n_use_cases + 1)
    filter->use_case = "";
  filter->owner = kdx_person_chooser_get_person (self->owner_chooser);
  filter->text = *text != '\0' ? text : NULL;
  filter->sort = self->sort;
  filter->descending = self->descending;
}

/* ------------------------------------------------------------------ */
/* Behaviour                                                          */

static void
update_state (KdxSystemPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  gint64 total = self->store ? kdx_system_count (self->store) : 0;
  gboolean writable = self->store != NULL && !kdx_store_is_read_only (self->store);
  g_autofree char *count = NULL;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "list");
  else if (total > 0 || filtered (self))
    gtk_stack_set_visible_child_name (self->content_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->content_stack, "empty");

  if (filtered (self) && (gint64) n != total)
    /* Translators: the count below the register when it is filtered: "3 of 12 systems" */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u system", "%u of %u systems",
                                          (gulong) total),
                             n, (guint) total);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u system", "%u systems", n), n);
  gtk_label_set_label (self->count_label, count);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "systems.new", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "systems.clear-filters", filtered (self));
}

static void
refresh (KdxSystemPage *self)
{
  g_autoptr(GPtrArray) systems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *selected_uuid = NULL;
  KdxSystem *selected;
  KdxSystemFilter filter;

  if (self->filling)
    return;

  if (self->store == NULL)
    {
      g_list_store_remove_all (self->model);
      update_state (self);
      return;
    }

  selected = gtk_single_selection_get_selected_item (self->selection);
  selected_uuid = selected ? g_strdup (kdx_system_get_uuid (selected)) : NULL;

  g_clear_pointer (&self->gated, g_hash_table_unref);
  self->gated = kdx_training_dup_gated_systems (self->store, NULL, &error);
  if (self->gated == NULL)
    {
      g_warning ("Cannot read the competence gate: %s", error->message);
      g_clear_error (&error);
    }

  get_filter (self, &filter);
  systems = kdx_system_list (self->store, &filter, &error);
  if (systems == NULL)
    {
      g_warning ("Cannot list AI systems: %s", error->message);
      systems = g_ptr_array_new ();
    }
  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       systems->pdata, systems->len);

  /* Keep the selection on the same system. */
  if (selected_uuid != NULL)
    for (guint i = 0; i < systems->len; i++)
      if (g_str_equal (kdx_system_get_uuid (systems->pdata[i]), selected_uuid))
        {
          gtk_single_selection_set_selected (self->selection, i);
          break;
        }

  update_state (self);
}

static void
refilter_cb (KdxSystemPage *self)
{
  refresh (self);
}

static void
store_changed_cb (KdxStore      *store,
                  const char    *entity,
                  GArray        *ids,
                  KdxSystemPage *self)
{
  /* Names of owners, departments of people and the compliance of mapped
   * policies all show in the register. */
  if (g_strcmp0 (entity, "ai_system") == 0 || g_strcmp0 (entity, "person") == 0 ||
      g_strcmp0 (entity, "policy") == 0 || g_strcmp0 (entity, "import") == 0)
    {
      fill_departments (self);
      refresh (self);
    }
  /* Training moves the competence gate's flags. */
  else if (g_strcmp0 (entity, "assignment") == 0 || g_strcmp0 (entity, "course") == 0 ||
           g_strcmp0 (entity, "assignment-rule") == 0)
    refresh (self);
}

static void
row_activated_cb (KdxSystemPage *self,
                  guint          position)
{
  g_autoptr(KdxSystem) system = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (system != NULL)
    kdx_system_page_show_system (self, kdx_system_get_uuid (system));
}

static void
search_activate_cb (KdxSystemPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 1)
    row_activated_cb (self, 0);
}

/* ------------------------------------------------------------------ */
/* A new system                                                       */

typedef struct
{
  KdxSystemPage *page;        /* weak: the dialog is closed with the page */
  GtkWindow     *window;
  AdwEntryRow   *name_row;
  GtkLabel      *error_label;
  GtkListBox    *use_case_list;
  GtkButton     *create_button;
  GtkLabel      *preview_risk;
  GtkLabel      *preview_intro;
  GtkLabel      *preview_data;
  GtkLabel      *preview_policies;
  GtkLabel      *preview_oversight;
  GtkWidget     *preview_details;
} NewSystem;

static void
new_system_free (NewSystem *data)
{
  if (data->page != NULL)
    g_object_remove_weak_pointer (G_OBJECT (data->page), (gpointer *) &data->page);
  g_free (data);
}

/* The use case of a row of the list: NULL for "Other". */
static const KdxUseCase *
row_use_case (GtkListBoxRow *row)
{
  const char *id = row ? g_object_get_data (G_OBJECT (row), "use-case") : NULL;

  return id ? kdx_use_case_lookup (id) : NULL;
}

static char *
typed_name (NewSystem *data)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->name_row))));
}

static void
new_system_update (NewSystem *data)
{
  g_autofree char *name = typed_name (data);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (data->use_case_list);

  gtk_widget_set_sensitive (GTK_WIDGET (data->create_button),
                            *name != '\0' && row != NULL && data->page != NULL &&
                            data->page->store != NULL);
}

static void
join_labels (GString    *out,
             GPtrArray  *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, items->pdata[i]);
    }
}

/* What the chosen use case brings: the class its suggested answers give,
 * its data, the policies it is mapped to and the oversight it suggests. */
static void
new_system_preview (NewSystem *data)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (data->use_case_list);
  const KdxUseCase *use_case = row_use_case (row);
  g_autoptr(GHashTable) answers = NULL;
  g_autoptr(KdxClassification) result = NULL;
  g_autoptr(GPtrArray) present = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) data_labels = g_ptr_array_new ();
  g_autoptr(GString) policies = g_string_new (NULL);
  g_autofree char *language = NULL;
  KdxStore *store = data->page ? data->page->store : NULL;
  int oversight;

  if (row == NULL)
    {
      gtk_label_set_label (data->preview_intro, _("Choose a use case to see what it brings."));
      gtk_widget_set_visible (data->preview_details, FALSE);
      return;
    }
  if (use_case == NULL)
    {
      gtk_label_set_label (data->preview_intro,
                           _("The system starts empty: you describe it, list the data it "
                             "processes and classify it with the assistant."));
      gtk_widget_set_visible (data->preview_details, FALSE);
      return;
    }

  {
    /* Translators: %s is a use case of the library, "Lead scoring of companies" */
    g_autofree char *intro = g_strdup_printf (_("A system registered as “%s” starts with this, "
                                                "taken from the use-case library:"),
                                              kdx_use_case_get_name (use_case));

    gtk_label_set_label (data->preview_intro, intro);
  }
  gtk_widget_set_visible (data->preview_details, TRUE);

  answers = kdx_use_case_dup_answers (use_case);
  result = kdx_classify (answers, NULL);
  set_pill (data->preview_risk, risk_label (result ? result->risk : KDX_RISK_UNCLASSIFIED),
            risk_css_class (result ? result->risk : KDX_RISK_UNCLASSIFIED));

  for (guint i = 0; use_case->data_categories && use_case->data_categories[i]; i++)
    {
      const KdxDataCategory *category = kdx_data_category_lookup (use_case->data_categories[i]);

      if (category != NULL)
        g_ptr_array_add (data_labels, (gpointer) kdx_data_category_get_label (category));
    }
  {
    g_autoptr(GString) text = g_string_new (NULL);

    join_labels (text, data_labels);
    gtk_label_set_label (data->preview_data, text->str);
  }

  /* The suggested policies the workspace has are applied at once (not yet
   * assessed); the others can be made from the templates later. */
  language = store ? kdx_store_dup_setting (store, "language") : NULL;
  for (guint i = 0; use_case->policies && use_case->policies[i]; i++)
    {
      g_autoptr(KdxTemplate) template = kdx_template_lookup (language, use_case->policies[i]);
      g_autofree char *uuid = store ? kdx_policy_find_by_template (store, use_case->policies[i])
                                    : NULL;
      const char *title = template ? kdx_template_get_title (template) : use_case->policies[i];

      g_ptr_array_add (uuid ? present : missing, g_strdup (title));
    }
  if (present->len > 0)
    {
      g_string_append (policies, _("Applied at once, to be assessed: "));
      join_labels (policies, present);
    }
  if (missing->len > 0)
    {
      if (policies->len > 0)
        g_string_append (policies, "\n");
      g_string_append (policies, _("Suggested, not in the workspace yet: "));
      join_labels (policies, missing);
    }
  gtk_label_set_label (data->preview_policies, policies->str);

  oversight = kdx_oversight_mode_from_string (use_case->oversight);
  gtk_label_set_label (data->preview_oversight,
                       oversight >= 0 ? kdx_oversight_mode_get_label (oversight) : "");
}

static void
new_system_changed_cb (NewSystem *data)
{
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (data->name_row), "error");
  new_system_update (data);
}

static void
new_system_selected_cb (GtkListBox    *list,
                        GtkListBoxRow *row,
                        NewSystem     *data)
{
  /* A list taken down with its dialog unselects its rows, after the
   * entry is gone. */
  if (gtk_widget_get_root (GTK_WIDGET (list)) == NULL)
    return;

  new_system_preview (data);
  new_system_update (data);
}

static void
new_system_create_cb (NewSystem *data)
{
  KdxSystemPage *self = data->page;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (data->use_case_list);
  const KdxUseCase *use_case = row_use_case (row);
  g_autofree char *name = typed_name (data);
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  if (self == NULL || self->store == NULL || row == NULL || *name == '\0')
    return;

  if (use_case != NULL)
    system = kdx_system_create_from_use_case (self->store, name, use_case->id, &error);
  else
    {
      system = kdx_system_new ();
      kdx_system_set_name (system, name);
      if (!kdx_system_create (self->store, system, &error))
        g_clear_object (&system);
    }

  /* A name that is taken, say: the dialog stays, with what was typed. */
  if (system == NULL)
    {
      gtk_label_set_label (data->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (data->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (data->name_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (data->name_row));
      return;
    }

  uuid = g_strdup (kdx_system_get_uuid (system));
  gtk_window_destroy (data->window);
  kdx_system_page_show_system (self, uuid);
}

static GtkWidget *
use_case_row_new (const char *id,
                  const char *name,
                  const char *description)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *detail = gtk_label_new (description);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (detail), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "use-case", g_strdup (id), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);

  return row;
}

static GtkWidget *
heading_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");

  return label;
}

static GtkLabel *
body_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);

  return GTK_LABEL (label);
}

/* A heading and the label below it, in @parent. */
static GtkLabel *
preview_section_new (GtkWidget  *parent,
                     const char *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkLabel *body = body_label_new ();

  gtk_box_append (GTK_BOX (box), heading_new (title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (body));
  gtk_box_append (GTK_BOX (parent), box);

  return body;
}

/* The preview beside the list: what the chosen use case brings. */
static GtkWidget *
preview_new (NewSystem *data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *details = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *risk_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *note = GTK_WIDGET (body_label_new ());

  gtk_widget_set_size_request (box, 280, -1);
  gtk_box_append (GTK_BOX (box), heading_new (_("What It Brings")));
  data->preview_intro = body_label_new ();
  gtk_widget_add_css_class (GTK_WIDGET (data->preview_intro), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->preview_intro));

  gtk_widget_set_margin_top (details, 12);
  gtk_box_append (GTK_BOX (risk_box), heading_new (_("Likely EU AI Act Risk Class")));
  data->preview_risk = GTK_LABEL (pill_new ());
  gtk_box_append (GTK_BOX (risk_box), GTK_WIDGET (data->preview_risk));
  gtk_box_append (GTK_BOX (details), risk_box);
  data->preview_data = preview_section_new (details, _("Data It Processes"));
  data->preview_policies = preview_section_new (details, _("Policies"));
  data->preview_oversight = preview_section_new (details, _("Human Oversight"));

  gtk_label_set_label (GTK_LABEL (note), _("All of it can be changed once the system is "
                                           "registered."));
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (GTK_BOX (details), note);
  data->preview_details = details;
  gtk_box_append (GTK_BOX (box), details);

  return box;
}

static GtkWidget *
new_system_dialog_new (KdxSystemPage *self,
                       NewSystem     *data)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window = adw_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *create = gtk_button_new_with_mnemonic (_("C_reate"));
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *name_list = gtk_list_box_new ();
  GtkWidget *name_row = adw_entry_row_new ();
  GtkWidget *error_label = GTK_WIDGET (body_label_new ());
  GtkWidget *use_case_heading = heading_new (_("Sales _Use Case"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();
  const KdxUseCase *all;
  guint n = 0;

  gtk_window_set_title (GTK_WINDOW (window), _("New AI System"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_default_size (GTK_WINDOW (window), 860, 600);

  /* Escape closes, as in every dialog. */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape,
                                                                                  0),
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
  gtk_widget_set_margin_start (body, 18);
  gtk_widget_set_margin_end (body, 18);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_widget_set_hexpand (left, TRUE);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (name_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (name_list, "boxed-list");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _("Name"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (name_row), FALSE);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (name_row), TRUE);
  gtk_widget_set_name (name_row, "name-row");
  gtk_list_box_append (GTK_LIST_BOX (name_list), name_row);
  gtk_box_append (GTK_BOX (left), name_list);

  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_widget_set_name (error_label, "error-label");
  gtk_box_append (GTK_BOX (left), error_label);

  gtk_label_set_use_underline (GTK_LABEL (use_case_heading), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (use_case_heading), list);
  gtk_widget_set_margin_top (use_case_heading, 6);
  gtk_box_append (GTK_BOX (left), use_case_heading);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_SINGLE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_widget_set_name (list, "use-case-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sales Use Case"), -1);
  all = kdx_use_case_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         use_case_row_new (all[i].id, kdx_use_case_get_name (&all[i]),
                                           kdx_use_case_get_description (&all[i])));
  gtk_list_box_append (GTK_LIST_BOX (list),
                       use_case_row_new (NULL, _("Other (start empty)"),
                                         _("A system none of the use cases describes.")));
  gtk_list_box_unselect_all (GTK_LIST_BOX (list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (left), scroller);
  gtk_box_append (GTK_BOX (body), left);

  data->window = GTK_WINDOW (window);
  data->name_row = ADW_ENTRY_ROW (name_row);
  data->error_label = GTK_LABEL (error_label);
  data->use_case_list = GTK_LIST_BOX (list);
  data->create_button = GTK_BUTTON (create);
  gtk_box_append (GTK_BOX (body), preview_new (data));
  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (window), content);
  gtk_window_set_default_widget (GTK_WINDOW (window), create);

  g_signal_connect_swapped (name_row, "changed", G_CALLBACK (new_system_changed_cb), data);
  g_signal_connect (list, "row-selected", G_CALLBACK (new_system_selected_cb), data);
  g_signal_connect_swapped (create, "clicked", G_CALLBACK (new_system_create_cb), data);
  g_object_set_data_full (G_OBJECT (window), "new-system", data, (GDestroyNotify) new_system_free);

  new_system_preview (data);
  new_system_update (data);

  return window;
}

/* ------------------------------------------------------------------ */
/* Actions                                                            */

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  kdx_system_page_new_system (KDX_SYSTEM_PAGE (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxSystemPage *self = KDX_SYSTEM_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "system") == 0)
    kdx_system_page_show_list (self);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KdxSystemPage *self = KDX_SYSTEM_PAGE (widget);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_drop_down_set_selected (self->risk_dropdown, 0);
  gtk_drop_down_set_selected (self->lifecycle_dropdown, 0);
  gtk_drop_down_set_selected (self->department_dropdown, 0);
  gtk_drop_down_set_selected (self->use_case_dropdown, 0);
  kdx_person_chooser_set_person (self->owner_chooser, NULL);
  self->filling = FALSE;
  refresh (self);
}

/* ------------------------------------------------------------------ */

/* The view of one system holds six sections: it is built when a system
 * is first opened, not when the area is. */
static KdxSystemView *
ensure_view (KdxSystemPage *self)
{
  if (self->system_view == NULL)
    {
      self->system_view = g_object_new (KDX_TYPE_SYSTEM_VIEW, NULL);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->system_view), "system");
    }

  return self->system_view;
}

static void
kdx_system_page_dispose (GObject *object)
{
  KdxSystemPage *self = KDX_SYSTEM_PAGE (object);

  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_SYSTEM_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->departments, g_strfreev);
  g_clear_pointer (&self->gated, g_hash_table_unref);

  G_OBJECT_CLASS (kdx_system_page_parent_class)->dispose (object);
}

static void
kdx_system_page_map (GtkWidget *widget)
{
  KdxSystemPage *self = KDX_SYSTEM_PAGE (widget);

  GTK_WIDGET_CLASS (kdx_system_page_parent_class)->map (widget);

  if (gtk_column_view_get_model (self->column_view) != GTK_SELECTION_MODEL (self->selection))
    gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

static void
kdx_system_page_class_init (KdxSystemPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_page_dispose;
  widget_class->map = kdx_system_page_map;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-system-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, risk_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, lifecycle_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, department_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, use_case_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, owner_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, refilter_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "systems.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "systems.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "systems.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "systems.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_page_init (KdxSystemPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  set_filter_factory (self->risk_dropdown);
  set_filter_factory (self->lifecycle_dropdown);
  set_filter_factory (self->department_dropdown);
  set_filter_factory (self->use_case_dropdown);
  fill_static_filters (self);
  fill_departments (self);
  kdx_person_chooser_set_allow_none (self->owner_chooser, TRUE);
  kdx_person_chooser_set_empty_label (self->owner_chooser, _("Any Owner"));

  self->model = g_list_store_new (KDX_TYPE_SYSTEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  build_columns (self);
  update_state (self);
}

KdxSystemPage *
kdx_system_page_new (void)
{
  return g_object_new (KDX_TYPE_SYSTEM_PAGE, NULL);
}

void
kdx_system_page_set_store (KdxSystemPage *self,
                           KdxStore      *store)
{
  g_return_if_fail (KDX_IS_SYSTEM_PAGE (self));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_list_store_remove_all (self->model);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  if (self->system_view != NULL)
    kdx_system_view_set_system (self->system_view, NULL, NULL);

  kdx_person_chooser_set_store (self->owner_chooser, store);
  kdx_person_chooser_set_person (self->owner_chooser, NULL);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);

  fill_departments (self);
  refresh (self);
}

void
kdx_system_page_focus_search (KdxSystemPage *self)
{
  g_return_if_fail (KDX_IS_SYSTEM_PAGE (self));

  kdx_system_page_show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
kdx_system_page_set_search (KdxSystemPage *self,
                            const char    *text)
{
  g_return_if_fail (KDX_IS_SYSTEM_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  refresh (self);
}

void
kdx_system_page_show_system (KdxSystemPage *self,
                             const char    *system)
{
  g_autoptr(KdxSystem) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KDX_IS_SYSTEM_PAGE (self));

  if (self->store == NULL || system == NULL)
    return;

  /* A key ("SYS-007") is as good as a uuid. */
  loaded = kdx_system_load (self->store, system, &error);
  if (loaded == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  kdx_system_view_set_system (ensure_view (self), self->store, kdx_system_get_uuid (loaded));
  gtk_stack_set_visible_child_name (self->main_stack, "system");
}

void
kdx_system_page_show_list (KdxSystemPage *self)
{
  g_return_if_fail (KDX_IS_SYSTEM_PAGE (self));

  if (self->system_view != NULL)
    kdx_system_view_flush (self->system_view);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
}

void
kdx_system_page_new_system (KdxSystemPage *self)
{
  NewSystem *data;
  GtkWidget *dialog;

  g_return_if_fail (KDX_IS_SYSTEM_PAGE (self));

  if (self->store == NULL || kdx_store_is_read_only (self->store))
    return;

  data = g_new0 (NewSystem, 1);
  data->page = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &data->page);
  dialog = new_system_dialog_new (self, data);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (data->name_row));
}

GListModel *
kdx_system_page_get_model (KdxSystemPage *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM_PAGE (self), NULL);

  return G_LIST_MODEL (self->model);
}

GtkWidget *
kdx_system_page_get_view (KdxSystemPage *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM_PAGE (self), NULL);

  return GTK_WIDGET (ensure_view (self));
}

void
kdx_system_page_set_risk_filter (KdxSystemPage *self,
                                 int            risk)
{
  g_return_if_fail (KDX_IS_SYSTEM_PAGE (self));

  if (risk == KDX_SYSTEM_FILTER_ALL)
    gtk_drop_down_set_selected (self->risk_dropdown, 0);
  else if (risk == KDX_RISK_UNCLASSIFIED)
    gtk_drop_down_set_selected (self->risk_dropdown, RISK_ROW_UNCLASSIFIED);
  else if (risk >= 0 && risk < KDX_RISK_N_CLASSES)
    gtk_drop_down_set_selected (self->risk_dropdown, risk + 1);
}
