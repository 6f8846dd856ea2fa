/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's rights over their data (GDPR Art. 15, 17, 20; SAFETY.md
 * "Personal data"):
 *
 * - Export: every row of the workspace that refers to the person (the
 *   person, their assignments, votes, acknowledgements, the systems they
 *   own, oversee or are in the RACI of, policies they own or wrote,
 *   mappings they assessed, and the journal entries about them or made by
 *   them), as JSON or as XML valid against data/schema/kodex-person.rng.
 *   The same workspace gives the same bytes on every run.
 *
 * - Erasure: the person's row keeps its id (votes, acknowledgements and
 *   completions stay counted) but loses name, e-mail, employee id, role
 *   and manager, and is named "Erased person N". Every journal entry that
 *   holds one of the erased strings is rewritten with the pseudonym, and
 *   an "erasure" entry lists the rewritten entries with the digest of
 *   their new content, so that kdx_journal_verify() accepts exactly those
 *   and the chain still verifies. Search indexes are purged, freed pages
 *   are zeroed (secure_delete) and the write-ahead log is checkpointed and
 *   truncated, so that no byte of the erased strings stays in the file,
 *   its -wal, or any later backup or export. It cannot be undone.
 */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_PRIVACY_ERROR (kdx_privacy_error_quark ())

typedef enum
{
  KDX_PRIVACY_ERROR_NOT_FOUND,
  KDX_PRIVACY_ERROR_ERASED,      /* already erased */
  KDX_PRIVACY_ERROR_CHECKPOINT,  /* another connection kept the old pages in the -wal */
} KdxPrivacyError;

GQuark kdx_privacy_error_quark (void);

typedef enum
{
  KDX_PERSON_EXPORT_JSON,
  KDX_PERSON_EXPORT_XML,
} KdxPersonExportFormat;

/* @uuid_or_email as kdx_person_find(); also an employee id. */
GBytes   *kdx_privacy_export_person  (KdxStore              *store,
                                      const char            *uuid_or_email,
                                      KdxPersonExportFormat  format,
                                      GCancellable          *cancellable,
                                      GError               **error);
/* Writes the export to @path, 0600. */
gboolean  kdx_privacy_export_person_to_file (KdxStore              *store,
                                             const char            *uuid_or_email,
                                             KdxPersonExportFormat  format,
                                             const char            *path,
                                             GCancellable          *cancellable,
                                             GError               **error);

typedef struct
{
  guint n_journal_rewritten;  /* journal entries that held the person's strings */
  char *pseudonym;            /* "Erased person 17" */
} KdxErasureReport;

void      kdx_erasure_report_clear   (KdxErasureReport      *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KdxErasureReport, kdx_erasure_report_clear)

/* One transaction, then the checkpoint. Journaled as an "erasure" entry
 * that names no erased string. @report may be NULL. The pseudonym is
 * stored as it is ("Erased person 17", in no language). Not inside a
 * transaction of @store. When the checkpoint fails
 * (KDX_PRIVACY_ERROR_CHECKPOINT) the erasure is done and @report filled:
 * only the -wal keeps old pages until every connection has closed. */
gboolean  kdx_privacy_erase_person   (KdxStore              *store,
                                      const char            *uuid_or_email,
                                      KdxErasureReport      *report,
                                      GCancellable          *cancellable,
                                      GError               **error);

/* A stored pseudonym ("Erased person 17") as the user's language says
 * it; NULL when @name is not one. For views that show people's names. */
char     *kdx_privacy_dup_pseudonym_label (const char          *name);

G_END_DECLS
