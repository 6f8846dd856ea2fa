/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compare versions (issue 3): any two versions of a policy, side by side
 * or inline, with the words that were removed struck through on a red
 * ground and the words that were added underlined on a green one — the
 * lines as well as the colours say what changed, so the view reads
 * without colour too. The word diff is core's (kdx-diff.c); it runs in a
 * worker thread, and its result goes into each view in one piece (the text
 * at once, then the marks), so a long text does not hold up the window.
 *
 * The text is the Markdown source in the document font: committee members
 * compare wording, not layout, and prose reads better proportionally;
 * the few Markdown marks (#, *, |) stay visible so a changed heading level
 * or list mark is seen as a change too.
 *
 * Side by side, the two views scroll together: positions are mapped
 * through the boundaries of the diff's chunks (the same text lies between
 * two boundaries on both sides), interpolated in between, and the point
 * that is kept in step moves from the top of the view to its bottom as one
 * scrolls down, so both texts begin and end together.
 *
 * Keys: Alt+Down or F7 go to the next change, Alt+Up or Shift+F7 to the
 * previous one.
 */
#define G_LOG_DOMAIN "kdx-version-compare"

#include "config.h"

#include "kdx-version-compare.h"

#include "kdx-diff.h"
#include "kdx-policy.h"

#include <glib/gi18n.h>
#include <string.h>

#define VIEW_SIDE_BY_SIDE "side-by-side"
#define VIEW_INLINE       "inline"

/* How long the view that follows the other is not followed in turn. */
#define FOLLOW_QUIET_US (250 * 1000)

/* After this long a running comparison shows a spinner. */
#define SPINNER_DELAY_MS 300

/* One change: a run of DELETE and INSERT chunks between two EQUAL ones, as
 * character offsets in each buffer. */
typedef struct
{
  int old_start, old_end;
  int new_start, new_end;
  int inline_start, inline_end;
} Change;

/* A chunk boundary: the same place in both texts, in characters. */
typedef struct
{
  int old_offset;
  int new_offset;
} Anchor;

typedef struct
{
  char *old_text;
  char *new_text;
} CompareData;

struct _KdxVersionCompare
{
  GtkWidget        parent_instance;

  GtkWidget       *toolbar;
  GtkDropDown     *old_dropdown;
  GtkDropDown     *new_dropdown;
  GtkWidget       *spinner;
  GtkWidget       *summary_box;
  GtkLabel        *summary_label;
  GtkLabel        *change_summary_label;
  GtkStack        *view_stack;
  GtkLabel        *old_heading;
  GtkLabel        *new_heading;
  GtkTextView     *old_view;
  GtkTextView     *new_view;
  GtkTextView     *inline_view;
  AdwStatusPage   *status_page;

  GPtrArray       *versions;       /* KdxPolicyVersion, oldest first */
  char            *view_mode;
  GtkTextTagTable *tags;
  GtkTextTag      *deleted_tag;
  GtkTextTag      *inserted_tag;
  GtkTextView     *primary_view;   /* the side last focused, for "next change" */

  /* The texts of the newest comparison asked for, and its state. */
  char            *compared_old;
  char            *compared_new;
  GCancellable    *cancellable;    /* non-NULL while it runs */
  guint            spinner_timeout;
  gboolean         has_result;
  gboolean         identical;
  GArray          *changes;        /* Change */
  GArray          *anchors;        /* Anchor */

  gboolean         updating;       /* setting the dropdowns from code */
  gboolean         syncing;        /* moving one view after the other */
  GtkTextView     *leader;         /* the view last scrolled on its own */
  GtkTextView     *follower;       /* the view moved last to follow it */
  gint64           followed_at;
  GtkTextView     *sync_from;      /* the view to follow when sync_source runs */
  guint            sync_source;
};

enum {
  PROP_0,
  PROP_VIEW_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KdxVersionCompare, kdx_version_compare, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Words                                                              */

/* A date as the person reads it: YYYY-MM-DD (a day) or an ISO 8601 time
 * (shown as its local day). NULL for anything else. */
static char *
format_date (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL || strlen (text) < 10)
    return NULL;

  if (text[10] == '\0')
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      time = g_date_time_new_from_iso8601 (midnight, local);
    }
  else
    {
      g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (text, NULL);

      time = parsed ? g_date_time_to_local (parsed) : NULL;
    }

  if (time == NULL)
    return NULL;

  /* Translators: a day, see g_date_time_format(); German: "%d.%m.%Y" */
  return g_date_time_format (time, _("%Y-%m-%d"));
}

