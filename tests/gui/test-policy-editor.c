/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GUI tests of the policy text editor: a real window under Xvfb on a real
 * workspace. Text is typed at the cursor as a keyboard would; shortcuts
 * are real key presses (XTest), so that they travel through the window's
 * shortcut controllers as a person's would. What is stored is read back
 * through a second, read-only connection to the file.
 */
#define G_LOG_DOMAIN "kdx-test-policy-editor"

#include "config.h"

#include "kdx-gui-test-util.h"

#include "kdx-application.h"
#include "kdx-markdown.h"
#include "kdx-markdown-view.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-policy-editor.h"
#include "kdx-ui-resources.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>
#include <locale.h>

#define SAVE_WAIT_MS 1500

static KdxApplication *app;
static char *tmpdir;
static char *shot_dir;

static const char policy_body[] =
  "# Verhaltenskodex für KI im Vertrieb\n"
  "\n"
  "Dieser Kodex gilt für alle Mitarbeitenden, die **KI-Systeme** im Vertrieb nutzen.\n"
  "\n"
  "## Transparenz\n"
  "\n"
  "Kunden erfahren, wenn sie mit einem *Chatbot* sprechen.\n"
  "\n"
  "- Offenlegung im ersten Satz\n"
  "- eine Ansprechperson auf Wunsch\n"
  "\n"
  "## Menschliche Aufsicht\n"
  "\n"
  "### Lead-Scoring\n"
  "\n"
  "Ein Mensch prüft jede Ablehnung.\n";

/* ------------------------------------------------------------------ */
/* Main loop and widgets                                              */

static const char *
label_text (KdxPolicyEditor *editor,
            const char      *id)
{
  GtkWidget *label = kdx_gui_find_by_id (GTK_WIDGET (editor), id);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

static GtkTextView *
source_view_of (KdxPolicyEditor *editor)
{
  return GTK_TEXT_VIEW (kdx_gui_find_by_id (GTK_WIDGET (editor), "source_view"));
}

static GtkTextBuffer *
buffer_of (KdxPolicyEditor *editor)
{
  return gtk_text_view_get_buffer (source_view_of (editor));
}

static char *
preview_text (KdxPolicyEditor *editor)
{
  GtkWidget *preview = kdx_gui_find_by_id (GTK_WIDGET (editor), "preview");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (preview));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Types @text at the cursor, as a keyboard does: refused where the view
 * is not editable. */
static gboolean
type_text (KdxPolicyEditor *editor,
           const char      *text)
{
  GtkTextView *view = source_view_of (editor);

  return gtk_text_buffer_insert_interactive_at_cursor (buffer_of (editor), text, -1,
                                                       gtk_text_view_get_editable (view));
}

static void
cursor_to_end (KdxPolicyEditor *editor)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer_of (editor), &end);
  gtk_text_buffer_place_cursor (buffer_of (editor), &end);
}

/* What to wait for in a text view: a piece of its text, or its first
 * line on the screen. */
typedef struct
{
  GtkTextView *view;
  const char  *text;
} TextWait;

static gboolean
view_has (gpointer data)
{
  TextWait *wait = data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (wait->view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  return strstr (text, wait->text) != NULL;
}

/* Whether the preview shows @needle within a few seconds. */
static gboolean
preview_shows (KdxPolicyEditor *editor,
               const char      *needle)
{
  TextWait wait = { GTK_TEXT_VIEW (kdx_gui_find_by_id (GTK_WIDGET (editor), "preview")), needle };

  return kdx_gui_wait_for (view_has, &wait, 5000);
}

static gboolean
is_saved (gpointer data)
{
  return !kdx_policy_editor_has_pending (data);
}

/* ------------------------------------------------------------------ */
/* A workspace with one committee member and one policy               */

typedef struct
{
  char             *path;
  KdxStore         *store;
  char             *member;
  KdxPolicy        *policy;
  KdxPolicyVersion *draft;
  GtkWindow        *window;
  KdxPolicyEditor  *editor;
  guint             undo_delete_count;   /* activations of win.undo-delete */
  guint             search_count;        /* activations of win.search */
} Fixture;

static void
count_cb (GSimpleAction *action,
          GVariant      *parameter,
          guint         *count)
{
  (*count)++;
}

/* An action of the window, as Kodex's main window has one, counting how
 * often it runs. */
static void
add_window_action (Fixture    *f,
                   const char *name,
                   guint      *count)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new (name, NULL);

  g_signal_connect (action, "activate", G_CALLBACK (count_cb), count);
  g_action_map_add_action (G_ACTION_MAP (f->window), G_ACTION (action));
}

