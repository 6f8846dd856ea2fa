/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI tests of the coverage matrix (AI systems × policies) and of the
 * Policies and Frameworks sections of a system, each in a real window
 * under Xvfb on a real workspace: three people, five policies (one made
 * from the template that the use case "lead-scoring" suggests), three
 * systems from the use-case library and mappings in every status. Keys
 * are pressed through XTest; what is stored is read back through core,
 * and the colours of the matrix are read from its rendered pixels.
 */
#define G_LOG_DOMAIN "kdx-test-system-sections"

#include "config.h"

#include "kdx-application.h"
#include "kdx-catalog.h"
#include "kdx-coverage-matrix.h"
#include "kdx-format.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-system-frameworks.h"
#include "kdx-system-policies.h"
#include "kdx-ui-resources.h"
#include "kdx-gui-test-util.h"

#include <X11/keysym.h>
#include <dlfcn.h>
#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

enum { DISCLOSURE, OVERSIGHT, FAIRNESS, MINIMISATION, LEAD_SCORING, N_POLICIES };
enum { SCORING, CHATBOT, CALLS, N_SYSTEMS };

typedef struct
{
  char      *path;
  KdxStore  *store;
  char      *people[3];              /* Dana Dorn, Jonas Berg, Lea Kaiser */
  char      *policies[N_POLICIES];   /* POL-001 … POL-005 */
  char      *systems[N_SYSTEMS];     /* SYS-001 … SYS-003 */
  GtkWindow *window;
  char      *shown_system;           /* the parameter of win.show-system */
  char      *shown_requirement;      /* the parameter of win.show-requirement */
  guint      n_shown_system;
} Fixture;

/* ------------------------------------------------------------------ */
/* XTest: keys and clicks as a user makes them                         */

typedef int (*FakeKeyFunc) (Display *, unsigned int, Bool, unsigned long);
typedef int (*FakeButtonFunc) (Display *, unsigned int, Bool, unsigned long);
typedef int (*FakeMotionFunc) (Display *, int, int, int, unsigned long);
typedef KeyCode (*KeysymToCodeFunc) (Display *, KeySym);
typedef int (*FlushFunc) (Display *);
typedef Bool (*TranslateFunc) (Display *, Window, Window, int, int, int *, int *, Window *);

static struct
{
  FakeKeyFunc      key;
  FakeButtonFunc   button;
  FakeMotionFunc   motion;
  KeysymToCodeFunc to_code;
  FlushFunc        flush;
  TranslateFunc    translate;
} xtest;

static Display *
xtest_display (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (!GDK_IS_X11_DISPLAY (display))
    return NULL;
  if (xtest.key == NULL)
    {
      void *x11 = dlopen ("libX11.so.6", RTLD_LAZY);
      void *xtst = dlopen ("libXtst.so.6", RTLD_LAZY);

      if (x11 == NULL || xtst == NULL)
        return NULL;
      xtest.key = (FakeKeyFunc) dlsym (xtst, "XTestFakeKeyEvent");
      xtest.button = (FakeButtonFunc) dlsym (xtst, "XTestFakeButtonEvent");
      xtest.motion = (FakeMotionFunc) dlsym (xtst, "XTestFakeMotionEvent");
      xtest.to_code = (KeysymToCodeFunc) dlsym (x11, "XKeysymToKeycode");
      xtest.flush = (FlushFunc) dlsym (x11, "XFlush");
      xtest.translate = (TranslateFunc) dlsym (x11, "XTranslateCoordinates");
      if (xtest.key == NULL || xtest.button == NULL || xtest.motion == NULL ||
          xtest.to_code == NULL || xtest.flush == NULL || xtest.translate == NULL)
        {
          xtest.key = NULL;
          return NULL;
        }
    }

  return gdk_x11_display_get_xdisplay (display);
}

/* Presses @keysym, with Control when @control, in the focused window. */
static void
press_key (KeySym   keysym,
           gboolean control)
{
  KeySym keys[] = { XK_Control_L, keysym };

  g_assert_true (control ? kdx_gui_press_keys (keys, 2) : kdx_gui_press_keys (keys + 1, 1));
}

/* Clicks the primary button at (@x, @y) of @widget. */
static void
click_at (GtkWidget *widget,
          double     x,
          double     y)
{
  Display *xdisplay = xtest_display ();
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  graphene_point_t point;
  double sx, sy;
  int rx, ry;
  Window unused;

  g_assert_nonnull (xdisplay);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &sx, &sy);
  xtest.translate (xdisplay, gdk_x11_surface_get_xid (surface),
                   gdk_x11_display_get_xrootwindow (gdk_display_get_default ()),
                   (int) (point.x + sx), (int) (point.y + sy), &rx, &ry, &unused);
  xtest.motion (xdisplay, -1, rx, ry, 0);
  xtest.flush (xdisplay);
  kdx_gui_iterate (100);
  xtest.button (xdisplay, 1, True, 0);
  xtest.button (xdisplay, 1, False, 0);
  xtest.flush (xdisplay);
  kdx_gui_iterate (200);
}

/* ------------------------------------------------------------------ */
/* Pixels                                                             */

typedef struct
{
  guint8 r, g, b;
} Pixel;

