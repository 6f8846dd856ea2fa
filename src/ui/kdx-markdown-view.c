/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live preview of a policy: Markdown rendered by core
 * (kdx_markdown_render()) into a read-only GtkTextView with tags — no web
 * engine. Block quotes get a bar and thematic breaks a line, both drawn
 * below the text. Links open in the browser on a click.
 *
 * A new text replaces only what changed: the common beginning and end of
 * the old and the new rendering stay in the buffer, the text in between
 * is replaced, and tags are redone only where a span differs. Typing in a
 * long policy thus relayouts one paragraph, not the whole text, and the
 * view does not jump.
 */
#define G_LOG_DOMAIN "kdx-markdown-view"

#include "config.h"

#include "kdx-markdown-view.h"

#include <adwaita.h>
#include <string.h>

/* Indentation stops growing past this many nested lists and quotes. */
#define MAX_DEPTH   8
#define MARGIN      24   /* px around the text */
#define DEPTH_STEP  28   /* px per list or quote level */
#define BAR_WIDTH   3    /* px, the bar beside a block quote */
#define BOX_PADDING 10   /* px around the text of a code block */
#define BOX_RADIUS  6

/* One entry of the byte → character index per this many bytes. */
#define INDEX_STEP  64

typedef enum
{
  DECORATION_QUOTE_BAR,
  DECORATION_RULE,
  DECORATION_CODE_BOX,
} DecorationKind;

/* What snapshot_layer() draws, in characters of the buffer. */
typedef struct
{
  DecorationKind kind;
  guint          depth;
  int            start;
  int            end;
} Decoration;

struct _KdxMarkdownView
{
  GtkTextView     parent_instance;

  KdxMarkdownDoc *doc;
  GArray         *char_index;    /* guint: characters before byte i * INDEX_STEP */
  GArray         *decorations;   /* Decoration, sorted by start */
  GtkTextMark    *jump_mark;

  GtkTextTag     *style_tags[KDX_MARKDOWN_N_STYLES];
  GtkTextTag     *heading_tags[6];
  GtkTextTag     *item_tags[MAX_DEPTH];
  GtkTextTag     *quote_tags[MAX_DEPTH];
  GtkTextTag     *bullet_tags[MAX_DEPTH];
  GtkTextTag     *number_tags[MAX_DEPTH];
  GtkTextTag     *html_block_tag;

  GdkRGBA         line_color;
  GdkRGBA         code_color;
  gboolean        pointer_on_link;
};

G_DEFINE_FINAL_TYPE (KdxMarkdownView, kdx_markdown_view, GTK_TYPE_TEXT_VIEW)

/* ------------------------------------------------------------------ */
/* Offsets                                                            */

static inline gboolean
is_continuation_byte (char c)
{
  return ((guchar) c & 0xc0) == 0x80;
}

static GArray *
build_char_index (const char *text,
                  gsize       length)
{
  GArray *index = g_array_sized_new (FALSE, FALSE, sizeof (guint), length / INDEX_STEP + 1);
  guint chars = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (i % INDEX_STEP == 0)
        g_array_append_val (index, chars);
      if (!is_continuation_byte (text[i]))
        chars++;
    }
  if (length % INDEX_STEP == 0)
    g_array_append_val (index, chars);

  return index;
}

/* The character offset of byte @byte (a character boundary) of @text,
 * which @index was built for. */
static int
char_offset_in (const char *text,
                GArray     *index,
                guint       byte)
{
  guint block = byte / INDEX_STEP;
  guint chars = g_array_index (index, guint, block);

  for (guint i = block * INDEX_STEP; i < byte; i++)
    if (!is_continuation_byte (text[i]))
      chars++;

  return chars;
}

static int
char_offset (KdxMarkdownView *self,
             guint            byte)
{
  return char_offset_in (kdx_markdown_doc_get_text (self->doc, NULL), self->char_index, byte);
}

static void
get_iter_at_byte (KdxMarkdownView *self,
                  GtkTextIter     *iter,
                  guint            byte)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));

  gtk_text_buffer_get_iter_at_offset (buffer, iter, char_offset (self, byte));
}

/* ------------------------------------------------------------------ */
/* Tags                                                               */

