/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pieces that the views of mappings share: the Undo of an unlinked
 * requirement or a removed assessment, the rows that edit an
 * assessment (assessor, date, evidence), and the window to pick what to
 * link from a searchable list. What is saved is each view's
 * own business; these only build, show and put back.
 */
#define G_LOG_DOMAIN "kdx-mapping-widgets"

#include "config.h"

#include "kdx-mapping-widgets.h"
#include "kdx-format.h"

#include "kdx-window.h"

#include <glib/gi18n.h>
#include <string.h>

char *
kdx_editable_dup_stripped (GtkEditable *editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

void
kdx_toast_with_undo (GtkWidget      *widget,
                     const char     *message,
                     GCallback       undo,
                     gpointer        data,
                     GDestroyNotify  data_free)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      kdx_window_toast_from (widget, message);
      data_free (data);
      return;
    }

  toast = kdx_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_data (toast, "button-clicked", undo, data,
                         (GClosureNotify) (void (*) (void)) data_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* ------------------------------------------------------------------ */
/* Undo                                                               */

KdxRequirementLink *
kdx_requirement_link_new (KdxStore   *store,
                          const char *policy,
                          const char *requirement)
{
  KdxRequirementLink *link = g_new0 (KdxRequirementLink, 1);

  link->store = g_object_ref (store);
  link->policy = g_strdup (policy);
  link->requirement = g_strdup (requirement);

  return link;
}

void
kdx_requirement_link_free (KdxRequirementLink *link)
{
  g_clear_object (&link->store);
  g_free (link->policy);
  g_free (link->requirement);
  g_free (link);
}

void
kdx_requirement_link_undo_cb (AdwToast           *toast,
                              KdxRequirementLink *link)
{
  g_autoptr(GError) error = NULL;

  if (!kdx_mapping_link_requirement (link->store, link->policy, link->requirement, &error))
    g_warning ("Cannot link the policy and the requirement again: %s", error->message);
}

KdxAssessment *
kdx_assessment_new (KdxStore            *store,
                    const char          *system,
                    const char          *policy,
                    const KdxMappingRow *row)
{
  KdxAssessment *a = g_new0 (KdxAssessment, 1);

  a->store = g_object_ref (store);
  a->system = g_strdup (system);
  a->policy = g_strdup (policy);
  a->status = row->compliance >= 0 ? row->compliance : KDX_COMPLIANCE_NOT_ASSESSED;
  a->assessor = g_strdup (row->assessor);
  a->date = g_strdup (row->date);
  a->evidence = g_strdup (row->evidence);

  return a;
}

void
kdx_assessment_free (KdxAssessment *a)
{
  g_clear_object (&a->store);
  g_free (a->system);
  g_free (a->policy);
  g_free (a->assessor);
  g_free (a->date);
  g_free (a->evidence);
  g_free (a);
}

void
kdx_assessment_undo_cb (AdwToast      *toast,
                        KdxAssessment *a)
{
  g_autoptr(GError) error = NULL;

  if (!kdx_mapping_set_system_policy (a->store, a->system, a->policy, a->status, a->assessor,
                                      a->date, a->evidence, &error))
    g_warning ("Cannot apply the policy again: %s", error->message);
}

/* ------------------------------------------------------------------ */
/* The rows of an assessment                                          */

static GtkWidget *
row_with_suffix (const char *title,
                 const char *subtitle,
                 GtkWidget  *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);

  return row;
}

void
kdx_assessment_editor_add (KdxAssessmentEditor *editor,
                           AdwExpanderRow      *row,
                           KdxStore            *store,
                           GCallback            changed,
                           gpointer             data)
{
  g_return_if_fail (editor != NULL);
  g_return_if_fail (ADW_IS_EXPANDER_ROW (row));

  editor->assessor = g_object_new (KDX_TYPE_PERSON_CHOOSER, NULL);
  kdx_person_chooser_set_store (editor->assessor, store);
  kdx_person_chooser_set_allow_none (editor->assessor, TRUE);
  kdx_person_chooser_set_empty_label (editor->assessor, _("Nobody"));
  g_signal_connect_swapped (editor->assessor, "chosen", changed, data);
  adw_expander_row_add_row (row,
                            row_with_suffix (_("Assessor"), _("Who judged the compliance"),
                                             GTK_WIDGET (editor->assessor)));

  /* The names let the tests find the rows. */
  editor->date = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (editor->date), "date");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->date), _("Assessed On (YYYY-MM-DD)"));
  adw_entry_row_set_show_apply_button (editor->date, TRUE);
  g_signal_connect_swapped (editor->date, "apply", changed, data);
  adw_expander_row_add_row (row, GTK_WIDGET (editor->date));

  editor->evidence = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (editor->evidence), "evidence");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->evidence), _("Evidence"));
  adw_entry_row_set_show_apply_button (editor->evidence, TRUE);
  g_signal_connect_swapped (editor->evidence, "apply", changed, data);
  adw_expander_row_add_row (row, GTK_WIDGET (editor->evidence));
}

