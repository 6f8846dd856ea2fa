/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Oversight and responsibilities of a system: the oversight mode, how its
 * results are explained, the named overseers, and the RACI matrix —
 * people × Responsible / Accountable / Consulted / Informed, one role
 * each. Every change is stored at once; core refuses a matrix without
 * exactly one Accountable, and then the matrix keeps the user's edits and
 * says what to fix until it can be stored.
 */
#define G_LOG_DOMAIN "kdx-system-oversight"

#include "config.h"

#include "kdx-system-oversight.h"

#include "kdx-format.h"
#include "kdx-person.h"
#include "kdx-person-chooser.h"
#include "kdx-system.h"
#include "kdx-training.h"
#include "kdx-window.h"

#include <glib/gi18n.h>

struct _KdxSystemOversight
{
  GtkWidget            parent_instance;

  GtkWidget           *scrolled;
  AdwComboRow         *mode_row;
  AdwEntryRow         *explainability_row;
  AdwPreferencesGroup *overseers_group;
  KdxPersonChooser    *overseer_chooser;
  GtkLabel            *overseers_error_label;
  GtkListBox          *overseers_list;
  GtkWidget           *gate_box;
  GtkLabel            *gate_label;
  AdwPreferencesGroup *raci_group;
  KdxPersonChooser    *raci_chooser;
  GtkGrid             *hint_grid;
  GtkRevealer         *raci_error_revealer;
  GtkLabel            *raci_error_label;
  GtkStack            *raci_stack;
  GtkGrid             *raci_grid;

  KdxStore            *store;
  char                *uuid;
  char                *explainability;  /* as stored, to tell typing from a change */
  GPtrArray           *raci;            /* KdxSystemPerson: the matrix as edited */
  gboolean             raci_pending;    /* edits core refused: kept until fixed */
  gboolean             filling;
  gboolean             dirty;           /* changed while not shown */
};

G_DEFINE_FINAL_TYPE (KdxSystemOversight, kdx_system_oversight, GTK_TYPE_WIDGET)

/* One line on each mode, in the order of the combo: not decided, then
 * KdxOversightMode. */
static const char *mode_explanations[] = {
  N_("Decide how people keep control of the system"),
  N_("A person decides every case; the system only proposes"),
  N_("The system acts; a person monitors it and can step in"),
  N_("A person decides when and how the system is used, and can stop it"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (mode_explanations) == KDX_OVERSIGHT_N_MODES + 1);

/* What R, A, C and I mean, in the order of KdxRaciRole. */
static const char *raci_explanations[] = {
  N_("does the work with the system: runs it, checks its results"),
  N_("answers for the system and signs off; exactly one person"),
  N_("is asked before decisions about the system"),
  N_("is kept up to date on changes and incidents"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (raci_explanations) == KDX_RACI_N_ROLES);

static void fill (KdxSystemOversight *self);
static void fill_raci_grid (KdxSystemOversight *self);

static gboolean
writable (KdxSystemOversight *self)
{
  return self->store != NULL && self->uuid != NULL && !kdx_store_is_read_only (self->store);
}

static KdxSystemPerson *
system_person_copy (const KdxSystemPerson *person)
{
  KdxSystemPerson *copy = g_new0 (KdxSystemPerson, 1);

  copy->person = g_strdup (person->person);
  copy->name = g_strdup (person->name);
  copy->department = g_strdup (person->department);
  copy->role = person->role;

  return copy;
}

/* ------------------------------------------------------------------ */
/* Mode and explainability                                             */

/* Stores one change to the system's own fields. */
static void
update_system (KdxSystemOversight *self,
               int                 mode,
               const char         *explainability)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GError) error = NULL;

  if (!writable (self))
    return;

  system = kdx_system_load (self->store, self->uuid, &error);
  if (system != NULL)
    {
      if (mode >= KDX_OVERSIGHT_NONE)
        kdx_system_set_oversight (system, mode);
      if (explainability != NULL)
        kdx_system_set_explainability (system, *explainability ? explainability : NULL);
      if (kdx_system_update (self->store, system, &error))
        return;
    }
  kdx_window_toast_from (GTK_WIDGET (self), error->message);
  fill (self);
}

