/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The EU AI Act assistant for one system: the questions of kdx-classify.h
 * one group per step, Yes and No for each, and beside them the result of
 * the answers so far — class, role, obligations and reasoning — computed
 * by core on every answer. A question that the answers make irrelevant is
 * hidden; an answer set that contradicts itself is named in a banner and
 * cannot be saved. Save stores the answers through
 * kdx_system_classify(), which journals them.
 */
#define G_LOG_DOMAIN "kdx-classify-dialog"

#include "config.h"

#include "kdx-classify-dialog.h"

#include "kdx-classify.h"
#include "kdx-system.h"
#include "kdx-usecase.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <string.h>

/* The steps: one page per question group, then the result. */
#define N_STEPS (KDX_QUESTION_N_GROUPS + 1)
#define RESULT_STEP KDX_QUESTION_N_GROUPS

typedef struct
{
  const KdxQuestion *question;
  GtkWidget         *row;
  GtkToggleButton   *yes;
  GtkToggleButton   *no;
  GtkWidget         *suggested;   /* the "Suggested" tag */
} QuestionRow;

struct _KdxClassifyDialog
{
  AdwWindow            parent_instance;

  AdwWindowTitle      *window_title;
  GtkButton           *save_button;
  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  AdwFlap             *flap;
  GtkStack            *page_stack;
  GtkWidget           *result_page;
  GtkLabel            *step_label;
  GtkProgressBar      *step_bar;
  GtkWidget           *panel_box;
  GtkLabel            *panel_risk_label;
  GtkLabel            *panel_role_label;
  GtkLabel            *panel_open_label;
  GtkBox              *panel_obligations_box;
  GtkBox              *panel_reasoning_box;
  GtkWidget           *summary_box;
  GtkLabel            *summary_risk_label;
  GtkLabel            *summary_role_label;
  AdwPreferencesGroup *summary_open_group;
  GtkListBox          *summary_open_list;
  GtkListBox          *summary_obligations_list;
  GtkListBox          *summary_reasoning_list;

  /* Per group page: the note about suggested answers. */
  GtkWidget           *suggestion_notes[KDX_QUESTION_N_GROUPS];
  GtkLabel            *suggestion_labels[KDX_QUESTION_N_GROUPS];

  QuestionRow         *rows;
  guint                n_rows;

  KdxStore            *store;
  KdxSystem           *system;
  GHashTable          *answers;
  GHashTable          *suggested;     /* question ids answered by the use case's suggestion */
  char                *initial_json;  /* the answers the dialog started with */
  guint                step;
  gboolean             contradiction;
  gboolean             updating;
  gboolean             may_close;     /* saved, or the user chose to discard */
};

G_DEFINE_FINAL_TYPE (KdxClassifyDialog, kdx_classify_dialog, ADW_TYPE_WINDOW)

static const char *risk_classes[] = {
  "kdx-classify-risk-prohibited", "kdx-classify-risk-high", "kdx-classify-risk-limited",
  "kdx-classify-risk-minimal",
};

/* What each step asks about, in one sentence, in the order of
 * KdxQuestionGroup. */
static const char *group_descriptions[] = {
  N_("Who built the system and who uses it decides which obligations are your organisation’s."),
  N_("Whom the system assesses or affects: the answers decide which of the later questions apply."),
  N_("Practices that Art. 5 forbids outright. One yes here means the system must not be used."),
  N_("The areas of Annex III that sales organisations meet. A system used in one of them is "
     "high-risk unless an exception applies."),
  N_("A system in a high-risk area is not high-risk when it only does one of these things — "
     "unless it profiles people."),
  N_("Cases in which people must be told that they deal with AI, or that content is generated "
     "(Art. 50)."),
};

G_STATIC_ASSERT (G_N_ELEMENTS (group_descriptions) == KDX_QUESTION_N_GROUPS);

