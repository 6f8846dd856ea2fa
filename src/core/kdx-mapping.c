/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mappings and coverage (DESIGN §4). The links are two tables of schema 6:
 * policy_requirement (a policy covers a requirement of a catalog) and
 * policy_system (a policy applies to an AI system, with a compliance
 * status, assessor, date and evidence note). Each change is one journaled
 * transaction, or joins the caller's.
 *
 * Coverage is computed here for the UI, the CLI and the reports alike. It
 * must stay fast on the large demo (2,000 systems × 2,000 policies), so
 * every view reads a handful of set-based queries into C arrays indexed
 * the way the result is ordered, and never runs a query per row.
 *
 * The rules, in one place:
 *  - "Live" means not in the trash. A retired policy is live but has no
 *    published version any more, so it counts as not in effect.
 *  - A policy that covers a requirement covers its descendants too (a
 *    policy for "GOVERN" covers "GOVERN 1.1"), and a requirement with
 *    children is covered when all its children are, partly when at least
 *    one of them is covered or partly. Both rules hold in the requirement
 *    coverage of a catalog and in the coverage of a system.
 *  - Catalog view: a requirement is covered when a live policy in effect
 *    (a published version) covers it, partly when only live policies not
 *    in effect do, a gap otherwise.
 *  - System view: the policies applied to the system decide; a policy
 *    assessed compliant covers, one assessed partial or not yet assessed
 *    covers partly, one assessed non-compliant or not applicable does not
 *    cover. The best of them counts.
 */
#define G_LOG_DOMAIN "kdx-mapping"

#include "config.h"

#include "kdx-mapping.h"

#include "kdx-catalog.h"
#include "kdx-journal.h"
#include "kdx-store-private.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (kdx-mapping-error-quark, kdx_mapping_error)

#define EU_AI_ACT "eu-ai-act"
#define MAX_EVIDENCE_BYTES (64 * 1024)

/* Keys in their natural order: SYS-999 before SYS-1000. Never built from
 * data; @t is a table alias. */
#define KEY_ORDER(t)                                                          \
  "substr(" t ".key, 1, instr(" t ".key, '-')), "                             \
  "CAST(substr(" t ".key, instr(" t ".key, '-') + 1) AS INTEGER), " t ".key"

#define IN_EFFECT(p)                                                          \
  "EXISTS (SELECT 1 FROM policy_version v WHERE v.status = 'published' "      \
  "AND v.policy_id = " p ".id)"

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *compliance_ids[] = {
  "compliant", "partial", "non-compliant", "not-assessed", "not-applicable",
};
static const char *compliance_labels[] = {
  /* Translators: the compliance status of an AI system with a policy */
  N_("Compliant"),
  /* Translators: the compliance status of an AI system with a policy */
  N_("Partially compliant"),
  /* Translators: the compliance status of an AI system with a policy */
  N_("Non-compliant"),
  /* Translators: the compliance status of an AI system with a policy */
  N_("Not assessed"),
  /* Translators: the compliance status of an AI system with a policy */
  N_("Not applicable"),
};
/* Worst first (kdx_compliance_worse). */
static const guint8 compliance_rank[] = {
  [KDX_COMPLIANCE_NON_COMPLIANT] = 0,
  [KDX_COMPLIANCE_PARTIAL] = 1,
  [KDX_COMPLIANCE_NOT_ASSESSED] = 2,
  [KDX_COMPLIANCE_COMPLIANT] = 3,
  [KDX_COMPLIANCE_NOT_APPLICABLE] = 4,
};
static const char *coverage_ids[] = { "gap", "partly", "covered" };
static const char *coverage_labels[] = {
  /* Translators: no policy covers a requirement */
  N_("Gap"),
  /* Translators: a requirement is only partly covered by policies */
  N_("Partly covered"),
  /* Translators: a requirement is covered by a policy */
  N_("Covered"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (compliance_ids) == KDX_COMPLIANCE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (compliance_labels) == KDX_COMPLIANCE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (compliance_rank) == KDX_COMPLIANCE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (coverage_ids) == KDX_COVERAGE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (coverage_labels) == KDX_COVERAGE_N_STATES);

static int
lookup (const char  *text,
        const char **ids,
        guint        n_ids)
{
  for (guint i = 0; text != NULL && i < n_ids; i++)
    if (g_str_equal (text, ids[i]))
      return i;

  return -1;
}

const char *
kdx_compliance_to_string (KdxCompliance status)
{
  g_return_val_if_fail ((guint) status < KDX_COMPLIANCE_N_STATES, NULL);
  return compliance_ids[status];
}

int
kdx_compliance_from_string (const char *text)
{
  return lookup (text, compliance_ids, KDX_COMPLIANCE_N_STATES);
}

const char *
kdx_compliance_get_label (KdxCompliance status)
{
  g_return_val_if_fail ((guint) status < KDX_COMPLIANCE_N_STATES, NULL);
  return _(compliance_labels[status]);
}

int
kdx_compliance_worse (int a,
                      int b)
{
  gboolean a_valid = a >= 0 && a < KDX_COMPLIANCE_N_STATES;
  gboolean b_valid = b >= 0 && b < KDX_COMPLIANCE_N_STATES;

  if (!a_valid)
    return b_valid ? b : -1;
  if (!b_valid)
    return a;

  return compliance_rank[b] < compliance_rank[a] ? b : a;
}

const char *
kdx_coverage_to_string (KdxCoverage coverage)
{
  g_return_val_if_fail ((guint) coverage < KDX_COVERAGE_N_STATES, NULL);
  return coverage_ids[coverage];
}

int
kdx_coverage_from_string (const char *text)
{
  return lookup (text, coverage_ids, KDX_COVERAGE_N_STATES);
}

const char *
kdx_coverage_get_label (KdxCoverage coverage)
{
  g_return_val_if_fail ((guint) coverage < KDX_COVERAGE_N_STATES, NULL);
  return _(coverage_labels[coverage]);
}

/* How far a policy applied to a system covers what it covers. */
static KdxCoverage
coverage_of_status (int status)
{
  switch (status)
    {
    case KDX_COMPLIANCE_COMPLIANT:
      return KDX_COVERAGE_COVERED;
    case KDX_COMPLIANCE_PARTIAL:
    case KDX_COMPLIANCE_NOT_ASSESSED:
      return KDX_COVERAGE_PARTLY;
    default:
      return KDX_COVERAGE_GAP;
    }
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */

void
kdx_mapping_row_free (KdxMappingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->uuid);
  g_free (row->key);
  g_free (row->title);
  g_free (row->assessor);
  g_free (row->assessor_name);
  g_free (row->date);
  g_free (row->evidence);
  g_free (row);
}

void
kdx_coverage_matrix_free (KdxCoverageMatrix *matrix)
{
  if (matrix == NULL)
    return;
  g_strfreev (matrix->system_uuids);
  g_strfreev (matrix->system_labels);
  g_strfreev (matrix->policy_uuids);
  g_strfreev (matrix->policy_labels);
  g_free (matrix->cells);
  g_free (matrix);
}

void
kdx_requirement_coverage_free (KdxRequirementCoverage *row)
{
  if (row == NULL)
    return;
  g_free (row->uuid);
  g_free (row->code);
  g_free (row->label);
  g_free (row->title);
  g_free (row->policies);
  g_free (row);
}

void
kdx_system_coverage_free (KdxSystemCoverage *row)
{
  if (row == NULL)
    return;
  g_free (row->system);
  g_free (row->key);
  g_free (row->name);
  g_free (row);
}

/* ------------------------------------------------------------------ */
/* Row ids → positions in a result                                     */

/* Row ids are mostly dense (INTEGER PRIMARY KEY), so a plain table does;
 * sparse ids (many deletions, imported files) fall back to a sorted array. */
typedef struct
{
  gint64  id;
  guint   index;
} IdIndex;

typedef struct
{
  gint64   min;
  gint64   max;
  guint   *direct;      /* id - min → index + 1 (0: none) */
  IdIndex *sorted;
  guint    n;
} IdMap;

static int
compare_id_index (gconstpointer a,
                  gconstpointer b)
{
  gint64 x = ((const IdIndex *) a)->id, y = ((const IdIndex *) b)->id;

  return x < y ? -1 : x > y;
}

/* @ids[i] is the id of the element at index i. */
static void
id_map_init (IdMap        *map,
             const gint64 *ids,
             guint         n)
{
  memset (map, 0, sizeof *map);
  map->n = n;
  if (n == 0)
    return;

  map->min = map->max = ids[0];
  for (guint i = 1; i < n; i++)
    {
      map->min = MIN (map->min, ids[i]);
      map->max = MAX (map->max, ids[i]);
    }

  if ((guint64) (map->max - map->min) <= 4 * (guint64) n + 4096)
    {
      map->direct = g_new0 (guint, map->max - map->min + 1);
      for (guint i = 0; i < n; i++)
        map->direct[ids[i] - map->min] = i + 1;
    }
  else
    {
      map->sorted = g_new (IdIndex, n);
      for (guint i = 0; i < n; i++)
        map->sorted[i] = (IdIndex) { ids[i], i };
      qsort (map->sorted, n, sizeof (IdIndex), compare_id_index);
    }
}

static int
id_map_lookup (const IdMap *map,
               gint64       id)
{
  IdIndex key = { id, 0 };
  IdIndex *found;

  if (map->n == 0 || id < map->min || id > map->max)
    return -1;
  if (map->direct != NULL)
    return (int) map->direct[id - map->min] - 1;

  found = bsearch (&key, map->sorted, map->n, sizeof (IdIndex), compare_id_index);

  return found ? (int) found->index : -1;
}

static void
id_map_clear (IdMap *map)
{
  g_clear_pointer (&map->direct, g_free);
  g_clear_pointer (&map->sorted, g_free);
  map->n = 0;
}

/* ------------------------------------------------------------------ */
/* Looking things up for a change                                      */

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *key;
  char   *trashed;
} Entity;

