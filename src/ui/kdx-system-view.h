/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_VIEW (kdx_system_view_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemView, kdx_system_view, KDX, SYSTEM_VIEW, GtkWidget)

KdxSystemView *kdx_system_view_new          (void);
/* Shows @uuid of @store (NULL: nothing). */
void           kdx_system_view_set_system   (KdxSystemView *self,
                                             KdxStore      *store,
                                             const char    *uuid);
const char    *kdx_system_view_get_system   (KdxSystemView *self);
/* "overview", "classification", "data", "oversight", "policies", "frameworks" */
void           kdx_system_view_show_section (KdxSystemView *self,
                                             const char    *section);
/* Stores what is being typed (a row, the description, the notice) now. */
void           kdx_system_view_flush        (KdxSystemView *self);
/* The language of the customer notice shown: "de" or "en". */
void           kdx_system_view_set_notice_language (KdxSystemView *self,
                                                    const char    *language);
const char    *kdx_system_view_get_notice_language (KdxSystemView *self);
/* Writes the notice shown to @file (0600): HTML when its name ends in
 * .html or .htm, else plain text. What goes wrong is shown in a toast. */
gboolean       kdx_system_view_export_notice (KdxSystemView *self,
                                              GFile         *file);

G_END_DECLS
