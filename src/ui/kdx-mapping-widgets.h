/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-mapping.h"
#include "kdx-person-chooser.h"

G_BEGIN_DECLS

/* What the views of mappings share: the Frameworks area, a policy's
 * Mappings tab and a system's Policies section. */

/* The text of @editable without surrounding space; NULL when that
 * leaves nothing. */
char *kdx_editable_dup_stripped (GtkEditable *editable);

/* A toast with Undo in the toast overlay @widget sits in; @undo runs with
 * @data when it is clicked, and @data is freed with the toast. Without an
 * overlay the message goes to the window (or the log) and @data is freed. */
void  kdx_toast_with_undo       (GtkWidget      *widget,
                                 const char     *message,
                                 GCallback       undo,
                                 gpointer        data,
                                 GDestroyNotify  data_free);

/* A policy ↔ requirement link that Undo puts back. */
typedef struct
{
  KdxStore *store;
  char     *policy;
  char     *requirement;
} KdxRequirementLink;

KdxRequirementLink *kdx_requirement_link_new     (KdxStore           *store,
                                                  const char         *policy,
                                                  const char         *requirement);
void                kdx_requirement_link_free    (KdxRequirementLink *link);
/* The "button-clicked" handler of the toast: links them again. */
void                kdx_requirement_link_undo_cb (AdwToast           *toast,
                                                  KdxRequirementLink *link);

/* A policy ↔ system assessment as stored, that Undo puts back. */
typedef struct
{
  KdxStore *store;
  char     *system;
  char     *policy;
  int       status;
  char     *assessor;
  char     *date;
  char     *evidence;
} KdxAssessment;

KdxAssessment *kdx_assessment_new     (KdxStore            *store,
                                       const char          *system,
                                       const char          *policy,
                                       const KdxMappingRow *row);
void           kdx_assessment_free    (KdxAssessment       *assessment);
/* The "button-clicked" handler of the toast: applies it again. */
void           kdx_assessment_undo_cb (AdwToast            *toast,
                                       KdxAssessment       *assessment);

/* The rows of an expander row that edit who assessed, when and on which
 * evidence. The widgets belong to the expander row. */
typedef struct
{
  KdxPersonChooser *assessor;
  AdwEntryRow      *date;
  AdwEntryRow      *evidence;
} KdxAssessmentEditor;

/* Adds the rows to @row; @changed runs with @data (swapped) when one of
 * them is changed or applied. */
void kdx_assessment_editor_add  (KdxAssessmentEditor *editor,
                                 AdwExpanderRow      *row,
                                 KdxStore            *store,
                                 GCallback            changed,
                                 gpointer             data);
/* Shows @mapping in the rows, touching only what differs (so that an
 * open row keeps the focus), sensitive when @can_edit. */
void kdx_assessment_editor_show (KdxAssessmentEditor *editor,
                                 const KdxMappingRow *mapping,
                                 gboolean             can_edit);

G_END_DECLS
