/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One policy: its versions, the text of the chosen one (edited while it
 * is a draft), a comparison of any two versions, the committee's vote,
 * the acknowledgements and the policy's details. The next step of the
 * chosen version — submit, vote, publish, new version — is the one
 * button in the header; the rules behind each step are in core.
 */
#define G_LOG_DOMAIN "kdx-policy-view"

#include "config.h"

#include "kdx-policy-view.h"

#include "kdx-format.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-policy-acks.h"
#include "kdx-policy-editor.h"
#include "kdx-policy-mappings.h"
#include "kdx-version-compare.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

struct _KdxPolicyView
{
  GtkWidget          parent_instance;

  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkLabel          *status_label;
  GtkDropDown       *version_dropdown;
  GtkButton         *step_button;
  AdwViewStack      *view_stack;
  KdxPolicyEditor   *editor;
  KdxVersionCompare *compare;
  GtkListBox        *tally_list;
  GtkListBox        *votes_list;
  KdxPolicyAcks     *acks;
  KdxPolicyMappings *mappings;
  AdwEntryRow       *title_row;
  AdwComboRow       *kind_row;
  AdwComboRow       *area_row;
  KdxPersonChooser  *owner_chooser;
  GtkSpinButton     *interval_spin;
  AdwEntryRow       *next_review_row;
  GtkListBox        *history_list;

  KdxStore          *store;
  KdxPolicy         *policy;
  GPtrArray         *versions;    /* KdxPolicyVersion, oldest first */
  KdxPolicyVersion  *version;     /* the one shown */
  char              *editor_version;
  KdxVersionStatus   editor_status;
  gboolean           compare_dirty;
  gboolean           filling;
};

G_DEFINE_FINAL_TYPE (KdxPolicyView, kdx_policy_view, GTK_TYPE_WIDGET)

static const char *status_classes[] = {
  "kdx-status-draft", "kdx-status-review", "kdx-status-approved", "kdx-status-published",
  "kdx-status-superseded", "kdx-status-retired",
};
G_STATIC_ASSERT (G_N_ELEMENTS (status_classes) == KDX_VERSION_N_STATUSES);

static void reload (KdxPolicyView *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
writable (KdxPolicyView *self)
{
  return self->store != NULL && !kdx_store_is_read_only (self->store);
}

static GtkWidget *
info_row_new (const char *title,
              const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  return row;
}

static char *
version_caption (KdxPolicyVersion *version)
{
  /* Translators: a version in a list: "1.1 · Published" */
  return g_strdup_printf (_("%s · %s"), kdx_policy_version_get_label (version),
                          kdx_version_status_get_label (kdx_policy_version_get_status (version)));
}

/* A message dialog with one line of text to fill in. */
static AdwMessageDialog *
text_dialog_new (KdxPolicyView *self,
                 const char    *heading,
                 const char    *body,
                 const char    *entry_title,
                 const char    *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (root), heading, body);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *entry = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), entry_title);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (entry), TRUE);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);

  return ADW_MESSAGE_DIALOG (dialog);
}

static const char *
dialog_text (AdwMessageDialog *dialog)
{
  return gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "entry")));
}

static void
require_text_cb (GtkEditable      *editable,
                 AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  const char *response = g_object_get_data (G_OBJECT (dialog), "required-response");

  adw_message_dialog_set_response_enabled (dialog, response, *text != '\0');
}

/* The response is only possible once the entry holds some text. */
static void
require_text (AdwMessageDialog *dialog,
              const char       *response)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  g_object_set_data (G_OBJECT (dialog), "required-response", (gpointer) response);
  g_signal_connect (entry, "changed", G_CALLBACK (require_text_cb), dialog);
  require_text_cb (entry, dialog);
}

