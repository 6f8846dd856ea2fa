/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The XML exchange format: a whole workspace written with xmlTextWriter
 * and read back with the streaming xmlReader, validated against the
 * RELAX NG schema as it streams. The reader refuses any DOCTYPE, never
 * substitutes entities, loads no DTD and touches no network: an exchange
 * file can come from anyone.
 *
 * People go through the person API. Policies are restored, not re-enacted:
 * their rows (versions, votes, acknowledgements, the search index) are
 * written with SQL here, after the whole file has been read and checked,
 * and each row is journaled as the person import journals its people.
 */
#define G_LOG_DOMAIN "kdx-exchange"

#include "config.h"

#include "kdx-exchange.h"
#include "kdx-core-resources.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <string.h>
#include <unistd.h>

#define SCHEMA_RESOURCE "/io/github/kodexapp/Kodex/core/schema/kodex-exchange.rng"

/* libxml2 refuses a text node of more than 10,000,000 bytes unless its
 * limits are lifted, which Kodex never does. Longer texts (a policy may
 * hold 16 MiB) are written in pieces with an empty comment between them;
 * the reader joins the pieces again. */
#define TEXT_PIECE (4 * 1024 * 1024)

/* The settings that travel with a workspace. */
static const char *exchanged_settings[] = { "organisation", "language", "quorum", NULL };

/* Where an acknowledgement came from (the CHECK of policy_ack.source). */
static const char *ack_sources[] = { "manual", "bulk", "csv", "import", NULL };

G_DEFINE_QUARK (kdx-exchange-error-quark, kdx_exchange_error)

/* ------------------------------------------------------------------ */
/* Policies as the exchange carries them: read from a workspace to be  */
/* written, or read from a file to be stored. Values are kept as text, */
/* the way both sides hold them; @line is where a file had them.       */

typedef struct
{
  int    line;
  char  *person;
  guint  round;
  char  *choice;
  char  *comment;
  char  *time;
} VoteRecord;

typedef struct
{
  int    line;
  char  *person;
  char  *time;
  char  *source;
} AckRecord;

typedef struct
{
  int        line;
  gint64     id;
  char      *uuid;
  guint      number;
  guint      major;
  guint      minor;
  char      *status;
  guint      round;
  char      *ack_scope;
  char      *ack_target;
  char      *author;
  int        author_line;
  char      *summary;
  char      *body;
  char      *effective;
  char      *submitted;
  char      *approved;
  char      *published;
  char      *created;
  char      *modified;
  GPtrArray *votes;   /* VoteRecord */
  GPtrArray *acks;    /* AckRecord */
} VersionRecord;

typedef struct
{
  int        line;
  gint64     id;
  char      *uuid;
  char      *key;
  char      *title;
  int        title_line;
  char      *kind;
  char      *area;
  char      *owner;
  int        owner_line;
  guint      review_months;
  char      *next_review;
  char      *retired;
  char      *created;
  char      *modified;
  char      *trashed;
  GPtrArray *versions;  /* VersionRecord, oldest first */
} PolicyRecord;

static void
vote_record_free (gpointer data)
{
  VoteRecord *vote = data;

  g_free (vote->person);
  g_free (vote->choice);
  g_free (vote->comment);
  g_free (vote->time);
  g_free (vote);
}

static void
ack_record_free (gpointer data)
{
  AckRecord *ack = data;

  g_free (ack->person);
  g_free (ack->time);
  g_free (ack->source);
  g_free (ack);
}

static VersionRecord *
version_record_new (void)
{
  VersionRecord *version = g_new0 (VersionRecord, 1);

  version->votes = g_ptr_array_new_with_free_func (vote_record_free);
  version->acks = g_ptr_array_new_with_free_func (ack_record_free);

  return version;
}

static void
version_record_free (gpointer data)
{
  VersionRecord *version = data;

  g_free (version->uuid);
  g_free (version->status);
  g_free (version->ack_scope);
  g_free (version->ack_target);
  g_free (version->author);
  g_free (version->summary);
  g_free (version->body);
  g_free (version->effective);
  g_free (version->submitted);
  g_free (version->approved);
  g_free (version->published);
  g_free (version->created);
  g_free (version->modified);
  g_ptr_array_unref (version->votes);
  g_ptr_array_unref (version->acks);
  g_free (version);
}

static PolicyRecord *
policy_record_new (void)
{
  PolicyRecord *policy = g_new0 (PolicyRecord, 1);

  policy->versions = g_ptr_array_new_with_free_func (version_record_free);

  return policy;
}

static void
policy_record_free (gpointer data)
{
  PolicyRecord *policy = data;

  g_free (policy->uuid);
  g_free (policy->key);
  g_free (policy->title);
  g_free (policy->kind);
  g_free (policy->area);
  g_free (policy->owner);
  g_free (policy->next_review);
  g_free (policy->retired);
  g_free (policy->created);
  g_free (policy->modified);
  g_free (policy->trashed);
  g_ptr_array_unref (policy->versions);
  g_free (policy);
}

/* Whether XML 1.0 can carry @text as character data (as it is, or with
 * character references for CR): not most control characters, not the
 * non-characters U+FFFE and U+FFFF. */
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

/* ------------------------------------------------------------------ */
/* Writing                                                            */

static gboolean
write_text_element (xmlTextWriterPtr  writer,
                    const char       *name,
                    const char       *value)
{
  if (value == NULL)
    return TRUE;

  return xmlTextWriterWriteElement (writer, BAD_CAST name, BAD_CAST value) >= 0;
}

static gboolean
write_attribute (xmlTextWriterPtr  writer,
                 const char       *name,
                 const char       *value)
{
  if (value == NULL)
    return TRUE;

  return xmlTextWriterWriteAttribute (writer, BAD_CAST name, BAD_CAST value) >= 0;
}

static gboolean
write_number_attribute (xmlTextWriterPtr  writer,
                        const char       *name,
                        guint             value)
{
  return xmlTextWriterWriteFormatAttribute (writer, BAD_CAST name, "%u", value) >= 0;
}

/* <@name ref="uuid"/>, a reference to a person. */
static gboolean
write_reference (xmlTextWriterPtr  writer,
                 const char       *name,
                 const char       *uuid)
{
  gboolean ok = TRUE;

  if (uuid == NULL)
    return TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST name) >= 0;
  ok &= write_attribute (writer, "ref", uuid);
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

/* Character data in pieces of at most TEXT_PIECE bytes, cut between
 * characters. The comment is written raw: the writer's indentation would
 * otherwise add whitespace to the text. */
static gboolean
write_text_pieces (xmlTextWriterPtr  writer,
                   const char       *text)
{
  const char *p = text;
  gsize left = strlen (text);
  gboolean ok = TRUE;

  while (ok && left > TEXT_PIECE)
    {
      const char *end = p + TEXT_PIECE;
      g_autofree char *piece = NULL;

      while (end > p && ((guchar) *end & 0xc0) == 0x80)
        end--;
      piece = g_strndup (p, end - p);
      ok &= xmlTextWriterWriteString (writer, BAD_CAST piece) >= 0;
      ok &= xmlTextWriterWriteRaw (writer, BAD_CAST "<!---->") >= 0;
      left -= end - p;
      p = end;
    }

  return ok && xmlTextWriterWriteString (writer, BAD_CAST p) >= 0;
}

/* An element whose text comes back byte for byte: CR as a character
 * reference (the writer does that), and a text that XML cannot carry as
 * base64. */
