/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* For kdx_version_compare_set_versions(): the version before the newest
 * (as @old_index) and the newest (as @new_index). */
#define KDX_VERSION_COMPARE_DEFAULT G_MAXUINT

/* Property "view-mode": "side-by-side" or "inline" (also the action
 * compare.view-mode), for a page that wants to remember the choice. */
#define KDX_TYPE_VERSION_COMPARE (kdx_version_compare_get_type ())
G_DECLARE_FINAL_TYPE (KdxVersionCompare, kdx_version_compare, KDX, VERSION_COMPARE, GtkWidget)

KdxVersionCompare *kdx_version_compare_new          (void);
/* @versions: (element-type KdxPolicyVersion) (nullable): oldest first;
 * NULL or empty shows an empty state. Selects @old_index and @new_index
 * (clamped to the last version; KDX_VERSION_COMPARE_DEFAULT: the one before
 * the newest, and the newest). Called again with the same versions (the
 * same uuids in the same order) it keeps what the person chose and only
 * compares again if a text changed. The comparison runs in a worker
 * thread; the views show the result when it is ready. */
void               kdx_version_compare_set_versions (KdxVersionCompare *self,
                                                     GPtrArray         *versions,
                                                     guint              old_index,
                                                     guint              new_index);
/* Whether a comparison is still running (for a spinner, and for tests). */
gboolean           kdx_version_compare_is_busy      (KdxVersionCompare *self);

G_END_DECLS
