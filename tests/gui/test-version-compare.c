/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI tests of "Compare versions" under Xvfb: a real workspace in which a
 * policy went through the committee twice (1.0 and 1.1 published, 2.0 in
 * review), shown in a window of its own. What a person sees is checked:
 * the choice of versions, the summary, exactly which words are struck
 * through and which are underlined, the inline view, going from change to
 * change, both sides scrolling together, the empty and identical states,
 * dark style — and how long a 70 KB pair keeps the window from drawing.
 */
#define G_LOG_DOMAIN "kdx-test-version-compare"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-diff.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-store.h"
#include "kdx-ui-resources.h"
#include "kdx-version-compare.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static char *tmpdir;
static char *shot_dir;
static KdxStore *store;
static char *members[3];
static GPtrArray *history;     /* 1.0 and 1.1 published, 2.0 in review */
static GPtrArray *unchanged;   /* 1.0 published, 1.1 a draft not yet edited */
static GPtrArray *large;       /* two versions of about 70 KB each */

/* ------------------------------------------------------------------ */
/* The texts                                                          */

static const char intro[] =
  "# Transparenz beim Einsatz von KI im Vertrieb\n"
  "\n"
  "## 1. Geltungsbereich\n"
  "\n"
  "Diese Richtlinie gilt für alle Teams im Vertrieb, die KI-Systeme im Kontakt mit "
  "Kunden einsetzen: Lead-Scoring, Chatbots, Gesprächsanalyse und dynamische Preise.\n"
  "\n"
  "## 2. Offenlegung\n"
  "\n";

static const char disclosure_1_0[] =
  "Kunden werden informiert, wenn ein Chatbot antwortet. Die Information erfolgt schriftlich.\n";
static const char disclosure_1_1[] =
  "Kundinnen und Kunden werden vorab informiert, wenn ein Chatbot antwortet. "
  "Die Information erfolgt schriftlich.\n";
static const char disclosure_2_0[] =
  "Kundinnen und Kunden werden vorab informiert, wenn ein Chatbot antwortet.\n";

static const char oversight_1[] =
  "\n## 4. Aufsicht\n"
  "\n"
  "Jede automatisierte Preisempfehlung wird von einer Führungskraft geprüft, bevor sie "
  "dem Kunden gezeigt wird.\n";
static const char oversight_2[] =
  "\n## 4. Aufsicht\n"
  "\n"
  "Jede automatisierte Preisempfehlung wird von einer verantwortlichen Person geprüft, "
  "bevor sie dem Kunden gezeigt wird.\n"
  "\n"
  "## 5. Schulung\n"
  "\n"
  "Alle Mitarbeitenden im Vertrieb absolvieren jährlich eine Schulung zur KI-Kompetenz.\n";

/* Section 3: unchanged paragraphs, enough that the last change lies below
 * the first screen. */
static char *
principles (void)
{
  GString *text = g_string_new ("\n## 3. Grundsätze\n");

  for (guint i = 1; i <= 14; i++)
    g_string_append_printf (text,
                            "\n3.%u Ein KI-System im Vertrieb unterstützt Menschen und ersetzt "
                            "nicht ihr Urteil. Wer eine Empfehlung des Systems nutzt, kann sie "
                            "erklären und weicht begründet von ihr ab, wenn der Einzelfall es "
                            "verlangt. Die Gründe werden im Kundenvorgang dokumentiert.\n", i);

  return g_string_free (text, FALSE);
}

static char *
policy_text (const char *disclosure,
             const char *oversight)
{
  g_autofree char *middle = principles ();

  return g_strconcat (intro, disclosure, middle, oversight, NULL);
}

/* About 70 KB of numbered paragraphs; the newer text replaces a few words
 * in every seventh paragraph, drops every 23rd and has a new chapter of
 * 20 paragraphs after § 10, so a proportional scroll would be far off. */
static char *
large_text (gboolean newer)
{
  static const char *words[] = {
    "Vertrieb", "Kundin", "Kunde", "Modell", "Entscheidung", "Daten", "Prüfung",
    "Transparenz", "Angebot", "Preis", "Gespräch", "Bewertung", "Risiko", "Aufsicht",
    "Schulung", "Einwilligung", "Zweck", "Fairness", "Empfehlung", "muss", "soll", "darf",
    "wird", "nachvollziehbar", "dokumentiert", "erklärt", "geprüft", "freigegeben", "die",
    "der", "das", "und", "oder", "mit", "für", "bei", "vor", "nach",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4711);
  GString *text = g_string_new ("# Große Richtlinie\n");

  for (guint p = 1; p <= 220; p++)
    {
      gboolean dropped = newer && p % 23 == 0;

      if (!dropped)
        g_string_append_printf (text, "\n§ %u. ", p);
      for (guint w = 0; w < 42; w++)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          if (newer && p % 7 == 0 && (w == 5 || w == 30))
            word = "Verantwortung";
          if (!dropped)
            g_string_append_printf (text, w == 0 ? "%s" : " %s", word);
        }
      if (!dropped)
        g_string_append (text, ".\n");

      if (newer && p == 10)
        for (guint a = 1; a <= 20; a++)
          g_string_append_printf (text, "\n§ A%u. Neuer Anhang mit Beispielen aus dem Vertrieb, "
                                  "die zeigen, wie die Regeln im Alltag angewendet werden und "
                                  "wer im Zweifel entscheidet, bevor ein Angebot das Haus "
                                  "verlässt.\n", a);
    }

  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------ */