static void
entity_clear (Entity *entity)
{
  g_clear_pointer (&entity->uuid, g_free);
  g_clear_pointer (&entity->key, g_free);
  g_clear_pointer (&entity->trashed, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Entity, entity_clear)

/* Looks up a row by uuid; *@found tells whether there is one. */
static gboolean
find_entity (KdxStore    *store,
             const char  *sql,
             const char  *uuid,
             Entity      *entity,
             gboolean    *found,
             GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  *found = FALSE;
  if (uuid == NULL)
    return TRUE;

  stmt = kdx_store_prepare_cached (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;
  *found = TRUE;
  entity->id = sqlite3_column_int64 (stmt, 0);
  entity->uuid = kdx_store_column_text (stmt, 1);
  entity->key = kdx_store_column_text (stmt, 2);
  entity->trashed = kdx_store_column_text (stmt, 3);

  return TRUE;
}

/* A policy by uuid; with @live, one in the trash is refused too. */
static gboolean
find_policy (KdxStore    *store,
             const char  *uuid,
             gboolean     live,
             Entity      *policy,
             GError     **error)
{
  gboolean found;

  if (!find_entity (store, "SELECT id, uuid, key, trashed FROM policy WHERE uuid = ?1", uuid,
                    policy, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND,
                   _("There is no policy “%s” in this workspace"), uuid ? uuid : "");
      return FALSE;
    }
  if (live && policy->trashed != NULL)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID,
                   _("The policy %s is in the trash: restore it before you change its mappings"),
                   policy->key);
      return FALSE;
    }

  return TRUE;
}

static gboolean
find_system (KdxStore    *store,
             const char  *uuid,
             gboolean     live,
             Entity      *system,
             GError     **error)
{
  gboolean found;

  if (!find_entity (store, "SELECT id, uuid, key, trashed FROM ai_system WHERE uuid = ?1", uuid,
                    system, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND,
                   _("There is no AI system “%s” in this workspace"), uuid ? uuid : "");
      return FALSE;
    }
  if (live && system->trashed != NULL)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID,
                   _("The AI system %s is in the trash: restore it before you change its "
                     "policies"), system->key);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *catalog;
  char   *code;
  char   *label;
} Requirement;

static void
requirement_clear (Requirement *requirement)
{
  g_clear_pointer (&requirement->uuid, g_free);
  g_clear_pointer (&requirement->catalog, g_free);
  g_clear_pointer (&requirement->code, g_free);
  g_clear_pointer (&requirement->label, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Requirement, requirement_clear)

static gboolean
find_requirement (KdxStore     *store,
                  const char   *uuid,
                  Requirement  *requirement,
                  GError      **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT r.id, r.uuid, c.key, r.code, r.label "
                                   "FROM requirement r JOIN catalog c ON c.id = r.catalog_id "
                                   "WHERE r.uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  kdx_store_bind_text_or_null (stmt, 1, uuid);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND,
                   _("There is no requirement “%s” in this workspace"), uuid ? uuid : "");
      return FALSE;
    }
  requirement->id = sqlite3_column_int64 (stmt, 0);
  requirement->uuid = kdx_store_column_text (stmt, 1);
  requirement->catalog = kdx_store_column_text (stmt, 2);
  requirement->code = kdx_store_column_text (stmt, 3);
  requirement->label = kdx_store_column_text (stmt, 4);

  return TRUE;
}

static gboolean
find_catalog (KdxStore    *store,
              const char  *key,
              gint64      *id,
              GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT id FROM catalog WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  kdx_store_bind_text_or_null (stmt, 1, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_NOT_FOUND,
                   _("There is no catalog “%s” in this workspace; “kodex-cli catalog list” "
                     "shows the ones there are"), key ? key : "");
      return FALSE;
    }
  *id = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static gboolean
date_is_valid (const char *text)
{
  guint y, m, d;
  char rest;

  return text != NULL && strlen (text) == 10 && text[4] == '-' && text[7] == '-' &&
         sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &rest) == 3 &&
         g_date_valid_dmy (d, m, y);
}

