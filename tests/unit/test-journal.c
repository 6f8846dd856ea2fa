/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The journal: one entry per change with who, what, before and after; a
 * hash chain that names the first entry edited outside Kodex; truncation
 * caught against a printed head; the filtered list the journal page shows.
 */
#define G_LOG_DOMAIN "kdx-test-journal"

#include "config.h"

#include "kdx-test-util.h"

#include <json-glib/json-glib.h>

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = kdx_test_make_dir ();
  f->path = g_build_filename (f->dir, "Journal.kodex", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kdx_test_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (json);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  g_assert_true (json_object_has_member (object, name));

  return json_object_get_string_member_with_default (object, name, NULL);
}

/* The workspace every test below starts from; entry ids are fixed:
 *
 *   1 workspace create   2–4 settings organisation, language, quorum
 *   5 create Petra (no actor yet)          — from here on Petra acts —
 *   6 create Jonas   7 create Zoë   8 update Jonas   9 setting quorum
 *  10 delete Zoë    11 restore Zoë 12 update Zoë
 */
#define N_ENTRIES 12

static void
build_journal (const char *path)
{
  g_autoptr(KdxStore) store = kdx_test_create (path);
  g_autoptr(KdxPerson) petra = NULL;
  g_autoptr(KdxPerson) jonas = NULL;
  g_autoptr(KdxPerson) zoe = NULL;
  g_autoptr(GError) error = NULL;

  petra = kdx_test_add_person (store, "Petra Engel", "petra.engel@example.org",
                               "Recht & Compliance", "Vorsitz Ethikgremium");
  kdx_store_set_actor (store, kdx_person_get_uuid (petra));
  jonas = kdx_test_add_person (store, "Jonas Weber", "jonas.weber@example.org",
                               "Vertrieb Innendienst", NULL);
  zoe = kdx_test_add_person (store, "Zoë Quux", NULL, "Marketing", "Content-Managerin");
  kdx_person_set_role (jonas, "Vertriebsmitarbeiter");
  g_assert_true (kdx_person_update (store, jonas, &error));
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:4", &error));
  g_assert_true (kdx_person_trash (store, kdx_person_get_uuid (zoe), &error));
  g_assert_true (kdx_person_restore (store, kdx_person_get_uuid (zoe), &error));
  {
    g_autoptr(KdxPerson) restored = kdx_person_load (store, kdx_person_get_uuid (zoe), &error);

    g_assert_no_error (error);
    g_set_object (&zoe, restored);
  }
  kdx_person_set_department (zoe, "Marketing & Kommunikation");
  g_assert_true (kdx_person_update (store, zoe, &error));
  g_assert_no_error (error);

  g_assert_cmpint (kdx_test_journal_length (store), ==, N_ENTRIES);
  kdx_test_close (&store);
}

/* ------------------------------------------------------------------ */
/* Entries                                                            */

static KdxJournalEntry *
assert_one_more (KdxStore   *store,
                 gint64     *length,
                 const char *entity,
                 const char *entity_id,
                 const char *action)
{
  KdxJournalEntry *entry;

  g_assert_cmpint (kdx_test_journal_length (store), ==, *length + 1);
  *length += 1;
  entry = kdx_test_last_entry (store);
  g_assert_cmpint (kdx_journal_entry_get_id (entry), ==, *length);
  g_assert_cmpstr (kdx_journal_entry_get_entity (entry), ==, entity);
  g_assert_cmpstr (kdx_journal_entry_get_entity_id (entry), ==, entity_id);
  g_assert_cmpstr (kdx_journal_entry_get_action (entry), ==, action);
  g_assert_cmpstr (kdx_journal_entry_get_os_user (entry), ==, g_get_user_name ());
  g_assert_cmpuint (strlen (kdx_journal_entry_get_hash (entry)), ==, 64);

  /* An ISO 8601 time in UTC, now. */
  {
    g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (kdx_journal_entry_get_time (entry),
                                                             NULL);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_nonnull (time);
    g_assert_cmpint (ABS (g_date_time_difference (now, time)), <, 60 * G_USEC_PER_SEC);
    g_assert_true (g_str_has_suffix (kdx_journal_entry_get_time (entry), "Z"));
  }

  return entry;
}

