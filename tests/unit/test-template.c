/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Templates: the front-matter reader that templates and the Markdown
 * import of policies share, and the code of conduct and policy templates
 * shipped in German and English — that each of them reads, is complete
 * and substantial, and that both languages offer the same set.
 */
#define G_LOG_DOMAIN "kdx-test-template"

#include "config.h"

#include "kdx-template.h"

#include <cmark-gfm.h>
#include <glib.h>
#include <string.h>

static const char * const languages[] = { "de", "en" };

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The fields as "key=value" lines in key order: one string to compare. */
static char *
describe_fields (GHashTable *fields)
{
  guint n = 0;
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (fields, &n);
  GString *s = g_string_new (NULL);

  g_qsort_with_data (keys, n, sizeof (char *), compare_keys, NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s=%s\n", keys[i], (char *) g_hash_table_lookup (fields, keys[i]));

  return g_string_free (s, FALSE);
}

static guint
count_words (const char *text)
{
  g_auto(GStrv) tokens = g_strsplit_set (text, " \t\n", -1);
  guint words = 0;

  for (guint i = 0; tokens[i] != NULL; i++)
    for (const char *p = tokens[i]; *p != '\0'; p = g_utf8_next_char (p))
      if (g_unichar_isalnum (g_utf8_get_char (p)))
        {
          words++;
          break;
        }

  return words;
}

/* The text of the headings of @level (0: every level), one a line. */
static char *
collect_headings (const char *markdown,
                  int         level)
{
  cmark_node *doc = cmark_parse_document (markdown, strlen (markdown), CMARK_OPT_DEFAULT);
  cmark_iter *iter = cmark_iter_new (doc);
  GString *s = g_string_new (NULL);
  cmark_event_type event;
  gboolean inside = FALSE;

  while ((event = cmark_iter_next (iter)) != CMARK_EVENT_DONE)
    {
      cmark_node *node = cmark_iter_get_node (iter);

      if (cmark_node_get_type (node) == CMARK_NODE_HEADING &&
          (level == 0 || cmark_node_get_heading_level (node) == level))
        {
          inside = event == CMARK_EVENT_ENTER;
          if (!inside)
            g_string_append_c (s, '\n');
        }
      else if (inside && event == CMARK_EVENT_ENTER &&
               cmark_node_get_literal (node) != NULL)
        g_string_append (s, cmark_node_get_literal (node));
    }
  cmark_iter_free (iter);
  cmark_node_free (doc);

  return g_string_free (s, FALSE);
}

/* How many raw HTML blocks and inlines the Markdown renderer would see. */
static guint
count_raw_html (const char *markdown)
{
  cmark_node *doc = cmark_parse_document (markdown, strlen (markdown), CMARK_OPT_DEFAULT);
  cmark_iter *iter = cmark_iter_new (doc);
  guint found = 0;

  while (cmark_iter_next (iter) != CMARK_EVENT_DONE)
    {
      cmark_node_type type = cmark_node_get_type (cmark_iter_get_node (iter));

      if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE)
        found++;
    }
  cmark_iter_free (iter);
  cmark_node_free (doc);

  return found;
}

static guint
count_lines (const char *text)
{
  guint lines = 0;

  for (; *text != '\0'; text++)
    if (*text == '\n')
      lines++;

  return lines;
}

static gboolean
contains_casefold (const char *haystack,
                   const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

static GPtrArray *
list_ids (const char *language)
{
  g_autoptr(GPtrArray) templates = kdx_template_list (language);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < templates->len; i++)
    g_ptr_array_add (ids, g_strdup (kdx_template_get_id (g_ptr_array_index (templates, i))));
  g_ptr_array_sort_with_data (ids, compare_keys, NULL);

  return ids;
}

static char *
join_ids (GPtrArray *ids)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s\n", (char *) g_ptr_array_index (ids, i));

  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------ */
/* Front matter                                                       */

typedef struct
{
  const char *name;
  const char *text;
  gssize      len;
  const char *fields;   /* describe_fields(), on success */
  const char *body;     /* on success */
  int         code;     /* on failure */
  const char *message;  /* on failure: the whole message */
} FrontMatterCase;

#define OK(n, t, f, b)        { n, t, -1, f, b, 0, NULL }
#define FAIL(n, t, c, m)      { n, t, -1, NULL, NULL, KDX_TEMPLATE_ERROR_##c, m }
#define NUL_TEXT              "---\ntitle: X\0\n---\n"

