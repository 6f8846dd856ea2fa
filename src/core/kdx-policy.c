/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Policies, their versions, the committee's votes and the
 * acknowledgements (DESIGN §4). The lifecycle rules live here, so the UI,
 * the CLI and an import all meet the same refusals: only a draft changes;
 * a review needs a change summary; only committee members vote, once per
 * round, as themselves; the quorum rule decides; only an approved version
 * is published.
 */
#define G_LOG_DOMAIN "kdx-policy"

#include "config.h"

#include "kdx-policy.h"

#include "kdx-csv.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-quorum.h"
#include "kdx-store-private.h"
#include "kdx-template.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

struct _KdxPolicy
{
  GObject           parent_instance;

  gint64            id;
  char             *uuid;
  char             *key;
  char             *title;
  KdxPolicyKind     kind;
  KdxPolicyArea     area;
  char             *owner;
  char             *owner_name;
  guint             review_months;
  char             *next_review;
  char             *retired;
  char             *created;
  char             *modified;
  char             *trashed;
  char             *template;     /* the shipped template it was made from, or NULL */

  KdxVersionStatus  status;
  char             *version_label;
  char             *published_label;
};

struct _KdxPolicyVersion
{
  GObject           parent_instance;

  gint64            id;
  gint64            policy_id;
  char             *uuid;
  char             *policy;
  guint             number;
  guint             major;
  guint             minor;
  char             *label;
  KdxVersionStatus  status;
  char             *body;
  char             *summary;
  char             *author;
  char             *author_name;
  guint             round;
  KdxAckScope       ack_scope;
  char             *ack_target;
  char             *effective;
  char             *submitted;
  char             *approved;
  char             *published;
  char             *created;
  char             *modified;
  char             *digest;       /* of body, computed when first needed */
};

G_DEFINE_FINAL_TYPE (KdxPolicy, kdx_policy, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (KdxPolicyVersion, kdx_policy_version, G_TYPE_OBJECT)
G_DEFINE_QUARK (kdx-policy-error-quark, kdx_policy_error)

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *kind_ids[] = { "code-of-conduct", "policy", "guideline", "procedure" };
static const char *kind_labels[] = {
  N_("Code of conduct"), N_("Policy"), N_("Guideline"), N_("Procedure"),
};
static const char *area_ids[] = {
  "transparency", "privacy", "fairness", "oversight", "autonomy", "workforce", "governance",
};
static const char *area_labels[] = {
  N_("Transparency & explainability"),
  N_("Privacy & data protection"),
  N_("Fairness & non-discrimination"),
  N_("Human oversight & accountability"),
  N_("Manipulation & customer autonomy"),
  N_("Workforce & training"),
  N_("Governance & culture"),
};
static const char *status_ids[] = {
  "draft", "review", "approved", "published", "superseded", "retired",
};
static const char *status_labels[] = {
  /* Translators: the status of a policy version */
  N_("Draft"), N_("In review"), N_("Approved"), N_("Published"), N_("Superseded"), N_("Retired"),
};
static const char *choice_ids[] = { "approve", "reject", "abstain" };
static const char *choice_labels[] = {
  /* Translators: a committee member's vote */
  N_("Approve"), N_("Reject"), N_("Abstain"),
};
static const char *scope_ids[] = { "none", "all", "department", "role" };

G_STATIC_ASSERT (G_N_ELEMENTS (kind_ids) == KDX_POLICY_N_KINDS);
G_STATIC_ASSERT (G_N_ELEMENTS (area_ids) == KDX_POLICY_N_AREAS);
G_STATIC_ASSERT (G_N_ELEMENTS (status_ids) == KDX_VERSION_N_STATUSES);
G_STATIC_ASSERT (G_N_ELEMENTS (choice_ids) == KDX_VOTE_N_CHOICES);
G_STATIC_ASSERT (G_N_ELEMENTS (scope_ids) == KDX_ACK_N_SCOPES);

static int
lookup (const char  *text,
        const char **ids,
        guint        n_ids)
{
  for (guint i = 0; text != NULL && i < n_ids; i++)
    if (g_str_equal (text, ids[i]))
      return i;

  return -1;
}

#define NAME_FUNCS(prefix, Type, ids, count)                                  \
  const char *prefix##_to_string (Type value)                                 \
  {                                                                           \
    g_return_val_if_fail ((guint) value < count, NULL);                       \
    return ids[value];                                                        \
  }                                                                           \
  int prefix##_from_string (const char *text)                                 \
  {                                                                           \
    return lookup (text, ids, count);                                         \
  }

NAME_FUNCS (kdx_policy_kind, KdxPolicyKind, kind_ids, KDX_POLICY_N_KINDS)
NAME_FUNCS (kdx_policy_area, KdxPolicyArea, area_ids, KDX_POLICY_N_AREAS)
NAME_FUNCS (kdx_version_status, KdxVersionStatus, status_ids, KDX_VERSION_N_STATUSES)
NAME_FUNCS (kdx_vote_choice, KdxVoteChoice, choice_ids, KDX_VOTE_N_CHOICES)
NAME_FUNCS (kdx_ack_scope, KdxAckScope, scope_ids, KDX_ACK_N_SCOPES)

const char *
kdx_policy_kind_get_label (KdxPolicyKind kind)
{
  g_return_val_if_fail ((guint) kind < KDX_POLICY_N_KINDS, NULL);
  return _(kind_labels[kind]);
}

const char *
kdx_policy_area_get_label (KdxPolicyArea area)
{
  g_return_val_if_fail ((guint) area < KDX_POLICY_N_AREAS, NULL);
  return _(area_labels[area]);
}

const char *
kdx_version_status_get_label (KdxVersionStatus status)
{
  g_return_val_if_fail ((guint) status < KDX_VERSION_N_STATUSES, NULL);
  return _(status_labels[status]);
}

const char *
kdx_vote_choice_get_label (KdxVoteChoice choice)
{
  g_return_val_if_fail ((guint) choice < KDX_VOTE_N_CHOICES, NULL);
  return _(choice_labels[choice]);
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint y, m, d;
  char rest;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &rest) != 3 ||
      strlen (text) != 10 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The objects                                                         */

static void
kdx_policy_finalize (GObject *object)
{
  KdxPolicy *self = KDX_POLICY (object);

  g_free (self->uuid);
  g_free (self->key);
  g_free (self->title);
  g_free (self->owner);
  g_free (self->owner_name);
  g_free (self->next_review);
  g_free (self->retired);
  g_free (self->created);
  g_free (self->modified);
  g_free (self->trashed);
  g_free (self->template);
  g_free (self->version_label);
  g_free (self->published_label);

  G_OBJECT_CLASS (kdx_policy_parent_class)->finalize (object);
}

static void
kdx_policy_class_init (KdxPolicyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_policy_finalize;
}

static void
kdx_policy_init (KdxPolicy *self)
{
  self->kind = KDX_POLICY_KIND_POLICY;
  self->area = KDX_POLICY_AREA_GOVERNANCE;
  self->review_months = 12;
}

KdxPolicy *
kdx_policy_new (void)
{
  return g_object_new (KDX_TYPE_POLICY, NULL);
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_autofree char *trimmed = value ? g_strstrip (g_strdup (value)) : NULL;

  g_free (*field);
  *field = (trimmed && *trimmed) ? g_steal_pointer (&trimmed) : NULL;
}

#define GETTER(Type, type, field, RType) \
  RType type##_get_##field (Type *self) { return self->field; }

GETTER (KdxPolicy, kdx_policy, uuid, const char *)
GETTER (KdxPolicy, kdx_policy, key, const char *)
GETTER (KdxPolicy, kdx_policy, title, const char *)
GETTER (KdxPolicy, kdx_policy, kind, KdxPolicyKind)
GETTER (KdxPolicy, kdx_policy, area, KdxPolicyArea)
GETTER (KdxPolicy, kdx_policy, owner, const char *)
GETTER (KdxPolicy, kdx_policy, owner_name, const char *)
GETTER (KdxPolicy, kdx_policy, review_months, guint)
GETTER (KdxPolicy, kdx_policy, next_review, const char *)
GETTER (KdxPolicy, kdx_policy, retired, const char *)
GETTER (KdxPolicy, kdx_policy, created, const char *)
GETTER (KdxPolicy, kdx_policy, modified, const char *)
GETTER (KdxPolicy, kdx_policy, trashed, const char *)
GETTER (KdxPolicy, kdx_policy, template, const char *)
GETTER (KdxPolicy, kdx_policy, status, KdxVersionStatus)
GETTER (KdxPolicy, kdx_policy, version_label, const char *)
GETTER (KdxPolicy, kdx_policy, published_label, const char *)

void kdx_policy_set_key (KdxPolicy *self, const char *key) { replace_string (&self->key, key); }
void kdx_policy_set_title (KdxPolicy *self, const char *title) { replace_string (&self->title, title); }
void kdx_policy_set_owner (KdxPolicy *self, const char *uuid) { replace_string (&self->owner, uuid); }
void kdx_policy_set_next_review (KdxPolicy *self, const char *date) { replace_string (&self->next_review, date); }
void kdx_policy_set_template (KdxPolicy *self, const char *id) { replace_string (&self->template, id); }

void
kdx_policy_set_kind (KdxPolicy     *self,
                     KdxPolicyKind  kind)
{
  g_return_if_fail ((guint) kind < KDX_POLICY_N_KINDS);
  self->kind = kind;
}

void
kdx_policy_set_area (KdxPolicy     *self,
                     KdxPolicyArea  area)
{
  g_return_if_fail ((guint) area < KDX_POLICY_N_AREAS);
  self->area = area;
}

void
kdx_policy_set_review_months (KdxPolicy *self,
                              guint      months)
{
  self->review_months = MIN (months, 120);
}

gboolean
kdx_policy_is_overdue (KdxPolicy  *self,
                       const char *today)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (KDX_IS_POLICY (self), FALSE);

  if (self->next_review == NULL || self->retired != NULL || self->trashed != NULL)
    return FALSE;
  if (today == NULL)
    today = now = kdx_date_today ();

  return strcmp (self->next_review, today) < 0;
}

static void
kdx_policy_version_finalize (GObject *object)
{
  KdxPolicyVersion *self = KDX_POLICY_VERSION (object);

  g_free (self->uuid);
  g_free (self->policy);
  g_free (self->label);
  g_free (self->body);
  g_free (self->summary);
  g_free (self->author);
  g_free (self->author_name);
  g_free (self->ack_target);
  g_free (self->effective);
  g_free (self->submitted);
  g_free (self->approved);
  g_free (self->published);
  g_free (self->created);
  g_free (self->modified);
  g_free (self->digest);

  G_OBJECT_CLASS (kdx_policy_version_parent_class)->finalize (object);
}

static void
kdx_policy_version_class_init (KdxPolicyVersionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_policy_version_finalize;
}

static void
kdx_policy_version_init (KdxPolicyVersion *self)
{
}