static void
set_text_if_other (GtkEditable *editable,
                   const char  *text)
{
  if (text == NULL)
    text = "";
  if (g_strcmp0 (gtk_editable_get_text (editable), text) != 0)
    gtk_editable_set_text (editable, text);
}

void
kdx_assessment_editor_show (KdxAssessmentEditor *editor,
                            const KdxMappingRow *mapping,
                            gboolean             can_edit)
{
  g_return_if_fail (editor != NULL);
  g_return_if_fail (mapping != NULL);

  if (g_strcmp0 (kdx_person_chooser_get_person (editor->assessor), mapping->assessor) != 0)
    kdx_person_chooser_set_person (editor->assessor, mapping->assessor);
  set_text_if_other (GTK_EDITABLE (editor->date), mapping->date);
  set_text_if_other (GTK_EDITABLE (editor->evidence), mapping->evidence);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->assessor), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->date), can_edit);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->evidence), can_edit);
}

/* ------------------------------------------------------------------ */
/* Picking from a searchable list                                     */

struct _KdxPickItem
{
  GObject   parent_instance;

  char     *id;
  char     *title;
  char     *subtitle;
  char     *taken_subtitle;
  char     *search;    /* case-folded title and subtitle */
  guint     depth;
  gboolean  taken;
};

G_DEFINE_FINAL_TYPE (KdxPickItem, kdx_pick_item, G_TYPE_OBJECT)

static void
kdx_pick_item_finalize (GObject *object)
{
  KdxPickItem *self = KDX_PICK_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->taken_subtitle);
  g_free (self->search);

  G_OBJECT_CLASS (kdx_pick_item_parent_class)->finalize (object);
}

static void
kdx_pick_item_class_init (KdxPickItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_pick_item_finalize;
}

static void
kdx_pick_item_init (KdxPickItem *self)
{
}

KdxPickItem *
kdx_pick_item_new (const char *id,
                   const char *title,
                   const char *subtitle,
                   const char *taken_subtitle,
                   guint       depth,
                   gboolean    taken)
{
  KdxPickItem *item = g_object_new (KDX_TYPE_PICK_ITEM, NULL);
  g_autofree char *both = g_strconcat (title, " ", subtitle ? subtitle : "", NULL);

  item->id = g_strdup (id);
  item->title = g_strdup (title);
  item->subtitle = g_strdup (subtitle);
  item->taken_subtitle = g_strdup (taken_subtitle);
  item->search = g_utf8_casefold (both, -1);
  item->depth = depth;
  item->taken = taken;

  return item;
}

const char *
kdx_pick_item_get_id (KdxPickItem *item)
{
  g_return_val_if_fail (KDX_IS_PICK_ITEM (item), NULL);

  return item->id;
}

const char *
kdx_pick_item_get_title (KdxPickItem *item)
{
  g_return_val_if_fail (KDX_IS_PICK_ITEM (item), NULL);

  return item->title;
}

struct _KdxPicker
{
  GtkWindow           *window;
  GtkBox              *content;
  GtkSearchEntry      *search;
  GtkButton           *confirm;
  GListStore          *items;
  GtkCustomFilter     *filter;
  GtkSingleSelection  *selection;
  char                *query;         /* case-folded, or NULL */
  KdxPickerChooseFunc  choose;
  gpointer             user_data;
  GDestroyNotify       user_data_free;
};

static void
picker_free (KdxPicker *picker)
{
  g_signal_handlers_disconnect_by_data (picker->selection, picker);
  gtk_custom_filter_set_filter_func (picker->filter, NULL, NULL, NULL);
  if (picker->user_data_free != NULL)
    picker->user_data_free (picker->user_data);
  g_clear_object (&picker->items);
  g_clear_object (&picker->filter);
  g_clear_object (&picker->selection);
  g_free (picker->query);
  g_free (picker);
}

static gboolean
pick_filter_func (gpointer item,
                  gpointer user_data)
{
  KdxPicker *picker = user_data;

  return picker->query == NULL || strstr (KDX_PICK_ITEM (item)->search, picker->query) != NULL;
}

static void
pick_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
pick_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  KdxPickItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  const char *sub = item->taken ? item->taken_subtitle : item->subtitle;

  gtk_widget_set_margin_start (box, MIN (item->depth, 8) * 16);
  gtk_label_set_label (GTK_LABEL (title), item->title);
  gtk_widget_set_tooltip_text (title, item->title);
  gtk_label_set_label (GTK_LABEL (subtitle), sub ? sub : "");
  gtk_widget_set_visible (subtitle, sub != NULL && *sub != '\0');
  if (item->taken)
    gtk_widget_add_css_class (title, "dim-label");
  else
    gtk_widget_remove_css_class (title, "dim-label");
}

static void
picker_update (KdxPicker *picker)
{
  KdxPickItem *item = gtk_single_selection_get_selected_item (picker->selection);

  gtk_widget_set_sensitive (GTK_WIDGET (picker->confirm), item != NULL && !item->taken);
}

