/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Adds or edits one person. The rules (a name, a plausible and unique
 * e-mail address and employee ID, no circle of managers) are core's; this
 * shows core's message and keeps the dialog open until the person is
 * saved. For a stored person it also offers the export of their personal
 * data and its erasure (kdx-privacy.h).
 */
#define G_LOG_DOMAIN "kdx-person-editor"

#include "config.h"

#include "kdx-person-editor.h"
#include "kdx-format.h"

#include "kdx-person-chooser.h"
#include "kdx-privacy.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

struct _KdxPersonEditor
{
  AdwWindow         parent_instance;

  AdwToastOverlay  *toast_overlay;
  AdwEntryRow      *name_row;
  AdwEntryRow      *email_row;
  AdwEntryRow      *employee_id_row;
  AdwEntryRow      *department_row;
  AdwEntryRow      *role_row;
  KdxPersonChooser *manager_chooser;
  GtkSwitch        *committee_switch;
  GtkSwitch        *active_switch;
  GtkWidget        *privacy_group;
  GtkWidget        *delete_group;
  GtkWidget        *save_button;

  KdxStore         *store;
  KdxPerson        *person;   /* NULL when adding */
};

G_DEFINE_FINAL_TYPE (KdxPersonEditor, kdx_person_editor, ADW_TYPE_WINDOW)

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxPersonEditor *self = KDX_PERSON_EDITOR (widget);
  g_autoptr(KdxPerson) person = self->person ? kdx_person_copy (self->person) : kdx_person_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  kdx_person_set_name (person, gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  kdx_person_set_email (person, gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  kdx_person_set_employee_id (person,
                              gtk_editable_get_text (GTK_EDITABLE (self->employee_id_row)));
  kdx_person_set_department (person, gtk_editable_get_text (GTK_EDITABLE (self->department_row)));
  kdx_person_set_role (person, gtk_editable_get_text (GTK_EDITABLE (self->role_row)));
  kdx_person_set_manager (person, kdx_person_chooser_get_person (self->manager_chooser));
  kdx_person_set_committee (person, gtk_switch_get_active (self->committee_switch));
  kdx_person_set_active (person, gtk_switch_get_active (self->active_switch));

  if (self->person != NULL)
    ok = kdx_person_update (self->store, person, &error);
  else
    ok = kdx_person_insert (self->store, person, &error);

  if (!ok)
    {
      AdwToast *toast = kdx_toast_new (error->message);

      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
trash_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KdxPersonEditor *self = KDX_PERSON_EDITOR (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;

  if (self->person == NULL)
    return;

  if (!kdx_person_trash (self->store, kdx_person_get_uuid (self->person), &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, kdx_toast_new (error->message));
      return;
    }

  if (KDX_IS_WINDOW (parent))
    kdx_window_toast_trashed (KDX_WINDOW (parent), "person", kdx_person_get_uuid (self->person),
                              kdx_person_get_name (self->person));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
toast (KdxPersonEditor *self,
       const char      *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, kdx_toast_new (message));
}

/* "Jürgen Müller.json": the person's name as a file name. */
static char *
export_file_name (KdxPerson  *person,
                  const char *extension)
{
  g_autofree char *name = g_strdup (kdx_person_get_name (person));

  g_strdelimit (name, "/\\:*?\"<>|", '-');
  return g_strconcat (name, extension, NULL);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    KdxPersonEditor *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  const char *choice;
  KdxPersonExportFormat format;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
  format = g_strcmp0 (choice, "xml") == 0 ? KDX_PERSON_EXPORT_XML : KDX_PERSON_EXPORT_JSON;

  if (file != NULL && self->person != NULL && g_file_peek_path (file) != NULL)
    {
      path = g_file_get_path (file);
      /* The name's extension decides; without one, the format chosen. */
      if (g_str_has_suffix (path, ".xml") || g_str_has_suffix (path, ".XML"))
        format = KDX_PERSON_EXPORT_XML;
      else if (g_str_has_suffix (path, ".json") || g_str_has_suffix (path, ".JSON"))
        format = KDX_PERSON_EXPORT_JSON;
      else
        {
          char *with = g_strconcat (path, format == KDX_PERSON_EXPORT_XML ? ".xml" : ".json", NULL);

          g_free (path);
          path = with;
        }

      if (kdx_privacy_export_person_to_file (self->store, kdx_person_get_uuid (self->person),
                                             format, path, NULL, &error))
        {
          g_autofree char *basename = g_path_get_basename (path);
          /* Translators: %s is a file name */
          g_autofree char *message = g_strdup_printf (_("Saved the personal data as “%s”"),
                                                      basename);

          toast (self, message);
        }
      else
        toast (self, error->message);
    }

  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_data_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxPersonEditor *self = KDX_PERSON_EDITOR (widget);
  const char *ids[] = { "json", "xml", NULL };
  const char *labels[] = { "JSON", "XML", NULL };
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->person == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Personal Data"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the file format of a personal data export */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "json");
  name = export_file_name (self->person, ".json");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
destroy_idle_cb (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

static void
erase_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   KdxPersonEditor  *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  KdxErasureReport report = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "erase") != 0 || self->person == NULL)
    return;

  if (!kdx_privacy_erase_person (self->store, kdx_person_get_uuid (self->person), &report, NULL,
                                 &error))
    {
      AdwToast *toast = kdx_toast_new (error->message);

      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }

  /* Translators: %s is what an erased person is called now, "Erased person 17" */
  message = g_strdup_printf (_("Personal data erased; the person is now “%s”"),
                             report.pseudonym ? report.pseudonym : "");
  kdx_erasure_report_clear (&report);
  if (KDX_IS_WINDOW (parent))
    kdx_window_toast (KDX_WINDOW (parent), message);
  /* What the editor shows is erased now. It closes once the question
   * over it is gone. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_idle_cb, g_object_ref (self), g_object_unref);
}

static void
erase_data_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KdxPersonEditor *self = KDX_PERSON_EDITOR (widget);
  const char *name;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->person == NULL)
    return;

  name = kdx_person_get_name (self->person);
  /* Translators: %s is a person's name */
  heading = g_strdup_printf (_("Erase the Personal Data of %s?"), name);
  body = g_strdup (_("Their name, e-mail address, employee ID, role and manager are "
                     "removed from this workspace, from its journal and from the file "
                     "on disk, and they are called “Erased person” with a number from "
                     "then on. Their votes, acknowledgements and training stay counted, "
                     "without their name.\n\nThis cannot be undone. Backups "
                     "made before now still hold the data."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "erase", _("_Erase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (erase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
entry_activated_cb (KdxPersonEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
name_changed_cb (KdxPersonEditor *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 !kdx_store_is_read_only (self->store) &&
                                 *name != '\0');
}

static void
kdx_person_editor_dispose (GObject *object)
{
  KdxPersonEditor *self = (KdxPersonEditor *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_PERSON_EDITOR);
  g_clear_object (&self->person);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kdx_person_editor_parent_class)->dispose (object);
}

static void
kdx_person_editor_class_init (KdxPersonEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_person_editor_dispose;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-person-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, employee_id_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, department_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, role_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, manager_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, committee_switch);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, active_switch);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, privacy_group);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, delete_group);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, save_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.trash", NULL, trash_action);
  gtk_widget_class_install_action (widget_class, "editor.export-data", NULL, export_data_action);
  gtk_widget_class_install_action (widget_class, "editor.erase-data", NULL, erase_data_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0,
                                (GtkShortcutFunc) gtk_window_close, NULL);
}

static void
kdx_person_editor_init (KdxPersonEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  kdx_person_chooser_set_empty_label (self->manager_chooser, _("None"));
  kdx_person_chooser_set_allow_none (self->manager_chooser, TRUE);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (name_changed_cb), self);
}

