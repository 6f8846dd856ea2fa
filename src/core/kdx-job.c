/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A job: work whose cost grows with the data (import, export, backup,
 * reports) runs in a worker thread on its own connection, reports progress
 * and can be cancelled. Progress from the worker is batched onto the main
 * loop so that a million rows do not mean a million redraws.
 */
#define G_LOG_DOMAIN "kdx-job"

#include "config.h"

#include "kdx-job.h"
#include "kdx-store-private.h"

struct _KdxJob
{
  GObject       parent_instance;

  char         *title;

  GMutex        mutex;
  double        fraction;     /* guarded by mutex */
  char         *message;      /* guarded by mutex */
  guint         notify_id;    /* guarded by mutex */
  GMainContext *context;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KdxJob, kdx_job, G_TYPE_OBJECT)

typedef struct
{
  KdxStore       *store;
  KdxJobFunc      func;
  gpointer        data;
  GDestroyNotify  data_free;
} RunData;

static void
run_data_free (RunData *run)
{
  g_clear_object (&run->store);
  if (run->data_free)
    run->data_free (run->data);
  g_free (run);
}

static gboolean
notify_progress_cb (gpointer user_data)
{
  KdxJob *self = user_data;

  g_mutex_lock (&self->mutex);
  self->notify_id = 0;
  g_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);

  return G_SOURCE_REMOVE;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KdxJob *self = source_object;
  RunData *run = task_data;
  g_autoptr(KdxStore) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (run->store != NULL)
    {
      connection = kdx_store_open_secondary (run->store, &error);
      if (connection == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (!run->func (self, connection, run->data, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
kdx_job_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  KdxJob *self = KDX_JOB (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, kdx_job_get_fraction (self));
      break;
    case PROP_MESSAGE:
      g_value_take_string (value, kdx_job_dup_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_job_finalize (GObject *object)
{
  KdxJob *self = (KdxJob *)object;

  g_free (self->title);
  g_free (self->message);
  g_mutex_clear (&self->mutex);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (kdx_job_parent_class)->finalize (object);
}

static void
kdx_job_class_init (KdxJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kdx_job_finalize;
  object_class->get_property = kdx_job_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kdx_job_init (KdxJob *self)
{
  g_mutex_init (&self->mutex);
  self->context = g_main_context_ref_thread_default ();
}

KdxJob *
kdx_job_new (const char *title)
{
  KdxJob *self = g_object_new (KDX_TYPE_JOB, NULL);

  self->title = g_strdup (title);

  return self;
}

const char *
kdx_job_get_title (KdxJob *self)
{
  g_return_val_if_fail (KDX_IS_JOB (self), NULL);

  return self->title;
}

double
kdx_job_get_fraction (KdxJob *self)
{
  double fraction;

  g_return_val_if_fail (KDX_IS_JOB (self), 0.0);

  g_mutex_lock (&self->mutex);
  fraction = self->fraction;
  g_mutex_unlock (&self->mutex);

  return fraction;
}

char *
kdx_job_dup_message (KdxJob *self)
{
  char *message;

  g_return_val_if_fail (KDX_IS_JOB (self), NULL);

  g_mutex_lock (&self->mutex);
  message = g_strdup (self->message);
  g_mutex_unlock (&self->mutex);

  return message;
}

void
kdx_job_set_progress (KdxJob     *self,
                      double      fraction,
                      const char *message)
{
  g_return_if_fail (KDX_IS_JOB (self));

  g_mutex_lock (&self->mutex);
  self->fraction = CLAMP (fraction, 0.0, 1.0);
  if (message != NULL && g_strcmp0 (message, self->message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  if (self->notify_id == 0)
    {
      GSource *source = g_timeout_source_new (100);

      g_source_set_callback (source, notify_progress_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[kdx] job progress");
      self->notify_id = g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->mutex);
}

void
kdx_job_run_async (KdxJob              *self,
                   KdxStore            *store,
                   KdxJobFunc           func,
                   gpointer             data,
                   GDestroyNotify       data_free,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (KDX_IS_JOB (self));
  g_return_if_fail (store == NULL || KDX_IS_STORE (store));
  g_return_if_fail (func != NULL);

  run = g_new0 (RunData, 1);
  run->store = store ? g_object_ref (store) : NULL;
  run->func = func;
  run->data = data;
  run->data_free = data_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kdx_job_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
kdx_job_run_finish (KdxJob        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (KDX_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
