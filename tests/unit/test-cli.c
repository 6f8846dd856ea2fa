/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kodex-cli as a script sees it: exit status 0 success, 1 failure with one
 * line on stderr, 2 usage error; JSON that parses; files that round-trip.
 */
#define G_LOG_DOMAIN "kdx-test-cli"

#include "config.h"

#include "kdx-test-util.h"

#include <json-glib/json-glib.h>
#include <sys/wait.h>

typedef struct
{
  char *dir;
  char *path;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static const char *
cli_path (void)
{
  return g_getenv ("KODEX_CLI");
}

static gboolean
have_cli (void)
{
  if (cli_path () == NULL || !g_file_test (cli_path (), G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("KODEX_CLI is not set to kodex-cli");
      return FALSE;
    }
  return TRUE;
}

static Run *
run_argv (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = NULL;
  Run *run = g_new0 (Run, 1);
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Debug messages would be extra lines on stderr. */
  envp = g_environ_unsetenv (g_get_environ (), "G_MESSAGES_DEBUG");
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  /* A crash or an abort is never an answer. */
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);

  return run;
}

#define run(...) run_argv ((const char * const []) { __VA_ARGS__, NULL })

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    if (*p == '\n')
      n++;

  return n;
}

/* A failure: status 1 and exactly one line on stderr. */
static void
assert_failed (Run *r)
{
  if (r->status != 1 || count_lines (r->err) != 1)
    g_test_message ("status %d, stderr: %s", r->status, r->err);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_cmpuint (count_lines (r->err), ==, 1);
  g_assert_true (g_str_has_prefix (r->err, "kodex-cli: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
}

static void
assert_ok (Run *r)
{
  if (r->status != 0)
    g_test_message ("status %d, stderr: %s", r->status, r->err);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->err, ==, "");
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

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

/* The demo workspace, made once by kodex-cli itself and copied. */
static void
build_demo (const char *path)
{
  g_autoptr(Run) r = run ("demo", path);

  assert_ok (r);
}

static void
make_demo (Fixture *f)
{
  kdx_test_from_template (build_demo, f->path);
}

/* ------------------------------------------------------------------ */
/* Help and usage                                                     */

typedef struct
{
  const char *name;
  const char *args[4];
  const char *expect;   /* in stdout */
} HelpCase;

static const HelpCase help_cases[] = {
  { "top", { "--help" }, "Commands:" },
  { "top-h", { "-h" }, "Commands:" },
  { "version", { "--version" }, "kodex-cli " PACKAGE_VERSION },
  { "new", { "new", "--help" }, "new FILE" },
  { "demo", { "demo", "--help" }, "demo FILE" },
  { "policy", { "policy", "--help" }, "import" },
  { "policy-show", { "policy", "show", "--help" }, "--version" },
  { "info", { "info", "--help" }, "info FILE" },
  { "verify", { "verify", "--help" }, "verify FILE" },
  { "export", { "export", "--help" }, "export FILE" },
  { "import", { "import", "--help" }, "import FILE IN" },
  { "backup", { "backup", "--help" }, "backup FILE OUT" },
  { "person", { "person", "--help" }, "Commands:" },
  { "person-list", { "person", "list", "--help" }, "person list FILE" },
  { "person-add", { "person", "add", "--help" }, "person add FILE" },
  { "person-show", { "person", "show", "--help" }, "person show FILE WHO" },
};

static void
test_help (gconstpointer data)
{
  const HelpCase *c = data;
  g_autoptr(Run) r = NULL;

  if (!have_cli ())
    return;

  r = run_argv (c->args);
  assert_ok (r);
  g_assert_nonnull (strstr (r->out, c->expect));
}

typedef struct
{
  const char *name;
  const char *args[8];   /* "@" is replaced by a workspace path */
  const char *in_stderr;
} UsageCase;

static const UsageCase usage_cases[] = {
  { "no-arguments", { NULL }, "Usage:" },
  { "unknown-command", { "frobnicate", "@" }, "frobnicate" },
  { "person-alone", { "person" }, "Usage:" },
  { "person-unknown", { "person", "frobnicate", "@" }, "frobnicate" },
  { "new-without-file", { "new" }, "wrong number of arguments" },
  { "new-two-files", { "new", "@", "@" }, "wrong number of arguments" },
  { "new-bad-language", { "new", "@", "--language", "fr" }, "--language" },
  { "demo-bad-size", { "demo", "@", "--size", "huge" }, "--size" },
  { "info-unknown-option", { "info", "--bogus", "@" }, "--bogus" },
  { "export-no-format", { "export", "@", "-o", "out.xml" }, "--format" },
  { "export-bad-format", { "export", "@", "--format", "pdf", "-o", "out.pdf" }, "--format" },
  { "export-no-output", { "export", "@", "--format", "xml" }, "-o" },
  { "import-one-file", { "import", "@", "--format", "xml" }, "wrong number of arguments" },
  { "verify-bad-head", { "verify", "@", "--head", "zwölf" }, "--head" },
  { "person-add-no-name", { "person", "add", "@" }, "--name" },
  { "person-show-no-who", { "person", "show", "@" }, "wrong number of arguments" },
  { "policy-alone", { "policy" }, "Usage:" },
  { "policy-list-bad-status", { "policy", "list", "@", "--status", "valid" }, "--status" },
  { "policy-show-no-key", { "policy", "show", "@" }, "wrong number of arguments" },
  { "policy-show-bad-format", { "policy", "show", "@", "POL-001", "--format", "pdf" }, "--format" },
  { "policy-import-no-path", { "policy", "import", "@" }, "wrong number of arguments" },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *c = data;
  Fixture f = { 0 };
  const char *args[9] = { NULL };
  g_autoptr(Run) r = NULL;

  if (!have_cli ())
    return;

  fixture_set_up (&f, NULL);
  for (guint i = 0; c->args[i] != NULL; i++)
    args[i] = g_str_equal (c->args[i], "@") ? f.path : c->args[i];

  r = run_argv (args);
  if (r->status != 2)
    g_test_message ("status %d, stderr: %s", r->status, r->err);
  g_assert_cmpint (r->status, ==, 2);
  g_assert_nonnull (strstr (r->err, c->in_stderr));
  g_assert_cmpstr (r->out, ==, "");
  /* A usage error creates nothing. */
  g_assert_false (g_file_test (f.path, G_FILE_TEST_EXISTS));

  fixture_tear_down (&f, NULL);
}

/* ------------------------------------------------------------------ */
/* Commands                                                           */

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
}

static void
test_policy (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *folder = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonArray *array;

  if (!have_cli ())
    return;

  make_demo (f);

  /* The demo's policies, as JSON and filtered by status. */
  {
    g_autoptr(Run) r = run ("policy", "list", f->path, "--json");
    assert_ok (r);
    list = parse_json (r->out);
    array = json_node_get_array (list);
    g_assert_cmpuint (json_array_get_length (array), >=, 11);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "key"),
                     ==, "COC-001");
  }
  {
    g_autoptr(Run) r = run ("policy", "list", f->path, "--status", "published");
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), >=, 1);
    g_assert_null (strstr (r->out, "\tdraft\t"));
  }

  /* The text: the published version by default, any version on request, HTML without raw HTML. */
  {
    g_autoptr(Run) r = run ("policy", "show", f->path, "coc-001");
    assert_ok (r);
    g_assert_true (g_str_has_prefix (r->out, "# "));
  }
  {
    g_autoptr(Run) r = run ("policy", "show", f->path, "COC-001", "--version", "1.1", "--format", "html");
    assert_ok (r);
    g_assert_true (g_str_has_prefix (r->out, "<!DOCTYPE html>"));
    g_assert_nonnull (strstr (r->out, "<h1>"));
  }
  {
    g_autoptr(Run) r = run ("policy", "show", f->path, "POL-999");
    assert_failed (r);
  }
  {
    g_autoptr(Run) r = run ("policy", "show", f->path, "COC-001", "--version", "9");
    assert_failed (r);
  }

  /* Import: a folder of drafts, all or none. */
  folder = g_build_filename (f->dir, "entwuerfe", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  a = g_build_filename (folder, "a.md", NULL);
  b = g_build_filename (folder, "b.md", NULL);
  bad = g_build_filename (folder, "c.md", NULL);
  write_text (a, "---\ntitle: Generative KI in Angeboten\nkind: guideline\narea: transparency\n"
                 "---\n# Generative KI in Angeboten\n\n<script>alert(1)</script> Text.\n");
  write_text (b, "---\nkey: POL-050\ntitle: Preisgestaltung\nkind: policy\narea: fairness\n---\n"
                 "# Preisgestaltung\n");
  write_text (bad, "---\ntitle: Kaputt\nkind: regel\n---\nText\n");
  {
    g_autoptr(Run) r = run ("policy", "import", f->path, folder);
    assert_failed (r);
    g_assert_nonnull (strstr (r->err, "c.md"));
  }
  {
    g_autoptr(Run) r = run ("policy", "show", f->path, "POL-050");
    assert_failed (r);
  }
  g_assert_cmpint (g_unlink (bad), ==, 0);
  {
    g_autoptr(Run) r = run ("policy", "import", f->path, folder);
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 2);
  }
  {
    g_autoptr(Run) r = run ("policy", "show", f->path, "POL-050");
    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "# Preisgestaltung\n");
  }
  {
    g_autoptr(Run) r = run ("policy", "list", f->path, "--status", "draft", "--json");
    g_autoptr(JsonNode) drafts = NULL;
    gboolean found = FALSE;

    assert_ok (r);
    drafts = parse_json (r->out);
    for (guint i = 0; i < json_array_get_length (json_node_get_array (drafts)); i++)
      {
        JsonObject *o = json_array_get_object_element (json_node_get_array (drafts), i);
        found |= g_strcmp0 (json_object_get_string_member (o, "title"), "Generative KI in Angeboten") == 0;
      }
    g_assert_true (found);
  }
  {
    /* Raw HTML in a policy is escaped in the HTML output. */
    g_autoptr(Run) r = run ("policy", "list", f->path, "--json");
    g_autoptr(JsonNode) all = NULL;
    const char *key = NULL;

    assert_ok (r);
    all = parse_json (r->out);
    for (guint i = 0; i < json_array_get_length (json_node_get_array (all)); i++)
      {
        JsonObject *o = json_array_get_object_element (json_node_get_array (all), i);
        if (g_strcmp0 (json_object_get_string_member (o, "title"), "Generative KI in Angeboten") == 0)
          key = json_object_get_string_member (o, "key");
      }
    g_assert_nonnull (key);
    {
      g_autoptr(Run) html = run ("policy", "show", f->path, key, "--format", "html");
      assert_ok (html);
      g_assert_null (strstr (html->out, "<script>"));
    }
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
  }
}

