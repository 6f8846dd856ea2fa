/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kodex-cli as a script sees it: exit status 0 success, 1 failure with one
 * line on stderr, 2 usage error; JSON that parses; files that round-trip.
 */
#define G_LOG_DOMAIN "kdx-test-cli"

#include "config.h"

#include "kdx-test-util.h"
#include "kdx-training.h"

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
  { "top-lists-systems", { "--help" }, "classify" },
  { "system", { "system", "--help" }, "use-cases" },
  { "system-list", { "system", "list", "--help" }, "--risk" },
  { "system-show", { "system", "show", "--help" }, "system show FILE SYSTEM" },
  { "system-use-cases", { "system", "use-cases", "--help" }, "--json" },
  { "system-add", { "system", "add", "--help" }, "--use-case" },
  { "system-notice", { "system", "notice", "--help" }, "--format" },
  { "classify", { "classify", "--help" }, "--answer" },
  { "catalog", { "catalog", "--help" }, "import" },
  { "catalog-import", { "catalog", "import", "--help" }, "catalog import FILE CATALOG" },
  { "catalog-list", { "catalog", "list", "--help" }, "--json" },
  { "coverage", { "coverage", "--help" }, "--catalog" },
  { "import-mentions-kind", { "import", "--help" }, "--kind" },
  { "import-csv", { "import", "--kind", "people", "--help" }, "--map" },
  { "course", { "course", "--help" }, "add" },
  { "course-list", { "course", "list", "--help" }, "course list FILE" },
  { "course-add", { "course", "add", "--help" }, "--rule" },
  { "training", { "training", "--help" }, "status" },
  { "training-status", { "training", "status", "--help" }, "--by" },
  { "person-export", { "person", "export", "--help" }, "person export FILE WHO" },
  { "person-erase", { "person", "erase", "--help" }, "--yes" },
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
  { "system-alone", { "system" }, "Usage:" },
  { "system-unknown", { "system", "frobnicate", "@" }, "frobnicate" },
  { "system-list-bad-risk", { "system", "list", "@", "--risk", "medium" }, "--risk" },
  { "system-list-bad-lifecycle", { "system", "list", "@", "--lifecycle", "beta" }, "--lifecycle" },
  { "system-list-bad-use-case", { "system", "list", "@", "--use-case", "horoscope" }, "horoscope" },
  { "system-show-no-system", { "system", "show", "@" }, "wrong number of arguments" },
  { "system-use-cases-file", { "system", "use-cases", "@" }, "wrong number of arguments" },
  { "system-add-no-name", { "system", "add", "@", "--vendor", "ACME" }, "--name" },
  { "system-add-blank-name", { "system", "add", "@", "--name", "  " }, "--name" },
  { "system-add-bad-use-case", { "system", "add", "@", "--name", "X", "--use-case", "magic" },
    "magic" },
  { "system-notice-bad-language", { "system", "notice", "@", "SYS-001", "--language", "fr" },
    "--language" },
  { "system-notice-bad-format", { "system", "notice", "@", "SYS-001", "--format", "pdf" },
    "--format" },
  { "classify-no-system", { "classify", "@" }, "wrong number of arguments" },
  { "classify-bad-answer", { "classify", "@", "SYS-001", "--answer", "h-credit" }, "--answer" },
  { "classify-bad-value", { "classify", "@", "SYS-001", "--answer", "h-credit=maybe" },
    "--answer" },
  { "classify-unknown-question", { "classify", "@", "SYS-001", "--answer", "h-telepathy=yes" },
    "h-telepathy" },
  { "catalog-alone", { "catalog" }, "Usage:" },
  { "catalog-import-no-file", { "catalog", "import", "@" }, "wrong number of arguments" },
  { "catalog-import-bad-format", { "catalog", "import", "@", "x.xml", "--format", "csv" },
    "--format" },
  { "coverage-no-catalog", { "coverage", "@" }, "--catalog" },
  { "coverage-bad-only", { "coverage", "@", "--catalog", "gdpr", "--only", "some" }, "--only" },
  { "import-csv-one-file", { "import", "@", "--kind", "people" }, "wrong number of arguments" },
  { "import-csv-bad-kind", { "import", "@", "x.csv", "--kind", "staff" }, "--kind" },
  { "import-csv-bad-kind-equals", { "import", "@", "x.csv", "--kind=staff" }, "--kind" },
  { "import-csv-course-of-people", { "import", "@", "x.csv", "--kind", "people", "--course",
                                     "CRS-001" }, "--course" },
  { "import-csv-bad-delimiter", { "import", "@", "x.csv", "--kind", "people", "--delimiter", "|" },
    "--delimiter" },
  { "import-csv-bad-encoding", { "import", "@", "x.csv", "--kind", "people", "--encoding",
                                 "latin-9" }, "--encoding" },
  { "import-csv-bad-map", { "import", "@", "x.csv", "--kind", "people", "--map", "Abteilung" },
    "--map" },
  { "import-csv-unknown-field", { "import", "@", "x.csv", "--kind", "people", "--map",
                                  "Abteilung=abteilung" }, "abteilung" },
  { "import-csv-field-of-other-kind", { "import", "@", "x.csv", "--kind", "people", "--map",
                                        "Note=score" }, "score" },
  { "import-csv-bad-date-order", { "import", "@", "x.csv", "--kind", "completions",
                                   "--date-order", "ymd" }, "--date-order" },
  { "import-csv-deactivate-completions", { "import", "@", "x.csv", "--kind", "completions",
                                           "--deactivate-missing" }, "--deactivate-missing" },
  { "course-alone", { "course" }, "Usage:" },
  { "course-add-no-title", { "course", "add", "@" }, "--title" },
  { "course-add-bad-rule", { "course", "add", "@", "--title", "X", "--rule", "sales" }, "--rule" },
  { "course-add-rule-without-department", { "course", "add", "@", "--title", "X", "--rule",
                                            "department" }, "--rule" },
  { "course-add-negative-validity", { "course", "add", "@", "--title", "X", "--validity", "-1" },
    "--validity" },
  { "training-alone", { "training" }, "Usage:" },
  { "training-status-bad-by", { "training", "status", "@", "--by", "team" }, "--by" },
  { "training-status-bad-today", { "training", "status", "@", "--today", "31.12.2026" },
    "--today" },
  { "person-export-no-output", { "person", "export", "@", "a@example.de" }, "-o" },
  { "person-export-no-format", { "person", "export", "@", "a@example.de", "-o", "out.txt" },
    "--format" },
  { "person-export-bad-format", { "person", "export", "@", "a@example.de", "--format", "pdf" },
    "--format" },
  { "person-erase-no-who", { "person", "erase", "@", "--yes" }, "wrong number of arguments" },
  { "person-erase-without-yes", { "person", "erase", "@", "a@example.de" }, "--yes" },
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
/* AI systems, classification, catalogs, coverage                     */

