/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-date.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_POLICY_ERROR (kdx_policy_error_quark ())

typedef enum
{
  KDX_POLICY_ERROR_INVALID,
  KDX_POLICY_ERROR_NOT_FOUND,
  KDX_POLICY_ERROR_DUPLICATE,
  KDX_POLICY_ERROR_NOT_EDITABLE,   /* the version is no longer a draft */
  KDX_POLICY_ERROR_WRONG_STATE,    /* the step does not fit the version's status */
  KDX_POLICY_ERROR_NOT_MEMBER,     /* the voter is no committee member */
  KDX_POLICY_ERROR_ALREADY_VOTED,
  KDX_POLICY_ERROR_NO_QUORUM,
  KDX_POLICY_ERROR_NO_ACTOR,       /* nobody is chosen under "Acting as" */
  KDX_POLICY_ERROR_OPEN_VERSION,   /* a draft or a version in review exists already */
} KdxPolicyError;

typedef enum
{
  KDX_POLICY_KIND_CODE_OF_CONDUCT,
  KDX_POLICY_KIND_POLICY,
  KDX_POLICY_KIND_GUIDELINE,
  KDX_POLICY_KIND_PROCEDURE,
  KDX_POLICY_N_KINDS
} KdxPolicyKind;

/* The seven areas of the code of conduct (DESIGN §4). */
typedef enum
{
  KDX_POLICY_AREA_TRANSPARENCY,
  KDX_POLICY_AREA_PRIVACY,
  KDX_POLICY_AREA_FAIRNESS,
  KDX_POLICY_AREA_OVERSIGHT,
  KDX_POLICY_AREA_AUTONOMY,
  KDX_POLICY_AREA_WORKFORCE,
  KDX_POLICY_AREA_GOVERNANCE,
  KDX_POLICY_N_AREAS
} KdxPolicyArea;

/* draft → review → approved → published → superseded (by the next
 * publication) or retired (with its policy). A rejected review returns
 * the version to draft. */
typedef enum
{
  KDX_VERSION_DRAFT,
  KDX_VERSION_REVIEW,
  KDX_VERSION_APPROVED,
  KDX_VERSION_PUBLISHED,
  KDX_VERSION_SUPERSEDED,
  KDX_VERSION_RETIRED,
  KDX_VERSION_N_STATUSES
} KdxVersionStatus;

typedef enum
{
  KDX_VOTE_APPROVE,
  KDX_VOTE_REJECT,
  KDX_VOTE_ABSTAIN,
  KDX_VOTE_N_CHOICES
} KdxVoteChoice;

typedef enum
{
  KDX_ACK_NONE,
  KDX_ACK_ALL,
  KDX_ACK_DEPARTMENT,
  KDX_ACK_ROLE,
  KDX_ACK_N_SCOPES
} KdxAckScope;

/* Stable identifiers, as stored and exchanged ("code-of-conduct",
 * "transparency", "review", "approve", "department"), and the translated
 * names a person reads. from_string returns -1 for an unknown text. */
const char *kdx_policy_kind_to_string      (KdxPolicyKind     kind);
int         kdx_policy_kind_from_string    (const char       *text);
const char *kdx_policy_kind_get_label      (KdxPolicyKind     kind);
const char *kdx_policy_area_to_string      (KdxPolicyArea     area);
int         kdx_policy_area_from_string    (const char       *text);
const char *kdx_policy_area_get_label      (KdxPolicyArea     area);
const char *kdx_version_status_to_string   (KdxVersionStatus  status);
int         kdx_version_status_from_string (const char       *text);
const char *kdx_version_status_get_label   (KdxVersionStatus  status);
const char *kdx_vote_choice_to_string      (KdxVoteChoice     choice);
int         kdx_vote_choice_from_string    (const char       *text);
const char *kdx_vote_choice_get_label      (KdxVoteChoice     choice);
const char *kdx_ack_scope_to_string        (KdxAckScope       scope);
int         kdx_ack_scope_from_string      (const char       *text);

GQuark      kdx_policy_error_quark         (void);

/* ------------------------------------------------------------------ */
/* A policy: what stays the same across its versions.                  */

#define KDX_TYPE_POLICY (kdx_policy_get_type ())
G_DECLARE_FINAL_TYPE (KdxPolicy, kdx_policy, KDX, POLICY, GObject)

