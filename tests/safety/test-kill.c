/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kill -9 (SAFETY.md "Store"): a child runs a real write path and reports
 * each commit only after COMMIT returned; it is killed with SIGKILL at a
 * random moment. The workspace must then open (the dead writer's lock is
 * taken over), pass integrity_check and foreign_key_check, hold every
 * acknowledged commit, hold no half import or half migration, and its
 * journal chain must verify. Short: 20 kills per path; long: 200.
 */
#include "config.h"

#include "kdx-exchange.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "safety-common.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static guint
n_kills (void)
{
  return safety_count (20, 200);
}

/* Runs the helper, kills it @delay_ms after it started and returns it
 * reaped, with all it printed. It must have died of the SIGKILL or have
 * finished its path. */
static SafetyChild *
run_and_kill (const char * const *args,
              guint               delay_ms)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  SafetyChild *child;
  int status;

  g_ptr_array_add (argv, (gpointer) safety_helper_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  child = safety_child_spawn ((const char * const *) argv->pdata, FALSE, NULL);
  while (safety_child_pump (child, child->started + (gint64) delay_ms * 1000) &&
         g_get_monotonic_time () < child->started + (gint64) delay_ms * 1000)
    ;
  safety_child_signal (child, SIGKILL);
  status = safety_child_wait (child);

  if (!(WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL) &&
      !(WIFEXITED (status) && WEXITSTATUS (status) == HELPER_OK))
    {
      g_autofree char *what = safety_describe_status (status);

      g_error ("The helper (%s) ended with %s: %s", args[0], what, child->err->str);
    }

  return child;
}

/* How long the helper takes to print @line: the window to kill in. */
static guint
calibrate (const char * const *args,
           const char         *line)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(SafetyChild) child = NULL;
  gint64 deadline;
  guint ms = 0;

  g_ptr_array_add (argv, (gpointer) safety_helper_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  child = safety_child_spawn ((const char * const *) argv->pdata, FALSE, NULL);
  deadline = child->started + 120 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *got = safety_child_next_line (child, deadline);

      if (got == NULL)
        g_error ("The helper (%s) did not print “%s”: %s", args[0], line, child->err->str);
      if (g_str_equal (got, line))
        break;
    }
  ms = (guint) ((g_get_monotonic_time () - child->started) / 1000);
  safety_child_signal (child, SIGKILL);
  safety_child_wait (child);

  return MAX (ms, 1);
}

static GHashTable *
person_uuids (KdxStore *store)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (kdx_store_get_db (store), "SELECT uuid FROM person", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (set, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return set;
}

static void
assert_all_present (KdxStore   *store,
                    GPtrArray  *acked,
                    guint       n)
{
  g_autoptr(GHashTable) present = person_uuids (store);

  for (guint i = 0; i < MIN (n, acked->len); i++)
    if (!g_hash_table_contains (present, g_ptr_array_index (acked, i)))
      g_error ("Acknowledged commit of person %s is missing from %s",
               (const char *) g_ptr_array_index (acked, i), kdx_store_get_path (store));
}

/* ------------------------------------------------------------------ */
/* (a) person inserts, each its own transaction with its journal entry */

static void
test_kill_insert (void)
{
  g_autofree char *dir = safety_make_dir ("kill-insert");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 50);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  const char *args[] = { "insert", path, "0", NULL };
  guint window, before_open = 0, total = 0;

  window = calibrate (args, "open") + 300;

  for (guint k = 0; k < n_kills (); k++)
    {
      g_autoptr(SafetyChild) child = run_and_kill (args, g_test_rand_int_range (0, window));
      g_autoptr(GPtrArray) got = safety_child_lines_with (child, "P ");
      g_autoptr(KdxStore) store = NULL;

      for (guint i = 0; i < got->len; i++)
        g_ptr_array_add (acked, g_strdup (g_ptr_array_index (got, i)));
      if (got->len == 0)
        before_open++;
      total += got->len;

      store = safety_open_checked (path);
      assert_all_present (store, acked, acked->len);
      kdx_store_close (store);
    }

  g_test_message ("insert: %u kills, %u acknowledged commits all present, "
                  "%u kills before the first commit", n_kills (), total, before_open);
  safety_rm_rf (dir);
}

/* ------------------------------------------------------------------ */
/* (b) XML import of a few thousand people: one transaction            */

static guint
import_people (void)
{
  return safety_count (3000, 3000);
}

