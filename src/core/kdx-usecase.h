/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The library of typical AI use cases in sales. A system created from one
 * starts with its use case, data categories, suggested classification
 * answers, oversight mode, suggested policies (by template id) and the
 * obligations it usually carries — all of it editable afterwards.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *id;                /* stable: "lead-scoring" */
  const char *name;              /* untranslated; kdx_use_case_get_name() */
  const char *description;       /* untranslated; kdx_use_case_get_description() */
  /* NULL-terminated lists of stable identifiers. */
  const char *const *data_categories;   /* see kdx_data_category_*() in kdx-system.h */
  /* "question-id=yes" / "question-id=no" (kdx-classify.h) */
  const char *const *answers;
  /* Template ids of data/templates (kdx-template.h): "lead-scoring" */
  const char *const *policies;
  const char *oversight;         /* "in-the-loop", "on-the-loop", "in-command" */
  const char *legal_basis;       /* see kdx_legal_basis_*() in kdx-system.h */
  const char *consent;           /* "not-needed", "opt-in", "opt-out" */
  /* What it does, for the customer notice, in both languages whatever the
   * UI's (the notice is written in German and in English):
   * "to rank enquiries by how likely they are to lead to an order" */
  const char *purpose_en;
  const char *purpose_de;
} KdxUseCase;

const KdxUseCase *kdx_use_case_get_all         (guint            *n_use_cases);
/* NULL for an unknown id. */
const KdxUseCase *kdx_use_case_lookup          (const char       *id);
const char       *kdx_use_case_get_name        (const KdxUseCase *use_case);
const char       *kdx_use_case_get_description (const KdxUseCase *use_case);
/* @language: "de" or "en" */
const char       *kdx_use_case_get_purpose     (const KdxUseCase *use_case,
                                                const char       *language);
/* The suggested answers as a set (kdx_answers_new()). */
GHashTable       *kdx_use_case_dup_answers     (const KdxUseCase *use_case);

G_END_DECLS