static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  /* Drawn afresh, not from a cache of an earlier frame. */
  gtk_widget_queue_draw (widget);
  kdx_gui_iterate (100);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, NULL);
}

static Pixel
pixel_at (GdkTexture *texture,
          int         x,
          int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc (width * height * 4);
  const guint8 *p;

  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);
  /* Cairo's ARGB32: B, G, R, A in memory. */
  gdk_texture_download (texture, data, width * 4);
  p = data + y * width * 4 + x * 4;

  return (Pixel) { p[2], p[1], p[0] };
}

/* The colour near the corner of a cell, away from its symbol (or, in a
 * small cell, its hole). */
static Pixel
cell_pixel (KdxCoverageMatrixView *view,
            GdkTexture            *texture,
            guint                  row,
            guint                  column)
{
  graphene_rect_t area;
  int offset;

  g_assert_true (kdx_coverage_matrix_view_get_cell_area (view, row, column, &area));
  offset = area.size.width >= 16 ? 4 : (int) area.size.width / 4;
  return pixel_at (texture, area.origin.x + offset, area.origin.y + offset);
}

static gboolean
is_green (Pixel p)
{
  return p.g > p.r + 40 && p.g > p.b;
}

static gboolean
is_red (Pixel p)
{
  return p.r > p.g + 60 && p.r > p.b + 40;
}

/* ------------------------------------------------------------------ */
/* The workspace                                                      */

static char *
add_policy (KdxStore   *store,
            const char *title,
            const char *template_id)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GError) error = NULL;

  kdx_policy_set_title (policy, title);
  if (template_id != NULL)
    kdx_policy_set_template (policy, template_id);
  g_assert_true (kdx_policy_create (store, policy, "Text", &error));
  g_assert_no_error (error);

  return g_strdup (kdx_policy_get_uuid (policy));
}

static char *
add_system (KdxStore   *store,
            const char *name,
            const char *use_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxSystem) system = kdx_system_create_from_use_case (store, name, use_case, &error);

  g_assert_no_error (error);
  return g_strdup (kdx_system_get_uuid (system));
}

static void
map (Fixture       *f,
     int            system,
     int            policy,
     KdxCompliance  status,
     const char    *assessor,
     const char    *date,
     const char    *evidence)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_mapping_set_system_policy (f->store, f->systems[system], f->policies[policy],
                                                status, assessor, date, evidence, &error));
  g_assert_no_error (error);
}

static void
link_requirement (Fixture    *f,
                  int         policy,
                  const char *catalog,
                  const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxRequirement) requirement = kdx_requirement_find (f->store, catalog, code, &error);

  g_assert_no_error (error);
  g_assert_true (kdx_mapping_link_requirement (f->store, f->policies[policy], requirement->uuid,
                                               &error));
  g_assert_no_error (error);
}

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
system_policies (Fixture *f,
                 int      system)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = kdx_mapping_list_system_policies (f->store, f->systems[system], &error);

  g_assert_no_error (error);
  return rows;
}

static void
show_system_cb (GSimpleAction *action,
                GVariant      *parameter,
                Fixture       *f)
{
  g_free (f->shown_system);
  f->shown_system = g_variant_dup_string (parameter, NULL);
  f->n_shown_system++;
}

static void
show_requirement_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     Fixture       *f)
{
  g_free (f->shown_requirement);
  f->shown_requirement = g_variant_dup_string (parameter, NULL);
}

static void
open_store (Fixture    *f,
            const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s-%u.kodex", prefix, g_random_int ());

  f->path = g_build_filename (tmpdir, name, NULL);
  f->store = kdx_store_create (f->path, "Beispiel Vertrieb GmbH", "en", &error);
  g_assert_no_error (error);
}

