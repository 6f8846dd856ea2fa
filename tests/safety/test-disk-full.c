/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Disk full / I/O error (SAFETY.md "Store"): the write paths of the kill
 * test run in a child whose files may not grow past a limit
 * (RLIMIT_FSIZE, SIGXFSZ ignored, so a write past it fails with EFBIG or
 * is cut short), at 64 KiB steps until the path goes through. Every run
 * must end with a clean error (exit 3 and a message, never a crash), the
 * workspace must pass integrity_check, and its row counts must be exactly
 * those before or those after the change.
 */
#include "config.h"

#include "kdx-exchange.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "safety-common.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define STEP (64 * 1024)
#define MAX_STEPS 600

typedef struct
{
  guint       runs;
  guint       errors;
  GHashTable *messages;  /* "domain:code" → count */
} Tally;

static void
tally_init (Tally *tally)
{
  tally->runs = tally->errors = 0;
  tally->messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
tally_report (Tally      *tally,
              const char *what,
              guint64     limit)
{
  g_autoptr(GString) kinds = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, tally->messages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (kinds, " %s x%u", (const char *) key, GPOINTER_TO_UINT (value));
  g_test_message ("%s: %u runs at 64 KiB steps, %u clean errors, went through at %" G_GUINT64_FORMAT
                  " KiB; errors:%s", what, tally->runs, tally->errors, limit / 1024, kinds->str);
  g_hash_table_unref (tally->messages);
}

/* Runs the helper under the limit; returns it reaped. It must have
 * finished (exit 0) or reported an error (exit 3, one line on stderr). */
static SafetyChild *
run_limited (guint64             limit,
             const char * const *args,
             Tally              *tally)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (NULL);
  g_autofree char *fsize = g_strdup_printf ("%" G_GUINT64_FORMAT, limit);
  SafetyChild *child;
  int status;

  g_ptr_array_add (argv, (gpointer) safety_helper_path ());
  g_ptr_array_add (argv, (gpointer) "--fsize");
  g_ptr_array_add (argv, fsize);
  g_ptr_array_add (argv, (gpointer) "--alarm");
  g_ptr_array_add (argv, (gpointer) "120");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  child = safety_child_spawn ((const char * const *) argv->pdata, FALSE, NULL);
  status = safety_child_wait (child);
  tally->runs++;

  if (WIFEXITED (status) && WEXITSTATUS (status) == HELPER_ERROR)
    {
      g_auto(GStrv) parts = NULL;
      guint n;

      /* "error: domain:code: message" */
      g_assert_true (g_str_has_prefix (child->err->str, "error: "));
      parts = g_strsplit (child->err->str + 7, ": ", 2);
      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_assert_cmpuint (strlen (g_strstrip (parts[1])), >, 0);
      n = GPOINTER_TO_UINT (g_hash_table_lookup (tally->messages, parts[0]));
      g_hash_table_replace (tally->messages, g_strdup (parts[0]), GUINT_TO_POINTER (n + 1));
      tally->errors++;
    }
  else if (!(WIFEXITED (status) && WEXITSTATUS (status) == HELPER_OK))
    {
      g_autofree char *what = safety_describe_status (status);

      g_error ("Under a file size limit of %" G_GUINT64_FORMAT " bytes the helper (%s) ended with "
               "%s instead of a clean error: %s", limit, args[0], what, child->err->str);
    }

  return child;
}

static gboolean
finished (SafetyChild *child)
{
  return WIFEXITED (child->status) && WEXITSTATUS (child->status) == HELPER_OK;
}

static gint64
raw_count (const char *path,
           const char *sql)
{
  sqlite3 *db = safety_raw_open (path, TRUE);
  g_autofree char *problems = safety_raw_problems (db);
  gint64 n;

  if (problems != NULL)
    g_error ("%s after a run under a file size limit: %s", path, problems);
  n = safety_raw_int (db, sql);
  sqlite3_close (db);

  return n;
}

/* ------------------------------------------------------------------ */

#define INSERTS "20"

static void
test_full_insert (void)
{
  g_autofree char *dir = safety_make_dir ("full-insert");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 20);
  const char *args[] = { "insert", path, INSERTS, NULL };
  guint64 limit = STEP;
  Tally tally;

  tally_init (&tally);
  for (guint step = 1;; step++, limit += STEP)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(GPtrArray) acked = NULL;
      g_autoptr(KdxStore) store = NULL;
      gint64 before, after;

      g_assert_cmpuint (step, <=, MAX_STEPS);
      before = raw_count (path, "SELECT count(*) FROM person");
      child = run_limited (limit, args, &tally);
      acked = safety_child_lines_with (child, "P ");

      after = raw_count (path, "SELECT count(*) FROM person");
      /* Each insert is one transaction: the one that failed is there
       * completely or not at all. */
      g_assert_cmpint (after, >=, before + (gint64) acked->len);
      g_assert_cmpint (after, <=, before + (gint64) acked->len + 1);

      store = safety_open_checked (path);
      g_assert_cmpint (kdx_person_count (store), ==, after);
      kdx_store_close (store);

      if (finished (child))
        {
          g_assert_cmpint (after, ==, before + atoi (INSERTS));
          break;
        }
    }

  tally_report (&tally, "insert", limit);
  safety_rm_rf (dir);
}

