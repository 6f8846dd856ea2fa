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
  PROP_DEPARTMENT,
  PROP_ROLE,
  PROP_COMMITTEE,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KdxPerson, kdx_person, G_TYPE_OBJECT)
G_DEFINE_QUARK (kdx-person-error-quark, kdx_person_error)

#define COLUMNS "p.id, p.uuid, p.name, p.email, p.department, p.role, m.uuid, m.name, " \
                "p.committee, p.active, p.created, p.modified, p.trashed"
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

  return load_where (store, "SELECT " COLUMNS FROM " WHERE p.uuid = ?1", uuid, error);
}

KdxPerson *
kdx_person_find (KdxStore    *store,
                 const char  *uuid_or_email,
                 GError     **error)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid_or_email != NULL, NULL);

  lower = g_utf8_strdown (uuid_or_email, -1);

  return load_where (store,
                     "SELECT " COLUMNS FROM " WHERE p.uuid = ?1 OR "
                     "(p.email = ?1 AND p.trashed IS NULL)",
                     lower, error);
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
    const char *texts[] = { person->name, person->email, person->department, person->role };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      if (has_control_characters (texts[i]))
        {
          g_set_error_literal (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID,
                               _("The text contains a control character"));
          return FALSE;
        }
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

  return TRUE;
}

static char *
search_text (KdxPerson *person)
{
  g_autofree char *joined = g_strjoin (" ",
                                       person->name ? person->name : "",
                                       person->email ? person->email : "",
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

gboolean
kdx_person_reindex_search (KdxStore  *store,
                           GError   **error)
{
  g_autoptr(GPtrArray) people = kdx_person_list_all (store, FALSE, error);

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
  g_autoptr(GPtrArray) people = kdx_person_list_all (store, TRUE, error);
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
                            "INSERT INTO person (uuid, name, sort_key, email, department, role, "
                            "manager_id, committee, active, created, modified, trashed) "
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

  if (!kdx_store_step_done (store, stmt, error))
    goto out;
  person->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  if (!index_search (store, person, error))
    goto out;

  json = kdx_person_to_json (person);
  if (!kdx_journal_append (store, "person", person->uuid, "create", person->name,
                           NULL, json, error))
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
                            "UPDATE person SET name = ?2, sort_key = ?3, email = ?4, "
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

  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;

  after->id = before->id;
  if (!index_search (store, after, error))
    return FALSE;

  if (!kdx_journal_append (store, "person", after->uuid, action, after->name,
                           before_json, after_json, error))
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
                            "SELECT " COLUMNS FROM " WHERE ?1 OR p.trashed IS NULL "
                            "ORDER BY p.id",
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
                            "SELECT " COLUMNS FROM " WHERE p.trashed IS NULL "
                            "AND (?1 OR p.active = 1) ORDER BY p.sort_key, p.id",
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
                            "SELECT " COLUMNS FROM " WHERE p.trashed IS NOT NULL "
                            "ORDER BY p.trashed DESC",
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

GListModel *
kdx_person_model_new (KdxStore *store)
{
  KdxQueryModel *model = kdx_query_model_new (store, KDX_TYPE_PERSON, person_from_row);

  kdx_query_model_watch (model, "person");
  kdx_person_model_set_filter (G_LIST_MODEL (model), NULL, FALSE, FALSE,
                               KDX_PERSON_SORT_NAME, FALSE);

  return G_LIST_MODEL (model);
}

static void
add_param (GPtrArray *params,
           GVariant  *value)
{
  g_ptr_array_add (params, g_variant_ref_sink (value));
}

/* Searching: every word of the query must occur in the person's folded
 * text. Words of three letters or more use the trigram index; shorter
 * ones are checked on the rows the index leaves. */
void
kdx_person_model_set_filter (GListModel    *model,
                             const char    *search,
                             gboolean       include_inactive,
                             gboolean       committee_only,
                             KdxPersonSort  sort,
                             gboolean       descending)
{
  static const char *orders[] = {
    /* Each ends on the id, so that pages of equal names never overlap. */
    [KDX_PERSON_SORT_NAME] = "p.sort_key %s, p.id",
    /* Empty values last, whichever the direction. */
    [KDX_PERSON_SORT_EMAIL] = "p.email IS NULL, p.email %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_DEPARTMENT] = "p.department IS NULL, p.department %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_ROLE] = "p.role IS NULL, p.role %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_MANAGER] = "m.sort_key IS NULL, m.sort_key %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_COMMITTEE] = "p.committee %s, p.sort_key, p.id",
    [KDX_PERSON_SORT_ACTIVE] = "p.active %s, p.sort_key, p.id",
  };
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(GString) where = g_string_new ("p.trashed IS NULL");
  g_autoptr(GString) match = g_string_new (NULL);
  g_autofree char *folded = kdx_fold_text (search);
  g_autofree char *order = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  g_auto(GStrv) words = NULL;

  g_return_if_fail (KDX_IS_QUERY_MODEL (model));
  g_return_if_fail (sort <= KDX_PERSON_SORT_ACTIVE);

  if (!include_inactive)
    g_string_append (where, " AND p.active = 1");
  if (committee_only)
    g_string_append (where, " AND p.committee = 1");

  words = g_strsplit_set (g_strstrip (folded), " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;
      char **parts;

      if (*words[i] == '\0')
        continue;
      if (g_utf8_strlen (words[i], -1) >= 3)
        {
          /* An FTS5 string: double quotes doubled inside. */
          parts = g_strsplit (words[i], "\"", -1);
          quoted = g_strjoinv ("\"\"", parts);
          g_strfreev (parts);
          g_string_append_printf (match, "%s\"%s\"", match->len ? " " : "", quoted);
        }
      else
        {
          add_param (params, g_variant_new_string (words[i]));
          g_string_append_printf (where,
                                  " AND p.id IN (SELECT rowid FROM person_search WHERE instr(text, ?%u) > 0)",
                                  params->len);
        }
    }
  if (match->len > 0)
    {
      add_param (params, g_variant_new_string (match->str));
      g_string_append_printf (where,
                              " AND p.id IN (SELECT rowid FROM person_search WHERE person_search MATCH ?%u)",
                              params->len);
    }

  order = g_strdup_printf (orders[sort], descending ? "DESC" : "ASC");
  limit = g_strdup_printf (" LIMIT ?%u OFFSET ?%u", params->len + 1, params->len + 2);
  /* The page is chosen on ids alone, which the name indexes cover, and
   * only its 64 rows are read in full: a page deep in 100,000 people costs
   * an index walk, not 50,000 row reads. */
  count_sql = g_strconcat ("SELECT count(*) FROM person p WHERE ", where->str, NULL);
  page_sql = g_strconcat ("SELECT " COLUMNS FROM
                          " JOIN (SELECT p.id AS page_id" FROM " WHERE ", where->str,
                          " ORDER BY ", order, limit, ") page ON page.page_id = p.id"
                          " ORDER BY ", order, NULL);

  kdx_query_model_set_query (KDX_QUERY_MODEL (model), count_sql, page_sql, params);
}
