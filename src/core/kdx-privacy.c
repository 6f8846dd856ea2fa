/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's rights over their data: the export of everything that refers
 * to them, and their erasure (see kdx-privacy.h).
 *
 * The export reads its rows in one read transaction into a JSON tree, in
 * a fixed order and without the time of the export, so that the same
 * workspace gives the same bytes; the XML form is written from that tree.
 * The formats are data/schema/kodex-person.schema.json and
 * data/schema/kodex-person.rng.
 *
 * The erasure replaces the person's strings (name, e-mail, employee id)
 * in their row and in the journal (kdx_journal_erase_strings(), which
 * lists the rewritten entries so that the chain still verifies), purges
 * them from the search index, and then moves the write-ahead log into the
 * file and truncates it: with secure_delete, the pages that held them are
 * overwritten.
 */
#define G_LOG_DOMAIN "kdx-privacy"

#include "config.h"

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-privacy.h"
#include "kdx-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/xmlwriter.h>
#include <string.h>
#include <unistd.h>

#define EXPORT_FORMAT   "kodex-person-export"
#define EXPORT_VERSION  1
#define XML_NAMESPACE   "urn:kodex:person:1"

G_DEFINE_QUARK (kdx-privacy-error-quark, kdx_privacy_error)

void
kdx_erasure_report_clear (KdxErasureReport *report)
{
  g_clear_pointer (&report->pseudonym, g_free);
  report->n_journal_rewritten = 0;
}

#define PSEUDONYM_PREFIX "Erased person "

char *
kdx_privacy_dup_pseudonym_label (const char *name)
{
  const char *number;

  if (name == NULL || !g_str_has_prefix (name, PSEUDONYM_PREFIX))
    return NULL;
  number = name + strlen (PSEUDONYM_PREFIX);
  if (*number == '\0')
    return NULL;
  for (const char *p = number; *p; p++)
    if (!g_ascii_isdigit (*p))
      return NULL;

  /* Translators: the name that an erased person's row keeps, with its
   * number; see GDPR Art. 17 */
  return g_strdup_printf (_("Erased person %s"), number);
}

/* ------------------------------------------------------------------ */
/* The person                                                         */

typedef struct
{
  gint64  id;
  char   *uuid;
  char   *name;
  char   *email;
  char   *employee_id;
  char   *trashed;
} Subject;

static void
subject_clear (Subject *subject)
{
  g_clear_pointer (&subject->uuid, g_free);
  g_clear_pointer (&subject->name, g_free);
  g_clear_pointer (&subject->email, g_free);
  g_clear_pointer (&subject->employee_id, g_free);
  g_clear_pointer (&subject->trashed, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Subject, subject_clear)

/* As kdx_person_find(): a uuid first (trashed people too), then an
 * address, then an employee id. */
static gboolean
find_subject (KdxStore    *store,
              const char  *uuid_or_email,
              Subject     *subject,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *lower = g_utf8_strdown (uuid_or_email, -1);
  g_autofree char *trimmed = g_strstrip (g_strdup (uuid_or_email));

  stmt = kdx_store_prepare (store,
                            "SELECT id, uuid, name, email, employee_id, trashed FROM person "
                            "WHERE uuid = ?1 OR (email = ?2 AND trashed IS NULL) OR "
                            "(employee_id = ?3 AND trashed IS NULL) "
                            "ORDER BY uuid = ?1 DESC, email IS ?2 DESC, id LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid_or_email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lower, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, trimmed, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_NOT_FOUND,
                   _("There is no person “%s” in this workspace"), uuid_or_email);
      return FALSE;
    }

  subject->id = sqlite3_column_int64 (stmt, 0);
  subject->uuid = kdx_store_column_text (stmt, 1);
  subject->name = kdx_store_column_text (stmt, 2);
  subject->email = kdx_store_column_text (stmt, 3);
  subject->employee_id = kdx_store_column_text (stmt, 4);
  subject->trashed = kdx_store_column_text (stmt, 5);

  return TRUE;
}

