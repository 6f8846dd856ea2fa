/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kodex-cli import --kind (people, assignments and completions from CSV),
 * course list|add, training status, person export|erase: the training of
 * issue 5 and a person's rights over their data, for scripts and for the
 * HR system's nightly export.
 */
#define G_LOG_DOMAIN "kodex-cli"

#include "config.h"

#include "kodex-cli.h"

#include "kdx-date.h"
#include "kdx-import.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-privacy.h"
#include "kdx-system.h"
#include "kdx-training.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* JSON                                                               */

static KdxStore *
open_read_only (const char  *path,
                GError     **error)
{
  return kdx_store_open (path, KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, error);
}

/* ------------------------------------------------------------------ */
/* kodex-cli import FILE --kind KIND CSV                               */

static gboolean
parse_delimiter (const char *text,
                 char       *delimiter)
{
  *delimiter = 0;
  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, ",") || g_str_equal (text, "comma"))
    *delimiter = ',';
  else if (g_str_equal (text, ";") || g_str_equal (text, "semicolon"))
    *delimiter = ';';
  else if (g_str_equal (text, "tab") || g_str_equal (text, "\t"))
    *delimiter = '\t';
  else
    return FALSE;

  return TRUE;
}

/* The iconv name of an --encoding, NULL when we do not offer it. */
static const char *
parse_encoding (const char *text)
{
  static const struct
  {
    const char *name;
    const char *iconv;
  } encodings[] = {
    { "utf-8", "UTF-8" },
    { "utf8", "UTF-8" },
    { "windows-1252", "WINDOWS-1252" },
    { "cp1252", "WINDOWS-1252" },
    { "utf-16", "UTF-16" },
    { "utf16", "UTF-16" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    if (g_ascii_strcasecmp (text, encodings[i].name) == 0)
      return encodings[i].iconv;

  return NULL;
}

static char *
list_fields (KdxImportKind kind)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n = 0;
  const KdxImportField *fields = kdx_import_kind_get_fields (kind, &n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (names, (gpointer) kdx_import_field_to_string (fields[i]));
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

/* A --map that cannot be right whatever the file holds is a usage error;
 * a column the file does not have is found out when it is read. */
static gboolean
check_map (KdxImportKind   kind,
           const char     *map,
           char          **message)
{
  const char *eq = strchr (map, '=');
  guint n = 0;
  const KdxImportField *fields = kdx_import_kind_get_fields (kind, &n);
  int field;

  if (eq == NULL || eq == map || eq[1] == '\0')
    {
      *message = g_strdup_printf (_("--map takes COLUMN=FIELD, not “%s”"), map);
      return FALSE;
    }

  field = kdx_import_field_from_string (eq + 1);
  for (guint i = 0; field >= 0 && i < n; i++)
    if (fields[i] == (KdxImportField) field)
      return TRUE;

  {
    g_autofree char *names = list_fields (kind);

    *message = g_strdup_printf (_("an import of %s has no field “%s”; use one of: %s"),
                                kdx_import_kind_to_string (kind), eq + 1, names);
  }

  return FALSE;
}

static void
print_problems (const char    *csv,
                KdxImportPlan *plan)
{
  GPtrArray *problems = kdx_import_plan_get_problems (plan);
  guint n = kdx_import_plan_get_n_problems (plan);

  for (guint i = 0; i < problems->len; i++)
    {
      KdxImportProblem *p = problems->pdata[i];

      if (p->column > 0)
        g_printerr ("%s:%u:%u: %s\n", csv, p->line, p->column, p->message);
      else
        g_printerr ("%s:%u: %s\n", csv, p->line, p->message);
    }
  if (n > problems->len)
    g_printerr (ngettext ("%s: and %u more problem\n", "%s: and %u more problems\n",
                          n - problems->len),
                csv, n - problems->len);
}

static void
print_description (KdxImportPlan *plan)
{
  g_autofree char *text = kdx_import_plan_describe (plan);

  if (text != NULL && *text != '\0')
    g_print ("%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
}

/* What the import did, in one line: the plan's description says what it
 * would do. */
static void
print_result (KdxImportKind  kind,
              KdxImportPlan *plan)
{
  guint n_new = kdx_import_plan_get_n_new (plan);
  guint n_updated = kdx_import_plan_get_n_updated (plan);
  guint n_unchanged = kdx_import_plan_get_n_unchanged (plan);

  switch (kind)
    {
    case KDX_IMPORT_PEOPLE:
      /* Translators: the result of a people import */
      g_print (_("People: %u added, %u changed, %u unchanged, %u deactivated\n"),
               n_new, n_updated, n_unchanged, kdx_import_plan_get_n_deactivated (plan));
      break;
    case KDX_IMPORT_ASSIGNMENTS:
      g_print (_("Assignments: %u made, %u there already\n"), n_new, n_unchanged);
      break;
    case KDX_IMPORT_COMPLETIONS:
      g_print (_("Completions: %u recorded, %u there already, %u rows left out\n"),
               n_new + n_updated, n_unchanged,
               kdx_import_plan_get_n_unmatched (plan) + kdx_import_plan_get_n_open (plan));
      break;
    }
}

int
kdx_cli_import_csv (int argc, char **argv)
{
  g_autofree char *kind_name = NULL;
  g_autofree char *delimiter_name = NULL;
  g_autofree char *encoding_name = NULL;
  g_autofree char *date_order_name = NULL;
  g_autofree char *today = NULL;
  g_autofree char *course = NULL;
  g_autofree char *as = NULL;
  g_auto(GStrv) maps = NULL;
  gboolean deactivate_missing = FALSE;
  gboolean skip_unmatched = FALSE;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name,
      N_("What the CSV file holds: people, assignments or completions"), N_("KIND") },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &delimiter_name,
      N_("The delimiter: “,” “;” or tab (default: detected)"), N_("DELIMITER") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding_name,
      N_("The encoding: utf-8, windows-1252 or utf-16 (default: detected)"), N_("ENCODING") },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_("Read the column (header name or number) as this field; may be repeated"),
      N_("COLUMN=FIELD") },
    { "course", 0, 0, G_OPTION_ARG_STRING, &course,
      N_("assignments, completions: the course of every row, for a file without a course "
         "column (by key or title)"), N_("COURSE") },
    { "date-order", 0, 0, G_OPTION_ARG_STRING, &date_order_name,
      N_("How to read dates like 03/04/2026: dmy or mdy"), N_("ORDER") },
    { "deactivate-missing", 0, 0, G_OPTION_ARG_NONE, &deactivate_missing,
      N_("people: deactivate the people that the file does not name"), NULL },
    { "skip-unmatched", 0, 0, G_OPTION_ARG_NONE, &skip_unmatched,
      N_("completions: import the rows that match and list the others in the journal"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Print what would change, and change nothing"), NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today,
      N_("The day the import counts as today (default: today)"), N_("YYYY-MM-DD") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      N_("Act as this person (e-mail or id) in the journal"), N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("import FILE --kind KIND CSV"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxImport) import = NULL;
  g_autoptr(KdxImportPlan) plan = NULL;
  g_autoptr(GFile) file = NULL;
  KdxDateOrder date_order = KDX_DATE_ORDER_UNKNOWN;
  const char *encoding = NULL;
  const char *csv;
  GError *error = NULL;
  char delimiter = 0;
  int kind;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Imports people, assignments or completions from a CSV file into "
                             "FILE: everything or, on any problem, nothing. Problems are "
                             "printed as CSV:LINE:COLUMN: message."))) >= 0)
    return rc;
  if (kind_name == NULL || (kind = kdx_import_kind_from_string (kind_name)) < 0)
    return kdx_cli_usage_error (context, _("--kind takes people, assignments or completions"));
  if (!parse_delimiter (delimiter_name, &delimiter))
    return kdx_cli_usage_error (context, _("--delimiter takes “,” “;” or tab"));
  if (encoding_name != NULL && (encoding = parse_encoding (encoding_name)) == NULL)
    return kdx_cli_usage_error (context, _("--encoding takes utf-8, windows-1252 or utf-16"));
  if (date_order_name != NULL)
    {
      if (g_ascii_strcasecmp (date_order_name, "dmy") == 0)
        date_order = KDX_DATE_ORDER_DMY;
      else if (g_ascii_strcasecmp (date_order_name, "mdy") == 0)
        date_order = KDX_DATE_ORDER_MDY;
      else
        return kdx_cli_usage_error (context, _("--date-order takes dmy or mdy"));
    }
  if (today != NULL && !kdx_date_is_iso (today))
    return kdx_cli_usage_error (context, _("--today takes a date as YYYY-MM-DD"));
  if (deactivate_missing && kind != KDX_IMPORT_PEOPLE)
    return kdx_cli_usage_error (context, _("--deactivate-missing is for --kind people"));
  if (skip_unmatched && kind != KDX_IMPORT_COMPLETIONS)
    return kdx_cli_usage_error (context, _("--skip-unmatched is for --kind completions"));
  if (course != NULL && kind == KDX_IMPORT_PEOPLE)
    return kdx_cli_usage_error (context, _("--course is for --kind assignments or completions"));
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      g_autofree char *message = NULL;

      if (!check_map (kind, maps[i], &message))
        return kdx_cli_usage_error (context, message);
    }

  csv = argv[3];
  /* A dry run changes nothing, so it needs no lock and works on a
   * workspace that is open elsewhere. */
  store = dry_run ? open_read_only (argv[2], &error) : kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  if (!dry_run && !kdx_cli_act_as (store, as, &error))
    return kdx_cli_fail (error);

  import = kdx_import_new (kind);
  kdx_import_set_encoding (import, encoding);
  kdx_import_set_delimiter (import, delimiter);
  if (course != NULL)
    kdx_import_set_course (import, course);
  file = g_file_new_for_commandline_arg (csv);
  if (!kdx_import_open (import, file, store, NULL, &error))
    {
      /* "Line 2, column 1: …" is said of the CSV file. */
      if (error->domain != G_IO_ERROR)
        g_prefix_error (&error, "%s: ", csv);
      return kdx_cli_fail (error);
    }

  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    if (!kdx_import_map_by_name (import, maps[i], &error))
      return kdx_cli_fail (error);
  if (!kdx_import_check_mapping (import, &error))
    {
      g_autoptr(GPtrArray) headers = g_ptr_array_new ();

      for (guint i = 0; i < kdx_import_get_n_columns (import); i++)
        {
          const char *header = kdx_import_get_header (import, i);

          g_ptr_array_add (headers, (gpointer) (header ? header : ""));
        }
      g_ptr_array_add (headers, NULL);
      {
        g_autofree char *list = g_strjoinv (", ", (char **) headers->pdata);

        /* Translators: the first %s is what is missing, the last the file's column names */
        g_prefix_error (&error, "%s: ", csv);
        g_printerr (_("kodex-cli: %s; name the columns with --map COLUMN=FIELD (the columns "
                      "are: %s)\n"), error->message, list);
        g_clear_error (&error);
      }
      return EXIT_FAILURE;
    }

  kdx_import_set_deactivate_missing (import, deactivate_missing);
  kdx_import_set_skip_unmatched (import, skip_unmatched);
  kdx_import_set_date_order (import, date_order);
  kdx_import_set_today (import, today);

  plan = kdx_import_plan (import, store, NULL, NULL, &error);
  if (plan == NULL)
    return kdx_cli_fail (error);

  if (dry_run)
    print_description (plan);

  if (kdx_import_plan_get_n_problems (plan) > 0 || kdx_import_needs_date_order (import))
    {
      guint n = kdx_import_plan_get_n_problems (plan);

      print_problems (csv, plan);
      if (kdx_import_needs_date_order (import))
        g_printerr (_("kodex-cli: the dates in “%s” can be read as day/month or as month/day; "
                      "say which with --date-order dmy or --date-order mdy\n"), csv);
      else if (dry_run)
        g_printerr (ngettext ("kodex-cli: %u problem; an import would be refused\n",
                              "kodex-cli: %u problems; an import would be refused\n", n), n);
      else
        g_printerr (ngettext ("kodex-cli: %u problem; nothing was imported\n",
                              "kodex-cli: %u problems; nothing was imported\n", n), n);
      return EXIT_FAILURE;
    }

  if (dry_run)
    return EXIT_SUCCESS;

  if (!kdx_import_commit (import, store, NULL, NULL, &error))
    return kdx_cli_fail (error);
  print_result (kind, plan);

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Finding things                                                     */