static void refresh (KdxClassifyDialog *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static char *
step_name (guint step)
{
  return step == RESULT_STEP ? g_strdup ("result") : g_strdup_printf ("group-%u", step);
}

/* @risk's pill: its label and its colour. */
void
kdx_classify_dialog_style_risk (GtkLabel     *label,
                                KdxRiskClass  risk)
{
  for (guint i = 0; i < G_N_ELEMENTS (risk_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), risk_classes[i]);
  gtk_widget_remove_css_class (GTK_WIDGET (label), "kdx-classify-risk-unclassified");

  gtk_label_set_label (label, kdx_risk_class_get_label (risk));
  gtk_widget_add_css_class (GTK_WIDGET (label),
                            (guint) risk < G_N_ELEMENTS (risk_classes)
                            ? risk_classes[risk] : "kdx-classify-risk-unclassified");
}

static char *
role_text (KdxAiActRole role)
{
  if (role == KDX_ROLE_UNKNOWN)
    return g_strdup (kdx_ai_act_role_get_label (role));

  /* Translators: %s is an EU AI Act role, "Deployer" */
  return g_strdup_printf (_("Your role: %s"), kdx_ai_act_role_get_label (role));
}

static void
remove_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
remove_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Wrapped labels ask for their longest line otherwise, which would
   * widen the page beyond the window. */
  gtk_label_set_width_chars (GTK_LABEL (label), 10);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);

  return label;
}

/* The side panel keeps to a column beside the questions. */
static GtkWidget *
panel_label (const char *text)
{
  GtkWidget *label = wrapped_label (text);

  gtk_label_set_max_width_chars (GTK_LABEL (label), 34);

  return label;
}

static QuestionRow *
find_row (KdxClassifyDialog *self,
          const char        *question_id)
{
  for (guint i = 0; i < self->n_rows; i++)
    if (g_str_equal (self->rows[i].question->id, question_id))
      return &self->rows[i];

  return NULL;
}

static gboolean
writable (KdxClassifyDialog *self)
{
  return self->store != NULL && self->system != NULL && !kdx_store_is_read_only (self->store);
}

static void
show_banner (KdxClassifyDialog *self,
             const char        *message)
{
  if (message != NULL)
    gtk_label_set_label (self->banner_label, message);
  gtk_revealer_set_reveal_child (self->banner_revealer, message != NULL);
}

/* ------------------------------------------------------------------ */
/* Steps                                                               */

static void
update_navigation (KdxClassifyDialog *self)
{
  g_autofree char *text = NULL;
  const char *title = self->step == RESULT_STEP ? _("Result")
                                                 : kdx_question_group_get_title (self->step);

  /* Translators: "Step 2 of 7 · Who is affected" */
  text = g_strdup_printf (_("Step %u of %u · %s"), self->step + 1, N_STEPS, title);
  gtk_label_set_label (self->step_label, text);
  gtk_progress_bar_set_fraction (self->step_bar, (double) (self->step + 1) / N_STEPS);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classify.back", self->step > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classify.next", self->step < RESULT_STEP);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classify.save",
                                 writable (self) && !self->contradiction);
}

static void
go_to_step (KdxClassifyDialog *self,
            guint              step)
{
  g_autofree char *name = step_name (MIN (step, RESULT_STEP));

  gtk_stack_set_visible_child_name (self->page_stack, name);
}

