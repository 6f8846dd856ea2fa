/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Markdown for policy texts: what the preview shows (text and styled
 * spans), the outline of headings, the word count, the safe HTML, and
 * that huge, deeply nested or broken input renders safely.
 */
#define G_LOG_DOMAIN "kdx-test-markdown"

#include "config.h"

#include "kdx-markdown.h"

#include <string.h>

static const char * const style_names[] = {
  "heading", "strong", "emphasis", "strikethrough", "code", "code_block", "block_quote",
  "list_item", "link", "table", "table_header", "thematic_break", "html",
};

G_STATIC_ASSERT (G_N_ELEMENTS (style_names) == KDX_MARKDOWN_N_STYLES);

/* Every promise of kdx-markdown.h about a document's shape. */
static void
assert_well_formed (KdxMarkdownDoc *doc)
{
  gsize length;
  const char *text = kdx_markdown_doc_get_text (doc, &length);
  guint n_spans, n_headings;
  const KdxMarkdownSpan *spans = kdx_markdown_doc_get_spans (doc, &n_spans);
  const KdxMarkdownHeading *outline = kdx_markdown_doc_get_outline (doc, &n_headings);

  g_assert_nonnull (text);
  g_assert_cmpuint (strlen (text), ==, length);
  g_assert_true (g_utf8_validate (text, length, NULL));

  for (guint i = 0; i < n_spans; i++)
    {
      g_assert_cmpuint (spans[i].style, <, KDX_MARKDOWN_N_STYLES);
      g_assert_cmpuint (spans[i].start, <, spans[i].end);
      g_assert_cmpuint (spans[i].end, <=, length);
      g_assert_true (g_utf8_validate (text + spans[i].start, spans[i].end - spans[i].start, NULL));
      g_assert_true ((spans[i].url != NULL) == (spans[i].style == KDX_MARKDOWN_STYLE_LINK));
      if (i > 0)
        {
          const KdxMarkdownSpan *before = &spans[i - 1];

          g_assert_cmpuint (before->start, <=, spans[i].start);
          /* Nested in the one before, or after it ends. Together with the
           * order this makes the spans nest like a tree. */
          g_assert_true (spans[i].end <= before->end || spans[i].start >= before->end);
        }
    }

  for (guint i = 0; i < n_headings; i++)
    {
      g_assert_cmpuint (outline[i].level, >=, 1);
      g_assert_cmpuint (outline[i].level, <=, 6);
      g_assert_cmpuint (outline[i].offset, <=, length);
      g_autofree char *heading = g_strndup (text + outline[i].offset, strlen (outline[i].title));

      /* The title is the heading's text, line breaks as spaces. */
      g_assert_true (g_utf8_validate (outline[i].title, -1, NULL));
      g_strdelimit (heading, "\n", ' ');
      g_assert_cmpstr (heading, ==, outline[i].title);
    }
}

/* The spans, one a line: style, level, «covered text», → url. */
static char *
describe_spans (KdxMarkdownDoc *doc)
{
  const char *text = kdx_markdown_doc_get_text (doc, NULL);
  guint n_spans;
  const KdxMarkdownSpan *spans = kdx_markdown_doc_get_spans (doc, &n_spans);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n_spans; i++)
    {
      g_string_append (s, style_names[spans[i].style]);
      if (spans[i].level > 0)
        g_string_append_printf (s, " %u", spans[i].level);
      g_string_append_printf (s, " «%.*s»", (int) (spans[i].end - spans[i].start),
                              text + spans[i].start);
      if (spans[i].url != NULL)
        g_string_append_printf (s, " → %s", spans[i].url);
      g_string_append_c (s, '\n');
    }

  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------ */
/* Rendering                                                          */

typedef struct
{
  const char *name;
  const char *markdown;
  const char *text;
  const char *spans;
} RenderCase;

