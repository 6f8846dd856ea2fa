/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text of a policy version: Markdown on the left (GtkSourceView), the
 * live preview on the right (KdxMarkdownView, no web engine), and a bar
 * below with the save state, the word count, the outline of headings and
 * the preview switch.
 *
 * There is no Save button. Every change restarts a short timer; when the
 * typing pauses, the draft is stored (kdx_policy_save_draft(), one
 * journaled transaction). A change still waiting is stored when the
 * editor is hidden, switches to another version, is flushed by its page
 * or goes away.
 *
 * The preview is rendered at most once per frame, from a tick callback,
 * so a burst of keystrokes costs one rendering. The word count follows
 * when the typing pauses.
 *
 * A version that is not a draft, or a workspace open read-only, shows the
 * preview alone: a reader wants the document, not its markup, and a
 * source view that cannot be changed only invites attempts.
 */
#define G_LOG_DOMAIN "kdx-policy-editor"

#include "config.h"

#include "kdx-policy-editor.h"

#include "kdx-markdown-view.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

/* Quiet time after a keystroke before the draft is stored. */
#define SAVE_DELAY_MS 300
/* Indentation of an outline entry per heading level. */
#define OUTLINE_INDENT 14

struct _KdxPolicyEditor
{
  GtkWidget         parent_instance;

  GtkWidget        *content;
  GtkPaned         *paned;
  GtkWidget        *source_scroller;
  GtkSourceView    *source_view;
  GtkSourceBuffer  *buffer;
  GtkWidget        *preview_scroller;
  KdxMarkdownView  *preview;
  GtkImage         *state_icon;
  GtkLabel         *state_label;
  GtkLabel         *words_label;
  GtkMenuButton    *outline_button;
  GtkListBox       *outline_list;
  GtkToggleButton  *preview_button;

  KdxStore         *store;
  KdxPolicyVersion *version;
  gboolean          editable;

  char             *text;          /* the buffer's text, made on demand */
  gboolean          loading;       /* the buffer is being filled, not edited */
  gboolean          pending;       /* a change is not yet stored */
  GError           *save_error;    /* why the last save failed */
  guint             save_source;
  gboolean          render_dirty;  /* the preview shows an older text */
  guint             render_tick;
  GtkEventController *window_keys; /* on the window while the editor is in it */
};

G_DEFINE_FINAL_TYPE (KdxPolicyEditor, kdx_policy_editor, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Text, preview and word count                                       */

static const char *
current_text (KdxPolicyEditor *self)
{
  GtkTextIter start, end;

  if (self->text == NULL)
    {
      gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
      self->text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->buffer), &start, &end, TRUE);
    }

  return self->text;
}

static void
render_now (KdxPolicyEditor *self)
{
  if (!self->render_dirty)
    return;

  self->render_dirty = FALSE;
  kdx_markdown_view_set_markdown (self->preview, current_text (self));
}

static gboolean
render_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  KdxPolicyEditor *self = user_data;

  self->render_tick = 0;
  render_now (self);

  return G_SOURCE_REMOVE;
}

/* A hidden preview is rendered when it is shown again. */
static void
queue_render (KdxPolicyEditor *self)
{
  self->render_dirty = TRUE;

  if (self->render_tick == 0 && gtk_widget_get_visible (self->preview_scroller))
    self->render_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->preview),
                                                      render_tick_cb, self, NULL);
}

static void
cancel_render (KdxPolicyEditor *self)
{
  if (self->render_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->preview), self->render_tick);
  self->render_tick = 0;
}

static void
update_word_count (KdxPolicyEditor *self)
{
  guint words = kdx_markdown_count_words (current_text (self));
  /* Translators: the length of the policy text; %'u is the number,
   * written with the thousands separator of the language. */
  g_autofree char *label = g_strdup_printf (ngettext ("%'u word", "%'u words", words), words);

  gtk_label_set_label (self->words_label, label);
}