GETTER (KdxPolicyVersion, kdx_policy_version, uuid, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, policy, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, number, guint)
GETTER (KdxPolicyVersion, kdx_policy_version, major, guint)
GETTER (KdxPolicyVersion, kdx_policy_version, minor, guint)
GETTER (KdxPolicyVersion, kdx_policy_version, label, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, status, KdxVersionStatus)
GETTER (KdxPolicyVersion, kdx_policy_version, body, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, summary, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, author, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, author_name, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, round, guint)
GETTER (KdxPolicyVersion, kdx_policy_version, ack_scope, KdxAckScope)
GETTER (KdxPolicyVersion, kdx_policy_version, ack_target, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, effective, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, submitted, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, approved, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, published, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, created, const char *)
GETTER (KdxPolicyVersion, kdx_policy_version, modified, const char *)

gboolean
kdx_policy_version_is_editable (KdxPolicyVersion *self)
{
  return self->status == KDX_VERSION_DRAFT;
}

void
kdx_vote_free (KdxVote *vote)
{
  if (vote == NULL)
    return;
  g_free (vote->person);
  g_free (vote->person_name);
  g_free (vote->comment);
  g_free (vote->time);
  g_free (vote);
}

void
kdx_ack_row_free (KdxAckRow *row)
{
  if (row == NULL)
    return;
  g_free (row->person);
  g_free (row->name);
  g_free (row->department);
  g_free (row->role);
  g_free (row->time);
  g_free (row->version);
  g_free (row);
}

void
kdx_ack_summary_free (KdxAckSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->department);
  g_free (summary);
}

void
kdx_policy_hit_free (KdxPolicyHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->policy);
  g_free (hit->key);
  g_free (hit->title);
  g_free (hit->version);
  g_free (hit->label);
  g_free (hit->snippet);
  g_free (hit);
}

/* ------------------------------------------------------------------ */
/* Journal views: fixed member order, so equal objects give equal text. */

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

char *
kdx_policy_to_json (KdxPolicy *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (KDX_IS_POLICY (self), NULL);

  json_builder_begin_object (b);
  add_member (b, "uuid", self->uuid);
  add_member (b, "key", self->key);
  add_member (b, "title", self->title);
  add_member (b, "kind", kind_ids[self->kind]);
  add_member (b, "area", area_ids[self->area]);
  add_member (b, "owner", self->owner);
  json_builder_set_member_name (b, "review_months");
  json_builder_add_int_value (b, self->review_months);
  add_member (b, "next_review", self->next_review);
  add_member (b, "retired", self->retired);
  add_member (b, "trashed", self->trashed);
  /* Only when there is one, so that the entries of policies written by
   * hand read as they always did. */
  if (self->template != NULL)
    add_member (b, "template", self->template);
  json_builder_end_object (b);

  return builder_to_string (b);
}

/* The text itself is kept by its digest: a draft is stored as it is
 * typed, and the wording that counts is in the version, immutable from
 * its approval on. */
static char *
version_to_json (KdxPolicyVersion *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  if (self->digest == NULL)
    self->digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->body ? self->body : "", -1);

  json_builder_begin_object (b);
  add_member (b, "uuid", self->uuid);
  add_member (b, "policy", self->policy);
  add_member (b, "version", self->label);
  add_member (b, "status", status_ids[self->status]);
  add_member (b, "summary", self->summary);
  add_member (b, "author", self->author);
  json_builder_set_member_name (b, "round");
  json_builder_add_int_value (b, self->round);
  add_member (b, "ack_scope", scope_ids[self->ack_scope]);
  add_member (b, "ack_target", self->ack_target);
  add_member (b, "effective", self->effective);
  add_member (b, "body_sha256", self->digest);
  json_builder_set_member_name (b, "body_length");
  json_builder_add_int_value (b, self->body ? (gint64) strlen (self->body) : 0);
  json_builder_end_object (b);

  return builder_to_string (b);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

#define POLICY_COLUMNS                                                        \
  "SELECT p.id, p.uuid, p.key, p.title, p.kind, p.area, o.uuid, o.name, "     \
  "p.review_months, p.next_review, p.retired, p.created, p.modified, "        \
  "p.trashed, "                                                               \
  "(SELECT v.status FROM policy_version v WHERE v.policy_id = p.id "          \
  " ORDER BY v.number DESC LIMIT 1) AS status, "                              \
  "(SELECT v.major || '.' || v.minor FROM policy_version v "                  \
  " WHERE v.policy_id = p.id ORDER BY v.number DESC LIMIT 1), "               \
  "(SELECT v.major || '.' || v.minor FROM policy_version v "                  \
  " WHERE v.policy_id = p.id AND v.status = 'published'), p.template "
#define POLICY_FROM "FROM policy p LEFT JOIN person o ON o.id = p.owner_id "

static KdxPolicy *
policy_from_row (sqlite3_stmt *stmt)
{
  KdxPolicy *self = kdx_policy_new ();
  g_autofree char *kind = kdx_store_column_text (stmt, 4);
  g_autofree char *area = kdx_store_column_text (stmt, 5);
  g_autofree char *status = kdx_store_column_text (stmt, 14);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->uuid = kdx_store_column_text (stmt, 1);
  self->key = kdx_store_column_text (stmt, 2);
  self->title = kdx_store_column_text (stmt, 3);
  self->kind = MAX (kdx_policy_kind_from_string (kind), 0);
  self->area = MAX (kdx_policy_area_from_string (area), 0);
  self->owner = kdx_store_column_text (stmt, 6);
  self->owner_name = kdx_store_column_text (stmt, 7);
  self->review_months = sqlite3_column_int (stmt, 8);
  self->next_review = kdx_store_column_text (stmt, 9);
  self->retired = kdx_store_column_text (stmt, 10);
  self->created = kdx_store_column_text (stmt, 11);
  self->modified = kdx_store_column_text (stmt, 12);
  self->trashed = kdx_store_column_text (stmt, 13);
  self->status = MAX (kdx_version_status_from_string (status), 0);
  self->version_label = kdx_store_column_text (stmt, 15);
  self->published_label = kdx_store_column_text (stmt, 16);
  self->template = kdx_store_column_text (stmt, 17);

  return self;
}

#define VERSION_COLUMNS                                                       \
  "SELECT v.id, v.policy_id, v.uuid, p.uuid, v.number, v.major, v.minor, "    \
  "v.status, v.body, v.summary, a.uuid, a.name, v.round, v.ack_scope, "       \
  "v.ack_target, v.effective, v.submitted, v.approved, v.published, "         \
  "v.created, v.modified "                                                    \
  "FROM policy_version v JOIN policy p ON p.id = v.policy_id "                \
  "LEFT JOIN person a ON a.id = v.author_id "

static KdxPolicyVersion *
version_from_row (sqlite3_stmt *stmt)
{
  KdxPolicyVersion *self = g_object_new (KDX_TYPE_POLICY_VERSION, NULL);
  g_autofree char *status = kdx_store_column_text (stmt, 7);
  g_autofree char *scope = kdx_store_column_text (stmt, 13);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->policy_id = sqlite3_column_int64 (stmt, 1);
  self->uuid = kdx_store_column_text (stmt, 2);
  self->policy = kdx_store_column_text (stmt, 3);
  self->number = sqlite3_column_int (stmt, 4);
  self->major = sqlite3_column_int (stmt, 5);
  self->minor = sqlite3_column_int (stmt, 6);
  self->label = g_strdup_printf ("%u.%u", self->major, self->minor);
  self->status = MAX (kdx_version_status_from_string (status), 0);
  self->body = kdx_store_column_text (stmt, 8);
  self->summary = kdx_store_column_text (stmt, 9);
  self->author = kdx_store_column_text (stmt, 10);
  self->author_name = kdx_store_column_text (stmt, 11);
  self->round = sqlite3_column_int (stmt, 12);
  self->ack_scope = MAX (kdx_ack_scope_from_string (scope), 0);
  self->ack_target = kdx_store_column_text (stmt, 14);
  self->effective = kdx_store_column_text (stmt, 15);
  self->submitted = kdx_store_column_text (stmt, 16);
  self->approved = kdx_store_column_text (stmt, 17);
  self->published = kdx_store_column_text (stmt, 18);
  self->created = kdx_store_column_text (stmt, 19);
  self->modified = kdx_store_column_text (stmt, 20);
  if (self->body == NULL)
    self->body = g_strdup ("");

  return self;
}

KdxPolicy *
kdx_policy_load (KdxStore    *store,
                 const char  *uuid_or_key,
                 GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid_or_key != NULL, NULL);

  stmt = kdx_store_prepare_cached (store, POLICY_COLUMNS POLICY_FROM
                            "WHERE p.uuid = ?1 OR p.key = upper(?1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid_or_key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                   _("There is no policy “%s” in this workspace"), uuid_or_key);
      return NULL;
    }

  return policy_from_row (stmt);
}

KdxPolicyVersion *
kdx_policy_version_load (KdxStore    *store,
                         const char  *version_uuid,
                         GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (version_uuid != NULL, NULL);

  stmt = kdx_store_prepare_cached (store, VERSION_COLUMNS "WHERE v.uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, version_uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                           _("This version of the policy no longer exists"));
      return NULL;
    }

  return version_from_row (stmt);
}

GPtrArray *
kdx_policy_list_versions (KdxStore    *store,
                          const char  *policy_uuid,
                          GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store, VERSION_COLUMNS "WHERE p.uuid = ?1 ORDER BY v.number", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, policy_uuid, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (versions, version_from_row (stmt));

  return g_steal_pointer (&versions);
}

KdxPolicyVersion *
kdx_policy_version_find (KdxStore    *store,
                         const char  *policy_uuid,
                         const char  *number_or_label,
                         GError     **error)
{
  g_autoptr(GPtrArray) versions = kdx_policy_list_versions (store, policy_uuid, error);
  KdxPolicyVersion *published = NULL;

  if (versions == NULL)
    return NULL;

  for (guint i = 0; i < versions->len; i++)
    {
      KdxPolicyVersion *v = versions->pdata[i];
      char number[16];

      g_snprintf (number, sizeof number, "%u", v->number);
      if (number_or_label != NULL &&
          (g_str_equal (number_or_label, number) || g_str_equal (number_or_label, v->label)))
        return g_object_ref (v);
      if (v->status == KDX_VERSION_PUBLISHED)
        published = v;
    }

  if (number_or_label == NULL && versions->len > 0)
    return g_object_ref (published ? published : versions->pdata[versions->len - 1]);

  if (number_or_label == NULL)
    g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                         _("The policy has no version"));
  else
    g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                 _("The policy has no version “%s”"), number_or_label);

  return NULL;
}

void
kdx_policy_filter_init (KdxPolicyFilter *filter)
{
  memset (filter, 0, sizeof *filter);
  filter->kind = -1;
  filter->area = -1;
  filter->status = -1;
}