static void
present (KdxPolicyView    *self,
         AdwMessageDialog *dialog,
         GCallback         response_cb)
{
  g_signal_connect_object (dialog, "response", response_cb, self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  if (g_object_get_data (G_OBJECT (dialog), "entry") != NULL)
    gtk_widget_grab_focus (g_object_get_data (G_OBJECT (dialog), "entry"));
}

/* ------------------------------------------------------------------ */
/* Filling the view                                                   */

static void
update_header (KdxPolicyView *self)
{
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *review = NULL;
  KdxVersionStatus status;

  if (self->policy == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->subtitle_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
      return;
    }

  title = g_strdup_printf ("%s · %s", kdx_policy_get_key (self->policy),
                           kdx_policy_get_title (self->policy));
  gtk_label_set_label (self->title_label, title);

  g_string_append (subtitle, kdx_policy_kind_get_label (kdx_policy_get_kind (self->policy)));
  g_string_append (subtitle, " · ");
  g_string_append (subtitle, kdx_policy_area_get_label (kdx_policy_get_area (self->policy)));
  if (kdx_policy_get_owner_name (self->policy) != NULL)
    /* Translators: the owner of a policy, in the policy's subtitle */
    g_string_append_printf (subtitle, _(" · owner %s"), kdx_policy_get_owner_name (self->policy));
  if (kdx_policy_get_retired (self->policy) != NULL)
    {
      g_autofree char *date = kdx_format_date (kdx_policy_get_retired (self->policy));
      g_string_append_printf (subtitle, _(" · retired on %s"), date);
    }
  else if (kdx_policy_get_next_review (self->policy) != NULL)
    {
      review = kdx_format_date (kdx_policy_get_next_review (self->policy));
      if (kdx_policy_is_overdue (self->policy, NULL))
        g_string_append_printf (subtitle, _(" · review overdue since %s"), review);
      else
        g_string_append_printf (subtitle, _(" · next review %s"), review);
    }
  gtk_label_set_label (self->subtitle_label, subtitle->str);

  gtk_widget_set_visible (GTK_WIDGET (self->status_label), self->version != NULL);
  if (self->version == NULL)
    return;
  status = kdx_policy_version_get_status (self->version);
  gtk_label_set_label (self->status_label, kdx_version_status_get_label (status));
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[status]);
}

static void
update_step (KdxPolicyView *self)
{
  const char *label = NULL;
  const char *action = NULL;
  gboolean can = writable (self) && self->policy != NULL && self->version != NULL &&
                 kdx_policy_get_retired (self->policy) == NULL;
  KdxVersionStatus status = self->version ? kdx_policy_version_get_status (self->version)
                                          : KDX_VERSION_RETIRED;
  gboolean newest = self->version != NULL && self->versions->len > 0 &&
                    self->version == self->versions->pdata[self->versions->len - 1];

  switch (status)
    {
    case KDX_VERSION_DRAFT:
      label = _("Submit for _Review…");
      action = "policy.submit";
      break;
    case KDX_VERSION_REVIEW:
      label = _("_Vote…");
      action = "policy.vote";
      break;
    case KDX_VERSION_APPROVED:
      label = _("_Publish…");
      action = "policy.publish";
      break;
    case KDX_VERSION_PUBLISHED:
      if (newest)
        {
          label = _("_New Version…");
          action = "policy.new-version";
        }
      break;
    default:
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->step_button), label != NULL && can);
  if (label != NULL)
    {
      gtk_button_set_label (self->step_button, label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->step_button), action);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.submit",
                                 can && status == KDX_VERSION_DRAFT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.vote",
                                 can && status == KDX_VERSION_REVIEW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.withdraw",
                                 can && status == KDX_VERSION_REVIEW);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.publish",
                                 can && status == KDX_VERSION_APPROVED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.new-version",
                                 can && newest && (status == KDX_VERSION_PUBLISHED ||
                                                   status == KDX_VERSION_SUPERSEDED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.retire", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.trash",
                                 writable (self) && self->policy != NULL);
}

