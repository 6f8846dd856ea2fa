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
/* How long a jump or the preview's place is held at the most. */
#define PIN_MAX_USEC (10 * G_USEC_PER_SEC)
/* Indentation of an outline entry per heading level. */
#define OUTLINE_INDENT 14

/* A line kept at the top of a view for a while (see pin_to_top()). */
typedef struct
{
  GtkTextView *view;
  GtkTextMark *mark;
  guint        idle;
  gint64       since;    /* monotonic time of the jump */
  double       height;   /* the view's height when last seen */
} Pin;

struct _KdxPolicyEditor
{
  GtkWidget         parent_instance;

  GtkWidget        *content;
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
  Pin               source_pin;    /* the heading jumped to */
  Pin               preview_pin;   /* where the source is */
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
/* Scrolling: jumps that stay put, a preview that follows the source  */

/* Puts the line of @iter at the top of the pin's view and keeps it there
 * while the view measures its text. Far from what a text view has drawn,
 * its lines are only estimated; as it measures them in an idle handler,
 * the line drifts, and a scroll to a mark can stay pending until
 * something relayouts the view. So the view is scrolled at once, and
 * again from an idle handler of lower priority than the measuring, which
 * runs when the view has caught up, until its height stays the same (or
 * the person scrolls, clicks or types there). Frames are never forced,
 * so a slow machine is not kept from measuring by drawing. */
static gboolean
pin_idle_cb (gpointer user_data)
{
  Pin *pin = user_data;
  GtkAdjustment *scroll = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (pin->view));
  double height = gtk_adjustment_get_upper (scroll);
  GtkTextIter iter;
  int y, line_height;

  gtk_text_buffer_get_iter_at_mark (gtk_text_view_get_buffer (pin->view), &iter, pin->mark);
  gtk_text_view_get_line_yrange (pin->view, &iter, &y, &line_height);
  if (ABS (gtk_adjustment_get_value (scroll) - (y + gtk_text_view_get_top_margin (pin->view))) >= 1)
    gtk_text_view_scroll_to_iter (pin->view, &iter, 0.0, TRUE, 0.0, 0.0);

  if (height != pin->height && g_get_monotonic_time () - pin->since < PIN_MAX_USEC)
    {
      pin->height = height;
      return G_SOURCE_CONTINUE;
    }

  pin->idle = 0;
  return G_SOURCE_REMOVE;
}

static void
pin_to_top (Pin         *pin,
            GtkTextIter *iter)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (pin->view);

  if (pin->mark == NULL)
    pin->mark = gtk_text_buffer_create_mark (buffer, NULL, iter, TRUE);
  else
    gtk_text_buffer_move_mark (buffer, pin->mark, iter);
  gtk_text_view_scroll_to_iter (pin->view, iter, 0.0, TRUE, 0.0, 0.0);

  pin->since = g_get_monotonic_time ();
  pin->height = -1;
  if (pin->idle == 0)
    pin->idle = g_idle_add_full (G_PRIORITY_LOW, pin_idle_cb, pin, NULL);
}

static void
unpin (Pin *pin)
{
  g_clear_handle_id (&pin->idle, g_source_remove);
}

static gboolean
is_user_input (GdkEvent *event)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_SCROLL:
    case GDK_BUTTON_PRESS:
    case GDK_KEY_PRESS:
    case GDK_TOUCH_BEGIN:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
scroll_preview_to_char (KdxPolicyEditor *self,
                        int              offset)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (self->preview_pin.view), &iter,
                                      offset);
  pin_to_top (&self->preview_pin, &iter);
}

/* The preview shows the part of the text that the source shows. A
 * heading at the top of the source is at the top of the preview; between
 * two headings the preview follows in proportion, lines of the source to
 * characters of the preview. The preview is moved to a character, not a
 * pixel: far from what it has drawn, a text view only estimates where a
 * line is (see pin_to_top()). */
static void
sync_preview_scroll (KdxPolicyEditor *self)
{
  GtkTextView *source = GTK_TEXT_VIEW (self->source_view);
  GtkTextBuffer *preview_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->preview));
  GtkAdjustment *scroll = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (source));
  KdxMarkdownDoc *doc = kdx_markdown_view_get_doc (self->preview);
  const KdxMarkdownHeading *outline;
  const char *text, *at;
  guint n_headings, chars = 0;
  int top_line, last_line = 0, last_char = 0, next_line, next_char;
  GtkTextIter iter;

  if (doc == NULL || self->render_dirty || !gtk_widget_get_visible (self->source_scroller) ||
      !gtk_widget_get_visible (self->preview_scroller))
    return;

  gtk_text_view_get_line_at_y (source, &iter,
                               gtk_adjustment_get_value (scroll) -
                               gtk_text_view_get_top_margin (source), NULL);
  top_line = gtk_text_iter_get_line (&iter);
  next_line = gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer));
  next_char = gtk_text_buffer_get_char_count (preview_buffer);

  text = at = kdx_markdown_doc_get_text (doc, NULL);
  outline = kdx_markdown_doc_get_outline (doc, &n_headings);
  for (guint i = 0; i < n_headings; i++)
    {
      int line = (int) outline[i].source_line - 1;

      chars += g_utf8_pointer_to_offset (at, text + outline[i].offset);
      at = text + outline[i].offset;
      if (line > top_line)
        {
          next_line = line;
          next_char = chars;
          break;
        }
      last_line = line;
      last_char = chars;
    }

  scroll_preview_to_char (self, last_char + (double) (top_line - last_line) *
                                           (next_char - last_char) /
                                           MAX (next_line - last_line, 1));
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
      pin_to_top (&self->source_pin, &iter);
      gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
    }

  if (gtk_widget_get_visible (self->preview_scroller))
    {
      const char *text = kdx_markdown_doc_get_text (doc, NULL);

      scroll_preview_to_char (self, g_utf8_pointer_to_offset (text, text + outline[index].offset));
    }
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

/* A person who scrolls, clicks or types in a view takes over from a pin. */
static gboolean
view_input_cb (GtkEventControllerLegacy *controller,
               GdkEvent                 *event,
               Pin                      *pin)
{
  if (is_user_input (event))
    unpin (pin);

  return GDK_EVENT_PROPAGATE;
}

/* Sees what a person does inside @widget (a view's scroller) before the
 * view does. */
static void
watch_input (GtkWidget *widget,
             Pin       *pin)
{
  GtkEventController *controller = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (view_input_cb), pin);
  gtk_widget_add_controller (widget, controller);
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
  unpin (&self->source_pin);
  unpin (&self->preview_pin);
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

  self->source_pin.view = GTK_TEXT_VIEW (self->source_view);
  self->preview_pin.view = GTK_TEXT_VIEW (self->preview);
  watch_input (self->source_scroller, &self->source_pin);
  watch_input (self->preview_scroller, &self->preview_pin);

  source_scroll = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->source_view));
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
  GtkAdjustment *source_scroll;
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
      unpin (&self->source_pin);
      unpin (&self->preview_pin);
      source_scroll = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->source_view));
      gtk_adjustment_set_value (source_scroll, 0);
      gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->preview)), 0);
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
