/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kodex-cli policy list|show|import: the policies of a workspace for
 * scripts, and Markdown files with front matter imported as drafts for
 * committees that draft in text files.
 */
#define G_LOG_DOMAIN "kodex-cli"

#include "config.h"

#include "kodex-cli.h"

#include "kdx-markdown.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-template.h"

#include <glib/gi18n.h>
#include <string.h>

#define POLICY_ERROR_FILE (g_quark_from_static_string ("kodex-cli-policy-file"))

static void
policy_to_json (JsonBuilder *b,
                KdxPolicy   *p)
{
  json_builder_begin_object (b);
  kdx_cli_json_string (b, "key", kdx_policy_get_key (p));
  kdx_cli_json_string (b, "uuid", kdx_policy_get_uuid (p));
  kdx_cli_json_string (b, "title", kdx_policy_get_title (p));
  kdx_cli_json_string (b, "kind", kdx_policy_kind_to_string (kdx_policy_get_kind (p)));
  kdx_cli_json_string (b, "area", kdx_policy_area_to_string (kdx_policy_get_area (p)));
  kdx_cli_json_string (b, "status", kdx_version_status_to_string (kdx_policy_get_status (p)));
  kdx_cli_json_string (b, "version", kdx_policy_get_version_label (p));
  kdx_cli_json_string (b, "published", kdx_policy_get_published_label (p));
  kdx_cli_json_string (b, "owner", kdx_policy_get_owner (p));
  kdx_cli_json_string (b, "owner_name", kdx_policy_get_owner_name (p));
  json_builder_set_member_name (b, "review_months");
  json_builder_add_int_value (b, kdx_policy_get_review_months (p));
  kdx_cli_json_string (b, "next_review", kdx_policy_get_next_review (p));
  json_builder_set_member_name (b, "review_overdue");
  json_builder_add_boolean_value (b, kdx_policy_is_overdue (p, NULL));
  kdx_cli_json_string (b, "retired", kdx_policy_get_retired (p));
  json_builder_end_object (b);
}

/* kodex-cli policy list FILE [--status S] [--json] */
static int
policy_list (int argc, char **argv)
{
  g_autofree char *status = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only policies whose newest version has this status: draft, review, approved, "
         "published, superseded or retired"), N_("STATUS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("policy list FILE"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  KdxPolicyFilter filter;
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 1, _("Lists the policies, by key."))) >= 0)
    return rc;

  kdx_policy_filter_init (&filter);
  filter.include_retired = TRUE;
  if (status != NULL && (filter.status = kdx_version_status_from_string (status)) < 0)
    return kdx_cli_usage_error (context, _("--status takes draft, review, approved, published, "
                                           "superseded or retired"));

  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  policies = kdx_policy_list (store, &filter, &error);
  if (policies == NULL)
    return kdx_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < policies->len; i++)
        policy_to_json (b, policies->pdata[i]);
      json_builder_end_array (b);
      kdx_cli_print_json (b);
    }
  else
    for (guint i = 0; i < policies->len; i++)
      {
        KdxPolicy *p = policies->pdata[i];

        g_print ("%s\t%s\t%s\t%s\t%s\t%s\n", kdx_policy_get_key (p),
                 kdx_version_status_to_string (kdx_policy_get_status (p)),
                 kdx_cli_or_dash (kdx_policy_get_version_label (p)),
                 kdx_cli_or_dash (kdx_policy_get_next_review (p)),
                 kdx_cli_or_dash (kdx_policy_get_owner_name (p)), kdx_policy_get_title (p));
      }

  return EXIT_SUCCESS;
}

static void
print_html (KdxPolicy        *policy,
            KdxPolicyVersion *version)
{
  g_autofree char *body = kdx_markdown_to_html (kdx_policy_version_get_body (version), -1);
  g_autofree char *title = g_markup_printf_escaped ("%s · %s %s", kdx_policy_get_key (policy),
                                                    kdx_policy_get_title (policy),
                                                    kdx_policy_version_get_label (version));

  g_print ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"generator\" content=\"Kodex " PACKAGE_VERSION "\">\n"
           "<title>%s</title>\n</head>\n<body>\n%s</body>\n</html>\n", title, body);
}

