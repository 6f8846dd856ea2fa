/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The code of conduct and the policy templates that ship with Kodex, in
 * German and English, and the front-matter reader they share with the
 * Markdown import of policies. The templates live in the core's GResource
 * under templates/<language>/<id>.md; the resource's listing is the list
 * of templates, so adding one is adding a file and a line to
 * kdx-core.gresource.xml.
 */
#define G_LOG_DOMAIN "kdx-template"

#include "config.h"

#include "kdx-template.h"
#include "kdx-core-resources.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define TEMPLATE_PATH "/io/github/kodexapp/Kodex/core/templates/"
#define CODE_OF_CONDUCT "code-of-conduct"

struct _KdxTemplate
{
  GObject  parent_instance;

  char    *id;
  char    *language;
  char    *title;
  char    *kind;
  char    *area;
  guint    review_months;
  char    *summary;
  char    *body;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_LANGUAGE,
  PROP_TITLE,
  PROP_KIND,
  PROP_AREA,
  PROP_REVIEW_MONTHS,
  PROP_SUMMARY,
  PROP_BODY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KdxTemplate, kdx_template, G_TYPE_OBJECT)
G_DEFINE_QUARK (kdx-template-error-quark, kdx_template_error)

static const char * const languages[] = { "de", "en", NULL };

static const char * const kinds[] = {
  CODE_OF_CONDUCT, "policy", "guideline", "procedure", NULL
};

static const char * const areas[] = {
  "transparency", "privacy", "fairness", "oversight", "autonomy", "workforce", "governance", NULL
};

/* Every field a template has, and no other. */
static const char * const template_fields[] = {
  "template", "title", "kind", "area", "review-months", "summary", NULL
};

#define MAX_REVIEW_MONTHS 120

/* ------------------------------------------------------------------ */
/* Front matter                                                       */

typedef struct
{
  const char *start;
  gsize       len;      /* without the line end */
  guint       number;   /* 1-based */
} Line;

typedef struct
{
  const char *next;
  const char *end;
  guint       number;
} LineReader;

static gboolean
line_reader_next (LineReader *reader,
                  Line       *line)
{
  const char *nl;

  if (reader->next >= reader->end)
    return FALSE;

  line->start = reader->next;
  line->number = ++reader->number;
  nl = memchr (reader->next, '\n', reader->end - reader->next);
  if (nl == NULL)
    nl = reader->end;
  line->len = nl - line->start;
  if (line->len > 0 && line->start[line->len - 1] == '\r')
    line->len--;
  reader->next = nl < reader->end ? nl + 1 : nl;

  return TRUE;
}

static gboolean
is_blank (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return FALSE;

  return TRUE;
}

static gboolean
is_fence (const Line *line)
{
  return line->len >= 3 && memcmp (line->start, "---", 3) == 0 &&
         is_blank (line->start + 3, line->len - 3);
}

/* A key or a template id: a lower-case letter, then lower-case letters,
 * digits and dashes. */
static gboolean
is_name (const char *s,
         gsize       len)
{
  if (len == 0 || !g_ascii_islower (s[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_islower (s[i]) && !g_ascii_isdigit (s[i]) && s[i] != '-')
      return FALSE;

  return TRUE;
}

static gboolean
has_control_character (const char *s)
{
  for (; *s != '\0'; s++)
    if (((guchar) *s < 0x20 && *s != '\t') || *s == 0x7f)
      return TRUE;

  return FALSE;
}

/* A copy of @len bytes of @s with every CRLF turned into LF. */
static char *
dup_with_lf (const char *s,
             gsize       len)
{
  GString *out = g_string_sized_new (len);
  const char *end = s + len;

  while (s < end)
    {
      const char *cr = memchr (s, '\r', end - s);

      if (cr == NULL)
        cr = end;
      g_string_append_len (out, s, cr - s);
      if (cr < end && !(cr + 1 < end && cr[1] == '\n'))
        g_string_append_c (out, '\r');
      s = cr + (cr < end);
    }

  return g_string_free (out, FALSE);
}

/* The value of a quoted scalar beginning at @s (a quote) and ending
 * before @end, or NULL if the closing quote is missing or followed by
 * more than blanks. */
static char *
unquote (const char  *s,
         const char  *end,
         const char  *key,
         guint        number,
         GError     **error)
{
  g_autoptr(GString) value = g_string_new (NULL);
  char quote = *s++;

  for (; s < end; s++)
    {
      if (quote == '"' && *s == '\\' && s + 1 < end && (s[1] == '"' || s[1] == '\\'))
        g_string_append_c (value, *++s);
      else if (quote == '\'' && *s == '\'' && s + 1 < end && s[1] == '\'')
        g_string_append_c (value, *s++);
      else if (*s == quote)
        break;
      else
        g_string_append_c (value, *s);
    }

  if (s >= end)
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                   /* Translators: front matter of a Markdown file; %s is a key such as “title” */
                   _("Line %u: the value of “%s” has no closing quote"), number, key);
      return NULL;
    }
  if (!is_blank (s + 1, end - s - 1))
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                   _("Line %u: there is text after the closing quote of “%s”"), number, key);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&value), FALSE);
}