static void
mode_selected_cb (KdxSystemOversight *self)
{
  guint selected = adw_combo_row_get_selected (self->mode_row);

  if (selected < G_N_ELEMENTS (mode_explanations))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mode_row), _(mode_explanations[selected]));
  if (self->filling || selected == GTK_INVALID_LIST_POSITION)
    return;

  update_system (self, (int) selected - 1, NULL);
}

static void
explainability_apply_cb (KdxSystemOversight *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->explainability_row))));

  g_free (self->explainability);
  self->explainability = g_strdup (text);
  update_system (self, KDX_OVERSIGHT_NONE - 1, text);
}

static void
setup_mode_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  detailed)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  if (GPOINTER_TO_INT (detailed))
    {
      GtkWidget *explanation = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (explanation), 0);
      gtk_label_set_wrap (GTK_LABEL (explanation), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (explanation), 40);
      gtk_widget_add_css_class (explanation, "dim-label");
      gtk_widget_add_css_class (explanation, "caption");
      gtk_box_append (GTK_BOX (box), explanation);
    }
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, box);
}

static void
bind_mode_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  detailed)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *explanation = gtk_widget_get_next_sibling (label);
  GtkStringObject *text = gtk_list_item_get_item (item);
  guint position = gtk_list_item_get_position (item);

  gtk_label_set_label (GTK_LABEL (label), gtk_string_object_get_string (text));
  if (explanation != NULL && position < G_N_ELEMENTS (mode_explanations))
    gtk_label_set_label (GTK_LABEL (explanation), _(mode_explanations[position]));
}

static GtkListItemFactory *
mode_factory (gboolean detailed)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_mode_cb), GINT_TO_POINTER (detailed));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_mode_cb), GINT_TO_POINTER (detailed));

  return factory;
}

/* ------------------------------------------------------------------ */
/* Overseers                                                           */

static void
set_overseers_error (KdxSystemOversight *self,
                     const char         *message)
{
  gtk_label_set_label (self->overseers_error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->overseers_error_label), message != NULL);
}

/* The overseers as listed, with @add and without @remove. */
static gboolean
store_overseers (KdxSystemOversight *self,
                 const char         *add,
                 const char         *remove)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->overseers_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *uuid = g_object_get_data (G_OBJECT (row), "person");

      if (uuid != NULL && g_strcmp0 (uuid, remove) != 0)
        g_ptr_array_add (uuids, (gpointer) uuid);
    }
  if (add != NULL)
    g_ptr_array_add (uuids, (gpointer) add);
  g_ptr_array_add (uuids, NULL);

  if (!kdx_system_set_overseers (self->store, self->uuid, (const char *const *) uuids->pdata,
                                 &error))
    {
      set_overseers_error (self, error->message);
      return FALSE;
    }
  set_overseers_error (self, NULL);

  return TRUE;
}

static void
remove_overseer_clicked_cb (GtkButton          *button,
                            KdxSystemOversight *self)
{
  g_autofree char *uuid = g_strdup (g_object_get_data (G_OBJECT (button), "person"));

  if (writable (self))
    store_overseers (self, NULL, uuid);
}

static void
overseer_chosen_cb (KdxSystemOversight *self,
                    const char         *uuid)
{
  /* The chooser is a button that adds: it shows no one afterwards. */
  kdx_person_chooser_set_person (self->overseer_chooser, NULL);
  if (uuid != NULL)
    kdx_system_oversight_add_overseer (self, uuid);
}

static GtkWidget *
person_row (const char *name,
            const char *department)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  if (department != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), department);

  return row;
}

static GtkWidget *
remove_button (const char *tooltip,
               const char *person)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  g_object_set_data_full (G_OBJECT (button), "person", g_strdup (person), g_free);

  return button;
}

static void
free_gstring (GString *string)
{
  g_string_free (string, TRUE);
}

