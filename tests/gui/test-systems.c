/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End-to-end GUI test of AI systems in the real window under Xvfb, the
 * way a committee works with them: a workspace with people and the
 * policies of the templates, two of them voted through and published;
 * a system registered from the use-case library with Ctrl+Shift+A; its
 * classification changed in the assistant; two policies applied and
 * assessed; each linked to a requirement of the EU AI Act, once from the
 * policy's Mappings tab and once from the requirement in Frameworks;
 * the requirement coverage and the coverage matrix in Frameworks, the
 * system's own Frameworks section; trash and Ctrl+Z; the Overview — with
 * screenshots of the assistant, the system, the matrix, the requirement
 * coverage and the Overview.
 *
 * Widgets are found by template id, widget name, type or action, never
 * by an English label, so that the test runs in German as well.
 */
#define G_LOG_DOMAIN "kdx-test-gui-systems"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-application.h"
#include "kdx-catalog.h"
#include "kdx-classify.h"
#include "kdx-classify-dialog.h"
#include "kdx-coverage-matrix.h"
#include "kdx-frameworks-page.h"
#include "kdx-journal.h"
#include "kdx-journal-page.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-policy-mappings.h"
#include "kdx-policy-page.h"
#include "kdx-policy-view.h"
#include "kdx-system.h"
#include "kdx-system-classification.h"
#include "kdx-system-frameworks.h"
#include "kdx-system-page.h"
#include "kdx-system-policies.h"
#include "kdx-system-view.h"
#include "kdx-ui-resources.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>

#define ORGANISATION "Brenner & Hoffmann Vertrieb"
#define SYSTEM_NAME  "Bonitätsprüfung Webshop"

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

typedef struct
{
  KdxWindow *window;
  KdxStore  *store;
  char      *members[3];   /* the committee: Dr. Petra Engel, Martin Seidel, Birgit Frank */
  char      *staff[2];
  char      *literacy;     /* the policy from the template "ai-literacy", published */
  char      *oversight;    /* from "human-oversight", published */
  char      *conduct;      /* from "code-of-conduct", a draft */
  char      *system;       /* the system registered through the dialog */
} Workspace;

/* ------------------------------------------------------------------ */
/* Widgets                                                            */

/* The button (or other actionable) that activates @action. */
static GtkWidget *
find_by_action (GtkWidget  *root,
                const char *action)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_action (c, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first widget of @type that is on screen: a drop-down holds a
 * hidden search entry of its own in its popover. */
static GtkWidget *
find_shown (GtkWidget *root,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_mapped (root))
    return root;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_shown (c, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Scrolls the view that holds @widget so that it is in sight, as a user
 * scrolls to what they want to click. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value;

  if (scroller == NULL)
    return;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  g_assert_true (gtk_widget_compute_bounds (widget, content, &bounds));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  value = bounds.origin.y - gtk_adjustment_get_page_size (adjustment) / 3;
  gtk_adjustment_set_value (adjustment, CLAMP (value, gtk_adjustment_get_lower (adjustment),
                                               gtk_adjustment_get_upper (adjustment) -
                                               gtk_adjustment_get_page_size (adjustment)));
}

/* Scrolls to @widget and tells whether it lies within its window: an
 * expander row just opened grows for a while. */
static gboolean
scrolled_in_sight (gpointer data)
{
  GtkWidget *widget = data;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_rect_t bounds;

  scroll_to (widget);
  return kdx_gui_is_drawn (widget) && gtk_widget_compute_bounds (widget, root, &bounds) &&
         bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (root);
}

/* Picks a person in a chooser as a user does: open it, type part of the
 * name, Enter. */
static void
choose_person (GtkWidget  *chooser,
               const char *typed,
               const char *expected)
{
  GtkWidget *search;

  g_assert_nonnull (chooser);
  /* In an expander row just opened: once it is shown and scrolled into
   * view (a popover off the screen has no monitor to go by). */
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, chooser, 20000));
  g_assert_true (kdx_gui_wait_for (scrolled_in_sight, chooser, 20000));
  kdx_gui_iterate (100);
  kdx_person_chooser_popup (KDX_PERSON_CHOOSER (chooser));
  kdx_gui_iterate (100);
  search = find_shown (chooser, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), typed);
  kdx_gui_iterate (400);   /* the search entry's pause before "search-changed" */
  g_signal_emit_by_name (search, "activate");
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_person_chooser_get_person (KDX_PERSON_CHOOSER (chooser)), ==, expected);
}

/* The visible toplevel that carries @key as object data, as the New AI
 * System dialog and the pickers do. */
typedef struct
{
  const char *key;
  GtkWidget  *found;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelWait *wait = data;
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  wait->found = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && wait->found == NULL; i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (w) && g_object_get_data (G_OBJECT (w), wait->key) != NULL &&
          kdx_gui_is_drawn (w))
        wait->found = w;
    }

  return wait->found != NULL;
}

static GtkWidget *
wait_for_toplevel (const char *key)
{
  ToplevelWait wait = { key, NULL };

  if (!kdx_gui_wait_for (toplevel_shown, &wait, 10000))
    g_error ("no window with “%s” opened", key);

  return wait.found;
}

static gboolean
toplevel_gone (gpointer data)
{
  ToplevelWait wait = { data, NULL };

  return !toplevel_shown (&wait);
}

static KdxClassifyDialog *
shown_assistant (void)
{
  return (KdxClassifyDialog *) kdx_gui_find_toplevel (KDX_TYPE_CLASSIFY_DIALOG);
}

static gboolean
assistant_shown (gpointer data)
{
  KdxClassifyDialog *dialog = shown_assistant ();

  return dialog != NULL && kdx_gui_is_drawn (GTK_WIDGET (dialog));
}

static gboolean
assistant_gone (gpointer data)
{
  return shown_assistant () == NULL;
}

