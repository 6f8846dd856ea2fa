/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EU AI Act classification as four tables and a small engine: the
 * questions of the assistant, the obligations that can follow, the answer
 * sets that contradict themselves, and the rules that turn answers into a
 * class, obligations and one sentence of reasoning each. A lawyer who
 * checks the classification reads the tables, not the engine.
 *
 * The engine reasons in three values (yes, no, open), so that a missing
 * answer never establishes anything by accident: a rule applies only when
 * all of its conditions are yes, and a fact is no only when every rule
 * that could establish it has been ruled out. A question that is not asked
 * (see only_if) counts as no, whatever answer is stored for it.
 */
#define G_LOG_DOMAIN "kdx-classify"

#include "config.h"

#include "kdx-classify.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

typedef enum
{
  TRI_NO,
  TRI_YES,
  TRI_OPEN,
} Tri;

/* A rule: when every condition holds, it establishes its fact, its class
 * and its obligations, and says why. Conditions: "id" (the question is
 * answered yes), "!id" (answered no, or not asked), "@fact" (established
 * by an earlier rule; a fact is read only after every rule setting it),
 * "!@fact"; and KDX_QUESTION_ONLY_IF_ANNEX_III, which is any Annex III
 * question answered yes. */
typedef struct
{
  const char *when[5];
  const char *sets;             /* a fact, or NULL */
  const char *risk;             /* kdx_risk_class_to_string(), or NULL */
  const char *obligations[10];  /* ids of the obligation table */
  const char *reasoning;        /* N_(); NULL for a derivation that says nothing new */
} Rule;

/* If @if_id is answered @if_answer, @then_id must not be answered against
 * @then_answer. Checked on what is asked: an answer to a question that is
 * not asked counts as no. */
typedef struct
{
  const char *if_id;
  KdxAnswer   if_answer;
  const char *then_id;
  KdxAnswer   then_answer;
  const char *message;          /* N_(): what to change */
} Contradiction;

G_DEFINE_QUARK (kdx-classify-error-quark, kdx_classify_error)

/* ------------------------------------------------------------------ */
/* The tables                                                           */