/* The workspace                                                      */

static char *
add_member (const char *name)
{
  g_autoptr(KdxPerson) person = kdx_person_new ();
  g_autoptr(GError) error = NULL;

  kdx_person_set_name (person, name);
  kdx_person_set_department (person, "Ethikgremium");
  kdx_person_set_committee (person, TRUE);
  g_assert_true (kdx_person_insert (store, person, &error));
  g_assert_no_error (error);

  return g_strdup (kdx_person_get_uuid (person));
}

static void
submit (const char *version_uuid,
        const char *summary)
{
  g_autoptr(GError) error = NULL;

  kdx_store_set_actor (store, members[0]);
  g_assert_true (kdx_policy_submit (store, version_uuid, summary, &error));
  g_assert_no_error (error);
}

/* Three of three approve ("majority:3"), then it is published. */
static void
approve_and_publish (const char *version_uuid,
                     const char *effective)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      kdx_store_set_actor (store, members[i]);
      g_assert_true (kdx_policy_vote (store, version_uuid, KDX_VOTE_APPROVE, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  kdx_store_set_actor (store, members[0]);
  g_assert_true (kdx_policy_publish (store, version_uuid, effective, &error));
  g_assert_no_error (error);
}

static KdxPolicy *
create_policy (const char *title,
               const char *body)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GError) error = NULL;

  kdx_policy_set_title (policy, title);
  kdx_policy_set_kind (policy, KDX_POLICY_KIND_POLICY);
  kdx_policy_set_area (policy, KDX_POLICY_AREA_TRANSPARENCY);
  kdx_policy_set_owner (policy, members[1]);
  kdx_store_set_actor (store, members[0]);
  g_assert_true (kdx_policy_create (store, policy, body, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&policy);
}

/* A new draft of @policy with @body (NULL: the text it starts with). */
static KdxPolicyVersion *
redraft (KdxPolicy  *policy,
         gboolean    major,
         const char *body)
{
  g_autoptr(GError) error = NULL;
  KdxPolicyVersion *draft = kdx_policy_new_draft (store, kdx_policy_get_uuid (policy), major,
                                                  &error);

  g_assert_no_error (error);
  if (body != NULL)
    {
      g_assert_true (kdx_policy_save_draft (store, kdx_policy_version_get_uuid (draft), body,
                                            &error));
      g_assert_no_error (error);
    }

  return draft;
}

static GPtrArray *
versions_of (KdxPolicy *policy)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *versions = kdx_policy_list_versions (store, kdx_policy_get_uuid (policy), &error);

  g_assert_no_error (error);

  return versions;
}

/* Creates a policy with @body as 1.0 and votes it through. */
static KdxPolicy *
publish_policy (const char *title,
                const char *body,
                const char *effective)
{
  KdxPolicy *policy = create_policy (title, body);
  g_autoptr(GPtrArray) versions = versions_of (policy);
  const char *uuid = kdx_policy_version_get_uuid (versions->pdata[0]);

  submit (uuid, "Erste Fassung");
  approve_and_publish (uuid, effective);

  return policy;
}