/* "1.0 · Published 2026-01-15", "2.0 · Draft" */
static char *
version_title (KdxPolicyVersion *version)
{
  KdxVersionStatus status = kdx_policy_version_get_status (version);
  const char *label = kdx_policy_version_get_label (version);
  const char *format = NULL;
  const char *when = NULL;
  g_autofree char *date = NULL;

  switch (status)
    {
    case KDX_VERSION_REVIEW:
      /* Translators: a version in review and the day it was submitted */
      format = _("%s · In review since %s");
      when = kdx_policy_version_get_submitted (version);
      break;
    case KDX_VERSION_APPROVED:
      /* Translators: a version and the day the committee approved it */
      format = _("%s · Approved %s");
      when = kdx_policy_version_get_approved (version);
      break;
    case KDX_VERSION_PUBLISHED:
      /* Translators: a version and the day it took effect */
      format = _("%s · Published %s");
      when = kdx_policy_version_get_effective (version);
      break;
    case KDX_VERSION_SUPERSEDED:
      /* Translators: a version replaced by a later one, and the day it
       * took effect */
      format = _("%s · Superseded, published %s");
      when = kdx_policy_version_get_effective (version);
      break;
    case KDX_VERSION_DRAFT:
    case KDX_VERSION_RETIRED:
    case KDX_VERSION_N_STATUSES:
    default:
      break;
    }

  if (when == NULL && status >= KDX_VERSION_PUBLISHED)
    when = kdx_policy_version_get_published (version);
  date = format != NULL ? format_date (when) : NULL;
  if (date != NULL)
    return g_strdup_printf (format, label, date);

  /* Translators: a version with its status: "2.0 · Draft" */
  return g_strdup_printf (_("%s · %s"), label, kdx_version_status_get_label (status));
}

/* ------------------------------------------------------------------ */
/* Colours                                                            */

/* Both pairs keep a contrast of at least 5:1 between the text and its
 * ground on the view's background (white, or #1e1e1e when dark). */
static void
update_tag_colors (KdxVersionCompare *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA deleted_bg, deleted_fg, inserted_bg, inserted_fg;

  if (self->deleted_tag == NULL)
    return;

  gdk_rgba_parse (&deleted_bg, dark ? "rgba(224, 27, 36, 0.35)" : "rgba(224, 27, 36, 0.15)");
  gdk_rgba_parse (&deleted_fg, dark ? "#ffa7a0" : "#a51d2d");
  gdk_rgba_parse (&inserted_bg, dark ? "rgba(38, 162, 105, 0.35)" : "rgba(46, 194, 126, 0.22)");
  gdk_rgba_parse (&inserted_fg, dark ? "#8ff0a4" : "#1b6a3a");

  g_object_set (self->deleted_tag,
                "background-rgba", &deleted_bg,
                "foreground-rgba", &deleted_fg,
                "strikethrough", TRUE,
                "strikethrough-rgba", &deleted_fg,
                NULL);
  g_object_set (self->inserted_tag,
                "background-rgba", &inserted_bg,
                "foreground-rgba", &inserted_fg,
                "underline", PANGO_UNDERLINE_SINGLE,
                "underline-rgba", &inserted_fg,
                NULL);
}

/* ------------------------------------------------------------------ */
/* Filling the views                                                  */

/* The text of one view as it is put together, with the character ranges
 * to mark. */
typedef struct
{
  GString *text;
  int      chars;
  GArray  *deleted;   /* pairs of character offsets: start, end */
  GArray  *inserted;
} Fill;

static void
fill_init (Fill  *fill,
           gsize  size)
{
  fill->text = g_string_sized_new (size);
  fill->chars = 0;
  fill->deleted = g_array_new (FALSE, FALSE, sizeof (int));
  fill->inserted = g_array_new (FALSE, FALSE, sizeof (int));
}

static void
fill_clear (Fill *fill)
{
  g_string_free (fill->text, TRUE);
  g_array_unref (fill->deleted);
  g_array_unref (fill->inserted);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fill, fill_clear)

static void
fill_append (Fill       *fill,
             const char *text,
             gsize       length,
             GArray     *ranges)
{
  int start = fill->chars;

  g_string_append_len (fill->text, text, (gssize) length);
  fill->chars += (int) g_utf8_strlen (text, (gssize) length);
  if (ranges != NULL && length > 0)
    {
      g_array_append_val (ranges, start);
      g_array_append_val (ranges, fill->chars);
    }
}

