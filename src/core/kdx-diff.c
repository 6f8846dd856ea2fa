/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The word diff behind "Compare versions".
 *
 * Tokens. A text is cut into runs of word characters (Unicode letters,
 * digits and combining marks, so "Maßnahme" and a decomposed "ü" stay one
 * word; an apostrophe between two word characters belongs to the word:
 * "geht's", "don’t"), runs of white space, and single other characters
 * (punctuation, Markdown marks, symbols). Bytes that are not valid UTF-8
 * become one-byte tokens of their own; nothing is read past the given
 * length. Two white-space runs that differ only in CR LF against LF
 * compare equal, so a version saved on Windows does not show every line
 * end as changed; such an EQUAL chunk has different old and new lengths.
 *
 * Comparison. Each distinct token gets a number, and the two number
 * sequences are compared with Myers' O(ND) algorithm in linear space
 * (the "middle snake" divide and conquer), after the common prefix and
 * suffix are cut off. Two limits keep it from growing quadratic on very
 * different texts: a search that needs more than TOO_EXPENSIVE edits from
 * either end splits at the furthest point it reached instead of the
 * optimal one, and once WORK_BUDGET steps are spent the remaining regions
 * are reported as replaced as a whole. Typical revisions of a 20-page
 * policy stay below both limits and get a shortest edit script.
 *
 * Cleanup, so that the result reads naturally:
 *  1. An insertion or deletion that could sit at several places in a run
 *     of repeated tokens moves to touch the change next to it, when it
 *     can, so that both become one (an inserted paragraph is not split
 *     around a stray match of a common word inside it); otherwise to
 *     where it starts and ends at the most natural boundaries: text edge,
 *     paragraph break, line break, space ("Der [kluge ]Kunde", not
 *     "Der[ kluge] Kunde").
 *  2. An unchanged stretch between two changes is folded into one change
 *     when it is only white space ("[A B]" → "[X Y]" rather than A → X,
 *     B → Y), or when it is no longer, in characters, than the changes on
 *     either side of it. A stretch holding a line break is never folded,
 *     so two changes on different lines stay apart.
 *  3. A change whose one side holds a line break that the other lacks,
 *     next to the same unchanged break, is split there: an edited heading
 *     over a deleted paragraph reads as two changes, not as one that
 *     swallows the paragraph break.
 * Steps 1 and 3 never change how many tokens differ; step 2 does, on
 * purpose.
 *
 * Word counts: a chunk's n_words counts the word tokens it covers, so a
 * folded stretch ("und" in "[Vertrieb und Marketing]" →
 * "[Einkauf und Logistik]") counts as removed and added again.
 */
#define G_LOG_DOMAIN "kdx-diff"

#include "config.h"

#include "kdx-diff.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Edits from either end after which the middle-snake search gives up
 * looking for the optimal split. On the benchmark's 20-page policy it
 * takes effect from about 5 % of the words replaced; up to 20 % the
 * result is still the same as without it, at 30 % it reports 3.5 % more
 * changed words. */
#define TOO_EXPENSIVE 1024

/* Steps over diagonals and matched tokens, over the whole comparison,
 * after which the regions still open are reported as replaced. A typical
 * revision of a 20-page policy needs 2 million, two unrelated 20-page
 * texts 36 million (about 100 ms of CPU). Inputs that spend it all, such
 * as 70 KB of random two-letter words or of punctuation, take about
 * 300 ms of CPU, however long they are. */
#define WORK_BUDGET ((gint64) 60 * 1000 * 1000)

/* Tokens an insertion or deletion may slide each way in a repeated run. */
#define MAX_SLIDE 256

typedef enum
{
  TOKEN_WORD,
  TOKEN_SPACE,
  TOKEN_OTHER,
} TokenKind;

/* One text cut into tokens. Token i is text[starts[i] .. starts[i + 1]).
 * The prefix sums hold, for tokens [0, i): characters, words, tokens
 * other than white space, and white-space tokens holding a line break. */
typedef struct
{
  const char *text;
  guint       n;
  gsize      *starts;
  guint8     *kinds;
  guint8     *breaks;  /* line breaks in a white-space token, at most 2 */
  guint32    *ids;
  guint      *chars;
  guint      *words;
  guint      *solid;
  guint      *lines;
} Tokens;

/* A change: tokens [a0, a1) of the old text replaced by [b0, b1) of the
 * new one. Between two hunks lies an unchanged stretch. */