static KdxPolicyVersion *
load_version (KdxStore   *store,
              const char *uuid)
{
  g_autoptr(GError) error = NULL;
  KdxPolicyVersion *version = kdx_policy_version_load (store, uuid, &error);

  g_assert_no_error (error);
  return version;
}

/* The body as another connection to the file reads it. */
static char *
stored_body (Fixture    *f,
             const char *version_uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) reader = kdx_store_open (f->path, KDX_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(KdxPolicyVersion) version = NULL;

  g_assert_no_error (error);
  version = load_version (reader, version_uuid);
  kdx_store_close (reader);

  return g_strdup (kdx_policy_version_get_body (version));
}

static KdxPolicy *
add_policy (Fixture    *f,
            const char *title,
            const char *body)
{
  g_autoptr(KdxPolicy) policy = kdx_policy_new ();
  g_autoptr(GError) error = NULL;

  kdx_policy_set_title (policy, title);
  kdx_policy_set_kind (policy, KDX_POLICY_KIND_CODE_OF_CONDUCT);
  kdx_policy_set_area (policy, KDX_POLICY_AREA_TRANSPARENCY);
  kdx_policy_set_owner (policy, f->member);
  g_assert_true (kdx_policy_create (f->store, policy, body, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&policy);
}

static KdxPolicyVersion *
draft_of (Fixture   *f,
          KdxPolicy *policy)
{
  g_autoptr(GError) error = NULL;
  KdxPolicyVersion *version = kdx_policy_version_find (f->store, kdx_policy_get_uuid (policy),
                                                       NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (kdx_policy_version_get_status (version), ==, KDX_VERSION_DRAFT);
  return version;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxPerson) member = kdx_person_new ();
  g_autofree char *name = g_strdup_printf ("Richtlinien-%u.kodex", g_random_int ());
  GtkWidget *box, *header;

  f->path = g_build_filename (tmpdir, name, NULL);
  f->store = kdx_store_create (f->path, "Beispiel Vertrieb GmbH", "de", &error);
  g_assert_no_error (error);

  kdx_person_set_name (member, "Dana Dorn");
  kdx_person_set_department (member, "Recht");
  kdx_person_set_committee (member, TRUE);
  g_assert_true (kdx_person_insert (f->store, member, &error));
  g_assert_no_error (error);
  f->member = g_strdup (kdx_person_get_uuid (member));
  kdx_store_set_actor (f->store, f->member);
  g_assert_true (kdx_store_set_setting (f->store, "quorum", "majority:1", &error));
  g_assert_no_error (error);

  f->policy = add_policy (f, "Verhaltenskodex KI", policy_body);
  f->draft = draft_of (f, f->policy);

  /* The application's shortcuts: Ctrl+Z restores the last deleted entry,
   * Ctrl+F searches. */
  f->window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
  add_window_action (f, "undo-delete", &f->undo_delete_count);
  add_window_action (f, "search", &f->search_count);
  gtk_window_set_default_size (f->window, 1200, 760);

  f->editor = kdx_policy_editor_new ();
  gtk_widget_set_vexpand (GTK_WIDGET (f->editor), TRUE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new ("Verhaltenskodex KI", "COC-001 · 1.0"));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->editor));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (f->window), box);
  kdx_policy_editor_set_version (f->editor, f->store, f->draft, TRUE);
  gtk_window_present (f->window);
  g_assert_true (kdx_gui_wait_for (kdx_gui_is_drawn, f->editor, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  kdx_gui_iterate (50);
  kdx_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->policy);
  g_clear_object (&f->draft);
  g_clear_pointer (&f->member, g_free);
  g_remove (f->path);
  g_clear_pointer (&f->path, g_free);
}

/* ------------------------------------------------------------------ */
/* The tests                                                          */

static void
test_autosave (Fixture       *f,
               gconstpointer  data)
{
  const char *uuid = kdx_policy_version_get_uuid (f->draft);
  g_autofree char *expected = g_strconcat (policy_body, "\nNeu: Jede Bewertung wird erklärt.\n",
                                           NULL);
  g_autofree char *stored = NULL;

  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, policy_body);
  g_assert_cmpstr (label_text (f->editor, "state_label"), ==, _("All changes saved"));
  g_assert_cmpstr (label_text (f->editor, "words_label"), ==, "41 words");
  g_assert_false (kdx_policy_editor_has_pending (f->editor));

  cursor_to_end (f->editor);
  g_assert_true (type_text (f->editor, "\nNeu: Jede "));
  g_assert_true (type_text (f->editor, "Bewertung wird erklärt.\n"));
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, expected);

  /* Typing goes on: nothing is written yet, and the bar says so. */
  g_assert_true (kdx_policy_editor_has_pending (f->editor));
  g_assert_cmpstr (label_text (f->editor, "state_label"), ==, _("Saving…"));
  stored = stored_body (f, uuid);
  g_assert_cmpstr (stored, ==, policy_body);
  g_clear_pointer (&stored, g_free);

  /* A pause: stored without anyone asking. */
  g_assert_true (kdx_gui_wait_for (is_saved, f->editor, SAVE_WAIT_MS));
  stored = stored_body (f, uuid);
  g_assert_cmpstr (stored, ==, expected);
  g_assert_cmpstr (label_text (f->editor, "state_label"), ==, _("All changes saved"));
  g_assert_cmpstr (label_text (f->editor, "words_label"), ==, "46 words");

  /* The preview follows. */
  g_assert_true (preview_shows (f->editor, "Neu: Jede Bewertung wird erklärt."));
}

