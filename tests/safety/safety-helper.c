/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * safety-helper: runs one real write path of the core in its own process,
 * so that the safety tests can kill it, limit its file size or pause it.
 * Every line it prints on stdout is written with one write() after the
 * thing it reports has returned: "P UUID" only once the insert's COMMIT
 * has returned, "done" only once the whole path has.
 *
 *   safety-helper [--fsize BYTES] [--alarm SECONDS] MODE ARGS…
 *
 *   insert PATH COUNT        open, "open", COUNT inserts (0: forever), "done"
 *   import PATH XML          open, "open", XML import (one transaction), "done"
 *   migrate PATH             open an old workspace (it migrates), "done"
 *   backup PATH DEST COUNT   inserts while backups are taken from a second
 *                            connection: COUNT 0 forever with a backup
 *                            thread ("B N": a backup holding the first N
 *                            acknowledged people is complete), COUNT > 0
 *                            a backup after every 10th insert
 *   probe PATH ro|rw [write] open, read everything ("opened R" or "refused"),
 *                            then try an insert and a setting
 *   hold PATH                open; "writer" or "reader R"; then commands
 *                            on stdin: w (insert), h (heartbeat), c (count)
 *   race PATH                wait for EOF on fd 3, open, "W" or "R", wait
 *                            for EOF on fd 4, close
 *   writer PATH MS           insert every MS milliseconds until stdin closes
 *
 * Exit status: 0 done, 3 the core reported an error (one line on stderr),
 * 4 something unexpected; anything else is a crash.
 */
#include "config.h"

#include "kdx-exchange.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "safety-common.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void
say (const char *format,
     ...)
{
  g_autofree char *line = NULL;
  va_list ap;
  gsize len, done = 0;

  va_start (ap, format);
  line = g_strdup_vprintf (format, ap);
  va_end (ap);

  line = g_realloc (line, strlen (line) + 2);
  strcat (line, "\n");
  len = strlen (line);
  while (done < len)
    {
      ssize_t n = write (STDOUT_FILENO, line + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        _exit (HELPER_UNEXPECTED);
      done += n;
    }
}

static int G_GNUC_NORETURN
fail (GError *error)
{
  g_autofree char *line = g_strdup_printf ("error: %s:%d: %s\n",
                                           g_quark_to_string (error->domain),
                                           error->code, error->message);

  if (write (STDERR_FILENO, line, strlen (line)) < 0)
    _exit (HELPER_UNEXPECTED);
  exit (HELPER_ERROR);
}

static int G_GNUC_NORETURN
unexpected (const char *what)
{
  g_printerr ("unexpected: %s\n", what);
  exit (HELPER_UNEXPECTED);
}

static KdxStore *
open_writable (const char *path)
{
  GError *error = NULL;
  KdxStore *store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);

  if (store == NULL)
    fail (error);
  if (kdx_store_is_read_only (store))
    unexpected ("the workspace opened read-only");

  return store;
}

static gboolean
insert_one (KdxStore  *store,
            guint      i,
            char     **out_uuid,
            GError   **error)
{
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("Helferin %d-%u Ähnlich", (int) getpid (), i);
  g_autofree char *email = g_strdup_printf ("%s@example.org", uuid);

  kdx_person_set_uuid (person, uuid);
  kdx_person_set_name (person, name);
  kdx_person_set_email (person, email);
  kdx_person_set_department (person, i % 2 ? "Vertrieb" : "Einkauf");
  kdx_person_set_role (person, "Sachbearbeitung");
  if (!kdx_person_insert (store, person, error))
    return FALSE;
  if (out_uuid)
    *out_uuid = g_steal_pointer (&uuid);

  return TRUE;
}

static int
mode_insert (const char *path,
             guint64     count)
{
  g_autoptr(KdxStore) store = open_writable (path);
  GError *error = NULL;

  say ("open");
  for (guint64 i = 0; count == 0 || i < count; i++)
    {
      g_autofree char *uuid = NULL;

      if (!insert_one (store, (guint) i, &uuid, &error))
        fail (error);
      say ("P %s", uuid);
    }
  kdx_store_close (store);
  say ("done");

  return HELPER_OK;
}

static int
mode_import (const char *path,
             const char *xml)
{
  g_autoptr(KdxStore) store = open_writable (path);
  GError *error = NULL;

  say ("open");
  if (!kdx_exchange_import_xml (store, xml, NULL, NULL, &error))
    fail (error);
  say ("done");
  kdx_store_close (store);

  return HELPER_OK;
}