KdxPolicy        *kdx_policy_new                  (void);
const char       *kdx_policy_get_uuid             (KdxPolicy *self);
const char       *kdx_policy_get_key              (KdxPolicy *self);
void              kdx_policy_set_key              (KdxPolicy *self, const char *key);
const char       *kdx_policy_get_title            (KdxPolicy *self);
void              kdx_policy_set_title            (KdxPolicy *self, const char *title);
KdxPolicyKind     kdx_policy_get_kind             (KdxPolicy *self);
void              kdx_policy_set_kind             (KdxPolicy *self, KdxPolicyKind kind);
KdxPolicyArea     kdx_policy_get_area             (KdxPolicy *self);
void              kdx_policy_set_area             (KdxPolicy *self, KdxPolicyArea area);
/* The owner, a person's uuid (and, when loaded, the name). */
const char       *kdx_policy_get_owner            (KdxPolicy *self);
void              kdx_policy_set_owner            (KdxPolicy *self, const char *person_uuid);
const char       *kdx_policy_get_owner_name       (KdxPolicy *self);
guint             kdx_policy_get_review_months    (KdxPolicy *self);
void              kdx_policy_set_review_months    (KdxPolicy *self, guint months);
/* YYYY-MM-DD or NULL: set when a version is published, editable. */
const char       *kdx_policy_get_next_review      (KdxPolicy *self);
void              kdx_policy_set_next_review      (KdxPolicy *self, const char *date);
const char       *kdx_policy_get_retired          (KdxPolicy *self);
const char       *kdx_policy_get_created          (KdxPolicy *self);
const char       *kdx_policy_get_modified         (KdxPolicy *self);
const char       *kdx_policy_get_trashed          (KdxPolicy *self);
/* The id of the shipped template (kdx-template.h) the policy was made
 * from, or NULL; set before kdx_policy_create(), never changed after. */
const char       *kdx_policy_get_template         (KdxPolicy *self);
void              kdx_policy_set_template         (KdxPolicy *self, const char *template_id);
/* Loaded with the policy: its newest version and its published one. */
KdxVersionStatus  kdx_policy_get_status           (KdxPolicy *self);
const char       *kdx_policy_get_version_label    (KdxPolicy *self);
const char       *kdx_policy_get_published_label  (KdxPolicy *self);
/* Whether the next review lies before @today (YYYY-MM-DD; NULL: today). */
gboolean          kdx_policy_is_overdue           (KdxPolicy  *self,
                                                   const char *today);
char             *kdx_policy_to_json              (KdxPolicy *self);

/* ------------------------------------------------------------------ */
/* A version: the text and its way through the committee.              */

#define KDX_TYPE_POLICY_VERSION (kdx_policy_version_get_type ())
G_DECLARE_FINAL_TYPE (KdxPolicyVersion, kdx_policy_version, KDX, POLICY_VERSION, GObject)

