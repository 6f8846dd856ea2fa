/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Frameworks section of an AI system: for each catalog in the
 * workspace, what it asks of this system — for the EU AI Act the
 * obligations of its classification, for the others every requirement
 * without children — and how far the policies applied to the system
 * cover that ("EU AI Act: 5 of 8 obligations covered, 1 partly, 2 gaps"),
 * with the requirements that are not covered, each one click from its
 * place in the Frameworks area. The rule is core's
 * (kdx_coverage_system_requirements); this section counts and shows.
 */
#define G_LOG_DOMAIN "kdx-system-frameworks"

#include "config.h"

#include "kdx-system-frameworks.h"

#include "kdx-catalog.h"
#include "kdx-format.h"
#include "kdx-mapping.h"
#include "kdx-system.h"

#include <glib/gi18n.h>

#define AI_ACT "eu-ai-act"

enum { OPEN = 1, CLOSED = 2 };

static const char *const coverage_classes[] = {
  "kdx-coverage-gap", "kdx-coverage-partly", "kdx-coverage-covered",
};
G_STATIC_ASSERT (G_N_ELEMENTS (coverage_classes) == KDX_COVERAGE_N_STATES);

struct _KdxSystemFrameworks
{
  GtkWidget   parent_instance;

  GtkStack   *stack;
  GtkListBox *catalogs_list;

  KdxStore   *store;
  char       *uuid;
  GHashTable *expanded;    /* catalog key → OPEN or CLOSED, as the user left its row */
  GHashTable *counts;      /* catalog key → KdxFrameworkCounts, as shown */
  GQueue     *pending;     /* rows of catalogs not counted yet */
  guint       count_id;
  gboolean    classified;
  gboolean    dirty;       /* changed while not shown */
  gboolean    filling;
};

G_DEFINE_FINAL_TYPE (KdxSystemFrameworks, kdx_system_frameworks, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */

static void
show_requirement_clicked_cb (GtkButton           *button,
                             KdxSystemFrameworks *self)
{
  const char *requirement = g_object_get_data (G_OBJECT (button), "requirement");

  /* The window provides it once the Frameworks area is there; until
   * then there is nowhere to go. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.show-requirement", "s", requirement))
    g_debug ("No window action to show requirement %s", requirement);
}

static GtkWidget *
text_row (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "dim-label");

  return row;
}

/* A requirement not (fully) covered: what it is, which policies reach
 * it, how far, and the way to it. */
static GtkWidget *
requirement_row (KdxSystemFrameworks          *self,
                 const KdxRequirementCoverage *requirement)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill = gtk_label_new (kdx_coverage_get_label (requirement->coverage));
  g_autofree char *title = requirement->title != NULL
    ? g_strdup_printf ("%s · %s", requirement->label, requirement->title)
    : g_strdup (requirement->label);
  g_autofree char *subtitle = requirement->policies != NULL
    /* Translators: the policies applied to a system that cover a requirement: "POL-001, POL-004" */
    ? g_strdup_printf (_("Policies: %s"), requirement->policies)
    : g_strdup (_("No policy applied to this system covers it"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (requirement->code != NULL)
    gtk_widget_set_name (row, requirement->code);

  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (pill, "kdx-status");
  gtk_widget_add_css_class (pill, coverage_classes[CLAMP (requirement->coverage, 0,
                                                          KDX_COVERAGE_N_STATES - 1)]);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);

  if (requirement->uuid != NULL)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("go-next-symbolic");
      /* Translators: %s is how a requirement is cited, "Art. 26" */
      g_autofree char *tooltip = g_strdup_printf (_("Show %s in Frameworks"), requirement->label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tooltip, -1);
      g_object_set_data_full (G_OBJECT (button), "requirement", g_strdup (requirement->uuid), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (show_requirement_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }

  return row;
}

/* "5 of 8 obligations covered, 1 partly, 2 gaps" */
static char *
summary_text (const KdxFrameworkCounts *counts,
              gboolean                  obligations)
{
  g_autofree char *covered = NULL;
  g_autofree char *partly = NULL;
  g_autofree char *gaps = NULL;

  covered = g_strdup_printf (obligations
                             ? g_dngettext (GETTEXT_PACKAGE, "%u of %u obligation covered",
                                            "%u of %u obligations covered", counts->required)
                             : g_dngettext (GETTEXT_PACKAGE, "%u of %u requirement covered",
                                            "%u of %u requirements covered", counts->required),
                             counts->covered, counts->required);
  /* Translators: how many requirements a system's policies cover in part */
  partly = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u partly", "%u partly", counts->partly),
                            counts->partly);
  /* Translators: how many requirements no policy of a system covers */
  gaps = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u gap", "%u gaps", counts->gap),
                          counts->gap);

  /* Translators: "5 of 8 obligations covered, 1 partly, 2 gaps" */
  return g_strdup_printf (_("%s, %s, %s"), covered, partly, gaps);
}

static void
expanded_cb (AdwExpanderRow      *row,
             GParamSpec          *pspec,
             KdxSystemFrameworks *self)
{
  const char *key = gtk_widget_get_name (GTK_WIDGET (row));

  if (self->filling)
    return;
  g_hash_table_replace (self->expanded, g_strdup (key),
                        GINT_TO_POINTER (adw_expander_row_get_expanded (row) ? OPEN : CLOSED));
}

/* A catalog's row before it is counted. */
static AdwExpanderRow *
catalog_row_new (KdxSystemFrameworks *self,
                 const KdxCatalog    *catalog)
{
  AdwExpanderRow *row = ADW_EXPANDER_ROW (adw_expander_row_new ());

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kdx_catalog_get_title (catalog));
  adw_expander_row_set_subtitle (row, _("Counting…"));
  adw_expander_row_set_enable_expansion (row, FALSE);
  gtk_widget_set_name (GTK_WIDGET (row), catalog->key);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (expanded_cb), self);

  return row;
}