static JsonNode *
run_json (const char * const *args)
{
  g_autoptr(Run) r = run_argv (args);

  assert_ok (r);
  return parse_json (r->out);
}

#define run_json(...) run_json ((const char * const []) { __VA_ARGS__, NULL })

static JsonObject *
find_by_key (JsonArray  *array,
             const char *key)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (o, "key"), key) == 0)
        return o;
    }

  return NULL;
}

static void
test_system (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) show = NULL;
  g_autoptr(JsonNode) use_cases = NULL;
  g_autofree char *new_key = NULL;
  JsonObject *o, *classification;
  JsonArray *raci;
  guint n_accountable = 0;

  if (!have_cli ())
    return;

  make_demo (f);

  /* The demo's register, as JSON and filtered. */
  list = run_json ("system", "list", f->path, "--json");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 11);
  o = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "key"), ==, "SYS-001");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Lead-Scoring im CRM");
  g_assert_cmpstr (json_object_get_string_member (o, "use_case"), ==, "lead-scoring");
  g_assert_nonnull (json_object_get_string_member (o, "business_owner_name"));
  {
    g_autoptr(Run) r = run ("system", "list", f->path, "--risk", "high");
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 3);
    g_assert_null (strstr (r->out, "\tminimal\t"));
  }
  {
    g_autoptr(Run) r = run ("system", "list", f->path, "--risk", "prohibited", "--lifecycle",
                            "retired", "--use-case", "call-analysis-employees");
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 1);
    g_assert_true (g_str_has_prefix (r->out, "SYS-005\tprohibited\tretired\t"));
  }

  /* One system with everything, found by key in any case. */
  show = run_json ("system", "show", f->path, "sys-001", "--json");
  o = json_node_get_object (show);
  g_assert_cmpstr (json_object_get_string_member (o, "key"), ==, "SYS-001");
  classification = json_object_get_object_member (o, "classification");
  g_assert_cmpstr (json_object_get_string_member (classification, "risk"), ==, "minimal");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (classification,
                                                                                 "answers"),
                                                  "profiling"), ==, "yes");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (classification,
                                                                         "reasoning")), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (o, "data"), "categories")), ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (o, "oversight"), "overseers")), ==, 2);
  raci = json_object_get_array_member (o, "raci");
  for (guint i = 0; i < json_array_get_length (raci); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (raci, i),
                                                    "role"), "A"))
      n_accountable++;
  g_assert_cmpuint (n_accountable, ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "mapped_policies")),
                    >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "obligations")), >,
                    0);
  {
    g_autoptr(Run) r = run ("system", "show", f->path, "SYS-003");
    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "Verkaufs-Chatbot"));
    g_assert_nonnull (strstr (r->out, "Art. 50"));
  }
  {
    g_autoptr(Run) r = run ("system", "show", f->path, "SYS-999");
    assert_failed (r);
    g_assert_nonnull (strstr (r->err, "SYS-999"));
  }

  /* The library, without a workspace. */
  use_cases = run_json ("system", "use-cases", "--json");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (use_cases)), >=, 10);
  o = json_array_get_object_element (json_node_get_array (use_cases), 0);
  g_assert_nonnull (json_object_get_string_member (o, "id"));
  g_assert_nonnull (json_object_get_string_member (o, "name"));
  {
    g_autoptr(Run) r = run ("system", "use-cases");
    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "sales-chatbot\t"));
  }

  /* Registered from the library: pre-filled, classified, its policies
   * mapped; the key comes back. */
  {
    g_autoptr(Run) r = run ("system", "add", f->path, "--name", "Chatbot im Kundenportal",
                            "--use-case", "sales-chatbot", "--vendor", "Talkwise AG",
                            "--department", "Customer Success", "--as", "petra.engel@brenner-hoffmann.de");
    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "SYS-012\n");
    new_key = g_strstrip (g_strdup (r->out));
  }
  {
    g_autoptr(JsonNode) added = run_json ("system", "show", f->path, new_key, "--json");
    JsonObject *a = json_node_get_object (added);

    g_assert_cmpstr (json_object_get_string_member (a, "vendor"), ==, "Talkwise AG");
    g_assert_cmpstr (json_object_get_string_member (a, "department"), ==, "Customer Success");
    g_assert_cmpstr (json_object_get_string_member (a, "risk"), ==, "limited");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a, "mapped_policies")),
                      >, 0);
  }
  {
    /* The name is taken: nothing is added. */
    g_autoptr(Run) r = run ("system", "add", f->path, "--name", "chatbot im kundenportal");
    g_autoptr(JsonNode) after = NULL;

    assert_failed (r);
    after = run_json ("system", "list", f->path, "--json");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (after)), ==, 12);
  }
  {
    g_autoptr(Run) r = run ("system", "add", f->path, "--name", "Ohne Vorlage");
    g_autoptr(JsonNode) bare = NULL;

    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "SYS-013\n");
    bare = run_json ("system", "show", f->path, "SYS-013", "--json");
    g_assert_true (json_object_get_null_member (json_node_get_object (bare), "risk"));
  }

  /* The customer notice, as text and as HTML that escapes the name. */
  {
    g_autoptr(Run) r = run ("system", "notice", f->path, "SYS-003", "--language", "en");
    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "Brenner & Hoffmann"));
  }
  {
    g_autoptr(Run) r = run ("system", "notice", f->path, "SYS-003", "--format", "html");
    assert_ok (r);
    g_assert_true (g_str_has_prefix (r->out, "<!DOCTYPE html>"));
    g_assert_nonnull (strstr (r->out, "Brenner &amp; Hoffmann"));
  }
  {
    g_autoptr(Run) r = run ("system", "notice", f->path, "SYS-404");
    assert_failed (r);
  }

  /* info counts them. */
  {
    g_autoptr(JsonObject) info = info_json (f->path);
    JsonObject *counts = json_object_get_object_member (info, "counts");

    g_assert_cmpint (json_object_get_int_member (counts, "systems"), ==, 13);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (counts,
                                                                                "systems_by_risk"),
                                                 "prohibited"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (counts,
                                                                                "systems_by_risk"),
                                                 "unclassified"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (counts, "catalogs"), ==, 6);
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
  }
}