/* Shows an area the way Alt+1 … Alt+0 do: win.area with the index of its
 * row in the sidebar. */
static void
show_area (Workspace  *ws,
           const char *area)
{
  GtkWidget *sidebar = kdx_gui_child (ws->window, "sidebar_list");
  guint index = 0;
  GtkWidget *row;

  for (row = gtk_widget_get_first_child (sidebar); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "area"), area) == 0)
        break;
      index++;
    }
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ws->window), "win.area", "u", index));
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_window_get_area (ws->window), ==, area);
}

static KdxSystemPage *
system_page (Workspace *ws)
{
  return KDX_SYSTEM_PAGE (kdx_window_get_page (ws->window, "systems"));
}

static KdxSystemView *
system_view (Workspace *ws)
{
  return KDX_SYSTEM_VIEW (kdx_system_page_get_view (system_page (ws)));
}

static KdxFrameworksPage *
frameworks_page (Workspace *ws)
{
  return KDX_FRAMEWORKS_PAGE (kdx_window_get_page (ws->window, "frameworks"));
}

/* Opens the system in the window, as a link to it does. */
static void
show_system (Workspace  *ws,
             const char *section)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ws->window), "win.show-system", "s",
                                             ws->system));
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_window_get_area (ws->window), ==, "systems");
  g_assert_cmpstr (kdx_system_view_get_system (system_view (ws)), ==, ws->system);
  kdx_system_view_show_section (system_view (ws), section);
  kdx_gui_iterate (100);
}

/* No text field keeps the focus (a blinking cursor in a screenshot, and
 * Ctrl+Z would undo typing there). */
static void
unfocus (Workspace *ws)
{
  gtk_window_set_focus (GTK_WINDOW (ws->window), NULL);
  kdx_gui_iterate (50);
}

static gboolean
object_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closes the toasts shown and queued, as their close buttons do: toasts
 * of earlier steps would cover the screenshot of the next. */
static void
dismiss_toasts (Workspace *ws)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");
  GtkWidget *toast;

  /* Registered with the first toast shown. */
  if (toast_type == G_TYPE_INVALID)
    return;
  for (guint i = 0; i < 20 && (toast = kdx_gui_find_by_type (GTK_WIDGET (ws->window), toast_type)) != NULL; i++)
    {
      gpointer watch = toast;

      g_object_add_weak_pointer (G_OBJECT (toast), &watch);
      g_signal_emit_by_name (kdx_gui_child (toast, "close_button"), "clicked");
      g_assert_true (kdx_gui_wait_for (object_gone, &watch, 3000));
      kdx_gui_iterate (50);
    }
  g_assert_null (kdx_gui_find_by_type (GTK_WIDGET (ws->window), toast_type));
}

/* ------------------------------------------------------------------ */
/* Screenshots with a dialog                                          */

/* Saves @window with @dialog over it, centred and the window dimmed, as a
 * modal dialog looks on a desktop: Xvfb has no window manager to place
 * and compose the two. */
static void
screenshot_with_dialog (GtkWidget  *window,
                        GtkWidget  *dialog,
                        const char *name)
{
  g_autoptr(GskRenderNode) below = NULL;
  g_autoptr(GskRenderNode) above = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (shot_dir, name, NULL);
  int width, height;

  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, window, 10000));
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, dialog, 10000));
  kdx_gui_iterate (800);
  below = kdx_gui_snapshot_node (window);
  above = kdx_gui_snapshot_node (dialog);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);

  gtk_snapshot_append_node (snapshot, below);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.3f },
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (MAX (0, (width - gtk_widget_get_width (dialog)) / 2),
                                                MAX (0, (height - gtk_widget_get_height (dialog)) / 2)));
  gtk_snapshot_append_node (snapshot, above);
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* ------------------------------------------------------------------ */
/* Pixels of the matrix                                               */

typedef struct
{
  guint8 r, g, b;
} Pixel;

static Pixel
cell_pixel (KdxCoverageMatrixView *view,
            guint                  row,
            guint                  column)
{
  GtkWidget *grid = kdx_coverage_matrix_view_get_grid (view);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (grid);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *data = NULL;
  graphene_rect_t area;
  int width, x, y;
  const guint8 *p;

  g_assert_true (kdx_coverage_matrix_view_get_cell_area (view, row, column, &area));
  gtk_widget_queue_draw (grid);
  kdx_gui_iterate (100);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (grid), gtk_widget_get_height (grid));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (grid)),
                                         node, NULL);
  width = gdk_texture_get_width (texture);
  data = g_malloc ((gsize) width * gdk_texture_get_height (texture) * 4);
  gdk_texture_download (texture, data, width * 4);
  /* At the edge of the cell, away from its symbol. */
  x = area.origin.x + 4;
  y = area.origin.y + 4;
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, gdk_texture_get_height (texture));
  /* Cairo's ARGB32: B, G, R, A in memory. */
  p = data + (gsize) y * width * 4 + x * 4;

  return (Pixel) { p[2], p[1], p[0] };
}

/* ------------------------------------------------------------------ */
/* The workspace                                                      */

/* "Acting as": chosen in the header bar, as a person would. */
static void
act_as (Workspace  *ws,
        const char *typed,
        const char *person)
{
  choose_person (kdx_gui_child (ws->window, "identity_chooser"), typed, person);
  g_assert_cmpstr (kdx_store_get_actor (ws->store), ==, person);
}

static char *
policy_from_template (Workspace  *ws,
                      const char *template_id)
{
  char *uuid = kdx_policy_find_by_template (ws->store, template_id);

  if (uuid == NULL)
    g_error ("no policy from the template %s", template_id);

  return uuid;
}

static char *
policy_key (Workspace  *ws,
            const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicy) policy = kdx_policy_load (ws->store, uuid, &error);

  g_assert_no_error (error);
  return g_strdup (kdx_policy_get_key (policy));
}

