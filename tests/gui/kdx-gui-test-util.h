/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GUI tests share: starting a test program and running its tests
 * inside the application, running the main loop for a while or until
 * something holds, finding widgets by template id, name, type or window,
 * clicking, pressing keys through X, adding people to a workspace, and saving a screenshot of a
 * drawn widget.
 *
 * Include it after config.h (GETTEXT_PACKAGE, LOCALEDIR).
 */
#pragma once

#include "kdx-application.h"
#include "kdx-person.h"
#include "kdx-ui-resources.h"

#include <adwaita.h>
#include <dlfcn.h>
#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>

/* Sets the locale and the text domain as the application does, starts
 * GTest, and makes @tmpdir, a new temporary folder named after
 * @tmp_template, and @shot_dir, where the screenshots go:
 * $KODEX_SCREENSHOT_DIR, else @tmpdir. */
static inline void
kdx_gui_test_init (int         *argc,
                   char      ***argv,
                   const char  *tmp_template,
                   char       **tmpdir,
                   char       **shot_dir)
{
  const char *localedir = g_getenv ("KODEX_LOCALEDIR");
  const char *shots = g_getenv ("KODEX_SCREENSHOT_DIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (argc, argv, NULL);
  g_resources_register (kdx_ui_get_resource ());

  *tmpdir = g_dir_make_tmp (tmp_template, NULL);
  g_assert_nonnull (*tmpdir);
  *shot_dir = g_strdup (shots ? shots : *tmpdir);
  g_mkdir_with_parents (*shot_dir, 0755);
}

static inline void
kdx_gui_run_tests_cb (GApplication *application,
                      gpointer      user_data)
{
  int *status = user_data;

  g_application_hold (application);
  *status = g_test_run ();
  g_application_release (application);
  g_application_quit (application);
}

/* Runs the tests added so far inside a new application (@app while it
 * runs; the windows need it), with @flags besides NON_UNIQUE; what
 * g_test_run() returned. */
static inline int
kdx_gui_test_run (KdxApplication    **app,
                  GApplicationFlags   flags)
{
  int status = 1;   /* a failure, should the tests never run */

  *app = kdx_application_new ();
  g_application_set_flags (G_APPLICATION (*app), G_APPLICATION_NON_UNIQUE | flags);
  g_signal_connect (*app, "activate", G_CALLBACK (kdx_gui_run_tests_cb), &status);
  g_application_run (G_APPLICATION (*app), 0, NULL);
  g_clear_object (app);

  return status;
}

static inline void
kdx_gui_iterate (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

typedef gboolean (*KdxGuiCondition) (gpointer data);

static inline gboolean
kdx_gui_wait_for (KdxGuiCondition cond,
                  gpointer        data,
                  guint           timeout_ms)
{
  /* Under AddressSanitizer (meson test --setup asan) everything runs
   * several times slower: a wait allows for that, as meson's timeout
   * multiplier does for the whole test. */
  gint64 scale = g_getenv ("ASAN_OPTIONS") != NULL ? 6 : 1;
  gint64 until = g_get_monotonic_time () + scale * timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > until)
        return FALSE;
      /* Sleeps only when nothing was due: a wait must not slow down
       * what it waits for (the editor's test times keystrokes). */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }

  return TRUE;
}

static inline GtkWidget *
kdx_gui_find_by_id (GtkWidget  *root,
                    const char *id)
{
  const char *own;

  if (GTK_IS_BUILDABLE (root) &&
      (own = gtk_buildable_get_buildable_id (GTK_BUILDABLE (root))) != NULL &&
      g_str_equal (own, id))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kdx_gui_find_by_id (child, id);
      if (found)
        return found;
    }

  return NULL;
}

/* The first widget below @root, or @root, named @name (gtk_widget_set_name). */
static inline GtkWidget *
kdx_gui_find_by_name (GtkWidget  *root,
                      const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kdx_gui_find_by_name (child, name);
      if (found)
        return found;
    }

  return NULL;
}

/* Like kdx_gui_find_by_id(), but fails the test when there is none. */
static inline GtkWidget *
kdx_gui_child (gpointer    root,
               const char *id)
{
  GtkWidget *widget = kdx_gui_find_by_id (GTK_WIDGET (root), id);

  if (widget == NULL)
    g_error ("no widget with id %s", id);

  return widget;
}

/* Like kdx_gui_find_by_name(), but fails the test when there is none. */
static inline GtkWidget *
kdx_gui_named (gpointer    root,
               const char *name)
{
  GtkWidget *widget = kdx_gui_find_by_name (GTK_WIDGET (root), name);

  if (widget == NULL)
    g_error ("no widget named %s", name);

  return widget;
}

