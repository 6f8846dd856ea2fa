/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * End-to-end GUI test of the Training area in the real window under Xvfb,
 * the way a trainer and a manager work with it: on a fresh workspace with
 * a few people, a course made in the New Course dialog; a department rule
 * added in the course view, whose rounds appear at once; one round marked
 * complete by hand today, and the dialog refusing a day before the round
 * was given; one completion recorded by hand eleven months ago on the
 * 12-month course, which brings the next round, due on the day the
 * completion expires, shown with the completion it renews; Escape in the
 * search of Assign People…; a transcript printed to PDF; the course list and
 * the Departments view with their counts; the course moved to the trash,
 * restored from the Journal and found with Ctrl+K; a round past its due
 * day in the Overdue view, opened from the Overview — with screenshots of
 * the course list, the course, the department and the overdue rounds.
 *
 * Widgets are found by template id, widget name or type, never by an
 * English label.
 */
#define G_LOG_DOMAIN "kdx-test-gui-training"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-course-view.h"
#include "kdx-format.h"
#include "kdx-journal-page.h"
#include "kdx-search-window.h"
#include "kdx-training.h"
#include "kdx-training-page.h"
#include "kdx-transcript.h"
#include "kdx-window.h"

#include <sys/stat.h>

#define ORGANISATION "Brenner & Hoffmann Vertrieb"
#define COURSE_TITLE "KI-Kompetenz im Vertrieb"
#define DEPARTMENT   "Vertrieb & Service Nord"   /* "&" is no markup anywhere */

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

enum { JONAS, LEONIE, AYLIN, PETRA, MARTIN, N_PEOPLE };

typedef struct
{
  KdxWindow *window;
  KdxStore  *store;
  char      *people[N_PEOPLE];
  char      *course;
} Workspace;

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static void
show_area (Workspace  *ws,
           const char *area)
{
  GtkWidget *sidebar = kdx_gui_child (ws->window, "sidebar_list");
  guint index = 0;
  GtkWidget *row;

  for (row = gtk_widget_get_first_child (sidebar); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "area"), area) == 0)
        break;
      index++;
    }
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ws->window), "win.area", "u", index));
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_window_get_area (ws->window), ==, area);
}

static KdxTrainingPage *
training_page (Workspace *ws)
{
  return KDX_TRAINING_PAGE (kdx_window_get_page (ws->window, "training"));
}

static KdxCourseView *
course_view (Workspace *ws)
{
  return KDX_COURSE_VIEW (kdx_training_page_get_view (training_page (ws)));
}

static const char *
shown_page (Workspace *ws)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (training_page (ws),
                                                                     "main_stack")));
}

typedef struct
{
  const char *key;
  GtkWidget  *found;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelWait *wait = data;
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  wait->found = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && wait->found == NULL; i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (w) && g_object_get_data (G_OBJECT (w), wait->key) != NULL &&
          kdx_gui_is_drawn (w))
        wait->found = w;
    }

  return wait->found != NULL;
}

/* The dialog that carries @key as object data, once it is drawn. */
static GtkWidget *
wait_for_dialog (const char *key)
{
  ToplevelWait wait = { key, NULL };

  if (!kdx_gui_wait_for (toplevel_shown, &wait, 10000))
    g_error ("no window with “%s” opened", key);

  return wait.found;
}

static gboolean
dialog_gone (gpointer data)
{
  ToplevelWait wait = { data, NULL };

  return !toplevel_shown (&wait);
}

static gboolean
model_has (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
wait_for_items (GListModel *model,
                guint       n)
{
  gpointer args[2] = { model, GUINT_TO_POINTER (n) };

  if (!kdx_gui_wait_for (model_has, args, 5000))
    g_error ("%u rows, not %u", g_list_model_get_n_items (model), n);
}

/* The position of @person's round in the course view, or -1. */
static int
round_of (Workspace  *ws,
          const char *person)
{
  GListModel *rounds = kdx_course_view_get_assignments (course_view (ws));

  for (guint i = 0; i < g_list_model_get_n_items (rounds); i++)
    {
      g_autoptr(KdxAssignmentItem) item = g_list_model_get_item (rounds, i);

      if (g_str_equal (kdx_assignment_item_get (item)->person_uuid, person))
        return i;
    }

  return -1;
}

static char *
months_from_today (int months)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_months (now, months);

  return g_date_time_format (then, "%Y-%m-%d");
}

