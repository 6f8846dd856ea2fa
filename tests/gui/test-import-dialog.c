/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI tests of the CSV import dialog, in German, on real workspaces under
 * Xvfb: a staff list as German Excel saves it (Windows-1252, semicolons)
 * opened from the People page, read, mapped, checked and imported; then a
 * learning platform's completions with an unknown e-mail address, listed
 * with its line and column, corrected in the file and imported. With
 * screenshots of the column mapping and of the summary.
 */
#define G_LOG_DOMAIN "kdx-test-import-dialog"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-application.h"
#include "kdx-import.h"
#include "kdx-import-dialog.h"
#include "kdx-people-page.h"
#include "kdx-person.h"
#include "kdx-person-editor.h"
#include "kdx-training.h"
#include "kdx-ui-resources.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

typedef struct
{
  char      *path;
  KdxWindow *window;
  KdxStore  *store;
  GPtrArray *changed;   /* entities the store announced */
} Fixture;

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

/* Writes @utf8 to @name in the temporary folder in @encoding, with CRLF
 * line ends as Excel writes them; its GFile. */
static GFile *
write_csv (const char *name,
           const char *utf8,
           const char *encoding,
           gboolean    bom)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_auto(GStrv) lines = g_strsplit (utf8, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  g_autoptr(GString) bytes = g_string_new (bom ? "\xEF\xBB\xBF" : "");
  gsize n = 0;
  g_autofree char *converted = g_convert (crlf, -1, encoding, "UTF-8", NULL, &n, &error);

  g_assert_no_error (error);
  g_string_append_len (bytes, converted, n);
  g_assert_true (g_file_set_contents (path, bytes->str, bytes->len, &error));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static KdxImportDialog *
shown_dialog (void)
{
  return (KdxImportDialog *) kdx_gui_find_toplevel (KDX_TYPE_IMPORT_DIALOG);
}

static const char *
shown_page (KdxImportDialog *dialog)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (dialog, "stack")));
}

typedef struct
{
  KdxImportDialog *dialog;
  const char      *page;
} PageWait;

static gboolean
page_is_shown (gpointer data)
{
  PageWait *w = data;

  return g_strcmp0 (shown_page (w->dialog), w->page) == 0;
}

static void
wait_for_page (KdxImportDialog *dialog,
               const char      *name)
{
  PageWait w = { dialog, name };

  if (!kdx_gui_wait_for (page_is_shown, &w, 20000))
    g_error ("the dialog shows page %s, not %s", shown_page (dialog), name);
  kdx_gui_iterate (50);
}

/* The text the combo row @id shows. */
static const char *
combo_text (KdxImportDialog *dialog,
            const char      *id)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (kdx_gui_child (dialog, id)));

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

/* The field shown above the column with header @header. */
static const char *
field_shown (KdxImportDialog *dialog,
             const char      *header)
{
  g_autofree char *name = g_strdup_printf ("column:%s", header);
  GtkDropDown *dropdown = GTK_DROP_DOWN (kdx_gui_named (dialog, name));
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return TRUE;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c) && shows_label (c, text))
      return TRUE;

  return FALSE;
}

/* Whether a label below @root shows a text that contains @part. */
static gboolean
shows_text_with (GtkWidget  *root,
                 const char *part)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), part) != NULL)
    return TRUE;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c) && shows_text_with (c, part))
      return TRUE;

  return FALSE;
}

static gboolean
banner_shown (KdxImportDialog *dialog)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (dialog, "banner_revealer")));
}

static gboolean
can_click (KdxImportDialog *dialog,
           const char      *id)
{
  GtkWidget *button = kdx_gui_child (dialog, id);

  return gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button);
}

static void
store_changed_cb (KdxStore   *store,
                  const char *entity,
                  GArray     *ids,
                  Fixture    *f)
{
  g_ptr_array_add (f->changed, g_strdup (entity));
}