static void
fill_overseers (KdxSystemOversight *self)
{
  g_autoptr(GPtrArray) overseers = NULL;
  g_autoptr(GPtrArray) gaps = NULL;
  g_autoptr(GHashTable) lacking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) free_gstring);
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint n_lacking;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->overseers_list))) != NULL)
    gtk_list_box_remove (self->overseers_list, child);

  overseers = kdx_system_list_overseers (self->store, self->uuid, &error);
  if (overseers == NULL)
    {
      set_overseers_error (self, error->message);
      return;
    }

  /* The competence gate (Art. 26(2)): which overseers lack a valid
   * completion of a course that a rule requires of them. */
  gaps = kdx_training_competence_gaps (self->store, self->uuid, NULL, &error);
  if (gaps == NULL)
    {
      g_warning ("Cannot read the competence gate: %s", error->message);
      g_clear_error (&error);
    }
  else
    {
      for (guint i = 0; i < gaps->len; i++)
        {
          KdxCompetenceGap *gap = gaps->pdata[i];
          GString *text = g_hash_table_lookup (lacking, gap->person_uuid);
          const char *state = gap->has_round ? kdx_assignment_status_get_label (gap->status)
                                             : _("never assigned");

          if (text == NULL)
            {
              text = g_string_new (NULL);
              g_hash_table_insert (lacking, g_strdup (gap->person_uuid), text);
            }
          else
            g_string_append (text, ", ");
          /* Translators: a course an overseer lacks, with the state of their training, e.g. "Human oversight (expired)" */
          g_string_append_printf (text, _("%s (%s)"), gap->course_title, state);
        }
    }
  n_lacking = g_hash_table_size (lacking);
  gtk_widget_set_visible (self->gate_box, n_lacking > 0);
  if (n_lacking > 0)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u overseer lacks a valid completion of the training that the "
                                      "assignment rules require for this system. Oversight needs people "
                                      "with the necessary competence and training (EU AI Act Art. 26(2)).",
                                      "%u overseers lack a valid completion of the training that the "
                                      "assignment rules require for this system. Oversight needs people "
                                      "with the necessary competence and training (EU AI Act Art. 26(2)).",
                                      n_lacking),
                         n_lacking);
      gtk_label_set_label (self->gate_label, message);
    }

  for (guint i = 0; i < overseers->len; i++)
    {
      KdxSystemPerson *person = overseers->pdata[i];
      GtkWidget *row = person_row (person->name, person->department);
      g_autofree char *tooltip = g_strdup_printf (_("Remove %s as overseer"), person->name);
      GString *lacks = g_hash_table_lookup (lacking, person->person);
      GtkWidget *button = remove_button (tooltip, person->person);
      g_autofree char *name = NULL;

      g_signal_connect (button, "clicked", G_CALLBACK (remove_overseer_clicked_cb), self);
      gtk_widget_set_sensitive (button, writable (self));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      if (lacks != NULL)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          /* Translators: the training an overseer lacks, e.g. "Lacks valid training: Human oversight (expired)" */
          g_autofree char *lack = g_strdup_printf (_("Lacks valid training: %s"), lacks->str);
          g_autofree char *subtitle = person->department != NULL
                                      ? g_strdup_printf ("%s · %s", person->department, lack)
                                      : g_strdup (lack);

          gtk_widget_add_css_class (icon, "warning");
          gtk_widget_set_tooltip_text (icon, lack);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_widget_add_css_class (row, "kdx-gate-lacking");
        }
      g_object_set_data_full (G_OBJECT (row), "person", g_strdup (person->person), g_free);
      name = g_strdup_printf ("overseer:%s", person->person);
      gtk_widget_set_name (row, name);
      gtk_list_box_append (self->overseers_list, row);
    }
}

/* ------------------------------------------------------------------ */
/* RACI                                                                */

static void
set_raci_error (KdxSystemOversight *self,
                const char         *message)
{
  if (message != NULL)
    gtk_label_set_label (self->raci_error_label, message);
  gtk_revealer_set_reveal_child (self->raci_error_revealer, message != NULL);
}