/* kodex-cli policy show FILE KEY [--version N] [--format markdown|html] */
static int
policy_show (int argc, char **argv)
{
  g_autofree char *version_arg = NULL;
  g_autofree char *format = NULL;
  GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_STRING, &version_arg,
      N_("The version, by number (1, 2, …) or label (1.1); default: the published one, "
         "else the newest"), N_("N") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("markdown (default) or html"),
      N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("policy show FILE KEY"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(KdxPolicy) policy = NULL;
  g_autoptr(KdxPolicyVersion) version = NULL;
  GError *error = NULL;
  const char *body;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Prints the text of a policy version as Markdown or HTML."))) >= 0)
    return rc;
  if (format != NULL && !g_str_equal (format, "markdown") && !g_str_equal (format, "html"))
    return kdx_cli_usage_error (context, _("--format takes markdown or html"));

  store = kdx_store_open (argv[2], KDX_STORE_OPEN_READ_ONLY | KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  policy = kdx_policy_load (store, argv[3], &error);
  if (policy == NULL)
    return kdx_cli_fail (error);
  version = kdx_policy_version_find (store, kdx_policy_get_uuid (policy), version_arg, &error);
  if (version == NULL)
    return kdx_cli_fail (error);

  if (format != NULL && g_str_equal (format, "html"))
    print_html (policy, version);
  else
    {
      body = kdx_policy_version_get_body (version);
      g_print ("%s%s", body, g_str_has_suffix (body, "\n") || *body == '\0' ? "" : "\n");
    }

  return EXIT_SUCCESS;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The Markdown files of @path: the file itself, or the *.md files of a
 * folder, by name. */
static GPtrArray *
markdown_files (const char  *path,
                GError     **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return g_steal_pointer (&files);
    }

  dir = g_dir_open (path, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".md") || g_str_has_suffix (name, ".markdown"))
      g_ptr_array_add (files, g_build_filename (path, name, NULL));
  g_ptr_array_sort (files, compare_paths);

  if (files->len == 0)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("“%s” holds no Markdown files (*.md)"), display);
      return NULL;
    }

  return g_steal_pointer (&files);
}

