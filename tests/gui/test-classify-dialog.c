/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI tests of the EU AI Act assistant and the Classification and
 * Oversight sections of a system, each in a real window under Xvfb on a
 * real workspace: a system made from the use case "call-analysis-
 * customers", people, and policies that cover some of its obligations.
 * Answers are given by clicking the assistant's Yes and No buttons; what
 * is stored is read back through core.
 */
#define G_LOG_DOMAIN "kdx-test-classify-dialog"

#include "config.h"

#include "kdx-application.h"
#include "kdx-catalog.h"
#include "kdx-classify-dialog.h"
#include "kdx-classify.h"
#include "kdx-journal.h"
#include "kdx-mapping.h"
#include "kdx-person.h"
#include "kdx-person-chooser.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-system-classification.h"
#include "kdx-system-oversight.h"
#include "kdx-ui-resources.h"
#include "kdx-usecase.h"
#include "kdx-gui-test-util.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

typedef struct
{
  char      *path;
  KdxStore  *store;
  char      *people[4];     /* Dana Dorn, Jonas Berg, Lea Kaiser, Mia Roth */
  KdxSystem *system;        /* from "call-analysis-customers": high risk */
  GtkWindow *window;
  char      *shown_requirement;  /* the parameter of win.show-requirement */
} Fixture;

/* ------------------------------------------------------------------ */
/* Widgets                                                            */

/* Clicks Yes or No of a question in the assistant. */
static void
answer (KdxClassifyDialog *dialog,
        const char        *question,
        gboolean           yes)
{
  g_autofree char *name = g_strdup_printf ("%s:%s", question, yes ? "yes" : "no");
  GtkWidget *button = kdx_gui_find_by_name (GTK_WIDGET (dialog), name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  kdx_gui_iterate (20);
}

static gboolean
question_shown (KdxClassifyDialog *dialog,
                const char        *question)
{
  GtkWidget *row = kdx_gui_find_by_name (GTK_WIDGET (dialog), question);

  g_assert_nonnull (row);
  return gtk_widget_get_visible (row);
}

static gboolean
has_text (GtkWidget  *root,
          const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return gtk_widget_get_visible (root);
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), text) == 0)
    return gtk_widget_get_visible (root);

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_text (c, text))
      return TRUE;

  return FALSE;
}

static KdxClassifyDialog *
shown_dialog (void)
{
  return (KdxClassifyDialog *) kdx_gui_find_toplevel (KDX_TYPE_CLASSIFY_DIALOG);
}

static gboolean
dialog_is_shown (gpointer data)
{
  KdxClassifyDialog *dialog = shown_dialog ();

  return dialog != NULL && kdx_gui_is_drawn (dialog);
}

static gboolean
dialog_is_gone (gpointer data)
{
  return shown_dialog () == NULL;
}

static gboolean
alert_is_shown (gpointer data)
{
  return kdx_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* The obligation row @id of the Classification section: its coverage. */
static const char *
coverage_shown (KdxSystemClassification *section,
                const char              *id)
{
  GtkWidget *row = kdx_gui_find_by_name (GTK_WIDGET (section), id);

  g_assert_nonnull (row);
  for (guint i = 0; i < KDX_COVERAGE_N_STATES; i++)
    if (has_text (row, kdx_coverage_get_label (i)))
      return kdx_coverage_get_label (i);

  return NULL;
}

/* ------------------------------------------------------------------ */
/* The workspace                                                      */

static char *
requirement_uuid (Fixture    *f,
                  const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxRequirement) requirement = kdx_requirement_find (f->store, "eu-ai-act", code,
                                                                &error);

  g_assert_no_error (error);
  return g_strdup (requirement->uuid);
}