static const char *risk_ids[] = { "prohibited", "high", "limited", "minimal" };
static const char *risk_labels[] = {
  /* Translators: an EU AI Act risk class */
  N_("Prohibited"),
  /* Translators: an EU AI Act risk class */
  N_("High risk"),
  /* Translators: an EU AI Act risk class (Art. 50) */
  N_("Limited risk (transparency)"),
  /* Translators: an EU AI Act risk class */
  N_("Minimal risk"),
};
static const char *role_ids[] = { "deployer", "provider", "provider-deployer" };
static const char *role_labels[] = {
  /* Translators: an organisation's role under the EU AI Act (Art. 3(4)) */
  N_("Deployer"),
  /* Translators: an organisation's role under the EU AI Act (Art. 3(3)) */
  N_("Provider"),
  /* Translators: an organisation's role: it built the system and uses it */
  N_("Provider and deployer"),
};
static const char *group_titles[] = {
  /* Translators: a part of the EU AI Act classification assistant */
  N_("Your role"),
  /* Translators: a part of the EU AI Act classification assistant */
  N_("Who is affected"),
  /* Translators: a part of the EU AI Act classification assistant (Art. 5) */
  N_("Prohibited practices"),
  /* Translators: a part of the EU AI Act classification assistant (Annex III) */
  N_("High-risk areas"),
  /* Translators: a part of the EU AI Act classification assistant (Art. 6(3)) */
  N_("Exceptions for high-risk areas"),
  /* Translators: a part of the EU AI Act classification assistant (Art. 50) */
  N_("Transparency"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (risk_ids) == KDX_RISK_N_CLASSES);
G_STATIC_ASSERT (G_N_ELEMENTS (risk_labels) == KDX_RISK_N_CLASSES);
G_STATIC_ASSERT (G_N_ELEMENTS (role_ids) == KDX_ROLE_N_ROLES);
G_STATIC_ASSERT (G_N_ELEMENTS (role_labels) == KDX_ROLE_N_ROLES);
G_STATIC_ASSERT (G_N_ELEMENTS (group_titles) == KDX_QUESTION_N_GROUPS);

/* The questions, in the assistant's order. The help says it the way a
 * sales manager would recognise the system. */
static const KdxQuestion questions[] = {
  { "role-provider", KDX_QUESTION_GROUP_ROLE, "Art. 3(3), Art. 25",
    N_("Does your organisation develop the system, or place it on the market or put it into "
       "service under its own name or trademark?"),
    N_("Answer yes if you built it yourselves (even only for your own use), had it built to "
       "sell under your brand, or substantially changed a system you bought. Answer no if you "
       "simply buy or rent a vendor's product and use it.") },
  { "role-deployer", KDX_QUESTION_GROUP_ROLE, "Art. 3(4)",
    N_("Does your organisation use the system under its own authority?"),
    N_("Answer yes if your staff use it in their work, whether you bought it, rent it as a "
       "cloud service or built it yourselves.") },

  { "natural-persons", KDX_QUESTION_GROUP_SCOPE, "GDPR Art. 4(1)",
    N_("Does the system assess or affect natural persons, not only companies?"),
    N_("Natural persons are private customers, sole traders, individual contacts and your own "
       "employees. Answer no only if it works on data about companies alone (turnover, "
       "industry, orders) and its results say nothing about any individual.") },
  { "profiling", KDX_QUESTION_GROUP_SCOPE, "GDPR Art. 4(4), AI Act Art. 6(3)",
    N_("Does it evaluate personal aspects of these people, such as their performance at work, "
       "economic situation, preferences, interests, reliability or behaviour?"),
    N_("This is profiling: rating or predicting something about an individual. Scoring "
       "customers by how likely they buy, ranking sales reps by performance or estimating "
       "someone's creditworthiness are profiling. Counting calls for the whole team is not."),
    "natural-persons" },
  { "workplace", KDX_QUESTION_GROUP_SCOPE, "Art. 26(7)",
    N_("Is it used on your organisation's own workers?"),
    N_("Answer yes if it processes data about your own employees, sales agents or trainees, "
       "or if its results affect them, for example call monitoring of agents or dashboards "
       "that rate sales reps.") },
  { "public-service", KDX_QUESTION_GROUP_SCOPE, "Art. 27(1)",
    N_("Is your organisation a public body, or does it provide public services?"),
    N_("For example a municipal utility, a public hospital or a private company that runs a "
       "public service on behalf of the state.") },

  { "p-manipulation", KDX_QUESTION_GROUP_PROHIBITED, "Art. 5(1)(a)",
    N_("Does it use subliminal, purposefully manipulative or deceptive techniques that push "
       "people into decisions they would not otherwise take and that may harm them?"),
    N_("For example hidden cues, pressure tailored to each person's weak moments, or a bot "
       "that pretends to be human to talk people into a contract. Honest advertising and "
       "persuasion are not meant.") },
  { "p-vulnerability", KDX_QUESTION_GROUP_PROHIBITED, "Art. 5(1)(b)",
    N_("Does it exploit a vulnerability of people due to their age, a disability or a "
       "difficult social or economic situation, in a way that may harm them?"),
    N_("For example steering elderly customers to confusing offers because they are less "
       "likely to notice, or pushing expensive credit at people in financial distress.") },
  { "p-social-scoring", KDX_QUESTION_GROUP_PROHIBITED, "Art. 5(1)(c)",
    N_("Does it rate people by their social behaviour or personal traits, so that they are "
       "treated worse in unrelated situations or out of proportion?"),
    N_("For example refusing customers because of their posts on social media, or "
       "penalising employees for their private life. Using payment history to decide on "
       "payment terms is not meant.") },
  { "p-face-scraping", KDX_QUESTION_GROUP_PROHIBITED, "Art. 5(1)(e)",
    N_("Does it build or expand a facial recognition database by untargeted scraping of face "
       "images from the internet or from CCTV footage?"),
    N_("For example collecting photos from social networks to recognise visitors at a trade "
       "fair stand.") },
  { "p-emotion-workplace", KDX_QUESTION_GROUP_PROHIBITED, "Art. 5(1)(f)",
    N_("Does it infer the emotions of people at the workplace or in education from their "
       "voice, face or other biometric data?"),
    N_("For example detecting stress, frustration or enthusiasm of your own sales agents in "
       "their calls or video meetings. Analysing the emotions of customers is asked "
       "later.") },
  { "p-emotion-medical", KDX_QUESTION_GROUP_PROHIBITED, "Art. 5(1)(f)",
    N_("Is this emotion inference used solely for medical or safety reasons?"),
    N_("For example detecting the fatigue of drivers. Coaching, sales performance or "
       "well-being programmes do not count."),
    "p-emotion-workplace" },
  { "p-biometric-categorisation", KDX_QUESTION_GROUP_PROHIBITED, "Art. 5(1)(g)",
    N_("Does it sort people by biometric data such as face or voice to deduce their race, "
       "political opinions, trade union membership, religious or philosophical beliefs, sex "
       "life or sexual orientation?"),
    N_("For example guessing a customer's religion or origin from a photo or from the voice "
       "to target offers.") },

  { "h-emotion-recognition", KDX_QUESTION_GROUP_HIGH_RISK, "Annex III 1(c)",
    N_("Does it identify or infer emotions or intentions of people from biometric data such "
       "as their voice or face?"),
    N_("For example sentiment or stress analysis of customer calls from the voice, or mood "
       "detection in video calls. Analysing only the words of a written text or transcript "
       "is not biometric and is not meant.") },
  { "h-employment", KDX_QUESTION_GROUP_HIGH_RISK, "Annex III 4",
    N_("Is it used for recruitment, decisions on promotion or termination, allocating tasks "
       "by behaviour or personal traits, or monitoring and evaluating the performance and "
       "behaviour of workers?"),
    N_("For example ranking sales reps for bonuses, distributing leads by a rep's "
       "personality profile, or screening applicants.") },
  { "h-credit", KDX_QUESTION_GROUP_HIGH_RISK, "Annex III 5(b)",
    N_("Does it evaluate the creditworthiness of natural persons or establish their credit "
       "score?"),
    N_("For example a credit check at checkout that decides whether a private customer may "
       "pay by invoice or in instalments. Detecting fraud is not meant, and neither are "
       "checks of companies.") },
  { "h-insurance", KDX_QUESTION_GROUP_HIGH_RISK, "Annex III 5(c)",
    N_("Is it used for risk assessment and pricing for natural persons in life or health "
       "insurance?"),
    N_("For example calculating the premium of a life or health insurance policy that your "
       "sales team offers to private customers.") },

  { "x-narrow-task", KDX_QUESTION_GROUP_EXCEPTIONS, "Art. 6(3)(a)",
    N_("Does it only perform a narrow procedural task?"),
    N_("For example turning unstructured data into structured data, sorting incoming "
       "documents into categories or finding duplicates. If in doubt, answer no: whoever "
       "relies on an exception must document why (Art. 6(4))."),
    KDX_QUESTION_ONLY_IF_ANNEX_III },
  { "x-improve-human", KDX_QUESTION_GROUP_EXCEPTIONS, "Art. 6(3)(b)",
    N_("Does it only improve the result of an activity that a person has already "
       "completed?"),
    N_("For example polishing the language of an assessment that an employee has already "
       "written. If in doubt, answer no."),
    KDX_QUESTION_ONLY_IF_ANNEX_III },
  { "x-detect-patterns", KDX_QUESTION_GROUP_EXCEPTIONS, "Art. 6(3)(c)",
    N_("Does it only detect decision-making patterns or deviations from earlier patterns, "
       "without replacing or influencing a person's assessment without proper human "
       "review?"),
    N_("For example flagging afterwards that a manager's ratings differ from their earlier "
       "ones, for a person to look into. If in doubt, answer no."),
    KDX_QUESTION_ONLY_IF_ANNEX_III },
  { "x-preparatory", KDX_QUESTION_GROUP_EXCEPTIONS, "Art. 6(3)(d)",
    N_("Does it only perform a task that prepares an assessment made by a person?"),
    N_("For example translating or indexing documents that a person then assesses. If in "
       "doubt, answer no."),
    KDX_QUESTION_ONLY_IF_ANNEX_III },

  { "t-interacts", KDX_QUESTION_GROUP_TRANSPARENCY, "Art. 50(1)",
    N_("Does it talk or chat directly with people?"),
    N_("For example a chatbot on the website, a voice bot on the phone or an assistant that "
       "answers customers' e-mails on its own.") },
  { "t-synthetic", KDX_QUESTION_GROUP_TRANSPARENCY, "Art. 50(2)",
    N_("Does it generate text, audio, images or video?"),
    N_("For example generated sales e-mails, product texts, campaign images or synthetic "
       "voices.") },
  { "t-deepfake", KDX_QUESTION_GROUP_TRANSPARENCY, "Art. 50(4)",
    N_("Does it create deep fakes, or text that is published to inform the public on matters "
       "of public interest?"),
    N_("Deep fakes are realistic images, audio or video of real people, places or events "
       "that did not happen that way, for example a video of your CEO saying something she "
       "never said. A generated sales e-mail that an employee checks is not meant.") },
};

/* The obligations, in the order of the regulations: the AI Act first,
 * then the GDPR. The catalog and requirement codes are those of the
 * shipped catalogs in data/catalogs. */
static const KdxObligation obligations[] = {
  { "ai-act-4", "eu-ai-act", "art-4", "Art. 4", N_("AI literacy") },
  { "ai-act-5", "eu-ai-act", "art-5", "Art. 5", N_("Prohibited AI practices") },
  { "ai-act-9", "eu-ai-act", "art-9", "Art. 9", N_("Risk management system") },
  { "ai-act-10", "eu-ai-act", "art-10", "Art. 10", N_("Data and data governance") },
  { "ai-act-11", "eu-ai-act", "art-11", "Art. 11", N_("Technical documentation") },
  { "ai-act-12", "eu-ai-act", "art-12", "Art. 12", N_("Record-keeping") },
  { "ai-act-13", "eu-ai-act", "art-13", "Art. 13",
    N_("Transparency and provision of information to deployers") },
  { "ai-act-14", "eu-ai-act", "art-14", "Art. 14", N_("Human oversight") },
  { "ai-act-15", "eu-ai-act", "art-15", "Art. 15", N_("Accuracy, robustness and cybersecurity") },
  { "ai-act-26", "eu-ai-act", "art-26", "Art. 26",
    N_("Obligations of deployers of high-risk AI systems") },
  { "ai-act-27", "eu-ai-act", "art-27", "Art. 27",
    N_("Fundamental rights impact assessment") },
  { "ai-act-50", "eu-ai-act", "art-50", "Art. 50",
    N_("Transparency obligations for certain AI systems") },
  { "ai-act-72", "eu-ai-act", "art-72", "Art. 72", N_("Post-market monitoring") },
  { "ai-act-73", "eu-ai-act", "art-73", "Art. 73", N_("Reporting of serious incidents") },
  { "gdpr-21", "gdpr", "art-21", "GDPR Art. 21", N_("Right to object") },
  { "gdpr-22", "gdpr", "art-22", "GDPR Art. 22",
    N_("Automated individual decision-making, including profiling") },
  { "gdpr-35", "gdpr", "art-35", "GDPR Art. 35", N_("Data protection impact assessment") },
};

/* Answer sets that cannot all be true. The first that matches is
 * reported, so the more basic answer (natural persons) comes first. */
static const Contradiction contradictions[] = {
  { "role-provider", KDX_ANSWER_NO, "role-deployer", KDX_ANSWER_YES,
    N_("Your organisation neither provides nor uses the system. Answer at least one of the two "
       "role questions with yes.") },

  { "h-emotion-recognition", KDX_ANSWER_YES, "natural-persons", KDX_ANSWER_YES,
    N_("The system recognises emotions from voice or face, but is said not to affect natural "
       "persons. Answer the question about natural persons with yes, or the emotion "
       "recognition question with no.") },
  { "p-emotion-workplace", KDX_ANSWER_YES, "natural-persons", KDX_ANSWER_YES,
    N_("The system infers emotions of people at the workplace, but is said not to affect "
       "natural persons. Answer the question about natural persons with yes, or the "
       "workplace emotion question with no.") },
  { "h-employment", KDX_ANSWER_YES, "natural-persons", KDX_ANSWER_YES,
    N_("The system evaluates or manages workers, but is said not to affect natural persons. "
       "Workers are natural persons: answer the question about natural persons with yes, or "
       "the employment question with no.") },
  { "h-credit", KDX_ANSWER_YES, "natural-persons", KDX_ANSWER_YES,
    N_("The system assesses the creditworthiness of natural persons, but is said not to "
       "affect natural persons. Answer the question about natural persons with yes, or the "
       "credit question with no.") },
  { "h-insurance", KDX_ANSWER_YES, "natural-persons", KDX_ANSWER_YES,
    N_("The system prices life or health insurance for natural persons, but is said not to "
       "affect natural persons. Answer the question about natural persons with yes, or the "
       "insurance question with no.") },

  { "h-employment", KDX_ANSWER_YES, "profiling", KDX_ANSWER_YES,
    N_("Evaluating workers, or deciding on their recruitment, promotion or tasks, evaluates "
       "personal aspects of people: answer the profiling question with yes.") },
  { "h-credit", KDX_ANSWER_YES, "profiling", KDX_ANSWER_YES,
    N_("Assessing creditworthiness evaluates a person's economic situation: answer the "
       "profiling question with yes.") },
  { "h-insurance", KDX_ANSWER_YES, "profiling", KDX_ANSWER_YES,
    N_("Risk assessment and pricing in life or health insurance evaluates a person's health "
       "and situation: answer the profiling question with yes.") },

  { "p-emotion-workplace", KDX_ANSWER_YES, "h-emotion-recognition", KDX_ANSWER_YES,
    N_("Inferring emotions of people at the workplace from biometric data is emotion "
       "recognition: answer the emotion recognition question (Annex III 1(c)) with yes as "
       "well.") },
  { "h-employment", KDX_ANSWER_YES, "workplace", KDX_ANSWER_YES,
    N_("Employment and worker management concerns your own workers: answer the workplace "
       "question with yes, or the employment question with no.") },
  { "p-emotion-workplace", KDX_ANSWER_YES, "workplace", KDX_ANSWER_YES,
    N_("Inferring emotions at the workplace concerns your own workers: answer the workplace "
       "question with yes, or the workplace emotion question with no.") },

  { "t-deepfake", KDX_ANSWER_YES, "t-synthetic", KDX_ANSWER_YES,
    N_("Deep fakes and published texts are generated content: answer the question about "
       "generated text, audio, images or video with yes as well.") },
};

/* The rules, in the order they apply; the reasoning keeps this order. A
 * rule that reads a fact comes after every rule that sets it. */
static const Rule rules[] = {
  /* Role (Art. 3) and what every role owes (Art. 4). */
  { { "role-provider" }, "@provider", NULL, { NULL },
    N_("Your organisation develops the system or places it on the market under its own name: "
       "it is its provider (Art. 3(3)).") },
  { { "role-deployer" }, "@deployer", NULL, { NULL },
    N_("Your organisation uses the system under its own authority: it is its deployer "
       "(Art. 3(4)).") },
  { { "@provider" }, "@actor", NULL, { NULL }, NULL },
  { { "@deployer" }, "@actor", NULL, { NULL }, NULL },
  { { "@actor" }, NULL, NULL, { "ai-act-4" },
    N_("Providers and deployers must ensure that the staff who operate or use the system have "
       "sufficient AI literacy (Art. 4).") },

  /* Prohibited practices (Art. 5(1)). */
  { { "p-manipulation" }, "@prohibited", "prohibited", { NULL },
    N_("The system uses subliminal, manipulative or deceptive techniques that distort "
       "people's decisions: prohibited by Art. 5(1)(a).") },
  { { "p-vulnerability" }, "@prohibited", "prohibited", { NULL },
    N_("The system exploits the vulnerability of people due to age, disability or their "
       "social or economic situation: prohibited by Art. 5(1)(b).") },
  { { "p-social-scoring" }, "@prohibited", "prohibited", { NULL },
    N_("The system scores people by their social behaviour or personal traits to their "
       "detriment: prohibited by Art. 5(1)(c).") },
  { { "p-face-scraping" }, "@prohibited", "prohibited", { NULL },
    N_("The system builds a facial recognition database by untargeted scraping of face "
       "images: prohibited by Art. 5(1)(e).") },
  { { "p-emotion-workplace", "!p-emotion-medical" }, "@prohibited", "prohibited", { NULL },
    N_("The system infers emotions of people at the workplace or in education: prohibited by "
       "Art. 5(1)(f).") },
  { { "p-emotion-workplace", "p-emotion-medical" }, NULL, NULL, { NULL },
    N_("The system infers emotions at the workplace solely for medical or safety reasons: "
       "the exception of Art. 5(1)(f) applies, so this use is not prohibited.") },
  { { "p-biometric-categorisation" }, "@prohibited", "prohibited", { NULL },
    N_("The system categorises people by biometric data to deduce sensitive traits such as "
       "race, beliefs or sexual orientation: prohibited by Art. 5(1)(g).") },
  { { "@prohibited" }, NULL, NULL, { "ai-act-5" },
    N_("A prohibited practice must not be placed on the market, put into service or used: "
       "stop using the system (Art. 5). Obligations for high-risk or transparent systems are "
       "not listed, because meeting them would not make its use lawful.") },

  /* High-risk areas of Annex III (Art. 6(2)); their exceptions (Art. 6(3)). */
  { { "h-emotion-recognition" }, NULL, NULL, { NULL },
    N_("The system recognises emotions or intentions from biometric data such as voice or "
       "face: a high-risk area under Annex III point 1(c).") },
  { { "h-employment" }, NULL, NULL, { NULL },
    N_("The system is used for recruitment, decisions about workers, task allocation or "
       "monitoring and evaluating workers: a high-risk area under Annex III point 4.") },
  { { "h-credit" }, NULL, NULL, { NULL },
    N_("The system evaluates the creditworthiness or credit score of natural persons: a "
       "high-risk area under Annex III point 5(b).") },
  { { "h-insurance" }, NULL, NULL, { NULL },
    N_("The system assesses risks and sets prices for natural persons in life or health "
       "insurance: a high-risk area under Annex III point 5(c).") },
  { { "x-narrow-task", "!profiling" }, "@exception", NULL, { NULL },
    N_("The system only performs a narrow procedural task and does not profile people: the "
       "exception of Art. 6(3)(a) applies, so it is not high-risk. Document this assessment "
       "(Art. 6(4)).") },
  { { "x-improve-human", "!profiling" }, "@exception", NULL, { NULL },
    N_("The system only improves the result of an activity a person has completed and does "
       "not profile people: the exception of Art. 6(3)(b) applies, so it is not high-risk. "
       "Document this assessment (Art. 6(4)).") },
  { { "x-detect-patterns", "!profiling" }, "@exception", NULL, { NULL },
    N_("The system only detects decision-making patterns or deviations for human review and "
       "does not profile people: the exception of Art. 6(3)(c) applies, so it is not "
       "high-risk. Document this assessment (Art. 6(4)).") },
  { { "x-preparatory", "!profiling" }, "@exception", NULL, { NULL },
    N_("The system only prepares an assessment made by a person and does not profile people: "
       "the exception of Art. 6(3)(d) applies, so it is not high-risk. Document this "
       "assessment (Art. 6(4)).") },
  { { "x-narrow-task" }, "@exception-claimed", NULL, { NULL }, NULL },
  { { "x-improve-human" }, "@exception-claimed", NULL, { NULL }, NULL },
  { { "x-detect-patterns" }, "@exception-claimed", NULL, { NULL }, NULL },
  { { "x-preparatory" }, "@exception-claimed", NULL, { NULL }, NULL },
  { { "@exception-claimed", "profiling" }, NULL, NULL, { NULL },
    N_("The system profiles natural persons: the exceptions of Art. 6(3) never apply to "
       "profiling (Art. 6(3), last subparagraph), so it remains high-risk.") },
  { { KDX_QUESTION_ONLY_IF_ANNEX_III, "!@exception" }, "@high", "high", { NULL },
    N_("No exception of Art. 6(3) applies: the system is high-risk (Art. 6(2)).") },
  { { "@high", "@provider", "!@prohibited" }, NULL, NULL,
    { "ai-act-9", "ai-act-10", "ai-act-11", "ai-act-12", "ai-act-13", "ai-act-14",
      "ai-act-15", "ai-act-72", "ai-act-73" },
    N_("As provider of a high-risk system your organisation needs a risk management system "
       "(Art. 9), data governance (Art. 10), technical documentation (Art. 11), logging "
       "(Art. 12), instructions for deployers (Art. 13), human oversight (Art. 14), accuracy, "
       "robustness and cybersecurity (Art. 15), post-market monitoring (Art. 72) and the "
       "reporting of serious incidents (Art. 73).") },
  { { "@high", "@deployer", "!@prohibited" }, NULL, NULL, { "ai-act-26" },
    N_("As deployer of a high-risk system your organisation must use it according to its "
       "instructions, assign competent people to oversee it, monitor its operation and keep "
       "its logs (Art. 26).") },
  { { "@high", "@deployer", "workplace", "!@prohibited" }, NULL, NULL, { "ai-act-26" },
    N_("The system is used at the workplace: inform the workers' representatives and the "
       "affected workers before it is put into service (Art. 26(7)).") },
  { { "@high", "@deployer", "public-service", "!@prohibited" }, NULL, NULL, { "ai-act-27" },
    N_("As a public body or provider of public services deploying a high-risk system, your "
       "organisation must assess its impact on fundamental rights before first use "
       "(Art. 27(1)).") },
  { { "@high", "@deployer", "h-credit", "!@prohibited" }, NULL, NULL, { "ai-act-27" },
    N_("Deployers of credit scoring systems must assess their impact on fundamental rights "
       "before first use (Art. 27(1)).") },
  { { "@high", "@deployer", "h-insurance", "!@prohibited" }, NULL, NULL, { "ai-act-27" },
    N_("Deployers of systems for risk assessment and pricing in life or health insurance must "
       "assess their impact on fundamental rights before first use (Art. 27(1)).") },

  /* Transparency (Art. 50). */
  { { "t-interacts" }, "@transparency", "limited", { NULL },
    N_("The system talks or chats with people: they must be told that they are dealing with "
       "an AI system (Art. 50(1)).") },
  { { "t-synthetic" }, "@transparency", "limited", { NULL },
    N_("The system generates text, audio, images or video: its output must be marked as "
       "artificially generated in a machine-readable way (Art. 50(2)).") },
  { { "h-emotion-recognition", "@deployer" }, "@transparency", "limited", { NULL },
    N_("The system recognises emotions: the people exposed to it must be informed of its "
       "operation (Art. 50(3)).") },
  { { "t-deepfake" }, "@transparency", "limited", { NULL },
    N_("The system creates deep fakes or texts published on matters of public interest: it "
       "must be disclosed that they are artificially generated or manipulated "
       "(Art. 50(4)).") },
  { { "@transparency", "!@prohibited" }, NULL, NULL, { "ai-act-50" },
    N_("This information must be given clearly, at the latest at the first interaction or "
       "exposure (Art. 50(5)).") },

  /* Nothing of the above. */
  { { "!@prohibited", "!@high", "!@transparency" }, NULL, "minimal", { NULL },
    N_("No prohibited practice, high-risk area or transparency case applies: minimal risk. "
       "Beyond AI literacy the AI Act asks nothing specific; voluntary codes of conduct are "
       "encouraged (Art. 95).") },

  /* Data protection (GDPR), whatever the AI Act class. */
  { { "profiling" }, NULL, NULL, { "gdpr-21", "gdpr-22", "gdpr-35" },
    N_("The system profiles natural persons (GDPR Art. 4(4)): they may object (GDPR Art. 21), "
       "decisions based solely on it that significantly affect them need a person "
       "(GDPR Art. 22), and a data protection impact assessment is needed (GDPR Art. 35).") },
  { { "@high", "natural-persons", "!profiling" }, NULL, NULL, { "gdpr-35" },
    N_("A high-risk system that processes personal data of natural persons needs a data "
       "protection impact assessment (GDPR Art. 35).") },
};

/* ------------------------------------------------------------------ */
/* The engine                                                           */

typedef struct
{
  GHashTable *answers;
  GHashTable *facts;   /* name → Tri + 1 */
  GHashTable *read;    /* facts a rule has read: no later rule may change them */
} Evaluation;

static Tri
tri_and (Tri a,
         Tri b)
{
  if (a == TRI_NO || b == TRI_NO)
    return TRI_NO;
  if (a == TRI_OPEN || b == TRI_OPEN)
    return TRI_OPEN;
  return TRI_YES;
}

static Tri
tri_or (Tri a,
        Tri b)
{
  if (a == TRI_YES || b == TRI_YES)
    return TRI_YES;
  if (a == TRI_OPEN || b == TRI_OPEN)
    return TRI_OPEN;
  return TRI_NO;
}

static Tri
tri_not (Tri a)
{
  return a == TRI_OPEN ? TRI_OPEN : (a == TRI_YES ? TRI_NO : TRI_YES);
}

static Tri only_if_value (const char *only_if,
                          GHashTable *answers);

/* What the answers say about @question: its own answer, but no when it is
 * not asked and open while that is not yet known. */
static Tri
question_value (const KdxQuestion *question,
                GHashTable        *answers)
{
  Tri own;

  switch (kdx_answers_get (answers, question->id))
    {
    case KDX_ANSWER_YES:
      own = TRI_YES;
      break;
    case KDX_ANSWER_NO:
      own = TRI_NO;
      break;
    case KDX_ANSWER_UNANSWERED:
    default:
      own = TRI_OPEN;
      break;
    }

  return tri_and (only_if_value (question->only_if, answers), own);
}

static Tri
only_if_value (const char *only_if,
               GHashTable *answers)
{
  const KdxQuestion *parent;

  if (only_if == NULL)
    return TRI_YES;

  if (g_str_equal (only_if, KDX_QUESTION_ONLY_IF_ANNEX_III))
    {
      Tri any = TRI_NO;

      for (guint i = 0; i < G_N_ELEMENTS (questions); i++)
        if (questions[i].group == KDX_QUESTION_GROUP_HIGH_RISK)
          any = tri_or (any, question_value (&questions[i], answers));

      return any;
    }

  parent = kdx_classify_find_question (only_if);
  if (parent == NULL)
    {
      g_critical ("Question condition “%s” names no question", only_if);
      return TRI_NO;
    }

  return question_value (parent, answers);
}

static Tri
condition_value (Evaluation *ev,
                 const char *condition)
{
  gboolean negate = condition[0] == '!';
  const char *name = negate ? condition + 1 : condition;
  Tri value;

  if (g_str_equal (name, KDX_QUESTION_ONLY_IF_ANNEX_III))
    {
      value = only_if_value (name, ev->answers);
    }
  else if (name[0] == '@')
    {
      gpointer stored = g_hash_table_lookup (ev->facts, name);

      if (stored == NULL)
        {
          g_critical ("Rule reads the fact “%s” before any rule sets it", name);
          return TRI_NO;
        }
      g_hash_table_add (ev->read, (gpointer) name);
      value = GPOINTER_TO_INT (stored) - 1;
    }
  else
    {
      const KdxQuestion *question = kdx_classify_find_question (name);

      if (question == NULL)
        {
          g_critical ("Rule condition “%s” names no question", name);
          return TRI_NO;
        }
      value = question_value (question, ev->answers);
    }

  return negate ? tri_not (value) : value;
}

static void
set_fact (Evaluation *ev,
          const char *name,
          Tri         value)
{
  gpointer stored = g_hash_table_lookup (ev->facts, name);
  Tri before = stored != NULL ? GPOINTER_TO_INT (stored) - 1 : TRI_NO;

  if (g_hash_table_contains (ev->read, name))
    g_critical ("Rule sets the fact “%s” after a rule has read it", name);

  g_hash_table_insert (ev->facts, (gpointer) name, GINT_TO_POINTER (tri_or (before, value) + 1));
}

static int
obligation_index (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (obligations); i++)
    if (g_str_equal (obligations[i].id, id))
      return i;

  return -1;
}

