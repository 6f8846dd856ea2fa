/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The word diff of "Compare versions": exact chunks for the cases a
 * committee meets (a word changed, inserted, deleted, umlauts, punctuation,
 * spacing, a moved paragraph, CR LF, repeated words, a rewrite), the
 * summary line, and properties over random texts: the chunks rebuild both
 * texts exactly and cover them without gaps or overlaps.
 */
#define G_LOG_DOMAIN "kdx-test-diff"

#include "config.h"

#include "kdx-diff.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

/* Whether two unchanged stretches match, CR LF read as LF. */
static gboolean
same_but_line_ends (const char *p,
                    gsize       p_length,
                    const char *q,
                    gsize       q_length)
{
  g_autoptr(GString) a = g_string_new_len (p, (gssize) p_length);
  g_autoptr(GString) b = g_string_new_len (q, (gssize) q_length);

  g_string_replace (a, "\r\n", "\n", 0);
  g_string_replace (b, "\r\n", "\n", 0);

  return g_string_equal (a, b);
}

/* Checks what every result must satisfy and rebuilds both texts from it. */
static void
assert_valid (const char *old_text,
              gsize       old_length,
              const char *new_text,
              gsize       new_length,
              GArray     *chunks,
              gboolean    utf8)
{
  g_autoptr(GString) old_again = g_string_new (NULL);
  g_autoptr(GString) new_again = g_string_new (NULL);
  gsize old_pos = 0, new_pos = 0;

  for (guint i = 0; i < chunks->len; i++)
    {
      const KdxDiffChunk *chunk = &g_array_index (chunks, KdxDiffChunk, i);
      const char *old_part = old_text + chunk->old_offset;
      const char *new_part = new_text + chunk->new_offset;

      g_assert_cmpuint (chunk->old_offset, ==, old_pos);
      g_assert_cmpuint (chunk->new_offset, ==, new_pos);
      if (i > 0)
        {
          KdxDiffOp before = g_array_index (chunks, KdxDiffChunk, i - 1).op;

          g_assert_cmpint (chunk->op, !=, before);
          if (before == KDX_DIFF_INSERT)
            g_assert_cmpint (chunk->op, ==, KDX_DIFF_EQUAL);
        }

      switch (chunk->op)
        {
        case KDX_DIFF_EQUAL:
          g_assert_cmpuint (chunk->old_length, >, 0);
          g_assert_cmpuint (chunk->new_length, >, 0);
          g_assert_true (same_but_line_ends (old_part, chunk->old_length,
                                             new_part, chunk->new_length));
          g_string_append_len (old_again, old_part, (gssize) chunk->old_length);
          g_string_append_len (new_again, new_part, (gssize) chunk->new_length);
          break;
        case KDX_DIFF_DELETE:
          g_assert_cmpuint (chunk->old_length, >, 0);
          g_assert_cmpuint (chunk->new_length, ==, 0);
          g_string_append_len (old_again, old_part, (gssize) chunk->old_length);
          break;
        case KDX_DIFF_INSERT:
          g_assert_cmpuint (chunk->old_length, ==, 0);
          g_assert_cmpuint (chunk->new_length, >, 0);
          g_string_append_len (new_again, new_part, (gssize) chunk->new_length);
          break;
        default:
          g_assert_not_reached ();
        }

      if (utf8)
        {
          g_assert_true (g_utf8_validate_len (old_part, chunk->old_length, NULL));
          g_assert_true (g_utf8_validate_len (new_part, chunk->new_length, NULL));
        }

      old_pos += chunk->old_length;
      new_pos += chunk->new_length;
    }

  g_assert_cmpuint (old_pos, ==, old_length);
  g_assert_cmpuint (new_pos, ==, new_length);
  g_assert_cmpmem (old_again->str, old_again->len, old_text, old_length);
  g_assert_cmpmem (new_again->str, new_again->len, new_text, new_length);
}

/* The chunks as "=same", "-removed", "+added", one line each; an
 * unchanged stretch whose bytes differ (CR LF) as "=old→new". */
