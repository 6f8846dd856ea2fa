/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV imports of training data (kdx-import.h): people from an HR export,
 * assignments, and completions from a learning platform.
 *
 * How it stays fast and small on big files (a million completion rows):
 *  - the file is read with the streaming KdxCsvReader, through a stream
 *    that computes its SHA-256 on the way (the journal records it);
 *  - everything a row is checked against is read once before the rows:
 *    people by address, employee id or name, courses by key or title, in
 *    hash tables; a course's current rounds are looked up one by one
 *    until a file asks about many of them, then read at once into an
 *    array indexed by person id;
 *  - a plan of completions or assignments keeps what to do as 24 bytes a
 *    row (which round, which day, which score), not the rows themselves;
 *    commit writes those with cached statements, the completions of
 *    existing rounds in the order of their ids;
 *  - one journal entry for an import of completions or assignments (what
 *    was done, in counts, and the file's SHA-256); people get one entry
 *    each, as every change of a person does, and the import one more.
 * A file of people is checked as a whole (addresses and employee ids
 * unique, managers known and not in a circle), so its rows are kept in
 * memory: an HR export of 100,000 people takes some 30 MB.
 *
 * Days are counted from 1900-01-01 inside (17 bits); dates in files
 * before 1900 or after 2199 are refused.
 */
#define G_LOG_DOMAIN "kdx-import"

#include "config.h"

#include "kdx-import.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "kdx-training.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS    1000
#define MAX_EXAMPLES    10
#define PREVIEW_ROWS    20
#define PROGRESS_EVERY  4096
/* A value longer than this is no value of any column. */
#define MAX_VALUE       (64 * 1024)
/* Queries for the rounds of one course before they are all read. */
#define PRELOAD_AFTER   2048

G_DEFINE_QUARK (kdx-import-error-quark, kdx_import_error)

typedef enum
{
  LAYOUT_UNKNOWN,
  LAYOUT_GENERIC,
  LAYOUT_MOODLE_REPORT,
  LAYOUT_MOODLE_CUSTOM,
} Layout;

struct _KdxImport
{
  GObject        parent_instance;

  KdxImportKind  kind;

  /* Options */
  char          *encoding_option;
  char           delimiter_option;
  gboolean       deactivate_missing;
  gboolean       skip_unmatched;
  KdxDateOrder   date_order;
  char          *today;
  char          *course_option;

  /* What open read */
  GFile         *file;
  char          *encoding;
  gboolean       encoding_guessed;
  char           delimiter;
  Layout         layout;
  gboolean       mapping_remembered;
  char          *layout_key;        /* the setting that remembers the mapping */
  char          *file_course;       /* Moodle: the short name in the file name */
  GPtrArray     *headers;           /* char* */
  GPtrArray     *preview;           /* char** of n_columns (NULL for missing fields) */
  GArray        *mapping;           /* KdxImportField per column */

  /* The last plan, while nothing it depends on changed */
  KdxImportPlan *plan;
  guint          serial;
  gboolean       needs_date_order;
};

G_DEFINE_FINAL_TYPE (KdxImport, kdx_import, G_TYPE_OBJECT)

/* What a plan of completions or assignments does, row by row. */
typedef enum
{
  ACT_COMPLETE,         /* the open current round @round gets the completion */
  ACT_NEW_COMPLETED,    /* a new completed round, the person had none */
  ACT_NEXT_COMPLETED,   /* a new completed round after the completed round @round */
  ACT_NEXT_AFTER_NEW,   /* the same after a round this import makes (looked up) */
  ACT_ASSIGN,           /* a new open round, after @round (0: none) */
} ActionKind;

#define NO_SCORE 0x7FFF

typedef struct
{
  gint64  person_id;
  gint64  round_id;
  guint32 day   : 17;   /* days since 1900-01-01: completed, or due */
  guint32 score : 15;   /* × 100, NO_SCORE for none */
  guint16 course : 13;  /* index into the plan's courses */
  guint16 kind   : 3;
} Action;

/* ACT_COMPLETE, most of a big file's rows: the round is all it needs. */
typedef struct
{
  gint64  round_id;
  guint32 day   : 17;
  guint32 score : 15;
  guint32 course;
} Completion;

G_STATIC_ASSERT (sizeof (Completion) == 16);

typedef struct
{
  gint64   id;
  char    *uuid;
  char    *key;
  char    *title;
  guint    validity_months;
  /* The current rounds of the course, encoded (see encode_round()), by
   * person id: queried one by one into @rounds, or all read (@preloaded)
   * into @dense (person ids are dense) or @rounds. */
  GHashTable *rounds;
  guint64    *dense;
  gsize       n_dense;
  guint       n_queries;
  gboolean    preloaded;
  guint       n_used;
  guint       index;      /* in the plan's courses */
} Course;

struct _KdxImportPlan
{
  gint           ref_count;
  KdxImportKind  kind;
  guint          serial;
  gint64         journal_count;
  char          *journal_hash;
  char          *sha256;
  guint64        size;
  char          *file_name;
  char          *encoding;
  char           delimiter;
  KdxDateOrder   date_order;
  gboolean       needs_date_order;
  guint          n_rows;
  GPtrArray     *problems;
  guint          n_problems;
  GPtrArray     *unmatched;
  guint          n_new;
  guint          n_updated;
  guint          n_unchanged;
  guint          n_deactivated;
  guint          n_unmatched;
  guint          n_open;
  GPtrArray     *new_departments;     /* char*, NULL-terminated */
  GPtrArray     *examples_new;        /* names */
  GPtrArray     *examples_updated;
  GPtrArray     *examples_deactivated;
  /* completions and assignments */
  GPtrArray     *courses;             /* Course* */
  GArray        *completes;           /* Completion: ACT_COMPLETE, sorted by round at commit */
  GArray        *actions;             /* the other Actions, in file order */
  char          *today;
};

/* ------------------------------------------------------------------ */
/* Names of kinds and fields                                           */

static const char * const kind_ids[] = { "people", "assignments", "completions" };

static const char * const field_ids[] = {
  [KDX_IMPORT_FIELD_IGNORE] = "ignore",
  [KDX_IMPORT_FIELD_NAME] = "name",
  [KDX_IMPORT_FIELD_FIRST_NAME] = "first-name",
  [KDX_IMPORT_FIELD_LAST_NAME] = "last-name",
  [KDX_IMPORT_FIELD_EMAIL] = "email",
  [KDX_IMPORT_FIELD_EMPLOYEE_ID] = "employee-id",
  [KDX_IMPORT_FIELD_DEPARTMENT] = "department",
  [KDX_IMPORT_FIELD_ROLE] = "role",
  [KDX_IMPORT_FIELD_MANAGER] = "manager",
  [KDX_IMPORT_FIELD_COMMITTEE] = "committee",
  [KDX_IMPORT_FIELD_ACTIVE] = "active",
  [KDX_IMPORT_FIELD_PERSON] = "person",
  [KDX_IMPORT_FIELD_COURSE] = "course",
  [KDX_IMPORT_FIELD_DUE] = "due",
  [KDX_IMPORT_FIELD_COMPLETED] = "completed",
  [KDX_IMPORT_FIELD_SCORE] = "score",
};

static const char * const field_labels[] = {
  [KDX_IMPORT_FIELD_IGNORE] = N_("Ignore"),
  [KDX_IMPORT_FIELD_NAME] = N_("Name"),
  [KDX_IMPORT_FIELD_FIRST_NAME] = N_("First name"),
  [KDX_IMPORT_FIELD_LAST_NAME] = N_("Last name"),
  [KDX_IMPORT_FIELD_EMAIL] = N_("E-mail address"),
  [KDX_IMPORT_FIELD_EMPLOYEE_ID] = N_("Employee ID"),
  [KDX_IMPORT_FIELD_DEPARTMENT] = N_("Department"),
  [KDX_IMPORT_FIELD_ROLE] = N_("Role"),
  [KDX_IMPORT_FIELD_MANAGER] = N_("Manager"),
  [KDX_IMPORT_FIELD_COMMITTEE] = N_("Committee member"),
  [KDX_IMPORT_FIELD_ACTIVE] = N_("Active"),
  /* Translators: an import column: who, by e-mail address or employee ID */
  [KDX_IMPORT_FIELD_PERSON] = N_("Person"),
  [KDX_IMPORT_FIELD_COURSE] = N_("Course"),
  [KDX_IMPORT_FIELD_DUE] = N_("Due date"),
  [KDX_IMPORT_FIELD_COMPLETED] = N_("Completion date"),
  [KDX_IMPORT_FIELD_SCORE] = N_("Score"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_ids) == KDX_IMPORT_N_FIELDS);
G_STATIC_ASSERT (G_N_ELEMENTS (field_labels) == KDX_IMPORT_N_FIELDS);

static const KdxImportField people_fields[] = {
  KDX_IMPORT_FIELD_IGNORE, KDX_IMPORT_FIELD_NAME, KDX_IMPORT_FIELD_FIRST_NAME,
  KDX_IMPORT_FIELD_LAST_NAME, KDX_IMPORT_FIELD_EMAIL, KDX_IMPORT_FIELD_EMPLOYEE_ID,
  KDX_IMPORT_FIELD_DEPARTMENT, KDX_IMPORT_FIELD_ROLE, KDX_IMPORT_FIELD_MANAGER,
  KDX_IMPORT_FIELD_COMMITTEE, KDX_IMPORT_FIELD_ACTIVE,
};

static const KdxImportField assignment_fields[] = {
  KDX_IMPORT_FIELD_IGNORE, KDX_IMPORT_FIELD_PERSON, KDX_IMPORT_FIELD_EMAIL,
  KDX_IMPORT_FIELD_EMPLOYEE_ID, KDX_IMPORT_FIELD_NAME, KDX_IMPORT_FIELD_FIRST_NAME,
  KDX_IMPORT_FIELD_LAST_NAME, KDX_IMPORT_FIELD_COURSE, KDX_IMPORT_FIELD_DUE,
};

static const KdxImportField completion_fields[] = {
  KDX_IMPORT_FIELD_IGNORE, KDX_IMPORT_FIELD_PERSON, KDX_IMPORT_FIELD_EMAIL,
  KDX_IMPORT_FIELD_EMPLOYEE_ID, KDX_IMPORT_FIELD_NAME, KDX_IMPORT_FIELD_FIRST_NAME,
  KDX_IMPORT_FIELD_LAST_NAME, KDX_IMPORT_FIELD_COURSE, KDX_IMPORT_FIELD_COMPLETED,
  KDX_IMPORT_FIELD_SCORE,
};

const char *
kdx_import_kind_to_string (KdxImportKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_ids), NULL);
  return kind_ids[kind];
}

int
kdx_import_kind_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_ids); i++)
    if (g_ascii_strcasecmp (text, kind_ids[i]) == 0)
      return i;

  return -1;
}

const char *
kdx_import_field_to_string (KdxImportField field)
{
  g_return_val_if_fail ((guint) field < KDX_IMPORT_N_FIELDS, NULL);
  return field_ids[field];
}

int
kdx_import_field_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < KDX_IMPORT_N_FIELDS; i++)
    if (g_ascii_strcasecmp (text, field_ids[i]) == 0)
      return i;

  return -1;
}

const char *
kdx_import_field_get_label (KdxImportField field)
{
  g_return_val_if_fail ((guint) field < KDX_IMPORT_N_FIELDS, NULL);
  return _(field_labels[field]);
}

const KdxImportField *
kdx_import_kind_get_fields (KdxImportKind  kind,
                            guint         *n_fields)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_ids), NULL);

  switch (kind)
    {
    case KDX_IMPORT_PEOPLE:
      *n_fields = G_N_ELEMENTS (people_fields);
      return people_fields;
    case KDX_IMPORT_ASSIGNMENTS:
      *n_fields = G_N_ELEMENTS (assignment_fields);
      return assignment_fields;
    case KDX_IMPORT_COMPLETIONS:
    default:
      *n_fields = G_N_ELEMENTS (completion_fields);
      return completion_fields;
    }
}

static gboolean
kind_has_field (KdxImportKind  kind,
                KdxImportField field)
{
  const KdxImportField *fields;
  guint n;

  fields = kdx_import_kind_get_fields (kind, &n);
  for (guint i = 0; i < n; i++)
    if (fields[i] == field)
      return TRUE;

  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Guessing columns from their names                                   */

typedef struct
{
  const char     *name;      /* folded, letters and digits only */
  KdxImportField  field;
  guint           priority;  /* the higher wins a field that two columns claim */
} ColumnName;

/* German and English names of columns in HR exports and learning
 * platforms' reports (Moodle's in both languages). */
static const ColumnName column_names[] = {
  { "name", KDX_IMPORT_FIELD_NAME, 5 },
  { "fullname", KDX_IMPORT_FIELD_NAME, 6 },
  { "vollstandigername", KDX_IMPORT_FIELD_NAME, 6 },
  { "vollername", KDX_IMPORT_FIELD_NAME, 6 },
  { "mitarbeitername", KDX_IMPORT_FIELD_NAME, 6 },
  { "employeename", KDX_IMPORT_FIELD_NAME, 6 },
  { "displayname", KDX_IMPORT_FIELD_NAME, 4 },
  { "anzeigename", KDX_IMPORT_FIELD_NAME, 4 },
  { "fullnamewithlink", KDX_IMPORT_FIELD_NAME, 5 },
  { "vollstandigernamemitlink", KDX_IMPORT_FIELD_NAME, 5 },
  { "vorname", KDX_IMPORT_FIELD_FIRST_NAME, 5 },
  { "firstname", KDX_IMPORT_FIELD_FIRST_NAME, 5 },
  { "givenname", KDX_IMPORT_FIELD_FIRST_NAME, 5 },
  { "forename", KDX_IMPORT_FIELD_FIRST_NAME, 5 },
  { "rufname", KDX_IMPORT_FIELD_FIRST_NAME, 4 },
  { "nachname", KDX_IMPORT_FIELD_LAST_NAME, 5 },
  { "lastname", KDX_IMPORT_FIELD_LAST_NAME, 5 },
  { "surname", KDX_IMPORT_FIELD_LAST_NAME, 5 },
  { "familyname", KDX_IMPORT_FIELD_LAST_NAME, 5 },
  { "familienname", KDX_IMPORT_FIELD_LAST_NAME, 5 },
  { "zuname", KDX_IMPORT_FIELD_LAST_NAME, 4 },
  { "email", KDX_IMPORT_FIELD_EMAIL, 5 },
  { "emailaddress", KDX_IMPORT_FIELD_EMAIL, 6 },
  { "emailadresse", KDX_IMPORT_FIELD_EMAIL, 6 },
  { "emailaddresse", KDX_IMPORT_FIELD_EMAIL, 6 },
  { "mail", KDX_IMPORT_FIELD_EMAIL, 4 },
  { "mailadresse", KDX_IMPORT_FIELD_EMAIL, 5 },
  { "emailgeschaftlich", KDX_IMPORT_FIELD_EMAIL, 6 },
  { "dienstlicheemail", KDX_IMPORT_FIELD_EMAIL, 6 },
  { "businessemail", KDX_IMPORT_FIELD_EMAIL, 6 },
  { "workemail", KDX_IMPORT_FIELD_EMAIL, 6 },
  { "useremail", KDX_IMPORT_FIELD_EMAIL, 5 },
  { "personalnummer", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "persnr", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "personalnr", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "pnr", KDX_IMPORT_FIELD_EMPLOYEE_ID, 4 },
  { "mitarbeiternummer", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "mitarbeiternr", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "mitarbeiterid", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "employeeid", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "employeenumber", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "employeeno", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "staffid", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "staffnumber", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  { "personnelnumber", KDX_IMPORT_FIELD_EMPLOYEE_ID, 6 },
  /* Moodle's user field "ID number", which sites fill with the HR id. */
  { "idnumber", KDX_IMPORT_FIELD_EMPLOYEE_ID, 5 },
  { "idnummer", KDX_IMPORT_FIELD_EMPLOYEE_ID, 5 },
  { "abteilung", KDX_IMPORT_FIELD_DEPARTMENT, 5 },
  { "department", KDX_IMPORT_FIELD_DEPARTMENT, 5 },
  { "dept", KDX_IMPORT_FIELD_DEPARTMENT, 4 },
  { "bereich", KDX_IMPORT_FIELD_DEPARTMENT, 3 },
  { "organisationseinheit", KDX_IMPORT_FIELD_DEPARTMENT, 4 },
  { "orgeinheit", KDX_IMPORT_FIELD_DEPARTMENT, 4 },
  { "team", KDX_IMPORT_FIELD_DEPARTMENT, 2 },
  { "unit", KDX_IMPORT_FIELD_DEPARTMENT, 2 },
  { "businessunit", KDX_IMPORT_FIELD_DEPARTMENT, 3 },
  { "division", KDX_IMPORT_FIELD_DEPARTMENT, 3 },
  { "funktion", KDX_IMPORT_FIELD_ROLE, 5 },
  { "rolle", KDX_IMPORT_FIELD_ROLE, 5 },
  { "role", KDX_IMPORT_FIELD_ROLE, 5 },
  { "jobtitle", KDX_IMPORT_FIELD_ROLE, 5 },
  { "jobtitel", KDX_IMPORT_FIELD_ROLE, 5 },
  { "position", KDX_IMPORT_FIELD_ROLE, 4 },
  { "stelle", KDX_IMPORT_FIELD_ROLE, 4 },
  { "stellenbezeichnung", KDX_IMPORT_FIELD_ROLE, 5 },
  { "berufsbezeichnung", KDX_IMPORT_FIELD_ROLE, 4 },
  { "tatigkeit", KDX_IMPORT_FIELD_ROLE, 3 },
  { "vorgesetzter", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "vorgesetzte", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "vorgesetzter", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "vorgesetzterin", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "fuhrungskraft", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "disziplinarischervorgesetzter", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "manager", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "linemanager", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "supervisor", KDX_IMPORT_FIELD_MANAGER, 4 },
  { "reportsto", KDX_IMPORT_FIELD_MANAGER, 4 },
  { "manageremail", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "vorgesetzteremail", KDX_IMPORT_FIELD_MANAGER, 5 },
  { "gremium", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "ethikgremium", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "kigremium", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "ethikkommission", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "ausschuss", KDX_IMPORT_FIELD_COMMITTEE, 4 },
  { "gremiummitglied", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "committee", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "ethicscommittee", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "committeemember", KDX_IMPORT_FIELD_COMMITTEE, 5 },
  { "aktiv", KDX_IMPORT_FIELD_ACTIVE, 5 },
  { "active", KDX_IMPORT_FIELD_ACTIVE, 5 },
  { "isactive", KDX_IMPORT_FIELD_ACTIVE, 5 },
  { "beschaftigt", KDX_IMPORT_FIELD_ACTIVE, 4 },
  { "person", KDX_IMPORT_FIELD_PERSON, 5 },
  { "teilnehmer", KDX_IMPORT_FIELD_PERSON, 4 },
  { "teilnehmerin", KDX_IMPORT_FIELD_PERSON, 4 },
  { "teilnehmende", KDX_IMPORT_FIELD_PERSON, 4 },
  { "participant", KDX_IMPORT_FIELD_PERSON, 4 },
  { "learner", KDX_IMPORT_FIELD_PERSON, 4 },
  { "lernende", KDX_IMPORT_FIELD_PERSON, 4 },
  { "user", KDX_IMPORT_FIELD_PERSON, 3 },
  { "benutzer", KDX_IMPORT_FIELD_PERSON, 3 },
  { "mitarbeiter", KDX_IMPORT_FIELD_PERSON, 3 },
  { "mitarbeiterin", KDX_IMPORT_FIELD_PERSON, 3 },
  { "mitarbeitende", KDX_IMPORT_FIELD_PERSON, 3 },
  { "employee", KDX_IMPORT_FIELD_PERSON, 3 },
  { "kurs", KDX_IMPORT_FIELD_COURSE, 5 },
  { "course", KDX_IMPORT_FIELD_COURSE, 5 },
  { "schulung", KDX_IMPORT_FIELD_COURSE, 5 },
  { "training", KDX_IMPORT_FIELD_COURSE, 4 },
  { "lehrgang", KDX_IMPORT_FIELD_COURSE, 4 },
  { "kursname", KDX_IMPORT_FIELD_COURSE, 5 },
  { "kurstitel", KDX_IMPORT_FIELD_COURSE, 5 },
  { "kurskurzname", KDX_IMPORT_FIELD_COURSE, 4 },
  { "kursschlussel", KDX_IMPORT_FIELD_COURSE, 5 },
  { "coursename", KDX_IMPORT_FIELD_COURSE, 5 },
  { "coursetitle", KDX_IMPORT_FIELD_COURSE, 5 },
  { "coursekey", KDX_IMPORT_FIELD_COURSE, 5 },
  { "coursefullname", KDX_IMPORT_FIELD_COURSE, 6 },
  { "coursefullnamewithlink", KDX_IMPORT_FIELD_COURSE, 5 },
  { "courseshortname", KDX_IMPORT_FIELD_COURSE, 4 },
  { "vollstandigerkursname", KDX_IMPORT_FIELD_COURSE, 6 },
  { "vollstandigerkursnamemitlink", KDX_IMPORT_FIELD_COURSE, 5 },
  { "fallig", KDX_IMPORT_FIELD_DUE, 5 },
  { "falligam", KDX_IMPORT_FIELD_DUE, 5 },
  { "falligkeit", KDX_IMPORT_FIELD_DUE, 5 },
  { "falligkeitsdatum", KDX_IMPORT_FIELD_DUE, 5 },
  { "frist", KDX_IMPORT_FIELD_DUE, 4 },
  { "erledigenbis", KDX_IMPORT_FIELD_DUE, 4 },
  { "due", KDX_IMPORT_FIELD_DUE, 5 },
  { "duedate", KDX_IMPORT_FIELD_DUE, 5 },
  { "dueby", KDX_IMPORT_FIELD_DUE, 5 },
  { "deadline", KDX_IMPORT_FIELD_DUE, 4 },
  /* "Completed" is Moodle's Yes/No beside "Time completed": the day wins. */
  { "completed", KDX_IMPORT_FIELD_COMPLETED, 3 },
  { "abgeschlossen", KDX_IMPORT_FIELD_COMPLETED, 3 },
  { "abgeschlossenam", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "abschlussdatum", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "abschluss", KDX_IMPORT_FIELD_COMPLETED, 4 },
  { "abschlusszeit", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "bestandenam", KDX_IMPORT_FIELD_COMPLETED, 5 },
  { "datum", KDX_IMPORT_FIELD_COMPLETED, 2 },
  { "date", KDX_IMPORT_FIELD_COMPLETED, 2 },
  { "completiondate", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "completedon", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "dateofcompletion", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "datecompleted", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "timecompleted", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "coursecomplete", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "kursabgeschlossen", KDX_IMPORT_FIELD_COMPLETED, 6 },
  { "punkte", KDX_IMPORT_FIELD_SCORE, 5 },
  { "punktzahl", KDX_IMPORT_FIELD_SCORE, 5 },
  { "ergebnis", KDX_IMPORT_FIELD_SCORE, 4 },
  { "bewertung", KDX_IMPORT_FIELD_SCORE, 4 },
  { "prozent", KDX_IMPORT_FIELD_SCORE, 4 },
  { "score", KDX_IMPORT_FIELD_SCORE, 5 },
  { "grade", KDX_IMPORT_FIELD_SCORE, 4 },
  { "finalgrade", KDX_IMPORT_FIELD_SCORE, 4 },
  { "percent", KDX_IMPORT_FIELD_SCORE, 4 },
  { "result", KDX_IMPORT_FIELD_SCORE, 3 },
  { "bewertungen", KDX_IMPORT_FIELD_SCORE, 3 },
};

/* Lower case without diacritics, letters and digits only: "E-Mail-
 * Adresse" and "email address" are both "emailadresse"/"emailaddress". */
static char *
normalise_name (const char *name)
{
  g_autofree char *folded = kdx_fold_text (name);
  char *w = folded;

  for (const char *r = folded; *r; r++)
    if (g_ascii_isalnum (*r))
      *w++ = *r;
  *w = '\0';

  return g_steal_pointer (&folded);
}

static const ColumnName *
lookup_column_name (const char *normalised)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_names); i++)
    if (strcmp (column_names[i].name, normalised) == 0)
      return &column_names[i];

  return NULL;
}

