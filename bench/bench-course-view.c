/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmark: one course of the large demo workspace (100,000 people × 10
 * courses, about 100,000 current rounds a course) as the Training area's
 * course view reads it.
 *
 *  - The list of rounds: what the view asks for when it fills or reloads
 *    the list (a new sort, a status filter, a search, or a change in the
 *    store): the filter set, the number of rows, and the first 40 rows
 *    (what a window shows). For every sort the view offers (both
 *    directions of the default sort, by name) and every status filter.
 *    Goal: ≤ 100 ms for the default sort and the common filters.
 *  - The summary above it (kdx_training_status() for the course).
 *  - Assign People… and Record Completions…: opening (the people it
 *    offers and who has an open round) and one keystroke in its search.
 *    Goal: ≤ 100 ms a keystroke.
 *
 * Beside them, for comparison, what the view did before: the list of every
 * round filtered to the course (kdx_assignment_model_new()), the status
 * view by course for the summary, and Assign People… loading every active
 * person and every round of the course, then folding all names at each
 * keystroke.
 *
 * Each is run RUNS + 1 times (default 5) on a connection opened read-only;
 * the first run is left out, the median wall time of the others is
 * judged, the median CPU time of the thread (which the load of other
 * processes does not inflate) stands beside it.
 *
 * With --window (under Xvfb), the same for the real course view in a
 * window of 1280 × 800: from the change to the end of the frame that
 * shows it (the frame clock's "after-paint"), for a change in the store,
 * a new sort and a status filter; and Assign People…'s list of 50 people
 * built as the dialog builds it, for a keystroke, to its frame.
 *
 *   bench-course-view LARGE.kodex [RUNS] [--window]
 */
#include "config.h"

#include "kdx-course-view.h"
#include "kdx-person.h"
#include "kdx-query-model.h"
#include "kdx-training.h"
#include "kdx-training-page.h"
#include "kdx-ui-resources.h"
#include "bench-frame.h"
#include "bench-util.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GOAL_MS      100.0
#define SHOWN        40
#define PEOPLE_SHOWN 50   /* as MAX_PEOPLE_SHOWN of kdx-course-view.c */

typedef struct
{
  KdxStore   *store;
  const char *course;
  GListModel *model;
  KdxAssignmentFilter filter;
  const char *search;
  gboolean    old;          /* the list of every round, as before */
  gboolean    reload;       /* kdx_query_model_reload(), not a new filter */
  guint       n;            /* out: rows */
} ListRun;

typedef void (*RunFunc) (gpointer data);

/* The median wall time of @runs calls after a first one; the median CPU
 * time in *@cpu. */
static double
time_runs (RunFunc   func,
           gpointer  data,
           guint     runs,
           double   *cpu)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i <= runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      double cpu_start = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
      double ms, cpu_ms;

      func (data);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      cpu_ms = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      if (i == 0)
        continue;
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
    }
  *cpu = bench_median (cpu_times);

  return bench_median (times);
}

static void
report (const char *what,
        double      ms,
        double      cpu,
        gboolean    judged,
        const char *extra)
{
  char measured[64];

  g_snprintf (measured, sizeof measured, "%.1f ms, CPU %.1f%s", ms, cpu, extra ? extra : "");
  bench_row (what, measured, judged ? "<= 100 ms" : "",
             judged ? (ms <= GOAL_MS ? "PASS" : "MISS") : "");
}

/* ---- The list of rounds --------------------------------------------- */

/* What the view does when it (re)fills its list: sets the filter, asks
 * how many rows there are and binds the rows a window shows. */
static void
list_run (gpointer user_data)
{
  ListRun *run = user_data;

  run->filter.course_uuid = run->course;
  run->filter.search = run->search;
  if (run->reload)
    kdx_query_model_reload (KDX_QUERY_MODEL (run->model));
  else if (run->old)
    kdx_assignment_model_set_filter (run->model, &run->filter);
  else
    kdx_course_rounds_set_filter (run->model, &run->filter);
  run->n = g_list_model_get_n_items (run->model);
  for (guint i = 0; i < MIN (run->n, SHOWN); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (run->model, i);

      g_assert (item != NULL);
    }
}

