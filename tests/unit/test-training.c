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

#include "kdx-date.h"
#include "kdx-system.h"
#include "kdx-training.h"
#include "kdx-training-overview.h"

#include <stdio.h>

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

static gboolean
has_round (Fixture    *f,
           const char *person,
           KdxCourse  *course)
{
  g_autoptr(KdxAssignment) a = current_round (f, person, course, NULL);

  return a != NULL;
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
  {
    g_autoptr(KdxJournalEntry) entry = kdx_test_last_entry (f->store);

    g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "course");
    g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, "create");
    g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), "Ethisch verkaufen mit KI"));
  }
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
  g_assert_false (has_round (f, f->people[CEM], sales));
  g_assert_false (has_round (f, f->people[BERND], committee));
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[ANNA], committee, NULL);
    g_autoptr(KdxAssignment) b = current_round (f, f->people[ANNA], leads, NULL);
    g_autoptr(KdxAssignment) c = current_round (f, f->people[CEM], everyone, NULL);

    g_assert_nonnull (a);
    g_assert_nonnull (b);
    g_assert_nonnull (c);
    g_assert_false (has_round (f, f->people[CEM], leads));
  }
  /* Due after the rule's days. */
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[BERND], sales, NULL);
    g_autofree char *expected = NULL;
    GDate date;
    guint y, m, d;

    g_assert_cmpint (sscanf (a->assigned, "%u-%u-%u", &y, &m, &d), ==, 3);
    g_date_clear (&date, 1);
    g_date_set_dmy (&date, d, m, y);
    g_date_add_days (&date, 14);
    expected = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                                g_date_get_day (&date));
    g_assert_cmpstr (a->due, ==, expected);
  }

  /* Applying again changes nothing and journals nothing. */
  journal = kdx_test_journal_length (f->store);
  g_assert_true (kdx_training_apply (f->store, NULL, "2026-03-01", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_assigned, ==, 0);
  g_assert_cmpuint (stats.n_recertified, ==, 0);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, journal);

  /* Someone new, or someone who changes department, gets what the rules
   * ask for (kdx_person_insert/update call this). */
  {
    g_autoptr(KdxPerson) fritz = kdx_test_add_person (f->store, "Fritz Fink", "fritz@example.org",
                                                      "Vertrieb", "Verkauf");
    g_autoptr(KdxAssignment) a = NULL;

    g_assert_true (kdx_training_apply_for_person (f->store, kdx_person_get_id (fritz), &error));
    g_assert_no_error (error);
    a = current_round (f, kdx_person_get_uuid (fritz), sales, NULL);
    g_assert_nonnull (a);
    g_clear_pointer (&a, kdx_assignment_free);
    a = current_round (f, kdx_person_get_uuid (fritz), everyone, NULL);
    g_assert_nonnull (a);
    journal = kdx_test_journal_length (f->store);
    g_assert_true (kdx_training_apply_for_person (f->store, kdx_person_get_id (fritz), &error));
    g_assert_cmpint (kdx_test_journal_length (f->store), ==, journal);
  }

  /* A rule changed is applied again; its old rounds stay. */
  {
    g_autoptr(GPtrArray) rules = kdx_rule_list (f->store, kdx_course_get_uuid (sales), &error);
    KdxRule *rule;
    g_autoptr(KdxAssignment) a = NULL;
    g_autofree char *description = NULL;

    g_assert_cmpuint (rules->len, ==, 1);
    rule = rules->pdata[0];
    description = kdx_rule_dup_description (rule);
    g_assert_nonnull (strstr (description, "Vertrieb"));
    g_free (rule->target);
    rule->target = g_strdup ("IT");
    rule->due_days = 7;
    g_assert_true (kdx_rule_update (f->store, rule, &error));
    g_assert_no_error (error);
    a = current_round (f, f->people[CEM], sales, NULL);
    g_assert_nonnull (a);
    g_assert_cmpint (a->source, ==, KDX_ASSIGNMENT_SOURCE_RULE);
    g_clear_pointer (&a, kdx_assignment_free);
    g_assert_nonnull ((a = current_round (f, f->people[BERND], sales, NULL)));
    g_clear_pointer (&a, kdx_assignment_free);

    /* Removed, it leaves its rounds, as if assigned by hand. */
    g_assert_true (kdx_rule_delete (f->store, rule->uuid, &error));
    g_assert_no_error (error);
    a = current_round (f, f->people[CEM], sales, NULL);
    g_assert_cmpint (a->source, ==, KDX_ASSIGNMENT_SOURCE_MANUAL);
    g_assert_null (a->rule_uuid);
    g_clear_pointer (&rules, g_ptr_array_unref);
    rules = kdx_rule_list (f->store, kdx_course_get_uuid (sales), &error);
    g_assert_cmpuint (rules->len, ==, 0);
  }

  /* A duplicate rule is refused. */
  {
    g_autoptr(KdxRule) rule = kdx_rule_new ();

    rule->course_uuid = g_strdup (kdx_course_get_uuid (leads));
    rule->kind = KDX_RULE_ROLE;
    rule->target = g_strdup (" Leitung ");
    g_assert_false (kdx_rule_insert (f->store, rule, &error));
    g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DUPLICATE);
    g_clear_error (&error);
  }
}