static void
build_workspace (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "Vergleich.kodex", NULL);
  g_autofree char *text_1_0 = policy_text (disclosure_1_0, oversight_1);
  g_autofree char *text_1_1 = policy_text (disclosure_1_1, oversight_1);
  g_autofree char *text_2_0 = policy_text (disclosure_2_0, oversight_2);
  g_autofree char *large_old = large_text (FALSE);
  g_autofree char *large_new = large_text (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPolicy) policy = NULL;
  g_autoptr(KdxPolicy) other = NULL;
  g_autoptr(KdxPolicy) big = NULL;
  g_autoptr(KdxPolicyVersion) v1_1 = NULL;
  g_autoptr(KdxPolicyVersion) v2_0 = NULL;
  g_autoptr(KdxPolicyVersion) draft = NULL;
  g_autoptr(KdxPolicyVersion) big_draft = NULL;
  const char *names[] = { "Anna Alt", "Bernd Brück", "Cem Çelik" };

  store = kdx_store_create (path, "Vergleich GmbH", "de", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    members[i] = add_member (names[i]);
  g_assert_true (kdx_store_set_setting (store, "quorum", "majority:3", &error));
  g_assert_no_error (error);

  policy = publish_policy ("Transparenz im Vertrieb", text_1_0, "2026-01-15");
  v1_1 = redraft (policy, FALSE, text_1_1);
  submit (kdx_policy_version_get_uuid (v1_1), "Offenlegung vorab und für alle");
  approve_and_publish (kdx_policy_version_get_uuid (v1_1), "2026-03-01");
  v2_0 = redraft (policy, TRUE, text_2_0);
  submit (kdx_policy_version_get_uuid (v2_0), "Aufsicht durch die verantwortliche Person, "
                                              "neuer Abschnitt Schulung");
  history = versions_of (policy);
  g_assert_cmpuint (history->len, ==, 3);

  other = publish_policy ("Umgang mit Kundendaten", text_1_0, "2026-02-01");
  draft = redraft (other, FALSE, NULL);
  unchanged = versions_of (other);

  big = publish_policy ("Große Richtlinie", large_old, "2026-01-01");
  big_draft = redraft (big, FALSE, large_new);
  large = versions_of (big);
  g_assert_cmpuint (strlen (kdx_policy_version_get_body (large->pdata[0])), >=, 70 * 1024);
  g_assert_cmpuint (strlen (kdx_policy_version_get_body (large->pdata[1])), >=, 70 * 1024);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
compared (gpointer data)
{
  return !kdx_version_compare_is_busy (data);
}

static gpointer
part (KdxVersionCompare *compare,
      const char        *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (compare), KDX_TYPE_VERSION_COMPARE,
                                                   name);

  g_assert_nonnull (object);

  return object;
}

typedef gboolean (*Match) (GtkWidget *widget, const char *what);

static GtkWidget *
find_widget (GtkWidget  *root,
             Match       match,
             const char *what)
{
  if (match (root, what))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, what);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_action_button (GtkWidget  *widget,
                  const char *action)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0 &&
         !GTK_IS_TOGGLE_BUTTON (widget);
}

static gboolean
is_toggle_for (GtkWidget  *widget,
               const char *target)
{
  GVariant *value;

  if (!GTK_IS_TOGGLE_BUTTON (widget))
    return FALSE;
  value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));

  return value != NULL && g_strcmp0 (g_variant_get_string (value, NULL), target) == 0;
}

static const char *
label_of (KdxVersionCompare *compare,
          const char        *name)
{
  return gtk_label_get_label (part (compare, name));
}

static const char *
visible_page (KdxVersionCompare *compare)
{
  return gtk_stack_get_visible_child_name (part (compare, "view_stack"));
}

static GtkTextBuffer *
buffer_of (KdxVersionCompare *compare,
           const char        *view)
{
  return gtk_text_view_get_buffer (part (compare, view));
}

/* The runs of text that carry @tag_name, joined by "|". */
static char *
tagged_runs (GtkTextBuffer *buffer,
             const char    *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_free);
  GtkTextIter start, end;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_start_iter (buffer, &start);
  for (;;)
    {
      if (!gtk_text_iter_starts_tag (&start, tag) && !gtk_text_iter_forward_to_tag_toggle (&start, tag))
        break;
      if (gtk_text_iter_is_end (&start))
        break;
      end = start;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      g_ptr_array_add (runs, gtk_text_iter_get_text (&start, &end));
      start = end;
    }
  g_ptr_array_add (runs, NULL);

  return g_strjoinv ("|", (char **) runs->pdata);
}

/* The text of @buffer without the runs that carry @tag_name. */
static char *
text_without (GtkTextBuffer *buffer,
              const char    *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GString *text = g_string_new (NULL);
  GtkTextIter start, end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  while (!gtk_text_iter_is_end (&start))
    {
      end = start;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      if (!gtk_text_iter_has_tag (&start, tag))
        {
          g_autofree char *run = gtk_text_iter_get_text (&start, &end);

          g_string_append (text, run);
        }
      start = end;
    }

  return g_string_free (text, FALSE);
}

static char *
selected_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  if (!gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    return g_strdup ("");

  return gtk_text_iter_get_text (&start, &end);
}

static int
cursor_offset (GtkTextBuffer *buffer)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));

  return gtk_text_iter_get_offset (&iter);
}

/* Runs the main loop until the text views have laid out all their lines
 * (their heights stay put for a while): until then, each step can move a
 * scroll bar while a frame is drawn. */
