/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The register of AI systems (DESIGN §4): what each system is, who owns
 * it, its EU AI Act classification with the answers that led there, its
 * data and privacy facts, its human oversight and its RACI. Every change
 * is one journaled transaction (or joins the caller's); the actor is the
 * store's ("Acting as").
 */
#pragma once

#include "kdx-classify.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_SYSTEM_ERROR (kdx_system_error_quark ())

typedef enum
{
  KDX_SYSTEM_ERROR_INVALID,          /* a field that cannot be stored */
  KDX_SYSTEM_ERROR_NOT_FOUND,
  KDX_SYSTEM_ERROR_DUPLICATE,        /* key or name taken */
  KDX_SYSTEM_ERROR_UNKNOWN_PERSON,   /* an overseer or RACI person who is not in the workspace */
  KDX_SYSTEM_ERROR_RACI,             /* not exactly one Accountable, a person twice */
} KdxSystemError;

GQuark kdx_system_error_quark (void);

typedef enum
{
  KDX_LIFECYCLE_PLANNED,
  KDX_LIFECYCLE_PILOT,
  KDX_LIFECYCLE_PRODUCTION,
  KDX_LIFECYCLE_RETIRED,
  KDX_LIFECYCLE_N_STATES
} KdxLifecycle;

typedef enum
{
  KDX_OVERSIGHT_NONE = -1,           /* not yet decided */
  KDX_OVERSIGHT_IN_THE_LOOP = 0,     /* a human decides every case */
  KDX_OVERSIGHT_ON_THE_LOOP,         /* a human monitors and can intervene */
  KDX_OVERSIGHT_IN_COMMAND,          /* a human decides when and how it is used */
  KDX_OVERSIGHT_N_MODES
} KdxOversightMode;

typedef enum
{
  KDX_DPIA_NOT_REQUIRED,
  KDX_DPIA_NOT_STARTED,
  KDX_DPIA_IN_PROGRESS,
  KDX_DPIA_DONE,
  KDX_DPIA_N_STATES
} KdxDpiaStatus;

/* GDPR Art. 6(1)(a)–(f). */
typedef enum
{
  KDX_LEGAL_BASIS_NONE = -1,
  KDX_LEGAL_BASIS_CONSENT = 0,
  KDX_LEGAL_BASIS_CONTRACT,
  KDX_LEGAL_BASIS_LEGAL_OBLIGATION,
  KDX_LEGAL_BASIS_VITAL_INTERESTS,
  KDX_LEGAL_BASIS_PUBLIC_TASK,
  KDX_LEGAL_BASIS_LEGITIMATE_INTERESTS,
  KDX_LEGAL_BASIS_N
} KdxLegalBasis;

typedef enum
{
  KDX_CONSENT_NONE = -1,
  KDX_CONSENT_NOT_NEEDED = 0,
  KDX_CONSENT_OPT_IN,                /* asked before the data is used */
  KDX_CONSENT_OPT_OUT,               /* people can object at any time */
  KDX_CONSENT_N
} KdxConsent;

typedef enum
{
  KDX_RACI_RESPONSIBLE,
  KDX_RACI_ACCOUNTABLE,
  KDX_RACI_CONSULTED,
  KDX_RACI_INFORMED,
  KDX_RACI_N_ROLES
} KdxRaciRole;

/* Stable identifiers as stored and exchanged ("production", "on-the-loop",
 * "in-progress", "legitimate-interests", "opt-in", "A"), and translated
 * labels. from_string returns -1 for NULL or an unknown text. */
const char *kdx_lifecycle_to_string        (KdxLifecycle      state);
int         kdx_lifecycle_from_string      (const char       *text);
const char *kdx_lifecycle_get_label        (KdxLifecycle      state);
const char *kdx_oversight_mode_to_string   (KdxOversightMode  mode);
int         kdx_oversight_mode_from_string (const char       *text);
const char *kdx_oversight_mode_get_label   (KdxOversightMode  mode);
const char *kdx_dpia_status_to_string      (KdxDpiaStatus     status);
int         kdx_dpia_status_from_string    (const char       *text);
const char *kdx_dpia_status_get_label      (KdxDpiaStatus     status);
const char *kdx_legal_basis_to_string      (KdxLegalBasis     basis);
int         kdx_legal_basis_from_string    (const char       *text);
const char *kdx_legal_basis_get_label      (KdxLegalBasis     basis);
const char *kdx_consent_to_string          (KdxConsent        consent);
int         kdx_consent_from_string        (const char       *text);
const char *kdx_consent_get_label          (KdxConsent        consent);
const char *kdx_raci_role_to_string        (KdxRaciRole       role);   /* "R" "A" "C" "I" */
int         kdx_raci_role_from_string      (const char       *text);
const char *kdx_raci_role_get_label        (KdxRaciRole       role);   /* "Responsible" */

/* Data categories: "contact", "company", "purchase-history", "behaviour",
 * "communication", "voice", "financial", "performance", "location",
 * "emotion", "biometric", "special" (GDPR Art. 9). */
typedef struct
{
  const char *id;
  const char *label;       /* untranslated; kdx_data_category_get_label() */
  gboolean    sensitive;   /* special categories, emotion, biometric */
  const char *notice_en;   /* how the customer notice names it: "your voice" */
  const char *notice_de;
} KdxDataCategory;

const KdxDataCategory *kdx_data_category_get_all   (guint                 *n_categories);
const KdxDataCategory *kdx_data_category_lookup    (const char            *id);
const char            *kdx_data_category_get_label (const KdxDataCategory *category);

/* ------------------------------------------------------------------ */

#define KDX_TYPE_SYSTEM (kdx_system_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystem, kdx_system, KDX, SYSTEM, GObject)

KdxSystem        *kdx_system_new                    (void);
const char       *kdx_system_get_uuid               (KdxSystem *self);
/* "SYS-001": given on creation, never reused or changed. */
const char       *kdx_system_get_key                (KdxSystem *self);
const char       *kdx_system_get_name               (KdxSystem *self);
void              kdx_system_set_name               (KdxSystem *self, const char *name);
const char       *kdx_system_get_vendor             (KdxSystem *self);
void              kdx_system_set_vendor             (KdxSystem *self, const char *vendor);
const char       *kdx_system_get_version            (KdxSystem *self);
void              kdx_system_set_version            (KdxSystem *self, const char *version);
/* A use-case id of kdx-usecase.h, or NULL (other). */
const char       *kdx_system_get_use_case           (KdxSystem *self);
void              kdx_system_set_use_case           (KdxSystem *self, const char *use_case);
const char       *kdx_system_get_description        (KdxSystem *self);
void              kdx_system_set_description        (KdxSystem *self, const char *text);
/* People by uuid; the names are filled when loaded. */
const char       *kdx_system_get_business_owner     (KdxSystem *self);
void              kdx_system_set_business_owner     (KdxSystem *self, const char *person_uuid);
const char       *kdx_system_get_business_owner_name (KdxSystem *self);
const char       *kdx_system_get_technical_owner    (KdxSystem *self);
void              kdx_system_set_technical_owner    (KdxSystem *self, const char *person_uuid);
const char       *kdx_system_get_technical_owner_name (KdxSystem *self);
const char       *kdx_system_get_department         (KdxSystem *self);
void              kdx_system_set_department         (KdxSystem *self, const char *department);
KdxLifecycle      kdx_system_get_lifecycle          (KdxSystem *self);
void              kdx_system_set_lifecycle          (KdxSystem *self, KdxLifecycle state);
/* The classification, written only by kdx_system_classify(). */
KdxRiskClass      kdx_system_get_risk               (KdxSystem *self);
KdxAiActRole      kdx_system_get_role               (KdxSystem *self);
const char       *kdx_system_get_answers_json       (KdxSystem *self);
const char       *kdx_system_get_reasoning          (KdxSystem *self);
const char       *kdx_system_get_classified         (KdxSystem *self);
/* Data and privacy */
/* The system's own list (never NULL, not to be freed), in the order of
 * kdx_data_category_get_all(); the setter drops repeats. */
GStrv             kdx_system_get_data_categories    (KdxSystem *self);
void              kdx_system_set_data_categories    (KdxSystem *self, const char *const *ids);
gboolean          kdx_system_has_sensitive_data     (KdxSystem *self);
KdxLegalBasis     kdx_system_get_legal_basis        (KdxSystem *self);
void              kdx_system_set_legal_basis        (KdxSystem *self, KdxLegalBasis basis);
KdxConsent        kdx_system_get_consent            (KdxSystem *self);
void              kdx_system_set_consent            (KdxSystem *self, KdxConsent consent);
KdxDpiaStatus     kdx_system_get_dpia_status        (KdxSystem *self);
void              kdx_system_set_dpia_status        (KdxSystem *self, KdxDpiaStatus status);
const char       *kdx_system_get_dpia_date          (KdxSystem *self);   /* YYYY-MM-DD */
void              kdx_system_set_dpia_date          (KdxSystem *self, const char *date);
const char       *kdx_system_get_retention          (KdxSystem *self);
void              kdx_system_set_retention          (KdxSystem *self, const char *text);
/* The customer notice as edited; NULL: the generated one is used. */
const char       *kdx_system_get_notice             (KdxSystem *self, const char *language);
void              kdx_system_set_notice             (KdxSystem *self, const char *language,
                                                     const char *text);
/* Oversight */
KdxOversightMode  kdx_system_get_oversight          (KdxSystem *self);
void              kdx_system_set_oversight          (KdxSystem *self, KdxOversightMode mode);
const char       *kdx_system_get_explainability     (KdxSystem *self);
void              kdx_system_set_explainability     (KdxSystem *self, const char *text);
const char       *kdx_system_get_created            (KdxSystem *self);
const char       *kdx_system_get_modified           (KdxSystem *self);
const char       *kdx_system_get_trashed            (KdxSystem *self);
/* Loaded with the system for the register: the worst compliance status
 * of its mapped policies (a KdxCompliance of kdx-mapping.h, or -1 when
 * no policy is mapped) and the number of mapped policies. */
int               kdx_system_get_compliance         (KdxSystem *self);
guint             kdx_system_get_n_policies         (KdxSystem *self);
char             *kdx_system_to_json                (KdxSystem *self);

/* ------------------------------------------------------------------ */

/* The key the next new system gets ("SYS-042"). */
char       *kdx_system_next_key            (KdxStore     *store);
/* Stores @system as new (its key is given here) and sets its uuid. */
gboolean    kdx_system_create              (KdxStore     *store,
                                            KdxSystem    *system,
                                            GError      **error);
/* A new system named @name from the use-case library: use case, data
 * categories, legal basis, consent and oversight from the library; the
 * suggested answers classified; the workspace's policies made from the
 * suggested templates mapped as "not assessed". One transaction. */
KdxSystem  *kdx_system_create_from_use_case (KdxStore    *store,
                                            const char   *name,
                                            const char   *use_case_id,
                                            GError      **error);
/* Stores every field except the key and the classification. */
gboolean    kdx_system_update              (KdxStore     *store,
                                            KdxSystem    *system,
                                            GError      **error);
/* By uuid or key ("SYS-007"); trashed systems too. */
KdxSystem  *kdx_system_load                (KdxStore     *store,
                                            const char   *uuid_or_key,
                                            GError      **error);
gboolean    kdx_system_trash               (KdxStore     *store,
                                            const char   *uuid,
                                            GError      **error);
gboolean    kdx_system_restore             (KdxStore     *store,
                                            const char   *uuid,
                                            GError      **error);
GPtrArray  *kdx_system_list_trashed        (KdxStore     *store);

typedef enum
{
  KDX_SYSTEM_SORT_KEY,
  KDX_SYSTEM_SORT_NAME,
  KDX_SYSTEM_SORT_RISK,
  KDX_SYSTEM_SORT_LIFECYCLE,
  KDX_SYSTEM_SORT_DEPARTMENT,
  KDX_SYSTEM_SORT_OWNER,
  KDX_SYSTEM_SORT_USE_CASE,
} KdxSystemSort;

typedef struct
{
  int            risk;         /* KdxRiskClass; KDX_SYSTEM_FILTER_ALL: all
                                * (KDX_RISK_UNCLASSIFIED: not yet classified) */
  int            lifecycle;    /* KdxLifecycle or KDX_SYSTEM_FILTER_ALL */
  const char    *department;   /* NULL: all */
  const char    *owner;        /* business or technical owner, person uuid; NULL: all */
  const char    *use_case;     /* NULL: all; "" : systems without one */
  const char    *text;         /* part of name, key, vendor or description; NULL: all */
  KdxSystemSort  sort;
  gboolean       descending;
} KdxSystemFilter;

#define KDX_SYSTEM_FILTER_ALL (-2)

void        kdx_system_filter_init         (KdxSystemFilter       *filter);
/* Live systems (not trashed) that pass @filter, as KdxSystem with the
 * register's fields: the long texts (description, answers, reasoning,
 * notices, explainability) are left out; kdx_system_load() has them. */
GPtrArray  *kdx_system_list                (KdxStore              *store,
                                            const KdxSystemFilter *filter,
                                            GError               **error);
gint64      kdx_system_count               (KdxStore              *store);
/* Live systems per risk class: @counts[KDX_RISK_N_CLASSES + 1], the last
 * element for unclassified ones. */
void        kdx_system_count_by_risk       (KdxStore              *store,
                                            gint64                *counts);
/* Live systems with at least one policy assessed non-compliant. */
gint64      kdx_system_count_non_compliant (KdxStore              *store);
/* The departments of systems and people, sorted, for a filter. */
GStrv       kdx_system_dup_departments     (KdxStore              *store);

/* ------------------------------------------------------------------ */
/* Classification */

/* Stores @answers (kdx-classify.h) for the system, evaluates them and
 * stores class, role, reasoning and obligations; journaled with the
 * answers before and after. An answer set that contradicts itself is
 * refused and nothing changes. @result (optional) receives the outcome. */
gboolean    kdx_system_classify            (KdxStore           *store,
                                            const char         *uuid,
                                            GHashTable         *answers,
                                            KdxClassification **result,
                                            GError            **error);
/* The stored answers of a system (an empty set when never classified). */
GHashTable *kdx_system_dup_answers         (KdxSystem          *system);

typedef struct
{
  char *id;             /* obligation id, "ai-act-26" */
  char *reference;      /* "Art. 26" */
  char *title;          /* translated */
  char *catalog;        /* "eu-ai-act" */
  char *requirement;    /* requirement uuid in the workspace, or NULL when the
                         * catalog is not there */
  int   coverage;       /* KdxCoverage of kdx-mapping.h */
} KdxSystemObligation;

void        kdx_system_obligation_free     (KdxSystemObligation *obligation);
/* The obligations that follow from the system's classification, each
 * with whether the system's mapped policies cover its requirement. */
GPtrArray  *kdx_system_list_obligations    (KdxStore           *store,
                                            const char         *uuid,
                                            GError            **error);

/* ------------------------------------------------------------------ */
/* Oversight and responsibilities */

typedef struct
{
  char        *person;   /* uuid */
  char        *name;
  char        *department;
  KdxRaciRole  role;     /* for RACI rows; unused for overseers */
} KdxSystemPerson;

void        kdx_system_person_free         (KdxSystemPerson *person);

/* Named overseers, by name. */
GPtrArray  *kdx_system_list_overseers      (KdxStore           *store,
                                            const char         *uuid,
                                            GError            **error);
/* Replaces the overseers; a uuid that is not a (live) person of the
 * workspace is refused with KDX_SYSTEM_ERROR_UNKNOWN_PERSON. */
gboolean    kdx_system_set_overseers       (KdxStore           *store,
                                            const char         *uuid,
                                            const char *const  *person_uuids,
                                            GError            **error);
/* The RACI matrix, by role then name. */
GPtrArray  *kdx_system_list_raci           (KdxStore           *store,
                                            const char         *uuid,
                                            GError            **error);
/* Replaces the RACI matrix with @entries (KdxSystemPerson, person and
 * role). Refused unless exactly one person is Accountable (an empty
 * matrix is allowed: nobody assigned yet), when a person appears twice, or
 * when a person is not in the workspace. */
gboolean    kdx_system_set_raci            (KdxStore           *store,
                                            const char         *uuid,
                                            GPtrArray          *entries,
                                            GError            **error);

/* ------------------------------------------------------------------ */
/* The customer transparency notice */

/* Written from the system's facts (that AI is used, for what, which data,
 * how to reach a human, how to object), in @language ("de" or "en"),
 * with the organisation's name from the workspace. Plain text, paragraphs
 * separated by a blank line. */
char       *kdx_system_generate_notice     (KdxStore           *store,
                                            KdxSystem          *system,
                                            const char         *language);
/* The notice as edited, else the generated one. */
char       *kdx_system_dup_notice          (KdxStore           *store,
                                            KdxSystem          *system,
                                            const char         *language);
/* A self-contained HTML document of a notice (escaped, never raw). */
char       *kdx_notice_to_html             (const char         *notice,
                                            const char         *title,
                                            const char         *language);

G_END_DECLS