/* ------------------------------------------------------------------ */
/* Save state                                                         */

static char *
read_only_reason (KdxPolicyEditor *self)
{
  KdxVersionStatus status = kdx_policy_version_get_status (self->version);

  if (status != KDX_VERSION_DRAFT)
    /* Translators: %s is the status of a policy version ("Published",
     * "In review", …); only drafts can be changed. */
    return g_strdup_printf (_("Read-only: this version is %s"),
                            kdx_version_status_get_label (status));
  if (kdx_store_is_read_only (self->store))
    return g_strdup (_("Read-only: the workspace is open read-only"));

  return g_strdup (_("Read-only"));
}

static void
show_state (KdxPolicyEditor *self)
{
  g_autofree char *text = NULL;
  const char *icon = NULL;
  gboolean error = FALSE;

  if (self->version == NULL)
    text = g_strdup ("");
  else if (!self->editable)
    {
      text = read_only_reason (self);
      icon = "changes-prevent-symbolic";
    }
  else if (self->save_error != NULL)
    {
      /* Translators: %s says why the policy text could not be stored. */
      text = g_strdup_printf (_("Not saved: %s"), self->save_error->message);
      icon = "dialog-warning-symbolic";
      error = TRUE;
    }
  else if (self->pending)
    {
      text = g_strdup (_("Saving…"));
      icon = "document-save-symbolic";
    }
  else
    {
      text = g_strdup (_("All changes saved"));
      icon = "emblem-ok-symbolic";
    }

  gtk_label_set_label (self->state_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), error ? text : NULL);
  gtk_image_set_from_icon_name (self->state_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), icon != NULL);

  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "dim-label");
    }
}

/* Stores the text; a failure stays visible in the bar (and once as a
 * toast) until a save succeeds. */
static gboolean
save (KdxPolicyEditor  *self,
      GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean was_failing = self->save_error != NULL;

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (!self->pending)
    return TRUE;

  if (!kdx_policy_save_draft (self->store, kdx_policy_version_get_uuid (self->version),
                              current_text (self), &local_error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      g_clear_error (&self->save_error);
      self->save_error = g_error_copy (local_error);
      show_state (self);
      if (!was_failing && KDX_IS_WINDOW (root))
        kdx_window_toast (KDX_WINDOW (root), local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->pending = FALSE;
  g_clear_error (&self->save_error);
  show_state (self);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Outline                                                            */

static void
jump_to_heading (KdxPolicyEditor *self,
                 guint            index)
{
  KdxMarkdownDoc *doc;
  const KdxMarkdownHeading *outline;
  guint n_headings;

  render_now (self);
  doc = kdx_markdown_view_get_doc (self->preview);
  if (doc == NULL)
    return;
  outline = kdx_markdown_doc_get_outline (doc, &n_headings);
  if (index >= n_headings)
    return;

  if (gtk_widget_get_visible (self->source_scroller))
    {
      GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
      GtkTextIter iter;

      gtk_text_buffer_get_iter_at_line (buffer, &iter, (int) outline[index].source_line - 1);
      gtk_text_buffer_place_cursor (buffer, &iter);
      gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->source_view),
                                    gtk_text_buffer_get_insert (buffer), 0.0, TRUE, 0.0, 0.0);
      gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
    }

  if (gtk_widget_get_visible (self->preview_scroller))
    kdx_markdown_view_scroll_to_heading (self->preview, index);
}

static void
rebuild_outline (KdxPolicyEditor *self)
{
  KdxMarkdownDoc *doc;
  const KdxMarkdownHeading *outline = NULL;
  guint n_headings = 0;
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->outline_list, 0)) != NULL)
    gtk_list_box_remove (self->outline_list, GTK_WIDGET (row));

  render_now (self);
  doc = kdx_markdown_view_get_doc (self->preview);
  if (doc != NULL)
    outline = kdx_markdown_doc_get_outline (doc, &n_headings);

  for (guint i = 0; i < n_headings; i++)
    {
      GtkWidget *label = gtk_label_new (outline[i].title);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_set_margin_start (label, (MIN (outline[i].level, 6) - 1) * OUTLINE_INDENT);
      if (outline[i].level == 1)
        gtk_widget_add_css_class (label, "heading");
      else if (outline[i].level > 2)
        gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_tooltip_text (label, outline[i].title);
      gtk_list_box_append (self->outline_list, label);
    }
}

