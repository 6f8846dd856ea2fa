/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training (DESIGN §4, issue 5): courses, the rules that assign them, the
 * rounds (assignments) with their completions, recertification, the status
 * views and the competence gate. Statuses are derived from the dates of a
 * round, in C (kdx_assignment_status_for()) and, for lists and counts, by
 * the same comparisons in SQL (STATUS_SQL); they are never stored.
 */
#define G_LOG_DOMAIN "kdx-training"

#include "config.h"

#include "kdx-training.h"

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-query-model.h"
#include "kdx-store-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (kdx-training-error-quark, kdx_training_error)

/* ------------------------------------------------------------------ */
/* Days                                                                */

/* The local helpers keep this file independent of kdx-date.c. */
static gboolean
parse_day (const char *iso,
           GDate      *date)
{
  guint y, m, d;

  g_date_clear (date, 1);
  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return FALSE;
  y = (guint) g_ascii_strtoull (iso, NULL, 10);
  m = (guint) g_ascii_strtoull (iso + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (iso + 8, NULL, 10);
  if (y < 1 || y > 9999 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);

  return TRUE;
}

static char *
format_day (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static char *
local_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* @today, or the local date when it is NULL. */
static char *
dup_today (const char *today)
{
  return today ? g_strdup (today) : local_today ();
}

static char *
add_days (const char *iso,
          int         days)
{
  GDate date;

  if (!parse_day (iso, &date))
    return NULL;
  if (days >= 0)
    g_date_add_days (&date, (guint) days);
  else
    g_date_subtract_days (&date, (guint) -days);

  return format_day (&date);
}

/* The end of a shorter month is kept: 2026-01-31 + 1 month = 2026-02-28. */
static char *
add_months (const char *iso,
            guint       months)
{
  GDate date;

  if (!parse_day (iso, &date))
    return NULL;
  g_date_add_months (&date, months);

  return format_day (&date);
}

static gboolean
is_day (const char *iso)
{
  GDate date;

  return parse_day (iso, &date);
}

/* ------------------------------------------------------------------ */
/* Enums                                                               */

static const char *status_ids[] = { "assigned", "overdue", "completed", "expiring", "expired" };
static const char *kind_ids[] = { "everyone", "department", "role", "committee", "overseers" };
static const char *source_ids[] = { "rule", "manual", "import", "recertification" };

static int
lookup (const char  *text,
        const char **ids,
        guint        n)
{
  for (guint i = 0; text != NULL && i < n; i++)
    if (g_str_equal (text, ids[i]))
      return (int) i;

  return -1;
}

const char *
kdx_assignment_status_to_string (KdxAssignmentStatus status)
{
  g_return_val_if_fail (status < KDX_ASSIGNMENT_N_STATUSES, NULL);
  return status_ids[status];
}

int
kdx_assignment_status_from_string (const char *text)
{
  return lookup (text, status_ids, G_N_ELEMENTS (status_ids));
}

const char *
kdx_assignment_status_get_label (KdxAssignmentStatus status)
{
  switch (status)
    {
    case KDX_ASSIGNMENT_ASSIGNED: return _("Assigned");
    case KDX_ASSIGNMENT_OVERDUE: return _("Overdue");
    case KDX_ASSIGNMENT_COMPLETED: return _("Completed");
    case KDX_ASSIGNMENT_EXPIRING: return _("Expiring");
    case KDX_ASSIGNMENT_EXPIRED: return _("Expired");
    case KDX_ASSIGNMENT_N_STATUSES:
    default: g_return_val_if_reached (NULL);
    }
}

/* The status of a round on @today, given the day @horizon that is
 * KDX_TRAINING_RECERTIFY_DAYS later: what STATUS_SQL says in SQL. */
static KdxAssignmentStatus
status_on (gboolean    open,
           const char *due,
           const char *expires,
           const char *today,
           const char *horizon)
{
  /* An open renewal round while the certificate it renews is still
   * valid: the person is trained, and their certificate expires soon. */
  if (open && expires != NULL && strcmp (expires, today) > 0)
    return KDX_ASSIGNMENT_EXPIRING;
  if (open)
    return due != NULL && strcmp (due, today) < 0 ? KDX_ASSIGNMENT_OVERDUE : KDX_ASSIGNMENT_ASSIGNED;
  if (expires == NULL || horizon == NULL || strcmp (expires, horizon) > 0)
    return KDX_ASSIGNMENT_COMPLETED;
  if (strcmp (expires, today) <= 0)
    return KDX_ASSIGNMENT_EXPIRED;

  return KDX_ASSIGNMENT_EXPIRING;
}

KdxAssignmentStatus
kdx_assignment_status_for (const char *due,
                           const char *completed,
                           const char *expires,
                           const char *today)
{
  g_autofree char *now = dup_today (today);
  g_autofree char *horizon = add_days (now, KDX_TRAINING_RECERTIFY_DAYS);

  return status_on (completed == NULL, due, expires, now, horizon);
}

const char *
kdx_rule_kind_to_string (KdxRuleKind kind)
{
  g_return_val_if_fail (kind < KDX_RULE_N_KINDS, NULL);
  return kind_ids[kind];
}

int
kdx_rule_kind_from_string (const char *text)
{
  return lookup (text, kind_ids, G_N_ELEMENTS (kind_ids));
}

const char *
kdx_rule_kind_get_label (KdxRuleKind kind)
{
  switch (kind)
    {
    case KDX_RULE_EVERYONE: return _("Everyone");
    case KDX_RULE_DEPARTMENT: return _("Department");
    case KDX_RULE_ROLE: return _("Role");
    case KDX_RULE_COMMITTEE: return _("Committee");
    case KDX_RULE_OVERSEERS: return _("Overseers of an AI system");
    case KDX_RULE_N_KINDS:
    default: g_return_val_if_reached (NULL);
    }
}

const char *
kdx_assignment_source_to_string (KdxAssignmentSource source)
{
  g_return_val_if_fail (source <= KDX_ASSIGNMENT_SOURCE_RECERTIFICATION, NULL);
  return source_ids[source];
}

int
kdx_assignment_source_from_string (const char *text)
{
  return lookup (text, source_ids, G_N_ELEMENTS (source_ids));
}

const char *
kdx_assignment_source_get_label (KdxAssignmentSource source)
{
  switch (source)
    {
    case KDX_ASSIGNMENT_SOURCE_RULE: return _("Rule");
    case KDX_ASSIGNMENT_SOURCE_MANUAL: return _("Manual");
    case KDX_ASSIGNMENT_SOURCE_IMPORT: return _("Import");
    case KDX_ASSIGNMENT_SOURCE_RECERTIFICATION: return _("Recertification");
    default: g_return_val_if_reached (NULL);
    }
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static char *
dup_trimmed_or_null (const char *value)
{
  g_autofree char *copy = NULL;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0')
    return NULL;

  return g_steal_pointer (&copy);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  g_autofree char *clean = dup_trimmed_or_null (value);

  if (g_strcmp0 (*field, clean) == 0)
    return FALSE;
  g_free (*field);
  *field = g_steal_pointer (&clean);

  return TRUE;
}

/* What XML 1.0 cannot carry: C0 controls other than tab, LF and CR. */
static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; p != NULL && *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      return TRUE;

  return FALSE;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int_member (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static gint64
id_for_uuid (KdxStore   *store,
             const char *sql,
             const char *uuid)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  if (uuid == NULL)
    return 0;
  stmt = kdx_store_prepare_cached (store, sql, NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int64 (stmt, 0);
}

static gint64
live_course_id (KdxStore   *store,
                const char *uuid)
{
  return id_for_uuid (store, "SELECT id FROM course WHERE uuid = ?1 AND trashed IS NULL", uuid);
}

static gint64
live_person_id (KdxStore   *store,
                const char *uuid)
{
  return id_for_uuid (store, "SELECT id FROM person WHERE uuid = ?1 AND trashed IS NULL", uuid);
}

static gboolean
set_unknown_course (const char  *uuid,
                    GError     **error)
{
  g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND,
               _("There is no course “%s” in this workspace"), uuid ? uuid : "");
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Courses                                                             */

struct _KdxCourse
{
  GObject   parent_instance;

  gint64    id;
  char     *uuid;
  char     *key;
  char     *title;
  char     *topic;
  char     *description;
  guint     duration_minutes;
  guint     validity_months;
  gboolean  ai_literacy;
  GStrv     policies;       /* sorted uuids, never NULL */
  char     *created;
  char     *modified;
  char     *trashed;
};

enum {
  PROP_0,
  PROP_UUID,
  PROP_KEY,
  PROP_TITLE,
  PROP_TOPIC,
  PROP_VALIDITY_MONTHS,
  PROP_AI_LITERACY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KdxCourse, kdx_course, G_TYPE_OBJECT)

static void
kdx_course_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KdxCourse *self = KDX_COURSE (object);

  switch (prop_id)
    {
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_KEY: g_value_set_string (value, self->key); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_TOPIC: g_value_set_string (value, self->topic); break;
    case PROP_VALIDITY_MONTHS: g_value_set_uint (value, self->validity_months); break;
    case PROP_AI_LITERACY: g_value_set_boolean (value, self->ai_literacy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_course_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KdxCourse *self = KDX_COURSE (object);

  switch (prop_id)
    {
    case PROP_UUID: kdx_course_set_uuid (self, g_value_get_string (value)); break;
    case PROP_KEY: kdx_course_set_key (self, g_value_get_string (value)); break;
    case PROP_TITLE: kdx_course_set_title (self, g_value_get_string (value)); break;
    case PROP_TOPIC: kdx_course_set_topic (self, g_value_get_string (value)); break;
    case PROP_VALIDITY_MONTHS: kdx_course_set_validity_months (self, g_value_get_uint (value)); break;
    case PROP_AI_LITERACY: kdx_course_set_ai_literacy (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_course_finalize (GObject *object)
{
  KdxCourse *self = (KdxCourse *) object;

  g_free (self->uuid);
  g_free (self->key);
  g_free (self->title);
  g_free (self->topic);
  g_free (self->description);
  g_strfreev (self->policies);
  g_free (self->created);
  g_free (self->modified);
  g_free (self->trashed);

  G_OBJECT_CLASS (kdx_course_parent_class)->finalize (object);
}

static void
kdx_course_class_init (KdxCourseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kdx_course_finalize;
  object_class->get_property = kdx_course_get_property;
  object_class->set_property = kdx_course_set_property;

  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_TOPIC] = g_param_spec_string ("topic", NULL, NULL, NULL, flags);
  properties[PROP_VALIDITY_MONTHS] = g_param_spec_uint ("validity-months", NULL, NULL,
                                                        0, 600, 0, flags);
  properties[PROP_AI_LITERACY] = g_param_spec_boolean ("ai-literacy", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kdx_course_init (KdxCourse *self)
{
  self->policies = g_new0 (char *, 1);
}

KdxCourse *
kdx_course_new (void)
{
  return g_object_new (KDX_TYPE_COURSE, NULL);
}

gint64
kdx_course_get_id (KdxCourse *self)
{
  g_return_val_if_fail (KDX_IS_COURSE (self), 0);
  return self->id;
}

#define COURSE_STRING(field, prop)                                          \
  const char *kdx_course_get_##field (KdxCourse *self)                      \
  {                                                                         \
    g_return_val_if_fail (KDX_IS_COURSE (self), NULL);                      \
    return self->field;                                                     \
  }                                                                         \
  void kdx_course_set_##field (KdxCourse *self, const char *value)          \
  {                                                                         \
    g_return_if_fail (KDX_IS_COURSE (self));                                \
    if (set_string (&self->field, value) && prop != PROP_0)                 \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);         \
  }

COURSE_STRING (uuid, PROP_UUID)
COURSE_STRING (key, PROP_KEY)
COURSE_STRING (title, PROP_TITLE)
COURSE_STRING (topic, PROP_TOPIC)

const char *
kdx_course_get_description (KdxCourse *self)
{
  g_return_val_if_fail (KDX_IS_COURSE (self), NULL);
  return self->description;
}

/* Descriptions keep their inner line breaks; only the ends are trimmed. */
void
kdx_course_set_description (KdxCourse  *self,
                            const char *description)
{
  g_return_if_fail (KDX_IS_COURSE (self));
  set_string (&self->description, description);
}

guint
kdx_course_get_duration_minutes (KdxCourse *self)
{
  g_return_val_if_fail (KDX_IS_COURSE (self), 0);
  return self->duration_minutes;
}

void
kdx_course_set_duration_minutes (KdxCourse *self,
                                 guint      minutes)
{
  g_return_if_fail (KDX_IS_COURSE (self));
  self->duration_minutes = minutes;
}

guint
kdx_course_get_validity_months (KdxCourse *self)
{
  g_return_val_if_fail (KDX_IS_COURSE (self), 0);
  return self->validity_months;
}

void
kdx_course_set_validity_months (KdxCourse *self,
                                guint      months)
{
  g_return_if_fail (KDX_IS_COURSE (self));
  if (self->validity_months == months)
    return;
  self->validity_months = months;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALIDITY_MONTHS]);
}

gboolean
kdx_course_get_ai_literacy (KdxCourse *self)
{
  g_return_val_if_fail (KDX_IS_COURSE (self), FALSE);
  return self->ai_literacy;
}

void
kdx_course_set_ai_literacy (KdxCourse *self,
                            gboolean   ai_literacy)
{
  g_return_if_fail (KDX_IS_COURSE (self));
  ai_literacy = !!ai_literacy;
  if (self->ai_literacy == ai_literacy)
    return;
  self->ai_literacy = ai_literacy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AI_LITERACY]);
}

GStrv
kdx_course_dup_policies (KdxCourse *self)
{
  g_return_val_if_fail (KDX_IS_COURSE (self), NULL);
  return g_strdupv (self->policies);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Sorted and without repeats, so that equal sets give equal JSON. */
void
kdx_course_set_policies (KdxCourse          *self,
                         const char * const *policy_uuids)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (KDX_IS_COURSE (self));

  for (guint i = 0; policy_uuids != NULL && policy_uuids[i] != NULL; i++)
    if (*policy_uuids[i] != '\0')
      g_ptr_array_add (list, g_strdup (policy_uuids[i]));
  g_ptr_array_sort (list, compare_strings);
  for (guint i = 1; i < list->len;)
    if (g_str_equal (list->pdata[i], list->pdata[i - 1]))
      g_ptr_array_remove_index (list, i);
    else
      i++;
  g_ptr_array_add (list, NULL);
  g_strfreev (self->policies);
  self->policies = (GStrv) g_ptr_array_steal (list, NULL);
}

const char *kdx_course_get_created (KdxCourse *self) { return self->created; }
const char *kdx_course_get_modified (KdxCourse *self) { return self->modified; }
const char *kdx_course_get_trashed (KdxCourse *self) { return self->trashed; }

void
kdx_course_set_times (KdxCourse  *self,
                      const char *created,
                      const char *modified,
                      const char *trashed)
{
  g_return_if_fail (KDX_IS_COURSE (self));

  set_string (&self->created, created);
  set_string (&self->modified, modified);
  set_string (&self->trashed, trashed);
}

char *
kdx_course_to_json (KdxCourse *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (KDX_IS_COURSE (self), NULL);

  json_builder_begin_object (b);
  add_string_member (b, "uuid", self->uuid);
  add_string_member (b, "key", self->key);
  add_string_member (b, "title", self->title);
  add_string_member (b, "topic", self->topic);
  add_string_member (b, "description", self->description);
  add_int_member (b, "duration_minutes", self->duration_minutes);
  add_int_member (b, "validity_months", self->validity_months);
  json_builder_set_member_name (b, "ai_literacy");
  json_builder_add_boolean_value (b, self->ai_literacy);
  json_builder_set_member_name (b, "policies");
  json_builder_begin_array (b);
  for (guint i = 0; self->policies[i] != NULL; i++)
    json_builder_add_string_value (b, self->policies[i]);
  json_builder_end_array (b);
  add_string_member (b, "trashed", self->trashed);
  json_builder_end_object (b);

  return builder_to_string (b);
}

#define COURSE_COLUMNS "c.id, c.uuid, c.key, c.title, c.topic, c.description, " \
                       "c.duration_minutes, c.validity_months, c.ai_literacy, "  \
                       "c.created, c.modified, c.trashed"

static KdxCourse *
course_from_row (sqlite3_stmt *stmt)
{
  KdxCourse *self = kdx_course_new ();

  self->id = sqlite3_column_int64 (stmt, 0);
  self->uuid = kdx_store_column_text (stmt, 1);
  self->key = kdx_store_column_text (stmt, 2);
  self->title = kdx_store_column_text (stmt, 3);
  self->topic = kdx_store_column_text (stmt, 4);
  self->description = kdx_store_column_text (stmt, 5);
  self->duration_minutes = (guint) MAX (sqlite3_column_int (stmt, 6), 0);
  self->validity_months = (guint) MAX (sqlite3_column_int (stmt, 7), 0);
  self->ai_literacy = sqlite3_column_int (stmt, 8) != 0;
  self->created = kdx_store_column_text (stmt, 9);
  self->modified = kdx_store_column_text (stmt, 10);
  self->trashed = kdx_store_column_text (stmt, 11);

  return self;
}

static void
load_policies (KdxStore  *store,
               KdxCourse *course)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  stmt = kdx_store_prepare_cached (store, "SELECT p.uuid FROM course_policy cp "
                                   "JOIN policy p ON p.id = cp.policy_id "
                                   "WHERE cp.course_id = ?1 ORDER BY p.uuid", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, course->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  g_strfreev (course->policies);
  course->policies = g_strv_builder_end (builder);
}

static KdxCourse *
load_course_where (KdxStore    *store,
                   const char  *sql,
                   const char  *value)
{
  g_autoptr(KdxCachedStmt) stmt = kdx_store_prepare_cached (store, sql, NULL);
  KdxCourse *course;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  course = course_from_row (stmt);
  sqlite3_reset (stmt);
  load_policies (store, course);

  return course;
}

KdxCourse *
kdx_course_load (KdxStore    *store,
                 const char  *uuid,
                 GError     **error)
{
  KdxCourse *course;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  course = load_course_where (store, "SELECT " COURSE_COLUMNS " FROM course c WHERE c.uuid = ?1",
                              uuid);
  if (course == NULL)
    set_unknown_course (uuid, error);

  return course;
}

KdxCourse *
kdx_course_find (KdxStore    *store,
                 const char  *uuid_key_or_title,
                 GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *folded = NULL;
  KdxCourse *course;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid_key_or_title != NULL, NULL);

  text = g_strstrip (g_strdup (uuid_key_or_title));
  upper = g_ascii_strup (text, -1);
  course = load_course_where (store, "SELECT " COURSE_COLUMNS " FROM course c WHERE c.uuid = ?1",
                              text);
  if (course == NULL)
    course = load_course_where (store, "SELECT " COURSE_COLUMNS " FROM course c WHERE c.key = ?1",
                                upper);
  if (course == NULL)
    course = load_course_where (store, "SELECT " COURSE_COLUMNS " FROM course c "
                                "WHERE c.title = ?1 AND c.trashed IS NULL", text);
  if (course == NULL)
    {
      folded = kdx_fold_text (text);
      course = load_course_where (store, "SELECT " COURSE_COLUMNS " FROM course c "
                                  "WHERE c.sort_key = ?1 AND c.trashed IS NULL", folded);
    }
  if (course == NULL)
    set_unknown_course (text, error);

  return course;
}

GPtrArray *
kdx_course_list (KdxStore  *store,
                 GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) courses = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " COURSE_COLUMNS " FROM course c "
                                   "WHERE c.trashed IS NULL ORDER BY c.sort_key, c.id", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (courses, course_from_row (stmt));
  sqlite3_reset (stmt);
  for (guint i = 0; i < courses->len; i++)
    load_policies (store, courses->pdata[i]);

  return g_steal_pointer (&courses);
}

GPtrArray *
kdx_course_list_trashed (KdxStore *store)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  GPtrArray *courses = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KDX_IS_STORE (store), courses);

  stmt = kdx_store_prepare_cached (store, "SELECT " COURSE_COLUMNS " FROM course c "
                                   "WHERE c.trashed IS NOT NULL ORDER BY c.trashed DESC", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (courses, course_from_row (stmt));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  for (guint i = 0; i < courses->len; i++)
    load_policies (store, courses->pdata[i]);

  return courses;
}

gint64
kdx_assignment_count (KdxStore *store)
{
  return kdx_store_count (store, "SELECT count(*) FROM assignment");
}

gint64
kdx_course_count (KdxStore *store)
{
  return kdx_store_count (store, "SELECT count(*) FROM course WHERE trashed IS NULL");
}

static char *
next_course_key (KdxStore *store)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  gint64 highest = 0;

  /* Keys are never reused, not even those of trashed courses. */
  stmt = kdx_store_prepare_cached (store, "SELECT max(CAST(substr(key, 5) AS INTEGER)) "
                                   "FROM course WHERE key LIKE 'CRS-%'", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    highest = sqlite3_column_int64 (stmt, 0);

  return g_strdup_printf ("CRS-%03" G_GINT64_FORMAT, highest + 1);
}

static gboolean
set_invalid (GError     **error,
             const char  *message)
{
  g_set_error_literal (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_INVALID, message);
  return FALSE;
}

/* The rules a course keeps, whoever saves it; @policy_ids gets the ids of
 * its policies. */
static gboolean
validate_course (KdxStore   *store,
                 KdxCourse  *course,
                 GArray     *policy_ids,
                 GError    **error)
{
  if (course->title == NULL)
    return set_invalid (error, _("Title: a course needs a title"));
  if (g_utf8_strlen (course->title, -1) > 200)
    return set_invalid (error, _("Title: the title is longer than 200 characters"));
  if (has_control_characters (course->title))
    return set_invalid (error, _("Title: the title contains a control character"));
  if (course->topic != NULL && g_utf8_strlen (course->topic, -1) > 200)
    return set_invalid (error, _("Topic: the topic is longer than 200 characters"));
  if (has_control_characters (course->topic))
    return set_invalid (error, _("Topic: the topic contains a control character"));
  if (course->description != NULL && strlen (course->description) > 100000)
    return set_invalid (error, _("Description: the description is longer than 100,000 characters"));
  if (has_control_characters (course->description))
    return set_invalid (error, _("Description: the description contains a control character"));
  if (course->duration_minutes > 100000)
    return set_invalid (error, _("Duration: a course can last at most 100,000 minutes"));
  if (course->validity_months > 600)
    return set_invalid (error, _("Validity: a certificate can be valid for at most 600 months"));

  if (course->trashed == NULL)
    {
      g_autoptr(KdxCachedStmt) dup = NULL;
      g_autofree char *sort_key = kdx_fold_text (course->title);

      dup = kdx_store_prepare_cached (store, "SELECT key, title FROM course WHERE trashed IS NULL "
                                      "AND sort_key = ?1 AND uuid IS NOT ?2", error);
      if (dup == NULL)
        return FALSE;
      sqlite3_bind_text (dup, 1, sort_key, -1, SQLITE_TRANSIENT);
      kdx_store_bind_text_or_null (dup, 2, course->uuid);
      if (sqlite3_step (dup) == SQLITE_ROW)
        {
          g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DUPLICATE,
                       _("Title: the course %s is already called “%s”"),
                       (const char *) sqlite3_column_text (dup, 0),
                       (const char *) sqlite3_column_text (dup, 1));
          return FALSE;
        }
    }

  for (guint i = 0; course->policies[i] != NULL; i++)
    {
      gint64 id = id_for_uuid (store, "SELECT id FROM policy WHERE uuid = ?1", course->policies[i]);

      if (id == 0)
        {
          g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_INVALID,
                       _("Policies: there is no policy “%s” in this workspace"),
                       course->policies[i]);
          return FALSE;
        }
      g_array_append_val (policy_ids, id);
    }

  return TRUE;
}

