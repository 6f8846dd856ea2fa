/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-diff: the word diff of "Compare versions" (issue 3) on two
 * 20-page versions of a policy.
 *
 * bench-diff [WORKSPACE]   (the argument is accepted for the runner and
 *                           ignored: the versions are made here)
 *
 * Method. A fixed seed builds a policy of about 10,000 words of German-like
 * prose from a word list: sections with a heading, paragraphs of 60–150
 * words in sentences of 6–18 words, and lists of short items. The second
 * version replaces 3 % of the words with other words, inserts two new
 * paragraphs, deletes one and moves one. A third text, built with another
 * seed, shares only the vocabulary and the shape: the worst case of a
 * complete rewrite. Each comparison runs once to warm up and then 20
 * times; the median wall time is reported, and beside it the median CPU
 * time of this process (which a busy machine does not inflate).
 *
 * Output: rows "what | measured | goal | verdict". Exit status 0 when the
 * benchmark ran (a MISS is a finding, not a failure).
 */
#define G_LOG_DOMAIN "kdx-bench"

#include "config.h"

#include "kdx-diff.h"

#include "bench-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_RUNS 20
#define GOAL_MS 50.0

static const char *vocabulary[] = {
  "die", "der", "das", "und", "oder", "nicht", "mit", "für", "von", "bei", "nach", "vor",
  "wird", "werden", "muss", "müssen", "kann", "darf", "soll", "sind", "ist", "jede", "jeder",
  "alle", "keine", "eine", "einen", "dem", "den", "des", "im", "zur", "zum", "auf", "über",
  "Kunde", "Kunden", "Daten", "Einwilligung", "Vertrieb", "Mitarbeitende", "Gremium",
  "Richtlinie", "Maßnahme", "Prüfung", "Bewertung", "Entscheidung", "System", "Systeme",
  "Modell", "Anbieter", "Betreiber", "Transparenz", "Fairness", "Aufsicht", "Schulung",
  "Risiko", "Risiken", "Zweck", "Grundlage", "Löschung", "Speicherung", "Verarbeitung",
  "Auswertung", "Stimmung", "Gespräch", "Angebot", "Preis", "Preise", "Lead", "Chatbot",
  "Einsatz", "Nachweis", "Dokumentation", "Freigabe", "Überprüfung", "Verantwortung",
  "Beschwerde", "Hinweis", "Vorfall", "Größe", "Gruppe", "Merkmal", "Ergebnis",
  "automatisiert", "menschlich", "jährlich", "unverzüglich", "angemessen", "verständlich",
  "personenbezogen", "sensibel", "zulässig", "unzulässig", "hoch", "gering", "klar",
  "dokumentiert", "geprüft", "informiert", "erklärt", "begründet", "gespeichert", "gelöscht",
  "überwacht", "bewertet", "eingesetzt", "freigegeben", "gemeldet", "ausgewertet",
  "prüfen", "bewerten", "erklären", "melden", "löschen", "schulen", "entscheiden",
  "nachvollziehbar", "regelmäßig", "ausschließlich", "insbesondere", "gemäß", "sofern",
};

typedef enum
{
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_ITEM,
} BlockKind;

/* A heading, paragraph or list item: word numbers, and after each word
 * 0 (a space), 1 (a comma) or 2 (a full stop). */
typedef struct
{
  BlockKind kind;
  GArray   *words;
  GArray   *after;
} Block;

static void
block_free (gpointer data)
{
  Block *block = data;

  g_array_unref (block->words);
  g_array_unref (block->after);
  g_free (block);
}

static Block *
block_new (GRand     *rand,
           BlockKind  kind,
           guint      n_words)
{
  Block *block = g_new0 (Block, 1);
  guint sentence = 0, sentence_length = (guint) g_rand_int_range (rand, 6, 19);

  block->kind = kind;
  block->words = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_words);
  block->after = g_array_sized_new (FALSE, FALSE, sizeof (guint8), n_words);

  for (guint i = 0; i < n_words; i++)
    {
      guint word = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (vocabulary));
      guint8 after = 0;

      if (kind == BLOCK_PARAGRAPH && ++sentence == sentence_length)
        {
          after = 2;
          sentence = 0;
          sentence_length = (guint) g_rand_int_range (rand, 6, 19);
        }
      else if (kind == BLOCK_PARAGRAPH && i + 1 < n_words && g_rand_int_range (rand, 0, 12) == 0)
        after = 1;

      g_array_append_val (block->words, word);
      g_array_append_val (block->after, after);
    }

  return block;
}