static char *
render (const char *old_text,
        const char *new_text,
        GArray     *chunks)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < chunks->len; i++)
    {
      const KdxDiffChunk *chunk = &g_array_index (chunks, KdxDiffChunk, i);
      const char *old_part = old_text + chunk->old_offset;
      const char *new_part = new_text + chunk->new_offset;

      switch (chunk->op)
        {
        case KDX_DIFF_EQUAL:
          g_string_append_c (out, '=');
          g_string_append_len (out, old_part, (gssize) chunk->old_length);
          if (chunk->old_length != chunk->new_length ||
              memcmp (old_part, new_part, chunk->old_length) != 0)
            {
              g_string_append (out, "→");
              g_string_append_len (out, new_part, (gssize) chunk->new_length);
            }
          break;
        case KDX_DIFF_DELETE:
          g_string_append_c (out, '-');
          g_string_append_len (out, old_part, (gssize) chunk->old_length);
          break;
        case KDX_DIFF_INSERT:
          g_string_append_c (out, '+');
          g_string_append_len (out, new_part, (gssize) chunk->new_length);
          break;
        default:
          g_assert_not_reached ();
        }
      g_string_append_c (out, '|');
    }

  return g_string_free (out, FALSE);
}

static GArray *
diff_checked (const char *old_text,
              gsize       old_length,
              const char *new_text,
              gsize       new_length,
              gboolean    utf8)
{
  GArray *chunks = kdx_diff_words (old_text, (gssize) old_length, new_text, (gssize) new_length);

  g_assert_nonnull (chunks);
  assert_valid (old_text, old_length, new_text, new_length, chunks, utf8);

  return chunks;
}

static guint
count_op (GArray    *chunks,
          KdxDiffOp  op)
{
  guint n = 0;

  for (guint i = 0; i < chunks->len; i++)
    n += g_array_index (chunks, KdxDiffChunk, i).op == op;

  return n;
}

/* ------------------------------------------------------------------ */
/* Cases                                                              */

typedef struct
{
  const char *path;
  const char *old_text;
  const char *new_text;
  const char *chunks;  /* render() of the expected result */
  guint       inserted;
  guint       deleted;
} Case;

