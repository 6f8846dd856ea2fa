/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV imports of training data: a German Excel staff list (Windows-1252,
 * semicolons), updates by employee ID and by e-mail address, people who
 * left, the remembered mapping; completions from Moodle's course
 * completion report and from a generic file; every kind of bad input of
 * issue 5, each named by line and column with nothing changed; dates that
 * could be read two ways; what a dry run says; cancelling.
 */
#define G_LOG_DOMAIN "kdx-test-import"

#include "config.h"

#include "kdx-import.h"
#include "kdx-test-util.h"
#include "kdx-training.h"

#define TODAY "2026-06-15"

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
  char     *course_literacy;   /* KI-Kompetenz, CRS-001, 24 months */
  char     *course_sales;      /* Ethischer Vertrieb mit KI, CRS-002, 12 months */
  char     *course_oversight;  /* Aufsicht über KI-Systeme, CRS-003, never expires */
} Fixture;

static char *
add_course (KdxStore   *store,
            const char *title,
            guint       validity)
{
  g_autoptr(KdxCourse) course = kdx_course_new ();
  g_autoptr(GError) error = NULL;

  kdx_course_set_title (course, title);
  kdx_course_set_validity_months (course, validity);
  g_assert_true (kdx_course_insert (store, course, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_course_get_uuid (course));
}

static void
build_workspace (const char *path)
{
  KdxStore *store = kdx_test_create (path);

  g_free (add_course (store, "KI-Kompetenz", 24));
  g_free (add_course (store, "Ethischer Vertrieb mit KI", 12));
  g_free (add_course (store, "Aufsicht über KI-Systeme", 0));
  kdx_test_close (&store);
}

static char *
course_uuid (KdxStore   *store,
             const char *key)
{
  g_autoptr(KdxCourse) course = kdx_course_find (store, key, NULL);

  g_assert_nonnull (course);

  return g_strdup (kdx_course_get_uuid (course));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Schulung.kodex", NULL);
  kdx_test_from_template (build_workspace, f->path);
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  f->course_literacy = course_uuid (f->store, "CRS-001");
  f->course_sales = course_uuid (f->store, "CRS-002");
  f->course_oversight = course_uuid (f->store, "CRS-003");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->course_literacy);
  g_free (f->course_sales);
  g_free (f->course_oversight);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static GFile *
write_csv (Fixture    *f,
           const char *name,
           const char *data,
           gssize      length)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  kdx_test_write_file (path, data, length < 0 ? (gssize) strlen (data) : length);

  return g_file_new_for_path (path);
}

/* The file in Windows-1252, as Excel writes it in Germany. */
static GFile *
write_cp1252 (Fixture    *f,
              const char *name,
              const char *utf8)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *bytes = g_convert (utf8, -1, "WINDOWS-1252", "UTF-8", NULL, &length, &error);

  g_assert_no_error (error);

  return write_csv (f, name, bytes, length);
}

static KdxImport *
open_file (Fixture       *f,
           KdxImportKind  kind,
           GFile         *file)
{
  g_autoptr(GError) error = NULL;
  KdxImport *import = kdx_import_new (kind);

  kdx_import_set_today (import, TODAY);
  g_assert_true (kdx_import_open (import, file, f->store, NULL, &error));
  g_assert_no_error (error);

  return import;
}