static void
test_classify (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonObject) info = NULL;
  JsonObject *o;
  JsonArray *questions;
  gboolean found = FALSE;

  if (!have_cli ())
    return;

  make_demo (f);

  /* Without --answer: what the stored answers give. */
  before = run_json ("classify", f->path, "SYS-009", "--json");
  o = json_node_get_object (before);
  g_assert_cmpstr (json_object_get_string_member (o, "risk"), ==, "high");
  g_assert_cmpstr (json_object_get_string_member (o, "role"), ==, "deployer");
  g_assert_true (json_object_get_boolean_member (o, "complete"));
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (o, "obligations")); i++)
    found |= g_strcmp0 (json_object_get_string_member (
                          json_array_get_object_element (json_object_get_array_member (o, "obligations"), i),
                          "id"), "ai-act-26") == 0;
  g_assert_true (found);
  questions = json_object_get_array_member (o, "questions");
  g_assert_cmpuint (json_array_get_length (questions), >, 12);
  {
    g_autoptr(Run) r = run ("classify", f->path, "SYS-009");
    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "Art. 26"));
  }

  /* With --answer: stored, classified again. */
  after = run_json ("classify", f->path, "SYS-009", "--answer", "h-credit=no", "--json",
                    "--as", "martin.seidel@brenner-hoffmann.de");
  o = json_node_get_object (after);
  g_assert_cmpstr (json_object_get_string_member (o, "risk"), ==, "minimal");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "answers"),
                                                  "h-credit"), ==, "no");
  {
    g_autoptr(Run) r = run ("system", "list", f->path, "--risk", "high");
    assert_ok (r);
    g_assert_null (strstr (r->out, "SYS-009"));
  }

  /* An answer set that contradicts itself: refused, nothing changes. */
  info = info_json (f->path);
  {
    g_autoptr(Run) r = run ("classify", f->path, "SYS-009", "--answer", "h-credit=yes",
                            "--answer", "natural-persons=no");
    g_autoptr(JsonObject) unchanged = NULL;

    assert_failed (r);
    unchanged = info_json (f->path);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (unchanged,
                                                                                   "journal"),
                                                    "head"), ==,
                     json_object_get_string_member (json_object_get_object_member (info,
                                                                                   "journal"),
                                                    "head"));
  }
  {
    g_autoptr(Run) r = run ("classify", f->path, "SYS-999", "--answer", "h-credit=no");
    assert_failed (r);
    g_assert_nonnull (strstr (r->err, "SYS-999"));
  }
  {
    g_autoptr(Run) r = run ("classify", f->path, "SYS-999");
    assert_failed (r);
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
  }
}

