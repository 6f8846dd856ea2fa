/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_CLASSIFICATION (kdx_system_classification_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemClassification, kdx_system_classification, KDX, SYSTEM_CLASSIFICATION, GtkWidget)

/* The Classification section of a system. An obligation's button
 * activates `win.show-requirement` with the requirement's uuid ("s"). */
KdxSystemClassification *kdx_system_classification_new        (void);
void                     kdx_system_classification_set_system (KdxSystemClassification *self,
                                                                KdxStore                *store,
                                                                const char              *uuid);
/* Opens the EU AI Act assistant (KdxClassifyDialog) for the system shown
 * (the action `classification.classify`). */
void                     kdx_system_classification_classify   (KdxSystemClassification *self);

G_END_DECLS
