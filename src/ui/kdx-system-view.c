/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One AI system of the register: its overview and its data & privacy
 * facts, edited in place (a field is stored when its row is applied or
 * left, without a Save button), the customer transparency notice in
 * German and English, and the sections of other widgets — classification,
 * oversight, policies and frameworks.
 */
#define G_LOG_DOMAIN "kdx-system-view"

#include "config.h"

#include "kdx-system-view.h"

#include "kdx-classify.h"
#include "kdx-format.h"
#include "kdx-person-chooser.h"
#include "kdx-system.h"
#include "kdx-system-classification.h"
#include "kdx-system-frameworks.h"
#include "kdx-system-oversight.h"
#include "kdx-system-policies.h"
#include "kdx-usecase.h"
#include "kdx-window.h"

#include <glib/gi18n.h>
#include <string.h>

#define NOTICE_SAVE_DELAY_MS 300

/* The fields edited here, each stored on its own so that a change to one
 * never writes back an older value of another. */
typedef enum
{
  FIELD_NAME,
  FIELD_VENDOR,
  FIELD_VERSION,
  FIELD_USE_CASE,
  FIELD_LIFECYCLE,
  FIELD_DESCRIPTION,
  FIELD_BUSINESS_OWNER,
  FIELD_TECHNICAL_OWNER,
  FIELD_DEPARTMENT,
  FIELD_DATA_CATEGORIES,
  FIELD_LEGAL_BASIS,
  FIELD_CONSENT,
  FIELD_RETENTION,
  FIELD_DPIA_STATUS,
  FIELD_DPIA_DATE,
  FIELD_NOTICE,
} Field;

typedef enum
{
  APPLY_UNCHANGED,
  APPLY_CHANGED,
  APPLY_INVALID,
} ApplyResult;

struct _KdxSystemView
{
  GtkWidget                parent_instance;

  GtkLabel                *title_label;
  GtkLabel                *subtitle_label;
  GtkLabel                *risk_label;
  GtkLabel                *lifecycle_label;
  AdwViewStack            *view_stack;
  AdwEntryRow             *name_row;
  AdwEntryRow             *vendor_row;
  AdwEntryRow             *version_row;
  AdwComboRow             *use_case_row;
  AdwComboRow             *lifecycle_row;
  GtkTextView             *description_view;
  KdxPersonChooser        *business_owner_chooser;
  KdxPersonChooser        *technical_owner_chooser;
  AdwEntryRow             *department_row;
  GtkMenuButton           *department_button;
  GtkPopover              *department_popover;
  GtkListBox              *department_list;
  AdwActionRow            *created_row;
  AdwActionRow            *modified_row;
  KdxSystemClassification *classification;
  AdwExpanderRow          *categories_row;
  GtkLabel                *categories_special_label;
  AdwComboRow             *legal_basis_row;
  AdwComboRow             *consent_row;
  AdwEntryRow             *retention_row;
  AdwComboRow             *dpia_status_row;
  AdwEntryRow             *dpia_date_row;
  GtkToggleButton         *german_button;
  GtkToggleButton         *english_button;
  GtkTextView             *notice_view;
  GtkLabel                *notice_state_label;
  GtkButton               *notice_reset_button;
  KdxSystemOversight      *oversight;
  KdxSystemPolicies       *policies;
  KdxSystemFrameworks     *frameworks;

  GPtrArray               *category_checks;   /* GtkCheckButton, in the order of the categories */

  KdxStore                *store;
  KdxSystem               *system;
  char                    *notice_language;   /* "de" or "en" */
  guint                    notice_timeout;
  gboolean                 filling;
};

G_DEFINE_FINAL_TYPE (KdxSystemView, kdx_system_view, GTK_TYPE_WIDGET)

static void reload (KdxSystemView *self);
static void fill_notice (KdxSystemView *self);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static gboolean
writable (KdxSystemView *self)
{
  return self->store != NULL && !kdx_store_is_read_only (self->store);
}

/* The text of an entry, stripped; NULL when empty. */
static char *
entry_text (AdwEntryRow *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);

  return text;
}

static char *
text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
contains_focus (GtkWidget *widget)
{
  return (gtk_widget_get_state_flags (widget) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0;
}

/* Sets the text of an entry row — unless someone is typing a different
 * one into it: another change to the system must not wipe that out. */
static void
set_entry (AdwEntryRow *row,
           const char  *value,
           const char  *before)
{
  const char *shown = gtk_editable_get_text (GTK_EDITABLE (row));

  if (g_strcmp0 (shown, value ? value : "") == 0)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      return;
    }
  if (contains_focus (GTK_WIDGET (row)) && g_strcmp0 (shown, before ? before : "") != 0)
    return;

  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* An applied row hides its apply button; so does one stored on leaving. */
static void
reset_apply_button (AdwEntryRow *row)
{
  adw_entry_row_set_show_apply_button (row, FALSE);
  adw_entry_row_set_show_apply_button (row, TRUE);
}

static gboolean
strings_equal (const char *a,
               const char *b)
{
  return g_strcmp0 (a && *a ? a : NULL, b && *b ? b : NULL) == 0;
}

static gboolean
is_iso_date (const char *text)
{
  g_autofree char *midday = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  midday = g_strconcat (text, "T12:00:00Z", NULL);
  dt = g_date_time_new_from_iso8601 (midday, NULL);

  return dt != NULL;
}

/* A toast in the window (the log elsewhere). */
static void
toast (KdxSystemView *self,
       const char    *message)
{
  kdx_window_toast_from (GTK_WIDGET (self), message);
}

static const char *
risk_css_class (KdxRiskClass risk)
{
  static const char *classes[] = {
    "kdx-classify-risk-prohibited", "kdx-classify-risk-high", "kdx-classify-risk-limited",
    "kdx-classify-risk-minimal",
  };

  if (risk < 0 || risk >= KDX_RISK_N_CLASSES)
    return "kdx-classify-risk-unclassified";

  return classes[risk];
}

/* ------------------------------------------------------------------ */
/* Combo rows: "not decided" first where a field may be unset          */

static const char *lifecycle_label (int i) { return kdx_lifecycle_get_label (i); }
static const char *dpia_label (int i) { return kdx_dpia_status_get_label (i); }
static const char *consent_label (int i) { return kdx_consent_get_label (i); }

static void
set_combo_labels (AdwComboRow  *row,
                  const char   *none,
                  const char *(*label) (int),
                  guint         n)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  if (none != NULL)
    gtk_string_list_append (list, none);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, label (i));
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
}

