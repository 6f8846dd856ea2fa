/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalogs and their requirements: reading Kodex catalog XML and OSCAL
 * catalog XML, storing a catalog in one transaction, the shipped catalogs,
 * and the lists the UI, the CLI and the coverage views read.
 *
 * Reading follows SAFETY.md: the streaming xmlReader with the network off
 * and the parser's defaults otherwise (no entity substitution, no DTD, no
 * XInclude, libxml2's own size limits); any DOCTYPE or entity is refused;
 * a Kodex catalog is validated against data/schema/kodex-catalog.rng as it
 * streams; our own limits (kdx-catalog.h) stop a hostile file early. A
 * parse builds everything in memory first, so an import lands whole or
 * not at all.
 *
 * OSCAL catalogs (http://csrc.nist.gov/ns/oscal/1.0): groups and controls
 * become nested requirements. The code is the element's id (a group
 * without one gets "group-N"), the label its first <prop name="label">
 * (else the id), the title its <title>, and the text the plain text of its
 * parts, paragraph by paragraph: the statement first, then the other parts
 * (guidance, objectives, …) in document order, each under a heading (its
 * title, or its name). Parameters (<insert type="param">) read as NIST
 * writes them, "[Assignment: …]" or "[Selection: …]". The catalog's key is
 * "oscal-" and a slug of the metadata title (ASCII letters and digits, at
 * most 48 characters in all), so importing the same file twice finds the
 * first import; a title with no such letters gives "oscal-" and the start
 * of the catalog's uuid. Its uuid is the file's, its as-of date the date of
 * <last-modified>. Unknown elements are skipped.
 */
#define G_LOG_DOMAIN "kdx-catalog"

#include "config.h"

#include "kdx-catalog.h"

#include "kdx-core-resources.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/relaxng.h>
#include <libxml/xmlreader.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KODEX_NAMESPACE  "urn:kodex:catalog:1"
#define OSCAL_NAMESPACE  "http://csrc.nist.gov/ns/oscal/1.0"
#define XML_NAMESPACE    "http://www.w3.org/XML/1998/namespace"
#define SCHEMA_RESOURCE  "/io/github/kodexapp/Kodex/core/schema/kodex-catalog.rng"
#define SHIPPED_FOLDER   "/io/github/kodexapp/Kodex/core/catalogs/"

/* Elements nest far less in any real catalog (16 levels of requirements
 * and a few of markup); stopping here says so in our words before
 * libxml2's own limit of 256 does in its words. */
#define MAX_ELEMENT_DEPTH 128
/* An OSCAL id is a token; one longer than this is not a control id. */
#define MAX_CODE_LENGTH   256
#define OSCAL_KEY_LENGTH  48

/* Only these: SAFETY.md. Blank text between elements is dropped. */
#define READER_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS)

/* Name-based uuids (RFC 4122 version 5) under this namespace: a shipped
 * catalog and its requirements have the same uuids in every workspace. */
static const guint8 uuid_namespace[16] = {
  0x6b, 0x0d, 0x3c, 0x51, 0x2e, 0x4a, 0x4f, 0x8b,
  0x9c, 0x17, 0x5a, 0xd2, 0x41, 0x60, 0xe3, 0x9f,
};

G_DEFINE_QUARK (kdx-catalog-error-quark, kdx_catalog_error)

/* ------------------------------------------------------------------ */
/* Values                                                             */

void
kdx_catalog_free (KdxCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_free (catalog->uuid);
  g_free (catalog->key);
  g_free (catalog->title_en);
  g_free (catalog->title_de);
  g_free (catalog->version);
  g_free (catalog->source);
  g_free (catalog->source_url);
  g_free (catalog->licence);
  g_free (catalog->legal_status_en);
  g_free (catalog->legal_status_de);
  g_free (catalog->as_of);
  g_free (catalog->format);
  g_free (catalog->imported);
  g_free (catalog);
}

void
kdx_requirement_free (KdxRequirement *requirement)
{
  if (requirement == NULL)
    return;
  g_free (requirement->uuid);
  g_free (requirement->catalog);
  g_free (requirement->code);
  g_free (requirement->label);
  g_free (requirement->parent);
  g_free (requirement->title_en);
  g_free (requirement->title_de);
  g_free (requirement->text_en);
  g_free (requirement->text_de);
  g_free (requirement->applies_from);
  g_free (requirement->legal_status_en);
  g_free (requirement->legal_status_de);
  g_free (requirement);
}

void
kdx_catalog_data_free (KdxCatalogData *data)
{
  if (data == NULL)
    return;
  kdx_catalog_free (data->catalog);
  g_clear_pointer (&data->requirements, g_ptr_array_unref);
  g_free (data);
}

/* Gettext falls back along LANGUAGE until it finds a language Kodex has
 * messages for: German, or English (the source strings). The first of
 * those decides. */
gboolean
kdx_prefer_german (void)
{
  for (const char * const *names = g_get_language_names (); *names != NULL; names++)
    {
      const char *name = *names;

      if (g_str_has_prefix (name, "de") && (name[2] == '\0' || strchr ("_.@", name[2])))
        return TRUE;
      if ((g_str_has_prefix (name, "en") && (name[2] == '\0' || strchr ("_.@", name[2]))) ||
          g_str_equal (name, "C") || g_str_equal (name, "POSIX") ||
          g_str_has_prefix (name, "C."))
        return FALSE;
    }

  return FALSE;
}

static const char *
pick (const char *en,
      const char *de)
{
  if (de != NULL && *de != '\0' && kdx_prefer_german ())
    return de;

  return en;
}

const char *
kdx_catalog_get_title (const KdxCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);

  return pick (catalog->title_en, catalog->title_de);
}

const char *
kdx_catalog_get_legal_status (const KdxCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);

  return pick (catalog->legal_status_en, catalog->legal_status_de);
}

const char *
kdx_requirement_get_title (const KdxRequirement *requirement)
{
  g_return_val_if_fail (requirement != NULL, NULL);

  return pick (requirement->title_en, requirement->title_de);
}

const char *
kdx_requirement_get_text (const KdxRequirement *requirement)
{
  g_return_val_if_fail (requirement != NULL, NULL);

  return pick (requirement->text_en, requirement->text_de);
}

/* The legal status of a requirement in the UI's language, or NULL. */
const char *
kdx_requirement_get_legal_status (const KdxRequirement *requirement)
{
  g_return_val_if_fail (requirement != NULL, NULL);

  return pick (requirement->legal_status_en, requirement->legal_status_de);
}