static KdxImportPlan *
plan_clean (Fixture   *f,
            KdxImport *import)
{
  g_autoptr(GError) error = NULL;
  KdxImportPlan *plan = kdx_import_plan (import, f->store, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  if (kdx_import_plan_get_n_problems (plan) > 0)
    {
      g_autofree char *text = kdx_import_plan_describe (plan);

      g_test_message ("%s", text);
    }
  g_assert_cmpuint (kdx_import_plan_get_n_problems (plan), ==, 0);

  return plan;
}

static void
commit (Fixture   *f,
        KdxImport *import)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_import_commit (import, f->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* What a user would see change: rows of the tables an import writes, the
 * settings and the journal's head. */
static char *
snapshot (KdxStore *store)
{
  g_autofree char *head = kdx_test_journal_head (store);

  return g_strdup_printf ("people %" G_GINT64_FORMAT ", search %" G_GINT64_FORMAT
                          ", assignments %" G_GINT64_FORMAT ", settings %" G_GINT64_FORMAT
                          ", journal %s",
                          kdx_store_count (store, "SELECT count(*) FROM person"),
                          kdx_store_count (store, "SELECT count(*) FROM person_search"),
                          kdx_store_count (store, "SELECT count(*) FROM assignment"),
                          kdx_store_count (store, "SELECT count(*) FROM setting"),
                          head);
}

static KdxPerson *
find_person (Fixture    *f,
             const char *who)
{
  g_autoptr(GError) error = NULL;
  KdxPerson *person = kdx_person_find (f->store, who, &error);

  g_assert_no_error (error);

  return person;
}

static KdxPerson *
add_person (Fixture    *f,
            const char *name,
            const char *email,
            const char *employee_id,
            const char *department)
{
  g_autoptr(GError) error = NULL;
  KdxPerson *person = kdx_person_new ();

  kdx_person_set_name (person, name);
  kdx_person_set_email (person, email);
  kdx_person_set_employee_id (person, employee_id);
  kdx_person_set_department (person, department);
  g_assert_true (kdx_person_insert (f->store, person, &error));
  g_assert_no_error (error);

  return person;
}

/* The current round of a person and course, or NULL. */
static KdxAssignment *
current_round (Fixture    *f,
               KdxPerson  *person,
               const char *course)
{
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GError) error = NULL;

  rounds = kdx_assignment_list_for_person (f->store, kdx_person_get_uuid (person), TODAY,
                                           &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rounds->len; i++)
    {
      KdxAssignment *a = g_ptr_array_index (rounds, i);

      if (a->current && g_strcmp0 (a->course_uuid, course) == 0)
        return g_ptr_array_steal_index (rounds, i);
    }

  return NULL;
}

static guint
n_rounds (Fixture    *f,
          KdxPerson  *person,
          const char *course)
{
  g_autoptr(GPtrArray) rounds = NULL;
  guint n = 0;

  rounds = kdx_assignment_list_for_person (f->store, kdx_person_get_uuid (person), TODAY, NULL);
  for (guint i = 0; i < rounds->len; i++)
    if (g_strcmp0 (((KdxAssignment *) g_ptr_array_index (rounds, i))->course_uuid, course) == 0)
      n++;

  return n;
}

/* ------------------------------------------------------------------ */
/* People                                                              */

#define STAFF_HEADER "Personalnummer;Nachname;Vorname;E-Mail;Abteilung;Funktion;Vorgesetzter\r\n"

/* An Excel export of a German HR system: Windows-1252, semicolons, CRLF,
 * umlauts, a euro sign, a manager named before and after. */
static void
test_people_german_excel (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxPerson) juergen = NULL;
  g_autoptr(KdxPerson) bjoern = NULL;
  g_autoptr(KdxPerson) ayse = NULL;
  const char * const *departments;
  static const KdxImportField expected[] = {
    KDX_IMPORT_FIELD_EMPLOYEE_ID, KDX_IMPORT_FIELD_LAST_NAME, KDX_IMPORT_FIELD_FIRST_NAME,
    KDX_IMPORT_FIELD_EMAIL, KDX_IMPORT_FIELD_DEPARTMENT, KDX_IMPORT_FIELD_ROLE,
    KDX_IMPORT_FIELD_MANAGER,
  };

  /* (Ayşe's ş is not in Windows-1252: Ayse.) */
  file = write_cp1252 (f, "Mitarbeiter.csv",
    STAFF_HEADER
    "P-1001;Müller;Jürgen;Juergen.Mueller@Example.org;Vertrieb Süd;Teamleitung;P-1003\r\n"
    "P-1002;Weiß;Björn;bjoern.weiss@example.org;Vertrieb Süd;Außendienst (Budget 50.000 €);"
    "juergen.mueller@example.org\r\n"
    "P-1003;Öztürk;Ayse;ayse.oeztuerk@example.org;Geschäftsführung;„Chefin“;\r\n");
  import = open_file (f, KDX_IMPORT_PEOPLE, file);

  /* Found out and shown: Windows-1252 (it is not UTF-8), semicolons. */
  g_assert_cmpstr (kdx_import_get_encoding (import), ==, "WINDOWS-1252");
  g_assert_true (kdx_import_encoding_was_guessed (import));
  g_assert_cmpint (kdx_import_get_delimiter (import), ==, ';');
  g_assert_cmpuint (kdx_import_get_n_columns (import), ==, 7);
  g_assert_cmpstr (kdx_import_get_header (import, 1), ==, "Nachname");
  g_assert_cmpuint (kdx_import_get_n_preview_rows (import), ==, 3);
  g_assert_cmpstr (kdx_import_get_preview_field (import, 1, 5), ==,
                   "Außendienst (Budget 50.000 €)");
  for (guint c = 0; c < G_N_ELEMENTS (expected); c++)
    g_assert_cmpint (kdx_import_get_mapping (import, c), ==, expected[c]);
  g_assert_false (kdx_import_get_mapping_remembered (import));

  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_rows (plan), ==, 3);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 3);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 0);
  departments = kdx_import_plan_get_new_departments (plan);
  g_assert_cmpstr (departments[0], ==, "Geschäftsführung");
  g_assert_cmpstr (departments[1], ==, "Vertrieb Süd");
  g_assert_null (departments[2]);
  /* Planning wrote nothing. */
  g_assert_cmpint (kdx_person_count (f->store), ==, 0);

  commit (f, import);
  g_assert_cmpint (kdx_person_count (f->store), ==, 3);

  juergen = find_person (f, "P-1001");
  bjoern = find_person (f, "bjoern.weiss@example.org");
  ayse = find_person (f, "P-1003");
  g_assert_cmpstr (kdx_person_get_name (juergen), ==, "Jürgen Müller");
  g_assert_cmpstr (kdx_person_get_email (juergen), ==, "juergen.mueller@example.org");
  g_assert_cmpstr (kdx_person_get_department (juergen), ==, "Vertrieb Süd");
  g_assert_cmpstr (kdx_person_get_name (bjoern), ==, "Björn Weiß");
  g_assert_cmpstr (kdx_person_get_role (bjoern), ==, "Außendienst (Budget 50.000 €)");
  g_assert_cmpstr (kdx_person_get_employee_id (bjoern), ==, "P-1002");
  g_assert_cmpstr (kdx_person_get_name (ayse), ==, "Ayse Öztürk");
  g_assert_cmpstr (kdx_person_get_role (ayse), ==, "„Chefin“");
  /* Managers by employee ID (named later in the file) and by address. */
  g_assert_cmpstr (kdx_person_get_manager (juergen), ==, kdx_person_get_uuid (ayse));
  g_assert_cmpstr (kdx_person_get_manager (bjoern), ==, kdx_person_get_uuid (juergen));
  g_assert_null (kdx_person_get_manager (ayse));

  /* Journaled: one entry a person and one for the import, with the
   * file's SHA-256. */
  {
    g_autoptr(KdxJournalEntry) last = NULL;
    g_autofree char *sha = kdx_test_checksum_file (g_file_peek_path (file));
    gint64 length = kdx_test_journal_length (f->store);
    gint64 id;

    for (id = length; id > 0; id--)
      {
        g_autoptr(KdxJournalEntry) entry = kdx_journal_load (f->store, id);

        if (g_strcmp0 (kdx_journal_entry_get_action (entry), "import") == 0)
          {
            last = g_steal_pointer (&entry);
            break;
          }
      }
    g_assert_nonnull (last);
    g_assert_nonnull (strstr (kdx_journal_entry_get_after (last), sha));
    g_assert_nonnull (strstr (kdx_journal_entry_get_summary (last), "Mitarbeiter.csv"));
    g_assert_true (kdx_journal_verify (f->store, 0, NULL, NULL, NULL, NULL, NULL));
  }

  /* Found by a search for the employee ID. */
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM person_search "
                                              "WHERE text MATCH '\"p-1002\"'"), ==, 1);
}

/* The same file again changes nobody; a changed file changes whom it
 * names, found by employee ID, else by address (who then gets the ID). */
static void
test_people_update (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", "Vertrieb");
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", NULL, "Vertrieb");
  g_autoptr(KdxPerson) clara = add_person (f, "Clara Clos", "clara@example.org", "P-3", "Einkauf");
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxPerson) loaded = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* Anna married (new name, new address; same ID), Bernd is found by his
   * address and gets his ID, Clara is unchanged. */
  file = write_csv (f, "staff.csv",
                    "Employee ID,Name,Email,Department,Role\n"
                    "P-1,Anna Neu,anna.neu@example.org,Vertrieb,Key Account\n"
                    "P-2,  Bernd Brot ,BERND@example.org , Vertrieb,\n"
                    "P-3,Clara Clos,clara@example.org,Einkauf,\n", -1);
  import = open_file (f, KDX_IMPORT_PEOPLE, file);
  g_assert_cmpstr (kdx_import_get_encoding (import), ==, "UTF-8");
  g_assert_false (kdx_import_encoding_was_guessed (import));
  g_assert_cmpint (kdx_import_get_delimiter (import), ==, ',');
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 0);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 2);
  g_assert_cmpuint (kdx_import_plan_get_n_unchanged (plan), ==, 1);
  g_assert_null (kdx_import_plan_get_new_departments (plan)[0]);
  commit (f, import);

  g_assert_cmpint (kdx_person_count (f->store), ==, 3);
  loaded = find_person (f, kdx_person_get_uuid (anna));
  g_assert_cmpstr (kdx_person_get_name (loaded), ==, "Anna Neu");
  g_assert_cmpstr (kdx_person_get_email (loaded), ==, "anna.neu@example.org");
  g_assert_cmpstr (kdx_person_get_role (loaded), ==, "Key Account");
  g_clear_object (&loaded);
  loaded = find_person (f, "P-2");
  g_assert_cmpstr (kdx_person_get_uuid (loaded), ==, kdx_person_get_uuid (bernd));
  g_assert_cmpstr (kdx_person_get_email (loaded), ==, "bernd@example.org");
  g_clear_object (&loaded);
  loaded = find_person (f, kdx_person_get_uuid (clara));
  g_assert_cmpstr (kdx_person_get_modified (loaded), ==, kdx_person_get_modified (clara));

  /* Again: nothing changes but the import's own entry. */
  g_clear_object (&import);
  g_clear_pointer (&plan, kdx_import_plan_unref);
  import = open_file (f, KDX_IMPORT_PEOPLE, file);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 0);
  g_assert_cmpuint (kdx_import_plan_get_n_unchanged (plan), ==, 3);
  before = g_strdup_printf ("%" G_GINT64_FORMAT, kdx_test_journal_length (f->store));
  commit (f, import);
  after = g_strdup_printf ("%" G_GINT64_FORMAT, kdx_test_journal_length (f->store) - 1);
  g_assert_cmpstr (after, ==, before);
}