static const char small_catalog[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"acme-sales\" as-of=\"2026-03-01\">\n"
  "  <title xml:lang=\"en\">ACME sales rules</title>\n"
  "  <title xml:lang=\"de\">ACME-Vertriebsregeln</title>\n"
  "  <source>ACME handbook</source>\n"
  "  <licence>CC BY 4.0</licence>\n"
  "  <requirement id=\"R-1\"><title xml:lang=\"en\">Tell customers</title>\n"
  "    <requirement id=\"R-1.1\"><title xml:lang=\"en\">In the chat</title></requirement>\n"
  "  </requirement>\n"
  "  <requirement id=\"R-2\"><title xml:lang=\"en\">Keep records</title></requirement>\n"
  "</catalog>\n";

static const char hostile_catalog[] =
  "<?xml version=\"1.0\"?>\n"
  "<!DOCTYPE catalog [<!ENTITY pw SYSTEM \"file:///etc/passwd\">]>\n"
  "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"evil\" as-of=\"2026-03-01\">\n"
  "  <title xml:lang=\"en\">&pw;</title><source>x</source><licence>x</licence>\n"
  "  <requirement id=\"R-1\"><title xml:lang=\"en\">x</title></requirement>\n"
  "</catalog>\n";

static void
test_catalog_coverage (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *acme = g_build_filename (f->dir, "acme.xml", NULL);
  g_autofree char *evil = g_build_filename (f->dir, "evil.xml", NULL);
  g_autoptr(JsonNode) catalogs = NULL;
  g_autoptr(JsonNode) coverage = NULL;
  g_autoptr(JsonNode) systems = NULL;
  g_autoptr(JsonObject) info = NULL;
  JsonObject *summary;
  JsonObject *o;

  if (!have_cli ())
    return;

  make_demo (f);
  write_text (acme, small_catalog);
  write_text (evil, hostile_catalog);

  catalogs = run_json ("catalog", "list", f->path, "--json");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (catalogs)), ==, 6);
  o = find_by_key (json_node_get_array (catalogs), "eu-ai-act");
  g_assert_nonnull (o);
  g_assert_true (json_object_get_boolean_member (o, "shipped"));
  g_assert_cmpint (json_object_get_int_member (o, "requirements"), >, 10);

  /* A Kodex catalog imports and is listed; a second time it is refused. */
  {
    g_autoptr(Run) r = run ("catalog", "import", f->path, acme);
    assert_ok (r);
    g_assert_cmpstr (r->out, ==, "acme-sales\n");
  }
  {
    g_autoptr(Run) r = run ("catalog", "list", f->path);
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 7);
    g_assert_nonnull (strstr (r->out, "acme-sales\t3\t2026-03-01\timported\t"));
  }
  {
    g_autoptr(Run) r = run ("catalog", "import", f->path, acme);
    assert_failed (r);
  }

  /* A hostile one (a DOCTYPE with an external entity) is refused with a
   * message, and nothing changes. */
  info = info_json (f->path);
  {
    g_autoptr(Run) r = run ("catalog", "import", f->path, evil);
    g_autoptr(JsonObject) after = NULL;

    assert_failed (r);
    g_assert_null (strstr (r->err, "root:"));
    after = info_json (f->path);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (after, "counts"),
                                                 "catalogs"), ==, 7);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (after,
                                                                                   "journal"),
                                                    "head"), ==,
                     json_object_get_string_member (json_object_get_object_member (info,
                                                                                   "journal"),
                                                    "head"));
  }
  {
    g_autoptr(Run) r = run ("catalog", "import", f->path, "/nonexistent/catalog.xml");
    assert_failed (r);
  }

  /* Requirement coverage: the demo shows all three states. */
  coverage = run_json ("coverage", f->path, "--catalog", "eu-ai-act", "--json");
  summary = json_object_get_object_member (json_node_get_object (coverage), "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "covered"), >, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "partly"), >, 0);
  g_assert_cmpint (json_object_get_int_member (summary, "gap"), >, 0);
  o = json_array_get_object_element (json_object_get_array_member (json_node_get_object (coverage),
                                                                   "requirements"), 0);
  g_assert_nonnull (json_object_get_string_member (o, "code"));
  g_assert_nonnull (json_object_get_string_member (o, "status"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "policies")));
  {
    g_autoptr(Run) r = run ("coverage", f->path, "--catalog", "gdpr", "--only", "gap");
    assert_ok (r);
    g_assert_null (strstr (r->out, "\tcovered\t"));
    g_assert_null (strstr (r->out, "\tpartly\t"));
  }
  {
    g_autoptr(Run) r = run ("coverage", f->path, "--catalog", "acme-sales");
    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "R-1.1\tgap\t"));
  }

  /* Per system. */
  systems = run_json ("coverage", f->path, "--catalog", "eu-ai-act", "--systems", "--json");
  o = find_by_key (json_object_get_array_member (json_node_get_object (systems), "systems"),
                   "SYS-009");
  g_assert_nonnull (o);
  g_assert_cmpint (json_object_get_int_member (o, "required"), >, 1);
  g_assert_cmpint (json_object_get_int_member (o, "required"), ==,
                   json_object_get_int_member (o, "covered") +
                   json_object_get_int_member (o, "partly") +
                   json_object_get_int_member (o, "gap"));

  {
    g_autoptr(Run) r = run ("coverage", f->path, "--catalog", "nope");
    assert_failed (r);
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
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

/* ------------------------------------------------------------------ */
/* Training: CSV imports, courses, status, a person's data            */

/* Writes @utf8 to @path in @encoding, as an HR system exports it. */
static void
write_encoded (const char *path,
               const char *utf8,
               const char *encoding)
{
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  g_autofree char *bytes = g_convert (utf8, -1, encoding, "UTF-8", NULL, &length, &error);

  g_assert_no_error (error);
  kdx_test_write_file (path, bytes, length);
}

static const char *
journal_head_of (JsonObject *info)
{
  return json_object_get_string_member (json_object_get_object_member (info, "journal"), "head");
}

static gint64
count_of (JsonObject *info,
          const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (info, "counts"), name);
}