/* A version 5 uuid of @name under Kodex's namespace. */
static char *
name_uuid (const char *name)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_checksum_update (sha1, uuid_namespace, sizeof uuid_namespace);
  g_checksum_update (sha1, (const guchar *) name, -1);
  g_checksum_get_digest (sha1, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static char *
catalog_uuid (const char *key)
{
  g_autofree char *name = g_strconcat ("catalog:", key, NULL);

  return name_uuid (name);
}

static char *
requirement_uuid (const char *key,
                  const char *code)
{
  g_autofree char *name = g_strconcat ("requirement:", key, "\n", code, NULL);

  return name_uuid (name);
}

/* Whitespace as a reader sees it: runs become one space, none at the
 * ends. With @paragraphs, a blank line still parts paragraphs, which come
 * out separated by one blank line. Returns NULL for no text. */
static char *
normalise_text (const char *text,
                gboolean    paragraphs)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean space = FALSE;
  guint newlines = 0;

  for (const char *p = text; *p; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        {
          space = TRUE;
          if (*p == '\n')
            newlines++;
          continue;
        }
      if (space && out->len > 0)
        g_string_append (out, paragraphs && newlines >= 2 ? "\n\n" : " ");
      space = FALSE;
      newlines = 0;
      g_string_append_c (out, *p);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_code (const char *code)
{
  gsize length = code ? strlen (code) : 0;

  if (length == 0 || length > 64 || !g_ascii_isalnum (code[0]))
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._()-", *p) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
is_date (const char *text)
{
  g_autoptr(GDate) date = NULL;
  guint64 y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  y = g_ascii_strtoull (text, NULL, 10);
  m = g_ascii_strtoull (text + 5, NULL, 10);
  d = g_ascii_strtoull (text + 8, NULL, 10);

  return y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
         g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* ------------------------------------------------------------------ */
/* Reading                                                            */

typedef enum
{
  FRAME_SKIP,         /* its text and its children are ignored */
  FRAME_CONTAINER,    /* structure: its own text is ignored */
  FRAME_TEXT,         /* its text (and its children's) is one value */
  FRAME_REQUIREMENT,
  FRAME_PART,         /* OSCAL: a part of a requirement */
  FRAME_BLOCK,        /* OSCAL: a paragraph, list item, heading … in a part */
  FRAME_INLINE,       /* markup whose text belongs to what it is in */
} FrameKind;

/* Where the text of a FRAME_TEXT goes when it ends. */
typedef enum
{
  TARGET_NONE,
  TARGET_TITLE,
  TARGET_SUMMARY,
  TARGET_LEGAL_STATUS,
  TARGET_SOURCE,
  TARGET_LICENCE,
  TARGET_META_TITLE,
  TARGET_META_VERSION,
  TARGET_META_MODIFIED,
  TARGET_PARAM_LABEL,
  TARGET_PARAM_CHOICE,
  TARGET_PARAM_VALUE,
} Target;

/* A requirement being read. */
typedef struct
{
  KdxRequirement *requirement;   /* owned by the data's array */
  int             line;
  GString        *paragraph;     /* OSCAL: the paragraph being read */
  GPtrArray      *statement;     /* OSCAL: paragraphs of the statement */
  GPtrArray      *other;         /* OSCAL: paragraphs of the other parts */
  gsize           text_length;
  gboolean        has_label;
} Builder;

/* An OSCAL parameter being read. */
typedef struct
{
  char      *id;
  char      *label;
  char      *how_many;
  GPtrArray *choices;
  GPtrArray *values;
} Param;

typedef struct
{
  FrameKind  kind;
  Target     target;
  int        line;
  char      *lang;           /* FRAME_TEXT of Kodex: "en" or "de" */
  GString   *text;           /* FRAME_TEXT: owned */
  GString   *sink;           /* where text goes: own text, or borrowed */
  Builder   *builder;        /* FRAME_REQUIREMENT: owned; PART/BLOCK/INLINE: borrowed */
  Param     *param;          /* a <param>: owned by its frame */
  /* FRAME_PART */
  gboolean   statement;
  char      *prefix;         /* the part's label, for its first paragraph */
  int        heading;        /* index of its heading in builder->other, or -1 */
  guint      n_before;       /* paragraphs before it began */
  /* FRAME_BLOCK: the title of a part that has a heading */
  gboolean   part_title;
} Frame;

typedef struct
{
  xmlTextReaderPtr  reader;
  GBytes           *bytes;     /* borrowed: the document */
  KdxCatalogFormat  format;
  /* The first thing wrong; reading stops there. */
  GString          *first_error;
  int               first_error_line;
  int               first_error_domain;
  KdxCatalogError   first_error_code;
  gboolean          saw_doctype;
  gboolean          saw_root;
  int               root_line;
  KdxCatalogData   *data;
  GArray           *frames;    /* Frame */
  GHashTable       *codes;     /* code → first line */
  GHashTable       *params;    /* OSCAL: id → text an insert shows */
  char             *oscal_uuid;
  guint             n_groups;
} Parser;

/* first_error_domain of an error that the reader found itself. */
#define OWN_ERROR (-1)

static void
builder_free (Builder *builder)
{
  if (builder == NULL)
    return;
  if (builder->paragraph)
    g_string_free (builder->paragraph, TRUE);
  g_clear_pointer (&builder->statement, g_ptr_array_unref);
  g_clear_pointer (&builder->other, g_ptr_array_unref);
  g_free (builder);
}

static void
param_free (Param *param)
{
  if (param == NULL)
    return;
  g_free (param->id);
  g_free (param->label);
  g_free (param->how_many);
  g_clear_pointer (&param->choices, g_ptr_array_unref);
  g_clear_pointer (&param->values, g_ptr_array_unref);
  g_free (param);
}

static void
frame_clear (Frame *frame)
{
  g_free (frame->lang);
  if (frame->text)
    g_string_free (frame->text, TRUE);
  if (frame->kind == FRAME_REQUIREMENT)
    builder_free (frame->builder);
  param_free (frame->param);
  g_free (frame->prefix);
}

static void
parser_clear (Parser *parser)
{
  if (parser->first_error)
    g_string_free (parser->first_error, TRUE);
  if (parser->frames)
    {
      for (guint i = 0; i < parser->frames->len; i++)
        frame_clear (&g_array_index (parser->frames, Frame, i));
      g_array_unref (parser->frames);
    }
  g_clear_pointer (&parser->codes, g_hash_table_unref);
  g_clear_pointer (&parser->params, g_hash_table_unref);
  g_clear_pointer (&parser->data, kdx_catalog_data_free);
  g_free (parser->oscal_uuid);
}

/* Notes the first thing wrong with the file; reading stops there. */
static void
parser_error (Parser          *parser,
              KdxCatalogError  code,
              int              line,
              const char      *what)
{
  if (parser->first_error != NULL)
    return;

  parser->first_error = g_string_new (what);
  parser->first_error_line = line;
  parser->first_error_domain = OWN_ERROR;
  parser->first_error_code = code;
}

/* A node's line: libxml2 keeps 16 bits of it in an element, so beyond
 * that the parser's position stands in (it is at most a little ahead). */
static int
current_line (Parser *parser)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (parser->reader);
  long line = node ? xmlGetLineNo (node) : -1;

  if (line <= 0 || line >= 65535)
    line = MAX (line, xmlTextReaderGetParserLineNumber (parser->reader));

  return (int) MAX (line, 0);
}

static void
structured_error_cb (void        *user_data,
                     xmlErrorPtr  err)
{
  Parser *parser = user_data;
  int line;

  if (parser->first_error != NULL || err == NULL || err->level == XML_ERR_WARNING)
    return;

  line = err->line;
  if (err->node != NULL && ((xmlNodePtr) err->node)->type == XML_ELEMENT_NODE)
    {
      long node_line = xmlGetLineNo (err->node);

      if (node_line > 0 && node_line < 65535)
        line = (int) node_line;
      else if (line <= 0)
        line = xmlTextReaderGetParserLineNumber (parser->reader);
    }

  parser->first_error = g_string_new (err->message ? err->message : "?");
  g_strstrip (parser->first_error->str);
  parser->first_error->len = strlen (parser->first_error->str);
  parser->first_error_line = line;
  parser->first_error_domain = err->domain;
  parser->first_error_code = KDX_CATALOG_ERROR_MALFORMED;

  /* An error inside or caused by a DOCTYPE (an undefined entity, say):
   * the document is refused for its DOCTYPE. */
  if (err->domain == XML_FROM_PARSER && err->ctxt != NULL)
    {
      xmlParserCtxtPtr ctxt = err->ctxt;

      if (ctxt->inSubset != 0 ||
          (ctxt->myDoc != NULL &&
           (ctxt->myDoc->intSubset != NULL || ctxt->myDoc->extSubset != NULL)))
        parser->saw_doctype = TRUE;
    }
  /* libxml2's message for this names a parser option Kodex never uses. */
  if (err->domain == XML_FROM_PARSER && err->code == XML_ERR_INTERNAL_ERROR &&
      err->message != NULL && strstr (err->message, "depth") != NULL)
    {
      g_string_printf (parser->first_error, _("the elements are nested more than %d levels deep"),
                       MAX_ELEMENT_DEPTH);
      parser->first_error_domain = OWN_ERROR;
      parser->first_error_code = KDX_CATALOG_ERROR_TOO_LARGE;
    }
}

static void
set_line_error (GError     **error,
                int          code,
                int          line,
                const char  *what)
{
  if (line > 0)
    /* Translators: a line number, then what is wrong there */
    g_set_error (error, KDX_CATALOG_ERROR, code, _("Line %d: %s"), line, what);
  else
    g_set_error_literal (error, KDX_CATALOG_ERROR, code, what);
}

static char *
get_attribute (xmlTextReaderPtr  reader,
               const char       *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, BAD_CAST name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

static char *
token_attribute (xmlTextReaderPtr  reader,
                 const char       *name)
{
  char *value = get_attribute (reader, name);

  if (value != NULL)
    g_strstrip (value);
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);

  return value;
}

static Frame *
top_frame (Parser *parser)
{
  if (parser->frames->len == 0)
    return NULL;

  return &g_array_index (parser->frames, Frame, parser->frames->len - 1);
}

/* The innermost requirement being read, or NULL. */
static Builder *
current_builder (Parser *parser)
{
  for (guint i = parser->frames->len; i > 0; i--)
    {
      Frame *frame = &g_array_index (parser->frames, Frame, i - 1);

      if (frame->kind == FRAME_REQUIREMENT)
        return frame->builder;
    }

  return NULL;
}

/* The innermost part being read, or NULL. */
static Frame *
current_part (Parser *parser)
{
  for (guint i = parser->frames->len; i > 0; i--)
    {
      Frame *frame = &g_array_index (parser->frames, Frame, i - 1);

      if (frame->kind == FRAME_PART)
        return frame;
      if (frame->kind == FRAME_REQUIREMENT)
        return NULL;
    }

  return NULL;
}

static Frame *
push_frame (Parser    *parser,
            FrameKind  kind)
{
  Frame frame = { 0, };

  frame.kind = kind;
  frame.line = current_line (parser);
  frame.heading = -1;
  /* The array never grows beyond what kdx_catalog_parse() reserved (the
   * depth is limited), so pointers to frames stay valid across a push. */
  g_assert (parser->frames->len < MAX_ELEMENT_DEPTH + 1);
  g_array_append_val (parser->frames, frame);

  return top_frame (parser);
}

static Frame *
push_text_frame (Parser *parser,
                 Target  target)
{
  Frame *frame = push_frame (parser, FRAME_TEXT);

  frame->target = target;
  frame->text = g_string_new (NULL);
  frame->sink = frame->text;

  return frame;
}

/* Adds text to what is being read, within the limit on texts. */
static void
append_text (Parser     *parser,
             const char *text)
{
  Frame *frame = top_frame (parser);
  Builder *builder;
  gsize length;

  if (frame == NULL || frame->sink == NULL || text == NULL)
    return;

  length = strlen (text);
  builder = frame->kind == FRAME_TEXT ? NULL : frame->builder;
  if (frame->sink->len + length > KDX_CATALOG_MAX_TEXT ||
      (builder != NULL && builder->text_length + frame->sink->len + length > KDX_CATALOG_MAX_TEXT))
    {
      g_autofree char *what = g_strdup_printf (_("a text is longer than %d KiB"),
                                               KDX_CATALOG_MAX_TEXT / 1024);

      parser_error (parser, KDX_CATALOG_ERROR_TOO_LARGE, current_line (parser), what);
      return;
    }
  g_string_append_len (frame->sink, text, (gssize) length);
}

/* A new requirement at the current element, child of the innermost one
 * being read; NULL (and the error noted) when it breaks a limit or its
 * code is taken. */
static Builder *
begin_requirement (Parser *parser,
                   char   *code)
{
  g_autofree char *owned_code = code;
  KdxRequirement *requirement;
  Builder *parent = current_builder (parser);
  Builder *builder;
  int line = current_line (parser);
  gpointer first_line;

  if (parser->data->requirements->len >= KDX_CATALOG_MAX_REQUIREMENTS)
    {
      g_autofree char *what = g_strdup_printf (_("the catalog has more than %d requirements"),
                                               KDX_CATALOG_MAX_REQUIREMENTS);

      parser_error (parser, KDX_CATALOG_ERROR_TOO_LARGE, line, what);
      return NULL;
    }
  if (parent != NULL && parent->requirement->depth + 1 >= KDX_CATALOG_MAX_DEPTH)
    {
      g_autofree char *what = g_strdup_printf (_("requirements are nested more than %d levels deep"),
                                               KDX_CATALOG_MAX_DEPTH);

      parser_error (parser, KDX_CATALOG_ERROR_TOO_LARGE, line, what);
      return NULL;
    }
  if (g_hash_table_lookup_extended (parser->codes, owned_code, NULL, &first_line))
    {
      g_autofree char *what = NULL;

      /* Translators: a requirement's id, then the line where it was first used */
      what = g_strdup_printf (_("the id “%s” is used a second time (first on line %d); "
                                "each requirement needs an id of its own"),
                              owned_code, GPOINTER_TO_INT (first_line));
      parser_error (parser, KDX_CATALOG_ERROR_DUPLICATE, line, what);
      return NULL;
    }
  g_hash_table_insert (parser->codes, g_strdup (owned_code), GINT_TO_POINTER (line));

  requirement = g_new0 (KdxRequirement, 1);
  requirement->code = g_steal_pointer (&owned_code);
  requirement->position = parser->data->requirements->len;
  if (parent != NULL)
    {
      requirement->parent = g_strdup (parent->requirement->code);
      requirement->depth = parent->requirement->depth + 1;
    }
  g_ptr_array_add (parser->data->requirements, requirement);

  builder = g_new0 (Builder, 1);
  builder->requirement = requirement;
  builder->line = line;

  return builder;
}

/* Kodex ------------------------------------------------------------ */

static Target
kodex_text_target (const char *name)
{
  if (g_str_equal (name, "title"))
    return TARGET_TITLE;
  if (g_str_equal (name, "summary"))
    return TARGET_SUMMARY;
  if (g_str_equal (name, "legal-status"))
    return TARGET_LEGAL_STATUS;
  if (g_str_equal (name, "source"))
    return TARGET_SOURCE;
  if (g_str_equal (name, "licence"))
    return TARGET_LICENCE;

  return TARGET_NONE;
}

static void
kodex_start (Parser     *parser,
             const char *name)
{
  xmlTextReaderPtr reader = parser->reader;
  KdxCatalog *catalog = parser->data->catalog;
  Frame *parent = top_frame (parser);
  Target target;

  if (parent == NULL)
    {
      push_frame (parser, FRAME_CONTAINER);
      catalog->key = token_attribute (reader, "id");
      catalog->version = token_attribute (reader, "version");
      catalog->as_of = token_attribute (reader, "as-of");
      return;
    }
  if (parent->kind != FRAME_CONTAINER && parent->kind != FRAME_REQUIREMENT)
    {
      push_frame (parser, FRAME_SKIP);
      return;
    }

  if (g_str_equal (name, "requirement"))
    {
      Builder *builder = begin_requirement (parser, token_attribute (reader, "id"));
      Frame *frame;

      if (builder == NULL)
        {
          push_frame (parser, FRAME_SKIP);
          return;
        }
      g_autofree char *label = get_attribute (reader, "label");

      frame = push_frame (parser, FRAME_REQUIREMENT);
      frame->builder = builder;
      builder->requirement->label = label ? normalise_text (label, FALSE) : NULL;
      builder->requirement->applies_from = token_attribute (reader, "applies-from");
      return;
    }

  target = kodex_text_target (name);
  if (target == TARGET_NONE)
    {
      push_frame (parser, FRAME_SKIP);
      return;
    }

  {
    Frame *frame = push_text_frame (parser, target);
    xmlChar *lang = xmlTextReaderGetAttributeNs (reader, BAD_CAST "lang", BAD_CAST XML_NAMESPACE);

    frame->lang = g_strdup ((const char *) lang);
    xmlFree (lang);
    if (target == TARGET_SOURCE)
      catalog->source_url = token_attribute (reader, "url");
  }
}

/* Stores @value in @field, or notes that the file gave it twice. */
static void
set_once (Parser     *parser,
          char      **field,
          char       *value,
          Frame      *frame,
          const char *name)
{
  if (*field != NULL)
    {
      g_autofree char *what = NULL;

      /* Translators: an element of the catalog file, as <title>, and a
       * language code */
      what = g_strdup_printf (_("<%s> is given twice in the language “%s”"), name,
                              frame->lang ? frame->lang : "");
      parser_error (parser, KDX_CATALOG_ERROR_MALFORMED, frame->line, what);
      g_free (value);
      return;
    }
  *field = value;
}

static void
kodex_end_text (Parser     *parser,
                Frame      *frame,
                const char *name)
{
  KdxCatalog *catalog = parser->data->catalog;
  Builder *builder = current_builder (parser);
  gboolean de = g_strcmp0 (frame->lang, "de") == 0;
  char *value = normalise_text (frame->text->str, frame->target != TARGET_TITLE);

  switch (frame->target)
    {
    case TARGET_TITLE:
      if (builder != NULL)
        set_once (parser, de ? &builder->requirement->title_de : &builder->requirement->title_en,
                  value, frame, name);
      else
        set_once (parser, de ? &catalog->title_de : &catalog->title_en, value, frame, name);
      break;
    case TARGET_SUMMARY:
      if (builder != NULL)
        set_once (parser, de ? &builder->requirement->text_de : &builder->requirement->text_en,
                  value, frame, name);
      else
        g_free (value);
      break;
    case TARGET_LEGAL_STATUS:
      if (builder != NULL)
        set_once (parser,
                  de ? &builder->requirement->legal_status_de
                     : &builder->requirement->legal_status_en,
                  value, frame, name);
      else
        set_once (parser, de ? &catalog->legal_status_de : &catalog->legal_status_en,
                  value, frame, name);
      break;
    case TARGET_SOURCE:
      g_free (catalog->source);
      catalog->source = value;
      break;
    case TARGET_LICENCE:
      g_free (catalog->licence);
      catalog->licence = value;
      break;
    default:
      g_free (value);
      break;
    }
}

static void
kodex_end_requirement (Parser  *parser,
                       Builder *builder)
{
  KdxRequirement *requirement = builder->requirement;

  if (requirement->title_en == NULL)
    {
      g_autofree char *what = NULL;

      what = g_strdup_printf (_("the requirement “%s” has no English title "
                                "(<title xml:lang=\"en\">)"), requirement->code);
      parser_error (parser, KDX_CATALOG_ERROR_MALFORMED, builder->line, what);
      return;
    }
  if (requirement->label == NULL)
    requirement->label = g_strdup (requirement->code);
}

/* OSCAL ------------------------------------------------------------ */

static const char *block_elements[] = {
  "p", "ul", "ol", "li", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
  "pre", "blockquote", "dl", "dt", "dd", NULL,
};

static gboolean
is_block (const char *name)
{
  return g_strv_contains (block_elements, name);
}

/* The paragraph being read ends: it joins the requirement's text. */
static void
flush_paragraph (Parser  *parser,
                 Builder *builder)
{
  Frame *part;
  g_autofree char *text = NULL;
  GPtrArray *into;

  if (builder == NULL || builder->paragraph == NULL || builder->paragraph->len == 0)
    return;

  text = normalise_text (builder->paragraph->str, FALSE);
  g_string_truncate (builder->paragraph, 0);
  if (text == NULL)
    return;

  part = current_part (parser);
  if (part != NULL && part->prefix != NULL)
    {
      char *prefixed = g_strconcat (part->prefix, " ", text, NULL);

      g_free (text);
      text = prefixed;
      g_clear_pointer (&part->prefix, g_free);
    }

  into = part != NULL && part->statement ? builder->statement : builder->other;
  builder->text_length += strlen (text) + 2;
  if (builder->text_length > KDX_CATALOG_MAX_TEXT)
    {
      g_autofree char *what = g_strdup_printf (_("a text is longer than %d KiB"),
                                               KDX_CATALOG_MAX_TEXT / 1024);

      parser_error (parser, KDX_CATALOG_ERROR_TOO_LARGE, current_line (parser), what);
      return;
    }
  g_ptr_array_add (into, g_steal_pointer (&text));
}

/* "assessment-objective" → "Assessment objective" */
static char *
part_heading (const char *name)
{
  char *heading = g_strdup (name);

  for (char *p = heading; *p; p++)
    if (*p == '-' || *p == '_')
      *p = ' ';
  heading[0] = g_ascii_toupper (heading[0]);

  return heading;
}

/* What an <insert type="param" id-ref="…"/> reads as. */
static char *
param_text (Param *param)
{
  if (param->values != NULL && param->values->len > 0)
    {
      g_ptr_array_add (param->values, NULL);
      g_autofree char *values = g_strjoinv (", ", (char **) param->values->pdata);

      g_ptr_array_remove_index (param->values, param->values->len - 1);
      return g_strdup (values);
    }
  if (param->choices != NULL && param->choices->len > 0)
    {
      g_autofree char *choices = NULL;

      g_ptr_array_add (param->choices, NULL);
      choices = g_strjoinv ("; ", (char **) param->choices->pdata);
      g_ptr_array_remove_index (param->choices, param->choices->len - 1);
      if (g_strcmp0 (param->how_many, "one-or-more") == 0)
        return g_strdup_printf ("[Selection (one or more): %s]", choices);
      return g_strdup_printf ("[Selection: %s]", choices);
    }
  if (param->label != NULL)
    return g_strdup_printf ("[Assignment: %s]", param->label);

  return g_strdup_printf ("[%s]", param->id);
}

static void
oscal_insert (Parser *parser)
{
  g_autofree char *type = token_attribute (parser->reader, "type");
  g_autofree char *ref = token_attribute (parser->reader, "id-ref");
  const char *text;

  if (ref == NULL || (type != NULL && !g_str_equal (type, "param")))
    return;

  text = g_hash_table_lookup (parser->params, ref);
  if (text != NULL)
    append_text (parser, text);
  else
    {
      g_autofree char *placeholder = g_strdup_printf ("[%s]", ref);

      append_text (parser, placeholder);
    }
}

/* Which frame an OSCAL element below @parent opens. */
static void
oscal_start (Parser     *parser,
             const char *name,
             gboolean    in_oscal)
{
  xmlTextReaderPtr reader = parser->reader;
  Frame *parent = top_frame (parser);
  Frame *frame;

  if (parent == NULL)
    {
      push_frame (parser, FRAME_CONTAINER)->target = TARGET_NONE;
      parser->oscal_uuid = token_attribute (reader, "uuid");
      return;
    }

  switch (parent->kind)
    {
    case FRAME_SKIP:
      push_frame (parser, FRAME_SKIP);
      return;

    case FRAME_TEXT:
    case FRAME_INLINE:
    case FRAME_BLOCK:
    case FRAME_PART:
      break;

    case FRAME_CONTAINER:
    case FRAME_REQUIREMENT:
    default:
      if (!in_oscal)
        {
          push_frame (parser, FRAME_SKIP);
          return;
        }
      break;
    }

  /* Inside text: markup keeps its text, blocks part paragraphs. */
  if (parent->kind == FRAME_TEXT || parent->kind == FRAME_INLINE ||
      parent->kind == FRAME_BLOCK || parent->kind == FRAME_PART)
    {
      Builder *builder = parent->builder;

      if (parent->kind == FRAME_PART && in_oscal && g_str_equal (name, "part"))
        {
          flush_paragraph (parser, builder);
          frame = push_frame (parser, FRAME_PART);
          frame->builder = builder;
          frame->sink = builder->paragraph;
          frame->statement = parent->statement;
          return;
        }
      if (parent->kind == FRAME_PART && in_oscal && g_str_equal (name, "prop"))
        {
          g_autofree char *prop = token_attribute (reader, "name");
          g_autofree char *prop_ns = token_attribute (reader, "ns");

          if (g_strcmp0 (prop, "label") == 0 && parent->prefix == NULL && prop_ns == NULL)
            parent->prefix = token_attribute (reader, "value");
          push_frame (parser, FRAME_SKIP);
          return;
        }
      if (parent->kind == FRAME_PART && in_oscal &&
          (g_str_equal (name, "link") || g_str_equal (name, "prop")))
        {
          push_frame (parser, FRAME_SKIP);
          return;
        }
      if (parent->kind != FRAME_TEXT && parent->kind != FRAME_INLINE && in_oscal &&
          (is_block (name) || g_str_equal (name, "title")))
        {
          flush_paragraph (parser, builder);
          frame = push_frame (parser, FRAME_BLOCK);
          frame->builder = builder;
          frame->sink = builder->paragraph;
          frame->part_title = parent->kind == FRAME_PART && g_str_equal (name, "title") &&
                              parent->heading >= 0;
          return;
        }

      frame = push_frame (parser, FRAME_INLINE);
      frame->builder = builder;
      frame->sink = parent->sink;
      if (in_oscal && g_str_equal (name, "insert"))
        oscal_insert (parser);
      return;
    }

  /* Structure. */
  if (parent->kind == FRAME_CONTAINER && parent->target == TARGET_META_TITLE)
    {
      /* metadata */
      if (g_str_equal (name, "title"))
        push_text_frame (parser, TARGET_META_TITLE);
      else if (g_str_equal (name, "version"))
        push_text_frame (parser, TARGET_META_VERSION);
      else if (g_str_equal (name, "last-modified"))
        push_text_frame (parser, TARGET_META_MODIFIED);
      else
        push_frame (parser, FRAME_SKIP);
      return;
    }

  if (parent->param != NULL)
    {
      /* param, or its select */
      if (g_str_equal (name, "label"))
        push_text_frame (parser, TARGET_PARAM_LABEL);
      else if (g_str_equal (name, "value"))
        push_text_frame (parser, TARGET_PARAM_VALUE);
      else if (g_str_equal (name, "choice"))
        push_text_frame (parser, TARGET_PARAM_CHOICE);
      else if (g_str_equal (name, "select"))
        {
          g_free (parent->param->how_many);
          parent->param->how_many = token_attribute (reader, "how-many");
          /* The select reads into the same param: it is borrowed. */
          frame = push_frame (parser, FRAME_CONTAINER);
          frame->param = NULL;
          frame->target = TARGET_PARAM_CHOICE;
        }
      else
        push_frame (parser, FRAME_SKIP);
      return;
    }
  if (parent->kind == FRAME_CONTAINER && parent->target == TARGET_PARAM_CHOICE)
    {
      if (g_str_equal (name, "choice"))
        push_text_frame (parser, TARGET_PARAM_CHOICE);
      else
        push_frame (parser, FRAME_SKIP);
      return;
    }

  if (parent->kind == FRAME_CONTAINER && parser->frames->len == 1 &&
      g_str_equal (name, "metadata"))
    {
      push_frame (parser, FRAME_CONTAINER)->target = TARGET_META_TITLE;
      return;
    }

  if (g_str_equal (name, "group") || g_str_equal (name, "control"))
    {
      g_autofree char *id = token_attribute (reader, "id");
      Builder *builder;

      if (id == NULL && g_str_equal (name, "group"))
        id = g_strdup_printf ("group-%u", parser->n_groups + 1);
      if (g_str_equal (name, "group"))
        parser->n_groups++;
      if (id == NULL || strlen (id) > MAX_CODE_LENGTH)
        {
          parser_error (parser, KDX_CATALOG_ERROR_MALFORMED, current_line (parser),
                        id == NULL ? _("a control has no id")
                                   : _("a control’s id is too long"));
          push_frame (parser, FRAME_SKIP);
          return;
        }
      builder = begin_requirement (parser, g_steal_pointer (&id));
      if (builder == NULL)
        {
          push_frame (parser, FRAME_SKIP);
          return;
        }
      builder->paragraph = g_string_new (NULL);
      builder->statement = g_ptr_array_new_with_free_func (g_free);
      builder->other = g_ptr_array_new_with_free_func (g_free);
      frame = push_frame (parser, FRAME_REQUIREMENT);
      frame->builder = builder;
      return;
    }

  if (g_str_equal (name, "param"))
    {
      frame = push_frame (parser, FRAME_CONTAINER);
      frame->param = g_new0 (Param, 1);
      frame->param->id = token_attribute (reader, "id");
      return;
    }

  if (parent->kind == FRAME_REQUIREMENT)
    {
      Builder *builder = parent->builder;

      if (g_str_equal (name, "title"))
        {
          push_text_frame (parser, TARGET_TITLE);
          return;
        }
      if (g_str_equal (name, "prop"))
        {
          g_autofree char *prop = token_attribute (reader, "name");
          g_autofree char *ns = token_attribute (reader, "ns");

          /* The first label; one of another namespace only while there is
           * no plain one (NIST also labels "AC-01" for SP 800-53A). */
          if (g_strcmp0 (prop, "label") == 0 &&
              (ns == NULL ? !builder->has_label : builder->requirement->label == NULL))
            {
              g_autofree char *raw = get_attribute (reader, "value");
              char *value = raw ? normalise_text (raw, FALSE) : NULL;

              if (value != NULL)
                {
                  g_free (builder->requirement->label);
                  builder->requirement->label = value;
                  builder->has_label = ns == NULL;
                }
            }
          push_frame (parser, FRAME_SKIP);
          return;
        }
      if (g_str_equal (name, "part"))
        {
          g_autofree char *part = token_attribute (reader, "name");

          frame = push_frame (parser, FRAME_PART);
          frame->builder = builder;
          frame->sink = builder->paragraph;
          frame->statement = g_strcmp0 (part, "statement") == 0;
          frame->n_before = builder->other->len;
          if (!frame->statement && part != NULL)
            {
              char *heading = part_heading (part);

              frame->heading = (int) builder->other->len;
              builder->text_length += strlen (heading) + 2;
              g_ptr_array_add (builder->other, heading);
            }
          return;
        }
    }

  push_frame (parser, FRAME_SKIP);
}

static char *
join_paragraphs (Builder *builder)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < builder->statement->len; i++)
    {
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, g_ptr_array_index (builder->statement, i));
    }
  for (guint i = 0; i < builder->other->len; i++)
    {
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, g_ptr_array_index (builder->other, i));
    }

  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }

  return g_string_free (text, FALSE);
}

