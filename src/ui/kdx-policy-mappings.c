/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Mappings tab of a policy: the requirements of the catalogs it
 * covers, grouped by catalog, and the AI systems it applies to, each with
 * its compliance status, assessor, date and evidence note. Requirements
 * and systems are added from a searchable list; every change is one call
 * into core (kdx-mapping.h), which journals it.
 */
#define G_LOG_DOMAIN "kdx-policy-mappings"

#include "config.h"

#include "kdx-policy-mappings.h"

#include "kdx-catalog.h"
#include "kdx-format.h"
#include "kdx-mapping.h"
#include "kdx-mapping-widgets.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

/* ------------------------------------------------------------------ */

typedef struct
{
  KdxPolicyMappings *self;     /* unowned: the row dies with the list */
  char              *system;
  char              *key;
  AdwExpanderRow    *row;
  GtkLabel          *pill;
  AdwComboRow       *status;
  KdxAssessmentEditor editor;     /* assessor, date, evidence */
} SystemRow;

struct _KdxPolicyMappings
{
  GtkWidget   parent_instance;

  GtkBox     *requirements_box;
  GtkButton  *add_requirement_button;
  GtkButton  *apply_button;
  GtkListBox *systems_list;

  KdxStore   *store;
  char       *policy;        /* uuid */
  char       *policy_key;    /* "POL-007" */
  GPtrArray  *system_rows;   /* SystemRow, as on screen */
  GHashTable *expanded;      /* uuids of the systems whose rows are open */
  gboolean    filling;
  gboolean    dirty;         /* changed while not shown */
};

G_DEFINE_FINAL_TYPE (KdxPolicyMappings, kdx_policy_mappings, GTK_TYPE_WIDGET)

static const char *compliance_classes[] = {
  "kdx-compliance-compliant", "kdx-compliance-partial", "kdx-compliance-non-compliant",
  "kdx-compliance-not-assessed", "kdx-compliance-not-applicable",
};
G_STATIC_ASSERT (G_N_ELEMENTS (compliance_classes) == KDX_COMPLIANCE_N_STATES);