static gboolean
write_exact_text (xmlTextWriterPtr  writer,
                  const char       *name,
                  const char       *value)
{
  gboolean ok = TRUE;

  if (value == NULL)
    return TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST name) >= 0;
  if (xml_can_carry (value))
    ok &= write_text_pieces (writer, value);
  else
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) value, strlen (value));

      ok &= write_attribute (writer, "encoding", "base64");
      ok &= write_text_pieces (writer, encoded);
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_person (xmlTextWriterPtr  writer,
              KdxPerson        *person)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "person") >= 0;
  ok &= write_attribute (writer, "uuid", kdx_person_get_uuid (person));
  ok &= write_attribute (writer, "committee", kdx_person_get_committee (person) ? "true" : "false");
  ok &= write_attribute (writer, "active", kdx_person_get_active (person) ? "true" : "false");
  ok &= write_attribute (writer, "created", kdx_person_get_created (person));
  ok &= write_attribute (writer, "modified", kdx_person_get_modified (person));
  ok &= write_attribute (writer, "trashed", kdx_person_get_trashed (person));
  ok &= write_text_element (writer, "name", kdx_person_get_name (person));
  ok &= write_text_element (writer, "email", kdx_person_get_email (person));
  ok &= write_text_element (writer, "department", kdx_person_get_department (person));
  ok &= write_text_element (writer, "role", kdx_person_get_role (person));
  ok &= write_reference (writer, "manager", kdx_person_get_manager (person));
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_version (xmlTextWriterPtr  writer,
               VersionRecord    *version)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "version") >= 0;
  ok &= write_attribute (writer, "uuid", version->uuid);
  ok &= write_number_attribute (writer, "number", version->number);
  ok &= write_number_attribute (writer, "major", version->major);
  ok &= write_number_attribute (writer, "minor", version->minor);
  ok &= write_attribute (writer, "status", version->status);
  ok &= write_number_attribute (writer, "round", version->round);
  ok &= write_attribute (writer, "ack-scope", version->ack_scope);
  ok &= write_attribute (writer, "effective", version->effective);
  ok &= write_attribute (writer, "submitted", version->submitted);
  ok &= write_attribute (writer, "approved", version->approved);
  ok &= write_attribute (writer, "published", version->published);
  ok &= write_attribute (writer, "created", version->created);
  ok &= write_attribute (writer, "modified", version->modified);
  ok &= write_reference (writer, "author", version->author);
  ok &= write_exact_text (writer, "summary", version->summary);
  ok &= write_exact_text (writer, "ack-target", version->ack_target);
  ok &= write_exact_text (writer, "body", version->body);

  for (guint i = 0; ok && i < version->votes->len; i++)
    {
      VoteRecord *vote = g_ptr_array_index (version->votes, i);

      ok &= xmlTextWriterStartElement (writer, BAD_CAST "vote") >= 0;
      ok &= write_attribute (writer, "person", vote->person);
      ok &= write_number_attribute (writer, "round", vote->round);
      ok &= write_attribute (writer, "choice", vote->choice);
      ok &= write_attribute (writer, "time", vote->time);
      ok &= write_exact_text (writer, "comment", vote->comment);
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }

  for (guint i = 0; ok && i < version->acks->len; i++)
    {
      AckRecord *ack = g_ptr_array_index (version->acks, i);

      ok &= xmlTextWriterStartElement (writer, BAD_CAST "acknowledgement") >= 0;
      ok &= write_attribute (writer, "person", ack->person);
      ok &= write_attribute (writer, "time", ack->time);
      ok &= write_attribute (writer, "source", ack->source);
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }

  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_policy (xmlTextWriterPtr  writer,
              PolicyRecord     *policy)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "policy") >= 0;
  ok &= write_attribute (writer, "uuid", policy->uuid);
  ok &= write_attribute (writer, "key", policy->key);
  ok &= write_attribute (writer, "kind", policy->kind);
  ok &= write_attribute (writer, "area", policy->area);
  ok &= write_number_attribute (writer, "review-months", policy->review_months);
  ok &= write_attribute (writer, "next-review", policy->next_review);
  ok &= write_attribute (writer, "retired", policy->retired);
  ok &= write_attribute (writer, "created", policy->created);
  ok &= write_attribute (writer, "modified", policy->modified);
  ok &= write_attribute (writer, "trashed", policy->trashed);
  ok &= write_exact_text (writer, "title", policy->title);
  ok &= write_reference (writer, "owner", policy->owner);
  for (guint i = 0; ok && i < policy->versions->len; i++)
    ok &= write_version (writer, g_ptr_array_index (policy->versions, i));
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

/* Steps through the rows of @stmt; FALSE with @error set on an SQL
 * error, and when there are no more rows (then without an error). */
static gboolean
next_row (KdxStore      *store,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    kdx_store_set_sql_error (store, error);

  return FALSE;
}

/* Every policy with its versions, votes and acknowledgements: four
 * queries, whatever the number of policies. */
static GPtrArray *
load_policies (KdxStore  *store,
               GError   **error)
{
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (policy_record_free);
  g_autoptr(GHashTable) policy_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) version_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) policy_stmt = NULL;
  g_autoptr(sqlite3_stmt) version_stmt = NULL;
  g_autoptr(sqlite3_stmt) vote_stmt = NULL;
  g_autoptr(sqlite3_stmt) ack_stmt = NULL;
  GError *step_error = NULL;

  policy_stmt = kdx_store_prepare (store,
                                   "SELECT p.id, p.uuid, p.key, p.title, p.kind, p.area, o.uuid, "
                                   "p.review_months, p.next_review, p.retired, p.created, "
                                   "p.modified, p.trashed "
                                   "FROM policy p LEFT JOIN person o ON o.id = p.owner_id "
                                   "ORDER BY p.key", error);
  if (policy_stmt == NULL)
    return NULL;
  while (next_row (store, policy_stmt, &step_error))
    {
      PolicyRecord *policy = policy_record_new ();

      policy->id = sqlite3_column_int64 (policy_stmt, 0);
      policy->uuid = kdx_store_column_text (policy_stmt, 1);
      policy->key = kdx_store_column_text (policy_stmt, 2);
      policy->title = kdx_store_column_text (policy_stmt, 3);
      policy->kind = kdx_store_column_text (policy_stmt, 4);
      policy->area = kdx_store_column_text (policy_stmt, 5);
      policy->owner = kdx_store_column_text (policy_stmt, 6);
      policy->review_months = sqlite3_column_int (policy_stmt, 7);
      policy->next_review = kdx_store_column_text (policy_stmt, 8);
      policy->retired = kdx_store_column_text (policy_stmt, 9);
      policy->created = kdx_store_column_text (policy_stmt, 10);
      policy->modified = kdx_store_column_text (policy_stmt, 11);
      policy->trashed = kdx_store_column_text (policy_stmt, 12);
      g_ptr_array_add (policies, policy);
      g_hash_table_insert (policy_by_id, &policy->id, policy);
    }
  if (step_error != NULL)
    goto fail;

  version_stmt = kdx_store_prepare (store,
                                    "SELECT v.policy_id, v.id, v.uuid, v.number, v.major, v.minor, "
                                    "v.status, v.round, v.ack_scope, v.ack_target, a.uuid, "
                                    "v.summary, v.body, v.effective, v.submitted, v.approved, "
                                    "v.published, v.created, v.modified "
                                    "FROM policy_version v LEFT JOIN person a ON a.id = v.author_id "
                                    "ORDER BY v.policy_id, v.number", error);
  if (version_stmt == NULL)
    return NULL;
  while (next_row (store, version_stmt, &step_error))
    {
      gint64 policy_id = sqlite3_column_int64 (version_stmt, 0);
      PolicyRecord *policy = g_hash_table_lookup (policy_by_id, &policy_id);
      VersionRecord *version;

      if (policy == NULL)
        continue;
      version = version_record_new ();
      version->id = sqlite3_column_int64 (version_stmt, 1);
      version->uuid = kdx_store_column_text (version_stmt, 2);
      version->number = sqlite3_column_int (version_stmt, 3);
      version->major = sqlite3_column_int (version_stmt, 4);
      version->minor = sqlite3_column_int (version_stmt, 5);
      version->status = kdx_store_column_text (version_stmt, 6);
      version->round = sqlite3_column_int (version_stmt, 7);
      version->ack_scope = kdx_store_column_text (version_stmt, 8);
      version->ack_target = kdx_store_column_text (version_stmt, 9);
      version->author = kdx_store_column_text (version_stmt, 10);
      version->summary = kdx_store_column_text (version_stmt, 11);
      version->body = kdx_store_column_text (version_stmt, 12);
      version->effective = kdx_store_column_text (version_stmt, 13);
      version->submitted = kdx_store_column_text (version_stmt, 14);
      version->approved = kdx_store_column_text (version_stmt, 15);
      version->published = kdx_store_column_text (version_stmt, 16);
      version->created = kdx_store_column_text (version_stmt, 17);
      version->modified = kdx_store_column_text (version_stmt, 18);
      if (version->body == NULL)
        version->body = g_strdup ("");
      g_ptr_array_add (policy->versions, version);
      g_hash_table_insert (version_by_id, &version->id, version);
    }
  if (step_error != NULL)
    goto fail;

  vote_stmt = kdx_store_prepare (store,
                                 "SELECT v.version_id, p.uuid, v.round, v.choice, v.comment, v.time "
                                 "FROM policy_vote v JOIN person p ON p.id = v.person_id "
                                 "ORDER BY v.version_id, v.round, v.time, v.id", error);
  if (vote_stmt == NULL)
    return NULL;
  while (next_row (store, vote_stmt, &step_error))
    {
      gint64 version_id = sqlite3_column_int64 (vote_stmt, 0);
      VersionRecord *version = g_hash_table_lookup (version_by_id, &version_id);
      VoteRecord *vote;

      if (version == NULL)
        continue;
      vote = g_new0 (VoteRecord, 1);
      vote->person = kdx_store_column_text (vote_stmt, 1);
      vote->round = sqlite3_column_int (vote_stmt, 2);
      vote->choice = kdx_store_column_text (vote_stmt, 3);
      vote->comment = kdx_store_column_text (vote_stmt, 4);
      vote->time = kdx_store_column_text (vote_stmt, 5);
      g_ptr_array_add (version->votes, vote);
    }
  if (step_error != NULL)
    goto fail;

  ack_stmt = kdx_store_prepare (store,
                                "SELECT a.version_id, p.uuid, a.time, a.source "
                                "FROM policy_ack a JOIN person p ON p.id = a.person_id "
                                "ORDER BY a.version_id, a.time, a.id", error);
  if (ack_stmt == NULL)
    return NULL;
  while (next_row (store, ack_stmt, &step_error))
    {
      gint64 version_id = sqlite3_column_int64 (ack_stmt, 0);
      VersionRecord *version = g_hash_table_lookup (version_by_id, &version_id);
      AckRecord *ack;

      if (version == NULL)
        continue;
      ack = g_new0 (AckRecord, 1);
      ack->person = kdx_store_column_text (ack_stmt, 1);
      ack->time = kdx_store_column_text (ack_stmt, 2);
      ack->source = kdx_store_column_text (ack_stmt, 3);
      g_ptr_array_add (version->acks, ack);
    }
  if (step_error != NULL)
    goto fail;

  return g_steal_pointer (&policies);

