/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kodex-cli: the headless face of Kodex, for scripts and schedulers.
 * Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
#define G_LOG_DOMAIN "kodex-cli"

#include "config.h"

#include "kodex-cli.h"

#include "kdx-catalog.h"
#include "kdx-classify.h"
#include "kdx-demo.h"
#include "kdx-exchange.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-store.h"
#include "kdx-system.h"
#include "kdx-training.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static gboolean
valid_language (const char *language)
{
  return language == NULL || g_str_equal (language, "de") || g_str_equal (language, "en");
}

/* kodex-cli new FILE [--organisation NAME] [--language de|en] */
static int
cmd_new (int argc, char **argv)
{
  g_autofree char *organisation = NULL;
  g_autofree char *language = NULL;
  GOptionEntry entries[] = {
    { "organisation", 0, 0, G_OPTION_ARG_STRING, &organisation, N_("Name of the organisation"), N_("NAME") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Language of reports: de or en"), "LANG" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("new FILE"));
  g_autoptr(KdxStore) store = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1, _("Creates an empty workspace."))) >= 0)
    return rc;
  if (!valid_language (language))
    return kdx_cli_usage_error (context, _("--language takes de or en"));

  store = kdx_store_create (argv[2], organisation, language, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  return EXIT_SUCCESS;
}

/* kodex-cli demo FILE [--size small|large] [--language de|en] */
static int
cmd_demo (int argc, char **argv)
{
  g_autofree char *size = NULL;
  g_autofree char *language = NULL;
  GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, N_("small (about 40 people) or large (for benchmarks)"), N_("SIZE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Language of the demo content: de or en"), "LANG" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("demo FILE"));
  g_autoptr(KdxStore) store = NULL;
  GError *error = NULL;
  KdxDemoSize demo_size = KDX_DEMO_SMALL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                   _("Creates a demo workspace of a German B2B sales company."))) >= 0)
    return rc;
  if (!valid_language (language))
    return kdx_cli_usage_error (context, _("--language takes de or en"));
  if (size != NULL && g_str_equal (size, "large"))
    demo_size = KDX_DEMO_LARGE;
  else if (size != NULL && !g_str_equal (size, "small"))
    return kdx_cli_usage_error (context, _("--size takes small or large"));

  store = kdx_store_create (argv[2], NULL, language, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (!kdx_demo_fill (store, demo_size, language, NULL, NULL, &error))
    {
      kdx_store_close (store);
      g_unlink (argv[2]);
      return kdx_cli_fail (error);
    }

  return EXIT_SUCCESS;
}