static void fill (KdxPolicyMappings *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
writable (KdxPolicyMappings *self)
{
  return self->store != NULL && !kdx_store_is_read_only (self->store);
}

static GtkWidget *
placeholder_row_new (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");

  return row;
}

/* ------------------------------------------------------------------ */
/* Requirements                                                       */

static void
unlink_clicked_cb (GtkButton         *button,
                   KdxPolicyMappings *self)
{
  const char *requirement = g_object_get_data (G_OBJECT (button), "requirement");
  const char *label = g_object_get_data (G_OBJECT (button), "label");
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  KdxRequirementLink *link;

  if (self->policy == NULL || !writable (self))
    return;

  if (!kdx_mapping_unlink_requirement (self->store, self->policy, requirement, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  link = kdx_requirement_link_new (self->store, self->policy, requirement);
  /* Translators: "POL-001 no longer covers Art. 50" */
  message = g_strdup_printf (_("%s no longer covers %s"), self->policy_key, label);
  kdx_toast_with_undo (GTK_WIDGET (self), message, G_CALLBACK (kdx_requirement_link_undo_cb), link,
                       (GDestroyNotify) kdx_requirement_link_free);
}

static void
requirement_activated_cb (GtkListBox        *list,
                          GtkListBoxRow     *row,
                          KdxPolicyMappings *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (row), "requirement");

  /* The window shows it in the Frameworks area. */
  if (uuid != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-requirement", "s", uuid);
}

static GtkWidget *
requirement_row_new (KdxPolicyMappings *self,
                     KdxRequirement    *requirement)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *unlink = gtk_button_new_from_icon_name ("list-remove-symbolic");
  g_autofree char *title = g_strdup_printf ("%s · %s", requirement->label,
                                            kdx_requirement_get_title (requirement));
  /* Translators: a button that removes the link between a policy and a requirement */
  g_autofree char *tooltip = g_strdup_printf (_("Unlink %s"), requirement->label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  if (requirement->applies_from != NULL)
    {
      g_autofree char *date = kdx_format_date (requirement->applies_from);
      /* Translators: the date from which a requirement applies */
      g_autofree char *subtitle = g_strdup_printf (_("Applies from %s"), date);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Show it in the Frameworks area"));
  g_object_set_data_full (G_OBJECT (row), "requirement", g_strdup (requirement->uuid), g_free);

  gtk_widget_set_valign (unlink, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (unlink, "flat");
  gtk_widget_set_tooltip_text (unlink, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (unlink), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_sensitive (unlink, writable (self));
  g_object_set_data_full (G_OBJECT (unlink), "requirement", g_strdup (requirement->uuid), g_free);
  g_object_set_data_full (G_OBJECT (unlink), "label", g_strdup (requirement->label), g_free);
  g_signal_connect (unlink, "clicked", G_CALLBACK (unlink_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), unlink);

  return row;
}

static GtkWidget *
boxed_list_new (KdxPolicyMappings *self,
                const char        *label)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (list, "row-activated", G_CALLBACK (requirement_activated_cb), self);

  return list;
}

static void
fill_requirements (KdxPolicyMappings *self)
{
  g_autoptr(GPtrArray) requirements = NULL;
  g_autoptr(GPtrArray) catalogs = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *list = NULL;
  const char *catalog = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->requirements_box))) != NULL)
    gtk_box_remove (self->requirements_box, child);
  if (self->store == NULL || self->policy == NULL)
    return;

  requirements = kdx_mapping_list_requirements (self->store, self->policy, &error);
  if (requirements == NULL)
    {
      g_warning ("Cannot list the requirements of %s: %s", self->policy_key, error->message);
      return;
    }
  catalogs = kdx_catalog_list (self->store, NULL);

  /* Core orders them by catalog, then as the catalog does. */
  for (guint i = 0; i < requirements->len; i++)
    {
      KdxRequirement *requirement = requirements->pdata[i];

      if (list == NULL || g_strcmp0 (catalog, requirement->catalog) != 0)
        {
          const char *title = requirement->catalog;
          GtkWidget *heading;

          for (guint j = 0; catalogs != NULL && j < catalogs->len; j++)
            if (g_str_equal (((KdxCatalog *) catalogs->pdata[j])->key, requirement->catalog))
              title = kdx_catalog_get_title (catalogs->pdata[j]);

          heading = gtk_label_new (title);
          gtk_label_set_xalign (GTK_LABEL (heading), 0);
          gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
          gtk_widget_add_css_class (heading, "heading");
          gtk_widget_add_css_class (heading, "dim-label");
          if (list != NULL)
            gtk_widget_set_margin_top (heading, 6);
          gtk_box_append (self->requirements_box, heading);

          list = boxed_list_new (self, title);
          gtk_box_append (self->requirements_box, list);
          catalog = requirement->catalog;
        }
      gtk_list_box_append (GTK_LIST_BOX (list), requirement_row_new (self, requirement));
    }

  if (requirements->len == 0)
    {
      list = boxed_list_new (self, _("Requirements It Covers"));
      gtk_list_box_append (GTK_LIST_BOX (list),
                           placeholder_row_new (_("It covers no requirement yet")));
      gtk_box_append (self->requirements_box, list);
    }
}

/* ------------------------------------------------------------------ */
/* Systems                                                            */

static void
system_row_free (SystemRow *sr)
{
  g_free (sr->system);
  g_free (sr->key);
  g_free (sr);
}

static void
save_system (SystemRow *sr)
{
  KdxPolicyMappings *self = sr->self;
  g_autofree char *date = NULL;
  g_autofree char *evidence = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  if (self->filling || self->policy == NULL || !writable (self))
    return;

  status = adw_combo_row_get_selected (sr->status);
  if (status >= KDX_COMPLIANCE_N_STATES)
    status = KDX_COMPLIANCE_NOT_ASSESSED;
  date = kdx_editable_dup_stripped (GTK_EDITABLE (sr->editor.date));
  evidence = kdx_editable_dup_stripped (GTK_EDITABLE (sr->editor.evidence));

  if (!kdx_mapping_set_system_policy (self->store, sr->system, self->policy, status,
                                      kdx_person_chooser_get_person (sr->editor.assessor), date,
                                      evidence, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      fill (self);
    }
}

static void
system_changed_cb (SystemRow *sr)
{
  save_system (sr);
}

static void
expanded_cb (AdwExpanderRow *row,
             GParamSpec     *pspec,
             SystemRow      *sr)
{
  if (sr->self->filling)
    return;
  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (sr->self->expanded, g_strdup (sr->system));
  else
    g_hash_table_remove (sr->self->expanded, sr->system);
}

static void
remove_system_clicked_cb (GtkButton *button,
                          SystemRow *sr)
{
  KdxPolicyMappings *self = sr->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *key = g_strdup (sr->key);
  KdxAssessment *before = NULL;

  if (self->policy == NULL || !writable (self))
    return;

  /* What Undo puts back: the assessment as stored. */
  rows = kdx_mapping_list_policy_systems (self->store, self->policy, NULL);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      KdxMappingRow *row = rows->pdata[i];

      if (g_str_equal (row->uuid, sr->system))
        {
          before = kdx_assessment_new (self->store, row->uuid, self->policy, row);
        }
    }

  if (!kdx_mapping_remove_system_policy (self->store, sr->system, self->policy, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      g_clear_pointer (&before, kdx_assessment_free);
      return;
    }

  /* Translators: "POL-001 no longer applies to SYS-004" */
  message = g_strdup_printf (_("%s no longer applies to %s"), self->policy_key, key);
  if (before != NULL)
    kdx_toast_with_undo (GTK_WIDGET (self), message, G_CALLBACK (kdx_assessment_undo_cb), before,
                         (GDestroyNotify) kdx_assessment_free);
  else
    kdx_window_toast_from (GTK_WIDGET (self), message);
}

static SystemRow *
system_row_new (KdxPolicyMappings *self,
                KdxMappingRow     *mapping)
{
  SystemRow *sr = g_new0 (SystemRow, 1);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  /* Translators: a button that stops a policy applying to an AI system */
  g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), mapping->key);

  sr->self = self;
  sr->system = g_strdup (mapping->uuid);
  sr->key = g_strdup (mapping->key);
  sr->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (sr->row), FALSE);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_sensitive (remove, writable (self));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_system_clicked_cb), sr);
  /* The actions are shown in the reverse order they are added: the pill,
   * then the button. */
  adw_expander_row_add_action (sr->row, remove);

  sr->pill = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_valign (GTK_WIDGET (sr->pill), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (sr->pill), "kdx-status");
  adw_expander_row_add_action (sr->row, GTK_WIDGET (sr->pill));

  for (guint i = 0; i < KDX_COMPLIANCE_N_STATES; i++)
    gtk_string_list_append (labels, kdx_compliance_get_label (i));
  sr->status = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sr->status), _("Compliance Status"));
  adw_combo_row_set_model (sr->status, G_LIST_MODEL (labels));
  g_signal_connect_swapped (sr->status, "notify::selected", G_CALLBACK (system_changed_cb), sr);
  adw_expander_row_add_row (sr->row, GTK_WIDGET (sr->status));

  kdx_assessment_editor_add (&sr->editor, sr->row, self->store, G_CALLBACK (system_changed_cb), sr);

  g_signal_connect (sr->row, "notify::expanded", G_CALLBACK (expanded_cb), sr);

  return sr;
}