static const FrontMatterCase front_matter_cases[] = {
  OK ("valid", "---\ntemplate: disclosure\ntitle: Offenlegung gegenüber Kunden\n---\n\n# Offenlegung\n\nText.\n",
      "template=disclosure\ntitle=Offenlegung gegenüber Kunden\n", "# Offenlegung\n\nText.\n"),
  OK ("none", "# Richtlinie\n\nKein Vorspann.\n", "", "# Richtlinie\n\nKein Vorspann.\n"),
  OK ("empty-text", "", "", ""),
  OK ("crlf", "---\r\ntitle: Fairness\r\nkind: policy\r\n---\r\n# Fairness\r\nText\r\n",
      "kind=policy\ntitle=Fairness\n", "# Fairness\nText\n"),
  OK ("bom", "\xef\xbb\xbf---\ntitle: Kodex\n---\nText\n", "title=Kodex\n", "Text\n"),
  OK ("bom-without-front-matter", "\xef\xbb\xbf# Kodex\n", "", "# Kodex\n"),
  OK ("quoted", "---\ntitle: \"Fairness: \\\"Lead\\\" \\\\ Scoring\"\nsummary: 'It''s fine'\n"
      "kind: \"  policy  \"\n---\nB",
      "kind=  policy  \nsummary=It's fine\ntitle=Fairness: \"Lead\" \\ Scoring\n", "B"),
  OK ("blanks-around-value", "---\ntitle :   Wert mit  Leerzeichen  \t\n---\n",
      "title=Wert mit  Leerzeichen\n", ""),
  OK ("colon-in-value", "---\nsource: https://example.org/a:b\n---\nB\n",
      "source=https://example.org/a:b\n", "B\n"),
  OK ("comments-and-blank-lines", "---\n# a comment\n\ntitle: X\n---\nB\n", "title=X\n", "B\n"),
  OK ("empty-front-matter", "---\n---\nB\n", "", "B\n"),
  OK ("fence-with-trailing-blanks", "---  \ntitle: X\n--- \nB\n", "title=X\n", "B\n"),
  OK ("later-rule-stays-in-body", "---\nkey: POL-001\n---\nText\n\n---\n\nMehr\n",
      "key=POL-001\n", "Text\n\n---\n\nMehr\n"),
  OK ("not-at-the-start", "# Titel\n---\ntitle: X\n---\n", "", "# Titel\n---\ntitle: X\n---\n"),
  OK ("blank-line-before-fence", "\n---\ntitle: X\n---\n", "", "\n---\ntitle: X\n---\n"),
  FAIL ("missing-close", "---\ntitle: X\nkind: policy\n", SYNTAX,
        "Line 1: the front matter is not closed by a line “---”"),
  FAIL ("only-a-fence", "---", SYNTAX, "Line 1: the front matter is not closed by a line “---”"),
  FAIL ("duplicate-key", "---\ntitle: A\nkind: policy\ntitle: B\n---\n", SYNTAX,
        "Line 4: “title” is given a second time (first on line 2)"),
  FAIL ("duplicate-key-crlf", "---\r\ntitle: A\r\ntitle: B\r\n---\r\n", SYNTAX,
        "Line 3: “title” is given a second time (first on line 2)"),
  FAIL ("empty-value", "---\ntemplate: a\ntitle: X\nkind:\n---\n", SYNTAX,
        "Line 4: “kind” has no value"),
  FAIL ("blank-value", "---\ntitle:   \n---\n", SYNTAX, "Line 2: “title” has no value"),
  FAIL ("empty-quoted-value", "---\ntitle: \"\"\n---\n", SYNTAX, "Line 2: “title” has no value"),
  FAIL ("upper-case-key", "---\nTitle: X\n---\n", SYNTAX,
        "Line 2: “Title” is not a valid key; a key is made of lower-case letters, digits and dashes"),
  FAIL ("indented-key", "---\n  title: X\n---\n", SYNTAX,
        "Line 2: “  title” is not a valid key; a key is made of lower-case letters, digits and dashes"),
  FAIL ("no-colon", "---\ntitle X\n---\n", SYNTAX, "Line 2: expected “key: value”"),
  FAIL ("unclosed-quote", "---\ntitle: \"X\n---\n", SYNTAX,
        "Line 2: the value of “title” has no closing quote"),
  FAIL ("text-after-quote", "---\ntitle: 'X' y\n---\n", SYNTAX,
        "Line 2: there is text after the closing quote of “title”"),
  FAIL ("control-character", "---\ntitle: a\x01z\n---\n", SYNTAX,
        "Line 2: the value of “title” contains a control character"),
  FAIL ("invalid-utf8", "---\ntitle: X\nkind: \xff\n---\n", ENCODING,
        "Line 3: the text is not valid UTF-8"),
  { "nul-byte", NUL_TEXT, sizeof (NUL_TEXT) - 1, NULL, NULL, KDX_TEMPLATE_ERROR_ENCODING,
    "Line 2: the text contains a NUL byte" },
};

