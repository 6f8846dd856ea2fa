/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workspace: one SQLite file. This module owns the connection, its
 * settings, the schema migrations, the single-writer lock, transactions,
 * backups and the change signal. Entity modules use it for their SQL.
 */
#define G_LOG_DOMAIN "kdx-store"

#include "config.h"

#include "kdx-store-private.h"
#include "kdx-journal.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* A lock whose heartbeat is older than this belongs to a process that
 * hangs or to a machine that is gone. */
#define LOCK_STALE_SECONDS 120

/* From this size on, a full check at open would be felt (about half a
 * second per 150 MB): see KDX_STORE_OPEN_DEFER_CHECK. */
#define DEFERRED_CHECK_MIN_SIZE (64 * 1024 * 1024)

struct _KdxStore
{
  GObject                 parent_instance;

  sqlite3                *db;
  char                   *path;
  char                   *token;
  char                   *actor;
  KdxStoreReadOnlyReason  read_only;
  gboolean                owns_lock;
  gboolean                in_transaction;
  gboolean                wal;
  gboolean                deep_check_pending;
  GHashTable             *changed;  /* entity → GArray of ids */
  GHashTable             *statements;  /* SQL → sqlite3_stmt, see prepare_cached */
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
static char *fs_type_override;

G_DEFINE_TYPE (KdxStore, kdx_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (kdx-store-error-quark, kdx_store_error)

void
kdx_lock_holder_free (KdxLockHolder *holder)
{
  if (holder == NULL)
    return;
  g_free (holder->user);
  g_free (holder->host);
  g_free (holder);
}

static char *
display_name_for_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  return g_filename_display_name (base);
}

void
kdx_store_set_sql_error (KdxStore  *self,
                         GError   **error)
{
  int code = sqlite3_extended_errcode (self->db);
  int primary = code & 0xff;
  g_autofree char *name = display_name_for_path (self->path);

  if (primary == SQLITE_READONLY)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY,
                 _("“%s” is open read-only; nothing was changed"), name);
  else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_LOCKED,
                 _("“%s” is busy in another program; try again in a moment"), name);
  else if (primary == SQLITE_FULL)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
                 _("The disk holding “%s” is full; nothing was changed"), name);
  else if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
                 _("“%s” could not be written (%s); nothing was changed"),
                 name, sqlite3_errmsg (self->db));
  else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED,
                 _("“%s” is damaged; restore it from a backup"), name);
  else
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_FAILED,
                 _("The workspace “%s” reported an error: %s"),
                 name, sqlite3_errmsg (self->db));
}

sqlite3_stmt *
kdx_store_prepare (KdxStore    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
      kdx_store_set_sql_error (self, error);
      return NULL;
    }

  return stmt;
}

KdxCachedStmt *
kdx_store_prepare_cached (KdxStore    *self,
                          const char  *sql,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KDX_IS_STORE (self), NULL);
  g_return_val_if_fail (self->db != NULL, NULL);

  if (self->statements == NULL)
    self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) sqlite3_finalize);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  stmt = kdx_store_prepare (self, sql, error);
  if (stmt != NULL)
    g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
kdx_store_exec (KdxStore    *self,
                const char  *sql,
                GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_debug ("“%s” failed: %s", sql, msg);
      sqlite3_free (msg);
      kdx_store_set_sql_error (self, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
kdx_store_step_done (KdxStore      *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      kdx_store_set_sql_error (self, error);
      return FALSE;
    }

  return TRUE;
}

gint64
kdx_store_count (KdxStore   *self,
                 const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (self, sql, NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);

  return -1;
}

/* Text as a workspace file holds it may be anything; what Kodex passes on
 * is valid UTF-8. */
char *
kdx_store_column_text (sqlite3_stmt *stmt,
                       int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  int length = sqlite3_column_bytes (stmt, column);

  if (text == NULL)
    return NULL;
  if (g_utf8_validate_len (text, length, NULL))
    return g_strndup (text, length);

  return g_utf8_make_valid (text, length);
}

static gint64
pragma_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

char *
kdx_store_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/* Network and FUSE file systems do not share memory between machines the
 * way WAL needs; there the workspace uses a rollback journal. */
static gboolean
path_is_on_local_fs (const char *path)
{
  struct statfs buf;
  g_autofree char *dir = g_path_get_dirname (path);

  if (fs_type_override != NULL)
    return g_str_equal (fs_type_override, "local");

  if (statfs (dir, &buf) != 0)
    return TRUE;

  switch ((unsigned long) buf.f_type)
    {
    case 0x6969:      /* NFS */
    case 0x517B:      /* SMB */
    case 0xFF534D42:  /* CIFS */
    case 0xFE534D42:  /* SMB2 */
    case 0x65735546:  /* FUSE */
    case 0x01021997:  /* 9P */
    case 0x564C:      /* NCP */
    case 0x5346414F:  /* AFS */
    case 0x6B414653:  /* kAFS */
    case 0x73757245:  /* Coda */
    case 0x47504653:  /* GPFS */
    case 0x0BD00BD0:  /* Lustre */
    case 0x013111A8:  /* IBRIX */
    case 0x19830326:  /* fhgfs */
    case 0x00C36400:  /* Ceph */
      return FALSE;
    default:
      return TRUE;
    }
}

void
_kdx_store_set_fs_type_override (const char *fs_type)
{
  g_free (fs_type_override);
  fs_type_override = g_strdup (fs_type);
}

/* The settings every connection gets, whoever opens it (UI, CLI, job, backup). */
static gboolean
apply_connection_settings (sqlite3   *db,
                           gboolean   writable,
                           gboolean   local,
                           gboolean  *out_wal)
{
  int on = 0;

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);

  if (sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) != SQLITE_OK || on != 1)
    return FALSE;
  if (sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, &on) != SQLITE_OK || on != 0)
    return FALSE;
  if (sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &on) != SQLITE_OK || on != 0)
    return FALSE;
  if (sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on) != SQLITE_OK || on != 0)
    return FALSE;
  if (sqlite3_exec (db,
                    "PRAGMA trusted_schema = OFF;"
                    "PRAGMA foreign_keys = ON;"
                    "PRAGMA synchronous = FULL;"
                    "PRAGMA secure_delete = ON;",
                    NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;

  if (writable)
    {
      const char *sql = local ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE";
      sqlite3_stmt *stmt = NULL;
      gboolean ok = FALSE;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *mode = (const char *) sqlite3_column_text (stmt, 0);
          ok = g_ascii_strcasecmp (mode, local ? "wal" : "delete") == 0;
          if (out_wal)
            *out_wal = local;
        }
      sqlite3_finalize (stmt);
      if (!ok)
        return FALSE;
    }
  else if (out_wal)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        *out_wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
      sqlite3_finalize (stmt);
    }

  return TRUE;
}

