/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The register of AI systems: saving and the rules a system keeps (keys,
 * unique names, people who exist), the trash, filters and sorting, the
 * use-case library with its classification and suggested policies, the
 * obligations and how far the applied policies cover them, overseers and
 * the RACI matrix, and the customer notice in German, English and HTML.
 */
#define G_LOG_DOMAIN "kdx-test-system"

#include "config.h"

#include "kdx-test-util.h"

#include "kdx-catalog.h"
#include "kdx-classify.h"
#include "kdx-mapping.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-usecase.h"

/* The register's bar (DESIGN §7) is for a normal build; AddressSanitizer
 * makes every allocation several times dearer, so there the test only
 * catches a query that has lost its index. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_FACTOR 10
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TIME_FACTOR 10
#endif
#endif
#ifndef TIME_FACTOR
#define TIME_FACTOR 1
#endif

typedef struct
{
  char     *dir;
  char     *path;
  KdxStore *store;
  char     *people[4];   /* Anna Alt, Bernd Brück, Cem Çelik, Dana Dorn */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char *names[] = { "Anna Alt", "Bernd Brück", "Cem Çelik", "Dana Dorn" };
  static const char *departments[] = { "Vertrieb", "IT", "Recht", "Vertrieb" };

  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "KI-Systeme.kodex", NULL);
  f->store = kdx_test_create (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(KdxPerson) person = kdx_test_add_person (f->store, names[i], NULL,
                                                         departments[i], "Leitung");

      f->people[i] = g_strdup (kdx_person_get_uuid (person));
    }
  kdx_store_set_actor (f->store, f->people[0]);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_close (&f->store);
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (f->people); i++)
    g_clear_pointer (&f->people[i], g_free);
}

static KdxSystem *
create_system (Fixture    *f,
               const char *name,
               const char *vendor,
               const char *department,
               const char *owner)
{
  g_autoptr(KdxSystem) system = kdx_system_new ();
  g_autoptr(GError) error = NULL;

  kdx_system_set_name (system, name);
  kdx_system_set_vendor (system, vendor);
  kdx_system_set_department (system, department);
  kdx_system_set_business_owner (system, owner);
  g_assert_true (kdx_system_create (f->store, system, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&system);
}

static KdxSystem *
from_use_case (Fixture    *f,
               const char *name,
               const char *use_case)
{
  g_autoptr(GError) error = NULL;
  KdxSystem *system = kdx_system_create_from_use_case (f->store, name, use_case, &error);

  g_assert_no_error (error);
  g_assert_nonnull (system);

  return system;
}

static KdxSystem *
load (Fixture    *f,
      const char *uuid_or_key)
{
  g_autoptr(GError) error = NULL;
  KdxSystem *system = kdx_system_load (f->store, uuid_or_key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (system);

  return system;
}

/* The keys of @systems, joined by spaces. */
static char *
keys_of (GPtrArray *systems)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < systems->len; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", kdx_system_get_key (systems->pdata[i]));

  return g_string_free (s, FALSE);
}

static char *
list_keys (Fixture               *f,
           const KdxSystemFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) systems = kdx_system_list (f->store, filter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (systems);

  return keys_of (systems);
}

static void
assert_keys (Fixture               *f,
             const KdxSystemFilter *filter,
             const char            *expected)
{
  g_autofree char *keys = list_keys (f, filter);

  g_assert_cmpstr (keys, ==, expected);
}

static void
assert_last_entry (Fixture    *f,
                   const char *entity_id,
                   const char *action)
{
  g_autoptr(KdxJournalEntry) entry = kdx_test_last_entry (f->store);

  g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, "ai_system");
  g_assert_cmpstr (kdx_journal_entry_get_entity_id (entry), ==, entity_id);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, action);
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

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in:\n%s", needle, haystack);
}

static KdxSystemPerson *
raci_entry (const char  *person,
            KdxRaciRole  role)
{
  KdxSystemPerson *entry = g_new0 (KdxSystemPerson, 1);

  entry->person = g_strdup (person);
  entry->role = role;

  return entry;
}

static GPtrArray *
raci_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_person_free);
}

/* ------------------------------------------------------------------ */
/* Saving                                                             */

