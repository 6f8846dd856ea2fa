/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EU AI Act classification: reference scenarios from sales (answers
 * in, class, role, obligations and completeness out), the refused
 * contradictions, the answers' JSON form, and the use-case library, whose
 * suggested answers must classify completely and as the library says.
 */
#define G_LOG_DOMAIN "kdx-test-classify"

#include "config.h"

#include "kdx-classify.h"
#include "kdx-usecase.h"

#include <glib.h>
#include <string.h>

#define LIST(...) ((const char *const []) { __VA_ARGS__, NULL })

/* Answer groups of the scenarios, written out here rather than taken
 * from the library, so that the library is checked against them. */
#define DEPLOYER "role-provider=no", "role-deployer=yes"
#define NO_PROHIBITED_PRACTICE \
  "p-manipulation=no", "p-vulnerability=no", "p-social-scoring=no", "p-face-scraping=no", \
  "p-emotion-workplace=no", "p-biometric-categorisation=no"
#define NO_HIGH_RISK_AREA \
  "h-emotion-recognition=no", "h-employment=no", "h-credit=no", "h-insurance=no"
#define NO_EXCEPTION \
  "x-narrow-task=no", "x-improve-human=no", "x-detect-patterns=no", "x-preparatory=no"
#define NO_TRANSPARENCY_CASE "t-interacts=no", "t-synthetic=no", "t-deepfake=no"
#define PERSONS_PROFILED "natural-persons=yes", "profiling=yes"
#define PERSONS_NOT_PROFILED "natural-persons=yes", "profiling=no"
#define CUSTOMERS "workplace=no", "public-service=no"
#define OWN_STAFF "workplace=yes", "public-service=no"

/* Rep-performance ranking: a valid, complete set that the contradiction
 * cases change one or two answers of. */
#define REP_RANKING \
  DEPLOYER, PERSONS_PROFILED, OWN_STAFF, NO_PROHIBITED_PRACTICE, "h-emotion-recognition=no", \
  "h-employment=yes", "h-credit=no", "h-insurance=no", NO_EXCEPTION, NO_TRANSPARENCY_CASE

#define PROVIDER_DUTIES \
  "ai-act-9 ai-act-10 ai-act-11 ai-act-12 ai-act-13 ai-act-14 ai-act-15"
#define GDPR_PROFILING "gdpr-21 gdpr-22 gdpr-35"

typedef struct
{
  const char        *name;
  const char *const *answers;      /* "id=yes"; a later answer replaces an earlier one */
  KdxRiskClass       risk;
  KdxAiActRole       role;
  const char        *obligations;  /* ids in the regulation's order */
  gboolean           complete;
  const char        *reasoning;    /* phrases the reasoning must contain, split by "|" */
} Scenario;