/* Scrolling past what is read first: every round chosen. */
static void
scroll_run (gpointer user_data)
{
  ListRun *run = user_data;
  guint n;

  kdx_course_rounds_set_filter (run->model, &run->filter);
  n = g_list_model_get_n_items (run->model);
  for (guint i = n / 2; i < MIN (n, n / 2 + SHOWN); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (run->model, i);

      g_assert (item != NULL);
    }
}

static void summary_run (gpointer user_data);

/* After a change in the store: the summary and the list, read again. */
static void
refresh_run (gpointer user_data)
{
  ListRun *run = user_data;

  summary_run (run);
  run->reload = TRUE;
  list_run (run);
  run->reload = FALSE;
}

static void
summary_run (gpointer user_data)
{
  ListRun *run = user_data;

  if (run->old)
    {
      g_autoptr(GPtrArray) rows = kdx_training_status (run->store, KDX_TRAINING_BY_COURSE,
                                                       run->course, NULL, NULL, NULL, NULL);

      g_assert (rows != NULL);
    }
  else
    {
      g_autoptr(KdxTrainingSummary) summary = kdx_training_course_summary (run->store, run->course,
                                                                           NULL, NULL);

      g_assert (summary != NULL);
    }
}

/* ---- Assign People… -------------------------------------------------- */

typedef struct
{
  KdxStore   *store;
  const char *course;
  const char *search;
  GPtrArray  *people;   /* before: as the dialog kept them */
  GListModel *model;    /* now: the people, searched */
  guint       step;
  guint       n;        /* out: people offered / matching */
} AssignRun;

/* What the dialog shows: the people the search finds (the active ones by
 * name), the first PEOPLE_SHOWN of them with who has an open round. */
static void
assign_fill (AssignRun *run)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GHashTable) open = NULL;

  kdx_person_model_set_filter (run->model, run->search, FALSE, FALSE, KDX_PERSON_SORT_NAME,
                               FALSE);
  run->n = g_list_model_get_n_items (run->model);
  for (guint i = 0; i < MIN (run->n, PEOPLE_SHOWN); i++)
    {
      KdxPerson *person = g_list_model_get_item (run->model, i);

      g_assert (person != NULL);
      g_ptr_array_add (shown, person);
      g_ptr_array_add (uuids, (gpointer) kdx_person_get_uuid (person));
    }
  g_ptr_array_add (uuids, NULL);
  open = kdx_course_dup_open_people (run->store, run->course,
                                     (const char * const *) uuids->pdata, NULL);
  g_assert (open != NULL);
}

/* Opening: a list of people, filled. */
static void
assign_open_run (gpointer user_data)
{
  AssignRun *run = user_data;

  g_clear_object (&run->model);
  run->model = kdx_person_model_new (run->store);
  run->search = "";
  assign_fill (run);
}

/* A keystroke: the search typed to its end, or its last letter taken
 * back, by turns. */
static void
assign_search_run (gpointer user_data)
{
  AssignRun *run = user_data;
  g_autofree char *typed = g_strdup (run->search);
  const char *search = run->search;

  if (run->step++ % 2 == 0 && *typed != '\0')
    typed[strlen (typed) - 1] = '\0';
  run->search = typed;
  assign_fill (run);
  run->search = search;
}

/* Before: the active people by name, and who has an open round. */
static void
assign_open_old_run (gpointer user_data)
{
  AssignRun *run = user_data;
  g_autoptr(GListModel) model = kdx_assignment_model_new (run->store);
  g_autoptr(GHashTable) open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  KdxAssignmentFilter filter = { 0 };
  guint n;

  g_clear_pointer (&run->people, g_ptr_array_unref);
  run->people = kdx_person_list_by_name (run->store, FALSE, NULL);
  filter.course_uuid = run->course;
  filter.status = -1;
  kdx_assignment_model_set_filter (model, &filter);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KdxAssignmentItem) item = g_list_model_get_item (model, i);
      const KdxAssignment *a = kdx_assignment_item_get (item);

      if (a->completed == NULL)
        g_hash_table_add (open, g_strdup (a->person_uuid));
    }
  run->n = run->people->len;
}