/* By uuid or key; "pol-007" is POL-007, as the other commands find keys. */
static KdxPolicy *
find_policy (KdxStore    *store,
             const char  *what,
             GError     **error)
{
  g_autofree char *upper = g_ascii_strup (what, -1);
  KdxPolicy *policy = kdx_policy_load (store, what, NULL);

  if (policy == NULL)
    policy = kdx_policy_load (store, upper, error);

  return policy;
}

static KdxSystem *
find_system (KdxStore    *store,
             const char  *what,
             GError     **error)
{
  g_autofree char *upper = g_ascii_strup (what, -1);
  KdxSystem *system = kdx_system_load (store, what, NULL);

  if (system == NULL)
    system = kdx_system_load (store, upper, error);
  if (system != NULL && kdx_system_get_trashed (system) != NULL)
    {
      g_set_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_NOT_FOUND,
                   _("The AI system “%s” is in the trash"), kdx_system_get_key (system));
      g_clear_object (&system);
    }

  return system;
}

static KdxCourse *
find_course (KdxStore    *store,
             const char  *what,
             GError     **error)
{
  g_autofree char *upper = g_ascii_strup (what, -1);
  g_autoptr(GError) local = NULL;
  KdxCourse *course = kdx_course_find (store, what, &local);

  if (course == NULL && !g_str_equal (upper, what))
    course = kdx_course_find (store, upper, NULL);
  if (course == NULL)
    g_propagate_error (error, g_steal_pointer (&local));

  return course;
}

