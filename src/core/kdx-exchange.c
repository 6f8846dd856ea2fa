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
 * Catalogs, AI systems and mappings are restored the same way, with their
 * identifiers, times and classification as they were: a new workspace
 * comes with the shipped catalogs, and a file that has a <catalogs>
 * section replaces them, so that the copy is the original. Courses, their
 * rules and the assignments too, with the assignments' row ids: the rules
 * are never applied by an import (the assignments of the file are what
 * they gave), and they are stored after the people, so that
 * kdx_person_insert(), which applies the rules to each new person, finds
 * none. A million assignments are streamed from SQL into the file and
 * kept in 64 bytes each while a file is read.
 */
#define G_LOG_DOMAIN "kdx-exchange"

#include "config.h"

#include "kdx-exchange.h"
#include "kdx-catalog.h"
#include "kdx-classify.h"
#include "kdx-core-resources.h"
#include "kdx-journal.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-store-private.h"
#include "kdx-system.h"
#include "kdx-training.h"
#include "kdx-usecase.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <inttypes.h>
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
  char      *template;  /* the shipped template it was made from, or NULL */
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
  g_free (policy->template);
  g_ptr_array_unref (policy->versions);
  g_free (policy);
}

/* ------------------------------------------------------------------ */
/* Catalogs, AI systems and mappings, as the exchange carries them.    */

typedef struct
{
  int    line;
  gint64 id;
  char  *uuid;
  char  *code;
  char  *label;
  char  *parent;       /* uuid of the parent requirement, or NULL */
  guint  depth;
  guint  position;
  char  *title_en;
  char  *title_de;
  char  *text_en;
  char  *text_de;
  char  *applies_from;
  char  *legal_status_en;
  char  *legal_status_de;
} RequirementRecord;

typedef struct
{
  int        line;
  gint64     id;
  char      *uuid;
  char      *key;
  char      *format;
  gboolean   shipped;
  char      *imported;
  char      *as_of;
  char      *version;
  char      *title_en;
  char      *title_de;
  char      *source;
  char      *source_url;
  char      *licence;
  char      *legal_status_en;
  char      *legal_status_de;
  GPtrArray *requirements;  /* RequirementRecord, document order */
} CatalogRecord;

/* A reference to a person in a system: an overseer, or a RACI row. */
typedef struct
{
  int   line;
  char *person;
  char *role;     /* "R" "A" "C" "I"; NULL for overseers */
} SystemPersonRecord;

typedef struct
{
  int   line;
  char *id;
  char *catalog;
  char *code;
} ObligationRecord;

typedef struct
{
  int        line;
  gint64     id;
  char      *uuid;
  char      *key;
  char      *name;
  int        name_line;
  char      *vendor;
  char      *version;
  char      *use_case;
  char      *description;
  char      *business_owner;
  int        business_owner_line;
  char      *technical_owner;
  int        technical_owner_line;
  char      *department;
  char      *lifecycle;
  char      *role;
  char      *risk;
  char      *answers;
  int        answers_line;
  char      *reasoning;
  char      *classified;
  char      *legal_basis;
  char      *consent;
  char      *dpia_status;
  char      *dpia_date;
  char      *retention;
  char      *notice_en;
  char      *notice_de;
  char      *oversight;
  char      *explainability;
  char      *created;
  char      *modified;
  char      *trashed;
  GPtrArray *categories;   /* char *, with their lines in category_lines */
  GArray    *category_lines;
  GPtrArray *obligations;  /* ObligationRecord */
  GPtrArray *overseers;    /* SystemPersonRecord */
  GPtrArray *raci;         /* SystemPersonRecord */
} SystemRecord;

/* A policy covers a requirement (@system NULL), or applies to a system. */
typedef struct
{
  int   line;
  char *policy;
  char *requirement;
  char *system;
  char *created;     /* policy ↔ requirement */
  char *status;      /* policy ↔ system */
  char *assessor;
  char *assessed;
  char *evidence;
} LinkRecord;

static void
requirement_record_free (gpointer data)
{
  RequirementRecord *r = data;

  g_free (r->uuid);
  g_free (r->code);
  g_free (r->label);
  g_free (r->parent);
  g_free (r->title_en);
  g_free (r->title_de);
  g_free (r->text_en);
  g_free (r->text_de);
  g_free (r->applies_from);
  g_free (r->legal_status_en);
  g_free (r->legal_status_de);
  g_free (r);
}

static CatalogRecord *
catalog_record_new (void)
{
  CatalogRecord *catalog = g_new0 (CatalogRecord, 1);

  catalog->requirements = g_ptr_array_new_with_free_func (requirement_record_free);

  return catalog;
}

static void
catalog_record_free (gpointer data)
{
  CatalogRecord *c = data;

  g_free (c->uuid);
  g_free (c->key);
  g_free (c->format);
  g_free (c->imported);
  g_free (c->as_of);
  g_free (c->version);
  g_free (c->title_en);
  g_free (c->title_de);
  g_free (c->source);
  g_free (c->source_url);
  g_free (c->licence);
  g_free (c->legal_status_en);
  g_free (c->legal_status_de);
  g_ptr_array_unref (c->requirements);
  g_free (c);
}

static void
system_person_record_free (gpointer data)
{
  SystemPersonRecord *p = data;

  g_free (p->person);
  g_free (p->role);
  g_free (p);
}

static void
obligation_record_free (gpointer data)
{
  ObligationRecord *o = data;

  g_free (o->id);
  g_free (o->catalog);
  g_free (o->code);
  g_free (o);
}

static SystemRecord *
system_record_new (void)
{
  SystemRecord *system = g_new0 (SystemRecord, 1);

  system->categories = g_ptr_array_new_with_free_func (g_free);
  system->category_lines = g_array_new (FALSE, FALSE, sizeof (int));
  system->obligations = g_ptr_array_new_with_free_func (obligation_record_free);
  system->overseers = g_ptr_array_new_with_free_func (system_person_record_free);
  system->raci = g_ptr_array_new_with_free_func (system_person_record_free);

  return system;
}

static void
system_record_free (gpointer data)
{
  SystemRecord *s = data;

  g_free (s->uuid);
  g_free (s->key);
  g_free (s->name);
  g_free (s->vendor);
  g_free (s->version);
  g_free (s->use_case);
  g_free (s->description);
  g_free (s->business_owner);
  g_free (s->technical_owner);
  g_free (s->department);
  g_free (s->lifecycle);
  g_free (s->role);
  g_free (s->risk);
  g_free (s->answers);
  g_free (s->reasoning);
  g_free (s->classified);
  g_free (s->legal_basis);
  g_free (s->consent);
  g_free (s->dpia_status);
  g_free (s->dpia_date);
  g_free (s->retention);
  g_free (s->notice_en);
  g_free (s->notice_de);
  g_free (s->oversight);
  g_free (s->explainability);
  g_free (s->created);
  g_free (s->modified);
  g_free (s->trashed);
  g_ptr_array_unref (s->categories);
  g_array_unref (s->category_lines);
  g_ptr_array_unref (s->obligations);
  g_ptr_array_unref (s->overseers);
  g_ptr_array_unref (s->raci);
  g_free (s);
}

static void
link_record_free (gpointer data)
{
  LinkRecord *l = data;

  g_free (l->policy);
  g_free (l->requirement);
  g_free (l->system);
  g_free (l->created);
  g_free (l->status);
  g_free (l->assessor);
  g_free (l->assessed);
  g_free (l->evidence);
  g_free (l);
}

/* ------------------------------------------------------------------ */
/* Training: courses with the policies they teach and the rules that   */
/* assign them, and the assignments, of which a workspace can hold a   */
/* million.                                                            */

typedef struct
{
  int    line;
  gint64 id;
  char  *uuid;
  guint  course;      /* index of its course among those of the file */
  char  *kind;
  char  *target;      /* department or role */
  char  *system;      /* uuid of an AI system, or NULL */
  guint  due_days;
  char  *created;
} RuleRecord;

typedef struct
{
  int        line;
  gint64     id;
  char      *uuid;
  char      *key;
  char      *title;
  int        title_line;
  char      *topic;
  char      *description;
  guint      duration_minutes;
  guint      validity_months;
  gboolean   ai_literacy;
  char      *created;
  char      *modified;
  char      *trashed;
  GPtrArray *policies;      /* uuids of the policies it teaches */
  GArray    *policy_lines;
  GPtrArray *rules;         /* RuleRecord */
} CourseRecord;

/* One assignment as the reader keeps it until it is stored: references
 * resolved to indexes as they are read and days packed as YYYYMMDD, so
 * that a million of them take 64 MB and no string of their own. */
typedef struct
{
  gint64  id;          /* the row id, kept: rounds refer to each other by it */
  gint64  previous;    /* the round it renews; 0: none */
  double  score;       /* < 0: none */
  guint32 person;      /* index into ReadState.people */
  guint32 course;      /* index into ReadState.courses */
  guint32 rule;        /* 1 + index into ReadState.rules; 0: none */
  gint32  line;
  guint32 assigned;    /* YYYYMMDD */
  guint32 due;         /* YYYYMMDD; 0: none */
  guint32 completed;
  guint32 expires;
  guint8  source;      /* KdxAssignmentSource */
  guint8  current;
} AssignmentRecord;

G_STATIC_ASSERT (sizeof (AssignmentRecord) <= 64);

static void
rule_record_free (gpointer data)
{
  RuleRecord *r = data;

  g_free (r->uuid);
  g_free (r->kind);
  g_free (r->target);
  g_free (r->system);
  g_free (r->created);
  g_free (r);
}

static CourseRecord *
course_record_new (void)
{
  CourseRecord *course = g_new0 (CourseRecord, 1);

  course->policies = g_ptr_array_new_with_free_func (g_free);
  course->policy_lines = g_array_new (FALSE, FALSE, sizeof (int));
  course->rules = g_ptr_array_new_with_free_func (rule_record_free);

  return course;
}

static void
course_record_free (gpointer data)
{
  CourseRecord *c = data;

  g_free (c->uuid);
  g_free (c->key);
  g_free (c->title);
  g_free (c->topic);
  g_free (c->description);
  g_free (c->created);
  g_free (c->modified);
  g_free (c->trashed);
  g_ptr_array_unref (c->policies);
  g_array_unref (c->policy_lines);
  g_ptr_array_unref (c->rules);
  g_free (c);
}

/* Everything an export writes, read in one snapshot; the assignments are
 * not held but streamed from SQL while the file is written, inside the
 * same read transaction. */
typedef struct
{
  KdxStore  *store;               /* borrowed */
  gboolean   own_transaction;     /* the read transaction is ours to end */
  GPtrArray *people;              /* KdxPerson */
  GPtrArray *policies;            /* PolicyRecord */
  GPtrArray *catalogs;            /* CatalogRecord */
  GPtrArray *systems;             /* SystemRecord */
  GPtrArray *requirement_links;   /* LinkRecord */
  GPtrArray *system_links;        /* LinkRecord */
  GPtrArray *courses;             /* CourseRecord */
  gint64     n_assignments;
  gboolean   has_systems;         /* the schema has catalogs, systems and mappings */
  gboolean   has_training;        /* the schema has courses, rules and assignments */
} Snapshot;

/* Ends the read transaction of the snapshot, if it is still open. */
static void
snapshot_release (Snapshot *snapshot)
{
  if (snapshot->own_transaction)
    kdx_store_exec (snapshot->store, "COMMIT", NULL);
  snapshot->own_transaction = FALSE;
}

static void
snapshot_clear (Snapshot *snapshot)
{
  snapshot_release (snapshot);
  g_clear_pointer (&snapshot->people, g_ptr_array_unref);
  g_clear_pointer (&snapshot->policies, g_ptr_array_unref);
  g_clear_pointer (&snapshot->catalogs, g_ptr_array_unref);
  g_clear_pointer (&snapshot->systems, g_ptr_array_unref);
  g_clear_pointer (&snapshot->requirement_links, g_ptr_array_unref);
  g_clear_pointer (&snapshot->system_links, g_ptr_array_unref);
  g_clear_pointer (&snapshot->courses, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Snapshot, snapshot_clear)

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

static gboolean
is_xml_blank (const char *text,
              gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
      return FALSE;

  return TRUE;
}

/* Character data in pieces of at most TEXT_PIECE bytes, cut between
 * characters. The comment is written raw: the writer's indentation would
 * otherwise add whitespace to the text. The reader (XML_PARSE_NOBLANKS)
 * drops white space that runs up to a comment in an element that has no
 * text yet: libxml2 takes it for indentation. libxml2 2.9 reads a run of
 * 4 MiB in parts, the first of which becomes text; so that this does not
 * hang on how a parser cuts its input, a first piece of white space only
 * begins with a character reference, which is always text. */
static gboolean
write_text_pieces (xmlTextWriterPtr  writer,
                   const char       *text)
{
  const char *p = text;
  gsize left = strlen (text);
  gboolean ok = TRUE;

  if (left > TEXT_PIECE && is_xml_blank (p, TEXT_PIECE))
    {
      char reference[8];

      g_snprintf (reference, sizeof reference, "&#%d;", *p);
      ok &= xmlTextWriterWriteRaw (writer, BAD_CAST reference) >= 0;
      p++;
      left--;
    }

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
  ok &= write_text_element (writer, "employee-id", kdx_person_get_employee_id (person));
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
  ok &= write_attribute (writer, "template", policy->template);
  ok &= write_exact_text (writer, "title", policy->title);
  ok &= write_reference (writer, "owner", policy->owner);
  for (guint i = 0; ok && i < policy->versions->len; i++)
    ok &= write_version (writer, g_ptr_array_index (policy->versions, i));
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_requirement (xmlTextWriterPtr   writer,
                   RequirementRecord *r)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "requirement") >= 0;
  ok &= write_attribute (writer, "uuid", r->uuid);
  ok &= write_attribute (writer, "code", r->code);
  ok &= write_number_attribute (writer, "depth", r->depth);
  ok &= write_number_attribute (writer, "position", r->position);
  ok &= write_attribute (writer, "parent", r->parent);
  ok &= write_attribute (writer, "applies-from", r->applies_from);
  ok &= write_exact_text (writer, "label", r->label);
  ok &= write_exact_text (writer, "title-en", r->title_en);
  ok &= write_exact_text (writer, "title-de", r->title_de);
  ok &= write_exact_text (writer, "text-en", r->text_en);
  ok &= write_exact_text (writer, "text-de", r->text_de);
  ok &= write_exact_text (writer, "legal-status-en", r->legal_status_en);
  ok &= write_exact_text (writer, "legal-status-de", r->legal_status_de);
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_catalog (xmlTextWriterPtr  writer,
               CatalogRecord    *c)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "catalog") >= 0;
  ok &= write_attribute (writer, "uuid", c->uuid);
  ok &= write_attribute (writer, "key", c->key);
  ok &= write_attribute (writer, "format", c->format);
  ok &= write_attribute (writer, "shipped", c->shipped ? "true" : "false");
  ok &= write_attribute (writer, "imported", c->imported);
  ok &= write_attribute (writer, "as-of", c->as_of);
  ok &= write_attribute (writer, "source-url", c->source_url);
  ok &= write_exact_text (writer, "version", c->version);
  ok &= write_exact_text (writer, "title-en", c->title_en);
  ok &= write_exact_text (writer, "title-de", c->title_de);
  ok &= write_exact_text (writer, "source", c->source);
  ok &= write_exact_text (writer, "licence", c->licence);
  ok &= write_exact_text (writer, "legal-status-en", c->legal_status_en);
  ok &= write_exact_text (writer, "legal-status-de", c->legal_status_de);
  for (guint i = 0; ok && i < c->requirements->len; i++)
    ok &= write_requirement (writer, g_ptr_array_index (c->requirements, i));
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_system (xmlTextWriterPtr  writer,
              SystemRecord     *s)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "system") >= 0;
  ok &= write_attribute (writer, "uuid", s->uuid);
  ok &= write_attribute (writer, "key", s->key);
  ok &= write_attribute (writer, "lifecycle", s->lifecycle);
  ok &= write_attribute (writer, "use-case", s->use_case);
  ok &= write_attribute (writer, "risk", s->risk);
  ok &= write_attribute (writer, "role", s->role);
  ok &= write_attribute (writer, "classified", s->classified);
  ok &= write_attribute (writer, "legal-basis", s->legal_basis);
  ok &= write_attribute (writer, "consent", s->consent);
  ok &= write_attribute (writer, "dpia-status", s->dpia_status);
  ok &= write_attribute (writer, "dpia-date", s->dpia_date);
  ok &= write_attribute (writer, "oversight", s->oversight);
  ok &= write_attribute (writer, "created", s->created);
  ok &= write_attribute (writer, "modified", s->modified);
  ok &= write_attribute (writer, "trashed", s->trashed);
  ok &= write_exact_text (writer, "name", s->name);
  ok &= write_exact_text (writer, "vendor", s->vendor);
  ok &= write_exact_text (writer, "version", s->version);
  ok &= write_exact_text (writer, "description", s->description);
  ok &= write_reference (writer, "business-owner", s->business_owner);
  ok &= write_reference (writer, "technical-owner", s->technical_owner);
  ok &= write_exact_text (writer, "department", s->department);
  ok &= write_exact_text (writer, "answers", s->answers);
  ok &= write_exact_text (writer, "reasoning", s->reasoning);
  ok &= write_exact_text (writer, "retention", s->retention);
  ok &= write_exact_text (writer, "notice-en", s->notice_en);
  ok &= write_exact_text (writer, "notice-de", s->notice_de);
  ok &= write_exact_text (writer, "explainability", s->explainability);

  for (guint i = 0; ok && i < s->categories->len; i++)
    {
      ok &= xmlTextWriterStartElement (writer, BAD_CAST "data") >= 0;
      ok &= write_attribute (writer, "category", g_ptr_array_index (s->categories, i));
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }
  for (guint i = 0; ok && i < s->obligations->len; i++)
    {
      ObligationRecord *o = g_ptr_array_index (s->obligations, i);

      ok &= xmlTextWriterStartElement (writer, BAD_CAST "obligation") >= 0;
      ok &= write_attribute (writer, "id", o->id);
      ok &= write_attribute (writer, "catalog", o->catalog);
      ok &= write_attribute (writer, "code", o->code);
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }
  for (guint i = 0; ok && i < s->overseers->len; i++)
    {
      SystemPersonRecord *p = g_ptr_array_index (s->overseers, i);

      ok &= write_reference (writer, "overseer", p->person);
    }
  for (guint i = 0; ok && i < s->raci->len; i++)
    {
      SystemPersonRecord *p = g_ptr_array_index (s->raci, i);

      ok &= xmlTextWriterStartElement (writer, BAD_CAST "raci") >= 0;
      ok &= write_attribute (writer, "person", p->person);
      ok &= write_attribute (writer, "role", p->role);
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_requirement_link (xmlTextWriterPtr  writer,
                        LinkRecord       *l)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "policy-requirement") >= 0;
  ok &= write_attribute (writer, "policy", l->policy);
  ok &= write_attribute (writer, "requirement", l->requirement);
  ok &= write_attribute (writer, "created", l->created);
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_system_link (xmlTextWriterPtr  writer,
                   LinkRecord       *l)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "policy-system") >= 0;
  ok &= write_attribute (writer, "policy", l->policy);
  ok &= write_attribute (writer, "system", l->system);
  ok &= write_attribute (writer, "status", l->status);
  ok &= write_attribute (writer, "assessor", l->assessor);
  ok &= write_attribute (writer, "assessed", l->assessed);
  ok &= write_exact_text (writer, "evidence", l->evidence);
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_rule (xmlTextWriterPtr  writer,
            RuleRecord       *r)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "rule") >= 0;
  ok &= write_attribute (writer, "uuid", r->uuid);
  ok &= write_attribute (writer, "kind", r->kind);
  ok &= write_attribute (writer, "system", r->system);
  ok &= write_number_attribute (writer, "due-days", r->due_days);
  ok &= write_attribute (writer, "created", r->created);
  ok &= write_exact_text (writer, "target", r->target);
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean
write_course (xmlTextWriterPtr  writer,
              CourseRecord     *c)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "course") >= 0;
  ok &= write_attribute (writer, "uuid", c->uuid);
  ok &= write_attribute (writer, "key", c->key);
  ok &= write_number_attribute (writer, "duration-minutes", c->duration_minutes);
  ok &= write_number_attribute (writer, "validity-months", c->validity_months);
  ok &= write_attribute (writer, "ai-literacy", c->ai_literacy ? "true" : "false");
  ok &= write_attribute (writer, "created", c->created);
  ok &= write_attribute (writer, "modified", c->modified);
  ok &= write_attribute (writer, "trashed", c->trashed);
  ok &= write_exact_text (writer, "title", c->title);
  ok &= write_exact_text (writer, "topic", c->topic);
  ok &= write_exact_text (writer, "description", c->description);
  for (guint i = 0; ok && i < c->policies->len; i++)
    {
      ok &= xmlTextWriterStartElement (writer, BAD_CAST "teaches") >= 0;
      ok &= write_attribute (writer, "policy", g_ptr_array_index (c->policies, i));
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }
  for (guint i = 0; ok && i < c->rules->len; i++)
    ok &= write_rule (writer, g_ptr_array_index (c->rules, i));
  ok &= xmlTextWriterEndElement (writer) >= 0;

  return ok;
}

