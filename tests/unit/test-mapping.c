/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mappings and coverage: policies linked to requirements and applied to
 * AI systems (journaled, refused when something is unknown or in the
 * trash), the matrix systems × policies, the requirement coverage of a
 * catalog and the coverage of each system — as a committee would read
 * them off the screen.
 */
#define G_LOG_DOMAIN "kdx-test-mapping"

#include "config.h"

#include "kdx-test-util.h"

#include "kdx-catalog.h"
#include "kdx-classify.h"
#include "kdx-mapping.h"
#include "kdx-policy.h"
#include "kdx-system.h"

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
  char     *members[5];   /* committee members */
} Fixture;

static char *
add_person (KdxStore   *store,
            const char *name,
            gboolean    committee)
{
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autoptr(GError) error = NULL;

  kdx_person_set_name (person, name);
  kdx_person_set_department (person, "Vertrieb");
  kdx_person_set_committee (person, committee);
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_person_get_uuid (person));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *names[] = { "Anna Alt", "Bernd Brück", "Cem Çelik", "Dana Dorn", "Eva Eck" };
  g_autoptr(GError) error = NULL;

  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Abdeckung.kodex", NULL);
  f->store = kdx_test_create (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    f->members[i] = add_person (f->store, names[i], TRUE);
  g_assert_true (kdx_store_set_setting (f->store, "quorum", "majority:3", &error));
  g_assert_no_error (error);
  kdx_store_set_actor (f->store, f->members[0]);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (f->members); i++)
    g_clear_pointer (&f->members[i], g_free);
}

/* A policy with a draft; with @publish, voted through and published. */
static char *
add_policy (Fixture    *f,
            const char *title,
            gboolean    publish)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  const char *version;

  kdx_policy_set_title (policy, title);
  kdx_policy_set_kind (policy, KDX_POLICY_KIND_POLICY);
  kdx_policy_set_area (policy, KDX_POLICY_AREA_GOVERNANCE);
  g_assert_true (kdx_policy_create (f->store, policy, "# Regel\n\nText.", &error));
  g_assert_no_error (error);
  if (!publish)
    return g_strdup (kdx_policy_get_uuid (policy));

  versions = kdx_policy_list_versions (f->store, kdx_policy_get_uuid (policy), &error);
  g_assert_no_error (error);
  version = kdx_policy_version_get_uuid (versions->pdata[0]);
  g_assert_true (kdx_policy_submit (f->store, version, "Erste Fassung", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      kdx_store_set_actor (f->store, f->members[i]);
      g_assert_true (kdx_policy_vote (f->store, version, KDX_VOTE_APPROVE, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  kdx_store_set_actor (f->store, f->members[0]);
  g_assert_true (kdx_policy_publish (f->store, version, NULL, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_policy_get_uuid (policy));
}

static char *
policy_key (Fixture    *f,
            const char *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicy) policy = kdx_policy_load (f->store, uuid, &error);

  g_assert_no_error (error);

  return g_strdup (kdx_policy_get_key (policy));
}

static char *
add_system (Fixture    *f,
            const char *name)
{
  g_autoptr(KdxSystem) system = kdx_system_new ();
  g_autoptr(GError) error = NULL;

  kdx_system_set_name (system, name);
  g_assert_true (kdx_system_create (f->store, system, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_system_get_uuid (system));
}

static char *
requirement (Fixture    *f,
             const char *catalog,
             const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxRequirement) r = kdx_requirement_find (f->store, catalog, code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (r);

  return g_strdup (r->uuid);
}

static void
link_policy (Fixture    *f,
      const char *policy,
      const char *catalog,
      const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *r = requirement (f, catalog, code);

  g_assert_true (kdx_mapping_link_requirement (f->store, policy, r, &error));
  g_assert_no_error (error);
}

static void
apply (Fixture       *f,
       const char    *system,
       const char    *policy,
       KdxCompliance  status)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_mapping_set_system_policy (f->store, system, policy, status, NULL, NULL, NULL,
                                                &error));
  g_assert_no_error (error);
}

/* Counts of the raw tables, to see that a refusal changed nothing. */
static char *
snapshot (Fixture *f)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                          kdx_test_journal_length (f->store),
                          kdx_store_count (f->store, "SELECT count(*) FROM policy_requirement"),
                          kdx_store_count (f->store, "SELECT count(*) FROM policy_system"));
}

/* The requirements of @catalog whose parent has @parent_code. */
static GPtrArray *
children_of (Fixture    *f,
             const char *catalog,
             const char *parent_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = kdx_catalog_list_requirements (f->store, catalog, &error);
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      KdxRequirement *r = all->pdata[i];

      if (g_strcmp0 (r->parent, parent_code) == 0)
        g_ptr_array_add (codes, g_strdup (r->code));
    }
  g_assert_cmpuint (codes->len, >, 1);

  return codes;
}

