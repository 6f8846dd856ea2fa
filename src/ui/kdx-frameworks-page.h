/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_FRAMEWORKS_PAGE (kdx_frameworks_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxFrameworksPage, kdx_frameworks_page, KDX, FRAMEWORKS_PAGE, GtkWidget)

KdxFrameworksPage *kdx_frameworks_page_new           (void);
void               kdx_frameworks_page_set_store     (KdxFrameworksPage *self,
                                                      KdxStore          *store);
/* Shows one catalog's requirement coverage (key, e.g. "eu-ai-act"). */
void               kdx_frameworks_page_show_catalog  (KdxFrameworksPage *self,
                                                      const char        *key);
/* Shows the coverage matrix systems × policies. */
void               kdx_frameworks_page_show_matrix   (KdxFrameworksPage *self);
/* The Import Catalog file chooser. */
void               kdx_frameworks_page_import        (KdxFrameworksPage *self);

G_END_DECLS
