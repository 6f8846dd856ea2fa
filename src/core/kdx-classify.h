/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EU AI Act classification of an AI system (Regulation (EU)
 * 2024/1689): guided questions, and the rules that turn their answers into
 * a risk class, a role and the obligations that follow. The rules are a
 * table in kdx-classify.c; nothing here touches a workspace, so the UI,
 * the CLI and the tests share one evaluation.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KDX_CLASSIFY_ERROR (kdx_classify_error_quark ())

typedef enum
{
  KDX_CLASSIFY_ERROR_CONTRADICTION,  /* two answers cannot both be true */
  KDX_CLASSIFY_ERROR_UNKNOWN,        /* an answer to no known question */
  KDX_CLASSIFY_ERROR_INVALID,        /* an answer set that cannot be read */
} KdxClassifyError;

GQuark kdx_classify_error_quark (void);

/* The risk classes of the AI Act, from the worst. UNCLASSIFIED: not yet
 * (or not completely) answered. */
typedef enum
{
  KDX_RISK_UNCLASSIFIED = -1,
  KDX_RISK_PROHIBITED = 0,   /* Art. 5 */
  KDX_RISK_HIGH,             /* Art. 6 with Annex III */
  KDX_RISK_LIMITED,          /* Art. 50 transparency */
  KDX_RISK_MINIMAL,
  KDX_RISK_N_CLASSES
} KdxRiskClass;

/* The organisation's role for the system (Art. 3(3) and (4)). */
typedef enum
{
  KDX_ROLE_UNKNOWN = -1,
  KDX_ROLE_DEPLOYER = 0,
  KDX_ROLE_PROVIDER,
  KDX_ROLE_PROVIDER_DEPLOYER,      /* built in-house and used in-house */
  KDX_ROLE_N_ROLES
} KdxAiActRole;

/* "prohibited", "high", "limited", "minimal"; "deployer", "provider",
 * "provider-deployer". from_string returns -1 (UNCLASSIFIED / UNKNOWN)
 * for NULL or an unknown text. Labels are translated. */
const char   *kdx_risk_class_to_string   (KdxRiskClass  risk);
KdxRiskClass  kdx_risk_class_from_string (const char   *text);
const char   *kdx_risk_class_get_label   (KdxRiskClass  risk);
const char   *kdx_ai_act_role_to_string  (KdxAiActRole  role);
KdxAiActRole  kdx_ai_act_role_from_string (const char  *text);
const char   *kdx_ai_act_role_get_label  (KdxAiActRole  role);

typedef enum
{
  KDX_ANSWER_UNANSWERED = 0,
  KDX_ANSWER_YES,
  KDX_ANSWER_NO,
} KdxAnswer;

/* The parts of the assistant, in the order it asks them. */
typedef enum
{
  KDX_QUESTION_GROUP_ROLE,          /* who provides and who uses it */
  KDX_QUESTION_GROUP_SCOPE,         /* natural persons, profiling, public service */
  KDX_QUESTION_GROUP_PROHIBITED,    /* Art. 5 */
  KDX_QUESTION_GROUP_HIGH_RISK,     /* Annex III */
  KDX_QUESTION_GROUP_EXCEPTIONS,    /* Art. 6(3) */
  KDX_QUESTION_GROUP_TRANSPARENCY,  /* Art. 50 */
  KDX_QUESTION_N_GROUPS
} KdxQuestionGroup;

typedef struct
{
  const char       *id;          /* stable: "p-emotion-workplace" */
  KdxQuestionGroup  group;
  const char       *reference;   /* "Art. 5(1)(f)", not translated */
  const char       *text;        /* untranslated; use kdx_question_get_text() */
  const char       *help;        /* untranslated; may be NULL */
  /* Asked only when this question is answered yes (NULL: always), or,
   * for KDX_QUESTION_ONLY_IF_ANNEX_III, when any question of the group
   * KDX_QUESTION_GROUP_HIGH_RISK is. A question that is not asked counts
   * as "no", whatever its stored answer. */
  const char       *only_if;
} KdxQuestion;

/* The only_if of the Art. 6(3) exceptions: asked once an Annex III area
 * is answered yes. */
#define KDX_QUESTION_ONLY_IF_ANNEX_III "@annex-iii"

/* Every question, in the assistant's order. */
const KdxQuestion *kdx_classify_get_questions  (guint            *n_questions);
const KdxQuestion *kdx_classify_find_question  (const char       *id);
const char        *kdx_question_get_text       (const KdxQuestion *question);
const char        *kdx_question_get_help       (const KdxQuestion *question);
const char        *kdx_question_group_get_title (KdxQuestionGroup group);
/* Whether @question is asked, given @answers (see only_if). */
gboolean           kdx_question_is_asked       (const KdxQuestion *question,
                                                GHashTable        *answers);

/* A set of answers: question id → KdxAnswer (GINT_TO_POINTER). */
GHashTable *kdx_answers_new        (void);
void        kdx_answers_set        (GHashTable  *answers,
                                    const char  *question_id,
                                    KdxAnswer    answer);
KdxAnswer   kdx_answers_get        (GHashTable  *answers,
                                    const char  *question_id);
/* {"p-manipulation":"no","h-credit":"yes"}, keys sorted, unanswered
 * questions left out; and back. Unknown question ids are refused. */
char       *kdx_answers_to_json    (GHashTable  *answers);
GHashTable *kdx_answers_from_json  (const char  *json,
                                    GError     **error);

/* One obligation that follows from the classification. */
typedef struct
{
  const char *id;           /* stable: "ai-act-26" */
  const char *catalog;      /* catalog key: "eu-ai-act" or "gdpr" */
  const char *requirement;  /* requirement code in that catalog: "art-26" */
  const char *reference;    /* "Art. 26", not translated */
  const char *title;        /* untranslated; use kdx_obligation_get_title() */
} KdxObligation;

const char *kdx_obligation_get_title (const KdxObligation *obligation);

typedef struct
{
  KdxRiskClass   risk;
  KdxAiActRole   role;
  /* Whether every question that is asked has an answer. */
  gboolean       complete;
  /* const KdxObligation * (static), in the order of the regulation. */
  GPtrArray     *obligations;
  /* Translated sentences, each naming the answer and the article that
   * led to it, in the order they were applied. */
  GPtrArray     *reasoning;
} KdxClassification;

void kdx_classification_free (KdxClassification *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxClassification, kdx_classification_free)

/* Evaluates @answers. An answer set that contradicts itself (say, credit
 * scoring of natural persons without profiling) is refused with a
 * KDX_CLASSIFY_ERROR_CONTRADICTION message that says what to change.
 * Missing answers are allowed: the result is then not complete, and the
 * class is the worst one the answers so far establish (UNCLASSIFIED when
 * none does). */
KdxClassification *kdx_classify            (GHashTable   *answers,
                                            GError      **error);

/* The reasoning as one text, a line each (for the journal and the CLI). */
char              *kdx_classification_dup_reasoning_text (const KdxClassification *result);

/* Every obligation the table knows, for catalogs and tests. */
const KdxObligation *kdx_classify_get_obligations (guint *n_obligations);
/* NULL for an unknown id. */
const KdxObligation *kdx_classify_find_obligation (const char *id);

G_END_DECLS
