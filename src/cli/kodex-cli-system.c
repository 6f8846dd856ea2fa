/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kodex-cli system list|show|use-cases|add|notice, classify, catalog
 * import|list and coverage: the register of AI systems, their EU AI Act
 * classification, the catalogs and the coverage of their requirements,
 * for scripts and for an auditor who asks for a list.
 */
#define G_LOG_DOMAIN "kodex-cli"

#include "config.h"

#include "kodex-cli.h"

#include "kdx-catalog.h"
#include "kdx-classify.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-system.h"
#include "kdx-usecase.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* JSON                                                               */

/* The stable identifier of an enumerated value, or NULL for "none" (-1). */
static const char *
risk_id (int risk)
{
  return risk >= 0 && risk < KDX_RISK_N_CLASSES ? kdx_risk_class_to_string (risk) : NULL;
}

static const char *
risk_label (int risk)
{
  return risk >= 0 && risk < KDX_RISK_N_CLASSES ? kdx_risk_class_get_label (risk)
                                                 : _("Not classified");
}

static const char *
role_id (int role)
{
  return role >= 0 && role < KDX_ROLE_N_ROLES ? kdx_ai_act_role_to_string (role) : NULL;
}

static const char *
compliance_id (int status)
{
  return status >= 0 && status < KDX_COMPLIANCE_N_STATES ? kdx_compliance_to_string (status)
                                                         : NULL;
}

static const char *
compliance_label (int status)
{
  return status >= 0 && status < KDX_COMPLIANCE_N_STATES ? kdx_compliance_get_label (status)
                                                         : _("No policy applied");
}

static const char *
coverage_id (int coverage)
{
  return coverage >= 0 && coverage < KDX_COVERAGE_N_STATES ? kdx_coverage_to_string (coverage)
                                                           : NULL;
}

static const char *
coverage_label (int coverage)
{
  return coverage >= 0 && coverage < KDX_COVERAGE_N_STATES ? kdx_coverage_get_label (coverage)
                                                           : "—";
}

static const char *
use_case_name (const char *id)
{
  const KdxUseCase *use_case = id ? kdx_use_case_lookup (id) : NULL;

  return use_case ? kdx_use_case_get_name (use_case) : id;
}

static void
system_summary_to_json (JsonBuilder *b,
                        KdxSystem   *s)
{
  kdx_cli_json_string (b, "key", kdx_system_get_key (s));
  kdx_cli_json_string (b, "uuid", kdx_system_get_uuid (s));
  kdx_cli_json_string (b, "name", kdx_system_get_name (s));
  kdx_cli_json_string (b, "vendor", kdx_system_get_vendor (s));
  kdx_cli_json_string (b, "version", kdx_system_get_version (s));
  kdx_cli_json_string (b, "use_case", kdx_system_get_use_case (s));
  kdx_cli_json_string (b, "department", kdx_system_get_department (s));
  kdx_cli_json_string (b, "lifecycle", kdx_lifecycle_to_string (kdx_system_get_lifecycle (s)));
  kdx_cli_json_string (b, "risk", risk_id (kdx_system_get_risk (s)));
  kdx_cli_json_string (b, "role", role_id (kdx_system_get_role (s)));
  kdx_cli_json_string (b, "business_owner", kdx_system_get_business_owner (s));
  kdx_cli_json_string (b, "business_owner_name", kdx_system_get_business_owner_name (s));
  kdx_cli_json_string (b, "technical_owner", kdx_system_get_technical_owner (s));
  kdx_cli_json_string (b, "technical_owner_name", kdx_system_get_technical_owner_name (s));
  kdx_cli_json_string (b, "compliance", compliance_id (kdx_system_get_compliance (s)));
  kdx_cli_json_int (b, "policies", kdx_system_get_n_policies (s));
}

/* ------------------------------------------------------------------ */
/* Finding things                                                     */

static KdxStore *
open_read_only (const char  *path,
                GError     **error)
{
  return kdx_store_open (path, KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, error);
}

/* By uuid or key; "sys-007" is SYS-007, as policy keys are found. */
static KdxSystem *
find_system (KdxStore    *store,
             const char  *what,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *upper = NULL;
  KdxSystem *system = kdx_system_load (store, what, &local);

  if (system != NULL)
    return system;

  upper = g_ascii_strup (what, -1);
  if (g_error_matches (local, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_NOT_FOUND) &&
      !g_str_equal (upper, what) && (system = kdx_system_load (store, upper, NULL)) != NULL)
    return system;

  if (g_error_matches (local, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_NOT_FOUND))
    g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_NOT_FOUND,
                 _("There is no AI system “%s” in this workspace; “kodex-cli system list” "
                   "lists them"), what);
  else
    g_propagate_error (error, g_steal_pointer (&local));

  return NULL;
}

static char *
list_use_case_ids (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint n = 0;
  const KdxUseCase *all = kdx_use_case_get_all (&n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ids, (gpointer) all[i].id);
  g_ptr_array_add (ids, NULL);

  return g_strjoinv (", ", (char **) ids->pdata);
}

static int
unknown_use_case (GOptionContext *context,
                  const char     *id)
{
  g_autofree char *ids = list_use_case_ids ();
  g_autofree char *message = g_strdup_printf (_("there is no use case “%s”; use one of: %s"),
                                              id, ids);

  return kdx_cli_usage_error (context, message);
}

/* ------------------------------------------------------------------ */
/* kodex-cli system list FILE                                          */