static gboolean
is_erased (KdxStore   *store,
           const char *uuid)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = kdx_store_prepare (store, "SELECT 1 FROM journal WHERE entity = 'erasure' "
                                   "AND entity_id = ?1 LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* ------------------------------------------------------------------ */
/* Reading the export                                                 */

/* How a column becomes a member. */
typedef enum
{
  COL_TEXT,      /* string or null */
  COL_INT,       /* integer or null */
  COL_REAL,      /* number or null */
  COL_BOOL,      /* true or false */
  COL_REF,       /* three columns uuid, key, title/name: an object, or null */
  COL_VERSION,   /* two columns uuid, label: an object */
  COL_PERSON,    /* two columns uuid, name: an object, or null */
} ColumnKind;

typedef struct
{
  const char *member;
  ColumnKind  kind;
  const char *third;   /* COL_REF: the member of its third column */
} Column;

static int
column_width (ColumnKind kind)
{
  switch (kind)
    {
    case COL_REF:
      return 3;
    case COL_VERSION:
    case COL_PERSON:
      return 2;
    default:
      return 1;
    }
}

static void
add_text (JsonBuilder *builder,
          const char  *member,
          const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_column_text (JsonBuilder  *builder,
                 const char   *member,
                 sqlite3_stmt *stmt,
                 int           column)
{
  g_autofree char *value = kdx_store_column_text (stmt, column);

  add_text (builder, member, value);
}

/* One row as an object of @columns. */
static void
add_row (JsonBuilder  *builder,
         sqlite3_stmt *stmt,
         const Column *columns,
         guint         n_columns)
{
  int at = 0;

  json_builder_begin_object (builder);
  for (guint i = 0; i < n_columns; i++)
    {
      const Column *c = &columns[i];
      gboolean null = sqlite3_column_type (stmt, at) == SQLITE_NULL;

      switch (c->kind)
        {
        case COL_TEXT:
          add_column_text (builder, c->member, stmt, at);
          break;
        case COL_INT:
          json_builder_set_member_name (builder, c->member);
          if (null)
            json_builder_add_null_value (builder);
          else
            json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, at));
          break;
        case COL_REAL:
          json_builder_set_member_name (builder, c->member);
          if (null)
            json_builder_add_null_value (builder);
          else
            json_builder_add_double_value (builder, sqlite3_column_double (stmt, at));
          break;
        case COL_BOOL:
          json_builder_set_member_name (builder, c->member);
          json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, at) != 0);
          break;
        case COL_REF:
        case COL_VERSION:
        case COL_PERSON:
          json_builder_set_member_name (builder, c->member);
          if (null)
            {
              json_builder_add_null_value (builder);
              break;
            }
          json_builder_begin_object (builder);
          add_column_text (builder, "uuid", stmt, at);
          if (c->kind == COL_REF)
            {
              add_column_text (builder, "key", stmt, at + 1);
              add_column_text (builder, c->third, stmt, at + 2);
            }
          else
            add_column_text (builder, c->kind == COL_VERSION ? "label" : "name", stmt, at + 1);
          json_builder_end_object (builder);
          break;
        default:
          g_assert_not_reached ();
        }
      at += column_width (c->kind);
    }
  json_builder_end_object (builder);
}

/* A member holding the rows of @sql (?1 is the person's id) as an array. */
static gboolean
add_rows (KdxStore     *store,
          JsonBuilder  *builder,
          const char   *member,
          const char   *sql,
          gint64        person_id,
          const Column *columns,
          guint         n_columns,
          GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_row (builder, stmt, columns, n_columns);
  json_builder_end_array (builder);

  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }

  return TRUE;
}

#define POLICY_REF  "p.uuid, p.key, p.title"
#define VERSION_REF "v.uuid, v.major || '.' || v.minor"
#define SYSTEM_REF  "s.uuid, s.key, s.name"

static const Column person_columns[] = {
  { "uuid", COL_TEXT },
  { "name", COL_TEXT },
  { "email", COL_TEXT },
  { "employee_id", COL_TEXT },
  { "department", COL_TEXT },
  { "role", COL_TEXT },
  { "manager", COL_PERSON },
  { "committee", COL_BOOL },
  { "active", COL_BOOL },
  { "created", COL_TEXT },
  { "modified", COL_TEXT },
  { "trashed", COL_TEXT },
};

static const Column reports_columns[] = {
  { "uuid", COL_TEXT },
  { "name", COL_TEXT },
};

static const Column assignment_columns[] = {
  { "id", COL_INT },
  { "course", COL_REF, "title" },
  { "rule", COL_TEXT },
  { "previous", COL_INT },
  { "source", COL_TEXT },
  { "assigned", COL_TEXT },
  { "due", COL_TEXT },
  { "completed", COL_TEXT },
  { "score", COL_REAL },
  { "expires", COL_TEXT },
  { "current", COL_BOOL },
};

static const Column vote_columns[] = {
  { "policy", COL_REF, "title" },
  { "version", COL_VERSION },
  { "round", COL_INT },
  { "choice", COL_TEXT },
  { "comment", COL_TEXT },
  { "time", COL_TEXT },
};

