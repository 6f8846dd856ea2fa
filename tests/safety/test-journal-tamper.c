/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Journal tampering (SAFETY.md "Journal"): a journal of 10,000 entries is
 * edited behind Kodex's back with the sqlite3 shell, on copies: single-byte
 * edits at random entries and columns, a deleted entry, two swapped
 * entries, the last entries cut off. `kodex-cli verify` must detect every
 * one (exit 1) and name the first bad entry; the cut is detected against
 * the head that `kodex-cli info --json` printed before. Short: 100 edits;
 * long: 1000.
 */
#include "config.h"

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-store-private.h"
#include "safety-common.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_ENTRIES 10000

static const char *columns[] = {
  "time", "os_user", "actor", "actor_name", "entity", "entity_id", "action", "summary",
  "before", "after", "hash",
};

typedef struct
{
  char   *dir;
  char   *path;     /* the untouched workspace */
  char   *copy;     /* the one being tampered with */
  char   *sqlite3;  /* the shell */
  gint64  count;    /* head, from kodex-cli info --json */
  char   *head;
} Fixture;

static Fixture fixture;

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static Run
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(SafetyChild) child = NULL;
  Run result;
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  child = safety_child_spawn ((const char * const *) argv->pdata, FALSE, NULL);
  result.status = safety_child_wait (child);
  result.out = g_strdup (child->out->str);
  result.err = g_strdup (child->err->str);

  return result;
}

static const char *
cli (void)
{
  const char *path = g_getenv ("KODEX_CLI");

  g_assert_nonnull (path);
  return path;
}

/* The sqlite3 shell edits a copy; it must have worked. */
static void
shell_on (const char *copy,
          const char *sql)
{
  /* Without fsync: the copy was just written, and flushing it all to
   * the disk for every edit would only make the test slow. */
  Run r = run (fixture.sqlite3, "-bail", "-cmd", "PRAGMA synchronous = OFF", copy, sql, NULL);

  if (!WIFEXITED (r.status) || WEXITSTATUS (r.status) != 0 || r.err[0] != '\0')
    g_error ("sqlite3 “%s”: %s", sql, r.err);
  run_clear (&r);
}

static void
shell (const char *sql)
{
  shell_on (fixture.copy, sql);
}

static void
fresh_copy (void)
{
  safety_remove_workspace (fixture.copy);
  safety_copy_file (fixture.path, fixture.copy);
}

/* kodex-cli verify must fail and name @first_bad. */
static void
assert_detected (gint64      first_bad,
                 const char *head,
                 const char *what)
{
  g_autofree char *named = g_strdup_printf ("entry %" G_GINT64_FORMAT " ", first_bad);
  Run r = head ? run (cli (), "verify", fixture.copy, "--head", head, NULL)
               : run (cli (), "verify", fixture.copy, NULL);

  if (!WIFEXITED (r.status) || WEXITSTATUS (r.status) != 1)
    g_error ("%s was not detected: kodex-cli verify said %s%s", what, r.out, r.err);
  if (strstr (r.err, named) == NULL)
    g_error ("%s: kodex-cli verify did not name entry %" G_GINT64_FORMAT ": %s", what,
             first_bad, r.err);
  run_clear (&r);
}