static void
fill_review (KdxPolicyView *self)
{
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(GError) error = NULL;
  KdxVersionStatus status;
  const char *uuid;

  kdx_list_box_remove_all (self->tally_list);
  kdx_list_box_remove_all (self->votes_list);
  if (self->version == NULL)
    return;

  uuid = kdx_policy_version_get_uuid (self->version);
  status = kdx_policy_version_get_status (self->version);

  if (status == KDX_VERSION_REVIEW)
    {
      g_auto(GStrv) outstanding = kdx_policy_dup_outstanding (self->store, uuid, NULL);
      g_autofree char *submitted = kdx_format_time (kdx_policy_version_get_submitted (self->version));
      g_autofree char *state = NULL;
      g_autofree char *approvals = NULL;
      g_autofree char *counts = NULL;
      g_autofree char *names = NULL;
      KdxTally tally;

      kdx_policy_tally (self->store, uuid, &tally, NULL);
      /* Translators: "In review since 2026-11-29 10:00 (round 2)" */
      state = g_strdup_printf (_("In review since %s (round %u)"), submitted,
                               kdx_policy_version_get_round (self->version));
      approvals = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u of %u approval the quorum rule asks for",
                                                "%u of %u approvals the quorum rule asks for",
                                                tally.required),
                                   tally.approve, tally.required);
      /* Translators: the votes of a round so far */
      counts = g_strdup_printf (_("%u approve, %u reject, %u abstain"), tally.approve,
                                tally.reject, tally.abstain);
      gtk_list_box_append (self->tally_list, info_row_new (state, kdx_policy_version_get_summary (self->version)));
      gtk_list_box_append (self->tally_list, info_row_new (approvals, counts));
      names = outstanding ? g_strjoinv (", ", outstanding) : g_strdup ("");
      gtk_list_box_append (self->tally_list,
                           info_row_new (g_dngettext (GETTEXT_PACKAGE,
                                                      "Member Yet to Vote", "Members Yet to Vote",
                                                      outstanding ? g_strv_length (outstanding) : 0),
                                         *names ? names : _("Everyone has voted")));
    }
  else
    {
      g_autofree char *text = NULL;
      g_autofree char *when = NULL;

      switch (status)
        {
        case KDX_VERSION_DRAFT:
          text = g_strdup (kdx_policy_version_get_round (self->version) > 0
                           ? _("Returned to draft: the earlier votes and comments are below.")
                           : _("This draft has not been submitted for review yet."));
          break;
        case KDX_VERSION_APPROVED:
          when = kdx_format_time (kdx_policy_version_get_approved (self->version));
          text = g_strdup_printf (_("Approved by the committee on %s; ready to be published."), when);
          break;
        case KDX_VERSION_PUBLISHED:
        case KDX_VERSION_SUPERSEDED:
        case KDX_VERSION_RETIRED:
          when = kdx_format_date (kdx_policy_version_get_effective (self->version));
          text = when && *when ? g_strdup_printf (_("Approved by the committee and in effect from %s."), when)
                               : g_strdup (_("Approved by the committee."));
          break;
        default:
          break;
        }
      gtk_list_box_append (self->tally_list,
                           info_row_new (kdx_version_status_get_label (status), text));
    }

  votes = kdx_policy_list_votes (self->store, uuid, &error);
  if (votes == NULL || votes->len == 0)
    {
      gtk_list_box_append (self->votes_list, info_row_new (_("No votes yet"), NULL));
      return;
    }
  for (guint i = 0; i < votes->len; i++)
    {
      KdxVote *vote = votes->pdata[i];
      g_autofree char *title = g_strdup_printf ("%s — %s", vote->person_name,
                                                kdx_vote_choice_get_label (vote->choice));
      g_autofree char *when = kdx_format_time (vote->time);
      /* Translators: when and in which review round a vote was cast */
      g_autofree char *meta = g_strdup_printf (_("%s · round %u"), when, vote->round);
      GtkWidget *row = info_row_new (title, vote->comment);
      GtkWidget *suffix = gtk_label_new (meta);

      gtk_widget_add_css_class (suffix, "dim-label");
      gtk_widget_add_css_class (suffix, "caption");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
      gtk_list_box_append (self->votes_list, row);
    }
}