/* A header, or what follows "Entity:" in Moodle's custom reports
 * ("Course completion: Time completed"). */
static const ColumnName *
guess_column (const char *header)
{
  g_autofree char *whole = normalise_name (header);
  const ColumnName *found = lookup_column_name (whole);
  const char *colon;

  if (found == NULL && (colon = strrchr (header, ':')) != NULL)
    {
      g_autofree char *tail = normalise_name (colon + 1);

      found = lookup_column_name (tail);
    }

  return found;
}

static gboolean
header_is (const char *header,
           const char *normalised)
{
  g_autofree char *n = normalise_name (header);

  return strcmp (n, normalised) == 0;
}

/* ------------------------------------------------------------------ */
/* Days                                                                */

/* Days since 1900-01-01 (0) of a day of the proleptic Gregorian calendar. */
static int
day_number (int year,
            int month,
            int day)
{
  /* H. Hinnant's days_from_civil, shifted to 1900-01-01. */
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468 - (-25567);
}

static void
day_to_civil (int  number,
              int *year,
              int *month,
              int *day)
{
  int z = number + (-25567) + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  int doe = z - era * 146097;
  int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = yoe + era * 400;
  int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int mp = (5 * doy + 2) / 153;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp + (mp < 10 ? 3 : -9);
  *year = y + (*month <= 2);
}

/* YYYY-MM-DD, without printf: a million of them are written. */
static void
format_day (int   number,
            char  out[11])
{
  int y, m, d;

  day_to_civil (number, &y, &m, &d);
  out[0] = '0' + y / 1000 % 10;
  out[1] = '0' + y / 100 % 10;
  out[2] = '0' + y / 10 % 10;
  out[3] = '0' + y % 10;
  out[4] = '-';
  out[5] = '0' + m / 10;
  out[6] = '0' + m % 10;
  out[7] = '-';
  out[8] = '0' + d / 10;
  out[9] = '0' + d % 10;
  out[10] = '\0';
}

/* @number plus @months, the end of a shorter month kept. */
static int
add_months (int   number,
            guint months)
{
  int y, m, d;
  int dim;

  day_to_civil (number, &y, &m, &d);
  m += months % 12;
  y += months / 12;
  if (m > 12)
    {
      m -= 12;
      y++;
    }
  dim = g_date_get_days_in_month (m, y);

  return day_number (y, m, MIN (d, dim));
}

static int
iso_day_number (const char *iso)
{
  int y, m, d;

  if (iso == NULL || !kdx_date_parse_parts (iso, KDX_DATE_ORDER_DMY, &y, &m, &d, NULL))
    return -1;

  return day_number (y, m, d);
}

#define MAX_DAY ((1 << 17) - 1)   /* 2258-11-11 */

/* ------------------------------------------------------------------ */
/* The plan                                                            */

static void
problem_free (gpointer data)
{
  KdxImportProblem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

static void
course_free (gpointer data)
{
  Course *course = data;

  g_free (course->uuid);
  g_free (course->key);
  g_free (course->title);
  g_clear_pointer (&course->rounds, g_hash_table_unref);
  g_free (course->dense);
  g_free (course);
}

static KdxImportPlan *
plan_new (KdxImport *self)
{
  KdxImportPlan *plan = g_new0 (KdxImportPlan, 1);

  plan->ref_count = 1;
  plan->kind = self->kind;
  plan->serial = self->serial;
  plan->problems = g_ptr_array_new_with_free_func (problem_free);
  plan->unmatched = g_ptr_array_new_with_free_func (problem_free);
  plan->new_departments = g_ptr_array_new_with_free_func (g_free);
  plan->examples_new = g_ptr_array_new_with_free_func (g_free);
  plan->examples_updated = g_ptr_array_new_with_free_func (g_free);
  plan->examples_deactivated = g_ptr_array_new_with_free_func (g_free);
  plan->courses = g_ptr_array_new_with_free_func (course_free);
  plan->completes = g_array_new (FALSE, FALSE, sizeof (Completion));
  plan->actions = g_array_new (FALSE, FALSE, sizeof (Action));
  plan->file_name = self->file ? g_file_get_basename (self->file) : g_strdup ("");
  plan->encoding = g_strdup (self->encoding);
  plan->delimiter = self->delimiter;
  plan->today = self->today ? g_strdup (self->today) : kdx_date_today ();

  return plan;
}

KdxImportPlan *
kdx_import_plan_ref (KdxImportPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);

  g_atomic_int_inc (&plan->ref_count);

  return plan;
}

void
kdx_import_plan_unref (KdxImportPlan *plan)
{
  g_return_if_fail (plan != NULL);

  if (!g_atomic_int_dec_and_test (&plan->ref_count))
    return;

  g_free (plan->journal_hash);
  g_free (plan->sha256);
  g_free (plan->file_name);
  g_free (plan->encoding);
  g_ptr_array_unref (plan->problems);
  g_ptr_array_unref (plan->unmatched);
  g_ptr_array_unref (plan->new_departments);
  g_ptr_array_unref (plan->examples_new);
  g_ptr_array_unref (plan->examples_updated);
  g_ptr_array_unref (plan->examples_deactivated);
  g_ptr_array_unref (plan->courses);
  g_array_unref (plan->completes);
  g_array_unref (plan->actions);
  g_free (plan->today);
  g_free (plan);
}

guint kdx_import_plan_get_n_rows (KdxImportPlan *plan) { return plan->n_rows; }
GPtrArray *kdx_import_plan_get_problems (KdxImportPlan *plan) { return plan->problems; }
guint kdx_import_plan_get_n_problems (KdxImportPlan *plan) { return plan->n_problems; }
guint kdx_import_plan_get_n_new (KdxImportPlan *plan) { return plan->n_new; }
guint kdx_import_plan_get_n_updated (KdxImportPlan *plan) { return plan->n_updated; }
guint kdx_import_plan_get_n_unchanged (KdxImportPlan *plan) { return plan->n_unchanged; }
guint kdx_import_plan_get_n_deactivated (KdxImportPlan *plan) { return plan->n_deactivated; }
guint kdx_import_plan_get_n_unmatched (KdxImportPlan *plan) { return plan->n_unmatched; }
guint kdx_import_plan_get_n_open (KdxImportPlan *plan) { return plan->n_open; }
GPtrArray *kdx_import_plan_get_unmatched (KdxImportPlan *plan) { return plan->unmatched; }
const char *kdx_import_plan_get_sha256 (KdxImportPlan *plan) { return plan->sha256; }

const char * const *
kdx_import_plan_get_new_departments (KdxImportPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);

  if (plan->new_departments->len == 0 ||
      g_ptr_array_index (plan->new_departments, plan->new_departments->len - 1) != NULL)
    g_ptr_array_add (plan->new_departments, NULL);

  return (const char * const *) plan->new_departments->pdata;
}

static void
add_problem_to (GPtrArray  *list,
                guint      *count,
                guint       line,
                guint       column,
                char       *message)
{
  KdxImportProblem *problem;

  (*count)++;
  if (list->len >= MAX_PROBLEMS)
    {
      g_free (message);
      return;
    }
  problem = g_new0 (KdxImportProblem, 1);
  problem->line = line;
  problem->column = column;
  problem->message = message;
  g_ptr_array_add (list, problem);
}

G_GNUC_PRINTF (4, 5)
static void
add_problem (KdxImportPlan *plan,
             guint          line,
             guint          column,
             const char    *format,
             ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  add_problem_to (plan->problems, &plan->n_problems, line, column, message);
}

/* An error of the CSV reader: its message names line and column first
 * ("Line 5, column 3: …"); the problem keeps them apart. */
static void
add_csv_problem (KdxImportPlan *plan,
                 const GError  *error)
{
  const char *message = error->message;
  const char *p = message;
  guint numbers[2] = { 0, 0 };
  guint n = 0;

  while (*p && n < 2 && p - message < 40)
    {
      if (g_ascii_isdigit (*p))
        {
          numbers[n++] = (guint) strtoul (p, (char **) &p, 10);
          continue;
        }
      p++;
    }
  if (n == 2 && (p = strstr (p, ": ")) != NULL && p - message < 60)
    add_problem_to (plan->problems, &plan->n_problems, numbers[0], numbers[1],
                    g_strdup (p + 2));
  else
    add_problem_to (plan->problems, &plan->n_problems, 0, 0, g_strdup (message));
}

char *
kdx_import_problem_format (const KdxImportProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->line > 0 && problem->column > 0)
    /* Translators: a problem of an imported file */
    return g_strdup_printf (_("Line %u, column %u: %s"), problem->line, problem->column,
                            problem->message);
  if (problem->line > 0)
    return g_strdup_printf (_("Line %u: %s"), problem->line, problem->message);

  return g_strdup (problem->message);
}

static void
add_example (GPtrArray  *examples,
             const char *name)
{
  if (examples->len < MAX_EXAMPLES)
    g_ptr_array_add (examples, g_strdup (name));
}

static void
append_examples (GString    *out,
                 GPtrArray  *examples,
                 guint       total)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (examples->len == 0)
    return;
  for (guint i = 0; i < examples->len; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, g_ptr_array_index (examples, i));
    }
  if (total > examples->len)
    /* Translators: after a list of names, "Anna Alt, Bernd Brot and 12 more" */
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "  %s and %u more\n",
                                              "  %s and %u more\n", total - examples->len),
                            names->str, total - examples->len);
  else
    g_string_append_printf (out, "  %s\n", names->str);
}

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ',': return _("comma");
    case ';': return _("semicolon");
    case '\t': return _("tab");
    default: return "?";
    }
}

/* Encodings as people know them ("Windows-1252"), not as iconv does. */
static const char *
encoding_display_name (const char *encoding)
{
  if (encoding == NULL || g_ascii_strcasecmp (encoding, "UTF-8") == 0)
    return "UTF-8";
  if (g_ascii_strcasecmp (encoding, "WINDOWS-1252") == 0 || g_ascii_strcasecmp (encoding, "CP1252") == 0)
    return "Windows-1252";
  if (g_ascii_strcasecmp (encoding, "UTF-16LE") == 0 || g_ascii_strcasecmp (encoding, "UTF-16BE") == 0 ||
      g_ascii_strcasecmp (encoding, "UTF-16") == 0)
    return "UTF-16";

  return encoding;
}

char *
kdx_import_plan_describe (KdxImportPlan *plan)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (plan != NULL, NULL);

  g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                            "%s (%s, %s as delimiter) has %u row.\n",
                                            "%s (%s, %s as delimiter) has %u rows.\n",
                                            plan->n_rows),
                          plan->file_name, encoding_display_name (plan->encoding),
                          delimiter_name (plan->delimiter), plan->n_rows);
  if (plan->date_order == KDX_DATE_ORDER_DMY)
    g_string_append (out, _("Dates with slashes are read as day/month/year.\n"));
  else if (plan->date_order == KDX_DATE_ORDER_MDY)
    g_string_append (out, _("Dates with slashes are read as month/day/year.\n"));

  switch (plan->kind)
    {
    case KDX_IMPORT_PEOPLE:
      if (plan->n_new > 0)
        {
          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                    "%u person will be added:\n",
                                                    "%u people will be added:\n", plan->n_new),
                                  plan->n_new);
          append_examples (out, plan->examples_new, plan->n_new);
        }
      if (plan->n_updated > 0)
        {
          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                    "%u person will be changed:\n",
                                                    "%u people will be changed:\n",
                                                    plan->n_updated),
                                  plan->n_updated);
          append_examples (out, plan->examples_updated, plan->n_updated);
        }
      if (plan->n_unchanged > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u person is unchanged.\n",
                                                  "%u people are unchanged.\n",
                                                  plan->n_unchanged),
                                plan->n_unchanged);
      if (plan->n_deactivated > 0)
        {
          g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                    "%u person who is not in the file will be "
                                                    "deactivated:\n",
                                                    "%u people who are not in the file will be "
                                                    "deactivated:\n", plan->n_deactivated),
                                  plan->n_deactivated);
          append_examples (out, plan->examples_deactivated, plan->n_deactivated);
        }
      {
        const char * const *departments = kdx_import_plan_get_new_departments (plan);

        guint n_departments = departments[0] ? g_strv_length ((char **) departments) : 0;

        if (n_departments > 0 && n_departments <= 2 * MAX_EXAMPLES)
          {
            g_autofree char *list = g_strjoinv (", ", (char **) departments);

            g_string_append_printf (out, _("New departments: %s.\n"), list);
          }
        else if (n_departments > 0)
          {
            g_autofree char *first = NULL;
            char *some[2 * MAX_EXAMPLES + 1] = { NULL };

            memcpy (some, departments, 2 * MAX_EXAMPLES * sizeof (char *));
            first = g_strjoinv (", ", some);
            g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                      "New departments: %s and %u more.\n",
                                                      "New departments: %s and %u more.\n",
                                                      n_departments - 2 * MAX_EXAMPLES),
                                    first, n_departments - 2 * MAX_EXAMPLES);
          }
      }
      break;

    case KDX_IMPORT_ASSIGNMENTS:
      if (plan->n_new > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u course will be assigned.\n",
                                                  "%u courses will be assigned.\n", plan->n_new),
                                plan->n_new);
      if (plan->n_unchanged > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u row names a course the person has been "
                                                  "assigned already.\n",
                                                  "%u rows name a course the person has been "
                                                  "assigned already.\n", plan->n_unchanged),
                                plan->n_unchanged);
      break;

    case KDX_IMPORT_COMPLETIONS:
      if (plan->n_updated > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u assigned course will be marked complete.\n",
                                                  "%u assigned courses will be marked complete.\n",
                                                  plan->n_updated),
                                plan->n_updated);
      if (plan->n_new > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u completion will be recorded as a new "
                                                  "assignment (no open one before).\n",
                                                  "%u completions will be recorded as new "
                                                  "assignments (no open one before).\n",
                                                  plan->n_new),
                                plan->n_new);
      if (plan->n_unchanged > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u completion was recorded already.\n",
                                                  "%u completions were recorded already.\n",
                                                  plan->n_unchanged),
                                plan->n_unchanged);
      if (plan->n_open > 0)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                  "%u row has no completion date (not "
                                                  "completed yet) and is left out.\n",
                                                  "%u rows have no completion date (not "
                                                  "completed yet) and are left out.\n",
                                                  plan->n_open),
                                plan->n_open);
      break;
    }

  if (plan->unmatched->len > 0)
    {
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "%u row names nobody or no course of this "
                                                "workspace and is left out:\n",
                                                "%u rows name nobody or no course of this "
                                                "workspace and are left out:\n",
                                                plan->n_unmatched),
                              plan->n_unmatched);
      for (guint i = 0; i < plan->unmatched->len; i++)
        {
          g_autofree char *line = kdx_import_problem_format (g_ptr_array_index (plan->unmatched, i));

          g_string_append_printf (out, "  %s\n", line);
        }
    }

  if (plan->n_problems > 0)
    {
      g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                                "%u problem must be fixed first; nothing will "
                                                "be imported:\n",
                                                "%u problems must be fixed first; nothing will "
                                                "be imported:\n", plan->n_problems),
                              plan->n_problems);
      for (guint i = 0; i < plan->problems->len; i++)
        {
          g_autofree char *line = kdx_import_problem_format (g_ptr_array_index (plan->problems, i));

          g_string_append_printf (out, "  %s\n", line);
        }
      if (plan->n_problems > plan->problems->len)
        g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, "  … and %u more.\n",
                                                  "  … and %u more.\n",
                                                  plan->n_problems - plan->problems->len),
                                plan->n_problems - plan->problems->len);
    }
  else if (plan->kind == KDX_IMPORT_PEOPLE && plan->n_new + plan->n_updated +
           plan->n_deactivated == 0)
    g_string_append (out, _("Nothing will change.\n"));
  else if (plan->kind != KDX_IMPORT_PEOPLE && plan->n_new + plan->n_updated == 0)
    g_string_append (out, _("Nothing will change.\n"));

  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* A stream that computes the SHA-256 of what is read through it        */