static void
make_journal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *journal;
  Run r;
  gint64 entries;

  fixture.dir = safety_make_dir ("journal");
  fixture.path = g_build_filename (fixture.dir, "journal.kodex", NULL);
  fixture.copy = g_build_filename (fixture.dir, "tampered.kodex", NULL);

  /* A few big transactions: people (the later ones with an actor), then
   * changes of a setting, with before and after. */
  store = kdx_store_create (fixture.path, "Prüfpfad AG", "de", &error);
  g_assert_no_error (error);
  safety_insert_people (store, 1000, "first");
  {
    g_autoptr(KdxPerson) actor = kdx_person_find (store, "first.0@example.org", &error);

    g_assert_no_error (error);
    kdx_store_set_actor (store, kdx_person_get_uuid (actor));
  }
  safety_insert_people (store, 1000, "second");
  while (kdx_store_count (store, "SELECT count(*) FROM journal") < N_ENTRIES)
    {
      gboolean ok = kdx_store_begin (store, &error);

      g_assert_no_error (error);
      g_assert_true (ok);
      for (guint i = 0; i < 2000; i++)
        {
          g_autofree char *value = g_strdup_printf ("majority:%u", 3 + i % 5);

          kdx_store_set_setting (store, i % 3 ? "quorum" : "organisation",
                                 i % 3 ? value : (i % 2 ? "Prüfpfad AG" : "Prüfpfad SE"), &error);
          g_assert_no_error (error);
        }
      kdx_store_commit (store, &error);
      g_assert_no_error (error);
    }
  entries = kdx_store_count (store, "SELECT count(*) FROM journal");
  kdx_store_close (store);

  /* The head, as a report prints it. */
  r = run (cli (), "info", "--json", fixture.path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  journal = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "journal");
  fixture.count = json_object_get_int_member (journal, "entries");
  fixture.head = g_strdup (json_object_get_string_member (journal, "head"));
  g_assert_cmpint (fixture.count, ==, entries);
  g_assert_cmpint (fixture.count, >=, N_ENTRIES);
  g_assert_cmpuint (strlen (fixture.head), ==, 64);
  run_clear (&r);
}

static char *
head_arg (void)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%s", fixture.count, fixture.head);
}

