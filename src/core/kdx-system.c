/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The register of AI systems (DESIGN §4). The rules a system keeps live
 * here, so that the UI, the CLI and an import meet the same refusals: a
 * name that is unique among live systems, keys that are never given
 * twice, owners and overseers who are people of the workspace, a RACI
 * matrix with exactly one Accountable, and a classification that is
 * written only from an answer set that does not contradict itself.
 */
#define G_LOG_DOMAIN "kdx-system"

#include "config.h"

#include "kdx-system.h"

#include "kdx-journal.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-store-private.h"
#include "kdx-training.h"
#include "kdx-usecase.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

struct _KdxSystem
{
  GObject           parent_instance;

  gint64            id;
  char             *uuid;
  char             *key;
  char             *name;
  char             *vendor;
  char             *version;
  char             *use_case;
  char             *description;
  char             *business_owner;
  char             *business_owner_name;
  char             *technical_owner;
  char             *technical_owner_name;
  char             *department;
  KdxLifecycle      lifecycle;
  KdxRiskClass      risk;
  KdxAiActRole      role;
  char             *answers_json;
  char             *reasoning;
  char             *classified;
  GStrv             data_categories;   /* never NULL; in the table's order */
  KdxLegalBasis     legal_basis;
  KdxConsent        consent;
  KdxDpiaStatus     dpia_status;
  char             *dpia_date;
  char             *retention;
  char             *notice_en;
  char             *notice_de;
  KdxOversightMode  oversight;
  char             *explainability;
  char             *created;
  char             *modified;
  char             *trashed;

  int               compliance;
  guint             n_policies;
};

G_DEFINE_FINAL_TYPE (KdxSystem, kdx_system, G_TYPE_OBJECT)
G_DEFINE_QUARK (kdx-system-error-quark, kdx_system_error)

/* Generous for what people type, far below SQLite's limits. */
#define MAX_LINE  200
#define MAX_TEXT  (64 * 1024)

/* ------------------------------------------------------------------ */
/* Names                                                               */

static const char *lifecycle_ids[] = { "planned", "pilot", "production", "retired" };
/* With a context: "Retired" is said of a policy too, in other words. */
#define LIFECYCLE_CONTEXT "ai system lifecycle"
static const char *lifecycle_labels[] = {
  NC_ ("ai system lifecycle", "Planned"), NC_ ("ai system lifecycle", "Pilot"),
  NC_ ("ai system lifecycle", "In production"), NC_ ("ai system lifecycle", "Retired"),
};
static const char *oversight_ids[] = { "in-the-loop", "on-the-loop", "in-command" };
static const char *oversight_labels[] = {
  N_("Human in the loop"), N_("Human on the loop"), N_("Human in command"),
};
static const char *dpia_ids[] = { "not-required", "not-started", "in-progress", "done" };
static const char *dpia_labels[] = {
  /* Translators: the status of a data protection impact assessment */
  N_("Not required"), N_("Not started"), N_("In progress"), N_("Done"),
};
static const char *basis_ids[] = {
  "consent", "contract", "legal-obligation", "vital-interests", "public-task",
  "legitimate-interests",
};
static const char *basis_labels[] = {
  /* Translators: legal bases of GDPR Art. 6(1) */
  N_("Consent"), N_("Contract"), N_("Legal obligation"), N_("Vital interests"),
  N_("Public task"), N_("Legitimate interests"),
};
static const char *consent_ids[] = { "not-needed", "opt-in", "opt-out" };
static const char *consent_labels[] = {
  /* Translators: how consent is obtained for an AI system */
  N_("Not needed"), N_("Opt-in (asked before use)"), N_("Opt-out (can object at any time)"),
};
static const char *raci_ids[] = { "R", "A", "C", "I" };
static const char *raci_labels[] = {
  /* Translators: roles of a RACI matrix */
  N_("Responsible"), N_("Accountable"), N_("Consulted"), N_("Informed"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (lifecycle_ids) == KDX_LIFECYCLE_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (oversight_ids) == KDX_OVERSIGHT_N_MODES);
G_STATIC_ASSERT (G_N_ELEMENTS (dpia_ids) == KDX_DPIA_N_STATES);
G_STATIC_ASSERT (G_N_ELEMENTS (basis_ids) == KDX_LEGAL_BASIS_N);
G_STATIC_ASSERT (G_N_ELEMENTS (consent_ids) == KDX_CONSENT_N);
G_STATIC_ASSERT (G_N_ELEMENTS (raci_ids) == KDX_RACI_N_ROLES);

static int
lookup (const char  *text,
        const char **ids,
        guint        n_ids)
{
  for (guint i = 0; text != NULL && i < n_ids; i++)
    if (g_str_equal (text, ids[i]))
      return i;

  return -1;
}

#define NAME_FUNCS(prefix, Type, ids, labels, count)                          \
  const char *prefix##_to_string (Type value)                                 \
  {                                                                           \
    g_return_val_if_fail ((guint) value < count, NULL);                       \
    return ids[value];                                                        \
  }                                                                           \
  int prefix##_from_string (const char *text)                                 \
  {                                                                           \
    return lookup (text, ids, count);                                         \
  }                                                                           \
  const char *prefix##_get_label (Type value)                                 \
  {                                                                           \
    g_return_val_if_fail ((guint) value < count, NULL);                       \
    return _(labels[value]);                                                  \
  }

const char *
kdx_lifecycle_to_string (KdxLifecycle value)
{
  g_return_val_if_fail ((guint) value < KDX_LIFECYCLE_N_STATES, NULL);
  return lifecycle_ids[value];
}

int
kdx_lifecycle_from_string (const char *text)
{
  return lookup (text, lifecycle_ids, KDX_LIFECYCLE_N_STATES);
}

const char *
kdx_lifecycle_get_label (KdxLifecycle value)
{
  g_return_val_if_fail ((guint) value < KDX_LIFECYCLE_N_STATES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, LIFECYCLE_CONTEXT, lifecycle_labels[value]);
}
NAME_FUNCS (kdx_oversight_mode, KdxOversightMode, oversight_ids, oversight_labels,
            KDX_OVERSIGHT_N_MODES)
NAME_FUNCS (kdx_dpia_status, KdxDpiaStatus, dpia_ids, dpia_labels, KDX_DPIA_N_STATES)
NAME_FUNCS (kdx_legal_basis, KdxLegalBasis, basis_ids, basis_labels, KDX_LEGAL_BASIS_N)
NAME_FUNCS (kdx_consent, KdxConsent, consent_ids, consent_labels, KDX_CONSENT_N)
NAME_FUNCS (kdx_raci_role, KdxRaciRole, raci_ids, raci_labels, KDX_RACI_N_ROLES)

/* The stored text of an optional enum value: NULL for "none". */
static const char *
id_or_null (int          value,
            const char **ids,
            guint        n_ids)
{
  return value >= 0 && (guint) value < n_ids ? ids[value] : NULL;
}

/* ------------------------------------------------------------------ */
/* Data categories                                                     */

/* The notice phrases are fixed per language, not translated: a notice is
 * written in German and in English whatever the UI speaks. */
static const KdxDataCategory data_categories[] = {
  { "contact", N_("Contact details"), FALSE,
    "your contact details", "Ihre Kontaktdaten" },
  { "company", N_("Company data"), FALSE,
    "information about your company", "Angaben zu Ihrem Unternehmen" },
  { "purchase-history", N_("Purchase history"), FALSE,
    "your purchase history", "Ihre bisherigen Käufe" },
  { "behaviour", N_("Online behaviour"), FALSE,
    "your activity on our website", "Ihr Verhalten auf unserer Website" },
  { "communication", N_("Content of communication"), FALSE,
    "the content of your messages and conversations with us",
    "den Inhalt Ihrer Nachrichten und Gespräche mit uns" },
  { "voice", N_("Voice recordings"), FALSE,
    "recordings of your voice", "Aufzeichnungen Ihrer Stimme" },
  { "financial", N_("Financial data"), FALSE,
    "information about your finances and creditworthiness",
    "Angaben zu Ihren Finanzen und Ihrer Kreditwürdigkeit" },
  { "performance", N_("Work performance"), FALSE,
    "information about your work performance", "Angaben zu Ihrer Arbeitsleistung" },
  { "location", N_("Location"), FALSE,
    "your location", "Ihren Standort" },
  { "emotion", N_("Emotions"), TRUE,
    "signs of your emotions", "Hinweise auf Ihre Gefühle" },
  { "biometric", N_("Biometric data"), TRUE,
    "biometric features of your face or voice",
    "biometrische Merkmale Ihres Gesichts oder Ihrer Stimme" },
  { "special", N_("Special categories (GDPR Art. 9)"), TRUE,
    "particularly sensitive data such as health data",
    "besonders schützenswerte Daten wie Gesundheitsdaten" },
};

const KdxDataCategory *
kdx_data_category_get_all (guint *n_categories)
{
  if (n_categories)
    *n_categories = G_N_ELEMENTS (data_categories);

  return data_categories;
}

static int
data_category_index (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (data_categories); i++)
    if (g_str_equal (id, data_categories[i].id))
      return i;

  return -1;
}

const KdxDataCategory *
kdx_data_category_lookup (const char *id)
{
  int i = data_category_index (id);

  return i >= 0 ? &data_categories[i] : NULL;
}

const char *
kdx_data_category_get_label (const KdxDataCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);

  return _(category->label);
}

/* ------------------------------------------------------------------ */
/* The object                                                          */

static void
kdx_system_finalize (GObject *object)
{
  KdxSystem *self = KDX_SYSTEM (object);

  g_free (self->uuid);
  g_free (self->key);
  g_free (self->name);
  g_free (self->vendor);
  g_free (self->version);
  g_free (self->use_case);
  g_free (self->description);
  g_free (self->business_owner);
  g_free (self->business_owner_name);
  g_free (self->technical_owner);
  g_free (self->technical_owner_name);
  g_free (self->department);
  g_free (self->answers_json);
  g_free (self->reasoning);
  g_free (self->classified);
  g_strfreev (self->data_categories);
  g_free (self->dpia_date);
  g_free (self->retention);
  g_free (self->notice_en);
  g_free (self->notice_de);
  g_free (self->explainability);
  g_free (self->created);
  g_free (self->modified);
  g_free (self->trashed);

  G_OBJECT_CLASS (kdx_system_parent_class)->finalize (object);
}

static void
kdx_system_class_init (KdxSystemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_system_finalize;
}

static void
kdx_system_init (KdxSystem *self)
{
  self->lifecycle = KDX_LIFECYCLE_PLANNED;
  self->risk = KDX_RISK_UNCLASSIFIED;
  self->role = KDX_ROLE_UNKNOWN;
  self->data_categories = g_new0 (char *, 1);
  self->legal_basis = KDX_LEGAL_BASIS_NONE;
  self->consent = KDX_CONSENT_NONE;
  self->dpia_status = KDX_DPIA_NOT_STARTED;
  self->oversight = KDX_OVERSIGHT_NONE;
  self->compliance = -1;
}

KdxSystem *
kdx_system_new (void)
{
  return g_object_new (KDX_TYPE_SYSTEM, NULL);
}

/* Empty text is stored as NULL: "no vendor" has one spelling. */
static void
replace_string (char       **field,
                const char  *value)
{
  g_autofree char *trimmed = value ? g_strstrip (g_strdup (value)) : NULL;

  g_free (*field);
  *field = (trimmed && *trimmed) ? g_steal_pointer (&trimmed) : NULL;
}

#define GETTER(field, RType) \
  RType kdx_system_get_##field (KdxSystem *self) \
  { \
    g_return_val_if_fail (KDX_IS_SYSTEM (self), (RType) 0); \
    return self->field; \
  }
