/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The schema, as numbered migrations. A migration is never edited once it
 * has been released: a change to the schema is a new migration at the end.
 * Each runs in its own transaction (see run_migrations() in kdx-store.c).
 */
#define G_LOG_DOMAIN "kdx-schema"

#include "config.h"

#include "kdx-catalog.h"
#include "kdx-person.h"
#include "kdx-policy.h"
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

  /* Policies (issue 3): a policy keeps its key for ever; its versions
   * carry the text and the lifecycle, votes are per review round, and an
   * acknowledgement is a person × published version. The search index
   * holds every version's title and text (rowid = policy_version.id). */
  { 5,
    "CREATE TABLE policy ("
    "  id            INTEGER PRIMARY KEY,"
    "  uuid          TEXT NOT NULL UNIQUE,"
    "  key           TEXT NOT NULL UNIQUE,"
    "  title         TEXT NOT NULL CHECK (length(trim(title)) > 0),"
    "  sort_key      TEXT NOT NULL,"
    "  kind          TEXT NOT NULL CHECK (kind IN ('code-of-conduct', 'policy', 'guideline',"
    "                                               'procedure')),"
    "  area          TEXT NOT NULL CHECK (area IN ('transparency', 'privacy', 'fairness',"
    "                                               'oversight', 'autonomy', 'workforce',"
    "                                               'governance')),"
    "  owner_id      INTEGER REFERENCES person (id) ON DELETE SET NULL,"
    "  review_months INTEGER NOT NULL DEFAULT 12 CHECK (review_months BETWEEN 0 AND 120),"
    "  next_review   TEXT,"
    "  retired       TEXT,"
    "  created       TEXT NOT NULL,"
    "  modified      TEXT NOT NULL,"
    "  trashed       TEXT"
    ");"
    "CREATE INDEX policy_by_sort_key ON policy (trashed, sort_key);"
    "CREATE INDEX policy_by_owner ON policy (owner_id);"
    "CREATE INDEX policy_by_review ON policy (trashed, next_review);"

    "CREATE TABLE policy_version ("
    "  id          INTEGER PRIMARY KEY,"
    "  uuid        TEXT NOT NULL UNIQUE,"
    "  policy_id   INTEGER NOT NULL REFERENCES policy (id) ON DELETE CASCADE,"
    "  number      INTEGER NOT NULL CHECK (number > 0),"
    "  major       INTEGER NOT NULL CHECK (major > 0),"
    "  minor       INTEGER NOT NULL CHECK (minor >= 0),"
    "  status      TEXT NOT NULL CHECK (status IN ('draft', 'review', 'approved', 'published',"
    "                                             'superseded', 'retired')),"
    "  body        TEXT NOT NULL,"
    "  summary     TEXT,"
    "  author_id   INTEGER REFERENCES person (id) ON DELETE SET NULL,"
    "  round       INTEGER NOT NULL DEFAULT 0,"
    "  ack_scope   TEXT NOT NULL DEFAULT 'none' CHECK (ack_scope IN ('none', 'all',"
    "                                                              'department', 'role')),"
    "  ack_target  TEXT,"
    "  effective   TEXT,"
    "  submitted   TEXT,"
    "  approved    TEXT,"
    "  published   TEXT,"
    "  created     TEXT NOT NULL,"
    "  modified    TEXT NOT NULL,"
    "  UNIQUE (policy_id, number),"
    "  UNIQUE (policy_id, major, minor)"
    ");"
    "CREATE INDEX policy_version_by_status ON policy_version (status, policy_id);"
    "CREATE INDEX policy_version_by_author ON policy_version (author_id);"

    "CREATE TABLE policy_vote ("
    "  id          INTEGER PRIMARY KEY,"
    "  version_id  INTEGER NOT NULL REFERENCES policy_version (id) ON DELETE CASCADE,"
    "  round       INTEGER NOT NULL,"
    "  person_id   INTEGER NOT NULL REFERENCES person (id),"
    "  choice      TEXT NOT NULL CHECK (choice IN ('approve', 'reject', 'abstain')),"
    "  comment     TEXT,"
    "  time        TEXT NOT NULL,"
    "  UNIQUE (version_id, round, person_id)"
    ");"
    "CREATE INDEX policy_vote_by_person ON policy_vote (person_id);"

    "CREATE TABLE policy_ack ("
    "  id          INTEGER PRIMARY KEY,"
    "  version_id  INTEGER NOT NULL REFERENCES policy_version (id) ON DELETE CASCADE,"
    "  person_id   INTEGER NOT NULL REFERENCES person (id),"
    "  time        TEXT NOT NULL,"
    "  source      TEXT NOT NULL CHECK (source IN ('manual', 'bulk', 'csv', 'import')),"
    "  UNIQUE (version_id, person_id)"
    ");"
    "CREATE INDEX policy_ack_by_person ON policy_ack (person_id);"

    "CREATE VIRTUAL TABLE policy_search USING fts5 ("
    "  title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');",
  },

  /* AI systems, catalogs and mappings (issue 4). A system keeps its key
   * for ever; its classification answers are JSON (kdx-classify.h) and
   * the obligations they imply are rows, so that coverage is a join. The
   * shipped catalogs are installed in the same transaction. A policy made
   * from a template remembers it, so that a use case can suggest it. */
  { 6,
    "ALTER TABLE policy ADD COLUMN template TEXT;"
    "CREATE INDEX policy_by_template ON policy (template) WHERE template IS NOT NULL;"

    "CREATE TABLE ai_system ("
    "  id                 INTEGER PRIMARY KEY,"
    "  uuid               TEXT NOT NULL UNIQUE,"
    "  key                TEXT NOT NULL UNIQUE,"
    "  name               TEXT NOT NULL CHECK (length(trim(name)) > 0),"
    "  sort_key           TEXT NOT NULL,"
    "  vendor             TEXT,"
    "  version            TEXT,"
    "  use_case           TEXT,"
    "  description        TEXT,"
    "  business_owner_id  INTEGER REFERENCES person (id) ON DELETE SET NULL,"
    "  technical_owner_id INTEGER REFERENCES person (id) ON DELETE SET NULL,"
    "  department         TEXT,"
    "  lifecycle          TEXT NOT NULL DEFAULT 'planned'"
    "                       CHECK (lifecycle IN ('planned', 'pilot', 'production', 'retired')),"
    "  role               TEXT CHECK (role IN ('deployer', 'provider', 'provider-deployer')),"
    "  risk               TEXT CHECK (risk IN ('prohibited', 'high', 'limited', 'minimal')),"
    "  answers            TEXT,"
    "  reasoning          TEXT,"
    "  classified         TEXT,"
    "  legal_basis        TEXT CHECK (legal_basis IN ('consent', 'contract', 'legal-obligation',"
    "                                                 'vital-interests', 'public-task',"
    "                                                 'legitimate-interests')),"
    "  consent            TEXT CHECK (consent IN ('not-needed', 'opt-in', 'opt-out')),"
    "  dpia_status        TEXT NOT NULL DEFAULT 'not-started'"
    "                       CHECK (dpia_status IN ('not-required', 'not-started', 'in-progress',"
    "                                              'done')),"
    "  dpia_date          TEXT,"
    "  retention          TEXT,"
    "  notice_en          TEXT,"
    "  notice_de          TEXT,"
    "  oversight          TEXT CHECK (oversight IN ('in-the-loop', 'on-the-loop', 'in-command')),"
    "  explainability     TEXT,"
    "  created            TEXT NOT NULL,"
    "  modified           TEXT NOT NULL,"
    "  trashed            TEXT"
    ");"
    "CREATE INDEX ai_system_by_sort_key ON ai_system (trashed, sort_key);"
    "CREATE INDEX ai_system_by_risk ON ai_system (trashed, risk, sort_key);"
    "CREATE INDEX ai_system_by_lifecycle ON ai_system (trashed, lifecycle);"
    "CREATE INDEX ai_system_by_department ON ai_system (trashed, department);"
    "CREATE INDEX ai_system_by_use_case ON ai_system (trashed, use_case);"
    "CREATE INDEX ai_system_by_business_owner ON ai_system (business_owner_id);"
    "CREATE INDEX ai_system_by_technical_owner ON ai_system (technical_owner_id);"

    "CREATE TABLE system_data ("
    "  system_id  INTEGER NOT NULL REFERENCES ai_system (id) ON DELETE CASCADE,"
    "  category   TEXT NOT NULL,"
    "  PRIMARY KEY (system_id, category)"
    ") WITHOUT ROWID;"

    "CREATE TABLE system_overseer ("
    "  system_id  INTEGER NOT NULL REFERENCES ai_system (id) ON DELETE CASCADE,"
    "  person_id  INTEGER NOT NULL REFERENCES person (id),"
    "  PRIMARY KEY (system_id, person_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX system_overseer_by_person ON system_overseer (person_id);"

    "CREATE TABLE system_raci ("
    "  system_id  INTEGER NOT NULL REFERENCES ai_system (id) ON DELETE CASCADE,"
    "  person_id  INTEGER NOT NULL REFERENCES person (id),"
    "  role       TEXT NOT NULL CHECK (role IN ('R', 'A', 'C', 'I')),"
    "  PRIMARY KEY (system_id, person_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX system_raci_by_person ON system_raci (person_id);"

    /* What the classification asks of a system: obligation ids of
     * kdx-classify.c with the catalog and requirement code they point to. */
    "CREATE TABLE system_obligation ("
    "  system_id   INTEGER NOT NULL REFERENCES ai_system (id) ON DELETE CASCADE,"
    "  obligation  TEXT NOT NULL,"
    "  catalog     TEXT NOT NULL,"
    "  code        TEXT NOT NULL,"
    "  PRIMARY KEY (system_id, obligation)"
    ") WITHOUT ROWID;"
    "CREATE INDEX system_obligation_by_code ON system_obligation (catalog, code);"

    "CREATE TABLE catalog ("
    "  id               INTEGER PRIMARY KEY,"
    "  uuid             TEXT NOT NULL UNIQUE,"
    "  key              TEXT NOT NULL UNIQUE,"
    "  title_en         TEXT NOT NULL,"
    "  title_de         TEXT,"
    "  version          TEXT,"
    "  source           TEXT,"
    "  source_url       TEXT,"
    "  licence          TEXT,"
    "  legal_status_en  TEXT,"
    "  legal_status_de  TEXT,"
    "  as_of            TEXT,"
    "  format           TEXT NOT NULL CHECK (format IN ('kodex', 'oscal')),"
    "  shipped          INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),"
    "  imported         TEXT NOT NULL"
    ");"

    "CREATE TABLE requirement ("
    "  id               INTEGER PRIMARY KEY,"
    "  uuid             TEXT NOT NULL UNIQUE,"
    "  catalog_id       INTEGER NOT NULL REFERENCES catalog (id) ON DELETE CASCADE,"
    "  code             TEXT NOT NULL,"
    "  label            TEXT NOT NULL,"
    "  parent_id        INTEGER REFERENCES requirement (id) ON DELETE CASCADE,"
    "  depth            INTEGER NOT NULL DEFAULT 0,"
    "  position         INTEGER NOT NULL,"
    "  title_en         TEXT NOT NULL,"
    "  title_de         TEXT,"
    "  text_en          TEXT,"
    "  text_de          TEXT,"
    "  applies_from     TEXT,"
    "  legal_status_en  TEXT,"
    "  legal_status_de  TEXT,"
    "  UNIQUE (catalog_id, code)"
    ");"
    "CREATE INDEX requirement_by_position ON requirement (catalog_id, position);"
    "CREATE INDEX requirement_by_parent ON requirement (parent_id);"

    "CREATE TABLE policy_requirement ("
    "  policy_id       INTEGER NOT NULL REFERENCES policy (id) ON DELETE CASCADE,"
    "  requirement_id  INTEGER NOT NULL REFERENCES requirement (id) ON DELETE CASCADE,"
    "  created         TEXT NOT NULL,"
    "  PRIMARY KEY (policy_id, requirement_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX policy_requirement_by_requirement ON policy_requirement (requirement_id);"

    "CREATE TABLE policy_system ("
    "  policy_id    INTEGER NOT NULL REFERENCES policy (id) ON DELETE CASCADE,"
    "  system_id    INTEGER NOT NULL REFERENCES ai_system (id) ON DELETE CASCADE,"
    "  status       TEXT NOT NULL DEFAULT 'not-assessed'"
    "                 CHECK (status IN ('compliant', 'partial', 'non-compliant', 'not-assessed',"
    "                                   'not-applicable')),"
    "  assessor_id  INTEGER REFERENCES person (id) ON DELETE SET NULL,"
    "  assessed     TEXT,"
    "  evidence     TEXT,"
    "  PRIMARY KEY (system_id, policy_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX policy_system_by_policy ON policy_system (policy_id);",
    kdx_catalog_install_shipped,
  },

  /* Training (issue 5): courses, the rules that assign them and the
   * assignments, one row per person × course × round. A completed row
   * keeps the expiry its certificate had when it was issued; a round
   * that is renewed (recertification) gets a successor that points back
   * to it, and only the newest round of a person × course is current.
   * Statuses (assigned, overdue, completed, expiring, expired) are never
   * stored: kdx-training.c derives them from these dates. People get the
   * employee id an HR system knows them by. */
  { 7,
    "ALTER TABLE person ADD COLUMN employee_id TEXT;"
    "CREATE UNIQUE INDEX person_by_employee_id ON person (employee_id)"
    "  WHERE employee_id IS NOT NULL AND trashed IS NULL;"
    /* The people the status views count, and the list of rounds sorted
     * by department, in order without reading the table. */
    "CREATE INDEX person_live_by_department ON person (trashed, active, department, sort_key);"

    "CREATE TABLE course ("
    "  id                INTEGER PRIMARY KEY,"
    "  uuid              TEXT NOT NULL UNIQUE,"
    "  key               TEXT NOT NULL UNIQUE,"
    "  title             TEXT NOT NULL CHECK (length(trim(title)) > 0),"
    "  sort_key          TEXT NOT NULL,"
    "  topic             TEXT,"
    "  description       TEXT,"
    "  duration_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (duration_minutes BETWEEN 0 AND 100000),"
    "  validity_months   INTEGER NOT NULL DEFAULT 0 CHECK (validity_months BETWEEN 0 AND 600),"
    "  ai_literacy       INTEGER NOT NULL DEFAULT 0 CHECK (ai_literacy IN (0, 1)),"
    "  created           TEXT NOT NULL,"
    "  modified          TEXT NOT NULL,"
    "  trashed           TEXT"
    ");"
    "CREATE UNIQUE INDEX course_by_title ON course (sort_key) WHERE trashed IS NULL;"
    "CREATE INDEX course_by_state ON course (trashed, sort_key);"

    "CREATE TABLE course_policy ("
    "  course_id  INTEGER NOT NULL REFERENCES course (id) ON DELETE CASCADE,"
    "  policy_id  INTEGER NOT NULL REFERENCES policy (id) ON DELETE CASCADE,"
    "  PRIMARY KEY (course_id, policy_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX course_policy_by_policy ON course_policy (policy_id);"

    /* kind: everyone, a department, a role (job title), the committee,
     * or the overseers of one AI system (system_id) or of every system
     * (system_id NULL). */
    "CREATE TABLE assignment_rule ("
    "  id          INTEGER PRIMARY KEY,"
    "  uuid        TEXT NOT NULL UNIQUE,"
    "  course_id   INTEGER NOT NULL REFERENCES course (id) ON DELETE CASCADE,"
    "  kind        TEXT NOT NULL"
    "                CHECK (kind IN ('everyone', 'department', 'role', 'committee', 'overseers')),"
    "  target      TEXT,"
    "  system_id   INTEGER REFERENCES ai_system (id) ON DELETE CASCADE,"
    "  due_days    INTEGER NOT NULL DEFAULT 30 CHECK (due_days BETWEEN 0 AND 3650),"
    "  created     TEXT NOT NULL,"
    "  CHECK ((kind IN ('department', 'role')) = (target IS NOT NULL)),"
    "  CHECK (system_id IS NULL OR kind = 'overseers')"
    ");"
    "CREATE INDEX assignment_rule_by_course ON assignment_rule (course_id);"
    "CREATE INDEX assignment_rule_by_system ON assignment_rule (system_id)"
    "  WHERE system_id IS NOT NULL;"

    /* Dates are ISO 8601 days (YYYY-MM-DD). */
    "CREATE TABLE assignment ("
    "  id           INTEGER PRIMARY KEY,"
    "  person_id    INTEGER NOT NULL REFERENCES person (id),"
    "  course_id    INTEGER NOT NULL REFERENCES course (id) ON DELETE CASCADE,"
    "  rule_id      INTEGER REFERENCES assignment_rule (id) ON DELETE SET NULL,"
    "  previous_id  INTEGER REFERENCES assignment (id) ON DELETE SET NULL,"
    "  source       TEXT NOT NULL"
    "                 CHECK (source IN ('rule', 'manual', 'import', 'recertification')),"
    "  assigned     TEXT NOT NULL,"
    "  due          TEXT,"
    "  completed    TEXT,"
    "  score        REAL CHECK (score IS NULL OR score BETWEEN 0 AND 100),"
    "  expires      TEXT,"
    "  current      INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),"
    /* An open round has no score; an open renewal round keeps the expiry
     * of the certificate it renews (valid until then). */
    "  CHECK (completed IS NOT NULL OR score IS NULL)"
    ");"
    "CREATE UNIQUE INDEX assignment_current ON assignment (person_id, course_id)"
    "  WHERE current = 1;"
    /* Covering for the status views, which read every current round
     * (kdx_training_status()) and must not touch the table to do so. */
    "CREATE INDEX assignment_by_person ON assignment"
    "  (person_id, current, course_id, completed, expires, due);"
    "CREATE INDEX assignment_by_course ON assignment (course_id, current);"
    /* The Overview's count of overdue rounds. */
    "CREATE INDEX assignment_open_by_due ON assignment (due)"
    "  WHERE current = 1 AND completed IS NULL;"
    "CREATE INDEX assignment_by_previous ON assignment (previous_id)"
    "  WHERE previous_id IS NOT NULL;"
    /* Covering for recertification, which looks for the current
     * completions that expire soon (kdx_training_apply()). */
    "CREATE INDEX assignment_by_expiry ON assignment (expires, person_id, course_id)"
    "  WHERE expires IS NOT NULL AND current = 1;",
  },
};

const KdxMigration *
kdx_schema_get_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
