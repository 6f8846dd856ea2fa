/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's rights over their data (SAFETY.md "Personal data"): the
 * per-person export holds every row that refers to them, validates against
 * its schemas and is the same on a rerun; after an erasure none of their
 * strings is in the workspace file, its -wal, a later backup or export,
 * and the journal still verifies, while an edit behind Kodex's back (also
 * one that forges an erasure's list) is found and named. Run under umask
 * 022: every file written is 0600 all the same.
 */
#define G_LOG_DOMAIN "kdx-test-privacy"

#include "config.h"

#include "kdx-test-util.h"

#include "kdx-core-resources.h"
#include "kdx-exchange.h"
#include "kdx-mapping.h"
#include "kdx-policy.h"
#include "kdx-privacy.h"
#include "kdx-system.h"

#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#define ZOE_NAME     "Zoë Quagmire"
#define ZOE_EMAIL    "zoe.quagmire@example.org"
#define ZOE_EMPLOYEE "PX-4711"

/* What must be gone after the erasure: the strings, and the folded name
 * that sort key and search index held. */
static const char *const erased_strings[] = {
  ZOE_NAME, ZOE_EMAIL, ZOE_EMPLOYEE, "zoe quagmire", "Quagmire", "quagmire", NULL,
};

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
  char     *zoe;
  char     *max;
  char     *rita;
  gint64    zoe_id;
} Fixture;

/* ------------------------------------------------------------------ */
/* The workspace                                                      */

static char *
add_person (KdxStore   *store,
            const char *name,
            const char *email,
            const char *role,
            const char *manager,
            gboolean    committee)
{
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autoptr(GError) error = NULL;

  kdx_person_set_name (person, name);
  kdx_person_set_email (person, email);
  kdx_person_set_department (person, "Vertrieb");
  kdx_person_set_role (person, role);
  kdx_person_set_manager (person, manager);
  kdx_person_set_committee (person, committee);
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_person_get_uuid (person));
}

