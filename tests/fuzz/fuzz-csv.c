/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the CSV reader (kdx_csv_read), and the writer on what it
 * reads.
 *
 * Each input is read three ways: everything detected; as Windows-1252
 * with ';'; and with ragged rows allowed. Besides crashes and sanitizer
 * reports it checks what kdx-csv.h and SAFETY.md promise:
 * - all or nothing: a refusal gives no table and a KDX_CSV_ERROR, a
 *   success never sets an error;
 * - an error about a place in the file says where ("Line N, column M: ");
 * - a table has rows, as wide as the first unless ragged rows are allowed,
 *   fields that are UTF-8, and rows that start on ever later lines;
 * - a table written with KdxCsvWriter and read again is the same, apart
 *   from the ' the writer puts before a formula character.
 */
#define G_LOG_DOMAIN "kdx-fuzz-csv"

#include "config.h"

#include "fuzz-common.h"

#include "kdx-csv.h"

#include <stdio.h>
#include <string.h>

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kdx_fuzz_init_logging ();

  return 0;
}

static gboolean
names_a_place (const GError *error)
{
  guint line = 0;
  guint column = 0;
  int n = 0;

  switch (error->code)
    {
    case KDX_CSV_ERROR_ENCODING:
    case KDX_CSV_ERROR_NUL:
    case KDX_CSV_ERROR_UNTERMINATED_QUOTE:
    case KDX_CSV_ERROR_QUOTE:
    case KDX_CSV_ERROR_RAGGED:
      /* The targets run untranslated. */
      return sscanf (error->message, "Line %u, column %u: %n", &line, &column, &n) == 2 &&
             n > 0 && line > 0 && column > 0;
    default:
      return TRUE;
    }
}

static void
check_table (KdxCsvTable         *table,
             const KdxCsvOptions *options)
{
  guint n_rows = kdx_csv_table_get_n_rows (table);
  guint n_columns = kdx_csv_table_get_n_columns (table);
  guint widest = 0;
  char delimiter = kdx_csv_table_get_delimiter (table);

  if (n_rows == 0 || n_columns == 0)
    kdx_fuzz_fail ("A table has %u rows and %u columns", n_rows, n_columns);
  if (delimiter != ',' && delimiter != ';' && delimiter != '\t')
    kdx_fuzz_fail ("A table reports the delimiter 0x%02X", (guint8) delimiter);
  if (options->delimiter != 0 && delimiter != options->delimiter)
    kdx_fuzz_fail ("A table reports '%c', not the delimiter chosen", delimiter);
  if (kdx_csv_table_get_encoding (table) == NULL)
    kdx_fuzz_fail ("A table has no encoding");

  for (guint row = 0; row < n_rows; row++)
    {
      guint length = kdx_csv_table_get_row_length (table, row);

      if (length == 0 || length > n_columns || (!options->allow_ragged && length != n_columns))
        kdx_fuzz_fail ("Row %u has %u fields of %u columns", row, length, n_columns);
      widest = MAX (widest, length);

      if (kdx_csv_table_get_line (table, row) < 1 ||
          (row > 0 && kdx_csv_table_get_line (table, row) <= kdx_csv_table_get_line (table, row - 1)))
        kdx_fuzz_fail ("Row %u starts on line %u, after line %u", row,
                       kdx_csv_table_get_line (table, row),
                       row > 0 ? kdx_csv_table_get_line (table, row - 1) : 0);

      for (guint col = 0; col < length; col++)
        {
          const char *field = kdx_csv_table_get_field (table, row, col);

          if (field == NULL || !g_utf8_validate (field, -1, NULL))
            kdx_fuzz_fail ("Row %u, field %u is not UTF-8", row, col);
        }
      if (length < n_columns && kdx_csv_table_get_field (table, row, length) != NULL)
        kdx_fuzz_fail ("Row %u has a field after its end", row);
    }

  if (widest != n_columns)
    kdx_fuzz_fail ("The widest row has %u fields of %u columns", widest, n_columns);
}

/* Writes @table and reads it back. */
static void
check_round_trip (KdxCsvTable *table)
{
  char delimiter = kdx_csv_table_get_delimiter (table);
  KdxCsvOptions options = { "UTF-8", delimiter, TRUE };
  g_autoptr(KdxCsvWriter) writer = kdx_csv_writer_new (NULL, delimiter, KDX_CSV_WRITER_NO_BOM);
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GBytes) written = NULL;
  g_autoptr(KdxCsvTable) again = NULL;
  g_autoptr(GError) error = NULL;
  guint n_rows = kdx_csv_table_get_n_rows (table);

  for (guint row = 0; row < n_rows; row++)
    {
      guint length = kdx_csv_table_get_row_length (table, row);

      g_ptr_array_set_size (fields, 0);
      for (guint col = 0; col < length; col++)
        g_ptr_array_add (fields, (gpointer) kdx_csv_table_get_field (table, row, col));
      if (!kdx_csv_writer_add_row (writer, (const char * const *) fields->pdata, length, NULL,
                                   &error))
        kdx_fuzz_fail ("A row that was read cannot be written: %s", error->message);
    }
  written = kdx_csv_writer_free_to_bytes (g_steal_pointer (&writer));

  again = kdx_csv_read (written, &options, &error);
  if (again == NULL)
    kdx_fuzz_fail ("What the writer wrote cannot be read: %s", error->message);
  if (kdx_csv_table_get_n_rows (again) != n_rows)
    kdx_fuzz_fail ("%u rows written, %u read", n_rows, kdx_csv_table_get_n_rows (again));

  for (guint row = 0; row < n_rows; row++)
    {
      guint length = kdx_csv_table_get_row_length (table, row);

      if (kdx_csv_table_get_row_length (again, row) != length)
        kdx_fuzz_fail ("Row %u: %u fields written, %u read", row, length,
                       kdx_csv_table_get_row_length (again, row));

      for (guint col = 0; col < length; col++)
        {
          const char *before = kdx_csv_table_get_field (table, row, col);
          const char *after = kdx_csv_table_get_field (again, row, col);
          gboolean guarded = before[0] != '\0' && strchr ("=+-@\t\r", before[0]) != NULL;

          if (guarded ? (after[0] != '\'' || strcmp (before, after + 1) != 0)
                      : strcmp (before, after) != 0)
            kdx_fuzz_fail ("Row %u, field %u changed in a round trip", row, col);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const KdxCsvOptions ways[] = {
    { NULL, 0, FALSE },
    { "WINDOWS-1252", ';', FALSE },
    { NULL, 0, TRUE },
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);

  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KdxCsvTable) table = kdx_csv_read (bytes, &ways[i], &error);

      if (kdx_fuzz_is_verbose ())
        g_printerr ("kodex-fuzz: way %u: %s\n", i,
                    table != NULL ? "read" : error != NULL ? error->message : "(no error)");

      if (table == NULL)
        {
          if (error == NULL || error->domain != KDX_CSV_ERROR)
            kdx_fuzz_fail ("A refusal without a CSV error: %s", error ? error->message : "none");
          if (!names_a_place (error))
            kdx_fuzz_fail ("An error does not say where: %s", error->message);
          continue;
        }
      if (error != NULL)
        kdx_fuzz_fail ("A table came with an error: %s", error->message);

      check_table (table, &ways[i]);
      check_round_trip (table);
    }

  return 0;
}
