/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_CLASSIFY_DIALOG (kdx_classify_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KdxClassifyDialog, kdx_classify_dialog, KDX, CLASSIFY_DIALOG, AdwWindow)

/* The EU AI Act assistant for one system, over @parent. */
KdxClassifyDialog *kdx_classify_dialog_new (GtkWindow  *parent,
                                             KdxStore   *store,
                                             const char *system_uuid);

G_END_DECLS