/* Before, one keystroke: every person's name, e-mail and department
 * folded and searched, as the dialog's list was filled. */
static void
assign_search_old_run (gpointer user_data)
{
  AssignRun *run = user_data;
  g_autofree char *needle = g_utf8_casefold (run->search, -1);

  run->n = 0;
  for (guint i = 0; i < run->people->len; i++)
    {
      KdxPerson *person = run->people->pdata[i];
      const char *email = kdx_person_get_email (person);
      const char *department = kdx_person_get_department (person);
      g_autofree char *joined = g_strdup_printf ("%s\n%s\n%s", kdx_person_get_name (person),
                                                 email ? email : "",
                                                 department ? department : "");
      g_autofree char *haystack = g_utf8_casefold (joined, -1);

      if (strstr (haystack, needle) != NULL)
        run->n++;
    }
}

/* ---- In a window ------------------------------------------------------ */

typedef struct
{
  KdxStore      *store;
  KdxCourseView *view;
  GtkWidget     *window;
  GtkWidget     *list;      /* Assign People…'s list */
  GListModel    *people;
  guint          step;
  gboolean       painted;
  gint64         painted_at;
} WindowRun;

typedef void (*WindowFunc) (WindowRun *run);

static void
painted_cb (gint64   painted_at,
            gpointer user_data)
{
  WindowRun *run = user_data;

  run->painted = TRUE;
  run->painted_at = painted_at;
}

/* The median wall time from @func to the end of the frame after it, of
 * @runs after a first one; the median CPU time of the thread in *@cpu. */
static double
time_frames (WindowFunc  func,
             WindowRun  *run,
             guint       runs,
             double     *cpu)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i <= runs; i++)
    {
      gint64 start;
      double cpu_start, ms, cpu_ms;

      /* Settle: nothing left from the run before. */
      while (g_main_context_iteration (NULL, FALSE))
        ;
      run->painted = FALSE;
      start = g_get_monotonic_time ();
      cpu_start = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);
      func (run);
      /* A frame even where nothing looks different. */
      gtk_widget_queue_draw (run->window);
      bench_wait_frame (run->window, painted_cb, run);
      while (!run->painted)
        g_main_context_iteration (NULL, TRUE);
      ms = (run->painted_at - start) / 1000.0;
      cpu_ms = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - cpu_start;
      run->step++;
      if (i == 0)
        continue;
      g_array_append_val (times, ms);
      g_array_append_val (cpu_times, cpu_ms);
    }
  *cpu = bench_median (cpu_times);

  return bench_median (times);
}

static void
change_func (WindowRun *run)
{
  kdx_store_emit_changed (run->store, "assignment");
}

static void
sort_func (WindowRun *run)
{
  GtkColumnView *columns = GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (run->view),
                                                                            KDX_TYPE_COURSE_VIEW,
                                                                            "assignment_view"));
  g_autoptr(GtkColumnViewColumn) person = g_list_model_get_item (gtk_column_view_get_columns (columns), 0);

  gtk_column_view_sort_by_column (columns, person,
                                  run->step % 2 ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
}

static void
status_func (WindowRun *run)
{
  GtkDropDown *status = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (run->view),
                                                                      KDX_TYPE_COURSE_VIEW,
                                                                      "status_dropdown"));

  /* Overdue, and back to every status. */
  gtk_drop_down_set_selected (status, run->step % 2 ? 0 : 1 + KDX_ASSIGNMENT_OVERDUE);
}