static void
test_outline (Fixture       *f,
              gconstpointer  data)
{
  static const struct { const char *title; guint level; guint line; } headings[] = {
    { "Verhaltenskodex für KI im Vertrieb", 1, 1 },
    { "Transparenz", 2, 5 },
    { "Menschliche Aufsicht", 2, 12 },
    { "Lead-Scoring", 3, 14 },
  };
  GtkWidget *button = kdx_gui_find_by_id (GTK_WIDGET (f->editor), "outline_button");
  GtkListBox *list = GTK_LIST_BOX (kdx_gui_find_by_id (GTK_WIDGET (f->editor), "outline_list"));
  GtkTextBuffer *buffer = buffer_of (f->editor);
  GtkTextIter cursor;
  int indent[G_N_ELEMENTS (headings)];

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  kdx_gui_iterate (100);

  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
      GtkWidget *label;

      g_assert_nonnull (row);
      label = gtk_list_box_row_get_child (row);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, headings[i].title);
      indent[i] = gtk_widget_get_margin_start (label);
    }
  g_assert_null (gtk_list_box_get_row_at_index (list, G_N_ELEMENTS (headings)));
  /* Indented by level. */
  g_assert_cmpint (indent[0], <, indent[1]);
  g_assert_cmpint (indent[1], ==, indent[2]);
  g_assert_cmpint (indent[2], <, indent[3]);

  /* Choosing "Menschliche Aufsicht" puts the cursor on its line. */
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 2));
  kdx_gui_iterate (100);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_line (&cursor) + 1, ==, headings[2].line);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (source_view_of (f->editor))));
  g_assert_false (gtk_widget_get_visible (
    GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)))));

  /* A heading typed now is in the outline when it opens next. */
  cursor_to_end (f->editor);
  g_assert_true (type_text (f->editor, "\n## Schulung\n"));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  kdx_gui_iterate (100);
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, G_N_ELEMENTS (headings));

    g_assert_nonnull (row);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_list_box_row_get_child (row))), ==,
                     "Schulung");
  }
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

static void
test_undo_redo (Fixture       *f,
                gconstpointer  data)
{
  static const KeySym undo[] = { XK_Control_L, XK_z };
  static const KeySym redo[] = { XK_Control_L, XK_Shift_L, XK_z };
  GtkTextBuffer *buffer = buffer_of (f->editor);
  g_autofree char *typed = g_strconcat ("Zusatz. ", policy_body, NULL);

  /* Loading the version is nothing to undo. */
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));

  gtk_widget_grab_focus (GTK_WIDGET (source_view_of (f->editor)));
  g_assert_true (type_text (f->editor, "Zusatz. "));
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, typed);
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));

  if (!kdx_gui_press_keys (undo, G_N_ELEMENTS (undo)))
    {
      g_test_skip ("no XTest to press keys with");
      return;
    }
  /* Ctrl+Z in the text undoes the typing, not a deletion elsewhere. */
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, policy_body);
  g_assert_cmpuint (f->undo_delete_count, ==, 0);
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));

  kdx_gui_press_keys (redo, G_N_ELEMENTS (redo));
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, typed);
  g_assert_cmpuint (f->undo_delete_count, ==, 0);

  /* A shortcut the text has no use for still reaches the window. */
  kdx_gui_press_keys ((KeySym[]) { XK_Control_L, XK_f }, 2);
  g_assert_cmpuint (f->search_count, ==, 1);
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, typed);

  /* Outside the text, Ctrl+Z is the window's again. */
  gtk_widget_grab_focus (kdx_gui_find_by_id (GTK_WIDGET (f->editor), "preview_button"));
  kdx_gui_press_keys (undo, G_N_ELEMENTS (undo));
  g_assert_cmpuint (f->undo_delete_count, ==, 1);
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, typed);

  /* The redone text is what is stored. */
  g_assert_true (kdx_gui_wait_for (is_saved, f->editor, SAVE_WAIT_MS));
  {
    g_autofree char *stored = stored_body (f, kdx_policy_version_get_uuid (f->draft));

    g_assert_cmpstr (stored, ==, typed);
  }
}