static void
fill_details (KdxPolicyView *self)
{
  self->filling = TRUE;

  if (self->policy != NULL)
    {
      gboolean can = writable (self);

      gtk_editable_set_text (GTK_EDITABLE (self->title_row), kdx_policy_get_title (self->policy));
      adw_combo_row_set_selected (self->kind_row, kdx_policy_get_kind (self->policy));
      adw_combo_row_set_selected (self->area_row, kdx_policy_get_area (self->policy));
      kdx_person_chooser_set_store (self->owner_chooser, self->store);
      kdx_person_chooser_set_person (self->owner_chooser, kdx_policy_get_owner (self->policy));
      gtk_spin_button_set_value (self->interval_spin, kdx_policy_get_review_months (self->policy));
      gtk_editable_set_text (GTK_EDITABLE (self->next_review_row),
                             kdx_policy_get_next_review (self->policy)
                               ? kdx_policy_get_next_review (self->policy) : "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->title_row), can);
      gtk_widget_set_sensitive (GTK_WIDGET (self->kind_row), can);
      gtk_widget_set_sensitive (GTK_WIDGET (self->area_row), can);
      gtk_widget_set_sensitive (GTK_WIDGET (self->owner_chooser), can);
      gtk_widget_set_sensitive (GTK_WIDGET (self->interval_spin), can);
      gtk_widget_set_sensitive (GTK_WIDGET (self->next_review_row), can);
    }

  kdx_list_box_remove_all (self->history_list);
  for (guint i = self->versions ? self->versions->len : 0; i > 0; i--)
    {
      KdxPolicyVersion *v = self->versions->pdata[i - 1];
      g_autofree char *caption = version_caption (v);
      g_autofree char *created = kdx_format_time (kdx_policy_version_get_created (v));
      g_autoptr(GString) sub = g_string_new (NULL);

      if (kdx_policy_version_get_summary (v) != NULL)
        g_string_append_printf (sub, "%s — ", kdx_policy_version_get_summary (v));
      if (kdx_policy_version_get_author_name (v) != NULL)
        /* Translators: who started a version and when */
        g_string_append_printf (sub, _("started by %s on %s"),
                                kdx_policy_version_get_author_name (v), created);
      else
        g_string_append_printf (sub, _("started on %s"), created);
      gtk_list_box_append (self->history_list, info_row_new (caption, sub->str));
    }

  self->filling = FALSE;
}

static void
update_compare (KdxPolicyView *self)
{
  if (!self->compare_dirty)
    return;
  self->compare_dirty = FALSE;
  kdx_version_compare_set_versions (self->compare, self->versions, KDX_VERSION_COMPARE_DEFAULT,
                                    KDX_VERSION_COMPARE_DEFAULT);
}

static void
visible_tab_cb (KdxPolicyView *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "compare") == 0)
    update_compare (self);
}

/* The text of the version shown, without disturbing a draft being typed:
 * the editor is only told again when the version or its status changes. */
static void
update_editor (KdxPolicyView *self)
{
  const char *uuid = self->version ? kdx_policy_version_get_uuid (self->version) : NULL;
  KdxVersionStatus status = self->version ? kdx_policy_version_get_status (self->version)
                                          : KDX_VERSION_N_STATUSES;

  if (g_strcmp0 (uuid, self->editor_version) == 0 && status == self->editor_status)
    return;

  g_free (self->editor_version);
  self->editor_version = g_strdup (uuid);
  self->editor_status = status;
  kdx_policy_editor_set_version (self->editor, self->store, self->version, writable (self));
}

static KdxPolicyVersion *
published_version (KdxPolicyView *self)
{
  for (guint i = 0; self->versions && i < self->versions->len; i++)
    if (kdx_policy_version_get_status (self->versions->pdata[i]) == KDX_VERSION_PUBLISHED)
      return self->versions->pdata[i];

  return NULL;
}

