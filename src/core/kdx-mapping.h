/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mappings and coverage (DESIGN §4): a policy covers requirements of the
 * catalogs; a policy applies to AI systems, each with a compliance status,
 * assessor, date and evidence note. From these, in core for the UI, the
 * CLI and the reports: which requirements no policy covers, which systems
 * are not compliant, and the matrix systems × policies.
 */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_MAPPING_ERROR (kdx_mapping_error_quark ())

typedef enum
{
  KDX_MAPPING_ERROR_NOT_FOUND,   /* no such policy, system or requirement */
  KDX_MAPPING_ERROR_INVALID,
} KdxMappingError;

GQuark kdx_mapping_error_quark (void);

typedef enum
{
  KDX_COMPLIANCE_COMPLIANT,
  KDX_COMPLIANCE_PARTIAL,
  KDX_COMPLIANCE_NON_COMPLIANT,
  KDX_COMPLIANCE_NOT_ASSESSED,
  KDX_COMPLIANCE_NOT_APPLICABLE,
  KDX_COMPLIANCE_N_STATES
} KdxCompliance;

/* "compliant", "partial", "non-compliant", "not-assessed",
 * "not-applicable"; translated labels. */
const char *kdx_compliance_to_string   (KdxCompliance  status);
int         kdx_compliance_from_string (const char    *text);
const char *kdx_compliance_get_label   (KdxCompliance  status);
/* Worst first: non-compliant, partial, not assessed, compliant, not
 * applicable. Returns whichever of @a and @b is worse (-1: none). */
int         kdx_compliance_worse       (int            a,
                                        int            b);

typedef enum
{
  KDX_COVERAGE_GAP,        /* no policy covers it */
  KDX_COVERAGE_PARTLY,     /* only policies not (yet) in effect, or assessed partial */
  KDX_COVERAGE_COVERED,
  KDX_COVERAGE_N_STATES
} KdxCoverage;

const char *kdx_coverage_to_string     (KdxCoverage    coverage);  /* "gap", "partly", "covered" */
int         kdx_coverage_from_string   (const char    *text);
const char *kdx_coverage_get_label     (KdxCoverage    coverage);

/* ------------------------------------------------------------------ */
/* Policy ↔ requirement */

gboolean    kdx_mapping_link_requirement   (KdxStore    *store,
                                            const char  *policy_uuid,
                                            const char  *requirement_uuid,
                                            GError     **error);
gboolean    kdx_mapping_unlink_requirement (KdxStore    *store,
                                            const char  *policy_uuid,
                                            const char  *requirement_uuid,
                                            GError     **error);
/* The requirements a policy covers (KdxRequirement of kdx-catalog.h), by
 * catalog then document order. */
GPtrArray  *kdx_mapping_list_requirements  (KdxStore    *store,
                                            const char  *policy_uuid,
                                            GError     **error);

typedef struct
{
  char *uuid;            /* policy or system uuid */
  char *key;             /* "POL-007", "SYS-012" */
  char *title;           /* policy title or system name */
  int   compliance;      /* KdxCompliance for policy ↔ system rows, else -1 */
  char *assessor;        /* person uuid or NULL */
  char *assessor_name;
  char *date;            /* YYYY-MM-DD or NULL */
  char *evidence;
  gboolean in_effect;    /* policy rows: the policy has a published version */
} KdxMappingRow;

void        kdx_mapping_row_free           (KdxMappingRow *row);

/* The policies that cover a requirement, by key. */
GPtrArray  *kdx_mapping_list_policies_for_requirement (KdxStore   *store,
                                                       const char *requirement_uuid,
                                                       GError    **error);

/* ------------------------------------------------------------------ */
/* Policy ↔ AI system */

/* Links (or updates the link of) a policy to a system. @assessor: a person
 * uuid or NULL; @date: YYYY-MM-DD or NULL (today when a status other than
 * not assessed is set). */
gboolean    kdx_mapping_set_system_policy  (KdxStore      *store,
                                            const char    *system_uuid,
                                            const char    *policy_uuid,
                                            KdxCompliance  status,
                                            const char    *assessor,
                                            const char    *date,
                                            const char    *evidence,
                                            GError       **error);
