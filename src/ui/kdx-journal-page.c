/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Journal area: every change, newest first, filtered in SQL; the
 * selected change shown field by field, before and after side by side;
 * and the trash, from which anything deleted is restored unchanged.
 */
#define G_LOG_DOMAIN "kdx-journal-page"

#include "config.h"

#include "kdx-journal-page.h"

#include "kdx-journal.h"
#include "kdx-person.h"
#include "kdx-policy.h"
#include "kdx-system.h"
#include "kdx-training.h"
#include "kdx-window.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

struct _KdxJournalPage
{
  GtkWidget           parent_instance;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *entity_dropdown;
  GtkEntry           *actor_entry;
  GtkEntry           *from_entry;
  GtkEntry           *until_entry;
  GtkStack           *view_stack;
  GtkColumnView      *column_view;
  GtkLabel           *detail_title;
  GtkLabel           *detail_meta;
  GtkGrid            *diff_grid;
  GtkStack           *trash_stack;
  GtkListBox         *trash_list;

  KdxStore           *store;
  GListModel         *model;
  GtkSingleSelection *selection;
  GStrv               entities;   /* parallel to the dropdown, after "All" */
};

G_DEFINE_FINAL_TYPE (KdxJournalPage, kdx_journal_page, GTK_TYPE_WIDGET)

/* ------------------------------------------------------------------ */
/* Words for what the journal stores as identifiers                   */

static const char *
entity_label (const char *entity)
{
  if (g_strcmp0 (entity, "person") == 0)
    return _("People");
  if (g_strcmp0 (entity, "policy") == 0)
    return _("Policies");
  if (g_strcmp0 (entity, "policy_version") == 0)
    return _("Policy versions");
  if (g_strcmp0 (entity, "policy_vote") == 0)
    return _("Votes");
  if (g_strcmp0 (entity, "policy_ack") == 0)
    return _("Acknowledgements");
  if (g_strcmp0 (entity, "ai_system") == 0)
    return _("AI Systems");
  if (g_strcmp0 (entity, "course") == 0)
    return _("Courses");
  if (g_strcmp0 (entity, "assignment") == 0)
    /* Translators: a journal entity: the rounds of courses people have to take */
    return _("Training Rounds");
  if (g_strcmp0 (entity, "assignment-rule") == 0)
    return _("Assignment Rules");
  if (g_strcmp0 (entity, "catalog") == 0)
    return _("Catalogs");
  if (g_strcmp0 (entity, "setting") == 0)
    return _("Settings");
  if (g_strcmp0 (entity, "workspace") == 0)
    return _("Workspace");
  return entity;
}

