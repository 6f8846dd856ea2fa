/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI test of the Frameworks area and of a policy's Mappings tab, in the
 * real window under Xvfb on a real workspace: the shipped catalogs with
 * the EU AI Act's legal status, the gaps of a catalog, a policy linked to
 * Art. 50 from the detail pane, the Gaps filter, a catalog imported from
 * a file and removed again, a hostile file refused with its line; then a
 * requirement and an AI system added to a policy, the system assessed as
 * partially compliant with evidence. What is stored is read back through
 * core; screenshots of the catalog, a requirement and the mappings.
 */
#define G_LOG_DOMAIN "kdx-test-gui-frameworks"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-application.h"
#include "kdx-catalog.h"
#include "kdx-coverage-matrix.h"
#include "kdx-frameworks-page.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-policy-mappings.h"
#include "kdx-policy-page.h"
#include "kdx-policy-view.h"
#include "kdx-system.h"
#include "kdx-ui-resources.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

static const char small_catalog[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"vertriebsregeln\" version=\"2\" as-of=\"2026-10-01\">\n"
  "  <title xml:lang=\"en\">Sales house rules</title>\n"
  "  <title xml:lang=\"de\">Hausregeln Vertrieb</title>\n"
  "  <source>Brenner &amp; Hoffmann, internal</source>\n"
  "  <licence>Internal use only.</licence>\n"
  "  <requirement id=\"HR-1\" label=\"HR 1\">\n"
  "    <title xml:lang=\"en\">No AI offer without a person who answers for it</title>\n"
  "    <requirement id=\"HR-1.1\" label=\"HR 1.1\">\n"
  "      <title xml:lang=\"en\">Name the account owner in every generated offer</title>\n"
  "    </requirement>\n"
  "  </requirement>\n"
  "  <requirement id=\"HR-2\" label=\"HR 2\">\n"
  "    <title xml:lang=\"en\">Customers can always reach a person</title>\n"
  "  </requirement>\n"
  "</catalog>\n";

static const char doctype_catalog[] =
  "<?xml version=\"1.0\"?>\n"
  "<!DOCTYPE catalog [ <!ENTITY x \"xxxxxxxxxxxxxxxxxxxx\"> ]>\n"
  "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"boese\" as-of=\"2026-10-01\">\n"
  "  <title xml:lang=\"en\">&x;</title>\n"
  "</catalog>\n";

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static char *
add_policy (KdxStore   *store,
            const char *title)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GError) error = NULL;

  kdx_policy_set_title (policy, title);
  kdx_policy_set_kind (policy, KDX_POLICY_KIND_POLICY);
  kdx_policy_set_area (policy, KDX_POLICY_AREA_TRANSPARENCY);
  g_assert_true (kdx_policy_create (store, policy, "# Regel\n\nText.\n", &error));
  g_assert_no_error (error);

  return g_strdup (kdx_policy_get_uuid (policy));
}

static const char *
policy_key (KdxStore   *store,
            const char *uuid)
{
  static char key[32];
  g_autoptr(KdxPolicy) policy = kdx_policy_load (store, uuid, NULL);

  g_assert_nonnull (policy);
  g_strlcpy (key, kdx_policy_get_key (policy), sizeof key);

  return key;
}

/* Submits the policy's first version, votes it through as three
 * committee members and publishes it. */