static void
test_create_update_trash (Fixture       *f,
                          gconstpointer  data)
{
  static const char *categories[] = { "voice", "contact", "emotion", "contact", NULL };
  g_autoptr(KdxSystem) system = kdx_system_new ();
  g_autoptr(KdxSystem) loaded = NULL;
  g_autoptr(KdxSystem) by_key = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autoptr(GPtrArray) trashed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  GStrv stored;
  gint64 length;

  kdx_system_set_name (system, "  Gesprächsanalyse  ");
  kdx_system_set_vendor (system, "Tonwerk AG");
  kdx_system_set_version (system, "4.2");
  kdx_system_set_description (system, "Wertet Kundengespräche aus.\nZweite Zeile.");
  kdx_system_set_business_owner (system, f->people[0]);
  kdx_system_set_technical_owner (system, f->people[1]);
  kdx_system_set_department (system, "Vertrieb");
  kdx_system_set_lifecycle (system, KDX_LIFECYCLE_PILOT);
  kdx_system_set_data_categories (system, categories);
  kdx_system_set_legal_basis (system, KDX_LEGAL_BASIS_CONSENT);
  kdx_system_set_consent (system, KDX_CONSENT_OPT_IN);
  kdx_system_set_dpia_status (system, KDX_DPIA_IN_PROGRESS);
  kdx_system_set_dpia_date (system, "2026-03-31");
  kdx_system_set_retention (system, "90 Tage");
  kdx_system_set_oversight (system, KDX_OVERSIGHT_IN_THE_LOOP);
  kdx_system_set_explainability (system, "Merkmalsgewichte je Gespräch");
  g_assert_true (kdx_system_create (f->store, system, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (kdx_system_get_key (system), ==, "SYS-001");
  g_assert_nonnull (kdx_system_get_uuid (system));
  g_assert_cmpstr (kdx_system_get_business_owner_name (system), ==, "Anna Alt");
  assert_last_entry (f, kdx_system_get_uuid (system), "create");
  entry = kdx_test_last_entry (f->store);
  g_assert_null (kdx_journal_entry_get_before (entry));
  assert_contains (kdx_journal_entry_get_after (entry), "\"name\":\"Gesprächsanalyse\"");

  /* By uuid, and by key in any case. */
  loaded = load (f, kdx_system_get_uuid (system));
  by_key = load (f, "sys-001");
  g_assert_cmpstr (kdx_system_get_uuid (by_key), ==, kdx_system_get_uuid (system));
  g_assert_cmpstr (kdx_system_get_name (loaded), ==, "Gesprächsanalyse");
  g_assert_cmpstr (kdx_system_get_vendor (loaded), ==, "Tonwerk AG");
  g_assert_cmpstr (kdx_system_get_version (loaded), ==, "4.2");
  g_assert_cmpstr (kdx_system_get_description (loaded), ==, "Wertet Kundengespräche aus.\nZweite Zeile.");
  g_assert_cmpstr (kdx_system_get_business_owner (loaded), ==, f->people[0]);
  g_assert_cmpstr (kdx_system_get_business_owner_name (loaded), ==, "Anna Alt");
  g_assert_cmpstr (kdx_system_get_technical_owner_name (loaded), ==, "Bernd Brück");
  g_assert_cmpstr (kdx_system_get_department (loaded), ==, "Vertrieb");
  g_assert_cmpint (kdx_system_get_lifecycle (loaded), ==, KDX_LIFECYCLE_PILOT);
  g_assert_cmpint (kdx_system_get_legal_basis (loaded), ==, KDX_LEGAL_BASIS_CONSENT);
  g_assert_cmpint (kdx_system_get_consent (loaded), ==, KDX_CONSENT_OPT_IN);
  g_assert_cmpint (kdx_system_get_dpia_status (loaded), ==, KDX_DPIA_IN_PROGRESS);
  g_assert_cmpstr (kdx_system_get_dpia_date (loaded), ==, "2026-03-31");
  g_assert_cmpstr (kdx_system_get_retention (loaded), ==, "90 Tage");
  g_assert_cmpint (kdx_system_get_oversight (loaded), ==, KDX_OVERSIGHT_IN_THE_LOOP);
  g_assert_cmpstr (kdx_system_get_explainability (loaded), ==, "Merkmalsgewichte je Gespräch");
  g_assert_cmpint (kdx_system_get_risk (loaded), ==, KDX_RISK_UNCLASSIFIED);
  g_assert_cmpint (kdx_system_get_role (loaded), ==, KDX_ROLE_UNKNOWN);
  g_assert_cmpint (kdx_system_get_compliance (loaded), ==, -1);
  g_assert_cmpuint (kdx_system_get_n_policies (loaded), ==, 0);
  /* Repeats dropped, in the table's order; emotion is sensitive. */
  stored = kdx_system_get_data_categories (loaded);
  g_assert_cmpuint (g_strv_length (stored), ==, 3);
  g_assert_cmpstr (stored[0], ==, "contact");
  g_assert_cmpstr (stored[1], ==, "voice");
  g_assert_cmpstr (stored[2], ==, "emotion");
  g_assert_true (kdx_system_has_sensitive_data (loaded));

  /* An update journals before and after; an update that changes nothing
   * writes nothing. */
  kdx_system_set_name (loaded, "Gesprächsanalyse Kunden");
  kdx_system_set_data_categories (loaded, (const char *[]) { "contact", NULL });
  kdx_system_set_lifecycle (loaded, KDX_LIFECYCLE_PRODUCTION);
  g_assert_true (kdx_system_update (f->store, loaded, &error));
  g_assert_no_error (error);
  assert_last_entry (f, kdx_system_get_uuid (system), "update");
  g_clear_object (&entry);
  entry = kdx_test_last_entry (f->store);
  assert_contains (kdx_journal_entry_get_before (entry), "\"name\":\"Gesprächsanalyse\"");
  assert_contains (kdx_journal_entry_get_before (entry), "\"lifecycle\":\"pilot\"");
  assert_contains (kdx_journal_entry_get_after (entry), "\"name\":\"Gesprächsanalyse Kunden\"");
  assert_contains (kdx_journal_entry_get_after (entry), "\"data_categories\":[\"contact\"]");
  length = kdx_test_journal_length (f->store);
  g_assert_true (kdx_system_update (f->store, loaded, &error));
  g_assert_cmpint (kdx_test_journal_length (f->store), ==, length);
  g_clear_object (&loaded);
  loaded = load (f, "SYS-001");
  g_assert_cmpstr (kdx_system_get_name (loaded), ==, "Gesprächsanalyse Kunden");
  g_assert_cmpuint (g_strv_length (kdx_system_get_data_categories (loaded)), ==, 1);
  g_assert_false (kdx_system_has_sensitive_data (loaded));
  g_assert_cmpint (kdx_system_get_lifecycle (loaded), ==, KDX_LIFECYCLE_PRODUCTION);

  /* The trash: out of the register, into the trash list, and back. */
  g_assert_true (kdx_system_trash (f->store, kdx_system_get_uuid (system), &error));
  g_assert_no_error (error);
  assert_last_entry (f, kdx_system_get_uuid (system), "delete");
  g_assert_cmpint (kdx_system_count (f->store), ==, 0);
  live = kdx_system_list (f->store, NULL, &error);
  g_assert_cmpuint (live->len, ==, 0);
  trashed = kdx_system_list_trashed (f->store);
  g_assert_cmpuint (trashed->len, ==, 1);
  g_assert_nonnull (kdx_system_get_trashed (trashed->pdata[0]));
  g_assert_true (kdx_system_restore (f->store, kdx_system_get_uuid (system), &error));
  g_assert_no_error (error);
  assert_last_entry (f, kdx_system_get_uuid (system), "restore");
  g_assert_cmpint (kdx_system_count (f->store), ==, 1);

  assert_chain_verifies (f);
}

static void
test_keys_and_names (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KdxSystem) a = create_system (f, "Lead Scorer", NULL, NULL, NULL);
  g_autoptr(KdxSystem) b = create_system (f, "Preis-Engine", NULL, NULL, NULL);
  g_autoptr(KdxSystem) c = create_system (f, "Chat-Assistent", NULL, NULL, NULL);
  g_autoptr(KdxSystem) d = NULL;
  g_autoptr(KdxSystem) again = NULL;
  g_autoptr(KdxSystem) dup = kdx_system_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *next = NULL;

  g_assert_cmpstr (kdx_system_get_key (a), ==, "SYS-001");
  g_assert_cmpstr (kdx_system_get_key (b), ==, "SYS-002");
  g_assert_cmpstr (kdx_system_get_key (c), ==, "SYS-003");

  /* A trashed system's key is never given again. */
  g_assert_true (kdx_system_trash (f->store, kdx_system_get_uuid (c), &error));
  next = kdx_system_next_key (f->store);
  g_assert_cmpstr (next, ==, "SYS-004");
  d = create_system (f, "Prognose", NULL, NULL, NULL);
  g_assert_cmpstr (kdx_system_get_key (d), ==, "SYS-004");

  /* A name is unique among live systems, whatever its case; the refusal
   * changes nothing. */
  head = kdx_test_journal_head (f->store);
  kdx_system_set_name (dup, "LEAD scorer");
  g_assert_false (kdx_system_create (f->store, dup, &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_DUPLICATE);
  assert_contains (error->message, "SYS-001");
  assert_contains (error->message, "Lead Scorer");
  g_clear_error (&error);
  kdx_test_assert_head (f->store, head);
  g_assert_cmpint (kdx_system_count (f->store), ==, 3);

  /* Renaming onto another's name is refused too … */
  kdx_system_set_name (b, "lead scorer");
  g_assert_false (kdx_system_update (f->store, b, &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* … but a trashed system's name is free, and restoring it then is
   * refused until one of them is renamed. */
  again = create_system (f, "chat-assistent", NULL, NULL, NULL);
  g_assert_cmpstr (kdx_system_get_key (again), ==, "SYS-005");
  g_assert_false (kdx_system_restore (f->store, kdx_system_get_uuid (c), &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_DUPLICATE);
  g_clear_error (&error);
  {
    g_autoptr(KdxSystem) still = load (f, "SYS-003");

    g_assert_nonnull (kdx_system_get_trashed (still));
  }

  assert_chain_verifies (f);
}

typedef struct
{
  const char *name;
  void      (*apply) (KdxSystem *system, const char *value);
  const char *value;
  int         code;
  const char *message_part;
} BadCase;

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  const BadCase cases[] = {
    { "", kdx_system_set_vendor, NULL, KDX_SYSTEM_ERROR_INVALID, "needs a name" },
    { "Zwei\nZeilen", kdx_system_set_vendor, NULL, KDX_SYSTEM_ERROR_INVALID, "single line" },
    { "Gut", kdx_system_set_vendor, "Firma\tGmbH", KDX_SYSTEM_ERROR_INVALID, "vendor" },
    { "Gut", kdx_system_set_use_case, "telepathy", KDX_SYSTEM_ERROR_INVALID,
      "kodex-cli system use-cases" },
    { "Gut", kdx_system_set_dpia_date, "31.03.2026", KDX_SYSTEM_ERROR_INVALID, "YYYY-MM-DD" },
    { "Gut", kdx_system_set_dpia_date, "2026-02-30", KDX_SYSTEM_ERROR_INVALID, "YYYY-MM-DD" },
    { "Gut", kdx_system_set_business_owner, "0b7b6a1e-0000-4000-8000-000000000000",
      KDX_SYSTEM_ERROR_UNKNOWN_PERSON, "0b7b6a1e-0000-4000-8000-000000000000" },
  };
  g_autofree char *head = kdx_test_journal_head (f->store);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KdxSystem) system = kdx_system_new ();

      kdx_system_set_name (system, cases[i].name);
      cases[i].apply (system, cases[i].value);
      g_assert_false (kdx_system_create (f->store, system, &error));
      g_assert_error (error, KDX_SYSTEM_ERROR, cases[i].code);
      assert_contains (error->message, cases[i].message_part);
      g_clear_error (&error);
    }

  {
    g_autoptr(KdxSystem) system = kdx_system_new ();

    kdx_system_set_name (system, "Gut");
    kdx_system_set_data_categories (system, (const char *[]) { "contact", "horoscope", NULL });
    g_assert_false (kdx_system_create (f->store, system, &error));
    g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID);
    assert_contains (error->message, "horoscope");
    g_clear_error (&error);
  }

  /* A person in the trash is no owner. */
  g_assert_true (kdx_person_trash (f->store, f->people[3], &error));
  g_free (head);
  head = kdx_test_journal_head (f->store);
  {
    g_autoptr(KdxSystem) system = kdx_system_new ();

    kdx_system_set_name (system, "Gut");
    kdx_system_set_technical_owner (system, f->people[3]);
    g_assert_false (kdx_system_create (f->store, system, &error));
    g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON);
    assert_contains (error->message, "Dana Dorn");
    g_clear_error (&error);
  }

  kdx_test_assert_head (f->store, head);
  g_assert_cmpint (kdx_system_count (f->store), ==, 0);
  g_assert_cmpint (kdx_test_raw_int (f->path, "SELECT count(*) FROM system_data"), ==, 0);

  /* An owner who went to the trash after being chosen stays until someone
   * else is: the system can still be edited, trashed and restored. */
  {
    g_autoptr(KdxSystem) system = create_system (f, "Gut", NULL, NULL, f->people[2]);

    g_assert_true (kdx_person_trash (f->store, f->people[2], &error));
    kdx_system_set_vendor (system, "Neu GmbH");
    g_assert_true (kdx_system_update (f->store, system, &error));
    g_assert_no_error (error);
    g_assert_true (kdx_system_trash (f->store, kdx_system_get_uuid (system), &error));
    g_assert_true (kdx_system_restore (f->store, kdx_system_get_uuid (system), &error));
    g_assert_no_error (error);
    /* … but nobody new from the trash. */
    kdx_system_set_technical_owner (system, f->people[3]);
    g_assert_false (kdx_system_update (f->store, system, &error));
    g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON);
  }
}