static const char *
action_label (const char *action)
{
  static const struct { const char *id; const char *label; } actions[] = {
    { "create", N_("Created") },
    { "update", N_("Changed") },
    { "delete", N_("Moved to trash") },
    { "restore", N_("Restored") },
    { "import", N_("Imported") },
    { "demo", N_("Demo content added") },
    { "break-lock", N_("Lock taken over") },
    { "edit", N_("Text edited") },
    { "submit", N_("Submitted for review") },
    { "withdraw", N_("Withdrawn from review") },
    { "vote", N_("Voted") },
    { "approve", N_("Approved") },
    { "reject", N_("Returned to draft") },
    { "publish", N_("Published") },
    { "supersede", N_("Superseded") },
    { "retire", N_("Retired") },
    { "acknowledge", N_("Acknowledged") },
    { "take-over-stale-lock", N_("Stale lock taken over") },
    { "classify", N_("Classified") },
    { "map-policy", N_("Policy applied") },
    { "assess-policy", N_("Compliance assessed") },
    { "unmap-policy", N_("Policy no longer applied") },
    { "map-requirement", N_("Requirement linked") },
    { "unmap-requirement", N_("Requirement unlinked") },
    { "set-overseers", N_("Overseers changed") },
    { "set-raci", N_("Responsibilities changed") },
    { "remove", N_("Removed") },
    /* Translators: journal actions of training */
    { "assign", N_("Assigned") },
    { "complete", N_("Completed") },
    { "reopen", N_("Completion taken back") },
    { "apply", N_("Rules applied") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_strcmp0 (actions[i].id, action) == 0)
      return _(actions[i].label);

  return action;
}

static const char *
field_label (const char *field)
{
  static const struct { const char *id; const char *label; } fields[] = {
    { "uuid", N_("Identifier") },
    { "name", N_("Name") },
    { "email", N_("E-mail") },
    { "department", N_("Department") },
    { "role", N_("Role") },
    { "manager", N_("Manager") },
    { "committee", N_("Committee member") },
    { "active", N_("Active") },
    { "trashed", N_("In the trash since") },
    { "value", N_("Value") },
    { "key", N_("Key") },
    { "title", N_("Title") },
    { "kind", N_("Kind") },
    { "area", N_("Area") },
    { "owner", N_("Owner") },
    { "review_months", N_("Review interval (months)") },
    { "next_review", N_("Next review") },
    { "retired", N_("Retired on") },
    { "policy", N_("Policy") },
    { "version", N_("Version") },
    { "status", N_("Status") },
    { "summary", N_("Change summary") },
    { "author", N_("Author") },
    { "round", N_("Review round") },
    { "ack_scope", N_("Who must acknowledge") },
    { "ack_target", N_("Department or role") },
    { "effective", N_("In effect from") },
    { "body_sha256", N_("Text (SHA-256)") },
    { "body_length", N_("Text length (bytes)") },
    { "person", N_("Person") },
    { "choice", N_("Vote") },
    { "comment", N_("Comment") },
    { "time", N_("Time") },
    { "source", N_("Recorded by") },
    { "user", N_("User") },
    { "host", N_("Computer") },
    { "pid", N_("Process") },
    { "since", N_("Since") },
    { "heartbeat", N_("Last sign of life") },
    { "vendor", N_("Vendor") },
    { "use_case", N_("Use case") },
    { "description", N_("Description") },
    { "business_owner", N_("Business owner") },
    { "technical_owner", N_("Technical owner") },
    { "lifecycle", N_("Lifecycle") },
    { "risk", N_("Risk class") },
    { "answers", N_("Classification answers") },
    { "classified", N_("Classified on") },
    { "data_categories", N_("Data categories") },
    { "legal_basis", N_("Legal basis") },
    { "consent", N_("Consent") },
    { "dpia_status", N_("Data protection impact assessment") },
    { "dpia_date", N_("Assessment date") },
    { "retention", N_("Retention") },
    { "notice_de", N_("Customer notice (German)") },
    { "notice_en", N_("Customer notice (English)") },
    { "oversight", N_("Human oversight") },
    { "explainability", N_("Explainability") },
    { "employee_id", N_("Employee ID") },
    { "topic", N_("Topic") },
    { "duration_minutes", N_("Duration (minutes)") },
    { "validity_months", N_("Validity (months)") },
    { "ai_literacy", N_("AI literacy (Art. 4)") },
    { "policies", N_("Policies") },
    { "course", N_("Course") },
    { "people", N_("People") },
    { "rule", N_("Rule") },
    { "target", N_("Department or role") },
    { "system", N_("AI system") },
    { "due_days", N_("Due within (days)") },
    { "assigned", N_("Assigned on") },
    { "due", N_("Due on") },
    { "completed", N_("Completed on") },
    { "score", N_("Score") },
    { "expires", N_("Expires on") },
    { "previous", N_("Renews assignment") },
    { "current", N_("Current assignment") },
    { "recertified", N_("Renewed") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].id, field) == 0)
      return _(fields[i].label);

  return field;
}

/* ------------------------------------------------------------------ */
/* The list                                                           */

typedef const char *(*EntryText) (KdxJournalEntry *entry, char **owned);

static const char *
time_text (KdxJournalEntry *entry, char **owned)
{
  return *owned = kdx_journal_entry_dup_local_time (entry);
}

static const char *
actor_text (KdxJournalEntry *entry, char **owned)
{
  return kdx_journal_entry_get_actor_name (entry) ? kdx_journal_entry_get_actor_name (entry) : "—";
}

