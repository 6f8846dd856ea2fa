/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Being written (issue 4).
 */
#define G_LOG_DOMAIN "kdx-system-frameworks"

#include "config.h"

#include "kdx-system-frameworks.h"

#include <glib/gi18n.h>

struct _KdxSystemFrameworks
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxSystemFrameworks, kdx_system_frameworks, GTK_TYPE_WIDGET)

static void
kdx_system_frameworks_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_SYSTEM_FRAMEWORKS);

  G_OBJECT_CLASS (kdx_system_frameworks_parent_class)->dispose (object);
}

static void
kdx_system_frameworks_class_init (KdxSystemFrameworksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_frameworks_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-system-frameworks.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_frameworks_init (KdxSystemFrameworks *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