static void
test_front_matter (gconstpointer data)
{
  const FrontMatterCase *c = data;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gboolean ok;

  ok = kdx_front_matter_parse (c->text, c->len, &fields, &body, &error);

  if (c->message != NULL)
    {
      g_assert_error (error, KDX_TEMPLATE_ERROR, c->code);
      g_assert_cmpstr (error->message, ==, c->message);
      g_assert_false (ok);
      g_assert_null (fields);
      g_assert_null (body);
    }
  else
    {
      g_autofree char *described = NULL;

      g_assert_no_error (error);
      g_assert_true (ok);
      described = describe_fields (fields);
      g_assert_cmpstr (described, ==, c->fields);
      g_assert_cmpstr (body, ==, c->body);
    }
}

/* The outputs are optional: a caller that only validates passes NULL. */
static void
test_front_matter_optional_outputs (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_front_matter_parse ("---\ntitle: X\n---\nB\n", -1, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (kdx_front_matter_parse ("---\ntitle:\n---\n", -1, NULL, NULL, &error));
  g_assert_error (error, KDX_TEMPLATE_ERROR, KDX_TEMPLATE_ERROR_SYNTAX);
}

/* ------------------------------------------------------------------ */
/* A template from Markdown                                           */

#define HEAD(t, k, a, r) \
  "---\ntemplate: " t "\ntitle: Titel\nkind: " k "\narea: " a "\nreview-months: " r \
  "\nsummary: Wofür.\n"

typedef struct
{
  const char *name;
  const char *text;
  int         code;     /* -1: success */
  const char *message;
} MarkdownCase;

static const MarkdownCase markdown_cases[] = {
  { "valid", HEAD ("eigene", "guideline", "privacy", "24") "---\n# Titel\n\nText\n", -1, NULL },
  { "missing-title",
    "---\ntemplate: a\nkind: policy\narea: privacy\nreview-months: 12\nsummary: S\n---\nText\n",
    KDX_TEMPLATE_ERROR_INVALID, "The template has no field “title”" },
  { "unknown-kind", HEAD ("a", "rule", "privacy", "12") "---\nText\n", KDX_TEMPLATE_ERROR_INVALID,
    "The template’s “kind” is “rule”; it must be one of: code-of-conduct, policy, guideline, procedure" },
  { "unknown-area", HEAD ("a", "policy", "ethics", "12") "---\nText\n", KDX_TEMPLATE_ERROR_INVALID,
    "The template’s “area” is “ethics”; it must be one of: transparency, privacy, fairness, "
    "oversight, autonomy, workforce, governance" },
  { "review-months-zero", HEAD ("a", "policy", "privacy", "0") "---\nText\n",
    KDX_TEMPLATE_ERROR_INVALID, "The template’s “review-months” must be a number from 1 to 120" },
  { "review-months-word", HEAD ("a", "policy", "privacy", "zwölf") "---\nText\n",
    KDX_TEMPLATE_ERROR_INVALID, "The template’s “review-months” must be a number from 1 to 120" },
  { "unknown-field", HEAD ("a", "policy", "privacy", "12") "owner: X\n---\nText\n",
    KDX_TEMPLATE_ERROR_INVALID, "“owner” is not a field of a template" },
  { "bad-name", HEAD ("../a", "policy", "privacy", "12") "---\nText\n", KDX_TEMPLATE_ERROR_INVALID,
    "“../a” is not a valid template name; use lower-case letters, digits and dashes" },
  { "no-body", HEAD ("a", "policy", "privacy", "12") "---\n\n  \n", KDX_TEMPLATE_ERROR_INVALID,
    "The template has no text after its front matter" },
  { "no-front-matter", "# Titel\n\nText\n", KDX_TEMPLATE_ERROR_INVALID,
    "The template has no field “template”" },
  { "bad-front-matter", HEAD ("a", "policy", "privacy", "12") "summary: again\n---\nText\n",
    KDX_TEMPLATE_ERROR_SYNTAX, "Line 8: “summary” is given a second time (first on line 7)" },
};

static void
test_from_markdown (gconstpointer data)
{
  const MarkdownCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxTemplate) template = kdx_template_new_from_markdown ("de", c->text, -1, &error);

  if (c->code >= 0)
    {
      g_assert_error (error, KDX_TEMPLATE_ERROR, c->code);
      g_assert_cmpstr (error->message, ==, c->message);
      g_assert_null (template);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpstr (kdx_template_get_id (template), ==, "eigene");
  g_assert_cmpstr (kdx_template_get_language (template), ==, "de");
  g_assert_cmpstr (kdx_template_get_title (template), ==, "Titel");
  g_assert_cmpstr (kdx_template_get_kind (template), ==, "guideline");
  g_assert_cmpstr (kdx_template_get_area (template), ==, "privacy");
  g_assert_cmpuint (kdx_template_get_review_months (template), ==, 24);
  g_assert_cmpstr (kdx_template_get_summary (template), ==, "Wofür.");
  g_assert_cmpstr (kdx_template_get_body (template), ==, "# Titel\n\nText\n");
}

/* A list-item factory binds the properties: they say what the getters say. */
static void
test_properties (void)
{
  g_autoptr(KdxTemplate) template = kdx_template_lookup ("en", "disclosure");
  g_autofree char *title = NULL;
  g_autofree char *area = NULL;
  guint months = 0;

  g_assert_nonnull (template);
  g_object_get (template, "title", &title, "area", &area, "review-months", &months, NULL);
  g_assert_cmpstr (title, ==, kdx_template_get_title (template));
  g_assert_cmpstr (area, ==, "transparency");
  g_assert_cmpuint (months, ==, kdx_template_get_review_months (template));
  g_assert_finalize_object (g_steal_pointer (&template));
}

/* ------------------------------------------------------------------ */
/* The shipped templates                                              */

static const char * const kinds[] = { "code-of-conduct", "policy", "guideline", "procedure", NULL };
static const char * const areas[] = {
  "transparency", "privacy", "fairness", "oversight", "autonomy", "workforce", "governance", NULL
};

/* What the committee fills in; anything else in brackets is a typo. */
static const char * const placeholders_de[] = {
  "[Organisation]", "[Datum]", "[Name]", "[Funktion]", "[E-Mail-Adresse]", "[Intranet-Adresse]",
  "[Anzahl]", NULL
};
static const char * const placeholders_en[] = {
  "[Organisation]", "[date]", "[Name]", "[role]", "[e-mail address]", "[intranet address]",
  "[number]", NULL
};

static void
test_shipped_count (void)
{
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(GPtrArray) templates = kdx_template_list (languages[l]);
      guint codes = 0;

      g_assert_cmpuint (templates->len, >=, 11);
      for (guint i = 0; i < templates->len; i++)
        if (g_str_equal (kdx_template_get_kind (g_ptr_array_index (templates, i)),
                         "code-of-conduct"))
          codes++;
      g_assert_cmpuint (codes, ==, 1);
    }
}