static char *
today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* ------------------------------------------------------------------ */
/* Journal views: fixed member order, so equal objects give equal text. */

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static char *
requirement_link_to_json (const Requirement *requirement)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_member (b, "requirement", requirement->uuid);
  add_member (b, "catalog", requirement->catalog);
  add_member (b, "code", requirement->code);
  json_builder_end_object (b);

  return builder_to_string (b);
}

typedef struct
{
  int   status;
  char *assessor;      /* person uuid */
  char *date;
  char *evidence;
} Assessment;

static void
assessment_clear (Assessment *assessment)
{
  g_clear_pointer (&assessment->assessor, g_free);
  g_clear_pointer (&assessment->date, g_free);
  g_clear_pointer (&assessment->evidence, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Assessment, assessment_clear)

static char *
system_link_to_json (const Entity     *policy,
                     const Assessment *assessment)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_member (b, "policy", policy->uuid);
  add_member (b, "policy_key", policy->key);
  add_member (b, "status", compliance_ids[assessment->status]);
  add_member (b, "assessor", assessment->assessor);
  add_member (b, "assessed", assessment->date);
  add_member (b, "evidence", assessment->evidence);
  json_builder_end_object (b);

  return builder_to_string (b);
}

/* ------------------------------------------------------------------ */
/* Policy ↔ requirement                                                */

static gboolean
change_requirement_link (KdxStore    *store,
                         const char  *policy_uuid,
                         const char  *requirement_uuid,
                         gboolean     link,
                         GError     **error)
{
  g_auto(Entity) policy = { 0 };
  g_auto(Requirement) requirement = { 0 };
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *now = NULL;
  gboolean own;
  gboolean ok = FALSE;

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (!find_policy (store, policy_uuid, TRUE, &policy, error) ||
      !find_requirement (store, requirement_uuid, &requirement, error))
    goto out;

  if (link)
    {
      now = kdx_store_now_iso8601 ();
      stmt = kdx_store_prepare_cached (store, "INSERT OR IGNORE INTO policy_requirement "
                                       "(policy_id, requirement_id, created) VALUES (?1, ?2, ?3)",
                                       error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = kdx_store_prepare_cached (store, "DELETE FROM policy_requirement "
                                       "WHERE policy_id = ?1 AND requirement_id = ?2", error);
      if (stmt == NULL)
        goto out;
    }
  sqlite3_bind_int64 (stmt, 1, policy.id);
  sqlite3_bind_int64 (stmt, 2, requirement.id);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;

  /* Linking what is linked, or unlinking what is not, changes nothing and
   * is not journaled. */
  if (sqlite3_changes (kdx_store_get_db (store)) > 0)
    {
      json = requirement_link_to_json (&requirement);
      summary = g_strdup_printf ("%s · %s %s", policy.key, requirement.catalog, requirement.label);
      if (!kdx_journal_append (store, "policy", policy.uuid,
                               link ? "map-requirement" : "unmap-requirement", summary,
                               link ? NULL : json, link ? json : NULL, error))
        goto out;
      kdx_store_mark_changed (store, "policy", policy.id);
    }
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_mapping_link_requirement (KdxStore    *store,
                              const char  *policy_uuid,
                              const char  *requirement_uuid,
                              GError     **error)
{
  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  return change_requirement_link (store, policy_uuid, requirement_uuid, TRUE, error);
}

gboolean
kdx_mapping_unlink_requirement (KdxStore    *store,
                                const char  *policy_uuid,
                                const char  *requirement_uuid,
                                GError     **error)
{
  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  return change_requirement_link (store, policy_uuid, requirement_uuid, FALSE, error);
}

GPtrArray *
kdx_mapping_list_requirements (KdxStore    *store,
                               const char  *policy_uuid,
                               GError     **error)
{
  g_auto(Entity) policy = { 0 };
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) requirements = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!find_policy (store, policy_uuid, FALSE, &policy, error))
    return NULL;

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT r.uuid, c.key, r.code, r.label, pa.code, r.depth, "
                                   "r.position, r.title_en, r.title_de, r.text_en, r.text_de, "
                                   "r.applies_from, r.legal_status_en, r.legal_status_de "
                                   "FROM policy_requirement pr "
                                   "JOIN requirement r ON r.id = pr.requirement_id "
                                   "JOIN catalog c ON c.id = r.catalog_id "
                                   "LEFT JOIN requirement pa ON pa.id = r.parent_id "
                                   "WHERE pr.policy_id = ?1 ORDER BY c.key, r.position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, policy.id);

  requirements = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_requirement_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxRequirement *r = g_new0 (KdxRequirement, 1);

      r->uuid = kdx_store_column_text (stmt, 0);
      r->catalog = kdx_store_column_text (stmt, 1);
      r->code = kdx_store_column_text (stmt, 2);
      r->label = kdx_store_column_text (stmt, 3);
      r->parent = kdx_store_column_text (stmt, 4);
      r->depth = sqlite3_column_int (stmt, 5);
      r->position = sqlite3_column_int (stmt, 6);
      r->title_en = kdx_store_column_text (stmt, 7);
      r->title_de = kdx_store_column_text (stmt, 8);
      r->text_en = kdx_store_column_text (stmt, 9);
      r->text_de = kdx_store_column_text (stmt, 10);
      r->applies_from = kdx_store_column_text (stmt, 11);
      r->legal_status_en = kdx_store_column_text (stmt, 12);
      r->legal_status_de = kdx_store_column_text (stmt, 13);
      if (r->label == NULL)
        r->label = g_strdup (r->code);
      g_ptr_array_add (requirements, r);
    }

  return g_steal_pointer (&requirements);
}

GPtrArray *
kdx_mapping_list_policies_for_requirement (KdxStore    *store,
                                           const char  *requirement_uuid,
                                           GError     **error)
{
  g_auto(Requirement) requirement = { 0 };
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!find_requirement (store, requirement_uuid, &requirement, error))
    return NULL;

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT p.uuid, p.key, p.title, " IN_EFFECT ("p") " "
                                   "FROM policy_requirement pr JOIN policy p ON p.id = pr.policy_id "
                                   "WHERE pr.requirement_id = ?1 AND p.trashed IS NULL "
                                   "ORDER BY " KEY_ORDER ("p"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, requirement.id);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_mapping_row_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxMappingRow *row = g_new0 (KdxMappingRow, 1);

      row->uuid = kdx_store_column_text (stmt, 0);
      row->key = kdx_store_column_text (stmt, 1);
      row->title = kdx_store_column_text (stmt, 2);
      row->in_effect = sqlite3_column_int (stmt, 3) != 0;
      row->compliance = -1;
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------ */
/* Policy ↔ AI system                                                  */