/* Two people swap their addresses in one file, two others their
 * employee IDs, and a newcomer takes the address that a fifth gives up:
 * each is written once the old holder has let it go. */
static void
test_people_swap (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", "Vertrieb");
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", "P-2", "Vertrieb");
  g_autoptr(KdxPerson) clara = add_person (f, "Clara Clos", "clara@example.org", "P-3", "Einkauf");
  g_autoptr(KdxPerson) dirk = add_person (f, "Dirk Dorn", "dirk@example.org", "P-4", "Einkauf");
  g_autoptr(KdxPerson) emil = add_person (f, "Emil Eck", "team@example.org", "P-5", "Einkauf");
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxPerson) loaded = NULL;
  gint64 length;

  file = write_csv (f, "staff.csv",
                    "Employee ID,Name,Email,Department\n"
                    "P-1,Anna Alt,bernd@example.org,Vertrieb\n"
                    "P-2,Bernd Brot,anna@example.org,Vertrieb\n"
                    ",Clara Clos,clara@example.org,Einkauf\n"
                    ",Dirk Dorn,dirk@example.org,Einkauf\n"
                    "P-5,Emil Eck,emil@example.org,Einkauf\n"
                    "P-6,Frieda Fink,team@example.org,Einkauf\n", -1);
  import = open_file (f, KDX_IMPORT_PEOPLE, file);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 1);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 3);
  length = kdx_store_count (f->store, "SELECT count(*) FROM journal WHERE entity = 'person'");
  commit (f, import);
  /* Three people changed, one came, and the import's own entry. */
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM journal WHERE entity = 'person'"),
                   ==, length + 5);
  g_assert_true (kdx_journal_verify (f->store, 0, NULL, NULL, NULL, NULL, NULL));

  loaded = find_person (f, kdx_person_get_uuid (anna));
  g_assert_cmpstr (kdx_person_get_email (loaded), ==, "bernd@example.org");
  g_clear_object (&loaded);
  loaded = find_person (f, kdx_person_get_uuid (bernd));
  g_assert_cmpstr (kdx_person_get_email (loaded), ==, "anna@example.org");
  g_clear_object (&loaded);
  loaded = find_person (f, kdx_person_get_uuid (emil));
  g_assert_cmpstr (kdx_person_get_email (loaded), ==, "emil@example.org");
  g_clear_object (&loaded);
  loaded = find_person (f, "team@example.org");
  g_assert_cmpstr (kdx_person_get_name (loaded), ==, "Frieda Fink");
  g_assert_cmpstr (kdx_person_get_employee_id (loaded), ==, "P-6");
  g_clear_object (&loaded);

  /* The employee ID names the person: a file that gives Clara's address
   * to P-4 and Dirk's to P-3 swaps their addresses too. */
  g_clear_object (&import);
  g_clear_pointer (&plan, kdx_import_plan_unref);
  g_clear_object (&file);
  file = write_csv (f, "ids.csv",
                    "Email,Employee ID,Name\n"
                    "clara@example.org,P-4,Dirk Dorn\n"
                    "dirk@example.org,P-3,Clara Clos\n", -1);
  import = open_file (f, KDX_IMPORT_PEOPLE, file);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 2);
  commit (f, import);
  loaded = find_person (f, kdx_person_get_uuid (clara));
  g_assert_cmpstr (kdx_person_get_email (loaded), ==, "dirk@example.org");
  g_assert_cmpstr (kdx_person_get_employee_id (loaded), ==, "P-3");
  g_clear_object (&loaded);
  loaded = find_person (f, kdx_person_get_uuid (dirk));
  g_assert_cmpstr (kdx_person_get_email (loaded), ==, "clara@example.org");
}

/* Managers: someone in the workspace gets a new manager who comes later
 * in the file; a cell left empty takes a manager away. */
static void
test_people_managers (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", NULL);
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", "P-2", NULL);
  g_autoptr(GFile) file = write_csv (f, "staff.csv",
                                     "Personalnummer;Name;Vorgesetzter\n"
                                     "P-1;Anna Alt;P-3\n"
                                     "P-2;Bernd Brot;\n"
                                     "P-3;Clara Clos;P-4\n"
                                     "P-4;Dora Dach;\n", -1);
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxPerson) loaded = NULL;
  g_autoptr(KdxPerson) clara = NULL;
  g_autoptr(KdxPerson) dora = NULL;
  g_autoptr(GError) error = NULL;

  kdx_person_set_manager (bernd, kdx_person_get_uuid (anna));
  g_assert_true (kdx_person_update (f->store, bernd, &error));
  g_assert_no_error (error);

  import = open_file (f, KDX_IMPORT_PEOPLE, file);
  g_assert_cmpint (kdx_import_get_mapping (import, 2), ==, KDX_IMPORT_FIELD_MANAGER);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 2);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 2);
  commit (f, import);

  clara = find_person (f, "P-3");
  dora = find_person (f, "P-4");
  g_assert_cmpstr (kdx_person_get_manager (clara), ==, kdx_person_get_uuid (dora));
  loaded = find_person (f, "P-1");
  g_assert_cmpstr (kdx_person_get_manager (loaded), ==, kdx_person_get_uuid (clara));
  g_clear_object (&loaded);
  loaded = find_person (f, "P-2");
  g_assert_null (kdx_person_get_manager (loaded));
  g_assert_true (kdx_journal_verify (f->store, 0, NULL, NULL, NULL, NULL, NULL));
}

/* People who are not in the file any more are deactivated, when asked;
 * someone who comes back is active again. */
static void
test_people_deactivate_missing (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", NULL);
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", "P-2", NULL);
  g_autoptr(KdxPerson) clara = add_person (f, "Clara Clos", "clara@example.org", "P-3", NULL);
  g_autoptr(GFile) file = write_csv (f, "staff.csv",
                                     "Personalnummer;Name\nP-1;Anna Alt\nP-3;Clara Clos\n", -1);
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxPerson) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  kdx_person_set_active (clara, FALSE);
  g_assert_true (kdx_person_update (f->store, clara, &error));

  import = open_file (f, KDX_IMPORT_PEOPLE, file);
  /* Not asked: Bernd stays. */
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_deactivated (plan), ==, 0);
  g_clear_pointer (&plan, kdx_import_plan_unref);

  kdx_import_set_deactivate_missing (import, TRUE);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_deactivated (plan), ==, 1);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 1);   /* Clara is back */
  text = kdx_import_plan_describe (plan);
  g_assert_nonnull (strstr (text, "1 person who is not in the file will be deactivated"));
  g_assert_nonnull (strstr (text, "Bernd Brot"));
  commit (f, import);

  loaded = find_person (f, kdx_person_get_uuid (bernd));
  g_assert_false (kdx_person_get_active (loaded));
  g_clear_object (&loaded);
  loaded = find_person (f, kdx_person_get_uuid (clara));
  g_assert_true (kdx_person_get_active (loaded));
  g_clear_object (&loaded);
  loaded = find_person (f, kdx_person_get_uuid (anna));
  g_assert_true (kdx_person_get_active (loaded));
}

