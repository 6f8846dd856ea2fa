/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workspace file: how it is created, what every connection to it is
 * set to, which files are refused (and left untouched), migrations,
 * backups, the change signal and the settings.
 */
#define G_LOG_DOMAIN "kdx-test-store"

#include "config.h"

#include "kdx-test-util.h"

#include <json-glib/json-glib.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Governance.kodex", NULL);
  /* Wherever $TMPDIR is, these tests see a local disk (WAL) unless they
   * say otherwise. */
  _kdx_store_set_fs_type_override ("local");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  _kdx_store_set_fs_type_override (NULL);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
}

/* ------------------------------------------------------------------ */
/* Creating                                                           */

static void
test_create_mode (Fixture       *f,
                  gconstpointer  data)
{
  const mode_t umasks[] = { 022, 0, 077 };

  for (guint i = 0; i < G_N_ELEMENTS (umasks); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/umask-%03o.kodex", f->dir, umasks[i]);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_autoptr(KdxStore) store = NULL;
      mode_t old = umask (umasks[i]);

      store = kdx_test_create (path);
      g_object_unref (kdx_test_add_person (store, "Anna Alt", NULL, NULL, NULL));
      umask (old);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpuint (kdx_test_file_mode (path), ==, 0600);
      /* The write-ahead log holds personal data too. */
      g_assert_true (kdx_store_uses_wal (store));
      g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
      g_assert_cmpuint (kdx_test_file_mode (wal), ==, 0600);
      g_assert_cmpuint (kdx_test_file_mode (shm), ==, 0600);
      kdx_test_close (&store);
      g_assert_cmpuint (kdx_test_file_mode (path), ==, 0600);
    }
}

static void
assert_header (const char *path)
{
  static const guint8 app_id[4] = { 0x4B, 0x44, 0x58, 0x31 };  /* "KDX1" */
  guint8 header[100];
  guint32 user_version;

  kdx_test_read_bytes (path, 0, header, sizeof header);
  g_assert_cmpmem (header, 16, "SQLite format 3", 16);
  g_assert_cmpmem (header + 68, 4, app_id, 4);
  user_version = ((guint32) header[60] << 24) | ((guint32) header[61] << 16) |
                 ((guint32) header[62] << 8) | header[63];
  g_assert_cmpuint (user_version, ==, KDX_SCHEMA_VERSION);
}

static void
test_create_header (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KdxStore) store = kdx_test_create (f->path);

  /* Recognisable while the app still has it open (before any checkpoint)… */
  assert_header (f->path);
  g_assert_cmpint (kdx_test_db_int (kdx_store_get_db (store), "PRAGMA application_id"), ==,
                   (gint32) KDX_APPLICATION_ID);
  kdx_test_close (&store);

  /* …and after it closed. */
  assert_header (f->path);
}

static void
test_create_exists (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *notes = g_build_filename (f->dir, "Notizen.kodex", NULL);
  g_autofree char *link = g_build_filename (f->dir, "Link.kodex", NULL);
  g_autofree char *target = g_build_filename (f->dir, "target-of-link", NULL);
  g_autoptr(KdxStore) store = kdx_test_create (f->path);
  g_autofree char *sum_ws = NULL;
  g_autofree char *sum_notes = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;

  g_object_unref (kdx_test_add_person (store, "Anna Alt", "anna@example.org", NULL, NULL));
  kdx_test_close (&store);
  kdx_test_write_file (notes, "Protokoll der Sitzung vom 3. März\n", -1);
  g_assert_cmpint (symlink (target, link), ==, 0);

  sum_ws = kdx_test_checksum_file (f->path);
  sum_notes = kdx_test_checksum_file (notes);
  listing = kdx_test_list_dir (f->dir);

  {
    const char *paths[] = { f->path, notes, link };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(KdxStore) again = kdx_store_create (paths[i], "Andere GmbH", "en", &error);

        g_assert_null (again);
        g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_EXISTS);
      }
  }

  /* Byte-identical, no side files, and the symlink's target not created. */
  kdx_test_assert_checksum (f->path, sum_ws);
  kdx_test_assert_checksum (notes, sum_notes);
  listing_after = kdx_test_list_dir (f->dir);
  g_assert_cmpstr (listing_after, ==, listing);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (kdx_person_count (store), ==, 1);
  kdx_test_assert_setting (store, "organisation", "Testfirma GmbH");
  kdx_test_close (&store);
}

