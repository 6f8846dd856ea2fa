/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Being written (issue 4).
 */
#define G_LOG_DOMAIN "kdx-system-oversight"

#include "config.h"

#include "kdx-system-oversight.h"

#include <glib/gi18n.h>

struct _KdxSystemOversight
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxSystemOversight, kdx_system_oversight, GTK_TYPE_WIDGET)

static void
kdx_system_oversight_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_SYSTEM_OVERSIGHT);

  G_OBJECT_CLASS (kdx_system_oversight_parent_class)->dispose (object);
}

static void
kdx_system_oversight_class_init (KdxSystemOversightClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_oversight_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-system-oversight.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_oversight_init (KdxSystemOversight *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