/* Counts what the catalog of @row asks of the system and how far it is
 * covered, and shows it with the requirements not covered. */
static void
count_catalog (KdxSystemFrameworks *self,
               AdwExpanderRow      *row)
{
  const char *key = gtk_widget_get_name (GTK_WIDGET (row));
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) obligations = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ai_act = g_str_equal (key, AI_ACT);
  KdxFrameworkCounts *counts = g_new0 (KdxFrameworkCounts, 1);
  int state = GPOINTER_TO_INT (g_hash_table_lookup (self->expanded, key));
  g_autofree char *subtitle = NULL;
  GtkWidget *bar;
  guint n_shown = 0;

  g_hash_table_replace (self->counts, g_strdup (key), counts);

  rows = kdx_coverage_system_requirements (self->store, self->uuid, key, &error);
  if (rows == NULL)
    {
      adw_expander_row_set_subtitle (row, error->message);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const KdxRequirementCoverage *requirement = rows->pdata[i];

      counts->required++;
      if (requirement->coverage == KDX_COVERAGE_COVERED)
        counts->covered++;
      else if (requirement->coverage == KDX_COVERAGE_PARTLY)
        counts->partly++;
      else
        counts->gap++;
      if (requirement->coverage != KDX_COVERAGE_COVERED)
        {
          adw_expander_row_add_row (row, requirement_row (self, requirement));
          n_shown++;
        }
    }

  /* An obligation whose requirement is not in the workspace is a gap
   * that the catalog's list cannot show. */
  if (ai_act)
    obligations = kdx_system_list_obligations (self->store, self->uuid, NULL);
  for (guint i = 0; obligations != NULL && i < obligations->len; i++)
    {
      const KdxSystemObligation *obligation = obligations->pdata[i];
      KdxRequirementCoverage missing = { 0 };

      if (obligation->requirement != NULL)
        continue;
      missing.label = obligation->reference;
      missing.title = obligation->title;
      missing.coverage = KDX_COVERAGE_GAP;
      counts->required++;
      counts->gap++;
      adw_expander_row_add_row (row, requirement_row (self, &missing));
      n_shown++;
    }

  if (counts->required == 0)
    {
      if (ai_act && !self->classified)
        subtitle = g_strdup (_("Not classified yet: the EU AI Act assistant names its obligations"));
      else if (ai_act)
        subtitle = g_strdup (_("No obligation follows from its classification"));
      else
        subtitle = g_strdup (_("The catalog asks nothing of it"));
      adw_expander_row_set_subtitle (row, subtitle);
      return;
    }

  subtitle = summary_text (counts, ai_act);
  adw_expander_row_set_subtitle (row, subtitle);

  bar = gtk_level_bar_new_for_interval (0, counts->required);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), counts->covered);
  /* The default offsets are for 0–1: these say low, high and full for
   * this catalog's count. */
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW,
                                  counts->required * 0.5);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH,
                                  counts->required * 0.99);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL,
                                  counts->required);
  gtk_widget_set_size_request (bar, 96, -1);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (bar, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, subtitle, -1);
  adw_expander_row_add_action (row, bar);

  if (n_shown == 0)
    adw_expander_row_add_row (row, text_row (ai_act ? _("Every obligation is covered.")
                                                    : _("Every requirement is covered.")));

  /* The law is open at first; every row stays as the user left it. */
  self->filling = TRUE;
  adw_expander_row_set_enable_expansion (row, TRUE);
  adw_expander_row_set_expanded (row, state == OPEN || (state == 0 && ai_act));
  self->filling = FALSE;
}

