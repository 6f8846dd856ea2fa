/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * People: saving, the rules a person must keep, the trash, and the list
 * the people page shows (search, filters, sorting, paging).
 */
#define G_LOG_DOMAIN "kdx-test-person"

#include "config.h"

#include "kdx-test-util.h"
#include "kdx-training.h"

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Personal.kodex", NULL);
  f->store = kdx_test_create (f->path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
}

/* Everything about every person, trashed ones too, in a stable order. */
static char *
snapshot (KdxStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = kdx_person_list_all (store, TRUE, &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < people->len; i++)
    {
      KdxPerson *p = g_ptr_array_index (people, i);
      g_autofree char *json = kdx_person_to_json (p);

      g_string_append_printf (s, "%s %s %s\n", json, kdx_person_get_created (p),
                              kdx_person_get_modified (p));
    }

  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------ */
/* Saving                                                             */

static void
test_insert (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = kdx_person_new ();
  g_autoptr(KdxPerson) loaded = NULL;
  g_autoptr(KdxPerson) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *loaded_json = NULL;

  kdx_person_set_name (anna, "  Anna Alt ");
  kdx_person_set_email (anna, "Anna.Alt@Example.ORG");
  kdx_person_set_department (anna, "Vertrieb Innendienst");
  kdx_person_set_role (anna, "");
  kdx_person_set_committee (anna, TRUE);
  g_assert_true (kdx_person_insert (f->store, anna, &error));
  g_assert_no_error (error);

  g_assert_cmpint (kdx_person_get_id (anna), >, 0);
  g_assert_true (g_uuid_string_is_valid (kdx_person_get_uuid (anna)));
  g_assert_nonnull (kdx_person_get_created (anna));
  g_assert_cmpstr (kdx_person_get_created (anna), ==, kdx_person_get_modified (anna));
  /* Trimmed, lower-case address, empty is none. */
  g_assert_cmpstr (kdx_person_get_name (anna), ==, "Anna Alt");
  g_assert_cmpstr (kdx_person_get_email (anna), ==, "anna.alt@example.org");
  g_assert_null (kdx_person_get_role (anna));
  g_assert_cmpint (kdx_person_count (f->store), ==, 1);

  loaded = kdx_person_load (f->store, kdx_person_get_uuid (anna), &error);
  g_assert_no_error (error);
  json = kdx_person_to_json (anna);
  loaded_json = kdx_person_to_json (loaded);
  g_assert_cmpstr (loaded_json, ==, json);
  g_assert_cmpstr (kdx_person_get_created (loaded), ==, kdx_person_get_created (anna));
  g_assert_true (kdx_person_get_committee (loaded));
  g_assert_true (kdx_person_get_active (loaded));

  /* Found by address, whatever its case. */
  found = kdx_person_find (f->store, "ANNA.ALT@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_person_get_uuid (found), ==, kdx_person_get_uuid (anna));
  g_clear_object (&found);
  found = kdx_person_find (f->store, "nobody@example.org", &error);
  g_assert_null (found);
  g_assert_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_NOT_FOUND);
}

static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = kdx_test_add_person (f->store, "Anna Alt", "anna@example.org",
                                                   "Vertrieb", NULL);
  g_autoptr(KdxPerson) boss = kdx_test_add_person (f->store, "Bernd Brot", NULL, NULL, NULL);
  g_autoptr(KdxPerson) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = g_strdup (kdx_person_get_created (anna));
  gint64 length = kdx_test_journal_length (f->store);

  g_usleep (2000);
  kdx_person_set_department (anna, "Marketing");
  kdx_person_set_manager (anna, kdx_person_get_uuid (boss));
  kdx_person_set_active (anna, FALSE);
  g_assert_true (kdx_person_update (f->store, anna, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 1);

  loaded = kdx_person_load (f->store, kdx_person_get_uuid (anna), &error);
  g_assert_cmpstr (kdx_person_get_department (loaded), ==, "Marketing");
  g_assert_cmpstr (kdx_person_get_manager (loaded), ==, kdx_person_get_uuid (boss));
  g_assert_cmpstr (kdx_person_get_manager_name (loaded), ==, "Bernd Brot");
  g_assert_false (kdx_person_get_active (loaded));
  g_assert_cmpstr (kdx_person_get_created (loaded), ==, created);
  g_assert_cmpstr (kdx_person_get_modified (loaded), >, created);

  /* Removing the manager again. */
  kdx_person_set_manager (anna, NULL);
  g_assert_true (kdx_person_update (f->store, anna, &error));
  g_clear_object (&loaded);
  loaded = kdx_person_load (f->store, kdx_person_get_uuid (anna), &error);
  g_assert_null (kdx_person_get_manager (loaded));
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 2);
}

static void
test_trash_restore (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = kdx_test_add_person (f->store, "Anna Alt", "anna@example.org",
                                                   "Vertrieb", "Leiterin");
  g_autoptr(KdxPerson) report = kdx_test_add_person (f->store, "Bernd Brot", NULL, NULL, NULL);
  g_autoptr(KdxPerson) loaded = NULL;
  g_autoptr(KdxPerson) reuse = NULL;
  g_autoptr(GListModel) model = kdx_person_model_new (f->store);
  g_autoptr(GPtrArray) trashed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *restored_json = NULL;
  g_autofree char *before_restore = NULL;
  gint64 length;

  kdx_person_set_manager (report, kdx_person_get_uuid (anna));
  g_assert_true (kdx_person_update (f->store, report, &error));
  g_assert_no_error (error);
  json = kdx_person_to_json (anna);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  g_assert_true (kdx_person_trash (f->store, kdx_person_get_uuid (anna), &error));
  g_assert_no_error (error);

  /* Gone from counts, the list and the search… */
  g_assert_cmpint (kdx_person_count (f->store), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  kdx_person_model_set_filter (model, "anna", TRUE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (kdx_person_find (f->store, "anna@example.org", NULL));
  /* …but in the trash, and still the manager of record. */
  trashed = kdx_person_list_trashed (f->store);
  g_assert_cmpuint (trashed->len, ==, 1);
  g_assert_cmpstr (kdx_person_get_uuid (g_ptr_array_index (trashed, 0)), ==,
                   kdx_person_get_uuid (anna));
  loaded = kdx_person_load (f->store, kdx_person_get_uuid (report), &error);
  g_assert_cmpstr (kdx_person_get_manager (loaded), ==, kdx_person_get_uuid (anna));
  g_clear_object (&loaded);

  /* Trashing again changes nothing. */
  length = kdx_test_journal_length (f->store);
  g_assert_true (kdx_person_trash (f->store, kdx_person_get_uuid (anna), &error));
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length);

  /* Restored: the identical person, found again. */
  g_assert_true (kdx_person_restore (f->store, kdx_person_get_uuid (anna), &error));
  g_assert_no_error (error);
  loaded = kdx_person_load (f->store, kdx_person_get_uuid (anna), &error);
  restored_json = kdx_person_to_json (loaded);
  g_assert_cmpstr (restored_json, ==, json);
  g_assert_cmpstr (kdx_person_get_created (loaded), ==, kdx_person_get_created (anna));
  g_assert_cmpint (kdx_person_count (f->store), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_clear_object (&loaded);

  /* While a person is in the trash, their address may be given to someone
   * else; restoring them then is refused and changes nothing. */
  g_assert_true (kdx_person_trash (f->store, kdx_person_get_uuid (anna), &error));
  reuse = kdx_test_add_person (f->store, "Anna Neu", "ANNA@example.org", NULL, NULL);
  before_restore = snapshot (f->store);
  length = kdx_test_journal_length (f->store);
  g_assert_false (kdx_person_restore (f->store, kdx_person_get_uuid (anna), &error));
  g_assert_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_DUPLICATE);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length);
  {
    g_autofree char *after = snapshot (f->store);
    g_assert_cmpstr (after, ==, before_restore);
  }
}

