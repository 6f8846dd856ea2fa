/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel whose rows come from SQL, a page at a time: a view of
 * 100,000 people asks for the few dozen it shows, and sorting and filtering
 * are the query's. Entity modules own the SQL; this only pages it.
 *
 * The rows are chosen one of two ways:
 *
 *  - by a count query and a page query, which takes the filter's
 *    parameters as ?1 … ?n and then the limit and the offset
 *    (kdx_query_model_set_query());
 *  - by a list of ids that the entity module computes, in order, each time
 *    the model reloads (kdx_query_model_set_ids_func()). The rows query
 *    then reads one page of them: ?1 is a JSON array of ids, column 0 the
 *    id, the order does not matter. The list is first made when someone
 *    asks for the model's rows, so that a model nobody looks at yet costs
 *    nothing.
 *
 *    Where choosing them all costs more than a reload may (100,000 rounds
 *    sorted: 0.1 to 0.2 s), a head function (kdx_query_model_set_head_func())
 *    gives the number of rows and only the first of them: those a view
 *    shows after a reload. The others are chosen, all at once by the ids
 *    function, when someone asks for one of them.
 *
 * Every reload gives new items (a refilter keeps those it can, by id). A
 * list view that shows the items rebuilds each row's widgets then; GTK 4.8
 * takes 150 ms for the 200 rows it keeps. The model's rows
 * (kdx_query_model_get_rows()) avoid that: one KdxQueryRow per position,
 * which stays when the query changes, while its "item" changes to what the
 * position now holds. Only a shorter or longer list is announced, at its
 * end; the view keeps its widgets and shows the new items.
 */
#define G_LOG_DOMAIN "kdx-query-model"

#include "config.h"

#include "kdx-query-model.h"

#include <string.h>

#define PAGE_SIZE 64
#define MAX_PAGES 48

typedef struct _KdxQueryRows KdxQueryRows;

struct _KdxQueryModel
{
  GObject          parent_instance;

  KdxStore        *store;
  GType            item_type;
  KdxQueryRowFunc  row_func;

  /* Chosen by SQL… */
  char            *count_sql;
  char            *page_sql;
  GPtrArray       *params;     /* GVariant */
  /* …or by id. */
  char            *rows_sql;
  KdxQueryIdsFunc  ids_func;
  gpointer         ids_data;
  GDestroyNotify   ids_destroy;
  GArray          *ids;        /* gint64; NULL: not made yet */
  gboolean         asked;      /* someone knows how many items there are */
  KdxQueryHeadFunc head_func;
  guint            head_limit;
  gboolean         complete;   /* @ids holds every row, not only the head */
  guint            recount_id; /* a reload for a count that proved wrong */

  sqlite3_stmt    *page_stmt;

  guint            n_items;
  GHashTable      *pages;      /* page number → GPtrArray of items */
  /* After a refilter: the items read before it, by id (the keys point into
   * @kept_ids), for the pages read next. */
  GHashTable      *kept;
  GArray          *kept_ids;
  KdxQueryRows    *rows;       /* weak */
};

enum {
  SIGNAL_RELOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _KdxQueryRow
{
  GObject       parent_instance;

  KdxQueryRows *owner;         /* NULL once its position is gone */
  guint         position;
  gpointer      item;
  gint64        id;            /* of @item, for rows chosen by id */
  guint         serial;        /* the owner's serials when @item was set */
  guint         data_serial;
};

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *row_properties[N_PROPS];

#define KDX_TYPE_QUERY_ROWS (kdx_query_rows_get_type ())
G_DECLARE_FINAL_TYPE (KdxQueryRows, kdx_query_rows, KDX, QUERY_ROWS, GObject)

struct _KdxQueryRows
{
  GObject        parent_instance;

  KdxQueryModel *model;
  guint          n_items;      /* as announced */
  GHashTable    *rows;         /* position → KdxQueryRow, not owned */
  guint          serial;       /* one more at each reload… */
  guint          data_serial;  /* …and at each that may have changed items */
  guint          refresh_id;   /* an idle that brings the other rows up to date */
};

static void kdx_query_model_list_model_init (GListModelInterface *iface);
static void kdx_query_rows_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KdxQueryModel, kdx_query_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kdx_query_model_list_model_init))
G_DEFINE_FINAL_TYPE (KdxQueryRow, kdx_query_row, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE_WITH_CODE (KdxQueryRows, kdx_query_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kdx_query_rows_list_model_init))

