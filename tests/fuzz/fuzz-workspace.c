/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: opening a workspace file. The bytes are written to a
 * file and opened with kdx_store_open(), the path every caller takes (the
 * window, kodex-cli, a double click on a file from an e-mail).
 *
 * 1. Read-only, as `kodex-cli info` and `verify` open it, followed by the
 *    reads a window makes at once: counts, the journal chain, the first
 *    rows of the people and journal lists, a search, the integrity check.
 *    The file must be byte for byte unchanged afterwards.
 * 2. For writing, on a fresh copy, as the window opens it: this runs the
 *    lock take-over and the migrations of older files on hostile data,
 *    and then the same reads. A file of a newer schema must open
 *    read-only and stay unchanged.
 *
 * Whenever kdx_store_open() refuses a file it must say why (a GError).
 */
#define G_LOG_DOMAIN "kdx-fuzz-workspace"

#include "config.h"

#include "fuzz-common.h"

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store.h"

#include <string.h>

static char *path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kdx_fuzz_init_logging ();
  path = g_build_filename (kdx_fuzz_tmp_dir (), "fuzz.kodex", NULL);

  return 0;
}

static void
read_first_item (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) last = NULL;

  if (n == 0)
    return;

  first = g_list_model_get_item (model, 0);
  last = g_list_model_get_item (model, n - 1);

  /* What the person page and the journal page show of a row. */
  if (first != NULL && KDX_IS_PERSON (first))
    g_free (kdx_person_to_json (KDX_PERSON (first)));
  if (first != NULL && KDX_IS_JOURNAL_ENTRY (first))
    g_free (kdx_journal_entry_dup_local_time (KDX_JOURNAL_ENTRY (first)));
}

/* What a window or `kodex-cli info` and `verify` read right after opening. */
static void
exercise_reads (KdxStore *store)
{
  g_autoptr(GListModel) people = NULL;
  g_autoptr(GListModel) journal = NULL;
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *head = NULL;
  g_auto(GStrv) entities = NULL;
  gint64 first_bad = 0, n_checked = 0, count = 0;

  name = kdx_store_dup_display_name (store);
  holder = kdx_store_dup_lock_holder (store);
  kdx_person_count (store);
  kdx_journal_get_head (store, &count, &head);

  kdx_journal_verify (store, 0, NULL, &first_bad, &n_checked, NULL, &error);
  g_clear_error (&error);

  people = kdx_person_model_new (store);
  read_first_item (people);
  kdx_person_model_set_filter (people, "anna b", TRUE, FALSE, KDX_PERSON_SORT_MANAGER, TRUE);
  read_first_item (people);

  journal = kdx_journal_model_new (store);
  read_first_item (journal);
  entities = kdx_journal_dup_entities (store);

  kdx_store_check (store, report, &error);
}

static gboolean
header_says_newer (const uint8_t *data,
                   size_t         size)
{
  guint32 version;

  /* user_version: big-endian at byte 60 of the header. */
  if (size < 100)
    return FALSE;
  version = ((guint32) data[60] << 24) | ((guint32) data[61] << 16) |
            ((guint32) data[62] << 8) | data[63];

  return (gint32) version > KDX_SCHEMA_VERSION;
}

static void
open_read_only (const uint8_t *data,
                size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;

  kdx_fuzz_remove_workspace (path);
  kdx_fuzz_write_file (path, data, size);

  store = kdx_store_open (path, KDX_STORE_OPEN_READ_ONLY, &error);
  if (kdx_fuzz_is_verbose ())
    g_printerr ("kodex-fuzz: read-only: %s\n", store ? "opened" : error ? error->message : "?");
  if (store == NULL)
    {
      if (error == NULL)
        kdx_fuzz_fail ("A workspace was refused without saying why");
    }
  else
    {
      if (error != NULL)
        kdx_fuzz_fail ("A workspace opened but an error was set: %s", error->message);
      if (!kdx_store_is_read_only (store))
        kdx_fuzz_fail ("A workspace opened read-only on request is writable");
      exercise_reads (store);
      kdx_store_close (store);
    }

  if (!kdx_fuzz_file_equals (path, data, size))
    kdx_fuzz_fail ("Opening a workspace read-only changed the file");
}

static void
open_for_writing (const uint8_t *data,
                  size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;

  kdx_fuzz_remove_workspace (path);
  kdx_fuzz_write_file (path, data, size);

  store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, &error);
  if (kdx_fuzz_is_verbose ())
    g_printerr ("kodex-fuzz: for writing: %s (read-only reason %d)\n",
                store ? "opened" : error ? error->message : "?",
                store ? (int) kdx_store_get_read_only_reason (store) : -1);
  if (store == NULL)
    {
      if (error == NULL)
        kdx_fuzz_fail ("A workspace was refused without saying why");
      return;
    }
  if (error != NULL)
    kdx_fuzz_fail ("A workspace opened but an error was set: %s", error->message);

  if (header_says_newer (data, size))
    {
      if (kdx_store_get_read_only_reason (store) != KDX_STORE_READ_ONLY_NEWER)
        kdx_fuzz_fail ("A workspace of a newer schema opened for writing");
      kdx_store_close (store);
      if (!kdx_fuzz_file_equals (path, data, size))
        kdx_fuzz_fail ("Opening a workspace of a newer schema changed the file");
      return;
    }

  /* A file of an older schema can only be read once it has been
   * upgraded: the reads run here as well. */
  exercise_reads (store);
  kdx_store_close (store);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  open_read_only (data, size);
  open_for_writing (data, size);

  /* Migrations leave a copy of the old file beside it. */
  for (int version = 0; version <= KDX_SCHEMA_VERSION; version++)
    {
      g_autofree char *backup = g_strdup_printf ("%s.v%d.bak", path, version);
      kdx_fuzz_remove_workspace (backup);
    }
  kdx_fuzz_remove_workspace (path);

  return 0;
}