/* An edit dialog still open on a person whom someone else has deleted in
 * the meantime: saving it must not bring them back out of the trash. */
static void
test_stale_update_keeps_trash (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = kdx_test_add_person (f->store, "Anna Alt", NULL, NULL, NULL);
  g_autoptr(KdxPerson) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 length;

  g_assert_true (kdx_person_trash (f->store, kdx_person_get_uuid (anna), &error));
  g_assert_no_error (error);
  length = kdx_test_journal_length (f->store);

  kdx_person_set_role (anna, "Leiterin");
  if (!kdx_person_update (f->store, anna, &error))
    g_assert_cmpint (kdx_test_journal_length (f->store), ==, length);
  g_clear_error (&error);

  loaded = kdx_person_load (f->store, kdx_person_get_uuid (anna), &error);
  g_assert_no_error (error);
  g_assert_nonnull (kdx_person_get_trashed (loaded));
  g_assert_cmpint (kdx_person_count (f->store), ==, 0);
}

/* ------------------------------------------------------------------ */
/* The rules                                                          */

typedef struct
{
  KdxStore  *store;
  KdxPerson *anna;   /* reports to Bernd */
  KdxPerson *bernd;  /* reports to Carla */
  KdxPerson *carla;
} Org;

typedef struct
{
  const char *name;
  gboolean  (*attempt) (Org *org, GError **error);
  int         code;
} Invalid;

static gboolean
insert_named (Org        *org,
              const char *name,
              const char *email,
              const char *manager,
              GError    **error)
{
  g_autoptr(KdxPerson) p = kdx_person_new ();

  kdx_person_set_name (p, name);
  kdx_person_set_email (p, email);
  kdx_person_set_manager (p, manager);

  return kdx_person_insert (org->store, p, error);
}

static gboolean
update_with (Org         *org,
             KdxPerson   *who,
             const char  *email,
             const char  *manager,
             GError     **error)
{
  g_autoptr(KdxPerson) p = kdx_person_copy (who);

  if (email)
    kdx_person_set_email (p, email);
  if (manager)
    kdx_person_set_manager (p, manager);

  return kdx_person_update (org->store, p, error);
}

static gboolean
empty_name (Org *org, GError **error)
{
  return insert_named (org, "", NULL, NULL, error);
}

static gboolean
blank_name (Org *org, GError **error)
{
  return insert_named (org, " \t ", NULL, NULL, error);
}

static gboolean
no_name (Org *org, GError **error)
{
  return insert_named (org, NULL, "noname@example.org", NULL, error);
}

static gboolean
long_name (Org *org, GError **error)
{
  g_autofree char *name = g_strnfill (201, 'x');

  return insert_named (org, name, NULL, NULL, error);
}

static gboolean
blank_name_update (Org *org, GError **error)
{
  g_autoptr(KdxPerson) p = kdx_person_copy (org->anna);

  kdx_person_set_name (p, "   ");

  return kdx_person_update (org->store, p, error);
}

static gboolean
email_no_at (Org *org, GError **error)
{
  return insert_named (org, "Dora Dach", "dora.example.org", NULL, error);
}

static gboolean
email_two_at (Org *org, GError **error)
{
  return insert_named (org, "Dora Dach", "dora@dach@example.org", NULL, error);
}

static gboolean
email_space (Org *org, GError **error)
{
  return insert_named (org, "Dora Dach", "dora dach@example.org", NULL, error);
}

static gboolean
email_no_domain (Org *org, GError **error)
{
  return insert_named (org, "Dora Dach", "dora@", NULL, error);
}

static gboolean
email_no_local (Org *org, GError **error)
{
  return insert_named (org, "Dora Dach", "@example.org", NULL, error);
}

static gboolean
email_list (Org *org, GError **error)
{
  return insert_named (org, "Dora Dach", "dora@example.org, anna@example.org", NULL, error);
}

static gboolean
duplicate_email (Org *org, GError **error)
{
  return insert_named (org, "Anna Andere", "ANNA@Example.ORG", NULL, error);
}

static gboolean
duplicate_email_update (Org *org, GError **error)
{
  return update_with (org, org->bernd, "Anna@example.org", NULL, error);
}

static gboolean
self_manager (Org *org, GError **error)
{
  return update_with (org, org->anna, NULL, kdx_person_get_uuid (org->anna), error);
}

static gboolean
cycle_two (Org *org, GError **error)
{
  /* Anna reports to Bernd; Bernd cannot report to Anna. */
  return update_with (org, org->bernd, NULL, kdx_person_get_uuid (org->anna), error);
}

static gboolean
cycle_three (Org *org, GError **error)
{
  /* Anna → Bernd → Carla; Carla cannot report to Anna. */
  return update_with (org, org->carla, NULL, kdx_person_get_uuid (org->anna), error);
}