static void
fill_legal_bases (KdxSystemView *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("Not decided"));
  for (int i = 0; i < KDX_LEGAL_BASIS_N; i++)
    {
      /* Translators: a legal basis and its point of GDPR Art. 6(1):
       * "Contract (Art. 6(1)(b))"; German: "%s (Art. 6 Abs. 1 lit. %c)" */
      g_autofree char *text = g_strdup_printf (_("%s (Art. 6(1)(%c))"),
                                               kdx_legal_basis_get_label (i), 'a' + i);

      gtk_string_list_append (list, text);
    }
  adw_combo_row_set_model (self->legal_basis_row, G_LIST_MODEL (list));
}

static void
fill_use_cases (KdxSystemView *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const KdxUseCase *all;
  guint n = 0;

  /* Translators: the use case of a system none of the library's describes */
  gtk_string_list_append (list, C_("use case", "Other"));
  all = kdx_use_case_get_all (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, kdx_use_case_get_name (&all[i]));
  adw_combo_row_set_model (self->use_case_row, G_LIST_MODEL (list));
}

static guint
use_case_position (const char *id)
{
  const KdxUseCase *all;
  guint n = 0;

  all = kdx_use_case_get_all (&n);
  for (guint i = 0; id != NULL && i < n; i++)
    if (g_str_equal (all[i].id, id))
      return i + 1;

  return 0;
}

static const char *
use_case_at (guint position)
{
  const KdxUseCase *all;
  guint n = 0;

  all = kdx_use_case_get_all (&n);
  if (position == 0 || position > n)
    return NULL;

  return all[position - 1].id;
}

/* ------------------------------------------------------------------ */
/* Data categories                                                    */

static void category_toggled_cb (KdxSystemView *self);

static void
build_categories (KdxSystemView *self)
{
  const KdxDataCategory *all;
  guint n = 0;

  self->category_checks = g_ptr_array_new ();
  all = kdx_data_category_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     kdx_data_category_get_label (&all[i]));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                      row, NULL, -1);
      if (all[i].sensitive)
        {
          GtkWidget *mark = gtk_label_new (_("Special category"));

          gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (mark, "kdx-status");
          gtk_widget_add_css_class (mark, "kdx-special-category");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), mark);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       _("Processing needs an exception of GDPR Art. 9(2) "
                                         "and usually a DPIA"));
        }
      g_object_set_data (G_OBJECT (check), "category", (gpointer) all[i].id);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (category_toggled_cb), self);
      adw_expander_row_add_row (self->categories_row, row);
      g_ptr_array_add (self->category_checks, check);
    }
}

static GStrv
checked_categories (KdxSystemView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->category_checks->len; i++)
    {
      GtkCheckButton *check = self->category_checks->pdata[i];

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "category"));
    }

  return g_strv_builder_end (builder);
}

/* The chosen categories in the row's subtitle, so that the list can stay
 * folded; a mark when one of them is a special category. */
static void
update_categories_summary (KdxSystemView *self)
{
  g_autoptr(GString) chosen = g_string_new (NULL);
  gboolean special = FALSE;

  for (guint i = 0; i < self->category_checks->len; i++)
    {
      GtkCheckButton *check = self->category_checks->pdata[i];
      const KdxDataCategory *category;

      if (!gtk_check_button_get_active (check))
        continue;
      category = kdx_data_category_lookup (g_object_get_data (G_OBJECT (check), "category"));
      if (category == NULL)
        continue;
      if (chosen->len > 0)
        g_string_append (chosen, ", ");
      g_string_append (chosen, kdx_data_category_get_label (category));
      special |= category->sensitive;
    }

  adw_expander_row_set_subtitle (self->categories_row,
                                 chosen->len > 0 ? chosen->str : _("None chosen yet"));
  gtk_widget_set_visible (GTK_WIDGET (self->categories_special_label), special);
}

/* ------------------------------------------------------------------ */
/* Storing one field                                                  */

static AdwEntryRow *
field_row (KdxSystemView *self,
           Field          field)
{
  switch (field)
    {
    case FIELD_NAME: return self->name_row;
    case FIELD_VENDOR: return self->vendor_row;
    case FIELD_VERSION: return self->version_row;
    case FIELD_DEPARTMENT: return self->department_row;
    case FIELD_RETENTION: return self->retention_row;
    case FIELD_DPIA_DATE: return self->dpia_date_row;
    default: return NULL;
    }
}

typedef const char *(*StringGetter) (KdxSystem *system);
typedef void (*StringSetter) (KdxSystem *system, const char *value);

static ApplyResult
apply_string (KdxSystem    *system,
              StringGetter  get,
              StringSetter  set,
              const char   *value)
{
  if (strings_equal (get (system), value))
    return APPLY_UNCHANGED;
  set (system, value);

  return APPLY_CHANGED;
}