static char *
format_unix (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (t);

  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

/* kodex-cli info FILE [--json] */
static int
cmd_info (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("info FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autofree char *organisation = NULL;
  g_autofree char *language = NULL;
  g_autofree char *head = NULL;
  GError *error = NULL;
  g_autoptr(GPtrArray) catalogs = NULL;
  gint64 version, people, trashed, policies, overdue, entries_count = 0;
  gint64 systems, by_risk[KDX_RISK_N_CLASSES + 1] = { 0 };
  gint64 courses, assignments, gated;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                   _("Shows the schema version, organisation, counts, journal head and lock."))) >= 0)
    return rc;

  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  version = kdx_store_count (store, "PRAGMA user_version");
  organisation = kdx_store_dup_setting (store, "organisation");
  language = kdx_store_dup_setting (store, "language");
  people = kdx_person_count (store);
  trashed = kdx_store_count (store, "SELECT count(*) FROM person WHERE trashed IS NOT NULL");
  policies = kdx_policy_count (store);
  overdue = kdx_policy_count_overdue (store, NULL);
  systems = kdx_system_count (store);
  kdx_system_count_by_risk (store, by_risk);
  courses = kdx_course_count (store);
  /* Every round, completed ones too. */
  assignments = kdx_assignment_count (store);
  gated = kdx_training_count_gated_systems (store, NULL);
  catalogs = kdx_catalog_list (store, &error);
  if (catalogs == NULL)
    return kdx_cli_fail (error);
  kdx_journal_get_head (store, &entries_count, &head);
  holder = kdx_store_dup_lock_holder (store);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, argv[2]);
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, version);
      json_builder_set_member_name (b, "organisation");
      json_builder_add_string_value (b, organisation);
      json_builder_set_member_name (b, "language");
      json_builder_add_string_value (b, language);
      json_builder_set_member_name (b, "counts");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "people");
      json_builder_add_int_value (b, people);
      json_builder_set_member_name (b, "trash");
      json_builder_add_int_value (b, trashed);
      json_builder_set_member_name (b, "policies");
      json_builder_add_int_value (b, policies);
      json_builder_set_member_name (b, "reviews_overdue");
      json_builder_add_int_value (b, overdue);
      json_builder_set_member_name (b, "systems");
      json_builder_add_int_value (b, systems);
      json_builder_set_member_name (b, "systems_by_risk");
      json_builder_begin_object (b);
      for (int r = 0; r < KDX_RISK_N_CLASSES; r++)
        {
          json_builder_set_member_name (b, kdx_risk_class_to_string (r));
          json_builder_add_int_value (b, by_risk[r]);
        }
      json_builder_set_member_name (b, "unclassified");
      json_builder_add_int_value (b, by_risk[KDX_RISK_N_CLASSES]);
      json_builder_end_object (b);
      /* Systems whose overseers lack the training a rule requires of
       * them (EU AI Act Art. 26(2)). */
      json_builder_set_member_name (b, "systems_competence_gap");
      json_builder_add_int_value (b, gated);
      json_builder_set_member_name (b, "courses");
      json_builder_add_int_value (b, courses);
      json_builder_set_member_name (b, "assignments");
      json_builder_add_int_value (b, assignments);
      json_builder_set_member_name (b, "catalogs");
      json_builder_add_int_value (b, catalogs->len);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "journal");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "entries");
      json_builder_add_int_value (b, entries_count);
      json_builder_set_member_name (b, "head");
      json_builder_add_string_value (b, head);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "lock");
      if (holder != NULL)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "user");
          json_builder_add_string_value (b, holder->user);
          json_builder_set_member_name (b, "host");
          json_builder_add_string_value (b, holder->host);
          json_builder_set_member_name (b, "pid");
          json_builder_add_int_value (b, holder->pid);
          json_builder_set_member_name (b, "since");
          json_builder_add_int_value (b, holder->since);
          json_builder_set_member_name (b, "heartbeat");
          json_builder_add_int_value (b, holder->heartbeat);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      kdx_cli_print_json (b);
    }
  else
    {
      g_print (_("Schema version:  %" PRId64 "\n"), version);
      g_print (_("Organisation:    %s\n"), organisation ? organisation : "—");
      g_print (_("Language:        %s\n"), language ? language : "—");
      g_print (_("People:          %" PRId64 "\n"), people);
      g_print (_("In the trash:    %" PRId64 "\n"), trashed);
      g_print (_("Policies:        %" PRId64 "\n"), policies);
      g_print (_("Reviews overdue: %" PRId64 "\n"), overdue);
      g_print (_("AI systems:      %" PRId64 "\n"), systems);
      for (int r = 0; r < KDX_RISK_N_CLASSES; r++)
        /* Translators: a risk class and how many AI systems have it */
        g_print (_("  %s: %" PRId64 "\n"), kdx_risk_class_get_label (r), by_risk[r]);
      g_print (_("  %s: %" PRId64 "\n"), _("Not classified"), by_risk[KDX_RISK_N_CLASSES]);
      /* Translators: AI systems overseen by someone whose required training is missing or has lapsed */
      g_print (_("  %s: %" PRId64 "\n"), _("Overseers lack training"), gated);
      g_print (_("Courses:         %" PRId64 "\n"), courses);
      g_print (_("Assignments:     %" PRId64 "\n"), assignments);
      g_print (_("Catalogs:        %u\n"), catalogs->len);
      g_print (_("Journal entries: %" PRId64 "\n"), entries_count);
      g_print (_("Journal head:    %s\n"), head);
      if (holder != NULL)
        {
          g_autofree char *since = format_unix (holder->since);

          g_print (_("Locked by:       %s on %s, process %" PRId64 ", since %s\n"),
                   holder->user, holder->host, holder->pid, since);
        }
      else
        g_print (_("Locked by:       nobody\n"));
    }

  return EXIT_SUCCESS;
}