static const Case cases[] = {
  { "/kdx/diff/case/empty-both", "", "", "", 0, 0 },
  { "/kdx/diff/case/empty-old", "", "Neue Richtlinie.",
    "+Neue Richtlinie.|", 2, 0 },
  { "/kdx/diff/case/empty-new", "Alte Richtlinie.", "",
    "-Alte Richtlinie.|", 0, 2 },
  { "/kdx/diff/case/identical", "Der Kunde wird informiert.", "Der Kunde wird informiert.",
    "=Der Kunde wird informiert.|", 0, 0 },
  { "/kdx/diff/case/one-word", "Der Kunde wird informiert.", "Der Kunde wird benachrichtigt.",
    "=Der Kunde wird |-informiert|+benachrichtigt|=.|", 1, 1 },
  { "/kdx/diff/case/insert-start", "Kunde wird informiert.", "Jeder Kunde wird informiert.",
    "+Jeder |=Kunde wird informiert.|", 1, 0 },
  { "/kdx/diff/case/insert-middle", "Der Kunde entscheidet.", "Der kluge Kunde entscheidet.",
    "=Der |+kluge |=Kunde entscheidet.|", 1, 0 },
  { "/kdx/diff/case/insert-end", "Der Kunde entscheidet", "Der Kunde entscheidet selbst",
    "=Der Kunde entscheidet|+ selbst|", 1, 0 },
  { "/kdx/diff/case/insert-before-stop", "Der Kunde entscheidet.", "Der Kunde entscheidet selbst.",
    "=Der Kunde entscheidet|+ selbst|=.|", 1, 0 },
  { "/kdx/diff/case/insert-list-item", "- Schulung\n- Audit\n", "- Schulung\n- Meldung\n- Audit\n",
    "=- Schulung\n|+- Meldung\n|=- Audit\n|", 1, 0 },
  { "/kdx/diff/case/insert-after-comma", "Kunden, Partner", "Kunden, Lieferanten, Partner",
    "=Kunden, |+Lieferanten, |=Partner|", 1, 0 },
  { "/kdx/diff/case/delete", "Die Daten werden sofort gelöscht.", "Die Daten werden gelöscht.",
    "=Die Daten werden |-sofort |=gelöscht.|", 0, 1 },
  { "/kdx/diff/case/umlauts", "Überprüfung der Größe", "Überprüfung der Grösse",
    "=Überprüfung der |-Größe|+Grösse|", 1, 1 },
  { "/kdx/diff/case/umlauts-neighbours", "Die Maßnahme schützt Kunden.",
    "Die Maßnahmen schützen Kunden.",
    "=Die |-Maßnahme schützt|+Maßnahmen schützen|= Kunden.|", 2, 2 },
  { "/kdx/diff/case/combining-mark", "Pru\xcc\x88" "fung und Freigabe", "Prüfung und Freigabe",
    "-Pru\xcc\x88" "fung|+Prüfung|= und Freigabe|", 1, 1 },
  { "/kdx/diff/case/apostrophe", "So geht's nicht", "So gehts nicht",
    "=So |-geht's|+gehts|= nicht|", 1, 1 },
  { "/kdx/diff/case/apostrophe-typographic", "Das ist’s.", "Das ist es.",
    "=Das |-ist’s|+ist es|=.|", 2, 1 },
  { "/kdx/diff/case/punctuation", "Kunden, Partner und Lieferanten.",
    "Kunden; Partner und Lieferanten!",
    "=Kunden|-,|+;|= Partner und Lieferanten|-.|+!|", 0, 0 },
  { "/kdx/diff/case/whitespace", "Zwei  Leerzeichen hier.", "Zwei Leerzeichen hier.",
    "=Zwei|-  |+ |=Leerzeichen hier.|", 0, 0 },
  { "/kdx/diff/case/crlf", "Zeile eins\r\nZeile zwei\r\n", "Zeile eins\nZeile zwei\n",
    "=Zeile eins\r\nZeile zwei\r\n→Zeile eins\nZeile zwei\n|", 0, 0 },
  { "/kdx/diff/case/crlf-and-word", "eins\r\nzwei\r\n", "eins\ndrei\n",
    "=eins\r\n→eins\n|-zwei|+drei|=\r\n→\n|", 1, 1 },
  { "/kdx/diff/case/repeated-remove", "the the the", "the the",
    "-the |=the the|", 0, 1 },
  { "/kdx/diff/case/repeated-add", "die die", "die die die",
    "+die |=die die|", 1, 0 },
  { "/kdx/diff/case/repeated-in-sentence", "Kunden und und Partner", "Kunden und Partner",
    "=Kunden |-und |=und Partner|", 0, 1 },
  { "/kdx/diff/case/paragraph-moved",
    "# Zweck\n\nDaten werden sparsam erhoben.\n\n"
    "Jede Entscheidung bleibt menschlich überprüfbar.\n\nSchulungen finden jährlich statt.\n",
    "# Zweck\n\nJede Entscheidung bleibt menschlich überprüfbar.\n\n"
    "Daten werden sparsam erhoben.\n\nSchulungen finden jährlich statt.\n",
    "=# Zweck\n\n|-Daten werden sparsam erhoben.\n\n|"
    "=Jede Entscheidung bleibt menschlich überprüfbar.\n\n|"
    "+Daten werden sparsam erhoben.\n\n|"
    "=Schulungen finden jährlich statt.\n|", 4, 4 },
  /* Myers alone matches "im Haus" inside the new paragraph; the new
   * paragraph must still show as one insertion. */
  { "/kdx/diff/case/paragraph-inserted",
    "Wir informieren alle Kunden über das Gremium.\n\nDie Daten bleiben im Haus.\n\n",
    "Wir informieren unsere Kunden über das Gremium.\n\nDie Daten bleiben im Haus.\n\n"
    "Neu prüft das Gremium, ob die Daten im Haus bleiben.\n\n",
    "=Wir informieren |-alle|+unsere|= Kunden über das Gremium.\n\nDie Daten bleiben im Haus.\n\n|"
    "+Neu prüft das Gremium, ob die Daten im Haus bleiben.\n\n|", 11, 1 },
  { "/kdx/diff/case/heading-and-paragraph",
    "## Alte Regeln\n\nDieser Absatz entfällt.\n\nDaten bleiben geschützt.\n",
    "## Neue Pflichten\n\nDaten bleiben geschützt.\n",
    "=## |-Alte Regeln|+Neue Pflichten|=\n\n|-Dieser Absatz entfällt.\n\n|"
    "=Daten bleiben geschützt.\n|", 2, 5 },
  { "/kdx/diff/case/paragraph-and-sentence",
    "Zweck.\n\nDieser Absatz entfällt.\n\nAlte Regel gilt.",
    "Zweck.\n\nNeue Pflicht.",
    "=Zweck.|-\n\nDieser Absatz entfällt.|=\n\n|-Alte Regel gilt|+Neue Pflicht|=.|", 2, 6 },
  { "/kdx/diff/case/neighbours-folded", "Vertrieb und Marketing prüfen.",
    "Einkauf und Logistik prüfen.",
    "-Vertrieb und Marketing|+Einkauf und Logistik|= prüfen.|", 3, 3 },
  { "/kdx/diff/case/far-apart-kept", "Der Vertrieb prüft jedes System vor dem Einsatz gründlich.",
    "Der Einkauf prüft jedes System vor dem Einsatz sorgfältig.",
    "=Der |-Vertrieb|+Einkauf|= prüft jedes System vor dem Einsatz |-gründlich|+sorgfältig|=.|",
    2, 2 },
  { "/kdx/diff/case/lines-not-folded", "alt\nalt", "neu\nneu",
    "-alt|+neu|=\n|-alt|+neu|", 2, 2 },
  { "/kdx/diff/case/different", "Alpha Beta Gamma.", "Eins zwei drei vier!",
    "-Alpha Beta Gamma.|+Eins zwei drei vier!|", 4, 3 },
  { "/kdx/diff/case/different-paragraphs",
    "Die Daten der Kunden werden geschützt.\n\nDas Gremium tagt monatlich.\n",
    "Ein Chatbot nennt sich als Maschine.\n\nNiemand wird heimlich bewertet.\n",
    "-Die Daten der Kunden werden geschützt|+Ein Chatbot nennt sich als Maschine|=.\n\n|"
    "-Das Gremium tagt monatlich|+Niemand wird heimlich bewertet|=.\n|", 10, 10 },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GArray) chunks = diff_checked (c->old_text, strlen (c->old_text),
                                           c->new_text, strlen (c->new_text), TRUE);
  g_autofree char *rendered = render (c->old_text, c->new_text, chunks);
  guint inserted = G_MAXUINT, deleted = G_MAXUINT;

  g_assert_cmpstr (rendered, ==, c->chunks);
  kdx_diff_count (chunks, &inserted, &deleted);
  g_assert_cmpuint (inserted, ==, c->inserted);
  g_assert_cmpuint (deleted, ==, c->deleted);
}