/* Copies the widget's value of @field into @system. */
static ApplyResult
apply_field (KdxSystemView *self,
             KdxSystem     *system,
             Field          field)
{
  AdwEntryRow *row = field_row (self, field);
  g_autofree char *text = row ? entry_text (row) : NULL;
  g_auto(GStrv) categories = NULL;
  guint selected;
  int value;

  switch (field)
    {
    case FIELD_NAME:
      return apply_string (system, kdx_system_get_name, kdx_system_set_name, text);
    case FIELD_VENDOR:
      return apply_string (system, kdx_system_get_vendor, kdx_system_set_vendor, text);
    case FIELD_VERSION:
      return apply_string (system, kdx_system_get_version, kdx_system_set_version, text);
    case FIELD_DEPARTMENT:
      return apply_string (system, kdx_system_get_department, kdx_system_set_department, text);
    case FIELD_RETENTION:
      return apply_string (system, kdx_system_get_retention, kdx_system_set_retention, text);
    case FIELD_DPIA_DATE:
      if (text != NULL && !is_iso_date (text))
        return APPLY_INVALID;
      return apply_string (system, kdx_system_get_dpia_date, kdx_system_set_dpia_date, text);

    case FIELD_DESCRIPTION:
      {
        g_autofree char *description = g_strstrip (text_view_text (self->description_view));

        return apply_string (system, kdx_system_get_description, kdx_system_set_description,
                             description);
      }

    case FIELD_USE_CASE:
      return apply_string (system, kdx_system_get_use_case, kdx_system_set_use_case,
                           use_case_at (adw_combo_row_get_selected (self->use_case_row)));

    case FIELD_BUSINESS_OWNER:
      return apply_string (system, kdx_system_get_business_owner, kdx_system_set_business_owner,
                           kdx_person_chooser_get_person (self->business_owner_chooser));
    case FIELD_TECHNICAL_OWNER:
      return apply_string (system, kdx_system_get_technical_owner,
                           kdx_system_set_technical_owner,
                           kdx_person_chooser_get_person (self->technical_owner_chooser));

    case FIELD_LIFECYCLE:
      selected = adw_combo_row_get_selected (self->lifecycle_row);
      if (selected >= KDX_LIFECYCLE_N_STATES || selected == kdx_system_get_lifecycle (system))
        return APPLY_UNCHANGED;
      kdx_system_set_lifecycle (system, selected);
      return APPLY_CHANGED;

    case FIELD_LEGAL_BASIS:
      selected = adw_combo_row_get_selected (self->legal_basis_row);
      value = selected > 0 && selected <= KDX_LEGAL_BASIS_N ? (int) selected - 1
                                                            : KDX_LEGAL_BASIS_NONE;
      if (value == (int) kdx_system_get_legal_basis (system))
        return APPLY_UNCHANGED;
      kdx_system_set_legal_basis (system, value);
      return APPLY_CHANGED;

    case FIELD_CONSENT:
      selected = adw_combo_row_get_selected (self->consent_row);
      value = selected > 0 && selected <= KDX_CONSENT_N ? (int) selected - 1 : KDX_CONSENT_NONE;
      if (value == (int) kdx_system_get_consent (system))
        return APPLY_UNCHANGED;
      kdx_system_set_consent (system, value);
      return APPLY_CHANGED;

    case FIELD_DPIA_STATUS:
      selected = adw_combo_row_get_selected (self->dpia_status_row);
      if (selected >= KDX_DPIA_N_STATES || selected == kdx_system_get_dpia_status (system))
        return APPLY_UNCHANGED;
      kdx_system_set_dpia_status (system, selected);
      return APPLY_CHANGED;

    case FIELD_DATA_CATEGORIES:
      categories = checked_categories (self);
      if (g_strv_equal ((const char * const *) categories,
                        (const char * const *) kdx_system_get_data_categories (system)))
        return APPLY_UNCHANGED;
      kdx_system_set_data_categories (system, (const char * const *) categories);
      return APPLY_CHANGED;

    case FIELD_NOTICE:
      {
        g_autofree char *notice = g_strstrip (text_view_text (self->notice_view));
        g_autofree char *generated = kdx_system_generate_notice (self->store, system,
                                                                 self->notice_language);
        const char *edited = kdx_system_get_notice (system, self->notice_language);

        /* Text that reads as the generated notice is not an edit: the
         * notice keeps following the system's facts. */
        if (g_strcmp0 (notice, g_strstrip (generated)) == 0 || *notice == '\0')
          g_clear_pointer (&notice, g_free);
        if (g_strcmp0 (edited, notice) == 0)
          return APPLY_UNCHANGED;
        kdx_system_set_notice (system, self->notice_language, notice);
        return APPLY_CHANGED;
      }

    default:
      g_assert_not_reached ();
    }
}

/* Stores @field as the widgets show it, on top of the system as stored
 * now. An error (a name that is taken, a bad date) says so in a toast and
 * leaves the user's text where it is. */