static const char *
os_user_text (KdxJournalEntry *entry, char **owned)
{
  return kdx_journal_entry_get_os_user (entry);
}

static const char *
entity_text (KdxJournalEntry *entry, char **owned)
{
  return entity_label (kdx_journal_entry_get_entity (entry));
}

static const char *
action_text (KdxJournalEntry *entry, char **owned)
{
  return action_label (kdx_journal_entry_get_action (entry));
}

static const char *
summary_text (KdxJournalEntry *entry, char **owned)
{
  return kdx_journal_entry_get_summary (entry);
}

static const struct
{
  const char *title;
  EntryText   text;
  gboolean    expand;
} columns[] = {
  { N_("Time"), time_text, FALSE },
  /* Translators: column header: the person of the workspace who made the change */
  { N_("Acting As"), actor_text, FALSE },
  /* Translators: column header: operating-system user name */
  { N_("User"), os_user_text, FALSE },
  { N_("Area"), entity_text, FALSE },
  { N_("Action"), action_text, FALSE },
  { N_("Subject"), summary_text, TRUE },
};

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* The time is read in full; the other columns may shorten. */
  if (GPOINTER_TO_UINT (user_data) > 0)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (user_data);
  KdxJournalEntry *entry = gtk_list_item_get_item (item);
  g_autofree char *owned = NULL;
  const char *text = columns[column].text (entry, &owned);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text ? text : "");
}

static void
build_columns (KdxJournalPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GUINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GUINT_TO_POINTER (i));
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->column_view, column);
      g_object_unref (column);
    }
}

static gint64
parse_date (GtkEntry *entry,
            int       add_days)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (*text == '\0')
    return 0;
  /* ISO 2026-11-29, or as German readers write it, 29.11.2026. */
  if (sscanf (text, "%d-%d-%d", &y, &m, &d) != 3 &&
      (sscanf (text, "%d.%d.%d", &d, &m, &y) != 3 || y < 100))
    y = 0;
  if (y == 0 || (dt = g_date_time_new_local (y, m, d, 0, 0, 0)) == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return 0;
    }
  if (add_days)
    {
      GDateTime *next = g_date_time_add_days (dt, add_days);
      g_date_time_unref (dt);
      dt = next;
    }

  return g_date_time_to_unix (dt);
}

static void
refilter (KdxJournalPage *self)
{
  KdxJournalFilter filter = { 0 };
  guint selected;

  if (self->model == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->entity_dropdown);
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && self->entities != NULL &&
      selected - 1 < g_strv_length (self->entities))
    filter.entity = self->entities[selected - 1];
  filter.actor = (char *) gtk_editable_get_text (GTK_EDITABLE (self->actor_entry));
  filter.search = (char *) gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  filter.from_unix = parse_date (self->from_entry, 0);
  filter.until_unix = parse_date (self->until_entry, 1);

  kdx_journal_model_set_filter (self->model, &filter);
}

static void
refilter_cb (KdxJournalPage *self)
{
  refilter (self);
}

/* ------------------------------------------------------------------ */
/* Before and after                                                   */

static char *
value_text (KdxJournalPage *self,
            const char     *field,
            JsonNode       *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);
          g_autoptr(GDateTime) utc = NULL;

          /* A reference to a person reads better as their name. */
          if (g_strcmp0 (field, "manager") == 0 && self->store != NULL)
            {
              g_autoptr(KdxPerson) person = kdx_person_load (self->store, text, NULL);

              if (person != NULL)
                return g_strdup (kdx_person_get_name (person));
            }
          /* Times are stored in UTC; people read them in local time. */
          if (text != NULL && strlen (text) > 19 && text[4] == '-' && text[10] == 'T' &&
              (utc = g_date_time_new_from_iso8601 (text, NULL)) != NULL)
            {
              g_autoptr(GDateTime) local = g_date_time_to_local (utc);

              return g_date_time_format (local, _("%Y-%m-%d %H:%M:%S"));
            }
          return g_strdup (text);
        }
    }

  return json_to_string (node, FALSE);
}