static void
test_status_table (void)
{
  static const struct
  {
    const char *due, *completed, *expires;
    KdxAssignmentStatus status;
  } rows[] = {
    /* Open: overdue from the day after the due date. */
    { NULL, NULL, NULL, KDX_ASSIGNMENT_ASSIGNED },
    { "2026-06-16", NULL, NULL, KDX_ASSIGNMENT_ASSIGNED },
    { "2026-06-15", NULL, NULL, KDX_ASSIGNMENT_ASSIGNED },
    { "2026-06-14", NULL, NULL, KDX_ASSIGNMENT_OVERDUE },
    /* Completed: never expires, or beyond 90 days (2026-09-13). */
    { "2026-01-01", "2026-05-01", NULL, KDX_ASSIGNMENT_COMPLETED },
    { NULL, "2026-05-01", "2026-09-14", KDX_ASSIGNMENT_COMPLETED },
    { NULL, "2026-05-01", "2026-09-13", KDX_ASSIGNMENT_EXPIRING },
    { NULL, "2025-05-01", "2026-06-16", KDX_ASSIGNMENT_EXPIRING },
    { NULL, "2025-05-01", "2026-06-15", KDX_ASSIGNMENT_EXPIRED },
    { NULL, "2025-05-01", "2026-01-01", KDX_ASSIGNMENT_EXPIRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      KdxAssignmentStatus status = kdx_assignment_status_for (rows[i].due, rows[i].completed,
                                                              rows[i].expires, "2026-06-15");

      g_test_message ("row %u", i);
      g_assert_cmpint (status, ==, rows[i].status);
    }

  for (int i = 0; i < KDX_ASSIGNMENT_N_STATUSES; i++)
    {
      g_assert_cmpint (kdx_assignment_status_from_string (kdx_assignment_status_to_string (i)), ==, i);
      g_assert_nonnull (kdx_assignment_status_get_label (i));
    }
  g_assert_cmpint (kdx_assignment_status_from_string ("lapsed"), ==, -1);
  for (int i = 0; i < KDX_RULE_N_KINDS; i++)
    g_assert_cmpint (kdx_rule_kind_from_string (kdx_rule_kind_to_string (i)), ==, i);
  g_assert_cmpint (kdx_assignment_source_from_string ("recertification"), ==,
                   KDX_ASSIGNMENT_SOURCE_RECERTIFICATION);
}

static void
complete (Fixture    *f,
          KdxCourse  *course,
          const char *person,
          const char *day,
          double      score)
{
  g_autoptr(GError) error = NULL;
  const char *people[] = { person, NULL };

  g_assert_true (kdx_assignment_complete (f->store, kdx_course_get_uuid (course), people, day,
                                          score, &error));
  g_assert_no_error (error);
}

static void
test_completion_and_recertification (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCourse) course = add_course (f, "Datenschutz", 12);
  g_autoptr(KdxCourse) forever = add_course (f, "Grundlagen", 0);
  g_autoptr(KdxAssignment) first = NULL;
  g_autoptr(KdxAssignment) next = NULL;
  KdxTrainingApplyStats stats;
  gint64 journal;

  /* Without a round, the completion brings one; a month's end is kept. */
  complete (f, course, f->people[ANNA], "2025-01-31", 87.5);
  first = current_round (f, f->people[ANNA], course, "2025-06-01");
  g_assert_nonnull (first);
  g_assert_cmpstr (first->completed, ==, "2025-01-31");
  g_assert_cmpstr (first->assigned, ==, "2025-01-31");
  g_assert_cmpstr (first->expires, ==, "2026-01-31");
  g_assert_cmpfloat (first->score, ==, 87.5);
  g_assert_cmpint (first->source, ==, KDX_ASSIGNMENT_SOURCE_MANUAL);
  g_assert_cmpint (first->status, ==, KDX_ASSIGNMENT_COMPLETED);

  complete (f, forever, f->people[ANNA], "2024-02-29", -1);
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[ANNA], forever, "2099-01-01");

    g_assert_null (a->expires);
    g_assert_cmpfloat (a->score, <, 0);
    g_assert_cmpint (a->status, ==, KDX_ASSIGNMENT_COMPLETED);
  }
  {
    g_autoptr(KdxCourse) short_month = add_course (f, "Kurz", 1);
    g_autoptr(KdxAssignment) a = NULL;

    complete (f, short_month, f->people[BERND], "2026-01-31", 50);
    a = current_round (f, f->people[BERND], short_month, "2026-02-01");
    g_assert_cmpstr (a->expires, ==, "2026-02-28");
  }

  /* Nothing to renew while the expiry is more than 90 days away. */
  journal = kdx_test_journal_length (f->store);
  g_assert_true (kdx_training_apply (f->store, NULL, "2025-11-01", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_recertified, ==, 0);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, journal);

  /* 90 days before 2026-01-31: the next round, due on the expiry date. */
  g_assert_true (kdx_training_apply (f->store, kdx_course_get_uuid (course), "2025-11-02",
                                     &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_recertified, ==, 1);
  g_assert_cmpuint (stats.n_assigned, ==, 0);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, journal + 1);
  next = current_round (f, f->people[ANNA], course, "2025-11-02");
  g_assert_nonnull (next);
  g_assert_cmpint (next->id, !=, first->id);
  g_assert_cmpint (next->previous_id, ==, first->id);
  g_assert_cmpint (next->source, ==, KDX_ASSIGNMENT_SOURCE_RECERTIFICATION);
  g_assert_cmpstr (next->assigned, ==, "2025-11-02");
  g_assert_cmpstr (next->due, ==, "2026-01-31");
  g_assert_null (next->completed);
  /* Anna's certificate is still valid until the renewal is due. */
  g_assert_cmpstr (next->expires, ==, "2026-01-31");
  g_assert_cmpint (next->status, ==, KDX_ASSIGNMENT_EXPIRING);
  g_clear_pointer (&first, kdx_assignment_free);
  first = kdx_assignment_load (f->store, next->previous_id, "2025-11-02", &error);
  g_assert_false (first->current);
  g_assert_cmpint (first->status, ==, KDX_ASSIGNMENT_EXPIRING);
  /* The course's list shows the renewal with the completion it renews;
   * a first round renews none. */
  {
    g_autoptr(GListModel) rounds = kdx_course_rounds_new (f->store);
    g_autoptr(GListModel) all = kdx_assignment_model_new (f->store);
    g_autoptr(KdxAssignmentItem) item = NULL;
    g_autoptr(KdxAssignmentItem) plain = NULL;
    KdxAssignmentFilter filter = { .course_uuid = kdx_course_get_uuid (course), .status = -1,
                                   .today = "2025-11-02" };

    kdx_course_rounds_set_filter (rounds, &filter);
    g_assert_cmpuint (g_list_model_get_n_items (rounds), ==, 1);
    item = g_list_model_get_item (rounds, 0);
    g_assert_cmpint (kdx_assignment_item_get (item)->id, ==, next->id);
    g_assert_cmpstr (kdx_assignment_item_get (item)->renews_completed, ==, "2025-01-31");
    g_assert_cmpint (kdx_assignment_item_get (item)->status, ==, KDX_ASSIGNMENT_EXPIRING);
    filter.course_uuid = kdx_course_get_uuid (forever);
    kdx_assignment_model_set_filter (all, &filter);
    g_assert_cmpuint (g_list_model_get_n_items (all), ==, 1);
    plain = g_list_model_get_item (all, 0);
    g_assert_cmpstr (kdx_assignment_item_get (plain)->completed, ==, "2024-02-29");
    g_assert_null (kdx_assignment_item_get (plain)->renews_completed);
  }

  /* Only once, also later. */
  g_assert_true (kdx_training_apply (f->store, NULL, "2026-03-01", &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_recertified, ==, 1);   /* Bernd's one-month course */
  g_assert_true (kdx_training_apply (f->store, NULL, "2026-03-01", &stats, &error));
  g_assert_cmpuint (stats.n_recertified, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment WHERE source = 'recertification'"),
                   ==, 2);
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[ANNA], course, "2026-03-01");

    g_assert_cmpint (a->id, ==, next->id);
    g_assert_cmpint (a->status, ==, KDX_ASSIGNMENT_OVERDUE);
  }
  {
    g_autoptr(GPtrArray) transcript = kdx_assignment_list_for_person (f->store, f->people[ANNA],
                                                                      "2026-03-01", &error);
    /* Datenschutz (new round first), Grundlagen. */
    g_assert_cmpuint (transcript->len, ==, 3);
    g_assert_cmpint (((KdxAssignment *) transcript->pdata[0])->id, ==, next->id);
    g_assert_cmpint (((KdxAssignment *) transcript->pdata[1])->id, ==, next->previous_id);
  }

  /* Completing the new round renews the certificate. */
  complete (f, course, f->people[ANNA], "2026-01-20", 90);
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[ANNA], course, "2026-03-01");

    g_assert_cmpint (a->id, ==, next->id);
    g_assert_cmpstr (a->expires, ==, "2027-01-20");
    g_assert_cmpint (a->status, ==, KDX_ASSIGNMENT_COMPLETED);
  }

  /* Taken back, it is open again. */
  g_assert_true (kdx_assignment_reopen (f->store, next->id, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KdxAssignment) a = kdx_assignment_load (f->store, next->id, "2026-03-01", &error);

    g_assert_null (a->completed);
    /* Back to the expiry of the certificate it renews, which has passed. */
    g_assert_cmpstr (a->expires, ==, "2026-01-31");
    g_assert_cmpfloat (a->score, <, 0);
    g_assert_cmpint (a->status, ==, KDX_ASSIGNMENT_OVERDUE);
  }

  /* An open round can be removed (the one it renewed is current again),
   * a completed one cannot. */
  g_assert_false (kdx_assignment_delete (f->store, next->previous_id, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kdx_assignment_delete (f->store, next->id, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[ANNA], course, "2025-06-01");

    g_assert_cmpint (a->id, ==, next->previous_id);
  }
}

