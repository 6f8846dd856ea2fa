/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-classify.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_CLASSIFY_DIALOG (kdx_classify_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KdxClassifyDialog, kdx_classify_dialog, KDX, CLASSIFY_DIALOG, AdwWindow)

/* The EU AI Act assistant for one system, over @parent. It starts from
 * the system's stored answers, or else from those its use case suggests;
 * Save classifies the system with them (kdx_system_classify()). */
KdxClassifyDialog *kdx_classify_dialog_new        (GtkWindow         *parent,
                                                   KdxStore          *store,
                                                   const char        *system_uuid);
/* The answers as they stand in the dialog (owned by it). */
GHashTable        *kdx_classify_dialog_get_answers (KdxClassifyDialog *self);
/* 0 … KDX_QUESTION_N_GROUPS - 1 for the question groups, then the result. */
guint              kdx_classify_dialog_get_step    (KdxClassifyDialog *self);

/* Shows @risk on @label as a coloured pill (with the kdx-status class). */
void               kdx_classify_dialog_style_risk  (GtkLabel          *label,
                                                    KdxRiskClass       risk);

G_END_DECLS