typedef struct
{
  guint a0, a1;
  guint b0, b1;
} Hunk;

typedef struct
{
  const guint32 *a;
  const guint32 *b;
  guint8        *a_changed;
  guint8        *b_changed;
  gssize        *fd;  /* furthest x forward on each diagonal, indexed k + offset */
  gssize        *bd;  /* smallest x backward on each diagonal */
  gssize         offset;
  gint64         budget;
} Myers;

typedef struct
{
  guint32     hash;
  guint32     id;  /* 0: empty slot; else id + 1 */
  const char *bytes;
  gsize       length;
} Slot;

/* ------------------------------------------------------------------ */
/* Tokens                                                             */

static void
tokens_clear (Tokens *t)
{
  g_clear_pointer (&t->starts, g_free);
  g_clear_pointer (&t->kinds, g_free);
  g_clear_pointer (&t->breaks, g_free);
  g_clear_pointer (&t->ids, g_free);
  g_clear_pointer (&t->chars, g_free);
  g_clear_pointer (&t->words, g_free);
  g_clear_pointer (&t->solid, g_free);
  g_clear_pointer (&t->lines, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tokens, tokens_clear)

/* The character at @p, of at most @left bytes; an invalid byte is read as
 * one U+FFFD so that it becomes a token of its own. */
static gsize
read_char (const char *p,
           gsize       left,
           gunichar   *c)
{
  guchar first = (guchar) *p;
  gunichar u;

  if (first < 0x80)
    {
      *c = first;
      return 1;
    }

  u = g_utf8_get_char_validated (p, (gssize) left);
  if (u == (gunichar) -1 || u == (gunichar) -2)
    {
      *c = 0xFFFD;
      return 1;
    }

  *c = u;
  return (gsize) (g_utf8_next_char (p) - p);
}

static TokenKind
char_kind (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c) ? TOKEN_WORD : g_ascii_isspace (c) ? TOKEN_SPACE : TOKEN_OTHER;
  if (g_unichar_isspace (c))
    return TOKEN_SPACE;
  if (g_unichar_isalnum (c) || g_unichar_ismark (c))
    return TOKEN_WORD;

  return TOKEN_OTHER;
}

/* Room for @capacity tokens and the n + 1 entries of the prefix sums. */
static void
tokens_reserve (Tokens *t,
                gsize   capacity)
{
  t->starts = g_renew (gsize, t->starts, capacity + 1);
  t->kinds = g_renew (guint8, t->kinds, capacity);
  t->breaks = g_renew (guint8, t->breaks, capacity);
  t->chars = g_renew (guint, t->chars, capacity + 1);
  t->words = g_renew (guint, t->words, capacity + 1);
  t->solid = g_renew (guint, t->solid, capacity + 1);
  t->lines = g_renew (guint, t->lines, capacity + 1);
}

static void
tokenize (Tokens     *t,
          const char *text,
          gsize       length)
{
  gsize capacity = length / 4 + 64;
  gsize pos = 0;
  guint n = 0;

  t->text = text;
  tokens_reserve (t, capacity);
  t->chars[0] = t->words[0] = t->solid[0] = t->lines[0] = 0;

  while (pos < length)
    {
      gunichar c;
      TokenKind kind;
      guint chars = 1, breaks = 0;

      if (n == capacity)
        {
          capacity *= 2;
          tokens_reserve (t, capacity);
        }
      t->starts[n] = pos;
      pos += read_char (text + pos, length - pos, &c);
      kind = char_kind (c);
      breaks = c == '\n';

      while (kind != TOKEN_OTHER && pos < length)
        {
          gunichar next;
          gsize step = read_char (text + pos, length - pos, &next);
          TokenKind next_kind = char_kind (next);

          if (next_kind == kind)
            {
              pos += step;
              chars++;
              breaks += next == '\n';
              continue;
            }

          if (kind == TOKEN_WORD && (next == '\'' || next == 0x2019) && pos + step < length)
            {
              gunichar after;
              gsize after_step = read_char (text + pos + step, length - pos - step, &after);

              if (char_kind (after) == TOKEN_WORD)
                {
                  pos += step + after_step;
                  chars += 2;
                  continue;
                }
            }

          break;
        }

      t->kinds[n] = kind;
      t->breaks[n] = MIN (breaks, 2);
      t->chars[n + 1] = t->chars[n] + chars;
      t->words[n + 1] = t->words[n] + (kind == TOKEN_WORD);
      t->solid[n + 1] = t->solid[n] + (kind != TOKEN_SPACE);
      t->lines[n + 1] = t->lines[n] + (breaks > 0);
      n++;
    }

  t->starts[n] = length;
  t->n = n;
  t->ids = g_new (guint32, n + 1);
}