static void
reload_with (KdxPolicyView *self,
             const char    *version_uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicy) policy = NULL;
  g_autoptr(GtkStringList) captions = gtk_string_list_new (NULL);
  g_autofree char *keep = g_strdup (version_uuid);
  KdxPolicyVersion *acks_version;
  guint selected = GTK_INVALID_LIST_POSITION;

  if (self->store == NULL || self->policy == NULL)
    return;

  policy = kdx_policy_load (self->store, kdx_policy_get_uuid (self->policy), &error);
  if (policy == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }
  g_set_object (&self->policy, policy);
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  self->versions = kdx_policy_list_versions (self->store, kdx_policy_get_uuid (policy), NULL);
  if (self->versions == NULL)
    self->versions = g_ptr_array_new_with_free_func (g_object_unref);

  g_clear_object (&self->version);
  for (guint i = 0; i < self->versions->len; i++)
    {
      KdxPolicyVersion *v = self->versions->pdata[i];
      g_autofree char *caption = version_caption (v);

      gtk_string_list_append (captions, caption);
      if (g_strcmp0 (kdx_policy_version_get_uuid (v), keep) == 0)
        selected = i;
    }
  if (selected == GTK_INVALID_LIST_POSITION && self->versions->len > 0)
    selected = self->versions->len - 1;
  if (selected != GTK_INVALID_LIST_POSITION)
    self->version = g_object_ref (self->versions->pdata[selected]);

  self->filling = TRUE;
  gtk_drop_down_set_model (self->version_dropdown, G_LIST_MODEL (captions));
  gtk_drop_down_set_selected (self->version_dropdown, selected);
  self->filling = FALSE;

  update_header (self);
  update_step (self);
  update_editor (self);
  fill_review (self);
  fill_details (self);

  acks_version = published_version (self);
  if (self->version != NULL && kdx_policy_version_get_status (self->version) == KDX_VERSION_PUBLISHED)
    acks_version = self->version;
  kdx_policy_acks_set_version (self->acks, self->store, acks_version);

  self->compare_dirty = TRUE;
  visible_tab_cb (self);
}

static void
reload (KdxPolicyView *self)
{
  g_autofree char *uuid = self->version ? g_strdup (kdx_policy_version_get_uuid (self->version))
                                        : NULL;

  reload_with (self, uuid);
}

static void
version_selected_cb (KdxPolicyView *self)
{
  guint i = gtk_drop_down_get_selected (self->version_dropdown);

  if (self->filling || self->versions == NULL || i >= self->versions->len)
    return;

  kdx_policy_editor_flush (self->editor, NULL);
  reload_with (self, kdx_policy_version_get_uuid (self->versions->pdata[i]));
}

static void
store_changed_cb (KdxStore      *store,
                  const char    *entity,
                  GArray        *ids,
                  KdxPolicyView *self)
{
  if (self->policy == NULL)
    return;
  if (g_strcmp0 (entity, "policy") == 0 || g_strcmp0 (entity, "person") == 0 ||
      g_strcmp0 (entity, "setting") == 0)
    reload (self);
}

/* ------------------------------------------------------------------ */
/* Details                                                            */

