/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Acknowledgements of a published version: who is asked (everyone, a
 * department or a role), progress per department, the people of one
 * department who have not acknowledged yet — recorded one by one, all at
 * once, or imported from a CSV file.
 */
#define G_LOG_DOMAIN "kdx-policy-acks"

#include "config.h"

#include "kdx-policy-acks.h"

#include "kdx-csv.h"
#include "kdx-format.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

/* More rows than a person reads; the rest are counted. */
#define MAX_PEOPLE_SHOWN 200

struct _KdxPolicyAcks
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  AdwPreferencesGroup *scope_group;
  AdwComboRow         *scope_row;
  AdwEntryRow         *target_row;
  GtkButton           *import_button;
  GtkListBox          *summary_list;
  AdwPreferencesGroup *pending_group;
  GtkButton           *record_all_button;
  GtkListBox          *people_list;

  KdxStore            *store;
  KdxPolicyVersion    *version;
  char                *department;    /* shown in the pending list */
  gboolean             department_set;
  GPtrArray           *pending;       /* uuids shown as pending */
  gboolean             filling;
  gboolean             dirty;         /* changed while not shown */
};

G_DEFINE_FINAL_TYPE (KdxPolicyAcks, kdx_policy_acks, GTK_TYPE_WIDGET)

static void fill (KdxPolicyAcks *self);

static gboolean
writable (KdxPolicyAcks *self)
{
  return self->store != NULL && !kdx_store_is_read_only (self->store);
}

static void
record (KdxPolicyAcks      *self,
        const char *const  *people,
        const char         *source)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  if (self->version == NULL)
    return;

  if (!kdx_policy_acknowledge (self->store, kdx_policy_version_get_uuid (self->version), people,
                               NULL, source, &n, &error))
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u acknowledgement recorded",
                                          "%u acknowledgements recorded", n), n);
  kdx_window_toast_from (GTK_WIDGET (self), message);
}

static void
record_clicked_cb (GtkButton     *button,
                   KdxPolicyAcks *self)
{
  const char *people[] = { g_object_get_data (G_OBJECT (button), "person"), NULL };

  record (self, people, "manual");
}

static void
record_all_clicked_cb (KdxPolicyAcks *self)
{
  g_autoptr(GPtrArray) people = g_ptr_array_new ();

  if (self->pending == NULL || self->pending->len == 0)
    return;

  /* Borrowed: recording refills self->pending only after it is done. */
  for (guint i = 0; i < self->pending->len; i++)
    g_ptr_array_add (people, self->pending->pdata[i]);
  g_ptr_array_add (people, NULL);
  record (self, (const char *const *) people->pdata, "bulk");
}

static void
fill_people (KdxPolicyAcks *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint shown = 0;
  guint pending = 0;

  kdx_list_box_remove_all (self->people_list);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->pending = g_ptr_array_new_with_free_func (g_free);

  if (!self->department_set || self->version == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->pending_group), FALSE);
      return;
    }

  rows = kdx_policy_ack_status (self->store, kdx_policy_version_get_uuid (self->version),
                                self->department, &error);
  if (rows == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      KdxAckRow *row = rows->pdata[i];
      GtkWidget *widget;
      GtkWidget *suffix;

      /* The department filter of the core matches "no department" as
       * everyone; keep only those without one when that was asked. */
      if (self->department == NULL && row->department != NULL)
        continue;
      if (row->time != NULL)
        continue;
      pending++;
      g_ptr_array_add (self->pending, g_strdup (row->person));
      if (shown >= MAX_PEOPLE_SHOWN)
        continue;
      shown++;

      widget = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), row->name);
      if (row->role != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), row->role);
      suffix = gtk_button_new_with_mnemonic (_("_Record"));
      gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (suffix, _("Record that this person acknowledged the version today"));
      gtk_widget_set_sensitive (suffix, writable (self));
      g_object_set_data_full (G_OBJECT (suffix), "person", g_strdup (row->person), g_free);
      g_signal_connect (suffix, "clicked", G_CALLBACK (record_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (widget), suffix);
      gtk_list_box_append (self->people_list, widget);
    }

  if (pending > shown)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more person",
                                                            "and %u more people", pending - shown),
                                               pending - shown);
      GtkWidget *widget = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), more);
      gtk_list_box_append (self->people_list, widget);
    }
  if (pending == 0)
    {
      GtkWidget *widget = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget),
                                     _("Everyone here has acknowledged this version"));
      gtk_list_box_append (self->people_list, widget);
    }

  /* Translators: the heading of the people who have not acknowledged yet */
  title = g_strdup_printf (_("Not Yet Acknowledged — %s"),
                           self->department ? self->department : _("No Department"));
  adw_preferences_group_set_title (self->pending_group, title);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->record_all_button), writable (self) && pending > 0);
}

