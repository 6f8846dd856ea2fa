/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_JOB (kdx_job_get_type ())
G_DECLARE_FINAL_TYPE (KdxJob, kdx_job, KDX, JOB, GObject)

/* Runs in a worker thread. @store is the job's own connection to the
 * workspace (NULL when the job was started without one). */
typedef gboolean (*KdxJobFunc) (KdxJob        *job,
                                KdxStore      *store,
                                gpointer       data,
                                GCancellable  *cancellable,
                                GError       **error);

KdxJob       *kdx_job_new             (const char          *title);
const char   *kdx_job_get_title       (KdxJob              *self);
double        kdx_job_get_fraction    (KdxJob              *self);
char         *kdx_job_dup_message     (KdxJob              *self);

/* Thread-safe; the properties are notified on the main thread, at most
 * ten times a second. */
void          kdx_job_set_progress    (KdxJob              *self,
                                       double               fraction,
                                       const char          *message);

void          kdx_job_run_async       (KdxJob              *self,
                                       KdxStore            *store,
                                       KdxJobFunc           func,
                                       gpointer             data,
                                       GDestroyNotify       data_free,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean      kdx_job_run_finish      (KdxJob              *self,
                                       GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