/* Stores the matrix as edited. When core refuses it, the edits stay on
 * screen with core's message until they can be stored. */
static void
store_raci (KdxSystemOversight *self)
{
  g_autoptr(GError) error = NULL;

  if (!writable (self))
    return;

  /* Pending first: storing emits "changed", which must not reload the
   * edits being stored. */
  self->raci_pending = TRUE;
  if (!kdx_system_set_raci (self->store, self->uuid, self->raci, &error))
    {
      set_raci_error (self, error->message);
      return;
    }
  self->raci_pending = FALSE;
  set_raci_error (self, NULL);
}

static void
raci_role_toggled_cb (GtkToggleButton    *button,
                      KdxSystemOversight *self)
{
  KdxSystemPerson *entry = g_object_get_data (G_OBJECT (button), "entry");

  if (self->filling || !gtk_toggle_button_get_active (button))
    return;

  entry->role = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "role"));
  store_raci (self);
}

static void
raci_remove_clicked_cb (GtkButton          *button,
                        KdxSystemOversight *self)
{
  KdxSystemPerson *entry = g_object_get_data (G_OBJECT (button), "entry");

  g_ptr_array_remove (self->raci, entry);
  fill_raci_grid (self);
  store_raci (self);
}

static void
raci_revert_clicked_cb (KdxSystemOversight *self)
{
  self->raci_pending = FALSE;
  set_raci_error (self, NULL);
  fill (self);
}

static void
raci_chosen_cb (KdxSystemOversight *self,
                const char         *uuid)
{
  kdx_person_chooser_set_person (self->raci_chooser, NULL);
  if (uuid != NULL)
    kdx_system_oversight_add_raci (self, uuid);
}

static GtkWidget *
heading_label (const char *text,
               float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");

  return label;
}

static void
fill_raci_grid (KdxSystemOversight *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->raci_grid))) != NULL)
    gtk_grid_remove (self->raci_grid, child);

  gtk_stack_set_visible_child_name (self->raci_stack, self->raci->len > 0 ? "matrix" : "empty");
  if (self->raci->len == 0)
    return;

  gtk_grid_attach (self->raci_grid, heading_label (_("Person"), 0), 0, 0, 1, 1);
  gtk_grid_attach (self->raci_grid, heading_label (_("Role"), 0.5), 1, 0, 1, 1);

  self->filling = TRUE;
  for (guint i = 0; i < self->raci->len; i++)
    {
      KdxSystemPerson *entry = self->raci->pdata[i];
      GtkWidget *who = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *name = gtk_label_new (entry->name);
      GtkWidget *roles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      g_autofree char *tooltip = g_strdup_printf (_("Remove %s from the matrix"), entry->name);
      GtkWidget *remove = remove_button (tooltip, entry->person);
      GtkToggleButton *first = NULL;

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (who), name);
      if (entry->department != NULL)
        {
          GtkWidget *department = gtk_label_new (entry->department);

          gtk_label_set_xalign (GTK_LABEL (department), 0);
          gtk_label_set_ellipsize (GTK_LABEL (department), PANGO_ELLIPSIZE_END);
          gtk_widget_add_css_class (department, "caption");
          gtk_widget_add_css_class (department, "dim-label");
          gtk_box_append (GTK_BOX (who), department);
        }
      gtk_widget_set_hexpand (who, TRUE);
      gtk_widget_set_valign (who, GTK_ALIGN_CENTER);
      gtk_widget_set_name (who, entry->person);

      gtk_widget_add_css_class (roles, "linked");
      gtk_widget_set_valign (roles, GTK_ALIGN_CENTER);
      for (guint r = 0; r < KDX_RACI_N_ROLES; r++)
        {
          GtkWidget *toggle = gtk_toggle_button_new_with_label (kdx_raci_role_to_string (r));
          g_autofree char *role_tip = g_strdup_printf ("%s: %s", kdx_raci_role_get_label (r),
                                                       _(raci_explanations[r]));
          g_autofree char *accessible = g_strdup_printf ("%s, %s", entry->name,
                                                         kdx_raci_role_get_label (r));
          g_autofree char *toggle_name = g_strdup_printf ("%s:%s", entry->person,
                                                          kdx_raci_role_to_string (r));

          gtk_widget_set_tooltip_text (toggle, role_tip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          accessible, -1);
          gtk_widget_set_name (toggle, toggle_name);
          gtk_widget_add_css_class (toggle, "kdx-raci-role");
          if (first == NULL)
            first = GTK_TOGGLE_BUTTON (toggle);
          else
            gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (toggle), first);
          gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), entry->role == r);
          gtk_widget_set_sensitive (toggle, writable (self));
          g_object_set_data (G_OBJECT (toggle), "entry", entry);
          g_object_set_data (G_OBJECT (toggle), "role", GINT_TO_POINTER (r));
          g_signal_connect (toggle, "toggled", G_CALLBACK (raci_role_toggled_cb), self);
          gtk_box_append (GTK_BOX (roles), toggle);
        }

      g_object_set_data (G_OBJECT (remove), "entry", entry);
      g_signal_connect (remove, "clicked", G_CALLBACK (raci_remove_clicked_cb), self);
      gtk_widget_set_sensitive (remove, writable (self));

      gtk_grid_attach (self->raci_grid, who, 0, i + 1, 1, 1);
      gtk_grid_attach (self->raci_grid, roles, 1, i + 1, 1, 1);
      gtk_grid_attach (self->raci_grid, remove, 2, i + 1, 1, 1);
    }
  self->filling = FALSE;
}

