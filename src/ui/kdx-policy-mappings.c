/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Being written (issue 4).
 */
#define G_LOG_DOMAIN "kdx-policy-mappings"

#include "config.h"

#include "kdx-policy-mappings.h"

#include <glib/gi18n.h>

struct _KdxPolicyMappings
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxPolicyMappings, kdx_policy_mappings, GTK_TYPE_WIDGET)

static void
kdx_policy_mappings_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_POLICY_MAPPINGS);

  G_OBJECT_CLASS (kdx_policy_mappings_parent_class)->dispose (object);
}

static void
kdx_policy_mappings_class_init (KdxPolicyMappingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_policy_mappings_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-policy-mappings.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_policy_mappings_init (KdxPolicyMappings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