/* ------------------------------------------------------------------ */
/* Arguments and summary                                              */

static void
test_lengths (void)
{
  const char *text = "Der Kunde entscheidet. Danach nicht mehr.";
  g_autoptr(GArray) terminated = kdx_diff_words (text, -1, "Der Kunde entscheidet.", -1);
  g_autoptr(GArray) prefix = kdx_diff_words (text, 22, "Der Kunde entscheidet.", 22);
  g_autoptr(GArray) none = kdx_diff_words (NULL, -1, NULL, 0);
  g_autoptr(GArray) from_none = kdx_diff_words (NULL, 0, "Neu", -1);

  /* Given lengths are respected: the rest of the buffer is never read. */
  g_assert_cmpuint (count_op (terminated, KDX_DIFF_DELETE), ==, 1);
  g_assert_cmpuint (prefix->len, ==, 1);
  g_assert_cmpint (g_array_index (prefix, KdxDiffChunk, 0).op, ==, KDX_DIFF_EQUAL);
  g_assert_cmpuint (g_array_index (prefix, KdxDiffChunk, 0).old_length, ==, 22);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (from_none->len, ==, 1);
  g_assert_cmpint (g_array_index (from_none, KdxDiffChunk, 0).op, ==, KDX_DIFF_INSERT);
}