static char *
current_user_name (void)
{
  const char *name = g_get_user_name ();

  return g_strdup (name != NULL ? name : "unknown");
}

static char *
make_token (void)
{
  return g_uuid_string_random ();
}

/* Migrations run forward, one transaction each, after a backup copy of the
 * old file. */
static gboolean
run_migrations (KdxStore  *self,
                int        from,
                int        to,
                GError   **error)
{
  const KdxMigration *migrations;
  guint n_migrations;

  migrations = kdx_schema_get_migrations (&n_migrations);

  for (guint i = 0; i < n_migrations; i++)
    {
      g_autofree char *set_version = NULL;

      if (migrations[i].version <= from || migrations[i].version > to)
        continue;

      if (!kdx_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      set_version = g_strdup_printf ("PRAGMA user_version = %d", migrations[i].version);
      self->in_transaction = TRUE;
      if (!kdx_store_exec (self, migrations[i].sql, error) ||
          (migrations[i].post != NULL && !migrations[i].post (self, error)) ||
          !kdx_store_exec (self, set_version, error) ||
          !kdx_store_exec (self, "COMMIT", error))
        {
          self->in_transaction = FALSE;
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_prefix_error (error, _("Upgrading the workspace to version %d failed: "),
                          migrations[i].version);
          return FALSE;
        }
      self->in_transaction = FALSE;
    }

  return TRUE;
}

static KdxLockHolder *
read_lock_row (KdxStore *self,
               char    **out_token)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  KdxLockHolder *holder;

  stmt = kdx_store_prepare (self,
                            "SELECT token, user, host, pid, since, heartbeat FROM lock WHERE id = 1",
                            NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  holder = g_new0 (KdxLockHolder, 1);
  if (out_token)
    *out_token = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  holder->user = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  holder->host = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  holder->pid = sqlite3_column_int64 (stmt, 3);
  holder->since = sqlite3_column_int64 (stmt, 4);
  holder->heartbeat = sqlite3_column_int64 (stmt, 5);

  return holder;
}

static gboolean
lock_is_stale (const KdxLockHolder *holder)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* The heartbeat comes from the file and may be any 64-bit value:
   * compared, never subtracted. */
  if (holder->heartbeat < now - LOCK_STALE_SECONDS)
    return TRUE;

  if (g_strcmp0 (holder->host, g_get_host_name ()) == 0 && holder->pid > 0)
    {
      if (kill ((pid_t) holder->pid, 0) != 0 && errno == ESRCH)
        return TRUE;
    }

  return FALSE;
}

static gboolean
write_lock_row (KdxStore  *self,
                GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *user = current_user_name ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  stmt = kdx_store_prepare (self,
                            "INSERT OR REPLACE INTO lock (id, token, user, host, pid, since, heartbeat) "
                            "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?5)",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, self->token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, g_get_host_name (), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, getpid ());
  sqlite3_bind_int64 (stmt, 5, now);

  return kdx_store_step_done (self, stmt, error);
}

/* Takes the workspace lock, or leaves the store read-only when another
 * live instance holds it. A stale lock is taken over and journaled. */
static gboolean
acquire_lock (KdxStore  *self,
              GError   **error)
{
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autofree char *token = NULL;

  if (!kdx_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  holder = read_lock_row (self, &token);
  if (holder != NULL && !lock_is_stale (holder))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      self->read_only = KDX_STORE_READ_ONLY_LOCKED;
      return TRUE;
    }

  if (!write_lock_row (self, error))
    goto fail;

  if (holder != NULL)
    {
      g_autofree char *json = kdx_journal_lock_json (holder);
      gboolean ok;

      self->in_transaction = TRUE;
      ok = kdx_journal_append (self, "workspace", NULL, "take-over-stale-lock",
                               holder->user, json, NULL, error);
      self->in_transaction = FALSE;
      if (!ok)
        goto fail;
    }

  if (!kdx_store_exec (self, "COMMIT", error))
    goto fail;

  self->owns_lock = TRUE;
  return TRUE;

fail:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static void
release_lock (KdxStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!self->owns_lock || self->db == NULL)
    return;

  stmt = kdx_store_prepare (self, "DELETE FROM lock WHERE id = 1 AND token = ?1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->token, -1, SQLITE_TRANSIENT);
      sqlite3_step (stmt);
    }
  self->owns_lock = FALSE;
}

