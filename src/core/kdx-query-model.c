/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel whose rows come from SQL, a page at a time: a view of
 * 100,000 people asks for the few dozen it shows, and sorting and filtering
 * are the query's. Entity modules own the SQL; this only pages it.
 *
 * The page query takes the filter's parameters as ?1 … ?n and then
 * :limit and :offset.
 */
#define G_LOG_DOMAIN "kdx-query-model"

#include "config.h"

#include "kdx-query-model.h"

#define PAGE_SIZE 64
#define MAX_PAGES 48

struct _KdxQueryModel
{
  GObject          parent_instance;

  KdxStore        *store;
  GType            item_type;
  KdxQueryRowFunc  row_func;

  char            *count_sql;
  char            *page_sql;
  GPtrArray       *params;     /* GVariant */
  sqlite3_stmt    *page_stmt;

  guint            n_items;
  GHashTable      *pages;      /* page number → GPtrArray of items */
};

static void kdx_query_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KdxQueryModel, kdx_query_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kdx_query_model_list_model_init))

static void
bind_params (sqlite3_stmt *stmt,
             GPtrArray    *params)
{
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      GVariant *value = g_ptr_array_index (params, i);
      int index = (int) i + 1;

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        sqlite3_bind_text (stmt, index, g_variant_get_string (value, NULL), -1, SQLITE_TRANSIENT);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
        sqlite3_bind_int64 (stmt, index, g_variant_get_int64 (value));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        sqlite3_bind_int (stmt, index, g_variant_get_boolean (value));
      else
        g_assert_not_reached ();
    }
}

static guint
count_rows (KdxQueryModel *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  if (self->count_sql == NULL)
    return 0;

  stmt = kdx_store_prepare (self->store, self->count_sql, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot count rows: %s", error->message);
      return 0;
    }
  bind_params (stmt, self->params);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;

  return (guint) sqlite3_column_int64 (stmt, 0);
}

static GPtrArray *
load_page (KdxQueryModel *self,
           guint          page)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  int n_params = self->params ? (int) self->params->len : 0;

  if (self->page_stmt == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->page_stmt = kdx_store_prepare (self->store, self->page_sql, &error);
      if (self->page_stmt == NULL)
        {
          g_warning ("Cannot load rows: %s", error->message);
          return items;
        }
    }

  sqlite3_reset (self->page_stmt);
  sqlite3_clear_bindings (self->page_stmt);
  bind_params (self->page_stmt, self->params);
  sqlite3_bind_int64 (self->page_stmt, n_params + 1, PAGE_SIZE);
  sqlite3_bind_int64 (self->page_stmt, n_params + 2, (gint64) page * PAGE_SIZE);

  while (sqlite3_step (self->page_stmt) == SQLITE_ROW)
    g_ptr_array_add (items, self->row_func (self->page_stmt));
  sqlite3_reset (self->page_stmt);

  return items;
}

static GType
kdx_query_model_get_item_type (GListModel *model)
{
  return KDX_QUERY_MODEL (model)->item_type;
}

static guint
kdx_query_model_get_n_items (GListModel *model)
{
  return KDX_QUERY_MODEL (model)->n_items;
}

static gpointer
kdx_query_model_get_item (GListModel *model,
                          guint       position)
{
  KdxQueryModel *self = KDX_QUERY_MODEL (model);
  guint page = position / PAGE_SIZE;
  guint offset = position % PAGE_SIZE;
  GPtrArray *items;

  if (position >= self->n_items)
    return NULL;

  items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (items == NULL)
    {
      if (g_hash_table_size (self->pages) >= MAX_PAGES)
        g_hash_table_remove_all (self->pages);
      items = load_page (self, page);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
    }

  if (offset >= items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (items, offset));
}

static void
kdx_query_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kdx_query_model_get_item_type;
  iface->get_n_items = kdx_query_model_get_n_items;
  iface->get_item = kdx_query_model_get_item;
}

static void
store_changed_cb (KdxQueryModel *self,
                  const char    *entity,
                  GArray        *ids,
                  KdxStore      *store)
{
  kdx_query_model_reload (self);
}

static void
kdx_query_model_dispose (GObject *object)
{
  KdxQueryModel *self = (KdxQueryModel *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_pointer (&self->page_stmt, sqlite3_finalize);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kdx_query_model_parent_class)->dispose (object);
}

static void
kdx_query_model_finalize (GObject *object)
{
  KdxQueryModel *self = (KdxQueryModel *)object;

  g_clear_pointer (&self->count_sql, g_free);
  g_clear_pointer (&self->page_sql, g_free);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (kdx_query_model_parent_class)->finalize (object);
}

static void
kdx_query_model_class_init (KdxQueryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kdx_query_model_dispose;
  object_class->finalize = kdx_query_model_finalize;
}

static void
kdx_query_model_init (KdxQueryModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

KdxQueryModel *
kdx_query_model_new (KdxStore        *store,
                     GType            item_type,
                     KdxQueryRowFunc  row_func)
{
  KdxQueryModel *self;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (row_func != NULL, NULL);

  self = g_object_new (KDX_TYPE_QUERY_MODEL, NULL);
  self->store = g_object_ref (store);
  self->item_type = item_type;
  self->row_func = row_func;

  return self;
}

/* Reloads whenever a transaction changes @entity (NULL: any entity). */
void
kdx_query_model_watch (KdxQueryModel *self,
                       const char    *entity)
{
  g_autofree char *signal = NULL;

  g_return_if_fail (KDX_IS_QUERY_MODEL (self));

  signal = entity ? g_strconcat ("changed::", entity, NULL) : g_strdup ("changed");
  g_signal_connect_object (self->store, signal, G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
kdx_query_model_set_query (KdxQueryModel *self,
                           const char    *count_sql,
                           const char    *page_sql,
                           GPtrArray     *params)
{
  g_return_if_fail (KDX_IS_QUERY_MODEL (self));

  if (g_strcmp0 (self->page_sql, page_sql) != 0)
    {
      g_clear_pointer (&self->page_stmt, sqlite3_finalize);
      g_free (self->page_sql);
      self->page_sql = g_strdup (page_sql);
    }
  g_free (self->count_sql);
  self->count_sql = g_strdup (count_sql);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  self->params = params ? g_ptr_array_ref (params) : NULL;

  kdx_query_model_reload (self);
}

void
kdx_query_model_reload (KdxQueryModel *self)
{
  guint old_n, new_n;

  g_return_if_fail (KDX_IS_QUERY_MODEL (self));

  old_n = self->n_items;
  g_hash_table_remove_all (self->pages);
  new_n = count_rows (self);

  /* All rows are new objects. Said as one change, a selection model would
   * look through every added row for its selected item (GTK 4.8's
   * GtkSingleSelection does) — and page in all 100,000. Removed first,
   * then added, no one searches. */
  if (old_n != 0)
    {
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
    }
  self->n_items = new_n;
  if (new_n != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
}

KdxStore *
kdx_query_model_get_store (KdxQueryModel *self)
{
  g_return_val_if_fail (KDX_IS_QUERY_MODEL (self), NULL);

  return self->store;
}