/* A policy that names @codes of the EU AI Act, applied to the system. */
static void
add_policy (Fixture            *f,
            const char         *title,
            const char *const  *codes,
            KdxCompliance       status)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GError) error = NULL;

  kdx_policy_set_title (policy, title);
  g_assert_true (kdx_policy_create (f->store, policy, "Text", &error));
  g_assert_no_error (error);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *requirement = requirement_uuid (f, codes[i]);

      g_assert_true (kdx_mapping_link_requirement (f->store, kdx_policy_get_uuid (policy),
                                                   requirement, &error));
      g_assert_no_error (error);
    }
  g_assert_true (kdx_mapping_set_system_policy (f->store, kdx_system_get_uuid (f->system),
                                                kdx_policy_get_uuid (policy), status, NULL, NULL,
                                                NULL, &error));
  g_assert_no_error (error);
}

static void
show_requirement_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     Fixture       *f)
{
  g_free (f->shown_requirement);
  f->shown_requirement = g_variant_dup_string (parameter, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Einstufung-%u.kodex", g_random_int ());
  g_autoptr(GSimpleAction) action = g_simple_action_new ("show-requirement", G_VARIANT_TYPE_STRING);

  f->path = g_build_filename (tmpdir, name, NULL);
  f->store = kdx_store_create (f->path, "Beispiel Vertrieb GmbH", "de", &error);
  g_assert_no_error (error);

  f->people[0] = kdx_gui_add_person (f->store, "Dana Dorn", "Recht", FALSE);
  f->people[1] = kdx_gui_add_person (f->store, "Jonas Berg", "Vertrieb Innendienst", FALSE);
  f->people[2] = kdx_gui_add_person (f->store, "Lea Kaiser", "IT", FALSE);
  f->people[3] = kdx_gui_add_person (f->store, "Mia Roth", "Kundenservice", FALSE);
  kdx_store_set_actor (f->store, f->people[0]);

  f->system = kdx_system_create_from_use_case (f->store, "Anrufanalyse Kundenservice",
                                               "call-analysis-customers", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kdx_system_get_risk (f->system), ==, KDX_RISK_HIGH);

  /* Art. 4 covered; Art. 5 and 26 applied but not yet assessed: partly. */
  add_policy (f, "KI-Kompetenz im Vertrieb", (const char *[]) { "art-4", NULL },
              KDX_COMPLIANCE_COMPLIANT);
  add_policy (f, "Emotionserkennung", (const char *[]) { "art-5", "art-26", NULL },
              KDX_COMPLIANCE_NOT_ASSESSED);

  /* The window's action that opens a requirement in Frameworks. */
  f->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  g_signal_connect (action, "activate", G_CALLBACK (show_requirement_cb), f);
  g_action_map_add_action (G_ACTION_MAP (f->window), G_ACTION (action));
  gtk_window_set_default_size (f->window, 1100, 820);
}

static void
set_content (Fixture    *f,
             GtkWidget  *widget,
             const char *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (kdx_system_get_name (f->system), title));
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), widget);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window), box);
  gtk_window_present (f->window);
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, widget, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  KdxClassifyDialog *dialog;

  while ((dialog = shown_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (f->window);
  kdx_gui_iterate (50);
  kdx_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->system);
  for (guint i = 0; i < G_N_ELEMENTS (f->people); i++)
    g_clear_pointer (&f->people[i], g_free);
  g_clear_pointer (&f->shown_requirement, g_free);
  g_remove (f->path);
  g_clear_pointer (&f->path, g_free);
}

static KdxSystem *
reload (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  KdxSystem *system = kdx_system_load (f->store, kdx_system_get_uuid (f->system), &error);

  g_assert_no_error (error);
  return system;
}

/* Journal entries of the system with @action. */
static guint
count_journal (Fixture    *f,
               const char *action)
{
  g_autoptr(GListModel) model = kdx_journal_model_new (f->store);
  KdxJournalFilter filter = { "ai_system", NULL, NULL, 0, 0 };
  guint n = 0;

  kdx_journal_model_set_filter (model, &filter);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KdxJournalEntry) entry = g_list_model_get_item (model, i);

      if (g_strcmp0 (kdx_journal_entry_get_action (entry), action) == 0 &&
          g_strcmp0 (kdx_journal_entry_get_entity_id (entry), kdx_system_get_uuid (f->system)) == 0)
        n++;
    }

  return n;
}