#define KDX_TYPE_DIGEST_STREAM (kdx_digest_stream_get_type ())
G_DECLARE_FINAL_TYPE (KdxDigestStream, kdx_digest_stream, KDX, DIGEST_STREAM,
                      GFilterInputStream)

struct _KdxDigestStream
{
  GFilterInputStream  parent_instance;
  GChecksum          *checksum;
  guint64             n_read;
};

G_DEFINE_FINAL_TYPE (KdxDigestStream, kdx_digest_stream, G_TYPE_FILTER_INPUT_STREAM)

static gssize
kdx_digest_stream_read (GInputStream  *stream,
                        void          *buffer,
                        gsize          count,
                        GCancellable  *cancellable,
                        GError       **error)
{
  KdxDigestStream *self = KDX_DIGEST_STREAM (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (stream));
  gssize n = g_input_stream_read (base, buffer, count, cancellable, error);

  if (n > 0)
    {
      g_checksum_update (self->checksum, buffer, n);
      self->n_read += n;
    }

  return n;
}

static void
kdx_digest_stream_finalize (GObject *object)
{
  KdxDigestStream *self = KDX_DIGEST_STREAM (object);

  g_checksum_free (self->checksum);

  G_OBJECT_CLASS (kdx_digest_stream_parent_class)->finalize (object);
}

static void
kdx_digest_stream_class_init (KdxDigestStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = kdx_digest_stream_finalize;
  stream_class->read_fn = kdx_digest_stream_read;
}

static void
kdx_digest_stream_init (KdxDigestStream *self)
{
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
}

/* Reads to the end (what the CSV reader left, after an error). */
static char *
digest_stream_finish (KdxDigestStream  *self,
                      GCancellable     *cancellable)
{
  char buffer[65536];

  while (g_input_stream_read (G_INPUT_STREAM (self), buffer, sizeof buffer, cancellable,
                              NULL) > 0)
    ;

  return g_strdup (g_checksum_get_string (self->checksum));
}

/* ------------------------------------------------------------------ */
/* Reading the file                                                    */

typedef struct
{
  KdxImport        *self;
  KdxImportPlan    *plan;
  KdxStore         *store;
  KdxJob           *job;
  GCancellable     *cancellable;
  GFileInputStream *file_stream;
  KdxDigestStream  *digest;
  KdxCsvReader     *reader;
  guint64           size;
  int               col[KDX_IMPORT_N_FIELDS];  /* column of each field, -1 when unmapped */
  GString          *trimmed[KDX_IMPORT_N_FIELDS];
  guint             n_read;
} Pass;

static void
pass_clear (Pass *pass)
{
  for (guint i = 0; i < KDX_IMPORT_N_FIELDS; i++)
    if (pass->trimmed[i] != NULL)
      g_string_free (g_steal_pointer (&pass->trimmed[i]), TRUE);
  g_clear_pointer (&pass->reader, kdx_csv_reader_free);
  g_clear_object (&pass->digest);
  g_clear_object (&pass->file_stream);
}

/* A chosen encoding, or UTF-8 with a byte order mark deciding: the
 * options open and plan read with. */
static void
csv_options_for (KdxImport     *self,
                 const char    *encoding,
                 KdxCsvOptions *options)
{
  memset (options, 0, sizeof *options);
  options->encoding = encoding;
  options->delimiter = self->delimiter_option != 0 ? self->delimiter_option : self->delimiter;
}

static gboolean
pass_open (Pass          *pass,
           GError       **error)
{
  KdxImport *self = pass->self;
  g_autoptr(GFileInfo) info = NULL;
  KdxCsvOptions options;

  pass->file_stream = g_file_read (self->file, pass->cancellable, error);
  if (pass->file_stream == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (pass->file_stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                         pass->cancellable, NULL);
  pass->size = info ? g_file_info_get_size (info) : 0;
  pass->digest = g_object_new (KDX_TYPE_DIGEST_STREAM, "base-stream", pass->file_stream, NULL);

  csv_options_for (self, self->encoding_guessed || self->encoding_option
                           ? self->encoding : NULL, &options);
  pass->reader = kdx_csv_reader_new (G_INPUT_STREAM (pass->digest), &options,
                                     pass->cancellable, error);
  if (pass->reader == NULL)
    return FALSE;

  for (guint i = 0; i < KDX_IMPORT_N_FIELDS; i++)
    pass->col[i] = -1;
  for (guint c = 0; c < self->mapping->len; c++)
    {
      KdxImportField field = g_array_index (self->mapping, KdxImportField, c);

      if (field != KDX_IMPORT_FIELD_IGNORE)
        pass->col[field] = c;
    }

  return TRUE;
}

static inline gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The value of @field in the current record, without spaces around it;
 * "" when the field is not mapped or the record is short. Valid until
 * the next record. */
static const char *
pass_value (Pass           *pass,
            KdxImportField  field)
{
  int column = pass->col[field];
  const char *value;
  const char *end;

  if (column < 0 || (guint) column >= kdx_csv_reader_get_n_fields (pass->reader))
    return "";
  value = kdx_csv_reader_get_field (pass->reader, column);
  while (is_blank (*value))
    value++;
  end = value + strlen (value);
  if (end == value || !is_blank (end[-1]))
    return value;

  while (end > value && is_blank (end[-1]))
    end--;
  if (pass->trimmed[field] == NULL)
    pass->trimmed[field] = g_string_new (NULL);
  g_string_truncate (pass->trimmed[field], 0);
  g_string_append_len (pass->trimmed[field], value, end - value);

  return pass->trimmed[field]->str;
}

/* 1-based column of @field, for messages. */
static guint
pass_column (Pass           *pass,
             KdxImportField  field)
{
  return pass->col[field] + 1;
}

/* Reads the next data row; FALSE at the end or on an error of the reader,
 * which becomes a problem (and stops the pass: what follows cannot be
 * read). Cancelling is an error. */
static gboolean
pass_next (Pass     *pass,
           gboolean *failed,
           GError  **error)
{
  g_autoptr(GError) local = NULL;

  *failed = FALSE;
  if (!kdx_csv_reader_next (pass->reader, pass->cancellable, &local))
    {
      if (local == NULL)
        return FALSE;
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          *failed = TRUE;
          return FALSE;
        }
      add_csv_problem (pass->plan, local);
      return FALSE;
    }

  pass->n_read++;
  if ((pass->n_read % PROGRESS_EVERY) == 0)
    {
      if (pass->job != NULL && pass->size > 0)
        kdx_job_set_progress (pass->job,
                              MIN (1.0, (double) kdx_csv_reader_get_offset (pass->reader) /
                                        pass->size),
                              _("Checking the rows"));
      if (g_cancellable_set_error_if_cancelled (pass->cancellable, error))
        {
          *failed = TRUE;
          return FALSE;
        }
    }

  return TRUE;
}

/* A field longer than any value: a problem (the 1 MiB field). */
static gboolean
pass_check_lengths (Pass *pass)
{
  guint n = kdx_csv_reader_get_n_fields (pass->reader);
  gboolean fine = TRUE;

  for (guint c = 0; c < n; c++)
    {
      gsize length = strlen (kdx_csv_reader_get_field (pass->reader, c));

      if (length > MAX_VALUE)
        {
          g_autofree char *size = g_format_size (length);

          add_problem (pass->plan, kdx_csv_reader_get_line (pass->reader), c + 1,
                       _("The field is %s long, too long for any value"), size);
          fine = FALSE;
        }
    }

  return fine;
}

static void
pass_finish (Pass *pass)
{
  g_clear_pointer (&pass->reader, kdx_csv_reader_free);
  pass->plan->sha256 = digest_stream_finish (pass->digest, pass->cancellable);
  pass->plan->size = pass->digest->n_read;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

/* yes/no, ja/nein, 1/0, x, true/false, wahr/falsch, aktiv/inaktiv; -1
 * for anything else, -2 for empty. */
static int
parse_yes_no (const char *value)
{
  static const char * const yes[] = {
    "1", "x", "ja", "j", "yes", "y", "true", "wahr", "aktiv", "active", "✓", "✔", "mitglied",
    "member",
  };
  static const char * const no[] = {
    "0", "nein", "n", "no", "false", "falsch", "inaktiv", "inactive", "-", "ausgetreten",
  };

  if (*value == '\0')
    return -2;
  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (value, yes[i]) == 0)
      return 1;
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    if (g_ascii_strcasecmp (value, no[i]) == 0)
      return 0;

  return -1;
}

/* "85", "85 %", "85,5", "85.00": × 100, or -1 when not a score from 0 to
 * 100, NO_SCORE when empty. */
static int
parse_score (const char *value)
{
  char buffer[32];
  char *end;
  double score;
  gsize n = 0;

  if (*value == '\0')
    return NO_SCORE;
  for (const char *p = value; *p && n < sizeof buffer - 1; p++)
    {
      if (*p == ' ' || *p == '%')
        continue;
      buffer[n++] = *p == ',' ? '.' : *p;
    }
  buffer[n] = '\0';
  if (n == 0 || strlen (value) > 20)
    return -1;
  score = g_ascii_strtod (buffer, &end);
  if (*end != '\0' || !(score >= 0 && score <= 100))
    return -1;

  return (int) (score * 100 + 0.5);
}

/* Moodle writes its dates with two-digit years ("13/05/24, 14:30", in
 * German "13.05.24 14:30"); Moodle was first released in 2002, so these
 * years are 20xx and nothing is guessed. @out gets the text with the
 * century. */
static const char *
expand_moodle_year (const char *value,
                    char        out[64])
{
  const char *p = value;
  int parts = 0;
  char sep = 0;

  if (strlen (value) > 40)
    return value;
  /* d{1,2} sep d{1,2} sep dd, then not a digit */
  for (int i = 0; i < 2; i++)
    {
      int digits = 0;

      while (g_ascii_isdigit (*p))
        p++, digits++;
      if (digits < 1 || digits > 2 || (*p != '/' && *p != '.'))
        return value;
      if (sep != 0 && *p != sep)
        return value;
      sep = *p++;
      parts++;
    }
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || g_ascii_isdigit (p[2]))
    return value;
  g_snprintf (out, 64, "%.*s20%s", (int) (p - value), value, p);

  return out;
}

/* ------------------------------------------------------------------ */
/* Import object                                                       */

static void
invalidate (KdxImport *self)
{
  self->serial++;
  g_clear_pointer (&self->plan, kdx_import_plan_unref);
}

static void
kdx_import_finalize (GObject *object)
{
  KdxImport *self = KDX_IMPORT (object);

  g_free (self->encoding_option);
  g_free (self->today);
  g_free (self->course_option);
  g_clear_object (&self->file);
  g_free (self->encoding);
  g_free (self->layout_key);
  g_free (self->file_course);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, g_array_unref);
  g_clear_pointer (&self->plan, kdx_import_plan_unref);

  G_OBJECT_CLASS (kdx_import_parent_class)->finalize (object);
}

static void
kdx_import_class_init (KdxImportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kdx_import_finalize;
}

static void
kdx_import_init (KdxImport *self)
{
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->mapping = g_array_new (FALSE, TRUE, sizeof (KdxImportField));
}

KdxImport *
kdx_import_new (KdxImportKind kind)
{
  KdxImport *self;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_ids), NULL);

  self = g_object_new (KDX_TYPE_IMPORT, NULL);
  self->kind = kind;

  return self;
}

KdxImportKind
kdx_import_get_kind (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), 0);
  return self->kind;
}

void
kdx_import_set_encoding (KdxImport  *self,
                         const char *encoding)
{
  g_return_if_fail (KDX_IS_IMPORT (self));

  if (encoding != NULL && *encoding == '\0')
    encoding = NULL;
  g_free (self->encoding_option);
  self->encoding_option = g_strdup (encoding);
  invalidate (self);
}

void
kdx_import_set_delimiter (KdxImport *self,
                          char       delimiter)
{
  g_return_if_fail (KDX_IS_IMPORT (self));
  g_return_if_fail (delimiter == 0 || delimiter == ',' || delimiter == ';' || delimiter == '\t');

  self->delimiter_option = delimiter;
  invalidate (self);
}

void
kdx_import_set_deactivate_missing (KdxImport *self,
                                   gboolean   deactivate)
{
  g_return_if_fail (KDX_IS_IMPORT (self));

  self->deactivate_missing = !!deactivate;
  invalidate (self);
}

void
kdx_import_set_skip_unmatched (KdxImport *self,
                               gboolean   skip)
{
  g_return_if_fail (KDX_IS_IMPORT (self));

  self->skip_unmatched = !!skip;
  invalidate (self);
}

void
kdx_import_set_date_order (KdxImport    *self,
                           KdxDateOrder  order)
{
  g_return_if_fail (KDX_IS_IMPORT (self));

  self->date_order = order;
  invalidate (self);
}

void
kdx_import_set_today (KdxImport  *self,
                      const char *today)
{
  g_return_if_fail (KDX_IS_IMPORT (self));
  g_return_if_fail (today == NULL || kdx_date_is_iso (today));

  g_free (self->today);
  self->today = g_strdup (today);
  invalidate (self);
}

void
kdx_import_set_course (KdxImport  *self,
                       const char *uuid_key_or_title)
{
  g_return_if_fail (KDX_IS_IMPORT (self));

  g_free (self->course_option);
  self->course_option = uuid_key_or_title && *uuid_key_or_title
                          ? g_strdup (uuid_key_or_title) : NULL;
  invalidate (self);
}

const char *
kdx_import_get_course (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), NULL);
  return self->course_option;
}

gboolean
kdx_import_needs_date_order (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), FALSE);
  return self->needs_date_order;
}

GFile *
kdx_import_get_file (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), NULL);
  return self->file;
}

const char *
kdx_import_get_encoding (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), NULL);
  return self->encoding;
}

gboolean
kdx_import_encoding_was_guessed (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), FALSE);
  return self->encoding_guessed;
}

char
kdx_import_get_delimiter (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), 0);
  return self->delimiter;
}

const char *
kdx_import_get_layout_name (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), NULL);

  switch (self->layout)
    {
    case LAYOUT_MOODLE_REPORT: return _("Moodle course completion report");
    case LAYOUT_MOODLE_CUSTOM: return _("Moodle custom report (course completion)");
    case LAYOUT_GENERIC: return _("Generic");
    case LAYOUT_UNKNOWN:
    default:
      return NULL;
    }
}

gboolean
kdx_import_get_mapping_remembered (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), FALSE);
  return self->mapping_remembered;
}

guint
kdx_import_get_n_columns (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), 0);
  return self->headers->len;
}

const char *
kdx_import_get_header (KdxImport *self,
                       guint      column)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->headers->len, NULL);

  return g_ptr_array_index (self->headers, column);
}

guint
kdx_import_get_n_preview_rows (KdxImport *self)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), 0);
  return self->preview->len;
}

const char *
kdx_import_get_preview_field (KdxImport *self,
                              guint      row,
                              guint      column)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), NULL);
  g_return_val_if_fail (row < self->preview->len, NULL);
  g_return_val_if_fail (column < self->headers->len, NULL);

  return ((char **) g_ptr_array_index (self->preview, row))[column];
}

KdxImportField
kdx_import_get_mapping (KdxImport *self,
                        guint      column)
{
  g_return_val_if_fail (KDX_IS_IMPORT (self), KDX_IMPORT_FIELD_IGNORE);
  g_return_val_if_fail (column < self->mapping->len, KDX_IMPORT_FIELD_IGNORE);

  return g_array_index (self->mapping, KdxImportField, column);
}

void
kdx_import_set_mapping (KdxImport      *self,
                        guint           column,
                        KdxImportField  field)
{
  g_return_if_fail (KDX_IS_IMPORT (self));
  g_return_if_fail (column < self->mapping->len);
  g_return_if_fail ((guint) field < KDX_IMPORT_N_FIELDS);

  g_array_index (self->mapping, KdxImportField, column) = field;
  self->mapping_remembered = FALSE;
  invalidate (self);
}