static JsonObject *
find_person (JsonArray  *people,
             const char *email)
{
  for (guint i = 0; i < json_array_get_length (people); i++)
    {
      JsonObject *o = json_array_get_object_element (people, i);

      if (g_strcmp0 (json_object_get_string_member (o, "email"), email) == 0)
        return o;
    }

  return NULL;
}

/* The staff list as German Excel saves it: semicolons, Windows-1252 (which
 * has no dotless ı, so Yilmaz is written with a plain i), CRLF. */
static const char staff_csv[] =
  "Personalnummer;Vorname;Nachname;E-Mail;Abteilung;Funktion\r\n"
  "1001;Jürgen;Müller;j.mueller@example.de;Vertrieb Süd;Außendienst\r\n"
  "1002;Grete;Weiß;g.weiss@example.de;Vertrieb Süd;Innendienst\r\n"
  "1003;Özlem;Yilmaz-Groß;o.yilmaz@example.de;Einkauf;Leitung\r\n";

static void
test_import_people (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *staff = g_build_filename (f->dir, "Mitarbeiter.csv", NULL);
  g_autofree char *extra = g_build_filename (f->dir, "Nachtrag.csv", NULL);
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonNode) people = NULL;
  JsonObject *o;

  if (!have_cli ())
    return;

  {
    g_autoptr(Run) r = run ("new", f->path);
    assert_ok (r);
  }
  write_encoded (staff, staff_csv, "WINDOWS-1252");
  before = info_json (f->path);

  /* A dry run tells what would change and changes nothing. */
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", staff, "--dry-run");
    g_autoptr(JsonObject) unchanged = NULL;

    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "3 people will be added"));
    g_assert_nonnull (strstr (r->out, "Windows-1252"));
    unchanged = info_json (f->path);
    g_assert_cmpint (count_of (unchanged, "people"), ==, 0);
    g_assert_cmpstr (journal_head_of (unchanged), ==, journal_head_of (before));
  }

  /* For real: the umlauts of Windows-1252 arrive as UTF-8. */
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", staff,
                            "--encoding", "windows-1252", "--delimiter", ";");
    assert_ok (r);
  }
  after = info_json (f->path);
  g_assert_cmpint (count_of (after, "people"), ==, 3);
  g_assert_cmpstr (journal_head_of (after), !=, journal_head_of (before));
  people = run_json ("person", "list", f->path, "--json");
  o = find_person (json_node_get_array (people), "j.mueller@example.de");
  g_assert_nonnull (o);
  g_assert_nonnull (strstr (json_object_get_string_member (o, "name"), "Jürgen"));
  g_assert_nonnull (strstr (json_object_get_string_member (o, "name"), "Müller"));
  g_assert_cmpstr (json_object_get_string_member (o, "department"), ==, "Vertrieb Süd");
  g_assert_cmpstr (json_object_get_string_member (o, "role"), ==, "Außendienst");
  o = find_person (json_node_get_array (people), "o.yilmaz@example.de");
  g_assert_nonnull (o);
  g_assert_cmpstr (json_object_get_string_member (o, "department"), ==, "Einkauf");

  /* The same file again changes nobody. */
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", staff);
    g_autoptr(JsonObject) again = NULL;

    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "0 added, 0 changed, 3 unchanged"));
    again = info_json (f->path);
    g_assert_cmpint (count_of (again, "people"), ==, 3);
  }

  /* Columns the import cannot guess are named with --map, by header or
   * by number. */
  kdx_test_write_file (extra,
                       "Wer,Postfach,Kostenstelle\n"
                       "Anna Schmidt,a.schmidt@example.de,Marketing\n", -1);
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", extra,
                            "--map", "Wer=name", "--map", "Postfach=email",
                            "--map", "3=department", "--delimiter", ",",
                            "--encoding", "utf-8");
    g_autoptr(JsonNode) list = NULL;

    assert_ok (r);
    list = run_json ("person", "list", f->path, "--json");
    o = find_person (json_node_get_array (list), "a.schmidt@example.de");
    g_assert_nonnull (o);
    g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Anna Schmidt");
    g_assert_cmpstr (json_object_get_string_member (o, "department"), ==, "Marketing");
  }
  /* Who is not in the staff list any more would be deactivated. */
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", staff, "--deactivate-missing",
                            "--dry-run");
    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "1 person who is not in the file will be deactivated"));
  }
  /* A file that is not CSV: one line naming the file, line and column. */
  kdx_test_write_file (extra, "Name,E-Mail\n\"Anna Schmidt,a.schmidt@example.de\n", -1);
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", extra);
    assert_failed (r);
    g_assert_nonnull (strstr (r->err, extra));
    g_assert_nonnull (strstr (r->err, "2"));
  }
  /* No column to tell people apart: the columns are listed. */
  kdx_test_write_file (extra, "Wer;Telefon\nAnna Schmidt;0711 1234\n", -1);
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", extra);
    assert_failed (r);
    g_assert_nonnull (strstr (r->err, "--map"));
    g_assert_nonnull (strstr (r->err, "Wer, Telefon"));
  }
  /* A column the file does not have. */
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "people", extra,
                            "--map", "Fax=name");
    assert_failed (r);
    g_assert_nonnull (strstr (r->err, "Fax"));
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
  }
}

