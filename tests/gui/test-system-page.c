/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI tests of the AI Systems area in a plain window under Xvfb, on a real
 * workspace with people and the policies of the templates: register a
 * system through the New AI System dialog, filter and search the
 * register, edit the overview and the data & privacy facts in place,
 * the customer notice in German and English with its export, and trash
 * with Undo — with screenshots of the register, the dialog, the overview
 * and the notice.
 */
#define G_LOG_DOMAIN "kdx-test-system-page"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-application.h"
#include "kdx-classify.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-system-page.h"
#include "kdx-system-view.h"
#include "kdx-ui-resources.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>

#define ORGANISATION "Brenner & Hoffmann Vertrieb"

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

typedef struct
{
  char          *path;
  KdxStore      *store;
  GtkWindow     *window;
  KdxSystemPage *page;
  char          *people[3];
} Fixture;

/* ------------------------------------------------------------------ */
/* Widgets                                                            */

static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found)
        return found;
    }

  return NULL;
}

/* The check button of a data category. */
static GtkWidget *
find_category (GtkWidget  *root,
               const char *category)
{
  if (GTK_IS_CHECK_BUTTON (root) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (root), "category"), category) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_category (child, category);

      if (found)
        return found;
    }

  return NULL;
}

static KdxSystemView *
view_of (Fixture *f)
{
  return KDX_SYSTEM_VIEW (kdx_system_page_get_view (f->page));
}

static const char *
shown_child (Fixture    *f,
             const char *stack_id)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (f->page, stack_id)));
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (kdx_system_page_get_model (f->page));
}

static char *
text_view_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GtkListBoxRow *
use_case_row (GtkWidget  *dialog,
              const char *use_case)
{
  GtkListBoxRow *row = kdx_gui_find_row (kdx_gui_named (dialog, "use-case-list"), "use-case",
                                         use_case);

  g_assert_nonnull (row);
  return row;
}

static KdxSystem *
load_system (Fixture    *f,
             const char *uuid_or_key)
{
  g_autoptr(GError) error = NULL;
  KdxSystem *system = kdx_system_load (f->store, uuid_or_key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (system);

  return system;
}

static char *
add_system (Fixture    *f,
            const char *name,
            const char *use_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxSystem) system = kdx_system_create_from_use_case (f->store, name, use_case, &error);

  g_assert_no_error (error);
  g_assert_nonnull (system);

  return g_strdup (kdx_system_get_uuid (system));
}

/* The facts the register shows beside a name, as a manager fills them in. */
static void
describe_system (Fixture      *f,
                 const char   *uuid,
                 const char   *vendor,
                 const char   *department,
                 const char   *owner,
                 KdxLifecycle  lifecycle)
{
  g_autoptr(KdxSystem) system = load_system (f, uuid);
  g_autoptr(GError) error = NULL;

  kdx_system_set_vendor (system, vendor);
  kdx_system_set_department (system, department);
  kdx_system_set_business_owner (system, owner);
  kdx_system_set_lifecycle (system, lifecycle);
  g_assert_true (kdx_system_update (f->store, system, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ */
/* Fixture                                                            */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Systeme-%u.kodex", g_random_int ());
  GtkWidget *box, *header, *overlay;
  guint n = 0;

  f->path = g_build_filename (tmpdir, name, NULL);
  f->store = kdx_store_create (f->path, ORGANISATION, "de", &error);
  g_assert_no_error (error);

  f->people[0] = kdx_gui_add_person (f->store, "Dr. Petra Engel", "Recht", TRUE);
  f->people[1] = kdx_gui_add_person (f->store, "Jonas Weber", "Vertrieb Innendienst", TRUE);
  f->people[2] = kdx_gui_add_person (f->store, "Leonie Schäfer", "Marketing", TRUE);
  kdx_store_set_actor (f->store, f->people[0]);

  /* The policies of the templates, lead scoring among them: a system
   * from the library is mapped to those it suggests. */
  g_assert_true (kdx_policy_create_from_templates (f->store, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >, 0);

  /* A toast overlay as the window has one, for the Undo of a trashing. */
  f->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  gtk_window_set_default_size (f->window, 1280, 800);
  f->page = kdx_system_page_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (f->page), TRUE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new ("KI-Systeme", ORGANISATION));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->page));
  overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), box);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window), overlay);
  kdx_system_page_set_store (f->page, f->store);
  gtk_window_present (f->window);
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, f->page, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *dialog;

  while ((dialog = kdx_gui_find_toplevel (ADW_TYPE_WINDOW)) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (f->window);
  kdx_gui_iterate (50);
  kdx_store_close (f->store);
  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (f->people); i++)
    g_clear_pointer (&f->people[i], g_free);
  g_remove (f->path);
  g_clear_pointer (&f->path, g_free);
}