static gboolean next_row (KdxStore      *store,
                          sqlite3_stmt  *stmt,
                          GError       **error);

/* A score as the shortest text that reads back as the same double, in
 * any locale. */
static void
format_score (double  score,
              char   *buffer,
              gsize   size)
{
  g_ascii_formatd (buffer, size, "%.15g", score);
  if (g_ascii_strtod (buffer, NULL) != score)
    g_ascii_formatd (buffer, size, "%.17g", score);
}

/* The row ids of people, courses and rules, to their uuids. */
static GHashTable *
uuids_by_id (GPtrArray *people,
             GPtrArray *courses,
             gboolean   rules)
{
  GHashTable *map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; people != NULL && i < people->len; i++)
    {
      KdxPerson *person = g_ptr_array_index (people, i);
      gint64 *id = g_new (gint64, 1);

      *id = kdx_person_get_id (person);
      g_hash_table_insert (map, id, (gpointer) kdx_person_get_uuid (person));
    }
  for (guint i = 0; courses != NULL && i < courses->len; i++)
    {
      CourseRecord *c = g_ptr_array_index (courses, i);

      if (!rules)
        g_hash_table_insert (map, g_memdup2 (&c->id, sizeof c->id), c->uuid);
      for (guint j = 0; rules && j < c->rules->len; j++)
        {
          RuleRecord *r = g_ptr_array_index (c->rules, j);

          g_hash_table_insert (map, g_memdup2 (&r->id, sizeof r->id), r->uuid);
        }
    }

  return map;
}

/* The assignments, streamed from SQL into the writer in the order of their
 * row ids (a scan of the table, no sorting): a million of them are never
 * held in memory. FALSE with @error set when SQL fails or the export is
 * cancelled; *@written turns FALSE when the writer fails. */
