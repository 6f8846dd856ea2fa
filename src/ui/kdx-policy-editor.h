/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-policy.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_POLICY_EDITOR (kdx_policy_editor_get_type ())
G_DECLARE_FINAL_TYPE (KdxPolicyEditor, kdx_policy_editor, KDX, POLICY_EDITOR, GtkWidget)

KdxPolicyEditor *kdx_policy_editor_new         (void);

/* Shows @version; editable only when @editable, the version is a draft
 * and @store is writable. A pending change of the version shown before is
 * stored first. NULL clears. */
void             kdx_policy_editor_set_version (KdxPolicyEditor  *self,
                                                KdxStore         *store,
                                                KdxPolicyVersion *version,
                                                gboolean          editable);

/* Stores a pending change now (before submitting, switching version,
 * closing). TRUE when nothing is left unstored. */
gboolean         kdx_policy_editor_flush       (KdxPolicyEditor  *self,
                                                GError          **error);

/* Whether the editor holds a change not yet stored. */
gboolean         kdx_policy_editor_has_pending (KdxPolicyEditor  *self);

/* The text as it is in the editor now; valid until the next change. */
const char      *kdx_policy_editor_get_text    (KdxPolicyEditor  *self);

G_END_DECLS