static gboolean
write_policies (KdxStore  *store,
                gint64     course_id,
                GArray    *policy_ids,
                GError   **error)
{
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;

  del = kdx_store_prepare_cached (store, "DELETE FROM course_policy WHERE course_id = ?1", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, course_id);
  if (!kdx_store_step_done (store, del, error))
    return FALSE;
  ins = kdx_store_prepare_cached (store, "INSERT OR IGNORE INTO course_policy (course_id, policy_id) "
                                  "VALUES (?1, ?2)", error);
  if (ins == NULL)
    return FALSE;
  for (guint i = 0; i < policy_ids->len; i++)
    {
      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, course_id);
      sqlite3_bind_int64 (ins, 2, g_array_index (policy_ids, gint64, i));
      if (!kdx_store_step_done (store, ins, error))
        return FALSE;
    }

  return TRUE;
}

static char *
course_summary (KdxCourse *course)
{
  return g_strdup_printf ("%s %s", course->key, course->title);
}

gboolean
kdx_course_insert (KdxStore   *store,
                   KdxCourse  *course,
                   GError    **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GArray) policy_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sort_key = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *now = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_COURSE (course), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (course->uuid == NULL)
    course->uuid = g_uuid_string_random ();
  if (!validate_course (store, course, policy_ids, error))
    goto out;

  if (course->key != NULL)
    {
      /* A key from an exchange file is kept when it is free. */
      g_autofree char *upper = g_ascii_strup (course->key, -1);

      g_free (course->key);
      course->key = g_steal_pointer (&upper);
      if (id_for_uuid (store, "SELECT id FROM course WHERE key = ?1", course->key) != 0)
        {
          g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DUPLICATE,
                       _("Key: another course has the key %s"), course->key);
          goto out;
        }
    }
  else
    course->key = next_course_key (store);

  now = kdx_store_now_iso8601 ();
  if (course->created == NULL)
    course->created = g_strdup (now);
  if (course->modified == NULL)
    course->modified = g_strdup (now);

  sort_key = kdx_fold_text (course->title);
  stmt = kdx_store_prepare_cached (store,
                                   "INSERT INTO course (uuid, key, title, sort_key, topic, "
                                   "description, duration_minutes, validity_months, ai_literacy, "
                                   "created, modified, trashed) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                   error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, course->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, course->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, course->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, sort_key, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 5, course->topic);
  kdx_store_bind_text_or_null (stmt, 6, course->description);
  sqlite3_bind_int (stmt, 7, (int) course->duration_minutes);
  sqlite3_bind_int (stmt, 8, (int) course->validity_months);
  sqlite3_bind_int (stmt, 9, course->ai_literacy);
  sqlite3_bind_text (stmt, 10, course->created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, course->modified, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 12, course->trashed);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;
  course->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  if (!write_policies (store, course->id, policy_ids, error))
    goto out;

  json = kdx_course_to_json (course);
  summary = course_summary (course);
  if (!kdx_journal_append (store, "course", course->uuid, "create", summary, NULL, json, error))
    goto out;

  kdx_store_mark_changed (store, "course", course->id);
  ok = TRUE;

out:
  if (!ok)
    course->id = 0;
  return kdx_store_finish (store, own, ok, error);
}

/* Writes @after over @before and journals @action; nothing when nothing
 * changed. */
static gboolean
write_course (KdxStore    *store,
              KdxCourse   *before,
              KdxCourse   *after,
              const char  *action,
              GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GArray) policy_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *before_json = kdx_course_to_json (before);
  g_autofree char *after_json = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *summary = NULL;

  if (!validate_course (store, after, policy_ids, error))
    return FALSE;
  after_json = kdx_course_to_json (after);
  if (g_strcmp0 (before_json, after_json) == 0)
    return TRUE;

  g_free (after->modified);
  after->modified = kdx_store_now_iso8601 ();
  sort_key = kdx_fold_text (after->title);
  stmt = kdx_store_prepare_cached (store,
                                   "UPDATE course SET title = ?2, sort_key = ?3, topic = ?4, "
                                   "description = ?5, duration_minutes = ?6, validity_months = ?7, "
                                   "ai_literacy = ?8, modified = ?9, trashed = ?10 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before->id);
  sqlite3_bind_text (stmt, 2, after->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sort_key, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 4, after->topic);
  kdx_store_bind_text_or_null (stmt, 5, after->description);
  sqlite3_bind_int (stmt, 6, (int) after->duration_minutes);
  sqlite3_bind_int (stmt, 7, (int) after->validity_months);
  sqlite3_bind_int (stmt, 8, after->ai_literacy);
  sqlite3_bind_text (stmt, 9, after->modified, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 10, after->trashed);
  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;

  if (!g_strv_equal ((const char * const *) before->policies,
                     (const char * const *) after->policies) &&
      !write_policies (store, before->id, policy_ids, error))
    return FALSE;

  summary = course_summary (after);
  if (!kdx_journal_append (store, "course", after->uuid, action, summary,
                           before_json, after_json, error))
    return FALSE;
  kdx_store_mark_changed (store, "course", before->id);

  return TRUE;
}

gboolean
kdx_course_update (KdxStore   *store,
                   KdxCourse  *course,
                   GError    **error)
{
  g_autoptr(KdxCourse) before = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_COURSE (course), FALSE);

  if (course->uuid == NULL)
    return set_unknown_course (NULL, error);
  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_course_load (store, course->uuid, error);
  if (before != NULL)
    {
      /* The key, the creation and the trash are not the caller's to change. */
      course->id = before->id;
      set_string (&course->key, before->key);
      set_string (&course->created, before->created);
      set_string (&course->trashed, before->trashed);
      ok = write_course (store, before, course, "update", error);
    }

  return kdx_store_finish (store, own, ok, error);
}

static gboolean
set_course_trashed (KdxStore    *store,
                    const char  *uuid,
                    gboolean     trashed,
                    GError     **error)
{
  g_autoptr(KdxCourse) before = NULL;
  g_autoptr(KdxCourse) after = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_course_load (store, uuid, error);
  if (before == NULL)
    goto out;
  if ((before->trashed != NULL) == trashed)
    {
      ok = TRUE;
      goto out;
    }

  /* A restored course must not share its title with one made meanwhile:
   * validation checks that as for any live course. */
  after = kdx_course_load (store, uuid, error);
  g_clear_pointer (&after->trashed, g_free);
  if (trashed)
    after->trashed = kdx_store_now_iso8601 ();
  ok = write_course (store, before, after, trashed ? "delete" : "restore", error);
  if (ok)
    kdx_store_mark_changed (store, "assignment", 0);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_course_trash (KdxStore    *store,
                  const char  *uuid,
                  GError     **error)
{
  return set_course_trashed (store, uuid, TRUE, error);
}

gboolean
kdx_course_restore (KdxStore    *store,
                    const char  *uuid,
                    GError     **error)
{
  return set_course_trashed (store, uuid, FALSE, error);
}

/* ------------------------------------------------------------------ */
/* Assignment rules                                                    */

KdxRule *
kdx_rule_new (void)
{
  KdxRule *rule = g_new0 (KdxRule, 1);

  rule->due_days = 30;

  return rule;
}

KdxRule *
kdx_rule_copy (const KdxRule *rule)
{
  KdxRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = g_new0 (KdxRule, 1);
  copy->uuid = g_strdup (rule->uuid);
  copy->course_uuid = g_strdup (rule->course_uuid);
  copy->kind = rule->kind;
  copy->target = g_strdup (rule->target);
  copy->system_uuid = g_strdup (rule->system_uuid);
  copy->system_name = g_strdup (rule->system_name);
  copy->system_key = g_strdup (rule->system_key);
  copy->due_days = rule->due_days;
  copy->created = g_strdup (rule->created);

  return copy;
}

void
kdx_rule_free (KdxRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->uuid);
  g_free (rule->course_uuid);
  g_free (rule->target);
  g_free (rule->system_uuid);
  g_free (rule->system_name);
  g_free (rule->system_key);
  g_free (rule->created);
  g_free (rule);
}