/* ORDER BY clauses, chosen by the sort; never built from data. */
static const char *policy_orders[][2] = {
  [KDX_POLICY_SORT_KEY]         = { "ORDER BY key", "ORDER BY key DESC" },
  [KDX_POLICY_SORT_TITLE]       = { "ORDER BY sort_key, key", "ORDER BY sort_key DESC, key DESC" },
  [KDX_POLICY_SORT_KIND]        = { "ORDER BY kind, key", "ORDER BY kind DESC, key DESC" },
  [KDX_POLICY_SORT_AREA]        = { "ORDER BY area, key", "ORDER BY area DESC, key DESC" },
  [KDX_POLICY_SORT_STATUS]      = { "ORDER BY status, key", "ORDER BY status DESC, key DESC" },
  [KDX_POLICY_SORT_OWNER]       = { "ORDER BY owner_name IS NULL, owner_name, key",
                                    "ORDER BY owner_name IS NULL, owner_name DESC, key DESC" },
  [KDX_POLICY_SORT_NEXT_REVIEW] = { "ORDER BY next_review IS NULL, next_review, key",
                                    "ORDER BY next_review IS NULL, next_review DESC, key DESC" },
};

GPtrArray *
kdx_policy_list (KdxStore               *store,
                 const KdxPolicyFilter  *filter,
                 GError                **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *today = NULL;
  g_autofree char *sql = NULL;
  KdxPolicyFilter defaults;
  guint sort;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (filter == NULL)
    {
      kdx_policy_filter_init (&defaults);
      filter = &defaults;
    }
  today = filter->today ? g_strdup (filter->today) : kdx_date_today ();
  sort = MIN ((guint) filter->sort, G_N_ELEMENTS (policy_orders) - 1);

  sql = g_strconcat ("SELECT * FROM (" POLICY_COLUMNS ", p.sort_key AS sort_key, "
                     "o.name AS owner_name " POLICY_FROM
                     "WHERE p.trashed IS NULL "
                     "AND (?1 IS NULL OR p.kind = ?1) AND (?2 IS NULL OR p.area = ?2) "
                     "AND (?3 IS NULL OR o.uuid = ?3) "
                     "AND (?4 = 0 OR (p.next_review < ?5 AND p.retired IS NULL)) "
                     "AND (?6 = 1 OR p.retired IS NULL)) "
                     "WHERE (?7 IS NULL OR status = ?7) ",
                     policy_orders[sort][filter->descending ? 1 : 0], NULL);
  stmt = kdx_store_prepare_cached (store, sql, error);
  if (stmt == NULL)
    return NULL;

  if (filter->kind >= 0 && filter->kind < KDX_POLICY_N_KINDS)
    sqlite3_bind_text (stmt, 1, kind_ids[filter->kind], -1, SQLITE_STATIC);
  if (filter->area >= 0 && filter->area < KDX_POLICY_N_AREAS)
    sqlite3_bind_text (stmt, 2, area_ids[filter->area], -1, SQLITE_STATIC);
  if (filter->owner)
    sqlite3_bind_text (stmt, 3, filter->owner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, filter->overdue);
  sqlite3_bind_text (stmt, 5, today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, filter->include_retired);
  if (filter->status >= 0 && filter->status < KDX_VERSION_N_STATUSES)
    sqlite3_bind_text (stmt, 7, status_ids[filter->status], -1, SQLITE_STATIC);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (policies, policy_from_row (stmt));

  return g_steal_pointer (&policies);
}

GPtrArray *
kdx_policy_list_trashed (KdxStore *store)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  GPtrArray *policies = g_ptr_array_new_with_free_func (g_object_unref);

  stmt = kdx_store_prepare_cached (store, POLICY_COLUMNS POLICY_FROM
                            "WHERE p.trashed IS NOT NULL "
                            "ORDER BY p.trashed DESC", NULL);
  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (policies, policy_from_row (stmt));

  return policies;
}

gint64
kdx_policy_count (KdxStore *store)
{
  return kdx_store_count (store, "SELECT count(*) FROM policy WHERE trashed IS NULL");
}

gint64
kdx_policy_count_overdue (KdxStore   *store,
                          const char *today)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *now = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT count(*) FROM policy WHERE trashed IS NULL "
                            "AND retired IS NULL AND next_review < ?1", NULL);
  if (stmt == NULL)
    return 0;
  if (today == NULL)
    today = now = kdx_date_today ();
  sqlite3_bind_text (stmt, 1, today, -1, SQLITE_TRANSIENT);

  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

gint64
kdx_policy_count_versions (KdxStore         *store,
                           KdxVersionStatus  status)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail ((guint) status < KDX_VERSION_N_STATUSES, 0);

  stmt = kdx_store_prepare_cached (store, "SELECT count(*) FROM policy_version v JOIN policy p "
                            "ON p.id = v.policy_id WHERE v.status = ?1 AND p.trashed IS NULL",
                            NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, status_ids[status], -1, SQLITE_STATIC);

  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* The row id of a live person, 0 when @uuid is NULL; an error when there
 * is no such person. */
static gboolean
person_id (KdxStore    *store,
           const char  *uuid,
           gint64      *id,
           GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  *id = 0;
  if (uuid == NULL)
    return TRUE;

  stmt = kdx_store_prepare_cached (store, "SELECT id FROM person WHERE uuid = ?1 AND trashed IS NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                   _("There is no person “%s” in this workspace"), uuid);
      return FALSE;
    }
  *id = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static void
bind_id (sqlite3_stmt *stmt,
         int           index,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
key_is_valid (const char *key)
{
  const char *dash = key ? strchr (key, '-') : NULL;
  gsize prefix;

  if (dash == NULL)
    return FALSE;
  prefix = dash - key;
  if (prefix < 2 || prefix > 10 || !g_ascii_isupper (key[0]) || strlen (dash + 1) < 1 ||
      strlen (dash + 1) > 6)
    return FALSE;
  for (const char *p = key; p < dash; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p))
      return FALSE;
  for (const char *p = dash + 1; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  return TRUE;
}

char *
kdx_policy_next_key (KdxStore      *store,
                     KdxPolicyKind  kind)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  const char *prefix = kind == KDX_POLICY_KIND_CODE_OF_CONDUCT ? "COC" : "POL";
  gint64 highest = 0;

  /* Keys are never reused, not even those of trashed policies. */
  stmt = kdx_store_prepare_cached (store, "SELECT max(CAST(substr(key, length(?1) + 2) AS INTEGER)) "
                            "FROM policy WHERE key LIKE ?1 || '-%'", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        highest = sqlite3_column_int64 (stmt, 0);
    }

  return g_strdup_printf ("%s-%03" G_GINT64_FORMAT, prefix, highest + 1);
}

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20)
      return TRUE;
  return FALSE;
}

static gboolean
validate_policy (KdxStore   *store,
                 KdxPolicy  *policy,
                 gint64     *owner_id,
                 GError    **error)
{
  GDate date;

  if (policy->title == NULL)
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("A policy needs a title"));
      return FALSE;
    }
  if (!g_utf8_validate (policy->title, -1, NULL) || has_control_characters (policy->title) ||
      g_utf8_strlen (policy->title, -1) > 200)
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("The title must be a single line of at most 200 characters"));
      return FALSE;
    }
  if (!key_is_valid (policy->key))
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                   _("“%s” is not a policy key: use capital letters, a dash and a number, "
                     "such as POL-007"), policy->key ? policy->key : "");
      return FALSE;
    }
  if (policy->next_review != NULL && !parse_date (policy->next_review, &date))
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD)"), policy->next_review);
      return FALSE;
    }

  return person_id (store, policy->owner, owner_id, error);
}

static gboolean
index_version (KdxStore    *store,
               gint64       version_id,
               const char  *title,
               const char  *body,
               GError     **error)
{
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;

  del = kdx_store_prepare_cached (store, "DELETE FROM policy_search WHERE rowid = ?1", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, version_id);
  if (!kdx_store_step_done (store, del, error))
    return FALSE;

  ins = kdx_store_prepare_cached (store, "INSERT INTO policy_search (rowid, title, body) "
                           "VALUES (?1, ?2, ?3)", error);
  if (ins == NULL)
    return FALSE;
  sqlite3_bind_int64 (ins, 1, version_id);
  sqlite3_bind_text (ins, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 3, body, -1, SQLITE_TRANSIENT);

  return kdx_store_step_done (store, ins, error);
}

/* Inserts a version row; @version has number, major, minor, status, body
 * and the rest set. */
static gboolean
insert_version (KdxStore          *store,
                KdxPolicy         *policy,
                KdxPolicyVersion  *version,
                GError           **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  gint64 author_id = 0;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;

  if (!person_id (store, version->author, &author_id, error))
    return FALSE;

  stmt = kdx_store_prepare_cached (store,
                            "INSERT INTO policy_version (uuid, policy_id, number, major, minor, "
                            "status, body, summary, author_id, round, ack_scope, ack_target, "
                            "effective, submitted, approved, published, created, modified) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                            "?14, ?15, ?16, ?17, ?18)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, version->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, policy->id);
  sqlite3_bind_int (stmt, 3, version->number);
  sqlite3_bind_int (stmt, 4, version->major);
  sqlite3_bind_int (stmt, 5, version->minor);
  sqlite3_bind_text (stmt, 6, status_ids[version->status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, version->body, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 8, version->summary);
  bind_id (stmt, 9, author_id);
  sqlite3_bind_int (stmt, 10, version->round);
  sqlite3_bind_text (stmt, 11, scope_ids[version->ack_scope], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 12, version->ack_target);
  kdx_store_bind_text_or_null (stmt, 13, version->effective);
  kdx_store_bind_text_or_null (stmt, 14, version->submitted);
  kdx_store_bind_text_or_null (stmt, 15, version->approved);
  kdx_store_bind_text_or_null (stmt, 16, version->published);
  sqlite3_bind_text (stmt, 17, version->created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 18, version->modified, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;

  version->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));
  version->policy_id = policy->id;

  if (!index_version (store, version->id, policy->title, version->body, error))
    return FALSE;

  json = version_to_json (version);
  summary = g_strdup_printf ("%s %s", policy->key, version->label);
  if (!kdx_journal_append (store, "policy_version", version->uuid, "create", summary,
                           NULL, json, error))
    return FALSE;

  kdx_store_mark_changed (store, "policy", policy->id);

  return TRUE;
}

static KdxPolicyVersion *
version_new (KdxPolicy  *policy,
             guint       number,
             guint       major,
             guint       minor,
             const char *body,
             const char *author)
{
  KdxPolicyVersion *version = g_object_new (KDX_TYPE_POLICY_VERSION, NULL);

  version->uuid = g_uuid_string_random ();
  version->policy = g_strdup (policy->uuid);
  version->number = number;
  version->major = major;
  version->minor = minor;
  version->label = g_strdup_printf ("%u.%u", major, minor);
  version->status = KDX_VERSION_DRAFT;
  version->body = g_strdup (body ? body : "");
  version->author = g_strdup (author);
  version->created = kdx_store_now_iso8601 ();
  version->modified = g_strdup (version->created);

  return version;
}

