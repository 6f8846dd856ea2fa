/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"
#include "kdx-window.h"

G_BEGIN_DECLS

#define KDX_TYPE_SEARCH_WINDOW (kdx_search_window_get_type ())
G_DECLARE_FINAL_TYPE (KdxSearchWindow, kdx_search_window, KDX, SEARCH_WINDOW, AdwWindow)

/* Search everything in the workspace (Ctrl+K): policies (every version)
 * and people; later areas join. Choosing a result opens it in @window. */
KdxSearchWindow *kdx_search_window_new      (KdxWindow       *window,
                                             KdxStore        *store);
void             kdx_search_window_set_text (KdxSearchWindow *self,
                                             const char      *text);
/* How many results are shown, and activates the result at @index. */
guint            kdx_search_window_get_n_results (KdxSearchWindow *self);
void             kdx_search_window_activate (KdxSearchWindow *self,
                                             guint            index);

G_END_DECLS