static void
oscal_end (Parser *parser,
           Frame  *frame)
{
  Frame *parent = parser->frames->len >= 2
                  ? &g_array_index (parser->frames, Frame, parser->frames->len - 2)
                  : NULL;
  KdxCatalog *catalog = parser->data->catalog;

  switch (frame->kind)
    {
    case FRAME_TEXT:
      {
        g_autofree char *value = normalise_text (frame->text->str, FALSE);
        Builder *builder = current_builder (parser);
        Param *param = parent != NULL ? parent->param : NULL;

        /* A choice inside a <select> belongs to the param around it. */
        if (param == NULL && parent != NULL && parent->target == TARGET_PARAM_CHOICE &&
            parser->frames->len >= 3)
          param = g_array_index (parser->frames, Frame, parser->frames->len - 3).param;

        switch (frame->target)
          {
          case TARGET_META_TITLE:
            if (catalog->title_en == NULL)
              catalog->title_en = g_steal_pointer (&value);
            break;
          case TARGET_META_VERSION:
            g_free (catalog->version);
            catalog->version = g_steal_pointer (&value);
            break;
          case TARGET_META_MODIFIED:
            if (value != NULL && strlen (value) >= 10)
              {
                value[10] = '\0';
                if (is_date (value))
                  {
                    g_free (catalog->as_of);
                    catalog->as_of = g_steal_pointer (&value);
                  }
              }
            break;
          case TARGET_TITLE:
            if (builder != NULL && builder->requirement->title_en == NULL)
              builder->requirement->title_en = g_steal_pointer (&value);
            break;
          case TARGET_PARAM_LABEL:
            if (param != NULL && param->label == NULL)
              param->label = g_steal_pointer (&value);
            break;
          case TARGET_PARAM_CHOICE:
            if (param != NULL && value != NULL)
              {
                if (param->choices == NULL)
                  param->choices = g_ptr_array_new_with_free_func (g_free);
                g_ptr_array_add (param->choices, g_steal_pointer (&value));
              }
            break;
          case TARGET_PARAM_VALUE:
            if (param != NULL && value != NULL)
              {
                if (param->values == NULL)
                  param->values = g_ptr_array_new_with_free_func (g_free);
                g_ptr_array_add (param->values, g_steal_pointer (&value));
              }
            break;
          default:
            break;
          }
      }
      break;

    case FRAME_CONTAINER:
      if (frame->param != NULL && frame->param->id != NULL)
        g_hash_table_replace (parser->params, g_strdup (frame->param->id),
                              param_text (frame->param));
      break;

    case FRAME_BLOCK:
      if (frame->part_title && parent != NULL && parent->heading >= 0)
        {
          g_autofree char *title = normalise_text (frame->builder->paragraph->str, FALSE);

          g_string_truncate (frame->builder->paragraph, 0);
          if (title != NULL)
            {
              g_free (frame->builder->other->pdata[parent->heading]);
              frame->builder->other->pdata[parent->heading] = g_steal_pointer (&title);
            }
        }
      else
        flush_paragraph (parser, frame->builder);
      break;

    case FRAME_PART:
      flush_paragraph (parser, frame->builder);
      /* A heading over nothing goes again. */
      if (frame->heading >= 0 && frame->builder->other->len == (guint) frame->heading + 1)
        {
          const char *heading = g_ptr_array_index (frame->builder->other, (guint) frame->heading);

          frame->builder->text_length -= MIN (frame->builder->text_length, strlen (heading) + 2);
          g_ptr_array_remove_index (frame->builder->other, (guint) frame->heading);
        }
      break;

    case FRAME_REQUIREMENT:
      {
        Builder *builder = frame->builder;
        KdxRequirement *requirement = builder->requirement;

        flush_paragraph (parser, builder);
        if (requirement->label == NULL)
          requirement->label = g_strdup (requirement->code);
        if (requirement->title_en == NULL)
          requirement->title_en = g_strdup (requirement->label);
        requirement->text_en = join_paragraphs (builder);
      }
      break;

    case FRAME_SKIP:
    case FRAME_INLINE:
    default:
      break;
    }
}