static int
system_list (int argc, char **argv)
{
  g_autofree char *risk = NULL;
  g_autofree char *lifecycle = NULL;
  g_autofree char *use_case = NULL;
  g_autofree char *department = NULL;
  g_autofree char *owner = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "risk", 0, 0, G_OPTION_ARG_STRING, &risk,
      N_("Only systems of this risk class: prohibited, high, limited, minimal or unclassified"),
      N_("RISK") },
    { "lifecycle", 0, 0, G_OPTION_ARG_STRING, &lifecycle,
      N_("Only systems in this state: planned, pilot, production or retired"), N_("STATE") },
    { "use-case", 0, 0, G_OPTION_ARG_STRING, &use_case,
      N_("Only systems of this use case (see “kodex-cli system use-cases”), or none"), N_("ID") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("Only systems of this department"),
      N_("DEPARTMENT") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner,
      N_("Only systems this person (e-mail or id) owns, as business or technical owner"),
      N_("WHO") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("system list FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GPtrArray) systems = NULL;
  g_autoptr(KdxPerson) person = NULL;
  KdxSystemFilter filter;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                           _("Lists the AI systems of the register, by key."))) >= 0)
    return rc;

  kdx_system_filter_init (&filter);
  if (risk != NULL)
    {
      if (g_str_equal (risk, "unclassified"))
        filter.risk = KDX_RISK_UNCLASSIFIED;
      else if ((filter.risk = kdx_risk_class_from_string (risk)) < 0)
        return kdx_cli_usage_error (context, _("--risk takes prohibited, high, limited, minimal "
                                               "or unclassified"));
    }
  if (lifecycle != NULL && (filter.lifecycle = kdx_lifecycle_from_string (lifecycle)) < 0)
    return kdx_cli_usage_error (context, _("--lifecycle takes planned, pilot, production or "
                                           "retired"));
  if (use_case != NULL)
    {
      if (g_str_equal (use_case, "none"))
        filter.use_case = "";
      else if (kdx_use_case_lookup (use_case) == NULL)
        return unknown_use_case (context, use_case);
      else
        filter.use_case = use_case;
    }
  filter.department = department;

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (owner != NULL)
    {
      person = kdx_person_find (store, owner, &error);
      if (person == NULL)
        return kdx_cli_fail (error);
      filter.owner = kdx_person_get_uuid (person);
    }

  systems = kdx_system_list (store, &filter, &error);
  if (systems == NULL)
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < systems->len; i++)
        {
          json_builder_begin_object (b);
          system_summary_to_json (b, systems->pdata[i]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      kdx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < systems->len; i++)
      {
        KdxSystem *s = systems->pdata[i];

        g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", kdx_system_get_key (s),
                 kdx_cli_or_dash (risk_id (kdx_system_get_risk (s))),
                 kdx_lifecycle_to_string (kdx_system_get_lifecycle (s)),
                 kdx_cli_or_dash (kdx_system_get_use_case (s)),
                 kdx_cli_or_dash (compliance_id (kdx_system_get_compliance (s))),
                 kdx_system_get_name (s));
      }

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* kodex-cli system show FILE SYSTEM                                   */

typedef struct
{
  GPtrArray *overseers;    /* KdxSystemPerson */
  GPtrArray *raci;         /* KdxSystemPerson */
  GPtrArray *policies;     /* KdxMappingRow */
  GPtrArray *obligations;  /* KdxSystemObligation */
} SystemDetails;

static void
system_details_clear (SystemDetails *d)
{
  g_clear_pointer (&d->overseers, g_ptr_array_unref);
  g_clear_pointer (&d->raci, g_ptr_array_unref);
  g_clear_pointer (&d->policies, g_ptr_array_unref);
  g_clear_pointer (&d->obligations, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SystemDetails, system_details_clear)

static gboolean
load_details (KdxStore       *store,
              KdxSystem      *system,
              SystemDetails  *d,
              GError        **error)
{
  const char *uuid = kdx_system_get_uuid (system);

  d->overseers = kdx_system_list_overseers (store, uuid, error);
  d->raci = d->overseers ? kdx_system_list_raci (store, uuid, error) : NULL;
  d->policies = d->raci ? kdx_mapping_list_system_policies (store, uuid, error) : NULL;
  d->obligations = d->policies ? kdx_system_list_obligations (store, uuid, error) : NULL;

  return d->obligations != NULL;
}

static void
obligations_to_json (JsonBuilder *b,
                     GPtrArray   *obligations)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < obligations->len; i++)
    {
      KdxSystemObligation *o = obligations->pdata[i];

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "id", o->id);
      kdx_cli_json_string (b, "reference", o->reference);
      kdx_cli_json_string (b, "title", o->title);
      kdx_cli_json_string (b, "catalog", o->catalog);
      kdx_cli_json_string (b, "requirement", o->requirement);
      kdx_cli_json_string (b, "coverage", coverage_id (o->coverage));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

/* The answers as an object: question id → "yes" or "no". */
static void
answers_to_json (JsonBuilder *b,
                 GHashTable  *answers)
{
  guint n = 0;
  const KdxQuestion *questions = kdx_classify_get_questions (&n);

  json_builder_begin_object (b);
  for (guint i = 0; i < n; i++)
    {
      KdxAnswer answer = kdx_answers_get (answers, questions[i].id);

      if (answer != KDX_ANSWER_UNANSWERED)
        kdx_cli_json_string (b, questions[i].id, answer == KDX_ANSWER_YES ? "yes" : "no");
    }
  json_builder_end_object (b);
}

static void
reasoning_to_json (JsonBuilder *b,
                   const char  *reasoning)
{
  g_auto(GStrv) lines = g_strsplit (reasoning ? reasoning : "", "\n", -1);

  json_builder_begin_array (b);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      json_builder_add_string_value (b, lines[i]);
  json_builder_end_array (b);
}

