/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV imports of training data (issue 5): people from an HR export,
 * assignments, and completions from a learning platform (Moodle's course
 * completion report, or a generic layout). The same object serves the
 * import dialog, `kodex-cli import` and the tests:
 *
 *   1. kdx_import_new() and kdx_import_open(): reads the header and the
 *      first rows, with the detected (or chosen) encoding and delimiter,
 *      and proposes a column mapping: the one remembered for this file
 *      layout in the workspace, else one from the column names (German and
 *      English), else none.
 *   2. The caller may change options and the mapping.
 *   3. kdx_import_plan(): reads the whole file (streaming) and validates
 *      every row against the workspace without writing anything. The
 *      plan says what would change, and lists every problem with its line
 *      and column. With problems, commit refuses.
 *   4. kdx_import_commit(): writes the plan in one journaled transaction,
 *      remembers the mapping for this layout, and applies the assignment
 *      rules (kdx_training_apply()). All or nothing.
 *
 * Plan and commit take a KdxJob (may be NULL) for progress and a
 * cancellable, and are meant to run in a worker on the job's connection.
 */
#pragma once

#include "kdx-csv.h"
#include "kdx-date.h"
#include "kdx-job.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_IMPORT_ERROR (kdx_import_error_quark ())

typedef enum
{
  KDX_IMPORT_ERROR_MAPPING,     /* a required field is not mapped, a field mapped twice */
  KDX_IMPORT_ERROR_PROBLEMS,    /* the plan has problems: see kdx_import_plan_get_problems() */
  KDX_IMPORT_ERROR_CHANGED,     /* the file or the workspace changed since the plan */
  KDX_IMPORT_ERROR_NO_PLAN,
} KdxImportError;

GQuark kdx_import_error_quark (void);

typedef enum
{
  KDX_IMPORT_PEOPLE,
  KDX_IMPORT_ASSIGNMENTS,
  KDX_IMPORT_COMPLETIONS,
} KdxImportKind;

const char *kdx_import_kind_to_string   (KdxImportKind kind);  /* "people", … */
int         kdx_import_kind_from_string (const char   *text);  /* -1 when unknown */

/* The fields a column can be mapped to. Which ones a kind uses, and which
 * it requires:
 *   people:      name or first-name + last-name; email or employee-id;
 *                department, role, manager (e-mail or employee id),
 *                committee (yes/no, ja/nein, 1/0, x), active
 *   assignments: person (e-mail or employee id) or email or employee-id
 *                or first-name + last-name (only when unique); course (key
 *                or title); due (date, optional)
 *   completions: as assignments for the person and course, completed
 *                (date), score (optional, 0–100, "85", "85 %", "85,5")
 */
typedef enum
{
  KDX_IMPORT_FIELD_IGNORE,
  KDX_IMPORT_FIELD_NAME,
  KDX_IMPORT_FIELD_FIRST_NAME,
  KDX_IMPORT_FIELD_LAST_NAME,
  KDX_IMPORT_FIELD_EMAIL,
  KDX_IMPORT_FIELD_EMPLOYEE_ID,
  KDX_IMPORT_FIELD_DEPARTMENT,
  KDX_IMPORT_FIELD_ROLE,
  KDX_IMPORT_FIELD_MANAGER,
  KDX_IMPORT_FIELD_COMMITTEE,
  KDX_IMPORT_FIELD_ACTIVE,
  KDX_IMPORT_FIELD_PERSON,
  KDX_IMPORT_FIELD_COURSE,
  KDX_IMPORT_FIELD_DUE,
  KDX_IMPORT_FIELD_COMPLETED,
  KDX_IMPORT_FIELD_SCORE,
  KDX_IMPORT_N_FIELDS
} KdxImportField;