/* ------------------------------------------------------------------ */
/* Token numbers                                                      */

/* A white-space run with its CR LF pairs read as LF. */
static gboolean
is_skipped_cr (const char *bytes,
               gsize       length,
               gsize       i)
{
  return bytes[i] == '\r' && i + 1 < length && bytes[i + 1] == '\n';
}

static guint32
token_hash (const char *bytes,
            gsize       length)
{
  guint32 hash = 2166136261u;

  for (gsize i = 0; i < length; i++)
    if (!is_skipped_cr (bytes, length, i))
      hash = (hash ^ (guchar) bytes[i]) * 16777619u;

  return hash;
}

static gboolean
token_equal (const char *p,
             gsize       p_length,
             const char *q,
             gsize       q_length)
{
  gsize i = 0, j = 0;

  if (p_length == q_length && memcmp (p, q, p_length) == 0)
    return TRUE;

  for (;;)
    {
      if (i < p_length && is_skipped_cr (p, p_length, i))
        i++;
      if (j < q_length && is_skipped_cr (q, q_length, j))
        j++;
      if (i == p_length || j == q_length)
        return i == p_length && j == q_length;
      if (p[i] != q[j])
        return FALSE;
      i++;
      j++;
    }
}

/* Gives every token of both texts a number; equal tokens get equal
 * numbers. Open addressing over a power-of-two table at most half full. */
static void
number_tokens (Tokens *old_tokens,
               Tokens *new_tokens)
{
  Tokens *texts[] = { old_tokens, new_tokens };
  gsize size = 16;
  guint32 next_id = 0;
  g_autofree Slot *slots = NULL;

  while (size < 2 * ((gsize) old_tokens->n + new_tokens->n))
    size *= 2;
  slots = g_new0 (Slot, size);

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (guint i = 0; i < texts[t]->n; i++)
      {
        const char *bytes = texts[t]->text + texts[t]->starts[i];
        gsize length = texts[t]->starts[i + 1] - texts[t]->starts[i];
        guint32 hash = token_hash (bytes, length);
        gsize s = hash & (size - 1);

        while (slots[s].id != 0 &&
               !(slots[s].hash == hash &&
                 token_equal (slots[s].bytes, slots[s].length, bytes, length)))
          s = (s + 1) & (size - 1);

        if (slots[s].id == 0)
          {
            slots[s].hash = hash;
            slots[s].id = ++next_id;
            slots[s].bytes = bytes;
            slots[s].length = length;
          }
        texts[t]->ids[i] = slots[s].id - 1;
      }
}

/* ------------------------------------------------------------------ */
/* Myers                                                              */

/* The diagonals mid − d, mid − d + 2, …, mid + d that lie in [dmin, dmax]. */
static void
diagonal_range (gssize  mid,
                gssize  d,
                gssize  dmin,
                gssize  dmax,
                gssize *lo,
                gssize *hi)
{
  *lo = mid - d;
  if (*lo < dmin)
    *lo += (dmin - *lo + 1) & ~(gssize) 1;
  *hi = mid + d;
  if (*hi > dmax)
    *hi -= (*hi - dmax + 1) & ~(gssize) 1;
}

/* Finds a point (xmid, ymid) on a shortest edit path through the box
 * [xoff, xlim) × [yoff, ylim), whose first and last tokens differ, by
 * searching from both corners at once along diagonals k = x − y. After
 * TOO_EXPENSIVE edits, or when the work budget is spent, it settles for
 * the point that got furthest. Either way the point is neither corner, so
 * both halves are smaller. */