static void
system_to_json (JsonBuilder   *b,
                KdxSystem     *s,
                SystemDetails *d)
{
  g_autoptr(GHashTable) answers = kdx_system_dup_answers (s);
  GStrv categories = kdx_system_get_data_categories (s);
  int oversight = kdx_system_get_oversight (s);
  int basis = kdx_system_get_legal_basis (s);
  int consent = kdx_system_get_consent (s);

  json_builder_begin_object (b);
  system_summary_to_json (b, s);
  kdx_cli_json_string (b, "description", kdx_system_get_description (s));
  kdx_cli_json_string (b, "created", kdx_system_get_created (s));
  kdx_cli_json_string (b, "modified", kdx_system_get_modified (s));
  kdx_cli_json_string (b, "trashed", kdx_system_get_trashed (s));

  json_builder_set_member_name (b, "classification");
  json_builder_begin_object (b);
  kdx_cli_json_string (b, "risk", risk_id (kdx_system_get_risk (s)));
  kdx_cli_json_string (b, "role", role_id (kdx_system_get_role (s)));
  kdx_cli_json_string (b, "classified", kdx_system_get_classified (s));
  json_builder_set_member_name (b, "answers");
  answers_to_json (b, answers);
  json_builder_set_member_name (b, "reasoning");
  reasoning_to_json (b, kdx_system_get_reasoning (s));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  for (guint i = 0; categories != NULL && categories[i] != NULL; i++)
    json_builder_add_string_value (b, categories[i]);
  json_builder_end_array (b);
  kdx_cli_json_bool (b, "sensitive", kdx_system_has_sensitive_data (s));
  kdx_cli_json_string (b, "legal_basis", basis >= 0 ? kdx_legal_basis_to_string (basis) : NULL);
  kdx_cli_json_string (b, "consent", consent >= 0 ? kdx_consent_to_string (consent) : NULL);
  kdx_cli_json_string (b, "dpia_status", kdx_dpia_status_to_string (kdx_system_get_dpia_status (s)));
  kdx_cli_json_string (b, "dpia_date", kdx_system_get_dpia_date (s));
  kdx_cli_json_string (b, "retention", kdx_system_get_retention (s));
  kdx_cli_json_string (b, "notice_de", kdx_system_get_notice (s, "de"));
  kdx_cli_json_string (b, "notice_en", kdx_system_get_notice (s, "en"));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "oversight");
  json_builder_begin_object (b);
  kdx_cli_json_string (b, "mode", oversight >= 0 ? kdx_oversight_mode_to_string (oversight) : NULL);
  kdx_cli_json_string (b, "explainability", kdx_system_get_explainability (s));
  json_builder_set_member_name (b, "overseers");
  json_builder_begin_array (b);
  for (guint i = 0; i < d->overseers->len; i++)
    {
      KdxSystemPerson *p = d->overseers->pdata[i];

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "person", p->person);
      kdx_cli_json_string (b, "name", p->name);
      kdx_cli_json_string (b, "department", p->department);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "raci");
  json_builder_begin_array (b);
  for (guint i = 0; i < d->raci->len; i++)
    {
      KdxSystemPerson *p = d->raci->pdata[i];

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "person", p->person);
      kdx_cli_json_string (b, "name", p->name);
      kdx_cli_json_string (b, "role", kdx_raci_role_to_string (p->role));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "mapped_policies");
  json_builder_begin_array (b);
  for (guint i = 0; i < d->policies->len; i++)
    {
      KdxMappingRow *row = d->policies->pdata[i];

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "key", row->key);
      kdx_cli_json_string (b, "uuid", row->uuid);
      kdx_cli_json_string (b, "title", row->title);
      kdx_cli_json_string (b, "compliance", compliance_id (row->compliance));
      kdx_cli_json_string (b, "assessor", row->assessor);
      kdx_cli_json_string (b, "assessor_name", row->assessor_name);
      kdx_cli_json_string (b, "date", row->date);
      kdx_cli_json_string (b, "evidence", row->evidence);
      kdx_cli_json_bool (b, "in_effect", row->in_effect);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "obligations");
  obligations_to_json (b, d->obligations);
  json_builder_end_object (b);
}

static guint
label_width (void)
{
  /* Translators: how many characters wide the column of labels in
   * "kodex-cli system show" is: as wide as your longest label there. */
  int width = atoi (C_ ("cli label width", "22"));

  return width > 0 && width < 80 ? (guint) width : 22;
}

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *padded = kdx_cli_pad (label, label_width ());

  g_print ("  %s %s\n", padded, kdx_cli_or_dash (value));
}

static const char *
raci_label_of (int role)
{
  return kdx_raci_role_get_label (role);
}

/* The width of the widest of @n labels. */
static guint
widest (const char *(*get_label) (int),
        int          n)
{
  guint width = 0;

  for (int i = 0; i < n; i++)
    width = MAX (width, (guint) g_utf8_strlen (get_label (i), -1));

  return width;
}

static void
print_heading (const char *heading)
{
  g_print ("\n%s\n", heading);
}

static void
print_obligations (GPtrArray *obligations)
{
  if (obligations->len == 0)
    g_print ("  %s\n", _("None"));
  for (guint i = 0; i < obligations->len; i++)
    {
      KdxSystemObligation *o = obligations->pdata[i];

      g_autofree char *reference = kdx_cli_pad (o->reference, 14);
      g_autofree char *coverage = kdx_cli_pad (coverage_label (o->coverage),
                                               widest (coverage_label, KDX_COVERAGE_N_STATES));

      g_print ("  %s %s %s\n", reference, coverage, o->title);
    }
}

static void
print_reasoning (const char *reasoning)
{
  g_auto(GStrv) lines = g_strsplit (reasoning ? reasoning : "", "\n", -1);
  gboolean any = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        g_print ("  – %s\n", lines[i]);
        any = TRUE;
      }
  if (!any)
    g_print ("  %s\n", _("None yet"));
}

