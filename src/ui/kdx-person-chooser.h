/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_PERSON_CHOOSER (kdx_person_chooser_get_type ())
G_DECLARE_FINAL_TYPE (KdxPersonChooser, kdx_person_chooser, KDX, PERSON_CHOOSER, GtkWidget)

void        kdx_person_chooser_set_store       (KdxPersonChooser *self,
                                                KdxStore         *store);
void        kdx_person_chooser_set_person      (KdxPersonChooser *self,
                                                const char       *uuid);
const char *kdx_person_chooser_get_person      (KdxPersonChooser *self);
void        kdx_person_chooser_set_empty_label (KdxPersonChooser *self,
                                                const char       *label);
void        kdx_person_chooser_set_format      (KdxPersonChooser *self,
                                                const char       *format);
void        kdx_person_chooser_set_allow_none  (KdxPersonChooser *self,
                                                gboolean          allow_none);
void        kdx_person_chooser_popup           (KdxPersonChooser *self);

G_END_DECLS