/* Whether the stored matrix is the one being edited, whatever the order. */
static gboolean
same_matrix (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      KdxSystemPerson *x = a->pdata[i];
      gboolean found = FALSE;

      for (guint j = 0; j < b->len && !found; j++)
        {
          KdxSystemPerson *y = b->pdata[j];

          found = g_strcmp0 (x->person, y->person) == 0 && x->role == y->role;
        }
      if (!found)
        return FALSE;
    }

  return TRUE;
}

static void
fill_raci (KdxSystemOversight *self)
{
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* Edits that core refused stay until the user fixes or reverts them. */
  if (self->raci_pending)
    return;

  stored = kdx_system_list_raci (self->store, self->uuid, &error);
  if (stored == NULL)
    {
      set_raci_error (self, error->message);
      return;
    }

  /* What was just stored from here keeps its order on screen. */
  if (self->raci != NULL && same_matrix (stored, self->raci))
    return;

  g_clear_pointer (&self->raci, g_ptr_array_unref);
  self->raci = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_person_free);
  for (guint i = 0; i < stored->len; i++)
    g_ptr_array_add (self->raci, system_person_copy (stored->pdata[i]));
  fill_raci_grid (self);
}

static void
fill_hint (KdxSystemOversight *self)
{
  for (guint r = 0; r < KDX_RACI_N_ROLES; r++)
    {
      GtkWidget *letter = gtk_label_new (kdx_raci_role_to_string (r));
      g_autofree char *text = g_strdup_printf ("%s — %s", kdx_raci_role_get_label (r),
                                               _(raci_explanations[r]));
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_add_css_class (letter, "kdx-status");
      gtk_widget_add_css_class (letter, "kdx-raci-letter");
      gtk_widget_set_valign (letter, GTK_ALIGN_START);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_grid_attach (self->hint_grid, letter, 0, r, 1, 1);
      gtk_grid_attach (self->hint_grid, label, 1, r, 1, 1);
    }
}

/* ------------------------------------------------------------------ */