static gboolean
still_own_lock (KdxStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = kdx_store_prepare (self, "SELECT token FROM lock WHERE id = 1", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  return g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), self->token) == 0;
}

static void
become_read_only (KdxStore               *self,
                  KdxStoreReadOnlyReason  reason)
{
  self->read_only = reason;
  self->owns_lock = FALSE;
  if (self->db != NULL)
    sqlite3_exec (self->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
}

static void
kdx_store_finalize (GObject *object)
{
  KdxStore *self = (KdxStore *)object;

  kdx_store_close (self);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->changed, g_hash_table_unref);

  G_OBJECT_CLASS (kdx_store_parent_class)->finalize (object);
}

static void
kdx_store_class_init (KdxStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kdx_store_finalize;

  /**
   * KdxStore::changed:
   * @entity: the entity kind ("person", "setting", "workspace", …)
   * @ids: (element-type gint64) (nullable): row ids that changed, or %NULL for "many"
   *
   * Emitted once per entity after a transaction commits.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ARRAY);
}

static void
kdx_store_init (KdxStore *self)
{
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_array_unref);
}

/* Reads the 100-byte header without SQLite, so that a file that is not a
 * workspace is refused before any SQL runs on it. */
static gboolean
check_header (const char  *path,
              GError     **error)
{
  g_autofree char *name = display_name_for_path (path);
  guint8 header[100];
  ssize_t n;
  guint32 app_id;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ENOENT)
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_FOUND,
                     _("“%s” does not exist"), name);
      else
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
                     _("“%s” cannot be opened: %s"), name, g_strerror (saved));
      return FALSE;
    }

  n = read (fd, header, sizeof header);
  close (fd);

  if (n < (ssize_t) sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_SQLITE,
                   _("“%s” is not a Kodex workspace; choose a file ending in .kodex"), name);
      return FALSE;
    }

  app_id = ((guint32) header[68] << 24) | ((guint32) header[69] << 16) |
           ((guint32) header[70] << 8) | header[71];
  if (app_id != KDX_APPLICATION_ID)
    {
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_WORKSPACE,
                   _("“%s” is a database of another application, not a Kodex workspace"), name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_quick_check (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);

  return ok;
}

/* @partial: only the schema and the small tables, for large files */
static gboolean
quick_check (sqlite3     *db,
             const char  *path,
             gboolean     partial,
             GError     **error)
{
  g_autofree char *name = display_name_for_path (path);
  gboolean ok;

  if (partial)
    ok = run_quick_check (db, "PRAGMA quick_check(sqlite_schema)") &&
         run_quick_check (db, "PRAGMA quick_check(setting)") &&
         run_quick_check (db, "PRAGMA quick_check(lock)");
  else
    ok = run_quick_check (db, "PRAGMA quick_check(1)");

  if (!ok)
    g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED,
                 _("“%s” is damaged and was not opened; nothing in it was changed. "
                   "Open your latest backup instead."), name);

  return ok;
}

/* A workspace holds tables and indexes only. A view or a trigger in the
 * file is SQL that someone else wrote and that would run inside Kodex on
 * every read or write: a view can loop for ever, a trigger can rewrite
 * the journal. Such a file is refused like a damaged one. */
static gboolean
schema_is_plain (sqlite3     *db,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *name = NULL;

  if (pragma_int (db, "SELECT count(*) FROM sqlite_schema "
                      "WHERE type NOT IN ('table', 'index')") == 0)
    return TRUE;

  name = display_name_for_path (path);
  g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED,
               _("“%s” is damaged and was not opened; nothing in it was changed. "
                 "Open your latest backup instead."), name);
  return FALSE;
}

/* Tables and indexes, "type name" → "table\nsql", without SQLite's own. */
static GHashTable *
schema_rows (sqlite3 *db)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                              "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_hash_table_unref (rows);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *table = (const char *) sqlite3_column_text (stmt, 2);
      const char *sql = (const char *) sqlite3_column_text (stmt, 3);

      g_hash_table_insert (rows, g_strconcat (type ? type : "", " ", name ? name : "", NULL),
                           g_strconcat (table ? table : "", "\n", sql ? sql : "", NULL));
    }
  sqlite3_finalize (stmt);

  return rows;
}

/* The schema Kodex made, compared with the exact SQL SQLite keeps of each
 * table and index: the migrations up to @version run on an empty database
 * in memory. A table altered elsewhere (a column renamed, a constraint
 * dropped) passes quick_check, but then the statements Kodex prepares fail
 * or mean something else. A file of a newer version may have more, but
 * keeps what this version knows as it is. */
static gboolean
schema_matches (sqlite3 *db,
                gint64   version)
{
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GHashTable) found = NULL;
  const KdxMigration *migrations;
  guint n_migrations;
  sqlite3 *reference = NULL;
  GHashTableIter iter;
  gpointer key, value;

  migrations = kdx_schema_get_migrations (&n_migrations);
  if (sqlite3_open_v2 (":memory:", &reference, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       NULL) != SQLITE_OK)
    {
      sqlite3_close (reference);
      return FALSE;
    }
  for (guint i = 0; i < n_migrations; i++)
    if (migrations[i].version <= version &&
        sqlite3_exec (reference, migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK)
      {
        sqlite3_close (reference);
        return FALSE;
      }
  expected = schema_rows (reference);
  sqlite3_close (reference);
  found = schema_rows (db);
  if (expected == NULL || found == NULL)
    return FALSE;

  if (version <= KDX_SCHEMA_VERSION && g_hash_table_size (found) != g_hash_table_size (expected))
    return FALSE;
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (found, key)) != 0)
      return FALSE;

  return TRUE;
}

