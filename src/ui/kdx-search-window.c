/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ctrl+K: one search over the whole workspace. Policies are searched in
 * every version (FTS5, with highlighted snippets), people by name,
 * e-mail, department and role, courses by title, topic and key; each
 * later area adds a section here.
 */
#define G_LOG_DOMAIN "kdx-search-window"

#include "config.h"

#include "kdx-search-window.h"

#include "kdx-format.h"
#include "kdx-people-page.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-policy-page.h"
#include "kdx-system.h"
#include "kdx-system-page.h"
#include "kdx-training-page.h"

#include <glib/gi18n.h>
#include <string.h>

#define MAX_POLICIES 30
#define MAX_PEOPLE   10
#define MAX_SYSTEMS  10
#define MAX_COURSES  10

struct _KdxSearchWindow
{
  AdwWindow       parent_instance;

  GtkSearchEntry *entry;
  GtkStack       *stack;
  GtkListBox     *list;

  KdxWindow      *window;   /* weak */
  KdxStore       *store;
  GListModel     *people;
  guint           n_results;
};

G_DEFINE_FINAL_TYPE (KdxSearchWindow, kdx_search_window, ADW_TYPE_WINDOW)

static GtkWidget *
header_row_new (const char *title)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_start (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);

  return row;
}

static GtkWidget *
result_row_new (const char *title,
                const char *detail,
                const char *markup,
                const char *kind,
                const char *target,
                const char *version)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *detail_label = gtk_label_new (detail);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title_label, TRUE);
  gtk_widget_add_css_class (detail_label, "dim-label");
  gtk_widget_add_css_class (detail_label, "caption");
  gtk_box_append (GTK_BOX (top), title_label);
  gtk_box_append (GTK_BOX (top), detail_label);
  gtk_box_append (GTK_BOX (box), top);

  if (markup != NULL)
    {
      GtkWidget *snippet = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (snippet), markup);
      gtk_label_set_xalign (GTK_LABEL (snippet), 0);
      gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (snippet, "caption");
      gtk_box_append (GTK_BOX (box), snippet);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "kind", (gpointer) kind);
  g_object_set_data_full (G_OBJECT (row), "target", g_strdup (target), g_free);
  g_object_set_data_full (G_OBJECT (row), "version", g_strdup (version), g_free);

  return row;
}

/* AI systems whose name, key, vendor or description holds @text. */
static void
search_systems (KdxSearchWindow *self,
                const char      *text)
{
  g_autoptr(GPtrArray) systems = NULL;
  KdxSystemFilter filter;

  kdx_system_filter_init (&filter);
  filter.text = text;
  filter.sort = KDX_SYSTEM_SORT_NAME;
  systems = kdx_system_list (self->store, &filter, NULL);
  if (systems == NULL || systems->len == 0)
    return;

  gtk_list_box_append (self->list, header_row_new (_("AI Systems")));
  for (guint i = 0; i < systems->len && i < MAX_SYSTEMS; i++)
    {
      KdxSystem *system = systems->pdata[i];
      g_autofree char *title = g_strdup_printf ("%s · %s", kdx_system_get_key (system),
                                                kdx_system_get_name (system));
      KdxRiskClass risk = kdx_system_get_risk (system);
      const char *vendor = kdx_system_get_vendor (system);
      g_autofree char *detail = NULL;

      if (vendor != NULL && *vendor != '\0')
        /* Translators: a system in the search results: "High risk · Salesforce" */
        detail = g_strdup_printf (_("%s · %s"), kdx_risk_class_get_label (risk), vendor);
      else
        detail = g_strdup (kdx_risk_class_get_label (risk));
      gtk_list_box_append (self->list, result_row_new (title, detail, NULL, "system",
                                                       kdx_system_get_uuid (system), NULL));
      self->n_results++;
    }
}

/* Courses whose title, topic or key holds @text; there are few of them,
 * so they are matched here rather than in SQL. */