static void
find_split (Myers  *m,
            gssize  xoff,
            gssize  xlim,
            gssize  yoff,
            gssize  ylim,
            gssize *xmid,
            gssize *ymid)
{
  gssize *fd = m->fd + m->offset;
  gssize *bd = m->bd + m->offset;
  const gssize dmin = xoff - ylim, dmax = xlim - yoff;
  const gssize fmid = xoff - yoff, bmid = xlim - ylim;
  const gboolean odd = ((fmid - bmid) & 1) != 0;
  /* The diagonals either search can touch before it gives up. */
  const gssize wmin = MAX (dmin - 1, MIN (fmid, bmid) - TOO_EXPENSIVE - 2);
  const gssize wmax = MIN (dmax + 1, MAX (fmid, bmid) + TOO_EXPENSIVE + 2);

  for (gssize k = wmin; k <= wmax; k++)
    {
      fd[k] = -1;
      bd[k] = G_MAXSSIZE;
    }
  m->budget -= wmax - wmin + 1;
  fd[fmid] = xoff;
  bd[bmid] = xlim;

  for (gssize d = 1;; d++)
    {
      gssize lo, hi;

      /* Forward, from the near corner. */
      diagonal_range (fmid, d, dmin, dmax, &lo, &hi);

      for (gssize k = lo; k <= hi; k += 2)
        {
          gssize from_left = fd[k - 1], from_above = fd[k + 1];
          gssize right = from_left >= 0 && from_left < xlim ? from_left + 1 : -1;
          gssize down = from_above >= 0 && from_above - k <= ylim ? from_above : -1;
          gssize x = MAX (MAX (right, down), fd[k]), x0 = x, y;

          if (x < 0)
            continue;
          for (y = x - k; x < xlim && y < ylim && m->a[x] == m->b[y]; x++, y++)
            ;
          fd[k] = x;
          m->budget -= 1 + (x - x0);

          if (odd && bd[k] <= x)
            {
              *xmid = x;
              *ymid = x - k;
              return;
            }
        }

      /* Backward, from the far corner. */
      diagonal_range (bmid, d, dmin, dmax, &lo, &hi);

      for (gssize k = lo; k <= hi; k += 2)
        {
          gssize from_right = bd[k + 1], from_below = bd[k - 1];
          gssize left = from_right != G_MAXSSIZE && from_right > xoff ? from_right - 1 : G_MAXSSIZE;
          gssize up = from_below != G_MAXSSIZE && from_below - k >= yoff ? from_below : G_MAXSSIZE;
          gssize x = MIN (MIN (left, up), bd[k]), x0 = x, y;

          if (x == G_MAXSSIZE)
            continue;
          for (y = x - k; x > xoff && y > yoff && m->a[x - 1] == m->b[y - 1]; x--, y--)
            ;
          bd[k] = x;
          m->budget -= 1 + (x0 - x);

          if (!odd && fd[k] >= x)
            {
              *xmid = x;
              *ymid = x - k;
              return;
            }
        }

      if (d >= TOO_EXPENSIVE || m->budget <= 0)
        {
          gssize fbest = -1, fk = 0, bbest = G_MAXSSIZE, bk = 0;

          m->budget -= wmax - wmin + 1;
          for (gssize k = MAX (wmin, dmin); k <= MIN (wmax, dmax); k++)
            {
              if (fd[k] >= 0 && 2 * fd[k] - k > fbest)
                {
                  fbest = 2 * fd[k] - k;
                  fk = k;
                }
              if (bd[k] != G_MAXSSIZE && 2 * bd[k] - k < bbest)
                {
                  bbest = 2 * bd[k] - k;
                  bk = k;
                }
            }

          if (fbest - (xoff + yoff) >= (xlim + ylim) - bbest)
            {
              *xmid = fd[fk];
              *ymid = fd[fk] - fk;
            }
          else
            {
              *xmid = bd[bk];
              *ymid = bd[bk] - bk;
            }
          return;
        }
    }
}

static void
compare (Myers  *m,
         gssize  xoff,
         gssize  xlim,
         gssize  yoff,
         gssize  ylim)
{
  for (;;)
    {
      gssize xmid, ymid;

      while (xoff < xlim && yoff < ylim && m->a[xoff] == m->b[yoff])
        {
          xoff++;
          yoff++;
        }
      while (xoff < xlim && yoff < ylim && m->a[xlim - 1] == m->b[ylim - 1])
        {
          xlim--;
          ylim--;
        }

      if (xoff == xlim || yoff == ylim || m->budget <= 0)
        {
          memset (m->a_changed + xoff, 1, (gsize) (xlim - xoff));
          memset (m->b_changed + yoff, 1, (gsize) (ylim - yoff));
          return;
        }

      find_split (m, xoff, xlim, yoff, ylim, &xmid, &ymid);
      g_assert (xoff <= xmid && xmid <= xlim && yoff <= ymid && ymid <= ylim);
      g_assert ((xmid > xoff || ymid > yoff) && (xmid < xlim || ymid < ylim));

      compare (m, xoff, xmid, yoff, ymid);
      xoff = xmid;
      yoff = ymid;
    }
}