static void
publish_policy (KdxStore   *store,
                const char *policy,
                char      **members)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = kdx_policy_list_versions (store, policy, &error);
  const char *version;

  g_assert_no_error (error);
  version = kdx_policy_version_get_uuid (versions->pdata[0]);
  kdx_store_set_actor (store, members[0]);
  g_assert_true (kdx_policy_submit (store, version, "Erste Fassung", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      kdx_store_set_actor (store, members[i]);
      g_assert_true (kdx_policy_vote (store, version, KDX_VOTE_APPROVE, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (kdx_policy_publish (store, version, "2026-11-01", &error));
  g_assert_no_error (error);
  kdx_store_set_actor (store, members[0]);
}

/* A workspace with three committee members, a published policy, a draft
 * and two AI systems from the use-case library. */
static KdxStore *
make_workspace (KdxWindow  *window,
                const char *name,
                char      **members,
                char      **published,
                char      **draft)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxSystem) chatbot = NULL;
  g_autoptr(KdxSystem) scoring = NULL;
  KdxStore *store;

  g_assert_true (kdx_window_create_workspace (window, path, "Brenner & Hoffmann"));
  store = kdx_window_get_store (window);
  members[0] = kdx_gui_add_person (store, "Dr. Petra Engel", "Vertrieb", TRUE);
  members[1] = kdx_gui_add_person (store, "Martin Seidel", "Vertrieb", TRUE);
  members[2] = kdx_gui_add_person (store, "Birgit Frank", "Vertrieb", TRUE);
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:3", &error));
  kdx_store_set_actor (store, members[0]);

  *published = add_policy (store, "Offenlegung von KI im Kundenkontakt");
  *draft = add_policy (store, "KI-Kompetenz im Vertrieb");
  publish_policy (store, *published, members);

  chatbot = kdx_system_create_from_use_case (store, "Website-Chatbot", "sales-chatbot", &error);
  g_assert_no_error (error);
  scoring = kdx_system_create_from_use_case (store, "Lead-Scoring", "lead-scoring", &error);
  g_assert_no_error (error);

  return store;
}

/* The Frameworks page in the window: the window's own once it shows the
 * area, else one put where the area's content goes. */
static KdxFrameworksPage *
frameworks_page (KdxWindow *window)
{
  GtkWidget *page;
  GtkWidget *stack;
  KdxFrameworksPage *own;

  kdx_window_show_area (window, "frameworks");
  page = kdx_window_get_page (window, "frameworks");
  if (KDX_IS_FRAMEWORKS_PAGE (page))
    return KDX_FRAMEWORKS_PAGE (page);

  stack = page != NULL ? gtk_widget_get_parent (page)
                       : kdx_gui_find_by_id (GTK_WIDGET (window), "area_stack");
  g_assert_true (GTK_IS_STACK (stack));
  own = kdx_frameworks_page_new ();
  gtk_stack_add_named (GTK_STACK (stack), GTK_WIDGET (own), "frameworks-under-test");
  gtk_stack_set_visible_child (GTK_STACK (stack), GTK_WIDGET (own));
  kdx_frameworks_page_set_store (own, kdx_window_get_store (window));

  return own;
}

/* Like kdx_gui_find_by_type(), among the widgets shown: a drop-down's
 * hidden popover has a search entry and a list of its own. */
static GtkWidget *
find_shown (GtkWidget *root,
            GType      type)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_containing (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Whether a toast with @text is shown: the toasts queued before it are
 * closed one by one, as a person would click them away. */
static gboolean
toast_shown (GtkWidget  *window,
             const char *text)
{
  for (guint i = 0; i < 150; i++)
    {
      GType type = g_type_from_name ("AdwToastWidget");
      GtkWidget *toast = type != 0 ? kdx_gui_find_by_type (window, type) : NULL;

      if (toast != NULL && find_label_containing (toast, text) != NULL)
        return TRUE;
      if (toast != NULL && kdx_gui_find_by_id (toast, "close_button") != NULL)
        g_signal_emit_by_name (kdx_gui_find_by_id (toast, "close_button"), "clicked");
      kdx_gui_iterate (100);
    }

  return FALSE;
}

/* Opens Link Policy…, once the button is on screen as a person sees it. */
static void
popup_link_button (KdxFrameworksPage *page)
{
  GtkWidget *button = kdx_gui_find_by_id (GTK_WIDGET (page), "link_button");

  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, button, 10000));
  kdx_gui_iterate (100);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
}

static gboolean
import_done (gpointer data)
{
  return !kdx_frameworks_page_get_busy (data);
}

static guint
n_catalogs (KdxStore *store)
{
  g_autoptr(GPtrArray) catalogs = kdx_catalog_list (store, NULL);

  g_assert_nonnull (catalogs);
  return catalogs->len;
}

static guint
n_gaps (KdxStore   *store,
        const char *catalog)
{
  g_autoptr(GPtrArray) gaps = kdx_coverage_requirements (store, catalog, KDX_COVERAGE_GAP, NULL);

  g_assert_nonnull (gaps);
  return gaps->len;
}