/* Submitted, approved by the three committee members each acting as
 * themselves, and published, as tests/unit/test-policy.c does. */
static void
vote_through_and_publish (Workspace  *ws,
                          const char *policy_uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = kdx_policy_list_versions (ws->store, policy_uuid, &error);
  const char *version;
  KdxVersionStatus status = KDX_VERSION_N_STATUSES;

  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 1);
  version = kdx_policy_version_get_uuid (versions->pdata[0]);

  kdx_store_set_actor (ws->store, ws->members[0]);
  g_assert_true (kdx_policy_submit (ws->store, version, "Erste Fassung", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ws->members); i++)
    {
      kdx_store_set_actor (ws->store, ws->members[i]);
      g_assert_true (kdx_policy_vote (ws->store, version, KDX_VOTE_APPROVE, NULL, &status, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (status, ==, KDX_VERSION_APPROVED);
  kdx_store_set_actor (ws->store, ws->members[0]);
  g_assert_true (kdx_policy_publish (ws->store, version, NULL, &error));
  g_assert_no_error (error);
}

static void
workspace_set_up (Workspace *ws)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "KI-Systeme.kodex", NULL);
  guint n = 0;

  ws->window = kdx_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (ws->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (ws->window));
  g_assert_true (kdx_window_create_workspace (ws->window, path, ORGANISATION));
  ws->store = kdx_window_get_store (ws->window);
  g_assert_nonnull (ws->store);

  ws->members[0] = kdx_gui_add_person (ws->store, "Dr. Petra Engel", "Recht", TRUE);
  ws->members[1] = kdx_gui_add_person (ws->store, "Martin Seidel", "Recht", TRUE);
  ws->members[2] = kdx_gui_add_person (ws->store, "Birgit Frank", "Betriebsrat", TRUE);
  ws->staff[0] = kdx_gui_add_person (ws->store, "Jonas Weber", "Vertrieb Innendienst", FALSE);
  ws->staff[1] = kdx_gui_add_person (ws->store, "Leonie Schäfer", "Vertrieb Außendienst", FALSE);
  g_assert_true (kdx_store_set_setting (ws->store, "quorum", "majority:3", &error));
  g_assert_no_error (error);
  act_as (ws, "Petra Engel", ws->members[0]);

  g_assert_true (kdx_policy_create_from_templates (ws->store, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 10);
  ws->literacy = policy_from_template (ws, "ai-literacy");
  ws->oversight = policy_from_template (ws, "human-oversight");
  ws->conduct = policy_from_template (ws, "code-of-conduct");

  /* In effect, so that what they cover is covered, not only partly. */
  vote_through_and_publish (ws, ws->literacy);
  vote_through_and_publish (ws, ws->oversight);
  act_as (ws, "Petra Engel", ws->members[0]);
  kdx_gui_iterate (100);
}

static void
workspace_tear_down (Workspace *ws)
{
  GtkWidget *other;

  while ((other = kdx_gui_find_toplevel (ADW_TYPE_WINDOW)) != NULL)
    gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (GTK_WINDOW (ws->window));
  kdx_gui_iterate (100);
  for (guint i = 0; i < G_N_ELEMENTS (ws->members); i++)
    g_free (ws->members[i]);
  for (guint i = 0; i < G_N_ELEMENTS (ws->staff); i++)
    g_free (ws->staff[i]);
  g_free (ws->literacy);
  g_free (ws->oversight);
  g_free (ws->conduct);
  g_free (ws->system);
}

/* ------------------------------------------------------------------ */
/* Core, to check what the user did                                   */

static KdxMappingRow *
mapping_of (GPtrArray  *rows,
            const char *uuid)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_str_equal (((KdxMappingRow *) rows->pdata[i])->uuid, uuid))
      return rows->pdata[i];

  return NULL;
}

static GPtrArray *
system_policies (Workspace *ws)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = kdx_mapping_list_system_policies (ws->store, ws->system, &error);

  g_assert_no_error (error);
  return rows;
}