static const Column ack_columns[] = {
  { "policy", COL_REF, "title" },
  { "version", COL_VERSION },
  { "time", COL_TEXT },
  { "source", COL_TEXT },
};

static const Column owned_policy_columns[] = {
  { "uuid", COL_TEXT },
  { "key", COL_TEXT },
  { "title", COL_TEXT },
  { "kind", COL_TEXT },
  { "area", COL_TEXT },
  { "created", COL_TEXT },
  { "modified", COL_TEXT },
  { "retired", COL_TEXT },
  { "trashed", COL_TEXT },
};

static const Column authored_columns[] = {
  { "policy", COL_REF, "title" },
  { "version", COL_VERSION },
  { "status", COL_TEXT },
  { "created", COL_TEXT },
  { "modified", COL_TEXT },
};

static const Column owned_system_columns[] = {
  { "system", COL_REF, "name" },
  { "as", COL_TEXT },
};

static const Column system_columns[] = {
  { "system", COL_REF, "name" },
};

static const Column raci_columns[] = {
  { "system", COL_REF, "name" },
  { "role", COL_TEXT },
};

static const Column assessment_columns[] = {
  { "policy", COL_REF, "title" },
  { "system", COL_REF, "name" },
  { "status", COL_TEXT },
  { "assessed", COL_TEXT },
  { "evidence", COL_TEXT },
};

static const Column journal_columns[] = {
  { "id", COL_INT },
  { "time", COL_TEXT },
  { "os_user", COL_TEXT },
  { "actor", COL_TEXT },
  { "actor_name", COL_TEXT },
  { "entity", COL_TEXT },
  { "entity_id", COL_TEXT },
  { "action", COL_TEXT },
  { "summary", COL_TEXT },
  { "before", COL_TEXT },
  { "after", COL_TEXT },
  { "hash", COL_TEXT },
};

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The journal entries about the person (their id is the entity's, or
 * their uuid is in the text), made by them, or holding their strings (the
 * entries an erasure rewrites), in order. */
