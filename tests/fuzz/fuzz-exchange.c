/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the XML exchange reader (kdx_exchange_import_xml_memory)
 * importing into a real, empty workspace.
 *
 * Besides crashes and sanitizer reports it checks what SAFETY.md promises
 * for exchange files:
 * - the parser never loads anything: any call of libxml2's external
 *   entity loader (a file, a URL, a DTD, an XInclude) aborts;
 * - an import is all or nothing: after a refused file the workspace has
 *   no people and no policy rows (nor search rows), and its journal and
 *   settings are as before;
 * - a refusal always comes with a GError, a success never does.
 *
 * The empty workspace is made once; every input that is refused leaves it
 * as it was, and an input that is imported is followed by a fresh copy.
 */
#define G_LOG_DOMAIN "kdx-fuzz-exchange"

#include "config.h"

#include "fuzz-common.h"

#include "kdx-exchange.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

static char *template_path;
static char *work_path;
static GBytes *template_bytes;
static gint64 template_journal_count;
static char *template_journal_hash;
static char *template_settings;
static KdxStore *store;

static xmlParserInputPtr
forbidden_entity_loader (const char       *url,
                         const char       *id,
                         xmlParserCtxtPtr  ctxt)
{
  kdx_fuzz_fail ("the XML reader tried to load an external resource: url=%s id=%s",
                 url ? url : "(null)", id ? id : "(null)");
}

static void
silent_xml_error (void       *ctx,
                  const char *msg,
                  ...)
{
}

static char *
dup_settings (KdxStore *s)
{
  static const char *keys[] = { "organisation", "language", "quorum" };
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *value = kdx_store_dup_setting (s, keys[i]);

      g_string_append_printf (all, "%s=%s\n", keys[i], value ? value : "(unset)");
    }

  return g_string_free (all, FALSE);
}

/* A fresh copy of the empty workspace, open for writing. */
static void
reset_store (void)
{
  g_autoptr(GError) error = NULL;

  if (store != NULL)
    {
      kdx_store_close (store);
      g_clear_object (&store);
    }
  kdx_fuzz_remove_workspace (work_path);
  kdx_fuzz_write_file (work_path, g_bytes_get_data (template_bytes, NULL),
                       g_bytes_get_size (template_bytes));

  store = kdx_store_open (work_path, KDX_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    kdx_fuzz_fail ("Cannot open the empty workspace: %s", error->message);
  if (kdx_store_is_read_only (store))
    kdx_fuzz_fail ("The empty workspace opened read-only");
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) template = NULL;
  const char *dir;
  char *contents = NULL;
  gsize length = 0;

  kdx_fuzz_init_logging ();

  xmlInitParser ();
  xmlSetExternalEntityLoader (forbidden_entity_loader);
  xmlSetGenericErrorFunc (NULL, silent_xml_error);

  dir = kdx_fuzz_tmp_dir ();
  template_path = g_build_filename (dir, "empty.kodex", NULL);
  work_path = g_build_filename (dir, "import.kodex", NULL);

  template = kdx_store_create (template_path, "Fuzz GmbH", "en", &error);
  if (template == NULL)
    kdx_fuzz_fail ("Cannot create a workspace: %s", error->message);
  if (!kdx_journal_get_head (template, &template_journal_count, &template_journal_hash))
    kdx_fuzz_fail ("Cannot read the journal head of a new workspace");
  template_settings = dup_settings (template);
  kdx_store_close (template);

  if (!g_file_get_contents (template_path, &contents, &length, &error))
    kdx_fuzz_fail ("Cannot read the new workspace: %s", error->message);
  template_bytes = g_bytes_new_take (contents, length);

  reset_store ();

  return 0;
}

static void
check_unchanged (void)
{
  g_autofree char *hash = NULL;
  g_autofree char *settings = NULL;
  gint64 count = -1;
  gint64 people;
  gint64 policy_rows;
  gint64 training_rows;

  people = kdx_store_count (store, "SELECT count(*) FROM person");
  if (people != 0)
    kdx_fuzz_fail ("A refused import left %" G_GINT64_FORMAT " people behind", people);

  policy_rows = kdx_store_count (store, "SELECT (SELECT count(*) FROM policy) + "
                                 "(SELECT count(*) FROM policy_version) + "
                                 "(SELECT count(*) FROM policy_vote) + "
                                 "(SELECT count(*) FROM policy_ack) + "
                                 "(SELECT count(*) FROM policy_search)");
  if (policy_rows != 0)
    kdx_fuzz_fail ("A refused import left %" G_GINT64_FORMAT " policy rows behind", policy_rows);

  training_rows = kdx_store_count (store, "SELECT (SELECT count(*) FROM course) + "
                                   "(SELECT count(*) FROM course_policy) + "
                                   "(SELECT count(*) FROM assignment_rule) + "
                                   "(SELECT count(*) FROM assignment)");
  if (training_rows != 0)
    kdx_fuzz_fail ("A refused import left %" G_GINT64_FORMAT " training rows behind",
                   training_rows);

  if (!kdx_journal_get_head (store, &count, &hash) ||
      count != template_journal_count || g_strcmp0 (hash, template_journal_hash) != 0)
    kdx_fuzz_fail ("A refused import changed the journal (%" G_GINT64_FORMAT " entries, "
                   "expected %" G_GINT64_FORMAT ")", count, template_journal_count);

  settings = dup_settings (store);
  if (g_strcmp0 (settings, template_settings) != 0)
    kdx_fuzz_fail ("A refused import changed the settings:\n%s", settings);

  if (kdx_store_is_read_only (store))
    kdx_fuzz_fail ("A refused import left the workspace read-only");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (store == NULL)
    reset_store ();

  ok = kdx_exchange_import_xml_memory (store, (const char *) data, size, &error);
  if (kdx_fuzz_is_verbose ())
    g_printerr ("kodex-fuzz: %s\n", ok ? "imported" : error ? error->message : "(no error)");

  if (ok)
    {
      if (error != NULL)
        kdx_fuzz_fail ("An import succeeded but set an error: %s", error->message);
      /* The next input needs an empty workspace again. */
      reset_store ();
    }
  else
    {
      if (error == NULL)
        kdx_fuzz_fail ("An import failed without saying why");
      check_unchanged ();
    }

  return 0;
}