static GtkTextTag *
create_tag (KdxMarkdownView *self,
            const char      *first_property,
            ...)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextTag *tag = gtk_text_tag_new (NULL);
  va_list args;

  va_start (args, first_property);
  g_object_set_valist (G_OBJECT (tag), first_property, args);
  va_end (args);
  gtk_text_tag_table_add (gtk_text_buffer_get_tag_table (buffer), tag);
  g_object_unref (tag);

  return tag;
}

/* Later tags win where properties clash, so the order matters: deeper
 * levels after shallower ones, inline styles after blocks, links last. */
static void
create_tags (KdxMarkdownView *self)
{
  static const struct { double scale; int weight; int above; } headings[] = {
    { 1.75, 800, 14 }, { 1.45, 700, 12 }, { 1.25, 700, 10 },
    { 1.1, 700, 8 }, { 1.0, 700, 6 }, { 1.0, 600, 6 },
  };

  for (guint d = 0; d < MAX_DEPTH; d++)
    {
      int margin = MARGIN + (d + 1) * DEPTH_STEP;

      self->item_tags[d] = create_tag (self, "left-margin", margin, NULL);
      self->quote_tags[d] = create_tag (self, "left-margin", margin, NULL);
      self->bullet_tags[d] = create_tag (self, "left-margin", margin, NULL);
      self->number_tags[d] = create_tag (self, "left-margin", margin, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    self->heading_tags[i] = create_tag (self,
                                        "scale", headings[i].scale,
                                        "weight", headings[i].weight,
                                        "pixels-above-lines", headings[i].above,
                                        NULL);

  self->style_tags[KDX_MARKDOWN_STYLE_TABLE] =
    create_tag (self, "family", "monospace", "wrap-mode", GTK_WRAP_NONE, NULL);
  self->style_tags[KDX_MARKDOWN_STYLE_TABLE_HEADER] =
    create_tag (self, "weight", PANGO_WEIGHT_BOLD, NULL);
  self->style_tags[KDX_MARKDOWN_STYLE_CODE_BLOCK] =
    create_tag (self, "family", "monospace", "wrap-mode", GTK_WRAP_CHAR, NULL);
  self->html_block_tag = self->style_tags[KDX_MARKDOWN_STYLE_CODE_BLOCK];
  self->style_tags[KDX_MARKDOWN_STYLE_CODE] = create_tag (self, "family", "monospace", NULL);
  self->style_tags[KDX_MARKDOWN_STYLE_HTML] = create_tag (self, "family", "monospace", NULL);
  self->style_tags[KDX_MARKDOWN_STYLE_STRONG] =
    create_tag (self, "weight", PANGO_WEIGHT_BOLD, NULL);
  self->style_tags[KDX_MARKDOWN_STYLE_EMPHASIS] =
    create_tag (self, "style", PANGO_STYLE_ITALIC, NULL);
  self->style_tags[KDX_MARKDOWN_STYLE_STRIKETHROUGH] =
    create_tag (self, "strikethrough", TRUE, NULL);
  self->style_tags[KDX_MARKDOWN_STYLE_LINK] =
    create_tag (self, "underline", PANGO_UNDERLINE_SINGLE, NULL);
  /* The rule's text is hidden, snapshot_layer() draws a line instead. (An
   * alpha of 0 would be taken as opaque.) */
  self->style_tags[KDX_MARKDOWN_STYLE_THEMATIC_BREAK] =
    create_tag (self, "foreground-rgba", &(GdkRGBA) { 0, 0, 0, 0.01 }, NULL);
}

/* Colours that suit the light or the dark style of libadwaita. */
static void
update_colors (KdxMarkdownView *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA ink = dark ? (GdkRGBA) { 1, 1, 1, 1 } : (GdkRGBA) { 0, 0, 0, 1 };
  GdkRGBA muted = ink, code_bg = ink, link;

  muted.alpha = 0.6;
  code_bg.alpha = dark ? 0.1 : 0.06;
  self->line_color = ink;
  self->line_color.alpha = dark ? 0.25 : 0.18;
  /* libadwaita's accent colour (blue 4 on light, its lighter form on dark) */
  gdk_rgba_parse (&link, dark ? "#78aeed" : "#1c71d8");

  for (guint d = 0; d < MAX_DEPTH; d++)
    g_object_set (self->quote_tags[d], "foreground-rgba", &muted, NULL);
  g_object_set (self->heading_tags[5], "foreground-rgba", &muted, NULL);
  g_object_set (self->style_tags[KDX_MARKDOWN_STYLE_CODE], "background-rgba", &code_bg, NULL);
  g_object_set (self->style_tags[KDX_MARKDOWN_STYLE_HTML], "background-rgba", &code_bg, NULL);
  self->code_color = code_bg;
  g_object_set (self->style_tags[KDX_MARKDOWN_STYLE_LINK], "foreground-rgba", &link, NULL);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The hanging indent of list bullets and numbers: their width in the
 * current font. */
static void
update_metrics (KdxMarkdownView *self)
{
  g_autoptr(PangoLayout) bullet = gtk_widget_create_pango_layout (GTK_WIDGET (self), "• ");
  g_autoptr(PangoLayout) number = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0. ");
  int bullet_width, number_width;

  pango_layout_get_pixel_size (bullet, &bullet_width, NULL);
  pango_layout_get_pixel_size (number, &number_width, NULL);

  for (guint d = 0; d < MAX_DEPTH; d++)
    {
      g_object_set (self->bullet_tags[d], "indent", -bullet_width, NULL);
      g_object_set (self->number_tags[d], "indent", -number_width, NULL);
    }
}

static GtkTextTag *
tag_for_span (KdxMarkdownView       *self,
              const KdxMarkdownSpan *span,
              guint                  depth)
{
  guint d = MIN (MAX (depth, 1), MAX_DEPTH) - 1;

  switch (span->style)
    {
    case KDX_MARKDOWN_STYLE_HEADING:
      return self->heading_tags[CLAMP (span->level, 1, 6) - 1];
    case KDX_MARKDOWN_STYLE_BLOCK_QUOTE:
      return self->quote_tags[d];
    case KDX_MARKDOWN_STYLE_LIST_ITEM:
      return self->item_tags[d];
    default:
      return self->style_tags[span->style];
    }
}

static gboolean
is_container (const KdxMarkdownSpan *span)
{
  return span->style == KDX_MARKDOWN_STYLE_BLOCK_QUOTE ||
         span->style == KDX_MARKDOWN_STYLE_LIST_ITEM;
}

/* Raw HTML that fills whole lines is a block: it looks like code. */
static gboolean
is_whole_lines (const char            *text,
                gsize                  length,
                const KdxMarkdownSpan *span)
{
  return (span->start == 0 || text[span->start - 1] == '\n') &&
         (span->end == length || text[span->end] == '\n');
}

/* Applies @tag to bytes [@start, @end) unless an earlier span with the
 * same tag covered them already: the spans come sorted by start, so
 * @covered (the end of the last range of each tag, by priority) tells.
 * Without this, 10,000 nested list items would each tag the rest of the
 * text again. */
static void
apply_tag (KdxMarkdownView *self,
           guint           *covered,
           GtkTextTag      *tag,
           guint            start,
           guint            end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  int priority = gtk_text_tag_get_priority (tag);
  GtkTextIter a, b;

  if (start >= end || covered[priority] >= end)
    return;

  covered[priority] = end;
  get_iter_at_byte (self, &a, start);
  get_iter_at_byte (self, &b, end);
  gtk_text_buffer_apply_tag (buffer, tag, &a, &b);
}

/* Tags bytes [@from, @to) of the text exactly as the spans say. Nested
 * lists and quotes are indented by their combined depth, which a stack
 * of the enclosing spans gives; every span that encloses a span touching
 * the range touches it too, so the walk may skip the others. */
static void
apply_spans (KdxMarkdownView *self,
             guint            from,
             guint            to)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gsize length;
  const char *text = kdx_markdown_doc_get_text (self->doc, &length);
  guint n_spans;
  const KdxMarkdownSpan *spans = kdx_markdown_doc_get_spans (self->doc, &n_spans);
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  g_autofree guint *covered = g_new0 (guint, gtk_text_tag_table_get_size (table));
  GtkTextIter a, b;

  get_iter_at_byte (self, &a, from);
  get_iter_at_byte (self, &b, to);
  gtk_text_buffer_remove_all_tags (buffer, &a, &b);

  for (guint i = 0; i < n_spans && spans[i].start < to; i++)
    {
      const KdxMarkdownSpan *span = &spans[i];
      guint start = MAX (span->start, from), end = MIN (span->end, to);

      while (open->len > 0 &&
             spans[g_array_index (open, guint, open->len - 1)].end <= span->start)
        g_array_set_size (open, open->len - 1);
      if (is_container (span))
        g_array_append_val (open, i);
      if (span->end <= from)
        continue;

      apply_tag (self, covered, tag_for_span (self, span, open->len), start, end);

      if (span->style == KDX_MARKDOWN_STYLE_HTML && is_whole_lines (text, length, span))
        apply_tag (self, covered, self->html_block_tag, start, end);

      /* A list item's bullet or number hangs in the margin: its tag gives
       * the item's first line a negative indent. Only at the start of a
       * line: "- - - x" puts three bullets on one. */
      if (span->style == KDX_MARKDOWN_STYLE_LIST_ITEM && span->start >= from &&
          (span->start == 0 || text[span->start - 1] == '\n'))
        {
          guint d = MIN (open->len, MAX_DEPTH) - 1;
          gboolean number = g_ascii_isdigit (text[span->start]);

          apply_tag (self, covered, number ? self->number_tags[d] : self->bullet_tags[d],
                     span->start, g_utf8_next_char (text + span->start) - text);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Quote bars, rules and code boxes                                   */

/* Drawn where their text is indented to: past all the lists and quotes
 * around them. */
static void
update_decorations (KdxMarkdownView *self)
{
  gsize length;
  const char *text = kdx_markdown_doc_get_text (self->doc, &length);
  guint n_spans;
  const KdxMarkdownSpan *spans = kdx_markdown_doc_get_spans (self->doc, &n_spans);
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));

  g_array_set_size (self->decorations, 0);
  for (guint i = 0; i < n_spans; i++)
    {
      const KdxMarkdownSpan *span = &spans[i];
      Decoration decoration;

      while (open->len > 0 &&
             spans[g_array_index (open, guint, open->len - 1)].end <= span->start)
        g_array_set_size (open, open->len - 1);
      if (is_container (span))
        g_array_append_val (open, i);

      if (span->style == KDX_MARKDOWN_STYLE_BLOCK_QUOTE)
        decoration.kind = DECORATION_QUOTE_BAR;
      else if (span->style == KDX_MARKDOWN_STYLE_THEMATIC_BREAK)
        decoration.kind = DECORATION_RULE;
      else if (span->style == KDX_MARKDOWN_STYLE_CODE_BLOCK ||
               (span->style == KDX_MARKDOWN_STYLE_HTML && is_whole_lines (text, length, span)))
        decoration.kind = DECORATION_CODE_BOX;
      else
        continue;

      /* Past the deepest indentation they would pile up. */
      if (open->len > MAX_DEPTH)
        continue;

      decoration.depth = open->len;
      decoration.start = char_offset (self, span->start);
      decoration.end = char_offset (self, span->end);
      g_array_append_val (self->decorations, decoration);
    }
}

static void
snapshot_decoration (KdxMarkdownView    *self,
                     GtkSnapshot        *snapshot,
                     const Decoration   *decoration,
                     const GdkRectangle *visible)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  int indent = MARGIN + decoration->depth * DEPTH_STEP;
  int right = visible->x + visible->width - MARGIN;
  GtkTextIter start, last;
  int y, height, last_y, last_height;
  GskRoundedRect box;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, decoration->start);
  gtk_text_view_get_line_yrange (view, &start, &y, &height);
  gtk_text_buffer_get_iter_at_offset (buffer, &last, MAX (decoration->end - 1,
                                                          decoration->start));
  gtk_text_view_get_line_yrange (view, &last, &last_y, &last_height);

  switch (decoration->kind)
    {
    case DECORATION_RULE:
      gtk_snapshot_append_color (snapshot, &self->line_color,
                                 &GRAPHENE_RECT_INIT (indent, y + height / 2, right - indent, 1));
      break;

    case DECORATION_QUOTE_BAR:
      /* In the margin of the quote's text, which is one step in. */
      gtk_snapshot_append_color (snapshot, &self->line_color,
                                 &GRAPHENE_RECT_INIT (indent - DEPTH_STEP + 4, y, BAR_WIDTH,
                                                      last_y + last_height - y));
      break;

    case DECORATION_CODE_BOX:
      gsk_rounded_rect_init_from_rect (&box,
                                       &GRAPHENE_RECT_INIT (indent - BOX_PADDING,
                                                            y - BOX_PADDING / 2,
                                                            right - indent + 2 * BOX_PADDING,
                                                            last_y + last_height - y + BOX_PADDING),
                                       BOX_RADIUS);
      gtk_snapshot_push_rounded_clip (snapshot, &box);
      gtk_snapshot_append_color (snapshot, &self->code_color, &box.bounds);
      gtk_snapshot_pop (snapshot);
      break;
    }
}

static void
kdx_markdown_view_snapshot_layer (GtkTextView      *view,
                                  GtkTextViewLayer  layer,
                                  GtkSnapshot      *snapshot)
{
  KdxMarkdownView *self = KDX_MARKDOWN_VIEW (view);
  GdkRectangle visible;
  GtkTextIter top, bottom;
  int first, last;

  if (GTK_TEXT_VIEW_CLASS (kdx_markdown_view_parent_class)->snapshot_layer != NULL)
    GTK_TEXT_VIEW_CLASS (kdx_markdown_view_parent_class)->snapshot_layer (view, layer, snapshot);

  if (layer != GTK_TEXT_VIEW_LAYER_BELOW_TEXT || self->decorations->len == 0)
    return;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_iter_at_location (view, &top, visible.x, visible.y);
  gtk_text_view_get_iter_at_location (view, &bottom, visible.x, visible.y + visible.height);
  gtk_text_iter_set_line_offset (&top, 0);
  gtk_text_iter_forward_to_line_end (&bottom);
  first = gtk_text_iter_get_offset (&top);
  last = gtk_text_iter_get_offset (&bottom);

  for (guint i = 0; i < self->decorations->len; i++)
    {
      const Decoration *decoration = &g_array_index (self->decorations, Decoration, i);

      if (decoration->start > last)
        break;
      if (decoration->end < first)
        continue;
      snapshot_decoration (self, snapshot, decoration, &visible);
    }
}

/* ------------------------------------------------------------------ */
/* Links                                                              */

/* The link target at a point of the widget, or NULL. */
static const char *
link_at (KdxMarkdownView *self,
         double           x,
         double           y)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextIter iter;
  int bx, by;
  const char *text, *at;
  guint n_spans, byte;
  const KdxMarkdownSpan *spans;

  if (self->doc == NULL)
    return NULL;

  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by) ||
      !gtk_text_iter_has_tag (&iter, self->style_tags[KDX_MARKDOWN_STYLE_LINK]))
    return NULL;

  text = kdx_markdown_doc_get_text (self->doc, NULL);
  at = g_utf8_offset_to_pointer (text, gtk_text_iter_get_offset (&iter));
  byte = at - text;
  spans = kdx_markdown_doc_get_spans (self->doc, &n_spans);
  for (guint i = 0; i < n_spans && spans[i].start <= byte; i++)
    if (spans[i].style == KDX_MARKDOWN_STYLE_LINK && byte < spans[i].end)
      return spans[i].url;

  return NULL;
}