static void
make_window (Fixture *f)
{
  g_autoptr(GSimpleAction) show_system = g_simple_action_new ("show-system", G_VARIANT_TYPE_STRING);
  g_autoptr(GSimpleAction) show_requirement = g_simple_action_new ("show-requirement",
                                                                   G_VARIANT_TYPE_STRING);

  /* The window's actions that open a system and a requirement. */
  f->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  g_signal_connect (show_system, "activate", G_CALLBACK (show_system_cb), f);
  g_signal_connect (show_requirement, "activate", G_CALLBACK (show_requirement_cb), f);
  g_action_map_add_action (G_ACTION_MAP (f->window), G_ACTION (show_system));
  g_action_map_add_action (G_ACTION_MAP (f->window), G_ACTION (show_requirement));
  gtk_window_set_default_size (f->window, 1100, 760);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  open_store (f, "Abdeckung");

  f->people[0] = kdx_gui_add_person (f->store, "Dana Dorn", "Vertrieb", FALSE);
  f->people[1] = kdx_gui_add_person (f->store, "Jonas Berg", "Vertrieb", FALSE);
  f->people[2] = kdx_gui_add_person (f->store, "Lea Kaiser", "Vertrieb", FALSE);
  kdx_store_set_actor (f->store, f->people[0]);

  f->policies[DISCLOSURE] = add_policy (f->store, "Disclosure of AI use", NULL);
  f->policies[OVERSIGHT] = add_policy (f->store, "Human oversight of scoring", NULL);
  f->policies[FAIRNESS] = add_policy (f->store, "Fair treatment of customers", NULL);
  f->policies[MINIMISATION] = add_policy (f->store, "Data minimisation", NULL);

  f->systems[SCORING] = add_system (f->store, "Lead scoring B2B", "lead-scoring");
  f->systems[CHATBOT] = add_system (f->store, "Website chat", "sales-chatbot");
  f->systems[CALLS] = add_system (f->store, "Call analysis in service", "call-analysis-customers");

  /* Made from the template that "lead-scoring" suggests, after the
   * systems: so it is suggested to SYS-001, not yet applied. */
  f->policies[LEAD_SCORING] = add_policy (f->store, "Rules for lead scoring", "lead-scoring");

  map (f, SCORING, DISCLOSURE, KDX_COMPLIANCE_COMPLIANT, f->people[0], "2026-10-02", "Audit 2026");
  map (f, SCORING, OVERSIGHT, KDX_COMPLIANCE_PARTIAL, f->people[1], "2026-09-15", NULL);
  map (f, SCORING, FAIRNESS, KDX_COMPLIANCE_NON_COMPLIANT, NULL, "2026-09-20", NULL);
  map (f, CHATBOT, DISCLOSURE, KDX_COMPLIANCE_NOT_ASSESSED, NULL, NULL, NULL);
  map (f, CHATBOT, MINIMISATION, KDX_COMPLIANCE_NOT_APPLICABLE, NULL, NULL, NULL);
  map (f, CALLS, OVERSIGHT, KDX_COMPLIANCE_COMPLIANT, f->people[2], "2026-08-01", NULL);
  map (f, CALLS, DISCLOSURE, KDX_COMPLIANCE_PARTIAL, NULL, NULL, NULL);

  /* What the policies cover in the catalogs. */
  link_requirement (f, DISCLOSURE, "eu-ai-act", "art-50");
  link_requirement (f, DISCLOSURE, "eu-ai-act", "art-4");
  link_requirement (f, OVERSIGHT, "eu-ai-act", "art-26");
  link_requirement (f, OVERSIGHT, "gdpr", "art-22");
  link_requirement (f, FAIRNESS, "gdpr", "art-5");

  make_window (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *other;

  while ((other = kdx_gui_find_toplevel (ADW_TYPE_WINDOW)) != NULL)
    gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (f->window);
  kdx_gui_iterate (50);
  kdx_store_close (f->store);
  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (f->people); i++)
    g_clear_pointer (&f->people[i], g_free);
  for (guint i = 0; i < N_POLICIES; i++)
    g_clear_pointer (&f->policies[i], g_free);
  for (guint i = 0; i < N_SYSTEMS; i++)
    g_clear_pointer (&f->systems[i], g_free);
  g_clear_pointer (&f->shown_system, g_free);
  g_clear_pointer (&f->shown_requirement, g_free);
  g_remove (f->path);
  g_clear_pointer (&f->path, g_free);
}

/* @widget under a header bar, in a toast overlay as in the window. */
static void
set_content (Fixture    *f,
             GtkWidget  *widget,
             const char *title,
             const char *subtitle)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, subtitle));
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), widget);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), box);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window), overlay);
  gtk_window_present (f->window);
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, widget, 10000));
}

/* ------------------------------------------------------------------ */
/* The coverage matrix                                                */

typedef struct
{
  KdxCoverageMatrixView *view;
  guint                  row;
  guint                  column;
  int                    value;
} CellWait;

static gboolean
cell_is (gpointer data)
{
  CellWait *wait = data;

  return kdx_coverage_matrix_view_get_n_rows (wait->view) > wait->row &&
         kdx_coverage_matrix_view_get_n_columns (wait->view) > wait->column &&
         kdx_coverage_matrix_view_get_cell (wait->view, wait->row, wait->column) == wait->value;
}

static void
assert_focus (KdxCoverageMatrixView *view,
              guint                  row,
              guint                  column)
{
  guint r, c;

  g_assert_true (kdx_coverage_matrix_view_get_focus_cell (view, &r, &c));
  g_assert_cmpuint (r, ==, row);
  g_assert_cmpuint (c, ==, column);
}