static guint
import_people (void)
{
  return safety_count (500, 3000);
}

static void
test_full_import (void)
{
  g_autofree char *dir = safety_make_dir ("full-import");
  g_autofree char *source = safety_make_workspace (dir, "source.kodex", import_people ());
  g_autofree char *xml = g_build_filename (dir, "people.xml", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.kodex", NULL);
  g_autofree char *path = g_build_filename (dir, "w.kodex", NULL);
  g_autoptr(GError) error = NULL;
  const char *args[] = { "import", path, xml, NULL };
  guint64 limit = STEP;
  gint64 n = import_people ();
  Tally tally;

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

  tally_init (&tally);
  for (guint step = 1;; step++, limit += STEP)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(KdxStore) store = NULL;
      gint64 people;

      g_assert_cmpuint (step, <=, MAX_STEPS);
      safety_remove_workspace (path);
      safety_copy_file (empty, path);

      child = run_limited (limit, args, &tally);

      people = raw_count (path, "SELECT count(*) FROM person");
      if (people != 0 && people != n)
        g_error ("An import under a file size limit of %" G_GUINT64_FORMAT " bytes left %"
                 G_GINT64_FORMAT " of %" G_GINT64_FORMAT " people", limit, people, n);

      store = safety_open_checked (path);
      /* The import's own entry marks that it landed (the catalogs it
       * brings are journaled beside it). */
      g_assert_cmpint (kdx_store_count (store, "SELECT count(*) FROM journal"
                                               " WHERE entity = 'workspace' AND action = 'import'"),
                       ==, people == n ? 1 : 0);
      kdx_store_close (store);

      if (finished (child))
        {
          g_assert_cmpint (people, ==, n);
          break;
        }
    }

  tally_report (&tally, "import", limit);
  safety_rm_rf (dir);
}

static guint
migration_rows (void)
{
  return safety_count (2000, 10000);
}

static void
test_full_migration (void)
{
  g_autofree char *dir = safety_make_dir ("full-migration");
  g_autofree char *old = safety_make_v1_workspace (dir, "old.kodex", migration_rows ());
  g_autofree char *path = g_build_filename (dir, "w.kodex", NULL);
  g_autofree char *bak = g_strconcat (path, ".v1.bak", NULL);
  const char *args[] = { "migrate", path, NULL };
  gint64 rows = migration_rows ();
  guint64 limit = STEP;
  guint n_v1 = 0;
  Tally tally;

  tally_init (&tally);
  for (guint step = 1;; step++, limit += STEP)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(KdxStore) store = NULL;
      g_autofree char *problems = NULL;
      gint64 version;
      sqlite3 *db;

      g_assert_cmpuint (step, <=, MAX_STEPS);
      safety_remove_workspace (path);
      g_unlink (bak);
      safety_copy_file (old, path);

      child = run_limited (limit, args, &tally);

      db = safety_raw_open (path, TRUE);
      problems = safety_raw_problems (db);
      if (problems != NULL)
        g_error ("A migration under a file size limit of %" G_GUINT64_FORMAT " bytes: %s",
                 limit, problems);
      version = safety_raw_int (db, "PRAGMA user_version");
      g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM person"), ==, rows);
      g_assert_cmpint (version, >=, 1);
      g_assert_cmpint (version, <=, KDX_SCHEMA_VERSION);
      if (version == 1)
        {
          g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM sqlite_schema "
                                               "WHERE name = 'person_search'"), ==, 0);
          n_v1++;
        }
      else
        g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM person_search"), ==, rows);
      sqlite3_close (db);

      /* A failed backup or migration cleans up after itself. */
      g_assert_cmpuint (safety_count_files_with_prefix (dir, ".kodex-backup-"), ==, 0);
      if (version > 1)
        {
          g_autofree char *bak_problems = NULL;

          db = safety_raw_open (bak, FALSE);
          bak_problems = safety_raw_problems (db);
          g_assert_null (bak_problems);
          g_assert_cmpint (safety_raw_int (db, "PRAGMA user_version"), ==, 1);
          g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM person"), ==, rows);
          sqlite3_close (db);
        }

      store = safety_open_checked (path);
      g_assert_cmpint (kdx_person_count (store), ==, rows);
      kdx_store_close (store);

      if (finished (child))
        {
          g_assert_cmpint (version, ==, KDX_SCHEMA_VERSION);
          break;
        }
    }

  g_test_message ("migration of %" G_GINT64_FORMAT " people: %u runs left version 1", rows, n_v1);
  tally_report (&tally, "migration", limit);
  safety_rm_rf (dir);
}