#define STRING_SETTER(field) \
  void kdx_system_set_##field (KdxSystem *self, const char *value) \
  { \
    g_return_if_fail (KDX_IS_SYSTEM (self)); \
    replace_string (&self->field, value); \
  }

GETTER (uuid, const char *)
GETTER (key, const char *)
GETTER (name, const char *)
GETTER (vendor, const char *)
GETTER (version, const char *)
GETTER (use_case, const char *)
GETTER (description, const char *)
GETTER (business_owner, const char *)
GETTER (business_owner_name, const char *)
GETTER (technical_owner, const char *)
GETTER (technical_owner_name, const char *)
GETTER (department, const char *)
GETTER (lifecycle, KdxLifecycle)
GETTER (answers_json, const char *)
GETTER (reasoning, const char *)
GETTER (classified, const char *)
GETTER (legal_basis, KdxLegalBasis)
GETTER (consent, KdxConsent)
GETTER (dpia_status, KdxDpiaStatus)
GETTER (dpia_date, const char *)
GETTER (retention, const char *)
GETTER (oversight, KdxOversightMode)
GETTER (explainability, const char *)
GETTER (created, const char *)
GETTER (modified, const char *)
GETTER (trashed, const char *)
GETTER (n_policies, guint)

STRING_SETTER (name)
STRING_SETTER (vendor)
STRING_SETTER (version)
STRING_SETTER (use_case)
STRING_SETTER (description)
STRING_SETTER (business_owner)
STRING_SETTER (technical_owner)
STRING_SETTER (department)
STRING_SETTER (dpia_date)
STRING_SETTER (retention)
STRING_SETTER (explainability)

KdxRiskClass
kdx_system_get_risk (KdxSystem *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM (self), KDX_RISK_UNCLASSIFIED);
  return self->risk;
}

KdxAiActRole
kdx_system_get_role (KdxSystem *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM (self), KDX_ROLE_UNKNOWN);
  return self->role;
}

int
kdx_system_get_compliance (KdxSystem *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM (self), -1);
  return self->compliance;
}

void
kdx_system_set_lifecycle (KdxSystem    *self,
                          KdxLifecycle  state)
{
  g_return_if_fail (KDX_IS_SYSTEM (self));
  g_return_if_fail ((guint) state < KDX_LIFECYCLE_N_STATES);
  self->lifecycle = state;
}

void
kdx_system_set_legal_basis (KdxSystem     *self,
                            KdxLegalBasis  basis)
{
  g_return_if_fail (KDX_IS_SYSTEM (self));
  g_return_if_fail (basis >= KDX_LEGAL_BASIS_NONE && basis < KDX_LEGAL_BASIS_N);
  self->legal_basis = basis;
}

void
kdx_system_set_consent (KdxSystem  *self,
                        KdxConsent  consent)
{
  g_return_if_fail (KDX_IS_SYSTEM (self));
  g_return_if_fail (consent >= KDX_CONSENT_NONE && consent < KDX_CONSENT_N);
  self->consent = consent;
}

void
kdx_system_set_dpia_status (KdxSystem     *self,
                            KdxDpiaStatus  status)
{
  g_return_if_fail (KDX_IS_SYSTEM (self));
  g_return_if_fail ((guint) status < KDX_DPIA_N_STATES);
  self->dpia_status = status;
}

void
kdx_system_set_oversight (KdxSystem        *self,
                          KdxOversightMode  mode)
{
  g_return_if_fail (KDX_IS_SYSTEM (self));
  g_return_if_fail (mode >= KDX_OVERSIGHT_NONE && mode < KDX_OVERSIGHT_N_MODES);
  self->oversight = mode;
}

/* The system's own array, never NULL (transfer none). */
GStrv
kdx_system_get_data_categories (KdxSystem *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM (self), NULL);
  return self->data_categories;
}

static int
compare_categories (gconstpointer a,
                    gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;
  guint i = (guint) data_category_index (x);   /* unknown ones (-1) last */
  guint j = (guint) data_category_index (y);

  if (i != j)
    return i < j ? -1 : 1;

  return strcmp (x, y);
}

/* Without repeats, in the table's order: equal sets read (and journal)
 * the same however they were picked. Unknown ids are kept for
 * validation to name. */
static GStrv
normalise_categories (const char *const *ids)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *id = g_strstrip (g_strdup (ids[i]));

      if (*id != '\0' && !g_ptr_array_find_with_equal_func (list, id, g_str_equal, NULL))
        g_ptr_array_add (list, g_steal_pointer (&id));
    }
  g_ptr_array_sort (list, compare_categories);
  g_ptr_array_add (list, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&list), FALSE);
}

void
kdx_system_set_data_categories (KdxSystem          *self,
                                const char *const  *ids)
{
  g_return_if_fail (KDX_IS_SYSTEM (self));

  g_strfreev (self->data_categories);
  self->data_categories = normalise_categories (ids);
}

gboolean
kdx_system_has_sensitive_data (KdxSystem *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM (self), FALSE);

  for (guint i = 0; self->data_categories[i] != NULL; i++)
    {
      const KdxDataCategory *category = kdx_data_category_lookup (self->data_categories[i]);

      if (category != NULL && category->sensitive)
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_german (const char *language)
{
  return language != NULL && g_ascii_strncasecmp (language, "de", 2) == 0;
}

const char *
kdx_system_get_notice (KdxSystem  *self,
                       const char *language)
{
  g_return_val_if_fail (KDX_IS_SYSTEM (self), NULL);

  return is_german (language) ? self->notice_de : self->notice_en;
}

void
kdx_system_set_notice (KdxSystem  *self,
                       const char *language,
                       const char *text)
{
  g_return_if_fail (KDX_IS_SYSTEM (self));

  replace_string (is_german (language) ? &self->notice_de : &self->notice_en, text);
}

GHashTable *
kdx_system_dup_answers (KdxSystem *system)
{
  g_autoptr(GError) error = NULL;
  GHashTable *answers;

  g_return_val_if_fail (KDX_IS_SYSTEM (system), NULL);

  if (system->answers_json == NULL)
    return kdx_answers_new ();

  answers = kdx_answers_from_json (system->answers_json, &error);
  if (answers == NULL)
    {
      /* Answers to questions a later Kodex no longer asks, say. */
      g_debug ("The stored answers of %s cannot be read: %s", system->key, error->message);
      return kdx_answers_new ();
    }

  return answers;
}

void
kdx_system_obligation_free (KdxSystemObligation *obligation)
{
  if (obligation == NULL)
    return;
  g_free (obligation->id);
  g_free (obligation->reference);
  g_free (obligation->title);
  g_free (obligation->catalog);
  g_free (obligation->requirement);
  g_free (obligation);
}

void
kdx_system_person_free (KdxSystemPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->person);
  g_free (person->name);
  g_free (person->department);
  g_free (person);
}

/* ------------------------------------------------------------------ */
/* Journal views: fixed member order, so equal systems give equal text. */

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* @json (an object written by kdx_answers_to_json()) as a member, so
 * that the journal shows the answers themselves, not a quoted string. */
static void
add_json_member (JsonBuilder *builder,
                 const char  *name,
                 const char  *json)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;

  json_builder_set_member_name (builder, name);
  if (node != NULL)
    json_builder_add_value (builder, g_steal_pointer (&node));
  else
    json_builder_add_null_value (builder);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

char *
kdx_system_to_json (KdxSystem *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (KDX_IS_SYSTEM (self), NULL);

  json_builder_begin_object (b);
  add_member (b, "uuid", self->uuid);
  add_member (b, "key", self->key);
  add_member (b, "name", self->name);
  add_member (b, "vendor", self->vendor);
  add_member (b, "version", self->version);
  add_member (b, "use_case", self->use_case);
  add_member (b, "description", self->description);
  add_member (b, "business_owner", self->business_owner);
  add_member (b, "technical_owner", self->technical_owner);
  add_member (b, "department", self->department);
  add_member (b, "lifecycle", lifecycle_ids[self->lifecycle]);
  add_member (b, "risk", self->risk >= 0 ? kdx_risk_class_to_string (self->risk) : NULL);
  add_member (b, "role", self->role >= 0 ? kdx_ai_act_role_to_string (self->role) : NULL);
  add_json_member (b, "answers", self->answers_json);
  add_member (b, "classified", self->classified);
  json_builder_set_member_name (b, "data_categories");
  json_builder_begin_array (b);
  for (guint i = 0; self->data_categories[i] != NULL; i++)
    json_builder_add_string_value (b, self->data_categories[i]);
  json_builder_end_array (b);
  add_member (b, "legal_basis", id_or_null (self->legal_basis, basis_ids, KDX_LEGAL_BASIS_N));
  add_member (b, "consent", id_or_null (self->consent, consent_ids, KDX_CONSENT_N));
  add_member (b, "dpia_status", dpia_ids[self->dpia_status]);
  add_member (b, "dpia_date", self->dpia_date);
  add_member (b, "retention", self->retention);
  add_member (b, "notice_en", self->notice_en);
  add_member (b, "notice_de", self->notice_de);
  add_member (b, "oversight", id_or_null (self->oversight, oversight_ids, KDX_OVERSIGHT_N_MODES));
  add_member (b, "explainability", self->explainability);
  add_member (b, "trashed", self->trashed);
  json_builder_end_object (b);

  return builder_to_string (b);
}

