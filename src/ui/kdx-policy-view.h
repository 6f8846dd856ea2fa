/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_POLICY_VIEW (kdx_policy_view_get_type ())
G_DECLARE_FINAL_TYPE (KdxPolicyView, kdx_policy_view, KDX, POLICY_VIEW, GtkWidget)

/* Shows @policy (uuid or key) at @version_uuid, or at its newest
 * version when NULL. A NULL @store clears the view. */
void        kdx_policy_view_set_policy   (KdxPolicyView *self,
                                          KdxStore      *store,
                                          const char    *policy,
                                          const char    *version_uuid);
const char *kdx_policy_view_get_policy   (KdxPolicyView *self);
/* The version shown (uuid). */
const char *kdx_policy_view_get_version  (KdxPolicyView *self);
/* Shows "text", "compare", "review", "acks" or "details". */
void        kdx_policy_view_show_tab     (KdxPolicyView *self,
                                          const char    *name);
/* Stores text still being typed. */
void        kdx_policy_view_flush        (KdxPolicyView *self);
GtkWidget  *kdx_policy_view_get_editor   (KdxPolicyView *self);

G_END_DECLS