/* Shows @mapping in @sr without saving anything. */
static void
update_system_row (SystemRow     *sr,
                   KdxMappingRow *mapping)
{
  KdxPolicyMappings *self = sr->self;
  int status = mapping->compliance >= 0 ? mapping->compliance : KDX_COMPLIANCE_NOT_ASSESSED;
  g_autofree char *title = g_strdup_printf ("%s · %s", mapping->key, mapping->title);
  g_autofree char *subtitle = NULL;
  g_autofree char *date = kdx_format_date (mapping->date);
  gboolean can = writable (self);

  if (mapping->assessor_name != NULL && mapping->date != NULL)
    /* Translators: who assessed a system's compliance with a policy, and when */
    subtitle = g_strdup_printf (_("Assessed by %s on %s"), mapping->assessor_name, date);
  else if (mapping->assessor_name != NULL)
    subtitle = g_strdup_printf (_("Assessed by %s"), mapping->assessor_name);
  else if (mapping->date != NULL)
    subtitle = g_strdup_printf (_("Assessed on %s"), date);
  else
    subtitle = g_strdup (_("Not assessed yet"));
  if (mapping->evidence != NULL)
    {
      /* Translators: the assessment, then its evidence note */
      g_autofree char *with = g_strdup_printf (_("%s · %s"), subtitle, mapping->evidence);

      g_free (subtitle);
      subtitle = g_steal_pointer (&with);
    }

  self->filling = TRUE;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sr->row), title);
  adw_expander_row_set_subtitle (sr->row, subtitle);
  gtk_label_set_label (sr->pill, kdx_compliance_get_label (status));
  for (guint i = 0; i < G_N_ELEMENTS (compliance_classes); i++)
    if ((int) i != status)
      gtk_widget_remove_css_class (GTK_WIDGET (sr->pill), compliance_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (sr->pill), compliance_classes[status]);

  if (adw_combo_row_get_selected (sr->status) != (guint) status)
    adw_combo_row_set_selected (sr->status, status);
  gtk_widget_set_sensitive (GTK_WIDGET (sr->status), can);
  kdx_assessment_editor_show (&sr->editor, mapping, can);
  adw_expander_row_set_expanded (sr->row, g_hash_table_contains (self->expanded, sr->system));
  self->filling = FALSE;
}

