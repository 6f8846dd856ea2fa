/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_SYSTEM_PAGE (kdx_system_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxSystemPage, kdx_system_page, KDX, SYSTEM_PAGE, GtkWidget)

KdxSystemPage *kdx_system_page_new          (void);
void           kdx_system_page_set_store    (KdxSystemPage *self,
                                             KdxStore      *store);
void           kdx_system_page_focus_search (KdxSystemPage *self);
/* Opens a system (uuid or key). */
void           kdx_system_page_show_system  (KdxSystemPage *self,
                                             const char    *system);
void           kdx_system_page_show_list    (KdxSystemPage *self);
/* The New AI System dialog, with the use-case library. */
void           kdx_system_page_new_system   (KdxSystemPage *self);

G_END_DECLS
