/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two instances (SAFETY.md "Store"): one writer at a time. A second
 * process opens read-only within 1 s and names the holder, and none of
 * its 100 write attempts succeeds; once the first closes it can take the
 * lock. 20 processes opening at once get exactly one writer (short: 10
 * rounds; long: 100). A stale lock (dead process on this host, or old
 * heartbeat) is taken over; a paused writer that lost its lock writes
 * nothing after it resumes.
 */
#define _GNU_SOURCE
#include "config.h"

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "safety-common.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *
expect_line (SafetyChild *child,
             const char  *what)
{
  char *line = safety_child_next_line (child, g_get_monotonic_time () + 30 * G_USEC_PER_SEC);

  if (line == NULL)
    g_error ("The helper printed no line (%s); stderr: %s", what, child->err->str);

  return line;
}

static char *
send_command (SafetyChild *child,
              const char  *command)
{
  g_assert_cmpint (write (child->in_fd, command, strlen (command)), ==, (gssize) strlen (command));
  g_assert_cmpint (write (child->in_fd, "\n", 1), ==, 1);

  return expect_line (child, command);
}

static SafetyChild *
start_holder (const char *path)
{
  SafetyChild *holder = safety_helper_spawn ("hold", path, NULL);
  g_autofree char *line = expect_line (holder, "hold");

  g_assert_cmpstr (line, ==, "writer");

  return holder;
}

static gint64
raw_people (const char *path)
{
  sqlite3 *db = safety_raw_open (path, FALSE);
  gint64 n = safety_raw_int (db, "SELECT count(*) FROM person");

  sqlite3_close (db);
  return n;
}

static void
run_cli (const char * const *args,
         int                *out_status,
         char              **out_err,
         gint64             *out_ms)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(SafetyChild) child = NULL;
  const char *cli = g_getenv ("KODEX_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  child = safety_child_spawn ((const char * const *) argv->pdata, FALSE, NULL);
  *out_status = safety_child_wait (child);
  *out_ms = (g_get_monotonic_time () - child->started) / 1000;
  *out_err = g_strdup (child->err->str);
}

/* ------------------------------------------------------------------ */

static void
test_second_read_only (void)
{
  g_autofree char *dir = safety_make_dir ("second");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 20);
  g_autoptr(SafetyChild) holder = start_holder (path);
  g_autoptr(KdxStore) second = NULL;
  g_autoptr(KdxLockHolder) named = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = g_strdup_printf ("process %d", (int) holder->pid);
  g_autofree char *org_before = NULL;
  sqlite3 *db;
  gint64 start, ms, people_before = raw_people (path);
  guint attempts = 0, succeeded = 0;

  /* The second instance: read-only within 1 s, and it knows who holds it. */
  start = g_get_monotonic_time ();
  second = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  g_assert_cmpint (ms, <, 1000 * safety_slowdown ());
  g_assert_true (kdx_store_is_read_only (second));
  g_assert_cmpint (kdx_store_get_read_only_reason (second), ==, KDX_STORE_READ_ONLY_LOCKED);
  named = kdx_store_dup_lock_holder (second);
  g_assert_nonnull (named);
  g_assert_cmpint (named->pid, ==, holder->pid);
  g_assert_cmpstr (named->host, ==, g_get_host_name ());
  g_assert_cmpstr (named->user, ==, g_get_user_name ());
  org_before = kdx_store_dup_setting (second, "organisation");

  /* 100 write attempts, by every way in: none gets through. */
  for (guint i = 0; i < 30; i++, attempts++)
    {
      g_autoptr(KdxPerson) person = kdx_person_new ();
      g_autofree char *name = g_strdup_printf ("Zweite %u", i);

      kdx_person_set_name (person, name);
      if (kdx_person_insert (second, person, &error))
        succeeded++;
      else
        g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY);
      g_clear_error (&error);
    }
  for (guint i = 0; i < 20; i++, attempts++)
    {
      if (kdx_store_set_setting (second, "organisation", "Übernommen GmbH", &error))
        succeeded++;
      g_clear_error (&error);
    }
  for (guint i = 0; i < 20; i++, attempts++)
    {
      if (kdx_store_begin (second, &error))
        {
          succeeded++;
          kdx_store_rollback (second);
        }
      g_clear_error (&error);
    }
  db = kdx_store_get_db (second);
  for (guint i = 0; i < 20; i++, attempts++)
    {
      static const char *sql[] = {
        "INSERT INTO setting (key, value) VALUES ('x', 'y')",
        "UPDATE lock SET pid = 1",
        "DELETE FROM person",
        "PRAGMA user_version = 7",
      };
      if (sqlite3_exec (db, sql[i % G_N_ELEMENTS (sql)], NULL, NULL, NULL) == SQLITE_OK)
        succeeded++;
    }
  for (guint i = 0; i < 10; i++, attempts++)
    {
      g_autofree char *name = g_strdup_printf ("Kommandozeile %u", i);
      const char *args[] = { "person", "add", path, "--name", name, NULL };
      g_autofree char *err = NULL;
      int status;

      run_cli (args, &status, &err, &ms);
      if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
        succeeded++;
      else
        {
          /* It says who holds the workspace, and quickly. */
          g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
          g_assert_nonnull (strstr (err, pid));
          g_assert_nonnull (strstr (err, g_get_host_name ()));
          g_assert_cmpint (ms, <, 1000 * safety_slowdown ());
        }
    }
  g_assert_cmpuint (attempts, ==, 100);
  g_assert_cmpuint (succeeded, ==, 0);
  g_assert_cmpint (raw_people (path), ==, people_before);
  {
    g_autofree char *org = kdx_store_dup_setting (second, "organisation");

    g_assert_cmpstr (org, ==, org_before);
  }

  /* The holder still writes. */
  {
    g_autofree char *line = send_command (holder, "w");

    g_assert_true (g_str_has_prefix (line, "ok "));
    g_assert_cmpint (raw_people (path), ==, people_before + 1);
  }

  /* Once the first closes, the second can take the lock. */
  g_assert_cmpint (safety_child_wait (holder), ==, 0);
  kdx_store_close (second);
  g_clear_object (&second);
  second = safety_open_checked (path);
  g_assert_false (kdx_store_is_read_only (second));
  {
    g_autoptr(KdxPerson) person = kdx_person_new ();

    kdx_person_set_name (person, "Jetzt Schreibend");
    g_assert_true (kdx_person_insert (second, person, &error));
    g_assert_no_error (error);
  }
  kdx_store_close (second);
  safety_rm_rf (dir);
}

