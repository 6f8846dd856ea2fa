/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the commands of kodex-cli share: option parsing with the exit codes
 * of the contract (0 success, 1 failure with one line on stderr, 2 usage
 * error), JSON output, opening a workspace for writing, sub-commands.
 */
#pragma once

#include "kdx-store.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EXIT_USAGE 2

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} Command;

/* Prints "kodex-cli: MESSAGE", frees @error; returns EXIT_FAILURE. */
int         kdx_cli_fail          (GError          *error);
/* Prints the message and the command's help; returns EXIT_USAGE. */
int         kdx_cli_usage_error   (GOptionContext  *context,
                                   const char      *message);
/* Parses the options of one command ("kodex-cli CMD …": argv[1] is the
 * command) with @n_positional arguments after it; returns -1 to go on,
 * or the exit code. */
int         kdx_cli_parse         (GOptionContext  *context,
                                   int             *argc,
                                   char          ***argv,
                                   int              n_positional,
                                   const char      *summary);
void        kdx_cli_print_json    (JsonBuilder     *builder);
/* A member of the object being built: a string (NULL: null), a number,
 * a boolean. */
void        kdx_cli_json_string   (JsonBuilder     *builder,
                                   const char      *name,
                                   const char      *value);
void        kdx_cli_json_int      (JsonBuilder     *builder,
                                   const char      *name,
                                   gint64           value);
void        kdx_cli_json_bool     (JsonBuilder     *builder,
                                   const char      *name,
                                   gboolean         value);
/* Opens a workspace to change it; a read-only open (locked, newer,
 * unwritable) is an error naming why. */
KdxStore   *kdx_cli_open_writable (const char      *path,
                                   GError         **error);
/* --as WHO: the person (e-mail or id) the journal names; NULL: nobody. */
gboolean    kdx_cli_act_as        (KdxStore        *store,
                                   const char      *who,
                                   GError         **error);
int         kdx_cli_dispatch      (const Command   *commands,
                                   guint            n,
                                   const char      *prefix,
                                   int              argc,
                                   char           **argv);
const char *kdx_cli_or_dash       (const char      *text);
/* @text followed by spaces up to @width characters (not bytes). */
char       *kdx_cli_pad           (const char      *text,
                                   guint            width);

/* kodex-cli-policy.c */
int         kdx_cli_policy        (int              argc,
                                   char           **argv);

/* kodex-cli-system.c */
int         kdx_cli_system        (int              argc,
                                   char           **argv);
int         kdx_cli_classify      (int              argc,
                                   char           **argv);
int         kdx_cli_catalog       (int              argc,
                                   char           **argv);
int         kdx_cli_coverage      (int              argc,
                                   char           **argv);

/* kodex-cli-training.c */
/* "kodex-cli import FILE --kind KIND CSV": cmd_import hands over when
 * --kind is given. */
int         kdx_cli_import_csv    (int              argc,
                                   char           **argv);
int         kdx_cli_course        (int              argc,
                                   char           **argv);
int         kdx_cli_training      (int              argc,
                                   char           **argv);
/* "person export" and "person erase", with argv shifted as for
 * kdx_cli_dispatch() ("export" in argv[1]). */
int         kdx_cli_person_export (int              argc,
                                   char           **argv);
int         kdx_cli_person_erase  (int              argc,
                                   char           **argv);

G_END_DECLS