static void
test_matrix (Fixture       *f,
             gconstpointer  data)
{
  KdxCoverageMatrixView *view = kdx_coverage_matrix_view_new ();
  g_autoptr(KdxCoverageMatrix) matrix = kdx_coverage_matrix_load (f->store, NULL);
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) dark = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = kdx_format_date ("2026-10-02");
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *grid = kdx_coverage_matrix_view_get_grid (view);
  graphene_rect_t area;
  CellWait wait = { view, CALLS, FAIRNESS, KDX_COMPLIANCE_NON_COMPLIANT };
  Pixel p;

  set_content (f, GTK_WIDGET (view), _("Frameworks"), _("Systems × Policies"));
  kdx_coverage_matrix_view_set_store (view, f->store);
  kdx_gui_iterate (200);

  /* Rows and columns by key, as core loads them. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (view, "stack"))), ==, "matrix");
  g_assert_cmpuint (kdx_coverage_matrix_view_get_n_rows (view), ==, N_SYSTEMS);
  g_assert_cmpuint (kdx_coverage_matrix_view_get_n_columns (view), ==, N_POLICIES);
  for (guint s = 0; s < N_SYSTEMS; s++)
    g_assert_cmpstr (kdx_coverage_matrix_view_get_system (view, s), ==, f->systems[s]);
  for (guint p = 0; p < N_POLICIES; p++)
    g_assert_cmpstr (kdx_coverage_matrix_view_get_policy (view, p), ==, f->policies[p]);
  g_assert_cmpstr (kdx_gui_label_of (view, "summary_label"), ==, "3 AI systems × 5 policies");

  /* Every cell as core has it, in every status. */
  for (guint s = 0; s < N_SYSTEMS; s++)
    for (guint p = 0; p < N_POLICIES; p++)
      g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, s, p), ==,
                       (int) matrix->cells[s * N_POLICIES + p] - 1);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, SCORING, DISCLOSURE), ==, KDX_COMPLIANCE_COMPLIANT);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, SCORING, OVERSIGHT), ==, KDX_COMPLIANCE_PARTIAL);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, SCORING, FAIRNESS), ==, KDX_COMPLIANCE_NON_COMPLIANT);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, SCORING, MINIMISATION), ==, -1);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, CHATBOT, DISCLOSURE), ==, KDX_COMPLIANCE_NOT_ASSESSED);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, CHATBOT, MINIMISATION), ==, KDX_COMPLIANCE_NOT_APPLICABLE);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, CALLS, OVERSIGHT), ==, KDX_COMPLIANCE_COMPLIANT);

  /* The legend counts the cells of each status. */
  g_assert_true (kdx_gui_find_by_type (kdx_gui_child (view, "legend_box"), GTK_TYPE_LABEL) != NULL);

  /* What the tooltip says, with the assessment. */
  expected = g_strdup_printf ("SYS-001 · Lead scoring B2B × POL-001 · Disclosure of AI use: "
                              "Compliant (assessed on %s by Dana Dorn)", date);
  text = kdx_coverage_matrix_view_dup_cell_text (view, SCORING, DISCLOSURE);
  g_assert_cmpstr (text, ==, expected);
  g_clear_pointer (&text, g_free);
  text = kdx_coverage_matrix_view_dup_cell_text (view, SCORING, MINIMISATION);
  g_assert_cmpstr (text, ==, "SYS-001 · Lead scoring B2B × POL-004 · Data minimisation: not applied");

  /* The colours as drawn: green, red, and the plain view where nothing
   * applies. */
  light = render (grid);
  g_assert_true (is_green (cell_pixel (view, light, SCORING, DISCLOSURE)));
  g_assert_true (is_green (cell_pixel (view, light, CALLS, OVERSIGHT)));
  g_assert_true (is_red (cell_pixel (view, light, SCORING, FAIRNESS)));
  p = cell_pixel (view, light, SCORING, MINIMISATION);
  g_assert_cmpint (MIN (p.r, MIN (p.g, p.b)), >, 200);
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "coverage-matrix.png");

  /* In dark style the same statuses, on a dark view. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kdx_gui_iterate (300);
  dark = render (grid);
  g_assert_true (is_green (cell_pixel (view, dark, SCORING, DISCLOSURE)));
  g_assert_true (is_red (cell_pixel (view, dark, SCORING, FAIRNESS)));
  p = cell_pixel (view, dark, SCORING, MINIMISATION);
  g_assert_cmpint (MAX (p.r, MAX (p.g, p.b)), <, 80);
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "coverage-matrix-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  kdx_gui_iterate (200);

  /* The keyboard: into the grid, along a row, down, to the row's end,
   * and Enter opens the system. */
  gtk_widget_grab_focus (grid);
  kdx_gui_iterate (100);
  g_assert_true (gtk_widget_has_focus (grid));
  assert_focus (view, 0, 0);
  press_key (XK_Right, FALSE);
  assert_focus (view, 0, 1);
  press_key (XK_Down, FALSE);
  assert_focus (view, 1, 1);
  press_key (XK_End, FALSE);
  assert_focus (view, 1, N_POLICIES - 1);
  press_key (XK_Left, FALSE);
  press_key (XK_Up, FALSE);
  press_key (XK_Up, FALSE);   /* stops at the first row */
  assert_focus (view, 0, N_POLICIES - 2);
  press_key (XK_End, TRUE);
  assert_focus (view, N_SYSTEMS - 1, N_POLICIES - 1);
  press_key (XK_Return, FALSE);
  g_assert_cmpstr (f->shown_system, ==, f->systems[CALLS]);

  /* A click on a cell opens its system too. */
  g_assert_true (kdx_coverage_matrix_view_get_cell_area (view, CHATBOT, MINIMISATION, &area));
  click_at (grid, area.origin.x + area.size.width / 2, area.origin.y + area.size.height / 2);
  g_assert_cmpstr (f->shown_system, ==, f->systems[CHATBOT]);
  assert_focus (view, CHATBOT, MINIMISATION);

  /* Zoom: smaller cells, and the symbols give way to shapes. */
  gtk_widget_activate_action (GTK_WIDGET (view), "matrix.zoom-out", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "matrix.zoom-out", NULL);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell_size (view), ==, 12);
  kdx_gui_iterate (100);
  g_clear_object (&light);
  light = render (grid);
  g_assert_true (is_red (cell_pixel (view, light, SCORING, FAIRNESS)));
  gtk_widget_activate_action (GTK_WIDGET (view), "matrix.zoom-in", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "matrix.zoom-in", NULL);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell_size (view), ==, 24);

  /* A change in core shows at once, and the keyboard stays on its cell. */
  map (f, CALLS, FAIRNESS, KDX_COMPLIANCE_NON_COMPLIANT, NULL, NULL, NULL);
  g_assert_true (kdx_gui_wait_for (cell_is, &wait, 30000));
  assert_focus (view, CHATBOT, MINIMISATION);
  g_assert_true (kdx_mapping_remove_system_policy (f->store, f->systems[CALLS],
                                                   f->policies[FAIRNESS], &error));
  g_assert_no_error (error);
  wait.value = -1;
  g_assert_true (kdx_gui_wait_for (cell_is, &wait, 30000));
}