/* ------------------------------------------------------------------ */
/* Reading                                                            */

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

static gboolean
choose_ids (KdxQueryModel *self)
{
  g_autoptr(GArray) ids = NULL;
  guint n_items = 0;

  if (self->ids_func == NULL)
    return FALSE;

  if (self->head_func != NULL)
    ids = self->head_func (self, self->head_limit, &n_items, self->ids_data);
  if (ids != NULL)
    {
      n_items = MAX (n_items, ids->len);
      self->complete = ids->len >= n_items;
    }
  else
    {
      ids = self->ids_func (self, self->ids_data);
      if (ids == NULL)
        ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      n_items = ids->len;
      self->complete = TRUE;
    }
  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = g_steal_pointer (&ids);
  self->n_items = MIN (n_items, G_MAXUINT - 1);

  return TRUE;
}

static gboolean
recount_cb (gpointer user_data)
{
  KdxQueryModel *self = user_data;

  self->recount_id = 0;
  kdx_query_model_reload (self);

  return G_SOURCE_REMOVE;
}

/* After a head: every id, for a position past it. They are chosen later
 * than the head and the count; where the rows changed in between (the
 * model reloads when they do, but a change may not have been said yet),
 * the items read are dropped and a reload follows, which says how many
 * rows there are now. */
static void
ensure_complete (KdxQueryModel *self)
{
  g_autoptr(GArray) ids = NULL;
  gboolean same;

  if (self->ids == NULL || self->complete || self->ids_func == NULL)
    return;

  ids = self->ids_func (self, self->ids_data);
  if (ids == NULL)
    ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  same = ids->len == self->n_items && ids->len >= self->ids->len &&
         (self->ids->len == 0 ||
          memcmp (ids->data, self->ids->data, self->ids->len * sizeof (gint64)) == 0);
  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = g_steal_pointer (&ids);
  self->complete = TRUE;
  if (!same)
    {
      g_hash_table_remove_all (self->pages);
      if (self->recount_id == 0)
        self->recount_id = g_idle_add (recount_cb, self);
    }
}

/* A list of ids not made yet is made when first asked for. */
static void
ensure_ids (KdxQueryModel *self)
{
  self->asked = TRUE;
  if (self->ids == NULL && self->ids_func != NULL)
    choose_ids (self);
}

static sqlite3_stmt *
page_statement (KdxQueryModel *self,
                const char    *sql)
{
  if (self->page_stmt == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->page_stmt = kdx_store_prepare (self->store, sql, &error);
      if (self->page_stmt == NULL)
        g_warning ("Cannot load rows: %s", error->message);
    }
  else
    {
      sqlite3_reset (self->page_stmt);
      sqlite3_clear_bindings (self->page_stmt);
    }

  return self->page_stmt;
}

static void
clear_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
load_page_by_query (KdxQueryModel *self,
                    guint          page,
                    GPtrArray     *items)
{
  sqlite3_stmt *stmt = page_statement (self, self->page_sql);
  int n_params = self->params ? (int) self->params->len : 0;

  if (stmt == NULL)
    return;

  bind_params (stmt, self->params);
  sqlite3_bind_int64 (stmt, n_params + 1, PAGE_SIZE);
  sqlite3_bind_int64 (stmt, n_params + 2, (gint64) page * PAGE_SIZE);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (items, self->row_func (stmt));
  sqlite3_reset (stmt);
}

/* The page's ids as one bound JSON array: one statement for any page.
 * Items kept from before a refilter are not read again. */