static const RenderCase render_cases[] = {
  { "empty", "", "", "" },
  { "paragraphs", "Erster  Absatz\nmit weichem Umbruch.\n\nZweiter.",
    "Erster  Absatz mit weichem Umbruch.\n\nZweiter.", "" },
  { "hard-break", "Zeile eins  \nZeile zwei\\\nZeile drei",
    "Zeile eins\nZeile zwei\nZeile drei", "" },
  { "headings", "# Eins\n\n## Zwei\n\n###### Sechs\n\nUnter\n-----\n",
    "Eins\n\nZwei\n\nSechs\n\nUnter",
    "heading 1 «Eins»\nheading 2 «Zwei»\nheading 6 «Sechs»\nheading 2 «Unter»\n" },
  { "inline-styles", "**fett**, *kursiv*, ~~gestrichen~~ und `code`",
    "fett, kursiv, gestrichen und code",
    "strong «fett»\nemphasis «kursiv»\nstrikethrough «gestrichen»\ncode «code»\n" },
  { "nested-inline", "***beides*** und **fett mit *kursiv* darin**",
    "beides und fett mit kursiv darin",
    "emphasis «beides»\nstrong «beides»\nstrong «fett mit kursiv darin»\nemphasis «kursiv»\n" },
  { "code-block", "Vorher\n\n```sh\nkodex-cli verify a.kodex\n\n  eingerückt\n```\n\nNachher",
    "Vorher\n\nkodex-cli verify a.kodex\n\n  eingerückt\n\nNachher",
    "code_block «kodex-cli verify a.kodex\n\n  eingerückt»\n" },
  { "indented-code", "    int x = 1;\n    return x;\n", "int x = 1;\nreturn x;",
    "code_block «int x = 1;\nreturn x;»\n" },
  { "block-quote", "> außen\n>\n> > innen\n\nDanach",
    "außen\n\ninnen\n\nDanach",
    "block_quote 1 «außen\n\ninnen»\nblock_quote 2 «innen»\n" },
  { "bullet-list", "- eins\n- zwei\n  - drei\n    - vier\n      - fünf\n",
    "• eins\n• zwei\n◦ drei\n▪ vier\n• fünf",
    "list_item 1 «• eins»\nlist_item 1 «• zwei\n◦ drei\n▪ vier\n• fünf»\n"
    "list_item 2 «◦ drei\n▪ vier\n• fünf»\nlist_item 3 «▪ vier\n• fünf»\nlist_item 4 «• fünf»\n" },
  { "ordered-list", "3) drei\n4) vier\n\n1. eins\n1. zwei\n",
    "3) drei\n4) vier\n\n1. eins\n2. zwei",
    "list_item 1 «3) drei»\nlist_item 1 «4) vier»\nlist_item 1 «1. eins»\nlist_item 1 «2. zwei»\n" },
  { "loose-list", "- a\n\n- b\n", "• a\n\n• b", "list_item 1 «• a»\nlist_item 1 «• b»\n" },
  { "quote-in-list", "- Punkt\n\n  > Zitat im Punkt\n- Nächster",
    "• Punkt\n\nZitat im Punkt\n\n• Nächster",
    "list_item 1 «• Punkt\n\nZitat im Punkt»\nblock_quote 1 «Zitat im Punkt»\n"
    "list_item 1 «• Nächster»\n" },
  { "list-in-quote", "> - a\n>   - b\n", "• a\n◦ b",
    "block_quote 1 «• a\n◦ b»\nlist_item 1 «• a\n◦ b»\nlist_item 2 «◦ b»\n" },
  { "task-list", "- [x] erledigt\n- [ ] offen\n", "☑ erledigt\n☐ offen",
    "list_item 1 «☑ erledigt»\nlist_item 1 «☐ offen»\n" },
  { "link", "Siehe [die Richtlinie](https://kodex.example/pol?id=7&v=2).",
    "Siehe die Richtlinie.",
    "link «die Richtlinie» → https://kodex.example/pol?id=7&v=2\n" },
  { "link-styled", "[**fett**](http://a.example)", "fett",
    "link «fett» → http://a.example\nstrong «fett»\n" },
  { "mailto", "<mailto:ethik@firma.example> und <https://firma.example>",
    "mailto:ethik@firma.example und https://firma.example",
    "link «mailto:ethik@firma.example» → mailto:ethik@firma.example\n"
    "link «https://firma.example» → https://firma.example\n" },
  { "autolink", "Mehr auf www.firma.example heute.", "Mehr auf www.firma.example heute.",
    "link «www.firma.example» → http://www.firma.example\n" },
  { "javascript-link", "[klick](javascript:alert(1)) [Klick](JAVASCRIPT:x)",
    "klick Klick", "" },
  { "other-links", "[datei](file:///etc/passwd) [daten](data:text/html,x) [rel](pol/7) [anker](#a)",
    "datei daten rel anker", "" },
  { "script-block", "<script>alert(1)</script>\n\nDanach",
    "<script>alert(1)</script>\n\nDanach", "html «<script>alert(1)</script>»\n" },
  { "inline-html", "Text <img src=http://x onerror=alert(1)> Ende",
    "Text <img src=http://x onerror=alert(1)> Ende", "html «<img src=http://x onerror=alert(1)>»\n" },
  { "image", "Vor ![Organigramm des Ausschusses](http://x.example/o.png) nach",
    "Vor Organigramm des Ausschusses nach", "" },
  { "image-in-link", "[![Logo](http://x/l.png)](https://y.example)", "Logo",
    "link «Logo» → https://y.example\n" },
  { "entities", "&amp; &lt;script&gt; &auml; &#8364;", "& <script> ä €", "" },
  { "table", "| Rolle | Frist |\n|:--|--:|\n| Vorsitz | 3 |\n| Mitglied | **14** |\n",
    "Rolle    │ Frist\n─────────┼──────\nVorsitz  │     3\nMitglied │    14",
    "table «Rolle    │ Frist\n─────────┼──────\nVorsitz  │     3\nMitglied │    14»\n"
    "table_header «Rolle    │ Frist»\nstrong «14»\n" },
  { "table-centred-umlauts", "| Größe | Ä |\n|:-:|:-:|\n| ü | längerer |\n",
    "Größe │    Ä\n──────┼─────────\n  ü   │ längerer",
    "table «Größe │    Ä\n──────┼─────────\n  ü   │ längerer»\ntable_header «Größe │    Ä»\n" },
  { "thematic-break", "oben\n\n***\n\nunten", "oben\n\n───\n\nunten",
    "thematic_break «───»\n" },
  { "umlauts", "# Übersicht für Größe\n\nÄußerst **süß**: ß, €, “Zitat”",
    "Übersicht für Größe\n\nÄußerst süß: ß, €, “Zitat”",
    "heading 1 «Übersicht für Größe»\nstrong «süß»\n" },
};

