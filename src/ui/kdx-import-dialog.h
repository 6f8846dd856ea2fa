/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV import dialog for people (HR export), assignments and
 * completions (learning platform): file, detected encoding and delimiter
 * (changeable), column mapping with a preview of the first rows, the
 * validation and a summary of what will change, then the import as a job
 * with progress and cancel. Built on KdxImport (src/core/kdx-import.h).
 */
#pragma once

#include <adwaita.h>

#include "kdx-import.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_IMPORT_DIALOG (kdx_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KdxImportDialog, kdx_import_dialog, KDX, IMPORT_DIALOG, AdwWindow)

/* A modal dialog over @parent that first asks for a file. */
KdxImportDialog *kdx_import_dialog_new       (GtkWindow     *parent,
                                              KdxStore      *store,
                                              KdxImportKind  kind);
/* Skips the file chooser (tests, drag and drop): opens @file at once. */
void             kdx_import_dialog_open_file (KdxImportDialog *self,
                                              GFile           *file);

G_END_DECLS
