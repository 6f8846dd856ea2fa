/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Permissions (SAFETY.md "Personal data"): every file Kodex writes — the
 * workspace, its -wal, -shm and -journal, backups, the backup made before
 * a migration (.v1.bak), XML exports — is 0600 even under umask 022, from
 * the library and from kodex-cli. After each step every file in the
 * folder is looked at, so that a file nobody thought of is caught too.
 */
#include "config.h"

#include "kdx-exchange.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "safety-common.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Every regular file in @dir is 0600; returns how many there are. */
static guint
assert_all_private (const char *dir,
                    const char *after)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      struct stat st;

      g_assert_cmpint (lstat (path, &st), ==, 0);
      if (!S_ISREG (st.st_mode))
        continue;
      if ((st.st_mode & 0777) != 0600)
        g_error ("After %s, %s has mode %04o instead of 0600", after, name, st.st_mode & 0777);
      n++;
    }
  g_dir_close (d);

  return n;
}

static void
assert_exists (const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_error ("%s was expected to exist", path);
}

static void
test_permissions_library (void)
{
  g_autofree char *dir = safety_make_dir ("perm-lib");
  g_autofree char *path = g_build_filename (dir, "w.kodex", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *backup = g_build_filename (dir, "backup.kodex", NULL);
  g_autofree char *xml = g_build_filename (dir, "export.xml", NULL);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* The workspace, with its -wal and -shm while it is open. */
  store = kdx_store_create (path, "Rechte GmbH", "de", &error);
  g_assert_no_error (error);
  safety_insert_people (store, 50, "perm");
  assert_exists (wal);
  assert_exists (shm);
  assert_all_private (dir, "creating a workspace");

  kdx_store_backup (store, backup, NULL, &error);
  g_assert_no_error (error);
  assert_exists (backup);
  assert_all_private (dir, "a backup");

  kdx_exchange_export_xml (store, xml, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_exists (xml);
  assert_all_private (dir, "an XML export");

  /* Over an existing file of the wrong mode: the new file is 0600. */
  g_assert_cmpint (g_chmod (backup, 0644), ==, 0);
  g_assert_cmpint (g_chmod (xml, 0644), ==, 0);
  kdx_store_backup (store, backup, NULL, &error);
  g_assert_no_error (error);
  kdx_exchange_export_xml (store, xml, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_all_private (dir, "a backup and an export over files of mode 0644");

  kdx_store_close (store);
  g_clear_object (&store);
  assert_all_private (dir, "closing");

  /* A read-only opener creates -wal and -shm of its own. */
  store = kdx_store_open (path, KDX_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kdx_person_count (store), ==, 50);
  assert_all_private (dir, "a read-only open");
  kdx_store_close (store);
  g_clear_object (&store);

  /* On a network file system: a rollback journal. */
  _kdx_store_set_fs_type_override ("nfs");
  {
    g_autofree char *nfs = g_build_filename (dir, "nfs.kodex", NULL);
    g_autofree char *journal = g_strconcat (nfs, "-journal", NULL);
    g_autoptr(KdxPerson) person = kdx_person_new ();

    store = kdx_store_create (nfs, "Netz GmbH", "de", &error);
    g_assert_no_error (error);
    g_assert_false (kdx_store_uses_wal (store));
    g_assert_true (kdx_store_begin (store, &error));
    g_assert_no_error (error);
    kdx_person_set_name (person, "Im Netz");
    g_assert_true (kdx_person_insert (store, person, &error));
    g_assert_no_error (error);
    assert_exists (journal);
    assert_all_private (dir, "a transaction with a rollback journal");
    g_assert_true (kdx_store_commit (store, &error));
    g_assert_no_error (error);
    kdx_store_close (store);
    g_clear_object (&store);
  }
  _kdx_store_set_fs_type_override (NULL);
  assert_all_private (dir, "closing");

  /* The control: under this umask a file made without care is 0644, so
   * the checks above could have failed. */
  {
    g_autofree char *careless = g_build_filename (dir, "careless.txt", NULL);
    struct stat st;

    g_file_set_contents (careless, "x", -1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_stat (careless, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  }

  safety_rm_rf (dir);
}

static void
test_permissions_migration (void)
{
  g_autofree char *dir = safety_make_dir ("perm-migration");
  g_autofree char *path = safety_make_v1_workspace (dir, "old.kodex", 100);
  g_autofree char *bak = g_strconcat (path, ".v1.bak", NULL);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;

  assert_all_private (dir, "creating an old workspace");
  store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kdx_store_count (store, "PRAGMA user_version"), ==, KDX_SCHEMA_VERSION);
  assert_exists (bak);
  assert_all_private (dir, "a migration");
  kdx_store_close (store);
  safety_rm_rf (dir);
}

static void
cli (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(SafetyChild) child = NULL;
  const char *program = g_getenv ("KODEX_CLI");
  int status;
  va_list ap;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (gpointer) program);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  child = safety_child_spawn ((const char * const *) argv->pdata, FALSE, NULL);
  status = safety_child_wait (child);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("kodex-cli %s failed: %s", first, child->err->str);
}

static void
test_permissions_cli (void)
{
  g_autofree char *dir = safety_make_dir ("perm-cli");
  g_autofree char *path = g_build_filename (dir, "cli.kodex", NULL);
  g_autofree char *demo = g_build_filename (dir, "demo.kodex", NULL);
  g_autofree char *backup = g_build_filename (dir, "cli-backup.kodex", NULL);
  g_autofree char *xml = g_build_filename (dir, "cli.xml", NULL);
  g_autofree char *imported = g_build_filename (dir, "imported.kodex", NULL);

  cli ("new", path, "--organisation", "Kommandozeile GmbH", NULL);
  assert_all_private (dir, "kodex-cli new");
  cli ("person", "add", path, "--name", "Erika Mustermann", NULL);
  assert_all_private (dir, "kodex-cli person add");
  cli ("demo", demo, NULL);
  assert_all_private (dir, "kodex-cli demo");
  cli ("backup", demo, backup, NULL);
  assert_exists (backup);
  assert_all_private (dir, "kodex-cli backup");
  cli ("export", demo, "--format", "xml", "-o", xml, NULL);
  assert_exists (xml);
  assert_all_private (dir, "kodex-cli export");
  cli ("import", imported, "--format", "xml", xml, NULL);
  assert_exists (imported);
  assert_all_private (dir, "kodex-cli import");
  cli ("info", imported, NULL);
  cli ("verify", imported, NULL);
  assert_all_private (dir, "kodex-cli info and verify");
  safety_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* The usual umask: files would be 0644 unless Kodex makes them 0600. */
  umask (022);

  g_test_add_func ("/kdx/safety/permissions/library", test_permissions_library);
  g_test_add_func ("/kdx/safety/permissions/migration", test_permissions_migration);
  g_test_add_func ("/kdx/safety/permissions/cli", test_permissions_cli);

  return g_test_run ();
}