/* ------------------------------------------------------------------ */
/* The register                                                       */

static void
test_register (Fixture       *f,
               gconstpointer  data)
{
  KdxSystemView *view;
  GtkWidget *dialog;
  GtkWidget *name_row;
  GtkWidget *create;
  GtkWidget *error_label;
  g_autoptr(KdxSystem) lead = NULL;
  g_autofree char *credit = NULL;
  g_autofree char *calls = NULL;
  g_autofree char *chatbot = NULL;

  /* An empty register says what to do. */
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (shown_child (f, "content_stack"), ==, "empty");

  /* Register a system from the use-case library through the dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "systems.new", NULL));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_WINDOW);
  name_row = kdx_gui_find_by_name (dialog, "name-row");
  create = kdx_gui_find_by_name (dialog, "create-button");
  error_label = kdx_gui_find_by_name (dialog, "error-label");
  g_assert_nonnull (name_row);
  g_assert_nonnull (create);
  /* Nothing chosen, nothing typed: nothing to create yet. */
  g_assert_false (gtk_widget_get_sensitive (create));
  gtk_list_box_select_row (GTK_LIST_BOX (kdx_gui_find_by_name (dialog, "use-case-list")),
                           use_case_row (dialog, "lead-scoring"));
  g_assert_false (gtk_widget_get_sensitive (create));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Lead-Scoring CRM");
  g_assert_true (gtk_widget_get_sensitive (create));
  kdx_gui_screenshot (dialog, shot_dir, "system-new.png");
  g_signal_emit_by_name (create, "clicked");
  kdx_gui_iterate (100);
  g_assert_null (kdx_gui_find_toplevel (ADW_TYPE_WINDOW));

  /* The new system opens, classified from the library's answers. */
  g_assert_cmpstr (shown_child (f, "main_stack"), ==, "system");
  view = view_of (f);
  lead = load_system (f, kdx_system_view_get_system (view));
  g_assert_cmpstr (kdx_system_get_name (lead), ==, "Lead-Scoring CRM");
  g_assert_cmpstr (kdx_system_get_use_case (lead), ==, "lead-scoring");
  g_assert_cmpint (kdx_system_get_risk (lead), ==, KDX_RISK_MINIMAL);
  g_assert_cmpstr (kdx_gui_label_of (view, "title_label"), ==, "Lead-Scoring CRM");
  g_assert_cmpstr (kdx_gui_label_of (view, "risk_label"), ==,
                   kdx_risk_class_get_label (KDX_RISK_MINIMAL));
  g_assert_true (gtk_widget_has_css_class (kdx_gui_child (view, "risk_label"),
                                           "kdx-classify-risk-minimal"));

  /* Back in the register: one row, its suggested policies applied. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "systems.back", NULL));
  g_assert_cmpstr (shown_child (f, "main_stack"), ==, "browse");
  g_assert_cmpuint (n_rows (f), ==, 1);
  g_assert_cmpstr (shown_child (f, "content_stack"), ==, "list");
  g_assert_cmpstr (kdx_gui_label_of (f->page, "count_label"), ==, "1 system");
  {
    g_autoptr(KdxSystem) shown = g_list_model_get_item (kdx_system_page_get_model (f->page), 0);

    g_assert_cmpuint (kdx_system_get_n_policies (shown), >, 0);
    g_assert_cmpint (kdx_system_get_compliance (shown), ==, KDX_COMPLIANCE_NOT_ASSESSED);
  }

  /* The same name again is refused in the dialog, which keeps it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "systems.new", NULL));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_WINDOW);
  name_row = kdx_gui_find_by_name (dialog, "name-row");
  create = kdx_gui_find_by_name (dialog, "create-button");
  error_label = kdx_gui_find_by_name (dialog, "error-label");
  gtk_list_box_select_row (GTK_LIST_BOX (kdx_gui_find_by_name (dialog, "use-case-list")),
                           use_case_row (dialog, NULL));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Lead-Scoring CRM");
  g_signal_emit_by_name (create, "clicked");
  kdx_gui_iterate (50);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), !=, "");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Lead-Scoring CRM");
  g_assert_cmpint (kdx_system_count (f->store), ==, 1);
  /* Another name clears the complaint; "Other" starts a system empty. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Angebotsassistent (Eigenentwicklung)");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_signal_emit_by_name (create, "clicked");
  kdx_gui_iterate (100);
  g_assert_null (kdx_gui_find_toplevel (ADW_TYPE_WINDOW));
  g_assert_cmpint (kdx_system_count (f->store), ==, 2);
  g_assert_cmpstr (shown_child (f, "main_stack"), ==, "system");
  g_assert_cmpstr (kdx_gui_label_of (view, "title_label"), ==, "Angebotsassistent (Eigenentwicklung)");
  g_assert_cmpstr (kdx_gui_label_of (view, "risk_label"), ==, "Not classified");
  kdx_system_page_show_list (f->page);

  /* Escape closes the dialog, and nothing is registered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "systems.new", NULL));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_WINDOW);
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_find_by_name (dialog, "name-row")), "Verworfen");
  gtk_widget_activate_action (dialog, "window.close", NULL);
  kdx_gui_iterate (50);
  g_assert_null (kdx_gui_find_toplevel (ADW_TYPE_WINDOW));
  g_assert_cmpint (kdx_system_count (f->store), ==, 2);

  /* Three more, made with the core API, appear at once. */
  credit = add_system (f, "Bonitätsprüfung Webshop", "credit-check");
  calls = add_system (f, "Stimmungsanalyse Außendienst", "call-analysis-employees");
  chatbot = add_system (f, "Website-Chatbot „Lea“", "sales-chatbot");
  kdx_gui_iterate (50);
  g_assert_cmpuint (n_rows (f), ==, 5);
  g_assert_cmpstr (kdx_gui_label_of (f->page, "count_label"), ==, "5 systems");
  describe_system (f, credit, "Schufa", "Vertrieb Innendienst", f->people[1],
                   KDX_LIFECYCLE_PRODUCTION);
  describe_system (f, calls, "Cogito", "Vertrieb Außendienst", f->people[2], KDX_LIFECYCLE_PILOT);
  describe_system (f, chatbot, "Parloa", "Marketing", f->people[2], KDX_LIFECYCLE_PRODUCTION);
  describe_system (f, kdx_system_get_uuid (lead), "Salesforce", "Vertrieb Innendienst", f->people[1],
                   KDX_LIFECYCLE_PRODUCTION);
  kdx_gui_iterate (50);

  /* By department, and by owner. */
  {
    GtkDropDown *departments = GTK_DROP_DOWN (kdx_gui_child (f->page, "department_dropdown"));
    GListModel *names = gtk_drop_down_get_model (departments);
    guint found = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < g_list_model_get_n_items (names); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i),
                       "Vertrieb Innendienst"))
        found = i;
    g_assert_cmpuint (found, !=, GTK_INVALID_LIST_POSITION);
    gtk_drop_down_set_selected (departments, found);
    g_assert_cmpuint (n_rows (f), ==, 2);
    gtk_drop_down_set_selected (departments, 0);
  }
  kdx_person_chooser_set_person (KDX_PERSON_CHOOSER (kdx_gui_child (f->page, "owner_chooser")),
                                 f->people[2]);
  g_signal_emit_by_name (kdx_gui_child (f->page, "owner_chooser"), "chosen", f->people[2]);
  g_assert_cmpuint (n_rows (f), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "systems.clear-filters", NULL));
  g_assert_cmpuint (n_rows (f), ==, 5);

  /* Filters: by risk class. */
  kdx_system_page_set_risk_filter (f->page, KDX_RISK_HIGH);
  g_assert_cmpuint (n_rows (f), ==, 1);
  {
    g_autoptr(KdxSystem) shown = g_list_model_get_item (kdx_system_page_get_model (f->page), 0);

    g_assert_cmpstr (kdx_system_get_uuid (shown), ==, credit);
  }
  g_assert_cmpstr (kdx_gui_label_of (f->page, "count_label"), ==, "1 of 5 systems");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kdx_gui_child (f->page, "risk_dropdown")),
                              1 + KDX_RISK_PROHIBITED);
  g_assert_cmpuint (n_rows (f), ==, 1);
  {
    g_autoptr(KdxSystem) shown = g_list_model_get_item (kdx_system_page_get_model (f->page), 0);

    g_assert_cmpstr (kdx_system_get_uuid (shown), ==, calls);
  }
  /* The one started empty is not classified yet. */
  kdx_system_page_set_risk_filter (f->page, KDX_RISK_UNCLASSIFIED);
  g_assert_cmpuint (n_rows (f), ==, 1);
  /* A filter on top that matches nothing says so. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kdx_gui_child (f->page, "lifecycle_dropdown")),
                              1 + KDX_LIFECYCLE_RETIRED);
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (shown_child (f, "content_stack"), ==, "no-results");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "systems.clear-filters", NULL));
  g_assert_cmpuint (n_rows (f), ==, 5);

  /* By use case: the first of the library, and none of it. */
  {
    GtkDropDown *use_cases = GTK_DROP_DOWN (kdx_gui_child (f->page, "use_case_dropdown"));
    guint n = g_list_model_get_n_items (gtk_drop_down_get_model (use_cases));

    gtk_drop_down_set_selected (use_cases, 1);
    g_assert_cmpuint (n_rows (f), ==, 1);
    gtk_drop_down_set_selected (use_cases, n - 1);
    g_assert_cmpuint (n_rows (f), ==, 1);
    {
      g_autoptr(KdxSystem) shown = g_list_model_get_item (kdx_system_page_get_model (f->page), 0);

      g_assert_null (kdx_system_get_use_case (shown));
    }
    gtk_drop_down_set_selected (use_cases, 0);
  }

  /* Sorted by a column header: by name, Z to A. */
  {
    GtkColumnView *table = GTK_COLUMN_VIEW (kdx_gui_child (f->page, "column_view"));
    GListModel *columns = gtk_column_view_get_columns (table);
    g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (columns, 1);
    g_autoptr(KdxSystem) first = NULL;

    gtk_column_view_sort_by_column (table, name, GTK_SORT_DESCENDING);
    first = g_list_model_get_item (kdx_system_page_get_model (f->page), 0);
    g_assert_cmpstr (kdx_system_get_uuid (first), ==, chatbot);
    gtk_column_view_sort_by_column (table, NULL, GTK_SORT_ASCENDING);
    g_clear_object (&first);
    first = g_list_model_get_item (kdx_system_page_get_model (f->page), 0);
    g_assert_cmpstr (kdx_system_get_key (first), ==, "SYS-001");
  }

  /* Search: part of a name; then a text nothing has. */
  kdx_system_page_set_search (f->page, "chatbot");
  g_assert_cmpuint (n_rows (f), ==, 1);
  {
    g_autoptr(KdxSystem) shown = g_list_model_get_item (kdx_system_page_get_model (f->page), 0);

    g_assert_cmpstr (kdx_system_get_uuid (shown), ==, chatbot);
  }
  kdx_system_page_set_search (f->page, "Quantencomputer");
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpstr (shown_child (f, "content_stack"), ==, "no-results");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "systems.clear-filters", NULL));
  g_assert_cmpuint (n_rows (f), ==, 5);
  g_assert_cmpstr (shown_child (f, "content_stack"), ==, "list");

  /* Activating a row opens its system. */
  g_signal_emit_by_name (kdx_gui_child (f->page, "column_view"), "activate", 0);
  g_assert_cmpstr (shown_child (f, "main_stack"), ==, "system");
  g_assert_nonnull (kdx_system_view_get_system (view));
  kdx_system_page_show_list (f->page);

  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-register.png");
}