/* ------------------------------------------------------------------ */
/* kodex-cli course list FILE                                          */

static void
rule_to_json (JsonBuilder *b,
              KdxStore    *store,
              KdxRule     *rule)
{
  g_autofree char *description = kdx_rule_dup_description (rule);
  g_autoptr(KdxSystem) system = NULL;

  if (rule->system_uuid != NULL)
    system = kdx_system_load (store, rule->system_uuid, NULL);

  json_builder_begin_object (b);
  kdx_cli_json_string (b, "uuid", rule->uuid);
  kdx_cli_json_string (b, "kind", kdx_rule_kind_to_string (rule->kind));
  kdx_cli_json_string (b, "target", rule->target);
  kdx_cli_json_string (b, "system", system ? kdx_system_get_key (system) : rule->system_uuid);
  kdx_cli_json_int (b, "due_days", rule->due_days);
  kdx_cli_json_string (b, "description", description);
  json_builder_end_object (b);
}

static void
course_to_json (JsonBuilder *b,
                KdxStore    *store,
                KdxCourse   *course,
                GPtrArray   *rules)
{
  g_auto(GStrv) policies = kdx_course_dup_policies (course);

  json_builder_begin_object (b);
  kdx_cli_json_string (b, "key", kdx_course_get_key (course));
  kdx_cli_json_string (b, "uuid", kdx_course_get_uuid (course));
  kdx_cli_json_string (b, "title", kdx_course_get_title (course));
  kdx_cli_json_string (b, "topic", kdx_course_get_topic (course));
  kdx_cli_json_string (b, "description", kdx_course_get_description (course));
  kdx_cli_json_int (b, "duration_minutes", kdx_course_get_duration_minutes (course));
  kdx_cli_json_int (b, "validity_months", kdx_course_get_validity_months (course));
  kdx_cli_json_bool (b, "ai_literacy", kdx_course_get_ai_literacy (course));
  json_builder_set_member_name (b, "policies");
  json_builder_begin_array (b);
  for (guint i = 0; policies != NULL && policies[i] != NULL; i++)
    {
      g_autoptr(KdxPolicy) policy = kdx_policy_load (store, policies[i], NULL);

      json_builder_add_string_value (b, policy ? kdx_policy_get_key (policy) : policies[i]);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rules");
  json_builder_begin_array (b);
  for (guint i = 0; i < rules->len; i++)
    {
      KdxRule *rule = rules->pdata[i];

      if (g_strcmp0 (rule->course_uuid, kdx_course_get_uuid (course)) == 0)
        rule_to_json (b, store, rule);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static int
course_list (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("course list FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GPtrArray) courses = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                           _("Lists the courses, by title: key, validity in months, AI literacy "
                             "(EU AI Act Art. 4), title."))) >= 0)
    return rc;

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  courses = kdx_course_list (store, &error);
  if (courses == NULL)
    return kdx_cli_fail (error);
  rules = kdx_rule_list (store, NULL, &error);
  if (rules == NULL)
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < courses->len; i++)
        course_to_json (b, store, courses->pdata[i], rules);
      json_builder_end_array (b);
      kdx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < courses->len; i++)
      {
        KdxCourse *c = courses->pdata[i];

        g_print ("%s\t%u\t%s\t%s\n", kdx_course_get_key (c), kdx_course_get_validity_months (c),
                 kdx_course_get_ai_literacy (c) ? "ai-literacy" : "—", kdx_course_get_title (c));
      }

  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* kodex-cli course add FILE --title TITLE                             */