/* The reading loop --------------------------------------------------- */

static void
handle_start (Parser *parser)
{
  xmlTextReaderPtr reader = parser->reader;
  const char *name = (const char *) xmlTextReaderConstLocalName (reader);
  const char *ns = (const char *) xmlTextReaderConstNamespaceUri (reader);

  if (xmlTextReaderDepth (reader) >= MAX_ELEMENT_DEPTH)
    {
      g_autofree char *what = g_strdup_printf (_("the elements are nested more than %d levels deep"),
                                               MAX_ELEMENT_DEPTH);

      parser_error (parser, KDX_CATALOG_ERROR_TOO_LARGE, current_line (parser), what);
      return;
    }

  if (parser->format == KDX_CATALOG_FORMAT_KODEX)
    {
      if (g_strcmp0 (ns, KODEX_NAMESPACE) != 0)
        push_frame (parser, FRAME_SKIP);
      else
        kodex_start (parser, name);
    }
  else
    oscal_start (parser, name, g_strcmp0 (ns, OSCAL_NAMESPACE) == 0);
}

static void
handle_end (Parser *parser)
{
  Frame *frame = top_frame (parser);
  const char *name = (const char *) xmlTextReaderConstLocalName (parser->reader);

  if (frame == NULL)
    return;

  if (parser->format == KDX_CATALOG_FORMAT_KODEX)
    {
      if (frame->kind == FRAME_TEXT)
        kodex_end_text (parser, frame, name);
      else if (frame->kind == FRAME_REQUIREMENT)
        kodex_end_requirement (parser, frame->builder);
    }
  else
    oscal_end (parser, frame);

  frame_clear (frame);
  g_array_set_size (parser->frames, parser->frames->len - 1);
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
    g_set_error_literal (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_UNSUPPORTED,
                         "The catalog schema is broken");

  return schema;
}