gboolean
kdx_import_map_by_name (KdxImport   *self,
                        const char  *column_eq_field,
                        GError     **error)
{
  g_autofree char *column = NULL;
  const char *eq;
  const char *field_text;
  int field;
  int found = -1;

  g_return_val_if_fail (KDX_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (column_eq_field != NULL, FALSE);

  eq = strrchr (column_eq_field, '=');
  if (eq == NULL || eq == column_eq_field)
    {
      g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                   _("“%s” is not COLUMN=FIELD"), column_eq_field);
      return FALSE;
    }
  column = g_strstrip (g_strndup (column_eq_field, eq - column_eq_field));
  field_text = eq + 1;
  field = kdx_import_field_from_string (field_text);
  if (field < 0 || !kind_has_field (self->kind, field))
    {
      g_autoptr(GString) known = g_string_new (NULL);
      const KdxImportField *fields;
      guint n;

      fields = kdx_import_kind_get_fields (self->kind, &n);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", field_ids[fields[i]]);
      g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                   _("“%s” is not a field of this import; the fields are %s"), field_text,
                   known->str);
      return FALSE;
    }

  /* A header as written, then as compared loosely, then a number. */
  for (guint c = 0; c < self->headers->len && found < 0; c++)
    if (strcmp (g_ptr_array_index (self->headers, c), column) == 0)
      found = c;
  if (found < 0)
    {
      g_autofree char *wanted = normalise_name (column);

      for (guint c = 0; c < self->headers->len && found < 0; c++)
        {
          g_autofree char *have = normalise_name (g_ptr_array_index (self->headers, c));

          if (*wanted != '\0' && strcmp (have, wanted) == 0)
            found = c;
        }
    }
  if (found < 0)
    {
      char *end;
      guint64 number = g_ascii_strtoull (column, &end, 10);

      if (*column != '\0' && *end == '\0' && number >= 1 && number <= self->headers->len)
        found = number - 1;
    }
  if (found < 0)
    {
      g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                   _("The file has no column “%s”"), column);
      return FALSE;
    }

  kdx_import_set_mapping (self, found, field);

  return TRUE;
}

static int
mapped_column (KdxImport      *self,
               KdxImportField  field)
{
  for (guint c = 0; c < self->mapping->len; c++)
    if (g_array_index (self->mapping, KdxImportField, c) == field)
      return c;

  return -1;
}

static gboolean
has_person_fields (KdxImport *self)
{
  return mapped_column (self, KDX_IMPORT_FIELD_PERSON) >= 0 ||
         mapped_column (self, KDX_IMPORT_FIELD_EMAIL) >= 0 ||
         mapped_column (self, KDX_IMPORT_FIELD_EMPLOYEE_ID) >= 0 ||
         mapped_column (self, KDX_IMPORT_FIELD_NAME) >= 0 ||
         (mapped_column (self, KDX_IMPORT_FIELD_FIRST_NAME) >= 0 &&
          mapped_column (self, KDX_IMPORT_FIELD_LAST_NAME) >= 0);
}

gboolean
kdx_import_check_mapping (KdxImport  *self,
                          GError    **error)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  guint counts[KDX_IMPORT_N_FIELDS] = { 0 };

  g_return_val_if_fail (KDX_IS_IMPORT (self), FALSE);

  if (self->file == NULL)
    {
      g_set_error_literal (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                           _("No file is open"));
      return FALSE;
    }

  for (guint c = 0; c < self->mapping->len; c++)
    {
      KdxImportField field = g_array_index (self->mapping, KdxImportField, c);

      if (field == KDX_IMPORT_FIELD_IGNORE)
        continue;
      if (!kind_has_field (self->kind, field))
        {
          g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                       _("Column %u (“%s”): “%s” is not a field of this import"), c + 1,
                       (const char *) g_ptr_array_index (self->headers, c),
                       kdx_import_field_get_label (field));
          return FALSE;
        }
      if (++counts[field] > 1)
        {
          g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                       _("Column %u (“%s”): “%s” is mapped to another column already"), c + 1,
                       (const char *) g_ptr_array_index (self->headers, c),
                       kdx_import_field_get_label (field));
          return FALSE;
        }
    }

#define HAS(f) (counts[KDX_IMPORT_FIELD_##f] > 0)
  if (self->kind == KDX_IMPORT_PEOPLE)
    {
      if (!HAS (NAME) && !(HAS (FIRST_NAME) && HAS (LAST_NAME)))
        g_ptr_array_add (missing, g_strdup (_("a name (or first name and last name)")));
      if (!HAS (EMAIL) && !HAS (EMPLOYEE_ID))
        g_ptr_array_add (missing, g_strdup (_("an e-mail address or an employee ID")));
    }
  else
    {
      if (!has_person_fields (self))
        g_ptr_array_add (missing, g_strdup (_("the person (e-mail address, employee ID or "
                                              "name)")));
      if (!HAS (COURSE) && self->course_option == NULL && self->file_course == NULL)
        g_ptr_array_add (missing, g_strdup (_("the course (or a course for the whole file)")));
      if (self->kind == KDX_IMPORT_COMPLETIONS && !HAS (COMPLETED))
        g_ptr_array_add (missing, g_strdup (_("the completion date")));
    }
#undef HAS

  if (missing->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (missing, NULL);
      list = g_strjoinv (_(", "), (char **) missing->pdata);
      g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                   _("Choose the columns for %s"), list);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

/* Whether the whole file is UTF-8 (or holds a NUL, which the reader will
 * name). Checked before the first rows are read, so that a Windows-1252
 * file is read as such from its first row. */
static gboolean
file_is_utf8 (GInputStream  *stream,
              gboolean      *has_bom,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *buffer = g_malloc (1 << 20);
  gsize carry = 0;
  gboolean first = TRUE;

  *has_bom = FALSE;
  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer + carry, (1 << 20) - carry, cancellable,
                                      error);
      const char *end;
      gsize length;

      if (n < 0)
        return FALSE;
      length = carry + n;
      if (first)
        {
          first = FALSE;
          /* A byte order mark decides, and the reader follows it. */
          if (length >= 3 && memcmp (buffer, "\xEF\xBB\xBF", 3) == 0)
            {
              *has_bom = TRUE;
              return TRUE;
            }
          if (length >= 2 && (memcmp (buffer, "\xFF\xFE", 2) == 0 ||
                              memcmp (buffer, "\xFE\xFF", 2) == 0))
            {
              *has_bom = TRUE;
              return TRUE;
            }
        }
      if (g_utf8_validate_len (buffer, length, &end))
        {
          if (n == 0)
            return TRUE;
          carry = 0;
          continue;
        }
      /* A NUL is the reader's to report. */
      if (*end == '\0')
        return TRUE;
      /* A sequence cut by the end of the buffer. */
      carry = length - (end - buffer);
      if (n == 0 || carry > 4)
        return FALSE;
      {
        const char *tail = end;
        gsize want = ((guchar) *tail >= 0xF0) ? 4 : ((guchar) *tail >= 0xE0) ? 3 : 2;

        if ((guchar) *tail < 0xC2 || carry >= want)
          return FALSE;
      }
      memmove (buffer, end, carry);
    }
}

static void
guess_mapping (KdxImport *self)
{
  guint priority[KDX_IMPORT_N_FIELDS] = { 0 };
  int owner[KDX_IMPORT_N_FIELDS];
  guint n = self->headers->len;

  for (guint i = 0; i < KDX_IMPORT_N_FIELDS; i++)
    owner[i] = -1;
  g_array_set_size (self->mapping, n);
  for (guint c = 0; c < n; c++)
    g_array_index (self->mapping, KdxImportField, c) = KDX_IMPORT_FIELD_IGNORE;

  self->layout = LAYOUT_UNKNOWN;
  if (self->kind == KDX_IMPORT_COMPLETIONS && n >= 3 &&
      header_is (g_ptr_array_index (self->headers, 0), "id") &&
      header_is (g_ptr_array_index (self->headers, 1), "name") &&
      (header_is (g_ptr_array_index (self->headers, n - 1), "coursecomplete") ||
       header_is (g_ptr_array_index (self->headers, n - 1), "kursabgeschlossen")))
    self->layout = LAYOUT_MOODLE_REPORT;

  for (guint c = 0; c < n; c++)
    {
      const char *header = g_ptr_array_index (self->headers, c);
      const ColumnName *guess = guess_column (header);
      KdxImportField field;

      if (guess == NULL)
        continue;
      field = guess->field;
      /* Moodle's report: the activities' columns between the user's and
       * "Course complete" are not the course's completion. */
      if (self->layout == LAYOUT_MOODLE_REPORT && field == KDX_IMPORT_FIELD_COMPLETED &&
          c != n - 1)
        continue;
      if (!kind_has_field (self->kind, field))
        {
          /* "Mitarbeiter" names a person in a list of completions, but is
           * no column of an HR export's. */
          continue;
        }
      if (owner[field] < 0 || guess->priority > priority[field])
        {
          if (owner[field] >= 0)
            g_array_index (self->mapping, KdxImportField, owner[field]) = KDX_IMPORT_FIELD_IGNORE;
          owner[field] = c;
          priority[field] = guess->priority;
          g_array_index (self->mapping, KdxImportField, c) = field;
        }
    }

  /* "Name" beside "Vorname" is the last name. */
  if (owner[KDX_IMPORT_FIELD_NAME] >= 0 && owner[KDX_IMPORT_FIELD_FIRST_NAME] >= 0 &&
      owner[KDX_IMPORT_FIELD_LAST_NAME] < 0)
    g_array_index (self->mapping, KdxImportField, owner[KDX_IMPORT_FIELD_NAME]) =
      KDX_IMPORT_FIELD_LAST_NAME;
  /* A full name and its parts: the full name. */
  else if (owner[KDX_IMPORT_FIELD_NAME] >= 0 && owner[KDX_IMPORT_FIELD_FIRST_NAME] >= 0 &&
           owner[KDX_IMPORT_FIELD_LAST_NAME] >= 0)
    {
      g_array_index (self->mapping, KdxImportField, owner[KDX_IMPORT_FIELD_FIRST_NAME]) =
        KDX_IMPORT_FIELD_IGNORE;
      g_array_index (self->mapping, KdxImportField, owner[KDX_IMPORT_FIELD_LAST_NAME]) =
        KDX_IMPORT_FIELD_IGNORE;
    }

  if (self->layout == LAYOUT_UNKNOWN && self->kind == KDX_IMPORT_COMPLETIONS)
    for (guint c = 0; c < n; c++)
      {
        const char *header = g_ptr_array_index (self->headers, c);

        if (strchr (header, ':') != NULL &&
            (g_str_has_prefix (header, "Course completion:") ||
             g_str_has_prefix (header, "Kursabschluss:")))
          self->layout = LAYOUT_MOODLE_CUSTOM;
      }

  if (self->layout == LAYOUT_UNKNOWN && kdx_import_check_mapping (self, NULL))
    self->layout = self->kind == KDX_IMPORT_PEOPLE ? LAYOUT_UNKNOWN : LAYOUT_GENERIC;
}

/* The setting that remembers the mapping of files with these headers. */
static char *
layout_key_for (KdxImport *self)
{
  g_autoptr(GString) text = g_string_new (kind_ids[self->kind]);
  g_autofree char *digest = NULL;

  for (guint c = 0; c < self->headers->len; c++)
    {
      g_autofree char *name = kdx_fold_text (g_ptr_array_index (self->headers, c));

      g_string_append_c (text, '\n');
      g_string_append (text, g_strstrip (name));
    }
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
  digest[32] = '\0';

  return g_strconcat ("import-mapping.", kind_ids[self->kind], ".", digest, NULL);
}

static char *
mapping_to_string (KdxImport *self)
{
  GString *out = g_string_new (NULL);

  for (guint c = 0; c < self->mapping->len; c++)
    {
      KdxImportField field = g_array_index (self->mapping, KdxImportField, c);

      if (c > 0)
        g_string_append_c (out, ',');
      if (field != KDX_IMPORT_FIELD_IGNORE)
        g_string_append (out, field_ids[field]);
    }

  return g_string_free (out, FALSE);
}

static gboolean
apply_remembered (KdxImport  *self,
                  const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  g_autoptr(GArray) mapping = NULL;

  if (g_strv_length (parts) != self->headers->len)
    return FALSE;
  mapping = g_array_sized_new (FALSE, TRUE, sizeof (KdxImportField), self->headers->len);
  for (guint c = 0; parts[c] != NULL; c++)
    {
      int field = *parts[c] ? kdx_import_field_from_string (parts[c]) : KDX_IMPORT_FIELD_IGNORE;

      if (field < 0 || !kind_has_field (self->kind, field))
        return FALSE;
      g_array_append_val (mapping, field);
    }
  g_array_unref (self->mapping);
  self->mapping = g_steal_pointer (&mapping);

  return TRUE;
}

/* Moodle names its report's download completion-SHORTNAME.csv. */
static char *
course_from_file_name (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  char *dot;

  if (name == NULL || !g_str_has_prefix (name, "completion-"))
    return NULL;
  dot = strrchr (name, '.');
  if (dot != NULL)
    *dot = '\0';
  /* "completion-ki-kompetenz (1)" from a browser's second download */
  if ((dot = strchr (name, ' ')) != NULL)
    *dot = '\0';
  if (name[strlen ("completion-")] == '\0')
    return NULL;

  return g_strdup (name + strlen ("completion-"));
}

