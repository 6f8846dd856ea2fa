/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Being written (issue 4).
 */
#define G_LOG_DOMAIN "kdx-frameworks-page"

#include "config.h"

#include "kdx-frameworks-page.h"

#include <glib/gi18n.h>

struct _KdxFrameworksPage
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxFrameworksPage, kdx_frameworks_page, GTK_TYPE_WIDGET)

static void
kdx_frameworks_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_FRAMEWORKS_PAGE);

  G_OBJECT_CLASS (kdx_frameworks_page_parent_class)->dispose (object);
}

static void
kdx_frameworks_page_class_init (KdxFrameworksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_frameworks_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-frameworks-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_frameworks_page_init (KdxFrameworksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