/* ------------------------------------------------------------------ */
/* The register's list                                                 */

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KdxSystem) lead = from_use_case (f, "Lead-Bewertung", "lead-scoring");            /* 1 */
  g_autoptr(KdxSystem) credit = from_use_case (f, "Bonitätsprüfung", "credit-check");         /* 2 */
  g_autoptr(KdxSystem) chat = from_use_case (f, "Müller-Bot", "sales-chatbot");               /* 3 */
  g_autoptr(KdxSystem) agents = from_use_case (f, "Stimmungsradar", "call-analysis-employees"); /* 4 */
  g_autoptr(KdxSystem) plain = create_system (f, "Ablage", "Zettelwerk", "Recht", f->people[2]); /* 5 */
  g_autoptr(KdxSystem) gone = create_system (f, "Altsystem", NULL, "Vertrieb", NULL);         /* 6 */
  g_autoptr(GError) error = NULL;
  KdxSystemFilter filter;
  gint64 counts[KDX_RISK_N_CLASSES + 1];
  g_auto(GStrv) departments = NULL;

  kdx_system_set_department (lead, "Vertrieb");
  kdx_system_set_business_owner (lead, f->people[0]);
  kdx_system_set_lifecycle (lead, KDX_LIFECYCLE_PRODUCTION);
  g_assert_true (kdx_system_update (f->store, lead, &error));
  kdx_system_set_department (credit, "Finanzen");
  kdx_system_set_technical_owner (credit, f->people[0]);
  kdx_system_set_vendor (credit, "Schufa-Partner GmbH");
  kdx_system_set_lifecycle (credit, KDX_LIFECYCLE_PILOT);
  g_assert_true (kdx_system_update (f->store, credit, &error));
  kdx_system_set_department (chat, "Vertrieb");
  kdx_system_set_business_owner (chat, f->people[1]);
  kdx_system_set_lifecycle (chat, KDX_LIFECYCLE_PRODUCTION);
  g_assert_true (kdx_system_update (f->store, chat, &error));
  g_assert_no_error (error);
  g_assert_true (kdx_system_trash (f->store, kdx_system_get_uuid (gone), &error));

  kdx_system_filter_init (&filter);
  assert_keys (f, &filter, "SYS-001 SYS-002 SYS-003 SYS-004 SYS-005");
  filter.descending = TRUE;
  assert_keys (f, &filter, "SYS-005 SYS-004 SYS-003 SYS-002 SYS-001");

  /* By risk class: the library's classification decides. */
  kdx_system_filter_init (&filter);
  filter.risk = KDX_RISK_HIGH;
  assert_keys (f, &filter, "SYS-002");
  filter.risk = KDX_RISK_PROHIBITED;
  assert_keys (f, &filter, "SYS-004");
  filter.risk = KDX_RISK_MINIMAL;
  assert_keys (f, &filter, "SYS-001");
  filter.risk = KDX_RISK_UNCLASSIFIED;
  assert_keys (f, &filter, "SYS-005");

  kdx_system_filter_init (&filter);
  filter.lifecycle = KDX_LIFECYCLE_PRODUCTION;
  assert_keys (f, &filter, "SYS-001 SYS-003");
  filter.department = "Vertrieb";
  filter.owner = f->people[1];
  assert_keys (f, &filter, "SYS-003");

  /* The owner is the business or the technical one. */
  kdx_system_filter_init (&filter);
  filter.owner = f->people[0];
  assert_keys (f, &filter, "SYS-001 SYS-002");

  kdx_system_filter_init (&filter);
  filter.use_case = "sales-chatbot";
  assert_keys (f, &filter, "SYS-003");
  filter.use_case = "";
  assert_keys (f, &filter, "SYS-005");

  /* Text: name without case or accents, key, vendor, description. */
  kdx_system_filter_init (&filter);
  filter.text = "MULLER";
  assert_keys (f, &filter, "SYS-003");
  filter.text = "sys-004";
  assert_keys (f, &filter, "SYS-004");
  filter.text = "schufa";
  assert_keys (f, &filter, "SYS-002");
  filter.text = "zettel";
  assert_keys (f, &filter, "SYS-005");
  filter.text = "'; DROP TABLE ai_system; --";
  assert_keys (f, &filter, "");
  filter.text = "Altsystem";   /* trashed */
  assert_keys (f, &filter, "");

  /* Sorting. */
  kdx_system_filter_init (&filter);
  filter.sort = KDX_SYSTEM_SORT_NAME;
  assert_keys (f, &filter, "SYS-005 SYS-002 SYS-001 SYS-003 SYS-004");
  filter.sort = KDX_SYSTEM_SORT_RISK;
  assert_keys (f, &filter, "SYS-004 SYS-002 SYS-003 SYS-001 SYS-005");
  filter.sort = KDX_SYSTEM_SORT_LIFECYCLE;
  assert_keys (f, &filter, "SYS-005 SYS-004 SYS-002 SYS-001 SYS-003");
  filter.sort = KDX_SYSTEM_SORT_DEPARTMENT;
  assert_keys (f, &filter, "SYS-002 SYS-005 SYS-001 SYS-003 SYS-004");
  filter.sort = KDX_SYSTEM_SORT_OWNER;
  assert_keys (f, &filter, "SYS-001 SYS-003 SYS-005 SYS-002 SYS-004");

  kdx_system_count_by_risk (f->store, counts);
  g_assert_cmpint (counts[KDX_RISK_PROHIBITED], ==, 1);
  g_assert_cmpint (counts[KDX_RISK_HIGH], ==, 1);
  g_assert_cmpint (counts[KDX_RISK_LIMITED], ==, 1);
  g_assert_cmpint (counts[KDX_RISK_MINIMAL], ==, 1);
  g_assert_cmpint (counts[KDX_RISK_N_CLASSES], ==, 1);

  /* Of live systems and people, once each, sorted. */
  departments = kdx_system_dup_departments (f->store);
  g_assert_cmpuint (g_strv_length (departments), ==, 4);
  g_assert_cmpstr (departments[0], ==, "Finanzen");
  g_assert_cmpstr (departments[1], ==, "IT");
  g_assert_cmpstr (departments[2], ==, "Recht");
  g_assert_cmpstr (departments[3], ==, "Vertrieb");
}

