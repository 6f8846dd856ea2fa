/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Workspace preferences: organisation name, report language and the quorum
 * rule. They live in the workspace (journaled), not in GSettings.
 */
#define G_LOG_DOMAIN "kdx-preferences-window"

#include "config.h"

#include "kdx-preferences-window.h"
#include "kdx-format.h"

#include "kdx-quorum.h"

#include <glib/gi18n.h>

struct _KdxPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwEntryRow          *organisation_row;
  AdwComboRow          *language_row;
  AdwComboRow          *quorum_row;
  GtkSpinButton        *minimum_spin;
  AdwActionRow         *quorum_summary;

  KdxStore             *store;
  gboolean              loading;
};

G_DEFINE_FINAL_TYPE (KdxPreferencesWindow, kdx_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
save_setting (KdxPreferencesWindow *self,
              const char           *key,
              const char           *value)
{
  g_autoptr(GError) error = NULL;

  if (self->loading || self->store == NULL)
    return;

  if (!kdx_store_set_setting (self->store, key, value, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), kdx_toast_new (error->message));
}

static void
organisation_apply_cb (KdxPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->organisation_row))));

  save_setting (self, "organisation", name);
}

static void
language_changed_cb (KdxPreferencesWindow *self)
{
  save_setting (self, "language", adw_combo_row_get_selected (self->language_row) == 1 ? "en" : "de");
}

static void
quorum_changed_cb (KdxPreferencesWindow *self)
{
  KdxQuorum quorum;
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;

  quorum.kind = MIN (adw_combo_row_get_selected (self->quorum_row), KDX_QUORUM_UNANIMOUS);
  quorum.minimum = (guint) gtk_spin_button_get_value_as_int (self->minimum_spin);
  text = kdx_quorum_to_string (&quorum);
  description = kdx_quorum_describe (&quorum);
  adw_action_row_set_subtitle (self->quorum_summary, description);

  save_setting (self, "quorum", text);
}

static void
kdx_preferences_window_dispose (GObject *object)
{
  KdxPreferencesWindow *self = (KdxPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kdx_preferences_window_parent_class)->dispose (object);
}

static void
kdx_preferences_window_class_init (KdxPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPreferencesWindow, organisation_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPreferencesWindow, quorum_row);
  gtk_widget_class_bind_template_child (widget_class, KdxPreferencesWindow, minimum_spin);
  gtk_widget_class_bind_template_child (widget_class, KdxPreferencesWindow, quorum_summary);
  gtk_widget_class_bind_template_callback (widget_class, organisation_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, quorum_changed_cb);
}

static void
kdx_preferences_window_init (KdxPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KdxPreferencesWindow *
kdx_preferences_window_new (GtkWindow *parent,
                            KdxStore  *store)
{
  KdxPreferencesWindow *self;
  g_autofree char *organisation = NULL;
  g_autofree char *language = NULL;
  g_autofree char *quorum_text = NULL;
  KdxQuorum quorum;
  gboolean writable;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  self = g_object_new (KDX_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);

  organisation = kdx_store_dup_setting (store, "organisation");
  language = kdx_store_dup_setting (store, "language");
  quorum_text = kdx_store_dup_setting (store, "quorum");
  kdx_quorum_parse (quorum_text, &quorum);

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->organisation_row), organisation ? organisation : "");
  adw_combo_row_set_selected (self->language_row, g_strcmp0 (language, "en") == 0 ? 1 : 0);
  adw_combo_row_set_selected (self->quorum_row, quorum.kind);
  gtk_spin_button_set_value (self->minimum_spin, quorum.minimum);
  quorum_changed_cb (self);
  self->loading = FALSE;

  writable = !kdx_store_is_read_only (store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->organisation_row), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->language_row), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->quorum_row), writable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->minimum_spin), writable);

  return self;
}