static void
test_new (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(Run) first = NULL;
  g_autoptr(Run) second = NULL;
  g_autofree char *sum = NULL;

  if (!have_cli ())
    return;

  first = run ("new", f->path, "--organisation", "Brenner & Hoffmann", "--language", "en");
  assert_ok (first);
  g_assert_cmpstr (first->out, ==, "");
  g_assert_cmpuint (kdx_test_file_mode (f->path), ==, 0600);
  sum = kdx_test_checksum_file (f->path);

  second = run ("new", f->path);
  assert_failed (second);
  g_assert_nonnull (strstr (second->err, "Gremium.kodex"));
  kdx_test_assert_checksum (f->path, sum);
  kdx_test_assert_listing (f->dir, "Gremium.kodex");

  {
    g_autoptr(KdxStore) store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);

    kdx_test_assert_setting (store, "organisation", "Brenner & Hoffmann");
    kdx_test_assert_setting (store, "language", "en");
    g_assert_cmpint (kdx_person_count (store), ==, 0);
    kdx_test_close (&store);
  }
}

static JsonObject *
info_json (const char *path)
{
  g_autoptr(Run) r = run ("info", path, "--json");
  g_autoptr(JsonNode) root = NULL;

  assert_ok (r);
  root = parse_json (r->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static void
test_demo_info (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(Run) text = NULL;
  JsonObject *counts, *journal;

  if (!have_cli ())
    return;

  make_demo (f);
  g_assert_cmpuint (kdx_test_file_mode (f->path), ==, 0600);
  info = info_json (f->path);

  g_assert_cmpint (json_object_get_int_member (info, "schema_version"), ==, KDX_SCHEMA_VERSION);
  g_assert_cmpstr (json_object_get_string_member (info, "organisation"), ==,
                   "Brenner & Hoffmann Industriebedarf GmbH");
  g_assert_cmpstr (json_object_get_string_member (info, "language"), ==, "de");
  counts = json_object_get_object_member (info, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "people"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (counts, "trash"), ==, 0);
  journal = json_object_get_object_member (info, "journal");
  g_assert_cmpint (json_object_get_int_member (journal, "entries"), >, 40);
  g_assert_cmpuint (strlen (json_object_get_string_member (journal, "head")), ==, 64);
  /* Nobody holds the lock once kodex-cli has finished. */
  g_assert_true (json_object_get_null_member (info, "lock"));

  text = run ("info", f->path);
  assert_ok (text);
  g_assert_nonnull (strstr (text->out, "Brenner & Hoffmann Industriebedarf GmbH"));
}

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *tampered = g_build_filename (f->dir, "Manipuliert.kodex", NULL);
  g_autofree char *cut = g_build_filename (f->dir, "Gekuerzt.kodex", NULL);
  g_autofree char *head = NULL;
  g_autoptr(JsonObject) info = NULL;
  JsonObject *journal;

  if (!have_cli ())
    return;

  make_demo (f);
  info = info_json (f->path);
  journal = json_object_get_object_member (info, "journal");
  head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s",
                          json_object_get_int_member (journal, "entries"),
                          json_object_get_string_member (journal, "head"));

  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
    g_assert_true (g_str_has_prefix (r->out, "OK"));
  }
  {
    g_autoptr(Run) r = run ("verify", f->path, "--head", head);
    assert_ok (r);
  }

  /* One byte of one entry changed with the sqlite3 shell. */
  kdx_test_copy_file (f->path, tampered);
  kdx_test_raw_exec (tampered, "UPDATE journal SET summary = 'Katharina Brennen' "
                               "WHERE summary = 'Katharina Brenner'");
  {
    g_autoptr(Run) r = run ("verify", tampered);
    g_autofree char *id = NULL;
    g_autofree char *expected = NULL;

    assert_failed (r);
    id = g_strdup_printf ("%" G_GINT64_FORMAT,
                          kdx_test_raw_int (tampered, "SELECT id FROM journal "
                                                      "WHERE summary = 'Katharina Brennen'"));
    expected = g_strdup_printf ("entry %s ", id);
    g_assert_nonnull (strstr (r->err, expected));
  }

  /* The last entries cut off: only the printed head tells. */
  kdx_test_copy_file (f->path, cut);
  kdx_test_raw_exec (cut, "DELETE FROM journal WHERE id > (SELECT max(id) - 3 FROM journal)");
  {
    g_autoptr(Run) r = run ("verify", cut);
    assert_ok (r);
  }
  {
    g_autoptr(Run) r = run ("verify", cut, "--head", head);
    assert_failed (r);
  }
}