static void
print_system (KdxSystem     *s,
              SystemDetails *d)
{
  GStrv categories = kdx_system_get_data_categories (s);
  g_autoptr(GString) data = g_string_new (NULL);
  int oversight = kdx_system_get_oversight (s);
  int basis = kdx_system_get_legal_basis (s);
  int consent = kdx_system_get_consent (s);
  int role = kdx_system_get_role (s);

  for (guint i = 0; categories != NULL && categories[i] != NULL; i++)
    {
      const KdxDataCategory *category = kdx_data_category_lookup (categories[i]);

      g_string_append_printf (data, "%s%s", i ? ", " : "",
                              category ? kdx_data_category_get_label (category) : categories[i]);
    }

  g_print ("%s · %s\n", kdx_system_get_key (s), kdx_system_get_name (s));
  if (kdx_system_get_trashed (s) != NULL)
    g_print (_("In the trash since %s\n"), kdx_system_get_trashed (s));

  print_heading (_("Overview"));
  print_field (_("Vendor:"), kdx_system_get_vendor (s));
  print_field (_("Version:"), kdx_system_get_version (s));
  print_field (_("Use case:"), use_case_name (kdx_system_get_use_case (s)));
  print_field (_("Department:"), kdx_system_get_department (s));
  print_field (_("Lifecycle:"), kdx_lifecycle_get_label (kdx_system_get_lifecycle (s)));
  print_field (_("Business owner:"), kdx_system_get_business_owner_name (s));
  print_field (_("Technical owner:"), kdx_system_get_technical_owner_name (s));
  print_field (_("Description:"), kdx_system_get_description (s));
  print_field (_("Id:"), kdx_system_get_uuid (s));

  print_heading (_("Classification (EU AI Act)"));
  print_field (_("Risk class:"), risk_label (kdx_system_get_risk (s)));
  print_field (_("Role:"), role >= 0 ? kdx_ai_act_role_get_label (role) : NULL);
  print_field (_("Classified:"), kdx_system_get_classified (s));
  g_print ("  %s\n", _("Reasoning:"));
  print_reasoning (kdx_system_get_reasoning (s));

  print_heading (_("Data & privacy"));
  print_field (_("Data categories:"), data->len ? data->str : NULL);
  print_field (_("Sensitive data:"), kdx_system_has_sensitive_data (s) ? _("yes") : _("no"));
  print_field (_("Legal basis:"), basis >= 0 ? kdx_legal_basis_get_label (basis) : NULL);
  print_field (_("Consent:"), consent >= 0 ? kdx_consent_get_label (consent) : NULL);
  print_field (_("DPIA:"), kdx_dpia_status_get_label (kdx_system_get_dpia_status (s)));
  print_field (_("DPIA date:"), kdx_system_get_dpia_date (s));
  print_field (_("Retention:"), kdx_system_get_retention (s));

  print_heading (_("Oversight & responsibilities"));
  print_field (_("Oversight:"), oversight >= 0 ? kdx_oversight_mode_get_label (oversight) : NULL);
  print_field (_("Explainability:"), kdx_system_get_explainability (s));
  g_print ("  %s\n", _("Overseers:"));
  if (d->overseers->len == 0)
    g_print ("    %s\n", _("None"));
  for (guint i = 0; i < d->overseers->len; i++)
    {
      KdxSystemPerson *p = d->overseers->pdata[i];

      g_print ("    %s (%s)\n", p->name, kdx_cli_or_dash (p->department));
    }
  g_print ("  %s\n", _("RACI:"));
  if (d->raci->len == 0)
    g_print ("    %s\n", _("Nobody assigned yet"));
  for (guint i = 0; i < d->raci->len; i++)
    {
      KdxSystemPerson *p = d->raci->pdata[i];

      g_autofree char *role = kdx_cli_pad (kdx_raci_role_get_label (p->role),
                                           widest (raci_label_of, KDX_RACI_N_ROLES));

      g_print ("    %s  %s %s\n", kdx_raci_role_to_string (p->role), role, p->name);
    }

  print_heading (_("Policies"));
  if (d->policies->len == 0)
    g_print ("  %s\n", _("None applied"));
  for (guint i = 0; i < d->policies->len; i++)
    {
      KdxMappingRow *row = d->policies->pdata[i];

      g_autofree char *key = kdx_cli_pad (row->key, 9);
      g_autofree char *status = kdx_cli_pad (compliance_label (row->compliance),
                                             widest (compliance_label, KDX_COMPLIANCE_N_STATES));

      g_print ("  %s %s %s", key, status, row->title);
      if (row->assessor_name != NULL || row->date != NULL)
        /* Translators: who assessed a policy's compliance and when */
        g_print (_(" (assessed by %s, %s)"), kdx_cli_or_dash (row->assessor_name),
                 kdx_cli_or_dash (row->date));
      g_print ("\n");
      if (row->evidence != NULL)
        g_print ("            %s\n", row->evidence);
    }

  print_heading (_("Obligations"));
  print_obligations (d->obligations);
}

static int
system_show (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("system show FILE SYSTEM"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxSystem) system = NULL;
  g_auto(SystemDetails) details = { 0 };
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Shows one AI system, by key or id: its classification, data, "
                             "oversight, RACI, policies and obligations."))) >= 0)
    return rc;

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  system = find_system (store, argv[3], &error);
  if (system == NULL || !load_details (store, system, &details, &error))
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      system_to_json (b, system, &details);
      kdx_cli_print_json (b);
    }
  else
    print_system (system, &details);

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* kodex-cli system use-cases                                          */

