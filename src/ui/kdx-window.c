/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: the welcome view until a workspace is open, then the
 * sidebar of areas and the area pages. It owns the workspace's store for
 * as long as it shows it, keeps the lock's heartbeat and runs jobs.
 */
#define G_LOG_DOMAIN "kdx-window"

#include "config.h"

#include "kdx-window.h"
#include "kdx-format.h"

#include "kdx-demo.h"
#include "kdx-exchange.h"
#include "kdx-frameworks-page.h"
#include "kdx-job.h"
#include "kdx-journal-page.h"
#include "kdx-overview-page.h"
#include "kdx-people-page.h"
#include "kdx-person.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-policy-page.h"
#include "kdx-preferences-window.h"
#include "kdx-search-window.h"
#include "kdx-system.h"
#include "kdx-system-page.h"
#include "kdx-training.h"
#include "kdx-training-page.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#define HEARTBEAT_SECONDS 30

struct _KdxWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  GtkLabel             *recent_label;
  GtkListBox           *recent_list;
  AdwLeaflet           *leaflet;
  AdwWindowTitle       *sidebar_title;
  GtkListBox           *sidebar_list;
  AdwWindowTitle       *content_title;
  KdxPersonChooser     *identity_chooser;
  GtkInfoBar           *read_only_bar;
  GtkLabel             *read_only_label;
  GtkWidget            *take_over_button;
  GtkRevealer          *job_revealer;
  GtkLabel             *job_label;
  GtkProgressBar       *job_progress;
  GtkStack             *area_stack;

  KdxStore             *store;
  GSettings            *settings;
  guint                 heartbeat_id;
  GCancellable         *job_cancellable;
  GPtrArray            *undo_stack;  /* uuids of trashed people, newest last */
  gboolean              recent_stale;  /* recent_list is to be filled again */
};

G_DEFINE_FINAL_TYPE (KdxWindow, kdx_window, ADW_TYPE_APPLICATION_WINDOW)

/* The areas of the sidebar, in its order; Alt+1 … Alt+0 follow it.
 *
 * An area's page is built when it is first shown (or asked for with
 * kdx_window_get_page()), not when the window is: a page's template, its
 * queries and its share of the window's first layout would all delay the
 * first frame, and most sessions visit few areas. A page built late gets
 * the open workspace at once, and every built page gets the next one.
 *
 * An area with a page of its own is two lines: AREA_PAGE (prefix, TYPE)
 * below, which adapts kdx_<prefix>_new () and kdx_<prefix>_set_store ()
 * to the table, and the area's row with AREA_FUNCS (prefix). An area
 * still to come names what will be there in "coming" and gets an
 * AdwStatusPage that says so. */
typedef struct
{
  const char *id;
  const char *title;
  const char *icon;
  const char *coming;   /* NULL: the area has a page of its own */
  GtkWidget *(*create) (void);
  void       (*set_store) (GtkWidget *page,
                           KdxStore  *store);
} Area;

#define AREA_PAGE(prefix, TYPE)                                          \
  static GtkWidget *                                                    \
  prefix##_area_new (void)                                              \
  {                                                                     \
    return GTK_WIDGET (prefix##_new ());                                \
  }                                                                     \
  static void                                                           \
  prefix##_area_set_store (GtkWidget *page,                             \
                           KdxStore  *store)                            \
  {                                                                     \
    prefix##_set_store (TYPE (page), store);                            \
  }

#define AREA_FUNCS(prefix) prefix##_area_new, prefix##_area_set_store

AREA_PAGE (kdx_overview_page, KDX_OVERVIEW_PAGE)
AREA_PAGE (kdx_policy_page, KDX_POLICY_PAGE)
AREA_PAGE (kdx_system_page, KDX_SYSTEM_PAGE)
AREA_PAGE (kdx_frameworks_page, KDX_FRAMEWORKS_PAGE)
AREA_PAGE (kdx_training_page, KDX_TRAINING_PAGE)
AREA_PAGE (kdx_people_page, KDX_PEOPLE_PAGE)
AREA_PAGE (kdx_journal_page, KDX_JOURNAL_PAGE)

static const Area areas[] = {
  { "overview", N_("Overview"), "view-grid-symbolic", NULL, AREA_FUNCS (kdx_overview_page) },
  { "policies", N_("Code of Conduct & Policies"), "accessories-dictionary-symbolic", NULL,
    AREA_FUNCS (kdx_policy_page) },
  { "systems", N_("AI Systems"), "applications-engineering-symbolic", NULL,
    AREA_FUNCS (kdx_system_page) },
  { "frameworks", N_("Frameworks"), "folder-templates-symbolic", NULL,
    AREA_FUNCS (kdx_frameworks_page) },
  { "audits", N_("Audits & Findings"), "edit-find-symbolic",
    N_("Here audits, their findings, remediation and evidence will be tracked."), NULL, NULL },
  { "concerns", N_("Concerns"), "mail-mark-important-symbolic",
    N_("Here concerns raised by employees — by name or anonymously — will be handled "
       "through to feedback."), NULL, NULL },
  { "training", N_("Training"), "emblem-default-symbolic", NULL,
    AREA_FUNCS (kdx_training_page) },
  { "people", N_("People"), "system-users-symbolic", NULL, AREA_FUNCS (kdx_people_page) },
  { "reports", N_("Reports"), "document-print-symbolic",
    N_("Here you will export the governance reports a board, an auditor or a works council "
       "asks for, as PDF, HTML, spreadsheets and more."), NULL, NULL },
  { "journal", N_("Journal"), "view-list-ordered-symbolic", NULL, AREA_FUNCS (kdx_journal_page) },
};