static gboolean
write_assignments (xmlTextWriterPtr   writer,
                   Snapshot          *snapshot,
                   KdxJob            *job,
                   guint              done,
                   guint              total,
                   GCancellable      *cancellable,
                   gboolean          *written,
                   GError           **error)
{
  g_autoptr(GHashTable) people = uuids_by_id (snapshot->people, NULL, FALSE);
  g_autoptr(GHashTable) courses = uuids_by_id (NULL, snapshot->courses, FALSE);
  g_autoptr(GHashTable) rules = uuids_by_id (NULL, snapshot->courses, TRUE);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *step_error = NULL;
  gboolean ok = TRUE;
  guint n = 0;

  stmt = kdx_store_prepare (snapshot->store,
                            "SELECT id, person_id, course_id, rule_id, previous_id, source, "
                            "assigned, due, completed, score, expires, current "
                            "FROM assignment ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "assignments") >= 0;
  while (ok && next_row (snapshot->store, stmt, &step_error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 person_id = sqlite3_column_int64 (stmt, 1);
      gint64 course_id = sqlite3_column_int64 (stmt, 2);
      gint64 rule_id = sqlite3_column_int64 (stmt, 3);
      const char *person = g_hash_table_lookup (people, &person_id);
      const char *course = g_hash_table_lookup (courses, &course_id);
      char number[32];

      if (person == NULL || course == NULL)
        {
          /* The foreign keys make this impossible; never write a file
           * that would not import. */
          g_set_error (&step_error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                       _("The assignment %" PRId64 " refers to a person or course "
                         "that is not in the workspace"), id);
          break;
        }

      ok &= xmlTextWriterStartElement (writer, BAD_CAST "assignment") >= 0;
      g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
      ok &= write_attribute (writer, "id", number);
      ok &= write_attribute (writer, "person", person);
      ok &= write_attribute (writer, "course", course);
      if (rule_id > 0)
        ok &= write_attribute (writer, "rule", g_hash_table_lookup (rules, &rule_id));
      if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
        {
          g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT,
                      (gint64) sqlite3_column_int64 (stmt, 4));
          ok &= write_attribute (writer, "previous", number);
        }
      ok &= write_attribute (writer, "source", (const char *) sqlite3_column_text (stmt, 5));
      ok &= write_attribute (writer, "assigned", (const char *) sqlite3_column_text (stmt, 6));
      ok &= write_attribute (writer, "due", (const char *) sqlite3_column_text (stmt, 7));
      ok &= write_attribute (writer, "completed", (const char *) sqlite3_column_text (stmt, 8));
      if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
        {
          format_score (sqlite3_column_double (stmt, 9), number, sizeof number);
          ok &= write_attribute (writer, "score", number);
        }
      ok &= write_attribute (writer, "expires", (const char *) sqlite3_column_text (stmt, 10));
      ok &= write_attribute (writer, "current", sqlite3_column_int (stmt, 11) ? "true" : "false");
      ok &= xmlTextWriterEndElement (writer) >= 0;

      if ((++n & 16383) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, (double) (done + n) / total, _("Writing assignments"));
          if (g_cancellable_set_error_if_cancelled (cancellable, &step_error))
            break;
        }
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;
  *written &= ok;

  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return FALSE;
    }

  return TRUE;
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
 * queries, whatever the number of policies. A workspace of schema 5 (read
 * as it is) has no templates. */
static GPtrArray *
load_policies (KdxStore  *store,
               int        schema,
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

#define POLICY_SQL(template)                                                          \
  "SELECT p.id, p.uuid, p.key, p.title, p.kind, p.area, o.uuid, p.review_months, "     \
  "p.next_review, p.retired, p.created, p.modified, p.trashed, " template " "          \
  "FROM policy p LEFT JOIN person o ON o.id = p.owner_id ORDER BY p.key"
  policy_stmt = kdx_store_prepare (store, schema >= 6 ? POLICY_SQL ("p.template")
                                                      : POLICY_SQL ("NULL"), error);
#undef POLICY_SQL
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
      policy->template = kdx_store_column_text (policy_stmt, 13);
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

/* Every catalog with its requirements, by key and in document order. */
static GPtrArray *
load_catalogs (KdxStore  *store,
               GError   **error)
{
  g_autoptr(GPtrArray) catalogs = g_ptr_array_new_with_free_func (catalog_record_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) req_stmt = NULL;
  GError *step_error = NULL;

  stmt = kdx_store_prepare (store,
                            "SELECT id, uuid, key, format, shipped, imported, as_of, version, "
                            "title_en, title_de, source, source_url, licence, legal_status_en, "
                            "legal_status_de FROM catalog ORDER BY key", error);
  if (stmt == NULL)
    return NULL;
  while (next_row (store, stmt, &step_error))
    {
      CatalogRecord *c = catalog_record_new ();

      c->id = sqlite3_column_int64 (stmt, 0);
      c->uuid = kdx_store_column_text (stmt, 1);
      c->key = kdx_store_column_text (stmt, 2);
      c->format = kdx_store_column_text (stmt, 3);
      c->shipped = sqlite3_column_int (stmt, 4) != 0;
      c->imported = kdx_store_column_text (stmt, 5);
      c->as_of = kdx_store_column_text (stmt, 6);
      c->version = kdx_store_column_text (stmt, 7);
      c->title_en = kdx_store_column_text (stmt, 8);
      c->title_de = kdx_store_column_text (stmt, 9);
      c->source = kdx_store_column_text (stmt, 10);
      c->source_url = kdx_store_column_text (stmt, 11);
      c->licence = kdx_store_column_text (stmt, 12);
      c->legal_status_en = kdx_store_column_text (stmt, 13);
      c->legal_status_de = kdx_store_column_text (stmt, 14);
      g_ptr_array_add (catalogs, c);
      g_hash_table_insert (by_id, &c->id, c);
    }
  if (step_error != NULL)
    goto fail;

  req_stmt = kdx_store_prepare (store,
                                "SELECT r.catalog_id, r.uuid, r.code, r.label, p.uuid, r.depth, "
                                "r.position, r.title_en, r.title_de, r.text_en, r.text_de, "
                                "r.applies_from, r.legal_status_en, r.legal_status_de "
                                "FROM requirement r LEFT JOIN requirement p ON p.id = r.parent_id "
                                "ORDER BY r.catalog_id, r.position, r.code", error);
  if (req_stmt == NULL)
    return NULL;
  while (next_row (store, req_stmt, &step_error))
    {
      gint64 catalog_id = sqlite3_column_int64 (req_stmt, 0);
      CatalogRecord *c = g_hash_table_lookup (by_id, &catalog_id);
      RequirementRecord *r;

      if (c == NULL)
        continue;
      r = g_new0 (RequirementRecord, 1);
      r->uuid = kdx_store_column_text (req_stmt, 1);
      r->code = kdx_store_column_text (req_stmt, 2);
      r->label = kdx_store_column_text (req_stmt, 3);
      r->parent = kdx_store_column_text (req_stmt, 4);
      r->depth = sqlite3_column_int (req_stmt, 5);
      r->position = sqlite3_column_int (req_stmt, 6);
      r->title_en = kdx_store_column_text (req_stmt, 7);
      r->title_de = kdx_store_column_text (req_stmt, 8);
      r->text_en = kdx_store_column_text (req_stmt, 9);
      r->text_de = kdx_store_column_text (req_stmt, 10);
      r->applies_from = kdx_store_column_text (req_stmt, 11);
      r->legal_status_en = kdx_store_column_text (req_stmt, 12);
      r->legal_status_de = kdx_store_column_text (req_stmt, 13);
      g_ptr_array_add (c->requirements, r);
    }
  if (step_error != NULL)
    goto fail;

  return g_steal_pointer (&catalogs);

fail:
  g_propagate_error (error, step_error);
  return NULL;
}

/* Every AI system, in the trash or not, with its data categories,
 * obligations, overseers and RACI: five queries. */
static GPtrArray *
load_systems (KdxStore  *store,
              GError   **error)
{
  static const char *child_sql[] = {
    "SELECT system_id, category, NULL, NULL FROM system_data ORDER BY system_id, category",
    "SELECT system_id, obligation, catalog, code FROM system_obligation "
    "ORDER BY system_id, obligation",
    "SELECT o.system_id, p.uuid, NULL, NULL FROM system_overseer o "
    "JOIN person p ON p.id = o.person_id ORDER BY o.system_id, p.uuid",
    "SELECT r.system_id, p.uuid, r.role, NULL FROM system_raci r "
    "JOIN person p ON p.id = r.person_id ORDER BY r.system_id, p.uuid",
  };
  g_autoptr(GPtrArray) systems = g_ptr_array_new_with_free_func (system_record_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *step_error = NULL;

  stmt = kdx_store_prepare (store,
                            "SELECT s.id, s.uuid, s.key, s.name, s.vendor, s.version, s.use_case, "
                            "s.description, b.uuid, t.uuid, s.department, s.lifecycle, s.role, "
                            "s.risk, s.answers, s.reasoning, s.classified, s.legal_basis, "
                            "s.consent, s.dpia_status, s.dpia_date, s.retention, s.notice_en, "
                            "s.notice_de, s.oversight, s.explainability, s.created, s.modified, "
                            "s.trashed FROM ai_system s "
                            "LEFT JOIN person b ON b.id = s.business_owner_id "
                            "LEFT JOIN person t ON t.id = s.technical_owner_id ORDER BY s.key",
                            error);
  if (stmt == NULL)
    return NULL;
  while (next_row (store, stmt, &step_error))
    {
      SystemRecord *r = system_record_new ();

      r->id = sqlite3_column_int64 (stmt, 0);
      r->uuid = kdx_store_column_text (stmt, 1);
      r->key = kdx_store_column_text (stmt, 2);
      r->name = kdx_store_column_text (stmt, 3);
      r->vendor = kdx_store_column_text (stmt, 4);
      r->version = kdx_store_column_text (stmt, 5);
      r->use_case = kdx_store_column_text (stmt, 6);
      r->description = kdx_store_column_text (stmt, 7);
      r->business_owner = kdx_store_column_text (stmt, 8);
      r->technical_owner = kdx_store_column_text (stmt, 9);
      r->department = kdx_store_column_text (stmt, 10);
      r->lifecycle = kdx_store_column_text (stmt, 11);
      r->role = kdx_store_column_text (stmt, 12);
      r->risk = kdx_store_column_text (stmt, 13);
      r->answers = kdx_store_column_text (stmt, 14);
      r->reasoning = kdx_store_column_text (stmt, 15);
      r->classified = kdx_store_column_text (stmt, 16);
      r->legal_basis = kdx_store_column_text (stmt, 17);
      r->consent = kdx_store_column_text (stmt, 18);
      r->dpia_status = kdx_store_column_text (stmt, 19);
      r->dpia_date = kdx_store_column_text (stmt, 20);
      r->retention = kdx_store_column_text (stmt, 21);
      r->notice_en = kdx_store_column_text (stmt, 22);
      r->notice_de = kdx_store_column_text (stmt, 23);
      r->oversight = kdx_store_column_text (stmt, 24);
      r->explainability = kdx_store_column_text (stmt, 25);
      r->created = kdx_store_column_text (stmt, 26);
      r->modified = kdx_store_column_text (stmt, 27);
      r->trashed = kdx_store_column_text (stmt, 28);
      g_ptr_array_add (systems, r);
      g_hash_table_insert (by_id, &r->id, r);
    }
  if (step_error != NULL)
    goto fail;

  for (guint q = 0; q < G_N_ELEMENTS (child_sql); q++)
    {
      g_autoptr(sqlite3_stmt) child = kdx_store_prepare (store, child_sql[q], error);

      if (child == NULL)
        return NULL;
      while (next_row (store, child, &step_error))
        {
          gint64 system_id = sqlite3_column_int64 (child, 0);
          SystemRecord *r = g_hash_table_lookup (by_id, &system_id);

          if (r == NULL)
            continue;
          if (q == 0)
            {
              int line = 0;

              g_ptr_array_add (r->categories, kdx_store_column_text (child, 1));
              g_array_append_val (r->category_lines, line);
            }
          else if (q == 1)
            {
              ObligationRecord *o = g_new0 (ObligationRecord, 1);

              o->id = kdx_store_column_text (child, 1);
              o->catalog = kdx_store_column_text (child, 2);
              o->code = kdx_store_column_text (child, 3);
              g_ptr_array_add (r->obligations, o);
            }
          else
            {
              SystemPersonRecord *p = g_new0 (SystemPersonRecord, 1);

              p->person = kdx_store_column_text (child, 1);
              p->role = kdx_store_column_text (child, 2);
              g_ptr_array_add (q == 2 ? r->overseers : r->raci, p);
            }
        }
      if (step_error != NULL)
        goto fail;
    }

  return g_steal_pointer (&systems);

fail:
  g_propagate_error (error, step_error);
  return NULL;
}

/* Policy ↔ requirement (@systems FALSE) or policy ↔ system links, in an
 * order that does not depend on row ids. */
static GPtrArray *
load_links (KdxStore  *store,
            gboolean   systems,
            GError   **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (link_record_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *step_error = NULL;

  if (systems)
    stmt = kdx_store_prepare (store,
                              "SELECT p.uuid, s.uuid, l.status, a.uuid, l.assessed, l.evidence "
                              "FROM policy_system l JOIN policy p ON p.id = l.policy_id "
                              "JOIN ai_system s ON s.id = l.system_id "
                              "LEFT JOIN person a ON a.id = l.assessor_id ORDER BY 2, 1", error);
  else
    stmt = kdx_store_prepare (store,
                              "SELECT p.uuid, r.uuid, l.created FROM policy_requirement l "
                              "JOIN policy p ON p.id = l.policy_id "
                              "JOIN requirement r ON r.id = l.requirement_id ORDER BY 1, 2", error);
  if (stmt == NULL)
    return NULL;
  while (next_row (store, stmt, &step_error))
    {
      LinkRecord *l = g_new0 (LinkRecord, 1);

      l->policy = kdx_store_column_text (stmt, 0);
      if (systems)
        {
          l->system = kdx_store_column_text (stmt, 1);
          l->status = kdx_store_column_text (stmt, 2);
          l->assessor = kdx_store_column_text (stmt, 3);
          l->assessed = kdx_store_column_text (stmt, 4);
          l->evidence = kdx_store_column_text (stmt, 5);
        }
      else
        {
          l->requirement = kdx_store_column_text (stmt, 1);
          l->created = kdx_store_column_text (stmt, 2);
        }
      g_ptr_array_add (links, l);
    }
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }

  return g_steal_pointer (&links);
}

/* Every course with the policies it teaches and its rules, by key; rules
 * in the order they were made. Three queries. */
static GPtrArray *
load_courses (KdxStore  *store,
              GError   **error)
{
  g_autoptr(GPtrArray) courses = g_ptr_array_new_with_free_func (course_record_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) policy_stmt = NULL;
  g_autoptr(sqlite3_stmt) rule_stmt = NULL;
  GError *step_error = NULL;

  stmt = kdx_store_prepare (store,
                            "SELECT id, uuid, key, title, topic, description, duration_minutes, "
                            "validity_months, ai_literacy, created, modified, trashed "
                            "FROM course ORDER BY key", error);
  if (stmt == NULL)
    return NULL;
  while (next_row (store, stmt, &step_error))
    {
      CourseRecord *c = course_record_new ();

      c->id = sqlite3_column_int64 (stmt, 0);
      c->uuid = kdx_store_column_text (stmt, 1);
      c->key = kdx_store_column_text (stmt, 2);
      c->title = kdx_store_column_text (stmt, 3);
      c->topic = kdx_store_column_text (stmt, 4);
      c->description = kdx_store_column_text (stmt, 5);
      c->duration_minutes = (guint) MAX (sqlite3_column_int (stmt, 6), 0);
      c->validity_months = (guint) MAX (sqlite3_column_int (stmt, 7), 0);
      c->ai_literacy = sqlite3_column_int (stmt, 8) != 0;
      c->created = kdx_store_column_text (stmt, 9);
      c->modified = kdx_store_column_text (stmt, 10);
      c->trashed = kdx_store_column_text (stmt, 11);
      g_ptr_array_add (courses, c);
      g_hash_table_insert (by_id, &c->id, c);
    }
  if (step_error != NULL)
    goto fail;

  policy_stmt = kdx_store_prepare (store,
                                   "SELECT cp.course_id, p.uuid FROM course_policy cp "
                                   "JOIN policy p ON p.id = cp.policy_id "
                                   "ORDER BY cp.course_id, p.uuid", error);
  if (policy_stmt == NULL)
    return NULL;
  while (next_row (store, policy_stmt, &step_error))
    {
      gint64 course_id = sqlite3_column_int64 (policy_stmt, 0);
      CourseRecord *c = g_hash_table_lookup (by_id, &course_id);
      int line = 0;

      if (c == NULL)
        continue;
      g_ptr_array_add (c->policies, kdx_store_column_text (policy_stmt, 1));
      g_array_append_val (c->policy_lines, line);
    }
  if (step_error != NULL)
    goto fail;

  rule_stmt = kdx_store_prepare (store,
                                 "SELECT r.course_id, r.id, r.uuid, r.kind, r.target, s.uuid, "
                                 "r.due_days, r.created FROM assignment_rule r "
                                 "LEFT JOIN ai_system s ON s.id = r.system_id "
                                 "ORDER BY r.created, r.uuid", error);
  if (rule_stmt == NULL)
    return NULL;
  while (next_row (store, rule_stmt, &step_error))
    {
      gint64 course_id = sqlite3_column_int64 (rule_stmt, 0);
      CourseRecord *c = g_hash_table_lookup (by_id, &course_id);
      RuleRecord *r;

      if (c == NULL)
        continue;
      r = g_new0 (RuleRecord, 1);
      r->id = sqlite3_column_int64 (rule_stmt, 1);
      r->uuid = kdx_store_column_text (rule_stmt, 2);
      r->kind = kdx_store_column_text (rule_stmt, 3);
      r->target = kdx_store_column_text (rule_stmt, 4);
      r->system = kdx_store_column_text (rule_stmt, 5);
      r->due_days = (guint) MAX (sqlite3_column_int (rule_stmt, 6), 0);
      r->created = kdx_store_column_text (rule_stmt, 7);
      g_ptr_array_add (c->rules, r);
    }
  if (step_error != NULL)
    goto fail;

  return g_steal_pointer (&courses);

fail:
  g_propagate_error (error, step_error);
  return NULL;
}

/* The whole workspace as one snapshot: a read transaction, so that a
 * writer committing meanwhile cannot leave the export half before and half
 * after (an acknowledgement of a version that is not yet published). The
 * rows are read into memory first, except the assignments: they are
 * streamed into the file from the same read transaction, which ends when
 * they are written (snapshot_release()); in WAL mode that holds up no
 * writer. An older workspace, opened read-only as it is, is written with
 * what its schema has: without catalogs, systems and mappings before
 * schema 6 (the file then has no such sections, and an import keeps the
 * catalogs Kodex ships), without training before schema 7. */
static gboolean
load_workspace (KdxStore  *store,
                Snapshot  *snapshot,
                GError   **error)
{
  gboolean own = !kdx_store_in_transaction (store);
  int schema;
  gboolean ok;

  if (own && !kdx_store_exec (store, "BEGIN DEFERRED", error))
    return FALSE;
  snapshot->store = store;
  snapshot->own_transaction = own;

  schema = (int) kdx_store_count (store, "PRAGMA user_version");
  snapshot->has_systems = schema >= 6;
  snapshot->has_training = schema >= 7;
  ok = (snapshot->people = kdx_person_list_all (store, TRUE, error)) != NULL;
  if (ok && schema >= 5)
    ok = (snapshot->policies = load_policies (store, schema, error)) != NULL;
  else if (ok)
    snapshot->policies = g_ptr_array_new_with_free_func (policy_record_free);
  if (ok && snapshot->has_systems)
    ok = (snapshot->catalogs = load_catalogs (store, error)) != NULL &&
         (snapshot->systems = load_systems (store, error)) != NULL &&
         (snapshot->requirement_links = load_links (store, FALSE, error)) != NULL &&
         (snapshot->system_links = load_links (store, TRUE, error)) != NULL;
  else if (ok)
    {
      snapshot->catalogs = g_ptr_array_new_with_free_func (catalog_record_free);
      snapshot->systems = g_ptr_array_new_with_free_func (system_record_free);
      snapshot->requirement_links = g_ptr_array_new_with_free_func (link_record_free);
      snapshot->system_links = g_ptr_array_new_with_free_func (link_record_free);
    }
  if (ok && snapshot->has_training)
    {
      ok = (snapshot->courses = load_courses (store, error)) != NULL;
      snapshot->n_assignments = kdx_store_count (store, "SELECT count(*) FROM assignment");
    }
  else if (ok)
    snapshot->courses = g_ptr_array_new_with_free_func (course_record_free);

  if (!ok)
    snapshot_clear (snapshot);

  return ok;
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
  g_auto(Snapshot) snapshot = { 0 };
  GPtrArray *people;
  GPtrArray *policies;
  xmlTextWriterPtr writer = NULL;
  gboolean ok = TRUE;
  guint total;
  int fd;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!load_workspace (store, &snapshot, error))
    return FALSE;
  people = snapshot.people;
  policies = snapshot.policies;
  total = MAX (people->len + policies->len + snapshot.catalogs->len + snapshot.systems->len +
               snapshot.courses->len + (guint) MIN (snapshot.n_assignments, G_MAXUINT / 2), 1);

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

  /* Catalogs before the systems and mappings that refer to them. */
  if (!snapshot.has_systems)
    goto end_document;
  ok &= xmlTextWriterStartElement (writer, BAD_CAST "catalogs") >= 0;
  for (guint i = 0; ok && i < snapshot.catalogs->len; i++)
    ok &= write_catalog (writer, g_ptr_array_index (snapshot.catalogs, i));
  ok &= xmlTextWriterEndElement (writer) >= 0;
  if (job != NULL)
    kdx_job_set_progress (job, (double) (people->len + policies->len) / total,
                          _("Writing AI systems"));

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "systems") >= 0;
  for (guint i = 0; ok && i < snapshot.systems->len; i++)
    {
      ok &= write_system (writer, g_ptr_array_index (snapshot.systems, i));
      if ((i & 255) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "mappings") >= 0;
  for (guint i = 0; ok && i < snapshot.requirement_links->len; i++)
    ok &= write_requirement_link (writer, g_ptr_array_index (snapshot.requirement_links, i));
  for (guint i = 0; ok && i < snapshot.system_links->len; i++)
    ok &= write_system_link (writer, g_ptr_array_index (snapshot.system_links, i));
  ok &= xmlTextWriterEndElement (writer) >= 0;

  /* Courses, then the assignments that refer to them and to their rules. */
  if (!snapshot.has_training)
    goto end_document;
  ok &= xmlTextWriterStartElement (writer, BAD_CAST "courses") >= 0;
  for (guint i = 0; ok && i < snapshot.courses->len; i++)
    ok &= write_course (writer, g_ptr_array_index (snapshot.courses, i));
  ok &= xmlTextWriterEndElement (writer) >= 0;
  if (ok && !write_assignments (writer, &snapshot, job,
                                total - (guint) MIN (snapshot.n_assignments, G_MAXUINT / 2),
                                total, cancellable, &ok, &tmp_error))
    {
      xmlFreeTextWriter (writer);
      g_unlink (tmp);
      if (g_error_matches (tmp_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&tmp_error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&tmp_error),
                                    _("“%s” cannot be written: "), name);
      return FALSE;
    }

end_document:
  snapshot_release (&snapshot);
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

/* The line of an element. libxml2 keeps 16 bits of it: an element on line
 * 70,000 says 65535, and XML_PARSE_BIG_LINES helps text nodes only (with
 * XML_PARSE_NOBLANKS there is no text between elements to ask). So the
 * bytes reach libxml2 through a scanner that notes, for each start tag in
 * the order of the document, the line where it ends, which is the line
 * libxml2 gives an element. The reader meets the elements in the same
 * order and takes the lines one by one. The scanner knows encodings that
 * write '<' and '\n' as ASCII does (what Kodex writes, and Latin-1 and
 * the like); for any other, or should it ever disagree with libxml2 below
 * line 65535, it stops, and libxml2's own lines are used. */

typedef enum
{
  SCAN_START,
  SCAN_TEXT,
  SCAN_OPEN,      /* after '<' */
  SCAN_TAG,       /* in a start tag */
  SCAN_QUOTED,    /* in an attribute value of a start tag */
  SCAN_END_TAG,
  SCAN_BANG,      /* after "<!" */
  SCAN_COMMENT,
  SCAN_CDATA,
  SCAN_PI,
  SCAN_OFF,
} ScanState;

typedef struct
{
  int          fd;         /* what is read: a file, or when -1 … */
  const char  *data;       /* … bytes in memory */
  gsize        length;
  gsize        offset;
  ScanState    state;
  guchar       quote;
  guint        run;        /* of '-', ']' or '?' just before */
  guint        line;
  GArray      *tag_lines;  /* guint, from next on: of start tags the reader has not met */
  guint        next;
} Scanner;

static void
scanner_init (Scanner    *s,
              int         fd,
              const char *data,
              gsize       length)
{
  *s = (Scanner) { .fd = fd, .data = data, .length = length, .state = SCAN_START, .line = 1 };
  s->tag_lines = g_array_sized_new (FALSE, FALSE, sizeof (guint), 1024);
}

static void
scanner_clear (Scanner *s)
{
  g_clear_pointer (&s->tag_lines, g_array_unref);
}

static void
scanner_stop (Scanner *s)
{
  s->state = SCAN_OFF;
  g_array_set_size (s->tag_lines, 0);
  s->next = 0;
}

static void
scanner_add_tag (Scanner *s)
{
  if (s->next > 4096 && s->next >= s->tag_lines->len / 2)
    {
      g_array_remove_range (s->tag_lines, 0, s->next);
      s->next = 0;
    }
  g_array_append_val (s->tag_lines, s->line);
}

static void
scanner_scan (Scanner      *s,
              const guchar *p,
              gsize         n)
{
  const guchar *end = p + n;

  for (; p < end && s->state != SCAN_OFF; p++)
    {
      guchar c = *p;

      if (c == '\n')
        s->line++;
      else if (c == '\0')
        {
          /* UTF-16 or UCS-4, or no XML at all */
          scanner_stop (s);
          break;
        }

      switch (s->state)
        {
        case SCAN_START:
          /* A UTF-8 byte order mark, then '<' or white space */
          if (c == '<')
            s->state = SCAN_OPEN;
          else if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            s->state = SCAN_TEXT;
          else if (!((c == 0xef && s->run == 0) || (c == 0xbb && s->run == 1) ||
                     (c == 0xbf && s->run == 2)))
            scanner_stop (s);
          s->run++;
          break;
        case SCAN_TEXT:
          while (c != '<' && p + 1 < end)
            {
              c = *++p;
              if (c == '\n')
                s->line++;
              else if (c == '\0')
                {
                  scanner_stop (s);
                  return;
                }
            }
          if (c == '<')
            s->state = SCAN_OPEN;
          break;
        case SCAN_OPEN:
          if (c == '/')
            s->state = SCAN_END_TAG;
          else if (c == '!')
            s->state = SCAN_BANG;
          else if (c == '?')
            s->state = SCAN_PI;
          else
            s->state = SCAN_TAG;
          s->run = 0;
          break;
        case SCAN_TAG:
          if (c == '"' || c == '\'')
            {
              s->quote = c;
              s->state = SCAN_QUOTED;
            }
          else if (c == '>')
            {
              scanner_add_tag (s);
              s->state = SCAN_TEXT;
            }
          break;
        case SCAN_QUOTED:
          if (c == s->quote)
            s->state = SCAN_TAG;
          break;
        case SCAN_END_TAG:
          if (c == '>')
            s->state = SCAN_TEXT;
          break;
        case SCAN_BANG:
          if (c == '-' && ++s->run == 2)
            {
              s->state = SCAN_COMMENT;
              s->run = 0;
            }
          else if (c == '[' && s->run == 0)
            s->state = SCAN_CDATA;
          else if (c != '-')
            /* a document type declaration: refused anyway */
            scanner_stop (s);
          break;
        case SCAN_COMMENT:
          if (c == '>' && s->run >= 2)
            s->state = SCAN_TEXT;
          s->run = c == '-' ? s->run + 1 : 0;
          break;
        case SCAN_CDATA:
          if (c == '>' && s->run >= 2)
            s->state = SCAN_TEXT;
          s->run = c == ']' ? s->run + 1 : 0;
          break;
        case SCAN_PI:
          if (c == '>' && s->run == 1)
            s->state = SCAN_TEXT;
          s->run = c == '?';
          break;
        case SCAN_OFF:
          break;
        }
    }
}

/* The xmlInputReadCallback through which libxml2 reads. */
static int
scanner_read (void *context,
              char *buffer,
              int   size)
{
  Scanner *s = context;
  gssize n;

  if (size <= 0)
    return 0;
  if (s->fd >= 0)
    {
      do
        n = read (s->fd, buffer, size);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        return -1;
    }
  else
    {
      n = MIN ((gsize) size, s->length - s->offset);
      memcpy (buffer, s->data + s->offset, n);
      s->offset += n;
    }
  scanner_scan (s, (const guchar *) buffer, n);

  return (int) n;
}

/* The line of the start tag @ahead tags after the next one the reader
 * has not met; 0 when the scanner does not know. */
static guint
scanner_peek (Scanner *s,
              guint    ahead)
{
  if (s->state == SCAN_OFF || s->next + ahead >= s->tag_lines->len)
    return 0;

  return g_array_index (s->tag_lines, guint, s->next + ahead);
}

/* first_error_domain of an error that the reader found itself. */
#define OWN_ERROR (-1)

typedef enum
{
  SECTION_OTHER,
  SECTION_CATALOGS,
  SECTION_SYSTEMS,
  SECTION_MAPPINGS,
  SECTION_COURSES,
  SECTION_ASSIGNMENTS,
} Section;

typedef struct
{
  xmlNodePtr node;
  int        line;
} OpenElement;

typedef struct
{
  xmlTextReaderPtr reader;
  const char    *display_name;
  GString       *first_error;
  int            first_error_line;
  int            first_error_domain;
  gboolean       saw_doctype;
  guint          n_elements;
  Scanner       *scanner;
  GArray        *open_elements; /* OpenElement, by depth: those the reader is in */
  int            element_line;  /* of the element the reader stands on */
  GHashTable    *settings;      /* key → value */
  GPtrArray     *people;        /* KdxPerson */
  GHashTable    *by_uuid;       /* uuid → KdxPerson (borrowed) */
  GHashTable    *person_index;  /* uuid → 1 + index into people */
  GHashTable    *person_lines;  /* KdxPerson → line */
  KdxPerson     *current;
  int            current_line;
  GPtrArray     *policies;      /* PolicyRecord */
  PolicyRecord  *policy;        /* borrowed: the one being read */
  VersionRecord *version;
  VoteRecord    *vote;
  Section        section;       /* of the sections after the policies */
  gboolean       saw_catalogs;  /* the file has a <catalogs> section */
  GPtrArray     *catalogs;      /* CatalogRecord */
  CatalogRecord *catalog;       /* borrowed: the one being read */
  RequirementRecord *requirement;
  GPtrArray     *systems;       /* SystemRecord */
  SystemRecord  *system;
  GPtrArray     *requirement_links;  /* LinkRecord */
  GPtrArray     *system_links;       /* LinkRecord */
  LinkRecord    *link;
  GPtrArray     *courses;       /* CourseRecord */
  CourseRecord  *course;        /* borrowed: the one being read */
  RuleRecord    *rule;
  GHashTable    *course_index;  /* uuid → 1 + index into courses */
  GPtrArray     *rules;         /* RuleRecord, borrowed from their courses, in file order */
  GHashTable    *rule_index;    /* uuid → 1 + index into rules */
  GArray        *assignments;   /* AssignmentRecord, by ascending id */
  /* Filled by the checks: uuid → record of the file (borrowed). */
  GHashTable    *policy_by_uuid;
  GHashTable    *requirement_by_uuid;
  GHashTable    *system_by_uuid;
  /* When the file has no catalogs: the workspace's requirements, uuid →
   * row id (gint64 *). */
  GHashTable    *workspace_requirements;
} ReadState;

static void
read_state_clear (ReadState *state)
{
  if (state->first_error)
    g_string_free (state->first_error, TRUE);
  g_clear_pointer (&state->settings, g_hash_table_unref);
  g_clear_pointer (&state->open_elements, g_array_unref);
  g_clear_pointer (&state->by_uuid, g_hash_table_unref);
  g_clear_pointer (&state->person_index, g_hash_table_unref);
  g_clear_pointer (&state->course_index, g_hash_table_unref);
  g_clear_pointer (&state->rule_index, g_hash_table_unref);
  g_clear_pointer (&state->rules, g_ptr_array_unref);
  g_clear_pointer (&state->courses, g_ptr_array_unref);
  g_clear_pointer (&state->assignments, g_array_unref);
  g_clear_pointer (&state->person_lines, g_hash_table_unref);
  g_clear_pointer (&state->people, g_ptr_array_unref);
  g_clear_pointer (&state->policies, g_ptr_array_unref);
  g_clear_pointer (&state->catalogs, g_ptr_array_unref);
  g_clear_pointer (&state->systems, g_ptr_array_unref);
  g_clear_pointer (&state->requirement_links, g_ptr_array_unref);
  g_clear_pointer (&state->system_links, g_ptr_array_unref);
  g_clear_pointer (&state->policy_by_uuid, g_hash_table_unref);
  g_clear_pointer (&state->requirement_by_uuid, g_hash_table_unref);
  g_clear_pointer (&state->system_by_uuid, g_hash_table_unref);
  g_clear_pointer (&state->workspace_requirements, g_hash_table_unref);
  g_clear_object (&state->current);
}

/* Notes the first thing wrong with the file; reading stops there. */
static void reader_error (ReadState  *state,
                          int         line,
                          const char *format,
                          ...) G_GNUC_PRINTF (3, 4);

static void
reader_error (ReadState  *state,
              int         line,
              const char *format,
              ...)
{
  va_list args;

  if (state->first_error != NULL)
    return;

  state->first_error = g_string_new (NULL);
  va_start (args, format);
  g_string_append_vprintf (state->first_error, format, args);
  va_end (args);
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
  else if (g_str_equal (element, "system") && g_str_equal (attribute, "lifecycle"))
    for (guint i = 0; i < KDX_LIFECYCLE_N_STATES; i++)
      g_ptr_array_add (values, (gpointer) kdx_lifecycle_to_string (i));
  else if (g_str_equal (element, "system") && g_str_equal (attribute, "risk"))
    for (guint i = 0; i < KDX_RISK_N_CLASSES; i++)
      g_ptr_array_add (values, (gpointer) kdx_risk_class_to_string (i));
  else if (g_str_equal (element, "system") && g_str_equal (attribute, "role"))
    for (guint i = 0; i < KDX_ROLE_N_ROLES; i++)
      g_ptr_array_add (values, (gpointer) kdx_ai_act_role_to_string (i));
  else if (g_str_equal (element, "system") && g_str_equal (attribute, "legal-basis"))
    for (guint i = 0; i < KDX_LEGAL_BASIS_N; i++)
      g_ptr_array_add (values, (gpointer) kdx_legal_basis_to_string (i));
  else if (g_str_equal (element, "system") && g_str_equal (attribute, "consent"))
    for (guint i = 0; i < KDX_CONSENT_N; i++)
      g_ptr_array_add (values, (gpointer) kdx_consent_to_string (i));
  else if (g_str_equal (element, "system") && g_str_equal (attribute, "dpia-status"))
    for (guint i = 0; i < KDX_DPIA_N_STATES; i++)
      g_ptr_array_add (values, (gpointer) kdx_dpia_status_to_string (i));
  else if (g_str_equal (element, "system") && g_str_equal (attribute, "oversight"))
    for (guint i = 0; i < KDX_OVERSIGHT_N_MODES; i++)
      g_ptr_array_add (values, (gpointer) kdx_oversight_mode_to_string (i));
  else if (g_str_equal (element, "raci") && g_str_equal (attribute, "role"))
    for (guint i = 0; i < KDX_RACI_N_ROLES; i++)
      g_ptr_array_add (values, (gpointer) kdx_raci_role_to_string (i));
  else if (g_str_equal (element, "policy-system") && g_str_equal (attribute, "status"))
    for (guint i = 0; i < KDX_COMPLIANCE_N_STATES; i++)
      g_ptr_array_add (values, (gpointer) kdx_compliance_to_string (i));
  else if (g_str_equal (element, "rule") && g_str_equal (attribute, "kind"))
    for (guint i = 0; i < KDX_RULE_N_KINDS; i++)
      g_ptr_array_add (values, (gpointer) kdx_rule_kind_to_string (i));
  else if (g_str_equal (element, "assignment") && g_str_equal (attribute, "source"))
    for (guint i = 0; i <= KDX_ASSIGNMENT_SOURCE_RECERTIFICATION; i++)
      g_ptr_array_add (values, (gpointer) kdx_assignment_source_to_string (i));
  else if (g_str_equal (element, "catalog") && g_str_equal (attribute, "format"))
    {
      g_ptr_array_add (values, (gpointer) "kodex");
      g_ptr_array_add (values, (gpointer) "oscal");
    }
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
  static const char *enumerated[] = {
    "kind", "area", "status", "ack-scope", "choice", "source", "lifecycle", "risk", "role",
    "legal-basis", "consent", "dpia-status", "oversight", "format",
  };

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

/* libxml2's line of @node, for when the scanner does not know: right below
 * line 65535, and beyond it the line of the text in the element, if any. */
static int
libxml2_line (xmlNodePtr node)
{
  if (node->line < 65535)
    return node->line;

  return MAX (65535, (int) xmlGetLineNo (node));
}

static guint
element_depth (xmlNodePtr node)
{
  guint depth = 0;

  for (xmlNodePtr p = node->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent)
    depth++;

  return depth;
}

static gboolean
is_open (ReadState  *state,
         xmlNodePtr  node,
         guint       depth)
{
  return depth < state->open_elements->len &&
         g_array_index (state->open_elements, OpenElement, depth).node == node;
}

/* The reader has come to an element: takes its line from the scanner. */
static void
note_element (xmlTextReaderPtr  reader,
              ReadState        *state)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (reader);
  int depth = xmlTextReaderDepth (reader);
  guint line = scanner_peek (state->scanner, 0);
  OpenElement open;

  if (node == NULL || depth < 0)
    return;
  if (line != 0)
    state->scanner->next++;
  /* Below line 65535 libxml2 knows the line: the scanner must agree. */
  if (line == 0 || (node->line < 65535 ? line != node->line : line < 65535))
    {
      scanner_stop (state->scanner);
      line = libxml2_line (node);
    }

  open.node = node;
  open.line = (int) line;
  g_array_set_size (state->open_elements, depth);
  g_array_append_val (state->open_elements, open);
  state->element_line = (int) line;
}

/* The element after @n in the order of the document, inside @top. */
static xmlNodePtr
next_element (xmlNodePtr n,
              xmlNodePtr top)
{
  for (;;)
    {
      if (n->type == XML_ELEMENT_NODE && n->children != NULL)
        n = n->children;
      else
        {
          while (n != top && n->next == NULL)
            n = n->parent;
          if (n == top)
            return NULL;
          n = n->next;
        }
      if (n->type == XML_ELEMENT_NODE)
        return n;
    }
}

/* Whether @node is still whole: on the reader's path (its current node
 * and the elements around it) or inside the current node (read ahead to
 * validate it). The reader frees what it has passed, and the validator
 * may still blame it: an element left behind, whose attributes are gone
 * while the node itself waits in a free list for reuse. */
static gboolean
node_is_live (ReadState  *state,
              xmlNodePtr  node)
{
  xmlNodePtr current = xmlTextReaderCurrentNode (state->reader);

  if (current == NULL || node == NULL)
    return FALSE;
  for (xmlNodePtr n = current; n != NULL; n = n->parent)
    if (n == node)
      return TRUE;
  if (current->type != XML_ELEMENT_NODE)
    return FALSE;
  for (xmlNodePtr n = next_element (current, current); n != NULL; n = next_element (n, current))
    if (n == node)
      return TRUE;

  return FALSE;
}

/* The line of an element that libxml2 blames: the one the reader is
 * coming to, one inside that (libxml2 may read a whole element ahead to
 * validate it), or one that the reader is in. */
static int
node_line (ReadState  *state,
           xmlNodePtr  node)
{
  xmlNodePtr current = xmlTextReaderCurrentNode (state->reader);
  guint depth;

  if (node->line < 65535)
    return node->line;

  /* The tags from @current on, in the order of the document, are those
   * that the scanner holds from its next one on. */
  if (current != NULL && current->type == XML_ELEMENT_NODE &&
      !is_open (state, current, element_depth (current)))
    {
      guint ahead = 0;

      for (xmlNodePtr n = current; n != NULL; n = next_element (n, current), ahead++)
        if (n == node)
          {
            guint line = scanner_peek (state->scanner, ahead);

            if (line >= 65535)
              return (int) line;
            break;
          }
    }

  depth = element_depth (node);
  if (is_open (state, node, depth))
    return g_array_index (state->open_elements, OpenElement, depth).line;

  return libxml2_line (node);
}

/* libxml2 tells of a fault in the attributes of an element only when it
 * meets what the element holds, and blames that; its message names the
 * element at fault, so that one is looked for among the ancestors. */
static xmlNodePtr
element_at_fault (xmlErrorPtr err,
                  xmlNodePtr  node)
{
  const char *name;

  switch (err->code)
    {
    case XML_RELAXNG_ERR_INVALIDATTR:  /* Invalid attribute %s for element %s */
    case XML_RELAXNG_ERR_ELEMNAME:     /* Expecting element %s, got %s */
      name = err->str2;
      break;
    case XML_RELAXNG_ERR_ATTRVALID:    /* Element %s failed to validate attributes */
    case XML_RELAXNG_ERR_CONTENTVALID:
    case XML_RELAXNG_ERR_EXTRACONTENT:
    case XML_RELAXNG_ERR_ELEMNOTEMPTY:
    case XML_RELAXNG_ERR_TEXTWRONG:
    case XML_RELAXNG_ERR_ELEMWRONG:
      name = err->str1;
      break;
    default:
      return node;
    }

  for (xmlNodePtr n = node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    if (g_strcmp0 ((const char *) n->name, name) == 0)
      return n;

  return node;
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
  if (err->domain == XML_FROM_RELAXNGV && node_is_live (state, err->node) &&
      ((xmlNodePtr) err->node)->type == XML_ELEMENT_NODE)
    {
      xmlNodePtr node = element_at_fault (err, err->node);

      message = explain_invalid_node (&node);
      line = node_line (state, node);
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
  policy->template = token_attribute (reader, "template");
  g_ptr_array_add (state->policies, policy);
  state->policy = policy;
  state->version = NULL;
  state->vote = NULL;
}

static void
handle_requirement_child (xmlTextReaderPtr  reader,
                          ReadState        *state,
                          const char       *name,
                          int               line)
{
  RequirementRecord *r = state->requirement;

  if (g_str_equal (name, "label"))
    replace (&r->label, exact_text (reader, state, line));
  else if (g_str_equal (name, "title-en"))
    replace (&r->title_en, exact_text (reader, state, line));
  else if (g_str_equal (name, "title-de"))
    replace (&r->title_de, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "text-en"))
    replace (&r->text_en, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "text-de"))
    replace (&r->text_de, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "legal-status-en"))
    replace (&r->legal_status_en, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "legal-status-de"))
    replace (&r->legal_status_de, optional_text (exact_text (reader, state, line)));
}

static void
handle_catalog_element (xmlTextReaderPtr  reader,
                        ReadState        *state,
                        const char       *name,
                        int               line)
{
  CatalogRecord *c = state->catalog;

  if (g_str_equal (name, "catalog"))
    {
      g_autofree char *shipped = token_attribute (reader, "shipped");

      c = catalog_record_new ();
      c->line = line;
      c->uuid = attribute (reader, "uuid");
      c->key = attribute (reader, "key");
      c->format = token_attribute (reader, "format");
      c->shipped = g_strcmp0 (shipped, "true") == 0 || g_strcmp0 (shipped, "1") == 0;
      c->imported = attribute (reader, "imported");
      c->as_of = attribute (reader, "as-of");
      c->source_url = attribute (reader, "source-url");
      g_ptr_array_add (state->catalogs, c);
      state->catalog = c;
      state->requirement = NULL;
    }
  else if (c == NULL)
    return;
  else if (g_str_equal (name, "requirement"))
    {
      RequirementRecord *r = g_new0 (RequirementRecord, 1);

      r->line = line;
      r->uuid = attribute (reader, "uuid");
      r->code = attribute (reader, "code");
      r->depth = number_attribute (reader, "depth");
      r->position = number_attribute (reader, "position");
      r->parent = attribute (reader, "parent");
      r->applies_from = attribute (reader, "applies-from");
      g_ptr_array_add (c->requirements, r);
      state->requirement = r;
    }
  else if (state->requirement != NULL)
    handle_requirement_child (reader, state, name, line);
  else if (g_str_equal (name, "version"))
    replace (&c->version, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "title-en"))
    replace (&c->title_en, exact_text (reader, state, line));
  else if (g_str_equal (name, "title-de"))
    replace (&c->title_de, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "source"))
    replace (&c->source, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "licence"))
    replace (&c->licence, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "legal-status-en"))
    replace (&c->legal_status_en, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "legal-status-de"))
    replace (&c->legal_status_de, optional_text (exact_text (reader, state, line)));
}

