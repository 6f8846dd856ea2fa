/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_COURSE_VIEW (kdx_course_view_get_type ())
G_DECLARE_FINAL_TYPE (KdxCourseView, kdx_course_view, KDX, COURSE_VIEW, GtkWidget)

KdxCourseView     *kdx_course_view_new             (void);
/* Shows the course @uuid of @store (NULL: nothing). */
void               kdx_course_view_set_course      (KdxCourseView *self,
                                                    KdxStore      *store,
                                                    const char    *uuid);
const char        *kdx_course_view_get_course      (KdxCourseView *self);
/* "assignments", "rules" or "details" */
void               kdx_course_view_show_section    (KdxCourseView *self,
                                                    const char    *section);
/* Shows the rounds with the focus in their search field. */
void               kdx_course_view_focus_search    (KdxCourseView *self);
/* Stores what is being typed (a row, the description) now. */
void               kdx_course_view_flush           (KdxCourseView *self);
/* The course's current rounds as shown (KdxAssignmentItem), and the
 * selection that Mark Complete… and the other actions on rounds work on:
 * over the list's display rows (KdxQueryRow, whose item is the round),
 * at the same positions as the rounds. */
GListModel        *kdx_course_view_get_assignments (KdxCourseView *self);
GtkSelectionModel *kdx_course_view_get_selection   (KdxCourseView *self);

G_END_DECLS