static void
page_changed_cb (KdxClassifyDialog *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->page_stack);

  if (name == NULL)
    return;
  if (g_str_equal (name, "result"))
    self->step = RESULT_STEP;
  else if (g_str_has_prefix (name, "group-"))
    self->step = (guint) g_ascii_strtoull (name + strlen ("group-"), NULL, 10);

  /* The result page says everything the panel does, with more room. */
  if (self->step == RESULT_STEP)
    adw_flap_set_reveal_flap (self->flap, FALSE);
  else if (!adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, TRUE);

  update_navigation (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxClassifyDialog *self = KDX_CLASSIFY_DIALOG (widget);

  if (self->step > 0)
    go_to_step (self, self->step - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxClassifyDialog *self = KDX_CLASSIFY_DIALOG (widget);

  if (self->step < RESULT_STEP)
    go_to_step (self, self->step + 1);
}

/* An open question on the result page: its step, its Yes button focused. */
static void
open_question_activated_cb (KdxClassifyDialog *self,
                            GtkListBoxRow     *row)
{
  QuestionRow *qr = find_row (self, g_object_get_data (G_OBJECT (row), "question"));

  if (qr == NULL)
    return;
  go_to_step (self, qr->question->group);
  gtk_widget_grab_focus (GTK_WIDGET (qr->yes));
}

/* ------------------------------------------------------------------ */
/* The result                                                          */

static void
fill_panel (KdxClassifyDialog       *self,
            const KdxClassification *result,
            guint                    n_open)
{
  g_autofree char *role = role_text (result->role);

  kdx_classify_dialog_style_risk (self->panel_risk_label, result->risk);
  gtk_label_set_label (self->panel_role_label, role);

  if (n_open > 0)
    {
      g_autofree char *open = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u question is still open: the result may change.",
                                                            "%u questions are still open: the result may change.",
                                                            n_open), n_open);

      gtk_label_set_label (self->panel_open_label, open);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->panel_open_label), n_open > 0);

  remove_children (self->panel_obligations_box);
  for (guint i = 0; i < result->obligations->len; i++)
    {
      const KdxObligation *obligation = result->obligations->pdata[i];
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *reference = gtk_label_new (obligation->reference);
      GtkWidget *title = panel_label (kdx_obligation_get_title (obligation));

      gtk_label_set_xalign (GTK_LABEL (reference), 0);
      gtk_label_set_yalign (GTK_LABEL (reference), 0);
      gtk_label_set_width_chars (GTK_LABEL (reference), 11);
      gtk_widget_set_valign (reference, GTK_ALIGN_START);
      gtk_widget_add_css_class (reference, "dim-label");
      gtk_widget_add_css_class (reference, "numeric");
      gtk_widget_set_hexpand (title, TRUE);
      gtk_box_append (GTK_BOX (line), reference);
      gtk_box_append (GTK_BOX (line), title);
      gtk_box_append (self->panel_obligations_box, line);
    }
  if (result->obligations->len == 0)
    {
      GtkWidget *none = panel_label (_("None so far"));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (self->panel_obligations_box, none);
    }

  remove_children (self->panel_reasoning_box);
  for (guint i = 0; i < result->reasoning->len; i++)
    {
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      g_autofree char *number = g_strdup_printf ("%u.", i + 1);
      GtkWidget *n = gtk_label_new (number);
      GtkWidget *text = panel_label (g_ptr_array_index (result->reasoning, i));

      gtk_widget_set_valign (n, GTK_ALIGN_START);
      gtk_widget_add_css_class (n, "dim-label");
      gtk_widget_add_css_class (n, "numeric");
      gtk_widget_set_hexpand (text, TRUE);
      gtk_widget_add_css_class (text, "kdx-classify-help");
      gtk_box_append (GTK_BOX (line), n);
      gtk_box_append (GTK_BOX (line), text);
      gtk_box_append (self->panel_reasoning_box, line);
    }
  if (result->reasoning->len == 0)
    {
      GtkWidget *none = panel_label (_("Answer the questions to see why."));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (self->panel_reasoning_box, none);
    }
}

static void
fill_summary (KdxClassifyDialog       *self,
              const KdxClassification *result)
{
  g_autofree char *role = role_text (result->role);
  guint n_open = 0;

  kdx_classify_dialog_style_risk (self->summary_risk_label, result->risk);
  gtk_label_set_label (self->summary_role_label, role);

  remove_rows (self->summary_open_list);
  for (guint i = 0; i < self->n_rows; i++)
    {
      const KdxQuestion *q = self->rows[i].question;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (!kdx_question_is_asked (q, self->answers) ||
          kdx_answers_get (self->answers, q->id) != KDX_ANSWER_UNANSWERED)
        continue;

      /* Translators: a question's step and article, "Prohibited practices · Art. 5(1)(f)" */
      subtitle = g_strdup_printf (_("%s · %s"), kdx_question_group_get_title (q->group),
                                  q->reference);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kdx_question_get_text (q));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "question", g_strdup (q->id), g_free);
      gtk_list_box_append (self->summary_open_list, row);
      n_open++;
    }
  if (n_open > 0)
    {
      g_autofree char *description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "%u question is not answered yet. Until it is, the result is the worst the answers so far establish.",
                                                                   "%u questions are not answered yet. Until they are, the result is the worst the answers so far establish.",
                                                                   n_open), n_open);

      adw_preferences_group_set_description (self->summary_open_group, description);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->summary_open_group), n_open > 0);

  remove_rows (self->summary_obligations_list);
  for (guint i = 0; i < result->obligations->len; i++)
    {
      const KdxObligation *obligation = result->obligations->pdata[i];
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kdx_obligation_get_title (obligation));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), obligation->reference);
      gtk_list_box_append (self->summary_obligations_list, row);
    }
  if (result->obligations->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("None so far"));
      gtk_list_box_append (self->summary_obligations_list, row);
    }

  remove_rows (self->summary_reasoning_list);
  for (guint i = 0; i < result->reasoning->len; i++)
    {
      GtkWidget *label = wrapped_label (g_ptr_array_index (result->reasoning, i));

      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 10);
      gtk_widget_set_margin_bottom (label, 10);
      gtk_list_box_append (self->summary_reasoning_list, label);
    }
  if (result->reasoning->len == 0)
    {
      GtkWidget *label = wrapped_label (_("Answer the questions to see why."));

      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 10);
      gtk_widget_set_margin_bottom (label, 10);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->summary_reasoning_list, label);
    }
}

