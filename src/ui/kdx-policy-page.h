/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_POLICY_PAGE (kdx_policy_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxPolicyPage, kdx_policy_page, KDX, POLICY_PAGE, GtkWidget)

KdxPolicyPage *kdx_policy_page_new              (void);
void           kdx_policy_page_set_store        (KdxPolicyPage *self,
                                                 KdxStore      *store);
void           kdx_policy_page_focus_search     (KdxPolicyPage *self);
void           kdx_policy_page_set_search       (KdxPolicyPage *self,
                                                 const char    *text);
/* Opens a policy (uuid or key); @version_uuid may be NULL. */
void           kdx_policy_page_show_policy      (KdxPolicyPage *self,
                                                 const char    *policy,
                                                 const char    *version_uuid);
/* Back to the list. */
void           kdx_policy_page_show_list        (KdxPolicyPage *self);
void           kdx_policy_page_new_policy       (KdxPolicyPage *self);
GListModel    *kdx_policy_page_get_model        (KdxPolicyPage *self);
GtkWidget     *kdx_policy_page_get_view         (KdxPolicyPage *self);

G_END_DECLS