static int
system_use_cases (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("system use-cases"));
  const KdxUseCase *all;
  guint n = 0;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 0,
                           _("Lists the library of sales use cases that “system add --use-case” "
                             "starts from."))) >= 0)
    return rc;

  all = kdx_use_case_get_all (&n);
  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GHashTable) answers = kdx_use_case_dup_answers (&all[i]);

          json_builder_begin_object (b);
          kdx_cli_json_string (b, "id", all[i].id);
          kdx_cli_json_string (b, "name", kdx_use_case_get_name (&all[i]));
          kdx_cli_json_string (b, "description", kdx_use_case_get_description (&all[i]));
          json_builder_set_member_name (b, "data_categories");
          json_builder_begin_array (b);
          for (guint j = 0; all[i].data_categories && all[i].data_categories[j]; j++)
            json_builder_add_string_value (b, all[i].data_categories[j]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "policies");
          json_builder_begin_array (b);
          for (guint j = 0; all[i].policies && all[i].policies[j]; j++)
            json_builder_add_string_value (b, all[i].policies[j]);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "answers");
          answers_to_json (b, answers);
          kdx_cli_json_string (b, "oversight", all[i].oversight);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      kdx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < n; i++)
      g_print ("%s\t%s\n", all[i].id, kdx_use_case_get_name (&all[i]));

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* kodex-cli system add FILE --name NAME                               */

static int
system_add (int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *use_case = NULL;
  g_autofree char *vendor = NULL;
  g_autofree char *department = NULL;
  g_autofree char *as = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the system (required)"), N_("NAME") },
    { "use-case", 0, 0, G_OPTION_ARG_STRING, &use_case,
      N_("Start from this use case of the library: its data, classification answers and "
         "policies (see “kodex-cli system use-cases”)"), N_("ID") },
    { "vendor", 0, 0, G_OPTION_ARG_STRING, &vendor, N_("Vendor"), N_("VENDOR") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("Department"), N_("DEPARTMENT") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Act as this person (e-mail or id) in the journal"),
      N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("system add FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxSystem) system = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                           _("Registers an AI system and prints its key. With --use-case it "
                             "starts pre-filled and classified, as in the app."))) >= 0)
    return rc;
  if (name == NULL || *g_strstrip (name) == '\0')
    return kdx_cli_usage_error (context, _("--name is required"));
  if (use_case != NULL && kdx_use_case_lookup (use_case) == NULL)
    return unknown_use_case (context, use_case);

  store = kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  if (!kdx_cli_act_as (store, as, &error))
    return kdx_cli_fail (error);

  /* One transaction: the system with its vendor and department, or
   * nothing. */
  if (!kdx_store_begin (store, &error))
    return kdx_cli_fail (error);
  if (use_case != NULL)
    system = kdx_system_create_from_use_case (store, name, use_case, &error);
  else
    {
      system = kdx_system_new ();
      kdx_system_set_name (system, name);
      if (!kdx_system_create (store, system, &error))
        g_clear_object (&system);
    }
  if (system != NULL && (vendor != NULL || department != NULL))
    {
      if (vendor != NULL)
        kdx_system_set_vendor (system, vendor);
      if (department != NULL)
        kdx_system_set_department (system, department);
      if (!kdx_system_update (store, system, &error))
        g_clear_object (&system);
    }
  if (system == NULL)
    {
      kdx_store_rollback (store);
      return kdx_cli_fail (error);
    }
  if (!kdx_store_commit (store, &error))
    return kdx_cli_fail (error);

  g_print ("%s\n", kdx_system_get_key (system));

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* kodex-cli system notice FILE SYSTEM                                 */

static int
system_notice (int argc, char **argv)
{
  g_autofree char *language = NULL;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("de or en; default: the workspace’s language"), "LANG" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("text (default) or html"), N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("system notice FILE SYSTEM"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxSystem) system = NULL;
  g_autofree char *notice = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Prints the customer transparency notice of a system: as edited, "
                             "else as written from its facts."))) >= 0)
    return rc;
  if (language != NULL && !g_str_equal (language, "de") && !g_str_equal (language, "en"))
    return kdx_cli_usage_error (context, _("--language takes de or en"));
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "html"))
    return kdx_cli_usage_error (context, _("--format takes text or html"));

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  system = find_system (store, argv[3], &error);
  if (system == NULL)
    return kdx_cli_fail (error);

  if (language == NULL)
    {
      language = kdx_store_dup_setting (store, "language");
      if (g_strcmp0 (language, "en") != 0)
        {
          g_free (language);
          language = g_strdup ("de");
        }
    }

  notice = kdx_system_dup_notice (store, system, language);
  if (format != NULL && g_str_equal (format, "html"))
    {
      g_autofree char *html = kdx_notice_to_html (notice, kdx_system_get_name (system), language);

      g_print ("%s", html);
    }
  else
    g_print ("%s%s", notice, g_str_has_suffix (notice, "\n") ? "" : "\n");

  return EXIT_SUCCESS;
}

static const Command system_commands[] = {
  { "list", system_list, N_("List the AI systems") },
  { "show", system_show, N_("Show an AI system") },
  { "use-cases", system_use_cases, N_("List the library of sales use cases") },
  { "add", system_add, N_("Register an AI system") },
  { "notice", system_notice, N_("Print a system’s customer notice") },
};

int
kdx_cli_system (int argc, char **argv)
{
  /* "system list FILE": shift so that "list" stands where a command does. */
  return kdx_cli_dispatch (system_commands, G_N_ELEMENTS (system_commands), "system ",
                           argc - 1, argv + 1);
}

/* ------------------------------------------------------------------ */
/* kodex-cli classify FILE SYSTEM                                      */

