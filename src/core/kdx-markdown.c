/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Markdown through cmark-gfm: its syntax tree is walked once, with cmark's
 * iterator (no recursion, so any nesting depth is fine), into plain text
 * and spans; tables are laid out cell by cell. See kdx-markdown.h for what
 * the output promises.
 */
#define G_LOG_DOMAIN "kdx-markdown"

#include "config.h"

#include "kdx-markdown.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <string.h>

struct _KdxMarkdownDoc
{
  char   *text;
  gsize   length;
  GArray *spans;     /* KdxMarkdownSpan */
  GArray *outline;   /* KdxMarkdownHeading */
};

/* Only this much of a text is read, so that offsets fit a guint even
 * after list bullets and table padding have made the text longer. */
#define MAX_INPUT_BYTES (64 * 1024 * 1024)

/* Padding a table's cells may make its text at most this many times
 * longer (or this long); past that the cells are not padded. A column
 * with one very long cell and many rows could otherwise turn a small
 * input into gigabytes. */
#define TABLE_PAD_FACTOR 8
#define TABLE_PAD_FLOOR  (64 * 1024)

typedef struct
{
  cmark_syntax_extension *table;
  cmark_syntax_extension *strikethrough;
  cmark_syntax_extension *autolink;
  cmark_syntax_extension *tasklist;
} Extensions;

typedef struct
{
  GString  *text;
  GArray   *spans;          /* KdxMarkdownSpan */
  GArray   *outline;        /* KdxMarkdownHeading */
  GArray   *list_numbers;   /* gint64: the next number of each open list */
  guint     pending_breaks; /* line breaks owed before the next block */
  gsize     separated_at;   /* text length right after the last block separator */
  guint     quote_depth;
} Builder;

/* A table cell: a range of the text and of the spans of the builder its
 * table renders all cells into. */
typedef struct
{
  gsize    start;
  gsize    end;
  guint    first_span;
  guint    end_span;
  guint    width;           /* in monospace cells */
} Cell;

static const char * const bullets[] = { "•", "◦", "▪" };

static void render_tree (Builder    *b,
                         cmark_node *root);

static gpointer
register_extensions (gpointer data)
{
  static Extensions extensions;

  cmark_gfm_core_extensions_ensure_registered ();
  extensions.table = cmark_find_syntax_extension ("table");
  extensions.strikethrough = cmark_find_syntax_extension ("strikethrough");
  extensions.autolink = cmark_find_syntax_extension ("autolink");
  extensions.tasklist = cmark_find_syntax_extension ("tasklist");
  g_assert (extensions.table != NULL && extensions.strikethrough != NULL &&
            extensions.autolink != NULL && extensions.tasklist != NULL);

  return &extensions;
}

static const Extensions *
get_extensions (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, register_extensions, NULL);
}

/* Parses @markdown with the GitHub extensions. Never CMARK_OPT_UNSAFE:
 * raw HTML and dangerous links must not reach any output as such. */
