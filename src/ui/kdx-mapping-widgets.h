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

/* A window to pick one entry from a searchable list (Add Requirement…,
 * Apply to System…, Apply Policy…). It lives as long as its window. */

#define KDX_TYPE_PICK_ITEM (kdx_pick_item_get_type ())
G_DECLARE_FINAL_TYPE (KdxPickItem, kdx_pick_item, KDX, PICK_ITEM, GObject)

/* @taken: linked already, shown dimmed with @taken_subtitle in place of
 * @subtitle, and not to be picked. @depth indents it as in a tree. */
KdxPickItem *kdx_pick_item_new       (const char  *id,
                                      const char  *title,
                                      const char  *subtitle,
                                      const char  *taken_subtitle,
                                      guint        depth,
                                      gboolean     taken);
const char  *kdx_pick_item_get_id    (KdxPickItem *item);
const char  *kdx_pick_item_get_title (KdxPickItem *item);

typedef struct _KdxPicker KdxPicker;

/* Called with the entry picked (never a taken one); returns whether the
 * window closes. */
typedef gboolean (*KdxPickerChooseFunc) (KdxPickItem *item,
                                         gpointer     user_data);

/* @user_data is freed with @user_data_free when the window goes. */
KdxPicker *kdx_picker_new          (GtkWidget           *parent,
                                    const char          *title,
                                    const char          *confirm_label,
                                    const char          *search_placeholder,
                                    const char          *list_label,
                                    KdxPickerChooseFunc  choose,
                                    gpointer             user_data,
                                    GDestroyNotify       user_data_free);
/* Puts @widget above the search field. */
void       kdx_picker_add_header   (KdxPicker           *picker,
                                    GtkWidget           *widget);
/* Shows @items (KdxPickItem) in place of what was shown, none selected. */
void       kdx_picker_set_items    (KdxPicker           *picker,
                                    GPtrArray           *items);
/* Shows the window with the focus in the search field. */
void       kdx_picker_present      (KdxPicker           *picker);

G_END_DECLS