static void
picker_search_changed_cb (GtkSearchEntry *entry,
                          KdxPicker      *picker)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  g_clear_pointer (&picker->query, g_free);
  if (*text != '\0')
    picker->query = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (picker->filter), GTK_FILTER_CHANGE_DIFFERENT);
  picker_update (picker);
}

static void
picker_confirm (KdxPicker *picker)
{
  KdxPickItem *item = gtk_single_selection_get_selected_item (picker->selection);

  if (item == NULL || item->taken)
    return;

  if (picker->choose (item, picker->user_data))
    gtk_window_destroy (picker->window);
}

static void
picker_activate_cb (GtkListView *view,
                    guint        position,
                    KdxPicker   *picker)
{
  gtk_single_selection_set_selected (picker->selection, position);
  picker_confirm (picker);
}

/* Enter in the search field takes the first entry that can be taken. */
static void
picker_search_activate_cb (GtkSearchEntry *entry,
                           KdxPicker      *picker)
{
  GListModel *model = G_LIST_MODEL (picker->selection);

  /* Enter may come before the entry's pause for "search-changed". */
  picker_search_changed_cb (entry, picker);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KdxPickItem) item = g_list_model_get_item (model, i);

      if (!item->taken)
        {
          gtk_single_selection_set_selected (picker->selection, i);
          picker_confirm (picker);
          return;
        }
    }
}

KdxPicker *
kdx_picker_new (GtkWidget           *parent,
                const char          *title,
                const char          *confirm_label,
                const char          *search_placeholder,
                const char          *list_label,
                KdxPickerChooseFunc  choose,
                gpointer             user_data,
                GDestroyNotify       user_data_free)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  KdxPicker *picker = g_new0 (KdxPicker, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkWidget *view;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (choose != NULL, NULL);

  picker->choose = choose;
  picker->user_data = user_data;
  picker->user_data_free = user_data_free;
  picker->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_title (picker->window, title);
  gtk_window_set_modal (picker->window, TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (picker->window, GTK_WINDOW (root));
  gtk_window_set_default_size (picker->window, 480, 560);
  gtk_window_set_destroy_with_parent (picker->window, TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (title, NULL));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), picker->window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  picker->confirm = GTK_BUTTON (gtk_button_new_with_mnemonic (confirm_label));
  gtk_widget_add_css_class (GTK_WIDGET (picker->confirm), "suggested-action");
  g_signal_connect_swapped (picker->confirm, "clicked", G_CALLBACK (picker_confirm), picker);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (picker->confirm));
  gtk_box_append (GTK_BOX (box), header);

  picker->content = GTK_BOX (content);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_vexpand (content, TRUE);

  picker->items = g_list_store_new (KDX_TYPE_PICK_ITEM);
  picker->filter = gtk_custom_filter_new (pick_filter_func, picker, NULL);
  picker->selection = gtk_single_selection_new (
    G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (picker->items)),
                                             g_object_ref (GTK_FILTER (picker->filter)))));
  gtk_single_selection_set_autoselect (picker->selection, FALSE);
  gtk_single_selection_set_can_unselect (picker->selection, TRUE);
  g_signal_connect_swapped (picker->selection, "notify::selected-item",
                            G_CALLBACK (picker_update), picker);

  picker->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (picker->search, "placeholder-text", search_placeholder, NULL);
  g_signal_connect (picker->search, "search-changed", G_CALLBACK (picker_search_changed_cb), picker);
  g_signal_connect (picker->search, "activate", G_CALLBACK (picker_search_activate_cb), picker);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (picker->search));

  g_signal_connect (factory, "setup", G_CALLBACK (pick_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (pick_bind_cb), NULL);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (picker->selection)), factory);
  gtk_widget_add_css_class (view, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  list_label, -1);
  g_signal_connect (view, "activate", G_CALLBACK (picker_activate_cb), picker);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (content), scroller);
  gtk_box_append (GTK_BOX (box), content);

  /* Escape closes it, as it would a dialog. */
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (GTK_WIDGET (picker->window), shortcuts);

  adw_window_set_content (ADW_WINDOW (picker->window), box);
  g_object_set_data_full (G_OBJECT (picker->window), "picker", picker, (GDestroyNotify) picker_free);
  picker_update (picker);

  return picker;
}

void
kdx_picker_add_header (KdxPicker *picker,
                       GtkWidget *widget)
{
  g_return_if_fail (picker != NULL);

  gtk_box_insert_child_after (picker->content, widget,
                              gtk_widget_get_prev_sibling (GTK_WIDGET (picker->search)));
}

void
kdx_picker_set_items (KdxPicker *picker,
                      GPtrArray *items)
{
  g_return_if_fail (picker != NULL);

  g_list_store_splice (picker->items, 0, g_list_model_get_n_items (G_LIST_MODEL (picker->items)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (picker->selection, GTK_INVALID_LIST_POSITION);
  picker_update (picker);
}

void
kdx_picker_present (KdxPicker *picker)
{
  g_return_if_fail (picker != NULL);

  gtk_window_present (picker->window);
  gtk_widget_grab_focus (GTK_WIDGET (picker->search));
}