static void
handle_system_element (xmlTextReaderPtr  reader,
                       ReadState        *state,
                       const char       *name,
                       int               line)
{
  static const struct { const char *name; gsize offset; gboolean optional; } texts[] = {
    { "name", G_STRUCT_OFFSET (SystemRecord, name), FALSE },
    { "vendor", G_STRUCT_OFFSET (SystemRecord, vendor), TRUE },
    { "version", G_STRUCT_OFFSET (SystemRecord, version), TRUE },
    { "description", G_STRUCT_OFFSET (SystemRecord, description), TRUE },
    { "department", G_STRUCT_OFFSET (SystemRecord, department), TRUE },
    { "answers", G_STRUCT_OFFSET (SystemRecord, answers), TRUE },
    { "reasoning", G_STRUCT_OFFSET (SystemRecord, reasoning), TRUE },
    { "retention", G_STRUCT_OFFSET (SystemRecord, retention), TRUE },
    { "notice-en", G_STRUCT_OFFSET (SystemRecord, notice_en), TRUE },
    { "notice-de", G_STRUCT_OFFSET (SystemRecord, notice_de), TRUE },
    { "explainability", G_STRUCT_OFFSET (SystemRecord, explainability), TRUE },
  };
  SystemRecord *s = state->system;

  if (g_str_equal (name, "system"))
    {
      s = system_record_new ();
      s->line = line;
      s->uuid = attribute (reader, "uuid");
      s->key = attribute (reader, "key");
      s->lifecycle = token_attribute (reader, "lifecycle");
      s->use_case = token_attribute (reader, "use-case");
      s->risk = token_attribute (reader, "risk");
      s->role = token_attribute (reader, "role");
      s->classified = attribute (reader, "classified");
      s->legal_basis = token_attribute (reader, "legal-basis");
      s->consent = token_attribute (reader, "consent");
      s->dpia_status = token_attribute (reader, "dpia-status");
      s->dpia_date = attribute (reader, "dpia-date");
      s->oversight = token_attribute (reader, "oversight");
      s->created = attribute (reader, "created");
      s->modified = attribute (reader, "modified");
      s->trashed = attribute (reader, "trashed");
      g_ptr_array_add (state->systems, s);
      state->system = s;
      return;
    }
  if (s == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_str_equal (name, texts[i].name))
      {
        char **field = G_STRUCT_MEMBER_P (s, texts[i].offset);
        char *text = exact_text (reader, state, line);

        replace (field, texts[i].optional ? optional_text (text) : text);
        if (g_str_equal (name, "name"))
          s->name_line = line;
        else if (g_str_equal (name, "answers"))
          s->answers_line = line;
        return;
      }

  if (g_str_equal (name, "business-owner"))
    {
      replace (&s->business_owner, attribute (reader, "ref"));
      s->business_owner_line = line;
    }
  else if (g_str_equal (name, "technical-owner"))
    {
      replace (&s->technical_owner, attribute (reader, "ref"));
      s->technical_owner_line = line;
    }
  else if (g_str_equal (name, "data"))
    {
      g_ptr_array_add (s->categories, token_attribute (reader, "category"));
      g_array_append_val (s->category_lines, line);
    }
  else if (g_str_equal (name, "obligation"))
    {
      ObligationRecord *o = g_new0 (ObligationRecord, 1);

      o->line = line;
      o->id = token_attribute (reader, "id");
      o->catalog = token_attribute (reader, "catalog");
      o->code = attribute (reader, "code");
      g_ptr_array_add (s->obligations, o);
    }
  else if (g_str_equal (name, "overseer") || g_str_equal (name, "raci"))
    {
      SystemPersonRecord *p = g_new0 (SystemPersonRecord, 1);
      gboolean raci = g_str_equal (name, "raci");

      p->line = line;
      p->person = attribute (reader, raci ? "person" : "ref");
      p->role = raci ? token_attribute (reader, "role") : NULL;
      g_ptr_array_add (raci ? s->raci : s->overseers, p);
    }
}