/* ------------------------------------------------------------------ */
/* Connection settings                                                */

static void
assert_db_config (sqlite3 *db,
                  int      op,
                  int      expected)
{
  int value = -1;

  g_assert_cmpint (sqlite3_db_config (db, op, -1, &value), ==, SQLITE_OK);
  g_assert_cmpint (value, ==, expected);
}

static void
assert_connection_settings (KdxStore   *store,
                            const char *journal_mode)
{
  sqlite3 *db = kdx_store_get_db (store);
  g_autofree char *mode = NULL;

  g_assert_nonnull (db);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA application_id"), ==, (gint32) KDX_APPLICATION_ID);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA user_version"), ==, KDX_SCHEMA_VERSION);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA trusted_schema"), ==, 0);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA secure_delete"), ==, 1);
  assert_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1);
  assert_db_config (db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0);
  assert_db_config (db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0);
  assert_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0);

  mode = kdx_test_db_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, journal_mode);
  g_assert_cmpint (kdx_store_uses_wal (store), ==, g_str_equal (journal_mode, "wal"));

  /* Not only the flag: loading an extension is refused. */
  {
    char *msg = NULL;

    g_assert_cmpint (sqlite3_exec (db, "SELECT load_extension('/nonexistent/evil')",
                                   NULL, NULL, &msg), !=, SQLITE_OK);
    sqlite3_free (msg);
  }
}

static void
test_connection_settings (gconstpointer data)
{
  const char *fs = data;
  const char *mode = g_str_equal (fs, "local") ? "wal" : "delete";
  Fixture f = { 0 };
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxStore) secondary = NULL;
  g_autoptr(KdxStore) reader = NULL;
  g_autoptr(KdxStore) second = NULL;
  g_autoptr(GError) error = NULL;

  fixture_set_up (&f, NULL);
  _kdx_store_set_fs_type_override (fs);

  /* The connection that created the file. */
  store = kdx_test_create (f.path);
  assert_connection_settings (store, mode);

  /* A job's connection, which also writes. */
  secondary = kdx_store_open_secondary (store, &error);
  g_assert_no_error (error);
  assert_connection_settings (secondary, mode);
  g_object_unref (kdx_test_add_person (secondary, "Jana Job", NULL, NULL, NULL));
  g_assert_cmpint (kdx_person_count (store), ==, 1);

  /* A read-only look (CLI info, export, backup). */
  reader = kdx_test_open (f.path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (kdx_store_get_read_only_reason (reader), ==, KDX_STORE_READ_ONLY_REQUESTED);
  assert_connection_settings (reader, mode);

  /* A second instance, read-only because the first holds the lock. */
  second = kdx_test_open (f.path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpint (kdx_store_get_read_only_reason (second), ==, KDX_STORE_READ_ONLY_LOCKED);
  assert_connection_settings (second, mode);

  kdx_test_close (&second);
  kdx_test_close (&reader);
  kdx_test_close (&secondary);
  kdx_test_close (&store);

  /* Opening an existing file for writing. */
  store = kdx_test_open (f.path, KDX_STORE_OPEN_DEFAULT);
  g_assert_false (kdx_store_is_read_only (store));
  assert_connection_settings (store, mode);
  secondary = kdx_store_open_secondary (store, &error);
  g_assert_no_error (error);
  assert_connection_settings (secondary, mode);
  kdx_test_close (&secondary);
  kdx_test_close (&store);

  fixture_tear_down (&f, NULL);
}

/* A workspace copied from a local disk to a network share (and back)
 * switches its journal when it is opened there. */
static void
test_connection_moved (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KdxStore) store = NULL;
  guint8 header[20];

  _kdx_store_set_fs_type_override ("local");
  store = kdx_test_create (f->path);
  kdx_test_close (&store);
  kdx_test_read_bytes (f->path, 0, header, sizeof header);
  g_assert_cmpuint (header[18], ==, 2);  /* WAL */

  _kdx_store_set_fs_type_override ("nfs");
  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  assert_connection_settings (store, "delete");
  g_object_unref (kdx_test_add_person (store, "Nina Netz", NULL, NULL, NULL));
  kdx_test_close (&store);
  kdx_test_read_bytes (f->path, 0, header, sizeof header);
  g_assert_cmpuint (header[18], ==, 1);  /* rollback journal */

  _kdx_store_set_fs_type_override ("local");
  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  assert_connection_settings (store, "wal");
  g_assert_cmpint (kdx_person_count (store), ==, 1);
  kdx_test_close (&store);
}