/* The line of the DOCTYPE: the parser has read on by then, so its own
 * position would point past it. Found in the bytes when the encoding is
 * ASCII-compatible; otherwise the parser's line stands. */
static int
doctype_line (Parser *parser,
              int     fallback)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (parser->bytes, &size);
  const char *at = g_strstr_len (data, (gssize) size, "<!DOCTYPE");
  int line = 1;

  if (at == NULL)
    return fallback;
  for (const char *p = data; p < at; p++)
    if (*p == '\n')
      line++;

  return line;
}

static void
forbidden_error (Parser  *parser,
                 GError **error,
                 int      line)
{
  line = doctype_line (parser, line);
  set_line_error (error, KDX_CATALOG_ERROR_FORBIDDEN, line,
                  _("the file contains a document type declaration or an entity, which Kodex "
                    "never reads; nothing was imported"));
}

/* The error noted while reading, as a GError. */
static void
report_error (Parser  *parser,
              GError **error)
{
  g_autofree char *what = NULL;

  if (parser->saw_doctype)
    {
      forbidden_error (parser, error, parser->first_error_line);
      return;
    }

  switch (parser->first_error_domain)
    {
    case OWN_ERROR:
      what = g_strdup (parser->first_error->str);
      break;
    case XML_FROM_RELAXNGV:
    case XML_FROM_RELAXNGP:
      /* Translators: the detail is libxml2's, in English */
      what = g_strdup_printf (_("the file does not follow the Kodex catalog schema (%s)"),
                              parser->first_error->str);
      break;
    default:
      /* Translators: the detail is libxml2's, in English */
      what = g_strdup_printf (_("the file is not well-formed XML (%s)"),
                              parser->first_error->str);
      break;
    }

  set_line_error (error, parser->first_error_code, parser->first_error_line, what);
}

/* Reads up to the root element: its namespace tells the format. A
 * DOCTYPE, which comes before it, is refused here. */
static gboolean
detect_format (GBytes            *bytes,
               KdxCatalogFormat  *format,
               GError           **error)
{
  Parser parser = { 0, };
  g_autofree char *root = NULL;
  g_autofree char *ns = NULL;
  KdxCatalogFormat found = KDX_CATALOG_FORMAT_AUTO;
  gboolean ok = FALSE;
  int rc;

  parser.bytes = bytes;
  parser.reader = xmlReaderForMemory (g_bytes_get_data (bytes, NULL),
                                      (int) g_bytes_get_size (bytes), NULL, NULL,
                                      READER_OPTIONS);
  if (parser.reader == NULL)
    {
      g_set_error_literal (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_MALFORMED,
                           _("The file is empty or cannot be read as XML"));
      return FALSE;
    }
  xmlTextReaderSetStructuredErrorHandler (parser.reader, structured_error_cb, &parser);

  while ((rc = xmlTextReaderRead (parser.reader)) == 1 && parser.first_error == NULL)
    {
      int type = xmlTextReaderNodeType (parser.reader);

      if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
          type == XML_READER_TYPE_ENTITY)
        {
          forbidden_error (&parser, error, xmlTextReaderGetParserLineNumber (parser.reader));
          goto out;
        }
      if (type == XML_READER_TYPE_ELEMENT)
        {
          root = g_strdup ((const char *) xmlTextReaderConstLocalName (parser.reader));
          ns = g_strdup ((const char *) xmlTextReaderConstNamespaceUri (parser.reader));
          parser.root_line = current_line (&parser);
          break;
        }
    }

  if (parser.first_error != NULL || parser.saw_doctype)
    {
      report_error (&parser, error);
      goto out;
    }
  if (root == NULL)
    {
      set_line_error (error, KDX_CATALOG_ERROR_MALFORMED,
                      xmlTextReaderGetParserLineNumber (parser.reader),
                      _("the file is not well-formed XML (it has no root element)"));
      goto out;
    }

  if (g_str_equal (root, "catalog") && g_strcmp0 (ns, KODEX_NAMESPACE) == 0)
    found = KDX_CATALOG_FORMAT_KODEX;
  else if (g_str_equal (root, "catalog") && g_strcmp0 (ns, OSCAL_NAMESPACE) == 0)
    found = KDX_CATALOG_FORMAT_OSCAL;

  if (found != KDX_CATALOG_FORMAT_AUTO && *format != KDX_CATALOG_FORMAT_AUTO && found != *format)
    {
      set_line_error (error, KDX_CATALOG_ERROR_UNSUPPORTED, parser.root_line,
                      found == KDX_CATALOG_FORMAT_OSCAL
                      ? _("this is an OSCAL catalog, not a Kodex catalog")
                      : _("this is a Kodex catalog, not an OSCAL catalog"));
      goto out;
    }
  *format = found;

  if (*format == KDX_CATALOG_FORMAT_AUTO)
    {
      g_autofree char *what = NULL;

      if (g_strcmp0 (ns, OSCAL_NAMESPACE) == 0)
        /* Translators: the root element of an OSCAL file, as "profile" */
        what = g_strdup_printf (_("this is an OSCAL “%s”, not an OSCAL catalog; Kodex imports "
                                  "Kodex catalogs and OSCAL catalogs"), root);
      else
        /* Translators: an XML element name and its namespace */
        what = g_strdup_printf (_("this is neither a Kodex catalog nor an OSCAL catalog "
                                  "(its root element is “%s” in the namespace “%s”)"),
                                root, ns ? ns : "");
      set_line_error (error, KDX_CATALOG_ERROR_UNSUPPORTED, parser.root_line, what);
      goto out;
    }

  ok = TRUE;

