/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI test of the policy area, in the real window under Xvfb, the way a
 * committee uses it: write a policy from a template, submit it, vote it
 * through the quorum as three members, publish it, have it acknowledged,
 * start a new version and compare it, find it with Ctrl+K — with
 * screenshots of the list, the editor with its preview and a comparison.
 */
#define G_LOG_DOMAIN "kdx-test-gui-policies"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-application.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-policy-acks.h"
#include "kdx-policy-editor.h"
#include "kdx-policy-page.h"
#include "kdx-policy-view.h"
#include "kdx-search-window.h"
#include "kdx-ui-resources.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>
#include <locale.h>
#include <sys/stat.h>

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;


/* Answers the message dialog that is open, after typing @text into its
 * entry (when it has one). */
static void
answer_dialog (const char *response,
               const char *text)
{
  GtkWidget *dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  GtkWidget *entry;

  entry = g_object_get_data (G_OBJECT (dialog), "entry");
  if (text != NULL)
    {
      g_assert_nonnull (entry);
      gtk_editable_set_text (GTK_EDITABLE (entry), text);
    }
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), response));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  kdx_gui_iterate (100);
}

static KdxVersionStatus
shown_status (KdxPolicyView *view,
              KdxStore      *store)
{
  g_autoptr(KdxPolicyVersion) version = kdx_policy_version_load (store,
                                                                 kdx_policy_view_get_version (view),
                                                                 NULL);

  g_assert_nonnull (version);

  return kdx_policy_version_get_status (version);
}