static void
summary_activated_cb (KdxPolicyAcks *self,
                      GtkListBoxRow *row)
{
  kdx_policy_acks_show_department (self, g_object_get_data (G_OBJECT (row), "department"));
}

static void
fill (KdxPolicyAcks *self)
{
  g_autoptr(GPtrArray) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *effective = NULL;
  KdxAckScope scope;

  /* Counting a version's acknowledgements reads everyone it asks: not
   * while typing elsewhere, only when shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;

  kdx_list_box_remove_all (self->summary_list);

  if (self->version == NULL || self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "acks");

  self->filling = TRUE;
  scope = kdx_policy_version_get_ack_scope (self->version);
  adw_combo_row_set_selected (self->scope_row, scope);
  gtk_editable_set_text (GTK_EDITABLE (self->target_row),
                         kdx_policy_version_get_ack_target (self->version)
                           ? kdx_policy_version_get_ack_target (self->version) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->target_row),
                          scope == KDX_ACK_DEPARTMENT || scope == KDX_ACK_ROLE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scope_row), writable (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->target_row), writable (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), writable (self));
  self->filling = FALSE;

  effective = kdx_format_date (kdx_policy_version_get_effective (self->version));
  /* Translators: "Version 1.1, in effect from 2026-03-01. After a major version …" */
  description = g_strdup_printf (_("Version %s, in effect from %s. A minor version keeps the "
                                   "acknowledgements of the version before; a major one asks "
                                   "everyone again."),
                                 kdx_policy_version_get_label (self->version), effective);
  adw_preferences_group_set_description (self->scope_group, description);

  summary = kdx_policy_ack_summary (self->store, kdx_policy_version_get_uuid (self->version), &error);
  if (summary == NULL)
    {
      kdx_window_toast_from (GTK_WIDGET (self), error->message);
      return;
    }

  for (guint i = 0; i < summary->len; i++)
    {
      KdxAckSummary *s = summary->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, MAX (s->asked, 1));
      g_autofree char *counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u of %u person acknowledged",
                                                              "%u of %u people acknowledged",
                                                              s->asked),
                                                 s->done, s->asked);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     s->department ? s->department : _("No Department"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), counts);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), s->done);
      gtk_widget_set_size_request (bar, 120, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), bar);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "department", g_strdup (s->department), g_free);
      gtk_list_box_append (self->summary_list, row);
    }
  if (summary->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     scope == KDX_ACK_NONE ? _("Nobody is asked to acknowledge this version")
                                                           : _("Nobody matches"));
      gtk_list_box_append (self->summary_list, row);
    }

  fill_people (self);
}

static void
scope_changed_cb (KdxPolicyAcks *self)
{
  g_autoptr(GError) error = NULL;
  KdxAckScope scope = adw_combo_row_get_selected (self->scope_row);
  g_autofree char *target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_row))));

  if (self->filling || self->version == NULL || !writable (self))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->target_row),
                          scope == KDX_ACK_DEPARTMENT || scope == KDX_ACK_ROLE);
  /* A department or role is named before the scope can be saved. */
  if ((scope == KDX_ACK_DEPARTMENT || scope == KDX_ACK_ROLE) && *target == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->target_row));
      return;
    }

  if (!kdx_policy_set_ack_scope (self->store, kdx_policy_version_get_uuid (self->version), scope,
                                 target, &error))
    kdx_window_toast_from (GTK_WIDGET (self), error->message);
}

static void import_with (KdxPolicyAcks *self, GFile *file, const char *encoding);

static void
encoding_response_cb (AdwMessageDialog *alert,
                      const char       *response,
                      KdxPolicyAcks    *self)
{
  GFile *file = g_object_get_data (G_OBJECT (alert), "file");

  if (g_str_equal (response, "windows-1252") && file != NULL)
    import_with (self, file, "WINDOWS-1252");
}

/* Imports @file; a refusal is shown, and a file that is not UTF-8 may be
 * read again as Windows-1252 — the person chooses, Kodex never guesses. */
static void
import_with (KdxPolicyAcks *self,
             GFile         *file,
             const char    *encoding)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkWidget *alert;

  if (kdx_policy_acks_import_file (self, file, encoding, &error))
    return;

  alert = adw_message_dialog_new (GTK_WINDOW (root), _("The Acknowledgements Were Not Imported"),
                                  error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("_Close"));
  if (encoding == NULL && g_error_matches (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING))
    {
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (alert),
                                   message = g_strdup_printf (_("%s\n\nFiles saved by Excel on "
                                                                "Windows are often in the "
                                                                "Windows-1252 encoding."),
                                                              error->message));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "windows-1252",
                                       _("Read as _Windows-1252"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (alert), "windows-1252",
                                                  ADW_RESPONSE_SUGGESTED);
      g_object_set_data_full (G_OBJECT (alert), "file", g_object_ref (file), g_object_unref);
      g_signal_connect_object (alert, "response", G_CALLBACK (encoding_response_cb), self, 0);
    }
  gtk_window_present (GTK_WINDOW (alert));
}

