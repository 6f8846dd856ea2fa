/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The query model: rows chosen by id and read a page at a time, chosen
 * only once someone asks; and its rows for views, which keep their place
 * while a search changes what they hold, so that a list view rebinds them
 * instead of building them anew.
 */
#define G_LOG_DOMAIN "kdx-test-query-model"

#include "config.h"

#include "kdx-test-util.h"
#include "kdx-query-model.h"

#define N_PEOPLE 300

typedef struct
{
  char          *dir;
  char          *path;
  KdxStore      *store;
  KdxQueryModel *model;
  GArray        *chosen;     /* the ids the model is to show */
  guint          n_chosen;   /* calls of the ids function */
  guint          n_heads;    /* calls of the head function */
  gboolean       no_head;    /* the head function leaves it to the ids function */
  gint64         ids[N_PEOPLE];
} Fixture;

/* An item: the person's id and name, nothing more. */
static gpointer
item_from_row (sqlite3_stmt *stmt)
{
  GObject *item = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (item, "id", GINT_TO_POINTER ((int) sqlite3_column_int64 (stmt, 0)));
  g_object_set_data_full (item, "name", g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
                          g_free);

  return item;
}

static GArray *
choose (KdxQueryModel *model,
        gpointer       user_data)
{
  Fixture *f = user_data;

  f->n_chosen++;

  return g_array_ref (f->chosen);
}

/* The first of the chosen ids, and how many there are. */
static GArray *
choose_head (KdxQueryModel *model,
             guint          limit,
             guint         *n_items,
             gpointer       user_data)
{
  Fixture *f = user_data;
  GArray *head;

  f->n_heads++;
  if (f->no_head)
    return NULL;
  head = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (head, f->chosen->data, MIN (limit, f->chosen->len));
  *n_items = f->chosen->len;

  return head;
}

/* The model shows the people at these indices (into f->ids), in order. */
static void
choose_indices (Fixture   *f,
                const int *indices,
                guint      n)
{
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n; i++)
    g_array_append_val (chosen, f->ids[indices[i]]);
  g_clear_pointer (&f->chosen, g_array_unref);
  f->chosen = g_steal_pointer (&chosen);
}

/* The first @n people, from @first on, or backwards from @first. */
static void
choose_range (Fixture *f,
              int      first,
              guint    n,
              int      step)
{
  g_autofree int *indices = g_new (int, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    indices[i] = first + step * (int) i;
  choose_indices (f, indices, n);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Liste.kodex", NULL);
  f->store = kdx_test_create (f->path);

  g_assert_true (kdx_store_begin (f->store, &error));
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person %03u", i);
      g_autoptr(KdxPerson) person = kdx_test_add_person (f->store, name, NULL, NULL, NULL);

      f->ids[i] = kdx_person_get_id (person);
    }
  g_assert_true (kdx_store_commit (f->store, &error));

  choose_range (f, 0, N_PEOPLE, 1);
  f->model = kdx_query_model_new (f->store, G_TYPE_OBJECT, item_from_row);
  kdx_query_model_set_ids_func (f->model,
                                "SELECT p.id, p.name FROM json_each(?1) j"
                                " JOIN person p ON p.id = j.value",
                                choose, f, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->model));
  g_clear_pointer (&f->chosen, g_array_unref);
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
}

static const char *
item_name (gpointer item)
{
  g_assert_nonnull (item);

  return g_object_get_data (G_OBJECT (item), "name");
}

static void
assert_name_at (GListModel *model,
                guint       position,
                guint       person)
{
  g_autoptr(GObject) item = g_list_model_get_item (model, position);
  g_autofree char *expected = g_strdup_printf ("Person %03u", person);

  g_assert_cmpstr (item_name (item), ==, expected);
}

static void
assert_row_shows (KdxQueryRow *row,
                  guint        person)
{
  g_autofree char *expected = g_strdup_printf ("Person %03u", person);

  g_assert_cmpstr (item_name (kdx_query_row_get_item (row)), ==, expected);
}

typedef struct
{
  guint position, removed, added;
} Change;

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
count_cb (gpointer  instance,
          guint    *n)
{
  (*n)++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n)
{
  (*n)++;
}

static void
iterate_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------ */
/* Ids                                                                */