static void
wait_for_layout (KdxVersionCompare *compare)
{
  const char *views[] = { "old_view", "new_view", "inline_view" };
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 steady_since = g_get_monotonic_time ();
  double heights = -1;

  while (g_get_monotonic_time () - steady_since < 300 * 1000 && g_get_monotonic_time () < end)
    {
      double now = 0;

      for (guint i = 0; i < G_N_ELEMENTS (views); i++)
        now += gtk_adjustment_get_upper (gtk_scrollable_get_vadjustment (part (compare, views[i])));
      if (now != heights)
        steady_since = g_get_monotonic_time ();
      heights = now;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Saves the window of @compare as @name in the screenshot folder, once
 * its text views are laid out. */
static void
save_screenshot (KdxVersionCompare *compare,
                 const char        *name)
{
  wait_for_layout (compare);
  kdx_gui_screenshot (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (compare))), shot_dir, name);
}

/* A window as the policy page would open it, with the widget comparing
 * @versions. */
static KdxVersionCompare *
open_compare (GPtrArray *versions,
              guint      old_index,
              guint      new_index)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  KdxVersionCompare *compare = kdx_version_compare_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new ("Compare Versions",
                                                         "POL-001 · Transparenz im Vertrieb"));
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (GTK_WIDGET (compare), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (compare));
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, window, 10000));

  kdx_version_compare_set_versions (compare, versions, old_index, new_index);
  g_assert_true (kdx_gui_wait_for (compared, compare, 10000));
  kdx_gui_iterate (100);

  return compare;
}

/* Closes the window of @compare, after a screenshot named @screenshot
 * (unless NULL). */
static void
close_compare (KdxVersionCompare *compare,
               const char        *screenshot)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (compare)));

  if (screenshot != NULL)
    save_screenshot (compare, screenshot);
  gtk_window_destroy (GTK_WINDOW (window));
  kdx_gui_iterate (50);
}

static char *
item_text (GtkDropDown *dropdown,
           guint        position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (gtk_drop_down_get_model (dropdown),
                                                           position);

  return g_strdup (gtk_string_object_get_string (item));
}

/* ------------------------------------------------------------------ */
/* The tests                                                          */

/* What the default comparison shows: the version before the newest with
 * the newest, the words removed and added, each exactly. */
static void
test_side_by_side (void)
{
  KdxVersionCompare *compare = open_compare (history, KDX_VERSION_COMPARE_DEFAULT,
                                             KDX_VERSION_COMPARE_DEFAULT);
  GtkDropDown *old_dropdown = part (compare, "old_dropdown");
  GtkDropDown *new_dropdown = part (compare, "new_dropdown");
  g_autofree char *first = item_text (old_dropdown, 0);
  g_autofree char *newest = item_text (old_dropdown, 2);
  g_autofree char *deleted = tagged_runs (buffer_of (compare, "old_view"), "deleted");
  g_autofree char *inserted = tagged_runs (buffer_of (compare, "new_view"), "inserted");
  g_autofree char *stray_inserted = tagged_runs (buffer_of (compare, "old_view"), "inserted");
  g_autofree char *stray_deleted = tagged_runs (buffer_of (compare, "new_view"), "deleted");

  g_assert_cmpuint (gtk_drop_down_get_selected (old_dropdown), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (new_dropdown), ==, 2);
  g_assert_cmpstr (first, ==, "1.0 · Superseded, published 2026-01-15");
  g_assert_true (g_str_has_prefix (newest, "2.0 · In review since "));
  g_assert_cmpstr (label_of (compare, "old_heading"), ==, "1.1 · Published 2026-03-01");
  g_assert_cmpstr (visible_page (compare), ==, "side-by-side");

  g_assert_cmpstr (label_of (compare, "summary_label"), ==, "15 words added, 5 words removed");
  g_assert_cmpstr (label_of (compare, "change_summary_label"), ==,
                   "2.0: Aufsicht durch die verantwortliche Person, neuer Abschnitt Schulung");

  g_assert_cmpstr (deleted, ==, " Die Information erfolgt schriftlich.| Führungskraft");
  g_assert_cmpstr (inserted, ==, " verantwortlichen Person|\n"
                                 "\n## 5. Schulung\n"
                                 "\nAlle Mitarbeitenden im Vertrieb absolvieren jährlich eine "
                                 "Schulung zur KI-Kompetenz.");
  g_assert_cmpstr (stray_inserted, ==, "");
  g_assert_cmpstr (stray_deleted, ==, "");

  close_compare (compare, "version-compare.png");
}

static gboolean
shows_inline (gpointer data)
{
  return g_strcmp0 (visible_page (data), "inline") == 0;
}

static gboolean
shows_side_by_side (gpointer data)
{
  return g_strcmp0 (visible_page (data), "side-by-side") == 0;
}

