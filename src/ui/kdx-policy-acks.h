/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-policy.h"

G_BEGIN_DECLS

#define KDX_TYPE_POLICY_ACKS (kdx_policy_acks_get_type ())
G_DECLARE_FINAL_TYPE (KdxPolicyAcks, kdx_policy_acks, KDX, POLICY_ACKS, GtkWidget)

/* Shows who must acknowledge the published @version and who has; NULL
 * (no published version) shows why there is nothing to acknowledge. */
void     kdx_policy_acks_set_version     (KdxPolicyAcks    *self,
                                          KdxStore         *store,
                                          KdxPolicyVersion *version);
/* Opens the pending people of @department (NULL: people without one). */
void     kdx_policy_acks_show_department (KdxPolicyAcks    *self,
                                          const char       *department);
/* Imports acknowledgements from a CSV file in @encoding (NULL: UTF-8 or
 * as its byte order mark says), as the Import button does. */
gboolean kdx_policy_acks_import_file     (KdxPolicyAcks    *self,
                                          GFile            *file,
                                          const char       *encoding,
                                          GError          **error);

G_END_DECLS