static gboolean
unknown_manager (Org *org, GError **error)
{
  return insert_named (org, "Dora Dach", NULL, "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", error);
}

static gboolean
update_missing (Org *org, GError **error)
{
  g_autoptr(KdxPerson) p = kdx_person_copy (org->anna);

  kdx_person_set_uuid (p, "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  kdx_person_set_email (p, "ghost@example.org");

  return kdx_person_update (org->store, p, error);
}

static gboolean
trash_missing (Org *org, GError **error)
{
  return kdx_person_trash (org->store, "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", error);
}

static const Invalid invalids[] = {
  { "empty-name", empty_name, KDX_PERSON_ERROR_INVALID },
  { "blank-name", blank_name, KDX_PERSON_ERROR_INVALID },
  { "no-name", no_name, KDX_PERSON_ERROR_INVALID },
  { "long-name", long_name, KDX_PERSON_ERROR_INVALID },
  { "blank-name-update", blank_name_update, KDX_PERSON_ERROR_INVALID },
  { "email-no-at", email_no_at, KDX_PERSON_ERROR_INVALID },
  { "email-two-at", email_two_at, KDX_PERSON_ERROR_INVALID },
  { "email-space", email_space, KDX_PERSON_ERROR_INVALID },
  { "email-no-domain", email_no_domain, KDX_PERSON_ERROR_INVALID },
  { "email-no-local-part", email_no_local, KDX_PERSON_ERROR_INVALID },
  { "email-list", email_list, KDX_PERSON_ERROR_INVALID },
  { "duplicate-email", duplicate_email, KDX_PERSON_ERROR_DUPLICATE },
  { "duplicate-email-update", duplicate_email_update, KDX_PERSON_ERROR_DUPLICATE },
  { "self-manager", self_manager, KDX_PERSON_ERROR_INVALID },
  { "manager-cycle", cycle_two, KDX_PERSON_ERROR_INVALID },
  { "manager-cycle-3", cycle_three, KDX_PERSON_ERROR_INVALID },
  { "unknown-manager", unknown_manager, KDX_PERSON_ERROR_INVALID },
  { "update-missing", update_missing, KDX_PERSON_ERROR_NOT_FOUND },
  { "trash-missing", trash_missing, KDX_PERSON_ERROR_NOT_FOUND },
};

#define ANNA_UUID  "a0000000-0000-4000-8000-00000000000a"
#define BERND_UUID "b0000000-0000-4000-8000-00000000000b"
#define CARLA_UUID "c0000000-0000-4000-8000-00000000000c"

static void
build_small_org (const char *path)
{
  g_autoptr(KdxStore) store = kdx_test_create (path);
  const struct { const char *uuid, *name, *email, *manager; } rows[] = {
    { CARLA_UUID, "Carla Chor", "carla@example.org", NULL },
    { BERND_UUID, "Bernd Brot", "bernd@example.org", CARLA_UUID },
    { ANNA_UUID, "Anna Alt", "anna@example.org", BERND_UUID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(KdxPerson) p = kdx_person_new ();
      g_autoptr(GError) error = NULL;

      kdx_person_set_uuid (p, rows[i].uuid);
      kdx_person_set_name (p, rows[i].name);
      kdx_person_set_email (p, rows[i].email);
      kdx_person_set_manager (p, rows[i].manager);
      g_assert_true (kdx_person_insert (store, p, &error));
      g_assert_no_error (error);
    }
  kdx_test_close (&store);
}

static KdxPerson *
load (KdxStore   *store,
      const char *uuid)
{
  g_autoptr(GError) error = NULL;
  KdxPerson *person = kdx_person_load (store, uuid, &error);

  g_assert_no_error (error);

  return person;
}

static void
test_invalid (gconstpointer data)
{
  const Invalid *c = data;
  Fixture f = { 0 };
  Org org = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 count;

  f.dir = kdx_test_make_dir ();
  f.path = g_build_filename (f.dir, "Personal.kodex", NULL);
  kdx_test_from_template (build_small_org, f.path);
  f.store = kdx_test_open (f.path, KDX_STORE_OPEN_DEFAULT);
  org.store = f.store;
  org.anna = load (f.store, ANNA_UUID);
  org.bernd = load (f.store, BERND_UUID);
  org.carla = load (f.store, CARLA_UUID);

  head = kdx_test_journal_head (f.store);
  before = snapshot (f.store);
  count = kdx_person_count (f.store);

  g_assert_false (c->attempt (&org, &error));
  g_assert_error (error, KDX_PERSON_ERROR, c->code);
  /* A message a person can read. */
  g_assert_cmpuint (strlen (error->message), >, 10);

  /* Nothing written: no row, no journal entry. */
  kdx_test_assert_head (f.store, head);
  g_assert_cmpint (kdx_person_count (f.store), ==, count);
  after = snapshot (f.store);
  g_assert_cmpstr (after, ==, before);
  /* And the store is not stuck in a transaction: the next change works. */
  g_object_unref (kdx_test_add_person (f.store, "Nach Dem Fehler", NULL, NULL, NULL));

  g_object_unref (org.anna);
  g_object_unref (org.bernd);
  g_object_unref (org.carla);
  fixture_tear_down (&f, NULL);
}

/* ------------------------------------------------------------------ */
/* The list: search, filters, sorting                                 */

typedef struct
{
  const char *name;
  const char *email;
  const char *department;
  const char *role;
  int         manager;
  gboolean    committee;
  gboolean    active;
} Row;

static const Row org_chart[] = {
  /* 0 */ { "Jürgen Müller", "juergen.mueller@kodex.test", "Vertrieb Außendienst", "Außendienstmitarbeiter", 1, FALSE, TRUE },
  /* 1 */ { "Sabine Krüger", "sabine.krueger@kodex.test", "Vertrieb Innendienst", "Leiterin", -1, TRUE, TRUE },
  /* 2 */ { "Mehmet Yılmaz", "mehmet.y@kodex.test", "Vertrieb Innendienst", "Vertriebsmitarbeiter", 1, FALSE, TRUE },
  /* 3 */ { "Yusuf Özdemir", "yusuf.oezdemir@kodex.test", "IT & Data Science", "Data Scientist", 4, FALSE, TRUE },
  /* 4 */ { "Dr. Ingrid Baumann", NULL, "IT & Data Science", "Leiterin Data Science", -1, TRUE, TRUE },
  /* 5 */ { "Peter O'Brien", "peter.obrien@kodex.test", "Marketing", "Leiter \"Kampagnen\"", 4, FALSE, TRUE },
  /* 6 */ { "Li Xu", NULL, NULL, NULL, 5, FALSE, TRUE },
  /* 7 */ { "Greta Hansen", "greta.hansen@kodex.test", "Marketing", "Praktikantin", 5, FALSE, FALSE },
  /* 8 */ { "Özlem Acar", "oezlem.acar@kodex.test", "Einkauf", "Einkäuferin", 1, FALSE, TRUE },
};

static void
fill_org_chart (KdxStore *store)
{
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (org_chart); i++)
    {
      const Row *r = &org_chart[i];
      KdxPerson *p = kdx_test_add_person (store, r->name, r->email, r->department, r->role);

      kdx_person_set_committee (p, r->committee);
      kdx_person_set_active (p, r->active);
      g_ptr_array_add (people, p);
    }
  /* Managers afterwards: some report to people added after them. */
  for (guint i = 0; i < G_N_ELEMENTS (org_chart); i++)
    {
      KdxPerson *p = g_ptr_array_index (people, i);

      if (org_chart[i].manager >= 0)
        kdx_person_set_manager (p, kdx_person_get_uuid (g_ptr_array_index (people,
                                                                           org_chart[i].manager)));
      g_assert_true (kdx_person_update (store, p, &error));
      g_assert_no_error (error);
    }
}

static void
build_org_chart (const char *path)
{
  g_autoptr(KdxStore) store = kdx_test_create (path);

  fill_org_chart (store);
  kdx_test_close (&store);
}

static char *
model_names (GListModel *model)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KdxPerson) p = g_list_model_get_item (model, i);
      g_ptr_array_add (names, g_strdup (kdx_person_get_name (p)));
    }
  g_ptr_array_sort (names, kdx_test_compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

static char *
expected_names (const int *indices)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; indices[i] >= 0; i++)
    g_ptr_array_add (names, (gpointer) org_chart[indices[i]].name);
  g_ptr_array_sort (names, kdx_test_compare_strings);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