static JsonObject *
parse_object (const char  *json,
              JsonParser **parser)
{
  JsonNode *root;

  if (json == NULL)
    return NULL;

  *parser = json_parser_new ();
  if (!json_parser_load_from_data (*parser, json, -1, NULL))
    return NULL;
  root = json_parser_get_root (*parser);

  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static GtkWidget *
cell (const char *text,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  if (css_class)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static void
clear_grid (KdxJournalPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->diff_grid))) != NULL)
    gtk_grid_remove (self->diff_grid, child);
}

static void
show_entry (KdxJournalPage  *self,
            KdxJournalEntry *entry)
{
  g_autoptr(JsonParser) before_parser = NULL;
  g_autoptr(JsonParser) after_parser = NULL;
  g_autoptr(GList) fields = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *time = NULL;
  g_autofree char *title = NULL;
  g_autofree char *meta = NULL;
  JsonObject *before, *after;
  int row = 1;

  clear_grid (self);

  if (entry == NULL)
    {
      gtk_label_set_label (self->detail_title,
                           _("Select a change to see what it was before and after."));
      gtk_label_set_label (self->detail_meta, "");
      return;
    }

  time = kdx_journal_entry_dup_local_time (entry);
  title = g_strdup_printf ("%s: %s", action_label (kdx_journal_entry_get_action (entry)),
                           kdx_journal_entry_get_summary (entry)
                             ? kdx_journal_entry_get_summary (entry)
                             : entity_label (kdx_journal_entry_get_entity (entry)));
  /* Translators: entry number, time, person acting, OS user, hash */
  meta = g_strdup_printf (_("Entry %" PRId64 " · %s · acting as %s · user %s\nSHA-256 %s"),
                          kdx_journal_entry_get_id (entry), time,
                          kdx_journal_entry_get_actor_name (entry)
                            ? kdx_journal_entry_get_actor_name (entry) : _("nobody"),
                          kdx_journal_entry_get_os_user (entry),
                          kdx_journal_entry_get_hash (entry));
  gtk_label_set_label (self->detail_title, title);
  gtk_label_set_label (self->detail_meta, meta);

  before = parse_object (kdx_journal_entry_get_before (entry), &before_parser);
  after = parse_object (kdx_journal_entry_get_after (entry), &after_parser);
  if (before == NULL && after == NULL)
    return;

  gtk_grid_attach (self->diff_grid, cell (_("Field"), "heading"), 0, 0, 1, 1);
  gtk_grid_attach (self->diff_grid, cell (_("Before"), "heading"), 1, 0, 1, 1);
  gtk_grid_attach (self->diff_grid, cell (_("After"), "heading"), 2, 0, 1, 1);

  /* Members in the order the entity writes them; before first. */
  if (before != NULL)
    fields = json_object_get_members (before);
  if (after != NULL)
    fields = g_list_concat (fields, json_object_get_members (after));

  for (GList *l = fields; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *b = before ? json_object_get_member (before, field) : NULL;
      JsonNode *a = after ? json_object_get_member (after, field) : NULL;
      g_autofree char *bt = NULL;
      g_autofree char *at = NULL;
      gboolean changed;

      if (!g_hash_table_add (seen, (gpointer) field))
        continue;

      bt = before ? value_text (self, field, b) : g_strdup ("");
      at = after ? value_text (self, field, a) : g_strdup ("");
      changed = before != NULL && after != NULL && g_strcmp0 (bt, at) != 0;

      gtk_grid_attach (self->diff_grid, cell (field_label (field), changed ? "heading" : "dim-label"),
                       0, row, 1, 1);
      gtk_grid_attach (self->diff_grid, cell (bt, changed ? "journal-before" : NULL), 1, row, 1, 1);
      gtk_grid_attach (self->diff_grid, cell (at, changed ? "journal-after" : NULL), 2, row, 1, 1);
      row++;
    }
}

static void
selection_changed_cb (KdxJournalPage *self)
{
  show_entry (self, gtk_single_selection_get_selected_item (self->selection));
}

/* ------------------------------------------------------------------ */
/* The trash                                                          */

