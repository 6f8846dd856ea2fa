/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Being written (issue 4).
 */
#define G_LOG_DOMAIN "kdx-classify-dialog"

#include "config.h"

#include "kdx-classify-dialog.h"

#include <glib/gi18n.h>

struct _KdxClassifyDialog
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxClassifyDialog, kdx_classify_dialog, ADW_TYPE_WINDOW)

static void
kdx_classify_dialog_dispose (GObject *object)
{

  G_OBJECT_CLASS (kdx_classify_dialog_parent_class)->dispose (object);
}

static void
kdx_classify_dialog_class_init (KdxClassifyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_classify_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-classify-dialog.ui");
}

static void
kdx_classify_dialog_init (KdxClassifyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
