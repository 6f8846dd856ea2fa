/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

/* Builds one item from the current row of a page query. */
typedef gpointer (*KdxQueryRowFunc) (sqlite3_stmt *stmt);

#define KDX_TYPE_QUERY_MODEL (kdx_query_model_get_type ())
G_DECLARE_FINAL_TYPE (KdxQueryModel, kdx_query_model, KDX, QUERY_MODEL, GObject)

KdxQueryModel *kdx_query_model_new       (KdxStore        *store,
                                          GType            item_type,
                                          KdxQueryRowFunc  row_func);
void           kdx_query_model_watch     (KdxQueryModel   *self,
                                          const char      *entity);
void           kdx_query_model_set_query (KdxQueryModel   *self,
                                          const char      *count_sql,
                                          const char      *page_sql,
                                          GPtrArray       *params);
void           kdx_query_model_reload    (KdxQueryModel   *self);
KdxStore      *kdx_query_model_get_store (KdxQueryModel   *self);

G_END_DECLS