static void
handle_mapping_element (xmlTextReaderPtr  reader,
                        ReadState        *state,
                        const char       *name,
                        int               line)
{
  if (g_str_equal (name, "policy-requirement"))
    {
      LinkRecord *l = g_new0 (LinkRecord, 1);

      l->line = line;
      l->policy = attribute (reader, "policy");
      l->requirement = attribute (reader, "requirement");
      l->created = attribute (reader, "created");
      g_ptr_array_add (state->requirement_links, l);
    }
  else if (g_str_equal (name, "policy-system"))
    {
      LinkRecord *l = g_new0 (LinkRecord, 1);

      l->line = line;
      l->policy = attribute (reader, "policy");
      l->system = attribute (reader, "system");
      l->status = token_attribute (reader, "status");
      l->assessor = attribute (reader, "assessor");
      l->assessed = attribute (reader, "assessed");
      g_ptr_array_add (state->system_links, l);
      state->link = l;
    }
  else if (g_str_equal (name, "evidence") && state->link != NULL)
    replace (&state->link->evidence, optional_text (exact_text (reader, state, line)));
}

/* A value of the file as a message shows it: not all of a long one. */
static char *
shown (const char *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (g_utf8_strlen (value, 81) <= 80)
    return g_strdup (value);

  {
    g_autofree char *start = g_utf8_substring (value, 0, 80);

    return g_strconcat (start, "…", NULL);
  }
}

static void
handle_course_element (xmlTextReaderPtr  reader,
                       ReadState        *state,
                       const char       *name,
                       int               line)
{
  CourseRecord *c = state->course;

  if (g_str_equal (name, "course"))
    {
      g_autofree char *literacy = token_attribute (reader, "ai-literacy");

      c = course_record_new ();
      c->line = line;
      c->uuid = attribute (reader, "uuid");
      c->key = attribute (reader, "key");
      c->duration_minutes = number_attribute (reader, "duration-minutes");
      c->validity_months = number_attribute (reader, "validity-months");
      c->ai_literacy = g_strcmp0 (literacy, "true") == 0 || g_strcmp0 (literacy, "1") == 0;
      c->created = attribute (reader, "created");
      c->modified = attribute (reader, "modified");
      c->trashed = attribute (reader, "trashed");
      g_ptr_array_add (state->courses, c);
      state->course = c;
      state->rule = NULL;
      if (c->uuid == NULL)
        return;
      if (g_hash_table_contains (state->course_index, c->uuid))
        reader_error (state, line, _("a second course with the identifier %s"), c->uuid);
      else
        g_hash_table_insert (state->course_index, c->uuid,
                             GUINT_TO_POINTER (state->courses->len));
    }
  else if (c == NULL)
    return;
  else if (g_str_equal (name, "rule"))
    {
      RuleRecord *r = g_new0 (RuleRecord, 1);

      r->line = line;
      r->uuid = attribute (reader, "uuid");
      r->course = state->courses->len - 1;
      r->kind = token_attribute (reader, "kind");
      r->system = attribute (reader, "system");
      r->due_days = number_attribute (reader, "due-days");
      r->created = attribute (reader, "created");
      g_ptr_array_add (c->rules, r);
      g_ptr_array_add (state->rules, r);
      state->rule = r;
      if (r->uuid == NULL)
        return;
      if (g_hash_table_contains (state->rule_index, r->uuid))
        reader_error (state, line, _("a second assignment rule with the identifier %s"),
                      r->uuid);
      else
        g_hash_table_insert (state->rule_index, r->uuid, GUINT_TO_POINTER (state->rules->len));
    }
  else if (state->rule != NULL)
    {
      if (g_str_equal (name, "target"))
        replace (&state->rule->target, optional_text (exact_text (reader, state, line)));
    }
  else if (g_str_equal (name, "title"))
    {
      replace (&c->title, exact_text (reader, state, line));
      c->title_line = line;
    }
  else if (g_str_equal (name, "topic"))
    replace (&c->topic, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "description"))
    replace (&c->description, optional_text (exact_text (reader, state, line)));
  else if (g_str_equal (name, "teaches"))
    {
      g_ptr_array_add (c->policies, attribute (reader, "policy"));
      g_array_append_val (c->policy_lines, line);
    }
}

/* "YYYY-MM-DD" as YYYYMMDD; 0 when it is not a day of the calendar. */
static guint32
parse_day (const char *text)
{
  guint year, month, day;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return 0;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return 0;
  year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  month = (text[5] - '0') * 10 + (text[6] - '0');
  day = (text[8] - '0') * 10 + (text[9] - '0');
  if (year == 0 || month == 0 || month > 12 || day == 0 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return 0;

  return year * 10000 + month * 100 + day;
}

static void
format_day (guint32  day,
            char     buffer[11])
{
  g_snprintf (buffer, 11, "%04u-%02u-%02u", day / 10000, day / 100 % 100, day % 100);
}

/* A row id: digits only, at least 1. */
static gint64
parse_id (const char *text)
{
  guint64 id = 0;

  if (text == NULL || *text == '\0' || strlen (text) > 18)
    return 0;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return 0;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    return 0;

  return (gint64) id;
}

/* A score from 0 to 100 as a decimal number; -1 when it is not one. */
static double
parse_score (const char *text)
{
  char *end = NULL;
  double score;

  if (text == NULL || *text == '\0')
    return -1;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !strchr (".eE+-", *p))
      return -1;
  score = g_ascii_strtod (text, &end);
  if (end == NULL || *end != '\0' || !isfinite (score) || score < 0 || score > 100)
    return -1;

  return score;
}

/* The assignment of the file with row id @id, among those read so far
 * (their ids ascend). */
static AssignmentRecord *
find_assignment (GArray *assignments,
                 gint64  id)
{
  guint lo = 0;
  guint hi = assignments->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      AssignmentRecord *a = &g_array_index (assignments, AssignmentRecord, mid);

      if (a->id == id)
        return a;
      if (a->id < id)
        lo = mid + 1;
      else
        hi = mid;
    }

  return NULL;
}

/* An <assignment>: read as it streams past, with its attributes checked
 * here rather than by datatypes of the schema, which would take libxml2
 * 30 s for a million; references are resolved to the people, courses,
 * rules and earlier assignments of the file at once. */
static void
handle_assignment (xmlTextReaderPtr  reader,
                   ReadState        *state,
                   int               line)
{
  const char *values[11] = { NULL };
  static const char *names[11] = {
    "id", "person", "course", "rule", "previous", "source", "assigned", "due", "completed",
    "score", "expires",
  };
  enum { ID, PERSON, COURSE, RULE, PREVIOUS, SOURCE, ASSIGNED, DUE, COMPLETED, SCORE, EXPIRES };
  const char *current = NULL;
  AssignmentRecord a = { 0 };
  guint32 *days[] = { &a.assigned, &a.due, &a.completed, &a.expires };
  const guint day_values[] = { ASSIGNED, DUE, COMPLETED, EXPIRES };
  gpointer found;
  int source;

  /* The values stay with the reader until it moves on: no copies. */
  if (xmlTextReaderMoveToFirstAttribute (reader) == 1)
    do
      {
        const char *attr = (const char *) xmlTextReaderConstLocalName (reader);

        if (xmlTextReaderIsNamespaceDecl (reader) == 1 || attr == NULL)
          continue;
        if (g_str_equal (attr, "current"))
          current = (const char *) xmlTextReaderConstValue (reader);
        for (guint i = 0; i < G_N_ELEMENTS (names); i++)
          if (g_str_equal (attr, names[i]))
            values[i] = (const char *) xmlTextReaderConstValue (reader);
      }
    while (xmlTextReaderMoveToNextAttribute (reader) == 1);

  a.line = line;
  a.id = parse_id (values[ID]);
  if (a.id == 0)
    goto bad_id;
  if (state->assignments->len > 0 &&
      a.id <= g_array_index (state->assignments, AssignmentRecord,
                             state->assignments->len - 1).id)
    {
      reader_error (state, line, _("the assignments must come in the order of their ids; "
                                   "id=\"%s\" comes too late"), values[ID]);
      goto out;
    }

  found = values[PERSON] ? g_hash_table_lookup (state->person_index, values[PERSON]) : NULL;
  if (found == NULL)
    {
      g_autofree char *what = shown (values[PERSON]);

      reader_error (state, line, _("there is no person %s among the people in the file"),
                    what);
      goto out;
    }
  a.person = GPOINTER_TO_UINT (found) - 1;

  found = values[COURSE] ? g_hash_table_lookup (state->course_index, values[COURSE]) : NULL;
  if (found == NULL)
    {
      g_autofree char *what = shown (values[COURSE]);

      reader_error (state, line, _("there is no course %s among the courses in the file"),
                    what);
      goto out;
    }
  a.course = GPOINTER_TO_UINT (found) - 1;

  if (values[RULE] != NULL)
    {
      RuleRecord *rule;

      found = g_hash_table_lookup (state->rule_index, values[RULE]);
      if (found == NULL)
        {
          g_autofree char *what = shown (values[RULE]);

          reader_error (state, line, _("there is no assignment rule %s among the courses in "
                                       "the file"), what);
          goto out;
        }
      a.rule = GPOINTER_TO_UINT (found);
      rule = g_ptr_array_index (state->rules, a.rule - 1);
      if (rule->course != a.course)
        {
          reader_error (state, line, _("the assignment rule %s belongs to another course"),
                        values[RULE]);
          goto out;
        }
    }

  if (values[PREVIOUS] != NULL)
    {
      AssignmentRecord *previous;

      a.previous = parse_id (values[PREVIOUS]);
      previous = a.previous > 0 ? find_assignment (state->assignments, a.previous) : NULL;
      if (previous == NULL || previous->person != a.person || previous->course != a.course)
        {
          g_autofree char *what = shown (values[PREVIOUS]);

          reader_error (state, line, _("previous=\"%s\" is not an earlier round of the same "
                                       "person and course in the file"), what);
          goto out;
        }
    }

  source = kdx_assignment_source_from_string (values[SOURCE]);
  if (source < 0)
    {
      g_autofree char *what = shown (values[SOURCE]);

      reader_error (state, line, _("source=\"%s\" is not allowed; use one of: %s"), what,
                    "rule, manual, import, recertification");
      goto out;
    }
  a.source = (guint8) source;

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      const char *text = values[day_values[i]];

      if (text == NULL && i > 0)
        continue;
      *days[i] = parse_day (text);
      if (*days[i] == 0)
        {
          g_autofree char *what = shown (text);

          reader_error (state, line, _("%s=\"%s\" is not a date (YYYY-MM-DD)"),
                        names[day_values[i]], what);
          goto out;
        }
    }

  a.score = -1;
  if (values[SCORE] != NULL)
    {
      a.score = parse_score (values[SCORE]);
      if (a.score < 0)
        {
          g_autofree char *what = shown (values[SCORE]);

          reader_error (state, line, _("score=\"%s\" is not a number from 0 to 100"), what);
          goto out;
        }
    }
  /* An open round has no score; an open renewal keeps the expiry of the
   * certificate it renews. */
  if (a.completed == 0 && a.score >= 0)
    {
      reader_error (state, line, _("an assignment that is not completed has no score"));
      goto out;
    }
  a.current = g_strcmp0 (current, "true") == 0 || g_strcmp0 (current, "1") == 0;

  g_array_append_val (state->assignments, a);
  goto out;

bad_id:
  {
    g_autofree char *what = shown (values[ID]);

    reader_error (state, line, _("id=\"%s\" is not a number from 1 on"), what);
  }
out:
  xmlTextReaderMoveToElement (reader);
}

/* The end of an element of the sections after the policies; FALSE when
 * @name is none of theirs. */
static gboolean
handle_section_end (ReadState  *state,
                    const char *name)
{
  if (g_str_equal (name, "catalogs") || g_str_equal (name, "systems") ||
      g_str_equal (name, "mappings") || g_str_equal (name, "courses") ||
      g_str_equal (name, "assignments"))
    state->section = SECTION_OTHER;
  else if (state->section == SECTION_ASSIGNMENTS)
    return TRUE;
  else if (state->section == SECTION_COURSES && g_str_equal (name, "rule"))
    state->rule = NULL;
  else if (state->section == SECTION_COURSES && g_str_equal (name, "course"))
    {
      state->course = NULL;
      state->rule = NULL;
    }
  else if (state->section == SECTION_CATALOGS && g_str_equal (name, "requirement"))
    state->requirement = NULL;
  else if (state->section == SECTION_CATALOGS && g_str_equal (name, "catalog"))
    {
      state->catalog = NULL;
      state->requirement = NULL;
    }
  else if (state->section == SECTION_SYSTEMS && g_str_equal (name, "system"))
    state->system = NULL;
  else if (state->section == SECTION_MAPPINGS && g_str_equal (name, "policy-system"))
    state->link = NULL;
  else
    return state->section != SECTION_OTHER;

  return TRUE;
}

static void
handle_element (xmlTextReaderPtr  reader,
                ReadState        *state)
{
  const char *name = (const char *) xmlTextReaderConstLocalName (reader);
  int line = state->element_line;

  /* A million of these: first. */
  if (state->section == SECTION_ASSIGNMENTS)
    {
      if (g_str_equal (name, "assignment"))
        handle_assignment (reader, state, line);
      return;
    }

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
  else if (g_str_equal (name, "catalogs"))
    {
      state->section = SECTION_CATALOGS;
      state->saw_catalogs = TRUE;
    }
  else if (g_str_equal (name, "systems"))
    state->section = SECTION_SYSTEMS;
  else if (g_str_equal (name, "mappings"))
    state->section = SECTION_MAPPINGS;
  else if (g_str_equal (name, "courses"))
    state->section = SECTION_COURSES;
  else if (g_str_equal (name, "assignments"))
    state->section = SECTION_ASSIGNMENTS;
  else if (state->section == SECTION_CATALOGS)
    handle_catalog_element (reader, state, name, line);
  else if (state->section == SECTION_SYSTEMS)
    handle_system_element (reader, state, name, line);
  else if (state->section == SECTION_MAPPINGS)
    handle_mapping_element (reader, state, name, line);
  else if (state->section == SECTION_COURSES)
    handle_course_element (reader, state, name, line);
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
          else if (g_str_equal (name, "employee-id"))
            kdx_person_set_employee_id (state->current, text);
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

  if (handle_section_end (state, name))
    return;
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
        {
          g_hash_table_insert (state->by_uuid, (gpointer) uuid, person);
          g_hash_table_insert (state->person_index, (gpointer) uuid,
                               GUINT_TO_POINTER (state->people->len));
        }
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
          note_element (reader, state);
          handle_element (reader, state);
          if (xmlTextReaderIsEmptyElement (reader))
            handle_end_element (reader, state);
          state->n_elements++;
        }
      else
        {
          /* What the reader is no longer in is forgotten: libxml2 reuses
           * the memory of an element it is done with. */
          int depth = xmlTextReaderDepth (reader);
          guint keep = type == XML_READER_TYPE_END_ELEMENT ? depth + 1 : depth;

          if (depth >= 0 && keep < state->open_elements->len)
            g_array_set_size (state->open_elements, keep);
          if (type == XML_READER_TYPE_END_ELEMENT)
            handle_end_element (reader, state);
        }

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

/* Refuses the file for what is wrong at @line; returns FALSE. */
static gboolean refuse (GError    **error,
                        ReadState  *state,
                        int         line,
                        const char *format,
                        ...) G_GNUC_PRINTF (4, 5);