/* One "key: value" line into @fields; @lines remembers where each key
 * stood, for the message about a duplicate. */
static gboolean
parse_entry (const Line  *line,
             GHashTable  *fields,
             GHashTable  *lines,
             GError     **error)
{
  const char *end = line->start + line->len;
  const char *colon = memchr (line->start, ':', line->len);
  const char *key_end;
  const char *v;
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  gpointer first;

  if (colon == NULL)
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                   /* Translators: front matter of a Markdown file; keep “key: value” as is */
                   _("Line %u: expected “key: value”"), line->number);
      return FALSE;
    }

  for (key_end = colon; key_end > line->start && (key_end[-1] == ' ' || key_end[-1] == '\t');)
    key_end--;
  key = g_strndup (line->start, key_end - line->start);
  if (!is_name (line->start, key_end - line->start))
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                   _("Line %u: “%s” is not a valid key; a key is made of lower-case letters, "
                     "digits and dashes"), line->number, key);
      return FALSE;
    }

  if (g_hash_table_lookup_extended (lines, key, NULL, &first))
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                   _("Line %u: “%s” is given a second time (first on line %u)"),
                   line->number, key, GPOINTER_TO_UINT (first));
      return FALSE;
    }

  for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++)
    ;
  while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
    end--;

  if (v < end && (*v == '"' || *v == '\''))
    value = unquote (v, end, key, line->number, error);
  else
    value = g_strndup (v, end - v);
  if (value == NULL)
    return FALSE;

  if (*value == '\0')
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                   _("Line %u: “%s” has no value"), line->number, key);
      return FALSE;
    }
  if (has_control_character (value))
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                   _("Line %u: the value of “%s” contains a control character"),
                   line->number, key);
      return FALSE;
    }

  g_hash_table_insert (lines, g_strdup (key), GUINT_TO_POINTER (line->number));
  g_hash_table_insert (fields, g_steal_pointer (&key), g_steal_pointer (&value));

  return TRUE;
}

static gboolean
check_encoding (const char  *text,
                gsize        len,
                GError     **error)
{
  const char *bad;
  guint number = 1;

  if (g_utf8_validate (text, len, &bad))
    return TRUE;

  for (const char *p = text; p < bad; p++)
    if (*p == '\n')
      number++;

  if (*bad == '\0')
    g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_ENCODING,
                 _("Line %u: the text contains a NUL byte"), number);
  else
    g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_ENCODING,
                 _("Line %u: the text is not valid UTF-8"), number);

  return FALSE;
}

gboolean
kdx_front_matter_parse (const char   *text,
                        gssize        len,
                        GHashTable  **fields,
                        char        **body,
                        GError      **error)
{
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GHashTable) lines = NULL;
  LineReader reader;
  Line line;
  gsize size;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  size = len < 0 ? strlen (text) : (gsize) len;
  if (size >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      size -= 3;
    }
  if (!check_encoding (text, size, error))
    return FALSE;

  found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  reader = (LineReader) { .next = text, .end = text + size, .number = 0 };

  if (line_reader_next (&reader, &line) && is_fence (&line))
    {
      gboolean closed = FALSE;
      const char *rest;

      while (!closed && line_reader_next (&reader, &line))
        {
          if (is_fence (&line))
            closed = TRUE;
          else if (!is_blank (line.start, line.len) && line.start[0] != '#' &&
                   !parse_entry (&line, found, lines, error))
            return FALSE;
        }
      if (!closed)
        {
          g_set_error_literal (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX,
                               /* Translators: keep “---” as is */
                               _("Line 1: the front matter is not closed by a line “---”"));
          return FALSE;
        }

      /* The body begins at its first line that is not blank. */
      rest = reader.next;
      while (line_reader_next (&reader, &line) && is_blank (line.start, line.len))
        rest = reader.next;
      size = reader.end - rest;
      text = rest;
    }

  if (fields != NULL)
    *fields = g_steal_pointer (&found);
  if (body != NULL)
    *body = dup_with_lf (text, size);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The template object                                                */

