/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-quorum"

#include "config.h"

#include "kdx-quorum.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_names[] = {
  [KDX_QUORUM_MAJORITY] = "majority",
  [KDX_QUORUM_TWO_THIRDS] = "two-thirds",
  [KDX_QUORUM_UNANIMOUS] = "unanimous",
};

gboolean
kdx_quorum_parse (const char *text,
                  KdxQuorum  *quorum)
{
  g_auto(GStrv) parts = NULL;
  guint64 minimum;

  g_return_val_if_fail (quorum != NULL, FALSE);

  quorum->kind = KDX_QUORUM_MAJORITY;
  quorum->minimum = 3;
  if (text == NULL)
    return FALSE;

  parts = g_strsplit (text, ":", 2);
  if (parts[0] == NULL || parts[1] == NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (parts[1], 10, 1, 99, &minimum, NULL))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (parts[0], kind_names[i]))
      {
        quorum->kind = i;
        quorum->minimum = (guint) minimum;
        return TRUE;
      }

  return FALSE;
}

char *
kdx_quorum_to_string (const KdxQuorum *quorum)
{
  g_return_val_if_fail (quorum != NULL && quorum->kind <= KDX_QUORUM_UNANIMOUS, NULL);

  return g_strdup_printf ("%s:%u", kind_names[quorum->kind], quorum->minimum);
}

/* How many approvals a version needs in a committee of @n_members. */
guint
kdx_quorum_required (const KdxQuorum *quorum,
                     guint            n_members)
{
  guint share;

  g_return_val_if_fail (quorum != NULL, G_MAXUINT);

  switch (quorum->kind)
    {
    case KDX_QUORUM_MAJORITY:
      share = n_members / 2 + 1;
      break;
    case KDX_QUORUM_TWO_THIRDS:
      share = (2 * n_members + 2) / 3;
      break;
    case KDX_QUORUM_UNANIMOUS:
    default:
      share = n_members;
      break;
    }

  return MAX (share, quorum->minimum);
}

char *
kdx_quorum_describe (const KdxQuorum *quorum)
{
  g_return_val_if_fail (quorum != NULL, NULL);

  switch (quorum->kind)
    {
    case KDX_QUORUM_MAJORITY:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Majority of all committee members, at least %u vote",
                                           "Majority of all committee members, at least %u votes",
                                           quorum->minimum), quorum->minimum);
    case KDX_QUORUM_TWO_THIRDS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Two thirds of all committee members, at least %u vote",
                                           "Two thirds of all committee members, at least %u votes",
                                           quorum->minimum), quorum->minimum);
    case KDX_QUORUM_UNANIMOUS:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "All committee members, at least %u vote",
                                           "All committee members, at least %u votes",
                                           quorum->minimum), quorum->minimum);
    }
}
