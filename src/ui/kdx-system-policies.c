/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Policies section of an AI system: the policies applied to it, each
 * with its compliance status, assessor, date and evidence note; the
 * policies its use case suggests that are not applied yet, one click
 * each; and over all of them one line that says whether the system
 * complies. Every change is one call into core (kdx-mapping.h), which
 * journals it; what is shown follows the store's "changed" signal.
 */
#define G_LOG_DOMAIN "kdx-system-policies"

#include "config.h"

#include "kdx-system-policies.h"

#include "kdx-format.h"
#include "kdx-mapping.h"
#include "kdx-mapping-widgets.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-usecase.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

/* As the coverage matrix draws them: a colour and a symbol. */
static const char *const compliance_symbols[] = { "✓", "◐", "✗", "?", "–" };
static const char *const compliance_classes[] = {
  "kdx-matrix-compliant", "kdx-matrix-partial", "kdx-matrix-non-compliant",
  "kdx-matrix-not-assessed", "kdx-matrix-not-applicable",
};
G_STATIC_ASSERT (G_N_ELEMENTS (compliance_symbols) == KDX_COMPLIANCE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (compliance_classes) == KDX_COMPLIANCE_N_STATES);

/* The classes of the summary line, by the worst status (none last). */
static const char *const summary_classes[] = {
  "compliant", "partial", "non-compliant", "not-assessed", "none",
};

/* ------------------------------------------------------------------ */

typedef struct
{
  KdxSystemPolicies *self;     /* unowned: the row dies with the list */
  char              *policy;
  char              *key;
  AdwExpanderRow    *row;
  GtkLabel          *badge;
  GtkDropDown       *status;
  KdxAssessmentEditor editor;     /* assessor, date, evidence */
} PolicyRow;

struct _KdxSystemPolicies
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  AdwStatusPage *empty_page;
  GtkButton     *empty_button;
  GtkWidget     *summary_box;
  GtkImage      *summary_icon;
  GtkLabel      *summary_label;
  GtkLabel      *detail_label;
  GtkListBox    *policies_list;
  AdwPreferencesGroup *suggested_group;
  GtkListBox    *suggested_list;

  KdxStore      *store;
  char          *uuid;          /* the system */
  char          *system_key;    /* "SYS-012" */
  GPtrArray     *policy_rows;   /* PolicyRow, as on screen */
  GHashTable    *expanded;      /* uuids of the policies whose rows are open */
  gboolean       filling;
  gboolean       dirty;         /* changed while not shown */
};

G_DEFINE_FINAL_TYPE (KdxSystemPolicies, kdx_system_policies, GTK_TYPE_WIDGET)

