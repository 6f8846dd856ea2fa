/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kodex"

#include "config.h"

#include "kdx-application.h"
#include "kdx-ui-resources.h"

#include <glib/gi18n.h>
#include <locale.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KdxApplication) app = NULL;
  const char *localedir = g_getenv ("KODEX_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_resources_register (kdx_ui_get_resource ());

  app = kdx_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