/* What a classification changes, for its journal entry. */
static char *
classification_to_json (KdxSystem *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_member (b, "risk", self->risk >= 0 ? kdx_risk_class_to_string (self->risk) : NULL);
  add_member (b, "role", self->role >= 0 ? kdx_ai_act_role_to_string (self->role) : NULL);
  add_json_member (b, "answers", self->answers_json);
  json_builder_end_object (b);

  return builder_to_string (b);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/* The compliance statuses, worst first (as kdx_compliance_worse()). */
#define COMPLIANCE_RANK(column)                                               \
  "CASE " column " WHEN 'non-compliant' THEN 0 WHEN 'partial' THEN 1 "        \
  "WHEN 'not-assessed' THEN 2 WHEN 'compliant' THEN 3 ELSE 4 END"

static const int compliance_by_rank[] = {
  KDX_COMPLIANCE_NON_COMPLIANT, KDX_COMPLIANCE_PARTIAL, KDX_COMPLIANCE_NOT_ASSESSED,
  KDX_COMPLIANCE_COMPLIANT, KDX_COMPLIANCE_NOT_APPLICABLE,
};

/* What every row carries after the system's own columns: its data
 * categories, the worst compliance status of its live policies and how
 * many there are. */
#define SYSTEM_DERIVED_COLUMNS                                                \
  "(SELECT group_concat(d.category, ',') FROM system_data d "                 \
  " WHERE d.system_id = s.id), "                                              \
  "(SELECT min(" COMPLIANCE_RANK ("ps.status") ") FROM policy_system ps "     \
  " JOIN policy p ON p.id = ps.policy_id "                                    \
  " WHERE ps.system_id = s.id AND p.trashed IS NULL), "                       \
  "(SELECT count(*) FROM policy_system ps JOIN policy p ON p.id = ps.policy_id " \
  " WHERE ps.system_id = s.id AND p.trashed IS NULL) "
#define SYSTEM_COLUMNS                                                        \
  "SELECT s.id, s.uuid, s.key, s.name, s.vendor, s.version, s.use_case, "     \
  "s.description, bo.uuid, bo.name, tech.uuid, tech.name, s.department, "     \
  "s.lifecycle, s.role, s.risk, s.answers, s.reasoning, s.classified, "       \
  "s.legal_basis, s.consent, s.dpia_status, s.dpia_date, s.retention, "       \
  "s.notice_en, s.notice_de, s.oversight, s.explainability, s.created, "      \
  "s.modified, s.trashed, " SYSTEM_DERIVED_COLUMNS
/* The register's rows: the same columns, without the long texts (answers,
 * reasoning, notices, description) that only the view of one system
 * shows — kdx_system_load() reads those. */
#define SYSTEM_LIST_COLUMNS                                                   \
  "SELECT s.id, s.uuid, s.key, s.name, s.vendor, s.version, s.use_case, "     \
  "NULL, bo.uuid, bo.name, tech.uuid, tech.name, s.department, "              \
  "s.lifecycle, s.role, s.risk, NULL, NULL, s.classified, "                   \
  "s.legal_basis, s.consent, s.dpia_status, s.dpia_date, s.retention, "       \
  "NULL, NULL, s.oversight, NULL, s.created, "                                \
  "s.modified, s.trashed, " SYSTEM_DERIVED_COLUMNS
#define SYSTEM_FROM                                                           \
  "FROM ai_system s "                                                         \
  "LEFT JOIN person bo ON bo.id = s.business_owner_id "                       \
  "LEFT JOIN person tech ON tech.id = s.technical_owner_id "

static KdxSystem *
system_from_row (sqlite3_stmt *stmt)
{
  KdxSystem *self = kdx_system_new ();
  const char *categories = (const char *) sqlite3_column_text (stmt, 31);
  g_auto(GStrv) ids = categories ? g_strsplit (categories, ",", -1) : NULL;
  int rank;

  self->id = sqlite3_column_int64 (stmt, 0);
  self->uuid = kdx_store_column_text (stmt, 1);
  self->key = kdx_store_column_text (stmt, 2);
  self->name = kdx_store_column_text (stmt, 3);
  self->vendor = kdx_store_column_text (stmt, 4);
  self->version = kdx_store_column_text (stmt, 5);
  self->use_case = kdx_store_column_text (stmt, 6);
  self->description = kdx_store_column_text (stmt, 7);
  self->business_owner = kdx_store_column_text (stmt, 8);
  self->business_owner_name = kdx_store_column_text (stmt, 9);
  self->technical_owner = kdx_store_column_text (stmt, 10);
  self->technical_owner_name = kdx_store_column_text (stmt, 11);
  self->department = kdx_store_column_text (stmt, 12);
  self->lifecycle = MAX (lookup ((const char *) sqlite3_column_text (stmt, 13), lifecycle_ids,
                                 KDX_LIFECYCLE_N_STATES), 0);
  self->role = kdx_ai_act_role_from_string ((const char *) sqlite3_column_text (stmt, 14));
  self->risk = kdx_risk_class_from_string ((const char *) sqlite3_column_text (stmt, 15));
  self->answers_json = kdx_store_column_text (stmt, 16);
  self->reasoning = kdx_store_column_text (stmt, 17);
  self->classified = kdx_store_column_text (stmt, 18);
  self->legal_basis = lookup ((const char *) sqlite3_column_text (stmt, 19), basis_ids,
                              KDX_LEGAL_BASIS_N);
  self->consent = lookup ((const char *) sqlite3_column_text (stmt, 20), consent_ids,
                          KDX_CONSENT_N);
  self->dpia_status = MAX (lookup ((const char *) sqlite3_column_text (stmt, 21), dpia_ids,
                                   KDX_DPIA_N_STATES), 0);
  self->dpia_date = kdx_store_column_text (stmt, 22);
  self->retention = kdx_store_column_text (stmt, 23);
  self->notice_en = kdx_store_column_text (stmt, 24);
  self->notice_de = kdx_store_column_text (stmt, 25);
  self->oversight = lookup ((const char *) sqlite3_column_text (stmt, 26), oversight_ids,
                            KDX_OVERSIGHT_N_MODES);
  self->explainability = kdx_store_column_text (stmt, 27);
  self->created = kdx_store_column_text (stmt, 28);
  self->modified = kdx_store_column_text (stmt, 29);
  self->trashed = kdx_store_column_text (stmt, 30);
  g_strfreev (self->data_categories);
  self->data_categories = normalise_categories ((const char * const *) ids);
  if (sqlite3_column_type (stmt, 32) == SQLITE_NULL)
    self->compliance = -1;
  else
    {
      rank = CLAMP (sqlite3_column_int (stmt, 32), 0, (int) G_N_ELEMENTS (compliance_by_rank) - 1);
      self->compliance = compliance_by_rank[rank];
    }
  self->n_policies = sqlite3_column_int (stmt, 33);

  return self;
}

KdxSystem *
kdx_system_load (KdxStore    *store,
                 const char  *uuid_or_key,
                 GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid_or_key != NULL, NULL);

  stmt = kdx_store_prepare_cached (store, SYSTEM_COLUMNS SYSTEM_FROM
                                   "WHERE s.uuid = ?1 OR s.key = upper(?1)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid_or_key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_NOT_FOUND,
                   _("There is no AI system “%s” in this workspace"), uuid_or_key);
      return NULL;
    }

  return system_from_row (stmt);
}

void
kdx_system_filter_init (KdxSystemFilter *filter)
{
  g_return_if_fail (filter != NULL);

  memset (filter, 0, sizeof *filter);
  filter->risk = KDX_SYSTEM_FILTER_ALL;
  filter->lifecycle = KDX_SYSTEM_FILTER_ALL;
  filter->sort = KDX_SYSTEM_SORT_KEY;
}

#define KEY_NUMBER "CAST(substr(s.key, 5) AS INTEGER)"
#define RISK_RANK                                                             \
  "CASE s.risk WHEN 'prohibited' THEN 0 WHEN 'high' THEN 1 WHEN 'limited' THEN 2 " \
  "WHEN 'minimal' THEN 3 ELSE 4 END"
#define LIFECYCLE_RANK                                                        \
  "CASE s.lifecycle WHEN 'planned' THEN 0 WHEN 'pilot' THEN 1 "               \
  "WHEN 'production' THEN 2 ELSE 3 END"

/* ORDER BY clauses, chosen by the sort; never built from data. Keys sort
 * by their number, so that SYS-1000 follows SYS-999. */
static const char *system_orders[][2] = {
  [KDX_SYSTEM_SORT_KEY]        = { "ORDER BY " KEY_NUMBER ", s.key",
                                   "ORDER BY " KEY_NUMBER " DESC, s.key DESC" },
  [KDX_SYSTEM_SORT_NAME]       = { "ORDER BY s.sort_key, s.key",
                                   "ORDER BY s.sort_key DESC, s.key DESC" },
  [KDX_SYSTEM_SORT_RISK]       = { "ORDER BY " RISK_RANK ", s.sort_key",
                                   "ORDER BY " RISK_RANK " DESC, s.sort_key" },
  [KDX_SYSTEM_SORT_LIFECYCLE]  = { "ORDER BY " LIFECYCLE_RANK ", s.sort_key",
                                   "ORDER BY " LIFECYCLE_RANK " DESC, s.sort_key" },
  [KDX_SYSTEM_SORT_DEPARTMENT] = { "ORDER BY s.department IS NULL, s.department, s.sort_key",
                                   "ORDER BY s.department IS NULL, s.department DESC, s.sort_key" },
  [KDX_SYSTEM_SORT_OWNER]      = { "ORDER BY bo.sort_key IS NULL, bo.sort_key, s.sort_key",
                                   "ORDER BY bo.sort_key IS NULL, bo.sort_key DESC, s.sort_key" },
  [KDX_SYSTEM_SORT_USE_CASE]   = { "ORDER BY s.use_case IS NULL, s.use_case, s.sort_key",
                                   "ORDER BY s.use_case IS NULL, s.use_case DESC, s.sort_key" },
};

GPtrArray *
kdx_system_list (KdxStore               *store,
                 const KdxSystemFilter  *filter,
                 GError                **error)
{
  g_autoptr(GPtrArray) systems = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *lower = NULL;
  KdxSystemFilter defaults;
  gboolean by_risk, unclassified, by_lifecycle, by_text;
  guint sort;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (filter == NULL)
    {
      kdx_system_filter_init (&defaults);
      filter = &defaults;
    }

  by_risk = filter->risk >= 0 && filter->risk < KDX_RISK_N_CLASSES;
  unclassified = filter->risk == KDX_RISK_UNCLASSIFIED;
  by_lifecycle = filter->lifecycle >= 0 && filter->lifecycle < KDX_LIFECYCLE_N_STATES;
  by_text = filter->text != NULL && *filter->text != '\0';
  sort = MIN ((guint) filter->sort, G_N_ELEMENTS (system_orders) - 1);

  /* The WHERE clause holds only the conditions that filter, so that the
   * planner can pick the index of each (ai_system_by_risk, …); every
   * value is a bound parameter. */
  /* A filter reads the systems, their owners among all people and their
   * policies again each time: 16 MB of page cache keeps those in memory
   * rather than reading them from the file at every change of a filter. */
  kdx_store_raise_cache (store, 16384);

  sql = g_string_new (SYSTEM_LIST_COLUMNS SYSTEM_FROM "WHERE s.trashed IS NULL ");
  if (by_risk)
    g_string_append (sql, "AND s.risk = ?1 ");
  else if (unclassified)
    g_string_append (sql, "AND s.risk IS NULL ");
  if (by_lifecycle)
    g_string_append (sql, "AND s.lifecycle = ?2 ");
  if (filter->department != NULL)
    g_string_append (sql, "AND s.department = ?3 ");
  if (filter->owner != NULL)
    g_string_append (sql, "AND (s.business_owner_id = (SELECT id FROM person WHERE uuid = ?4) "
                          "OR s.technical_owner_id = (SELECT id FROM person WHERE uuid = ?4)) ");
  if (filter->use_case != NULL && *filter->use_case == '\0')
    g_string_append (sql, "AND s.use_case IS NULL ");
  else if (filter->use_case != NULL)
    g_string_append (sql, "AND s.use_case = ?5 ");
  /* Names are matched folded (as they sort: no case, no accents); key,
   * vendor and description in lower case. */
  if (by_text)
    g_string_append (sql, "AND (instr(s.sort_key, ?6) > 0 OR instr(lower(s.key), ?7) > 0 "
                          "OR instr(lower(coalesce(s.vendor, '')), ?7) > 0 "
                          "OR instr(lower(coalesce(s.description, '')), ?7) > 0) ");
  g_string_append (sql, system_orders[sort][filter->descending ? 1 : 0]);

  stmt = kdx_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (by_risk)
    sqlite3_bind_text (stmt, 1, kdx_risk_class_to_string (filter->risk), -1, SQLITE_STATIC);
  if (by_lifecycle)
    sqlite3_bind_text (stmt, 2, lifecycle_ids[filter->lifecycle], -1, SQLITE_STATIC);
  if (filter->department != NULL)
    sqlite3_bind_text (stmt, 3, filter->department, -1, SQLITE_TRANSIENT);
  if (filter->owner != NULL)
    sqlite3_bind_text (stmt, 4, filter->owner, -1, SQLITE_TRANSIENT);
  if (filter->use_case != NULL && *filter->use_case != '\0')
    sqlite3_bind_text (stmt, 5, filter->use_case, -1, SQLITE_TRANSIENT);
  if (by_text)
    {
      folded = kdx_fold_text (filter->text);
      lower = g_utf8_strdown (filter->text, -1);
      sqlite3_bind_text (stmt, 6, folded, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, lower, -1, SQLITE_STATIC);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (systems, system_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&systems);
}

GPtrArray *
kdx_system_list_trashed (KdxStore *store)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  GPtrArray *systems = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KDX_IS_STORE (store), systems);

  stmt = kdx_store_prepare_cached (store, SYSTEM_COLUMNS SYSTEM_FROM
                                   "WHERE s.trashed IS NOT NULL ORDER BY s.trashed DESC", NULL);
  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (systems, system_from_row (stmt));

  return systems;
}