/* Imports one file inside the caller's transaction. */
static gboolean
import_file (KdxStore    *store,
             const char  *path,
             GString     *report,
             GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(KdxPolicy) existing = NULL;
  g_autoptr(KdxPolicy) policy = NULL;
  const char *key, *title, *kind, *area, *owner;
  gsize length;
  int kind_value = KDX_POLICY_KIND_POLICY;
  int area_value = KDX_POLICY_AREA_GOVERNANCE;

  if (!g_file_get_contents (path, &text, &length, error))
    return FALSE;
  if (!kdx_front_matter_parse (text, length, &fields, &body, error))
    return FALSE;

  key = g_hash_table_lookup (fields, "key");
  title = g_hash_table_lookup (fields, "title");
  kind = g_hash_table_lookup (fields, "kind");
  area = g_hash_table_lookup (fields, "area");
  owner = g_hash_table_lookup (fields, "owner");

  if (kind != NULL && (kind_value = kdx_policy_kind_from_string (kind)) < 0)
    {
      g_set_error (error, POLICY_ERROR_FILE, 0,
                   _("kind “%s” is none of code-of-conduct, policy, guideline, procedure"), kind);
      return FALSE;
    }
  if (area != NULL && (area_value = kdx_policy_area_from_string (area)) < 0)
    {
      g_set_error (error, POLICY_ERROR_FILE, 0,
                   _("area “%s” is none of transparency, privacy, fairness, oversight, "
                     "autonomy, workforce, governance"), area);
      return FALSE;
    }

  if (key != NULL)
    existing = kdx_policy_load (store, key, NULL);

  if (existing == NULL)
    {
      if (title == NULL)
        {
          g_set_error_literal (error, POLICY_ERROR_FILE, 0, _("the front matter has no title"));
          return FALSE;
        }
      g_autofree char *upper = key ? g_ascii_strup (key, -1) : NULL;

      policy = kdx_policy_new ();
      kdx_policy_set_key (policy, upper);
      kdx_policy_set_title (policy, title);
      kdx_policy_set_kind (policy, kind_value);
      kdx_policy_set_area (policy, area_value);
      if (owner != NULL)
        {
          g_autoptr(KdxPerson) person = kdx_person_find (store, owner, error);

          if (person == NULL)
            return FALSE;
          kdx_policy_set_owner (policy, kdx_person_get_uuid (person));
        }
      if (!kdx_policy_create (store, policy, body, error))
        return FALSE;
      g_string_append_printf (report, _("%s: new draft 1.0\n"), kdx_policy_get_key (policy));
      return TRUE;
    }
  else
    {
      /* A file for a policy the workspace has: its text becomes the open
       * draft, or a new minor draft. */
      g_autoptr(GPtrArray) versions = kdx_policy_list_versions (store, kdx_policy_get_uuid (existing),
                                                                error);
      g_autoptr(KdxPolicyVersion) draft = NULL;
      KdxPolicyVersion *newest;

      if (versions == NULL)
        return FALSE;
      newest = versions->len > 0 ? versions->pdata[versions->len - 1] : NULL;
      if (newest != NULL && kdx_policy_version_get_status (newest) == KDX_VERSION_DRAFT)
        draft = g_object_ref (newest);
      else
        draft = kdx_policy_new_draft (store, kdx_policy_get_uuid (existing), FALSE, error);
      if (draft == NULL ||
          !kdx_policy_save_draft (store, kdx_policy_version_get_uuid (draft), body, error))
        return FALSE;
      g_string_append_printf (report, _("%s: draft %s updated\n"), kdx_policy_get_key (existing),
                              kdx_policy_version_get_label (draft));
      return TRUE;
    }
}

/* kodex-cli policy import FILE PATH */
static int
policy_import (int argc, char **argv)
{
  g_autofree char *as = NULL;
  GOptionEntry entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Act as this person (e-mail or id) in the journal"),
      N_("WHO") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("policy import FILE PATH"));
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  GError *error = NULL;
  int rc;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((rc = kdx_cli_parse (context, &argc, &argv, 2,
                           _("Imports a Markdown file, or a folder of them, as drafts. Each file "
                             "begins with front matter: key (optional), title, kind, area, "
                             "owner (optional). All files are imported, or none."))) >= 0)
    return rc;

  files = markdown_files (argv[3], &error);
  if (files == NULL)
    return kdx_cli_fail (error);

  store = kdx_cli_open_writable (argv[2], &error);
  if (store == NULL)
    return kdx_cli_fail (error);

  if (!kdx_cli_act_as (store, as, &error))
    return kdx_cli_fail (error);

  if (!kdx_store_begin (store, &error))
    return kdx_cli_fail (error);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GError) local = NULL;

      if (!import_file (store, files->pdata[i], report, &local))
        {
          g_autofree char *display = g_filename_display_basename (files->pdata[i]);

          kdx_store_rollback (store);
          g_set_error (&error, local->domain, local->code, _("%s: %s (nothing was imported)"),
                       display, local->message);
          return kdx_cli_fail (error);
        }
    }
  if (!kdx_store_commit (store, &error))
    return kdx_cli_fail (error);

  g_print ("%s", report->str);

  return EXIT_SUCCESS;
}

static const Command policy_commands[] = {
  { "list", policy_list, N_("List policies") },
  { "show", policy_show, N_("Show the text of a policy") },
  { "import", policy_import, N_("Import Markdown files as drafts") },
};

int
kdx_cli_policy (int argc, char **argv)
{
  /* "policy list FILE": shift so that "list" stands where a command does. */
  return kdx_cli_dispatch (policy_commands, G_N_ELEMENTS (policy_commands), "policy ",
                           argc - 1, argv + 1);
}