static gboolean
save_field (KdxSystemView *self,
            Field          field)
{
  g_autoptr(KdxSystem) fresh = NULL;
  g_autoptr(GError) error = NULL;
  AdwEntryRow *row = field_row (self, field);
  ApplyResult result;

  if (self->filling || self->system == NULL || !writable (self))
    return FALSE;

  fresh = kdx_system_load (self->store, kdx_system_get_uuid (self->system), &error);
  if (fresh == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }

  result = apply_field (self, fresh, field);
  if (result == APPLY_INVALID)
    {
      g_autofree char *message = NULL;

      g_assert (row != NULL);
      /* Translators: a date the user typed that is not one */
      message = g_strdup_printf (_("“%s” is not a date: write it as YYYY-MM-DD, "
                                   "such as 2026-03-31"),
                                 gtk_editable_get_text (GTK_EDITABLE (row)));
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, message);
      return FALSE;
    }
  if (result == APPLY_UNCHANGED)
    {
      if (row != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      return TRUE;
    }

  if (!kdx_system_update (self->store, fresh, &error))
    {
      if (row != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      toast (self, error->message);
      return FALSE;
    }
  if (row != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");

  /* The store's change signal reloads the view; a view without it (no
   * signal for a no-op) still shows what was stored. */
  g_set_object (&self->system, fresh);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Filling the view                                                   */

static void
update_header (KdxSystemView *self)
{
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const KdxUseCase *use_case;
  KdxRiskClass risk;
  static const char *risk_classes[] = {
    "kdx-classify-risk-prohibited", "kdx-classify-risk-high", "kdx-classify-risk-limited",
    "kdx-classify-risk-minimal", "kdx-classify-risk-unclassified",
  };

  if (self->system == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->subtitle_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->risk_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->lifecycle_label), FALSE);
      return;
    }

  gtk_label_set_label (self->title_label, kdx_system_get_name (self->system));

  g_string_append (subtitle, kdx_system_get_key (self->system));
  use_case = kdx_system_get_use_case (self->system)
             ? kdx_use_case_lookup (kdx_system_get_use_case (self->system)) : NULL;
  if (use_case != NULL)
    g_string_append_printf (subtitle, " · %s", kdx_use_case_get_name (use_case));
  if (kdx_system_get_vendor (self->system) != NULL)
    /* Translators: the vendor of a system, in the system's subtitle */
    g_string_append_printf (subtitle, _(" · by %s"), kdx_system_get_vendor (self->system));
  if (kdx_system_get_department (self->system) != NULL)
    g_string_append_printf (subtitle, " · %s", kdx_system_get_department (self->system));
  gtk_label_set_label (self->subtitle_label, subtitle->str);

  risk = kdx_system_get_risk (self->system);
  gtk_label_set_label (self->risk_label, risk >= 0 && risk < KDX_RISK_N_CLASSES
                                         ? kdx_risk_class_get_label (risk)
                                         : _("Not classified"));
  for (guint i = 0; i < G_N_ELEMENTS (risk_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->risk_label), risk_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->risk_label), risk_css_class (risk));
  gtk_widget_set_visible (GTK_WIDGET (self->risk_label), TRUE);

  gtk_label_set_label (self->lifecycle_label,
                       kdx_lifecycle_get_label (kdx_system_get_lifecycle (self->system)));
  gtk_widget_set_visible (GTK_WIDGET (self->lifecycle_label), TRUE);
  if (kdx_system_get_lifecycle (self->system) == KDX_LIFECYCLE_RETIRED)
    gtk_widget_add_css_class (GTK_WIDGET (self->lifecycle_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->lifecycle_label), "dim-label");
}

static void
fill_overview (KdxSystemView *self,
               KdxSystem     *before)
{
  KdxSystem *s = self->system;
  gboolean can = writable (self);
  g_autofree char *created = kdx_format_time (kdx_system_get_created (s));
  g_autofree char *modified = kdx_format_time (kdx_system_get_modified (s));

  set_entry (self->name_row, kdx_system_get_name (s), before ? kdx_system_get_name (before) : NULL);
  set_entry (self->vendor_row, kdx_system_get_vendor (s),
             before ? kdx_system_get_vendor (before) : NULL);
  set_entry (self->version_row, kdx_system_get_version (s),
             before ? kdx_system_get_version (before) : NULL);
  set_entry (self->department_row, kdx_system_get_department (s),
             before ? kdx_system_get_department (before) : NULL);
  adw_combo_row_set_selected (self->use_case_row, use_case_position (kdx_system_get_use_case (s)));
  adw_combo_row_set_selected (self->lifecycle_row, kdx_system_get_lifecycle (s));

  /* The description is stored when it is left: while it has the focus,
   * what is typed there stands. */
  if (!gtk_widget_has_focus (GTK_WIDGET (self->description_view)))
    {
      g_autofree char *shown = text_view_text (self->description_view);
      const char *stored = kdx_system_get_description (s) ? kdx_system_get_description (s) : "";

      if (g_strcmp0 (shown, stored) != 0)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view), stored, -1);
    }

  kdx_person_chooser_set_store (self->business_owner_chooser, self->store);
  kdx_person_chooser_set_person (self->business_owner_chooser, kdx_system_get_business_owner (s));
  kdx_person_chooser_set_store (self->technical_owner_chooser, self->store);
  kdx_person_chooser_set_person (self->technical_owner_chooser,
                                 kdx_system_get_technical_owner (s));

  adw_action_row_set_subtitle (self->created_row, created);
  adw_action_row_set_subtitle (self->modified_row, modified);

  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->vendor_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->version_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->use_case_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lifecycle_row), can);
  gtk_text_view_set_editable (self->description_view, can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->business_owner_chooser), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->technical_owner_chooser), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->department_row), can);
}

static void
fill_data (KdxSystemView *self,
           KdxSystem     *before)
{
  KdxSystem *s = self->system;
  GStrv categories = kdx_system_get_data_categories (s);
  gboolean can = writable (self);

  for (guint i = 0; i < self->category_checks->len; i++)
    {
      GtkWidget *check = self->category_checks->pdata[i];
      const char *id = g_object_get_data (G_OBJECT (check), "category");

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_strv_contains ((const char * const *) categories, id));
      gtk_widget_set_sensitive (check, can);
    }

  update_categories_summary (self);

  adw_combo_row_set_selected (self->legal_basis_row, kdx_system_get_legal_basis (s) + 1);
  adw_combo_row_set_selected (self->consent_row, kdx_system_get_consent (s) + 1);
  adw_combo_row_set_selected (self->dpia_status_row, kdx_system_get_dpia_status (s));
  set_entry (self->dpia_date_row, kdx_system_get_dpia_date (s),
             before ? kdx_system_get_dpia_date (before) : NULL);
  set_entry (self->retention_row, kdx_system_get_retention (s),
             before ? kdx_system_get_retention (before) : NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->legal_basis_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->consent_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dpia_status_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dpia_date_row), can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retention_row), can);
  gtk_text_view_set_editable (self->notice_view, can);

  fill_notice (self);
}