static gboolean
object_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* No text field keeps the focus and no toast of an earlier step covers
 * the screenshot. */
static void
unfocus (Workspace *ws)
{
  GType toast_type = g_type_from_name ("AdwToastWidget");
  GtkWidget *toast;

  gtk_window_set_focus (GTK_WINDOW (ws->window), NULL);
  kdx_gui_iterate (50);
  for (guint i = 0; toast_type != G_TYPE_INVALID && i < 20 &&
       (toast = kdx_gui_find_by_type (GTK_WIDGET (ws->window), toast_type)) != NULL; i++)
    {
      gpointer watch = toast;

      g_object_add_weak_pointer (G_OBJECT (toast), &watch);
      g_signal_emit_by_name (kdx_gui_child (toast, "close_button"), "clicked");
      g_assert_true (kdx_gui_wait_for (object_gone, &watch, 3000));
      kdx_gui_iterate (50);
    }
}

/* Selects @person's round alone and marks it complete on @date (as
 * typed) through the Mark Complete dialog. */
static void
mark_complete (Workspace  *ws,
               const char *person,
               const char *date,
               const char *score)
{
  GtkSelectionModel *selection = kdx_course_view_get_selection (course_view (ws));
  int position = round_of (ws, person);
  GtkWidget *dialog;

  g_assert_cmpint (position, >=, 0);
  g_assert_true (gtk_selection_model_select_item (selection, position, TRUE));
  kdx_gui_iterate (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (course_view (ws)),
                                             "course.mark-complete", NULL));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "date-row")), date);
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "score-row")), score);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "complete"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "complete");
  kdx_gui_iterate (200);
  gtk_selection_model_unselect_all (selection);
}

/* ------------------------------------------------------------------ */
/* The workspace                                                      */

static void
workspace_set_up (Workspace *ws)
{
  g_autofree char *path = g_build_filename (tmpdir, "Schulungen.kodex", NULL);

  ws->window = kdx_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (ws->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (ws->window));
  g_assert_true (kdx_window_create_workspace (ws->window, path, ORGANISATION));
  ws->store = kdx_window_get_store (ws->window);
  g_assert_nonnull (ws->store);

  ws->people[JONAS] = kdx_gui_add_person (ws->store, "Jonas Weber", DEPARTMENT, FALSE);
  ws->people[LEONIE] = kdx_gui_add_person (ws->store, "Leonie Schäfer", DEPARTMENT, FALSE);
  ws->people[AYLIN] = kdx_gui_add_person (ws->store, "Aylin Demir", DEPARTMENT, FALSE);
  ws->people[PETRA] = kdx_gui_add_person (ws->store, "Dr. Petra Engel", "Recht", TRUE);
  ws->people[MARTIN] = kdx_gui_add_person (ws->store, "Martin Seidel", "Vertrieb Süd", FALSE);
  kdx_store_set_actor (ws->store, ws->people[PETRA]);

  /* Another course everyone has, made through core. */
  {
    g_autoptr(KdxCourse) course = kdx_course_new ();
    g_autoptr(KdxRule) rule = kdx_rule_new ();
    g_autoptr(GError) error = NULL;

    kdx_course_set_title (course, "Datenschutz im Kundengespräch");
    kdx_course_set_topic (course, "DSGVO");
    kdx_course_set_validity_months (course, 24);
    g_assert_true (kdx_course_insert (ws->store, course, &error));
    g_assert_no_error (error);
    rule->course_uuid = g_strdup (kdx_course_get_uuid (course));
    rule->kind = KDX_RULE_EVERYONE;
    rule->due_days = 60;
    g_assert_true (kdx_rule_insert (ws->store, rule, &error));
    g_assert_no_error (error);
  }
  kdx_gui_iterate (100);
}

static void
workspace_tear_down (Workspace *ws)
{
  GtkWidget *other;

  while ((other = kdx_gui_find_toplevel (ADW_TYPE_WINDOW)) != NULL)
    gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (GTK_WINDOW (ws->window));
  kdx_gui_iterate (100);
  for (guint i = 0; i < N_PEOPLE; i++)
    g_free (ws->people[i]);
  g_free (ws->course);
}