/* 2,000 systems; the register filtered by risk class. */
static void
test_filter_speed (Fixture       *f,
                   gconstpointer  data)
{
  static const char *use_cases[] = {
    "lead-scoring", "credit-check", "sales-chatbot", "dynamic-pricing", "rep-performance",
  };
  g_autoptr(GError) error = NULL;
  GHashTable *answers[G_N_ELEMENTS (use_cases)] = { NULL };
  gint64 best = G_MAXINT64;
  guint n_high = 0;

  for (guint u = 0; u < G_N_ELEMENTS (use_cases); u++)
    answers[u] = kdx_use_case_dup_answers (kdx_use_case_lookup (use_cases[u]));

  g_assert_true (kdx_store_begin (f->store, &error));
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(KdxSystem) system = kdx_system_new ();
      g_autofree char *name = g_strdup_printf ("System %04u", i);

      kdx_system_set_name (system, name);
      kdx_system_set_department (system, i % 3 ? "Vertrieb" : "Marketing");
      kdx_system_set_business_owner (system, f->people[i % 4]);
      kdx_system_set_data_categories (system, (const char *[]) { "contact", "behaviour", NULL });
      g_assert_true (kdx_system_create (f->store, system, &error));
      g_assert_no_error (error);
      if (i % 10 != 0)
        g_assert_true (kdx_system_classify (f->store, kdx_system_get_uuid (system),
                                            answers[i % G_N_ELEMENTS (use_cases)], NULL, &error));
      g_assert_no_error (error);
      n_high += i % 10 != 0 && (i % 5 == 1 || i % 5 == 4);
    }
  g_assert_true (kdx_store_commit (f->store, &error));
  g_assert_no_error (error);

  for (guint run = 0; run < 5; run++)
    {
      g_autoptr(GPtrArray) systems = NULL;
      KdxSystemFilter filter;
      gint64 start;

      kdx_system_filter_init (&filter);
      filter.risk = KDX_RISK_HIGH;
      filter.sort = KDX_SYSTEM_SORT_NAME;
      start = g_get_monotonic_time ();
      systems = kdx_system_list (f->store, &filter, &error);
      best = MIN (best, g_get_monotonic_time () - start);
      g_assert_no_error (error);
      g_assert_cmpuint (systems->len, ==, n_high);
      g_assert_cmpstr (kdx_system_get_business_owner_name (systems->pdata[0]), !=, NULL);
    }
  for (guint u = 0; u < G_N_ELEMENTS (use_cases); u++)
    g_hash_table_unref (answers[u]);
  g_test_message ("2,000 systems, %u high-risk ones listed in %.1f ms", n_high, best / 1000.0);
  g_assert_cmpint (best, <, 50 * 1000 * TIME_FACTOR);
}

/* ------------------------------------------------------------------ */
/* The use-case library                                                */