typedef struct
{
  const char *search;
  gboolean    include_inactive;
  gboolean    committee_only;
  int         expected[10];   /* indices into org_chart, ending in -1 */
} SearchCase;

static const SearchCase searches[] = {
  { NULL, FALSE, FALSE, { 0, 1, 2, 3, 4, 5, 6, 8, -1 } },
  { "", FALSE, FALSE, { 0, 1, 2, 3, 4, 5, 6, 8, -1 } },
  { "   ", FALSE, FALSE, { 0, 1, 2, 3, 4, 5, 6, 8, -1 } },
  /* Umlauts folded, either way round, in any case. */
  { "muller", FALSE, FALSE, { 0, -1 } },
  { "Müller", FALSE, FALSE, { 0, -1 } },
  { "MÜLL", FALSE, FALSE, { 0, -1 } },
  { "kruger", FALSE, FALSE, { 1, -1 } },
  { "ÖZDEMIR", FALSE, FALSE, { 3, -1 } },
  { "aussendienst", FALSE, FALSE, { 0, -1 } },
  { "Außendienst", FALSE, FALSE, { 0, -1 } },
  /* Not only the name. */
  { "juergen.mueller@kodex", FALSE, FALSE, { 0, -1 } },
  { "einkauferin", FALSE, FALSE, { 8, -1 } },
  { "Yılmaz", FALSE, FALSE, { 2, -1 } },
  /* Several words: all of them, in any order. */
  { "Müller Jürgen", FALSE, FALSE, { 0, -1 } },
  { "science data", FALSE, FALSE, { 3, 4, -1 } },
  { "müller anna", FALSE, FALSE, { -1 } },
  { "vertrieb leiterin", FALSE, FALSE, { 1, -1 } },
  /* Words of one and two letters. */
  { "xu", FALSE, FALSE, { 6, -1 } },
  { "li xu", FALSE, FALSE, { 6, -1 } },
  { "z", FALSE, FALSE, { 2, 3, 8, -1 } },
  { "q", FALSE, FALSE, { -1 } },
  { "dr ingrid", FALSE, FALSE, { 4, -1 } },
  /* Quotes and what a full-text engine would read as syntax. */
  { "o'brien", FALSE, FALSE, { 5, -1 } },
  { "\"Kampagnen\"", FALSE, FALSE, { 5, -1 } },
  { "kampagnen\"", FALSE, FALSE, { 5, -1 } },
  { "\"", FALSE, FALSE, { 5, -1 } },
  { "o\"brien", FALSE, FALSE, { -1 } },
  { "sabine OR peter", FALSE, FALSE, { -1 } },
  { "müll*", FALSE, FALSE, { -1 } },
  { "NEAR(müller", FALSE, FALSE, { -1 } },
  { "-müller", FALSE, FALSE, { -1 } },
  { "'; DROP TABLE person; --", FALSE, FALSE, { -1 } },
  /* Filters. */
  { "hansen", FALSE, FALSE, { -1 } },
  { "hansen", TRUE, FALSE, { 7, -1 } },
  { "marketing", TRUE, FALSE, { 5, 7, -1 } },
  { NULL, FALSE, TRUE, { 1, 4, -1 } },
  { "science", FALSE, TRUE, { 4, -1 } },
  { NULL, TRUE, FALSE, { 0, 1, 2, 3, 4, 5, 6, 7, 8, -1 } },
};

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GListModel) model = kdx_person_model_new (f->store);

  fill_org_chart (f->store);
  g_assert_true (g_list_model_get_item_type (model) == KDX_TYPE_PERSON);

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      const SearchCase *c = &searches[i];
      g_autofree char *expected = expected_names (c->expected);
      g_autofree char *got = NULL;

      kdx_person_model_set_filter (model, c->search, c->include_inactive, c->committee_only,
                                   KDX_PERSON_SORT_NAME, FALSE);
      got = model_names (model);
      if (g_strcmp0 (got, expected) != 0)
        g_test_message ("search “%s” (inactive %d, committee %d): got [%s], expected [%s]",
                        c->search, c->include_inactive, c->committee_only, got, expected);
      g_assert_cmpstr (got, ==, expected);
    }

  g_assert_finalize_object (g_steal_pointer (&model));
}