gint64
kdx_system_count (KdxStore *store)
{
  g_return_val_if_fail (KDX_IS_STORE (store), 0);

  return kdx_store_count (store, "SELECT count(*) FROM ai_system WHERE trashed IS NULL");
}

void
kdx_system_count_by_risk (KdxStore *store,
                          gint64   *counts)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_if_fail (KDX_IS_STORE (store));
  g_return_if_fail (counts != NULL);

  memset (counts, 0, sizeof (gint64) * (KDX_RISK_N_CLASSES + 1));
  stmt = kdx_store_prepare_cached (store, "SELECT risk, count(*) FROM ai_system "
                                   "WHERE trashed IS NULL GROUP BY risk", NULL);
  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxRiskClass risk = kdx_risk_class_from_string ((const char *) sqlite3_column_text (stmt, 0));

      if (risk >= 0 && risk < KDX_RISK_N_CLASSES)
        counts[risk] += sqlite3_column_int64 (stmt, 1);
      else
        counts[KDX_RISK_N_CLASSES] += sqlite3_column_int64 (stmt, 1);
    }
}

gint64
kdx_system_count_non_compliant (KdxStore *store)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), 0);

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT count(*) FROM ai_system AS s WHERE s.trashed IS NULL"
                                   " AND EXISTS (SELECT 1 FROM policy_system AS m"
                                   "             WHERE m.system_id = s.id"
                                   "             AND m.status = 'non-compliant')", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return sqlite3_column_int64 (stmt, 0);
}

static int
compare_collated (gconstpointer a,
                  gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;
  int c = g_utf8_collate (x, y);

  return c != 0 ? c : strcmp (x, y);
}

GStrv
kdx_system_dup_departments (KdxStore *store)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  stmt = kdx_store_prepare_cached (store,
                                   "SELECT department FROM ai_system WHERE trashed IS NULL "
                                   "AND department IS NOT NULL "
                                   "UNION SELECT department FROM person WHERE trashed IS NULL "
                                   "AND department IS NOT NULL", NULL);
  while (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, kdx_store_column_text (stmt, 0));
  g_ptr_array_sort (names, compare_collated);
  g_ptr_array_add (names, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* The row id of a live person. Unknown and trashed people are refused
 * with a message that says which and what to do. */
static gboolean
person_id (KdxStore    *store,
           const char  *uuid,
           gint64      *id,
           GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  *id = 0;
  stmt = kdx_store_prepare_cached (store, "SELECT id, name, trashed FROM person WHERE uuid = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON,
                   _("There is no person “%s” in this workspace: choose someone from People"),
                   uuid);
      return FALSE;
    }
  if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON,
                   _("%s is in the trash: restore them first or choose someone else"),
                   (const char *) sqlite3_column_text (stmt, 1));
      return FALSE;
    }
  *id = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

/* The row id of a person, live or in the trash. */
static gboolean
any_person_id (KdxStore    *store,
               const char  *uuid,
               gint64      *id,
               GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  *id = 0;
  stmt = kdx_store_prepare_cached (store, "SELECT id FROM person WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON,
                   _("There is no person “%s” in this workspace: choose someone from People"),
                   uuid);
      return FALSE;
    }
  *id = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static void
bind_id (sqlite3_stmt *stmt,
         int           index,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
parse_date (const char *text)
{
  guint y, m, d;
  char rest;

  return text != NULL && strlen (text) == 10 &&
         sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &rest) == 3 &&
         text[4] == '-' && text[7] == '-' && g_date_valid_dmy (d, m, y);
}

/* A single line: no control characters at all. */
static gboolean
is_line (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > MAX_LINE)
    return FALSE;
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;

  return TRUE;
}

/* Paragraphs: tabs and line ends, but nothing XML 1.0 cannot carry. */
static gboolean
is_text (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL) || strlen (text) > MAX_TEXT)
    return FALSE;
  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      return FALSE;

  return TRUE;
}

char *
kdx_system_next_key (KdxStore *store)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  gint64 highest = 0;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  /* Keys are never reused, not even those of trashed systems. */
  stmt = kdx_store_prepare_cached (store, "SELECT max(CAST(substr(key, 5) AS INTEGER)) "
                                   "FROM ai_system WHERE key LIKE 'SYS-%'", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    highest = sqlite3_column_int64 (stmt, 0);

  return g_strdup_printf ("SYS-%03" G_GINT64_FORMAT, highest + 1);
}

/* A live system other than @system with the same name, ignoring case. */
static gboolean
check_name_free (KdxStore    *store,
                 KdxSystem   *system,
                 GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *sort_key = kdx_fold_text (system->name);
  g_autofree char *name = g_utf8_casefold (system->name, -1);

  if (system->trashed != NULL)
    return TRUE;

  /* The sort key (folded) narrows through its index; the comparison that
   * counts ignores case only, so "Müller" and "Muller" are two names. */
  stmt = kdx_store_prepare_cached (store, "SELECT name, key FROM ai_system WHERE trashed IS NULL "
                                   "AND sort_key = ?1 AND uuid IS NOT ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sort_key, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 2, system->uuid);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *other = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, 0), -1);

      if (g_str_equal (other, name))
        {
          g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_DUPLICATE,
                       _("The AI system %s is already called “%s”: choose another name"),
                       (const char *) sqlite3_column_text (stmt, 1),
                       (const char *) sqlite3_column_text (stmt, 0));
          return FALSE;
        }
    }

  return TRUE;
}

/* The rules a system keeps, whoever saves it. */
static gboolean
validate_system (KdxStore    *store,
                 KdxSystem   *before,
                 KdxSystem   *system,
                 gint64      *business_owner_id,
                 gint64      *technical_owner_id,
                 GError     **error)
{
  const struct { const char *value; const char *message; } lines[] = {
    { system->vendor, N_("The vendor must be a single line of at most 200 characters") },
    { system->version, N_("The version must be a single line of at most 200 characters") },
    { system->department, N_("The department must be a single line of at most 200 characters") },
  };
  const struct { const char *value; const char *message; } texts[] = {
    { system->description, N_("The description is longer than 64 KB or contains control characters") },
    { system->retention, N_("The retention is longer than 64 KB or contains control characters") },
    { system->explainability, N_("The explanation is longer than 64 KB or contains control characters") },
    { system->notice_en, N_("The English notice is longer than 64 KB or contains control characters") },
    { system->notice_de, N_("The German notice is longer than 64 KB or contains control characters") },
  };

  *business_owner_id = 0;
  *technical_owner_id = 0;

  if (system->name == NULL)
    {
      g_set_error_literal (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                           _("An AI system needs a name"));
      return FALSE;
    }
  if (!is_line (system->name))
    {
      g_set_error_literal (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                           _("The name must be a single line of at most 200 characters"));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if (!is_line (lines[i].value))
      {
        g_set_error_literal (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                             _(lines[i].message));
        return FALSE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (!is_text (texts[i].value))
      {
        g_set_error_literal (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                             _(texts[i].message));
        return FALSE;
      }
  if (system->use_case != NULL && kdx_use_case_lookup (system->use_case) == NULL)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                   _("Unknown use case “%s”: see kodex-cli system use-cases"), system->use_case);
      return FALSE;
    }
  for (guint i = 0; system->data_categories[i] != NULL; i++)
    if (kdx_data_category_lookup (system->data_categories[i]) == NULL)
      {
        g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                     _("Unknown data category “%s”"), system->data_categories[i]);
        return FALSE;
      }
  if (system->dpia_date != NULL && !parse_date (system->dpia_date))
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD)"), system->dpia_date);
      return FALSE;
    }

  /* A new owner must be a live person; one who was already the owner and
   * has since gone to the trash stays until someone is chosen instead,
   * so that the system can still be edited, trashed and restored. */
  if (system->business_owner != NULL &&
      !(before != NULL && g_strcmp0 (system->business_owner, before->business_owner) == 0
        ? any_person_id (store, system->business_owner, business_owner_id, error)
        : person_id (store, system->business_owner, business_owner_id, error)))
    return FALSE;
  if (system->technical_owner != NULL &&
      !(before != NULL && g_strcmp0 (system->technical_owner, before->technical_owner) == 0
        ? any_person_id (store, system->technical_owner, technical_owner_id, error)
        : person_id (store, system->technical_owner, technical_owner_id, error)))
    return FALSE;

  return check_name_free (store, system, error);
}

static gboolean
write_categories (KdxStore    *store,
                  KdxSystem   *system,
                  GError     **error)
{
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;

  del = kdx_store_prepare_cached (store, "DELETE FROM system_data WHERE system_id = ?1", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, system->id);
  if (!kdx_store_step_done (store, del, error))
    return FALSE;

  ins = kdx_store_prepare_cached (store, "INSERT INTO system_data (system_id, category) "
                                  "VALUES (?1, ?2)", error);
  if (ins == NULL)
    return FALSE;
  for (guint i = 0; system->data_categories[i] != NULL; i++)
    {
      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, system->id);
      sqlite3_bind_text (ins, 2, system->data_categories[i], -1, SQLITE_TRANSIENT);
      if (!kdx_store_step_done (store, ins, error))
        return FALSE;
    }

  return TRUE;
}

/* Fills in the names of the owners, as a load would. */
static void
refresh_owner_names (KdxStore  *store,
                     KdxSystem *system)
{
  g_autoptr(KdxSystem) stored = kdx_system_load (store, system->uuid, NULL);

  if (stored == NULL)
    return;
  g_free (system->business_owner_name);
  system->business_owner_name = g_steal_pointer (&stored->business_owner_name);
  g_free (system->technical_owner_name);
  system->technical_owner_name = g_steal_pointer (&stored->technical_owner_name);
  system->compliance = stored->compliance;
  system->n_policies = stored->n_policies;
}