static void fill (KdxSystemPolicies *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
writable (KdxSystemPolicies *self)
{
  return self->store != NULL && self->uuid != NULL && !kdx_store_is_read_only (self->store);
}

static void
set_badge (GtkLabel *badge,
           int       status)
{
  for (guint i = 0; i < KDX_COMPLIANCE_N_STATES; i++)
    if ((int) i != status)
      gtk_widget_remove_css_class (GTK_WIDGET (badge), compliance_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (badge), compliance_classes[status]);
  gtk_label_set_label (badge, compliance_symbols[status]);
  gtk_widget_set_tooltip_text (GTK_WIDGET (badge), kdx_compliance_get_label (status));
}

static GtkWidget *
badge_new (void)
{
  GtkWidget *badge = gtk_label_new (NULL);

  gtk_widget_add_css_class (badge, "kdx-matrix-swatch");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  /* The drop-down beside it says the status in words. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  return badge;
}

/* ------------------------------------------------------------------ */
/* The applied policies                                               */

static void
policy_row_free (PolicyRow *pr)
{
  g_free (pr->policy);
  g_free (pr->key);
  g_free (pr);
}

static void
save_policy (PolicyRow *pr)
{
  KdxSystemPolicies *self = pr->self;
  g_autofree char *date = NULL;
  g_autofree char *evidence = NULL;
  g_autoptr(GError) error = NULL;
  const char *assessor;
  guint status;

  if (self->filling || !writable (self))
    return;

  status = gtk_drop_down_get_selected (pr->status);
  if (status >= KDX_COMPLIANCE_N_STATES)
    status = KDX_COMPLIANCE_NOT_ASSESSED;
  date = kdx_editable_dup_stripped (GTK_EDITABLE (pr->editor.date));
  evidence = kdx_editable_dup_stripped (GTK_EDITABLE (pr->editor.evidence));

  /* An assessment is made by someone: unless another assessor is chosen,
   * it is the person acting. */
  assessor = kdx_person_chooser_get_person (pr->editor.assessor);
  if (assessor == NULL && status != KDX_COMPLIANCE_NOT_ASSESSED)
    assessor = kdx_store_get_actor (self->store);

  if (!kdx_mapping_set_system_policy (self->store, self->uuid, pr->policy, status,
                                      assessor, date, evidence, &error))
    {
      /* What core refused (a date that is no date) goes back to what is stored. */
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      fill (self);
    }
}

static void
policy_changed_cb (PolicyRow *pr)
{
  save_policy (pr);
}

static void
expanded_cb (AdwExpanderRow *row,
             GParamSpec     *pspec,
             PolicyRow      *pr)
{
  if (pr->self->filling)
    return;
  if (adw_expander_row_get_expanded (row))
    g_hash_table_add (pr->self->expanded, g_strdup (pr->policy));
  else
    g_hash_table_remove (pr->self->expanded, pr->policy);
}

static void
remove_clicked_cb (GtkButton *button,
                   PolicyRow *pr)
{
  KdxSystemPolicies *self = pr->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *policy = g_strdup (pr->policy);
  g_autofree char *key = g_strdup (pr->key);
  KdxAssessment *before = NULL;

  if (!writable (self))
    return;

  /* What Undo puts back: the assessment as stored. */
  rows = kdx_mapping_list_system_policies (self->store, self->uuid, NULL);
  for (guint i = 0; rows != NULL && i < rows->len && before == NULL; i++)
    {
      KdxMappingRow *row = rows->pdata[i];

      if (g_str_equal (row->uuid, policy))
        {
          before = kdx_assessment_new (self->store, self->uuid, policy, row);
        }
    }

  /* The row goes away with this call (pr is freed). */
  if (!kdx_mapping_remove_system_policy (self->store, self->uuid, policy, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      g_clear_pointer (&before, kdx_assessment_free);
      return;
    }

  /* Translators: "POL-001 no longer applies to SYS-004" */
  message = g_strdup_printf (_("%s no longer applies to %s"), key, self->system_key);
  if (before != NULL)
    kdx_toast_with_undo (GTK_WIDGET (self), message, G_CALLBACK (kdx_assessment_undo_cb), before,
                         (GDestroyNotify) kdx_assessment_free);
  else
    kdx_window_toast_from (GTK_WIDGET (self), message);
}

static PolicyRow *
policy_row_new (KdxSystemPolicies *self,
                KdxMappingRow     *mapping)
{
  PolicyRow *pr = g_new0 (PolicyRow, 1);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  /* Translators: a button that stops a policy applying to an AI system */
  g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), mapping->key);
  /* Translators: the drop-down with the compliance status of a system with policy %s */
  g_autofree char *status_label = g_strdup_printf (_("Compliance with %s"), mapping->key);

  pr->self = self;
  pr->policy = g_strdup (mapping->uuid);
  pr->key = g_strdup (mapping->key);
  pr->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (pr->row), FALSE);
  gtk_widget_set_name (GTK_WIDGET (pr->row), mapping->uuid);

  pr->badge = GTK_LABEL (badge_new ());
  adw_expander_row_add_prefix (pr->row, GTK_WIDGET (pr->badge));

  /* Actions are put before the ones added earlier: the remove button
   * goes in first to end up last, beside the arrow. */
  gtk_widget_set_name (remove, "remove");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), pr);
  adw_expander_row_add_action (pr->row, remove);

  for (guint i = 0; i < KDX_COMPLIANCE_N_STATES; i++)
    gtk_string_list_append (labels, kdx_compliance_get_label (i));
  pr->status = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL));
  gtk_widget_set_name (GTK_WIDGET (pr->status), "status");
  gtk_widget_set_valign (GTK_WIDGET (pr->status), GTK_ALIGN_CENTER);
  /* One width for all, so that the statuses line up. */
  gtk_widget_set_size_request (GTK_WIDGET (pr->status), 190, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (pr->status), status_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (pr->status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  status_label, -1);
  g_signal_connect_swapped (pr->status, "notify::selected", G_CALLBACK (policy_changed_cb), pr);
  adw_expander_row_add_action (pr->row, GTK_WIDGET (pr->status));

  kdx_assessment_editor_add (&pr->editor, pr->row, self->store, G_CALLBACK (policy_changed_cb), pr);

  g_signal_connect (pr->row, "notify::expanded", G_CALLBACK (expanded_cb), pr);

  return pr;
}

