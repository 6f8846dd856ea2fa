/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalogs: reading Kodex and OSCAL catalog XML, the shipped catalogs in
 * every workspace (new or upgraded), an import as one journaled
 * transaction, and every refusal of SAFETY.md leaving the workspace as it
 * was.
 */
#define G_LOG_DOMAIN "kdx-test-catalog"

#include "config.h"

#include "kdx-test-util.h"

#include "kdx-catalog.h"
#include "kdx-core-resources.h"
#include "kdx-policy.h"

#include <json-glib/json-glib.h>

#define N_SHIPPED 6

static const char *shipped_keys[N_SHIPPED] = {
  "eu-ai-act", "gdpr", "hleg", "iso-42001", "kodex-practices", "nist-ai-rmf",
};

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
} Fixture;

/* A new workspace, made once and copied for each test: each has the
 * shipped catalogs. */
static void
build_new (const char *path)
{
  g_autoptr(KdxStore) store = kdx_test_create (path);

  kdx_test_close (&store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Rahmenwerke.kodex", NULL);
  kdx_test_from_template (build_new, f->path);
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static const char kodex_sample[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                      /* 1 */
  "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"test-act\" version=\"2024/1\"\n"      /* 2 */
  "         as-of=\"2025-03-01\">\n"                                                   /* 3 */
  "  <title xml:lang=\"en\">Test Act</title>\n"                                       /* 4 */
  "  <title xml:lang=\"de\">Testgesetz</title>\n"                                     /* 5 */
  "  <source url=\"https://example.org/act\">Official Journal L 1</source>\n"         /* 6 */
  "  <licence>Reuse allowed with acknowledgement.</licence>\n"                        /* 7 */
  "  <legal-status xml:lang=\"en\">In force since 1 August 2024.</legal-status>\n"    /* 8 */
  "  <legal-status xml:lang=\"de\">In Kraft seit 1. August 2024.</legal-status>\n"    /* 9 */
  "  <requirement id=\"ch-1\" label=\"Chapter I\">\n"                                 /* 10 */
  "    <title xml:lang=\"en\">General provisions</title>\n"                           /* 11 */
  "    <title xml:lang=\"de\">Allgemeine Bestimmungen</title>\n"                      /* 12 */
  "    <requirement id=\"art-4\" label=\"Art. 4\" applies-from=\"2025-02-02\">\n"     /* 13 */
  "      <title xml:lang=\"en\">AI literacy</title>\n"                                /* 14 */
  "      <title xml:lang=\"de\">KI-Kompetenz</title>\n"                               /* 15 */
  "      <summary xml:lang=\"en\">Providers and deployers\n"                          /* 16 */
  "        ensure AI literacy.\n\n        Of their staff.</summary>\n"                /* 17-19 */
  "      <summary xml:lang=\"de\">Anbieter und Betreiber sorgen für\n"                /* 20 */
  "        KI-Kompetenz.</summary>\n"                                                 /* 21 */
  "      <legal-status xml:lang=\"en\">Applies from 2 February 2025.</legal-status>\n"
  "    </requirement>\n"
  "  </requirement>\n"
  "  <requirement id=\"art-5\"><title xml:lang=\"en\">Prohibited &amp; banned practices"
  "</title></requirement>\n"
  "</catalog>\n";

static const char oscal_sample[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\" xmlns:x=\"urn:example:ext\"\n"
  "         uuid=\"74C8BA1E-5CD4-4AD1-BBFD-D888E2F6C724\">\n"
  "  <metadata>\n"
  "    <title>Sales <em>AI</em> Controls (Rev. 2)</title>\n"
  "    <last-modified>2024-05-06T10:00:00.000-04:00</last-modified>\n"
  "    <version>2.1</version>\n"
  "    <oscal-version>1.1.2</oscal-version>\n"
  "    <party uuid=\"0b1e0bdc-0000-4000-8000-000000000001\" type=\"organization\">"
  "<name>Example Org</name></party>\n"
  "  </metadata>\n"
  "  <group id=\"ac\" class=\"family\">\n"
  "    <title>Access Control</title>\n"
  "    <control id=\"ac-1\" class=\"SP800-53\">\n"
  "      <title>Policy and <em>Procedures</em></title>\n"
  "      <param id=\"ac-1_prm_1\"><label>organization-defined personnel</label></param>\n"
  "      <param id=\"ac-1_prm_2\"><select how-many=\"one-or-more\">"
  "<choice>organization-level</choice><choice>system-level</choice></select></param>\n"
  "      <prop name=\"label\" class=\"sp800-53a\" ns=\"urn:example:ns\" value=\"AC-01\"/>\n"
  "      <prop name=\"label\" value=\"AC-1\"/>\n"
  "      <prop name=\"sort-id\" value=\"ac-01\"/>\n"
  "      <link href=\"#ref-1\" rel=\"reference\"/>\n"
  "      <x:extension>ignored text</x:extension>\n"
  "      <part id=\"ac-1_gdn\" name=\"guidance\">\n"
  "        <p>Guidance comes <strong>after</strong> the statement.</p>\n"
  "      </part>\n"
  "      <part id=\"ac-1_smt\" name=\"statement\">\n"
  "        <part id=\"ac-1_smt.a\" name=\"item\">\n"
  "          <prop name=\"label\" value=\"a.\"/>\n"
  "          <p>Develop and disseminate to <insert type=\"param\" id-ref=\"ac-1_prm_1\"/>:</p>\n"
  "          <part id=\"ac-1_smt.a.1\" name=\"item\">\n"
  "            <prop name=\"label\" value=\"1.\"/>\n"
  "            <p><insert type=\"param\" id-ref=\"ac-1_prm_2\"/> access control policy</p>\n"
  "          </part>\n"
  "        </part>\n"
  "      </part>\n"
  "      <part id=\"ac-1_obj\" name=\"assessment-objective\">\n"
  "        <title>Determine if</title>\n"
  "        <ul><li>the policy is\n   developed;</li><li>it is <a href=\"#x\">disseminated</a>."
  "</li></ul>\n"
  "      </part>\n"
  "      <part id=\"ac-1_empty\" name=\"overview\"/>\n"
  "    </control>\n"
  "    <control id=\"ac-2\">\n"
  "      <title>Account Management</title>\n"
  "      <part id=\"ac-2_smt\" name=\"statement\"><p>Manage accounts.</p></part>\n"
  "      <control id=\"ac-2.1\" class=\"SP800-53-enhancement\">\n"
  "        <title>Automated Account Management</title>\n"
  "        <prop name=\"label\" value=\"AC-2(1)\"/>\n"
  "        <part id=\"ac-2.1_smt\" name=\"statement\"><p>Support the management "
  "of accounts using <insert type=\"param\" id-ref=\"unknown_prm\"/>.</p></part>\n"
  "      </control>\n"
  "    </control>\n"
  "  </group>\n"
  "  <group>\n"
  "    <title>Unnamed group</title>\n"
  "    <control id=\"pm-1\"><title>Program Plan</title></control>\n"
  "  </group>\n"
  "  <back-matter><resource uuid=\"0b1e0bdc-0000-4000-8000-000000000002\">"
  "<title>Reference</title></resource></back-matter>\n"
  "</catalog>\n";

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static KdxCatalogData *
parse_ok (const char       *text,
          KdxCatalogFormat  format)
{
  g_autoptr(GBytes) bytes = bytes_of (text);
  g_autoptr(GError) error = NULL;
  KdxCatalogData *data = kdx_catalog_parse (bytes, format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (data);

  return data;
}

static KdxRequirement *
requirement_at (KdxCatalogData *data,
                guint           i)
{
  g_assert_cmpuint (i, <, data->requirements->len);

  return g_ptr_array_index (data->requirements, i);
}

static char *
write_temp (Fixture    *f,
            const char *name,
            const char *data,
            gssize      length)
{
  char *path = g_build_filename (f->dir, name, NULL);

  kdx_test_write_file (path, data, length < 0 ? (gssize) strlen (data) : length);

  return path;
}

/* ------------------------------------------------------------------ */

static void
test_parse_kodex (void)
{
  g_autoptr(KdxCatalogData) data = parse_ok (kodex_sample, KDX_CATALOG_FORMAT_AUTO);
  KdxCatalog *c = data->catalog;
  KdxRequirement *r;

  g_assert_cmpstr (c->key, ==, "test-act");
  g_assert_cmpstr (c->format, ==, "kodex");
  g_assert_cmpstr (c->title_en, ==, "Test Act");
  g_assert_cmpstr (c->title_de, ==, "Testgesetz");
  g_assert_cmpstr (c->version, ==, "2024/1");
  g_assert_cmpstr (c->as_of, ==, "2025-03-01");
  g_assert_cmpstr (c->source, ==, "Official Journal L 1");
  g_assert_cmpstr (c->source_url, ==, "https://example.org/act");
  g_assert_cmpstr (c->licence, ==, "Reuse allowed with acknowledgement.");
  g_assert_cmpstr (c->legal_status_en, ==, "In force since 1 August 2024.");
  g_assert_cmpstr (c->legal_status_de, ==, "In Kraft seit 1. August 2024.");
  g_assert_true (g_uuid_string_is_valid (c->uuid));
  g_assert_cmpuint (c->n_requirements, ==, 3);
  g_assert_cmpuint (data->requirements->len, ==, 3);

  r = requirement_at (data, 0);
  g_assert_cmpstr (r->code, ==, "ch-1");
  g_assert_cmpstr (r->label, ==, "Chapter I");
  g_assert_null (r->parent);
  g_assert_cmpuint (r->depth, ==, 0);
  g_assert_cmpuint (r->position, ==, 0);
  g_assert_cmpstr (r->title_de, ==, "Allgemeine Bestimmungen");
  g_assert_null (r->text_en);

  r = requirement_at (data, 1);
  g_assert_cmpstr (r->code, ==, "art-4");
  g_assert_cmpstr (r->catalog, ==, "test-act");
  g_assert_cmpstr (r->parent, ==, "ch-1");
  g_assert_cmpuint (r->depth, ==, 1);
  g_assert_cmpuint (r->position, ==, 1);
  g_assert_cmpstr (r->applies_from, ==, "2025-02-02");
  g_assert_cmpstr (r->title_en, ==, "AI literacy");
  /* Indentation goes, paragraphs stay. */
  g_assert_cmpstr (r->text_en, ==, "Providers and deployers ensure AI literacy.\n\nOf their staff.");
  g_assert_cmpstr (r->text_de, ==, "Anbieter und Betreiber sorgen für KI-Kompetenz.");
  g_assert_cmpstr (r->legal_status_en, ==, "Applies from 2 February 2025.");
  g_assert_null (r->legal_status_de);

  r = requirement_at (data, 2);
  g_assert_cmpstr (r->code, ==, "art-5");
  g_assert_cmpstr (r->label, ==, "art-5");   /* no label: the id */
  g_assert_cmpstr (r->title_en, ==, "Prohibited & banned practices");
  g_assert_null (r->title_de);
  g_assert_cmpuint (r->depth, ==, 0);

  /* Asked for explicitly, the same; as OSCAL, refused. */
  {
    g_autoptr(KdxCatalogData) again = parse_ok (kodex_sample, KDX_CATALOG_FORMAT_KODEX);
    g_autoptr(GBytes) bytes = bytes_of (kodex_sample);
    g_autoptr(GError) error = NULL;
    g_autoptr(KdxCatalogData) none = kdx_catalog_parse (bytes, KDX_CATALOG_FORMAT_OSCAL, &error);

    g_assert_cmpstr (again->catalog->uuid, ==, c->uuid);
    g_assert_null (none);
    g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_UNSUPPORTED);
  }
}

static void
test_language (void)
{
  g_autoptr(KdxCatalogData) data = parse_ok (kodex_sample, KDX_CATALOG_FORMAT_AUTO);
  KdxCatalog *c = data->catalog;
  KdxRequirement *art4 = requirement_at (data, 1);
  KdxRequirement *art5 = requirement_at (data, 2);
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  g_setenv ("LANGUAGE", "de_DE", TRUE);
  g_assert_true (kdx_prefer_german ());
  g_assert_cmpstr (kdx_catalog_get_title (c), ==, "Testgesetz");
  g_assert_cmpstr (kdx_catalog_get_legal_status (c), ==, "In Kraft seit 1. August 2024.");
  g_assert_cmpstr (kdx_requirement_get_title (art4), ==, "KI-Kompetenz");
  g_assert_cmpstr (kdx_requirement_get_text (art4), ==,
                   "Anbieter und Betreiber sorgen für KI-Kompetenz.");
  /* German where there is German; English otherwise. */
  g_assert_cmpstr (kdx_requirement_get_legal_status (art4), ==, "Applies from 2 February 2025.");
  g_assert_cmpstr (kdx_requirement_get_title (art5), ==, "Prohibited & banned practices");

  /* Kodex has no French: gettext falls back to German. */
  g_setenv ("LANGUAGE", "fr:de", TRUE);
  g_assert_true (kdx_prefer_german ());

  g_setenv ("LANGUAGE", "en_GB:de", TRUE);
  g_assert_false (kdx_prefer_german ());
  g_assert_cmpstr (kdx_catalog_get_title (c), ==, "Test Act");
  g_assert_cmpstr (kdx_requirement_get_title (art4), ==, "AI literacy");
  g_assert_cmpstr (kdx_requirement_get_text (art4), ==,
                   "Providers and deployers ensure AI literacy.\n\nOf their staff.");

  /* "dev" or "dek" are not German. */
  g_setenv ("LANGUAGE", "dek", TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANG");
  g_assert_false (kdx_prefer_german ());

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
}

static void
test_parse_oscal (void)
{
  g_autoptr(KdxCatalogData) data = parse_ok (oscal_sample, KDX_CATALOG_FORMAT_AUTO);
  KdxCatalog *c = data->catalog;
  KdxRequirement *r;

  g_assert_cmpstr (c->format, ==, "oscal");
  g_assert_cmpstr (c->key, ==, "oscal-sales-ai-controls-rev-2");
  g_assert_cmpstr (c->title_en, ==, "Sales AI Controls (Rev. 2)");
  g_assert_null (c->title_de);
  g_assert_cmpstr (c->uuid, ==, "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724");
  g_assert_cmpstr (c->version, ==, "2.1");
  g_assert_cmpstr (c->as_of, ==, "2024-05-06");
  g_assert_cmpstr (c->source, ==, "OSCAL catalog");
  g_assert_nonnull (c->licence);
  g_assert_cmpuint (data->requirements->len, ==, 6);

  r = requirement_at (data, 0);
  g_assert_cmpstr (r->code, ==, "ac");
  g_assert_cmpstr (r->label, ==, "ac");
  g_assert_cmpstr (r->title_en, ==, "Access Control");
  g_assert_cmpuint (r->depth, ==, 0);
  g_assert_null (r->text_en);

  r = requirement_at (data, 1);
  g_assert_cmpstr (r->code, ==, "ac-1");
  g_assert_cmpstr (r->label, ==, "AC-1");   /* the plain label, not the one of another ns */
  g_assert_cmpstr (r->parent, ==, "ac");
  g_assert_cmpuint (r->depth, ==, 1);
  g_assert_cmpstr (r->title_en, ==, "Policy and Procedures");
  /* The statement first, with its items' labels and the parameters; then
   * the other parts in order, each under its heading; no empty heading. */
  g_assert_cmpstr (r->text_en, ==,
                   "a. Develop and disseminate to [Assignment: organization-defined personnel]:"
                   "\n\n"
                   "1. [Selection (one or more): organization-level; system-level] access "
                   "control policy"
                   "\n\n"
                   "Guidance\n\nGuidance comes after the statement."
                   "\n\n"
                   "Determine if\n\nthe policy is developed;\n\nit is disseminated.");

  r = requirement_at (data, 2);
  g_assert_cmpstr (r->code, ==, "ac-2");
  g_assert_cmpstr (r->label, ==, "ac-2");
  g_assert_cmpstr (r->text_en, ==, "Manage accounts.");

  r = requirement_at (data, 3);
  g_assert_cmpstr (r->code, ==, "ac-2.1");
  g_assert_cmpstr (r->label, ==, "AC-2(1)");
  g_assert_cmpstr (r->parent, ==, "ac-2");
  g_assert_cmpuint (r->depth, ==, 2);
  g_assert_cmpuint (r->position, ==, 3);
  g_assert_cmpstr (r->text_en, ==, "Support the management of accounts using [unknown_prm].");

  r = requirement_at (data, 4);
  g_assert_cmpstr (r->code, ==, "group-2");
  g_assert_cmpstr (r->title_en, ==, "Unnamed group");

  r = requirement_at (data, 5);
  g_assert_cmpstr (r->code, ==, "pm-1");
  g_assert_cmpstr (r->parent, ==, "group-2");
}

/* A catalog whose title has no letters Kodex can put in a key. */
static void
test_oscal_key_fallback (void)
{
  static const char text[] =
    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\" uuid=\"ABCDEF12-0000-4000-8000-1\">"
    "<metadata><title>Контроль – 控制</title></metadata>"
    "<control id=\"c-1\"><title>One</title></control></catalog>";
  g_autoptr(KdxCatalogData) data = parse_ok (text, KDX_CATALOG_FORMAT_OSCAL);

  g_assert_cmpstr (data->catalog->key, ==, "oscal-abcdef12");
  /* Not a valid uuid: one made from the key. */
  g_assert_true (g_uuid_string_is_valid (data->catalog->uuid));
  g_assert_null (data->catalog->as_of);
}

/* ------------------------------------------------------------------ */

/* Every shipped catalog is there, and @n_more others. */
static void
assert_shipped (KdxStore *store,
                guint     n_more)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) catalogs = kdx_catalog_list (store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (catalogs->len, ==, N_SHIPPED + n_more);
  for (guint i = 0; i < N_SHIPPED; i++)
    {
      g_autoptr(KdxCatalog) catalog = kdx_catalog_load (store, shipped_keys[i], &error);
      g_autoptr(GPtrArray) requirements = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (catalog);
      g_assert_true (catalog->shipped);
      g_assert_cmpstr (catalog->format, ==, "kodex");
      g_assert_cmpuint (catalog->n_requirements, >=, 1);
      g_assert_nonnull (catalog->imported);

      requirements = kdx_catalog_list_requirements (store, shipped_keys[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (requirements->len, ==, catalog->n_requirements);
    }
}

static void
test_shipped (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *before = kdx_test_journal_head (f->store);

  assert_shipped (f->store, 0);

  /* Each file reads as it is. */
  names = g_resource_enumerate_children (kdx_core_get_resource (),
                                         "/io/github/kodexapp/Kodex/core/catalogs/", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, N_SHIPPED);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat ("/io/github/kodexapp/Kodex/core/catalogs/", names[i],
                                           NULL);
      g_autoptr(GBytes) bytes = g_resource_lookup_data (kdx_core_get_resource (), path, 0, &error);
      g_autoptr(KdxCatalogData) parsed = NULL;
      g_autofree char *expected = g_strndup (names[i], strlen (names[i]) - strlen (".xml"));

      g_assert_no_error (error);
      parsed = kdx_catalog_parse (bytes, KDX_CATALOG_FORMAT_AUTO, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (parsed->catalog->key, ==, expected);
      g_assert_cmpuint (parsed->requirements->len, >=, 1);
      g_assert_nonnull (parsed->catalog->as_of);
      g_assert_nonnull (parsed->catalog->source);
      g_assert_nonnull (parsed->catalog->licence);
    }

  /* A second installation adds nothing. */
  g_assert_true (kdx_catalog_install_shipped (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM catalog"), ==, N_SHIPPED);
  kdx_test_assert_head (f->store, before);

  /* A new workspace's journal begins with its creation. */
  {
    g_autoptr(KdxJournalEntry) first = kdx_journal_load (f->store, 1);

    g_assert_cmpstr (kdx_journal_entry_get_entity (first), ==, "workspace");
    g_assert_cmpstr (kdx_journal_entry_get_action (first), ==, "create");
  }
}

static void
test_remove_shipped (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = kdx_test_journal_head (f->store);

  g_assert_false (kdx_catalog_remove (f->store, "gdpr", &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "comes with Kodex"));
  g_clear_error (&error);
  assert_shipped (f->store, 0);
  kdx_test_assert_head (f->store, before);

  g_assert_false (kdx_catalog_remove (f->store, "no-such-catalog", &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_NOT_FOUND);
}

static void
on_changed (KdxStore   *store,
            const char *entity,
            GArray     *ids,
            gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_import_oscal (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *file = write_temp (f, "controls.xml", oscal_sample, -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autoptr(KdxCatalog) catalog = NULL;
  g_autoptr(GPtrArray) requirements = NULL;
  g_autoptr(KdxRequirement) found = NULL;
  g_autoptr(KdxRequirement) loaded = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GPtrArray) catalogs = NULL;
  gint64 length = kdx_test_journal_length (f->store);
  guint changed = 0;
  KdxRequirement *r;

  g_signal_connect (f->store, "changed::catalog", G_CALLBACK (on_changed), &changed);
  g_assert_true (kdx_catalog_import_file (f->store, file, KDX_CATALOG_FORMAT_AUTO, &key, &error) ||
                 error != NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "oscal-sales-ai-controls-rev-2");
  g_assert_cmpuint (changed, ==, 1);

  /* One journal entry that says what came in. */
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 1);
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "catalog");
  g_assert_cmpstr (kdx_journal_entry_get_entity_id (entry), ==, key);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "import");
  g_assert_nonnull (strstr (kdx_journal_entry_get_summary (entry), "6"));
  after = json_from_string (kdx_journal_entry_get_after (entry), &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (after), "requirements"), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after), "title_en"), ==,
                   "Sales AI Controls (Rev. 2)");

  catalog = kdx_catalog_load (f->store, key, &error);
  g_assert_no_error (error);
  g_assert_false (catalog->shipped);
  g_assert_cmpstr (catalog->format, ==, "oscal");
  g_assert_cmpstr (catalog->as_of, ==, "2024-05-06");
  g_assert_cmpuint (catalog->n_requirements, ==, 6);

  catalogs = kdx_catalog_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (catalogs->len, ==, N_SHIPPED + 1);

  requirements = kdx_catalog_list_requirements (f->store, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requirements->len, ==, 6);
  for (guint i = 0; i < requirements->len; i++)
    g_assert_cmpuint (((KdxRequirement *) g_ptr_array_index (requirements, i))->position, ==, i);
  r = g_ptr_array_index (requirements, 3);
  g_assert_cmpstr (r->code, ==, "ac-2.1");
  g_assert_cmpstr (r->parent, ==, "ac-2");
  g_assert_cmpuint (r->depth, ==, 2);
  g_assert_cmpstr (r->catalog, ==, key);

  found = kdx_requirement_find (f->store, key, "ac-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->label, ==, "AC-1");
  g_assert_true (g_str_has_prefix (found->text_en, "a. Develop and disseminate"));
  loaded = kdx_requirement_load (f->store, found->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->code, ==, "ac-1");
  g_assert_cmpstr (loaded->parent, ==, "ac");

  g_assert_null (kdx_requirement_find (f->store, key, "zz-9", &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The same file again: refused, the first import named. */
  length = kdx_test_journal_length (f->store);
  g_assert_false (kdx_catalog_import_file (f->store, file, KDX_CATALOG_FORMAT_OSCAL, NULL, &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Remove it first"));
  g_clear_error (&error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length);

  /* Removed: gone with its requirements, journaled. */
  g_assert_true (kdx_catalog_remove (f->store, key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 1);
  g_clear_pointer (&entry, g_object_unref);
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "remove");
  g_assert_cmpstr (kdx_journal_entry_get_entity_id (entry), ==, key);
  g_assert_null (kdx_catalog_load (f->store, key, &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM requirement r "
                                              "WHERE NOT EXISTS (SELECT 1 FROM catalog c "
                                              "WHERE c.id = r.catalog_id)"), ==, 0);
  g_assert_true (kdx_journal_verify (f->store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_import_kodex_reopen (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *file = write_temp (f, "test-act.xml", kodex_sample, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCatalog) catalog = NULL;
  g_autoptr(GPtrArray) requirements = NULL;
  g_autoptr(KdxRequirement) art4 = NULL;
  g_autofree char *key = NULL;

  g_assert_true (kdx_catalog_import_file (f->store, file, KDX_CATALOG_FORMAT_KODEX, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "test-act");

  kdx_test_close (&f->store);
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);

  assert_shipped (f->store, 1);
  catalog = kdx_catalog_load (f->store, "test-act", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (catalog->title_de, ==, "Testgesetz");
  g_assert_cmpstr (catalog->legal_status_de, ==, "In Kraft seit 1. August 2024.");
  g_assert_cmpstr (catalog->source_url, ==, "https://example.org/act");
  g_assert_cmpstr (catalog->version, ==, "2024/1");
  g_assert_cmpuint (catalog->n_requirements, ==, 3);

  requirements = kdx_catalog_list_requirements (f->store, "test-act", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requirements->len, ==, 3);
  art4 = kdx_requirement_find (f->store, "test-act", "art-4", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (art4->label, ==, "Art. 4");
  g_assert_cmpstr (art4->parent, ==, "ch-1");
  g_assert_cmpstr (art4->applies_from, ==, "2025-02-02");
  g_assert_cmpstr (art4->title_de, ==, "KI-Kompetenz");
  g_assert_cmpstr (art4->text_de, ==, "Anbieter und Betreiber sorgen für KI-Kompetenz.");
  g_assert_cmpstr (art4->legal_status_en, ==, "Applies from 2 February 2025.");
}

/* A requirement mapped by a policy keeps its catalog. */
static void
test_remove_mapped (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *file = write_temp (f, "test-act.xml", kodex_sample, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(KdxPerson) owner = kdx_test_add_person (f->store, "Olga Owner", "olga@example.org",
                                                    "Recht", "Leitung");
  g_autofree char *before = NULL;

  g_assert_true (kdx_catalog_import_file (f->store, file, KDX_CATALOG_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);
  kdx_policy_set_title (policy, "KI-Kompetenz im Vertrieb");
  kdx_policy_set_owner (policy, kdx_person_get_uuid (owner));
  g_assert_true (kdx_policy_create (f->store, policy, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (kdx_store_begin (f->store, &error));
  g_assert_true (kdx_store_exec (f->store,
                                 "INSERT INTO policy_requirement (policy_id, requirement_id, created) "
                                 "SELECT p.id, r.id, '2025-01-01' FROM policy p, requirement r "
                                 "WHERE r.code = 'art-4' AND r.catalog_id = "
                                 "(SELECT id FROM catalog WHERE key = 'test-act')", &error));
  g_assert_true (kdx_store_commit (f->store, &error));
  g_assert_no_error (error);

  before = kdx_test_journal_head (f->store);
  g_assert_false (kdx_catalog_remove (f->store, "test-act", &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "1 link"));
  kdx_test_assert_head (f->store, before);
  g_assert_cmpint (kdx_store_count (f->store, "SELECT count(*) FROM requirement r JOIN catalog c "
                                              "ON c.id = r.catalog_id WHERE c.key = 'test-act'"),
                   ==, 3);
}

/* ------------------------------------------------------------------ */
/* Refusals                                                           */

typedef struct
{
  const char      *name;
  const char      *text;        /* or NULL: make() */
  GBytes         *(*make) (void);
  KdxCatalogError  code;
  const char      *expect[3];   /* in the message */
} Refusal;

static GBytes *
make_too_many (void)
{
  GString *s = g_string_new ("<catalog xmlns=\"urn:kodex:catalog:1\" id=\"many\" as-of=\"2025-01-01\">"
                             "<title xml:lang=\"en\">Many</title><source>s</source>"
                             "<licence>l</licence>\n");

  for (guint i = 0; i <= KDX_CATALOG_MAX_REQUIREMENTS; i++)
    g_string_append_printf (s, "<requirement id=\"r%u\"><title xml:lang=\"en\">R</title>"
                               "</requirement>\n", i);
  g_string_append (s, "</catalog>\n");

  return g_string_free_to_bytes (s);
}

static GBytes *
make_too_deep (void)
{
  GString *s = g_string_new ("<catalog xmlns=\"urn:kodex:catalog:1\" id=\"deep\" as-of=\"2025-01-01\">"
                             "<title xml:lang=\"en\">Deep</title><source>s</source>"
                             "<licence>l</licence>\n");

  for (guint i = 0; i <= KDX_CATALOG_MAX_DEPTH; i++)
    g_string_append_printf (s, "<requirement id=\"r%u\"><title xml:lang=\"en\">R</title>\n", i);
  for (guint i = 0; i <= KDX_CATALOG_MAX_DEPTH; i++)
    g_string_append (s, "</requirement>");
  g_string_append (s, "</catalog>\n");

  return g_string_free_to_bytes (s);
}

static GBytes *
make_deep_markup (void)
{
  GString *s = g_string_new ("<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">"
                             "<metadata><title>Deep</title></metadata>"
                             "<control id=\"c\"><title>C</title><part name=\"statement\"><p>\n");

  for (guint i = 0; i < 100000; i++)
    g_string_append (s, "<em>");
  g_string_append (s, "x");
  for (guint i = 0; i < 100000; i++)
    g_string_append (s, "</em>");
  g_string_append (s, "</p></part></control></catalog>\n");

  return g_string_free_to_bytes (s);
}

static GBytes *
make_too_large (void)
{
  gsize size = KDX_CATALOG_MAX_BYTES + 1;
  char *data = g_malloc (size);
  const char *head = "<catalog xmlns=\"urn:kodex:catalog:1\"><!--";

  memset (data, ' ', size);
  memcpy (data, head, strlen (head));

  return g_bytes_new_take (data, size);
}

static GBytes *
make_long_text (void)
{
  GString *s = g_string_new ("<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
                             "<metadata><title>Long</title></metadata>\n"
                             "<control id=\"c\"><title>C</title><part name=\"statement\">\n");

  for (guint i = 0; i < 3000; i++)
    g_string_append (s, "<p>A paragraph of one hundred characters, or close to it, repeated "
                        "until the text is too long.</p>\n");
  g_string_append (s, "</part></control></catalog>\n");

  return g_string_free_to_bytes (s);
}

static GBytes *
make_utf16_doctype (void)
{
  const char *text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
                     "<!DOCTYPE catalog [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                     "<catalog xmlns=\"urn:kodex:catalog:1\">&x;</catalog>\n";
  glong n = 0;
  g_autofree gunichar2 *utf16 = g_utf8_to_utf16 (text, -1, NULL, &n, NULL);
  GByteArray *bytes = g_byte_array_new ();
  const guint8 bom[] = { 0xFF, 0xFE };

  g_byte_array_append (bytes, bom, 2);
  g_byte_array_append (bytes, (const guint8 *) utf16, (guint) (n * 2));

  return g_byte_array_free_to_bytes (bytes);
}

#define KODEX_HEAD \
  "<?xml version=\"1.0\"?>\n" \
  "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"bad\" as-of=\"2025-01-01\">\n" \
  "  <title xml:lang=\"en\">Bad</title>\n" \
  "  <source>s</source>\n" \
  "  <licence>l</licence>\n"

static const Refusal refusals[] = {
  { "doctype",
    "<?xml version=\"1.0\"?>\n<!DOCTYPE catalog>\n<catalog xmlns=\"urn:kodex:catalog:1\"/>\n",
    NULL, KDX_CATALOG_ERROR_FORBIDDEN, { "Line 2:", "document type declaration", NULL } },
  { "billion-laughs",
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n"
    "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"lol\" as-of=\"2025-01-01\">"
    "<title xml:lang=\"en\">&lol9;</title></catalog>\n",
    NULL, KDX_CATALOG_ERROR_FORBIDDEN, { "Line 2:", "document type declaration", NULL } },
  { "external-entity",
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE catalog [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\"><metadata><title>&xxe;</title>"
    "</metadata></catalog>\n",
    NULL, KDX_CATALOG_ERROR_FORBIDDEN, { "Line 2:", "document type declaration", NULL } },
  { "utf16-doctype", NULL, make_utf16_doctype, KDX_CATALOG_ERROR_FORBIDDEN,
    { "document type declaration", NULL } },
  { "undefined-entity",
    KODEX_HEAD
    "  <requirement id=\"a\"><title xml:lang=\"en\">&nbsp;A</title></requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 6:", "not well-formed", NULL } },
  { "not-well-formed",
    KODEX_HEAD
    "  <requirement id=\"a\">\n"
    "    <title xml:lang=\"en\">A</titel>\n"
    "  </requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 7:", "not well-formed", NULL } },
  { "truncated",
    KODEX_HEAD
    "  <requirement id=\"a\">\n"
    "    <title xml:lang=\"en\">A</title>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line ", "not well-formed", NULL } },
  { "invalid-language",
    KODEX_HEAD
    "  <requirement id=\"a\">\n"
    "    <title xml:lang=\"fr\">A</title>\n"
    "  </requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 7:", "schema", NULL } },
  { "invalid-no-title",
    KODEX_HEAD
    "  <requirement id=\"a\">\n"
    "  </requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 6:", "title", NULL } },
  { "invalid-id",
    KODEX_HEAD
    "  <requirement id=\"a b\"><title xml:lang=\"en\">A</title></requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 6:", "schema", NULL } },
  { "no-english-title",
    KODEX_HEAD
    "  <requirement id=\"a\">\n"
    "    <title xml:lang=\"de\">A</title>\n"
    "  </requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 6:", "no English title", NULL } },
  { "two-english-titles",
    KODEX_HEAD
    "  <requirement id=\"a\">\n"
    "    <title xml:lang=\"en\">A</title>\n"
    "    <title xml:lang=\"en\">B</title>\n"
    "  </requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 8:", "twice", NULL } },
  { "empty-kodex",
    KODEX_HEAD
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line ", NULL } },
  { "duplicate-id",
    KODEX_HEAD
    "  <requirement id=\"art-1\"><title xml:lang=\"en\">A</title>\n"
    "    <requirement id=\"art-2\"><title xml:lang=\"en\">B</title></requirement>\n"
    "  </requirement>\n"
    "  <requirement id=\"art-2\"><title xml:lang=\"en\">C</title></requirement>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_DUPLICATE, { "Line 9:", "“art-2”", "line 7" } },
  { "duplicate-id-oscal",
    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
    "<metadata><title>Dup</title></metadata>\n"
    "<group id=\"g\"><title>G</title>\n"
    "<control id=\"c-1\"><title>One</title></control>\n"
    "<control id=\"c-1\"><title>Two</title></control>\n"
    "</group></catalog>\n",
    NULL, KDX_CATALOG_ERROR_DUPLICATE, { "Line 5:", "“c-1”", "line 4" } },
  { "too-many", NULL, make_too_many, KDX_CATALOG_ERROR_TOO_LARGE, { "50000", NULL } },
  { "too-deep", NULL, make_too_deep, KDX_CATALOG_ERROR_TOO_LARGE,
    { "Line 18:", "16 levels", NULL } },
  { "deep-markup", NULL, make_deep_markup, KDX_CATALOG_ERROR_TOO_LARGE,
    { "Line 2:", "nested", NULL } },
  { "too-large", NULL, make_too_large, KDX_CATALOG_ERROR_TOO_LARGE, { "32 MiB", NULL } },
  { "long-text", NULL, make_long_text, KDX_CATALOG_ERROR_TOO_LARGE, { "Line ", "256 KiB", NULL } },
  { "control-without-id",
    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
    "<metadata><title>No id</title></metadata>\n"
    "<control><title>One</title></control>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 3:", "no id", NULL } },
  { "empty-oscal",
    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
    "<metadata><title>Nothing</title></metadata>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 1:", "no requirements", NULL } },
  { "oscal-without-title",
    "<catalog xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\">\n"
    "<control id=\"c\"><title>C</title></control>\n"
    "</catalog>\n",
    NULL, KDX_CATALOG_ERROR_MALFORMED, { "Line 1:", "title", NULL } },
  { "oscal-profile",
    "<profile xmlns=\"http://csrc.nist.gov/ns/oscal/1.0\"><metadata/></profile>\n",
    NULL, KDX_CATALOG_ERROR_UNSUPPORTED, { "“profile”", NULL } },
  { "unknown-format",
    "<html><body>catalog</body></html>\n",
    NULL, KDX_CATALOG_ERROR_UNSUPPORTED, { "neither", NULL } },
  { "no-namespace",
    "<catalog id=\"x\"/>\n",
    NULL, KDX_CATALOG_ERROR_UNSUPPORTED, { "neither", NULL } },
  { "empty-file", "", NULL, KDX_CATALOG_ERROR_MALFORMED, { NULL } },
  { "not-xml", "id,title\nart-1,Something\n", NULL, KDX_CATALOG_ERROR_MALFORMED,
    { "Line 1:", NULL } },
  { "key-taken",
    "<catalog xmlns=\"urn:kodex:catalog:1\" id=\"gdpr\" as-of=\"2025-01-01\">"
    "<title xml:lang=\"en\">My GDPR</title><source>s</source><licence>l</licence>"
    "<requirement id=\"a\"><title xml:lang=\"en\">A</title></requirement></catalog>\n",
    NULL, KDX_CATALOG_ERROR_DUPLICATE, { "“gdpr”", "Remove it first", NULL } },
};

static gint64
count_rows (KdxStore *store)
{
  return kdx_store_count (store, "SELECT (SELECT count(*) FROM catalog) * 1000000 + "
                                 "(SELECT count(*) FROM requirement)");
}

static void
test_refusal (gconstpointer data)
{
  const Refusal *t = data;
  g_autofree char *dir = kdx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "Refusal.kodex", NULL);
  g_autofree char *file = g_build_filename (dir, "catalog.xml", NULL);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GBytes) bytes = t->make ? t->make () : g_bytes_new_static (t->text, strlen (t->text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(KdxCatalogData) parsed = NULL;
  g_autofree char *head = NULL;
  gint64 rows;
  gint64 start;

  kdx_test_from_template (build_new, path);
  store = kdx_test_open (path, KDX_STORE_OPEN_DEFAULT);
  head = kdx_test_journal_head (store);
  rows = count_rows (store);
  start = g_get_monotonic_time ();

  kdx_test_write_file (file, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
  g_assert_false (kdx_catalog_import_file (store, file, KDX_CATALOG_FORMAT_AUTO, NULL, &error));
  g_test_message ("%s: %s", t->name, error ? error->message : "(no error)");
  g_assert_error (error, KDX_CATALOG_ERROR, (int) t->code);
  for (guint i = 0; i < G_N_ELEMENTS (t->expect) && t->expect[i] != NULL; i++)
    if (strstr (error->message, t->expect[i]) == NULL)
      g_error ("“%s” is not in the message: %s", t->expect[i], error->message);
  /* SAFETY.md: hostile files are refused within a second. (Not timed:
   * the generated ones, big on purpose, which a sanitizer build on a busy
   * machine reads more slowly.) */
  if (t->make == NULL)
    g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* Nothing written. */
  g_assert_cmpint (count_rows (store), ==, rows);
  kdx_test_assert_head (store, head);

  /* The parser alone says the same (apart from a key already taken);
   * the big generated files are not read twice. */
  if (t->make == NULL)
    {
      parsed = kdx_catalog_parse (bytes, KDX_CATALOG_FORMAT_AUTO, &parse_error);
      if (g_str_equal (t->name, "key-taken"))
        {
          g_assert_no_error (parse_error);
          g_assert_nonnull (parsed);
        }
      else
        {
          g_assert_null (parsed);
          g_assert_error (parse_error, KDX_CATALOG_ERROR, (int) t->code);
        }
    }

  kdx_test_close (&store);
  kdx_test_rm_rf (dir);
}

/* Data that did not come from the parser meets the same rules. */
static void
test_import_data_checks (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *head = kdx_test_journal_head (f->store);
  gint64 rows = count_rows (f->store);
  g_autoptr(KdxCatalogData) parsed = parse_ok (kodex_sample, KDX_CATALOG_FORMAT_KODEX);
  KdxRequirement *art5 = requirement_at (parsed, 2);

  /* A parent that does not exist. */
  art5->parent = g_strdup ("ch-9");
  g_assert_false (kdx_catalog_import_data (f->store, parsed, FALSE, &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_UNKNOWN_PARENT);
  g_assert_nonnull (strstr (error->message, "ch-9"));
  g_clear_error (&error);

  /* An id twice. */
  g_clear_pointer (&art5->parent, g_free);
  g_free (art5->code);
  art5->code = g_strdup ("ch-1");
  g_assert_false (kdx_catalog_import_data (f->store, parsed, FALSE, &error));
  g_assert_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_DUPLICATE);
  g_clear_error (&error);

  g_assert_cmpint (count_rows (f->store), ==, rows);
  kdx_test_assert_head (f->store, head);

  /* Fixed, it goes in. */
  g_free (art5->code);
  art5->code = g_strdup ("art-5");
  g_assert_true (kdx_catalog_import_data (f->store, parsed, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store), ==, rows + 1000000 + 3);
}

/* A workspace of schema 5 gains the catalogs when it is upgraded. */
static void
test_migrate_v5 (void)
{
  g_autofree char *dir = kdx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "Alt.kodex", NULL);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 length;

  store = _kdx_store_create_at_version (path, 5, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  length = kdx_test_journal_length (store);
  kdx_test_close (&store);
  g_assert_cmpint (kdx_test_raw_int (path, "SELECT count(*) FROM sqlite_master "
                                           "WHERE name = 'catalog'"), ==, 0);

  store = kdx_test_open (path, KDX_STORE_OPEN_DEFAULT);
  g_assert_cmpint (kdx_test_db_int (kdx_store_get_db (store), "PRAGMA user_version"), ==,
                   KDX_SCHEMA_VERSION);
  assert_shipped (store, 0);
  /* The upgrade journals each catalog it brought, and the chain holds. */
  g_assert_cmpint (kdx_test_journal_length (store), ==, length + N_SHIPPED);
  g_assert_true (kdx_journal_verify (store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_store_check (store, NULL, &error));
  g_assert_no_error (error);
  kdx_test_close (&store);

  /* Opened again: nothing more. */
  store = kdx_test_open (path, KDX_STORE_OPEN_DEFAULT);
  assert_shipped (store, 0);
  g_assert_cmpint (kdx_test_journal_length (store), ==, length + N_SHIPPED);
  kdx_test_close (&store);
  kdx_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/catalog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/kdx/catalog/parse-kodex", test_parse_kodex);
  g_test_add_func ("/kdx/catalog/language", test_language);
  g_test_add_func ("/kdx/catalog/parse-oscal", test_parse_oscal);
  g_test_add_func ("/kdx/catalog/oscal-key-fallback", test_oscal_key_fallback);
  ADD ("shipped", test_shipped);
  ADD ("remove-shipped", test_remove_shipped);
  ADD ("import-oscal", test_import_oscal);
  ADD ("import-kodex-reopen", test_import_kodex_reopen);
  ADD ("remove-mapped", test_remove_mapped);
  ADD ("import-data-checks", test_import_data_checks);
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/catalog/refuse/%s", refusals[i].name);

      g_test_add_data_func (path, &refusals[i], test_refusal);
    }
  g_test_add_func ("/kdx/catalog/migrate-v5", test_migrate_v5);

  {
    int status = g_test_run ();

    kdx_test_templates_clear ();
    return status;
  }
}