static gboolean
validate_body (const char  *body,
               GError     **error)
{
  if (body != NULL && !g_utf8_validate (body, -1, NULL))
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("The text is not valid UTF-8"));
      return FALSE;
    }
  /* 16 MiB: far beyond any policy, far below SQLite's limits. */
  if (body != NULL && strlen (body) > 16 * 1024 * 1024)
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("The text is longer than 16 MB"));
      return FALSE;
    }

  return TRUE;
}

gboolean
kdx_policy_create (KdxStore    *store,
                   KdxPolicy   *policy,
                   const char  *body,
                   GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(KdxPolicyVersion) version = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *json = NULL;
  gint64 owner_id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_POLICY (policy), FALSE);

  if (!validate_body (body, error) || !kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (policy->uuid == NULL)
    policy->uuid = g_uuid_string_random ();
  if (policy->key == NULL)
    policy->key = kdx_policy_next_key (store, policy->kind);
  if (policy->created == NULL)
    policy->created = kdx_store_now_iso8601 ();
  if (policy->modified == NULL)
    policy->modified = g_strdup (policy->created);

  if (!validate_policy (store, policy, &owner_id, error))
    goto out;

  stmt = kdx_store_prepare_cached (store, "SELECT 1 FROM policy WHERE key = ?1", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, policy->key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_DUPLICATE,
                   _("The key %s is taken by another policy"), policy->key);
      goto out;
    }
  g_clear_pointer (&stmt, sqlite3_reset);

  sort_key = g_utf8_casefold (policy->title, -1);
  stmt = kdx_store_prepare_cached (store,
                            "INSERT INTO policy (uuid, key, title, sort_key, kind, area, owner_id, "
                            "review_months, next_review, retired, created, modified, trashed, "
                            "template) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                            error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, policy->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, policy->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, policy->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, sort_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, kind_ids[policy->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, area_ids[policy->area], -1, SQLITE_STATIC);
  bind_id (stmt, 7, owner_id);
  sqlite3_bind_int (stmt, 8, policy->review_months);
  kdx_store_bind_text_or_null (stmt, 9, policy->next_review);
  kdx_store_bind_text_or_null (stmt, 10, policy->retired);
  sqlite3_bind_text (stmt, 11, policy->created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, policy->modified, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 13, policy->trashed);
  kdx_store_bind_text_or_null (stmt, 14, policy->template);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;
  policy->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  json = kdx_policy_to_json (policy);
  if (!kdx_journal_append (store, "policy", policy->uuid, "create", policy->key,
                           NULL, json, error))
    goto out;

  if (body != NULL)
    {
      version = version_new (policy, 1, 1, 0, body, kdx_store_get_actor (store));
      if (!insert_version (store, policy, version, error))
        goto out;
      policy->status = KDX_VERSION_DRAFT;
      g_free (policy->version_label);
      policy->version_label = g_strdup (version->label);
    }

  kdx_store_mark_changed (store, "policy", policy->id);
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

static gboolean
write_policy (KdxStore    *store,
              KdxPolicy   *before,
              KdxPolicy   *after,
              const char  *action,
              GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *before_json = kdx_policy_to_json (before);
  g_autofree char *after_json = NULL;
  g_autofree char *sort_key = NULL;
  gint64 owner_id = 0;

  if (!validate_policy (store, after, &owner_id, error))
    return FALSE;

  after_json = kdx_policy_to_json (after);
  if (g_strcmp0 (before_json, after_json) == 0)
    return TRUE;

  g_free (after->modified);
  after->modified = kdx_store_now_iso8601 ();
  sort_key = g_utf8_casefold (after->title, -1);

  stmt = kdx_store_prepare_cached (store,
                            "UPDATE policy SET title = ?2, sort_key = ?3, kind = ?4, area = ?5, "
                            "owner_id = ?6, review_months = ?7, next_review = ?8, retired = ?9, "
                            "modified = ?10, trashed = ?11 WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, after->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, after->title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sort_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, kind_ids[after->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, area_ids[after->area], -1, SQLITE_STATIC);
  bind_id (stmt, 6, owner_id);
  sqlite3_bind_int (stmt, 7, after->review_months);
  kdx_store_bind_text_or_null (stmt, 8, after->next_review);
  kdx_store_bind_text_or_null (stmt, 9, after->retired);
  sqlite3_bind_text (stmt, 10, after->modified, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 11, after->trashed);
  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;

  if (g_strcmp0 (before->title, after->title) != 0)
    {
      g_autoptr(KdxCachedStmt) idx = NULL;

      idx = kdx_store_prepare_cached (store, "UPDATE policy_search SET title = ?2 WHERE rowid IN "
                               "(SELECT id FROM policy_version WHERE policy_id = ?1)", error);
      if (idx == NULL)
        return FALSE;
      sqlite3_bind_int64 (idx, 1, before->id);
      sqlite3_bind_text (idx, 2, after->title, -1, SQLITE_TRANSIENT);
      if (!kdx_store_step_done (store, idx, error))
        return FALSE;
    }

  if (!kdx_journal_append (store, "policy", after->uuid, action, after->key,
                           before_json, after_json, error))
    return FALSE;

  kdx_store_mark_changed (store, "policy", before->id);

  return TRUE;
}

gboolean
kdx_policy_update (KdxStore    *store,
                   KdxPolicy   *policy,
                   GError     **error)
{
  g_autoptr(KdxPolicy) before = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_POLICY (policy), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_policy_load (store, policy->uuid, error);
  if (before != NULL)
    {
      /* The key, the retirement and the trash have calls of their own. */
      replace_string (&policy->key, before->key);
      replace_string (&policy->template, before->template);
      replace_string (&policy->retired, before->retired);
      replace_string (&policy->trashed, before->trashed);
      policy->id = before->id;
      ok = write_policy (store, before, policy, "update", error);
    }

  return kdx_store_finish (store, own, ok, error);
}

static gboolean
set_trashed (KdxStore    *store,
             const char  *policy_uuid,
             gboolean     trashed,
             GError     **error)
{
  g_autoptr(KdxPolicy) before = NULL;
  g_autoptr(KdxPolicy) after = NULL;
  gboolean own;
  gboolean ok = FALSE;

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_policy_load (store, policy_uuid, error);
  after = before ? kdx_policy_load (store, policy_uuid, error) : NULL;
  if (after != NULL)
    {
      g_free (after->trashed);
      after->trashed = trashed ? kdx_store_now_iso8601 () : NULL;
      ok = write_policy (store, before, after, trashed ? "delete" : "restore", error);
    }

  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_policy_trash (KdxStore    *store,
                  const char  *policy_uuid,
                  GError     **error)
{
  return set_trashed (store, policy_uuid, TRUE, error);
}

gboolean
kdx_policy_restore (KdxStore    *store,
                    const char  *policy_uuid,
                    GError     **error)
{
  return set_trashed (store, policy_uuid, FALSE, error);
}

/* Writes @after (a version whose body did not change unless
 * @body_changed) over @before and journals @action. */
static gboolean
write_version (KdxStore          *store,
               KdxPolicyVersion  *before,
               KdxPolicyVersion  *after,
               const char        *action,
               gboolean           body_changed,
               GError           **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(KdxPolicy) policy = NULL;
  g_autofree char *before_json = version_to_json (before);
  g_autofree char *after_json = NULL;
  g_autofree char *summary = NULL;

  g_free (after->modified);
  after->modified = kdx_store_now_iso8601 ();
  after_json = version_to_json (after);

  /* The text is written only when it changed: it is the large column. */
  stmt = kdx_store_prepare_cached (store,
                            body_changed
                            ? "UPDATE policy_version SET status = ?2, body = ?3, summary = ?4, "
                              "round = ?5, ack_scope = ?6, ack_target = ?7, effective = ?8, "
                              "submitted = ?9, approved = ?10, published = ?11, modified = ?12 "
                              "WHERE id = ?1"
                            : "UPDATE policy_version SET status = ?2, summary = ?4, "
                              "round = ?5, ack_scope = ?6, ack_target = ?7, effective = ?8, "
                              "submitted = ?9, approved = ?10, published = ?11, modified = ?12 "
                              "WHERE id = ?1 AND ?3 IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before->id);
  sqlite3_bind_text (stmt, 2, status_ids[after->status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, body_changed ? after->body : "", -1,
                     body_changed ? SQLITE_TRANSIENT : SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 4, after->summary);
  sqlite3_bind_int (stmt, 5, after->round);
  sqlite3_bind_text (stmt, 6, scope_ids[after->ack_scope], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 7, after->ack_target);
  kdx_store_bind_text_or_null (stmt, 8, after->effective);
  kdx_store_bind_text_or_null (stmt, 9, after->submitted);
  kdx_store_bind_text_or_null (stmt, 10, after->approved);
  kdx_store_bind_text_or_null (stmt, 11, after->published);
  sqlite3_bind_text (stmt, 12, after->modified, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;

  policy = kdx_policy_load (store, before->policy, error);
  if (policy == NULL)
    return FALSE;

  if (body_changed && !index_version (store, before->id, policy->title, after->body, error))
    return FALSE;

  summary = g_strdup_printf ("%s %s", policy->key, after->label);
  if (!kdx_journal_append (store, "policy_version", after->uuid, action, summary,
                           before_json, after_json, error))
    return FALSE;

  kdx_store_mark_changed (store, "policy", policy->id);

  return TRUE;
}

static KdxPolicyVersion *
version_copy (KdxPolicyVersion *v)
{
  KdxPolicyVersion *copy = g_object_new (KDX_TYPE_POLICY_VERSION, NULL);

  copy->id = v->id;
  copy->policy_id = v->policy_id;
  copy->uuid = g_strdup (v->uuid);
  copy->policy = g_strdup (v->policy);
  copy->number = v->number;
  copy->major = v->major;
  copy->minor = v->minor;
  copy->label = g_strdup (v->label);
  copy->status = v->status;
  copy->body = g_strdup (v->body);
  copy->summary = g_strdup (v->summary);
  copy->author = g_strdup (v->author);
  copy->author_name = g_strdup (v->author_name);
  copy->round = v->round;
  copy->ack_scope = v->ack_scope;
  copy->ack_target = g_strdup (v->ack_target);
  copy->effective = g_strdup (v->effective);
  copy->submitted = g_strdup (v->submitted);
  copy->approved = g_strdup (v->approved);
  copy->published = g_strdup (v->published);
  copy->created = g_strdup (v->created);
  copy->modified = g_strdup (v->modified);
  copy->digest = g_strdup (v->digest);

  return copy;
}

/* Loads a version (and a copy to change) inside the transaction and
 * checks its status is one of @allowed. */
static gboolean
load_for_change (KdxStore          *store,
                 const char        *version_uuid,
                 guint              allowed,
                 KdxPolicyVersion **before,
                 KdxPolicyVersion **after,
                 GError           **error)
{
  *before = kdx_policy_version_load (store, version_uuid, error);
  if (*before == NULL)
    return FALSE;
  *after = version_copy (*before);

  if ((allowed & (1u << (*before)->status)) == 0)
    {
      if ((*before)->status != KDX_VERSION_DRAFT && allowed == (1u << KDX_VERSION_DRAFT))
        g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_EDITABLE,
                     _("Version %s has the status “%s” and can no longer be changed; start a "
                       "new draft instead"), (*before)->label,
                     kdx_version_status_get_label ((*before)->status));
      else
        g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_WRONG_STATE,
                     _("Version %s has the status “%s”: this step is not possible now"), (*before)->label,
                     kdx_version_status_get_label ((*before)->status));
      return FALSE;
    }

  return TRUE;
}

#define ONLY(status) (1u << (status))

gboolean
kdx_policy_save_draft (KdxStore    *store,
                       const char  *version_uuid,
                       const char  *body,
                       GError     **error)
{
  g_autoptr(KdxPolicyVersion) before = NULL;
  g_autoptr(KdxPolicyVersion) after = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (version_uuid != NULL && body != NULL, FALSE);

  if (!validate_body (body, error) || !kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (load_for_change (store, version_uuid, ONLY (KDX_VERSION_DRAFT), &before, &after, error))
    {
      if (g_str_equal (before->body, body))
        ok = TRUE;
      else
        {
          g_free (after->body);
          after->body = g_strdup (body);
          g_clear_pointer (&after->digest, g_free);
          ok = write_version (store, before, after, "edit", TRUE, error);
        }
    }

  return kdx_store_finish (store, own, ok, error);
}

static gboolean
committee_size (KdxStore  *store,
                KdxTally  *tally,
                GError   **error)
{
  g_autofree char *rule = kdx_store_dup_setting (store, "quorum");
  KdxQuorum quorum;

  kdx_quorum_parse (rule, &quorum);
  {
    g_autoptr(KdxCachedStmt) count = kdx_store_prepare_cached (store, "SELECT count(*) FROM person "
                                                               "WHERE committee = 1 AND active = 1 "
                                                               "AND trashed IS NULL", NULL);

    tally->members = count && sqlite3_step (count) == SQLITE_ROW ? sqlite3_column_int (count, 0) : 0;
  }
  tally->required = kdx_quorum_required (&quorum, tally->members);

  if (tally->required > tally->members)
    {
      g_autofree char *rule_text = kdx_quorum_describe (&quorum);

      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NO_QUORUM,
                   ngettext ("The quorum rule (%s) cannot be met: the committee has %u member. "
                             "Mark more people as committee members or change the rule in "
                             "Preferences.",
                             "The quorum rule (%s) cannot be met: the committee has %u members. "
                             "Mark more people as committee members or change the rule in "
                             "Preferences.", tally->members),
                   rule_text, tally->members);
      return FALSE;
    }

  return TRUE;
}

gboolean
kdx_policy_submit (KdxStore    *store,
                   const char  *version_uuid,
                   const char  *summary,
                   GError     **error)
{
  g_autoptr(KdxPolicyVersion) before = NULL;
  g_autoptr(KdxPolicyVersion) after = NULL;
  g_autofree char *text = summary ? g_strstrip (g_strdup (summary)) : NULL;
  KdxTally tally = { 0 };
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("Say in a change summary what this version changes"));
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("The change summary is not valid UTF-8"));
      return FALSE;
    }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (load_for_change (store, version_uuid, ONLY (KDX_VERSION_DRAFT), &before, &after, error) &&
      committee_size (store, &tally, error))
    {
      after->status = KDX_VERSION_REVIEW;
      after->round = before->round + 1;
      g_free (after->summary);
      after->summary = g_steal_pointer (&text);
      g_free (after->submitted);
      after->submitted = kdx_store_now_iso8601 ();
      ok = write_version (store, before, after, "submit", FALSE, error);
    }

  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_policy_withdraw (KdxStore    *store,
                     const char  *version_uuid,
                     GError     **error)
{
  g_autoptr(KdxPolicyVersion) before = NULL;
  g_autoptr(KdxPolicyVersion) after = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (load_for_change (store, version_uuid, ONLY (KDX_VERSION_REVIEW), &before, &after, error))
    {
      after->status = KDX_VERSION_DRAFT;
      ok = write_version (store, before, after, "withdraw", FALSE, error);
    }

  return kdx_store_finish (store, own, ok, error);
}

static gboolean
count_votes (KdxStore          *store,
             KdxPolicyVersion  *version,
             KdxTally          *tally,
             GError           **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  /* Only the votes of members who still are members count. */
  stmt = kdx_store_prepare_cached (store,
                            "SELECT v.choice, count(*) FROM policy_vote v "
                            "JOIN person p ON p.id = v.person_id "
                            "WHERE v.version_id = ?1 AND v.round = ?2 AND p.committee = 1 "
                            "AND p.active = 1 AND p.trashed IS NULL GROUP BY v.choice", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, version->id);
  sqlite3_bind_int (stmt, 2, version->round);
  tally->approve = tally->reject = tally->abstain = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *choice = (const char *) sqlite3_column_text (stmt, 0);
      guint n = sqlite3_column_int (stmt, 1);

      switch (kdx_vote_choice_from_string (choice))
        {
        case KDX_VOTE_APPROVE: tally->approve = n; break;
        case KDX_VOTE_REJECT: tally->reject = n; break;
        case KDX_VOTE_ABSTAIN: tally->abstain = n; break;
        default: break;
        }
    }
  tally->outstanding = tally->members - MIN (tally->members,
                                             tally->approve + tally->reject + tally->abstain);

  return TRUE;
}

gboolean
kdx_policy_tally (KdxStore    *store,
                  const char  *version_uuid,
                  KdxTally    *tally,
                  GError     **error)
{
  g_autoptr(KdxPolicyVersion) version = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (tally != NULL, FALSE);

  memset (tally, 0, sizeof *tally);
  version = kdx_policy_version_load (store, version_uuid, error);
  if (version == NULL)
    return FALSE;

  committee_size (store, tally, NULL);

  return count_votes (store, version, tally, error);
}

gboolean
kdx_policy_vote (KdxStore          *store,
                 const char        *version_uuid,
                 KdxVoteChoice      choice,
                 const char        *comment,
                 KdxVersionStatus  *new_status,
                 GError           **error)
{
  g_autoptr(KdxPolicyVersion) before = NULL;
  g_autoptr(KdxPolicyVersion) after = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *json = NULL;
  g_autofree char *now = NULL;
  g_autofree char *note = NULL;
  const char *actor = kdx_store_get_actor (store);
  KdxTally tally = { 0 };
  gint64 voter = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) choice < KDX_VOTE_N_CHOICES, FALSE);

  if (actor == NULL)
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NO_ACTOR,
                           _("Choose who you are under “Acting as” before you vote"));
      return FALSE;
    }
  if (comment != NULL && !g_utf8_validate (comment, -1, NULL))
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("The comment is not valid UTF-8"));
      return FALSE;
    }
  note = comment ? g_strstrip (g_strdup (comment)) : NULL;

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (!load_for_change (store, version_uuid, ONLY (KDX_VERSION_REVIEW), &before, &after, error))
    goto out;

  stmt = kdx_store_prepare_cached (store, "SELECT id, committee = 1 AND active = 1 FROM person "
                            "WHERE uuid = ?1 AND trashed IS NULL", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, actor, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 1) == 0)
    {
      g_autofree char *name = kdx_store_dup_actor_name (store);

      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_MEMBER,
                   _("%s is not a member of the ethics committee and cannot vote"),
                   name ? name : actor);
      goto out;
    }
  voter = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_reset);

  stmt = kdx_store_prepare_cached (store, "SELECT 1 FROM policy_vote WHERE version_id = ?1 "
                            "AND round = ?2 AND person_id = ?3", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, before->id);
  sqlite3_bind_int (stmt, 2, before->round);
  sqlite3_bind_int64 (stmt, 3, voter);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_ALREADY_VOTED,
                   _("You have already voted on version %s"), before->label);
      goto out;
    }
  g_clear_pointer (&stmt, sqlite3_reset);

  now = kdx_store_now_iso8601 ();
  stmt = kdx_store_prepare_cached (store, "INSERT INTO policy_vote (version_id, round, person_id, "
                            "choice, comment, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, before->id);
  sqlite3_bind_int (stmt, 2, before->round);
  sqlite3_bind_int64 (stmt, 3, voter);
  sqlite3_bind_text (stmt, 4, choice_ids[choice], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 5, note && *note ? note : NULL);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_member (b, "version", before->uuid);
  json_builder_set_member_name (b, "round");
  json_builder_add_int_value (b, before->round);
  add_member (b, "person", actor);
  add_member (b, "choice", choice_ids[choice]);
  add_member (b, "comment", note && *note ? note : NULL);
  json_builder_end_object (b);
  json = builder_to_string (b);
  if (!kdx_journal_append (store, "policy_vote", before->uuid, "vote", choice_ids[choice],
                           NULL, json, error))
    goto out;

  /* The decision, under the rule as it stands now. */
  if (!committee_size (store, &tally, NULL) && tally.members == 0)
    tally.required = 1;
  if (!count_votes (store, before, &tally, error))
    goto out;

  if (tally.approve >= tally.required)
    {
      after->status = KDX_VERSION_APPROVED;
      g_free (after->approved);
      after->approved = g_strdup (now);
      if (!write_version (store, before, after, "approve", FALSE, error))
        goto out;
    }
  else if (tally.approve + tally.outstanding < tally.required)
    {
      /* The quorum can no longer be met: back to its author, with the
       * votes and comments kept for the next round. */
      after->status = KDX_VERSION_DRAFT;
      if (!write_version (store, before, after, "reject", FALSE, error))
        goto out;
    }
  else
    kdx_store_mark_changed (store, "policy", before->policy_id);

  if (new_status)
    *new_status = after->status;
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

GStrv
kdx_policy_dup_outstanding (KdxStore    *store,
                            const char  *version_uuid,
                            GError     **error)
{
  g_autoptr(KdxPolicyVersion) version = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  version = kdx_policy_version_load (store, version_uuid, error);
  if (version == NULL)
    return NULL;
  stmt = kdx_store_prepare_cached (store,
                            "SELECT name FROM person WHERE committee = 1 AND active = 1 "
                            "AND trashed IS NULL AND id NOT IN (SELECT person_id FROM policy_vote "
                            "WHERE version_id = ?1 AND round = ?2) ORDER BY sort_key", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, version->id);
  sqlite3_bind_int (stmt, 2, version->round);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));

  return g_strv_builder_end (names);
}

