/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Classification section of a system: its EU AI Act risk class and
 * role as stored by the assistant, when it was classified, whether
 * questions are still open, the reasoning, and the obligations with how
 * far the system's policies cover them. Each obligation leads to its
 * requirement in the Frameworks area; the assistant opens from here.
 */
#define G_LOG_DOMAIN "kdx-system-classification"

#include "config.h"

#include "kdx-system-classification.h"

#include "kdx-classify-dialog.h"
#include "kdx-format.h"
#include "kdx-mapping.h"
#include "kdx-system.h"

#include <glib/gi18n.h>

struct _KdxSystemClassification
{
  GtkWidget   parent_instance;

  GtkStack   *stack;
  GtkLabel   *risk_label;
  GtkLabel   *role_label;
  GtkLabel   *classified_label;
  GtkButton  *classify_button;
  GtkWidget  *incomplete_box;
  GtkLabel   *incomplete_label;
  GtkListBox *obligations_list;
  GtkListBox *reasoning_list;

  KdxStore   *store;
  char       *uuid;
  gboolean    dirty;      /* changed while not shown */
};

G_DEFINE_FINAL_TYPE (KdxSystemClassification, kdx_system_classification, GTK_TYPE_WIDGET)

static const char *coverage_classes[] = {
  "kdx-classify-coverage-gap", "kdx-classify-coverage-partly", "kdx-classify-coverage-covered",
};

G_STATIC_ASSERT (G_N_ELEMENTS (coverage_classes) == KDX_COVERAGE_N_STATES);

static GtkWidget *
text_row (const char *text,
          gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  gtk_label_set_selectable (GTK_LABEL (label), !dim);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 10);
  gtk_widget_set_margin_bottom (label, 10);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");

  return label;
}

static void
show_requirement_clicked_cb (GtkButton               *button,
                             KdxSystemClassification *self)
{
  const char *requirement = g_object_get_data (G_OBJECT (button), "requirement");

  /* The window provides it once the Frameworks area is there; until
   * then there is nowhere to go. */
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.show-requirement", "s", requirement))
    g_debug ("No window action to show requirement %s", requirement);
}