static void
apply_ranges (GtkTextBuffer *buffer,
              GtkTextTag    *tag,
              GArray        *ranges)
{
  for (guint i = 0; i + 1 < ranges->len; i += 2)
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, g_array_index (ranges, int, i));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, g_array_index (ranges, int, i + 1));
      gtk_text_buffer_apply_tag (buffer, tag, &start, &end);
    }
}

/* Each view keeps its buffer: GTK 4.8 can draw lines of a replaced
 * buffer from its cache of laid-out lines. */
static void
fill_view (KdxVersionCompare *self,
           GtkTextView       *view,
           Fill              *fill)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;

  gtk_text_buffer_set_text (buffer, fill->text->str, (int) fill->text->len);
  apply_ranges (buffer, self->deleted_tag, fill->deleted);
  apply_ranges (buffer, self->inserted_tag, fill->inserted);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)), 0);
}

static void
close_change (KdxVersionCompare *self,
              Change            *change,
              const Fill        *old_fill,
              const Fill        *new_fill,
              const Fill        *inline_fill)
{
  change->old_end = old_fill->chars;
  change->new_end = new_fill->chars;
  change->inline_end = inline_fill->chars;
  g_array_append_val (self->changes, *change);
}

/* Shows the comparison of @old_text and @new_text that @chunks describe. */
static void
show_result (KdxVersionCompare *self,
             const char        *old_text,
             const char        *new_text,
             GArray            *chunks)
{
  g_auto(Fill) o = { 0 };
  g_auto(Fill) n = { 0 };
  g_auto(Fill) l = { 0 };
  g_autofree char *summary = kdx_diff_describe (chunks);
  gint64 started = g_get_monotonic_time ();
  Change change = { 0 };
  gboolean in_change = FALSE;
  Anchor end;

  fill_init (&o, strlen (old_text));
  fill_init (&n, strlen (new_text));
  fill_init (&l, strlen (old_text) + strlen (new_text));
  g_array_set_size (self->changes, 0);
  g_array_set_size (self->anchors, 0);

  for (guint i = 0; i < chunks->len; i++)
    {
      const KdxDiffChunk *chunk = &g_array_index (chunks, KdxDiffChunk, i);
      const char *old_part = old_text + chunk->old_offset;
      const char *new_part = new_text + chunk->new_offset;
      Anchor anchor = { o.chars, n.chars };

      g_array_append_val (self->anchors, anchor);

      if (chunk->op == KDX_DIFF_EQUAL)
        {
          if (in_change)
            close_change (self, &change, &o, &n, &l);
          in_change = FALSE;
          fill_append (&o, old_part, chunk->old_length, NULL);
          fill_append (&n, new_part, chunk->new_length, NULL);
          fill_append (&l, new_part, chunk->new_length, NULL);
          continue;
        }

      if (!in_change)
        change = (Change) { o.chars, o.chars, n.chars, n.chars, l.chars, l.chars };
      in_change = TRUE;

      if (chunk->op == KDX_DIFF_DELETE)
        {
          fill_append (&o, old_part, chunk->old_length, o.deleted);
          fill_append (&l, old_part, chunk->old_length, l.deleted);
        }
      else
        {
          fill_append (&n, new_part, chunk->new_length, n.inserted);
          fill_append (&l, new_part, chunk->new_length, l.inserted);
        }
    }

  if (in_change)
    close_change (self, &change, &o, &n, &l);
  end = (Anchor) { o.chars, n.chars };
  g_array_append_val (self->anchors, end);

  fill_view (self, self->old_view, &o);
  fill_view (self, self->new_view, &n);
  fill_view (self, self->inline_view, &l);
  gtk_label_set_label (self->summary_label, summary);
  self->identical = self->changes->len == 0;
  self->has_result = TRUE;

  g_debug ("filled %zu and %zu bytes, %u changes, in %.1f ms",
           strlen (old_text), strlen (new_text), self->changes->len,
           (g_get_monotonic_time () - started) / 1000.0);
}

/* ------------------------------------------------------------------ */
/* Scrolling in step                                                  */

/* The characters of the line that holds @iter: its first, and how many. */
static int
line_chars (GtkTextIter *iter)
{
  GtkTextIter end;

  gtk_text_iter_set_line_offset (iter, 0);
  end = *iter;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);

  return gtk_text_iter_get_offset (&end) - gtk_text_iter_get_offset (iter);
}

/* Where character @offset lies, in buffer coordinates: the top of its
 * line plus its share of the line's height. Only line heights are read:
 * laying out single lines out of turn (gtk_text_view_get_iter_location())
 * made GTK 4.8 draw lines with the marks of others. */
