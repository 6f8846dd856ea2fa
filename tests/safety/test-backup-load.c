/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backups under load (SAFETY.md "Store"): while another process commits
 * every 10 ms, backups taken from a read-only connection (another Kodex,
 * or kodex-cli backup) and from a second connection of the writer all
 * pass integrity_check, end on a commit boundary (the journal verifies
 * and every person has the entry that created it; no person acknowledged
 * before the backup began is missing) and are 0600. Short: 20 backups of
 * each kind; long: 200.
 */
#include "config.h"

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

static guint
n_backups (void)
{
  return safety_count (20, 200);
}

/* Checks one backup; returns its number of people. */
static gint64
check_backup (const char *backup,
              GPtrArray  *acked_before)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;
  g_autofree char *problems = NULL;
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  struct stat st;
  sqlite3 *db;
  gint64 people;

  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  db = safety_raw_open (backup, FALSE);
  problems = safety_raw_problems (db);
  if (problems != NULL)
    g_error ("Backup %s: %s", backup, problems);
  g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM lock"), ==, 0);
  sqlite3_close (db);

  /* The journal verifies, and every person came with its entry: the copy
   * is a snapshot between two commits. */
  store = kdx_store_open (backup, KDX_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  safety_assert_healthy (store);
  people = kdx_person_count (store);

  g_assert_cmpint (sqlite3_prepare_v2 (kdx_store_get_db (store), "SELECT uuid FROM person", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (present, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < acked_before->len; i++)
    if (!g_hash_table_contains (present, g_ptr_array_index (acked_before, i)))
      g_error ("Backup %s lacks person %s, acknowledged before the backup began", backup,
               (const char *) g_ptr_array_index (acked_before, i));
  kdx_store_close (store);

  return people;
}

/* Everything the writer acknowledged so far. */
static GPtrArray *
acked_so_far (SafetyChild *writer)
{
  safety_child_pump (writer, g_get_monotonic_time ());
  return safety_child_lines_with (writer, "P ");
}

static void
test_backup_under_load (void)
{
  g_autofree char *dir = safety_make_dir ("backup-load");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 500);
  g_autoptr(SafetyChild) writer = safety_helper_spawn ("writer", path, "10", NULL);
  g_autoptr(KdxStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *cli = g_getenv ("KODEX_CLI");
  gint64 last = 0, grew = 0, slowest = 0;
  mode_t old_umask = umask (022);

  line = safety_child_next_line (writer, g_get_monotonic_time () + 30 * G_USEC_PER_SEC);
  g_assert_cmpstr (line, ==, "open");

  /* Another Kodex: read-only, since the writer holds the lock. */
  reader = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kdx_store_get_read_only_reason (reader), ==, KDX_STORE_READ_ONLY_LOCKED);

  for (guint i = 0; i < n_backups (); i++)
    {
      g_autofree char *backup = g_strdup_printf ("%s/backup-%03u.kodex", dir, i);
      g_autoptr(GPtrArray) before = acked_so_far (writer);
      gint64 t0 = g_get_monotonic_time (), people;
      gboolean ok;

      ok = kdx_store_backup (reader, backup, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      slowest = MAX (slowest, (g_get_monotonic_time () - t0) / 1000);

      people = check_backup (backup, before);
      g_assert_cmpint (people, >=, last);
      if (people > last)
        grew++;
      last = people;
      g_unlink (backup);
      g_usleep (g_test_rand_int_range (0, 30000));
    }
  kdx_store_close (reader);

  /* kodex-cli backup, a process of its own. */
  for (guint i = 0; i < n_backups () / 4; i++)
    {
      g_autofree char *backup = g_strdup_printf ("%s/cli-%03u.kodex", dir, i);
      g_autoptr(GPtrArray) before = acked_so_far (writer);
      const char *argv[] = { cli, "backup", path, backup, NULL };
      g_autoptr(SafetyChild) child = safety_child_spawn (argv, FALSE, NULL);

      g_assert_cmpint (safety_child_wait (child), ==, 0);
      check_backup (backup, before);
      g_unlink (backup);
    }

  safety_child_close_stdin (writer);
  g_assert_cmpint (safety_child_wait (writer), ==, 0);
  umask (old_umask);

  {
    g_autoptr(GPtrArray) acked = safety_child_lines_with (writer, "P ");

    g_test_message ("%u backups while the writer committed %u times every 10 ms; "
                    "%" G_GINT64_FORMAT " of them saw new people; slowest %" G_GINT64_FORMAT " ms",
                    n_backups (), acked->len, grew, slowest);
    g_assert_cmpint (grew, >, 0);
  }
  safety_rm_rf (dir);
}

/* The writer's own second connection (how a backup job runs in the app),
 * in a thread of the helper while its main thread inserts: "B N" means a
 * complete backup that began after N acknowledged commits. */
static void
test_backup_secondary (void)
{
  g_autofree char *dir = safety_make_dir ("backup-secondary");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 500);
  g_autofree char *dest = g_build_filename (dir, "backup.kodex", NULL);
  g_autofree char *snapshot = g_build_filename (dir, "snapshot.kodex", NULL);
  g_autoptr(SafetyChild) child = safety_helper_spawn ("backup", path, dest, "0", NULL);
  g_autoptr(KdxStore) store = NULL;
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  guint seen = 0;

  while (seen < n_backups ())
    {
      g_autofree char *line = safety_child_next_line (child, deadline);

      if (line == NULL)
        g_error ("The backup helper stopped: %s", child->err->str);
      if (g_str_has_prefix (line, "B "))
        {
          g_autoptr(GPtrArray) acked = safety_child_lines_with (child, "P ");
          guint n = (guint) g_ascii_strtoull (line + 2, NULL, 10);

          /* The file at dest is this backup or a newer complete one. */
          g_ptr_array_set_size (acked, MIN (n, acked->len));
          safety_remove_workspace (snapshot);
          safety_copy_file (dest, snapshot);
          check_backup (snapshot, acked);
          seen++;
        }
    }

  safety_child_signal (child, SIGKILL);
  safety_child_wait (child);
  store = safety_open_checked (path);
  kdx_store_close (store);
  safety_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kdx/safety/backup/under-load", test_backup_under_load);
  g_test_add_func ("/kdx/safety/backup/second-connection", test_backup_secondary);

  return g_test_run ();
}