static const Area *
find_area (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    if (g_strcmp0 (areas[i].id, id) == 0)
      return &areas[i];

  return NULL;
}

static KdxApplication *
get_app (KdxWindow *self)
{
  return KDX_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

/* ------------------------------------------------------------------ */
/* Which actions can run now                                          */

static void
update_actions (KdxWindow *self)
{
  gboolean open = self->store != NULL;
  gboolean writable = open && !kdx_store_is_read_only (self->store);
  gboolean busy = self->job_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.backup", open && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", open && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preferences", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-person", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-policy", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-system", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-course", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-training-overdue", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-system", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-requirement", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.global-search", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-delete",
                                 writable && self->undo_stack->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.area", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.take-over",
                                 open && kdx_store_get_read_only_reason (self->store) ==
                                         KDX_STORE_READ_ONLY_LOCKED);
}

/* ------------------------------------------------------------------ */
/* Messages                                                           */

static void
show_error (KdxWindow  *self,
            const char *heading,
            const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
kdx_window_toast (KdxWindow  *self,
                  const char *message)
{
  g_return_if_fail (KDX_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, kdx_toast_new (message));
}

void
kdx_window_toast_from (GtkWidget  *widget,
                       const char *message)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (KDX_IS_WINDOW (root))
    kdx_window_toast (KDX_WINDOW (root), message);
  else
    g_message ("%s", message);
}

void
kdx_window_toast_trashed (KdxWindow  *self,
                          const char *entity,
                          const char *uuid,
                          const char *name)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_if_fail (KDX_IS_WINDOW (self));

  g_ptr_array_add (self->undo_stack, g_strconcat (entity, ":", uuid, NULL));
  update_actions (self);

  /* Translators: %s is the name of a person or a policy */
  title = g_strdup_printf (_("“%s” moved to the trash"), name);
  toast = kdx_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.restore");
  adw_toast_set_action_target_value (toast, g_variant_new_take_string (g_strconcat (entity, ":", uuid, NULL)));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ------------------------------------------------------------------ */
/* Read-only state and the lock                                       */

static char *
format_since (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);

  /* Translators: when another instance took the lock, see g_date_time_format() */
  return dt ? g_date_time_format (dt, _("%Y-%m-%d %H:%M")) : g_strdup ("?");
}

static void
update_read_only_bar (KdxWindow *self)
{
  g_autofree char *text = NULL;
  gboolean locked = FALSE;

  if (self->store == NULL || !kdx_store_is_read_only (self->store))
    {
      gtk_info_bar_set_revealed (self->read_only_bar, FALSE);
      return;
    }

  switch (kdx_store_get_read_only_reason (self->store))
    {
    case KDX_STORE_READ_ONLY_LOCKED:
      {
        g_autoptr(KdxLockHolder) holder = kdx_store_dup_lock_holder (self->store);

        locked = TRUE;
        if (holder != NULL)
          {
            g_autofree char *since = format_since (holder->since);

            /* Translators: user, host, date; the workspace is open elsewhere */
            text = g_strdup_printf (_("Read-only: %s is editing this workspace on “%s” since %s. "
                                      "Changes are possible again when they close it."),
                                    holder->user, holder->host, since);
          }
        else
          text = g_strdup (_("Read-only: another Kodex took over this workspace."));
      }
      break;
    case KDX_STORE_READ_ONLY_NEWER:
      text = g_strdup (_("Read-only: this workspace was made by a newer Kodex. "
                         "Update Kodex to change it."));
      break;
    case KDX_STORE_READ_ONLY_UNWRITABLE:
      text = g_strdup (_("Read-only: you may not write to this file or its folder."));
      break;
    case KDX_STORE_READ_ONLY_DAMAGED:
      text = g_strdup (_("Read-only: this workspace is damaged and nothing more is written to it. "
                         "Open your latest backup."));
      break;
    case KDX_STORE_READ_ONLY_REQUESTED:
    case KDX_STORE_READ_ONLY_NONE:
    default:
      text = g_strdup (_("Read-only."));
      break;
    }

  gtk_label_set_label (self->read_only_label, text);
  gtk_widget_set_visible (self->take_over_button, locked);
  gtk_info_bar_set_revealed (self->read_only_bar, TRUE);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  KdxWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return G_SOURCE_CONTINUE;

  if (!kdx_store_heartbeat (self->store, &error))
    {
      kdx_window_toast (self, error->message);
      update_read_only_bar (self);
      update_actions (self);
    }

  return G_SOURCE_CONTINUE;
}

static void
take_over_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       KdxWindow        *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "take-over") != 0 || self->store == NULL)
    return;

  if (!kdx_store_break_lock (self->store, &error))
    {
      show_error (self, _("Cannot Take Over"), error->message);
      return;
    }

  update_read_only_bar (self);
  update_actions (self);
  kdx_window_toast (self, _("You can now edit this workspace; the take-over is in the journal"));
}