/* --rule everyone|department=X|role=X|committee|overseers[=SYSTEM]; the
 * system is looked up once the workspace is open. */
static KdxRule *
parse_rule (const char  *text,
            char       **system)
{
  g_autoptr(KdxRule) rule = kdx_rule_new ();
  const char *eq = strchr (text, '=');
  g_autofree char *name = eq ? g_strndup (text, eq - text) : g_strdup (text);
  g_autofree char *value = eq ? g_strstrip (g_strdup (eq + 1)) : NULL;
  int kind = kdx_rule_kind_from_string (name);

  *system = NULL;
  switch (kind)
    {
    case KDX_RULE_EVERYONE:
    case KDX_RULE_COMMITTEE:
      if (value != NULL)
        return NULL;
      break;
    case KDX_RULE_DEPARTMENT:
    case KDX_RULE_ROLE:
      if (value == NULL || *value == '\0')
        return NULL;
      rule->target = g_steal_pointer (&value);
      break;
    case KDX_RULE_OVERSEERS:
      if (value != NULL && *value == '\0')
        return NULL;
      *system = g_steal_pointer (&value);
      break;
    default:
      return NULL;
    }
  rule->kind = kind;

  return g_steal_pointer (&rule);
}

static int
course_add (int argc, char **argv)
{
  g_autofree char *title = NULL, *topic = NULL, *description = NULL, *as = NULL;
  g_auto(GStrv) policies = NULL;
  g_auto(GStrv) rule_texts = NULL;
  int duration = 0, validity = 0, due_days = 30;
  gboolean ai_literacy = FALSE;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("Title (required)"), N_("TITLE") },
    { "topic", 0, 0, G_OPTION_ARG_STRING, &topic, N_("Topic"), N_("TOPIC") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("Description"), N_("TEXT") },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration, N_("Duration in minutes"), N_("MINUTES") },
    { "validity", 0, 0, G_OPTION_ARG_INT, &validity,
      N_("Months a completion stays valid; 0 (the default): it never expires"), N_("MONTHS") },
    { "ai-literacy", 0, 0, G_OPTION_ARG_NONE, &ai_literacy,
      N_("The course teaches AI literacy (EU AI Act Art. 4)"), NULL },
    { "policy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &policies,
      N_("A policy the course teaches, by key; may be repeated"), N_("KEY") },
    { "rule", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rule_texts,
      N_("Assign the course to everyone, department=NAME, role=NAME, committee, or overseers "
         "(of every AI system, or overseers=SYSTEM of one); may be repeated"), N_("RULE") },
    { "due-days", 0, 0, G_OPTION_ARG_INT, &due_days,
      N_("The rules' assignments are due this many days after they are made (default 30)"),
      N_("N") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      N_("Act as this person (e-mail or id) in the journal"), N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("course add FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxCourse) course = kdx_course_new ();
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_rule_free);
  g_autoptr(GPtrArray) systems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) policy_uuids = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                           _("Adds a course, with the rules that assign it; prints its key."))) >= 0)
    return rc;
  if (title == NULL || *g_strstrip (title) == '\0')
    return kdx_cli_usage_error (context, _("--title is required"));
  if (duration < 0)
    return kdx_cli_usage_error (context, _("--duration takes a number of minutes, 0 or more"));
  if (validity < 0)
    return kdx_cli_usage_error (context, _("--validity takes a number of months, 0 or more"));
  if (due_days < 0)
    return kdx_cli_usage_error (context, _("--due-days takes a number of days, 0 or more"));
  for (guint i = 0; rule_texts != NULL && rule_texts[i] != NULL; i++)
    {
      char *system = NULL;
      KdxRule *rule = parse_rule (rule_texts[i], &system);

      if (rule == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("--rule takes everyone, department=NAME, role=NAME, committee, "
                               "overseers or overseers=SYSTEM, not “%s”"), rule_texts[i]);
          return kdx_cli_usage_error (context, message);
        }
      rule->due_days = due_days;
      g_ptr_array_add (rules, rule);
      g_ptr_array_add (systems, system);
    }

  store = kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  if (!kdx_cli_act_as (store, as, &error))
    return kdx_cli_fail (error);

  /* Everything named is found before anything is written. */
  for (guint i = 0; policies != NULL && policies[i] != NULL; i++)
    {
      g_autoptr(KdxPolicy) policy = find_policy (store, policies[i], &error);

      if (policy == NULL)
        return kdx_cli_fail (error);
      g_ptr_array_add (policy_uuids, g_strdup (kdx_policy_get_uuid (policy)));
    }
  g_ptr_array_add (policy_uuids, NULL);
  for (guint i = 0; i < rules->len; i++)
    {
      KdxRule *rule = rules->pdata[i];
      const char *what = systems->pdata[i];

      if (what != NULL)
        {
          g_autoptr(KdxSystem) system = find_system (store, what, &error);

          if (system == NULL)
            return kdx_cli_fail (error);
          rule->system_uuid = g_strdup (kdx_system_get_uuid (system));
        }
    }

  kdx_course_set_title (course, title);
  kdx_course_set_topic (course, topic);
  kdx_course_set_description (course, description);
  kdx_course_set_duration_minutes (course, duration);
  kdx_course_set_validity_months (course, validity);
  kdx_course_set_ai_literacy (course, ai_literacy);
  kdx_course_set_policies (course, (const char * const *) policy_uuids->pdata);

  /* The course and its rules: one change, all or nothing. */
  if (!kdx_store_begin (store, &error))
    return kdx_cli_fail (error);
  if (!kdx_course_insert (store, course, &error))
    goto failed;
  for (guint i = 0; i < rules->len; i++)
    {
      KdxRule *rule = rules->pdata[i];

      g_free (rule->course_uuid);
      rule->course_uuid = g_strdup (kdx_course_get_uuid (course));
      if (!kdx_rule_insert (store, rule, &error))
        goto failed;
    }
  if (!kdx_store_commit (store, &error))
    goto failed;

  g_print ("%s\n", kdx_course_get_key (course));

  return EXIT_SUCCESS;