static void
test_use_cases (Fixture       *f,
                gconstpointer  data)
{
  guint n = 0;
  const KdxUseCase *all = kdx_use_case_get_all (&n);
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;

  g_assert_cmpuint (n, >=, 10);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("System %s", all[i].id);
      g_autoptr(KdxSystem) system = from_use_case (f, name, all[i].id);
      g_autoptr(GHashTable) answers = kdx_system_dup_answers (system);
      g_autoptr(GHashTable) suggested = kdx_use_case_dup_answers (&all[i]);
      g_autoptr(GPtrArray) obligations = NULL;
      GStrv categories = kdx_system_get_data_categories (system);

      g_test_message ("%s: %s", all[i].id, kdx_risk_class_to_string (kdx_system_get_risk (system)));
      g_assert_cmpstr (kdx_system_get_use_case (system), ==, all[i].id);
      g_assert_cmpstr (kdx_system_get_description (system), ==,
                       kdx_use_case_get_description (&all[i]));
      g_assert_cmpuint (g_strv_length (categories), ==,
                        g_strv_length ((char **) all[i].data_categories));
      for (guint c = 0; all[i].data_categories[c] != NULL; c++)
        g_assert_true (g_strv_contains ((const char * const *) categories,
                                        all[i].data_categories[c]));
      g_assert_cmpint (kdx_system_get_legal_basis (system), ==,
                       kdx_legal_basis_from_string (all[i].legal_basis));
      g_assert_cmpint (kdx_system_get_consent (system), ==,
                       kdx_consent_from_string (all[i].consent));
      g_assert_cmpint (kdx_system_get_oversight (system), ==,
                       kdx_oversight_mode_from_string (all[i].oversight));

      /* Classified with the library's answers, which are stored. */
      g_assert_nonnull (kdx_system_get_classified (system));
      g_assert_nonnull (kdx_system_get_reasoning (system));
      g_assert_cmpint (kdx_system_get_risk (system), !=, KDX_RISK_UNCLASSIFIED);
      g_assert_cmpint (kdx_system_get_role (system), ==, KDX_ROLE_DEPLOYER);
      g_assert_cmpuint (g_hash_table_size (answers), ==, g_hash_table_size (suggested));
      obligations = kdx_system_list_obligations (f->store, kdx_system_get_uuid (system), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (obligations->len, >, 0);   /* Art. 4 at least */
      if (g_str_equal (all[i].id, "lead-scoring"))
        g_assert_cmpint (kdx_system_get_risk (system), ==, KDX_RISK_MINIMAL);
      if (g_str_equal (all[i].id, "call-analysis-employees"))
        g_assert_cmpint (kdx_system_get_risk (system), ==, KDX_RISK_PROHIBITED);
      if (g_str_equal (all[i].id, "credit-check"))
        g_assert_cmpint (kdx_system_get_risk (system), ==, KDX_RISK_HIGH);
      if (g_str_equal (all[i].id, "sales-chatbot"))
        g_assert_cmpint (kdx_system_get_risk (system), ==, KDX_RISK_LIMITED);
      /* No policies in the workspace yet: nothing to map. */
      g_assert_cmpuint (kdx_system_get_n_policies (system), ==, 0);
    }
  g_assert_cmpint (kdx_system_count (f->store), ==, n);

  /* An unknown use case is refused, naming what to run; nothing is made. */
  head = kdx_test_journal_head (f->store);
  g_assert_null (kdx_system_create_from_use_case (f->store, "Orakel", "crystal-ball", &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Unknown use case “crystal-ball”: see kodex-cli system use-cases");
  g_clear_error (&error);
  /* So is a taken name, and the classification and mapping roll back. */
  g_assert_null (kdx_system_create_from_use_case (f->store, "system LEAD-SCORING", "lead-scoring",
                                                  &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_DUPLICATE);
  kdx_test_assert_head (f->store, head);
  g_assert_cmpint (kdx_system_count (f->store), ==, n);

  assert_chain_verifies (f);
}

static void
test_suggested_policies (Fixture       *f,
                         gconstpointer  data)
{
  const KdxUseCase *use_case = kdx_use_case_lookup ("lead-scoring");
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(KdxPolicy) policy = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *lead_policy = NULL;
  g_autofree char *literacy = NULL;
  guint n_created = 0;
  guint n_maps = 0;
  gint64 before;

  /* The policies made from the shipped templates remember them. */
  g_assert_true (kdx_policy_create_from_templates (f->store, "de", &n_created, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_created, >=, 4);
  lead_policy = kdx_policy_find_by_template (f->store, "lead-scoring");
  g_assert_nonnull (lead_policy);
  policy = kdx_policy_load (f->store, lead_policy, &error);
  g_assert_cmpstr (kdx_policy_get_template (policy), ==, "lead-scoring");
  g_assert_null (kdx_policy_find_by_template (f->store, "no-such-template"));

  /* A trashed policy is not suggested. */
  literacy = kdx_policy_find_by_template (f->store, "ai-literacy");
  g_assert_true (kdx_policy_trash (f->store, literacy, &error));
  g_assert_null (kdx_policy_find_by_template (f->store, "ai-literacy"));

  before = kdx_test_journal_length (f->store);
  system = from_use_case (f, "Lead-Bewertung", "lead-scoring");
  for (guint i = 0; use_case->policies[i] != NULL; i++)
    n_maps += !g_str_equal (use_case->policies[i], "ai-literacy");
  g_assert_cmpuint (kdx_system_get_n_policies (system), ==, n_maps);
  g_assert_cmpint (kdx_system_get_compliance (system), ==, KDX_COMPLIANCE_NOT_ASSESSED);

  rows = kdx_mapping_list_system_policies (f->store, kdx_system_get_uuid (system), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, n_maps);
  for (guint i = 0; i < rows->len; i++)
    {
      KdxMappingRow *row = rows->pdata[i];

      g_assert_cmpint (row->compliance, ==, KDX_COMPLIANCE_NOT_ASSESSED);
      g_assert_cmpstr (row->uuid, !=, literacy);
    }
  g_assert_true (kdx_test_raw_int (f->path, "SELECT count(*) FROM policy_system ps JOIN policy p "
                                   "ON p.id = ps.policy_id WHERE p.template = 'lead-scoring'") == 1);

  /* One create, one classify and a map-policy entry per policy, in one
   * transaction. */
  g_assert_cmpint (kdx_test_journal_length (f->store) - before, ==, 2 + n_maps);
  assert_last_entry (f, kdx_system_get_uuid (system), "map-policy");

  /* The worst status of the applied policies shows in the register. */
  g_assert_true (kdx_mapping_set_system_policy (f->store, kdx_system_get_uuid (system), lead_policy,
                                                KDX_COMPLIANCE_NON_COMPLIANT, f->people[1], NULL,
                                                "Keine Erklärung im Angebot", &error));
  g_assert_no_error (error);
  g_clear_object (&system);
  system = load (f, "SYS-001");
  g_assert_cmpint (kdx_system_get_compliance (system), ==, KDX_COMPLIANCE_NON_COMPLIANT);

  assert_chain_verifies (f);
}

/* ------------------------------------------------------------------ */
/* Classification and obligations                                      */

static void
test_classify (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KdxSystem) system = create_system (f, "Bonitätsprüfung", NULL, NULL, NULL);
  const char *uuid = kdx_system_get_uuid (system);
  g_autoptr(GHashTable) answers = kdx_use_case_dup_answers (kdx_use_case_lookup ("credit-check"));
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(KdxClassification) result = NULL;
  g_autoptr(KdxSystem) loaded = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  g_autofree char *answers_before = NULL;
  gint64 n_obligations;

  g_assert_true (kdx_system_classify (f->store, uuid, answers, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result->risk, ==, KDX_RISK_HIGH);
  assert_last_entry (f, uuid, "classify");
  entry = kdx_test_last_entry (f->store);
  assert_contains (kdx_journal_entry_get_before (entry), "\"risk\":null");
  assert_contains (kdx_journal_entry_get_after (entry), "\"risk\":\"high\"");
  assert_contains (kdx_journal_entry_get_after (entry), "\"h-credit\":\"yes\"");

  loaded = load (f, uuid);
  g_assert_cmpint (kdx_system_get_risk (loaded), ==, KDX_RISK_HIGH);
  g_assert_cmpint (kdx_system_get_role (loaded), ==, KDX_ROLE_DEPLOYER);
  g_assert_nonnull (kdx_system_get_classified (loaded));
  assert_contains (kdx_system_get_reasoning (loaded), "5(b)");
  stored = kdx_system_dup_answers (loaded);
  g_assert_cmpint (kdx_answers_get (stored, "h-credit"), ==, KDX_ANSWER_YES);
  n_obligations = kdx_test_raw_int (f->path, "SELECT count(*) FROM system_obligation");
  g_assert_cmpint (n_obligations, ==, result->obligations->len);

  /* Credit scoring of natural persons without profiling contradicts
   * itself: refused, and nothing changes. */
  head = kdx_test_journal_head (f->store);
  answers_before = g_strdup (kdx_system_get_answers_json (loaded));
  kdx_answers_set (answers, "profiling", KDX_ANSWER_NO);
  g_clear_pointer (&result, kdx_classification_free);
  g_assert_false (kdx_system_classify (f->store, uuid, answers, &result, &error));
  g_assert_error (error, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_CONTRADICTION);
  g_assert_null (result);
  g_clear_error (&error);
  kdx_test_assert_head (f->store, head);
  g_clear_object (&loaded);
  loaded = load (f, uuid);
  g_assert_cmpint (kdx_system_get_risk (loaded), ==, KDX_RISK_HIGH);
  g_assert_cmpstr (kdx_system_get_answers_json (loaded), ==, answers_before);
  g_assert_cmpint (kdx_test_raw_int (f->path, "SELECT count(*) FROM system_obligation"), ==,
                   n_obligations);

  /* Changed answers are evaluated again, and the obligations follow. */
  g_clear_pointer (&answers, g_hash_table_unref);
  answers = kdx_use_case_dup_answers (kdx_use_case_lookup ("lead-scoring"));
  g_assert_true (kdx_system_classify (f->store, uuid, answers, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = load (f, uuid);
  g_assert_cmpint (kdx_system_get_risk (loaded), ==, KDX_RISK_MINIMAL);
  g_assert_cmpint (kdx_test_raw_int (f->path, "SELECT count(*) FROM system_obligation "
                                     "WHERE obligation = 'ai-act-26'"), ==, 0);
  g_clear_object (&entry);
  entry = kdx_test_last_entry (f->store);
  assert_contains (kdx_journal_entry_get_before (entry), "\"risk\":\"high\"");
  assert_contains (kdx_journal_entry_get_after (entry), "\"risk\":\"minimal\"");

  /* An update never touches the classification. */
  kdx_system_set_vendor (system, "Auskunftei");
  g_assert_true (kdx_system_update (f->store, system, &error));
  g_clear_object (&loaded);
  loaded = load (f, uuid);
  g_assert_cmpint (kdx_system_get_risk (loaded), ==, KDX_RISK_MINIMAL);

  assert_chain_verifies (f);
}

static const KdxSystemObligation *
find_obligation (GPtrArray  *obligations,
                 const char *id)
{
  for (guint i = 0; i < obligations->len; i++)
    {
      const KdxSystemObligation *o = obligations->pdata[i];

      if (g_str_equal (o->id, id))
        return o;
    }
  g_error ("obligation %s not listed", id);
  return NULL;
}

static int
coverage_of (Fixture    *f,
             const char *system,
             const char *obligation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) obligations = kdx_system_list_obligations (f->store, system, &error);

  g_assert_no_error (error);

  return find_obligation (obligations, obligation)->coverage;
}

static char *
policy_with_requirements (Fixture            *f,
                          const char         *title,
                          const char *const  *codes)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GError) error = NULL;

  kdx_policy_set_title (policy, title);
  g_assert_true (kdx_policy_create (f->store, policy, "Text", &error));
  g_assert_no_error (error);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autoptr(KdxRequirement) requirement = kdx_requirement_find (f->store, "eu-ai-act",
                                                                    codes[i], &error);

      g_assert_no_error (error);
      g_assert_true (kdx_mapping_link_requirement (f->store, kdx_policy_get_uuid (policy),
                                                   requirement->uuid, &error));
      g_assert_no_error (error);
    }

  return g_strdup (kdx_policy_get_uuid (policy));
}

static void
apply (Fixture       *f,
       const char    *system,
       const char    *policy,
       KdxCompliance  status)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kdx_mapping_set_system_policy (f->store, system, policy, status, NULL, NULL,
                                                NULL, &error));
  g_assert_no_error (error);
}

