/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_OVERSIGHT (kdx_system_oversight_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemOversight, kdx_system_oversight, KDX, SYSTEM_OVERSIGHT, GtkWidget)

KdxSystemOversight *kdx_system_oversight_new        (void);
void                kdx_system_oversight_set_system (KdxSystemOversight *self,
                                                     KdxStore           *store,
                                                     const char         *uuid);

G_END_DECLS