static sqlite3 *
open_connection (const char  *path,
                 gboolean     writable,
                 gboolean     create,
                 gboolean    *out_wal,
                 GError     **error)
{
  g_autofree char *name = display_name_for_path (path);
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_PRIVATECACHE | SQLITE_OPEN_EXRESCODE;
  int rc;

  flags |= writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  if (create)
    flags |= SQLITE_OPEN_CREATE;

  rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
                   _("“%s” cannot be opened: %s"), name,
                   db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }

  if (!apply_connection_settings (db, writable, path_is_on_local_fs (path), out_wal))
    {
      int primary = sqlite3_extended_errcode (db) & 0xff;

      if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED,
                     _("“%s” is damaged and was not opened; nothing in it was changed. "
                       "Open your latest backup instead."), name);
      else
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
                     _("“%s” cannot be opened: %s"), name, sqlite3_errmsg (db));
      sqlite3_close_v2 (db);
      return NULL;
    }

  return db;
}

static gboolean
path_is_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return access (path, W_OK) == 0 && access (dir, W_OK) == 0;
}

static char *
migration_backup_path (const char *path,
                       int         version)
{
  return g_strdup_printf ("%s.v%d.bak", path, version);
}

static KdxStore *
create_internal (const char  *path,
                 int          version,
                 const char  *organisation,
                 const char  *language,
                 GError     **error)
{
  g_autoptr(KdxStore) self = NULL;
  g_autofree char *name = display_name_for_path (path);
  g_autofree char *set_app_id = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* Create the file ourselves: 0600 whatever the umask, and never over an
   * existing file. SQLite gives -wal and -shm the same mode. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_EXISTS,
                     _("“%s” already exists; choose another name"), name);
      else
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
                     _("“%s” cannot be created: %s"), name, g_strerror (saved));
      return NULL;
    }
  fchmod (fd, 0600);
  close (fd);

  self = g_object_new (KDX_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->token = make_token ();

  /* The header is written in rollback mode first, so that the main file
   * carries the application id even before the first checkpoint. */
  self->db = open_connection (path, TRUE, TRUE, NULL, error);
  if (self->db == NULL)
    goto fail;

  if (!kdx_store_exec (self, "PRAGMA journal_mode = DELETE", error))
    goto fail;
  set_app_id = g_strdup_printf ("PRAGMA application_id = %d", (gint32) KDX_APPLICATION_ID);
  if (!kdx_store_exec (self, set_app_id, error))
    goto fail;
  if (!run_migrations (self, 0, version, error))
    goto fail;

  /* Statements a migration kept prepared belong to this connection. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  sqlite3_close_v2 (self->db);
  self->db = open_connection (path, TRUE, FALSE, &self->wal, error);
  if (self->db == NULL)
    goto fail;

  if (!acquire_lock (self, error))
    goto fail;

  if (version >= 1)
    {
      if (!kdx_store_begin (self, error))
        goto fail;
      if (!kdx_journal_append (self, "workspace", NULL, "create", organisation, NULL, NULL, error) ||
          (organisation && !kdx_store_set_setting (self, "organisation", organisation, error)) ||
          !kdx_store_set_setting (self, "language", language ? language : "de", error) ||
          !kdx_store_set_setting (self, "quorum", "majority:3", error) ||
          !kdx_store_commit (self, error))
        {
          kdx_store_rollback (self);
          goto fail;
        }
    }

  return g_steal_pointer (&self);

fail:
  if (self != NULL)
    kdx_store_close (self);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_autofree char *jrn = g_strconcat (path, "-journal", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (jrn);
  }
  return NULL;
}

KdxStore *
kdx_store_create (const char  *path,
                  const char  *organisation,
                  const char  *language,
                  GError     **error)
{
  return create_internal (path, KDX_SCHEMA_VERSION, organisation, language, error);
}

KdxStore *
_kdx_store_create_at_version (const char  *path,
                              int          version,
                              GError     **error)
{
  return create_internal (path, version, "Old", "de", error);
}

KdxStore *
kdx_store_open (const char         *path,
                KdxStoreOpenFlags   flags,
                GError            **error)
{
  g_autoptr(KdxStore) self = NULL;
  g_autofree char *name = NULL;
  gint64 version;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_header (path, error))
    return NULL;

  name = display_name_for_path (path);
  self = g_object_new (KDX_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->token = make_token ();

  /* A damaged file is refused before any other SQL runs on it. */
  self->db = open_connection (path, FALSE, FALSE, &self->wal, error);
  if (self->db == NULL)
    return NULL;
  if (flags & KDX_STORE_OPEN_DEFER_CHECK)
    {
      struct stat st;

      self->deep_check_pending = g_stat (path, &st) == 0 && st.st_size >= DEFERRED_CHECK_MIN_SIZE;
    }
  if (!quick_check (self->db, path, self->deep_check_pending, error))
    return NULL;

  if (!schema_is_plain (self->db, path, error))
    return NULL;

  if (pragma_int (self->db, "PRAGMA application_id") != (gint32) KDX_APPLICATION_ID)
    {
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_WORKSPACE,
                   _("“%s” is a database of another application, not a Kodex workspace"), name);
      return NULL;
    }

  version = pragma_int (self->db, "PRAGMA user_version");
  if (version < 1)
    {
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED,
                   _("“%s” is an incomplete workspace and was not opened"), name);
      return NULL;
    }

  if (!schema_matches (self->db, version))
    {
      if (version > KDX_SCHEMA_VERSION)
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NEWER,
                     _("“%s” was made by a newer Kodex that changed its tables; update Kodex "
                       "to open it"), name);
      else
        g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED,
                     _("“%s” is damaged and was not opened; nothing in it was changed. "
                       "Open your latest backup instead."), name);
      return NULL;
    }

  if (version > KDX_SCHEMA_VERSION)
    {
      become_read_only (self, KDX_STORE_READ_ONLY_NEWER);
      return g_steal_pointer (&self);
    }

  /* An older file can still be read, verified and exported as it is: an
   * auditor's copy is never upgraded behind their back. */
  if (flags & KDX_STORE_OPEN_READ_ONLY)
    {
      become_read_only (self, KDX_STORE_READ_ONLY_REQUESTED);
      return g_steal_pointer (&self);
    }

  if (!path_is_writable (path))
    {
      if (version < KDX_SCHEMA_VERSION)
        {
          g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY,
                       _("“%s” must be upgraded, but its folder is not writable"), name);
          return NULL;
        }
      become_read_only (self, KDX_STORE_READ_ONLY_UNWRITABLE);
      return g_steal_pointer (&self);
    }

  sqlite3_close_v2 (self->db);
  self->db = open_connection (path, TRUE, FALSE, &self->wal, error);
  if (self->db == NULL)
    return NULL;

  if (!acquire_lock (self, error))
    return NULL;

  if (self->read_only == KDX_STORE_READ_ONLY_LOCKED)
    {
      become_read_only (self, KDX_STORE_READ_ONLY_LOCKED);
      if (version < KDX_SCHEMA_VERSION)
        {
          g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_LOCKED,
                       _("“%s” must be upgraded, but another Kodex is using it"), name);
          return NULL;
        }
      return g_steal_pointer (&self);
    }

  if (version < KDX_SCHEMA_VERSION)
    {
      g_autofree char *backup = migration_backup_path (path, (int) version);

      if (!kdx_store_backup (self, backup, NULL, error))
        {
          g_prefix_error (error, _("The workspace was not upgraded: "));
          return NULL;
        }
      if (!run_migrations (self, (int) version, KDX_SCHEMA_VERSION, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

KdxStore *
kdx_store_open_secondary (KdxStore  *store,
                          GError   **error)
{
  g_autoptr(KdxStore) self = NULL;

  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  self = g_object_new (KDX_TYPE_STORE, NULL);
  self->path = g_strdup (store->path);
  self->token = g_strdup (store->token);
  self->actor = g_strdup (store->actor);
  self->read_only = store->read_only;
  self->db = open_connection (store->path, store->read_only == KDX_STORE_READ_ONLY_NONE,
                              FALSE, &self->wal, error);
  if (self->db == NULL)
    return NULL;
  if (self->read_only != KDX_STORE_READ_ONLY_NONE)
    sqlite3_exec (self->db, "PRAGMA query_only = ON", NULL, NULL, NULL);

  return g_steal_pointer (&self);
}

/* The largest mapping SQLite takes by default (SQLITE_MAX_MMAP_SIZE). */
#define READER_MMAP_SIZE "2147418112"

KdxStore *
kdx_store_open_reader (KdxStore  *self,
                       GError   **error)
{
  g_autoptr(KdxStore) reader = NULL;

  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  reader = g_object_new (KDX_TYPE_STORE, NULL);
  reader->path = g_strdup (self->path);
  /* Nothing that may change meanwhile is copied: this may run in another
   * thread than @self's. */
  reader->token = g_strdup (self->token);
  reader->read_only = KDX_STORE_READ_ONLY_REQUESTED;
  reader->db = open_connection (self->path, FALSE, FALSE, &reader->wal, error);
  if (reader->db == NULL)
    return NULL;
  sqlite3_exec (reader->db, "PRAGMA query_only = ON", NULL, NULL, NULL);

  /* Reading a large file through a mapping saves a copy of every page:
   * the integrity check and the chain run about a third faster. Only on a
   * local disk, where the mapping shares the page cache; the file never
   * shrinks under it (nothing in Kodex vacuums). */
  if (path_is_on_local_fs (self->path))
    sqlite3_exec (reader->db, "PRAGMA mmap_size = " READER_MMAP_SIZE, NULL, NULL, NULL);

  return g_steal_pointer (&reader);
}

void
kdx_store_close (KdxStore *self)
{
  g_return_if_fail (KDX_IS_STORE (self));

  if (self->db == NULL)
    return;

  if (self->in_transaction)
    kdx_store_rollback (self);
  /* Keeps the planner's statistics current, as SQLite advises on close. */
  if (self->owns_lock)
    sqlite3_exec (self->db, "PRAGMA optimize", NULL, NULL, NULL);
  release_lock (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  sqlite3_close_v2 (self->db);
  self->db = NULL;
}

const char *
kdx_store_get_path (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  return self->path;
}

char *
kdx_store_dup_display_name (KdxStore *self)
{
  g_autofree char *organisation = NULL;

  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  organisation = kdx_store_dup_setting (self, "organisation");
  if (organisation != NULL && *organisation != '\0')
    return g_steal_pointer (&organisation);

  return display_name_for_path (self->path);
}

gboolean
kdx_store_is_read_only (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), TRUE);

  return self->read_only != KDX_STORE_READ_ONLY_NONE;
}

KdxStoreReadOnlyReason
kdx_store_get_read_only_reason (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), KDX_STORE_READ_ONLY_REQUESTED);

  return self->read_only;
}