static void
sql (KdxStore   *store,
     const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_store_begin (store, &error));
  g_assert_no_error (error);
  kdx_test_db_exec (kdx_store_get_db (store), text);
  g_assert_true (kdx_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
journal (KdxStore   *store,
         const char *entity,
         const char *entity_id,
         const char *action,
         const char *summary,
         const char *before,
         const char *after)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_store_begin (store, &error));
  g_assert_true (kdx_journal_append (store, entity, entity_id, action, summary, before, after,
                                     &error));
  g_assert_no_error (error);
  g_assert_true (kdx_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
vote (KdxStore   *store,
      const char *actor,
      const char *version,
      const char *comment)
{
  g_autoptr(GError) error = NULL;

  kdx_store_set_actor (store, actor);
  g_assert_true (kdx_policy_vote (store, version, KDX_VOTE_APPROVE, comment, NULL, &error));
  g_assert_no_error (error);
}

static KdxSystemPerson *
raci_entry (const char  *person,
            KdxRaciRole  role)
{
  KdxSystemPerson *entry = g_new0 (KdxSystemPerson, 1);

  entry->person = g_strdup (person);
  entry->role = role;

  return entry;
}

/* Zoë Quagmire: on the committee, reporting to Max, managing Rita; she
 * owns and wrote a policy, voted on it and acknowledged it, owns,
 * oversees and is accountable for a system, assessed it, has two rounds
 * of a course (the first completed), and many journal entries about her,
 * by her and naming her. */
static void
build_workspace (const char *path)
{
  g_autoptr(KdxStore) store = kdx_test_create (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(KdxSystem) system = kdx_system_new ();
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) raci = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_person_free);
  g_autofree char *max = add_person (store, "Max Mustermann", "max@example.org", "Bereichsleitung",
                                     NULL, FALSE);
  g_autofree char *zoe = add_person (store, ZOE_NAME, ZOE_EMAIL, "Teamleitung", max, TRUE);
  g_autofree char *rita = add_person (store, "Rita Report", "rita@example.org", "Außendienst",
                                      zoe, FALSE);
  g_autofree char *anna = add_person (store, "Anna Alt", "anna@example.org", "Recht", NULL, TRUE);
  g_autofree char *bernd = add_person (store, "Bernd Brück", "bernd@example.org", "Recht", NULL,
                                       TRUE);
  g_autofree char *cem = add_person (store, "Cem Çelik", "cem@example.org", "Recht", NULL, TRUE);
  g_autofree char *update = NULL;
  g_autofree char *import = NULL;
  const char *version;
  const char *overseers[] = { NULL, NULL, NULL };

  update = g_strdup_printf ("UPDATE person SET employee_id = '" ZOE_EMPLOYEE "' WHERE uuid = '%s';"
                            "UPDATE person SET employee_id = 'PX-1000' WHERE uuid = '%s';",
                            zoe, max);
  sql (store, update);
  import = g_strdup_printf ("{\"employee_id\":\"" ZOE_EMPLOYEE "\",\"email\":\"" ZOE_EMAIL "\","
                            "\"manager\":\"%s\"}", max);
  journal (store, "person", zoe, "import", "Personalnummer " ZOE_EMPLOYEE " übernommen", NULL,
           import);

  /* Her policy: she owns and writes it, votes with two others, publishes
   * it; Max records that she and Rita acknowledged it. */
  kdx_store_set_actor (store, zoe);
  kdx_policy_set_title (policy, "Kundenkommunikation mit KI");
  kdx_policy_set_kind (policy, KDX_POLICY_KIND_POLICY);
  kdx_policy_set_area (policy, KDX_POLICY_AREA_TRANSPARENCY);
  kdx_policy_set_owner (policy, zoe);
  g_assert_true (kdx_policy_create (store, policy, "Wir sagen, wenn eine KI schreibt.", &error));
  g_assert_no_error (error);
  versions = kdx_policy_list_versions (store, kdx_policy_get_uuid (policy), &error);
  g_assert_no_error (error);
  version = kdx_policy_version_get_uuid (versions->pdata[0]);
  g_assert_true (kdx_policy_submit (store, version, "Erste Fassung", &error));
  g_assert_no_error (error);
  vote (store, zoe, version, "Klar und kurz");
  vote (store, anna, version, NULL);
  vote (store, bernd, version, NULL);
  kdx_store_set_actor (store, zoe);
  g_assert_true (kdx_policy_publish (store, version, "2026-01-01", &error));
  g_assert_no_error (error);
  kdx_store_set_actor (store, max);
  {
    const char *people[] = { zoe, rita, NULL };

    g_assert_true (kdx_policy_acknowledge (store, version, people, NULL, "bulk", NULL, &error));
    g_assert_no_error (error);
  }

  /* Her system. */
  kdx_store_set_actor (store, zoe);
  kdx_system_set_name (system, "Angebotsassistent");
  kdx_system_set_vendor (system, "Schreibwerk GmbH");
  kdx_system_set_department (system, "Vertrieb");
  kdx_system_set_business_owner (system, zoe);
  kdx_system_set_technical_owner (system, max);
  g_assert_true (kdx_system_create (store, system, &error));
  g_assert_no_error (error);
  overseers[0] = zoe;
  overseers[1] = anna;
  g_assert_true (kdx_system_set_overseers (store, kdx_system_get_uuid (system), overseers, &error));
  g_assert_no_error (error);
  g_ptr_array_add (raci, raci_entry (zoe, KDX_RACI_ACCOUNTABLE));
  g_ptr_array_add (raci, raci_entry (max, KDX_RACI_RESPONSIBLE));
  g_ptr_array_add (raci, raci_entry (cem, KDX_RACI_CONSULTED));
  g_assert_true (kdx_system_set_raci (store, kdx_system_get_uuid (system), raci, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_mapping_set_system_policy (store, kdx_system_get_uuid (system),
                                                kdx_policy_get_uuid (policy),
                                                KDX_COMPLIANCE_COMPLIANT, zoe, "2026-03-02",
                                                "Stichprobe von 20 Angeboten", &error));
  g_assert_no_error (error);

  /* Two rounds of a course: the first completed, the second its renewal. */
  {
    g_autofree char *training = g_strdup_printf (
      "INSERT INTO course (uuid, key, title, sort_key, validity_months, ai_literacy, created, modified) "
      "VALUES ('1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', 'CRS-001', 'KI-Kompetenz', 'ki-kompetenz', 12, 1, "
      "'2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z');"
      "INSERT INTO assignment_rule (uuid, course_id, kind, due_days, created) "
      "VALUES ('6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b', 1, 'everyone', 30, '2025-01-01T00:00:00.000000Z');"
      "INSERT INTO assignment (person_id, course_id, rule_id, source, assigned, due, completed, score, "
      "expires, current) SELECT id, 1, 1, 'rule', '2025-01-02', '2025-02-01', '2025-01-20', 87.5, "
      "'2026-01-20', 0 FROM person WHERE uuid = '%1$s';"
      "INSERT INTO assignment (person_id, course_id, rule_id, previous_id, source, assigned, due, "
      "current) SELECT id, 1, 1, last_insert_rowid(), 'recertification', '2025-12-21', '2026-01-20', 1 "
      "FROM person WHERE uuid = '%1$s';"
      "INSERT INTO assignment (person_id, course_id, source, assigned, current) "
      "SELECT id, 1, 'manual', '2025-01-02', 1 FROM person WHERE uuid = '%2$s';",
      zoe, rita);

    sql (store, training);
  }

  /* Many entries: she changes settings as herself; Max changes her role;
   * she changes Rita's. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *value = g_strdup_printf ("majority:%u", 2 + i % 3);

      kdx_store_set_actor (store, zoe);
      g_assert_true (kdx_store_set_setting (store, "quorum", value, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(KdxPerson) person = kdx_person_load (store, i % 2 ? rita : zoe, &error);
      g_autofree char *role = g_strdup_printf ("Teamleitung %u", i);

      g_assert_no_error (error);
      kdx_store_set_actor (store, i % 2 ? zoe : max);
      kdx_person_set_role (person, role);
      g_assert_true (kdx_person_update (store, person, &error));
      g_assert_no_error (error);
    }
  kdx_store_set_actor (store, NULL);
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:3", &error));
  g_assert_no_error (error);

  kdx_store_close (store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPerson) zoe = NULL;
  g_autoptr(KdxPerson) max = NULL;
  g_autoptr(KdxPerson) rita = NULL;

  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Vertrieb.kodex", NULL);
  kdx_test_from_template (build_workspace, f->path);
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);

  zoe = kdx_person_find (f->store, ZOE_EMAIL, &error);
  g_assert_no_error (error);
  max = kdx_person_find (f->store, "max@example.org", &error);
  g_assert_no_error (error);
  rita = kdx_person_find (f->store, "rita@example.org", &error);
  g_assert_no_error (error);
  f->zoe = g_strdup (kdx_person_get_uuid (zoe));
  f->max = g_strdup (kdx_person_get_uuid (max));
  f->rita = g_strdup (kdx_person_get_uuid (rita));
  f->zoe_id = kdx_person_get_id (zoe);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->zoe, g_free);
  g_clear_pointer (&f->max, g_free);
  g_clear_pointer (&f->rita, g_free);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static GBytes *
export (Fixture               *f,
        const char            *who,
        KdxPersonExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = kdx_privacy_export_person (f->store, who, format, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  return bytes;
}

static JsonObject *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  json_parser_load_from_data (parser, data, (gssize) length, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonArray *
array (JsonObject *root,
       const char *member)
{
  return json_object_get_array_member (root, member);
}

static JsonObject *
element (JsonObject *root,
         const char *member,
         guint       i)
{
  return json_array_get_object_element (array (root, member), i);
}

static const char *
text_of (JsonObject *object,
         const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i + 1] != NULL; i++)
    object = json_object_get_object_member (object, parts[i]);

  return json_object_get_string_member (object, parts[g_strv_length (parts) - 1]);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in the export:\n%s", needle, haystack);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  return g_strndup (data, length);
}

static void
ignore_xml_error (void        *data,
                  xmlErrorPtr  error)
{
}

/* The XML against data/schema/kodex-person.rng, read with the parser
 * options Kodex reads with. */
static gboolean
xml_is_valid (GBytes *bytes)
{
  g_autoptr(GBytes) schema = NULL;
  g_autoptr(GError) error = NULL;
  xmlRelaxNGParserCtxtPtr parser_ctxt;
  xmlRelaxNGPtr rng;
  xmlRelaxNGValidCtxtPtr valid;
  xmlDocPtr doc;
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  int result;

  schema = g_resource_lookup_data (kdx_core_get_resource (),
                                   "/io/github/kodexapp/Kodex/core/schema/kodex-person.rng",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  parser_ctxt = xmlRelaxNGNewMemParserCtxt (g_bytes_get_data (schema, NULL),
                                            (int) g_bytes_get_size (schema));
  rng = xmlRelaxNGParse (parser_ctxt);
  g_assert_nonnull (rng);
  valid = xmlRelaxNGNewValidCtxt (rng);
  /* Whether it is valid is the answer; the details are not needed. */
  xmlRelaxNGSetValidStructuredErrors (valid, ignore_xml_error, NULL);

  doc = xmlReadMemory (data, (int) length, "export.xml", "UTF-8", XML_PARSE_NONET | XML_PARSE_NOBLANKS);
  g_assert_nonnull (doc);
  g_assert_null (doc->intSubset);
  result = xmlRelaxNGValidateDoc (valid, doc);

  xmlFreeDoc (doc);
  xmlRelaxNGFreeValidCtxt (valid);
  xmlRelaxNGFree (rng);
  xmlRelaxNGFreeParserCtxt (parser_ctxt);

  return result == 0;
}

static void
assert_valid_xml (GBytes *bytes)
{
  g_assert_true (xml_is_valid (bytes));
}

/* The JSON against data/schema/kodex-person.schema.json, with Python's
 * jsonschema (python3-jsonschema, see build-aux/install-deps). */
static gboolean
json_is_valid (Fixture *f,
               GBytes  *bytes)
{
  static const char *script =
    "import json, sys, jsonschema\n"
    "schema = json.load (open (sys.argv[1], encoding='utf-8'))\n"
    "jsonschema.Draft202012Validator.check_schema (schema)\n"
    "document = json.load (open (sys.argv[2], encoding='utf-8'))\n"
    "jsonschema.Draft202012Validator (schema).validate (document)\n";
  g_autoptr(GBytes) schema = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *schema_path = g_build_filename (f->dir, "kodex-person.schema.json", NULL);
  g_autofree char *doc_path = g_build_filename (f->dir, "document.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "python3", "-c", script, schema_path, doc_path, NULL };
  int status = -1;

  schema = g_resource_lookup_data (kdx_core_get_resource (),
                                   "/io/github/kodexapp/Kodex/core/schema/kodex-person.schema.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  kdx_test_write_file (schema_path, g_bytes_get_data (schema, NULL), g_bytes_get_size (schema));
  kdx_test_write_file (doc_path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  /* Python and its jsonschema are there: a failure is the document's. */
  if (strstr (err, "Traceback") != NULL && strstr (err, "ValidationError") == NULL)
    g_error ("python3-jsonschema could not check the export:\n%s", err);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("Not valid against kodex-person.schema.json:\n%s", err);

  g_unlink (schema_path);
  g_unlink (doc_path);

  return g_spawn_check_wait_status (status, NULL);
}

static void
assert_valid_json (Fixture *f,
                   GBytes  *bytes)
{
  g_assert_true (json_is_valid (f, bytes));
}

/* @bytes with the first @from replaced by @to. */
static GBytes *
edited (GBytes     *bytes,
        const char *from,
        const char *to)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  char *at = strstr (text, from);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (at);
  g_string_append_len (out, text, at - text);
  g_string_append (out, to);
  g_string_append (out, at + strlen (from));

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
holds_bytes (const char *data,
             gsize       length,
             const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;

  return FALSE;
}

static void
assert_file_holds (const char *path,
                   const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (holds_bytes (contents, length, needle));
}

/* None of the erased strings, byte for byte, in @path (if it exists). */
static void
assert_file_clean (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  for (guint i = 0; erased_strings[i] != NULL; i++)
    if (holds_bytes (contents, length, erased_strings[i]))
      g_error ("“%s” is still in %s", erased_strings[i], path);
}

static void
assert_bytes_clean (GBytes     *bytes,
                    const char *what)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  for (guint i = 0; erased_strings[i] != NULL; i++)
    if (holds_bytes (data, length, erased_strings[i]))
      g_error ("“%s” is still in %s", erased_strings[i], what);
}

static void
assert_verifies (KdxStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 first_bad = -1;
  gint64 checked = 0;

  g_assert_true (kdx_journal_verify (store, 0, NULL, &first_bad, &checked, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_bad, ==, 0);
  g_assert_cmpint (checked, ==, kdx_test_journal_length (store));
}

/* On the closed workspace: verification fails and names @expected, in
 * one stretch and in three. */
static void
assert_fails_at (const char *path,
                 gint64      expected)
{
  for (guint stretches = 1; stretches <= 3; stretches += 2)
    {
      g_autoptr(KdxStore) store = kdx_test_open (path, KDX_STORE_OPEN_READ_ONLY);
      g_autoptr(GError) error = NULL;
      g_autofree char *named = g_strdup_printf ("entry %" G_GINT64_FORMAT " ", expected);
      gint64 first_bad = -1;

      _kdx_journal_set_parallel (1, stretches);
      g_assert_false (kdx_journal_verify (store, 0, NULL, &first_bad, NULL, NULL, &error));
      g_assert_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_BROKEN_CHAIN);
      g_assert_cmpint (first_bad, ==, expected);
      g_assert_nonnull (strstr (error->message, named));
      kdx_store_close (store);
    }
  _kdx_journal_set_parallel (0, 0);
}

static void
erase_zoe (Fixture          *f,
           KdxErasureReport *report)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_privacy_erase_person (f->store, ZOE_EMAIL, report, NULL, &error));
  g_assert_no_error (error);
}

/* The ids the erasure entry lists, and its own. */
static GArray *
listed_ids (KdxStore *store,
            gint64   *erasure_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *rewritten;

  *erasure_id = kdx_test_db_int (kdx_store_get_db (store),
                                 "SELECT id FROM journal WHERE entity = 'erasure'");
  after = kdx_test_db_text (kdx_store_get_db (store),
                            "SELECT after FROM journal WHERE entity = 'erasure'");
  json_parser_load_from_data (parser, after, -1, &error);
  g_assert_no_error (error);
  rewritten = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "rewritten");
  for (guint i = 0; i < json_array_get_length (rewritten); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (rewritten, i), "id");

      g_array_append_val (ids, id);
    }

  return ids;
}

static gboolean
array_holds (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Export                                                             */

static void
test_export_json (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) bytes = export (f, ZOE_EMAIL, KDX_PERSON_EXPORT_JSON);
  g_autoptr(GBytes) again = export (f, f->zoe, KDX_PERSON_EXPORT_JSON);
  g_autoptr(GBytes) by_employee_id = export (f, ZOE_EMPLOYEE, KDX_PERSON_EXPORT_JSON);
  g_autoptr(JsonObject) root = parse_json (bytes);
  JsonObject *person = json_object_get_object_member (root, "person");
  JsonArray *entries = array (root, "journal");
  JsonObject *assignment;
  guint about = 0, by = 0, naming = 0, employee = 0;

  /* The same bytes, however she is named. */
  g_assert_true (g_bytes_equal (bytes, again));
  g_assert_true (g_bytes_equal (bytes, by_employee_id));
  assert_valid_json (f, bytes);
  /* The schema is not blind: a wrong choice, a missing member. */
  {
    g_autoptr(GBytes) wrong = edited (bytes, "\"choice\" : \"approve\"", "\"choice\" : \"maybe\"");
    g_autoptr(GBytes) missing = edited (bytes, "\"employee_id\" : ", "\"staff_id\" : ");

    g_assert_false (json_is_valid (f, wrong));
    g_assert_false (json_is_valid (f, missing));
  }

  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "kodex-person-export");
  g_assert_cmpstr (json_object_get_string_member (person, "name"), ==, ZOE_NAME);
  g_assert_cmpstr (json_object_get_string_member (person, "email"), ==, ZOE_EMAIL);
  g_assert_cmpstr (json_object_get_string_member (person, "employee_id"), ==, ZOE_EMPLOYEE);
  g_assert_true (json_object_get_boolean_member (person, "committee"));
  g_assert_cmpstr (text_of (person, "manager.name"), ==, "Max Mustermann");
  g_assert_cmpstr (text_of (person, "manager.uuid"), ==, f->max);

  g_assert_cmpuint (json_array_get_length (array (root, "reports")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "reports", 0), "name"), ==, "Rita Report");

  /* Both rounds of the course, the completion with its score. */
  g_assert_cmpuint (json_array_get_length (array (root, "assignments")), ==, 2);
  assignment = element (root, "assignments", 0);
  g_assert_cmpstr (text_of (assignment, "course.title"), ==, "KI-Kompetenz");
  g_assert_cmpstr (text_of (assignment, "completed"), ==, "2025-01-20");
  g_assert_cmpfloat (json_object_get_double_member (assignment, "score"), ==, 87.5);
  g_assert_false (json_object_get_boolean_member (assignment, "current"));
  assignment = element (root, "assignments", 1);
  g_assert_cmpstr (text_of (assignment, "source"), ==, "recertification");
  g_assert_cmpint (json_object_get_int_member (assignment, "previous"), ==,
                   json_object_get_int_member (element (root, "assignments", 0), "id"));

  g_assert_cmpuint (json_array_get_length (array (root, "votes")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "votes", 0), "choice"), ==, "approve");
  g_assert_cmpstr (text_of (element (root, "votes", 0), "comment"), ==, "Klar und kurz");
  g_assert_cmpstr (text_of (element (root, "votes", 0), "version.label"), ==, "1.0");
  g_assert_cmpuint (json_array_get_length (array (root, "acknowledgements")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "acknowledgements", 0), "source"), ==, "bulk");
  g_assert_cmpuint (json_array_get_length (array (root, "owned_policies")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "owned_policies", 0), "title"), ==,
                   "Kundenkommunikation mit KI");
  g_assert_cmpuint (json_array_get_length (array (root, "authored_versions")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "authored_versions", 0), "status"), ==, "published");

  g_assert_cmpuint (json_array_get_length (array (root, "owned_systems")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "owned_systems", 0), "as"), ==, "business");
  g_assert_cmpstr (text_of (element (root, "owned_systems", 0), "system.name"), ==,
                   "Angebotsassistent");
  g_assert_cmpuint (json_array_get_length (array (root, "overseen_systems")), ==, 1);
  g_assert_cmpuint (json_array_get_length (array (root, "raci")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "raci", 0), "role"), ==, "A");
  g_assert_cmpuint (json_array_get_length (array (root, "assessments")), ==, 1);
  g_assert_cmpstr (text_of (element (root, "assessments", 0), "status"), ==, "compliant");
  g_assert_cmpstr (text_of (element (root, "assessments", 0), "evidence"), ==,
                   "Stichprobe von 20 Angeboten");

  /* The journal: entries about her, made by her, naming her; in order. */
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *entity_id = json_object_get_string_member (entry, "entity_id");
      const char *actor = json_object_get_string_member (entry, "actor");
      const char *after = json_object_get_string_member (entry, "after");

      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (entry, "id"), >,
                         json_object_get_int_member (json_array_get_object_element (entries, i - 1),
                                                     "id"));
      about += g_strcmp0 (entity_id, f->zoe) == 0;
      by += g_strcmp0 (actor, f->zoe) == 0;
      naming += g_strcmp0 (entity_id, f->zoe) != 0 && g_strcmp0 (actor, f->zoe) != 0;
      employee += after != NULL && strstr (after, ZOE_EMPLOYEE) != NULL;
    }
  /* Created, imported, five role changes. */
  g_assert_cmpuint (about, >=, 7);
  /* 40 settings, the policy, a vote, the publication, the system, … */
  g_assert_cmpuint (by, >=, 45);
  /* Max's acknowledgement for her (her uuid in the payload), Rita's
   * creation (her as manager). */
  g_assert_cmpuint (naming, >=, 2);
  g_assert_cmpuint (employee, >=, 1);
}