const char *kdx_import_field_to_string   (KdxImportField field);  /* "email", "first-name", … */
int         kdx_import_field_from_string (const char    *text);   /* -1 when unknown */
const char *kdx_import_field_get_label   (KdxImportField field);  /* translated */
/* The fields that @kind offers, KDX_IMPORT_FIELD_IGNORE first. */
const KdxImportField *kdx_import_kind_get_fields (KdxImportKind kind,
                                                  guint        *n_fields);

/* ---- The plan --------------------------------------------------------- */

typedef struct
{
  guint  line;        /* physical line in the file, 1-based */
  guint  column;      /* 1-based, 0 for the whole row */
  char  *message;     /* translated, complete sentence */
} KdxImportProblem;

typedef struct _KdxImportPlan KdxImportPlan;

KdxImportPlan *kdx_import_plan_ref              (KdxImportPlan *plan);
void           kdx_import_plan_unref            (KdxImportPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxImportPlan, kdx_import_plan_unref)

guint          kdx_import_plan_get_n_rows       (KdxImportPlan *plan);
/* KdxImportProblem*, in file order; at most 1,000 are kept, the count is
 * exact. */
GPtrArray     *kdx_import_plan_get_problems     (KdxImportPlan *plan);
guint          kdx_import_plan_get_n_problems   (KdxImportPlan *plan);
/* people: new people, changed people, unchanged, deactivated (missing from
 * the file, only with deactivate-missing), departments that are new to
 * the workspace; assignments: new rounds, already assigned; completions:
 * rounds completed, rounds that had this completion already, new rounds
 * made complete (no assignment before), unmatched rows (also problems,
 * unless skip-unmatched). */
guint          kdx_import_plan_get_n_new        (KdxImportPlan *plan);
guint          kdx_import_plan_get_n_updated    (KdxImportPlan *plan);
guint          kdx_import_plan_get_n_unchanged  (KdxImportPlan *plan);
guint          kdx_import_plan_get_n_deactivated (KdxImportPlan *plan);
guint          kdx_import_plan_get_n_unmatched  (KdxImportPlan *plan);
const char * const *kdx_import_plan_get_new_departments (KdxImportPlan *plan);
/* completions: rows without a completion date (not completed yet, as a
 * learning platform lists everyone enrolled); they are left out. */
guint          kdx_import_plan_get_n_open       (KdxImportPlan *plan);
/* With skip-unmatched: the unmatched rows (KdxImportProblem*, at most
 * 1,000 kept), which are left out and listed in the journal entry. */
GPtrArray     *kdx_import_plan_get_unmatched    (KdxImportPlan *plan);
/* SHA-256 of the file's bytes (hex), as the journal entry records it. */
const char    *kdx_import_plan_get_sha256       (KdxImportPlan *plan);
/* "Line 5, column 3: …" (translated). */
char          *kdx_import_problem_format        (const KdxImportProblem *problem);
/* The whole plan as translated sentences, one per line, as the dialog's
 * summary and `kodex-cli import --dry-run` show it. */
char          *kdx_import_plan_describe         (KdxImportPlan *plan);

/* ---- The import ------------------------------------------------------- */

#define KDX_TYPE_IMPORT (kdx_import_get_type ())
G_DECLARE_FINAL_TYPE (KdxImport, kdx_import, KDX, IMPORT, GObject)

KdxImport     *kdx_import_new                   (KdxImportKind  kind);
KdxImportKind  kdx_import_get_kind              (KdxImport     *self);

/* Options, read by the next kdx_import_open(): NULL / 0 detect. When
 * no encoding is chosen and the file is not UTF-8, it is read as
 * WINDOWS-1252 (kdx_import_get_encoding() says so and
 * kdx_import_encoding_was_guessed() is TRUE); a file that is neither is
 * refused. */
void           kdx_import_set_encoding          (KdxImport     *self,
                                                 const char    *encoding);
void           kdx_import_set_delimiter         (KdxImport     *self,
                                                 char           delimiter);
/* Reads the header and the first rows of @file. @store (may be NULL) is
 * asked for a mapping remembered for this layout. A file that is not CSV
 * of this encoding is refused here, with line and column. */
