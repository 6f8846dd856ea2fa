/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KDX_TYPE_APPLICATION (kdx_application_get_type ())
G_DECLARE_FINAL_TYPE (KdxApplication, kdx_application, KDX, APPLICATION, AdwApplication)

KdxApplication *kdx_application_new              (void);
GSettings      *kdx_application_get_settings     (KdxApplication *self);
void            kdx_application_add_recent       (KdxApplication *self,
                                                  const char     *path);
void            kdx_application_remove_recent    (KdxApplication *self,
                                                  const char     *path);
char           *kdx_application_dup_identity     (KdxApplication *self,
                                                  const char     *path);
void            kdx_application_set_identity     (KdxApplication *self,
                                                  const char     *path,
                                                  const char     *uuid);
char           *kdx_application_dup_demo_path    (KdxApplication *self);

G_END_DECLS