/* Inline: one text, each removal right before what replaces it. */
static void
test_inline (void)
{
  KdxVersionCompare *compare = open_compare (history, 0, 2);
  GtkWidget *inline_button = find_widget (GTK_WIDGET (compare), is_toggle_for, "inline");
  GtkWidget *side_button = find_widget (GTK_WIDGET (compare), is_toggle_for, "side-by-side");
  g_autofree char *mode = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *inserted = NULL;
  g_autofree char *without_deleted = NULL;
  g_autofree char *without_inserted = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_assert_cmpstr (label_of (compare, "summary_label"), ==, "18 words added, 5 words removed");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (side_button)));

  /* As a keyboard user would: the button is pressed for a moment. */
  gtk_widget_activate (inline_button);
  g_assert_true (kdx_gui_wait_for (shows_inline, compare, 10000));
  g_object_get (compare, "view-mode", &mode, NULL);
  g_assert_cmpstr (mode, ==, "inline");
  g_assert_cmpstr (visible_page (compare), ==, "inline");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (inline_button)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (side_button)));

  buffer = buffer_of (compare, "inline_view");
  deleted = tagged_runs (buffer, "deleted");
  inserted = tagged_runs (buffer, "inserted");
  g_assert_cmpstr (deleted, ==, " Die Information erfolgt schriftlich.| Führungskraft");
  g_assert_cmpstr (inserted, ==, "Kundinnen und |vorab | verantwortlichen Person|\n"
                                 "\n## 5. Schulung\n"
                                 "\nAlle Mitarbeitenden im Vertrieb absolvieren jährlich eine "
                                 "Schulung zur KI-Kompetenz.");

  /* Without the removed words it is the newer text, without the added
   * ones the older; a replaced word stands right before its replacement. */
  without_deleted = text_without (buffer, "deleted");
  without_inserted = text_without (buffer, "inserted");
  g_assert_cmpstr (without_deleted, ==, kdx_policy_version_get_body (history->pdata[2]));
  g_assert_cmpstr (without_inserted, ==, kdx_policy_version_get_body (history->pdata[0]));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_iter_get_text (&start, &end);
  g_assert_nonnull (strstr (text, "von einer Führungskraft verantwortlichen Person geprüft"));

  save_screenshot (compare, "version-compare-inline.png");

  /* Back, and the choice stays with the widget. */
  gtk_widget_activate (side_button);
  g_assert_true (kdx_gui_wait_for (shows_side_by_side, compare, 10000));
  g_assert_cmpstr (visible_page (compare), ==, "side-by-side");
  close_compare (compare, NULL);
}

/* Whether @view has scrolled down to show its cursor (a view lays out its
 * lines in the background; until then it knows no places). */
static gboolean
scrolled_to_cursor (gpointer data)
{
  GtkTextView *view = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle visible, location;
  GtkTextIter iter;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_iter_location (view, &iter, &location);

  return visible.y > 0 && location.y >= visible.y &&
         location.y + location.height <= visible.y + visible.height;
}

/* Next and Previous select each change on both sides and bring it into
 * view; both sides scroll together. */
static void
test_next_change (void)
{
  KdxVersionCompare *compare = open_compare (history, KDX_VERSION_COMPARE_DEFAULT,
                                             KDX_VERSION_COMPARE_DEFAULT);
  GtkTextBuffer *old_buffer = buffer_of (compare, "old_view");
  GtkTextBuffer *new_buffer = buffer_of (compare, "new_view");
  GtkAdjustment *new_adj = gtk_scrollable_get_vadjustment (part (compare, "new_view"));
  g_autofree char *old_first = NULL;
  g_autofree char *new_first = NULL;
  g_autofree char *old_last = NULL;
  g_autofree char *new_last = NULL;
  g_autofree char *new_full = NULL;
  g_autofree char *old_full = NULL;
  GtkTextIter start, end;
  int last_offset;

  g_assert_cmpint (cursor_offset (new_buffer), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (new_adj), ==, 0);
  /* As after a click into the newer text. */
  gtk_widget_grab_focus (part (compare, "new_view"));

  /* The first change removes a sentence: nothing to select on the right,
   * the cursor stands where it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), "compare.next-change", NULL));
  old_first = selected_text (old_buffer);
  new_first = selected_text (new_buffer);
  g_assert_cmpstr (old_first, ==, " Die Information erfolgt schriftlich.");
  g_assert_cmpstr (new_first, ==, "");
  gtk_text_buffer_get_bounds (new_buffer, &start, &end);
  new_full = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpint (cursor_offset (new_buffer), ==,
                   g_utf8_pointer_to_offset (new_full, strstr (new_full, "antwortet.") + 10));

  /* The second replaces a word, down the page: both sides follow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), "compare.next-change", NULL));
  old_last = selected_text (old_buffer);
  new_last = selected_text (new_buffer);
  g_assert_cmpstr (old_last, ==, "");
  g_assert_cmpstr (new_last, ==, " verantwortlichen Person");
  g_assert_cmpint (cursor_offset (new_buffer), ==,
                   g_utf8_pointer_to_offset (new_full, strstr (new_full, " verantwortlichen")));
  gtk_text_buffer_get_bounds (old_buffer, &start, &end);
  old_full = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpint (cursor_offset (old_buffer), ==,
                   g_utf8_pointer_to_offset (old_full, strstr (old_full, " Führungskraft")));
  g_assert_true (kdx_gui_wait_for (scrolled_to_cursor, part (compare, "new_view"), 5000));
  g_assert_true (kdx_gui_wait_for (scrolled_to_cursor, part (compare, "old_view"), 5000));

  /* The third adds a section; after it there is no next. */
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.next-change", NULL);
  last_offset = cursor_offset (new_buffer);
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.next-change", NULL);
  g_assert_cmpint (cursor_offset (new_buffer), ==, last_offset);

  /* Previous goes back to the replaced word. */
  gtk_widget_activate_action (GTK_WIDGET (compare), "compare.previous-change", NULL);
  g_clear_pointer (&new_last, g_free);
  new_last = selected_text (new_buffer);
  g_assert_cmpstr (new_last, ==, " verantwortlichen Person");
  close_compare (compare, "version-compare-next.png");
}

