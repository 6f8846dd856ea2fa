/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Days as people write them (kdx-date.h). The parser reads the text in
 * place, without copies, since an import calls it for every row of files
 * of a million rows: the ISO form costs a few comparisons.
 *
 * What is read:
 *   2026-12-31, 2026-12-31T14:05:00Z, 2026-12-31 14:05   ISO 8601 (also 2026/12/31)
 *   31.12.2026, 1.2.2026, 31.12.2026 14:05               German
 *   03/04/2026, 03-04-2026 (with a time after it too)    day and month as the caller
 *                                                        says, or as a day above 12 decides
 *   31 December 2026, 31. Dezember 2026, Dec 31, 2026,   month names in English and
 *   Monday, 13 May 2024, 2:30 PM                         German, with a weekday before
 *                                                        and a time after them
 * A two-digit year (31.12.26) is refused: the century would be a guess.
 */
#define G_LOG_DOMAIN "kdx-date"

#include "config.h"

#include "kdx-date.h"
#include "kdx-catalog.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (kdx-date-error-quark, kdx_date_error)

typedef struct
{
  const char *name;   /* lower case */
  int         month;
} MonthName;

/* Longest first where one is the start of another ("sept" before "sep"). */
static const MonthName month_names[] = {
  { "january", 1 }, { "januar", 1 }, { "jänner", 1 }, { "jan", 1 },
  { "february", 2 }, { "februar", 2 }, { "feber", 2 }, { "feb", 2 },
  { "march", 3 }, { "märz", 3 }, { "maerz", 3 }, { "mär", 3 }, { "mar", 3 },
  { "april", 4 }, { "apr", 4 },
  { "may", 5 }, { "mai", 5 },
  { "june", 6 }, { "juni", 6 }, { "jun", 6 },
  { "july", 7 }, { "juli", 7 }, { "jul", 7 },
  { "august", 8 }, { "aug", 8 },
  { "september", 9 }, { "sept", 9 }, { "sep", 9 },
  { "october", 10 }, { "oktober", 10 }, { "oct", 10 }, { "okt", 10 },
  { "november", 11 }, { "nov", 11 },
  { "december", 12 }, { "dezember", 12 }, { "dec", 12 }, { "dez", 12 },
};

static const char * const weekday_names[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
  "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
  "mo", "di", "mi", "do", "fr", "sa", "so",
};

static const char * const english_months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* ---- Scanning -------------------------------------------------------- */

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Up to @max digits at *@p: their value, and how many there were. */
static int
scan_number (const char **p,
             const char  *end,
             int          max,
             int         *value)
{
  int n = 0;
  int v = 0;

  while (*p < end && n < max && g_ascii_isdigit (**p))
    {
      v = v * 10 + (**p - '0');
      (*p)++;
      n++;
    }
  *value = v;

  return n;
}

/* A letter for month and weekday names: ASCII letters and the bytes of
 * UTF-8 sequences (ä). */
static inline gboolean
is_word_char (char c)
{
  return g_ascii_isalpha (c) || ((guchar) c & 0x80) != 0;
}

/* Compares the word [@start, @end) with @lower, ignoring ASCII case
 * (the names hold "ä" in lower case; "Ä" is accepted as well). */
static gboolean
word_equals (const char *start,
             const char *end,
             const char *lower)
{
  gsize length = end - start;
  g_autofree char *folded = NULL;

  if (length > 20 || !g_utf8_validate (start, length, NULL))
    return FALSE;
  folded = g_utf8_strdown (start, length);

  return strcmp (folded, lower) == 0;
}

static int
month_from_word (const char *start,
                 const char *end)
{
  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (word_equals (start, end, month_names[i].name))
      return month_names[i].month;

  return 0;
}

static gboolean
is_weekday (const char *start,
            const char *end)
{
  for (guint i = 0; i < G_N_ELEMENTS (weekday_names); i++)
    if (word_equals (start, end, weekday_names[i]))
      return TRUE;

  return FALSE;
}

