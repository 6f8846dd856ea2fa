/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The workspace's rule for approving a policy version, stored in the
 * setting "quorum" as "KIND:MINIMUM", e.g. "majority:3". */
typedef enum
{
  KDX_QUORUM_MAJORITY,    /* more than half of all committee members */
  KDX_QUORUM_TWO_THIRDS,  /* at least two thirds of all committee members */
  KDX_QUORUM_UNANIMOUS,   /* every committee member */
} KdxQuorumKind;

typedef struct
{
  KdxQuorumKind kind;
  guint         minimum;  /* approvals needed at least, whatever the share */
} KdxQuorum;

gboolean  kdx_quorum_parse     (const char      *text,
                                KdxQuorum       *quorum);
char     *kdx_quorum_to_string (const KdxQuorum *quorum);
guint     kdx_quorum_required  (const KdxQuorum *quorum,
                                guint            n_members);
char     *kdx_quorum_describe  (const KdxQuorum *quorum);

G_END_DECLS