static void
fill_systems (KdxPolicyMappings *self)
{
  g_autoptr(GPtrArray) mappings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean same;

  if (self->store != NULL && self->policy != NULL)
    {
      mappings = kdx_mapping_list_policy_systems (self->store, self->policy, &error);
      if (mappings == NULL)
        g_warning ("Cannot list the systems of %s: %s", self->policy_key, error->message);
    }
  if (mappings == NULL)
    mappings = g_ptr_array_new ();

  /* The same systems as on screen: their rows are updated in place, so
   * that an open row stays open and keeps the focus. */
  same = mappings->len > 0 && mappings->len == self->system_rows->len;
  for (guint i = 0; same && i < mappings->len; i++)
    same = g_str_equal (((KdxMappingRow *) mappings->pdata[i])->uuid,
                        ((SystemRow *) self->system_rows->pdata[i])->system);

  if (!same)
    {
      kdx_list_box_remove_all (self->systems_list);
      g_ptr_array_set_size (self->system_rows, 0);
      for (guint i = 0; i < mappings->len; i++)
        {
          SystemRow *sr = system_row_new (self, mappings->pdata[i]);

          g_ptr_array_add (self->system_rows, sr);
          gtk_list_box_append (self->systems_list, GTK_WIDGET (sr->row));
        }
      if (mappings->len == 0)
        gtk_list_box_append (self->systems_list,
                             placeholder_row_new (_("It applies to no AI system yet")));
    }

  for (guint i = 0; i < mappings->len; i++)
    update_system_row (self->system_rows->pdata[i], mappings->pdata[i]);
}

static void
fill (KdxPolicyMappings *self)
{
  gboolean can = writable (self) && self->policy != NULL;

  if (!kdx_section_should_fill (GTK_WIDGET (self), &self->dirty))
    return;

  g_clear_pointer (&self->policy_key, g_free);
  if (self->store != NULL && self->policy != NULL)
    {
      g_autoptr(KdxPolicy) policy = kdx_policy_load (self->store, self->policy, NULL);

      if (policy != NULL)
        self->policy_key = g_strdup (kdx_policy_get_key (policy));
    }

  fill_requirements (self);
  fill_systems (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mappings.add-requirement", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mappings.apply-to-system", can);
}

/* ------------------------------------------------------------------ */
/* Add Requirement… and Apply to System…                              */

typedef enum
{
  PICK_REQUIREMENT,
  PICK_SYSTEM,
} PickKind;

typedef struct
{
  KdxPolicyMappings *self;
  PickKind           kind;
  KdxPicker         *picker;        /* owns this */
  GtkDropDown       *catalogs;      /* requirements only */
  GPtrArray         *catalog_keys;
} Pick;

static void
pick_free (Pick *pick)
{
  g_object_unref (pick->self);
  g_clear_pointer (&pick->catalog_keys, g_ptr_array_unref);
  g_free (pick);
}

/* What an entry linked already says in place of its subtitle. */
static char *
taken_subtitle (gboolean    taken,
                const char *subtitle)
{
  if (!taken)
    return NULL;

  return g_strdup_printf ("%s%s%s", _("Linked already"), subtitle ? " · " : "",
                          subtitle ? subtitle : "");
}

static void
pick_fill_requirements (Pick *pick)
{
  KdxPolicyMappings *self = pick->self;
  guint i = gtk_drop_down_get_selected (pick->catalogs);
  g_autoptr(GPtrArray) requirements = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->store != NULL && i < pick->catalog_keys->len)
    requirements = kdx_catalog_list_requirements (self->store, pick->catalog_keys->pdata[i], NULL);
  if (self->store != NULL && self->policy != NULL)
    linked = kdx_mapping_list_requirements (self->store, self->policy, NULL);
  for (guint j = 0; linked != NULL && j < linked->len; j++)
    g_hash_table_add (taken, ((KdxRequirement *) linked->pdata[j])->uuid);

  for (guint j = 0; requirements != NULL && j < requirements->len; j++)
    {
      KdxRequirement *r = requirements->pdata[j];
      g_autofree char *title = g_strdup_printf ("%s · %s", r->label, kdx_requirement_get_title (r));
      gboolean is_taken = g_hash_table_contains (taken, r->uuid);
      g_autofree char *taken_sub = taken_subtitle (is_taken, NULL);

      g_ptr_array_add (items, kdx_pick_item_new (r->uuid, title, NULL, taken_sub, r->depth, is_taken));
    }
  kdx_picker_set_items (pick->picker, items);
}