/* Switching the language offers the same templates with the same
 * metadata: only the words differ. */
static void
test_shipped_same_set (void)
{
  g_autoptr(GPtrArray) de_ids = list_ids ("de");
  g_autoptr(GPtrArray) en_ids = list_ids ("en");
  g_autofree char *de_joined = join_ids (de_ids);
  g_autofree char *en_joined = join_ids (en_ids);

  g_assert_cmpstr (de_joined, ==, en_joined);

  for (guint i = 0; i < de_ids->len; i++)
    {
      const char *id = g_ptr_array_index (de_ids, i);
      g_autoptr(KdxTemplate) de = kdx_template_lookup ("de", id);
      g_autoptr(KdxTemplate) en = kdx_template_lookup ("en", id);

      g_test_message ("%s", id);
      g_assert_cmpstr (kdx_template_get_kind (de), ==, kdx_template_get_kind (en));
      g_assert_cmpstr (kdx_template_get_area (de), ==, kdx_template_get_area (en));
      g_assert_cmpuint (kdx_template_get_review_months (de), ==,
                        kdx_template_get_review_months (en));
      g_assert_cmpstr (kdx_template_get_title (de), !=, kdx_template_get_title (en));
    }
}

/* The code of conduct comes first; the rest by title as a German or
 * English reader sorts. */
