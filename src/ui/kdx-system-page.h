/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_PAGE (kdx_system_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemPage, kdx_system_page, KDX, SYSTEM_PAGE, GtkWidget)

KdxSystemPage *kdx_system_page_new             (void);
void           kdx_system_page_set_store       (KdxSystemPage *self,
                                                KdxStore      *store);
void           kdx_system_page_focus_search    (KdxSystemPage *self);
void           kdx_system_page_set_search      (KdxSystemPage *self,
                                                const char    *text);
/* Shows the register filtered by one risk class (a KdxRiskClass,
 * KDX_RISK_UNCLASSIFIED for the systems not classified yet), or by none
 * (KDX_SYSTEM_FILTER_ALL). */
void           kdx_system_page_set_risk_filter (KdxSystemPage *self,
                                                int            risk);
/* Opens a system (uuid or key). */
void           kdx_system_page_show_system     (KdxSystemPage *self,
                                                const char    *system);
/* Back to the register. */
void           kdx_system_page_show_list       (KdxSystemPage *self);
/* The New AI System dialog, with the use-case library (action
 * "systems.new"). */
void           kdx_system_page_new_system      (KdxSystemPage *self);
/* The rows of the register as shown (KdxSystem). */
GListModel    *kdx_system_page_get_model       (KdxSystemPage *self);
/* The view of one system (KdxSystemView), built if it was not yet. */
GtkWidget     *kdx_system_page_get_view        (KdxSystemPage *self);

G_END_DECLS
