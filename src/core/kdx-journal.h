/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_JOURNAL_ERROR (kdx_journal_error_quark ())

typedef enum
{
  KDX_JOURNAL_ERROR_BROKEN_CHAIN,
  KDX_JOURNAL_ERROR_MISSING_ENTRY,
  KDX_JOURNAL_ERROR_TRUNCATED,
  KDX_JOURNAL_ERROR_NOT_IN_TRANSACTION,
} KdxJournalError;

#define KDX_TYPE_JOURNAL_ENTRY (kdx_journal_entry_get_type ())
G_DECLARE_FINAL_TYPE (KdxJournalEntry, kdx_journal_entry, KDX, JOURNAL_ENTRY, GObject)

gint64       kdx_journal_entry_get_id          (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_time        (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_os_user     (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_actor       (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_actor_name  (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_entity      (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_entity_id   (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_action      (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_summary     (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_before      (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_after       (KdxJournalEntry *self);
const char  *kdx_journal_entry_get_hash        (KdxJournalEntry *self);
char        *kdx_journal_entry_dup_local_time  (KdxJournalEntry *self);

typedef struct
{
  char   *entity;      /* NULL: all */
  char   *actor;       /* substring of the actor's name or OS user; NULL: all */
  char   *search;      /* substring of summary, entity id or payload; NULL: all */
  gint64  from_unix;   /* 0: open */
  gint64  until_unix;  /* 0: open */
} KdxJournalFilter;

void         kdx_journal_filter_clear          (KdxJournalFilter *filter);

GQuark       kdx_journal_error_quark           (void);

/* Inside a transaction of @store: appends an entry and extends the chain. */
gboolean     kdx_journal_append                (KdxStore         *store,
                                                const char       *entity,
                                                const char       *entity_id,
                                                const char       *action,
                                                const char       *summary,
                                                const char       *before_json,
                                                const char       *after_json,
                                                GError          **error);

/* Recomputes the chain. When @expected_count is > 0 the journal must also
 * end on that head (from a report), which detects truncation. On failure
 * @first_bad is the id of the first entry that does not match. */
gboolean     kdx_journal_verify                (KdxStore         *store,
                                                gint64            expected_count,
                                                const char       *expected_hash,
                                                gint64           *first_bad,
                                                gint64           *n_checked,
                                                GCancellable     *cancellable,
                                                GError          **error);

/* What `kodex-cli verify` checks: the file's integrity and foreign keys
 * (kdx_store_check(), on a connection of its own in another thread) and
 * the chain (kdx_journal_verify()), side by side. A file that fails the
 * check is reported as damaged, with the check's findings in @report,
 * whatever its chain says; otherwise the result is the chain's. */
gboolean     kdx_journal_verify_workspace      (KdxStore         *store,
                                                gint64            expected_count,
                                                const char       *expected_hash,
                                                GString          *report,
                                                gint64           *first_bad,
                                                gint64           *n_checked,
                                                GCancellable     *cancellable,
                                                GError          **error);

/* For tests: recompute the chain in @n_stretches parallel stretches (0:
 * one per processor) from @min_entries entries on (0: the default). */
void         _kdx_journal_set_parallel         (gint64           min_entries,
                                                guint            n_stretches);

/* For tests: SHA-256 as verification computes it, with the processor's
 * SHA extensions (when it has them and @hardware is set) or GChecksum. */
void         _kdx_journal_sha256_hex           (const char      *data,
                                                gsize            length,
                                                gboolean         hardware,
                                                char             hex[65]);
gboolean     _kdx_journal_sha256_has_hardware  (void);

gboolean     kdx_journal_get_head              (KdxStore         *store,
                                                gint64           *count,
                                                char            **hash);

KdxJournalEntry *kdx_journal_load              (KdxStore         *store,
                                                gint64            id);

/* A query-backed list of entries, newest first. */
GListModel  *kdx_journal_model_new             (KdxStore         *store);
void         kdx_journal_model_set_filter      (GListModel       *model,
                                                const KdxJournalFilter *filter);
GStrv        kdx_journal_dup_entities          (KdxStore         *store);

/* Erasure of a person (kdx-privacy.h). A string is found where it stands
 * as a whole (not "Ann" in "Annual"), with ASCII letters in either case,
 * in the summary, the actor's name, and before and after (inside their
 * JSON strings, as written there). */

/* The ids of the entries that hold one of @strings, in order. */
GArray      *kdx_journal_find_strings          (KdxStore           *store,
                                                const char *const  *strings,
                                                GError            **error);
/* Inside a transaction of @store: replaces @strings by @replacement in
 * every such entry, keeping the stored hashes, and appends an entry of
 * entity "erasure" for @entity_id, action "erase", with @summary, whose
 * after lists each rewritten entry's id and its new link (the digest that
 * kdx_journal_verify() then accepts for it, as long as the erasure entry
 * itself verifies). @summary, @entity_id and the current actor's name must
 * not hold any of @strings. */
gboolean     kdx_journal_erase_strings         (KdxStore           *store,
                                                const char         *entity_id,
                                                const char         *summary,
                                                const char *const  *strings,
                                                const char         *replacement,
                                                guint              *n_rewritten,
                                                GError            **error);

char        *kdx_journal_value_json            (const char       *value);
char        *kdx_journal_lock_json             (const KdxLockHolder *holder);

G_END_DECLS