fail:
  g_propagate_error (error, step_error);
  return NULL;
}

/* People and policies as one snapshot: a read transaction, so that a
 * writer committing meanwhile cannot leave the export half before and half
 * after (an acknowledgement of a version that is not yet published). The
 * rows are read into memory first, and the lock is let go before the
 * (slower) writing of the file. */
static gboolean
load_workspace (KdxStore    *store,
                GPtrArray  **people,
                GPtrArray  **policies,
                GError     **error)
{
  gboolean own = !kdx_store_in_transaction (store);

  if (own && !kdx_store_exec (store, "BEGIN DEFERRED", error))
    return FALSE;

  *people = kdx_person_list_all (store, TRUE, error);
  *policies = *people ? load_policies (store, error) : NULL;

  if (own)
    kdx_store_exec (store, *policies ? "COMMIT" : "ROLLBACK", NULL);

  if (*policies == NULL)
    {
      g_clear_pointer (people, g_ptr_array_unref);
      return FALSE;
    }

  return TRUE;
}

gboolean
kdx_exchange_export_xml (KdxStore      *store,
                         const char    *path,
                         KdxJob        *job,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = NULL;
  g_autoptr(GError) tmp_error = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *now = kdx_store_now_iso8601 ();
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  xmlTextWriterPtr writer = NULL;
  gboolean ok = TRUE;
  guint total;
  int fd;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!load_workspace (store, &people, &policies, error))
    return FALSE;
  total = MAX (people->len + policies->len, 1);

  tmp = kdx_store_make_temporary (dir, "export", &tmp_error);
  if (tmp == NULL)
    {
      g_set_error (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                   _("“%s” cannot be written: %s"), name, tmp_error->message);
      return FALSE;
    }

  writer = xmlNewTextWriterFilename (tmp, 0);
  if (writer == NULL)
    goto io_fail;
  xmlTextWriterSetIndent (writer, 1);
  xmlTextWriterSetIndentString (writer, BAD_CAST "  ");

  ok &= xmlTextWriterStartDocument (writer, "1.0", "UTF-8", NULL) >= 0;
  ok &= xmlTextWriterStartElementNS (writer, NULL, BAD_CAST "kodex",
                                     BAD_CAST KDX_EXCHANGE_NAMESPACE) >= 0;
  ok &= xmlTextWriterWriteFormatAttribute (writer, BAD_CAST "schema-version", "%d",
                                           KDX_SCHEMA_VERSION) >= 0;
  ok &= write_attribute (writer, "exported", now);
  ok &= write_attribute (writer, "generator", "Kodex " PACKAGE_VERSION);

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "settings") >= 0;
  for (guint i = 0; exchanged_settings[i] != NULL; i++)
    {
      g_autofree char *value = kdx_store_dup_setting (store, exchanged_settings[i]);

      if (value == NULL)
        continue;
      ok &= xmlTextWriterStartElement (writer, BAD_CAST "setting") >= 0;
      ok &= write_attribute (writer, "key", exchanged_settings[i]);
      ok &= xmlTextWriterWriteString (writer, BAD_CAST value) >= 0;
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "people") >= 0;
  for (guint i = 0; ok && i < people->len; i++)
    {
      ok &= write_person (writer, g_ptr_array_index (people, i));
      if (job != NULL && (i & 1023) == 0)
        kdx_job_set_progress (job, (double) i / total, _("Writing people"));
      if ((i & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "policies") >= 0;
  for (guint i = 0; ok && i < policies->len; i++)
    {
      ok &= write_policy (writer, g_ptr_array_index (policies, i));
      if (job != NULL && (i & 63) == 0)
        kdx_job_set_progress (job, (double) (people->len + i) / total, _("Writing policies"));
      if ((i & 63) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

  ok &= xmlTextWriterEndElement (writer) >= 0;
  ok &= xmlTextWriterEndDocument (writer) >= 0;
  ok &= xmlTextWriterFlush (writer) >= 0;
  xmlFreeTextWriter (writer);
  writer = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (!ok)
    goto io_fail;

  fd = g_open (tmp, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fsync (fd) != 0)
    {
      if (fd >= 0)
        close (fd);
      goto io_fail;
    }
  close (fd);

  if (g_rename (tmp, path) != 0)
    goto io_fail;

  if (job != NULL)
    kdx_job_set_progress (job, 1.0, NULL);

  return TRUE;

io_fail:
  {
    int saved = errno ? errno : EIO;

    if (writer != NULL)
      xmlFreeTextWriter (writer);
    g_unlink (tmp);
    g_set_error (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                 _("“%s” cannot be written: %s"), name, g_strerror (saved));
  }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Reading                                                            */

/* first_error_domain of an error that the reader found itself. */
#define OWN_ERROR (-1)

typedef struct
{
  xmlTextReaderPtr reader;
  const char    *display_name;
  GString       *first_error;
  int            first_error_line;
  int            first_error_domain;
  gboolean       saw_doctype;
  guint          n_elements;
  int            text_line;     /* where the text just read ended; 0: none just before */
  GHashTable    *settings;      /* key → value */
  GPtrArray     *people;        /* KdxPerson */
  GHashTable    *by_uuid;       /* uuid → KdxPerson (borrowed) */
  GHashTable    *person_lines;  /* KdxPerson → line */
  KdxPerson     *current;
  int            current_line;
  GPtrArray     *policies;      /* PolicyRecord */
  PolicyRecord  *policy;        /* borrowed: the one being read */
  VersionRecord *version;
  VoteRecord    *vote;
} ReadState;

static void
read_state_clear (ReadState *state)
{
  if (state->first_error)
    g_string_free (state->first_error, TRUE);
  g_clear_pointer (&state->settings, g_hash_table_unref);
  g_clear_pointer (&state->by_uuid, g_hash_table_unref);
  g_clear_pointer (&state->person_lines, g_hash_table_unref);
  g_clear_pointer (&state->people, g_ptr_array_unref);
  g_clear_pointer (&state->policies, g_ptr_array_unref);
  g_clear_object (&state->current);
}

/* Notes the first thing wrong with the file; reading stops there. */
static void
reader_error (ReadState  *state,
              int         line,
              const char *what)
{
  if (state->first_error != NULL)
    return;

  state->first_error = g_string_new (what);
  state->first_error_line = line;
  state->first_error_domain = OWN_ERROR;
}

/* The values that the schema enumerates for @attribute of @element, as
 * kdx-policy.h names them; NULL for any other attribute. */
static GPtrArray *
allowed_values (const char *element,
                const char *attribute)
{
  GPtrArray *values = g_ptr_array_new ();

  if (g_str_equal (element, "policy") && g_str_equal (attribute, "kind"))
    for (guint i = 0; i < KDX_POLICY_N_KINDS; i++)
      g_ptr_array_add (values, (gpointer) kdx_policy_kind_to_string (i));
  else if (g_str_equal (element, "policy") && g_str_equal (attribute, "area"))
    for (guint i = 0; i < KDX_POLICY_N_AREAS; i++)
      g_ptr_array_add (values, (gpointer) kdx_policy_area_to_string (i));
  else if (g_str_equal (element, "version") && g_str_equal (attribute, "status"))
    for (guint i = 0; i < KDX_VERSION_N_STATUSES; i++)
      g_ptr_array_add (values, (gpointer) kdx_version_status_to_string (i));
  else if (g_str_equal (element, "version") && g_str_equal (attribute, "ack-scope"))
    for (guint i = 0; i < KDX_ACK_N_SCOPES; i++)
      g_ptr_array_add (values, (gpointer) kdx_ack_scope_to_string (i));
  else if (g_str_equal (element, "vote") && g_str_equal (attribute, "choice"))
    for (guint i = 0; i < KDX_VOTE_N_CHOICES; i++)
      g_ptr_array_add (values, (gpointer) kdx_vote_choice_to_string (i));
  else if (g_str_equal (element, "acknowledgement") && g_str_equal (attribute, "source"))
    for (guint i = 0; ack_sources[i] != NULL; i++)
      g_ptr_array_add (values, (gpointer) ack_sources[i]);
  else
    g_clear_pointer (&values, g_ptr_array_unref);

  return values;
}

static gboolean
value_in (GPtrArray  *values,
          const char *value)
{
  for (guint i = 0; value != NULL && i < values->len; i++)
    if (g_str_equal (g_ptr_array_index (values, i), value))
      return TRUE;

  return FALSE;
}

/* When the schema refuses an element because of a value it enumerates,
 * says so in words (translated) instead of libxml2's message. libxml2
 * may blame a child of the element at fault, so its ancestors are looked
 * at too; @node becomes the element at fault. */
static char *
explain_invalid_node (xmlNodePtr *node)
{
  static const char *enumerated[] = { "kind", "area", "status", "ack-scope", "choice", "source" };

  for (xmlNodePtr n = *node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    {
      if (n->ns == NULL || g_strcmp0 ((const char *) n->ns->href, KDX_EXCHANGE_NAMESPACE) != 0)
        return NULL;

      for (guint i = 0; i < G_N_ELEMENTS (enumerated); i++)
        {
          g_autoptr(GPtrArray) values = allowed_values ((const char *) n->name, enumerated[i]);
          xmlChar *raw = NULL;
          g_autofree char *value = NULL;
          g_autofree char *list = NULL;

          if (values == NULL || (raw = xmlGetNoNsProp (n, BAD_CAST enumerated[i])) == NULL)
            continue;
          value = g_strstrip (g_strdup ((const char *) raw));
          xmlFree (raw);
          if (value_in (values, value))
            continue;

          *node = n;
          g_ptr_array_add (values, NULL);
          list = g_strjoinv (", ", (char **) values->pdata);
          /* Translators: an attribute, its value in the file, and the values
           * allowed, as in: status="frozen" is not allowed; use one of: draft, … */
          return g_strdup_printf (_("%s=\"%s\" is not allowed; use one of: %s"),
                                  enumerated[i], value, list);
        }
    }

  return NULL;
}

/* The line where @node starts. libxml2 keeps 16 bits of it in an element;
 * XML_PARSE_BIG_LINES keeps the full line of a text node, where the text
 * ends. So beyond line 65535, the whitespace before an element (an
 * exported file is indented) tells its line, and failing that the text
 * inside it, which is on the same line or the next. */
static int
node_line (xmlNodePtr node)
{
  if (node->line < 65535)
    return node->line;
  if (node->prev != NULL && node->prev->type == XML_TEXT_NODE)
    return MAX (65535, (int) xmlGetLineNo (node->prev));

  return MAX (65535, (int) xmlGetLineNo (node));
}

static void
structured_error_cb (void        *user_data,
                     xmlErrorPtr  err)
{
  ReadState *state = user_data;
  g_autofree char *message = NULL;
  int line;

  if (state->first_error != NULL || err == NULL)
    return;
  if (err->level == XML_ERR_WARNING)
    return;

  line = err->line;
  if (err->domain == XML_FROM_RELAXNGV && err->node != NULL &&
      ((xmlNodePtr) err->node)->type == XML_ELEMENT_NODE)
    {
      xmlNodePtr node = err->node;

      message = explain_invalid_node (&node);
      /* The element being read: the reader saw the text before it. */
      if (node->line >= 65535 && state->text_line > 0 &&
          node == xmlTextReaderCurrentNode (state->reader))
        line = MAX (65535, state->text_line);
      else
        line = node_line (node);
    }
  if (message == NULL)
    message = g_strstrip (g_strdup (err->message ? err->message : "?"));
  state->first_error = g_string_new (message);
  state->first_error_line = line;
  state->first_error_domain = err->domain;
  /* An error inside or caused by a DOCTYPE (an undefined entity, say):
   * the document is refused for its DOCTYPE. */
  if (err->domain == XML_FROM_PARSER && err->ctxt != NULL)
    {
      xmlParserCtxtPtr ctxt = err->ctxt;

      if (ctxt->inSubset != 0 ||
          (ctxt->myDoc != NULL && (ctxt->myDoc->intSubset != NULL || ctxt->myDoc->extSubset != NULL)))
        state->saw_doctype = TRUE;
    }
}

static void
set_read_error (GError    **error,
                ReadState  *state,
                int         code,
                int         line,
                const char *what)
{
  if (line > 0)
    /* Translators: file name, line number, then what is wrong */
    g_set_error (error, KDX_EXCHANGE_ERROR, code, _("%s, line %d: %s"),
                 state->display_name, line, what);
  else
    g_set_error (error, KDX_EXCHANGE_ERROR, code, _("%s: %s"), state->display_name, what);
}

static char *
attribute (xmlTextReaderPtr  reader,
           const char       *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, BAD_CAST name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/* An attribute whose schema type collapses whitespace (a value from a
 * list, a number). */
static char *
token_attribute (xmlTextReaderPtr  reader,
                 const char       *name)
{
  char *value = attribute (reader, name);

  return value ? g_strstrip (value) : NULL;
}

/* A count; the schema allows at most nine digits. */
static guint
number_attribute (xmlTextReaderPtr  reader,
                  const char       *name)
{
  g_autofree char *value = token_attribute (reader, name);
  guint64 number = 0;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT, &number, NULL))
    return 0;

  return (guint) number;
}

static char *
element_text (xmlTextReaderPtr reader)
{
  xmlChar *value = xmlTextReaderReadString (reader);
  char *copy = g_strdup (value ? (const char *) value : "");

  xmlFree (value);
  return copy;
}

static gboolean
is_base64 (const char *text)
{
  gsize n = 0;
  gsize padding = 0;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        continue;
      if (*p == '=')
        padding++;
      else if (padding > 0 || !(g_ascii_isalnum (*p) || *p == '+' || *p == '/'))
        return FALSE;
      n++;
    }

  return n % 4 == 0 && padding <= 2;
}

/* The text of an element written by write_exact_text(); NULL (and the
 * error noted) when its base64 does not hold UTF-8 text. */
static char *
exact_text (xmlTextReaderPtr  reader,
            ReadState        *state,
            int               line)
{
  g_autofree char *encoding = token_attribute (reader, "encoding");
  g_autofree char *text = element_text (reader);
  g_autofree guchar *decoded = NULL;
  gsize length = 0;

  if (g_strcmp0 (encoding, "base64") != 0)
    return g_steal_pointer (&text);

  if (!is_base64 (text))
    {
      reader_error (state, line, _("the text is marked as base64 but is not"));
      return NULL;
    }
  decoded = g_base64_decode (text, &length);
  if (memchr (decoded, '\0', length) != NULL ||
      !g_utf8_validate ((const char *) decoded, length, NULL))
    {
      reader_error (state, line, _("the base64 text does not hold UTF-8 text"));
      return NULL;
    }

  return g_strndup ((const char *) decoded, length);
}

/* Optional texts: an empty element is no text. */
static char *
optional_text (char *text)
{
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);

  return text;
}

static void
replace (char **field,
         char  *value)
{
  g_free (*field);
  *field = value;
}

/* The line where the element the reader stands on starts: see
 * node_line(). The reader may have let go of the text before the element
 * already; then the line where that text ended, as the reader saw it. */
static int
element_line (xmlTextReaderPtr  reader,
              ReadState        *state)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (reader);

  if (node != NULL && node->line >= 65535 && state->text_line > 0)
    return MAX (65535, state->text_line);

  return node ? node_line (node) : 0;
}

static void
handle_version_child (xmlTextReaderPtr  reader,
                      ReadState        *state,
                      const char       *name,
                      int               line)
{
  VersionRecord *version = state->version;

  if (g_str_equal (name, "vote"))
    {
      VoteRecord *vote = g_new0 (VoteRecord, 1);

      vote->line = line;
      vote->person = attribute (reader, "person");
      vote->round = number_attribute (reader, "round");
      vote->choice = token_attribute (reader, "choice");
      vote->time = attribute (reader, "time");
      g_ptr_array_add (version->votes, vote);
      state->vote = vote;
    }
  else if (g_str_equal (name, "acknowledgement"))
    {
      AckRecord *ack = g_new0 (AckRecord, 1);

      ack->line = line;
      ack->person = attribute (reader, "person");
      ack->time = attribute (reader, "time");
      ack->source = token_attribute (reader, "source");
      g_ptr_array_add (version->acks, ack);
    }
  else if (g_str_equal (name, "comment") && state->vote != NULL)
    replace (&state->vote->comment, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "author"))
    {
      replace (&version->author, attribute (reader, "ref"));
      version->author_line = line;
    }
  else if (g_str_equal (name, "summary"))
    replace (&version->summary, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "ack-target"))
    replace (&version->ack_target, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "body"))
    replace (&version->body, exact_text (reader, state, line));
}