/* A list nobody looked at costs nothing: the ids are chosen when asked. */
static void
test_ids_lazy (Fixture       *f,
               gconstpointer  data)
{
  guint n_reloaded = 0;

  g_signal_connect (f->model, "reloaded", G_CALLBACK (count_cb), &n_reloaded);
  kdx_query_model_reload (f->model);
  kdx_query_model_refilter (f->model);
  g_assert_cmpuint (f->n_chosen, ==, 0);
  g_assert_cmpuint (n_reloaded, ==, 0);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_PEOPLE);
  g_assert_cmpuint (f->n_chosen, ==, 1);
  assert_name_at (G_LIST_MODEL (f->model), 0, 0);
  assert_name_at (G_LIST_MODEL (f->model), 299, 299);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), N_PEOPLE));

  /* From then on every reload chooses again and says so. */
  choose_range (f, 299, 10, -1);
  kdx_query_model_refilter (f->model);
  g_assert_cmpuint (f->n_chosen, ==, 2);
  g_assert_cmpuint (n_reloaded, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 10);
  assert_name_at (G_LIST_MODEL (f->model), 0, 299);
  assert_name_at (G_LIST_MODEL (f->model), 9, 290);

  g_signal_handlers_disconnect_by_data (f->model, &n_reloaded);
}

/* Pages are read by id, in the chosen order, across page boundaries. */
static void
test_ids_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autofree int *indices = g_new (int, N_PEOPLE);

  /* Every third person, then the rest, backwards. */
  for (guint i = 0, k = 0; k < 3; k++)
    for (int p = N_PEOPLE - 1 - (int) k; p >= 0; p -= 3)
      indices[i++] = p;
  choose_indices (f, indices, N_PEOPLE);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_PEOPLE);
  for (guint i = N_PEOPLE; i-- > 0;)
    assert_name_at (G_LIST_MODEL (f->model), i, indices[i]);

  /* Where each id is. */
  g_assert_cmpuint (kdx_query_model_find_id (f->model, f->ids[indices[0]]), ==, 0);
  g_assert_cmpuint (kdx_query_model_find_id (f->model, f->ids[indices[150]]), ==, 150);
  g_assert_cmpuint (kdx_query_model_find_id (f->model, -4711), ==, G_MAXUINT);
}

/* A person gone since the ids were chosen leaves an empty place, not a
 * shifted page. */
static void
test_ids_missing (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 gone = -1;

  g_array_append_val (chosen, f->ids[5]);
  g_array_append_val (chosen, gone);
  g_array_append_val (chosen, f->ids[7]);
  g_clear_pointer (&f->chosen, g_array_unref);
  f->chosen = g_steal_pointer (&chosen);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 3);
  assert_name_at (G_LIST_MODEL (f->model), 0, 5);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), 1));
  assert_name_at (G_LIST_MODEL (f->model), 2, 7);
}

/* A refilter keeps the items it has read (the rows did not change); a
 * reload reads them again (they may have). */
static void
test_ids_refilter_keeps_items (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GObject) before = NULL;
  g_autoptr(GObject) moved = NULL;
  g_autoptr(GObject) reread = NULL;

  before = g_list_model_get_item (G_LIST_MODEL (f->model), 3);
  choose_range (f, 3, 20, 1);
  kdx_query_model_refilter (f->model);
  moved = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_true (moved == before);

  kdx_query_model_reload (f->model);
  reread = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_true (reread != before);
  g_assert_cmpstr (item_name (reread), ==, "Person 003");
}

/* With a head function, a reload chooses only the first ids and counts
 * the rows; the others are chosen when a position past them is asked
 * for, once. */