/* Alt+Down and F7 go on, Alt+Up and Shift+F7 back. */
static void
test_shortcuts (void)
{
  KdxVersionCompare *compare = kdx_version_compare_new ();
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (compare));
  g_autoptr(GString) found = g_string_new (NULL);

  g_object_ref_sink (compare);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (strstr (action, "change") != NULL)
            g_string_append_printf (found, "%s %s\n", trigger, action);
        }
    }

  g_assert_cmpstr (found->str, ==,
                   "<Alt>Down action(compare.next-change)\n"
                   "<Alt>Up action(compare.previous-change)\n"
                   "F7 action(compare.next-change)\n"
                   "<Shift>F7 action(compare.previous-change)\n");
  g_object_unref (compare);
}

static void
test_swap (void)
{
  KdxVersionCompare *compare = open_compare (history, 1, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), "compare.swap", NULL));
  g_assert_true (kdx_gui_wait_for (compared, compare, 10000));
  g_assert_cmpuint (gtk_drop_down_get_selected (part (compare, "old_dropdown")), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (part (compare, "new_dropdown")), ==, 1);
  g_assert_true (g_str_has_prefix (label_of (compare, "old_heading"), "2.0 · "));
  g_assert_cmpstr (label_of (compare, "summary_label"), ==, "5 words added, 15 words removed");
  close_compare (compare, NULL);
}

static void
assert_status (KdxVersionCompare *compare,
               const char        *title)
{
  GtkWidget *next = find_widget (GTK_WIDGET (compare), is_action_button, "compare.next-change");

  g_assert_cmpstr (visible_page (compare), ==, "status");
  g_assert_cmpstr (adw_status_page_get_title (part (compare, "status_page")), ==, title);
  g_assert_false (gtk_widget_is_sensitive (next));
}

static void
test_identical (void)
{
  KdxVersionCompare *compare = open_compare (unchanged, KDX_VERSION_COMPARE_DEFAULT,
                                             KDX_VERSION_COMPARE_DEFAULT);

  assert_status (compare, "The Two Versions Are Identical");
  g_assert_cmpstr (adw_status_page_get_description (part (compare, "status_page")), ==,
                   "Versions 1.0 and 1.1 have the same text.");
  g_assert_true (gtk_widget_get_visible (part (compare, "toolbar")));
  save_screenshot (compare, "version-compare-identical.png");

  /* The same version chosen twice says so, and a real choice shows text. */
  gtk_drop_down_set_selected (part (compare, "new_dropdown"), 0);
  assert_status (compare, "The Same Version on Both Sides");
  kdx_version_compare_set_versions (compare, history, 0, 0);
  g_assert_true (kdx_gui_wait_for (compared, compare, 10000));
  assert_status (compare, "The Same Version on Both Sides");
  gtk_drop_down_set_selected (part (compare, "new_dropdown"), 2);
  g_assert_true (kdx_gui_wait_for (compared, compare, 10000));
  g_assert_cmpstr (visible_page (compare), ==, "side-by-side");
  close_compare (compare, NULL);
}

static void
test_empty (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  KdxVersionCompare *compare = open_compare (NULL, 0, 0);

  assert_status (compare, "No Versions to Compare");
  g_assert_false (gtk_widget_get_visible (part (compare, "toolbar")));
  save_screenshot (compare, "version-compare-empty.png");

  kdx_version_compare_set_versions (compare, none, 0, 0);
  assert_status (compare, "No Versions to Compare");

  g_ptr_array_add (one, history->pdata[0]);
  kdx_version_compare_set_versions (compare, one, KDX_VERSION_COMPARE_DEFAULT,
                                    KDX_VERSION_COMPARE_DEFAULT);
  assert_status (compare, "Only One Version");
  close_compare (compare, NULL);
}