/* A page refreshing the same version (after a save, say) keeps the
 * text, the cursor and the undo history. */
static void
test_same_version_again (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KdxPolicyVersion) reloaded = NULL;
  GtkTextBuffer *buffer = buffer_of (f->editor);
  g_autofree char *typed = NULL;
  GtkTextIter cursor;

  cursor_to_end (f->editor);
  g_assert_true (type_text (f->editor, "Erster Zusatz.\n"));
  g_assert_true (kdx_gui_wait_for (is_saved, f->editor, SAVE_WAIT_MS));
  g_assert_true (type_text (f->editor, "Zweiter Zusatz.\n"));
  typed = g_strdup (kdx_policy_editor_get_text (f->editor));

  reloaded = load_version (f->store, kdx_policy_version_get_uuid (f->draft));
  kdx_policy_editor_set_version (f->editor, f->store, reloaded, TRUE);
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, typed);
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_true (gtk_text_iter_is_end (&cursor));
  /* The pending change was stored on the way. */
  g_assert_false (kdx_policy_editor_has_pending (f->editor));
  {
    g_autofree char *stored = stored_body (f, kdx_policy_version_get_uuid (f->draft));

    g_assert_cmpstr (stored, ==, typed);
  }
}

/* Nothing typed is lost when the editor moves on: to another version, a
 * flush before submitting, or the window going away. */
static void
test_flush (Fixture       *f,
            gconstpointer  data)
{
  const char *first = kdx_policy_version_get_uuid (f->draft);
  const char *other_body = "# Datenschutz\n\nNur was nötig ist.\n";
  g_autoptr(KdxPolicy) other = add_policy (f, "Datenschutz", other_body);
  g_autoptr(KdxPolicyVersion) other_draft = draft_of (f, other);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *typed = NULL;

  /* Switching to another version stores this one at once. */
  cursor_to_end (f->editor);
  g_assert_true (type_text (f->editor, "Ergänzt.\n"));
  typed = g_strdup (kdx_policy_editor_get_text (f->editor));
  kdx_policy_editor_set_version (f->editor, f->store, other_draft, TRUE);
  stored = stored_body (f, first);
  g_assert_cmpstr (stored, ==, typed);
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, other_body);
  g_assert_false (kdx_policy_editor_has_pending (f->editor));
  g_assert_false (gtk_text_buffer_get_can_undo (buffer_of (f->editor)));
  g_assert_cmpstr (label_text (f->editor, "words_label"), ==, "5 words");

  /* Flush, as a page does before submitting. */
  cursor_to_end (f->editor);
  g_assert_true (type_text (f->editor, "Und nicht länger als nötig.\n"));
  g_assert_true (kdx_policy_editor_has_pending (f->editor));
  g_assert_true (kdx_policy_editor_flush (f->editor, &error));
  g_assert_no_error (error);
  g_assert_false (kdx_policy_editor_has_pending (f->editor));
  g_clear_pointer (&stored, g_free);
  stored = stored_body (f, kdx_policy_version_get_uuid (other_draft));
  g_assert_cmpstr (stored, ==, kdx_policy_editor_get_text (f->editor));
  g_assert_cmpstr (label_text (f->editor, "words_label"), ==, "10 words");

  /* Hiding the window (closing it) stores what was typed. */
  g_assert_true (type_text (f->editor, "Gelöscht wird nach Plan.\n"));
  g_assert_true (kdx_policy_editor_has_pending (f->editor));
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_assert_false (kdx_policy_editor_has_pending (f->editor));
  g_clear_pointer (&stored, g_free);
  stored = stored_body (f, kdx_policy_version_get_uuid (other_draft));
  g_assert_cmpstr (stored, ==, kdx_policy_editor_get_text (f->editor));
  gtk_window_present (f->window);
}

/* The version left draft while it was being edited (submitted from
 * another page): the text stays on the screen and the bar says why it is
 * not stored. */
static void
test_save_error (Fixture       *f,
                 gconstpointer  data)
{
  const char *uuid = kdx_policy_version_get_uuid (f->draft);
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = NULL;
  GtkWidget *state;

  g_assert_true (kdx_policy_submit (f->store, uuid, "Zur Abstimmung", &error));
  g_assert_no_error (error);

  cursor_to_end (f->editor);
  g_assert_true (type_text (f->editor, "Noch ein Satz.\n"));
  typed = g_strdup (kdx_policy_editor_get_text (f->editor));
  kdx_gui_iterate (SAVE_WAIT_MS);

  state = kdx_gui_find_by_id (GTK_WIDGET (f->editor), "state_label");
  g_assert_true (g_str_has_prefix (label_text (f->editor, "state_label"), "Not saved: "));
  g_assert_true (gtk_widget_has_css_class (state, "error"));
  g_assert_true (kdx_policy_editor_has_pending (f->editor));
  g_assert_false (kdx_policy_editor_flush (f->editor, &error));
  g_assert_error (error, KDX_POLICY_ERROR, KDX_POLICY_ERROR_NOT_EDITABLE);
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, typed);
  {
    g_autofree char *stored = stored_body (f, uuid);

    g_assert_cmpstr (stored, ==, policy_body);
  }
}