static void
kdx_template_finalize (GObject *object)
{
  KdxTemplate *self = KDX_TEMPLATE (object);

  g_free (self->id);
  g_free (self->language);
  g_free (self->title);
  g_free (self->kind);
  g_free (self->area);
  g_free (self->summary);
  g_free (self->body);

  G_OBJECT_CLASS (kdx_template_parent_class)->finalize (object);
}

static void
kdx_template_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KdxTemplate *self = KDX_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_LANGUAGE: g_value_set_string (value, self->language); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_AREA: g_value_set_string (value, self->area); break;
    case PROP_REVIEW_MONTHS: g_value_set_uint (value, self->review_months); break;
    case PROP_SUMMARY: g_value_set_string (value, self->summary); break;
    case PROP_BODY: g_value_set_string (value, self->body); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_template_class_init (KdxTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kdx_template_finalize;
  object_class->get_property = kdx_template_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_AREA] = g_param_spec_string ("area", NULL, NULL, NULL, flags);
  properties[PROP_REVIEW_MONTHS] = g_param_spec_uint ("review-months", NULL, NULL,
                                                      1, MAX_REVIEW_MONTHS, 12, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kdx_template_init (KdxTemplate *self)
{
  self->review_months = 12;
}

/* ------------------------------------------------------------------ */
/* Reading templates                                                  */

static gboolean
check_choice (GHashTable          *fields,
              const char          *key,
              const char * const  *choices,
              GError             **error)
{
  const char *value = g_hash_table_lookup (fields, key);
  g_autofree char *list = NULL;

  if (g_strv_contains (choices, value))
    return TRUE;

  list = g_strjoinv (", ", (char **) choices);
  g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_INVALID,
               /* Translators: the first %s is a field such as “kind”, the second its
                * wrong value, the third the list of allowed values (not translated) */
               _("The template’s “%s” is “%s”; it must be one of: %s"), key, value, list);

  return FALSE;
}

static gboolean
check_fields (GHashTable  *fields,
              const char  *body,
              guint64     *review_months,
              GError     **error)
{
  GHashTableIter iter;
  const char *key;

  for (guint i = 0; template_fields[i] != NULL; i++)
    if (!g_hash_table_contains (fields, template_fields[i]))
      {
        g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_INVALID,
                     _("The template has no field “%s”"), template_fields[i]);
        return FALSE;
      }

  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (!g_strv_contains (template_fields, key))
      {
        g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_INVALID,
                     _("“%s” is not a field of a template"), key);
        return FALSE;
      }

  key = g_hash_table_lookup (fields, "template");
  if (!is_name (key, strlen (key)))
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_INVALID,
                   _("“%s” is not a valid template name; use lower-case letters, digits "
                     "and dashes"), key);
      return FALSE;
    }

  if (!check_choice (fields, "kind", kinds, error) ||
      !check_choice (fields, "area", areas, error))
    return FALSE;

  if (!g_ascii_string_to_unsigned (g_hash_table_lookup (fields, "review-months"), 10,
                                   1, MAX_REVIEW_MONTHS, review_months, NULL))
    {
      g_set_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_INVALID,
                   _("The template’s “review-months” must be a number from 1 to %u"),
                   MAX_REVIEW_MONTHS);
      return FALSE;
    }

  if (is_blank (body, strlen (body)))
    {
      g_set_error_literal (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_INVALID,
                           _("The template has no text after its front matter"));
      return FALSE;
    }

  return TRUE;
}

KdxTemplate *
kdx_template_new_from_markdown (const char  *language,
                                const char  *text,
                                gssize       len,
                                GError     **error)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *body = NULL;
  KdxTemplate *self;
  guint64 review_months;

  g_return_val_if_fail (language != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!kdx_front_matter_parse (text, len, &fields, &body, error) ||
      !check_fields (fields, body, &review_months, error))
    return NULL;

  self = g_object_new (KDX_TYPE_TEMPLATE, NULL);
  self->id = g_strdup (g_hash_table_lookup (fields, "template"));
  self->language = g_strdup (language);
  self->title = g_strdup (g_hash_table_lookup (fields, "title"));
  self->kind = g_strdup (g_hash_table_lookup (fields, "kind"));
  self->area = g_strdup (g_hash_table_lookup (fields, "area"));
  self->review_months = (guint) review_months;
  self->summary = g_strdup (g_hash_table_lookup (fields, "summary"));
  self->body = g_steal_pointer (&body);

  return self;
}