static gboolean
refuse (GError    **error,
        ReadState  *state,
        int         line,
        const char *format,
        ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, line, what);

  return FALSE;
}

/* A text that must have something in it. */
static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Catalogs: unique keys and identifiers, requirement codes unique in their
 * catalog, a parent that is a requirement of the same catalog one level
 * up. The schema cannot say any of that. */
static gboolean
check_catalogs (ReadState  *state,
                GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  state->requirement_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < state->catalogs->len; i++)
    {
      CatalogRecord *c = g_ptr_array_index (state->catalogs, i);
      g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) local = g_hash_table_new (g_str_hash, g_str_equal);

      if (!first_time (seen, g_strdup_printf ("uuid %s", c->uuid)))
        return refuse (error, state, c->line, _("a second catalog or requirement with the "
                                                "identifier %s"), c->uuid);
      if (!first_time (seen, g_strdup_printf ("catalog %s", c->key)))
        return refuse (error, state, c->line, _("a second catalog with the key “%s”"), c->key);
      if (is_blank (c->title_en))
        return refuse (error, state, c->line, _("the catalog “%s” has no English title"),
                       c->key);

      for (guint j = 0; j < c->requirements->len; j++)
        {
          RequirementRecord *r = g_ptr_array_index (c->requirements, j);

          if (!first_time (seen, g_strdup_printf ("uuid %s", r->uuid)))
            return refuse (error, state, r->line, _("a second catalog or requirement with the "
                                                    "identifier %s"), r->uuid);
          if (g_hash_table_contains (codes, r->code))
            return refuse (error, state, r->line, _("the catalog “%s” has a second requirement "
                                                    "“%s”"), c->key, r->code);
          if (is_blank (r->label) || is_blank (r->title_en))
            return refuse (error, state, r->line, _("the requirement “%s” of “%s” needs a label "
                                                    "and an English title"), r->code, c->key);
          g_hash_table_insert (codes, r->code, r);
          g_hash_table_insert (local, r->uuid, r);
          g_hash_table_insert (state->requirement_by_uuid, r->uuid, r);
        }

      /* Parents once all codes of the catalog are known: a file need not
       * list a parent before its children. */
      for (guint j = 0; j < c->requirements->len; j++)
        {
          RequirementRecord *r = g_ptr_array_index (c->requirements, j);
          RequirementRecord *parent = r->parent ? g_hash_table_lookup (local, r->parent) : NULL;
          guint expected = parent ? parent->depth + 1 : 0;

          if (r->parent != NULL && parent == NULL)
            return refuse (error, state, r->line, _("the parent of requirement “%s” is not a "
                                                    "requirement of the catalog “%s”"),
                           r->code, c->key);
          if (r->depth != expected || r->depth > KDX_CATALOG_MAX_DEPTH)
            return refuse (error, state, r->line, _("requirement “%s” has depth %u, but its place "
                                                    "in the catalog gives %u"),
                           r->code, r->depth, expected);
        }
    }

  return TRUE;
}

/* The RACI of a system: people of the file, each once, exactly one of
 * them Accountable (or nobody assigned yet), as kdx-system.c enforces. */
static gboolean
check_raci (ReadState     *state,
            SystemRecord  *s,
            GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_accountable = 0;

  for (guint i = 0; i < s->raci->len; i++)
    {
      SystemPersonRecord *p = g_ptr_array_index (s->raci, i);

      if (!check_person (state, p->person, p->line, error))
        return FALSE;
      if (kdx_raci_role_from_string (p->role) < 0)
        return refuse (error, state, p->line, _("role=\"%s\" is not allowed; use one of: R, A, "
                                                "C, I"), p->role ? p->role : "");
      if (!g_hash_table_add (seen, p->person))
        return refuse (error, state, p->line, _("%s appears twice in the RACI of %s"),
                       person_name (state, p->person), s->key);
      if (kdx_raci_role_from_string (p->role) == KDX_RACI_ACCOUNTABLE)
        n_accountable++;
    }
  if (s->raci->len > 0 && n_accountable != 1)
    return refuse (error, state, s->line,
                   _("the RACI of %s names %u people as Accountable; exactly one must be"),
                   s->key, n_accountable);

  return TRUE;
}

/* The stored answers of a system: questions Kodex knows, and a set that
 * does not contradict itself. */
static gboolean
check_answers (ReadState     *state,
               SystemRecord  *s,
               GError       **error)
{
  g_autoptr(GHashTable) answers = NULL;
  g_autoptr(KdxClassification) result = NULL;
  g_autoptr(GError) local = NULL;

  if (s->answers == NULL)
    return TRUE;

  answers = kdx_answers_from_json (s->answers, &local);
  if (answers != NULL)
    result = kdx_classify (answers, &local);
  if (result == NULL)
    return refuse (error, state, s->answers_line ? s->answers_line : s->line,
                   _("the classification answers of %s cannot be used: %s"), s->key,
                   local ? local->message : "?");

  return TRUE;
}

/* A single line of at most 200 characters, as kdx-system.c keeps names,
 * vendors, versions and departments. */
static gboolean
is_short_line (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (g_utf8_strlen (text, -1) > 200)
    return FALSE;
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;

  return TRUE;
}

/* AI systems: unique keys, identifiers and names, known values, people of
 * the file, the RACI rule, answers that can be read. */
static gboolean
check_systems (ReadState  *state,
               GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  state->system_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < state->systems->len; i++)
    {
      SystemRecord *s = g_ptr_array_index (state->systems, i);
      g_autoptr(GHashTable) own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *folded = NULL;

      if (!first_time (seen, g_strdup_printf ("uuid %s", s->uuid)))
        return refuse (error, state, s->line, _("a second AI system with the identifier %s"),
                       s->uuid);
      if (!first_time (seen, g_strdup_printf ("key %s", s->key)))
        return refuse (error, state, s->line, _("a second AI system with the key %s"), s->key);
      g_hash_table_insert (state->system_by_uuid, s->uuid, s);

      if (is_blank (s->name))
        return refuse (error, state, s->name_line ? s->name_line : s->line,
                       _("the AI system %s has no name"), s->key);
      if (!is_short_line (s->name) || !is_short_line (s->vendor) ||
          !is_short_line (s->version) || !is_short_line (s->department))
        return refuse (error, state, s->line, _("the name, vendor, version and department of %s "
                                                "must each be a single line of at most 200 "
                                                "characters"), s->key);
      /* Two systems in use may not share a name (case aside), as in the
       * register; in the trash they may. */
      if (s->trashed == NULL &&
          !first_time (seen, g_strdup_printf ("name %s", folded = g_utf8_casefold (s->name, -1))))
        return refuse (error, state, s->name_line ? s->name_line : s->line,
                       _("a second AI system named “%s”"), s->name);
      if (s->use_case != NULL && kdx_use_case_lookup (s->use_case) == NULL)
        return refuse (error, state, s->line, _("%s names the use case “%s”, which Kodex does "
                                                "not know"), s->key, s->use_case);
      if (!check_person (state, s->business_owner, s->business_owner_line, error) ||
          !check_person (state, s->technical_owner, s->technical_owner_line, error) ||
          !check_raci (state, s, error) ||
          !check_answers (state, s, error))
        return FALSE;

      for (guint j = 0; j < s->categories->len; j++)
        {
          const char *id = g_ptr_array_index (s->categories, j);
          int line = g_array_index (s->category_lines, int, j);

          if (kdx_data_category_lookup (id) == NULL)
            return refuse (error, state, line, _("%s names the data category “%s”, which Kodex "
                                                 "does not know"), s->key, id ? id : "");
          if (!first_time (own, g_strdup_printf ("data %s", id)))
            return refuse (error, state, line, _("%s names the data category “%s” twice"),
                           s->key, id);
        }
      for (guint j = 0; j < s->obligations->len; j++)
        {
          ObligationRecord *o = g_ptr_array_index (s->obligations, j);

          if (!first_time (own, g_strdup_printf ("obligation %s", o->id)))
            return refuse (error, state, o->line, _("%s names the obligation “%s” twice"),
                           s->key, o->id);
        }
      for (guint j = 0; j < s->overseers->len; j++)
        {
          SystemPersonRecord *p = g_ptr_array_index (s->overseers, j);

          if (!check_person (state, p->person, p->line, error))
            return FALSE;
          if (!first_time (own, g_strdup_printf ("overseer %s", p->person)))
            return refuse (error, state, p->line, _("%s is named twice as an overseer of %s"),
                           person_name (state, p->person), s->key);
        }
    }

  return TRUE;
}

/* The requirements of the workspace, when the file brings no catalogs of
 * its own (a file from before catalogs, or one written by hand). */
static GHashTable *
load_workspace_requirements (KdxStore  *store,
                             GError   **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, "SELECT uuid, id FROM requirement",
                                                    error);
  GError *step_error = NULL;

  if (stmt == NULL)
    return NULL;
  while (next_row (store, stmt, &step_error))
    {
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 1);
      g_hash_table_insert (map, kdx_store_column_text (stmt, 0), id);
    }
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }

  return g_steal_pointer (&map);
}

/* Mappings: every reference to a policy, requirement, system or person of
 * the file, each link once. */
static gboolean
check_mappings (KdxStore   *store,
                ReadState  *state,
                GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  state->policy_by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < state->policies->len; i++)
    {
      PolicyRecord *policy = g_ptr_array_index (state->policies, i);

      g_hash_table_insert (state->policy_by_uuid, policy->uuid, policy);
    }
  if (!state->saw_catalogs && state->requirement_links->len > 0)
    {
      state->workspace_requirements = load_workspace_requirements (store, error);
      if (state->workspace_requirements == NULL)
        return FALSE;
    }

  for (guint i = 0; i < state->requirement_links->len; i++)
    {
      LinkRecord *l = g_ptr_array_index (state->requirement_links, i);
      gboolean known = state->saw_catalogs
                         ? g_hash_table_contains (state->requirement_by_uuid, l->requirement)
                         : g_hash_table_contains (state->workspace_requirements, l->requirement);

      if (!g_hash_table_contains (state->policy_by_uuid, l->policy))
        return refuse (error, state, l->line, _("there is no policy %s among the policies in the "
                                                "file"), l->policy);
      if (!known)
        return refuse (error, state, l->line, _("there is no requirement %s in the catalogs of "
                                                "the file"), l->requirement);
      if (!first_time (seen, g_strdup_printf ("requirement %s %s", l->policy, l->requirement)))
        return refuse (error, state, l->line, _("the policy %s is linked twice to the "
                                                "requirement %s"), l->policy, l->requirement);
    }

  for (guint i = 0; i < state->system_links->len; i++)
    {
      LinkRecord *l = g_ptr_array_index (state->system_links, i);

      if (!g_hash_table_contains (state->policy_by_uuid, l->policy))
        return refuse (error, state, l->line, _("there is no policy %s among the policies in the "
                                                "file"), l->policy);
      if (!g_hash_table_contains (state->system_by_uuid, l->system))
        return refuse (error, state, l->line, _("there is no AI system %s among the systems in "
                                                "the file"), l->system);
      if (kdx_compliance_from_string (l->status) < 0)
        return refuse (error, state, l->line, _("status=\"%s\" is not allowed; use one of: "
                                                "compliant, partial, non-compliant, "
                                                "not-assessed, not-applicable"),
                       l->status ? l->status : "");
      if (!check_person (state, l->assessor, l->line, error))
        return FALSE;
      if (!first_time (seen, g_strdup_printf ("system %s %s", l->policy, l->system)))
        return refuse (error, state, l->line, _("the policy %s is linked twice to the AI system "
                                                "%s"), l->policy, l->system);
    }

  return TRUE;
}

/* Employee ids, as kdx-person.c keeps them: unique among the people who
 * are not in the trash. Checked here to name the line; the person API
 * would only name the person. */
static gboolean
check_employee_ids (ReadState  *state,
                    GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < state->people->len; i++)
    {
      KdxPerson *person = g_ptr_array_index (state->people, i);
      const char *id = kdx_person_get_employee_id (person);

      if (id == NULL || kdx_person_get_trashed (person) != NULL)
        continue;
      if (!g_hash_table_add (seen, (gpointer) id))
        return refuse (error, state, person_line (state, person),
                       _("a second person with the employee id “%s”"), id);
    }

  return TRUE;
}

/* Text as kdx-training.c takes it: no control characters but tab, line
 * feed and carriage return. */
static gboolean
has_controls (const char *text)
{
  for (const char *p = text; p != NULL && *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      return TRUE;

  return FALSE;
}

/* A course's rules: a known kind, a department or role for the kinds that
 * name one and only for them, an AI system of the file only for the
 * overseers, each rule once per course. */
static gboolean
check_rules (ReadState     *state,
             CourseRecord  *c,
             GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < c->rules->len; i++)
    {
      RuleRecord *r = g_ptr_array_index (c->rules, i);
      int kind = kdx_rule_kind_from_string (r->kind);
      gboolean named = kind == KDX_RULE_DEPARTMENT || kind == KDX_RULE_ROLE;

      if (kind < 0)
        return refuse (error, state, r->line, _("kind=\"%s\" is not allowed; use one of: "
                                                "everyone, department, role, committee, "
                                                "overseers"), r->kind ? r->kind : "");
      if (named && is_blank (r->target))
        return refuse (error, state, r->line, kind == KDX_RULE_DEPARTMENT
                                                ? _("a rule for a department names it in "
                                                    "<target>")
                                                : _("a rule for a role names it in <target>"));
      if (!named && r->target != NULL)
        return refuse (error, state, r->line, _("a rule of kind “%s” has no <target>"),
                       r->kind);
      if (named && (g_utf8_strlen (r->target, -1) > 200 || has_controls (r->target)))
        return refuse (error, state, r->line, _("the target of a rule must be a department or "
                                                "role of at most 200 characters"));
      if (r->system != NULL && kind != KDX_RULE_OVERSEERS)
        return refuse (error, state, r->line, _("a rule of kind “%s” names no AI system"),
                       r->kind);
      if (r->system != NULL && !g_hash_table_contains (state->system_by_uuid, r->system))
        return refuse (error, state, r->line, _("there is no AI system %s among the systems in "
                                                "the file"), r->system);
      if (r->due_days > 3650)
        return refuse (error, state, r->line, _("a rule gives at most 3650 days, not %u"),
                       r->due_days);
      if (!first_time (seen, g_strdup_printf ("%s\n%s\n%s", r->kind, r->target ? r->target : "",
                                              r->system ? r->system : "")))
        return refuse (error, state, r->line, _("the course %s has this rule twice"), c->key);
    }

  return TRUE;
}

/* Courses: unique identifiers and keys, titles as kdx-training.c keeps
 * them (unique among the courses not in the trash), the policies of the
 * file, rules that hold together. */
static gboolean
check_courses (ReadState  *state,
               GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < state->courses->len; i++)
    {
      CourseRecord *c = g_ptr_array_index (state->courses, i);
      g_autoptr(GHashTable) taught = g_hash_table_new (g_str_hash, g_str_equal);
      int title_line = c->title_line ? c->title_line : c->line;

      if (!first_time (seen, g_strdup_printf ("key %s", c->key)))
        return refuse (error, state, c->line, _("a second course with the key %s"), c->key);
      if (is_blank (c->title) || g_utf8_strlen (c->title, -1) > 200 || has_controls (c->title))
        return refuse (error, state, title_line, _("the title of %s must have text, at most 200 "
                                                   "characters and no control characters"),
                       c->key);
      if (c->trashed == NULL)
        {
          g_autofree char *folded = kdx_fold_text (c->title);

          if (!first_time (seen, g_strdup_printf ("title %s", folded)))
            return refuse (error, state, title_line, _("a second course called “%s”"), c->title);
        }
      if ((c->topic != NULL && g_utf8_strlen (c->topic, -1) > 200) || has_controls (c->topic))
        return refuse (error, state, c->line, _("the topic of %s must have at most 200 "
                                                "characters and no control characters"), c->key);
      if ((c->description != NULL && strlen (c->description) > 100000) ||
          has_controls (c->description))
        return refuse (error, state, c->line, _("the description of %s must have at most "
                                                "100,000 characters and no control characters"),
                       c->key);
      if (c->duration_minutes > 100000)
        return refuse (error, state, c->line, _("a course lasts at most 100,000 minutes, not "
                                                "%u"), c->duration_minutes);
      if (c->validity_months > 600)
        return refuse (error, state, c->line, _("a certificate is valid for at most 600 "
                                                "months, not %u"), c->validity_months);

      for (guint j = 0; j < c->policies->len; j++)
        {
          const char *policy = g_ptr_array_index (c->policies, j);
          int line = g_array_index (c->policy_lines, int, j);

          if (policy == NULL || !g_hash_table_contains (state->policy_by_uuid, policy))
            return refuse (error, state, line, _("there is no policy %s among the policies in "
                                                 "the file"), policy ? policy : "");
          if (!g_hash_table_add (taught, (gpointer) policy))
            return refuse (error, state, line, _("the course %s names the policy %s twice"),
                           c->key, policy);
        }

      if (!check_rules (state, c, error))
        return FALSE;
    }

  return TRUE;
}

static int
compare_current_rounds (gconstpointer a,
                        gconstpointer b,
                        gpointer      data)
{
  GArray *assignments = data;
  const AssignmentRecord *x = &g_array_index (assignments, AssignmentRecord, *(guint *) a);
  const AssignmentRecord *y = &g_array_index (assignments, AssignmentRecord, *(guint *) b);

  if (x->person != y->person)
    return x->person < y->person ? -1 : 1;
  if (x->course != y->course)
    return x->course < y->course ? -1 : 1;

  return x->line < y->line ? -1 : x->line > y->line;
}

/* What the reader could not see while it streamed: that a person has one
 * current round of a course at most. The current rounds, sorted by person
 * and course (4 bytes each), meet their twins. */