static void
fill (KdxSystemOversight *self)
{
  g_autoptr(KdxSystem) system = NULL;
  const char *explainability;
  const char *typed;
  gboolean can_write = writable (self);

  self->dirty = FALSE;
  if (self->store != NULL && self->uuid != NULL)
    system = kdx_system_load (self->store, self->uuid, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), system != NULL);
  if (system == NULL)
    return;

  self->filling = TRUE;
  adw_combo_row_set_selected (self->mode_row, (guint) (kdx_system_get_oversight (system) + 1));
  self->filling = FALSE;
  mode_selected_cb (self);   /* the subtitle, nothing stored while filling */

  /* Text being typed (not yet applied) is not overwritten. */
  explainability = kdx_system_get_explainability (system);
  typed = gtk_editable_get_text (GTK_EDITABLE (self->explainability_row));
  if (g_strcmp0 (typed, self->explainability ? self->explainability : "") == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->explainability_row),
                           explainability ? explainability : "");
  g_free (self->explainability);
  self->explainability = g_strdup (explainability ? explainability : "");

  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_row), can_write);
  gtk_widget_set_sensitive (GTK_WIDGET (self->explainability_row), can_write);
  gtk_widget_set_sensitive (GTK_WIDGET (self->overseer_chooser), can_write);
  gtk_widget_set_sensitive (GTK_WIDGET (self->raci_chooser), can_write);

  fill_overseers (self);
  fill_raci (self);
}

static void
store_changed_cb (KdxStore           *store,
                  const char         *entity,
                  GArray             *ids,
                  KdxSystemOversight *self)
{
  /* Training changes move the competence gate. */
  if (g_strcmp0 (entity, "ai_system") != 0 && g_strcmp0 (entity, "person") != 0 &&
      g_strcmp0 (entity, "import") != 0 && g_strcmp0 (entity, "course") != 0 &&
      g_strcmp0 (entity, "assignment") != 0 && g_strcmp0 (entity, "assignment-rule") != 0)
    return;

  if (kdx_section_should_fill (GTK_WIDGET (self), &self->dirty))
    fill (self);
}

static void
kdx_system_oversight_map (GtkWidget *widget)
{
  KdxSystemOversight *self = KDX_SYSTEM_OVERSIGHT (widget);

  GTK_WIDGET_CLASS (kdx_system_oversight_parent_class)->map (widget);

  if (self->dirty)
    fill (self);
}

static void
kdx_system_oversight_dispose (GObject *object)
{
  KdxSystemOversight *self = KDX_SYSTEM_OVERSIGHT (object);

  kdx_section_clear_store (GTK_WIDGET (self), &self->store);
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_SYSTEM_OVERSIGHT);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->explainability, g_free);
  g_clear_pointer (&self->raci, g_ptr_array_unref);

  G_OBJECT_CLASS (kdx_system_oversight_parent_class)->dispose (object);
}

