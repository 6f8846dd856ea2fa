/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One writer at a time: a second instance reads and names the holder, a
 * stale lock is taken over, a live one is broken only on request, and a
 * writer that lost its lock writes nothing.
 */
#define G_LOG_DOMAIN "kdx-test-lock"

#include "config.h"

#include "kdx-test-util.h"

#include <json-glib/json-glib.h>
#include <sys/types.h>
#include <sys/wait.h>

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
  f->path = g_build_filename (f->dir, "Gremium.kodex", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (json);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Every kind of write a user can make, on @store; each must fail with
 * @code and leave no trace. */
static void
assert_cannot_write (KdxStore   *store,
                     const char *uuid,
                     int         code,
                     guint       attempt)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  switch (attempt % 4)
    {
    case 0:
      {
        g_autoptr(KdxPerson) person = kdx_person_new ();
        kdx_person_set_name (person, "Eva Eindringling");
        ok = kdx_person_insert (store, person, &error);
      }
      break;
    case 1:
      {
        g_autoptr(KdxPerson) person = kdx_person_load (store, uuid, NULL);
        g_assert_nonnull (person);
        kdx_person_set_role (person, "Geändert");
        ok = kdx_person_update (store, person, &error);
      }
      break;
    case 2:
      ok = kdx_person_trash (store, uuid, &error);
      break;
    default:
      ok = kdx_store_set_setting (store, "quorum", "any:1", &error);
      break;
    }

  g_assert_false (ok);
  g_assert_error (error, KDX_STORE_ERROR, code);
}

