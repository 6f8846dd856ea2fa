/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Markdown (GitHub flavour, through cmark-gfm) for policy texts: a flat
 * rendering for the preview (plain text plus styled spans and an outline
 * of headings), a word count, and a safe HTML fragment.
 *
 * Safety: raw HTML is never passed through. The preview shows it as
 * literal text in the HTML style; the HTML output shows it escaped inside
 * <code> or <pre>. Links keep their target only for http, https and
 * mailto; any other link is plain text. Images show their alternative text
 * only and are never fetched. Any bytes are accepted: invalid UTF-8 and
 * NUL bytes become U+FFFD (cmark's CMARK_OPT_VALIDATE_UTF8), so every
 * output is valid UTF-8.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  KDX_MARKDOWN_STYLE_HEADING,         /* level 1–6 */
  KDX_MARKDOWN_STYLE_STRONG,
  KDX_MARKDOWN_STYLE_EMPHASIS,
  KDX_MARKDOWN_STYLE_STRIKETHROUGH,
  KDX_MARKDOWN_STYLE_CODE,            /* inline code */
  KDX_MARKDOWN_STYLE_CODE_BLOCK,
  KDX_MARKDOWN_STYLE_BLOCK_QUOTE,     /* level: 1 for the outermost quote */
  KDX_MARKDOWN_STYLE_LIST_ITEM,       /* level: 1 for an item of an outermost list */
  KDX_MARKDOWN_STYLE_LINK,            /* url is set */
  KDX_MARKDOWN_STYLE_TABLE,
  KDX_MARKDOWN_STYLE_TABLE_HEADER,    /* the header row of a table */
  KDX_MARKDOWN_STYLE_THEMATIC_BREAK,
  KDX_MARKDOWN_STYLE_HTML,            /* raw HTML, shown literally */
  KDX_MARKDOWN_N_STYLES
} KdxMarkdownStyle;

/* A styled range of the rendered text, in bytes: [start, end).
 *
 * The spans of a document are never empty, lie within the text on UTF-8
 * character boundaries, and are sorted by start. They nest like the
 * syntax tree: a span that starts inside an earlier span also ends inside
 * it, and a span that encloses another comes first. */
typedef struct
{
  KdxMarkdownStyle  style;
  guint             level;   /* heading, block quote and list item; else 0 */
  guint             start;
  guint             end;
  char             *url;     /* links only: http, https or mailto */
} KdxMarkdownSpan;

/* A heading, to jump to in the editor (source_line, 1-based) or in the
 * preview (offset: byte offset of its first character in the text). Its
 * title is its rendered text, with line breaks as spaces. */
typedef struct
{
  guint  level;
  char  *title;
  guint  source_line;
  guint  offset;
} KdxMarkdownHeading;

typedef struct _KdxMarkdownDoc KdxMarkdownDoc;

/* Parses @markdown (@len bytes, or up to its NUL when @len is -1). Never
 * fails: any bytes give a document. The rendered text separates blocks
 * by an empty line (one line break in tight lists), begins list items with
 * their bullet or number ("•", "◦", "▪", "1.", "☐"/"☑" for tasks) and a
 * space, and pads table cells with spaces (columns separated by " │ ", a
 * "─┼─" rule under the header) so that they line up in a monospace font. */
KdxMarkdownDoc           *kdx_markdown_render           (const char      *markdown,
                                                         gssize           len);
void                      kdx_markdown_doc_free         (KdxMarkdownDoc  *doc);

/* The rendered text, valid UTF-8 and NUL-terminated; its length in bytes
 * goes to @length. */
const char               *kdx_markdown_doc_get_text     (KdxMarkdownDoc  *doc,
                                                         gsize           *length);
const KdxMarkdownSpan    *kdx_markdown_doc_get_spans    (KdxMarkdownDoc  *doc,
                                                         guint           *n_spans);
const KdxMarkdownHeading *kdx_markdown_doc_get_outline  (KdxMarkdownDoc  *doc,
                                                         guint           *n_headings);

/* Words a reader reads: the rendered text without list bullets and
 * numbers, split at white space; a piece counts when it holds a letter or
 * a digit. "KI-gestützte Datenschutz-Folgenabschätzung" is two words,
 * "z. B." two, "—" none, link targets and markup none. */
guint                     kdx_markdown_count_words      (const char      *markdown);

/* The same for a document already rendered (saves parsing again, e.g.
 * with kdx_markdown_view_get_doc() after each keystroke). */
guint                     kdx_markdown_doc_count_words  (KdxMarkdownDoc  *doc);

/* A self-contained, safe HTML fragment (see the top of this file), as
 * cmark-gfm writes it; free with g_free(). */
char                     *kdx_markdown_to_html          (const char      *markdown,
                                                         gssize           len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxMarkdownDoc, kdx_markdown_doc_free)

G_END_DECLS
