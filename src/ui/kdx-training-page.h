/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"
#include "kdx-training.h"

G_BEGIN_DECLS

#define KDX_TYPE_TRAINING_PAGE (kdx_training_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxTrainingPage, kdx_training_page, KDX, TRAINING_PAGE, GtkWidget)

KdxTrainingPage *kdx_training_page_new             (void);
void             kdx_training_page_set_store       (KdxTrainingPage *self,
                                                    KdxStore        *store);
/* Ctrl+F: the search of the courses, or of the rounds of the course shown. */
void             kdx_training_page_focus_search    (KdxTrainingPage *self);
/* The New Course dialog (action "training.new-course"). */
void             kdx_training_page_new_course      (KdxTrainingPage *self);
/* Opens a course (uuid, key or title). */
void             kdx_training_page_show_course     (KdxTrainingPage *self,
                                                    const char      *course);
/* Back to the list of courses. */
void             kdx_training_page_show_list       (KdxTrainingPage *self);
/* The Departments view, showing @department ("" for the people without
 * one; NULL keeps the one chosen). */
void             kdx_training_page_show_department (KdxTrainingPage *self,
                                                    const char      *department);
/* The Overdue view: every overdue round, the longest overdue first. */
void             kdx_training_page_show_overdue    (KdxTrainingPage *self);
/* The transcript of one person (uuid). */
void             kdx_training_page_show_transcript (KdxTrainingPage *self,
                                                    const char      *person);
/* The rows of the course list as shown (filtered and sorted). */
GListModel      *kdx_training_page_get_courses     (KdxTrainingPage *self);
/* The rows of the Overdue view (KdxAssignmentItem), or NULL while it is
 * not shown. */
GListModel      *kdx_training_page_get_overdue     (KdxTrainingPage *self);
/* The rows of the Departments view: one per person of the department. */
GListModel      *kdx_training_page_get_department_people (KdxTrainingPage *self);
/* The view of one course (KdxCourseView), built if it was not yet. */
GtkWidget       *kdx_training_page_get_view        (KdxTrainingPage *self);
/* The transcript (KdxTranscript), built if it was not yet. */
GtkWidget       *kdx_training_page_get_transcript  (KdxTrainingPage *self);

/* A row of the course list: the course and its status. */
#define KDX_TYPE_TRAINING_COURSE_ROW (kdx_training_course_row_get_type ())
G_DECLARE_FINAL_TYPE (KdxTrainingCourseRow, kdx_training_course_row, KDX, TRAINING_COURSE_ROW,
                      GObject)

KdxCourse                *kdx_training_course_row_get_course  (KdxTrainingCourseRow *self);
const KdxTrainingSummary *kdx_training_course_row_get_summary (KdxTrainingCourseRow *self);

/* A row of the Departments view: a person, their counts and the status
 * of each of their courses. */
#define KDX_TYPE_TRAINING_PERSON_ROW (kdx_training_person_row_get_type ())
G_DECLARE_FINAL_TYPE (KdxTrainingPersonRow, kdx_training_person_row, KDX, TRAINING_PERSON_ROW,
                      GObject)

const KdxTrainingSummary *kdx_training_person_row_get_summary (KdxTrainingPersonRow *self);
/* The status of the person's current round of @course (uuid), or -1
 * when they have none. */
int                       kdx_training_person_row_get_status  (KdxTrainingPersonRow *self,
                                                               const char           *course);

/* What the Training views share. */

/* A pill for the status of a round: its text, never its colour alone. */
GtkWidget  *kdx_training_pill_new        (void);
void        kdx_training_pill_set        (GtkWidget           *pill,
                                          KdxAssignmentStatus  status);
/* "12 months", "Never expires". */
char       *kdx_training_validity_text   (guint                months);
/* "45 min", "1 h 30 min"; "" for 0. */
char       *kdx_training_duration_text   (guint                minutes);
/* Today plus @days, as ISO. */
char       *kdx_training_day_from_today  (int                  days);
/* The label of a department ("No department" for ""). */
const char *kdx_training_department_label (const char         *department);

G_END_DECLS