/* "de" or "en" if @name is that language with or without a territory,
 * codeset or modifier; otherwise NULL. */
static const char *
match_language (const char *name)
{
  for (guint i = 0; languages[i] != NULL; i++)
    if (g_ascii_strncasecmp (name, languages[i], 2) == 0 &&
        (name[2] == '\0' || strchr ("_-.@", name[2]) != NULL))
      return languages[i];

  return NULL;
}

const char *
kdx_template_resolve_language (const char *language)
{
  const char *match;

  if (language != NULL)
    {
      match = match_language (language);
      return match != NULL ? match : "en";
    }

  for (const char * const *names = g_get_language_names (); *names != NULL; names++)
    if ((match = match_language (*names)) != NULL)
      return match;

  return "en";
}

/* A shipped template, or NULL if there is none by that name. A shipped
 * template that does not read is a bug of this build: critical. */
static KdxTemplate *
load_shipped (const char *language,
              const char *id)
{
  g_autofree char *path = g_strconcat (TEMPLATE_PATH, language, "/", id, ".md", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KdxTemplate *template;

  /* Looked up in the core's own resource: a static library's resource
   * constructor is not linked in unless something refers to it. */
  bytes = g_resource_lookup_data (kdx_core_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    return NULL;

  template = kdx_template_new_from_markdown (language, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), &error);
  if (template == NULL)
    g_critical ("The shipped template %s does not read: %s", path, error->message);
  else if (g_strcmp0 (template->id, id) != 0)
    g_critical ("The shipped template %s calls itself “%s”", path, template->id);

  return template;
}

static int
compare_templates (gconstpointer a,
                   gconstpointer b)
{
  KdxTemplate *ta = *(KdxTemplate * const *) a;
  KdxTemplate *tb = *(KdxTemplate * const *) b;
  gboolean a_first = g_str_equal (ta->kind, CODE_OF_CONDUCT);
  gboolean b_first = g_str_equal (tb->kind, CODE_OF_CONDUCT);
  int order;

  if (a_first != b_first)
    return a_first ? -1 : 1;
  order = g_utf8_collate (ta->title, tb->title);

  return order != 0 ? order : strcmp (ta->id, tb->id);
}

GPtrArray *
kdx_template_list (const char *language)
{
  GPtrArray *templates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *folder = NULL;
  g_auto(GStrv) names = NULL;

  language = kdx_template_resolve_language (language);
  folder = g_strconcat (TEMPLATE_PATH, language, "/", NULL);
  names = g_resource_enumerate_children (kdx_core_get_resource (), folder,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (names == NULL)
    {
      g_critical ("This build ships no templates in %s", folder);
      return templates;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *id = NULL;
      KdxTemplate *template;

      if (!g_str_has_suffix (names[i], ".md"))
        continue;
      id = g_strndup (names[i], strlen (names[i]) - strlen (".md"));
      template = load_shipped (language, id);
      if (template != NULL)
        g_ptr_array_add (templates, template);
    }
  g_ptr_array_sort (templates, compare_templates);

  return templates;
}

KdxTemplate *
kdx_template_lookup (const char *language,
                     const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  if (!is_name (id, strlen (id)))
    return NULL;

  return load_shipped (kdx_template_resolve_language (language), id);
}

const char *
kdx_template_get_id (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), NULL);

  return self->id;
}

const char *
kdx_template_get_language (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), NULL);

  return self->language;
}

const char *
kdx_template_get_title (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), NULL);

  return self->title;
}

const char *
kdx_template_get_kind (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), NULL);

  return self->kind;
}

const char *
kdx_template_get_area (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), NULL);

  return self->area;
}

guint
kdx_template_get_review_months (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), 0);

  return self->review_months;
}

const char *
kdx_template_get_summary (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), NULL);

  return self->summary;
}

const char *
kdx_template_get_body (KdxTemplate *self)
{
  g_return_val_if_fail (KDX_IS_TEMPLATE (self), NULL);

  return self->body;
}