/* The first contradiction in @answers, or NULL. */
static const Contradiction *
find_contradiction (GHashTable *answers)
{
  for (guint i = 0; i < G_N_ELEMENTS (contradictions); i++)
    {
      const Contradiction *c = &contradictions[i];
      Tri if_value = question_value (kdx_classify_find_question (c->if_id), answers);
      Tri then_value = question_value (kdx_classify_find_question (c->then_id), answers);
      Tri if_wanted = c->if_answer == KDX_ANSWER_YES ? TRI_YES : TRI_NO;
      Tri then_refused = c->then_answer == KDX_ANSWER_YES ? TRI_NO : TRI_YES;

      if (if_value == if_wanted && then_value == then_refused)
        return c;
    }

  return NULL;
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */

const char *
kdx_risk_class_to_string (KdxRiskClass risk)
{
  if (risk == KDX_RISK_UNCLASSIFIED)
    return NULL;
  g_return_val_if_fail ((guint) risk < KDX_RISK_N_CLASSES, NULL);

  return risk_ids[risk];
}

KdxRiskClass
kdx_risk_class_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (risk_ids); i++)
    if (g_str_equal (text, risk_ids[i]))
      return i;

  return KDX_RISK_UNCLASSIFIED;
}

const char *
kdx_risk_class_get_label (KdxRiskClass risk)
{
  if (risk == KDX_RISK_UNCLASSIFIED)
    /* Translators: the risk class of a system not (completely) classified yet */
    return _("Not classified");
  g_return_val_if_fail ((guint) risk < KDX_RISK_N_CLASSES, NULL);

  return _(risk_labels[risk]);
}