static gboolean
announced (Fixture    *f,
           const char *entity)
{
  for (guint i = 0; i < f->changed->len; i++)
    if (g_str_equal (g_ptr_array_index (f->changed, i), entity))
      return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Fixture                                                            */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *name = g_strdup_printf ("Import-%u.kodex", g_random_int ());

  f->path = g_build_filename (tmpdir, name, NULL);
  f->window = kdx_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (kdx_window_create_workspace (f->window, f->path, "Beispiel Vertrieb GmbH"));
  f->store = g_object_ref (kdx_window_get_store (f->window));
  f->changed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->store, "changed", G_CALLBACK (store_changed_cb), f);
  kdx_gui_iterate (100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  KdxImportDialog *dialog;

  while ((dialog = shown_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  g_signal_handlers_disconnect_by_data (f->store, f);
  gtk_window_destroy (GTK_WINDOW (f->window));
  kdx_gui_iterate (100);
  g_clear_object (&f->store);
  g_clear_pointer (&f->changed, g_ptr_array_unref);
  g_remove (f->path);
  g_clear_pointer (&f->path, g_free);
}

/* ------------------------------------------------------------------ */
/* The tests                                                          */

static const char staff_csv[] =
  "Personalnummer;Nachname;Vorname;E-Mail;Abteilung;Funktion\n"
  "1001;Müller;Jürgen;juergen.mueller@example.de;Vertrieb Süd;Außendienst\n"
  "1002;Schäfer;Björn;bjoern.schaefer@example.de;Vertrieb Süd;Key-Account-Manager (Budget 50.000 €)\n"
  "1003;Weiß;Änne;aenne.weiss@example.de;Buchhaltung;Leiterin Rechnungswesen\n"
  "1004;Groß;Özlem;oezlem.gross@example.de;Personal & Recht;Referentin\n";

static void
test_people (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv ("Mitarbeiter.csv", staff_csv, "WINDOWS-1252", FALSE);
  g_autoptr(KdxPerson) mueller = NULL;
  g_autoptr(KdxPerson) schaefer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *not_csv_path = g_build_filename (tmpdir, "Logo.csv", NULL);
  g_autoptr(GFile) not_csv = NULL;
  g_autoptr(KdxPerson) erased = NULL;
  AdwMessageDialog *alert;
  GtkWidget *editor;
  GtkDropDown *nachname;
  guint last_name;
  GtkWidget *page;
  KdxImportDialog *dialog;

  /* People → Import People… opens the dialog, which asks for a file. */
  kdx_window_show_area (f->window, "people");
  page = kdx_window_get_page (f->window, "people");
  g_assert_true (gtk_widget_activate_action (page, "people.import", NULL));
  dialog = KDX_IMPORT_DIALOG (kdx_gui_wait_for_toplevel (KDX_TYPE_IMPORT_DIALOG));
  g_assert_cmpstr (shown_page (dialog), ==, "file");

  /* A file that is not CSV at all is refused where it was chosen. */
  g_assert_true (g_file_set_contents (not_csv_path, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL));
  not_csv = g_file_new_for_path (not_csv_path);
  kdx_import_dialog_open_file (dialog, not_csv);
  g_assert_cmpstr (shown_page (dialog), ==, "file");
  g_assert_true (banner_shown (dialog));
  g_file_delete (not_csv, NULL, NULL);

  /* The file as read: Windows-1252, semicolons, each column mapped. */
  kdx_import_dialog_open_file (dialog, file);
  wait_for_page (dialog, "columns");
  g_assert_false (banner_shown (dialog));
  g_assert_cmpstr (combo_text (dialog, "encoding_row"), ==, "Windows-1252");
  g_assert_cmpstr (combo_text (dialog, "delimiter_row"), ==, _("Semicolon ( ; )"));
  g_assert_cmpstr (field_shown (dialog, "Personalnummer"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_EMPLOYEE_ID));
  g_assert_cmpstr (field_shown (dialog, "Nachname"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_LAST_NAME));
  g_assert_cmpstr (field_shown (dialog, "Vorname"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_FIRST_NAME));
  g_assert_cmpstr (field_shown (dialog, "E-Mail"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_EMAIL));
  g_assert_cmpstr (field_shown (dialog, "Abteilung"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_DEPARTMENT));
  g_assert_cmpstr (field_shown (dialog, "Funktion"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_ROLE));
  g_assert_true (shows_label (kdx_gui_child (dialog, "preview_grid"), "Müller"));
  g_assert_true (shows_label (kdx_gui_child (dialog, "preview_grid"), "Weiß"));
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (dialog, "mapping_error")));
  g_assert_true (can_click (dialog, "next_button"));
  kdx_gui_screenshot (GTK_WIDGET (dialog), shot_dir, "import-columns.png");

  /* Read as UTF-8 it is not text: said with line and column, no preview,
   * and no Next; back to Windows-1252 it reads as before. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_child (dialog, "encoding_row")), 0);
  g_assert_true (banner_shown (dialog));
  g_assert_nonnull (strstr (kdx_gui_label_of (dialog, "banner_label"), "0xFC"));
  g_assert_false (shows_label (kdx_gui_child (dialog, "preview_grid"), "Müller"));
  g_assert_false (can_click (dialog, "next_button"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (kdx_gui_child (dialog, "encoding_row")), 1);
  g_assert_false (banner_shown (dialog));
  g_assert_true (shows_label (kdx_gui_child (dialog, "preview_grid"), "Müller"));
  g_assert_cmpstr (field_shown (dialog, "Nachname"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_LAST_NAME));

  /* Without a last name the mapping is incomplete: said, and Next waits. */
  nachname = GTK_DROP_DOWN (kdx_gui_named (dialog, "column:Nachname"));
  last_name = gtk_drop_down_get_selected (nachname);
  gtk_drop_down_set_selected (nachname, 0);
  g_assert_cmpstr (field_shown (dialog, "Nachname"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_IGNORE));
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (dialog, "mapping_error")));
  g_assert_false (can_click (dialog, "next_button"));
  gtk_drop_down_set_selected (nachname, last_name);
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (dialog, "mapping_error")));

  /* Check: the summary, nothing written yet. */
  kdx_gui_click (kdx_gui_child (dialog, "next_button"));
  wait_for_page (dialog, "result");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (dialog, "result_stack"))),
                   ==, "summary");
  g_assert_true (shows_text_with (kdx_gui_child (dialog, "summary_list"), "Jürgen Müller"));
  g_assert_true (shows_text_with (kdx_gui_child (dialog, "summary_list"), "Vertrieb Süd"));
  g_assert_true (shows_text_with (kdx_gui_child (dialog, "summary_list"), "Personal & Recht"));
  g_assert_cmpint (kdx_person_count (f->store), ==, 0);
  g_assert_true (can_click (dialog, "import_button"));
  kdx_gui_screenshot (GTK_WIDGET (dialog), shot_dir, "import-summary.png");

  /* Import: everyone with their umlauts; the People page follows. */
  kdx_gui_click (kdx_gui_child (dialog, "import_button"));
  wait_for_page (dialog, "done");
  g_assert_true (announced (f, "person"));
  g_assert_cmpint (kdx_person_count (f->store), ==, 4);
  mueller = kdx_person_find (f->store, "juergen.mueller@example.de", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (kdx_person_get_name (mueller), "Müller"));
  g_assert_nonnull (strstr (kdx_person_get_name (mueller), "Jürgen"));
  g_assert_cmpstr (kdx_person_get_department (mueller), ==, "Vertrieb Süd");
  g_assert_cmpstr (kdx_person_get_role (mueller), ==, "Außendienst");
  g_assert_cmpstr (kdx_person_get_employee_id (mueller), ==, "1001");
  schaefer = kdx_person_find (f->store, "bjoern.schaefer@example.de", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_person_get_role (schaefer), ==, "Key-Account-Manager (Budget 50.000 €)");
  g_assert_cmpuint (g_list_model_get_n_items (kdx_people_page_get_model (KDX_PEOPLE_PAGE (page))), ==, 4);

  kdx_gui_click (kdx_gui_child (dialog, "done_button"));
  kdx_gui_iterate (100);
  g_assert_null (shown_dialog ());

  /* The person editor shows the employee ID; erasing a person's data
   * asks first, as a destructive choice that is not the default. */
  editor = GTK_WIDGET (kdx_person_editor_new (GTK_WINDOW (f->window), f->store, mueller));
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kdx_gui_child (editor, "employee_id_row"))),
                   ==, "1001");
  g_assert_true (gtk_widget_activate_action (editor, "editor.erase-data", NULL));
  alert = ADW_MESSAGE_DIALOG (kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (alert, "erase"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (alert), ==, "cancel");
  adw_message_dialog_response (alert, "erase");
  gtk_window_destroy (GTK_WINDOW (alert));
  kdx_gui_iterate (100);
  g_assert_null (kdx_gui_find_toplevel (KDX_TYPE_PERSON_EDITOR));
  erased = kdx_person_load (f->store, kdx_person_get_uuid (mueller), &error);
  g_assert_no_error (error);
  g_assert_null (strstr (kdx_person_get_name (erased), "Müller"));
  g_assert_null (kdx_person_get_employee_id (erased));
  g_file_delete (file, NULL, NULL);
}

