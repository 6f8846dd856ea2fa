/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

typedef struct
{
  int         version;
  const char *sql;
  /* Work that SQL alone cannot do, inside the same transaction. */
  gboolean  (*post) (KdxStore *store, GError **error);
} KdxMigration;

/* kdx-schema.c */
const KdxMigration *kdx_schema_get_migrations (guint *n_migrations);

/* For tests: pretend the file system of every workspace is of this kind
 * ("local", "nfs", "fuse", …). NULL returns to detection. */
void      _kdx_store_set_fs_type_override (const char *fs_type);

/* For tests: create a workspace with the schema only up to @version, as an
 * older Kodex would have written it. */
KdxStore *_kdx_store_create_at_version    (const char  *path,
                                           int          version,
                                           GError     **error);

/* A second connection to the same workspace for a job in a worker thread:
 * it writes under the lock of @store and never takes or releases it. */
KdxStore *kdx_store_open_secondary        (KdxStore    *store,
                                           GError     **error);

gboolean  kdx_store_in_transaction        (KdxStore    *self);

/* One change as its own transaction, or as part of the caller's: begin
 * sets *@own when it began one, and finish commits or rolls back only
 * then; with @ok FALSE finish returns FALSE. */
gboolean  kdx_store_begin_if_needed       (KdxStore    *self,
                                           gboolean    *own,
                                           GError     **error);
gboolean  kdx_store_finish                (KdxStore    *self,
                                           gboolean     own,
                                           gboolean     ok,
                                           GError     **error);
/* Binds @value, or NULL for a NULL @value. */
void      kdx_store_bind_text_or_null     (sqlite3_stmt *stmt,
                                           int           index,
                                           const char   *value);
char     *kdx_store_make_temporary        (const char  *dir,
                                           const char  *kind,
                                           GError     **error);
char     *kdx_store_now_iso8601           (void);
/* Lets the connection's page cache grow to @kib KiB (never shrinks it):
 * for views that read the same pages at every keystroke or filter. */
void      kdx_store_raise_cache           (KdxStore    *self,
                                           int          kib);

G_END_DECLS