GPtrArray *
kdx_policy_list_votes (KdxStore    *store,
                       const char  *version_uuid,
                       GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) votes = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_vote_free);

  stmt = kdx_store_prepare_cached (store,
                            "SELECT p.uuid, p.name, v.choice, v.comment, v.time, v.round "
                            "FROM policy_vote v JOIN person p ON p.id = v.person_id "
                            "JOIN policy_version pv ON pv.id = v.version_id "
                            "WHERE pv.uuid = ?1 ORDER BY v.round DESC, v.time, v.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, version_uuid, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxVote *vote = g_new0 (KdxVote, 1);
      g_autofree char *choice = kdx_store_column_text (stmt, 2);

      vote->person = kdx_store_column_text (stmt, 0);
      vote->person_name = kdx_store_column_text (stmt, 1);
      vote->choice = MAX (kdx_vote_choice_from_string (choice), 0);
      vote->comment = kdx_store_column_text (stmt, 3);
      vote->time = kdx_store_column_text (stmt, 4);
      vote->round = sqlite3_column_int (stmt, 5);
      g_ptr_array_add (votes, vote);
    }

  return g_steal_pointer (&votes);
}

gboolean
kdx_policy_publish (KdxStore    *store,
                    const char  *version_uuid,
                    const char  *effective,
                    GError     **error)
{
  g_autoptr(KdxPolicyVersion) before = NULL;
  g_autoptr(KdxPolicyVersion) after = NULL;
  g_autoptr(KdxCachedStmt) published = NULL;
  g_autoptr(KdxPolicy) policy_before = NULL;
  g_autoptr(KdxPolicy) policy_after = NULL;
  g_autofree char *today = NULL;
  GDate date;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (effective == NULL)
    effective = today = kdx_date_today ();
  if (!parse_date (effective, &date))
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD)"), effective);
      return FALSE;
    }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_policy_version_load (store, version_uuid, error);
  if (before == NULL)
    goto out;
  if (before->status == KDX_VERSION_REVIEW || before->status == KDX_VERSION_DRAFT)
    {
      KdxTally tally = { 0 };

      kdx_policy_tally (store, version_uuid, &tally, NULL);
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NO_QUORUM,
                   _("Version %s cannot be published before the committee approves it "
                     "(%u of %u approvals needed)"), before->label, tally.approve,
                   tally.required);
      goto out;
    }
  g_clear_object (&before);
  if (!load_for_change (store, version_uuid, ONLY (KDX_VERSION_APPROVED), &before, &after, error))
    goto out;

  /* The version in effect until now is superseded. */
  published = kdx_store_prepare_cached (store, "SELECT uuid FROM policy_version WHERE policy_id = ?1 "
                                 "AND status = 'published'", error);
  if (published == NULL)
    goto out;
  sqlite3_bind_int64 (published, 1, before->policy_id);
  while (sqlite3_step (published) == SQLITE_ROW)
    {
      g_autoptr(KdxPolicyVersion) old = NULL;
      g_autoptr(KdxPolicyVersion) old_after = NULL;

      old = kdx_policy_version_load (store, (const char *) sqlite3_column_text (published, 0), error);
      if (old == NULL)
        goto out;
      old_after = version_copy (old);
      old_after->status = KDX_VERSION_SUPERSEDED;
      if (!write_version (store, old, old_after, "supersede", FALSE, error))
        goto out;
    }

  after->status = KDX_VERSION_PUBLISHED;
  g_free (after->effective);
  after->effective = g_strdup (effective);
  g_free (after->published);
  after->published = kdx_store_now_iso8601 ();
  if (!write_version (store, before, after, "publish", FALSE, error))
    goto out;

  /* The next review falls due one interval after the version takes
   * effect. */
  policy_before = kdx_policy_load (store, before->policy, error);
  policy_after = policy_before ? kdx_policy_load (store, before->policy, error) : NULL;
  if (policy_after == NULL)
    goto out;
  if (policy_after->review_months > 0)
    {
      g_free (policy_after->next_review);
      policy_after->next_review = kdx_date_add_months (effective, policy_after->review_months);
    }
  g_clear_pointer (&policy_after->retired, g_free);
  ok = write_policy (store, policy_before, policy_after, "update", error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_policy_set_ack_scope (KdxStore     *store,
                          const char   *version_uuid,
                          KdxAckScope   scope,
                          const char   *target,
                          GError      **error)
{
  g_autoptr(KdxPolicyVersion) before = NULL;
  g_autoptr(KdxPolicyVersion) after = NULL;
  g_autofree char *trimmed = target ? g_strstrip (g_strdup (target)) : NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) scope < KDX_ACK_N_SCOPES, FALSE);

  if ((scope == KDX_ACK_DEPARTMENT || scope == KDX_ACK_ROLE) && (trimmed == NULL || !*trimmed))
    {
      g_set_error_literal (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           scope == KDX_ACK_DEPARTMENT ? _("Name the department that must "
                                                           "acknowledge the policy")
                                                       : _("Name the role that must "
                                                           "acknowledge the policy"));
      return FALSE;
    }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  if (load_for_change (store, version_uuid,
                       ONLY (KDX_VERSION_DRAFT) | ONLY (KDX_VERSION_REVIEW) |
                       ONLY (KDX_VERSION_APPROVED) | ONLY (KDX_VERSION_PUBLISHED),
                       &before, &after, error))
    {
      after->ack_scope = scope;
      g_free (after->ack_target);
      after->ack_target = (scope == KDX_ACK_DEPARTMENT || scope == KDX_ACK_ROLE)
                          ? g_steal_pointer (&trimmed) : NULL;
      if (before->ack_scope == after->ack_scope &&
          g_strcmp0 (before->ack_target, after->ack_target) == 0)
        ok = TRUE;
      else
        ok = write_version (store, before, after, "update", FALSE, error);
    }

  return kdx_store_finish (store, own, ok, error);
}

