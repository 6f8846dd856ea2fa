/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Days as people write them: German, ISO (also with a time), the slash
 * forms that need an order, month names; days that do not exist and
 * two-digit years refused; the order a column decides; adding days and
 * months; the day as people read it, in German and in English.
 */
#define G_LOG_DOMAIN "kdx-test-date"

#include "config.h"

#include "kdx-date.h"

#include <glib.h>
#include <string.h>

typedef struct
{
  const char   *text;
  KdxDateOrder  order;
  const char   *iso;    /* NULL: refused */
  int           code;   /* the KdxDateError when refused */
} ParseCase;

#define OK(t, o, i) { t, KDX_DATE_ORDER_##o, i, -1 }
#define NO(t, o, c) { t, KDX_DATE_ORDER_##o, NULL, KDX_DATE_ERROR_##c }

static const ParseCase parse_cases[] = {
  /* German. */
  OK ("31.12.2026", UNKNOWN, "2026-12-31"),
  OK ("1.2.2026", UNKNOWN, "2026-02-01"),
  OK ("01.02.2026", UNKNOWN, "2026-02-01"),
  OK ("  29.02.2028 ", UNKNOWN, "2028-02-29"),
  OK ("31.12.2026 14:05", UNKNOWN, "2026-12-31"),
  OK ("31.12.2026 um 14:05 Uhr", UNKNOWN, "2026-12-31"),
  /* The order is for slashes; dots are always day.month. */
  OK ("03.04.2026", MDY, "2026-04-03"),
  NO ("31.02.2026", UNKNOWN, NO_SUCH_DAY),
  NO ("29.02.2026", UNKNOWN, NO_SUCH_DAY),
  NO ("31.04.2026", UNKNOWN, NO_SUCH_DAY),
  NO ("0.1.2026", UNKNOWN, NO_SUCH_DAY),
  NO ("12.13.2026", UNKNOWN, NO_SUCH_DAY),
  NO ("31.12.26", UNKNOWN, INVALID),
  NO ("31.12.", UNKNOWN, INVALID),
  NO ("31.12.202", UNKNOWN, INVALID),
  NO ("31.12.2026x", UNKNOWN, INVALID),
  /* ISO 8601. */
  OK ("2026-12-31", UNKNOWN, "2026-12-31"),
  OK ("2026-12-31T14:05:00Z", UNKNOWN, "2026-12-31"),
  OK ("2026-12-31T14:05:00.123+01:00", UNKNOWN, "2026-12-31"),
  OK ("2026-12-31 14:05", UNKNOWN, "2026-12-31"),
  OK ("2026-12-31 14:05:59", DMY, "2026-12-31"),
  OK ("2026/12/31", UNKNOWN, "2026-12-31"),
  OK ("2026-1-5", UNKNOWN, "2026-01-05"),
  NO ("2026-02-30", UNKNOWN, NO_SUCH_DAY),
  NO ("2026-00-10", UNKNOWN, NO_SUCH_DAY),
  NO ("2026-12-31T25:00", UNKNOWN, INVALID),
  NO ("2026-12-31 noon", UNKNOWN, INVALID),
  NO ("2026-12", UNKNOWN, INVALID),
  NO ("20261231", UNKNOWN, INVALID),
  NO ("0999-01-01", UNKNOWN, NO_SUCH_DAY),
  /* Slashes (and dashes with the year last): the order decides, or a
   * day above 12, or both parts being equal. */
  NO ("03/04/2026", UNKNOWN, AMBIGUOUS),
  NO ("3/4/2026 10:00 AM", UNKNOWN, AMBIGUOUS),
  OK ("03/04/2026", DMY, "2026-04-03"),
  OK ("03/04/2026", MDY, "2026-03-04"),
  OK ("13/04/2026", UNKNOWN, "2026-04-13"),
  OK ("04/13/2026", UNKNOWN, "2026-04-13"),
  OK ("04/04/2026", UNKNOWN, "2026-04-04"),
  OK ("12/31/2026, 2:30 PM", UNKNOWN, "2026-12-31"),
  OK ("13-04-2026", UNKNOWN, "2026-04-13"),
  NO ("04/13/2026", DMY, NO_SUCH_DAY),
  NO ("31/02/2026", UNKNOWN, NO_SUCH_DAY),
  NO ("13/13/2026", UNKNOWN, NO_SUCH_DAY),
  NO ("13/04/26", UNKNOWN, INVALID),
  NO ("03/04-2026", DMY, INVALID),
  /* Month names, as learning platforms write them. */
  OK ("13 May 2024", UNKNOWN, "2024-05-13"),
  OK ("Monday, 13 May 2024, 2:30 PM", UNKNOWN, "2024-05-13"),
  OK ("Montag, 13. Mai 2024, 14:30", UNKNOWN, "2024-05-13"),
  OK ("1. März 2026", UNKNOWN, "2026-03-01"),
  OK ("1. MÄRZ 2026", UNKNOWN, "2026-03-01"),
  OK ("May 13, 2024", UNKNOWN, "2024-05-13"),
  OK ("Dec 31, 2026", MDY, "2026-12-31"),
  OK ("31 Dez. 2026", UNKNOWN, "2026-12-31"),
  NO ("31 Febr 2026", UNKNOWN, INVALID),
  NO ("30 February 2026", UNKNOWN, NO_SUCH_DAY),
  NO ("13 May 24", UNKNOWN, INVALID),
  NO ("Someday, 13 May 2024", UNKNOWN, INVALID),
  /* Not dates. */
  NO ("", UNKNOWN, INVALID),
  NO ("   ", UNKNOWN, INVALID),
  NO ("yesterday", UNKNOWN, INVALID),
  NO ("12", UNKNOWN, INVALID),
  NO ("2026", UNKNOWN, INVALID),
  NO ("1.2.3.4", UNKNOWN, INVALID),
  NO ("\xff\xfe", UNKNOWN, INVALID),
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = kdx_date_parse (c->text, c->order, &error);
  int year = 0, month = 0, day = 0;
  gboolean ok;

  if (c->iso != NULL)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (iso, ==, c->iso);
      g_assert_true (kdx_date_is_iso (iso));
    }
  else
    {
      g_assert_null (iso);
      g_assert_error (error, KDX_DATE_ERROR, c->code);
      /* The message quotes what was written, so that a person finds it. */
      g_autofree char *stripped = g_strstrip (g_strdup (c->text));

      if (*stripped != '\0' && g_utf8_validate (c->text, -1, NULL))
        g_assert_nonnull (strstr (error->message, stripped));
    }

  /* The allocation-free form agrees. */
  g_clear_error (&error);
  ok = kdx_date_parse_parts (c->text, c->order, &year, &month, &day, &error);
  g_assert_cmpint (ok, ==, c->iso != NULL);
  if (ok)
    {
      g_autofree char *again = g_strdup_printf ("%04d-%02d-%02d", year, month, day);

      g_assert_cmpstr (again, ==, c->iso);
    }
}

