/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training (DESIGN §4, issue 5): courses, the rules that assign them,
 * assignments with their completions, recertification, the status views
 * and the competence gate. Every change is one journaled transaction (or
 * joins the caller's); the actor is the store's ("Acting as").
 *
 * Dates are ISO 8601 days ("2026-12-31"). Functions that depend on the
 * day take @today (NULL: the local date now) so that tests and reports
 * can fix it.
 *
 * Status is derived, never stored (kdx_assignment_status_for()):
 *   open renewal round while the certificate it renews is valid
 *   (its expires, copied from that certificate, > today) → expiring
 *   open round:       due < today → overdue, otherwise assigned
 *   completed round:  expires NULL or > today + 90 days → completed,
 *                     expires ≤ today → expired, otherwise expiring
 * A completion of a course with a validity expires that many months after
 * the completion date. 90 days before a completion expires
 * (KDX_TRAINING_RECERTIFY_DAYS) kdx_training_apply() gives the person the
 * next round, source "recertification", due on the expiry date; from then
 * on that round is the current one.
 */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TRAINING_ERROR (kdx_training_error_quark ())

typedef enum
{
  KDX_TRAINING_ERROR_INVALID,        /* a field that cannot be stored (message names it) */
  KDX_TRAINING_ERROR_NOT_FOUND,
  KDX_TRAINING_ERROR_DUPLICATE,      /* a course title or key taken, a rule twice */
  KDX_TRAINING_ERROR_UNKNOWN_PERSON,
  KDX_TRAINING_ERROR_DATE,           /* a date that does not exist, completion before assignment… */
} KdxTrainingError;

GQuark kdx_training_error_quark (void);

#define KDX_TRAINING_RECERTIFY_DAYS 90

typedef enum
{
  KDX_ASSIGNMENT_ASSIGNED,
  KDX_ASSIGNMENT_OVERDUE,
  KDX_ASSIGNMENT_COMPLETED,
  KDX_ASSIGNMENT_EXPIRING,
  KDX_ASSIGNMENT_EXPIRED,
  KDX_ASSIGNMENT_N_STATUSES
} KdxAssignmentStatus;

const char *kdx_assignment_status_to_string (KdxAssignmentStatus status); /* "assigned", … */
int         kdx_assignment_status_from_string (const char *text);         /* -1 when unknown */
const char *kdx_assignment_status_get_label (KdxAssignmentStatus status);  /* translated */
KdxAssignmentStatus kdx_assignment_status_for (const char *due,
                                               const char *completed,
                                               const char *expires,
                                               const char *today);

typedef enum
{
  KDX_RULE_EVERYONE,
  KDX_RULE_DEPARTMENT,   /* target: the department */
  KDX_RULE_ROLE,         /* target: the role (job title) */
  KDX_RULE_COMMITTEE,
  KDX_RULE_OVERSEERS,    /* the overseers of one system (system uuid) or of every system (NULL) */
  KDX_RULE_N_KINDS
} KdxRuleKind;

const char *kdx_rule_kind_to_string   (KdxRuleKind kind);   /* "everyone", "department", … */
int         kdx_rule_kind_from_string (const char *text);   /* -1 when unknown */
const char *kdx_rule_kind_get_label   (KdxRuleKind kind);   /* translated */

typedef enum
{
  KDX_ASSIGNMENT_SOURCE_RULE,
  KDX_ASSIGNMENT_SOURCE_MANUAL,
  KDX_ASSIGNMENT_SOURCE_IMPORT,
  KDX_ASSIGNMENT_SOURCE_RECERTIFICATION,
} KdxAssignmentSource;

const char *kdx_assignment_source_to_string   (KdxAssignmentSource source);
int         kdx_assignment_source_from_string (const char *text);
const char *kdx_assignment_source_get_label   (KdxAssignmentSource source);

/* ---- Courses ---------------------------------------------------------- */

#define KDX_TYPE_COURSE (kdx_course_get_type ())
G_DECLARE_FINAL_TYPE (KdxCourse, kdx_course, KDX, COURSE, GObject)

KdxCourse  *kdx_course_new                  (void);
gint64      kdx_course_get_id               (KdxCourse   *self);
const char *kdx_course_get_uuid             (KdxCourse   *self);
void        kdx_course_set_uuid             (KdxCourse   *self,
                                             const char  *uuid);
const char *kdx_course_get_key              (KdxCourse   *self);   /* "CRS-001", given on insert */
void        kdx_course_set_key              (KdxCourse   *self,
                                             const char  *key);    /* for the exchange import only */
const char *kdx_course_get_title            (KdxCourse   *self);
void        kdx_course_set_title            (KdxCourse   *self,
                                             const char  *title);
const char *kdx_course_get_topic            (KdxCourse   *self);
void        kdx_course_set_topic            (KdxCourse   *self,
                                             const char  *topic);
const char *kdx_course_get_description      (KdxCourse   *self);
void        kdx_course_set_description      (KdxCourse   *self,
                                             const char  *description);
guint       kdx_course_get_duration_minutes (KdxCourse   *self);
void        kdx_course_set_duration_minutes (KdxCourse   *self,
                                             guint        minutes);
guint       kdx_course_get_validity_months  (KdxCourse   *self);   /* 0: never expires */
void        kdx_course_set_validity_months  (KdxCourse   *self,
                                             guint        months);
gboolean    kdx_course_get_ai_literacy      (KdxCourse   *self);   /* EU AI Act Art. 4 */
void        kdx_course_set_ai_literacy      (KdxCourse   *self,
                                             gboolean     ai_literacy);
/* The uuids of the policies the course teaches. */
GStrv       kdx_course_dup_policies         (KdxCourse   *self);
void        kdx_course_set_policies         (KdxCourse   *self,
                                             const char * const *policy_uuids);
const char *kdx_course_get_created          (KdxCourse   *self);
const char *kdx_course_get_modified         (KdxCourse   *self);
const char *kdx_course_get_trashed          (KdxCourse   *self);
void        kdx_course_set_times            (KdxCourse   *self,
                                             const char  *created,
                                             const char  *modified,
                                             const char  *trashed);
char       *kdx_course_to_json              (KdxCourse   *self);

/* Insert gives the course its uuid (unless set) and key. Titles are unique
 * among live courses (compared folded). */
gboolean    kdx_course_insert               (KdxStore    *store,
                                             KdxCourse   *course,
                                             GError     **error);
gboolean    kdx_course_update               (KdxStore    *store,
                                             KdxCourse   *course,
                                             GError     **error);
gboolean    kdx_course_trash                (KdxStore    *store,
                                             const char  *uuid,
                                             GError     **error);
gboolean    kdx_course_restore              (KdxStore    *store,
                                             const char  *uuid,
                                             GError     **error);
KdxCourse  *kdx_course_load                 (KdxStore    *store,
                                             const char  *uuid,
                                             GError     **error);
/* By uuid, key ("CRS-001") or title (exact, then folded). */
KdxCourse  *kdx_course_find                 (KdxStore    *store,
                                             const char  *uuid_key_or_title,
                                             GError     **error);
/* Live courses sorted by title. */
GPtrArray  *kdx_course_list                 (KdxStore    *store,
                                             GError     **error);
GPtrArray  *kdx_course_list_trashed         (KdxStore    *store);
gint64      kdx_course_count                (KdxStore    *store);
/* Every round, open or completed, current or not. */
gint64      kdx_assignment_count            (KdxStore    *store);

/* ---- Assignment rules ------------------------------------------------- */

typedef struct
{
  char        *uuid;
  char        *course_uuid;
  KdxRuleKind  kind;
  char        *target;        /* department or role; NULL otherwise */
  char        *system_uuid;   /* KDX_RULE_OVERSEERS: one system, or NULL for every system */
  char        *system_name;   /* filled by the list functions */
  guint        due_days;      /* due this many days after the assignment */
  char        *created;
  char        *system_key;    /* "SYS-004", filled by the list functions */
} KdxRule;

KdxRule    *kdx_rule_new                    (void);
KdxRule    *kdx_rule_copy                   (const KdxRule *rule);
void        kdx_rule_free                   (KdxRule     *rule);
/* "Everyone", "Department Vertrieb Nord", "Overseers of SYS-004 Lead scoring" (translated). */
char       *kdx_rule_dup_description        (const KdxRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxRule, kdx_rule_free)

/* Adding a rule applies it at once (kdx_training_apply() for its course). */
gboolean    kdx_rule_insert                 (KdxStore    *store,
                                             KdxRule     *rule,
                                             GError     **error);
gboolean    kdx_rule_update                 (KdxStore    *store,
                                             const KdxRule *rule,
                                             GError     **error);
/* Removing a rule keeps the assignments it made (they become manual). */
gboolean    kdx_rule_delete                 (KdxStore    *store,
                                             const char  *uuid,
                                             GError     **error);
/* KdxRule*, for one course or (NULL) every course. */
GPtrArray  *kdx_rule_list                   (KdxStore    *store,
                                             const char  *course_uuid,
                                             GError     **error);

/* ---- Assignments ------------------------------------------------------ */

typedef struct
{
  gint64               id;
  char                *person_uuid;
  char                *person_name;
  char                *person_email;
  char                *department;
  char                *course_uuid;
  char                *course_title;
  KdxAssignmentSource  source;
  char                *rule_uuid;      /* NULL unless from a rule */
  gint64               previous_id;    /* 0, or the round this one renews */
  char                *assigned;
  char                *due;            /* NULL: no due date */
  char                *completed;      /* NULL: open */
  double               score;          /* < 0: none */
  char                *expires;        /* NULL: never, or open */
  gboolean             current;
  KdxAssignmentStatus  status;         /* for the @today of the call */
  /* The completion of the round this one renews (previous_id): filled in
   * the rows of the assignment lists (kdx_assignment_model_new(),
   * kdx_course_rounds_new()) only, NULL elsewhere and without one. */
  char                *renews_completed;
} KdxAssignment;

void        kdx_assignment_free             (KdxAssignment *assignment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxAssignment, kdx_assignment_free)

/* Assigns @course_uuid to each of @person_uuids (source manual) unless the
 * person already has an open current round; @due NULL: today + 30 days.
 * One transaction for all; *@n_created (may be NULL) counts the new ones. */
gboolean    kdx_assignment_assign           (KdxStore    *store,
                                             const char  *course_uuid,
                                             const char * const *person_uuids,
                                             const char  *due,
                                             guint       *n_created,
                                             GError     **error);
/* Marks the current rounds of @course_uuid for each person complete on
 * @completed (not in the future, not before the round was assigned)
 * with @score (< 0: none). A person without a round gets one (manual).
 * The expiry follows from the course's validity. One transaction. */
gboolean    kdx_assignment_complete         (KdxStore    *store,
                                             const char  *course_uuid,
                                             const char * const *person_uuids,
                                             const char  *completed,
                                             double       score,
                                             GError     **error);
/* Takes a completion back (a round marked complete by mistake). */
gboolean    kdx_assignment_reopen           (KdxStore    *store,
                                             gint64       assignment_id,
                                             GError     **error);
/* Removes an open round (not a completed one: that is evidence). */
gboolean    kdx_assignment_delete           (KdxStore    *store,
                                             gint64       assignment_id,
                                             GError     **error);
KdxAssignment *kdx_assignment_load          (KdxStore    *store,
                                             gint64       assignment_id,
                                             const char  *today,
                                             GError     **error);
/* Every round of one person, newest first per course: the transcript. */
GPtrArray  *kdx_assignment_list_for_person  (KdxStore    *store,
                                             const char  *person_uuid,
                                             const char  *today,
                                             GError     **error);

/* A query-backed list of the current rounds, for the Training views:
 * filtered and sorted in SQL, rows are KdxAssignmentItem. */
typedef enum
{
  KDX_ASSIGNMENT_SORT_PERSON,
  KDX_ASSIGNMENT_SORT_DEPARTMENT,
  KDX_ASSIGNMENT_SORT_COURSE,
  KDX_ASSIGNMENT_SORT_DUE,
  KDX_ASSIGNMENT_SORT_STATUS,
  KDX_ASSIGNMENT_SORT_COMPLETED,
} KdxAssignmentSort;

typedef struct
{
  const char *course_uuid;   /* NULL: every course */
  const char *department;    /* NULL: every department */
  const char *person_uuid;   /* NULL: everyone */
  const char *search;        /* name or e-mail, NULL: all */
  int         status;        /* a KdxAssignmentStatus, or -1 for all */
  const char *today;
  KdxAssignmentSort sort;
  gboolean    descending;
} KdxAssignmentFilter;

#define KDX_TYPE_ASSIGNMENT_ITEM (kdx_assignment_item_get_type ())
G_DECLARE_FINAL_TYPE (KdxAssignmentItem, kdx_assignment_item, KDX, ASSIGNMENT_ITEM, GObject)
/* The row; owned by the item. */
const KdxAssignment *kdx_assignment_item_get (KdxAssignmentItem *self);

GListModel *kdx_assignment_model_new        (KdxStore    *store);
void        kdx_assignment_model_set_filter (GListModel  *model,
                                             const KdxAssignmentFilter *filter);

/* ---- Rules at work ---------------------------------------------------- */

typedef struct
{
  guint n_assigned;        /* new rounds from rules */
  guint n_recertified;     /* new rounds from expiring completions */
} KdxTrainingApplyStats;

/* Gives everyone the rounds that the rules ask for and that they do not
 * have (a live, active person without a current round of the course), and
 * the next round to everyone whose completion expires within
 * KDX_TRAINING_RECERTIFY_DAYS of @today. Set-based SQL: fast enough to run
 * after every import and on every open. @course_uuid limits it to one
 * course (NULL: all). One journaled transaction, or none when nothing
 * changes. */
gboolean    kdx_training_apply              (KdxStore    *store,
                                             const char  *course_uuid,
                                             const char  *today,
                                             KdxTrainingApplyStats *stats,
                                             GError     **error);

/* The same for one person, cheap enough to run on every change of a
 * person (kdx_person_insert/update call it, inside their transaction):
 * gives them the rule rounds they lack. Joins the caller's transaction. */
gboolean    kdx_training_apply_for_person   (KdxStore    *store,
                                             gint64       person_id,
                                             GError     **error);

/* The rounds that the overseers rules ask for, after the overseers of a
 * system changed (kdx_system_set_overseers() calls it, inside its
 * transaction). Journaled when it assigns anything. */
gboolean    kdx_training_apply_overseers    (KdxStore    *store,
                                             GError     **error);

/* ---- Status views ----------------------------------------------------- */

typedef struct
{
  char   *key;        /* course uuid, department, or person uuid */
  char   *label;      /* course title, department ("" for none), person name */
  guint   n_people;   /* people with a current round */
  guint   n_status[KDX_ASSIGNMENT_N_STATUSES];   /* rounds (person × course) */
  /* Valid completions that expire within 30, 60, 90 days of @today
   * (counted cumulatively: n_expiring_90 == n_status[EXPIRING]). */
  guint   n_expiring_30;
  guint   n_expiring_60;
  guint   n_expiring_90;
  /* 0..1: (completed + expiring) / rounds (by course the rounds are the
   * people), 0 without rounds. */
  double  completion;
} KdxTrainingSummary;

void        kdx_training_summary_free       (KdxTrainingSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxTrainingSummary, kdx_training_summary_free)

typedef enum
{
  KDX_TRAINING_BY_COURSE,
  KDX_TRAINING_BY_DEPARTMENT,
  KDX_TRAINING_BY_PERSON,
} KdxTrainingGrouping;

/* Current rounds of live, active people, grouped, sorted by label.
 * @course_uuid limits to one course (NULL: all), @department to one
 * department (NULL: all). KdxTrainingSummary*. */
GPtrArray  *kdx_training_status             (KdxStore    *store,
                                             KdxTrainingGrouping grouping,
                                             const char  *course_uuid,
                                             const char  *department,
                                             const char  *today,
                                             GCancellable *cancellable,
                                             GError     **error);

/* ---- Competence gate (EU AI Act Art. 26(2)) --------------------------- */

typedef struct
{
  char *system_uuid;
  char *system_key;
  char *system_name;
  char *person_uuid;
  char *person_name;
  char *course_uuid;
  char *course_title;
  KdxAssignmentStatus status;   /* of the person's current round */
  gboolean has_round;           /* FALSE: never assigned */
} KdxCompetenceGap;

void        kdx_competence_gap_free         (KdxCompetenceGap *gap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCompetenceGap, kdx_competence_gap_free)

/* Each named overseer of a live system who lacks a valid completion
 * (completed, not expired on @today) of a course that an overseers rule
 * requires for that system. @system_uuid NULL: every system.
 * KdxCompetenceGap*, sorted by system then person then course. */
GPtrArray  *kdx_training_competence_gaps    (KdxStore    *store,
                                             const char  *system_uuid,
                                             const char  *today,
                                             GError     **error);
/* The number of live systems with at least one gap (Overview, register). */
/* Overdue rounds of live, active people in live courses on @today (NULL:
 * the local date), as the status views and the Overdue list count them;
 * and their rounds whose completion (or the one they renew) expires after
 * @today, by @until. -1 on a database error. */
gint64      kdx_training_count_overdue       (KdxStore   *store,
                                              const char *today);
gint64      kdx_training_count_expiring      (KdxStore   *store,
                                              const char *today,
                                              const char *until);
gint64      kdx_training_count_gated_systems (KdxStore   *store,
                                              const char *today);
/* The uuids of the systems with a gap, for the register's flag. */
GHashTable *kdx_training_dup_gated_systems  (KdxStore    *store,
                                             const char  *today,
                                             GError     **error);

/* ---- One course (the course view) ------------------------------------ */

/* kdx_training_status() of one course by course, counted from the
 * course's rounds alone; a summary without rounds when it has none. */
KdxTrainingSummary *kdx_training_course_summary (KdxStore    *store,
                                                 const char  *course_uuid,
                                                 const char  *today,
                                                 GError     **error);

/* The current rounds of one course, as kdx_assignment_model_new() lists
 * them for a course, but counted and read a page at a time: rows are
 * KdxAssignmentItem. Reloaded by kdx_course_rounds_set_filter() and by
 * kdx_query_model_reload(); it does not watch the store. */
GListModel *kdx_course_rounds_new           (KdxStore    *store);
void        kdx_course_rounds_set_filter    (GListModel  *model,
                                             const KdxAssignmentFilter *filter);

/* Of @person_uuids, those with an open current round of the course. */
GHashTable *kdx_course_dup_open_people      (KdxStore           *store,
                                             const char         *course_uuid,
                                             const char * const *person_uuids,
                                             GError            **error);
/* The live, active people of @department (uuids, by name), without those
 * with an open current round of the course unless @with_open. */
GPtrArray  *kdx_course_dup_department_people (KdxStore   *store,
                                              const char *course_uuid,
                                              const char *department,
                                              gboolean    with_open,
                                              GError    **error);

G_END_DECLS
