/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Adds or edits one person. The rules (a name, a plausible and unique
 * e-mail address, no circle of managers) are core's; this shows core's
 * message and keeps the dialog open until the person is saved.
 */
#define G_LOG_DOMAIN "kdx-person-editor"

#include "config.h"

#include "kdx-person-editor.h"

#include "kdx-person-chooser.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

struct _KdxPersonEditor
{
  AdwWindow         parent_instance;

  AdwToastOverlay  *toast_overlay;
  AdwEntryRow      *name_row;
  AdwEntryRow      *email_row;
  AdwEntryRow      *department_row;
  AdwEntryRow      *role_row;
  KdxPersonChooser *manager_chooser;
  GtkSwitch        *committee_switch;
  GtkSwitch        *active_switch;
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
      AdwToast *toast = adw_toast_new (error->message);

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
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  if (KDX_IS_WINDOW (parent))
    kdx_window_toast_trashed (KDX_WINDOW (parent), "person", kdx_person_get_uuid (self->person),
                              kdx_person_get_name (self->person));
  gtk_window_destroy (GTK_WINDOW (self));
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
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, department_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, role_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, manager_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, committee_switch);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, active_switch);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, delete_group);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonEditor, save_button);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.trash", NULL, trash_action);
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
    }

  gtk_widget_set_sensitive (self->delete_group, !kdx_store_is_read_only (store));
  name_changed_cb (self);

  return self;
}