static gboolean
check_assignments (ReadState  *state,
                   GError    **error)
{
  g_autoptr(GArray) current = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < state->assignments->len; i++)
    if (g_array_index (state->assignments, AssignmentRecord, i).current)
      g_array_append_val (current, i);
  g_array_sort_with_data (current, compare_current_rounds, state->assignments);

  for (guint i = 1; i < current->len; i++)
    {
      AssignmentRecord *x = &g_array_index (state->assignments, AssignmentRecord,
                                            g_array_index (current, guint, i - 1));
      AssignmentRecord *y = &g_array_index (state->assignments, AssignmentRecord,
                                            g_array_index (current, guint, i));
      KdxPerson *person = g_ptr_array_index (state->people, y->person);
      CourseRecord *course = g_ptr_array_index (state->courses, y->course);

      if (x->person == y->person && x->course == y->course)
        return refuse (error, state, y->line, _("%s has a second current round of %s"),
                       kdx_person_get_name (person), course->key);
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
                                 "modified, trashed, template) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                 "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", error);
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
  bind_text (s->policy, 14, policy->template);
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

/* The journal's view of a catalog, with the members kdx-catalog.c gives
 * it. */
static char *
catalog_json (CatalogRecord *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_text_member (b, "uuid", c->uuid);
  add_text_member (b, "key", c->key);
  add_text_member (b, "title_en", c->title_en);
  add_text_member (b, "title_de", c->title_de);
  add_text_member (b, "version", c->version);
  add_text_member (b, "source", c->source);
  add_text_member (b, "source_url", c->source_url);
  add_text_member (b, "as_of", c->as_of);
  add_text_member (b, "format", c->format);
  json_builder_set_member_name (b, "shipped");
  json_builder_add_boolean_value (b, c->shipped);
  add_int_member (b, "requirements", c->requirements->len);

  return builder_text (b);
}

/* The catalogs a new workspace came with make room for those of the
 * file; each removal is journaled as kdx_catalog_remove() journals it. */
static gboolean
remove_catalogs (KdxStore  *store,
                 GError   **error)
{
  g_autoptr(GPtrArray) existing = load_catalogs (store, error);

  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    {
      CatalogRecord *c = g_ptr_array_index (existing, i);
      g_autofree char *json = catalog_json (c);

      if (!kdx_journal_append (store, "catalog", c->key, "remove", c->key, json, NULL, error))
        return FALSE;
    }

  return existing->len == 0 || kdx_store_exec (store, "DELETE FROM catalog", error);
}

static gboolean
insert_catalog (KdxStore       *store,
                sqlite3_stmt   *catalog_stmt,
                sqlite3_stmt   *requirement_stmt,
                CatalogRecord  *c,
                GHashTable     *by_uuid,
                GError        **error)
{
  g_autofree char *json = catalog_json (c);
  g_autofree char *summary = NULL;
  guint max_depth = 0;

  bind_text (catalog_stmt, 1, c->uuid);
  bind_text (catalog_stmt, 2, c->key);
  bind_text (catalog_stmt, 3, c->title_en);
  bind_text (catalog_stmt, 4, c->title_de);
  bind_text (catalog_stmt, 5, c->version);
  bind_text (catalog_stmt, 6, c->source);
  bind_text (catalog_stmt, 7, c->source_url);
  bind_text (catalog_stmt, 8, c->licence);
  bind_text (catalog_stmt, 9, c->legal_status_en);
  bind_text (catalog_stmt, 10, c->legal_status_de);
  bind_text (catalog_stmt, 11, c->as_of);
  bind_text (catalog_stmt, 12, c->format);
  sqlite3_bind_int (catalog_stmt, 13, c->shipped ? 1 : 0);
  bind_text (catalog_stmt, 14, c->imported);
  if (!step_once (store, catalog_stmt, error))
    return FALSE;
  c->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  for (guint i = 0; i < c->requirements->len; i++)
    max_depth = MAX (max_depth, ((RequirementRecord *) g_ptr_array_index (c->requirements, i))->depth);

  /* Level by level, so that a parent has its row id before its children
   * need it, whatever the order of the file. */
  for (guint depth = 0; depth <= max_depth; depth++)
    for (guint i = 0; i < c->requirements->len; i++)
      {
        RequirementRecord *r = g_ptr_array_index (c->requirements, i);
        RequirementRecord *parent = r->parent ? g_hash_table_lookup (by_uuid, r->parent) : NULL;

        if (r->depth != depth)
          continue;
        bind_text (requirement_stmt, 1, r->uuid);
        sqlite3_bind_int64 (requirement_stmt, 2, c->id);
        bind_text (requirement_stmt, 3, r->code);
        bind_text (requirement_stmt, 4, r->label);
        if (parent != NULL)
          sqlite3_bind_int64 (requirement_stmt, 5, parent->id);
        sqlite3_bind_int (requirement_stmt, 6, r->depth);
        sqlite3_bind_int (requirement_stmt, 7, r->position);
        bind_text (requirement_stmt, 8, r->title_en);
        bind_text (requirement_stmt, 9, r->title_de);
        bind_text (requirement_stmt, 10, r->text_en);
        bind_text (requirement_stmt, 11, r->text_de);
        bind_text (requirement_stmt, 12, r->applies_from);
        bind_text (requirement_stmt, 13, r->legal_status_en);
        bind_text (requirement_stmt, 14, r->legal_status_de);
        if (!step_once (store, requirement_stmt, error))
          return FALSE;
        r->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));
      }

  summary = g_strdup_printf ("%s (%u requirements)", c->key, c->requirements->len);

  return kdx_journal_append (store, "catalog", c->key, "import", summary, NULL, json, error);
}

static gboolean
insert_catalogs (KdxStore   *store,
                 ReadState  *state,
                 GError    **error)
{
  g_autoptr(sqlite3_stmt) catalog_stmt = NULL;
  g_autoptr(sqlite3_stmt) requirement_stmt = NULL;

  if (!state->saw_catalogs)
    return TRUE;
  if (!remove_catalogs (store, error))
    return FALSE;

  catalog_stmt = kdx_store_prepare (store,
                                    "INSERT INTO catalog (uuid, key, title_en, title_de, version, "
                                    "source, source_url, licence, legal_status_en, "
                                    "legal_status_de, as_of, format, shipped, imported) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                    "?13, ?14)", error);
  if (catalog_stmt == NULL)
    return FALSE;
  requirement_stmt = kdx_store_prepare (store,
                                        "INSERT INTO requirement (uuid, catalog_id, code, label, "
                                        "parent_id, depth, position, title_en, title_de, "
                                        "text_en, text_de, applies_from, legal_status_en, "
                                        "legal_status_de) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                        "?8, ?9, ?10, ?11, ?12, ?13, ?14)", error);
  if (requirement_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < state->catalogs->len; i++)
    {
      CatalogRecord *c = g_ptr_array_index (state->catalogs, i);

      if (!insert_catalog (store, catalog_stmt, requirement_stmt, c, state->requirement_by_uuid,
                           error))
        {
          g_prefix_error (error, _("%s: the catalog “%s” cannot be imported: "),
                          state->display_name, c->key);
          return FALSE;
        }
    }
  kdx_store_mark_changed (store, "catalog", 0);

  return TRUE;
}

typedef struct
{
  sqlite3_stmt *system;
  sqlite3_stmt *data;
  sqlite3_stmt *obligation;
  sqlite3_stmt *overseer;
  sqlite3_stmt *raci;
} SystemStatements;

static void
system_statements_clear (SystemStatements *s)
{
  g_clear_pointer (&s->system, sqlite3_finalize);
  g_clear_pointer (&s->data, sqlite3_finalize);
  g_clear_pointer (&s->obligation, sqlite3_finalize);
  g_clear_pointer (&s->overseer, sqlite3_finalize);
  g_clear_pointer (&s->raci, sqlite3_finalize);
}

static gboolean
system_statements_prepare (KdxStore          *store,
                           SystemStatements  *s,
                           GError           **error)
{
  s->system = kdx_store_prepare (store,
                                 "INSERT INTO ai_system (uuid, key, name, sort_key, vendor, "
                                 "version, use_case, description, business_owner_id, "
                                 "technical_owner_id, department, lifecycle, role, risk, answers, "
                                 "reasoning, classified, legal_basis, consent, dpia_status, "
                                 "dpia_date, retention, notice_en, notice_de, oversight, "
                                 "explainability, created, modified, trashed) VALUES (?1, ?2, "
                                 "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                                 "?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, "
                                 "?29)", error);
  s->data = s->system ? kdx_store_prepare (store,
                                           "INSERT INTO system_data (system_id, category) "
                                           "VALUES (?1, ?2)", error) : NULL;
  s->obligation = s->data ? kdx_store_prepare (store,
                                               "INSERT INTO system_obligation (system_id, "
                                               "obligation, catalog, code) VALUES (?1, ?2, ?3, ?4)",
                                               error) : NULL;
  s->overseer = s->obligation ? kdx_store_prepare (store,
                                                   "INSERT INTO system_overseer (system_id, "
                                                   "person_id) VALUES (?1, ?2)", error) : NULL;
  s->raci = s->overseer ? kdx_store_prepare (store,
                                             "INSERT INTO system_raci (system_id, person_id, "
                                             "role) VALUES (?1, ?2, ?3)", error) : NULL;

  return s->raci != NULL;
}

static gboolean
insert_system (KdxStore          *store,
               ReadState         *state,
               SystemStatements  *st,
               SystemRecord      *s,
               GError           **error)
{
  const char *texts[] = {
    s->uuid, s->key, s->name, NULL, s->vendor, s->version, s->use_case, s->description,
  };
  const char *more[] = {
    s->department, s->lifecycle, s->role, s->risk, s->answers, s->reasoning, s->classified,
    s->legal_basis, s->consent, s->dpia_status, s->dpia_date, s->retention, s->notice_en,
    s->notice_de, s->oversight, s->explainability, s->created, s->modified, s->trashed,
  };
  g_autofree char *sort_key = kdx_fold_text (s->name);
  g_autoptr(KdxSystem) stored = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;

  /* The sort key as kdx-system.c makes it. */
  texts[3] = sort_key;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    bind_text (st->system, 1 + i, texts[i]);
  bind_person (st->system, 9, state, s->business_owner);
  bind_person (st->system, 10, state, s->technical_owner);
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    bind_text (st->system, 11 + i, more[i]);
  if (!step_once (store, st->system, error))
    return FALSE;
  s->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  for (guint i = 0; i < s->categories->len; i++)
    {
      sqlite3_bind_int64 (st->data, 1, s->id);
      bind_text (st->data, 2, g_ptr_array_index (s->categories, i));
      if (!step_once (store, st->data, error))
        return FALSE;
    }
  for (guint i = 0; i < s->obligations->len; i++)
    {
      ObligationRecord *o = g_ptr_array_index (s->obligations, i);

      sqlite3_bind_int64 (st->obligation, 1, s->id);
      bind_text (st->obligation, 2, o->id);
      bind_text (st->obligation, 3, o->catalog);
      bind_text (st->obligation, 4, o->code);
      if (!step_once (store, st->obligation, error))
        return FALSE;
    }
  for (guint i = 0; i < s->overseers->len; i++)
    {
      SystemPersonRecord *p = g_ptr_array_index (s->overseers, i);

      sqlite3_bind_int64 (st->overseer, 1, s->id);
      bind_person (st->overseer, 2, state, p->person);
      if (!step_once (store, st->overseer, error))
        return FALSE;
    }
  for (guint i = 0; i < s->raci->len; i++)
    {
      SystemPersonRecord *p = g_ptr_array_index (s->raci, i);

      sqlite3_bind_int64 (st->raci, 1, s->id);
      bind_person (st->raci, 2, state, p->person);
      bind_text (st->raci, 3, p->role);
      if (!step_once (store, st->raci, error))
        return FALSE;
    }

  /* Journaled as kdx-system.c journals a new system. */
  stored = kdx_system_load (store, s->uuid, error);
  json = stored ? kdx_system_to_json (stored) : NULL;
  summary = g_strdup_printf ("%s %s", s->key, s->name);

  return json != NULL &&
         kdx_journal_append (store, "ai_system", s->uuid, "create", summary, NULL, json, error);
}

static gboolean
insert_systems (KdxStore      *store,
                ReadState     *state,
                KdxJob        *job,
                guint          done,
                guint          total,
                GCancellable  *cancellable,
                GError       **error)
{
  SystemStatements st = { 0 };
  gboolean ok = system_statements_prepare (store, &st, error);

  for (guint i = 0; ok && i < state->systems->len; i++)
    {
      SystemRecord *s = g_ptr_array_index (state->systems, i);

      ok = insert_system (store, state, &st, s, error);
      if (!ok)
        g_prefix_error (error, _("%s: %s cannot be imported: "), state->display_name, s->key);
      if (ok && (i & 63) == 0)
        {
          if (job != NULL)
            kdx_job_set_progress (job, 0.5 + 0.5 * (done + i) / total, _("Importing AI systems"));
          ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
    }
  system_statements_clear (&st);

  if (ok && state->systems->len > 0)
    kdx_store_mark_changed (store, "ai_system", 0);

  return ok;
}

/* The row id of a requirement the file refers to: one of its own, or one
 * of the workspace when the file has no catalogs. */
static gint64
requirement_id (ReadState  *state,
                const char *uuid)
{
  if (state->saw_catalogs)
    {
      RequirementRecord *r = g_hash_table_lookup (state->requirement_by_uuid, uuid);

      return r ? r->id : 0;
    }
  else
    {
      gint64 *id = g_hash_table_lookup (state->workspace_requirements, uuid);

      return id ? *id : 0;
    }
}

/* Journaled as kdx-mapping.c journals a new link. */
static gboolean
journal_requirement_link (KdxStore      *store,
                          ReadState     *state,
                          PolicyRecord  *policy,
                          LinkRecord    *l,
                          GError       **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *code = NULL;
  g_autofree char *label = NULL;

  stmt = kdx_store_prepare_cached (store, "SELECT c.key, r.code, r.label FROM requirement r "
                            "JOIN catalog c ON c.id = r.catalog_id WHERE r.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, requirement_id (state, l->requirement));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      catalog = kdx_store_column_text (stmt, 0);
      code = kdx_store_column_text (stmt, 1);
      label = kdx_store_column_text (stmt, 2);
    }

  json_builder_begin_object (b);
  add_text_member (b, "requirement", l->requirement);
  add_text_member (b, "catalog", catalog);
  add_text_member (b, "code", code);
  json = builder_text (b);
  summary = g_strdup_printf ("%s · %s %s", policy->key, catalog ? catalog : "?",
                             label ? label : "?");

  return kdx_journal_append (store, "policy", policy->uuid, "map-requirement", summary, NULL,
                             json, error);
}

static gboolean
journal_system_link (KdxStore      *store,
                     PolicyRecord  *policy,
                     SystemRecord  *system,
                     LinkRecord    *l,
                     GError       **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;

  json_builder_begin_object (b);
  add_text_member (b, "policy", policy->uuid);
  add_text_member (b, "policy_key", policy->key);
  add_text_member (b, "status", l->status);
  add_text_member (b, "assessor", l->assessor);
  add_text_member (b, "assessed", l->assessed);
  add_text_member (b, "evidence", l->evidence);
  json = builder_text (b);
  summary = g_strdup_printf ("%s · %s: %s", system->key, policy->key, l->status);

  return kdx_journal_append (store, "ai_system", system->uuid, "map-policy", summary, NULL, json,
                             error);
}

static gboolean
insert_links (KdxStore   *store,
              ReadState  *state,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) requirement_stmt = NULL;
  g_autoptr(sqlite3_stmt) system_stmt = NULL;

  requirement_stmt = kdx_store_prepare (store,
                                        "INSERT INTO policy_requirement (policy_id, "
                                        "requirement_id, created) VALUES (?1, ?2, ?3)", error);
  system_stmt = requirement_stmt ? kdx_store_prepare (store,
                                                      "INSERT INTO policy_system (policy_id, "
                                                      "system_id, status, assessor_id, "
                                                      "assessed, evidence) VALUES (?1, ?2, ?3, "
                                                      "?4, ?5, ?6)", error) : NULL;
  if (system_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < state->requirement_links->len; i++)
    {
      LinkRecord *l = g_ptr_array_index (state->requirement_links, i);
      PolicyRecord *policy = g_hash_table_lookup (state->policy_by_uuid, l->policy);

      sqlite3_bind_int64 (requirement_stmt, 1, policy->id);
      sqlite3_bind_int64 (requirement_stmt, 2, requirement_id (state, l->requirement));
      bind_text (requirement_stmt, 3, l->created);
      if (!step_once (store, requirement_stmt, error) ||
          !journal_requirement_link (store, state, policy, l, error))
        return FALSE;
    }

  for (guint i = 0; i < state->system_links->len; i++)
    {
      LinkRecord *l = g_ptr_array_index (state->system_links, i);
      PolicyRecord *policy = g_hash_table_lookup (state->policy_by_uuid, l->policy);
      SystemRecord *system = g_hash_table_lookup (state->system_by_uuid, l->system);

      sqlite3_bind_int64 (system_stmt, 1, policy->id);
      sqlite3_bind_int64 (system_stmt, 2, system->id);
      bind_text (system_stmt, 3, l->status);
      bind_person (system_stmt, 4, state, l->assessor);
      bind_text (system_stmt, 5, l->assessed);
      bind_text (system_stmt, 6, l->evidence);
      if (!step_once (store, system_stmt, error) ||
          !journal_system_link (store, policy, system, l, error))
        return FALSE;
    }

  return TRUE;
}