gboolean
kdx_import_open (KdxImport     *self,
                 GFile         *file,
                 KdxStore      *store,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(KdxCsvReader) reader = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *encoding = NULL;
  gboolean has_bom = FALSE;
  gboolean guessed = FALSE;
  KdxCsvOptions options;
  guint n_columns;

  g_return_val_if_fail (KDX_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (store == NULL || KDX_IS_STORE (store), FALSE);

  invalidate (self);

  /* Without a chosen encoding, a file that is not UTF-8 is read as
   * Windows-1252 (what Excel writes in Germany). */
  if (self->encoding_option == NULL)
    {
      stream = g_file_read (file, cancellable, error);
      if (stream == NULL)
        return FALSE;
      if (!file_is_utf8 (G_INPUT_STREAM (stream), &has_bom, cancellable, error))
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          encoding = g_strdup ("WINDOWS-1252");
          guessed = TRUE;
        }
      g_clear_object (&stream);
    }
  else
    encoding = g_strdup (self->encoding_option);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  memset (&options, 0, sizeof options);
  options.encoding = encoding;
  options.delimiter = self->delimiter_option;
  reader = kdx_csv_reader_new (G_INPUT_STREAM (stream), &options, cancellable, &local);
  if (reader == NULL || !kdx_csv_reader_next (reader, cancellable, &local))
    {
      if (local == NULL)
        g_set_error_literal (&local, KDX_CSV_ERROR, KDX_CSV_ERROR_EMPTY,
                             _("The file contains no data"));
      if (guessed && g_error_matches (local, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING))
        g_prefix_error (&local, _("The file is neither UTF-8 nor Windows-1252. "));
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  n_columns = kdx_csv_reader_get_n_fields (reader);
  /* One column is no table of anything Kodex imports. */
  if (n_columns < 2)
    {
      g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_QUOTE,
                   _("Line %u, column 1: the first line holds a single column and no "
                     "delimiter (comma, semicolon or tab); this is not a CSV file of "
                     "names and values"),
                   kdx_csv_reader_get_line (reader));
      return FALSE;
    }

  g_ptr_array_set_size (self->headers, 0);
  g_ptr_array_set_size (self->preview, 0);
  for (guint c = 0; c < n_columns; c++)
    {
      const char *header = kdx_csv_reader_get_field (reader, c);
      g_autofree char *trimmed = g_strstrip (g_strdup (header));

      g_ptr_array_add (self->headers, g_utf8_make_valid (trimmed, -1));
    }

  /* The first rows, as a preview; an error there is an error of the file. */
  while (self->preview->len < PREVIEW_ROWS)
    {
      char **row;

      if (!kdx_csv_reader_next (reader, cancellable, &local))
        {
          if (local != NULL)
            {
              if (guessed && g_error_matches (local, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING))
                g_prefix_error (&local, _("The file is neither UTF-8 nor Windows-1252. "));
              g_propagate_error (error, g_steal_pointer (&local));
              g_ptr_array_set_size (self->headers, 0);
              g_ptr_array_set_size (self->preview, 0);
              return FALSE;
            }
          break;
        }
      row = g_new0 (char *, n_columns + 1);
      for (guint c = 0; c < n_columns && c < kdx_csv_reader_get_n_fields (reader); c++)
        {
          const char *value = kdx_csv_reader_get_field (reader, c);

          row[c] = g_strndup (value, MIN (strlen (value), 1000));
          if (!g_utf8_validate (row[c], -1, NULL))
            {
              char *valid = g_utf8_make_valid (row[c], -1);

              g_free (row[c]);
              row[c] = valid;
            }
        }
      for (guint c = 0; c < n_columns; c++)
        if (row[c] == NULL)
          row[c] = g_strdup ("");
      g_ptr_array_add (self->preview, row);
    }

  g_set_object (&self->file, file);
  g_free (self->encoding);
  self->encoding = g_strdup (kdx_csv_reader_get_encoding (reader));
  self->encoding_guessed = guessed;
  self->delimiter = kdx_csv_reader_get_delimiter (reader);
  g_free (self->file_course);
  self->file_course = NULL;

  guess_mapping (self);
  if (self->layout == LAYOUT_MOODLE_REPORT)
    self->file_course = course_from_file_name (file);

  g_free (self->layout_key);
  self->layout_key = layout_key_for (self);
  self->mapping_remembered = FALSE;
  if (store != NULL)
    {
      g_autofree char *remembered = kdx_store_dup_setting (store, self->layout_key);

      if (remembered != NULL && apply_remembered (self, remembered))
        self->mapping_remembered = TRUE;
    }

  invalidate (self);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Whom and what rows name                                             */

typedef struct
{
  GStringChunk *strings;
  GHashTable   *by_email;        /* address → id */
  GHashTable   *by_employee_id;  /* id → id */
  GHashTable   *by_name;         /* folded name → id, or 0 when several share it */
  GHashTable   *course_by_name;  /* uuid, key, title in several spellings → Course* */
  GHashTable   *course_cache;    /* a value as written → Course*, or &no_course */
  gint64        max_person_id;
  guint         n_people;
} Lookup;

static Course no_course;

static void
lookup_clear (Lookup *lookup)
{
  g_clear_pointer (&lookup->by_email, g_hash_table_unref);
  g_clear_pointer (&lookup->by_employee_id, g_hash_table_unref);
  g_clear_pointer (&lookup->by_name, g_hash_table_unref);
  g_clear_pointer (&lookup->course_by_name, g_hash_table_unref);
  g_clear_pointer (&lookup->course_cache, g_hash_table_unref);
  g_clear_pointer (&lookup->strings, g_string_chunk_free);
}

/* Live people by what rows may name them by. Only the tables the mapping
 * needs are filled. */
static gboolean
lookup_load_people (Lookup     *lookup,
                    KdxStore   *store,
                    gboolean    by_email,
                    gboolean    by_employee_id,
                    gboolean    by_name,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  lookup->strings = g_string_chunk_new (1 << 16);
  lookup->by_email = g_hash_table_new (g_str_hash, g_str_equal);
  lookup->by_employee_id = g_hash_table_new (g_str_hash, g_str_equal);
  lookup->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  stmt = kdx_store_prepare (store, "SELECT id, email, employee_id, name FROM person "
                                   "WHERE trashed IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *email = (const char *) sqlite3_column_text (stmt, 1);
      const char *employee_id = (const char *) sqlite3_column_text (stmt, 2);
      const char *name = (const char *) sqlite3_column_text (stmt, 3);

      lookup->n_people++;
      lookup->max_person_id = MAX (lookup->max_person_id, id);
      if (by_email && email != NULL)
        g_hash_table_insert (lookup->by_email, g_string_chunk_insert (lookup->strings, email),
                             GSIZE_TO_POINTER (id));
      if (by_employee_id && employee_id != NULL)
        g_hash_table_insert (lookup->by_employee_id,
                             g_string_chunk_insert (lookup->strings, employee_id),
                             GSIZE_TO_POINTER (id));
      if (by_name && name != NULL)
        {
          g_autofree char *folded = kdx_fold_text (name);
          gpointer key, value;

          if (g_hash_table_lookup_extended (lookup->by_name, folded, &key, &value))
            g_hash_table_insert (lookup->by_name, key, GSIZE_TO_POINTER (0));
          else
            g_hash_table_insert (lookup->by_name, g_string_chunk_insert (lookup->strings, folded),
                                 GSIZE_TO_POINTER (id));
        }
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  return TRUE;
}

/* How Moodle names a report's download: the course's short name in lower
 * case, every byte that is not a-z, 0-9 or '-' made '_'. */
static char *
moodle_file_name_form (const char *name)
{
  char *lower = g_utf8_strdown (name, -1);

  for (char *p = lower; *p; p++)
    if (!(g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'z') || *p == '-'))
      *p = '_';

  return lower;
}

static void
add_course_name (Lookup     *lookup,
                 const char *name,
                 Course     *course)
{
  if (name == NULL || *name == '\0' || g_hash_table_contains (lookup->course_by_name, name))
    return;
  g_hash_table_insert (lookup->course_by_name, g_string_chunk_insert (lookup->strings, name),
                       course);
}

static gboolean
lookup_load_courses (Lookup         *lookup,
                     KdxImportPlan  *plan,
                     KdxStore       *store,
                     GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (lookup->strings == NULL)
    lookup->strings = g_string_chunk_new (1 << 12);
  lookup->course_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  lookup->course_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  stmt = kdx_store_prepare (store, "SELECT id, uuid, key, title, validity_months FROM course "
                                   "WHERE trashed IS NULL ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Course *course = g_new0 (Course, 1);

      if (plan->courses->len >= (1 << 13))
        break;
      course->id = sqlite3_column_int64 (stmt, 0);
      course->uuid = kdx_store_column_text (stmt, 1);
      course->key = kdx_store_column_text (stmt, 2);
      course->title = kdx_store_column_text (stmt, 3);
      course->validity_months = sqlite3_column_int (stmt, 4);
      course->index = plan->courses->len;
      g_ptr_array_add (plan->courses, course);
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  /* Exact spellings first, then the looser ones, so that an exact one
   * always wins. */
  for (guint i = 0; i < plan->courses->len; i++)
    {
      Course *course = g_ptr_array_index (plan->courses, i);

      add_course_name (lookup, course->uuid, course);
      add_course_name (lookup, course->key, course);
      add_course_name (lookup, course->title, course);
    }
  for (guint i = 0; i < plan->courses->len; i++)
    {
      Course *course = g_ptr_array_index (plan->courses, i);
      g_autofree char *key = g_ascii_strdown (course->key, -1);
      g_autofree char *folded = kdx_fold_text (course->title);
      g_autofree char *moodle_key = moodle_file_name_form (course->key);
      g_autofree char *moodle_title = moodle_file_name_form (course->title);

      add_course_name (lookup, key, course);
      add_course_name (lookup, g_strstrip (folded), course);
      add_course_name (lookup, moodle_key, course);
      add_course_name (lookup, moodle_title, course);
    }

  return TRUE;
}

/* The course a value names, or NULL. */
static Course *
lookup_course (Lookup     *lookup,
               const char *value)
{
  Course *course = g_hash_table_lookup (lookup->course_cache, value);

  if (course == NULL)
    {
      course = g_hash_table_lookup (lookup->course_by_name, value);
      if (course == NULL)
        {
          g_autofree char *lower = g_ascii_strdown (value, -1);

          course = g_hash_table_lookup (lookup->course_by_name, lower);
        }
      if (course == NULL)
        {
          g_autofree char *folded = kdx_fold_text (value);

          course = g_hash_table_lookup (lookup->course_by_name, g_strstrip (folded));
        }
      if (course == NULL)
        {
          g_autofree char *moodle = moodle_file_name_form (value);

          course = g_hash_table_lookup (lookup->course_by_name, moodle);
        }
      if (g_hash_table_size (lookup->course_cache) < 100000)
        g_hash_table_insert (lookup->course_cache, g_strdup (value),
                             course ? course : &no_course);
    }

  return course == &no_course ? NULL : course;
}

/* Lower case of an address without an allocation when it is lower case
 * ASCII already (almost always). */
static const char *
lower_address (const char  *value,
               char       **copy)
{
  for (const char *p = value; *p; p++)
    if ((*p >= 'A' && *p <= 'Z') || ((guchar) *p & 0x80))
      return *copy = g_utf8_strdown (value, -1);

  return value;
}

/* ------------------------------------------------------------------ */
/* The current rounds of a course                                      */

/* A round as the plan sees it: none (0), or its id, the day it was
 * completed (0: open) and its state. */
enum
{
  ROUND_NONE = 0,
  ROUND_OPEN = 1,
  ROUND_COMPLETED = 2,
  ROUND_NEW_COMPLETED = 3,   /* made by this import: no id yet */
};
#define ROUND_ABSENT (G_GUINT64_CONSTANT (1) << 19)   /* looked up: none */

static inline guint64
encode_round (gint64 id,
              guint  day,
              guint  state)
{
  return ((guint64) id << 20) | ((guint64) day << 2) | state;
}

#define ROUND_STATE(v) ((guint) ((v) & 3))
#define ROUND_DAY(v)   ((guint) (((v) >> 2) & MAX_DAY))
#define ROUND_ID(v)    ((gint64) ((v) >> 20))

static guint
db_day (sqlite3_stmt *stmt,
        int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  int day;

  if (text == NULL)
    return 0;
  day = iso_day_number (text);

  return day < 1 ? 1 : MIN (day, MAX_DAY);
}

static guint64
round_from_row (sqlite3_stmt *stmt,
                int           id_column)
{
  gint64 id = sqlite3_column_int64 (stmt, id_column);

  if (sqlite3_column_type (stmt, id_column + 1) == SQLITE_NULL)
    return encode_round (id, 0, ROUND_OPEN);

  return encode_round (id, db_day (stmt, id_column + 1), ROUND_COMPLETED);
}

static void
round_set (Course  *course,
           gint64   person_id,
           guint64  value)
{
  if (course->dense != NULL && person_id >= 0 && (gsize) person_id < course->n_dense)
    course->dense[person_id] = value;
  else
    {
      if (course->rounds == NULL)
        course->rounds = g_hash_table_new (g_direct_hash, g_direct_equal);
      g_hash_table_insert (course->rounds, GSIZE_TO_POINTER (person_id),
                           (gpointer) (gsize) (value ? value : ROUND_ABSENT));
    }
}

/* Reads all current rounds of @course, then lays what the plan changed
 * already over them. */
static gboolean
course_preload (Course    *course,
                Lookup    *lookup,
                KdxStore  *store,
                GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GHashTable) planned = g_steal_pointer (&course->rounds);
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  if (lookup->max_person_id <= (gint64) lookup->n_people * 4 + 1024)
    {
      course->n_dense = lookup->max_person_id + 1;
      course->dense = g_new0 (guint64, course->n_dense);
    }
  stmt = kdx_store_prepare_cached (store, "SELECT person_id, id, completed FROM assignment "
                                   "WHERE course_id = ?1 AND current = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, course->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    round_set (course, sqlite3_column_int64 (stmt, 0), round_from_row (stmt, 1));
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  if (planned != NULL)
    {
      g_hash_table_iter_init (&iter, planned);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint64 v = (gsize) value;

          round_set (course, (gint64) GPOINTER_TO_SIZE (key), v == ROUND_ABSENT ? 0 : v);
        }
    }
  course->preloaded = TRUE;

  return TRUE;
}

/* The round of @person_id as the plan sees it; 0 for none. */
static gboolean
round_get (Course    *course,
           Lookup    *lookup,
           KdxStore  *store,
           gint64     person_id,
           guint64   *out,
           GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  gpointer value;
  guint64 v = 0;
  int rc;

  if (course->preloaded)
    {
      if (course->dense != NULL && person_id >= 0 && (gsize) person_id < course->n_dense)
        *out = course->dense[person_id];
      else
        {
          v = course->rounds ? (gsize) g_hash_table_lookup (course->rounds,
                                                             GSIZE_TO_POINTER (person_id)) : 0;
          *out = v == ROUND_ABSENT ? 0 : v;
        }
      return TRUE;
    }

  if (course->rounds != NULL &&
      g_hash_table_lookup_extended (course->rounds, GSIZE_TO_POINTER (person_id), NULL, &value))
    {
      v = (gsize) value;
      *out = v == ROUND_ABSENT ? 0 : v;
      return TRUE;
    }

  /* Many questions about one course: read all its rounds at once. */
  if (++course->n_queries > PRELOAD_AFTER)
    {
      if (!course_preload (course, lookup, store, error))
        return FALSE;
      return round_get (course, lookup, store, person_id, out, error);
    }

  stmt = kdx_store_prepare_cached (store, "SELECT id, completed FROM assignment "
                                   "WHERE person_id = ?1 AND course_id = ?2 AND current = 1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_int64 (stmt, 2, course->id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    v = round_from_row (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  round_set (course, person_id, v);
  *out = v;

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Planning completions and assignments                                */

typedef struct
{
  Pass          pass;
  Lookup        lookup;
  Course       *file_course;     /* the course of every row, or NULL */
  int           today;
  KdxDateOrder  order;           /* how slash dates are read in this pass */
  gboolean      moodle;          /* dates with two-digit years are Moodle's */
  /* Slash dates without an order: what they say */
  gboolean      day_first_seen;
  gboolean      month_first_seen;
  guint         n_ambiguous;
  guint         first_ambiguous_line;
  char         *first_ambiguous;
  guint         slash_line[2];
  char         *slash_example[2];
  gboolean      row_unmatched;   /* the current row was counted unmatched */
} RoundsPass;

static void
rounds_pass_clear (RoundsPass *rp)
{
  pass_clear (&rp->pass);
  lookup_clear (&rp->lookup);
  g_clear_pointer (&rp->first_ambiguous, g_free);
  g_clear_pointer (&rp->slash_example[0], g_free);
  g_clear_pointer (&rp->slash_example[1], g_free);
}

/* Someone in the file that the workspace does not know (or a course):
 * a problem, or with skip-unmatched a row left out and listed. */
G_GNUC_PRINTF (4, 5)
static void
add_unmatched (RoundsPass *rp,
               guint       line,
               guint       column,
               const char *format,
               ...)
{
  KdxImportPlan *plan = rp->pass.plan;
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Rows are counted, each of their unknowns listed. */
  if (!rp->row_unmatched)
    plan->n_unmatched++;
  rp->row_unmatched = TRUE;
  if (rp->pass.self->skip_unmatched)
    {
      guint ignored = 0;

      add_problem_to (plan->unmatched, &ignored, line, column, message);
    }
  else
    add_problem_to (plan->problems, &plan->n_problems, line, column, message);
}

/* The person a row names, 0 when it names nobody the workspace knows
 * (reported). The first identifier the row gives decides. */
static gint64
row_person (RoundsPass *rp,
            guint       line)
{
  static const KdxImportField order[] = {
    KDX_IMPORT_FIELD_EMPLOYEE_ID, KDX_IMPORT_FIELD_EMAIL, KDX_IMPORT_FIELD_PERSON,
    KDX_IMPORT_FIELD_NAME,
  };
  Pass *pass = &rp->pass;
  Lookup *lookup = &rp->lookup;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      KdxImportField field = order[i];
      const char *value = pass_value (pass, field);
      g_autofree char *copy = NULL;
      gpointer id = NULL;

      if (*value == '\0')
        continue;
      if (field == KDX_IMPORT_FIELD_EMAIL ||
          (field == KDX_IMPORT_FIELD_PERSON && strchr (value, '@') != NULL))
        id = g_hash_table_lookup (lookup->by_email, lower_address (value, &copy));
      else if (field == KDX_IMPORT_FIELD_EMPLOYEE_ID || field == KDX_IMPORT_FIELD_PERSON)
        id = g_hash_table_lookup (lookup->by_employee_id, value);
      else
        {
          g_autofree char *folded = kdx_fold_text (value);
          gpointer key;

          if (g_hash_table_lookup_extended (lookup->by_name, g_strstrip (folded), &key, &id) &&
              id == NULL)
            {
              add_unmatched (rp, line, pass_column (pass, field),
                             _("More than one person is called “%s”; name them by e-mail "
                               "address or employee ID"), value);
              return 0;
            }
        }
      if (id == NULL)
        add_unmatched (rp, line, pass_column (pass, field),
                       _("There is no person “%s” in this workspace"), value);

      return GPOINTER_TO_SIZE (id);
    }

  /* First and last name. */
  if (pass->col[KDX_IMPORT_FIELD_FIRST_NAME] >= 0 && pass->col[KDX_IMPORT_FIELD_LAST_NAME] >= 0)
    {
      g_autofree char *first = g_strdup (pass_value (pass, KDX_IMPORT_FIELD_FIRST_NAME));
      const char *last = pass_value (pass, KDX_IMPORT_FIELD_LAST_NAME);

      if (*first != '\0' || *last != '\0')
        {
          g_autofree char *name = g_strjoin (" ", first, last, NULL);
          g_autofree char *folded = kdx_fold_text (name);
          gpointer key, id = NULL;
          gboolean found;

          found = g_hash_table_lookup_extended (rp->lookup.by_name, g_strstrip (folded), &key,
                                                &id);
          if (found && id == NULL)
            add_unmatched (rp, line, pass_column (pass, KDX_IMPORT_FIELD_FIRST_NAME),
                           _("More than one person is called “%s”; name them by e-mail "
                             "address or employee ID"), g_strstrip (name));
          else if (!found)
            add_unmatched (rp, line, pass_column (pass, KDX_IMPORT_FIELD_FIRST_NAME),
                           _("There is no person “%s” in this workspace"), g_strstrip (name));
          return GPOINTER_TO_SIZE (id);
        }
    }

  add_unmatched (rp, line, 0, _("The row names no person"));

  return 0;
}

/* A day of the date column: its number, -1 for a problem (reported), -2
 * for an empty value, -3 for a slash date that could be read both ways
 * (counted, decided at the end). */
static int
row_day (RoundsPass     *rp,
         KdxImportField  field,
         guint           line)
{
  Pass *pass = &rp->pass;
  const char *value = pass_value (pass, field);
  g_autoptr(GError) error = NULL;
  char expanded[64];
  int year, month, day, number;

  if (*value == '\0')
    return -2;
  if (rp->moodle)
    value = expand_moodle_year (value, expanded);

  if (!kdx_date_parse_parts (value, rp->order, &year, &month, &day, &error))
    {
      if (g_error_matches (error, KDX_DATE_ERROR, KDX_DATE_ERROR_AMBIGUOUS))
        {
          if (rp->n_ambiguous++ == 0)
            {
              rp->first_ambiguous_line = line;
              rp->first_ambiguous = g_strdup (value);
            }
          return -3;
        }
      add_problem (pass->plan, line, pass_column (pass, field), "%s", error->message);
      return -1;
    }

  /* What slash dates read without an order say about the column. */
  if (rp->order == KDX_DATE_ORDER_UNKNOWN)
    {
      const char *one[] = { value };
      KdxDateOrder said = kdx_date_detect_order (one, 1);

      if (said != KDX_DATE_ORDER_UNKNOWN)
        {
          int which = said == KDX_DATE_ORDER_DMY ? 0 : 1;

          if (which == 0)
            rp->day_first_seen = TRUE;
          else
            rp->month_first_seen = TRUE;
          if (rp->slash_example[which] == NULL)
            {
              rp->slash_example[which] = g_strdup (value);
              rp->slash_line[which] = line;
            }
        }
    }

  number = day_number (year, month, day);
  if (number < 0 || number > MAX_DAY)
    {
      add_problem (pass->plan, line, pass_column (pass, field),
                   _("“%s” lies outside the years Kodex records (1900 to 2258)"), value);
      return -1;
    }

  return number;
}

static void
append_action (KdxImportPlan *plan,
               ActionKind     kind,
               gint64         person_id,
               guint          course,
               gint64         round_id,
               int            day,
               int            score)
{
  Action action = { 0 };

  if (kind == ACT_COMPLETE)
    {
      Completion completion = { 0 };

      completion.round_id = round_id;
      completion.day = day;
      completion.score = score;
      completion.course = course;
      g_array_append_val (plan->completes, completion);
      return;
    }
  action.kind = kind;
  action.person_id = person_id;
  action.course = course;
  action.round_id = round_id;
  action.day = day;
  action.score = score;
  g_array_append_val (plan->actions, action);
}

static gboolean
plan_row (RoundsPass  *rp,
          GError     **error)
{
  Pass *pass = &rp->pass;
  KdxImportPlan *plan = pass->plan;
  guint line = kdx_csv_reader_get_line (pass->reader);
  gboolean completions = plan->kind == KDX_IMPORT_COMPLETIONS;
  KdxImportField date_field = completions ? KDX_IMPORT_FIELD_COMPLETED : KDX_IMPORT_FIELD_DUE;
  Course *course = rp->file_course;
  gboolean fine = TRUE;
  gint64 person_id;
  int day;
  int score = NO_SCORE;
  guint64 round;

  plan->n_rows++;
  rp->row_unmatched = FALSE;
  if (!pass_check_lengths (pass))
    return TRUE;

  /* A row without a completion date is someone who has not completed the
   * course (a learning platform lists everyone enrolled, also people the
   * workspace does not know): nothing of it is read. */
  day = row_day (rp, date_field, line);
  if (completions && day == -2)
    {
      plan->n_open++;
      return TRUE;
    }
  if (completions && day > rp->today)
    {
      char iso[11];

      format_day (day, iso);
      add_problem (plan, line, pass_column (pass, date_field),
                   _("The completion date %s lies in the future"), iso);
      fine = FALSE;
    }
  if (!completions && day == -2)
    day = rp->today + 30;
  if (day == -1)
    fine = FALSE;
  if (completions)
    {
      score = parse_score (pass_value (pass, KDX_IMPORT_FIELD_SCORE));
      if (score < 0)
        {
          add_problem (plan, line, pass_column (pass, KDX_IMPORT_FIELD_SCORE),
                       _("“%s” is not a score from 0 to 100"),
                       pass_value (pass, KDX_IMPORT_FIELD_SCORE));
          fine = FALSE;
        }
    }

  /* Every problem of the row is named, not only the first. */
  person_id = row_person (rp, line);
  if (course == NULL)
    {
      const char *value = pass_value (pass, KDX_IMPORT_FIELD_COURSE);

      if (*value == '\0')
        add_unmatched (rp, line, pass_column (pass, KDX_IMPORT_FIELD_COURSE),
                       _("The row names no course"));
      else if ((course = lookup_course (&rp->lookup, value)) == NULL)
        add_unmatched (rp, line, pass_column (pass, KDX_IMPORT_FIELD_COURSE),
                       _("There is no course “%s” in this workspace"), value);
    }
  if (!fine || person_id == 0 || course == NULL || day == -3)
    return TRUE;

  if (!round_get (course, &rp->lookup, pass->store, person_id, &round, error))
    return FALSE;
  course->n_used++;

  if (completions)
    {
      switch (ROUND_STATE (round))
        {
        case ROUND_NONE:
          append_action (plan, ACT_NEW_COMPLETED, person_id, course->index, 0, day,
                         score);
          round_set (course, person_id, encode_round (0, day, ROUND_NEW_COMPLETED));
          plan->n_new++;
          break;
        case ROUND_OPEN:
          append_action (plan, ACT_COMPLETE, person_id, course->index,
                         ROUND_ID (round), day, score);
          round_set (course, person_id, encode_round (ROUND_ID (round), day, ROUND_COMPLETED));
          plan->n_updated++;
          break;
        default:
          /* A completion on the recorded day or before it is had already;
           * a later one is the next round. */
          if ((guint) day <= ROUND_DAY (round))
            plan->n_unchanged++;
          else
            {
              append_action (plan, ROUND_STATE (round) == ROUND_COMPLETED && ROUND_ID (round) > 0
                                     ? ACT_NEXT_COMPLETED : ACT_NEXT_AFTER_NEW,
                             person_id, course->index, ROUND_ID (round), day,
                             score);
              round_set (course, person_id, encode_round (0, day, ROUND_NEW_COMPLETED));
              plan->n_new++;
            }
          break;
        }
    }
  else
    {
      if (ROUND_STATE (round) == ROUND_OPEN)
        plan->n_unchanged++;
      else
        {
          append_action (plan, ACT_ASSIGN, person_id, course->index,
                         ROUND_STATE (round) == ROUND_COMPLETED ? ROUND_ID (round) : 0, day,
                         NO_SCORE);
          round_set (course, person_id, encode_round (0, 0, ROUND_OPEN));
          plan->n_new++;
        }
    }

  return TRUE;
}

/* The course of the whole file: chosen, or from Moodle's file name. */
static gboolean
resolve_file_course (RoundsPass  *rp,
                     GError     **error)
{
  KdxImport *self = rp->pass.self;

  if (rp->pass.col[KDX_IMPORT_FIELD_COURSE] >= 0 && self->course_option == NULL)
    return TRUE;
  if (self->course_option != NULL)
    {
      rp->file_course = lookup_course (&rp->lookup, self->course_option);
      if (rp->file_course == NULL)
        {
          g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                       _("There is no course “%s” in this workspace"), self->course_option);
          return FALSE;
        }
      return TRUE;
    }
  if (self->file_course != NULL)
    rp->file_course = lookup_course (&rp->lookup, self->file_course);
  if (rp->file_course == NULL)
    {
      g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_MAPPING,
                   _("The file has no course column, and its name names none of this "
                     "workspace's courses (“%s”); choose the course"),
                   self->file_course ? self->file_course : "");
      return FALSE;
    }

  return TRUE;
}