/* The search follows changes: a new name is found, the old one not. */
static void
test_search_follows (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GListModel) model = kdx_person_model_new (f->store);
  g_autoptr(KdxPerson) juergen = kdx_test_add_person (f->store, "Jürgen Müller", NULL,
                                                      "Vertrieb", NULL);
  g_autoptr(GError) error = NULL;

  kdx_person_model_set_filter (model, "müller", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  kdx_person_set_name (juergen, "Jürgen Schmidt");
  g_assert_true (kdx_person_update (f->store, juergen, &error));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  kdx_person_model_set_filter (model, "schmidt", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  g_assert_true (kdx_person_trash (f->store, kdx_person_get_uuid (juergen), &error));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_true (kdx_person_restore (f->store, kdx_person_get_uuid (juergen), &error));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&model));
}

/* A crowd whose search answers are checked against SQL itself: who holds
 * every word (instr() on the search index's text), in the order the list
 * shows without a search. */
static void
fill_crowd (KdxStore *store)
{
  static const char *first[] = { "Anna", "Jürgen", "Özlem", "Mia", "Ben", "Ängelika", "Sören" };
  static const char *last[] = { "Müller", "Bauer", "Yılmaz", "Krause", "Anders", "Straße" };
  static const char *departments[] = { "Vertrieb Außendienst", "Vertrieb Innendienst",
                                        "Marketing", NULL, "Einkauf" };
  static const char *roles[] = { "Leiterin", "Vertriebsmitarbeiter", NULL, "Data Scientist" };
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_store_begin (store, &error));
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", first[i % G_N_ELEMENTS (first)],
                                               last[(i / 3) % G_N_ELEMENTS (last)]);
      g_autofree char *email = g_strdup_printf ("p%u@kodex.test", i);
      g_autoptr(KdxPerson) p = kdx_test_add_person (store, name, i % 5 ? email : NULL,
                                                    departments[i % G_N_ELEMENTS (departments)],
                                                    roles[(i / 2) % G_N_ELEMENTS (roles)]);

      kdx_person_set_committee (p, i % 7 == 0);
      kdx_person_set_active (p, i % 6 != 0);
      g_assert_true (kdx_person_update (store, p, &error));
      if (i % 11 == 0)
        g_assert_true (kdx_person_trash (store, kdx_person_get_uuid (p), &error));
    }
  g_assert_true (kdx_store_commit (store, &error));
  g_assert_no_error (error);
}

static GArray *
model_ids (GListModel *model)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KdxPerson) p = g_list_model_get_item (model, i);
      gint64 id = kdx_person_get_id (p);

      g_array_append_val (ids, id);
    }

  return ids;
}

/* Whether the person with @id holds every word of @search, by SQL. */
static gboolean
sql_holds (KdxStore   *store,
           gint64      id,
           const char *search)
{
  g_autofree char *folded = kdx_fold_text (search);
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (folded), " \t\n", -1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *text = NULL;

  stmt = kdx_store_prepare (store, "SELECT text FROM person_search WHERE rowid = ?1", NULL);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(sqlite3_stmt) in = kdx_store_prepare (store, "SELECT instr(?1, ?2) > 0", NULL);

      if (*words[i] == '\0')
        continue;
      sqlite3_bind_text (in, 1, text, -1, SQLITE_STATIC);
      sqlite3_bind_text (in, 2, words[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (in), ==, SQLITE_ROW);
      if (sqlite3_column_int (in, 0) == 0)
        return FALSE;
    }

  return TRUE;
}

static void
assert_search_as_sql (KdxStore      *store,
                      GListModel    *model,
                      GListModel    *unfiltered,
                      const char    *search,
                      gboolean       include_inactive,
                      gboolean       committee_only,
                      KdxPersonSort  sort,
                      gboolean       descending)
{
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) got = NULL;

  kdx_person_model_set_filter (unfiltered, NULL, include_inactive, committee_only, sort,
                               descending);
  kdx_person_model_set_filter (model, search, include_inactive, committee_only, sort, descending);
  all = model_ids (unfiltered);
  for (guint i = 0; i < all->len; i++)
    if (sql_holds (store, g_array_index (all, gint64, i), search))
      g_array_append_val (expected, g_array_index (all, gint64, i));
  got = model_ids (model);

  g_test_message ("“%s”, inactive %d, committee %d, sort %d%s: %u of %u", search,
                  include_inactive, committee_only, sort, descending ? " desc" : "",
                  got->len, all->len);
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpint (g_array_index (got, gint64, i), ==, g_array_index (expected, gint64, i));
}

static void
test_search_as_sql (Fixture       *f,
                    gconstpointer  data)
{
  /* Typed as a person types (each step narrows or widens the last), then
   * pasted words. */
  static const char *typed[] = {
    "m", "mü", "mül", "müll", "müller", "müller ", "müller a", "müller an", "müller", "",
    "a", "an", "ann", "anna", "anna b", "nna", "", "ä", "ß", "strasse", "STRAẞE", "yilmaz",
    "vertrieb", "vertrieb leiterin", "vertrieb", "ver", "@kodex", "p1", "p1@", "",
    "innendienst", "außendienst", "q", "sören", "soren", "data",
  };
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GListModel) unfiltered = NULL;
  g_autoptr(GError) error = NULL;

  fill_crowd (f->store);
  model = kdx_person_model_new (f->store);
  unfiltered = kdx_person_model_new (f->store);

  for (guint flags = 0; flags < 4; flags++)
    for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
      assert_search_as_sql (f->store, model, unfiltered, typed[i], flags & 1, flags & 2,
                            KDX_PERSON_SORT_NAME, FALSE);

  for (KdxPersonSort sort = KDX_PERSON_SORT_NAME; sort <= KDX_PERSON_SORT_ACTIVE; sort++)
    for (guint i = 0; i < 12; i++)
      assert_search_as_sql (f->store, model, unfiltered, typed[i], TRUE, FALSE, sort, sort % 2);

  /* After a change the texts are read again. */
  {
    g_autoptr(KdxPerson) p = kdx_test_add_person (f->store, "Zacharias Müller", NULL,
                                                  "Vertrieb Innendienst", NULL);

    assert_search_as_sql (f->store, model, unfiltered, "müller", FALSE, FALSE,
                          KDX_PERSON_SORT_NAME, FALSE);
    kdx_person_set_name (p, "Zacharias Neumann");
    g_assert_true (kdx_person_update (f->store, p, &error));
    g_assert_no_error (error);
    assert_search_as_sql (f->store, model, unfiltered, "müller", FALSE, FALSE,
                          KDX_PERSON_SORT_NAME, FALSE);
    assert_search_as_sql (f->store, model, unfiltered, "neumann", FALSE, FALSE,
                          KDX_PERSON_SORT_NAME, FALSE);
  }

  g_assert_finalize_object (g_steal_pointer (&model));
  g_assert_finalize_object (g_steal_pointer (&unfiltered));
}