/* Shows what the answers imply: which questions are asked, and the
 * result core computes from them. */
static void
refresh (KdxClassifyDialog *self)
{
  g_autoptr(KdxClassification) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_open = 0;
  guint n_suggested[KDX_QUESTION_N_GROUPS] = { 0, };

  for (guint i = 0; i < self->n_rows; i++)
    {
      QuestionRow *qr = &self->rows[i];
      gboolean asked = kdx_question_is_asked (qr->question, self->answers);
      gboolean suggested = asked && g_hash_table_contains (self->suggested, qr->question->id);

      gtk_widget_set_visible (qr->row, asked);
      gtk_widget_set_visible (qr->suggested, suggested);
      if (suggested)
        n_suggested[qr->question->group]++;
      if (asked && kdx_answers_get (self->answers, qr->question->id) == KDX_ANSWER_UNANSWERED)
        n_open++;
    }
  for (guint g = 0; g < KDX_QUESTION_N_GROUPS; g++)
    gtk_widget_set_visible (self->suggestion_notes[g], n_suggested[g] > 0);

  result = kdx_classify (self->answers, &error);
  self->contradiction = result == NULL;
  show_banner (self, result == NULL ? error->message : NULL);

  /* The last consistent result stays, greyed, until the contradiction is
   * resolved. */
  gtk_widget_set_sensitive (self->panel_box, result != NULL);
  gtk_widget_set_sensitive (self->summary_box, result != NULL);
  if (result != NULL)
    {
      fill_panel (self, result, n_open);
      fill_summary (self, result);
    }

  update_navigation (self);
}

/* ------------------------------------------------------------------ */
/* Questions                                                           */

static void
show_answers (KdxClassifyDialog *self)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->n_rows; i++)
    {
      QuestionRow *qr = &self->rows[i];
      KdxAnswer answer = kdx_answers_get (self->answers, qr->question->id);

      gtk_toggle_button_set_active (qr->yes, answer == KDX_ANSWER_YES);
      gtk_toggle_button_set_active (qr->no, answer == KDX_ANSWER_NO);
    }
  self->updating = FALSE;
}

/* On "clicked", not "toggled": clicking the answer already chosen
 * changes nothing but confirms a suggestion. */
static void
answer_clicked_cb (GtkToggleButton   *button,
                   KdxClassifyDialog *self)
{
  QuestionRow *qr = g_object_get_data (G_OBJECT (button), "question-row");

  if (self->updating || !gtk_toggle_button_get_active (button))
    return;

  kdx_answers_set (self->answers, qr->question->id,
                   button == qr->yes ? KDX_ANSWER_YES : KDX_ANSWER_NO);
  g_hash_table_remove (self->suggested, qr->question->id);
  refresh (self);
}

