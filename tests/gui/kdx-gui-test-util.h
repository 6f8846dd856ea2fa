/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GUI tests share: running the main loop for a while or until
 * something holds, finding widgets by template id, type or window, and
 * saving a screenshot of a drawn widget.
 */
#pragma once

#include <gtk/gtk.h>

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
  gint64 until = g_get_monotonic_time () + timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > until)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
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

static inline gboolean
kdx_gui_is_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

/* Saves @widget as @dir/@name once it is drawn; under a sanitizer on a
 * loaded machine the first frame can be late. */
static inline void
kdx_gui_screenshot (GtkWidget  *widget,
                    const char *dir,
                    const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gint64 until;

  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, widget, 10000));
  kdx_gui_iterate (800);
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

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