static void
test_shipped_order (gconstpointer data)
{
  const char *language = data;
  g_autoptr(GPtrArray) templates = kdx_template_list (language);

  g_assert_cmpuint (templates->len, >, 2);
  g_assert_cmpstr (kdx_template_get_id (g_ptr_array_index (templates, 0)), ==, "code-of-conduct");
  for (guint i = 2; i < templates->len; i++)
    {
      const char *before = kdx_template_get_title (g_ptr_array_index (templates, i - 1));
      const char *after = kdx_template_get_title (g_ptr_array_index (templates, i));

      g_assert_cmpint (g_utf8_collate (before, after), <=, 0);
    }
}

static void
check_placeholders (const char         *body,
                    const char * const *allowed)
{
  for (const char *open = strchr (body, '['); open != NULL; open = strchr (open + 1, '['))
    {
      const char *close = strchr (open, ']');
      g_autofree char *span = NULL;

      g_assert_nonnull (close);
      if (close[1] == '(')
        continue;   /* a link */
      span = g_strndup (open, close - open + 1);
      if (!g_strv_contains (allowed, span))
        g_error ("unknown placeholder %s", span);
    }
}

/* One shipped template, named by language and id. */
static void
test_shipped_template (gconstpointer data)
{
  const char *path = data;   /* "de/disclosure" */
  g_autofree char *language = g_strndup (path, 2);
  g_autoptr(KdxTemplate) template = kdx_template_lookup (language, path + 3);
  g_autofree char *h1 = NULL;
  g_autofree char *expected_h1 = NULL;
  g_autofree char *h2 = NULL;
  const char *body;
  const char *summary;
  const char * const leftovers[] = { "TODO", "FIXME", "TBD", "XXX", "Lorem", NULL };

  g_assert_nonnull (template);
  body = kdx_template_get_body (template);
  summary = kdx_template_get_summary (template);

  g_assert_cmpstr (kdx_template_get_id (template), ==, path + 3);
  g_assert_cmpstr (kdx_template_get_language (template), ==, language);
  g_assert_true (g_strv_contains (kinds, kdx_template_get_kind (template)));
  g_assert_true (g_strv_contains (areas, kdx_template_get_area (template)));
  g_assert_cmpuint (kdx_template_get_review_months (template), >=, 1);
  g_assert_cmpuint (kdx_template_get_review_months (template), <=, 36);
  g_assert_cmpuint (strlen (kdx_template_get_title (template)), >, 5);
  g_assert_cmpuint (count_words (summary), >=, 8);
  g_assert_true (g_str_has_suffix (summary, "."));

  /* One title, the same as in the list, and sections under it. */
  h1 = collect_headings (body, 1);
  expected_h1 = g_strconcat (kdx_template_get_title (template), "\n", NULL);
  g_assert_cmpstr (h1, ==, expected_h1);
  g_assert_true (g_str_has_prefix (body, "# "));
  h2 = collect_headings (body, 2);
  g_assert_cmpuint (count_lines (h2), >=, 5);

  g_assert_cmpuint (count_words (body), >=, 300);
  g_assert_cmpuint (count_words (body), <=, 2600);
  g_assert_cmpuint (count_raw_html (body), ==, 0);
  for (guint i = 0; leftovers[i] != NULL; i++)
    g_assert_null (strstr (body, leftovers[i]));
  g_assert_null (strstr (body, "\r"));

  check_placeholders (body, g_str_equal (language, "de") ? placeholders_de : placeholders_en);

  /* Each file is in its own language. */
  if (g_str_equal (language, "de"))
    {
      g_assert_nonnull (strstr (body, " und "));
      g_assert_nonnull (strstr (body, " die "));
      g_assert_null (strstr (body, " the "));
    }
  else
    {
      g_assert_nonnull (strstr (body, " and "));
      g_assert_nonnull (strstr (body, " the "));
      g_assert_null (strstr (body, " und "));
    }
}

/* The code of conduct: a section for each of the seven areas of the
 * committee's work, and each practice the committee has committed to. */
typedef struct
{
  const char *what;
  const char *de;
  const char *en;
} Expectation;