const char *
kdx_ai_act_role_to_string (KdxAiActRole role)
{
  if (role == KDX_ROLE_UNKNOWN)
    return NULL;
  g_return_val_if_fail ((guint) role < KDX_ROLE_N_ROLES, NULL);

  return role_ids[role];
}

KdxAiActRole
kdx_ai_act_role_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_ids); i++)
    if (g_str_equal (text, role_ids[i]))
      return i;

  return KDX_ROLE_UNKNOWN;
}

const char *
kdx_ai_act_role_get_label (KdxAiActRole role)
{
  if (role == KDX_ROLE_UNKNOWN)
    /* Translators: the EU AI Act role of a system whose role questions are open */
    return _("Role not determined");
  g_return_val_if_fail ((guint) role < KDX_ROLE_N_ROLES, NULL);

  return _(role_labels[role]);
}

const KdxQuestion *
kdx_classify_get_questions (guint *n_questions)
{
  if (n_questions != NULL)
    *n_questions = G_N_ELEMENTS (questions);

  return questions;
}

const KdxQuestion *
kdx_classify_find_question (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (questions); i++)
    if (g_str_equal (questions[i].id, id))
      return &questions[i];

  return NULL;
}

const char *
kdx_question_get_text (const KdxQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return _(question->text);
}