static void
test_matrix_empty (Fixture       *f,
                   gconstpointer  data)
{
  KdxCoverageMatrixView *view = kdx_coverage_matrix_view_new ();
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "Leer.kodex", NULL);

  store = kdx_store_create (path, "Leer GmbH", "en", &error);
  g_assert_no_error (error);
  set_content (f, GTK_WIDGET (view), _("Frameworks"), NULL);
  kdx_coverage_matrix_view_set_store (view, store);
  kdx_gui_iterate (100);

  /* No systems: the next step is to register them. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (view, "stack"))), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (kdx_gui_child (view, "empty_page"))), ==,
                   "No AI Systems Yet");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (kdx_gui_child (view, "empty_button"))), ==,
                   "win.area");

  kdx_coverage_matrix_view_set_store (view, NULL);
  kdx_store_close (store);
  g_remove (path);
}

/* ------------------------------------------------------------------ */
/* 300 × 300                                                          */

static void
test_matrix_large (Fixture       *f,
                   gconstpointer  data)
{
  const guint n = 300;
  KdxCoverageMatrixView *view = kdx_coverage_matrix_view_new ();
  g_autoptr(KdxCoverageMatrix) matrix = NULL;
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) systems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(KdxCoverageMatrix) dense = NULL;
  GtkWidget *grid = kdx_coverage_matrix_view_get_grid (view);
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (kdx_gui_child (view, "scroller"));
  GtkAdjustment *h, *v;
  graphene_rect_t area;
  gint64 start;
  int last;

  /* The fixture's 3 × 5 and 297 × 295 more, in one transaction. */
  start = g_get_monotonic_time ();
  g_assert_true (kdx_store_begin (f->store, &error));
  for (guint i = N_POLICIES; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Policy %u", i + 1);

      g_ptr_array_add (policies, add_policy (f->store, title, NULL));
    }
  for (guint i = N_SYSTEMS; i < n; i++)
    {
      g_autoptr(KdxSystem) system = kdx_system_new ();
      g_autofree char *name = g_strdup_printf ("System %u", i + 1);

      kdx_system_set_name (system, name);
      g_assert_true (kdx_system_create (f->store, system, &error));
      g_assert_no_error (error);
      g_ptr_array_add (systems, g_strdup (kdx_system_get_uuid (system)));
    }
  for (guint s = 0; s < systems->len; s++)
    for (guint k = 0; k < 4; k++)
      {
        guint p = (s * 7 + k * 53) % policies->len;

        g_assert_true (kdx_mapping_set_system_policy (f->store, systems->pdata[s], policies->pdata[p],
                                                      (s + k) % KDX_COMPLIANCE_N_STATES, NULL, NULL,
                                                      NULL, &error));
        g_assert_no_error (error);
      }
  /* The last cell is sure to hold something. */
  g_assert_true (kdx_mapping_set_system_policy (f->store, systems->pdata[systems->len - 1],
                                                policies->pdata[policies->len - 1],
                                                KDX_COMPLIANCE_NON_COMPLIANT, NULL, NULL, NULL, &error));
  g_assert_true (kdx_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_test_message ("300 × 300 made in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  set_content (f, GTK_WIDGET (view), _("Frameworks"), _("Systems × Policies"));
  kdx_coverage_matrix_view_set_store (view, f->store);
  kdx_gui_iterate (200);
  matrix = kdx_coverage_matrix_load (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kdx_coverage_matrix_view_get_n_rows (view), ==, n);
  g_assert_cmpuint (kdx_coverage_matrix_view_get_n_columns (view), ==, n);

  /* The adjustments span every cell, not more. */
  h = gtk_scrolled_window_get_hadjustment (scroller);
  v = gtk_scrolled_window_get_vadjustment (scroller);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), ==, n * 24.0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (v), ==, n * 24.0);
  g_assert_false (kdx_coverage_matrix_view_get_cell_area (view, n - 1, n - 1, &area));

  /* Scrolled to the end, the last cell is in view and drawn as core has it. */
  gtk_adjustment_set_value (h, gtk_adjustment_get_upper (h));
  gtk_adjustment_set_value (v, gtk_adjustment_get_upper (v));
  kdx_gui_iterate (200);
  g_assert_true (kdx_coverage_matrix_view_get_cell_area (view, n - 1, n - 1, &area));
  last = (int) matrix->cells[(gsize) n * n - 1] - 1;
  g_assert_cmpint (last, ==, KDX_COMPLIANCE_NON_COMPLIANT);
  g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, n - 1, n - 1), ==, last);
  for (guint i = 0; i < 20; i++)
    {
      guint s = g_test_rand_int_range (0, n), p = g_test_rand_int_range (0, n);

      g_assert_cmpint (kdx_coverage_matrix_view_get_cell (view, s, p), ==,
                       (int) matrix->cells[(gsize) s * n + p] - 1);
    }
  texture = render (grid);
  g_assert_true (is_red (cell_pixel (view, texture, n - 1, n - 1)));
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "coverage-matrix-large.png");

  /* The keyboard goes home and back to the end, scrolling along. */
  gtk_widget_grab_focus (grid);
  kdx_gui_iterate (100);
  press_key (XK_Home, TRUE);
  assert_focus (view, 0, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (h), ==, 0);
  press_key (XK_End, TRUE);
  assert_focus (view, n - 1, n - 1);
  g_assert_true (kdx_coverage_matrix_view_get_cell_area (view, n - 1, n - 1, &area));
  press_key (XK_Page_Up, FALSE);
  g_assert_true (kdx_coverage_matrix_view_get_focus_cell (view, &(guint) { 0 }, NULL));

  /* Every cell mapped, as one image rather than a node per cell: the
   * same colours at both zooms. */
  dense = g_new0 (KdxCoverageMatrix, 1);
  dense->n_systems = dense->n_policies = n;
  dense->system_uuids = g_strdupv (matrix->system_uuids);
  dense->system_labels = g_strdupv (matrix->system_labels);
  dense->policy_uuids = g_strdupv (matrix->policy_uuids);
  dense->policy_labels = g_strdupv (matrix->policy_labels);
  dense->cells = g_malloc ((gsize) n * n);
  for (guint s = 0; s < n; s++)
    for (guint p = 0; p < n; p++)
      dense->cells[(gsize) s * n + p] = (s + p) % KDX_COMPLIANCE_N_STATES + 1;
  kdx_coverage_matrix_view_set_matrix (view, g_steal_pointer (&dense));
  for (guint zoom = 0; zoom < 2; zoom++)
    {
      g_clear_object (&texture);
      kdx_gui_iterate (100);
      gtk_adjustment_set_value (h, 0);
      gtk_adjustment_set_value (v, 0);
      kdx_gui_iterate (200);
      texture = render (grid);
      for (guint s = 0; s < 6; s++)
        for (guint p = 0; p < 6; p++)
          {
            Pixel pixel = cell_pixel (view, texture, s, p);
            int status = kdx_coverage_matrix_view_get_cell (view, s, p);

            g_assert_cmpint (status, ==, (int) (s + p) % KDX_COMPLIANCE_N_STATES);
            if (status == KDX_COMPLIANCE_COMPLIANT)
              g_assert_true (is_green (pixel));
            else if (status == KDX_COMPLIANCE_NON_COMPLIANT)
              g_assert_true (is_red (pixel));
          }
      if (zoom == 0)
        kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "coverage-matrix-dense.png");
      kdx_coverage_matrix_view_set_cell_size (view, 8);
    }
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "coverage-matrix-dense-small.png");
}