/* Columns Kodex cannot name are mapped by hand once; the next file of
 * the same layout is mapped the same way. */
static void
test_people_remembered_mapping (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "export.csv",
                                     "Kennung\tAnzeige\tPostfach\tOE\n"
                                     "4711\tAnna Alt\tanna@example.org\tVertrieb\n", -1);
  g_autoptr(GFile) next = write_csv (f, "export-2.csv",
                                     "Kennung\tAnzeige\tPostfach\tOE\n"
                                     "4712\tBernd Brot\tbernd@example.org\tEinkauf\n", -1);
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImport) again = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxPerson) bernd = NULL;
  g_autoptr(GError) error = NULL;

  import = open_file (f, KDX_IMPORT_PEOPLE, file);
  g_assert_cmpint (kdx_import_get_delimiter (import), ==, '\t');
  g_assert_cmpint (kdx_import_get_mapping (import, 1), ==, KDX_IMPORT_FIELD_IGNORE);
  /* Nothing to import with yet: the message names what is missing. */
  g_assert_false (kdx_import_check_mapping (import, &error));
  g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "name"));
  g_clear_error (&error);
  plan = kdx_import_plan (import, f->store, NULL, NULL, &error);
  g_assert_null (plan);
  g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);

  /* As `kodex-cli import --map` does: by name, by number. */
  g_assert_true (kdx_import_map_by_name (import, "Kennung=employee-id", &error));
  g_assert_true (kdx_import_map_by_name (import, "2=name", &error));
  g_assert_true (kdx_import_map_by_name (import, "postfach=email", &error));
  g_assert_true (kdx_import_map_by_name (import, "OE=department", &error));
  g_assert_no_error (error);
  g_assert_false (kdx_import_map_by_name (import, "Telefon=email", &error));
  g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);
  g_assert_false (kdx_import_map_by_name (import, "OE=completed", &error));
  g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);
  g_assert_true (kdx_import_check_mapping (import, &error));
  commit (f, import);

  again = open_file (f, KDX_IMPORT_PEOPLE, next);
  g_assert_true (kdx_import_get_mapping_remembered (again));
  g_assert_cmpint (kdx_import_get_mapping (again, 0), ==, KDX_IMPORT_FIELD_EMPLOYEE_ID);
  g_assert_cmpint (kdx_import_get_mapping (again, 1), ==, KDX_IMPORT_FIELD_NAME);
  g_assert_cmpint (kdx_import_get_mapping (again, 2), ==, KDX_IMPORT_FIELD_EMAIL);
  g_assert_cmpint (kdx_import_get_mapping (again, 3), ==, KDX_IMPORT_FIELD_DEPARTMENT);
  commit (f, again);
  bernd = find_person (f, "4712");
  g_assert_cmpstr (kdx_person_get_department (bernd), ==, "Einkauf");
}

/* ------------------------------------------------------------------ */
/* Completions                                                         */

/* Moodle's course completion report (report/completion, "Download in
 * spreadsheet format (UTF-8 .csv)"): ID, Name, the identity fields, a
 * status and a date column per activity, "Course complete" last; the
 * dates in the site's short format with two-digit years; the course only
 * in the file name. */
static void
test_completions_moodle (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", NULL, "Vertrieb");
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", NULL, "Vertrieb");
  g_autoptr(KdxPerson) clara = add_person (f, "Clara Clos", "clara@example.org", NULL, "Vertrieb");
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxAssignment) round = NULL;
  g_autoptr(GError) error = NULL;
  const char *people[] = { kdx_person_get_uuid (anna), NULL };

  /* Anna was assigned the course; Bernd was not; Clara has not finished. */
  g_assert_true (kdx_assignment_assign (f->store, f->course_literacy, people, "2026-07-01", NULL,
                                        &error));
  g_assert_no_error (error);

  file = write_csv (f, "completion-ki-kompetenz.csv",
                    "\xEF\xBB\xBF\"ID\",\"Name\",\"Email address\",\"Quiz KI-Grundlagen\","
                    "\"Quiz KI-Grundlagen - Completion date\",\"Course complete\"\n"
                    "\"17\",\"Anna Alt\",\"anna@example.org\",\"Completed\","
                    "\"12/05/26, 09:10\",\"13/05/26, 14:30\"\n"
                    "\"18\",\"Bernd Brot\",\"bernd@example.org\",\"Completed\","
                    "\"02/03/26, 10:00\",\"02/03/26, 10:05\"\n"
                    "\"19\",\"Clara Clos\",\"clara@example.org\",\"Not completed\",\"\",\"\"\n",
                    -1);
  import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  g_assert_cmpstr (kdx_import_get_layout_name (import), ==, "Moodle course completion report");
  g_assert_cmpint (kdx_import_get_mapping (import, 0), ==, KDX_IMPORT_FIELD_IGNORE);
  g_assert_cmpint (kdx_import_get_mapping (import, 1), ==, KDX_IMPORT_FIELD_NAME);
  g_assert_cmpint (kdx_import_get_mapping (import, 2), ==, KDX_IMPORT_FIELD_EMAIL);
  g_assert_cmpint (kdx_import_get_mapping (import, 4), ==, KDX_IMPORT_FIELD_IGNORE);
  g_assert_cmpint (kdx_import_get_mapping (import, 5), ==, KDX_IMPORT_FIELD_COMPLETED);

  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_rows (plan), ==, 3);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 1);   /* Anna's round */
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 1);       /* Bernd's new one */
  g_assert_cmpuint (kdx_import_plan_get_n_open (plan), ==, 1);      /* Clara */
  commit (f, import);

  round = current_round (f, anna, f->course_literacy);
  g_assert_nonnull (round);
  g_assert_cmpstr (round->completed, ==, "2026-05-13");
  g_assert_cmpstr (round->expires, ==, "2028-05-13");
  g_assert_cmpint (round->source, ==, KDX_ASSIGNMENT_SOURCE_MANUAL);
  g_clear_pointer (&round, kdx_assignment_free);
  round = current_round (f, bernd, f->course_literacy);
  g_assert_nonnull (round);
  g_assert_cmpstr (round->completed, ==, "2026-03-02");
  g_assert_cmpint (round->source, ==, KDX_ASSIGNMENT_SOURCE_IMPORT);
  g_clear_pointer (&round, kdx_assignment_free);
  g_assert_null (current_round (f, clara, f->course_literacy));
}

/* Older Moodle sites download the report "for Excel" as UTF-16 with a
 * byte order mark and tabs. */
static void
test_completions_utf16 (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", NULL, NULL);
  const char *text = "ID\tName\tE-Mail-Adresse\tKurs abgeschlossen\n"
                     "17\tAnna Alt\tanna@example.org\t13.05.26 14:30\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxAssignment) round = NULL;
  g_autofree char *utf16 = NULL;
  g_autofree char *with_bom = NULL;
  gsize length = 0;

  utf16 = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  with_bom = g_malloc (length + 2);
  memcpy (with_bom, "\xFF\xFE", 2);
  memcpy (with_bom + 2, utf16, length);
  file = write_csv (f, "completion-ki-kompetenz.csv", with_bom, length + 2);

  import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  g_assert_cmpstr (kdx_import_get_encoding (import), ==, "UTF-16LE");
  g_assert_cmpint (kdx_import_get_delimiter (import), ==, '\t');
  g_assert_cmpstr (kdx_import_get_layout_name (import), ==, "Moodle course completion report");
  plan = plan_clean (f, import);
  commit (f, import);
  round = current_round (f, anna, f->course_literacy);
  g_assert_cmpstr (round->completed, ==, "2026-05-13");
}

