/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI tests: the real application and window under Xvfb, driven through
 * their actions and widgets the way a person would use them — create a
 * workspace, add and find a person, delete and undo, choose who one acts
 * as, reopen, see a second window open read-only — with screenshots.
 */
#define G_LOG_DOMAIN "kdx-test-gui"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-application.h"
#include "kdx-journal.h"
#include "kdx-journal-page.h"
#include "kdx-people-page.h"
#include "kdx-person.h"
#include "kdx-person-chooser.h"
#include "kdx-ui-resources.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

/* ------------------------------------------------------------------ */
/* Helpers                                                            */


static KdxWindow *
new_window (void)
{
  KdxWindow *window = kdx_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  kdx_gui_iterate (100);

  return window;
}

static char *
workspace_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_n_items (gpointer data)
{
  CountWait *w = data;

  return g_list_model_get_n_items (w->model) == w->n;
}

static void
assert_n_items (GListModel *model,
                guint       n)
{
  CountWait w = { model, n };

  if (!kdx_gui_wait_for (has_n_items, &w, 3000))
    g_error ("expected %u rows, the list shows %u", n, g_list_model_get_n_items (model));
}

static void
add_person_through_editor (KdxWindow  *window,
                           const char *name,
                           const char *email,
                           const char *department)
{
  GtkWidget *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-person", NULL));
  kdx_gui_iterate (100);
  editor = kdx_gui_find_toplevel (g_type_from_name ("KdxPersonEditor"));
  g_assert_nonnull (editor);

  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_find_by_id (editor, "name_row")), name);
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_find_by_id (editor, "email_row")), email);
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_find_by_id (editor, "department_row")), department);
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  kdx_gui_iterate (100);
}

/* ------------------------------------------------------------------ */
/* The tests                                                          */