static void
test_export_xml (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) bytes = export (f, ZOE_EMAIL, KDX_PERSON_EXPORT_XML);
  g_autoptr(GBytes) again = export (f, f->zoe, KDX_PERSON_EXPORT_XML);
  g_autofree char *text = bytes_to_string (bytes);
  g_autofree char *report = g_strdup_printf ("<person uuid=\"%s\">Rita Report</person>", f->rita);
  g_autofree char *manager = g_strdup_printf ("<manager uuid=\"%s\">Max Mustermann</manager>",
                                              f->max);

  g_assert_true (g_bytes_equal (bytes, again));
  assert_valid_xml (bytes);
  {
    g_autoptr(GBytes) wrong = edited (bytes, "choice=\"approve\"", "choice=\"maybe\"");
    g_autoptr(GBytes) missing = edited (bytes, "<votes>", "<votes><ballot/>");

    g_assert_false (xml_is_valid (wrong));
    g_assert_false (xml_is_valid (missing));
  }

  assert_contains (text, "<person-export xmlns=\"urn:kodex:person:1\" version=\"1\">");
  assert_contains (text, "<name>" ZOE_NAME "</name>");
  assert_contains (text, "<email>" ZOE_EMAIL "</email>");
  assert_contains (text, "<employee-id>" ZOE_EMPLOYEE "</employee-id>");
  assert_contains (text, manager);
  assert_contains (text, report);
  assert_contains (text, "completed=\"2025-01-20\" score=\"87.5\"");
  assert_contains (text, "source=\"recertification\"");
  assert_contains (text, ">KI-Kompetenz</course>");
  assert_contains (text, "<vote round=\"1\" choice=\"approve\"");
  assert_contains (text, "<comment>Klar und kurz</comment>");
  assert_contains (text, "<acknowledgement ");
  assert_contains (text, "source=\"bulk\"");
  assert_contains (text, ">Kundenkommunikation mit KI</policy>");
  assert_contains (text, "<authored status=\"published\"");
  assert_contains (text, "as=\"business\">Angebotsassistent</system>");
  assert_contains (text, "<overseen-systems>\n    <system ");
  assert_contains (text, "role=\"A\">Angebotsassistent</system>");
  assert_contains (text, "<assessment status=\"compliant\" assessed=\"2026-03-02\">");
  assert_contains (text, "<evidence>Stichprobe von 20 Angeboten</evidence>");
  assert_contains (text, "entity=\"setting\" action=\"update\"");
  assert_contains (text, "<summary>Personalnummer " ZOE_EMPLOYEE " übernommen</summary>");
}