/* "h-credit=yes" into @answers; FALSE with a message for a usage error. */
static gboolean
parse_answer (const char  *text,
              GHashTable  *answers,
              char       **message)
{
  g_auto(GStrv) parts = g_strsplit (text, "=", 2);
  KdxAnswer answer;

  if (parts[0] == NULL || parts[1] == NULL)
    {
      *message = g_strdup_printf (_("--answer takes QUESTION=yes or QUESTION=no, not “%s”"), text);
      return FALSE;
    }
  g_strstrip (parts[0]);
  g_strstrip (parts[1]);
  if (kdx_classify_find_question (parts[0]) == NULL)
    {
      /* Translators: %s is a question id given to --answer */
      *message = g_strdup_printf (_("there is no question “%s”; “kodex-cli classify FILE "
                                    "SYSTEM --json” lists the questions"), parts[0]);
      return FALSE;
    }
  if (g_ascii_strcasecmp (parts[1], "yes") == 0)
    answer = KDX_ANSWER_YES;
  else if (g_ascii_strcasecmp (parts[1], "no") == 0)
    answer = KDX_ANSWER_NO;
  else if (g_ascii_strcasecmp (parts[1], "unset") == 0 || *parts[1] == '\0')
    answer = KDX_ANSWER_UNANSWERED;
  else
    {
      *message = g_strdup_printf (_("--answer takes QUESTION=yes or QUESTION=no, not “%s”"), text);
      return FALSE;
    }
  kdx_answers_set (answers, parts[0], answer);

  return TRUE;
}

/* The questions that are asked given @answers and have no answer yet. */
static GPtrArray *
open_questions (GHashTable *answers)
{
  GPtrArray *open = g_ptr_array_new ();
  guint n = 0;
  const KdxQuestion *questions = kdx_classify_get_questions (&n);

  for (guint i = 0; i < n; i++)
    if (kdx_question_is_asked (&questions[i], answers) &&
        kdx_answers_get (answers, questions[i].id) == KDX_ANSWER_UNANSWERED)
      g_ptr_array_add (open, (gpointer) &questions[i]);

  return open;
}

/* Every question of the assistant, whether it is asked given @answers,
 * and its answer: what a script needs to answer the rest. */
static void
questions_to_json (JsonBuilder *b,
                   GHashTable  *answers)
{
  guint n = 0;
  const KdxQuestion *questions = kdx_classify_get_questions (&n);

  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      KdxAnswer answer = kdx_answers_get (answers, questions[i].id);

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "id", questions[i].id);
      kdx_cli_json_string (b, "group", kdx_question_group_get_title (questions[i].group));
      kdx_cli_json_string (b, "reference", questions[i].reference);
      kdx_cli_json_string (b, "text", kdx_question_get_text (&questions[i]));
      kdx_cli_json_bool (b, "asked", kdx_question_is_asked (&questions[i], answers));
      kdx_cli_json_string (b, "answer", answer == KDX_ANSWER_YES ? "yes" : answer == KDX_ANSWER_NO ? "no" : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static int
cmd_classify_print (KdxStore   *store,
                    KdxSystem  *system,
                    gboolean    json,
                    GError    **error)
{
  g_autoptr(GHashTable) answers = kdx_system_dup_answers (system);
  g_autoptr(GPtrArray) obligations = NULL;
  g_autoptr(GPtrArray) open = open_questions (answers);
  int role = kdx_system_get_role (system);

  obligations = kdx_system_list_obligations (store, kdx_system_get_uuid (system), error);
  if (obligations == NULL)
    return EXIT_FAILURE;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "key", kdx_system_get_key (system));
      kdx_cli_json_string (b, "uuid", kdx_system_get_uuid (system));
      kdx_cli_json_string (b, "name", kdx_system_get_name (system));
      kdx_cli_json_string (b, "risk", risk_id (kdx_system_get_risk (system)));
      kdx_cli_json_string (b, "risk_label", risk_label (kdx_system_get_risk (system)));
      kdx_cli_json_string (b, "role", role_id (role));
      kdx_cli_json_string (b, "role_label", role >= 0 ? kdx_ai_act_role_get_label (role) : NULL);
      kdx_cli_json_bool (b, "complete", open->len == 0);
      kdx_cli_json_string (b, "classified", kdx_system_get_classified (system));
      json_builder_set_member_name (b, "answers");
      answers_to_json (b, answers);
      json_builder_set_member_name (b, "open_questions");
      json_builder_begin_array (b);
      for (guint i = 0; i < open->len; i++)
        {
          const KdxQuestion *q = open->pdata[i];

          json_builder_begin_object (b);
          kdx_cli_json_string (b, "id", q->id);
          kdx_cli_json_string (b, "reference", q->reference);
          kdx_cli_json_string (b, "text", kdx_question_get_text (q));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "questions");
      questions_to_json (b, answers);
      json_builder_set_member_name (b, "obligations");
      obligations_to_json (b, obligations);
      json_builder_set_member_name (b, "reasoning");
      reasoning_to_json (b, kdx_system_get_reasoning (system));
      json_builder_end_object (b);
      kdx_cli_print_json (b);
      return EXIT_SUCCESS;
    }

  g_print ("%s · %s\n", kdx_system_get_key (system), kdx_system_get_name (system));
  print_field (_("Risk class:"), risk_label (kdx_system_get_risk (system)));
  print_field (_("Role:"), role >= 0 ? kdx_ai_act_role_get_label (role) : NULL);
  print_field (_("Complete:"), open->len == 0 ? _("yes") : _("no"));
  print_heading (_("Obligations"));
  print_obligations (obligations);
  print_heading (_("Reasoning"));
  print_reasoning (kdx_system_get_reasoning (system));
  if (open->len > 0)
    {
      print_heading (_("Open questions"));
      for (guint i = 0; i < open->len; i++)
        {
          const KdxQuestion *q = open->pdata[i];

          g_print ("  %-24s %-16s %s\n", q->id, q->reference, kdx_question_get_text (q));
        }
    }

  return EXIT_SUCCESS;
}