/* Ids far apart (as a file made elsewhere may hold) are found as well. */
static void
test_search_sparse_ids (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { const char *search, *names; } cases[] = {
    { "fernweh", "Fritz Fernweh" }, { "a", "Anna Nah" }, { "f", "Fritz Fernweh" },
  };
  g_autoptr(GListModel) model = NULL;

  g_object_unref (kdx_test_add_person (f->store, "Anna Nah", NULL, NULL, NULL));
  kdx_test_close (&f->store);
  kdx_test_raw_exec (f->path,
                     "INSERT INTO person (id, uuid, name, sort_key, created, modified) VALUES "
                     "(4000000000, 'd0000000-0000-4000-8000-00000000000f', 'Fritz Fernweh', "
                     "'fritz fernweh', '2024-01-01T00:00:00.000000Z', "
                     "'2024-01-01T00:00:00.000000Z');"
                     "INSERT INTO person_search (rowid, text) VALUES (4000000000, 'fritz fernweh');");
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  model = kdx_person_model_new (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *names = NULL;

      kdx_person_model_set_filter (model, cases[i].search, FALSE, FALSE, KDX_PERSON_SORT_NAME,
                                   i % 2);
      names = model_names (model);
      g_assert_cmpstr (names, ==, cases[i].names);
    }

  g_assert_finalize_object (g_steal_pointer (&model));
}

/* The texts read ahead in a worker are not used when someone changed
 * meanwhile: the search finds who is there now. */
static void
test_search_preload (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GListModel) model = NULL;
  g_autoptr(KdxPerson) late = NULL;

  fill_crowd (f->store);
  model = kdx_person_model_new (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);

  kdx_person_model_preload_search (model);
  late = kdx_test_add_person (f->store, "Zacharias Spät", NULL, NULL, NULL);
  for (guint i = 0; i < 300; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
  kdx_person_model_set_filter (model, "spat", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Read ahead with nothing changing, the texts serve the next search. */
  kdx_person_model_preload_search (model);
  for (guint i = 0; i < 300; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
  kdx_person_model_set_filter (model, "zacharias", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&model));
}

typedef struct
{
  const char   *name;
  KdxPersonSort sort;
  gboolean      descending;
  gboolean      include_inactive;
  int           first;
  int           last;
} SortCase;

static const SortCase sorts[] = {
  /* By name as people read it: "Özlem" among the O, not after "Yusuf". */
  { "name/ascending", KDX_PERSON_SORT_NAME, FALSE, FALSE, 4, 3 },
  { "name/descending", KDX_PERSON_SORT_NAME, TRUE, FALSE, 3, 4 },
  /* People without an address come last either way. */
  { "email/ascending", KDX_PERSON_SORT_EMAIL, FALSE, FALSE, 0, 6 },
  { "email/descending", KDX_PERSON_SORT_EMAIL, TRUE, FALSE, 3, 6 },
  { "department/ascending", KDX_PERSON_SORT_DEPARTMENT, FALSE, FALSE, 8, 6 },
  { "department/descending", KDX_PERSON_SORT_DEPARTMENT, TRUE, FALSE, 2, 6 },
  { "role/ascending", KDX_PERSON_SORT_ROLE, FALSE, FALSE, 0, 6 },
  { "role/descending", KDX_PERSON_SORT_ROLE, TRUE, FALSE, 2, 6 },
  { "manager/ascending", KDX_PERSON_SORT_MANAGER, FALSE, FALSE, 5, 1 },
  { "manager/descending", KDX_PERSON_SORT_MANAGER, TRUE, FALSE, 0, 1 },
  { "committee/ascending", KDX_PERSON_SORT_COMMITTEE, FALSE, FALSE, 0, 1 },
  { "committee/descending", KDX_PERSON_SORT_COMMITTEE, TRUE, FALSE, 4, 3 },
  { "active/ascending", KDX_PERSON_SORT_ACTIVE, FALSE, TRUE, 7, 3 },
  { "active/descending", KDX_PERSON_SORT_ACTIVE, TRUE, TRUE, 4, 7 },
};

static void
test_sort (gconstpointer data)
{
  const SortCase *c = data;
  Fixture f = { 0 };
  g_autoptr(GListModel) model = NULL;
  g_autoptr(KdxPerson) first = NULL;
  g_autoptr(KdxPerson) last = NULL;
  guint n;

  f.dir = kdx_test_make_dir ();
  f.path = g_build_filename (f.dir, "Personal.kodex", NULL);
  kdx_test_from_template (build_org_chart, f.path);
  f.store = kdx_test_open (f.path, KDX_STORE_OPEN_DEFAULT);
  model = kdx_person_model_new (f.store);
  kdx_person_model_set_filter (model, NULL, c->include_inactive, FALSE, c->sort, c->descending);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, c->include_inactive ? 9 : 8);

  first = g_list_model_get_item (model, 0);
  last = g_list_model_get_item (model, n - 1);
  g_assert_cmpstr (kdx_person_get_name (first), ==, org_chart[c->first].name);
  g_assert_cmpstr (kdx_person_get_name (last), ==, org_chart[c->last].name);

  g_assert_finalize_object (g_steal_pointer (&model));
  fixture_tear_down (&f, NULL);
}

/* ------------------------------------------------------------------ */
/* Paging                                                             */