/* The changed stretches of both texts, as hunks in order. */
static GArray *
find_hunks (const Tokens *a,
            const Tokens *b)
{
  GArray *hunks = g_array_new (FALSE, FALSE, sizeof (Hunk));
  g_autofree guint8 *a_changed = g_new0 (guint8, a->n + 1);
  g_autofree guint8 *b_changed = g_new0 (guint8, b->n + 1);
  g_autofree gssize *fd = g_new (gssize, (gsize) a->n + b->n + 3);
  g_autofree gssize *bd = g_new (gssize, (gsize) a->n + b->n + 3);
  Myers m = {
    .a = a->ids, .b = b->ids,
    .a_changed = a_changed, .b_changed = b_changed,
    .fd = fd, .bd = bd, .offset = (gssize) b->n + 1,
    .budget = WORK_BUDGET,
  };
  guint i = 0, j = 0;

  compare (&m, 0, a->n, 0, b->n);

  while (i < a->n || j < b->n)
    {
      Hunk hunk;

      if ((i == a->n || !a_changed[i]) && (j == b->n || !b_changed[j]))
        {
          g_assert (i < a->n && j < b->n && a->ids[i] == b->ids[j]);
          i++;
          j++;
          continue;
        }

      hunk.a0 = i;
      while (i < a->n && a_changed[i])
        i++;
      hunk.a1 = i;
      hunk.b0 = j;
      while (j < b->n && b_changed[j])
        j++;
      hunk.b1 = j;
      g_array_append_val (hunks, hunk);
    }

  return hunks;
}

/* ------------------------------------------------------------------ */
/* Cleanup                                                            */

/* How natural a change boundary is just before token @i of @t. */
static int
boundary_score (const Tokens *t,
                guint         i)
{
  if (i == 0 || i >= t->n)
    return 6;
  if (t->kinds[i - 1] == TOKEN_SPACE)
    return 3 + t->breaks[i - 1];
  if (t->kinds[i] == TOKEN_SPACE)
    return t->breaks[i] > 0 ? 3 : 1;

  return 0;
}

/* Whether @other is a pure hunk of the same kind as the pure @hunk. */
static gboolean
same_kind (const Hunk *hunk,
           const Hunk *other)
{
  if (other == NULL)
    return FALSE;
  if (hunk->b0 == hunk->b1)
    return other->b0 == other->b1;

  return other->a0 == other->a1;
}

/* Moves a pure insertion or deletion within the run of equal tokens around
 * it (at most MAX_SLIDE tokens each way). Where it can touch an insertion
 * (deletion) before or after it, it goes there, so that the two merge: an
 * inserted paragraph that Myers split around a stray match of a common
 * word becomes one insertion again. It never comes to touch a change of
 * another kind, which would merge them into one replacement. Otherwise it
 * goes where its boundaries are most natural (leftmost on a tie). */
static void
slide_hunk (Hunk         *hunk,
            const Tokens *a,
            const Tokens *b,
            const Hunk   *before,
            const Hunk   *after)
{
  gboolean deletion = hunk->b0 == hunk->b1;
  const Tokens *t = deletion ? a : b;
  guint s0 = deletion ? hunk->a0 : hunk->b0;
  guint s1 = deletion ? hunk->a1 : hunk->b1;
  guint lo = before == NULL ? 0 : deletion ? before->a1 : before->b1;
  guint hi = after == NULL ? t->n : deletion ? after->a0 : after->b0;
  guint lo_limit = before == NULL || same_kind (hunk, before) ? lo : lo + 1;
  guint hi_limit = after == NULL || same_kind (hunk, after) ? hi : hi - 1;
  guint start = s0, best, steps = 0;
  int best_score;

  while (s0 > lo_limit && steps < MAX_SLIDE && t->ids[s0 - 1] == t->ids[s1 - 1])
    {
      s0--;
      s1--;
      steps++;
    }

  best = s0;
  best_score = boundary_score (t, s0) + boundary_score (t, s1);
  if (same_kind (hunk, before) && s0 == lo)
    best_score = G_MAXINT;

  for (steps = 0; s1 < hi_limit && steps < 2 * MAX_SLIDE && t->ids[s0] == t->ids[s1]; steps++)
    {
      int score;

      s0++;
      s1++;
      score = same_kind (hunk, after) && s1 == hi ? G_MAXINT - 1
              : boundary_score (t, s0) + boundary_score (t, s1);
      if (score > best_score)
        {
          best = s0;
          best_score = score;
        }
    }

  hunk->a0 = hunk->a0 + best - start;
  hunk->a1 = hunk->a1 + best - start;
  hunk->b0 = hunk->b0 + best - start;
  hunk->b1 = hunk->b1 + best - start;
}