static GtkWidget *
obligation_row (KdxSystemClassification   *self,
                const KdxSystemObligation *obligation)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *pill = gtk_label_new (NULL);
  int coverage = CLAMP (obligation->coverage, 0, KDX_COVERAGE_N_STATES - 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), obligation->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), obligation->reference);
  gtk_widget_set_name (row, obligation->id);

  gtk_label_set_label (GTK_LABEL (pill), kdx_coverage_get_label (coverage));
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (pill, "kdx-status");
  gtk_widget_add_css_class (pill, coverage_classes[coverage]);
  gtk_widget_set_tooltip_text (pill, coverage == KDX_COVERAGE_COVERED
                               ? _("A policy applied to this system covers the requirement")
                               : coverage == KDX_COVERAGE_PARTLY
                               ? _("Policies applied to this system cover the requirement only in part, or are not yet assessed")
                               : _("No policy applied to this system covers the requirement"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill);

  if (obligation->requirement != NULL)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("go-next-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Show the requirement in Frameworks"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Show the requirement in Frameworks"), -1);
      g_object_set_data_full (G_OBJECT (button), "requirement",
                              g_strdup (obligation->requirement), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (show_requirement_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* How many questions that are asked have no answer. */
static guint
count_open (GHashTable *answers)
{
  guint n = 0;
  guint n_open = 0;
  const KdxQuestion *questions = kdx_classify_get_questions (&n);

  for (guint i = 0; i < n; i++)
    if (kdx_question_is_asked (&questions[i], answers) &&
        kdx_answers_get (answers, questions[i].id) == KDX_ANSWER_UNANSWERED)
      n_open++;

  return n_open;
}

static void
fill (KdxSystemClassification *self)
{
  g_autoptr(KdxSystem) system = NULL;
  g_autoptr(GHashTable) answers = NULL;
  g_autoptr(GPtrArray) obligations = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role = NULL;
  g_autofree char *when = NULL;
  g_autofree char *classified = NULL;
  g_auto(GStrv) lines = NULL;
  KdxAiActRole ai_role;
  guint n_open;

  self->dirty = FALSE;
  clear_list (self->obligations_list);
  clear_list (self->reasoning_list);

  if (self->store != NULL && self->uuid != NULL)
    system = kdx_system_load (self->store, self->uuid, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classification.classify", system != NULL);
  if (system == NULL || kdx_system_get_classified (system) == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "classified");

  kdx_classify_dialog_style_risk (self->risk_label, kdx_system_get_risk (system));
  ai_role = kdx_system_get_role (system);
  /* Translators: %s is an EU AI Act role, "Deployer" */
  role = ai_role == KDX_ROLE_UNKNOWN ? g_strdup (kdx_ai_act_role_get_label (ai_role))
                                     : g_strdup_printf (_("Your role: %s"),
                                                        kdx_ai_act_role_get_label (ai_role));
  gtk_label_set_label (self->role_label, role);
  when = kdx_format_time (kdx_system_get_classified (system));
  /* Translators: %s is a date and time */
  classified = g_strdup_printf (_("Classified on %s"), when);
  gtk_label_set_label (self->classified_label, classified);
  gtk_button_set_label (self->classify_button,
                        kdx_system_get_risk (system) == KDX_RISK_UNCLASSIFIED
                        ? _("_Classify…") : _("Change _Answers…"));

  answers = kdx_system_dup_answers (system);
  n_open = count_open (answers);
  if (n_open > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "The classification is incomplete: %u question has no answer, so the class may still change. Answer it in the assistant.",
                                                            "The classification is incomplete: %u questions have no answer, so the class may still change. Answer them in the assistant.",
                                                            n_open), n_open);

      gtk_label_set_label (self->incomplete_label, text);
    }
  gtk_widget_set_visible (self->incomplete_box, n_open > 0);

  lines = g_strsplit (kdx_system_get_reasoning (system) ? kdx_system_get_reasoning (system) : "",
                      "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      gtk_list_box_append (self->reasoning_list, text_row (lines[i], FALSE));
  if (gtk_widget_get_first_child (GTK_WIDGET (self->reasoning_list)) == NULL)
    gtk_list_box_append (self->reasoning_list, text_row (_("No reasoning was stored."), TRUE));

  obligations = kdx_system_list_obligations (self->store, self->uuid, &error);
  if (obligations == NULL)
    {
      gtk_list_box_append (self->obligations_list, text_row (error->message, TRUE));
      return;
    }
  for (guint i = 0; i < obligations->len; i++)
    gtk_list_box_append (self->obligations_list, obligation_row (self, obligations->pdata[i]));
  if (obligations->len == 0)
    gtk_list_box_append (self->obligations_list,
                         text_row (_("The classification names no obligations."), TRUE));
}

static void
classify_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KdxSystemClassification *self = KDX_SYSTEM_CLASSIFICATION (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  KdxClassifyDialog *dialog;

  if (self->store == NULL || self->uuid == NULL)
    return;

  dialog = kdx_classify_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->store, self->uuid);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
store_changed_cb (KdxStore                *store,
                  const char              *entity,
                  GArray                  *ids,
                  KdxSystemClassification *self)
{
  /* The system itself, the policies applied to it, and the catalogs its
   * obligations point to. */
  if (g_strcmp0 (entity, "ai_system") != 0 && g_strcmp0 (entity, "policy") != 0 &&
      g_strcmp0 (entity, "catalog") != 0 && g_strcmp0 (entity, "import") != 0)
    return;

  if (kdx_section_should_fill (GTK_WIDGET (self), &self->dirty))
    fill (self);
}

static void
kdx_system_classification_map (GtkWidget *widget)
{
  KdxSystemClassification *self = KDX_SYSTEM_CLASSIFICATION (widget);

  GTK_WIDGET_CLASS (kdx_system_classification_parent_class)->map (widget);

  if (self->dirty)
    fill (self);
}

static void
kdx_system_classification_dispose (GObject *object)
{
  KdxSystemClassification *self = KDX_SYSTEM_CLASSIFICATION (object);

  kdx_section_clear_store (GTK_WIDGET (self), &self->store);
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_SYSTEM_CLASSIFICATION);
  g_clear_pointer (&self->uuid, g_free);

  G_OBJECT_CLASS (kdx_system_classification_parent_class)->dispose (object);
}

static void
kdx_system_classification_class_init (KdxSystemClassificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_classification_dispose;
  widget_class->map = kdx_system_classification_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-system-classification.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, risk_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, role_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, classified_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, classify_button);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, incomplete_box);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, incomplete_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, obligations_list);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemClassification, reasoning_list);

  gtk_widget_class_install_action (widget_class, "classification.classify", NULL, classify_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_system_classification_init (KdxSystemClassification *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classification.classify", FALSE);
}

KdxSystemClassification *
kdx_system_classification_new (void)
{
  return g_object_new (KDX_TYPE_SYSTEM_CLASSIFICATION, NULL);
}

void
kdx_system_classification_set_system (KdxSystemClassification *self,
                                      KdxStore                *store,
                                      const char              *uuid)
{
  g_return_if_fail (KDX_IS_SYSTEM_CLASSIFICATION (self));
  g_return_if_fail (store == NULL || KDX_IS_STORE (store));

  kdx_section_set_store (GTK_WIDGET (self), &self->store, store, G_CALLBACK (store_changed_cb));
  g_free (self->uuid);
  self->uuid = g_strdup (uuid);

  fill (self);
}

/* Opens the assistant for the system shown, over the window. */
void
kdx_system_classification_classify (KdxSystemClassification *self)
{
  g_return_if_fail (KDX_IS_SYSTEM_CLASSIFICATION (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "classification.classify", NULL);
}
