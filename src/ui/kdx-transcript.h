/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

/* The transcript of one person: every round of every course they have
 * had, newest first per course, and the print of it (A4). */
#define KDX_TYPE_TRANSCRIPT (kdx_transcript_get_type ())
G_DECLARE_FINAL_TYPE (KdxTranscript, kdx_transcript, KDX, TRANSCRIPT, GtkWidget)

KdxTranscript *kdx_transcript_new        (void);
/* Shows the person @uuid of @store (NULL: nobody). */
void           kdx_transcript_set_person (KdxTranscript *self,
                                          KdxStore      *store,
                                          const char    *uuid);
const char    *kdx_transcript_get_person (KdxTranscript *self);
/* The rounds shown (KdxAssignment*, owned by the transcript). */
GPtrArray     *kdx_transcript_get_rounds (KdxTranscript *self);
/* The print dialog (action "transcript.print"). */
void           kdx_transcript_print      (KdxTranscript *self);
/* Prints to @path as PDF without asking (tests, "Export"). */
gboolean       kdx_transcript_export_pdf (KdxTranscript *self,
                                          const char    *path,
                                          GError       **error);

G_END_DECLS