static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           KdxMarkdownView          *self)
{
  gboolean on_link = link_at (self, x, y) != NULL;

  if (on_link == self->pointer_on_link)
    return;

  self->pointer_on_link = on_link;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), on_link ? "pointer" : "text");
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             KdxMarkdownView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  const char *url;
  GtkRoot *root;

  /* Selecting text across a link does not open it. */
  if (n_press != 1 || gtk_text_buffer_get_has_selection (buffer))
    return;

  url = link_at (self, x, y);
  if (url == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

static gboolean
query_tooltip_cb (KdxMarkdownView *self,
                  int              x,
                  int              y,
                  gboolean         keyboard,
                  GtkTooltip      *tooltip)
{
  const char *url = keyboard ? NULL : link_at (self, x, y);

  if (url == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, url);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Updating                                                           */

static gboolean
span_equal (const KdxMarkdownSpan *a,
            const KdxMarkdownSpan *b,
            gint64                 a_start,
            gint64                 a_end)
{
  return a->style == b->style && a->level == b->level &&
         a_start == b->start && a_end == b->end && g_strcmp0 (a->url, b->url) == 0;
}

/* Where an offset of the old text is in the new one: the same in the
 * unchanged beginning, shifted in the unchanged end, and -1 in the
 * replaced middle (a span touching it differs anyway). */
static gint64
map_offset (guint  offset,
            gsize  prefix,
            gsize  old_suffix_start,
            gint64 delta)
{
  if (offset <= prefix)
    return offset;
  if (offset >= old_suffix_start)
    return offset + delta;
  return -1;
}

static void
replace_doc (KdxMarkdownView *self,
             KdxMarkdownDoc  *doc)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(KdxMarkdownDoc) old = g_steal_pointer (&self->doc);
  g_autoptr(GArray) old_index = g_steal_pointer (&self->char_index);
  gsize old_len = 0, new_len, prefix = 0, suffix = 0, old_end, new_end;
  const char *old_text = "", *new_text = kdx_markdown_doc_get_text (doc, &new_len);
  const KdxMarkdownSpan *old_spans = NULL, *new_spans;
  guint n_old = 0, n_new, front = 0, back = 0;
  gint64 delta, from, to;
  GtkTextIter a, b;

  if (old != NULL)
    {
      old_text = kdx_markdown_doc_get_text (old, &old_len);
      old_spans = kdx_markdown_doc_get_spans (old, &n_old);
    }
  new_spans = kdx_markdown_doc_get_spans (doc, &n_new);

  /* The unchanged beginning and end, on character boundaries. */
  while (prefix < old_len && prefix < new_len && old_text[prefix] == new_text[prefix])
    prefix++;
  while (prefix > 0 && (is_continuation_byte (old_text[prefix]) ||
                        is_continuation_byte (new_text[prefix])))
    prefix--;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         old_text[old_len - 1 - suffix] == new_text[new_len - 1 - suffix])
    suffix++;
  while (suffix > 0 && is_continuation_byte (new_text[new_len - suffix]))
    suffix--;
  old_end = old_len - suffix;
  new_end = new_len - suffix;
  delta = (gint64) new_len - (gint64) old_len;

  /* The spans that differ, from the front and from the back. */
  while (front < n_old && front < n_new &&
         span_equal (&old_spans[front], &new_spans[front],
                     map_offset (old_spans[front].start, prefix, old_end, delta),
                     map_offset (old_spans[front].end, prefix, old_end, delta)))
    front++;
  while (back < n_old - front && back < n_new - front &&
         span_equal (&old_spans[n_old - 1 - back], &new_spans[n_new - 1 - back],
                     map_offset (old_spans[n_old - 1 - back].start, prefix, old_end, delta),
                     map_offset (old_spans[n_old - 1 - back].end, prefix, old_end, delta)))
    back++;

  if (prefix == old_len && prefix == new_len && front == n_old && front == n_new)
    {
      /* Nothing to show differently. */
      self->doc = g_steal_pointer (&old);
      self->char_index = g_steal_pointer (&old_index);
      kdx_markdown_doc_free (doc);
      return;
    }

  /* The text in between. */
  if (old != NULL)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &a,
                                          char_offset_in (old_text, old_index, prefix));
      gtk_text_buffer_get_iter_at_offset (buffer, &b,
                                          char_offset_in (old_text, old_index, old_end));
      gtk_text_buffer_delete (buffer, &a, &b);
    }
  else
    gtk_text_buffer_get_start_iter (buffer, &a);
  gtk_text_buffer_insert (buffer, &a, new_text + prefix, new_end - prefix);

  self->doc = doc;
  self->char_index = build_char_index (new_text, new_len);

  /* The bytes whose tags may differ. */
  from = prefix;
  to = new_end;
  for (guint i = front; i < n_new - back; i++)
    {
      from = MIN (from, new_spans[i].start);
      to = MAX (to, new_spans[i].end);
    }
  for (guint i = front; i < n_old - back; i++)
    {
      gint64 start = map_offset (old_spans[i].start, prefix, old_end, delta);
      gint64 end = map_offset (old_spans[i].end, prefix, old_end, delta);

      from = MIN (from, start < 0 ? (gint64) prefix : start);
      to = MAX (to, end < 0 ? (gint64) new_end : end);
    }
  apply_spans (self, from, MIN (to, (gint64) new_len));

  update_decorations (self);
}