static void
details_changed_cb (KdxPolicyView *self)
{
  g_autoptr(KdxPolicy) changed = NULL;
  g_autoptr(GError) error = NULL;
  const char *next_review;

  if (self->filling || self->policy == NULL || !writable (self))
    return;

  changed = kdx_policy_load (self->store, kdx_policy_get_uuid (self->policy), &error);
  if (changed == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }
  next_review = gtk_editable_get_text (GTK_EDITABLE (self->next_review_row));
  kdx_policy_set_title (changed, gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  kdx_policy_set_kind (changed, adw_combo_row_get_selected (self->kind_row));
  kdx_policy_set_area (changed, adw_combo_row_get_selected (self->area_row));
  kdx_policy_set_owner (changed, kdx_person_chooser_get_person (self->owner_chooser));
  kdx_policy_set_review_months (changed, gtk_spin_button_get_value_as_int (self->interval_spin));
  kdx_policy_set_next_review (changed, next_review);

  if (!kdx_policy_update (self->store, changed, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      reload (self);
    }
}

/* ------------------------------------------------------------------ */
/* The steps                                                          */

static gboolean
flush_editor (KdxPolicyView *self)
{
  g_autoptr(GError) error = NULL;

  if (!kdx_policy_editor_flush (self->editor, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return FALSE;
    }

  return TRUE;
}

static void
submit_response_cb (KdxPolicyView    *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "submit") || self->version == NULL)
    return;

  if (!kdx_policy_submit (self->store, kdx_policy_version_get_uuid (self->version),
                          dialog_text (dialog), &error))
    kdx_window_toast_from (GTK_WIDGET (self), error->message);
  else
    {
      kdx_window_toast_from (GTK_WIDGET (self), _("Submitted for review: the committee can vote now"));
      kdx_policy_view_show_tab (self, "review");
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (widget);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (self->version == NULL || !flush_editor (self))
    return;

  heading = g_strdup_printf (_("Submit Version %s for Review?"),
                             kdx_policy_version_get_label (self->version));
  dialog = text_dialog_new (self, heading,
                            _("The committee votes on this wording; it cannot be edited while "
                              "it is in review. Say in a sentence what it changes."),
                            _("Change Summary"), kdx_policy_version_get_summary (self->version));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "submit", _("_Submit"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "submit", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "submit");
  adw_message_dialog_set_close_response (dialog, "cancel");
  require_text (dialog, "submit");
  present (self, dialog, G_CALLBACK (submit_response_cb));
}

static void
vote_response_cb (KdxPolicyView    *self,
                  const char       *response,
                  AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  KdxVersionStatus status;
  int choice = kdx_vote_choice_from_string (response);

  if (choice < 0 || self->version == NULL)
    return;

  if (!kdx_policy_vote (self->store, kdx_policy_version_get_uuid (self->version), choice,
                        dialog_text (dialog), &status, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  if (status == KDX_VERSION_APPROVED)
    kdx_window_toast_from (GTK_WIDGET (self), _("The quorum is met: the version is approved and can be published"));
  else if (status == KDX_VERSION_DRAFT)
    kdx_window_toast_from (GTK_WIDGET (self), _("The quorum can no longer be met: the version returns to its author"));
  else
    kdx_window_toast_from (GTK_WIDGET (self), _("Your vote is recorded"));
  kdx_policy_view_show_tab (self, "review");
}

static void
vote_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (widget);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *name = NULL;
  AdwMessageDialog *dialog;

  if (self->version == NULL)
    return;

  name = kdx_store_dup_actor_name (self->store);
  if (name == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), _("Choose who you are under “Acting as” before you vote"));
      return;
    }

  heading = g_strdup_printf (_("Vote on Version %s"), kdx_policy_version_get_label (self->version));
  /* Translators: %s is the name of the committee member voting */
  body = g_strdup_printf (_("You vote as %s. Read the text and compare it with the version "
                            "before; a comment helps the author."), name);
  dialog = text_dialog_new (self, heading, body, _("Comment (optional)"), NULL);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "abstain", _("A_bstain"),
                                    "reject", _("_Reject"),
                                    "approve", _("_Approve"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "reject", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "approve", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  present (self, dialog, G_CALLBACK (vote_response_cb));
}

static void
withdraw_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->version == NULL)
    return;
  if (!kdx_policy_withdraw (self->store, kdx_policy_version_get_uuid (self->version), &error))
    kdx_window_toast_from (GTK_WIDGET (self), error->message);
  else
    kdx_window_toast_from (GTK_WIDGET (self), _("Withdrawn from review: the version is a draft again"));
}

static void
publish_response_cb (KdxPolicyView    *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *effective = NULL;
  g_autofree char *message = NULL;
  g_autofree char *label = NULL;

  if (!g_str_equal (response, "publish") || self->version == NULL)
    return;

  label = g_strdup (kdx_policy_version_get_label (self->version));
  effective = g_strstrip (g_strdup (dialog_text (dialog)));
  if (!kdx_policy_publish (self->store, kdx_policy_version_get_uuid (self->version), effective,
                           &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }
  message = g_strdup_printf (_("Version %s is published"), label);
  kdx_window_toast_from (GTK_WIDGET (self), message);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (widget);
  g_autofree char *heading = NULL;
  g_autofree char *today = kdx_date_today ();
  AdwMessageDialog *dialog;

  if (self->version == NULL)
    return;

  heading = g_strdup_printf (_("Publish Version %s?"), kdx_policy_version_get_label (self->version));
  dialog = text_dialog_new (self, heading,
                            _("It replaces the version in effect now, and everyone it applies to "
                              "is asked to acknowledge it. The next review falls due one review "
                              "interval after it takes effect."),
                            _("In Effect From (YYYY-MM-DD)"), today);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "publish", _("_Publish"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "publish", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "publish");
  adw_message_dialog_set_close_response (dialog, "cancel");
  require_text (dialog, "publish");
  present (self, dialog, G_CALLBACK (publish_response_cb));
}

static void
new_version_response_cb (KdxPolicyView    *self,
                         const char       *response,
                         AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicyVersion) draft = NULL;
  gboolean major = g_str_equal (response, "major");

  if ((!major && !g_str_equal (response, "minor")) || self->policy == NULL)
    return;

  draft = kdx_policy_new_draft (self->store, kdx_policy_get_uuid (self->policy), major, &error);
  if (draft == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }
  reload_with (self, kdx_policy_version_get_uuid (draft));
  kdx_policy_view_show_tab (self, "text");
}