/* The order of slash dates the first rows decide, if they do. */
static KdxDateOrder
preview_order (KdxImport      *self,
               KdxImportField  field)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  int column = mapped_column (self, field);

  if (column < 0)
    return KDX_DATE_ORDER_UNKNOWN;
  for (guint r = 0; r < self->preview->len; r++)
    {
      const char *value = ((char **) g_ptr_array_index (self->preview, r))[column];
      char expanded[64];

      if (self->layout == LAYOUT_MOODLE_REPORT || self->layout == LAYOUT_MOODLE_CUSTOM)
        value = expand_moodle_year (value, expanded);
      g_ptr_array_add (values, g_strdup (value));
    }
  g_ptr_array_set_free_func (values, g_free);

  return kdx_date_detect_order ((const char * const *) values->pdata, values->len);
}

static gboolean
plan_rounds_once (KdxImport      *self,
                  KdxImportPlan  *plan,
                  KdxStore       *store,
                  KdxJob         *job,
                  KdxDateOrder    order,
                  GCancellable   *cancellable,
                  RoundsPass     *rp,
                  GError        **error)
{
  gboolean needs_email, needs_id, needs_name;
  g_autofree char *today = NULL;
  gboolean failed = FALSE;

  rp->pass.self = self;
  rp->pass.plan = plan;
  rp->pass.store = store;
  rp->pass.job = job;
  rp->pass.cancellable = cancellable;
  rp->order = order;
  rp->moodle = self->layout == LAYOUT_MOODLE_REPORT || self->layout == LAYOUT_MOODLE_CUSTOM;
  rp->today = iso_day_number (plan->today);

  if (!pass_open (&rp->pass, error))
    return FALSE;

  needs_email = rp->pass.col[KDX_IMPORT_FIELD_EMAIL] >= 0 ||
                rp->pass.col[KDX_IMPORT_FIELD_PERSON] >= 0;
  needs_id = rp->pass.col[KDX_IMPORT_FIELD_EMPLOYEE_ID] >= 0 ||
             rp->pass.col[KDX_IMPORT_FIELD_PERSON] >= 0;
  needs_name = rp->pass.col[KDX_IMPORT_FIELD_NAME] >= 0 ||
               rp->pass.col[KDX_IMPORT_FIELD_FIRST_NAME] >= 0;
  if (!lookup_load_people (&rp->lookup, store, needs_email, needs_id, needs_name, error) ||
      !lookup_load_courses (&rp->lookup, plan, store, error) ||
      !resolve_file_course (rp, error))
    return FALSE;

  /* Room for the actions at once, from the size of the file and of the
   * first rows: an array that grows by doubling would need half again. */
  if (rp->pass.size > 0)
    {
      gsize row_bytes = 16;
      gsize expected;

      for (guint r = 0; r < self->preview->len; r++)
        {
          char **row = g_ptr_array_index (self->preview, r);
          gsize bytes = 0;

          for (guint c = 0; row[c] != NULL; c++)
            bytes += strlen (row[c]) + 1;
          row_bytes = r == 0 ? bytes : MIN (row_bytes, bytes);
        }
      expected = MIN (rp->pass.size / MAX (row_bytes, 8) + 16, 64 * 1024 * 1024);
      g_array_set_size (plan->completes, expected);
      g_array_set_size (plan->completes, 0);
    }

  /* The header is the first record. */
  if (!pass_next (&rp->pass, &failed, error))
    return !failed;
  rp->pass.n_read = 0;

  while (pass_next (&rp->pass, &failed, error))
    if (!plan_row (rp, error))
      return FALSE;
  if (failed)
    return FALSE;

  pass_finish (&rp->pass);

  return TRUE;
}

static gboolean
plan_rounds (KdxImport      *self,
             KdxImportPlan  *plan,
             KdxStore       *store,
             KdxJob         *job,
             GCancellable   *cancellable,
             GError        **error)
{
  KdxImportField date_field = self->kind == KDX_IMPORT_COMPLETIONS ? KDX_IMPORT_FIELD_COMPLETED
                                                                    : KDX_IMPORT_FIELD_DUE;
  KdxDateOrder order = self->date_order;
  RoundsPass rp = { 0 };
  gboolean ok;

  if (order == KDX_DATE_ORDER_UNKNOWN)
    order = preview_order (self, date_field);

  ok = plan_rounds_once (self, plan, store, job, order, cancellable, &rp, error);

  /* Dates that could be read both ways, in a column whose other dates
   * decide: read the file again in that order. */
  if (ok && rp.n_ambiguous > 0 && rp.day_first_seen != rp.month_first_seen)
    {
      order = rp.day_first_seen ? KDX_DATE_ORDER_DMY : KDX_DATE_ORDER_MDY;
      rounds_pass_clear (&rp);
      memset (&rp, 0, sizeof rp);
      /* Start from nothing: what the first reading counted is void. */
      g_ptr_array_set_size (plan->problems, 0);
      g_ptr_array_set_size (plan->unmatched, 0);
      g_ptr_array_set_size (plan->courses, 0);
      g_array_set_size (plan->completes, 0);
      g_array_set_size (plan->actions, 0);
      plan->n_problems = plan->n_unmatched = plan->n_new = plan->n_updated = 0;
      plan->n_unchanged = plan->n_open = plan->n_rows = 0;
      g_clear_pointer (&plan->sha256, g_free);
      ok = plan_rounds_once (self, plan, store, job, order, cancellable, &rp, error);
    }

  if (ok)
    {
      plan->date_order = order != KDX_DATE_ORDER_UNKNOWN ? order
                         : rp.day_first_seen ? KDX_DATE_ORDER_DMY
                         : rp.month_first_seen ? KDX_DATE_ORDER_MDY
                         : KDX_DATE_ORDER_UNKNOWN;
      if (rp.day_first_seen && rp.month_first_seen && order == KDX_DATE_ORDER_UNKNOWN)
        {
          plan->needs_date_order = TRUE;
          plan->date_order = KDX_DATE_ORDER_UNKNOWN;
          add_problem (plan, rp.slash_line[1], rp.pass.col[date_field] + 1,
                       _("The dates of this column are written day first (line %u: “%s”) and "
                         "month first (line %u: “%s”); choose how they are to be read"),
                       rp.slash_line[0], rp.slash_example[0], rp.slash_line[1],
                       rp.slash_example[1]);
        }
      else if (rp.n_ambiguous > 0)
        {
          plan->needs_date_order = TRUE;
          plan->date_order = KDX_DATE_ORDER_UNKNOWN;
          add_problem (plan, rp.first_ambiguous_line, rp.pass.col[date_field] + 1,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "“%s” could be day/month or month/day, and so could %u "
                                    "date of this column; choose how they are to be read",
                                    "“%s” could be day/month or month/day, and so could %u "
                                    "dates of this column; choose how they are to be read",
                                    rp.n_ambiguous - 1),
                       rp.first_ambiguous, rp.n_ambiguous - 1);
        }
    }

  rounds_pass_clear (&rp);

  return ok;
}

/* ------------------------------------------------------------------ */
/* People                                                              */

/* A person of the organisation chart: in the workspace, or new in the
 * file. @final is their manager after the import. */
typedef struct _Node Node;
struct _Node
{
  Node  *final;
  guint  walk;       /* the walk that reached it (circles of managers) */
  guint  done : 1;
};

typedef struct _PersonRow PersonRow;

typedef struct
{
  Node        node;
  gint64      id;
  const char *uuid;
  const char *name;
  const char *email;
  const char *employee_id;
  const char *department;
  const char *role;
  gint64      manager_id;
  gboolean    committee;
  gboolean    active;
  gboolean    live;
  PersonRow  *row;        /* the row that names them */
} Existing;

struct _PersonRow
{
  Node         node;      /* for new people */
  guint        line;
  Existing    *target;    /* NULL: a new person */
  const char  *name;
  const char  *email;     /* NULL: not given */
  const char  *employee_id;
  const char  *department;
  const char  *role;
  const char  *manager_ref;
  gint8        committee; /* -1: not given */
  gint8        active;
  Node        *manager;   /* resolved; NULL for none */
  gboolean     changed;
  KdxPerson   *person;    /* while writing */
};

typedef struct
{
  Pass          pass;
  GStringChunk *chunk;
  GPtrArray    *existing;       /* Existing*, every person (live or not) */
  GHashTable   *by_id;          /* id → Existing* */
  GHashTable   *by_email;       /* live people */
  GHashTable   *by_employee_id;
  GHashTable   *departments;    /* of live people */
  GPtrArray    *rows;           /* PersonRow* */
  GHashTable   *row_by_email;
  GHashTable   *row_by_employee_id;
  GHashTable   *new_departments;
} PeoplePass;

static void
people_pass_clear (PeoplePass *pp)
{
  pass_clear (&pp->pass);
  if (pp->rows != NULL)
    for (guint i = 0; i < pp->rows->len; i++)
      g_clear_object (&((PersonRow *) g_ptr_array_index (pp->rows, i))->person);
  g_clear_pointer (&pp->rows, g_ptr_array_unref);
  g_clear_pointer (&pp->existing, g_ptr_array_unref);
  g_clear_pointer (&pp->by_id, g_hash_table_unref);
  g_clear_pointer (&pp->by_email, g_hash_table_unref);
  g_clear_pointer (&pp->by_employee_id, g_hash_table_unref);
  g_clear_pointer (&pp->departments, g_hash_table_unref);
  g_clear_pointer (&pp->row_by_email, g_hash_table_unref);
  g_clear_pointer (&pp->row_by_employee_id, g_hash_table_unref);
  g_clear_pointer (&pp->new_departments, g_hash_table_unref);
  g_clear_pointer (&pp->chunk, g_string_chunk_free);
}

static const char *
chunk_or_null (GStringChunk *chunk,
               const char   *text)
{
  return text != NULL ? g_string_chunk_insert (chunk, text) : NULL;
}