KdxPolicyVersion *
kdx_policy_new_draft (KdxStore    *store,
                      const char  *policy_uuid,
                      gboolean     major,
                      GError     **error)
{
  return kdx_policy_new_draft_with_text (store, policy_uuid, major, NULL, error);
}

KdxPolicyVersion *
kdx_policy_new_draft_with_text (KdxStore    *store,
                                const char  *policy_uuid,
                                gboolean     major,
                                const char  *text,
                                GError     **error)
{
  g_autoptr(KdxPolicy) policy = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(KdxPolicyVersion) version = NULL;
  KdxPolicyVersion *newest = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!validate_body (text, error) || !kdx_store_begin_if_needed (store, &own, error))
    return NULL;

  policy = kdx_policy_load (store, policy_uuid, error);
  versions = policy ? kdx_policy_list_versions (store, policy->uuid, error) : NULL;
  if (versions == NULL)
    goto out;

  if (policy->trashed != NULL)
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_WRONG_STATE,
                   _("%s is in the trash; restore it first"), policy->key);
      goto out;
    }
  for (guint i = 0; i < versions->len; i++)
    {
      KdxPolicyVersion *v = versions->pdata[i];

      if (v->status == KDX_VERSION_DRAFT || v->status == KDX_VERSION_REVIEW ||
          v->status == KDX_VERSION_APPROVED)
        {
          g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_OPEN_VERSION,
                       _("Version %s of %s still has the status “%s”; finish it before starting another"),
                       v->label, policy->key, kdx_version_status_get_label (v->status));
          goto out;
        }
      newest = v;
    }

  if (newest == NULL)
    version = version_new (policy, 1, 1, 0, text ? text : "", kdx_store_get_actor (store));
  else
    {
      version = version_new (policy, newest->number + 1,
                             major ? newest->major + 1 : newest->major,
                             major ? 0 : newest->minor + 1,
                             text ? text : newest->body, kdx_store_get_actor (store));
      version->ack_scope = newest->ack_scope;
      version->ack_target = g_strdup (newest->ack_target);
    }
  ok = insert_version (store, policy, version, error);

out:
  if (!kdx_store_finish (store, own, ok, error))
    return NULL;

  return kdx_policy_version_load (store, version->uuid, error);
}

gboolean
kdx_policy_retire (KdxStore    *store,
                   const char  *policy_uuid,
                   GError     **error)
{
  g_autoptr(KdxPolicy) before = NULL;
  g_autoptr(KdxPolicy) after = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_policy_load (store, policy_uuid, error);
  after = before ? kdx_policy_load (store, policy_uuid, error) : NULL;
  versions = after ? kdx_policy_list_versions (store, before->uuid, error) : NULL;
  if (versions == NULL)
    goto out;
  if (before->retired != NULL)
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_WRONG_STATE,
                   _("%s is already retired"), before->key);
      goto out;
    }

  for (guint i = 0; i < versions->len; i++)
    {
      KdxPolicyVersion *v = versions->pdata[i];
      g_autoptr(KdxPolicyVersion) v_after = NULL;

      if (v->status == KDX_VERSION_SUPERSEDED || v->status == KDX_VERSION_RETIRED)
        continue;
      v_after = kdx_policy_version_load (store, v->uuid, error);
      if (v_after == NULL)
        goto out;
      v_after->status = KDX_VERSION_RETIRED;
      if (!write_version (store, v, v_after, "retire", FALSE, error))
        goto out;
    }

  after->retired = kdx_store_now_iso8601 ();
  g_clear_pointer (&after->next_review, g_free);
  ok = write_policy (store, before, after, "retire", error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_policy_create_from_templates (KdxStore    *store,
                                  const char  *language,
                                  guint       *n_created,
                                  GError     **error)
{
  g_autofree char *workspace_language = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(KdxCachedStmt) taken = NULL;
  guint created = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (language == NULL)
    language = workspace_language = kdx_store_dup_setting (store, "language");
  templates = kdx_template_list (language);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  taken = kdx_store_prepare_cached (store, "SELECT 1 FROM policy WHERE title = ?1 AND trashed IS NULL",
                             error);
  if (taken == NULL)
    goto out;

  for (guint i = 0; i < templates->len; i++)
    {
      KdxTemplate *template = templates->pdata[i];
      g_autoptr(KdxPolicy) policy = kdx_policy_new ();

      sqlite3_reset (taken);
      sqlite3_bind_text (taken, 1, kdx_template_get_title (template), -1, SQLITE_TRANSIENT);
      if (sqlite3_step (taken) == SQLITE_ROW)
        continue;

      kdx_policy_set_title (policy, kdx_template_get_title (template));
      kdx_policy_set_kind (policy, MAX (kdx_policy_kind_from_string (kdx_template_get_kind (template)), 0));
      kdx_policy_set_area (policy, MAX (kdx_policy_area_from_string (kdx_template_get_area (template)), 0));
      kdx_policy_set_review_months (policy, kdx_template_get_review_months (template));
      kdx_policy_set_owner (policy, kdx_store_get_actor (store));
      kdx_policy_set_template (policy, kdx_template_get_id (template));
      if (!kdx_policy_create (store, policy, kdx_template_get_body (template), error))
        goto out;
      created++;
    }
  ok = TRUE;
  if (n_created)
    *n_created = created;

out:
  return kdx_store_finish (store, own, ok, error);
}

char *
kdx_policy_find_by_template (KdxStore   *store,
                             const char *template_id)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (template_id == NULL)
    return NULL;

  /* A retired policy no longer applies to anything; of several live ones
   * (a template used twice) the oldest is the one people know. */
  stmt = kdx_store_prepare_cached (store, "SELECT uuid FROM policy WHERE template = ?1 "
                                   "AND trashed IS NULL AND retired IS NULL ORDER BY id LIMIT 1",
                                   NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, template_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return kdx_store_column_text (stmt, 0);
}

/* ------------------------------------------------------------------ */
/* Acknowledgements                                                    */

static gboolean acknowledge (KdxStore *store, const char *version_uuid,
                             const char *const *person_uuids, const char *time,
                             const char *source, gboolean history, guint *n_recorded,
                             GError **error);

gboolean
kdx_policy_acknowledge (KdxStore           *store,
                        const char         *version_uuid,
                        const char *const  *person_uuids,
                        const char         *time,
                        const char         *source,
                        guint              *n_recorded,
                        GError            **error)
{
  return acknowledge (store, version_uuid, person_uuids, time, source, FALSE, n_recorded, error);
}

/* @history: an import may also record acknowledgements of versions that
 * have been superseded since. */
static gboolean
acknowledge (KdxStore           *store,
             const char         *version_uuid,
             const char *const  *person_uuids,
             const char         *time,
             const char         *source,
             gboolean            history,
             guint              *n_recorded,
             GError            **error)
{
  g_autoptr(KdxPolicyVersion) version = NULL;
  g_autoptr(KdxPolicy) policy = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;
  g_autofree char *now = NULL;
  guint recorded = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (person_uuids != NULL, FALSE);

  if (n_recorded)
    *n_recorded = 0;
  if (source == NULL)
    source = "manual";
  if (time == NULL)
    time = now = kdx_store_now_iso8601 ();

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  version = kdx_policy_version_load (store, version_uuid, error);
  policy = version ? kdx_policy_load (store, version->policy, error) : NULL;
  if (policy == NULL)
    goto out;
  if (version->status != KDX_VERSION_PUBLISHED &&
      !(history && version->status == KDX_VERSION_SUPERSEDED))
    {
      g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_WRONG_STATE,
                   _("Only a published version can be acknowledged; version %s has the status “%s”"),
                   version->label, kdx_version_status_get_label (version->status));
      goto out;
    }

  ins = kdx_store_prepare_cached (store, "INSERT OR IGNORE INTO policy_ack (version_id, person_id, "
                           "time, source) VALUES (?1, ?2, ?3, ?4)", error);
  if (ins == NULL)
    goto out;

  for (guint i = 0; person_uuids[i] != NULL; i++)
    {
      g_autoptr(JsonBuilder) b = NULL;
      g_autofree char *json = NULL;
      gint64 person = 0;

      if (!person_id (store, person_uuids[i], &person, error))
        goto out;
      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, version->id);
      sqlite3_bind_int64 (ins, 2, person);
      sqlite3_bind_text (ins, 3, time, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (ins, 4, source, -1, SQLITE_TRANSIENT);
      if (!kdx_store_step_done (store, ins, error))
        goto out;
      if (sqlite3_changes (kdx_store_get_db (store)) == 0)
        continue;

      b = json_builder_new ();
      json_builder_begin_object (b);
      add_member (b, "version", version->uuid);
      add_member (b, "person", person_uuids[i]);
      add_member (b, "time", time);
      add_member (b, "source", source);
      json_builder_end_object (b);
      json = builder_to_string (b);
      if (!kdx_journal_append (store, "policy_ack", version->uuid, "acknowledge", policy->key,
                               NULL, json, error))
        goto out;
      recorded++;
    }

  kdx_store_mark_changed (store, "policy", policy->id);
  if (n_recorded)
    *n_recorded = recorded;
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}