static const Scenario scenarios[] = {
  { "agents-emotion",
    LIST (DEPLOYER, PERSONS_PROFILED, OWN_STAFF, "p-manipulation=no", "p-vulnerability=no",
          "p-social-scoring=no", "p-face-scraping=no", "p-emotion-workplace=yes",
          "p-emotion-medical=no", "p-biometric-categorisation=no",
          "h-emotion-recognition=yes", "h-employment=yes", "h-credit=no", "h-insurance=no",
          NO_EXCEPTION, NO_TRANSPARENCY_CASE),
    KDX_RISK_PROHIBITED, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-5 " GDPR_PROFILING, TRUE,
    "prohibited by Art. 5(1)(f)" },
  { "customer-calls-voice",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE,
          "h-emotion-recognition=yes", "h-employment=no", "h-credit=no", "h-insurance=no",
          NO_EXCEPTION, NO_TRANSPARENCY_CASE),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-26 ai-act-50 gdpr-35", TRUE,
    "Annex III point 1(c)|Art. 50(3)" },
  { "call-transcripts-text",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          NO_TRANSPARENCY_CASE),
    KDX_RISK_MINIMAL, KDX_ROLE_DEPLOYER, "ai-act-4", TRUE, "minimal risk" },
  { "website-chatbot",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          "t-interacts=yes", "t-synthetic=no", "t-deepfake=no"),
    KDX_RISK_LIMITED, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-50", TRUE, "Art. 50(1)" },
  { "lead-scoring-companies",
    LIST (DEPLOYER, "natural-persons=no", CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          NO_TRANSPARENCY_CASE),
    KDX_RISK_MINIMAL, KDX_ROLE_DEPLOYER, "ai-act-4", TRUE, "Art. 4" },
  { "lead-scoring-persons",
    LIST (DEPLOYER, PERSONS_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          NO_TRANSPARENCY_CASE),
    KDX_RISK_MINIMAL, KDX_ROLE_DEPLOYER, "ai-act-4 " GDPR_PROFILING, TRUE, "GDPR Art. 22" },
  { "credit-check-checkout",
    LIST (DEPLOYER, PERSONS_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE,
          "h-emotion-recognition=no", "h-employment=no", "h-credit=yes", "h-insurance=no",
          NO_EXCEPTION, NO_TRANSPARENCY_CASE),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-26 ai-act-27 " GDPR_PROFILING, TRUE,
    "Annex III point 5(b)" },
  { "life-insurance-pricing",
    LIST (DEPLOYER, PERSONS_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE,
          "h-emotion-recognition=no", "h-employment=no", "h-credit=no", "h-insurance=yes",
          NO_EXCEPTION, NO_TRANSPARENCY_CASE),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-26 ai-act-27 " GDPR_PROFILING, TRUE,
    "fundamental rights" },
  { "rep-ranking-bonus",
    LIST (REP_RANKING),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-26 " GDPR_PROFILING, TRUE,
    "Annex III point 4|workers' representatives and the affected workers before it is put "
    "into service (Art. 26(7))" },
  { "generated-sales-emails",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          "t-interacts=no", "t-synthetic=yes", "t-deepfake=no"),
    KDX_RISK_LIMITED, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-50", TRUE, "Art. 50(2)" },
  { "sales-forecasting",
    LIST (DEPLOYER, "natural-persons=no", CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          NO_TRANSPARENCY_CASE),
    KDX_RISK_MINIMAL, KDX_ROLE_DEPLOYER, "ai-act-4", TRUE, NULL },
  /* Emotion recognition that only routes calls: the narrow-task exception
   * takes it out of high risk, but the people must still be told. */
  { "exception-without-profiling",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE,
          "h-emotion-recognition=yes", "h-employment=no", "h-credit=no", "h-insurance=no",
          NO_EXCEPTION, "x-narrow-task=yes", NO_TRANSPARENCY_CASE),
    KDX_RISK_LIMITED, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-50", TRUE, "Art. 6(3)(a)" },
  { "exception-with-profiling",
    LIST (DEPLOYER, PERSONS_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE,
          "h-emotion-recognition=yes", "h-employment=no", "h-credit=no", "h-insurance=no",
          NO_EXCEPTION, "x-narrow-task=yes", NO_TRANSPARENCY_CASE),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-26 ai-act-50 " GDPR_PROFILING, TRUE,
    "never apply to profiling (Art. 6(3), last subparagraph)" },
  { "in-house-rep-ranking",
    LIST (REP_RANKING, "role-provider=yes"),
    KDX_RISK_HIGH, KDX_ROLE_PROVIDER_DEPLOYER,
    "ai-act-4 " PROVIDER_DUTIES " ai-act-26 ai-act-72 ai-act-73 " GDPR_PROFILING, TRUE,
    "Art. 3(3)" },
  { "chatbot-sold-to-others",
    LIST ("role-provider=yes", "role-deployer=no", PERSONS_NOT_PROFILED, CUSTOMERS,
          NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA, "t-interacts=yes", "t-synthetic=yes",
          "t-deepfake=no"),
    KDX_RISK_LIMITED, KDX_ROLE_PROVIDER, "ai-act-4 ai-act-50", TRUE, NULL },
  { "public-utility-call-analysis",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, "workplace=no", "public-service=yes",
          NO_PROHIBITED_PRACTICE, "h-emotion-recognition=yes", "h-employment=no",
          "h-credit=no", "h-insurance=no", NO_EXCEPTION, NO_TRANSPARENCY_CASE),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-26 ai-act-27 ai-act-50 gdpr-35", TRUE,
    "public services" },
  /* Fatigue detection of drivers: the medical or safety exception of
   * Art. 5(1)(f) leaves emotion recognition, which is high-risk. */
  { "driver-fatigue",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, OWN_STAFF, NO_PROHIBITED_PRACTICE,
          "p-emotion-workplace=yes", "p-emotion-medical=yes", "h-emotion-recognition=yes",
          "h-employment=no", "h-credit=no", "h-insurance=no", NO_EXCEPTION,
          NO_TRANSPARENCY_CASE),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-26 ai-act-50 gdpr-35", TRUE,
    "exception of Art. 5(1)(f) applies" },
  { "ceo-deepfake-video",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          "t-interacts=no", "t-synthetic=yes", "t-deepfake=yes"),
    KDX_RISK_LIMITED, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-50", TRUE, "Art. 50(4)" },
  /* An answer to a question that is not asked is kept, but changes
   * nothing: profiling of companies, a medical reason without workplace
   * emotions, an exception without a high-risk area. */
  { "unasked-answers-ignored",
    LIST (DEPLOYER, "natural-persons=no", "profiling=yes", CUSTOMERS, NO_PROHIBITED_PRACTICE,
          "p-emotion-medical=yes", NO_HIGH_RISK_AREA, "x-narrow-task=yes",
          NO_TRANSPARENCY_CASE),
    KDX_RISK_MINIMAL, KDX_ROLE_DEPLOYER, "ai-act-4", TRUE, NULL },

  /* Incomplete answer sets: the worst class established so far. */
  { "nothing-answered",
    LIST (NULL),
    KDX_RISK_UNCLASSIFIED, KDX_ROLE_UNKNOWN, "", FALSE, NULL },
  { "manipulation-first",
    LIST (DEPLOYER, "p-manipulation=yes"),
    KDX_RISK_PROHIBITED, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-5", FALSE, "Art. 5(1)(a)" },
  { "credit-before-the-rest",
    LIST (DEPLOYER, PERSONS_PROFILED, "h-credit=yes"),
    KDX_RISK_HIGH, KDX_ROLE_DEPLOYER, "ai-act-4 " GDPR_PROFILING, FALSE, NULL },
  { "exceptions-open",
    LIST (DEPLOYER, PERSONS_NOT_PROFILED, CUSTOMERS, NO_PROHIBITED_PRACTICE,
          "h-emotion-recognition=yes", "h-employment=no", "h-credit=no", "h-insurance=no",
          NO_TRANSPARENCY_CASE),
    KDX_RISK_LIMITED, KDX_ROLE_DEPLOYER, "ai-act-4 ai-act-50", FALSE, NULL },
  { "role-open",
    LIST ("natural-persons=no", CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          NO_TRANSPARENCY_CASE),
    KDX_RISK_MINIMAL, KDX_ROLE_UNKNOWN, "", FALSE, NULL },
  { "one-transparency-answer-open",
    LIST (DEPLOYER, "natural-persons=no", CUSTOMERS, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          "t-interacts=no", "t-synthetic=no"),
    KDX_RISK_UNCLASSIFIED, KDX_ROLE_DEPLOYER, "ai-act-4", FALSE, NULL },
};

