/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema, as numbered migrations. A migration is never edited once it
 * has been released: a change to the schema is a new migration at the end.
 * Each runs in its own transaction (see run_migrations() in kdx-store.c).
 */
#define G_LOG_DOMAIN "kdx-schema"

#include "config.h"

#include "kdx-person.h"
#include "kdx-store-private.h"

static const KdxMigration migrations[] = {
  { 1,
    "CREATE TABLE setting ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT"
    ") WITHOUT ROWID;"

    /* The single-writer lock: at most one row. */
    "CREATE TABLE lock ("
    "  id        INTEGER PRIMARY KEY CHECK (id = 1),"
    "  token     TEXT NOT NULL,"
    "  user      TEXT NOT NULL,"
    "  host      TEXT NOT NULL,"
    "  pid       INTEGER NOT NULL,"
    "  since     INTEGER NOT NULL,"
    "  heartbeat INTEGER NOT NULL"
    ");"

    "CREATE TABLE journal ("
    "  id         INTEGER PRIMARY KEY,"
    "  time       TEXT NOT NULL,"
    "  os_user    TEXT,"
    "  actor      TEXT,"
    "  actor_name TEXT,"
    "  entity     TEXT NOT NULL,"
    "  entity_id  TEXT,"
    "  action     TEXT NOT NULL,"
    "  summary    TEXT,"
    "  before     TEXT,"
    "  after      TEXT,"
    "  hash       TEXT NOT NULL"
    ");"
    "CREATE INDEX journal_by_entity ON journal (entity, id);"
    "CREATE INDEX journal_by_entity_id ON journal (entity_id, id);"
    "CREATE INDEX journal_by_time ON journal (time);"

    /* People. A deleted person is kept with a trashed time until the
     * trash is emptied, so references and history stay intact. */
    "CREATE TABLE person ("
    "  id          INTEGER PRIMARY KEY,"
    "  uuid        TEXT NOT NULL UNIQUE,"
    "  name        TEXT NOT NULL CHECK (length(trim(name)) > 0),"
    "  sort_key    TEXT NOT NULL,"
    "  email       TEXT,"
    "  department  TEXT,"
    "  role        TEXT,"
    "  manager_id  INTEGER REFERENCES person (id) ON DELETE SET NULL,"
    "  committee   INTEGER NOT NULL DEFAULT 0 CHECK (committee IN (0, 1)),"
    "  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  created     TEXT NOT NULL,"
    "  modified    TEXT NOT NULL,"
    "  trashed     TEXT"
    ");"
    "CREATE UNIQUE INDEX person_by_email ON person (email)"
    "  WHERE email IS NOT NULL AND trashed IS NULL;"
    "CREATE INDEX person_by_sort_key ON person (sort_key);"
    "CREATE INDEX person_by_department ON person (department, sort_key);"
    "CREATE INDEX person_by_role ON person (role, sort_key);"
    "CREATE INDEX person_by_manager ON person (manager_id);"
    /* Counting (Overview, People, info) reads this small index only. */
    "CREATE INDEX person_by_state ON person (trashed, active, committee);"
  },

  /* Full-text search over people: a trigram index over a folded text
   * (lower case, no diacritics) that kdx-person.c keeps in step. */
  { 2,
    "CREATE VIRTUAL TABLE person_search USING fts5 (text, tokenize = 'trigram');",
    kdx_person_reindex_search,
  },

  /* kdx_fold_text() learnt ı, ł, ø, đ, æ, œ: sort keys and the search
   * index are computed again. */
  { 3,
    "DELETE FROM person_search;",
    kdx_person_refold,
  },

  /* The People list pages through 100,000 names: indexes that hold the
   * filter and the order together, and statistics so that the planner
   * uses them (PRAGMA optimize keeps these current when a store closes). */
  { 4,
    "CREATE INDEX person_live_by_name ON person (trashed, active, sort_key);"
    "CREATE INDEX person_all_by_name ON person (trashed, sort_key);"
    "ANALYZE;",
  },
};

const KdxMigration *
kdx_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
