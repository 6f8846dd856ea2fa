/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The library of typical AI use cases in sales, as one table. The
 * suggested answers are complete answer sets for the usual case: the
 * organisation buys the system and uses it (a deployer). Each must
 * classify without contradiction; tests/unit/test-classify.c holds the
 * library to that.
 */
#define G_LOG_DOMAIN "kdx-usecase"

#include "config.h"

#include "kdx-usecase.h"

#include "kdx-classify.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define LIST(...) ((const char *const []) { __VA_ARGS__, NULL })

/* Answer groups most use cases share. */
#define DEPLOYER "role-provider=no", "role-deployer=yes"
#define COMPANIES_ONLY "natural-persons=no", "workplace=no", "public-service=no"
#define NO_PROHIBITED_PRACTICE \
  "p-manipulation=no", "p-vulnerability=no", "p-social-scoring=no", "p-face-scraping=no", \
  "p-emotion-workplace=no", "p-biometric-categorisation=no"
#define NO_HIGH_RISK_AREA \
  "h-emotion-recognition=no", "h-employment=no", "h-credit=no", "h-insurance=no"
#define NO_EXCEPTION \
  "x-narrow-task=no", "x-improve-human=no", "x-detect-patterns=no", "x-preparatory=no"
#define NO_TRANSPARENCY_CASE "t-interacts=no", "t-synthetic=no", "t-deepfake=no"

static const KdxUseCase use_cases[] = {
  { "lead-scoring",
    N_("Lead scoring of companies"),
    N_("Ranks enquiries and accounts of business customers by how likely they lead to an "
       "order, from company data, past orders and engagement."),
    LIST ("company", "contact", "purchase-history", "behaviour"),
    LIST (DEPLOYER, COMPANIES_ONLY, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "lead-scoring", "explainability", "human-oversight"),
    "on-the-loop", "legitimate-interests", "not-needed",
    "to rank enquiries from companies by how likely they lead to an order",
    "um Anfragen von Unternehmen danach zu ordnen, wie wahrscheinlich sie zu einem Auftrag "
    "führen" },

  { "lead-scoring-persons",
    N_("Lead scoring of private persons"),
    N_("Ranks enquiries of private customers by how likely they lead to an order, from their "
       "contact data, purchases and behaviour on the website."),
    LIST ("contact", "purchase-history", "behaviour", "location"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=yes", "workplace=no",
          "public-service=no", NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA, NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "lead-scoring", "data-protection", "explainability",
          "human-oversight"),
    "on-the-loop", "legitimate-interests", "opt-out",
    "to rank enquiries by how likely they lead to an order",
    "um Anfragen danach zu ordnen, wie wahrscheinlich sie zu einem Auftrag führen" },

  { "sales-chatbot",
    N_("Sales chatbot"),
    N_("Answers questions of prospects and customers in the chat on the website and helps "
       "them choose a product; hands over to a person on request."),
    LIST ("contact", "communication"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=no", "workplace=no",
          "public-service=no", NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          "t-interacts=yes", "t-synthetic=yes", "t-deepfake=no"),
    LIST ("ai-literacy", "disclosure", "sales-psychology", "human-oversight"),
    "on-the-loop", "contract", "not-needed",
    "to answer your questions in our chat and help you find the right product",
    "um Ihre Fragen in unserem Chat zu beantworten und Ihnen bei der Wahl des passenden "
    "Produkts zu helfen" },

  { "call-analysis-customers",
    N_("Call analysis of customers"),
    N_("Recognises emotion and sentiment from the voice of customers in sales and service "
       "calls, to flag dissatisfied customers and improve the service."),
    LIST ("contact", "communication", "voice", "emotion", "biometric"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=no", "workplace=no",
          "public-service=no", NO_PROHIBITED_PRACTICE, "h-emotion-recognition=yes",
          "h-employment=no", "h-credit=no", "h-insurance=no", NO_EXCEPTION,
          NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "emotion-analysis", "disclosure", "data-protection",
          "human-oversight"),
    "in-the-loop", "consent", "opt-in",
    "to recognise from the voice in our calls how satisfied you are, so that we can improve "
    "our service",
    "um am Klang der Stimme in unseren Gesprächen zu erkennen, wie zufrieden Sie sind, damit "
    "wir unseren Service verbessern können" },

  { "call-analysis-employees",
    N_("Emotion analysis of own sales agents"),
    N_("Infers the mood, stress or enthusiasm of the company's own sales agents from their "
       "voice in calls, for coaching and monitoring. Prohibited in the EU since "
       "2 February 2025."),
    LIST ("voice", "emotion", "biometric", "performance", "communication"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=yes", "workplace=yes",
          "public-service=no", "p-manipulation=no", "p-vulnerability=no",
          "p-social-scoring=no", "p-face-scraping=no", "p-emotion-workplace=yes",
          "p-emotion-medical=no", "p-biometric-categorisation=no",
          "h-emotion-recognition=yes", "h-employment=yes", "h-credit=no", "h-insurance=no",
          NO_EXCEPTION, NO_TRANSPARENCY_CASE),
    LIST ("emotion-analysis", "ai-literacy", "data-protection", "speak-up"),
    "in-command", "legitimate-interests", "not-needed",
    "to analyse the mood of our sales agents in calls",
    "um die Stimmung unserer Vertriebsmitarbeiter in Gesprächen zu analysieren" },

  { "dynamic-pricing",
    N_("Dynamic pricing"),
    N_("Sets prices in the online shop by demand, stock and the behaviour of each "
       "visitor."),
    LIST ("behaviour", "purchase-history", "location"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=yes", "workplace=no",
          "public-service=no", NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA, NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "sales-psychology", "explainability", "data-protection",
          "human-oversight"),
    "on-the-loop", "legitimate-interests", "opt-out",
    "to set prices by demand and by how you use our shop",
    "um Preise nach der Nachfrage und danach festzulegen, wie Sie unseren Shop nutzen" },

  { "next-best-offer",
    N_("Next best offer"),
    N_("Suggests to customers, or to the sales rep serving them, the product most likely to "
       "fit next, from purchases and interests."),
    LIST ("contact", "purchase-history", "behaviour"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=yes", "workplace=no",
          "public-service=no", NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA, NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "sales-psychology", "data-protection", "explainability"),
    "on-the-loop", "legitimate-interests", "opt-out",
    "to suggest products that match your previous purchases and interests",
    "um Ihnen Produkte vorzuschlagen, die zu Ihren bisherigen Käufen und Interessen passen" },

  { "rep-performance",
    N_("Sales rep performance analytics"),
    N_("Evaluates and ranks the performance of sales reps from their activities and results; "
       "the ranking is used for bonuses."),
    LIST ("performance", "communication", "purchase-history"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=yes", "workplace=yes",
          "public-service=no", NO_PROHIBITED_PRACTICE, "h-emotion-recognition=no",
          "h-employment=yes", "h-credit=no", "h-insurance=no", NO_EXCEPTION,
          NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "human-oversight", "explainability", "data-protection", "speak-up"),
    "in-the-loop", "contract", "not-needed",
    "to evaluate the results of our sales staff for the calculation of bonuses",
    "um die Ergebnisse unserer Vertriebsmitarbeiter für die Berechnung von Boni "
    "auszuwerten" },

  { "credit-check",
    N_("Credit check at checkout"),
    N_("Scores the creditworthiness of private customers at checkout and decides whether "
       "they may pay by invoice or in instalments."),
    LIST ("contact", "financial", "purchase-history", "location"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=yes", "workplace=no",
          "public-service=no", NO_PROHIBITED_PRACTICE, "h-emotion-recognition=no",
          "h-employment=no", "h-credit=yes", "h-insurance=no", NO_EXCEPTION,
          NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "human-oversight", "explainability", "data-protection",
          "disclosure"),
    "in-the-loop", "legitimate-interests", "not-needed",
    "to check your creditworthiness when you choose to pay by invoice or in instalments",
    "um Ihre Kreditwürdigkeit zu prüfen, wenn Sie Kauf auf Rechnung oder Ratenzahlung "
    "wählen" },

  { "sales-forecasting",
    N_("Sales forecasting"),
    N_("Forecasts revenue and order volumes per region and product from past orders and the "
       "pipeline."),
    LIST ("company", "purchase-history"),
    LIST (DEPLOYER, COMPANIES_ONLY, NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          NO_TRANSPARENCY_CASE),
    LIST ("ai-literacy", "ai-system-intake"),
    "in-command", "legitimate-interests", "not-needed",
    "to forecast our sales from past orders",
    "um unsere Umsätze aus früheren Aufträgen vorherzusagen" },

  { "generated-content",
    N_("Generated sales content"),
    N_("Drafts sales e-mails, offers and product texts that sales staff check and send."),
    LIST ("contact", "company", "communication"),
    LIST (DEPLOYER, "natural-persons=yes", "profiling=no", "workplace=no",
          "public-service=no", NO_PROHIBITED_PRACTICE, NO_HIGH_RISK_AREA,
          "t-interacts=no", "t-synthetic=yes", "t-deepfake=no"),
    LIST ("ai-literacy", "disclosure", "sales-psychology", "code-of-conduct"),
    "in-the-loop", "legitimate-interests", "not-needed",
    "to draft sales e-mails and product texts that our staff check before sending",
    "um Vertriebs-E-Mails und Produkttexte zu entwerfen, die unsere Mitarbeiter vor dem "
    "Versand prüfen" },
};

