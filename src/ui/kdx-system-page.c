/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Being written (issue 4).
 */
#define G_LOG_DOMAIN "kdx-system-page"

#include "config.h"

#include "kdx-system-page.h"

#include <glib/gi18n.h>

struct _KdxSystemPage
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxSystemPage, kdx_system_page, GTK_TYPE_WIDGET)

static void
kdx_system_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_SYSTEM_PAGE);

  G_OBJECT_CLASS (kdx_system_page_parent_class)->dispose (object);
}

static void
kdx_system_page_class_init (KdxSystemPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-system-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_page_init (KdxSystemPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