static KdxClassifyDialog *
open_assistant (KdxSystemClassification *section)
{
  kdx_system_classification_classify (section);
  g_assert_true (kdx_gui_wait_for (dialog_is_shown, NULL, 10000));
  kdx_gui_iterate (100);

  return shown_dialog ();
}

/* ------------------------------------------------------------------ */
/* The tests                                                          */

static void
test_classify (Fixture       *f,
               gconstpointer  data)
{
  KdxSystemClassification *section = kdx_system_classification_new ();
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(KdxClassification) no_result = NULL;
  g_autoptr(GError) contradiction = NULL;
  g_autoptr(KdxSystem) after = NULL;
  g_autofree char *art4 = requirement_uuid (f, "art-4");
  KdxClassifyDialog *dialog;
  GtkWidget *save_button;
  GtkWidget *show_button;
  guint n_classified;

  set_content (f, GTK_WIDGET (section), _("Classification"));
  kdx_system_classification_set_system (section, f->store, kdx_system_get_uuid (f->system));
  kdx_gui_iterate (100);

  /* The stored class, the role, and the obligations with their coverage. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (section, "stack"))), ==,
                   "classified");
  g_assert_cmpstr (kdx_gui_label_of (section, "risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_HIGH));
  g_assert_true (gtk_widget_has_css_class (kdx_gui_child (section, "risk_label"), "kdx-classify-risk-high"));
  g_assert_true (has_text (kdx_gui_child (section, "role_label"), "Your role: Deployer"));
  g_assert_cmpstr (coverage_shown (section, "ai-act-4"), ==, kdx_coverage_get_label (KDX_COVERAGE_COVERED));
  g_assert_cmpstr (coverage_shown (section, "ai-act-26"), ==, kdx_coverage_get_label (KDX_COVERAGE_PARTLY));
  g_assert_cmpstr (coverage_shown (section, "ai-act-50"), ==, kdx_coverage_get_label (KDX_COVERAGE_GAP));
  g_assert_null (kdx_gui_find_by_name (GTK_WIDGET (section), "ai-act-5"));
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (section, "incomplete_box")));

  /* An obligation opens its requirement in Frameworks. */
  show_button = kdx_gui_find_by_type (kdx_gui_find_by_name (GTK_WIDGET (section), "ai-act-4"), GTK_TYPE_BUTTON);
  g_assert_nonnull (show_button);
  kdx_gui_click (show_button);
  g_assert_cmpstr (f->shown_requirement, ==, art4);

  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-classification.png");

  /* The assistant starts from the stored answers, at the first step. */
  dialog = open_assistant (section);
  expected = kdx_system_dup_answers (f->system);
  g_assert_cmpuint (g_hash_table_size (kdx_classify_dialog_get_answers (dialog)), ==,
                    g_hash_table_size (expected));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (kdx_gui_find_by_name (GTK_WIDGET (dialog), "role-deployer:yes"))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (kdx_gui_find_by_name (GTK_WIDGET (dialog), "p-emotion-workplace:no"))));
  g_assert_cmpuint (kdx_classify_dialog_get_step (dialog), ==, 0);
  g_assert_cmpstr (kdx_gui_label_of (dialog, "step_label"), ==, "Step 1 of 7 · Your role");
  g_assert_cmpstr (kdx_gui_label_of (dialog, "panel_risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_HIGH));
  g_assert_true (has_text (kdx_gui_child (dialog, "panel_obligations_box"), "Obligations of deployers of high-risk AI systems"));

  /* Step 2: the system is used on the company's own agents after all. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "classify.next", NULL);
  kdx_gui_iterate (50);
  g_assert_cmpstr (kdx_gui_label_of (dialog, "step_label"), ==, "Step 2 of 7 · Who is affected");
  answer (dialog, "workplace", TRUE);

  /* Step 3: emotions of workers. The follow-up question appears only now,
   * and until it is answered the result stays open. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "classify.next", NULL);
  kdx_gui_iterate (50);
  g_assert_false (question_shown (dialog, "p-emotion-medical"));
  answer (dialog, "p-emotion-workplace", TRUE);
  g_assert_true (question_shown (dialog, "p-emotion-medical"));
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (dialog, "panel_open_label")));
  g_assert_cmpstr (kdx_gui_label_of (dialog, "panel_open_label"), ==,
                   "1 question is still open: the result may change.");
  answer (dialog, "p-emotion-medical", FALSE);
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (dialog, "panel_open_label")));
  g_assert_cmpstr (kdx_gui_label_of (dialog, "panel_risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_PROHIBITED));
  g_assert_true (gtk_widget_has_css_class (kdx_gui_child (dialog, "panel_risk_label"), "kdx-classify-risk-prohibited"));
  g_assert_true (has_text (kdx_gui_child (dialog, "panel_obligations_box"), "Prohibited AI practices"));
  g_assert_false (has_text (kdx_gui_child (dialog, "panel_obligations_box"), "Obligations of deployers of high-risk AI systems"));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (dialog, "banner_revealer"))));
  /* Scrolled to the question that made it so. */
  gtk_widget_grab_focus (kdx_gui_find_by_name (GTK_WIDGET (dialog), "p-emotion-medical:no"));
  kdx_gui_screenshot (GTK_WIDGET (dialog), shot_dir, "classify-assistant.png");

  /* A contradiction: credit scoring without profiling. The banner says
   * what core says, and nothing can be saved. */
  save_button = kdx_gui_child (dialog, "save_button");
  g_assert_true (gtk_widget_is_sensitive (save_button));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "classify.next", NULL);
  kdx_gui_iterate (50);
  answer (dialog, "h-credit", TRUE);
  no_result = kdx_classify (kdx_classify_dialog_get_answers (dialog), &contradiction);
  g_assert_null (no_result);
  g_assert_error (contradiction, KDX_CLASSIFY_ERROR, KDX_CLASSIFY_ERROR_CONTRADICTION);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (dialog, "banner_revealer"))));
  g_assert_cmpstr (kdx_gui_label_of (dialog, "banner_label"), ==, contradiction->message);
  g_assert_false (gtk_widget_is_sensitive (save_button));
  g_assert_false (gtk_widget_is_sensitive (kdx_gui_child (dialog, "panel_box")));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "classify.save", NULL);
  kdx_gui_iterate (50);
  g_assert_nonnull (shown_dialog ());
  g_clear_object (&after);
  after = reload (f);
  g_assert_cmpint (kdx_system_get_risk (after), ==, KDX_RISK_HIGH);

  /* Fixed: no credit check after all. */
  answer (dialog, "h-credit", FALSE);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (dialog, "banner_revealer"))));
  g_assert_true (gtk_widget_is_sensitive (save_button));
  g_assert_true (gtk_widget_is_sensitive (kdx_gui_child (dialog, "panel_box")));

  /* The last step sums it up. */
  while (kdx_classify_dialog_get_step (dialog) < KDX_QUESTION_N_GROUPS)
    {
      gtk_widget_activate_action (GTK_WIDGET (dialog), "classify.next", NULL);
      kdx_gui_iterate (50);
    }
  g_assert_cmpstr (kdx_gui_label_of (dialog, "step_label"), ==, "Step 7 of 7 · Result");
  g_assert_cmpstr (kdx_gui_label_of (dialog, "summary_risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_PROHIBITED));
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (dialog, "summary_open_group")));
  g_assert_true (has_text (kdx_gui_child (dialog, "summary_obligations_list"), "Prohibited AI practices"));
  kdx_gui_screenshot (GTK_WIDGET (dialog), shot_dir, "classify-result.png");

  /* Saved: stored, journaled, and the section follows. */
  n_classified = count_journal (f, "classify");
  kdx_gui_click (save_button);
  g_assert_true (kdx_gui_wait_for (dialog_is_gone, NULL, 5000));
  g_clear_object (&after);
  after = reload (f);
  g_assert_cmpint (kdx_system_get_risk (after), ==, KDX_RISK_PROHIBITED);
  stored = kdx_system_dup_answers (after);
  g_assert_cmpint (kdx_answers_get (stored, "p-emotion-workplace"), ==, KDX_ANSWER_YES);
  g_assert_cmpint (kdx_answers_get (stored, "workplace"), ==, KDX_ANSWER_YES);
  g_assert_cmpuint (count_journal (f, "classify"), ==, n_classified + 1);

  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_gui_label_of (section, "risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_PROHIBITED));
  g_assert_cmpstr (coverage_shown (section, "ai-act-4"), ==, kdx_coverage_get_label (KDX_COVERAGE_COVERED));
  g_assert_cmpstr (coverage_shown (section, "ai-act-5"), ==, kdx_coverage_get_label (KDX_COVERAGE_PARTLY));
  g_assert_null (kdx_gui_find_by_name (GTK_WIDGET (section), "ai-act-26"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kdx_gui_child (section, "classify_button"))), ==,
                   "Change _Answers…");
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-classification-prohibited.png");
}