static KdxRequirement *
requirement (Workspace  *ws,
             const char *code)
{
  g_autoptr(GError) error = NULL;
  KdxRequirement *found = kdx_requirement_find (ws->store, "eu-ai-act", code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static gboolean
policy_covers (Workspace  *ws,
               const char *policy,
               const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requirements = kdx_mapping_list_requirements (ws->store, policy, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < requirements->len; i++)
    {
      KdxRequirement *r = requirements->pdata[i];

      if (g_str_equal (r->catalog, "eu-ai-act") && g_str_equal (r->code, code))
        return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* The steps                                                          */

static GtkListBoxRow *
use_case_row (GtkWidget  *dialog,
              const char *use_case)
{
  GtkListBoxRow *row = kdx_gui_find_row (kdx_gui_named (dialog, "use-case-list"), "use-case",
                                         use_case);

  if (row == NULL)
    g_error ("no row for the use case %s", use_case);

  return row;
}

/* Ctrl+Shift+A: the New AI System dialog, "Credit check at checkout". */
static void
register_system (Workspace *ws)
{
  g_autoptr(GPtrArray) systems = NULL;
  g_autoptr(GError) error = NULL;
  KdxSystemFilter filter;
  KdxSystemView *view;
  GtkWidget *dialog;
  GtkWidget *create;
  KdxSystem *system;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ws->window), "win.new-system", NULL));
  dialog = wait_for_toplevel ("new-system");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (ws->window));
  g_assert_cmpstr (kdx_window_get_area (ws->window), ==, "systems");
  create = kdx_gui_named (dialog, "create-button");
  g_assert_false (gtk_widget_get_sensitive (create));

  gtk_list_box_select_row (GTK_LIST_BOX (kdx_gui_named (dialog, "use-case-list")),
                           use_case_row (dialog, "credit-check"));
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "name-row")), SYSTEM_NAME);
  g_assert_true (gtk_widget_get_sensitive (create));
  kdx_gui_click (create);
  g_assert_true (kdx_gui_wait_for (toplevel_gone, (gpointer) "new-system", 20000));

  /* The view of the new system, with the class of the library's answers. */
  view = system_view (ws);
  g_assert_nonnull (kdx_system_view_get_system (view));
  ws->system = g_strdup (kdx_system_view_get_system (view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (system_page (ws), "main_stack"))),
                   ==, "system");
  g_assert_cmpstr (kdx_gui_label_of (view, "title_label"), ==, SYSTEM_NAME);
  g_assert_cmpstr (kdx_gui_label_of (view, "risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_HIGH));
  g_assert_true (gtk_widget_has_css_class (kdx_gui_child (view, "risk_label"), "kdx-classify-risk-high"));

  /* In the register, as core has it. */
  kdx_system_filter_init (&filter);
  systems = kdx_system_list (ws->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (systems->len, ==, 1);
  system = systems->pdata[0];
  g_assert_cmpstr (kdx_system_get_uuid (system), ==, ws->system);
  g_assert_cmpstr (kdx_system_get_name (system), ==, SYSTEM_NAME);
  g_assert_cmpstr (kdx_system_get_use_case (system), ==, "credit-check");
  g_assert_cmpint (kdx_system_get_risk (system), ==, KDX_RISK_HIGH);
  g_assert_cmpint (kdx_system_get_role (system), ==, KDX_ROLE_DEPLOYER);
}

/* Journal entries "classify" of the system, as the Journal area lists them. */
static guint
count_classify_entries (Workspace *ws)
{
  GListModel *entries;
  guint n = 0;

  show_area (ws, "journal");
  entries = kdx_journal_page_get_model (KDX_JOURNAL_PAGE (kdx_window_get_page (ws->window, "journal")));
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(KdxJournalEntry) entry = g_list_model_get_item (entries, i);

      if (g_strcmp0 (kdx_journal_entry_get_action (entry), "classify") == 0 &&
          g_strcmp0 (kdx_journal_entry_get_entity_id (entry), ws->system) == 0)
        n++;
    }

  return n;
}

static const char *const provider_obligations[] = {
  "ai-act-9", "ai-act-10", "ai-act-11", "ai-act-12", "ai-act-13", "ai-act-14", "ai-act-15", NULL
};

/* The assistant: built in-house after all, so the organisation is the
 * provider too, and the obligations of Art. 9–15 follow. */
static void
classify_system (Workspace *ws)
{
  KdxSystemView *view = system_view (ws);
  GtkWidget *section;
  KdxClassifyDialog *dialog;
  GtkWidget *provider_yes;
  g_autoptr(KdxSystem) after = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  n_before = count_classify_entries (ws);
  show_system (ws, "classification");
  section = kdx_gui_child (view, "classification");
  g_assert_true (KDX_IS_SYSTEM_CLASSIFICATION (section));
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, section, 20000));
  g_assert_nonnull (kdx_gui_find_by_name (section, "ai-act-26"));
  g_assert_nonnull (kdx_gui_find_by_name (section, "ai-act-4"));
  for (guint i = 0; provider_obligations[i] != NULL; i++)
    g_assert_null (kdx_gui_find_by_name (section, provider_obligations[i]));

  dismiss_toasts (ws);

  /* Change Answers…: the assistant opens over the window. */
  kdx_gui_click (kdx_gui_child (section, "classify_button"));
  g_assert_true (kdx_gui_wait_for (assistant_shown, NULL, 10000));
  dialog = shown_assistant ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (ws->window));
  g_assert_cmpuint (kdx_classify_dialog_get_step (dialog), ==, 0);

  provider_yes = kdx_gui_named (dialog, "role-provider:yes");
  kdx_gui_click (provider_yes);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (provider_yes)));
  g_assert_cmpint (kdx_answers_get (kdx_classify_dialog_get_answers (dialog), "role-provider"), ==,
                   KDX_ANSWER_YES);
  g_assert_cmpstr (kdx_gui_label_of (dialog, "panel_risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_HIGH));
  kdx_gui_iterate (200);
  screenshot_with_dialog (GTK_WIDGET (ws->window), GTK_WIDGET (dialog), "systems-assistant.png");

  kdx_gui_click (kdx_gui_child (dialog, "save_button"));
  g_assert_true (kdx_gui_wait_for (assistant_gone, NULL, 20000));

  /* Stored: high risk still, provider and deployer, Art. 9–15 added. */
  after = kdx_system_load (ws->store, ws->system, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kdx_system_get_risk (after), ==, KDX_RISK_HIGH);
  g_assert_cmpint (kdx_system_get_role (after), ==, KDX_ROLE_PROVIDER_DEPLOYER);
  kdx_gui_iterate (100);
  for (guint i = 0; provider_obligations[i] != NULL; i++)
    if (kdx_gui_find_by_name (section, provider_obligations[i]) == NULL)
      g_error ("the section does not show the obligation %s", provider_obligations[i]);
  g_assert_nonnull (kdx_gui_find_by_name (section, "ai-act-26"));
  g_assert_cmpstr (kdx_gui_label_of (section, "risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_HIGH));
  g_assert_cmpstr (kdx_gui_label_of (view, "risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_HIGH));

  unfocus (ws);
  dismiss_toasts (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "systems-detail.png");

  /* And journaled. */
  g_assert_cmpuint (count_classify_entries (ws), ==, n_before + 1);
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
} NamedWait;

static gboolean
named_shown (gpointer data)
{
  NamedWait *wait = data;

  return kdx_gui_find_by_name (wait->root, wait->name) != NULL;
}

static gboolean
named_gone (gpointer data)
{
  return !named_shown (data);
}

/* The Policies section: the Code of Conduct applied through Apply
 * Policy…, Human Oversight taken off and applied again from the
 * suggestions; AI literacy assessed compliant, human oversight partial
 * with an evidence note. */
static void
apply_policies (Workspace *ws)
{
  KdxSystemView *view = system_view (ws);
  GtkWidget *section, *picker, *search, *row, *evidence;
  g_autofree char *conduct_key = policy_key (ws, ws->conduct);
  g_autoptr(GPtrArray) rows = NULL;
  KdxMappingRow *mapping;
  NamedWait wait;

  show_system (ws, "policies");
  section = kdx_gui_child (view, "policies");
  g_assert_true (KDX_IS_SYSTEM_POLICIES (section));
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, section, 20000));

  /* The library applied its suggestions, not yet assessed. */
  rows = system_policies (ws);
  g_assert_nonnull (mapping_of (rows, ws->literacy));
  g_assert_nonnull (mapping_of (rows, ws->oversight));
  g_assert_null (mapping_of (rows, ws->conduct));
  g_assert_cmpint (mapping_of (rows, ws->literacy)->compliance, ==, KDX_COMPLIANCE_NOT_ASSESSED);
  kdx_gui_named (kdx_gui_child (section, "policies_list"), ws->literacy);

  /* Taken off, it is suggested again; one click applies it. */
  kdx_gui_click (kdx_gui_named (kdx_gui_named (kdx_gui_child (section, "policies_list"), ws->oversight), "remove"));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (ws);
  g_assert_null (mapping_of (rows, ws->oversight));
  wait = (NamedWait) { kdx_gui_child (section, "suggested_list"), ws->oversight };
  g_assert_true (kdx_gui_wait_for (named_shown, &wait, 3000));
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (section, "suggested_group")));
  kdx_gui_click (kdx_gui_named (kdx_gui_named (kdx_gui_child (section, "suggested_list"), ws->oversight), "apply"));
  wait = (NamedWait) { kdx_gui_child (section, "policies_list"), ws->oversight };
  g_assert_true (kdx_gui_wait_for (named_shown, &wait, 3000));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (ws);
  g_assert_nonnull (mapping_of (rows, ws->oversight));
  /* Applied, it is no longer suggested. */
  wait = (NamedWait) { kdx_gui_child (section, "suggested_list"), ws->oversight };
  g_assert_true (kdx_gui_wait_for (named_gone, &wait, 3000));

  /* Apply Policy…: the picker, searched by the policy's key, Enter. */
  kdx_gui_click (find_by_action (section, "policies.apply"));
  picker = wait_for_toplevel ("picker");
  search = find_shown (picker, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), conduct_key);
  kdx_gui_iterate (500);   /* the search entry's pause before "search-changed" */
  g_signal_emit_by_name (search, "activate");
  g_assert_true (kdx_gui_wait_for (toplevel_gone, (gpointer) "picker", 20000));
  wait = (NamedWait) { kdx_gui_child (section, "policies_list"), ws->conduct };
  g_assert_true (kdx_gui_wait_for (named_shown, &wait, 3000));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (ws);
  g_assert_nonnull (mapping_of (rows, ws->conduct));
  g_assert_cmpint (mapping_of (rows, ws->conduct)->compliance, ==, KDX_COMPLIANCE_NOT_ASSESSED);

  /* AI literacy: compliant, as Martin Seidel judged it. */
  row = kdx_gui_named (kdx_gui_child (section, "policies_list"), ws->literacy);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kdx_gui_named (row, "status")), KDX_COMPLIANCE_COMPLIANT);
  kdx_gui_iterate (100);
  row = kdx_gui_named (kdx_gui_child (section, "policies_list"), ws->literacy);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  choose_person (kdx_gui_find_by_type (row, KDX_TYPE_PERSON_CHOOSER), "Martin Seidel", ws->members[1]);
  kdx_gui_iterate (100);

  /* Human oversight: partial, and why, as the person acting judged it. */
  row = kdx_gui_named (kdx_gui_child (section, "policies_list"), ws->oversight);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kdx_gui_named (row, "status")), KDX_COMPLIANCE_PARTIAL);
  kdx_gui_iterate (100);
  row = kdx_gui_named (kdx_gui_child (section, "policies_list"), ws->oversight);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  choose_person (kdx_gui_find_by_type (row, KDX_TYPE_PERSON_CHOOSER), "Petra Engel", ws->members[0]);
  kdx_gui_iterate (100);
  row = kdx_gui_named (kdx_gui_child (section, "policies_list"), ws->oversight);
  evidence = kdx_gui_named (row, "evidence");
  gtk_editable_set_text (GTK_EDITABLE (evidence), "Stichprobe 40 Ablehnungen, Okt. 2026: 3 ohne Prüfung");
  g_signal_emit_by_name (evidence, "apply");
  kdx_gui_iterate (100);

  /* Stored, assessed by the person acting. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (ws);
  mapping = mapping_of (rows, ws->literacy);
  g_assert_cmpint (mapping->compliance, ==, KDX_COMPLIANCE_COMPLIANT);
  g_assert_cmpstr (mapping->assessor, ==, ws->members[1]);
  g_assert_cmpstr (mapping->assessor_name, ==, "Martin Seidel");
  g_assert_nonnull (mapping->date);
  mapping = mapping_of (rows, ws->oversight);
  g_assert_cmpint (mapping->compliance, ==, KDX_COMPLIANCE_PARTIAL);
  g_assert_cmpstr (mapping->evidence, ==, "Stichprobe 40 Ablehnungen, Okt. 2026: 3 ohne Prüfung");
  g_assert_cmpstr (mapping->assessor, ==, ws->members[0]);
  unfocus (ws);
}

/* AI literacy covers Art. 4: linked from the policy's Mappings tab with
 * Add Requirement…. */