static void
take_over_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Take Over the Workspace?"),
                                   _("The other Kodex will become read-only and any change it "
                                     "has not saved yet will be refused. Do this only if that "
                                     "instance is no longer in use. The take-over is recorded "
                                     "in the journal."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "take-over", _("_Take Over"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "take-over",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (take_over_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ */
/* Opening and closing a workspace                                    */

/* Recertification and rules follow the calendar: on every open, the
 * rounds that came due since the workspace was last open are assigned
 * (kdx_training_apply()), in a worker after the first frame. */
static gboolean
training_apply_job (KdxJob        *job,
                    KdxStore      *store,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  KdxTrainingApplyStats *stats = data;

  return kdx_training_apply (store, NULL, NULL, stats, error);
}

static void
training_apply_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KdxStore) store = user_data;
  g_autoptr(GError) error = NULL;
  KdxTrainingApplyStats *stats = g_object_get_data (source, "stats");

  if (!kdx_job_run_finish (KDX_JOB (source), result, &error))
    {
      g_warning ("Cannot apply the training rules: %s", error->message);
      return;
    }
  if (stats->n_assigned + stats->n_recertified > 0)
    kdx_store_emit_changed (store, "assignment");
}

static void
run_training_apply (KdxWindow *self)
{
  g_autoptr(KdxJob) job = NULL;
  KdxTrainingApplyStats *stats;

  if (self->store == NULL || kdx_store_is_read_only (self->store) ||
      kdx_store_needs_deep_check (self->store))
    return;

  job = kdx_job_new (NULL);
  stats = g_new0 (KdxTrainingApplyStats, 1);
  g_object_set_data_full (G_OBJECT (job), "stats", stats, g_free);
  kdx_job_run_async (job, self->store, training_apply_job, stats, NULL, NULL,
                     training_apply_done_cb, g_object_ref (self->store));
}

static void
training_apply_after_paint_cb (GdkFrameClock *clock,
                               KdxWindow     *self)
{
  g_signal_handlers_disconnect_by_func (clock, training_apply_after_paint_cb, self);
  run_training_apply (self);
}

static void
training_apply_map_cb (KdxWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));

  g_signal_handlers_disconnect_by_func (self, training_apply_map_cb, NULL);
  g_signal_connect_object (gdk_surface_get_frame_clock (surface), "after-paint",
                           G_CALLBACK (training_apply_after_paint_cb), self, 0);
}

static void
start_training_apply (KdxWindow *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    run_training_apply (self);
  else
    g_signal_connect (self, "map", G_CALLBACK (training_apply_map_cb), NULL);
}

static gboolean
deep_check_job (KdxJob        *job,
                KdxStore      *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  return kdx_store_deep_check (store, error);
}

static void
deep_check_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KdxStore) store = user_data;
  g_autoptr(GError) error = NULL;
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());

  if (kdx_job_run_finish (KDX_JOB (source), result, &error))
    {
      kdx_store_mark_checked (store);
      for (GList *l = app ? gtk_application_get_windows (app) : NULL; l; l = l->next)
        if (KDX_IS_WINDOW (l->data) && kdx_window_get_store (l->data) == store)
          run_training_apply (l->data);
      return;
    }

  kdx_store_mark_damaged (store);

  /* The window may have moved on to another workspace meanwhile. */
  for (GList *l = app ? gtk_application_get_windows (app) : NULL; l; l = l->next)
    if (KDX_IS_WINDOW (l->data) && kdx_window_get_store (l->data) == store)
      {
        KdxWindow *self = l->data;

        update_read_only_bar (self);
        update_actions (self);
        show_error (self, _("The Workspace Is Damaged"), error->message);
      }
}

/* A large workspace opens after a check of its header and schema; the
 * full check follows here, off the main thread. Until it passes, the
 * store refuses writes. */
static void
run_deep_check (KdxWindow *self)
{
  g_autoptr(KdxJob) job = kdx_job_new (_("Checking the workspace"));

  if (self->store == NULL || !kdx_store_needs_deep_check (self->store))
    return;
  kdx_job_run_async (job, self->store, deep_check_job, NULL, NULL, NULL,
                     deep_check_done_cb, g_object_ref (self->store));
}

static void
deep_check_after_paint_cb (GdkFrameClock *clock,
                           KdxWindow     *self)
{
  g_signal_handlers_disconnect_by_func (clock, deep_check_after_paint_cb, self);
  run_deep_check (self);
}

static void
deep_check_map_cb (KdxWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));

  g_signal_handlers_disconnect_by_func (self, deep_check_map_cb, NULL);
  g_signal_connect_object (gdk_surface_get_frame_clock (surface), "after-paint",
                           G_CALLBACK (deep_check_after_paint_cb), self, 0);
}

/* Not before the first frame: on two cores the check would take one from
 * the window that is being built. */
static void
start_deep_check (KdxWindow *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    run_deep_check (self);
  else
    g_signal_connect (self, "map", G_CALLBACK (deep_check_map_cb), NULL);
}

static void
update_titles (KdxWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *file = NULL;
  const Area *area = find_area (gtk_stack_get_visible_child_name (self->area_stack));

  if (self->store == NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), "Kodex");
      return;
    }

  name = kdx_store_dup_display_name (self->store);
  file = g_filename_display_basename (kdx_store_get_path (self->store));
  adw_window_title_set_title (self->sidebar_title, "Kodex");
  adw_window_title_set_subtitle (self->sidebar_title, file);
  adw_window_title_set_title (self->content_title, area ? _(area->title) : "");
  adw_window_title_set_subtitle (self->content_title, name);
  gtk_window_set_title (GTK_WINDOW (self), name);
}