const char *
kdx_question_get_help (const KdxQuestion *question)
{
  g_return_val_if_fail (question != NULL, NULL);

  return question->help != NULL ? _(question->help) : NULL;
}

const char *
kdx_question_group_get_title (KdxQuestionGroup group)
{
  g_return_val_if_fail ((guint) group < KDX_QUESTION_N_GROUPS, NULL);

  return _(group_titles[group]);
}

gboolean
kdx_question_is_asked (const KdxQuestion *question,
                       GHashTable        *answers)
{
  g_return_val_if_fail (question != NULL, FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  return only_if_value (question->only_if, answers) == TRI_YES;
}

GHashTable *
kdx_answers_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
kdx_answers_set (GHashTable *answers,
                 const char *question_id,
                 KdxAnswer   answer)
{
  g_return_if_fail (answers != NULL);
  g_return_if_fail (kdx_classify_find_question (question_id) != NULL);
  g_return_if_fail (answer == KDX_ANSWER_UNANSWERED ||
                    answer == KDX_ANSWER_YES || answer == KDX_ANSWER_NO);

  if (answer == KDX_ANSWER_UNANSWERED)
    g_hash_table_remove (answers, question_id);
  else
    g_hash_table_insert (answers, g_strdup (question_id), GINT_TO_POINTER (answer));
}

KdxAnswer
kdx_answers_get (GHashTable *answers,
                 const char *question_id)
{
  g_return_val_if_fail (answers != NULL, KDX_ANSWER_UNANSWERED);
  g_return_val_if_fail (question_id != NULL, KDX_ANSWER_UNANSWERED);

  return GPOINTER_TO_INT (g_hash_table_lookup (answers, question_id));
}

char *
kdx_answers_to_json (GHashTable *answers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) keys = NULL;

  g_return_val_if_fail (answers != NULL, NULL);

  /* Sorted, so that equal answers give equal text in the journal. */
  keys = g_list_sort (g_hash_table_get_keys (answers), (GCompareFunc) strcmp);

  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      KdxAnswer answer = kdx_answers_get (answers, l->data);

      if (answer != KDX_ANSWER_YES && answer != KDX_ANSWER_NO)
        continue;
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, answer == KDX_ANSWER_YES ? "yes" : "no");
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