/* kodex-cli verify FILE [--head COUNT:HASH] */
static int
cmd_verify (int argc, char **argv)
{
  g_autofree char *head = NULL;
  gboolean journal_only = FALSE;
  GOptionEntry entries[] = {
    { "head", 0, 0, G_OPTION_ARG_STRING, &head,
      N_("The journal head a report printed, as COUNT:HASH; detects removed entries"), N_("HEAD") },
    { "journal-only", 0, 0, G_OPTION_ARG_NONE, &journal_only,
      N_("Recompute the journal chain only, without the file’s integrity check"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("verify FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  GError *error = NULL;
  gint64 expected_count = 0, first_bad = 0, checked = 0;
  const char *expected_hash = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                   _("Checks integrity, foreign keys and the journal's hash chain."))) >= 0)
    return rc;

  if (head != NULL)
    {
      char *colon = strchr (head, ':');
      char *end = NULL;

      if (colon == NULL)
        return kdx_cli_usage_error (context, _("--head takes COUNT:HASH"));
      *colon = '\0';
      expected_count = g_ascii_strtoll (head, &end, 10);
      if (end == head || *end != '\0' || expected_count <= 0)
        return kdx_cli_usage_error (context, _("--head takes COUNT:HASH"));
      expected_hash = colon + 1;
    }

  /* The full integrity check follows (unless --journal-only): the check at
   * opening need not read the whole file first. */
  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (journal_only)
    {
      if (!kdx_journal_verify (store, expected_count, expected_hash, &first_bad, &checked,
                               NULL, &error))
        return kdx_cli_fail (error);
    }
  else if (!kdx_journal_verify_workspace (store, expected_count, expected_hash, report,
                                          &first_bad, &checked, NULL, &error))
    {
      g_printerr ("%s", report->str);
      return kdx_cli_fail (error);
    }

  if (journal_only)
    g_print (_("OK: %" PRId64 " journal entries verified\n"), checked);
  else
    g_print (_("OK: integrity, foreign keys and %" PRId64 " journal entries verified\n"),
             checked);

  return EXIT_SUCCESS;
}

/* kodex-cli export FILE --format xml -o OUT */
static int
cmd_export (int argc, char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Format: xml"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to this file"), N_("OUT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("export FILE"));
  g_autoptr(KdxStore) store = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1, _("Exports the whole workspace losslessly."))) >= 0)
    return rc;
  if (format == NULL || !g_str_equal (format, "xml"))
    return kdx_cli_usage_error (context, _("--format takes xml"));
  if (output == NULL)
    return kdx_cli_usage_error (context, _("-o OUT is required"));

  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (!kdx_exchange_export_xml (store, output, NULL, NULL, &error))
    return kdx_cli_fail (error);

  return EXIT_SUCCESS;
}

/* kodex-cli import FILE --format xml IN, or with --kind a CSV file of
 * people, assignments or completions (kodex-cli-training.c). */