static const char *
skip_spaces (const char *p,
             const char *end)
{
  while (p < end && is_space (*p))
    p++;

  return p;
}

/* What may follow a day: nothing, or a time of day ("T14:05:00Z",
 * " 14:05", ", 2:30 PM", "14:05:00.123+01:00"). The day is what counts;
 * the time is only checked to be one. */
static gboolean
is_time_or_nothing (const char *p,
                    const char *end)
{
  int value;
  int n;

  if (p == end)
    return TRUE;
  if (*p == 'T' || *p == 't')
    p++;
  else
    {
      if (*p == ',')
        p++;
      if (p == end || !is_space (*p))
        return FALSE;
      p = skip_spaces (p, end);
      /* "um 14:05" in German exports. */
      if (end - p > 3 && (p[0] == 'u' || p[0] == 'U') && p[1] == 'm' && is_space (p[2]))
        p = skip_spaces (p + 2, end);
    }

  n = scan_number (&p, end, 2, &value);
  if (n == 0 || value > 24)
    return FALSE;
  if (p == end || *p != ':')
    return FALSE;
  p++;
  if (scan_number (&p, end, 2, &value) != 2 || value > 59)
    return FALSE;
  if (p < end && *p == ':')
    {
      p++;
      if (scan_number (&p, end, 2, &value) != 2 || value > 60)
        return FALSE;
      if (p < end && (*p == '.' || *p == ','))
        {
          p++;
          if (scan_number (&p, end, 9, &value) == 0)
            return FALSE;
        }
    }
  p = skip_spaces (p, end);
  if (end - p >= 2 && strchr ("AaPp", p[0]) != NULL && (p[1] == 'M' || p[1] == 'm'))
    p = skip_spaces (p + 2, end);
  if (end - p >= 3 && (g_ascii_strncasecmp (p, "Uhr", 3) == 0))
    p = skip_spaces (p + 3, end);
  if (p < end && (*p == 'Z' || *p == 'z'))
    p++;
  else if (p < end && (*p == '+' || *p == '-'))
    {
      p++;
      if (scan_number (&p, end, 2, &value) != 2)
        return FALSE;
      if (p < end && *p == ':')
        p++;
      scan_number (&p, end, 2, &value);
    }
  p = skip_spaces (p, end);

  return p == end;
}

/* ---- Errors ---------------------------------------------------------- */

static void
set_invalid (GError     **error,
             const char  *text)
{
  g_set_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_INVALID,
               /* Translators: %s is what a file or a person wrote. */
               _("“%s” is not a date; write it as 31.12.2026 or 2026-12-31"), text);
}

static void
set_two_digit_year (GError     **error,
                    const char  *text)
{
  g_set_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_INVALID,
               _("“%s” has a two-digit year; write the year with four digits, as in 31.12.2026"),
               text);
}

static const char *
month_name (int month)
{
  static const char * const names[] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
  };

  return _(names[month - 1]);
}

/* Checks the day; the message says why it does not exist. */
static gboolean
check_day (int          year,
           int          month,
           int          day,
           const char  *text,
           GError     **error)
{
  if (year < 1000 || year > 9999)
    {
      g_set_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_NO_SUCH_DAY,
                   _("“%s” is not a day: the year %d is out of range"), text, year);
      return FALSE;
    }
  if (month < 1 || month > 12)
    {
      g_set_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_NO_SUCH_DAY,
                   _("“%s” is not a day: there is no month %d"), text, month);
      return FALSE;
    }
  if (day < 1 || day > g_date_get_days_in_month (month, year))
    {
      g_set_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_NO_SUCH_DAY,
                   /* Translators: “31.02.2026” is not a day: February 2026 has 28 days */
                   _("“%s” is not a day: %s %d has %d days"), text, month_name (month), year,
                   g_date_get_days_in_month (month, year));
      return FALSE;
    }

  return TRUE;
}

/* ---- The forms ------------------------------------------------------- */