/* To a file: 0600 under umask 022, the same bytes as in memory, again on
 * a rerun. */
static void
test_export_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export (f, ZOE_EMAIL, KDX_PERSON_EXPORT_XML);
  g_autofree char *path = g_build_filename (f->dir, "zoe.xml", NULL);
  g_autofree char *first = NULL;
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  g_assert_true (kdx_privacy_export_person_to_file (f->store, ZOE_EMAIL, KDX_PERSON_EXPORT_XML,
                                                    path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kdx_test_file_mode (path), ==, 0600);
  first = kdx_test_checksum_file (path);
  g_assert_cmpstr (first, ==, expected);

  g_assert_true (kdx_privacy_export_person_to_file (f->store, ZOE_EMAIL, KDX_PERSON_EXPORT_XML,
                                                    path, NULL, &error));
  g_assert_no_error (error);
  kdx_test_assert_checksum (path, first);
  g_assert_cmpuint (kdx_test_file_mode (path), ==, 0600);
  kdx_test_assert_listing (f->dir, "Vertrieb.kodex\nVertrieb.kodex-shm\nVertrieb.kodex-wal\nzoe.xml");

  /* Nobody by that name: a message, and no file. */
  g_unlink (path);
  g_assert_false (kdx_privacy_export_person_to_file (f->store, "niemand@example.org",
                                                     KDX_PERSON_EXPORT_JSON, path, NULL, &error));
  g_assert_error (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "niemand@example.org"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------ */
/* Erasure                                                            */

static gint64
count (KdxStore   *store,
       const char *sql_text,
       gint64      person_id)
{
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, sql_text, NULL);

  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, person_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  return sqlite3_column_int64 (stmt, 0);
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  g_auto(KdxErasureReport) report = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPerson) erased = NULL;
  g_autoptr(KdxPerson) rita = NULL;
  g_autoptr(GBytes) max_json = NULL;
  g_autoptr(GBytes) max_xml = NULL;
  g_autoptr(GBytes) rita_json = NULL;
  g_autoptr(GBytes) own_xml = NULL;
  g_autoptr(GBytes) own_json = NULL;
  g_autoptr(JsonObject) own = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *backup = g_build_filename (f->dir, "Sicherung.kodex", NULL);
  g_autofree char *exchange = g_build_filename (f->dir, "Austausch.xml", NULL);
  g_autofree char *expected_pseudonym = g_strdup_printf ("Erased person %" G_GINT64_FORMAT,
                                                         f->zoe_id);
  gint64 people = kdx_person_count (f->store);
  gint64 votes = count (f->store, "SELECT count(*) FROM policy_vote WHERE person_id = ?1", f->zoe_id);
  gint64 acks = count (f->store, "SELECT count(*) FROM policy_ack WHERE person_id = ?1", f->zoe_id);
  gint64 done = count (f->store, "SELECT count(*) FROM assignment WHERE person_id = ?1 "
                       "AND completed IS NOT NULL", f->zoe_id);
  gint64 entries = kdx_test_journal_length (f->store);
  gint64 naming = count (f->store, "SELECT count(*) FROM journal WHERE ?1 AND ("
                         "summary LIKE '%Quagmire%' OR actor_name LIKE '%Quagmire%' OR "
                         "before LIKE '%Quagmire%' OR after LIKE '%Quagmire%' OR "
                         "after LIKE '%" ZOE_EMPLOYEE "%')", 1);

  g_assert_cmpint (votes, ==, 1);
  g_assert_cmpint (acks, ==, 1);
  g_assert_cmpint (done, ==, 1);
  g_assert_cmpint (naming, >, 40);
  /* The search finds what is there. */
  for (guint i = 0; erased_strings[i] != NULL; i++)
    assert_file_holds (f->path, erased_strings[i]);

  erase_zoe (f, &report);
  g_assert_cmpstr (report.pseudonym, ==, expected_pseudonym);
  g_assert_cmpuint (report.n_journal_rewritten, ==, naming);
  {
    g_autofree char *label = kdx_privacy_dup_pseudonym_label (report.pseudonym);

    g_assert_cmpstr (label, ==, expected_pseudonym);
    g_assert_null (kdx_privacy_dup_pseudonym_label ("Erased person X"));
    g_assert_null (kdx_privacy_dup_pseudonym_label ("Erased person "));
    g_assert_null (kdx_privacy_dup_pseudonym_label (ZOE_NAME));
  }

  /* The row stays, with its id, under the pseudonym; what made her
   * identifiable is gone. */
  erased = kdx_person_load (f->store, f->zoe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_person_get_name (erased), ==, expected_pseudonym);
  g_assert_null (kdx_person_get_email (erased));
  g_assert_null (kdx_person_get_role (erased));
  g_assert_null (kdx_person_get_department (erased));
  g_assert_null (kdx_person_get_manager (erased));
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM person WHERE id = ?1 AND "
                          "employee_id IS NULL AND sort_key = 'erased person ' || id", f->zoe_id),
                   ==, 1);
  g_assert_cmpint (kdx_person_count (f->store), ==, people);
  rita = kdx_person_load (f->store, f->rita, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_person_get_manager (rita), ==, f->zoe);
  g_assert_cmpstr (kdx_person_get_manager_name (rita), ==, expected_pseudonym);

  /* Her votes, acknowledgements and completions still count. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM policy_vote WHERE person_id = ?1",
                          f->zoe_id), ==, votes);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM policy_ack WHERE person_id = ?1",
                          f->zoe_id), ==, acks);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM assignment WHERE person_id = ?1 AND "
                          "completed IS NOT NULL", f->zoe_id), ==, done);

  /* Searching finds the pseudonym, not her. */
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM person_search "
                                              "WHERE person_search MATCH 'quagmire'"), ==, 0);
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM person_search "
                                              "WHERE person_search MATCH '\"erased person\"'"), ==, 1);

  /* One entry more, which verifies with the rewritten ones. */
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, entries + 1);
  assert_verifies (f->store);

  /* None of her strings in the file, its -wal, a backup, exports. */
  g_assert_true (kdx_store_backup (f->store, backup, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_exchange_export_xml (f->store, exchange, NULL, NULL, &error));
  g_assert_no_error (error);
  max_json = export (f, f->max, KDX_PERSON_EXPORT_JSON);
  max_xml = export (f, f->max, KDX_PERSON_EXPORT_XML);
  rita_json = export (f, f->rita, KDX_PERSON_EXPORT_JSON);
  own_json = export (f, f->zoe, KDX_PERSON_EXPORT_JSON);
  own_xml = export (f, f->zoe, KDX_PERSON_EXPORT_XML);
  assert_file_clean (f->path);
  assert_file_clean (wal);
  assert_file_clean (backup);
  assert_file_clean (exchange);
  assert_bytes_clean (max_json, "Max's export");
  assert_bytes_clean (max_xml, "Max's XML export");
  assert_bytes_clean (rita_json, "Rita's export");
  assert_bytes_clean (own_json, "the erased person's export");
  assert_bytes_clean (own_xml, "the erased person's XML export");
  g_assert_cmpuint (kdx_test_file_mode (backup), ==, 0600);
  g_assert_cmpuint (kdx_test_file_mode (exchange), ==, 0600);
  g_assert_cmpuint (kdx_test_file_mode (f->path), ==, 0600);
  g_assert_cmpuint (kdx_test_file_mode (wal), ==, 0600);

  /* What stays of her still exports, valid, with the erasure in it. */
  assert_valid_xml (own_xml);
  assert_valid_xml (max_xml);
  assert_valid_json (f, own_json);
  own = parse_json (own_json);
  g_assert_cmpstr (text_of (own, "person.name"), ==, expected_pseudonym);
  g_assert_cmpuint (json_array_get_length (array (own, "votes")), ==, 1);
  g_assert_cmpuint (json_array_get_length (array (own, "assignments")), ==, 2);
  {
    JsonArray *journal_entries = array (own, "journal");
    JsonObject *last = json_array_get_object_element (journal_entries,
                                                      json_array_get_length (journal_entries) - 1);

    g_assert_cmpstr (text_of (last, "entity"), ==, "erasure");
    g_assert_cmpstr (text_of (last, "action"), ==, "erase");
    g_assert_cmpstr (text_of (last, "summary"), ==, expected_pseudonym);
  }

  /* A second erasure is refused, and changes nothing. */
  g_assert_false (kdx_privacy_erase_person (f->store, f->zoe, NULL, NULL, &error));
  g_assert_error (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_ERASED);
  g_clear_error (&error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, entries + 1);
  /* By her address she is not found at all any more. */
  g_assert_false (kdx_privacy_erase_person (f->store, ZOE_EMAIL, NULL, NULL, &error));
  g_assert_error (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Closed and opened again, in stretches, and as kodex-cli verify does. */
  kdx_test_close (&f->store);
  assert_file_clean (f->path);
  assert_file_clean (wal);
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  for (guint stretches = 1; stretches <= 4; stretches++)
    {
      _kdx_journal_set_parallel (1, stretches);
      assert_verifies (f->store);
    }
  _kdx_journal_set_parallel (0, 0);
  {
    g_autoptr(GString) findings = g_string_new (NULL);

    g_assert_true (kdx_journal_verify_workspace (f->store, 0, NULL, findings, NULL, NULL, NULL,
                                                 &error));
    g_assert_no_error (error);
  }

  /* And she can be written about again without breaking anything. */
  {
    g_autoptr(GError) again = NULL;

    kdx_store_set_actor (f->store, f->zoe);
    g_assert_true (kdx_store_set_setting (f->store, "quorum", "majority:2", &again));
    g_assert_no_error (again);
    assert_verifies (f->store);
  }
}

/* A person with a quote in their name, and words that merely begin like
 * it: only the whole name is replaced, and JSON stays JSON. */
static void
test_erase_words (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = add_person (f->store, "Ann \"Nan\" Lee", "ann@example.org", "Recht",
                                      NULL, FALSE);
  g_autofree char *pseudonym = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *expected_summary = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *after = NULL;
  g_autofree char *other = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(KdxErasureReport) report = { 0 };
  g_autofree char *created_sql = g_strdup_printf ("SELECT id FROM journal WHERE entity = 'person' "
                                                  "AND action = 'create' AND entity_id = '%s'", uuid);
  gint64 created = kdx_test_db_int (kdx_store_get_db (f->store), created_sql);
  gint64 words;
  gint64 annual;

  journal (f->store, "note", NULL, "note", "Annual review by Ann \"Nan\" Lee, ANN@example.org",
           NULL, "{\"text\":\"Ann \\\"Nan\\\" Lee's annual review\",\"n\":1}");
  words = kdx_test_journal_length (f->store);
  journal (f->store, "note", NULL, "note", "Ann \"Nan\" Leeway and Annual", NULL, NULL);
  annual = kdx_test_journal_length (f->store);

  g_assert_true (kdx_privacy_erase_person (f->store, uuid, &report, NULL, &error));
  g_assert_no_error (error);
  pseudonym = g_strdup (report.pseudonym);
  g_assert_cmpuint (report.n_journal_rewritten, ==, 2);

  summary = kdx_test_db_text (kdx_store_get_db (f->store),
                              "SELECT summary FROM journal WHERE entity = 'note' ORDER BY id LIMIT 1");
  expected_summary = g_strdup_printf ("Annual review by %s, %s", pseudonym, pseudonym);
  g_assert_cmpstr (summary, ==, expected_summary);
  after = kdx_test_db_text (kdx_store_get_db (f->store),
                            "SELECT after FROM journal WHERE entity = 'note' ORDER BY id LIMIT 1");
  json_parser_load_from_data (parser, after, -1, &error);
  g_assert_no_error (error);
  expected_text = g_strdup_printf ("%s's annual review", pseudonym);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "text"), ==, expected_text);
  /* Not a whole name: left as it was. */
  other = kdx_test_db_text (kdx_store_get_db (f->store),
                            "SELECT summary FROM journal WHERE entity = 'note' ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (other, ==, "Ann \"Nan\" Leeway and Annual");
  {
    g_autoptr(KdxJournalEntry) entry = kdx_journal_load (f->store, created);
    g_autoptr(JsonParser) person = json_parser_new ();

    g_assert_cmpstr (kdx_journal_entry_get_summary (entry), ==, pseudonym);
    json_parser_load_from_data (person, kdx_journal_entry_get_after (entry), -1, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (words, <, annual);
  assert_verifies (f->store);
}

/* Max erases Zoë, then Max is erased: his name was in her erasure entry
 * (as its actor) and in entries that hers rewrote already (his changes of
 * her role). The later erasure vouches for those; all verifies. */
static void
test_erase_eraser (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(KdxErasureReport) report = { 0 };
  gint64 both;

  kdx_store_set_actor (f->store, f->max);
  erase_zoe (f, NULL);
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM journal WHERE entity = 'erasure' "
                                              "AND actor_name = 'Max Mustermann'"), ==, 1);
  both = kdx_store_count (f->store, "SELECT count(*) FROM journal WHERE actor_name = "
                                    "'Max Mustermann' AND entity = 'person' AND before LIKE "
                                    "'%Erased person%'");
  g_assert_cmpint (both, >, 0);

  kdx_store_set_actor (f->store, f->rita);
  g_assert_true (kdx_privacy_erase_person (f->store, "max@example.org", &report, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM journal WHERE "
                                              "summary LIKE '%Mustermann%' OR "
                                              "actor_name LIKE '%Mustermann%' OR "
                                              "before LIKE '%Mustermann%' OR "
                                              "after LIKE '%Mustermann%'"), ==, 0);
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM journal WHERE entity = 'erasure'"),
                   ==, 2);
  assert_verifies (f->store);
  kdx_test_close (&f->store);
  for (guint stretches = 1; stretches <= 3; stretches++)
    {
      g_autoptr(KdxStore) store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);

      _kdx_journal_set_parallel (1, stretches);
      assert_verifies (store);
      kdx_store_close (store);
    }
  _kdx_journal_set_parallel (0, 0);
  assert_file_clean (f->path);
}