gboolean
kdx_system_create (KdxStore   *store,
                   KdxSystem  *system,
                   GError    **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *json = NULL;
  g_autofree char *summary = NULL;
  gint64 business_owner_id = 0;
  gint64 technical_owner_id = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_SYSTEM (system), FALSE);
  g_return_val_if_fail (system->id == 0, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  /* A new system starts unclassified and in no trash, whatever the
   * object says: the classification has a call of its own. */
  g_clear_pointer (&system->trashed, g_free);
  if (system->uuid == NULL)
    system->uuid = g_uuid_string_random ();
  if (!validate_system (store, NULL, system, &business_owner_id, &technical_owner_id, error))
    goto out;

  g_free (system->key);
  system->key = kdx_system_next_key (store);
  g_free (system->created);
  system->created = kdx_store_now_iso8601 ();
  g_free (system->modified);
  system->modified = g_strdup (system->created);
  system->risk = KDX_RISK_UNCLASSIFIED;
  system->role = KDX_ROLE_UNKNOWN;
  g_clear_pointer (&system->answers_json, g_free);
  g_clear_pointer (&system->reasoning, g_free);
  g_clear_pointer (&system->classified, g_free);

  sort_key = kdx_fold_text (system->name);
  stmt = kdx_store_prepare_cached (store,
                                   "INSERT INTO ai_system (uuid, key, name, sort_key, vendor, "
                                   "version, use_case, description, business_owner_id, "
                                   "technical_owner_id, department, lifecycle, legal_basis, "
                                   "consent, dpia_status, dpia_date, retention, notice_en, "
                                   "notice_de, oversight, explainability, created, modified) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                   "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
                                   error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, system->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, system->key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, system->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, sort_key, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 5, system->vendor);
  kdx_store_bind_text_or_null (stmt, 6, system->version);
  kdx_store_bind_text_or_null (stmt, 7, system->use_case);
  kdx_store_bind_text_or_null (stmt, 8, system->description);
  bind_id (stmt, 9, business_owner_id);
  bind_id (stmt, 10, technical_owner_id);
  kdx_store_bind_text_or_null (stmt, 11, system->department);
  sqlite3_bind_text (stmt, 12, lifecycle_ids[system->lifecycle], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 13, id_or_null (system->legal_basis, basis_ids,
                                                     KDX_LEGAL_BASIS_N));
  kdx_store_bind_text_or_null (stmt, 14, id_or_null (system->consent, consent_ids,
                                                     KDX_CONSENT_N));
  sqlite3_bind_text (stmt, 15, dpia_ids[system->dpia_status], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 16, system->dpia_date);
  kdx_store_bind_text_or_null (stmt, 17, system->retention);
  kdx_store_bind_text_or_null (stmt, 18, system->notice_en);
  kdx_store_bind_text_or_null (stmt, 19, system->notice_de);
  kdx_store_bind_text_or_null (stmt, 20, id_or_null (system->oversight, oversight_ids,
                                                     KDX_OVERSIGHT_N_MODES));
  kdx_store_bind_text_or_null (stmt, 21, system->explainability);
  sqlite3_bind_text (stmt, 22, system->created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 23, system->modified, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;
  system->id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

  if (!write_categories (store, system, error))
    goto out;

  json = kdx_system_to_json (system);
  summary = g_strdup_printf ("%s %s", system->key, system->name);
  if (!kdx_journal_append (store, "ai_system", system->uuid, "create", summary, NULL, json, error))
    goto out;

  kdx_store_mark_changed (store, "ai_system", system->id);
  refresh_owner_names (store, system);
  ok = TRUE;

out:
  if (!ok)
    system->id = 0;
  return kdx_store_finish (store, own, ok, error);
}

/* Writes every field of @after but the key and the classification over
 * @before, and journals @action; nothing when nothing changed. */
static gboolean
write_system (KdxStore    *store,
              KdxSystem   *before,
              KdxSystem   *after,
              const char  *action,
              GError     **error)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autofree char *before_json = kdx_system_to_json (before);
  g_autofree char *after_json = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *modified = NULL;
  gint64 business_owner_id = 0;
  gint64 technical_owner_id = 0;

  if (!validate_system (store, before, after, &business_owner_id, &technical_owner_id, error))
    return FALSE;

  after_json = kdx_system_to_json (after);
  if (g_strcmp0 (before_json, after_json) == 0)
    return TRUE;

  modified = kdx_store_now_iso8601 ();
  sort_key = kdx_fold_text (after->name);
  stmt = kdx_store_prepare_cached (store,
                                   "UPDATE ai_system SET name = ?2, sort_key = ?3, vendor = ?4, "
                                   "version = ?5, use_case = ?6, description = ?7, "
                                   "business_owner_id = ?8, technical_owner_id = ?9, "
                                   "department = ?10, lifecycle = ?11, legal_basis = ?12, "
                                   "consent = ?13, dpia_status = ?14, dpia_date = ?15, "
                                   "retention = ?16, notice_en = ?17, notice_de = ?18, "
                                   "oversight = ?19, explainability = ?20, modified = ?21, "
                                   "trashed = ?22 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before->id);
  sqlite3_bind_text (stmt, 2, after->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sort_key, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 4, after->vendor);
  kdx_store_bind_text_or_null (stmt, 5, after->version);
  kdx_store_bind_text_or_null (stmt, 6, after->use_case);
  kdx_store_bind_text_or_null (stmt, 7, after->description);
  bind_id (stmt, 8, business_owner_id);
  bind_id (stmt, 9, technical_owner_id);
  kdx_store_bind_text_or_null (stmt, 10, after->department);
  sqlite3_bind_text (stmt, 11, lifecycle_ids[after->lifecycle], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 12, id_or_null (after->legal_basis, basis_ids,
                                                     KDX_LEGAL_BASIS_N));
  kdx_store_bind_text_or_null (stmt, 13, id_or_null (after->consent, consent_ids,
                                                     KDX_CONSENT_N));
  sqlite3_bind_text (stmt, 14, dpia_ids[after->dpia_status], -1, SQLITE_STATIC);
  kdx_store_bind_text_or_null (stmt, 15, after->dpia_date);
  kdx_store_bind_text_or_null (stmt, 16, after->retention);
  kdx_store_bind_text_or_null (stmt, 17, after->notice_en);
  kdx_store_bind_text_or_null (stmt, 18, after->notice_de);
  kdx_store_bind_text_or_null (stmt, 19, id_or_null (after->oversight, oversight_ids,
                                                     KDX_OVERSIGHT_N_MODES));
  kdx_store_bind_text_or_null (stmt, 20, after->explainability);
  sqlite3_bind_text (stmt, 21, modified, -1, SQLITE_TRANSIENT);
  kdx_store_bind_text_or_null (stmt, 22, after->trashed);
  if (!kdx_store_step_done (store, stmt, error))
    return FALSE;

  if (g_strv_equal ((const char * const *) before->data_categories,
                    (const char * const *) after->data_categories) == FALSE &&
      !write_categories (store, after, error))
    return FALSE;

  summary = g_strdup_printf ("%s %s", after->key, after->name);
  if (!kdx_journal_append (store, "ai_system", after->uuid, action, summary,
                           before_json, after_json, error))
    return FALSE;

  g_free (after->modified);
  after->modified = g_steal_pointer (&modified);
  kdx_store_mark_changed (store, "ai_system", before->id);

  return TRUE;
}

gboolean
kdx_system_update (KdxStore   *store,
                   KdxSystem  *system,
                   GError    **error)
{
  g_autoptr(KdxSystem) before = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (KDX_IS_SYSTEM (system), FALSE);

  if (system->uuid == NULL)
    {
      g_set_error_literal (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_NOT_FOUND,
                           _("This AI system has not been stored yet"));
      return FALSE;
    }

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_system_load (store, system->uuid, error);
  if (before != NULL)
    {
      /* The key, the classification and the trash have calls of their
       * own; what the object says of them is not written. */
      system->id = before->id;
      replace_string (&system->key, before->key);
      replace_string (&system->trashed, before->trashed);
      replace_string (&system->created, before->created);
      system->risk = before->risk;
      system->role = before->role;
      g_free (system->answers_json);
      system->answers_json = g_strdup (before->answers_json);
      g_free (system->reasoning);
      system->reasoning = g_strdup (before->reasoning);
      g_free (system->classified);
      system->classified = g_strdup (before->classified);
      ok = write_system (store, before, system, "update", error);
      if (ok)
        refresh_owner_names (store, system);
    }

  return kdx_store_finish (store, own, ok, error);
}

static gboolean
set_trashed (KdxStore    *store,
             const char  *uuid,
             gboolean     trashed,
             GError     **error)
{
  g_autoptr(KdxSystem) before = NULL;
  g_autoptr(KdxSystem) after = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  before = kdx_system_load (store, uuid, error);
  if (before == NULL)
    goto out;
  if ((before->trashed != NULL) == trashed)
    {
      ok = TRUE;
      goto out;
    }

  /* A restored system must not share its name with one made meanwhile:
   * validation checks that as for any live system. */
  after = kdx_system_load (store, uuid, error);
  g_clear_pointer (&after->trashed, g_free);
  if (trashed)
    after->trashed = kdx_store_now_iso8601 ();
  ok = write_system (store, before, after, trashed ? "delete" : "restore", error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_system_trash (KdxStore    *store,
                  const char  *uuid,
                  GError     **error)
{
  return set_trashed (store, uuid, TRUE, error);
}

gboolean
kdx_system_restore (KdxStore    *store,
                    const char  *uuid,
                    GError     **error)
{
  return set_trashed (store, uuid, FALSE, error);
}

/* ------------------------------------------------------------------ */
/* Classification                                                      */

gboolean
kdx_system_classify (KdxStore           *store,
                     const char         *uuid,
                     GHashTable         *answers,
                     KdxClassification **result,
                     GError            **error)
{
  g_autoptr(KdxClassification) outcome = NULL;
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  g_autofree char *summary = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);
  g_return_val_if_fail (result == NULL || *result == NULL, FALSE);

  /* Evaluated before anything is touched: a contradiction changes
   * nothing, and its message says what to change. */
  outcome = kdx_classify (answers, error);
  if (outcome == NULL)
    return FALSE;

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  system = kdx_system_load (store, uuid, error);
  if (system == NULL)
    goto out;

  before_json = classification_to_json (system);
  system->risk = outcome->risk;
  system->role = outcome->role;
  g_free (system->answers_json);
  system->answers_json = kdx_answers_to_json (answers);
  g_free (system->reasoning);
  system->reasoning = kdx_classification_dup_reasoning_text (outcome);
  g_free (system->classified);
  system->classified = kdx_store_now_iso8601 ();
  after_json = classification_to_json (system);

  stmt = kdx_store_prepare_cached (store,
                                   "UPDATE ai_system SET risk = ?2, role = ?3, answers = ?4, "
                                   "reasoning = ?5, classified = ?6, modified = ?6 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, system->id);
  kdx_store_bind_text_or_null (stmt, 2, system->risk >= 0 ? kdx_risk_class_to_string (system->risk)
                                                           : NULL);
  kdx_store_bind_text_or_null (stmt, 3, system->role >= 0 ? kdx_ai_act_role_to_string (system->role)
                                                           : NULL);
  kdx_store_bind_text_or_null (stmt, 4, system->answers_json);
  kdx_store_bind_text_or_null (stmt, 5, system->reasoning);
  sqlite3_bind_text (stmt, 6, system->classified, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (store, stmt, error))
    goto out;

  /* The obligations are rows, so that coverage is a join. */
  del = kdx_store_prepare_cached (store, "DELETE FROM system_obligation WHERE system_id = ?1", error);
  if (del == NULL)
    goto out;
  sqlite3_bind_int64 (del, 1, system->id);
  if (!kdx_store_step_done (store, del, error))
    goto out;

  ins = kdx_store_prepare_cached (store, "INSERT OR IGNORE INTO system_obligation (system_id, "
                                  "obligation, catalog, code) VALUES (?1, ?2, ?3, ?4)", error);
  if (ins == NULL)
    goto out;
  for (guint i = 0; outcome->obligations != NULL && i < outcome->obligations->len; i++)
    {
      const KdxObligation *obligation = outcome->obligations->pdata[i];

      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, system->id);
      sqlite3_bind_text (ins, 2, obligation->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 3, obligation->catalog, -1, SQLITE_STATIC);
      sqlite3_bind_text (ins, 4, obligation->requirement, -1, SQLITE_STATIC);
      if (!kdx_store_step_done (store, ins, error))
        goto out;
    }

  summary = g_strdup_printf ("%s %s: %s", system->key, system->name,
                             system->risk >= 0 ? kdx_risk_class_to_string (system->risk)
                                               : "unclassified");
  if (!kdx_journal_append (store, "ai_system", system->uuid, "classify", summary,
                           before_json, after_json, error))
    goto out;

  kdx_store_mark_changed (store, "ai_system", system->id);
  ok = TRUE;

out:
  ok = kdx_store_finish (store, own, ok, error);
  if (ok && result != NULL)
    *result = g_steal_pointer (&outcome);

  return ok;
}

static int
compare_obligations (gconstpointer a,
                     gconstpointer b)
{
  const KdxSystemObligation *x = *(KdxSystemObligation * const *) a;
  const KdxSystemObligation *y = *(KdxSystemObligation * const *) b;
  guint n = 0;
  const KdxObligation *all = kdx_classify_get_obligations (&n);
  guint i = n, j = n;

  for (guint k = 0; k < n; k++)
    {
      if (g_strcmp0 (all[k].id, x->id) == 0)
        i = k;
      if (g_strcmp0 (all[k].id, y->id) == 0)
        j = k;
    }
  if (i != j)
    return i < j ? -1 : 1;

  return g_strcmp0 (x->id, y->id);
}

/* For the title of a requirement that only the catalog knows. */
static gboolean
ui_speaks_german (void)
{
  const char *const *languages = g_get_language_names ();

  return languages[0] != NULL && g_str_has_prefix (languages[0], "de");
}

static const KdxObligation *
find_obligation (const char *id)
{
  guint n = 0;
  const KdxObligation *all = kdx_classify_get_obligations (&n);

  for (guint k = 0; all != NULL && k < n; k++)
    if (g_strcmp0 (all[k].id, id) == 0)
      return &all[k];

  return NULL;
}

/* How far one policy assessment covers what the policy names
 * (KdxCoverage, ordered so that the larger is the better). */
#define COVERAGE_OF_STATUS                                                    \
  "max(CASE ps.status WHEN 'compliant' THEN 2 WHEN 'partial' THEN 1 "         \
  "WHEN 'not-assessed' THEN 1 ELSE 0 END)"
#define APPLIED_POLICIES                                                      \
  "FROM policy_requirement pr "                                               \
  "JOIN policy_system ps ON ps.policy_id = pr.policy_id AND ps.system_id = ?2 " \
  "JOIN policy p ON p.id = pr.policy_id AND p.trashed IS NULL "

typedef struct
{
  gint64 id;
  gint64 parent;
  int    state;
  guint  n_children;
  guint  n_covered;
  guint  n_touched;
} CoverageNode;

/* How far the policies applied to system @system_id cover requirement
 * @requirement_id, by the rules of kdx-mapping.c: a policy covers what it
 * names and everything below it (so the requirement's ancestors count),
 * and a requirement with children is covered when all of them are,
 * partly when some are. */
static int
requirement_coverage (KdxStore  *store,
                      gint64     system_id,
                      gint64     requirement_id,
                      GError   **error)
{
  g_autoptr(KdxCachedStmt) up = NULL;
  g_autoptr(KdxCachedStmt) below = NULL;
  g_autoptr(GArray) nodes = g_array_new (FALSE, TRUE, sizeof (CoverageNode));
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  CoverageNode root = { requirement_id, 0, KDX_COVERAGE_GAP, 0, 0, 0 };
  int rc;

  up = kdx_store_prepare_cached (store,
                                 "WITH RECURSIVE up (id) AS ("
                                 "  SELECT ?1 UNION "
                                 "  SELECT r.parent_id FROM requirement r JOIN up ON r.id = up.id "
                                 "  WHERE r.parent_id IS NOT NULL) "
                                 "SELECT " COVERAGE_OF_STATUS " " APPLIED_POLICIES
                                 "WHERE pr.requirement_id IN (SELECT id FROM up)", error);
  if (up == NULL)
    return -1;
  sqlite3_bind_int64 (up, 1, requirement_id);
  sqlite3_bind_int64 (up, 2, system_id);
  if (sqlite3_step (up) != SQLITE_ROW)
    {
      kdx_store_set_sql_error (store, error);
      return -1;
    }
  root.state = sqlite3_column_type (up, 0) == SQLITE_NULL ? KDX_COVERAGE_GAP
                                                          : sqlite3_column_int (up, 0);
  g_array_append_val (nodes, root);

  /* Everything below, parents before children (document order). */
  below = kdx_store_prepare_cached (store,
                                    "WITH RECURSIVE below (id) AS ("
                                    "  SELECT id FROM requirement WHERE parent_id = ?1 UNION ALL "
                                    "  SELECT c.id FROM requirement c JOIN below ON c.parent_id = below.id) "
                                    "SELECT q.id, q.parent_id, (SELECT " COVERAGE_OF_STATUS " "
                                    APPLIED_POLICIES "WHERE pr.requirement_id = q.id) "
                                    "FROM requirement q WHERE q.id IN (SELECT id FROM below) "
                                    "ORDER BY q.depth, q.position", error);
  if (below == NULL)
    return -1;
  sqlite3_bind_int64 (below, 1, requirement_id);
  sqlite3_bind_int64 (below, 2, system_id);
  while ((rc = sqlite3_step (below)) == SQLITE_ROW)
    {
      CoverageNode node = { 0 };

      node.id = sqlite3_column_int64 (below, 0);
      node.parent = sqlite3_column_int64 (below, 1);
      node.state = sqlite3_column_type (below, 2) == SQLITE_NULL ? KDX_COVERAGE_GAP
                                                                  : sqlite3_column_int (below, 2);
      g_array_append_val (nodes, node);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return -1;
    }

  /* Down: what covers a parent covers its children. */
  for (guint i = 0; i < nodes->len; i++)
    {
      CoverageNode *node = &g_array_index (nodes, CoverageNode, i);
      CoverageNode *parent = NULL;

      g_hash_table_insert (index, &node->id, GUINT_TO_POINTER (i));
      if (i > 0)
        {
          gpointer p;

          if (g_hash_table_lookup_extended (index, &node->parent, NULL, &p))
            parent = &g_array_index (nodes, CoverageNode, GPOINTER_TO_UINT (p));
          if (parent != NULL)
            {
              node->state = MAX (node->state, parent->state);
              parent->n_children++;
            }
        }
    }

  /* Up: a parent is covered when all its children are. */
  for (guint i = nodes->len; i-- > 0;)
    {
      CoverageNode *node = &g_array_index (nodes, CoverageNode, i);
      gpointer p;

      if (node->n_children > 0)
        {
          int from_children = node->n_covered == node->n_children ? KDX_COVERAGE_COVERED
                              : node->n_touched > 0 ? KDX_COVERAGE_PARTLY : KDX_COVERAGE_GAP;

          node->state = MAX (node->state, from_children);
        }
      if (i > 0 && g_hash_table_lookup_extended (index, &node->parent, NULL, &p))
        {
          CoverageNode *parent = &g_array_index (nodes, CoverageNode, GPOINTER_TO_UINT (p));

          parent->n_covered += node->state == KDX_COVERAGE_COVERED;
          parent->n_touched += node->state != KDX_COVERAGE_GAP;
        }
    }

  return CLAMP (g_array_index (nodes, CoverageNode, 0).state, KDX_COVERAGE_GAP,
                KDX_COVERAGE_COVERED);
}

GPtrArray *
kdx_system_list_obligations (KdxStore    *store,
                             const char  *uuid,
                             GError     **error)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) requirement_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean german = ui_speaks_german ();
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  system = kdx_system_load (store, uuid, error);
  if (system == NULL)
    return NULL;

  /* An obligation whose catalog or requirement is not in the workspace
   * stays, as a gap. */
  stmt = kdx_store_prepare (store,
                            "SELECT o.obligation, o.catalog, o.code, r.uuid, r.label, r.title_en, "
                            "r.title_de, r.id "
                            "FROM system_obligation o "
                            "LEFT JOIN catalog k ON k.key = o.catalog "
                            "LEFT JOIN requirement r ON r.catalog_id = k.id AND r.code = o.code "
                            "WHERE o.system_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, system->id);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_obligation_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KdxSystemObligation *row = g_new0 (KdxSystemObligation, 1);
      const KdxObligation *known;
      const char *title_en = (const char *) sqlite3_column_text (stmt, 5);
      const char *title_de = (const char *) sqlite3_column_text (stmt, 6);
      gint64 requirement_id = sqlite3_column_int64 (stmt, 7);

      row->id = kdx_store_column_text (stmt, 0);
      row->catalog = kdx_store_column_text (stmt, 1);
      row->requirement = kdx_store_column_text (stmt, 3);
      row->coverage = KDX_COVERAGE_GAP;
      known = find_obligation (row->id);
      if (known != NULL)
        {
          row->reference = g_strdup (known->reference);
          row->title = g_strdup (kdx_obligation_get_title (known));
        }
      else
        {
          /* An obligation this Kodex does not know (a newer one wrote
           * it): the catalog says what it is. */
          row->reference = sqlite3_column_type (stmt, 4) != SQLITE_NULL
                           ? kdx_store_column_text (stmt, 4) : kdx_store_column_text (stmt, 2);
          row->title = g_strdup (german && title_de ? title_de
                                 : title_en ? title_en : row->reference);
        }
      g_ptr_array_add (rows, row);
      g_array_append_val (requirement_ids, requirement_id);
    }
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (store, error);
      return NULL;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      KdxSystemObligation *row = rows->pdata[i];
      gint64 requirement_id = g_array_index (requirement_ids, gint64, i);

      if (row->requirement == NULL)
        continue;
      row->coverage = requirement_coverage (store, system->id, requirement_id, error);
      if (row->coverage < 0)
        return NULL;
    }
  g_ptr_array_sort (rows, compare_obligations);

  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------ */