/* Moodle's custom report on course participants with the course
 * completion columns ("Course completion: Time completed", "Grade"). */
static void
test_completions_moodle_custom (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", "Vertrieb");
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxAssignment) round = NULL;

  file = write_csv (f, "Kursabschluesse.csv",
                    "Course full name,Full name,Email address,ID number,"
                    "Course completion: Completed,Course completion: Time completed,"
                    "Course completion: Grade\n"
                    "Ethischer Vertrieb mit KI,Anna Alt,anna@example.org,P-1,Yes,"
                    "\"Tuesday, 12 May 2026, 2:30 PM\",87.50\n"
                    "Aufsicht über KI-Systeme,Anna Alt,anna@example.org,P-1,No,,\n", -1);
  import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  g_assert_cmpstr (kdx_import_get_layout_name (import), ==,
                   "Moodle custom report (course completion)");
  g_assert_cmpint (kdx_import_get_mapping (import, 0), ==, KDX_IMPORT_FIELD_COURSE);
  g_assert_cmpint (kdx_import_get_mapping (import, 3), ==, KDX_IMPORT_FIELD_EMPLOYEE_ID);
  g_assert_cmpint (kdx_import_get_mapping (import, 4), ==, KDX_IMPORT_FIELD_IGNORE);
  g_assert_cmpint (kdx_import_get_mapping (import, 5), ==, KDX_IMPORT_FIELD_COMPLETED);
  g_assert_cmpint (kdx_import_get_mapping (import, 6), ==, KDX_IMPORT_FIELD_SCORE);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 1);
  g_assert_cmpuint (kdx_import_plan_get_n_open (plan), ==, 1);
  commit (f, import);

  round = current_round (f, anna, f->course_sales);
  g_assert_cmpstr (round->completed, ==, "2026-05-12");
  g_assert_cmpfloat (round->score, ==, 87.5);
  g_assert_cmpstr (round->expires, ==, "2027-05-12");
}

/* A generic file: person, course, date, score, in German. A completion
 * of an open round completes it, one without a round makes one, an older
 * one than recorded is had already, a later one is the next round; a
 * certificate that expires soon brings the next round (recertification). */
static void
test_completions_generic (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", "Vertrieb");
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", "P-2", "Vertrieb");
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxAssignment) round = NULL;
  g_autoptr(GError) error = NULL;
  const char *just_anna[] = { kdx_person_get_uuid (anna), NULL };
  const char *just_bernd[] = { kdx_person_get_uuid (bernd), NULL };

  g_assert_true (kdx_assignment_assign (f->store, f->course_sales, just_anna, "2026-07-01", NULL,
                                        &error));
  g_assert_true (kdx_assignment_complete (f->store, f->course_sales, just_bernd, "2026-02-01",
                                          70, &error));
  g_assert_no_error (error);

  file = write_csv (f, "lms.csv",
                    "Mitarbeiter;Kurs;Abgeschlossen am;Punkte\n"
                    /* completes Anna's open round */
                    "anna@example.org;Ethischer Vertrieb mit KI;1.6.2026;85,5\n"
                    /* older than Bernd's: had already */
                    "P-2;CRS-002;15.01.2026;60\n"
                    /* Bernd's oversight course, no round: a new one, never expires */
                    "P-2;aufsicht uber ki-systeme;2026-06-01;90 %\n"
                    /* Anna's literacy course a year and a half ago: expires within
                     * 90 days, so the next round comes */
                    "anna@example.org;KI-Kompetenz;01.08.2024;\n", -1);
  import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  g_assert_cmpstr (kdx_import_get_layout_name (import), ==, "Generic");
  g_assert_cmpint (kdx_import_get_mapping (import, 0), ==, KDX_IMPORT_FIELD_PERSON);
  g_assert_cmpint (kdx_import_get_mapping (import, 1), ==, KDX_IMPORT_FIELD_COURSE);
  g_assert_cmpint (kdx_import_get_mapping (import, 2), ==, KDX_IMPORT_FIELD_COMPLETED);
  g_assert_cmpint (kdx_import_get_mapping (import, 3), ==, KDX_IMPORT_FIELD_SCORE);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_updated (plan), ==, 1);
  g_assert_cmpuint (kdx_import_plan_get_n_unchanged (plan), ==, 1);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 2);
  commit (f, import);

  round = current_round (f, anna, f->course_sales);
  g_assert_cmpstr (round->completed, ==, "2026-06-01");
  g_assert_cmpfloat (round->score, ==, 85.5);
  g_assert_cmpstr (round->expires, ==, "2027-06-01");
  g_clear_pointer (&round, kdx_assignment_free);
  round = current_round (f, bernd, f->course_sales);
  g_assert_cmpstr (round->completed, ==, "2026-02-01");
  g_assert_cmpfloat (round->score, ==, 70);
  g_clear_pointer (&round, kdx_assignment_free);
  round = current_round (f, bernd, f->course_oversight);
  g_assert_cmpstr (round->completed, ==, "2026-06-01");
  g_assert_null (round->expires);
  g_assert_cmpfloat (round->score, ==, 90);
  g_clear_pointer (&round, kdx_assignment_free);
  /* Expires 2026-08-01, within 90 days of today: the next round is open,
   * due on the expiry date. */
  round = current_round (f, anna, f->course_literacy);
  g_assert_nonnull (round);
  g_assert_null (round->completed);
  g_assert_cmpint (round->source, ==, KDX_ASSIGNMENT_SOURCE_RECERTIFICATION);
  g_assert_cmpstr (round->due, ==, "2026-08-01");
  g_assert_cmpuint (n_rounds (f, anna, f->course_literacy), ==, 2);

  /* A later completion of a completed course is the next round. */
  g_clear_object (&import);
  g_clear_pointer (&plan, kdx_import_plan_unref);
  g_clear_object (&file);
  file = write_csv (f, "lms-2.csv",
                    "Mitarbeiter;Kurs;Abgeschlossen am;Punkte\n"
                    "P-2;CRS-002;10.06.2026;95\n"
                    "P-2;CRS-002;10.06.2026;95\n", -1);
  import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 1);
  g_assert_cmpuint (kdx_import_plan_get_n_unchanged (plan), ==, 1);
  commit (f, import);
  g_clear_pointer (&round, kdx_assignment_free);
  round = current_round (f, bernd, f->course_sales);
  g_assert_cmpstr (round->completed, ==, "2026-06-10");
  g_assert_cmpint (round->previous_id, >, 0);
  g_assert_cmpuint (n_rounds (f, bernd, f->course_sales), ==, 2);
}

/* Rows for people or courses the workspace does not know are listed, and
 * with skip-unmatched left out while the others are imported. */