/* Called again with the same versions (as a page does after a store
 * change), the person's choice stays; other versions start afresh. */
static void
test_keeps_choice (void)
{
  KdxVersionCompare *compare = open_compare (history, KDX_VERSION_COMPARE_DEFAULT,
                                             KDX_VERSION_COMPARE_DEFAULT);
  GtkDropDown *old_dropdown = part (compare, "old_dropdown");
  GtkDropDown *new_dropdown = part (compare, "new_dropdown");
  g_autoptr(GPtrArray) reloaded = g_ptr_array_copy (history, (GCopyFunc) g_object_ref, NULL);

  g_ptr_array_set_free_func (reloaded, g_object_unref);
  gtk_drop_down_set_selected (old_dropdown, 0);
  g_assert_true (kdx_gui_wait_for (compared, compare, 10000));
  g_assert_cmpstr (label_of (compare, "summary_label"), ==, "18 words added, 5 words removed");

  kdx_version_compare_set_versions (compare, reloaded, KDX_VERSION_COMPARE_DEFAULT,
                                    KDX_VERSION_COMPARE_DEFAULT);
  g_assert_false (kdx_version_compare_is_busy (compare));
  g_assert_cmpuint (gtk_drop_down_get_selected (old_dropdown), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (new_dropdown), ==, 2);

  kdx_version_compare_set_versions (compare, large, 7, KDX_VERSION_COMPARE_DEFAULT);
  g_assert_cmpuint (gtk_drop_down_get_selected (old_dropdown), ==, 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (new_dropdown), ==, 1);
  close_compare (compare, NULL);
}

static void
test_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  KdxVersionCompare *compare = open_compare (history, KDX_VERSION_COMPARE_DEFAULT,
                                             KDX_VERSION_COMPARE_DEFAULT);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer_of (compare, "new_view")),
                                               "inserted");
  g_autoptr(GdkRGBA) light = NULL;
  g_autoptr(GdkRGBA) dark = NULL;
  gboolean underline_set = FALSE;

  g_object_get (tag, "foreground-rgba", &light, "underline-set", &underline_set, NULL);
  g_assert_true (underline_set);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kdx_gui_iterate (100);
  g_object_get (tag, "foreground-rgba", &dark, NULL);
  /* Light text on the dark ground, dark text on the light one. */
  g_assert_cmpfloat (dark->green, >, light->green + 0.3);

  close_compare (compare, "version-compare-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* The number of the paragraph ("§ 57.", "§ A3.") around @y of @view. */
static char *
paragraph_at (GtkTextView *view,
              int          y)
{
  GtkTextIter iter, found;

  gtk_text_view_get_iter_at_location (view, &iter, 0, y);
  gtk_text_iter_forward_char (&iter);
  if (!gtk_text_iter_backward_search (&iter, "§ ", 0, &found, NULL, NULL))
    return g_strdup ("");
  iter = found;
  gtk_text_iter_forward_find_char (&iter, (GtkTextCharPredicate) g_unichar_isspace, NULL, NULL);
  gtk_text_iter_forward_find_char (&iter, (GtkTextCharPredicate) g_unichar_isspace, NULL, NULL);

  return gtk_text_iter_get_text (&found, &iter);
}

/* The paragraph at the point that both sides keep in step: as far down
 * each view as the right one (that was scrolled) is down its text. */
static char *
paragraph_in_step (GtkTextView *view,
                   GtkTextView *scrolled)
{
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (scrolled));
  double range = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
  GdkRectangle visible;

  gtk_text_view_get_visible_rect (view, &visible);

  return paragraph_at (view, visible.y + (int) (gtk_adjustment_get_value (adj) / range *
                                                visible.height));
}

/* 70 KB a side: how long the window cannot draw while the comparison
 * runs and fills the views, and both sides in step far down. */
static void
test_large (void)
{
  KdxVersionCompare *compare = open_compare (history, 0, 1);
  const char *old_text = kdx_policy_version_get_body (large->pdata[0]);
  const char *new_text = kdx_policy_version_get_body (large->pdata[1]);
  GtkTextView *old_view = part (compare, "old_view");
  GtkTextView *new_view = part (compare, "new_view");
  GtkAdjustment *new_adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (new_view));
  gint64 start, ready = 0, longest = 0, longest_after = 0, core;
  g_autoptr(GArray) chunks = NULL;

  start = g_get_monotonic_time ();
  chunks = kdx_diff_words (old_text, -1, new_text, -1);
  core = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  kdx_version_compare_set_versions (compare, large, KDX_VERSION_COMPARE_DEFAULT,
                                    KDX_VERSION_COMPARE_DEFAULT);
  longest = g_get_monotonic_time () - start;
  while (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC)
    {
      gint64 before = g_get_monotonic_time (), took;

      g_main_context_iteration (NULL, FALSE);
      took = g_get_monotonic_time () - before;
      if (ready == 0)
        longest = MAX (longest, took);
      else
        longest_after = MAX (longest_after, took);
      if (ready == 0 && !kdx_version_compare_is_busy (compare))
        ready = g_get_monotonic_time () - start;
      g_usleep (200);
    }

  g_test_message ("70 KB pair (%zu and %zu bytes): core diff %.1f ms; result shown after %.1f ms; "
                  "longest main-loop iteration until then %.1f ms (includes filling the views), "
                  "afterwards (layout, drawing) %.1f ms",
                  strlen (old_text), strlen (new_text), core / 1000.0, ready / 1000.0,
                  longest / 1000.0, longest_after / 1000.0);
  g_assert_cmpint (ready, >, 0);