static void
handle_policy_element (xmlTextReaderPtr  reader,
                       ReadState        *state,
                       const char       *name,
                       int               line)
{
  PolicyRecord *policy = state->policy;

  if (g_str_equal (name, "version"))
    {
      VersionRecord *version = version_record_new ();

      version->line = line;
      version->uuid = attribute (reader, "uuid");
      version->number = number_attribute (reader, "number");
      version->major = number_attribute (reader, "major");
      version->minor = number_attribute (reader, "minor");
      version->status = token_attribute (reader, "status");
      version->round = number_attribute (reader, "round");
      version->ack_scope = token_attribute (reader, "ack-scope");
      version->effective = attribute (reader, "effective");
      version->submitted = attribute (reader, "submitted");
      version->approved = attribute (reader, "approved");
      version->published = attribute (reader, "published");
      version->created = attribute (reader, "created");
      version->modified = attribute (reader, "modified");
      g_ptr_array_add (policy->versions, version);
      state->version = version;
      state->vote = NULL;
    }
  else if (state->version != NULL)
    handle_version_child (reader, state, name, line);
  else if (g_str_equal (name, "title"))
    {
      replace (&policy->title, exact_text (reader, state, line));
      policy->title_line = line;
    }
  else if (g_str_equal (name, "owner"))
    {
      replace (&policy->owner, attribute (reader, "ref"));
      policy->owner_line = line;
    }
}