/* One catalog per turn of the main loop, after the first frame: about
 * 5 ms each on the large demo, and a long catalog list stays responsive. */
static gboolean
count_next_cb (gpointer data)
{
  KdxSystemFrameworks *self = data;
  AdwExpanderRow *row = g_queue_pop_head (self->pending);

  if (self->store == NULL || self->uuid == NULL)
    {
      g_clear_object (&row);
      g_queue_clear_full (self->pending, g_object_unref);
    }
  if (row != NULL)
    {
      count_catalog (self, row);
      g_object_unref (row);
    }
  if (!g_queue_is_empty (self->pending))
    return G_SOURCE_CONTINUE;

  self->count_id = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_counting (KdxSystemFrameworks *self)
{
  g_clear_handle_id (&self->count_id, g_source_remove);
  g_queue_clear_full (self->pending, g_object_unref);
}

static int
compare_catalogs (gconstpointer a,
                  gconstpointer b)
{
  const KdxCatalog *x = *(KdxCatalog **) a, *y = *(KdxCatalog **) b;

  /* The law first; the rest as core lists them, by title. */
  return (int) !g_str_equal (x->key, AI_ACT) - (int) !g_str_equal (y->key, AI_ACT);
}

static void
fill (KdxSystemFrameworks *self)
{
  g_autoptr(GPtrArray) catalogs = NULL;
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GError) error = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;

  stop_counting (self);
  kdx_list_box_remove_all (self->catalogs_list);
  g_hash_table_remove_all (self->counts);
  if (self->store == NULL || self->uuid == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  system = kdx_system_load (self->store, self->uuid, NULL);
  self->classified = system != NULL && kdx_system_get_classified (system) != NULL;
  catalogs = kdx_catalog_list (self->store, &error);
  if (catalogs == NULL)
    {
      g_warning ("Cannot list the catalogs: %s", error->message);
      catalogs = g_ptr_array_new ();
    }
  g_ptr_array_sort_with_data (catalogs, (GCompareDataFunc) compare_catalogs, NULL);

  /* The law at once, the other catalogs one by one after. */
  for (guint i = 0; i < catalogs->len; i++)
    {
      KdxCatalog *catalog = catalogs->pdata[i];
      AdwExpanderRow *row = catalog_row_new (self, catalog);

      gtk_list_box_append (self->catalogs_list, GTK_WIDGET (row));
      if (g_str_equal (catalog->key, AI_ACT))
        count_catalog (self, row);
      else
        g_queue_push_tail (self->pending, g_object_ref (row));
    }
  if (!g_queue_is_empty (self->pending))
    self->count_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, count_next_cb, self, NULL);

  gtk_stack_set_visible_child_name (self->stack, catalogs->len > 0 ? "list" : "empty");
}