/* Shows @mapping in @pr without saving anything. */
static void
update_policy_row (PolicyRow     *pr,
                   KdxMappingRow *mapping)
{
  KdxSystemPolicies *self = pr->self;
  int status = mapping->compliance >= 0 ? mapping->compliance : KDX_COMPLIANCE_NOT_ASSESSED;
  g_autofree char *title = g_strdup_printf ("%s · %s", mapping->key, mapping->title);
  g_autofree char *date = kdx_format_date (mapping->date);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  gboolean can = writable (self);

  if (mapping->assessor_name != NULL && mapping->date != NULL)
    /* Translators: who assessed a system's compliance with a policy, and when */
    g_string_printf (subtitle, _("Assessed by %s on %s"), mapping->assessor_name, date);
  else if (mapping->assessor_name != NULL)
    g_string_printf (subtitle, _("Assessed by %s"), mapping->assessor_name);
  else if (mapping->date != NULL)
    g_string_printf (subtitle, _("Assessed on %s"), date);
  else
    g_string_assign (subtitle, _("Not assessed yet"));
  if (mapping->evidence != NULL)
    /* Translators: separates the parts of a row's subtitle */
    g_string_append_printf (subtitle, _(" · %s"), mapping->evidence);
  if (!mapping->in_effect)
    g_string_append_printf (subtitle, _(" · %s"), _("not in effect: no published version"));

  self->filling = TRUE;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pr->row), title);
  adw_expander_row_set_subtitle (pr->row, subtitle->str);
  set_badge (pr->badge, status);

  if (gtk_drop_down_get_selected (pr->status) != (guint) status)
    gtk_drop_down_set_selected (pr->status, status);
  gtk_widget_set_sensitive (GTK_WIDGET (pr->status), can);
  kdx_assessment_editor_show (&pr->editor, mapping, can);
  adw_expander_row_set_expanded (pr->row, g_hash_table_contains (self->expanded, pr->policy));
  self->filling = FALSE;
}

static void
fill_policies (KdxSystemPolicies *self,
               GPtrArray         *mappings)
{
  gboolean same = mappings->len > 0 && mappings->len == self->policy_rows->len;

  /* The same policies as on screen: their rows are updated in place, so
   * that an open row stays open and keeps the focus. */
  for (guint i = 0; same && i < mappings->len; i++)
    same = g_str_equal (((KdxMappingRow *) mappings->pdata[i])->uuid,
                        ((PolicyRow *) self->policy_rows->pdata[i])->policy);

  if (!same)
    {
      kdx_list_box_remove_all (self->policies_list);
      g_ptr_array_set_size (self->policy_rows, 0);
      for (guint i = 0; i < mappings->len; i++)
        {
          PolicyRow *pr = policy_row_new (self, mappings->pdata[i]);

          g_ptr_array_add (self->policy_rows, pr);
          gtk_list_box_append (self->policies_list, GTK_WIDGET (pr->row));
        }
      if (mappings->len == 0)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         _("No policy applies to this system yet"));
          gtk_widget_add_css_class (row, "dim-label");
          gtk_list_box_append (self->policies_list, row);
        }
    }

  for (guint i = 0; i < mappings->len; i++)
    update_policy_row (self->policy_rows->pdata[i], mappings->pdata[i]);
}

/* ------------------------------------------------------------------ */
/* The compliance of the system as a whole                            */

