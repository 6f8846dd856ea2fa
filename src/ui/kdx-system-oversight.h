/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_OVERSIGHT (kdx_system_oversight_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemOversight, kdx_system_oversight, KDX, SYSTEM_OVERSIGHT, GtkWidget)

/* The Oversight & responsibilities section of a system: oversight mode,
 * explainability, overseers and the RACI matrix, each stored as edited. */
KdxSystemOversight *kdx_system_oversight_new             (void);
void                kdx_system_oversight_set_system      (KdxSystemOversight *self,
                                                          KdxStore           *store,
                                                          const char         *uuid);
/* What "Add Overseer…" and "Add Person…" do with the chosen person;
 * FALSE when core refused (the message is shown in the section). */
gboolean            kdx_system_oversight_add_overseer    (KdxSystemOversight *self,
                                                          const char         *person_uuid);
gboolean            kdx_system_oversight_add_raci        (KdxSystemOversight *self,
                                                          const char         *person_uuid);
/* Whether the RACI matrix on screen has edits core refused to store. */
gboolean            kdx_system_oversight_has_pending_raci (KdxSystemOversight *self);

G_END_DECLS