static void
test_person (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *anna_uuid = NULL;
  g_autoptr(JsonNode) anna = NULL;
  g_autoptr(JsonNode) bernd = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonObject *o;

  if (!have_cli ())
    return;

  {
    g_autoptr(Run) r = run ("new", f->path);
    assert_ok (r);
  }
  {
    g_autoptr(Run) r = run ("person", "add", f->path, "--email", "x@example.org");
    g_assert_cmpint (r->status, ==, 2);
  }
  {
    g_autoptr(Run) r = run ("person", "add", f->path, "--name", "Anna Alt",
                            "--email", "ANNA.Alt@Example.org", "--department", "Vertrieb",
                            "--role", "Leiterin", "--committee");
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 1);
    anna_uuid = g_strstrip (g_strdup (r->out));
    g_assert_true (g_uuid_string_is_valid (anna_uuid));
  }
  {
    g_autoptr(Run) r = run ("person", "show", f->path, "anna.alt@example.org", "--json");
    assert_ok (r);
    anna = parse_json (r->out);
    o = json_node_get_object (anna);
    g_assert_cmpstr (json_object_get_string_member (o, "uuid"), ==, anna_uuid);
    g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Anna Alt");
    g_assert_cmpstr (json_object_get_string_member (o, "email"), ==, "anna.alt@example.org");
    g_assert_cmpstr (json_object_get_string_member (o, "department"), ==, "Vertrieb");
    g_assert_cmpstr (json_object_get_string_member (o, "role"), ==, "Leiterin");
    g_assert_true (json_object_get_null_member (o, "manager"));
    g_assert_true (json_object_get_boolean_member (o, "committee"));
    g_assert_true (json_object_get_boolean_member (o, "active"));
  }
  {
    /* A manager and an actor, each by address. */
    g_autoptr(Run) r = run ("person", "add", f->path, "--name", "Bernd Brot",
                            "--manager", "anna.alt@example.org", "--as", "Anna.Alt@example.org");
    g_autoptr(Run) show = NULL;
    g_autofree char *uuid = NULL;

    assert_ok (r);
    uuid = g_strstrip (g_strdup (r->out));
    show = run ("person", "show", f->path, uuid, "--json");
    assert_ok (show);
    bernd = parse_json (show->out);
    o = json_node_get_object (bernd);
    g_assert_cmpstr (json_object_get_string_member (o, "manager"), ==, anna_uuid);
    g_assert_cmpstr (json_object_get_string_member (o, "manager_name"), ==, "Anna Alt");
    g_assert_false (json_object_get_boolean_member (o, "committee"));
  }
  {
    g_autoptr(KdxStore) store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
    g_autoptr(KdxJournalEntry) entry = kdx_test_last_entry (store);

    g_assert_cmpstr (kdx_journal_entry_get_actor (entry), ==, anna_uuid);
    g_assert_cmpstr (kdx_journal_entry_get_actor_name (entry), ==, "Anna Alt");
    kdx_test_close (&store);
  }
  {
    g_autoptr(Run) r = run ("person", "list", f->path, "--json");
    assert_ok (r);
    list = parse_json (r->out);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (list));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  }

  /* Refusals: one line each, nothing added. */
  {
    g_autoptr(Run) bad_email = run ("person", "add", f->path, "--name", "Carla", "--email", "kaputt");
    g_autoptr(Run) duplicate = run ("person", "add", f->path, "--name", "Carla",
                                    "--email", "anna.alt@EXAMPLE.org");
    g_autoptr(Run) no_manager = run ("person", "add", f->path, "--name", "Carla",
                                     "--manager", "nobody@example.org");
    g_autoptr(Run) no_person = run ("person", "show", f->path, "nobody@example.org");
    g_autoptr(Run) no_file = run ("person", "list", "/nonexistent/Gremium.kodex");

    assert_failed (bad_email);
    assert_failed (duplicate);
    assert_failed (no_manager);
    assert_failed (no_person);
    assert_failed (no_file);
  }

  /* While the app has the workspace open, kodex-cli says who has it. */
  {
    g_autoptr(KdxStore) store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
    g_autoptr(Run) r = run ("person", "add", f->path, "--name", "Carla Chor");
    g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());

    assert_failed (r);
    g_assert_nonnull (strstr (r->err, g_get_user_name ()));
    g_assert_nonnull (strstr (r->err, g_get_host_name ()));
    g_assert_nonnull (strstr (r->err, pid));
    g_assert_cmpint (kdx_person_count (store), ==, 2);
    kdx_test_close (&store);
  }
}