KdxPersonEditor *
kdx_person_editor_new (GtkWindow *parent,
                       KdxStore  *store,
                       KdxPerson *person)
{
  KdxPersonEditor *self;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  self = g_object_new (KDX_TYPE_PERSON_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->person = person ? g_object_ref (person) : NULL;

  kdx_person_chooser_set_store (self->manager_chooser, store);

  if (person != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), kdx_person_get_name (person));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), kdx_person_get_name (person));
      gtk_editable_set_text (GTK_EDITABLE (self->email_row),
                             kdx_person_get_email (person) ? kdx_person_get_email (person) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->employee_id_row),
                             kdx_person_get_employee_id (person) ? kdx_person_get_employee_id (person) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->department_row),
                             kdx_person_get_department (person) ? kdx_person_get_department (person) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->role_row),
                             kdx_person_get_role (person) ? kdx_person_get_role (person) : "");
      kdx_person_chooser_set_person (self->manager_chooser, kdx_person_get_manager (person));
      gtk_switch_set_active (self->committee_switch, kdx_person_get_committee (person));
      gtk_switch_set_active (self->active_switch, kdx_person_get_active (person));
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Add Person"));
      gtk_widget_set_visible (self->delete_group, FALSE);
      gtk_widget_set_visible (self->privacy_group, FALSE);
    }

  gtk_widget_set_sensitive (self->delete_group, !kdx_store_is_read_only (store));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.erase-data",
                                 !kdx_store_is_read_only (store));
  name_changed_cb (self);

  return self;
}