static double
offset_to_y (GtkTextView *view,
             int          offset)
{
  GtkTextIter iter;
  int top, height, chars;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (view), &iter, offset);
  gtk_text_view_get_line_yrange (view, &iter, &top, &height);
  if (gtk_text_iter_is_end (&iter))
    return top + height;
  chars = line_chars (&iter);

  return top + (chars > 0 ? (double) (offset - gtk_text_iter_get_offset (&iter)) / chars * height
                          : 0.0);
}

/* The character at @y, in buffer coordinates, by the same measure. */
static int
y_to_offset (GtkTextView *view,
             double       y)
{
  GtkTextIter iter;
  int top, height, chars;
  double share;

  gtk_text_view_get_line_at_y (view, &iter, (int) y, &top);
  gtk_text_view_get_line_yrange (view, &iter, &top, &height);
  chars = line_chars (&iter);
  share = height > 0 ? CLAMP ((y - top) / height, 0.0, 1.0) : 0.0;

  return gtk_text_iter_get_offset (&iter) + (int) (share * chars + 0.5);
}

static int
anchor_offset (const Anchor *anchor,
               gboolean      old_side)
{
  return old_side ? anchor->old_offset : anchor->new_offset;
}

static void
sync_scroll (KdxVersionCompare *self,
             GtkTextView       *from,
             GtkTextView       *to)
{
  gboolean from_old = from == self->old_view;
  GtkAdjustment *from_adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (from));
  GtkAdjustment *to_adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (to));
  double range = gtk_adjustment_get_upper (from_adj) - gtk_adjustment_get_page_size (from_adj);
  double fraction, y, t, target;
  const Anchor *before, *after;
  GdkRectangle from_rect, to_rect;
  int offset, from_span, to_offset;
  guint lo, hi;

  if (self->anchors->len < 2 || !gtk_widget_get_mapped (GTK_WIDGET (to)))
    return;

  /* The point kept in step: the top of the view at the top of the text,
   * its bottom at the end. */
  fraction = range > 0 ? CLAMP (gtk_adjustment_get_value (from_adj) / range, 0.0, 1.0) : 0.0;
  gtk_text_view_get_visible_rect (from, &from_rect);
  gtk_text_view_get_visible_rect (to, &to_rect);
  y = from_rect.y + fraction * from_rect.height;
  offset = y_to_offset (from, y);

  /* The boundaries around it; between them the same text on both sides,
   * or a change. */
  lo = 0;
  hi = self->anchors->len - 1;
  while (lo < hi)
    {
      guint mid = (lo + hi + 1) / 2;

      if (anchor_offset (&g_array_index (self->anchors, Anchor, mid), from_old) <= offset)
        lo = mid;
      else
        hi = mid - 1;
    }
  before = &g_array_index (self->anchors, Anchor, lo);
  after = &g_array_index (self->anchors, Anchor, MIN (lo + 1, self->anchors->len - 1));

  from_span = anchor_offset (after, from_old) - anchor_offset (before, from_old);
  t = from_span > 0 ? (double) (offset - anchor_offset (before, from_old)) / from_span : 1.0;
  to_offset = anchor_offset (before, !from_old) +
              (int) (t * (anchor_offset (after, !from_old) - anchor_offset (before, !from_old)) + 0.5);
  /* What the point lies off its character (in a margin, say) it lies off
   * on the other side too. */
  target = offset_to_y (to, to_offset) + (y - offset_to_y (from, offset));

  self->syncing = TRUE;
  gtk_adjustment_set_value (to_adj, gtk_adjustment_get_value (to_adj) - to_rect.y +
                                    target - fraction * to_rect.height);
  self->syncing = FALSE;
  self->leader = from;
  self->follower = to;
  self->followed_at = g_get_monotonic_time ();
}

static gboolean
sync_idle_cb (gpointer user_data)
{
  KdxVersionCompare *self = user_data;
  GtkTextView *from = self->sync_from;

  self->sync_source = 0;
  sync_scroll (self, from, from == self->old_view ? self->new_view : self->old_view);

  return G_SOURCE_REMOVE;
}

/* Views scroll and change height while GTK lays out a frame; moving the
 * other view then would leave its scroll bar without a place in the frame
 * being drawn. So the other view follows right after, before the next
 * frame. */