static void
fill_summary (KdxSystemPolicies *self,
              GPtrArray         *mappings)
{
  guint counts[KDX_COMPLIANCE_N_STATES] = { 0 };
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *headline = NULL;
  const char *icon;
  int worst = -1;
  guint n;

  for (guint i = 0; i < mappings->len; i++)
    {
      KdxMappingRow *mapping = mappings->pdata[i];
      int status = mapping->compliance >= 0 ? mapping->compliance : KDX_COMPLIANCE_NOT_ASSESSED;

      counts[status]++;
      worst = kdx_compliance_worse (worst, status);
    }

  switch (worst)
    {
    case KDX_COMPLIANCE_NON_COMPLIANT:
      n = counts[worst];
      headline = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Not compliant: %u policy non-compliant",
                                               "Not compliant: %u policies non-compliant", n), n);
      icon = "dialog-error-symbolic";
      break;
    case KDX_COMPLIANCE_PARTIAL:
      n = counts[worst];
      headline = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Partly compliant: %u policy met only in part",
                                               "Partly compliant: %u policies met only in part", n), n);
      icon = "dialog-warning-symbolic";
      break;
    case KDX_COMPLIANCE_NOT_ASSESSED:
      n = counts[worst];
      headline = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Not fully assessed: %u policy not assessed yet",
                                               "Not fully assessed: %u policies not assessed yet", n), n);
      icon = "dialog-question-symbolic";
      break;
    case KDX_COMPLIANCE_COMPLIANT:
      n = counts[worst];
      headline = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Compliant with the %u policy that applies",
                                               "Compliant with all %u policies that apply", n), n);
      icon = "emblem-ok-symbolic";
      break;
    case KDX_COMPLIANCE_NOT_APPLICABLE:
      headline = g_strdup (_("No applied policy concerns it: all are marked not applicable"));
      icon = "action-unavailable-symbolic";
      break;
    default:
      headline = g_strdup (_("No policy applies to this system yet"));
      icon = "action-unavailable-symbolic";
      break;
    }

  for (guint s = 0; s < KDX_COMPLIANCE_N_STATES; s++)
    if (counts[s] > 0)
      {
        if (detail->len > 0)
          g_string_append (detail, " · ");
        /* Translators: a compliance status and how many policies have it: "Partial: 2" */
        g_string_append_printf (detail, _("%s: %u"), kdx_compliance_get_label (s), counts[s]);
      }

  gtk_label_set_label (self->summary_label, headline);
  gtk_label_set_label (self->detail_label, detail->str);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail->len > 0);
  gtk_image_set_from_icon_name (self->summary_icon, icon);
  for (guint i = 0; i < G_N_ELEMENTS (summary_classes); i++)
    gtk_widget_remove_css_class (self->summary_box, summary_classes[i]);
  gtk_widget_add_css_class (self->summary_box,
                            worst >= 0 && worst != KDX_COMPLIANCE_NOT_APPLICABLE
                            ? summary_classes[worst] : "none");
}

/* ------------------------------------------------------------------ */
/* Suggested by the use case                                          */

static void
apply_policy (KdxSystemPolicies *self,
              const char        *policy,
              const char        *title)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!writable (self))
    return;

  /* A new link starts as not assessed; its row opens so that the
   * assessment can be entered at once. */
  g_hash_table_add (self->expanded, g_strdup (policy));
  if (!kdx_mapping_set_system_policy (self->store, self->uuid, policy, KDX_COMPLIANCE_NOT_ASSESSED,
                                      NULL, NULL, NULL, &error))
    {
      g_hash_table_remove (self->expanded, policy);
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  /* Translators: "POL-001 · Disclosure now applies to SYS-004" */
  message = g_strdup_printf (_("%s now applies to %s"), title, self->system_key);
  kdx_window_toast_from (GTK_WIDGET (self), message);
}

static void
apply_suggested_clicked_cb (GtkButton         *button,
                            KdxSystemPolicies *self)
{
  g_autofree char *policy = g_strdup (g_object_get_data (G_OBJECT (button), "policy"));
  g_autofree char *title = g_strdup (g_object_get_data (G_OBJECT (button), "title"));

  apply_policy (self, policy, title);
}

static guint
fill_suggested (KdxSystemPolicies *self,
                KdxSystem         *system,
                GPtrArray         *mappings)
{
  g_autoptr(GHashTable) applied = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const KdxUseCase *use_case = NULL;
  guint n = 0;

  kdx_list_box_remove_all (self->suggested_list);
  if (system != NULL && kdx_system_get_use_case (system) != NULL)
    use_case = kdx_use_case_lookup (kdx_system_get_use_case (system));
  for (guint i = 0; i < mappings->len; i++)
    g_hash_table_add (applied, ((KdxMappingRow *) mappings->pdata[i])->uuid);

  for (guint i = 0; use_case != NULL && use_case->policies != NULL && use_case->policies[i] != NULL; i++)
    {
      /* Only templates that a policy of the workspace was made from. */
      g_autofree char *uuid = kdx_policy_find_by_template (self->store, use_case->policies[i]);
      g_autoptr(KdxPolicy) policy = NULL;
      g_autofree char *title = NULL;
      GtkWidget *row, *button;

      /* Two templates may have led to one policy: one row. */
      if (uuid == NULL || g_hash_table_contains (applied, uuid) ||
          !g_hash_table_add (shown, g_strdup (uuid)))
        continue;
      policy = kdx_policy_load (self->store, uuid, NULL);
      if (policy == NULL)
        continue;

      title = g_strdup_printf ("%s · %s", kdx_policy_get_key (policy), kdx_policy_get_title (policy));
      row = adw_action_row_new ();
      gtk_widget_set_name (row, uuid);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   kdx_policy_area_get_label (kdx_policy_get_area (policy)));

      button = gtk_button_new_with_mnemonic (_("_Apply"));
      gtk_widget_set_name (button, "apply");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, writable (self));
      g_object_set_data_full (G_OBJECT (button), "policy", g_strdup (uuid), g_free);
      g_object_set_data_full (G_OBJECT (button), "title", g_strdup (title), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (apply_suggested_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->suggested_list, row);
      n++;
    }
  if (n > 0)
    {
      g_autofree char *description =
        /* Translators: %s is a use case of the library, "Lead scoring of companies" */
        g_strdup_printf (_("The use-case library suggests these policies for “%s”; they are not applied yet."),
                         kdx_use_case_get_name (use_case));

      adw_preferences_group_set_description (self->suggested_group, description);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->suggested_group), n > 0);

  return n;
}