/* How a version comes to be read-only, and what the bar then says. */
typedef enum
{
  READ_ONLY_PUBLISHED,
  READ_ONLY_IN_REVIEW,
  READ_ONLY_WORKSPACE,
  READ_ONLY_NOT_ALLOWED,
} ReadOnlyWay;

typedef struct
{
  const char  *name;
  ReadOnlyWay  way;
  const char  *state;
} ReadOnlyCase;

static const ReadOnlyCase read_only_cases[] = {
  { "published", READ_ONLY_PUBLISHED, "Read-only: this version is Published" },
  { "in-review", READ_ONLY_IN_REVIEW, "Read-only: this version is In review" },
  { "read-only-workspace", READ_ONLY_WORKSPACE, "Read-only: the workspace is open read-only" },
  { "not-allowed", READ_ONLY_NOT_ALLOWED, "Read-only" },
};

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  const ReadOnlyCase *c = data;
  const char *uuid = kdx_policy_version_get_uuid (f->draft);
  g_autoptr(KdxStore) reader = NULL;
  g_autoptr(KdxPolicyVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  KdxStore *store = f->store;
  g_autofree char *preview = NULL;
  g_autofree char *stored = NULL;

  if (c->way == READ_ONLY_PUBLISHED || c->way == READ_ONLY_IN_REVIEW)
    {
      g_assert_true (kdx_policy_submit (f->store, uuid, "Erste Fassung", &error));
      g_assert_no_error (error);
    }
  if (c->way == READ_ONLY_PUBLISHED)
    {
      g_assert_true (kdx_policy_vote (f->store, uuid, KDX_VOTE_APPROVE, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (kdx_policy_publish (f->store, uuid, NULL, &error));
      g_assert_no_error (error);
    }
  if (c->way == READ_ONLY_WORKSPACE)
    {
      reader = kdx_store_open (f->path, KDX_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      store = reader;
    }
  version = load_version (store, uuid);

  kdx_policy_editor_set_version (f->editor, store, version, c->way != READ_ONLY_NOT_ALLOWED);
  kdx_gui_iterate (100);

  g_assert_false (gtk_text_view_get_editable (source_view_of (f->editor)));
  g_assert_false (type_text (f->editor, "Geändert!"));
  g_assert_cmpstr (kdx_policy_editor_get_text (f->editor), ==, policy_body);
  g_assert_false (kdx_policy_editor_has_pending (f->editor));
  g_assert_cmpstr (label_text (f->editor, "state_label"), ==, c->state);
  /* A reader sees the document, not its markup. */
  g_assert_false (gtk_widget_get_visible (kdx_gui_find_by_id (GTK_WIDGET (f->editor),
                                                              "source_scroller")));
  g_assert_true (gtk_widget_get_mapped (kdx_gui_find_by_id (GTK_WIDGET (f->editor), "preview")));
  preview = preview_text (f->editor);
  g_assert_true (g_str_has_prefix (preview, "Verhaltenskodex für KI im Vertrieb\n"));

  if (c->way == READ_ONLY_PUBLISHED)
    kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "policy-editor-published.png");

  kdx_policy_editor_set_version (f->editor, NULL, NULL, FALSE);
  if (reader != NULL)
    kdx_store_close (reader);
  stored = stored_body (f, uuid);
  g_assert_cmpstr (stored, ==, policy_body);
}

/* ------------------------------------------------------------------ */
/* Twenty pages                                                       */

#define N_SECTIONS   20
#define N_KEYSTROKES 30

/* About 20 printed pages (70 KB) of a policy, the same every run. */
static char *
twenty_pages (void)
{
  static const char *words[] = {
    "die", "der", "und", "für", "mit", "wird", "von", "eine", "Vertrieb", "Kunden", "Daten",
    "KI-System", "Bewertung", "Entscheidung", "Mitarbeitende", "Verantwortung", "Transparenz",
    "Aufsicht", "Risiko", "Fairness", "Einwilligung", "nachvollziehbar", "dokumentiert",
    "regelmäßig", "geprüft", "menschliche", "Überprüfung", "Lead-Scoring", "Ausschuss",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20);
  GString *text = g_string_new ("# Richtlinie für KI-Systeme im Vertrieb\n\n");

  for (guint s = 1; s <= N_SECTIONS; s++)
    {
      g_string_append_printf (text, "## %u. Abschnitt\n\n", s);
      for (guint p = 0; p < 6; p++)
        {
          guint n = g_rand_int_range (rand, 40, 70);

          if (p == 2)
            g_string_append_printf (text, "### %u.%u Pflichten\n\n", s, p);
          for (guint w = 0; w < n; w++)
            {
              const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

              if (w % 17 == 5)
                g_string_append_printf (text, "**%s** ", word);
              else
                g_string_append_printf (text, "%s%s", word, w + 1 == n ? ".\n\n" : " ");
            }
        }
      for (guint i = 0; i < 4; i++)
        g_string_append_printf (text, "- Punkt %u: %s und %s\n", i + 1,
                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_string_append (text, "\n| Rolle | Aufgabe |\n|---|---|\n| Ausschuss | prüft |\n"
                             "| Vertrieb | dokumentiert |\n\n"
                             "> Im Zweifel entscheidet ein Mensch.\n\n");
    }

  return g_string_free (text, FALSE);
}

static gboolean
top_line_is (gpointer data)
{
  TextWait *wait = data;
  GdkRectangle visible;
  GtkTextIter start, end;
  g_autofree char *line = NULL;

  gtk_text_view_get_visible_rect (wait->view, &visible);
  gtk_text_view_get_iter_at_location (wait->view, &start, 0, visible.y);
  gtk_text_iter_set_line_offset (&start, 0);
  end = start;
  gtk_text_iter_forward_to_line_end (&end);
  line = gtk_text_iter_get_text (&start, &end);

  return g_str_equal (line, wait->text);
}

/* Whether @line is soon the first one @view shows. */
static gboolean
shows_at_top (GtkWidget  *view,
              const char *line)
{
  TextWait wait = { GTK_TEXT_VIEW (view), line };

  return kdx_gui_wait_for (top_line_is, &wait, 20000);
}

/* Waits until @view has measured its text: its height stays the same
 * for a while (slow under a sanitizer). */
static void
wait_until_measured (GtkWidget *view)
{
  GtkAdjustment *scroll = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  double height = -1;

  while (height != gtk_adjustment_get_upper (scroll) && g_get_monotonic_time () < end)
    {
      height = gtk_adjustment_get_upper (scroll);
      kdx_gui_iterate (300);
    }
}

/* 12345 as a German reader writes it: "12.345". */
static char *
with_dots (guint n)
{
  g_autofree char *digits = g_strdup_printf ("%u", n);
  GString *out = g_string_new (NULL);
  size_t len = strlen (digits);

  for (size_t i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, '.');
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

/* The first frame after a keystroke: its update phase, where the preview
 * is rendered (tick callbacks), and when it was drawn. */
typedef struct
{
  gboolean preview_changed;
  gboolean painted_changed;   /* the preview had changed when the frame was drawn */
  gint64   update_start;
  gint64   update_end;
  gint64   painted;
} FrameWatch;

static void
preview_changed_cb (GtkTextBuffer *buffer,
                    FrameWatch    *watch)
{
  watch->preview_changed = TRUE;
}

static void
update_start_cb (GdkFrameClock *clock,
                 FrameWatch    *watch)
{
  if (watch->update_start == 0)
    watch->update_start = g_get_monotonic_time ();
}

static void
update_end_cb (GdkFrameClock *clock,
               FrameWatch    *watch)
{
  if (watch->update_end == 0)
    watch->update_end = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                FrameWatch    *watch)
{
  if (watch->painted == 0)
    {
      watch->painted = g_get_monotonic_time ();
      watch->painted_changed = watch->preview_changed;
    }
}

static gboolean
is_painted (gpointer data)
{
  return ((FrameWatch *) data)->painted != 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_twenty_pages (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *body = twenty_pages ();
  g_autoptr(KdxPolicy) policy = add_policy (f, "Richtlinie KI-Systeme", body);
  g_autoptr(KdxPolicyVersion) draft = draft_of (f, policy);
  GtkTextBuffer *preview_buffer =
    gtk_text_view_get_buffer (GTK_TEXT_VIEW (kdx_gui_find_by_id (GTK_WIDGET (f->editor),
                                                                 "preview")));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  guint words = kdx_markdown_count_words (body);
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;
  double total[N_KEYSTROKES], update[N_KEYSTROKES];
  FrameWatch watch = { 0, };
  GtkTextIter middle;
  gulong handlers[4];

  g_assert_cmpuint (strlen (body), >, 60000);
  g_assert_cmpuint (words, >, 7000);

  /* The count reads as the language writes numbers. */
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL)
    {
      g_autofree char *dots = with_dots (words);

      expected = g_strdup_printf ("%s words", dots);
      kdx_policy_editor_set_version (f->editor, f->store, draft, TRUE);
      setlocale (LC_NUMERIC, "C.UTF-8");
    }
  else
    {
      expected = g_strdup_printf ("%u words", words);
      kdx_policy_editor_set_version (f->editor, f->store, draft, TRUE);
    }
  g_assert_cmpstr (label_text (f->editor, "words_label"), ==, expected);
  wait_until_measured (GTK_WIDGET (source_view_of (f->editor)));

  /* A heading far down, chosen in the outline, comes to the top of both
   * views; scrolling the source back takes the preview along. */
  {
    GtkWidget *button = kdx_gui_find_by_id (GTK_WIDGET (f->editor), "outline_button");
    GtkListBox *list = GTK_LIST_BOX (kdx_gui_find_by_id (GTK_WIDGET (f->editor), "outline_list"));
    GtkWidget *preview = kdx_gui_find_by_id (GTK_WIDGET (f->editor), "preview");

    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    kdx_gui_iterate (100);
    /* The title, a section's "### 10.2 Pflichten", and so on. */
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_list_box_row_get_child (
                       gtk_list_box_get_row_at_index (list, 19)))), ==, "10. Abschnitt");
    g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 19));
    g_assert_true (shows_at_top (GTK_WIDGET (source_view_of (f->editor)), "## 10. Abschnitt"));
    g_assert_true (shows_at_top (preview, "10. Abschnitt"));

    /* Ctrl+Home in the source goes back to the beginning, and the preview
     * comes along. */
    if (kdx_gui_press_keys ((KeySym[]) { XK_Control_L, XK_Home }, 2))
      {
        g_assert_true (shows_at_top (GTK_WIDGET (source_view_of (f->editor)),
                                     "# Richtlinie für KI-Systeme im Vertrieb"));
        g_assert_true (shows_at_top (preview, "Richtlinie für KI-Systeme im Vertrieb"));
      }
  }

  /* Typing into a paragraph in the middle, after its first word, one key
   * at a time, each on an idle frame clock. */
  gtk_text_buffer_get_iter_at_line (buffer_of (f->editor), &middle,
                                    gtk_text_buffer_get_line_count (buffer_of (f->editor)) / 2);
  while (!g_unichar_isalpha (gtk_text_iter_get_char (&middle)) ||
         !gtk_text_iter_starts_line (&middle))
    g_assert_true (gtk_text_iter_forward_line (&middle));
  g_assert_true (gtk_text_iter_forward_word_end (&middle));
  g_assert_true (gtk_text_iter_forward_char (&middle));
  gtk_text_buffer_place_cursor (buffer_of (f->editor), &middle);
  gtk_text_view_scroll_to_iter (source_view_of (f->editor), &middle, 0, TRUE, 0, 0.3);
  kdx_gui_iterate (300);

  /* GTK connects its tick callbacks to "update" anew for each frame that
   * has some, so they run between these two. */
  handlers[0] = g_signal_connect (preview_buffer, "changed", G_CALLBACK (preview_changed_cb),
                                  &watch);
  handlers[1] = g_signal_connect (clock, "update", G_CALLBACK (update_start_cb), &watch);
  handlers[2] = g_signal_connect_after (clock, "update", G_CALLBACK (update_end_cb), &watch);
  handlers[3] = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &watch);
  for (guint i = 0; i < N_KEYSTROKES; i++)
    {
      char key[2] = { "Zusatzregel fuer alle Teams. "[i % 29], 0 };
      gint64 start;

      watch = (FrameWatch) { 0, };
      start = g_get_monotonic_time ();
      g_assert_true (type_text (f->editor, key));
      g_assert_true (kdx_gui_wait_for (is_painted, &watch, 2000));
      /* The very next frame shows the keystroke in the preview. */
      g_assert_true (watch.painted_changed);
      total[i] = (watch.painted - start) / 1000.0;
      update[i] = (watch.update_end - watch.update_start) / 1000.0;
      kdx_gui_iterate (100);
    }
  g_signal_handler_disconnect (preview_buffer, handlers[0]);
  for (guint i = 1; i < G_N_ELEMENTS (handlers); i++)
    g_signal_handler_disconnect (clock, handlers[i]);

  qsort (total, N_KEYSTROKES, sizeof (double), compare_doubles);
  qsort (update, N_KEYSTROKES, sizeof (double), compare_doubles);
  g_test_message ("20 pages (%zu bytes), %u keystrokes: preview re-render (update phase) "
                  "median %.1f ms, max %.1f ms; keystroke to drawn frame median %.1f ms, "
                  "max %.1f ms", strlen (body), N_KEYSTROKES, update[N_KEYSTROKES / 2],
                  update[N_KEYSTROKES - 1], total[N_KEYSTROKES / 2], total[N_KEYSTROKES - 1]);
  if (g_test_perf ())
    {
      g_test_minimized_result (update[N_KEYSTROKES / 2], "median re-render %.1f ms",
                               update[N_KEYSTROKES / 2]);
      g_assert_cmpfloat (update[N_KEYSTROKES / 2], <=, 16.0);
    }

  /* A burst of keys inside one frame: the preview ends up with all of
   * them. */
  for (const char *c = "Schnell getippt."; *c; c++)
    {
      char key[2] = { *c, 0 };

      g_assert_true (type_text (f->editor, key));
    }
  g_assert_true (preview_shows (f->editor, "Schnell getippt."));
  g_assert_true (preview_shows (f->editor, "Zusatzregel fuer"));

  g_assert_true (kdx_policy_editor_flush (f->editor, NULL));
  stored = stored_body (f, kdx_policy_version_get_uuid (draft));
  g_assert_cmpstr (stored, ==, kdx_policy_editor_get_text (f->editor));
}

