/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-person.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_PERSON_EDITOR (kdx_person_editor_get_type ())
G_DECLARE_FINAL_TYPE (KdxPersonEditor, kdx_person_editor, KDX, PERSON_EDITOR, AdwWindow)

/* @person: the person to edit, or %NULL to add one */
KdxPersonEditor *kdx_person_editor_new (GtkWindow *parent,
                                        KdxStore  *store,
                                        KdxPerson *person);

G_END_DECLS