static const Expectation areas_in_headings[] = {
  { "transparency & explainability", "Transparenz", "Transparency" },
  { "privacy & data protection", "Datenschutz", "Privacy" },
  { "fairness & non-discrimination", "Nichtdiskriminierung", "non-discrimination" },
  { "human oversight & accountability", "Aufsicht", "oversight" },
  { "manipulation & customer autonomy", "Kundenautonomie", "autonomy" },
  { "workforce & training", "Schulung", "Workforce" },
  { "governance & culture", "Kultur", "culture" },
};

static const Expectation practices[] = {
  { "tell customers when AI is used and what data", "welche Daten", "what data" },
  { "prefer explainable systems", "erklärbare", "explainable" },
  { "a human has the last word", "letzte Wort", "last word" },
  { "privacy by design", "Privacy by Design", "by design" },
  { "only necessary data", "erforderlich", "necessary" },
  { "pseudonymise where possible", "pseudonymisiert", "pseudonymised" },
  { "encryption", "verschlüsselt", "encrypted" },
  { "access control", "Zugriffskontrolle", "access control" },
  { "regular security audits", "Sicherheitsaudits", "security audits" },
  { "informed consent", "Einwilligung", "consent" },
  { "representative, diverse training data", "repräsentativ", "representative" },
  { "training data checked for bias", "Verzerrungen (Bias)", "for bias" },
  { "regular fairness audits", "Fairness-Audit", "fairness audit" },
  { "defined, continuously monitored fairness metrics", "laufend überwacht", "monitored continuously" },
  { "clear responsibility for each system", "verantwortliche Person", "accountable" },
  { "humans who can override", "übersteuern", "override" },
  { "continuous training on tools and ethics", "fortlaufend weitergebildet", "continuously afterwards" },
  { "a written code of conduct", "schriftliche Verhaltenskodex", "written code of conduct" },
  { "an ethics committee that oversees AI use", "Ethikgremium beaufsichtigt", "committee oversees" },
  { "a culture where concerns are welcome", "Bedenken willkommen", "concerns are welcome" },
  { "no retaliation", "Repressalien", "Retaliation" },
};

static void
test_code_of_conduct_areas (gconstpointer data)
{
  const char *language = data;
  g_autoptr(KdxTemplate) code = kdx_template_lookup (language, "code-of-conduct");
  g_autofree char *headings = NULL;

  g_assert_nonnull (code);
  g_assert_cmpstr (kdx_template_get_kind (code), ==, "code-of-conduct");
  headings = collect_headings (kdx_template_get_body (code), 2);
  for (guint i = 0; i < G_N_ELEMENTS (areas_in_headings); i++)
    {
      const Expectation *e = &areas_in_headings[i];

      if (!contains_casefold (headings, g_str_equal (language, "de") ? e->de : e->en))
        g_error ("no heading for %s in:\n%s", e->what, headings);
    }
  g_assert_cmpuint (count_words (kdx_template_get_body (code)), >=, 1500);
}

static void
test_code_of_conduct_practices (gconstpointer data)
{
  const char *language = data;
  g_autoptr(KdxTemplate) code = kdx_template_lookup (language, "code-of-conduct");

  g_assert_nonnull (code);
  for (guint i = 0; i < G_N_ELEMENTS (practices); i++)
    {
      const Expectation *e = &practices[i];

      if (!contains_casefold (kdx_template_get_body (code), g_str_equal (language, "de") ? e->de : e->en))
        g_error ("the code of conduct does not cover: %s", e->what);
    }
}

/* ------------------------------------------------------------------ */
/* Languages and look-up                                              */

typedef struct
{
  const char *asked;
  const char *shipped;
} LanguageCase;

static const LanguageCase language_cases[] = {
  { "de", "de" }, { "de_DE.UTF-8", "de" }, { "de_AT", "de" }, { "de-CH", "de" }, { "DE", "de" },
  { "de@euro", "de" }, { "en", "en" }, { "en_GB", "en" }, { "fr", "en" }, { "fr_FR", "en" },
  { "deu", "en" }, { "", "en" }, { "C", "en" },
};

static void
test_resolve_language (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (language_cases); i++)
    g_assert_cmpstr (kdx_template_resolve_language (language_cases[i].asked), ==,
                     language_cases[i].shipped);
}