static void
queue_sync (KdxVersionCompare *self,
            GtkTextView       *from)
{
  if (self->syncing)
    return;

  /* A view that was just moved to follow the other settles afterwards (it
   * lays out the lines it now shows); that is no scroll to follow, and
   * following it would stop the other view's animated scroll. */
  if (from == self->follower && g_get_monotonic_time () - self->followed_at < FOLLOW_QUIET_US)
    return;

  self->sync_from = from;
  if (self->sync_source == 0)
    self->sync_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, sync_idle_cb, self, NULL);
}

static void
old_scrolled_cb (KdxVersionCompare *self)
{
  queue_sync (self, self->old_view);
}

static void
new_scrolled_cb (KdxVersionCompare *self)
{
  queue_sync (self, self->new_view);
}

/* Lines laid out later change a text's height: the follower may have
 * stopped short of where it belongs. */
static void
height_changed_cb (KdxVersionCompare *self)
{
  queue_sync (self, self->leader);
}

/* ------------------------------------------------------------------ */
/* Going from change to change                                        */

static gboolean
showing_text (KdxVersionCompare *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->view_stack);

  return g_strcmp0 (page, VIEW_SIDE_BY_SIDE) == 0 || g_strcmp0 (page, VIEW_INLINE) == 0;
}

static void
select_range (GtkTextView *view,
              int          start,
              int          end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start_iter, end_iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &start_iter, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end_iter, end);
  gtk_text_buffer_select_range (buffer, &start_iter, &end_iter);
}

static void
scroll_to_cursor (GtkTextView *view)
{
  gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (gtk_text_view_get_buffer (view)),
                                0.0, TRUE, 0.0, 0.3);
}

static void
go_to_change (KdxVersionCompare *self,
              int                direction)
{
  gboolean inline_mode = g_str_equal (self->view_mode, VIEW_INLINE);
  GtkTextView *view = inline_mode ? self->inline_view : self->primary_view;
  GtkTextView *selected;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter cursor;
  const Change *change = NULL;
  int position;

  if (!showing_text (self) || self->changes->len == 0)
    return;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  position = gtk_text_iter_get_offset (&cursor);

  for (guint i = 0; i < self->changes->len; i++)
    {
      guint k = direction > 0 ? i : self->changes->len - 1 - i;
      const Change *c = &g_array_index (self->changes, Change, k);
      int start = inline_mode ? c->inline_start :
                  view == self->old_view ? c->old_start : c->new_start;

      if (direction > 0 ? start > position : start < position)
        {
          change = c;
          break;
        }
    }

  if (change == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  if (inline_mode)
    {
      select_range (self->inline_view, change->inline_start, change->inline_end);
      scroll_to_cursor (self->inline_view);
      return;
    }

  /* Only one buffer can hold the selection (the other gives it up when
   * the PRIMARY clipboard changes hands): select the change on the side
   * where it has text, preferring the side last used, and put the other
   * side's cursor at its place. Only the side last used scrolls, the other
   * follows: two views scrolling on their own at once (animated) would
   * stop each other half-way. */
  if (view == self->new_view && change->new_start == change->new_end)
    selected = self->old_view;
  else if (view == self->old_view && change->old_start == change->old_end)
    selected = self->new_view;
  else
    selected = view;

  if (selected == self->new_view)
    {
      select_range (self->old_view, change->old_start, change->old_start);
      select_range (self->new_view, change->new_start, change->new_end);
    }
  else
    {
      select_range (self->new_view, change->new_start, change->new_start);
      select_range (self->old_view, change->old_start, change->old_end);
    }
  scroll_to_cursor (view);
}

static void
next_change_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  go_to_change (KDX_VERSION_COMPARE (widget), 1);
}

static void
previous_change_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  go_to_change (KDX_VERSION_COMPARE (widget), -1);
}

/* ------------------------------------------------------------------ */
/* What the widget shows                                              */

static void
show_status (KdxVersionCompare *self,
             const char        *icon_name,
             const char        *title,
             const char        *description)
{
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->view_stack, "status");
}

