/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_FRAMEWORKS (kdx_system_frameworks_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemFrameworks, kdx_system_frameworks, KDX, SYSTEM_FRAMEWORKS, GtkWidget)

KdxSystemFrameworks *kdx_system_frameworks_new        (void);
void                 kdx_system_frameworks_set_system (KdxSystemFrameworks *self,
                                                       KdxStore            *store,
                                                       const char          *uuid);

G_END_DECLS
