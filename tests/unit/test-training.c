/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Training: courses (keys, unique titles, the trash), the rules that assign
 * them and whom they reach, completion with its expiry, recertification,
 * the statuses at the edges of their days, the status views and the
 * competence gate, with the journal verifying after all of it.
 */
#define G_LOG_DOMAIN "kdx-test-training"

#include "config.h"

#include "kdx-test-util.h"

#include "kdx-system.h"
#include "kdx-training.h"

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
  /* Anna (Vertrieb, Leitung, committee), Bernd (Vertrieb, Verkauf),
   * Cem (IT, Entwicklung), Dana (Recht, Leitung, inactive),
   * Emil (Vertrieb, Verkauf, trashed) */
  char     *people[5];
} Fixture;

enum { ANNA, BERND, CEM, DANA, EMIL };

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *names[] = { "Anna Alt", "Bernd Brück", "Cem Çelik", "Dana Dorn", "Emil Eck" };
  static const char *departments[] = { "Vertrieb", "Vertrieb", "IT", "Recht", "Vertrieb" };
  static const char *roles[] = { "Leitung", "Verkauf", "Entwicklung", "Leitung", "Verkauf" };
  g_autoptr(GError) error = NULL;

  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Schulung.kodex", NULL);
  f->store = kdx_test_create (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *email = g_strdup_printf ("person%u@example.org", i);
      g_autoptr(KdxPerson) person = kdx_test_add_person (f->store, names[i], email,
                                                         departments[i], roles[i]);

      if (i == ANNA)
        {
          kdx_person_set_committee (person, TRUE);
          g_assert_true (kdx_person_update (f->store, person, &error));
          g_assert_no_error (error);
        }
      if (i == DANA)
        {
          kdx_person_set_active (person, FALSE);
          g_assert_true (kdx_person_update (f->store, person, &error));
          g_assert_no_error (error);
        }
      f->people[i] = g_strdup (kdx_person_get_uuid (person));
    }
  g_assert_true (kdx_person_trash (f->store, f->people[EMIL], &error));
  g_assert_no_error (error);
  kdx_store_set_actor (f->store, f->people[ANNA]);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Whatever a test did, the journal still holds together. */
  if (f->store != NULL)
    {
      g_assert_true (kdx_journal_verify (f->store, 0, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (f->people); i++)
    g_clear_pointer (&f->people[i], g_free);
}

static KdxCourse *
add_course (Fixture    *f,
            const char *title,
            guint       validity_months)
{
  g_autoptr(GError) error = NULL;
  KdxCourse *course = kdx_course_new ();

  kdx_course_set_title (course, title);
  kdx_course_set_validity_months (course, validity_months);
  g_assert_true (kdx_course_insert (f->store, course, &error));
  g_assert_no_error (error);

  return course;
}

static void
add_rule (Fixture     *f,
          KdxCourse   *course,
          KdxRuleKind  kind,
          const char  *target,
          const char  *system_uuid,
          guint        due_days)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxRule) rule = kdx_rule_new ();

  rule->course_uuid = g_strdup (kdx_course_get_uuid (course));
  rule->kind = kind;
  rule->target = g_strdup (target);
  rule->system_uuid = g_strdup (system_uuid);
  rule->due_days = due_days;
  g_assert_true (kdx_rule_insert (f->store, rule, &error));
  g_assert_no_error (error);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return kdx_store_count (f->store, sql);
}

/* The current round of @person in @course, or NULL. */
static KdxAssignment *
current_round (Fixture    *f,
               const char *person,
               KdxCourse  *course,
               const char *today)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rounds = kdx_assignment_list_for_person (f->store, person, today, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < rounds->len; i++)
    {
      KdxAssignment *a = rounds->pdata[i];

      if (a->current && g_str_equal (a->course_uuid, kdx_course_get_uuid (course)))
        return g_ptr_array_steal_index (rounds, i);
    }

  return NULL;
}

