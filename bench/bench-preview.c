/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-preview: the policy preview re-rendering after a keystroke
 * (issue 3: "preview re-render after a keystroke in a 20-page policy
 * <= 16 ms (no dropped frame)").
 *
 *   bench-preview [--dark] [--screenshot PREFIX] WORKSPACE
 *
 * The large demo workspace has no policy texts yet, so WORKSPACE is not
 * read: the program writes a 20-page German policy (about 70 KB of
 * Markdown with headings, paragraphs, nested lists, quotes, tables, code
 * and links) from a fixed seed, so that every run measures the same text.
 *
 * Method: a 1000×800 window shows a KdxMarkdownView in a
 * GtkScrolledWindow; the whole text is set and drawn, and the view is
 * scrolled to the section in the middle of the text, where the typing
 * happens, and left 1.5 s for its scroll animation. Then, 30 times, one
 * character is inserted into a paragraph in the middle of the source (as
 * typing does, each after the last, 100 ms apart) and the time is taken
 * from before kdx_markdown_view_set_markdown() to the end of the next
 * frame in which the window was drawn (the frame clock's "after-paint",
 * see bench-frame.h).
 *
 * That wall time includes waiting for the frame: when an animation runs
 * (the overlay scroll bar fades in whenever a keystroke changes the
 * text's height), the frame clock ticks at the display's rate and the
 * next frame comes at the next tick, up to 16.7 ms later however little
 * work there was; on a busy machine other processes add their share. The
 * main thread's CPU time from the call to the end of that frame (parse,
 * buffer update, layout, drawing) is therefore given as well: it decides
 * whether a frame is dropped. The core's parse of the same text alone is
 * timed afterwards, for information.
 *
 * Rows (run-policy-benchmarks.sh collects them): the median and the
 * maximum of the 30 steps, each against the 16 ms goal. The goal is
 * judged on the median; the maximum gets its own verdict, to be read
 * with the CPU row beside it. The program fails (exit 1) when the view
 * after the 30 incremental updates differs from a full render of the
 * final text. --screenshot saves PREFIX-middle.png, PREFIX-top.png and
 * PREFIX-blocks.png of the window afterwards; --dark shows the dark
 * style.
 */
#define G_LOG_DOMAIN "kdx-bench-preview"

#include "config.h"

#include "kdx-markdown.h"
#include "kdx-markdown-view.h"

#include "bench-frame.h"
#include "bench-util.h"

#include <adwaita.h>
#include <locale.h>

#define N_KEYSTROKES 30
#define STEP_MS      100   /* between keystrokes: a quick typist */
#define SETTLE_MS    1500  /* after scrolling: its animation is over */
#define GOAL_MS      16.0
#define N_SECTIONS   20

static const char *words[] = {
  "die", "der", "das", "und", "für", "mit", "wird", "werden", "von", "bei", "eine", "einer",
  "Vertrieb", "Kunden", "Daten", "KI-System", "Bewertung", "Entscheidung", "Mitarbeitende",
  "Verantwortung", "Transparenz", "Aufsicht", "Risiko", "Fairness", "Einwilligung",
  "Datenschutz-Folgenabschätzung", "nachvollziehbar", "dokumentiert", "regelmäßig",
  "geprüft", "erklärt", "menschliche", "Überprüfung", "Lead-Scoring", "Preisgestaltung",
  "Gesprächsanalyse", "Ausschuss", "Richtlinie", "Schulung", "Vorfall", "gemeldet",
  "angemessen", "unverzüglich", "Zweck", "Speicherung", "Löschung", "Betroffene",
};

static const char *section_titles[] = {
  "Zweck und Geltungsbereich", "Begriffe", "Grundsätze", "Rollen und Verantwortung",
  "Transparenz gegenüber Kunden", "Datenschutz", "Fairness und Nichtdiskriminierung",
  "Menschliche Aufsicht", "Lead-Scoring", "Vertriebs-Chatbots", "Gesprächsanalyse",
  "Dynamische Preisgestaltung", "Next-Best-Offer", "Leistungsanalyse im Vertrieb",
  "Schulung und KI-Kompetenz", "Meldung von Bedenken", "Audits und Nachweise",
  "Vorfälle", "Ausnahmen", "Inkrafttreten und Überprüfung",
};

typedef struct
{
  GtkWidget       *window;
  KdxMarkdownView *view;
  GString         *markdown;
  gsize            typing_at;     /* byte offset where the keystrokes go */
  guint            step;
  gint64           t0;
  double           cpu0;
  double           call_ms[N_KEYSTROKES];
  double           frame_ms[N_KEYSTROKES];
  double           cpu_ms[N_KEYSTROKES];
  double           first_ms;
  double           parse_ms;
  const char      *screenshot;
  guint            shots;
  gboolean         done;
  gboolean         matches;  /* the incremental updates gave a full render */
} Bench;

/* ------------------------------------------------------------------ */
/* The policy                                                         */

static void
append_sentence (GString *s,
                 GRand   *rand)
{
  guint n = g_rand_int_range (rand, 8, 18);

  for (guint i = 0; i < n; i++)
    {
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      guint markup = g_rand_int_range (rand, 0, 40);

      if (i == 0)
        {
          gunichar c = g_unichar_toupper (g_utf8_get_char (word));

          g_string_append_unichar (s, c);
          g_string_append (s, g_utf8_next_char (word));
        }
      else if (markup == 0)
        g_string_append_printf (s, "**%s**", word);
      else if (markup == 1)
        g_string_append_printf (s, "*%s*", word);
      else if (markup == 2)
        g_string_append_printf (s, "`%s`", word);
      else if (markup == 3)
        g_string_append_printf (s, "[%s](https://kodex.example/richtlinie/%u)", word, i);
      else
        g_string_append (s, word);
      g_string_append_c (s, i + 1 < n ? ' ' : '.');
    }
}

static void
append_paragraph (GString *s,
                  GRand   *rand,
                  guint    sentences)
{
  for (guint i = 0; i < sentences; i++)
    {
      append_sentence (s, rand);
      /* Lines wrapped as an editor user would leave them. */
      g_string_append_c (s, i % 2 == 1 ? '\n' : ' ');
    }
  if (s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  if (s->str[s->len - 1] != '\n')
    g_string_append_c (s, '\n');
  g_string_append_c (s, '\n');
}

static void
append_table (GString *s,
              GRand   *rand)
{
  g_string_append (s, "| Rolle | Aufgabe | Frist | Nachweis |\n"
                      "|:------|:--------|------:|:--------:|\n");
  for (guint r = 0; r < 6; r++)
    g_string_append_printf (s, "| %s | %s %s | %u Tage | %s |\n",
                            words[g_rand_int_range (rand, 12, G_N_ELEMENTS (words))],
                            words[g_rand_int_range (rand, 12, G_N_ELEMENTS (words))],
                            words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                            g_rand_int_range (rand, 1, 90),
                            r % 2 ? "ja" : "**nein**");
  g_string_append_c (s, '\n');
}

/* About 70 KB of Markdown; @typing_at: a place inside a paragraph of the
 * middle section. */
static GString *
make_policy (gsize *typing_at)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  GString *s = g_string_new ("# Richtlinie zum Einsatz von KI im Vertrieb\n\n");

  append_paragraph (s, rand, 3);
  g_string_append (s, "> Diese Richtlinie gilt für alle Mitarbeitenden im Vertrieb und für "
                      "alle KI-Systeme, die Kundendaten verarbeiten.\n\n");

  for (guint n = 0; n < N_SECTIONS; n++)
    {
      g_string_append_printf (s, "## %u. %s\n\n", n + 1, section_titles[n]);
      if (n == N_SECTIONS / 2)
        *typing_at = s->len + 20;
      append_paragraph (s, rand, 5);

      g_string_append_printf (s, "### %u.1 Anforderungen\n\n", n + 1);
      append_paragraph (s, rand, 3);
      for (guint i = 0; i < 5; i++)
        {
          g_string_append (s, "- ");
          append_sentence (s, rand);
          g_string_append_c (s, '\n');
          if (i == 2)
            {
              g_string_append (s, "  - ");
              append_sentence (s, rand);
              g_string_append (s, "\n  - [ ] offen\n  - [x] erledigt\n");
            }
        }
      g_string_append_c (s, '\n');
      for (guint i = 0; i < 3; i++)
        {
          g_string_append_printf (s, "%u. ", i + 1);
          append_sentence (s, rand);
          g_string_append_c (s, '\n');
        }
      g_string_append_c (s, '\n');

      g_string_append (s, "> ");
      append_sentence (s, rand);
      g_string_append (s, "\n>\n> > ");
      append_sentence (s, rand);
      g_string_append (s, "\n\n");

      if (n % 2 == 0)
        append_table (s, rand);
      if (n % 4 == 0)
        g_string_append (s, "```sh\nkodex-cli policy show POL-007 --format html > pol-007.html\n"
                            "kodex-cli verify ausschuss.kodex\n```\n\n");
      if (n % 5 == 0)
        g_string_append (s, "---\n\n");

      g_string_append_printf (s, "### %u.2 Umsetzung\n\n", n + 1);
      append_paragraph (s, rand, 4);
      append_paragraph (s, rand, 2);
    }

  return s;
}

/* ------------------------------------------------------------------ */
/* Measuring                                                          */

static double
maximum (const double *values,
         guint         n)
{
  double max = 0;

  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  return max;
}

static double time_parse (const char *markdown);

static void
print_results (Bench *bench)
{
  double frame_median = bench_median_of (bench->frame_ms, N_KEYSTROKES);
  double frame_max = maximum (bench->frame_ms, N_KEYSTROKES);
  char measured[64];

  bench->parse_ms = time_parse (bench->markdown->str);

  g_snprintf (measured, sizeof measured, "%.1f ms (median of %u)", frame_median, N_KEYSTROKES);
  bench_row ("preview re-render after a keystroke", measured, "<= 16 ms",
             frame_median <= GOAL_MS ? "PASS" : "MISS");
  g_snprintf (measured, sizeof measured, "%.1f ms (maximum)", frame_max);
  bench_row ("preview re-render after a keystroke, slowest", measured, "<= 16 ms",
             frame_max <= GOAL_MS ? "PASS" : "MISS");
  g_snprintf (measured, sizeof measured, "%.1f ms, max %.1f",
              bench_median_of (bench->cpu_ms, N_KEYSTROKES), maximum (bench->cpu_ms, N_KEYSTROKES));
  bench_row ("  (CPU of the main thread until that frame)", measured, "(information)", "");
  g_snprintf (measured, sizeof measured, "%.1f ms (median)",
              bench_median_of (bench->call_ms, N_KEYSTROKES));
  bench_row ("  (set_markdown alone, before the frame)", measured, "(information)", "");
  g_snprintf (measured, sizeof measured, "%.1f ms, %.0f KB", bench->parse_ms,
              bench->markdown->len / 1024.0);
  bench_row ("  (core parse and walk alone, median CPU)", measured, "(information)", "");
  g_snprintf (measured, sizeof measured, "%.1f ms", bench->first_ms);
  bench_row ("  (first render of the whole text, drawn)", measured, "(information)", "");
  fflush (stdout);
}

/* The buffer as text plus, for every character, the priorities of its
 * tags (both views create their tags in the same order). */
static char *
describe_buffer (KdxMarkdownView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GString *s = g_string_new (NULL);
  GtkTextIter iter, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &iter, &end);
  text = gtk_text_buffer_get_text (buffer, &iter, &end, TRUE);
  g_string_append (s, text);
  do
    {
      g_autoptr(GSList) tags = gtk_text_iter_get_tags (&iter);
      guint64 mask[4] = { 0 };

      for (GSList *l = tags; l != NULL; l = l->next)
        {
          int priority = gtk_text_tag_get_priority (l->data);

          g_assert (priority < 256);
          mask[priority / 64] |= G_GUINT64_CONSTANT (1) << (priority % 64);
        }
      g_string_append_printf (s, "\n%" G_GINT64_MODIFIER "x %" G_GINT64_MODIFIER "x %"
                              G_GINT64_MODIFIER "x %" G_GINT64_MODIFIER "x",
                              mask[0], mask[1], mask[2], mask[3]);
    }
  while (gtk_text_iter_forward_char (&iter));

  return g_string_free (s, FALSE);
}