gboolean    kdx_mapping_remove_system_policy (KdxStore    *store,
                                            const char    *system_uuid,
                                            const char    *policy_uuid,
                                            GError       **error);
/* The policies applied to a system (KdxMappingRow, by key). */
GPtrArray  *kdx_mapping_list_system_policies (KdxStore    *store,
                                            const char    *system_uuid,
                                            GError       **error);
/* The systems a policy applies to (KdxMappingRow, by key). */
GPtrArray  *kdx_mapping_list_policy_systems (KdxStore     *store,
                                            const char    *policy_uuid,
                                            GError       **error);

/* ------------------------------------------------------------------ */
/* Coverage */

/* The matrix systems × policies: every live system (rows, by key) and
 * every live policy (columns, by key); a cell holds KdxCompliance + 1, or
 * 0 where the policy does not apply to the system. */
typedef struct
{
  guint    n_systems;
  guint    n_policies;
  GStrv    system_uuids;
  GStrv    system_labels;     /* "SYS-001 · Lead scoring" */
  GStrv    policy_uuids;
  GStrv    policy_labels;     /* "POL-001 · Disclosure of AI use" */
  guint8  *cells;             /* n_systems × n_policies, row-major */
} KdxCoverageMatrix;

void               kdx_coverage_matrix_free (KdxCoverageMatrix *matrix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCoverageMatrix, kdx_coverage_matrix_free)
KdxCoverageMatrix *kdx_coverage_matrix_load (KdxStore   *store,
                                             GError    **error);

/* Requirement coverage of a catalog: covered when a policy in effect (a
 * published version) covers it, partly when only policies not yet in
 * effect do, a gap otherwise. A parent is covered when it or all its
 * children are (partly when some of them are covered or partly), and a
 * policy that covers a parent covers its children too. Only live
 * policies (not in the trash) count; a retired one is not in effect. */
typedef struct
{
  char        *uuid;
  char        *code;
  char        *label;
  char        *title;         /* in the UI's language */
  guint        depth;
  KdxCoverage  coverage;
  guint        n_policies;
  char        *policies;      /* "POL-001, POL-004" or NULL */
} KdxRequirementCoverage;

void        kdx_requirement_coverage_free  (KdxRequirementCoverage *row);

/* In document order; @only (optional, -1: all) keeps one KdxCoverage.
 * @policies names the policies that cover a row directly or through an
 * ancestor (not those of its children), by key. */
GPtrArray  *kdx_coverage_requirements      (KdxStore    *store,
                                            const char  *catalog_key,
                                            int          only,
                                            GError     **error);

/* Per system, for one catalog: the requirements the system must meet —
 * for the EU AI Act the obligations of its classification, for any other
 * catalog every requirement without children — and how many of them the
 * policies applied to the system cover: a requirement is covered when such
 * a policy covers it and is assessed compliant, partly when the best such
 * policy is assessed partial or not yet assessed, a gap otherwise (no
 * policy, or only non-compliant or not applicable ones). A policy that
 * covers a parent requirement covers its children, and a requirement whose
 * children are all covered is covered (partly when some are). An
 * obligation whose requirement is missing from the workspace counts as a
 * gap. */
typedef struct
{
  char        *system;        /* uuid */
  char        *key;
  char        *name;
  guint        n_required;
  guint        n_covered;
  guint        n_partly;
  guint        n_gap;
  int          compliance;    /* worst KdxCompliance of its policies, -1: none */
} KdxSystemCoverage;

void        kdx_system_coverage_free       (KdxSystemCoverage *row);
/* Every live system, by key. */
GPtrArray  *kdx_coverage_systems           (KdxStore    *store,
                                            const char  *catalog_key,
                                            GError     **error);

/* For one system and catalog: the requirements it must meet (as above),
 * in document order, each with its coverage by the rule above and, in
 * @policies, the system's policies that cover it directly or through an
 * ancestor, whatever their status. */
GPtrArray  *kdx_coverage_system_requirements (KdxStore  *store,
                                            const char  *system_uuid,
                                            const char  *catalog_key,
                                            GError     **error);

G_END_DECLS