static gint64
some_listed_id (KdxStore *store,
                gint64   *erasure_id)
{
  g_autoptr(GArray) ids = listed_ids (store, erasure_id);

  g_assert_cmpuint (ids->len, >, 3);

  return g_array_index (ids, gint64, ids->len / 2);
}

/* Editing an erased entry afterwards is found, and named. */
static void
test_tamper_erased_entry (Fixture       *f,
                          gconstpointer  data)
{
  gint64 erasure_id = 0;
  gint64 id;
  g_autofree char *edit = NULL;

  erase_zoe (f, NULL);
  id = some_listed_id (f->store, &erasure_id);
  kdx_test_close (&f->store);

  edit = g_strdup_printf ("UPDATE journal SET summary = summary || '!' WHERE id = %" G_GINT64_FORMAT,
                          id);
  kdx_test_raw_exec (f->path, edit);
  assert_fails_at (f->path, id);
}

/* An entry that the erasure did not rewrite and that was edited since
 * fails as before. */
static void
test_tamper_unlisted_entry (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;
  gint64 erasure_id = 0;
  gint64 id = 0;
  g_autofree char *edit = NULL;

  erase_zoe (f, NULL);
  ids = listed_ids (f->store, &erasure_id);
  for (gint64 i = 2; i < erasure_id && id == 0; i++)
    if (!array_holds (ids, i))
      id = i;
  g_assert_cmpint (id, >, 0);
  kdx_test_close (&f->store);

  edit = g_strdup_printf ("UPDATE journal SET summary = 'geändert' WHERE id = %" G_GINT64_FORMAT, id);
  kdx_test_raw_exec (f->path, edit);
  assert_fails_at (f->path, id);
}