static void
test_kill_import (void)
{
  g_autofree char *dir = safety_make_dir ("kill-import");
  g_autofree char *source = safety_make_workspace (dir, "source.kodex", import_people ());
  g_autofree char *xml = g_build_filename (dir, "people.xml", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.kodex", NULL);
  g_autofree char *path = g_build_filename (dir, "w.kodex", NULL);
  g_autoptr(GError) error = NULL;
  const char *args[] = { "import", path, xml, NULL };
  guint window, n_all = 0, n_none = 0;

  {
    g_autoptr(KdxStore) store = kdx_store_open (source, KDX_STORE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    kdx_exchange_export_xml (store, xml, NULL, NULL, &error);
    g_assert_no_error (error);
    kdx_store_close (store);
    g_clear_object (&store);

    store = kdx_store_create (empty, NULL, "de", &error);
    g_assert_no_error (error);
    kdx_store_close (store);
  }

  safety_copy_file (empty, path);
  window = calibrate (args, "done");
  safety_remove_workspace (path);
  window = window * 3 / 2;

  for (guint k = 0; k < n_kills (); k++)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(GPtrArray) done = NULL;
      g_autoptr(KdxStore) store = NULL;
      gint64 people, imports;

      safety_remove_workspace (path);
      safety_copy_file (empty, path);

      child = run_and_kill (args, g_test_rand_int_range (0, window));
      done = safety_child_lines_with (child, "done");

      store = safety_open_checked (path);
      people = kdx_person_count (store);
      /* The import's own entry marks that it landed (the catalogs it
       * brings are journaled beside it). */
      imports = kdx_store_count (store, "SELECT count(*) FROM journal"
                                        " WHERE entity = 'workspace' AND action = 'import'");
      if (people != 0 && people != import_people ())
        g_error ("A killed import left %" G_GINT64_FORMAT " of %u people", people, import_people ());
      g_assert_cmpint (imports, ==, people == import_people () ? 1 : 0);
      if (done->len > 0)
        g_assert_cmpint (people, ==, import_people ());
      if (people == import_people ())
        {
          g_autofree char *org = kdx_store_dup_setting (store, "organisation");

          g_assert_cmpstr (org, ==, "Safety GmbH");
          n_all++;
        }
      else
        n_none++;
      kdx_store_close (store);
    }

  g_test_message ("import: %u kills in a window of %u ms; %u left all %u people, %u none",
                  n_kills (), window, n_all, import_people (), n_none);
  safety_rm_rf (dir);
}

/* ------------------------------------------------------------------ */
/* (c) migration of an old workspace with many rows                     */

static guint
migration_rows (void)
{
  return safety_count (5000, 20000);
}

static void
test_kill_migration (void)
{
  g_autofree char *dir = safety_make_dir ("kill-migration");
  g_autofree char *old = safety_make_v1_workspace (dir, "old.kodex", migration_rows ());
  g_autofree char *path = g_build_filename (dir, "w.kodex", NULL);
  g_autofree char *bak = g_strconcat (path, ".v1.bak", NULL);
  const char *args[] = { "migrate", path, NULL };
  guint window, n_at[KDX_SCHEMA_VERSION + 1] = { 0 };
  gint64 rows = migration_rows ();
  g_autoptr(GString) versions = g_string_new (NULL);

  safety_copy_file (old, path);
  window = calibrate (args, "done") * 3 / 2;

  for (guint k = 0; k < n_kills (); k++)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(GPtrArray) done = NULL;
      g_autoptr(KdxStore) store = NULL;
      g_autofree char *problems = NULL;
      sqlite3 *db;
      gint64 version;

      safety_remove_workspace (path);
      g_unlink (bak);
      safety_copy_file (old, path);

      child = run_and_kill (args, g_test_rand_int_range (0, window));
      done = safety_child_lines_with (child, "done");

      /* First look without Kodex: the open below would migrate. */
      db = safety_raw_open (path, TRUE);
      problems = safety_raw_problems (db);
      if (problems != NULL)
        g_error ("After a kill during migration: %s", problems);
      version = safety_raw_int (db, "PRAGMA user_version");
      g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM person"), ==, rows);
      /* Each migration is one transaction: the file is at one version. */
      g_assert_cmpint (version, >=, 1);
      g_assert_cmpint (version, <=, KDX_SCHEMA_VERSION);
      if (done->len > 0)
        g_assert_cmpint (version, ==, KDX_SCHEMA_VERSION);
      if (version == 1)
        g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM sqlite_schema "
                                             "WHERE name = 'person_search'"), ==, 0);
      else
        g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM person_search"), ==, rows);
      n_at[version]++;
      sqlite3_close (db);

      /* A migrated workspace had its backup first. */
      if (version > 1)
        {
          g_autofree char *bak_problems = NULL;

          g_assert_true (g_file_test (bak, G_FILE_TEST_EXISTS));
          db = safety_raw_open (bak, FALSE);
          bak_problems = safety_raw_problems (db);
          g_assert_null (bak_problems);
          g_assert_cmpint (safety_raw_int (db, "PRAGMA user_version"), ==, 1);
          g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM person"), ==, rows);
          sqlite3_close (db);
        }

      store = safety_open_checked (path);
      g_assert_cmpint (kdx_store_count (store, "PRAGMA user_version"), ==, KDX_SCHEMA_VERSION);
      g_assert_cmpint (kdx_person_count (store), ==, rows);
      kdx_store_close (store);
    }

  for (guint v = 1; v <= KDX_SCHEMA_VERSION; v++)
    g_string_append_printf (versions, " version %u: %u", v, n_at[v]);
  g_test_message ("migration of %" G_GINT64_FORMAT " people: %u kills in a window of %u ms; "
                  "left at%s; %u backup temporaries left behind",
                  rows, n_kills (), window, versions->str,
                  safety_count_files_with_prefix (dir, ".kodex-backup-"));
  safety_rm_rf (dir);
}