/* Escape with changed answers asks first; unchanged, it just closes. */
static void
test_discard (Fixture       *f,
              gconstpointer  data)
{
  KdxSystemClassification *section = kdx_system_classification_new ();
  g_autoptr(KdxSystem) after = NULL;
  KdxClassifyDialog *dialog;
  AdwMessageDialog *alert;
  g_autofree char *before = g_strdup (kdx_system_get_answers_json (f->system));
  guint n_classified = count_journal (f, "classify");

  set_content (f, GTK_WIDGET (section), _("Classification"));
  kdx_system_classification_set_system (section, f->store, kdx_system_get_uuid (f->system));

  dialog = open_assistant (section);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (kdx_gui_wait_for (dialog_is_gone, NULL, 5000));
  g_assert_null (kdx_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  dialog = open_assistant (section);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "classify.next", NULL);
  answer (dialog, "profiling", TRUE);
  if (!kdx_gui_press_keys ((KeySym[]) { XK_Escape }, 1))
    gtk_window_close (GTK_WINDOW (dialog));
  if (!kdx_gui_wait_for (alert_is_shown, NULL, 2000))
    {
      /* No keyboard focus without a window manager: as Cancel does. */
      gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
      g_assert_true (kdx_gui_wait_for (alert_is_shown, NULL, 5000));
    }
  alert = ADW_MESSAGE_DIALOG (kdx_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (alert), ==, "Discard Changed Answers?");

  /* Keep editing: the answers stay. */
  adw_message_dialog_response (alert, "cancel");
  kdx_gui_iterate (200);
  g_assert_true (shown_dialog () == dialog);
  g_assert_cmpint (kdx_answers_get (kdx_classify_dialog_get_answers (dialog), "profiling"), ==,
                   KDX_ANSWER_YES);

  /* Discard: closed, nothing stored. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  g_assert_true (kdx_gui_wait_for (alert_is_shown, NULL, 5000));
  alert = ADW_MESSAGE_DIALOG (kdx_gui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (alert, "discard");
  g_assert_true (kdx_gui_wait_for (dialog_is_gone, NULL, 5000));
  after = reload (f);
  g_assert_cmpstr (kdx_system_get_answers_json (after), ==, before);
  g_assert_cmpuint (count_journal (f, "classify"), ==, n_classified);
}

/* A system never classified: the section invites to start, and the
 * assistant begins with the use case's suggestions, marked. */
static void
test_suggested (Fixture       *f,
                gconstpointer  data)
{
  KdxSystemClassification *section = kdx_system_classification_new ();
  g_autoptr(KdxSystem) system = kdx_system_new ();
  g_autoptr(KdxSystem) after = NULL;
  g_autoptr(GError) error = NULL;
  const KdxUseCase *use_case = kdx_use_case_lookup ("lead-scoring");
  g_autoptr(GHashTable) suggested = kdx_use_case_dup_answers (use_case);
  g_autoptr(GHashTable) partial = NULL;
  KdxClassifyDialog *dialog;
  GtkWidget *tag;

  kdx_system_set_name (system, "Lead-Bewertung Privatkunden");
  kdx_system_set_use_case (system, "lead-scoring");
  g_assert_true (kdx_system_create (f->store, system, &error));
  g_assert_no_error (error);

  set_content (f, GTK_WIDGET (section), _("Classification"));
  kdx_system_classification_set_system (section, f->store, kdx_system_get_uuid (system));
  kdx_gui_iterate (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (section, "stack"))), ==,
                   "none");
  g_assert_true (has_text (GTK_WIDGET (section), "Not Classified Yet") ||
                 g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (kdx_gui_child (section, "none_page"))),
                            "Not Classified Yet") == 0);

  kdx_gui_click (kdx_gui_child (section, "start_button"));
  g_assert_true (kdx_gui_wait_for (dialog_is_shown, NULL, 10000));
  dialog = shown_dialog ();
  g_assert_cmpuint (g_hash_table_size (kdx_classify_dialog_get_answers (dialog)), ==,
                    g_hash_table_size (suggested));

  /* The suggestion is marked until the user answers. */
  tag = kdx_gui_find_by_name (GTK_WIDGET (dialog), "role-deployer:suggested");
  g_assert_true (GTK_IS_LABEL (tag));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (tag)), ==, "Suggested");
  g_assert_true (gtk_widget_get_visible (tag));
  answer (dialog, "role-deployer", TRUE);
  g_assert_false (gtk_widget_get_visible (tag));

  /* Saved as they stand: classified with them. */
  kdx_gui_click (kdx_gui_child (dialog, "save_button"));
  g_assert_true (kdx_gui_wait_for (dialog_is_gone, NULL, 5000));
  after = kdx_system_load (f->store, kdx_system_get_uuid (system), &error);
  g_assert_no_error (error);
  g_assert_nonnull (kdx_system_get_classified (after));
  kdx_gui_iterate (100);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (section, "stack"))), ==,
                   "classified");
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (section, "incomplete_box")));

  /* Classified with the role questions only: no class yet, and the
   * section says how much is open. */
  partial = kdx_answers_new ();
  kdx_answers_set (partial, "role-provider", KDX_ANSWER_NO);
  kdx_answers_set (partial, "role-deployer", KDX_ANSWER_YES);
  g_assert_true (kdx_system_classify (f->store, kdx_system_get_uuid (system), partial, NULL, &error));
  g_assert_no_error (error);
  kdx_gui_iterate (100);
  g_assert_cmpstr (kdx_gui_label_of (section, "risk_label"), ==, kdx_risk_class_get_label (KDX_RISK_UNCLASSIFIED));
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (section, "incomplete_box")));
  g_assert_true (g_str_has_prefix (kdx_gui_label_of (section, "incomplete_label"),
                                   "The classification is incomplete: "));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kdx_gui_child (section, "classify_button"))), ==,
                   "_Classify…");
}