static void
test_ids_head (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GListModel) rows = NULL;

  /* 100 is two pages of 64. */
  choose_range (f, 299, N_PEOPLE, -1);
  kdx_query_model_set_head_func (f->model, choose_head, 100);
  g_assert_cmpuint (f->n_heads, ==, 0);
  rows = kdx_query_model_get_rows (f->model);
  g_assert_cmpuint (f->n_heads, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_PEOPLE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, N_PEOPLE);
  for (guint i = 0; i < 128; i++)
    assert_name_at (G_LIST_MODEL (f->model), i, 299 - i);
  g_assert_cmpuint (f->n_chosen, ==, 0);

  assert_name_at (G_LIST_MODEL (f->model), 128, 171);
  g_assert_cmpuint (f->n_chosen, ==, 1);
  for (guint i = 0; i < N_PEOPLE; i++)
    assert_name_at (G_LIST_MODEL (f->model), i, 299 - i);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), N_PEOPLE));
  g_assert_cmpuint (f->n_chosen, ==, 1);

  /* A reload counts again and chooses the head again; finding an id
   * needs them all. */
  kdx_query_model_reload (f->model);
  g_assert_cmpuint (f->n_heads, ==, 2);
  g_assert_cmpuint (f->n_chosen, ==, 1);
  g_assert_cmpuint (kdx_query_model_find_id (f->model, f->ids[0]), ==, 299);
  g_assert_cmpuint (f->n_chosen, ==, 2);

  /* A row of the view past the head shows its item too. */
  {
    g_autoptr(KdxQueryRow) row = NULL;

    kdx_query_model_reload (f->model);
    row = g_list_model_get_item (rows, 250);
    g_assert_cmpuint (f->n_chosen, ==, 3);
    g_assert_cmpstr (item_name (kdx_query_row_get_item (row)), ==, "Person 049");
  }

  /* A head function may leave it to the ids function. */
  f->no_head = TRUE;
  kdx_query_model_reload (f->model);
  g_assert_cmpuint (f->n_chosen, ==, 4);
  assert_name_at (G_LIST_MODEL (f->model), 299, 0);
  g_assert_cmpuint (f->n_chosen, ==, 4);
}

/* Rows that changed between the count and the rest of the ids (a change
 * not said yet): the model reads the items again and, from the main
 * loop, reloads to say how many there are now. */
static void
test_ids_head_stale (Fixture       *f,
                     gconstpointer  data)
{
  guint n_reloaded = 0;

  kdx_query_model_set_head_func (f->model, choose_head, 64);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_PEOPLE);
  assert_name_at (G_LIST_MODEL (f->model), 0, 0);

  g_signal_connect (f->model, "reloaded", G_CALLBACK (count_cb), &n_reloaded);
  choose_range (f, 1, 200, 1);
  assert_name_at (G_LIST_MODEL (f->model), 130, 131);
  assert_name_at (G_LIST_MODEL (f->model), 0, 1);
  g_assert_cmpuint (n_reloaded, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_reloaded, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 200);
  assert_name_at (G_LIST_MODEL (f->model), 199, 200);

  g_signal_handlers_disconnect_by_data (f->model, &n_reloaded);
}

/* ------------------------------------------------------------------ */
/* Rows                                                               */

/* A search that changes what the rows hold keeps the row objects; only a
 * change of the length is announced, at the end. */
static void
test_rows_keep_their_place (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GListModel) rows = kdx_query_model_get_rows (f->model);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_notified = 0;
  Change *c;

  g_assert_true (g_list_model_get_item_type (rows) == KDX_TYPE_QUERY_ROW);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, N_PEOPLE);
  for (guint i = 0; i < 20; i++)
    {
      KdxQueryRow *row = g_list_model_get_item (rows, i);

      g_ptr_array_add (held, row);
      g_signal_connect (row, "notify::item", G_CALLBACK (count_notify_cb), &n_notified);
    }
  assert_row_shows (g_ptr_array_index (held, 4), 4);
  g_signal_connect (rows, "items-changed", G_CALLBACK (record_change_cb), changes);

  /* Ten people, backwards from 299: the first ten rows hold others now,
   * the rest of the list is gone. */
  choose_range (f, 299, 10, -1);
  kdx_query_model_refilter (f->model);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 10);
  g_assert_cmpuint (c->removed, ==, N_PEOPLE - 10);
  g_assert_cmpuint (c->added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 10);
  g_assert_cmpuint (n_notified, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(KdxQueryRow) again = g_list_model_get_item (rows, i);

      g_assert_true (again == g_ptr_array_index (held, i));
      assert_row_shows (again, 299 - i);
    }
  g_assert_null (g_list_model_get_item (rows, 10));

  /* Longer again: the new rows are announced at the end; a row whose
   * place holds the same person as before is not told anything. */
  g_array_set_size (changes, 0);
  n_notified = 0;
  choose_range (f, 299, 40, -1);
  kdx_query_model_refilter (f->model);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 10);
  g_assert_cmpuint (c->removed, ==, 0);
  g_assert_cmpuint (c->added, ==, 30);
  g_assert_cmpuint (n_notified, ==, 0);
  {
    g_autoptr(KdxQueryRow) row = g_list_model_get_item (rows, 39);

    assert_row_shows (row, 260);
  }

  /* The same length, other people: no announcement, every held row told. */
  g_array_set_size (changes, 0);
  choose_range (f, 0, 40, 1);
  kdx_query_model_refilter (f->model);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (n_notified, ==, 10);
  assert_row_shows (g_ptr_array_index (held, 0), 0);

  /* The rows themselves changed (a reload): every held row is told, even
   * where the same person stays. */
  n_notified = 0;
  kdx_query_model_reload (f->model);
  g_assert_cmpuint (n_notified, ==, 10);

  for (guint i = 0; i < held->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (held, i), &n_notified);
  g_signal_handlers_disconnect_by_data (rows, changes);
}