static void
test_invalid_utf8 (void)
{
  const char old_text[] = "Kunde \xff\xfe Daten \xc3";
  const char new_text[] = "Kunde \xfe Daten\x00 neu \xe2\x82";
  g_autoptr(GArray) chunks = diff_checked (old_text, sizeof old_text - 1,
                                           new_text, sizeof new_text - 1, FALSE);

  g_assert_cmpuint (count_op (chunks, KDX_DIFF_EQUAL), >, 0);
}

typedef struct
{
  const char *old_text;
  const char *new_text;
  const char *summary;
} Summary;

static const Summary summaries[] = {
  { "Der Kunde", "Der Kunde", "No changes" },
  { "Der Kunde.", "Der Kunde!", "No words changed, only punctuation or spacing" },
  { "Der Kunde", "Der kluge Kunde", "1 word added" },
  { "Der kluge Kunde", "Der Kunde", "1 word removed" },
  { "eins zwei drei.", "vier fünf.\n\nsechs sieben acht neun", "6 words added, 3 words removed" },
};

static void
test_describe (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (summaries); i++)
    {
      g_autoptr(GArray) chunks = kdx_diff_words (summaries[i].old_text, -1,
                                                 summaries[i].new_text, -1);
      g_autofree char *summary = kdx_diff_describe (chunks);

      g_assert_cmpstr (summary, ==, summaries[i].summary);
    }
}

/* ------------------------------------------------------------------ */
/* Large texts and random texts                                       */

static const char *vocabulary[] = {
  "die", "der", "und", "Kunde", "Kunden", "Daten", "Maßnahme", "Prüfung", "System", "KI",
  "Gremium", "entscheidet", "überprüft", "geht's", "Vertrieb", "Schulung", "jährlich",
  "Fairness", "Einwilligung", "wird", "werden", "nicht", "für", "mit", "Größe", "€",
};

/* @n_words words of prose from the vocabulary, with full stops and a
 * paragraph break now and then; word @marked (if any) is @replacement. */
static char *
make_prose (GRand      *rand,
            guint       n_words,
            guint       marked,
            const char *replacement)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      const char *word = vocabulary[g_rand_int_range (rand, 0, G_N_ELEMENTS (vocabulary))];

      g_string_append (text, i == marked ? replacement : word);
      if (i % 97 == 96)
        g_string_append (text, ".\n\n");
      else if (i % 13 == 12)
        g_string_append (text, ". ");
      else
        g_string_append_c (text, ' ');
    }

  return g_string_free (text, FALSE);
}

/* One word changed in 10,000 gives exactly one removal and one addition,
 * of that word alone. */
static void
test_one_word_in_many (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *old_text = make_prose (rand, 10000, G_MAXUINT, NULL);
  g_autoptr(GRand) again = g_rand_new_with_seed (7);
  g_autofree char *new_text = make_prose (again, 10000, 5000, "Ausnahmeregelung");
  g_autoptr(GArray) chunks = diff_checked (old_text, strlen (old_text),
                                           new_text, strlen (new_text), TRUE);
  const KdxDiffChunk *deleted, *inserted;

  g_assert_cmpuint (chunks->len, ==, 4);
  g_assert_cmpuint (count_op (chunks, KDX_DIFF_DELETE), ==, 1);
  g_assert_cmpuint (count_op (chunks, KDX_DIFF_INSERT), ==, 1);
  deleted = &g_array_index (chunks, KdxDiffChunk, 1);
  inserted = &g_array_index (chunks, KdxDiffChunk, 2);
  g_assert_cmpint (deleted->op, ==, KDX_DIFF_DELETE);
  g_assert_cmpint (inserted->op, ==, KDX_DIFF_INSERT);
  g_assert_cmpuint (deleted->n_words, ==, 1);
  g_assert_null (memchr (old_text + deleted->old_offset, ' ', deleted->old_length));
  g_assert_cmpmem (new_text + inserted->new_offset, inserted->new_length,
                   "Ausnahmeregelung", strlen ("Ausnahmeregelung"));
}