static void
link_from_policy (Workspace *ws)
{
  g_autoptr(KdxRequirement) art4 = requirement (ws, "art-4");
  g_autoptr(GPtrArray) catalogs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = NULL;
  KdxPolicyPage *page;
  KdxPolicyView *view;
  GtkWidget *mappings, *picker, *catalogs_drop_down, *search;
  guint ai_act = G_MAXUINT;

  show_area (ws, "policies");
  page = KDX_POLICY_PAGE (kdx_window_get_page (ws->window, "policies"));
  kdx_policy_page_show_policy (page, ws->literacy, NULL);
  kdx_gui_iterate (100);
  view = KDX_POLICY_VIEW (kdx_policy_page_get_view (page));
  g_assert_cmpstr (kdx_policy_view_get_policy (view), ==, ws->literacy);
  kdx_policy_view_show_tab (view, "mappings");
  mappings = kdx_gui_find_by_type (GTK_WIDGET (view), KDX_TYPE_POLICY_MAPPINGS);
  g_assert_nonnull (mappings);
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, mappings, 20000));
  /* It shows the system it applies to. */
  g_assert_nonnull (gtk_widget_get_first_child (kdx_gui_child (mappings, "systems_list")));

  kdx_gui_click (kdx_gui_child (mappings, "add_requirement_button"));
  picker = wait_for_toplevel ("picker");
  catalogs = kdx_catalog_list (ws->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < catalogs->len; i++)
    if (g_str_equal (((KdxCatalog *) catalogs->pdata[i])->key, "eu-ai-act"))
      ai_act = i;
  g_assert_cmpuint (ai_act, <, catalogs->len);
  catalogs_drop_down = kdx_gui_find_by_type (picker, GTK_TYPE_DROP_DOWN);
  g_assert_nonnull (catalogs_drop_down);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (catalogs_drop_down), ai_act);
  kdx_gui_iterate (50);

  /* Typed as the picker shows it: "Art. 4 · AI literacy". */
  search = find_shown (picker, GTK_TYPE_SEARCH_ENTRY);
  typed = g_strdup_printf ("%s · %s", art4->label, kdx_requirement_get_title (art4));
  gtk_editable_set_text (GTK_EDITABLE (search), typed);
  g_signal_emit_by_name (search, "activate");
  g_assert_true (kdx_gui_wait_for (toplevel_gone, (gpointer) "picker", 20000));
  g_assert_true (policy_covers (ws, ws->literacy, "art-4"));
  g_assert_false (policy_covers (ws, ws->literacy, "art-26"));
  kdx_policy_page_show_list (page);
}

