/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Policies: keys, the lifecycle of versions, the committee's vote under
 * the quorum rule, publication, acknowledgements, review dates and the
 * full-text search — each rule as the store enforces it.
 */
#define G_LOG_DOMAIN "kdx-test-policy"

#include "config.h"

#include "kdx-test-util.h"

#include "kdx-policy.h"

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
  char     *members[5];   /* committee members */
  char     *outsider;     /* not on the committee */
} Fixture;

static char *
add_person (KdxStore   *store,
            const char *name,
            const char *department,
            const char *role,
            gboolean    committee)
{
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autoptr(GError) error = NULL;

  kdx_person_set_name (person, name);
  kdx_person_set_department (person, department);
  kdx_person_set_role (person, role);
  kdx_person_set_committee (person, committee);
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_person_get_uuid (person));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *names[] = { "Anna Alt", "Bernd Brück", "Cem Çelik", "Dana Dorn", "Eva Eck" };
  g_autoptr(GError) error = NULL;

  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Richtlinien.kodex", NULL);
  f->store = kdx_test_create (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    f->members[i] = add_person (f->store, names[i], i < 3 ? "Vertrieb" : "Recht", "Leitung", TRUE);
  f->outsider = add_person (f->store, "Olaf Ohm", "Vertrieb", "Außendienst", FALSE);
  g_assert_true (kdx_store_set_setting (f->store, "quorum", "majority:3", &error));
  g_assert_no_error (error);
  kdx_store_set_actor (f->store, f->members[0]);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (f->members); i++)
    g_clear_pointer (&f->members[i], g_free);
  g_clear_pointer (&f->outsider, g_free);
}

static KdxPolicy *
create_policy (Fixture       *f,
               KdxPolicyKind  kind,
               const char    *title,
               const char    *body)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GError) error = NULL;

  kdx_policy_set_title (policy, title);
  kdx_policy_set_kind (policy, kind);
  kdx_policy_set_area (policy, KDX_POLICY_AREA_TRANSPARENCY);
  kdx_policy_set_owner (policy, f->members[1]);
  g_assert_true (kdx_policy_create (f->store, policy, body, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&policy);
}

static KdxPolicyVersion *
newest_version (Fixture    *f,
                KdxPolicy  *policy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = kdx_policy_list_versions (f->store, kdx_policy_get_uuid (policy),
                                                            &error);

  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, >, 0);

  return g_object_ref (versions->pdata[versions->len - 1]);
}

static KdxVersionStatus
status_of (Fixture    *f,
           const char *version_uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicyVersion) version = kdx_policy_version_load (f->store, version_uuid, &error);

  g_assert_no_error (error);

  return kdx_policy_version_get_status (version);
}

static KdxVersionStatus
vote_as (Fixture       *f,
         guint          member,
         const char    *version_uuid,
         KdxVoteChoice  choice,
         const char    *comment)
{
  g_autoptr(GError) error = NULL;
  KdxVersionStatus status = KDX_VERSION_N_STATUSES;

  kdx_store_set_actor (f->store, f->members[member]);
  g_assert_true (kdx_policy_vote (f->store, version_uuid, choice, comment, &status, &error));
  g_assert_no_error (error);

  return status;
}

/* Submits, votes it through with three of five and publishes. */
static void
approve_and_publish (Fixture    *f,
                     const char *version_uuid,
                     const char *effective)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_policy_submit (f->store, version_uuid, "Erste Fassung", &error));
  g_assert_no_error (error);
  g_assert_cmpint (vote_as (f, 0, version_uuid, KDX_VOTE_APPROVE, NULL), ==, KDX_VERSION_REVIEW);
  g_assert_cmpint (vote_as (f, 1, version_uuid, KDX_VOTE_APPROVE, NULL), ==, KDX_VERSION_REVIEW);
  g_assert_cmpint (vote_as (f, 2, version_uuid, KDX_VOTE_APPROVE, "Gut so"), ==,
                   KDX_VERSION_APPROVED);
  g_assert_true (kdx_policy_publish (f->store, version_uuid, effective, &error));
  g_assert_no_error (error);
}