/* ------------------------------------------------------------------ */
/* (d) backups from a second connection while the writer commits       */

static void
test_kill_backup (void)
{
  g_autofree char *dir = safety_make_dir ("kill-backup");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 300);
  g_autofree char *dest = g_build_filename (dir, "backup.kodex", NULL);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  const char *args[] = { "backup", path, dest, "0", NULL };
  guint window, n_backups = 0;

  window = calibrate (args, "open") + 500;

  for (guint k = 0; k < n_kills (); k++)
    {
      g_autoptr(SafetyChild) child = run_and_kill (args, g_test_rand_int_range (0, window));
      g_autoptr(GPtrArray) got = safety_child_lines_with (child, "P ");
      g_autoptr(GPtrArray) backups = safety_child_lines_with (child, "B ");
      g_autoptr(KdxStore) store = NULL;
      guint first = acked->len;

      for (guint i = 0; i < got->len; i++)
        g_ptr_array_add (acked, g_strdup (g_ptr_array_index (got, i)));
      n_backups += backups->len;

      store = safety_open_checked (path);
      assert_all_present (store, acked, acked->len);
      kdx_store_close (store);
      g_clear_object (&store);

      if (backups->len > 0)
        g_assert_true (g_file_test (dest, G_FILE_TEST_EXISTS));
      if (g_file_test (dest, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *problems = NULL;
          sqlite3 *db = safety_raw_open (dest, FALSE);
          struct stat st;

          problems = safety_raw_problems (db);
          if (problems != NULL)
            g_error ("A backup taken while the writer was killed: %s", problems);
          g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM lock"), ==, 0);
          sqlite3_close (db);
          g_assert_cmpint (g_stat (dest, &st), ==, 0);
          g_assert_cmpint (st.st_mode & 0777, ==, 0600);

          store = kdx_store_open (dest, KDX_STORE_OPEN_READ_ONLY, &error);
          g_assert_no_error (error);
          safety_assert_healthy (store);
          /* The last acknowledged backup held all people acknowledged
           * before it began; a later one can only hold more. */
          if (backups->len > 0)
            {
              guint n = (guint) g_ascii_strtoull (g_ptr_array_index (backups, backups->len - 1),
                                                  NULL, 10);
              g_autoptr(GPtrArray) upto = g_ptr_array_new ();

              for (guint i = 0; i < first + n; i++)
                g_ptr_array_add (upto, g_ptr_array_index (acked, i));
              assert_all_present (store, upto, upto->len);
            }
          kdx_store_close (store);
        }
    }

  g_test_message ("backup: %u kills, %u acknowledged commits and %u acknowledged backups; "
                  "%u backup temporaries left behind", n_kills (), acked->len, n_backups,
                  safety_count_files_with_prefix (dir, ".kodex-backup-"));
  safety_rm_rf (dir);
}

/* ------------------------------------------------------------------ */
/* (e) take-over of a stale lock                                        */