static gboolean
link_list_filled (gpointer data)
{
  return gtk_widget_get_first_child (GTK_WIDGET (data)) != NULL;
}

/* Human oversight covers Art. 26: from the obligation in the system's
 * Classification section to the requirement in Frameworks, and there
 * Link Policy…. */
static void
link_from_requirement (Workspace *ws)
{
  g_autoptr(KdxRequirement) art26 = requirement (ws, "art-26");
  g_autofree char *oversight_key = policy_key (ws, ws->oversight);
  KdxFrameworksPage *page;
  GtkWidget *section, *button, *link_button, *link_search;

  show_system (ws, "classification");
  section = kdx_gui_child (system_view (ws), "classification");
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, section, 20000));
  /* A gap still: human oversight applies to the system but does not
   * name Art. 26 yet. */
  button = kdx_gui_find_by_type (kdx_gui_named (section, "ai-act-26"), GTK_TYPE_BUTTON);
  kdx_gui_click (button);
  g_assert_cmpstr (kdx_window_get_area (ws->window), ==, "frameworks");
  page = frameworks_page (ws);
  g_assert_cmpstr (kdx_frameworks_page_get_catalog (page), ==, "eu-ai-act");
  g_assert_cmpstr (kdx_frameworks_page_get_requirement (page), ==, art26->uuid);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-26"), ==, KDX_COVERAGE_GAP);

  link_button = kdx_gui_child (page, "link_button");
  g_assert_true (gtk_widget_is_sensitive (link_button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (link_button));
  g_assert_true (kdx_gui_wait_for (link_list_filled, kdx_gui_child (page, "link_list"), 20000));
  link_search = kdx_gui_child (page, "link_search");
  gtk_editable_set_text (GTK_EDITABLE (link_search), oversight_key);
  g_signal_emit_by_name (link_search, "activate");
  kdx_gui_iterate (200);
  g_assert_true (policy_covers (ws, ws->oversight, "art-26"));
  g_assert_false (policy_covers (ws, ws->conduct, "art-26"));
  /* A published policy covers it now. */
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-26"), ==, KDX_COVERAGE_COVERED);
}

static int
core_coverage (GPtrArray  *rows,
               const char *code)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((KdxRequirementCoverage *) rows->pdata[i])->code, code))
      return ((KdxRequirementCoverage *) rows->pdata[i])->coverage;

  return -1;
}