/* ------------------------------------------------------------------ */
/* Files that are refused, and stay as they were                      */

typedef struct
{
  const char *name;
  void      (*make) (const char *path);
  int         code;   /* a KdxStoreError, or -1: opens read-only as NEWER */
} BadFile;

static void
make_text (const char *path)
{
  kdx_test_write_file (path,
                       "Protokoll der Sitzung des Ethikgremiums vom 3. März 2025\n"
                       "Anwesend: Dr. Petra Engel, Martin Seidel, Birgit Frank\n"
                       "TOP 1: Freigabe der Richtlinie POL-007 zur Lead-Bewertung\n", -1);
}

static void
make_short_text (const char *path)
{
  kdx_test_write_file (path, "hello\n", -1);
}

static void
make_empty (const char *path)
{
  kdx_test_write_file (path, "", 0);
}

static void
make_other_app (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  kdx_test_db_exec (db,
                    "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
                    "INSERT INTO moz_places (url) VALUES ('https://example.org/');"
                    "PRAGMA user_version = 2;");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
make_workspace (const char *path)
{
  g_autoptr(KdxStore) store = kdx_test_create (path);

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person Nummer %u", i);
      g_object_unref (kdx_test_add_person (store, name, NULL, "Vertrieb", "Vertriebsmitarbeitende"));
    }
  kdx_test_close (&store);
}

static void
make_truncated (const char *path)
{
  make_workspace (path);
  g_assert_cmpint (truncate (path, 1000), ==, 0);
}

static void
make_bad_page (const char *path)
{
  guint8 garbage[3000];
  int fd;

  make_workspace (path);
  memset (garbage, 0xA5, sizeof garbage);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  /* Page 2 onwards: b-tree pages of the schema's tables. */
  g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, 4096), ==, sizeof garbage);
  close (fd);
}

static void
make_incomplete (const char *path)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; CREATE TABLE x (y);",
                                          (gint32) KDX_APPLICATION_ID);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  kdx_test_db_exec (db, sql);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
make_newer (const char *path)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", KDX_SCHEMA_VERSION + 1);

  make_workspace (path);
  kdx_test_raw_exec (path, sql);
}

static const BadFile bad_files[] = {
  { "text", make_text, KDX_STORE_ERROR_NOT_SQLITE },
  { "short-text", make_short_text, KDX_STORE_ERROR_NOT_SQLITE },
  { "empty", make_empty, KDX_STORE_ERROR_NOT_SQLITE },
  { "other-app", make_other_app, KDX_STORE_ERROR_NOT_WORKSPACE },
  { "truncated", make_truncated, KDX_STORE_ERROR_DAMAGED },
  { "bad-page", make_bad_page, KDX_STORE_ERROR_DAMAGED },
  { "incomplete", make_incomplete, KDX_STORE_ERROR_DAMAGED },
  { "newer", make_newer, -1 },
};