/* "13 May 2024", "13. Mai 2024", "May 13, 2024", with a weekday before. */
static gboolean
parse_words (const char  *p,
             const char  *end,
             const char  *text,
             int         *year,
             int         *month,
             int         *day,
             GError     **error)
{
  const char *word;
  int n;

  /* A weekday first: "Monday, 13 May 2024". */
  if (is_word_char (*p))
    {
      word = p;
      while (p < end && is_word_char (*p))
        p++;
      if (is_weekday (word, p))
        {
          if (p < end && *p == '.')
            p++;
          if (p < end && *p == ',')
            p++;
          p = skip_spaces (p, end);
        }
      else
        p = word;
    }

  if (p < end && g_ascii_isdigit (*p))
    {
      /* Day first. */
      n = scan_number (&p, end, 2, day);
      if (n == 0)
        goto invalid;
      if (p < end && *p == '.')
        p++;
      p = skip_spaces (p, end);
      word = p;
      while (p < end && is_word_char (*p))
        p++;
      *month = month_from_word (word, p);
      if (*month == 0)
        goto invalid;
      if (p < end && *p == '.')
        p++;
      if (p < end && *p == ',')
        p++;
      p = skip_spaces (p, end);
    }
  else
    {
      /* Month first: "May 13, 2024". */
      word = p;
      while (p < end && is_word_char (*p))
        p++;
      *month = month_from_word (word, p);
      if (*month == 0)
        goto invalid;
      if (p < end && *p == '.')
        p++;
      p = skip_spaces (p, end);
      n = scan_number (&p, end, 2, day);
      if (n == 0)
        goto invalid;
      if (p < end && *p == ',')
        p++;
      p = skip_spaces (p, end);
    }

  n = scan_number (&p, end, 5, year);
  if (n == 2)
    {
      set_two_digit_year (error, text);
      return FALSE;
    }
  if (n != 4 || !is_time_or_nothing (p, end))
    goto invalid;

  return check_day (*year, *month, *day, text, error);

invalid:
  set_invalid (error, text);
  return FALSE;
}

static gboolean
parse_range (const char    *start,
             const char    *end,
             KdxDateOrder   order,
             int           *year,
             int           *month,
             int           *day,
             GError       **error)
{
  g_autofree char *text = NULL;
  const char *p = start;
  int a, b, c;
  int na, nb, nc;
  char sep;

  /* For messages: what was written, as written. */
#define TEXT (text ? text : (text = g_strndup (start, end - start)))

  if (p == end)
    {
      g_set_error_literal (error, KDX_DATE_ERROR, KDX_DATE_ERROR_INVALID,
                           _("The date is empty"));
      return FALSE;
    }

  if (!g_ascii_isdigit (*p))
    return parse_words (p, end, TEXT, year, month, day, error);

  na = scan_number (&p, end, 5, &a);
  if (p == end)
    goto invalid;
  sep = *p;

  /* Year first: ISO 8601, or 2026/12/31. */
  if (na == 4 && (sep == '-' || sep == '/'))
    {
      p++;
      nb = scan_number (&p, end, 3, &b);
      if (nb == 0 || nb > 2 || p == end || *p != sep)
        goto invalid;
      p++;
      nc = scan_number (&p, end, 3, &c);
      if (nc == 0 || nc > 2 || !is_time_or_nothing (p, end))
        goto invalid;
      *year = a;
      *month = b;
      *day = c;
      return check_day (*year, *month, *day, TEXT, error);
    }

  if (na > 2)
    goto invalid;

  /* "13. Mai 2024": a day, then a month's name. */
  if (sep == '.' || sep == ' ')
    {
      const char *q = p + 1;

      q = skip_spaces (q, end);
      if (q < end && is_word_char (*q))
        return parse_words (start, end, TEXT, year, month, day, error);
    }

  if (sep != '.' && sep != '/' && sep != '-')
    goto invalid;
  p++;
  nb = scan_number (&p, end, 3, &b);
  if (nb == 0 || nb > 2 || p == end || *p != sep)
    goto invalid;
  p++;
  nc = scan_number (&p, end, 5, &c);
  if (nc == 2 && is_time_or_nothing (p, end))
    {
      set_two_digit_year (error, TEXT);
      return FALSE;
    }
  if (nc != 4 || !is_time_or_nothing (p, end))
    goto invalid;
  *year = c;

  if (sep == '.')
    {
      /* German: always day.month.year. */
      *day = a;
      *month = b;
      return check_day (*year, *month, *day, TEXT, error);
    }

  /* Day and month in an order that the caller or the numbers decide. */
  if (order == KDX_DATE_ORDER_UNKNOWN)
    {
      if (a == b || (a > 12 && b <= 12))
        order = KDX_DATE_ORDER_DMY;
      else if (b > 12 && a <= 12)
        order = KDX_DATE_ORDER_MDY;
      else if (a <= 12 && b <= 12)
        {
          g_set_error (error, KDX_DATE_ERROR, KDX_DATE_ERROR_AMBIGUOUS,
                       /* Translators: “03/04/2026” could be 3 April or 4 March */
                       _("“%s” could be %d %s or %d %s; say whether the day or the month "
                         "comes first"),
                       TEXT, a, month_name (b), b, month_name (a));
          return FALSE;
        }
      else
        order = KDX_DATE_ORDER_DMY;  /* both above 12: no such day either way */
    }

  if (order == KDX_DATE_ORDER_DMY)
    {
      *day = a;
      *month = b;
    }
  else
    {
      *month = a;
      *day = b;
    }

  return check_day (*year, *month, *day, TEXT, error);

invalid:
  set_invalid (error, TEXT);
  return FALSE;
#undef TEXT
}