static gboolean
add_journal (KdxStore     *store,
             JsonBuilder  *builder,
             Subject      *subject,
             GError      **error)
{
  const char *strings[] = { subject->uuid, subject->name, subject->email,
                            subject->employee_id, NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(sqlite3_stmt) own = NULL;
  g_autoptr(sqlite3_stmt) row = NULL;
  int rc;

  /* Unset strings end the list early: pack them. */
  for (guint i = 0, j = 0; i < G_N_ELEMENTS (strings); i++)
    if (strings[i] != NULL || i + 1 == G_N_ELEMENTS (strings))
      strings[j++] = strings[i];

  ids = kdx_journal_find_strings (store, strings, error);
  if (ids == NULL)
    return FALSE;

  own = kdx_store_prepare (store, "SELECT id FROM journal WHERE entity_id = ?1 OR actor = ?1",
                           error);
  if (own == NULL)
    return FALSE;
  sqlite3_bind_text (own, 1, subject->uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (own)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (own, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return FALSE;
    }
  g_array_sort (ids, compare_ids);

  row = kdx_store_prepare (store, "SELECT id, time, os_user, actor, actor_name, entity, "
                                  "entity_id, action, summary, before, after, hash "
                                  "FROM journal WHERE id = ?1", error);
  if (row == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "journal");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (i > 0 && id == g_array_index (ids, gint64, i - 1))
        continue;
      sqlite3_reset (row);
      sqlite3_bind_int64 (row, 1, id);
      if (sqlite3_step (row) != SQLITE_ROW)
        {
          kdx_store_set_sql_error (store, error);
          return FALSE;
        }
      add_row (builder, row, journal_columns, G_N_ELEMENTS (journal_columns));
    }
  json_builder_end_array (builder);

  return TRUE;
}

static gboolean
read_export (KdxStore     *store,
             Subject      *subject,
             JsonBuilder  *builder,
             GError      **error)
{
  g_autofree char *organisation = kdx_store_dup_setting (store, "organisation");
  gint64 id = subject->id;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, EXPORT_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, EXPORT_VERSION);
  add_text (builder, "organisation", organisation);

#define ROWS(member, sql, columns) \
  add_rows (store, builder, member, sql, id, columns, G_N_ELEMENTS (columns), error)

  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    stmt = kdx_store_prepare (store,
                              "SELECT p.uuid, p.name, p.email, p.employee_id, p.department, "
                              "p.role, m.uuid, m.name, p.committee, p.active, p.created, "
                              "p.modified, p.trashed "
                              "FROM person p LEFT JOIN person m ON m.id = p.manager_id "
                              "WHERE p.id = ?1", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        kdx_store_set_sql_error (store, error);
        return FALSE;
      }
    json_builder_set_member_name (builder, "person");
    add_row (builder, stmt, person_columns, G_N_ELEMENTS (person_columns));
  }

  if (!ROWS ("reports",
             "SELECT uuid, name FROM person WHERE manager_id = ?1 ORDER BY sort_key, id",
             reports_columns) ||
      !ROWS ("assignments",
             "SELECT a.id, c.uuid, c.key, c.title, r.uuid, a.previous_id, a.source, a.assigned, "
             "a.due, a.completed, a.score, a.expires, a.current "
             "FROM assignment a JOIN course c ON c.id = a.course_id "
             "LEFT JOIN assignment_rule r ON r.id = a.rule_id "
             "WHERE a.person_id = ?1 ORDER BY c.key, a.assigned, a.id",
             assignment_columns) ||
      !ROWS ("votes",
             "SELECT " POLICY_REF ", " VERSION_REF ", o.round, o.choice, o.comment, o.time "
             "FROM policy_vote o JOIN policy_version v ON v.id = o.version_id "
             "JOIN policy p ON p.id = v.policy_id "
             "WHERE o.person_id = ?1 ORDER BY o.time, o.id",
             vote_columns) ||
      !ROWS ("acknowledgements",
             "SELECT " POLICY_REF ", " VERSION_REF ", k.time, k.source "
             "FROM policy_ack k JOIN policy_version v ON v.id = k.version_id "
             "JOIN policy p ON p.id = v.policy_id "
             "WHERE k.person_id = ?1 ORDER BY k.time, k.id",
             ack_columns) ||
      !ROWS ("owned_policies",
             "SELECT uuid, key, title, kind, area, created, modified, retired, trashed "
             "FROM policy WHERE owner_id = ?1 ORDER BY key",
             owned_policy_columns) ||
      !ROWS ("authored_versions",
             "SELECT " POLICY_REF ", " VERSION_REF ", v.status, v.created, v.modified "
             "FROM policy_version v JOIN policy p ON p.id = v.policy_id "
             "WHERE v.author_id = ?1 ORDER BY p.key, v.number",
             authored_columns) ||
      !ROWS ("owned_systems",
             "SELECT " SYSTEM_REF ", 'business' FROM ai_system s WHERE s.business_owner_id = ?1 "
             "UNION ALL "
             "SELECT " SYSTEM_REF ", 'technical' FROM ai_system s WHERE s.technical_owner_id = ?1 "
             "ORDER BY 2, 4",
             owned_system_columns) ||
      !ROWS ("overseen_systems",
             "SELECT " SYSTEM_REF " FROM system_overseer o JOIN ai_system s ON s.id = o.system_id "
             "WHERE o.person_id = ?1 ORDER BY s.key",
             system_columns) ||
      !ROWS ("raci",
             "SELECT " SYSTEM_REF ", r.role FROM system_raci r JOIN ai_system s ON s.id = r.system_id "
             "WHERE r.person_id = ?1 ORDER BY s.key",
             raci_columns) ||
      !ROWS ("assessments",
             "SELECT " POLICY_REF ", " SYSTEM_REF ", a.status, a.assessed, a.evidence "
             "FROM policy_system a JOIN policy p ON p.id = a.policy_id "
             "JOIN ai_system s ON s.id = a.system_id "
             "WHERE a.assessor_id = ?1 ORDER BY s.key, p.key",
             assessment_columns) ||
      !add_journal (store, builder, subject, error))
    return FALSE;

#undef ROWS

  json_builder_end_object (builder);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Writing XML                                                        */

/* Whether XML 1.0 can carry @text as character data. */
static gboolean
xml_can_carry (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return FALSE;
      if (c == 0xfffe || c == 0xffff)
        return FALSE;
    }

  return TRUE;
}

static const char *
member_text (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

typedef struct
{
  xmlTextWriterPtr writer;
  gboolean         ok;
} Xml;

static void
xml_start (Xml        *xml,
           const char *name)
{
  xml->ok &= xmlTextWriterStartElement (xml->writer, BAD_CAST name) >= 0;
}

static void
xml_end (Xml *xml)
{
  xml->ok &= xmlTextWriterEndElement (xml->writer) >= 0;
}

static void
xml_attribute (Xml        *xml,
               const char *name,
               const char *value)
{
  if (value != NULL)
    xml->ok &= xmlTextWriterWriteAttribute (xml->writer, BAD_CAST name, BAD_CAST value) >= 0;
}

/* Text byte for byte; what XML cannot carry as base64. */
static void
xml_text (Xml        *xml,
          const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (xml_can_carry (value))
    xml->ok &= xmlTextWriterWriteString (xml->writer, BAD_CAST value) >= 0;
  else
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) value, strlen (value));

      xml_attribute (xml, "encoding", "base64");
      xml->ok &= xmlTextWriterWriteString (xml->writer, BAD_CAST encoded) >= 0;
    }
}