static void
test_open_refused (gconstpointer data)
{
  const BadFile *bad = data;
  const KdxStoreOpenFlags flags[] = { KDX_STORE_OPEN_DEFAULT, KDX_STORE_OPEN_READ_ONLY };
  Fixture f = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  fixture_set_up (&f, NULL);
  bad->make (f.path);
  before = kdx_test_checksum_file (f.path);
  g_assert_nonnull (before);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KdxStore) store = NULL;
      gint64 start = g_get_monotonic_time ();

      store = kdx_store_open (f.path, flags[i], &error);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

      if (bad->code >= 0)
        {
          g_assert_error (error, KDX_STORE_ERROR, bad->code);
          g_assert_null (store);
          /* The message names the file. */
          g_assert_nonnull (strstr (error->message, "Governance.kodex"));
        }
      else
        {
          g_autoptr(KdxPerson) person = kdx_person_new ();
          g_autoptr(GError) write_error = NULL;

          g_assert_no_error (error);
          g_assert_nonnull (store);
          g_assert_true (kdx_store_is_read_only (store));
          g_assert_cmpint (kdx_store_get_read_only_reason (store), ==, KDX_STORE_READ_ONLY_NEWER);

          /* It can be read… */
          g_assert_cmpint (kdx_person_count (store), ==, 30);
          /* …but not written, not even by accident. */
          kdx_person_set_name (person, "Nicht Erlaubt");
          g_assert_false (kdx_person_insert (store, person, &write_error));
          g_assert_error (write_error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY);
          g_clear_error (&write_error);
          g_assert_false (kdx_store_set_setting (store, "quorum", "all", &write_error));
          g_assert_error (write_error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY);
          g_assert_cmpint (kdx_person_count (store), ==, 30);
          kdx_test_close (&store);
        }

      after = kdx_test_checksum_file (f.path);
      g_assert_cmpstr (after, ==, before);
      g_clear_pointer (&after, g_free);
    }

  fixture_tear_down (&f, NULL);
}

static void
test_open_missing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = kdx_store_open (f->path, KDX_STORE_OPEN_DEFAULT, &error);

  g_assert_null (store);
  g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_FOUND);
  /* Opening never creates a file. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------ */
/* Migrations                                                         */

#define OLD_PERSON_UUID "0b7c2d6e-8f3a-4c1e-9a5b-2d4f6e8a0c1e"