/* As assigning_fill() of kdx-course-view.c: the people found, the first
 * PEOPLE_SHOWN with whether they have an open round, in the rows of a list
 * box (those there are first). */
static void
assign_func (WindowRun *run)
{
  static const char *searches[] = { "schmidt", "vertrieb" };
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GHashTable) open = NULL;
  const char *course = kdx_course_view_get_course (run->view);
  GtkWidget *child;
  guint n;

  kdx_person_model_set_filter (run->people, searches[run->step % 2], FALSE, FALSE,
                               KDX_PERSON_SORT_NAME, FALSE);
  n = g_list_model_get_n_items (run->people);
  for (guint i = 0; i < MIN (n, PEOPLE_SHOWN); i++)
    {
      KdxPerson *person = g_list_model_get_item (run->people, i);

      g_ptr_array_add (people, person);
      g_ptr_array_add (uuids, (gpointer) kdx_person_get_uuid (person));
    }
  g_ptr_array_add (uuids, NULL);
  open = kdx_course_dup_open_people (run->store, course, (const char * const *) uuids->pdata,
                                     NULL);

  /* The rows there are show the people found now; more are added, the
   * rest go. */
  child = gtk_widget_get_first_child (run->list);
  for (guint i = 0; i < people->len; i++)
    {
      KdxPerson *person = people->pdata[i];
      const char *department = kdx_person_get_department (person);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = child;
      GtkWidget *check;

      if (row == NULL)
        {
          row = adw_action_row_new ();
          check = gtk_check_button_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          g_object_set_data (G_OBJECT (row), "check", check);
          gtk_list_box_append (GTK_LIST_BOX (run->list), row);
        }
      else
        child = gtk_widget_get_next_sibling (child);
      check = g_object_get_data (G_OBJECT (row), "check");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kdx_person_get_name (person));
      if (g_hash_table_contains (open, kdx_person_get_uuid (person)))
        subtitle = g_strdup_printf ("%s · Has an open round",
                                    kdx_training_department_label (department));
      else
        subtitle = g_strdup (kdx_training_department_label (department));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
    }
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_list_box_remove (GTK_LIST_BOX (run->list), child);
      child = next;
    }
}

