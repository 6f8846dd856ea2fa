/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the Markdown renderer behind the policy preview
 * (kdx_markdown_render()), the word count, and the safe HTML of
 * `kodex-cli policy show --format html` (kdx_markdown_to_html()).
 *
 * Any bytes are valid input: core turns invalid UTF-8 and NUL bytes into
 * U+FFFD (kdx-markdown.h). Besides crashes and sanitizer reports it
 * checks what kdx-markdown.h promises:
 * - the rendered text, every span's text, every heading title and the
 *   HTML are valid UTF-8, and the text has no NUL before its end;
 * - the text is at most 64 times as long as the input (plus 128 KiB);
 * - spans are not empty, lie within the text on character boundaries,
 *   are sorted by start and nest (each span lies inside every span it
 *   starts in); only links have a URL, and it is http, https or mailto;
 * - headings have a level of 1 to 6 and start at their offset (their
 *   title is their text with line breaks as spaces);
 * - the HTML holds no markup of its own from the input: every "<" opens
 *   or closes one of the elements cmark writes for Markdown, and every
 *   href is http, https or mailto (so no "<script", "<img", "<iframe",
 *   event handler or javascript: URL can get through).
 */
#define G_LOG_DOMAIN "kdx-fuzz-markdown"

#include "config.h"

#include "fuzz-common.h"

#include "kdx-markdown.h"

#include <string.h>

/* What cmark's HTML renderer writes for the enabled syntax. */
static const char * const allowed_elements[] = {
  "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre", "a",
  "ul", "ol", "li", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
  "input",
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kdx_fuzz_init_logging ();

  return 0;
}

static gboolean
has_allowed_scheme (const char *url)
{
  return g_ascii_strncasecmp (url, "http://", 7) == 0 ||
         g_ascii_strncasecmp (url, "https://", 8) == 0 ||
         g_ascii_strncasecmp (url, "mailto:", 7) == 0;
}

static gboolean
is_char_start (const char *text,
               gsize       length,
               guint       offset)
{
  return offset == length || ((guchar) text[offset] & 0xc0) != 0x80;
}

/* The title is the heading's text with line breaks as spaces. */
static gboolean
text_has_title (const char *text,
                const char *title)
{
  for (; *title != '\0'; text++, title++)
    if (*text != *title && !(*text == '\n' && *title == ' '))
      return FALSE;

  return TRUE;
}

static void
check_doc (KdxMarkdownDoc *doc,
           gsize           input_size)
{
  gsize length;
  const char *text = kdx_markdown_doc_get_text (doc, &length);
  guint n_spans, n_headings;
  const KdxMarkdownSpan *spans = kdx_markdown_doc_get_spans (doc, &n_spans);
  const KdxMarkdownHeading *outline = kdx_markdown_doc_get_outline (doc, &n_headings);
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));

  if (text == NULL || text[length] != '\0' || memchr (text, '\0', length) != NULL)
    kdx_fuzz_fail ("The rendered text is not a string of %" G_GSIZE_FORMAT " bytes", length);
  if (!g_utf8_validate (text, length, NULL))
    kdx_fuzz_fail ("The rendered text is not valid UTF-8");
  /* Bullets, rules and table borders make the text longer, a few times
   * at most; anything more means a blow-up (a table padded without
   * bound). */
  if (length > 64 * input_size + 128 * 1024)
    kdx_fuzz_fail ("%" G_GSIZE_FORMAT " bytes of text from %" G_GSIZE_FORMAT " bytes of input",
                   length, input_size);

  for (guint i = 0; i < n_spans; i++)
    {
      const KdxMarkdownSpan *span = &spans[i];

      if (span->style >= KDX_MARKDOWN_N_STYLES)
        kdx_fuzz_fail ("Span %u has style %d", i, span->style);
      if (span->start >= span->end || span->end > length)
        kdx_fuzz_fail ("Span %u is [%u, %u) in a text of %" G_GSIZE_FORMAT " bytes",
                       i, span->start, span->end, length);
      if (!is_char_start (text, length, span->start) || !is_char_start (text, length, span->end))
        kdx_fuzz_fail ("Span %u [%u, %u) cuts a character", i, span->start, span->end);
      if (i > 0 && spans[i - 1].start > span->start)
        kdx_fuzz_fail ("Span %u starts before span %u", i, i - 1);
      if ((span->style == KDX_MARKDOWN_STYLE_LINK) != (span->url != NULL))
        kdx_fuzz_fail ("Span %u (style %d) has %s URL", i, span->style,
                       span->url ? "a" : "no");
      if (span->url != NULL && !has_allowed_scheme (span->url))
        kdx_fuzz_fail ("Span %u links to %s", i, span->url);

      /* The spans it starts in are still open; it must end inside them. */
      while (open->len > 0 &&
             spans[g_array_index (open, guint, open->len - 1)].end <= span->start)
        g_array_set_size (open, open->len - 1);
      if (open->len > 0 && span->end > spans[g_array_index (open, guint, open->len - 1)].end)
        kdx_fuzz_fail ("Span %u [%u, %u) overlaps span %u without nesting", i, span->start,
                       span->end, g_array_index (open, guint, open->len - 1));
      g_array_append_val (open, i);
    }

  for (guint i = 0; i < n_headings; i++)
    {
      const KdxMarkdownHeading *heading = &outline[i];

      if (heading->level < 1 || heading->level > 6)
        kdx_fuzz_fail ("Heading %u has level %u", i, heading->level);
      if (heading->title == NULL || !g_utf8_validate (heading->title, -1, NULL))
        kdx_fuzz_fail ("Heading %u has no valid title", i);
      if (heading->offset > length || !text_has_title (text + heading->offset, heading->title))
        kdx_fuzz_fail ("Heading %u is not at offset %u", i, heading->offset);
    }
}

/* Every "<" of @html opens or closes an allowed element; every href has an
 * allowed scheme. */
static void
check_html (const char *html)
{
  if (!g_utf8_validate (html, -1, NULL))
    kdx_fuzz_fail ("The HTML is not valid UTF-8");

  for (const char *p = strchr (html, '<'); p != NULL; p = strchr (p + 1, '<'))
    {
      const char *name = p + 1 + (p[1] == '/');
      gsize n = strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789");
      gboolean allowed = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (allowed_elements) && !allowed; i++)
        allowed = strlen (allowed_elements[i]) == n && strncmp (name, allowed_elements[i], n) == 0;
      if (!allowed || strchr (" />", name[n]) == NULL || name[n] == '\0')
        kdx_fuzz_fail ("The HTML has markup that Markdown does not make: %.40s", p);
    }

  /* cmark writes href first; " href=\"" alone may be text inside a title
   * attribute ("<" cannot: it is escaped there). */
  for (const char *p = strstr (html, "<a href=\""); p != NULL; p = strstr (p + 1, "<a href=\""))
    if (!has_allowed_scheme (p + strlen ("<a href=\"")))
      kdx_fuzz_fail ("The HTML links to %.60s", p);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render ((const char *) data, size);
  g_autofree char *html = kdx_markdown_to_html ((const char *) data, size);
  g_autofree char *string = g_strndup ((const char *) data, size);
  guint words;

  check_doc (doc, size);
  check_html (html);

  /* The word count reads up to the first NUL, as a C string. */
  words = kdx_markdown_count_words (string);
  if (kdx_fuzz_is_verbose ())
    {
      guint n_spans;

      kdx_markdown_doc_get_spans (doc, &n_spans);
      g_printerr ("kodex-fuzz: %u spans, %u words, %zu bytes of HTML\n", n_spans, words,
                  strlen (html));
    }

  return 0;
}
