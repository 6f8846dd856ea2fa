/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hostile workspace files (SAFETY.md "Store"): a workspace can come from
 * anyone. Mutants of a real one (random bytes flipped, many in the
 * 100-byte header) never crash an open and never take over 5 s; a file a
 * normal open refuses, or opens read-only, is never written; a read-only
 * open never writes. Triggers and views that call functions
 * trusted_schema=OFF must block never run them, and tables whose SQL was
 * altered never crash Kodex: the open works or refuses the file cleanly.
 * A wrong application_id is refused; a file of a newer Kodex opens
 * read-only and is not written. Short: 100 mutants; long: 1000. Every
 * open runs in a child (safety-helper probe), with warnings fatal.
 */
#include "config.h"

#include "kdx-demo.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "safety-common.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *
make_demo (const char *dir)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "demo.kodex", NULL);
  g_autoptr(KdxStore) store = kdx_store_create (path, NULL, "de", &error);

  g_assert_no_error (error);
  kdx_demo_fill (store, KDX_DEMO_SMALL, "de", NULL, NULL, &error);
  g_assert_no_error (error);
  kdx_store_close (store);

  return path;
}

typedef struct
{
  int       status;
  gint64    ms;
  gboolean  crashed;
  char     *out;
  char     *err;
} Probe;

static void
probe_clear (Probe *probe)
{
  g_free (probe->out);
  g_free (probe->err);
}

static guint n_crash_reports;

/* Opens @path in a child that an alarm kills after 5 s; with @writes it
 * then tries an insert and a setting. */
static Probe
probe_full (const char *path,
            const char *how,
            gboolean    writes)
{
  g_autofree char *alarm = g_strdup_printf ("%u", 5 * safety_slowdown ());
  g_autoptr(SafetyChild) child = safety_helper_spawn ("--alarm", alarm, "probe", path, how,
                                                      writes ? "write" : NULL, NULL);
  Probe result;

  result.status = safety_child_wait (child);
  result.ms = (g_get_monotonic_time () - child->started) / 1000;
  result.out = g_strdup (child->out->str);
  result.err = g_strdup (child->err->str);
  result.crashed = !WIFEXITED (result.status) ||
                   (WEXITSTATUS (result.status) != HELPER_OK &&
                    WEXITSTATUS (result.status) != HELPER_ERROR);

  /* Reported, and the test goes on: one crash must not hide the others. */
  if (result.crashed && ++n_crash_reports <= 5)
    {
      g_autofree char *what = safety_describe_status (result.status);

      g_test_message ("Opening %s (%s) ended with %s after %" G_GINT64_FORMAT " ms; it printed:",
                      path, how, what, result.ms);
      safety_message_lines (result.out);
      safety_message_lines (result.err);
      g_test_fail_printf ("Opening %s (%s) ended with %s", path, how, what);
    }
  else if (result.crashed)
    g_test_fail ();
  else if (result.ms >= 5000 * (gint64) safety_slowdown ())
    g_test_fail_printf ("Opening %s (%s) took %" G_GINT64_FORMAT " ms", path, how, result.ms);

  return result;
}

static Probe
probe (const char *path,
       const char *how)
{
  return probe_full (path, how, FALSE);
}

static const char *
probe_outcome (const Probe *probe)
{
  if (probe->crashed)
    return "crashed";
  return WEXITSTATUS (probe->status) == HELPER_OK ? "worked" : "was refused";
}

static gboolean
probe_opened (const Probe *probe)
{
  return !probe->crashed && WEXITSTATUS (probe->status) == HELPER_OK;
}

/* ------------------------------------------------------------------ */