static void
test_render (gconstpointer data)
{
  const RenderCase *c = data;
  g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render (c->markdown, -1);
  g_autofree char *spans = describe_spans (doc);

  assert_well_formed (doc);
  g_assert_cmpstr (kdx_markdown_doc_get_text (doc, NULL), ==, c->text);
  g_assert_cmpstr (spans, ==, c->spans);
}

/* A length is honoured: bytes after it are not read, NUL bytes inside it
 * and invalid UTF-8 become U+FFFD. */
static void
test_render_bytes (void)
{
  static const char bytes[] = "a\0b \xff\xfe ok \xc3";
  g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render (bytes, sizeof bytes - 1);
  g_autoptr(KdxMarkdownDoc) cut = kdx_markdown_render ("**fett**", 4);
  g_autoptr(KdxMarkdownDoc) none = kdx_markdown_render (NULL, 0);

  assert_well_formed (doc);
  g_assert_cmpstr (kdx_markdown_doc_get_text (doc, NULL), ==, "a\xef\xbf\xbd" "b \xef\xbf\xbd\xef\xbf\xbd ok \xef\xbf\xbd");
  g_assert_cmpstr (kdx_markdown_doc_get_text (cut, NULL), ==, "**fe");
  g_assert_cmpstr (kdx_markdown_doc_get_text (none, NULL), ==, "");
}

