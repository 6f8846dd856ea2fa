/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-job.h"
#include "kdx-store.h"

G_BEGIN_DECLS

typedef enum
{
  KDX_DEMO_SMALL,
  KDX_DEMO_LARGE,
} KdxDemoSize;

/* Fills a new workspace with a German B2B sales company: small is what a
 * newcomer explores, large is what the benchmarks measure (100,000 people,
 * 2,000 policies and AI systems, 10 courses with a round for everyone).
 * Training dates count back from today, so that the statuses (overdue,
 * expiring, expired) stay what they are meant to be whenever it is made. */
gboolean kdx_demo_fill (KdxStore      *store,
                        KdxDemoSize    size,
                        const char    *language,
                        KdxJob        *job,
                        GCancellable  *cancellable,
                        GError       **error);

G_END_DECLS