static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *xml = g_build_filename (f->dir, "Export.xml", NULL);
  g_autofree char *xml2 = g_build_filename (f->dir, "Export-2.xml", NULL);
  g_autofree char *copy = g_build_filename (f->dir, "Kopie.kodex", NULL);
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) info_copy = NULL;

  if (!have_cli ())
    return;

  make_demo (f);
  {
    g_autoptr(Run) r = run ("export", f->path, "--format", "xml", "-o", xml);
    assert_ok (r);
    g_assert_cmpuint (kdx_test_file_mode (xml), ==, 0600);
  }
  {
    g_autoptr(Run) r = run ("import", copy, xml, "--format", "xml");
    assert_ok (r);
    g_assert_cmpuint (kdx_test_file_mode (copy), ==, 0600);
  }

  info = info_json (f->path);
  info_copy = info_json (copy);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (info_copy, "counts"),
                                               "people"), ==, 40);
  g_assert_cmpstr (json_object_get_string_member (info_copy, "organisation"), ==,
                   json_object_get_string_member (info, "organisation"));

  /* Every person, with manager and flags, as kodex-cli lists them. */
  {
    g_autoptr(Run) a = run ("person", "list", f->path, "--json", "--all");
    g_autoptr(Run) b = run ("person", "list", copy, "--json", "--all");

    assert_ok (a);
    assert_ok (b);
    g_assert_cmpstr (a->out, ==, b->out);
  }
  {
    g_autoptr(Run) r = run ("export", copy, "--format", "xml", "-o", xml2);
    assert_ok (r);
  }
  {
    g_autoptr(Run) r = run ("verify", copy);
    assert_ok (r);
  }

  /* Into a workspace that has people: refused, nothing added. */
  {
    g_autoptr(Run) r = run ("import", copy, xml, "--format", "xml");
    g_autoptr(JsonObject) after = NULL;

    assert_failed (r);
    after = info_json (copy);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (after, "counts"),
                                                 "people"), ==, 40);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (after, "journal"),
                                                    "head"), ==,
                     json_object_get_string_member (json_object_get_object_member (info_copy, "journal"),
                                                    "head"));
  }
}

