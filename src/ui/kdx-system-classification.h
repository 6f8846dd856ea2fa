/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_CLASSIFICATION (kdx_system_classification_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemClassification, kdx_system_classification, KDX, SYSTEM_CLASSIFICATION, GtkWidget)

KdxSystemClassification *kdx_system_classification_new        (void);
void                     kdx_system_classification_set_system (KdxSystemClassification *self,
                                                                KdxStore                *store,
                                                                const char              *uuid);

G_END_DECLS