static void
import_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    KdxPolicyAcks   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);

  if (file != NULL)
    import_with (self, file, NULL);
  g_object_unref (self);
}

static void
import_clicked_cb (KdxPolicyAcks *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Import Acknowledgements"), GTK_WINDOW (root),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
store_changed_cb (KdxStore      *store,
                  const char    *entity,
                  GArray        *ids,
                  KdxPolicyAcks *self)
{
  g_autoptr(KdxPolicyVersion) version = NULL;

  if (self->version == NULL || (g_strcmp0 (entity, "policy") != 0 &&
                                g_strcmp0 (entity, "person") != 0))
    return;

  version = kdx_policy_version_load (store, kdx_policy_version_get_uuid (self->version), NULL);
  if (version != NULL && kdx_policy_version_get_status (version) == KDX_VERSION_PUBLISHED)
    g_set_object (&self->version, version);
  fill (self);
}

static void
kdx_policy_acks_dispose (GObject *object)
{
  KdxPolicyAcks *self = KDX_POLICY_ACKS (object);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_POLICY_ACKS);
  g_clear_object (&self->store);
  g_clear_object (&self->version);
  g_clear_pointer (&self->department, g_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (kdx_policy_acks_parent_class)->dispose (object);
}

static void
kdx_policy_acks_map (GtkWidget *widget)
{
  KdxPolicyAcks *self = KDX_POLICY_ACKS (widget);

  GTK_WIDGET_CLASS (kdx_policy_acks_parent_class)->map (widget);

  if (self->dirty)
    fill (self);
}

static void
kdx_policy_acks_class_init (KdxPolicyAcksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_policy_acks_dispose;
  widget_class->map = kdx_policy_acks_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-policy-acks.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, scope_group);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, scope_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, target_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, import_button);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, summary_list);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, pending_group);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, record_all_button);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyAcks, people_list);
  gtk_widget_class_bind_template_callback (widget_class, scope_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, summary_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, record_all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_policy_acks_init (KdxPolicyAcks *self)
{
  g_autoptr(GtkStringList) scopes = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the order of KdxAckScope. */
  gtk_string_list_append (scopes, _("Nobody"));
  gtk_string_list_append (scopes, _("Everyone"));
  gtk_string_list_append (scopes, _("A Department"));
  gtk_string_list_append (scopes, _("A Role"));
  self->filling = TRUE;
  adw_combo_row_set_model (self->scope_row, G_LIST_MODEL (scopes));
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), FALSE);
}

void
kdx_policy_acks_set_version (KdxPolicyAcks    *self,
                             KdxStore         *store,
                             KdxPolicyVersion *version)
{
  gboolean same;

  g_return_if_fail (KDX_IS_POLICY_ACKS (self));

  if (self->store != store)
    {
      if (self->store != NULL)
        g_signal_handlers_disconnect_by_data (self->store, self);
      g_set_object (&self->store, store);
      if (store != NULL)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);
    }

  same = self->version != NULL && version != NULL &&
         g_str_equal (kdx_policy_version_get_uuid (self->version),
                      kdx_policy_version_get_uuid (version));
  g_set_object (&self->version, version);
  if (!same)
    {
      g_clear_pointer (&self->department, g_free);
      self->department_set = FALSE;
    }

  fill (self);
}

void
kdx_policy_acks_show_department (KdxPolicyAcks *self,
                                 const char    *department)
{
  g_return_if_fail (KDX_IS_POLICY_ACKS (self));

  g_free (self->department);
  self->department = g_strdup (department);
  self->department_set = TRUE;
  fill_people (self);
}

gboolean
kdx_policy_acks_import_file (KdxPolicyAcks  *self,
                             GFile          *file,
                             const char     *encoding,
                             GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = NULL;
  guint n = 0;

  g_return_val_if_fail (KDX_IS_POLICY_ACKS (self), FALSE);

  if (self->store == NULL)
    return TRUE;

  bytes = g_file_load_bytes (file, NULL, NULL, error);
  if (bytes == NULL || !kdx_policy_import_acks_csv (self->store, bytes, encoding, &n, error))
    return FALSE;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u acknowledgement imported",
                                          "%u acknowledgements imported", n), n);
  kdx_window_toast_from (GTK_WIDGET (self), message);

  return TRUE;
}