static KdxRequirementCoverage *
find_row (GPtrArray  *rows,
          const char *code)
{
  for (guint i = 0; i < rows->len; i++)
    {
      KdxRequirementCoverage *row = rows->pdata[i];

      if (g_str_equal (row->code, code))
        return row;
    }
  g_error ("no row for %s", code);
  return NULL;
}

static KdxSystemCoverage *
find_system_row (GPtrArray  *rows,
                 const char *uuid)
{
  for (guint i = 0; i < rows->len; i++)
    {
      KdxSystemCoverage *row = rows->pdata[i];

      if (g_str_equal (row->system, uuid))
        return row;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */

static void
test_names (void)
{
  /* Worst first: non-compliant, partial, not assessed, compliant, not
   * applicable; -1 stands for "no policy". */
  static const int order[] = {
    KDX_COMPLIANCE_NON_COMPLIANT, KDX_COMPLIANCE_PARTIAL, KDX_COMPLIANCE_NOT_ASSESSED,
    KDX_COMPLIANCE_COMPLIANT, KDX_COMPLIANCE_NOT_APPLICABLE,
  };

  for (guint i = 0; i < KDX_COMPLIANCE_N_STATES; i++)
    {
      const char *id = kdx_compliance_to_string (i);

      g_assert_cmpint (kdx_compliance_from_string (id), ==, i);
      g_assert_nonnull (kdx_compliance_get_label (i));
    }
  g_assert_cmpstr (kdx_compliance_to_string (KDX_COMPLIANCE_NON_COMPLIANT), ==, "non-compliant");
  g_assert_cmpstr (kdx_compliance_to_string (KDX_COMPLIANCE_NOT_ASSESSED), ==, "not-assessed");
  g_assert_cmpint (kdx_compliance_from_string ("compliant "), ==, -1);
  g_assert_cmpint (kdx_compliance_from_string (NULL), ==, -1);

  for (guint i = 0; i < KDX_COVERAGE_N_STATES; i++)
    {
      g_assert_cmpint (kdx_coverage_from_string (kdx_coverage_to_string (i)), ==, i);
      g_assert_nonnull (kdx_coverage_get_label (i));
    }
  g_assert_cmpstr (kdx_coverage_to_string (KDX_COVERAGE_PARTLY), ==, "partly");
  g_assert_cmpint (kdx_coverage_from_string ("none"), ==, -1);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_assert_cmpint (kdx_compliance_worse (order[i], -1), ==, order[i]);
      g_assert_cmpint (kdx_compliance_worse (-1, order[i]), ==, order[i]);
      for (guint j = 0; j < G_N_ELEMENTS (order); j++)
        g_assert_cmpint (kdx_compliance_worse (order[i], order[j]), ==, order[MIN (i, j)]);
    }
  g_assert_cmpint (kdx_compliance_worse (-1, -1), ==, -1);
  g_assert_cmpint (kdx_compliance_worse (KDX_COMPLIANCE_N_STATES, -1), ==, -1);
}

static void
test_link_requirement (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *policy = add_policy (f, "Offenlegung gegenüber Kunden", FALSE);
  g_autofree char *key = policy_key (f, policy);
  g_autofree char *art26 = requirement (f, "eu-ai-act", "art-26");
  g_autofree char *gov11 = requirement (f, "nist-ai-rmf", "GOVERN-1.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  gint64 length;

  /* Linked from two catalogs; listed by catalog, then document order. */
  length = kdx_test_journal_length (f->store);
  g_assert_true (kdx_mapping_link_requirement (f->store, policy, gov11, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_mapping_link_requirement (f->store, policy, art26, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 2);

  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "policy");
  g_assert_cmpstr (kdx_journal_entry_get_entity_id (entry), ==, policy);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "map-requirement");
  g_assert_null (kdx_journal_entry_get_before (entry));
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "\"art-26\""));
  g_assert_nonnull (strstr (kdx_journal_entry_get_summary (entry), key));

  list = kdx_mapping_list_requirements (f->store, policy, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((KdxRequirement *) list->pdata[0])->catalog, ==, "eu-ai-act");
  g_assert_cmpstr (((KdxRequirement *) list->pdata[0])->code, ==, "art-26");
  g_assert_cmpstr (((KdxRequirement *) list->pdata[1])->code, ==, "GOVERN-1.1");
  g_assert_cmpstr (((KdxRequirement *) list->pdata[1])->parent, ==, "GOVERN-1");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = kdx_mapping_list_policies_for_requirement (f->store, art26, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((KdxMappingRow *) list->pdata[0])->key, ==, key);
  g_assert_false (((KdxMappingRow *) list->pdata[0])->in_effect);
  g_assert_cmpint (((KdxMappingRow *) list->pdata[0])->compliance, ==, -1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Linking again changes nothing and writes nothing. */
  g_assert_true (kdx_mapping_link_requirement (f->store, policy, art26, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 2);

  g_assert_true (kdx_mapping_unlink_requirement (f->store, policy, art26, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 3);
  g_clear_object (&entry);
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "unmap-requirement");
  g_assert_nonnull (strstr (kdx_journal_entry_get_before (entry), "\"art-26\""));
  g_assert_null (kdx_journal_entry_get_after (entry));

  list = kdx_mapping_list_policies_for_requirement (f->store, art26, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kdx_mapping_list_requirements (f->store, policy, &error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Unlinking what is not linked is no change either. */
  g_assert_true (kdx_mapping_unlink_requirement (f->store, policy, art26, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 3);

  /* It all survives closing and opening. */
  kdx_test_close (&f->store);
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kdx_mapping_list_requirements (f->store, policy, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((KdxRequirement *) list->pdata[0])->code, ==, "GOVERN-1.1");
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *policy = add_policy (f, "Menschliche Aufsicht", FALSE);
  g_autofree char *trashed_policy = add_policy (f, "Alte Regel", FALSE);
  g_autofree char *system = add_system (f, "Lead-Scoring");
  g_autofree char *trashed_system = add_system (f, "Abgeschaltet");
  g_autofree char *art14 = requirement (f, "eu-ai-act", "art-14");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *gone = add_person (f->store, "Gerd Gone", FALSE);
  g_autofree char *missing = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_policy_trash (f->store, trashed_policy, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_system_trash (f->store, trashed_system, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_person_trash (f->store, gone, &error));
  g_assert_no_error (error);
  apply (f, system, policy, KDX_COMPLIANCE_PARTIAL);
  before = snapshot (f);

  /* Unknown policy, requirement or system: NOT_FOUND, with the uuid. */
  g_assert_false (kdx_mapping_link_requirement (f->store, missing, art14, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_false (kdx_mapping_link_requirement (f->store, policy, missing, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, missing, policy,
                                                 KDX_COMPLIANCE_COMPLIANT, NULL, NULL, NULL,
                                                 &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, missing,
                                                 KDX_COMPLIANCE_COMPLIANT, NULL, NULL, NULL,
                                                 &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (kdx_mapping_list_system_policies (f->store, missing, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (kdx_coverage_requirements (f->store, "no-such-catalog", -1, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-catalog"));
  g_clear_error (&error);
  g_assert_null (kdx_coverage_systems (f->store, "no-such-catalog", &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* In the trash: refused, whether linking, applying or removing. */
  g_assert_false (kdx_mapping_link_requirement (f->store, trashed_policy, art14, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "POL-002"));
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, trashed_policy,
                                                 KDX_COMPLIANCE_COMPLIANT, NULL, NULL, NULL,
                                                 &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, trashed_system, policy,
                                                 KDX_COMPLIANCE_COMPLIANT, NULL, NULL, NULL,
                                                 &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_remove_system_policy (f->store, trashed_system, policy, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);

  /* The assessor must be a person of the workspace, not one in the trash;
   * the date a date; the status one of the five. */
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, policy,
                                                 KDX_COMPLIANCE_COMPLIANT, missing, NULL, NULL,
                                                 &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, policy,
                                                 KDX_COMPLIANCE_COMPLIANT, gone, NULL, NULL,
                                                 &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, policy,
                                                 KDX_COMPLIANCE_COMPLIANT, NULL, "2025-02-30",
                                                 NULL, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2025-02-30"));
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, policy,
                                                 KDX_COMPLIANCE_COMPLIANT, NULL, "31.03.2025",
                                                 NULL, &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, policy,
                                                 KDX_COMPLIANCE_N_STATES, NULL, NULL, NULL,
                                                 &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kdx_mapping_set_system_policy (f->store, system, policy,
                                                 KDX_COMPLIANCE_COMPLIANT, NULL, NULL,
                                                 "\xff\xfe kaputt", &error));
  g_assert_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing changed: no journal entry, no row. */
  after = snapshot (f);
  g_assert_cmpstr (after, ==, before);
  {
    g_autoptr(GPtrArray) rows = kdx_mapping_list_system_policies (f->store, system, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpint (((KdxMappingRow *) rows->pdata[0])->compliance, ==, KDX_COMPLIANCE_PARTIAL);
  }
}

static void
test_system_policy (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *p1 = add_policy (f, "Zuletzt im Alphabet", FALSE);
  g_autofree char *p2 = add_policy (f, "Aufsicht", TRUE);
  g_autofree char *p3 = add_policy (f, "Mittendrin", FALSE);
  g_autofree char *s1 = add_system (f, "Zahlungsprüfung");
  g_autofree char *s2 = add_system (f, "Anruf-Analyse");
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  KdxMappingRow *row;
  gint64 length;

  today = g_date_time_format (now, "%Y-%m-%d");

  /* Not assessed: no date unless one is given. */
  length = kdx_test_journal_length (f->store);
  g_assert_true (kdx_mapping_set_system_policy (f->store, s1, p3, KDX_COMPLIANCE_NOT_ASSESSED,
                                                NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 1);
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "ai_system");
  g_assert_cmpstr (kdx_journal_entry_get_entity_id (entry), ==, s1);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "map-policy");
  g_assert_null (kdx_journal_entry_get_before (entry));
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "\"not-assessed\""));

  /* Another status: the date defaults to today; an assessor is named. */
  g_assert_true (kdx_mapping_set_system_policy (f->store, s1, p1, KDX_COMPLIANCE_COMPLIANT,
                                                f->members[2], NULL, "Protokoll vom Audit", &error));
  g_assert_no_error (error);
  g_assert_true (kdx_mapping_set_system_policy (f->store, s1, p2, KDX_COMPLIANCE_NON_COMPLIANT,
                                                NULL, "2025-03-31", "", &error));
  g_assert_no_error (error);

  /* By key, whatever the titles say. */
  rows = kdx_mapping_list_system_policies (f->store, s1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  row = rows->pdata[0];
  g_assert_cmpstr (row->uuid, ==, p1);
  g_assert_cmpstr (row->key, ==, "POL-001");
  g_assert_cmpstr (row->title, ==, "Zuletzt im Alphabet");
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_COMPLIANT);
  g_assert_cmpstr (row->assessor, ==, f->members[2]);
  g_assert_cmpstr (row->assessor_name, ==, "Cem Çelik");
  g_assert_cmpstr (row->date, ==, today);
  g_assert_cmpstr (row->evidence, ==, "Protokoll vom Audit");
  g_assert_false (row->in_effect);
  row = rows->pdata[1];
  g_assert_cmpstr (row->key, ==, "POL-002");
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NON_COMPLIANT);
  g_assert_cmpstr (row->date, ==, "2025-03-31");
  g_assert_null (row->evidence);
  g_assert_null (row->assessor);
  g_assert_true (row->in_effect);
  row = rows->pdata[2];
  g_assert_cmpstr (row->key, ==, "POL-003");
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NOT_ASSESSED);
  g_assert_null (row->date);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A new assessment: journaled with before and after; the same again
   * is no change. */
  length = kdx_test_journal_length (f->store);
  g_assert_true (kdx_mapping_set_system_policy (f->store, s1, p3, KDX_COMPLIANCE_PARTIAL,
                                                f->members[1], "2025-04-01", "Teilweise", &error));
  g_assert_no_error (error);
  g_assert_true (kdx_mapping_set_system_policy (f->store, s1, p3, KDX_COMPLIANCE_PARTIAL,
                                                f->members[1], "2025-04-01", "Teilweise", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 1);
  g_clear_object (&entry);
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "assess-policy");
  g_assert_nonnull (strstr (kdx_journal_entry_get_before (entry), "\"not-assessed\""));
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "\"partial\""));
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "Teilweise"));

  /* The systems of a policy, by key. */
  apply (f, s2, p3, KDX_COMPLIANCE_NOT_APPLICABLE);
  rows = kdx_mapping_list_policy_systems (f->store, p3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((KdxMappingRow *) rows->pdata[0])->uuid, ==, s1);
  g_assert_cmpstr (((KdxMappingRow *) rows->pdata[0])->title, ==, "Zahlungsprüfung");
  g_assert_cmpint (((KdxMappingRow *) rows->pdata[0])->compliance, ==, KDX_COMPLIANCE_PARTIAL);
  g_assert_cmpstr (((KdxMappingRow *) rows->pdata[0])->assessor_name, ==, "Bernd Brück");
  g_assert_cmpstr (((KdxMappingRow *) rows->pdata[1])->uuid, ==, s2);
  g_assert_cmpint (((KdxMappingRow *) rows->pdata[1])->compliance, ==,
                   KDX_COMPLIANCE_NOT_APPLICABLE);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Removed: journaled with what it was; removing again is no change. */
  length = kdx_test_journal_length (f->store);
  g_assert_true (kdx_mapping_remove_system_policy (f->store, s1, p3, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_mapping_remove_system_policy (f->store, s1, p3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 1);
  g_clear_object (&entry);
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "unmap-policy");
  g_assert_nonnull (strstr (kdx_journal_entry_get_before (entry), "Teilweise"));
  g_assert_null (kdx_journal_entry_get_after (entry));
  rows = kdx_mapping_list_system_policies (f->store, s1, &error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A policy in the trash no longer shows among the system's. */
  g_assert_true (kdx_policy_trash (f->store, p2, &error));
  g_assert_no_error (error);
  rows = kdx_mapping_list_system_policies (f->store, s1, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((KdxMappingRow *) rows->pdata[0])->uuid, ==, p1);

  {
    gint64 first_bad = -1, n = 0;

    g_assert_true (kdx_journal_verify (f->store, 0, NULL, &first_bad, &n, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_matrix (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *p1 = add_policy (f, "Offenlegung", FALSE);
  g_autofree char *p2 = add_policy (f, "Aufsicht", FALSE);
  g_autofree char *p3 = add_policy (f, "Fairness", FALSE);
  g_autofree char *p4 = add_policy (f, "Im Papierkorb", FALSE);
  g_autofree char *s1 = add_system (f, "Lead-Scoring");
  g_autofree char *s2 = add_system (f, "Chatbot");
  g_autofree char *s3 = add_system (f, "Prognose");
  g_autofree char *s4 = add_system (f, "Abgeschaltet");
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCoverageMatrix) matrix = NULL;

  apply (f, s1, p1, KDX_COMPLIANCE_COMPLIANT);
  apply (f, s1, p3, KDX_COMPLIANCE_NON_COMPLIANT);
  apply (f, s2, p2, KDX_COMPLIANCE_PARTIAL);
  apply (f, s2, p1, KDX_COMPLIANCE_NOT_ASSESSED);
  apply (f, s3, p3, KDX_COMPLIANCE_NOT_APPLICABLE);
  apply (f, s1, p4, KDX_COMPLIANCE_COMPLIANT);
  apply (f, s4, p1, KDX_COMPLIANCE_COMPLIANT);
  g_assert_true (kdx_policy_trash (f->store, p4, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_system_trash (f->store, s4, &error));
  g_assert_no_error (error);

  matrix = kdx_coverage_matrix_load (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matrix->n_systems, ==, 3);
  g_assert_cmpuint (matrix->n_policies, ==, 3);
  g_assert_cmpstr (matrix->system_uuids[0], ==, s1);
  g_assert_cmpstr (matrix->system_uuids[2], ==, s3);
  g_assert_null (matrix->system_uuids[3]);
  g_assert_cmpstr (matrix->system_labels[1], ==, "SYS-002 · Chatbot");
  g_assert_cmpstr (matrix->policy_uuids[0], ==, p1);
  g_assert_cmpstr (matrix->policy_labels[2], ==, "POL-003 · Fairness");
  g_assert_null (matrix->policy_labels[3]);

  {
    static const guint8 expected[3][3] = {
      { KDX_COMPLIANCE_COMPLIANT + 1, 0, KDX_COMPLIANCE_NON_COMPLIANT + 1 },
      { KDX_COMPLIANCE_NOT_ASSESSED + 1, KDX_COMPLIANCE_PARTIAL + 1, 0 },
      { 0, 0, KDX_COMPLIANCE_NOT_APPLICABLE + 1 },
    };

    for (guint s = 0; s < 3; s++)
      for (guint p = 0; p < 3; p++)
        g_assert_cmpuint (matrix->cells[s * 3 + p], ==, expected[s][p]);
  }
}

/* NIST AI RMF: functions → categories → subcategories. */
static void
test_requirement_coverage (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *published = add_policy (f, "In Kraft", TRUE);
  g_autofree char *draft = add_policy (f, "Entwurf", FALSE);
  g_autofree char *category = add_policy (f, "Für eine ganze Kategorie", TRUE);
  g_autofree char *trashed = add_policy (f, "Im Papierkorb", TRUE);
  g_autofree char *published_key = policy_key (f, published);
  g_autofree char *category_key = policy_key (f, category);
  g_autoptr(GPtrArray) govern2 = children_of (f, "nist-ai-rmf", "GOVERN-2");
  g_autoptr(GPtrArray) map1 = children_of (f, "nist-ai-rmf", "MAP-1");
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) covered = NULL;
  g_autoptr(GError) error = NULL;
  guint n_covered = 0, n_gap = 0;

  link_policy (f, published, "nist-ai-rmf", "GOVERN-1.1");
  link_policy (f, draft, "nist-ai-rmf", "GOVERN-1.2");
  link_policy (f, draft, "nist-ai-rmf", "GOVERN-1.1");
  for (guint i = 0; i < govern2->len; i++)
    link_policy (f, published, "nist-ai-rmf", govern2->pdata[i]);
  link_policy (f, category, "nist-ai-rmf", "MAP-1");
  link_policy (f, trashed, "nist-ai-rmf", "MEASURE-1.1");
  g_assert_true (kdx_policy_trash (f->store, trashed, &error));
  g_assert_no_error (error);

  rows = kdx_coverage_requirements (f->store, "nist-ai-rmf", -1, &error);
  g_assert_no_error (error);
  catalog = kdx_catalog_list_requirements (f->store, "nist-ai-rmf", &error);
  g_assert_no_error (error);

  /* Every requirement, in document order. */
  g_assert_cmpuint (rows->len, ==, catalog->len);
  for (guint i = 0; i < rows->len; i++)
    {
      KdxRequirementCoverage *row = rows->pdata[i];
      KdxRequirement *r = catalog->pdata[i];

      g_assert_cmpstr (row->code, ==, r->code);
      g_assert_cmpstr (row->label, ==, r->label);
      g_assert_cmpuint (row->depth, ==, r->depth);
      g_assert_cmpstr (row->title, ==, kdx_requirement_get_title (r));
      n_covered += row->coverage == KDX_COVERAGE_COVERED;
      n_gap += row->coverage == KDX_COVERAGE_GAP;
    }

  /* In effect: covered, even beside a draft; a draft alone: partly. */
  g_assert_cmpint (find_row (rows, "GOVERN-1.1")->coverage, ==, KDX_COVERAGE_COVERED);
  g_assert_cmpuint (find_row (rows, "GOVERN-1.1")->n_policies, ==, 2);
  g_assert_cmpint (find_row (rows, "GOVERN-1.2")->coverage, ==, KDX_COVERAGE_PARTLY);
  g_assert_cmpint (find_row (rows, "GOVERN-1.3")->coverage, ==, KDX_COVERAGE_GAP);
  g_assert_null (find_row (rows, "GOVERN-1.3")->policies);
  g_assert_cmpuint (find_row (rows, "GOVERN-1.3")->n_policies, ==, 0);
  /* A parent with some children covered: partly; with all: covered. */
  g_assert_cmpint (find_row (rows, "GOVERN-1")->coverage, ==, KDX_COVERAGE_PARTLY);
  g_assert_cmpint (find_row (rows, "GOVERN-2")->coverage, ==, KDX_COVERAGE_COVERED);
  g_assert_null (find_row (rows, "GOVERN-2")->policies);
  g_assert_cmpstr (find_row (rows, govern2->pdata[0])->policies, ==, published_key);
  g_assert_cmpint (find_row (rows, "GOVERN")->coverage, ==, KDX_COVERAGE_PARTLY);
  /* A policy for a category covers its subcategories. */
  g_assert_cmpint (find_row (rows, "MAP-1")->coverage, ==, KDX_COVERAGE_COVERED);
  g_assert_cmpstr (find_row (rows, "MAP-1")->policies, ==, category_key);
  for (guint i = 0; i < map1->len; i++)
    {
      KdxRequirementCoverage *row = find_row (rows, map1->pdata[i]);

      g_assert_cmpint (row->coverage, ==, KDX_COVERAGE_COVERED);
      g_assert_cmpstr (row->policies, ==, category_key);
      g_assert_cmpuint (row->n_policies, ==, 1);
    }
  g_assert_cmpint (find_row (rows, "MAP")->coverage, ==, KDX_COVERAGE_PARTLY);
  /* A policy in the trash covers nothing. */
  g_assert_cmpint (find_row (rows, "MEASURE-1.1")->coverage, ==, KDX_COVERAGE_GAP);
  g_assert_cmpint (find_row (rows, "MEASURE")->coverage, ==, KDX_COVERAGE_GAP);

  /* GOVERN-1.1, GOVERN-2 with its children, MAP-1 with its children. */
  g_assert_cmpuint (n_covered, ==, 1 + 1 + govern2->len + 1 + map1->len);

  /* The filter keeps one state, in the same order. */
  covered = kdx_coverage_requirements (f->store, "nist-ai-rmf", KDX_COVERAGE_COVERED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (covered->len, ==, n_covered);
  g_assert_cmpstr (((KdxRequirementCoverage *) covered->pdata[0])->code, ==, "GOVERN-1.1");
  for (guint i = 0; i < covered->len; i++)
    g_assert_cmpint (((KdxRequirementCoverage *) covered->pdata[i])->coverage, ==,
                     KDX_COVERAGE_COVERED);
  g_clear_pointer (&covered, g_ptr_array_unref);
  covered = kdx_coverage_requirements (f->store, "nist-ai-rmf", KDX_COVERAGE_GAP, &error);
  g_assert_cmpuint (covered->len, ==, n_gap);

  /* Publishing nothing more, but retiring the policy in effect: what it
   * covered is only partly covered now (not in effect). */
  g_assert_true (kdx_policy_retire (f->store, published, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = kdx_coverage_requirements (f->store, "nist-ai-rmf", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_row (rows, "GOVERN-1.1")->coverage, ==, KDX_COVERAGE_PARTLY);
  g_assert_cmpint (find_row (rows, "GOVERN-2")->coverage, ==, KDX_COVERAGE_PARTLY);
}

/* A catalog other than the AI Act: every system must meet every leaf. */
static void
test_system_coverage_leaves (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *map1_policy = add_policy (f, "Kontext", TRUE);
  g_autofree char *govern_policy = add_policy (f, "Steuerung", FALSE);
  g_autofree char *s1 = add_system (f, "Lead-Scoring");
  g_autofree char *s2 = add_system (f, "Chatbot");
  g_autofree char *s3 = add_system (f, "Prognose");
  g_autofree char *s4 = add_system (f, "Abgeschaltet");
  g_autoptr(GPtrArray) map1 = children_of (f, "nist-ai-rmf", "MAP-1");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) detail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *map1_key = policy_key (f, map1_policy);
  KdxSystemCoverage *row;
  guint n_leaves = 0;

  all = kdx_catalog_list_requirements (f->store, "nist-ai-rmf", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      KdxRequirement *r = all->pdata[i];
      gboolean parent = i + 1 < all->len &&
                        g_strcmp0 (((KdxRequirement *) all->pdata[i + 1])->parent, r->code) == 0;

      n_leaves += !parent;
    }
  g_assert_cmpuint (n_leaves, ==, 72);

  link_policy (f, map1_policy, "nist-ai-rmf", "MAP-1");
  link_policy (f, govern_policy, "nist-ai-rmf", "GOVERN-1.1");
  link_policy (f, govern_policy, "nist-ai-rmf", "GOVERN-1.2");
  apply (f, s1, map1_policy, KDX_COMPLIANCE_COMPLIANT);
  apply (f, s1, govern_policy, KDX_COMPLIANCE_PARTIAL);
  apply (f, s2, map1_policy, KDX_COMPLIANCE_NON_COMPLIANT);
  apply (f, s2, govern_policy, KDX_COMPLIANCE_NOT_ASSESSED);
  apply (f, s4, map1_policy, KDX_COMPLIANCE_COMPLIANT);
  g_assert_true (kdx_system_trash (f->store, s4, &error));
  g_assert_no_error (error);

  rows = kdx_coverage_systems (f->store, "nist-ai-rmf", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_null (find_system_row (rows, s4));
  g_assert_cmpstr (((KdxSystemCoverage *) rows->pdata[0])->key, ==, "SYS-001");
  g_assert_cmpstr (((KdxSystemCoverage *) rows->pdata[2])->name, ==, "Prognose");

  /* Compliant on MAP 1 covers its subcategories; partial on two of
   * GOVERN 1 covers those partly; the worst status is partial. */
  row = find_system_row (rows, s1);
  g_assert_cmpuint (row->n_required, ==, 72);
  g_assert_cmpuint (row->n_covered, ==, map1->len);
  g_assert_cmpuint (row->n_partly, ==, 2);
  g_assert_cmpuint (row->n_gap, ==, 72 - map1->len - 2);
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_PARTIAL);

  /* Non-compliant covers nothing; not assessed covers partly. */
  row = find_system_row (rows, s2);
  g_assert_cmpuint (row->n_covered, ==, 0);
  g_assert_cmpuint (row->n_partly, ==, 2);
  g_assert_cmpuint (row->n_gap, ==, 70);
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NON_COMPLIANT);

  /* No policy: all gaps, no compliance. */
  row = find_system_row (rows, s3);
  g_assert_cmpuint (row->n_required, ==, 72);
  g_assert_cmpuint (row->n_gap, ==, 72);
  g_assert_cmpint (row->compliance, ==, -1);

  /* One system in detail: the leaves, each with its state and policies. */
  detail = kdx_coverage_system_requirements (f->store, s1, "nist-ai-rmf", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->len, ==, 72);
  g_assert_cmpint (find_row (detail, map1->pdata[0])->coverage, ==, KDX_COVERAGE_COVERED);
  g_assert_cmpstr (find_row (detail, map1->pdata[0])->policies, ==, map1_key);
  g_assert_cmpint (find_row (detail, "GOVERN-1.2")->coverage, ==, KDX_COVERAGE_PARTLY);
  g_assert_cmpint (find_row (detail, "GOVERN-1.3")->coverage, ==, KDX_COVERAGE_GAP);
  g_assert_null (find_row (detail, "GOVERN-1.3")->policies);
}

/* The AI Act: what the classification asks of the system. */
static void
test_system_coverage_ai_act (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *deployer = add_policy (f, "Pflichten als Betreiber", TRUE);
  g_autofree char *literacy = add_policy (f, "KI-Kompetenz", TRUE);
  g_autofree char *credit = add_system (f, "Bonitätsprüfung an der Kasse");
  g_autofree char *unclassified = add_system (f, "Noch offen");
  g_autofree char *deployer_key = policy_key (f, deployer);
  g_autoptr(GHashTable) answers = kdx_answers_new ();
  g_autoptr(KdxClassification) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) detail = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  KdxSystemCoverage *row;
  gint64 n_obligations;
  static const char *const yes[] = {
    "role-deployer", "natural-persons", "profiling", "h-credit", NULL,
  };
  guint n_questions;
  const KdxQuestion *questions = kdx_classify_get_questions (&n_questions);

  /* A credit check of private customers at checkout, bought in: every
   * question answered, only the credit question and profiling with yes. */
  for (guint i = 0; i < n_questions; i++)
    if (kdx_question_is_asked (&questions[i], answers))
      kdx_answers_set (answers, questions[i].id,
                       g_strv_contains (yes, questions[i].id) ? KDX_ANSWER_YES : KDX_ANSWER_NO);
  g_assert_true (kdx_system_classify (f->store, credit, answers, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result->complete);
  g_assert_cmpint (result->risk, ==, KDX_RISK_HIGH);
  g_assert_cmpint (result->role, ==, KDX_ROLE_DEPLOYER);

  sql = g_strdup_printf ("SELECT count(DISTINCT code) FROM system_obligation o JOIN ai_system s "
                         "ON s.id = o.system_id WHERE o.catalog = 'eu-ai-act' AND s.uuid = '%s'",
                         credit);
  n_obligations = kdx_store_count (f->store, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM system_obligation o JOIN ai_system s "
                         "ON s.id = o.system_id WHERE o.code IN ('art-4', 'art-26', 'art-27') "
                         "AND o.catalog = 'eu-ai-act' AND s.uuid = '%s'", credit);
  g_assert_cmpint (kdx_store_count (f->store, sql), ==, 3);
  g_assert_cmpint (n_obligations, ==, 3);

  link_policy (f, deployer, "eu-ai-act", "art-26");
  link_policy (f, literacy, "eu-ai-act", "art-4");
  /* A policy for an article the system is not asked to meet changes
   * nothing for it. */
  link_policy (f, literacy, "eu-ai-act", "art-5");
  apply (f, credit, deployer, KDX_COMPLIANCE_COMPLIANT);
  apply (f, credit, literacy, KDX_COMPLIANCE_NOT_ASSESSED);
  apply (f, unclassified, deployer, KDX_COMPLIANCE_COMPLIANT);

  rows = kdx_coverage_systems (f->store, "eu-ai-act", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  row = find_system_row (rows, credit);
  g_assert_cmpuint (row->n_required, ==, n_obligations);
  g_assert_cmpuint (row->n_covered, ==, 1);
  g_assert_cmpuint (row->n_partly, ==, 1);
  g_assert_cmpuint (row->n_gap, ==, n_obligations - 2);
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NOT_ASSESSED);
  /* Not classified: nothing asked of it yet. */
  row = find_system_row (rows, unclassified);
  g_assert_cmpuint (row->n_required, ==, 0);
  g_assert_cmpuint (row->n_gap, ==, 0);
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_COMPLIANT);

  detail = kdx_coverage_system_requirements (f->store, credit, "eu-ai-act", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->len, ==, n_obligations);
  g_assert_cmpint (find_row (detail, "art-26")->coverage, ==, KDX_COVERAGE_COVERED);
  g_assert_cmpstr (find_row (detail, "art-26")->policies, ==, deployer_key);
  g_assert_cmpint (find_row (detail, "art-4")->coverage, ==, KDX_COVERAGE_PARTLY);
  for (guint i = 0; i < detail->len; i++)
    g_assert_cmpstr (((KdxRequirementCoverage *) detail->pdata[i])->code, !=, "art-5");

  /* Assessed not applicable, the deployer policy covers nothing. */
  apply (f, credit, deployer, KDX_COMPLIANCE_NOT_APPLICABLE);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = kdx_coverage_systems (f->store, "eu-ai-act", &error);
  g_assert_no_error (error);
  row = find_system_row (rows, credit);
  g_assert_cmpuint (row->n_covered, ==, 0);
  g_assert_cmpuint (row->n_partly, ==, 1);
  g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NOT_ASSESSED);

  /* A policy for one paragraph of Art. 26 covers the article partly. */
  {
    g_autofree char *logs = add_policy (f, "Protokolle aufbewahren", TRUE);

    link_policy (f, logs, "eu-ai-act", "art-26-6");
    apply (f, credit, logs, KDX_COMPLIANCE_COMPLIANT);
    g_clear_pointer (&rows, g_ptr_array_unref);
    rows = kdx_coverage_systems (f->store, "eu-ai-act", &error);
    g_assert_no_error (error);
    row = find_system_row (rows, credit);
    g_assert_cmpuint (row->n_covered, ==, 0);
    g_assert_cmpuint (row->n_partly, ==, 2);
    g_clear_pointer (&detail, g_ptr_array_unref);
    detail = kdx_coverage_system_requirements (f->store, credit, "eu-ai-act", &error);
    g_assert_no_error (error);
    g_assert_cmpint (find_row (detail, "art-26")->coverage, ==, KDX_COVERAGE_PARTLY);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/mapping/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/kdx/mapping/names", test_names);
  ADD ("link-requirement", test_link_requirement);
  ADD ("refusals", test_refusals);
  ADD ("system-policy", test_system_policy);
  ADD ("matrix", test_matrix);
  ADD ("requirement-coverage", test_requirement_coverage);
  ADD ("system-coverage-leaves", test_system_coverage_leaves);
  ADD ("system-coverage-ai-act", test_system_coverage_ai_act);

  return g_test_run ();
}