typedef struct
{
  const char        *name;
  const char *const *answers;
  const char        *message;      /* a phrase of the refusal */
} ContradictionCase;

static const ContradictionCase contradiction_cases[] = {
  { "no-role", LIST (REP_RANKING, "role-deployer=no"), "neither provides nor uses" },
  { "credit-without-persons",
    LIST (REP_RANKING, "natural-persons=no", "h-employment=no", "h-credit=yes"),
    "creditworthiness of natural persons, but is said not to affect natural persons" },
  { "insurance-without-persons",
    LIST (REP_RANKING, "natural-persons=no", "h-employment=no", "h-insurance=yes"),
    "prices life or health insurance for natural persons, but" },
  { "employment-without-persons", LIST (REP_RANKING, "natural-persons=no"),
    "evaluates or manages workers, but" },
  { "workplace-emotion-without-persons",
    LIST (REP_RANKING, "natural-persons=no", "h-employment=no", "p-emotion-workplace=yes",
          "p-emotion-medical=no"),
    "infers emotions of people at the workplace, but" },
  { "emotion-recognition-without-persons",
    LIST (REP_RANKING, "natural-persons=no", "h-employment=no", "h-emotion-recognition=yes"),
    "recognises emotions from voice or face, but" },
  { "credit-without-profiling",
    LIST (REP_RANKING, "profiling=no", "h-employment=no", "h-credit=yes"),
    "Assessing creditworthiness evaluates a person's economic situation: answer the "
    "profiling question with yes." },
  { "insurance-without-profiling",
    LIST (REP_RANKING, "profiling=no", "h-employment=no", "h-insurance=yes"),
    "life or health insurance evaluates a person's health" },
  { "employment-without-profiling", LIST (REP_RANKING, "profiling=no"),
    "Evaluating workers" },
  { "workplace-emotion-not-recognition",
    LIST (REP_RANKING, "p-emotion-workplace=yes", "p-emotion-medical=no"),
    "answer the emotion recognition question (Annex III 1(c)) with yes" },
  { "employment-not-at-workplace", LIST (REP_RANKING, "workplace=no"),
    "answer the workplace question with yes, or the employment question with no" },
  { "workplace-emotion-not-at-workplace",
    LIST (REP_RANKING, "workplace=no", "h-employment=no", "p-emotion-workplace=yes",
          "p-emotion-medical=yes", "h-emotion-recognition=yes"),
    "Inferring emotions at the workplace concerns your own workers" },
  { "deepfake-not-generated", LIST (REP_RANKING, "t-deepfake=yes"),
    "Deep fakes and published texts are generated content" },
};