static void
new_version_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (widget);
  KdxPolicyVersion *newest;
  g_autofree char *minor = NULL;
  g_autofree char *major = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->versions == NULL || self->versions->len == 0)
    return;
  newest = self->versions->pdata[self->versions->len - 1];

  /* Translators: a button: a minor change, and the version number it gets */
  minor = g_strdup_printf (_("_Minor Change (%u.%u)"), kdx_policy_version_get_major (newest),
                           kdx_policy_version_get_minor (newest) + 1);
  /* Translators: a button: a major change, and the version number it gets */
  major = g_strdup_printf (_("M_ajor Change (%u.0)"), kdx_policy_version_get_major (newest) + 1);
  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Start a New Version?"),
                                   _("The new draft starts from the current text. After a major "
                                     "change everyone is asked to acknowledge the policy again; "
                                     "a minor change keeps their acknowledgements."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "minor", minor, "major", major, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "minor",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  present (self, ADW_MESSAGE_DIALOG (dialog), G_CALLBACK (new_version_response_cb));
}

static void
retire_response_cb (KdxPolicyView    *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "retire") || self->policy == NULL)
    return;
  if (!kdx_policy_retire (self->store, kdx_policy_get_uuid (self->policy), &error))
    kdx_window_toast_from (GTK_WIDGET (self), error->message);
  else
    kdx_window_toast_from (GTK_WIDGET (self), _("The policy is retired; its history is kept"));
}