GHashTable *
kdx_answers_from_json (const char  *json,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) answers = kdx_answers_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *root;
  JsonNode *node;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A system that was never classified stores no answers. */
  if (json == NULL || *json == '\0')
    return g_steal_pointer (&answers);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_INVALID,
                   _("The classification answers cannot be read: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_INVALID,
                           _("The classification answers are not a JSON object of question "
                             "identifiers with “yes” or “no”."));
      return NULL;
    }

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &node))
    {
      const char *value = JSON_NODE_HOLDS_VALUE (node) &&
                          json_node_get_value_type (node) == G_TYPE_STRING
                          ? json_node_get_string (node) : NULL;

      if (kdx_classify_find_question (name) == NULL)
        {
          g_set_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_UNKNOWN,
                       _("“%s” is not a question of the EU AI Act classification. Remove "
                         "this answer."), name);
          return NULL;
        }
      if (g_strcmp0 (value, "yes") == 0)
        kdx_answers_set (answers, name, KDX_ANSWER_YES);
      else if (g_strcmp0 (value, "no") == 0)
        kdx_answers_set (answers, name, KDX_ANSWER_NO);
      else
        {
          g_set_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_INVALID,
                       _("The answer to “%s” must be “yes” or “no”."), name);
          return NULL;
        }
    }

  return g_steal_pointer (&answers);
}