/* The use-case library and the class its suggestions must give. */
static const struct
{
  const char   *id;
  KdxRiskClass  risk;
  const char   *obligations;
} use_case_classes[] = {
  { "lead-scoring", KDX_RISK_MINIMAL, "ai-act-4" },
  { "lead-scoring-persons", KDX_RISK_MINIMAL, "ai-act-4 " GDPR_PROFILING },
  { "sales-chatbot", KDX_RISK_LIMITED, "ai-act-4 ai-act-50" },
  { "call-analysis-customers", KDX_RISK_HIGH, "ai-act-4 ai-act-26 ai-act-50 gdpr-35" },
  { "call-analysis-employees", KDX_RISK_PROHIBITED, "ai-act-4 ai-act-5 " GDPR_PROFILING },
  { "dynamic-pricing", KDX_RISK_MINIMAL, "ai-act-4 " GDPR_PROFILING },
  { "next-best-offer", KDX_RISK_MINIMAL, "ai-act-4 " GDPR_PROFILING },
  { "rep-performance", KDX_RISK_HIGH, "ai-act-4 ai-act-26 " GDPR_PROFILING },
  { "credit-check", KDX_RISK_HIGH, "ai-act-4 ai-act-26 ai-act-27 " GDPR_PROFILING },
  { "sales-forecasting", KDX_RISK_MINIMAL, "ai-act-4" },
  { "generated-content", KDX_RISK_LIMITED, "ai-act-4 ai-act-50" },
};

static const char *const question_ids[] = {
  "role-provider", "role-deployer",
  "natural-persons", "profiling", "workplace", "public-service",
  "p-manipulation", "p-vulnerability", "p-social-scoring", "p-face-scraping",
  "p-emotion-workplace", "p-emotion-medical", "p-biometric-categorisation",
  "h-emotion-recognition", "h-employment", "h-credit", "h-insurance",
  "x-narrow-task", "x-improve-human", "x-detect-patterns", "x-preparatory",
  "t-interacts", "t-synthetic", "t-deepfake",
};

/* The requirement codes of the shipped catalogs an obligation may name. */
static const char *const catalog_codes[] = {
  "eu-ai-act/art-4", "eu-ai-act/art-5", "eu-ai-act/art-9", "eu-ai-act/art-10",
  "eu-ai-act/art-11", "eu-ai-act/art-12", "eu-ai-act/art-13", "eu-ai-act/art-14",
  "eu-ai-act/art-15", "eu-ai-act/art-26", "eu-ai-act/art-27", "eu-ai-act/art-50",
  "eu-ai-act/art-72", "eu-ai-act/art-73", "gdpr/art-21", "gdpr/art-22", "gdpr/art-35",
};

static const char *const data_categories[] = {
  "contact", "company", "purchase-history", "behaviour", "communication", "voice",
  "financial", "performance", "location", "emotion", "biometric", "special",
};

static const char *const templates[] = {
  "ai-literacy", "ai-system-intake", "code-of-conduct", "committee-charter",
  "data-protection", "disclosure", "emotion-analysis", "explainability", "human-oversight",
  "lead-scoring", "sales-psychology", "speak-up",
};

static gboolean
in_list (const char        *text,
         const char *const *list,
         gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (text, list[i]) == 0)
      return TRUE;

  return FALSE;
}

static GHashTable *
answers_from_list (const char *const *list)
{
  GHashTable *answers = kdx_answers_new ();

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (list[i], "=", 2);

      g_assert_nonnull (kdx_classify_find_question (parts[0]));
      g_assert_true (g_str_equal (parts[1], "yes") || g_str_equal (parts[1], "no"));
      kdx_answers_set (answers, parts[0],
                       g_str_equal (parts[1], "yes") ? KDX_ANSWER_YES : KDX_ANSWER_NO);
    }

  return answers;
}