/* Of many rows a view holds, the first ones show the new search at once,
 * the others right after (in an idle callback). */
static void
test_rows_later (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GListModel) rows = kdx_query_model_get_rows (f->model);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  guint at_once = 0;

  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (held, g_list_model_get_item (rows, i));

  choose_range (f, 299, 250, -1);
  kdx_query_model_refilter (f->model);
  for (guint i = 0; i < held->len; i++)
    {
      const char *name = item_name (kdx_query_row_get_item (g_ptr_array_index (held, i)));
      g_autofree char *now = g_strdup_printf ("Person %03u", 299 - i);

      if (g_str_equal (name, now))
        at_once++;
    }
  g_assert_cmpuint (at_once, >=, 30);
  g_assert_cmpuint (at_once, <, held->len);
  /* The first ones are the ones on screen. */
  assert_row_shows (g_ptr_array_index (held, 0), 299);
  assert_row_shows (g_ptr_array_index (held, at_once - 1), 299 - (at_once - 1));

  iterate_until_idle ();
  for (guint i = 0; i < held->len; i++)
    assert_row_shows (g_ptr_array_index (held, i), 299 - i);
}

/* A row the view lets go of is gone; asked again, the place gets a new
 * row that shows what it holds now. */
static void
test_rows_let_go (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GListModel) rows = kdx_query_model_get_rows (f->model);
  KdxQueryRow *row = g_list_model_get_item (rows, 2);
  g_autoptr(KdxQueryRow) again = NULL;

  g_assert_finalize_object (row);
  choose_range (f, 100, 5, 1);
  kdx_query_model_refilter (f->model);
  again = g_list_model_get_item (rows, 2);
  assert_row_shows (again, 102);

  /* A row outlives the list it came from. */
  g_clear_object (&rows);
  assert_row_shows (again, 102);
}

/* Rows work for rows chosen by SQL too (count and page queries). */
static void
test_rows_sql (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GListModel) rows = NULL;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(KdxQueryRow) row = NULL;

  g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string ("Person 1%")));
  kdx_query_model_set_query (f->model,
                             "SELECT count(*) FROM person WHERE name LIKE ?1",
                             "SELECT id, name FROM person WHERE name LIKE ?1 ORDER BY name"
                             " LIMIT ?2 OFFSET ?3",
                             params);
  rows = kdx_query_model_get_rows (f->model);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 100);
  row = g_list_model_get_item (rows, 0);
  assert_row_shows (row, 100);
  g_assert_cmpuint (kdx_query_model_find_id (f->model, f->ids[100]), ==, G_MAXUINT);

  g_ptr_array_set_size (params, 0);
  g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string ("Person 2%")));
  kdx_query_model_set_query (f->model,
                             "SELECT count(*) FROM person WHERE name LIKE ?1",
                             "SELECT id, name FROM person WHERE name LIKE ?1 ORDER BY name"
                             " LIMIT ?2 OFFSET ?3",
                             params);
  assert_row_shows (row, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/query-model/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("ids/lazy", test_ids_lazy);
  ADD ("ids/pages", test_ids_pages);
  ADD ("ids/missing", test_ids_missing);
  ADD ("ids/refilter-keeps-items", test_ids_refilter_keeps_items);
  ADD ("ids/head", test_ids_head);
  ADD ("ids/head-stale", test_ids_head_stale);
  ADD ("rows/keep-their-place", test_rows_keep_their_place);
  ADD ("rows/later", test_rows_later);
  ADD ("rows/let-go", test_rows_let_go);
  ADD ("rows/sql", test_rows_sql);

#undef ADD

  return g_test_run ();
}