/* Two unrelated 10,000-word texts: a valid result, mostly replaced, in
 * bounded time (the benchmark measures it). */
static void
test_unrelated_large (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree char *old_text = make_prose (rand, 10000, G_MAXUINT, NULL);
  g_autofree char *new_text = make_prose (rand, 10000, G_MAXUINT, NULL);
  g_autoptr(GArray) chunks = diff_checked (old_text, strlen (old_text),
                                           new_text, strlen (new_text), TRUE);
  guint inserted, deleted;

  kdx_diff_count (chunks, &inserted, &deleted);
  g_assert_cmpuint (inserted, >, 5000);
  g_assert_cmpuint (deleted, >, 5000);
}

static const char *pieces[] = {
  "Kunde", "Daten", "die", "der", "Maßnahme", "Prüfung", "KI", "geht's", "ü", "€", "a", "b",
  ",", ".", "-", "#", "*", "’", "'", " ", " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r",
};

static void
append_random (GArray *text,
               GRand  *rand,
               guint   n)
{
  for (guint i = 0; i < n; i++)
    {
      guint piece = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces));

      g_array_append_val (text, piece);
    }
}

static GString *
join_pieces (GArray *text)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < text->len; i++)
    g_string_append (joined, pieces[g_array_index (text, guint, i)]);

  return joined;
}

/* Random texts and random edits of them, as sequences of pieces; with
 * @bytes, a few random bytes are written over both. */
static void
test_random (gconstpointer data)
{
  gboolean bytes = GPOINTER_TO_INT (data);

  for (guint round = 0; round < 400; round++)
    {
      g_autoptr(GArray) old_pieces = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) new_pieces = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GString) old_text = NULL;
      g_autoptr(GString) new_text = NULL;
      g_autoptr(GArray) chunks = NULL;
      g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

      append_random (old_pieces, rand, g_rand_int_range (rand, 0, 300));
      if (g_rand_int_range (rand, 0, 5) == 0)
        append_random (new_pieces, rand, g_rand_int_range (rand, 0, 300));
      else
        {
          guint pos = 0;

          while (pos < old_pieces->len)
            {
              guint run = (guint) g_rand_int_range (rand, 1, 30);

              run = MIN (run, old_pieces->len - pos);

              switch (g_rand_int_range (rand, 0, 4))
                {
                case 0: /* dropped */
                  break;
                case 1: /* replaced */
                  append_random (new_pieces, rand, g_rand_int_range (rand, 1, 8));
                  break;
                default: /* kept, maybe with something inserted */
                  g_array_append_vals (new_pieces, &g_array_index (old_pieces, guint, pos), run);
                  if (g_rand_boolean (rand))
                    append_random (new_pieces, rand, g_rand_int_range (rand, 1, 5));
                  break;
                }
              pos += run;
            }
        }

      old_text = join_pieces (old_pieces);
      new_text = join_pieces (new_pieces);
      if (bytes)
        for (guint i = 0; i < 6; i++)
          {
            GString *text = i % 2 ? new_text : old_text;

            if (text->len > 0)
              text->str[g_rand_int_range (rand, 0, (gint32) text->len)] =
                (char) g_rand_int_range (rand, 0, 256);
          }

      chunks = diff_checked (old_text->str, old_text->len, new_text->str, new_text->len, !bytes);
      if (g_string_equal (old_text, new_text))
        g_assert_cmpuint (chunks->len, <=, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_case);
  g_test_add_func ("/kdx/diff/lengths", test_lengths);
  g_test_add_func ("/kdx/diff/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/kdx/diff/describe", test_describe);
  g_test_add_func ("/kdx/diff/one-word-in-10000", test_one_word_in_many);
  g_test_add_func ("/kdx/diff/unrelated-large", test_unrelated_large);
  g_test_add_data_func ("/kdx/diff/random/text", GINT_TO_POINTER (FALSE), test_random);
  g_test_add_data_func ("/kdx/diff/random/bytes", GINT_TO_POINTER (TRUE), test_random);

  return g_test_run ();
}