char *
kdx_rule_dup_description (const KdxRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);

  switch (rule->kind)
    {
    case KDX_RULE_EVERYONE:
      return g_strdup (_("Everyone"));
    case KDX_RULE_DEPARTMENT:
      /* Translators: a rule that assigns a course to a department */
      return g_strdup_printf (_("Department %s"), rule->target ? rule->target : "");
    case KDX_RULE_ROLE:
      /* Translators: a rule that assigns a course to everyone with a job title */
      return g_strdup_printf (_("Role %s"), rule->target ? rule->target : "");
    case KDX_RULE_COMMITTEE:
      return g_strdup (_("The committee"));
    case KDX_RULE_OVERSEERS:
      if (rule->system_uuid == NULL)
        return g_strdup (_("Overseers of every AI system"));
      if (rule->system_key != NULL)
        /* Translators: "Overseers of SYS-004 Lead scoring" */
        return g_strdup_printf (_("Overseers of %s %s"), rule->system_key,
                                rule->system_name ? rule->system_name : "");
      return g_strdup_printf (_("Overseers of %s"),
                              rule->system_name ? rule->system_name : rule->system_uuid);
    case KDX_RULE_N_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
rule_to_json (const KdxRule *rule)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string_member (b, "uuid", rule->uuid);
  add_string_member (b, "course", rule->course_uuid);
  add_string_member (b, "kind", kind_ids[rule->kind]);
  add_string_member (b, "target", rule->target);
  add_string_member (b, "system", rule->system_uuid);
  add_int_member (b, "due_days", rule->due_days);
  json_builder_end_object (b);

  return builder_to_string (b);
}

#define RULE_COLUMNS "r.uuid, c.uuid, r.kind, r.target, s.uuid, s.name, s.key, r.due_days, r.created"
#define RULE_FROM    " FROM assignment_rule r JOIN course c ON c.id = r.course_id" \
                     " LEFT JOIN ai_system s ON s.id = r.system_id"

static KdxRule *
rule_from_row (sqlite3_stmt *stmt)
{
  KdxRule *rule = g_new0 (KdxRule, 1);

  rule->uuid = kdx_store_column_text (stmt, 0);
  rule->course_uuid = kdx_store_column_text (stmt, 1);
  rule->kind = MAX (kdx_rule_kind_from_string ((const char *) sqlite3_column_text (stmt, 2)), 0);
  rule->target = kdx_store_column_text (stmt, 3);
  rule->system_uuid = kdx_store_column_text (stmt, 4);
  rule->system_name = kdx_store_column_text (stmt, 5);
  rule->system_key = kdx_store_column_text (stmt, 6);
  rule->due_days = (guint) MAX (sqlite3_column_int (stmt, 7), 0);
  rule->created = kdx_store_column_text (stmt, 8);

  return rule;
}

static KdxRule *
load_rule (KdxStore   *store,
           const char *uuid,
           gint64     *id)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  KdxRule *rule;

  stmt = kdx_store_prepare_cached (store, "SELECT " RULE_COLUMNS ", r.id" RULE_FROM
                                   " WHERE r.uuid = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  rule = rule_from_row (stmt);
  if (id != NULL)
    *id = sqlite3_column_int64 (stmt, 9);

  return rule;
}

GPtrArray *
kdx_rule_list (KdxStore    *store,
               const char  *course_uuid,
               GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  GPtrArray *rules;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " RULE_COLUMNS RULE_FROM
                                   " WHERE ?1 IS NULL OR c.uuid = ?1"
                                   " ORDER BY c.sort_key, r.id", error);
  if (stmt == NULL)
    return NULL;
  kdx_store_bind_text_or_null (stmt, 1, course_uuid);
  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_rule_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rules, rule_from_row (stmt));

  return rules;
}

/* Checks @rule and finds the ids it refers to. */
static gboolean
validate_rule (KdxStore  *store,
               KdxRule   *rule,
               gint64     own_id,
               gint64    *course_id,
               gint64    *system_id,
               GError   **error)
{
  g_autoptr(KdxCachedStmt) dup = NULL;
  g_autofree char *target = dup_trimmed_or_null (rule->target);

  *system_id = 0;
  if (rule->kind >= KDX_RULE_N_KINDS)
    return set_invalid (error, _("Kind: unknown kind of rule"));
  *course_id = live_course_id (store, rule->course_uuid);
  if (*course_id == 0)
    return set_unknown_course (rule->course_uuid, error);

  if (rule->kind == KDX_RULE_DEPARTMENT || rule->kind == KDX_RULE_ROLE)
    {
      if (target == NULL)
        return set_invalid (error, rule->kind == KDX_RULE_DEPARTMENT
                                     ? _("Department: a rule for a department needs its name")
                                     : _("Role: a rule for a role needs its name"));
      if (g_utf8_strlen (target, -1) > 200 || has_control_characters (target))
        return set_invalid (error, rule->kind == KDX_RULE_DEPARTMENT
                                     ? _("Department: not a department name")
                                     : _("Role: not a role name"));
    }
  else
    g_clear_pointer (&target, g_free);
  g_free (rule->target);
  rule->target = g_steal_pointer (&target);

  if (rule->kind != KDX_RULE_OVERSEERS)
    g_clear_pointer (&rule->system_uuid, g_free);
  else if (rule->system_uuid != NULL)
    {
      *system_id = id_for_uuid (store, "SELECT id FROM ai_system WHERE uuid = ?1 "
                                "AND trashed IS NULL", rule->system_uuid);
      if (*system_id == 0)
        {
          g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND,
                       _("AI system: there is no AI system “%s” in this workspace"),
                       rule->system_uuid);
          return FALSE;
        }
    }
  if (rule->due_days > 3650)
    return set_invalid (error, _("Due: a rule can give at most 3650 days"));

  dup = kdx_store_prepare_cached (store, "SELECT 1 FROM assignment_rule WHERE course_id = ?1 "
                                  "AND kind = ?2 AND target IS ?3 AND system_id IS ?4 "
                                  "AND id IS NOT ?5", error);
  if (dup == NULL)
    return FALSE;
  sqlite3_bind_int64 (dup, 1, *course_id);
  sqlite3_bind_text (dup, 2, kind_ids[rule->kind], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (dup, 3, rule->target);
  if (*system_id > 0)
    sqlite3_bind_int64 (dup, 4, *system_id);
  else
    sqlite3_bind_null (dup, 4);
  if (own_id > 0)
    sqlite3_bind_int64 (dup, 5, own_id);
  else
    sqlite3_bind_null (dup, 5);
  if (sqlite3_step (dup) == SQLITE_ROW)
    {
      g_set_error_literal (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DUPLICATE,
                           _("The course has this rule already"));
      return FALSE;
    }

  return TRUE;
}

static char *
rule_summary (KdxStore      *store,
              const KdxRule *rule)
{
  g_autofree char *description = NULL;
  g_autoptr(KdxRule) full = NULL;
  g_autoptr(KdxCourse) course = kdx_course_load (store, rule->course_uuid, NULL);

  full = kdx_rule_copy (rule);
  if (full->system_uuid != NULL && full->system_key == NULL)
    {
      g_autoptr(KdxCachedStmt) stmt = kdx_store_prepare_cached (store, "SELECT key, name FROM "
                                                                "ai_system WHERE uuid = ?1", NULL);

      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, full->system_uuid, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              full->system_key = kdx_store_column_text (stmt, 0);
              g_free (full->system_name);
              full->system_name = kdx_store_column_text (stmt, 1);
            }
        }
    }
  description = kdx_rule_dup_description (full);

  return g_strdup_printf ("%s: %s", course ? course->title : rule->course_uuid, description);
}

static gboolean apply_in_transaction (KdxStore              *store,
                                      gint64                 course_id,
                                      gint64                 person_id,
                                      const char            *entity_id,
                                      const char            *today,
                                      KdxTrainingApplyStats *stats,
                                      GError               **error);