gboolean
kdx_store_needs_deep_check (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);

  return self->deep_check_pending;
}

/* The full check that KDX_STORE_OPEN_DEFER_CHECK left for later; run it
 * on a connection of a job. */
gboolean
kdx_store_deep_check (KdxStore  *self,
                      GError   **error)
{
  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);

  return quick_check (self->db, self->path, FALSE, error);
}

/* The deferred check passed (on the job's connection): writes may begin. */
void
kdx_store_mark_checked (KdxStore *self)
{
  g_return_if_fail (KDX_IS_STORE (self));

  self->deep_check_pending = FALSE;
}

/* The deferred check failed: nothing more is written to the file. */
void
kdx_store_mark_damaged (KdxStore *self)
{
  g_return_if_fail (KDX_IS_STORE (self));

  /* The lock row is left as it is: removing it would be a write. It is
   * stale once this process ends. */
  if (self->in_transaction)
    kdx_store_rollback (self);
  become_read_only (self, KDX_STORE_READ_ONLY_DAMAGED);
  self->deep_check_pending = FALSE;
  kdx_store_emit_changed (self, "workspace");
}

gboolean
kdx_store_uses_wal (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);

  return self->wal;
}

KdxLockHolder *
kdx_store_dup_lock_holder (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  return read_lock_row (self, NULL);
}