static char *
obligation_ids (const KdxClassification *result)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < result->obligations->len; i++)
    {
      const KdxObligation *obligation = g_ptr_array_index (result->obligations, i);

      if (i > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, obligation->id);
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static KdxClassification *
classify_ok (GHashTable *answers)
{
  g_autoptr(GError) error = NULL;
  KdxClassification *result = kdx_classify (answers, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);

  return result;
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  g_autoptr(GHashTable) answers = answers_from_list (scenario->answers);
  g_autoptr(KdxClassification) result = classify_ok (answers);
  g_autofree char *ids = obligation_ids (result);
  g_autofree char *text = kdx_classification_dup_reasoning_text (result);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpstr (kdx_risk_class_to_string (result->risk), ==,
                   kdx_risk_class_to_string (scenario->risk));
  g_assert_cmpstr (kdx_ai_act_role_to_string (result->role), ==,
                   kdx_ai_act_role_to_string (scenario->role));
  g_assert_cmpstr (ids, ==, scenario->obligations);
  g_assert_cmpint (result->complete, ==, scenario->complete);
  if (scenario->reasoning != NULL)
    {
      g_auto(GStrv) phrases = g_strsplit (scenario->reasoning, "|", -1);

      for (guint i = 0; phrases[i] != NULL; i++)
        if (strstr (text, phrases[i]) == NULL)
          g_error ("The reasoning lacks “%s”:\n%s", phrases[i], text);
    }

  /* One line per applied rule, none of them empty; every obligation's
   * article is named by some sentence. */
  if (result->reasoning->len > 0)
    g_assert_cmpuint (g_strv_length (lines), ==, result->reasoning->len);
  for (guint i = 0; i < result->reasoning->len; i++)
    g_assert_cmpuint (strlen (g_ptr_array_index (result->reasoning, i)), >, 20);
  for (guint i = 0; i < result->obligations->len; i++)
    {
      const KdxObligation *obligation = g_ptr_array_index (result->obligations, i);

      if (strstr (text, obligation->reference) == NULL)
        g_error ("No reasoning names %s:\n%s", obligation->reference, text);
    }
}

static void
test_contradiction (gconstpointer data)
{
  const ContradictionCase *c = data;
  g_autoptr(GHashTable) answers = answers_from_list (c->answers);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxClassification) result = kdx_classify (answers, &error);

  g_assert_null (result);
  g_assert_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_CONTRADICTION);
  if (strstr (error->message, c->message) == NULL)
    g_error ("The refusal “%s” lacks “%s”", error->message, c->message);
  /* It says what to change. */
  g_assert_nonnull (strstr (error->message, "nswer"));
}

/* Each contradiction case starts from a valid set: the refusal comes from
 * the changed answers, not from the base. */
static void
test_contradiction_base_is_valid (void)
{
  g_autoptr(GHashTable) answers = answers_from_list (LIST (REP_RANKING));
  g_autoptr(KdxClassification) result = classify_ok (answers);

  g_assert_true (result->complete);
  g_assert_cmpint (result->risk, ==, KDX_RISK_HIGH);
}

static void
test_questions (void)
{
  guint n = 0;
  const KdxQuestion *questions = kdx_classify_get_questions (&n);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (question_ids));
  for (guint i = 0; i < n; i++)
    {
      const KdxQuestion *q = &questions[i];

      /* Stable ids, in the assistant's order, groups never going back. */
      g_assert_cmpstr (q->id, ==, question_ids[i]);
      g_assert_true (kdx_classify_find_question (q->id) == q);
      if (i > 0)
        g_assert_cmpint (q->group, >=, questions[i - 1].group);
      g_assert_cmpuint (strlen (q->reference), >, 3);
      g_assert_cmpuint (strlen (kdx_question_get_text (q)), >, 20);
      g_assert_true (g_str_has_suffix (kdx_question_get_text (q), "?"));
      g_assert_nonnull (kdx_question_get_help (q));
      g_assert_cmpuint (strlen (kdx_question_get_help (q)), >, 40);
      g_assert_nonnull (kdx_question_group_get_title (q->group));
      /* A condition names an earlier question, or the Annex III group. */
      if (q->only_if != NULL)
        g_assert_true (g_str_equal (q->only_if, KDX_QUESTION_ONLY_IF_ANNEX_III) ||
                       g_hash_table_contains (seen, q->only_if));
      g_hash_table_add (seen, (gpointer) q->id);
    }
  g_assert_null (kdx_classify_find_question ("h-creditworthiness"));
  g_assert_null (kdx_classify_find_question (NULL));
}