out:
  xmlFreeTextReader (parser.reader);
  parser.reader = NULL;
  parser_clear (&parser);

  return ok;
}

/* "NIST SP 800-53 Rev. 5" → "oscal-nist-sp-800-53-rev-5" */
static char *
oscal_key (const char *title,
           const char *uuid)
{
  g_autofree char *folded = kdx_fold_text (title);
  GString *key = g_string_new ("oscal-");
  gsize start = key->len;

  for (const char *p = folded; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (key->len == OSCAL_KEY_LENGTH)
            break;
          g_string_append_c (key, g_ascii_tolower (*p));
        }
      else if (key->len > start && key->str[key->len - 1] != '-')
        {
          if (key->len + 1 >= OSCAL_KEY_LENGTH)
            break;
          g_string_append_c (key, '-');
        }
    }
  while (key->len > start && key->str[key->len - 1] == '-')
    g_string_truncate (key, key->len - 1);

  if (key->len == start)
    {
      for (const char *p = uuid; p != NULL && *p && key->len < start + 8; p++)
        if (g_ascii_isxdigit (*p))
          g_string_append_c (key, g_ascii_tolower (*p));
      if (key->len == start)
        g_string_append (key, "catalog");
    }

  return g_string_free (key, FALSE);
}

/* What the whole document says about the catalog, once it has been read. */
static gboolean
finish_catalog (Parser  *parser,
                GError **error)
{
  KdxCatalogData *data = parser->data;
  KdxCatalog *catalog = data->catalog;

  if (parser->format == KDX_CATALOG_FORMAT_OSCAL)
    {
      if (catalog->title_en == NULL)
        {
          set_line_error (error, KDX_CATALOG_ERROR_MALFORMED, parser->root_line,
                          _("the OSCAL catalog has no title in its <metadata>"));
          return FALSE;
        }
      catalog->key = oscal_key (catalog->title_en, parser->oscal_uuid);
      if (parser->oscal_uuid != NULL && g_uuid_string_is_valid (parser->oscal_uuid))
        catalog->uuid = g_ascii_strdown (parser->oscal_uuid, -1);
      catalog->source = g_strdup ("OSCAL catalog");
      catalog->licence = g_strdup ("As stated by the publisher of the imported file.");
      catalog->format = g_strdup ("oscal");
    }
  else
    {
      if (catalog->title_en == NULL)
        {
          set_line_error (error, KDX_CATALOG_ERROR_MALFORMED, parser->root_line,
                          _("the catalog has no English title (<title xml:lang=\"en\">)"));
          return FALSE;
        }
      catalog->format = g_strdup ("kodex");
    }

  if (data->requirements->len == 0)
    {
      set_line_error (error, KDX_CATALOG_ERROR_MALFORMED, parser->root_line,
                      _("the catalog has no requirements; nothing was imported"));
      return FALSE;
    }

  if (catalog->uuid == NULL)
    catalog->uuid = catalog_uuid (catalog->key);
  catalog->n_requirements = data->requirements->len;
  for (guint i = 0; i < data->requirements->len; i++)
    {
      KdxRequirement *requirement = g_ptr_array_index (data->requirements, i);

      requirement->catalog = g_strdup (catalog->key);
      requirement->uuid = requirement_uuid (catalog->key, requirement->code);
    }

  return TRUE;
}

KdxCatalogData *
kdx_catalog_parse (GBytes            *bytes,
                   KdxCatalogFormat   format,
                   GError           **error)
{
  g_autoptr(GError) schema_error = NULL;
  Parser parser = { 0, };
  xmlRelaxNGPtr schema = NULL;
  KdxCatalogData *result = NULL;
  gsize size;
  int rc;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = g_bytes_get_size (bytes);
  if (size > KDX_CATALOG_MAX_BYTES)
    {
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_TOO_LARGE,
                   _("The file is larger than %d MiB, more than any catalog Kodex reads; "
                     "nothing was imported"), KDX_CATALOG_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  if (!detect_format (bytes, &format, error))
    return NULL;

  parser.format = format;
  parser.bytes = bytes;
  parser.reader = xmlReaderForMemory (g_bytes_get_data (bytes, NULL), (int) size, NULL, NULL,
                                      READER_OPTIONS);
  if (parser.reader == NULL)
    {
      g_set_error_literal (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_MALFORMED,
                           _("The file is empty or cannot be read as XML"));
      return NULL;
    }
  xmlTextReaderSetStructuredErrorHandler (parser.reader, structured_error_cb, &parser);

  if (format == KDX_CATALOG_FORMAT_KODEX)
    {
      schema = load_schema (&schema_error);
      if (schema == NULL || xmlTextReaderRelaxNGSetSchema (parser.reader, schema) != 0)
        {
          if (schema_error != NULL)
            g_propagate_error (error, g_steal_pointer (&schema_error));
          else
            g_set_error_literal (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_UNSUPPORTED,
                                 "The catalog schema cannot be used");
          goto out;
        }
    }

  parser.data = g_new0 (KdxCatalogData, 1);
  parser.data->catalog = g_new0 (KdxCatalog, 1);
  parser.data->requirements = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_requirement_free);
  parser.frames = g_array_sized_new (FALSE, TRUE, sizeof (Frame), MAX_ELEMENT_DEPTH + 1);
  parser.codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  parser.params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  while ((rc = xmlTextReaderRead (parser.reader)) == 1)
    {
      int type = xmlTextReaderNodeType (parser.reader);

      if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
          type == XML_READER_TYPE_ENTITY)
        {
          forbidden_error (&parser, error, xmlTextReaderGetParserLineNumber (parser.reader));
          goto out;
        }
      if (parser.first_error != NULL)
        break;

      switch (type)
        {
        case XML_READER_TYPE_ELEMENT:
          if (!parser.saw_root)
            {
              parser.saw_root = TRUE;
              parser.root_line = current_line (&parser);
            }
          handle_start (&parser);
          if (xmlTextReaderIsEmptyElement (parser.reader) && parser.first_error == NULL)
            handle_end (&parser);
          break;

        case XML_READER_TYPE_END_ELEMENT:
          handle_end (&parser);
          break;

        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_WHITESPACE:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
          append_text (&parser, (const char *) xmlTextReaderConstValue (parser.reader));
          break;

        default:
          break;
        }

      if (parser.first_error != NULL)
        break;
    }

  if (parser.first_error != NULL || parser.saw_doctype)
    {
      report_error (&parser, error);
      goto out;
    }
  if (rc < 0)
    {
      set_line_error (error, KDX_CATALOG_ERROR_MALFORMED,
                      xmlTextReaderGetParserLineNumber (parser.reader),
                      _("the file is not well-formed XML"));
      goto out;
    }
  if (format == KDX_CATALOG_FORMAT_KODEX && xmlTextReaderIsValid (parser.reader) != 1)
    {
      set_line_error (error, KDX_CATALOG_ERROR_MALFORMED, 0,
                      _("The file does not follow the Kodex catalog schema"));
      goto out;
    }

  if (!finish_catalog (&parser, error))
    goto out;

  result = g_steal_pointer (&parser.data);

out:
  xmlFreeTextReader (parser.reader);
  parser.reader = NULL;
  if (schema != NULL)
    xmlRelaxNGFree (schema);
  parser_clear (&parser);

  return result;
}

/* ------------------------------------------------------------------ */
/* The workspace                                                      */

#define CATALOG_COLUMNS \
  "c.uuid, c.key, c.title_en, c.title_de, c.version, c.source, c.source_url, c.licence, " \
  "c.legal_status_en, c.legal_status_de, c.as_of, c.format, c.shipped, c.imported, " \
  "(SELECT count(*) FROM requirement r WHERE r.catalog_id = c.id)"

#define REQUIREMENT_COLUMNS \
  "r.uuid, c.key, r.code, r.label, p.code, r.depth, r.position, r.title_en, r.title_de, " \
  "r.text_en, r.text_de, r.applies_from, r.legal_status_en, r.legal_status_de"

#define REQUIREMENT_FROM \
  " FROM requirement r JOIN catalog c ON c.id = r.catalog_id " \
  "LEFT JOIN requirement p ON p.id = r.parent_id "