/* ------------------------------------------------------------------ */
/* Keeping the preview beside the source                              */

typedef struct
{
  double source;
  double preview;
} Anchor;

static double
line_y (GtkTextView *view,
        GtkTextIter *iter)
{
  int y, height;

  gtk_text_view_get_line_yrange (view, iter, &y, &height);
  return y;
}

/* Each heading is shown at the same place in both views; between two
 * headings the preview follows in proportion. */
static void
sync_preview_scroll (KdxPolicyEditor *self)
{
  GtkAdjustment *from = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->source_scroller));
  GtkAdjustment *to = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->preview_scroller));
  double from_max = gtk_adjustment_get_upper (from) - gtk_adjustment_get_page_size (from);
  double to_max = gtk_adjustment_get_upper (to) - gtk_adjustment_get_page_size (to);
  double top = gtk_adjustment_get_value (from);
  KdxMarkdownDoc *doc = kdx_markdown_view_get_doc (self->preview);
  GtkTextBuffer *preview_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->preview));
  const KdxMarkdownHeading *outline;
  const char *text, *at;
  guint n_headings, chars = 0;
  Anchor last = { 0, 0 }, next = { from_max, to_max };

  if (doc == NULL || from_max <= 0 || to_max <= 0 || self->render_dirty ||
      !gtk_widget_get_visible (self->preview_scroller))
    return;

  text = at = kdx_markdown_doc_get_text (doc, NULL);
  outline = kdx_markdown_doc_get_outline (doc, &n_headings);
  for (guint i = 0; i < n_headings; i++)
    {
      GtkTextIter iter;
      Anchor anchor;

      gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), &iter,
                                        (int) outline[i].source_line - 1);
      anchor.source = line_y (GTK_TEXT_VIEW (self->source_view), &iter);
      chars += g_utf8_pointer_to_offset (at, text + outline[i].offset);
      at = text + outline[i].offset;
      gtk_text_buffer_get_iter_at_offset (preview_buffer, &iter, chars);
      anchor.preview = line_y (GTK_TEXT_VIEW (self->preview), &iter);

      if (anchor.source >= from_max || anchor.preview >= to_max)
        break;
      if (anchor.source <= top)
        last = anchor;
      else
        {
          next = anchor;
          break;
        }
    }

  if (next.source > last.source)
    gtk_adjustment_set_value (to, last.preview + (top - last.source) *
                                  (next.preview - last.preview) / (next.source - last.source));
}

/* ------------------------------------------------------------------ */
/* Callbacks                                                          */

static gboolean
save_timeout_cb (gpointer user_data)
{
  KdxPolicyEditor *self = user_data;

  self->save_source = 0;
  save (self, NULL);
  update_word_count (self);

  return G_SOURCE_REMOVE;
}

static void
buffer_changed_cb (KdxPolicyEditor *self)
{
  g_clear_pointer (&self->text, g_free);
  queue_render (self);

  /* Only typing is stored, never the loading of a version. */
  if (self->loading || !self->editable)
    return;

  self->pending = TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
  if (self->save_error == NULL)
    show_state (self);
}

static void
preview_toggled_cb (KdxPolicyEditor *self)
{
  gboolean shown = gtk_toggle_button_get_active (self->preview_button);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->preview_button),
                               shown ? _("Hide Preview") : _("Show Preview"));
  if (shown)
    {
      render_now (self);
      sync_preview_scroll (self);
    }
  else
    cancel_render (self);
}

static void
outline_show_cb (KdxPolicyEditor *self)
{
  rebuild_outline (self);
}