gboolean
kdx_rule_insert (KdxStore  *store,
                 KdxRule   *rule,
                 GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  gint64 course_id = 0, system_id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (!validate_rule (store, rule, 0, &course_id, &system_id, error))
    goto out;
  if (rule->uuid == NULL)
    rule->uuid = g_uuid_string_random ();
  g_free (rule->created);
  rule->created = kdx_store_now_iso8601 ();

  stmt = kdx_store_prepare_cached (store, "INSERT INTO assignment_rule (uuid, course_id, kind, "
                                   "target, system_id, due_days, created) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, rule->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, course_id);
  sqlite3_bind_text (stmt, 3, kind_ids[rule->kind], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 4, rule->target);
  if (system_id > 0)
    sqlite3_bind_int64 (stmt, 5, system_id);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_int (stmt, 6, (int) rule->due_days);
  sqlite3_bind_text (stmt, 7, rule->created, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;

  json = rule_to_json (rule);
  summary = rule_summary (store, rule);
  if (!kdx_journal_append (store, "assignment-rule", rule->uuid, "create", summary,
                           NULL, json, error))
    goto out;
  kdx_store_mark_changed (store, "assignment-rule",
                          sqlite3_last_insert_rowid (kdx_store_get_db (store)));

  ok = apply_in_transaction (store, course_id, 0, rule->course_uuid, NULL, NULL, error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_rule_update (KdxStore       *store,
                 const KdxRule  *rule,
                 GError        **error)
{
  g_autoptr(KdxRule) before = NULL;
  g_autoptr(KdxRule) after = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  g_autofree char *summary = NULL;
  gint64 id = 0, course_id = 0, system_id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (rule != NULL && rule->uuid != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = load_rule (store, rule->uuid, &id);
  if (before == NULL)
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND,
                   _("There is no rule “%s” in this workspace"), rule->uuid);
      goto out;
    }
  after = kdx_rule_copy (rule);
  /* A rule stays with its course. */
  g_free (after->course_uuid);
  after->course_uuid = g_strdup (before->course_uuid);
  if (!validate_rule (store, after, id, &course_id, &system_id, error))
    goto out;

  before_json = rule_to_json (before);
  after_json = rule_to_json (after);
  if (g_str_equal (before_json, after_json))
    {
      ok = TRUE;
      goto out;
    }

  stmt = kdx_store_prepare_cached (store, "UPDATE assignment_rule SET kind = ?2, target = ?3, "
                                   "system_id = ?4, due_days = ?5 WHERE id = ?1", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, kind_ids[after->kind], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 3, after->target);
  if (system_id > 0)
    sqlite3_bind_int64 (stmt, 4, system_id);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int (stmt, 5, (int) after->due_days);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;

  summary = rule_summary (store, after);
  if (!kdx_journal_append (store, "assignment-rule", after->uuid, "update", summary,
                           before_json, after_json, error))
    goto out;
  kdx_store_mark_changed (store, "assignment-rule", id);

  ok = apply_in_transaction (store, course_id, 0, after->course_uuid, NULL, NULL, error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_rule_delete (KdxStore    *store,
                 const char  *uuid,
                 GError     **error)
{
  g_autoptr(KdxRule) before = NULL;
  g_autoptr(KdxCachedStmt) manual = NULL;
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *summary = NULL;
  gint64 id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = load_rule (store, uuid, &id);
  if (before == NULL)
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND,
                   _("There is no rule “%s” in this workspace"), uuid);
      goto out;
    }

  /* The rounds it made stay, as if assigned by hand. */
  manual = kdx_store_prepare_cached (store, "UPDATE assignment SET source = 'manual' "
                                     "WHERE rule_id = ?1 AND source = 'rule'", error);
  if (manual == NULL)
    goto out;
  sqlite3_bind_int64 (manual, 1, id);
  if (!kdx_store_step_done (store, manual, error))
    goto out;
  del = kdx_store_prepare_cached (store, "DELETE FROM assignment_rule WHERE id = ?1", error);
  if (del == NULL)
    goto out;
  sqlite3_bind_int64 (del, 1, id);
  if (!kdx_store_step_done (store, del, error))
    goto out;

  before_json = rule_to_json (before);
  summary = rule_summary (store, before);
  if (!kdx_journal_append (store, "assignment-rule", uuid, "delete", summary,
                           before_json, NULL, error))
    goto out;
  kdx_store_mark_changed (store, "assignment-rule", id);
  kdx_store_mark_changed (store, "assignment", 0);
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

/* ------------------------------------------------------------------ */
/* Rules at work                                                       */

/* Whom the rules @r ask for, of the live, active people @p who have no
 * current round of the course: one branch per kind, so that each finds
 * its people through an index (a department's through
 * person_live_by_department, …) rather than every rule looking at
 * everyone. @where limits the rules or the people. The round test sits
 * in each branch: SQLite materializes the union before grouping it, and
 * with it outside, the union held every person of every rule (900,000
 * rows, 40 MB, on each open of the large demo) rather than those that
 * need a round. */
#define LIVE_PERSON "p.trashed IS NULL AND p.active = 1"
#define RULE_BRANCH(kind, join, where)                                          \
  "SELECT p.id AS person_id, r.course_id AS course_id, r.id AS rule_id, "       \
  "r.due_days AS due_days FROM assignment_rule r " join                         \
  " WHERE r.kind = '" kind "' AND " where " AND NOT EXISTS (SELECT 1 "          \
  "FROM assignment a WHERE a.person_id = p.id AND a.course_id = r.course_id "   \
  "AND a.current = 1)"
#define RULES_ASK(where)                                                        \
  RULE_BRANCH ("everyone", "JOIN person p ON " LIVE_PERSON, where)              \
  " UNION ALL "                                                                 \
  RULE_BRANCH ("department", "JOIN person p ON p.department = r.target AND " LIVE_PERSON, where) \
  " UNION ALL "                                                                 \
  RULE_BRANCH ("role", "JOIN person p ON p.role = r.target AND " LIVE_PERSON, where) \
  " UNION ALL "                                                                 \
  RULE_BRANCH ("committee", "JOIN person p ON p.committee = 1 AND " LIVE_PERSON, where) \
  " UNION ALL "                                                                 \
  RULE_BRANCH ("overseers",                                                     \
               "JOIN system_overseer o ON (r.system_id IS NULL OR o.system_id = r.system_id) " \
               "JOIN ai_system s ON s.id = o.system_id AND s.trashed IS NULL "  \
               "JOIN person p ON p.id = o.person_id AND " LIVE_PERSON, where)

/* ?1 today; the rule with the shortest time gives the due date when
 * several ask for the same course.
 *
 * The statements here that write many rounds at once say OR ROLLBACK:
 * a broken constraint then ends the whole transaction, which every
 * caller rolls back anyway, and SQLite keeps no statement journal to
 * undo the statement alone. That journal, in memory for imports, held
 * the first image of every page a renewal touched: 39 MB for 1,373
 * renewals after an import of 1,000,000 completions. */
#define ASSIGN_BY_RULES(where)                                                   \
  "INSERT OR ROLLBACK INTO assignment (person_id, course_id, rule_id, source, assigned, due, " \
  "current) " \
  "SELECT m.person_id, m.course_id, m.rule_id, 'rule', ?1, "                     \
  "date(?1, '+' || min(m.due_days) || ' days'), 1 "                             \
  "FROM (" RULES_ASK (where) ") m "                                             \
  "JOIN course c ON c.id = m.course_id AND c.trashed IS NULL "                   \
  "GROUP BY m.person_id, m.course_id"

/* The rounds to renew, into temp.training_renew: ?1 today + 
 * KDX_TRAINING_RECERTIFY_DAYS. Read from the covering index
 * assignment_by_expiry. */
#define RENEW(where)                                                             \
  "INSERT INTO temp.training_renew (id) SELECT a.id FROM assignment a "          \
  "JOIN person p ON p.id = a.person_id AND p.trashed IS NULL AND p.active = 1 " \
  "JOIN course c ON c.id = a.course_id AND c.trashed IS NULL "                   \
  "WHERE a.current = 1 AND a.expires IS NOT NULL AND a.expires <= ?1 "          \
  "AND a.completed IS NOT NULL AND " where

static gboolean
run_counted (KdxStore     *store,
             sqlite3_stmt *stmt,
             guint        *n,
             GError      **error)
{
  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;
  *n += (guint) sqlite3_changes (kdx_store_get_db (store));

  return TRUE;
}

/* @person_id < 0: the overseers rules only. */
static gboolean
assign_by_rules (KdxStore    *store,
                 gint64       course_id,
                 gint64       person_id,
                 const char  *today,
                 guint       *n,
                 GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  if (person_id < 0)
    stmt = kdx_store_prepare_cached (store, ASSIGN_BY_RULES ("r.kind = 'overseers' AND ?2 IS NULL"),
                                     error);
  else if (person_id > 0)
    stmt = kdx_store_prepare_cached (store, ASSIGN_BY_RULES ("p.id = ?2"), error);
  else if (course_id > 0)
    stmt = kdx_store_prepare_cached (store, ASSIGN_BY_RULES ("r.course_id = ?2"), error);
  else
    stmt = kdx_store_prepare_cached (store, ASSIGN_BY_RULES ("?2 IS NULL"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  if (person_id > 0 || course_id > 0)
    sqlite3_bind_int64 (stmt, 2, person_id > 0 ? person_id : course_id);

  return run_counted (store, stmt, n, error);
}

static gboolean
exec_bound (KdxStore    *store,
            const char  *sql,
            const char  *text,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);

  return kdx_store_step_done (store, stmt, error);
}

/* Gives the next round to everyone whose completion expires within
 * KDX_TRAINING_RECERTIFY_DAYS of @today. Set-based: the rounds to renew
 * are gathered in a temporary table, stop being current, and the new
 * rounds are written in the order of people, which keeps the writes to
 * the indexes together (215,000 renewals of the large demo's
 * 1,000,000 rounds: 5 s instead of 25). The temporary table goes with a
 * rolled-back transaction, so it is made each time, and the statements
 * that use it are not cached. */
static gboolean
renew_expiring (KdxStore    *store,
                gint64       course_id,
                const char  *today,
                guint       *n,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *horizon = add_days (today, KDX_TRAINING_RECERTIFY_DAYS);
  guint renewed = 0;

  if (!kdx_store_exec (store, "CREATE TEMP TABLE IF NOT EXISTS training_renew "
                       "(id INTEGER PRIMARY KEY); DELETE FROM temp.training_renew", error))
    return FALSE;

  if (course_id > 0)
    stmt = kdx_store_prepare (store, RENEW ("a.course_id = ?2"), error);
  else
    stmt = kdx_store_prepare (store, RENEW ("?2 IS NULL"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, horizon, -1, SQLITE_TRANSIENT);
  if (course_id > 0)
    sqlite3_bind_int64 (stmt, 2, course_id);
  if (!run_counted (store, stmt, &renewed, error))
    return FALSE;
  if (renewed == 0)
    return TRUE;

  /* Many rounds at once touch much of the indexes: a larger cache keeps
   * their pages. */
  if (renewed > 20000)
    kdx_store_raise_cache (store, 32768);

  if (!exec_bound (store, "UPDATE OR ROLLBACK assignment SET current = 0 "
                   "WHERE id IN (SELECT id FROM temp.training_renew)", NULL, error) ||
      !exec_bound (store, "INSERT OR ROLLBACK INTO assignment (person_id, course_id, rule_id, "
                   "previous_id, "
                   "source, assigned, due, expires, current) SELECT a.person_id, a.course_id, "
                   "a.rule_id, a.id, 'recertification', ?1, a.expires, a.expires, 1 "
                   "FROM temp.training_renew r CROSS JOIN assignment a ON a.id = r.id "
                   "ORDER BY a.person_id, a.course_id",
                   today, error) ||
      !kdx_store_exec (store, "DELETE FROM temp.training_renew", error))
    return FALSE;
  *n += renewed;

  return TRUE;
}

/* The work of kdx_training_apply() and kdx_training_apply_for_person()
 * inside a transaction that is there already; journals when it changed
 * anything. */
static gboolean
apply_in_transaction (KdxStore              *store,
                      gint64                 course_id,
                      gint64                 person_id,
                      const char            *entity_id,
                      const char            *today,
                      KdxTrainingApplyStats *stats,
                      GError               **error)
{
  g_autofree char *day = dup_today (today);
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  KdxTrainingApplyStats counts = { 0, 0 };

  if (!is_day (day))
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE,
                   _("“%s” is not a date (YYYY-MM-DD)"), day);
      return FALSE;
    }
  /* For one person (saving them) or the overseers, only the rules:
   * recertification runs with kdx_training_apply(), which the
   * application calls on every open. */
  if ((person_id == 0 &&
       !renew_expiring (store, course_id, day, &counts.n_recertified, error)) ||
      !assign_by_rules (store, course_id, person_id, day, &counts.n_assigned, error))
    return FALSE;
  if (stats != NULL)
    *stats = counts;
  if (counts.n_assigned == 0 && counts.n_recertified == 0)
    return TRUE;

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_string_member (b, course_id > 0 ? "course" : person_id > 0 ? "person" : "scope",
                     person_id < 0 ? "overseers" : entity_id);
  add_string_member (b, "today", day);
  add_int_member (b, "assigned", counts.n_assigned);
  add_int_member (b, "recertified", counts.n_recertified);
  json_builder_end_object (b);
  json = builder_to_string (b);
  summary = g_strdup_printf (_("Training rules applied: %u assignments made, %u renewed for "
                               "recertification"), counts.n_assigned, counts.n_recertified);
  if (!kdx_journal_append (store, "assignment", entity_id, "apply", summary, NULL, json, error))
    return FALSE;
  kdx_store_mark_changed (store, "assignment", 0);

  return TRUE;
}

gboolean
kdx_training_apply (KdxStore              *store,
                    const char            *course_uuid,
                    const char            *today,
                    KdxTrainingApplyStats *stats,
                    GError               **error)
{
  gint64 course_id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (stats != NULL)
    *stats = (KdxTrainingApplyStats) { 0, 0 };
  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (course_uuid != NULL)
    {
      course_id = live_course_id (store, course_uuid);
      if (course_id == 0)
        {
          set_unknown_course (course_uuid, error);
          goto out;
        }
    }
  ok = apply_in_transaction (store, course_id, 0, course_uuid, today, stats, error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_training_apply_for_person (KdxStore  *store,
                               gint64     person_id,
                               GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *uuid = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (person_id > 0, FALSE);

  /* Without a rule there is nothing to give: saving a person (100,000 of
   * them in the large demo or an HR import) costs one lookup, not the
   * rule statements, which would flush the person search index each
   * time. Overseers rules concern people only through system_overseer. */
  {
    g_autoptr(KdxCachedStmt) any =
      kdx_store_prepare_cached (store, "SELECT EXISTS (SELECT 1 FROM assignment_rule"
                                " WHERE kind <> 'overseers' OR EXISTS (SELECT 1 FROM system_overseer"
                                " WHERE person_id = ?1))", error);

    if (any == NULL)
      return FALSE;
    sqlite3_bind_int64 (any, 1, person_id);
    if (sqlite3_step (any) != SQLITE_ROW || sqlite3_column_int (any, 0) == 0)
      return TRUE;
  }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  stmt = kdx_store_prepare_cached (store, "SELECT uuid FROM person WHERE id = ?1 "
                                   "AND trashed IS NULL AND active = 1", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, person_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      /* Nobody to give anything: gone, inactive or not there. */
      ok = TRUE;
      goto out;
    }
  uuid = kdx_store_column_text (stmt, 0);
  sqlite3_reset (stmt);
  ok = apply_in_transaction (store, 0, person_id, uuid, NULL, NULL, error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_training_apply_overseers (KdxStore  *store,
                              GError   **error)
{
  gboolean own;
  gboolean ok;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;
  ok = apply_in_transaction (store, 0, -1, NULL, NULL, NULL, error);

  return kdx_store_finish (store, own, ok, error);
}

/* ------------------------------------------------------------------ */
/* Assignments                                                         */

void
kdx_assignment_free (KdxAssignment *assignment)
{
  if (assignment == NULL)
    return;
  g_free (assignment->person_uuid);
  g_free (assignment->person_name);
  g_free (assignment->person_email);
  g_free (assignment->department);
  g_free (assignment->course_uuid);
  g_free (assignment->course_title);
  g_free (assignment->rule_uuid);
  g_free (assignment->assigned);
  g_free (assignment->due);
  g_free (assignment->completed);
  g_free (assignment->expires);
  g_free (assignment->renews_completed);
  g_free (assignment);
}

/* The status of a round in SQL, as kdx_assignment_status_for(): ?1 is
 * today, ?2 today + KDX_TRAINING_RECERTIFY_DAYS. */
#define STATUS_SQL                                                          \
  "CASE WHEN a.completed IS NULL THEN"                                      \
  " (CASE WHEN a.expires > ?1 THEN 3 WHEN a.due < ?1 THEN 1 ELSE 0 END)"    \
  " WHEN a.expires IS NULL OR a.expires > ?2 THEN 2"                        \
  " WHEN a.expires <= ?1 THEN 4 ELSE 3 END"

#define ASSIGNMENT_COLUMNS                                                  \
  "a.id, p.uuid, p.name, p.email, p.department, c.uuid, c.title, a.source, " \
  "r.uuid, a.previous_id, a.assigned, a.due, a.completed, a.score, a.expires, " \
  "a.current, " STATUS_SQL
#define ASSIGNMENT_FROM                                                     \
  " FROM assignment a JOIN person p ON p.id = a.person_id"                  \
  " JOIN course c ON c.id = a.course_id"                                    \
  " LEFT JOIN assignment_rule r ON r.id = a.rule_id"

static KdxAssignment *
assignment_from_row (sqlite3_stmt *stmt)
{
  KdxAssignment *a = g_new0 (KdxAssignment, 1);

  a->id = sqlite3_column_int64 (stmt, 0);
  a->person_uuid = kdx_store_column_text (stmt, 1);
  a->person_name = kdx_store_column_text (stmt, 2);
  a->person_email = kdx_store_column_text (stmt, 3);
  a->department = kdx_store_column_text (stmt, 4);
  a->course_uuid = kdx_store_column_text (stmt, 5);
  a->course_title = kdx_store_column_text (stmt, 6);
  a->source = MAX (kdx_assignment_source_from_string ((const char *) sqlite3_column_text (stmt, 7)), 0);
  a->rule_uuid = kdx_store_column_text (stmt, 8);
  a->previous_id = sqlite3_column_int64 (stmt, 9);
  a->assigned = kdx_store_column_text (stmt, 10);
  a->due = kdx_store_column_text (stmt, 11);
  a->completed = kdx_store_column_text (stmt, 12);
  a->score = sqlite3_column_type (stmt, 13) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, 13);
  a->expires = kdx_store_column_text (stmt, 14);
  a->current = sqlite3_column_int (stmt, 15) != 0;
  a->status = (KdxAssignmentStatus) CLAMP (sqlite3_column_int (stmt, 16), 0,
                                           KDX_ASSIGNMENT_N_STATUSES - 1);

  return a;
}

static void
bind_today (sqlite3_stmt *stmt,
            const char   *today)
{
  g_autofree char *horizon = add_days (today, KDX_TRAINING_RECERTIFY_DAYS);

  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 2, horizon ? horizon : today);
}

KdxAssignment *
kdx_assignment_load (KdxStore    *store,
                     gint64       assignment_id,
                     const char  *today,
                     GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *day = dup_today (today);

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM
                                   " WHERE a.id = ?3", error);
  if (stmt == NULL)
    return NULL;
  bind_today (stmt, day);
  sqlite3_bind_int64 (stmt, 3, assignment_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND,
                   _("There is no assignment %" PRId64 " in this workspace"),
                   assignment_id);
      return NULL;
    }

  return assignment_from_row (stmt);
}

GPtrArray *
kdx_assignment_list_for_person (KdxStore    *store,
                                const char  *person_uuid,
                                const char  *today,
                                GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *day = dup_today (today);
  GPtrArray *list;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (person_uuid != NULL, NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " ASSIGNMENT_COLUMNS ASSIGNMENT_FROM
                                   " WHERE p.uuid = ?3 ORDER BY c.sort_key, c.id, a.id DESC",
                                   error);
  if (stmt == NULL)
    return NULL;
  bind_today (stmt, day);
  sqlite3_bind_text (stmt, 3, person_uuid, -1, SQLITE_TRANSIENT);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_assignment_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, assignment_from_row (stmt));

  return list;
}

static char *
people_json (JsonBuilder         *b,
             const char * const  *person_uuids)
{
  json_builder_set_member_name (b, "people");
  json_builder_begin_array (b);
  for (guint i = 0; person_uuids != NULL && person_uuids[i] != NULL; i++)
    json_builder_add_string_value (b, person_uuids[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  return builder_to_string (b);
}

typedef struct
{
  gint64  id;
  char   *assigned;
  char   *completed;
  gboolean found;
} CurrentRound;

static gboolean
current_round (KdxStore     *store,
               gint64        person_id,
               gint64        course_id,
               CurrentRound *round,
               GError      **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  memset (round, 0, sizeof *round);
  stmt = kdx_store_prepare_cached (store, "SELECT id, assigned, completed FROM assignment "
                                   "WHERE person_id = ?1 AND course_id = ?2 AND current = 1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_int64 (stmt, 2, course_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      round->found = TRUE;
      round->id = sqlite3_column_int64 (stmt, 0);
      round->assigned = kdx_store_column_text (stmt, 1);
      round->completed = kdx_store_column_text (stmt, 2);
    }

  return TRUE;
}

static void
current_round_clear (CurrentRound *round)
{
  g_clear_pointer (&round->assigned, g_free);
  g_clear_pointer (&round->completed, g_free);
}

/* A new current round of @course_id for @person_id; @previous_id, if not
 * 0, is the current round it replaces. */
static gboolean
insert_round (KdxStore    *store,
              gint64       person_id,
              gint64       course_id,
              gint64       previous_id,
              const char  *source,
              const char  *assigned,
              const char  *due,
              gint64      *out_id,
              GError     **error)
{
  g_autoptr(KdxCachedStmt) old = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;

  if (previous_id > 0)
    {
      old = kdx_store_prepare_cached (store, "UPDATE assignment SET current = 0 WHERE id = ?1",
                                      error);
      if (old == NULL)
        return FALSE;
      sqlite3_bind_int64 (old, 1, previous_id);
      if (!kdx_store_step_done (store, old, error))
        return FALSE;
    }
  ins = kdx_store_prepare_cached (store, "INSERT INTO assignment (person_id, course_id, "
                                  "previous_id, source, assigned, due, current) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)", error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, person_id);
  sqlite3_bind_int64 (ins, 2, course_id);
  if (previous_id > 0)
    sqlite3_bind_int64 (ins, 3, previous_id);
  else
    sqlite3_bind_null (ins, 3);
  sqlite3_bind_text (ins, 4, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (ins, 5, assigned, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (ins, 6, due);
  if (!kdx_store_step_done (store, ins, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  return TRUE;
}

static gboolean
set_unknown_person (const char  *uuid,
                    GError     **error)
{
  g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_UNKNOWN_PERSON,
               _("There is no person “%s” in this workspace"), uuid);
  return FALSE;
}

gboolean
kdx_assignment_assign (KdxStore            *store,
                       const char          *course_uuid,
                       const char * const  *person_uuids,
                       const char          *due,
                       guint               *n_created,
                       GError             **error)
{
  g_autofree char *today = local_today ();
  g_autofree char *due_day = NULL;
  g_autoptr(KdxCourse) course = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  guint created = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (course_uuid != NULL, FALSE);

  if (n_created != NULL)
    *n_created = 0;
  due_day = due ? g_strstrip (g_strdup (due)) : add_days (today, 30);
  if (!is_day (due_day))
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE,
                   _("Due: “%s” is not a date (YYYY-MM-DD)"), due_day);
      return FALSE;
    }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  course = kdx_course_load (store, course_uuid, error);
  if (course == NULL)
    goto out;
  if (course->trashed != NULL)
    {
      set_unknown_course (course_uuid, error);
      goto out;
    }

  for (guint i = 0; person_uuids != NULL && person_uuids[i] != NULL; i++)
    {
      gint64 person_id = live_person_id (store, person_uuids[i]);
      CurrentRound round;
      gboolean done;

      if (person_id == 0)
        {
          set_unknown_person (person_uuids[i], error);
          goto out;
        }
      if (!current_round (store, person_id, course->id, &round, error))
        goto out;
      /* An open round stays as it is; a completed one is followed by the
       * next. */
      done = round.found && round.completed == NULL;
      current_round_clear (&round);
      if (done)
        continue;
      if (!insert_round (store, person_id, course->id, round.found ? round.id : 0, "manual",
                         today, due_day, NULL, error))
        goto out;
      created++;
    }

  if (created > 0)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      add_string_member (b, "course", course->uuid);
      add_string_member (b, "due", due_day);
      json = people_json (b, person_uuids);
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: assigned to %u person",
                                              "%s: assigned to %u people", created),
                                 course->title, created);
      if (!kdx_journal_append (store, "assignment", course->uuid, "assign", summary,
                               NULL, json, error))
        goto out;
      kdx_store_mark_changed (store, "assignment", 0);
    }
  if (n_created != NULL)
    *n_created = created;
  ok = TRUE;

out:
  if (!ok && n_created != NULL)
    *n_created = 0;
  return kdx_store_finish (store, own, ok, error);
}

static gboolean
write_completion (KdxStore    *store,
                  gint64       id,
                  const char  *completed,
                  double       score,
                  const char  *expires,
                  GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  stmt = kdx_store_prepare_cached (store, "UPDATE assignment SET completed = ?2, score = ?3, "
                                   "expires = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  kdx_store_bind_text_or_null (stmt, 2, completed);
  if (completed != NULL && score >= 0)
    sqlite3_bind_double (stmt, 3, score);
  else
    sqlite3_bind_null (stmt, 3);
  kdx_store_bind_text_or_null (stmt, 4, expires);

  return kdx_store_step_done (store, stmt, error);
}

/* Whether the round that @id renews was completed on @day or later. */
static gboolean
completed_since (KdxStore   *store,
                 gint64      id,
                 const char *day)
{
  g_autoptr(KdxCachedStmt) stmt =
    kdx_store_prepare_cached (store, "SELECT p.completed >= ?2 FROM assignment a"
                              " JOIN assignment p ON p.id = a.previous_id WHERE a.id = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);

  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 1;
}

gboolean
kdx_assignment_complete (KdxStore            *store,
                         const char          *course_uuid,
                         const char * const  *person_uuids,
                         const char          *completed,
                         double               score,
                         GError             **error)
{
  g_autofree char *today = local_today ();
  g_autofree char *day = NULL;
  g_autofree char *expires = NULL;
  g_autoptr(KdxCourse) course = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  guint n_done = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (course_uuid != NULL, FALSE);

  day = completed ? g_strstrip (g_strdup (completed)) : g_strdup (today);
  if (!is_day (day))
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE,
                   _("Completed: “%s” is not a date (YYYY-MM-DD)"), day);
      return FALSE;
    }
  if (strcmp (day, today) > 0)
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE,
                   _("Completed: %s is in the future"), day);
      return FALSE;
    }
  if (isnan (score) || score > 100)
    return set_invalid (error, _("Score: a score lies between 0 and 100"));

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  course = kdx_course_load (store, course_uuid, error);
  if (course == NULL)
    goto out;
  if (course->trashed != NULL)
    {
      set_unknown_course (course_uuid, error);
      goto out;
    }
  if (course->validity_months > 0)
    expires = add_months (day, course->validity_months);

  for (guint i = 0; person_uuids != NULL && person_uuids[i] != NULL; i++)
    {
      gint64 person_id = live_person_id (store, person_uuids[i]);
      CurrentRound round;
      gint64 id = 0;
      gboolean fine = TRUE;

      if (person_id == 0)
        {
          set_unknown_person (person_uuids[i], error);
          goto out;
        }
      if (!current_round (store, person_id, course->id, &round, error))
        goto out;

      if (!round.found)
        /* Someone without a round gets one, assigned on the day they
         * completed it. */
        fine = insert_round (store, person_id, course->id, 0, "manual", day, NULL, &id, error);
      else if (round.completed == NULL)
        {
          /* A course may have been taken before Kodex assigned it (a
           * session held before the rule, a completion reported late):
           * the day counts, unless a completion on or after it is
           * recorded already (the round renews it). */
          if (!completed_since (store, round.id, day))
            id = round.id;
        }
      else if (strcmp (day, round.completed) > 0)
        /* A later completion is the next round. */
        fine = insert_round (store, person_id, course->id, round.id, "manual", day, NULL,
                             &id, error);
      /* else: completed on that day or later already; nothing to do. */
      current_round_clear (&round);
      if (!fine)
        goto out;
      if (id == 0)
        continue;
      if (!write_completion (store, id, day, score, expires, error))
        goto out;
      n_done++;
    }

  if (n_done > 0)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      add_string_member (b, "course", course->uuid);
      add_string_member (b, "completed", day);
      json_builder_set_member_name (b, "score");
      if (score >= 0)
        json_builder_add_double_value (b, score);
      else
        json_builder_add_null_value (b);
      add_string_member (b, "expires", expires);
      json = people_json (b, person_uuids);
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u person completed on %s",
                                              "%s: %u people completed on %s", n_done),
                                 course->title, n_done, day);
      if (!kdx_journal_append (store, "assignment", course->uuid, "complete", summary,
                               NULL, json, error))
        goto out;
      kdx_store_mark_changed (store, "assignment", 0);
    }
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

