/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-application.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_WINDOW (kdx_window_get_type ())
G_DECLARE_FINAL_TYPE (KdxWindow, kdx_window, KDX, WINDOW, AdwApplicationWindow)

KdxWindow  *kdx_window_new              (KdxApplication *application);
KdxStore   *kdx_window_get_store        (KdxWindow      *self);
gboolean    kdx_window_open_path        (KdxWindow      *self,
                                         const char     *path);
gboolean    kdx_window_create_workspace (KdxWindow      *self,
                                         const char     *path,
                                         const char     *organisation);
void        kdx_window_show_area        (KdxWindow      *self,
                                         const char     *area);
const char *kdx_window_get_area         (KdxWindow      *self);
void        kdx_window_toast            (KdxWindow      *self,
                                         const char     *message);
/* A toast in the window of @widget (a message in the log elsewhere). */
void        kdx_window_toast_from       (GtkWidget      *widget,
                                         const char     *message);
void        kdx_window_toast_trashed    (KdxWindow      *self,
                                         const char     *entity,
                                         const char     *uuid,
                                         const char     *name);
GtkWidget  *kdx_window_get_page         (KdxWindow      *self,
                                         const char     *area);

G_END_DECLS