static gboolean
people_load (PeoplePass  *pp,
             KdxStore    *store,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  pp->chunk = g_string_chunk_new (1 << 16);
  pp->existing = g_ptr_array_new_with_free_func (g_free);
  pp->by_id = g_hash_table_new (g_direct_hash, g_direct_equal);
  pp->by_email = g_hash_table_new (g_str_hash, g_str_equal);
  pp->by_employee_id = g_hash_table_new (g_str_hash, g_str_equal);
  pp->departments = g_hash_table_new (g_str_hash, g_str_equal);
  pp->rows = g_ptr_array_new_with_free_func (g_free);
  pp->row_by_email = g_hash_table_new (g_str_hash, g_str_equal);
  pp->row_by_employee_id = g_hash_table_new (g_str_hash, g_str_equal);
  pp->new_departments = g_hash_table_new (g_str_hash, g_str_equal);

  stmt = kdx_store_prepare (store, "SELECT id, uuid, name, email, employee_id, department, role, "
                                   "manager_id, committee, active, trashed IS NULL FROM person",
                            error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Existing *ex = g_new0 (Existing, 1);

      ex->id = sqlite3_column_int64 (stmt, 0);
      ex->uuid = chunk_or_null (pp->chunk, (const char *) sqlite3_column_text (stmt, 1));
      ex->name = chunk_or_null (pp->chunk, (const char *) sqlite3_column_text (stmt, 2));
      ex->email = chunk_or_null (pp->chunk, (const char *) sqlite3_column_text (stmt, 3));
      ex->employee_id = chunk_or_null (pp->chunk, (const char *) sqlite3_column_text (stmt, 4));
      ex->department = chunk_or_null (pp->chunk, (const char *) sqlite3_column_text (stmt, 5));
      ex->role = chunk_or_null (pp->chunk, (const char *) sqlite3_column_text (stmt, 6));
      ex->manager_id = sqlite3_column_int64 (stmt, 7);
      ex->committee = sqlite3_column_int (stmt, 8) != 0;
      ex->active = sqlite3_column_int (stmt, 9) != 0;
      ex->live = sqlite3_column_int (stmt, 10) != 0;
      g_ptr_array_add (pp->existing, ex);
      g_hash_table_insert (pp->by_id, GSIZE_TO_POINTER (ex->id), ex);
      if (!ex->live)
        continue;
      if (ex->email != NULL)
        g_hash_table_insert (pp->by_email, (gpointer) ex->email, ex);
      if (ex->employee_id != NULL)
        g_hash_table_insert (pp->by_employee_id, (gpointer) ex->employee_id, ex);
      if (ex->department != NULL)
        g_hash_table_add (pp->departments, (gpointer) ex->department);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  /* The organisation chart as it is. */
  for (guint i = 0; i < pp->existing->len; i++)
    {
      Existing *ex = g_ptr_array_index (pp->existing, i);
      Existing *manager = ex->manager_id > 0
                            ? g_hash_table_lookup (pp->by_id, GSIZE_TO_POINTER (ex->manager_id))
                            : NULL;

      ex->node.final = manager ? &manager->node : NULL;
    }

  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; p != NULL && *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      return TRUE;

  return FALSE;
}

static gboolean
email_is_plausible (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = email; *p; p++)
    if (g_ascii_isspace (*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return FALSE;

  return TRUE;
}

/* A text value of a person: NULL when empty; a problem when it is too
 * long or holds control characters. */
static const char *
person_text (PeoplePass     *pp,
             KdxImportField  field,
             guint           line,
             guint           max_length,
             gboolean       *fine)
{
  const char *value = pass_value (&pp->pass, field);

  if (*value == '\0')
    return NULL;
  if (has_control_characters (value))
    {
      add_problem (pp->pass.plan, line, pass_column (&pp->pass, field),
                   _("The value holds a line break or another control character"));
      *fine = FALSE;
      return NULL;
    }
  if (g_utf8_strlen (value, -1) > max_length)
    {
      add_problem (pp->pass.plan, line, pass_column (&pp->pass, field),
                   _("The value is longer than %u characters"), max_length);
      *fine = FALSE;
      return NULL;
    }

  return g_string_chunk_insert (pp->chunk, value);
}

static gint8
person_flag (PeoplePass     *pp,
             KdxImportField  field,
             guint           line,
             gboolean       *fine)
{
  const char *value = pass_value (&pp->pass, field);
  int flag;

  if (pp->pass.col[field] < 0)
    return -1;
  flag = parse_yes_no (value);
  if (flag == -2)
    return -1;
  if (flag == -1)
    {
      add_problem (pp->pass.plan, line, pass_column (&pp->pass, field),
                   _("“%s” is neither yes nor no (ja/nein, 1/0, x)"), value);
      *fine = FALSE;
      return -1;
    }

  return flag;
}

static void
people_row (PeoplePass *pp)
{
  Pass *pass = &pp->pass;
  KdxImportPlan *plan = pass->plan;
  guint line = kdx_csv_reader_get_line (pass->reader);
  PersonRow *row;
  PersonRow *other;
  Existing *by_id = NULL;
  Existing *by_mail = NULL;
  gboolean fine = TRUE;
  guint name_column;

  plan->n_rows++;
  if (!pass_check_lengths (pass))
    return;

  row = g_new0 (PersonRow, 1);
  row->line = line;

  /* The name, whole or in two parts. */
  if (pass->col[KDX_IMPORT_FIELD_NAME] >= 0)
    {
      name_column = pass_column (pass, KDX_IMPORT_FIELD_NAME);
      row->name = person_text (pp, KDX_IMPORT_FIELD_NAME, line, 200, &fine);
    }
  else
    {
      g_autofree char *first = g_strdup (pass_value (pass, KDX_IMPORT_FIELD_FIRST_NAME));
      const char *last = pass_value (pass, KDX_IMPORT_FIELD_LAST_NAME);
      g_autofree char *name = g_strstrip (g_strjoin (" ", first, last, NULL));

      name_column = *first != '\0' ? pass_column (pass, KDX_IMPORT_FIELD_FIRST_NAME)
                                   : pass_column (pass, KDX_IMPORT_FIELD_LAST_NAME);
      if (has_control_characters (name) || g_utf8_strlen (name, -1) > 200)
        {
          add_problem (plan, line, name_column,
                       _("The name is longer than 200 characters or holds a line break"));
          fine = FALSE;
        }
      else if (*name != '\0')
        row->name = g_string_chunk_insert (pp->chunk, name);
    }
  if (row->name == NULL && fine)
    {
      add_problem (plan, line, name_column, _("The name is empty"));
      fine = FALSE;
    }

  /* Address and employee id: how people are found again. */
  {
    const char *email = pass_value (pass, KDX_IMPORT_FIELD_EMAIL);

    if (*email != '\0')
      {
        g_autofree char *lower = g_utf8_strdown (email, -1);

        if (!email_is_plausible (lower) || strlen (lower) > 254)
          {
            add_problem (plan, line, pass_column (pass, KDX_IMPORT_FIELD_EMAIL),
                         _("“%s” is not an e-mail address"), email);
            fine = FALSE;
          }
        else
          row->email = g_string_chunk_insert (pp->chunk, lower);
      }
  }
  row->employee_id = person_text (pp, KDX_IMPORT_FIELD_EMPLOYEE_ID, line, 100, &fine);
  if (row->email == NULL && row->employee_id == NULL && fine)
    {
      add_problem (plan, line,
                   pass->col[KDX_IMPORT_FIELD_EMAIL] >= 0
                     ? pass_column (pass, KDX_IMPORT_FIELD_EMAIL)
                     : pass_column (pass, KDX_IMPORT_FIELD_EMPLOYEE_ID),
                   _("The row has neither an e-mail address nor an employee ID"));
      fine = FALSE;
    }
  if (row->email != NULL && (other = g_hash_table_lookup (pp->row_by_email, row->email)))
    {
      add_problem (plan, line, pass_column (pass, KDX_IMPORT_FIELD_EMAIL),
                   _("The e-mail address %s is in line %u already"), row->email, other->line);
      fine = FALSE;
    }
  if (row->employee_id != NULL &&
      (other = g_hash_table_lookup (pp->row_by_employee_id, row->employee_id)))
    {
      add_problem (plan, line, pass_column (pass, KDX_IMPORT_FIELD_EMPLOYEE_ID),
                   _("The employee ID %s is in line %u already"), row->employee_id, other->line);
      fine = FALSE;
    }

  row->department = person_text (pp, KDX_IMPORT_FIELD_DEPARTMENT, line, 200, &fine);
  row->role = person_text (pp, KDX_IMPORT_FIELD_ROLE, line, 200, &fine);
  row->manager_ref = person_text (pp, KDX_IMPORT_FIELD_MANAGER, line, 254, &fine);
  row->committee = person_flag (pp, KDX_IMPORT_FIELD_COMMITTEE, line, &fine);
  row->active = person_flag (pp, KDX_IMPORT_FIELD_ACTIVE, line, &fine);

  if (!fine)
    {
      g_free (row);
      return;
    }

  /* Who they are: by employee id, else by address. */
  if (row->employee_id != NULL)
    by_id = g_hash_table_lookup (pp->by_employee_id, row->employee_id);
  if (row->email != NULL)
    by_mail = g_hash_table_lookup (pp->by_email, row->email);
  /* An address whose holder has another employee ID is not theirs: a
   * new person, unless the holder keeps it (checked with the whole file:
   * the holder's own row may give it up). */
  if (by_id != NULL)
    row->target = by_id;
  else if (by_mail != NULL &&
           (row->employee_id == NULL || by_mail->employee_id == NULL))
    row->target = by_mail;
  if (row->target != NULL && row->target->row != NULL)
    {
      add_problem (plan, line, name_column, _("Line %u names %s already"),
                   row->target->row->line, row->target->name);
      g_free (row);
      return;
    }
  if (row->target != NULL)
    row->target->row = row;

  if (row->email != NULL)
    g_hash_table_insert (pp->row_by_email, (gpointer) row->email, row);
  if (row->employee_id != NULL)
    g_hash_table_insert (pp->row_by_employee_id, (gpointer) row->employee_id, row);
  g_ptr_array_add (pp->rows, row);
}

/* The node of whoever @row makes or changes. */
static Node *
row_node (PersonRow *row)
{
  return row->target != NULL ? &row->target->node : &row->node;
}

static const char *
row_final_email (PersonRow *row)
{
  return row->email != NULL ? row->email : row->target ? row->target->email : NULL;
}

static const char *
row_final_employee_id (PersonRow *row)
{
  return row->employee_id != NULL ? row->employee_id
         : row->target ? row->target->employee_id : NULL;
}

static Node *
existing_manager (PeoplePass *pp,
                  Existing   *ex)
{
  Existing *manager = ex->manager_id > 0
                        ? g_hash_table_lookup (pp->by_id, GSIZE_TO_POINTER (ex->manager_id))
                        : NULL;

  return manager ? &manager->node : NULL;
}

/* The file checked as a whole: addresses and employee ids that someone
 * else keeps, managers, circles of managers. */
static void
people_check_whole (PeoplePass *pp)
{
  KdxImport *self = pp->pass.self;
  KdxImportPlan *plan = pp->pass.plan;
  Pass *pass = &pp->pass;
  gboolean managers = pass->col[KDX_IMPORT_FIELD_MANAGER] >= 0;
  guint walk = 0;

  for (guint i = 0; i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);
      Existing *holder;

      /* Someone who is not in the file, or keeps theirs, holds it. */
      if (row->email != NULL &&
          (holder = g_hash_table_lookup (pp->by_email, row->email)) != NULL &&
          holder != row->target &&
          (holder->row == NULL || g_strcmp0 (row_final_email (holder->row), row->email) == 0))
        {
          if (row->target == NULL && row->employee_id != NULL && holder->employee_id != NULL)
            add_problem (plan, row->line, pass_column (pass, KDX_IMPORT_FIELD_EMAIL),
                         _("The e-mail address %s belongs to %s, whose employee ID is %s, not %s"),
                         row->email, holder->name, holder->employee_id, row->employee_id);
          else
            add_problem (plan, row->line, pass_column (pass, KDX_IMPORT_FIELD_EMAIL),
                         _("The e-mail address %s belongs to %s"), row->email, holder->name);
        }
      if (row->employee_id != NULL &&
          (holder = g_hash_table_lookup (pp->by_employee_id, row->employee_id)) != NULL &&
          holder != row->target &&
          (holder->row == NULL ||
           g_strcmp0 (row_final_employee_id (holder->row), row->employee_id) == 0))
        add_problem (plan, row->line, pass_column (pass, KDX_IMPORT_FIELD_EMPLOYEE_ID),
                     _("The employee ID %s belongs to %s"), row->employee_id, holder->name);
    }

  /* Managers, by address or employee id, in the file or the workspace. */
  for (guint i = 0; managers && i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);
      PersonRow *manager_row = NULL;
      Existing *manager = NULL;
      g_autofree char *lower = NULL;
      Node *node = row_node (row);

      if (row->manager_ref == NULL)
        {
          node->final = NULL;
          continue;
        }
      lower = g_utf8_strdown (row->manager_ref, -1);
      manager_row = g_hash_table_lookup (pp->row_by_email, lower);
      if (manager_row == NULL)
        manager_row = g_hash_table_lookup (pp->row_by_employee_id, row->manager_ref);
      if (manager_row == NULL)
        {
          manager = g_hash_table_lookup (pp->by_email, lower);
          if (manager == NULL)
            manager = g_hash_table_lookup (pp->by_employee_id, row->manager_ref);
        }
      if (manager_row == NULL && manager == NULL)
        {
          add_problem (plan, row->line, pass_column (pass, KDX_IMPORT_FIELD_MANAGER),
                       _("There is no person “%s” (the manager) in the file or the "
                         "workspace"), row->manager_ref);
          continue;
        }
      row->manager = manager_row ? row_node (manager_row) : &manager->node;
      if (row->manager == node)
        {
          add_problem (plan, row->line, pass_column (pass, KDX_IMPORT_FIELD_MANAGER),
                       _("A person cannot be their own manager"));
          row->manager = NULL;
        }
      node->final = row->manager;
    }

  /* A circle of managers: each walk follows the managers up until it
   * meets someone checked already, or itself. */
  for (guint i = 0; managers && i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);
      Node *node = row_node (row);

      walk++;
      for (Node *n = node; n != NULL && !n->done; n = n->final)
        {
          if (n->walk == walk)
            {
              add_problem (plan, row->line, pass_column (pass, KDX_IMPORT_FIELD_MANAGER),
                           _("%s would be their own manager's manager: the managers form a "
                             "circle"), row->name);
              break;
            }
          n->walk = walk;
        }
      for (Node *n = node; n != NULL && !n->done && n->walk == walk; n = n->final)
        n->done = TRUE;
    }

  /* What changes. */
  for (guint i = 0; i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);
      Existing *ex = row->target;

      if (row->department != NULL && !g_hash_table_contains (pp->departments, row->department) &&
          !g_hash_table_contains (pp->new_departments, row->department))
        {
          g_hash_table_add (pp->new_departments, (gpointer) row->department);
          g_ptr_array_add (plan->new_departments, g_strdup (row->department));
        }

      if (ex == NULL)
        {
          plan->n_new++;
          add_example (plan->examples_new, row->name);
          continue;
        }
      row->changed =
        g_strcmp0 (row->name, ex->name) != 0 ||
        (row->email != NULL && g_strcmp0 (row->email, ex->email) != 0) ||
        (row->employee_id != NULL && g_strcmp0 (row->employee_id, ex->employee_id) != 0) ||
        (pass->col[KDX_IMPORT_FIELD_DEPARTMENT] >= 0 &&
         g_strcmp0 (row->department, ex->department) != 0) ||
        (pass->col[KDX_IMPORT_FIELD_ROLE] >= 0 && g_strcmp0 (row->role, ex->role) != 0) ||
        (managers && row->manager != existing_manager (pp, ex)) ||
        (row->committee >= 0 && row->committee != ex->committee) ||
        (row->active >= 0 && row->active != ex->active) ||
        (row->active < 0 && self->deactivate_missing && !ex->active);
      if (row->changed)
        {
          plan->n_updated++;
          add_example (plan->examples_updated, row->name);
        }
      else
        plan->n_unchanged++;
    }
  g_ptr_array_sort (plan->new_departments, compare_strings);

  if (self->deactivate_missing)
    for (guint i = 0; i < pp->existing->len; i++)
      {
        Existing *ex = g_ptr_array_index (pp->existing, i);

        if (ex->live && ex->active && ex->row == NULL)
          {
            plan->n_deactivated++;
            add_example (plan->examples_deactivated, ex->name);
          }
      }
}

static gboolean
plan_people (KdxImport      *self,
             KdxImportPlan  *plan,
             KdxStore       *store,
             KdxJob         *job,
             GCancellable   *cancellable,
             PeoplePass     *pp,
             GError        **error)
{
  gboolean failed = FALSE;

  pp->pass.self = self;
  pp->pass.plan = plan;
  pp->pass.store = store;
  pp->pass.job = job;
  pp->pass.cancellable = cancellable;

  if (!pass_open (&pp->pass, error) || !people_load (pp, store, error))
    return FALSE;
  if (!pass_next (&pp->pass, &failed, error))
    return !failed;
  pp->pass.n_read = 0;
  while (pass_next (&pp->pass, &failed, error))
    people_row (pp);
  if (failed)
    return FALSE;
  pass_finish (&pp->pass);
  people_check_whole (pp);

  return TRUE;
}

static KdxPerson *
person_from_existing (PeoplePass *pp,
                      Existing   *ex)
{
  KdxPerson *person = kdx_person_new ();
  Existing *manager = ex->manager_id > 0
                        ? g_hash_table_lookup (pp->by_id, GSIZE_TO_POINTER (ex->manager_id))
                        : NULL;

  _kdx_person_set_id (person, ex->id);
  kdx_person_set_uuid (person, ex->uuid);
  kdx_person_set_name (person, ex->name);
  kdx_person_set_email (person, ex->email);
  kdx_person_set_employee_id (person, ex->employee_id);
  kdx_person_set_department (person, ex->department);
  kdx_person_set_role (person, ex->role);
  kdx_person_set_manager (person, manager ? manager->uuid : NULL);
  kdx_person_set_committee (person, ex->committee);
  kdx_person_set_active (person, ex->active);

  return person;
}

/* The manager of @row after the import: id and uuid, 0 and NULL for
 * none. A new manager is written before their reports. */
static void
row_manager (PeoplePass  *pp,
             PersonRow   *row,
             GHashTable  *new_rows,
             gint64      *id,
             const char **uuid)
{
  PersonRow *manager_row;

  *id = 0;
  *uuid = NULL;
  if (pp->pass.col[KDX_IMPORT_FIELD_MANAGER] < 0)
    {
      /* Unchanged: as the workspace has it. */
      Node *node = row->target ? existing_manager (pp, row->target) : NULL;

      if (node != NULL)
        {
          *id = ((Existing *) node)->id;
          *uuid = ((Existing *) node)->uuid;
        }
      return;
    }
  if (row->manager == NULL)
    return;
  manager_row = g_hash_table_lookup (new_rows, row->manager);
  if (manager_row != NULL)
    {
      g_assert (manager_row->person != NULL);
      *id = kdx_person_get_id (manager_row->person);
      *uuid = kdx_person_get_uuid (manager_row->person);
    }
  else
    {
      *id = ((Existing *) row->manager)->id;
      *uuid = ((Existing *) row->manager)->uuid;
    }
}

static gboolean
insert_new_person (PeoplePass  *pp,
                   PersonRow   *row,
                   GHashTable  *new_rows,
                   GError     **error)
{
  gint64 manager_id;
  const char *manager_uuid;

  row->person = kdx_person_new ();
  kdx_person_set_name (row->person, row->name);
  kdx_person_set_email (row->person, row->email);
  kdx_person_set_employee_id (row->person, row->employee_id);
  kdx_person_set_department (row->person, row->department);
  kdx_person_set_role (row->person, row->role);
  kdx_person_set_committee (row->person, row->committee > 0);
  kdx_person_set_active (row->person, row->active != 0);
  row_manager (pp, row, new_rows, &manager_id, &manager_uuid);
  kdx_person_set_manager (row->person, manager_uuid);

  return _kdx_person_import_insert (pp->pass.store, row->person, manager_id, error);
}

/* Addresses and employee IDs that people of the file give up are let go
 * first, all of them: two people may swap theirs, or a newcomer take
 * one, and each person is then written once, with no moment at which
 * two hold the same (the indexes are unique). Only the columns: the
 * journal entries that follow have the whole before and after. */
static gboolean
release_keys (PeoplePass  *pp,
              KdxStore    *store,
              GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  for (guint i = 0; i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);
      Existing *ex = row->target;
      gboolean email, employee_id;

      if (ex == NULL || !row->changed)
        continue;
      email = ex->email != NULL && row->email != NULL && strcmp (ex->email, row->email) != 0;
      employee_id = ex->employee_id != NULL && row->employee_id != NULL &&
                    strcmp (ex->employee_id, row->employee_id) != 0;
      if (!email && !employee_id)
        continue;

      if (stmt == NULL)
        {
          stmt = kdx_store_prepare_cached (store, "UPDATE person SET "
                                           "email = CASE WHEN ?2 THEN NULL ELSE email END, "
                                           "employee_id = CASE WHEN ?3 THEN NULL "
                                           "ELSE employee_id END WHERE id = ?1", error);
          if (stmt == NULL)
            return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, ex->id);
      sqlite3_bind_int (stmt, 2, email);
      sqlite3_bind_int (stmt, 3, employee_id);
      if (!kdx_store_step_done (store, stmt, error))
        return FALSE;
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
write_people (PeoplePass  *pp,
              KdxStore    *store,
              GError     **error)
{
  KdxImport *self = pp->pass.self;
  Pass *pass = &pp->pass;
  g_autoptr(GHashTable) new_rows = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  guint n = 0;

  for (guint i = 0; i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);

      if (row->target == NULL)
        g_hash_table_insert (new_rows, &row->node, row);
    }

  if (!release_keys (pp, store, error))
    return FALSE;

  for (guint i = 0; i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);

      if ((++n % PROGRESS_EVERY) == 0)
        {
          if (pass->job != NULL)
            kdx_job_set_progress (pass->job, (double) n / pp->rows->len, _("Saving people"));
          if (g_cancellable_set_error_if_cancelled (pass->cancellable, error))
            return FALSE;
        }

      /* New people, each after their manager when the manager is new
       * too (later in the file): every row is written once, with its
       * manager. The managers form no circle (checked). */
      if (row->target == NULL)
        {
          PersonRow *up = row;

          while (up != NULL && up->person == NULL)
            {
              g_ptr_array_add (chain, up);
              up = up->manager ? g_hash_table_lookup (new_rows, up->manager) : NULL;
            }
          while (chain->len > 0)
            {
              PersonRow *next = g_ptr_array_steal_index (chain, chain->len - 1);

              if (!insert_new_person (pp, next, new_rows, error))
                return FALSE;
            }
        }
    }

  /* Changed people, once every new manager has an id. */
  for (guint i = 0; i < pp->rows->len; i++)
    {
      PersonRow *row = g_ptr_array_index (pp->rows, i);
      g_autoptr(KdxPerson) before = NULL;
      gint64 manager_id;
      const char *manager_uuid;

      if ((++n % PROGRESS_EVERY) == 0 &&
          g_cancellable_set_error_if_cancelled (pass->cancellable, error))
        return FALSE;
      if (row->target == NULL || !row->changed)
        continue;
      before = person_from_existing (pp, row->target);
      row->person = kdx_person_copy (before);
      kdx_person_set_name (row->person, row->name);
      if (row->email != NULL)
        kdx_person_set_email (row->person, row->email);
      if (row->employee_id != NULL)
        kdx_person_set_employee_id (row->person, row->employee_id);
      if (pass->col[KDX_IMPORT_FIELD_DEPARTMENT] >= 0)
        kdx_person_set_department (row->person, row->department);
      if (pass->col[KDX_IMPORT_FIELD_ROLE] >= 0)
        kdx_person_set_role (row->person, row->role);
      if (row->committee >= 0)
        kdx_person_set_committee (row->person, row->committee);
      if (row->active >= 0)
        kdx_person_set_active (row->person, row->active);
      else if (self->deactivate_missing)
        kdx_person_set_active (row->person, TRUE);
      row_manager (pp, row, new_rows, &manager_id, &manager_uuid);
      kdx_person_set_manager (row->person, manager_uuid);
      if (!_kdx_person_import_save (store, before, row->person, manager_id, error))
        return FALSE;
    }

  if (self->deactivate_missing)
    for (guint i = 0; i < pp->existing->len; i++)
      {
        Existing *ex = g_ptr_array_index (pp->existing, i);
        g_autoptr(KdxPerson) before = NULL;
        g_autoptr(KdxPerson) after = NULL;

        if (!ex->live || !ex->active || ex->row != NULL)
          continue;
        before = person_from_existing (pp, ex);
        after = kdx_person_copy (before);
        kdx_person_set_active (after, FALSE);
        if (!_kdx_person_import_save (store, before, after, ex->manager_id, error))
          return FALSE;
      }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Writing completions and assignments                                 */

