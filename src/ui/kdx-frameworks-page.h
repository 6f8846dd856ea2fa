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
/* Shows a requirement (uuid) in its catalog, chosen, with its detail
 * pane; the filters are cleared when they hide it. */
void               kdx_frameworks_page_show_requirement (KdxFrameworksPage *self,
                                                      const char        *uuid);
/* Shows the coverage matrix systems × policies. */
void               kdx_frameworks_page_show_matrix   (KdxFrameworksPage *self);
/* The Import Catalog file chooser. */
void               kdx_frameworks_page_import        (KdxFrameworksPage *self);
/* Imports @file (Kodex or OSCAL catalog XML) in a job: a toast when it is
 * in, a dialog with the reason when it is refused. */
void               kdx_frameworks_page_import_file   (KdxFrameworksPage *self,
                                                      GFile             *file);
/* Whether an import is running. */
gboolean           kdx_frameworks_page_get_busy      (KdxFrameworksPage *self);

/* What is shown: the catalog's key (NULL on the list of catalogs), the
 * requirement in the detail pane (uuid or NULL), how many requirements
 * the filters leave, and the coverage (KdxCoverage) of the shown
 * requirement with @code, -1 when it is not shown. */
const char        *kdx_frameworks_page_get_catalog   (KdxFrameworksPage *self);
const char        *kdx_frameworks_page_get_requirement (KdxFrameworksPage *self);
guint              kdx_frameworks_page_get_n_shown   (KdxFrameworksPage *self);
int                kdx_frameworks_page_get_shown_coverage (KdxFrameworksPage *self,
                                                      const char        *code);

G_END_DECLS