static void
search_courses (KdxSearchWindow *self,
                const char      *text)
{
  g_autoptr(GPtrArray) courses = kdx_course_list (self->store, NULL);
  g_autofree char *needle = g_utf8_casefold (text, -1);
  guint n = 0;

  for (guint i = 0; courses != NULL && i < courses->len && n < MAX_COURSES; i++)
    {
      KdxCourse *course = courses->pdata[i];
      const char *topic = kdx_course_get_topic (course);
      g_autofree char *joined = g_strdup_printf ("%s\n%s\n%s", kdx_course_get_title (course),
                                                 topic ? topic : "", kdx_course_get_key (course));
      g_autofree char *haystack = g_utf8_casefold (joined, -1);
      g_autofree char *title = NULL;
      g_autofree char *detail = NULL;

      if (strstr (haystack, needle) == NULL)
        continue;

      if (n++ == 0)
        gtk_list_box_append (self->list, header_row_new (_("Courses")));
      title = g_strdup_printf ("%s · %s", kdx_course_get_key (course),
                               kdx_course_get_title (course));
      detail = kdx_training_validity_text (kdx_course_get_validity_months (course));
      if (kdx_course_get_ai_literacy (course))
        {
          /* Translators: a course in the search results: "AI literacy · 12 months" */
          g_autofree char *with = g_strdup_printf (_("AI literacy · %s"), detail);

          g_free (detail);
          detail = g_steal_pointer (&with);
        }
      gtk_list_box_append (self->list, result_row_new (title, detail, NULL, "course",
                                                       kdx_course_get_uuid (course), NULL));
      self->n_results++;
    }
}

static void
search_changed_cb (KdxSearchWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  GtkWidget *child;
  guint n_people;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_results = 0;

  if (*trimmed == '\0' || self->store == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "hint");
      return;
    }

  hits = kdx_policy_search (self->store, text, MAX_POLICIES, &error);
  if (hits != NULL && hits->len > 0)
    {
      gtk_list_box_append (self->list, header_row_new (_("Code of Conduct & Policies")));
      for (guint i = 0; i < hits->len; i++)
        {
          KdxPolicyHit *hit = hits->pdata[i];
          g_autofree char *title = g_strdup_printf ("%s · %s", hit->key, hit->title);
          g_autofree char *detail = g_strdup_printf (_("Version %s · %s"), hit->label,
                                                     kdx_version_status_get_label (hit->status));
          g_autofree char *markup = kdx_format_snippet_markup (hit->snippet, KDX_POLICY_MATCH_START,
                                                               KDX_POLICY_MATCH_END);

          gtk_list_box_append (self->list, result_row_new (title, detail, markup, "policy",
                                                           hit->policy, hit->version));
          self->n_results++;
        }
    }

  search_systems (self, trimmed);
  search_courses (self, trimmed);

  kdx_person_model_set_filter (self->people, text, FALSE, FALSE, KDX_PERSON_SORT_NAME, FALSE);
  n_people = MIN (g_list_model_get_n_items (self->people), MAX_PEOPLE);
  if (n_people > 0)
    gtk_list_box_append (self->list, header_row_new (_("People")));
  for (guint i = 0; i < n_people; i++)
    {
      g_autoptr(KdxPerson) person = g_list_model_get_item (self->people, i);
      const char *department = kdx_person_get_department (person);

      gtk_list_box_append (self->list,
                           result_row_new (kdx_person_get_name (person),
                                           department ? department : "", NULL, "person",
                                           kdx_person_get_name (person), NULL));
      self->n_results++;
    }

  gtk_stack_set_visible_child_name (self->stack, self->n_results > 0 ? "results" : "none");
}