/* Chooses the page for the versions chosen and the comparison shown. */
static void
update_page (KdxVersionCompare *self)
{
  guint n = self->versions->len;
  guint old_index = gtk_drop_down_get_selected (self->old_dropdown);
  guint new_index = gtk_drop_down_get_selected (self->new_dropdown);
  gboolean text = FALSE;

  gtk_widget_set_visible (self->toolbar, n >= 2);
  gtk_widget_set_visible (self->summary_box, n >= 2);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.swap", n >= 2);

  if (n == 0)
    show_status (self, "view-dual-symbolic", _("No Versions to Compare"),
                 _("Once the policy has a text, its versions can be compared here."));
  else if (n == 1)
    show_status (self, "view-dual-symbolic", _("Only One Version"),
                 _("When a new draft is made, it can be compared with this version here."));
  else if (old_index == new_index)
    {
      g_autofree char *description =
        g_strdup_printf (_("Both sides show version %s. Choose another version to see what changed."),
                         kdx_policy_version_get_label (self->versions->pdata[old_index]));

      show_status (self, "view-dual-symbolic", _("The Same Version on Both Sides"), description);
    }
  else if (self->cancellable != NULL || !self->has_result)
    return;  /* the page changes when the comparison is done */
  else if (self->identical)
    {
      g_autofree char *description =
        g_strdup_printf (_("Versions %s and %s have the same text."),
                         kdx_policy_version_get_label (self->versions->pdata[old_index]),
                         kdx_policy_version_get_label (self->versions->pdata[new_index]));

      show_status (self, "emblem-ok-symbolic", _("The Two Versions Are Identical"), description);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->view_stack, self->view_mode);
      text = TRUE;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.next-change", text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.previous-change", text);
}

static void
update_labels (KdxVersionCompare *self,
               KdxPolicyVersion  *old_version,
               KdxPolicyVersion  *new_version,
               KdxPolicyVersion  *newer)
{
  g_autofree char *old_title = version_title (old_version);
  g_autofree char *new_title = version_title (new_version);
  const char *summary = kdx_policy_version_get_summary (newer);

  gtk_label_set_label (self->old_heading, old_title);
  gtk_label_set_label (self->new_heading, new_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->old_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, old_title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->new_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, new_title, -1);

  if (summary != NULL && *summary != '\0')
    {
      /* Translators: the change summary that came with a version:
       * "2.0: Section 3 rewritten" */
      g_autofree char *text = g_strdup_printf (_("%s: %s"),
                                               kdx_policy_version_get_label (newer), summary);

      gtk_label_set_label (self->change_summary_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->change_summary_label), text);
      gtk_widget_set_visible (GTK_WIDGET (self->change_summary_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->change_summary_label), FALSE);
}

/* ------------------------------------------------------------------ */
/* Comparing                                                          */

static void
compare_data_free (CompareData *data)
{
  g_free (data->old_text);
  g_free (data->new_text);
  g_free (data);
}

static void
compare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CompareData *data = task_data;

  g_task_return_pointer (task, kdx_diff_words (data->old_text, -1, data->new_text, -1),
                         (GDestroyNotify) g_array_unref);
}

static void
stop_spinner (KdxVersionCompare *self)
{
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
}

static gboolean
spinner_timeout_cb (gpointer user_data)
{
  KdxVersionCompare *self = user_data;

  self->spinner_timeout = 0;
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));

  return G_SOURCE_REMOVE;
}

static void
compare_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KdxVersionCompare *self = KDX_VERSION_COMPARE (source);
  CompareData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GArray) chunks = g_task_propagate_pointer (G_TASK (result), NULL);

  if (chunks == NULL)
    return;  /* cancelled: a newer comparison replaced it */

  g_clear_object (&self->cancellable);
  stop_spinner (self);
  show_result (self, data->old_text, data->new_text, chunks);
  update_page (self);
}

static void
start_compare (KdxVersionCompare *self,
               const char        *old_text,
               const char        *new_text)
{
  g_autoptr(GTask) task = NULL;
  CompareData *data = g_new0 (CompareData, 1);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_free (self->compared_old);
  g_free (self->compared_new);
  self->compared_old = g_strdup (old_text);
  self->compared_new = g_strdup (new_text);

  /* The store keeps bodies valid UTF-8; a text view takes nothing else. */
  data->old_text = g_utf8_make_valid (old_text, -1);
  data->new_text = g_utf8_make_valid (new_text, -1);

  if (self->spinner_timeout == 0 && !gtk_widget_get_visible (self->spinner))
    self->spinner_timeout = g_timeout_add (SPINNER_DELAY_MS, spinner_timeout_cb, self);

  task = g_task_new (self, self->cancellable, compare_done_cb, NULL);
  g_task_set_source_tag (task, start_compare);
  g_task_set_task_data (task, data, (GDestroyNotify) compare_data_free);
  g_task_run_in_thread (task, compare_thread);
}

/* After the choice of versions changed: labels, and a comparison when the
 * texts differ from the last one asked for. */