static cmark_node *
parse (const char    *markdown,
       gssize         len,
       cmark_parser **parser_out)
{
  const Extensions *extensions = get_extensions ();
  cmark_parser *parser;

  if (len < 0)
    len = strlen (markdown);
  len = MIN (len, MAX_INPUT_BYTES);

  parser = cmark_parser_new (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
  cmark_parser_attach_syntax_extension (parser, extensions->table);
  cmark_parser_attach_syntax_extension (parser, extensions->strikethrough);
  cmark_parser_attach_syntax_extension (parser, extensions->autolink);
  cmark_parser_attach_syntax_extension (parser, extensions->tasklist);
  if (len > 0)
    cmark_parser_feed (parser, markdown, len);

  *parser_out = parser;
  return cmark_parser_finish (parser);
}

static gboolean
url_is_allowed (const char *url)
{
  if (url == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (url, "http://", 7) != 0 &&
      g_ascii_strncasecmp (url, "https://", 8) != 0 &&
      g_ascii_strncasecmp (url, "mailto:", 7) != 0)
    return FALSE;
  for (const char *p = url; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;

  return TRUE;
}

static gboolean
is_extension_node (cmark_node             *node,
                   cmark_syntax_extension *extension,
                   const char             *type)
{
  return cmark_node_get_syntax_extension (node) == extension &&
         strcmp (cmark_node_get_type_string (node), type) == 0;
}

/* Columns a monospace font gives @text: wide (East Asian) characters take
 * two, combining marks none. */
static guint
display_width (const char *text,
               gsize       len)
{
  guint width = 0;

  for (const char *p = text; p < text + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iszerowidth (c))
        width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

static void
span_clear (gpointer data)
{
  KdxMarkdownSpan *span = data;

  g_clear_pointer (&span->url, g_free);
}

static void
heading_clear (gpointer data)
{
  KdxMarkdownHeading *heading = data;

  g_clear_pointer (&heading->title, g_free);
}

/* ------------------------------------------------------------------ */
/* Building the text and its spans                                    */

/* A builder for a table cell (@cell) needs no outline and no lists: a
 * cell holds inline content only. */
static void
builder_init (Builder  *b,
              gboolean  cell)
{
  memset (b, 0, sizeof *b);
  b->text = g_string_new (NULL);
  b->spans = g_array_new (FALSE, FALSE, sizeof (KdxMarkdownSpan));
  g_array_set_clear_func (b->spans, span_clear);
  if (!cell)
    {
      b->outline = g_array_new (FALSE, FALSE, sizeof (KdxMarkdownHeading));
      g_array_set_clear_func (b->outline, heading_clear);
      b->list_numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
}

static void
builder_clear (Builder *b)
{
  if (b->text != NULL)
    g_string_free (b->text, TRUE);
  g_clear_pointer (&b->spans, g_array_unref);
  g_clear_pointer (&b->outline, g_array_unref);
  g_clear_pointer (&b->list_numbers, g_array_unref);
  b->text = NULL;
}

static guint
span_begin (Builder          *b,
            KdxMarkdownStyle  style,
            guint             level,
            const char       *url)
{
  KdxMarkdownSpan span = {
    .style = style,
    .level = level,
    .start = b->text->len,
    .end = b->text->len,
    .url = g_strdup (url),
  };

  g_array_append_val (b->spans, span);
  return b->spans->len - 1;
}

static void
span_end (Builder *b,
          guint    index)
{
  KdxMarkdownSpan *span = &g_array_index (b->spans, KdxMarkdownSpan, index);

  span->end = b->text->len;
  if (span->end == span->start)
    {
      /* Whatever began inside an empty span was empty too and is gone. */
      g_assert (index == b->spans->len - 1);
      g_array_set_size (b->spans, index);
    }
}

/* Spans of container nodes are ended when cmark's iterator leaves the
 * node; the node keeps the span's index + 1 meanwhile. */
static void
node_span_begin (Builder          *b,
                 cmark_node       *node,
                 KdxMarkdownStyle  style,
                 guint             level,
                 const char       *url)
{
  guint index = span_begin (b, style, level, url);

  cmark_node_set_user_data (node, GUINT_TO_POINTER (index + 1));
}

static void
node_span_end (Builder    *b,
               cmark_node *node)
{
  guint index = GPOINTER_TO_UINT (cmark_node_get_user_data (node));

  if (index > 0)
    span_end (b, index - 1);
  cmark_node_set_user_data (node, NULL);
}

/* Before a block: the line breaks the previous block asked for, unless
 * nothing was written since the last separator. */
static void
begin_block (Builder *b)
{
  if (b->text->len > b->separated_at)
    {
      for (guint i = 0; i < b->pending_breaks; i++)
        g_string_append_c (b->text, '\n');
      b->separated_at = b->text->len;
    }
  b->pending_breaks = 0;
}

/* After a block: the next one follows after @breaks line breaks (the
 * outermost block that ends last decides). */
static void
end_block (Builder *b,
           guint    breaks)
{
  b->pending_breaks = breaks;
}

static gboolean
is_in_tight_list (cmark_node *node)
{
  cmark_node *item = cmark_node_parent (node);
  cmark_node *list = item ? cmark_node_parent (item) : NULL;

  return item != NULL && list != NULL && cmark_node_get_type (item) == CMARK_NODE_ITEM &&
         cmark_node_get_type (list) == CMARK_NODE_LIST && cmark_node_get_list_tight (list);
}

/* A literal block (code, raw HTML) without its final line breaks. */
static void
append_literal_block (Builder          *b,
                      cmark_node       *node,
                      KdxMarkdownStyle  style)
{
  const char *literal = cmark_node_get_literal (node);
  gsize len = literal ? strlen (literal) : 0;
  guint index;

  while (len > 0 && literal[len - 1] == '\n')
    len--;

  begin_block (b);
  index = span_begin (b, style, 0, NULL);
  g_string_append_len (b->text, literal, len);
  span_end (b, index);
  end_block (b, is_in_tight_list (node) ? 1 : 2);
}

static void
append_literal_inline (Builder          *b,
                       cmark_node       *node,
                       KdxMarkdownStyle  style)
{
  const char *literal = cmark_node_get_literal (node);
  guint index = span_begin (b, style, 0, NULL);

  if (literal != NULL)
    g_string_append (b->text, literal);
  span_end (b, index);
}

static void
append_item_marker (Builder    *b,
                    cmark_node *item)
{
  const Extensions *extensions = get_extensions ();
  cmark_node *list = cmark_node_parent (item);
  gint64 *number;

  g_assert (b->list_numbers->len > 0);
  number = &g_array_index (b->list_numbers, gint64, b->list_numbers->len - 1);

  if (cmark_node_get_syntax_extension (item) == extensions->tasklist)
    g_string_append (b->text, cmark_gfm_extensions_get_tasklist_item_checked (item) ? "☑" : "☐");
  else if (cmark_node_get_list_type (list) == CMARK_ORDERED_LIST)
    g_string_append_printf (b->text, "%" G_GINT64_FORMAT "%c", *number,
                            cmark_node_get_list_delim (list) == CMARK_PAREN_DELIM ? ')' : '.');
  else
    g_string_append (b->text, bullets[(b->list_numbers->len - 1) % G_N_ELEMENTS (bullets)]);
  /* The space ends the marker: kdx_markdown_doc_count_words() skips it. */
  g_string_append_c (b->text, ' ');
  (*number)++;
}

static void
heading_begin (Builder    *b,
               cmark_node *node)
{
  KdxMarkdownHeading heading = {
    .level = CLAMP (cmark_node_get_heading_level (node), 1, 6),
    .source_line = MAX (cmark_node_get_start_line (node), 0),
    .offset = b->text->len,
  };

  node_span_begin (b, node, KDX_MARKDOWN_STYLE_HEADING, heading.level, NULL);
  if (b->outline != NULL)
    g_array_append_val (b->outline, heading);
}

static void
heading_end (Builder    *b,
             cmark_node *node)
{
  KdxMarkdownHeading *heading;

  node_span_end (b, node);
  if (b->outline == NULL || b->outline->len == 0)
    return;

  /* Headings do not nest: the last one is this one. */
  heading = &g_array_index (b->outline, KdxMarkdownHeading, b->outline->len - 1);
  heading->title = g_strndup (b->text->str + heading->offset, b->text->len - heading->offset);
  g_strdelimit (heading->title, "\n", ' ');
}

/* ------------------------------------------------------------------ */
/* Tables                                                             */

/* All cells of a table are rendered one after the other into one
 * builder; a cell is a range of its text and of its spans. (One builder
 * per cell would cost a few allocations per cell, which adds up in a
 * table of 10,000 rows.) */
typedef struct
{
  Builder  builder;
  GArray  *cells;        /* Cell */
  GArray  *row_ends;     /* guint: index of the first cell after each row */
  GArray  *widths;       /* guint: the widest cell of each column */
} Table;

static void
table_init (Table *t,
            Builder *b)
{
  builder_init (&t->builder, TRUE);
  t->cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  t->row_ends = g_array_new (FALSE, FALSE, sizeof (guint));
  t->widths = g_array_new (FALSE, TRUE, sizeof (guint));
}

static void
table_clear (Table *t)
{
  builder_clear (&t->builder);
  g_clear_pointer (&t->cells, g_array_unref);
  g_clear_pointer (&t->row_ends, g_array_unref);
  g_clear_pointer (&t->widths, g_array_unref);
}

/* The inline content of each cell, and the width of each column. */
static void
render_cells (Table      *t,
              cmark_node *table)
{
  GString *text = t->builder.text;

  for (cmark_node *row = cmark_node_first_child (table); row != NULL;
       row = cmark_node_next (row))
    {
      guint column = 0;

      for (cmark_node *node = cmark_node_first_child (row); node != NULL;
           node = cmark_node_next (node), column++)
        {
          Cell cell = { .start = text->len, .first_span = t->builder.spans->len };

          render_tree (&t->builder, node);
          cell.end = text->len;
          cell.end_span = t->builder.spans->len;
          cell.width = display_width (text->str + cell.start, cell.end - cell.start);
          /* A cell is one line; same length, so its spans still fit. */
          for (gsize i = cell.start; i < cell.end; i++)
            if (text->str[i] == '\n')
              text->str[i] = ' ';
          g_array_append_val (t->cells, cell);

          if (t->widths->len <= column)
            g_array_set_size (t->widths, column + 1);
          g_array_index (t->widths, guint, column) = MAX (g_array_index (t->widths, guint, column),
                                                          cell.width);
        }
      g_array_append_val (t->row_ends, t->cells->len);
    }
}

/* Whether padding every cell to its column's width keeps the table's
 * text within bounds. */
static gboolean
table_may_pad (Table *t)
{
  guint64 plain = 0, padded = 0;
  guint first = 0;

  for (guint r = 0; r < t->row_ends->len; r++)
    {
      guint end = g_array_index (t->row_ends, guint, r);

      for (guint c = first; c < end; c++)
        {
          Cell *cell = &g_array_index (t->cells, Cell, c);
          guint width = g_array_index (t->widths, guint, c - first);

          plain += cell->end - cell->start + 3;
          padded += cell->end - cell->start + 3 + (width - cell->width);
        }
      first = end;
    }
  for (guint c = 0; c < t->widths->len; c++)
    padded += 3 * ((guint64) g_array_index (t->widths, guint, c) + 3);

  return padded <= MAX ((guint64) TABLE_PAD_FLOOR, TABLE_PAD_FACTOR * plain);
}

static void
append_spaces (GString *text,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (text, ' ');
}

static void
append_table_rule (Builder *b,
                   GArray  *widths)
{
  for (guint c = 0; c < widths->len; c++)
    {
      guint width = MAX (g_array_index (widths, guint, c), 1);

      if (c > 0)
        g_string_append (b->text, "─┼─");
      for (guint i = 0; i < width; i++)
        g_string_append (b->text, "─");
    }
}

/* Cells [@first, @end) of @t as one line of @b. */
static void
append_table_row (Builder      *b,
                  Table        *t,
                  guint         first,
                  guint         end,
                  const guint8 *alignments,
                  guint         n_alignments,
                  gboolean      pad)
{
  for (guint c = first; c < end; c++)
    {
      const Cell *cell = &g_array_index (t->cells, Cell, c);
      guint column = c - first;
      guint space = pad ? g_array_index (t->widths, guint, column) - cell->width : 0;
      guint8 align = column < n_alignments ? alignments[column] : 0;
      guint before = align == 'r' ? space : align == 'c' ? space / 2 : 0;
      gsize offset;

      if (c > first)
        g_string_append (b->text, " │ ");
      append_spaces (b->text, before);

      offset = b->text->len;
      g_string_append_len (b->text, t->builder.text->str + cell->start, cell->end - cell->start);
      for (guint i = cell->first_span; i < cell->end_span; i++)
        {
          KdxMarkdownSpan span = g_array_index (t->builder.spans, KdxMarkdownSpan, i);

          span.start = span.start - cell->start + offset;
          span.end = span.end - cell->start + offset;
          span.url = g_strdup (span.url);
          g_array_append_val (b->spans, span);
        }

      if (c + 1 < end)
        append_spaces (b->text, space - before);
    }
}

/* Renders a whole table at once: the widths of the columns are known only
 * after every cell has been rendered. */
static void
render_table (Builder    *b,
              cmark_node *table)
{
  guint n_alignments = cmark_gfm_extensions_get_table_columns (table);
  const guint8 *alignments = cmark_gfm_extensions_get_table_alignments (table);
  cmark_node *row = cmark_node_first_child (table);
  guint table_span, first = 0;
  gboolean pad;
  Table t;

  if (alignments == NULL)
    n_alignments = 0;

  table_init (&t, b);
  render_cells (&t, table);
  pad = table_may_pad (&t);

  begin_block (b);
  table_span = span_begin (b, KDX_MARKDOWN_STYLE_TABLE, 0, NULL);
  for (guint r = 0; r < t.row_ends->len; r++, row = cmark_node_next (row))
    {
      guint end = g_array_index (t.row_ends, guint, r);
      gboolean header = cmark_gfm_extensions_get_table_row_is_header (row);
      guint header_span = 0;

      if (r > 0)
        g_string_append_c (b->text, '\n');
      if (header)
        header_span = span_begin (b, KDX_MARKDOWN_STYLE_TABLE_HEADER, 0, NULL);
      append_table_row (b, &t, first, end, alignments, n_alignments, pad);
      if (header)
        {
          span_end (b, header_span);
          g_string_append_c (b->text, '\n');
          append_table_rule (b, t.widths);
        }
      first = end;
    }
  span_end (b, table_span);
  end_block (b, 2);

  table_clear (&t);
}

/* ------------------------------------------------------------------ */
/* The walk                                                           */

static void
render_extension_node (Builder           *b,
                       cmark_iter        *iter,
                       cmark_node        *node,
                       gboolean           entering)
{
  const Extensions *extensions = get_extensions ();

  if (is_extension_node (node, extensions->strikethrough, "strikethrough"))
    {
      if (entering)
        node_span_begin (b, node, KDX_MARKDOWN_STYLE_STRIKETHROUGH, 0, NULL);
      else
        node_span_end (b, node);
    }
  else if (is_extension_node (node, extensions->table, "table"))
    {
      if (entering && b->outline != NULL)
        render_table (b, node);
      /* The table is done; go on after it. */
      cmark_iter_reset (iter, node, CMARK_EVENT_EXIT);
    }
  /* Table cells are rendered from render_table(); other extension nodes
   * (none are enabled) show their content. */
}

static void
render_node (Builder           *b,
             cmark_iter        *iter,
             cmark_node        *node,
             gboolean           entering)
{
  switch (cmark_node_get_type (node))
    {
    case CMARK_NODE_BLOCK_QUOTE:
      if (entering)
        {
          begin_block (b);
          b->quote_depth++;
          node_span_begin (b, node, KDX_MARKDOWN_STYLE_BLOCK_QUOTE, b->quote_depth, NULL);
        }
      else
        {
          node_span_end (b, node);
          b->quote_depth--;
          end_block (b, is_in_tight_list (node) ? 1 : 2);
        }
      break;

    case CMARK_NODE_LIST:
      /* Table cells hold inline content only; their builders have no
       * lists. */
      if (b->list_numbers == NULL)
        break;
      if (entering)
        {
          gint64 start = cmark_node_get_list_start (node);

          g_array_append_val (b->list_numbers, start);
        }
      else
        {
          g_array_set_size (b->list_numbers, b->list_numbers->len - 1);
          end_block (b, is_in_tight_list (node) ? 1 : 2);
        }
      break;

    case CMARK_NODE_ITEM:
      if (b->list_numbers == NULL)
        break;
      if (entering)
        {
          begin_block (b);
          node_span_begin (b, node, KDX_MARKDOWN_STYLE_LIST_ITEM, b->list_numbers->len, NULL);
          append_item_marker (b, node);
        }
      else
        {
          node_span_end (b, node);
          end_block (b, cmark_node_get_list_tight (cmark_node_parent (node)) ? 1 : 2);
        }
      break;

    case CMARK_NODE_PARAGRAPH:
      if (entering)
        begin_block (b);
      else
        end_block (b, is_in_tight_list (node) ? 1 : 2);
      break;

    case CMARK_NODE_HEADING:
      if (entering)
        {
          begin_block (b);
          heading_begin (b, node);
        }
      else
        {
          heading_end (b, node);
          end_block (b, 2);
        }
      break;

    case CMARK_NODE_CODE_BLOCK:
      append_literal_block (b, node, KDX_MARKDOWN_STYLE_CODE_BLOCK);
      break;

    case CMARK_NODE_HTML_BLOCK:
      append_literal_block (b, node, KDX_MARKDOWN_STYLE_HTML);
      break;

    case CMARK_NODE_THEMATIC_BREAK:
      {
        guint index;

        begin_block (b);
        index = span_begin (b, KDX_MARKDOWN_STYLE_THEMATIC_BREAK, 0, NULL);
        g_string_append (b->text, "───");
        span_end (b, index);
        end_block (b, 2);
      }
      break;

    case CMARK_NODE_TEXT:
      g_string_append (b->text, cmark_node_get_literal (node));
      break;

    case CMARK_NODE_SOFTBREAK:
      g_string_append_c (b->text, ' ');
      break;

    case CMARK_NODE_LINEBREAK:
      g_string_append_c (b->text, '\n');
      break;

    case CMARK_NODE_CODE:
      append_literal_inline (b, node, KDX_MARKDOWN_STYLE_CODE);
      break;

    case CMARK_NODE_HTML_INLINE:
      append_literal_inline (b, node, KDX_MARKDOWN_STYLE_HTML);
      break;

    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
      if (entering)
        node_span_begin (b, node,
                         cmark_node_get_type (node) == CMARK_NODE_EMPH ?
                           KDX_MARKDOWN_STYLE_EMPHASIS : KDX_MARKDOWN_STYLE_STRONG,
                         0, NULL);
      else
        node_span_end (b, node);
      break;

    case CMARK_NODE_LINK:
      if (entering)
        {
          const char *url = cmark_node_get_url (node);

          /* Any other link is its text alone. */
          if (url_is_allowed (url))
            node_span_begin (b, node, KDX_MARKDOWN_STYLE_LINK, 0, url);
        }
      else
        node_span_end (b, node);
      break;

    default:
      /* The document, images (their alternative text is their content,
       * and they are never fetched), footnotes (not enabled). */
      break;
    }
}

static void
render_tree (Builder    *b,
             cmark_node *root)
{
  cmark_iter *iter = cmark_iter_new (root);
  cmark_event_type event;

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      gboolean entering = event == CMARK_EVENT_ENTER;

      if (cmark_node_get_syntax_extension (node) != NULL &&
          cmark_node_get_type (node) != CMARK_NODE_ITEM)
        render_extension_node (b, iter, node, entering);
      else
        render_node (b, iter, node, entering);
    }

  cmark_iter_free (iter);
}

static void
render_into (Builder    *b,
             const char *markdown,
             gssize      len)
{
  cmark_parser *parser = NULL;
  cmark_node *root = parse (markdown, len, &parser);

  render_tree (b, root);
  cmark_node_free (root);
  cmark_parser_free (parser);
}

/* ------------------------------------------------------------------ */
/* Safe HTML                                                          */

/* Replaces @node by its children; FALSE when cmark refused a move. */
static gboolean
unwrap_node (cmark_node *node)
{
  cmark_node *child;

  while ((child = cmark_node_first_child (node)) != NULL)
    if (!cmark_node_insert_before (node, child))
      return FALSE;
  cmark_node_free (node);

  return TRUE;
}

/* Replaces raw HTML @node by code with the same text. */
static gboolean
html_to_code (cmark_node      *node,
              cmark_node_type  type)
{
  cmark_node *code = cmark_node_new (type);

  cmark_node_set_literal (code, cmark_node_get_literal (node));
  if (!cmark_node_replace (node, code))
    {
      cmark_node_free (code);
      return FALSE;
    }
  cmark_node_free (node);

  return TRUE;
}

/* Makes the tree safe for cmark's HTML renderer: raw HTML becomes code,
 * links other than http, https and mailto and all images become their
 * text. Whatever cmark does not let us rewrite is dropped. */
static void
make_tree_safe (cmark_node *root)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  cmark_iter *iter = cmark_iter_new (root);
  cmark_event_type event;

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);
      cmark_node_type type = cmark_node_get_type (node);

      if (event != CMARK_EVENT_ENTER)
        continue;
      if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE ||
          type == CMARK_NODE_IMAGE ||
          (type == CMARK_NODE_LINK && !url_is_allowed (cmark_node_get_url (node))))
        g_ptr_array_add (nodes, node);
    }
  cmark_iter_free (iter);

  /* Rewriting only moves the children of a rewritten node, so the nodes
   * collected after it are still in the tree. */
  for (guint i = 0; i < nodes->len; i++)
    {
      cmark_node *node = g_ptr_array_index (nodes, i);
      gboolean done;

      switch (cmark_node_get_type (node))
        {
        case CMARK_NODE_HTML_BLOCK:
          done = html_to_code (node, CMARK_NODE_CODE_BLOCK);
          break;
        case CMARK_NODE_HTML_INLINE:
          done = html_to_code (node, CMARK_NODE_CODE);
          break;
        default:
          done = unwrap_node (node);
          break;
        }

      if (!done)
        {
          g_debug ("Dropping a %s node that cannot be rewritten",
                   cmark_node_get_type_string (node));
          /* Its children go with it: none of them is collected later. */
          for (guint j = i + 1; j < nodes->len; j++)
            {
              for (cmark_node *up = g_ptr_array_index (nodes, j); up != NULL;
                   up = cmark_node_parent (up))
                if (up == node)
                  {
                    g_ptr_array_remove_index (nodes, j--);
                    break;
                  }
            }
          cmark_node_free (node);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

KdxMarkdownDoc *
kdx_markdown_render (const char *markdown,
                     gssize      len)
{
  KdxMarkdownDoc *doc;
  Builder b;

  g_return_val_if_fail (markdown != NULL || len == 0, NULL);

  builder_init (&b, FALSE);
  if (markdown != NULL)
    render_into (&b, markdown, len);

  doc = g_new0 (KdxMarkdownDoc, 1);
  doc->length = b.text->len;
  doc->text = g_string_free (g_steal_pointer (&b.text), FALSE);
  doc->spans = g_steal_pointer (&b.spans);
  doc->outline = g_steal_pointer (&b.outline);
  builder_clear (&b);

  return doc;
}

void
kdx_markdown_doc_free (KdxMarkdownDoc *doc)
{
  if (doc == NULL)
    return;

  g_free (doc->text);
  g_array_unref (doc->spans);
  g_array_unref (doc->outline);
  g_free (doc);
}

const char *
kdx_markdown_doc_get_text (KdxMarkdownDoc *doc,
                           gsize          *length)
{
  g_return_val_if_fail (doc != NULL, NULL);

  if (length != NULL)
    *length = doc->length;
  return doc->text;
}

const KdxMarkdownSpan *
kdx_markdown_doc_get_spans (KdxMarkdownDoc *doc,
                            guint          *n_spans)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (n_spans != NULL, NULL);

  *n_spans = doc->spans->len;
  return (const KdxMarkdownSpan *) doc->spans->data;
}

const KdxMarkdownHeading *
kdx_markdown_doc_get_outline (KdxMarkdownDoc *doc,
                              guint          *n_headings)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (n_headings != NULL, NULL);

  *n_headings = doc->outline->len;
  return (const KdxMarkdownHeading *) doc->outline->data;
}