static void
restore_clicked_cb (GtkButton      *button,
                    KdxJournalPage *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (button), "uuid");
  const char *entity = g_object_get_data (G_OBJECT (button), "entity");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_strcmp0 (entity, "policy") == 0)
    ok = kdx_policy_restore (self->store, uuid, &error);
  else if (g_strcmp0 (entity, "ai_system") == 0)
    ok = kdx_system_restore (self->store, uuid, &error);
  else if (g_strcmp0 (entity, "course") == 0)
    ok = kdx_course_restore (self->store, uuid, &error);
  else
    ok = kdx_person_restore (self->store, uuid, &error);
  if (!ok && KDX_IS_WINDOW (root))
    kdx_window_toast (KDX_WINDOW (root), error->message);
}

static void
add_trash_row (KdxJournalPage *self,
               const char     *entity,
               const char     *uuid,
               const char     *title,
               const char     *trashed)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore"));
  g_autofree char *subtitle = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (trashed, NULL);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local ? g_date_time_format (local, _("%Y-%m-%d %H:%M")) : NULL;

  /* Translators: something in the trash: "People · deleted 2026-11-29 10:30" */
  subtitle = g_strdup_printf (_("%s · deleted %s"), entity_label (entity), when ? when : "?");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, self->store != NULL && !kdx_store_is_read_only (self->store));
  g_object_set_data_full (G_OBJECT (button), "uuid", g_strdup (uuid), g_free);
  g_object_set_data (G_OBJECT (button), "entity", (gpointer) entity);
  g_signal_connect (button, "clicked", G_CALLBACK (restore_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (uuid), g_free);
  gtk_list_box_append (self->trash_list, row);
}

static void
update_trash (KdxJournalPage *self)
{
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GPtrArray) systems = NULL;
  g_autoptr(GPtrArray) courses = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->trash_list))) != NULL)
    gtk_list_box_remove (self->trash_list, child);

  people = self->store ? kdx_person_list_trashed (self->store)
                       : g_ptr_array_new_with_free_func (g_object_unref);
  policies = self->store ? kdx_policy_list_trashed (self->store)
                         : g_ptr_array_new_with_free_func (g_object_unref);

  systems = self->store ? kdx_system_list_trashed (self->store)
                        : g_ptr_array_new_with_free_func (g_object_unref);

  courses = self->store ? kdx_course_list_trashed (self->store)
                        : g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < courses->len && i < 500; i++)
    {
      KdxCourse *course = g_ptr_array_index (courses, i);
      g_autofree char *title = g_strdup_printf ("%s · %s", kdx_course_get_key (course),
                                                kdx_course_get_title (course));

      add_trash_row (self, "course", kdx_course_get_uuid (course), title,
                     kdx_course_get_trashed (course));
    }
  for (guint i = 0; i < systems->len && i < 500; i++)
    {
      KdxSystem *system = g_ptr_array_index (systems, i);
      g_autofree char *title = g_strdup_printf ("%s · %s", kdx_system_get_key (system),
                                                kdx_system_get_name (system));

      add_trash_row (self, "ai_system", kdx_system_get_uuid (system), title,
                     kdx_system_get_trashed (system));
    }
  for (guint i = 0; i < policies->len && i < 500; i++)
    {
      KdxPolicy *policy = g_ptr_array_index (policies, i);
      g_autofree char *title = g_strdup_printf ("%s · %s", kdx_policy_get_key (policy),
                                                kdx_policy_get_title (policy));

      add_trash_row (self, "policy", kdx_policy_get_uuid (policy), title,
                     kdx_policy_get_trashed (policy));
    }
  for (guint i = 0; i < people->len && i < 500; i++)
    {
      KdxPerson *person = g_ptr_array_index (people, i);

      add_trash_row (self, "person", kdx_person_get_uuid (person), kdx_person_get_name (person),
                     kdx_person_get_trashed (person));
    }

  gtk_stack_set_visible_child_name (self->trash_stack,
                                    people->len + policies->len + systems->len + courses->len > 0
                                    ? "list" : "empty");
}