static void
xml_text_element (Xml        *xml,
                  const char *name,
                  const char *value)
{
  if (value == NULL)
    return;
  xml_start (xml, name);
  xml_text (xml, value);
  xml_end (xml);
}

static void
xml_member_attribute (Xml        *xml,
                      JsonObject *object,
                      const char *member,
                      const char *name)
{
  xml_attribute (xml, name, member_text (object, member));
}

static void
xml_int_attribute (Xml        *xml,
                   JsonObject *object,
                   const char *member,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    xml->ok &= xmlTextWriterWriteFormatAttribute (xml->writer, BAD_CAST name, "%" G_GINT64_FORMAT,
                                                  json_node_get_int (node)) >= 0;
}

static void
xml_bool_attribute (Xml        *xml,
                    JsonObject *object,
                    const char *member,
                    const char *name)
{
  xml_attribute (xml, name, json_object_get_boolean_member (object, member) ? "true" : "false");
}

/* <@name uuid key>title</@name> of a reference; nothing when it is null. */
static void
xml_reference (Xml        *xml,
               const char *name,
               JsonObject *object,
               const char *member,
               const char *text_member)
{
  JsonObject *ref = member_object (object, member);

  if (ref == NULL)
    return;
  xml_start (xml, name);
  xml_member_attribute (xml, ref, "uuid", "uuid");
  xml_member_attribute (xml, ref, "key", "key");
  xml_member_attribute (xml, ref, "label", "label");
  if (text_member != NULL)
    xml_text (xml, member_text (ref, text_member));
  xml_end (xml);
}

typedef void (*XmlRowFunc) (Xml *xml, JsonObject *row);

static void
xml_list (Xml        *xml,
          JsonObject *root,
          const char *member,
          const char *name,
          XmlRowFunc  func)
{
  JsonArray *rows = json_object_get_array_member (root, member);

  xml_start (xml, name);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    func (xml, json_array_get_object_element (rows, i));
  xml_end (xml);
}

static void
xml_report (Xml        *xml,
            JsonObject *row)
{
  xml_start (xml, "person");
  xml_member_attribute (xml, row, "uuid", "uuid");
  xml_text (xml, member_text (row, "name"));
  xml_end (xml);
}

static void
xml_assignment (Xml        *xml,
                JsonObject *row)
{
  JsonNode *score = json_object_get_member (row, "score");

  xml_start (xml, "assignment");
  xml_int_attribute (xml, row, "id", "id");
  xml_member_attribute (xml, row, "source", "source");
  xml_member_attribute (xml, row, "assigned", "assigned");
  xml_member_attribute (xml, row, "due", "due");
  xml_member_attribute (xml, row, "completed", "completed");
  if (score != NULL && !JSON_NODE_HOLDS_NULL (score))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      xml_attribute (xml, "score", g_ascii_dtostr (buf, sizeof buf, json_node_get_double (score)));
    }
  xml_member_attribute (xml, row, "expires", "expires");
  xml_bool_attribute (xml, row, "current", "current");
  xml_member_attribute (xml, row, "rule", "rule");
  xml_int_attribute (xml, row, "previous", "previous");
  xml_reference (xml, "course", row, "course", "title");
  xml_end (xml);
}

static void
xml_vote (Xml        *xml,
          JsonObject *row)
{
  xml_start (xml, "vote");
  xml_int_attribute (xml, row, "round", "round");
  xml_member_attribute (xml, row, "choice", "choice");
  xml_member_attribute (xml, row, "time", "time");
  xml_reference (xml, "policy", row, "policy", "title");
  xml_reference (xml, "version", row, "version", NULL);
  xml_text_element (xml, "comment", member_text (row, "comment"));
  xml_end (xml);
}

static void
xml_ack (Xml        *xml,
         JsonObject *row)
{
  xml_start (xml, "acknowledgement");
  xml_member_attribute (xml, row, "time", "time");
  xml_member_attribute (xml, row, "source", "source");
  xml_reference (xml, "policy", row, "policy", "title");
  xml_reference (xml, "version", row, "version", NULL);
  xml_end (xml);
}