/* Frameworks: the EU AI Act's requirement coverage, and the matrix. */
static void
check_frameworks (Workspace *ws)
{
  KdxFrameworksPage *page = frameworks_page (ws);
  g_autoptr(KdxRequirement) art4 = requirement (ws, "art-4");
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(GError) error = NULL;
  KdxCoverageMatrixView *matrix;
  GtkWidget *catalog_list, *row;
  guint literacy = G_MAXUINT, oversight = G_MAXUINT, conduct = G_MAXUINT;
  guint n_gaps = 0;
  Pixel compliant, partial;

  show_area (ws, "frameworks");
  gtk_widget_activate_action (GTK_WIDGET (page), "frameworks.back", NULL);
  kdx_gui_iterate (100);
  g_assert_null (kdx_frameworks_page_get_catalog (page));

  /* Select the EU AI Act in the list of catalogs. */
  catalog_list = kdx_gui_child (page, "catalog_list");
  for (row = gtk_widget_get_first_child (catalog_list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (g_object_get_data (G_OBJECT (row), "key"), "eu-ai-act") == 0)
      break;
  g_assert_nonnull (row);
  gtk_widget_activate (row);
  kdx_gui_iterate (200);
  g_assert_cmpstr (kdx_frameworks_page_get_catalog (page), ==, "eu-ai-act");

  /* Art. 4 and Art. 26 covered by published policies; gaps elsewhere;
   * every row as core computes it. */
  coverage = kdx_coverage_requirements (ws->store, "eu-ai-act", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kdx_frameworks_page_get_n_shown (page), ==, coverage->len);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-4"), ==, KDX_COVERAGE_COVERED);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-26"), ==, KDX_COVERAGE_COVERED);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-9"), ==, KDX_COVERAGE_GAP);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-50"), ==, KDX_COVERAGE_GAP);
  for (guint i = 0; i < coverage->len; i++)
    {
      KdxRequirementCoverage *r = coverage->pdata[i];

      g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, r->code), ==, r->coverage);
      if (r->coverage == KDX_COVERAGE_GAP)
        n_gaps++;
    }
  g_assert_cmpint (core_coverage (coverage, "art-4"), ==, KDX_COVERAGE_COVERED);
  g_assert_cmpuint (n_gaps, >, 0);

  /* Art. 4 chosen, with the policy that covers it in the detail pane. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ws->window), "win.show-requirement", "s",
                                             art4->uuid));
  kdx_gui_iterate (200);
  g_assert_cmpstr (kdx_frameworks_page_get_requirement (page), ==, art4->uuid);
  g_assert_nonnull (gtk_widget_get_first_child (kdx_gui_child (page, "policies_list")));
  unfocus (ws);
  dismiss_toasts (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "systems-frameworks.png");

  /* The matrix: one system, every policy; the two assessments coloured. */
  kdx_frameworks_page_show_matrix (page);
  kdx_gui_iterate (200);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (kdx_gui_child (page, "view_stack"))),
                   ==, "matrix");
  matrix = KDX_COVERAGE_MATRIX_VIEW (kdx_gui_child (page, "matrix_view"));
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, matrix, 20000));
  g_assert_cmpuint (kdx_coverage_matrix_view_get_n_rows (matrix), ==, 1);
  g_assert_cmpstr (kdx_coverage_matrix_view_get_system (matrix, 0), ==, ws->system);
  g_assert_cmpuint (kdx_coverage_matrix_view_get_n_columns (matrix), ==,
                    kdx_store_count (ws->store, "SELECT count(*) FROM policy WHERE trashed IS NULL"));
  for (guint c = 0; c < kdx_coverage_matrix_view_get_n_columns (matrix); c++)
    {
      const char *policy = kdx_coverage_matrix_view_get_policy (matrix, c);

      if (g_strcmp0 (policy, ws->literacy) == 0)
        literacy = c;
      else if (g_strcmp0 (policy, ws->oversight) == 0)
        oversight = c;
      else if (g_strcmp0 (policy, ws->conduct) == 0)
        conduct = c;
    }
  g_assert_cmpuint (literacy, !=, G_MAXUINT);
  g_assert_cmpuint (oversight, !=, G_MAXUINT);
  g_assert_cmpuint (conduct, !=, G_MAXUINT);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (matrix, 0, literacy), ==, KDX_COMPLIANCE_COMPLIANT);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (matrix, 0, oversight), ==, KDX_COMPLIANCE_PARTIAL);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (matrix, 0, conduct), ==, KDX_COMPLIANCE_NOT_ASSESSED);

  /* Green for compliant, a warm colour for partial, as drawn. */
  kdx_coverage_matrix_view_set_focus_cell (matrix, 0, literacy);
  kdx_gui_iterate (100);
  compliant = cell_pixel (matrix, 0, literacy);
  g_assert_true (compliant.g > compliant.r + 40 && compliant.g > compliant.b);
  partial = cell_pixel (matrix, 0, oversight);
  g_assert_true (partial.r > partial.b + 40 && !(partial.g > partial.r + 40));
  unfocus (ws);
  dismiss_toasts (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "systems-coverage-matrix.png");
}

static KdxSystemCoverage *
system_coverage_of (GPtrArray  *rows,
                    const char *system)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((KdxSystemCoverage *) rows->pdata[i])->system, system))
      return rows->pdata[i];

  return NULL;
}

/* Whether the section has counted every catalog (the EU AI Act at once,
 * the others one by one when idle). */
static gboolean
all_counted (gpointer data)
{
  Workspace *ws = ((gpointer *) data)[0];
  KdxSystemFrameworks *section = ((gpointer *) data)[1];
  g_autoptr(GPtrArray) catalogs = kdx_catalog_list (ws->store, NULL);

  for (guint i = 0; catalogs != NULL && i < catalogs->len; i++)
    if (!kdx_system_frameworks_get_counts (section, ((KdxCatalog *) catalogs->pdata[i])->key, NULL))
      return FALSE;

  return catalogs != NULL;
}

