/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kodex-cli"

#include "config.h"

#include "kodex-cli.h"

#include "kdx-person.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>

int
kdx_cli_fail (GError *error)
{
  g_printerr ("kodex-cli: %s\n", error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

int
kdx_cli_usage_error (GOptionContext *context,
                     const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("kodex-cli: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

int
kdx_cli_parse (GOptionContext *context,
               int            *argc,
               char         ***argv,
               int             n_positional,
               const char     *summary)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  if (!g_option_context_parse (context, argc, argv, &error))
    return kdx_cli_usage_error (context, error->message);
  if (*argc - 2 != n_positional)
    return kdx_cli_usage_error (context, _("wrong number of arguments"));

  return -1;
}

void
kdx_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

KdxStore *
kdx_cli_open_writable (const char  *path,
                       GError     **error)
{
  g_autoptr(KdxStore) store = kdx_store_open (path, KDX_STORE_OPEN_DEFAULT, error);
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autofree char *name = NULL;

  if (store == NULL || !kdx_store_is_read_only (store))
    return g_steal_pointer (&store);

  holder = kdx_store_dup_lock_holder (store);
  name = g_filename_display_basename (path);
  if (kdx_store_get_read_only_reason (store) == KDX_STORE_READ_ONLY_LOCKED && holder)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_LOCKED,
                 _("“%s” is in use by %s on %s (process %" PRId64 "); "
                   "close Kodex there and try again"),
                 name, holder->user, holder->host, holder->pid);
  else if (kdx_store_get_read_only_reason (store) == KDX_STORE_READ_ONLY_NEWER)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NEWER,
                 _("“%s” was made by a newer Kodex; update Kodex to change it"), name);
  else
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY,
                 _("“%s” cannot be written here"), name);

  return NULL;
}

gboolean
kdx_cli_act_as (KdxStore    *store,
                const char  *who,
                GError     **error)
{
  g_autoptr(KdxPerson) actor = NULL;

  if (who == NULL)
    return TRUE;
  actor = kdx_person_find (store, who, error);
  if (actor == NULL)
    return FALSE;
  kdx_store_set_actor (store, kdx_person_get_uuid (actor));

  return TRUE;
}

static int
print_usage (const Command *commands,
             guint          n,
             const char    *prefix,
             FILE          *out)
{
  fprintf (out, _("Usage: kodex-cli %sCOMMAND [OPTION…] FILE …\n\nCommands:\n"), prefix);
  for (guint i = 0; i < n; i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\nRun “kodex-cli %sCOMMAND --help” for the options of a command.\n"), prefix);

  return out == stdout ? EXIT_SUCCESS : EXIT_USAGE;
}

int
kdx_cli_dispatch (const Command *commands,
                  guint          n,
                  const char    *prefix,
                  int            argc,
                  char         **argv)
{
  if (argc < 2)
    return print_usage (commands, n, prefix, stderr);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    return print_usage (commands, n, prefix, stdout);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (argc, argv);

  g_printerr (_("kodex-cli: unknown command “%s”\n"), argv[1]);
  print_usage (commands, n, prefix, stderr);

  return EXIT_USAGE;
}

const char *
kdx_cli_or_dash (const char *text)
{
  return text ? text : "—";
}

/* printf's %-20s counts bytes, and "Erklärbarkeit" has more bytes than
 * letters: columns are padded by characters instead. */
char *
kdx_cli_pad (const char *text,
             guint       width)
{
  GString *padded = g_string_new (text ? text : "");
  glong length = g_utf8_strlen (padded->str, -1);

  while (length++ < (glong) width)
    g_string_append_c (padded, ' ');

  return g_string_free (padded, FALSE);
}

void
kdx_cli_json_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
kdx_cli_json_int (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
kdx_cli_json_bool (JsonBuilder *builder,
                   const char  *name,
                   gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}