/* ------------------------------------------------------------------ */
/* Overrides                                                          */

static void
kdx_markdown_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kdx_markdown_view_parent_class)->realize (widget);
  update_metrics (KDX_MARKDOWN_VIEW (widget));
}

static void
kdx_markdown_view_system_setting_changed (GtkWidget        *widget,
                                          GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (kdx_markdown_view_parent_class)->system_setting_changed (widget, setting);
  if (setting == GTK_SYSTEM_SETTING_FONT_NAME || setting == GTK_SYSTEM_SETTING_FONT_CONFIG)
    update_metrics (KDX_MARKDOWN_VIEW (widget));
}

static void
kdx_markdown_view_finalize (GObject *object)
{
  KdxMarkdownView *self = KDX_MARKDOWN_VIEW (object);

  g_clear_pointer (&self->doc, kdx_markdown_doc_free);
  g_clear_pointer (&self->char_index, g_array_unref);
  g_clear_pointer (&self->decorations, g_array_unref);

  G_OBJECT_CLASS (kdx_markdown_view_parent_class)->finalize (object);
}

static void
kdx_markdown_view_class_init (KdxMarkdownViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkTextViewClass *text_view_class = GTK_TEXT_VIEW_CLASS (klass);

  object_class->finalize = kdx_markdown_view_finalize;
  widget_class->realize = kdx_markdown_view_realize;
  widget_class->system_setting_changed = kdx_markdown_view_system_setting_changed;
  text_view_class->snapshot_layer = kdx_markdown_view_snapshot_layer;
}