failed:
  kdx_store_rollback (store);
  return kdx_cli_fail (error);
}

static const Command course_commands[] = {
  { "list", course_list, N_("List courses") },
  { "add", course_add, N_("Add a course and the rules that assign it") },
};

int
kdx_cli_course (int argc, char **argv)
{
  return kdx_cli_dispatch (course_commands, G_N_ELEMENTS (course_commands), "course ",
                           argc - 1, argv + 1);
}

/* ------------------------------------------------------------------ */
/* kodex-cli training status FILE                                      */

/* Numbers stand right-aligned under their headings. */
static char *
pad_left (const char *text,
          guint       width)
{
  GString *padded = g_string_new (NULL);
  glong length = g_utf8_strlen (text, -1);

  while (length++ < (glong) width)
    g_string_append_c (padded, ' ');
  g_string_append (padded, text);

  return g_string_free (padded, FALSE);
}

enum
{
  COL_LABEL,
  COL_PEOPLE,
  COL_COMPLETION,
  COL_ASSIGNED,
  COL_OVERDUE,
  COL_COMPLETED,
  COL_EXPIRING,
  COL_EXPIRED,
  N_COLUMNS
};

static char *
format_percent (double completion)
{
  /* Rounded down: 100 % means everyone. */
  int percent = (int) floor (CLAMP (completion, 0.0, 1.0) * 100.0 + 1e-9);

  /* Translators: a percentage; German puts a space before the sign */
  return g_strdup_printf (C_ ("percent", "%d%%"), percent);
}