int
kdx_cli_classify (int argc, char **argv)
{
  g_auto(GStrv) answer_args = NULL;
  g_autofree char *as = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "answer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &answer_args,
      N_("Answer a question of the assistant (repeatable): QUESTION=yes, QUESTION=no or "
         "QUESTION=unset"), N_("ID=ANSWER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Act as this person (e-mail or id) in the journal"),
      N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("classify FILE SYSTEM"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxSystem) system = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Prints the EU AI Act classification of a system: risk class, "
                             "role, obligations and the reasoning. With --answer, changes those "
                             "answers first and classifies again."))) >= 0)
    return rc;

  if (answer_args == NULL)
    {
      store = open_read_only (argv[2], &error);
      if (store == NULL)
        return kdx_cli_fail (error);
      system = find_system (store, argv[3], &error);
      if (system == NULL)
        return kdx_cli_fail (error);
    }
  else
    {
      g_autoptr(GHashTable) answers = NULL;
      g_autoptr(KdxSystem) loaded = NULL;

      /* Usage errors before the workspace is touched. */
      answers = kdx_answers_new ();
      for (guint i = 0; answer_args[i] != NULL; i++)
        {
          g_autofree char *message = NULL;

          if (!parse_answer (answer_args[i], answers, &message))
            return kdx_cli_usage_error (context, message);
        }

      store = kdx_cli_open_writable (argv[2], &error);
      if (store == NULL)
        return kdx_cli_fail (error);
      if (!kdx_cli_act_as (store, as, &error))
        return kdx_cli_fail (error);
      loaded = find_system (store, argv[3], &error);
      if (loaded == NULL)
        return kdx_cli_fail (error);

      {
        g_autoptr(GHashTable) stored = kdx_system_dup_answers (loaded);

        /* The answers given replace the stored ones; "unset" clears one.
         * They were checked above, so this cannot fail. */
        for (guint i = 0; answer_args[i] != NULL; i++)
          {
            g_autofree char *message = NULL;

            parse_answer (answer_args[i], stored, &message);
          }
        if (!kdx_system_classify (store, kdx_system_get_uuid (loaded), stored, NULL, &error))
          return kdx_cli_fail (error);
      }
      system = kdx_system_load (store, kdx_system_get_uuid (loaded), &error);
      if (system == NULL)
        return kdx_cli_fail (error);
    }

  if (cmd_classify_print (store, system, json, &error) != EXIT_SUCCESS)
    return kdx_cli_fail (error);

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* kodex-cli catalog import|list                                       */

static int
catalog_import (int argc, char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *as = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("kodex, oscal or auto (default: told from the file)"), N_("FORMAT") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Act as this person (e-mail or id) in the journal"),
      N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("catalog import FILE CATALOG"));
  g_autoptr(KdxStore) store = NULL;
  g_autofree char *key = NULL;
  KdxCatalogFormat catalog_format = KDX_CATALOG_FORMAT_AUTO;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Imports a catalog of requirements (Kodex catalog XML or OSCAL "
                             "catalog XML) and prints its key. All of it is imported, or "
                             "nothing."))) >= 0)
    return rc;
  if (format == NULL || g_str_equal (format, "auto"))
    catalog_format = KDX_CATALOG_FORMAT_AUTO;
  else if (g_str_equal (format, "kodex"))
    catalog_format = KDX_CATALOG_FORMAT_KODEX;
  else if (g_str_equal (format, "oscal"))
    catalog_format = KDX_CATALOG_FORMAT_OSCAL;
  else
    return kdx_cli_usage_error (context, _("--format takes kodex, oscal or auto"));

  store = kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  if (!kdx_cli_act_as (store, as, &error))
    return kdx_cli_fail (error);

  if (!kdx_catalog_import_file (store, argv[3], catalog_format, &key, &error))
    return kdx_cli_fail (error);

  g_print ("%s\n", key);

  return EXIT_SUCCESS;
}

static int
catalog_list (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("catalog list FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GPtrArray) catalogs = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                           _("Lists the catalogs of the workspace, by title."))) >= 0)
    return rc;

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  catalogs = kdx_catalog_list (store, &error);
  if (catalogs == NULL)
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < catalogs->len; i++)
        {
          KdxCatalog *c = catalogs->pdata[i];

          json_builder_begin_object (b);
          kdx_cli_json_string (b, "key", c->key);
          kdx_cli_json_string (b, "uuid", c->uuid);
          kdx_cli_json_string (b, "title", kdx_catalog_get_title (c));
          kdx_cli_json_string (b, "title_en", c->title_en);
          kdx_cli_json_string (b, "title_de", c->title_de);
          kdx_cli_json_string (b, "version", c->version);
          kdx_cli_json_string (b, "source", c->source);
          kdx_cli_json_string (b, "source_url", c->source_url);
          kdx_cli_json_string (b, "licence", c->licence);
          kdx_cli_json_string (b, "legal_status", kdx_catalog_get_legal_status (c));
          kdx_cli_json_string (b, "as_of", c->as_of);
          kdx_cli_json_string (b, "format", c->format);
          kdx_cli_json_bool (b, "shipped", c->shipped);
          kdx_cli_json_string (b, "imported", c->imported);
          kdx_cli_json_int (b, "requirements", c->n_requirements);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      kdx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < catalogs->len; i++)
      {
        KdxCatalog *c = catalogs->pdata[i];

        g_print ("%s\t%u\t%s\t%s\t%s\n", c->key, c->n_requirements, kdx_cli_or_dash (c->as_of),
                 c->shipped ? "shipped" : "imported", kdx_catalog_get_title (c));
      }

  return EXIT_SUCCESS;
}

static const Command catalog_commands[] = {
  { "import", catalog_import, N_("Import a catalog of requirements") },
  { "list", catalog_list, N_("List the catalogs") },
};

int
kdx_cli_catalog (int argc, char **argv)
{
  return kdx_cli_dispatch (catalog_commands, G_N_ELEMENTS (catalog_commands), "catalog ",
                           argc - 1, argv + 1);
}