static void
start_policy (xmlTextReaderPtr  reader,
              ReadState        *state,
              int               line)
{
  PolicyRecord *policy = policy_record_new ();

  policy->line = line;
  policy->uuid = attribute (reader, "uuid");
  policy->key = attribute (reader, "key");
  policy->kind = token_attribute (reader, "kind");
  policy->area = token_attribute (reader, "area");
  policy->review_months = number_attribute (reader, "review-months");
  policy->next_review = attribute (reader, "next-review");
  policy->retired = attribute (reader, "retired");
  policy->created = attribute (reader, "created");
  policy->modified = attribute (reader, "modified");
  policy->trashed = attribute (reader, "trashed");
  g_ptr_array_add (state->policies, policy);
  state->policy = policy;
  state->version = NULL;
  state->vote = NULL;
}

static void
handle_element (xmlTextReaderPtr  reader,
                ReadState        *state)
{
  const char *name = (const char *) xmlTextReaderConstLocalName (reader);
  int line = element_line (reader, state);

  if (g_str_equal (name, "setting"))
    {
      g_autofree char *key = attribute (reader, "key");
      char *value = element_text (reader);

      if (key != NULL)
        g_hash_table_replace (state->settings, g_steal_pointer (&key), value);
      else
        g_free (value);
    }
  else if (g_str_equal (name, "person"))
    {
      g_autofree char *uuid = attribute (reader, "uuid");
      g_autofree char *committee = attribute (reader, "committee");
      g_autofree char *active = attribute (reader, "active");
      g_autofree char *created = attribute (reader, "created");
      g_autofree char *modified = attribute (reader, "modified");
      g_autofree char *trashed = attribute (reader, "trashed");

      g_clear_object (&state->current);
      state->current = kdx_person_new ();
      state->current_line = line;
      kdx_person_set_uuid (state->current, uuid);
      kdx_person_set_committee (state->current, g_strcmp0 (committee, "true") == 0 ||
                                                g_strcmp0 (committee, "1") == 0);
      kdx_person_set_active (state->current, g_strcmp0 (active, "false") != 0 &&
                                             g_strcmp0 (active, "0") != 0);
      kdx_person_set_times (state->current, created, modified, trashed);
    }
  else if (g_str_equal (name, "policy"))
    start_policy (reader, state, line);
  else if (state->policy != NULL)
    handle_policy_element (reader, state, name, line);
  else if (state->current != NULL)
    {
      if (g_str_equal (name, "manager"))
        {
          g_autofree char *ref = attribute (reader, "ref");

          kdx_person_set_manager (state->current, ref);
        }
      else
        {
          g_autofree char *text = element_text (reader);

          if (g_str_equal (name, "name"))
            kdx_person_set_name (state->current, text);
          else if (g_str_equal (name, "email"))
            kdx_person_set_email (state->current, text);
          else if (g_str_equal (name, "department"))
            kdx_person_set_department (state->current, text);
          else if (g_str_equal (name, "role"))
            kdx_person_set_role (state->current, text);
        }
    }
}

static void
handle_end_element (xmlTextReaderPtr  reader,
                    ReadState        *state)
{
  const char *name = (const char *) xmlTextReaderConstLocalName (reader);

  if (g_str_equal (name, "person") && state->current != NULL)
    {
      KdxPerson *person = g_steal_pointer (&state->current);
      const char *uuid = kdx_person_get_uuid (person);

      g_ptr_array_add (state->people, person);
      g_hash_table_insert (state->person_lines, person, GINT_TO_POINTER (state->current_line));
      if (uuid == NULL)
        return;
      if (g_hash_table_contains (state->by_uuid, uuid))
        reader_error (state, state->current_line,
                      _("two people in the file have the same identifier"));
      else
        g_hash_table_insert (state->by_uuid, (gpointer) uuid, person);
    }
  else if (g_str_equal (name, "policy"))
    {
      state->policy = NULL;
      state->version = NULL;
      state->vote = NULL;
    }
  else if (g_str_equal (name, "version"))
    {
      state->version = NULL;
      state->vote = NULL;
    }
  else if (g_str_equal (name, "vote"))
    state->vote = NULL;
}

static xmlRelaxNGPtr
load_schema (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  xmlRelaxNGParserCtxtPtr ctxt;
  xmlRelaxNGPtr schema;

  /* Looked up in the core's own resource: a static library's resource
   * constructor is not linked in unless something refers to it. */
  bytes = g_resource_lookup_data (kdx_core_get_resource (), SCHEMA_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  ctxt = xmlRelaxNGNewMemParserCtxt (g_bytes_get_data (bytes, NULL),
                                     (int) g_bytes_get_size (bytes));
  schema = xmlRelaxNGParse (ctxt);
  xmlRelaxNGFreeParserCtxt (ctxt);

  if (schema == NULL)
    g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                         "The exchange schema is broken");

  return schema;
}

/* Parses and validates the whole document into memory; nothing is
 * written until it has all been read. */
static gboolean
read_document (xmlTextReaderPtr   reader,
               ReadState         *state,
               KdxJob            *job,
               gsize              total_size,
               GCancellable      *cancellable,
               GError           **error)
{
  g_autoptr(GError) schema_error = NULL;
  xmlRelaxNGPtr schema;
  gboolean saw_root = FALSE;
  int rc;

  xmlTextReaderSetStructuredErrorHandler (reader, structured_error_cb, state);

  schema = load_schema (&schema_error);
  if (schema == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&schema_error));
      return FALSE;
    }
  if (xmlTextReaderRelaxNGSetSchema (reader, schema) != 0)
    {
      xmlRelaxNGFree (schema);
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                           "The exchange schema cannot be used");
      return FALSE;
    }

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);

      if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
          type == XML_READER_TYPE_ENTITY_REFERENCE ||
          type == XML_READER_TYPE_ENTITY)
        {
          set_read_error (error, state, KDX_EXCHANGE_ERROR_FORBIDDEN,
                          xmlTextReaderGetParserLineNumber (reader),
                          _("the file contains a document type declaration or an entity, "
                            "which Kodex never reads; it was not imported"));
          xmlRelaxNGFree (schema);
          return FALSE;
        }

      if (type == XML_READER_TYPE_ELEMENT && !saw_root)
        {
          const xmlChar *ns = xmlTextReaderConstNamespaceUri (reader);

          saw_root = TRUE;
          if (ns == NULL || strcmp ((const char *) ns, KDX_EXCHANGE_NAMESPACE) != 0)
            {
              set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID,
                              (int) xmlGetLineNo (xmlTextReaderCurrentNode (reader)),
                              _("this is not a Kodex exchange file"));
              xmlRelaxNGFree (schema);
              return FALSE;
            }
        }

      if (state->first_error != NULL)
        break;

      if (type == XML_READER_TYPE_ELEMENT)
        {
          handle_element (reader, state);
          if (xmlTextReaderIsEmptyElement (reader))
            handle_end_element (reader, state);
          state->text_line = 0;
          state->n_elements++;
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        {
          handle_end_element (reader, state);
          state->text_line = 0;
        }
      else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_WHITESPACE ||
               type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
        state->text_line = (int) xmlGetLineNo (xmlTextReaderCurrentNode (reader));

      if ((state->n_elements & 1023) == 1023)
        {
          if (job != NULL && total_size > 0)
            kdx_job_set_progress (job,
                                  0.5 * xmlTextReaderByteConsumed (reader) / (double) total_size,
                                  _("Reading"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              xmlRelaxNGFree (schema);
              return FALSE;
            }
        }
    }

  if (state->saw_doctype)
    {
      set_read_error (error, state, KDX_EXCHANGE_ERROR_FORBIDDEN, state->first_error_line,
                      _("the file contains a document type declaration or an entity, "
                        "which Kodex never reads; it was not imported"));
      xmlRelaxNGFree (schema);
      return FALSE;
    }
  if (state->first_error != NULL || rc < 0)
    {
      gboolean invalid = state->first_error_domain == XML_FROM_RELAXNGV ||
                         state->first_error_domain == OWN_ERROR;

      set_read_error (error, state,
                      invalid ? KDX_EXCHANGE_ERROR_INVALID : KDX_EXCHANGE_ERROR_MALFORMED,
                      state->first_error ? state->first_error_line
                                         : xmlTextReaderGetParserLineNumber (reader),
                      state->first_error ? state->first_error->str
                                         : _("the file is not well-formed XML"));
      xmlRelaxNGFree (schema);
      return FALSE;
    }

  rc = xmlTextReaderIsValid (reader);
  xmlRelaxNGFree (schema);
  if (rc != 1 || !saw_root)
    {
      set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, 0,
                      _("the file does not follow the Kodex exchange schema"));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Checking what the schema cannot say                                */

static int
person_line (ReadState *state,
             KdxPerson *person)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (state->person_lines, person));
}