/* The journal's view of a rule, with the members kdx-training.c gives it,
 * and its summary ("Title: Department Sales"). */
static gboolean
journal_rule (KdxStore      *store,
              ReadState     *state,
              CourseRecord  *c,
              RuleRecord    *r,
              GError       **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(KdxRule) rule = kdx_rule_new ();
  SystemRecord *system = r->system ? g_hash_table_lookup (state->system_by_uuid, r->system) : NULL;
  g_autofree char *json = NULL;
  g_autofree char *description = NULL;
  g_autofree char *summary = NULL;

  json_builder_begin_object (b);
  add_text_member (b, "uuid", r->uuid);
  add_text_member (b, "course", c->uuid);
  add_text_member (b, "kind", r->kind);
  add_text_member (b, "target", r->target);
  add_text_member (b, "system", r->system);
  add_int_member (b, "due_days", r->due_days);
  json = builder_text (b);

  rule->kind = kdx_rule_kind_from_string (r->kind);
  rule->target = g_strdup (r->target);
  rule->system_uuid = g_strdup (r->system);
  rule->system_key = g_strdup (system ? system->key : NULL);
  rule->system_name = g_strdup (system ? system->name : NULL);
  description = kdx_rule_dup_description (rule);
  summary = g_strdup_printf ("%s: %s", c->title, description);

  return kdx_journal_append (store, "assignment-rule", r->uuid, "create", summary, NULL, json,
                             error);
}

/* Courses, the policies they teach and their rules, restored as they
 * were: the rules are not applied (the assignments of the file are what
 * they gave). Each course and rule is journaled as kdx-training.c
 * journals a new one. */
static gboolean
insert_courses (KdxStore   *store,
                ReadState  *state,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) course_stmt = NULL;
  g_autoptr(sqlite3_stmt) policy_stmt = NULL;
  g_autoptr(sqlite3_stmt) rule_stmt = NULL;

  if (state->courses->len == 0)
    return TRUE;

  course_stmt = kdx_store_prepare (store,
                                   "INSERT INTO course (uuid, key, title, sort_key, topic, "
                                   "description, duration_minutes, validity_months, ai_literacy, "
                                   "created, modified, trashed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                   "?7, ?8, ?9, ?10, ?11, ?12)", error);
  policy_stmt = course_stmt ? kdx_store_prepare (store,
                                                 "INSERT INTO course_policy (course_id, "
                                                 "policy_id) VALUES (?1, ?2)", error) : NULL;
  rule_stmt = policy_stmt ? kdx_store_prepare (store,
                                               "INSERT INTO assignment_rule (uuid, course_id, "
                                               "kind, target, system_id, due_days, created) "
                                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                               error) : NULL;
  if (rule_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < state->courses->len; i++)
    {
      CourseRecord *c = g_ptr_array_index (state->courses, i);
      g_autofree char *sort_key = kdx_fold_text (c->title);
      g_autofree char *summary = g_strdup_printf ("%s %s", c->key, c->title);
      g_autoptr(KdxCourse) stored = NULL;
      g_autofree char *json = NULL;
      gboolean ok;

      /* The sort key as kdx-training.c makes it. */
      bind_text (course_stmt, 1, c->uuid);
      bind_text (course_stmt, 2, c->key);
      bind_text (course_stmt, 3, c->title);
      bind_text (course_stmt, 4, sort_key);
      bind_text (course_stmt, 5, c->topic);
      bind_text (course_stmt, 6, c->description);
      sqlite3_bind_int (course_stmt, 7, (int) c->duration_minutes);
      sqlite3_bind_int (course_stmt, 8, (int) c->validity_months);
      sqlite3_bind_int (course_stmt, 9, c->ai_literacy ? 1 : 0);
      bind_text (course_stmt, 10, c->created);
      bind_text (course_stmt, 11, c->modified);
      bind_text (course_stmt, 12, c->trashed);
      ok = step_once (store, course_stmt, error);
      if (ok)
        c->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

      for (guint j = 0; ok && j < c->policies->len; j++)
        {
          PolicyRecord *policy = g_hash_table_lookup (state->policy_by_uuid,
                                                      g_ptr_array_index (c->policies, j));

          sqlite3_bind_int64 (policy_stmt, 1, c->id);
          sqlite3_bind_int64 (policy_stmt, 2, policy->id);
          ok = step_once (store, policy_stmt, error);
        }

      if (ok)
        {
          stored = kdx_course_load (store, c->uuid, error);
          json = stored ? kdx_course_to_json (stored) : NULL;
          ok = json != NULL &&
               kdx_journal_append (store, "course", c->uuid, "create", summary, NULL, json, error);
        }

      for (guint j = 0; ok && j < c->rules->len; j++)
        {
          RuleRecord *r = g_ptr_array_index (c->rules, j);
          SystemRecord *system = r->system ? g_hash_table_lookup (state->system_by_uuid,
                                                                  r->system) : NULL;

          bind_text (rule_stmt, 1, r->uuid);
          sqlite3_bind_int64 (rule_stmt, 2, c->id);
          bind_text (rule_stmt, 3, r->kind);
          bind_text (rule_stmt, 4, r->target);
          if (system != NULL)
            sqlite3_bind_int64 (rule_stmt, 5, system->id);
          sqlite3_bind_int (rule_stmt, 6, (int) r->due_days);
          bind_text (rule_stmt, 7, r->created);
          ok = step_once (store, rule_stmt, error);
          if (ok)
            r->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));
          ok = ok && journal_rule (store, state, c, r, error);
        }

      if (!ok)
        {
          g_prefix_error (error, _("%s: %s cannot be imported: "), state->display_name, c->key);
          return FALSE;
        }
    }

  kdx_store_mark_changed (store, "course", 0);
  kdx_store_mark_changed (store, "assignment-rule", 0);

  return TRUE;
}

/* What the journal says of the assignments of one course. */
typedef struct
{
  guint      n_rounds;
  guint      n_current;
  guint      n_completed;
  GChecksum *digest;
} CourseTally;

/* The assignments, restored with their row ids (rounds refer to the round
 * they renew by it). The journal gets one entry per course, with the
 * number of rounds and the SHA-256 of their rows as the exchange writes
 * them, not one per round: a million entries would make the journal of a
 * large workspace mostly this import, and the file it came from holds the
 * rows. */
static gboolean
insert_assignments (KdxStore      *store,
                    ReadState     *state,
                    KdxJob        *job,
                    guint          done,
                    guint          total,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree CourseTally *tally = NULL;
  gboolean ok = TRUE;

  if (state->assignments->len == 0)
    return TRUE;

  stmt = kdx_store_prepare (store,
                            "INSERT INTO assignment (id, person_id, course_id, rule_id, "
                            "previous_id, source, assigned, due, completed, score, expires, "
                            "current) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                            error);
  if (stmt == NULL)
    return FALSE;
  tally = g_new0 (CourseTally, state->courses->len);
  for (guint i = 0; ok && i < state->assignments->len; i++)
    {
      AssignmentRecord *a = &g_array_index (state->assignments, AssignmentRecord, i);
      KdxPerson *person = g_ptr_array_index (state->people, a->person);
      CourseRecord *course = g_ptr_array_index (state->courses, a->course);
      RuleRecord *rule = a->rule ? g_ptr_array_index (state->rules, a->rule - 1) : NULL;
      const char *source = kdx_assignment_source_to_string (a->source);
      CourseTally *t = &tally[a->course];
      char days[4][11] = { "-", "-", "-", "-" };
      char score[32] = "-";
      char row[256];

      format_day (a->assigned, days[0]);
      if (a->due)
        format_day (a->due, days[1]);
      if (a->completed)
        format_day (a->completed, days[2]);
      if (a->expires)
        format_day (a->expires, days[3]);
      if (a->score >= 0)
        format_score (a->score, score, sizeof score);

      sqlite3_bind_int64 (stmt, 1, a->id);
      sqlite3_bind_int64 (stmt, 2, kdx_person_get_id (person));
      sqlite3_bind_int64 (stmt, 3, course->id);
      if (rule != NULL)
        sqlite3_bind_int64 (stmt, 4, rule->id);
      if (a->previous > 0)
        sqlite3_bind_int64 (stmt, 5, a->previous);
      sqlite3_bind_text (stmt, 6, source, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, days[0], -1, SQLITE_TRANSIENT);
      if (a->due)
        sqlite3_bind_text (stmt, 8, days[1], -1, SQLITE_TRANSIENT);
      if (a->completed)
        sqlite3_bind_text (stmt, 9, days[2], -1, SQLITE_TRANSIENT);
      if (a->score >= 0)
        sqlite3_bind_double (stmt, 10, a->score);
      if (a->expires)
        sqlite3_bind_text (stmt, 11, days[3], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 12, a->current);
      if (!step_once (store, stmt, error))
        {
          g_prefix_error (error, _("%s, line %d: the assignment cannot be imported: "),
                          state->display_name, a->line);
          ok = FALSE;
          break;
        }

      /* The row as the file has it, for the digest. */
      g_snprintf (row, sizeof row,
                  "%" G_GINT64_FORMAT " %s %s %" G_GINT64_FORMAT " %s %s %s %s %s %s %d\n",
                  a->id, kdx_person_get_uuid (person), rule ? rule->uuid : "-", a->previous,
                  source, days[0], days[1], days[2], score, days[3], a->current);
      if (t->digest == NULL)
        t->digest = g_checksum_new (G_CHECKSUM_SHA256);
      g_checksum_update (t->digest, (const guchar *) row, -1);
      t->n_rounds++;
      t->n_current += a->current;
      t->n_completed += a->completed != 0;

      if ((i & 16383) == 16383)
        {
          if (job != NULL)
            kdx_job_set_progress (job, 0.5 + 0.5 * (done + i) / total,
                                  _("Importing assignments"));
          ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
    }

  for (guint i = 0; i < state->courses->len; i++)
    {
      CourseRecord *c = g_ptr_array_index (state->courses, i);
      CourseTally *t = &tally[i];
      g_autoptr(JsonBuilder) b = NULL;
      g_autofree char *json = NULL;
      g_autofree char *summary = NULL;

      if (t->digest == NULL)
        continue;
      if (ok)
        {
          b = json_builder_new ();
          json_builder_begin_object (b);
          add_text_member (b, "course", c->uuid);
          add_int_member (b, "rounds", t->n_rounds);
          add_int_member (b, "current", t->n_current);
          add_int_member (b, "completed", t->n_completed);
          add_text_member (b, "rows_sha256", g_checksum_get_string (t->digest));
          json = builder_text (b);
          summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %s: %u round imported",
                                                  "%s %s: %u rounds imported", t->n_rounds),
                                     c->key, c->title, t->n_rounds);
          ok = kdx_journal_append (store, "assignment", c->uuid, "import", summary, NULL, json,
                                   error);
        }
      g_checksum_free (t->digest);
    }

  if (ok)
    kdx_store_mark_changed (store, "assignment", 0);

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

/* The whole file is one transaction, which soon outgrows SQLite's cache
 * of 2 MiB: each person's insert would then read the pages of the person
 * table, its indexes and the search index back from the WAL (100,000
 * people of the large demo: 22 minutes). 128 MiB keep them, as
 * kdx-import.c keeps them for its people; pages are taken as they are
 * used, so a small file takes no more. Put back afterwards. */
static int
raise_cache (KdxStore *store)
{
  int saved = (int) kdx_store_count (store, "PRAGMA cache_size");

  kdx_store_exec (store, "PRAGMA cache_size = -131072", NULL);

  return saved;
}

static void
restore_cache (KdxStore *store,
               int       saved)
{
  /* Pragmas take no parameters: the values Kodex uses, as statements. */
  static const struct { int size; const char *sql; } sizes[] = {
    { -2000, "PRAGMA cache_size = -2000" },
    { -16384, "PRAGMA cache_size = -16384" },
    { -32768, "PRAGMA cache_size = -32768" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes) && sizes[i].size != saved; i++)
    ;
  kdx_store_exec (store, i < G_N_ELEMENTS (sizes) ? sizes[i].sql : sizes[0].sql, NULL);
}

static gboolean store_document_in_transaction (KdxStore      *store,
                                               ReadState     *state,
                                               KdxJob        *job,
                                               GCancellable  *cancellable,
                                               GError       **error);

static gboolean
store_document (KdxStore      *store,
                ReadState     *state,
                KdxJob        *job,
                GCancellable  *cancellable,
                GError       **error)
{
  int saved = raise_cache (store);
  gboolean ok = store_document_in_transaction (store, state, job, cancellable, error);

  restore_cache (store, saved);

  return ok;
}

static gboolean
store_document_in_transaction (KdxStore      *store,
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
  if (!check_employee_ids (state, error) ||
      !check_policies (state, error) ||
      !check_catalogs (state, error) ||
      !check_systems (state, error) ||
      !check_mappings (store, state, error) ||
      !check_courses (state, error) ||
      !check_assignments (state, error))
    return FALSE;
  total = MAX (ordered->len + count_rows (state->policies) + state->systems->len +
               state->assignments->len, 1);

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
  if (kdx_store_count (store, "SELECT count(*) FROM ai_system") != 0)
    {
      kdx_store_rollback (store);
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_NOT_EMPTY,
                           _("An exchange file is imported into a new, empty workspace; "
                             "this one already has AI systems. Create a new workspace first."));
      return FALSE;
    }
  if (kdx_store_count (store, "SELECT count(*) FROM course") != 0)
    {
      kdx_store_rollback (store);
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_NOT_EMPTY,
                           _("An exchange file is imported into a new, empty workspace; "
                             "this one already has courses. Create a new workspace first."));
      return FALSE;
    }
  /* The file's catalogs replace the shipped ones a new workspace has; a
   * catalog someone imported would be lost. */
  if (state->saw_catalogs &&
      kdx_store_count (store, "SELECT count(*) FROM catalog WHERE shipped = 0") != 0)
    {
      kdx_store_rollback (store);
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_NOT_EMPTY,
                           _("An exchange file is imported into a new, empty workspace; "
                             "this one already has imported catalogs. Create a new workspace "
                             "first."));
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

  if (!insert_policies (store, state, job, ordered->len, total, cancellable, error) ||
      !insert_catalogs (store, state, error) ||
      !insert_systems (store, state, job, ordered->len + count_rows (state->policies), total,
                       cancellable, error) ||
      !insert_links (store, state, error) ||
      !insert_courses (store, state, error) ||
      !insert_assignments (store, state, job,
                           ordered->len + count_rows (state->policies) + state->systems->len,
                           total, cancellable, error))
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

/* No entity substitution, no DTD loading, no network, no XInclude, no huge
 * documents: the parser's defaults, plus NONET; NOBLANKS, for libxml2
 * keeps no whitespace between elements then (text inside an element stays
 * as it is, see write_text_pieces()); CDATA sections as text; and the
 * lines of text nodes beyond 65535. */
#define READER_OPTIONS \
  (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES)

/* Reads the document that @scanner reads into @store. */
static gboolean
import_scanned (KdxStore          *store,
                Scanner           *scanner,
                const char        *display_name,
                gsize              total_size,
                KdxJob            *job,
                GCancellable      *cancellable,
                GError           **error)
{
  ReadState state = { 0 };
  xmlTextReaderPtr reader;
  gboolean ok;

  reader = xmlReaderForIO (scanner_read, NULL, scanner, NULL, NULL, READER_OPTIONS);
  if (reader == NULL)
    {
      g_set_error (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO,
                   _("“%s” cannot be read"), display_name);
      return FALSE;
    }

  state.reader = reader;
  state.scanner = scanner;
  state.open_elements = g_array_sized_new (FALSE, TRUE, sizeof (OpenElement), 16);
  state.display_name = display_name;
  state.settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state.people = g_ptr_array_new_with_free_func (g_object_unref);
  state.by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  state.person_index = g_hash_table_new (g_str_hash, g_str_equal);
  state.courses = g_ptr_array_new_with_free_func (course_record_free);
  state.course_index = g_hash_table_new (g_str_hash, g_str_equal);
  state.rules = g_ptr_array_new ();
  state.rule_index = g_hash_table_new (g_str_hash, g_str_equal);
  state.assignments = g_array_new (FALSE, FALSE, sizeof (AssignmentRecord));
  state.person_lines = g_hash_table_new (NULL, NULL);
  state.policies = g_ptr_array_new_with_free_func (policy_record_free);
  state.catalogs = g_ptr_array_new_with_free_func (catalog_record_free);
  state.systems = g_ptr_array_new_with_free_func (system_record_free);
  state.requirement_links = g_ptr_array_new_with_free_func (link_record_free);
  state.system_links = g_ptr_array_new_with_free_func (link_record_free);

  ok = read_document (reader, &state, job, total_size, cancellable, error);
  xmlFreeTextReader (reader);
  state.reader = NULL;

  if (ok)
    ok = store_document (store, &state, job, cancellable, error);

  read_state_clear (&state);

  return ok;
}

gboolean
kdx_exchange_import_xml (KdxStore      *store,
                         const char    *path,
                         KdxJob        *job,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  Scanner scanner;
  struct stat st;
  gboolean ok;
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

  scanner_init (&scanner, fd, NULL, 0);
  ok = import_scanned (store, &scanner, name, (gsize) st.st_size, job, cancellable, error);
  scanner_clear (&scanner);
  close (fd);

  return ok;
}

gboolean
kdx_exchange_import_xml_memory (KdxStore      *store,
                                const char    *data,
                                gsize          length,
                                GError       **error)
{
  Scanner scanner;
  gboolean ok;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_IO, "Too large");
      return FALSE;
    }

  scanner_init (&scanner, -1, data, length);
  ok = import_scanned (store, &scanner, "memory", length, NULL, NULL, error);
  scanner_clear (&scanner);

  return ok;
}