/* ------------------------------------------------------------------ */
/* Overview and Data & Privacy                                        */

static void
test_overview (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *uuid = add_system (f, "Lead-Scoring CRM", "lead-scoring");
  g_autofree char *other = add_system (f, "Bonitätsprüfung Webshop", "credit-check");
  KdxSystemView *view = view_of (f);
  GtkWidget *vendor_row, *name_row, *version_row, *date_row;
  GtkWidget *voice = NULL;

  kdx_system_page_show_system (f->page, "SYS-001");
  g_assert_cmpstr (kdx_system_view_get_system (view), ==, uuid);
  vendor_row = kdx_gui_child (view, "vendor_row");
  name_row = kdx_gui_child (view, "name_row");
  version_row = kdx_gui_child (view, "version_row");

  /* An applied row is stored. */
  gtk_editable_set_text (GTK_EDITABLE (vendor_row), "Salesforce");
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);

    g_assert_null (kdx_system_get_vendor (stored));
  }
  g_signal_emit_by_name (vendor_row, "apply");
  kdx_gui_iterate (50);
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);

    g_assert_cmpstr (kdx_system_get_vendor (stored), ==, "Salesforce");
  }
  g_assert_nonnull (strstr (kdx_gui_label_of (view, "subtitle_label"), "Salesforce"));

  /* A row that is left is stored too. */
  gtk_widget_grab_focus (version_row);
  kdx_gui_iterate (50);
  gtk_editable_set_text (GTK_EDITABLE (version_row), "Einstein 2024.2");
  gtk_widget_grab_focus (vendor_row);
  kdx_gui_iterate (50);
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);

    g_assert_cmpstr (kdx_system_get_version (stored), ==, "Einstein 2024.2");
  }

  /* A name another system has is refused; what was typed stays. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Bonitätsprüfung Webshop");
  g_signal_emit_by_name (name_row, "apply");
  kdx_gui_iterate (50);
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Bonitätsprüfung Webshop");
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);

    g_assert_cmpstr (kdx_system_get_name (stored), ==, "Lead-Scoring CRM");
  }
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Lead-Scoring CRM (Firmenkunden)");
  g_signal_emit_by_name (name_row, "apply");
  kdx_gui_iterate (50);
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (kdx_gui_label_of (view, "title_label"), ==, "Lead-Scoring CRM (Firmenkunden)");

  /* Owners and the lifecycle. */
  g_signal_emit_by_name (kdx_gui_child (view, "business_owner_chooser"), "chosen", f->people[1]);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_child (view, "lifecycle_row")), KDX_LIFECYCLE_PILOT);
  kdx_gui_iterate (50);
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);

    g_assert_cmpint (kdx_system_get_lifecycle (stored), ==, KDX_LIFECYCLE_PILOT);
  }
  g_assert_cmpstr (kdx_gui_label_of (view, "lifecycle_label"), ==,
                   kdx_lifecycle_get_label (KDX_LIFECYCLE_PILOT));
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_child (view, "department_row")), "Vertrieb Innendienst");
  g_signal_emit_by_name (kdx_gui_child (view, "department_row"), "apply");
  kdx_gui_iterate (50);
  gtk_window_set_focus (f->window, NULL);
  gtk_editable_select_region (GTK_EDITABLE (vendor_row), 0, 0);
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-overview.png");

  /* Data & Privacy: tick "Voice recordings". */
  kdx_system_view_show_section (view, "data");
  voice = find_category (kdx_gui_child (view, "categories_row"), "voice");
  g_assert_nonnull (voice);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (voice)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (voice), TRUE);
  kdx_gui_iterate (50);
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);

    g_assert_true (g_strv_contains ((const char * const *) kdx_system_get_data_categories (stored),
                                    "voice"));
    /* The library's categories are still there. */
    g_assert_true (g_strv_contains ((const char * const *) kdx_system_get_data_categories (stored),
                                    "company"));
  }

  /* A date that is none is refused and stays to be fixed; a real one is stored. */
  date_row = kdx_gui_child (view, "dpia_date_row");
  gtk_editable_set_text (GTK_EDITABLE (date_row), "31.02.2026");
  g_signal_emit_by_name (date_row, "apply");
  kdx_gui_iterate (50);
  g_assert_true (gtk_widget_has_css_class (date_row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (date_row)), ==, "31.02.2026");
  gtk_editable_set_text (GTK_EDITABLE (date_row), "2026-03-31");
  g_signal_emit_by_name (date_row, "apply");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_child (view, "dpia_status_row")), KDX_DPIA_DONE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_child (view, "legal_basis_row")),
                              1 + KDX_LEGAL_BASIS_CONTRACT);
  kdx_gui_iterate (50);
  g_assert_false (gtk_widget_has_css_class (date_row, "error"));
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);

    g_assert_cmpstr (kdx_system_get_dpia_date (stored), ==, "2026-03-31");
    g_assert_cmpint (kdx_system_get_dpia_status (stored), ==, KDX_DPIA_DONE);
    g_assert_cmpint (kdx_system_get_legal_basis (stored), ==, KDX_LEGAL_BASIS_CONTRACT);
    /* Every edit kept the others. */
    g_assert_cmpstr (kdx_system_get_vendor (stored), ==, "Salesforce");
    g_assert_cmpstr (kdx_system_get_business_owner (stored), ==, f->people[1]);
    g_assert_cmpstr (kdx_system_get_department (stored), ==, "Vertrieb Innendienst");
  }
}