/* ------------------------------------------------------------------ */
/* Steps                                                              */

static gboolean
stack_shows (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (args[0])), args[1]) == 0;
}

static void
create_course (Workspace *ws)
{
  g_autoptr(GPtrArray) courses = NULL;
  g_autoptr(GError) error = NULL;
  KdxTrainingPage *page;
  GtkWidget *dialog;
  GtkWidget *create;
  KdxCourse *course;

  show_area (ws, "training");
  page = training_page (ws);
  {
    /* The courses' figures are counted in a worker. */
    gpointer args[] = { kdx_gui_child (page, "content_stack"), (gpointer) "list" };

    g_assert_true (kdx_gui_wait_for (stack_shows, args, 10000));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "training.new-course", NULL));
  dialog = wait_for_dialog ("new-course");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (ws->window));
  create = kdx_gui_named (dialog, "create-button");
  g_assert_false (gtk_widget_get_sensitive (create));
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "title-row")), COURSE_TITLE);
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "topic-row")), "EU AI Act Art. 4");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (kdx_gui_named (dialog, "validity-spin")), 12);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (kdx_gui_named (dialog, "duration-spin")), 90);
  gtk_switch_set_active (GTK_SWITCH (kdx_gui_named (dialog, "literacy-switch")), TRUE);
  kdx_gui_click (create);
  g_assert_true (kdx_gui_wait_for (dialog_gone, (gpointer) "new-course", 5000));

  /* The new course opens. */
  g_assert_cmpstr (shown_page (ws), ==, "course");
  g_assert_cmpstr (kdx_gui_label_of (course_view (ws), "title_label"), ==, COURSE_TITLE);
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (course_view (ws), "literacy_label")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (course_view (ws), "assignment_stack"))),
                   ==, "empty");

  courses = kdx_course_list (ws->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (courses->len, ==, 2);
  course = courses->pdata[1];
  g_assert_cmpstr (kdx_course_get_title (course), ==, COURSE_TITLE);
  g_assert_cmpuint (kdx_course_get_validity_months (course), ==, 12);
  g_assert_cmpuint (kdx_course_get_duration_minutes (course), ==, 90);
  g_assert_true (kdx_course_get_ai_literacy (course));
  ws->course = g_strdup (kdx_course_get_uuid (course));
  g_assert_cmpstr (kdx_course_view_get_course (course_view (ws)), ==, ws->course);
}

static void
add_department_rule (Workspace *ws)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *departments;
  GListModel *rounds;
  GtkWidget *dialog;
  GtkWidget *kind;
  GtkWidget *department;
  guint position = GTK_INVALID_LIST_POSITION;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (course_view (ws)), "course.add-rule", NULL));
  dialog = wait_for_dialog ("new-rule");
  kind = kdx_gui_named (dialog, "kind-row");
  department = kdx_gui_named (dialog, "department-row");
  g_assert_false (gtk_widget_get_visible (department));
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), KDX_RULE_DEPARTMENT);
  g_assert_true (gtk_widget_get_visible (department));
  departments = adw_combo_row_get_model (ADW_COMBO_ROW (department));
  for (guint i = 0; i < g_list_model_get_n_items (departments); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (departments), i), DEPARTMENT))
      position = i;
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (ADW_COMBO_ROW (department), position);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (kdx_gui_named (dialog, "due-spin")), 30);
  kdx_gui_click (kdx_gui_named (dialog, "add-button"));
  g_assert_true (kdx_gui_wait_for (dialog_gone, (gpointer) "new-rule", 5000));

  rules = kdx_rule_list (ws->store, ws->course, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_cmpint (((KdxRule *) rules->pdata[0])->kind, ==, KDX_RULE_DEPARTMENT);
  g_assert_cmpstr (((KdxRule *) rules->pdata[0])->target, ==, DEPARTMENT);

  /* The department's three people have it now, due in 30 days. */
  rounds = kdx_course_view_get_assignments (course_view (ws));
  wait_for_items (rounds, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KdxAssignmentItem) item = g_list_model_get_item (rounds, i);
      const KdxAssignment *a = kdx_assignment_item_get (item);
      g_autofree char *due = months_from_today (0);

      g_assert_cmpstr (a->department, ==, DEPARTMENT);
      g_assert_cmpint (a->status, ==, KDX_ASSIGNMENT_ASSIGNED);
      g_assert_cmpint (a->source, ==, KDX_ASSIGNMENT_SOURCE_RULE);
      g_assert_nonnull (a->due);
      g_assert_cmpstr (a->due, >, due);
    }
  g_assert_cmpint (round_of (ws, ws->people[PETRA]), ==, -1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (course_view (ws), "assignment_stack"))),
                   ==, "list");
  /* The Rules section lists it. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (kdx_gui_child (course_view (ws), "rules_list")), 0));
}

/* The rounds of @person of the course, the current one in *@current and
 * the one before in *@done. */