#ifndef __SANITIZE_ADDRESS__
  /* Generous, for a busy machine; a sanitizer build is too slow to say. */
  g_assert_cmpint (longest, <, 250 * 1000);
#endif
  g_assert_cmpstr (visible_page (compare), ==, "side-by-side");

  /* Each struck and each underlined run is one chunk of core's diff. */
  {
    g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *expected_removed = NULL;
    g_autofree char *expected_added = NULL;
    g_autofree char *shown_removed = tagged_runs (gtk_text_view_get_buffer (old_view), "deleted");
    g_autofree char *shown_added = tagged_runs (gtk_text_view_get_buffer (new_view), "inserted");

    for (guint i = 0; i < chunks->len; i++)
      {
        const KdxDiffChunk *chunk = &g_array_index (chunks, KdxDiffChunk, i);

        if (chunk->op == KDX_DIFF_DELETE)
          g_ptr_array_add (removed, g_strndup (old_text + chunk->old_offset, chunk->old_length));
        else if (chunk->op == KDX_DIFF_INSERT)
          g_ptr_array_add (added, g_strndup (new_text + chunk->new_offset, chunk->new_length));
      }
    g_ptr_array_add (removed, NULL);
    g_ptr_array_add (added, NULL);
    expected_removed = g_strjoinv ("|", (char **) removed->pdata);
    expected_added = g_strjoinv ("|", (char **) added->pdata);
    g_assert_cmpstr (shown_removed, ==, expected_removed);
    g_assert_cmpstr (shown_added, ==, expected_added);
  }

  /* The new chapter A after § 10 is 20 paragraphs long: a proportional
   * scroll would be far off; in step, both sides show the same paragraph.
   * (Where the views stop depends on how much of the text GTK has laid out
   * yet; a slow build may stop inside chapter A.) */
  wait_for_layout (compare);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *old_paragraph = NULL;
      g_autofree char *new_paragraph = NULL;

      gtk_adjustment_set_value (new_adj, i * (gtk_adjustment_get_upper (new_adj) -
                                              gtk_adjustment_get_page_size (new_adj)) / 4);
      wait_for_layout (compare);
      new_paragraph = paragraph_in_step (new_view, new_view);
      old_paragraph = paragraph_in_step (old_view, new_view);
      g_test_message ("scrolled to %u/4: right shows %s, left %s", i, new_paragraph, old_paragraph);
      /* A new paragraph stands beside the place it was added. */
      if (g_str_has_prefix (new_paragraph, "§ A"))
        g_assert_cmpstr (old_paragraph, ==, "§ 10.");
      else
        g_assert_cmpstr (old_paragraph, ==, new_paragraph);
    }
  close_compare (compare, "version-compare-large.png");
}

/* ------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  int status;

  kdx_gui_test_init (&argc, &argv, "kodex-compare-XXXXXX", &tmpdir, &shot_dir);
  adw_init ();
  build_workspace ();

  g_test_add_func ("/kdx/version-compare/side-by-side", test_side_by_side);
  g_test_add_func ("/kdx/version-compare/inline", test_inline);
  g_test_add_func ("/kdx/version-compare/next-change", test_next_change);
  g_test_add_func ("/kdx/version-compare/shortcuts", test_shortcuts);
  g_test_add_func ("/kdx/version-compare/swap", test_swap);
  g_test_add_func ("/kdx/version-compare/identical", test_identical);
  g_test_add_func ("/kdx/version-compare/empty", test_empty);
  g_test_add_func ("/kdx/version-compare/keeps-choice", test_keeps_choice);
  g_test_add_func ("/kdx/version-compare/dark", test_dark);
  g_test_add_func ("/kdx/version-compare/large", test_large);
  status = g_test_run ();

  g_clear_pointer (&history, g_ptr_array_unref);
  g_clear_pointer (&unchanged, g_ptr_array_unref);
  g_clear_pointer (&large, g_ptr_array_unref);
  kdx_store_close (store);
  g_clear_object (&store);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_free (members[i]);
  g_free (shot_dir);

  return status;
}
