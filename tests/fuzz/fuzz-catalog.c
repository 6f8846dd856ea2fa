/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the catalog reader (kdx_catalog_parse), Kodex catalog XML
 * and OSCAL catalog XML, format detected from the root element.
 *
 * Besides crashes and sanitizer reports it checks what kdx-catalog.h and
 * SAFETY.md promise:
 * - the parser never loads anything: any call of libxml2's external
 *   entity loader (a file, a URL, a DTD, an XInclude) aborts;
 * - a refusal always comes with a KDX_CATALOG_ERROR, a catalog never
 *   does; a refusal for a DOCTYPE or an id used twice says the line;
 * - a catalog keeps the limits and is what an import relies on: a key,
 *   an English title, at least one requirement, each with a code used
 *   once, a label and a title, in document order, its parent before it
 *   and one level up, all text valid UTF-8 and within the text limit.
 */
#define G_LOG_DOMAIN "kdx-fuzz-catalog"

#include "config.h"

#include "fuzz-common.h"

#include "kdx-catalog.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <string.h>

static xmlParserInputPtr
forbidden_entity_loader (const char       *url,
                         const char       *id,
                         xmlParserCtxtPtr  ctxt)
{
  kdx_fuzz_fail ("the XML reader tried to load an external resource: url=%s id=%s",
                 url ? url : "(null)", id ? id : "(null)");
}

static void
silent_xml_error (void       *ctx,
                  const char *msg,
                  ...)
{
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kdx_fuzz_init_logging ();

  xmlInitParser ();
  xmlSetExternalEntityLoader (forbidden_entity_loader);
  xmlSetGenericErrorFunc (NULL, silent_xml_error);

  return 0;
}

static void
check_text (const char *what,
            const char *text,
            gboolean    required)
{
  if (text == NULL)
    {
      if (required)
        kdx_fuzz_fail ("A catalog has no %s", what);
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    kdx_fuzz_fail ("The %s of a catalog is not UTF-8", what);
  if (required && *text == '\0')
    kdx_fuzz_fail ("The %s of a catalog is empty", what);
  if (strlen (text) > KDX_CATALOG_MAX_TEXT)
    kdx_fuzz_fail ("The %s of a catalog is %zu bytes long", what, strlen (text));
}

static void
check_catalog (KdxCatalogData *data)
{
  KdxCatalog *catalog = data->catalog;
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);

  if (catalog == NULL || data->requirements == NULL)
    kdx_fuzz_fail ("A catalog without its parts");
  check_text ("key", catalog->key, TRUE);
  check_text ("uuid", catalog->uuid, TRUE);
  check_text ("English title", catalog->title_en, TRUE);
  check_text ("German title", catalog->title_de, FALSE);
  check_text ("source", catalog->source, FALSE);
  check_text ("licence", catalog->licence, FALSE);
  check_text ("legal status", catalog->legal_status_en, FALSE);
  check_text ("as-of date", catalog->as_of, FALSE);
  if (!g_uuid_string_is_valid (catalog->uuid))
    kdx_fuzz_fail ("A catalog's uuid is %s", catalog->uuid);
  if (g_strcmp0 (catalog->format, "kodex") != 0 && g_strcmp0 (catalog->format, "oscal") != 0)
    kdx_fuzz_fail ("A catalog of the format %s", catalog->format ? catalog->format : "(null)");
  if (catalog->as_of != NULL && strlen (catalog->as_of) != 10)
    kdx_fuzz_fail ("A catalog as of %s", catalog->as_of);

  if (data->requirements->len == 0 || data->requirements->len > KDX_CATALOG_MAX_REQUIREMENTS)
    kdx_fuzz_fail ("A catalog with %u requirements", data->requirements->len);
  if (catalog->n_requirements != data->requirements->len)
    kdx_fuzz_fail ("A catalog says %u requirements and has %u", catalog->n_requirements,
                   data->requirements->len);

  for (guint i = 0; i < data->requirements->len; i++)
    {
      KdxRequirement *r = g_ptr_array_index (data->requirements, i);
      KdxRequirement *parent = NULL;

      check_text ("requirement code", r->code, TRUE);
      check_text ("requirement label", r->label, TRUE);
      check_text ("requirement title", r->title_en, TRUE);
      check_text ("requirement German title", r->title_de, FALSE);
      check_text ("requirement text", r->text_en, FALSE);
      check_text ("requirement German text", r->text_de, FALSE);
      check_text ("requirement legal status", r->legal_status_en, FALSE);
      if (!g_uuid_string_is_valid (r->uuid))
        kdx_fuzz_fail ("Requirement %u has the uuid %s", i, r->uuid ? r->uuid : "(null)");
      if (g_strcmp0 (r->catalog, catalog->key) != 0)
        kdx_fuzz_fail ("Requirement %u is of another catalog", i);
      if (r->position != i)
        kdx_fuzz_fail ("Requirement %u is at position %u", i, r->position);
      if (g_hash_table_contains (codes, r->code))
        kdx_fuzz_fail ("The code %s is used twice", r->code);
      if (r->parent != NULL && (parent = g_hash_table_lookup (codes, r->parent)) == NULL)
        kdx_fuzz_fail ("Requirement %s comes before its parent %s", r->code, r->parent);
      if (r->depth != (parent ? parent->depth + 1 : 0) || r->depth >= KDX_CATALOG_MAX_DEPTH)
        kdx_fuzz_fail ("Requirement %s is at depth %u", r->code, r->depth);
      g_hash_table_insert (codes, r->code, r);
    }
}