static GPtrArray *
rounds_of (Workspace            *ws,
           const char           *person,
           const KdxAssignment **current,
           const KdxAssignment **done)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = kdx_assignment_list_for_person (ws->store, person, NULL, &error);
  GPtrArray *rounds = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_assignment_free);

  g_assert_no_error (error);
  *current = *done = NULL;
  for (guint i = 0; i < all->len; i++)
    {
      KdxAssignment *a = all->pdata[i];

      if (!g_str_equal (a->course_uuid, ws->course))
        continue;
      g_ptr_array_add (rounds, g_steal_pointer (&all->pdata[i]));
      if (a->current)
        *current = a;
      else
        *done = a;
    }

  return rounds;
}

static void
complete_and_recertify (Workspace *ws)
{
  g_autoptr(GPtrArray) rounds = NULL;
  g_autofree char *long_ago = months_from_today (-11);
  g_autofree char *today = months_from_today (0);
  g_autofree char *next_month = months_from_today (1);
  GtkSelectionModel *selection = kdx_course_view_get_selection (course_view (ws));
  const KdxAssignment *current = NULL;
  const KdxAssignment *done = NULL;
  GtkWidget *dialog;
  GtkWidget *check;
  GtkListBoxRow *row;
  int position;

  /* Leonie completed today. */
  mark_complete (ws, ws->people[LEONIE], today, "");
  g_clear_pointer (&rounds, g_ptr_array_unref);
  rounds = rounds_of (ws, ws->people[LEONIE], &current, &done);
  g_assert_cmpuint (rounds->len, ==, 1);
  g_assert_cmpstr (current->completed, ==, today);
  g_assert_cmpint (current->status, ==, KDX_ASSIGNMENT_COMPLETED);

  /* A completion next month: the dialog says why not before anything
   * is tried. */
  g_assert_true (gtk_selection_model_select_item (selection, round_of (ws, ws->people[JONAS]), TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (course_view (ws)),
                                             "course.mark-complete", NULL));
  dialog = kdx_gui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "date-row")), next_month);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "complete"));
  g_assert_true (gtk_widget_get_visible (kdx_gui_named (dialog, "date-problem")));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  kdx_gui_iterate (100);
  gtk_selection_model_unselect_all (selection);

  /* Martin took the course eleven months ago, before Kodex knew of it:
   * recorded by hand, it expires within 90 days, so the next round is
   * his at once, due on the day it expires. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (course_view (ws)),
                                             "course.record-completions", NULL));
  dialog = wait_for_dialog ("assign-people");
  /* The day is today, as the tables show days; a day that is none says
   * why below it. */
  {
    g_autofree char *shown = kdx_format_date (today);

    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kdx_gui_named (dialog, "date-row"))),
                     ==, shown);
  }
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "date-row")), "31.02.2026");
  g_assert_true (gtk_widget_get_visible (kdx_gui_named (dialog, "date-problem")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kdx_gui_named (dialog, "date-problem"))),
                            "31.02.2026"));
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "date-row")), long_ago);
  g_assert_false (gtk_widget_get_visible (kdx_gui_named (dialog, "date-problem")));
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_named (dialog, "score-row")), "92");
  row = kdx_gui_find_row (kdx_gui_named (dialog, "people-list"), "uuid", ws->people[MARTIN]);
  g_assert_nonnull (row);
  check = kdx_gui_find_by_type (GTK_WIDGET (row), GTK_TYPE_CHECK_BUTTON);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  kdx_gui_click (kdx_gui_named (dialog, "assign-button"));
  g_assert_true (kdx_gui_wait_for (dialog_gone, (gpointer) "assign-people", 5000));

  g_clear_pointer (&rounds, g_ptr_array_unref);
  rounds = rounds_of (ws, ws->people[MARTIN], &current, &done);
  g_assert_cmpuint (rounds->len, ==, 2);
  g_assert_nonnull (done);
  g_assert_nonnull (current);
  g_assert_cmpstr (done->completed, ==, long_ago);
  g_assert_cmpfloat (done->score, ==, 92);
  g_assert_nonnull (done->expires);
  g_assert_cmpint (done->status, ==, KDX_ASSIGNMENT_EXPIRING);
  g_assert_cmpint (current->source, ==, KDX_ASSIGNMENT_SOURCE_RECERTIFICATION);
  g_assert_cmpstr (current->due, ==, done->expires);
  g_assert_null (current->completed);

  /* The course view shows his current round: the new one. */
  wait_for_items (kdx_course_view_get_assignments (course_view (ws)), 4);
  position = round_of (ws, ws->people[MARTIN]);
  g_assert_cmpint (position, >=, 0);
  {
    g_autoptr(KdxAssignmentItem) item = g_list_model_get_item (kdx_course_view_get_assignments (course_view (ws)),
                                                               position);

    g_assert_cmpstr (kdx_assignment_item_get (item)->due, ==, done->expires);
    g_assert_cmpint (kdx_assignment_item_get (item)->source, ==,
                     KDX_ASSIGNMENT_SOURCE_RECERTIFICATION);
    /* The row shows the completion it renews. */
    g_assert_cmpstr (kdx_assignment_item_get (item)->renews_completed, ==, long_ago);
  }
  /* The summary counts his certificate once, split in its tooltip. */
  {
    GtkWidget *summary = kdx_gui_child (course_view (ws), "summary_label");

    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (summary)),
                              "1 expiring within 90 days"));
    g_assert_nonnull (gtk_widget_get_tooltip_text (summary));
  }

  unfocus (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "training-course.png");
}