/* Managers are inserted before the people who report to them. The chain
 * of managers is walked with a loop, not recursion: a hostile file can
 * chain 100,000 people, which would overflow the stack. */
static gboolean
order_person (ReadState   *state,
              KdxPerson   *person,
              GHashTable  *visiting,
              GHashTable  *done,
              GPtrArray   *ordered,
              GError     **error)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  KdxPerson *p = person;

  /* Up the chain, to the top or to someone already ordered. */
  while (!g_hash_table_contains (done, kdx_person_get_uuid (p)))
    {
      const char *manager = kdx_person_get_manager (p);

      if (g_hash_table_contains (visiting, kdx_person_get_uuid (p)))
        {
          g_autofree char *what = g_strdup_printf (_("the managers of “%s” form a circle"),
                                                   kdx_person_get_name (p));
          set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, person_line (state, p), what);
          return FALSE;
        }
      g_hash_table_add (visiting, (gpointer) kdx_person_get_uuid (p));
      g_ptr_array_add (chain, p);

      if (manager == NULL)
        break;
      p = g_hash_table_lookup (state->by_uuid, manager);
      if (p == NULL)
        {
          KdxPerson *last = g_ptr_array_index (chain, chain->len - 1);
          g_autofree char *what = g_strdup_printf (_("the manager of “%s” is not in the file"),
                                                   kdx_person_get_name (last));
          set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, person_line (state, last),
                          what);
          return FALSE;
        }
    }

  /* Down again: each manager before their reports. */
  for (guint i = chain->len; i > 0; i--)
    {
      KdxPerson *q = g_ptr_array_index (chain, i - 1);

      g_hash_table_remove (visiting, kdx_person_get_uuid (q));
      g_hash_table_add (done, (gpointer) kdx_person_get_uuid (q));
      g_ptr_array_add (ordered, q);
    }

  return TRUE;
}

/* A reference to a person: NULL, or someone in the file (in the trash or
 * not: history keeps its people). */
static gboolean
check_person (ReadState   *state,
              const char  *uuid,
              int          line,
              GError     **error)
{
  g_autofree char *what = NULL;

  if (uuid == NULL || g_hash_table_contains (state->by_uuid, uuid))
    return TRUE;

  what = g_strdup_printf (_("there is no person %s among the people in the file"), uuid);
  set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, line, what);

  return FALSE;
}

/* A person of the file by name, for messages. */
static const char *
person_name (ReadState  *state,
             const char *uuid)
{
  KdxPerson *person = g_hash_table_lookup (state->by_uuid, uuid);

  return person != NULL && kdx_person_get_name (person) != NULL ? kdx_person_get_name (person)
                                                                 : uuid;
}

/* Adds @key to @seen; FALSE when it was there already. */
static gboolean
first_time (GHashTable *seen,
            char       *key)
{
  if (g_hash_table_contains (seen, key))
    {
      g_free (key);
      return FALSE;
    }
  g_hash_table_add (seen, key);

  return TRUE;
}

static gboolean
check_votes_and_acks (ReadState      *state,
                      PolicyRecord   *policy,
                      VersionRecord  *version,
                      GError        **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  KdxVersionStatus status = kdx_version_status_from_string (version->status);

  for (guint i = 0; i < version->votes->len; i++)
    {
      VoteRecord *vote = g_ptr_array_index (version->votes, i);
      g_autofree char *what = NULL;

      if (!check_person (state, vote->person, vote->line, error))
        return FALSE;
      if (vote->round > version->round)
        what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "a vote in round %u, but version %u.%u of %s was "
                                             "submitted for review only %u time",
                                             "a vote in round %u, but version %u.%u of %s was "
                                             "submitted for review only %u times",
                                             version->round),
                                vote->round, version->major, version->minor, policy->key,
                                version->round);
      else if (!first_time (seen, g_strdup_printf ("vote %u %s", vote->round, vote->person)))
        what = g_strdup_printf (_("%s voted twice in round %u on version %u.%u of %s"),
                                person_name (state, vote->person), vote->round, version->major,
                                version->minor, policy->key);
      if (what != NULL)
        {
          set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, vote->line, what);
          return FALSE;
        }
    }

  for (guint i = 0; i < version->acks->len; i++)
    {
      AckRecord *ack = g_ptr_array_index (version->acks, i);
      g_autofree char *what = NULL;

      if (!check_person (state, ack->person, ack->line, error))
        return FALSE;
      /* Only a published version is acknowledged; it keeps its
       * acknowledgements when it is superseded or retired. */
      if (status != KDX_VERSION_PUBLISHED && status != KDX_VERSION_SUPERSEDED &&
          status != KDX_VERSION_RETIRED)
        what = g_strdup_printf (_("version %u.%u of %s is “%s” and was never published, so "
                                  "nobody can have acknowledged it"), version->major,
                                version->minor, policy->key,
                                kdx_version_status_get_label (MAX (status, 0)));
      else if (!first_time (seen, g_strdup_printf ("ack %s", ack->person)))
        what = g_strdup_printf (_("%s acknowledged version %u.%u of %s twice"),
                                person_name (state, ack->person), version->major,
                                version->minor, policy->key);
      if (what != NULL)
        {
          set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, ack->line, what);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_version (ReadState      *state,
               PolicyRecord   *policy,
               VersionRecord  *version,
               GHashTable     *seen,
               guint          *n_published,
               guint          *n_open,
               GError        **error)
{
  KdxVersionStatus status = kdx_version_status_from_string (version->status);
  KdxAckScope scope = kdx_ack_scope_from_string (version->ack_scope);
  gboolean needs_target = scope == KDX_ACK_DEPARTMENT || scope == KDX_ACK_ROLE;
  g_autofree char *what = NULL;

  if (!check_person (state, version->author, version->author_line, error))
    return FALSE;

  /* The schema asks for a <body>; this holds even if it did not. */
  if (version->body == NULL)
    what = g_strdup_printf (_("version %u.%u of %s has no text"), version->major,
                            version->minor, policy->key);
  else if (!first_time (seen, g_strdup_printf ("uuid %s", version->uuid)))
    what = g_strdup_printf (_("a second version with the identifier %s"), version->uuid);
  else if (!first_time (seen, g_strdup_printf ("number %s %u", policy->uuid, version->number)))
    what = g_strdup_printf (_("%s has a second version number %u"), policy->key, version->number);
  else if (!first_time (seen, g_strdup_printf ("label %s %u.%u", policy->uuid, version->major,
                                               version->minor)))
    what = g_strdup_printf (_("%s has a second version %u.%u"), policy->key, version->major,
                            version->minor);
  else if (status == KDX_VERSION_PUBLISHED && ++*n_published > 1)
    what = g_strdup_printf (_("%s has a second published version; only one version of a "
                              "policy is in force"), policy->key);
  else if ((status == KDX_VERSION_DRAFT || status == KDX_VERSION_REVIEW ||
            status == KDX_VERSION_APPROVED) && ++*n_open > 1)
    what = g_strdup_printf (_("%s has a second version that is still a draft, in review or "
                              "approved"), policy->key);
  else if (needs_target && version->ack_target == NULL)
    what = g_strdup_printf (_("version %u.%u of %s asks a %s to acknowledge it but does not "
                              "name it in <ack-target>"), version->major, version->minor,
                            policy->key, version->ack_scope);
  else if (!needs_target && version->ack_target != NULL)
    what = g_strdup_printf (_("version %u.%u of %s names an <ack-target> but its ack-scope is "
                              "“%s”"), version->major, version->minor, policy->key,
                            version->ack_scope);
  if (what != NULL)
    {
      set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, version->line, what);
      return FALSE;
    }

  return check_votes_and_acks (state, policy, version, error);
}