static void
test_asked (void)
{
  g_autoptr(GHashTable) answers = kdx_answers_new ();
  const KdxQuestion *profiling = kdx_classify_find_question ("profiling");
  const KdxQuestion *medical = kdx_classify_find_question ("p-emotion-medical");
  const KdxQuestion *narrow = kdx_classify_find_question ("x-narrow-task");
  const KdxQuestion *credit = kdx_classify_find_question ("h-credit");

  g_assert_true (kdx_question_is_asked (credit, answers));
  g_assert_false (kdx_question_is_asked (profiling, answers));
  g_assert_false (kdx_question_is_asked (medical, answers));
  g_assert_false (kdx_question_is_asked (narrow, answers));

  kdx_answers_set (answers, "natural-persons", KDX_ANSWER_NO);
  g_assert_false (kdx_question_is_asked (profiling, answers));
  kdx_answers_set (answers, "natural-persons", KDX_ANSWER_YES);
  g_assert_true (kdx_question_is_asked (profiling, answers));

  kdx_answers_set (answers, "p-emotion-workplace", KDX_ANSWER_YES);
  g_assert_true (kdx_question_is_asked (medical, answers));

  /* The exceptions follow any Annex III area, and go when it does. */
  kdx_answers_set (answers, "h-credit", KDX_ANSWER_NO);
  kdx_answers_set (answers, "h-insurance", KDX_ANSWER_NO);
  g_assert_false (kdx_question_is_asked (narrow, answers));
  kdx_answers_set (answers, "h-insurance", KDX_ANSWER_YES);
  g_assert_true (kdx_question_is_asked (narrow, answers));
  kdx_answers_set (answers, "h-insurance", KDX_ANSWER_UNANSWERED);
  g_assert_false (kdx_question_is_asked (narrow, answers));
  g_assert_cmpint (kdx_answers_get (answers, "h-insurance"), ==, KDX_ANSWER_UNANSWERED);
  g_assert_cmpuint (g_hash_table_size (answers), ==, 3);
}

/* Every single missing answer of a complete set leaves it incomplete. */
static void
test_incomplete (void)
{
  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    {
      g_autoptr(GHashTable) full = NULL;
      g_autoptr(KdxClassification) before = NULL;
      guint n = 0;
      const KdxQuestion *questions = kdx_classify_get_questions (&n);

      if (!scenarios[s].complete)
        continue;
      full = answers_from_list (scenarios[s].answers);
      before = classify_ok (full);
      g_assert_true (before->complete);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GHashTable) answers = answers_from_list (scenarios[s].answers);
          g_autoptr(KdxClassification) result = NULL;
          gboolean asked = kdx_question_is_asked (&questions[i], answers);

          if (kdx_answers_get (answers, questions[i].id) == KDX_ANSWER_UNANSWERED)
            continue;
          kdx_answers_set (answers, questions[i].id, KDX_ANSWER_UNANSWERED);
          result = classify_ok (answers);
          g_assert_cmpint (result->complete, ==, !asked);
          /* Never a worse class than the complete answers give. */
          if (result->risk != KDX_RISK_UNCLASSIFIED)
            g_assert_cmpint (result->risk, >=, before->risk);
        }
    }
}

static void
test_obligations (void)
{
  guint n = 0;
  const KdxObligation *obligations = kdx_classify_get_obligations (&n);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (catalog_codes));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *code = g_strdup_printf ("%s/%s", obligations[i].catalog,
                                               obligations[i].requirement);

      /* In the regulation's order: the table order is the catalog list's. */
      g_assert_cmpstr (code, ==, catalog_codes[i]);
      g_assert_true (in_list (code, catalog_codes, G_N_ELEMENTS (catalog_codes)));
      g_assert_true (g_hash_table_add (ids, (gpointer) obligations[i].id));
      g_assert_true (kdx_classify_find_obligation (obligations[i].id) == &obligations[i]);
      g_assert_cmpuint (strlen (kdx_obligation_get_title (&obligations[i])), >, 3);
      g_assert_true (g_str_has_prefix (obligations[i].reference, "Art. ") ||
                     g_str_has_prefix (obligations[i].reference, "GDPR Art. "));
    }
  g_assert_null (kdx_classify_find_obligation ("ai-act-6"));
}

static void
test_json_round_trip (void)
{
  g_autoptr(GHashTable) answers = kdx_answers_new ();
  g_autoptr(GHashTable) back = NULL;
  g_autoptr(GHashTable) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  kdx_answers_set (answers, "t-interacts", KDX_ANSWER_YES);
  kdx_answers_set (answers, "h-credit", KDX_ANSWER_NO);
  kdx_answers_set (answers, "role-deployer", KDX_ANSWER_YES);
  kdx_answers_set (answers, "profiling", KDX_ANSWER_NO);
  kdx_answers_set (answers, "profiling", KDX_ANSWER_UNANSWERED);
  json = kdx_answers_to_json (answers);
  g_assert_cmpstr (json, ==, "{\"h-credit\":\"no\",\"role-deployer\":\"yes\",\"t-interacts\":\"yes\"}");

  back = kdx_answers_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (back), ==, 3);
  g_assert_cmpint (kdx_answers_get (back, "h-credit"), ==, KDX_ANSWER_NO);
  g_assert_cmpint (kdx_answers_get (back, "t-interacts"), ==, KDX_ANSWER_YES);
  again = kdx_answers_to_json (back);
  g_assert_cmpstr (again, ==, json);

  empty = kdx_answers_from_json (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (empty), ==, 0);
  g_clear_pointer (&json, g_free);
  json = kdx_answers_to_json (empty);
  g_assert_cmpstr (json, ==, "{}");

  /* Every scenario's answers survive the trip, unasked ones included. */
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autoptr(GHashTable) set = answers_from_list (scenarios[i].answers);
      g_autoptr(GHashTable) read = NULL;
      g_autofree char *text = kdx_answers_to_json (set);
      g_autofree char *text_again = NULL;

      read = kdx_answers_from_json (text, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_hash_table_size (read), ==, g_hash_table_size (set));
      text_again = kdx_answers_to_json (read);
      g_assert_cmpstr (text_again, ==, text);
    }
}

