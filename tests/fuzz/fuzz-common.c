/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-fuzz"

#include "config.h"

#include "fuzz-common.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static gboolean verbose;
static char *tmp_dir;

static GLogWriterOutput
quiet_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  /* The default writer prints these and, as they are in the always-fatal
   * mask, aborts. */
  if (verbose || (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0)
    return g_log_writer_default (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

void
kdx_fuzz_init_logging (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;

  verbose = g_strcmp0 (g_getenv ("KDX_FUZZ_VERBOSE"), "1") == 0;

  /* Replaces what G_DEBUG=fatal-warnings set when GLib started: warnings
   * are expected here, criticals are bugs. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (quiet_writer, NULL, NULL);
}

gboolean
kdx_fuzz_is_verbose (void)
{
  return verbose;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_unlink (file);
    }
  g_rmdir (path);
}

static void
remove_tmp_dir (void)
{
  if (tmp_dir == NULL)
    return;
  remove_dir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

/* A target that crashed, or that libFuzzer ended with _Exit(), left its
 * folder behind: the folders of processes that are gone are removed. */
static void
remove_stale_tmp_dirs (void)
{
  const char *tmp = g_get_tmp_dir ();
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      gint64 pid;
      char *end;

      if (!g_str_has_prefix (name, "kodex-fuzz-"))
        continue;
      pid = g_ascii_strtoll (name + strlen ("kodex-fuzz-"), &end, 10);
      if (end == name + strlen ("kodex-fuzz-") || *end != '-' || pid <= 0 || pid > G_MAXINT32)
        continue;
      if (kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;

      path = g_build_filename (tmp, name, NULL);
      remove_dir (path);
    }
}

const char *
kdx_fuzz_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;

  if (tmp_dir != NULL)
    return tmp_dir;

  remove_stale_tmp_dirs ();

  template = g_strdup_printf ("kodex-fuzz-%d-XXXXXX", (int) getpid ());
  tmp_dir = g_dir_make_tmp (template, &error);
  if (tmp_dir == NULL)
    kdx_fuzz_fail ("Cannot make a temporary folder: %s", error->message);
  atexit (remove_tmp_dir);

  return tmp_dir;
}

void
kdx_fuzz_remove_workspace (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

void
kdx_fuzz_write_file (const char *path,
                     const void *data,
                     size_t      size)
{
  const guint8 *p = data;
  int fd;

  g_unlink (path);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    kdx_fuzz_fail ("Cannot create %s: %s", path, g_strerror (errno));

  while (size > 0)
    {
      ssize_t n = write (fd, p, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        kdx_fuzz_fail ("Cannot write %s: %s", path, g_strerror (errno));
      p += n;
      size -= (size_t) n;
    }
  close (fd);
}

gboolean
kdx_fuzz_file_equals (const char *path,
                      const void *data,
                      size_t      size)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return length == size && (size == 0 || memcmp (contents, data, size) == 0);
}

void
kdx_fuzz_fail (const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  fputs ("kodex-fuzz: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  fflush (stderr);

  abort ();
}