static void
test_completion_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCourse) course = add_course (f, "Datenschutz", 12);
  const char *course_uuid = kdx_course_get_uuid (course);
  const char *both[] = { f->people[ANNA], f->people[BERND], NULL };
  const char *with_stranger[] = { f->people[ANNA], "5b0c9c56-0000-4000-8000-000000000000", NULL };
  g_autofree char *today = NULL;
  guint n = 0;
  gint64 journal;

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    today = g_date_time_format (now, "%Y-%m-%d");
  }

  /* Bernd is assigned today. */
  {
    const char *bernd[] = { f->people[BERND], NULL };

    g_assert_true (kdx_assignment_assign (f->store, course_uuid, bernd, "2099-01-01", &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 1);
    /* An open round is not given twice. */
    g_assert_true (kdx_assignment_assign (f->store, course_uuid, bernd, NULL, &n, &error));
    g_assert_cmpuint (n, ==, 0);
  }
  journal = kdx_test_journal_length (f->store);

  g_assert_false (kdx_assignment_complete (f->store, course_uuid, both, "2999-01-01", 50, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE);
  g_clear_error (&error);

  g_assert_false (kdx_assignment_complete (f->store, course_uuid, both, "31.02.2026", 50, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE);
  g_clear_error (&error);
  g_assert_false (kdx_assignment_complete (f->store, course_uuid, both, "2026-02-31", 50, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_DATE);
  g_clear_error (&error);

  g_assert_false (kdx_assignment_complete (f->store, course_uuid, both, today, 100.5, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Score"));
  g_clear_error (&error);

  g_assert_false (kdx_assignment_complete (f->store, course_uuid, with_stranger, today, 50, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_UNKNOWN_PERSON);
  g_clear_error (&error);

  g_assert_false (kdx_assignment_complete (f->store, "no-such-course", both, today, 50, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment WHERE completed IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment"), ==, 1);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, journal);

  /* A course taken before Kodex assigned it counts on the day it was
   * taken (a session before the rule, a completion reported late). */
  g_assert_true (kdx_assignment_complete (f->store, course_uuid, both, "2020-01-01", 50, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment WHERE completed = '2020-01-01'"), ==, 2);
  journal = kdx_test_journal_length (f->store);

  /* In bulk: one journal entry naming both. */
  g_assert_true (kdx_assignment_complete (f->store, course_uuid, both, today, 75, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, journal + 1);
  {
    g_autoptr(KdxJournalEntry) entry = kdx_test_last_entry (f->store);

    g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "assignment");
    g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), f->people[ANNA]));
    g_assert_nonnull (strstr (kdx_journal_entry_get_after (entry), f->people[BERND]));
  }
  /* Today's completions are new rounds after those of 2020. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment WHERE completed IS NOT NULL"), ==, 4);
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment"
                             " WHERE current = 1 AND completed > '2020-01-01'"), ==, 2);
}

/* The summary of @key in @list. */
static KdxTrainingSummary *
summary_of (GPtrArray  *list,
            const char *key)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((KdxTrainingSummary *) list->pdata[i])->key, key))
      return list->pdata[i];
  g_assert_not_reached ();
}

static void
test_status_views (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCourse) privacy = add_course (f, "Datenschutz", 12);
  g_autoptr(KdxCourse) ai = add_course (f, "KI-Kompetenz", 0);
  g_autoptr(GPtrArray) list = NULL;
  const char *all[] = { f->people[ANNA], f->people[BERND], f->people[CEM], NULL };
  const char *dana[] = { f->people[DANA], NULL };
  KdxTrainingSummary *s;
  guint n;

  /* On 2025-12-01: Anna's Datenschutz expires on 2026-01-10 (within 60
   * days), Bernd's on 2026-06-01 (valid), Cem's on 2025-11-30 (expired);
   * KI-Kompetenz is open for all three, due 2025-11-15 (overdue) for
   * Anna and Bernd, and 2099-01-01 for Cem. Dana is inactive: not
   * counted. */
  complete (f, privacy, f->people[ANNA], "2025-01-10", 80);
  complete (f, privacy, f->people[BERND], "2025-06-01", 90);
  complete (f, privacy, f->people[CEM], "2024-11-30", 70);
  complete (f, privacy, f->people[DANA], "2025-06-01", 90);
  g_assert_true (kdx_assignment_assign (f->store, kdx_course_get_uuid (ai), all, "2025-11-15",
                                        &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  {
    const char *cem[] = { f->people[CEM], NULL };
    g_autoptr(KdxAssignment) a = current_round (f, f->people[CEM], ai, NULL);

    g_assert_true (kdx_assignment_delete (f->store, a->id, &error));
    g_assert_true (kdx_assignment_assign (f->store, kdx_course_get_uuid (ai), cem, "2099-01-01",
                                          &n, &error));
    g_assert_no_error (error);
  }
  g_assert_true (kdx_assignment_assign (f->store, kdx_course_get_uuid (ai), dana, NULL, &n, &error));

  list = kdx_training_status (f->store, KDX_TRAINING_BY_COURSE, NULL, NULL, "2025-12-01", NULL,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  s = list->pdata[0];
  g_assert_cmpstr (s->label, ==, "Datenschutz");
  g_assert_cmpuint (s->n_people, ==, 3);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_COMPLETED], ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_EXPIRING], ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_EXPIRED], ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_ASSIGNED], ==, 0);
  g_assert_cmpuint (s->n_expiring_30, ==, 0);
  g_assert_cmpuint (s->n_expiring_60, ==, 1);
  g_assert_cmpuint (s->n_expiring_90, ==, 1);
  g_assert_cmpfloat_with_epsilon (s->completion, 2.0 / 3.0, 1e-9);
  s = list->pdata[1];
  g_assert_cmpstr (s->label, ==, "KI-Kompetenz");
  g_assert_cmpuint (s->n_people, ==, 3);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_OVERDUE], ==, 2);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_ASSIGNED], ==, 1);
  g_assert_cmpfloat (s->completion, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = kdx_training_status (f->store, KDX_TRAINING_BY_DEPARTMENT, NULL, NULL, "2025-12-01", NULL,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);   /* IT, Vertrieb; not Recht (Dana) */
  s = list->pdata[0];
  g_assert_cmpstr (s->label, ==, "IT");
  g_assert_cmpuint (s->n_people, ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_EXPIRED], ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_ASSIGNED], ==, 1);
  s = summary_of (list, "Vertrieb");
  g_assert_cmpuint (s->n_people, ==, 2);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_COMPLETED], ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_EXPIRING], ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_OVERDUE], ==, 2);
  g_assert_cmpfloat_with_epsilon (s->completion, 0.5, 1e-9);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* One department, one course. */
  list = kdx_training_status (f->store, KDX_TRAINING_BY_PERSON, kdx_course_get_uuid (privacy),
                              "Vertrieb", "2025-12-01", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  s = list->pdata[0];
  g_assert_cmpstr (s->label, ==, "Anna Alt");
  g_assert_cmpstr (s->key, ==, f->people[ANNA]);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_EXPIRING], ==, 1);
  s = list->pdata[1];
  g_assert_cmpstr (s->label, ==, "Bernd Brück");
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_COMPLETED], ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A trashed course leaves the views; restored, it is back. */
  g_assert_true (kdx_course_trash (f->store, kdx_course_get_uuid (ai), &error));
  g_assert_no_error (error);
  list = kdx_training_status (f->store, KDX_TRAINING_BY_DEPARTMENT, NULL, NULL, "2025-12-01", NULL,
                              &error);
  s = summary_of (list, "Vertrieb");
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_OVERDUE], ==, 0);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_COMPLETED], ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (kdx_course_restore (f->store, kdx_course_get_uuid (ai), &error));
  g_assert_no_error (error);
  list = kdx_training_status (f->store, KDX_TRAINING_BY_DEPARTMENT, NULL, NULL, "2025-12-01", NULL,
                              &error);
  s = summary_of (list, "Vertrieb");
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_OVERDUE], ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* On 2025-12-20 Anna's certificate expires within 30 days. */
  list = kdx_training_status (f->store, KDX_TRAINING_BY_COURSE, kdx_course_get_uuid (privacy),
                              NULL, "2025-12-20", NULL, &error);
  s = list->pdata[0];
  g_assert_cmpuint (s->n_expiring_30, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* The list of current rounds agrees. */
  {
    g_autoptr(GListModel) model = kdx_assignment_model_new (f->store);
    KdxAssignmentFilter filter = { .status = -1, .today = "2025-12-01" };
    g_autoptr(KdxAssignmentItem) item = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);
    filter.status = KDX_ASSIGNMENT_OVERDUE;
    kdx_assignment_model_set_filter (model, &filter);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
    filter.status = -1;
    filter.department = "IT";
    kdx_assignment_model_set_filter (model, &filter);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
    filter.department = NULL;
    filter.search = "brück";
    filter.sort = KDX_ASSIGNMENT_SORT_COURSE;
    kdx_assignment_model_set_filter (model, &filter);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
    item = g_list_model_get_item (model, 0);
    g_assert_cmpstr (kdx_assignment_item_get (item)->course_title, ==, "Datenschutz");
    g_assert_cmpint (kdx_assignment_item_get (item)->status, ==, KDX_ASSIGNMENT_COMPLETED);
    g_clear_object (&item);
    filter.search = "person2@";
    filter.sort = KDX_ASSIGNMENT_SORT_STATUS;
    filter.descending = TRUE;
    kdx_assignment_model_set_filter (model, &filter);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
    item = g_list_model_get_item (model, 0);
    g_assert_cmpint (kdx_assignment_item_get (item)->status, ==, KDX_ASSIGNMENT_EXPIRED);
    g_clear_object (&item);

    /* By department, people without one come last, either way. */
    {
      g_autoptr(KdxPerson) gabi = kdx_test_add_person (f->store, "Gabi Gans", NULL, NULL, NULL);
      const char *gabi_only[] = { kdx_person_get_uuid (gabi), NULL };
      guint count;

      g_assert_true (kdx_assignment_assign (f->store, kdx_course_get_uuid (ai), gabi_only, NULL,
                                            &n, &error));
      g_assert_no_error (error);
      filter.search = NULL;
      filter.sort = KDX_ASSIGNMENT_SORT_DEPARTMENT;
      for (int descending = 0; descending <= 1; descending++)
        {
          filter.descending = descending;
          kdx_assignment_model_set_filter (model, &filter);
          count = g_list_model_get_n_items (model);
          g_assert_cmpuint (count, ==, 7);
          item = g_list_model_get_item (model, 0);
          g_assert_cmpstr (kdx_assignment_item_get (item)->department, ==,
                           descending ? "Vertrieb" : "IT");
          g_clear_object (&item);
          item = g_list_model_get_item (model, count - 1);
          g_assert_null (kdx_assignment_item_get (item)->department);
          g_assert_cmpstr (kdx_assignment_item_get (item)->person_name, ==, "Gabi Gans");
          g_clear_object (&item);
        }
    }
  }
}