static void
store_changed_cb (KdxWindow  *self,
                  const char *entity,
                  GArray     *ids,
                  KdxStore   *store)
{
  if (g_strcmp0 (entity, "setting") == 0 || g_strcmp0 (entity, "workspace") == 0)
    update_titles (self);
  if (g_strcmp0 (entity, "person") == 0)
    kdx_person_chooser_set_person (self->identity_chooser, kdx_store_get_actor (store));
}

static void
set_store (KdxWindow *self,
           KdxStore  *store)
{
  KdxApplication *app = get_app (self);
  g_autofree char *identity = NULL;

  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      kdx_store_close (self->store);
    }
  g_set_object (&self->store, store);
  g_ptr_array_set_size (self->undo_stack, 0);

  /* Pages not built yet get the store when they are. */
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      GtkWidget *page = gtk_stack_get_child_by_name (self->area_stack, areas[i].id);

      if (page != NULL && areas[i].set_store != NULL)
        areas[i].set_store (page, store);
    }

  if (store == NULL)
    {
      kdx_person_chooser_set_store (self->identity_chooser, NULL);
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      update_titles (self);
      update_actions (self);
      return;
    }

  /* Who am I in this workspace? Remembered per file on this computer. */
  identity = kdx_application_dup_identity (app, kdx_store_get_path (store));
  if (identity != NULL)
    {
      g_autoptr(KdxPerson) person = kdx_person_load (store, identity, NULL);

      if (person == NULL || kdx_person_get_trashed (person) != NULL)
        g_clear_pointer (&identity, g_free);
    }
  kdx_store_set_actor (store, identity);
  kdx_person_chooser_set_store (self->identity_chooser, store);
  kdx_person_chooser_set_person (self->identity_chooser, identity);
  if (identity == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->identity_chooser), "needs-identity");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->identity_chooser), "needs-identity");

  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (kdx_store_needs_deep_check (store))
    start_deep_check (self);
  else
    start_training_apply (self);

  kdx_application_add_recent (app, kdx_store_get_path (store));
  gtk_stack_set_visible_child_name (self->main_stack, "workspace");
  {
    g_autofree char *last_area = g_settings_get_string (self->settings, "last-area");
    kdx_window_show_area (self, last_area);
  }
  update_titles (self);
  update_read_only_bar (self);
  update_actions (self);
}

gboolean
kdx_window_open_path (KdxWindow  *self,
                      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;

  g_return_val_if_fail (KDX_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  store = kdx_store_open (path, KDX_STORE_OPEN_DEFER_CHECK, &error);
  if (store == NULL)
    {
      if (g_error_matches (error, KDX_STORE_ERROR, KDX_STORE_ERROR_NOT_FOUND))
        kdx_application_remove_recent (get_app (self), path);
      show_error (self, _("Cannot Open Workspace"), error->message);
      return FALSE;
    }

  set_store (self, store);

  return TRUE;
}

gboolean
kdx_window_create_workspace (KdxWindow  *self,
                             const char *path,
                             const char *organisation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;
  const char *language = g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "de",
                                           "en") ? "en" : "de";

  g_return_val_if_fail (KDX_IS_WINDOW (self), FALSE);

  store = kdx_store_create (path, organisation, language, &error);
  if (store == NULL)
    {
      show_error (self, _("Cannot Create Workspace"), error->message);
      return FALSE;
    }

  set_store (self, store);
  kdx_window_show_area (self, "people");

  return TRUE;
}

/* A workspace opens in this window when it shows the welcome view, or
 * else in a new one. */
static KdxWindow *
target_window (KdxWindow *self)
{
  if (self->store == NULL)
    return self;

  return kdx_window_new (get_app (self));
}

static void
ensure_kodex_suffix (char **path)
{
  if (!g_str_has_suffix (*path, ".kodex"))
    {
      char *with = g_strconcat (*path, ".kodex", NULL);
      g_free (*path);
      *path = with;
    }
}