/* The notice of the chosen language as stored (or generated), unless an
 * edit of it is on its way to the store. */
static void
fill_notice (KdxSystemView *self)
{
  g_autofree char *notice = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *stripped = NULL;
  gboolean edited;

  if (self->system == NULL || self->notice_timeout != 0)
    return;

  /* The store keeps the notice without the blank space around it; the
   * space just typed at its end stays on screen. */
  notice = kdx_system_dup_notice (self->store, self->system, self->notice_language);
  if (notice == NULL)
    notice = g_strdup ("");
  shown = text_view_text (self->notice_view);
  stripped = g_strstrip (g_strdup (shown));
  if (g_strcmp0 (g_strstrip (notice), stripped) != 0)
    {
      gboolean filling = self->filling;

      self->filling = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notice_view),
                                notice ? notice : "", -1);
      self->filling = filling;
    }

  edited = kdx_system_get_notice (self->system, self->notice_language) != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->notice_reset_button), edited);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.reset-notice",
                                 edited && writable (self));
  gtk_label_set_label (self->notice_state_label,
                       edited ? _("Edited: changes to the system's facts no longer show here.")
                              : _("Written from the system's facts; it follows when they change."));
}

static void
set_sections (KdxSystemView *self)
{
  const char *uuid = self->system ? kdx_system_get_uuid (self->system) : NULL;
  KdxStore *store = self->system ? self->store : NULL;

  kdx_system_classification_set_system (self->classification, store, uuid);
  kdx_system_oversight_set_system (self->oversight, store, uuid);
  kdx_system_policies_set_system (self->policies, store, uuid);
  kdx_system_frameworks_set_system (self->frameworks, store, uuid);
}

static void
update_actions (KdxSystemView *self)
{
  gboolean shown = self->system != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.trash", shown && writable (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.copy-notice", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.export-notice", shown);
  if (!shown)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.reset-notice", FALSE);
}

static void
fill (KdxSystemView *self,
      KdxSystem     *before)
{
  self->filling = TRUE;
  update_header (self);
  if (self->system != NULL)
    {
      fill_overview (self, before);
      fill_data (self, before);
    }
  update_actions (self);
  self->filling = FALSE;
}

static void
reload (KdxSystemView *self)
{
  g_autoptr(KdxSystem) before = NULL;
  g_autoptr(KdxSystem) loaded = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->system == NULL)
    return;

  loaded = kdx_system_load (self->store, kdx_system_get_uuid (self->system), &error);
  if (loaded == NULL)
    {
      g_warning ("Cannot reload the AI system: %s", error->message);
      return;
    }

  before = g_steal_pointer (&self->system);
  self->system = g_steal_pointer (&loaded);
  fill (self, before);
}

static void
store_changed_cb (KdxStore      *store,
                  const char    *entity,
                  GArray        *ids,
                  KdxSystemView *self)
{
  if (self->system == NULL)
    return;

  /* The organisation's name is in the notice; people are owners. */
  if (g_strcmp0 (entity, "ai_system") == 0 || g_strcmp0 (entity, "person") == 0 ||
      g_strcmp0 (entity, "setting") == 0 || g_strcmp0 (entity, "import") == 0)
    reload (self);
}

/* ------------------------------------------------------------------ */
/* Editing                                                            */

static Field
row_field (KdxSystemView *self,
           AdwEntryRow   *row)
{
  if (row == self->name_row)
    return FIELD_NAME;
  if (row == self->vendor_row)
    return FIELD_VENDOR;
  if (row == self->version_row)
    return FIELD_VERSION;
  if (row == self->department_row)
    return FIELD_DEPARTMENT;
  if (row == self->retention_row)
    return FIELD_RETENTION;
  g_assert (row == self->dpia_date_row);

  return FIELD_DPIA_DATE;
}

static void
entry_applied_cb (KdxSystemView *self,
                  AdwEntryRow   *row)
{
  save_field (self, row_field (self, row));
}

/* Leaving a row stores it as applying it would. */
static void
entry_leave_cb (GtkEventControllerFocus *controller,
                KdxSystemView           *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  AdwEntryRow *row = ADW_ENTRY_ROW (widget);

  if (self->system == NULL || self->filling)
    return;
  if (save_field (self, row_field (self, row)))
    reset_apply_button (row);
}

static void
watch_focus (KdxSystemView *self,
             GtkWidget     *widget,
             GCallback      leave_cb)
{
  GtkEventController *controller = gtk_event_controller_focus_new ();

  g_signal_connect (controller, "leave", leave_cb, self);
  gtk_widget_add_controller (widget, controller);
}

static void
description_leave_cb (GtkEventControllerFocus *controller,
                      KdxSystemView           *self)
{
  save_field (self, FIELD_DESCRIPTION);
}

static void
combo_changed_cb (KdxSystemView *self,
                  GParamSpec    *pspec,
                  AdwComboRow   *row)
{
  if (self->filling)
    return;

  if (row == self->use_case_row)
    save_field (self, FIELD_USE_CASE);
  else if (row == self->lifecycle_row)
    save_field (self, FIELD_LIFECYCLE);
  else if (row == self->legal_basis_row)
    save_field (self, FIELD_LEGAL_BASIS);
  else if (row == self->consent_row)
    save_field (self, FIELD_CONSENT);
  else if (row == self->dpia_status_row)
    save_field (self, FIELD_DPIA_STATUS);
}

static void
owner_chosen_cb (KdxSystemView    *self,
                 const char       *uuid,
                 KdxPersonChooser *chooser)
{
  /* The chooser shows whom it emits; say so, whoever emitted it. */
  if (g_strcmp0 (kdx_person_chooser_get_person (chooser), uuid) != 0)
    kdx_person_chooser_set_person (chooser, uuid);
  save_field (self, chooser == self->business_owner_chooser ? FIELD_BUSINESS_OWNER
                                                            : FIELD_TECHNICAL_OWNER);
}