static void
make_v1_workspace (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = _kdx_store_create_at_version (path, 1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  kdx_test_close (&store);

  /* A person as Kodex 1 stored them: no search index yet. */
  kdx_test_raw_exec (path,
                     "INSERT INTO person (uuid, name, sort_key, email, department, role, "
                     "  committee, active, created, modified) VALUES ("
                     "'" OLD_PERSON_UUID "', 'Jürgen Müller', 'jurgen muller', "
                     "'juergen.mueller@example.org', 'Vertrieb Außendienst', "
                     "'Gebietsverkaufsleiter', 0, 1, "
                     "'2023-05-02T08:00:00.000000Z', '2023-05-02T08:00:00.000000Z')");
  g_assert_cmpint (kdx_test_raw_int (path, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (kdx_test_raw_int (path, "SELECT count(*) FROM sqlite_master "
                                           "WHERE name = 'person_search'"), ==, 0);
}

static guint
count_search (KdxStore   *store,
              const char *search)
{
  g_autoptr(GListModel) model = kdx_person_model_new (store);

  kdx_person_model_set_filter (model, search, TRUE, FALSE, KDX_PERSON_SORT_NAME, FALSE);

  return g_list_model_get_n_items (model);
}

static void
test_migrate_v1 (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".v1.bak", NULL);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxPerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup_sum = NULL;
  sqlite3 *db;

  make_v1_workspace (f->path);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));

  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_false (kdx_store_is_read_only (store));
  g_assert_cmpint (kdx_test_db_int (kdx_store_get_db (store), "PRAGMA user_version"), ==,
                   KDX_SCHEMA_VERSION);

  /* The old person is there and found by the new search index. */
  person = kdx_person_load (store, OLD_PERSON_UUID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_person_get_name (person), ==, "Jürgen Müller");
  g_assert_cmpuint (count_search (store, "muller"), ==, 1);
  g_assert_cmpuint (count_search (store, "Außendienst"), ==, 1);
  g_assert_cmpuint (count_search (store, "mü"), ==, 1);
  g_assert_cmpuint (count_search (store, "schmidt"), ==, 0);
  g_assert_true (kdx_store_check (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_journal_verify (store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kdx_test_close (&store);

  /* The copy of the old file, taken before the upgrade. */
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (kdx_test_file_mode (backup), ==, 0600);
  db = kdx_test_raw_open (backup);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (kdx_test_db_int (db, "PRAGMA application_id"), ==, (gint32) KDX_APPLICATION_ID);
  g_assert_cmpint (kdx_test_db_int (db, "SELECT count(*) FROM person WHERE uuid = '"
                                        OLD_PERSON_UUID "' AND name = 'Jürgen Müller'"), ==, 1);
  g_assert_cmpint (kdx_test_db_int (db, "SELECT count(*) FROM sqlite_master "
                                        "WHERE name = 'person_search'"), ==, 0);
  g_assert_cmpint (kdx_test_db_int (db, "SELECT count(*) FROM lock"), ==, 0);
  {
    g_autofree char *integrity = kdx_test_db_text (db, "PRAGMA integrity_check");
    g_assert_cmpstr (integrity, ==, "ok");
  }
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  backup_sum = kdx_test_checksum_file (backup);

  /* A second open has nothing to upgrade and leaves the backup alone. */
  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpuint (count_search (store, "jurgen"), ==, 1);
  kdx_test_close (&store);
  kdx_test_assert_checksum (backup, backup_sum);
}

static void
test_migrate_read_only (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *backup = g_strconcat (f->path, ".v1.bak", NULL);
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;

  make_v1_workspace (f->path);
  before = kdx_test_checksum_file (f->path);

  /* A look without writing (an auditor's verify) reads the old file as it
   * is: no upgrade, no backup, not a byte changed, and the chain verifies. */
  store = kdx_store_open (f->path, KDX_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (kdx_store_is_read_only (store));
  g_assert_true (kdx_journal_verify (store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KdxPerson) person = kdx_person_new ();

    kdx_person_set_name (person, "Nur Lesen");
    g_assert_false (kdx_person_insert (store, person, &error));
    g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY);
  }
  kdx_test_close (&store);
  kdx_test_assert_checksum (f->path, before);
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------ */
/* Backups                                                            */

static GPtrArray *
people_as_json (KdxStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = kdx_person_list_all (store, TRUE, &error);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < people->len; i++)
    {
      KdxPerson *p = g_ptr_array_index (people, i);
      g_autofree char *json = kdx_person_to_json (p);

      g_ptr_array_add (out, g_strdup_printf ("%s %s %s", json, kdx_person_get_created (p),
                                             kdx_person_get_modified (p)));
    }
  g_ptr_array_sort (out, kdx_test_compare_strings);

  return out;
}

static void
assert_same_people (GPtrArray *a,
                    GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

/* A backup killed half-way leaves a full copy of personal data behind; the
 * next backup into that folder removes what dead processes left, and
 * nothing of a process that still runs. */
static void
test_backup_removes_stale_temporaries (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "Sicherung.kodex", NULL);
  g_autofree char *stale = NULL;
  g_autofree char *live = NULL;
  g_autoptr(KdxStore) store = kdx_test_create (f->path);
  g_autoptr(GError) error = NULL;
  GPid child;
  int status;

  /* A pid that surely does not run any more: a child that has exited. */
  child = fork ();
  if (child == 0)
    _exit (0);
  waitpid (child, &status, 0);

  stale = g_strdup_printf ("%s/.kodex-backup-%d-AbCdEf", f->dir, (int) child);
  live = g_strdup_printf ("%s/.kodex-backup-%d-GhIjKl", f->dir, (int) getppid ());
  kdx_test_write_file (stale, "persönliche Daten", -1);
  kdx_test_write_file (live, "in Arbeit", -1);

  g_assert_true (kdx_store_backup (store, dest, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dest, G_FILE_TEST_EXISTS));
}

static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "Sicherung.kodex", NULL);
  g_autoptr(KdxStore) store = kdx_test_create (f->path);
  g_autoptr(KdxStore) copy = NULL;
  g_autoptr(KdxPerson) trashed = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) copied = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *listing = NULL;
  guint8 header[20];
  mode_t old;

  g_object_unref (kdx_test_add_person (store, "Anna Alt", "anna@example.org", "Vertrieb", NULL));
  g_object_unref (kdx_test_add_person (store, "Bernd Brot", NULL, "Marketing", "Leiter"));
  trashed = kdx_test_add_person (store, "Carla Chor", "carla@example.org", NULL, NULL);
  g_assert_true (kdx_person_trash (store, kdx_person_get_uuid (trashed), &error));
  g_assert_no_error (error);
  people = people_as_json (store);
  head = kdx_test_journal_head (store);

  old = umask (022);
  g_assert_true (kdx_store_backup (store, dest, NULL, &error));
  umask (old);
  g_assert_no_error (error);

  g_assert_cmpuint (kdx_test_file_mode (dest), ==, 0600);
  /* A workspace of its own: rollback journal, no lock. */
  kdx_test_read_bytes (dest, 0, header, sizeof header);
  g_assert_cmpuint (header[18], ==, 1);
  g_assert_cmpint (kdx_test_raw_int (dest, "SELECT count(*) FROM lock"), ==, 0);
  /* No temporary file left beside it. */
  listing = kdx_test_list_dir (f->dir);
  g_assert_cmpstr (listing, ==,
                   "Governance.kodex\nGovernance.kodex-shm\nGovernance.kodex-wal\nSicherung.kodex");

  copy = kdx_test_open (dest, KDX_STORE_OPEN_READ_ONLY);
  copied = people_as_json (copy);
  assert_same_people (people, copied);
  g_assert_null (kdx_store_dup_lock_holder (copy));
  kdx_test_assert_head (copy, head);
  g_assert_true (kdx_journal_verify (copy, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kdx_test_assert_setting (copy, "organisation", "Testfirma GmbH");
  kdx_test_close (&copy);

  /* It opens for writing, as a workspace of its own. */
  copy = kdx_test_open (dest, KDX_STORE_OPEN_DEFAULT);
  g_assert_false (kdx_store_is_read_only (copy));
  kdx_test_close (&copy);

  /* A second backup replaces the first. */
  g_object_unref (kdx_test_add_person (store, "Dora Dach", NULL, NULL, NULL));
  g_assert_true (kdx_store_backup (store, dest, NULL, &error));
  g_assert_no_error (error);
  copy = kdx_test_open (dest, KDX_STORE_OPEN_READ_ONLY);
  g_assert_cmpint (kdx_person_count (copy), ==, 3);
  kdx_test_close (&copy);

  kdx_test_close (&store);
}

static void
test_backup_fails_cleanly (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "fehlt", "Sicherung.kodex", NULL);
  g_autofree char *folder = g_build_filename (f->dir, "Ordner.kodex", NULL);
  g_autoptr(KdxStore) store = kdx_test_create (f->path);
  g_autofree char *listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *dests[] = { missing, folder };

  g_object_unref (kdx_test_add_person (store, "Anna Alt", NULL, NULL, NULL));
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  listing = kdx_test_list_dir (f->dir);

  for (guint i = 0; i < G_N_ELEMENTS (dests); i++)
    {
      g_assert_false (kdx_store_backup (store, dests[i], NULL, &error));
      g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO);
      g_clear_error (&error);
      kdx_test_assert_listing (f->dir, listing);
    }
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  kdx_test_assert_listing (folder, "");

  /* The workspace itself is unharmed. */
  g_assert_cmpint (kdx_person_count (store), ==, 1);
  kdx_test_close (&store);
  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_true (kdx_store_check (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_person_count (store), ==, 1);
  kdx_test_close (&store);
}

/* ------------------------------------------------------------------ */
/* The change signal                                                  */

typedef struct
{
  guint   n_emissions;
  GArray *ids;   /* of the last emission */
  char   *entity;
} Changes;

static void
changed_cb (KdxStore   *store,
            const char *entity,
            GArray     *ids,
            Changes    *changes)
{
  changes->n_emissions++;
  g_clear_pointer (&changes->ids, g_array_unref);
  if (ids != NULL)
    changes->ids = g_array_ref (ids);
  g_free (changes->entity);
  changes->entity = g_strdup (entity);
}

static gboolean
ids_contain (GArray *ids,
             gint64  id)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KdxStore) store = kdx_test_create (f->path);
  g_autoptr(KdxPerson) anna = NULL;
  g_autoptr(KdxPerson) bernd = kdx_person_new ();
  g_autoptr(KdxPerson) carla = kdx_person_new ();
  g_autoptr(KdxPerson) dora = kdx_person_new ();
  g_autoptr(KdxPerson) nameless = kdx_person_new ();
  g_autoptr(GError) error = NULL;
  Changes person = { 0 };
  Changes setting = { 0 };

  g_signal_connect (store, "changed::person", G_CALLBACK (changed_cb), &person);
  g_signal_connect (store, "changed::setting", G_CALLBACK (changed_cb), &setting);

  /* One insert: one emission naming that person. */
  anna = kdx_test_add_person (store, "Anna Alt", NULL, NULL, NULL);
  g_assert_cmpuint (person.n_emissions, ==, 1);
  g_assert_cmpstr (person.entity, ==, "person");
  g_assert_cmpuint (person.ids->len, ==, 1);
  g_assert_cmpint (g_array_index (person.ids, gint64, 0), ==, kdx_person_get_id (anna));

  kdx_person_set_role (anna, "Leiterin");
  g_assert_true (kdx_person_update (store, anna, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person.n_emissions, ==, 2);
  g_assert_true (ids_contain (person.ids, kdx_person_get_id (anna)));

  /* Two changes in one transaction: one emission, after the commit. */
  g_assert_true (kdx_store_begin (store, &error));
  kdx_person_set_name (bernd, "Bernd Brot");
  kdx_person_set_name (carla, "Carla Chor");
  g_assert_true (kdx_person_insert (store, bernd, &error));
  g_assert_true (kdx_person_insert (store, carla, &error));
  g_assert_cmpuint (person.n_emissions, ==, 2);
  g_assert_true (kdx_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person.n_emissions, ==, 3);
  g_assert_cmpuint (person.ids->len, ==, 2);
  g_assert_true (ids_contain (person.ids, kdx_person_get_id (bernd)));
  g_assert_true (ids_contain (person.ids, kdx_person_get_id (carla)));

  /* A rollback: no emission, nothing written. */
  g_assert_true (kdx_store_begin (store, &error));
  kdx_person_set_name (dora, "Dora Dach");
  g_assert_true (kdx_person_insert (store, dora, &error));
  kdx_store_rollback (store);
  g_assert_cmpuint (person.n_emissions, ==, 3);
  g_assert_cmpint (kdx_person_count (store), ==, 3);

  /* A refused change: no emission. */
  g_assert_false (kdx_person_insert (store, nameless, &error));
  g_assert_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (person.n_emissions, ==, 3);

  /* A setting is another entity. */
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:5", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (person.n_emissions, ==, 3);
  g_assert_cmpuint (setting.n_emissions, ==, 1);

  /* The next transaction does not repeat the ids of the rolled-back one. */
  g_assert_true (kdx_person_trash (store, kdx_person_get_uuid (carla), &error));
  g_assert_cmpuint (person.n_emissions, ==, 4);
  g_assert_cmpuint (person.ids->len, ==, 1);
  g_assert_cmpint (g_array_index (person.ids, gint64, 0), ==, kdx_person_get_id (carla));

  g_signal_handlers_disconnect_by_data (store, &person);
  g_signal_handlers_disconnect_by_data (store, &setting);
  g_clear_pointer (&person.ids, g_array_unref);
  g_clear_pointer (&setting.ids, g_array_unref);
  g_free (person.entity);
  g_free (setting.entity);
  kdx_test_close (&store);
}