/* The title as kdx-policy.c keeps it: trimmed, one line, 200 characters
 * at most. */
static gboolean
check_title (ReadState     *state,
             PolicyRecord  *policy,
             GError       **error)
{
  gboolean ok = policy->title != NULL;

  if (ok)
    {
      g_strstrip (policy->title);
      ok = *policy->title != '\0' && g_utf8_strlen (policy->title, -1) <= 200;
      for (const char *p = policy->title; ok && *p; p++)
        ok = (guchar) *p >= 0x20;
    }
  if (!ok)
    set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, policy->title_line,
                    _("a policy title must be a single line of at most 200 characters"));

  return ok;
}

/* Everything the schema cannot say about policies: unique keys and
 * identifiers, references to people in the file, one published and one
 * open version per policy, votes and acknowledgements that fit their
 * version. */
static gboolean
check_policies (ReadState  *state,
                GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < state->policies->len; i++)
    {
      PolicyRecord *policy = g_ptr_array_index (state->policies, i);
      g_autofree char *what = NULL;
      guint n_published = 0;
      guint n_open = 0;

      if (!first_time (seen, g_strdup_printf ("policy %s", policy->uuid)))
        what = g_strdup_printf (_("a second policy with the identifier %s"), policy->uuid);
      else if (!first_time (seen, g_strdup_printf ("key %s", policy->key)))
        what = g_strdup_printf (_("a second policy with the key %s"), policy->key);
      if (what != NULL)
        {
          set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, policy->line, what);
          return FALSE;
        }
      if (!check_title (state, policy, error) ||
          !check_person (state, policy->owner, policy->owner_line, error))
        return FALSE;

      for (guint j = 0; j < policy->versions->len; j++)
        if (!check_version (state, policy, g_ptr_array_index (policy->versions, j), seen,
                            &n_published, &n_open, error))
          return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Storing                                                            */

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

/* The row id of a person of the file, now that they are stored. */
static void
bind_person (sqlite3_stmt *stmt,
             int           index,
             ReadState    *state,
             const char   *uuid)
{
  KdxPerson *person = uuid ? g_hash_table_lookup (state->by_uuid, uuid) : NULL;

  if (person != NULL)
    sqlite3_bind_int64 (stmt, index, kdx_person_get_id (person));
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
step_once (KdxStore      *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  gboolean ok = kdx_store_step_done (store, stmt, error);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

static void
add_text_member (JsonBuilder *builder,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
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
builder_text (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* The journal's view of a version, with the members kdx-policy.c gives
 * it: the text by its digest. */
static char *
version_json (PolicyRecord  *policy,
              VersionRecord *version)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *label = g_strdup_printf ("%u.%u", version->major, version->minor);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, version->body, -1);

  json_builder_begin_object (b);
  add_text_member (b, "uuid", version->uuid);
  add_text_member (b, "policy", policy->uuid);
  add_text_member (b, "version", label);
  add_text_member (b, "status", version->status);
  add_text_member (b, "summary", version->summary);
  add_text_member (b, "author", version->author);
  add_int_member (b, "round", version->round);
  add_text_member (b, "ack_scope", version->ack_scope);
  add_text_member (b, "ack_target", version->ack_target);
  add_text_member (b, "effective", version->effective);
  add_text_member (b, "body_sha256", digest);
  add_int_member (b, "body_length", strlen (version->body));

  return builder_text (b);
}

/* Votes and acknowledgements are journaled as when they were cast, with
 * the time they were cast. */
static char *
vote_json (VersionRecord *version,
           VoteRecord    *vote)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_text_member (b, "version", version->uuid);
  add_int_member (b, "round", vote->round);
  add_text_member (b, "person", vote->person);
  add_text_member (b, "choice", vote->choice);
  add_text_member (b, "comment", vote->comment);
  add_text_member (b, "time", vote->time);

  return builder_text (b);
}

static char *
ack_json (VersionRecord *version,
          AckRecord     *ack)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_text_member (b, "version", version->uuid);
  add_text_member (b, "person", ack->person);
  add_text_member (b, "time", ack->time);
  add_text_member (b, "source", ack->source);

  return builder_text (b);
}

typedef struct
{
  sqlite3_stmt *policy;
  sqlite3_stmt *version;
  sqlite3_stmt *search;
  sqlite3_stmt *vote;
  sqlite3_stmt *ack;
} PolicyStatements;

static void
policy_statements_clear (PolicyStatements *s)
{
  g_clear_pointer (&s->policy, sqlite3_finalize);
  g_clear_pointer (&s->version, sqlite3_finalize);
  g_clear_pointer (&s->search, sqlite3_finalize);
  g_clear_pointer (&s->vote, sqlite3_finalize);
  g_clear_pointer (&s->ack, sqlite3_finalize);
}