/* The staff of test_import_people(), added one by one. */
static void
add_staff (Fixture *f)
{
  static const char *staff[][4] = {
    { "Jürgen Müller", "j.mueller@example.de", "Vertrieb Süd", "Außendienst" },
    { "Grete Weiß", "g.weiss@example.de", "Vertrieb Süd", "Innendienst" },
    { "Özlem Yılmaz-Groß", "o.yilmaz@example.de", "Einkauf", "Leitung" },
  };

  {
    g_autoptr(Run) r = run ("new", f->path);
    assert_ok (r);
  }
  for (guint i = 0; i < G_N_ELEMENTS (staff); i++)
    {
      g_autoptr(Run) r = run ("person", "add", f->path, "--name", staff[i][0], "--email",
                              staff[i][1], "--department", staff[i][2], "--role", staff[i][3]);
      assert_ok (r);
    }
}

static void
test_course (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autofree char *key = NULL;
  JsonObject *o;
  JsonArray *rules;

  if (!have_cli ())
    return;

  add_staff (f);
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "KI-Kompetenz für alle",
                            "--topic", "KI-Grundlagen", "--duration", "90", "--validity", "12",
                            "--ai-literacy", "--rule", "everyone", "--due-days", "14");
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 1);
    key = g_strstrip (g_strdup (r->out));
  }
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "Ethisch verkaufen mit KI",
                            "--rule", "department=Vertrieb Süd", "--as", "g.weiss@example.de");
    assert_ok (r);
  }
  /* Something named that is not there: no course at all. */
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "Aufsicht", "--policy", "POL-999");
    assert_failed (r);
  }
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "Aufsicht",
                            "--rule", "overseers=SYS-999");
    assert_failed (r);
  }
  /* A title taken. */
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "KI-Kompetenz für alle");
    assert_failed (r);
  }

  list = run_json ("course", "list", f->path, "--json");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  o = find_by_key (json_node_get_array (list), key);
  g_assert_nonnull (o);
  g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "KI-Kompetenz für alle");
  g_assert_cmpstr (json_object_get_string_member (o, "topic"), ==, "KI-Grundlagen");
  g_assert_cmpint (json_object_get_int_member (o, "duration_minutes"), ==, 90);
  g_assert_cmpint (json_object_get_int_member (o, "validity_months"), ==, 12);
  g_assert_true (json_object_get_boolean_member (o, "ai_literacy"));
  rules = json_object_get_array_member (o, "rules");
  g_assert_cmpuint (json_array_get_length (rules), ==, 1);
  o = json_array_get_object_element (rules, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "everyone");
  g_assert_cmpint (json_object_get_int_member (o, "due_days"), ==, 14);

  {
    g_autoptr(Run) r = run ("course", "list", f->path);
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 2);
    g_assert_nonnull (strstr (r->out, "\tKI-Kompetenz für alle\n"));
  }

  /* The rules assigned at once: everyone the first course, the two of
   * the sales department the second. */
  info = info_json (f->path);
  g_assert_cmpint (count_of (info, "courses"), ==, 2);
  g_assert_cmpint (count_of (info, "assignments"), ==, 5);
  g_assert_cmpint (count_of (info, "systems_competence_gap"), ==, 0);
  {
    g_autoptr(Run) r = run ("info", f->path);
    assert_ok (r);
    g_assert_nonnull (strstr (r->out, "Courses:         2\n"));
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
  }
}