/* Martin's transcript, from his round, printed. */
static void
check_transcript (Workspace *ws)
{
  KdxTrainingPage *page = training_page (ws);
  g_autofree char *pdf = g_build_filename (tmpdir, "transcript.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *transcript;
  gsize length = 0;
  struct stat st;

  g_signal_emit_by_name (kdx_gui_child (course_view (ws), "assignment_view"), "activate",
                         round_of (ws, ws->people[MARTIN]));
  kdx_gui_iterate (100);
  g_assert_cmpstr (shown_page (ws), ==, "transcript");
  transcript = kdx_training_page_get_transcript (page);
  g_assert_cmpstr (kdx_transcript_get_person (KDX_TRANSCRIPT (transcript)), ==, ws->people[MARTIN]);
  g_assert_cmpuint (kdx_transcript_get_rounds (KDX_TRANSCRIPT (transcript))->len, ==, 3);
  g_assert_true (kdx_transcript_export_pdf (KDX_TRANSCRIPT (transcript), pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, &error));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  if (g_getenv ("KODEX_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *keep = g_build_filename (shot_dir, "training-transcript.pdf", NULL);

      g_assert_true (g_file_set_contents (keep, contents, length, NULL));
    }

  /* Back to the course it came from. */
  g_assert_true (gtk_widget_activate_action (transcript, "training.back", NULL));
  kdx_gui_iterate (50);
  g_assert_cmpstr (shown_page (ws), ==, "course");
}

static void
check_course_list (Workspace *ws)
{
  GListModel *courses;
  g_autoptr(KdxTrainingCourseRow) row = NULL;
  const KdxTrainingSummary *s;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (training_page (ws)), "training.back", NULL));
  kdx_gui_iterate (100);
  g_assert_cmpstr (shown_page (ws), ==, "browse");
  courses = kdx_training_page_get_courses (training_page (ws));
  wait_for_items (courses, 2);
  row = g_list_model_get_item (courses, 1);
  s = kdx_training_course_row_get_summary (row);
  g_assert_cmpstr (kdx_course_get_uuid (kdx_training_course_row_get_course (row)), ==, ws->course);
  g_assert_cmpuint (s->n_people, ==, 4);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_COMPLETED], ==, 1);
  /* The renewal round of a certificate still valid counts as expiring. */
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_ASSIGNED], ==, 2);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_EXPIRING], ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (training_page (ws), "content_stack"))),
                   ==, "list");

  unfocus (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "training-courses.png");
}