static char *
assignment_to_json (const KdxAssignment *a)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int_member (b, "id", a->id);
  add_string_member (b, "person", a->person_uuid);
  add_string_member (b, "course", a->course_uuid);
  add_string_member (b, "source", source_ids[a->source]);
  add_string_member (b, "rule", a->rule_uuid);
  add_int_member (b, "previous", a->previous_id);
  add_string_member (b, "assigned", a->assigned);
  add_string_member (b, "due", a->due);
  add_string_member (b, "completed", a->completed);
  json_builder_set_member_name (b, "score");
  if (a->score >= 0)
    json_builder_add_double_value (b, a->score);
  else
    json_builder_add_null_value (b);
  add_string_member (b, "expires", a->expires);
  json_builder_set_member_name (b, "current");
  json_builder_add_boolean_value (b, a->current);
  json_builder_end_object (b);

  return builder_to_string (b);
}

static gboolean
exec_id (KdxStore    *store,
         const char  *sql,
         gint64       id,
         GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = kdx_store_prepare_cached (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);

  return kdx_store_step_done (store, stmt, error);
}

/* The open round that followed @id (a recertification made before the
 * completion was taken back), or 0. */
static gint64
open_successor (KdxStore *store,
                gint64    id)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT id FROM assignment WHERE previous_id = ?1 "
                                   "AND current = 1 AND completed IS NULL", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int64 (stmt, 0);
}

gboolean
kdx_assignment_reopen (KdxStore  *store,
                       gint64     assignment_id,
                       GError   **error)
{
  g_autoptr(KdxAssignment) before = NULL;
  g_autoptr(KdxAssignment) after = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  g_autofree char *summary = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_assignment_load (store, assignment_id, NULL, error);
  if (before == NULL)
    goto out;
  if (before->completed == NULL)
    {
      ok = TRUE;
      goto out;
    }
  if (!before->current)
    {
      /* Only the last completion can be taken back; a round that
       * recertification opened after it goes with it. */
      gint64 next = open_successor (store, assignment_id);

      if (next == 0)
        {
          set_invalid (error, _("Only the latest completion of a course can be taken back"));
          goto out;
        }
      if (!exec_id (store, "DELETE FROM assignment WHERE id = ?1", next, error) ||
          !exec_id (store, "UPDATE assignment SET current = 1 WHERE id = ?1", assignment_id, error))
        goto out;
    }
  if (!write_completion (store, assignment_id, NULL, -1, NULL, error) ||
      (before->previous_id > 0 &&
       !exec_id (store, "UPDATE assignment SET expires = (SELECT p.expires FROM assignment p"
                 " WHERE p.id = assignment.previous_id) WHERE id = ?1", assignment_id, error)))
    goto out;

  after = kdx_assignment_load (store, assignment_id, NULL, error);
  if (after == NULL)
    goto out;
  before_json = assignment_to_json (before);
  after_json = assignment_to_json (after);
  summary = g_strdup_printf (_("%s: completion by %s taken back"), before->course_title,
                             before->person_name);
  if (!kdx_journal_append (store, "assignment", before->course_uuid, "reopen", summary,
                           before_json, after_json, error))
    goto out;
  kdx_store_mark_changed (store, "assignment", assignment_id);
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_assignment_delete (KdxStore  *store,
                       gint64     assignment_id,
                       GError   **error)
{
  g_autoptr(KdxAssignment) before = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *summary = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_assignment_load (store, assignment_id, NULL, error);
  if (before == NULL)
    goto out;
  if (before->completed != NULL)
    {
      set_invalid (error, _("A completed assignment is evidence of training and cannot be removed"));
      goto out;
    }
  if (!exec_id (store, "DELETE FROM assignment WHERE id = ?1", assignment_id, error))
    goto out;
  /* The round it renewed is the current one again. */
  if (before->previous_id > 0 && before->current &&
      !exec_id (store, "UPDATE assignment SET current = 1 WHERE id = ?1", before->previous_id,
                error))
    goto out;

  before_json = assignment_to_json (before);
  summary = g_strdup_printf (_("%s: assignment of %s removed"), before->course_title,
                             before->person_name);
  if (!kdx_journal_append (store, "assignment", before->course_uuid, "delete", summary,
                           before_json, NULL, error))
    goto out;
  kdx_store_mark_changed (store, "assignment", assignment_id);
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

/* ------------------------------------------------------------------ */
/* The list of current rounds                                          */

struct _KdxAssignmentItem
{
  GObject        parent_instance;
  KdxAssignment *row;
};

G_DEFINE_FINAL_TYPE (KdxAssignmentItem, kdx_assignment_item, G_TYPE_OBJECT)

static void
kdx_assignment_item_finalize (GObject *object)
{
  KdxAssignmentItem *self = KDX_ASSIGNMENT_ITEM (object);

  kdx_assignment_free (self->row);

  G_OBJECT_CLASS (kdx_assignment_item_parent_class)->finalize (object);
}

static void
kdx_assignment_item_class_init (KdxAssignmentItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_assignment_item_finalize;
}

static void
kdx_assignment_item_init (KdxAssignmentItem *self)
{
}

const KdxAssignment *
kdx_assignment_item_get (KdxAssignmentItem *self)
{
  g_return_val_if_fail (KDX_IS_ASSIGNMENT_ITEM (self), NULL);
  return self->row;
}

static char *
like_pattern (const char *text)
{
  GString *s = g_string_new ("%");

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');

  return g_string_free (s, FALSE);
}

/* The list is chosen by id (kdx_query_model_set_ids_func()): one query
 * filters and sorts the rounds when the filter or the rounds change, and
 * pages are read by id. Sorting 1,000,000 rounds by due date takes a
 * second; a LIMIT/OFFSET query per page would sort them again for every
 * page.
 *
 * The rows need the list's day for their status, but the page query
 * binds only the ids: it reads the day from kdx_training_list_day (N),
 * a function of ours that knows each list's day by its number N. */
typedef struct
{
  KdxStore          *store;
  guint              number;
  char              *today;
  char              *horizon;
  char              *course_uuid;
  char              *department;
  char              *person_uuid;
  char              *name_like;
  char              *email_like;
  int                status;
  KdxAssignmentSort  sort;
  gboolean           descending;
  /* kdx_course_rounds_new(), at the last count: */
  gint64             course_id;    /* 0: no such course */
  guint              n_status[KDX_ASSIGNMENT_N_STATUSES];
  gboolean           dense;        /* the filter lets many through */
} AssignmentList;

/* Defines the SQL function @name (scalar with @func, aggregate with
 * @step and @final) on the connection of @store, once: defining it
 * again would expire the connection's prepared statements. */
static void
ensure_function (KdxStore   *store,
                 const char *name,
                 int         n_args,
                 void      (*func) (sqlite3_context *, int, sqlite3_value **),
                 void      (*step) (sqlite3_context *, int, sqlite3_value **),
                 void      (*final) (sqlite3_context *))
{
  if (g_object_get_data (G_OBJECT (store), name) != NULL)
    return;
  if (sqlite3_create_function_v2 (kdx_store_get_db (store), name, n_args,
                                  SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, func, step, final,
                                  NULL) == SQLITE_OK)
    g_object_set_data (G_OBJECT (store), name, GINT_TO_POINTER (1));
}

G_LOCK_DEFINE_STATIC (list_days);
static GHashTable *list_days;   /* number → today */
static guint last_list_number;

static void
list_day_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  guint number = (guint) sqlite3_value_int64 (argv[0]);
  const char *day;

  G_LOCK (list_days);
  day = list_days ? g_hash_table_lookup (list_days, GUINT_TO_POINTER (number)) : NULL;
  if (day != NULL)
    sqlite3_result_text (context, day, -1, SQLITE_TRANSIENT);
  else
    sqlite3_result_null (context);
  G_UNLOCK (list_days);
}

static void
set_list_day (guint       number,
              const char *day)
{
  G_LOCK (list_days);
  if (list_days == NULL)
    list_days = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (day != NULL)
    g_hash_table_replace (list_days, GUINT_TO_POINTER (number), g_strdup (day));
  else
    g_hash_table_remove (list_days, GUINT_TO_POINTER (number));
  G_UNLOCK (list_days);
}

static void
assignment_list_free (AssignmentList *list)
{
  set_list_day (list->number, NULL);
  g_free (list->today);
  g_free (list->horizon);
  g_free (list->course_uuid);
  g_free (list->department);
  g_free (list->person_uuid);
  g_free (list->name_like);
  g_free (list->email_like);
  g_free (list);
}

static GQuark
assignment_list_quark (void)
{
  return g_quark_from_static_string ("kdx-assignment-list");
}

/* The rows of a page: as ASSIGNMENT_COLUMNS, with the list's day in
 * place of the status, then the completion of the round renewed. */
#define LIST_ROWS                                                           \
  "SELECT a.id, p.uuid, p.name, p.email, p.department, c.uuid, c.title, a.source, " \
  "r.uuid, a.previous_id, a.assigned, a.due, a.completed, a.score, a.expires, " \
  "a.current, kdx_training_list_day (%u), v.completed"                      \
  " FROM json_each(?1) j JOIN assignment a ON a.id = j.value"               \
  " JOIN person p ON p.id = a.person_id JOIN course c ON c.id = a.course_id" \
  " LEFT JOIN assignment_rule r ON r.id = a.rule_id"                        \
  " LEFT JOIN assignment v ON v.id = a.previous_id"

static gpointer
list_item_from_row (sqlite3_stmt *stmt)
{
  KdxAssignmentItem *item = g_object_new (KDX_TYPE_ASSIGNMENT_ITEM, NULL);
  KdxAssignment *a = assignment_from_row (stmt);
  const char *day = (const char *) sqlite3_column_text (stmt, 16);

  a->status = kdx_assignment_status_for (a->due, a->completed, a->expires, day);
  a->renews_completed = kdx_store_column_text (stmt, 17);
  item->row = a;

  return item;
}

/* The rounds the filter lets through, in its order. By department, the
 * rounds of people with a department come first, then those without: so
 * each part walks person_live_by_department or the names in order, where
 * one ORDER BY department IS NULL would sort all 1,000,000 rounds. */
static GArray *
choose_rounds (KdxQueryModel *model,
               gpointer       user_data)
{
  static const char *orders[] = {
    [KDX_ASSIGNMENT_SORT_PERSON] = "p.sort_key %s, c.sort_key, a.id",
    [KDX_ASSIGNMENT_SORT_DEPARTMENT] = "p.department %s, p.sort_key, c.sort_key, a.id",
    [KDX_ASSIGNMENT_SORT_COURSE] = "c.sort_key %s, p.sort_key, a.id",
    [KDX_ASSIGNMENT_SORT_DUE] = "a.due IS NULL, a.due %s, p.sort_key, a.id",
    [KDX_ASSIGNMENT_SORT_STATUS] = STATUS_SQL " %s, p.sort_key, c.sort_key, a.id",
    [KDX_ASSIGNMENT_SORT_COMPLETED] = "a.completed IS NULL, a.completed %s, p.sort_key, a.id",
  };
  AssignmentList *list = user_data;
  gboolean by_department = list->sort == KDX_ASSIGNMENT_SORT_DEPARTMENT;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint pass = 0; pass < (by_department ? 2u : 1u); pass++)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autoptr(GError) error = NULL;
      int rc;

      /* Only fixed fragments go into the SQL; ?1 and ?2 are the days of
       * STATUS_SQL, the filter's values ?3 on. */
      g_string_append (sql, "SELECT a.id FROM assignment a JOIN person p ON p.id = a.person_id "
                            "JOIN course c ON c.id = a.course_id "
                            "WHERE a.current = 1 AND p.trashed IS NULL AND p.active = 1 "
                            "AND c.trashed IS NULL AND ?1 IS NOT NULL AND ?2 IS NOT NULL");
      if (list->course_uuid != NULL)
        g_string_append (sql, " AND c.uuid = ?3");
      if (list->department != NULL)
        g_string_append (sql, *list->department == '\0' ? " AND p.department IS NULL"
                                                         : " AND p.department = ?4");
      if (list->person_uuid != NULL)
        g_string_append (sql, " AND p.uuid = ?5");
      if (list->name_like != NULL)
        g_string_append (sql, " AND (p.sort_key LIKE ?6 ESCAPE '\\' "
                              "OR p.email LIKE ?7 ESCAPE '\\')");
      if (list->status >= 0)
        g_string_append (sql, " AND " STATUS_SQL " = ?8");
      if (by_department)
        g_string_append (sql, pass == 0 ? " AND p.department IS NOT NULL"
                                        : " AND p.department IS NULL");
      g_string_append (sql, " ORDER BY ");
      if (by_department && pass == 1)
        g_string_append (sql, "p.sort_key, c.sort_key, a.id");
      else
        g_string_append_printf (sql, orders[list->sort], list->descending ? "DESC" : "ASC");

      stmt = kdx_store_prepare (list->store, sql->str, &error);
      if (stmt == NULL)
        {
          g_warning ("Cannot list the rounds: %s", error->message);
          return ids;
        }
      bind_today (stmt, list->today);
      kdx_store_bind_text_or_null (stmt, 3, list->course_uuid);
      kdx_store_bind_text_or_null (stmt, 4, list->department);
      kdx_store_bind_text_or_null (stmt, 5, list->person_uuid);
      kdx_store_bind_text_or_null (stmt, 6, list->name_like);
      kdx_store_bind_text_or_null (stmt, 7, list->email_like);
      sqlite3_bind_int (stmt, 8, list->status);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
        }
      if (rc != SQLITE_DONE)
        g_warning ("Cannot list the rounds: %s",
                   sqlite3_errmsg (kdx_store_get_db (list->store)));
    }

  return ids;
}


