/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * People: the register of the organisation's employees, committee members
 * and overseers. Every change is a journaled transaction; deleting moves a
 * person to the trash, from which they can be restored unchanged.
 */
#define G_LOG_DOMAIN "kdx-person"

#include "config.h"

#include "kdx-person.h"
#include "kdx-journal.h"
#include "kdx-query-model.h"
#include "kdx-store-private.h"
#include "kdx-training.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

struct _KdxPerson
{
  GObject   parent_instance;

  gint64    id;
  char     *uuid;
  char     *name;
  char     *email;
  char     *employee_id;   /* what the HR system knows them by */
  char     *department;
  char     *role;
  char     *manager;       /* uuid */
  char     *manager_name;  /* for display only */
  gboolean  committee;
  gboolean  active;
  char     *created;
  char     *modified;
  char     *trashed;
};

enum {
  PROP_0,
  PROP_UUID,
  PROP_NAME,
  PROP_EMAIL,
  PROP_EMPLOYEE_ID,
  PROP_DEPARTMENT,
  PROP_ROLE,
  PROP_COMMITTEE,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KdxPerson, kdx_person, G_TYPE_OBJECT)
G_DEFINE_QUARK (kdx-person-error-quark, kdx_person_error)

/* Whether the workspace's people have employee ids (schema 7 on). Only a
 * yes is remembered: a workspace opened before its migration may still
 * gain the column. */
static gboolean
has_employee_ids (KdxStore *store)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("kdx-person-has-employee-id");
  if (g_object_get_qdata (G_OBJECT (store), quark) != NULL)
    return TRUE;
  if (kdx_store_count (store, "SELECT count(*) FROM pragma_table_info('person') "
                              "WHERE name = 'employee_id'") <= 0)
    return FALSE;
  g_object_set_qdata (G_OBJECT (store), quark, GINT_TO_POINTER (1));

  return TRUE;
}

/* SQL that reads people: @tail after the columns. */
#define SELECT_PEOPLE(store, tail) \
  (has_employee_ids (store) ? "SELECT " COLUMNS tail : "SELECT " OLD_COLUMNS tail)

#define COLUMNS "p.id, p.uuid, p.name, p.email, p.department, p.role, m.uuid, m.name, " \
                "p.committee, p.active, p.created, p.modified, p.trashed, p.employee_id"
/* Workspaces before schema 7 (an auditor's copy is read as it is, never
 * upgraded) have no employee ids. */
#define OLD_COLUMNS "p.id, p.uuid, p.name, p.email, p.department, p.role, m.uuid, m.name, " \
                    "p.committee, p.active, p.created, p.modified, p.trashed, NULL"
#define FROM    " FROM person p LEFT JOIN person m ON m.id = p.manager_id"

/* Empty strings are stored as NULL: "no e-mail" has one spelling. */
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