static void
new_workspace_response_cb (GtkNativeDialog *dialog,
                           int              response,
                           KdxWindow       *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *organisation = NULL;
  g_autofree char *templates = NULL;
  KdxWindow *window;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
      templates = g_strdup (gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "templates"));
    }
  g_object_unref (dialog);
  if (path == NULL)
    return;

  ensure_kodex_suffix (&path);
  organisation = g_path_get_basename (path);
  organisation[strlen (organisation) - strlen (".kodex")] = '\0';

  /* The file chooser asked before replacing; a workspace is never
   * overwritten, so an existing file is moved aside only with consent. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *name = g_filename_display_basename (path);
      g_autofree char *body = g_strdup_printf (_("“%s” already exists. Kodex never overwrites a "
                                                 "workspace; choose another name."), name);
      show_error (self, _("Cannot Create Workspace"), body);
      return;
    }

  window = target_window (self);
  if (kdx_window_create_workspace (window, path, organisation))
    {
      if (g_strcmp0 (templates, "true") == 0)
        {
          g_autoptr(GError) error = NULL;

          if (!kdx_policy_create_from_templates (window->store, NULL, NULL, &error))
            kdx_window_toast (window, error->message);
          else
            kdx_window_show_area (window, "policies");
        }
      gtk_window_present (GTK_WINDOW (window));
    }
  else if (window != self)
    gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_kodex_filter (GtkFileChooser *chooser)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Kodex Workspaces"));
  gtk_file_filter_add_mime_type (filter, "application/x-kodex-workspace");
  gtk_file_filter_add_pattern (filter, "*.kodex");
  gtk_file_chooser_add_filter (chooser, filter);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_set_filter (chooser, filter);
  g_object_unref (filter);
  g_object_unref (all);
}

static void
new_workspace_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("New Workspace"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Create"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("Governance.kodex"));
  add_kodex_filter (GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "templates",
                               _("Start with the code of conduct and policy templates"),
                               NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "templates", "true");
  g_signal_connect (dialog, "response", G_CALLBACK (new_workspace_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  KdxWindow       *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);

  if (file != NULL)
    g_application_open (G_APPLICATION (get_app (self)), &file, 1, "");
}

static void
open_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Workspace"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  add_kodex_filter (GTK_FILE_CHOOSER (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_path_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  g_application_open (G_APPLICATION (get_app (self)), &file, 1, "");
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  g_autofree char *path = kdx_application_dup_demo_path (get_app (self));
  g_autoptr(GFile) file = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KdxStore) store = NULL;
      const char *language = g_str_has_suffix (path, "-en.kodex") ? "en" : "de";

      store = kdx_store_create (path, NULL, language, &error);
      if (store == NULL || !kdx_demo_fill (store, KDX_DEMO_SMALL, language, NULL, NULL, &error))
        {
          if (store != NULL)
            {
              kdx_store_close (store);
              g_unlink (path);
            }
          show_error (self, _("Cannot Create the Demo"), error->message);
          return;
        }
      kdx_store_close (store);
    }

  file = g_file_new_for_path (path);
  g_application_open (G_APPLICATION (get_app (self)), &file, 1, "");
}

/* ------------------------------------------------------------------ */
/* Jobs: backup, export, import                                       */

static void
job_progress_cb (KdxJob     *job,
                 GParamSpec *pspec,
                 KdxWindow  *self)
{
  gtk_progress_bar_set_fraction (self->job_progress, kdx_job_get_fraction (job));
}

static void
start_job (KdxWindow *self,
           KdxJob    *job)
{
  g_clear_object (&self->job_cancellable);
  self->job_cancellable = g_cancellable_new ();
  gtk_label_set_label (self->job_label, kdx_job_get_title (job));
  gtk_progress_bar_set_fraction (self->job_progress, 0.0);
  gtk_revealer_set_reveal_child (self->job_revealer, TRUE);
  g_signal_connect_object (job, "notify::fraction", G_CALLBACK (job_progress_cb), self, 0);
  update_actions (self);
}

static void
end_job (KdxWindow *self)
{
  g_clear_object (&self->job_cancellable);
  gtk_revealer_set_reveal_child (self->job_revealer, FALSE);
  update_actions (self);
}

static void
job_cancel_clicked_cb (KdxWindow *self)
{
  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
}

static gboolean
backup_job (KdxJob        *job,
            KdxStore      *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return kdx_store_backup (store, data, cancellable, error);
}

static gboolean
export_job (KdxJob        *job,
            KdxStore      *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  return kdx_exchange_export_xml (store, data, job, cancellable, error);
}

typedef struct
{
  KdxWindow *window;
  char      *path;
  char      *done_message;
} JobContext;

static void
job_context_free (JobContext *ctx)
{
  g_object_unref (ctx->window);
  g_free (ctx->path);
  g_free (ctx->done_message);
  g_free (ctx);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  JobContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  end_job (ctx->window);
  if (!kdx_job_run_finish (KDX_JOB (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (ctx->window, kdx_job_get_title (KDX_JOB (source)), error->message);
    }
  else
    kdx_window_toast (ctx->window, ctx->done_message);

  job_context_free (ctx);
}

static void
run_store_job (KdxWindow  *self,
               const char *title,
               KdxJobFunc  func,
               const char *path,
               const char *done_message)
{
  g_autoptr(KdxJob) job = kdx_job_new (title);
  JobContext *ctx = g_new0 (JobContext, 1);

  ctx->window = g_object_ref (self);
  ctx->path = g_strdup (path);
  ctx->done_message = g_strdup (done_message);
  start_job (self, job);
  kdx_job_run_async (job, self->store, func, g_strdup (path), g_free, self->job_cancellable,
                     job_done_cb, ctx);
}

static char *
dated_name (KdxWindow  *self,
            const char *suffix)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *base = g_path_get_basename (kdx_store_get_path (self->store));
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");

  if (g_str_has_suffix (base, ".kodex"))
    base[strlen (base) - strlen (".kodex")] = '\0';

  return g_strdup_printf ("%s-%s%s", base, date, suffix);
}

/* Backup and export: ask where to, then write there in a job. */
typedef struct
{
  const char *dialog_title;
  const char *error_heading;
  const char *accept_label;
  const char *suffix;
  KdxJobFunc  func;
  const char *progress_title;
  const char *done_message;
} SaveJob;

static const SaveJob backup_spec = {
  N_("Back Up Workspace"), N_("Cannot Back Up"), N_("_Back Up"), ".kodex", backup_job,
  N_("Backing up"), N_("Backup saved"),
};

static const SaveJob export_spec = {
  N_("Export Workspace as XML"), N_("Cannot Export"), N_("_Export"), ".xml", export_job,
  N_("Exporting"), N_("Workspace exported"),
};

static void
save_job_response_cb (GtkNativeDialog *dialog,
                      int              response,
                      KdxWindow       *self)
{
  const SaveJob *spec = g_object_get_data (G_OBJECT (dialog), "save-job");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL || self->store == NULL)
    return;

  path = g_file_get_path (file);
  if (g_strcmp0 (path, kdx_store_get_path (self->store)) == 0)
    {
      show_error (self, _(spec->error_heading),
                  _("This would replace the workspace itself; choose another file."));
      return;
    }
  run_store_job (self, _(spec->progress_title), spec->func, path, _(spec->done_message));
}