static void
refresh (KdxVersionCompare *self)
{
  guint old_index = gtk_drop_down_get_selected (self->old_dropdown);
  guint new_index = gtk_drop_down_get_selected (self->new_dropdown);
  KdxPolicyVersion *old_version, *new_version;
  const char *old_text, *new_text;

  if (self->versions->len >= 2 && old_index < self->versions->len &&
      new_index < self->versions->len)
    {
      old_version = self->versions->pdata[old_index];
      new_version = self->versions->pdata[new_index];
      update_labels (self, old_version, new_version,
                     self->versions->pdata[MAX (old_index, new_index)]);

      old_text = kdx_policy_version_get_body (old_version);
      new_text = kdx_policy_version_get_body (new_version);
      if (old_index != new_index &&
          (g_strcmp0 (old_text, self->compared_old) != 0 ||
           g_strcmp0 (new_text, self->compared_new) != 0))
        start_compare (self, old_text ? old_text : "", new_text ? new_text : "");
    }

  update_page (self);
}

static void
selection_changed_cb (KdxVersionCompare *self)
{
  if (!self->updating)
    refresh (self);
}

static void
swap_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxVersionCompare *self = KDX_VERSION_COMPARE (widget);
  guint old_index = gtk_drop_down_get_selected (self->old_dropdown);
  guint new_index = gtk_drop_down_get_selected (self->new_dropdown);

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->old_dropdown, new_index);
  gtk_drop_down_set_selected (self->new_dropdown, old_index);
  self->updating = FALSE;
  refresh (self);
}

static void
view_focused_cb (GtkEventControllerFocus *controller,
                 KdxVersionCompare       *self)
{
  self->primary_view = GTK_TEXT_VIEW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
}

static void
dark_changed_cb (KdxVersionCompare *self)
{
  update_tag_colors (self);
}

static void
track_focus (KdxVersionCompare *self,
             GtkTextView       *view)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "enter", G_CALLBACK (view_focused_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (view), focus);
}

/* ------------------------------------------------------------------ */
/* Overrides                                                          */

static void
kdx_version_compare_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KdxVersionCompare *self = KDX_VERSION_COMPARE (object);

  switch (prop_id)
    {
    case PROP_VIEW_MODE:
      g_value_set_string (value, self->view_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_version_compare_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  KdxVersionCompare *self = KDX_VERSION_COMPARE (object);
  const char *mode;

  switch (prop_id)
    {
    case PROP_VIEW_MODE:
      mode = g_value_get_string (value);
      if (g_strcmp0 (mode, VIEW_INLINE) != 0)
        mode = VIEW_SIDE_BY_SIDE;
      if (g_strcmp0 (mode, self->view_mode) != 0)
        {
          g_free (self->view_mode);
          self->view_mode = g_strdup (mode);
          update_page (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_version_compare_dispose (GObject *object)
{
  KdxVersionCompare *self = KDX_VERSION_COMPARE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->spinner_timeout, g_source_remove);
  g_clear_handle_id (&self->sync_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_VERSION_COMPARE);
  /* The template's top-level box is no bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  self->deleted_tag = NULL;
  self->inserted_tag = NULL;
  g_clear_object (&self->tags);
  g_clear_pointer (&self->versions, g_ptr_array_unref);

  G_OBJECT_CLASS (kdx_version_compare_parent_class)->dispose (object);
}

static void
kdx_version_compare_finalize (GObject *object)
{
  KdxVersionCompare *self = KDX_VERSION_COMPARE (object);

  g_free (self->view_mode);
  g_free (self->compared_old);
  g_free (self->compared_new);
  g_array_unref (self->changes);
  g_array_unref (self->anchors);

  G_OBJECT_CLASS (kdx_version_compare_parent_class)->finalize (object);
}

static void
kdx_version_compare_class_init (KdxVersionCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kdx_version_compare_get_property;
  object_class->set_property = kdx_version_compare_set_property;
  object_class->dispose = kdx_version_compare_dispose;
  object_class->finalize = kdx_version_compare_finalize;

  /* "side-by-side" or "inline". */
  properties[PROP_VIEW_MODE] =
    g_param_spec_string ("view-mode", NULL, NULL, VIEW_SIDE_BY_SIDE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-version-compare.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, toolbar);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, old_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, new_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, spinner);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, summary_box);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, change_summary_label);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, old_heading);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, new_heading);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, old_view);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, new_view);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, inline_view);
  gtk_widget_class_bind_template_child (widget_class, KdxVersionCompare, status_page);

  gtk_widget_class_install_action (widget_class, "compare.swap", NULL, swap_action);
  gtk_widget_class_install_action (widget_class, "compare.next-change", NULL, next_change_action);
  gtk_widget_class_install_action (widget_class, "compare.previous-change", NULL,
                                   previous_change_action);
  gtk_widget_class_install_property_action (widget_class, "compare.view-mode", "view-mode");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "compare.next-change", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK,
                                       "compare.previous-change", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0,
                                       "compare.next-change", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, GDK_SHIFT_MASK,
                                       "compare.previous-change", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_version_compare_init (KdxVersionCompare *self)
{
  GtkTextView *views[3];

  gtk_widget_init_template (GTK_WIDGET (self));
  views[0] = self->old_view;
  views[1] = self->new_view;
  views[2] = self->inline_view;

  self->view_mode = g_strdup (VIEW_SIDE_BY_SIDE);
  self->versions = g_ptr_array_new_with_free_func (g_object_unref);
  self->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  self->anchors = g_array_new (FALSE, FALSE, sizeof (Anchor));
  self->primary_view = self->new_view;
  self->leader = self->new_view;

  self->tags = gtk_text_tag_table_new ();
  self->deleted_tag = gtk_text_tag_new ("deleted");
  self->inserted_tag = gtk_text_tag_new ("inserted");
  gtk_text_tag_table_add (self->tags, self->deleted_tag);
  gtk_text_tag_table_add (self->tags, self->inserted_tag);
  g_object_unref (self->deleted_tag);
  g_object_unref (self->inserted_tag);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (self->tags);

      gtk_text_view_set_buffer (views[i], buffer);
    }
  update_tag_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_swapped (self->old_dropdown, "notify::selected",
                            G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->new_dropdown, "notify::selected",
                            G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->old_view)),
                            "value-changed", G_CALLBACK (old_scrolled_cb), self);
  g_signal_connect_swapped (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->new_view)),
                            "value-changed", G_CALLBACK (new_scrolled_cb), self);
  g_signal_connect_swapped (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->old_view)),
                            "changed", G_CALLBACK (height_changed_cb), self);
  g_signal_connect_swapped (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->new_view)),
                            "changed", G_CALLBACK (height_changed_cb), self);
  track_focus (self, self->old_view);
  track_focus (self, self->new_view);

  update_page (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

KdxVersionCompare *
kdx_version_compare_new (void)
{
  return g_object_new (KDX_TYPE_VERSION_COMPARE, NULL);
}

static gboolean
same_versions (GPtrArray *a,
               GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (kdx_policy_version_get_uuid (a->pdata[i]),
                   kdx_policy_version_get_uuid (b->pdata[i])) != 0)
      return FALSE;

  return TRUE;
}