gboolean
kdx_store_heartbeat (KdxStore  *self,
                     GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);

  if (!self->owns_lock)
    return TRUE;

  stmt = kdx_store_prepare (self, "UPDATE lock SET heartbeat = ?2 WHERE id = 1 AND token = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (!kdx_store_step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_autofree char *name = display_name_for_path (self->path);

      become_read_only (self, KDX_STORE_READ_ONLY_LOCKED);
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_LOCK_LOST,
                   _("Another Kodex took over “%s”; it is now read-only here"), name);
      return FALSE;
    }

  return TRUE;
}

gboolean
kdx_store_break_lock (KdxStore  *self,
                      GError   **error)
{
  g_autoptr(KdxLockHolder) holder = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);

  if (self->read_only != KDX_STORE_READ_ONLY_LOCKED)
    return TRUE;

  sqlite3_exec (self->db, "PRAGMA query_only = OFF", NULL, NULL, NULL);
  if (!kdx_store_exec (self, "BEGIN IMMEDIATE", error))
    goto fail;

  holder = read_lock_row (self, NULL);
  if (!write_lock_row (self, error))
    goto fail;

  self->in_transaction = TRUE;
  json = holder ? kdx_journal_lock_json (holder) : NULL;
  if (!kdx_journal_append (self, "workspace", NULL, "break-lock",
                           holder ? holder->user : NULL, json, NULL, error))
    goto fail;
  self->in_transaction = FALSE;

  if (!kdx_store_exec (self, "COMMIT", error))
    goto fail;

  self->owns_lock = TRUE;
  self->read_only = KDX_STORE_READ_ONLY_NONE;
  kdx_store_emit_changed (self, "workspace");
  return TRUE;

fail:
  self->in_transaction = FALSE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_exec (self->db, "PRAGMA query_only = ON", NULL, NULL, NULL);
  return FALSE;
}

void
kdx_store_set_actor (KdxStore   *self,
                     const char *person_uuid)
{
  g_return_if_fail (KDX_IS_STORE (self));

  g_free (self->actor);
  self->actor = g_strdup (person_uuid);
}

const char *
kdx_store_get_actor (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  return self->actor;
}

char *
kdx_store_dup_actor_name (KdxStore *self)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  if (self->actor == NULL)
    return NULL;

  stmt = kdx_store_prepare_cached (self, "SELECT name FROM person WHERE uuid = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->actor, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

gboolean
kdx_store_in_transaction (KdxStore *self)
{
  return self->in_transaction;
}

gboolean
kdx_store_begin_if_needed (KdxStore  *self,
                           gboolean  *own,
                           GError   **error)
{
  *own = !self->in_transaction;

  return !*own || kdx_store_begin (self, error);
}

gboolean
kdx_store_finish (KdxStore  *self,
                  gboolean   own,
                  gboolean   ok,
                  GError   **error)
{
  if (!own)
    return ok;
  if (!ok)
    {
      kdx_store_rollback (self);
      return FALSE;
    }

  return kdx_store_commit (self, error);
}

void
kdx_store_bind_text_or_null (sqlite3_stmt *stmt,
                             int           index,
                             const char   *value)
{
  if (value)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

gboolean
kdx_store_begin (KdxStore  *self,
                 GError   **error)
{
  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (self->read_only != KDX_STORE_READ_ONLY_NONE)
    {
      g_autofree char *name = display_name_for_path (self->path);

      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_READ_ONLY,
                   _("“%s” is open read-only; nothing was changed"), name);
      return FALSE;
    }

  if (self->deep_check_pending)
    {
      g_autofree char *name = display_name_for_path (self->path);

      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_LOCKED,
                   _("“%s” is still being checked; try again in a moment"), name);
      return FALSE;
    }

  if (!kdx_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  /* A writer that was paused long enough to lose its lock writes nothing. */
  if (!still_own_lock (self))
    {
      g_autofree char *name = display_name_for_path (self->path);

      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      become_read_only (self, KDX_STORE_READ_ONLY_LOCKED);
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_LOCK_LOST,
                   _("Another Kodex took over “%s”; it is now read-only here and nothing was changed"),
                   name);
      return FALSE;
    }

  self->in_transaction = TRUE;
  g_hash_table_remove_all (self->changed);

  return TRUE;
}