static gboolean
load_assessment (KdxStore    *store,
                 gint64       system_id,
                 gint64       policy_id,
                 Assessment  *assessment,
                 gboolean    *found,
                 GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *status = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT ps.status, a.uuid, ps.assessed, ps.evidence "
                                   "FROM policy_system ps LEFT JOIN person a ON a.id = ps.assessor_id "
                                   "WHERE ps.system_id = ?1 AND ps.policy_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, system_id);
  sqlite3_bind_int64 (stmt, 2, policy_id);
  *found = sqlite3_step (stmt) == SQLITE_ROW;
  if (*found)
    {
      status = kdx_store_column_text (stmt, 0);
      assessment->status = MAX (kdx_compliance_from_string (status), 0);
      assessment->assessor = kdx_store_column_text (stmt, 1);
      assessment->date = kdx_store_column_text (stmt, 2);
      assessment->evidence = kdx_store_column_text (stmt, 3);
    }

  return TRUE;
}

/* The row id of a live person. */
static gboolean
assessor_id (KdxStore    *store,
             const char  *uuid,
             gint64      *id,
             GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT id FROM person WHERE uuid = ?1 AND trashed IS NULL",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID,
                   _("The assessor “%s” is not a person in this workspace: choose someone "
                     "from People"), uuid);
      return FALSE;
    }
  *id = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

gboolean
kdx_mapping_set_system_policy (KdxStore      *store,
                               const char    *system_uuid,
                               const char    *policy_uuid,
                               KdxCompliance  status,
                               const char    *assessor,
                               const char    *date,
                               const char    *evidence,
                               GError       **error)
{
  g_auto(Entity) system = { 0 };
  g_auto(Entity) policy = { 0 };
  g_auto(Assessment) before = { 0 };
  g_auto(Assessment) after = { 0 };
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  g_autofree char *summary = NULL;
  gint64 person = 0;
  gboolean found = FALSE;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  /* What can be judged without the workspace is judged first. */
  if ((guint) status >= KDX_COMPLIANCE_N_STATES)
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID,
                   _("%d is not a compliance status"), (int) status);
      return FALSE;
    }
  if (date != NULL && *date != '\0' && !date_is_valid (date))
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID,
                   _("“%s” is not a date: write the date of the assessment as YYYY-MM-DD, "
                     "such as 2025-03-31"), date);
      return FALSE;
    }
  if (evidence != NULL && (!g_utf8_validate (evidence, -1, NULL) ||
                           strlen (evidence) > MAX_EVIDENCE_BYTES))
    {
      g_set_error (error, KDX_MAPPING_ERROR, KDX_MAPPING_ERROR_INVALID,
                   _("The evidence note must be text of at most %d kB"), MAX_EVIDENCE_BYTES / 1024);
      return FALSE;
    }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (!find_system (store, system_uuid, TRUE, &system, error) ||
      !find_policy (store, policy_uuid, TRUE, &policy, error))
    goto out;
  if (assessor != NULL && *assessor != '\0' && !assessor_id (store, assessor, &person, error))
    goto out;
  if (!load_assessment (store, system.id, policy.id, &before, &found, error))
    goto out;

  after.status = status;
  after.assessor = person > 0 ? g_strdup (assessor) : NULL;
  after.evidence = evidence != NULL && *evidence != '\0' ? g_strdup (evidence) : NULL;
  if (date != NULL && *date != '\0')
    after.date = g_strdup (date);
  else if (status != KDX_COMPLIANCE_NOT_ASSESSED)
    after.date = today ();

  after_json = system_link_to_json (&policy, &after);
  if (found)
    {
      before_json = system_link_to_json (&policy, &before);
      if (g_str_equal (before_json, after_json))
        {
          ok = TRUE;
          goto out;
        }
    }

  stmt = kdx_store_prepare_cached (store, "INSERT INTO policy_system (policy_id, system_id, status, "
                                   "assessor_id, assessed, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                   "ON CONFLICT (system_id, policy_id) DO UPDATE SET "
                                   "status = excluded.status, assessor_id = excluded.assessor_id, "
                                   "assessed = excluded.assessed, evidence = excluded.evidence",
                                   error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, policy.id);
  sqlite3_bind_int64 (stmt, 2, system.id);
  sqlite3_bind_text (stmt, 3, compliance_ids[status], -1, SQLITE_STATIC);
  if (person > 0)
    sqlite3_bind_int64 (stmt, 4, person);
  else
    sqlite3_bind_null (stmt, 4);
  kdx_store_bind_text_or_null (stmt, 5, after.date);
  kdx_store_bind_text_or_null (stmt, 6, after.evidence);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;

  summary = g_strdup_printf ("%s · %s: %s", system.key, policy.key, compliance_ids[status]);
  if (!kdx_journal_append (store, "ai_system", system.uuid, found ? "assess-policy" : "map-policy",
                           summary, before_json, after_json, error))
    goto out;
  kdx_store_mark_changed (store, "ai_system", system.id);
  kdx_store_mark_changed (store, "policy", policy.id);
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_mapping_remove_system_policy (KdxStore    *store,
                                  const char  *system_uuid,
                                  const char  *policy_uuid,
                                  GError     **error)
{
  g_auto(Entity) system = { 0 };
  g_auto(Entity) policy = { 0 };
  g_auto(Assessment) before = { 0 };
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *summary = NULL;
  gboolean found = FALSE;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (!find_system (store, system_uuid, TRUE, &system, error) ||
      !find_policy (store, policy_uuid, TRUE, &policy, error) ||
      !load_assessment (store, system.id, policy.id, &before, &found, error))
    goto out;

  /* Removing what is not there changes nothing and is not journaled. */
  if (found)
    {
      stmt = kdx_store_prepare_cached (store, "DELETE FROM policy_system "
                                       "WHERE system_id = ?1 AND policy_id = ?2", error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, system.id);
      sqlite3_bind_int64 (stmt, 2, policy.id);
      if (!kdx_store_step_done (store, stmt, error))
        goto out;

      before_json = system_link_to_json (&policy, &before);
      summary = g_strdup_printf ("%s · %s", system.key, policy.key);
      if (!kdx_journal_append (store, "ai_system", system.uuid, "unmap-policy", summary,
                               before_json, NULL, error))
        goto out;
      kdx_store_mark_changed (store, "ai_system", system.id);
      kdx_store_mark_changed (store, "policy", policy.id);
    }
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

static GPtrArray *
list_links (KdxStore     *store,
            const char   *sql,
            gint64        id,
            GError      **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  stmt = kdx_store_prepare_cached (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_mapping_row_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxMappingRow *row = g_new0 (KdxMappingRow, 1);
      g_autofree char *status = kdx_store_column_text (stmt, 3);

      row->uuid = kdx_store_column_text (stmt, 0);
      row->key = kdx_store_column_text (stmt, 1);
      row->title = kdx_store_column_text (stmt, 2);
      row->compliance = kdx_compliance_from_string (status);
      row->assessor = kdx_store_column_text (stmt, 4);
      row->assessor_name = kdx_store_column_text (stmt, 5);
      row->date = kdx_store_column_text (stmt, 6);
      row->evidence = kdx_store_column_text (stmt, 7);
      row->in_effect = sqlite3_column_int (stmt, 8) != 0;
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

GPtrArray *
kdx_mapping_list_system_policies (KdxStore    *store,
                                  const char  *system_uuid,
                                  GError     **error)
{
  g_auto(Entity) system = { 0 };

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!find_system (store, system_uuid, FALSE, &system, error))
    return NULL;

  return list_links (store,
                     "SELECT p.uuid, p.key, p.title, ps.status, a.uuid, a.name, ps.assessed, "
                     "ps.evidence, " IN_EFFECT ("p") " "
                     "FROM policy_system ps JOIN policy p ON p.id = ps.policy_id "
                     "LEFT JOIN person a ON a.id = ps.assessor_id "
                     "WHERE ps.system_id = ?1 AND p.trashed IS NULL "
                     "ORDER BY " KEY_ORDER ("p"), system.id, error);
}

GPtrArray *
kdx_mapping_list_policy_systems (KdxStore    *store,
                                 const char  *policy_uuid,
                                 GError     **error)
{
  g_auto(Entity) policy = { 0 };

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!find_policy (store, policy_uuid, FALSE, &policy, error))
    return NULL;

  return list_links (store,
                     "SELECT s.uuid, s.key, s.name, ps.status, a.uuid, a.name, ps.assessed, "
                     "ps.evidence, 0 "
                     "FROM policy_system ps JOIN ai_system s ON s.id = ps.system_id "
                     "LEFT JOIN person a ON a.id = ps.assessor_id "
                     "WHERE ps.policy_id = ?1 AND s.trashed IS NULL "
                     "ORDER BY " KEY_ORDER ("s"), policy.id, error);
}

/* ------------------------------------------------------------------ */
/* The matrix                                                          */

/* Reads "id, uuid, key, title" rows into parallel arrays. */
static gboolean
load_axis (KdxStore    *store,
           const char  *sql,
           GArray      *ids,
           GPtrArray   *uuids,
           GPtrArray   *labels,
           GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = kdx_store_prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (uuids, kdx_store_column_text (stmt, 1));
      g_ptr_array_add (labels, g_strdup_printf ("%s · %s",
                                                (const char *) sqlite3_column_text (stmt, 2),
                                                (const char *) sqlite3_column_text (stmt, 3)));
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  g_ptr_array_add (uuids, NULL);
  g_ptr_array_add (labels, NULL);

  return TRUE;
}

/* The status as a number in SQL, so that 4 million cells never compare
 * strings in C. */
#define STATUS_NUMBER(c)                                                      \
  "CASE " c " WHEN 'compliant' THEN 0 WHEN 'partial' THEN 1 "                 \
  "WHEN 'non-compliant' THEN 2 WHEN 'not-assessed' THEN 3 "                   \
  "WHEN 'not-applicable' THEN 4 ELSE 3 END"

G_STATIC_ASSERT (KDX_COMPLIANCE_COMPLIANT == 0 && KDX_COMPLIANCE_PARTIAL == 1 &&
                 KDX_COMPLIANCE_NON_COMPLIANT == 2 && KDX_COMPLIANCE_NOT_ASSESSED == 3 &&
                 KDX_COMPLIANCE_NOT_APPLICABLE == 4);

KdxCoverageMatrix *
kdx_coverage_matrix_load (KdxStore  *store,
                          GError   **error)
{
  g_autoptr(KdxCoverageMatrix) matrix = g_new0 (KdxCoverageMatrix, 1);
  g_autoptr(GArray) system_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) policy_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) system_uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) system_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) policy_uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) policy_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KdxCachedStmt) stmt = NULL;
  IdMap systems, policies;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!load_axis (store, "SELECT id, uuid, key, name FROM ai_system WHERE trashed IS NULL "
                  "ORDER BY " KEY_ORDER ("ai_system"),
                  system_ids, system_uuids, system_labels, error) ||
      !load_axis (store, "SELECT id, uuid, key, title FROM policy WHERE trashed IS NULL "
                  "ORDER BY " KEY_ORDER ("policy"),
                  policy_ids, policy_uuids, policy_labels, error))
    return NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT system_id, policy_id, " STATUS_NUMBER ("status")
                                   " FROM policy_system", error);
  if (stmt == NULL)
    return NULL;

  matrix->n_systems = system_ids->len;
  matrix->n_policies = policy_ids->len;
  matrix->cells = g_malloc0 ((gsize) matrix->n_systems * matrix->n_policies + 1);
  id_map_init (&systems, (gint64 *) system_ids->data, system_ids->len);
  id_map_init (&policies, (gint64 *) policy_ids->data, policy_ids->len);

  /* Rows of trashed systems or policies find no index and are skipped. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int s = id_map_lookup (&systems, sqlite3_column_int64 (stmt, 0));
      int p = id_map_lookup (&policies, sqlite3_column_int64 (stmt, 1));

      if (s >= 0 && p >= 0)
        matrix->cells[(gsize) s * matrix->n_policies + p] = sqlite3_column_int (stmt, 2) + 1;
    }
  id_map_clear (&systems);
  id_map_clear (&policies);
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  matrix->system_uuids = (GStrv) g_ptr_array_steal (system_uuids, NULL);
  matrix->system_labels = (GStrv) g_ptr_array_steal (system_labels, NULL);
  matrix->policy_uuids = (GStrv) g_ptr_array_steal (policy_uuids, NULL);
  matrix->policy_labels = (GStrv) g_ptr_array_steal (policy_labels, NULL);

  return g_steal_pointer (&matrix);
}

/* ------------------------------------------------------------------ */
/* The requirement tree of a catalog                                   */