static int
compare_completions (gconstpointer a,
                     gconstpointer b)
{
  gint64 ra = ((const Completion *) a)->round_id;
  gint64 rb = ((const Completion *) b)->round_id;

  return ra < rb ? -1 : ra > rb;
}

/* New rounds by person and course: the indexes by person and course are
 * then written from start to end. Rows of one person and course keep
 * the order of the file (a stable sort), which the later of two
 * completions needs. */
static int
compare_actions (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Action *x = a;
  const Action *y = b;

  if (x->person_id != y->person_id)
    return x->person_id < y->person_id ? -1 : 1;

  return (int) x->course - (int) y->course;
}

static void
bind_score (sqlite3_stmt *stmt,
            int           index,
            guint         score)
{
  if (score == NO_SCORE)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_double (stmt, index, score / 100.0);
}

/* The expiry of a completion on @day: NULL (never) or @out. */
static const char *
expiry_for (Course *course,
            guint   day,
            char    out[11])
{
  if (course->validity_months == 0)
    return NULL;
  format_day (add_months (day, course->validity_months), out);

  return out;
}

static gboolean
write_rounds (KdxImportPlan  *plan,
              KdxStore       *store,
              KdxJob         *job,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(KdxCachedStmt) complete = NULL;
  g_autoptr(KdxCachedStmt) retire = NULL;
  g_autoptr(KdxCachedStmt) insert = NULL;
  g_autoptr(KdxCachedStmt) current = NULL;
  guint total = plan->completes->len + plan->actions->len;
  guint done = 0;
  char today[11];

  g_strlcpy (today, plan->today, sizeof today);
  complete = kdx_store_prepare_cached (store, "UPDATE assignment SET completed = ?2, score = ?3, "
                                       "expires = ?4 WHERE id = ?1", error);
  retire = kdx_store_prepare_cached (store, "UPDATE assignment SET current = 0 WHERE id = ?1",
                                     error);
  insert = kdx_store_prepare_cached (store, "INSERT INTO assignment (person_id, course_id, "
                                     "previous_id, source, assigned, due, completed, score, "
                                     "expires, current) "
                                     "VALUES (?1, ?2, ?3, 'import', ?4, ?5, ?6, ?7, ?8, 1)",
                                     error);
  current = kdx_store_prepare_cached (store, "SELECT id FROM assignment WHERE person_id = ?1 "
                                      "AND course_id = ?2 AND current = 1", error);
  if (complete == NULL || retire == NULL || insert == NULL || current == NULL)
    return FALSE;

  /* Rounds that were open, in the order of their ids: the pages of the
   * table are then each written once. */
  g_array_sort (plan->completes, compare_completions);
  for (guint i = 0; i < plan->completes->len; i++)
    {
      const Completion *a = &g_array_index (plan->completes, Completion, i);
      Course *course = g_ptr_array_index (plan->courses, a->course);
      char day[11], expires[11];

      format_day (a->day, day);
      sqlite3_bind_int64 (complete, 1, a->round_id);
      sqlite3_bind_text (complete, 2, day, 10, SQLITE_STATIC);
      bind_score (complete, 3, a->score);
      kdx_store_bind_text_or_null (complete, 4, expiry_for (course, a->day, expires));
      if (!kdx_store_step_done (store, complete, error))
        return FALSE;
      sqlite3_reset (complete);

      if ((++done % PROGRESS_EVERY) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) done / total, _("Saving completions"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }
    }

  /* g_qsort_with_data() is a stable merge sort. */
  g_qsort_with_data (plan->actions->data, plan->actions->len, sizeof (Action),
                     compare_actions, NULL);
  for (guint i = 0; i < plan->actions->len; i++)
    {
      const Action *a = &g_array_index (plan->actions, Action, i);
      Course *course = g_ptr_array_index (plan->courses, a->course);
      gint64 previous = a->round_id;
      char day[11], expires[11];

      if (a->kind == ACT_NEXT_AFTER_NEW)
        {
          sqlite3_bind_int64 (current, 1, a->person_id);
          sqlite3_bind_int64 (current, 2, course->id);
          previous = sqlite3_step (current) == SQLITE_ROW ? sqlite3_column_int64 (current, 0) : 0;
          sqlite3_reset (current);
        }
      if (previous > 0)
        {
          sqlite3_bind_int64 (retire, 1, previous);
          if (!kdx_store_step_done (store, retire, error))
            return FALSE;
          sqlite3_reset (retire);
        }

      format_day (a->day, day);
      sqlite3_bind_int64 (insert, 1, a->person_id);
      sqlite3_bind_int64 (insert, 2, course->id);
      if (previous > 0)
        sqlite3_bind_int64 (insert, 3, previous);
      else
        sqlite3_bind_null (insert, 3);
      if (a->kind == ACT_ASSIGN)
        {
          sqlite3_bind_text (insert, 4, today, -1, SQLITE_STATIC);
          sqlite3_bind_text (insert, 5, day, -1, SQLITE_STATIC);
          sqlite3_bind_null (insert, 6);
          sqlite3_bind_null (insert, 7);
          sqlite3_bind_null (insert, 8);
        }
      else
        {
          /* A completion without an assignment before: assigned the day
           * it was completed, as kdx_assignment_complete() does. */
          sqlite3_bind_text (insert, 4, day, -1, SQLITE_STATIC);
          sqlite3_bind_null (insert, 5);
          sqlite3_bind_text (insert, 6, day, -1, SQLITE_STATIC);
          bind_score (insert, 7, a->score);
          kdx_store_bind_text_or_null (insert, 8, expiry_for (course, a->day, expires));
        }
      if (!kdx_store_step_done (store, insert, error))
        return FALSE;
      sqlite3_reset (insert);

      if ((++done % PROGRESS_EVERY) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) done / total, _("Saving completions"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* The import's own journal entry: what it did, in counts, with the
 * file's SHA-256, so that an auditor can match the file to the entry. */
static gboolean
journal_import (KdxImport      *self,
                KdxImportPlan  *plan,
                KdxStore       *store,
                GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  const char *entity;

#define MEMBER_INT(name, value) \
  G_STMT_START { json_builder_set_member_name (b, name); \
                 json_builder_add_int_value (b, value); } G_STMT_END
#define MEMBER_STRING(name, value) \
  G_STMT_START { json_builder_set_member_name (b, name); \
                 if (value) json_builder_add_string_value (b, value); \
                 else json_builder_add_null_value (b); } G_STMT_END

  json_builder_begin_object (b);
  MEMBER_STRING ("kind", kind_ids[plan->kind]);
  MEMBER_STRING ("file", plan->file_name);
  MEMBER_STRING ("sha256", plan->sha256);
  MEMBER_INT ("bytes", plan->size);
  MEMBER_STRING ("encoding", plan->encoding);
  MEMBER_INT ("rows", plan->n_rows);

  switch (plan->kind)
    {
    case KDX_IMPORT_PEOPLE:
      entity = "person";
      MEMBER_INT ("created", plan->n_new);
      MEMBER_INT ("changed", plan->n_updated);
      MEMBER_INT ("unchanged", plan->n_unchanged);
      MEMBER_INT ("deactivated", plan->n_deactivated);
      summary = g_strdup_printf (_("%s: %u people added, %u changed, %u deactivated"),
                                 plan->file_name, plan->n_new, plan->n_updated,
                                 plan->n_deactivated);
      break;
    case KDX_IMPORT_ASSIGNMENTS:
      entity = "assignment";
      MEMBER_INT ("assigned", plan->n_new);
      MEMBER_INT ("assigned_already", plan->n_unchanged);
      MEMBER_INT ("unmatched", plan->n_unmatched);
      summary = g_strdup_printf (_("%s: %u courses assigned"), plan->file_name, plan->n_new);
      break;
    case KDX_IMPORT_COMPLETIONS:
    default:
      entity = "assignment";
      MEMBER_INT ("completed", plan->n_updated);
      MEMBER_INT ("new_rounds", plan->n_new);
      MEMBER_INT ("recorded_already", plan->n_unchanged);
      MEMBER_INT ("not_completed", plan->n_open);
      MEMBER_INT ("unmatched", plan->n_unmatched);
      summary = g_strdup_printf (_("%s: %u completions recorded, %u as new assignments"),
                                 plan->file_name, plan->n_updated + plan->n_new, plan->n_new);
      break;
    }

  if (plan->kind != KDX_IMPORT_PEOPLE)
    {
      json_builder_set_member_name (b, "courses");
      json_builder_begin_array (b);
      for (guint i = 0; i < plan->courses->len; i++)
        {
          Course *course = g_ptr_array_index (plan->courses, i);

          if (course->n_used > 0)
            json_builder_add_string_value (b, course->uuid);
        }
      json_builder_end_array (b);
    }

  if (plan->unmatched->len > 0)
    {
      json_builder_set_member_name (b, "unmatched_rows");
      json_builder_begin_array (b);
      for (guint i = 0; i < plan->unmatched->len; i++)
        {
          KdxImportProblem *problem = g_ptr_array_index (plan->unmatched, i);

          json_builder_begin_object (b);
          MEMBER_INT ("line", problem->line);
          MEMBER_INT ("column", problem->column);
          MEMBER_STRING ("message", problem->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
#undef MEMBER_INT
#undef MEMBER_STRING

  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);

  return kdx_journal_append (store, entity, NULL, "import", summary, NULL, json, error);
}

/* ------------------------------------------------------------------ */
/* Plan and commit                                                     */

static gboolean
journal_head_is (KdxStore      *store,
                 KdxImportPlan *plan)
{
  g_autofree char *hash = NULL;
  gint64 count = 0;

  if (!kdx_journal_get_head (store, &count, &hash))
    return FALSE;

  return count == plan->journal_count && g_strcmp0 (hash, plan->journal_hash) == 0;
}

/* Plans; for people, @pp (may be NULL) keeps what was read for writing. */
static KdxImportPlan *
make_plan (KdxImport     *self,
           KdxStore      *store,
           KdxJob        *job,
           GCancellable  *cancellable,
           PeoplePass    *pp,
           GError       **error)
{
  g_autoptr(KdxImportPlan) plan = NULL;
  PeoplePass local = { 0 };
  gboolean ok;

  if (!kdx_import_check_mapping (self, error))
    return NULL;

  plan = plan_new (self);
  if (!kdx_journal_get_head (store, &plan->journal_count, &plan->journal_hash))
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  if (self->kind == KDX_IMPORT_PEOPLE)
    {
      ok = plan_people (self, plan, store, job, cancellable, pp ? pp : &local, error);
      people_pass_clear (&local);
    }
  else
    ok = plan_rounds (self, plan, store, job, cancellable, error);
  if (!ok)
    return NULL;

  /* A file that ended in a reading error was not read to its end. */
  if (plan->sha256 == NULL)
    {
      g_autoptr(GFileInputStream) stream = g_file_read (self->file, cancellable, NULL);
      g_autoptr(KdxDigestStream) digest = NULL;

      if (stream != NULL)
        {
          digest = g_object_new (KDX_TYPE_DIGEST_STREAM, "base-stream", stream, NULL);
          plan->sha256 = digest_stream_finish (digest, cancellable);
          plan->size = digest->n_read;
        }
    }

  self->needs_date_order = plan->needs_date_order;
  if (job != NULL)
    kdx_job_set_progress (job, 1.0, NULL);

  return g_steal_pointer (&plan);
}

KdxImportPlan *
kdx_import_plan (KdxImport     *self,
                 KdxStore      *store,
                 KdxJob        *job,
                 GCancellable  *cancellable,
                 GError       **error)
{
  KdxImportPlan *plan;

  g_return_val_if_fail (KDX_IS_IMPORT (self), NULL);
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (self->plan != NULL && self->plan->serial == self->serial &&
      journal_head_is (store, self->plan))
    return kdx_import_plan_ref (self->plan);

  plan = make_plan (self, store, job, cancellable, NULL, error);
  if (plan == NULL)
    return NULL;
  g_clear_pointer (&self->plan, kdx_import_plan_unref);
  self->plan = kdx_import_plan_ref (plan);

  return plan;
}

/* The statements of a large import read and write many pages of one
 * transaction: a larger cache for its time, and the journals of single
 * statements (which SQLite keeps for statements that may fail halfway,
 * each INSERT into a table with several unique indexes) in memory rather
 * than in a temporary file, where they cost a write for every page they
 * touch. Both are set outside the transaction (temp_store must be). */
typedef struct
{
  int cache_size;
  int temp_store;
} Settings;

static void
raise_settings (KdxStore      *store,
                KdxImportKind  kind,
                Settings      *saved)
{
  saved->cache_size = (int) kdx_store_count (store, "PRAGMA cache_size");
  saved->temp_store = (int) kdx_store_count (store, "PRAGMA temp_store");
  /* People touch the person table, its eleven indexes, the search index
   * and a journal entry each: 128 MiB keep them for 100,000 people. A
   * completion touches one round: 32 MiB, within the 100 MB an import of
   * a million rows may take. */
  if (kind == KDX_IMPORT_PEOPLE)
    kdx_store_exec (store, "PRAGMA cache_size = -131072", NULL);
  else
    kdx_store_exec (store, "PRAGMA cache_size = -32768", NULL);
  kdx_store_exec (store, "PRAGMA temp_store = MEMORY", NULL);
}

static void
restore_settings (KdxStore *store,
                  Settings *saved)
{
  /* Pragmas take no parameters: the values Kodex uses, as statements. */
  static const struct { int size; const char *sql; } sizes[] = {
    { -2000, "PRAGMA cache_size = -2000" },
    { -16384, "PRAGMA cache_size = -16384" },
    { -32768, "PRAGMA cache_size = -32768" },
  };
  static const char * const temp_stores[] = {
    "PRAGMA temp_store = DEFAULT", "PRAGMA temp_store = FILE", "PRAGMA temp_store = MEMORY",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes) && sizes[i].size != saved->cache_size; i++)
    ;
  kdx_store_exec (store, i < G_N_ELEMENTS (sizes) ? sizes[i].sql : sizes[0].sql, NULL);
  if (saved->temp_store >= 0 && saved->temp_store < (int) G_N_ELEMENTS (temp_stores))
    kdx_store_exec (store, temp_stores[saved->temp_store], NULL);
}

gboolean
kdx_import_commit (KdxImport     *self,
                   KdxStore      *store,
                   KdxJob        *job,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autofree char *mapping = NULL;
  PeoplePass pp = { 0 };
  gboolean ok = FALSE;
  Settings settings;

  g_return_val_if_fail (KDX_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (self->file == NULL)
    {
      g_set_error_literal (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_NO_PLAN,
                           _("No file is open"));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  raise_settings (store, self->kind, &settings);
  if (!kdx_store_begin (store, error))
    {
      restore_settings (store, &settings);
      return FALSE;
    }

  /* The plan that was shown, if nothing changed since. Otherwise (and
   * for people, whose rows are not kept with the plan) the file is read
   * again, and must be the file that was shown. */
  if (self->plan != NULL && self->plan->serial == self->serial &&
      journal_head_is (store, self->plan))
    plan = kdx_import_plan_ref (self->plan);
  if (plan == NULL || self->kind == KDX_IMPORT_PEOPLE)
    {
      KdxImportPlan *shown = self->plan != NULL && self->plan->serial == self->serial
                               ? self->plan : NULL;
      g_autoptr(KdxImportPlan) fresh = make_plan (self, store, job, cancellable,
                                                  self->kind == KDX_IMPORT_PEOPLE ? &pp : NULL,
                                                  error);

      if (fresh == NULL)
        goto out;
      if (shown != NULL && g_strcmp0 (shown->sha256, fresh->sha256) != 0)
        {
          g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_CHANGED,
                       _("%s changed since it was checked; check it again"), shown->file_name);
          g_clear_pointer (&self->plan, kdx_import_plan_unref);
          goto out;
        }
      g_clear_pointer (&plan, kdx_import_plan_unref);
      plan = g_steal_pointer (&fresh);
    }

  if (plan->n_problems > 0)
    {
      g_set_error (error, KDX_IMPORT_ERROR, KDX_IMPORT_ERROR_PROBLEMS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The file has %u problem; nothing was imported",
                                "The file has %u problems; nothing was imported",
                                plan->n_problems),
                   plan->n_problems);
      g_clear_pointer (&self->plan, kdx_import_plan_unref);
      self->plan = kdx_import_plan_ref (plan);
      self->needs_date_order = plan->needs_date_order;
      goto out;
    }

  if (self->kind == KDX_IMPORT_PEOPLE)
    ok = write_people (&pp, store, error);
  else
    ok = write_rounds (plan, store, job, cancellable, error);
  if (ok)
    ok = journal_import (self, plan, store, error);

  /* The mapping, for the next file of this layout. */
  mapping = mapping_to_string (self);
  if (ok && self->layout_key != NULL)
    ok = kdx_store_set_setting (store, self->layout_key, mapping, error);

  /* New people, new departments, completions that expire: the rules. */
  if (ok)
    ok = kdx_training_apply (store, NULL, plan->today, NULL, error);
  if (ok)
    {
      kdx_store_mark_changed (store, self->kind == KDX_IMPORT_PEOPLE ? "person" : "assignment", 0);
      if (job != NULL)
        kdx_job_set_progress (job, 1.0, _("Saving"));
    }

out:
  people_pass_clear (&pp);
  if (!ok)
    {
      kdx_store_rollback (store);
      restore_settings (store, &settings);
      return FALSE;
    }
  ok = kdx_store_commit (store, error);
  restore_settings (store, &settings);
  if (!ok)
    return FALSE;

  /* What was planned is done; a second commit would plan again. */
  g_clear_pointer (&self->plan, kdx_import_plan_unref);
  self->mapping_remembered = TRUE;

  return TRUE;
}