static void
count_signals_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n)
{
  (*n)++;
}

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GListModel) model = kdx_person_model_new (f->store);
  g_autoptr(GError) error = NULL;
  gint64 length = kdx_test_journal_length (f->store);
  guint n_signals = 0;
  const guint probes[] = { 0, 1, 63, 64, 65, 127, 128, 200, 298, 299 };

  g_signal_connect (model, "items-changed", G_CALLBACK (count_signals_cb), &n_signals);
  /* As a view asks when it shows the list. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  /* 300 people in one transaction: the list reloads once. */
  g_assert_true (kdx_store_begin (f->store, &error));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person %03u", (i * 7) % 300);
      g_object_unref (kdx_test_add_person (f->store, name, NULL, NULL, NULL));
    }
  g_assert_cmpuint (n_signals, ==, 0);
  g_assert_true (kdx_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_signals, ==, 1);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length + 300);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 300);
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autoptr(KdxPerson) p = g_list_model_get_item (model, probes[i]);
      g_autofree char *expected = g_strdup_printf ("Person %03u", probes[i]);

      g_assert_nonnull (p);
      g_assert_cmpstr (kdx_person_get_name (p), ==, expected);
    }
  g_assert_null (g_list_model_get_item (model, 300));
  g_assert_null (g_list_model_get_item (model, G_MAXUINT));

  /* Every row, in order, from the last page back to the first. */
  for (guint i = 300; i-- > 0;)
    {
      g_autoptr(KdxPerson) p = g_list_model_get_item (model, i);
      g_autofree char *expected = g_strdup_printf ("Person %03u", i);

      g_assert_cmpstr (kdx_person_get_name (p), ==, expected);
    }

  kdx_person_model_set_filter (model, NULL, FALSE, FALSE, KDX_PERSON_SORT_NAME, TRUE);
  {
    g_autoptr(KdxPerson) p0 = g_list_model_get_item (model, 0);
    g_autoptr(KdxPerson) p64 = g_list_model_get_item (model, 64);
    g_autoptr(KdxPerson) p299 = g_list_model_get_item (model, 299);

    g_assert_cmpstr (kdx_person_get_name (p0), ==, "Person 299");
    g_assert_cmpstr (kdx_person_get_name (p64), ==, "Person 235");
    g_assert_cmpstr (kdx_person_get_name (p299), ==, "Person 000");
  }

  g_signal_handlers_disconnect_by_data (model, &n_signals);
  g_assert_finalize_object (g_steal_pointer (&model));
}

/* ------------------------------------------------------------------ */
/* Folding                                                            */

typedef struct
{
  const char *slug;
  const char *in;
  const char *out;
} Fold;

static const Fold folds[] = {
  { "sharp-s", "Straße", "strasse" },
  { "upper-ss", "STRASSE", "strasse" },
  { "umlaut", "Öztürk", "ozturk" },
  { "upper-umlaut", "MÜLLER", "muller" },
  { "ring", "Ångström", "angstrom" },
  { "cedilla", "François", "francois" },
  { "caron", "Dvořák", "dvorak" },
  { "two-marks", "Nguyễn", "nguyen" },
  { "dotted-capital-i", "İstanbul", "istanbul" },
  { "diaeresis", "Zoë", "zoe" },
  { "apostrophe", "O'Brien", "o'brien" },
  { "greek", "Ελένη", "ελενη" },
  { "empty", "", "" },
  /* Latin letters that have no decomposition of their own. */
  { "dotless-i", "Yılmaz", "yilmaz" },
  { "dotless-i-2", "Aydın", "aydin" },
  { "l-stroke", "Małgorzata", "malgorzata" },
  { "o-stroke", "Søren", "soren" },
};

static void
test_fold (gconstpointer data)
{
  const Fold *c = data;
  g_autofree char *folded = kdx_fold_text (c->in);

  g_assert_cmpstr (folded, ==, c->out);
}

/* Names whose letters have no decomposition are found as they are typed on
 * a German keyboard. */
static void
test_fold_search (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *name, *search; } cases[] = {
    { "Mehmet Yılmaz", "yilmaz" },
    { "Fatma Aydın", "Aydin" },
    { "Małgorzata Kowalska", "malgorzata" },
    { "Søren Kierkegaard", "Soren" },
  };
  g_autoptr(GListModel) model = kdx_person_model_new (f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_object_unref (kdx_test_add_person (f->store, cases[i].name, NULL, NULL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KdxPerson) found = NULL;

      kdx_person_model_set_filter (model, cases[i].search, FALSE, FALSE,
                                   KDX_PERSON_SORT_NAME, FALSE);
      g_test_message ("searching “%s” for “%s”", cases[i].search, cases[i].name);
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
      found = g_list_model_get_item (model, 0);
      g_assert_cmpstr (kdx_person_get_name (found), ==, cases[i].name);
    }

  g_assert_finalize_object (g_steal_pointer (&model));
}

/* A workspace written before folding learnt those letters: opening it
 * brings its sort keys and search index up to date. */
static void
test_fold_existing_workspace (void)
{
  g_autofree char *dir = kdx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "Alt.kodex", NULL);
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;

  store = _kdx_store_create_at_version (path, 2, &error);
  g_assert_no_error (error);
  kdx_test_close (&store);
  /* As kdx_fold_text() of schema version 2 stored them. */
  kdx_test_raw_exec (path,
                     "INSERT INTO person (id, uuid, name, sort_key, created, modified) VALUES "
                     "(7, 'd0000000-0000-4000-8000-00000000000d', 'Mehmet Yılmaz', "
                     "'mehmet yılmaz', '2024-01-01T00:00:00.000000Z', "
                     "'2024-01-01T00:00:00.000000Z');"
                     "INSERT INTO person_search (rowid, text) VALUES (7, 'mehmet yılmaz   ');");

  store = kdx_test_open (path, KDX_STORE_OPEN_DEFAULT);
  model = kdx_person_model_new (store);
  kdx_person_model_set_filter (model, "yilmaz", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  kdx_person_model_set_filter (model, "Yılmaz", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&model));
  kdx_test_close (&store);
  kdx_test_rm_rf (dir);
}

static void
test_fold_null (void)
{
  g_autofree char *folded = kdx_fold_text (NULL);

  g_assert_cmpstr (folded, ==, "");
}

/* The id the HR system knows a person by: stored, journaled, searched,
 * found, and unique among the people who are not in the trash. */