static int
cmd_import (int argc, char **argv)
{
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Format: xml"), N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("import FILE IN"));
  g_autoptr(KdxStore) store = NULL;
  GError *error = NULL;
  gboolean created = FALSE;
  int rc;

  for (int i = 2; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--kind") || g_str_has_prefix (argv[i], "--kind="))
      return kdx_cli_import_csv (argc, argv);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                   _("Imports an exchange file into FILE; FILE is created when it does not "
                     "exist, and must otherwise be an empty workspace. With --kind, imports "
                     "people, assignments or completions from a CSV file instead: see "
                     "“kodex-cli import --kind people --help”."))) >= 0)
    return rc;
  if (format == NULL || !g_str_equal (format, "xml"))
    return kdx_cli_usage_error (context, _("--format takes xml"));

  if (!g_file_test (argv[2], G_FILE_TEST_EXISTS))
    {
      store = kdx_store_create (argv[2], NULL, NULL, &error);
      created = TRUE;
    }
  else
    store = kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (!kdx_exchange_import_xml (store, argv[3], NULL, NULL, &error))
    {
      if (created)
        {
          kdx_store_close (store);
          g_unlink (argv[2]);
        }
      return kdx_cli_fail (error);
    }

  return EXIT_SUCCESS;
}

/* kodex-cli backup FILE OUT */
static int
cmd_backup (int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GOptionContext) context = g_option_context_new (_("backup FILE OUT"));
  g_autoptr(KdxStore) store = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                   _("Writes a consistent copy of the workspace (SQLite backup API, atomic, 0600)."))) >= 0)
    return rc;

  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (!kdx_store_backup (store, argv[3], NULL, &error))
    return kdx_cli_fail (error);

  return EXIT_SUCCESS;
}

static void
person_to_json (JsonBuilder *b,
                KdxPerson   *p)
{
  json_builder_begin_object (b);
#define MEMBER(key, value) \
  json_builder_set_member_name (b, key); \
  if (value) json_builder_add_string_value (b, value); else json_builder_add_null_value (b);
  MEMBER ("uuid", kdx_person_get_uuid (p));
  MEMBER ("name", kdx_person_get_name (p));
  MEMBER ("email", kdx_person_get_email (p));
  MEMBER ("department", kdx_person_get_department (p));
  MEMBER ("role", kdx_person_get_role (p));
  MEMBER ("manager", kdx_person_get_manager (p));
  MEMBER ("manager_name", kdx_person_get_manager_name (p));
#undef MEMBER
  json_builder_set_member_name (b, "committee");
  json_builder_add_boolean_value (b, kdx_person_get_committee (p));
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, kdx_person_get_active (p));
  json_builder_end_object (b);
}

static int
person_list (int argc, char **argv)
{
  gboolean json = FALSE;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Include inactive people"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("person list FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GPtrArray) people = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1, _("Lists the people, sorted by name."))) >= 0)
    return rc;

  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  people = kdx_person_list_by_name (store, all, &error);
  if (people == NULL)
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < people->len; i++)
        person_to_json (b, g_ptr_array_index (people, i));
      json_builder_end_array (b);
      kdx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < people->len; i++)
      {
        KdxPerson *p = g_ptr_array_index (people, i);

        g_print ("%s\t%s\t%s\t%s\t%s\n", kdx_person_get_uuid (p), kdx_person_get_name (p),
                 kdx_cli_or_dash (kdx_person_get_email (p)), kdx_cli_or_dash (kdx_person_get_department (p)),
                 kdx_cli_or_dash (kdx_person_get_role (p)));
      }

  return EXIT_SUCCESS;
}

static int
person_add (int argc, char **argv)
{
  g_autofree char *name = NULL, *email = NULL, *department = NULL, *role = NULL;
  g_autofree char *manager = NULL, *as = NULL;
  gboolean committee = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Full name (required)"), N_("NAME") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), N_("EMAIL") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("Department"), N_("DEPARTMENT") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("Role or job title"), N_("ROLE") },
    { "manager", 0, 0, G_OPTION_ARG_STRING, &manager, N_("Manager, by e-mail or id"), N_("WHO") },
    { "committee", 0, 0, G_OPTION_ARG_NONE, &committee, N_("Member of the ethics committee"), NULL },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Act as this person (e-mail or id) in the journal"), N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("person add FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxPerson) person = kdx_person_new ();
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1, _("Adds a person."))) >= 0)
    return rc;
  if (name == NULL)
    return kdx_cli_usage_error (context, _("--name is required"));

  store = kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (!kdx_cli_act_as (store, as, &error))
    return kdx_cli_fail (error);
  if (manager != NULL)
    {
      g_autoptr(KdxPerson) boss = kdx_person_find (store, manager, &error);
      if (boss == NULL)
        return kdx_cli_fail (error);
      kdx_person_set_manager (person, kdx_person_get_uuid (boss));
    }

  kdx_person_set_name (person, name);
  kdx_person_set_email (person, email);
  kdx_person_set_department (person, department);
  kdx_person_set_role (person, role);
  kdx_person_set_committee (person, committee);

  if (!kdx_person_insert (store, person, &error))
    return kdx_cli_fail (error);

  g_print ("%s\n", kdx_person_get_uuid (person));

  return EXIT_SUCCESS;
}