static guint
hunk_chars (const Hunk   *hunk,
            const Tokens *a,
            const Tokens *b)
{
  return MAX (a->chars[hunk->a1] - a->chars[hunk->a0], b->chars[hunk->b1] - b->chars[hunk->b0]);
}

/* Whether the unchanged stretch between @left and @right reads better as
 * part of one change. */
static gboolean
should_fold (const Hunk   *left,
             const Hunk   *right,
             const Tokens *a,
             const Tokens *b)
{
  guint from = left->a1, to = right->a0;
  guint length;

  if (a->lines[to] > a->lines[from])
    return FALSE;
  if (a->solid[to] == a->solid[from])
    return TRUE;

  length = a->chars[to] - a->chars[from];
  return length <= hunk_chars (left, a, b) && length <= hunk_chars (right, a, b);
}

static gboolean
is_line_break (const Tokens *t,
               guint         i)
{
  return t->kinds[i] == TOKEN_SPACE && t->breaks[i] > 0;
}

static void
hunk_swap (Hunk *hunk)
{
  Hunk swapped = { hunk->b0, hunk->b1, hunk->a0, hunk->a1 };

  *hunk = swapped;
}

/* For a change whose old side (read "new" after hunk_swap()) holds a line
 * break that its other side lacks, while the same break sits unchanged
 * right after (or right before) it: matches the break inside the change
 * instead, and makes what lies beyond it on that side a deletion of its
 * own. The cost stays the same. Editing a heading and deleting the
 * paragraph below it then reads as two changes, not one that swallows the
 * paragraph break. */
static gboolean
split_at_break (const Hunk   *hunk,
                const Tokens *t,
                guint         before,
                guint         after,
                Hunk         *first,
                Hunk         *second)
{
  if (hunk->a1 < after && is_line_break (t, hunk->a1))
    for (guint p = hunk->a0; p < hunk->a1; p++)
      if (t->ids[p] == t->ids[hunk->a1])
        {
          *first = (Hunk) { hunk->a0, p, hunk->b0, hunk->b1 };
          *second = (Hunk) { p + 1, hunk->a1 + 1, hunk->b1 + 1, hunk->b1 + 1 };
          return TRUE;
        }

  if (hunk->a0 > before && is_line_break (t, hunk->a0 - 1))
    for (guint q = hunk->a1; q > hunk->a0; q--)
      if (t->ids[q - 1] == t->ids[hunk->a0 - 1])
        {
          *first = (Hunk) { hunk->a0 - 1, q - 1, hunk->b0 - 1, hunk->b0 - 1 };
          *second = (Hunk) { q, hunk->a1, hunk->b0, hunk->b1 };
          return TRUE;
        }

  return FALSE;
}

/* split_at_break() on every change that has both sides. */
static GArray *
split_hunks (GArray       *hunks,
             const Tokens *a,
             const Tokens *b)
{
  GArray *split = g_array_sized_new (FALSE, FALSE, sizeof (Hunk), hunks->len);

  for (guint i = 0; i < hunks->len; i++)
    {
      Hunk hunk = g_array_index (hunks, Hunk, i);
      const Hunk *before = split->len > 0 ? &g_array_index (split, Hunk, split->len - 1) : NULL;
      const Hunk *after = i + 1 < hunks->len ? &g_array_index (hunks, Hunk, i + 1) : NULL;
      gboolean a_breaks = a->lines[hunk.a1] > a->lines[hunk.a0];
      gboolean b_breaks = b->lines[hunk.b1] > b->lines[hunk.b0];
      Hunk first, second;

      if (hunk.a0 < hunk.a1 && hunk.b0 < hunk.b1 && a_breaks != b_breaks)
        {
          gboolean swap = b_breaks;
          const Tokens *t = swap ? b : a;
          guint t_before = before == NULL ? 0 : swap ? before->b1 : before->a1;
          guint t_after = after == NULL ? t->n : swap ? after->b0 : after->a0;
          Hunk turned = hunk;

          if (swap)
            hunk_swap (&turned);
          if (split_at_break (&turned, t, t_before, t_after, &first, &second))
            {
              if (swap)
                {
                  hunk_swap (&first);
                  hunk_swap (&second);
                }
              g_array_append_val (split, first);
              g_array_append_val (split, second);
              continue;
            }
        }

      g_array_append_val (split, hunk);
    }

  return split;
}

