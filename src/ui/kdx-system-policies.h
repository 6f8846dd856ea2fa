/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_POLICIES (kdx_system_policies_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemPolicies, kdx_system_policies, KDX, SYSTEM_POLICIES, GtkWidget)

/* The Policies section of an AI system: the policies applied to it with
 * their compliance status, assessor, date and evidence; the policies its
 * use case suggests; and whether the system complies overall. */

KdxSystemPolicies *kdx_system_policies_new        (void);
void               kdx_system_policies_set_system (KdxSystemPolicies *self,
                                                   KdxStore          *store,
                                                   const char        *uuid);
/* Opens Apply Policy… (action "policies.apply"). */
void               kdx_system_policies_apply      (KdxSystemPolicies *self);

G_END_DECLS
