/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KDX_TEMPLATE_ERROR (kdx_template_error_quark ())

typedef enum
{
  KDX_TEMPLATE_ERROR_ENCODING,   /* not UTF-8, or a NUL byte */
  KDX_TEMPLATE_ERROR_SYNTAX,     /* the front matter is malformed */
  KDX_TEMPLATE_ERROR_INVALID,    /* a template field is missing or has a wrong value */
} KdxTemplateError;

#define KDX_TYPE_TEMPLATE (kdx_template_get_type ())
G_DECLARE_FINAL_TYPE (KdxTemplate, kdx_template, KDX, TEMPLATE, GObject)

GQuark       kdx_template_error_quark        (void);

/* Splits Markdown text into its front matter and its body. The front
 * matter is a first line "---", then "key: value" lines, then a line
 * "---". Keys are lower-case letters, digits and dashes, beginning with a
 * letter; a value may be quoted with "…" (\" and \\ inside) or '…' (''
 * inside). Blank lines and lines beginning with "#" inside are skipped.
 * A UTF-8 byte order mark and CRLF line ends are accepted; line ends in
 * @body are "\n", and the blank lines between the front matter and the
 * body are dropped.
 *
 * Text that does not begin with "---" has no front matter: @fields comes
 * back empty and @body is the whole text. Errors name the line. @len may
 * be -1 for a NUL-terminated @text. @fields (key → value) and @body are
 * optional and only set on success. */
gboolean     kdx_front_matter_parse          (const char   *text,
                                              gssize        len,
                                              GHashTable  **fields,
                                              char        **body,
                                              GError      **error);

/* "de" or "en": the shipped template language for @language ("de",
 * "de_AT.UTF-8", "en-GB", …); any other language is "en". NULL means
 * the user's language (g_get_language_names()). */
const char  *kdx_template_resolve_language   (const char   *language);

/* The shipped templates of @language (resolved as above), the code of
 * conduct first and the others by title. Never NULL. */
GPtrArray   *kdx_template_list               (const char   *language);

/* The shipped template @id of @language, or NULL when there is none. */
KdxTemplate *kdx_template_lookup             (const char   *language,
                                              const char   *id);

/* A template from Markdown text with front matter: the fields template,
 * title, kind, area, review-months and summary are all required; kind and
 * area must be known values; a body is required. For shipped templates
 * and for templates the committee writes itself. */
KdxTemplate *kdx_template_new_from_markdown  (const char   *language,
                                              const char   *text,
                                              gssize        len,
                                              GError      **error);

const char  *kdx_template_get_id             (KdxTemplate  *self);
const char  *kdx_template_get_language       (KdxTemplate  *self);
const char  *kdx_template_get_title          (KdxTemplate  *self);
/* "code-of-conduct", "policy", "guideline" or "procedure" */
const char  *kdx_template_get_kind           (KdxTemplate  *self);
/* "transparency", "privacy", "fairness", "oversight", "autonomy",
 * "workforce" or "governance" */
const char  *kdx_template_get_area           (KdxTemplate  *self);
guint        kdx_template_get_review_months  (KdxTemplate  *self);
const char  *kdx_template_get_summary        (KdxTemplate  *self);
/* Markdown, beginning with the title as a "# " heading */
const char  *kdx_template_get_body           (KdxTemplate  *self);

G_END_DECLS