static void
test_completions (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *bad = g_build_filename (f->dir, "Abschluesse.csv", NULL);
  g_autofree char *slashes = g_build_filename (f->dir, "LMS.csv", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonNode) status = NULL;
  JsonObject *o;

  if (!have_cli ())
    return;

  add_staff (f);
  /* No rule: the completions make the rounds. */
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "KI-Kompetenz",
                            "--validity", "12");
    assert_ok (r);
  }
  before = info_json (f->path);

  /* One person the workspace does not know: nothing is imported, and the
   * line and column say where. */
  kdx_test_write_file (bad,
                       "E-Mail;Kurs;Abgeschlossen am;Punkte\n"
                       "j.mueller@example.de;KI-Kompetenz;15.01.2025;90\n"
                       "niemand@example.de;KI-Kompetenz;16.01.2025;80\n", -1);
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "completions", bad,
                            "--today", "2025-03-01");
    g_autoptr(JsonObject) after = NULL;

    if (r->status != 1)
      g_test_message ("status %d, stderr: %s", r->status, r->err);
    g_assert_cmpint (r->status, ==, 1);
    expected = g_strdup_printf ("%s:3:1: ", bad);
    g_assert_nonnull (strstr (r->err, expected));
    g_assert_nonnull (strstr (r->err, "niemand@example.de"));
    after = info_json (f->path);
    g_assert_cmpstr (journal_head_of (after), ==, journal_head_of (before));
  }
  /* The rows that match, when asked to. */
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "completions", bad,
                            "--skip-unmatched", "--today", "2025-03-01");
    assert_ok (r);
  }
  status = run_json ("training", "status", f->path, "--today", "2025-03-01", "--json");
  o = json_array_get_object_element (json_object_get_array_member (json_node_get_object (status),
                                                                   "groups"), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, "KI-Kompetenz");
  g_assert_cmpint (json_object_get_int_member (o, "people"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "completed"), ==, 1);

  /* 03/02/2025 could be either: asked, never guessed. */
  kdx_test_write_file (slashes,
                       "email,course,completed\n"
                       "g.weiss@example.de,KI-Kompetenz,03/02/2025\n", -1);
  g_clear_pointer (&before, json_object_unref);
  before = info_json (f->path);
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "completions", slashes,
                            "--today", "2025-03-01");
    g_autoptr(JsonObject) after = NULL;

    g_assert_cmpint (r->status, ==, 1);
    g_assert_nonnull (strstr (r->err, "--date-order"));
    after = info_json (f->path);
    g_assert_cmpstr (journal_head_of (after), ==, journal_head_of (before));
  }
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind", "completions", slashes,
                            "--date-order", "dmy", "--today", "2025-03-01");
    assert_ok (r);
  }
  {
    g_autoptr(JsonNode) again = run_json ("training", "status", f->path, "--today", "2025-03-01",
                                          "--json");

    o = json_array_get_object_element (json_object_get_array_member (json_node_get_object (again),
                                                                     "groups"), 0);
    g_assert_cmpint (json_object_get_int_member (o, "completed"), ==, 2);
  }
  /* A learning platform's export of one course has no course column. */
  kdx_test_write_file (slashes, "E-Mail-Adresse,Abschlussdatum\n"
                                "o.yilmaz@example.de,2025-02-20\n", -1);
  {
    g_autoptr(Run) r = run ("import", f->path, "--kind=completions", slashes,
                            "--course", "KI-Kompetenz", "--today", "2025-03-01");
    g_autoptr(JsonNode) again = NULL;

    assert_ok (r);
    again = run_json ("training", "status", f->path, "--today", "2025-03-01", "--json");
    o = json_array_get_object_element (json_object_get_array_member (json_node_get_object (again),
                                                                     "groups"), 0);
    g_assert_cmpint (json_object_get_int_member (o, "completed"), ==, 3);
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
  }
}