static void
update_entities (KdxJournalPage *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_auto(GStrv) entities = self->store ? kdx_journal_dup_entities (self->store) : NULL;
  guint selected = gtk_drop_down_get_selected (self->entity_dropdown);
  const char *was = NULL;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && self->entities != NULL &&
      selected - 1 < g_strv_length (self->entities))
    was = self->entities[selected - 1];

  if (self->entities != NULL && entities != NULL &&
      g_strv_equal ((const char * const *) self->entities, (const char * const *) entities))
    return;

  gtk_string_list_append (list, _("All Changes"));
  selected = 0;
  for (guint i = 0; entities != NULL && entities[i] != NULL; i++)
    {
      gtk_string_list_append (list, entity_label (entities[i]));
      if (g_strcmp0 (entities[i], was) == 0)
        selected = i + 1;
    }

  g_strfreev (self->entities);
  self->entities = g_steal_pointer (&entities);
  gtk_drop_down_set_model (self->entity_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->entity_dropdown, selected);
}

static void
store_changed_cb (KdxJournalPage *self,
                  const char     *entity)
{
  if (g_strcmp0 (entity, "person") == 0 || g_strcmp0 (entity, "policy") == 0 ||
      g_strcmp0 (entity, "ai_system") == 0 || g_strcmp0 (entity, "course") == 0 ||
      entity == NULL)
    update_trash (self);
  if (g_strcmp0 (entity, "journal") == 0)
    update_entities (self);
}

/* ------------------------------------------------------------------ */

static void
kdx_journal_page_dispose (GObject *object)
{
  KdxJournalPage *self = (KdxJournalPage *)object;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_JOURNAL_PAGE);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->entities, g_strfreev);

  G_OBJECT_CLASS (kdx_journal_page_parent_class)->dispose (object);
}

static void
kdx_journal_page_map (GtkWidget *widget)
{
  KdxJournalPage *self = (KdxJournalPage *) widget;

  GTK_WIDGET_CLASS (kdx_journal_page_parent_class)->map (widget);

  if (self->selection != NULL &&
      gtk_column_view_get_model (self->column_view) != GTK_SELECTION_MODEL (self->selection))
    gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

static void
kdx_journal_page_class_init (KdxJournalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_journal_page_dispose;
  widget_class->map = kdx_journal_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-journal-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, entity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, actor_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, until_entry);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, detail_meta);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, diff_grid);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, trash_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxJournalPage, trash_list);
  gtk_widget_class_bind_template_callback (widget_class, refilter_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_journal_page_init (KdxJournalPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_columns (self);
  update_entities (self);
}

KdxJournalPage *
kdx_journal_page_new (void)
{
  return g_object_new (KDX_TYPE_JOURNAL_PAGE, NULL);
}

void
kdx_journal_page_set_store (KdxJournalPage *self,
                            KdxStore       *store)
{
  g_return_if_fail (KDX_IS_JOURNAL_PAGE (self));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_set_object (&self->store, store);
  g_clear_pointer (&self->entities, g_strfreev);

  if (store != NULL)
    {
      self->model = kdx_journal_model_new (store);
      self->selection = gtk_single_selection_new (g_object_ref (self->model));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      g_signal_connect_object (self->selection, "notify::selected-item",
                               G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
      /* A list view builds its first 200 rows as soon as it has a model,
       * shown or not: a hidden page gets its model when first shown. */
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }

  update_entities (self);
  update_trash (self);
  show_entry (self, NULL);
}

void
kdx_journal_page_focus_search (KdxJournalPage *self)
{
  g_return_if_fail (KDX_IS_JOURNAL_PAGE (self));

  gtk_stack_set_visible_child_name (self->view_stack, "changes");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

GListModel *
kdx_journal_page_get_model (KdxJournalPage *self)
{
  g_return_val_if_fail (KDX_IS_JOURNAL_PAGE (self), NULL);

  return self->model;
}

void
kdx_journal_page_select (KdxJournalPage *self,
                         guint           position)
{
  g_return_if_fail (KDX_IS_JOURNAL_PAGE (self));

  if (self->selection != NULL)
    gtk_single_selection_set_selected (self->selection, position);
}