gboolean
kdx_store_commit (KdxStore  *self,
                  GError   **error)
{
  g_autoptr(GHashTable) changed = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!kdx_store_exec (self, "COMMIT", error))
    {
      kdx_store_rollback (self);
      return FALSE;
    }

  self->in_transaction = FALSE;

  changed = g_steal_pointer (&self->changed);
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_array_unref);

  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_signal_emit (self, signals[SIGNAL_CHANGED], g_quark_from_string (key), key, value);

  return TRUE;
}

void
kdx_store_rollback (KdxStore *self)
{
  g_return_if_fail (KDX_IS_STORE (self));

  if (!self->in_transaction)
    return;

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;
  g_hash_table_remove_all (self->changed);
}

void
kdx_store_mark_changed (KdxStore   *self,
                        const char *entity,
                        gint64      id)
{
  GArray *ids;

  g_return_if_fail (KDX_IS_STORE (self));

  ids = g_hash_table_lookup (self->changed, entity);
  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->changed, g_strdup (entity), ids);
    }
  if (id > 0)
    g_array_append_val (ids, id);
}

void
kdx_store_emit_changed (KdxStore   *self,
                        const char *entity)
{
  g_return_if_fail (KDX_IS_STORE (self));

  g_signal_emit (self, signals[SIGNAL_CHANGED], g_quark_from_string (entity), entity, NULL);
}

char *
kdx_store_dup_setting (KdxStore   *self,
                       const char *key)
{
  g_autoptr(KdxCachedStmt) stmt = NULL;

  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  stmt = kdx_store_prepare_cached (self, "SELECT value FROM setting WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return kdx_store_column_text (stmt, 0);
}

/* Inside a transaction it joins it; outside it makes its own. */
gboolean
kdx_store_set_setting (KdxStore    *self,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *before = NULL;
  g_autofree char *before_json = NULL;
  g_autofree char *after_json = NULL;
  gboolean own = !self->in_transaction;

  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  before = kdx_store_dup_setting (self, key);
  if (g_strcmp0 (before, value) == 0)
    return TRUE;

  if (own && !kdx_store_begin (self, error))
    return FALSE;

  stmt = kdx_store_prepare (self, "INSERT OR REPLACE INTO setting (key, value) VALUES (?1, ?2)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (!kdx_store_step_done (self, stmt, error))
    goto fail;

  before_json = before ? kdx_journal_value_json (before) : NULL;
  after_json = value ? kdx_journal_value_json (value) : NULL;
  if (!kdx_journal_append (self, "setting", key, "update", key, before_json, after_json, error))
    goto fail;

  kdx_store_mark_changed (self, "setting", 0);

  if (own && !kdx_store_commit (self, error))
    return FALSE;

  return TRUE;

fail:
  if (own)
    kdx_store_rollback (self);
  return FALSE;
}

/* Temporary copies are full copies of personal data. A process killed while
 * writing one leaves it behind; the next writer in that folder removes the
 * leftovers of processes of this host that no longer run. Names are
 * ".kodex-KIND-PID-XXXXXX". */
static void
remove_stale_temporaries (const char *dir,
                          const char *kind)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autofree char *prefix = g_strdup_printf (".kodex-%s-", kind);
  const char *entry;

  while (listing != NULL && (entry = g_dir_read_name (listing)) != NULL)
    {
      guint64 pid;
      char *end = NULL;

      if (!g_str_has_prefix (entry, prefix))
        continue;
      pid = g_ascii_strtoull (entry + strlen (prefix), &end, 10);
      if (end == NULL || *end != '-' || pid == 0 || pid > G_MAXINT)
        continue;
      if (kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *path = g_build_filename (dir, entry, NULL);
          g_unlink (path);
        }
    }
}

/* Creates an empty 0600 temporary file in @dir; returns its path. */
char *
kdx_store_make_temporary (const char  *dir,
                          const char  *kind,
                          GError     **error)
{
  g_autofree char *name = g_strdup_printf (".kodex-%s-%d-XXXXXX", kind, (int) getpid ());
  g_autofree char *tmp = g_build_filename (dir, name, NULL);
  int fd;

  remove_stale_temporaries (dir, kind);

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
      return NULL;
    }
  fchmod (fd, 0600);
  close (fd);

  return g_steal_pointer (&tmp);
}