typedef struct
{
  gint64     catalog_id;
  guint      n;
  gint64    *ids;          /* by document order */
  int       *parent;       /* index of the parent, -1 for top level */
  guint     *n_children;
  IdMap      map;
  /* With rows: KdxRequirementCoverage per requirement, else NULL. */
  GPtrArray *rows;
  /* Scratch for propagate(). */
  guint     *n_covered;
  guint     *n_touched;
} Tree;

static void
tree_clear (Tree *tree)
{
  g_clear_pointer (&tree->ids, g_free);
  g_clear_pointer (&tree->parent, g_free);
  g_clear_pointer (&tree->n_children, g_free);
  g_clear_pointer (&tree->n_covered, g_free);
  g_clear_pointer (&tree->n_touched, g_free);
  g_clear_pointer (&tree->rows, g_ptr_array_unref);
  id_map_clear (&tree->map);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tree, tree_clear)

static gboolean
load_tree (KdxStore    *store,
           const char  *catalog_key,
           gboolean     with_rows,
           Tree        *tree,
           GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) parent_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean german = with_rows && kdx_prefer_german ();
  int rc;

  memset (tree, 0, sizeof *tree);
  if (!find_catalog (store, catalog_key, &tree->catalog_id, error))
    return FALSE;

  stmt = kdx_store_prepare_cached (store, "SELECT id, parent_id, uuid, code, label, depth, "
                                   "title_en, title_de FROM requirement WHERE catalog_id = ?1 "
                                   "ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, tree->catalog_id);
  if (with_rows)
    tree->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_requirement_coverage_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 parent_id = sqlite3_column_int64 (stmt, 1);   /* 0 for NULL */

      g_array_append_val (ids, id);
      g_array_append_val (parent_ids, parent_id);
      if (with_rows)
        {
          KdxRequirementCoverage *row = g_new0 (KdxRequirementCoverage, 1);
          const char *title_en = (const char *) sqlite3_column_text (stmt, 6);
          const char *title_de = (const char *) sqlite3_column_text (stmt, 7);

          row->uuid = kdx_store_column_text (stmt, 2);
          row->code = kdx_store_column_text (stmt, 3);
          row->label = kdx_store_column_text (stmt, 4);
          row->depth = sqlite3_column_int (stmt, 5);
          row->title = g_strdup (german && title_de != NULL && *title_de ? title_de : title_en);
          if (row->label == NULL)
            row->label = g_strdup (row->code);
          g_ptr_array_add (tree->rows, row);
        }
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  tree->n = ids->len;
  tree->ids = (gint64 *) g_array_steal (ids, NULL);
  id_map_init (&tree->map, tree->ids, tree->n);
  tree->parent = g_new (int, MAX (tree->n, 1));
  tree->n_children = g_new0 (guint, MAX (tree->n, 1));
  tree->n_covered = g_new0 (guint, MAX (tree->n, 1));
  tree->n_touched = g_new0 (guint, MAX (tree->n, 1));
  for (guint i = 0; i < tree->n; i++)
    {
      gint64 parent_id = g_array_index (parent_ids, gint64, i);
      int p = parent_id > 0 ? id_map_lookup (&tree->map, parent_id) : -1;

      /* A catalog lists parents before their children (kdx-catalog.h);
       * a parent that would come later is not one the passes below can
       * use, and is ignored rather than read out of order. */
      if (p >= (int) i)
        p = -1;
      tree->parent[i] = p;
      if (p >= 0)
        tree->n_children[p]++;
    }

  return TRUE;
}