static void
kdx_system_oversight_class_init (KdxSystemOversightClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_oversight_dispose;
  widget_class->map = kdx_system_oversight_map;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-system-oversight.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, scrolled);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, mode_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, explainability_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, overseers_group);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, overseer_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, overseers_error_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, overseers_list);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, gate_box);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, gate_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, raci_group);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, raci_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, hint_grid);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, raci_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, raci_error_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, raci_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemOversight, raci_grid);
  gtk_widget_class_bind_template_callback (widget_class, mode_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, explainability_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, overseer_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, raci_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, raci_revert_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_oversight_init (KdxSystemOversight *self)
{
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = mode_factory (FALSE);
  g_autoptr(GtkListItemFactory) list_factory = mode_factory (TRUE);
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: the oversight mode of a system not yet decided */
  gtk_string_list_append (modes, C_("oversight", "Not decided"));
  for (int mode = 0; mode < KDX_OVERSIGHT_N_MODES; mode++)
    gtk_string_list_append (modes, kdx_oversight_mode_get_label (mode));
  self->filling = TRUE;
  adw_combo_row_set_factory (self->mode_row, factory);
  adw_combo_row_set_list_factory (self->mode_row, list_factory);
  adw_combo_row_set_model (self->mode_row, G_LIST_MODEL (modes));
  self->filling = FALSE;

  placeholder = gtk_label_new (_("No overseers named yet."));
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_label_set_xalign (GTK_LABEL (placeholder), 0);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->overseers_list, placeholder);

  kdx_person_chooser_set_empty_label (self->overseer_chooser, _("Add Overseer…"));
  kdx_person_chooser_set_empty_label (self->raci_chooser, _("Add Person…"));
  fill_hint (self);

  self->raci = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_person_free);
  fill_raci_grid (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

KdxSystemOversight *
kdx_system_oversight_new (void)
{
  return g_object_new (KDX_TYPE_SYSTEM_OVERSIGHT, NULL);
}

void
kdx_system_oversight_set_system (KdxSystemOversight *self,
                                 KdxStore           *store,
                                 const char         *uuid)
{
  g_return_if_fail (KDX_IS_SYSTEM_OVERSIGHT (self));
  g_return_if_fail (store == NULL || KDX_IS_STORE (store));

  kdx_section_set_store (GTK_WIDGET (self), &self->store, store, G_CALLBACK (store_changed_cb));
  kdx_person_chooser_set_store (self->overseer_chooser, store);
  kdx_person_chooser_set_store (self->raci_chooser, store);

  /* Another system: what was typed or refused for the last one goes. */
  if (g_strcmp0 (self->uuid, uuid) != 0)
    {
      g_free (self->uuid);
      self->uuid = g_strdup (uuid);
      self->raci_pending = FALSE;
      g_clear_pointer (&self->raci, g_ptr_array_unref);
      self->raci = g_ptr_array_new_with_free_func ((GDestroyNotify) kdx_system_person_free);
      g_clear_pointer (&self->explainability, g_free);
      gtk_editable_set_text (GTK_EDITABLE (self->explainability_row), "");
      set_raci_error (self, NULL);
      set_overseers_error (self, NULL);
      fill_raci_grid (self);
    }

  fill (self);
}

/* Names @person_uuid as overseer, as "Add Overseer…" does; a refusal
 * (say, someone not in the workspace) is shown above the list. */
gboolean
kdx_system_oversight_add_overseer (KdxSystemOversight *self,
                                   const char         *person_uuid)
{
  g_return_val_if_fail (KDX_IS_SYSTEM_OVERSIGHT (self), FALSE);
  g_return_val_if_fail (person_uuid != NULL, FALSE);

  if (!writable (self))
    return FALSE;

  return store_overseers (self, person_uuid, NULL);
}

/* Gives @person_uuid a role in the matrix, as "Add Person…" does:
 * Accountable while nobody is, else Informed. */
gboolean
kdx_system_oversight_add_raci (KdxSystemOversight *self,
                               const char         *person_uuid)
{
  g_autoptr(KdxPerson) person = NULL;
  g_autoptr(GError) error = NULL;
  KdxSystemPerson *entry;
  gboolean has_accountable = FALSE;

  g_return_val_if_fail (KDX_IS_SYSTEM_OVERSIGHT (self), FALSE);
  g_return_val_if_fail (person_uuid != NULL, FALSE);

  if (!writable (self))
    return FALSE;

  for (guint i = 0; i < self->raci->len; i++)
    {
      KdxSystemPerson *other = self->raci->pdata[i];

      if (g_strcmp0 (other->person, person_uuid) == 0)
        {
          g_autofree char *message = g_strdup_printf (_("%s already has a role for this system."),
                                                      other->name);

          kdx_window_toast_from (GTK_WIDGET (self), message);
          return FALSE;
        }
      has_accountable |= other->role == KDX_RACI_ACCOUNTABLE;
    }

  person = kdx_person_load (self->store, person_uuid, &error);
  if (person == NULL)
    {
      set_raci_error (self, error->message);
      return FALSE;
    }

  entry = g_new0 (KdxSystemPerson, 1);
  entry->person = g_strdup (person_uuid);
  entry->name = g_strdup (kdx_person_get_name (person));
  entry->department = g_strdup (kdx_person_get_department (person));
  entry->role = has_accountable ? KDX_RACI_INFORMED : KDX_RACI_ACCOUNTABLE;
  g_ptr_array_add (self->raci, entry);
  fill_raci_grid (self);
  store_raci (self);

  return !self->raci_pending;
}

/* Whether the matrix on screen has edits core refused. */
gboolean
kdx_system_oversight_has_pending_raci (KdxSystemOversight *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM_OVERSIGHT (self), FALSE);

  return self->raci_pending;
}