static GtkWidget *
build_question_row (KdxClassifyDialog *self,
                    QuestionRow       *qr)
{
  const KdxQuestion *q = qr->question;
  const char *help = kdx_question_get_help (q);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *reference = gtk_label_new (q->reference);
  GtkWidget *text = wrapped_label (kdx_question_get_text (q));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *yes_name = g_strconcat (q->id, ":yes", NULL);
  g_autofree char *no_name = g_strconcat (q->id, ":no", NULL);
  g_autofree char *tag_name = g_strconcat (q->id, ":suggested", NULL);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_name (row, q->id);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  /* A follow-up question sits under the one it follows. */
  if (q->only_if != NULL && q->only_if[0] != '@')
    {
      gtk_widget_set_margin_start (box, 36);
      gtk_widget_add_css_class (row, "kdx-classify-follow-up");
    }

  gtk_label_set_xalign (GTK_LABEL (reference), 0);
  gtk_widget_add_css_class (reference, "caption");
  gtk_widget_add_css_class (reference, "dim-label");
  gtk_box_append (GTK_BOX (head), reference);

  /* Translators: marks an answer the use-case library suggested, not yet checked by the user */
  qr->suggested = gtk_label_new (C_("answer", "Suggested"));
  gtk_widget_set_tooltip_text (qr->suggested,
                               _("Suggested by the system’s use case. Choose Yes or No to confirm it."));
  gtk_widget_add_css_class (qr->suggested, "kdx-status");
  gtk_widget_add_css_class (qr->suggested, "kdx-classify-suggested");
  gtk_widget_set_visible (qr->suggested, FALSE);
  gtk_widget_set_name (qr->suggested, tag_name);
  gtk_box_append (GTK_BOX (head), qr->suggested);

  gtk_box_append (GTK_BOX (text_box), head);
  gtk_box_append (GTK_BOX (text_box), text);
  if (help != NULL)
    {
      GtkWidget *help_label = wrapped_label (help);

      gtk_widget_add_css_class (help_label, "dim-label");
      gtk_widget_add_css_class (help_label, "kdx-classify-help");
      gtk_box_append (GTK_BOX (text_box), help_label);
    }
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_box_append (GTK_BOX (box), text_box);

  qr->yes = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Yes")));
  qr->no = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("No")));
  gtk_toggle_button_set_group (qr->no, qr->yes);
  gtk_widget_set_name (GTK_WIDGET (qr->yes), yes_name);
  gtk_widget_set_name (GTK_WIDGET (qr->no), no_name);
  gtk_widget_add_css_class (GTK_WIDGET (qr->yes), "kdx-classify-answer");
  gtk_widget_add_css_class (GTK_WIDGET (qr->no), "kdx-classify-answer");
  /* A screen reader says which question the button answers. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (qr->yes), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  kdx_question_get_text (q), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (qr->no), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  kdx_question_get_text (q), -1);
  g_object_set_data (G_OBJECT (qr->yes), "question-row", qr);
  g_object_set_data (G_OBJECT (qr->no), "question-row", qr);
  g_signal_connect_after (qr->yes, "clicked", G_CALLBACK (answer_clicked_cb), self);
  g_signal_connect_after (qr->no, "clicked", G_CALLBACK (answer_clicked_cb), self);

  gtk_widget_add_css_class (buttons, "linked");
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (qr->yes));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (qr->no));
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  qr->row = row;

  return row;
}

/* One page per group, in the order of the groups, before the result. */
static void
build_pages (KdxClassifyDialog *self)
{
  const KdxQuestion *questions = kdx_classify_get_questions (&self->n_rows);
  GtkListBox *lists[KDX_QUESTION_N_GROUPS];

  self->rows = g_new0 (QuestionRow, self->n_rows);

  /* The result page is in the template; it goes to the end again so that
   * the pages slide in the order of the steps. */
  g_object_ref (self->result_page);
  gtk_stack_remove (self->page_stack, self->result_page);

  for (guint g = 0; g < KDX_QUESTION_N_GROUPS; g++)
    {
      g_autofree char *name = step_name (g);
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *clamp = adw_clamp_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *title = wrapped_label (kdx_question_group_get_title (g));
      GtkWidget *description = wrapped_label (_(group_descriptions[g]));
      GtkWidget *note = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *note_icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
      GtkWidget *note_label = wrapped_label (NULL);
      GtkWidget *placeholder = wrapped_label (_("No question of this step applies, given your "
                                                "answers so far."));
      GtkWidget *list = gtk_list_box_new ();

      gtk_widget_add_css_class (title, "title-2");
      gtk_widget_add_css_class (description, "dim-label");
      gtk_widget_set_valign (note_icon, GTK_ALIGN_START);
      gtk_widget_set_hexpand (note_label, TRUE);
      gtk_box_append (GTK_BOX (note), note_icon);
      gtk_box_append (GTK_BOX (note), note_label);
      gtk_widget_add_css_class (note, "kdx-classify-note");
      gtk_widget_set_visible (note, FALSE);
      self->suggestion_notes[g] = note;
      self->suggestion_labels[g] = GTK_LABEL (note_label);

      gtk_widget_set_margin_start (placeholder, 12);
      gtk_widget_set_margin_end (placeholder, 12);
      gtk_widget_set_margin_top (placeholder, 18);
      gtk_widget_set_margin_bottom (placeholder, 18);
      gtk_widget_add_css_class (placeholder, "dim-label");
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_widget_set_margin_top (list, 6);
      lists[g] = GTK_LIST_BOX (list);

      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), description);
      gtk_box_append (GTK_BOX (box), note);
      gtk_box_append (GTK_BOX (box), list);

      adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
      adw_clamp_set_child (ADW_CLAMP (clamp), box);
      gtk_widget_set_margin_top (clamp, 24);
      gtk_widget_set_margin_bottom (clamp, 24);
      gtk_widget_set_margin_start (clamp, 12);
      gtk_widget_set_margin_end (clamp, 12);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
      gtk_stack_add_titled (self->page_stack, scrolled, name, kdx_question_group_get_title (g));
    }

  gtk_stack_add_titled (self->page_stack, self->result_page, "result", _("Result"));
  g_object_unref (self->result_page);

  for (guint i = 0; i < self->n_rows; i++)
    {
      self->rows[i].question = &questions[i];
      gtk_list_box_append (lists[questions[i].group], build_question_row (self, &self->rows[i]));
    }
}