static void
load_page_by_ids (KdxQueryModel *self,
                  guint          page,
                  GPtrArray     *items)
{
  gsize start = (gsize) page * PAGE_SIZE;
  const gint64 *ids = (const gint64 *) (gpointer) self->ids->data + start;
  guint n = start < self->ids->len ? MIN (PAGE_SIZE, self->ids->len - start) : 0;
  g_autoptr(GString) json = g_string_sized_new (n * 8 + 2);
  sqlite3_stmt *stmt;
  guint next = 0;

  if (n == 0)
    return;
  g_ptr_array_set_size (items, n);
  g_string_append_c (json, '[');
  for (guint i = 0; i < n; i++)
    {
      GObject *kept = self->kept ? g_hash_table_lookup (self->kept, &ids[i]) : NULL;

      if (kept != NULL)
        g_ptr_array_index (items, i) = g_object_ref (kept);
      else
        g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "", ids[i]);
    }
  g_string_append_c (json, ']');
  if (json->len == 2)
    return;

  stmt = page_statement (self, self->rows_sql);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, json->str, (int) json->len, SQLITE_STATIC);

  /* Each row goes where its id is; a row that has gone since the ids were
   * chosen leaves a hole. */
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      guint i;

      for (i = 0; i < n && ids[(next + i) % n] != id; i++)
        ;
      if (i == n || g_ptr_array_index (items, (next + i) % n) != NULL)
        continue;
      i = (next + i) % n;
      g_ptr_array_index (items, i) = self->row_func (stmt);
      next = (i + 1) % n;
    }
  sqlite3_reset (stmt);
}

static GPtrArray *
load_page (KdxQueryModel *self,
           guint          page)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (clear_item);

  if (self->ids != NULL)
    load_page_by_ids (self, page, items);
  else if (self->page_sql != NULL)
    load_page_by_query (self, page, items);

  return items;
}

/* The id at @position, or 0 where the rows are not chosen by id. */
static gint64
id_at (KdxQueryModel *self,
       guint          position)
{
  if (self->ids != NULL && position >= self->ids->len && position < self->n_items)
    ensure_complete (self);
  if (self->ids == NULL || position >= self->ids->len)
    return 0;

  return g_array_index (self->ids, gint64, position);
}

/* The items read so far, by id: what a refilter keeps. */
static GHashTable *
items_by_id (KdxQueryModel *self)
{
  GHashTable *kept = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint page = GPOINTER_TO_UINT (key);
      GPtrArray *items = value;

      for (guint i = 0; i < items->len; i++)
        {
          gsize position = (gsize) page * PAGE_SIZE + i;
          gpointer item = g_ptr_array_index (items, i);

          if (item != NULL && position < self->ids->len)
            g_hash_table_replace (kept, &g_array_index (self->ids, gint64, position),
                                  g_object_ref (item));
        }
    }

  return kept;
}

static void
forget_kept (KdxQueryModel *self)
{
  g_clear_pointer (&self->kept, g_hash_table_unref);
  g_clear_pointer (&self->kept_ids, g_array_unref);
}

/* ------------------------------------------------------------------ */
/* The model                                                          */

static GType
kdx_query_model_get_item_type (GListModel *model)
{
  return KDX_QUERY_MODEL (model)->item_type;
}

static guint
kdx_query_model_get_n_items (GListModel *model)
{
  KdxQueryModel *self = KDX_QUERY_MODEL (model);

  ensure_ids (self);

  return self->n_items;
}

static gpointer
kdx_query_model_get_item (GListModel *model,
                          guint       position)
{
  KdxQueryModel *self = KDX_QUERY_MODEL (model);
  guint page = position / PAGE_SIZE;
  guint offset = position % PAGE_SIZE;
  GPtrArray *items;
  gpointer item;

  ensure_ids (self);
  if (position >= self->n_items)
    return NULL;
  /* A page is read whole: past the head, every id is needed. */
  if (self->ids != NULL && ((gsize) page + 1) * PAGE_SIZE > self->ids->len)
    ensure_complete (self);

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
  item = g_ptr_array_index (items, offset);

  return item ? g_object_ref (item) : NULL;
}

static void
kdx_query_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kdx_query_model_get_item_type;
  iface->get_n_items = kdx_query_model_get_n_items;
  iface->get_item = kdx_query_model_get_item;
}

/* ------------------------------------------------------------------ */
/* Rows                                                               */