static void
test_welcome (void)
{
  KdxWindow *window = new_window ();
  GtkWidget *stack = kdx_gui_find_by_id (GTK_WIDGET (window), "main_stack");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "welcome");
  g_assert_null (kdx_window_get_store (window));
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "welcome.png");

  /* "Open the Demo" makes the demo company on first use and opens it here. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-demo", NULL));
  kdx_gui_iterate (200);
  g_assert_nonnull (kdx_window_get_store (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "workspace");
  g_assert_cmpint (kdx_person_count (kdx_window_get_store (window)), ==, 40);
  kdx_window_show_area (window, "overview");
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "overview.png");
  kdx_window_show_area (window, "people");
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "demo-people.png");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_create_add_find_delete_undo_reopen (void)
{
  g_autofree char *path = workspace_path ("Ethik.kodex");
  KdxWindow *window = new_window ();
  KdxPeoplePage *people;
  GListModel *model;
  GtkWidget *search;
  g_autoptr(KdxPerson) first = NULL;
  struct stat st;

  /* Create: the same call the New Workspace dialog makes. */
  g_assert_true (kdx_window_create_workspace (window, path, "Ethikgremium Test GmbH"));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Ethikgremium Test GmbH");
  g_assert_cmpstr (kdx_window_get_area (window), ==, "people");

  people = KDX_PEOPLE_PAGE (kdx_window_get_page (window, "people"));
  model = kdx_people_page_get_model (people);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  /* Add three people through the editor. */
  add_person_through_editor (window, "Jürgen Müller", "j.mueller@example.de", "Vertrieb");
  add_person_through_editor (window, "Anna Schmidt", "a.schmidt@example.de", "Marketing");
  add_person_through_editor (window, "Oskar Öztürk", "o.oeztuerk@example.de", "Vertrieb");
  assert_n_items (model, 3);
  g_assert_null (kdx_gui_find_toplevel (g_type_from_name ("KdxPersonEditor")));

  /* A bad e-mail keeps the editor open and adds no one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-person", NULL));
  kdx_gui_iterate (100);
  {
    GtkWidget *editor = kdx_gui_find_toplevel (g_type_from_name ("KdxPersonEditor"));

    gtk_editable_set_text (GTK_EDITABLE (kdx_gui_find_by_id (editor, "name_row")), "Ohne Adresse");
    gtk_editable_set_text (GTK_EDITABLE (kdx_gui_find_by_id (editor, "email_row")), "keine adresse");
    gtk_widget_activate_action (editor, "editor.save", NULL);
    kdx_gui_iterate (100);
    g_assert_nonnull (kdx_gui_find_toplevel (g_type_from_name ("KdxPersonEditor")));
    gtk_window_destroy (GTK_WINDOW (editor));
  }
  assert_n_items (model, 3);

  /* Sorted by name. */
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (kdx_person_get_name (first), ==, "Anna Schmidt");

  /* Find: type into the search field as a person would, umlauts folded. */
  search = kdx_gui_find_by_id (GTK_WIDGET (people), "search_entry");
  gtk_editable_set_text (GTK_EDITABLE (search), "muller");
  assert_n_items (model, 1);
  {
    g_autoptr(KdxPerson) found = g_list_model_get_item (model, 0);
    g_assert_cmpstr (kdx_person_get_name (found), ==, "Jürgen Müller");
  }
  gtk_editable_set_text (GTK_EDITABLE (search), "vertrieb");
  assert_n_items (model, 2);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "people-search.png");

  /* Delete the selected person; Undo brings them back. */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  assert_n_items (model, 3);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (
    gtk_column_view_get_model (GTK_COLUMN_VIEW (kdx_gui_find_by_id (GTK_WIDGET (people), "column_view")))), 0);
  kdx_gui_iterate (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (people), "people.delete", NULL));
  assert_n_items (model, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-delete", NULL));
  assert_n_items (model, 3);
  {
    g_autoptr(KdxPerson) back = g_list_model_get_item (model, 0);
    g_assert_cmpstr (kdx_person_get_name (back), ==, "Anna Schmidt");
    g_assert_cmpstr (kdx_person_get_email (back), ==, "a.schmidt@example.de");
  }

  /* Choose who I am; the next change is journaled under that name. */
  {
    GtkWidget *chooser = kdx_gui_find_by_id (GTK_WIDGET (window), "identity_chooser");
    g_autoptr(KdxPerson) me = g_list_model_get_item (model, 1);
    g_autoptr(KdxJournalEntry) last = NULL;
    gint64 count = 0;

    g_signal_emit_by_name (chooser, "chosen", kdx_person_get_uuid (me));
    add_person_through_editor (window, "Petra Engel", "p.engel@example.de", "Recht");
    assert_n_items (model, 4);
    kdx_journal_get_head (kdx_window_get_store (window), &count, NULL);
    last = kdx_journal_load (kdx_window_get_store (window), count);
    g_assert_cmpstr (kdx_journal_entry_get_actor_name (last), ==, kdx_person_get_name (me));
    g_assert_cmpstr (kdx_journal_entry_get_os_user (last), ==, g_get_user_name ());
  }

  /* The journal page lists the changes, newest first, with before and after. */
  kdx_window_show_area (window, "journal");
  {
    KdxJournalPage *journal = KDX_JOURNAL_PAGE (kdx_window_get_page (window, "journal"));
    GListModel *entries = kdx_journal_page_get_model (journal);
    g_autoptr(KdxJournalEntry) newest = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (entries), >=, 8);
    newest = g_list_model_get_item (entries, 0);
    g_assert_cmpstr (kdx_journal_entry_get_summary (newest), ==, "Petra Engel");
    /* The restore (Undo) is there, after the delete. */
    kdx_journal_page_select (journal, 1);
    kdx_gui_iterate (100);
    {
      g_autofree char *expected = g_strdup_printf ("%s: %s", _("Restored"), "Anna Schmidt");

      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kdx_gui_find_by_id (GTK_WIDGET (journal), "detail_title"))),
                       ==, expected);
    }
    kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "journal.png");
  }

  /* Reopen: everything is still there, and I am still me. */
  gtk_window_destroy (GTK_WINDOW (window));
  kdx_gui_iterate (50);
  window = new_window ();
  g_assert_true (kdx_window_open_path (window, path));
  people = KDX_PEOPLE_PAGE (kdx_window_get_page (window, "people"));
  assert_n_items (kdx_people_page_get_model (people), 4);
  {
    GtkWidget *chooser = kdx_gui_find_by_id (GTK_WIDGET (window), "identity_chooser");
    g_assert_nonnull (kdx_person_chooser_get_person (KDX_PERSON_CHOOSER (chooser)));
    g_assert_nonnull (kdx_store_get_actor (kdx_window_get_store (window)));
  }
  kdx_window_show_area (window, "people");
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "main.png");

  /* A second window on the same file opens read-only and says who holds it. */
  {
    KdxWindow *second = new_window ();
    GtkWidget *bar;
    const char *text;

    g_assert_true (kdx_window_open_path (second, path));
    g_assert_true (kdx_store_is_read_only (kdx_window_get_store (second)));
    bar = kdx_gui_find_by_id (GTK_WIDGET (second), "read_only_bar");
    g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));
    text = gtk_label_get_label (GTK_LABEL (kdx_gui_find_by_id (GTK_WIDGET (second), "read_only_label")));
    g_assert_nonnull (strstr (text, g_get_user_name ()));
    g_assert_false (gtk_widget_activate_action (GTK_WIDGET (second), "win.add-person", NULL) &&
                    kdx_gui_find_toplevel (g_type_from_name ("KdxPersonEditor")) != NULL);
    kdx_gui_screenshot (GTK_WIDGET (second), shot_dir, "read-only.png");
    gtk_window_destroy (GTK_WINDOW (second));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  kdx_gui_iterate (50);
}