static void
xml_owned_policy (Xml        *xml,
                  JsonObject *row)
{
  xml_start (xml, "policy");
  xml_member_attribute (xml, row, "uuid", "uuid");
  xml_member_attribute (xml, row, "key", "key");
  xml_member_attribute (xml, row, "kind", "kind");
  xml_member_attribute (xml, row, "area", "area");
  xml_member_attribute (xml, row, "created", "created");
  xml_member_attribute (xml, row, "modified", "modified");
  xml_member_attribute (xml, row, "retired", "retired");
  xml_member_attribute (xml, row, "trashed", "trashed");
  xml_text (xml, member_text (row, "title"));
  xml_end (xml);
}

static void
xml_authored (Xml        *xml,
              JsonObject *row)
{
  xml_start (xml, "authored");
  xml_member_attribute (xml, row, "status", "status");
  xml_member_attribute (xml, row, "created", "created");
  xml_member_attribute (xml, row, "modified", "modified");
  xml_reference (xml, "policy", row, "policy", "title");
  xml_reference (xml, "version", row, "version", NULL);
  xml_end (xml);
}

/* <system uuid key [extra]>name</system> */
static void
xml_system (Xml        *xml,
            JsonObject *row,
            const char *extra_member,
            const char *extra_name)
{
  JsonObject *system = member_object (row, "system");

  xml_start (xml, "system");
  xml_member_attribute (xml, system, "uuid", "uuid");
  xml_member_attribute (xml, system, "key", "key");
  if (extra_member != NULL)
    xml_member_attribute (xml, row, extra_member, extra_name);
  xml_text (xml, member_text (system, "name"));
  xml_end (xml);
}

static void
xml_owned_system (Xml        *xml,
                  JsonObject *row)
{
  xml_system (xml, row, "as", "as");
}

static void
xml_overseen_system (Xml        *xml,
                     JsonObject *row)
{
  xml_system (xml, row, NULL, NULL);
}

static void
xml_raci (Xml        *xml,
          JsonObject *row)
{
  xml_system (xml, row, "role", "role");
}

static void
xml_assessment (Xml        *xml,
                JsonObject *row)
{
  xml_start (xml, "assessment");
  xml_member_attribute (xml, row, "status", "status");
  xml_member_attribute (xml, row, "assessed", "assessed");
  xml_reference (xml, "policy", row, "policy", "title");
  xml_reference (xml, "system", row, "system", "name");
  xml_text_element (xml, "evidence", member_text (row, "evidence"));
  xml_end (xml);
}

static void
xml_journal_entry (Xml        *xml,
                   JsonObject *row)
{
  xml_start (xml, "entry");
  xml_int_attribute (xml, row, "id", "id");
  xml_member_attribute (xml, row, "time", "time");
  xml_member_attribute (xml, row, "entity", "entity");
  xml_member_attribute (xml, row, "action", "action");
  xml_member_attribute (xml, row, "hash", "hash");
  xml_text_element (xml, "entity-id", member_text (row, "entity_id"));
  xml_text_element (xml, "actor", member_text (row, "actor"));
  xml_text_element (xml, "actor-name", member_text (row, "actor_name"));
  xml_text_element (xml, "os-user", member_text (row, "os_user"));
  xml_text_element (xml, "summary", member_text (row, "summary"));
  xml_text_element (xml, "before", member_text (row, "before"));
  xml_text_element (xml, "after", member_text (row, "after"));
  xml_end (xml);
}