static void
kdx_query_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KdxQueryRow *self = KDX_QUERY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_query_row_finalize (GObject *object)
{
  KdxQueryRow *self = KDX_QUERY_ROW (object);

  if (self->owner != NULL)
    g_hash_table_remove (self->owner->rows, GUINT_TO_POINTER (self->position));
  g_clear_object (&self->item);

  G_OBJECT_CLASS (kdx_query_row_parent_class)->finalize (object);
}

static void
kdx_query_row_class_init (KdxQueryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kdx_query_row_get_property;
  object_class->finalize = kdx_query_row_finalize;

  /**
   * KdxQueryRow:item:
   *
   * What the row's position holds now; notified when a reload put
   * another item there.
   */
  row_properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, row_properties);
}

static void
kdx_query_row_init (KdxQueryRow *self)
{
}

static void
row_set_item (KdxQueryRow *row,
              gpointer     item)
{
  if (row->item == item)
    {
      g_clear_object (&item);
      return;
    }

  g_clear_object (&row->item);
  row->item = item;
  g_object_notify_by_pspec (G_OBJECT (row), row_properties[PROP_ITEM]);
}

static GType
kdx_query_rows_get_item_type (GListModel *model)
{
  return KDX_TYPE_QUERY_ROW;
}

static guint
kdx_query_rows_get_n_items (GListModel *model)
{
  return KDX_QUERY_ROWS (model)->n_items;
}

static gpointer
kdx_query_rows_get_item (GListModel *model,
                         guint       position)
{
  KdxQueryRows *self = KDX_QUERY_ROWS (model);
  KdxQueryRow *row;

  if (position >= self->n_items)
    return NULL;

  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);

  /* The table holds no reference: a row lives while someone shows it. */
  row = g_object_new (KDX_TYPE_QUERY_ROW, NULL);
  row->owner = self;
  row->position = position;
  row->item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  row->id = id_at (self->model, position);
  row->serial = self->serial;
  row->data_serial = self->data_serial;
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);

  return row;
}

static void
kdx_query_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kdx_query_rows_get_item_type;
  iface->get_n_items = kdx_query_rows_get_n_items;
  iface->get_item = kdx_query_rows_get_item;
}

static void
detach_row (gpointer key,
            gpointer row,
            gpointer user_data)
{
  KDX_QUERY_ROW (row)->owner = NULL;
}

static void
kdx_query_rows_finalize (GObject *object)
{
  KdxQueryRows *self = KDX_QUERY_ROWS (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_hash_table_foreach (self->rows, detach_row, NULL);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (kdx_query_rows_parent_class)->finalize (object);
}

static void
kdx_query_rows_class_init (KdxQueryRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_query_rows_finalize;
}

static void
kdx_query_rows_init (KdxQueryRows *self)
{
  self->rows = g_hash_table_new (NULL, NULL);
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  guint pa = (*(KdxQueryRow * const *) a)->position;
  guint pb = (*(KdxQueryRow * const *) b)->position;

  return pa < pb ? -1 : pa > pb;
}

/* A row takes what its position holds now; a row whose position holds
 * the same id as before, while the items did not change, keeps its item. */
static void
row_refresh (KdxQueryRows *self,
             KdxQueryRow  *row)
{
  gint64 id = id_at (self->model, row->position);

  row->serial = self->serial;
  if (id != 0 && id == row->id && row->data_serial == self->data_serial)
    return;

  row->id = id;
  row->data_serial = self->data_serial;
  row_set_item (row, g_list_model_get_item (G_LIST_MODEL (self->model), row->position));
}

/* The rows a view keeps (GTK 4.8 keeps 200) that are not on screen need
 * not be up to date for the frame that shows the new rows: they follow
 * right after it. */
#define ROWS_AT_ONCE 64

static gboolean
refresh_rows_cb (gpointer user_data)
{
  KdxQueryRows *self = user_data;
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  self->refresh_id = 0;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (KDX_QUERY_ROW (value)->serial != self->serial)
      g_ptr_array_add (stale, g_object_ref (value));
  for (guint i = 0; i < stale->len; i++)
    row_refresh (self, g_ptr_array_index (stale, i));

  return G_SOURCE_REMOVE;
}

/* After a reload: rows past the new end go, rows that stay take what
 * their position holds now — the first ones (in a view scrolled to its
 * top, the ones on screen) at once, the others from an idle callback. */
static void
rows_reload (KdxQueryRows *self,
             gboolean      items_changed)
{
  g_autoptr(GPtrArray) stay = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_n = self->n_items;
  guint new_n = self->model->n_items;
  GHashTableIter iter;
  gpointer value;

  self->serial++;
  if (items_changed)
    self->data_serial++;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      KdxQueryRow *row = value;

      if (row->position >= new_n)
        {
          row->owner = NULL;
          g_hash_table_iter_remove (&iter);
        }
      else
        g_ptr_array_add (stay, g_object_ref (row));
    }

  self->n_items = new_n;
  if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
  else if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);

  /* In order of position: each page is read once. */
  g_ptr_array_sort (stay, compare_positions);
  for (guint i = 0; i < stay->len && i < ROWS_AT_ONCE; i++)
    row_refresh (self, g_ptr_array_index (stay, i));
  if (stay->len > ROWS_AT_ONCE && self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_rows_cb, self, NULL);
}