static void
test_second_open (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KdxStore) first = kdx_test_create (f->path);
  g_autoptr(KdxStore) second = NULL;
  g_autoptr(KdxStore) third = NULL;
  g_autoptr(KdxStore) fourth = NULL;
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autoptr(KdxPerson) anna = NULL;
  g_autofree char *head = NULL;
  gint64 start;
  char *msg = NULL;

  anna = kdx_test_add_person (first, "Anna Alt", "anna@example.org", NULL, NULL);
  head = kdx_test_journal_head (first);

  start = g_get_monotonic_time ();
  second = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_true (kdx_store_is_read_only (second));
  g_assert_cmpint (kdx_store_get_read_only_reason (second), ==, KDX_STORE_READ_ONLY_LOCKED);
  g_assert_false (kdx_store_is_read_only (first));

  /* It says who holds the lock. */
  holder = kdx_store_dup_lock_holder (second);
  g_assert_nonnull (holder);
  g_assert_cmpstr (holder->user, ==, g_get_user_name ());
  g_assert_cmpstr (holder->host, ==, g_get_host_name ());
  g_assert_cmpint (holder->pid, ==, getpid ());
  g_assert_cmpint (holder->since, <=, now_unix ());
  g_assert_cmpint (holder->heartbeat, >=, now_unix () - 60);

  /* 0 of 100 writes succeed. */
  for (guint i = 0; i < 100; i++)
    assert_cannot_write (second, kdx_person_get_uuid (anna), KDX_STORE_ERROR_READ_ONLY, i);
  /* Not even SQL that bypassed the checks of core. */
  g_assert_cmpint (sqlite3_exec (kdx_store_get_db (second), "DELETE FROM person",
                                 NULL, NULL, &msg), !=, SQLITE_OK);
  sqlite3_free (msg);

  kdx_test_assert_head (first, head);
  kdx_test_assert_head (second, head);
  g_assert_cmpint (kdx_person_count (first), ==, 1);
  kdx_test_assert_setting (first, "quorum", "majority:3");

  /* The first one can still write. */
  g_object_unref (kdx_test_add_person (first, "Bernd Brot", NULL, NULL, NULL));
  g_assert_cmpint (kdx_person_count (second), ==, 2);

  /* After the first closes, the next one to open gets the lock; the
   * read-only one stays read-only. */
  kdx_test_close (&first);
  third = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_false (kdx_store_is_read_only (third));
  g_assert_true (kdx_store_is_read_only (second));
  g_object_unref (kdx_test_add_person (third, "Carla Chor", NULL, NULL, NULL));

  /* Closing a read-only instance does not release the writer's lock. */
  kdx_test_close (&second);
  fourth = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpint (kdx_store_get_read_only_reason (fourth), ==, KDX_STORE_READ_ONLY_LOCKED);
  kdx_test_close (&fourth);

  kdx_test_close (&third);
  g_assert_cmpint (kdx_test_raw_int (f->path, "SELECT count(*) FROM lock"), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Stale locks                                                        */

typedef enum
{
  PID_DEAD,     /* a process that has exited */
  PID_ALIVE,    /* our parent */
  PID_ONE,      /* init: alive, but not ours to signal */
} PidKind;

typedef struct
{
  const char *name;
  gboolean    this_host;
  PidKind     pid;
  gint64      heartbeat_age;
  gboolean    taken_over;
} StaleCase;

static const StaleCase stale_cases[] = {
  { "dead-pid", TRUE, PID_DEAD, 0, TRUE },
  { "old-heartbeat", FALSE, PID_ONE, 3600, TRUE },
  { "old-heartbeat-live-pid", TRUE, PID_ALIVE, 3600, TRUE },
  { "live-other-host", FALSE, PID_ONE, 5, FALSE },
  { "live-this-host", TRUE, PID_ALIVE, 5, FALSE },
  /* A pid means nothing on another machine. */
  { "dead-pid-other-host", FALSE, PID_DEAD, 5, FALSE },
};

static pid_t
dead_pid (void)
{
  int status = 0;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  return pid;
}

static void
test_stale (gconstpointer data)
{
  const StaleCase *c = data;
  Fixture f = { 0 };
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *host = NULL;
  gint64 length;
  pid_t pid;
  sqlite3 *db;

  fixture_set_up (&f, NULL);
  store = kdx_test_create (f.path);
  g_object_unref (kdx_test_add_person (store, "Anna Alt", NULL, NULL, NULL));
  length = kdx_test_journal_length (store);
  head = kdx_test_journal_head (store);
  kdx_test_close (&store);

  switch (c->pid)
    {
    case PID_DEAD: pid = dead_pid (); break;
    case PID_ALIVE: pid = getppid (); break;
    default: pid = 1; break;
    }
  host = g_strdup (c->this_host ? g_get_host_name () : "kodex-laptop-17.example");

  /* Another Kodex's lock row, as it left it. */
  db = kdx_test_raw_open (f.path);
  sql = sqlite3_mprintf ("INSERT INTO lock (id, token, user, host, pid, since, heartbeat) "
                         "VALUES (1, 'token-of-another-kodex', 'hmueller', %Q, %d, %lld, %lld)",
                         host, (int) pid, (long long) (now_unix () - c->heartbeat_age - 600),
                         (long long) (now_unix () - c->heartbeat_age));
  kdx_test_db_exec (db, sql);
  sqlite3_free (g_steal_pointer (&sql));
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  store = kdx_test_open (f.path, KDX_STORE_OPEN_DEFAULT);
  holder = kdx_store_dup_lock_holder (store);
  g_assert_nonnull (holder);

  if (c->taken_over)
    {
      g_autoptr(KdxJournalEntry) entry = NULL;
      g_autoptr(JsonObject) before = NULL;

      g_assert_false (kdx_store_is_read_only (store));
      g_assert_cmpstr (holder->user, ==, g_get_user_name ());
      g_assert_cmpint (holder->pid, ==, getpid ());

      /* The take-over is journaled, naming whose lock it was. */
      g_assert_cmpint (kdx_test_journal_length (store), ==, length + 1);
      entry = kdx_test_last_entry (store);
      g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "workspace");
      g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "take-over-stale-lock");
      g_assert_cmpstr (kdx_journal_entry_get_summary (entry), ==, "hmueller");
      before = parse_object (kdx_journal_entry_get_before (entry));
      g_assert_cmpstr (json_object_get_string_member (before, "user"), ==, "hmueller");
      g_assert_cmpstr (json_object_get_string_member (before, "host"), ==, host);
      g_assert_cmpint (json_object_get_int_member (before, "pid"), ==, pid);
      g_assert_true (kdx_journal_verify (store, 0, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);

      g_object_unref (kdx_test_add_person (store, "Bernd Brot", NULL, NULL, NULL));
      g_assert_cmpint (kdx_person_count (store), ==, 2);
    }
  else
    {
      g_assert_true (kdx_store_is_read_only (store));
      g_assert_cmpint (kdx_store_get_read_only_reason (store), ==, KDX_STORE_READ_ONLY_LOCKED);
      g_assert_cmpstr (holder->user, ==, "hmueller");
      g_assert_cmpstr (holder->host, ==, host);
      g_assert_cmpint (holder->pid, ==, pid);
      kdx_test_assert_head (store, head);
    }
  kdx_test_close (&store);

  if (!c->taken_over)
    {
      g_autofree char *token = NULL;

      db = kdx_test_raw_open (f.path);
      token = kdx_test_db_text (db, "SELECT token FROM lock");
      g_assert_cmpstr (token, ==, "token-of-another-kodex");
      g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
    }

  fixture_tear_down (&f, NULL);
}

/* ------------------------------------------------------------------ */
/* Breaking a live lock                                               */

