/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The few training figures that the Overview shows on every change, each
 * read from an index so that they cost milliseconds on a million rounds
 * (the full status views are kdx_training_status()).
 */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 courses;            /* live courses */
  gint64 overdue;            /* current open rounds past their due date */
  gint64 expiring_30;        /* current completions that expire within 30 days */
  gint64 literacy_people;    /* live, active people */
  gint64 literacy_valid;     /* … of them with a valid completion of an AI-literacy course */
  gint64 literacy_courses;   /* live AI-literacy courses (0: the figure means nothing) */
  gint64 gated_systems;      /* systems the competence gate flags */
} KdxTrainingCounts;

/* @today NULL: the local date now. */
void kdx_training_count_overview (KdxStore          *store,
                                  const char        *today,
                                  KdxTrainingCounts *counts);

G_END_DECLS
