/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A button that shows a person and lets you pick another one from a
 * searchable list: the identity selector in the header and the manager
 * field of the person editor. The list is query-backed, so it stays quick
 * with 100,000 people.
 */
#define G_LOG_DOMAIN "kdx-person-chooser"

#include "config.h"

#include "kdx-person-chooser.h"
#include "kdx-person.h"

#include <glib/gi18n.h>

struct _KdxPersonChooser
{
  GtkWidget       parent_instance;

  GtkMenuButton  *button;
  GtkPopover     *popover;
  GtkSearchEntry *search_entry;
  GtkListView    *list_view;
  GtkButton      *none_button;

  KdxStore       *store;
  GListModel     *model;
  char           *uuid;
  char           *empty_label;
  char           *format;
};

enum {
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KdxPersonChooser, kdx_person_chooser, GTK_TYPE_WIDGET)

static void
update_label (KdxPersonChooser *self)
{
  g_autoptr(KdxPerson) person = NULL;

  if (self->store != NULL && self->uuid != NULL)
    person = kdx_person_load (self->store, self->uuid, NULL);

  if (person != NULL)
    {
      g_autofree char *text = self->format
        ? g_strdup_printf (self->format, kdx_person_get_name (person))
        : g_strdup (kdx_person_get_name (person));

      gtk_menu_button_set_label (self->button, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->button), "suggested-action");
    }
  else
    gtk_menu_button_set_label (self->button, self->empty_label ? self->empty_label : "");
}

static void
choose (KdxPersonChooser *self,
        const char       *uuid)
{
  g_free (self->uuid);
  self->uuid = g_strdup (uuid);
  update_label (self);
  gtk_popover_popdown (self->popover);
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, uuid);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  KdxPerson *person = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *detail = gtk_widget_get_next_sibling (name);
  const char *department = kdx_person_get_department (person);
  const char *role = kdx_person_get_role (person);
  g_autofree char *text = NULL;

  if (department && role)
    text = g_strdup_printf ("%s · %s", role, department);
  else
    text = g_strdup (role ? role : department ? department : "");

  gtk_label_set_label (GTK_LABEL (name), kdx_person_get_name (person));
  gtk_label_set_label (GTK_LABEL (detail), text);
}

static void
refilter (KdxPersonChooser *self)
{
  if (self->model == NULL)
    return;

  kdx_person_model_set_filter (self->model,
                               gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                               FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
}

static void
search_changed_cb (KdxPersonChooser *self)
{
  refilter (self);
}

static void
search_activate_cb (KdxPersonChooser *self)
{
  g_autoptr(KdxPerson) first = NULL;

  if (self->model == NULL)
    return;
  first = g_list_model_get_item (self->model, 0);
  if (first != NULL)
    choose (self, kdx_person_get_uuid (first));
}

static void
list_activate_cb (KdxPersonChooser *self,
                  guint             position)
{
  g_autoptr(KdxPerson) person = g_list_model_get_item (self->model, position);

  if (person != NULL)
    choose (self, kdx_person_get_uuid (person));
}

static void
none_clicked_cb (KdxPersonChooser *self)
{
  choose (self, NULL);
}

static void
popover_show_cb (KdxPersonChooser *self)
{
  /* The model is made when the list is first wanted, not with the
   * store: the header's chooser is set up before the window's first
   * frame, which needs only its label. */
  if (self->model == NULL && self->store != NULL)
    self->model = kdx_person_model_new (self->store);

  if (self->model != NULL && gtk_list_view_get_model (self->list_view) == NULL)
    {
      GtkNoSelection *selection = gtk_no_selection_new (g_object_ref (self->model));

      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
      g_object_unref (selection);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refilter (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
kdx_person_chooser_dispose (GObject *object)
{
  KdxPersonChooser *self = (KdxPersonChooser *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_PERSON_CHOOSER);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kdx_person_chooser_parent_class)->dispose (object);
}

static void
kdx_person_chooser_finalize (GObject *object)
{
  KdxPersonChooser *self = (KdxPersonChooser *)object;

  g_free (self->uuid);
  g_free (self->empty_label);
  g_free (self->format);

  G_OBJECT_CLASS (kdx_person_chooser_parent_class)->finalize (object);
}

static void
kdx_person_chooser_class_init (KdxPersonChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_person_chooser_dispose;
  object_class->finalize = kdx_person_chooser_finalize;

  /**
   * KdxPersonChooser::chosen:
   * @uuid: (nullable): the chosen person, or %NULL for no one
   */
  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-person-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPersonChooser, button);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonChooser, popover);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonChooser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonChooser, list_view);
  gtk_widget_class_bind_template_child (widget_class, KdxPersonChooser, none_button);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, none_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kdx_person_chooser_init (KdxPersonChooser *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}

void
kdx_person_chooser_set_store (KdxPersonChooser *self,
                              KdxStore         *store)
{
  g_return_if_fail (KDX_IS_PERSON_CHOOSER (self));

  if (!g_set_object (&self->store, store))
    return;

  /* The model and the list are made when the popover first opens (see
   * popover_show_cb()): a list view builds its first 200 rows as soon as
   * it has a model. */
  g_clear_object (&self->model);
  gtk_list_view_set_model (self->list_view, NULL);
  update_label (self);
}

void
kdx_person_chooser_set_person (KdxPersonChooser *self,
                               const char       *uuid)
{
  g_return_if_fail (KDX_IS_PERSON_CHOOSER (self));

  g_free (self->uuid);
  self->uuid = g_strdup (uuid);
  update_label (self);
}

const char *
kdx_person_chooser_get_person (KdxPersonChooser *self)
{
  g_return_val_if_fail (KDX_IS_PERSON_CHOOSER (self), NULL);

  return self->uuid;
}

void
kdx_person_chooser_set_empty_label (KdxPersonChooser *self,
                                    const char       *label)
{
  g_return_if_fail (KDX_IS_PERSON_CHOOSER (self));

  g_free (self->empty_label);
  self->empty_label = g_strdup (label);
  update_label (self);
}

/* @format has one %s for the person's name, e.g. "Acting as %s". */
void
kdx_person_chooser_set_format (KdxPersonChooser *self,
                               const char       *format)
{
  g_return_if_fail (KDX_IS_PERSON_CHOOSER (self));

  g_free (self->format);
  self->format = g_strdup (format);
  update_label (self);
}

void
kdx_person_chooser_set_allow_none (KdxPersonChooser *self,
                                   gboolean          allow_none)
{
  g_return_if_fail (KDX_IS_PERSON_CHOOSER (self));

  gtk_widget_set_visible (GTK_WIDGET (self->none_button), allow_none);
}

void
kdx_person_chooser_popup (KdxPersonChooser *self)
{
  g_return_if_fail (KDX_IS_PERSON_CHOOSER (self));

  gtk_menu_button_popup (self->button);
}
