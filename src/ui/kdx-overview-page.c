/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Overview: what the workspace holds, and the journal's head with a
 * button that verifies the chain in a job.
 */
#define G_LOG_DOMAIN "kdx-overview-page"

#include "config.h"

#include "kdx-overview-page.h"

#include "kdx-job.h"
#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-training-overview.h"

#include <inttypes.h>
#include <glib/gi18n.h>

struct _KdxOverviewPage
{
  GtkWidget     parent_instance;

  AdwPreferencesGroup *policies_group;
  GtkLabel     *published_count;
  GtkLabel     *review_count;
  GtkLabel     *overdue_count;
  GtkLabel     *systems_count;
  GtkLabel     *high_risk_count;
  GtkLabel     *prohibited_count;
  GtkLabel     *unclassified_count;
  GtkLabel     *non_compliant_count;
  GtkLabel     *training_overdue_count;
  GtkLabel     *training_expiring_count;
  AdwActionRow *literacy_row;
  GtkLabel     *literacy_label;
  GtkLabel     *gated_count;
  GtkLabel     *people_count;
  GtkLabel     *committee_count;
  GtkLabel     *trash_count;
  GtkLabel     *journal_count;
  AdwActionRow *head_row;
  AdwActionRow *verify_row;
  GtkButton    *verify_button;
  AdwActionRow *file_row;
  AdwActionRow *version_row;

  KdxStore     *store;
  GCancellable *cancellable;
  guint         counts_serial;  /* of the latest refresh; older counts are dropped */
};

G_DEFINE_FINAL_TYPE (KdxOverviewPage, kdx_overview_page, GTK_TYPE_WIDGET)

static void
set_count (GtkLabel *label,
           gint64    count)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (count, 0));

  gtk_label_set_label (label, text);
}

/* A count that needs someone's attention is shown in red. */
static void
set_alarm (GtkLabel *label,
           gboolean  alarm)
{
  if (alarm)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

/* What the Overview counts. */
typedef struct
{
  gint64 published;
  gint64 review;
  gint64 overdue;
  gint64 systems;
  gint64 by_risk[KDX_RISK_N_CLASSES + 1];
  gint64 non_compliant;
  KdxTrainingCounts training;
  gint64 active;
  gint64 committee;
  gint64 trash;
} Counts;

/* Runs on the page's store, or on a job's own connection in a worker. */
static void
read_counts (KdxStore *store,
             Counts   *counts)
{
  counts->published = kdx_policy_count_versions (store, KDX_VERSION_PUBLISHED);
  counts->review = kdx_policy_count_versions (store, KDX_VERSION_REVIEW);
  counts->overdue = kdx_policy_count_overdue (store, NULL);
  counts->systems = kdx_system_count (store);
  kdx_system_count_by_risk (store, counts->by_risk);
  counts->non_compliant = kdx_system_count_non_compliant (store);
  kdx_training_count_overview (store, NULL, &counts->training);

  kdx_person_count_states (store, &counts->active, &counts->committee, &counts->trash);
}

static void
show_counts (KdxOverviewPage *self,
             const Counts    *counts)
{
  set_count (self->published_count, counts->published);
  set_count (self->review_count, counts->review);
  set_count (self->overdue_count, counts->overdue);
  if (counts->overdue > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->overdue_count), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->overdue_count), "error");
  set_count (self->systems_count, counts->systems);
  set_count (self->high_risk_count, counts->by_risk[KDX_RISK_HIGH]);
  set_count (self->prohibited_count, counts->by_risk[KDX_RISK_PROHIBITED]);
  set_count (self->unclassified_count, counts->by_risk[KDX_RISK_N_CLASSES]);
  set_count (self->non_compliant_count, counts->non_compliant);
  set_alarm (self->prohibited_count, counts->by_risk[KDX_RISK_PROHIBITED] > 0);
  set_alarm (self->non_compliant_count, counts->non_compliant > 0);
  set_count (self->training_overdue_count, counts->training.overdue);
  set_alarm (self->training_overdue_count, counts->training.overdue > 0);
  set_count (self->training_expiring_count, counts->training.expiring_30);
  set_count (self->gated_count, counts->training.gated_systems);
  set_alarm (self->gated_count, counts->training.gated_systems > 0);
  if (counts->training.literacy_courses == 0)
    {
      gtk_label_set_label (self->literacy_label, "—");
      adw_action_row_set_subtitle (self->literacy_row,
                                   _("No course is marked as AI literacy training yet."));
    }
  else
    {
      gint64 people = MAX (counts->training.literacy_people, 1);
      int percent = (int) (100 * counts->training.literacy_valid / people);
      /* Translators: a percentage, e.g. "87 %"; use your language's spacing */
      g_autofree char *text = g_strdup_printf (_("%d %%"), percent);
      g_autofree char *subtitle =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%" PRId64 " of %" PRId64 " active person has a valid completion",
                                      "%" PRId64 " of %" PRId64 " active people have a valid completion",
                                      counts->training.literacy_people),
                         counts->training.literacy_valid, counts->training.literacy_people);

      gtk_label_set_label (self->literacy_label, text);
      adw_action_row_set_subtitle (self->literacy_row, subtitle);
    }
  set_count (self->people_count, counts->active);
  set_count (self->committee_count, counts->committee);
  set_count (self->trash_count, counts->trash);
}

