/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kdx-import-dialog.h"

struct _KdxImportDialog
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxImportDialog, kdx_import_dialog, ADW_TYPE_WINDOW)

static void
kdx_import_dialog_class_init (KdxImportDialogClass *klass)
{
}

static void
kdx_import_dialog_init (KdxImportDialog *self)
{
}

KdxImportDialog *
kdx_import_dialog_new (GtkWindow     *parent,
                       KdxStore      *store,
                       KdxImportKind  kind)
{
  return g_object_new (KDX_TYPE_IMPORT_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}

void
kdx_import_dialog_open_file (KdxImportDialog *self,
                             GFile           *file)
{
}