static void
test_json_refused (void)
{
  static const struct
  {
    const char *json;
    int         code;
    const char *phrase;
  } bad[] = {
    { "{\"h-creditworthiness\":\"yes\"}", KDX_CLASSIFY_ERROR_UNKNOWN,
      "“h-creditworthiness” is not a question" },
    { "{\"h-credit\":\"maybe\"}", KDX_CLASSIFY_ERROR_INVALID, "“h-credit” must be “yes” or “no”" },
    { "{\"h-credit\":true}", KDX_CLASSIFY_ERROR_INVALID, "“h-credit” must be" },
    { "{\"h-credit\":null}", KDX_CLASSIFY_ERROR_INVALID, "“h-credit” must be" },
    { "{\"h-credit\":{\"a\":1}}", KDX_CLASSIFY_ERROR_INVALID, "“h-credit” must be" },
    { "[\"h-credit\"]", KDX_CLASSIFY_ERROR_INVALID, "not a JSON object" },
    { "\"yes\"", KDX_CLASSIFY_ERROR_INVALID, "not a JSON object" },
    { "{\"h-credit\":", KDX_CLASSIFY_ERROR_INVALID, "cannot be read" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) answers = kdx_answers_from_json (bad[i].json, &error);

      g_assert_null (answers);
      g_assert_error (error, KDX_CLASSIFY_ERROR, bad[i].code);
      if (strstr (error->message, bad[i].phrase) == NULL)
        g_error ("%s: “%s” lacks “%s”", bad[i].json, error->message, bad[i].phrase);
    }
}

/* An answer set built by hand, past kdx_answers_set(), is still checked. */
static void
test_unknown_id_refused (void)
{
  g_autoptr(GHashTable) answers = answers_from_list (LIST (REP_RANKING));
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxClassification) result = NULL;

  g_hash_table_insert (answers, g_strdup ("x-everything-fine"), GINT_TO_POINTER (KDX_ANSWER_YES));
  result = kdx_classify (answers, &error);
  g_assert_null (result);
  g_assert_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "x-everything-fine"));
  g_clear_error (&error);

  g_hash_table_remove (answers, "x-everything-fine");
  g_hash_table_insert (answers, g_strdup ("h-credit"), GINT_TO_POINTER (7));
  g_clear_pointer (&result, kdx_classification_free);
  result = kdx_classify (answers, &error);
  g_assert_null (result);
  g_assert_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_INVALID);
}

static void
test_names (void)
{
  for (int i = 0; i < KDX_RISK_N_CLASSES; i++)
    {
      g_assert_cmpint (kdx_risk_class_from_string (kdx_risk_class_to_string (i)), ==, i);
      g_assert_nonnull (kdx_risk_class_get_label (i));
    }
  for (int i = 0; i < KDX_ROLE_N_ROLES; i++)
    {
      g_assert_cmpint (kdx_ai_act_role_from_string (kdx_ai_act_role_to_string (i)), ==, i);
      g_assert_nonnull (kdx_ai_act_role_get_label (i));
    }
  g_assert_cmpstr (kdx_risk_class_to_string (KDX_RISK_HIGH), ==, "high");
  g_assert_cmpstr (kdx_ai_act_role_to_string (KDX_ROLE_PROVIDER_DEPLOYER), ==, "provider-deployer");
  g_assert_cmpint (kdx_risk_class_from_string (NULL), ==, KDX_RISK_UNCLASSIFIED);
  g_assert_cmpint (kdx_risk_class_from_string ("High"), ==, KDX_RISK_UNCLASSIFIED);
  g_assert_cmpint (kdx_ai_act_role_from_string ("importer"), ==, KDX_ROLE_UNKNOWN);
  g_assert_null (kdx_risk_class_to_string (KDX_RISK_UNCLASSIFIED));
  g_assert_nonnull (kdx_risk_class_get_label (KDX_RISK_UNCLASSIFIED));
  g_assert_nonnull (kdx_ai_act_role_get_label (KDX_ROLE_UNKNOWN));
}

