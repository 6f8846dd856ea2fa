/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

/* Builds one item from the current row of a page query. */
typedef gpointer (*KdxQueryRowFunc) (sqlite3_stmt *stmt);

#define KDX_TYPE_QUERY_MODEL (kdx_query_model_get_type ())
G_DECLARE_FINAL_TYPE (KdxQueryModel, kdx_query_model, KDX, QUERY_MODEL, GObject)

/* Chooses the rows of a model by id: returns the ids (gint64) in the
 * order the model shows them. */
typedef GArray *(*KdxQueryIdsFunc) (KdxQueryModel *model,
                                    gpointer       user_data);

/* Chooses the first ids of a model by id, in its order: at most @limit of
 * them, and the number of rows in *@n_items. NULL: the ids function
 * chooses them all at once. */
typedef GArray *(*KdxQueryHeadFunc) (KdxQueryModel *model,
                                     guint          limit,
                                     guint         *n_items,
                                     gpointer       user_data);

#define KDX_TYPE_QUERY_ROW (kdx_query_row_get_type ())
G_DECLARE_FINAL_TYPE (KdxQueryRow, kdx_query_row, KDX, QUERY_ROW, GObject)

KdxQueryModel *kdx_query_model_new          (KdxStore        *store,
                                             GType            item_type,
                                             KdxQueryRowFunc  row_func);
void           kdx_query_model_watch        (KdxQueryModel   *self,
                                             const char      *entity);
void           kdx_query_model_set_query    (KdxQueryModel   *self,
                                             const char      *count_sql,
                                             const char      *page_sql,
                                             GPtrArray       *params);
void           kdx_query_model_set_ids_func (KdxQueryModel   *self,
                                             const char      *rows_sql,
                                             KdxQueryIdsFunc  func,
                                             gpointer         user_data,
                                             GDestroyNotify   destroy);
void           kdx_query_model_set_head_func (KdxQueryModel  *self,
                                              KdxQueryHeadFunc func,
                                              guint           limit);
void           kdx_query_model_reload       (KdxQueryModel   *self);
void           kdx_query_model_refilter     (KdxQueryModel   *self);
KdxStore      *kdx_query_model_get_store    (KdxQueryModel   *self);
guint          kdx_query_model_find_id      (KdxQueryModel   *self,
                                             gint64           id);
GListModel    *kdx_query_model_get_rows     (KdxQueryModel   *self);

gpointer       kdx_query_row_get_item       (KdxQueryRow     *self);

G_END_DECLS