static void
outline_row_activated_cb (KdxPolicyEditor *self,
                          GtkListBoxRow   *row)
{
  gtk_menu_button_popdown (self->outline_button);
  jump_to_heading (self, gtk_list_box_row_get_index (row));
}

static void
source_scrolled_cb (KdxPolicyEditor *self)
{
  sync_preview_scroll (self);
}

/* The window's shortcuts are captured before the text sees a key, so the
 * window's Ctrl+Z (undo a deletion) would undo the wrong thing. While the
 * text has the focus, its own Ctrl shortcuts come first; what it does
 * not handle goes on to the window. */
static gboolean
window_key_pressed_cb (KdxPolicyEditor    *self,
                       guint               keyval,
                       guint               keycode,
                       GdkModifierType     state,
                       GtkEventController *controller)
{
  if ((state & GDK_CONTROL_MASK) == 0 || !gtk_widget_has_focus (GTK_WIDGET (self->source_view)))
    return GDK_EVENT_PROPAGATE;

  return gtk_event_controller_key_forward (GTK_EVENT_CONTROLLER_KEY (controller),
                                           GTK_WIDGET (self->source_view));
}

static void
update_style_scheme (KdxPolicyEditor *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme *scheme =
    gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (),
                                                dark ? "Adwaita-dark" : "Adwaita");

  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
}

/* ------------------------------------------------------------------ */
/* Overrides                                                          */

static void
kdx_policy_editor_root (GtkWidget *widget)
{
  KdxPolicyEditor *self = KDX_POLICY_EDITOR (widget);

  GTK_WIDGET_CLASS (kdx_policy_editor_parent_class)->root (widget);

  self->window_keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->window_keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (self->window_keys, "key-pressed",
                            G_CALLBACK (window_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (gtk_widget_get_root (widget)), self->window_keys);
}

static void
kdx_policy_editor_unroot (GtkWidget *widget)
{
  KdxPolicyEditor *self = KDX_POLICY_EDITOR (widget);

  gtk_widget_remove_controller (GTK_WIDGET (gtk_widget_get_root (widget)), self->window_keys);
  self->window_keys = NULL;

  GTK_WIDGET_CLASS (kdx_policy_editor_parent_class)->unroot (widget);
}

static void
kdx_policy_editor_unmap (GtkWidget *widget)
{
  KdxPolicyEditor *self = KDX_POLICY_EDITOR (widget);

  /* Leaving the page (or closing the window) stores what was typed; a
   * failure shows in the bar and as a toast. */
  save (self, NULL);

  GTK_WIDGET_CLASS (kdx_policy_editor_parent_class)->unmap (widget);
}

static void
kdx_policy_editor_dispose (GObject *object)
{
  KdxPolicyEditor *self = KDX_POLICY_EDITOR (object);
  g_autoptr(GError) error = NULL;

  /* Normally unmap has stored everything; a failure there was shown. */
  if (self->pending && !save (self, &error))
    g_debug ("The policy text could not be stored: %s", error->message);

  g_clear_handle_id (&self->save_source, g_source_remove);
  cancel_render (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_POLICY_EDITOR);

  g_clear_object (&self->version);
  g_clear_object (&self->store);
  g_clear_pointer (&self->text, g_free);
  g_clear_error (&self->save_error);

  G_OBJECT_CLASS (kdx_policy_editor_parent_class)->dispose (object);
}

static void
kdx_policy_editor_class_init (KdxPolicyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_policy_editor_dispose;
  widget_class->root = kdx_policy_editor_root;
  widget_class->unroot = kdx_policy_editor_unroot;
  widget_class->unmap = kdx_policy_editor_unmap;

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_BUFFER);
  g_type_ensure (KDX_TYPE_MARKDOWN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-policy-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, content);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, paned);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, source_scroller);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, source_view);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, buffer);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, preview_scroller);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, preview);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, state_icon);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, state_label);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, words_label);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, outline_button);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, outline_list);
  gtk_widget_class_bind_template_child (widget_class, KdxPolicyEditor, preview_button);
  gtk_widget_class_bind_template_callback (widget_class, buffer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preview_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, outline_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, outline_row_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_policy_editor_init (KdxPolicyEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkAdjustment *source_scroll;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_source_buffer_set_language (self->buffer,
                                  gtk_source_language_manager_get_language (languages, "markdown"));
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);
  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  source_scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->source_scroller));
  g_signal_connect_object (source_scroll, "value-changed",
                           G_CALLBACK (source_scrolled_cb), self, G_CONNECT_SWAPPED);

  kdx_policy_editor_set_version (self, NULL, NULL, FALSE);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