/* "Line N: …", perhaps after the file's name. */
static gboolean
names_a_line (const char *message)
{
  const char *at = strstr (message, "Line ");
  guint line = 0;
  int n = 0;

  return at != NULL && sscanf (at, "Line %u: %n", &line, &n) == 1 && n > 0 && line > 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const KdxCatalogFormat formats[] = {
    KDX_CATALOG_FORMAT_AUTO, KDX_CATALOG_FORMAT_KODEX, KDX_CATALOG_FORMAT_OSCAL,
  };
  static const char *format_names[] = { NULL, "kodex", "oscal" };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autofree char *detected = NULL;   /* the format read when detected */
  gboolean read[G_N_ELEMENTS (formats)] = { FALSE, };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KdxCatalogData) catalog = kdx_catalog_parse (bytes, formats[i], &error);

      if (kdx_fuzz_is_verbose ())
        g_printerr ("kodex-fuzz: format %u: %s\n", i,
                    catalog != NULL ? catalog->catalog->key
                                    : error != NULL ? error->message : "(no error)");

      if (catalog == NULL)
        {
          if (error == NULL || error->domain != KDX_CATALOG_ERROR)
            kdx_fuzz_fail ("A refusal without a catalog error: %s",
                           error ? error->message : "none");
          if ((error->code == KDX_CATALOG_ERROR_FORBIDDEN ||
               error->code == KDX_CATALOG_ERROR_DUPLICATE) && !names_a_line (error->message))
            kdx_fuzz_fail ("An error does not say where: %s", error->message);
          continue;
        }
      if (error != NULL)
        kdx_fuzz_fail ("A catalog came with an error: %s", error->message);
      if (format_names[i] != NULL && !g_str_equal (catalog->catalog->format, format_names[i]))
        kdx_fuzz_fail ("Asked for %s, read %s", format_names[i], catalog->catalog->format);

      check_catalog (catalog);
      read[i] = TRUE;
      if (i == 0)
        detected = g_strdup (catalog->catalog->format);
    }

  /* Detection and the format asked for agree. */
  for (guint i = 1; i < G_N_ELEMENTS (formats); i++)
    if (read[i] != (g_strcmp0 (detected, format_names[i]) == 0))
      kdx_fuzz_fail ("Detected as %s, but read as %s: %s", detected ? detected : "nothing",
                     format_names[i], read[i] ? "yes" : "no");

  return 0;
}