static void
test_course_crud (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCourse) literacy = add_course (f, "KI-Kompetenz für alle", 24);
  g_autoptr(KdxCourse) selling = add_course (f, "Ethisch verkaufen mit KI", 0);
  g_autoptr(KdxCourse) twin = kdx_course_new ();
  g_autoptr(KdxCourse) found = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_assert_cmpstr (kdx_course_get_key (literacy), ==, "CRS-001");
  g_assert_cmpstr (kdx_course_get_key (selling), ==, "CRS-002");
  g_assert_nonnull (kdx_course_get_uuid (literacy));

  /* The same title, in other case and without the umlaut, is refused. */
  kdx_course_set_title (twin, "ki-kompetenz fur ALLE");
  g_assert_false (kdx_course_insert (f->store, twin, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "CRS-001"));
  g_clear_error (&error);
  g_assert_cmpint (kdx_course_count (f->store), ==, 2);

  /* An empty title names the field. */
  kdx_course_set_title (twin, "   ");
  g_assert_false (kdx_course_insert (f->store, twin, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_INVALID);
  g_clear_error (&error);

  /* Found by uuid, key, title and folded title. */
  found = kdx_course_find (f->store, "crs-002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_course_get_uuid (found), ==, kdx_course_get_uuid (selling));
  g_clear_object (&found);
  found = kdx_course_find (f->store, "KI-Kompetenz für alle", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_course_get_key (found), ==, "CRS-001");
  g_clear_object (&found);
  found = kdx_course_find (f->store, "ki-kompetenz fur alle", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_course_get_key (found), ==, "CRS-001");
  g_clear_object (&found);
  found = kdx_course_find (f->store, kdx_course_get_uuid (selling), &error);
  g_assert_no_error (error);
  g_clear_object (&found);
  g_assert_null (kdx_course_find (f->store, "Gibt es nicht", &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Update: a field changes, the key stays. */
  kdx_course_set_topic (selling, "Vertrieb");
  kdx_course_set_duration_minutes (selling, 90);
  kdx_course_set_key (selling, "CRS-999");
  g_assert_true (kdx_course_update (f->store, selling, &error));
  g_assert_no_error (error);
  found = kdx_course_load (f->store, kdx_course_get_uuid (selling), &error);
  g_assert_cmpstr (kdx_course_get_topic (found), ==, "Vertrieb");
  g_assert_cmpuint (kdx_course_get_duration_minutes (found), ==, 90);
  g_assert_cmpstr (kdx_course_get_key (found), ==, "CRS-002");
  g_clear_object (&found);

  /* Sorted by title. */
  list = kdx_course_list (f->store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (kdx_course_get_key (list->pdata[0]), ==, "CRS-002");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Trash: gone from the list, its title free, its key never given again. */
  g_assert_true (kdx_course_trash (f->store, kdx_course_get_uuid (literacy), &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_course_count (f->store), ==, 1);
  list = kdx_course_list_trashed (f->store);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  {
    g_autoptr(KdxCourse) again = add_course (f, "KI-Kompetenz für alle", 12);

    g_assert_cmpstr (kdx_course_get_key (again), ==, "CRS-003");
    /* Restoring the first would give two live courses of one title. */
    g_assert_false (kdx_course_restore (f->store, kdx_course_get_uuid (literacy), &error));
    g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DUPLICATE);
    g_clear_error (&error);
    g_assert_true (kdx_course_trash (f->store, kdx_course_get_uuid (again), &error));
    g_assert_no_error (error);
  }
  g_assert_true (kdx_course_restore (f->store, kdx_course_get_uuid (literacy), &error));
  g_assert_no_error (error);
  found = kdx_course_load (f->store, kdx_course_get_uuid (literacy), &error);
  g_assert_null (kdx_course_get_trashed (found));
  g_assert_cmpuint (kdx_course_get_validity_months (found), ==, 24);
  g_assert_cmpint (kdx_course_count (f->store), ==, 2);
}

static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCourse) everyone = add_course (f, "Alle", 0);
  g_autoptr(KdxCourse) sales = add_course (f, "Vertrieb", 0);
  g_autoptr(KdxCourse) leads = add_course (f, "Leitung", 0);
  g_autoptr(KdxCourse) committee = add_course (f, "Gremium", 0);
  KdxTrainingApplyStats stats;
  gint64 journal;

  add_rule (f, everyone, KDX_RULE_EVERYONE, NULL, NULL, 30);
  add_rule (f, sales, KDX_RULE_DEPARTMENT, "Vertrieb", NULL, 14);
  add_rule (f, leads, KDX_RULE_ROLE, "Leitung", NULL, 30);
  add_rule (f, committee, KDX_RULE_COMMITTEE, NULL, NULL, 30);

  /* Everyone live and active: Anna, Bernd, Cem; not Dana (inactive) nor
   * Emil (trashed). */
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment"), ==, 3 + 2 + 1 + 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment a JOIN person p "
                             "ON p.id = a.person_id WHERE p.name IN ('Dana Dorn', 'Emil Eck')"),
                   ==, 0);
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[BERND], sales, NULL);

    g_assert_nonnull (a);
    g_assert_cmpint (a->source, ==, KDX_ASSIGNMENT_SOURCE_RULE);
    g_assert_nonnull (a->rule_uuid);
  }
  g_assert_null (current_round (f, f->people[CEM], sales, NULL));
  g_assert_null (current_round (f, f->people[BERND], committee, NULL));

  /* Applying again changes nothing and journals nothing. */
  journal = kdx_test_journal_length (f->store);
  g_assert_true (kdx_training_apply (f->store, NULL, "2026-03-01", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_assigned, ==, 0);
  g_assert_cmpuint (stats.n_recertified, ==, 0);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, journal);

  /* A duplicate rule is refused. */
  {
    g_autoptr(KdxRule) rule = kdx_rule_new ();

    rule->course_uuid = g_strdup (kdx_course_get_uuid (sales));
    rule->kind = KDX_RULE_DEPARTMENT;
    rule->target = g_strdup (" Vertrieb ");
    g_assert_false (kdx_rule_insert (f->store, rule, &error));
    g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DUPLICATE);
    g_clear_error (&error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/training/course/crud", test_course_crud);
  ADD ("/training/rules", test_rules);

  return g_test_run ();
}