static void
test_completions_unmatched (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", "Vertrieb");
  g_autoptr(GFile) file = write_csv (f, "lms.csv",
                                     "email,course,completed,score\n"
                                     "anna@example.org,CRS-001,2026-05-01,80\n"
                                     "nobody@example.org,CRS-001,2026-05-01,80\n"
                                     "anna@example.org,Tanzkurs,2026-05-01,80\n"
                                     "niemand@example.org,Tanzkurs,2026-05-01,80\n", -1);
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxAssignment) round = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f->store);
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  GPtrArray *problems;

  import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  plan = kdx_import_plan (import, f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Each unknown is named; rows are counted once. */
  g_assert_cmpuint (kdx_import_plan_get_n_problems (plan), ==, 4);
  g_assert_cmpuint (kdx_import_plan_get_n_unmatched (plan), ==, 3);
  problems = kdx_import_plan_get_problems (plan);
  g_assert_cmpuint (((KdxImportProblem *) problems->pdata[0])->line, ==, 3);
  g_assert_cmpuint (((KdxImportProblem *) problems->pdata[0])->column, ==, 1);
  g_assert_cmpuint (((KdxImportProblem *) problems->pdata[1])->line, ==, 4);
  g_assert_cmpuint (((KdxImportProblem *) problems->pdata[1])->column, ==, 2);
  g_assert_false (kdx_import_commit (import, f->store, NULL, NULL, &error));
  g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_PROBLEMS);
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (after, ==, before);

  kdx_import_set_skip_unmatched (import, TRUE);
  g_clear_pointer (&plan, kdx_import_plan_unref);
  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_unmatched (plan), ==, 3);
  g_assert_cmpuint (kdx_import_plan_get_unmatched (plan)->len, ==, 4);
  text = kdx_import_plan_describe (plan);
  g_assert_nonnull (strstr (text, "Line 3, column 1: There is no person “nobody@example.org”"));
  g_assert_nonnull (strstr (text, "Line 4, column 2: There is no course “Tanzkurs”"));
  commit (f, import);

  round = current_round (f, anna, f->course_literacy);
  g_assert_cmpstr (round->completed, ==, "2026-05-01");
  /* The journal lists what was left out. */
  for (gint64 id = kdx_test_journal_length (f->store); id > 0 && entry == NULL; id--)
    {
      g_autoptr(KdxJournalEntry) e = kdx_journal_load (f->store, id);

      if (g_strcmp0 (kdx_journal_entry_get_action (e), "import") == 0)
        entry = g_steal_pointer (&e);
    }
  g_assert_nonnull (entry);
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "nobody@example.org"));
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "\"line\":3"));
}

/* Assignments from a file: a new round each, due as the file says or in
 * 30 days; someone with an open round keeps it. */
static void
test_assignments (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", "Vertrieb");
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", "P-2", "Vertrieb");
  g_autoptr(GFile) file = write_csv (f, "zuweisung.csv",
                                     "Vorname;Nachname;Kurs;Fällig am\n"
                                     "Anna;Alt;KI-Kompetenz;31.12.2026\n"
                                     "Bernd;Brot;KI-Kompetenz;\n"
                                     "Anna;Alt;KI-Kompetenz;01.01.2027\n", -1);
  g_autoptr(KdxImport) import = open_file (f, KDX_IMPORT_ASSIGNMENTS, file);
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxAssignment) round = NULL;

  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 2);
  g_assert_cmpuint (kdx_import_plan_get_n_unchanged (plan), ==, 1);
  commit (f, import);
  round = current_round (f, anna, f->course_literacy);
  g_assert_cmpstr (round->due, ==, "2026-12-31");
  g_assert_cmpstr (round->assigned, ==, TODAY);
  g_assert_cmpint (round->source, ==, KDX_ASSIGNMENT_SOURCE_IMPORT);
  g_clear_pointer (&round, kdx_assignment_free);
  round = current_round (f, bernd, f->course_literacy);
  g_assert_cmpstr (round->due, ==, "2026-07-15");
}

/* ------------------------------------------------------------------ */
/* Bad input                                                           */

typedef struct
{
  const char    *name;
  KdxImportKind  kind;
  const char    *data;         /* after the header and @first_rows good rows */
  gsize          length;
  const char    *encoding;     /* chosen, or NULL */
  guint          first_rows;   /* people: good rows before @data */
  gboolean       raw;          /* @data is the whole file */
  const char    *expected;     /* in the message, with line and column */
} BadCase;

#define PEOPLE_HEADER "Personalnummer;Name;E-Mail;Abteilung;Gremium;Vorgesetzter\n"
#define COMPLETION_HEADER "E-Mail;Kurs;Abgeschlossen am;Punkte\n"
#define BYTES(s) s, sizeof (s) - 1