/* A list of today, any status, by person. */
static AssignmentList *
assignment_list_new (KdxStore *store)
{
  AssignmentList *list = g_new0 (AssignmentList, 1);

  ensure_function (store, "kdx_training_list_day", 1, list_day_func, NULL, NULL);
  list->store = store;
  list->number = g_atomic_int_add (&last_list_number, 1) + 1;
  list->today = local_today ();
  list->horizon = add_days (list->today, KDX_TRAINING_RECERTIFY_DAYS);
  list->status = -1;
  set_list_day (list->number, list->today);

  return list;
}

/* Takes @filter over; the caller reloads. */
static void
assignment_list_set_filter (AssignmentList            *list,
                            const KdxAssignmentFilter *filter)
{
  g_autofree char *search = NULL;

  g_free (list->today);
  list->today = filter->today && is_day (filter->today) ? g_strdup (filter->today)
                                                         : local_today ();
  g_free (list->horizon);
  list->horizon = add_days (list->today, KDX_TRAINING_RECERTIFY_DAYS);
  set_list_day (list->number, list->today);
  g_free (list->course_uuid);
  list->course_uuid = g_strdup (filter->course_uuid);
  /* "" is the people without a department. */
  g_free (list->department);
  list->department = g_strdup (filter->department);
  g_free (list->person_uuid);
  list->person_uuid = g_strdup (filter->person_uuid);
  g_clear_pointer (&list->name_like, g_free);
  g_clear_pointer (&list->email_like, g_free);
  search = filter->search ? g_strstrip (g_strdup (filter->search)) : NULL;
  if (search != NULL && *search != '\0')
    {
      g_autofree char *folded = kdx_fold_text (search);
      g_autofree char *lower = g_utf8_strdown (search, -1);

      list->name_like = like_pattern (folded);
      list->email_like = like_pattern (lower);
    }
  list->status = filter->status >= 0 && filter->status < KDX_ASSIGNMENT_N_STATUSES
                 ? filter->status : -1;
  list->sort = filter->sort <= KDX_ASSIGNMENT_SORT_COMPLETED ? filter->sort
                                                             : KDX_ASSIGNMENT_SORT_PERSON;
  list->descending = !!filter->descending;
}

/* How many rounds the Overdue list binds after a reload. */
#define OVERDUE_HEAD 256

/* Overdue: STATUS_SQL's 1, for the round @a. */
#define OVERDUE_TEST                                                        \
  "a.current = 1 AND a.completed IS NULL AND a.due < ?1 "                   \
  "AND (a.expires IS NULL OR a.expires <= ?1)"

/* The current rounds of live, active people in live courses that pass
 * @test (on a round a), counted from the indexes: all the rounds that
 * pass it (@all, read as SQLite chooses) less those of people who left
 * and of trashed courses, rather than joining each round to its person
 * (the large demo's 142,000 overdue rounds: 0.12 s instead of 0.5 s). */
#define COUNT_LIVE(all, test)                                                   \
  "SELECT (SELECT count(*) FROM " all " WHERE a.current = 1 AND " test ")"      \
  " - (SELECT count(*) FROM (SELECT id FROM person WHERE trashed IS NOT NULL"   \
  "    UNION ALL SELECT id FROM person WHERE trashed IS NULL AND active = 0) p"  \
  "    CROSS JOIN assignment a WHERE a.person_id = p.id AND a.current = 1"      \
  "    AND " test ")"                                                            \
  " - (SELECT count(*) FROM course c CROSS JOIN assignment a CROSS JOIN person p" \
  "    WHERE c.trashed IS NOT NULL AND a.course_id = c.id AND a.current = 1"     \
  "    AND p.id = a.person_id AND p.trashed IS NULL AND p.active = 1"            \
  "    AND " test ")"

static gint64
count_live (KdxStore   *store,
            const char *sql,
            const char *day1,
            const char *day2)
{
  g_autoptr(KdxCachedStmt) stmt = kdx_store_prepare_cached (store, sql, NULL);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, day1, -1, SQLITE_TRANSIENT);
  if (day2 != NULL)
    sqlite3_bind_text (stmt, 2, day2, -1, SQLITE_TRANSIENT);

  return sqlite3_step (stmt) == SQLITE_ROW ? MAX (sqlite3_column_int64 (stmt, 0), 0) : -1;
}

gint64
kdx_training_count_overdue (KdxStore   *store,
                            const char *today)
{
  g_autofree char *day = dup_today (today);

  g_return_val_if_fail (KDX_IS_STORE (store), -1);

  /* Read from the covering index assignment_by_person. */
  return count_live (store, COUNT_LIVE ("assignment a INDEXED BY assignment_by_person",
                                        OVERDUE_TEST), day, NULL);
}

gint64
kdx_training_count_expiring (KdxStore   *store,
                             const char *today,
                             const char *until)
{
  g_autofree char *day = dup_today (today);

  g_return_val_if_fail (KDX_IS_STORE (store), -1);
  g_return_val_if_fail (until != NULL, -1);

  /* Read from the covering index assignment_by_expiry. */
  return count_live (store, COUNT_LIVE ("assignment a", "a.expires IS NOT NULL "
                                        "AND a.expires > ?1 AND a.expires <= ?2"), day, until);
}

/* The first rounds of a list of everyone's overdue rounds, longest
 * overdue first (the Training page's Overdue view as it opens), and how
 * many there are; NULL for any other list, which is chosen whole. Every
 * overdue round (142,000 of the large demo) in the list's order takes
 * 0.7 s: the count is kdx_training_count_overdue(), and the first rounds
 * come in the order of assignment_open_by_due (0.15 s together). The
 * rest are chosen whole when someone scrolls past them. */