/* The system's Frameworks section counts as core does. */
static void
check_system_frameworks (Workspace *ws)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  KdxSystemCoverage *expected;
  KdxFrameworkCounts shown;
  GtkWidget *section;

  show_system (ws, "frameworks");
  section = kdx_gui_child (system_view (ws), "frameworks");
  g_assert_true (KDX_IS_SYSTEM_FRAMEWORKS (section));
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, section, 20000));
  g_assert_true (kdx_gui_wait_for (all_counted, (gpointer[]) { ws, section }, 20000));
  kdx_gui_iterate (100);

  all = kdx_coverage_systems (ws->store, "eu-ai-act", &error);
  g_assert_no_error (error);
  expected = system_coverage_of (all, ws->system);
  g_assert_nonnull (expected);
  g_assert_true (kdx_system_frameworks_get_counts (KDX_SYSTEM_FRAMEWORKS (section), "eu-ai-act", &shown));
  g_assert_cmpuint (shown.required, ==, expected->n_required);
  g_assert_cmpuint (shown.covered, ==, expected->n_covered);
  g_assert_cmpuint (shown.partly, ==, expected->n_partly);
  g_assert_cmpuint (shown.gap, ==, expected->n_gap);
  /* Art. 4 (compliant) covered, Art. 26 (partial) partly, the
   * provider's obligations gaps. */
  g_assert_cmpuint (shown.covered, ==, 1);
  g_assert_cmpuint (shown.partly, ==, 1);
  g_assert_cmpuint (shown.gap, >=, 7);
  g_assert_cmpuint (shown.required, ==, shown.covered + shown.partly + shown.gap);
  g_assert_cmpint (expected->compliance, ==, KDX_COMPLIANCE_PARTIAL);
  {
    GtkWidget *ai_act = kdx_gui_named (kdx_gui_child (section, "catalogs_list"), "eu-ai-act");
    g_autofree char *counted = g_strdup_printf ("%u", expected->n_required);

    g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (ai_act)), counted));
    g_assert_null (kdx_gui_find_by_name (ai_act, "art-4"));
    g_assert_nonnull (kdx_gui_find_by_name (ai_act, "art-26"));
    g_assert_nonnull (kdx_gui_find_by_name (ai_act, "art-9"));
  }
}

static gboolean
register_has (gpointer data)
{
  Workspace *ws = ((gpointer *) data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return g_list_model_get_n_items (kdx_system_page_get_model (system_page (ws))) == n;
}

static gboolean
model_has_action (GMenuModel *menu,
                  const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
      if ((section != NULL && model_has_action (section, action)) ||
          (submenu != NULL && model_has_action (submenu, action)))
        return TRUE;
    }

  return FALSE;
}

/* Whether a menu button under @root offers @action. */
static gboolean
menu_has_action (GtkWidget  *root,
                 const char *action)
{
  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)) != NULL &&
      model_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)), action))
    return TRUE;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (menu_has_action (c, action))
      return TRUE;

  return FALSE;
}

/* Move to Trash from the system's menu; Ctrl+Z brings it back. */
static void
trash_and_undo (Workspace *ws)
{
  gpointer none[2] = { ws, GUINT_TO_POINTER (0) };
  gpointer one[2] = { ws, GUINT_TO_POINTER (1) };
  g_autoptr(KdxSystem) back = NULL;

  /* Shown again from its Frameworks section, which counts its catalogs
   * when idle: the trashing must stop that. */
  show_system (ws, "overview");

  /* A menu of the view holds Move to Trash. */
  g_assert_true (menu_has_action (GTK_WIDGET (system_view (ws)), "system.trash"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (system_view (ws)), "system.trash", NULL));
  kdx_gui_iterate (100);
  g_assert_cmpint (kdx_system_count (ws->store), ==, 0);
  g_assert_true (kdx_gui_wait_for (register_has, none, 3000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (system_page (ws), "main_stack"))),
                   ==, "browse");

  /* Ctrl+Z, wherever the focus is not in a text. */
  unfocus (ws);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ws->window), "win.undo-delete", NULL));
  kdx_gui_iterate (100);
  g_assert_cmpint (kdx_system_count (ws->store), ==, 1);
  g_assert_true (kdx_gui_wait_for (register_has, one, 3000));
  back = kdx_system_load (ws->store, ws->system, NULL);
  g_assert_nonnull (back);
  g_assert_null (kdx_system_get_trashed (back));
  g_assert_cmpint (kdx_system_get_risk (back), ==, KDX_RISK_HIGH);
  /* Its policies came back with it. */
  {
    g_autoptr(GPtrArray) rows = system_policies (ws);

    g_assert_cmpint (mapping_of (rows, ws->literacy)->compliance, ==, KDX_COMPLIANCE_COMPLIANT);
  }
}

/* The Overview counts one system, and it is high-risk. */
static void
check_overview (Workspace *ws)
{
  GtkWidget *page;

  show_area (ws, "overview");
  page = kdx_window_get_page (ws->window, "overview");
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, page, 20000));
  kdx_gui_iterate (300);
  g_assert_cmpstr (kdx_gui_label_of (page, "systems_count"), ==, "1");
  g_assert_cmpstr (kdx_gui_label_of (page, "high_risk_count"), ==, "1");
  g_assert_cmpstr (kdx_gui_label_of (page, "prohibited_count"), ==, "0");
  g_assert_cmpstr (kdx_gui_label_of (page, "non_compliant_count"), ==, "0");
  g_assert_cmpstr (kdx_gui_label_of (page, "published_count"), ==, "2");
  unfocus (ws);
  dismiss_toasts (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "overview-systems.png");
}

static void
test_systems (void)
{
  Workspace ws = { NULL };

  workspace_set_up (&ws);
  register_system (&ws);
  classify_system (&ws);
  apply_policies (&ws);
  link_from_policy (&ws);
  link_from_requirement (&ws);
  check_frameworks (&ws);
  check_system_frameworks (&ws);
  trash_and_undo (&ws);
  check_overview (&ws);
  workspace_tear_down (&ws);
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  kdx_gui_test_init (&argc, &argv, "kodex-gui-systems-XXXXXX", &tmpdir, &shot_dir);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  umask (022);

  g_test_add_func ("/kdx/gui/systems/register-classify-map-cover", test_systems);

  return kdx_gui_test_run (&app, G_APPLICATION_HANDLES_OPEN);
}