/* Without a language, the user's: the first of theirs that ships. */
static void
test_resolve_user_language (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  g_setenv ("LANGUAGE", "fr_FR:de_AT", TRUE);
  g_assert_cmpstr (kdx_template_resolve_language (NULL), ==, "de");
  g_setenv ("LANGUAGE", "fr_FR", TRUE);
  g_assert_cmpstr (kdx_template_resolve_language (NULL), ==, "en");

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");
}

/* French is not shipped: the English templates stand in. */
static void
test_fallback (void)
{
  g_autoptr(GPtrArray) fr = list_ids ("fr_FR.UTF-8");
  g_autoptr(GPtrArray) en = list_ids ("en");
  g_autofree char *fr_joined = join_ids (fr);
  g_autofree char *en_joined = join_ids (en);
  g_autoptr(KdxTemplate) code = kdx_template_lookup ("fr", "code-of-conduct");
  g_autoptr(KdxTemplate) german = kdx_template_lookup ("de_CH", "code-of-conduct");

  g_assert_cmpstr (fr_joined, ==, en_joined);
  g_assert_cmpstr (kdx_template_get_language (code), ==, "en");
  g_assert_cmpstr (kdx_template_get_language (german), ==, "de");
  g_assert_true (g_str_has_prefix (kdx_template_get_title (german), "Verhaltenskodex"));
}

static void
test_lookup (void)
{
  g_autoptr(GPtrArray) templates = kdx_template_list ("de");
  const char * const missing[] = {
    "nonexistent", "Disclosure", "../en/disclosure", "disclosure.md", "de/disclosure", "", NULL
  };

  for (guint i = 0; i < templates->len; i++)
    {
      KdxTemplate *listed = g_ptr_array_index (templates, i);
      g_autoptr(KdxTemplate) found = kdx_template_lookup ("de", kdx_template_get_id (listed));

      g_assert_nonnull (found);
      g_assert_cmpstr (kdx_template_get_title (found), ==, kdx_template_get_title (listed));
      g_assert_cmpstr (kdx_template_get_body (found), ==, kdx_template_get_body (listed));
    }

  for (guint i = 0; missing[i] != NULL; i++)
    g_assert_null (kdx_template_lookup ("de", missing[i]));
}

/* One test for each row of @table, named after the row. */
#define ADD_TABLE(prefix, table, func)                                          \
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)                              \
    {                                                                           \
      g_autofree char *path = g_strdup_printf (prefix "/%s", (table)[i].name);  \
      g_test_add_data_func (path, &(table)[i], func);                           \
    }

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD_TABLE ("/kdx/template/front-matter", front_matter_cases, test_front_matter);
  g_test_add_func ("/kdx/template/front-matter/optional-outputs",
                   test_front_matter_optional_outputs);
  ADD_TABLE ("/kdx/template/from-markdown", markdown_cases, test_from_markdown);
  g_test_add_func ("/kdx/template/properties", test_properties);

  g_test_add_func ("/kdx/template/shipped/count", test_shipped_count);
  g_test_add_func ("/kdx/template/shipped/same-set", test_shipped_same_set);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(GPtrArray) templates = kdx_template_list (languages[l]);
      g_autofree char *order = g_strdup_printf ("/kdx/template/shipped/order/%s", languages[l]);
      g_autofree char *areas_path = g_strdup_printf ("/kdx/template/code-of-conduct/areas/%s",
                                                     languages[l]);
      g_autofree char *practices_path =
        g_strdup_printf ("/kdx/template/code-of-conduct/practices/%s", languages[l]);

      g_test_add_data_func (order, languages[l], test_shipped_order);
      g_test_add_data_func (areas_path, languages[l], test_code_of_conduct_areas);
      g_test_add_data_func (practices_path, languages[l], test_code_of_conduct_practices);

      for (guint i = 0; i < templates->len; i++)
        {
          char *name = g_strdup_printf ("%s/%s", languages[l],
                                        kdx_template_get_id (g_ptr_array_index (templates, i)));
          g_autofree char *path = g_strdup_printf ("/kdx/template/shipped/%s", name);

          g_ptr_array_add (paths, name);
          g_test_add_data_func (path, name, test_shipped_template);
        }
    }

  g_test_add_func ("/kdx/template/language/resolve", test_resolve_language);
  g_test_add_func ("/kdx/template/language/user", test_resolve_user_language);
  g_test_add_func ("/kdx/template/language/fallback", test_fallback);
  g_test_add_func ("/kdx/template/lookup", test_lookup);

  return g_test_run ();
}