static GPtrArray *
raci_of (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *raci = kdx_system_list_raci (f->store, kdx_system_get_uuid (f->system), &error);

  g_assert_no_error (error);
  return raci;
}

static KdxRaciRole
role_of (GPtrArray  *raci,
         const char *person)
{
  for (guint i = 0; i < raci->len; i++)
    {
      KdxSystemPerson *entry = raci->pdata[i];

      if (g_strcmp0 (entry->person, person) == 0)
        return entry->role;
    }

  return KDX_RACI_N_ROLES;
}

static void
click_role (KdxSystemOversight *oversight,
            const char         *person,
            const char         *role)
{
  g_autofree char *name = g_strdup_printf ("%s:%s", person, role);
  GtkWidget *toggle = kdx_gui_find_by_name (GTK_WIDGET (oversight), name);

  g_assert_nonnull (toggle);
  kdx_gui_click (toggle);
}

static gboolean
role_active (KdxSystemOversight *oversight,
             const char         *person,
             const char         *role)
{
  g_autofree char *name = g_strdup_printf ("%s:%s", person, role);
  GtkWidget *toggle = kdx_gui_find_by_name (GTK_WIDGET (oversight), name);

  g_assert_nonnull (toggle);
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle));
}

static void
test_oversight (Fixture       *f,
                gconstpointer  data)
{
  KdxSystemOversight *oversight = kdx_system_oversight_new ();
  const char *uuid = kdx_system_get_uuid (f->system);
  g_autoptr(GPtrArray) raci = NULL;
  g_autoptr(GPtrArray) overseers = NULL;
  g_autoptr(KdxSystem) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GtkWidget *raci_chooser, *overseer_chooser, *remove;
  AdwComboRow *mode_row;

  set_content (f, GTK_WIDGET (oversight), _("Oversight"));
  kdx_system_oversight_set_system (oversight, f->store, uuid);
  kdx_gui_iterate (100);

  /* The mode from the use case, with what it means. */
  mode_row = ADW_COMBO_ROW (kdx_gui_child (oversight, "mode_row"));
  g_assert_cmpuint (adw_combo_row_get_selected (mode_row), ==, KDX_OVERSIGHT_IN_THE_LOOP + 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (mode_row)), ==,
                   "A person decides every case; the system only proposes");
  g_assert_true (has_text (kdx_gui_child (oversight, "hint_grid"),
                           "Accountable — answers for the system and signs off; exactly one person"));

  /* Three people in the matrix: the first is Accountable, the others
   * Informed, each stored as added. */
  raci_chooser = kdx_gui_child (oversight, "raci_chooser");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (kdx_gui_child (oversight, "raci_stack"))), ==, "empty");
  for (guint i = 0; i < 3; i++)
    {
      g_signal_emit_by_name (raci_chooser, "chosen", f->people[i]);
      kdx_gui_iterate (20);
    }
  raci = raci_of (f);
  g_assert_cmpuint (raci->len, ==, 3);
  g_assert_cmpint (role_of (raci, f->people[0]), ==, KDX_RACI_ACCOUNTABLE);
  g_assert_cmpint (role_of (raci, f->people[1]), ==, KDX_RACI_INFORMED);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (oversight, "raci_error_revealer"))));

  /* Two Accountables: refused by core, said inline, the edit kept. */
  click_role (oversight, f->people[1], "A");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (oversight, "raci_error_revealer"))));
  g_assert_true (g_str_has_prefix (kdx_gui_label_of (oversight, "raci_error_label"),
                                   "Name exactly one person as Accountable"));
  g_assert_true (kdx_system_oversight_has_pending_raci (oversight));
  g_clear_pointer (&raci, g_ptr_array_unref);
  raci = raci_of (f);
  g_assert_cmpint (role_of (raci, f->people[1]), ==, KDX_RACI_INFORMED);
  /* Another change elsewhere does not throw the edits away. */
  gtk_editable_set_text (GTK_EDITABLE (kdx_gui_child (oversight, "explainability_row")),
                         "Die drei stärksten Merkmale stehen neben jedem Hinweis.");
  g_signal_emit_by_name (kdx_gui_child (oversight, "explainability_row"), "apply");
  kdx_gui_iterate (50);
  g_assert_true (role_active (oversight, f->people[1], "A"));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (oversight, "raci_error_revealer"))));

  /* Fixed: the first becomes Responsible, and the matrix is stored. */
  click_role (oversight, f->people[0], "R");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (kdx_gui_child (oversight, "raci_error_revealer"))));
  g_assert_false (kdx_system_oversight_has_pending_raci (oversight));
  g_clear_pointer (&raci, g_ptr_array_unref);
  raci = raci_of (f);
  g_assert_cmpuint (raci->len, ==, 3);
  g_assert_cmpint (role_of (raci, f->people[0]), ==, KDX_RACI_RESPONSIBLE);
  g_assert_cmpint (role_of (raci, f->people[1]), ==, KDX_RACI_ACCOUNTABLE);
  g_assert_cmpint (role_of (raci, f->people[2]), ==, KDX_RACI_INFORMED);
  click_role (oversight, f->people[2], "C");
  g_clear_pointer (&raci, g_ptr_array_unref);
  raci = raci_of (f);
  g_assert_cmpint (role_of (raci, f->people[2]), ==, KDX_RACI_CONSULTED);

  /* Overseers: one added through the chooser, someone unknown refused
   * with core's message, one removed. */
  overseer_chooser = kdx_gui_child (oversight, "overseer_chooser");
  g_signal_emit_by_name (overseer_chooser, "chosen", f->people[3]);
  kdx_gui_iterate (20);
  g_signal_emit_by_name (overseer_chooser, "chosen", f->people[1]);
  kdx_gui_iterate (20);
  overseers = kdx_system_list_overseers (f->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overseers->len, ==, 2);
  g_assert_true (has_text (kdx_gui_child (oversight, "overseers_list"), "Mia Roth"));
  g_assert_false (kdx_system_oversight_add_overseer (oversight, "00000000-0000-0000-0000-000000000000"));
  g_assert_true (gtk_widget_get_visible (kdx_gui_child (oversight, "overseers_error_label")));
  g_assert_cmpstr (kdx_gui_label_of (oversight, "overseers_error_label"), !=, "");
  name = g_strdup_printf ("overseer:%s", f->people[1]);
  remove = kdx_gui_find_by_type (kdx_gui_find_by_name (GTK_WIDGET (oversight), name), GTK_TYPE_BUTTON);
  kdx_gui_click (remove);
  g_clear_pointer (&overseers, g_ptr_array_unref);
  overseers = kdx_system_list_overseers (f->store, uuid, &error);
  g_assert_cmpuint (overseers->len, ==, 1);
  g_assert_cmpstr (((KdxSystemPerson *) overseers->pdata[0])->name, ==, "Mia Roth");
  g_assert_false (gtk_widget_get_visible (kdx_gui_child (oversight, "overseers_error_label")));

  /* The oversight mode, stored when chosen. */
  adw_combo_row_set_selected (mode_row, KDX_OVERSIGHT_ON_THE_LOOP + 1);
  kdx_gui_iterate (50);
  after = reload (f);
  g_assert_cmpint (kdx_system_get_oversight (after), ==, KDX_OVERSIGHT_ON_THE_LOOP);
  g_assert_cmpstr (kdx_system_get_explainability (after), ==,
                   "Die drei stärksten Merkmale stehen neben jedem Hinweis.");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (mode_row)), ==,
                   "The system acts; a person monitors it and can step in");
  g_assert_cmpuint (count_journal (f, "set-raci"), >=, 3);

  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-oversight.png");

  /* The refusal, as the user sees it. */
  click_role (oversight, f->people[2], "A");
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "system-oversight-error.png");
  kdx_gui_click (kdx_gui_child (oversight, "raci_revert_button"));
  g_assert_false (kdx_system_oversight_has_pending_raci (oversight));
  g_assert_true (role_active (oversight, f->people[2], "C"));
}

/* ------------------------------------------------------------------ */

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int status;

  kdx_gui_test_init (&argc, &argv, "kodex-classify-XXXXXX", &tmpdir, &shot_dir);

  ADD ("/kdx/classify-dialog/classify", test_classify);
  ADD ("/kdx/classify-dialog/discard", test_discard);
  ADD ("/kdx/classify-dialog/suggested", test_suggested);
  ADD ("/kdx/classify-dialog/oversight", test_oversight);

  status = kdx_gui_test_run (&app, 0);
  g_rmdir (tmpdir);

  return status;
}