const char *
kdx_obligation_get_title (const KdxObligation *obligation)
{
  g_return_val_if_fail (obligation != NULL, NULL);

  return _(obligation->title);
}

const KdxObligation *
kdx_classify_get_obligations (guint *n_obligations)
{
  if (n_obligations != NULL)
    *n_obligations = G_N_ELEMENTS (obligations);

  return obligations;
}

const KdxObligation *
kdx_classify_find_obligation (const char *id)
{
  int i = id != NULL ? obligation_index (id) : -1;

  return i >= 0 ? &obligations[i] : NULL;
}

void
kdx_classification_free (KdxClassification *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->obligations, g_ptr_array_unref);
  g_clear_pointer (&result->reasoning, g_ptr_array_unref);
  g_free (result);
}

KdxClassification *
kdx_classify (GHashTable  *answers,
              GError     **error)
{
  g_autoptr(KdxClassification) result = NULL;
  g_autoptr(GHashTable) facts = NULL;
  g_autoptr(GHashTable) read = NULL;
  gboolean owed[G_N_ELEMENTS (obligations)] = { FALSE, };
  const Contradiction *contradiction;
  Evaluation ev;
  GHashTableIter iter;
  gpointer key, value;
  Tri provider, deployer;

  g_return_val_if_fail (answers != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      KdxAnswer answer = GPOINTER_TO_INT (value);

      if (kdx_classify_find_question (key) == NULL)
        {
          g_set_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_UNKNOWN,
                       _("“%s” is not a question of the EU AI Act classification. Remove "
                         "this answer."), (const char *) key);
          return NULL;
        }
      if (answer != KDX_ANSWER_YES && answer != KDX_ANSWER_NO && answer != KDX_ANSWER_UNANSWERED)
        {
          g_set_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_INVALID,
                       _("The answer to “%s” must be “yes” or “no”."), (const char *) key);
          return NULL;
        }
    }

  contradiction = find_contradiction (answers);
  if (contradiction != NULL)
    {
      g_set_error_literal (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_CONTRADICTION,
                           _(contradiction->message));
      return NULL;
    }

  result = g_new0 (KdxClassification, 1);
  result->risk = KDX_RISK_UNCLASSIFIED;
  result->role = KDX_ROLE_UNKNOWN;
  result->obligations = g_ptr_array_new ();
  result->reasoning = g_ptr_array_new_with_free_func (g_free);

  facts = g_hash_table_new (g_str_hash, g_str_equal);
  read = g_hash_table_new (g_str_hash, g_str_equal);
  ev = (Evaluation) { answers, facts, read };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const Rule *rule = &rules[i];
      Tri holds = TRI_YES;

      for (guint j = 0; j < G_N_ELEMENTS (rule->when) && rule->when[j] != NULL; j++)
        holds = tri_and (holds, condition_value (&ev, rule->when[j]));

      if (rule->sets != NULL)
        set_fact (&ev, rule->sets, holds);

      if (holds != TRI_YES)
        continue;

      if (rule->risk != NULL)
        {
          KdxRiskClass risk = kdx_risk_class_from_string (rule->risk);

          g_assert (risk != KDX_RISK_UNCLASSIFIED);
          /* The worst class wins; the enum counts from the worst. */
          if (result->risk == KDX_RISK_UNCLASSIFIED || risk < result->risk)
            result->risk = risk;
        }

      for (guint j = 0; j < G_N_ELEMENTS (rule->obligations) && rule->obligations[j] != NULL; j++)
        {
          int index = obligation_index (rule->obligations[j]);

          if (index < 0)
            g_critical ("Rule names the unknown obligation “%s”", rule->obligations[j]);
          else
            owed[index] = TRUE;
        }

      if (rule->reasoning != NULL)
        g_ptr_array_add (result->reasoning, g_strdup (_(rule->reasoning)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (obligations); i++)
    if (owed[i])
      g_ptr_array_add (result->obligations, (gpointer) &obligations[i]);

  provider = question_value (kdx_classify_find_question ("role-provider"), answers);
  deployer = question_value (kdx_classify_find_question ("role-deployer"), answers);
  if (provider == TRI_YES && deployer == TRI_YES)
    result->role = KDX_ROLE_PROVIDER_DEPLOYER;
  else if (provider == TRI_YES && deployer == TRI_NO)
    result->role = KDX_ROLE_PROVIDER;
  else if (provider == TRI_NO && deployer == TRI_YES)
    result->role = KDX_ROLE_DEPLOYER;

  result->complete = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (questions); i++)
    if (kdx_question_is_asked (&questions[i], answers) &&
        kdx_answers_get (answers, questions[i].id) == KDX_ANSWER_UNANSWERED)
      result->complete = FALSE;

  /* Every asked question answered leaves no fact open, so some class
   * is established. */
  g_assert (!result->complete || result->risk != KDX_RISK_UNCLASSIFIED);

  return g_steal_pointer (&result);
}

char *
kdx_classification_dup_reasoning_text (const KdxClassification *result)
{
  GString *text;

  g_return_val_if_fail (result != NULL, NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < result->reasoning->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (result->reasoning, i));
    }

  return g_string_free (text, FALSE);
}