/* ------------------------------------------------------------------ */

#define RACERS 20

static void
test_race (void)
{
  g_autofree char *dir = safety_make_dir ("race");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 20);
  guint rounds = safety_count (10, 100);
  gint64 slowest = 0;

  for (guint r = 0; r < rounds; r++)
    {
      SafetyChild *racers[RACERS];
      int start[2], release[2];
      guint writers = 0, readers = 0;
      gint64 t0;

      g_assert_cmpint (pipe2 (start, O_CLOEXEC), ==, 0);
      g_assert_cmpint (pipe2 (release, O_CLOEXEC), ==, 0);
      for (guint i = 0; i < RACERS; i++)
        {
          const char *argv[] = { safety_helper_path (), "race", path, NULL };
          int fds[] = { start[0], release[0], -1 };

          racers[i] = safety_child_spawn (argv, FALSE, fds);
        }
      close (start[0]);
      close (release[0]);

      /* All at once: every racer sees the end of the start pipe together. */
      t0 = g_get_monotonic_time ();
      close (start[1]);
      for (guint i = 0; i < RACERS; i++)
        {
          g_autofree char *line = expect_line (racers[i], "race");

          if (g_str_equal (line, "W"))
            writers++;
          else if (g_str_equal (line, "R 2"))  /* KDX_STORE_READ_ONLY_LOCKED */
            readers++;
          else
            g_error ("Racer %u of round %u: “%s” %s", i, r, line, racers[i]->err->str);
        }
      slowest = MAX (slowest, (g_get_monotonic_time () - t0) / 1000);
      g_assert_cmpuint (writers, ==, 1);
      g_assert_cmpuint (readers, ==, RACERS - 1);

      close (release[1]);
      for (guint i = 0; i < RACERS; i++)
        {
          g_assert_cmpint (safety_child_wait (racers[i]), ==, 0);
          safety_child_free (racers[i]);
        }

      /* The writer let go of the lock when it closed. */
      {
        sqlite3 *db = safety_raw_open (path, FALSE);

        g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM lock"), ==, 0);
        sqlite3_close (db);
      }
    }

  {
    g_autoptr(KdxStore) store = safety_open_checked (path);

    g_assert_cmpint (kdx_store_count (store, "SELECT count(*) FROM journal "
                                             "WHERE action = 'take-over-stale-lock'"), ==, 0);
    kdx_store_close (store);
  }
  g_test_message ("%u rounds of %d processes opening at once: one writer each time; "
                  "slowest round %" G_GINT64_FORMAT " ms", rounds, RACERS, slowest);
  safety_rm_rf (dir);
}

/* ------------------------------------------------------------------ */

static gint64
last_journal_entry (KdxStore    *store,
                    const char  *action,
                    char       **before)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (kdx_store_get_db (store),
                                       "SELECT id, before FROM journal WHERE action = ?1 "
                                       "ORDER BY id DESC LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  if (before)
    *before = g_strdup ((const char *) sqlite3_column_text (stmt, 1));

  return sqlite3_column_int64 (stmt, 0);
}

static void
test_stale_dead (void)
{
  g_autofree char *dir = safety_make_dir ("stale-dead");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 20);
  g_autoptr(SafetyChild) holder = start_holder (path);
  g_autoptr(KdxStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *pid = g_strdup_printf ("\"pid\":%d", (int) holder->pid);

  safety_child_signal (holder, SIGKILL);
  safety_child_wait (holder);

  store = safety_open_checked (path);
  g_assert_false (kdx_store_is_read_only (store));
  g_assert_cmpint (last_journal_entry (store, "take-over-stale-lock", &before), >, 0);
  g_assert_nonnull (strstr (before, pid));
  kdx_store_close (store);
  safety_rm_rf (dir);
}

