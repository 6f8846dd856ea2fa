/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-report"

#include "config.h"

#include "kdx-report.h"
#include "kdx-journal.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

char *
kdx_report_dup_journal_head_line (KdxStore *store)
{
  g_autofree char *hash = NULL;
  gint64 count = 0;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  if (!kdx_journal_get_head (store, &count, &hash))
    return NULL;

  /* Translators: the journal head printed on every report */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Journal: %" PRId64 " entry, head %s",
                                       "Journal: %" PRId64 " entries, head %s",
                                       (gulong) MAX (count, 0)),
                          count, hash);
}