/* Oversight and responsibilities                                      */

static GPtrArray *
list_people (KdxStore    *store,
             const char  *uuid,
             const char  *sql,
             gboolean     raci,
             GError     **error)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(KdxCachedStmt) stmt = NULL;
  GPtrArray *people;

  system = kdx_system_load (store, uuid, error);
  if (system == NULL)
    return NULL;
  stmt = kdx_store_prepare_cached (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, system->id);

  people = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_person_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      KdxSystemPerson *person = g_new0 (KdxSystemPerson, 1);

      person->person = kdx_store_column_text (stmt, 0);
      person->name = kdx_store_column_text (stmt, 1);
      person->department = kdx_store_column_text (stmt, 2);
      person->role = raci ? MAX (kdx_raci_role_from_string ((const char *) sqlite3_column_text (stmt, 3)), 0)
                          : KDX_RACI_RESPONSIBLE;
      g_ptr_array_add (people, person);
    }

  return people;
}

GPtrArray *
kdx_system_list_overseers (KdxStore    *store,
                           const char  *uuid,
                           GError     **error)
{
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return list_people (store, uuid,
                      "SELECT p.uuid, p.name, p.department FROM system_overseer o "
                      "JOIN person p ON p.id = o.person_id WHERE o.system_id = ?1 "
                      "ORDER BY p.sort_key, p.id", FALSE, error);
}

GPtrArray *
kdx_system_list_raci (KdxStore    *store,
                      const char  *uuid,
                      GError     **error)
{
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return list_people (store, uuid,
                      "SELECT p.uuid, p.name, p.department, r.role FROM system_raci r "
                      "JOIN person p ON p.id = r.person_id WHERE r.system_id = ?1 "
                      "ORDER BY CASE r.role WHEN 'R' THEN 0 WHEN 'A' THEN 1 WHEN 'C' THEN 2 "
                      "ELSE 3 END, p.sort_key, p.id", TRUE, error);
}

/* A list of people for the journal: [{"person": uuid, "role": "A"}, …] in
 * the order they are listed, so that equal lists give equal text. */