/* The link of entry @id as it is now, over the stored hash of the one
 * before: what an attacker with the sqlite3 shell and sha256sum can
 * compute (the canonical form is in kdx-journal.c). */
static char *
forge_link (sqlite3 *db,
            gint64   id)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) canonical = g_string_new (NULL);
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *prev = NULL;
  g_autofree char *payload_hex = NULL;
  g_autofree char *query = g_strdup_printf ("SELECT hash FROM journal WHERE id = %" G_GINT64_FORMAT,
                                            id - 1);

  prev = kdx_test_db_text (db, query);
  g_assert_nonnull (prev);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT time, os_user, actor, actor_name, entity, "
                                           "entity_id, action, summary, before, after "
                                           "FROM journal WHERE id = ?1", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);

  g_string_append (canonical, prev);
  g_string_append_printf (canonical, "%" G_GINT64_FORMAT "\x1f", id);
  for (int i = 0; i < 8; i++)
    {
      const char *value = (const char *) sqlite3_column_text (stmt, i);

      if (value == NULL)
        g_string_append_c (canonical, '\0');
      else
        g_string_append (canonical, value);
      g_string_append_c (canonical, '\x1f');
    }
  if (sqlite3_column_text (stmt, 8) != NULL)
    g_string_append (payload, (const char *) sqlite3_column_text (stmt, 8));
  g_string_append_c (payload, '\x1e');
  if (sqlite3_column_text (stmt, 9) != NULL)
    g_string_append (payload, (const char *) sqlite3_column_text (stmt, 9));
  payload_hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) payload->str,
                                             payload->len);
  g_string_append (canonical, payload_hex);
  sqlite3_finalize (stmt);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) canonical->str,
                                      canonical->len);
}