guint
kdx_markdown_doc_count_words (KdxMarkdownDoc *doc)
{
  g_autofree char *text = NULL;
  guint words = 0;
  gboolean in_word = FALSE, counted = FALSE;

  g_return_val_if_fail (doc != NULL, 0);

  /* List markers are no words: they become spaces. */
  text = g_strndup (doc->text, doc->length);
  for (guint i = 0; i < doc->spans->len; i++)
    {
      const KdxMarkdownSpan *span = &g_array_index (doc->spans, KdxMarkdownSpan, i);

      if (span->style == KDX_MARKDOWN_STYLE_LIST_ITEM)
        for (guint j = span->start; j < span->end && text[j] != ' '; j++)
          text[j] = ' ';
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          in_word = FALSE;
          continue;
        }
      if (!in_word)
        {
          in_word = TRUE;
          counted = FALSE;
        }
      if (!counted && g_unichar_isalnum (c))
        {
          counted = TRUE;
          words++;
        }
    }

  return words;
}

guint
kdx_markdown_count_words (const char *markdown)
{
  g_autoptr(KdxMarkdownDoc) doc = NULL;

  g_return_val_if_fail (markdown != NULL, 0);

  doc = kdx_markdown_render (markdown, -1);
  return kdx_markdown_doc_count_words (doc);
}

char *
kdx_markdown_to_html (const char *markdown,
                      gssize      len)
{
  cmark_parser *parser = NULL;
  cmark_node *root;
  char *html;
  char *result;

  g_return_val_if_fail (markdown != NULL || len == 0, NULL);

  root = parse (markdown ? markdown : "", len, &parser);
  make_tree_safe (root);
  html = cmark_render_html (root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions (parser));
  result = g_strdup (html);

  cmark_get_default_mem_allocator ()->free (html);
  cmark_node_free (root);
  cmark_parser_free (parser);

  return result;
}