/* ------------------------------------------------------------------ */
/* Saving and closing                                                  */

static gboolean
has_changes (KdxClassifyDialog *self)
{
  g_autofree char *now = kdx_answers_to_json (self->answers);

  return g_strcmp0 (now, self->initial_json) != 0;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxClassifyDialog *self = KDX_CLASSIFY_DIALOG (widget);
  g_autoptr(KdxClassification) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkWindow *parent;

  if (!writable (self) || self->contradiction)
    return;

  if (!kdx_system_classify (self->store, kdx_system_get_uuid (self->system), self->answers,
                            &result, &error))
    {
      show_banner (self, error->message);
      return;
    }

  /* Translators: "“Call analysis” is classified: High risk" */
  message = g_strdup_printf (_("“%s” is classified: %s"), kdx_system_get_name (self->system),
                             kdx_risk_class_get_label (result->risk));
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  if (parent != NULL)
    kdx_window_toast_from (GTK_WIDGET (parent), message);

  self->may_close = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

static void
discard_response_cb (AdwMessageDialog  *alert,
                     const char        *response,
                     KdxClassifyDialog *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;

  /* Once the alert, which is transient for this window, has gone. */
  self->may_close = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
kdx_classify_dialog_close_request (GtkWindow *window)
{
  KdxClassifyDialog *self = KDX_CLASSIFY_DIALOG (window);
  g_autofree char *body = NULL;
  GtkWidget *alert;

  if (self->may_close || !has_changes (self) || !writable (self))
    return GTK_WINDOW_CLASS (kdx_classify_dialog_parent_class)->close_request (window);

  body = g_strdup_printf (_("The changed answers for “%s” have not been saved."),
                          kdx_system_get_name (self->system));
  alert = adw_message_dialog_new (window, _("Discard Changed Answers?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (alert),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (alert), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (alert), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (alert), "cancel");
  g_signal_connect_object (alert, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (alert));

  return TRUE;
}

/* ------------------------------------------------------------------ */

static void
kdx_classify_dialog_dispose (GObject *object)
{
  KdxClassifyDialog *self = KDX_CLASSIFY_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->system);

  G_OBJECT_CLASS (kdx_classify_dialog_parent_class)->dispose (object);
}

static void
kdx_classify_dialog_finalize (GObject *object)
{
  KdxClassifyDialog *self = KDX_CLASSIFY_DIALOG (object);

  g_clear_pointer (&self->rows, g_free);
  g_clear_pointer (&self->answers, g_hash_table_unref);
  g_clear_pointer (&self->suggested, g_hash_table_unref);
  g_clear_pointer (&self->initial_json, g_free);

  G_OBJECT_CLASS (kdx_classify_dialog_parent_class)->finalize (object);
}

static void
kdx_classify_dialog_class_init (KdxClassifyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kdx_classify_dialog_dispose;
  object_class->finalize = kdx_classify_dialog_finalize;
  window_class->close_request = kdx_classify_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-classify-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, banner_label);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, flap);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, page_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, result_page);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, step_label);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, step_bar);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, panel_box);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, panel_risk_label);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, panel_role_label);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, panel_open_label);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, panel_obligations_box);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, panel_reasoning_box);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, summary_box);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, summary_risk_label);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, summary_role_label);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, summary_open_group);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, summary_open_list);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, summary_obligations_list);
  gtk_widget_class_bind_template_child (widget_class, KdxClassifyDialog, summary_reasoning_list);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_question_activated_cb);

  gtk_widget_class_install_action (widget_class, "classify.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "classify.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "classify.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "classify.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "classify.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "classify.save", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0,
                                (GtkShortcutFunc) gtk_window_close, NULL);
}