typedef enum
{
  PASS_SLIDE,
  PASS_FOLD,
} Pass;

/* One pass over the hunks, left to right, keeping the result as a stack.
 * PASS_SLIDE, which does not change the cost, slides each pure hunk and
 * merges it with the previous one when it touches it; a merged pure hunk
 * may slide again. PASS_FOLD folds unchanged stretches into the changes
 * around them; a fold makes a change longer, which may let it swallow the
 * stretch before it too. Each round either stops or removes a hunk. */
static GArray *
merge_hunks (GArray       *hunks,
             const Tokens *a,
             const Tokens *b,
             Pass          pass)
{
  GArray *merged = g_array_sized_new (FALSE, FALSE, sizeof (Hunk), hunks->len);

  for (guint i = 0; i < hunks->len; i++)
    {
      const Hunk *after = i + 1 < hunks->len ? &g_array_index (hunks, Hunk, i + 1) : NULL;

      g_array_append_val (merged, g_array_index (hunks, Hunk, i));
      for (;;)
        {
          Hunk *right = &g_array_index (merged, Hunk, merged->len - 1);
          Hunk *left = merged->len >= 2 ? &g_array_index (merged, Hunk, merged->len - 2) : NULL;

          if (pass == PASS_SLIDE && (right->a0 == right->a1 || right->b0 == right->b1))
            slide_hunk (right, a, b, left, after);
          if (left == NULL)
            break;
          if (left->a1 != right->a0 && (pass == PASS_SLIDE || !should_fold (left, right, a, b)))
            break;
          left->a1 = right->a1;
          left->b1 = right->b1;
          g_array_set_size (merged, merged->len - 1);
        }
    }

  return merged;
}

/* ------------------------------------------------------------------ */
/* Chunks                                                             */