static Block *
block_copy (const Block *block)
{
  Block *copy = g_new0 (Block, 1);

  copy->kind = block->kind;
  copy->words = g_array_copy (block->words);
  copy->after = g_array_copy (block->after);

  return copy;
}

/* A policy of at least @n_words words, as a list of blocks. */
static GPtrArray *
make_policy (guint32 seed,
             guint   n_words)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *blocks = g_ptr_array_new_with_free_func (block_free);
  guint total = 0;

  while (total < n_words)
    {
      Block *heading = block_new (rand, BLOCK_HEADING, (guint) g_rand_int_range (rand, 2, 6));
      guint n_paragraphs = (guint) g_rand_int_range (rand, 2, 5);

      g_ptr_array_add (blocks, heading);
      total += heading->words->len;
      for (guint p = 0; p < n_paragraphs; p++)
        {
          Block *paragraph = block_new (rand, BLOCK_PARAGRAPH,
                                        (guint) g_rand_int_range (rand, 60, 151));

          g_ptr_array_add (blocks, paragraph);
          total += paragraph->words->len;
        }
      if (g_rand_int_range (rand, 0, 2) == 0)
        for (guint n = (guint) g_rand_int_range (rand, 3, 7); n > 0; n--)
          {
            Block *item = block_new (rand, BLOCK_ITEM, (guint) g_rand_int_range (rand, 5, 16));

            g_ptr_array_add (blocks, item);
            total += item->words->len;
          }
    }

  return blocks;
}

static guint
pick_paragraph (GRand     *rand,
                GPtrArray *blocks)
{
  for (;;)
    {
      guint i = (guint) g_rand_int_range (rand, 0, (gint32) blocks->len);

      if (((Block *) g_ptr_array_index (blocks, i))->kind == BLOCK_PARAGRAPH)
        return i;
    }
}

/* The next version: 3 % of the words replaced, two paragraphs inserted,
 * one deleted, one moved. */
static GPtrArray *
make_revision (GPtrArray *blocks)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  GPtrArray *revision = g_ptr_array_new_with_free_func (block_free);
  guint total = 0, n_replaced;
  Block *moved;

  for (guint i = 0; i < blocks->len; i++)
    {
      Block *copy = block_copy (g_ptr_array_index (blocks, i));

      total += copy->words->len;
      g_ptr_array_add (revision, copy);
    }

  n_replaced = total * 3 / 100;
  for (guint n = 0; n < n_replaced; n++)
    {
      guint at = (guint) g_rand_int_range (rand, 0, (gint32) total), b = 0;
      Block *block;
      guint *word;

      for (block = g_ptr_array_index (revision, 0); at >= block->words->len;
           block = g_ptr_array_index (revision, ++b))
        at -= block->words->len;
      word = &g_array_index (block->words, guint, at);

      *word = (*word + (guint) g_rand_int_range (rand, 1, G_N_ELEMENTS (vocabulary)))
              % G_N_ELEMENTS (vocabulary);
    }

  for (guint n = 0; n < 2; n++)
    g_ptr_array_insert (revision, (gint) pick_paragraph (rand, revision),
                        block_new (rand, BLOCK_PARAGRAPH, (guint) g_rand_int_range (rand, 60, 151)));

  g_ptr_array_remove_index (revision, pick_paragraph (rand, revision));

  moved = g_ptr_array_steal_index (revision, pick_paragraph (rand, revision));
  g_ptr_array_insert (revision, (gint) pick_paragraph (rand, revision), moved);

  return revision;
}

static void
append_word (GString *text,
             guint    word,
             gboolean capital)
{
  const char *bytes = vocabulary[word];

  if (capital)
    {
      gunichar first = g_utf8_get_char (bytes);

      g_string_append_unichar (text, g_unichar_toupper (first));
      g_string_append (text, g_utf8_next_char (bytes));
    }
  else
    g_string_append (text, bytes);
}