static void
test_training_status (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  if (!have_cli ())
    return;

  make_demo (f);
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "Grundkurs KI-Kompetenz",
                            "--validity", "24", "--ai-literacy", "--rule", "everyone");
    assert_ok (r);
  }

  status = run_json ("training", "status", f->path, "--by", "department",
                     "--today", "2026-06-30", "--json");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (status), "by"), ==,
                   "department");
  array = json_object_get_array_member (json_node_get_object (status), "groups");

  /* The same numbers as core's. */
  {
    g_autoptr(KdxStore) store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);

    groups = kdx_training_status (store, KDX_TRAINING_BY_DEPARTMENT, NULL, NULL, "2026-06-30",
                                  NULL, &error);
    g_assert_no_error (error);
    kdx_test_close (&store);
  }
  g_assert_cmpuint (groups->len, >, 1);
  g_assert_cmpuint (json_array_get_length (array), ==, groups->len);
  for (guint i = 0; i < groups->len; i++)
    {
      KdxTrainingSummary *s = groups->pdata[i];
      JsonObject *o = json_array_get_object_element (array, i);

      g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, s->label);
      g_assert_cmpint (json_object_get_int_member (o, "people"), ==, s->n_people);
      for (int st = 0; st < KDX_ASSIGNMENT_N_STATUSES; st++)
        g_assert_cmpint (json_object_get_int_member (o, kdx_assignment_status_to_string (st)), ==,
                         s->n_status[st]);
      g_assert_cmpint (json_object_get_int_member (o, "expiring_30"), ==, s->n_expiring_30);
      g_assert_cmpint (json_object_get_int_member (o, "expiring_60"), ==, s->n_expiring_60);
      g_assert_cmpint (json_object_get_int_member (o, "expiring_90"), ==, s->n_expiring_90);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "completion"),
                                      s->completion, 1e-9);
    }

  /* The table: a heading, a row per department, columns aligned by
   * characters, not bytes. */
  {
    g_autoptr(Run) r = run ("training", "status", f->path, "--by", "department",
                            "--today", "2026-06-30");
    g_auto(GStrv) lines = NULL;
    const char *second;
    glong column;

    assert_ok (r);
    lines = g_strsplit (r->out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, groups->len + 2);
    /* The second column starts at the same character on every line. */
    second = strstr (lines[0], "  ");
    g_assert_nonnull (second);
    while (*second == ' ')
      second++;
    column = g_utf8_pointer_to_offset (lines[0], second);
    for (guint i = 1; i <= groups->len; i++)
      {
        g_assert_cmpint (g_utf8_strlen (lines[i], -1), >, column);
        g_assert_true (g_utf8_get_char (g_utf8_offset_to_pointer (lines[i], column - 1)) == ' ');
      }
  }
  {
    g_autoptr(Run) r = run ("training", "status", f->path, "--department", "Vertrieb Nord",
                            "--by", "person", "--json");
    assert_ok (r);
  }
  {
    g_autoptr(Run) r = run ("training", "status", f->path, "--course", "Kein solcher Kurs");
    assert_failed (r);
  }
}

static void
test_person_privacy (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *json_out = g_build_filename (f->dir, "Auskunft.json", NULL);
  g_autofree char *xml_out = g_build_filename (f->dir, "Auskunft.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_cli ())
    return;

  add_staff (f);
  {
    g_autoptr(Run) r = run ("course", "add", f->path, "--title", "KI-Kompetenz",
                            "--rule", "everyone");
    assert_ok (r);
  }

  /* Export: everything about one person, as JSON (the format from the
   * name), readable by the owner alone. */
  {
    g_autoptr(Run) r = run ("person", "export", f->path, "j.mueller@example.de", "-o", json_out);
    assert_ok (r);
  }
  g_assert_cmpuint (kdx_test_file_mode (json_out), ==, 0600);
  g_assert_true (g_file_get_contents (json_out, &contents, NULL, &error));
  g_assert_no_error (error);
  root = parse_json (contents);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_nonnull (strstr (contents, "Müller"));
  g_assert_nonnull (strstr (contents, "j.mueller@example.de"));
  g_assert_nonnull (strstr (contents, "KI-Kompetenz"));
  g_assert_null (strstr (contents, "g.weiss@example.de"));
  {
    g_autoptr(Run) r = run ("person", "export", f->path, "j.mueller@example.de", "-o", xml_out);
    g_autofree char *xml = NULL;

    assert_ok (r);
    g_assert_cmpuint (kdx_test_file_mode (xml_out), ==, 0600);
    g_assert_true (g_file_get_contents (xml_out, &xml, NULL, NULL));
    g_assert_true (g_str_has_prefix (xml, "<?xml"));
  }
  {
    g_autoptr(Run) r = run ("person", "export", f->path, "niemand@example.de", "-o", json_out);
    assert_failed (r);
  }

  /* Erasure: the name is gone, the journal still verifies. */
  {
    g_autoptr(Run) r = run ("person", "erase", f->path, "j.mueller@example.de", "--yes");
    assert_ok (r);
    g_assert_null (strstr (r->out, "Müller"));
  }
  {
    g_autoptr(Run) r = run ("verify", f->path);
    assert_ok (r);
  }
  {
    g_autoptr(Run) r = run ("person", "list", f->path, "--all");
    assert_ok (r);
    g_assert_cmpuint (count_lines (r->out), ==, 3);
    g_assert_null (strstr (r->out, "Müller"));
    g_assert_null (strstr (r->out, "j.mueller@example.de"));
    g_assert_nonnull (strstr (r->out, "Weiß"));
  }
  {
    g_autoptr(Run) r = run ("person", "erase", f->path, "j.mueller@example.de", "--yes");
    assert_failed (r);
  }
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
  ADD ("system", test_system);
  ADD ("classify", test_classify);
  ADD ("catalog-coverage", test_catalog_coverage);
  ADD ("import-people", test_import_people);
  ADD ("course", test_course);
  ADD ("completions", test_completions);
  ADD ("training-status", test_training_status);
  ADD ("person-privacy", test_person_privacy);

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