/* The text of the label with template id @id below @root. */
static inline const char *
kdx_gui_label_of (gpointer    root,
                  const char *id)
{
  GtkWidget *label = kdx_gui_child (root, id);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

/* Clicks @button, which must be there and sensitive, as a user can. */
static inline void
kdx_gui_click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  kdx_gui_iterate (50);
}

/* The first row of the list box @list whose object data @key is @value
 * (NULL: the first row without it); NULL when there is none. */
static inline GtkListBoxRow *
kdx_gui_find_row (GtkWidget  *list,
                  const char *key,
                  const char *value)
{
  GtkListBoxRow *row;

  g_assert_true (GTK_IS_LIST_BOX (list));
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), key), value) == 0)
      return row;

  return NULL;
}

static inline GtkWidget *
kdx_gui_find_by_type (GtkWidget *root,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kdx_gui_find_by_type (child, type);
      if (found)
        return found;
    }

  return NULL;
}

static inline GtkWidget *
kdx_gui_find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (w))
        return w;
    }

  return NULL;
}

/* The visible toplevel of @type, once it is there (two seconds at the most). */
static inline GtkWidget *
kdx_gui_wait_for_toplevel (GType type)
{
  GtkWidget *found = NULL;

  for (guint i = 0; i < 100 && found == NULL; i++)
    {
      kdx_gui_iterate (20);
      found = kdx_gui_find_toplevel (type);
    }
  if (found == NULL)
    g_error ("no window of type %s opened", g_type_name (type));

  return found;
}

static inline gboolean
kdx_gui_is_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

/* Presses @keysyms in order in the focused window and releases them in
 * reverse, through XTest as a person's keyboard does: key bindings and
 * shortcuts see real events. FALSE when XTest is not there. */
static inline gboolean
kdx_gui_press_keys (const KeySym *keysyms,
                    guint         n)
{
  typedef int (*FakeKeyFunc) (Display *, unsigned int, Bool, unsigned long);
  typedef KeyCode (*KeysymToCodeFunc) (Display *, KeySym);
  typedef int (*FlushFunc) (Display *);
  static FakeKeyFunc fake_key;
  static KeysymToCodeFunc to_code;
  static FlushFunc flush;
  GdkDisplay *display = gdk_display_get_default ();
  Display *xdisplay;

  if (!GDK_IS_X11_DISPLAY (display))
    return FALSE;
  if (fake_key == NULL)
    {
      void *x11 = dlopen ("libX11.so.6", RTLD_LAZY);
      void *xtst = dlopen ("libXtst.so.6", RTLD_LAZY);

      if (x11 == NULL || xtst == NULL)
        return FALSE;
      to_code = (KeysymToCodeFunc) dlsym (x11, "XKeysymToKeycode");
      flush = (FlushFunc) dlsym (x11, "XFlush");
      fake_key = (FakeKeyFunc) dlsym (xtst, "XTestFakeKeyEvent");
      if (fake_key == NULL || to_code == NULL || flush == NULL)
        {
          fake_key = NULL;
          return FALSE;
        }
    }

  xdisplay = gdk_x11_display_get_xdisplay (display);
  for (guint i = 0; i < n; i++)
    fake_key (xdisplay, to_code (xdisplay, keysyms[i]), True, 0);
  for (guint i = n; i > 0; i--)
    fake_key (xdisplay, to_code (xdisplay, keysyms[i - 1]), False, 0);
  flush (xdisplay);
  kdx_gui_iterate (150);

  return TRUE;
}

/* A person in @store as the core API adds one; their uuid. */
static inline char *
kdx_gui_add_person (KdxStore   *store,
                    const char *name,
                    const char *department,
                    gboolean    committee)
{
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autoptr(GError) error = NULL;

  kdx_person_set_name (person, name);
  kdx_person_set_department (person, department);
  kdx_person_set_committee (person, committee);
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_person_get_uuid (person));
}

/* What @widget draws, once it is drawn; the first snapshots of a window
 * can come out empty. */
static inline GskRenderNode *
kdx_gui_snapshot_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GskRenderNode *node = NULL;
  gint64 until;

  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, widget, 10000));
  until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (node == NULL && g_get_monotonic_time () < until)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                              gtk_widget_get_width (widget), gtk_widget_get_height (widget));
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        kdx_gui_iterate (100);
    }
  g_assert_nonnull (node);

  return node;
}

/* Saves @widget as @dir/@name once it is drawn; under a sanitizer on a
 * loaded machine the first frame can be late. */
static inline void
kdx_gui_screenshot (GtkWidget  *widget,
                    const char *dir,
                    const char *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, widget, 10000));
  kdx_gui_iterate (800);
  node = kdx_gui_snapshot_node (widget);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
