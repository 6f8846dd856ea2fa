/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"

#include "safety-common.h"

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *
safety_helper_path (void)
{
  return SAFETY_HELPER;
}

guint
safety_slowdown (void)
{
  return g_getenv ("ASAN_OPTIONS") != NULL || g_getenv ("UBSAN_OPTIONS") != NULL ? 4 : 1;
}

guint
safety_count (guint quick,
              guint slow)
{
  if (g_test_slow ())
    return slow;
  if (safety_slowdown () > 1)
    return MAX (2, quick / 4);
  return quick;
}

gint64
safety_now_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

void
safety_message_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_test_message ("  %s", lines[i]);
}

static void
make_pipe (int fds[2])
{
  if (pipe2 (fds, O_CLOEXEC) != 0)
    g_error ("pipe2: %s", g_strerror (errno));
}

SafetyChild *
safety_child_spawn (const char * const *argv,
                    gboolean            with_stdin,
                    const int          *extra_fds)
{
  posix_spawn_file_actions_t actions;
  SafetyChild *child = g_new0 (SafetyChild, 1);
  int in[2] = { -1, -1 }, out[2], err[2];
  int high[8];
  guint n_extra = 0;
  int rc;

  make_pipe (out);
  make_pipe (err);
  if (with_stdin)
    make_pipe (in);

  /* Moved out of the way first, so that no dup2() below lands on a
   * descriptor that is still to be moved. */
  for (; extra_fds != NULL && extra_fds[n_extra] >= 0; n_extra++)
    {
      g_assert_cmpuint (n_extra, <, G_N_ELEMENTS (high));
      high[n_extra] = fcntl (extra_fds[n_extra], F_DUPFD_CLOEXEC, 200);
      g_assert_cmpint (high[n_extra], >=, 200);
    }

  posix_spawn_file_actions_init (&actions);
  if (with_stdin)
    posix_spawn_file_actions_adddup2 (&actions, in[0], 0);
  else
    posix_spawn_file_actions_addopen (&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&actions, out[1], 1);
  posix_spawn_file_actions_adddup2 (&actions, err[1], 2);
  for (guint i = 0; i < n_extra; i++)
    posix_spawn_file_actions_adddup2 (&actions, high[i], 3 + (int) i);

  rc = posix_spawn (&child->pid, argv[0], &actions, NULL, (char * const *) argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  if (rc != 0)
    g_error ("Cannot start %s: %s", argv[0], g_strerror (rc));

  for (guint i = 0; i < n_extra; i++)
    close (high[i]);
  close (out[1]);
  close (err[1]);
  if (with_stdin)
    close (in[0]);

  child->in_fd = in[1];
  child->out_fd = out[0];
  child->err_fd = err[0];
  child->out = g_string_new (NULL);
  child->err = g_string_new (NULL);
  child->started = g_get_monotonic_time ();

  return child;
}

SafetyChild *
safety_helper_spawn (const char *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (argv, (gpointer) safety_helper_path ());
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  return safety_child_spawn ((const char * const *) argv->pdata, TRUE, NULL);
}

static gboolean
read_into (int     *fd,
           GString *buffer)
{
  char chunk[8192];
  ssize_t n = read (*fd, chunk, sizeof chunk);

  if (n > 0)
    {
      g_string_append_len (buffer, chunk, n);
      return TRUE;
    }
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return TRUE;

  close (*fd);
  *fd = -1;
  return FALSE;
}

gboolean
safety_child_pump (SafetyChild *child,
                   gint64       deadline)
{
  while (child->out_fd >= 0 || child->err_fd >= 0)
    {
      struct pollfd fds[2];
      nfds_t n = 0;
      gint64 now = g_get_monotonic_time ();
      gsize had = child->out->len;
      int timeout, rc;

      /* Past the deadline: only what is there already. */
      if (deadline == G_MAXINT64)
        timeout = -1;
      else if (now >= deadline)
        timeout = 0;
      else
        timeout = (int) MAX (1, (deadline - now + 999) / 1000);

      if (child->out_fd >= 0)
        fds[n++] = (struct pollfd) { .fd = child->out_fd, .events = POLLIN };
      if (child->err_fd >= 0)
        fds[n++] = (struct pollfd) { .fd = child->err_fd, .events = POLLIN };

      rc = poll (fds, n, timeout);
      if (rc < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("poll: %s", g_strerror (errno));
        }
      if (rc == 0)
        return TRUE;

      for (nfds_t i = 0; i < n; i++)
        if (fds[i].revents != 0)
          {
            if (fds[i].fd == child->out_fd)
              read_into (&child->out_fd, child->out);
            else
              read_into (&child->err_fd, child->err);
          }

      /* Give the caller a chance to look at a new line. */
      if (deadline != G_MAXINT64 && timeout != 0 &&
          memchr (child->out->str + had, '\n', child->out->len - had) != NULL)
        return TRUE;
    }

  return FALSE;
}

char *
safety_child_next_line (SafetyChild *child,
                        gint64       deadline)
{
  for (;;)
    {
      const char *start = child->out->str + child->line_pos;
      const char *nl = memchr (start, '\n', child->out->len - child->line_pos);

      if (nl != NULL)
        {
          char *line = g_strndup (start, nl - start);

          child->line_pos += (nl - start) + 1;
          return line;
        }
      if (child->out_fd < 0 || g_get_monotonic_time () >= deadline)
        return NULL;
      safety_child_pump (child, deadline);
    }
}

void
safety_child_close_stdin (SafetyChild *child)
{
  if (child->in_fd >= 0)
    {
      close (child->in_fd);
      child->in_fd = -1;
    }
}

void
safety_child_signal (SafetyChild *child,
                     int          sig)
{
  if (!child->reaped)
    kill (child->pid, sig);
}

int
safety_child_wait (SafetyChild *child)
{
  safety_child_close_stdin (child);
  safety_child_pump (child, G_MAXINT64);

  if (!child->reaped)
    {
      while (waitpid (child->pid, &child->status, 0) < 0)
        if (errno != EINTR)
          g_error ("waitpid: %s", g_strerror (errno));
      child->reaped = TRUE;
    }

  return child->status;
}

void
safety_child_free (SafetyChild *child)
{
  if (child == NULL)
    return;
  if (!child->reaped)
    {
      kill (child->pid, SIGKILL);
      safety_child_wait (child);
    }
  safety_child_close_stdin (child);
  if (child->out_fd >= 0)
    close (child->out_fd);
  if (child->err_fd >= 0)
    close (child->err_fd);
  g_string_free (child->out, TRUE);
  g_string_free (child->err, TRUE);
  g_free (child);
}

char *
safety_describe_status (int status)
{
  if (WIFEXITED (status))
    return g_strdup_printf ("exit %d", WEXITSTATUS (status));
  if (WIFSIGNALED (status))
    return g_strdup_printf ("killed by signal %d (%s)", WTERMSIG (status),
                            strsignal (WTERMSIG (status)));
  return g_strdup_printf ("status 0x%x", status);
}

GPtrArray *
safety_child_lines_with (SafetyChild *child,
                         const char  *prefix)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) all = g_strsplit (child->out->str, "\n", -1);
  gsize len = strlen (prefix);
  guint n = g_strv_length (all);

  /* The last piece has no newline: the child was killed while writing it. */
  for (guint i = 0; i + 1 < n; i++)
    if (strncmp (all[i], prefix, len) == 0)
      g_ptr_array_add (lines, g_strdup (all[i] + len));

  return lines;
}