static void
plant_stale_lock (const char *path,
                  guint       k)
{
  char *sql = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3 *db = safety_raw_open (path, TRUE);
  pid_t dead;

  if (k % 2 == 0)
    {
      /* A process of this host that is gone. */
      const char *argv[] = { "/bin/true", NULL };
      g_autoptr(SafetyChild) gone = safety_child_spawn (argv, FALSE, NULL);

      safety_child_wait (gone);
      dead = gone->pid;
      sql = sqlite3_mprintf ("INSERT OR REPLACE INTO lock (id, token, user, host, pid, since, heartbeat) "
                             "VALUES (1, 'stale-token', 'ghost', %Q, %d, %lld, %lld)",
                             g_get_host_name (), (int) dead, (long long) now - 60, (long long) now);
    }
  else
    /* A machine that stopped sending heartbeats long ago. */
    sql = sqlite3_mprintf ("INSERT OR REPLACE INTO lock (id, token, user, host, pid, since, heartbeat) "
                           "VALUES (1, 'stale-token', 'ghost', 'elsewhere.example', %d, %lld, %lld)",
                           (int) getpid (), (long long) now - 7200, (long long) now - 3600);
  safety_raw_exec (db, sql);
  sqlite3_free (sql);
  sqlite3_close (db);
}

static void
test_kill_takeover (void)
{
  g_autofree char *dir = safety_make_dir ("kill-takeover");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 50);
  g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
  const char *args[] = { "insert", path, "0", NULL };
  guint window, n_taken = 0, n_not = 0;

  plant_stale_lock (path, 0);
  window = calibrate (args, "open") * 2 + 20;

  for (guint k = 0; k < n_kills (); k++)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(GPtrArray) got = NULL;
      g_autoptr(GPtrArray) open = NULL;
      g_autoptr(KdxStore) store = NULL;
      g_autofree char *problems = NULL;
      gint64 takeovers_before, takeovers_after, pid;
      g_autofree char *token = NULL;
      sqlite3 *db;

      plant_stale_lock (path, k);
      db = safety_raw_open (path, TRUE);
      takeovers_before = safety_raw_int (db, "SELECT count(*) FROM journal "
                                             "WHERE action = 'take-over-stale-lock'");
      sqlite3_close (db);

      child = run_and_kill (args, g_test_rand_int_range (0, window));
      got = safety_child_lines_with (child, "P ");
      open = safety_child_lines_with (child, "open");
      for (guint i = 0; i < got->len; i++)
        g_ptr_array_add (acked, g_strdup (g_ptr_array_index (got, i)));

      /* The lock and its journal entry moved together, or neither did. */
      db = safety_raw_open (path, TRUE);
      problems = safety_raw_problems (db);
      g_assert_null (problems);
      takeovers_after = safety_raw_int (db, "SELECT count(*) FROM journal "
                                            "WHERE action = 'take-over-stale-lock'");
      pid = safety_raw_int (db, "SELECT pid FROM lock WHERE id = 1");
      {
        sqlite3_stmt *stmt = NULL;

        sqlite3_prepare_v2 (db, "SELECT token FROM lock WHERE id = 1", -1, &stmt, NULL);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        token = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        sqlite3_finalize (stmt);
      }
      sqlite3_close (db);

      if (g_str_equal (token, "stale-token"))
        {
          g_assert_cmpuint (open->len, ==, 0);
          g_assert_cmpint (takeovers_after, ==, takeovers_before);
          n_not++;
        }
      else
        {
          g_assert_cmpint (pid, ==, child->pid);
          g_assert_cmpint (takeovers_after, ==, takeovers_before + 1);
          n_taken++;
        }

      store = safety_open_checked (path);
      assert_all_present (store, acked, acked->len);
      kdx_store_close (store);
    }

  g_test_message ("take-over: %u kills in a window of %u ms; %u after the take-over, "
                  "%u before it; %u acknowledged commits present", n_kills (), window,
                  n_taken, n_not, acked->len);
  safety_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kdx/safety/kill/insert", test_kill_insert);
  g_test_add_func ("/kdx/safety/kill/import", test_kill_import);
  g_test_add_func ("/kdx/safety/kill/migration", test_kill_migration);
  g_test_add_func ("/kdx/safety/kill/backup", test_kill_backup);
  g_test_add_func ("/kdx/safety/kill/takeover", test_kill_takeover);

  return g_test_run ();
}
