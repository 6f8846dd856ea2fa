/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* "KDX1", big-endian, at byte 68 of the file: what `file` and the MIME
 * database recognise a workspace by. */
#define KDX_APPLICATION_ID 0x4B445831
#define KDX_SCHEMA_VERSION 7

#define KDX_STORE_ERROR (kdx_store_error_quark ())

typedef enum
{
  KDX_STORE_ERROR_NOT_FOUND,
  KDX_STORE_ERROR_NOT_SQLITE,
  KDX_STORE_ERROR_NOT_WORKSPACE,
  KDX_STORE_ERROR_DAMAGED,
  KDX_STORE_ERROR_NEWER,
  KDX_STORE_ERROR_EXISTS,
  KDX_STORE_ERROR_READ_ONLY,
  KDX_STORE_ERROR_LOCKED,
  KDX_STORE_ERROR_LOCK_LOST,
  KDX_STORE_ERROR_IO,
  KDX_STORE_ERROR_INVALID,
  KDX_STORE_ERROR_FAILED,
} KdxStoreError;

typedef enum
{
  KDX_STORE_OPEN_DEFAULT   = 0,
  KDX_STORE_OPEN_READ_ONLY = 1 << 0, /* never take the lock, never write */
  /* A large file (64 MiB and more) is opened after a check of its header,
   * schema and small tables only; the caller runs kdx_store_deep_check()
   * soon after, in a job, and calls kdx_store_mark_damaged() if it fails.
   * Smaller files are always checked in full before anything else. */
  KDX_STORE_OPEN_DEFER_CHECK = 1 << 1,
} KdxStoreOpenFlags;

/* Why a store opened read-only. */
typedef enum
{
  KDX_STORE_READ_ONLY_NONE,
  KDX_STORE_READ_ONLY_REQUESTED,
  KDX_STORE_READ_ONLY_LOCKED,
  KDX_STORE_READ_ONLY_NEWER,
  KDX_STORE_READ_ONLY_UNWRITABLE,
  KDX_STORE_READ_ONLY_DAMAGED,
} KdxStoreReadOnlyReason;

typedef struct
{
  char   *user;
  char   *host;
  gint64  pid;
  gint64  since;      /* unix seconds */
  gint64  heartbeat;  /* unix seconds */
} KdxLockHolder;

void kdx_lock_holder_free (KdxLockHolder *holder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxLockHolder, kdx_lock_holder_free)

#define KDX_TYPE_STORE (kdx_store_get_type ())
G_DECLARE_FINAL_TYPE (KdxStore, kdx_store, KDX, STORE, GObject)

GQuark                 kdx_store_error_quark          (void);

KdxStore              *kdx_store_create               (const char         *path,
                                                       const char         *organisation,
                                                       const char         *language,
                                                       GError            **error);
KdxStore              *kdx_store_open                 (const char         *path,
                                                       KdxStoreOpenFlags   flags,
                                                       GError            **error);
void                   kdx_store_close                (KdxStore           *self);

const char            *kdx_store_get_path             (KdxStore           *self);
char                  *kdx_store_dup_display_name     (KdxStore           *self);
gboolean               kdx_store_is_read_only         (KdxStore           *self);
KdxStoreReadOnlyReason kdx_store_get_read_only_reason (KdxStore           *self);
KdxLockHolder         *kdx_store_dup_lock_holder      (KdxStore           *self);
gboolean               kdx_store_heartbeat            (KdxStore           *self,
                                                       GError            **error);
gboolean               kdx_store_break_lock           (KdxStore           *self,
                                                       GError            **error);
gboolean               kdx_store_uses_wal             (KdxStore           *self);
gboolean               kdx_store_needs_deep_check     (KdxStore           *self);
gboolean               kdx_store_deep_check           (KdxStore           *self,
                                                       GError            **error);
void                   kdx_store_mark_checked         (KdxStore           *self);
void                   kdx_store_mark_damaged         (KdxStore           *self);

/* The person (uuid) this user acts as; recorded in every journal entry
 * together with the OS user. */
void                   kdx_store_set_actor            (KdxStore           *self,
                                                       const char         *person_uuid);
const char            *kdx_store_get_actor            (KdxStore           *self);
char                  *kdx_store_dup_actor_name       (KdxStore           *self);

/* Transactions: one per user-visible change. begin takes a write lock
 * (BEGIN IMMEDIATE) and checks that this process still holds the
 * workspace lock. */
gboolean               kdx_store_begin                (KdxStore           *self,
                                                       GError            **error);
gboolean               kdx_store_commit               (KdxStore           *self,
                                                       GError            **error);
void                   kdx_store_rollback             (KdxStore           *self);
void                   kdx_store_mark_changed         (KdxStore           *self,
                                                       const char         *entity,
                                                       gint64              id);
void                   kdx_store_emit_changed         (KdxStore           *self,
                                                       const char         *entity);

/* Workspace settings (organisation, language, quorum rule, …). */
char                  *kdx_store_dup_setting          (KdxStore           *self,
                                                       const char         *key);
gboolean               kdx_store_set_setting          (KdxStore           *self,
                                                       const char         *key,
                                                       const char         *value,
                                                       GError            **error);

gboolean               kdx_store_backup               (KdxStore           *self,
                                                       const char         *dest_path,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
gboolean               kdx_store_check                (KdxStore           *self,
                                                       GString            *report,
                                                       GError            **error);
/* A read-only connection to the same workspace, for a worker thread that
 * only reads (verification, search): it never writes and never takes the
 * lock. */
KdxStore              *kdx_store_open_reader          (KdxStore           *self,
                                                       GError            **error);

/* For the modules of core only. */
sqlite3               *kdx_store_get_db               (KdxStore           *self);
sqlite3_stmt          *kdx_store_prepare              (KdxStore           *self,
                                                       const char         *sql,
                                                       GError            **error);
/* A statement the store keeps until it closes, for SQL that runs often:
 * it comes back reset, and is reset again (never finalized) when a
 * g_autoptr(KdxCachedStmt) goes out of scope. Not for SQL built at run
 * time, and never two uses of the same SQL at once. */
typedef sqlite3_stmt KdxCachedStmt;
KdxCachedStmt         *kdx_store_prepare_cached       (KdxStore           *self,
                                                       const char         *sql,
                                                       GError            **error);
gboolean               kdx_store_exec                 (KdxStore           *self,
                                                       const char         *sql,
                                                       GError            **error);
gboolean               kdx_store_step_done            (KdxStore           *self,
                                                       sqlite3_stmt       *stmt,
                                                       GError            **error);
void                   kdx_store_set_sql_error        (KdxStore           *self,
                                                       GError            **error);
gint64                 kdx_store_count                (KdxStore           *self,
                                                       const char         *sql);
char                  *kdx_store_column_text          (sqlite3_stmt       *stmt,
                                                       int                 column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCachedStmt, sqlite3_reset)

G_END_DECLS