/* An edited entry that a forged listing vouches for, with the right
 * digest: in the erasure entry itself, or in a new erasure entry at the
 * end. The listing's entry does not verify, so neither does the one it
 * vouches for, and that one is named. */
static void
test_tamper_forged_listing (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "Kopie.kodex", NULL);
  gint64 erasure_id = 0;
  gint64 id = 0;

  erase_zoe (f, NULL);
  ids = listed_ids (f->store, &erasure_id);
  /* An entry before every rewritten one: with the erasure entry edited,
   * none of its listing counts, and the first entry that fails is this. */
  for (gint64 i = 2; i < erasure_id && id == 0; i++)
    if (!array_holds (ids, i))
      id = i;
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (id, <, g_array_index (ids, gint64, 0));
  kdx_test_close (&f->store);
  kdx_test_copy_file (f->path, copy);

  /* The listing added to the erasure entry. */
  {
    sqlite3 *db = kdx_test_raw_open (f->path);
    g_autofree char *edit = g_strdup_printf ("UPDATE journal SET summary = 'gefälscht' "
                                             "WHERE id = %" G_GINT64_FORMAT, id);
    g_autofree char *link = NULL;
    g_autofree char *forge = NULL;

    kdx_test_db_exec (db, edit);
    link = forge_link (db, id);
    forge = g_strdup_printf ("UPDATE journal SET after = replace (after, '\"rewritten\":[', "
                             "'\"rewritten\":[{\"id\":%" G_GINT64_FORMAT ",\"digest\":\"%s\"},') "
                             "WHERE entity = 'erasure'", id, link);
    kdx_test_db_exec (db, forge);
    g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  }
  assert_fails_at (f->path, id);

  /* A new erasure entry, on the untouched copy. */
  {
    sqlite3 *db = kdx_test_raw_open (copy);
    g_autofree char *edit = g_strdup_printf ("UPDATE journal SET summary = 'gefälscht' "
                                             "WHERE id = %" G_GINT64_FORMAT, id);
    g_autofree char *link = NULL;
    g_autofree char *forge = NULL;

    kdx_test_db_exec (db, edit);
    link = forge_link (db, id);
    forge = g_strdup_printf ("INSERT INTO journal (id, time, entity, entity_id, action, after, hash) "
                             "SELECT max(id) + 1, '2026-01-01T00:00:00.000000Z', 'erasure', '%s', "
                             "'erase', '{\"rewritten\":[{\"id\":%" G_GINT64_FORMAT
                             ",\"digest\":\"%s\"}]}', hash FROM journal", f->max, id, link);
    kdx_test_db_exec (db, forge);
    g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  }
  assert_fails_at (copy, id);
}