static void
ask_for_save_job (KdxWindow     *self,
                  const SaveJob *spec)
{
  g_autofree char *name = dated_name (self, spec->suffix);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_(spec->dialog_title), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _(spec->accept_label),
                                        _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "save-job", (gpointer) spec);
  g_signal_connect (dialog, "response", G_CALLBACK (save_job_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
backup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ask_for_save_job (KDX_WINDOW (widget), &backup_spec);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ask_for_save_job (KDX_WINDOW (widget), &export_spec);
}

typedef struct
{
  char *xml_path;
  char *workspace_path;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->xml_path);
  g_free (data->workspace_path);
  g_free (data);
}

static gboolean
import_job (KdxJob        *job,
            KdxStore      *unused,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ImportData *data = user_data;
  g_autoptr(KdxStore) store = kdx_store_create (data->workspace_path, NULL, NULL, error);

  if (store == NULL)
    return FALSE;

  if (!kdx_exchange_import_xml (store, data->xml_path, job, cancellable, error))
    {
      kdx_store_close (store);
      g_unlink (data->workspace_path);
      return FALSE;
    }

  return TRUE;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  JobContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  end_job (ctx->window);
  if (!kdx_job_run_finish (KDX_JOB (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (ctx->window, _("Cannot Import"), error->message);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_path (ctx->path);

      g_application_open (G_APPLICATION (get_app (ctx->window)), &file, 1, "");
    }

  job_context_free (ctx);
}

static void
import_target_response_cb (GtkNativeDialog *dialog,
                           int              response,
                           KdxWindow       *self)
{
  ImportData *data = g_object_get_data (G_OBJECT (dialog), "import-data");
  g_autoptr(GFile) file = NULL;
  g_autoptr(KdxJob) job = NULL;
  JobContext *ctx;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file == NULL)
    {
      g_object_unref (dialog);
      return;
    }

  g_object_steal_data (G_OBJECT (dialog), "import-data");
  g_object_unref (dialog);

  data->workspace_path = g_file_get_path (file);
  ensure_kodex_suffix (&data->workspace_path);
  if (g_file_test (data->workspace_path, G_FILE_TEST_EXISTS))
    {
      show_error (self, _("Cannot Import"), _("An XML file is imported into a new workspace; "
                                              "choose a name that is not taken."));
      import_data_free (data);
      return;
    }

  job = kdx_job_new (_("Importing"));
  ctx = g_new0 (JobContext, 1);
  ctx->window = g_object_ref (self);
  ctx->path = g_strdup (data->workspace_path);
  start_job (self, job);
  kdx_job_run_async (job, NULL, import_job, data, (GDestroyNotify) import_data_free,
                     self->job_cancellable, import_done_cb, ctx);
}

static void
import_source_response_cb (GtkNativeDialog *dialog,
                           int              response,
                           KdxWindow       *self)
{
  g_autoptr(GFile) file = NULL;
  GtkFileChooserNative *target;
  ImportData *data;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL)
    return;

  data = g_new0 (ImportData, 1);
  data->xml_path = g_file_get_path (file);

  target = gtk_file_chooser_native_new (_("New Workspace for the Import"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (target), _("Imported.kodex"));
  g_object_set_data_full (G_OBJECT (target), "import-data", data,
                          (GDestroyNotify) import_data_free);
  g_signal_connect (target, "response", G_CALLBACK (import_target_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (target));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Import XML"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Next"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Kodex Exchange Files"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (import_source_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ------------------------------------------------------------------ */
/* Other actions                                                      */

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  KdxPreferencesWindow *prefs;

  if (self->store == NULL)
    return;

  prefs = kdx_preferences_window_new (GTK_WINDOW (self), self->store);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  const char *area = kdx_window_get_area (self);

  if (g_strcmp0 (area, "journal") == 0)
    kdx_journal_page_focus_search (KDX_JOURNAL_PAGE (kdx_window_get_page (self, "journal")));
  else if (g_strcmp0 (area, "policies") == 0)
    kdx_policy_page_focus_search (KDX_POLICY_PAGE (kdx_window_get_page (self, "policies")));
  else if (g_strcmp0 (area, "systems") == 0)
    kdx_system_page_focus_search (KDX_SYSTEM_PAGE (kdx_window_get_page (self, "systems")));
  else if (g_strcmp0 (area, "training") == 0)
    kdx_training_page_focus_search (KDX_TRAINING_PAGE (kdx_window_get_page (self, "training")));
  else
    {
      kdx_window_show_area (self, "people");
      kdx_people_page_focus_search (KDX_PEOPLE_PAGE (kdx_window_get_page (self, "people")));
    }
}

static void
new_policy_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  kdx_window_show_area (self, "policies");
  kdx_policy_page_new_policy (KDX_POLICY_PAGE (kdx_window_get_page (self, "policies")));
}

static void
new_system_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  kdx_window_show_area (self, "systems");
  kdx_system_page_new_system (KDX_SYSTEM_PAGE (kdx_window_get_page (self, "systems")));
}

