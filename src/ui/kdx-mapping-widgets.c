/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pieces that the views of mappings share: the Undo of an unlinked
 * requirement or a removed assessment, and the rows that edit an
 * assessment (assessor, date, evidence). What is saved is each view's
 * own business; these only build, show and put back.
 */
#define G_LOG_DOMAIN "kdx-mapping-widgets"

#include "config.h"

#include "kdx-mapping-widgets.h"

#include "kdx-window.h"

#include <glib/gi18n.h>

char *
kdx_editable_dup_stripped (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

void
kdx_toast_with_undo (GtkWidget      *widget,
                     const char     *message,
                     GCallback       undo,
                     gpointer        data,
                     GDestroyNotify  data_free)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      kdx_window_toast_from (widget, message);
      data_free (data);
      return;
    }

  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_data (toast, "button-clicked", undo, data,
                         (GClosureNotify) (void (*) (void)) data_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* ------------------------------------------------------------------ */
/* Undo                                                               */

KdxRequirementLink *
kdx_requirement_link_new (KdxStore   *store,
                          const char *policy,
                          const char *requirement)
{
  KdxRequirementLink *link = g_new0 (KdxRequirementLink, 1);

  link->store = g_object_ref (store);
  link->policy = g_strdup (policy);
  link->requirement = g_strdup (requirement);

  return link;
}

void
kdx_requirement_link_free (KdxRequirementLink *link)
{
  g_clear_object (&link->store);
  g_free (link->policy);
  g_free (link->requirement);
  g_free (link);
}

void
kdx_requirement_link_undo_cb (AdwToast           *toast,
                              KdxRequirementLink *link)
{
  g_autoptr(GError) error = NULL;

  if (!kdx_mapping_link_requirement (link->store, link->policy, link->requirement, &error))
    g_warning ("Cannot link the policy and the requirement again: %s", error->message);
}

KdxAssessment *
kdx_assessment_new (KdxStore            *store,
                    const char          *system,
                    const char          *policy,
                    const KdxMappingRow *row)
{
  KdxAssessment *a = g_new0 (KdxAssessment, 1);

  a->store = g_object_ref (store);
  a->system = g_strdup (system);
  a->policy = g_strdup (policy);
  a->status = row->compliance >= 0 ? row->compliance : KDX_COMPLIANCE_NOT_ASSESSED;
  a->assessor = g_strdup (row->assessor);
  a->date = g_strdup (row->date);
  a->evidence = g_strdup (row->evidence);

  return a;
}

void
kdx_assessment_free (KdxAssessment *a)
{
  g_clear_object (&a->store);
  g_free (a->system);
  g_free (a->policy);
  g_free (a->assessor);
  g_free (a->date);
  g_free (a->evidence);
  g_free (a);
}

void
kdx_assessment_undo_cb (AdwToast      *toast,
                        KdxAssessment *a)
{
  g_autoptr(GError) error = NULL;

  if (!kdx_mapping_set_system_policy (a->store, a->system, a->policy, a->status, a->assessor,
                                      a->date, a->evidence, &error))
    g_warning ("Cannot apply the policy again: %s", error->message);
}

/* ------------------------------------------------------------------ */
/* The rows of an assessment                                          */

static GtkWidget *
row_with_suffix (const char *title,
                 const char *subtitle,
                 GtkWidget  *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);

  return row;
}

void
kdx_assessment_editor_add (KdxAssessmentEditor *editor,
                           AdwExpanderRow      *row,
                           KdxStore            *store,
                           GCallback            changed,
                           gpointer             data)
{
  g_return_if_fail (editor != NULL);
  g_return_if_fail (ADW_IS_EXPANDER_ROW (row));

  editor->assessor = g_object_new (KDX_TYPE_PERSON_CHOOSER, NULL);
  kdx_person_chooser_set_store (editor->assessor, store);
  kdx_person_chooser_set_allow_none (editor->assessor, TRUE);
  kdx_person_chooser_set_empty_label (editor->assessor, _("Nobody"));
  g_signal_connect_swapped (editor->assessor, "chosen", changed, data);
  adw_expander_row_add_row (row,
                            row_with_suffix (_("Assessor"), _("Who judged the compliance"),
                                             GTK_WIDGET (editor->assessor)));

  /* The names let the tests find the rows. */
  editor->date = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (editor->date), "date");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->date), _("Assessed On (YYYY-MM-DD)"));
  adw_entry_row_set_show_apply_button (editor->date, TRUE);
  g_signal_connect_swapped (editor->date, "apply", changed, data);
  adw_expander_row_add_row (row, GTK_WIDGET (editor->date));

  editor->evidence = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (editor->evidence), "evidence");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->evidence), _("Evidence"));
  adw_entry_row_set_show_apply_button (editor->evidence, TRUE);
  g_signal_connect_swapped (editor->evidence, "apply", changed, data);
  adw_expander_row_add_row (row, GTK_WIDGET (editor->evidence));
}

static void
set_text_if_other (GtkEditable *editable,
                   const char  *text)
{
  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_editable_get_text (editable), text) != 0)
    gtk_editable_set_text (editable, text);
}

void
kdx_assessment_editor_show (KdxAssessmentEditor *editor,
                            const KdxMappingRow *mapping,
                            gboolean             can_edit)
{
  g_return_if_fail (editor != NULL);
  g_return_if_fail (mapping != NULL);

  if (g_strcmp0 (kdx_person_chooser_get_person (editor->assessor), mapping->assessor) != 0)
    kdx_person_chooser_set_person (editor->assessor, mapping->assessor);
  set_text_if_other (GTK_EDITABLE (editor->date), mapping->date);
  set_text_if_other (GTK_EDITABLE (editor->evidence), mapping->evidence);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->assessor), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->date), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->evidence), can_edit);
}