static void
category_toggled_cb (KdxSystemView *self)
{
  update_categories_summary (self);
  save_field (self, FIELD_DATA_CATEGORIES);
}

/* The departments known to the workspace, those that match what is
 * typed first, when the list opens. */
static void
department_popover_show_cb (KdxSystemView *self)
{
  g_auto(GStrv) departments = self->store ? kdx_system_dup_departments (self->store) : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->department_row));
  g_autofree char *typed = g_utf8_casefold (text, -1);
  guint shown = 0;

  kdx_list_box_remove_all (self->department_list);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; departments && departments[i]; i++)
      {
        g_autofree char *folded = g_utf8_casefold (departments[i], -1);
        gboolean match = *typed != '\0' && strstr (folded, typed) != NULL;
        GtkWidget *label;

        if ((pass == 0) != match)
          continue;
        label = gtk_label_new (departments[i]);
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
        gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
        gtk_list_box_append (self->department_list, label);
        shown++;
      }

  if (shown == 0)
    {
      GtkWidget *label = gtk_label_new (_("No departments yet"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->department_list, label);
      gtk_list_box_row_set_activatable (gtk_list_box_get_row_at_index (self->department_list, 0),
                                        FALSE);
    }
}

static void
department_chosen_cb (KdxSystemView *self,
                      GtkListBoxRow *row)
{
  GtkWidget *label = gtk_list_box_row_get_child (row);

  gtk_popover_popdown (self->department_popover);
  gtk_editable_set_text (GTK_EDITABLE (self->department_row),
                         gtk_label_get_label (GTK_LABEL (label)));
  save_field (self, FIELD_DEPARTMENT);
}

/* ------------------------------------------------------------------ */
/* The notice                                                         */

static gboolean
notice_save_cb (gpointer user_data)
{
  KdxSystemView *self = user_data;

  self->notice_timeout = 0;
  save_field (self, FIELD_NOTICE);
  fill_notice (self);

  return G_SOURCE_REMOVE;
}

static void
flush_notice (KdxSystemView *self)
{
  if (self->notice_timeout == 0)
    return;

  g_clear_handle_id (&self->notice_timeout, g_source_remove);
  save_field (self, FIELD_NOTICE);
}

static void
notice_changed_cb (KdxSystemView *self)
{
  if (self->filling || self->system == NULL || !writable (self))
    return;

  g_clear_handle_id (&self->notice_timeout, g_source_remove);
  self->notice_timeout = g_timeout_add (NOTICE_SAVE_DELAY_MS, notice_save_cb, self);
}

static void
language_toggled_cb (KdxSystemView   *self,
                     GtkToggleButton *button)
{
  const char *language;

  if (!gtk_toggle_button_get_active (button))
    return;

  language = button == self->english_button ? "en" : "de";
  if (g_strcmp0 (language, self->notice_language) == 0)
    return;

  flush_notice (self);
  g_free (self->notice_language);
  self->notice_language = g_strdup (language);
  fill_notice (self);
}

static void
reset_notice_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KdxSystemView *self = KDX_SYSTEM_VIEW (widget);
  g_autoptr(KdxSystem) fresh = NULL;
  g_autoptr(GError) error = NULL;

  if (self->system == NULL)
    return;

  g_clear_handle_id (&self->notice_timeout, g_source_remove);
  fresh = kdx_system_load (self->store, kdx_system_get_uuid (self->system), &error);
  if (fresh != NULL)
    {
      kdx_system_set_notice (fresh, self->notice_language, NULL);
      if (kdx_system_update (self->store, fresh, &error))
        g_set_object (&self->system, fresh);
    }
  if (error != NULL)
    toast (self, error->message);
  fill_notice (self);
}

static void
copy_notice_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KdxSystemView *self = KDX_SYSTEM_VIEW (widget);
  g_autofree char *text = text_view_text (self->notice_view);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  toast (self, _("Notice copied"));
}

static gboolean
has_suffix_casefold (const char *name,
                     const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_str_has_suffix (lower, suffix);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    KdxSystemView   *self)
{
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  GtkFileFilter *filter;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (chosen == NULL)
    goto out;

  /* The name decides the format; a name without either ending gets the
   * one of the chosen filter. */
  name = g_file_get_basename (chosen);
  filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
  if (!has_suffix_casefold (name, ".txt") && !has_suffix_casefold (name, ".html") &&
      !has_suffix_casefold (name, ".htm"))
    {
      gboolean html = filter != NULL && g_object_get_data (G_OBJECT (filter), "html") != NULL;
      g_autofree char *full = g_strconcat (name, html ? ".html" : ".txt", NULL);
      g_autoptr(GFile) parent = g_file_get_parent (chosen);

      file = parent ? g_file_get_child (parent, full) : g_object_ref (chosen);
    }
  else
    file = g_object_ref (chosen);

  kdx_system_view_export_notice (self, file);

out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_notice_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KdxSystemView *self = KDX_SYSTEM_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) text = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) html = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->system == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export the Customer Notice"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  gtk_file_filter_set_name (text, _("Plain Text"));
  gtk_file_filter_add_suffix (text, "txt");
  gtk_file_filter_add_mime_type (text, "text/plain");
  gtk_file_filter_set_name (html, _("Web Page (HTML)"));
  gtk_file_filter_add_suffix (html, "html");
  gtk_file_filter_add_suffix (html, "htm");
  g_object_set_data (G_OBJECT (html), "html", GINT_TO_POINTER (TRUE));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), text);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), html);

  /* Translators: the file name an exported notice is offered under: the
   * system's key and the notice's language, "SYS-001-notice-de.txt" */
  name = g_strdup_printf (_("%s-notice-%s.txt"), kdx_system_get_key (self->system),
                          self->notice_language);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ------------------------------------------------------------------ */