static void
kdx_markdown_view_init (KdxMarkdownView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkEventController *motion;
  GtkGesture *click;
  GtkTextIter start;

  self->decorations = g_array_new (FALSE, FALSE, sizeof (Decoration));

  gtk_text_view_set_editable (view, FALSE);
  gtk_text_view_set_cursor_visible (view, FALSE);
  gtk_text_view_set_wrap_mode (view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (view, MARGIN);
  gtk_text_view_set_right_margin (view, MARGIN);
  gtk_text_view_set_top_margin (view, MARGIN);
  gtk_text_view_set_bottom_margin (view, MARGIN);
  gtk_text_view_set_pixels_inside_wrap (view, 2);
  /* Nobody undoes in a preview; the history would only cost memory. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);

  gtk_text_buffer_get_start_iter (buffer, &start);
  self->jump_mark = gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE);

  create_tags (self);
  update_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_colors), self, G_CONNECT_SWAPPED);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

GtkWidget *
kdx_markdown_view_new (void)
{
  return g_object_new (KDX_TYPE_MARKDOWN_VIEW, NULL);
}

void
kdx_markdown_view_set_markdown (KdxMarkdownView *self,
                                const char      *markdown)
{
  g_return_if_fail (KDX_IS_MARKDOWN_VIEW (self));

  replace_doc (self, kdx_markdown_render (markdown ? markdown : "", -1));
}

KdxMarkdownDoc *
kdx_markdown_view_get_doc (KdxMarkdownView *self)
{
  g_return_val_if_fail (KDX_IS_MARKDOWN_VIEW (self), NULL);

  return self->doc;
}

void
kdx_markdown_view_scroll_to_heading (KdxMarkdownView *self,
                                     guint            index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  const KdxMarkdownHeading *outline = NULL;
  guint n_headings = 0;
  GtkTextIter iter;

  g_return_if_fail (KDX_IS_MARKDOWN_VIEW (self));

  if (self->doc != NULL)
    outline = kdx_markdown_doc_get_outline (self->doc, &n_headings);
  g_return_if_fail (index < n_headings);

  /* The first heading of the text: the view's top margin shows too. */
  if (outline[index].offset == 0)
    {
      GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self));

      if (vadjustment != NULL)
        {
          gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
          return;
        }
    }

  get_iter_at_byte (self, &iter, outline[index].offset);
  gtk_text_buffer_move_mark (buffer, self->jump_mark, &iter);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self), self->jump_mark, 0.0, TRUE, 0.0, 0.0);
}
