/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-application"

#include "config.h"

#include "kdx-application.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <locale.h>

#define MAX_RECENT 10

struct _KdxApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (KdxApplication, kdx_application, ADW_TYPE_APPLICATION)

/* A window without a workspace (the welcome view) is reused before a new
 * one is opened. */
static KdxWindow *
find_empty_window (KdxApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (KDX_IS_WINDOW (l->data) && kdx_window_get_store (l->data) == NULL)
      return l->data;

  return NULL;
}

static KdxWindow *
find_window_for_path (KdxApplication *self,
                      const char     *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (KDX_IS_WINDOW (l->data) && kdx_window_get_store (l->data) != NULL &&
        g_strcmp0 (kdx_store_get_path (kdx_window_get_store (l->data)), path) == 0)
      return l->data;

  return NULL;
}

static KdxWindow *
new_window (KdxApplication *self)
{
  KdxWindow *window = find_empty_window (self);

  if (window == NULL)
    window = kdx_window_new (self);

  return window;
}

static void
kdx_application_activate (GApplication *app)
{
  KdxApplication *self = KDX_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (kdx_window_new (self));

  gtk_window_present (window);
}

static void
kdx_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  KdxApplication *self = KDX_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      KdxWindow *window;

      if (path == NULL)
        continue;

      window = find_window_for_path (self, path);
      if (window == NULL)
        {
          window = new_window (self);
          kdx_window_open_path (window, path);
        }
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
new_window_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  KdxApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (kdx_window_new (self)));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  KdxApplication *self = user_data;

  /* Closing each window releases its workspace lock. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_destroy (window);
    }
  g_application_quit (G_APPLICATION (self));
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  KdxApplication *self = user_data;
  const char *developers[] = { "The Kodex developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", "Kodex",
                        "application-icon", APP_ID,
                        "developer-name", _("The Kodex developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/kodexapp/kodex",
                        "issue-url", "https://github.com/kodexapp/kodex/issues",
                        "comments", _("Govern the AI your sales organisation uses: code of conduct, "
                                      "policies, AI systems, audits, concerns and training — on "
                                      "your own machine."),
                        "developers", developers,
                        "copyright", "© 2026 The Kodex developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
help_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  KdxApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *page = parameter ? g_variant_get_string (parameter, NULL) : "";
  g_autofree char *uri = *page ? g_strconcat ("help:kodex/", page, NULL) : g_strdup ("help:kodex");

  gtk_show_uri (window, uri, GDK_CURRENT_TIME);
}

static const GActionEntry app_entries[] = {
  { "new-window", new_window_action_cb },
  { "quit", quit_action_cb },
  { "about", about_action_cb },
  { "help", help_action_cb, "s" },
};

static void
kdx_application_startup (GApplication *app)
{
  KdxApplication *self = KDX_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const struct { const char *action; const char *accels[3]; } window_accels[] = {
    { "win.new-workspace", { "<Control>n", NULL } },
    { "win.open-workspace", { "<Control>o", NULL } },
    { "win.backup", { "<Control><Shift>s", NULL } },
    { "win.preferences", { "<Control>comma", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.add-person", { "<Control><Shift>n", NULL } },
    { "win.new-policy", { "<Control><Shift>p", NULL } },
    { "win.new-system", { "<Control><Shift>a", NULL } },
    { "win.new-course", { "<Control><Shift>k", NULL } },
    { "win.global-search", { "<Control>k", NULL } },
    { "win.undo-delete", { "<Control>z", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (kdx_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help::", help_accels);
  for (guint i = 0; i < G_N_ELEMENTS (window_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), window_accels[i].action,
                                           window_accels[i].accels);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", (i + 1) % 10);
      g_autofree char *detailed = g_strdup_printf ("win.area(%u)", i);
      const char *accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), detailed, accels);
    }
}

static void
kdx_application_dispose (GObject *object)
{
  KdxApplication *self = (KdxApplication *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kdx_application_parent_class)->dispose (object);
}

static void
kdx_application_class_init (KdxApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = kdx_application_dispose;
  app_class->activate = kdx_application_activate;
  app_class->open = kdx_application_open;
  app_class->startup = kdx_application_startup;
}

static void
kdx_application_init (KdxApplication *self)
{
  self->settings = g_settings_new (APP_ID);
}

KdxApplication *
kdx_application_new (void)
{
  return g_object_new (KDX_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/kodexapp/Kodex",
                       NULL);
}

GSettings *
kdx_application_get_settings (KdxApplication *self)
{
  g_return_val_if_fail (KDX_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
set_recent (KdxApplication *self,
            const char     *add,
            const char     *remove)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-workspaces");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  guint n = 0;

  if (add != NULL)
    {
      g_strv_builder_add (builder, add);
      n++;
    }
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    {
      if (g_strcmp0 (recent[i], add) == 0 || g_strcmp0 (recent[i], remove) == 0)
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }
  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-workspaces", (const char * const *) result);
}

void
kdx_application_add_recent (KdxApplication *self,
                            const char     *path)
{
  g_return_if_fail (KDX_IS_APPLICATION (self));

  set_recent (self, path, NULL);
}

void
kdx_application_remove_recent (KdxApplication *self,
                               const char     *path)
{
  g_return_if_fail (KDX_IS_APPLICATION (self));

  set_recent (self, NULL, path);
}

char *
kdx_application_dup_identity (KdxApplication *self,
                              const char     *path)
{
  g_autoptr(GVariant) map = NULL;
  const char *uuid = NULL;

  g_return_val_if_fail (KDX_IS_APPLICATION (self), NULL);

  map = g_settings_get_value (self->settings, "identities");
  if (!g_variant_lookup (map, path, "&s", &uuid))
    return NULL;

  return g_strdup (uuid);
}

void
kdx_application_set_identity (KdxApplication *self,
                              const char     *path,
                              const char     *uuid)
{
  g_autoptr(GVariant) map = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;

  g_return_if_fail (KDX_IS_APPLICATION (self));

  map = g_settings_get_value (self->settings, "identities");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_strcmp0 (key, path) != 0)
      g_variant_builder_add (&builder, "{ss}", key, value);
  if (uuid != NULL)
    g_variant_builder_add (&builder, "{ss}", path, uuid);

  g_settings_set_value (self->settings, "identities", g_variant_builder_end (&builder));
}

/* The demo lives in the user's data folder and is made on first use. */
char *
kdx_application_dup_demo_path (KdxApplication *self)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "kodex", NULL);
  const char *lang = g_getenv ("LANGUAGE");
  const char *locale = setlocale (LC_MESSAGES, NULL);
  gboolean german = (lang && g_str_has_prefix (lang, "de")) ||
                    (!(lang && *lang) && locale && g_str_has_prefix (locale, "de"));

  g_mkdir_with_parents (dir, 0700);

  return g_build_filename (dir, german ? "Demo.kodex" : "Demo-en.kodex", NULL);
}