/* ------------------------------------------------------------------ */
/* kodex-cli coverage FILE --catalog ID                                */

static int
print_requirement_coverage (KdxStore    *store,
                            const char  *catalog,
                            int          only,
                            gboolean     json,
                            GError     **error)
{
  g_autoptr(GPtrArray) rows = kdx_coverage_requirements (store, catalog, only, error);
  guint counts[KDX_COVERAGE_N_STATES] = { 0 };

  if (rows == NULL)
    return EXIT_FAILURE;

  for (guint i = 0; i < rows->len; i++)
    {
      KdxRequirementCoverage *row = rows->pdata[i];

      if (row->coverage >= 0 && row->coverage < KDX_COVERAGE_N_STATES)
        counts[row->coverage]++;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "catalog", catalog);
      json_builder_set_member_name (b, "summary");
      json_builder_begin_object (b);
      for (guint c = 0; c < KDX_COVERAGE_N_STATES; c++)
        kdx_cli_json_int (b, kdx_coverage_to_string (c), counts[c]);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "requirements");
      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        {
          KdxRequirementCoverage *row = rows->pdata[i];

          json_builder_begin_object (b);
          kdx_cli_json_string (b, "code", row->code);
          kdx_cli_json_string (b, "uuid", row->uuid);
          kdx_cli_json_string (b, "label", row->label);
          kdx_cli_json_string (b, "title", row->title);
          kdx_cli_json_int (b, "depth", row->depth);
          kdx_cli_json_string (b, "status", coverage_id (row->coverage));
          kdx_cli_json_int (b, "n_policies", row->n_policies);
          json_builder_set_member_name (b, "policies");
          json_builder_begin_array (b);
          if (row->policies != NULL)
            {
              g_auto(GStrv) keys = g_strsplit (row->policies, ",", -1);

              for (guint k = 0; keys[k] != NULL; k++)
                if (*g_strstrip (keys[k]) != '\0')
                  json_builder_add_string_value (b, keys[k]);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      kdx_cli_print_json (b);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      KdxRequirementCoverage *row = rows->pdata[i];
      g_autofree char *indent = g_strnfill (MIN (row->depth, 8) * 2, ' ');

      g_print ("%s\t%s\t%s\t%s%s\n", row->code, coverage_id (row->coverage),
               kdx_cli_or_dash (row->policies), indent, row->title);
    }
  /* Translators: the totals after the coverage list */
  g_print (_("%u covered, %u partly, %u gaps\n"), counts[KDX_COVERAGE_COVERED],
           counts[KDX_COVERAGE_PARTLY], counts[KDX_COVERAGE_GAP]);

  return EXIT_SUCCESS;
}

static int
print_system_coverage (KdxStore    *store,
                       const char  *catalog,
                       gboolean     json,
                       GError     **error)
{
  g_autoptr(GPtrArray) rows = kdx_coverage_systems (store, catalog, error);

  if (rows == NULL)
    return EXIT_FAILURE;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "catalog", catalog);
      json_builder_set_member_name (b, "systems");
      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        {
          KdxSystemCoverage *row = rows->pdata[i];

          json_builder_begin_object (b);
          kdx_cli_json_string (b, "key", row->key);
          kdx_cli_json_string (b, "uuid", row->system);
          kdx_cli_json_string (b, "name", row->name);
          kdx_cli_json_int (b, "required", row->n_required);
          kdx_cli_json_int (b, "covered", row->n_covered);
          kdx_cli_json_int (b, "partly", row->n_partly);
          kdx_cli_json_int (b, "gap", row->n_gap);
          kdx_cli_json_string (b, "compliance", compliance_id (row->compliance));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      kdx_cli_print_json (b);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      KdxSystemCoverage *row = rows->pdata[i];

      g_print ("%s\t%u\t%u\t%u\t%u\t%s\t%s\n", row->key, row->n_required, row->n_covered,
               row->n_partly, row->n_gap, kdx_cli_or_dash (compliance_id (row->compliance)),
               row->name);
    }

  return EXIT_SUCCESS;
}

int
kdx_cli_coverage (int argc, char **argv)
{
  g_autofree char *catalog = NULL;
  g_autofree char *only = NULL;
  gboolean systems = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "catalog", 0, 0, G_OPTION_ARG_STRING, &catalog,
      N_("The catalog, by key (required; see “kodex-cli catalog list”)"), N_("ID") },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
      N_("Only requirements with this status: covered, partly or gap"), N_("STATUS") },
    { "systems", 0, 0, G_OPTION_ARG_NONE, &systems,
      N_("Per AI system: how many of the requirements it must meet are covered"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("coverage FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxCatalog) loaded = NULL;
  GError *error = NULL;
  int only_value = -1;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                           _("Lists the requirements of a catalog with their coverage by the "
                             "policies: covered, partly or a gap."))) >= 0)
    return rc;
  if (catalog == NULL)
    return kdx_cli_usage_error (context, _("--catalog is required"));
  if (only != NULL && (only_value = kdx_coverage_from_string (only)) < 0)
    return kdx_cli_usage_error (context, _("--only takes covered, partly or gap"));
  if (only != NULL && systems)
    return kdx_cli_usage_error (context, _("--only and --systems cannot be combined"));

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  /* An unknown catalog is named as such, not as an empty list. */
  loaded = kdx_catalog_load (store, catalog, &error);
  if (loaded == NULL)
    return kdx_cli_fail (error);

  rc = systems ? print_system_coverage (store, catalog, json, &error)
               : print_requirement_coverage (store, catalog, only_value, json, &error);
  if (rc != EXIT_SUCCESS)
    return kdx_cli_fail (error);

  return EXIT_SUCCESS;
}