static GBytes *
write_xml (JsonObject  *root,
           GError     **error)
{
  JsonObject *person = member_object (root, "person");
  JsonObject *manager = member_object (person, "manager");
  xmlBufferPtr buffer = xmlBufferCreate ();
  Xml xml = { NULL, TRUE };
  GBytes *bytes = NULL;

  xml.writer = xmlNewTextWriterMemory (buffer, 0);
  if (xml.writer == NULL)
    {
      xmlBufferFree (buffer);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, g_strerror (ENOMEM));
      return NULL;
    }
  xmlTextWriterSetIndent (xml.writer, 1);
  xmlTextWriterSetIndentString (xml.writer, BAD_CAST "  ");

  xml.ok &= xmlTextWriterStartDocument (xml.writer, "1.0", "UTF-8", NULL) >= 0;
  xml_start (&xml, "person-export");
  xml_attribute (&xml, "xmlns", XML_NAMESPACE);
  xml_int_attribute (&xml, root, "version", "version");
  xml_text_element (&xml, "organisation", member_text (root, "organisation"));

  xml_start (&xml, "person");
  xml_member_attribute (&xml, person, "uuid", "uuid");
  xml_bool_attribute (&xml, person, "committee", "committee");
  xml_bool_attribute (&xml, person, "active", "active");
  xml_member_attribute (&xml, person, "created", "created");
  xml_member_attribute (&xml, person, "modified", "modified");
  xml_member_attribute (&xml, person, "trashed", "trashed");
  xml_text_element (&xml, "name", member_text (person, "name"));
  xml_text_element (&xml, "email", member_text (person, "email"));
  xml_text_element (&xml, "employee-id", member_text (person, "employee_id"));
  xml_text_element (&xml, "department", member_text (person, "department"));
  xml_text_element (&xml, "role", member_text (person, "role"));
  if (manager != NULL)
    {
      xml_start (&xml, "manager");
      xml_member_attribute (&xml, manager, "uuid", "uuid");
      xml_text (&xml, member_text (manager, "name"));
      xml_end (&xml);
    }
  xml_end (&xml);

  xml_list (&xml, root, "reports", "reports", xml_report);
  xml_list (&xml, root, "assignments", "assignments", xml_assignment);
  xml_list (&xml, root, "votes", "votes", xml_vote);
  xml_list (&xml, root, "acknowledgements", "acknowledgements", xml_ack);
  xml_list (&xml, root, "owned_policies", "owned-policies", xml_owned_policy);
  xml_list (&xml, root, "authored_versions", "authored-versions", xml_authored);
  xml_list (&xml, root, "owned_systems", "owned-systems", xml_owned_system);
  xml_list (&xml, root, "overseen_systems", "overseen-systems", xml_overseen_system);
  xml_list (&xml, root, "raci", "raci", xml_raci);
  xml_list (&xml, root, "assessments", "assessments", xml_assessment);
  xml_list (&xml, root, "journal", "journal", xml_journal_entry);

  xml_end (&xml);
  xml.ok &= xmlTextWriterEndDocument (xml.writer) >= 0;
  xmlFreeTextWriter (xml.writer);

  if (xml.ok)
    bytes = g_bytes_new (xmlBufferContent (buffer), xmlBufferLength (buffer));
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("The export cannot be written as XML"));
  xmlBufferFree (buffer);

  return bytes;
}

/* ------------------------------------------------------------------ */
/* Export                                                             */

GBytes *
kdx_privacy_export_person (KdxStore               *store,
                           const char             *uuid_or_email,
                           KdxPersonExportFormat   format,
                           GCancellable           *cancellable,
                           GError                **error)
{
  g_auto(Subject) subject = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean own;
  gboolean ok;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid_or_email != NULL, NULL);

  /* One snapshot: a writer committing meanwhile cannot split it. */
  own = !kdx_store_in_transaction (store);
  if (own && !kdx_store_exec (store, "BEGIN DEFERRED", error))
    return NULL;
  ok = find_subject (store, uuid_or_email, &subject, error) &&
       read_export (store, &subject, builder, error);
  if (own)
    kdx_store_exec (store, ok ? "COMMIT" : "ROLLBACK", NULL);
  if (!ok)
    return NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  root = json_builder_get_root (builder);
  if (format == KDX_PERSON_EXPORT_XML)
    return write_xml (json_node_get_object (root), error);

  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    gsize length = 0;
    char *text;

    json_generator_set_root (generator, root);
    json_generator_set_pretty (generator, TRUE);
    json_generator_set_indent (generator, 2);
    text = json_generator_to_data (generator, &length);
    /* A text file ends with a newline. */
    text = g_realloc (text, length + 2);
    text[length++] = '\n';
    text[length] = '\0';

    return g_bytes_new_take (text, length);
  }
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }

  return TRUE;
}