static void
test_break (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(KdxStore) first = kdx_test_create (f->path);
  g_autoptr(KdxStore) second = NULL;
  g_autoptr(KdxStore) third = NULL;
  g_autoptr(KdxPerson) anna = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  gint64 length;

  anna = kdx_test_add_person (first, "Anna Alt", "anna@example.org", NULL, NULL);

  /* Breaking the lock of a writable store is no change. */
  length = kdx_test_journal_length (first);
  g_assert_true (kdx_store_break_lock (first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (first), ==, length);

  second = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpint (kdx_store_get_read_only_reason (second), ==, KDX_STORE_READ_ONLY_LOCKED);

  g_assert_true (kdx_store_break_lock (second, &error));
  g_assert_no_error (error);
  g_assert_false (kdx_store_is_read_only (second));
  g_assert_cmpint (kdx_store_get_read_only_reason (second), ==, KDX_STORE_READ_ONLY_NONE);

  /* Journaled, naming the holder whose lock was broken. */
  g_assert_cmpint (kdx_test_journal_length (second), ==, length + 1);
  entry = kdx_test_last_entry (second);
  g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "workspace");
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "break-lock");
  g_assert_cmpstr (kdx_journal_entry_get_summary (entry), ==, g_get_user_name ());
  before = parse_object (kdx_journal_entry_get_before (entry));
  g_assert_cmpint (json_object_get_int_member (before, "pid"), ==, getpid ());
  head = kdx_test_journal_head (second);

  /* The first one, paused while its lock was broken, writes nothing when
   * it resumes. */
  assert_cannot_write (first, kdx_person_get_uuid (anna), KDX_STORE_ERROR_LOCK_LOST, 0);
  g_assert_true (kdx_store_is_read_only (first));
  g_assert_cmpint (kdx_store_get_read_only_reason (first), ==, KDX_STORE_READ_ONLY_LOCKED);
  for (guint i = 0; i < 4; i++)
    assert_cannot_write (first, kdx_person_get_uuid (anna), KDX_STORE_ERROR_READ_ONLY, i);
  kdx_test_assert_head (second, head);
  g_assert_cmpint (kdx_person_count (second), ==, 1);

  /* The new holder writes. */
  g_object_unref (kdx_test_add_person (second, "Bernd Brot", NULL, NULL, NULL));
  g_assert_cmpint (kdx_person_count (second), ==, 2);

  /* When the old holder closes, it does not release the new holder's lock. */
  kdx_test_close (&first);
  third = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpint (kdx_store_get_read_only_reason (third), ==, KDX_STORE_READ_ONLY_LOCKED);
  kdx_test_close (&third);

  g_assert_true (kdx_journal_verify (second, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kdx_test_close (&second);
}

/* ------------------------------------------------------------------ */
/* Heartbeat                                                          */

static void
test_heartbeat (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KdxStore) first = kdx_test_create (f->path);
  g_autoptr(KdxStore) second = NULL;
  g_autoptr(KdxStore) reader = NULL;
  g_autoptr(KdxPerson) anna = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *raw;

  anna = kdx_test_add_person (first, "Anna Alt", NULL, NULL, NULL);

  /* Without a heartbeat for a long time, the lock would look stale… */
  raw = kdx_test_raw_open (f->path);
  kdx_test_db_exec (raw, "UPDATE lock SET heartbeat = 1000");

  /* …the heartbeat renews it… */
  g_assert_true (kdx_store_heartbeat (first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_db_int (raw, "SELECT heartbeat FROM lock"), >=, now_unix () - 5);

  /* …so a second instance does not take it over. */
  second = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpint (kdx_store_get_read_only_reason (second), ==, KDX_STORE_READ_ONLY_LOCKED);
  kdx_test_close (&second);

  /* A read-only store has no lock to renew. */
  reader = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_true (kdx_store_heartbeat (reader, &error));
  g_assert_no_error (error);
  kdx_test_close (&reader);

  /* Someone else took the lock (another machine, say): the next heartbeat
   * notices, and the store turns read-only. */
  kdx_test_db_exec (raw, "UPDATE lock SET token = 'taken-by-another-machine', host = 'elsewhere'");
  g_assert_false (kdx_store_heartbeat (first, &error));
  g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_LOCK_LOST);
  g_clear_error (&error);
  g_assert_true (kdx_store_is_read_only (first));
  assert_cannot_write (first, kdx_person_get_uuid (anna), KDX_STORE_ERROR_READ_ONLY, 0);
  g_assert_cmpint (kdx_test_db_int (raw, "SELECT count(*) FROM person"), ==, 1);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);

  kdx_test_close (&first);
  /* The other machine's lock is still there. */
  g_assert_cmpint (kdx_test_raw_int (f->path, "SELECT count(*) FROM lock "
                                              "WHERE token = 'taken-by-another-machine'"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/kdx/lock/second-open", Fixture, NULL, fixture_set_up, test_second_open,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (stale_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/lock/stale/%s", stale_cases[i].name);
      g_test_add_data_func (path, &stale_cases[i], test_stale);
    }
  g_test_add ("/kdx/lock/break", Fixture, NULL, fixture_set_up, test_break, fixture_tear_down);
  g_test_add ("/kdx/lock/heartbeat", Fixture, NULL, fixture_set_up, test_heartbeat,
              fixture_tear_down);

  return g_test_run ();
}