gboolean       kdx_import_open                  (KdxImport     *self,
                                                 GFile         *file,
                                                 KdxStore      *store,
                                                 GCancellable  *cancellable,
                                                 GError       **error);
GFile         *kdx_import_get_file              (KdxImport     *self);
const char    *kdx_import_get_encoding          (KdxImport     *self);  /* used */
gboolean       kdx_import_encoding_was_guessed  (KdxImport     *self);
char           kdx_import_get_delimiter         (KdxImport     *self);  /* used */
/* "Moodle course completion report", "Generic", NULL when unknown (translated). */
const char    *kdx_import_get_layout_name       (KdxImport     *self);
/* TRUE when the mapping is the one remembered for this file layout. */
gboolean       kdx_import_get_mapping_remembered (KdxImport    *self);

guint          kdx_import_get_n_columns         (KdxImport     *self);
const char    *kdx_import_get_header            (KdxImport     *self,
                                                 guint          column);
/* Up to 20 rows after the header, as read. */
guint          kdx_import_get_n_preview_rows    (KdxImport     *self);
const char    *kdx_import_get_preview_field     (KdxImport     *self,
                                                 guint          row,
                                                 guint          column);

KdxImportField kdx_import_get_mapping           (KdxImport     *self,
                                                 guint          column);
void           kdx_import_set_mapping           (KdxImport     *self,
                                                 guint          column,
                                                 KdxImportField field);
/* COLUMN=FIELD, COLUMN a header name or a 1-based number (CLI --map). */
gboolean       kdx_import_map_by_name           (KdxImport     *self,
                                                 const char    *column_eq_field,
                                                 GError       **error);
/* Checks that the required fields are mapped and none twice; the message
 * names what is missing. */
gboolean       kdx_import_check_mapping         (KdxImport     *self,
                                                 GError       **error);

/* people: deactivate the workspace's active people that the file does not
 * name (default FALSE). */
void           kdx_import_set_deactivate_missing (KdxImport    *self,
                                                  gboolean      deactivate);
/* completions: import the matched rows and list the unmatched ones in the
 * journal entry instead of refusing (default FALSE). */
void           kdx_import_set_skip_unmatched    (KdxImport     *self,
                                                 gboolean       skip);
/* How slash dates are read; UNKNOWN (the default) detects it from the
 * column and reports an ambiguous column as a problem. */
void           kdx_import_set_date_order        (KdxImport     *self,
                                                 KdxDateOrder   order);
/* assignments, completions: the course of every row, for files without
 * a course column (Moodle's completion report is of one course; its file
 * name, completion-SHORTNAME.csv, is tried when none is given). A uuid,
 * key or title; NULL: the file's. */
void           kdx_import_set_course            (KdxImport     *self,
                                                 const char    *uuid_key_or_title);
const char    *kdx_import_get_course            (KdxImport     *self);
/* The day the import counts as today (tests); NULL: now. */
void           kdx_import_set_today             (KdxImport     *self,
                                                 const char    *today);
/* After a plan: TRUE when the file's dates could be day/month or
 * month/day, so that the user must choose (kdx_import_set_date_order()). */
gboolean       kdx_import_needs_date_order      (KdxImport     *self);

KdxImportPlan *kdx_import_plan                  (KdxImport     *self,
                                                 KdxStore      *store,
                                                 KdxJob        *job,
                                                 GCancellable  *cancellable,
                                                 GError       **error);
/* Plans again if needed (a plan is kept until options, mapping or the
 * workspace change), and writes it. Refuses with KDX_IMPORT_ERROR_PROBLEMS
 * when the plan has problems. */
gboolean       kdx_import_commit                (KdxImport     *self,
                                                 KdxStore      *store,
                                                 KdxJob        *job,
                                                 GCancellable  *cancellable,
                                                 GError       **error);

G_END_DECLS