/* The people a version asks: ?1 scope, ?2 target. */
#define ASKED_PEOPLE                                                          \
  "p.trashed IS NULL AND p.active = 1 AND "                                   \
  "(?1 = 'all' OR (?1 = 'department' AND p.department = ?2) "                 \
  " OR (?1 = 'role' AND p.role = ?2))"

/* When and in which version a person acknowledged: ?3 policy id, ?4 major. */
#define ACK_OF(column)                                                        \
  "(SELECT " column " FROM policy_ack a JOIN policy_version w "                \
  " ON w.id = a.version_id WHERE a.person_id = p.id AND w.policy_id = ?3 "    \
  " AND w.major = ?4 ORDER BY a.time LIMIT 1)"

static void
bind_asked (sqlite3_stmt     *stmt,
            KdxPolicyVersion *version)
{
  sqlite3_bind_text (stmt, 1, scope_ids[version->ack_scope], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 2, version->ack_target);
  sqlite3_bind_int64 (stmt, 3, version->policy_id);
  sqlite3_bind_int (stmt, 4, version->major);
}

GPtrArray *
kdx_policy_ack_status (KdxStore    *store,
                       const char  *version_uuid,
                       const char  *department,
                       GError     **error)
{
  g_autoptr(KdxPolicyVersion) version = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_ack_row_free);

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  version = kdx_policy_version_load (store, version_uuid, error);
  if (version == NULL)
    return NULL;

  stmt = kdx_store_prepare_cached (store,
                            "SELECT p.uuid, p.name, p.department, p.role, "
                            ACK_OF ("a.time") ", " ACK_OF ("w.major || '.' || w.minor")
                            " FROM person p WHERE " ASKED_PEOPLE
                            " AND (?5 IS NULL OR p.department = ?5)"
                            " ORDER BY p.department IS NULL, p.department, p.sort_key", error);
  if (stmt == NULL)
    return NULL;
  bind_asked (stmt, version);
  kdx_store_bind_text_or_null (stmt, 5, department);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxAckRow *row = g_new0 (KdxAckRow, 1);

      row->person = kdx_store_column_text (stmt, 0);
      row->name = kdx_store_column_text (stmt, 1);
      row->department = kdx_store_column_text (stmt, 2);
      row->role = kdx_store_column_text (stmt, 3);
      row->time = kdx_store_column_text (stmt, 4);
      row->version = kdx_store_column_text (stmt, 5);
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

GPtrArray *
kdx_policy_ack_summary (KdxStore    *store,
                        const char  *version_uuid,
                        GError     **error)
{
  g_autoptr(KdxPolicyVersion) version = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_ack_summary_free);

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  version = kdx_policy_version_load (store, version_uuid, error);
  if (version == NULL)
    return NULL;

  stmt = kdx_store_prepare_cached (store,
                            "SELECT p.department, count(*), "
                            "sum(EXISTS (SELECT 1 FROM policy_ack a JOIN policy_version w "
                            "  ON w.id = a.version_id WHERE a.person_id = p.id "
                            "  AND w.policy_id = ?3 AND w.major = ?4)) "
                            "FROM person p WHERE " ASKED_PEOPLE
                            " GROUP BY p.department ORDER BY p.department IS NULL, p.department",
                            error);
  if (stmt == NULL)
    return NULL;
  bind_asked (stmt, version);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxAckSummary *row = g_new0 (KdxAckSummary, 1);

      row->department = kdx_store_column_text (stmt, 0);
      row->asked = sqlite3_column_int (stmt, 1);
      row->done = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (rows, row);
    }

  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------ */
/* Search                                                              */

/* Each word of @query becomes a quoted prefix term, so that no character
 * a person types is read as FTS5 syntax. */
static char *
fts_query (const char *query)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = query;

  while (*p)
    {
      const char *start;

      while (*p && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p && (g_unichar_isalnum (g_utf8_get_char (p)) || *p == '\''))
        p = g_utf8_next_char (p);
      if (p == start)
        continue;

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, '"');
      for (const char *c = start; c < p; c++)
        {
          if (*c == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *c);
        }
      g_string_append (out, "\"*");
    }

  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* Above this many matching versions, relevance says little (the words
 * are in most texts) and ranking them all would cost more than the
 * search itself: the newest versions come first instead. */
#define RANK_LIMIT 2000

/* The words of a query, folded as search folds them. */
static GPtrArray *
query_terms (const char *query)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);
  const char *p = query;

  while (*p)
    {
      const char *start;
      g_autofree char *word = NULL;

      while (*p && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        continue;
      word = g_strndup (start, p - start);
      g_ptr_array_add (terms, kdx_fold_text (word));
    }

  return terms;
}

/* Whether @word, folded a character at a time as kdx_fold_text() folds
 * (lower case, no diacritics), begins with @term. No allocation: this
 * runs for every word of a text until a match. */
static gboolean
folded_prefix (const char *word,
               gsize       length,
               const char *term)
{
  const char *w = word;
  const char *end = word + length;
  const char *t = term;

  while (*t)
    {
      char buf[8];
      const char *folded = buf;
      gunichar c;

      if (w >= end)
        return FALSE;
      c = g_utf8_get_char (w);
      w = g_utf8_next_char (w);

      if (c < 0x80)
        {
          buf[0] = g_ascii_tolower (c);
          buf[1] = '\0';
        }
      else
        switch (c)
          {
          case 0x00DF: case 0x1E9E: folded = "ss"; break;
          case 0x0131: folded = "i"; break;
          case 0x0141: case 0x0142: folded = "l"; break;
          case 0x00D8: case 0x00F8: folded = "o"; break;
          case 0x0110: case 0x0111: folded = "d"; break;
          case 0x00C6: case 0x00E6: folded = "ae"; break;
          case 0x0152: case 0x0153: folded = "oe"; break;
          default:
            {
              gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

              g_unichar_fully_decompose (g_unichar_tolower (c), FALSE, decomposed,
                                         G_N_ELEMENTS (decomposed));
              buf[g_unichar_to_utf8 (decomposed[0], buf)] = '\0';
            }
          }

      for (const char *f = folded; *f && *t; f++, t++)
        if (*f != *t)
          return FALSE;
    }

  return TRUE;
}

static gboolean
word_matches (const char *word,
              gsize       length,
              GPtrArray  *terms)
{
  for (guint t = 0; t < terms->len; t++)
    if (folded_prefix (word, length, terms->pdata[t]))
      return TRUE;

  return FALSE;
}

/* An excerpt of @text around the first word that matches one of @terms,
 * the matching words between the markers of KdxPolicyHit; NULL when no
 * word matches. Written here rather than with FTS5's snippet(), which
 * tokenizes the whole text of every hit. */