static void
test_full_backup (void)
{
  g_autofree char *dir = safety_make_dir ("full-backup");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 100);
  g_autofree char *dest = g_build_filename (dir, "backup.kodex", NULL);
  const char *args[] = { "backup", path, dest, INSERTS, NULL };
  guint64 limit = STEP;
  guint n_backups = 0;
  Tally tally;

  tally_init (&tally);
  for (guint step = 1;; step++, limit += STEP)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(GPtrArray) acked = NULL;
      g_autoptr(GPtrArray) backups = NULL;
      g_autoptr(KdxStore) store = NULL;
      g_autofree char *before_sum = safety_file_sha256 (dest);
      gint64 before, after;

      g_assert_cmpuint (step, <=, MAX_STEPS);
      before = raw_count (path, "SELECT count(*) FROM person");
      child = run_limited (limit, args, &tally);
      acked = safety_child_lines_with (child, "P ");
      backups = safety_child_lines_with (child, "B ");
      n_backups += backups->len;

      after = raw_count (path, "SELECT count(*) FROM person");
      g_assert_cmpint (after, >=, before + (gint64) acked->len);
      g_assert_cmpint (after, <=, before + (gint64) acked->len + 1);
      g_assert_cmpuint (safety_count_files_with_prefix (dir, ".kodex-backup-"), ==, 0);

      store = safety_open_checked (path);
      kdx_store_close (store);
      g_clear_object (&store);

      /* The backup is the old one or a complete new one. */
      if (g_file_test (dest, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *after_sum = safety_file_sha256 (dest);
          struct stat st;

          if (backups->len == 0)
            g_assert_cmpstr (before_sum, ==, after_sum);
          g_assert_cmpint (g_stat (dest, &st), ==, 0);
          g_assert_cmpint (st.st_mode & 0777, ==, 0600);
          store = kdx_store_open (dest, KDX_STORE_OPEN_READ_ONLY, &error);
          g_assert_no_error (error);
          safety_assert_healthy (store);
          if (backups->len > 0)
            g_assert_cmpint (kdx_person_count (store), >=,
                             before + (gint64) g_ascii_strtoll (g_ptr_array_index (backups,
                                                                                   backups->len - 1),
                                                                NULL, 10));
          kdx_store_close (store);
        }

      if (finished (child))
        break;
    }

  g_test_message ("backup: %u acknowledged backups", n_backups);
  tally_report (&tally, "backup", limit);
  safety_rm_rf (dir);
}

static void
plant_stale_lock (const char *path)
{
  char *sql;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3 *db = safety_raw_open (path, TRUE);

  sql = sqlite3_mprintf ("INSERT OR REPLACE INTO lock (id, token, user, host, pid, since, heartbeat) "
                         "VALUES (1, 'stale-token', 'ghost', 'elsewhere.example', 1, %lld, %lld)",
                         (long long) now - 7200, (long long) now - 3600);
  safety_raw_exec (db, sql);
  sqlite3_free (sql);
  sqlite3_close (db);
}

static void
test_full_takeover (void)
{
  g_autofree char *dir = safety_make_dir ("full-takeover");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 200);
  const char *args[] = { "insert", path, "3", NULL };
  guint64 limit = STEP;
  Tally tally;

  tally_init (&tally);
  for (guint step = 1;; step++, limit += STEP)
    {
      g_autoptr(SafetyChild) child = NULL;
      g_autoptr(GPtrArray) open = NULL;
      g_autoptr(KdxStore) store = NULL;
      gint64 takeovers_before, takeovers_after, stale;

      g_assert_cmpuint (step, <=, MAX_STEPS);
      plant_stale_lock (path);
      takeovers_before = raw_count (path, "SELECT count(*) FROM journal "
                                          "WHERE action = 'take-over-stale-lock'");
      child = run_limited (limit, args, &tally);
      open = safety_child_lines_with (child, "open");

      takeovers_after = raw_count (path, "SELECT count(*) FROM journal "
                                         "WHERE action = 'take-over-stale-lock'");
      stale = raw_count (path, "SELECT count(*) FROM lock WHERE token = 'stale-token'");
      /* The lock row and its journal entry change together. */
      g_assert_cmpint (takeovers_after, ==, takeovers_before + (stale ? 0 : 1));
      if (open->len > 0)
        g_assert_cmpint (stale, ==, 0);

      store = safety_open_checked (path);
      kdx_store_close (store);

      if (finished (child))
        break;
    }

  tally_report (&tally, "take-over", limit);
  safety_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kdx/safety/disk-full/insert", test_full_insert);
  g_test_add_func ("/kdx/safety/disk-full/import", test_full_import);
  g_test_add_func ("/kdx/safety/disk-full/migration", test_full_migration);
  g_test_add_func ("/kdx/safety/disk-full/backup", test_full_backup);
  g_test_add_func ("/kdx/safety/disk-full/takeover", test_full_takeover);

  return g_test_run ();
}