static void
test_use_case (gconstpointer data)
{
  guint index = GPOINTER_TO_UINT (data);
  const KdxUseCase *use_case = kdx_use_case_lookup (use_case_classes[index].id);
  g_autoptr(GHashTable) answers = NULL;
  g_autoptr(KdxClassification) result = NULL;
  g_autofree char *ids = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_answers = 0;

  g_assert_nonnull (use_case);
  g_assert_cmpstr (use_case->id, ==, use_case_classes[index].id);
  g_assert_cmpuint (strlen (kdx_use_case_get_name (use_case)), >, 5);
  g_assert_cmpuint (strlen (kdx_use_case_get_description (use_case)), >, 30);

  g_assert_nonnull (use_case->data_categories[0]);
  for (guint i = 0; use_case->data_categories[i] != NULL; i++)
    g_assert_true (in_list (use_case->data_categories[i], data_categories,
                            G_N_ELEMENTS (data_categories)));
  g_assert_nonnull (use_case->policies[0]);
  for (guint i = 0; use_case->policies[i] != NULL; i++)
    g_assert_true (in_list (use_case->policies[i], templates, G_N_ELEMENTS (templates)));
  g_assert_true (in_list (use_case->oversight,
                          LIST ("in-the-loop", "on-the-loop", "in-command"), 3));
  g_assert_true (in_list (use_case->legal_basis,
                          LIST ("consent", "contract", "legal-obligation", "vital-interests",
                                "public-task", "legitimate-interests"), 6));
  g_assert_true (in_list (use_case->consent, LIST ("not-needed", "opt-in", "opt-out"), 3));

  /* Both notice languages, whatever the UI's; a phrase that completes
   * "We use an AI system …". */
  g_assert_true (g_str_has_prefix (kdx_use_case_get_purpose (use_case, "en"), "to "));
  g_assert_true (g_str_has_prefix (kdx_use_case_get_purpose (use_case, "de"), "um "));
  g_assert_cmpstr (kdx_use_case_get_purpose (use_case, "de"), !=,
                   kdx_use_case_get_purpose (use_case, "en"));

  /* Each question answered at most once in the list. */
  for (guint i = 0; use_case->answers[i] != NULL; i++, n_answers++)
    {
      g_auto(GStrv) parts = g_strsplit (use_case->answers[i], "=", 2);

      g_assert_true (g_hash_table_add (seen, (gpointer) g_intern_string (parts[0])));
    }

  answers = kdx_use_case_dup_answers (use_case);
  g_assert_cmpuint (g_hash_table_size (answers), ==, n_answers);
  result = classify_ok (answers);
  ids = obligation_ids (result);
  g_assert_true (result->complete);
  g_assert_cmpint (result->role, ==, KDX_ROLE_DEPLOYER);
  g_assert_cmpstr (kdx_risk_class_to_string (result->risk), ==,
                   kdx_risk_class_to_string (use_case_classes[index].risk));
  g_assert_cmpstr (ids, ==, use_case_classes[index].obligations);
}

static void
test_use_case_library (void)
{
  guint n = 0;
  const KdxUseCase *all = kdx_use_case_get_all (&n);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (use_case_classes));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (all[i].id, ==, use_case_classes[i].id);
      g_assert_true (kdx_use_case_lookup (all[i].id) == &all[i]);
    }
  g_assert_null (kdx_use_case_lookup ("cold-calling"));
  g_assert_null (kdx_use_case_lookup (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/classify/scenario/%s", scenarios[i].name);

      g_test_add_data_func (path, &scenarios[i], test_scenario);
    }
  for (guint i = 0; i < G_N_ELEMENTS (contradiction_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/classify/contradiction/%s",
                                               contradiction_cases[i].name);

      g_test_add_data_func (path, &contradiction_cases[i], test_contradiction);
    }
  for (guint i = 0; i < G_N_ELEMENTS (use_case_classes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/classify/use-case/%s",
                                               use_case_classes[i].id);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_use_case);
    }
  g_test_add_func ("/kdx/classify/contradiction-base", test_contradiction_base_is_valid);
  g_test_add_func ("/kdx/classify/questions", test_questions);
  g_test_add_func ("/kdx/classify/asked", test_asked);
  g_test_add_func ("/kdx/classify/incomplete", test_incomplete);
  g_test_add_func ("/kdx/classify/obligations", test_obligations);
  g_test_add_func ("/kdx/classify/json-round-trip", test_json_round_trip);
  g_test_add_func ("/kdx/classify/json-refused", test_json_refused);
  g_test_add_func ("/kdx/classify/unknown-id", test_unknown_id_refused);
  g_test_add_func ("/kdx/classify/names", test_names);
  g_test_add_func ("/kdx/classify/use-case-library", test_use_case_library);

  return g_test_run ();
}
