/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_OVERVIEW_PAGE (kdx_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxOverviewPage, kdx_overview_page, KDX, OVERVIEW_PAGE, GtkWidget)

KdxOverviewPage *kdx_overview_page_new       (void);
void             kdx_overview_page_set_store (KdxOverviewPage *self,
                                              KdxStore        *store);

G_END_DECLS