static char **
summary_cells (KdxTrainingSummary  *s,
               KdxTrainingGrouping  grouping)
{
  char **cells = g_new0 (char *, N_COLUMNS + 1);

  if (grouping == KDX_TRAINING_BY_DEPARTMENT && (s->label == NULL || *s->label == '\0'))
    cells[COL_LABEL] = g_strdup (_("(no department)"));
  else
    cells[COL_LABEL] = g_strdup (s->label ? s->label : "");
  cells[COL_PEOPLE] = g_strdup_printf ("%u", s->n_people);
  cells[COL_COMPLETION] = format_percent (s->completion);
  cells[COL_ASSIGNED] = g_strdup_printf ("%u", s->n_status[KDX_ASSIGNMENT_ASSIGNED]);
  cells[COL_OVERDUE] = g_strdup_printf ("%u", s->n_status[KDX_ASSIGNMENT_OVERDUE]);
  cells[COL_COMPLETED] = g_strdup_printf ("%u", s->n_status[KDX_ASSIGNMENT_COMPLETED]);
  cells[COL_EXPIRING] = g_strdup_printf ("%u/%u/%u", s->n_expiring_30, s->n_expiring_60,
                                         s->n_expiring_90);
  cells[COL_EXPIRED] = g_strdup_printf ("%u", s->n_status[KDX_ASSIGNMENT_EXPIRED]);

  return cells;
}

static void
print_status_table (GPtrArray           *groups,
                    KdxTrainingGrouping  grouping)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *label_heading = grouping == KDX_TRAINING_BY_COURSE ? _("Course")
                            : grouping == KDX_TRAINING_BY_DEPARTMENT ? _("Department")
                            : _("Person");
  char **heading = g_new0 (char *, N_COLUMNS + 1);
  guint widths[N_COLUMNS] = { 0 };

  heading[COL_LABEL] = g_strdup (label_heading);
  heading[COL_PEOPLE] = g_strdup (_("People"));
  /* Translators: column header of kodex-cli training status: the share of rounds with a valid completion */
  heading[COL_COMPLETION] = g_strdup (C_("share with a valid completion", "Done"));
  heading[COL_ASSIGNED] = g_strdup (_("Assigned"));
  heading[COL_OVERDUE] = g_strdup (_("Overdue"));
  heading[COL_COMPLETED] = g_strdup (_("Completed"));
  /* Translators: completions that expire within 30, 60 and 90 days */
  heading[COL_EXPIRING] = g_strdup (_("Expiring 30/60/90"));
  heading[COL_EXPIRED] = g_strdup (_("Expired"));
  g_ptr_array_add (rows, heading);
  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_add (rows, summary_cells (groups->pdata[i], grouping));

  for (guint r = 0; r < rows->len; r++)
    for (guint c = 0; c < N_COLUMNS; c++)
      widths[c] = MAX (widths[c], (guint) g_utf8_strlen (((char **) rows->pdata[r])[c], -1));

  for (guint r = 0; r < rows->len; r++)
    {
      char **cells = rows->pdata[r];
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < N_COLUMNS; c++)
        {
          g_autofree char *cell = c == COL_LABEL ? kdx_cli_pad (cells[c], widths[c])
                                                 : pad_left (cells[c], widths[c]);

          if (c > 0)
            g_string_append (line, "  ");
          g_string_append (line, cell);
        }
      /* No trailing blanks after the last column. */
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }

  if (groups->len == 0)
    g_print ("%s\n", _("No one has a course assigned."));
}

