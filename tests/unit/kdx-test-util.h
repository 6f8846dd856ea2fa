/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the unit tests share: a private folder per test, raw looks at files
 * (bytes, mode, checksum) and raw SQLite on a closed workspace, the way an
 * attacker or a careless admin with the sqlite3 shell would touch it.
 */
#pragma once

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline char *
kdx_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("kdx-test-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);

  return dir;
}

static inline void
kdx_test_rm_rf (const char *path)
{
  GDir *dir;
  const char *name;

  if (path == NULL)
    return;

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            {
              g_chmod (child, 0700);
              kdx_test_rm_rf (child);
            }
          else
            g_unlink (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static inline int
kdx_test_compare_strings (gconstpointer a,
                          gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined by newlines: to see that nothing was
 * left behind. */
static inline char *
kdx_test_list_dir (const char *path)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, kdx_test_compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv ("\n", (char **) names->pdata);
}

/* SHA-256 of the file's bytes; NULL when it does not exist. */
static inline char *
kdx_test_checksum_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static inline guint
kdx_test_file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);

  return st.st_mode & 07777;
}

static inline void
kdx_test_write_file (const char *path,
                     const char *data,
                     gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

/* Reads @n bytes at @offset of @path without SQLite. */
static inline void
kdx_test_read_bytes (const char *path,
                     goffset     offset,
                     guint8     *buf,
                     gsize       n)
{
  int fd = g_open (path, O_RDONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, buf, n, offset), ==, (gssize) n);
  close (fd);
}

/* A plain connection, as the sqlite3 shell would open it: none of the
 * app's settings. */
static inline sqlite3 *
kdx_test_raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);

  return db;
}

static inline void
kdx_test_db_exec (sqlite3    *db,
                  const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("“%s” failed: %s", sql, msg);
}

static inline gint64
kdx_test_db_int (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("“%s” failed: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static inline char *
kdx_test_db_text (sqlite3    *db,
                  const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("“%s” failed: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/* Runs @sql on the closed workspace at @path with a plain connection. */
static inline void
kdx_test_raw_exec (const char *path,
                   const char *sql)
{
  sqlite3 *db = kdx_test_raw_open (path);

  kdx_test_db_exec (db, sql);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static inline gint64
kdx_test_raw_int (const char *path,
                  const char *sql)
{
  sqlite3 *db = kdx_test_raw_open (path);
  gint64 value = kdx_test_db_int (db, sql);

  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  return value;
}

static inline gint64
kdx_test_journal_length (KdxStore *store)
{
  gint64 count = -1;

  g_assert_true (kdx_journal_get_head (store, &count, NULL));

  return count;
}

static inline char *
kdx_test_journal_head (KdxStore *store)
{
  gint64 count = -1;
  g_autofree char *hash = NULL;

  g_assert_true (kdx_journal_get_head (store, &count, &hash));

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%s", count, hash);
}

static inline KdxStore *
kdx_test_create (const char *path)
{
  g_autoptr(GError) error = NULL;
  KdxStore *store = kdx_store_create (path, "Testfirma GmbH", "de", &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

static inline KdxStore *
kdx_test_open (const char        *path,
               KdxStoreOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  KdxStore *store = kdx_store_open (path, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

/* Closes and drops the last reference: the store must not leak. */
static inline void
kdx_test_close (KdxStore **store)
{
  if (*store == NULL)
    return;
  kdx_store_close (*store);
  g_assert_finalize_object (g_steal_pointer (store));
}

static inline KdxPerson *
kdx_test_add_person (KdxStore   *store,
                     const char *name,
                     const char *email,
                     const char *department,
                     const char *role)
{
  g_autoptr(GError) error = NULL;
  KdxPerson *person = kdx_person_new ();

  kdx_person_set_name (person, name);
  kdx_person_set_email (person, email);
  kdx_person_set_department (person, department);
  kdx_person_set_role (person, role);
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);

  return person;
}

static inline KdxJournalEntry *
kdx_test_last_entry (KdxStore *store)
{
  KdxJournalEntry *entry = kdx_journal_load (store, kdx_test_journal_length (store));

  g_assert_nonnull (entry);

  return entry;
}

static inline void
kdx_test_assert_setting (KdxStore   *store,
                         const char *key,
                         const char *expected)
{
  g_autofree char *value = kdx_store_dup_setting (store, key);

  g_assert_cmpstr (value, ==, expected);
}

static inline void
kdx_test_assert_checksum (const char *path,
                          const char *expected)
{
  g_autofree char *sum = kdx_test_checksum_file (path);

  g_assert_cmpstr (sum, ==, expected);
}

static inline void
kdx_test_assert_listing (const char *dir,
                         const char *expected)
{
  g_autofree char *listing = kdx_test_list_dir (dir);

  g_assert_cmpstr (listing, ==, expected);
}

static inline void
kdx_test_assert_head (KdxStore   *store,
                      const char *expected)
{
  g_autofree char *head = kdx_test_journal_head (store);

  g_assert_cmpstr (head, ==, expected);
}

/* A copy of a closed workspace, as a file manager would make it: for tests
 * that start from the same contents, without building them again. */
static inline void
kdx_test_copy_file (const char *src,
                    const char *dest)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  int fd;

  g_file_get_contents (src, &contents, &length, &error);
  g_assert_no_error (error);
  fd = g_open (dest, O_WRONLY | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, contents, length), ==, (gssize) length);
  close (fd);
}

/* Builds a workspace once per test program with @build and hands out
 * copies of it. The folder is removed by kdx_test_templates_clear(). */
typedef void (*KdxTestBuildFunc) (const char *path);

static GHashTable *kdx_test_templates;  /* build func → path */
static char *kdx_test_templates_dir;

static inline void
kdx_test_from_template (KdxTestBuildFunc  build,
                        const char       *dest)
{
  const char *path;

  if (kdx_test_templates == NULL)
    {
      kdx_test_templates = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      kdx_test_templates_dir = kdx_test_make_dir ();
    }

  path = g_hash_table_lookup (kdx_test_templates, (gpointer) build);
  if (path == NULL)
    {
      char *new_path = g_strdup_printf ("%s/template-%u.kodex", kdx_test_templates_dir,
                                        g_hash_table_size (kdx_test_templates));

      build (new_path);
      g_hash_table_insert (kdx_test_templates, (gpointer) build, new_path);
      path = new_path;
    }

  kdx_test_copy_file (path, dest);
}

static inline void
kdx_test_templates_clear (void)
{
  g_clear_pointer (&kdx_test_templates, g_hash_table_unref);
  kdx_test_rm_rf (kdx_test_templates_dir);
  g_clear_pointer (&kdx_test_templates_dir, g_free);
}
