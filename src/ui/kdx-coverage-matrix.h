/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-mapping.h"
#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_COVERAGE_MATRIX_VIEW (kdx_coverage_matrix_view_get_type ())
G_DECLARE_FINAL_TYPE (KdxCoverageMatrixView, kdx_coverage_matrix_view, KDX, COVERAGE_MATRIX_VIEW, GtkWidget)

/* Systems × policies coloured by compliance status; draws only the
 * visible cells, so 2,000 × 2,000 scrolls smoothly. A click on a cell, or
 * Enter on the focused one, activates `win.show-system` with the system's
 * uuid ("s"). */
KdxCoverageMatrixView *kdx_coverage_matrix_view_new       (void);
/* Loads kdx_coverage_matrix_load() and reloads it whenever systems or
 * policies change. */
void                   kdx_coverage_matrix_view_set_store (KdxCoverageMatrixView *self,
                                                           KdxStore              *store);
/* Shows @matrix (transfer full) as it is, for a benchmark or a preview;
 * the store's matrix replaces it on its next change. */
void                   kdx_coverage_matrix_view_set_matrix (KdxCoverageMatrixView *self,
                                                            KdxCoverageMatrix     *matrix);

/* What is shown, for tests and assistive technology. */
guint                  kdx_coverage_matrix_view_get_n_rows    (KdxCoverageMatrixView *self);
guint                  kdx_coverage_matrix_view_get_n_columns (KdxCoverageMatrixView *self);
/* The KdxCompliance of a cell, or -1 where the policy does not apply. */
int                    kdx_coverage_matrix_view_get_cell      (KdxCoverageMatrixView *self,
                                                               guint                  row,
                                                               guint                  column);
/* The uuid of a row's system or a column's policy. */
const char            *kdx_coverage_matrix_view_get_system    (KdxCoverageMatrixView *self,
                                                               guint                  row);
const char            *kdx_coverage_matrix_view_get_policy    (KdxCoverageMatrixView *self,
                                                               guint                  column);
/* The cell the keyboard is on; FALSE when there is none. */
gboolean               kdx_coverage_matrix_view_get_focus_cell (KdxCoverageMatrixView *self,
                                                                guint                 *row,
                                                                guint                 *column);
/* Moves the keyboard to a cell and scrolls it into view. */
void                   kdx_coverage_matrix_view_set_focus_cell (KdxCoverageMatrixView *self,
                                                                guint                  row,
                                                                guint                  column);
/* The tooltip of a cell: "SYS-012 · Lead scoring × POL-004 · Disclosure:
 * Partial (assessed on 2 Oct 2026 by Dana Dorn)". */
char                  *kdx_coverage_matrix_view_dup_cell_text (KdxCoverageMatrixView *self,
                                                               guint                  row,
                                                               guint                  column);
/* The widget that draws the cells, and where a cell is in it (FALSE when
 * it is scrolled out of view). */
GtkWidget             *kdx_coverage_matrix_view_get_grid      (KdxCoverageMatrixView *self);
gboolean               kdx_coverage_matrix_view_get_cell_area (KdxCoverageMatrixView *self,
                                                               guint                  row,
                                                               guint                  column,
                                                               graphene_rect_t       *area);
/* The side of a cell in pixels; the zoom buttons step through 8–32. */
int                    kdx_coverage_matrix_view_get_cell_size (KdxCoverageMatrixView *self);
void                   kdx_coverage_matrix_view_set_cell_size (KdxCoverageMatrixView *self,
                                                               int                    size);

G_END_DECLS