void
kdx_version_compare_set_versions (KdxVersionCompare *self,
                                  GPtrArray         *versions,
                                  guint              old_index,
                                  guint              new_index)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  guint n;

  g_return_if_fail (KDX_IS_VERSION_COMPARE (self));

  for (guint i = 0; versions != NULL && i < versions->len; i++)
    {
      g_autofree char *title = NULL;

      g_return_if_fail (KDX_IS_POLICY_VERSION (versions->pdata[i]));
      g_ptr_array_add (list, g_object_ref (versions->pdata[i]));
      title = version_title (versions->pdata[i]);
      gtk_string_list_append (titles, title);
    }
  n = list->len;

  if (n > 0 && same_versions (self->versions, list))
    {
      old_index = gtk_drop_down_get_selected (self->old_dropdown);
      new_index = gtk_drop_down_get_selected (self->new_dropdown);
    }
  else if (n > 0)
    {
      old_index = old_index == KDX_VERSION_COMPARE_DEFAULT ? (n >= 2 ? n - 2 : 0)
                                                           : MIN (old_index, n - 1);
      new_index = MIN (new_index, n - 1);
    }

  g_ptr_array_unref (self->versions);
  self->versions = g_steal_pointer (&list);

  self->updating = TRUE;
  gtk_drop_down_set_model (self->old_dropdown, G_LIST_MODEL (titles));
  gtk_drop_down_set_model (self->new_dropdown, G_LIST_MODEL (titles));
  if (n > 0)
    {
      gtk_drop_down_set_selected (self->old_dropdown, old_index);
      gtk_drop_down_set_selected (self->new_dropdown, new_index);
    }
  self->updating = FALSE;

  refresh (self);
}

gboolean
kdx_version_compare_is_busy (KdxVersionCompare *self)
{
  g_return_val_if_fail (KDX_IS_VERSION_COMPARE (self), FALSE);

  return self->cancellable != NULL;
}