/* While another connection reads an older state, the -wal cannot be
 * truncated: the erasure is done, and the caller told. */
static void
test_erase_checkpoint_busy (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) reader = kdx_store_open_reader (f->store, &error);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(KdxPerson) erased = NULL;

  g_assert_no_error (error);
  g_assert_true (kdx_store_exec (reader, "BEGIN", &error));
  g_assert_cmpint (kdx_store_count (reader, "SELECT count(*) FROM person"), >, 0);

  g_assert_false (kdx_privacy_erase_person (f->store, ZOE_EMAIL, NULL, NULL, &error));
  g_assert_error (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_CHECKPOINT);
  g_assert_nonnull (strstr (error->message, "Vertrieb.kodex-wal"));
  g_clear_error (&error);
  erased = kdx_person_load (f->store, f->zoe, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kdx_person_get_name (erased), "Erased person "));

  /* Once everyone has closed it, nothing is left. */
  g_assert_true (kdx_store_exec (reader, "COMMIT", &error));
  kdx_store_close (reader);
  kdx_test_close (&f->store);
  assert_file_clean (f->path);
  assert_file_clean (wal);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  umask (022);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/privacy/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("export/json", test_export_json);
  ADD ("export/xml", test_export_xml);
  ADD ("export/file", test_export_file);
  ADD ("erase", test_erase);
  ADD ("erase/words", test_erase_words);
  ADD ("erase/eraser", test_erase_eraser);
  ADD ("erase/checkpoint-busy", test_erase_checkpoint_busy);
  ADD ("tamper/erased-entry", test_tamper_erased_entry);
  ADD ("tamper/unlisted-entry", test_tamper_unlisted_entry);
  ADD ("tamper/forged-listing", test_tamper_forged_listing);

  rc = g_test_run ();
  kdx_test_templates_clear ();

  return rc;
}