/* @state holds, per requirement, how far the policies that name it cover
 * it (KdxCoverage). Applies the two rules of the head of this file in
 * place: first down (what covers a parent covers its children), in
 * document order, which puts parents first; then up (a parent whose
 * children are all covered is covered, partly when some are), in reverse. */
static void
propagate (Tree   *tree,
           guint8 *state)
{
  for (guint i = 0; i < tree->n; i++)
    if (tree->parent[i] >= 0 && state[tree->parent[i]] > state[i])
      state[i] = state[tree->parent[i]];

  memset (tree->n_covered, 0, tree->n * sizeof (guint));
  memset (tree->n_touched, 0, tree->n * sizeof (guint));
  for (guint i = tree->n; i-- > 0;)
    {
      int p = tree->parent[i];

      if (tree->n_children[i] > 0)
        {
          guint8 from_children = KDX_COVERAGE_GAP;

          if (tree->n_covered[i] == tree->n_children[i])
            from_children = KDX_COVERAGE_COVERED;
          else if (tree->n_touched[i] > 0)
            from_children = KDX_COVERAGE_PARTLY;
          state[i] = MAX (state[i], from_children);
        }
      if (p >= 0)
        {
          tree->n_covered[p] += state[i] == KDX_COVERAGE_COVERED;
          tree->n_touched[p] += state[i] != KDX_COVERAGE_GAP;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Requirement coverage of a catalog                                   */

static int
compare_uints (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

GPtrArray *
kdx_coverage_requirements (KdxStore    *store,
                           const char  *catalog_key,
                           int          only,
                           GError     **error)
{
  g_auto(Tree) tree = { 0 };
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) link_req = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) link_policy = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) result = NULL;
  g_autofree guint8 *state = NULL;
  g_autofree guint *first = NULL;    /* CSR: links of requirement i at first[i] … first[i + 1] */
  g_autofree guint *policy_of = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 last_policy = 0;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (only >= -1 && only < KDX_COVERAGE_N_STATES, NULL);

  if (!load_tree (store, catalog_key, TRUE, &tree, error))
    return NULL;

  /* Policies in key order; each gets an ordinal, so that the keys listed
   * on a row come out in that order too. */
  stmt = kdx_store_prepare_cached (store, "SELECT pr.requirement_id, p.id, p.key, "
                                   IN_EFFECT ("p") " "
                                   "FROM policy_requirement pr "
                                   "JOIN requirement r ON r.id = pr.requirement_id "
                                   "JOIN policy p ON p.id = pr.policy_id "
                                   "WHERE r.catalog_id = ?1 AND p.trashed IS NULL "
                                   "ORDER BY " KEY_ORDER ("p"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, tree.catalog_id);

  state = g_malloc0 (MAX (tree.n, 1));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int r = id_map_lookup (&tree.map, sqlite3_column_int64 (stmt, 0));
      gint64 policy_id = sqlite3_column_int64 (stmt, 1);
      guint8 s = sqlite3_column_int (stmt, 3) ? KDX_COVERAGE_COVERED : KDX_COVERAGE_PARTLY;
      guint ordinal;

      if (r < 0)
        continue;
      if (policy_id != last_policy)
        {
          g_ptr_array_add (keys, kdx_store_column_text (stmt, 2));
          last_policy = policy_id;
        }
      ordinal = keys->len - 1;
      state[r] = MAX (state[r], s);
      g_array_append_val (link_req, r);
      g_array_append_val (link_policy, ordinal);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  /* Group the links by requirement (a counting sort). */
  first = g_new0 (guint, tree.n + 1);
  policy_of = g_new (guint, MAX (link_req->len, 1));
  for (guint k = 0; k < link_req->len; k++)
    first[g_array_index (link_req, guint, k) + 1]++;
  for (guint i = 0; i < tree.n; i++)
    first[i + 1] += first[i];
  {
    g_autofree guint *fill = g_memdup2 (first, (tree.n + 1) * sizeof (guint));

    for (guint k = 0; k < link_req->len; k++)
      policy_of[fill[g_array_index (link_req, guint, k)]++] = g_array_index (link_policy, guint, k);
  }

  propagate (&tree, state);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_requirement_coverage_free);
  for (guint i = 0; i < tree.n; i++)
    {
      KdxRequirementCoverage *row = tree.rows->pdata[i];

      row->coverage = state[i];
      if (only >= 0 && row->coverage != (KdxCoverage) only)
        continue;

      /* The policies that cover it: its own and those of its ancestors. */
      g_array_set_size (found, 0);
      for (int a = i; a >= 0; a = tree.parent[a])
        g_array_append_vals (found, policy_of + first[a], first[a + 1] - first[a]);
      g_array_sort (found, compare_uints);
      if (found->len > 0)
        {
          g_autoptr(GString) text = g_string_new (NULL);

          for (guint k = 0; k < found->len; k++)
            {
              guint ordinal = g_array_index (found, guint, k);

              if (k > 0 && ordinal == g_array_index (found, guint, k - 1))
                continue;
              if (text->len > 0)
                g_string_append (text, ", ");
              g_string_append (text, keys->pdata[ordinal]);
              row->n_policies++;
            }
          row->policies = g_string_free (g_steal_pointer (&text), FALSE);
        }

      tree.rows->pdata[i] = NULL;
      g_ptr_array_add (result, row);
    }

  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------ */
/* Coverage of systems                                                 */

/* A (system, something) pair, to be grouped by system. */
typedef struct
{
  guint system;
  int   value;
  int   status;
} Pair;

/* Groups @pairs by system with a counting sort: the pairs of system s
 * end up at (*first)[s] … (*first)[s + 1]. */
static Pair *
group_by_system (GArray  *pairs,
                 guint    n_systems,
                 guint  **first)
{
  Pair *grouped = g_new (Pair, MAX (pairs->len, 1));
  g_autofree guint *fill = NULL;

  *first = g_new0 (guint, n_systems + 1);
  for (guint k = 0; k < pairs->len; k++)
    (*first)[g_array_index (pairs, Pair, k).system + 1]++;
  for (guint s = 0; s < n_systems; s++)
    (*first)[s + 1] += (*first)[s];
  fill = g_memdup2 (*first, (n_systems + 1) * sizeof (guint));
  for (guint k = 0; k < pairs->len; k++)
    {
      const Pair *pair = &g_array_index (pairs, Pair, k);

      grouped[fill[pair->system]++] = *pair;
    }

  return grouped;
}

/* The requirements of the catalog each system must meet: for the EU AI
 * Act the obligations of its classification (an obligation whose
 * requirement is not in the workspace stays, as a gap: value -1). For
 * other catalogs every system has the same leaves, *@pairs stays NULL. */
static gboolean
load_required (KdxStore     *store,
               const char   *catalog_key,
               Tree         *tree,
               const IdMap  *systems,
               guint         n_systems,
               gint64        only_system,
               Pair        **pairs,
               guint       **first,
               GArray       *leaves,
               GError      **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GArray) found = NULL;
  int rc;

  *pairs = NULL;
  *first = NULL;

  if (!g_str_equal (catalog_key, EU_AI_ACT))
    {
      for (guint i = 0; i < tree->n; i++)
        if (tree->n_children[i] == 0)
          g_array_append_val (leaves, i);
      return TRUE;
    }

  stmt = kdx_store_prepare_cached (store, "SELECT DISTINCT so.system_id, so.code, r.id "
                                   "FROM system_obligation so LEFT JOIN requirement r "
                                   "ON r.catalog_id = ?1 AND r.code = so.code "
                                   "WHERE so.catalog = ?2 AND (?3 = 0 OR so.system_id = ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, tree->catalog_id);
  sqlite3_bind_text (stmt, 2, catalog_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, only_system);

  found = g_array_new (FALSE, FALSE, sizeof (Pair));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int s = id_map_lookup (systems, sqlite3_column_int64 (stmt, 0));
      Pair pair;

      if (s < 0)
        continue;
      pair.system = s;
      pair.value = sqlite3_column_type (stmt, 2) == SQLITE_NULL
                   ? -1 : id_map_lookup (&tree->map, sqlite3_column_int64 (stmt, 2));
      pair.status = -1;
      g_array_append_val (found, pair);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  *pairs = group_by_system (found, n_systems, first);

  return TRUE;
}

/* For each live policy with links into the catalog, the requirements it
 * names: policy id → index, and its links at first[index] … first[index + 1]. */
typedef struct
{
  IdMap  map;
  guint *first;
  int   *requirement;
} Links;

static void
links_clear (Links *links)
{
  id_map_clear (&links->map);
  g_clear_pointer (&links->first, g_free);
  g_clear_pointer (&links->requirement, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Links, links_clear)

static gboolean
load_links (KdxStore  *store,
            Tree      *tree,
            Links     *links,
            GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GArray) policy_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) requirements = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 last = 0;
  int rc;

  memset (links, 0, sizeof *links);
  stmt = kdx_store_prepare_cached (store, "SELECT pr.policy_id, pr.requirement_id "
                                   "FROM policy_requirement pr "
                                   "JOIN requirement r ON r.id = pr.requirement_id "
                                   "WHERE r.catalog_id = ?1 ORDER BY pr.policy_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, tree->catalog_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 policy_id = sqlite3_column_int64 (stmt, 0);
      int r = id_map_lookup (&tree->map, sqlite3_column_int64 (stmt, 1));

      if (r < 0)
        continue;
      if (policy_id != last)
        {
          guint at = requirements->len;

          g_array_append_val (policy_ids, policy_id);
          g_array_append_val (first, at);
          last = policy_id;
        }
      g_array_append_val (requirements, r);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  {
    guint end = requirements->len;

    g_array_append_val (first, end);
  }

  id_map_init (&links->map, (gint64 *) policy_ids->data, policy_ids->len);
  links->first = (guint *) g_array_steal (first, NULL);
  links->requirement = (int *) g_array_steal (requirements, NULL);

  return TRUE;
}

/* The policies applied to the systems, grouped by system: value is the
 * policy's index in @links (-1: no links into the catalog). Trashed
 * policies do not count. */
static gboolean
load_applied (KdxStore     *store,
              const IdMap  *systems,
              guint         n_systems,
              gint64        only_system,
              const Links  *links,
              Pair        **pairs,
              guint       **first,
              GError      **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Pair));
  int rc;

  stmt = kdx_store_prepare_cached (store, "SELECT ps.system_id, ps.policy_id, "
                                   STATUS_NUMBER ("ps.status") " "
                                   "FROM policy_system ps JOIN policy p ON p.id = ps.policy_id "
                                   "WHERE p.trashed IS NULL AND (?1 = 0 OR ps.system_id = ?1)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, only_system);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int s = id_map_lookup (systems, sqlite3_column_int64 (stmt, 0));
      Pair pair;

      if (s < 0)
        continue;
      pair.system = s;
      pair.value = id_map_lookup (&links->map, sqlite3_column_int64 (stmt, 1));
      pair.status = sqlite3_column_int (stmt, 2);
      g_array_append_val (found, pair);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  *pairs = group_by_system (found, n_systems, first);

  return TRUE;
}

/* Fills @state for the policies @applied[0 … n) of one system and
 * propagates it; returns whether any policy covers anything. */
static gboolean
system_state (Tree        *tree,
              const Links *links,
              const Pair  *applied,
              guint        n,
              guint8      *state)
{
  gboolean any = FALSE;

  for (guint k = 0; k < n; k++)
    {
      guint8 s = coverage_of_status (applied[k].status);

      if (applied[k].value < 0 || s == KDX_COVERAGE_GAP)
        continue;
      if (!any)
        memset (state, KDX_COVERAGE_GAP, tree->n);
      any = TRUE;
      for (guint l = links->first[applied[k].value]; l < links->first[applied[k].value + 1]; l++)
        state[links->requirement[l]] = MAX (state[links->requirement[l]], s);
    }
  if (any)
    propagate (tree, state);

  return any;
}

GPtrArray *
kdx_coverage_systems (KdxStore    *store,
                      const char  *catalog_key,
                      GError     **error)
{
  g_auto(Tree) tree = { 0 };
  g_auto(Links) links = { 0 };
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_coverage_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) leaves = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree Pair *required = NULL;
  g_autofree guint *required_first = NULL;
  g_autofree Pair *applied = NULL;
  g_autofree guint *applied_first = NULL;
  g_autofree guint8 *state = NULL;
  IdMap systems;
  gboolean ok;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!load_tree (store, catalog_key, FALSE, &tree, error))
    return NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT id, uuid, key, name FROM ai_system "
                                   "WHERE trashed IS NULL ORDER BY " KEY_ORDER ("ai_system"),
                                   error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KdxSystemCoverage *row = g_new0 (KdxSystemCoverage, 1);
      gint64 id = sqlite3_column_int64 (stmt, 0);

      row->system = kdx_store_column_text (stmt, 1);
      row->key = kdx_store_column_text (stmt, 2);
      row->name = kdx_store_column_text (stmt, 3);
      row->compliance = -1;
      g_ptr_array_add (rows, row);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  id_map_init (&systems, (gint64 *) ids->data, ids->len);
  ok = load_required (store, catalog_key, &tree, &systems, rows->len, 0, &required,
                      &required_first, leaves, error) &&
       load_links (store, &tree, &links, error) &&
       load_applied (store, &systems, rows->len, 0, &links, &applied, &applied_first, error);
  id_map_clear (&systems);
  if (!ok)
    return NULL;

  state = g_malloc0 (MAX (tree.n, 1));
  for (guint s = 0; s < rows->len; s++)
    {
      KdxSystemCoverage *row = rows->pdata[s];
      const Pair *mine = applied + applied_first[s];
      guint n_mine = applied_first[s + 1] - applied_first[s];
      gboolean any;

      for (guint k = 0; k < n_mine; k++)
        row->compliance = kdx_compliance_worse (row->compliance, mine[k].status);

      any = system_state (&tree, &links, mine, n_mine, state);

      if (required != NULL)
        {
          for (guint k = required_first[s]; k < required_first[s + 1]; k++)
            {
              int r = required[k].value;
              guint8 c = any && r >= 0 ? state[r] : KDX_COVERAGE_GAP;

              row->n_required++;
              row->n_covered += c == KDX_COVERAGE_COVERED;
              row->n_partly += c == KDX_COVERAGE_PARTLY;
            }
        }
      else
        {
          row->n_required = leaves->len;
          for (guint k = 0; any && k < leaves->len; k++)
            {
              guint8 c = state[g_array_index (leaves, guint, k)];

              row->n_covered += c == KDX_COVERAGE_COVERED;
              row->n_partly += c == KDX_COVERAGE_PARTLY;
            }
        }
      row->n_gap = row->n_required - row->n_covered - row->n_partly;
    }

  return g_steal_pointer (&rows);
}