static const BadCase bad_cases[] = {
  /* In the first rows (the preview): refused when the file is opened. */
  { "unterminated-quote", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;\"Offen;offen@example.org;Vertrieb;nein;\n"), NULL, 0, FALSE,
    "Line 2, column 2" },
  /* Further down: a problem of the plan. */
  { "unterminated-quote-later", KDX_IMPORT_PEOPLE,
    BYTES ("P-99;\"Offen;offen@example.org;Vertrieb;nein;\n"), NULL, 30, FALSE,
    "Line 32, column 2" },
  { "nul-byte", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;Nu\0ll;null@example.org;Vertrieb;nein;\n"), NULL, 0, FALSE, "Line 2, column 2" },
  { "nul-byte-later", KDX_IMPORT_PEOPLE,
    BYTES ("P-99;Nu\0ll;null@example.org;Vertrieb;nein;\n"), NULL, 25, FALSE,
    "Line 27, column 2" },
  { "ragged-row", KDX_IMPORT_PEOPLE,
    BYTES ("P-99;Kurz;kurz@example.org\n"), NULL, 22, FALSE, "Line 24, column" },
  { "mib-field", KDX_IMPORT_PEOPLE, NULL, 0, NULL, 1, FALSE, "Line 3, column 2" },
  { "unknown-encoding", KDX_IMPORT_PEOPLE, BYTES (""), "KLINGONISCH-8", 1, FALSE,
    "KLINGONISCH-8" },
  { "not-utf8-nor-1252", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;Bad\x81\xe4;bad@example.org;Vertrieb;nein;\n"), NULL, 0, FALSE,
    "Line 2, column 2" },
  { "chosen-utf8-is-not", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;M\xfcller;m@example.org;Vertrieb;nein;\n"), "UTF-8", 0, FALSE,
    "Line 2, column 2" },
  { "not-csv-png", KDX_IMPORT_PEOPLE,
    BYTES ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10"), NULL, 0, TRUE, "Line 1, column 1" },
  { "not-csv-letter", KDX_IMPORT_PEOPLE,
    BYTES ("Sehr geehrte Damen und Herren\nanbei die Liste.\n"), NULL, 0, TRUE,
    "Line 1, column 1" },
  { "empty-file", KDX_IMPORT_PEOPLE, BYTES (""), NULL, 0, TRUE, "no data" },
  { "empty-name", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;;leer@example.org;Vertrieb;nein;\n"), NULL, 0, FALSE, "Line 2, column 2" },
  { "duplicate-email", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;Doppelt;p1@example.org;Vertrieb;nein;\n"), NULL, 1, FALSE, "Line 3, column 3" },
  { "duplicate-employee-id", KDX_IMPORT_PEOPLE,
    BYTES ("P-1;Doppelt;dd@example.org;Vertrieb;nein;\n"), NULL, 1, FALSE, "Line 3, column 1" },
  { "email-of-someone-else", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;Fremd;anna@example.org;Vertrieb;nein;\n"), NULL, 0, FALSE, "Line 2, column 3" },
  { "bad-committee", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;Vielleicht;v@example.org;Vertrieb;vielleicht;\n"), NULL, 0, FALSE,
    "Line 2, column 5" },
  { "unknown-manager", KDX_IMPORT_PEOPLE,
    BYTES ("P-9;Ohne Chef;oc@example.org;Vertrieb;nein;P-404\n"), NULL, 0, FALSE,
    "Line 2, column 6" },
  { "manager-circle", KDX_IMPORT_PEOPLE,
    BYTES ("P-8;Acht;a8@example.org;Vertrieb;nein;P-9\n"
           "P-9;Neun;a9@example.org;Vertrieb;nein;P-8\n"), NULL, 0, FALSE, "Line 2, column 6" },
  { "unknown-person", KDX_IMPORT_COMPLETIONS,
    BYTES ("anna@example.org;CRS-001;01.05.2026;80\n"
           "niemand@example.org;CRS-001;01.05.2026;80\n"), NULL, 0, FALSE, "Line 3, column 1" },
  { "unknown-course", KDX_IMPORT_COMPLETIONS,
    BYTES ("anna@example.org;Töpfern;01.05.2026;80\n"), NULL, 0, FALSE, "Line 2, column 2" },
  { "no-such-day", KDX_IMPORT_COMPLETIONS,
    BYTES ("anna@example.org;CRS-001;31.02.2026;80\n"), NULL, 0, FALSE,
    "Line 2, column 3: “31.02.2026” is not a day" },
  { "two-digit-year", KDX_IMPORT_COMPLETIONS,
    BYTES ("anna@example.org;CRS-001;31.12.25;80\n"), NULL, 0, FALSE, "Line 2, column 3" },
  { "future", KDX_IMPORT_COMPLETIONS,
    BYTES ("anna@example.org;CRS-001;01.01.2027;80\n"), NULL, 0, FALSE, "Line 2, column 3" },
  { "score", KDX_IMPORT_COMPLETIONS,
    BYTES ("anna@example.org;CRS-001;01.05.2026;150\n"), NULL, 0, FALSE, "Line 2, column 4" },
  /* All problems of a row are named. */
  { "several", KDX_IMPORT_COMPLETIONS,
    BYTES ("niemand@example.org;Töpfern;31.02.2026;150\n"), NULL, 0, FALSE,
    "Line 2, column 3: “31.02.2026” is not a day: February 2026 has 28 days\n"
    "  Line 2, column 4: “150” is not a score from 0 to 100\n"
    "  Line 2, column 1: There is no person “niemand@example.org” in this workspace\n"
    "  Line 2, column 2: There is no course “Töpfern” in this workspace" },
};

static GString *
people_lines (guint n)
{
  GString *out = g_string_new (PEOPLE_HEADER);

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (out, "P-%u;Person %u;p%u@example.org;Vertrieb;nein;\n", i, i, i);

  return out;
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  const BadCase *c = data;
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-0", "Vertrieb");
  g_autofree char *before = snapshot (f->store);
  g_autofree char *after = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GString) content = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = kdx_import_new (c->kind);
  g_autoptr(GError) error = NULL;

  if (c->raw)
    content = g_string_new (NULL);
  else if (c->kind == KDX_IMPORT_PEOPLE)
    content = people_lines (c->first_rows);
  else
    content = g_string_new (COMPLETION_HEADER);
  if (c->data != NULL)
    g_string_append_len (content, c->data, c->length);
  else
    {
      /* A name of 1 MiB. */
      g_string_append (content, "P-2;");
      for (guint i = 0; i < 1024 * 1024; i++)
        g_string_append_c (content, 'x');
      g_string_append (content, ";b@example.org;Vertrieb;nein;\n");
    }
  file = write_csv (f, "bad.csv", content->str, content->len);

  kdx_import_set_today (import, TODAY);
  kdx_import_set_encoding (import, c->encoding);
  if (!kdx_import_open (import, file, f->store, NULL, &error))
    message = g_strdup (error->message);
  else
    {
      g_autoptr(KdxImportPlan) plan = kdx_import_plan (import, f->store, NULL, NULL, &error);

      if (plan == NULL)
        message = g_strdup (error->message);
      else
        {
          g_assert_cmpuint (kdx_import_plan_get_n_problems (plan), >, 0);
          message = kdx_import_plan_describe (plan);
          g_assert_false (kdx_import_commit (import, f->store, NULL, NULL, &error));
          g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_PROBLEMS);
        }
    }

  g_test_message ("%s: %s", c->name, message);
  g_assert_nonnull (strstr (message, c->expected));
  after = snapshot (f->store);
  g_assert_cmpstr (after, ==, before);
}

/* ------------------------------------------------------------------ */
/* Dates, dry run, cancel                                              */

static void
test_ambiguous_dates (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", NULL);
  g_autoptr(KdxPerson) bernd = add_person (f, "Bernd Brot", "bernd@example.org", "P-2", NULL);
  g_autoptr(GFile) file = write_csv (f, "lms.csv",
                                     "email,course,completed\n"
                                     "anna@example.org,CRS-001,03/04/2026\n"
                                     "bernd@example.org,CRS-001,05/06/2026\n", -1);
  g_autoptr(KdxImport) import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxAssignment) round = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f->store);
  g_autofree char *after = NULL;
  KdxImportProblem *problem;

  /* Asked, never guessed. */
  plan = kdx_import_plan (import, f->store, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kdx_import_needs_date_order (import));
  g_assert_cmpuint (kdx_import_plan_get_n_problems (plan), ==, 1);
  problem = g_ptr_array_index (kdx_import_plan_get_problems (plan), 0);
  g_assert_cmpuint (problem->line, ==, 2);
  g_assert_cmpuint (problem->column, ==, 3);
  g_assert_nonnull (strstr (problem->message, "03/04/2026"));
  g_assert_false (kdx_import_commit (import, f->store, NULL, NULL, &error));
  g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_PROBLEMS);
  g_clear_error (&error);
  after = snapshot (f->store);
  g_assert_cmpstr (after, ==, before);

  kdx_import_set_date_order (import, KDX_DATE_ORDER_MDY);
  g_clear_pointer (&plan, kdx_import_plan_unref);
  plan = plan_clean (f, import);
  g_assert_false (kdx_import_needs_date_order (import));
  commit (f, import);
  round = current_round (f, anna, f->course_literacy);
  g_assert_cmpstr (round->completed, ==, "2026-03-04");
  g_clear_pointer (&round, kdx_assignment_free);
  round = current_round (f, bernd, f->course_literacy);
  g_assert_cmpstr (round->completed, ==, "2026-05-06");
}

/* A day above 12 further down the file decides for all of it. */
static void
test_dates_decided_later (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GString) content = g_string_new ("email,course,completed\n");
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(KdxPerson) first = NULL;
  g_autoptr(KdxAssignment) round = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *email = g_strdup_printf ("p%u@example.org", i);
      g_autofree char *name = g_strdup_printf ("Person %u", i);

      g_object_unref (add_person (f, name, email, NULL, NULL));
      g_string_append_printf (content, "%s,CRS-001,%s\n", email,
                              i < 29 ? "03/04/2026" : "25/04/2026");
    }
  file = write_csv (f, "lms.csv", content->str, content->len);
  import = open_file (f, KDX_IMPORT_COMPLETIONS, file);
  plan = plan_clean (f, import);
  g_assert_false (kdx_import_needs_date_order (import));
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 30);
  text = kdx_import_plan_describe (plan);
  g_assert_nonnull (strstr (text, "Dates with slashes are read as day/month/year."));
  commit (f, import);
  first = find_person (f, "p0@example.org");
  round = current_round (f, first, f->course_literacy);
  g_assert_cmpstr (round->completed, ==, "2026-04-03");
}