static void
open_row (KdxSearchWindow *self,
          GtkListBoxRow   *row)
{
  const char *kind = g_object_get_data (G_OBJECT (row), "kind");
  const char *target = g_object_get_data (G_OBJECT (row), "target");
  KdxWindow *window = self->window;

  if (kind == NULL || window == NULL)
    return;

  if (g_str_equal (kind, "policy"))
    {
      kdx_window_show_area (window, "policies");
      kdx_policy_page_show_policy (KDX_POLICY_PAGE (kdx_window_get_page (window, "policies")),
                                   target, g_object_get_data (G_OBJECT (row), "version"));
    }
  else if (g_str_equal (kind, "system"))
    {
      kdx_window_show_area (window, "systems");
      kdx_system_page_show_system (KDX_SYSTEM_PAGE (kdx_window_get_page (window, "systems")),
                                   target);
    }
  else if (g_str_equal (kind, "course"))
    {
      kdx_window_show_area (window, "training");
      kdx_training_page_show_course (KDX_TRAINING_PAGE (kdx_window_get_page (window, "training")),
                                     target);
    }
  else if (g_str_equal (kind, "person"))
    {
      kdx_window_show_area (window, "people");
      kdx_people_page_set_search (KDX_PEOPLE_PAGE (kdx_window_get_page (window, "people")), target);
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
row_activated_cb (KdxSearchWindow *self,
                  GtkListBoxRow   *row)
{
  open_row (self, row);
}

static GtkListBoxRow *
nth_result (KdxSearchWindow *self,
            guint            index)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_list_box_row_get_selectable (GTK_LIST_BOX_ROW (child)) && n++ == index)
      return GTK_LIST_BOX_ROW (child);

  return NULL;
}

static void
entry_activate_cb (KdxSearchWindow *self)
{
  GtkListBoxRow *first = nth_result (self, 0);

  if (first != NULL)
    open_row (self, first);
}

static void
stop_search_cb (KdxSearchWindow *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Down from the entry moves into the results. */
static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      KdxSearchWindow       *self)
{
  GtkListBoxRow *first;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return GDK_EVENT_PROPAGATE;

  first = nth_result (self, 0);
  if (first == NULL)
    return GDK_EVENT_PROPAGATE;
  gtk_list_box_select_row (self->list, first);
  gtk_widget_grab_focus (GTK_WIDGET (first));

  return GDK_EVENT_STOP;
}

static void
kdx_search_window_dispose (GObject *object)
{
  KdxSearchWindow *self = KDX_SEARCH_WINDOW (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->people);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kdx_search_window_parent_class)->dispose (object);
}

static void
kdx_search_window_class_init (KdxSearchWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_search_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-search-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxSearchWindow, entry);
  gtk_widget_class_bind_template_child (widget_class, KdxSearchWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSearchWindow, list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
kdx_search_window_init (KdxSearchWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
}

KdxSearchWindow *
kdx_search_window_new (KdxWindow *window,
                       KdxStore  *store)
{
  KdxSearchWindow *self;

  g_return_val_if_fail (KDX_IS_WINDOW (window), NULL);
  g_return_val_if_fail (KDX_IS_STORE (store), NULL);

  self = g_object_new (KDX_TYPE_SEARCH_WINDOW, "transient-for", window, NULL);
  g_set_weak_pointer (&self->window, window);
  self->store = g_object_ref (store);
  self->people = kdx_person_model_new (store);

  return self;
}

void
kdx_search_window_set_text (KdxSearchWindow *self,
                            const char      *text)
{
  g_return_if_fail (KDX_IS_SEARCH_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  search_changed_cb (self);
}

guint
kdx_search_window_get_n_results (KdxSearchWindow *self)
{
  g_return_val_if_fail (KDX_IS_SEARCH_WINDOW (self), 0);

  return self->n_results;
}

void
kdx_search_window_activate (KdxSearchWindow *self,
                            guint            index)
{
  GtkListBoxRow *row;

  g_return_if_fail (KDX_IS_SEARCH_WINDOW (self));

  row = nth_result (self, index);
  if (row != NULL)
    open_row (self, row);
}