/* ------------------------------------------------------------------ */
/* Outline                                                            */

static void
test_outline (void)
{
  static const char markdown[] =
    "# Richtlinie KI im Vertrieb\n"                /* line 1 */
    "\n"
    "Einleitung.\n"
    "\n"
    "## 1. Geltungsbereich *und* Zweck\n"          /* line 5 */
    "\n"
    "> ### Zitierte Überschrift\n"                 /* line 7 */
    "\n"
    "Aufsicht\n"                                   /* line 9 */
    "--------\n"
    "\n"
    "```\n# keine Überschrift\n```\n"
    "\n"
    "###### Sechs\n"                               /* line 16 */
    "\n"
    "Zwei <span\nclass=x> Zeilen\n"                  /* line 18 */
    "===\n";
  static const struct { guint level; const char *title; guint line; } expected[] = {
    { 1, "Richtlinie KI im Vertrieb", 1 },
    { 2, "1. Geltungsbereich und Zweck", 5 },
    { 3, "Zitierte Überschrift", 7 },
    { 2, "Aufsicht", 9 },
    { 6, "Sechs", 16 },
    { 1, "Zwei <span class=x> Zeilen", 18 },
  };
  g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render (markdown, -1);
  const char *text = kdx_markdown_doc_get_text (doc, NULL);
  guint n;
  const KdxMarkdownHeading *outline = kdx_markdown_doc_get_outline (doc, &n);

  assert_well_formed (doc);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *at = g_strndup (text + outline[i].offset, strlen (expected[i].title));

      g_assert_cmpuint (outline[i].level, ==, expected[i].level);
      g_assert_cmpstr (outline[i].title, ==, expected[i].title);
      g_assert_cmpuint (outline[i].source_line, ==, expected[i].line);

      /* The preview can jump there: the heading starts at the offset. */
      g_strdelimit (at, "\n", ' ');
      g_assert_cmpstr (at, ==, expected[i].title);
    }
}

/* ------------------------------------------------------------------ */
/* Word count                                                         */

typedef struct
{
  const char *name;
  const char *markdown;
  guint       words;
} WordCase;

static const WordCase word_cases[] = {
  { "empty", "", 0 },
  { "white-space", "  \n\t\n ", 0 },
  { "compounds", "Datenschutz-Folgenabschätzung für KI-gestützte Systeme", 4 },
  { "abbreviations", "z. B. die DSGVO.", 4 },
  { "punctuation-alone", "Ein — Gedankenstrich; ein – Halbgeviert … und & so", 6 },
  { "umlauts", "Straße, Maßnahme; Übergröße!", 3 },
  { "numbers", "10 % mehr als 1.000 €", 4 },
  { "markup-inside-word", "**Daten**schutz und *Ver*antwortung", 3 },
  { "inline-code", "Mit `kodex-cli verify` prüfen", 4 },
  { "code-block", "```\nint x = 1;\n```", 3 },
  { "list-markers", "- eins\n- zwei\n\n1. drei\n2. vier\n- [x] fünf", 5 },
  { "link-target", "[Richtlinie](https://kodex.example/lang/pfad/zur/seite)", 1 },
  { "image", "![Bild vom Ausschuss](http://x/y.png)", 3 },
  { "table", "| Rolle | Frist |\n|---|---|\n| Vorsitz | 3 Tage |", 5 },
  { "heading-and-quote", "# Überschrift\n\n> Zitat hier\n\n---\n", 3 },
  { "raw-html", "<b>fett</b> Text", 2 },
};

static void
test_count_words (gconstpointer data)
{
  const WordCase *c = data;
  g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render (c->markdown, -1);

  g_assert_cmpuint (kdx_markdown_count_words (c->markdown), ==, c->words);
  g_assert_cmpuint (kdx_markdown_doc_count_words (doc), ==, c->words);
}

/* ------------------------------------------------------------------ */
/* HTML                                                               */

typedef struct
{
  const char *name;
  const char *markdown;
  const char *contains;      /* NULL: nothing */
  const char *not_contains;  /* NULL: nothing */
} HtmlCase;