static void
kdx_classify_dialog_init (KdxClassifyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->answers = kdx_answers_new ();
  self->suggested = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  build_pages (self);
  go_to_step (self, 0);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

KdxClassifyDialog *
kdx_classify_dialog_new (GtkWindow  *parent,
                         KdxStore   *store,
                         const char *system_uuid)
{
  KdxClassifyDialog *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);
  g_return_val_if_fail (system_uuid != NULL, NULL);

  self = g_object_new (KDX_TYPE_CLASSIFY_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->system = kdx_system_load (store, system_uuid, &error);
  if (self->system == NULL)
    {
      show_banner (self, error->message);
      update_navigation (self);
      return self;
    }

  g_hash_table_unref (self->answers);
  self->answers = kdx_system_dup_answers (self->system);

  /* Never answered: start from what the use case suggests, marked as
   * such until the user confirms each answer. */
  if (g_hash_table_size (self->answers) == 0 && kdx_system_get_use_case (self->system) != NULL)
    {
      const KdxUseCase *use_case = kdx_use_case_lookup (kdx_system_get_use_case (self->system));

      if (use_case != NULL)
        {
          GHashTableIter iter;
          gpointer key;

          g_hash_table_unref (self->answers);
          self->answers = kdx_use_case_dup_answers (use_case);
          g_hash_table_iter_init (&iter, self->answers);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_hash_table_add (self->suggested, g_strdup (key));

          for (guint g = 0; g < KDX_QUESTION_N_GROUPS; g++)
            {
              g_autofree char *note = g_strdup_printf (_("Answers marked “Suggested” are typical "
                                                         "for the use case “%s”. Check each one "
                                                         "against how this system is used."),
                                                       kdx_use_case_get_name (use_case));

              gtk_label_set_label (self->suggestion_labels[g], note);
            }
        }
    }
  self->initial_json = kdx_answers_to_json (self->answers);

  /* Translators: the subtitle of the assistant, "SYS-004 · Call analysis" */
  subtitle = g_strdup_printf (_("%s · %s"), kdx_system_get_key (self->system),
                              kdx_system_get_name (self->system));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  if (kdx_store_is_read_only (store))
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button),
                                 _("The workspace is open read-only"));

  show_answers (self);
  refresh (self);

  return self;
}

/* The answers as shown, for tests. */
GHashTable *
kdx_classify_dialog_get_answers (KdxClassifyDialog *self)
{
  g_return_val_if_fail (KDX_IS_CLASSIFY_DIALOG (self), NULL);

  return self->answers;
}

guint
kdx_classify_dialog_get_step (KdxClassifyDialog *self)
{
  g_return_val_if_fail (KDX_IS_CLASSIFY_DIALOG (self), 0);

  return self->step;
}