/* After 30 incremental updates the view must show exactly what a view
 * that rendered the final text at once shows. */
static gboolean
incremental_matches_full (Bench *bench)
{
  KdxMarkdownView *fresh = KDX_MARKDOWN_VIEW (g_object_ref_sink (kdx_markdown_view_new ()));
  g_autofree char *expected = NULL;
  g_autofree char *actual = describe_buffer (bench->view);

  kdx_markdown_view_set_markdown (fresh, bench->markdown->str);
  expected = describe_buffer (fresh);
  g_object_unref (fresh);

  return g_str_equal (expected, actual);
}

static void
save_screenshot (Bench      *bench,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (bench->window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (bench->window);
  int height = gtk_widget_get_height (bench->window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_strdup_printf ("%s-%s.png", bench->screenshot, name);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (bench->window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_printerr ("bench-preview: cannot save %s\n", path);
}

/* After the edited section: the beginning, and the first section's lists,
 * quotes, table, code and rule. */
static const struct { const char *name; guint heading; } screenshots[] = {
  { "top", 0 },
  { "blocks", 2 },
};

static gboolean screenshot_settled_cb (gpointer user_data);

static void
screenshot_painted_cb (gint64   painted_at,
                       gpointer user_data)
{
  Bench *bench = user_data;

  save_screenshot (bench, screenshots[bench->shots].name);
  bench->shots++;
  if (bench->shots < G_N_ELEMENTS (screenshots))
    {
      kdx_markdown_view_scroll_to_heading (bench->view, screenshots[bench->shots].heading);
      g_timeout_add (SETTLE_MS, screenshot_settled_cb, bench);
    }
  else
    bench->done = TRUE;
}

static gboolean
screenshot_settled_cb (gpointer user_data)
{
  Bench *bench = user_data;

  bench_wait_frame (bench->window, screenshot_painted_cb, bench);
  gtk_widget_queue_draw (bench->window);

  return G_SOURCE_REMOVE;
}

/* The edited section is on screen now. */
static void
take_screenshots (Bench *bench)
{
  save_screenshot (bench, "middle");
  kdx_markdown_view_scroll_to_heading (bench->view, screenshots[0].heading);
  g_timeout_add (SETTLE_MS, screenshot_settled_cb, bench);
}

static gboolean next_step_cb (gpointer user_data);

static void
keystroke_painted_cb (gint64   painted_at,
                      gpointer user_data)
{
  Bench *bench = user_data;

  bench->frame_ms[bench->step] = (painted_at - bench->t0) / 1000.0;
  bench->cpu_ms[bench->step] = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - bench->cpu0;
  if (g_getenv ("KDX_BENCH_VERBOSE") != NULL)
    g_printerr ("keystroke %2u: %5.1f ms to the frame, %4.1f ms in set_markdown, %4.1f ms CPU\n",
                bench->step + 1, bench->frame_ms[bench->step], bench->call_ms[bench->step],
                bench->cpu_ms[bench->step]);
  bench->step++;
  g_timeout_add (STEP_MS, next_step_cb, bench);
}

static gboolean
next_step_cb (gpointer user_data)
{
  Bench *bench = user_data;
  static const char typed[] = "verantwortungsvollerumgangmitk";
  gint64 called;

  if (bench->step == N_KEYSTROKES)
    {
      print_results (bench);
      bench->matches = incremental_matches_full (bench);
      if (!bench->matches)
        g_printerr ("bench-preview: after the keystrokes the view differs from a full render\n");
      if (bench->screenshot != NULL)
        take_screenshots (bench);
      else
        bench->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  g_string_insert_c (bench->markdown, bench->typing_at + bench->step, typed[bench->step]);

  bench_wait_frame (bench->window, keystroke_painted_cb, bench);
  bench->cpu0 = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
  bench->t0 = g_get_monotonic_time ();
  kdx_markdown_view_set_markdown (bench->view, bench->markdown->str);
  called = g_get_monotonic_time ();
  bench->call_ms[bench->step] = (called - bench->t0) / 1000.0;

  return G_SOURCE_REMOVE;
}

static void
scrolled_painted_cb (gint64   painted_at,
                     gpointer user_data)
{
  g_timeout_add (SETTLE_MS, next_step_cb, user_data);
}

/* The section being edited is in view, as it would be while typing. */
static gboolean
scroll_to_middle_cb (gpointer user_data)
{
  Bench *bench = user_data;
  guint n_headings;

  kdx_markdown_doc_get_outline (kdx_markdown_view_get_doc (bench->view), &n_headings);
  bench_wait_frame (bench->window, scrolled_painted_cb, bench);
  /* The title, then three headings per section. */
  kdx_markdown_view_scroll_to_heading (bench->view, 1 + 3 * (N_SECTIONS / 2));
  gtk_widget_queue_draw (bench->window);

  return G_SOURCE_REMOVE;
}

static void
first_painted_cb (gint64   painted_at,
                  gpointer user_data)
{
  Bench *bench = user_data;

  bench->first_ms = (painted_at - bench->t0) / 1000.0;
  g_timeout_add (STEP_MS, scroll_to_middle_cb, bench);
}

static void
map_cb (GtkWidget *widget,
        Bench     *bench)
{
  g_signal_handlers_disconnect_by_func (widget, map_cb, bench);
  bench_wait_frame (bench->window, first_painted_cb, bench);
  bench->t0 = g_get_monotonic_time ();
  kdx_markdown_view_set_markdown (bench->view, bench->markdown->str);
}

/* kdx_markdown_render() alone, main-thread CPU time, median of 15. */
static double
time_parse (const char *markdown)
{
  double ms[15];

  for (guint i = 0; i < G_N_ELEMENTS (ms); i++)
    {
      double t0 = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
      g_autoptr(KdxMarkdownDoc) doc = kdx_markdown_render (markdown, -1);

      ms[i] = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - t0;
    }

  return bench_median_of (ms, G_N_ELEMENTS (ms));
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  gboolean dark = FALSE;
  const char *workspace = NULL;
  GtkWidget *scrolled;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--dark"))
        dark = TRUE;
      else if (g_str_equal (argv[i], "--screenshot") && i + 1 < argc)
        bench.screenshot = argv[++i];
      else if (workspace == NULL && argv[i][0] != '-')
        workspace = argv[i];
      else
        workspace = NULL, i = argc;
    }
  if (workspace == NULL)
    {
      g_printerr ("usage: %s [--dark] [--screenshot PREFIX] WORKSPACE\n", argv[0]);
      return 2;
    }

  setlocale (LC_ALL, "");
  gtk_init ();
  adw_init ();
  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);

  bench.markdown = make_policy (&bench.typing_at);

  bench.view = KDX_MARKDOWN_VIEW (kdx_markdown_view_new ());
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (bench.view));
  bench.window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (bench.window), "Vorschau");
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1000, 800);
  gtk_window_set_child (GTK_WINDOW (bench.window), scrolled);
  g_signal_connect (bench.window, "map", G_CALLBACK (map_cb), &bench);
  gtk_window_present (GTK_WINDOW (bench.window));

  while (!bench.done)
    g_main_context_iteration (NULL, TRUE);

  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_string_free (bench.markdown, TRUE);

  return bench.matches ? 0 : 1;
}