/* The paused writer resumes after someone else took the lock: the first
 * thing it tries (@first: "w" an insert, "h" a heartbeat) finds the lock
 * lost, every write after that is refused, and the file holds none. */
static void
assert_paused_writer_writes_nothing (SafetyChild *holder,
                                     const char  *path,
                                     const char  *first,
                                     gint64       people)
{
  g_autofree char *line = send_command (holder, first);

  /* KDX_STORE_ERROR_LOCK_LOST */
  if (!g_str_has_prefix (line, "err kdx-store-error-quark 8 "))
    g_error ("The paused writer, resumed, got “%s” for “%s”", line, first);

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *again = send_command (holder, "w");

      /* KDX_STORE_ERROR_READ_ONLY: it knows now. */
      if (!g_str_has_prefix (again, "err kdx-store-error-quark 6 "))
        g_error ("The paused writer, resumed, got “%s” for an insert", again);
    }
  {
    g_autofree char *count = send_command (holder, "c");
    g_autofree char *expected = g_strdup_printf ("n %" G_GINT64_FORMAT " 1", people);

    g_assert_cmpstr (count, ==, expected);
  }
  g_assert_cmpint (raw_people (path), ==, people);
}

static void
test_paused_writer_stale_heartbeat (void)
{
  g_autofree char *dir = safety_make_dir ("paused-stale");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 20);
  g_autoptr(SafetyChild) holder = start_holder (path);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPerson) person = kdx_person_new ();
  sqlite3 *db;
  gint64 people;

  safety_child_signal (holder, SIGSTOP);

  /* Its heartbeat went stale while it hung. */
  db = safety_raw_open (path, TRUE);
  safety_raw_exec (db, "UPDATE lock SET heartbeat = heartbeat - 3600");
  sqlite3_close (db);

  store = safety_open_checked (path);
  g_assert_false (kdx_store_is_read_only (store));
  g_assert_cmpint (last_journal_entry (store, "take-over-stale-lock", NULL), >, 0);
  kdx_person_set_name (person, "Neue Halterin");
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);
  people = kdx_person_count (store);

  safety_child_signal (holder, SIGCONT);
  assert_paused_writer_writes_nothing (holder, path, "w", people);

  g_assert_cmpint (safety_child_wait (holder), ==, 0);
  /* Closing did not release the lock it no longer had. */
  {
    g_autoptr(KdxLockHolder) lock = kdx_store_dup_lock_holder (store);

    g_assert_nonnull (lock);
    g_assert_cmpint (lock->pid, ==, getpid ());
    g_assert_true (kdx_store_heartbeat (store, &error));
    g_assert_no_error (error);
  }
  safety_assert_healthy (store);
  kdx_store_close (store);
  safety_rm_rf (dir);
}

static void
test_paused_writer_break_lock (void)
{
  g_autofree char *dir = safety_make_dir ("paused-break");
  g_autofree char *path = safety_make_workspace (dir, "w.kodex", 20);
  g_autoptr(SafetyChild) holder = start_holder (path);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autofree char *before = NULL;
  g_autofree char *pid = g_strdup_printf ("\"pid\":%d", (int) holder->pid);
  gint64 people;

  safety_child_signal (holder, SIGSTOP);

  /* A live lock: read-only, until the user breaks it explicitly. */
  store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kdx_store_get_read_only_reason (store), ==, KDX_STORE_READ_ONLY_LOCKED);
  g_assert_true (kdx_store_break_lock (store, &error));
  g_assert_no_error (error);
  g_assert_false (kdx_store_is_read_only (store));
  g_assert_cmpint (last_journal_entry (store, "break-lock", &before), >, 0);
  g_assert_nonnull (strstr (before, pid));

  kdx_person_set_name (person, "Brecherin");
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);
  people = kdx_person_count (store);

  safety_child_signal (holder, SIGCONT);
  assert_paused_writer_writes_nothing (holder, path, "h", people);
  g_assert_cmpint (safety_child_wait (holder), ==, 0);

  g_assert_true (kdx_store_heartbeat (store, &error));
  g_assert_no_error (error);
  safety_assert_healthy (store);
  kdx_store_close (store);
  safety_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kdx/safety/instances/second-read-only", test_second_read_only);
  g_test_add_func ("/kdx/safety/instances/twenty-at-once", test_race);
  g_test_add_func ("/kdx/safety/instances/stale-dead-process", test_stale_dead);
  g_test_add_func ("/kdx/safety/instances/paused-writer-stale-heartbeat",
                   test_paused_writer_stale_heartbeat);
  g_test_add_func ("/kdx/safety/instances/paused-writer-lock-broken",
                   test_paused_writer_break_lock);

  return g_test_run ();
}