static void
new_course_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  kdx_window_show_area (self, "training");
  kdx_training_page_new_course (KDX_TRAINING_PAGE (kdx_window_get_page (self, "training")));
}

/* From the Overview: every overdue round of the organisation. */
static void
show_training_overdue_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  kdx_window_show_area (self, "training");
  kdx_training_page_show_overdue (KDX_TRAINING_PAGE (kdx_window_get_page (self, "training")));
}

/* From anywhere (the coverage matrix, a policy's mappings, the search): a
 * system by uuid or key. */
static void
show_system_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  kdx_window_show_area (self, "systems");
  kdx_system_page_show_system (KDX_SYSTEM_PAGE (kdx_window_get_page (self, "systems")),
                               g_variant_get_string (parameter, NULL));
}

/* From a system's obligations: the requirement in its catalog. */
static void
show_requirement_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  kdx_window_show_area (self, "frameworks");
  kdx_frameworks_page_show_requirement (KDX_FRAMEWORKS_PAGE (kdx_window_get_page (self, "frameworks")),
                                        g_variant_get_string (parameter, NULL));
}

static void
global_search_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  if (self->store != NULL)
    gtk_window_present (GTK_WINDOW (kdx_search_window_new (self, self->store)));
}

static void
add_person_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);

  kdx_window_show_area (self, "people");
  kdx_people_page_add_person (KDX_PEOPLE_PAGE (kdx_window_get_page (self, "people")));
}

/* @item is "entity:uuid", as the undo stack and the toasts hold it. */
static void
restore_item (KdxWindow  *self,
              const char *item)
{
  g_autoptr(GError) error = NULL;
  const char *uuid = strchr (item, ':');
  gboolean ok;

  for (guint i = 0; i < self->undo_stack->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->undo_stack, i), item) == 0)
      {
        g_ptr_array_remove_index (self->undo_stack, i);
        break;
      }

  if (self->store == NULL || uuid == NULL)
    return;

  if (g_str_has_prefix (item, "policy:"))
    ok = kdx_policy_restore (self->store, uuid + 1, &error);
  else if (g_str_has_prefix (item, "ai_system:"))
    ok = kdx_system_restore (self->store, uuid + 1, &error);
  else if (g_str_has_prefix (item, "course:"))
    ok = kdx_course_restore (self->store, uuid + 1, &error);
  else
    ok = kdx_person_restore (self->store, uuid + 1, &error);
  if (!ok)
    kdx_window_toast (self, error->message);
  else
    kdx_window_toast (self, _("Restored"));

  update_actions (self);
}

/* Undo on a toast names its person. */
static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  restore_item (KDX_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Ctrl+Z takes back the newest deletion. */
static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  g_autofree char *item = NULL;

  /* In a text, Ctrl+Z undoes typing. */
  if (GTK_IS_TEXT_VIEW (focus) || GTK_IS_TEXT (focus))
    {
      gtk_widget_activate_action (focus, "text.undo", NULL);
      return;
    }

  if (self->undo_stack->len == 0)
    return;

  item = g_strdup (g_ptr_array_index (self->undo_stack, self->undo_stack->len - 1));
  restore_item (self, item);
}

static void
area_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxWindow *self = KDX_WINDOW (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (index < G_N_ELEMENTS (areas))
    kdx_window_show_area (self, areas[index].id);
}

/* ------------------------------------------------------------------ */
/* Sidebar and welcome view                                           */

static void
sidebar_row_activated_cb (KdxWindow     *self,
                          GtkListBoxRow *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "area");

  kdx_window_show_area (self, id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (KdxWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
identity_chosen_cb (KdxWindow  *self,
                    const char *uuid)
{
  if (self->store == NULL)
    return;

  kdx_store_set_actor (self->store, uuid);
  kdx_application_set_identity (get_app (self), kdx_store_get_path (self->store), uuid);
  gtk_widget_remove_css_class (GTK_WIDGET (self->identity_chooser), "needs-identity");
}

static void
build_sidebar (KdxWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (areas[i].icon);
      GtkWidget *label = gtk_label_new (_(areas[i].title));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data (G_OBJECT (row), "area", (gpointer) areas[i].id);
      gtk_list_box_append (self->sidebar_list, row);
    }
}

/* The page of @area, built now if it is not yet; see "areas" above. */
static GtkWidget *
ensure_page (KdxWindow  *self,
             const Area *area)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->area_stack, area->id);

  if (page != NULL)
    return page;

  if (area->create != NULL)
    page = area->create ();
  else
    {
      page = adw_status_page_new ();
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), area->icon);
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _(area->title));
      adw_status_page_set_description (ADW_STATUS_PAGE (page), area->coming ? _(area->coming) : NULL);
    }
  gtk_stack_add_named (self->area_stack, page, area->id);
  if (area->set_store != NULL && self->store != NULL)
    area->set_store (page, self->store);

  return page;
}

static void
recent_row_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         KdxWindow     *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");

  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-path", "s", path);
}

