/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_FRAMEWORKS (kdx_system_frameworks_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemFrameworks, kdx_system_frameworks, KDX, SYSTEM_FRAMEWORKS, GtkWidget)

/* The Frameworks section of an AI system: per catalog, how many of the
 * requirements it must meet (for the EU AI Act, the obligations of its
 * classification) the policies applied to it cover, and the ones they
 * do not, each leading to `win.show-requirement` (its uuid, "s"). */

typedef struct
{
  guint required;
  guint covered;
  guint partly;
  guint gap;
} KdxFrameworkCounts;

KdxSystemFrameworks *kdx_system_frameworks_new        (void);
void                 kdx_system_frameworks_set_system (KdxSystemFrameworks *self,
                                                       KdxStore            *store,
                                                       const char          *uuid);
/* The counts shown for a catalog; FALSE when it is not shown or not yet
 * counted (catalogs other than the EU AI Act are counted one by one when
 * the main loop is idle). */
gboolean             kdx_system_frameworks_get_counts (KdxSystemFrameworks *self,
                                                       const char          *catalog_key,
                                                       KdxFrameworkCounts  *counts);

G_END_DECLS