static void
test_entries (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KdxStore) store = kdx_test_create (f->path);
  g_autoptr(KdxPerson) petra = NULL;
  g_autoptr(KdxPerson) jonas = NULL;
  g_autoptr(KdxPerson) bad = NULL;
  g_autoptr(GError) error = NULL;
  gint64 length;

  /* Creating the workspace is the first entry. */
  {
    g_autoptr(KdxJournalEntry) first = kdx_journal_load (store, 1);

    g_assert_nonnull (first);
    g_assert_cmpstr (kdx_journal_entry_get_entity (first), ==, "workspace");
    g_assert_cmpstr (kdx_journal_entry_get_action (first), ==, "create");
    g_assert_cmpstr (kdx_journal_entry_get_summary (first), ==, "Testfirma GmbH");
  }
  length = kdx_test_journal_length (store);

  /* No actor chosen yet: only the OS user is recorded. */
  petra = kdx_test_add_person (store, "Petra Engel", "petra.engel@example.org", NULL, NULL);
  {
    g_autoptr(KdxJournalEntry) e = assert_one_more (store, &length, "person",
                                                    kdx_person_get_uuid (petra), "create");
    g_autoptr(JsonObject) after = parse_object (kdx_journal_entry_get_after (e));

    g_assert_null (kdx_journal_entry_get_actor (e));
    g_assert_null (kdx_journal_entry_get_actor_name (e));
    g_assert_null (kdx_journal_entry_get_before (e));
    g_assert_cmpstr (string_member (after, "name"), ==, "Petra Engel");
    g_assert_cmpstr (string_member (after, "email"), ==, "petra.engel@example.org");
    g_assert_cmpstr (kdx_journal_entry_get_summary (e), ==, "Petra Engel");
  }

  /* Acting as Petra: her id and her name are recorded. */
  kdx_store_set_actor (store, kdx_person_get_uuid (petra));
  {
    g_autofree char *name = kdx_store_dup_actor_name (store);
    g_assert_cmpstr (name, ==, "Petra Engel");
  }
  jonas = kdx_test_add_person (store, "Jonas Weber", NULL, "Vertrieb Innendienst", NULL);
  {
    g_autoptr(KdxJournalEntry) e = assert_one_more (store, &length, "person",
                                                    kdx_person_get_uuid (jonas), "create");

    g_assert_cmpstr (kdx_journal_entry_get_actor (e), ==, kdx_person_get_uuid (petra));
    g_assert_cmpstr (kdx_journal_entry_get_actor_name (e), ==, "Petra Engel");
  }

  /* An update records before and after. */
  kdx_person_set_role (jonas, "Vertriebsmitarbeiter");
  g_assert_true (kdx_person_update (store, jonas, &error));
  g_assert_no_error (error);
  {
    g_autoptr(KdxJournalEntry) e = assert_one_more (store, &length, "person",
                                                    kdx_person_get_uuid (jonas), "update");
    g_autoptr(JsonObject) before = parse_object (kdx_journal_entry_get_before (e));
    g_autoptr(JsonObject) after = parse_object (kdx_journal_entry_get_after (e));

    g_assert_null (string_member (before, "role"));
    g_assert_cmpstr (string_member (after, "role"), ==, "Vertriebsmitarbeiter");
    g_assert_cmpstr (string_member (before, "name"), ==, "Jonas Weber");
  }

  /* Saving without a change, or a refused change, writes no entry. */
  g_assert_true (kdx_person_update (store, jonas, &error));
  g_assert_cmpint (kdx_test_journal_length (store), ==, length);
  bad = kdx_person_copy (jonas);
  kdx_person_set_email (bad, "jonas at example");
  g_assert_false (kdx_person_update (store, bad, &error));
  g_assert_error (error, KDX_PERSON_ERROR, KDX_PERSON_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (kdx_test_journal_length (store), ==, length);

  /* Delete and restore. */
  g_assert_true (kdx_person_trash (store, kdx_person_get_uuid (jonas), &error));
  {
    g_autoptr(KdxJournalEntry) e = assert_one_more (store, &length, "person",
                                                    kdx_person_get_uuid (jonas), "delete");
    g_autoptr(JsonObject) before = parse_object (kdx_journal_entry_get_before (e));
    g_autoptr(JsonObject) after = parse_object (kdx_journal_entry_get_after (e));

    g_assert_null (string_member (before, "trashed"));
    g_assert_nonnull (string_member (after, "trashed"));
  }
  g_assert_true (kdx_person_restore (store, kdx_person_get_uuid (jonas), &error));
  g_object_unref (assert_one_more (store, &length, "person",
                                                          kdx_person_get_uuid (jonas),
                                                          "restore"));

  /* Settings. */
  g_assert_true (kdx_store_set_setting (store, "language", "en", &error));
  g_object_unref (assert_one_more (store, &length, "setting", "language",
                                                          "update"));

  /* Two changes in one transaction: two entries; a rolled-back one: none. */
  g_assert_true (kdx_store_begin (store, &error));
  g_object_unref (kdx_test_add_person (store, "Carla Chor", NULL, NULL, NULL));
  g_object_unref (kdx_test_add_person (store, "Dora Dach", NULL, NULL, NULL));
  g_assert_true (kdx_store_commit (store, &error));
  g_assert_cmpint (kdx_test_journal_length (store), ==, length + 2);
  length += 2;
  g_assert_true (kdx_store_begin (store, &error));
  g_object_unref (kdx_test_add_person (store, "Emil Eis", NULL, NULL, NULL));
  kdx_store_rollback (store);
  g_assert_cmpint (kdx_test_journal_length (store), ==, length);

  /* The journal keeps the name the actor had then. */
  kdx_person_set_name (petra, "Petra Engel-Schulz");
  g_assert_true (kdx_person_update (store, petra, &error));
  g_object_unref (assert_one_more (store, &length, "person",
                                                          kdx_person_get_uuid (petra),
                                                          "update"));
  {
    g_autoptr(KdxJournalEntry) old = kdx_journal_load (store, 6);
    g_autoptr(KdxJournalEntry) last = kdx_test_last_entry (store);

    g_assert_cmpstr (kdx_journal_entry_get_actor_name (old), ==, "Petra Engel");
    g_assert_cmpstr (kdx_journal_entry_get_actor_name (last), ==, "Petra Engel-Schulz");
  }

  g_assert_true (kdx_journal_verify (store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kdx_test_close (&store);
}

static void
test_verify_clean (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *upper = NULL;
  gint64 first_bad = -1, checked = 0, count = 0;

  kdx_test_from_template (build_journal, f->path);
  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);

  g_assert_true (kdx_journal_verify (store, 0, NULL, &first_bad, &checked, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_bad, ==, 0);
  g_assert_cmpint (checked, ==, N_ENTRIES);

  /* Against the head a report printed (in either case of hex digits). */
  g_assert_true (kdx_journal_get_head (store, &count, &hash));
  g_assert_cmpint (count, ==, N_ENTRIES);
  g_assert_true (kdx_journal_verify (store, count, hash, &first_bad, NULL, NULL, &error));
  g_assert_no_error (error);
  upper = g_ascii_strup (hash, -1);
  g_assert_true (kdx_journal_verify (store, count, upper, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A head that this journal never had. */
  hash[10] = hash[10] == '0' ? '1' : '0';
  g_assert_false (kdx_journal_verify (store, count, hash, &first_bad, NULL, NULL, &error));
  g_assert_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_BROKEN_CHAIN);
  g_assert_cmpint (first_bad, ==, N_ENTRIES);
  kdx_test_close (&store);
}

/* ------------------------------------------------------------------ */
/* Tampering with the sqlite3 shell                                   */

typedef enum
{
  TAMPER_BYTE,     /* flip one byte of @column in entry @id */
  TAMPER_DELETE,   /* delete entry @id */
  TAMPER_SWAP,     /* swap the ids of entries @id and @other */
  TAMPER_COPY,     /* a copy of entry @id as entry @other */
} TamperKind;

typedef struct
{
  const char *name;
  TamperKind  kind;
  gint64      id;
  const char *column;
  gint64      other;
  gint64      first_bad;
  int         code;
} Tamper;

static const Tamper tampers[] = {
  { "before", TAMPER_BYTE, 8, "before", 0, 8, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "after", TAMPER_BYTE, 7, "after", 0, 7, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "summary", TAMPER_BYTE, 6, "summary", 0, 6, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "time", TAMPER_BYTE, 5, "time", 0, 5, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "actor-name", TAMPER_BYTE, 9, "actor_name", 0, 9, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "actor", TAMPER_BYTE, 9, "actor", 0, 9, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "os-user", TAMPER_BYTE, 3, "os_user", 0, 3, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "entity", TAMPER_BYTE, 10, "entity", 0, 10, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "entity-id", TAMPER_BYTE, 11, "entity_id", 0, 11, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "action", TAMPER_BYTE, 10, "action", 0, 10, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "hash", TAMPER_BYTE, 4, "hash", 0, 4, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "last-entry", TAMPER_BYTE, 12, "after", 0, 12, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "first-entry", TAMPER_BYTE, 1, "summary", 0, 1, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "delete", TAMPER_DELETE, 7, NULL, 0, 7, KDX_JOURNAL_ERROR_MISSING_ENTRY },
  { "delete-first", TAMPER_DELETE, 1, NULL, 0, 1, KDX_JOURNAL_ERROR_MISSING_ENTRY },
  { "swap", TAMPER_SWAP, 6, NULL, 8, 6, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "swap-neighbours", TAMPER_SWAP, 10, NULL, 11, 10, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  /* Where a parallel recomputation splits the journal of 12 entries into
   * stretches (after 3, 6 and 9 in four stretches, after 6 in two). */
  { "delete-stretch-end", TAMPER_DELETE, 3, NULL, 0, 3, KDX_JOURNAL_ERROR_MISSING_ENTRY },
  { "delete-stretch-start", TAMPER_DELETE, 4, NULL, 0, 4, KDX_JOURNAL_ERROR_MISSING_ENTRY },
  { "delete-middle-end", TAMPER_DELETE, 6, NULL, 0, 6, KDX_JOURNAL_ERROR_MISSING_ENTRY },
  { "hash-stretch-end", TAMPER_BYTE, 6, "hash", 0, 6, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "swap-across", TAMPER_SWAP, 6, NULL, 7, 6, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  { "swap-far", TAMPER_SWAP, 2, NULL, 11, 2, KDX_JOURNAL_ERROR_BROKEN_CHAIN },
  /* An entry before the first, and one after the last. */
  { "negative-id", TAMPER_COPY, 5, NULL, -5, 1, KDX_JOURNAL_ERROR_MISSING_ENTRY },
  { "gap-at-end", TAMPER_COPY, 12, NULL, 14, 13, KDX_JOURNAL_ERROR_MISSING_ENTRY },
};

/* How the chain is recomputed: from the start in one go, or in parallel
 * stretches (as for large journals). Each must name the same entry. */
static const guint stretch_counts[] = { 1, 2, 3, 4 };

/* Changes one ASCII character in the middle of the value, keeping it
 * valid UTF-8 and the same length. */
static void
flip_byte (sqlite3    *db,
           gint64      id,
           const char *column)
{
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM journal WHERE id = %" G_GINT64_FORMAT,
                                             column, id);
  g_autofree char *update = g_strdup_printf ("UPDATE journal SET %s = ?1 WHERE id = %"
                                             G_GINT64_FORMAT, column, id);
  g_autofree char *value = kdx_test_db_text (db, select);
  sqlite3_stmt *stmt = NULL;
  gsize i;

  g_assert_nonnull (value);
  for (i = strlen (value) / 2; value[i] != '\0' && !g_ascii_isalnum (value[i]); i++)
    ;
  g_assert_cmpint (value[i], !=, '\0');
  value[i] = value[i] == 'a' ? 'b' : (g_ascii_isdigit (value[i]) ? (value[i] == '0' ? '1' : '0')
                                                                 : 'a');

  g_assert_cmpint (sqlite3_prepare_v2 (db, update, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
}

static void
test_tamper (gconstpointer data)
{
  const Tamper *t = data;
  Fixture f = { 0 };
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 first_bad = 0;
  sqlite3 *db;

  fixture_set_up (&f, NULL);
  kdx_test_from_template (build_journal, f.path);

  db = kdx_test_raw_open (f.path);
  switch (t->kind)
    {
    case TAMPER_BYTE:
      flip_byte (db, t->id, t->column);
      break;
    case TAMPER_DELETE:
      sql = g_strdup_printf ("DELETE FROM journal WHERE id = %" G_GINT64_FORMAT, t->id);
      kdx_test_db_exec (db, sql);
      break;
    case TAMPER_SWAP:
      sql = g_strdup_printf ("UPDATE journal SET id = -1 WHERE id = %" G_GINT64_FORMAT ";"
                             "UPDATE journal SET id = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT ";"
                             "UPDATE journal SET id = %" G_GINT64_FORMAT " WHERE id = -1;",
                             t->id, t->id, t->other, t->other);
      kdx_test_db_exec (db, sql);
      break;
    case TAMPER_COPY:
      sql = g_strdup_printf ("INSERT INTO journal SELECT %" G_GINT64_FORMAT ", time, os_user, actor,"
                             " actor_name, entity, entity_id, action, summary, before, after, hash"
                             " FROM journal WHERE id = %" G_GINT64_FORMAT, t->other, t->id);
      kdx_test_db_exec (db, sql);
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  store = kdx_test_open (f.path, KDX_STORE_OPEN_READ_ONLY);
  for (guint i = 0; i < G_N_ELEMENTS (stretch_counts); i++)
    {
      gint64 checked = -1;

      _kdx_journal_set_parallel (stretch_counts[i] > 1 ? 2 : G_MAXINT64, stretch_counts[i]);
      first_bad = 0;
      g_assert_false (kdx_journal_verify (store, 0, NULL, &first_bad, &checked, NULL, &error));
      g_assert_error (error, KDX_JOURNAL_ERROR, t->code);
      g_assert_cmpint (first_bad, ==, t->first_bad);
      g_assert_cmpint (checked, ==, t->first_bad - 1);
      /* The message names the entry, so that an auditor can look it up. */
      {
        g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, t->first_bad);
        g_assert_nonnull (strstr (error->message, number));
      }
      g_clear_error (&error);
    }
  _kdx_journal_set_parallel (0, 0);
  kdx_test_close (&store);

  fixture_tear_down (&f, NULL);
}

/* The last entries cut off leave a chain that verifies on its own (the
 * printed head catches it, below), also in stretches. */
static void
test_verify_stretches (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;

  kdx_test_from_template (build_journal, f->path);
  kdx_test_raw_exec (f->path, "DELETE FROM journal WHERE id > 10");
  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  for (guint i = 0; i < G_N_ELEMENTS (stretch_counts); i++)
    {
      gint64 first_bad = -1, checked = 0;

      _kdx_journal_set_parallel (2, stretch_counts[i]);
      g_assert_true (kdx_journal_verify (store, 0, NULL, &first_bad, &checked, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (first_bad, ==, 0);
      g_assert_cmpint (checked, ==, 10);
    }
  _kdx_journal_set_parallel (0, 0);
  kdx_test_close (&store);
}

/* kodex-cli verify: the file's check and the chain side by side; a damaged
 * file is reported as damaged even when its chain is intact. */
static void
test_verify_workspace (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  gint64 first_bad = -1, checked = 0;

  kdx_test_from_template (build_journal, f->path);
  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_true (kdx_journal_verify_workspace (store, 0, NULL, report, &first_bad, &checked,
                                               NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report->str, ==, "");
  g_assert_cmpint (checked, ==, N_ENTRIES);
  kdx_test_close (&store);

  /* The chain broken, the file sound. */
  {
    sqlite3 *db = kdx_test_raw_open (f->path);

    flip_byte (db, 8, "summary");
    g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  }
  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_false (kdx_journal_verify_workspace (store, 0, NULL, report, &first_bad, NULL,
                                                NULL, &error));
  g_assert_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_BROKEN_CHAIN);
  g_assert_cmpint (first_bad, ==, 8);
  g_assert_cmpstr (report->str, ==, "");
  g_clear_error (&error);
  kdx_test_close (&store);

  /* A manager who is not there: the file fails its check, whatever the
   * chain says. */
  kdx_test_raw_exec (f->path, "PRAGMA foreign_keys = OFF;"
                              "UPDATE person SET manager_id = 4711 WHERE id = 2");
  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_false (kdx_journal_verify_workspace (store, 0, NULL, report, &first_bad, NULL,
                                                NULL, &error));
  g_assert_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED);
  g_assert_cmpint (first_bad, ==, 0);
  g_assert_nonnull (strstr (report->str, "person"));
  kdx_test_close (&store);
}

/* Verification hashes with the processor's SHA extensions where it has
 * them: the same digests as GChecksum, across every padding boundary. */
static void
test_sha256 (void)
{
  static const struct { const char *text, *hex; } vectors[] = {
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4711);
  char data[1000];

  if (!_kdx_journal_sha256_has_hardware ())
    g_test_message ("no SHA extensions here: only GChecksum is checked");

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    for (int hardware = 0; hardware < 2; hardware++)
      {
        char hex[65];

        _kdx_journal_sha256_hex (vectors[i].text, strlen (vectors[i].text), hardware, hex);
        g_assert_cmpstr (hex, ==, vectors[i].hex);
      }

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (char) g_rand_int_range (rand, 0, 256);
  for (gsize length = 0; length <= sizeof data; length += length < 300 ? 1 : 37)
    {
      g_autofree char *expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                               (const guchar *) data, length);
      char hex[65];

      _kdx_journal_sha256_hex (data, length, TRUE, hex);
      g_assert_cmpstr (hex, ==, expected);
    }
}

/* ------------------------------------------------------------------ */
/* Truncation                                                         */

static void
test_truncate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 count = 0, first_bad = 0, checked = 0;

  kdx_test_from_template (build_journal, f->path);
  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  g_assert_true (kdx_journal_get_head (store, &count, &hash));
  kdx_test_close (&store);

  /* The last three entries cut off. */
  kdx_test_raw_exec (f->path, "DELETE FROM journal WHERE id > 9");

  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  /* What is left is a consistent chain… */
  g_assert_true (kdx_journal_verify (store, 0, NULL, &first_bad, &checked, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, ==, N_ENTRIES - 3);
  /* …but not the one the report printed. */
  g_assert_false (kdx_journal_verify (store, count, hash, &first_bad, NULL, NULL, &error));
  g_assert_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_TRUNCATED);
  g_assert_cmpint (first_bad, ==, N_ENTRIES - 2);
  g_clear_error (&error);
  kdx_test_close (&store);

  /* Cutting and then writing new entries in their place is caught too. */
  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("Ersatz %u", i);
      g_object_unref (kdx_test_add_person (store, name, NULL, NULL, NULL));
    }
  g_assert_true (kdx_journal_verify (store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (kdx_journal_verify (store, count, hash, &first_bad, NULL, NULL, &error));
  g_assert_error (error, KDX_JOURNAL_ERROR, KDX_JOURNAL_ERROR_BROKEN_CHAIN);
  g_assert_cmpint (first_bad, ==, count);
  kdx_test_close (&store);
}

/* A head printed on an older report stays valid while the journal grows. */
static void
test_head_after_growth (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 count = 0;

  kdx_test_from_template (build_journal, f->path);
  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  g_assert_true (kdx_journal_get_head (store, &count, &hash));
  g_object_unref (kdx_test_add_person (store, "Neu Nach Bericht", NULL, NULL, NULL));
  g_assert_true (kdx_store_set_setting (store, "quorum", "all", &error));
  g_assert_true (kdx_journal_verify (store, count, hash, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kdx_test_close (&store);
}

/* ------------------------------------------------------------------ */
/* The journal page's list                                            */

static gint64
item_id (GListModel *model,
         guint       position)
{
  g_autoptr(KdxJournalEntry) entry = g_list_model_get_item (model, position);

  g_assert_nonnull (entry);

  return kdx_journal_entry_get_id (entry);
}

typedef struct
{
  const char *entity;
  const char *actor;
  const char *search;
  const char *from;
  const char *until;
  guint       n;
  gint64      first;   /* id of the newest match */
  gint64      last;    /* id of the oldest match */
} FilterCase;

static gint64
iso_to_unix (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;

  if (iso == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (dt);

  return g_date_time_to_unix (dt);
}

static void
test_model (Fixture       *f,
            gconstpointer  data)
{
  /* Entries 1–4 were written on 15 June 2020, the others now. */
  static const FilterCase cases[] = {
    { NULL, NULL, NULL, NULL, NULL, N_ENTRIES, 12, 1 },
    { "person", NULL, NULL, NULL, NULL, 7, 12, 5 },
    { "setting", NULL, NULL, NULL, NULL, 4, 9, 2 },
    { "workspace", NULL, NULL, NULL, NULL, 1, 1, 1 },
    { "policy", NULL, NULL, NULL, NULL, 0, 0, 0 },
    { NULL, "engel", NULL, NULL, NULL, 7, 12, 6 },
    { NULL, "Petra Engel", NULL, NULL, NULL, 7, 12, 6 },
    { NULL, NULL, "Zoë", NULL, NULL, 4, 12, 7 },
    { NULL, NULL, "Jonas Weber", NULL, NULL, 2, 8, 6 },
    { NULL, NULL, "majority:4", NULL, NULL, 1, 9, 9 },
    { NULL, NULL, "Vertriebsmitarbeiter", NULL, NULL, 1, 8, 8 },
    /* Wildcards of LIKE are plain characters here. */
    { NULL, NULL, "%", NULL, NULL, 0, 0, 0 },
    /* (A lone "_" is a plain character too, but JSON keys such as
     * employee_id hold one: "_x_" would match "Max" as a LIKE pattern.) */
    { NULL, NULL, "_x_", NULL, NULL, 0, 0, 0 },
    { NULL, NULL, "\\", NULL, NULL, 0, 0, 0 },
    { NULL, NULL, "'; DROP TABLE journal; --", NULL, NULL, 0, 0, 0 },
    { NULL, NULL, NULL, "2020-06-01T00:00:00Z", "2020-07-01T00:00:00Z", 4, 4, 1 },
    { NULL, NULL, NULL, "2020-06-15T10:00:00Z", NULL, N_ENTRIES, 12, 1 },
    { NULL, NULL, NULL, NULL, "2020-06-15T10:00:00Z", 0, 0, 0 },
    { NULL, NULL, NULL, "2021-01-01T00:00:00Z", NULL, 8, 12, 5 },
    { "setting", NULL, NULL, "2021-01-01T00:00:00Z", NULL, 1, 9, 9 },
    { "person", "engel", NULL, NULL, NULL, 6, 12, 6 },
    { "person", "engel", "Zoë", NULL, NULL, 4, 12, 7 },
  };
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GListModel) model = NULL;
  g_auto(GStrv) entities = NULL;
  g_autofree char *os_user = g_ascii_strdown (g_get_user_name (), -1);

  kdx_test_from_template (build_journal, f->path);
  kdx_test_raw_exec (f->path,
                     "UPDATE journal SET time = '2020-06-15T10:00:00.000000Z' WHERE id <= 4");
  /* The actor filter also matches the OS user; make sure it cannot here. */
  g_assert_null (strstr (os_user, "engel"));

  store = kdx_test_open (f->path, KDX_STORE_OPEN_READ_ONLY);
  model = kdx_journal_model_new (store);
  g_assert_true (g_list_model_get_item_type (model) == KDX_TYPE_JOURNAL_ENTRY);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const FilterCase *c = &cases[i];
      KdxJournalFilter filter = {
        .entity = (char *) c->entity,
        .actor = (char *) c->actor,
        .search = (char *) c->search,
        .from_unix = iso_to_unix (c->from),
        .until_unix = iso_to_unix (c->until),
      };
      guint n;

      g_test_message ("filter %u: entity %s, actor %s, search %s, %s … %s", i, c->entity,
                      c->actor, c->search, c->from, c->until);
      kdx_journal_model_set_filter (model, &filter);
      n = g_list_model_get_n_items (model);
      g_assert_cmpuint (n, ==, c->n);
      g_assert_null (g_list_model_get_item (model, n));
      if (n == 0)
        continue;

      /* Newest first. */
      g_assert_cmpint (item_id (model, 0), ==, c->first);
      g_assert_cmpint (item_id (model, n - 1), ==, c->last);
      for (guint j = 1; j < n; j++)
        g_assert_cmpint (item_id (model, j - 1), >, item_id (model, j));
    }

  /* An OS user's name finds every entry made under it. */
  {
    KdxJournalFilter filter = { .actor = (char *) g_get_user_name () };

    kdx_journal_model_set_filter (model, &filter);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ENTRIES);
  }

  entities = kdx_journal_dup_entities (store);
  g_assert_cmpuint (g_strv_length (entities), ==, 3);
  g_assert_cmpstr (entities[0], ==, "person");
  g_assert_cmpstr (entities[1], ==, "setting");
  g_assert_cmpstr (entities[2], ==, "workspace");

  g_assert_finalize_object (g_steal_pointer (&model));
  kdx_test_close (&store);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_signals)
{
  (*n_signals)++;
}

/* An open journal page shows a new entry when it is written. */
static void
test_model_follows (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GListModel) model = NULL;
  KdxJournalFilter filter = { .entity = (char *) "person" };
  guint n_signals = 0;

  kdx_test_from_template (build_journal, f->path);
  store = kdx_test_open (f->path, KDX_STORE_OPEN_DEFAULT);
  model = kdx_journal_model_new (store);
  kdx_journal_model_set_filter (model, &filter);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  g_assert_cmpint (item_id (model, 0), ==, 12);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &n_signals);

  /* One transaction, one refresh: the rows go and come back (a removal and
   * an addition, so that selection models need not search the new rows). */
  g_object_unref (kdx_test_add_person (store, "Neu Hinzu", NULL, NULL, NULL));
  g_assert_cmpuint (n_signals, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 8);
  g_assert_cmpint (item_id (model, 0), ==, N_ENTRIES + 1);

  g_assert_finalize_object (g_steal_pointer (&model));
  kdx_test_close (&store);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/kdx/journal/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("entries", test_entries);
  g_test_add_func ("/kdx/journal/sha256", test_sha256);
  ADD ("verify/clean", test_verify_clean);
  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/journal/verify/tamper/%s", tampers[i].name);
      g_test_add_data_func (path, &tampers[i], test_tamper);
    }
  ADD ("verify/stretches", test_verify_stretches);
  ADD ("verify/workspace", test_verify_workspace);
  ADD ("verify/truncated", test_truncate);
  ADD ("verify/head-after-growth", test_head_after_growth);
  ADD ("model/filter", test_model);
  ADD ("model/follows", test_model_follows);

#undef ADD

  {
    int rc = g_test_run ();

    kdx_test_templates_clear ();
    return rc;
  }
}