/* ------------------------------------------------------------------ */
/* The Policies section                                               */

static gboolean
picker_shown (gpointer data)
{
  GtkWidget *picker = kdx_gui_find_toplevel (ADW_TYPE_WINDOW);

  return picker != NULL && kdx_gui_is_drawn (picker);
}

static void
test_policies (Fixture       *f,
               gconstpointer  data)
{
  KdxSystemPolicies *section = kdx_system_policies_new ();
  g_autoptr(GPtrArray) rows = NULL;
  KdxMappingRow *row;
  GtkWidget *oversight_row, *suggested, *picker, *search, *evidence;

  set_content (f, GTK_WIDGET (section), "Lead scoring B2B", _("Policies"));
  kdx_system_policies_set_system (section, f->store, f->systems[SCORING]);
  kdx_gui_iterate (100);

  /* The three policies applied, and what that means as a whole. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (section, "stack"))), ==, "list");
  g_assert_cmpstr (kdx_gui_label_of (section, "summary_label"), ==, "Not compliant: 1 policy non-compliant");
  g_assert_cmpstr (kdx_gui_label_of (section, "detail_label"), ==,
                   "Compliant: 1 · Partially compliant: 1 · Non-compliant: 1");
  g_assert_true (gtk_widget_has_css_class (kdx_gui_child (section, "summary_box"), "non-compliant"));
  oversight_row = kdx_gui_named (section, f->policies[OVERSIGHT]);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (oversight_row)), ==,
                   "POL-002 · Human oversight of scoring");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (kdx_gui_named (oversight_row, "status"))), ==,
                    KDX_COMPLIANCE_PARTIAL);
  g_assert_null (kdx_gui_find_by_name (kdx_gui_child (section, "policies_list"), f->policies[MINIMISATION]));

  /* The use case suggests the policy made from its template. */
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (section, "suggested_group")));
  suggested = kdx_gui_named (kdx_gui_child (section, "suggested_list"), f->policies[LEAD_SCORING]);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (suggested)), ==,
                   "POL-005 · Rules for lead scoring");

  /* The status drop-down: human oversight turns out not to be met. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kdx_gui_named (oversight_row, "status")),
                              KDX_COMPLIANCE_NON_COMPLIANT);
  kdx_gui_iterate (100);
  rows = system_policies (f, SCORING);
  row = mapping_of (rows, f->policies[OVERSIGHT]);
  g_assert_nonnull (row);
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NON_COMPLIANT);
  g_assert_cmpstr (row->assessor_name, ==, "Jonas Berg");
  g_assert_cmpstr (kdx_gui_label_of (section, "summary_label"), ==, "Not compliant: 2 policies non-compliant");
  g_assert_cmpstr (kdx_gui_label_of (section, "detail_label"), ==, "Compliant: 1 · Non-compliant: 2");

  /* The evidence note, saved on Apply. */
  oversight_row = kdx_gui_named (section, f->policies[OVERSIGHT]);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (oversight_row), TRUE);
  evidence = kdx_gui_named (oversight_row, "evidence");
  gtk_editable_set_text (GTK_EDITABLE (evidence), "Review of 40 scored leads, 2026-10");
  g_signal_emit_by_name (evidence, "apply");
  kdx_gui_iterate (100);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (f, SCORING);
  g_assert_cmpstr (mapping_of (rows, f->policies[OVERSIGHT])->evidence, ==,
                   "Review of 40 scored leads, 2026-10");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (kdx_gui_named (section, f->policies[OVERSIGHT]))));

  /* One click applies the suggested policy, not assessed yet. */
  suggested = kdx_gui_named (kdx_gui_child (section, "suggested_list"), f->policies[LEAD_SCORING]);
  kdx_gui_click (kdx_gui_named (suggested, "apply"));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (f, SCORING);
  row = mapping_of (rows, f->policies[LEAD_SCORING]);
  g_assert_nonnull (row);
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NOT_ASSESSED);
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (section, "suggested_group")));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (kdx_gui_named (section, f->policies[LEAD_SCORING]))));
  g_assert_cmpstr (kdx_gui_label_of (section, "detail_label"), ==,
                   "Compliant: 1 · Non-compliant: 2 · Not assessed: 1");

  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-policies.png");

  /* Apply Policy…: search, Enter. */
  kdx_system_policies_apply (section);
  g_assert_true (kdx_gui_wait_for (picker_shown, NULL, 30000));
  picker = kdx_gui_find_toplevel (ADW_TYPE_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (picker)), ==, "Apply Policy to SYS-001");
  search = kdx_gui_find_by_type (picker, GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (search), "minimisation");
  kdx_gui_iterate (400);
  g_signal_emit_by_name (search, "activate");
  kdx_gui_iterate (100);
  g_assert_null (kdx_gui_find_toplevel (ADW_TYPE_WINDOW));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (f, SCORING);
  g_assert_nonnull (mapping_of (rows, f->policies[MINIMISATION]));
  g_assert_nonnull (kdx_gui_find_by_name (kdx_gui_child (section, "policies_list"), f->policies[MINIMISATION]));

  /* Remove: gone from core and from the list. */
  kdx_gui_click (kdx_gui_named (kdx_gui_named (section, f->policies[FAIRNESS]), "remove"));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = system_policies (f, SCORING);
  g_assert_null (mapping_of (rows, f->policies[FAIRNESS]));
  g_assert_null (kdx_gui_find_by_name (kdx_gui_child (section, "policies_list"), f->policies[FAIRNESS]));
  g_assert_cmpstr (kdx_gui_label_of (section, "summary_label"), ==, "Not compliant: 1 policy non-compliant");
}