static void
test_obligations (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KdxSystem) system = from_use_case (f, "Bonitätsprüfung", "credit-check");
  const char *uuid = kdx_system_get_uuid (system);
  g_autoptr(GPtrArray) obligations = NULL;
  g_autoptr(GPtrArray) coverage = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deployer = NULL;
  g_autofree char *paragraph = NULL;
  const KdxSystemObligation *art26;
  guint position_4 = G_MAXUINT, position_26 = G_MAXUINT;

  /* A deployer of a high-risk system: Art. 4 and Art. 26 among them, in
   * the order of the regulation, each with its requirement. */
  obligations = kdx_system_list_obligations (f->store, uuid, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < obligations->len; i++)
    {
      const KdxSystemObligation *o = obligations->pdata[i];

      g_assert_nonnull (o->title);
      g_assert_nonnull (o->reference);
      g_assert_cmpint (o->coverage, ==, KDX_COVERAGE_GAP);
      if (g_str_equal (o->id, "ai-act-4"))
        position_4 = i;
      if (g_str_equal (o->id, "ai-act-26"))
        position_26 = i;
    }
  g_assert_cmpuint (position_4, <, position_26);
  g_assert_cmpuint (position_26, <, obligations->len);
  art26 = find_obligation (obligations, "ai-act-26");
  g_assert_cmpstr (art26->reference, ==, "Art. 26");
  g_assert_cmpstr (art26->catalog, ==, "eu-ai-act");
  g_assert_nonnull (art26->requirement);

  /* A policy for Art. 26, applied and not yet assessed: partly; assessed
   * compliant: covered; non-compliant: a gap again. */
  deployer = policy_with_requirements (f, "Pflichten als Betreiber", (const char *[]) { "art-26", NULL });
  apply (f, uuid, deployer, KDX_COMPLIANCE_NOT_ASSESSED);
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-26"), ==, KDX_COVERAGE_PARTLY);
  apply (f, uuid, deployer, KDX_COMPLIANCE_COMPLIANT);
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-26"), ==, KDX_COVERAGE_COVERED);
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-4"), ==, KDX_COVERAGE_GAP);
  apply (f, uuid, deployer, KDX_COMPLIANCE_NON_COMPLIANT);
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-26"), ==, KDX_COVERAGE_GAP);
  apply (f, uuid, deployer, KDX_COMPLIANCE_NOT_APPLICABLE);
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-26"), ==, KDX_COVERAGE_GAP);

  /* A policy for one paragraph of Art. 26 covers the article partly, even
   * when compliant: the other paragraphs are open. */
  paragraph = policy_with_requirements (f, "Aufsicht nach Art. 26 Abs. 2",
                                        (const char *[]) { "art-26-2", NULL });
  apply (f, uuid, paragraph, KDX_COMPLIANCE_COMPLIANT);
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-26"), ==, KDX_COVERAGE_PARTLY);

  /* The best applied policy counts; a trashed one does not. */
  apply (f, uuid, deployer, KDX_COMPLIANCE_COMPLIANT);
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-26"), ==, KDX_COVERAGE_COVERED);
  g_assert_true (kdx_policy_trash (f->store, deployer, &error));
  g_assert_cmpint (coverage_of (f, uuid, "ai-act-26"), ==, KDX_COVERAGE_PARTLY);

  /* The same verdict as the coverage view of the mapping module. */
  coverage = kdx_coverage_systems (f->store, "eu-ai-act", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (coverage->len, ==, 1);
  g_clear_pointer (&obligations, g_ptr_array_unref);
  obligations = kdx_system_list_obligations (f->store, uuid, &error);
  {
    KdxSystemCoverage *row = coverage->pdata[0];
    guint covered = 0, partly = 0, gap = 0;

    for (guint i = 0; i < obligations->len; i++)
      {
        const KdxSystemObligation *o = obligations->pdata[i];

        if (!g_str_equal (o->catalog, "eu-ai-act"))
          continue;
        covered += o->coverage == KDX_COVERAGE_COVERED;
        partly += o->coverage == KDX_COVERAGE_PARTLY;
        gap += o->coverage == KDX_COVERAGE_GAP;
      }
    g_assert_cmpuint (row->n_covered, ==, covered);
    g_assert_cmpuint (row->n_partly, ==, partly);
    g_assert_cmpuint (row->n_gap, ==, gap);
  }

  g_assert_null (kdx_system_list_obligations (f->store, "SYS-999", &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_NOT_FOUND);
}

/* ------------------------------------------------------------------ */
/* Oversight and responsibilities                                      */

static void
test_overseers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KdxSystem) system = create_system (f, "Preis-Engine", NULL, NULL, NULL);
  const char *uuid = kdx_system_get_uuid (system);
  const char *stranger = "5d0c5a52-9c1b-4d7e-8a43-000000000042";
  g_autoptr(GPtrArray) overseers = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = kdx_test_journal_head (f->store);

  /* Someone who is not in the workspace: refused by name, nothing saved. */
  g_assert_false (kdx_system_set_overseers (f->store, uuid,
                                            (const char *[]) { f->people[1], stranger, NULL },
                                            &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON);
  assert_contains (error->message, stranger);
  g_clear_error (&error);
  kdx_test_assert_head (f->store, head);
  overseers = kdx_system_list_overseers (f->store, uuid, &error);
  g_assert_cmpuint (overseers->len, ==, 0);

  /* Nor someone in the trash. */
  g_assert_true (kdx_person_trash (f->store, f->people[3], &error));
  g_free (head);
  head = kdx_test_journal_head (f->store);
  g_assert_false (kdx_system_set_overseers (f->store, uuid,
                                            (const char *[]) { f->people[3], NULL }, &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON);
  g_clear_error (&error);
  kdx_test_assert_head (f->store, head);

  /* Saved, listed by name, journaled with before and after. */
  g_assert_true (kdx_system_set_overseers (f->store, uuid,
                                           (const char *[]) { f->people[2], f->people[0],
                                                              f->people[2], NULL }, &error));
  g_assert_no_error (error);
  g_clear_pointer (&overseers, g_ptr_array_unref);
  overseers = kdx_system_list_overseers (f->store, uuid, &error);
  g_assert_cmpuint (overseers->len, ==, 2);
  g_assert_cmpstr (((KdxSystemPerson *) overseers->pdata[0])->name, ==, "Anna Alt");
  g_assert_cmpstr (((KdxSystemPerson *) overseers->pdata[1])->name, ==, "Cem Çelik");
  g_assert_cmpstr (((KdxSystemPerson *) overseers->pdata[1])->department, ==, "Recht");
  assert_last_entry (f, uuid, "set-overseers");
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_before (entry), ==, "[]");
  assert_contains (kdx_journal_entry_get_after (entry), f->people[2]);

  g_assert_true (kdx_system_set_overseers (f->store, uuid, NULL, &error));
  g_clear_pointer (&overseers, g_ptr_array_unref);
  overseers = kdx_system_list_overseers (f->store, uuid, &error);
  g_assert_cmpuint (overseers->len, ==, 0);
  g_clear_object (&entry);
  entry = kdx_test_last_entry (f->store);
  assert_contains (kdx_journal_entry_get_before (entry), "Anna Alt");
  g_assert_cmpstr (kdx_journal_entry_get_after (entry), ==, "[]");

  assert_chain_verifies (f);
}