/* ------------------------------------------------------------------ */
/* Lifetime                                                           */

static void
store_changed_cb (KdxQueryModel *self,
                  const char    *entity,
                  GArray        *ids,
                  KdxStore      *store)
{
  kdx_query_model_reload (self);
}

static void
clear_ids_func (KdxQueryModel *self)
{
  forget_kept (self);
  if (self->ids_destroy != NULL)
    self->ids_destroy (self->ids_data);
  self->head_func = NULL;
  self->head_limit = 0;
  self->complete = FALSE;
  self->ids_func = NULL;
  self->ids_data = NULL;
  self->ids_destroy = NULL;
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->rows_sql, g_free);
}

static void
kdx_query_model_dispose (GObject *object)
{
  KdxQueryModel *self = (KdxQueryModel *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_handle_id (&self->recount_id, g_source_remove);
  g_clear_pointer (&self->page_stmt, sqlite3_finalize);
  clear_ids_func (self);
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

  /**
   * KdxQueryModel::reloaded:
   *
   * Emitted at the end of every reload (a new query, new ids, a change in
   * the store), after the items and the rows changed: a position may now
   * hold another item.
   */
  signals[SIGNAL_RELOADED] =
    g_signal_new ("reloaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kdx_query_model_init (KdxQueryModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

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

  if (self->ids_func != NULL || g_strcmp0 (self->page_sql, page_sql) != 0)
    {
      g_clear_pointer (&self->page_stmt, sqlite3_finalize);
      g_free (self->page_sql);
      self->page_sql = g_strdup (page_sql);
    }
  clear_ids_func (self);
  g_free (self->count_sql);
  self->count_sql = g_strdup (count_sql);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  self->params = params ? g_ptr_array_ref (params) : NULL;

  kdx_query_model_reload (self);
}

/* The rows are the ids @func returns, in that order, read a page at a time
 * by @rows_sql: ?1 is a JSON array of ids, column 0 is the id, and the
 * order of the result does not matter. @func is called at every reload
 * (kdx_query_model_reload(), a change of a watched entity) once someone
 * has asked for the rows; an entity module that changes what its function
 * chooses calls kdx_query_model_reload(). */
void
kdx_query_model_set_ids_func (KdxQueryModel   *self,
                              const char      *rows_sql,
                              KdxQueryIdsFunc  func,
                              gpointer         user_data,
                              GDestroyNotify   destroy)
{
  g_return_if_fail (KDX_IS_QUERY_MODEL (self));
  g_return_if_fail (rows_sql != NULL && func != NULL);

  clear_ids_func (self);
  g_clear_pointer (&self->page_stmt, sqlite3_finalize);
  g_clear_pointer (&self->count_sql, g_free);
  g_clear_pointer (&self->page_sql, g_free);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  self->rows_sql = g_strdup (rows_sql);
  self->ids_func = func;
  self->ids_data = user_data;
  self->ids_destroy = destroy;

  kdx_query_model_reload (self);
}

/* Where choosing every id costs too much for a reload: @func chooses the
 * first @limit of them (rounded up to whole pages of 64) and says how
 * many there are; the ids function then
 * chooses them all only when someone asks for a position past those (or
 * for kdx_query_model_find_id()). Both must choose the same rows in the
 * same order. Set after kdx_query_model_set_ids_func(), which forgets it;
 * @func gets the user data given there. */
void
kdx_query_model_set_head_func (KdxQueryModel    *self,
                               KdxQueryHeadFunc  func,
                               guint             limit)
{
  g_return_if_fail (KDX_IS_QUERY_MODEL (self));
  g_return_if_fail (self->ids_func != NULL);

  self->head_func = func;
  self->head_limit = MAX ((limit + PAGE_SIZE - 1) / PAGE_SIZE, 1) * PAGE_SIZE;

  kdx_query_model_reload (self);
}

static void
reload (KdxQueryModel *self,
        gboolean       keep_items)
{
  guint old_n, new_n;

  g_clear_handle_id (&self->recount_id, g_source_remove);

  /* Ids nobody asked for are chosen when someone does. */
  if (self->ids_func != NULL && !self->asked)
    {
      g_hash_table_remove_all (self->pages);
      g_clear_pointer (&self->ids, g_array_unref);
      forget_kept (self);
      return;
    }

  forget_kept (self);
  if (keep_items && self->ids != NULL)
    {
      self->kept = items_by_id (self);
      self->kept_ids = g_array_ref (self->ids);
    }
  g_hash_table_remove_all (self->pages);

  old_n = self->n_items;
  if (!choose_ids (self))
    self->n_items = count_rows (self);
  new_n = self->n_items;

  /* The rows first: whoever hears of the items next sees them in place. */
  if (self->rows != NULL)
    rows_reload (self->rows, !keep_items);

  /* All items are new objects. Said as one change, a selection model would
   * look through every added item for its selected item (GTK 4.8's
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

  g_signal_emit (self, signals[SIGNAL_RELOADED], 0);
}

/* Reads the rows again: the ids (or the count) and every item. */
void
kdx_query_model_reload (KdxQueryModel *self)
{
  g_return_if_fail (KDX_IS_QUERY_MODEL (self));

  reload (self, FALSE);
}

/* For an entity module whose ids function now chooses other rows while
 * the rows themselves did not change (a new search): like
 * kdx_query_model_reload(), but an item already read is kept for its id.
 * A row whose position holds the same id as before keeps its item, and a
 * view shows it without binding it again. */
void
kdx_query_model_refilter (KdxQueryModel *self)
{
  g_return_if_fail (KDX_IS_QUERY_MODEL (self));

  reload (self, TRUE);
}

KdxStore *
kdx_query_model_get_store (KdxQueryModel *self)
{
  g_return_val_if_fail (KDX_IS_QUERY_MODEL (self), NULL);

  return self->store;
}

/* The position of the item with @id, for rows chosen by id; otherwise, or
 * when it is not there, GTK_INVALID_LIST_POSITION (G_MAXUINT). */
guint
kdx_query_model_find_id (KdxQueryModel *self,
                         gint64         id)
{
  g_return_val_if_fail (KDX_IS_QUERY_MODEL (self), G_MAXUINT);

  ensure_ids (self);
  ensure_complete (self);
  for (guint i = 0; self->ids != NULL && i < self->n_items; i++)
    if (g_array_index (self->ids, gint64, i) == id)
      return i;

  return G_MAXUINT;
}

/* The model's items as rows that keep their place (see the top of this
 * file): a GListModel of KdxQueryRow, for a list view. */
GListModel *
kdx_query_model_get_rows (KdxQueryModel *self)
{
  g_return_val_if_fail (KDX_IS_QUERY_MODEL (self), NULL);

  if (self->rows != NULL)
    return g_object_ref (G_LIST_MODEL (self->rows));

  self->rows = g_object_new (KDX_TYPE_QUERY_ROWS, NULL);
  self->rows->model = g_object_ref (self);
  self->rows->n_items = g_list_model_get_n_items (G_LIST_MODEL (self));
  g_object_add_weak_pointer (G_OBJECT (self->rows), (gpointer *) &self->rows);

  return G_LIST_MODEL (self->rows);
}

gpointer
kdx_query_row_get_item (KdxQueryRow *self)
{
  g_return_val_if_fail (KDX_IS_QUERY_ROW (self), NULL);

  return self->item;
}