static const HtmlCase html_cases[] = {
  { "script-block", "<script>alert(1)</script>",
    "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;", "<script" },
  { "script-inline", "Text <script>alert(1)</script> Text",
    "<code>&lt;script&gt;</code>", "<script" },
  { "img-onerror", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;", "<img" },
  { "iframe", "Vor <iframe src=\"https://evil.example\"></iframe>", "&lt;iframe", "<iframe" },
  { "style", "<style>body{display:none}</style>", "&lt;style&gt;", "<style" },
  { "comment", "<!-- versteckt -->", "&lt;!-- versteckt --&gt;", "<!--" },
  { "javascript-link", "[klick](javascript:alert(1))", "klick", "href" },
  { "javascript-autolink", "<javascript:alert(1)>", "javascript:alert(1)", "href" },
  { "relative-link", "[rel](../geheim)", "rel", "href" },
  { "image", "![Organigramm](http://x.example/o.png)", "Organigramm", "<img" },
  { "link", "[Richtlinie](https://kodex.example/a?b=1&c=\"2\")",
    "<a href=\"https://kodex.example/a?b=1&amp;c=%222%22\">Richtlinie</a>", NULL },
  { "mailto", "<mailto:ethik@firma.example>", "href=\"mailto:ethik@firma.example\"", NULL },
  { "text-escaped", "a < b && c > d", "a &lt; b &amp;&amp; c &gt; d", NULL },
  { "table", "| a | b |\n|---|---|\n| c | <b>d</b> |", "<td><code>&lt;b&gt;</code>d", "<b>" },
  { "attribute-breakout", "[x](https://a.example/\"onmouseover=\"alert(1))",
    "href=\"https://a.example/%22onmouseover=%22alert(1)\"", "\"onmouseover" },
  { "umlauts", "# Größe\n\n**süß**", "<h1>Größe</h1>\n<p><strong>süß</strong></p>", NULL },
};

static void
test_html (gconstpointer data)
{
  const HtmlCase *c = data;
  g_autofree char *html = kdx_markdown_to_html (c->markdown, -1);
  g_autofree char *lower = g_ascii_strdown (html, -1);

  g_assert_true (g_utf8_validate (html, -1, NULL));
  if (c->contains != NULL)
    g_assert_nonnull (strstr (html, c->contains));
  if (c->not_contains != NULL)
    g_assert_null (strstr (lower, c->not_contains));
}

/* ------------------------------------------------------------------ */
/* Hostile input                                                      */

static char *
repeat (const char *unit,
        guint       n,
        const char *tail)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  g_string_append (s, tail);

  return g_string_free (s, FALSE);
}

typedef struct
{
  const char *name;
  const char *unit;
  guint       n;
  const char *tail;
} HostileCase;

/* 10,000 deep, or as long as that. They must finish without a crash and
 * give a well-formed document and HTML without raw HTML. */
static const HostileCase hostile_cases[] = {
  { "quotes", ">", 10000, " tief\n" },
  { "quotes-lines", "> ", 10000, "tief\n" },
  { "lists", "- ", 10000, "tief\n" },
  { "ordered-lists", "1. ", 10000, "tief\n" },
  { "brackets", "[", 10000, "x\n" },
  { "brackets-closed", "[", 10000, "x](https://a.example)\n" },
  { "stars", "*", 10000, "x\n" },
  { "stars-words", "**a ", 10000, "x\n" },
  { "underscores", "_", 10000, "x_\n" },
  { "backticks", "`", 10000, "x\n" },
  { "tildes", "~~", 10000, "x\n" },
  { "images", "![", 10000, "x\n" },
  { "html-open", "<div>", 10000, "\n" },
  { "lt", "<", 10000, "\n" },
  { "table-wide", "|a", 10000, "\n|-\n|b\n" },
  { "table-rows", "|b|c|\n", 10000, "" },
  { "entities", "&#x1F600;", 10000, "\n" },
};