static void
test_overseers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCourse) course = add_course (f, "Menschliche Aufsicht", 12);
  g_autoptr(KdxSystem) system = kdx_system_new ();
  g_autoptr(KdxSystem) other = kdx_system_new ();
  g_autoptr(GPtrArray) gaps = NULL;
  g_autoptr(GHashTable) gated = NULL;
  const char *cem[] = { f->people[CEM], NULL };
  const char *cem_and_bernd[] = { f->people[CEM], f->people[BERND], NULL };
  KdxCompetenceGap *gap;

  kdx_system_set_name (system, "Lead-Scoring");
  g_assert_true (kdx_system_create (f->store, system, &error));
  g_assert_no_error (error);
  kdx_system_set_name (other, "Chatbot");
  g_assert_true (kdx_system_create (f->store, other, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_system_set_overseers (f->store, kdx_system_get_uuid (system), cem, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_system_set_overseers (f->store, kdx_system_get_uuid (other), cem, &error));
  g_assert_no_error (error);

  /* Cem completed the course before any rule asked for it. */
  complete (f, course, f->people[CEM], "2025-01-10", 95);
  /* Adding the rule applies the rules on the real today, long after the
   * certificate expired: Cem is due to renew it, on the expiry date. */
  add_rule (f, course, KDX_RULE_OVERSEERS, NULL, kdx_system_get_uuid (system), 30);
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment"), ==, 2);
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[CEM], course, "2026-01-11");

    g_assert_cmpint (a->source, ==, KDX_ASSIGNMENT_SOURCE_RECERTIFICATION);
    g_assert_cmpstr (a->due, ==, "2026-01-10");
    g_assert_cmpint (a->status, ==, KDX_ASSIGNMENT_OVERDUE);
  }
  {
    g_autoptr(GPtrArray) rules = kdx_rule_list (f->store, kdx_course_get_uuid (course), &error);
    g_autofree char *description = kdx_rule_dup_description (rules->pdata[0]);

    g_assert_cmpuint (rules->len, ==, 1);
    g_assert_cmpstr (((KdxRule *) rules->pdata[0])->system_name, ==, "Lead-Scoring");
    g_assert_nonnull (strstr (description, "SYS-001"));
  }

  /* Valid until 2026-01-10: no gap before, a gap from that day on. */
  gaps = kdx_training_competence_gaps (f->store, NULL, "2026-01-09", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gaps->len, ==, 0);
  g_clear_pointer (&gaps, g_ptr_array_unref);
  g_assert_cmpint (kdx_training_count_gated_systems (f->store, "2026-01-09"), ==, 0);

  gaps = kdx_training_competence_gaps (f->store, NULL, "2026-01-11", &error);
  g_assert_cmpuint (gaps->len, ==, 1);
  gap = gaps->pdata[0];
  g_assert_cmpstr (gap->system_uuid, ==, kdx_system_get_uuid (system));
  g_assert_cmpstr (gap->system_key, ==, "SYS-001");
  g_assert_cmpstr (gap->person_uuid, ==, f->people[CEM]);
  g_assert_cmpstr (gap->course_title, ==, "Menschliche Aufsicht");
  g_assert_true (gap->has_round);
  g_assert_cmpint (gap->status, ==, KDX_ASSIGNMENT_OVERDUE);
  g_clear_pointer (&gaps, g_ptr_array_unref);
  g_assert_cmpint (kdx_training_count_gated_systems (f->store, "2026-01-10"), ==, 1);
  gated = kdx_training_dup_gated_systems (f->store, "2026-01-10", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (gated), ==, 1);
  g_assert_true (g_hash_table_contains (gated, kdx_system_get_uuid (system)));
  g_clear_pointer (&gated, g_hash_table_unref);

  /* A new overseer gets the course at once, and is a gap until done. */
  g_assert_true (kdx_system_set_overseers (f->store, kdx_system_get_uuid (system), cem_and_bernd,
                                           &error));
  g_assert_no_error (error);
  {
    g_autoptr(KdxAssignment) a = current_round (f, f->people[BERND], course, NULL);

    g_assert_nonnull (a);
    g_assert_cmpint (a->source, ==, KDX_ASSIGNMENT_SOURCE_RULE);
  }
  gaps = kdx_training_competence_gaps (f->store, kdx_system_get_uuid (system), "2026-01-09",
                                       &error);
  g_assert_cmpuint (gaps->len, ==, 1);
  gap = gaps->pdata[0];
  g_assert_cmpstr (gap->person_name, ==, "Bernd Brück");
  g_assert_cmpint (gap->status, ==, KDX_ASSIGNMENT_ASSIGNED);
  g_clear_pointer (&gaps, g_ptr_array_unref);
  /* The other system has no rule: never gated. */
  gaps = kdx_training_competence_gaps (f->store, kdx_system_get_uuid (other), "2030-01-01", &error);
  g_assert_cmpuint (gaps->len, ==, 0);
  g_clear_pointer (&gaps, g_ptr_array_unref);

  /* Both complete: the gate opens. */
  {
    g_autofree char *today = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    today = g_date_time_format (now, "%Y-%m-%d");
    complete (f, course, f->people[CEM], today, 90);
    complete (f, course, f->people[BERND], today, 90);
    g_assert_cmpint (kdx_training_count_gated_systems (f->store, today), ==, 0);
    gaps = kdx_training_competence_gaps (f->store, NULL, today, &error);
    g_assert_cmpuint (gaps->len, ==, 0);
  }

  /* A rule for every system reaches the other system's overseer too. */
  g_clear_pointer (&gaps, g_ptr_array_unref);
  {
    g_autoptr(KdxCourse) basics = add_course (f, "Aufsicht Grundlagen", 0);
    const char *anna[] = { f->people[ANNA], NULL };

    g_assert_true (kdx_system_set_overseers (f->store, kdx_system_get_uuid (other), anna, &error));
    add_rule (f, basics, KDX_RULE_OVERSEERS, NULL, NULL, 30);
    g_assert_true (has_round (f, f->people[ANNA], basics));
    g_assert_true (has_round (f, f->people[CEM], basics));
    g_assert_true (has_round (f, f->people[BERND], basics));
    g_assert_cmpint (kdx_training_count_gated_systems (f->store, "2026-01-01"), ==, 2);
  }
}