/* ------------------------------------------------------------------ */
/* The customer notice                                                */

static gboolean
notice_stored (gpointer data)
{
  Fixture *f = data;
  g_autoptr(KdxSystem) stored = kdx_system_load (f->store, "SYS-001", NULL);

  return stored != NULL && kdx_system_get_notice (stored, "en") != NULL;
}

static char *
read_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);

  return contents;
}

static void
test_notice (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *uuid = add_system (f, "Website-Chatbot", "sales-chatbot");
  KdxSystemView *view = view_of (f);
  GtkWidget *notice_view, *reset;
  GtkTextBuffer *buffer;
  g_autofree char *german = NULL;
  g_autofree char *english = NULL;
  g_autofree char *html_path = g_build_filename (tmpdir, "hinweis.html", NULL);
  g_autofree char *text_path = g_build_filename (tmpdir, "notice.txt", NULL);
  g_autoptr(GFile) html_file = g_file_new_for_path (html_path);
  g_autoptr(GFile) text_file = g_file_new_for_path (text_path);
  g_autofree char *html = NULL;
  g_autofree char *text = NULL;
  struct stat st;
  GtkTextIter end;

  kdx_system_page_show_system (f->page, uuid);
  kdx_system_view_show_section (view, "data");
  notice_view = kdx_gui_child (view, "notice_view");
  reset = kdx_gui_child (view, "notice_reset_button");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (notice_view));

  /* German first, in a German workspace; it names the organisation. */
  g_assert_cmpstr (kdx_system_view_get_notice_language (view), ==, "de");
  german = text_view_text (notice_view);
  g_assert_nonnull (strstr (german, ORGANISATION));
  g_assert_nonnull (strstr (german, "Website-Chatbot"));
  g_assert_false (gtk_widget_get_visible (reset));

  /* English, by the language switch. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (kdx_gui_child (view, "english_button")), TRUE);
  g_assert_cmpstr (kdx_system_view_get_notice_language (view), ==, "en");
  english = text_view_text (notice_view);
  g_assert_nonnull (strstr (english, ORGANISATION));
  g_assert_cmpstr (english, !=, german);

  /* An edit is stored after a pause in typing; Reset shows. */
  gtk_widget_grab_focus (notice_view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, "\n\nCall us: 0800 123 456 ", -1, TRUE);
  g_assert_true (kdx_gui_wait_for (notice_stored, f, 3000));
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);
    g_autofree char *shown = text_view_text (notice_view);

    g_assert_nonnull (strstr (kdx_system_get_notice (stored, "en"), "Call us: 0800 123 456"));
    /* What is typed stays as typed, the space at its end too. */
    g_assert_true (g_str_has_suffix (shown, "0800 123 456 "));
    /* The German one is still the generated one. */
    g_assert_null (kdx_system_get_notice (stored, "de"));
  }
  g_assert_true (gtk_widget_get_visible (reset));
  /* The notice and the buttons below it, in sight. */
  kdx_gui_iterate (100);
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (notice_view, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment;

    adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  }
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-notice.png");

  /* Reset to Generated. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "system.reset-notice", NULL));
  kdx_gui_iterate (50);
  {
    g_autoptr(KdxSystem) stored = load_system (f, uuid);
    g_autofree char *shown = text_view_text (notice_view);

    g_assert_null (kdx_system_get_notice (stored, "en"));
    g_assert_cmpstr (shown, ==, english);
  }
  g_assert_false (gtk_widget_get_visible (reset));

  /* Export: HTML in German, escaped, private. */
  kdx_system_view_set_notice_language (view, "de");
  g_assert_true (kdx_system_view_export_notice (view, html_file));
  html = read_file (html_file);
  g_assert_nonnull (strstr (html, "<html lang=\"de\">"));
  g_assert_nonnull (strstr (html, "Brenner &amp; Hoffmann Vertrieb"));
  g_assert_null (strstr (html, "Brenner & Hoffmann"));
  g_assert_cmpint (g_stat (html_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Plain text, over a file that was there (and readable by all). */
  g_assert_true (g_file_set_contents (text_path, "alt", -1, NULL));
  g_assert_cmpint (g_chmod (text_path, 0644), ==, 0);
  g_assert_true (kdx_system_view_export_notice (view, text_file));
  text = read_file (text_file);
  g_assert_nonnull (strstr (text, ORGANISATION));
  g_assert_null (strstr (text, "<p>"));
  g_assert_cmpint (g_stat (text_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A folder that is not there: a message, no file. */
  {
    g_autofree char *missing_path = g_build_filename (tmpdir, "fehlt", "hinweis.txt", NULL);
    g_autoptr(GFile) missing = g_file_new_for_path (missing_path);

    g_assert_false (kdx_system_view_export_notice (view, missing));
    g_assert_false (g_file_test (missing_path, G_FILE_TEST_EXISTS));
  }

  g_remove (html_path);
  g_remove (text_path);
}

/* ------------------------------------------------------------------ */
/* Trash with Undo                                                    */

static void
test_trash (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *uuid = add_system (f, "Preisoptimierung", "dynamic-pricing");
  KdxSystemView *view = view_of (f);
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (f->page), ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *undo = NULL;

  kdx_gui_iterate (50);
  g_assert_cmpuint (n_rows (f), ==, 1);
  kdx_system_page_show_system (f->page, uuid);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "system.trash", NULL));
  kdx_gui_iterate (100);

  /* Gone from the register, back on the list, with Undo on a toast. */
  g_assert_cmpstr (shown_child (f, "main_stack"), ==, "browse");
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpint (kdx_system_count (f->store), ==, 0);
  for (guint i = 0; i < 50 && undo == NULL; i++)
    {
      kdx_gui_iterate (20);
      undo = find_button_labelled (overlay, "_Undo");
    }
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  kdx_gui_iterate (100);
  g_assert_cmpint (kdx_system_count (f->store), ==, 1);
  g_assert_cmpuint (n_rows (f), ==, 1);
}

/* ------------------------------------------------------------------ */

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int status;

  kdx_gui_test_init (&argc, &argv, "kodex-systems-XXXXXX", &tmpdir, &shot_dir);

  ADD ("/kdx/system-page/register", test_register);
  ADD ("/kdx/system-page/overview", test_overview);
  ADD ("/kdx/system-page/notice", test_notice);
  ADD ("/kdx/system-page/trash", test_trash);

  status = kdx_gui_test_run (&app, 0);
  g_rmdir (tmpdir);
  g_free (tmpdir);
  g_free (shot_dir);

  return status;
}