static void
test_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;

  /* A person reads why the day does not exist. */
  iso = kdx_date_parse ("31.02.2026", KDX_DATE_ORDER_UNKNOWN, &error);
  g_assert_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_NO_SUCH_DAY);
  g_assert_cmpstr (error->message, ==, "“31.02.2026” is not a day: February 2026 has 28 days");
  g_clear_error (&error);

  iso = kdx_date_parse ("03/04/2026", KDX_DATE_ORDER_UNKNOWN, &error);
  g_assert_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "3 April"));
  g_assert_nonnull (strstr (error->message, "4 March"));
  g_clear_error (&error);

  iso = kdx_date_parse ("31.12.26", KDX_DATE_ORDER_UNKNOWN, &error);
  g_assert_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "four digits"));
}

static void
test_detect_order (void)
{
  const char *day_first[] = { "03/04/2026", "not a date", "2026-05-01", "25/12/2026", NULL };
  const char *month_first[] = { "03/04/2026", "12/25/2026 10:00 AM", "" };
  const char *neither[] = { "03/04/2026", "01/02/2026", "31.12.2026" };
  const char *both[] = { "25/12/2026", "12/25/2026" };
  const char *german_only[] = { "31.12.2026", "2026-12-31" };

  g_assert_cmpint (kdx_date_detect_order (day_first, G_N_ELEMENTS (day_first)), ==,
                   KDX_DATE_ORDER_DMY);
  g_assert_cmpint (kdx_date_detect_order (month_first, G_N_ELEMENTS (month_first)), ==,
                   KDX_DATE_ORDER_MDY);
  g_assert_cmpint (kdx_date_detect_order (neither, G_N_ELEMENTS (neither)), ==,
                   KDX_DATE_ORDER_UNKNOWN);
  g_assert_cmpint (kdx_date_detect_order (both, G_N_ELEMENTS (both)), ==,
                   KDX_DATE_ORDER_UNKNOWN);
  g_assert_cmpint (kdx_date_detect_order (german_only, G_N_ELEMENTS (german_only)), ==,
                   KDX_DATE_ORDER_UNKNOWN);
  g_assert_cmpint (kdx_date_detect_order (NULL, 0), ==, KDX_DATE_ORDER_UNKNOWN);
}

static void
test_is_iso (void)
{
  g_assert_true (kdx_date_is_iso ("2026-12-31"));
  g_assert_true (kdx_date_is_iso ("2028-02-29"));
  g_assert_false (kdx_date_is_iso ("2026-02-29"));
  g_assert_false (kdx_date_is_iso ("2026-12-31T00:00"));
  g_assert_false (kdx_date_is_iso ("31.12.2026"));
  g_assert_false (kdx_date_is_iso ("2026-1-5"));
  g_assert_false (kdx_date_is_iso (""));
  g_assert_false (kdx_date_is_iso (NULL));
}

typedef struct
{
  const char *iso;
  int         amount;
  const char *expected;
} AddCase;