static void
retire_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->policy == NULL)
    return;

  heading = g_strdup_printf (_("Retire %s?"), kdx_policy_get_key (self->policy));
  dialog = adw_message_dialog_new (GTK_WINDOW (root), heading,
                                   _("The policy no longer applies: its published version is "
                                     "retired and an open draft is closed. Every version, vote "
                                     "and acknowledgement stays in the record."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "retire", _("_Retire"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "retire",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  present (self, ADW_MESSAGE_DIALOG (dialog), G_CALLBACK (retire_response_cb));
}

static void
trash_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(KdxPolicy) policy = self->policy ? g_object_ref (self->policy) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (policy == NULL)
    return;

  flush_editor (self);
  if (!kdx_policy_trash (self->store, kdx_policy_get_uuid (policy), &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  name = g_strdup_printf ("%s · %s", kdx_policy_get_key (policy), kdx_policy_get_title (policy));
  gtk_widget_activate_action (widget, "policies.back", NULL);
  kdx_policy_view_set_policy (self, NULL, NULL, NULL);
  if (KDX_IS_WINDOW (root))
    kdx_window_toast_trashed (KDX_WINDOW (root), "policy", kdx_policy_get_uuid (policy), name);
}

/* ------------------------------------------------------------------ */

static void
kdx_policy_view_dispose (GObject *object)
{
  KdxPolicyView *self = KDX_POLICY_VIEW (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_POLICY_VIEW);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->policy);
  g_clear_object (&self->version);
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  g_clear_pointer (&self->editor_version, g_free);

  G_OBJECT_CLASS (kdx_policy_view_parent_class)->dispose (object);
}

static void
kdx_policy_view_class_init (KdxPolicyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_policy_view_dispose;

  g_type_ensure (KDX_TYPE_POLICY_EDITOR);
  g_type_ensure (KDX_TYPE_VERSION_COMPARE);
  g_type_ensure (KDX_TYPE_POLICY_ACKS);
  g_type_ensure (KDX_TYPE_POLICY_MAPPINGS);
  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-policy-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, title_label);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, status_label);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, version_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, step_button);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, editor);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, compare);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, tally_list);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, votes_list);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, acks);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, mappings);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, title_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, kind_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, area_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, owner_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, next_review_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyView, history_list);
  gtk_widget_class_bind_template_callback (widget_class, version_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_changed_cb);

  gtk_widget_class_install_action (widget_class, "policy.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "policy.vote", NULL, vote_action);
  gtk_widget_class_install_action (widget_class, "policy.withdraw", NULL, withdraw_action);
  gtk_widget_class_install_action (widget_class, "policy.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "policy.new-version", NULL, new_version_action);
  gtk_widget_class_install_action (widget_class, "policy.retire", NULL, retire_action);
  gtk_widget_class_install_action (widget_class, "policy.trash", NULL, trash_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static const char *kind_label (int i) { return kdx_policy_kind_get_label (i); }
static const char *area_label (int i) { return kdx_policy_area_get_label (i); }

static void
set_combo_labels (AdwComboRow  *row,
                  const char *(*label) (int),
                  guint         n)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, label (i));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static void
kdx_policy_view_init (KdxPolicyView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filling = TRUE;
  set_combo_labels (self->kind_row, kind_label, KDX_POLICY_N_KINDS);
  set_combo_labels (self->area_row, area_label, KDX_POLICY_N_AREAS);
  kdx_person_chooser_set_allow_none (self->owner_chooser, TRUE);
  kdx_person_chooser_set_empty_label (self->owner_chooser, _("Nobody"));
  self->filling = FALSE;
  self->editor_status = KDX_VERSION_N_STATUSES;

  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name",
                            G_CALLBACK (visible_tab_cb), self);
  update_step (self);
}

void
kdx_policy_view_set_policy (KdxPolicyView *self,
                            KdxStore      *store,
                            const char    *policy,
                            const char    *version_uuid)
{
  g_autoptr(KdxPolicy) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KDX_IS_POLICY_VIEW (self));

  kdx_policy_editor_flush (self->editor, NULL);

  if (self->store != store)
    {
      if (self->store != NULL)
        g_signal_handlers_disconnect_by_data (self->store, self);
      g_set_object (&self->store, store);
      if (store != NULL)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);
    }

  if (store != NULL && policy != NULL)
    {
      loaded = kdx_policy_load (store, policy, &error);
      if (loaded == NULL)
        kdx_window_toast_from (GTK_WIDGET (self), error->message);
    }

  g_set_object (&self->policy, loaded);
  g_clear_object (&self->version);
  g_clear_pointer (&self->editor_version, g_free);
  self->editor_status = KDX_VERSION_N_STATUSES;
  kdx_policy_mappings_set_policy (self->mappings, store,
                                  self->policy ? kdx_policy_get_uuid (self->policy) : NULL);

  if (self->policy == NULL)
    {
      g_clear_pointer (&self->versions, g_ptr_array_unref);
      kdx_policy_editor_set_version (self->editor, NULL, NULL, FALSE);
      kdx_policy_acks_set_version (self->acks, NULL, NULL);
      kdx_version_compare_set_versions (self->compare, NULL, 0, 0);
      update_header (self);
      update_step (self);
      return;
    }

  reload_with (self, version_uuid);
  if (version_uuid == NULL)
    kdx_policy_view_show_tab (self, "text");
}

const char *
kdx_policy_view_get_policy (KdxPolicyView *self)
{
  g_return_val_if_fail (KDX_IS_POLICY_VIEW (self), NULL);

  return self->policy ? kdx_policy_get_uuid (self->policy) : NULL;
}

const char *
kdx_policy_view_get_version (KdxPolicyView *self)
{
  g_return_val_if_fail (KDX_IS_POLICY_VIEW (self), NULL);

  return self->version ? kdx_policy_version_get_uuid (self->version) : NULL;
}

void
kdx_policy_view_show_tab (KdxPolicyView *self,
                          const char    *name)
{
  g_return_if_fail (KDX_IS_POLICY_VIEW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
kdx_policy_view_flush (KdxPolicyView *self)
{
  g_return_if_fail (KDX_IS_POLICY_VIEW (self));

  flush_editor (self);
}

GtkWidget *
kdx_policy_view_get_editor (KdxPolicyView *self)
{
  g_return_val_if_fail (KDX_IS_POLICY_VIEW (self), NULL);

  return GTK_WIDGET (self->editor);
}