static gboolean
policy_statements_prepare (KdxStore          *store,
                           PolicyStatements  *s,
                           GError           **error)
{
  s->policy = kdx_store_prepare (store,
                                 "INSERT INTO policy (uuid, key, title, sort_key, kind, area, "
                                 "owner_id, review_months, next_review, retired, created, "
                                 "modified, trashed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                 "?10, ?11, ?12, ?13)", error);
  s->version = s->policy ? kdx_store_prepare (store,
                                              "INSERT INTO policy_version (uuid, policy_id, "
                                              "number, major, minor, status, body, summary, "
                                              "author_id, round, ack_scope, ack_target, "
                                              "effective, submitted, approved, published, "
                                              "created, modified) VALUES (?1, ?2, ?3, ?4, ?5, "
                                              "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                                              "?16, ?17, ?18)", error) : NULL;
  s->search = s->version ? kdx_store_prepare (store,
                                              "INSERT INTO policy_search (rowid, title, body) "
                                              "VALUES (?1, ?2, ?3)", error) : NULL;
  s->vote = s->search ? kdx_store_prepare (store,
                                           "INSERT INTO policy_vote (version_id, round, "
                                           "person_id, choice, comment, time) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error) : NULL;
  s->ack = s->vote ? kdx_store_prepare (store,
                                        "INSERT INTO policy_ack (version_id, person_id, time, "
                                        "source) VALUES (?1, ?2, ?3, ?4)", error) : NULL;

  return s->ack != NULL;
}

static gboolean
insert_votes_and_acks (KdxStore          *store,
                       ReadState         *state,
                       PolicyStatements  *s,
                       PolicyRecord      *policy,
                       VersionRecord     *version,
                       GError           **error)
{
  for (guint i = 0; i < version->votes->len; i++)
    {
      VoteRecord *vote = g_ptr_array_index (version->votes, i);
      g_autofree char *json = vote_json (version, vote);

      sqlite3_bind_int64 (s->vote, 1, version->id);
      sqlite3_bind_int (s->vote, 2, vote->round);
      bind_person (s->vote, 3, state, vote->person);
      bind_text (s->vote, 4, vote->choice);
      bind_text (s->vote, 5, vote->comment);
      bind_text (s->vote, 6, vote->time);
      if (!step_once (store, s->vote, error) ||
          !kdx_journal_append (store, "policy_vote", version->uuid, "vote", vote->choice,
                               NULL, json, error))
        return FALSE;
    }

  for (guint i = 0; i < version->acks->len; i++)
    {
      AckRecord *ack = g_ptr_array_index (version->acks, i);
      g_autofree char *json = ack_json (version, ack);

      sqlite3_bind_int64 (s->ack, 1, version->id);
      bind_person (s->ack, 2, state, ack->person);
      bind_text (s->ack, 3, ack->time);
      bind_text (s->ack, 4, ack->source);
      if (!step_once (store, s->ack, error) ||
          !kdx_journal_append (store, "policy_ack", version->uuid, "acknowledge", policy->key,
                               NULL, json, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_version (KdxStore          *store,
                ReadState         *state,
                PolicyStatements  *s,
                PolicyRecord      *policy,
                VersionRecord     *version,
                GError           **error)
{
  g_autofree char *json = version_json (policy, version);
  g_autofree char *summary = g_strdup_printf ("%s %u.%u", policy->key, version->major,
                                              version->minor);

  bind_text (s->version, 1, version->uuid);
  sqlite3_bind_int64 (s->version, 2, policy->id);
  sqlite3_bind_int (s->version, 3, version->number);
  sqlite3_bind_int (s->version, 4, version->major);
  sqlite3_bind_int (s->version, 5, version->minor);
  bind_text (s->version, 6, version->status);
  bind_text (s->version, 7, version->body);
  bind_text (s->version, 8, version->summary);
  bind_person (s->version, 9, state, version->author);
  sqlite3_bind_int (s->version, 10, version->round);
  bind_text (s->version, 11, version->ack_scope);
  bind_text (s->version, 12, version->ack_target);
  bind_text (s->version, 13, version->effective);
  bind_text (s->version, 14, version->submitted);
  bind_text (s->version, 15, version->approved);
  bind_text (s->version, 16, version->published);
  bind_text (s->version, 17, version->created);
  bind_text (s->version, 18, version->modified);
  if (!step_once (store, s->version, error))
    return FALSE;
  version->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  /* The search index holds every version, as kdx-policy.c fills it. */
  sqlite3_bind_int64 (s->search, 1, version->id);
  bind_text (s->search, 2, policy->title);
  bind_text (s->search, 3, version->body);
  if (!step_once (store, s->search, error))
    return FALSE;

  if (!kdx_journal_append (store, "policy_version", version->uuid, "create", summary,
                           NULL, json, error))
    return FALSE;

  return insert_votes_and_acks (store, state, s, policy, version, error);
}

static gboolean
insert_policy (KdxStore          *store,
               ReadState         *state,
               PolicyStatements  *s,
               PolicyRecord      *policy,
               GError           **error)
{
  g_autofree char *sort_key = g_utf8_casefold (policy->title, -1);
  g_autoptr(KdxPolicy) stored = NULL;
  g_autofree char *json = NULL;

  bind_text (s->policy, 1, policy->uuid);
  bind_text (s->policy, 2, policy->key);
  bind_text (s->policy, 3, policy->title);
  bind_text (s->policy, 4, sort_key);
  bind_text (s->policy, 5, policy->kind);
  bind_text (s->policy, 6, policy->area);
  bind_person (s->policy, 7, state, policy->owner);
  sqlite3_bind_int (s->policy, 8, policy->review_months);
  bind_text (s->policy, 9, policy->next_review);
  bind_text (s->policy, 10, policy->retired);
  bind_text (s->policy, 11, policy->created);
  bind_text (s->policy, 12, policy->modified);
  bind_text (s->policy, 13, policy->trashed);
  if (!step_once (store, s->policy, error))
    return FALSE;
  policy->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  stored = kdx_policy_load (store, policy->uuid, error);
  json = stored ? kdx_policy_to_json (stored) : NULL;
  if (json == NULL ||
      !kdx_journal_append (store, "policy", policy->uuid, "create", policy->key, NULL, json,
                           error))
    return FALSE;

  for (guint i = 0; i < policy->versions->len; i++)
    if (!insert_version (store, state, s, policy, g_ptr_array_index (policy->versions, i), error))
      return FALSE;

  return TRUE;
}

static gboolean
insert_policies (KdxStore      *store,
                 ReadState     *state,
                 KdxJob        *job,
                 guint          done,
                 guint          total,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PolicyStatements s = { 0 };
  gboolean ok = policy_statements_prepare (store, &s, error);

  for (guint i = 0; ok && i < state->policies->len; i++)
    {
      PolicyRecord *policy = g_ptr_array_index (state->policies, i);

      ok = insert_policy (store, state, &s, policy, error);
      if (!ok)
        g_prefix_error (error, _("%s: %s cannot be imported: "), state->display_name, policy->key);
      done += 1 + policy->versions->len;
      if (ok && (i & 63) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, 0.5 + 0.5 * done / total, _("Importing policies"));
          ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
    }
  policy_statements_clear (&s);

  if (ok && state->policies->len > 0)
    kdx_store_mark_changed (store, "policy", 0);

  return ok;
}

static guint
count_rows (GPtrArray *policies)
{
  guint n = 0;

  for (guint i = 0; i < policies->len; i++)
    n += 1 + ((PolicyRecord *) g_ptr_array_index (policies, i))->versions->len;

  return n;
}

static gboolean
store_document (KdxStore      *store,
                ReadState     *state,
                KdxJob        *job,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GHashTable) visiting = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ordered = g_ptr_array_new ();
  g_autofree char *summary = NULL;
  guint total;

  for (guint i = 0; i < state->people->len; i++)
    if (!order_person (state, g_ptr_array_index (state->people, i), visiting, done, ordered, error))
      return FALSE;
  if (!check_policies (state, error))
    return FALSE;
  total = MAX (ordered->len + count_rows (state->policies), 1);

  if (!kdx_store_begin (store, error))
    return FALSE;

  if (kdx_store_count (store, "SELECT count(*) FROM person") != 0)
    {
      kdx_store_rollback (store);
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_NOT_EMPTY,
                           _("An exchange file is imported into a new, empty workspace; "
                             "this one already has people. Create a new workspace first."));
      return FALSE;
    }
  if (kdx_store_count (store, "SELECT count(*) FROM policy") != 0)
    {
      kdx_store_rollback (store);
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_NOT_EMPTY,
                           _("An exchange file is imported into a new, empty workspace; "
                             "this one already has policies. Create a new workspace first."));
      return FALSE;
    }

  for (guint i = 0; exchanged_settings[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (state->settings, exchanged_settings[i]);

      if (value != NULL && !kdx_store_set_setting (store, exchanged_settings[i], value, error))
        goto fail;
    }

  for (guint i = 0; i < ordered->len; i++)
    {
      KdxPerson *person = g_ptr_array_index (ordered, i);

      if (!kdx_person_insert (store, person, error))
        {
          g_prefix_error (error, _("%s: “%s” cannot be imported: "),
                          state->display_name, kdx_person_get_name (person));
          goto fail;
        }
      if ((i & 1023) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, 0.5 + 0.5 * i / total, _("Importing people"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto fail;
        }
    }

  if (!insert_policies (store, state, job, ordered->len, total, cancellable, error))
    goto fail;

  summary = g_strdup_printf ("%s (%u)", state->display_name, ordered->len);
  if (!kdx_journal_append (store, "workspace", NULL, "import", summary, NULL, NULL, error))
    goto fail;
  kdx_store_mark_changed (store, "person", 0);

  /* Statistics for the planner, now that the tables are full. */
  if (!kdx_store_exec (store, "ANALYZE", error))
    goto fail;

  return kdx_store_commit (store, error);

fail:
  kdx_store_rollback (store);
  return FALSE;
}

static gboolean
import_with_reader (KdxStore          *store,
                    xmlTextReaderPtr   reader,
                    const char        *display_name,
                    gsize              total_size,
                    KdxJob            *job,
                    GCancellable      *cancellable,
                    GError           **error)
{
  ReadState state = { 0 };
  gboolean ok;

  state.reader = reader;
  state.display_name = display_name;
  state.settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state.people = g_ptr_array_new_with_free_func (g_object_unref);
  state.by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  state.person_lines = g_hash_table_new (NULL, NULL);
  state.policies = g_ptr_array_new_with_free_func (policy_record_free);

  ok = read_document (reader, &state, job, total_size, cancellable, error);
  xmlFreeTextReader (reader);

  if (ok)
    ok = store_document (store, &state, job, cancellable, error);

  read_state_clear (&state);

  return ok;
}

/* No entity substitution, no DTD loading, no network, no XInclude, no huge
 * documents: the parser's defaults, plus NONET, and line numbers beyond
 * 65535 for the messages. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES)

gboolean
kdx_exchange_import_xml (KdxStore      *store,
                         const char    *path,
                         KdxJob        *job,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  xmlTextReaderPtr reader;
  struct stat st;
  int fd;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                   _("“%s” cannot be read: %s"), name,
                   fd >= 0 ? _("not a regular file") : g_strerror (saved));
      return FALSE;
    }

  reader = xmlReaderForFd (fd, NULL, NULL, READER_OPTIONS);
  if (reader == NULL)
    {
      close (fd);
      g_set_error (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                   _("“%s” cannot be read"), name);
      return FALSE;
    }

  {
    gboolean ok = import_with_reader (store, reader, name, (gsize) st.st_size, job,
                                      cancellable, error);
    close (fd);
    return ok;
  }
}

gboolean
kdx_exchange_import_xml_memory (KdxStore      *store,
                                const char    *data,
                                gsize          length,
                                GError       **error)
{
  xmlTextReaderPtr reader;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO, "Too large");
      return FALSE;
    }

  reader = xmlReaderForMemory (data, (int) length, NULL, NULL, READER_OPTIONS);
  if (reader == NULL)
    {
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO, "Cannot read");
      return FALSE;
    }

  return import_with_reader (store, reader, "memory", length, NULL, NULL, error);
}
