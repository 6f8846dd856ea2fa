/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_POLICY_MAPPINGS (kdx_policy_mappings_get_type ())
G_DECLARE_FINAL_TYPE (KdxPolicyMappings, kdx_policy_mappings, KDX, POLICY_MAPPINGS, GtkWidget)

/* The Mappings tab of a policy: the requirements it covers and the AI
 * systems it applies to, with their compliance status. */
KdxPolicyMappings *kdx_policy_mappings_new        (void);
void               kdx_policy_mappings_set_policy (KdxPolicyMappings *self,
                                                   KdxStore          *store,
                                                   const char        *policy_uuid);

G_END_DECLS
