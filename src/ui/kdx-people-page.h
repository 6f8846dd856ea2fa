/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_PEOPLE_PAGE (kdx_people_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxPeoplePage, kdx_people_page, KDX, PEOPLE_PAGE, GtkWidget)

KdxPeoplePage *kdx_people_page_new          (void);
void           kdx_people_page_set_store    (KdxPeoplePage *self,
                                             KdxStore      *store);
void           kdx_people_page_focus_search (KdxPeoplePage *self);
void           kdx_people_page_set_search   (KdxPeoplePage *self,
                                             const char    *text);
void           kdx_people_page_add_person   (KdxPeoplePage *self);
GListModel    *kdx_people_page_get_model    (KdxPeoplePage *self);

G_END_DECLS