static int
person_show (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("person show FILE WHO"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxPerson) p = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2, _("Shows one person, by e-mail or id."))) >= 0)
    return rc;

  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  p = kdx_person_find (store, argv[3], &error);
  if (p == NULL)
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      person_to_json (b, p);
      kdx_cli_print_json (b);
    }
  else
    {
      g_print (_("Name:        %s\n"), kdx_person_get_name (p));
      g_print (_("E-mail:      %s\n"), kdx_cli_or_dash (kdx_person_get_email (p)));
      g_print (_("Department:  %s\n"), kdx_cli_or_dash (kdx_person_get_department (p)));
      g_print (_("Role:        %s\n"), kdx_cli_or_dash (kdx_person_get_role (p)));
      g_print (_("Manager:     %s\n"), kdx_cli_or_dash (kdx_person_get_manager_name (p)));
      g_print (_("Committee:   %s\n"), kdx_person_get_committee (p) ? _("yes") : _("no"));
      g_print (_("Active:      %s\n"), kdx_person_get_active (p) ? _("yes") : _("no"));
      g_print (_("Id:          %s\n"), kdx_person_get_uuid (p));
    }

  return EXIT_SUCCESS;
}

static const Command person_commands[] = {
  { "list", person_list, N_("List people") },
  { "add", person_add, N_("Add a person") },
  { "show", person_show, N_("Show a person") },
  { "export", kdx_cli_person_export, N_("Export everything about a person (GDPR)") },
  { "erase", kdx_cli_person_erase, N_("Erase a person (GDPR)") },
};

static int
cmd_person (int argc, char **argv)
{
  /* "person list FILE": shift so that "list" stands where a command does. */
  return kdx_cli_dispatch (person_commands, G_N_ELEMENTS (person_commands), "person ", argc - 1, argv + 1);
}

static const Command commands[] = {
  { "new", cmd_new, N_("Create an empty workspace") },
  { "demo", cmd_demo, N_("Create a demo workspace") },
  { "info", cmd_info, N_("Show what a workspace holds") },
  { "verify", cmd_verify, N_("Check integrity and the journal chain") },
  { "export", cmd_export, N_("Export a workspace") },
  { "import", cmd_import, N_("Import a workspace, or people and training from CSV") },
  { "backup", cmd_backup, N_("Back a workspace up") },
  { "person", cmd_person, N_("List, add, show, export or erase people") },
  { "policy", kdx_cli_policy, N_("List, show or import policies") },
  { "system", kdx_cli_system, N_("List, show or register AI systems") },
  { "classify", kdx_cli_classify, N_("Classify an AI system under the EU AI Act") },
  { "catalog", kdx_cli_catalog, N_("Import or list catalogs of requirements") },
  { "coverage", kdx_cli_coverage, N_("Show which requirements the policies cover") },
  { "course", kdx_cli_course, N_("List or add training courses") },
  { "training", kdx_cli_training, N_("Show how far the training has come") },
};

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("KODEX_LOCALEDIR");

  g_set_prgname ("kodex-cli");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc >= 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("kodex-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return kdx_cli_dispatch (commands, G_N_ELEMENTS (commands), "", argc, argv);
}