static void
assert_chain_verifies (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 first_bad = -1;
  gint64 n = 0;

  g_assert_true (kdx_journal_verify (f->store, 0, NULL, &first_bad, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
}

/* ------------------------------------------------------------------ */

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(KdxPolicy) coc = create_policy (f, KDX_POLICY_KIND_CODE_OF_CONDUCT, "Verhaltenskodex", "# KI");
  g_autoptr(KdxPolicy) a = create_policy (f, KDX_POLICY_KIND_POLICY, "Offenlegung", "");
  g_autoptr(KdxPolicy) b = create_policy (f, KDX_POLICY_KIND_GUIDELINE, "Lead-Scoring", "");
  g_autoptr(KdxPolicy) dup = kdx_policy_new ();
  g_autoptr(KdxPolicy) bad = kdx_policy_new ();
  g_autoptr(KdxPolicy) loaded = NULL;
  g_autoptr(KdxPolicy) c = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (kdx_policy_get_key (coc), ==, "COC-001");
  g_assert_cmpstr (kdx_policy_get_key (a), ==, "POL-001");
  g_assert_cmpstr (kdx_policy_get_key (b), ==, "POL-002");

  /* Keys are found in any case, and a trashed policy's key is never given again. */
  loaded = kdx_policy_load (f->store, "pol-002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_policy_get_title (loaded), ==, "Lead-Scoring");
  g_assert_cmpstr (kdx_policy_get_owner_name (loaded), ==, "Bernd Brück");
  g_assert_true (kdx_policy_trash (f->store, kdx_policy_get_uuid (b), &error));
  g_assert_no_error (error);
  c = create_policy (f, KDX_POLICY_KIND_PROCEDURE, "Meldeweg", "");
  g_assert_cmpstr (kdx_policy_get_key (c), ==, "POL-003");

  kdx_policy_set_title (dup, "Doppelt");
  kdx_policy_set_key (dup, "POL-001");
  g_assert_false (kdx_policy_create (f->store, dup, "", &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_DUPLICATE);
  g_clear_error (&error);

  kdx_policy_set_title (bad, "Falsch");
  kdx_policy_set_key (bad, "pol 7; DROP TABLE policy");
  g_assert_false (kdx_policy_create (f->store, bad, "", &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID);
  g_assert_cmpint (kdx_policy_count (f->store), ==, 3);

  /* An update never changes the key. */
  kdx_policy_set_key (a, "POL-999");
  kdx_policy_set_title (a, "Offenlegung von KI");
  g_clear_error (&error);
  g_assert_true (kdx_policy_update (f->store, a, &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = kdx_policy_load (f->store, kdx_policy_get_uuid (a), &error);
  g_assert_cmpstr (kdx_policy_get_key (loaded), ==, "POL-001");
  g_assert_cmpstr (kdx_policy_get_title (loaded), ==, "Offenlegung von KI");
}

static void
test_only_drafts_change (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = create_policy (f, KDX_POLICY_KIND_POLICY, "Offenlegung", "Alt");
  g_autoptr(KdxPolicyVersion) v1 = newest_version (f, policy);
  g_autoptr(KdxPolicyVersion) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *uuid = kdx_policy_version_get_uuid (v1);

  g_assert_cmpstr (kdx_policy_version_get_label (v1), ==, "1.0");
  g_assert_cmpint (kdx_policy_version_get_status (v1), ==, KDX_VERSION_DRAFT);
  g_assert_cmpstr (kdx_policy_version_get_author (v1), ==, f->members[0]);
  g_assert_true (kdx_policy_save_draft (f->store, uuid, "Neu, mit Umlauten: ä ö ü ß", &error));
  g_assert_no_error (error);

  /* No review without a change summary. */
  g_assert_false (kdx_policy_submit (f->store, uuid, "   ", &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID);
  g_clear_error (&error);

  approve_and_publish (f, uuid, "2026-01-15");

  /* The store refuses to change a published text, whoever asks. */
  g_assert_false (kdx_policy_save_draft (f->store, uuid, "Heimlich geändert", &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_EDITABLE);
  g_clear_error (&error);
  loaded = kdx_policy_version_load (f->store, uuid, &error);
  g_assert_cmpstr (kdx_policy_version_get_body (loaded), ==, "Neu, mit Umlauten: ä ö ü ß");
  g_assert_cmpstr (kdx_policy_version_get_effective (loaded), ==, "2026-01-15");
  g_assert_cmpstr (kdx_policy_version_get_summary (loaded), ==, "Erste Fassung");

  /* Nor can it be submitted or voted on again. */
  g_assert_false (kdx_policy_submit (f->store, uuid, "Nochmal", &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_EDITABLE);
  g_clear_error (&error);
  kdx_store_set_actor (f->store, f->members[4]);
  g_assert_false (kdx_policy_vote (f->store, uuid, KDX_VOTE_REJECT, NULL, NULL, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_WRONG_STATE);

  assert_chain_verifies (f);
}

static void
test_new_drafts (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = create_policy (f, KDX_POLICY_KIND_POLICY, "Lead-Scoring", "Fassung eins");
  g_autoptr(KdxPolicyVersion) v1 = newest_version (f, policy);
  g_autoptr(KdxPolicyVersion) v2 = NULL;
  g_autoptr(KdxPolicyVersion) v3 = NULL;
  g_autoptr(KdxPolicy) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *pol = kdx_policy_get_uuid (policy);

  /* Only one open version at a time. */
  g_assert_null (kdx_policy_new_draft (f->store, pol, FALSE, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_OPEN_VERSION);
  g_clear_error (&error);

  approve_and_publish (f, kdx_policy_version_get_uuid (v1), "2026-02-01");

  v2 = kdx_policy_new_draft (f->store, pol, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_policy_version_get_label (v2), ==, "1.1");
  g_assert_cmpstr (kdx_policy_version_get_body (v2), ==, "Fassung eins");
  g_assert_true (kdx_policy_save_draft (f->store, kdx_policy_version_get_uuid (v2), "Fassung zwei", &error));
  approve_and_publish (f, kdx_policy_version_get_uuid (v2), "2026-03-01");

  /* Publishing supersedes the version before. */
  g_assert_cmpint (status_of (f, kdx_policy_version_get_uuid (v1)), ==, KDX_VERSION_SUPERSEDED);
  g_assert_cmpint (status_of (f, kdx_policy_version_get_uuid (v2)), ==, KDX_VERSION_PUBLISHED);

  v3 = kdx_policy_new_draft (f->store, pol, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_policy_version_get_label (v3), ==, "2.0");
  g_assert_cmpuint (kdx_policy_version_get_number (v3), ==, 3);
  g_assert_cmpstr (kdx_policy_version_get_body (v3), ==, "Fassung zwei");

  loaded = kdx_policy_load (f->store, pol, &error);
  g_assert_cmpint (kdx_policy_get_status (loaded), ==, KDX_VERSION_DRAFT);
  g_assert_cmpstr (kdx_policy_get_version_label (loaded), ==, "2.0");
  g_assert_cmpstr (kdx_policy_get_published_label (loaded), ==, "1.1");
  /* Twelve months after the version took effect. */
  g_assert_cmpstr (kdx_policy_get_next_review (loaded), ==, "2027-03-01");

  /* Retiring keeps the history and closes the open draft. */
  g_assert_true (kdx_policy_retire (f->store, pol, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (f, kdx_policy_version_get_uuid (v1)), ==, KDX_VERSION_SUPERSEDED);
  g_assert_cmpint (status_of (f, kdx_policy_version_get_uuid (v2)), ==, KDX_VERSION_RETIRED);
  g_assert_cmpint (status_of (f, kdx_policy_version_get_uuid (v3)), ==, KDX_VERSION_RETIRED);
  g_clear_object (&loaded);
  loaded = kdx_policy_load (f->store, pol, &error);
  g_assert_nonnull (kdx_policy_get_retired (loaded));
  g_assert_null (kdx_policy_get_next_review (loaded));

  assert_chain_verifies (f);
}

static void
test_vote_rules (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = create_policy (f, KDX_POLICY_KIND_POLICY, "Emotionsanalyse", "Text");
  g_autoptr(KdxPolicyVersion) v1 = newest_version (f, policy);
  g_autoptr(GError) error = NULL;
  const char *uuid = kdx_policy_version_get_uuid (v1);
  KdxTally tally;

  /* Not before it is in review. */
  g_assert_false (kdx_policy_vote (f->store, uuid, KDX_VOTE_APPROVE, NULL, NULL, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_WRONG_STATE);
  g_clear_error (&error);

  g_assert_true (kdx_policy_submit (f->store, uuid, "Neu", &error));
  g_assert_no_error (error);

  /* Nobody chosen under "Acting as". */
  kdx_store_set_actor (f->store, NULL);
  g_assert_false (kdx_policy_vote (f->store, uuid, KDX_VOTE_APPROVE, NULL, NULL, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NO_ACTOR);
  g_clear_error (&error);

  /* Not a member. */
  kdx_store_set_actor (f->store, f->outsider);
  g_assert_false (kdx_policy_vote (f->store, uuid, KDX_VOTE_APPROVE, NULL, NULL, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_MEMBER);
  g_assert_nonnull (strstr (error->message, "Olaf Ohm"));
  g_clear_error (&error);

  /* Twice. */
  vote_as (f, 0, uuid, KDX_VOTE_APPROVE, NULL);
  g_assert_false (kdx_policy_vote (f->store, uuid, KDX_VOTE_REJECT, NULL, NULL, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_ALREADY_VOTED);
  g_clear_error (&error);

  /* Publishing without the quorum. */
  g_assert_false (kdx_policy_publish (f->store, uuid, NULL, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NO_QUORUM);
  g_clear_error (&error);

  g_assert_true (kdx_policy_tally (f->store, uuid, &tally, &error));
  g_assert_cmpuint (tally.members, ==, 5);
  g_assert_cmpuint (tally.required, ==, 3);
  g_assert_cmpuint (tally.approve, ==, 1);
  g_assert_cmpuint (tally.outstanding, ==, 4);
  g_assert_cmpint (status_of (f, uuid), ==, KDX_VERSION_REVIEW);
}

static void
test_rejection (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = create_policy (f, KDX_POLICY_KIND_POLICY, "Preisgestaltung", "Text");
  g_autoptr(KdxPolicyVersion) v1 = newest_version (f, policy);
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(GError) error = NULL;
  const char *uuid = kdx_policy_version_get_uuid (v1);
  KdxTally tally;

  g_assert_true (kdx_policy_submit (f->store, uuid, "Erste Runde", &error));
  vote_as (f, 0, uuid, KDX_VOTE_APPROVE, NULL);
  vote_as (f, 1, uuid, KDX_VOTE_REJECT, "Abschnitt 3 fehlt");
  vote_as (f, 2, uuid, KDX_VOTE_ABSTAIN, NULL);
  /* One approval + one outstanding can no longer reach three. */
  g_assert_cmpint (vote_as (f, 3, uuid, KDX_VOTE_REJECT, "Zu vage"), ==, KDX_VERSION_DRAFT);

  /* The comments stay visible. */
  votes = kdx_policy_list_votes (f->store, uuid, &error);
  g_assert_cmpuint (votes->len, ==, 4);
  g_assert_cmpstr (((KdxVote *) votes->pdata[1])->comment, ==, "Abschnitt 3 fehlt");

  /* Edited and submitted again: a fresh vote, the old one counts no more. */
  g_assert_true (kdx_policy_save_draft (f->store, uuid, "Text mit Abschnitt 3", &error));
  g_assert_true (kdx_policy_submit (f->store, uuid, "Zweite Runde", &error));
  g_assert_no_error (error);
  g_assert_true (kdx_policy_tally (f->store, uuid, &tally, &error));
  g_assert_cmpuint (tally.approve, ==, 0);
  g_assert_cmpuint (tally.outstanding, ==, 5);
  g_assert_cmpint (vote_as (f, 0, uuid, KDX_VOTE_APPROVE, NULL), ==, KDX_VERSION_REVIEW);
  g_assert_cmpint (vote_as (f, 1, uuid, KDX_VOTE_APPROVE, NULL), ==, KDX_VERSION_REVIEW);
  g_assert_cmpint (vote_as (f, 3, uuid, KDX_VOTE_APPROVE, NULL), ==, KDX_VERSION_APPROVED);
  g_clear_pointer (&votes, g_ptr_array_unref);
  votes = kdx_policy_list_votes (f->store, uuid, &error);
  g_assert_cmpuint (votes->len, ==, 7);
  g_assert_cmpuint (((KdxVote *) votes->pdata[0])->round, ==, 2);

  assert_chain_verifies (f);
}

typedef struct
{
  const char *rule;
  guint       members;
  guint       approvals_needed;   /* 0: submitting is refused */
} QuorumCase;

static const QuorumCase quorum_cases[] = {
  { "majority:3", 5, 3 },
  { "majority:1", 4, 3 },
  { "two-thirds:2", 5, 4 },
  { "unanimous:1", 5, 5 },
  { "majority:6", 5, 0 },
  { "majority:1", 0, 0 },
};

static void
test_quorum (gconstpointer data)
{
  const QuorumCase *c = data;
  g_autofree char *dir = kdx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "Q.kodex", NULL);
  KdxStore *store = kdx_test_create (path);
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  char *members[8] = { NULL };
  const char *uuid;

  for (guint i = 0; i < c->members; i++)
    {
      g_autofree char *name = g_strdup_printf ("Mitglied %u", i + 1);
      members[i] = add_person (store, name, "Recht", NULL, TRUE);
    }
  g_assert_true (kdx_store_set_setting (store, "quorum", c->rule, &error));
  kdx_policy_set_title (policy, "Quorum");
  g_assert_true (kdx_policy_create (store, policy, "Text", &error));
  versions = kdx_policy_list_versions (store, kdx_policy_get_uuid (policy), &error);
  uuid = kdx_policy_version_get_uuid (versions->pdata[0]);

  if (c->approvals_needed == 0)
    {
      g_assert_false (kdx_policy_submit (store, uuid, "Versuch", &error));
      g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NO_QUORUM);
    }
  else
    {
      g_assert_true (kdx_policy_submit (store, uuid, "Versuch", &error));
      for (guint i = 0; i < c->approvals_needed; i++)
        {
          KdxVersionStatus status;

          kdx_store_set_actor (store, members[i]);
          g_assert_true (kdx_policy_vote (store, uuid, KDX_VOTE_APPROVE, NULL, &status, &error));
          g_assert_no_error (error);
          g_assert_cmpint (status, ==, i + 1 < c->approvals_needed ? KDX_VERSION_REVIEW
                                                                   : KDX_VERSION_APPROVED);
        }
    }

  for (guint i = 0; i < c->members; i++)
    g_free (members[i]);
  kdx_test_close (&store);
  kdx_test_rm_rf (dir);
}

static guint
acknowledged (GPtrArray *rows)
{
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    n += ((KdxAckRow *) rows->pdata[i])->time != NULL;

  return n;
}

static void
test_acknowledgements (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = create_policy (f, KDX_POLICY_KIND_POLICY, "Offenlegung", "Text");
  g_autoptr(KdxPolicyVersion) v1 = newest_version (f, policy);
  g_autoptr(KdxPolicyVersion) v2 = NULL;
  g_autoptr(KdxPolicyVersion) v3 = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) summary = NULL;
  g_autoptr(GError) error = NULL;
  const char *pol = kdx_policy_get_uuid (policy);
  const char *sales[] = { f->members[0], f->outsider, NULL };
  const char *again[] = { f->members[0], f->members[1], NULL };
  guint n = 0;

  /* Not before it is published. */
  g_assert_false (kdx_policy_acknowledge (f->store, kdx_policy_version_get_uuid (v1),
                                          sales, NULL, NULL, &n, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_WRONG_STATE);
  g_clear_error (&error);

  g_assert_false (kdx_policy_set_ack_scope (f->store, kdx_policy_version_get_uuid (v1),
                                            KDX_ACK_DEPARTMENT, " ", &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kdx_policy_set_ack_scope (f->store, kdx_policy_version_get_uuid (v1),
                                           KDX_ACK_DEPARTMENT, "Vertrieb", &error));
  approve_and_publish (f, kdx_policy_version_get_uuid (v1), NULL);

  rows = kdx_policy_ack_status (f->store, kdx_policy_version_get_uuid (v1), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);   /* three members and Olaf in Vertrieb */
  g_assert_cmpuint (acknowledged (rows), ==, 0);

  g_assert_true (kdx_policy_acknowledge (f->store, kdx_policy_version_get_uuid (v1), sales,
                                         "2026-04-01T09:00:00Z", "bulk", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  /* Twice is harmless and records nothing new. */
  g_assert_true (kdx_policy_acknowledge (f->store, kdx_policy_version_get_uuid (v1), sales,
                                         NULL, NULL, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = kdx_policy_ack_status (f->store, kdx_policy_version_get_uuid (v1), NULL, &error);
  g_assert_cmpuint (acknowledged (rows), ==, 2);
  summary = kdx_policy_ack_summary (f->store, kdx_policy_version_get_uuid (v1), &error);
  g_assert_cmpuint (summary->len, ==, 1);
  g_assert_cmpstr (((KdxAckSummary *) summary->pdata[0])->department, ==, "Vertrieb");
  g_assert_cmpuint (((KdxAckSummary *) summary->pdata[0])->asked, ==, 4);
  g_assert_cmpuint (((KdxAckSummary *) summary->pdata[0])->done, ==, 2);

  /* A minor version does not ask again … */
  v2 = kdx_policy_new_draft (f->store, pol, FALSE, &error);
  g_assert_no_error (error);
  approve_and_publish (f, kdx_policy_version_get_uuid (v2), NULL);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = kdx_policy_ack_status (f->store, kdx_policy_version_get_uuid (v2), NULL, &error);
  g_assert_cmpuint (acknowledged (rows), ==, 2);
  g_assert_cmpstr (((KdxAckRow *) rows->pdata[0])->department, ==, "Vertrieb");

  /* … a major one asks everyone again. */
  v3 = kdx_policy_new_draft (f->store, pol, TRUE, &error);
  g_assert_true (kdx_policy_set_ack_scope (f->store, kdx_policy_version_get_uuid (v3),
                                           KDX_ACK_ALL, NULL, &error));
  approve_and_publish (f, kdx_policy_version_get_uuid (v3), NULL);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = kdx_policy_ack_status (f->store, kdx_policy_version_get_uuid (v3), NULL, &error);
  g_assert_cmpuint (rows->len, ==, 6);
  g_assert_cmpuint (acknowledged (rows), ==, 0);
  g_assert_true (kdx_policy_acknowledge (f->store, kdx_policy_version_get_uuid (v3), again,
                                         NULL, "manual", &n, &error));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = kdx_policy_ack_status (f->store, kdx_policy_version_get_uuid (v3), "Recht", &error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (acknowledged (rows), ==, 0);

  assert_chain_verifies (f);
}

static gint64
count_acks (Fixture *f)
{
  return kdx_store_count (f->store, "SELECT count(*) FROM policy_ack");
}

static void
test_acks_csv (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = create_policy (f, KDX_POLICY_KIND_POLICY, "Offenlegung", "Text");
  g_autoptr(KdxPolicyVersion) v1 = newest_version (f, policy);
  g_autoptr(KdxPolicyVersion) v2 = NULL;
  g_autoptr(KdxPerson) anna = kdx_person_load (f->store, f->members[0], NULL);
  g_autoptr(KdxPerson) olaf = kdx_person_load (f->store, f->outsider, NULL);
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autoptr(GBytes) bad_date = NULL;
  g_autoptr(GBytes) latin1 = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *good_text = NULL;
  g_autofree char *bad_text = NULL;
  g_autofree char *bad_date_text = NULL;
  guint n = 99;

  /* People in the file by id or e-mail: give Olaf an e-mail first. */
  kdx_person_set_email (olaf, "olaf.ohm@example.org");
  g_assert_true (kdx_person_update (f->store, olaf, &error));
  approve_and_publish (f, kdx_policy_version_get_uuid (v1), "2026-01-01");
  v2 = kdx_policy_new_draft (f->store, kdx_policy_get_uuid (policy), FALSE, &error);
  approve_and_publish (f, kdx_policy_version_get_uuid (v2), "2026-02-01");

  /* German headers, semicolons, German dates; an older version too. */
  good_text = g_strdup_printf ("\xef\xbb\xbf" "E-Mail;Richtlinie;Fassung;Datum\r\n"
                               "%s;pol-001;1.0;15.01.2026\r\n"
                               "olaf.ohm@example.org;POL-001;;2026-02-03\r\n",
                               kdx_person_get_uuid (anna));
  good = g_bytes_new (good_text, strlen (good_text));
  g_assert_true (kdx_policy_import_acks_csv (f->store, good, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  rows = kdx_policy_ack_status (f->store, kdx_policy_version_get_uuid (v2), NULL, &error);
  g_assert_cmpint (count_acks (f), ==, 2);

  /* An unknown person on line 3: nothing of the file is imported. */
  bad_text = g_strdup_printf ("person,policy,version,date\n"
                              "%s,POL-001,1.1,2026-03-01\n"
                              "nobody@example.org,POL-001,1.1,2026-03-01\n",
                              f->members[1]);
  bad = g_bytes_new (bad_text, strlen (bad_text));
  g_assert_false (kdx_policy_import_acks_csv (f->store, bad, NULL, &n, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "Line 3, column 1:"));
  g_clear_error (&error);
  g_assert_cmpint (count_acks (f), ==, 2);

  /* A date that is none names its column. */
  bad_date_text = g_strdup_printf ("%s,POL-001,1.1,gestern\n", f->members[2]);
  bad_date = g_bytes_new (bad_date_text, strlen (bad_date_text));
  g_assert_false (kdx_policy_import_acks_csv (f->store, bad_date, NULL, &n, &error));
  g_assert_true (g_str_has_prefix (error->message, "Line 1, column 4:"));
  g_clear_error (&error);

  /* Windows-1252 is refused unless chosen, and then read. */
  latin1 = g_bytes_new_static ("olaf.ohm@example.org;POL-001;1.1;M\xe4rz\n",
                               strlen ("olaf.ohm@example.org;POL-001;1.1;M\xe4rz\n"));
  g_assert_false (kdx_policy_import_acks_csv (f->store, latin1, NULL, &n, &error));
  g_assert_true (g_str_has_prefix (error->message, "Line 1, column 4:"));
  g_clear_error (&error);
  g_assert_cmpint (count_acks (f), ==, 2);

  assert_chain_verifies (f);
}

static void
test_overdue (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KdxPolicy) a = create_policy (f, KDX_POLICY_KIND_POLICY, "Alpha", "Text");
  g_autoptr(KdxPolicy) b = create_policy (f, KDX_POLICY_KIND_GUIDELINE, "Beta", "Text");
  g_autoptr(KdxPolicyVersion) va = newest_version (f, a);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  KdxPolicyFilter filter;

  approve_and_publish (f, kdx_policy_version_get_uuid (va), "2025-01-10");
  kdx_policy_set_next_review (b, "2027-05-01");
  g_assert_true (kdx_policy_update (f->store, b, &error));
  g_assert_no_error (error);

  g_assert_cmpint (kdx_policy_count_overdue (f->store, "2026-01-10"), ==, 0);
  g_assert_cmpint (kdx_policy_count_overdue (f->store, "2026-01-11"), ==, 1);
  g_assert_cmpint (kdx_policy_count_overdue (f->store, "2027-06-01"), ==, 2);

  kdx_policy_filter_init (&filter);
  filter.overdue = TRUE;
  filter.today = "2026-06-01";
  list = kdx_policy_list (f->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (kdx_policy_get_key (list->pdata[0]), ==, "POL-001");
  g_assert_true (kdx_policy_is_overdue (list->pdata[0], "2026-06-01"));

  /* Filters and sorting of the list. */
  kdx_policy_filter_init (&filter);
  filter.status = KDX_VERSION_PUBLISHED;
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kdx_policy_list (f->store, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  kdx_policy_filter_init (&filter);
  filter.kind = KDX_POLICY_KIND_GUIDELINE;
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kdx_policy_list (f->store, &filter, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (kdx_policy_get_title (list->pdata[0]), ==, "Beta");
  kdx_policy_filter_init (&filter);
  filter.sort = KDX_POLICY_SORT_TITLE;
  filter.descending = TRUE;
  g_clear_pointer (&list, g_ptr_array_unref);
  list = kdx_policy_list (f->store, &filter, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (kdx_policy_get_title (list->pdata[0]), ==, "Beta");

  /* A retired policy is never overdue. */
  g_assert_true (kdx_policy_retire (f->store, kdx_policy_get_uuid (a), &error));
  g_assert_cmpint (kdx_policy_count_overdue (f->store, "2027-06-01"), ==, 1);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KdxPolicy) a = create_policy (f, KDX_POLICY_KIND_POLICY, "Emotionserkennung",
                                          "Die Analyse von Gefühlen in Kundengesprächen ist untersagt.");
  g_autoptr(KdxPolicy) b = create_policy (f, KDX_POLICY_KIND_POLICY, "Lead-Scoring",
                                          "Fairness-Metriken werden monatlich geprüft.");
  g_autoptr(KdxPolicyVersion) va = newest_version (f, a);
  g_autoptr(KdxPolicyVersion) va2 = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  approve_and_publish (f, kdx_policy_version_get_uuid (va), NULL);
  va2 = kdx_policy_new_draft (f->store, kdx_policy_get_uuid (a), FALSE, &error);
  g_assert_true (kdx_policy_save_draft (f->store, kdx_policy_version_get_uuid (va2),
                                        "Stimmungsanalyse ist nur mit Einwilligung erlaubt.", &error));

  /* Older wording is still found, with its version. */
  hits = kdx_policy_search (f->store, "gefuhlen", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((KdxPolicyHit *) hits->pdata[0])->label, ==, "1.0");
  g_assert_nonnull (strstr (((KdxPolicyHit *) hits->pdata[0])->snippet,
                            KDX_POLICY_MATCH_START "Gefühlen" KDX_POLICY_MATCH_END));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Prefixes; several words must all match. */
  hits = kdx_policy_search (f->store, "Einwill", 20, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((KdxPolicyHit *) hits->pdata[0])->label, ==, "1.1");
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kdx_policy_search (f->store, "fairness monatlich", 20, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((KdxPolicyHit *) hits->pdata[0])->key, ==, kdx_policy_get_key (b));
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kdx_policy_search (f->store, "fairness gefühlen", 20, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Titles count; FTS syntax typed by a person is only text. */
  hits = kdx_policy_search (f->store, "lead", 20, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kdx_policy_search (f->store, "\"NEAR( OR * :) body:x", 20, &error);
  g_assert_no_error (error);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = kdx_policy_search (f->store, "  ", 20, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Trashed policies are not found. */
  g_assert_true (kdx_policy_trash (f->store, kdx_policy_get_uuid (b), &error));
  hits = kdx_policy_search (f->store, "fairness", 20, &error);
  g_assert_cmpuint (hits->len, ==, 0);
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = create_policy (f, KDX_POLICY_KIND_CODE_OF_CONDUCT, "Kodex", "# Kodex\n");
  g_autoptr(KdxPolicyVersion) v1 = newest_version (f, policy);
  g_autoptr(KdxPolicyVersion) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_strdup (kdx_policy_version_get_uuid (v1));

  g_assert_true (kdx_policy_save_draft (f->store, uuid, "# Kodex\n\nGetippt, nie gespeichert?", &error));
  kdx_test_close (&f->store);

  f->store = kdx_store_open (f->path, KDX_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  loaded = kdx_policy_version_load (f->store, uuid, &error);
  g_assert_cmpstr (kdx_policy_version_get_body (loaded), ==, "# Kodex\n\nGetippt, nie gespeichert?");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/policy/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("keys", test_keys);
  ADD ("only-drafts-change", test_only_drafts_change);
  ADD ("new-drafts", test_new_drafts);
  ADD ("vote-rules", test_vote_rules);
  ADD ("rejection", test_rejection);
  ADD ("acknowledgements", test_acknowledgements);
  ADD ("acks-csv", test_acks_csv);
  ADD ("overdue", test_overdue);
  ADD ("search", test_search);
  ADD ("reopen", test_reopen);

  for (guint i = 0; i < G_N_ELEMENTS (quorum_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/policy/quorum/%s/%u", quorum_cases[i].rule,
                                               quorum_cases[i].members);
      g_test_add_data_func (path, &quorum_cases[i], test_quorum);
    }

  return g_test_run ();
}