static void
test_hostile_mutants (void)
{
  g_autofree char *dir = safety_make_dir ("hostile-mutants");
  g_autofree char *demo = make_demo (dir);
  g_autofree char *path = g_build_filename (dir, "mutant.kodex", NULL);
  g_autofree char *original = NULL;
  g_autoptr(GError) error = NULL;
  guint n = safety_count (100, 1000);
  guint n_refused = 0, n_opened = 0, n_check_failed = 0, n_journal_failed = 0;
  guint n_rw_refused = 0, n_rw_read_only = 0, n_header = 0, n_crashed = 0;
  gint64 slowest = 0;
  gsize len;

  n_crash_reports = 0;
  g_file_get_contents (demo, &original, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 4096);

  for (guint m = 0; m < n; m++)
    {
      g_autofree char *data = g_memdup2 (original, len);
      g_autofree char *sum = NULL;
      g_autofree char *sum_after = NULL;
      guint flips = g_test_rand_int_range (1, 5);
      gboolean magic = FALSE;
      Probe ro, rw;

      for (guint f = 0; f < flips; f++)
        {
          guint where = g_test_rand_int_range (0, 4);
          gsize at;

          if (where < 2)        /* the header */
            at = g_test_rand_int_range (0, 100);
          else if (where == 2)  /* page 1: the schema */
            at = g_test_rand_int_range (100, 4096);
          else
            at = g_test_rand_int_range (0, (gint32) len);
          data[at] ^= (char) g_test_rand_int_range (1, 256);
          if (at < 16 || (at >= 68 && at < 72))
            magic = TRUE;
          if (at < 100)
            n_header++;
        }

      safety_remove_workspace (path);
      g_file_set_contents (path, data, len, &error);
      g_assert_no_error (error);
      sum = safety_file_sha256 (path);

      /* Read-only: never a write, whatever the file. */
      ro = probe (path, "ro");
      sum_after = safety_file_sha256 (path);
      g_assert_cmpstr (sum, ==, sum_after);
      g_clear_pointer (&sum_after, g_free);
      slowest = MAX (slowest, ro.ms);
      if (magic)
        g_assert_false (probe_opened (&ro));
      if (ro.crashed)
        n_crashed++;
      else if (probe_opened (&ro))
        {
          n_opened++;
          if (strstr (ro.out, "check-failed") != NULL)
            n_check_failed++;
          if (strstr (ro.out, "journal-failed") != NULL)
            n_journal_failed++;
        }
      else
        n_refused++;

      /* A normal open: may write when the file is sound, never when it
       * refuses the file. */
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_unlink (wal);
      g_unlink (shm);
      rw = probe (path, "rw");
      slowest = MAX (slowest, rw.ms);
      if (rw.crashed)
        n_crashed++;
      else if (!probe_opened (&rw))
        {
          n_rw_refused++;
          sum_after = safety_file_sha256 (path);
          if (g_strcmp0 (sum, sum_after) != 0)
            g_error ("Mutant %u was refused by a normal open but written:\n%s%s", m, rw.out, rw.err);
        }
      else if (!g_str_has_prefix (rw.out, "opened 0\n"))
        {
          /* Opened read-only (a newer version, say): not written either. */
          sum_after = safety_file_sha256 (path);
          if (g_strcmp0 (sum, sum_after) != 0)
            g_error ("Mutant %u was opened read-only but written:\n%s%s", m, rw.out, rw.err);
          n_rw_read_only++;
        }
      /* Damage that made the read-only open refuse also makes the normal
       * one refuse (an older version only asks for an upgrade). */
      if (!ro.crashed && !probe_opened (&ro) && strstr (ro.out, "kdx-store-error-quark 6") == NULL)
        g_assert_false (probe_opened (&rw));

      probe_clear (&ro);
      probe_clear (&rw);
    }

  g_test_message ("%u mutants (%u flips in the header): read-only %u refused, %u opened "
                  "(of which %u failed the full check and %u the journal); normal open "
                  "%u refused and %u read-only; %u opens crashed; slowest open %" G_GINT64_FORMAT " ms",
                  n, n_header, n_refused, n_opened, n_check_failed, n_journal_failed,
                  n_rw_refused, n_rw_read_only, n_crashed, slowest);
  safety_rm_rf (dir);
}

/* ------------------------------------------------------------------ */
/* Triggers and views that call functions the schema must not call     */

/* Both are blocked by trusted_schema=OFF, and run when it is ON; the
 * controls below make sure of that with this SQLite. */