const char       *kdx_policy_version_get_uuid        (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_policy      (KdxPolicyVersion *self);
guint             kdx_policy_version_get_number      (KdxPolicyVersion *self);
guint             kdx_policy_version_get_major       (KdxPolicyVersion *self);
guint             kdx_policy_version_get_minor       (KdxPolicyVersion *self);
/* "2.1" */
const char       *kdx_policy_version_get_label       (KdxPolicyVersion *self);
KdxVersionStatus  kdx_policy_version_get_status      (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_body        (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_summary     (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_author      (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_author_name (KdxPolicyVersion *self);
guint             kdx_policy_version_get_round       (KdxPolicyVersion *self);
KdxAckScope       kdx_policy_version_get_ack_scope   (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_ack_target  (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_effective   (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_submitted   (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_approved    (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_published   (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_created     (KdxPolicyVersion *self);
const char       *kdx_policy_version_get_modified    (KdxPolicyVersion *self);
gboolean          kdx_policy_version_is_editable     (KdxPolicyVersion *self);

/* ------------------------------------------------------------------ */
/* A vote of one committee member in one review round.                 */

typedef struct
{
  char          *person;       /* uuid */
  char          *person_name;
  KdxVoteChoice  choice;
  char          *comment;
  char          *time;
  guint          round;
} KdxVote;

void kdx_vote_free (KdxVote *vote);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxVote, kdx_vote_free)

/* Where the current round of a version in review stands. */
typedef struct
{
  guint members;      /* active committee members */
  guint required;     /* approvals the quorum rule asks for */
  guint approve;
  guint reject;
  guint abstain;
  guint outstanding;  /* members who have not voted */
} KdxTally;

/* ------------------------------------------------------------------ */
/* Policies: each call is one journaled transaction (or joins the
 * caller's). The actor is the store's ("Acting as"). */

/* Creates @policy (title, kind, area, owner, review interval; a key is
 * given when none is set) with version 1.0 as a draft of @body. */
gboolean    kdx_policy_create            (KdxStore          *store,
                                          KdxPolicy         *policy,
                                          const char        *body,
                                          GError           **error);
/* Title, kind, area, owner, review interval, next review. The key never
 * changes. */
gboolean    kdx_policy_update            (KdxStore          *store,
                                          KdxPolicy         *policy,
                                          GError           **error);
gboolean    kdx_policy_trash             (KdxStore          *store,
                                          const char        *policy_uuid,
                                          GError           **error);
gboolean    kdx_policy_restore           (KdxStore          *store,
                                          const char        *policy_uuid,
                                          GError           **error);
/* Retires the policy: its published version is retired, an open draft or
 * review is withdrawn; the history stays. */
gboolean    kdx_policy_retire            (KdxStore          *store,
                                          const char        *policy_uuid,
                                          GError           **error);

/* Creates a draft policy from each shipped template of @language (the
 * workspace's when NULL) whose title is not taken yet — the code of
 * conduct first — in one transaction. */
gboolean    kdx_policy_create_from_templates (KdxStore      *store,
                                              const char    *language,
                                              guint         *n_created,
                                              GError       **error);

/* The uuid of the live (neither trashed nor retired) policy made from
 * the template @template_id, the oldest of several; NULL when there is
 * none. */
char       *kdx_policy_find_by_template  (KdxStore          *store,
                                          const char        *template_id);

/* By uuid or key ("POL-007"). */
KdxPolicy  *kdx_policy_load              (KdxStore          *store,
                                          const char        *uuid_or_key,
                                          GError           **error);
char       *kdx_policy_next_key          (KdxStore          *store,
                                          KdxPolicyKind      kind);

typedef enum
{
  KDX_POLICY_SORT_KEY,
  KDX_POLICY_SORT_TITLE,
  KDX_POLICY_SORT_KIND,
  KDX_POLICY_SORT_AREA,
  KDX_POLICY_SORT_STATUS,
  KDX_POLICY_SORT_OWNER,
  KDX_POLICY_SORT_NEXT_REVIEW,
} KdxPolicySort;

typedef struct
{
  int            kind;        /* -1: all */
  int            area;        /* -1: all */
  int            status;      /* -1: all; the newest version's status */
  const char    *owner;       /* person uuid; NULL: all */
  gboolean       overdue;     /* only policies whose review is overdue */
  gboolean       include_retired;
  const char    *today;       /* YYYY-MM-DD; NULL: today */
  KdxPolicySort  sort;
  gboolean       descending;
} KdxPolicyFilter;

void        kdx_policy_filter_init       (KdxPolicyFilter   *filter);
GPtrArray  *kdx_policy_list              (KdxStore          *store,
                                          const KdxPolicyFilter *filter,
                                          GError           **error);
GPtrArray  *kdx_policy_list_trashed      (KdxStore          *store);
gint64      kdx_policy_count             (KdxStore          *store);
gint64      kdx_policy_count_overdue     (KdxStore          *store,
                                          const char        *today);
/* Versions of live policies with @status (a published one per policy). */
gint64      kdx_policy_count_versions    (KdxStore          *store,
                                          KdxVersionStatus   status);

/* ------------------------------------------------------------------ */
/* Versions */

/* Oldest first. Bodies included. */
GPtrArray        *kdx_policy_list_versions   (KdxStore          *store,
                                              const char        *policy_uuid,
                                              GError           **error);
KdxPolicyVersion *kdx_policy_version_load    (KdxStore          *store,
                                              const char        *version_uuid,
                                              GError           **error);
/* By policy and number (1, 2, …) or label ("2.1"); NULL: the published
 * version, else the newest. */
KdxPolicyVersion *kdx_policy_version_find    (KdxStore          *store,
                                              const char        *policy_uuid,
                                              const char        *number_or_label,
                                              GError           **error);
/* A new draft from the newest version: 2.0 when @major, else 1.1. Refused
 * while a draft, a review or an approved version is open. */
KdxPolicyVersion *kdx_policy_new_draft       (KdxStore          *store,
                                              const char        *policy_uuid,
                                              gboolean           major,
                                              GError           **error);
/* The same with @text (NULL: the newest version's) as the draft's text. */
KdxPolicyVersion *kdx_policy_new_draft_with_text (KdxStore    *store,
                                                  const char  *policy_uuid,
                                                  gboolean     major,
                                                  const char  *text,
                                                  GError     **error);
/* Stores the text of a draft (as it is typed). Refused for every other
 * status: approved and published versions never change. */
gboolean          kdx_policy_save_draft      (KdxStore          *store,
                                              const char        *version_uuid,
                                              const char        *body,
                                              GError           **error);
/* draft → review, with a change summary (required); starts a new vote
 * round, so votes on an earlier wording never count. */
gboolean          kdx_policy_submit          (KdxStore          *store,
                                              const char        *version_uuid,
                                              const char        *summary,
                                              GError           **error);
/* review → draft, before it is decided; the votes so far stay on record. */
gboolean          kdx_policy_withdraw        (KdxStore          *store,
                                              const char        *version_uuid,
                                              GError           **error);
/* The actor votes as themselves. When the quorum is met the version is
 * approved; when it can no longer be met it returns to draft. */
gboolean          kdx_policy_vote            (KdxStore          *store,
                                              const char        *version_uuid,
                                              KdxVoteChoice      choice,
                                              const char        *comment,
                                              KdxVersionStatus  *new_status,
                                              GError           **error);
gboolean          kdx_policy_tally           (KdxStore          *store,
                                              const char        *version_uuid,
                                              KdxTally          *tally,
                                              GError           **error);
/* Names of the committee members who have not voted in the current
 * round, by name. */
GStrv             kdx_policy_dup_outstanding (KdxStore          *store,
                                              const char        *version_uuid,
                                              GError           **error);
/* Every round, newest first. */
GPtrArray        *kdx_policy_list_votes      (KdxStore          *store,
                                              const char        *version_uuid,
                                              GError           **error);
/* approved → published, effective on @effective (YYYY-MM-DD; NULL:
 * today). The previously published version is superseded, and the next
 * review falls due after the review interval. */
gboolean          kdx_policy_publish         (KdxStore          *store,
                                              const char        *version_uuid,
                                              const char        *effective,
                                              GError           **error);
/* Who must acknowledge the version (not for superseded or retired ones). */
gboolean          kdx_policy_set_ack_scope   (KdxStore          *store,
                                              const char        *version_uuid,
                                              KdxAckScope        scope,
                                              const char        *target,
                                              GError           **error);

/* ------------------------------------------------------------------ */
/* Acknowledgements */

typedef struct
{
  char *person;       /* uuid */
  char *name;
  char *department;
  char *role;
  char *time;         /* NULL: not acknowledged */
  char *version;      /* label of the version acknowledged ("1.1"), or NULL */
} KdxAckRow;

void kdx_ack_row_free (KdxAckRow *row);

/* Records that each of @person_uuids acknowledged the published version
 * @version_uuid at @time (ISO 8601; NULL: now). People who already did are
 * skipped; @n_recorded says how many were new. All or nothing. */
gboolean    kdx_policy_acknowledge       (KdxStore          *store,
                                          const char        *version_uuid,
                                          const char *const *person_uuids,
                                          const char        *time,
                                          const char        *source,
                                          guint             *n_recorded,
                                          GError           **error);
/* Everyone the version asks (of @department, or all when NULL), by
 * department then name; an acknowledgement of an earlier version with the
 * same major number counts. */
GPtrArray  *kdx_policy_ack_status        (KdxStore          *store,
                                          const char        *version_uuid,
                                          const char        *department,
                                          GError           **error);

typedef struct
{
  char  *department;  /* NULL: people without one */
  guint  asked;
  guint  done;
} KdxAckSummary;

void kdx_ack_summary_free (KdxAckSummary *summary);

/* Per department: how many the version asks and how many acknowledged. */
GPtrArray  *kdx_policy_ack_summary       (KdxStore          *store,
                                          const char        *version_uuid,
                                          GError           **error);
/* Acknowledgements from a CSV file: columns person (e-mail, uuid or
 * name), policy (key), version (number or label; empty: published) and
 * date; a header row is recognised. All or nothing; an error names line
 * and column. */
gboolean    kdx_policy_import_acks_csv   (KdxStore          *store,
                                          GBytes            *csv,
                                          const char        *encoding,
                                          guint             *n_recorded,
                                          GError           **error);

/* ------------------------------------------------------------------ */
/* Search across every version of every policy */

typedef struct
{
  char             *policy;        /* uuid */
  char             *key;
  char             *title;
  char             *version;       /* uuid */
  char             *label;
  KdxVersionStatus  status;
  /* An excerpt with each match between KDX_POLICY_MATCH_START and
   * KDX_POLICY_MATCH_END (not valid in text, so never confused). */
  char             *snippet;
} KdxPolicyHit;

#define KDX_POLICY_MATCH_START "\x02"
#define KDX_POLICY_MATCH_END   "\x03"

void        kdx_policy_hit_free          (KdxPolicyHit      *hit);

/* Words of @query must all occur (as word prefixes), in any version;
 * best matches first. An empty query finds nothing. */
GPtrArray  *kdx_policy_search            (KdxStore          *store,
                                          const char        *query,
                                          guint              limit,
                                          GError           **error);

G_END_DECLS