static void
pick_fill_systems (Pick *pick)
{
  KdxPolicyMappings *self = pick->self;
  g_autoptr(GPtrArray) systems = NULL;
  g_autoptr(GPtrArray) applied = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  KdxSystemFilter filter;

  kdx_system_filter_init (&filter);
  systems = kdx_system_list (self->store, &filter, NULL);
  applied = kdx_mapping_list_policy_systems (self->store, self->policy, NULL);
  for (guint j = 0; applied != NULL && j < applied->len; j++)
    g_hash_table_add (taken, ((KdxMappingRow *) applied->pdata[j])->uuid);

  for (guint j = 0; systems != NULL && j < systems->len; j++)
    {
      KdxSystem *system = systems->pdata[j];
      g_autofree char *title = g_strdup_printf ("%s · %s", kdx_system_get_key (system),
                                                kdx_system_get_name (system));
      const char *department = kdx_system_get_department (system);
      gboolean is_taken = g_hash_table_contains (taken, kdx_system_get_uuid (system));
      g_autofree char *taken_sub = taken_subtitle (is_taken, department);

      g_ptr_array_add (items, kdx_pick_item_new (kdx_system_get_uuid (system), title, department,
                                                 taken_sub, 0, is_taken));
    }
  kdx_picker_set_items (pick->picker, items);
}

static gboolean
pick_chosen (KdxPickItem *item,
             Pick        *pick)
{
  KdxPolicyMappings *self = pick->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  if (self->policy == NULL || !writable (self))
    return FALSE;

  if (pick->kind == PICK_REQUIREMENT)
    {
      ok = kdx_mapping_link_requirement (self->store, self->policy, kdx_pick_item_get_id (item), &error);
      /* Translators: "POL-001 now covers Art. 50 · Transparency obligations" */
      message = g_strdup_printf (_("%s now covers %s"), self->policy_key, kdx_pick_item_get_title (item));
    }
  else
    {
      /* A new link starts as not assessed; the row opens so that the
       * assessment can be entered at once. */
      g_hash_table_add (self->expanded, g_strdup (kdx_pick_item_get_id (item)));
      ok = kdx_mapping_set_system_policy (self->store, kdx_pick_item_get_id (item), self->policy,
                                          KDX_COMPLIANCE_NOT_ASSESSED, NULL, NULL, NULL, &error);
      /* Translators: "POL-001 now applies to SYS-004 · Lead scoring" */
      message = g_strdup_printf (_("%s now applies to %s"), self->policy_key, kdx_pick_item_get_title (item));
    }

  kdx_window_toast_from (GTK_WIDGET (self), ok ? message : error->message);
  return TRUE;
}

static KdxPicker *
picker_new (KdxPolicyMappings *self,
            PickKind           kind,
            const char        *title,
            const char        *confirm_label)
{
  Pick *pick = g_new0 (Pick, 1);

  pick->self = g_object_ref (self);
  pick->kind = kind;
  pick->picker = kdx_picker_new (GTK_WIDGET (self), title, confirm_label,
                                 kind == PICK_REQUIREMENT ? _("Search requirements") : _("Search AI systems"),
                                 kind == PICK_REQUIREMENT ? _("Requirements") : _("AI Systems"),
                                 (KdxPickerChooseFunc) pick_chosen, pick, (GDestroyNotify) pick_free);

  if (kind == PICK_REQUIREMENT)
    {
      g_autoptr(GPtrArray) catalogs = kdx_catalog_list (self->store, NULL);
      g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

      pick->catalog_keys = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; catalogs != NULL && i < catalogs->len; i++)
        {
          KdxCatalog *catalog = catalogs->pdata[i];

          gtk_string_list_append (titles, kdx_catalog_get_title (catalog));
          g_ptr_array_add (pick->catalog_keys, g_strdup (catalog->key));
        }
      pick->catalogs = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&titles)), NULL));
      gtk_widget_set_tooltip_text (GTK_WIDGET (pick->catalogs), _("Catalog"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (pick->catalogs),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Catalog"), -1);
      g_signal_connect_swapped (pick->catalogs, "notify::selected",
                                G_CALLBACK (pick_fill_requirements), pick);
      kdx_picker_add_header (pick->picker, GTK_WIDGET (pick->catalogs));
      pick_fill_requirements (pick);
    }
  else
    pick_fill_systems (pick);

  return pick->picker;
}

