/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A word-level comparison of two versions of a policy text (issue 3,
 * "Compare versions"). The result is a GArray of KdxDiffChunk in text
 * order. Every byte of the old text lies in exactly one EQUAL or DELETE
 * chunk and every byte of the new text in exactly one EQUAL or INSERT
 * chunk, so a side-by-side view colours the DELETE chunks in the old text
 * and the INSERT chunks in the new one, and an inline view prints the
 * chunks in order (a DELETE always comes before the INSERT that replaces
 * it). See kdx-diff.c for what counts as a word and how changes are
 * grouped. */

typedef enum
{
  KDX_DIFF_EQUAL,   /* in both texts */
  KDX_DIFF_DELETE,  /* only in the old text; new_length is 0 */
  KDX_DIFF_INSERT,  /* only in the new text; old_length is 0 */
} KdxDiffOp;

typedef struct
{
  KdxDiffOp op;
  gsize     old_offset;  /* bytes into the old text */
  gsize     old_length;
  gsize     new_offset;  /* bytes into the new text */
  gsize     new_length;
  guint     n_words;     /* words in the chunk: of the old text for DELETE and
                          * EQUAL, of the new text for INSERT */
} KdxDiffChunk;

GArray     *kdx_diff_words         (const char *old_text,
                                    gssize      old_length,
                                    const char *new_text,
                                    gssize      new_length);
void        kdx_diff_count         (GArray     *chunks,
                                    guint      *words_inserted,
                                    guint      *words_deleted);
char       *kdx_diff_describe      (GArray     *chunks);
const char *kdx_diff_op_to_string  (KdxDiffOp   op);

G_END_DECLS