static char *
render (GPtrArray *blocks,
        guint     *n_words)
{
  GString *text = g_string_new (NULL);
  guint section = 0;

  *n_words = 0;
  for (guint b = 0; b < blocks->len; b++)
    {
      const Block *block = g_ptr_array_index (blocks, b);
      gboolean capital = TRUE;

      if (block->kind == BLOCK_HEADING)
        g_string_append_printf (text, "## %u. ", ++section);
      else if (block->kind == BLOCK_ITEM)
        g_string_append (text, "- ");

      for (guint i = 0; i < block->words->len; i++)
        {
          guint8 after = g_array_index (block->after, guint8, i);
          gboolean last = i + 1 == block->words->len;

          append_word (text, g_array_index (block->words, guint, i), capital);
          capital = after == 2;
          if (after == 1)
            g_string_append_c (text, ',');
          if (after == 2 || (last && block->kind == BLOCK_PARAGRAPH))
            g_string_append_c (text, '.');
          if (!last)
            g_string_append_c (text, ' ');
        }
      *n_words += block->words->len;

      if (block->kind == BLOCK_ITEM)
        {
          const Block *next = b + 1 < blocks->len ? g_ptr_array_index (blocks, b + 1) : NULL;

          g_string_append (text, next != NULL && next->kind == BLOCK_ITEM ? "\n" : "\n\n");
        }
      else
        g_string_append (text, "\n\n");
    }

  return g_string_free (text, FALSE);
}

/* Median wall and CPU time of N_RUNS comparisons after one warm-up, in ms. */
static double
time_diff (const char *old_text,
           const char *new_text,
           double     *cpu,
           guint      *n_chunks,
           guint      *inserted,
           guint      *deleted)
{
  double wall_ms[N_RUNS], cpu_used[N_RUNS];
  g_autoptr(GArray) warm_up = kdx_diff_words (old_text, -1, new_text, -1);

  *n_chunks = warm_up->len;
  kdx_diff_count (warm_up, inserted, deleted);

  for (guint run = 0; run < N_RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = bench_clock_ms (CLOCK_PROCESS_CPUTIME_ID);
      g_autoptr(GArray) chunks = kdx_diff_words (old_text, -1, new_text, -1);

      cpu_used[run] = bench_clock_ms (CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
      wall_ms[run] = (double) (g_get_monotonic_time () - start) / 1000.0;
      g_assert (chunks->len == *n_chunks);
    }

  *cpu = bench_median_of (cpu_used, N_RUNS);
  return bench_median_of (wall_ms, N_RUNS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) policy = NULL;
  g_autoptr(GPtrArray) revision = NULL;
  g_autoptr(GPtrArray) rewrite = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *other_text = NULL;
  g_autofree char *measured = NULL;
  g_autofree char *sizes = NULL;
  g_autofree char *changes = NULL;
  guint old_words, new_words, other_words, n_chunks, inserted, deleted;
  double typical, unrelated, cpu;

  setlocale (LC_ALL, "");

  if (argc > 2)
    {
      g_printerr ("usage: %s [WORKSPACE]\n", argv[0]);
      return 2;
    }

  policy = make_policy (42, 10000);
  revision = make_revision (policy);
  rewrite = make_policy (4711, 10000);
  old_text = render (policy, &old_words);
  new_text = render (revision, &new_words);
  other_text = render (rewrite, &other_words);

  typical = time_diff (old_text, new_text, &cpu, &n_chunks, &inserted, &deleted);
  measured = g_strdup_printf ("%.1f ms, CPU %.1f", typical, cpu);
  bench_row ("diff of two 20-page versions (typical)", measured, "<= 50 ms",
             typical <= GOAL_MS ? "PASS" : "MISS");
  sizes = g_strdup_printf ("%u/%u words, %zu/%zu KB", old_words, new_words,
                           strlen (old_text) / 1024, strlen (new_text) / 1024);
  bench_row ("  (the two versions)", sizes, "info", "-");
  changes = g_strdup_printf ("+%u -%u words, %u chunks", inserted, deleted, n_chunks);
  bench_row ("  (what the diff found)", changes, "info", "-");

  unrelated = time_diff (old_text, other_text, &cpu, &n_chunks, &inserted, &deleted);
  g_free (measured);
  measured = g_strdup_printf ("%.1f ms, CPU %.1f", unrelated, cpu);
  bench_row ("diff of two unrelated 20-page texts", measured, "info", "-");
  g_free (changes);
  changes = g_strdup_printf ("+%u -%u words, %u chunks", inserted, deleted, n_chunks);
  bench_row ("  (what the diff found)", changes, "info", "-");

  return 0;
}
