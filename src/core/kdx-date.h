/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Days as people write them in spreadsheets, read without guessing:
 * ISO 8601 (2026-12-31, also with a time after it), German (31.12.2026,
 * 1.2.2026, 31.12.26 is refused: the century would be a guess), and the
 * slash form (03/04/2026), which is day/month in Germany and month/day in
 * the United States: it is read only when the caller says which, or when
 * a day above 12 decides it. A day that does not exist (31.02.2026) is an
 * error, never moved to another day. Days with the month's name, in
 * English or German, are read too (13 May 2024, 13. Mai 2024, May 13,
 * 2024, also with a weekday before them and a time after them, as
 * learning platforms write them).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KDX_DATE_ERROR (kdx_date_error_quark ())

typedef enum
{
  KDX_DATE_ERROR_INVALID,    /* not a date in any form we read */
  KDX_DATE_ERROR_NO_SUCH_DAY,/* 31.02.2026 */
  KDX_DATE_ERROR_AMBIGUOUS,  /* 03/04/2026 without an order */
} KdxDateError;

typedef enum
{
  KDX_DATE_ORDER_UNKNOWN,    /* slash forms with both parts ≤ 12 are ambiguous */
  KDX_DATE_ORDER_DMY,
  KDX_DATE_ORDER_MDY,
} KdxDateOrder;

GQuark       kdx_date_error_quark   (void);

/* Reads @text (surrounding spaces ignored) into an ISO day "YYYY-MM-DD"
 * (newly allocated). Messages are translated and quote @text. */
char        *kdx_date_parse         (const char    *text,
                                     KdxDateOrder   order,
                                     GError       **error);
/* The same without an allocation, for importers that read millions of
 * dates: the day's parts. */
gboolean     kdx_date_parse_parts   (const char    *text,
                                     KdxDateOrder   order,
                                     int           *year,
                                     int           *month,
                                     int           *day,
                                     GError       **error);
/* What a column of slash dates decides: DMY if some first part is above
 * 12, MDY if some second part is, UNKNOWN if neither (ask the user) or
 * both (the column is not dates of one form). Values in other forms are
 * ignored. */
KdxDateOrder kdx_date_detect_order  (const char * const *values,
                                     guint          n_values);
/* TRUE for a valid "YYYY-MM-DD". */
gboolean     kdx_date_is_iso        (const char    *iso);
/* @iso plus @days (may be negative), or plus @months (the end of a
 * shorter month is kept: 2026-01-31 + 1 month = 2026-02-28). */
char        *kdx_date_add_days      (const char    *iso,
                                     int            days);
char        *kdx_date_add_months    (const char    *iso,
                                     int            months);
/* The local date now. */
char        *kdx_date_today         (void);
/* For people: "31.12.2026" in German, "31 Dec 2026" otherwise, following
 * the locale's date format (%x) */
char        *kdx_date_format        (const char    *iso);

G_END_DECLS