/* ------------------------------------------------------------------ */

static void
fill (KdxSystemPolicies *self)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GPtrArray) mappings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean can;
  guint n_suggested;

  if (!kdx_section_should_fill (GTK_WIDGET (self), &self->dirty))
    return;

  g_clear_pointer (&self->system_key, g_free);
  if (self->store != NULL && self->uuid != NULL)
    {
      system = kdx_system_load (self->store, self->uuid, NULL);
      mappings = kdx_mapping_list_system_policies (self->store, self->uuid, &error);
      if (mappings == NULL)
        g_warning ("Cannot list the policies of system %s: %s", self->uuid, error->message);
    }
  if (system != NULL)
    self->system_key = g_strdup (kdx_system_get_key (system));
  if (mappings == NULL)
    mappings = g_ptr_array_new ();

  can = writable (self) && system != NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policies.apply", can);

  fill_policies (self, mappings);
  fill_summary (self, mappings);
  n_suggested = fill_suggested (self, system, mappings);

  if (mappings->len > 0 || n_suggested > 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  /* Nothing to show: the next step is to apply a policy, or to write
   * one when the workspace has none. */
  if (self->store != NULL && kdx_policy_count (self->store) == 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Policies Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("The workspace has no policies to apply. Write the first one — or start from the templates — in Code of Conduct &amp; Policies."));
      gtk_button_set_label (self->empty_button, _("_New Policy"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->empty_button), "win.new-policy");
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Policies Applied"));
      adw_status_page_set_description (self->empty_page,
                                       _("Apply the policies that govern this system, then record how far it complies with each of them."));
      gtk_button_set_label (self->empty_button, _("_Apply Policy…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->empty_button), "policies.apply");
    }
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* ------------------------------------------------------------------ */
/* Apply Policy…                                                      */

static gboolean
pick_chosen (KdxPickItem       *item,
             KdxSystemPolicies *self)
{
  apply_policy (self, kdx_pick_item_get_id (item), kdx_pick_item_get_title (item));

  return TRUE;
}

static KdxPicker *
picker_new (KdxSystemPolicies *self)
{
  g_autofree char *title = self->system_key != NULL
    /* Translators: the title of the window to pick a policy for system %s */
    ? g_strdup_printf (_("Apply Policy to %s"), self->system_key)
    : g_strdup (_("Apply Policy"));
  KdxPicker *picker = kdx_picker_new (GTK_WIDGET (self), title, _("_Apply"), _("Search policies"),
                                      _("Policies"), (KdxPickerChooseFunc) pick_chosen,
                                      g_object_ref (self), g_object_unref);
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GPtrArray) applied = NULL;
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  KdxPolicyFilter filter;

  kdx_policy_filter_init (&filter);
  policies = kdx_policy_list (self->store, &filter, NULL);
  applied = kdx_mapping_list_system_policies (self->store, self->uuid, NULL);
  for (guint i = 0; applied != NULL && i < applied->len; i++)
    g_hash_table_add (taken, ((KdxMappingRow *) applied->pdata[i])->uuid);

  for (guint i = 0; policies != NULL && i < policies->len; i++)
    {
      KdxPolicy *policy = policies->pdata[i];
      const char *uuid = kdx_policy_get_uuid (policy);
      gboolean is_taken = g_hash_table_contains (taken, uuid);
      g_autofree char *title_i = g_strdup_printf ("%s · %s", kdx_policy_get_key (policy),
                                                  kdx_policy_get_title (policy));
      /* Translators: the kind of a policy and the status of its newest version: "Guideline · Draft" */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s"),
                                                   kdx_policy_kind_get_label (kdx_policy_get_kind (policy)),
                                                   kdx_version_status_get_label (kdx_policy_get_status (policy)));
      g_autofree char *taken_subtitle = is_taken
        /* Translators: in the list to pick a policy from: it is applied already, then its kind */
        ? g_strdup_printf (_("Applied already · %s"), subtitle)
        : NULL;

      g_ptr_array_add (items, kdx_pick_item_new (uuid, title_i, subtitle, taken_subtitle, 0, is_taken));
    }
  kdx_picker_set_items (picker, items);

  return picker;
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KdxSystemPolicies *self = KDX_SYSTEM_POLICIES (widget);
  KdxPicker *picker;

  if (!writable (self))
    return;

  picker = picker_new (self);
  kdx_picker_present (picker);
}