static void
status_to_json (JsonBuilder         *b,
                GPtrArray           *groups,
                const char          *by,
                const char          *today)
{
  json_builder_begin_object (b);
  kdx_cli_json_string (b, "by", by);
  kdx_cli_json_string (b, "today", today);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; i < groups->len; i++)
    {
      KdxTrainingSummary *s = groups->pdata[i];

      json_builder_begin_object (b);
      kdx_cli_json_string (b, "key", s->key);
      kdx_cli_json_string (b, "label", s->label);
      kdx_cli_json_int (b, "people", s->n_people);
      json_builder_set_member_name (b, "completion");
      json_builder_add_double_value (b, s->completion);
      for (int st = 0; st < KDX_ASSIGNMENT_N_STATUSES; st++)
        kdx_cli_json_int (b, kdx_assignment_status_to_string (st), s->n_status[st]);
      kdx_cli_json_int (b, "expiring_30", s->n_expiring_30);
      kdx_cli_json_int (b, "expiring_60", s->n_expiring_60);
      kdx_cli_json_int (b, "expiring_90", s->n_expiring_90);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static int
training_status (int argc, char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *course_name = NULL;
  g_autofree char *department = NULL;
  g_autofree char *today = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by,
      N_("One row per course (the default), department or person"), N_("GROUPING") },
    { "course", 0, 0, G_OPTION_ARG_STRING, &course_name,
      N_("Only this course, by key or title"), N_("COURSE") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department,
      N_("Only the people of this department"), N_("DEPARTMENT") },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today,
      N_("Count overdue and expiring as on this day (default: today)"), N_("YYYY-MM-DD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("training status FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxCourse) course = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  KdxTrainingGrouping grouping = KDX_TRAINING_BY_COURSE;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1,
                           _("Shows how far the training has come: per course, department or "
                             "person, the share of people with a valid completion and how many "
                             "rounds are assigned, overdue, completed, expiring within 30, 60 "
                             "and 90 days, and expired."))) >= 0)
    return rc;
  if (by == NULL || g_str_equal (by, "course"))
    grouping = KDX_TRAINING_BY_COURSE;
  else if (g_str_equal (by, "department"))
    grouping = KDX_TRAINING_BY_DEPARTMENT;
  else if (g_str_equal (by, "person"))
    grouping = KDX_TRAINING_BY_PERSON;
  else
    return kdx_cli_usage_error (context, _("--by takes course, department or person"));
  if (today != NULL && !kdx_date_is_iso (today))
    return kdx_cli_usage_error (context, _("--today takes a date as YYYY-MM-DD"));
  if (today == NULL)
    today = kdx_date_today ();

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  if (course_name != NULL && (course = find_course (store, course_name, &error)) == NULL)
    return kdx_cli_fail (error);

  groups = kdx_training_status (store, grouping, course ? kdx_course_get_uuid (course) : NULL,
                                department, today, NULL, &error);
  if (groups == NULL)
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      status_to_json (b, groups, by ? by : "course", today);
      kdx_cli_print_json (b);
    }
  else
    print_status_table (groups, grouping);

  return EXIT_SUCCESS;
}

static const Command training_commands[] = {
  { "status", training_status, N_("Show completion per course, department or person") },
};

int
kdx_cli_training (int argc, char **argv)
{
  return kdx_cli_dispatch (training_commands, G_N_ELEMENTS (training_commands), "training ",
                           argc - 1, argv + 1);
}

/* ------------------------------------------------------------------ */
/* kodex-cli person export|erase FILE WHO                              */