static void
test_hostile (gconstpointer data)
{
  const HostileCase *c = data;
  g_autofree char *markdown = repeat (c->unit, c->n, c->tail);
  g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render (markdown, -1);
  g_autofree char *html = kdx_markdown_to_html (markdown, -1);
  g_autofree char *lower = g_ascii_strdown (html, -1);

  assert_well_formed (doc);
  g_assert_true (g_utf8_validate (html, -1, NULL));
  g_assert_null (strstr (lower, "<div"));
  kdx_markdown_count_words (markdown);
}

/* A table whose one long cell would pad every other row to its width: the
 * text stays within a small multiple of the input. */
static void
test_table_padding_bounded (void)
{
  g_autofree char *wide = repeat ("a", 30000, "");
  g_autofree char *rows = repeat ("|b|c|\n", 3000, "");
  g_autofree char *markdown = g_strdup_printf ("|%s|x|\n|-|-|\n%s", wide, rows);
  g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render (markdown, -1);
  gsize length;

  kdx_markdown_doc_get_text (doc, &length);
  assert_well_formed (doc);
  g_assert_cmpuint (length, <, 16 * strlen (markdown));
}

/* 1 MB of an ordinary policy text. No timing assertion (the machine may
 * be busy); the time goes to the log. */
static void
test_one_megabyte (void)
{
  static const char block[] =
    "## Abschnitt\n\n"
    "Ein *Absatz* mit **fett**, `code`, [Link](https://kodex.example) und Umlauten: äöüß.\n"
    "Weiter im selben Absatz.\n\n"
    "- Punkt eins\n- Punkt zwei\n  - tiefer\n\n"
    "> Ein Zitat.\n\n"
    "| Rolle | Frist |\n|---|--:|\n| Vorsitz | 3 |\n\n"
    "```\ncode\n```\n\n";
  g_autoptr(GString) markdown = g_string_new (NULL);
  g_autoptr(KdxMarkdownDoc) doc = NULL;
  g_autofree char *html = NULL;
  double render_s, html_s;
  guint n_headings;

  while (markdown->len < 1024 * 1024)
    g_string_append (markdown, block);

  g_test_timer_start ();
  doc = kdx_markdown_render (markdown->str, markdown->len);
  render_s = g_test_timer_elapsed ();
  g_test_timer_start ();
  html = kdx_markdown_to_html (markdown->str, markdown->len);
  html_s = g_test_timer_elapsed ();
  g_test_message ("1 MB: rendered in %.0f ms, HTML in %.0f ms", render_s * 1000, html_s * 1000);

  assert_well_formed (doc);
  kdx_markdown_doc_get_outline (doc, &n_headings);
  g_assert_cmpuint (n_headings, ==, markdown->len / strlen (block));
  g_assert_true (g_utf8_validate (html, -1, NULL));
}

/* Adds one test per row of a table of cases; each row begins with its
 * name. */
static void
add_cases (const char    *group,
           gconstpointer  cases,
           gsize          row_size,
           guint          n_rows,
           GTestDataFunc  func)
{
  for (guint i = 0; i < n_rows; i++)
    {
      gconstpointer row = (const char *) cases + i * row_size;
      g_autofree char *path = g_strdup_printf ("/kdx/markdown/%s/%s", group,
                                               *(const char * const *) row);

      g_test_add_data_func (path, row, func);
    }
}

#define ADD_CASES(group, cases, func) \
  add_cases (group, cases, sizeof cases[0], G_N_ELEMENTS (cases), func)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD_CASES ("render", render_cases, test_render);
  g_test_add_func ("/kdx/markdown/render/bytes", test_render_bytes);
  g_test_add_func ("/kdx/markdown/outline", test_outline);
  ADD_CASES ("words", word_cases, test_count_words);
  ADD_CASES ("html", html_cases, test_html);
  ADD_CASES ("hostile", hostile_cases, test_hostile);
  g_test_add_func ("/kdx/markdown/hostile/table-padding", test_table_padding_bounded);
  g_test_add_func ("/kdx/markdown/hostile/one-megabyte", test_one_megabyte);

  return g_test_run ();
}