/* ------------------------------------------------------------------ */

char *
safety_make_dir (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpl = g_strdup_printf ("kodex-safety-%s-XXXXXX", name);
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

void
safety_copy_file (const char *from,
                  const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;
  int fd;

  g_file_get_contents (from, &data, &len, &error);
  g_assert_no_error (error);

  fd = g_open (to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  for (gsize done = 0; done < len;)
    {
      ssize_t n = write (fd, data + done, len - done);

      g_assert_cmpint (n, >, 0);
      done += n;
    }
  close (fd);
}

char *
safety_file_sha256 (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, &error))
    return g_strdup ("(missing)");

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

void
safety_remove_workspace (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);

      g_unlink (p);
    }
}

void
safety_rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      safety_rm_rf (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

guint
safety_count_files_with_prefix (const char *path,
                                 const char *prefix)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  g_dir_close (dir);

  return n;
}

/* ------------------------------------------------------------------ */

sqlite3 *
safety_raw_open (const char *path,
                 gboolean    writable)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db,
                            writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, NULL);

  if (rc != SQLITE_OK)
    g_error ("Cannot open %s: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  sqlite3_busy_timeout (db, 10000);

  return db;
}

gint64
safety_raw_int (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("“%s”: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("“%s” returned no row: %s", sql, sqlite3_errmsg (db));
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

void
safety_raw_exec (sqlite3    *db,
                 const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("“%s”: %s", sql, msg);
}

char *
safety_raw_problems (sqlite3 *db)
{
  g_autoptr(GString) report = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return g_strdup_printf ("integrity_check cannot run: %s", sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (row, "ok") != 0)
        g_string_append_printf (report, "integrity: %s\n", row);
    }
  if (rc != SQLITE_DONE)
    g_string_append_printf (report, "integrity_check: %s\n", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  rc = sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return g_strdup_printf ("foreign_key_check cannot run: %s", sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (report, "foreign key: %s row %lld → %s\n",
                            (const char *) sqlite3_column_text (stmt, 0),
                            (long long) sqlite3_column_int64 (stmt, 1),
                            (const char *) sqlite3_column_text (stmt, 2));
  if (rc != SQLITE_DONE)
    g_string_append_printf (report, "foreign_key_check: %s\n", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);

  if (report->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&report), FALSE);
}

void
safety_assert_healthy (KdxStore *store)
{
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = kdx_store_get_db (store);
  gint64 first_bad = -1, checked = 0;
  gboolean ok;

  ok = kdx_store_check (store, report, &error);
  if (!ok)
    {
      g_test_message ("check of %s:", kdx_store_get_path (store));
      safety_message_lines (report->str);
    }
  g_assert_no_error (error);
  g_assert_true (ok);

  ok = kdx_journal_verify (store, 0, NULL, &first_bad, &checked, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (first_bad, ==, 0);
  g_assert_cmpint (checked, >, 0);

  /* Each change is one transaction with its journal entry: no person
   * without the entry that created it, no entry without its person. */
  g_assert_cmpint (safety_raw_int (db,
                                   "SELECT count(*) FROM person p WHERE NOT EXISTS "
                                   "(SELECT 1 FROM journal j WHERE j.entity = 'person' "
                                   " AND j.action = 'create' AND j.entity_id = p.uuid)"), ==, 0);
  g_assert_cmpint (safety_raw_int (db,
                                   "SELECT count(*) FROM journal j WHERE j.entity = 'person' "
                                   "AND j.action = 'create' AND NOT EXISTS "
                                   "(SELECT 1 FROM person p WHERE p.uuid = j.entity_id)"), ==, 0);

  if (safety_raw_int (db, "PRAGMA user_version") >= 2)
    {
      g_assert_cmpint (safety_raw_int (db, "SELECT count(*) FROM person_search"), ==,
                       safety_raw_int (db, "SELECT count(*) FROM person WHERE trashed IS NULL"));
      if (!kdx_store_is_read_only (store))
        safety_raw_exec (db, "INSERT INTO person_search (person_search) VALUES ('integrity-check')");
    }
}

KdxStore *
safety_open_checked (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  if (kdx_store_is_read_only (store))
    {
      g_autoptr(KdxLockHolder) holder = kdx_store_dup_lock_holder (store);

      g_error ("%s opened read-only (reason %d, holder %s pid %" G_GINT64_FORMAT ")", path,
               kdx_store_get_read_only_reason (store), holder ? holder->host : "-",
               holder ? holder->pid : 0);
    }
  safety_assert_healthy (store);

  return g_steal_pointer (&store);
}

static const char *departments[] = { "Vertrieb", "Marketing", "Einkauf", "Recht & Compliance", "IT" };

void
safety_insert_people (KdxStore   *store,
                      guint       n,
                      const char *prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  ok = kdx_store_begin (store, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KdxPerson) person = kdx_person_new ();
      g_autofree char *name = g_strdup_printf ("%s Müller-Łukasiewicz %u", prefix, i);
      g_autofree char *email = g_strdup_printf ("%s.%u@example.org", prefix, i);

      kdx_person_set_name (person, name);
      kdx_person_set_email (person, email);
      kdx_person_set_department (person, departments[i % G_N_ELEMENTS (departments)]);
      kdx_person_set_role (person, i % 7 == 0 ? "Teamleitung" : "Sachbearbeitung");
      kdx_person_set_committee (person, i % 13 == 0);
      if (i >= 10)
        kdx_person_set_manager (person, g_ptr_array_index (uuids, i / 10));
      ok = kdx_person_insert (store, person, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
      g_ptr_array_add (uuids, g_strdup (kdx_person_get_uuid (person)));
    }

  ok = kdx_store_commit (store, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

char *
safety_make_workspace (const char *dir,
                       const char *name,
                       guint       n_people)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(KdxStore) store = kdx_store_create (path, "Safety GmbH", "de", &error);

  g_assert_no_error (error);
  for (guint done = 0, batch = 0; done < n_people; batch++)
    {
      guint n = MIN (1000, n_people - done);
      g_autofree char *prefix = g_strdup_printf ("seed%u", batch);

      safety_insert_people (store, n, prefix);
      done += n;
    }
  kdx_store_close (store);

  return path;
}

char *
safety_make_v1_workspace (const char *dir,
                          const char *name,
                          guint       n_people)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(KdxStore) store = _kdx_store_create_at_version (path, 1, &error);
  sqlite3_stmt *insert = NULL;
  sqlite3 *db;
  gboolean ok;

  g_assert_no_error (error);
  db = kdx_store_get_db (store);

  ok = kdx_store_begin (store, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO person (uuid, name, sort_key, email, department, "
                                       "role, manager_id, committee, active, created, modified) "
                                       "VALUES (?1, ?2, lower(?2), ?3, ?4, 'Sachbearbeitung', ?5, 0, 1, "
                                       "'2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < n_people; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *person_name = g_strdup_printf ("Alte Person %u", i);
      g_autofree char *email = g_strdup_printf ("old.%u@example.org", i);
      g_autofree char *json = g_strdup_printf ("{\"uuid\":\"%s\",\"name\":\"%s\"}", uuid, person_name);

      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, person_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 3, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 4, departments[i % G_N_ELEMENTS (departments)], -1, SQLITE_STATIC);
      if (i >= 10)
        sqlite3_bind_int64 (insert, 5, i / 10 + 1);
      else
        sqlite3_bind_null (insert, 5);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);

      ok = kdx_journal_append (store, "person", uuid, "create", person_name, NULL, json, &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  sqlite3_finalize (insert);

  ok = kdx_store_commit (store, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  kdx_store_close (store);

  return path;
}