static KdxCatalog *
catalog_from_row (sqlite3_stmt *stmt)
{
  KdxCatalog *catalog = g_new0 (KdxCatalog, 1);

  catalog->uuid = kdx_store_column_text (stmt, 0);
  catalog->key = kdx_store_column_text (stmt, 1);
  catalog->title_en = kdx_store_column_text (stmt, 2);
  catalog->title_de = kdx_store_column_text (stmt, 3);
  catalog->version = kdx_store_column_text (stmt, 4);
  catalog->source = kdx_store_column_text (stmt, 5);
  catalog->source_url = kdx_store_column_text (stmt, 6);
  catalog->licence = kdx_store_column_text (stmt, 7);
  catalog->legal_status_en = kdx_store_column_text (stmt, 8);
  catalog->legal_status_de = kdx_store_column_text (stmt, 9);
  catalog->as_of = kdx_store_column_text (stmt, 10);
  catalog->format = kdx_store_column_text (stmt, 11);
  catalog->shipped = sqlite3_column_int (stmt, 12) != 0;
  catalog->imported = kdx_store_column_text (stmt, 13);
  catalog->n_requirements = (guint) sqlite3_column_int64 (stmt, 14);

  return catalog;
}

static KdxRequirement *
requirement_from_row (sqlite3_stmt *stmt)
{
  KdxRequirement *requirement = g_new0 (KdxRequirement, 1);

  requirement->uuid = kdx_store_column_text (stmt, 0);
  requirement->catalog = kdx_store_column_text (stmt, 1);
  requirement->code = kdx_store_column_text (stmt, 2);
  requirement->label = kdx_store_column_text (stmt, 3);
  requirement->parent = kdx_store_column_text (stmt, 4);
  requirement->depth = (guint) sqlite3_column_int (stmt, 5);
  requirement->position = (guint) sqlite3_column_int (stmt, 6);
  requirement->title_en = kdx_store_column_text (stmt, 7);
  requirement->title_de = kdx_store_column_text (stmt, 8);
  requirement->text_en = kdx_store_column_text (stmt, 9);
  requirement->text_de = kdx_store_column_text (stmt, 10);
  requirement->applies_from = kdx_store_column_text (stmt, 11);
  requirement->legal_status_en = kdx_store_column_text (stmt, 12);
  requirement->legal_status_de = kdx_store_column_text (stmt, 13);

  return requirement;
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* What the journal keeps of a catalog. */
static char *
catalog_to_json (const KdxCatalog *catalog,
                 guint             n_requirements)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_member (b, "uuid", catalog->uuid);
  add_member (b, "key", catalog->key);
  add_member (b, "title_en", catalog->title_en);
  add_member (b, "title_de", catalog->title_de);
  add_member (b, "version", catalog->version);
  add_member (b, "source", catalog->source);
  add_member (b, "source_url", catalog->source_url);
  add_member (b, "as_of", catalog->as_of);
  add_member (b, "format", catalog->format);
  json_builder_set_member_name (b, "shipped");
  json_builder_add_boolean_value (b, catalog->shipped);
  json_builder_set_member_name (b, "requirements");
  json_builder_add_int_value (b, n_requirements);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* What import_data() relies on in data that did not come from the parser
 * (an exchange file, a test): a key, an English title, codes once each,
 * parents before their children. */
static gboolean
check_data (KdxCatalogData  *data,
            GError         **error)
{
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  KdxCatalog *catalog = data->catalog;

  if (catalog == NULL || !is_code (catalog->key) || catalog->title_en == NULL)
    {
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_MALFORMED,
                   _("The catalog “%s” has no valid key or no English title; nothing was imported"),
                   catalog && catalog->key ? catalog->key : "");
      return FALSE;
    }
  if (data->requirements == NULL || data->requirements->len == 0)
    {
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_MALFORMED,
                   _("The catalog “%s” has no requirements; nothing was imported"), catalog->key);
      return FALSE;
    }
  if (data->requirements->len > KDX_CATALOG_MAX_REQUIREMENTS)
    {
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_TOO_LARGE,
                   _("The catalog has more than %d requirements; nothing was imported"),
                   KDX_CATALOG_MAX_REQUIREMENTS);
      return FALSE;
    }

  for (guint i = 0; i < data->requirements->len; i++)
    {
      KdxRequirement *requirement = g_ptr_array_index (data->requirements, i);
      KdxRequirement *parent = NULL;

      if (requirement->code == NULL || *requirement->code == '\0' ||
          requirement->title_en == NULL)
        {
          g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_MALFORMED,
                       _("Requirement %u of the catalog has no id or no English title; "
                         "nothing was imported"), i + 1);
          return FALSE;
        }
      if (g_hash_table_contains (codes, requirement->code))
        {
          g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_DUPLICATE,
                       _("The id “%s” is used by two requirements; nothing was imported"),
                       requirement->code);
          return FALSE;
        }
      if (requirement->parent != NULL &&
          (parent = g_hash_table_lookup (codes, requirement->parent)) == NULL)
        {
          g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_UNKNOWN_PARENT,
                       _("The requirement “%s” belongs to “%s”, which does not come before "
                         "it in the catalog; nothing was imported"),
                       requirement->code, requirement->parent);
          return FALSE;
        }
      if (parent != NULL && parent->depth + 1 >= KDX_CATALOG_MAX_DEPTH)
        {
          g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_TOO_LARGE,
                       _("Requirements are nested more than %d levels deep; nothing was imported"),
                       KDX_CATALOG_MAX_DEPTH);
          return FALSE;
        }
      requirement->depth = parent != NULL ? parent->depth + 1 : 0;
      g_hash_table_insert (codes, requirement->code, requirement);
    }

  return TRUE;
}

static gboolean
import_data (KdxStore        *store,
             KdxCatalogData  *data,
             gboolean         shipped,
             gboolean         journal,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  KdxCatalog *catalog;
  gint64 catalog_id;
  gboolean own;
  gboolean ok = FALSE;

  if (!check_data (data, error))
    return FALSE;
  catalog = data->catalog;
  if (catalog->uuid == NULL)
    catalog->uuid = catalog_uuid (catalog->key);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  /* Statements of its own, not the store's cache: this also runs in the
   * migration inside kdx_store_create(), whose connection is replaced
   * afterwards, and a cached statement would outlive it (and keep the old
   * connection and its lock). */
  stmt = kdx_store_prepare (store, "SELECT key FROM catalog WHERE key = ?1 OR uuid = ?2",
                                   error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, catalog->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, catalog->uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *taken = kdx_store_column_text (stmt, 0);

      /* Translators: a catalog's key, as "gdpr" */
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_DUPLICATE,
                   _("The workspace already has the catalog “%s”. Remove it first to import "
                     "it again; nothing was imported"), taken);
      goto out;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  imported = kdx_store_now_iso8601 ();
  stmt = kdx_store_prepare (store,
                                   "INSERT INTO catalog (uuid, key, title_en, title_de, version, "
                                   "source, source_url, licence, legal_status_en, legal_status_de, "
                                   "as_of, format, shipped, imported) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                   "?13, ?14)",
                                   error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, catalog->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, catalog->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, catalog->title_en, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 4, catalog->title_de);
  kdx_store_bind_text_or_null (stmt, 5, catalog->version);
  kdx_store_bind_text_or_null (stmt, 6, catalog->source);
  kdx_store_bind_text_or_null (stmt, 7, catalog->source_url);
  kdx_store_bind_text_or_null (stmt, 8, catalog->licence);
  kdx_store_bind_text_or_null (stmt, 9, catalog->legal_status_en);
  kdx_store_bind_text_or_null (stmt, 10, catalog->legal_status_de);
  kdx_store_bind_text_or_null (stmt, 11, catalog->as_of);
  sqlite3_bind_text (stmt, 12, g_strcmp0 (catalog->format, "oscal") == 0 ? "oscal" : "kodex",
                     -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 13, shipped ? 1 : 0);
  sqlite3_bind_text (stmt, 14, imported, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;
  catalog_id = sqlite3_last_insert_rowid (kdx_store_get_db (store));
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* One statement for every row; parents come first, so each child finds
   * its parent's row id. */
  ids = g_hash_table_new (g_str_hash, g_str_equal);
  stmt = kdx_store_prepare (store,
                                   "INSERT INTO requirement (uuid, catalog_id, code, label, "
                                   "parent_id, depth, position, title_en, title_de, text_en, "
                                   "text_de, applies_from, legal_status_en, legal_status_de) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                   "?13, ?14)",
                                   error);
  if (stmt == NULL)
    goto out;
  for (guint i = 0; i < data->requirements->len; i++)
    {
      KdxRequirement *requirement = g_ptr_array_index (data->requirements, i);
      g_autofree char *uuid = NULL;
      gint64 id;

      if (requirement->uuid == NULL)
        requirement->uuid = requirement_uuid (catalog->key, requirement->code);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, requirement->uuid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, catalog_id);
      sqlite3_bind_text (stmt, 3, requirement->code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, requirement->label ? requirement->label : requirement->code,
                         -1, SQLITE_STATIC);
      if (requirement->parent != NULL)
        sqlite3_bind_int64 (stmt, 5,
                            GPOINTER_TO_SIZE (g_hash_table_lookup (ids, requirement->parent)));
      else
        sqlite3_bind_null (stmt, 5);
      sqlite3_bind_int (stmt, 6, (int) requirement->depth);
      sqlite3_bind_int (stmt, 7, (int) i);
      sqlite3_bind_text (stmt, 8, requirement->title_en, -1, SQLITE_STATIC);
      kdx_store_bind_text_or_null (stmt, 9, requirement->title_de);
      kdx_store_bind_text_or_null (stmt, 10, requirement->text_en);
      kdx_store_bind_text_or_null (stmt, 11, requirement->text_de);
      kdx_store_bind_text_or_null (stmt, 12, requirement->applies_from);
      kdx_store_bind_text_or_null (stmt, 13, requirement->legal_status_en);
      kdx_store_bind_text_or_null (stmt, 14, requirement->legal_status_de);
      if (!kdx_store_step_done (store, stmt, error))
        goto out;
      id = sqlite3_last_insert_rowid (kdx_store_get_db (store));
      g_hash_table_insert (ids, requirement->code, GSIZE_TO_POINTER ((gsize) id));
      requirement->position = i;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  catalog->shipped = shipped;
  catalog->n_requirements = data->requirements->len;
  g_free (catalog->imported);
  catalog->imported = g_strdup (imported);

  if (journal)
    {
      json = catalog_to_json (catalog, data->requirements->len);
      summary = g_strdup_printf ("%s (%u requirements)", catalog->key, data->requirements->len);
      if (!kdx_journal_append (store, "catalog", catalog->key, "import", summary, NULL, json,
                               error))
        goto out;
    }

  kdx_store_mark_changed (store, "catalog", catalog_id);
  ok = TRUE;

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_catalog_import_data (KdxStore        *store,
                         KdxCatalogData  *data,
                         gboolean         shipped,
                         GError         **error)
{
  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  return import_data (store, data, shipped, TRUE, error);
}