/* Trash                                                              */

typedef struct
{
  KdxStore *store;
  char     *uuid;
  GWeakRef  overlay;
} Restore;

static void
restore_free (gpointer data,
              GClosure *closure)
{
  Restore *restore = data;

  g_clear_object (&restore->store);
  g_free (restore->uuid);
  g_weak_ref_clear (&restore->overlay);
  g_free (restore);
}

static void
undo_trash_cb (AdwToast *undo,
               Restore  *restore)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToastOverlay) overlay = g_weak_ref_get (&restore->overlay);

  if (!kdx_system_restore (restore->store, restore->uuid, &error) && overlay != NULL)
    adw_toast_overlay_add_toast (overlay, kdx_toast_new (error->message));
}

static void
trash_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KdxSystemView *self = KDX_SYSTEM_VIEW (widget);
  g_autoptr(KdxSystem) system = self->system ? g_object_ref (self->system) : NULL;
  g_autoptr(KdxStore) store = self->store ? g_object_ref (self->store) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GtkWidget *overlay;
  GtkRoot *root;
  Restore *restore;
  AdwToast *undo;

  if (system == NULL)
    return;

  kdx_system_view_flush (self);
  if (!kdx_system_trash (store, kdx_system_get_uuid (system), &error))
    {
      toast (self, error->message);
      return;
    }

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  root = gtk_widget_get_root (widget);
  gtk_widget_activate_action (widget, "systems.back", NULL);
  kdx_system_view_set_system (self, NULL, NULL);

  /* In the window, Undo and Ctrl+Z go through its undo stack, as for
   * people and policies. */
  if (KDX_IS_WINDOW (root))
    {
      kdx_window_toast_trashed (KDX_WINDOW (root), "ai_system", kdx_system_get_uuid (system),
                                kdx_system_get_name (system));
      return;
    }

  /* Translators: %s is the name of an AI system */
  title = g_strdup_printf (_("“%s” moved to the trash"), kdx_system_get_name (system));
  if (overlay == NULL)
    {
      toast (self, title);
      return;
    }

  restore = g_new0 (Restore, 1);
  restore->store = g_object_ref (store);
  restore->uuid = g_strdup (kdx_system_get_uuid (system));
  g_weak_ref_init (&restore->overlay, overlay);
  undo = kdx_toast_new (title);
  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (undo, "button-clicked", G_CALLBACK (undo_trash_cb), restore,
                         restore_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), undo);
}

/* ------------------------------------------------------------------ */

static void
kdx_system_view_dispose (GObject *object)
{
  KdxSystemView *self = KDX_SYSTEM_VIEW (object);

  /* Whatever is typed and not yet stored is stored now. */
  if (self->system != NULL && !self->filling)
    kdx_system_view_flush (self);
  g_clear_handle_id (&self->notice_timeout, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KDX_TYPE_SYSTEM_VIEW);
  /* The template's unnamed top-level box is not a bound child. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->system);
  g_clear_pointer (&self->category_checks, g_ptr_array_unref);
  g_clear_pointer (&self->notice_language, g_free);

  G_OBJECT_CLASS (kdx_system_view_parent_class)->dispose (object);
}

static void
kdx_system_view_class_init (KdxSystemViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_system_view_dispose;

  g_type_ensure (KDX_TYPE_PERSON_CHOOSER);
  g_type_ensure (KDX_TYPE_SYSTEM_CLASSIFICATION);
  g_type_ensure (KDX_TYPE_SYSTEM_OVERSIGHT);
  g_type_ensure (KDX_TYPE_SYSTEM_POLICIES);
  g_type_ensure (KDX_TYPE_SYSTEM_FRAMEWORKS);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kodexapp/Kodex/ui/kdx-system-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, title_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, risk_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, lifecycle_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, name_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, vendor_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, version_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, use_case_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, lifecycle_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, description_view);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, business_owner_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, technical_owner_chooser);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, department_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, department_button);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, department_popover);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, department_list);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, created_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, modified_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, classification);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, categories_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, categories_special_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, legal_basis_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, consent_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, retention_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, dpia_status_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, dpia_date_row);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, german_button);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, english_button);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, notice_view);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, notice_state_label);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, notice_reset_button);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, oversight);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, policies);
  gtk_widget_class_bind_template_child (widget_class, KdxSystemView, frameworks);
  gtk_widget_class_bind_template_callback (widget_class, entry_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, combo_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, owner_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, department_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, department_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_toggled_cb);

  gtk_widget_class_install_action (widget_class, "system.trash", NULL, trash_action);
  gtk_widget_class_install_action (widget_class, "system.reset-notice", NULL, reset_notice_action);
  gtk_widget_class_install_action (widget_class, "system.copy-notice", NULL, copy_notice_action);
  gtk_widget_class_install_action (widget_class, "system.export-notice", NULL,
                                   export_notice_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* The entry rows, each stored on its own (see row_field()). */
static void
get_entry_rows (KdxSystemView *self,
                AdwEntryRow   *rows[6])
{
  rows[0] = self->name_row;
  rows[1] = self->vendor_row;
  rows[2] = self->version_row;
  rows[3] = self->department_row;
  rows[4] = self->retention_row;
  rows[5] = self->dpia_date_row;
}

static void
kdx_system_view_init (KdxSystemView *self)
{
  AdwEntryRow *rows[6];

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filling = TRUE;
  self->notice_language = g_strdup ("de");
  fill_use_cases (self);
  set_combo_labels (self->lifecycle_row, NULL, lifecycle_label, KDX_LIFECYCLE_N_STATES);
  fill_legal_bases (self);
  set_combo_labels (self->consent_row, _("Not decided"), consent_label, KDX_CONSENT_N);
  set_combo_labels (self->dpia_status_row, NULL, dpia_label, KDX_DPIA_N_STATES);
  kdx_person_chooser_set_allow_none (self->business_owner_chooser, TRUE);
  kdx_person_chooser_set_empty_label (self->business_owner_chooser, _("Nobody"));
  kdx_person_chooser_set_allow_none (self->technical_owner_chooser, TRUE);
  kdx_person_chooser_set_empty_label (self->technical_owner_chooser, _("Nobody"));
  build_categories (self);
  self->filling = FALSE;

  get_entry_rows (self, rows);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    watch_focus (self, GTK_WIDGET (rows[i]), G_CALLBACK (entry_leave_cb));
  watch_focus (self, GTK_WIDGET (self->description_view), G_CALLBACK (description_leave_cb));

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notice_view), "changed",
                            G_CALLBACK (notice_changed_cb), self);
  update_actions (self);
  update_header (self);
}