static int
mode_migrate (const char *path)
{
  g_autoptr(KdxStore) store = open_writable (path);

  if (kdx_store_count (store, "PRAGMA user_version") != KDX_SCHEMA_VERSION)
    unexpected ("the workspace was not migrated");
  say ("done");
  kdx_store_close (store);

  return HELPER_OK;
}

/* The backup thread of "backup PATH DEST 0". */
typedef struct
{
  KdxStore    *secondary;
  const char  *dest;
  gint         acked;  /* atomic: "P" lines written so far */
} BackupLoop;

static gpointer
backup_thread (gpointer data)
{
  BackupLoop *loop = data;

  for (;;)
    {
      GError *error = NULL;
      gint before = g_atomic_int_get (&loop->acked);

      if (!kdx_store_backup (loop->secondary, loop->dest, NULL, &error))
        {
          g_printerr ("error: backup: %s\n", error->message);
          _exit (HELPER_UNEXPECTED);
        }
      say ("B %d", before);
      g_usleep (g_random_int_range (0, 20000));
    }

  return NULL;
}

static int
mode_backup (const char *path,
             const char *dest,
             guint64     count)
{
  g_autoptr(KdxStore) store = open_writable (path);
  g_autoptr(KdxStore) secondary = NULL;
  GError *error = NULL;
  BackupLoop loop = { 0 };

  secondary = kdx_store_open_secondary (store, &error);
  if (secondary == NULL)
    fail (error);
  say ("open");

  if (count == 0)
    {
      loop.secondary = secondary;
      loop.dest = dest;
      g_thread_unref (g_thread_new ("backup", backup_thread, &loop));

      for (guint i = 0;; i++)
        {
          g_autofree char *uuid = NULL;

          if (!insert_one (store, i, &uuid, &error))
            {
              g_printerr ("error: insert: %s\n", error->message);
              _exit (HELPER_UNEXPECTED);
            }
          say ("P %s", uuid);
          g_atomic_int_inc (&loop.acked);
        }
    }

  for (guint64 i = 0; i < count; i++)
    {
      g_autofree char *uuid = NULL;

      if (!insert_one (store, (guint) i, &uuid, &error))
        fail (error);
      say ("P %s", uuid);
      if (i % 10 == 9)
        {
          if (!kdx_store_backup (secondary, dest, NULL, &error))
            fail (error);
          say ("B %u", (guint) (i + 1));
        }
    }
  kdx_store_close (secondary);
  kdx_store_close (store);
  say ("done");

  return HELPER_OK;
}

static int
mode_probe (const char *path,
            const char *how,
            gboolean    try_writes)
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autofree char *organisation = NULL;
  g_autofree char *head = NULL;
  GError *error = NULL;
  gint64 first_bad = 0, checked = 0, count = 0;

  store = kdx_store_open (path, g_str_equal (how, "ro") ? KDX_STORE_OPEN_READ_ONLY
                                                        : KDX_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      say ("refused %s %d", g_quark_to_string (error->domain), error->code);
      fail (error);
    }
  say ("opened %d", kdx_store_get_read_only_reason (store));

  /* What the window and the CLI read right after opening. */
  organisation = kdx_store_dup_display_name (store);
  say ("name %s", organisation);
  holder = kdx_store_dup_lock_holder (store);
  kdx_journal_get_head (store, &count, &head);
  say ("head %" G_GINT64_FORMAT ":%s", count, head);
  people = kdx_person_list_all (store, TRUE, NULL);
  say ("people %" G_GINT64_FORMAT, kdx_person_count (store));
  if (!kdx_store_check (store, report, NULL))
    say ("check-failed");
  if (!kdx_journal_verify (store, 0, NULL, &first_bad, &checked, NULL, NULL))
    say ("journal-failed %" G_GINT64_FORMAT, first_bad);
  say ("read");

  if (try_writes)
    {
      g_autofree char *uuid = NULL;

      if (insert_one (store, 0, &uuid, &error))
        say ("insert-ok %s", uuid);
      else
        {
          say ("insert-refused %s %d %s", g_quark_to_string (error->domain), error->code,
               error->message);
          g_clear_error (&error);
        }
      if (kdx_store_set_setting (store, "quorum", "majority:5", &error))
        say ("setting-ok");
      else
        {
          say ("setting-refused %s %d %s", g_quark_to_string (error->domain), error->code,
               error->message);
          g_clear_error (&error);
        }
    }
  kdx_store_close (store);

  return HELPER_OK;
}