static void
add_requirement_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KdxPolicyMappings *self = KDX_POLICY_MAPPINGS (widget);
  KdxPicker *picker;

  if (self->policy == NULL || !writable (self))
    return;

  picker = picker_new (self, PICK_REQUIREMENT, _("Add Requirement"), _("_Add"));
  kdx_picker_present (picker);
}

static void
apply_to_system_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KdxPolicyMappings *self = KDX_POLICY_MAPPINGS (widget);
  KdxPicker *picker;

  if (self->policy == NULL || !writable (self))
    return;

  picker = picker_new (self, PICK_SYSTEM, _("Apply to System"), _("_Apply"));
  kdx_picker_present (picker);
}

/* ------------------------------------------------------------------ */

static void
store_changed_cb (KdxStore          *store,
                  const char        *entity,
                  GArray            *ids,
                  KdxPolicyMappings *self)
{
  if (self->policy == NULL)
    return;
  if (g_strcmp0 (entity, "policy") == 0 || g_strcmp0 (entity, "ai_system") == 0 ||
      g_strcmp0 (entity, "person") == 0 || g_strcmp0 (entity, "catalog") == 0 ||
      g_strcmp0 (entity, "import") == 0 || g_strcmp0 (entity, "workspace") == 0)
    fill (self);
}

static void
kdx_policy_mappings_map (GtkWidget *widget)
{
  KdxPolicyMappings *self = KDX_POLICY_MAPPINGS (widget);

  GTK_WIDGET_CLASS (kdx_policy_mappings_parent_class)->map (widget);

  if (self->dirty)
    fill (self);
}

static void
kdx_policy_mappings_dispose (GObject *object)
{
  KdxPolicyMappings *self = KDX_POLICY_MAPPINGS (object);

  kdx_section_clear_store (GTK_WIDGET (self), &self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_POLICY_MAPPINGS);
  /* The template's scrolled window holds the rows that point here. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_pointer (&self->system_rows, g_ptr_array_unref);
  g_clear_pointer (&self->expanded, g_hash_table_unref);
  g_clear_pointer (&self->policy, g_free);
  g_clear_pointer (&self->policy_key, g_free);

  G_OBJECT_CLASS (kdx_policy_mappings_parent_class)->dispose (object);
}

static void
kdx_policy_mappings_class_init (KdxPolicyMappingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_policy_mappings_dispose;
  widget_class->map = kdx_policy_mappings_map;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-policy-mappings.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyMappings, requirements_box);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyMappings, add_requirement_button);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyMappings, apply_button);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyMappings, systems_list);

  gtk_widget_class_install_action (widget_class, "mappings.add-requirement", NULL,
                                   add_requirement_action);
  gtk_widget_class_install_action (widget_class, "mappings.apply-to-system", NULL,
                                   apply_to_system_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_policy_mappings_init (KdxPolicyMappings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->system_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) system_row_free);
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mappings.add-requirement", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mappings.apply-to-system", FALSE);
}

KdxPolicyMappings *
kdx_policy_mappings_new (void)
{
  return g_object_new (KDX_TYPE_POLICY_MAPPINGS, NULL);
}

void
kdx_policy_mappings_set_policy (KdxPolicyMappings *self,
                                KdxStore          *store,
                                const char        *policy_uuid)
{
  g_return_if_fail (KDX_IS_POLICY_MAPPINGS (self));

  if (kdx_section_set_store (GTK_WIDGET (self), &self->store, store, G_CALLBACK (store_changed_cb)))
    {
      /* The assessor choosers belong to the old store. */
      kdx_list_box_remove_all (self->systems_list);
      g_ptr_array_set_size (self->system_rows, 0);
    }

  if (g_strcmp0 (self->policy, policy_uuid) != 0)
    {
      g_free (self->policy);
      self->policy = g_strdup (policy_uuid);
      g_hash_table_remove_all (self->expanded);
    }

  fill (self);
}