static void
add_person (Fixture    *f,
            const char *name,
            const char *email)
{
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autoptr(GError) error = NULL;

  kdx_person_set_name (person, name);
  kdx_person_set_email (person, email);
  g_assert_true (kdx_person_insert (f->store, person, &error));
  g_assert_no_error (error);
}

static void
test_completions (Fixture       *f,
                  gconstpointer  data)
{
  static const char unknown_csv[] =
    "E-Mail;Kurs;Abgeschlossen am;Punkte\n"
    "anna.berg@example.de;KI-Kompetenz;15.03.2026;85\n"
    "unbekannt@example.de;KI-Kompetenz;15.03.2026;90\n"
    "ben.kraus@example.de;KI-Kompetenz;16.03.2026;92,5\n";
  static const char fixed_csv[] =
    "E-Mail;Kurs;Abgeschlossen am;Punkte\n"
    "anna.berg@example.de;KI-Kompetenz;15.03.2026;85\n"
    "carla.roth@example.de;KI-Kompetenz;15.03.2026;90\n"
    "ben.kraus@example.de;KI-Kompetenz;16.03.2026;92,5\n";
  g_autoptr(KdxCourse) course = kdx_course_new ();
  g_autoptr(KdxPerson) anna = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  const KdxAssignment *round;
  GListModel *problems;
  KdxImportDialog *dialog;

  kdx_course_set_title (course, "KI-Kompetenz");
  kdx_course_set_validity_months (course, 12);
  kdx_course_set_ai_literacy (course, TRUE);
  g_assert_true (kdx_course_insert (f->store, course, &error));
  g_assert_no_error (error);
  add_person (f, "Anna Berg", "anna.berg@example.de");
  add_person (f, "Ben Kraus", "ben.kraus@example.de");
  add_person (f, "Carla Roth", "carla.roth@example.de");

  /* Excel's "CSV UTF-8": a byte order mark. */
  file = write_csv ("Abschluesse.csv", unknown_csv, "UTF-8", TRUE);
  dialog = kdx_import_dialog_new (GTK_WINDOW (f->window), f->store, KDX_IMPORT_COMPLETIONS);
  gtk_window_present (GTK_WINDOW (dialog));
  kdx_import_dialog_open_file (dialog, file);
  wait_for_page (dialog, "columns");
  g_assert_cmpstr (combo_text (dialog, "encoding_row"), ==, "UTF-8");
  g_assert_cmpstr (field_shown (dialog, "E-Mail"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_EMAIL));
  g_assert_cmpstr (field_shown (dialog, "Kurs"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_COURSE));
  g_assert_cmpstr (field_shown (dialog, "Abgeschlossen am"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_COMPLETED));
  g_assert_cmpstr (field_shown (dialog, "Punkte"), ==,
                   kdx_import_field_get_label (KDX_IMPORT_FIELD_SCORE));

  /* The unknown address: listed with its line and column, nothing imported. */
  kdx_gui_click (kdx_gui_child (dialog, "next_button"));
  wait_for_page (dialog, "result");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (dialog, "result_stack"))),
                   ==, "problems");
  problems = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (kdx_gui_child (dialog, "problems_view"))));
  g_assert_cmpuint (g_list_model_get_n_items (problems), ==, 1);
  g_assert_true (shows_text_with (kdx_gui_child (dialog, "problems_view"), "unbekannt@example.de"));
  g_assert_true (shows_label (kdx_gui_child (dialog, "problems_view"), "3"));
  g_assert_true (shows_label (kdx_gui_child (dialog, "problems_view"), "E-Mail (1)"));
  g_assert_false (can_click (dialog, "import_button"));
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (dialog, "import_button")));
  /* Skipping is offered once the row is listed, and not chosen. */
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (dialog, "skip_group")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (kdx_gui_child (dialog, "skip_switch"))));

  /* Corrected in the file, checked again, imported. */
  g_object_unref (write_csv ("Abschluesse.csv", fixed_csv, "UTF-8", TRUE));
  kdx_gui_click (kdx_gui_child (dialog, "check_again_button"));
  wait_for_page (dialog, "result");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (dialog, "result_stack"))),
                   ==, "summary");
  g_assert_true (can_click (dialog, "import_button"));
  kdx_gui_click (kdx_gui_child (dialog, "import_button"));
  wait_for_page (dialog, "done");
  g_assert_true (announced (f, "assignment"));

  anna = kdx_person_find (f->store, "anna.berg@example.de", &error);
  g_assert_no_error (error);
  rounds = kdx_assignment_list_for_person (f->store, kdx_person_get_uuid (anna), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds->len, ==, 1);
  round = g_ptr_array_index (rounds, 0);
  g_assert_cmpstr (round->course_uuid, ==, kdx_course_get_uuid (course));
  g_assert_cmpstr (round->completed, ==, "2026-03-15");
  g_assert_cmpfloat (round->score, ==, 85.0);
  g_assert_cmpstr (round->expires, ==, "2027-03-15");

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_file_delete (file, NULL, NULL);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int status;

  kdx_gui_test_init (&argc, &argv, "kodex-import-XXXXXX", &tmpdir, &shot_dir);

  ADD ("/kdx/import-dialog/people", test_people);
  ADD ("/kdx/import-dialog/completions", test_completions);

  status = kdx_gui_test_run (&app, 0);
  g_rmdir (tmpdir);

  return status;
}