int
kdx_cli_person_export (int argc, char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to this file (required)"),
      N_("OUT") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("json or xml (default: from the name of OUT)"), N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("person export FILE WHO"));
  g_autoptr(KdxStore) store = NULL;
  KdxPersonExportFormat export_format;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Writes everything the workspace holds about one person (by e-mail, "
                             "employee id or id), for a request under GDPR Art. 15 or 20. The "
                             "file is readable by you alone."))) >= 0)
    return rc;
  if (format != NULL && g_ascii_strcasecmp (format, "json") != 0 &&
      g_ascii_strcasecmp (format, "xml") != 0)
    return kdx_cli_usage_error (context, _("--format takes json or xml"));
  if (output == NULL)
    return kdx_cli_usage_error (context, _("-o OUT is required"));
  if (format == NULL)
    {
      g_autofree char *lower = g_ascii_strdown (output, -1);

      if (g_str_has_suffix (lower, ".json"))
        format = g_strdup ("json");
      else if (g_str_has_suffix (lower, ".xml"))
        format = g_strdup ("xml");
      else
        return kdx_cli_usage_error (context, _("--format is required when OUT ends in "
                                               "neither .json nor .xml"));
    }
  export_format = g_ascii_strcasecmp (format, "json") == 0 ? KDX_PERSON_EXPORT_JSON
                                                         : KDX_PERSON_EXPORT_XML;

  store = open_read_only (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (!kdx_privacy_export_person_to_file (store, argv[3], export_format, output, NULL, &error))
    return kdx_cli_fail (error);

  return EXIT_SUCCESS;
}

/* Asks on the terminal; TRUE when the answer is yes. */
static gboolean
confirm_erasure (KdxStore   *store,
                 const char *who)
{
  g_autoptr(KdxPerson) person = kdx_person_find (store, who, NULL);
  char answer[64] = "";
  g_autofree char *name = NULL;

  if (person != NULL && kdx_person_get_email (person) != NULL)
    name = g_strdup_printf ("%s <%s>", kdx_person_get_name (person),
                            kdx_person_get_email (person));
  else if (person != NULL)
    name = g_strdup (kdx_person_get_name (person));
  else
    name = g_strdup (who);

  /* Translators: the answer must be typed as the word in the quotes;
   * "yes" in English is understood as well */
  g_printerr (_("Erase %s? Their name, e-mail and employee id disappear from the workspace and "
                "its journal; this cannot be undone. Type “yes” to erase: "), name);
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);

  return g_ascii_strcasecmp (answer, "yes") == 0 || g_utf8_collate (answer, _("yes")) == 0;
}

int
kdx_cli_person_erase (int argc, char **argv)
{
  g_autofree char *as = NULL;
  gboolean yes = FALSE;
  GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes,
      N_("Do not ask; required when kodex-cli does not run on a terminal"), NULL },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      N_("Act as this person (e-mail or id) in the journal"), N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("person erase FILE WHO"));
  g_autoptr(KdxStore) store = NULL;
  KdxErasureReport report = { 0 };
  int status;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Erases a person (by e-mail, employee id or id) under GDPR Art. 17: "
                             "their strings disappear from the workspace, its journal and its "
                             "write-ahead log, and the journal still verifies. Their votes and "
                             "completions stay counted, under a pseudonym."))) >= 0)
    return rc;
  if (!yes && !(isatty (STDIN_FILENO) && isatty (STDERR_FILENO)))
    return kdx_cli_usage_error (context, _("--yes is required when kodex-cli cannot ask on a "
                                           "terminal"));

  store = kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);
  if (!kdx_cli_act_as (store, as, &error))
    return kdx_cli_fail (error);
  if (!yes && !confirm_erasure (store, argv[3]))
    {
      g_printerr (_("kodex-cli: nothing was erased\n"));
      return EXIT_FAILURE;
    }

  /* When only the checkpoint failed, the erasure is done but the -wal
   * keeps old pages until another connection closes: said, and a failure,
   * for a script must not report the request as fulfilled. */
  if (!kdx_privacy_erase_person (store, argv[3], &report, NULL, &error) &&
      !g_error_matches (error, KDX_PRIVACY_ERROR, KDX_PRIVACY_ERROR_CHECKPOINT))
    return kdx_cli_fail (error);

  g_print (ngettext ("Erased: now “%s”; %u journal entry rewritten\n",
                     "Erased: now “%s”; %u journal entries rewritten\n",
                     report.n_journal_rewritten),
           report.pseudonym, report.n_journal_rewritten);
  kdx_erasure_report_clear (&report);
  status = error != NULL ? kdx_cli_fail (error) : EXIT_SUCCESS;

  return status;
}