/* ------------------------------------------------------------------ */

static void
store_changed_cb (KdxStore          *store,
                  const char        *entity,
                  GArray            *ids,
                  KdxSystemPolicies *self)
{
  if (self->uuid == NULL)
    return;
  /* A link marks both its system and its policy; people are assessors. */
  if (g_strcmp0 (entity, "ai_system") == 0 || g_strcmp0 (entity, "policy") == 0 ||
      g_strcmp0 (entity, "person") == 0 || g_strcmp0 (entity, "import") == 0 ||
      g_strcmp0 (entity, "workspace") == 0)
    fill (self);
}

static void
kdx_system_policies_map (GtkWidget *widget)
{
  KdxSystemPolicies *self = KDX_SYSTEM_POLICIES (widget);

  GTK_WIDGET_CLASS (kdx_system_policies_parent_class)->map (widget);

  if (self->dirty)
    fill (self);
}

static void
kdx_system_policies_dispose (GObject *object)
{
  KdxSystemPolicies *self = KDX_SYSTEM_POLICIES (object);

  kdx_section_clear_store (GTK_WIDGET (self), &self->store);
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_SYSTEM_POLICIES);
  g_clear_pointer (&self->policy_rows, g_ptr_array_unref);
  g_clear_pointer (&self->expanded, g_hash_table_unref);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->system_key, g_free);

  G_OBJECT_CLASS (kdx_system_policies_parent_class)->dispose (object);
}

static void
kdx_system_policies_class_init (KdxSystemPoliciesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_policies_dispose;
  widget_class->map = kdx_system_policies_map;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-system-policies.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, empty_button);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, summary_box);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, policies_list);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, suggested_group);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemPolicies, suggested_list);

  gtk_widget_class_install_action (widget_class, "policies.apply", NULL, apply_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_policies_init (KdxSystemPolicies *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->policy_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) policy_row_free);
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policies.apply", FALSE);
}

KdxSystemPolicies *
kdx_system_policies_new (void)
{
  return g_object_new (KDX_TYPE_SYSTEM_POLICIES, NULL);
}

void
kdx_system_policies_set_system (KdxSystemPolicies *self,
                                KdxStore          *store,
                                const char        *uuid)
{
  g_return_if_fail (KDX_IS_SYSTEM_POLICIES (self));
  g_return_if_fail (store == NULL || KDX_IS_STORE (store));

  if (kdx_section_set_store (GTK_WIDGET (self), &self->store, store, G_CALLBACK (store_changed_cb)))
    {
      /* The assessor choosers belong to the old store. */
      kdx_list_box_remove_all (self->policies_list);
      g_ptr_array_set_size (self->policy_rows, 0);
    }

  if (g_strcmp0 (self->uuid, uuid) != 0)
    {
      g_free (self->uuid);
      self->uuid = g_strdup (uuid);
      g_hash_table_remove_all (self->expanded);
      /* Rows of another system's policies would be updated in place. */
      kdx_list_box_remove_all (self->policies_list);
      g_ptr_array_set_size (self->policy_rows, 0);
    }

  fill (self);
}

/* Opens Apply Policy… (action "policies.apply"). */
void
kdx_system_policies_apply (KdxSystemPolicies *self)
{
  g_return_if_fail (KDX_IS_SYSTEM_POLICIES (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "policies.apply", NULL);
}