#define UNSAFE_VALUE "json_quote('PWNED')"
#define UNSAFE_TABLE "(SELECT count(*) FROM pragma_function_list)"

static void
add_schema (const char *path,
            const char *sql)
{
  sqlite3 *db = safety_raw_open (path, TRUE);

  safety_raw_exec (db, sql);
  sqlite3_close (db);
}

static char *
raw_setting (const char *path,
             const char *key)
{
  sqlite3 *db = safety_raw_open (path, FALSE);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM setting WHERE key = ?1", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

/* With trusted_schema ON the trigger runs the function; with OFF SQLite
 * refuses it: so the test below can tell that Kodex has it OFF. */
static void
control_trigger (const char *demo,
                 const char *dir,
                 const char *trigger)
{
  g_autofree char *path = g_build_filename (dir, "control.kodex", NULL);
  g_autofree char *pwned = NULL;
  const char *insert = "INSERT INTO person (uuid, name, sort_key, created, modified) "
                       "VALUES ('control', 'Control', 'control', 'x', 'x')";
  sqlite3 *db;

  safety_remove_workspace (path);
  safety_copy_file (demo, path);
  add_schema (path, trigger);

  db = safety_raw_open (path, TRUE);
  safety_raw_exec (db, "PRAGMA trusted_schema = OFF");
  g_assert_cmpint (sqlite3_exec (db, insert, NULL, NULL, NULL), ==, SQLITE_ERROR);
  g_assert_nonnull (strstr (sqlite3_errmsg (db), "unsafe use of"));
  safety_raw_exec (db, "PRAGMA trusted_schema = ON");
  safety_raw_exec (db, insert);
  sqlite3_close (db);

  pwned = raw_setting (path, "pwned");
  g_assert_nonnull (pwned);
  safety_remove_workspace (path);
}

static gint64
raw_people (const char *path)
{
  sqlite3 *db = safety_raw_open (path, FALSE);
  g_autofree char *problems = safety_raw_problems (db);
  gint64 n;

  g_assert_null (problems);
  n = safety_raw_int (db, "SELECT count(*) FROM person");
  sqlite3_close (db);

  return n;
}

/* The open works or is refused cleanly, the function never runs, and
 * nothing crashes: in a child, with warnings fatal. */
static void
assert_function_blocked (const char *demo,
                         const char *dir,
                         const char *trigger)
{
  g_autofree char *path = g_build_filename (dir, "evil.kodex", NULL);
  g_autofree char *pwned = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *sum_after = NULL;
  gint64 before;
  Probe rw;

  control_trigger (demo, dir, trigger);

  safety_remove_workspace (path);
  safety_copy_file (demo, path);
  add_schema (path, trigger);
  before = raw_people (path);
  sum = safety_file_sha256 (path);

  rw = probe_full (path, "rw", TRUE);
  if (probe_opened (&rw))
    {
      g_assert_null (strstr (rw.out, "insert-ok"));
      g_assert_nonnull (strstr (rw.out, "insert-refused"));
      g_assert_nonnull (strstr (rw.out, "unsafe use of"));
      g_test_message ("opened; the insert was refused");
    }
  else if (!rw.crashed)
    {
      sum_after = safety_file_sha256 (path);
      g_assert_cmpstr (sum, ==, sum_after);
      g_test_message ("refused:");
      safety_message_lines (rw.err);
    }
  probe_clear (&rw);

  g_assert_cmpint (raw_people (path), ==, before);
  pwned = raw_setting (path, "pwned");
  g_assert_null (pwned);
}

static void
test_hostile_trigger_person (void)
{
  g_autofree char *dir = safety_make_dir ("hostile-trigger");
  g_autofree char *demo = make_demo (dir);

  assert_function_blocked (demo, dir,
                           "CREATE TRIGGER evil AFTER INSERT ON person BEGIN "
                           "  INSERT OR REPLACE INTO setting (key, value) "
                           "  VALUES ('pwned', " UNSAFE_VALUE "); "
                           "END");
  assert_function_blocked (demo, dir,
                           "CREATE TRIGGER evil AFTER INSERT ON person BEGIN "
                           "  INSERT OR REPLACE INTO setting (key, value) "
                           "  VALUES ('pwned', " UNSAFE_TABLE "); "
                           "END");
  safety_rm_rf (dir);
}

/* Functions that may never run from a schema, whatever trusted_schema
 * says: the open or the change is refused cleanly and nothing crashes. */
static void
test_hostile_trigger_direct_only (void)
{
  g_autofree char *dir = safety_make_dir ("hostile-direct");
  g_autofree char *demo = make_demo (dir);
  g_autofree char *path = g_build_filename (dir, "evil.kodex", NULL);
  g_autofree char *evil_lib = g_build_filename (dir, "evil.so", NULL);
  g_autofree char *sum = NULL;
  g_autofree char *sum_after = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;
  Probe ro, rw;

  /* On the lock row, which every writable open writes: the pointer form of
   * fts3_tokenizer() is the classic way from a file to code execution. */
  safety_copy_file (demo, path);
  add_schema (path,
              "CREATE TRIGGER evil AFTER INSERT ON lock BEGIN "
              "  SELECT fts3_tokenizer('simple', x'4141414141414141'); "
              "END");
  sum = safety_file_sha256 (path);
  rw = probe_full (path, "rw", TRUE);
  g_assert_null (strstr (rw.out, "opened 0"));
  if (!probe_opened (&rw) && !rw.crashed)
    {
      sum_after = safety_file_sha256 (path);
      g_assert_cmpstr (sum, ==, sum_after);
    }
  g_test_message ("a trigger on the lock row calling fts3_tokenizer(): the open %s",
                  probe_outcome (&rw));
  safety_message_lines (rw.out);
  safety_message_lines (rw.err);
  probe_clear (&rw);

  /* A read-only open writes no lock: it works, or refuses the file. */
  ro = probe (path, "ro");
  g_assert_null (strstr (ro.out, "check-failed"));
  sum_after = (g_free (sum_after), safety_file_sha256 (path));
  g_assert_cmpstr (sum, ==, sum_after);
  g_test_message ("the read-only open %s", probe_outcome (&ro));
  probe_clear (&ro);

  /* On the journal, which every change writes: load_extension(). */
  safety_remove_workspace (path);
  safety_copy_file (demo, path);
  sql = g_strdup_printf ("CREATE TRIGGER evil AFTER INSERT ON journal BEGIN "
                         "  SELECT load_extension('%s'); "
                         "END", evil_lib);
  add_schema (path, sql);
  g_file_set_contents (evil_lib, "not a library", -1, &error);
  g_assert_no_error (error);
  before = raw_people (path);

  rw = probe_full (path, "rw", TRUE);
  if (probe_opened (&rw))
    {
      g_assert_null (strstr (rw.out, "insert-ok"));
      g_assert_null (strstr (rw.out, "setting-ok"));
      g_assert_nonnull (strstr (rw.out, "unsafe use of load_extension"));
    }
  probe_clear (&rw);
  g_assert_cmpint (raw_people (path), ==, before);
  safety_rm_rf (dir);
}

/* A view in place of a table the app reads: the open works and the
 * function in the view never runs. Run in a child: it must not crash. */
static void
test_hostile_view (void)
{
  g_autofree char *dir = safety_make_dir ("hostile-view");
  g_autofree char *demo = make_demo (dir);
  g_autofree char *path = g_build_filename (dir, "evil.kodex", NULL);
  g_autofree char *sum = NULL;
  g_autofree char *sum_after = NULL;
  Probe ro, rw;

  /* An extra view nobody asked for is harmless. */
  safety_copy_file (demo, path);
  add_schema (path, "CREATE VIEW overview AS SELECT name, " UNSAFE_VALUE " AS v, "
                    UNSAFE_TABLE " AS f FROM person");
  ro = probe (path, "ro");
  rw = probe_full (path, "rw", TRUE);
  g_assert_null (strstr (ro.out, "check-failed"));
  g_assert_null (strstr (rw.out, "check-failed"));
  if (probe_opened (&rw))
    g_assert_nonnull (strstr (rw.out, "insert-ok"));
  g_test_message ("an extra view: the read-only open %s, the normal open %s",
                  probe_outcome (&ro), probe_outcome (&rw));
  probe_clear (&ro);
  probe_clear (&rw);

  /* The settings table replaced by a view whose value a function makes. */
  safety_remove_workspace (path);
  safety_copy_file (demo, path);
  add_schema (path,
              "BEGIN;"
              "CREATE TABLE setting_real AS SELECT * FROM setting;"
              "DROP TABLE setting;"
              "CREATE VIEW setting AS SELECT key, "
              "  CASE key WHEN 'organisation' THEN " UNSAFE_VALUE " ELSE value END AS value "
              "  FROM setting_real;"
              "COMMIT;");
  sum = safety_file_sha256 (path);
  ro = probe (path, "ro");
  sum_after = safety_file_sha256 (path);
  g_assert_cmpstr (sum, ==, sum_after);
  g_assert_null (strstr (ro.out, "PWNED"));
  rw = probe (path, "rw");
  g_assert_null (strstr (rw.out, "PWNED"));
  g_test_message ("settings as a view: the read-only open %s, the normal open %s",
                  probe_outcome (&ro), probe_outcome (&rw));
  probe_clear (&ro);
  probe_clear (&rw);
  safety_rm_rf (dir);
}

/* The SQL text SQLite keeps of a table, changed: the file passes
 * quick_check, but the columns Kodex reads are not there or not what they
 * were. A byte flipped in page 1 does the same by chance (see mutants);
 * here it is done on purpose, for each table Kodex reads on open. */
static void
test_hostile_schema_altered (void)
{
  static const struct { const char *name, *from, *to; } changes[] = {
    { "lock", "host", "hosz" },
    { "journal", "os_user", "os_usex" },
    { "person", "created", "createx" },
    { "person", "REFERENCES person (id)", "REFERENCES persom (id)" },
    { "setting", "value TEXT", "valux TEXT" },
  };
  g_autofree char *dir = safety_make_dir ("hostile-schema");
  g_autofree char *demo = make_demo (dir);
  g_autofree char *path = g_build_filename (dir, "altered.kodex", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autofree char *sum = NULL;
      g_autofree char *sum_after = NULL;
      char *sql;
      sqlite3 *db;
      Probe ro, rw;

      safety_remove_workspace (path);
      safety_copy_file (demo, path);
      db = safety_raw_open (path, TRUE);
      sql = sqlite3_mprintf ("PRAGMA writable_schema = ON;"
                             "UPDATE sqlite_schema SET sql = replace(sql, %Q, %Q) WHERE name = %Q;"
                             "PRAGMA writable_schema = OFF;",
                             changes[i].from, changes[i].to, changes[i].name);
      safety_raw_exec (db, sql);
      sqlite3_free (sql);
      g_assert_cmpint (sqlite3_changes (db), ==, 1);
      sqlite3_close (db);
      sum = safety_file_sha256 (path);

      ro = probe (path, "ro");
      sum_after = safety_file_sha256 (path);
      g_assert_cmpstr (sum, ==, sum_after);
      g_clear_pointer (&sum_after, g_free);

      rw = probe_full (path, "rw", TRUE);
      if (!probe_opened (&rw) && !rw.crashed)
        {
          sum_after = safety_file_sha256 (path);
          g_assert_cmpstr (sum, ==, sum_after);
        }
      g_test_message ("%s with “%s” for “%s”: the read-only open %s, the normal open %s",
                      changes[i].name, changes[i].to, changes[i].from,
                      probe_outcome (&ro), probe_outcome (&rw));
      probe_clear (&ro);
      probe_clear (&rw);
    }
  safety_rm_rf (dir);
}

static void
test_hostile_application_id (void)
{
  g_autofree char *dir = safety_make_dir ("hostile-appid");
  g_autofree char *demo = make_demo (dir);
  g_autofree char *path = g_build_filename (dir, "other.kodex", NULL);
  static const char *ids[] = { "PRAGMA application_id = 0", "PRAGMA application_id = 1234",
                               "PRAGMA application_id = 1262770224" /* KDX0 */ };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      static const KdxStoreOpenFlags flags[] = { KDX_STORE_OPEN_READ_ONLY, KDX_STORE_OPEN_DEFAULT };
      g_autofree char *sum = NULL;

      safety_remove_workspace (path);
      safety_copy_file (demo, path);
      add_schema (path, ids[i]);
      sum = safety_file_sha256 (path);

      for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(KdxStore) store = kdx_store_open (path, flags[f], &error);
          g_autofree char *sum_after = NULL;

          g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_WORKSPACE);
          g_assert_null (store);
          sum_after = safety_file_sha256 (path);
          g_assert_cmpstr (sum, ==, sum_after);
        }
    }

  /* Not SQLite at all. */
  {
    static const char *contents[] = { "", "SQLite format 3", "just some text that is long enough "
                                      "to have a header of one hundred bytes, but is not a "
                                      "database; not at all, really" };

    for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(KdxStore) store = NULL;

        safety_remove_workspace (path);
        g_file_set_contents (path, contents[i], -1, &error);
        g_assert_no_error (error);
        store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
        g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_SQLITE);
        g_assert_null (store);
      }
  }
  safety_rm_rf (dir);
}