static void
check_department (Workspace *ws)
{
  KdxTrainingPage *page = training_page (ws);
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *percent = NULL;
  const KdxTrainingSummary *s;
  GListModel *people;
  guint jonas = G_MAXUINT;

  kdx_training_page_show_department (page, DEPARTMENT);
  people = kdx_training_page_get_department_people (page);
  wait_for_items (people, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KdxTrainingPersonRow) row = g_list_model_get_item (people, i);
      const KdxTrainingSummary *p = kdx_training_person_row_get_summary (row);
      int status = kdx_training_person_row_get_status (row, ws->course);

      if (g_str_equal (p->key, ws->people[LEONIE]))
        g_assert_cmpint (status, ==, KDX_ASSIGNMENT_COMPLETED);
      else
        g_assert_cmpint (status, ==, KDX_ASSIGNMENT_ASSIGNED);
      if (g_str_equal (p->key, ws->people[JONAS]))
        jonas = i;
    }
  g_assert_cmpuint (jonas, !=, G_MAXUINT);
  /* The counts of the department: three people, one of their six
   * rounds done, as core counts them. */
  summaries = kdx_training_status (ws->store, KDX_TRAINING_BY_DEPARTMENT, NULL, DEPARTMENT, NULL,
                                   NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summaries->len, ==, 1);
  s = summaries->pdata[0];
  g_assert_cmpuint (s->n_people, ==, 3);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_COMPLETED], ==, 1);
  g_assert_cmpuint (s->n_status[KDX_ASSIGNMENT_ASSIGNED], ==, 5);
  percent = g_strdup_printf ("%.0f", s->completion * 100);
  g_assert_nonnull (strstr (kdx_gui_label_of (page, "department_summary"), percent));
  g_assert_cmpstr (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (kdx_gui_child (page, "department_dropdown"))) ?
                   gtk_string_object_get_string (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (kdx_gui_child (page, "department_dropdown")))) : NULL,
                   ==, DEPARTMENT);

  unfocus (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "training-department.png");

  /* A person's transcript from their row. */
  g_signal_emit_by_name (kdx_gui_child (page, "people_view"), "activate", jonas);
  kdx_gui_iterate (100);
  g_assert_cmpstr (shown_page (ws), ==, "transcript");
  g_assert_cmpstr (kdx_transcript_get_person (KDX_TRANSCRIPT (kdx_training_page_get_transcript (page))),
                   ==, ws->people[JONAS]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "training.back", NULL));
  kdx_gui_iterate (50);
  g_assert_cmpstr (shown_page (ws), ==, "browse");
}

/* Trashed from its view, back from the Journal's trash. */
static void
trash_and_restore (Workspace *ws)
{
  GtkWidget *trash_list;
  GtkListBoxRow *row;
  GtkWidget *restore = NULL;

  kdx_training_page_show_course (training_page (ws), ws->course);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (course_view (ws)), "course.trash", NULL));
  kdx_gui_iterate (100);
  g_assert_cmpstr (shown_page (ws), ==, "browse");
  g_assert_cmpint (kdx_course_count (ws->store), ==, 1);

  show_area (ws, "journal");
  trash_list = kdx_gui_child (kdx_window_get_page (ws->window, "journal"), "trash_list");
  row = kdx_gui_find_row (trash_list, "uuid", ws->course);
  g_assert_nonnull (row);
  restore = kdx_gui_find_by_type (GTK_WIDGET (row), GTK_TYPE_BUTTON);
  kdx_gui_click (restore);
  g_assert_cmpint (kdx_course_count (ws->store), ==, 2);

  show_area (ws, "training");
  wait_for_items (kdx_training_page_get_courses (training_page (ws)), 2);
}