static void
test_damaged_file_is_refused (void)
{
  g_autofree char *path = workspace_path ("kaputt.kodex");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  KdxWindow *window = new_window ();
  GtkWidget *dialog;

  g_assert_true (g_file_set_contents (path, "Dies ist keine Datenbank.\n", -1, NULL));
  g_file_get_contents (path, &before, NULL, NULL);

  g_assert_false (kdx_window_open_path (window, path));
  kdx_gui_iterate (100);
  dialog = kdx_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "kaputt.kodex"));
  g_assert_null (kdx_window_get_store (window));
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_german (void)
{
  /* The catalogue is built from po/de.po; under LANGUAGE=de the shell
   * speaks German. */
  KdxWindow *window;
  GtkWidget *list;
  GtkWidget *row;
  g_autofree char *path = workspace_path ("Deutsch.kodex");
  gboolean found = FALSE;

  if (g_strcmp0 (g_getenv ("LANGUAGE"), "de") != 0)
    {
      g_test_skip ("runs with LANGUAGE=de");
      return;
    }

  window = new_window ();
  g_assert_true (kdx_window_create_workspace (window, path, "Beispiel AG"));
  list = kdx_gui_find_by_id (GTK_WIDGET (window), "sidebar_list");
  for (row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      GtkWidget *label = gtk_widget_get_last_child (box);

      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "Personen") == 0)
        found = TRUE;
    }
  g_assert_true (found);
  kdx_gui_screenshot (GTK_WIDGET (window), shot_dir, "main-de.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ------------------------------------------------------------------ */

static int status;

static void
activate_cb (GApplication *application,
             gpointer      user_data)
{
  g_application_hold (application);
  status = g_test_run ();
  g_application_release (application);
  g_application_quit (application);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("KODEX_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  g_resources_register (kdx_ui_get_resource ());

  tmpdir = g_dir_make_tmp ("kodex-gui-XXXXXX", NULL);
  shot_dir = g_strdup (g_getenv ("KODEX_SCREENSHOT_DIR") ? g_getenv ("KODEX_SCREENSHOT_DIR") : tmpdir);
  g_mkdir_with_parents (shot_dir, 0755);
  umask (022);

  g_test_add_func ("/kdx/gui/welcome", test_welcome);
  g_test_add_func ("/kdx/gui/create-add-find-delete-undo-reopen", test_create_add_find_delete_undo_reopen);
  g_test_add_func ("/kdx/gui/damaged-file-is-refused", test_damaged_file_is_refused);
  g_test_add_func ("/kdx/gui/german", test_german);

  app = kdx_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_application_run (G_APPLICATION (app), 0, NULL);
  g_clear_object (&app);

  return status;
}