static void
test_hostile_newer (void)
{
  g_autofree char *dir = safety_make_dir ("hostile-newer");
  g_autofree char *demo = make_demo (dir);
  g_autofree char *path = g_build_filename (dir, "newer.kodex", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *sum = NULL;
  g_autofree char *sum_after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxPerson) person = kdx_person_new ();
  struct stat st;
  guint refused = 0;

  safety_copy_file (demo, path);
  add_schema (path, "PRAGMA user_version = 99");
  sum = safety_file_sha256 (path);

  store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (kdx_store_is_read_only (store));
  g_assert_cmpint (kdx_store_get_read_only_reason (store), ==, KDX_STORE_READ_ONLY_NEWER);

  kdx_person_set_name (person, "Neu");
  for (guint i = 0; i < 10; i++)
    {
      if (!kdx_person_insert (store, person, &error))
        refused++;
      g_clear_error (&error);
      if (!kdx_store_set_setting (store, "organisation", "Überschrieben", &error))
        refused++;
      g_clear_error (&error);
      if (!kdx_store_begin (store, &error))
        refused++;
      else
        kdx_store_rollback (store);
      g_clear_error (&error);
      if (sqlite3_exec (kdx_store_get_db (store), "INSERT INTO setting VALUES ('x', 'y')",
                        NULL, NULL, NULL) != SQLITE_OK)
        refused++;
      if (!kdx_store_heartbeat (store, &error) || TRUE)
        g_clear_error (&error);
    }
  g_assert_cmpuint (refused, ==, 40);
  g_assert_true (kdx_store_break_lock (store, NULL));
  g_assert_true (kdx_store_is_read_only (store));
  kdx_store_close (store);

  sum_after = safety_file_sha256 (path);
  g_assert_cmpstr (sum, ==, sum_after);
  if (g_stat (wal, &st) == 0)
    g_assert_cmpint (st.st_size, ==, 0);
  {
    sqlite3 *db = safety_raw_open (path, FALSE);

    g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM lock"), ==, 0);
    g_assert_cmpint (safety_raw_int (db, "PRAGMA user_version"), ==, 99);
    sqlite3_close (db);
  }
  safety_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kdx/safety/hostile/mutants", test_hostile_mutants);
  g_test_add_func ("/kdx/safety/hostile/trigger-trusted-schema", test_hostile_trigger_person);
  g_test_add_func ("/kdx/safety/hostile/trigger-direct-only", test_hostile_trigger_direct_only);
  g_test_add_func ("/kdx/safety/hostile/view", test_hostile_view);
  g_test_add_func ("/kdx/safety/hostile/schema-altered", test_hostile_schema_altered);
  g_test_add_func ("/kdx/safety/hostile/application-id", test_hostile_application_id);
  g_test_add_func ("/kdx/safety/hostile/newer-version", test_hostile_newer);

  return g_test_run ();
}