const KdxUseCase *
kdx_use_case_get_all (guint *n_use_cases)
{
  if (n_use_cases != NULL)
    *n_use_cases = G_N_ELEMENTS (use_cases);

  return use_cases;
}

const KdxUseCase *
kdx_use_case_lookup (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (use_cases); i++)
    if (g_str_equal (use_cases[i].id, id))
      return &use_cases[i];

  return NULL;
}

const char *
kdx_use_case_get_name (const KdxUseCase *use_case)
{
  g_return_val_if_fail (use_case != NULL, NULL);

  return _(use_case->name);
}

const char *
kdx_use_case_get_description (const KdxUseCase *use_case)
{
  g_return_val_if_fail (use_case != NULL, NULL);

  return _(use_case->description);
}

const char *
kdx_use_case_get_purpose (const KdxUseCase *use_case,
                          const char       *language)
{
  g_return_val_if_fail (use_case != NULL, NULL);

  /* The notice's language, not the UI's: "de", or anything else for English. */
  return g_strcmp0 (language, "de") == 0 ? use_case->purpose_de : use_case->purpose_en;
}

GHashTable *
kdx_use_case_dup_answers (const KdxUseCase *use_case)
{
  GHashTable *answers;

  g_return_val_if_fail (use_case != NULL, NULL);

  answers = kdx_answers_new ();
  for (guint i = 0; use_case->answers[i] != NULL; i++)
    {
      const char *item = use_case->answers[i];
      const char *equals = strchr (item, '=');
      g_autofree char *id = NULL;

      g_assert (equals != NULL);
      id = g_strndup (item, equals - item);
      kdx_answers_set (answers, id,
                       g_str_equal (equals + 1, "yes") ? KDX_ANSWER_YES : KDX_ANSWER_NO);
    }

  return answers;
}