static void
test_employee_id (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KdxPerson) anna = kdx_person_new ();
  g_autoptr(KdxPerson) bernd = kdx_person_new ();
  g_autoptr(KdxPerson) loaded = NULL;
  g_autoptr(KdxPerson) found = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gint64 length;

  kdx_person_set_name (anna, "Anna Alt");
  kdx_person_set_email (anna, "anna@example.org");
  kdx_person_set_employee_id (anna, "  P-10042 ");
  g_assert_cmpstr (kdx_person_get_employee_id (anna), ==, "P-10042");
  g_assert_true (kdx_person_insert (f->store, anna, &error));
  g_assert_no_error (error);

  loaded = kdx_person_load (f->store, kdx_person_get_uuid (anna), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_person_get_employee_id (loaded), ==, "P-10042");
  json = kdx_person_to_json (loaded);
  g_assert_nonnull (strstr (json, "\"employee_id\":\"P-10042\""));
  entry = kdx_test_last_entry (f->store);
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "\"employee_id\":\"P-10042\""));

  /* Found by it, as by uuid and address. */
  found = kdx_person_find (f->store, "P-10042", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_person_get_uuid (found), ==, kdx_person_get_uuid (anna));
  g_clear_object (&found);
  found = kdx_person_find (f->store, "P-1004", &error);
  g_assert_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_NOT_FOUND);
  g_assert_null (found);
  g_clear_error (&error);

  /* Searched. */
  model = kdx_person_model_new (f->store);
  kdx_person_model_set_filter (model, "p-1004", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Another live person cannot have it; the message says who has it. */
  kdx_person_set_name (bernd, "Bernd Brot");
  kdx_person_set_employee_id (bernd, "P-10042");
  length = kdx_test_journal_length (f->store);
  g_assert_false (kdx_person_insert (f->store, bernd, &error));
  g_assert_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "Anna Alt"));
  g_assert_nonnull (strstr (error->message, "P-10042"));
  g_clear_error (&error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length);
  g_assert_cmpint (kdx_person_count (f->store), ==, 1);

  /* Changed by an update, journaled with before and after. */
  kdx_person_set_employee_id (loaded, "P-20000");
  g_assert_true (kdx_person_update (f->store, loaded, &error));
  g_assert_no_error (error);
  g_clear_object (&entry);
  entry = kdx_test_last_entry (f->store);
  g_assert_nonnull (strstr (kdx_journal_entry_get_before (entry), "P-10042"));
  g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "P-20000"));
  kdx_person_model_set_filter (model, "p-2000", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Free again, and free once its holder is in the trash. */
  g_assert_true (kdx_person_insert (f->store, bernd, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KdxPerson) clara = kdx_person_new ();

    kdx_person_set_name (clara, "Clara Clos");
    kdx_person_set_employee_id (clara, "P-10042");
    g_assert_false (kdx_person_insert (f->store, clara, &error));
    g_assert_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_DUPLICATE);
    g_clear_error (&error);
    g_assert_true (kdx_person_trash (f->store, kdx_person_get_uuid (bernd), &error));
    g_assert_true (kdx_person_insert (f->store, clara, &error));
    g_assert_no_error (error);
  }

  /* An empty id is none. */
  kdx_person_set_employee_id (loaded, "   ");
  g_assert_null (kdx_person_get_employee_id (loaded));
}

/* A person saved into a department that a rule trains gets the course in
 * the same transaction; moving there later does it too. */
static void
test_rules_applied (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KdxCourse) course = kdx_course_new ();
  g_autoptr(KdxRule) rule = kdx_rule_new ();
  g_autoptr(KdxPerson) anna = kdx_person_new ();
  g_autoptr(KdxPerson) bernd = NULL;
  g_autoptr(GPtrArray) rounds = NULL;
  g_autoptr(GError) error = NULL;
  const char *count_sql = "SELECT count(*) FROM assignment WHERE current = 1";

  kdx_course_set_title (course, "Ethischer Vertrieb mit KI");
  g_assert_true (kdx_course_insert (f->store, course, &error));
  g_assert_no_error (error);
  rule->course_uuid = g_strdup (kdx_course_get_uuid (course));
  rule->kind = KDX_RULE_DEPARTMENT;
  rule->target = g_strdup ("Vertrieb");
  rule->due_days = 30;
  g_assert_true (kdx_rule_insert (f->store, rule, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_store_count (f->store, count_sql), ==, 0);

  kdx_person_set_name (anna, "Anna Alt");
  kdx_person_set_department (anna, "Vertrieb");
  g_assert_true (kdx_person_insert (f->store, anna, &error));
  g_assert_no_error (error);
  rounds = kdx_assignment_list_for_person (f->store, kdx_person_get_uuid (anna), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rounds->len, ==, 1);
  g_assert_cmpstr (((KdxAssignment *) g_ptr_array_index (rounds, 0))->course_uuid, ==,
                   kdx_course_get_uuid (course));

  /* Someone elsewhere gets nothing, until they move. */
  bernd = kdx_test_add_person (f->store, "Bernd Brot", NULL, "Marketing", NULL);
  g_assert_cmpint (kdx_store_count (f->store, count_sql), ==, 1);
  kdx_person_set_department (bernd, "Vertrieb");
  g_assert_true (kdx_person_update (f->store, bernd, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_store_count (f->store, count_sql), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/person/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("insert", test_insert);
  ADD ("update", test_update);
  ADD ("trash-restore", test_trash_restore);
  ADD ("employee-id", test_employee_id);
  ADD ("rules-applied", test_rules_applied);
  for (guint i = 0; i < G_N_ELEMENTS (invalids); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/person/invalid/%s", invalids[i].name);
      g_test_add_data_func (path, &invalids[i], test_invalid);
    }
  ADD ("model/search", test_search);
  ADD ("model/search-follows", test_search_follows);
  ADD ("model/search-as-sql", test_search_as_sql);
  ADD ("model/search-preload", test_search_preload);
  ADD ("model/search-sparse-ids", test_search_sparse_ids);
  for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/person/model/sort/%s", sorts[i].name);
      g_test_add_data_func (path, &sorts[i], test_sort);
    }
  ADD ("model/paging", test_paging);
  for (guint i = 0; i < G_N_ELEMENTS (folds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/person/fold/%s", folds[i].slug);
      g_test_add_data_func (path, &folds[i], test_fold);
    }
  g_test_add_func ("/kdx/person/fold/null", test_fold_null);
  /* Last: these find bugs in kdx_fold_text() (letters without a
   * decomposition) and in kdx_person_update() (see the report to the lead). */
  ADD ("fold/search", test_fold_search);
  g_test_add_func ("/kdx/person/fold/existing-workspace", test_fold_existing_workspace);
  ADD ("trash/stale-update", test_stale_update_keeps_trash);

#undef ADD

  {
    int rc = g_test_run ();

    kdx_test_templates_clear ();
    return rc;
  }
}