/* ---- Public ---------------------------------------------------------- */

gboolean
kdx_date_parse_parts (const char    *text,
                      KdxDateOrder   order,
                      int           *year,
                      int           *month,
                      int           *day,
                      GError       **error)
{
  const char *start;
  const char *end;
  int y = 0, m = 0, d = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  start = text;
  end = text + strlen (text);
  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;

  /* The common case first: exactly YYYY-MM-DD. */
  if (end - start == 10 && start[4] == '-' && start[7] == '-' &&
      g_ascii_isdigit (start[0]) && g_ascii_isdigit (start[1]) && g_ascii_isdigit (start[2]) &&
      g_ascii_isdigit (start[3]) && g_ascii_isdigit (start[5]) && g_ascii_isdigit (start[6]) &&
      g_ascii_isdigit (start[8]) && g_ascii_isdigit (start[9]))
    {
      y = (start[0] - '0') * 1000 + (start[1] - '0') * 100 + (start[2] - '0') * 10 + (start[3] - '0');
      m = (start[5] - '0') * 10 + (start[6] - '0');
      d = (start[8] - '0') * 10 + (start[9] - '0');
      if (y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= g_date_get_days_in_month (m, y))
        {
          *year = y;
          *month = m;
          *day = d;
          return TRUE;
        }
    }

  if (!parse_range (start, end, order, &y, &m, &d, error))
    return FALSE;
  *year = y;
  *month = m;
  *day = d;

  return TRUE;
}

static char *
format_iso (int year,
            int month,
            int day)
{
  char *iso = g_malloc (11);

  iso[0] = '0' + year / 1000;
  iso[1] = '0' + year / 100 % 10;
  iso[2] = '0' + year / 10 % 10;
  iso[3] = '0' + year % 10;
  iso[4] = '-';
  iso[5] = '0' + month / 10;
  iso[6] = '0' + month % 10;
  iso[7] = '-';
  iso[8] = '0' + day / 10;
  iso[9] = '0' + day % 10;
  iso[10] = '\0';

  return iso;
}

char *
kdx_date_parse (const char    *text,
                KdxDateOrder   order,
                GError       **error)
{
  int year, month, day;

  g_return_val_if_fail (text != NULL, NULL);

  if (!kdx_date_parse_parts (text, order, &year, &month, &day, error))
    return NULL;

  return format_iso (year, month, day);
}