static char *
make_snippet (const char *text,
              GPtrArray  *terms)
{
  enum { BEFORE = 5, WORDS = 24 };
  const char *starts[BEFORE + 1] = { NULL };
  const char *p = text;
  const char *excerpt = NULL;
  guint n_words = 0;
  g_autoptr(GString) out = NULL;

  /* Find the first match, remembering where the words before it began. */
  while (*p && excerpt == NULL)
    {
      const char *start;

      while (*p && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;
      memmove (starts, starts + 1, BEFORE * sizeof starts[0]);
      starts[BEFORE] = start;
      if (word_matches (start, p - start, terms))
        excerpt = starts[0] ? starts[0] : text;
      n_words++;
    }
  if (excerpt == NULL)
    return NULL;
  if (n_words <= BEFORE + 1)
    excerpt = text;

  /* Copy about WORDS words from there, marking the matches. */
  out = g_string_new (excerpt == text ? "" : "…");
  p = excerpt;
  n_words = 0;
  while (*p && n_words < WORDS)
    {
      const char *start = p;

      while (*p && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      for (const char *c = start; c < p; c++)
        g_string_append_c (out, (*c == '\n' || *c == '\r' || *c == '\t') ? ' ' : *c);
      start = p;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;
      if (word_matches (start, p - start, terms))
        {
          g_string_append (out, KDX_POLICY_MATCH_START);
          g_string_append_len (out, start, p - start);
          g_string_append (out, KDX_POLICY_MATCH_END);
        }
      else
        g_string_append_len (out, start, p - start);
      n_words++;
    }
  if (*p)
    g_string_append (out, "…");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

GPtrArray *
kdx_policy_search (KdxStore    *store,
                   const char  *query,
                   guint        limit,
                   GError     **error)
{
  g_autoptr(KdxCachedStmt) count = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_policy_hit_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) terms = NULL;
  g_autofree char *match = NULL;
  gboolean by_rank;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (query == NULL || !g_utf8_validate (query, -1, NULL) ||
      (match = fts_query (query)) == NULL || limit == 0)
    return g_steal_pointer (&hits);

  /* Ranking reads the index and the text sizes of every matching version:
   * a search keeps those pages in memory (32 MB at most) rather than
   * reading them from the file again at every keystroke. */
  kdx_store_raise_cache (store, 32768);

  terms = query_terms (query);
  count = kdx_store_prepare_cached (store, "SELECT count(*) FROM (SELECT 1 FROM policy_search "
                             "WHERE policy_search MATCH ?1 LIMIT ?2)", error);
  if (count == NULL)
    return NULL;
  sqlite3_bind_text (count, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (count, 2, RANK_LIMIT + 1);
  by_rank = sqlite3_step (count) == SQLITE_ROW && sqlite3_column_int (count, 0) <= RANK_LIMIT;

  /* First the versions, best first, one per policy; the snippets only
   * for those shown. Later versions of the same wording rank alike, so
   * the newest is preferred on a tie. */
  stmt = kdx_store_prepare_cached (store,
                            by_rank
                            ? "SELECT s.rowid, v.policy_id FROM policy_search s "
                              "JOIN policy_version v ON v.id = s.rowid "
                              "JOIN policy p ON p.id = v.policy_id "
                              "WHERE policy_search MATCH ?1 AND p.trashed IS NULL "
                              "ORDER BY s.rank, s.rowid DESC"
                            : "SELECT s.rowid, v.policy_id FROM policy_search s "
                              "JOIN policy_version v ON v.id = s.rowid "
                              "JOIN policy p ON p.id = v.policy_id "
                              "WHERE policy_search MATCH ?1 AND p.trashed IS NULL "
                              "ORDER BY s.rowid DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  while (ids->len < limit && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 version_id = sqlite3_column_int64 (stmt, 0);
      gint64 *policy_id = g_new (gint64, 1);

      *policy_id = sqlite3_column_int64 (stmt, 1);
      if (g_hash_table_contains (seen, policy_id))
        {
          g_free (policy_id);
          continue;
        }
      g_hash_table_add (seen, policy_id);
      g_array_append_val (ids, version_id);
    }
  g_hash_table_foreach (seen, (GHFunc) g_free, NULL);
  g_clear_pointer (&stmt, sqlite3_reset);

  stmt = kdx_store_prepare_cached (store,
                            "SELECT p.uuid, p.key, p.title, v.uuid, v.major, v.minor, v.status, "
                            "v.body FROM policy_version v JOIN policy p ON p.id = v.policy_id "
                            "WHERE v.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 version_id = g_array_index (ids, gint64, i);
      g_autofree char *status = NULL;
      g_autofree char *body = NULL;
      KdxPolicyHit *hit;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, version_id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        continue;

      hit = g_new0 (KdxPolicyHit, 1);
      hit->policy = kdx_store_column_text (stmt, 0);
      hit->key = kdx_store_column_text (stmt, 1);
      hit->title = kdx_store_column_text (stmt, 2);
      hit->version = kdx_store_column_text (stmt, 3);
      hit->label = g_strdup_printf ("%d.%d", sqlite3_column_int (stmt, 4),
                                    sqlite3_column_int (stmt, 5));
      status = kdx_store_column_text (stmt, 6);
      hit->status = MAX (kdx_version_status_from_string (status), 0);
      body = kdx_store_column_text (stmt, 7);
      hit->snippet = body ? make_snippet (body, terms) : NULL;
      if (hit->snippet == NULL)
        hit->snippet = make_snippet (hit->title, terms);
      if (hit->snippet == NULL)
        hit->snippet = g_strdup (hit->title);
      g_ptr_array_add (hits, hit);
    }

  return g_steal_pointer (&hits);
}

/* ------------------------------------------------------------------ */
/* CSV import of acknowledgements                                      */

/* The columns of an acknowledgement file, by the names a header may use
 * (compared case-insensitively, in English and German). */
enum { COL_PERSON, COL_POLICY, COL_VERSION, COL_DATE, N_COLS };

static const char *column_names[N_COLS][6] = {
  { "person", "e-mail", "email", "mail", "id", NULL },
  { "policy", "key", "richtlinie", "schlüssel", "policy key", NULL },
  { "version", "fassung", NULL },
  { "date", "datum", "time", "acknowledged", "bestätigt", NULL },
};

static int
column_for_header (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *name = g_strstrip (g_steal_pointer (&folded));

  for (int c = 0; c < N_COLS; c++)
    for (guint i = 0; i < G_N_ELEMENTS (column_names[c]) && column_names[c][i]; i++)
      if (g_str_equal (name, column_names[c][i]))
        return c;

  return -1;
}

/* A date as people write it (2026-03-01, 1.3.2026, or an ISO 8601 time)
 * as an ISO 8601 time; NULL when it is none. */
static char *
parse_ack_date (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;
  guint d, m, y;
  char rest;
  GDate date;

  if (parse_date (text, &date))
    return g_strconcat (text, "T12:00:00Z", NULL);
  if (sscanf (text, "%u.%u.%u%c", &d, &m, &y, &rest) == 3 && g_date_valid_dmy (d, m, y) &&
      y > 1900)
    return g_strdup_printf ("%04u-%02u-%02uT12:00:00Z", y, m, d);

  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      dt = g_date_time_new_from_iso8601 (text, utc);
    }
  if (dt == NULL)
    return NULL;

  return g_date_time_format_iso8601 (dt);
}

gboolean
kdx_policy_import_acks_csv (KdxStore    *store,
                            GBytes      *csv,
                            const char  *encoding,
                            guint       *n_recorded,
                            GError     **error)
{
  g_autoptr(KdxCsvTable) table = NULL;
  KdxCsvOptions options = { encoding, 0, FALSE };
  int columns[N_COLS] = { 0, 1, 2, 3 };
  guint first = 0;
  guint recorded = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (csv != NULL, FALSE);

  if (n_recorded)
    *n_recorded = 0;

  table = kdx_csv_read (csv, &options, error);
  if (table == NULL)
    return FALSE;

  /* A header names the columns; without one they are in this order. */
  if (kdx_csv_table_get_n_rows (table) > 0 && column_for_header (kdx_csv_table_get_field (table, 0, 0)) >= 0)
    {
      for (int c = 0; c < N_COLS; c++)
        columns[c] = -1;
      for (guint i = 0; i < kdx_csv_table_get_n_columns (table); i++)
        {
          int c = column_for_header (kdx_csv_table_get_field (table, 0, i));

          if (c >= 0 && columns[c] < 0)
            columns[c] = i;
        }
      first = 1;
    }
  for (int c = 0; c <= COL_POLICY; c++)
    if (columns[c] < 0 || (guint) columns[c] >= kdx_csv_table_get_n_columns (table))
      {
        g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                     c == COL_PERSON ? _("Line 1: the file has no column for the person "
                                         "(e-mail or id)")
                                     : _("Line 1: the file has no column for the policy key"));
        return FALSE;
      }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  for (guint row = first; row < kdx_csv_table_get_n_rows (table); row++)
    {
      guint line = kdx_csv_table_get_line (table, row);
      const char *who = kdx_csv_table_get_field (table, row, columns[COL_PERSON]);
      const char *key = kdx_csv_table_get_field (table, row, columns[COL_POLICY]);
      const char *label = columns[COL_VERSION] >= 0
                          ? kdx_csv_table_get_field (table, row, columns[COL_VERSION]) : NULL;
      const char *when = columns[COL_DATE] >= 0
                         ? kdx_csv_table_get_field (table, row, columns[COL_DATE]) : NULL;
      g_autoptr(KdxPerson) person = NULL;
      g_autoptr(KdxPolicy) policy = NULL;
      g_autoptr(KdxPolicyVersion) version = NULL;
      g_autoptr(GError) local = NULL;
      g_autofree char *time = NULL;
      g_autofree char *who_trimmed = g_strstrip (g_strdup (who ? who : ""));
      g_autofree char *key_trimmed = g_strstrip (g_strdup (key ? key : ""));
      g_autofree char *label_trimmed = g_strstrip (g_strdup (label ? label : ""));
      g_autofree char *when_trimmed = g_strstrip (g_strdup (when ? when : ""));
      const char *people[2] = { NULL, NULL };
      guint n = 0;

      person = *who_trimmed ? kdx_person_find (store, who_trimmed, NULL) : NULL;
      if (person == NULL || kdx_person_get_trashed (person) != NULL)
        {
          g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                       _("Line %u, column %d: there is no person “%s” (give an e-mail address "
                         "or id from People)"), line, columns[COL_PERSON] + 1, who_trimmed);
          goto out;
        }
      policy = kdx_policy_load (store, key_trimmed, NULL);
      if (policy == NULL || kdx_policy_get_trashed (policy) != NULL)
        {
          g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                       _("Line %u, column %d: there is no policy “%s”"), line,
                       columns[COL_POLICY] + 1, key_trimmed);
          goto out;
        }
      version = kdx_policy_version_find (store, kdx_policy_get_uuid (policy),
                                         *label_trimmed ? label_trimmed : NULL, &local);
      if (version == NULL)
        {
          g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND,
                       _("Line %u, column %d: %s"), line,
                       columns[COL_VERSION] >= 0 ? columns[COL_VERSION] + 1 : columns[COL_POLICY] + 1,
                       local->message);
          goto out;
        }
      if (*when_trimmed)
        {
          time = parse_ack_date (when_trimmed);
          if (time == NULL)
            {
              g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                           _("Line %u, column %d: “%s” is not a date (such as 2026-03-01)"),
                           line, columns[COL_DATE] + 1, when_trimmed);
              goto out;
            }
        }

      people[0] = kdx_person_get_uuid (person);
      if (!acknowledge (store, kdx_policy_version_get_uuid (version), people, time, "csv", TRUE,
                        &n, &local))
        {
          g_set_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID,
                       _("Line %u, column %d: %s"), line,
                       columns[COL_VERSION] >= 0 ? columns[COL_VERSION] + 1 : columns[COL_POLICY] + 1,
                       local->message);
          goto out;
        }
      recorded += n;
    }

  if (n_recorded)
    *n_recorded = recorded;
  ok = TRUE;

out:
  return kdx_store_finish (store, own, ok, error);
}