KdxPolicyEditor *
kdx_policy_editor_new (void)
{
  return g_object_new (KDX_TYPE_POLICY_EDITOR, NULL);
}

void
kdx_policy_editor_set_version (KdxPolicyEditor  *self,
                               KdxStore         *store,
                               KdxPolicyVersion *version,
                               gboolean          editable)
{
  const char *body = version ? kdx_policy_version_get_body (version) : NULL;
  gboolean same, keep_text;
  GtkTextIter start;

  g_return_if_fail (KDX_IS_POLICY_EDITOR (self));
  g_return_if_fail (store == NULL || KDX_IS_STORE (store));
  g_return_if_fail (version == NULL || KDX_IS_POLICY_VERSION (version));
  g_return_if_fail (version == NULL || store != NULL);

  /* The same version again (its page refreshed after a save): what is in
   * the editor is newer than or equal to the version's body, so the text,
   * the cursor and the undo history stay. */
  same = self->version != NULL && version != NULL && store == self->store &&
         g_str_equal (kdx_policy_version_get_uuid (self->version),
                      kdx_policy_version_get_uuid (version));
  keep_text = same && (self->pending || g_strcmp0 (body, current_text (self)) == 0);

  /* A failure has been shown as a toast by save(). */
  save (self, NULL);
  self->pending = FALSE;
  g_clear_error (&self->save_error);
  g_clear_handle_id (&self->save_source, g_source_remove);

  g_set_object (&self->store, store);
  g_set_object (&self->version, version);
  self->editable = editable && version != NULL && kdx_policy_version_is_editable (version) &&
                   !kdx_store_is_read_only (store);

  if (!keep_text)
    {
      GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);

      /* Loading is no edit: nothing to undo, nothing to store. */
      self->loading = TRUE;
      gtk_text_buffer_begin_irreversible_action (buffer);
      gtk_text_buffer_set_text (buffer, body ? body : "", -1);
      gtk_text_buffer_end_irreversible_action (buffer);
      self->loading = FALSE;

      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_place_cursor (buffer, &start);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->source_scroller)), 0);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->preview_scroller)), 0);
    }

  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->source_view), self->editable);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->source_view), self->editable);
  gtk_widget_set_visible (self->source_scroller, self->editable);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_button), self->editable);
  if (!self->editable)
    gtk_toggle_button_set_active (self->preview_button, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->outline_button), version != NULL);

  self->render_dirty = TRUE;
  render_now (self);
  update_word_count (self);
  show_state (self);
}

gboolean
kdx_policy_editor_flush (KdxPolicyEditor  *self,
                         GError          **error)
{
  g_return_val_if_fail (KDX_IS_POLICY_EDITOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!save (self, error))
    return FALSE;
  update_word_count (self);

  return TRUE;
}

gboolean
kdx_policy_editor_has_pending (KdxPolicyEditor *self)
{
  g_return_val_if_fail (KDX_IS_POLICY_EDITOR (self), FALSE);

  return self->pending;
}

const char *
kdx_policy_editor_get_text (KdxPolicyEditor *self)
{
  g_return_val_if_fail (KDX_IS_POLICY_EDITOR (self), NULL);

  return current_text (self);
}