static void
test_add (void)
{
  static const AddCase days[] = {
    { "2026-12-31", 1, "2027-01-01" },
    { "2026-03-01", -1, "2026-02-28" },
    { "2028-02-28", 1, "2028-02-29" },
    { "2026-01-15", 0, "2026-01-15" },
    { "2026-01-01", 365, "2027-01-01" },
    { "2026-01-01", -365, "2025-01-01" },
  };
  static const AddCase months[] = {
    /* The end of a shorter month is kept. */
    { "2026-01-31", 1, "2026-02-28" },
    { "2028-01-31", 1, "2028-02-29" },
    { "2026-03-31", 1, "2026-04-30" },
    { "2026-08-31", 6, "2027-02-28" },
    { "2026-12-15", 1, "2027-01-15" },
    { "2026-02-28", 12, "2027-02-28" },
    { "2028-02-29", 12, "2029-02-28" },
    { "2026-05-10", 0, "2026-05-10" },
    { "2026-06-30", 24, "2028-06-30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autofree char *result = kdx_date_add_days (days[i].iso, days[i].amount);

      g_assert_cmpstr (result, ==, days[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      g_autofree char *result = kdx_date_add_months (months[i].iso, months[i].amount);

      g_assert_cmpstr (result, ==, months[i].expected);
    }

  /* What is not a day gives nothing. */
  g_assert_null (kdx_date_add_days ("2026-02-30", 1));
  g_assert_null (kdx_date_add_months ("31.12.2026", 1));
}

static void
test_today (void)
{
  g_autofree char *today = kdx_date_today ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *expected = g_date_time_format (now, "%Y-%m-%d");

  g_assert_true (kdx_date_is_iso (today));
  /* Unless the test ran across midnight. */
  if (g_strcmp0 (today, expected) != 0)
    {
      g_autoptr(GDateTime) earlier = g_date_time_add_minutes (now, -1);
      g_autofree char *before = g_date_time_format (earlier, "%Y-%m-%d");

      g_assert_cmpstr (today, ==, before);
    }
}

static void
test_format (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));
  g_autofree char *de = NULL;
  g_autofree char *de_short = NULL;
  g_autofree char *en = NULL;
  g_autofree char *en_short = NULL;
  g_autofree char *bad = NULL;

  g_setenv ("LANGUAGE", "de_DE", TRUE);
  de = kdx_date_format ("2026-12-31");
  de_short = kdx_date_format ("2026-02-01");

  g_setenv ("LANGUAGE", "en_GB", TRUE);
  en = kdx_date_format ("2026-12-31");
  en_short = kdx_date_format ("2026-02-01");
  bad = kdx_date_format ("not a day");

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
  else
    g_unsetenv ("LANGUAGE");

  g_assert_cmpstr (de, ==, "31.12.2026");
  g_assert_cmpstr (de_short, ==, "01.02.2026");
  g_assert_cmpstr (en, ==, "31 Dec 2026");
  g_assert_cmpstr (en_short, ==, "1 Feb 2026");
  g_assert_cmpstr (bad, ==, "not a day");

  /* What is formatted reads back as the same day. */
  {
    g_autofree char *back_de = kdx_date_parse (de, KDX_DATE_ORDER_UNKNOWN, NULL);
    g_autofree char *back_en = kdx_date_parse (en, KDX_DATE_ORDER_UNKNOWN, NULL);

    g_assert_cmpstr (back_de, ==, "2026-12-31");
    g_assert_cmpstr (back_en, ==, "2026-12-31");
  }
}

/* Every day of 400 years (a whole Gregorian cycle) in the three numeric
 * forms reads back as itself. */
static void
test_round_trip (void)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, 2000);
  for (guint i = 0; i < 146097; i++, g_date_add_days (&date, 1))
    {
      int d = g_date_get_day (&date), m = g_date_get_month (&date), y = g_date_get_year (&date);
      char iso[16], german[16], slash[16];
      int yy, mm, dd;

      g_snprintf (iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
      g_snprintf (german, sizeof german, "%d.%d.%04d", d, m, y);
      g_snprintf (slash, sizeof slash, "%02d/%02d/%04d", m, d, y);

      g_assert_true (kdx_date_parse_parts (iso, KDX_DATE_ORDER_UNKNOWN, &yy, &mm, &dd, NULL));
      g_assert_true (yy == y && mm == m && dd == d);
      g_assert_true (kdx_date_parse_parts (german, KDX_DATE_ORDER_UNKNOWN, &yy, &mm, &dd, NULL));
      g_assert_true (yy == y && mm == m && dd == d);
      g_assert_true (kdx_date_parse_parts (slash, KDX_DATE_ORDER_MDY, &yy, &mm, &dd, NULL));
      g_assert_true (yy == y && mm == m && dd == d);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kdx/date/parse/%u", i);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }
  g_test_add_func ("/kdx/date/messages", test_messages);
  g_test_add_func ("/kdx/date/detect-order", test_detect_order);
  g_test_add_func ("/kdx/date/is-iso", test_is_iso);
  g_test_add_func ("/kdx/date/add", test_add);
  g_test_add_func ("/kdx/date/today", test_today);
  g_test_add_func ("/kdx/date/format", test_format);
  g_test_add_func ("/kdx/date/round-trip", test_round_trip);

  return g_test_run ();
}