/* The journal's head and the file: cheap, read on the main thread. */
static void
show_workspace (KdxOverviewPage *self)
{
  g_autofree char *head = NULL;
  g_autofree char *file = NULL;
  g_autofree char *version = NULL;
  gint64 entries = 0;

  kdx_journal_get_head (self->store, &entries, &head);
  set_count (self->journal_count, entries);
  adw_action_row_set_subtitle (self->head_row, head);

  file = g_filename_display_name (kdx_store_get_path (self->store));
  adw_action_row_set_subtitle (self->file_row, file);
  version = g_strdup_printf ("%" G_GINT64_FORMAT, kdx_store_count (self->store, "PRAGMA user_version"));
  adw_action_row_set_subtitle (self->version_row, version);
}

/* After a change: everything at once, so that what is shown is never
 * older than the change. */
static void
refresh (KdxOverviewPage *self)
{
  Counts counts;

  self->counts_serial++;  /* a count job still running is out of date */
  if (self->store == NULL)
    return;

  read_counts (self->store, &counts);
  show_counts (self, &counts);
  show_workspace (self);
}

typedef struct
{
  KdxOverviewPage *page;
  guint            serial;
  Counts           counts;
} CountJob;

static gboolean
count_job (KdxJob        *job,
           KdxStore      *store,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  CountJob *ctx = data;

  read_counts (store, &ctx->counts);

  return TRUE;
}

static void
count_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CountJob *ctx = user_data;
  KdxOverviewPage *self = ctx->page;
  gboolean ok = kdx_job_run_finish (KDX_JOB (source), result, NULL);

  if (ctx->serial == self->counts_serial && self->store != NULL)
    {
      /* Without a connection of its own, the page counts on its store. */
      if (!ok)
        read_counts (self->store, &ctx->counts);
      show_counts (self, &ctx->counts);
    }

  g_object_unref (self);
  g_free (ctx);
}

/* When a workspace opens, the counts — about 20 ms over 100,000 people
 * and 2,000 policies — are read in a worker on a connection of its own,
 * while the window is realized and laid out on the main thread. They are
 * normally back before the first frame is painted (the job's result
 * comes at default priority, before the frame clock's layout); the count
 * labels stay empty until then. */
static void
refresh_in_worker (KdxOverviewPage *self)
{
  g_autoptr(KdxJob) job = kdx_job_new (NULL);
  CountJob *ctx = g_new0 (CountJob, 1);

  self->counts_serial++;
  ctx->page = g_object_ref (self);
  ctx->serial = self->counts_serial;
  show_workspace (self);
  kdx_job_run_async (job, self->store, count_job, ctx, NULL, self->cancellable,
                     count_done_cb, ctx);
}

static void
store_changed_cb (KdxOverviewPage *self)
{
  refresh (self);
}

static gboolean
verify_job (KdxJob        *job,
            KdxStore      *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 checked = 0;

  if (!kdx_store_check (store, NULL, error))
    return FALSE;

  return kdx_journal_verify (store, 0, NULL, NULL, &checked, cancellable, error);
}

static void
verify_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KdxOverviewPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (kdx_job_run_finish (KDX_JOB (source), result, &error))
    {
      adw_action_row_set_subtitle (self->verify_row,
                                   _("Verified: the file is intact and every journal entry matches its hash."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->verify_row), "error");
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      adw_action_row_set_subtitle (self->verify_row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->verify_row), "error");
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), TRUE);
}

static void
verify_clicked_cb (KdxOverviewPage *self)
{
  g_autoptr(KdxJob) job = NULL;

  if (self->store == NULL)
    return;

  job = kdx_job_new (_("Verifying"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), FALSE);
  adw_action_row_set_subtitle (self->verify_row, _("Verifying…"));
  kdx_job_run_async (job, self->store, verify_job, NULL, NULL, self->cancellable,
                     verify_done_cb, g_object_ref (self));
}

static void
kdx_overview_page_dispose (GObject *object)
{
  KdxOverviewPage *self = (KdxOverviewPage *)object;

  g_cancellable_cancel (self->cancellable);
  self->counts_serial++;  /* a count job's result finds no labels any more */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_OVERVIEW_PAGE);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kdx_overview_page_parent_class)->dispose (object);
}

static void
kdx_overview_page_class_init (KdxOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_overview_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, policies_group);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, published_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, review_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, overdue_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, systems_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, high_risk_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, prohibited_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, unclassified_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, non_compliant_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, training_overdue_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, training_expiring_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, literacy_row);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, literacy_label);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, gated_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, people_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, committee_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, trash_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, journal_count);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, head_row);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, verify_row);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, verify_button);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, file_row);
  gtk_widget_class_bind_template_child (widget_class, KdxOverviewPage, version_row);
  gtk_widget_class_bind_template_callback (widget_class, verify_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_overview_page_init (KdxOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A group's title is markup: the area's name has an ampersand. */
  {
    g_autofree char *title = g_markup_escape_text (_("Code of Conduct & Policies"), -1);
    adw_preferences_group_set_title (self->policies_group, title);
  }
  self->cancellable = g_cancellable_new ();
}

KdxOverviewPage *
kdx_overview_page_new (void)
{
  return g_object_new (KDX_TYPE_OVERVIEW_PAGE, NULL);
}

void
kdx_overview_page_set_store (KdxOverviewPage *self,
                             KdxStore        *store)
{
  g_return_if_fail (KDX_IS_OVERVIEW_PAGE (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  adw_action_row_set_subtitle (self->verify_row,
                               _("Recomputes every hash and checks the file’s integrity"));
  if (store != NULL)
    refresh_in_worker (self);
  else
    self->counts_serial++;
}