static void
test_policy_lifecycle (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "Richtlinien.kodex", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) acks = NULL;
  g_autoptr(GtkTextBuffer) keep = NULL;
  KdxWindow *window = kdx_window_new (app);
  KdxPolicyPage *page;
  KdxPolicyView *view;
  KdxStore *store;
  GtkWidget *source;
  GtkWidget *dialog;
  GtkTextBuffer *buffer;
  KdxSearchWindow *search;
  char *members[3];
  char *staff[2];
  const char *policy;
  g_autofree char *policy_uuid = NULL;
  g_autofree char *v1 = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kdx_window_create_workspace (window, path, "Brenner & Hoffmann"));
  store = kdx_window_get_store (window);
  members[0] = kdx_gui_add_person (store, "Dr. Petra Engel", "Recht", TRUE);
  members[1] = kdx_gui_add_person (store, "Martin Seidel", "Recht", TRUE);
  members[2] = kdx_gui_add_person (store, "Birgit Frank", "Betriebsrat", TRUE);
  staff[0] = kdx_gui_add_person (store, "Jonas Weber", "Vertrieb", FALSE);
  staff[1] = kdx_gui_add_person (store, "Leonie Schäfer", "Vertrieb", FALSE);
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:3", &error));
  kdx_store_set_actor (store, members[0]);

  /* A new policy from the template of the code of conduct. */
  kdx_window_show_area (window, "policies");
  page = KDX_POLICY_PAGE (kdx_window_get_page (window, "policies"));
  view = KDX_POLICY_VIEW (kdx_policy_page_get_view (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-policy", NULL));
  kdx_gui_iterate (200);
  dialog = kdx_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  /* The first template is the code of conduct; it fills in the title. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_find_by_type (dialog, ADW_TYPE_COMBO_ROW)), 1);
  answer_dialog ("create", NULL);

  policy = kdx_policy_view_get_policy (view);
  g_assert_nonnull (policy);
  policy_uuid = g_strdup (policy);
  v1 = g_strdup (kdx_policy_view_get_version (view));
  g_assert_cmpint (shown_status (view, store), ==, KDX_VERSION_DRAFT);

  /* Typing is stored without a Save button. */
  source = kdx_gui_find_by_type (GTK_WIDGET (view), GTK_SOURCE_TYPE_VIEW);
  g_assert_nonnull (source);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (source));
  keep = g_object_ref (buffer);
  gtk_widget_grab_focus (source);
  {
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_place_cursor (buffer, &end);
    gtk_text_buffer_insert_interactive_at_cursor (buffer, "\n## Ergänzung des Gremiums\n\n"
                                                  "Jede Kampagne mit KI wird vorab geprüft.\n",
                                                  -1, TRUE);
  }
  kdx_gui_iterate (1200);
  {
    g_autoptr(KdxPolicyVersion) stored = kdx_policy_version_load (store, v1, &error);

    g_assert_nonnull (strstr (kdx_policy_version_get_body (stored), "Jede Kampagne mit KI"));
  }
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policies-editor.png");

  /* Submit with a change summary: no summary, no submission. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "policy.submit", NULL));
  kdx_gui_iterate (100);
  dialog = kdx_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "submit"));
  answer_dialog ("submit", "Erste Fassung für das Gremium");
  g_assert_cmpint (shown_status (view, store), ==, KDX_VERSION_REVIEW);
  /* A version in review is no longer editable. */
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (source)));

  /* Three members vote as themselves; the third approval meets the quorum. */
  for (guint i = 0; i < 3; i++)
    {
      kdx_store_set_actor (store, members[i]);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "policy.vote", NULL));
      answer_dialog ("approve", i == 2 ? "Einverstanden" : NULL);
      g_assert_cmpint (shown_status (view, store), ==,
                       i < 2 ? KDX_VERSION_REVIEW : KDX_VERSION_APPROVED);
    }
  /* Voting twice is refused by core; the view says why in a toast. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (view), "policy.vote", NULL) &&
                  shown_status (view, store) == KDX_VERSION_REVIEW);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "policy.publish", NULL));
  answer_dialog ("publish", "2026-12-01");
  g_assert_cmpint (shown_status (view, store), ==, KDX_VERSION_PUBLISHED);

  /* Everyone must acknowledge; Vertrieb is recorded in bulk. */
  kdx_policy_view_show_tab (view, "acks");
  {
    GtkWidget *acks = kdx_gui_find_by_type (GTK_WIDGET (view), KDX_TYPE_POLICY_ACKS);

    adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_find_by_id (acks, "scope_row")), KDX_ACK_ALL);
    kdx_gui_iterate (100);
    kdx_policy_acks_show_department (KDX_POLICY_ACKS (acks), "Vertrieb");
    kdx_gui_iterate (100);
    g_signal_emit_by_name (kdx_gui_find_by_id (acks, "record_all_button"), "clicked");
    kdx_gui_iterate (100);

    /* A CSV file for the others: a wrong line imports nothing, a right file all. */
    {
      g_autofree char *csv_path = g_build_filename (tmpdir, "kenntnisnahmen.csv", NULL);
      g_autofree char *bad = g_strdup_printf ("Person;Richtlinie;Version;Datum\r\n"
                                              "%s;COC-001;1.0;02.12.2026\r\n"
                                              "niemand@example.org;COC-001;1.0;02.12.2026\r\n",
                                              members[0]);
      g_autofree char *good = g_strdup_printf ("Person;Richtlinie;Version;Datum\r\n"
                                               "%s;COC-001;1.0;02.12.2026\r\n", members[0]);
      g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
      g_autoptr(GError) csv_error = NULL;

      g_assert_true (g_file_set_contents (csv_path, bad, -1, NULL));
      g_assert_false (kdx_policy_acks_import_file (KDX_POLICY_ACKS (acks), csv, NULL, &csv_error));
      g_assert_nonnull (strstr (csv_error->message, "3"));
      g_assert_cmpint (kdx_store_count (store, "SELECT count(*) FROM policy_ack"), ==, 2);
      g_assert_true (g_file_set_contents (csv_path, good, -1, NULL));
      g_assert_true (kdx_policy_acks_import_file (KDX_POLICY_ACKS (acks), csv, NULL, NULL));
      g_assert_cmpint (kdx_store_count (store, "SELECT count(*) FROM policy_ack"), ==, 3);
      kdx_gui_iterate (100);
    }
    kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policy-acknowledgements.png");
  }
  acks = kdx_policy_ack_status (store, v1, "Vertrieb", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acks->len, ==, 2);
  for (guint i = 0; i < acks->len; i++)
    g_assert_nonnull (((KdxAckRow *) acks->pdata[i])->time);

  /* A minor new version, edited, and compared with the published one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "policy.new-version", NULL));
  answer_dialog ("minor", NULL);
  g_assert_cmpint (shown_status (view, store), ==, KDX_VERSION_DRAFT);
  g_assert_cmpstr (kdx_policy_view_get_version (view), !=, v1);
  source = kdx_gui_find_by_type (GTK_WIDGET (view), GTK_SOURCE_TYPE_VIEW);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (source));
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;
    g_autoptr(GString) changed = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    changed = g_string_new (text);
    g_string_replace (changed, "vorab geprüft", "vor dem Start vom Gremium freigegeben", 1);
    gtk_text_buffer_set_text (buffer, changed->str, -1);
  }
  kdx_policy_view_flush (view);
  kdx_policy_view_show_tab (view, "compare");
  kdx_gui_iterate (1500);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policy-compare.png");

  /* Ctrl+K finds the new wording and opens its version. */
  kdx_policy_page_show_list (page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.global-search", NULL));
  kdx_gui_iterate (200);
  search = KDX_SEARCH_WINDOW (kdx_gui_find_toplevel (KDX_TYPE_SEARCH_WINDOW));
  g_assert_nonnull (search);
  kdx_search_window_set_text (search, "Gremium freigegeben");
  g_assert_cmpuint (kdx_search_window_get_n_results (search), ==, 1);
  kdx_gui_screenshot (GTK_WIDGET (search), shot_dir, "search.png");
  kdx_search_window_activate (search, 0);
  kdx_gui_iterate (200);
  g_assert_cmpstr (kdx_policy_view_get_policy (view), ==, policy_uuid);

  kdx_policy_page_show_list (page);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policies.png");

  for (guint i = 0; i < 3; i++)
    g_free (members[i]);
  for (guint i = 0; i < 2; i++)
    g_free (staff[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  kdx_gui_iterate (100);
}

/* The demo workspace: the list of policies as a newcomer sees it. */
static void
test_demo_list (void)
{
  KdxWindow *window = kdx_window_new (app);
  KdxPolicyPage *page;
  GListModel *model;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-demo", NULL));
  for (guint i = 0; i < 100 && kdx_window_get_store (window) == NULL; i++)
    kdx_gui_iterate (100);
  g_assert_nonnull (kdx_window_get_store (window));

  kdx_window_show_area (window, "policies");
  page = KDX_POLICY_PAGE (kdx_window_get_page (window, "policies"));
  model = kdx_policy_page_get_model (page);
  kdx_gui_iterate (300);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 11);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policies-demo.png");

  kdx_policy_page_show_policy (page, "COC-001", NULL);
  kdx_gui_iterate (300);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policy-demo-coc.png");
  kdx_policy_view_show_tab (KDX_POLICY_VIEW (kdx_policy_page_get_view (page)), "review");
  kdx_gui_iterate (200);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "policy-demo-review.png");

  gtk_window_destroy (GTK_WINDOW (window));
  kdx_gui_iterate (100);
}

int
main (int   argc,
      char *argv[])
{
  kdx_gui_test_init (&argc, &argv, "kodex-gui-policies-XXXXXX", &tmpdir, &shot_dir);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  umask (022);

  g_test_add_func ("/kdx/gui/policies/lifecycle", test_policy_lifecycle);
  g_test_add_func ("/kdx/gui/policies/demo-list", test_demo_list);

  return kdx_gui_test_run (&app, G_APPLICATION_HANDLES_OPEN);
}