/* A file changed after it was checked is not imported on the strength of
 * the old check. */
static void
test_changed_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "staff.csv", "Personalnummer;Name\nP-1;Anna Alt\n", -1);
  g_autoptr(KdxImport) import = open_file (f, KDX_IMPORT_PEOPLE, file);
  g_autoptr(KdxImportPlan) plan = plan_clean (f, import);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f->store);
  g_autofree char *after = NULL;

  g_object_unref (write_csv (f, "staff.csv", "Personalnummer;Name\nP-1;Anna Anders\n", -1));
  g_assert_false (kdx_import_commit (import, f->store, NULL, NULL, &error));
  g_assert_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_CHANGED);
  after = snapshot (f->store);
  g_assert_cmpstr (after, ==, before);
  g_clear_error (&error);

  /* Checked again, it is imported as it is now. */
  g_clear_pointer (&plan, kdx_import_plan_unref);
  plan = plan_clean (f, import);
  commit (f, import);
  g_object_unref (find_person (f, "P-1"));
  {
    g_autoptr(KdxPerson) anna = find_person (f, "P-1");

    g_assert_cmpstr (kdx_person_get_name (anna), ==, "Anna Anders");
  }
}

/* What `kodex-cli import --dry-run` prints. */
static void
test_describe (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = add_person (f, "Anna Alt", "anna@example.org", "P-1", "Vertrieb");
  g_autoptr(GFile) file = write_csv (f, "staff.csv",
                                     "Personalnummer;Name;E-Mail;Abteilung\n"
                                     "P-1;Anna Alt;anna@example.org;Marketing\n"
                                     "P-2;Bernd Brot;bernd@example.org;Einkauf\n"
                                     "P-3;Clara Clos;clara@example.org;Vertrieb\n", -1);
  g_autoptr(KdxImport) import = open_file (f, KDX_IMPORT_PEOPLE, file);
  g_autoptr(KdxImportPlan) plan = plan_clean (f, import);
  g_autofree char *text = kdx_import_plan_describe (plan);

  g_assert_cmpstr (text, ==,
                   "staff.csv (UTF-8, semicolon as delimiter) has 3 rows.\n"
                   "2 people will be added:\n"
                   "  Bernd Brot, Clara Clos\n"
                   "1 person will be changed:\n"
                   "  Anna Alt\n"
                   "New departments: Einkauf, Marketing.\n");
  g_assert_cmpuint (kdx_import_plan_get_sha256 (plan) != NULL, ==, TRUE);
}

/* A cancelled import leaves nothing: cancelled before, or while it
 * writes (from another thread, as the dialog's Cancel does). */
typedef struct
{
  KdxImport    *import;
  KdxStore     *store;
  GCancellable *cancellable;
  GError       *error;
  gboolean      ok;
} CommitThread;

static gpointer
commit_thread (gpointer data)
{
  CommitThread *t = data;

  t->ok = kdx_import_commit (t->import, t->store, NULL, t->cancellable, &t->error);

  return NULL;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GString) content = people_lines (40000);
  g_autoptr(GFile) file = write_csv (f, "staff.csv", content->str, content->len);
  g_autoptr(KdxImport) import = open_file (f, KDX_IMPORT_PEOPLE, file);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f->store);
  g_autofree char *after = NULL;
  CommitThread t = { 0 };
  GThread *thread;

  plan = plan_clean (f, import);
  g_assert_cmpuint (kdx_import_plan_get_n_new (plan), ==, 40000);
  g_cancellable_cancel (cancellable);
  g_assert_false (kdx_import_commit (import, f->store, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = snapshot (f->store);
  g_assert_cmpstr (after, ==, before);

  t.import = import;
  t.store = f->store;
  t.cancellable = g_cancellable_new ();
  thread = g_thread_new ("commit", commit_thread, &t);
  g_usleep (G_USEC_PER_SEC / 20);
  g_cancellable_cancel (t.cancellable);
  g_thread_join (thread);
  g_clear_object (&t.cancellable);
  if (t.ok)
    {
      g_test_incomplete ("The import was done before it could be cancelled");
      return;
    }
  g_assert_error (t.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&t.error);
  g_clear_pointer (&after, g_free);
  after = snapshot (f->store);
  g_assert_cmpstr (after, ==, before);
}

/* Names and fields, as the CLI and the dialog use them. */
static void
test_names (void)
{
  const KdxImportField *fields;
  guint n = 0;

  g_assert_cmpint (kdx_import_kind_from_string ("completions"), ==, KDX_IMPORT_COMPLETIONS);
  g_assert_cmpint (kdx_import_kind_from_string ("courses"), ==, -1);
  g_assert_cmpstr (kdx_import_kind_to_string (KDX_IMPORT_PEOPLE), ==, "people");
  for (guint i = 0; i < KDX_IMPORT_N_FIELDS; i++)
    {
      g_assert_cmpint (kdx_import_field_from_string (kdx_import_field_to_string (i)), ==, i);
      g_assert_nonnull (kdx_import_field_get_label (i));
    }
  g_assert_cmpint (kdx_import_field_from_string ("first-name"), ==, KDX_IMPORT_FIELD_FIRST_NAME);
  fields = kdx_import_kind_get_fields (KDX_IMPORT_PEOPLE, &n);
  g_assert_cmpint (fields[0], ==, KDX_IMPORT_FIELD_IGNORE);
  g_assert_cmpuint (n, ==, 11);
  fields = kdx_import_kind_get_fields (KDX_IMPORT_COMPLETIONS, &n);
  g_assert_cmpint (fields[n - 1], ==, KDX_IMPORT_FIELD_SCORE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/kdx/import/names", test_names);
  ADD ("people/german-excel", test_people_german_excel);
  ADD ("people/update", test_people_update);
  ADD ("people/swap", test_people_swap);
  ADD ("people/managers", test_people_managers);
  ADD ("people/deactivate-missing", test_people_deactivate_missing);
  ADD ("people/remembered-mapping", test_people_remembered_mapping);
  ADD ("completions/moodle", test_completions_moodle);
  ADD ("completions/moodle-utf16", test_completions_utf16);
  ADD ("completions/moodle-custom", test_completions_moodle_custom);
  ADD ("completions/generic", test_completions_generic);
  ADD ("completions/unmatched", test_completions_unmatched);
  ADD ("assignments", test_assignments);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/import/bad/%s", bad_cases[i].name);

      g_test_add (path, Fixture, &bad_cases[i], fixture_set_up, test_bad_input,
                  fixture_tear_down);
    }
  ADD ("dates/ambiguous", test_ambiguous_dates);
  ADD ("dates/decided-later", test_dates_decided_later);
  ADD ("describe", test_describe);
  ADD ("changed-file", test_changed_file);
  ADD ("cancel", test_cancel);

#undef ADD

  {
    int rc = g_test_run ();

    kdx_test_templates_clear ();
    return rc;
  }
}