static void
store_changed_cb (KdxStore            *store,
                  const char          *entity,
                  GArray              *ids,
                  KdxSystemFrameworks *self)
{
  /* The system's classification and policies, the policies' links to
   * requirements, and the catalogs. */
  if (self->uuid == NULL ||
      (g_strcmp0 (entity, "ai_system") != 0 && g_strcmp0 (entity, "policy") != 0 &&
       g_strcmp0 (entity, "catalog") != 0 && g_strcmp0 (entity, "import") != 0 &&
       g_strcmp0 (entity, "workspace") != 0))
    return;

  fill (self);
}

static void
kdx_system_frameworks_map (GtkWidget *widget)
{
  KdxSystemFrameworks *self = KDX_SYSTEM_FRAMEWORKS (widget);

  GTK_WIDGET_CLASS (kdx_system_frameworks_parent_class)->map (widget);

  if (self->dirty)
    fill (self);
}

static void
kdx_system_frameworks_dispose (GObject *object)
{
  KdxSystemFrameworks *self = KDX_SYSTEM_FRAMEWORKS (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->pending != NULL)
    stop_counting (self);
  g_clear_pointer (&self->pending, g_queue_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_SYSTEM_FRAMEWORKS);
  g_clear_object (&self->store);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->expanded, g_hash_table_unref);
  g_clear_pointer (&self->counts, g_hash_table_unref);

  G_OBJECT_CLASS (kdx_system_frameworks_parent_class)->dispose (object);
}

static void
kdx_system_frameworks_class_init (KdxSystemFrameworksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_frameworks_dispose;
  widget_class->map = kdx_system_frameworks_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-system-frameworks.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxSystemFrameworks, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemFrameworks, catalogs_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_frameworks_init (KdxSystemFrameworks *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_queue_new ();
}

KdxSystemFrameworks *
kdx_system_frameworks_new (void)
{
  return g_object_new (KDX_TYPE_SYSTEM_FRAMEWORKS, NULL);
}

void
kdx_system_frameworks_set_system (KdxSystemFrameworks *self,
                                  KdxStore            *store,
                                  const char          *uuid)
{
  g_return_if_fail (KDX_IS_SYSTEM_FRAMEWORKS (self));
  g_return_if_fail (store == NULL || KDX_IS_STORE (store));

  /* What is being counted belongs to the system shown until now. */
  stop_counting (self);
  if (self->store != store)
    {
      if (self->store != NULL)
        g_signal_handlers_disconnect_by_data (self->store, self);
      g_set_object (&self->store, store);
      if (store != NULL)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);
    }
  if (g_strcmp0 (self->uuid, uuid) != 0)
    {
      g_free (self->uuid);
      self->uuid = g_strdup (uuid);
      g_hash_table_remove_all (self->expanded);
    }

  fill (self);
}

gboolean
kdx_system_frameworks_get_counts (KdxSystemFrameworks *self,
                                  const char          *catalog_key,
                                  KdxFrameworkCounts  *counts)
{
  KdxFrameworkCounts *shown;

  g_return_val_if_fail (KDX_IS_SYSTEM_FRAMEWORKS (self), FALSE);
  g_return_val_if_fail (catalog_key != NULL, FALSE);

  shown = g_hash_table_lookup (self->counts, catalog_key);
  if (shown == NULL)
    return FALSE;
  if (counts != NULL)
    *counts = *shown;

  return TRUE;
}