static char *
people_to_json (GPtrArray *people,
                gboolean   raci)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < people->len; i++)
    {
      KdxSystemPerson *person = people->pdata[i];

      json_builder_begin_object (b);
      add_member (b, "person", person->person);
      add_member (b, "name", person->name);
      if (raci)
        add_member (b, "role", raci_ids[person->role]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  return builder_to_string (b);
}

/* Journals a replaced list of people and marks the system changed. */
static gboolean
journal_people (KdxStore    *store,
                KdxSystem   *system,
                const char  *action,
                const char  *before_json,
                GError     **error)
{
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *after_json = NULL;
  g_autofree char *summary = NULL;
  gboolean raci = g_str_equal (action, "set-raci");

  after = raci ? kdx_system_list_raci (store, system->uuid, error)
               : kdx_system_list_overseers (store, system->uuid, error);
  if (after == NULL)
    return FALSE;
  after_json = people_to_json (after, raci);
  if (g_strcmp0 (before_json, after_json) == 0)
    return TRUE;

  summary = g_strdup_printf ("%s %s", system->key, system->name);
  if (!kdx_journal_append (store, "ai_system", system->uuid, action, summary,
                           before_json, after_json, error))
    return FALSE;
  kdx_store_mark_changed (store, "ai_system", system->id);

  return TRUE;
}

gboolean
kdx_system_set_overseers (KdxStore           *store,
                          const char         *uuid,
                          const char *const  *person_uuids,
                          GError            **error)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;
  g_autofree char *before_json = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  system = kdx_system_load (store, uuid, error);
  if (system == NULL)
    goto out;

  /* Every person is checked before anything is written. Naming someone
   * twice is harmless: they oversee once. */
  for (guint i = 0; person_uuids != NULL && person_uuids[i] != NULL; i++)
    {
      gint64 id;

      if (!person_id (store, person_uuids[i], &id, error))
        goto out;
      g_array_append_val (ids, id);
    }

  before = kdx_system_list_overseers (store, uuid, error);
  if (before == NULL)
    goto out;
  before_json = people_to_json (before, FALSE);

  del = kdx_store_prepare_cached (store, "DELETE FROM system_overseer WHERE system_id = ?1", error);
  if (del == NULL)
    goto out;
  sqlite3_bind_int64 (del, 1, system->id);
  if (!kdx_store_step_done (store, del, error))
    goto out;
  ins = kdx_store_prepare_cached (store, "INSERT OR IGNORE INTO system_overseer (system_id, "
                                  "person_id) VALUES (?1, ?2)", error);
  if (ins == NULL)
    goto out;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, system->id);
      sqlite3_bind_int64 (ins, 2, g_array_index (ids, gint64, i));
      if (!kdx_store_step_done (store, ins, error))
        goto out;
    }

  ok = journal_people (store, system, "set-overseers", before_json, error);
  /* New overseers get the training that the overseers rules ask for. */
  if (ok)
    ok = kdx_training_apply_overseers (store, error);

out:
  return kdx_store_finish (store, own, ok, error);
}

gboolean
kdx_system_set_raci (KdxStore    *store,
                     const char  *uuid,
                     GPtrArray   *entries,
                     GError     **error)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(KdxCachedStmt) del = NULL;
  g_autoptr(KdxCachedStmt) ins = NULL;
  g_autofree char *before_json = NULL;
  guint n_entries = entries ? entries->len : 0;
  guint accountable = 0;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!kdx_store_begin_if_needed (store, &own, error))
    return FALSE;

  system = kdx_system_load (store, uuid, error);
  if (system == NULL)
    goto out;

  for (guint i = 0; i < n_entries; i++)
    {
      KdxSystemPerson *entry = entries->pdata[i];
      gint64 id;

      if (entry == NULL || entry->person == NULL || (guint) entry->role >= KDX_RACI_N_ROLES)
        {
          g_set_error_literal (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                               _("Each row of the RACI matrix needs a person and one of the "
                                 "roles R, A, C or I"));
          goto out;
        }
      if (!person_id (store, entry->person, &id, error))
        goto out;
      for (guint j = 0; j < ids->len; j++)
        if (g_array_index (ids, gint64, j) == id)
          {
            g_autoptr(KdxPerson) person = kdx_person_load (store, entry->person, NULL);

            g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_RACI,
                         _("%s appears twice in the RACI matrix of “%s”: give each person "
                           "one role"),
                         person ? kdx_person_get_name (person) : entry->person, system->name);
            goto out;
          }
      g_array_append_val (ids, id);
      if (entry->role == KDX_RACI_ACCOUNTABLE)
        accountable++;
    }

  /* One person answers for the system; an empty matrix means nobody has
   * been assigned yet, which the register shows as such. */
  if (n_entries > 0 && accountable != 1)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_RACI,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Name exactly one person as Accountable for “%s”; now there is %u.",
                                "Name exactly one person as Accountable for “%s”; now there are %u.",
                                accountable),
                   system->name, accountable);
      goto out;
    }

  before = kdx_system_list_raci (store, uuid, error);
  if (before == NULL)
    goto out;
  before_json = people_to_json (before, TRUE);

  del = kdx_store_prepare_cached (store, "DELETE FROM system_raci WHERE system_id = ?1", error);
  if (del == NULL)
    goto out;
  sqlite3_bind_int64 (del, 1, system->id);
  if (!kdx_store_step_done (store, del, error))
    goto out;
  ins = kdx_store_prepare_cached (store, "INSERT INTO system_raci (system_id, person_id, role) "
                                  "VALUES (?1, ?2, ?3)", error);
  if (ins == NULL)
    goto out;
  for (guint i = 0; i < n_entries; i++)
    {
      KdxSystemPerson *entry = entries->pdata[i];

      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, system->id);
      sqlite3_bind_int64 (ins, 2, g_array_index (ids, gint64, i));
      sqlite3_bind_text (ins, 3, raci_ids[entry->role], -1, SQLITE_STATIC);
      if (!kdx_store_step_done (store, ins, error))
        goto out;
    }

  ok = journal_people (store, system, "set-raci", before_json, error);

out:
  return kdx_store_finish (store, own, ok, error);
}

/* ------------------------------------------------------------------ */
/* From the use-case library                                           */

/* Applies the policies made from the use case's templates to @system,
 * not yet assessed; each new link is journaled. */
static gboolean
map_suggested_policies (KdxStore          *store,
                        KdxSystem         *system,
                        const KdxUseCase  *use_case,
                        GError           **error)
{
  g_autoptr(KdxCachedStmt) ins = NULL;

  ins = kdx_store_prepare_cached (store, "INSERT OR IGNORE INTO policy_system (policy_id, "
                                  "system_id, status) SELECT id, ?2, 'not-assessed' FROM policy "
                                  "WHERE uuid = ?1", error);
  if (ins == NULL)
    return FALSE;

  for (guint i = 0; use_case->policies != NULL && use_case->policies[i] != NULL; i++)
    {
      g_autofree char *policy_uuid = kdx_policy_find_by_template (store, use_case->policies[i]);
      g_autoptr(KdxPolicy) policy = NULL;
      g_autoptr(JsonBuilder) b = NULL;
      g_autofree char *json = NULL;
      g_autofree char *summary = NULL;

      if (policy_uuid == NULL)
        continue;
      sqlite3_reset (ins);
      sqlite3_bind_text (ins, 1, policy_uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (ins, 2, system->id);
      if (!kdx_store_step_done (store, ins, error))
        return FALSE;
      if (sqlite3_changes (kdx_store_get_db (store)) == 0)
        continue;

      policy = kdx_policy_load (store, policy_uuid, error);
      if (policy == NULL)
        return FALSE;
      b = json_builder_new ();
      json_builder_begin_object (b);
      add_member (b, "system", system->uuid);
      add_member (b, "policy", policy_uuid);
      add_member (b, "status", "not-assessed");
      json_builder_end_object (b);
      json = builder_to_string (b);
      summary = g_strdup_printf ("%s → %s", kdx_policy_get_key (policy), system->key);
      if (!kdx_journal_append (store, "ai_system", system->uuid, "map-policy", summary,
                               NULL, json, error))
        return FALSE;
      kdx_store_mark_changed (store, "policy", 0);
    }

  return TRUE;
}

KdxSystem *
kdx_system_create_from_use_case (KdxStore    *store,
                                 const char  *name,
                                 const char  *use_case_id,
                                 GError     **error)
{
  const KdxUseCase *use_case;
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GHashTable) answers = NULL;
  gboolean own;
  gboolean ok = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  use_case = use_case_id ? kdx_use_case_lookup (use_case_id) : NULL;
  if (use_case == NULL)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID,
                   _("Unknown use case “%s”: see kodex-cli system use-cases"),
                   use_case_id ? use_case_id : "");
      return NULL;
    }

  system = kdx_system_new ();
  kdx_system_set_name (system, name);
  kdx_system_set_use_case (system, use_case->id);
  kdx_system_set_description (system, kdx_use_case_get_description (use_case));
  kdx_system_set_data_categories (system, (const char * const *) use_case->data_categories);
  system->legal_basis = kdx_legal_basis_from_string (use_case->legal_basis);
  system->consent = kdx_consent_from_string (use_case->consent);
  system->oversight = kdx_oversight_mode_from_string (use_case->oversight);
  /* Special categories, emotions and biometrics call for an assessment
   * (GDPR Art. 35); the committee records when it is done. */
  system->dpia_status = KDX_DPIA_NOT_STARTED;

  if (!kdx_store_begin_if_needed (store, &own, error))
    return NULL;

  if (!kdx_system_create (store, system, error))
    goto out;
  answers = kdx_use_case_dup_answers (use_case);
  if (!kdx_system_classify (store, system->uuid, answers, NULL, error))
    goto out;
  if (!map_suggested_policies (store, system, use_case, error))
    goto out;
  ok = TRUE;

out:
  if (!kdx_store_finish (store, own, ok, error))
    return NULL;

  return kdx_system_load (store, system->uuid, error);
}

/* ------------------------------------------------------------------ */
/* The customer transparency notice                                    */

/* "a", "a and b", "a, b and c" */
static void
append_list (GString     *out,
             GPtrArray   *items,
             const char  *and)
{
  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0 && i == items->len - 1)
        g_string_append_printf (out, " %s ", and);
      else if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, items->pdata[i]);
    }
}

/* Whether the system talks to people (Art. 50(1)) or recognises emotions
 * (Art. 50(3)): what the customer notice must say. The question ids are
 * the stable ones of kdx-classify.c. */
static gboolean
answered_yes (KdxSystem  *system,
              const char *question_id)
{
  g_autoptr(GHashTable) answers = kdx_system_dup_answers (system);

  return kdx_answers_get (answers, question_id) == KDX_ANSWER_YES;
}

static gboolean
recognises_emotions (KdxSystem *system)
{
  return g_strv_contains ((const char * const *) system->data_categories, "emotion") ||
         answered_yes (system, "h-emotion-recognition") ||
         answered_yes (system, "p-emotion-workplace");
}