static void
test_policies_empty (Fixture       *f,
                     gconstpointer  data)
{
  KdxSystemPolicies *section = kdx_system_policies_new ();
  g_autoptr(GError) error = NULL;

  /* SYS-003 without its two policies: nothing applied, nothing suggested
   * (no policy of the workspace comes from its use case's templates). */
  g_assert_true (kdx_mapping_remove_system_policy (f->store, f->systems[CALLS],
                                                   f->policies[OVERSIGHT], &error));
  g_assert_true (kdx_mapping_remove_system_policy (f->store, f->systems[CALLS],
                                                   f->policies[DISCLOSURE], &error));
  g_assert_no_error (error);
  set_content (f, GTK_WIDGET (section), "Call analysis in service", _("Policies"));
  kdx_system_policies_set_system (section, f->store, f->systems[CALLS]);
  kdx_gui_iterate (100);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (section, "stack"))), ==, "empty");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (kdx_gui_child (section, "empty_button"))), ==,
                   "policies.apply");
  g_assert_true (gtk_widget_is_sensitive (kdx_gui_child (section, "empty_button")));
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-policies-empty.png");

  /* Applied from elsewhere, it shows here. */
  map (f, CALLS, FAIRNESS, KDX_COMPLIANCE_COMPLIANT, NULL, NULL, NULL);
  kdx_gui_iterate (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (section, "stack"))), ==, "list");
  g_assert_cmpstr (kdx_gui_label_of (section, "summary_label"), ==, "Compliant with the 1 policy that applies");
}

/* ------------------------------------------------------------------ */
/* The Frameworks section                                             */

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;

  return FALSE;
}

static KdxSystemCoverage *
coverage_of (GPtrArray  *rows,
             const char *system)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (((KdxSystemCoverage *) rows->pdata[i])->system, system))
      return rows->pdata[i];

  return NULL;
}

typedef struct
{
  KdxSystemFrameworks *section;
  GPtrArray           *catalogs;
} CountWait;