gboolean
kdx_catalog_import_file (KdxStore          *store,
                         const char        *path,
                         KdxCatalogFormat   format,
                         char             **key,
                         GError           **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KdxCatalogData) data = NULL;
  g_autoptr(GError) local_error = NULL;
  struct stat st;
  int fd;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  name = g_filename_display_basename (path);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, fd >= 0 ? G_FILE_ERROR_INVAL : g_file_error_from_errno (saved),
                   _("“%s” cannot be read: %s"), name,
                   fd >= 0 ? _("not a regular file") : g_strerror (saved));
      return FALSE;
    }
  if (st.st_size > KDX_CATALOG_MAX_BYTES)
    {
      close (fd);
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_TOO_LARGE,
                   _("“%s” is larger than %d MiB, more than any catalog Kodex reads; "
                     "nothing was imported"), name, KDX_CATALOG_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }

  if (st.st_size == 0)
    bytes = g_bytes_new (NULL, 0);
  else
    {
      mapped = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
      if (mapped == NULL)
        {
          close (fd);
          g_set_error (error, G_FILE_ERROR, local_error->code, _("“%s” cannot be read: %s"), name,
                       local_error->message);
          return FALSE;
        }
      bytes = g_mapped_file_get_bytes (mapped);
    }
  close (fd);

  data = kdx_catalog_parse (bytes, format, error);
  if (data == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }

  if (!kdx_catalog_import_data (store, data, FALSE, error))
    return FALSE;

  if (key != NULL)
    *key = g_strdup (data->catalog->key);

  return TRUE;
}

static gboolean
catalog_exists (KdxStore   *store,
                const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, "SELECT 1 FROM catalog WHERE key = ?1",
                                                    NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  return sqlite3_step (stmt) == SQLITE_ROW;
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

gboolean
kdx_catalog_install_shipped (KdxStore  *store,
                             GError   **error)
{
  g_auto(GStrv) names = NULL;
  gboolean journal;
  gboolean own;
  gboolean ok = TRUE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);

  names = g_resource_enumerate_children (kdx_core_get_resource (), SHIPPED_FOLDER,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return FALSE;
  /* The same order everywhere: the catalogs' row ids are then alike. */
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  /* A new workspace's first journal entry ("create", which follows the
   * migrations) stands for the catalogs it is born with; a workspace that
   * gains them later, by an upgrade, journals each. */
  journal = kdx_store_count (store, "SELECT count(*) FROM journal") > 0;

  for (guint i = 0; ok && names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (SHIPPED_FOLDER, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(KdxCatalogData) data = NULL;

      if (!g_str_has_suffix (names[i], ".xml"))
        continue;

      bytes = g_resource_lookup_data (kdx_core_get_resource (), path,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes != NULL)
        data = kdx_catalog_parse (bytes, KDX_CATALOG_FORMAT_KODEX, error);
      if (data == NULL)
        {
          /* A shipped catalog that does not read is a bug of this build. */
          g_prefix_error (error, "%s: ", names[i]);
          ok = FALSE;
          break;
        }
      if (catalog_exists (store, data->catalog->key))
        continue;
      ok = import_data (store, data, TRUE, journal, error);
    }

  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_catalog_remove (KdxStore    *store,
                    const char  *key,
                    GError     **error)
{
  g_autoptr(KdxCatalog) catalog = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;
  gint64 id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  catalog = kdx_catalog_load (store, key, error);
  if (catalog == NULL)
    goto out;
  if (catalog->shipped)
    {
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_IN_USE,
                   _("“%s” comes with Kodex and cannot be removed"),
                   kdx_catalog_get_title (catalog));
      goto out;
    }

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT c.id, (SELECT count(*) FROM policy_requirement pr "
                                   "  JOIN requirement r ON r.id = pr.requirement_id "
                                   "  WHERE r.catalog_id = c.id) "
                                   "FROM catalog c WHERE c.key = ?1",
                                   error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      kdx_store_set_sql_error (store, error);
      goto out;
    }
  id = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_column_int64 (stmt, 1) > 0)
    {
      gint64 n = sqlite3_column_int64 (stmt, 1);

      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” cannot be removed: %u link from a policy points to its "
                                "requirements. Remove the link first",
                                "“%s” cannot be removed: %u links from policies point to its "
                                "requirements. Remove the links first",
                                (gulong) n),
                   kdx_catalog_get_title (catalog), (guint) n);
      goto out;
    }
  g_clear_pointer (&stmt, sqlite3_reset);

  stmt = kdx_store_prepare_cached (store, "DELETE FROM catalog WHERE id = ?1", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;
  g_clear_pointer (&stmt, sqlite3_reset);

  json = catalog_to_json (catalog, catalog->n_requirements);
  if (!kdx_journal_append (store, "catalog", catalog->key, "remove", catalog->key, json, NULL,
                           error))
    goto out;

  kdx_store_mark_changed (store, "catalog", id);
  ok = TRUE;

out:
  g_clear_pointer (&stmt, sqlite3_reset);
  return kdx_store_finish (store, own, ok, error);
}

static int
compare_catalogs (gconstpointer a,
                  gconstpointer b)
{
  const KdxCatalog *x = *(KdxCatalog * const *) a;
  const KdxCatalog *y = *(KdxCatalog * const *) b;
  g_autofree char *kx = g_utf8_collate_key (kdx_catalog_get_title (x), -1);
  g_autofree char *ky = g_utf8_collate_key (kdx_catalog_get_title (y), -1);
  int cmp = strcmp (kx, ky);

  return cmp != 0 ? cmp : strcmp (x->key, y->key);
}

GPtrArray *
kdx_catalog_list (KdxStore  *store,
                  GError   **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) catalogs = NULL;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " CATALOG_COLUMNS " FROM catalog c", error);
  if (stmt == NULL)
    return NULL;

  catalogs = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_catalog_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (catalogs, catalog_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  g_ptr_array_sort (catalogs, compare_catalogs);

  return g_steal_pointer (&catalogs);
}

KdxCatalog *
kdx_catalog_load (KdxStore    *store,
                  const char  *key,
                  GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " CATALOG_COLUMNS " FROM catalog c "
                                   "WHERE c.key = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return catalog_from_row (stmt);
    case SQLITE_DONE:
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_NOT_FOUND,
                   _("The workspace has no catalog “%s”"), key);
      return NULL;
    default:
      kdx_store_set_sql_error (store, error);
      return NULL;
    }
}

GPtrArray *
kdx_catalog_list_requirements (KdxStore    *store,
                               const char  *key,
                               GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) requirements = NULL;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!catalog_exists (store, key))
    {
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_NOT_FOUND,
                   _("The workspace has no catalog “%s”"), key);
      return NULL;
    }

  stmt = kdx_store_prepare_cached (store, "SELECT " REQUIREMENT_COLUMNS REQUIREMENT_FROM
                                   "WHERE c.key = ?1 ORDER BY r.position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  requirements = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_requirement_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (requirements, requirement_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&requirements);
}

KdxRequirement *
kdx_requirement_load (KdxStore    *store,
                      const char  *uuid,
                      GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " REQUIREMENT_COLUMNS REQUIREMENT_FROM
                                   "WHERE r.uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return requirement_from_row (stmt);
    case SQLITE_DONE:
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_NOT_FOUND,
                   _("The workspace has no requirement %s"), uuid);
      return NULL;
    default:
      kdx_store_set_sql_error (store, error);
      return NULL;
    }
}

KdxRequirement *
kdx_requirement_find (KdxStore    *store,
                      const char  *catalog_key,
                      const char  *code,
                      GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (catalog_key != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  stmt = kdx_store_prepare_cached (store, "SELECT " REQUIREMENT_COLUMNS REQUIREMENT_FROM
                                   "WHERE c.key = ?1 AND r.code = ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, catalog_key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return requirement_from_row (stmt);
    case SQLITE_DONE:
      /* Translators: a requirement's id and a catalog's key, as "art-26" in "eu-ai-act" */
      g_set_error (error, KDX_CATALOG_ERROR, KDX_CATALOG_ERROR_NOT_FOUND,
                   _("The catalog “%s” has no requirement “%s”"), catalog_key, code);
      return NULL;
    default:
      kdx_store_set_sql_error (store, error);
      return NULL;
    }
}