static void
update_recent (KdxWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-workspaces");
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (recent[i]);
      g_autofree char *dir = g_path_get_dirname (recent[i]);
      g_autofree char *dir_display = g_filename_display_name (dir);
      GtkWidget *row;

      if (!g_file_test (recent[i], G_FILE_TEST_EXISTS))
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir_display);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (recent[i]), g_free);
      gtk_list_box_append (self->recent_list, row);
      shown++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), shown > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_label), shown > 0);
  self->recent_stale = FALSE;
}

/* The list of recent workspaces is filled when the welcome view is
 * shown: a window that opens a workspace straight away never needs it. */
static void
recent_changed_cb (KdxWindow *self)
{
  self->recent_stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self->welcome_page)))
    update_recent (self);
}

static void
welcome_map_cb (KdxWindow *self)
{
  if (self->recent_stale)
    update_recent (self);
}

/* ------------------------------------------------------------------ */
/* Window state                                                       */

static void
save_window_state (KdxWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
kdx_window_close_request (GtkWindow *window)
{
  KdxWindow *self = KDX_WINDOW (window);

  if (self->job_cancellable != NULL)
    g_cancellable_cancel (self->job_cancellable);
  save_window_state (self);
  set_store (self, NULL);

  return GTK_WINDOW_CLASS (kdx_window_parent_class)->close_request (window);
}

static void
kdx_window_dispose (GObject *object)
{
  KdxWindow *self = (KdxWindow *)object;

  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      kdx_store_close (self->store);
      g_clear_object (&self->store);
    }
  g_clear_object (&self->job_cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->undo_stack, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_WINDOW);

  G_OBJECT_CLASS (kdx_window_parent_class)->dispose (object);
}

static void
kdx_window_class_init (KdxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kdx_window_dispose;
  window_class->close_request = kdx_window_close_request;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, recent_label);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, identity_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, read_only_bar);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, take_over_button);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, job_revealer);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, job_label);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, job_progress);
  gtk_widget_class_bind_template_child (widget_class, KdxWindow, area_stack);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, identity_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, job_cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.new-workspace", NULL, new_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.open-workspace", NULL, open_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.open-path", "s", open_path_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.backup", NULL, backup_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.add-person", NULL, add_person_action);
  gtk_widget_class_install_action (widget_class, "win.new-policy", NULL, new_policy_action);
  gtk_widget_class_install_action (widget_class, "win.new-system", NULL, new_system_action);
  gtk_widget_class_install_action (widget_class, "win.new-course", NULL, new_course_action);
  gtk_widget_class_install_action (widget_class, "win.show-training-overdue", NULL,
                                   show_training_overdue_action);
  gtk_widget_class_install_action (widget_class, "win.show-system", "s", show_system_action);
  gtk_widget_class_install_action (widget_class, "win.show-requirement", "s",
                                   show_requirement_action);
  gtk_widget_class_install_action (widget_class, "win.global-search", NULL, global_search_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.restore", "s", restore_action);
  gtk_widget_class_install_action (widget_class, "win.area", "u", area_action);
  gtk_widget_class_install_action (widget_class, "win.take-over", NULL, take_over_action);
}

static void
kdx_window_init (KdxWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->undo_stack = g_ptr_array_new_with_free_func (g_free);
  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  kdx_person_chooser_set_format (self->identity_chooser, _("Acting as %s"));
  kdx_person_chooser_set_empty_label (self->identity_chooser, _("Who Are You?"));

  build_sidebar (self);
  g_signal_connect (self->recent_list, "row-activated", G_CALLBACK (recent_row_activated_cb), self);
  g_signal_connect_object (self->settings, "changed::recent-workspaces",
                           G_CALLBACK (recent_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->welcome_page, "map", G_CALLBACK (welcome_map_cb), self);
  self->recent_stale = TRUE;

  self->heartbeat_id = g_timeout_add_seconds (HEARTBEAT_SECONDS, heartbeat_cb, self);

  update_actions (self);
}

KdxWindow *
kdx_window_new (KdxApplication *application)
{
  return g_object_new (KDX_TYPE_WINDOW, "application", application, NULL);
}

KdxStore *
kdx_window_get_store (KdxWindow *self)
{
  g_return_val_if_fail (KDX_IS_WINDOW (self), NULL);

  return self->store;
}

void
kdx_window_show_area (KdxWindow  *self,
                      const char *area)
{
  const Area *found;

  g_return_if_fail (KDX_IS_WINDOW (self));

  found = find_area (area);
  if (found == NULL)
    found = &areas[0];
  area = found->id;

  ensure_page (self, found);
  gtk_stack_set_visible_child_name (self->area_stack, area);
  g_settings_set_string (self->settings, "last-area", area);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "area"), area) == 0)
      gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));

  update_titles (self);
}

const char *
kdx_window_get_area (KdxWindow *self)
{
  g_return_val_if_fail (KDX_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->area_stack);
}

/* Builds the page if it was not yet (see "areas"), so that an action or
 * a caller may use it before it was ever shown. */
GtkWidget *
kdx_window_get_page (KdxWindow  *self,
                     const char *area)
{
  const Area *found;

  g_return_val_if_fail (KDX_IS_WINDOW (self), NULL);

  found = find_area (area);
  if (found == NULL)
    return NULL;

  return ensure_page (self, found);
}