static gboolean
all_counted (gpointer data)
{
  CountWait *wait = data;

  for (guint i = 0; i < wait->catalogs->len; i++)
    if (!kdx_system_frameworks_get_counts (wait->section,
                                           ((KdxCatalog *) wait->catalogs->pdata[i])->key, NULL))
      return FALSE;

  return TRUE;
}

static void
test_frameworks (Fixture       *f,
                 gconstpointer  data)
{
  KdxSystemFrameworks *section = kdx_system_frameworks_new ();
  g_autoptr(GPtrArray) catalogs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) obligations = NULL;
  KdxRequirementCoverage *first = NULL, *art50 = NULL;
  GtkWidget *ai_act, *gap, *button;
  guint n_checked = 0;
  CountWait wait;

  catalogs = kdx_catalog_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (catalogs->len, >=, 5);

  set_content (f, GTK_WIDGET (section), "Call analysis in service", _("Frameworks"));
  kdx_system_frameworks_set_system (section, f->store, f->systems[CALLS]);
  kdx_gui_iterate (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (section, "stack"))), ==, "list");

  /* The law is counted at once, the others when the main loop is idle. */
  g_assert_true (kdx_system_frameworks_get_counts (section, "eu-ai-act", NULL));
  wait.section = section;
  wait.catalogs = catalogs;
  g_assert_true (kdx_gui_wait_for (all_counted, &wait, 60000));

  /* Per catalog, the counts that core computes for all systems. */
  for (guint i = 0; i < catalogs->len; i++)
    {
      KdxCatalog *catalog = catalogs->pdata[i];
      g_autoptr(GPtrArray) all = kdx_coverage_systems (f->store, catalog->key, &error);
      KdxSystemCoverage *expected;
      KdxFrameworkCounts shown;
      GtkWidget *row = kdx_gui_named (kdx_gui_child (section, "catalogs_list"), catalog->key);

      g_assert_no_error (error);
      expected = coverage_of (all, f->systems[CALLS]);
      g_assert_nonnull (expected);
      g_assert_true (kdx_system_frameworks_get_counts (section, catalog->key, &shown));
      g_assert_cmpuint (shown.required, ==, expected->n_required);
      g_assert_cmpuint (shown.covered, ==, expected->n_covered);
      g_assert_cmpuint (shown.partly, ==, expected->n_partly);
      g_assert_cmpuint (shown.gap, ==, expected->n_gap);
      if (expected->n_required > 0)
        {
          g_autofree char *covered = g_strdup_printf ("%u of %u", expected->n_covered,
                                                      expected->n_required);

          g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), covered));
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >=, 4);

  /* The law first and open, its rows the obligations not covered. */
  ai_act = gtk_widget_get_first_child (kdx_gui_child (section, "catalogs_list"));
  g_assert_cmpstr (gtk_widget_get_name (ai_act), ==, "eu-ai-act");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (ai_act)));
  obligations = kdx_coverage_system_requirements (f->store, f->systems[CALLS], "eu-ai-act", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < obligations->len; i++)
    {
      KdxRequirementCoverage *obligation = obligations->pdata[i];

      if (obligation->coverage == KDX_COVERAGE_COVERED)
        g_assert_null (kdx_gui_find_by_name (ai_act, obligation->code));
      else
        {
          gap = kdx_gui_named (ai_act, obligation->code);
          g_assert_true (has_label (gap, kdx_coverage_get_label (obligation->coverage)));
          if (first == NULL)
            first = obligation;
        }
      if (g_str_equal (obligation->code, "art-50"))
        art50 = obligation;
    }
  g_assert_nonnull (first);

  /* A requirement not covered leads to its place in Frameworks. */
  button = kdx_gui_find_by_type (kdx_gui_named (ai_act, first->code), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  kdx_gui_click (button);
  g_assert_cmpstr (f->shown_requirement, ==, first->uuid);

  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-frameworks.png");

  /* Art. 50 is partly covered while its policy is assessed partial;
   * assessed compliant, it is covered and leaves the list. */
  g_assert_nonnull (art50);
  g_assert_cmpint (art50->coverage, ==, KDX_COVERAGE_PARTLY);
  map (f, CALLS, DISCLOSURE, KDX_COMPLIANCE_COMPLIANT, NULL, NULL, NULL);
  kdx_gui_iterate (100);
  ai_act = kdx_gui_named (kdx_gui_child (section, "catalogs_list"), "eu-ai-act");
  g_assert_null (kdx_gui_find_by_name (ai_act, "art-50"));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (ai_act)));
}

/* ------------------------------------------------------------------ */

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int status;

  kdx_gui_test_init (&argc, &argv, "kodex-sections-XXXXXX", &tmpdir, &shot_dir);

  ADD ("/kdx/system-sections/matrix", test_matrix);
  ADD ("/kdx/system-sections/matrix-empty", test_matrix_empty);
  ADD ("/kdx/system-sections/matrix-large", test_matrix_large);
  ADD ("/kdx/system-sections/policies", test_policies);
  ADD ("/kdx/system-sections/policies-empty", test_policies_empty);
  ADD ("/kdx/system-sections/frameworks", test_frameworks);

  status = kdx_gui_test_run (&app, 0);
  g_rmdir (tmpdir);

  return status;
}