static GArray *
choose_overdue_head (KdxQueryModel *model,
                     guint          limit,
                     guint         *n_items,
                     gpointer       user_data)
{
  AssignmentList *list = user_data;
  g_autoptr(KdxCachedStmt) first = NULL;
  gint64 n;
  GArray *ids;
  int rc;

  if (list->status != KDX_ASSIGNMENT_OVERDUE || list->course_uuid != NULL ||
      list->department != NULL || list->person_uuid != NULL || list->name_like != NULL ||
      list->sort != KDX_ASSIGNMENT_SORT_DUE || list->descending)
    return NULL;

  /* choose_rounds()'s order for these rounds, whose due date is set. */
  first = kdx_store_prepare_cached (list->store,
                                    "SELECT a.id FROM assignment a"
                                    " JOIN person p ON p.id = a.person_id"
                                    " JOIN course c ON c.id = a.course_id"
                                    " WHERE " OVERDUE_TEST " AND p.trashed IS NULL AND p.active = 1"
                                    " AND c.trashed IS NULL ORDER BY a.due, p.sort_key, a.id LIMIT ?2",
                                    NULL);
  n = kdx_training_count_overdue (list->store, list->today);
  if (first == NULL || n < 0)
    return NULL;
  *n_items = (guint) n;

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_bind_text (first, 1, list->today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (first, 2, (int) limit);
  while ((rc = sqlite3_step (first)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (first, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      g_array_unref (ids);
      return NULL;
    }

  return ids;
}

/* A list model of @list's rounds (items KdxAssignmentItem), chosen by
 * @ids_func, and at first by @head_func (may be NULL) if it takes the
 * list's filter. */
static KdxQueryModel *
list_model_new (AssignmentList   *list,
                KdxQueryIdsFunc   ids_func,
                KdxQueryHeadFunc  head_func,
                guint             head_limit)
{
  KdxQueryModel *model = kdx_query_model_new (list->store, KDX_TYPE_ASSIGNMENT_ITEM,
                                              list_item_from_row);
  /* The number is ours, not a value from outside. */
  g_autofree char *rows_sql = g_strdup_printf (LIST_ROWS, list->number);

  g_object_set_qdata (G_OBJECT (model), assignment_list_quark (), list);
  kdx_query_model_set_ids_func (model, rows_sql, ids_func, list,
                                (GDestroyNotify) assignment_list_free);
  if (head_func != NULL)
    kdx_query_model_set_head_func (model, head_func, head_limit);

  return model;
}

GListModel *
kdx_assignment_model_new (KdxStore *store)
{
  KdxQueryModel *model;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  model = list_model_new (assignment_list_new (store), choose_rounds, choose_overdue_head,
                          OVERDUE_HEAD);
  kdx_query_model_watch (model, "assignment");
  kdx_query_model_watch (model, "course");
  kdx_query_model_watch (model, "person");

  return G_LIST_MODEL (model);
}

void
kdx_assignment_model_set_filter (GListModel                *model,
                                 const KdxAssignmentFilter *filter)
{
  AssignmentList *list;

  g_return_if_fail (KDX_IS_QUERY_MODEL (model));
  g_return_if_fail (filter != NULL);

  list = g_object_get_qdata (G_OBJECT (model), assignment_list_quark ());
  g_return_if_fail (list != NULL);

  assignment_list_set_filter (list, filter);
  kdx_query_model_reload (KDX_QUERY_MODEL (model));
}

/* ------------------------------------------------------------------ */
/* Status views                                                        */

void
kdx_training_summary_free (KdxTrainingSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->key);
  g_free (summary->label);
  g_free (summary);
}

/* The status views read every current round once: 1,000,000 of them in
 * the large demo, by department within 300 ms. Grouping and counting them
 * in SQL (a join with person, GROUP BY, sum() of the status comparisons)
 * costs 0.7 s of processor time there, most of it evaluating aggregates
 * row by row; so SQL reads the rounds from a covering index
 * (assignment_by_person: no table page is touched) into an aggregate
 * function of ours, which counts them into groups that it finds by id in
 * arrays: 0.17 s.
 *
 * A map from row ids to small numbers: an array where ids are dense (as
 * the ids of a table that only grows are), a hash table otherwise. */
typedef struct
{
  gint32     *dense;    /* value + 1, 0 for none */
  gint64      n_dense;
  GHashTable *sparse;   /* gint64* → value + 1 */
} IdMap;

static void
id_map_init (IdMap  *map,
             gint64  max_id,
             gint64  n_ids)
{
  memset (map, 0, sizeof *map);
  if (max_id >= 0 && max_id < n_ids * 4 + 65536)
    {
      map->n_dense = max_id + 1;
      map->dense = g_new0 (gint32, map->n_dense);
    }
  else
    map->sparse = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
id_map_clear (IdMap *map)
{
  g_clear_pointer (&map->dense, g_free);
  g_clear_pointer (&map->sparse, g_hash_table_unref);
}

static void
id_map_set (IdMap  *map,
            gint64  id,
            gint32  value)
{
  if (map->dense != NULL)
    {
      if (id >= 0 && id < map->n_dense)
        map->dense[id] = value + 1;
    }
  else
    g_hash_table_insert (map->sparse, g_memdup2 (&id, sizeof id), GINT_TO_POINTER (value + 1));
}

/* -1 for none. */
static inline gint32
id_map_get (const IdMap *map,
            gint64       id)
{
  if (map->dense != NULL)
    return id >= 0 && id < map->n_dense ? map->dense[id] - 1 : -1;

  return GPOINTER_TO_INT (g_hash_table_lookup (map->sparse, &id)) - 1;
}

typedef struct
{
  KdxTrainingSummary *summary;
  char               *sort_key;
  gint64              id;
} Group;

static void
group_free (Group *group)
{
  kdx_training_summary_free (group->summary);
  g_free (group->sort_key);
  g_free (group);
}

static Group *
group_new (GPtrArray  *groups,
           char       *key,
           char       *label,
           char       *sort_key,
           gint64      id)
{
  Group *group = g_new0 (Group, 1);

  group->summary = g_new0 (KdxTrainingSummary, 1);
  group->summary->key = key;
  group->summary->label = label;
  group->sort_key = sort_key;
  group->id = id;
  g_ptr_array_add (groups, group);

  return group;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const Group *ga = *(Group * const *) a;
  const Group *gb = *(Group * const *) b;
  int cmp = strcmp (ga->sort_key, gb->sort_key);

  if (cmp != 0)
    return cmp;

  return ga->id < gb->id ? -1 : ga->id > gb->id;
}

typedef struct
{
  const char *today;
  const char *d30;
  const char *d60;
  const char *d90;
} StatusDays;

/* A round is open (with its due date as @day) or completed (with its
 * expiry as @day). */
static inline void
count_round (KdxTrainingSummary *s,
             gboolean            open,
             const char         *day,
             const StatusDays   *days)
{
  if (open)
    {
      if (day != NULL && strcmp (day, days->today) < 0)
        s->n_status[KDX_ASSIGNMENT_OVERDUE]++;
      else
        s->n_status[KDX_ASSIGNMENT_ASSIGNED]++;
    }
  else if (day == NULL || strcmp (day, days->d90) > 0)
    s->n_status[KDX_ASSIGNMENT_COMPLETED]++;
  else if (strcmp (day, days->today) <= 0)
    s->n_status[KDX_ASSIGNMENT_EXPIRED]++;
  else
    {
      s->n_status[KDX_ASSIGNMENT_EXPIRING]++;
      s->n_expiring_90++;
      if (strcmp (day, days->d60) <= 0)
        s->n_expiring_60++;
      if (strcmp (day, days->d30) <= 0)
        s->n_expiring_30++;
    }
}

static gboolean
progress_cb (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/* The people (live, active, of @department when it is not NULL; "" is
 * none) with their group: their department's, their own, or (by course)
 * 0 for all. */
static gboolean
read_people (KdxStore             *store,
             KdxTrainingGrouping   grouping,
             const char           *department,
             IdMap                *people,
             GPtrArray            *groups,
             GError              **error)
{
  g_autoptr(GHashTable) departments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(KdxCachedStmt) range = NULL;
  const char *where = department == NULL ? "" : *department == '\0' ? " AND department IS NULL"
                                                                     : " AND department = ?1";
  g_autofree char *sql = NULL;
  int rc;

  range = kdx_store_prepare_cached (store, "SELECT coalesce(max(id), 0), count(*) FROM person",
                                    error);
  if (range == NULL || sqlite3_step (range) != SQLITE_ROW)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  id_map_init (people, sqlite3_column_int64 (range, 0), sqlite3_column_int64 (range, 1));

  /* Only fixed fragments go into the SQL. */
  sql = g_strconcat (grouping == KDX_TRAINING_BY_PERSON
                       ? "SELECT id, department, uuid, name, sort_key"
                       : "SELECT id, department",
                     " FROM person WHERE trashed IS NULL AND active = 1", where, NULL);
  stmt = kdx_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (department != NULL && *department != '\0')
    sqlite3_bind_text (stmt, 1, department, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *dep = (const char *) sqlite3_column_text (stmt, 1);
      gpointer index;

      switch (grouping)
        {
        case KDX_TRAINING_BY_COURSE:
          id_map_set (people, id, 0);
          break;
        case KDX_TRAINING_BY_DEPARTMENT:
          if (dep == NULL)
            dep = "";
          if (!g_hash_table_lookup_extended (departments, dep, NULL, &index))
            {
              Group *group = group_new (groups, g_strdup (dep), g_strdup (dep), g_strdup (dep), 0);

              index = GINT_TO_POINTER (groups->len - 1);
              g_hash_table_insert (departments, group->summary->key, index);
            }
          id_map_set (people, id, GPOINTER_TO_INT (index));
          break;
        case KDX_TRAINING_BY_PERSON:
          group_new (groups, kdx_store_column_text (stmt, 2), kdx_store_column_text (stmt, 3),
                     kdx_store_column_text (stmt, 4), id);
          id_map_set (people, id, (gint32) groups->len - 1);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  return TRUE;
}

/* The live courses (or only @course_id), with their group by course, or
 * 0. */
static gboolean
read_courses (KdxStore             *store,
              KdxTrainingGrouping   grouping,
              gint64                course_id,
              IdMap                *courses,
              GPtrArray            *groups,
              GError              **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  int rc;

  id_map_init (courses, kdx_store_count (store, "SELECT coalesce(max(id), 0) FROM course"),
               kdx_course_count (store));
  stmt = kdx_store_prepare_cached (store, "SELECT id, uuid, title, sort_key FROM course "
                                   "WHERE trashed IS NULL AND (?1 IS NULL OR id = ?1)", error);
  if (stmt == NULL)
    return FALSE;
  if (course_id > 0)
    sqlite3_bind_int64 (stmt, 1, course_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (grouping == KDX_TRAINING_BY_COURSE)
        {
          group_new (groups, kdx_store_column_text (stmt, 1), kdx_store_column_text (stmt, 2),
                     kdx_store_column_text (stmt, 3), id);
          id_map_set (courses, id, (gint32) groups->len - 1);
        }
      else
        id_map_set (courses, id, 0);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  return TRUE;
}

/* What one count of the status views needs. */
typedef struct
{
  gint64               course_id;
  const char          *department;
  gboolean             with_course;
  KdxTrainingGrouping  grouping;
  const IdMap         *people;
  const IdMap         *courses;
  const StatusDays    *days;
  GPtrArray           *groups;      /* Group */
  gint64              *last_person; /* per group */
} StatusPart;

#define STATUS_PART_POINTER "kdx-training-status-part"

/* kdx_training_count (part, person, course, open, due, expires): counts one round
 * into its group. An aggregate that SQLite calls saves returning each row
 * to C (about a fifth of the time). */
static void
count_step (sqlite3_context  *context,
            int               argc,
            sqlite3_value   **argv)
{
  StatusPart *part = sqlite3_value_pointer (argv[0], STATUS_PART_POINTER);
  gint64 person = sqlite3_value_int64 (argv[1]);
  KdxTrainingSummary *summary;
  gint32 by_person, by_course = 0;
  gint32 group;

  if (part == NULL)
    return;
  by_person = id_map_get (part->people, person);
  if (part->with_course)
    by_course = id_map_get (part->courses, sqlite3_value_int64 (argv[2]));
  if (by_person < 0 || by_course < 0)
    return;
  group = part->grouping == KDX_TRAINING_BY_COURSE ? by_course : by_person;
  summary = ((Group *) part->groups->pdata[group])->summary;
  {
    /* An open round is counted by its due date, unless it renews a
     * certificate still valid: then by that certificate's expiry. */
    const char *due = (const char *) sqlite3_value_text (argv[4]);
    const char *expires = (const char *) sqlite3_value_text (argv[5]);
    gboolean open = sqlite3_value_int (argv[3]) != 0 &&
                    (expires == NULL || strcmp (expires, part->days->today) <= 0);

    count_round (summary, open, open ? due : expires, part->days);
  }
  /* One round per person and course, and rows come by person: a group
   * counts someone once when their first round comes. */
  if (part->last_person[group] != person)
    {
      summary->n_people++;
      part->last_person[group] = person;
    }
}

static void
count_final (sqlite3_context *context)
{
  sqlite3_result_null (context);
}

static void
ensure_count_function (KdxStore *store)
{
  ensure_function (store, "kdx_training_count", 6, NULL, count_step, count_final);
}

/* Counts the current rounds, read from the covering index
 * assignment_by_person: the person, the course (0 unless it matters),
 * whether the round is open, and its due date if it is or its expiry if
 * not. One department's rounds are found from its people. */
static sqlite3_stmt *
prepare_rounds (KdxStore    *store,
                StatusPart  *part,
                GError     **error)
{
  g_autofree char *sql = NULL;
  const char *department = part->department;
  sqlite3_stmt *stmt;

  /* Only fixed fragments go into the SQL. */
  sql = g_strconcat ("SELECT kdx_training_count (?5, a.person_id, ",
                     part->with_course ? "a.course_id" : "0",
                     ", a.completed IS NULL, a.due, a.expires) ",
                     department == NULL
                       ? "FROM assignment a INDEXED BY assignment_by_person WHERE a.current = 1 "
                       : "FROM person p JOIN assignment a ON a.person_id = p.id AND a.current = 1 "
                         "WHERE p.trashed IS NULL AND p.active = 1 ",
                     department == NULL ? ""
                       : *department == '\0' ? "AND p.department IS NULL "
                       : "AND p.department = ?2 ",
                     "AND (?1 IS NULL OR a.course_id = ?1)", NULL);
  ensure_count_function (store);
  stmt = kdx_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (part->course_id > 0)
    sqlite3_bind_int64 (stmt, 1, part->course_id);
  if (department != NULL && *department != '\0')
    sqlite3_bind_text (stmt, 2, department, -1, SQLITE_TRANSIENT);
  sqlite3_bind_pointer (stmt, 5, part, STATUS_PART_POINTER, NULL);

  return stmt;
}

/* Counts the rounds into @groups. (Counting stretches of people side by
 * side, on readers in threads, was tried: on two processors it cost a
 * third more processor time than it saved.) */
static gboolean
count_rounds (KdxStore             *store,
              KdxTrainingGrouping   grouping,
              gint64                course_id,
              const char           *department,
              const IdMap          *people,
              const IdMap          *courses,
              const StatusDays     *days,
              GPtrArray            *groups,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree gint64 *last_person = g_new (gint64, MAX (groups->len, 1));
  StatusPart part = {
    .course_id = course_id,
    .department = department,
    .grouping = grouping,
    .people = people,
    .courses = courses,
    .days = days,
    .groups = groups,
    .last_person = last_person,
  };
  int rc;

  for (guint i = 0; i < groups->len; i++)
    last_person[i] = -1;
  /* The course of a round matters to group by it, or to leave out the
   * rounds of trashed courses; one course's rounds are chosen in SQL. */
  part.with_course = grouping == KDX_TRAINING_BY_COURSE ||
                     (course_id == 0 &&
                      kdx_store_count (store, "SELECT count(*) FROM course "
                                              "WHERE trashed IS NOT NULL") > 0);

  stmt = prepare_rounds (store, &part, error);
  if (stmt == NULL)
    return FALSE;
  if (cancellable != NULL)
    sqlite3_progress_handler (kdx_store_get_db (store), 100000, progress_cb, cancellable);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (cancellable != NULL)
    sqlite3_progress_handler (kdx_store_get_db (store), 0, NULL, NULL);
  if (rc != SQLITE_DONE)
    {
      if (!g_cancellable_set_error_if_cancelled (cancellable, error))
        kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  return TRUE;
}

GPtrArray *
kdx_training_status (KdxStore            *store,
                     KdxTrainingGrouping  grouping,
                     const char          *course_uuid,
                     const char          *department,
                     const char          *today,
                     GCancellable        *cancellable,
                     GError             **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *day = dup_today (today);
  g_autofree char *d30 = NULL, *d60 = NULL, *d90 = NULL;
  IdMap people = { 0 }, courses = { 0 };
  StatusDays days;
  GPtrArray *result = NULL;
  gint64 course_id = 0;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (grouping <= KDX_TRAINING_BY_PERSON, NULL);

  if (!is_day (day))
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE,
                   _("“%s” is not a date (YYYY-MM-DD)"), day);
      return NULL;
    }
  if (course_uuid != NULL)
    {
      course_id = live_course_id (store, course_uuid);
      if (course_id == 0)
        {
          set_unknown_course (course_uuid, error);
          return NULL;
        }
    }
  d30 = add_days (day, 30);
  d60 = add_days (day, 60);
  d90 = add_days (day, KDX_TRAINING_RECERTIFY_DAYS);
  days = (StatusDays) { day, d30, d60, d90 };

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  if (!read_people (store, grouping, department, &people, groups, error) ||
      !read_courses (store, grouping, course_id, &courses, groups, error) ||
      !count_rounds (store, grouping, course_id, department, &people, &courses, &days, groups,
                     cancellable, error))
    goto out;

  g_ptr_array_sort (groups, compare_groups);
  result = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_training_summary_free);
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = groups->pdata[i];
      KdxTrainingSummary *s = group->summary;
      guint rounds = 0;

      for (guint k = 0; k < KDX_ASSIGNMENT_N_STATUSES; k++)
        rounds += s->n_status[k];
      if (rounds == 0)
        continue;
      s->completion = (double) (s->n_status[KDX_ASSIGNMENT_COMPLETED] +
                                s->n_status[KDX_ASSIGNMENT_EXPIRING]) / rounds;
      g_ptr_array_add (result, g_steal_pointer (&group->summary));
    }

out:
  id_map_clear (&people);
  id_map_clear (&courses);

  return result;
}

/* ------------------------------------------------------------------ */
/* Competence gate                                                     */

void
kdx_competence_gap_free (KdxCompetenceGap *gap)
{
  if (gap == NULL)
    return;
  g_free (gap->system_uuid);
  g_free (gap->system_key);
  g_free (gap->system_name);
  g_free (gap->person_uuid);
  g_free (gap->person_name);
  g_free (gap->course_uuid);
  g_free (gap->course_title);
  g_free (gap);
}

/* Overseer × course pairs that an overseers rule asks for and that lack a
 * valid completion on ?1 (any round completed and not expired): the
 * gaps. ?3 limits to one system (NULL: all). */
#define GAPS_FROM                                                           \
  " FROM assignment_rule r"                                                 \
  " JOIN course c ON c.id = r.course_id AND c.trashed IS NULL"              \
  " JOIN ai_system s ON s.trashed IS NULL AND (r.system_id IS NULL OR s.id = r.system_id)" \
  " JOIN system_overseer o ON o.system_id = s.id"                           \
  " JOIN person p ON p.id = o.person_id AND p.trashed IS NULL"              \
  " WHERE r.kind = 'overseers'"                                             \
  " AND NOT EXISTS (SELECT 1 FROM assignment v WHERE v.person_id = p.id"    \
  "   AND v.course_id = c.id AND v.completed IS NOT NULL"                   \
  "   AND (v.expires IS NULL OR v.expires > ?1))"

GPtrArray *
kdx_training_competence_gaps (KdxStore    *store,
                              const char  *system_uuid,
                              const char  *today,
                              GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *day = dup_today (today);
  GPtrArray *gaps;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT s.uuid, s.key, s.name, p.uuid, p.name, c.uuid, c.title, "
                                   "(SELECT " STATUS_SQL " FROM assignment a WHERE a.person_id = p.id"
                                   " AND a.course_id = c.id AND a.current = 1)"
                                   GAPS_FROM " AND (?3 IS NULL OR s.uuid = ?3)"
                                   " GROUP BY s.id, p.id, c.id"
                                   " ORDER BY s.sort_key, s.id, p.sort_key, p.id, c.sort_key, c.id",
                                   error);
  if (stmt == NULL)
    return NULL;
  bind_today (stmt, day);
  kdx_store_bind_text_or_null (stmt, 3, system_uuid);

  gaps = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_competence_gap_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxCompetenceGap *gap = g_new0 (KdxCompetenceGap, 1);

      gap->system_uuid = kdx_store_column_text (stmt, 0);
      gap->system_key = kdx_store_column_text (stmt, 1);
      gap->system_name = kdx_store_column_text (stmt, 2);
      gap->person_uuid = kdx_store_column_text (stmt, 3);
      gap->person_name = kdx_store_column_text (stmt, 4);
      gap->course_uuid = kdx_store_column_text (stmt, 5);
      gap->course_title = kdx_store_column_text (stmt, 6);
      gap->has_round = sqlite3_column_type (stmt, 7) != SQLITE_NULL;
      gap->status = gap->has_round ? (KdxAssignmentStatus) CLAMP (sqlite3_column_int (stmt, 7), 0,
                                                                  KDX_ASSIGNMENT_N_STATUSES - 1)
                                   : KDX_ASSIGNMENT_ASSIGNED;
      g_ptr_array_add (gaps, gap);
    }

  return gaps;
}

gint64
kdx_training_count_gated_systems (KdxStore   *store,
                                  const char *today)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *day = dup_today (today);

  g_return_val_if_fail (KDX_IS_STORE (store), 0);

  stmt = kdx_store_prepare_cached (store, "SELECT count(DISTINCT s.id)" GAPS_FROM, NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int64 (stmt, 0);
}

GHashTable *
kdx_training_dup_gated_systems (KdxStore    *store,
                                const char  *today,
                                GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *day = dup_today (today);
  GHashTable *set;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT DISTINCT s.uuid" GAPS_FROM, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, day, -1, SQLITE_TRANSIENT);
  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (set, kdx_store_column_text (stmt, 0));

  return set;
}

/* ------------------------------------------------------------------ */
/* One course: its rounds, its summary, whom to assign (course view)   */

/* The course view reloads its list after every change in training, over
 * 100,000 rounds of one course in the large demo. Choosing them all in
 * order (kdx_assignment_model_new()) takes 0.4 to 0.9 s there; so this
 * list says how many rounds there are and chooses only the first ones
 * in order (kdx_query_model_set_head_func()), the rest when someone
 * scrolls to them:
 *
 *  - counting: one walk over the course's rounds (assignment_by_course,
 *    in id order, so that the table and person pages are read in order)
 *    into an aggregate of ours that counts each status; the people who
 *    are not live and active are left out by id, as they are few;
 *  - the first rounds by name (or department): the people in that order
 *    (person_live_by_name or _by_department) each with their round of the
 *    course, stopping at the limit — where the filter lets enough of them
 *    through; otherwise the rounds are few, and chosen all at once;
 *  - by status: a part for each status, each by name, from the counts;
 *  - by due or completion date: in that order from the rounds, as an
 *    index on (course, current, date) allows, sorting them otherwise;
 *  - everything at once: the course's rounds in id order, sorted.
 *
 * Every order ends on the person's id, so that the first rounds and all of
 * them come in the same order. */

typedef struct
{
  GHashTable *skip;        /* person ids (gint64 *) to leave out, or NULL */
  const char *today;
  const char *horizon;     /* today + KDX_TRAINING_RECERTIFY_DAYS */
  guint       n_status[KDX_ASSIGNMENT_N_STATUSES];   /* as STATUS_SQL */
  KdxTrainingSummary *summary;                       /* as kdx_training_status(), or NULL */
  const StatusDays   *days;
} CourseTally;

#define COURSE_TALLY_POINTER "kdx-training-course-tally"

/* kdx_training_tally (tally, person, open, due, expires). */
static void
tally_step (sqlite3_context  *context,
            int               argc,
            sqlite3_value   **argv)
{
  CourseTally *tally = sqlite3_value_pointer (argv[0], COURSE_TALLY_POINTER);
  gint64 person = sqlite3_value_int64 (argv[1]);
  gboolean open = sqlite3_value_int (argv[2]) != 0;
  const char *due = (const char *) sqlite3_value_text (argv[3]);
  const char *expires = (const char *) sqlite3_value_text (argv[4]);
  KdxAssignmentStatus status;

  if (tally == NULL || (tally->skip != NULL && g_hash_table_contains (tally->skip, &person)))
    return;

  status = status_on (open, due, expires, tally->today, tally->horizon);
  tally->n_status[status]++;

  /* As count_step(): one round a person. */
  if (tally->summary != NULL)
    {
      gboolean plain = open && (expires == NULL || strcmp (expires, tally->today) <= 0);

      count_round (tally->summary, plain, plain ? due : expires, tally->days);
      tally->summary->n_people++;
    }
}

static void
tally_final (sqlite3_context *context)
{
  sqlite3_result_null (context);
}

static void
ensure_tally_function (KdxStore *store)
{
  ensure_function (store, "kdx_training_tally", 5, NULL, tally_step, tally_final);
}

/* The people not live and active, by id (gint64 *). */
static GHashTable *
dup_people_left_out (KdxStore  *store,
                     GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  GHashTable *skip;
  int rc;

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT id FROM person WHERE trashed IS NOT NULL "
                                   "UNION ALL SELECT id FROM person "
                                   "WHERE trashed IS NULL AND active = 0", error);
  if (stmt == NULL)
    return NULL;
  skip = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (skip, g_memdup2 (&id, sizeof id));
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      g_hash_table_unref (skip);
      return NULL;
    }

  return skip;
}

