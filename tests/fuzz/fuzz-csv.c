/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target: the CSV readers (kdx_csv_read and KdxCsvReader), and the
 * writer on what they read.
 *
 * Each input is read three ways: everything detected; as Windows-1252
 * with ';'; and with ragged rows allowed. Besides crashes and sanitizer
 * reports it checks what kdx-csv.h and SAFETY.md promise:
 * - the streaming reader, on a stream that gives 1 byte per read and on
 *   one that gives a few, finds the same records on the same lines, the
 *   same delimiter and encoding, or the same error, as the table reader;
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

/* A stream that gives at most @chunk bytes per read. */
#define KDX_TYPE_CHUNK_STREAM (kdx_chunk_stream_get_type ())
G_DECLARE_FINAL_TYPE (KdxChunkStream, kdx_chunk_stream, KDX, CHUNK_STREAM, GInputStream)

struct _KdxChunkStream
{
  GInputStream  parent_instance;
  const guint8 *data;
  gsize         size;
  gsize         pos;
  gsize         chunk;
};

G_DEFINE_FINAL_TYPE (KdxChunkStream, kdx_chunk_stream, G_TYPE_INPUT_STREAM)

static gssize
kdx_chunk_stream_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  KdxChunkStream *self = KDX_CHUNK_STREAM (stream);
  gsize n = MIN (MIN (count, self->chunk), self->size - self->pos);

  memcpy (buffer, self->data + self->pos, n);
  self->pos += n;

  return n;
}

static void
kdx_chunk_stream_class_init (KdxChunkStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = kdx_chunk_stream_read;
}

static void
kdx_chunk_stream_init (KdxChunkStream *self)
{
}

static GInputStream *
chunk_stream_new (const guint8 *data,
                  gsize         size,
                  gsize         chunk)
{
  KdxChunkStream *self = g_object_new (KDX_TYPE_CHUNK_STREAM, NULL);

  self->data = data;
  self->size = size;
  self->chunk = chunk;

  return G_INPUT_STREAM (self);
}

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

/* Reads @data with KdxCsvReader in blocks of @chunk bytes and compares
 * with what kdx_csv_read() gave: @table, or @table_error. */
static void
check_stream (const uint8_t       *data,
              size_t               size,
              gsize                chunk,
              const KdxCsvOptions *options,
              KdxCsvTable         *table,
              const GError        *table_error)
{
  g_autoptr(GInputStream) stream = chunk_stream_new (data, size, chunk);
  g_autoptr(KdxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  reader = kdx_csv_reader_new (stream, options, NULL, &error);
  while (reader != NULL && kdx_csv_reader_next (reader, NULL, &error))
    {
      guint length = kdx_csv_reader_get_n_fields (reader);

      n++;
      if (kdx_csv_reader_get_record (reader) != n)
        kdx_fuzz_fail ("Record %u is called %u", n, kdx_csv_reader_get_record (reader));
      if (table == NULL)
        continue;
      if (n > kdx_csv_table_get_n_rows (table))
        kdx_fuzz_fail ("%u-byte blocks: more records than the table's %u rows", (guint) chunk,
                       kdx_csv_table_get_n_rows (table));
      if (length != kdx_csv_table_get_row_length (table, n - 1))
        kdx_fuzz_fail ("%u-byte blocks: record %u has %u fields, the table's row %u", (guint) chunk,
                       n, length, kdx_csv_table_get_row_length (table, n - 1));
      if (kdx_csv_reader_get_line (reader) != kdx_csv_table_get_line (table, n - 1))
        kdx_fuzz_fail ("%u-byte blocks: record %u starts on line %u, the table's on %u",
                       (guint) chunk, n, kdx_csv_reader_get_line (reader),
                       kdx_csv_table_get_line (table, n - 1));
      for (guint col = 0; col < length; col++)
        if (strcmp (kdx_csv_reader_get_field (reader, col),
                    kdx_csv_table_get_field (table, n - 1, col)) != 0)
          kdx_fuzz_fail ("%u-byte blocks: record %u, field %u differs from the table",
                         (guint) chunk, n, col);
    }

  if (table_error != NULL)
    {
      if (error == NULL)
        kdx_fuzz_fail ("%u-byte blocks: %u records read; the table reader said: %s",
                       (guint) chunk, n, table_error->message);
      if (error->domain != table_error->domain || error->code != table_error->code ||
          strcmp (error->message, table_error->message) != 0)
        kdx_fuzz_fail ("%u-byte blocks: “%s”; the table reader said “%s”", (guint) chunk,
                       error->message, table_error->message);
      return;
    }

  if (error != NULL)
    kdx_fuzz_fail ("%u-byte blocks: “%s” after %u records; the table reader read %u rows",
                   (guint) chunk, error->message, n, kdx_csv_table_get_n_rows (table));
  if (n != kdx_csv_table_get_n_rows (table))
    kdx_fuzz_fail ("%u-byte blocks: %u records, the table has %u rows", (guint) chunk, n,
                   kdx_csv_table_get_n_rows (table));
  if (kdx_csv_reader_get_delimiter (reader) != kdx_csv_table_get_delimiter (table))
    kdx_fuzz_fail ("%u-byte blocks: the delimiter '%c', the table's '%c'", (guint) chunk,
                   kdx_csv_reader_get_delimiter (reader), kdx_csv_table_get_delimiter (table));
  if (strcmp (kdx_csv_reader_get_encoding (reader), kdx_csv_table_get_encoding (table)) != 0)
    kdx_fuzz_fail ("%u-byte blocks: the encoding %s, the table's %s", (guint) chunk,
                   kdx_csv_reader_get_encoding (reader), kdx_csv_table_get_encoding (table));
  if (kdx_csv_reader_get_offset (reader) != size)
    kdx_fuzz_fail ("%u-byte blocks: %" G_GUINT64_FORMAT " of %u bytes read", (guint) chunk,
                   kdx_csv_reader_get_offset (reader), (guint) size);
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

      /* Blocks of 1 byte (on short inputs: they are slow), and of 2 to 12
       * bytes, varying with the input. */
      if (size <= 1024)
        check_stream (data, size, 1, &ways[i], table, error);
      check_stream (data, size, 2 + (size + i) % 11, &ways[i], table, error);

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