/* Ctrl+K finds the course by a word of its title and opens it. */
static void
search_course (Workspace *ws)
{
  KdxSearchWindow *search = kdx_search_window_new (ws->window, ws->store);

  gtk_window_present (GTK_WINDOW (search));
  kdx_search_window_set_text (search, "kompetenz");
  g_assert_cmpuint (kdx_search_window_get_n_results (search), ==, 1);
  kdx_search_window_activate (search, 0);
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_window_get_area (ws->window), ==, "training");
  g_assert_cmpstr (shown_page (ws), ==, "course");
  g_assert_cmpstr (kdx_course_view_get_course (course_view (ws)), ==, ws->course);
}

/* Escape in the search of Assign People… clears the search, then closes
 * the dialog, as a person's keyboard does it. */
static void
escape_in_search (Workspace *ws)
{
  GtkWidget *dialog;
  GtkWidget *search;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (course_view (ws)), "course.assign", NULL));
  dialog = wait_for_dialog ("assign-people");
  search = kdx_gui_named (dialog, "people-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "Jonas");
  kdx_gui_iterate (100);
  gtk_widget_grab_focus (search);
  kdx_gui_iterate (100);
  /* Without a window manager the dialog may not get the keys: then as
   * the search entry's Escape binding does. */
  kdx_gui_press_keys ((KeySym[]) { XK_Escape }, 1);
  if (*gtk_editable_get_text (GTK_EDITABLE (search)) != '\0')
    g_signal_emit_by_name (search, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_assert_false (dialog_gone ((gpointer) "assign-people"));
  kdx_gui_press_keys ((KeySym[]) { XK_Escape }, 1);
  if (!dialog_gone ((gpointer) "assign-people"))
    g_signal_emit_by_name (search, "stop-search");
  g_assert_true (kdx_gui_wait_for (dialog_gone, (gpointer) "assign-people", 5000));
}

/* A round due yesterday: the Overview's row opens the Overdue view, which
 * lists it, and a double-click opens her transcript. */
static void
check_overdue (Workspace *ws)
{
  g_autofree char *yesterday = kdx_training_day_from_today (-1);
  const char *petra[] = { ws->people[PETRA], NULL };
  g_autoptr(KdxAssignmentItem) item = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *overdue;

  g_assert_true (kdx_assignment_assign (ws->store, ws->course, petra, yesterday, NULL, &error));
  g_assert_no_error (error);
  show_area (ws, "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (ws->window), "win.show-training-overdue",
                                             NULL));
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_window_get_area (ws->window), ==, "training");
  overdue = kdx_training_page_get_overdue (training_page (ws));
  g_assert_nonnull (overdue);
  wait_for_items (overdue, 1);
  item = g_list_model_get_item (overdue, 0);
  g_assert_cmpstr (kdx_assignment_item_get (item)->person_uuid, ==, ws->people[PETRA]);
  g_assert_cmpstr (kdx_assignment_item_get (item)->due, ==, yesterday);
  unfocus (ws);
  kdx_gui_screenshot (GTK_WIDGET (ws->window), shot_dir, "training-overdue.png");

  g_signal_emit_by_name (kdx_gui_child (training_page (ws), "overdue_view"), "activate", 0);
  kdx_gui_iterate (100);
  g_assert_cmpstr (shown_page (ws), ==, "transcript");
  g_assert_cmpstr (kdx_transcript_get_person (KDX_TRANSCRIPT (kdx_training_page_get_transcript (training_page (ws)))),
                   ==, ws->people[PETRA]);
}

static void
test_training (void)
{
  Workspace ws = { NULL };

  workspace_set_up (&ws);
  create_course (&ws);
  add_department_rule (&ws);
  complete_and_recertify (&ws);
  escape_in_search (&ws);
  check_transcript (&ws);
  check_course_list (&ws);
  check_department (&ws);
  trash_and_restore (&ws);
  search_course (&ws);
  check_overdue (&ws);
  workspace_tear_down (&ws);
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  kdx_gui_test_init (&argc, &argv, "kodex-gui-training-XXXXXX", &tmpdir, &shot_dir);
  g_setenv ("XDG_DATA_HOME", tmpdir, TRUE);
  umask (022);

  g_test_add_func ("/kdx/gui/training/course-rule-complete-department", test_training);

  return kdx_gui_test_run (&app, G_APPLICATION_HANDLES_OPEN);
}
