/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Being written (issue 4).
 */
#define G_LOG_DOMAIN "kdx-coverage-matrix"

#include "config.h"

#include "kdx-coverage-matrix.h"

#include <glib/gi18n.h>

struct _KdxCoverageMatrixView
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KdxCoverageMatrixView, kdx_coverage_matrix_view, GTK_TYPE_WIDGET)

static void
kdx_coverage_matrix_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_COVERAGE_MATRIX_VIEW);

  G_OBJECT_CLASS (kdx_coverage_matrix_view_parent_class)->dispose (object);
}

static void
kdx_coverage_matrix_view_class_init (KdxCoverageMatrixViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_coverage_matrix_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-coverage-matrix.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_coverage_matrix_view_init (KdxCoverageMatrixView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