/* ------------------------------------------------------------------ */
/* Settings                                                           */

static void
assert_json_member (const char *json,
                    const char *member,
                    const char *expected)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_nonnull (json);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, member), ==, expected);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KdxStore) store = kdx_test_create (f->path);
  g_autoptr(KdxStore) reader = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  gint64 length;

  /* What a new workspace starts with. */
  kdx_test_assert_setting (store, "organisation", "Testfirma GmbH");
  kdx_test_assert_setting (store, "language", "de");
  kdx_test_assert_setting (store, "quorum", "majority:3");
  g_assert_null (kdx_store_dup_setting (store, "no-such-key"));

  length = kdx_test_journal_length (store);
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:5", &error));
  g_assert_no_error (error);
  kdx_test_assert_setting (store, "quorum", "majority:5");
  g_assert_cmpint (kdx_test_journal_length (store), ==, length + 1);

  entry = kdx_test_last_entry (store);
  g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "setting");
  g_assert_cmpstr (kdx_journal_entry_get_entity_id (entry), ==, "quorum");
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "update");
  assert_json_member (kdx_journal_entry_get_before (entry), "value", "majority:3");
  assert_json_member (kdx_journal_entry_get_after (entry), "value", "majority:5");
  g_clear_object (&entry);

  /* The same value again is no change. */
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:5", &error));
  g_assert_cmpint (kdx_test_journal_length (store), ==, length + 1);

  /* A new key, with text that needs escaping in JSON. */
  g_assert_true (kdx_store_set_setting (store, "report-footer",
                                        "Vertraulich – \"nur\" intern\n© B&H", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (store), ==, length + 2);
  entry = kdx_test_last_entry (store);
  g_assert_null (kdx_journal_entry_get_before (entry));
  assert_json_member (kdx_journal_entry_get_after (entry), "value",
                      "Vertraulich – \"nur\" intern\n© B&H");
  g_clear_object (&entry);

  /* A read-only look cannot change settings. */
  reader = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_false (kdx_store_set_setting (reader, "quorum", "all", &error));
  g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  kdx_test_close (&reader);
  g_assert_cmpint (kdx_test_journal_length (store), ==, length + 2);
  kdx_test_close (&store);

  /* They last. */
  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  kdx_test_assert_setting (store, "quorum", "majority:5");
  kdx_test_assert_setting (store, "report-footer", "Vertraulich – \"nur\" intern\n© B&H");
  g_assert_true (kdx_journal_verify (store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kdx_test_close (&store);
}

int
main (int    argc,
      char **argv)
{
  static const char *fs_types[] = { "local", "nfs", "fuse" };

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create/mode", test_create_mode);
  ADD ("create/header", test_create_header);
  ADD ("create/exists", test_create_exists);

  for (guint i = 0; i < G_N_ELEMENTS (fs_types); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/store/connection/%s", fs_types[i]);
      g_test_add_data_func (path, fs_types[i], test_connection_settings);
    }
  ADD ("connection/moved", test_connection_moved);

  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/store/open/refused/%s", bad_files[i].name);
      g_test_add_data_func (path, &bad_files[i], test_open_refused);
    }
  ADD ("open/missing", test_open_missing);

  ADD ("migrate/v1", test_migrate_v1);
  ADD ("migrate/read-only", test_migrate_read_only);

  ADD ("backup/copy", test_backup);
  ADD ("backup/fails-cleanly", test_backup_fails_cleanly);
  ADD ("backup/removes-stale-temporaries", test_backup_removes_stale_temporaries);

  ADD ("changed-signal", test_changed_signal);
  ADD ("settings", test_settings);

#undef ADD

  return g_test_run ();
}