static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *bak = g_build_filename (f->dir, "Sicherung.kodex", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "fehlt", "Sicherung.kodex", NULL);
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) info_bak = NULL;

  if (!have_cli ())
    return;

  make_demo (f);
  {
    g_autoptr(Run) r = run ("backup", f->path, bak);
    assert_ok (r);
  }
  g_assert_cmpuint (kdx_test_file_mode (bak), ==, 0600);
  info = info_json (f->path);
  info_bak = info_json (bak);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (info_bak, "counts"),
                                               "people"), ==, 40);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (info_bak, "journal"),
                                                  "head"), ==,
                   json_object_get_string_member (json_object_get_object_member (info, "journal"),
                                                  "head"));
  g_assert_true (json_object_get_null_member (info_bak, "lock"));
  {
    g_autoptr(Run) r = run ("verify", bak);
    assert_ok (r);
  }
  {
    g_autoptr(Run) r = run ("backup", f->path, missing);
    assert_failed (r);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

/* ------------------------------------------------------------------ */
/* Hostile imports leave nothing behind                               */

typedef struct
{
  const char *name;
  const char *document;
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "external-entity",
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE kodex [<!ENTITY pw SYSTEM \"file:///etc/passwd\">]>\n"
    "<kodex xmlns=\"urn:kodex:exchange:1\" schema-version=\"2\"><settings/><people>"
    "<person uuid=\"11111111-1111-4111-8111-111111111111\" committee=\"false\" active=\"true\" "
    "created=\"2024-01-01T00:00:00Z\" modified=\"2024-01-01T00:00:00Z\"><name>&pw;</name>"
    "</person></people></kodex>\n" },
  { "billion-laughs",
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE kodex [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>\n"
    "<kodex xmlns=\"urn:kodex:exchange:1\" schema-version=\"2\"><settings/><people/>&d;</kodex>\n" },
  { "not-well-formed",
    "<?xml version=\"1.0\"?>\n"
    "<kodex xmlns=\"urn:kodex:exchange:1\" schema-version=\"2\"><settings/><people>\n"
    "<person uuid=\"11111111-1111-4111-8111-111111111111\" committee=\"false\" active=\"true\" "
    "created=\"2024-01-01T00:00:00Z\" modified=\"2024-01-01T00:00:00Z\"><name>Anna</nam>"
    "</person></people></kodex>\n" },
};

static void
test_import_hostile (gconstpointer data)
{
  const HostileCase *c = data;
  Fixture f = { 0 };
  g_autofree char *xml = NULL;
  g_autoptr(Run) r = NULL;

  if (!have_cli ())
    return;

  fixture_set_up (&f, NULL);
  xml = g_build_filename (f.dir, "Angriff.xml", NULL);
  kdx_test_write_file (xml, c->document, -1);

  r = run ("import", f.path, xml, "--format", "xml");
  assert_failed (r);
  g_assert_null (strstr (r->err, "root:"));
  /* No workspace, no -wal, -shm or -journal: only the input is left. */
  kdx_test_assert_listing (f.dir, "Angriff.xml");

  fixture_tear_down (&f, NULL);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (help_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/cli/help/%s", help_cases[i].name);
      g_test_add_data_func (path, &help_cases[i], test_help);
    }
  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/cli/usage/%s", usage_cases[i].name);
      g_test_add_data_func (path, &usage_cases[i], test_usage);
    }

#define ADD(path, func) \
  g_test_add ("/kdx/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("new", test_new);
  ADD ("demo-info", test_demo_info);
  ADD ("verify", test_verify);
  ADD ("person", test_person);
  ADD ("policy", test_policy);
  ADD ("export-import", test_export_import);
  ADD ("backup", test_backup);

#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/cli/import-hostile/%s",
                                               hostile_cases[i].name);
      g_test_add_data_func (path, &hostile_cases[i], test_import_hostile);
    }

  rc = g_test_run ();
  kdx_test_templates_clear ();

  return rc;
}