/* The untouched journal verifies, with and without the head. */
static void
test_journal_intact (void)
{
  g_autofree char *head = head_arg ();
  g_autofree char *ok = g_strdup_printf ("%" G_GINT64_FORMAT " journal entries verified",
                                         fixture.count);
  Run r;

  fresh_copy ();
  r = run (cli (), "verify", fixture.copy, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, ok));
  run_clear (&r);

  r = run (cli (), "verify", fixture.copy, "--head", head, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  /* The sqlite3 shell's own round trip leaves it intact too. */
  shell ("UPDATE journal SET summary = summary WHERE id = 1");
  r = run (cli (), "verify", fixture.copy, "--head", head, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
}

static char *
raw_text (sqlite3    *db,
          gint64      id,
          const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM journal WHERE id = ?1", column);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/* One edit, on its own copy, waiting for kodex-cli verify. */
typedef struct
{
  char        *copy;
  gint64       id;
  guint        column;
  SafetyChild *verify;
} Edit;

#define PARALLEL 4

static void
test_journal_byte_edits (void)
{
  sqlite3 *db = safety_raw_open (fixture.path, FALSE);
  guint n = safety_count (100, 1000);
  guint detected = 0;
  guint per_column[G_N_ELEMENTS (columns)] = { 0 };
  Edit edits[PARALLEL];

  for (guint j = 0; j < PARALLEL; j++)
    edits[j].copy = g_strdup_printf ("%s/edit-%u.kodex", fixture.dir, j);

  for (guint e = 0; e < n; e += PARALLEL)
    {
      guint batch = MIN (PARALLEL, n - e);

      for (guint j = 0; j < batch; j++)
        {
          static const char replacements[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
          const char *argv[] = { cli (), "verify", edits[j].copy, NULL };
          g_autofree char *value = NULL;
          g_autofree char *sql = NULL;
          gsize at = 0, chars = 0;
          char replacement;

          /* A random entry and column with text in it, and an ASCII byte. */
          for (;;)
            {
              edits[j].id = g_test_rand_int_range (1, (gint32) fixture.count + 1);
              edits[j].column = g_test_rand_int_range (0, G_N_ELEMENTS (columns));
              g_clear_pointer (&value, g_free);
              value = raw_text (db, edits[j].id, columns[edits[j].column]);
              if (value == NULL || value[0] == '\0')
                continue;
              at = g_test_rand_int_range (0, (gint32) strlen (value));
              if ((guchar) value[at] < 0x80)
                break;
            }
          do
            replacement = replacements[g_test_rand_int_range (0, sizeof replacements - 1)];
          while (replacement == value[at]);
          chars = g_utf8_strlen (value, at);

          safety_remove_workspace (edits[j].copy);
          safety_copy_file (fixture.path, edits[j].copy);
          sql = g_strdup_printf ("UPDATE journal SET %1$s = substr(%1$s, 1, %2$" G_GSIZE_FORMAT ") || "
                                 "'%3$c' || substr(%1$s, %4$" G_GSIZE_FORMAT ") WHERE id = %5$"
                                 G_GINT64_FORMAT, columns[edits[j].column], chars, replacement,
                                 chars + 2, edits[j].id);
          shell_on (edits[j].copy, sql);

          /* It is exactly that one byte. */
          {
            sqlite3 *edited = safety_raw_open (edits[j].copy, FALSE);
            g_autofree char *now = raw_text (edited, edits[j].id, columns[edits[j].column]);

            value[at] = replacement;
            g_assert_cmpstr (now, ==, value);
            sqlite3_close (edited);
          }

          edits[j].verify = safety_child_spawn (argv, FALSE, NULL);
        }

      for (guint j = 0; j < batch; j++)
        {
          g_autofree char *named = g_strdup_printf ("entry %" G_GINT64_FORMAT " ", edits[j].id);
          int status = safety_child_wait (edits[j].verify);

          if (!WIFEXITED (status) || WEXITSTATUS (status) != 1)
            g_error ("A one-byte edit of %s in entry %" G_GINT64_FORMAT " was not detected: %s%s",
                     columns[edits[j].column], edits[j].id, edits[j].verify->out->str,
                     edits[j].verify->err->str);
          if (strstr (edits[j].verify->err->str, named) == NULL)
            g_error ("A one-byte edit of %s in entry %" G_GINT64_FORMAT ": kodex-cli verify "
                     "named another: %s", columns[edits[j].column], edits[j].id,
                     edits[j].verify->err->str);
          g_clear_pointer (&edits[j].verify, safety_child_free);
          detected++;
          per_column[edits[j].column]++;
        }
    }
  sqlite3_close (db);

  for (guint j = 0; j < PARALLEL; j++)
    {
      safety_remove_workspace (edits[j].copy);
      g_free (edits[j].copy);
    }

  g_assert_cmpuint (detected, ==, n);
  {
    g_autoptr(GString) spread = g_string_new (NULL);

    for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
      g_string_append_printf (spread, " %s %u", columns[c], per_column[c]);
    g_test_message ("%u of %u one-byte edits detected, each naming its entry; by column:%s",
                    detected, n, spread->str);
  }
}

static void
test_journal_deleted (void)
{
  gint64 id = g_test_rand_int_range (2, (gint32) fixture.count);
  g_autofree char *sql = g_strdup_printf ("DELETE FROM journal WHERE id = %" G_GINT64_FORMAT, id);

  fresh_copy ();
  shell (sql);
  assert_detected (id, NULL, "a deleted entry");

  /* The first one too. */
  fresh_copy ();
  shell ("DELETE FROM journal WHERE id = 1");
  assert_detected (1, NULL, "the deleted first entry");
}

static void
swap (gint64 a,
      gint64 b)
{
  g_autofree char *sql = g_strdup_printf ("BEGIN;"
                                          "UPDATE journal SET id = -1 WHERE id = %1$" G_GINT64_FORMAT ";"
                                          "UPDATE journal SET id = %1$" G_GINT64_FORMAT
                                          " WHERE id = %2$" G_GINT64_FORMAT ";"
                                          "UPDATE journal SET id = %2$" G_GINT64_FORMAT " WHERE id = -1;"
                                          "COMMIT;", a, b);

  fresh_copy ();
  shell (sql);
}

static void
test_journal_swapped (void)
{
  gint64 a = g_test_rand_int_range (1, (gint32) fixture.count - 1);
  gint64 b = g_test_rand_int_range ((gint32) a + 1, (gint32) fixture.count + 1);

  swap (a, b);
  assert_detected (a, NULL, "two swapped entries");

  swap (a, a + 1);
  assert_detected (a, NULL, "two swapped neighbours");

  /* Swapped contents, ids kept. */
  {
    g_autofree char *sql = g_strdup_printf (
      "BEGIN;"
      "CREATE TEMP TABLE t AS SELECT * FROM journal WHERE id IN (%1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ");"
      "UPDATE journal SET (time, os_user, actor, actor_name, entity, entity_id, action, summary, "
      "  before, after, hash) = (SELECT time, os_user, actor, actor_name, entity, entity_id, action, "
      "  summary, before, after, hash FROM t WHERE t.id = CASE journal.id WHEN %1$" G_GINT64_FORMAT
      "  THEN %2$" G_GINT64_FORMAT " ELSE %1$" G_GINT64_FORMAT " END) "
      "WHERE id IN (%1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ");"
      "COMMIT;", a, b);

    fresh_copy ();
    shell (sql);
    assert_detected (a, NULL, "two entries with swapped contents");
  }
}

static void
test_journal_truncated (void)
{
  g_autofree char *head = head_arg ();
  gint64 cut = g_test_rand_int_range (1, 50);
  gint64 left = fixture.count - cut;
  g_autofree char *sql = g_strdup_printf ("DELETE FROM journal WHERE id > %" G_GINT64_FORMAT, left);
  g_autofree char *ends = g_strdup_printf ("ends at entry %" G_GINT64_FORMAT ",", left);
  g_autofree char *showed = g_strdup_printf ("showed %" G_GINT64_FORMAT " entries", fixture.count);
  Run r;

  fresh_copy ();
  shell (sql);

  /* The chain itself is intact: only the head can tell. */
  r = run (cli (), "verify", fixture.copy, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  r = run (cli (), "verify", fixture.copy, "--head", head, NULL);
  g_assert_true (WIFEXITED (r.status) && WEXITSTATUS (r.status) == 1);
  g_assert_nonnull (strstr (r.err, ends));
  g_assert_nonnull (strstr (r.err, showed));
  run_clear (&r);

  /* Cut and written on with Kodex so that the count is reached again:
   * entry COUNT no longer has the head's hash. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KdxStore) store = kdx_store_open (fixture.copy, KDX_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    safety_insert_people (store, (guint) cut + 5, "forged");
    kdx_store_close (store);
  }
  r = run (cli (), "verify", fixture.copy, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  {
    g_autofree char *named = g_strdup_printf ("entry %" G_GINT64_FORMAT " ", fixture.count);

    r = run (cli (), "verify", fixture.copy, "--head", head, NULL);
    g_assert_true (WIFEXITED (r.status) && WEXITSTATUS (r.status) == 1);
    g_assert_nonnull (strstr (r.err, named));
    run_clear (&r);
  }
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  fixture.sqlite3 = g_find_program_in_path ("sqlite3");
  if (fixture.sqlite3 == NULL)
    {
      g_test_message ("the sqlite3 shell is not installed (apt-get install sqlite3)");
      return 1;
    }
  make_journal ();

  g_test_add_func ("/kdx/safety/journal/intact", test_journal_intact);
  g_test_add_func ("/kdx/safety/journal/byte-edits", test_journal_byte_edits);
  g_test_add_func ("/kdx/safety/journal/deleted-entry", test_journal_deleted);
  g_test_add_func ("/kdx/safety/journal/swapped-entries", test_journal_swapped);
  g_test_add_func ("/kdx/safety/journal/truncated", test_journal_truncated);

  rc = g_test_run ();
  safety_rm_rf (fixture.dir);

  return rc;
}