char *
kdx_fold_text (const char *text)
{
  g_autofree char *nfd = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");
  /* Text read from a workspace file is whatever the file holds; GLib's
   * UTF-8 functions read past the end of a string that is not UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  lower = g_utf8_casefold (text, -1);
  nfd = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (nfd));
  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      switch (c)
        {
        case 0x00DF: g_string_append (out, "ss"); continue;  /* ß */
        case 0x0131: g_string_append_c (out, 'i'); continue; /* ı dotless i */
        case 0x0142: g_string_append_c (out, 'l'); continue; /* ł */
        case 0x00F8: g_string_append_c (out, 'o'); continue; /* ø */
        case 0x0111: g_string_append_c (out, 'd'); continue; /* đ */
        case 0x00E6: g_string_append (out, "ae"); continue;  /* æ */
        case 0x0153: g_string_append (out, "oe"); continue;  /* œ */
        default: break;
        }
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static void
kdx_person_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KdxPerson *self = KDX_PERSON (object);

  switch (prop_id)
    {
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_EMAIL: g_value_set_string (value, self->email); break;
    case PROP_EMPLOYEE_ID: g_value_set_string (value, self->employee_id); break;
    case PROP_DEPARTMENT: g_value_set_string (value, self->department); break;
    case PROP_ROLE: g_value_set_string (value, self->role); break;
    case PROP_COMMITTEE: g_value_set_boolean (value, self->committee); break;
    case PROP_ACTIVE: g_value_set_boolean (value, self->active); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_person_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KdxPerson *self = KDX_PERSON (object);

  switch (prop_id)
    {
    case PROP_UUID: kdx_person_set_uuid (self, g_value_get_string (value)); break;
    case PROP_NAME: kdx_person_set_name (self, g_value_get_string (value)); break;
    case PROP_EMAIL: kdx_person_set_email (self, g_value_get_string (value)); break;
    case PROP_EMPLOYEE_ID: kdx_person_set_employee_id (self, g_value_get_string (value)); break;
    case PROP_DEPARTMENT: kdx_person_set_department (self, g_value_get_string (value)); break;
    case PROP_ROLE: kdx_person_set_role (self, g_value_get_string (value)); break;
    case PROP_COMMITTEE: kdx_person_set_committee (self, g_value_get_boolean (value)); break;
    case PROP_ACTIVE: kdx_person_set_active (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_person_finalize (GObject *object)
{
  KdxPerson *self = (KdxPerson *)object;

  g_free (self->uuid);
  g_free (self->name);
  g_free (self->email);
  g_free (self->employee_id);
  g_free (self->department);
  g_free (self->role);
  g_free (self->manager);
  g_free (self->manager_name);
  g_free (self->created);
  g_free (self->modified);
  g_free (self->trashed);

  G_OBJECT_CLASS (kdx_person_parent_class)->finalize (object);
}

static void
kdx_person_class_init (KdxPersonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kdx_person_finalize;
  object_class->get_property = kdx_person_get_property;
  object_class->set_property = kdx_person_set_property;

  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_EMPLOYEE_ID] = g_param_spec_string ("employee-id", NULL, NULL, NULL, flags);
  properties[PROP_DEPARTMENT] = g_param_spec_string ("department", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, flags);
  properties[PROP_COMMITTEE] = g_param_spec_boolean ("committee", NULL, NULL, FALSE, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kdx_person_init (KdxPerson *self)
{
  self->active = TRUE;
}

KdxPerson *
kdx_person_new (void)
{
  return g_object_new (KDX_TYPE_PERSON, NULL);
}

KdxPerson *
kdx_person_copy (KdxPerson *self)
{
  KdxPerson *copy;

  g_return_val_if_fail (KDX_IS_PERSON (self), NULL);

  copy = kdx_person_new ();
  copy->id = self->id;
  copy->uuid = g_strdup (self->uuid);
  copy->name = g_strdup (self->name);
  copy->email = g_strdup (self->email);
  copy->employee_id = g_strdup (self->employee_id);
  copy->department = g_strdup (self->department);
  copy->role = g_strdup (self->role);
  copy->manager = g_strdup (self->manager);
  copy->manager_name = g_strdup (self->manager_name);
  copy->committee = self->committee;
  copy->active = self->active;
  copy->created = g_strdup (self->created);
  copy->modified = g_strdup (self->modified);
  copy->trashed = g_strdup (self->trashed);

  return copy;
}

#define STRING_ACCESSORS(field, prop)                                       \
  const char *kdx_person_get_##field (KdxPerson *self)                      \
  {                                                                         \
    g_return_val_if_fail (KDX_IS_PERSON (self), NULL);                      \
    return self->field;                                                     \
  }                                                                         \
  void kdx_person_set_##field (KdxPerson *self, const char *value)          \
  {                                                                         \
    g_return_if_fail (KDX_IS_PERSON (self));                                \
    if (set_string (&self->field, value))                                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);         \
  }

STRING_ACCESSORS (uuid, PROP_UUID)
STRING_ACCESSORS (name, PROP_NAME)
STRING_ACCESSORS (employee_id, PROP_EMPLOYEE_ID)
STRING_ACCESSORS (department, PROP_DEPARTMENT)
STRING_ACCESSORS (role, PROP_ROLE)

const char *
kdx_person_get_email (KdxPerson *self)
{
  g_return_val_if_fail (KDX_IS_PERSON (self), NULL);
  return self->email;
}

/* Addresses compare case-insensitively, so they are kept in lower case. */
void
kdx_person_set_email (KdxPerson  *self,
                      const char *email)
{
  g_autofree char *lower = email ? g_utf8_strdown (email, -1) : NULL;

  g_return_if_fail (KDX_IS_PERSON (self));

  if (set_string (&self->email, lower))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

gint64
kdx_person_get_id (KdxPerson *self)
{
  g_return_val_if_fail (KDX_IS_PERSON (self), 0);
  return self->id;
}

const char *
kdx_person_get_manager (KdxPerson *self)
{
  g_return_val_if_fail (KDX_IS_PERSON (self), NULL);
  return self->manager;
}

void
kdx_person_set_manager (KdxPerson  *self,
                        const char *manager_uuid)
{
  g_return_if_fail (KDX_IS_PERSON (self));

  if (set_string (&self->manager, manager_uuid))
    g_clear_pointer (&self->manager_name, g_free);
}

const char *
kdx_person_get_manager_name (KdxPerson *self)
{
  g_return_val_if_fail (KDX_IS_PERSON (self), NULL);
  return self->manager_name;
}

gboolean
kdx_person_get_committee (KdxPerson *self)
{
  g_return_val_if_fail (KDX_IS_PERSON (self), FALSE);
  return self->committee;
}

void
kdx_person_set_committee (KdxPerson *self,
                          gboolean   committee)
{
  g_return_if_fail (KDX_IS_PERSON (self));

  committee = !!committee;
  if (self->committee == committee)
    return;
  self->committee = committee;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMITTEE]);
}

gboolean
kdx_person_get_active (KdxPerson *self)
{
  g_return_val_if_fail (KDX_IS_PERSON (self), FALSE);
  return self->active;
}

void
kdx_person_set_active (KdxPerson *self,
                       gboolean   active)
{
  g_return_if_fail (KDX_IS_PERSON (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

const char *kdx_person_get_created (KdxPerson *self) { return self->created; }
const char *kdx_person_get_modified (KdxPerson *self) { return self->modified; }
const char *kdx_person_get_trashed (KdxPerson *self) { return self->trashed; }

/* For the XML import, which keeps the original times. */
void
kdx_person_set_times (KdxPerson  *self,
                      const char *created,
                      const char *modified,
                      const char *trashed)
{
  g_return_if_fail (KDX_IS_PERSON (self));

  set_string (&self->created, created);
  set_string (&self->modified, modified);
  set_string (&self->trashed, trashed);
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

/* The journal's view of a person: fixed member order, so equal people
 * give equal text. */
char *
kdx_person_to_json (KdxPerson *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (KDX_IS_PERSON (self), NULL);

  json_builder_begin_object (builder);
  add_string_member (builder, "uuid", self->uuid);
  add_string_member (builder, "name", self->name);
  add_string_member (builder, "email", self->email);
  add_string_member (builder, "employee_id", self->employee_id);
  add_string_member (builder, "department", self->department);
  add_string_member (builder, "role", self->role);
  add_string_member (builder, "manager", self->manager);
  json_builder_set_member_name (builder, "committee");
  json_builder_add_boolean_value (builder, self->committee);
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, self->active);
  add_string_member (builder, "trashed", self->trashed);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static gpointer
person_from_row (sqlite3_stmt *stmt)
{
  KdxPerson *self = kdx_person_new ();

  self->id = sqlite3_column_int64 (stmt, 0);
  self->uuid = kdx_store_column_text (stmt, 1);
  self->name = kdx_store_column_text (stmt, 2);
  self->email = kdx_store_column_text (stmt, 3);
  self->department = kdx_store_column_text (stmt, 4);
  self->role = kdx_store_column_text (stmt, 5);
  self->manager = kdx_store_column_text (stmt, 6);
  self->manager_name = kdx_store_column_text (stmt, 7);
  self->committee = sqlite3_column_int (stmt, 8) != 0;
  self->active = sqlite3_column_int (stmt, 9) != 0;
  self->created = kdx_store_column_text (stmt, 10);
  self->modified = kdx_store_column_text (stmt, 11);
  self->trashed = kdx_store_column_text (stmt, 12);
  self->employee_id = kdx_store_column_text (stmt, 13);

  return self;
}

static KdxPerson *
load_where (KdxStore    *store,
            const char  *sql,
            const char  *value,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_NOT_FOUND,
                   _("There is no person “%s” in this workspace"), value);
      return NULL;
    }

  return person_from_row (stmt);
}

KdxPerson *
kdx_person_load (KdxStore    *store,
                 const char  *uuid,
                 GError     **error)
{
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return load_where (store, SELECT_PEOPLE (store, FROM " WHERE p.uuid = ?1"), uuid, error);
}

KdxPerson *
kdx_person_find (KdxStore    *store,
                 const char  *uuid_or_email,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid_or_email != NULL, NULL);

  lower = g_utf8_strdown (uuid_or_email, -1);
  trimmed = g_strstrip (g_strdup (uuid_or_email));

  /* A uuid first, then an address, then an employee id. */
  stmt = kdx_store_prepare (store,
                            has_employee_ids (store)
                              ? "SELECT " COLUMNS FROM " WHERE p.uuid = ?1 OR "
                                "(p.email = ?2 AND p.trashed IS NULL) OR "
                                "(p.employee_id = ?3 AND p.trashed IS NULL) "
                                "ORDER BY p.uuid = ?1 DESC, p.email IS ?2 DESC LIMIT 1"
                              : "SELECT " OLD_COLUMNS FROM " WHERE p.uuid = ?1 OR "
                                "(p.email = ?2 AND p.trashed IS NULL) "
                                "ORDER BY p.uuid = ?1 DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid_or_email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lower, -1, SQLITE_TRANSIENT);
  /* (Not a parameter of the older form.) */
  sqlite3_bind_text (stmt, 3, trimmed, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_NOT_FOUND,
                   _("There is no person “%s” in this workspace"), uuid_or_email);
      return NULL;
    }

  return person_from_row (stmt);
}

static gint64
id_for_uuid (KdxStore   *store,
             const char *uuid)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = kdx_store_prepare (store, "SELECT id FROM person WHERE uuid = ?1", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int64 (stmt, 0);
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

/* What XML 1.0 cannot carry: C0 controls other than tab, LF and CR. */
static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; p != NULL && *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      return TRUE;

  return FALSE;
}

/* The rules a person must keep, whoever saves it. */
static gboolean
validate (KdxStore   *store,
          KdxPerson  *person,
          gint64     *out_manager_id,
          GError    **error)
{
  *out_manager_id = 0;

  if (person->name == NULL || g_utf8_strlen (person->name, -1) == 0)
    {
      g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                           _("A person needs a name"));
      return FALSE;
    }
  if (g_utf8_strlen (person->name, -1) > 200)
    {
      g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                           _("The name is longer than 200 characters"));
      return FALSE;
    }
  {
    const char *texts[] = { person->name, person->email, person->department, person->role,
                            person->employee_id };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      if (has_control_characters (texts[i]))
        {
          g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                               _("The text contains a control character"));
          return FALSE;
        }
  }
  if (person->employee_id != NULL && g_utf8_strlen (person->employee_id, -1) > 100)
    {
      g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                           _("The employee id is longer than 100 characters"));
      return FALSE;
    }
  if (person->email != NULL && !email_is_plausible (person->email))
    {
      g_set_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                   _("“%s” is not an e-mail address"), person->email);
      return FALSE;
    }

  if (person->manager != NULL)
    {
      gint64 manager_id = id_for_uuid (store, person->manager);
      g_autoptr(sqlite3_stmt) chain = NULL;

      if (manager_id == 0)
        {
          g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                               _("The chosen manager is not in this workspace"));
          return FALSE;
        }
      if (g_strcmp0 (person->manager, person->uuid) == 0)
        {
          g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                               _("A person cannot be their own manager"));
          return FALSE;
        }

      /* The chain of managers above the new manager must not reach this
       * person, or the organisation chart would be a circle. */
      if (person->id > 0)
        {
          chain = kdx_store_prepare (store,
                                     "WITH RECURSIVE up (id) AS ("
                                     "  SELECT ?1"
                                     "  UNION SELECT p.manager_id FROM person p JOIN up ON p.id = up.id"
                                     "  WHERE p.manager_id IS NOT NULL"
                                     ") SELECT 1 FROM up WHERE id = ?2",
                                     error);
          if (chain == NULL)
            return FALSE;
          sqlite3_bind_int64 (chain, 1, manager_id);
          sqlite3_bind_int64 (chain, 2, person->id);
          if (sqlite3_step (chain) == SQLITE_ROW)
            {
              g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                                   _("The chosen manager reports to this person already"));
              return FALSE;
            }
        }

      *out_manager_id = manager_id;
    }

  if (person->email != NULL && person->trashed == NULL)
    {
      g_autoptr(sqlite3_stmt) dup = NULL;

      dup = kdx_store_prepare (store,
                               "SELECT name FROM person WHERE email = ?1 AND trashed IS NULL "
                               "AND uuid IS NOT ?2",
                               error);
      if (dup == NULL)
        return FALSE;
      sqlite3_bind_text (dup, 1, person->email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (dup, 2, person->uuid, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (dup) == SQLITE_ROW)
        {
          g_set_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_DUPLICATE,
                       _("%s already has the e-mail address “%s”"),
                       (const char *) sqlite3_column_text (dup, 0), person->email);
          return FALSE;
        }
    }

  if (person->employee_id != NULL && !has_employee_ids (store))
    {
      g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                           _("This workspace is of an older version of Kodex and has no "
                             "employee ids"));
      return FALSE;
    }
  if (person->employee_id != NULL && person->trashed == NULL)
    {
      g_autoptr(sqlite3_stmt) dup = NULL;

      dup = kdx_store_prepare (store,
                               "SELECT name FROM person WHERE employee_id = ?1 "
                               "AND trashed IS NULL AND uuid IS NOT ?2",
                               error);
      if (dup == NULL)
        return FALSE;
      sqlite3_bind_text (dup, 1, person->employee_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (dup, 2, person->uuid, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (dup) == SQLITE_ROW)
        {
          g_set_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_DUPLICATE,
                       _("%s already has the employee id “%s”"),
                       (const char *) sqlite3_column_text (dup, 0), person->employee_id);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
search_text (KdxPerson *person)
{
  g_autofree char *joined = g_strjoin (" ",
                                       person->name ? person->name : "",
                                       person->email ? person->email : "",
                                       person->employee_id ? person->employee_id : "",
                                       person->department ? person->department : "",
                                       person->role ? person->role : "",
                                       NULL);

  return kdx_fold_text (joined);
}

static gboolean
index_search (KdxStore   *store,
              KdxPerson  *person,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) del = NULL;
  g_autoptr(sqlite3_stmt) ins = NULL;
  g_autofree char *text = NULL;

  del = kdx_store_prepare (store, "DELETE FROM person_search WHERE rowid = ?1", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, person->id);
  if (!kdx_store_step_done (store, del, error))
    return FALSE;

  if (person->trashed != NULL)
    return TRUE;

  text = search_text (person);
  ins = kdx_store_prepare (store, "INSERT INTO person_search (rowid, text) VALUES (?1, ?2)", error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, person->id);
  sqlite3_bind_text (ins, 2, text, -1, SQLITE_TRANSIENT);

  return kdx_store_step_done (store, ins, error);
}

/* The people as the migrations see them: only the columns that every
 * schema version has, and the employee id where there is one (schema 7
 * on), since migrations of older versions run this code too. */
static GPtrArray *
list_for_migration (KdxStore  *store,
                    gboolean   include_trashed,
                    GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean has_employee_id;
  int rc;

  has_employee_id = kdx_store_count (store, "SELECT count(*) FROM pragma_table_info('person') "
                                            "WHERE name = 'employee_id'") > 0;
  stmt = kdx_store_prepare (store,
                            has_employee_id
                              ? "SELECT id, name, email, department, role, trashed, employee_id "
                                "FROM person WHERE ?1 OR trashed IS NULL ORDER BY id"
                              : "SELECT id, name, email, department, role, trashed, NULL "
                                "FROM person WHERE ?1 OR trashed IS NULL ORDER BY id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_trashed);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KdxPerson *person = kdx_person_new ();

      person->id = sqlite3_column_int64 (stmt, 0);
      person->name = kdx_store_column_text (stmt, 1);
      person->email = kdx_store_column_text (stmt, 2);
      person->department = kdx_store_column_text (stmt, 3);
      person->role = kdx_store_column_text (stmt, 4);
      person->trashed = kdx_store_column_text (stmt, 5);
      person->employee_id = kdx_store_column_text (stmt, 6);
      g_ptr_array_add (people, person);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&people);
}

gboolean
kdx_person_reindex_search (KdxStore  *store,
                           GError   **error)
{
  g_autoptr(GPtrArray) people = list_for_migration (store, FALSE, error);

  if (people == NULL)
    return FALSE;
  for (guint i = 0; i < people->len; i++)
    if (!index_search (store, g_ptr_array_index (people, i), error))
      return FALSE;

  return TRUE;
}

/* Migration 3: sort keys and search texts with the current folding. */
gboolean
kdx_person_refold (KdxStore  *store,
                   GError   **error)
{
  g_autoptr(GPtrArray) people = list_for_migration (store, TRUE, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (people == NULL)
    return FALSE;
  stmt = kdx_store_prepare (store, "UPDATE person SET sort_key = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < people->len; i++)
    {
      KdxPerson *person = g_ptr_array_index (people, i);
      g_autofree char *sort_key = kdx_fold_text (person->name);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, person->id);
      sqlite3_bind_text (stmt, 2, sort_key, -1, SQLITE_TRANSIENT);
      if (!kdx_store_step_done (store, stmt, error))
        return FALSE;
    }

  return kdx_person_reindex_search (store, error);
}

static void
bind_nullable (sqlite3_stmt *stmt,
               int           index,
               const char   *value)
{
  if (value)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* A new or changed person gets the rounds the assignment rules ask of
 * them (a new department, role or committee seat), in the same
 * transaction. Workspaces before schema 7 have no training. */
static gboolean
apply_rules (KdxStore   *store,
             KdxPerson  *person,
             GError    **error)
{
  if (person->trashed != NULL || !person->active || !has_employee_ids (store))
    return TRUE;

  return kdx_training_apply_for_person (store, person->id, error);
}

/* Runs @body inside the caller's transaction, or in a new one. */
static gboolean
begin_if_needed (KdxStore  *store,
                 gboolean  *own,
                 GError   **error)
{
  *own = !kdx_store_in_transaction (store);

  return !*own || kdx_store_begin (store, error);
}

static gboolean
finish (KdxStore  *store,
        gboolean   own,
        gboolean   ok,
        GError   **error)
{
  if (!own)
    return ok;
  if (!ok)
    {
      kdx_store_rollback (store);
      return FALSE;
    }

  return kdx_store_commit (store, error);
}

gboolean
kdx_person_insert (KdxStore   *store,
                   KdxPerson  *person,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *now = NULL;
  g_autofree char *json = NULL;
  gint64 manager_id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_PERSON (person), FALSE);

  if (!begin_if_needed (store, &own, error))
    return FALSE;

  if (person->uuid == NULL)
    person->uuid = g_uuid_string_random ();
  now = kdx_store_now_iso8601 ();
  if (person->created == NULL)
    person->created = g_strdup (now);
  if (person->modified == NULL)
    person->modified = g_strdup (now);

  if (!validate (store, person, &manager_id, error))
    goto out;

  sort_key = kdx_fold_text (person->name);
  stmt = kdx_store_prepare (store,
                            has_employee_ids (store)
                              ? "INSERT INTO person (uuid, name, sort_key, email, department, "
                                "role, manager_id, committee, active, created, modified, "
                                "trashed, employee_id) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                              : "INSERT INTO person (uuid, name, sort_key, email, department, "
                                "role, manager_id, committee, active, created, modified, "
                                "trashed) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                            error);
  if (stmt == NULL)
    goto out;

  sqlite3_bind_text (stmt, 1, person->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, person->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sort_key, -1, SQLITE_TRANSIENT);
  bind_nullable (stmt, 4, person->email);
  bind_nullable (stmt, 5, person->department);
  bind_nullable (stmt, 6, person->role);
  if (manager_id > 0)
    sqlite3_bind_int64 (stmt, 7, manager_id);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_int (stmt, 8, person->committee);
  sqlite3_bind_int (stmt, 9, person->active);
  sqlite3_bind_text (stmt, 10, person->created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, person->modified, -1, SQLITE_TRANSIENT);
  bind_nullable (stmt, 12, person->trashed);
  bind_nullable (stmt, 13, person->employee_id);

  if (!kdx_store_step_done (store, stmt, error))
    goto out;
  person->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  if (!index_search (store, person, error))
    goto out;

  json = kdx_person_to_json (person);
  if (!kdx_journal_append (store, "person", person->uuid, "create", person->name,
                           NULL, json, error))
    goto out;
  if (!apply_rules (store, person, error))
    goto out;

  kdx_store_mark_changed (store, "person", person->id);
  ok = TRUE;

out:
  return finish (store, own, ok, error);
}

static gboolean
write_update (KdxStore    *store,
              KdxPerson   *before,
              KdxPerson   *after,
              const char  *action,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  gint64 manager_id = 0;

  if (!validate (store, after, &manager_id, error))
    return FALSE;

  before_json = kdx_person_to_json (before);
  after_json = kdx_person_to_json (after);
  if (g_strcmp0 (before_json, after_json) == 0)
    return TRUE;

  g_free (after->modified);
  after->modified = kdx_store_now_iso8601 ();
  sort_key = kdx_fold_text (after->name);

  stmt = kdx_store_prepare (store,
                            has_employee_ids (store)
                              ? "UPDATE person SET name = ?2, sort_key = ?3, email = ?4, "
                                "department = ?5, role = ?6, manager_id = ?7, committee = ?8, "
                                "active = ?9, modified = ?10, trashed = ?11, employee_id = ?12 "
                                "WHERE uuid = ?1"
                              : "UPDATE person SET name = ?2, sort_key = ?3, email = ?4, "
                                "department = ?5, role = ?6, manager_id = ?7, committee = ?8, "
                                "active = ?9, modified = ?10, trashed = ?11 WHERE uuid = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, after->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, after->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sort_key, -1, SQLITE_TRANSIENT);
  bind_nullable (stmt, 4, after->email);
  bind_nullable (stmt, 5, after->department);
  bind_nullable (stmt, 6, after->role);
  if (manager_id > 0)
    sqlite3_bind_int64 (stmt, 7, manager_id);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_int (stmt, 8, after->committee);
  sqlite3_bind_int (stmt, 9, after->active);
  sqlite3_bind_text (stmt, 10, after->modified, -1, SQLITE_TRANSIENT);
  bind_nullable (stmt, 11, after->trashed);
  bind_nullable (stmt, 12, after->employee_id);

  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;

  after->id = before->id;
  if (!index_search (store, after, error))
    return FALSE;

  if (!kdx_journal_append (store, "person", after->uuid, action, after->name,
                           before_json, after_json, error))
    return FALSE;
  if (!apply_rules (store, after, error))
    return FALSE;

  kdx_store_mark_changed (store, "person", after->id);

  return TRUE;
}

gboolean
kdx_person_update (KdxStore   *store,
                   KdxPerson  *person,
                   GError    **error)
{
  g_autoptr(KdxPerson) before = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_PERSON (person), FALSE);
  g_return_val_if_fail (person->uuid != NULL, FALSE);

  if (!begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_person_load (store, person->uuid, error);
  if (before != NULL)
    {
      person->id = before->id;
      /* Only trash and restore move a person in or out of the trash. */
      g_free (person->trashed);
      person->trashed = g_strdup (before->trashed);
      ok = write_update (store, before, person, "update", error);
    }

  return finish (store, own, ok, error);
}

/* ------------------------------------------------------------------ */
/* For the import                                                      */

void
_kdx_person_set_id (KdxPerson *person,
                    gint64     id)
{
  g_return_if_fail (KDX_IS_PERSON (person));

  person->id = id;
}

gboolean
_kdx_person_same_search_text (KdxPerson *a,
                              KdxPerson *b)
{
  return g_strcmp0 (a->name, b->name) == 0 && g_strcmp0 (a->email, b->email) == 0 &&
         g_strcmp0 (a->employee_id, b->employee_id) == 0 &&
         g_strcmp0 (a->department, b->department) == 0 && g_strcmp0 (a->role, b->role) == 0;
}

static gboolean
import_index_search (KdxStore   *store,
                     KdxPerson  *person,
                     gboolean    replace,
                     GError    **error)
{
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;
  g_autofree char *text = search_text (person);

  if (replace)
    {
      del = kdx_store_prepare_cached (store, "DELETE FROM person_search WHERE rowid = ?1", error);
      if (del == NULL)
        return FALSE;
      sqlite3_bind_int64 (del, 1, person->id);
      if (!kdx_store_step_done (store, del, error))
        return FALSE;
    }
  ins = kdx_store_prepare_cached (store, "INSERT INTO person_search (rowid, text) "
                                  "VALUES (?1, ?2)", error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, person->id);
  sqlite3_bind_text (ins, 2, text, -1, SQLITE_STATIC);

  return kdx_store_step_done (store, ins, error);
}

gboolean
_kdx_person_import_insert (KdxStore   *store,
                           KdxPerson  *person,
                           gint64      manager_id,
                           GError    **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (kdx_store_in_transaction (store), FALSE);
  g_return_val_if_fail (person->name != NULL, FALSE);

  if (person->uuid == NULL)
    person->uuid = g_uuid_string_random ();
  if (person->created == NULL)
    person->created = kdx_store_now_iso8601 ();
  if (person->modified == NULL)
    person->modified = g_strdup (person->created);

  sort_key = kdx_fold_text (person->name);
  stmt = kdx_store_prepare_cached (store,
                                   "INSERT INTO person (uuid, name, sort_key, email, department, "
                                   "role, committee, active, created, modified, employee_id, "
                                   "manager_id) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, person->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sort_key, -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 4, person->email);
  kdx_store_bind_text_or_null (stmt, 5, person->department);
  kdx_store_bind_text_or_null (stmt, 6, person->role);
  sqlite3_bind_int (stmt, 7, person->committee);
  sqlite3_bind_int (stmt, 8, person->active);
  sqlite3_bind_text (stmt, 9, person->created, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, person->modified, -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 11, person->employee_id);
  if (manager_id > 0)
    sqlite3_bind_int64 (stmt, 12, manager_id);
  else
    sqlite3_bind_null (stmt, 12);
  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;
  person->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  if (!import_index_search (store, person, FALSE, error))
    return FALSE;

  json = kdx_person_to_json (person);
  if (!kdx_journal_append (store, "person", person->uuid, "create", person->name, NULL, json,
                           error))
    return FALSE;
  kdx_store_mark_changed (store, "person", person->id);

  return TRUE;
}

gboolean
_kdx_person_import_save (KdxStore   *store,
                         KdxPerson  *before,
                         KdxPerson  *after,
                         gint64      manager_id,
                         GError    **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  g_autofree char *sort_key = NULL;

  g_return_val_if_fail (kdx_store_in_transaction (store), FALSE);
  g_return_val_if_fail (before != NULL, FALSE);
  g_return_val_if_fail (after->id > 0 && after->uuid != NULL, FALSE);

  after_json = kdx_person_to_json (after);
  before_json = kdx_person_to_json (before);
  if (strcmp (before_json, after_json) == 0)
    return TRUE;
  g_free (after->modified);
  after->modified = kdx_store_now_iso8601 ();

    {
      sort_key = kdx_fold_text (after->name);
      stmt = kdx_store_prepare_cached (store,
                                       "UPDATE person SET name = ?2, sort_key = ?3, email = ?4, "
                                       "department = ?5, role = ?6, manager_id = ?7, "
                                       "committee = ?8, active = ?9, modified = ?10, "
                                       "employee_id = ?11 WHERE id = ?1",
                                       error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, after->id);
      sqlite3_bind_text (stmt, 2, after->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, sort_key, -1, SQLITE_STATIC);
      kdx_store_bind_text_or_null (stmt, 4, after->email);
      kdx_store_bind_text_or_null (stmt, 5, after->department);
      kdx_store_bind_text_or_null (stmt, 6, after->role);
      if (manager_id > 0)
        sqlite3_bind_int64 (stmt, 7, manager_id);
      else
        sqlite3_bind_null (stmt, 7);
      sqlite3_bind_int (stmt, 8, after->committee);
      sqlite3_bind_int (stmt, 9, after->active);
      sqlite3_bind_text (stmt, 10, after->modified, -1, SQLITE_STATIC);
      kdx_store_bind_text_or_null (stmt, 11, after->employee_id);
      if (!kdx_store_step_done (store, stmt, error))
        return FALSE;
    }
  if (!_kdx_person_same_search_text (before, after) &&
      !import_index_search (store, after, TRUE, error))
    return FALSE;

  if (!kdx_journal_append (store, "person", after->uuid, "update", after->name, before_json,
                           after_json, error))
    return FALSE;
  kdx_store_mark_changed (store, "person", after->id);

  return TRUE;
}

static gboolean
set_trashed (KdxStore    *store,
             const char  *uuid,
             gboolean     trashed,
             GError     **error)
{
  g_autoptr(KdxPerson) before = NULL;
  g_autoptr(KdxPerson) after = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_person_load (store, uuid, error);
  if (before == NULL)
    goto out;

  if ((before->trashed != NULL) == trashed)
    {
      ok = TRUE;
      goto out;
    }

  after = kdx_person_copy (before);
  g_clear_pointer (&after->trashed, g_free);
  if (trashed)
    after->trashed = kdx_store_now_iso8601 ();

  ok = write_update (store, before, after, trashed ? "delete" : "restore", error);

out:
  return finish (store, own, ok, error);
}

gboolean
kdx_person_trash (KdxStore    *store,
                  const char  *uuid,
                  GError     **error)
{
  return set_trashed (store, uuid, TRUE, error);
}

gboolean
kdx_person_restore (KdxStore    *store,
                    const char  *uuid,
                    GError     **error)
{
  return set_trashed (store, uuid, FALSE, error);
}

GPtrArray *
kdx_person_list_all (KdxStore  *store,
                     gboolean   include_trashed,
                     GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *people;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare (store,
                            SELECT_PEOPLE (store, FROM " WHERE ?1 OR p.trashed IS NULL "
                                                  "ORDER BY p.id"),
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_trashed);

  people = g_ptr_array_new_with_free_func (g_object_unref);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (people, person_from_row (stmt));

  return people;
}

/* Everyone not in the trash, by name, in one pass: for listings that want
 * every row (kodex-cli person list), where paging would only cost. */
GPtrArray *
kdx_person_list_by_name (KdxStore  *store,
                         gboolean   include_inactive,
                         GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *people;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare (store,
                            SELECT_PEOPLE (store, FROM " WHERE p.trashed IS NULL "
                                                  "AND (?1 OR p.active = 1) "
                                                  "ORDER BY p.sort_key, p.id"),
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_inactive);

  people = g_ptr_array_new_with_free_func (g_object_unref);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (people, person_from_row (stmt));

  return people;
}

GPtrArray *
kdx_person_list_trashed (KdxStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *people = g_ptr_array_new_with_free_func (g_object_unref);

  stmt = kdx_store_prepare (store,
                            SELECT_PEOPLE (store, FROM " WHERE p.trashed IS NOT NULL "
                                                  "ORDER BY p.trashed DESC"),
                            NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (people, person_from_row (stmt));

  return people;
}

gint64
kdx_person_count (KdxStore *store)
{
  return kdx_store_count (store, "SELECT count(*) FROM person WHERE trashed IS NULL");
}

void
kdx_person_count_states (KdxStore *store,
                         gint64   *active,
                         gint64   *committee,
                         gint64   *trashed)
{
  g_return_if_fail (KDX_IS_STORE (store));

  /* Read from the index person_by_state (trashed, active, committee), at
   * no more than the cost of drawing the Overview only if they seek in
   * it: counting the 100,000 active people entry by entry takes longer
   * than the whole table's count (which SQLite takes from the b-tree's
   * pages) less the few who are not, and "active IN (0, 1)" (what the
   * schema allows) lets the committee's count seek past the active flag. */
  if (active != NULL)
    *active = kdx_store_count (store,
                               "SELECT (SELECT count(*) FROM person)"
                               " - (SELECT count(*) FROM person WHERE trashed IS NOT NULL)"
                               " - (SELECT count(*) FROM person WHERE trashed IS NULL AND active = 0)");
  if (committee != NULL)
    *committee = kdx_store_count (store,
                                  "SELECT count(*) FROM person"
                                  " WHERE trashed IS NULL AND active IN (0, 1) AND committee = 1");
  if (trashed != NULL)
    *trashed = kdx_store_count (store, "SELECT count(*) FROM person WHERE trashed IS NOT NULL");
}

/* ------------------------------------------------------------------ */
/* The list: filtered and sorted people, searched as one types         */

/* A search must answer within a keystroke, 30 ms from typing to the drawn
 * rows, also over 100,000 people. Asking SQLite which folded texts hold a
 * word takes that long alone (FTS5 for "vertrieb", which 93 % of the large
 * demo hold; a scan for words under three letters, which the trigram index
 * cannot answer), before the rows are counted and drawn. So the list is
 * made in two steps:
 *
 *  - the people the flags allow, in the chosen order: SQL with the sort
 *    indexes, read again only when the flags, the order or the people
 *    change (9 ms for 100,000 by name);
 *  - of those, the ones whose search text holds every word: the texts of
 *    the search index (person_search, the same text its queries read), kept
 *    in memory for each workspace once someone searches, and scanned with
 *    strstr() — 1 to 5 ms for 100,000.
 *
 * The texts take about 100 bytes a person (10 MB for 100,000); reading them
 * takes about 250 ms, done in a worker thread when the People page is first
 * shown (kdx_person_model_preload_search()), or else at the first search.
 * A change to anyone drops them; the next search reads them again. */

/* The texts lie in the order of names, as the list usually shows them:
 * searching it then reads memory from start to end. */
typedef struct
{
  gint64  id;
  guint32 offset;
} SearchText;

typedef struct
{
  char    *texts;        /* folded search texts of live people, each ending
                          * in NUL, in the order of their names */
  /* To find an id's text: where ids are dense (as ids of a table that only
   * grows are), @by_id[id] is its offset + 1 (0 for none) for ids below
   * @n_by_id; otherwise @sorted holds each SearchText, sorted by id. */
  guint32 *by_id;
  gint64   n_by_id;
  GArray  *sorted;
} SearchTexts;

/* One per workspace, on its store. */
typedef struct
{
  SearchTexts *texts;    /* NULL: to be read */
  guint        serial;   /* changes whenever @texts does */
  gboolean     loading;  /* a worker reads them */
} SearchIndex;

/* One per list. */
typedef struct
{
  KdxStore      *store;
  SearchIndex   *index;  /* on @store */
  char         **words;  /* folded; empty: no search */
  gboolean       include_inactive;
  gboolean       committee_only;
  KdxPersonSort  sort;
  gboolean       descending;
  /* Whom the flags allow in this order, whatever the search; NULL: to be
   * read. */
  GArray        *base;
  /* Their texts, or NULL for someone the index does not hold; valid while
   * the index's serial is @base_serial. */
  const char   **base_texts;
  guint          base_serial;
  /* The last search's words and what it found (indices into @base): a
   * search that only adds to these words searches only there. */
  char         **found_words;
  GArray        *found;
} PersonList;

static GQuark
search_index_quark (void)
{
  return g_quark_from_static_string ("kdx-person-search-index");
}

static GQuark
person_list_quark (void)
{
  return g_quark_from_static_string ("kdx-person-list");
}

static void
search_texts_free (SearchTexts *texts)
{
  if (texts == NULL)
    return;
  g_free (texts->texts);
  g_free (texts->by_id);
  g_clear_pointer (&texts->sorted, g_array_unref);
  g_free (texts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SearchTexts, search_texts_free)

static int
compare_search_texts (gconstpointer a,
                      gconstpointer b)
{
  gint64 ia = ((const SearchText *) a)->id;
  gint64 ib = ((const SearchText *) b)->id;

  return ia < ib ? -1 : ia > ib;
}

/* The index of @id in @entries, sorted by id; G_MAXUINT if it is not there. */
static guint
search_text_find (const SearchText *entries,
                  guint             n,
                  gint64            id)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (entries[mid].id < id)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo < n && entries[lo].id == id ? lo : G_MAXUINT;
}

/* Reads the texts in the index's order (a plain scan), then lays them out
 * in the order of names. */
static SearchTexts *
search_texts_read (KdxStore  *store,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) scan = NULL;
  g_autoptr(sqlite3_stmt) names = NULL;
  g_autoptr(SearchTexts) texts = g_new0 (SearchTexts, 1);
  g_autoptr(GArray) by_id = g_array_new (FALSE, FALSE, sizeof (SearchText));
  g_autoptr(GArray) by_name = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  const SearchText *read;
  gsize length = 0;
  gint64 min_id = G_MAXINT64, max_id = G_MININT64;
  int rc;

  scan = kdx_store_prepare (store, "SELECT rowid, text FROM person_search ORDER BY rowid", error);
  if (scan == NULL)
    return NULL;
  while ((rc = sqlite3_step (scan)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (scan, 1);
      SearchText entry = { sqlite3_column_int64 (scan, 0), (guint32) all->len };

      if (text == NULL || all->len > G_MAXUINT32 / 2)
        continue;
      g_array_append_val (by_id, entry);
      g_string_append_len (all, text, sqlite3_column_bytes (scan, 1));
      g_string_append_c (all, '\0');
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }
  read = (const SearchText *) (gpointer) by_id->data;

  /* A buffer that grew by moving (realloc) is slow to read the first time
   * on some virtual machines (20 ms for 10 MB); this one is written once. */
  texts->texts = g_malloc (all->len + 1);
  by_name = g_array_sized_new (FALSE, FALSE, sizeof (SearchText), by_id->len);
  names = kdx_store_prepare (store, "SELECT id FROM person WHERE trashed IS NULL "
                                    "ORDER BY sort_key, id", error);
  if (names == NULL)
    return NULL;
  while ((rc = sqlite3_step (names)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (names, 0);
      guint at = search_text_find (read, by_id->len, id);
      SearchText entry;
      gsize size;

      if (at == G_MAXUINT)
        continue;

      size = strlen (all->str + read[at].offset) + 1;
      entry.id = id;
      entry.offset = (guint32) length;
      memcpy (texts->texts + length, all->str + read[at].offset, size);
      length += size;
      g_array_append_val (by_name, entry);
      min_id = MIN (min_id, id);
      max_id = MAX (max_id, id);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }
  texts->texts[length] = '\0';

  read = (const SearchText *) (gpointer) by_name->data;
  if (by_name->len > 0 && min_id >= 0 && max_id < (gint64) by_name->len * 4 + 1024)
    {
      texts->n_by_id = max_id + 1;
      texts->by_id = g_new0 (guint32, texts->n_by_id);
      for (guint i = 0; i < by_name->len; i++)
        texts->by_id[read[i].id] = read[i].offset + 1;
    }
  else
    {
      texts->sorted = g_steal_pointer (&by_name);
      g_array_sort (texts->sorted, compare_search_texts);
    }

  return g_steal_pointer (&texts);
}

static const char *
search_texts_lookup (SearchTexts *texts,
                     gint64       id)
{
  const SearchText *sorted;
  guint at;

  if (texts->by_id != NULL)
    {
      if (id < 0 || id >= texts->n_by_id || texts->by_id[id] == 0)
        return NULL;
      return texts->texts + texts->by_id[id] - 1;
    }

  sorted = (const SearchText *) (gpointer) texts->sorted->data;
  at = search_text_find (sorted, texts->sorted->len, id);

  return at == G_MAXUINT ? NULL : texts->texts + sorted[at].offset;
}

static void
search_index_drop (SearchIndex *index)
{
  g_clear_pointer (&index->texts, search_texts_free);
  index->serial++;
}

static void
search_index_free (SearchIndex *index)
{
  search_texts_free (index->texts);
  g_free (index);
}

/* Connected before any list's own handler: the lists read fresh texts. */
static void
search_index_changed_cb (KdxStore    *store,
                         const char  *entity,
                         GArray      *ids,
                         SearchIndex *index)
{
  search_index_drop (index);
}

static SearchIndex *
search_index_for_store (KdxStore *store)
{
  SearchIndex *index = g_object_get_qdata (G_OBJECT (store), search_index_quark ());

  if (index != NULL)
    return index;

  index = g_new0 (SearchIndex, 1);
  g_object_set_qdata_full (G_OBJECT (store), search_index_quark (), index,
                           (GDestroyNotify) search_index_free);
  g_signal_connect (store, "changed::person", G_CALLBACK (search_index_changed_cb), index);

  return index;
}

static SearchTexts *
search_index_get_texts (SearchIndex *index,
                        KdxStore    *store)
{
  g_autoptr(GError) error = NULL;

  if (index->texts != NULL)
    return index->texts;

  index->texts = search_texts_read (store, &error);
  index->serial++;
  if (index->texts == NULL)
    g_warning ("Cannot read the search texts: %s", error->message);

  return index->texts;
}

static void
preload_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(KdxStore) reader = NULL;
  GError *error = NULL;
  SearchTexts *texts;

  reader = kdx_store_open_reader (source_object, &error);
  texts = reader ? search_texts_read (reader, &error) : NULL;
  if (texts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texts, (GDestroyNotify) search_texts_free);
}

static void
preload_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KdxStore *store = KDX_STORE (source);
  SearchIndex *index = g_object_get_qdata (G_OBJECT (store), search_index_quark ());
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  SearchTexts *texts = g_task_propagate_pointer (G_TASK (result), &error);

  index->loading = FALSE;
  if (texts == NULL)
    {
      g_debug ("Cannot read the search texts ahead: %s", error->message);
      return;
    }
  /* Texts read before a change, or after a search read them itself, are
   * not used. */
  if (index->serial != serial || index->texts != NULL)
    {
      search_texts_free (texts);
      return;
    }
  index->texts = texts;
  index->serial++;
}

static void
forget_found (PersonList *list)
{
  g_clear_pointer (&list->found_words, g_strfreev);
  g_clear_pointer (&list->found, g_array_unref);
}

static void
forget_base (PersonList *list)
{
  g_clear_pointer (&list->base, g_array_unref);
  g_clear_pointer (&list->base_texts, g_free);
  forget_found (list);
}

static void
person_list_free (PersonList *list)
{
  g_strfreev (list->words);
  forget_base (list);
  g_free (list);
}

/* Whom the flags allow, in the list's order. */
static GArray *
read_base (PersonList *list)
{
  static const char *orders[] = {
    /* Each ends on the id, so that equal names keep one order. */
    [KDX_PERSON_SORT_NAME] = "p.sort_key %s, p.id",
    /* Empty values last, whichever the direction. */
    [KDX_PERSON_SORT_EMAIL] = "p.email IS NULL, p.email %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_DEPARTMENT] = "p.department IS NULL, p.department %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_ROLE] = "p.role IS NULL, p.role %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_MANAGER] = "m.sort_key IS NULL, m.sort_key %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_COMMITTEE] = "p.committee %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_ACTIVE] = "p.active %s, p.sort_key, p.id",
  };
  g_autofree char *order = g_strdup_printf (orders[list->sort], list->descending ? "DESC" : "ASC");
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Only the filters' fixed fragments and the order go into the SQL. */
  sql = g_strconcat ("SELECT p.id FROM person p",
                     list->sort == KDX_PERSON_SORT_MANAGER
                       ? " LEFT JOIN person m ON m.id = p.manager_id" : "",
                     " WHERE p.trashed IS NULL",
                     list->include_inactive ? "" : " AND p.active = 1",
                     list->committee_only ? " AND p.committee = 1" : "",
                     " ORDER BY ", order, NULL);
  stmt = kdx_store_prepare (list->store, sql, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot list people: %s", error->message);
      return ids;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  return ids;
}

static gboolean
text_holds_words (const char  *text,
                  char       **words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (text, words[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* Whether whoever holds all of @words holds all of @before too: each of
 * @before is part of one of @words ("mül" of "müller"). */
static gboolean
words_narrow (char **words,
              char **before)
{
  for (guint i = 0; before[i] != NULL; i++)
    {
      guint j;

      for (j = 0; words[j] != NULL && strstr (words[j], before[i]) == NULL; j++)
        ;
      if (words[j] == NULL)
        return FALSE;
    }

  return TRUE;
}

/* The ids of the query model: the base, and of it those whose text holds
 * every word. */
static GArray *
choose_people (KdxQueryModel *model,
               gpointer       user_data)
{
  PersonList *list = user_data;
  const gint64 *base;
  SearchTexts *texts;
  GArray *found_at;
  GArray *ids;
  gboolean narrow;

  if (list->base == NULL)
    list->base = read_base (list);
  if (list->words[0] == NULL)
    return g_array_ref (list->base);

  texts = search_index_get_texts (list->index, list->store);
  if (texts == NULL)
    return NULL;
  base = (const gint64 *) (gpointer) list->base->data;
  if (list->base_texts == NULL || list->base_serial != list->index->serial)
    {
      forget_found (list);
      g_free (list->base_texts);
      list->base_texts = g_new (const char *, MAX (list->base->len, 1));
      for (guint i = 0; i < list->base->len; i++)
        list->base_texts[i] = search_texts_lookup (texts, base[i]);
      list->base_serial = list->index->serial;
    }

  /* Typing on narrows the last search: only what it found is searched. */
  narrow = list->found != NULL && words_narrow (list->words, list->found_words);
  found_at = g_array_sized_new (FALSE, FALSE, sizeof (guint32),
                                narrow ? list->found->len : list->base->len);
  if (narrow)
    {
      for (guint k = 0; k < list->found->len; k++)
        {
          guint32 i = g_array_index (list->found, guint32, k);

          if (text_holds_words (list->base_texts[i], list->words))
            g_array_append_val (found_at, i);
        }
    }
  else
    {
      for (guint32 i = 0; i < list->base->len; i++)
        if (list->base_texts[i] != NULL && text_holds_words (list->base_texts[i], list->words))
          g_array_append_val (found_at, i);
    }

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), found_at->len);
  for (guint k = 0; k < found_at->len; k++)
    g_array_append_val (ids, base[g_array_index (found_at, guint32, k)]);

  forget_found (list);
  list->found = found_at;
  list->found_words = g_strdupv (list->words);

  return ids;
}

static void
person_list_changed_cb (KdxQueryModel *model,
                        const char    *entity,
                        GArray        *ids,
                        KdxStore      *store)
{
  PersonList *list = g_object_get_qdata (G_OBJECT (model), person_list_quark ());

  forget_base (list);
  kdx_query_model_reload (model);
}

/* Read a page of people by id: column 0 is the id. */
#define ROWS_BY_ID " FROM json_each(?1) j JOIN person p ON p.id = j.value" \
                   " LEFT JOIN person m ON m.id = p.manager_id"

GListModel *
kdx_person_model_new (KdxStore *store)
{
  KdxQueryModel *model;
  PersonList *list;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  model = kdx_query_model_new (store, KDX_TYPE_PERSON, person_from_row);
  list = g_new0 (PersonList, 1);
  list->store = store;
  /* The index first: its handler runs before the list's. */
  list->index = search_index_for_store (store);
  list->words = g_new0 (char *, 1);
  list->sort = KDX_PERSON_SORT_NAME;
  g_object_set_qdata (G_OBJECT (model), person_list_quark (), list);
  g_signal_connect_object (store, "changed::person", G_CALLBACK (person_list_changed_cb),
                           model, G_CONNECT_SWAPPED);
  kdx_query_model_set_ids_func (model, SELECT_PEOPLE (store, ROWS_BY_ID), choose_people, list,
                                (GDestroyNotify) person_list_free);

  return G_LIST_MODEL (model);
}

/* Searching: every word of the query must occur in the person's folded
 * search text (name, e-mail, employee id, department, role). */
void
kdx_person_model_set_filter (GListModel    *model,
                             const char    *search,
                             gboolean       include_inactive,
                             gboolean       committee_only,
                             KdxPersonSort  sort,
                             gboolean       descending)
{
  g_autofree char *folded = kdx_fold_text (search);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) parts = NULL;
  PersonList *list;

  g_return_if_fail (KDX_IS_QUERY_MODEL (model));
  g_return_if_fail (sort <= KDX_PERSON_SORT_ACTIVE);

  list = g_object_get_qdata (G_OBJECT (model), person_list_quark ());
  g_return_if_fail (list != NULL);

  parts = g_strsplit_set (g_strstrip (folded), " \t\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  words = g_strv_builder_end (builder);

  if (list->include_inactive != !!include_inactive || list->committee_only != !!committee_only ||
      list->sort != sort || list->descending != !!descending)
    {
      list->include_inactive = !!include_inactive;
      list->committee_only = !!committee_only;
      list->sort = sort;
      list->descending = !!descending;
      forget_base (list);
    }
  else if (g_strv_equal ((const char * const *) list->words, (const char * const *) words))
    return;

  g_strfreev (list->words);
  list->words = g_steal_pointer (&words);
  /* The people did not change, only whom the list shows. */
  kdx_query_model_refilter (KDX_QUERY_MODEL (model));
}

/* Reads the search texts of the list's workspace in a worker thread, so
 * that the first search need not: for a page that will likely be searched
 * soon. Does nothing when they are read already. */
void
kdx_person_model_preload_search (GListModel *model)
{
  g_autoptr(GTask) task = NULL;
  PersonList *list;

  g_return_if_fail (KDX_IS_QUERY_MODEL (model));

  list = g_object_get_qdata (G_OBJECT (model), person_list_quark ());
  g_return_if_fail (list != NULL);

  if (list->index->texts != NULL || list->index->loading)
    return;

  list->index->loading = TRUE;
  task = g_task_new (list->store, NULL, preload_done_cb, GUINT_TO_POINTER (list->index->serial));
  g_task_set_source_tag (task, kdx_person_model_preload_search);
  g_task_run_in_thread (task, preload_in_thread);
}
