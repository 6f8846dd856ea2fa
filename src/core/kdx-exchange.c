/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The XML exchange format: a whole workspace written with xmlTextWriter
 * and read back with the streaming xmlReader, validated against the
 * RELAX NG schema as it streams. The reader refuses any DOCTYPE, never
 * substitutes entities, loads no DTD and touches no network: an exchange
 * file can come from anyone.
 */
#define G_LOG_DOMAIN "kdx-exchange"

#include "config.h"

#include "kdx-exchange.h"
#include "kdx-core-resources.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <string.h>
#include <unistd.h>

#define SCHEMA_RESOURCE "/io/github/kodexapp/Kodex/core/schema/kodex-exchange.rng"

/* The settings that travel with a workspace. */
static const char *exchanged_settings[] = { "organisation", "language", "quorum", NULL };

G_DEFINE_QUARK (kdx-exchange-error-quark, kdx_exchange_error)

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
write_person (xmlTextWriterPtr  writer,
              KdxPerson        *person)
{
  gboolean ok = TRUE;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "person") >= 0;
  ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "uuid",
                                     BAD_CAST kdx_person_get_uuid (person)) >= 0;
  ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "committee",
                                     BAD_CAST (kdx_person_get_committee (person) ? "true" : "false")) >= 0;
  ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "active",
                                     BAD_CAST (kdx_person_get_active (person) ? "true" : "false")) >= 0;
  ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "created",
                                     BAD_CAST kdx_person_get_created (person)) >= 0;
  ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "modified",
                                     BAD_CAST kdx_person_get_modified (person)) >= 0;
  if (kdx_person_get_trashed (person) != NULL)
    ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "trashed",
                                       BAD_CAST kdx_person_get_trashed (person)) >= 0;
  ok &= write_text_element (writer, "name", kdx_person_get_name (person));
  ok &= write_text_element (writer, "email", kdx_person_get_email (person));
  ok &= write_text_element (writer, "department", kdx_person_get_department (person));
  ok &= write_text_element (writer, "role", kdx_person_get_role (person));
  if (kdx_person_get_manager (person) != NULL)
    {
      ok &= xmlTextWriterStartElement (writer, BAD_CAST "manager") >= 0;
      ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "ref",
                                         BAD_CAST kdx_person_get_manager (person)) >= 0;
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

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
  g_autoptr(GPtrArray) people = NULL;
  xmlTextWriterPtr writer = NULL;
  gboolean ok = TRUE;
  int fd;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  people = kdx_person_list_all (store, TRUE, error);
  if (people == NULL)
    return FALSE;

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
  ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "exported", BAD_CAST now) >= 0;
  ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "generator",
                                     BAD_CAST "Kodex " PACKAGE_VERSION) >= 0;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "settings") >= 0;
  for (guint i = 0; exchanged_settings[i] != NULL; i++)
    {
      g_autofree char *value = kdx_store_dup_setting (store, exchanged_settings[i]);

      if (value == NULL)
        continue;
      ok &= xmlTextWriterStartElement (writer, BAD_CAST "setting") >= 0;
      ok &= xmlTextWriterWriteAttribute (writer, BAD_CAST "key",
                                         BAD_CAST exchanged_settings[i]) >= 0;
      ok &= xmlTextWriterWriteString (writer, BAD_CAST value) >= 0;
      ok &= xmlTextWriterEndElement (writer) >= 0;
    }
  ok &= xmlTextWriterEndElement (writer) >= 0;

  ok &= xmlTextWriterStartElement (writer, BAD_CAST "people") >= 0;
  for (guint i = 0; ok && i < people->len; i++)
    {
      ok &= write_person (writer, g_ptr_array_index (people, i));
      if (job != NULL && (i & 1023) == 0)
        kdx_job_set_progress (job, (double) i / people->len, _("Writing people"));
      if ((i & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
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

typedef struct
{
  const char *display_name;
  GString    *first_error;
  int         first_error_line;
  int         first_error_domain;
  gboolean    saw_doctype;
  GHashTable *settings;      /* key → value */
  GPtrArray  *people;        /* KdxPerson */
  GHashTable *by_uuid;       /* uuid → KdxPerson (borrowed) */
  KdxPerson  *current;
} ReadState;

static void
read_state_clear (ReadState *state)
{
  if (state->first_error)
    g_string_free (state->first_error, TRUE);
  g_clear_pointer (&state->settings, g_hash_table_unref);
  g_clear_pointer (&state->by_uuid, g_hash_table_unref);
  g_clear_pointer (&state->people, g_ptr_array_unref);
  g_clear_object (&state->current);
}

static void
structured_error_cb (void        *user_data,
                     xmlErrorPtr  err)
{
  ReadState *state = user_data;
  g_autofree char *message = NULL;

  if (state->first_error != NULL || err == NULL)
    return;
  if (err->level == XML_ERR_WARNING)
    return;

  message = g_strstrip (g_strdup (err->message ? err->message : "?"));
  state->first_error = g_string_new (message);
  state->first_error_line = err->line;
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

static char *
element_text (xmlTextReaderPtr reader)
{
  xmlChar *value = xmlTextReaderReadString (reader);
  char *copy = g_strdup (value ? (const char *) value : "");

  xmlFree (value);
  return copy;
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

static void
handle_element (xmlTextReaderPtr  reader,
                ReadState        *state)
{
  const char *name = (const char *) xmlTextReaderConstLocalName (reader);

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
      kdx_person_set_uuid (state->current, uuid);
      kdx_person_set_committee (state->current, g_strcmp0 (committee, "true") == 0 ||
                                                g_strcmp0 (committee, "1") == 0);
      kdx_person_set_active (state->current, g_strcmp0 (active, "false") != 0 &&
                                             g_strcmp0 (active, "0") != 0);
      kdx_person_set_times (state->current, created, modified, trashed);
    }
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

      g_ptr_array_add (state->people, person);
      if (kdx_person_get_uuid (person) != NULL)
        g_hash_table_insert (state->by_uuid, (gpointer) kdx_person_get_uuid (person), person);
    }
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
        }
      else if (type == XML_READER_TYPE_END_ELEMENT)
        handle_end_element (reader, state);

      if ((state->people->len & 1023) == 1023 && job != NULL && total_size > 0)
        kdx_job_set_progress (job,
                              0.5 * xmlTextReaderByteConsumed (reader) / (double) total_size,
                              _("Reading"));
      if ((state->people->len & 1023) == 1023 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          xmlRelaxNGFree (schema);
          return FALSE;
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
      set_read_error (error, state,
                      state->first_error_domain == XML_FROM_RELAXNGV ? KDX_EXCHANGE_ERROR_INVALID
                                                                     : KDX_EXCHANGE_ERROR_MALFORMED,
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
          set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, 0, what);
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
          set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, 0, what);
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
  gint64 existing;

  if (g_hash_table_size (state->by_uuid) != state->people->len)
    {
      set_read_error (error, state, KDX_EXCHANGE_ERROR_INVALID, 0,
                      _("two people in the file have the same identifier"));
      return FALSE;
    }

  for (guint i = 0; i < state->people->len; i++)
    if (!order_person (state, g_ptr_array_index (state->people, i), visiting, done, ordered, error))
      return FALSE;

  if (!kdx_store_begin (store, error))
    return FALSE;

  existing = kdx_store_count (store, "SELECT count(*) FROM person");
  if (existing != 0)
    {
      kdx_store_rollback (store);
      g_set_error_literal (error, KDX_EXCHANGE_ERROR, KDX_EXCHANGE_ERROR_NOT_EMPTY,
                           _("An exchange file is imported into a new, empty workspace; "
                             "this one already has people. Create a new workspace first."));
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
            kdx_job_set_progress (job, 0.5 + 0.5 * i / ordered->len, _("Importing people"));
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto fail;
        }
    }

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

  state.display_name = display_name;
  state.settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state.people = g_ptr_array_new_with_free_func (g_object_unref);
  state.by_uuid = g_hash_table_new (g_str_hash, g_str_equal);

  ok = read_document (reader, &state, job, total_size, cancellable, error);
  xmlFreeTextReader (reader);

  if (ok)
    ok = store_document (store, &state, job, cancellable, error);

  read_state_clear (&state);

  return ok;
}

/* No entity substitution, no DTD loading, no network, no XInclude, no huge
 * documents: the parser's defaults, plus NONET. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)

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