static int
run_window (KdxStore   *store,
            const char *course,
            guint       runs)
{
  WindowRun run = { 0 };
  GtkWidget *scroller;
  GtkWidget *dialog;
  GListModel *rounds;
  double ms, cpu;

  gtk_init ();
  adw_init ();
  g_resources_register (kdx_ui_get_resource ());

  run.store = store;
  run.view = kdx_course_view_new ();
  run.window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (run.window), GTK_WIDGET (run.view));
  gtk_window_set_default_size (GTK_WINDOW (run.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (run.window));
  kdx_course_view_set_course (run.view, store, course);
  rounds = kdx_course_view_get_assignments (run.view);
  bench_wait_frame (run.window, painted_cb, &run);
  while (!run.painted)
    g_main_context_iteration (NULL, TRUE);

  ms = time_frames (change_func, &run, runs, &cpu);
  report ("window: a change, to its frame", ms, cpu, TRUE, NULL);
  ms = time_frames (sort_func, &run, runs, &cpu);
  report ("window: by person, the other way, to its frame", ms, cpu, TRUE, NULL);
  ms = time_frames (status_func, &run, runs, &cpu);
  report ("window: overdue / every status, to its frame", ms, cpu, TRUE, NULL);
  g_assert (g_list_model_get_n_items (rounds) > 0);

  /* Assign People…'s list, in a window of its size. */
  run.people = kdx_person_model_new (store);
  kdx_person_model_set_filter (run.people, "a", FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  dialog = gtk_window_new ();
  scroller = gtk_scrolled_window_new ();
  run.list = gtk_list_box_new ();
  gtk_widget_add_css_class (run.list, "boxed-list");
  gtk_widget_set_valign (run.list, GTK_ALIGN_START);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), run.list);
  gtk_window_set_child (GTK_WINDOW (dialog), scroller);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, 640);
  gtk_window_present (GTK_WINDOW (dialog));
  run.window = dialog;
  ms = time_frames ((WindowFunc) assign_func, &run, runs, &cpu);
  report ("window: assign people, a keystroke (50 rows)", ms, cpu, TRUE, NULL);

  g_object_unref (run.people);
  gtk_window_destroy (GTK_WINDOW (dialog));

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    KdxAssignmentSort sort;
    gboolean descending;
    const char *name;
    gboolean judged;
  } sorts[] = {
    { KDX_ASSIGNMENT_SORT_PERSON, FALSE, "person", TRUE },
    { KDX_ASSIGNMENT_SORT_PERSON, TRUE, "person, descending", TRUE },
    { KDX_ASSIGNMENT_SORT_DEPARTMENT, FALSE, "department", FALSE },
    { KDX_ASSIGNMENT_SORT_DEPARTMENT, TRUE, "department, descending", FALSE },
    { KDX_ASSIGNMENT_SORT_DUE, FALSE, "due", FALSE },
    { KDX_ASSIGNMENT_SORT_DUE, TRUE, "due, descending", FALSE },
    { KDX_ASSIGNMENT_SORT_STATUS, FALSE, "status", FALSE },
    { KDX_ASSIGNMENT_SORT_STATUS, TRUE, "status, descending", FALSE },
    { KDX_ASSIGNMENT_SORT_COMPLETED, FALSE, "completed", FALSE },
    { KDX_ASSIGNMENT_SORT_COMPLETED, TRUE, "completed, descending", FALSE },
  };
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) courses = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GListModel) old_model = NULL;
  KdxCourse *course;
  ListRun list = { 0 };
  AssignRun assign = { 0 };
  guint runs = 5;
  gboolean window = FALSE;
  double ms, cpu;
  char measured[64];

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-course-view LARGE.kodex [RUNS] [--window]\n");
      return 2;
    }
  if (argc > 2 && g_strcmp0 (argv[2], "--window") != 0)
    runs = MAX (1, atoi (argv[2]));
  for (int i = 2; i < argc; i++)
    window = window || g_strcmp0 (argv[i], "--window") == 0;

  store = bench_open_workspace ("bench-course-view", argv[1]);
  if (store == NULL)
    return 1;
  courses = kdx_course_list (store, &error);
  if (courses == NULL || courses->len == 0)
    {
      fprintf (stderr, "bench-course-view: no course\n");
      return 1;
    }
  course = courses->pdata[0];
  if (window)
    return run_window (store, kdx_course_get_uuid (course), runs);

  model = kdx_course_rounds_new (store);
  list.store = store;
  list.course = kdx_course_get_uuid (course);
  list.model = model;

  /* Every sort, unfiltered; then every status filter and a search, by
   * name; then a reload as after a change. */
  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    {
      g_autofree char *what = g_strdup_printf ("course view: rounds by %s", sorts[s].name);

      memset (&list.filter, 0, sizeof list.filter);
      list.filter.status = -1;
      list.filter.sort = sorts[s].sort;
      list.filter.descending = sorts[s].descending;
      list.search = NULL;
      ms = time_runs (list_run, &list, sorts[s].judged ? runs : MIN (runs, 3), &cpu);
      report (what, ms, cpu, sorts[s].judged, NULL);
      if (s == 0)
        {
          g_snprintf (measured, sizeof measured, "%u", list.n);
          bench_row ("  (rounds of the course shown)", measured, "", "");
        }
    }
  for (int status = 0; status < KDX_ASSIGNMENT_N_STATUSES; status++)
    {
      g_autofree char *what = g_strdup_printf ("course view: %s, by person",
                                               kdx_assignment_status_to_string (status));

      memset (&list.filter, 0, sizeof list.filter);
      list.filter.status = status;
      list.search = NULL;
      ms = time_runs (list_run, &list, runs, &cpu);
      g_snprintf (measured, sizeof measured, ", %u", list.n);
      report (what, ms, cpu, TRUE, measured);
    }
  memset (&list.filter, 0, sizeof list.filter);
  list.filter.status = -1;
  list.search = "schmidt";
  ms = time_runs (list_run, &list, runs, &cpu);
  g_snprintf (measured, sizeof measured, ", %u", list.n);
  report ("course view: search \"schmidt\", by person", ms, cpu, TRUE, measured);
  list.search = NULL;
  list_run (&list);
  ms = time_runs (refresh_run, &list, runs, &cpu);
  report ("course view: a change: summary and list", ms, cpu, TRUE, NULL);
  ms = time_runs (scroll_run, &list, MIN (runs, 3), &cpu);
  report ("  (scrolled to the middle: every round)", ms, cpu, FALSE, NULL);

  ms = time_runs (summary_run, &list, runs, &cpu);
  report ("course view: summary of the course", ms, cpu, FALSE, NULL);

  /* As before, for comparison. */
  old_model = kdx_assignment_model_new (store);
  list.model = old_model;
  list.old = TRUE;
  list.search = NULL;
  memset (&list.filter, 0, sizeof list.filter);
  list.filter.status = -1;
  ms = time_runs (list_run, &list, MIN (runs, 3), &cpu);
  report ("  (before: every round of it, by person)", ms, cpu, FALSE, NULL);
  list.filter.status = KDX_ASSIGNMENT_OVERDUE;
  ms = time_runs (list_run, &list, MIN (runs, 3), &cpu);
  report ("  (before: overdue, by person)", ms, cpu, FALSE, NULL);
  ms = time_runs (summary_run, &list, MIN (runs, 3), &cpu);
  report ("  (before: summary by the status view)", ms, cpu, FALSE, NULL);
  list.model = model;
  list.old = FALSE;

  /* Assign People… */
  assign.store = store;
  assign.course = kdx_course_get_uuid (course);
  ms = time_runs (assign_open_run, &assign, MIN (runs, 3), &cpu);
  g_snprintf (measured, sizeof measured, ", %u", assign.n);
  report ("assign people: open", ms, cpu, FALSE, measured);
  /* The first search reads the search texts (the dialog has them read in
   * a worker thread when it opens; the People page does too). */
  assign_open_run (&assign);
  {
    gint64 start = g_get_monotonic_time ();
    double cpu_start = bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID);

    assign.search = "sch";
    assign_search_run (&assign);
    report ("  (first search: the search texts read)", (g_get_monotonic_time () - start) / 1000.0,
            bench_cpu_ms (CLOCK_THREAD_CPUTIME_ID) - cpu_start, FALSE, NULL);
  }
  assign.search = "schmidt";
  ms = time_runs (assign_search_run, &assign, runs, &cpu);
  g_snprintf (measured, sizeof measured, ", %u", assign.n);
  report ("assign people: search \"schmidt\"", ms, cpu, TRUE, measured);
  assign.search = "vertrieb";
  ms = time_runs (assign_search_run, &assign, runs, &cpu);
  g_snprintf (measured, sizeof measured, ", %u", assign.n);
  report ("assign people: search \"vertrieb\"", ms, cpu, TRUE, measured);
  assign.search = "ma";
  ms = time_runs (assign_search_run, &assign, runs, &cpu);
  g_snprintf (measured, sizeof measured, ", %u", assign.n);
  report ("assign people: search \"ma\"", ms, cpu, TRUE, measured);
  g_clear_object (&assign.model);

  ms = time_runs (assign_open_old_run, &assign, MIN (runs, 3), &cpu);
  report ("  (before: open, every person and round)", ms, cpu, FALSE, NULL);
  assign.search = "schmidt";
  ms = time_runs (assign_search_old_run, &assign, runs, &cpu);
  report ("  (before: search, every name folded)", ms, cpu, FALSE, NULL);
  g_clear_pointer (&assign.people, g_ptr_array_unref);

  return 0;
}