KdxSystemView *
kdx_system_view_new (void)
{
  return g_object_new (KDX_TYPE_SYSTEM_VIEW, NULL);
}

void
kdx_system_view_set_system (KdxSystemView *self,
                            KdxStore      *store,
                            const char    *uuid)
{
  g_autoptr(KdxSystem) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;
  gboolean same;

  g_return_if_fail (KDX_IS_SYSTEM_VIEW (self));

  kdx_system_view_flush (self);

  if (self->store != store)
    {
      if (self->store != NULL)
        g_signal_handlers_disconnect_by_data (self->store, self);
      g_set_object (&self->store, store);
      if (store != NULL)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);
    }

  if (store != NULL && uuid != NULL)
    {
      loaded = kdx_system_load (store, uuid, &error);
      if (loaded == NULL)
        toast (self, error->message);
    }

  same = self->system != NULL && loaded != NULL &&
         g_str_equal (kdx_system_get_uuid (self->system), kdx_system_get_uuid (loaded));
  g_set_object (&self->system, loaded);

  if (!same)
    {
      /* A system opens on its overview, its notice in the workspace's
       * language, and nothing typed for another system carries over. */
      language = store ? kdx_store_dup_setting (store, "language") : NULL;
      self->filling = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view), "", -1);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notice_view), "", -1);
      self->filling = FALSE;
      g_free (self->notice_language);
      self->notice_language = g_strdup (language && g_str_has_prefix (language, "en") ? "en"
                                                                                     : "de");
      self->filling = TRUE;
      gtk_toggle_button_set_active (g_str_equal (self->notice_language, "en")
                                    ? self->english_button : self->german_button, TRUE);
      self->filling = FALSE;
      adw_view_stack_set_visible_child_name (self->view_stack, "overview");
    }

  fill (self, NULL);
  /* The categories unfold while none is chosen: the first thing to do. */
  if (!same && self->system != NULL)
    adw_expander_row_set_expanded (self->categories_row,
                                   kdx_system_get_data_categories (self->system)[0] == NULL);
  set_sections (self);
}

const char *
kdx_system_view_get_system (KdxSystemView *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM_VIEW (self), NULL);

  return self->system ? kdx_system_get_uuid (self->system) : NULL;
}

void
kdx_system_view_show_section (KdxSystemView *self,
                              const char    *section)
{
  g_return_if_fail (KDX_IS_SYSTEM_VIEW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, section);
}

void
kdx_system_view_flush (KdxSystemView *self)
{
  AdwEntryRow *rows[6];

  g_return_if_fail (KDX_IS_SYSTEM_VIEW (self));

  if (self->system == NULL)
    return;

  flush_notice (self);

  /* A row being typed in is stored as if it were left. */
  get_entry_rows (self, rows);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (contains_focus (GTK_WIDGET (rows[i])))
      save_field (self, row_field (self, rows[i]));
  if (gtk_widget_has_focus (GTK_WIDGET (self->description_view)))
    save_field (self, FIELD_DESCRIPTION);
}

void
kdx_system_view_set_notice_language (KdxSystemView *self,
                                     const char    *language)
{
  g_return_if_fail (KDX_IS_SYSTEM_VIEW (self));

  gtk_toggle_button_set_active (g_strcmp0 (language, "en") == 0 ? self->english_button
                                                                : self->german_button, TRUE);
}

const char *
kdx_system_view_get_notice_language (KdxSystemView *self)
{
  g_return_val_if_fail (KDX_IS_SYSTEM_VIEW (self), NULL);

  return self->notice_language;
}

gboolean
kdx_system_view_export_notice (KdxSystemView *self,
                               GFile         *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *message = NULL;
  gboolean german;

  g_return_val_if_fail (KDX_IS_SYSTEM_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->system == NULL)
    return FALSE;

  flush_notice (self);
  notice = kdx_system_dup_notice (self->store, self->system, self->notice_language);
  name = g_file_get_basename (file);
  german = g_str_equal (self->notice_language, "de");

  if (has_suffix_casefold (name, ".html") || has_suffix_casefold (name, ".htm"))
    {
      /* The title is in the notice's language, not the user's. */
      title = g_strdup_printf (german ? "Hinweis zum Einsatz von KI: %s"
                                      : "Notice on the use of AI: %s",
                               kdx_system_get_name (self->system));
      contents = kdx_notice_to_html (notice, title, self->notice_language);
    }
  else
    contents = g_str_has_suffix (notice, "\n") ? g_strdup (notice)
                                               : g_strconcat (notice, "\n", NULL);

  /* Private, as every file Kodex writes: the notice names the
   * organisation's systems before they are published. */
  if (!g_file_replace_contents (file, contents, strlen (contents), NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, &error))
    {
      /* Translators: the file could not be written; %s is the reason */
      message = g_strdup_printf (_("The notice was not exported: %s"), error->message);
      toast (self, message);
      return FALSE;
    }

  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Notice exported to “%s”"), name);
  toast (self, message);

  return TRUE;
}