static void
test_raci (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(KdxSystem) system = create_system (f, "Lead Scorer", NULL, NULL, NULL);
  const char *uuid = kdx_system_get_uuid (system);
  g_autoptr(GPtrArray) entries = raci_new ();
  g_autoptr(GPtrArray) raci = NULL;
  g_autoptr(KdxJournalEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = kdx_test_journal_head (f->store);

  /* Nobody accountable. */
  g_ptr_array_add (entries, raci_entry (f->people[0], KDX_RACI_RESPONSIBLE));
  g_ptr_array_add (entries, raci_entry (f->people[1], KDX_RACI_CONSULTED));
  g_assert_false (kdx_system_set_raci (f->store, uuid, entries, &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_RACI);
  g_assert_cmpstr (error->message, ==,
                   "Name exactly one person as Accountable for “Lead Scorer”; now there are 0.");
  g_clear_error (&error);

  /* Two accountable. */
  g_ptr_array_add (entries, raci_entry (f->people[2], KDX_RACI_ACCOUNTABLE));
  g_ptr_array_add (entries, raci_entry (f->people[3], KDX_RACI_ACCOUNTABLE));
  g_assert_false (kdx_system_set_raci (f->store, uuid, entries, &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_RACI);
  g_assert_cmpstr (error->message, ==,
                   "Name exactly one person as Accountable for “Lead Scorer”; now there are 2.");
  g_clear_error (&error);

  /* One person twice. */
  g_ptr_array_remove_index (entries, 3);
  g_ptr_array_add (entries, raci_entry (f->people[0], KDX_RACI_INFORMED));
  g_assert_false (kdx_system_set_raci (f->store, uuid, entries, &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_RACI);
  assert_contains (error->message, "Anna Alt");
  g_clear_error (&error);

  /* Someone not in the workspace. */
  g_ptr_array_remove_index (entries, 3);
  g_ptr_array_add (entries, raci_entry ("not-a-person", KDX_RACI_INFORMED));
  g_assert_false (kdx_system_set_raci (f->store, uuid, entries, &error));
  g_assert_error (error, KDX_SYSTEM_ERROR, KDX_SYSTEM_ERROR_UNKNOWN_PERSON);
  assert_contains (error->message, "not-a-person");
  g_clear_error (&error);

  kdx_test_assert_head (f->store, head);
  raci = kdx_system_list_raci (f->store, uuid, &error);
  g_assert_cmpuint (raci->len, ==, 0);

  /* Valid: saved, by role then name, journaled. */
  g_ptr_array_remove_index (entries, 3);
  g_ptr_array_add (entries, raci_entry (f->people[3], KDX_RACI_INFORMED));
  g_assert_true (kdx_system_set_raci (f->store, uuid, entries, &error));
  g_assert_no_error (error);
  g_clear_pointer (&raci, g_ptr_array_unref);
  raci = kdx_system_list_raci (f->store, uuid, &error);
  g_assert_cmpuint (raci->len, ==, 4);
  {
    static const char *names[] = { "Anna Alt", "Cem Çelik", "Bernd Brück", "Dana Dorn" };
    static const KdxRaciRole roles[] = {
      KDX_RACI_RESPONSIBLE, KDX_RACI_ACCOUNTABLE, KDX_RACI_CONSULTED, KDX_RACI_INFORMED,
    };

    for (guint i = 0; i < raci->len; i++)
      {
        KdxSystemPerson *person = raci->pdata[i];

        g_assert_cmpstr (person->name, ==, names[i]);
        g_assert_cmpint (person->role, ==, roles[i]);
      }
  }
  assert_last_entry (f, uuid, "set-raci");
  entry = kdx_test_last_entry (f->store);
  g_assert_cmpstr (kdx_journal_entry_get_before (entry), ==, "[]");
  assert_contains (kdx_journal_entry_get_after (entry), "\"role\":\"A\"");

  /* An empty matrix is allowed: nobody assigned yet. */
  g_ptr_array_set_size (entries, 0);
  g_assert_true (kdx_system_set_raci (f->store, uuid, entries, &error));
  g_assert_no_error (error);
  g_clear_pointer (&raci, g_ptr_array_unref);
  raci = kdx_system_list_raci (f->store, uuid, &error);
  g_assert_cmpuint (raci->len, ==, 0);

  assert_chain_verifies (f);
}

/* ------------------------------------------------------------------ */
/* The customer notice                                                 */

static void
test_notice (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KdxSystem) calls = from_use_case (f, "Gesprächsanalyse", "call-analysis-customers");
  g_autoptr(KdxSystem) chat = from_use_case (f, "Frag Kodi", "sales-chatbot");
  g_autoptr(KdxSystem) persons = from_use_case (f, "Lead-Bewertung", "lead-scoring-persons");
  g_autoptr(KdxSystem) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *de = NULL;
  g_autofree char *en = NULL;
  g_autofree char *chat_de = NULL;
  g_autofree char *chat_en = NULL;
  g_autofree char *persons_de = NULL;
  g_autofree char *persons_en = NULL;
  g_autofree char *edited = NULL;

  kdx_system_set_business_owner (calls, f->people[0]);
  kdx_system_set_vendor (calls, "Tonwerk AG");
  g_assert_true (kdx_system_update (f->store, calls, &error));
  g_assert_no_error (error);

  /* German: organisation, that AI is used, for what, which data, how to
   * reach a human, how to object, emotion recognition, whom to ask. */
  de = kdx_system_generate_notice (f->store, calls, "de");
  g_test_message ("%s", de);
  assert_contains (de, "Testfirma GmbH");
  assert_contains (de, "künstliche Intelligenz");
  assert_contains (de, "„Gesprächsanalyse“ von Tonwerk AG");
  assert_contains (de, kdx_use_case_get_purpose (kdx_use_case_lookup ("call-analysis-customers"), "de"));
  assert_contains (de, "Ihre Kontaktdaten");
  assert_contains (de, "Aufzeichnungen Ihrer Stimme");
  assert_contains (de, "Einwilligung");
  assert_contains (de, "widerrufen");
  assert_contains (de, "Mensch");
  assert_contains (de, "Emotionen");
  assert_contains (de, "Art. 50 Abs. 3");
  assert_contains (de, "Anna Alt");
  g_assert_null (strstr (de, "your"));

  en = kdx_system_generate_notice (f->store, calls, "en");
  g_test_message ("%s", en);
  assert_contains (en, "Testfirma GmbH");
  assert_contains (en, "artificial intelligence");
  assert_contains (en, kdx_use_case_get_purpose (kdx_use_case_lookup ("call-analysis-customers"), "en"));
  assert_contains (en, "your contact details");
  assert_contains (en, "withdraw your consent");
  assert_contains (en, "a person reviews every result");
  assert_contains (en, "Art. 50(3)");
  assert_contains (en, "Anna Alt");
  g_assert_null (strstr (en, "Ihre"));

  /* A chatbot says that people talk to an AI. */
  chat_de = kdx_system_generate_notice (f->store, chat, "de");
  chat_en = kdx_system_generate_notice (f->store, chat, "en");
  assert_contains (chat_de, "mit einer KI");
  assert_contains (chat_en, "you are talking to an AI");
  g_assert_null (strstr (chat_en, "emotions"));

  /* Legitimate interests with opt-out: the right to object. */
  persons_de = kdx_system_generate_notice (f->store, persons, "de");
  persons_en = kdx_system_generate_notice (f->store, persons, "en");
  assert_contains (persons_de, "widersprechen (Art. 21 DSGVO)");
  assert_contains (persons_en, "object to this use of your data at any time (Art. 21 GDPR)");
  assert_contains (persons_en, "your activity on our website");
  assert_contains (persons_de, "Ihr Verhalten auf unserer Website");

  /* An edited notice replaces the generated one, per language. */
  g_free (de);
  de = kdx_system_dup_notice (f->store, calls, "de");
  g_assert_cmpstr (de, !=, NULL);
  kdx_system_set_notice (calls, "de", "Unser eigener Hinweis.");
  g_assert_true (kdx_system_update (f->store, calls, &error));
  g_assert_no_error (error);
  loaded = load (f, kdx_system_get_uuid (calls));
  edited = kdx_system_dup_notice (f->store, loaded, "de");
  g_assert_cmpstr (edited, ==, "Unser eigener Hinweis.");
  g_free (en);
  en = kdx_system_dup_notice (f->store, loaded, "en");
  assert_contains (en, "Testfirma GmbH");
}

static void
test_notice_html (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KdxSystem) system = create_system (f, "<script>alert('x')</script> & Co", NULL, NULL, NULL);
  g_autofree char *notice = kdx_system_generate_notice (f->store, system, "en");
  g_autofree char *html = kdx_notice_to_html (notice, kdx_system_get_name (system), "en");
  g_autofree char *de = kdx_notice_to_html ("Erster Absatz.\r\n\r\nZweiter\r\nAbsatz.", "Hinweis", "de");
  g_autofree char *hostile = kdx_notice_to_html ("Text", "Titel", "de\" onload=\"alert(1)");

  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>\n<html lang=\"en\">"));
  assert_contains (html, "<meta charset=\"utf-8\">");
  assert_contains (html, "<style>");
  g_assert_null (strstr (html, "<script>"));
  assert_contains (html, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; Co");
  assert_contains (html, "<title>&lt;script&gt;");
  assert_contains (html, "</body>\n</html>\n");

  assert_contains (de, "<html lang=\"de\">");
  assert_contains (de, "<h1>Hinweis</h1>");
  assert_contains (de, "<p>Erster Absatz.</p>\n<p>Zweiter<br>\nAbsatz.</p>");

  assert_contains (hostile, "<html lang=\"en\">");
  g_assert_null (strstr (hostile, "onload"));
}

/* ------------------------------------------------------------------ */
/* Everything survives closing and opening                             */

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(KdxSystem) loaded = NULL;
  g_autoptr(GPtrArray) entries = raci_new ();
  g_autoptr(GPtrArray) overseers = NULL;
  g_autoptr(GPtrArray) raci = NULL;
  g_autoptr(GPtrArray) obligations = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autofree char *head = NULL;
  guint n_created = 0;

  g_assert_true (kdx_policy_create_from_templates (f->store, "en", &n_created, &error));
  system = from_use_case (f, "Bonitätsprüfung", "credit-check");
  uuid = g_strdup (kdx_system_get_uuid (system));
  kdx_system_set_business_owner (system, f->people[1]);
  kdx_system_set_retention (system, "Sechs Monate");
  kdx_system_set_notice (system, "en", "Our own words.");
  g_assert_true (kdx_system_update (f->store, system, &error));
  g_assert_true (kdx_system_set_overseers (f->store, uuid, (const char *[]) { f->people[2], NULL },
                                           &error));
  g_ptr_array_add (entries, raci_entry (f->people[0], KDX_RACI_ACCOUNTABLE));
  g_ptr_array_add (entries, raci_entry (f->people[1], KDX_RACI_RESPONSIBLE));
  g_assert_true (kdx_system_set_raci (f->store, uuid, entries, &error));
  g_assert_no_error (error);
  loaded = load (f, uuid);
  json = kdx_system_to_json (loaded);
  head = kdx_test_journal_head (f->store);
  g_clear_object (&loaded);

  kdx_test_close (&f->store);
  f->store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);

  loaded = load (f, "SYS-001");
  json_again = kdx_system_to_json (loaded);
  g_assert_cmpstr (json_again, ==, json);
  g_assert_cmpint (kdx_system_get_risk (loaded), ==, KDX_RISK_HIGH);
  g_assert_cmpstr (kdx_system_get_business_owner_name (loaded), ==, "Bernd Brück");
  g_assert_cmpstr (kdx_system_get_notice (loaded, "en"), ==, "Our own words.");
  g_assert_null (kdx_system_get_notice (loaded, "de"));
  g_assert_cmpuint (kdx_system_get_n_policies (loaded), >, 0);
  overseers = kdx_system_list_overseers (f->store, uuid, &error);
  g_assert_cmpuint (overseers->len, ==, 1);
  raci = kdx_system_list_raci (f->store, uuid, &error);
  g_assert_cmpuint (raci->len, ==, 2);
  g_assert_cmpint (((KdxSystemPerson *) raci->pdata[1])->role, ==, KDX_RACI_ACCOUNTABLE);
  obligations = kdx_system_list_obligations (f->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (obligations->len, >, 3);
  kdx_test_assert_head (f->store, head);
  assert_chain_verifies (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/system/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create-update-trash", test_create_update_trash);
  ADD ("keys-and-names", test_keys_and_names);
  ADD ("bad-input", test_bad_input);
  ADD ("filters", test_filters);
  ADD ("filter-speed", test_filter_speed);
  ADD ("use-cases", test_use_cases);
  ADD ("suggested-policies", test_suggested_policies);
  ADD ("classify", test_classify);
  ADD ("obligations", test_obligations);
  ADD ("overseers", test_overseers);
  ADD ("raci", test_raci);
  ADD ("notice", test_notice);
  ADD ("notice-html", test_notice_html);
  ADD ("reopen", test_reopen);

  return g_test_run ();
}