static void
append_chunk (GArray       *chunks,
              KdxDiffOp     op,
              const Tokens *a,
              guint         a0,
              guint         a1,
              const Tokens *b,
              guint         b0,
              guint         b1)
{
  KdxDiffChunk chunk = {
    .op = op,
    .old_offset = a->starts[a0],
    .old_length = a->starts[a1] - a->starts[a0],
    .new_offset = b->starts[b0],
    .new_length = b->starts[b1] - b->starts[b0],
    .n_words = op == KDX_DIFF_INSERT ? b->words[b1] - b->words[b0] : a->words[a1] - a->words[a0],
  };

  g_array_append_val (chunks, chunk);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

/**
 * kdx_diff_words:
 * @old_text: (nullable): the older version; NULL is the empty text
 * @old_length: its length in bytes, or -1 if it is NUL-terminated
 * @new_text: (nullable): the newer version
 * @new_length: its length in bytes, or -1
 *
 * Compares two texts word by word. The texts should be valid UTF-8 (the
 * caller validates); invalid bytes are compared byte by byte.
 *
 * Returns: (transfer full) (element-type KdxDiffChunk): the chunks in text
 *   order, no two neighbours with the same op; empty when both texts are
 *   empty. Free with g_array_unref().
 */
GArray *
kdx_diff_words (const char *old_text,
                gssize      old_length,
                const char *new_text,
                gssize      new_length)
{
  g_auto(Tokens) a = { 0 };
  g_auto(Tokens) b = { 0 };
  g_autoptr(GArray) raw = NULL;
  g_autoptr(GArray) slid = NULL;
  g_autoptr(GArray) folded = NULL;
  g_autoptr(GArray) split = NULL;
  g_autoptr(GArray) hunks = NULL;
  GArray *chunks;
  guint a_pos = 0, b_pos = 0;

  g_return_val_if_fail (old_text != NULL || old_length <= 0, NULL);
  g_return_val_if_fail (new_text != NULL || new_length <= 0, NULL);

  if (old_text == NULL)
    old_length = 0;
  else if (old_length < 0)
    old_length = (gssize) strlen (old_text);
  if (new_text == NULL)
    new_length = 0;
  else if (new_length < 0)
    new_length = (gssize) strlen (new_text);

  g_return_val_if_fail ((gsize) old_length < G_MAXUINT && (gsize) new_length < G_MAXUINT, NULL);

  tokenize (&a, old_text, (gsize) old_length);
  tokenize (&b, new_text, (gsize) new_length);
  number_tokens (&a, &b);

  raw = find_hunks (&a, &b);
  slid = merge_hunks (raw, &a, &b, PASS_SLIDE);
  folded = merge_hunks (slid, &a, &b, PASS_FOLD);
  split = split_hunks (folded, &a, &b);
  hunks = merge_hunks (split, &a, &b, PASS_SLIDE);

  chunks = g_array_sized_new (FALSE, FALSE, sizeof (KdxDiffChunk), 2 * hunks->len + 1);
  for (guint i = 0; i < hunks->len; i++)
    {
      const Hunk *hunk = &g_array_index (hunks, Hunk, i);

      if (hunk->a0 > a_pos)
        append_chunk (chunks, KDX_DIFF_EQUAL, &a, a_pos, hunk->a0, &b, b_pos, hunk->b0);
      if (hunk->a1 > hunk->a0)
        append_chunk (chunks, KDX_DIFF_DELETE, &a, hunk->a0, hunk->a1, &b, hunk->b0, hunk->b0);
      if (hunk->b1 > hunk->b0)
        append_chunk (chunks, KDX_DIFF_INSERT, &a, hunk->a1, hunk->a1, &b, hunk->b0, hunk->b1);
      a_pos = hunk->a1;
      b_pos = hunk->b1;
    }
  if (a_pos < a.n)
    append_chunk (chunks, KDX_DIFF_EQUAL, &a, a_pos, a.n, &b, b_pos, b.n);

  return chunks;
}

/**
 * kdx_diff_count:
 * @chunks: (element-type KdxDiffChunk): a result of kdx_diff_words()
 * @words_inserted: (out) (optional): words in INSERT chunks
 * @words_deleted: (out) (optional): words in DELETE chunks
 *
 * Counts the words added and removed, for a summary line.
 */
void
kdx_diff_count (GArray *chunks,
                guint  *words_inserted,
                guint  *words_deleted)
{
  guint inserted = 0, deleted = 0;

  g_return_if_fail (chunks != NULL);

  for (guint i = 0; i < chunks->len; i++)
    {
      const KdxDiffChunk *chunk = &g_array_index (chunks, KdxDiffChunk, i);

      if (chunk->op == KDX_DIFF_INSERT)
        inserted += chunk->n_words;
      else if (chunk->op == KDX_DIFF_DELETE)
        deleted += chunk->n_words;
    }

  if (words_inserted != NULL)
    *words_inserted = inserted;
  if (words_deleted != NULL)
    *words_deleted = deleted;
}

/**
 * kdx_diff_describe:
 * @chunks: (element-type KdxDiffChunk): a result of kdx_diff_words()
 *
 * Returns: (transfer full): a translated summary such as
 *   "12 words added, 3 words removed"
 */
char *
kdx_diff_describe (GArray *chunks)
{
  g_autofree char *added = NULL;
  g_autofree char *removed = NULL;
  guint inserted, deleted;

  g_return_val_if_fail (chunks != NULL, NULL);

  kdx_diff_count (chunks, &inserted, &deleted);

  if (inserted == 0 && deleted == 0)
    {
      for (guint i = 0; i < chunks->len; i++)
        if (g_array_index (chunks, KdxDiffChunk, i).op != KDX_DIFF_EQUAL)
          return g_strdup (_("No words changed, only punctuation or spacing"));

      return g_strdup (_("No changes"));
    }

  added = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word added", "%u words added",
                                        inserted), inserted);
  removed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word removed", "%u words removed",
                                          deleted), deleted);
  if (deleted == 0)
    return g_steal_pointer (&added);
  if (inserted == 0)
    return g_steal_pointer (&removed);

  /* Translators: joins "12 words added" and "3 words removed" */
  return g_strdup_printf (_("%s, %s"), added, removed);
}

const char *
kdx_diff_op_to_string (KdxDiffOp op)
{
  switch (op)
    {
    case KDX_DIFF_EQUAL:
      return "equal";
    case KDX_DIFF_DELETE:
      return "delete";
    case KDX_DIFF_INSERT:
      return "insert";
    default:
      g_return_val_if_reached (NULL);
    }
}
