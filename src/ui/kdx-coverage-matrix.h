/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_COVERAGE_MATRIX_VIEW (kdx_coverage_matrix_view_get_type ())
G_DECLARE_FINAL_TYPE (KdxCoverageMatrixView, kdx_coverage_matrix_view, KDX, COVERAGE_MATRIX_VIEW, GtkWidget)

/* Systems × policies coloured by compliance status; draws only the
 * visible cells, so 2,000 × 2,000 scrolls smoothly. */
KdxCoverageMatrixView *kdx_coverage_matrix_view_new       (void);
void                   kdx_coverage_matrix_view_set_store (KdxCoverageMatrixView *self,
                                                            KdxStore              *store);

G_END_DECLS