char *
kdx_system_generate_notice (KdxStore   *store,
                            KdxSystem  *system,
                            const char *language)
{
  const KdxUseCase *use_case;
  g_autofree char *organisation = NULL;
  g_autoptr(GPtrArray) data = g_ptr_array_new ();
  GString *out = g_string_new (NULL);
  const char *purpose = NULL;
  gboolean de = is_german (language);
  gboolean rights_said = FALSE;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (KDX_IS_SYSTEM (system), NULL);

  organisation = kdx_store_dup_setting (store, "organisation");
  if (organisation != NULL)
    g_strstrip (organisation);
  if (organisation != NULL && *organisation == '\0')
    g_clear_pointer (&organisation, g_free);

  use_case = system->use_case ? kdx_use_case_lookup (system->use_case) : NULL;
  if (use_case != NULL)
    purpose = kdx_use_case_get_purpose (use_case, de ? "de" : "en");

  /* That AI is used, which system, and for what. The library's purposes
   * read on from here: "um Anfragen … zu ordnen", "to rank enquiries …". */
  if (de)
    {
      if (organisation)
        g_string_append_printf (out, "Wir bei %s setzen künstliche Intelligenz (KI) ein: ",
                                organisation);
      else
        g_string_append (out, "Wir setzen künstliche Intelligenz (KI) ein: ");
      g_string_append_printf (out, "Wir nutzen das KI-System „%s“", system->name);
      if (system->vendor)
        g_string_append_printf (out, " von %s", system->vendor);
      if (purpose)
        g_string_append_printf (out, ", %s.", purpose);
      else
        g_string_append (out, ".");
      if (purpose == NULL && system->description)
        g_string_append_printf (out, "\n\nWozu wir es nutzen: %s", system->description);
    }
  else
    {
      if (organisation)
        g_string_append_printf (out, "At %s, we work with artificial intelligence (AI): ",
                                organisation);
      else
        g_string_append (out, "We work with artificial intelligence (AI): ");
      g_string_append_printf (out, "we use the AI system “%s”", system->name);
      if (system->vendor)
        g_string_append_printf (out, " from %s", system->vendor);
      if (purpose)
        g_string_append_printf (out, " %s.", purpose);
      else
        g_string_append (out, ".");
      if (purpose == NULL && system->description)
        g_string_append_printf (out, "\n\nWhat we use it for: %s", system->description);
    }

  /* Art. 50(1) and (3): said plainly, near the top. */
  if (answered_yes (system, "t-interacts"))
    g_string_append_printf (out, de
                            ? "\n\nBitte beachten Sie: Wenn Sie mit „%s“ schreiben oder sprechen, "
                              "unterhalten Sie sich mit einer KI, nicht mit einem Menschen."
                            : "\n\nPlease note: when you write or talk to “%s”, you are talking "
                              "to an AI, not to a person.",
                            system->name);
  if (recognises_emotions (system))
    g_string_append (out, de
                     ? "\n\nDas System erkennt auch Emotionen: Es schätzt zum Beispiel aus "
                       "Ihrer Stimme oder Ihren Worten ein, wie Sie sich fühlen. Darauf weisen "
                       "wir Sie ausdrücklich hin, wie es die KI-Verordnung der EU verlangt "
                       "(Art. 50 Abs. 3)."
                     : "\n\nThe system also recognises emotions: for example, it estimates "
                       "from your voice or your words how you are feeling. We tell you this "
                       "openly, as the EU AI Act requires (Art. 50(3)).");

  /* Which data, and on what legal basis. */
  for (guint i = 0; system->data_categories[i] != NULL; i++)
    {
      const KdxDataCategory *category = kdx_data_category_lookup (system->data_categories[i]);

      if (category != NULL)
        g_ptr_array_add (data, (gpointer) (de ? category->notice_de : category->notice_en));
    }
  if (data->len > 0 || system->legal_basis >= 0)
    g_string_append (out, "\n\n");
  if (data->len > 0)
    {
      g_string_append (out, de ? "Dafür verarbeitet das System " : "To do this, the system uses ");
      append_list (out, data, de ? "und" : "and");
      g_string_append (out, ".");
      if (system->legal_basis >= 0)
        g_string_append_c (out, ' ');
    }
  switch (system->legal_basis)
    {
    case KDX_LEGAL_BASIS_CONSENT:
      g_string_append (out, de ? "Das tun wir nur mit Ihrer Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)."
                               : "We only do this with your consent (Art. 6(1)(a) GDPR).");
      break;
    case KDX_LEGAL_BASIS_CONTRACT:
      g_string_append (out, de ? "Das ist nötig, um unseren Vertrag mit Ihnen zu erfüllen oder "
                                 "vorzubereiten (Art. 6 Abs. 1 lit. b DSGVO)."
                               : "We need this to prepare or fulfil our contract with you "
                                 "(Art. 6(1)(b) GDPR).");
      break;
    case KDX_LEGAL_BASIS_LEGAL_OBLIGATION:
      g_string_append (out, de ? "Dazu sind wir gesetzlich verpflichtet (Art. 6 Abs. 1 lit. c DSGVO)."
                               : "The law requires us to do this (Art. 6(1)(c) GDPR).");
      break;
    case KDX_LEGAL_BASIS_VITAL_INTERESTS:
      g_string_append (out, de ? "Das tun wir, um Leben oder Gesundheit eines Menschen zu schützen "
                                 "(Art. 6 Abs. 1 lit. d DSGVO)."
                               : "We do this to protect someone's life or health "
                                 "(Art. 6(1)(d) GDPR).");
      break;
    case KDX_LEGAL_BASIS_PUBLIC_TASK:
      g_string_append (out, de ? "Das tun wir, um eine Aufgabe im öffentlichen Interesse zu "
                                 "erfüllen (Art. 6 Abs. 1 lit. e DSGVO)."
                               : "We do this to carry out a task in the public interest "
                                 "(Art. 6(1)(e) GDPR).");
      break;
    case KDX_LEGAL_BASIS_LEGITIMATE_INTERESTS:
      g_string_append (out, de ? "Das tun wir auf Grundlage unseres berechtigten Interesses, das "
                                 "wir sorgfältig gegen Ihre Interessen abgewogen haben "
                                 "(Art. 6 Abs. 1 lit. f DSGVO)."
                               : "We do this on the basis of our legitimate interest, which we "
                                 "have carefully weighed against your interests "
                                 "(Art. 6(1)(f) GDPR).");
      break;
    default:
      break;
    }

  /* How to reach a human. */
  g_string_append (out, "\n\n");
  switch (system->oversight)
    {
    case KDX_OVERSIGHT_IN_THE_LOOP:
      g_string_append (out, de ? "Die KI entscheidet nicht allein: Jedes Ergebnis prüft ein Mensch, "
                                 "bevor es Sie betrifft. "
                               : "The AI does not decide on its own: a person reviews every "
                                 "result before it affects you. ");
      break;
    case KDX_OVERSIGHT_ON_THE_LOOP:
      g_string_append (out, de ? "Unsere Mitarbeiterinnen und Mitarbeiter überwachen das System "
                                 "und können jederzeit eingreifen. "
                               : "Our staff monitor the system and can step in at any time. ");
      break;
    case KDX_OVERSIGHT_IN_COMMAND:
      g_string_append (out, de ? "Menschen entscheiden, wann und wofür wir das System einsetzen. "
                               : "People decide when and for what we use the system. ");
      break;
    default:
      break;
    }
  g_string_append (out, de ? "Wenn Sie möchten, dass sich ein Mensch Ihr Anliegen ansieht, sagen "
                             "Sie es uns einfach – wir kümmern uns persönlich darum."
                           : "If you would like a person to look at your case, just tell us "
                             "and we will take care of it personally.");

  /* How to object. */
  g_string_append (out, "\n\n");
  if (system->consent == KDX_CONSENT_OPT_IN || system->legal_basis == KDX_LEGAL_BASIS_CONSENT)
    {
      g_string_append (out, de ? "Sie können Ihre Einwilligung jederzeit ohne Angabe von Gründen "
                                 "widerrufen; was bis dahin geschehen ist, bleibt davon unberührt. "
                               : "You can withdraw your consent at any time without giving "
                                 "reasons; this does not affect what was done before. ");
      rights_said = TRUE;
    }
  if (system->consent == KDX_CONSENT_OPT_OUT ||
      system->legal_basis == KDX_LEGAL_BASIS_LEGITIMATE_INTERESTS)
    {
      g_string_append (out, de ? "Sie können dieser Verarbeitung Ihrer Daten jederzeit "
                                 "widersprechen (Art. 21 DSGVO); eine kurze Nachricht an uns "
                                 "genügt. "
                               : "You can object to this use of your data at any time "
                                 "(Art. 21 GDPR); a short message to us is enough. ");
      rights_said = TRUE;
    }
  if (!rights_said)
    g_string_append (out, de ? "Wenn Sie mit einem Ergebnis nicht einverstanden sind, können Sie "
                               "uns jederzeit bitten, es noch einmal zu prüfen. "
                             : "If you disagree with a result, you can ask us at any time to "
                               "look at it again. ");
  g_string_append (out, de ? "Außerdem können Sie Auskunft über Ihre Daten verlangen, sie "
                             "berichtigen oder löschen lassen und sich bei einer "
                             "Datenschutz-Aufsichtsbehörde beschweren."
                           : "You can also ask what data we hold about you, have it corrected "
                             "or deleted, and complain to a data protection authority.");

  /* Whom to ask. */
  g_string_append (out, "\n\n");
  if (system->business_owner_name != NULL && organisation != NULL)
    g_string_append_printf (out, de ? "Haben Sie Fragen? Ihre Ansprechperson bei %s ist %s."
                                    : "Any questions? Your contact at %s is %s.",
                            organisation, system->business_owner_name);
  else if (system->business_owner_name != NULL)
    g_string_append_printf (out, de ? "Haben Sie Fragen? Ihre Ansprechperson ist %s."
                                    : "Any questions? Your contact is %s.",
                            system->business_owner_name);
  else
    g_string_append (out, de ? "Haben Sie Fragen? Sprechen Sie uns gern an."
                             : "Any questions? Please get in touch with us.");

  return g_string_free (out, FALSE);
}

char *
kdx_system_dup_notice (KdxStore   *store,
                       KdxSystem  *system,
                       const char *language)
{
  const char *edited;

  g_return_val_if_fail (KDX_IS_SYSTEM (system), NULL);

  edited = kdx_system_get_notice (system, language);
  if (edited != NULL)
    return g_strdup (edited);

  return kdx_system_generate_notice (store, system, language);
}

/* Only a plain language tag goes into the lang attribute. */
static const char *
html_language (const char *language)
{
  if (language == NULL || *language == '\0' || strlen (language) > 35)
    return "en";
  for (const char *p = language; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return "en";

  return language;
}

static void
append_escaped (GString    *out,
                const char *text,
                gssize      length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (out, escaped);
}

/* CR LF and lone CR become LF, in place. */
static void
normalise_line_ends (char *text)
{
  char *out = text;

  for (const char *in = text; *in; in++)
    {
      if (*in == '\r')
        {
          *out++ = '\n';
          if (in[1] == '\n')
            in++;
        }
      else
        *out++ = *in;
    }
  *out = '\0';
}

char *
kdx_notice_to_html (const char *notice,
                    const char *title,
                    const char *language)
{
  g_autofree char *valid_notice = NULL;
  g_autofree char *valid_title = NULL;
  g_autofree char *lang = NULL;
  g_auto(GStrv) paragraphs = NULL;
  GString *out = g_string_new (NULL);

  /* Whatever comes in is text: made valid UTF-8, then escaped. */
  valid_notice = g_utf8_make_valid (notice ? notice : "", -1);
  valid_title = g_utf8_make_valid (title ? title : "", -1);
  lang = g_ascii_strdown (html_language (language), -1);

  g_string_append_printf (out,
                          "<!DOCTYPE html>\n"
                          "<html lang=\"%s\">\n"
                          "<head>\n"
                          "<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                          "<title>", lang);
  append_escaped (out, valid_title, -1);
  g_string_append (out,
                   "</title>\n"
                   "<style>\n"
                   "body { font-family: system-ui, -apple-system, \"Segoe UI\", sans-serif;"
                   " line-height: 1.55; color: #1e1e1e; background: #fff;"
                   " max-width: 42em; margin: 2em auto; padding: 0 1em; }\n"
                   "h1 { font-size: 1.5em; line-height: 1.25; margin: 0 0 1em; }\n"
                   "p { margin: 0 0 1em; }\n"
                   "</style>\n"
                   "</head>\n"
                   "<body>\n");
  if (*valid_title != '\0')
    {
      g_string_append (out, "<h1>");
      append_escaped (out, valid_title, -1);
      g_string_append (out, "</h1>\n");
    }

  /* Paragraphs at blank lines; a single line end stays a line end,
   * whichever convention the text was typed in. */
  normalise_line_ends (valid_notice);
  paragraphs = g_regex_split_simple ("\n[ \t]*\n", valid_notice, 0, 0);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_auto(GStrv) lines = NULL;
      char *paragraph = g_strstrip (paragraphs[i]);

      if (*paragraph == '\0')
        continue;
      lines = g_strsplit (paragraph, "\n", -1);
      g_string_append (out, "<p>");
      for (guint j = 0; lines[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append (out, "<br>\n");
          append_escaped (out, g_strstrip (lines[j]), -1);
        }
      g_string_append (out, "</p>\n");
    }

  g_string_append (out, "</body>\n</html>\n");

  return g_string_free (out, FALSE);
}