/* The slash or dash form with the year last: its two first parts. */
static gboolean
slash_parts (const char *text,
             int        *a,
             int        *b)
{
  const char *p = text;
  const char *end = text + strlen (text);
  int year;
  int na, nb;
  char sep;

  p = skip_spaces (p, end);
  while (end > p && is_space (end[-1]))
    end--;
  na = scan_number (&p, end, 3, a);
  if (na == 0 || na > 2 || p == end || (*p != '/' && *p != '-'))
    return FALSE;
  sep = *p++;
  nb = scan_number (&p, end, 3, b);
  if (nb == 0 || nb > 2 || p == end || *p != sep)
    return FALSE;
  p++;
  if (scan_number (&p, end, 5, &year) != 4)
    return FALSE;

  return is_time_or_nothing (p, end);
}

KdxDateOrder
kdx_date_detect_order (const char * const *values,
                       guint               n_values)
{
  gboolean day_first = FALSE;
  gboolean month_first = FALSE;

  g_return_val_if_fail (values != NULL || n_values == 0, KDX_DATE_ORDER_UNKNOWN);

  for (guint i = 0; i < n_values; i++)
    {
      int a, b;

      if (values[i] == NULL || !slash_parts (values[i], &a, &b))
        continue;
      if (a > 12)
        day_first = TRUE;
      if (b > 12)
        month_first = TRUE;
    }

  if (day_first && !month_first)
    return KDX_DATE_ORDER_DMY;
  if (month_first && !day_first)
    return KDX_DATE_ORDER_MDY;

  return KDX_DATE_ORDER_UNKNOWN;
}

/* Reads exactly YYYY-MM-DD of an existing day. */
static gboolean
read_iso (const char *iso,
          GDate      *date)
{
  int year, month, day;

  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return FALSE;

  year = atoi (iso);
  month = atoi (iso + 5);
  day = atoi (iso + 8);
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);

  return TRUE;
}

gboolean
kdx_date_is_iso (const char *iso)
{
  GDate date;

  return read_iso (iso, &date) && g_date_get_year (&date) >= 1000;
}

static char *
date_to_iso (const GDate *date)
{
  int year = g_date_get_year (date);

  if (year > 9999)
    return g_strdup_printf ("%d-%02d-%02d", year, g_date_get_month (date), g_date_get_day (date));

  return format_iso (year, g_date_get_month (date), g_date_get_day (date));
}

char *
kdx_date_add_days (const char *iso,
                   int         days)
{
  GDate date;

  if (!read_iso (iso, &date))
    return NULL;

  if (days >= 0)
    g_date_add_days (&date, days);
  else if ((guint64) -(gint64) days < g_date_get_julian (&date))
    g_date_subtract_days (&date, (guint) -(gint64) days);
  else
    return NULL;

  return date_to_iso (&date);
}

char *
kdx_date_add_months (const char *iso,
                     int         months)
{
  GDate date;

  if (!read_iso (iso, &date))
    return NULL;

  /* GDate keeps the end of a shorter month (Jan 31 + 1 month = Feb 28). */
  if (months >= 0)
    g_date_add_months (&date, months);
  else
    g_date_subtract_months (&date, -(gint64) months);

  return date_to_iso (&date);
}

char *
kdx_date_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return format_iso (g_date_time_get_year (now), g_date_time_get_month (now),
                     g_date_time_get_day_of_month (now));
}

char *
kdx_date_format (const char *iso)
{
  GDate date;
  int year;

  g_return_val_if_fail (iso != NULL, NULL);

  if (!read_iso (iso, &date))
    return g_strdup (iso);

  year = g_date_get_year (&date);
  if (kdx_prefer_german ())
    return g_strdup_printf ("%02d.%02d.%04d", g_date_get_day (&date), g_date_get_month (&date),
                            year);

  return g_strdup_printf ("%d %s %04d", g_date_get_day (&date),
                          english_months[g_date_get_month (&date) - 1], year);
}