/* ------------------------------------------------------------------ */
/* One course (the course view)                                        */

/* The ids of a list's rounds, in its order. */
static GArray *
round_ids (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KdxAssignmentItem) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
      g_array_append_val (ids, kdx_assignment_item_get (item)->id);
    }

  return ids;
}

static const KdxAssignment *
round_at (GListModel *model,
          guint       position,
          GPtrArray  *keep)
{
  KdxAssignmentItem *item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  g_ptr_array_add (keep, item);

  return kdx_assignment_item_get (item);
}

/* @people (uuids) with every @step-th from @from on. */
static GPtrArray *
every (GPtrArray *people,
       guint      from,
       guint      step)
{
  GPtrArray *some = g_ptr_array_new ();

  for (guint i = from; i < people->len; i += step)
    g_ptr_array_add (some, people->pdata[i]);
  g_ptr_array_add (some, NULL);

  return some;
}

/* 300 people (more than a course view reads at first) with rounds of
 * every status, some without a department or a due date, some inactive
 * or trashed: the course's list, counted and read a page at a time,
 * shows what the list of every round shows for the course, in the same
 * order, for every sort, status and search; its summary is what the
 * status view says of the course. */
static void
test_course_rounds (Fixture       *f,
                    gconstpointer  data)
{
  static const char *first[] = { "Jürgen", "Anna", "Özlem", "Bernd", "Zoë", "Lena", "Paul",
                                 "Marie", "Jonas", "Sophie" };
  static const char *last[] = { "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
                                "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Bauer",
                                "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Braun",
                                "Hofmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler",
                                "Kühn", "Fuß", "Möller", "Böhm", "Weiß", "Krüger" };
  static const char *departments[] = { "Vertrieb", "IT", "Recht", NULL, "Marketing", "Einkauf" };
  static const KdxAssignmentSort sorts[] = {
    KDX_ASSIGNMENT_SORT_PERSON, KDX_ASSIGNMENT_SORT_DEPARTMENT, KDX_ASSIGNMENT_SORT_DUE,
    KDX_ASSIGNMENT_SORT_STATUS, KDX_ASSIGNMENT_SORT_COMPLETED,
  };
  static const char *searches[] = { NULL, "mül", "p01", "nobody" };
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCourse) course = add_course (f, "KI-Kompetenz", 12);
  g_autoptr(KdxCourse) other = add_course (f, "Datenschutz", 0);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GListModel) all = kdx_assignment_model_new (f->store);
  g_autoptr(GListModel) rounds = kdx_course_rounds_new (f->store);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *today = kdx_date_today ();
  const char *course_uuid = kdx_course_get_uuid (course);
  KdxAssignmentFilter filter = { .course_uuid = course_uuid, .status = -1 };
  guint n_statuses[KDX_ASSIGNMENT_N_STATUSES] = { 0 };
  guint n = 0;

  g_assert_true (kdx_store_begin (f->store, &error));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", first[i % 10], last[i / 10]);
      g_autofree char *email = g_strdup_printf ("p%03u@example.org", i);
      g_autoptr(KdxPerson) person = kdx_test_add_person (f->store, name, email,
                                                         departments[i % 6], NULL);

      g_ptr_array_add (uuids, g_strdup (kdx_person_get_uuid (person)));
    }
  g_assert_true (kdx_store_commit (f->store, &error));

  /* Everyone a round, in groups by due date (the last group none). */
  for (guint group = 0; group < 6; group++)
    {
      g_autoptr(GPtrArray) people = every (uuids, group, 6);
      g_autofree char *due = group < 5 ? kdx_date_add_days (today, -60 + 25 * (int) group) : NULL;

      g_assert_true (kdx_assignment_assign (f->store, course_uuid,
                                            (const char * const *) people->pdata, due, &n, &error));
      g_assert_no_error (error);
    }
  {
    const char *some[] = { uuids->pdata[0], uuids->pdata[1], NULL };

    g_assert_true (kdx_assignment_assign (f->store, kdx_course_get_uuid (other), some, NULL, &n,
                                          &error));
    g_assert_no_error (error);
  }

  /* Completions: eleven months ago (expiring, and renewed for some),
   * long ago (expired), lately. */
  for (guint group = 0; group < 4; group++)
    {
      static const int months[] = { -11, -14, -2, -11 };
      g_autoptr(GPtrArray) people = every (uuids, group, 7);
      g_autofree char *when = kdx_date_add_months (today, months[group]);

      g_assert_true (kdx_assignment_complete (f->store, course_uuid,
                                              (const char * const *) people->pdata, when,
                                              60 + group, &error));
      g_assert_no_error (error);
      if (group == 0)
        {
          g_assert_true (kdx_training_apply (f->store, course_uuid, NULL, NULL, &error));
          g_assert_no_error (error);
        }
    }

  /* Some leave: inactive, trashed. */
  for (guint i = 5; i < uuids->len; i += 37)
    {
      g_autoptr(KdxPerson) person = kdx_person_load (f->store, uuids->pdata[i], &error);

      g_assert_no_error (error);
      kdx_person_set_active (person, FALSE);
      g_assert_true (kdx_person_update (f->store, person, &error));
      g_assert_no_error (error);
    }
  for (guint i = 9; i < uuids->len; i += 41)
    {
      g_assert_true (kdx_person_trash (f->store, uuids->pdata[i], &error));
      g_assert_no_error (error);
    }

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int descending = 0; descending <= 1; descending++)
      for (int status = -1; status < KDX_ASSIGNMENT_N_STATUSES; status++)
        for (guint q = 0; q < G_N_ELEMENTS (searches); q++)
          {
            g_autoptr(GArray) expected = NULL;
            g_autoptr(GArray) got = NULL;

            filter.sort = sorts[s];
            filter.descending = descending;
            filter.status = status;
            filter.search = searches[q];
            kdx_assignment_model_set_filter (all, &filter);
            kdx_course_rounds_set_filter (rounds, &filter);
            expected = round_ids (all);
            got = round_ids (rounds);
            /* An empty GArray may hold no buffer at all: no memcmp then. */
            if (got->len != expected->len ||
                (got->len > 0 &&
                 memcmp (got->data, expected->data, got->len * sizeof (gint64)) != 0))
              g_error ("sort %d%s, status %d, search %s: %u rounds, not %u, or in another order",
                       sorts[s], descending ? " descending" : "", status,
                       searches[q] ? searches[q] : "(none)", got->len, expected->len);
            if (status >= 0 && searches[q] == NULL && s == 0 && !descending)
              n_statuses[status] = got->len;
          }

  /* A renewal shows the completion it renews, as stored; other rounds none. */
  {
    guint n_renewals = 0;

    filter.sort = KDX_ASSIGNMENT_SORT_PERSON;
    filter.descending = FALSE;
    filter.status = -1;
    filter.search = NULL;
    kdx_course_rounds_set_filter (rounds, &filter);
    for (guint i = 0; i < g_list_model_get_n_items (rounds); i++)
      {
        const KdxAssignment *a = round_at (rounds, i, keep);
        g_autoptr(KdxAssignment) renewed = NULL;

        if (a->previous_id == 0)
          {
            g_assert_null (a->renews_completed);
            continue;
          }
        renewed = kdx_assignment_load (f->store, a->previous_id, NULL, &error);
        g_assert_no_error (error);
        g_assert_nonnull (a->renews_completed);
        g_assert_cmpstr (a->renews_completed, ==, renewed->completed);
        n_renewals++;
      }
    g_assert_cmpuint (n_renewals, >, 0);
  }

  /* Every status is there, the list is longer than what is read first,
   * and a search finds the Müllers. */
  for (int status = 0; status < KDX_ASSIGNMENT_N_STATUSES; status++)
    g_assert_cmpuint (n_statuses[status], >, 0);
  filter.sort = KDX_ASSIGNMENT_SORT_PERSON;
  filter.descending = FALSE;
  filter.status = -1;
  filter.search = NULL;
  kdx_course_rounds_set_filter (rounds, &filter);
  g_assert_cmpuint (g_list_model_get_n_items (rounds), >, 280);
  g_assert_cmpstr (round_at (rounds, 0, keep)->person_name, ==, "Anna Bauer");
  filter.search = "MÜL";
  kdx_course_rounds_set_filter (rounds, &filter);
  /* Of the ten, Lena left and Sophie is in the trash. */
  g_assert_cmpuint (g_list_model_get_n_items (rounds), ==, 8);
  g_assert_cmpstr (round_at (rounds, 0, keep)->person_name, ==, "Anna Müller");

  /* A course that is not there shows nothing. */
  filter.search = NULL;
  filter.course_uuid = "no-such-course";
  kdx_course_rounds_set_filter (rounds, &filter);
  g_assert_cmpuint (g_list_model_get_n_items (rounds), ==, 0);

  /* The summary is the status view's. */
  for (int days = -400; days <= 400; days += 100)
    {
      g_autofree char *day = kdx_date_add_days (today, days);
      g_autoptr(GPtrArray) status = kdx_training_status (f->store, KDX_TRAINING_BY_COURSE,
                                                         course_uuid, NULL, day, NULL, &error);
      g_autoptr(KdxTrainingSummary) summary = kdx_training_course_summary (f->store, course_uuid,
                                                                           day, &error);
      const KdxTrainingSummary *s;

      g_assert_no_error (error);
      g_assert_cmpuint (status->len, ==, 1);
      s = status->pdata[0];
      g_assert_cmpstr (summary->key, ==, s->key);
      g_assert_cmpstr (summary->label, ==, s->label);
      g_assert_cmpuint (summary->n_people, ==, s->n_people);
      for (int k = 0; k < KDX_ASSIGNMENT_N_STATUSES; k++)
        g_assert_cmpuint (summary->n_status[k], ==, s->n_status[k]);
      g_assert_cmpuint (summary->n_expiring_30, ==, s->n_expiring_30);
      g_assert_cmpuint (summary->n_expiring_60, ==, s->n_expiring_60);
      g_assert_cmpuint (summary->n_expiring_90, ==, s->n_expiring_90);
      g_assert_cmpfloat_with_epsilon (summary->completion, s->completion, 1e-9);
    }
  g_assert_null (kdx_training_course_summary (f->store, "no-such-course", NULL, &error));
  g_assert_error (error, KDX_TRAINING_ERROR, KDX_TRAINING_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Whom Assign People… marks: an open round of this course; a whole
   * department without them (Assign) or with them (Record). */
  {
    const char *asked[] = { uuids->pdata[0], uuids->pdata[1], uuids->pdata[7],
                            uuids->pdata[2], "nobody", NULL };
    g_autoptr(GHashTable) open = kdx_course_dup_open_people (f->store, course_uuid, asked, &error);
    g_autoptr(GPtrArray) without = NULL;
    g_autoptr(GPtrArray) with = NULL;

    /* As the rounds say. */
    g_assert_no_error (error);
    for (guint i = 0; asked[i] != NULL; i++)
      {
        g_autoptr(KdxAssignment) round = i < 4 ? current_round (f, asked[i], course, NULL) : NULL;

        g_assert_cmpint (g_hash_table_contains (open, asked[i]), ==,
                         round != NULL && round->completed == NULL);
      }
    g_assert_true (g_hash_table_contains (open, uuids->pdata[0]));
    g_assert_false (g_hash_table_contains (open, uuids->pdata[2]));

    without = kdx_course_dup_department_people (f->store, course_uuid, "IT", FALSE, &error);
    g_assert_no_error (error);
    with = kdx_course_dup_department_people (f->store, course_uuid, "IT", TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (without->len, >, 0);
    g_assert_cmpuint (with->len, >, without->len);
    for (guint i = 0; i < with->len; i++)
      {
        const char *one[] = { with->pdata[i], NULL };
        g_autoptr(GHashTable) one_open = kdx_course_dup_open_people (f->store, course_uuid, one,
                                                                     NULL);
        g_autoptr(KdxPerson) person = kdx_person_load (f->store, with->pdata[i], NULL);
        gboolean listed = FALSE;

        for (guint k = 0; k < without->len; k++)
          listed = listed || g_str_equal (without->pdata[k], with->pdata[i]);
        g_assert_cmpint (listed, ==, g_hash_table_size (one_open) == 0);
        g_assert_cmpstr (kdx_person_get_department (person), ==, "IT");
        g_assert_true (kdx_person_get_active (person));
      }
  }
}

/* The Overview's overdue rounds and certificates expiring within 30 days
 * are those of live, active people in live courses: Dana left, Emil is in
 * the trash, and a trashed course waits for nobody. */
static void
test_overview_counts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KdxCourse) open = add_course (f, "Datenschutz", 12);
  g_autoptr(KdxCourse) done = add_course (f, "KI-Kompetenz", 12);
  g_autoptr(GError) error = NULL;
  KdxTrainingCounts counts;

  /* Every person, the trashed and inactive too, has a round of each:
   * overdue in one, completed and expiring in the other. */
  g_assert_true (kdx_store_exec (f->store,
                                 "INSERT INTO assignment (person_id, course_id, source, assigned,"
                                 " due, current) SELECT p.id, c.id, 'manual', '2026-01-05',"
                                 " '2026-02-05', 1 FROM person p, course c WHERE c.title = 'Datenschutz';"
                                 "INSERT INTO assignment (person_id, course_id, source, assigned,"
                                 " due, completed, expires, current) SELECT p.id, c.id, 'manual',"
                                 " '2025-12-01', '2026-01-01', '2025-12-10', '2026-12-10', 1"
                                 " FROM person p, course c WHERE c.title = 'KI-Kompetenz'",
                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM assignment"), ==, 10);

  kdx_training_count_overview (f->store, "2026-11-29", &counts);
  g_assert_cmpint (counts.courses, ==, 2);
  g_assert_cmpint (counts.overdue, ==, 3);
  g_assert_cmpint (counts.expiring_30, ==, 3);

  /* A day after the expiry: none expiring, the round expired. */
  kdx_training_count_overview (f->store, "2026-12-11", &counts);
  g_assert_cmpint (counts.expiring_30, ==, 0);

  g_assert_true (kdx_course_trash (f->store, kdx_course_get_uuid (open), &error));
  g_assert_no_error (error);
  kdx_training_count_overview (f->store, "2026-11-29", &counts);
  g_assert_cmpint (counts.courses, ==, 1);
  g_assert_cmpint (counts.overdue, ==, 0);
  g_assert_cmpint (counts.expiring_30, ==, 3);
}

/* Everyone's overdue rounds, longest overdue first, as the Overdue view
 * opens: counted and read a head at a time (more rounds than a head),
 * the list is what the list of every round shows of its overdue ones, in
 * the same order; people who left, trashed people and trashed courses
 * are not in it. */
static void
test_overdue_list (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GListModel) overdue = kdx_assignment_model_new (f->store);
  g_autoptr(GListModel) all = kdx_assignment_model_new (f->store);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  KdxAssignmentFilter filter = { 0 };
  guint n_all, n;

  /* 200 courses, one trashed; each person has a round of each, due on one
   * of 40 days (ties broken by name), some done, some renewing a
   * certificate still valid. */
  g_assert_true (kdx_store_exec (f->store,
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                 " WHERE i < 200) INSERT INTO course (uuid, key, title, sort_key,"
                                 " created, modified, trashed) SELECT printf('c-%d', i),"
                                 " printf('K-%03d', i), printf('Kurs %d', i), printf('kurs %03d', i),"
                                 " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',"
                                 " CASE WHEN i = 7 THEN '2026-02-01T00:00:00Z' END FROM n;"
                                 "INSERT INTO assignment (person_id, course_id, source, assigned, due,"
                                 " completed, expires, current) SELECT p.id, c.id, 'manual',"
                                 " '2026-01-01', date('2026-10-01', '+' || ((p.id * 7 + c.id) % 40)"
                                 " || ' days'), CASE WHEN c.id % 9 = 0 THEN '2026-05-01' END,"
                                 " CASE WHEN c.id % 11 = 0 THEN '2027-01-01' END, 1"
                                 " FROM person p, course c",
                                 &error));
  g_assert_no_error (error);

  filter.today = "2026-11-01";
  filter.status = -1;
  filter.sort = KDX_ASSIGNMENT_SORT_DUE;
  kdx_assignment_model_set_filter (all, &filter);
  n_all = g_list_model_get_n_items (all);
  for (guint i = 0; i < n_all; i++)
    {
      const KdxAssignment *a = round_at (all, i, keep);

      if (a->status == KDX_ASSIGNMENT_OVERDUE)
        g_array_append_val (expected, a->id);
    }
  g_assert_cmpuint (expected->len, >, 256);

  filter.status = KDX_ASSIGNMENT_OVERDUE;
  kdx_assignment_model_set_filter (overdue, &filter);
  n = g_list_model_get_n_items (overdue);
  g_assert_cmpuint (n, ==, expected->len);
  for (guint i = 0; i < n; i++)
    {
      const KdxAssignment *a = round_at (overdue, i, keep);

      g_assert_cmpint (a->id, ==, g_array_index (expected, gint64, i));
      g_assert_cmpint (a->status, ==, KDX_ASSIGNMENT_OVERDUE);
    }
  g_assert_cmpuint (g_list_model_get_n_items (overdue), ==, expected->len);
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
  g_test_add_func ("/training/status/table", test_status_table);
  ADD ("/training/completion/recertification", test_completion_and_recertification);
  ADD ("/training/completion/refused", test_completion_refused);
  ADD ("/training/status/views", test_status_views);
  ADD ("/training/overseers", test_overseers);
  ADD ("/training/course/rounds", test_course_rounds);
  ADD ("/training/overview/counts", test_overview_counts);
  ADD ("/training/overdue/list", test_overdue_list);

  return g_test_run ();
}