static int
mode_hold (const char *path)
{
  g_autoptr(KdxStore) store = NULL;
  GError *error = NULL;
  char line[64];
  guint i = 0;

  store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    fail (error);
  if (kdx_store_is_read_only (store))
    say ("reader %d", kdx_store_get_read_only_reason (store));
  else
    say ("writer");

  setvbuf (stdin, NULL, _IONBF, 0);
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_autofree char *uuid = NULL;

      if (line[0] == 'w')
        {
          if (insert_one (store, i++, &uuid, &error))
            say ("ok %s", uuid);
          else
            {
              say ("err %s %d %s", g_quark_to_string (error->domain), error->code, error->message);
              g_clear_error (&error);
            }
        }
      else if (line[0] == 'h')
        {
          if (kdx_store_heartbeat (store, &error))
            say ("ok");
          else
            {
              say ("err %s %d %s", g_quark_to_string (error->domain), error->code, error->message);
              g_clear_error (&error);
            }
        }
      else if (line[0] == 'c')
        say ("n %" G_GINT64_FORMAT " %d", kdx_person_count (store), kdx_store_is_read_only (store));
    }

  kdx_store_close (store);
  return HELPER_OK;
}

static void
wait_for_eof (int fd)
{
  char c;

  for (;;)
    {
      ssize_t n = read (fd, &c, 1);

      if (n == 0 || (n < 0 && errno != EINTR))
        break;
    }
}

static int
mode_race (const char *path)
{
  g_autoptr(KdxStore) store = NULL;
  GError *error = NULL;

  wait_for_eof (3);
  store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      say ("E %s", error->message);
      g_clear_error (&error);
    }
  else if (kdx_store_is_read_only (store))
    say ("R %d", kdx_store_get_read_only_reason (store));
  else
    say ("W");
  wait_for_eof (4);
  if (store != NULL)
    kdx_store_close (store);

  return HELPER_OK;
}

static int
mode_writer (const char *path,
             guint       interval_ms)
{
  g_autoptr(KdxStore) store = open_writable (path);
  GError *error = NULL;

  say ("open");
  for (guint i = 0;; i++)
    {
      g_autofree char *uuid = NULL;
      struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

      if (!insert_one (store, i, &uuid, &error))
        fail (error);
      say ("P %s", uuid);
      if (poll (&pfd, 1, (int) interval_ms) > 0)
        break;
    }
  kdx_store_close (store);
  say ("done");

  return HELPER_OK;
}

int
main (int    argc,
      char **argv)
{
  int i = 1;

  signal (SIGPIPE, SIG_IGN);

  for (; i + 1 < argc && g_str_has_prefix (argv[i], "--"); i += 2)
    {
      guint64 value = g_ascii_strtoull (argv[i + 1], NULL, 10);

      if (g_str_equal (argv[i], "--fsize"))
        {
          struct rlimit limit = { .rlim_cur = value, .rlim_max = value };

          /* A write past the limit fails with EFBIG instead of killing us. */
          signal (SIGXFSZ, SIG_IGN);
          if (setrlimit (RLIMIT_FSIZE, &limit) != 0)
            unexpected ("setrlimit");
        }
      else if (g_str_equal (argv[i], "--alarm"))
        alarm ((unsigned) value);
      else
        unexpected (argv[i]);
    }

  if (i >= argc)
    unexpected ("no mode");

#define ARGS(n) if (argc - i - 1 != (n)) unexpected ("wrong number of arguments")
  if (g_str_equal (argv[i], "insert"))
    {
      ARGS (2);
      return mode_insert (argv[i + 1], g_ascii_strtoull (argv[i + 2], NULL, 10));
    }
  if (g_str_equal (argv[i], "import"))
    {
      ARGS (2);
      return mode_import (argv[i + 1], argv[i + 2]);
    }
  if (g_str_equal (argv[i], "migrate"))
    {
      ARGS (1);
      return mode_migrate (argv[i + 1]);
    }
  if (g_str_equal (argv[i], "backup"))
    {
      ARGS (3);
      return mode_backup (argv[i + 1], argv[i + 2], g_ascii_strtoull (argv[i + 3], NULL, 10));
    }
  if (g_str_equal (argv[i], "probe"))
    {
      if (argc - i - 1 == 3 && g_str_equal (argv[i + 3], "write"))
        return mode_probe (argv[i + 1], argv[i + 2], TRUE);
      ARGS (2);
      return mode_probe (argv[i + 1], argv[i + 2], FALSE);
    }
  if (g_str_equal (argv[i], "hold"))
    {
      ARGS (1);
      return mode_hold (argv[i + 1]);
    }
  if (g_str_equal (argv[i], "race"))
    {
      ARGS (1);
      return mode_race (argv[i + 1]);
    }
  if (g_str_equal (argv[i], "writer"))
    {
      ARGS (2);
      return mode_writer (argv[i + 1], (guint) g_ascii_strtoull (argv[i + 2], NULL, 10));
    }
#undef ARGS

  unexpected (argv[i]);
}