/* ------------------------------------------------------------------ */
/* How it looks                                                       */

static const char showcase_body[] =
  "# Verhaltenskodex für KI im Vertrieb\n"
  "\n"
  "Dieser Kodex gilt für alle Mitarbeitenden, die **KI-Systeme** im Vertrieb nutzen — "
  "vom *Lead-Scoring* bis zur Preisgestaltung. Er ergänzt die "
  "[Datenschutzrichtlinie](https://example.com/datenschutz).\n"
  "\n"
  "## 1. Transparenz\n"
  "\n"
  "Kunden erfahren, wenn sie mit einem Chatbot sprechen oder eine Empfehlung von einer KI "
  "stammt.\n"
  "\n"
  "1. Offenlegung im ersten Satz des Gesprächs\n"
  "2. eine Ansprechperson auf Wunsch, ohne Umweg\n"
  "3. verständliche Gründe für jede Ablehnung\n"
  "\n"
  "> Im Zweifel entscheidet ein Mensch, nicht das System.\n"
  "\n"
  "## 2. Menschliche Aufsicht\n"
  "\n"
  "| System | Aufsicht | Prüfung |\n"
  "|---|---|---|\n"
  "| Lead-Scoring | im Prozess | monatlich |\n"
  "| Preisgestaltung | über dem Prozess | wöchentlich |\n"
  "\n"
  "### 2.1 Eskalation\n"
  "\n"
  "- [x] Vorfälle an `ki-ausschuss@example.com` melden\n"
  "- [ ] Schulung bis zum 30. Juni abschließen\n"
  "\n"
  "---\n"
  "\n"
  "Beschlossen vom Ethikausschuss. ~~Entwurf~~ Fassung 1.0.\n";