GPtrArray *
kdx_coverage_system_requirements (KdxStore    *store,
                                  const char  *system_uuid,
                                  const char  *catalog_key,
                                  GError     **error)
{
  g_auto(Entity) system = { 0 };
  g_auto(Tree) tree = { 0 };
  g_auto(Links) links = { 0 };
  g_autoptr(GArray) leaves = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree Pair *required = NULL;
  g_autofree guint *required_first = NULL;
  g_autofree Pair *applied = NULL;
  g_autofree guint *applied_first = NULL;
  g_autofree guint8 *state = NULL;
  g_autofree guint8 *reach = NULL;
  g_autofree GString **texts = NULL;
  IdMap systems;
  gboolean any, ok;
  guint n_applied;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!find_system (store, system_uuid, FALSE, &system, error) ||
      !load_tree (store, catalog_key, TRUE, &tree, error))
    return NULL;

  id_map_init (&systems, &system.id, 1);
  ok = load_required (store, catalog_key, &tree, &systems, 1, system.id, &required,
                      &required_first, leaves, error) &&
       load_links (store, &tree, &links, error) &&
       load_applied (store, &systems, 1, system.id, &links, &applied, &applied_first, error);
  id_map_clear (&systems);
  if (!ok)
    return NULL;

  n_applied = applied_first[1];
  state = g_malloc0 (MAX (tree.n, 1));
  any = system_state (&tree, &links, applied, n_applied, state);

  /* Which policies reach which requirement (directly or through an
   * ancestor), to name them on the rows: a policy's key comes from a
   * small query, in key order. */
  stmt = kdx_store_prepare_cached (store, "SELECT p.id, p.key FROM policy_system ps "
                                   "JOIN policy p ON p.id = ps.policy_id "
                                   "WHERE ps.system_id = ?1 AND p.trashed IS NULL "
                                   "ORDER BY " KEY_ORDER ("p"), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, system.id);
  texts = g_new0 (GString *, MAX (tree.n, 1));
  reach = g_malloc (MAX (tree.n, 1));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int p = id_map_lookup (&links.map, sqlite3_column_int64 (stmt, 0));

      if (p < 0)
        continue;
      memset (reach, 0, tree.n);
      for (guint l = links.first[p]; l < links.first[p + 1]; l++)
        reach[links.requirement[l]] = 1;
      for (guint i = 0; i < tree.n; i++)
        {
          if (tree.parent[i] >= 0 && reach[tree.parent[i]])
            reach[i] = 1;
          if (!reach[i])
            continue;
          if (texts[i] == NULL)
            texts[i] = g_string_new (NULL);
          else
            g_string_append (texts[i], ", ");
          g_string_append (texts[i], (const char *) sqlite3_column_text (stmt, 1));
          ((KdxRequirementCoverage *) tree.rows->pdata[i])->n_policies++;
        }
    }

  if (required != NULL)
    for (guint k = 0; k < required_first[1]; k++)
      {
        int r = required[k].value;

        if (r >= 0)
          g_array_append_val (wanted, r);
      }
  else
    g_array_append_vals (wanted, leaves->data, leaves->len);
  g_array_sort (wanted, compare_uints);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_requirement_coverage_free);
  for (guint k = 0; k < wanted->len; k++)
    {
      int r = g_array_index (wanted, int, k);
      KdxRequirementCoverage *row;

      if (k > 0 && r == g_array_index (wanted, int, k - 1))
        continue;
      row = g_steal_pointer (&tree.rows->pdata[r]);
      row->coverage = any ? state[r] : KDX_COVERAGE_GAP;
      if (texts[r] != NULL)
        row->policies = g_string_free (g_steal_pointer (&texts[r]), FALSE);
      g_ptr_array_add (result, row);
    }
  for (guint i = 0; i < tree.n; i++)
    if (texts[i] != NULL)
      g_string_free (texts[i], TRUE);

  return g_steal_pointer (&result);
}