static void
set_search (GtkWidget  *page,
            const char *text)
{
  GtkWidget *entry = kdx_gui_find_by_id (page, "search_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* A search entry reports a change after a short pause; under a
   * sanitizer that pause can be long. */
  g_signal_emit_by_name (entry, "search-changed");
  kdx_gui_iterate (100);
}

/* ------------------------------------------------------------------ */
/* The Frameworks area                                                */

static void
test_catalogs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxRequirement) art50 = NULL;
  g_autoptr(KdxRequirement) art4 = NULL;
  g_autofree char *published = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *published_key = NULL;
  g_autofree char *draft_key = NULL;
  g_autofree char *catalog_path = g_build_filename (tmpdir, "hausregeln.xml", NULL);
  g_autofree char *hostile_path = g_build_filename (tmpdir, "boese.xml", NULL);
  g_autoptr(GFile) catalog_file = g_file_new_for_path (catalog_path);
  g_autoptr(GFile) hostile_file = g_file_new_for_path (hostile_path);
  KdxWindow *window = kdx_window_new (app);
  KdxFrameworksPage *page;
  KdxStore *store;
  GtkWidget *list;
  GtkWidget *dialog;
  GtkListBoxRow *row;
  char *members[3];
  guint shipped;
  guint gaps;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  store = make_workspace (window, "Rahmenwerke.kodex", members, &published, &draft);
  published_key = g_strdup (policy_key (store, published));
  draft_key = g_strdup (policy_key (store, draft));
  page = frameworks_page (window);
  kdx_gui_iterate (200);

  /* The shipped catalogs are listed; the EU AI Act shows its legal status
   * and the date it reflects. */
  shipped = n_catalogs (store);
  g_assert_cmpuint (shipped, >=, 6);
  list = kdx_gui_find_by_id (GTK_WIDGET (page), "catalog_list");
  {
    guint n = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      n++;
    g_assert_cmpuint (n, ==, shipped);
  }
  row = kdx_gui_find_row (list, "key", "eu-ai-act");
  g_assert_nonnull (row);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (row), "In force since 1 August 2024"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (row), "As of 2026-11-01"));
  /* Shipped catalogs have no Remove button. */
  g_assert_null (kdx_gui_find_by_type (list, GTK_TYPE_BUTTON));
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "frameworks-catalogs.png");

  /* Into the EU AI Act: nothing is mapped yet, every requirement is a gap. */
  g_signal_emit_by_name (list, "row-activated", row);
  kdx_gui_iterate (300);
  g_assert_cmpstr (kdx_frameworks_page_get_catalog (page), ==, "eu-ai-act");
  g_assert_nonnull (strstr (kdx_gui_label_of (GTK_WIDGET (page), "catalog_legal_label"), "In force since"));
  gaps = n_gaps (store, "eu-ai-act");
  g_assert_cmpuint (gaps, >=, 40);
  g_assert_cmpuint (kdx_frameworks_page_get_n_shown (page), ==, gaps);
  expected = g_strdup_printf ("0 covered · 0 partly · %u gaps", gaps);
  g_assert_cmpstr (kdx_gui_label_of (GTK_WIDGET (page), "counts_label"), ==, expected);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-50"), ==, KDX_COVERAGE_GAP);

  /* Art. 50 found by the search, chosen with Enter, shown in the pane. */
  art50 = kdx_requirement_find (store, "eu-ai-act", "art-50", &error);
  g_assert_no_error (error);
  art4 = kdx_requirement_find (store, "eu-ai-act", "art-4", &error);
  g_assert_no_error (error);
  set_search (GTK_WIDGET (page), "art. 50");
  g_assert_cmpuint (kdx_frameworks_page_get_n_shown (page), >=, 1);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-5"), ==, -1);
  g_signal_emit_by_name (kdx_gui_find_by_id (GTK_WIDGET (page), "search_entry"), "activate");
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_frameworks_page_get_requirement (page), ==, art50->uuid);
  g_assert_nonnull (strstr (kdx_gui_label_of (GTK_WIDGET (page), "detail_title_label"), "Transparency"));
  g_assert_cmpstr (kdx_gui_label_of (GTK_WIDGET (page), "detail_coverage_label"), ==, "Gap");

  /* Link Policy… lists the policies; choosing the published one covers
   * Art. 50 and, through it, its paragraphs. */
  popup_link_button (page);
  kdx_gui_iterate (200);
  row = kdx_gui_find_row (kdx_gui_find_by_id (GTK_WIDGET (page), "link_list"), "key", published_key);
  g_assert_nonnull (row);
  g_signal_emit_by_name (kdx_gui_find_by_id (GTK_WIDGET (page), "link_list"), "row-activated", row);
  kdx_gui_iterate (200);
  {
    g_autoptr(GPtrArray) linked = kdx_mapping_list_policies_for_requirement (store, art50->uuid, NULL);

    g_assert_cmpuint (linked->len, ==, 1);
    g_assert_cmpstr (((KdxMappingRow *) linked->pdata[0])->uuid, ==, published);
  }
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-50"), ==, KDX_COVERAGE_COVERED);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-50-1"), ==, KDX_COVERAGE_COVERED);
  g_assert_cmpstr (kdx_gui_label_of (GTK_WIDGET (page), "detail_coverage_label"), ==, "Covered");
  g_assert_cmpstr (kdx_frameworks_page_get_requirement (page), ==, art50->uuid);
  g_assert_nonnull (find_label_containing (kdx_gui_find_by_id (GTK_WIDGET (page), "policies_list"),
                                           published_key));

  /* A policy that is only a draft covers Art. 4 partly. */
  kdx_frameworks_page_show_requirement (page, art4->uuid);
  kdx_gui_iterate (200);
  g_assert_cmpstr (kdx_frameworks_page_get_requirement (page), ==, art4->uuid);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kdx_gui_find_by_id (GTK_WIDGET (page), "search_entry"))), ==, "");
  popup_link_button (page);
  kdx_gui_iterate (200);
  {
    GtkWidget *link_list = kdx_gui_find_by_id (GTK_WIDGET (page), "link_list");
    GtkWidget *search = kdx_gui_find_by_id (GTK_WIDGET (page), "link_search");

    /* Typing narrows the list; Enter takes the first policy left. */
    gtk_editable_set_text (GTK_EDITABLE (search), "Kompetenz");
    g_signal_emit_by_name (search, "search-changed");
    kdx_gui_iterate (100);
    row = kdx_gui_find_row (link_list, "key", published_key);
    g_assert_false (gtk_widget_get_child_visible (GTK_WIDGET (row)));
    g_signal_emit_by_name (search, "activate");
    kdx_gui_iterate (200);
  }
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-4"), ==, KDX_COVERAGE_PARTLY);
  g_assert_cmpstr (kdx_gui_label_of (GTK_WIDGET (page), "detail_coverage_label"), ==, "Partly covered");
  g_free (expected);
  gaps = n_gaps (store, "eu-ai-act");
  {
    g_autoptr(GPtrArray) covered = kdx_coverage_requirements (store, "eu-ai-act", KDX_COVERAGE_COVERED, NULL);

    expected = g_strdup_printf ("%u covered · 1 partly · %u gaps", covered->len, gaps);
  }
  g_assert_cmpstr (kdx_gui_label_of (GTK_WIDGET (page), "counts_label"), ==, expected);

  /* The requirement with its policy, as a committee member sees it. */
  kdx_frameworks_page_show_requirement (page, art50->uuid);
  kdx_gui_iterate (300);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "frameworks-requirement.png");

  /* Gaps: only what no policy covers. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (kdx_gui_find_by_id (GTK_WIDGET (page), "filter_gap")), TRUE);
  kdx_gui_iterate (200);
  g_assert_cmpuint (kdx_frameworks_page_get_n_shown (page), ==, gaps);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-50"), ==, -1);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-4"), ==, -1);
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-26"), ==, KDX_COVERAGE_GAP);
  /* The chosen requirement is no longer listed, nor in the pane. */
  g_assert_null (kdx_frameworks_page_get_requirement (page));
  {
    g_autoptr(KdxRequirement) art26 = kdx_requirement_find (store, "eu-ai-act", "art-26", NULL);

    kdx_frameworks_page_show_requirement (page, art26->uuid);
    kdx_gui_iterate (200);
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (kdx_gui_find_by_id (GTK_WIDGET (page), "filter_gap"))));
    g_assert_cmpstr (kdx_gui_label_of (GTK_WIDGET (page), "detail_coverage_label"), ==, "Gap");
    g_assert_nonnull (find_label_containing (kdx_gui_find_by_id (GTK_WIDGET (page), "policies_list"),
                                             "No policy is linked to it"));
  }
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "frameworks-catalog.png");

  /* Unlinking the draft from Art. 4 makes it a gap again; Undo is offered. */
  kdx_frameworks_page_show_requirement (page, art4->uuid);
  kdx_gui_iterate (200);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (kdx_gui_find_by_id (GTK_WIDGET (page), "filter_gap"))));
  {
    GtkWidget *policies = kdx_gui_find_by_id (GTK_WIDGET (page), "policies_list");
    GtkWidget *unlink = kdx_gui_find_by_type (policies, GTK_TYPE_BUTTON);

    g_assert_nonnull (unlink);
    g_signal_emit_by_name (unlink, "clicked");
    kdx_gui_iterate (200);
  }
  g_assert_cmpint (kdx_frameworks_page_get_shown_coverage (page, "art-4"), ==, KDX_COVERAGE_GAP);
  g_assert_true (toast_shown (GTK_WIDGET (window), "no longer covers Art. 4"));

  /* A small Kodex catalog from a file: listed, and shown. */
  g_assert_true (g_file_set_contents (catalog_path, small_catalog, -1, NULL));
  kdx_frameworks_page_import_file (page, catalog_file);
  g_assert_true (kdx_gui_wait_for (import_done, page, 10000));
  kdx_gui_iterate (200);
  g_assert_cmpuint (n_catalogs (store), ==, shipped + 1);
  g_assert_nonnull (kdx_gui_find_row (list, "key", "vertriebsregeln"));
  g_assert_cmpstr (kdx_frameworks_page_get_catalog (page), ==, "vertriebsregeln");
  g_assert_cmpuint (kdx_frameworks_page_get_n_shown (page), ==, 3);
  g_assert_true (toast_shown (GTK_WIDGET (window), "Imported “Sales house rules” with 3 requirements"));
  g_assert_true (gtk_widget_get_visible (kdx_gui_find_by_id (GTK_WIDGET (page), "remove_button")));

  /* A file with a DOCTYPE: refused with its line, nothing imported. */
  g_assert_true (g_file_set_contents (hostile_path, doctype_catalog, -1, NULL));
  kdx_frameworks_page_import_file (page, hostile_file);
  g_assert_true (kdx_gui_wait_for (import_done, page, 10000));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Cannot Import the Catalog");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "Line 2"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "document type declaration"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "nothing was imported"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  kdx_gui_iterate (100);
  g_assert_cmpuint (n_catalogs (store), ==, shipped + 1);

  /* A catalog a policy points into is not removed; once unlinked it is. */
  {
    g_autoptr(KdxRequirement) hr2 = kdx_requirement_find (store, "vertriebsregeln", "HR-2", &error);

    g_assert_no_error (error);
    g_assert_true (kdx_mapping_link_requirement (store, published, hr2->uuid, &error));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "frameworks.remove-catalog", "s",
                                               "vertriebsregeln"));
    dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
    gtk_window_destroy (GTK_WINDOW (dialog));
    kdx_gui_iterate (200);
    g_assert_cmpuint (n_catalogs (store), ==, shipped + 1);
    g_assert_true (toast_shown (GTK_WIDGET (window), "Remove the link first"));

    g_assert_true (kdx_mapping_unlink_requirement (store, published, hr2->uuid, &error));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "frameworks.remove-catalog", "s",
                                             "vertriebsregeln"));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                            "Sales house rules"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  kdx_gui_iterate (200);
  g_assert_cmpuint (n_catalogs (store), ==, shipped);
  g_assert_null (kdx_gui_find_row (list, "key", "vertriebsregeln"));
  g_assert_null (kdx_frameworks_page_get_catalog (page));

  /* A shipped catalog cannot be removed: the action says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "frameworks.remove-catalog", "s",
                                             "gdpr"));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  kdx_gui_iterate (200);
  g_assert_cmpuint (n_catalogs (store), ==, shipped);

  /* The other tab: the coverage matrix of systems × policies. */
  kdx_frameworks_page_show_matrix (page);
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn,
                                   kdx_gui_find_by_type (GTK_WIDGET (page), KDX_TYPE_COVERAGE_MATRIX_VIEW),
                                   10000));

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_free (members[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  kdx_gui_iterate (100);
}

/* ------------------------------------------------------------------ */
/* The Mappings tab of a policy                                       */

static void
test_policy_mappings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxRequirement) art26 = NULL;
  g_autoptr(GPtrArray) requirements = NULL;
  g_autoptr(GPtrArray) systems = NULL;
  g_autoptr(GPtrArray) catalogs = NULL;
  g_autofree char *published = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *today = NULL;
  KdxWindow *window = kdx_window_new (app);
  KdxPolicyPage *policies;
  KdxPolicyView *view;
  GtkWidget *mappings;
  GtkWidget *picker;
  GtkWidget *evidence = NULL;
  KdxMappingRow *applied;
  KdxStore *store;
  char *members[3];
  guint eu = G_MAXUINT;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  store = make_workspace (window, "Zuordnungen.kodex", members, &published, &draft);

  kdx_window_show_area (window, "policies");
  policies = KDX_POLICY_PAGE (kdx_window_get_page (window, "policies"));
  kdx_policy_page_show_policy (policies, published, NULL);
  view = KDX_POLICY_VIEW (kdx_policy_page_get_view (policies));
  kdx_policy_view_show_tab (view, "mappings");
  kdx_gui_iterate (300);
  mappings = kdx_gui_find_by_type (GTK_WIDGET (view), KDX_TYPE_POLICY_MAPPINGS);
  g_assert_nonnull (mappings);
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, mappings, 10000));
  g_assert_nonnull (find_label_containing (mappings, "It covers no requirement yet"));
  g_assert_nonnull (find_label_containing (mappings, "It applies to no AI system yet"));

  /* Add Requirement…: the EU AI Act, found by searching, taken with Enter. */
  g_assert_true (gtk_widget_activate_action (mappings, "mappings.add-requirement", NULL));
  picker = kdx_gui_wait_for_toplevel (ADW_TYPE_WINDOW);
  catalogs = kdx_catalog_list (store, NULL);
  for (guint i = 0; i < catalogs->len; i++)
    if (g_str_equal (((KdxCatalog *) catalogs->pdata[i])->key, "eu-ai-act"))
      eu = i;
  g_assert_cmpuint (eu, <, catalogs->len);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (kdx_gui_find_by_type (picker, GTK_TYPE_DROP_DOWN)), eu);
  gtk_editable_set_text (GTK_EDITABLE (find_shown (picker, GTK_TYPE_SEARCH_ENTRY)),
                         "Obligations of deployers");
  kdx_gui_iterate (400);
  g_signal_emit_by_name (find_shown (picker, GTK_TYPE_SEARCH_ENTRY), "activate");
  kdx_gui_iterate (200);
  g_assert_null (kdx_gui_find_toplevel (ADW_TYPE_WINDOW));

  art26 = kdx_requirement_find (store, "eu-ai-act", "art-26", &error);
  g_assert_no_error (error);
  requirements = kdx_mapping_list_requirements (store, published, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requirements->len, ==, 1);
  g_assert_cmpstr (((KdxRequirement *) requirements->pdata[0])->uuid, ==, art26->uuid);
  g_assert_nonnull (find_label_containing (mappings, "Art. 26 · "));
  g_assert_null (find_label_containing (mappings, "It covers no requirement yet"));

  /* A requirement of the tab opens in the Frameworks area, and back. */
  {
    GtkWidget *label = find_label_containing (mappings, "Art. 26 · ");
    GtkWidget *row = gtk_widget_get_ancestor (label, GTK_TYPE_LIST_BOX_ROW);
    KdxFrameworksPage *page;

    g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
    kdx_gui_iterate (300);
    g_assert_cmpstr (kdx_window_get_area (window), ==, "frameworks");
    page = KDX_FRAMEWORKS_PAGE (kdx_window_get_page (window, "frameworks"));
    g_assert_cmpstr (kdx_frameworks_page_get_requirement (page), ==, art26->uuid);
    g_assert_cmpstr (kdx_gui_label_of (GTK_WIDGET (page), "detail_coverage_label"), ==, "Covered");
    kdx_window_show_area (window, "policies");
    kdx_gui_iterate (300);
  }

  /* Apply to System…: the chatbot; its row opens for the assessment. */
  g_assert_true (gtk_widget_activate_action (mappings, "mappings.apply-to-system", NULL));
  picker = kdx_gui_wait_for_toplevel (ADW_TYPE_WINDOW);
  gtk_editable_set_text (GTK_EDITABLE (find_shown (picker, GTK_TYPE_SEARCH_ENTRY)),
                         "chatbot");
  kdx_gui_iterate (400);
  g_signal_emit_by_name (find_shown (picker, GTK_TYPE_SEARCH_ENTRY), "activate");
  kdx_gui_iterate (200);
  g_assert_null (kdx_gui_find_toplevel (ADW_TYPE_WINDOW));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (kdx_gui_find_by_type (mappings, ADW_TYPE_EXPANDER_ROW))));

  /* Assessed by a member, partially compliant, with evidence: each saved
   * as it is chosen. */
  {
    GtkWidget *chooser = kdx_gui_find_by_type (mappings, KDX_TYPE_PERSON_CHOOSER);

    kdx_person_chooser_set_person (KDX_PERSON_CHOOSER (chooser), members[1]);
    g_signal_emit_by_name (chooser, "chosen", members[1]);
    kdx_gui_iterate (200);
  }
  adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_find_by_type (mappings, ADW_TYPE_COMBO_ROW)),
                              KDX_COMPLIANCE_PARTIAL);
  kdx_gui_iterate (200);
  for (GtkWidget *w = kdx_gui_find_by_type (mappings, ADW_TYPE_ENTRY_ROW); w != NULL; )
    {
      if (g_str_equal (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "Evidence"))
        {
          evidence = w;
          break;
        }
      w = gtk_widget_get_next_sibling (w);
    }
  g_assert_nonnull (evidence);
  gtk_editable_set_text (GTK_EDITABLE (evidence), "Hinweis im Chatfenster, Protokoll vom 12.11.");
  g_signal_emit_by_name (evidence, "apply");
  kdx_gui_iterate (300);

  systems = kdx_mapping_list_policy_systems (store, published, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (systems->len, ==, 1);
  applied = systems->pdata[0];
  g_assert_cmpstr (applied->title, ==, "Website-Chatbot");
  g_assert_cmpint (applied->compliance, ==, KDX_COMPLIANCE_PARTIAL);
  g_assert_cmpstr (applied->assessor, ==, members[1]);
  g_assert_cmpstr (applied->evidence, ==, "Hinweis im Chatfenster, Protokoll vom 12.11.");
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    today = g_date_time_format (now, "%Y-%m-%d");
  }
  g_assert_cmpstr (applied->date, ==, today);
  /* The row still open, and saying what is stored. */
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (kdx_gui_find_by_type (mappings, ADW_TYPE_EXPANDER_ROW))));
  g_assert_nonnull (find_label_containing (mappings, "Hinweis im Chatfenster"));
  g_assert_nonnull (find_label_containing (mappings, "Partially compliant"));
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policy-mappings.png");

  /* An invalid date is refused by core and the stored one shown again. */
  for (GtkWidget *w = kdx_gui_find_by_type (mappings, ADW_TYPE_ENTRY_ROW); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), "Assessed On"))
      {
        gtk_editable_set_text (GTK_EDITABLE (w), "31.02.2026");
        g_signal_emit_by_name (w, "apply");
        kdx_gui_iterate (200);
        g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==, today);
      }
  g_clear_pointer (&systems, g_ptr_array_unref);
  systems = kdx_mapping_list_policy_systems (store, published, &error);
  g_assert_cmpstr (((KdxMappingRow *) systems->pdata[0])->date, ==, today);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_free (members[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  kdx_gui_iterate (100);
}

int
main (int   argc,
      char *argv[])
{
  kdx_gui_test_init (&argc, &argv, "kodex-gui-frameworks-XXXXXX", &tmpdir, &shot_dir);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  umask (022);

  g_test_add_func ("/kdx/gui/frameworks/catalogs", test_catalogs);
  g_test_add_func ("/kdx/gui/frameworks/policy-mappings", test_policy_mappings);

  return kdx_gui_test_run (&app, G_APPLICATION_HANDLES_OPEN);
}