/* Counts the current rounds of the course of live, active people — whose
 * name or e-mail is like the patterns, when they are not NULL. */
static gboolean
tally_course (KdxStore     *store,
              gint64        course_id,
              const char   *name_like,
              const char   *email_like,
              CourseTally  *tally,
              GError      **error)
{
  g_autoptr(GHashTable) skip = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  int rc;

  ensure_tally_function (store);
  if (name_like != NULL)
    stmt = kdx_store_prepare_cached (store,
                                     "SELECT kdx_training_tally (?1, a.person_id, "
                                     "a.completed IS NULL, a.due, a.expires) "
                                     "FROM person p CROSS JOIN assignment a "
                                     "WHERE p.trashed IS NULL AND p.active = 1 "
                                     "AND (p.sort_key LIKE ?3 ESCAPE '\\' "
                                     "OR p.email LIKE ?4 ESCAPE '\\') "
                                     "AND a.person_id = p.id AND a.course_id = ?2 "
                                     "AND a.current = 1", error);
  else
    {
      skip = dup_people_left_out (store, error);
      if (skip == NULL)
        return FALSE;
      stmt = kdx_store_prepare_cached (store,
                                       "SELECT kdx_training_tally (?1, a.person_id, "
                                       "a.completed IS NULL, a.due, a.expires) "
                                       "FROM assignment a "
                                       "WHERE a.course_id = ?2 AND a.current = 1", error);
    }
  if (stmt == NULL)
    return FALSE;

  tally->skip = skip;
  sqlite3_bind_pointer (stmt, 1, tally, COURSE_TALLY_POINTER, NULL);
  sqlite3_bind_int64 (stmt, 2, course_id);
  kdx_store_bind_text_or_null (stmt, 3, name_like);
  kdx_store_bind_text_or_null (stmt, 4, email_like);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  tally->skip = NULL;
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  return TRUE;
}

/* What kdx_training_status() says of the course, by course, counted from
 * the course's rounds alone: within a few dozen milliseconds, where that
 * reads every round. A summary without rounds when it has none. */
KdxTrainingSummary *
kdx_training_course_summary (KdxStore    *store,
                             const char  *course_uuid,
                             const char  *today,
                             GError     **error)
{
  g_autoptr(KdxTrainingSummary) summary = NULL;
  g_autofree char *day = dup_today (today);
  g_autofree char *d30 = NULL, *d60 = NULL, *d90 = NULL;
  g_autoptr(KdxCourse) course = NULL;
  CourseTally tally = { 0 };
  StatusDays days;
  guint valid;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (course_uuid != NULL, NULL);

  if (!is_day (day))
    {
      g_set_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE,
                   _("“%s” is not a date (YYYY-MM-DD)"), day);
      return NULL;
    }
  course = kdx_course_load (store, course_uuid, NULL);
  if (course == NULL || live_course_id (store, course_uuid) == 0)
    {
      set_unknown_course (course_uuid, error);
      return NULL;
    }
  d30 = add_days (day, 30);
  d60 = add_days (day, 60);
  d90 = add_days (day, KDX_TRAINING_RECERTIFY_DAYS);
  days = (StatusDays) { day, d30, d60, d90 };

  summary = g_new0 (KdxTrainingSummary, 1);
  summary->key = g_strdup (course_uuid);
  summary->label = g_strdup (kdx_course_get_title (course));
  tally.today = day;
  tally.horizon = d90;
  tally.summary = summary;
  tally.days = &days;
  if (!tally_course (store, kdx_course_get_id (course), NULL, NULL, &tally, error))
    return NULL;

  valid = summary->n_status[KDX_ASSIGNMENT_COMPLETED] + summary->n_status[KDX_ASSIGNMENT_EXPIRING];
  summary->completion = summary->n_people > 0 ? (double) valid / summary->n_people : 0;

  return g_steal_pointer (&summary);
}

/* The rounds of one course: an assignment list whose filter has a
 * course, and whose count fields are used. */
typedef AssignmentList CourseRounds;

/* One order for the first rounds and for all of them; NULLs last. With
 * @sorted, not in the order of an index: all the rounds of a course are
 * read in the order of the table and sorted (0.15 s for 100,000) rather
 * than in an index's order of dates, page by page all over the table
 * (1 s). */
static void
append_course_order (GString           *sql,
                     KdxAssignmentSort  sort,
                     gboolean           descending,
                     gboolean           sorted)
{
  const char *dir = descending ? " DESC" : " ASC";
  /* Descending, NULLs come last anyway. */
  const char *nulls = descending ? "" : " NULLS LAST";

  if (sorted)
    g_string_append_c (sql, '+');
  switch (sort)
    {
    case KDX_ASSIGNMENT_SORT_DEPARTMENT:
      g_string_append_printf (sql, "p.department%s%s, p.sort_key, p.id", dir, nulls);
      break;
    case KDX_ASSIGNMENT_SORT_DUE:
      g_string_append_printf (sql, "a.due%s%s, p.sort_key, p.id", dir, nulls);
      break;
    case KDX_ASSIGNMENT_SORT_COMPLETED:
      g_string_append_printf (sql, "a.completed%s%s, p.sort_key, p.id", dir, nulls);
      break;
    case KDX_ASSIGNMENT_SORT_STATUS:
      g_string_append_printf (sql, STATUS_SQL "%s, p.sort_key, p.id", dir);
      break;
    case KDX_ASSIGNMENT_SORT_PERSON:
    case KDX_ASSIGNMENT_SORT_COURSE:
    default:
      g_string_append_printf (sql, "p.sort_key%s, p.id%s", dir, dir);
      break;
    }
}

/* Appends the ids of at most @limit (-1: all) rounds of the list with
 * @status (-1: any) in the order of @sort, reading the people first (in
 * their order, each with their round: @by_people) or the course's rounds
 * first. */
static gboolean
select_course_rounds (CourseRounds      *list,
                      gboolean           by_people,
                      KdxAssignmentSort  sort,
                      gboolean           descending,
                      int                status,
                      gint64             limit,
                      GArray            *ids)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  /* Only fixed fragments go into the SQL; ?1 and ?2 are the days of
   * STATUS_SQL. */
  g_string_append (sql, by_people ? "SELECT a.id FROM person p CROSS JOIN assignment a "
                                     : "SELECT a.id FROM assignment a CROSS JOIN person p ");
  g_string_append (sql, "WHERE a.course_id = ?3 AND a.current = 1 AND p.id = a.person_id "
                        "AND p.trashed IS NULL AND p.active = 1 "
                        "AND ?1 IS NOT NULL AND ?2 IS NOT NULL");
  if (list->name_like != NULL)
    g_string_append (sql, " AND (p.sort_key LIKE ?4 ESCAPE '\\' "
                          "OR p.email LIKE ?5 ESCAPE '\\')");
  if (status >= 0)
    g_string_append (sql, " AND " STATUS_SQL " = ?6");
  g_string_append (sql, " ORDER BY ");
  append_course_order (sql, sort, descending, !by_people && limit < 0);
  g_string_append (sql, " LIMIT ?7");

  stmt = kdx_store_prepare (list->store, sql->str, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot list the rounds: %s", error->message);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, list->today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, list->horizon, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, list->course_id);
  kdx_store_bind_text_or_null (stmt, 4, list->name_like);
  kdx_store_bind_text_or_null (stmt, 5, list->email_like);
  sqlite3_bind_int (stmt, 6, status);
  sqlite3_bind_int64 (stmt, 7, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      g_warning ("Cannot list the rounds: %s", sqlite3_errmsg (kdx_store_get_db (list->store)));
      return FALSE;
    }

  return TRUE;
}

/* Whether the people first, in their order, soon give @limit rounds:
 * when @n of the course's @n_course rounds pass the filter, each eighth
 * at least. Else the rounds are few, and the course's rounds first cost
 * less (unless a search chooses the people). */
static gboolean
people_first (CourseRounds *list,
              guint         n,
              guint         n_course)
{
  return (guint64) n * 8 >= n_course || list->name_like != NULL;
}

/* Every round of the list, in order. */
static GArray *
choose_course_rounds (KdxQueryModel *model,
                      gpointer       user_data)
{
  CourseRounds *list = user_data;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (list->course_id == 0)
    list->course_id = live_course_id (list->store, list->course_uuid);
  if (list->course_id == 0)
    return ids;
  /* A search with many matches reads the people in the order of the
   * rounds (about that of the people's ids), not of their names. */
  select_course_rounds (list, list->name_like != NULL && !list->dense, list->sort,
                        list->descending, list->status, -1, ids);

  return ids;
}

/* The count, and the first @limit rounds (see the top of this part). */
static GArray *
choose_course_head (KdxQueryModel *model,
                    guint          limit,
                    guint         *n_items,
                    gpointer       user_data)
{
  CourseRounds *list = user_data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  CourseTally tally = { 0 };
  guint n = 0, n_course;

  *n_items = 0;
  memset (list->n_status, 0, sizeof list->n_status);
  list->course_id = live_course_id (list->store, list->course_uuid);
  if (list->course_id == 0)
    return g_steal_pointer (&ids);

  tally.today = list->today;
  tally.horizon = list->horizon;
  if (!tally_course (list->store, list->course_id, list->name_like, list->email_like, &tally,
                     &error))
    {
      g_warning ("Cannot count the rounds: %s", error->message);
      return g_steal_pointer (&ids);
    }
  memcpy (list->n_status, tally.n_status, sizeof list->n_status);
  for (int k = 0; k < KDX_ASSIGNMENT_N_STATUSES; k++)
    if (list->status < 0 || list->status == k)
      n += list->n_status[k];
  *n_items = n;
  if (n == 0)
    return g_steal_pointer (&ids);

  {
    g_autoptr(KdxCachedStmt) stmt = kdx_store_prepare_cached (list->store,
                                                              "SELECT count(*) FROM assignment "
                                                              "WHERE course_id = ?1 "
                                                              "AND current = 1", NULL);

    if (stmt == NULL)
      return NULL;
    sqlite3_bind_int64 (stmt, 1, list->course_id);
    n_course = sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : n;
  }
  list->dense = (guint64) n * 8 >= n_course;

  switch (list->sort)
    {
    case KDX_ASSIGNMENT_SORT_STATUS:
      /* Each status by name, in the order of the statuses. */
      for (int i = 0; i < KDX_ASSIGNMENT_N_STATUSES && ids->len < limit; i++)
        {
          int k = list->descending ? KDX_ASSIGNMENT_N_STATUSES - 1 - i : i;
          guint n_k = list->status < 0 || list->status == k ? list->n_status[k] : 0;

          if (n_k == 0)
            continue;
          if (!select_course_rounds (list, people_first (list, n_k, n_course),
                                     KDX_ASSIGNMENT_SORT_PERSON, FALSE, k, limit - ids->len, ids))
            return NULL;
        }
      return g_steal_pointer (&ids);

    case KDX_ASSIGNMENT_SORT_DUE:
    case KDX_ASSIGNMENT_SORT_COMPLETED:
      /* From the rounds, in the order of an index where there is one. */
      if (!select_course_rounds (list, list->name_like != NULL && !list->dense, list->sort,
                                 list->descending, list->status, limit, ids))
        return NULL;
      return g_steal_pointer (&ids);

    case KDX_ASSIGNMENT_SORT_PERSON:
    case KDX_ASSIGNMENT_SORT_DEPARTMENT:
    case KDX_ASSIGNMENT_SORT_COURSE:
    default:
      if (!people_first (list, n, n_course))
        return NULL;
      if (!select_course_rounds (list, TRUE, list->sort, list->descending, list->status, limit,
                                 ids))
        return NULL;
      return g_steal_pointer (&ids);
    }
}

/* How many rounds a course view binds after a reload, and a little more. */
#define COURSE_HEAD 256

/* The current rounds of one course (kdx_course_rounds_set_filter()), as
 * kdx_assignment_model_new() with a course in its filter lists them, for
 * the course view: items are KdxAssignmentItem. Each reload (a new filter,
 * kdx_query_model_reload()) counts the rounds and chooses the first ones;
 * the others are chosen when asked for. The list does not watch the
 * store: whoever shows it reloads it when the rounds may have changed. */
GListModel *
kdx_course_rounds_new (KdxStore *store)
{
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  return G_LIST_MODEL (list_model_new (assignment_list_new (store), choose_course_rounds,
                                       choose_course_head, COURSE_HEAD));
}

/* The filter's course (NULL: none, an empty list), search, status, sort
 * and day; its department and person are not used. Reloads the list. */
void
kdx_course_rounds_set_filter (GListModel                *model,
                              const KdxAssignmentFilter *filter)
{
  /* The same list, with other queries. */
  kdx_assignment_model_set_filter (model, filter);
}

/* Of @person_uuids, those with an open current round of the course (a set
 * of uuids): what Assign People… marks for the people it shows. */
GHashTable *
kdx_course_dup_open_people (KdxStore           *store,
                            const char         *course_uuid,
                            const char * const *person_uuids,
                            GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;
  GHashTable *open;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; person_uuids != NULL && person_uuids[i] != NULL; i++)
    json_builder_add_string_value (builder, person_uuids[i]);
  json_builder_end_array (builder);
  json = builder_to_string (builder);

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT p.uuid FROM json_each(?1) j "
                                   "JOIN person p ON p.uuid = j.value "
                                   "JOIN assignment a ON a.person_id = p.id AND a.current = 1 "
                                   "JOIN course c ON c.id = a.course_id "
                                   "WHERE c.uuid = ?2 AND a.completed IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 2, course_uuid);
  open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (open, kdx_store_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      g_hash_table_unref (open);
      return NULL;
    }

  return open;
}

/* The live, active people of @department (uuids, by name), without those
 * who have an open current round of the course unless @with_open: whom
 * Assign People… (not @with_open) and Record Completions… (@with_open)
 * choose for a whole department. */
GPtrArray *
kdx_course_dup_department_people (KdxStore    *store,
                                  const char  *course_uuid,
                                  const char  *department,
                                  gboolean     with_open,
                                  GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  GPtrArray *people;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (department != NULL, NULL);

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT p.uuid FROM person p "
                                   "WHERE p.trashed IS NULL AND p.active = 1 "
                                   "AND p.department = ?1 AND (?3 OR NOT EXISTS ("
                                   " SELECT 1 FROM assignment a JOIN course c"
                                   " ON c.id = a.course_id AND c.uuid = ?2"
                                   " WHERE a.person_id = p.id AND a.current = 1"
                                   " AND a.completed IS NULL)) "
                                   "ORDER BY p.sort_key, p.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, department, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 2, course_uuid);
  sqlite3_bind_int (stmt, 3, !!with_open);
  people = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (people, kdx_store_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      g_ptr_array_unref (people);
      return NULL;
    }

  return people;
}