gboolean
kdx_privacy_export_person_to_file (KdxStore               *store,
                                   const char             *uuid_or_email,
                                   KdxPersonExportFormat   format,
                                   const char             *path,
                                   GCancellable           *cancellable,
                                   GError                **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) tmp_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *display = NULL;
  const guint8 *data;
  gsize length;
  int saved = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  bytes = kdx_privacy_export_person (store, uuid_or_email, format, cancellable, error);
  if (bytes == NULL)
    return FALSE;

  /* A temporary file beside the target, 0600, renamed over it when
   * complete: the target is either the old file or the whole export. */
  display = g_filename_display_basename (path);
  dir = g_path_get_dirname (path);
  tmp = kdx_store_make_temporary (dir, "export", &tmp_error);
  if (tmp == NULL)
    {
      g_set_error (error, G_IO_ERROR, tmp_error->code,
                   _("The export “%s” cannot be written: %s"), display, tmp_error->message);
      return FALSE;
    }

  data = g_bytes_get_data (bytes, &length);
  fd = g_open (tmp, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0 || !write_all (fd, data, length) || fsync (fd) != 0)
    saved = errno ? errno : EIO;
  if (fd >= 0 && close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved == 0 && g_rename (tmp, path) != 0)
    saved = errno;
  if (saved != 0)
    {
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The export “%s” cannot be written: %s"), display, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Erasure                                                            */

static gboolean
erase_row (KdxStore    *store,
           Subject     *subject,
           const char  *pseudonym,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) unindex = NULL;
  g_autofree char *sort_key = kdx_fold_text (pseudonym);
  g_autofree char *now = kdx_store_now_iso8601 ();

  update = kdx_store_prepare (store,
                              "UPDATE person SET name = ?2, sort_key = ?3, email = NULL, "
                              "employee_id = NULL, department = NULL, role = NULL, "
                              "manager_id = NULL, modified = ?4 WHERE id = ?1", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, subject->id);
  sqlite3_bind_text (update, 2, pseudonym, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (update, 3, sort_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (update, 4, now, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, update, error))
    return FALSE;

  /* The search index: the old text out, the pseudonym in (as the People
   * list finds a live person by name), and the index merged into one
   * segment, so that no older segment keeps the old words. */
  unindex = kdx_store_prepare (store, "DELETE FROM person_search WHERE rowid = ?1", error);
  if (unindex == NULL)
    return FALSE;
  sqlite3_bind_int64 (unindex, 1, subject->id);
  if (!kdx_store_step_done (store, unindex, error))
    return FALSE;
  if (subject->trashed == NULL)
    {
      g_autoptr(sqlite3_stmt) index = NULL;

      index = kdx_store_prepare (store, "INSERT INTO person_search (rowid, text) VALUES (?1, ?2)",
                                 error);
      if (index == NULL)
        return FALSE;
      sqlite3_bind_int64 (index, 1, subject->id);
      sqlite3_bind_text (index, 2, sort_key, -1, SQLITE_TRANSIENT);
      if (!kdx_store_step_done (store, index, error))
        return FALSE;
    }

  return kdx_store_exec (store, "INSERT INTO person_search (person_search) VALUES ('optimize')",
                         error);
}

/* Moves the write-ahead log into the file and truncates it, so that no
 * frame of it keeps an old page. */
static gboolean
checkpoint (KdxStore  *store,
            GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *display = NULL;

  if (!kdx_store_uses_wal (store))
    return TRUE;

  stmt = kdx_store_prepare (store, "PRAGMA wal_checkpoint(TRUNCATE)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 0)
    return TRUE;

  wal = g_strconcat (kdx_store_get_path (store), "-wal", NULL);
  display = g_filename_display_basename (wal);
  g_set_error (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_CHECKPOINT,
               _("The person was erased, but another program is reading the workspace, so "
                 "“%s” still holds their old data; close the other program and erase again "
                 "to remove it"), display);

  return FALSE;
}

gboolean
kdx_privacy_erase_person (KdxStore          *store,
                          const char        *uuid_or_email,
                          KdxErasureReport  *report,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_auto(Subject) subject = { 0 };
  g_autofree char *pseudonym = NULL;
  const char *strings[4] = { NULL };
  guint n_strings = 0;
  guint n_rewritten = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid_or_email != NULL, FALSE);
  g_return_val_if_fail (!kdx_store_in_transaction (store), FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!kdx_store_begin (store, error))
    return FALSE;

  if (!find_subject (store, uuid_or_email, &subject, error))
    goto out;
  if (is_erased (store, subject.uuid))
    {
      g_set_error_literal (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_ERASED,
                           _("This person has already been erased"));
      goto out;
    }

  /* Stored as it is, in no language: "Erased person" names no one. */
  pseudonym = g_strdup_printf (PSEUDONYM_PREFIX "%" G_GINT64_FORMAT, subject.id);
  if (subject.name != NULL)
    strings[n_strings++] = subject.name;
  if (subject.email != NULL)
    strings[n_strings++] = subject.email;
  if (subject.employee_id != NULL)
    strings[n_strings++] = subject.employee_id;

  if (!erase_row (store, &subject, pseudonym, error) ||
      !kdx_journal_erase_strings (store, subject.uuid, pseudonym, strings, pseudonym,
                                  &n_rewritten, error))
    goto out;

  kdx_store_mark_changed (store, "person", subject.id);
  ok = TRUE;

out:
  if (!ok)
    {
      kdx_store_rollback (store);
      return FALSE;
    }
  if (!kdx_store_commit (store, error))
    return FALSE;

  if (report != NULL)
    {
      kdx_erasure_report_clear (report);
      report->n_journal_rewritten = n_rewritten;
      report->pseudonym = g_steal_pointer (&pseudonym);
    }

  return checkpoint (store, error);
}