static void
test_screenshot (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KdxPolicy) policy = add_policy (f, "Verhaltenskodex", showcase_body);
  g_autoptr(KdxPolicyVersion) draft = draft_of (f, policy);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (buffer_of (f->editor));
  GtkTextIter end;

  kdx_policy_editor_set_version (f->editor, f->store, draft, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (source_view_of (f->editor)));
  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (buffer), &end, 9);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (buffer), &end);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==,
                   "Adwaita");
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "policy-editor.png");

  /* The source follows the dark style. */
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kdx_gui_iterate (100);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==,
                   "Adwaita-dark");
  kdx_gui_screenshot (GTK_WIDGET (f->window), shot_dir, "policy-editor-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  kdx_gui_iterate (100);
}

/* ------------------------------------------------------------------ */

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  int status;

  kdx_gui_test_init (&argc, &argv, "kodex-editor-XXXXXX", &tmpdir, &shot_dir);

  ADD ("/kdx/policy-editor/autosave", test_autosave, NULL);
  ADD ("/kdx/policy-editor/outline", test_outline, NULL);
  ADD ("/kdx/policy-editor/undo-redo", test_undo_redo, NULL);
  ADD ("/kdx/policy-editor/same-version-again", test_same_version_again, NULL);
  ADD ("/kdx/policy-editor/flush", test_flush, NULL);
  ADD ("/kdx/policy-editor/save-error", test_save_error, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (read_only_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/policy-editor/read-only/%s",
                                               read_only_cases[i].name);

      ADD (path, test_read_only, &read_only_cases[i]);
    }
  ADD ("/kdx/policy-editor/twenty-pages", test_twenty_pages, NULL);
  ADD ("/kdx/policy-editor/screenshot", test_screenshot, NULL);

  status = kdx_gui_test_run (&app, 0);
  g_rmdir (tmpdir);

  return status;
}