static gboolean
fsync_path (const char *path,
            int         flags)
{
  int fd = g_open (path, flags | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = fsync (fd) == 0;
  close (fd);

  return ok;
}

/* A consistent copy through the SQLite backup API, written to a temporary
 * file beside the target and renamed over it, so the target is either the
 * old file or a complete new one. */
gboolean
kdx_store_backup (KdxStore      *self,
                  const char    *dest_path,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *dest_name = display_name_for_path (dest_path);
  g_autofree char *dir = g_path_get_dirname (dest_path);
  g_autofree char *tmp = NULL;
  g_autoptr(GError) tmp_error = NULL;
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  tmp = kdx_store_make_temporary (dir, "backup", &tmp_error);
  if (tmp == NULL)
    {
      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
                   _("The backup “%s” cannot be written: %s"), dest_name, tmp_error->message);
      return FALSE;
    }

  if (sqlite3_open_v2 (tmp, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
    goto io_fail;
  apply_connection_settings (dest, FALSE, TRUE, NULL);

  backup = sqlite3_backup_init (dest, "main", self->db, "main");
  if (backup == NULL)
    goto io_fail;

  /* Copied in one step: the copy is one snapshot, between two commits. */
  do
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      rc = sqlite3_backup_step (backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish (backup);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto cleanup;
  if (rc != SQLITE_DONE)
    goto io_fail;

  /* The copy is a workspace of its own: no lock, a rollback journal. */
  if (sqlite3_exec (dest,
                    "PRAGMA journal_mode = DELETE;"
                    "DELETE FROM lock;",
                    NULL, NULL, NULL) != SQLITE_OK)
    goto io_fail;

  if (sqlite3_close (dest) != SQLITE_OK)
    {
      dest = NULL;
      goto io_fail;
    }
  dest = NULL;

  if (!fsync_path (tmp, O_RDONLY) || g_rename (tmp, dest_path) != 0)
    goto io_fail;
  fsync_path (dir, O_RDONLY | O_DIRECTORY);

  return TRUE;

io_fail:
  g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_IO,
               _("The backup “%s” cannot be written: %s"), dest_name,
               dest ? sqlite3_errmsg (dest) : g_strerror (errno ? errno : EIO));
cleanup:
  if (dest != NULL)
    sqlite3_close_v2 (dest);
  g_unlink (tmp);
  {
    g_autofree char *jrn = g_strconcat (tmp, "-journal", NULL);
    g_unlink (jrn);
  }
  return FALSE;
}

/* Integrity and foreign keys; the journal chain is kdx_journal_verify(). */
gboolean
kdx_store_check (KdxStore  *self,
                 GString   *report,
                 GError   **error)
{
  g_autoptr(sqlite3_stmt) integrity = NULL;
  g_autoptr(sqlite3_stmt) fk = NULL;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (KDX_IS_STORE (self), FALSE);

  /* Checking every index entry against its table re-reads pages many
   * times; a cache of 128 MB for the check makes that memory, not I/O. */
  sqlite3_exec (self->db, "PRAGMA cache_size = -131072", NULL, NULL, NULL);

  integrity = kdx_store_prepare (self, "PRAGMA integrity_check(20)", error);
  if (integrity == NULL)
    return FALSE;
  while ((rc = sqlite3_step (integrity)) == SQLITE_ROW)
    {
      const char *row = (const char *) sqlite3_column_text (integrity, 0);

      if (g_strcmp0 (row, "ok") != 0)
        {
          ok = FALSE;
          if (report)
            g_string_append_printf (report, _("Integrity: %s\n"), row);
        }
    }

  if (rc == SQLITE_DONE)
    {
      fk = kdx_store_prepare (self, "PRAGMA foreign_key_check", error);
      if (fk == NULL)
        return FALSE;
      while ((rc = sqlite3_step (fk)) == SQLITE_ROW)
        {
          ok = FALSE;
          if (report)
            g_string_append_printf (report, _("Foreign key: row %" PRId64
                                              " of “%s” refers to a missing row of “%s”\n"),
                                    (gint64) sqlite3_column_int64 (fk, 1),
                                    (const char *) sqlite3_column_text (fk, 0),
                                    (const char *) sqlite3_column_text (fk, 2));
        }
    }

  sqlite3_exec (self->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);

  /* A check that cannot read to the end has not passed. */
  if (rc != SQLITE_DONE)
    {
      kdx_store_set_sql_error (self, error);
      return FALSE;
    }

  if (!ok)
    {
      g_autofree char *name = display_name_for_path (self->path);

      g_set_error (error, KDX_STORE_ERROR, KDX_STORE_ERROR_DAMAGED,
                   _("“%s” failed the integrity check"), name);
    }

  return ok;
}

sqlite3 *
kdx_store_get_db (KdxStore *self)
{
  g_return_val_if_fail (KDX_IS_STORE (self), NULL);

  return self->db;
}

void
kdx_store_raise_cache (KdxStore *self,
                       int       kib)
{
  /* Pragmas take no parameters: the sizes Kodex uses, as statements. */
  static const struct { int kib; const char *sql; } sizes[] = {
    { 16384, "PRAGMA cache_size = -16384" },
    { 32768, "PRAGMA cache_size = -32768" },
  };
  int now;

  g_return_if_fail (KDX_IS_STORE (self));

  now = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "kdx-cache-kib"));
  if (kib <= now || self->db == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    if (sizes[i].kib >= kib || i == G_N_ELEMENTS (sizes) - 1)
      {
        if (sizes[i].kib > now &&
            sqlite3_exec (self->db, sizes[i].sql, NULL, NULL, NULL) == SQLITE_OK)
          g_object_set_data (G_OBJECT (self), "kdx-cache-kib", GINT_TO_POINTER (sizes[i].kib));
        return;
      }
}
