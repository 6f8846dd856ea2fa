/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV in and out (SAFETY.md "Input"): the conformance cases, the four
 * encodings of the same rows, very wide and very long data, the writer's
 * quoting and formula guard, and a round trip of random records.
 *
 * `test-csv -m perf -p /kdx/csv/perf` measures reading a large file.
 */
#define G_LOG_DOMAIN "kdx-test-csv"

#include "config.h"

#include "kdx-csv.h"
#include "kdx-test-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define BOM "\xEF\xBB\xBF"

/* A string literal and its length, for bytes with a NUL inside. */
#define BYTES(s) s, sizeof (s) - 1

/* A table as one string: fields joined by '|', rows by newlines, with CR
 * and LF inside a field shown as \r and \n. */
static char *
dump_table (KdxCsvTable *table)
{
  GString *out = g_string_new (NULL);

  for (guint row = 0; row < kdx_csv_table_get_n_rows (table); row++)
    {
      if (row > 0)
        g_string_append_c (out, '\n');
      for (guint col = 0; col < kdx_csv_table_get_row_length (table, row); col++)
        {
          if (col > 0)
            g_string_append_c (out, '|');
          for (const char *c = kdx_csv_table_get_field (table, row, col); *c != '\0'; c++)
            {
              if (*c == '\r')
                g_string_append (out, "\\r");
              else if (*c == '\n')
                g_string_append (out, "\\n");
              else
                g_string_append_c (out, *c);
            }
        }
    }

  return g_string_free (out, FALSE);
}

static char *
dump_lines (KdxCsvTable *table)
{
  GString *out = g_string_new (NULL);

  for (guint row = 0; row < kdx_csv_table_get_n_rows (table); row++)
    g_string_append_printf (out, "%s%u", row > 0 ? " " : "", kdx_csv_table_get_line (table, row));

  return g_string_free (out, FALSE);
}

/* @field in quotes, its quotes doubled: not the writer, to test the reader
 * on its own. */
static void
append_quoted (GString    *csv,
               const char *field)
{
  g_string_append_c (csv, '"');
  for (const char *c = field; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append_c (csv, '"');
}

static KdxCsvTable *
read_string (const char           *data,
             gsize                 len,
             const KdxCsvOptions  *options,
             GError              **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  return kdx_csv_read (bytes, options, error);
}

/* ------------------------------------------------------------------ */
/* Streams                                                            */

/* Fills @buffer with more input; leaves it empty at the end. */
typedef void (*KdxGenerateFunc) (GString  *buffer,
                                 gpointer  data);

/* An input stream that gives at most @chunk bytes per read, of a string
 * or of what a function generates block by block: where the blocks end
 * must not matter to a reader. */
#define KDX_TYPE_CHUNK_STREAM (kdx_chunk_stream_get_type ())
G_DECLARE_FINAL_TYPE (KdxChunkStream, kdx_chunk_stream, KDX, CHUNK_STREAM, GInputStream)

struct _KdxChunkStream
{
  GInputStream     parent_instance;
  GString         *buffer;
  gsize            pos;
  gsize            chunk;
  KdxGenerateFunc  generate;
  gpointer         data;
  guint64          n_read;
  guint            n_reads;
  guint64          fail_at;   /* 0, or a read error once this much is read */
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
  gsize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  if (self->fail_at > 0 && self->n_read >= self->fail_at)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The disk is on fire");
      return -1;
    }

  if (self->pos == self->buffer->len && self->generate != NULL)
    {
      g_string_truncate (self->buffer, 0);
      self->pos = 0;
      self->generate (self->buffer, self->data);
    }

  n = MIN (MIN (count, self->chunk), self->buffer->len - self->pos);
  memcpy (buffer, self->buffer->str + self->pos, n);
  self->pos += n;
  self->n_read += n;
  self->n_reads++;

  return n;
}

static void
kdx_chunk_stream_finalize (GObject *object)
{
  KdxChunkStream *self = KDX_CHUNK_STREAM (object);

  g_string_free (self->buffer, TRUE);

  G_OBJECT_CLASS (kdx_chunk_stream_parent_class)->finalize (object);
}

static void
kdx_chunk_stream_class_init (KdxChunkStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kdx_chunk_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = kdx_chunk_stream_read;
}

static void
kdx_chunk_stream_init (KdxChunkStream *self)
{
  self->buffer = g_string_new (NULL);
}

/* @chunk 0: as much as the reader asks for. */
static GInputStream *
chunk_stream_new (const char *data,
                  gsize       len,
                  gsize       chunk)
{
  KdxChunkStream *self = g_object_new (KDX_TYPE_CHUNK_STREAM, NULL);

  g_string_append_len (self->buffer, data, len);
  self->chunk = chunk > 0 ? chunk : G_MAXSIZE;

  return G_INPUT_STREAM (self);
}

static GInputStream *
generated_stream_new (KdxGenerateFunc generate,
                      gpointer        data,
                      gsize           chunk)
{
  KdxChunkStream *self = g_object_new (KDX_TYPE_CHUNK_STREAM, NULL);

  self->generate = generate;
  self->data = data;
  self->chunk = chunk;

  return G_INPUT_STREAM (self);
}

/* What a reader made of an input, in a form that compares: the rows as
 * dump_table() shows them, their lines, or the error. */
typedef struct
{
  char   *rows;
  char   *lines;
  guint   n_rows;
  guint   n_columns;
  char    delimiter;
  char   *encoding;
  GError *error;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_free (o->rows);
  g_free (o->lines);
  g_free (o->encoding);
  g_clear_error (&o->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static void
outcome_of_table (Outcome             *o,
                  const char          *data,
                  gsize                len,
                  const KdxCsvOptions *options)
{
  g_autoptr(KdxCsvTable) table = read_string (data, len, options, &o->error);

  if (table == NULL)
    {
      g_assert_nonnull (o->error);
      return;
    }
  o->rows = dump_table (table);
  o->lines = dump_lines (table);
  o->n_rows = kdx_csv_table_get_n_rows (table);
  o->n_columns = kdx_csv_table_get_n_columns (table);
  o->delimiter = kdx_csv_table_get_delimiter (table);
  o->encoding = g_strdup (kdx_csv_table_get_encoding (table));
}

/* Through KdxCsvReader on @stream; the records before an error are
 * dropped, as the table reader drops them. */
static void
outcome_of_reader (Outcome             *o,
                   GInputStream        *stream,
                   const KdxCsvOptions *options)
{
  g_autoptr(KdxCsvReader) reader = kdx_csv_reader_new (stream, options, NULL, &o->error);
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(GString) lines = g_string_new (NULL);
  guint first_width = 0;

  if (reader == NULL)
    {
      g_assert_nonnull (o->error);
      return;
    }

  while (kdx_csv_reader_next (reader, NULL, &o->error))
    {
      guint n_fields = kdx_csv_reader_get_n_fields (reader);

      o->n_rows++;
      g_assert_cmpuint (kdx_csv_reader_get_record (reader), ==, o->n_rows);
      g_assert_cmpuint (n_fields, >, 0);
      if (o->n_rows == 1)
        first_width = n_fields;
      o->n_columns = MAX (o->n_columns, n_fields);

      g_string_append_printf (lines, "%s%u", o->n_rows > 1 ? " " : "",
                              kdx_csv_reader_get_line (reader));
      if (o->n_rows > 1)
        g_string_append_c (rows, '\n');
      for (guint col = 0; col < n_fields; col++)
        {
          const char *field = kdx_csv_reader_get_field (reader, col);

          if (col > 0)
            g_string_append_c (rows, '|');
          g_assert_true (g_utf8_validate (field, -1, NULL));
          for (const char *c = field; *c != '\0'; c++)
            {
              if (*c == '\r')
                g_string_append (rows, "\\r");
              else if (*c == '\n')
                g_string_append (rows, "\\n");
              else
                g_string_append_c (rows, *c);
            }
        }
    }

  /* Finished: no more records, and no more errors. */
  {
    g_autoptr(GError) again = NULL;

    g_assert_false (kdx_csv_reader_next (reader, NULL, &again));
    g_assert_no_error (again);
  }

  if (o->error != NULL)
    return;
  g_assert_cmpuint (first_width, >, 0);
  o->rows = g_string_free (g_steal_pointer (&rows), FALSE);
  o->lines = g_string_free (g_steal_pointer (&lines), FALSE);
  o->delimiter = kdx_csv_reader_get_delimiter (reader);
  o->encoding = g_strdup (kdx_csv_reader_get_encoding (reader));
  /* The input is used up. */
  g_assert_cmpuint (kdx_csv_reader_get_offset (reader), ==,
                    KDX_CHUNK_STREAM (stream)->n_read);
}

static void
assert_same_outcome (const Outcome *a,
                     const Outcome *b)
{
  if (a->error != NULL || b->error != NULL)
    {
      if (a->error == NULL || b->error == NULL)
        g_error ("One reader read, the other said: %s",
                 a->error != NULL ? a->error->message : b->error->message);
      g_assert_error (b->error, a->error->domain, a->error->code);
      g_assert_cmpstr (b->error->message, ==, a->error->message);
      return;
    }

  g_assert_cmpstr (b->rows, ==, a->rows);
  g_assert_cmpstr (b->lines, ==, a->lines);
  g_assert_cmpuint (b->n_rows, ==, a->n_rows);
  g_assert_cmpuint (b->n_columns, ==, a->n_columns);
  g_assert_cmpint (b->delimiter, ==, a->delimiter);
  g_assert_cmpstr (b->encoding, ==, a->encoding);
}

/* The stream reader gives what the table reader gives, in blocks of
 * @chunks bytes (0: as large as it asks for). */
static void
assert_readers_agree (const char          *data,
                      gsize                len,
                      const KdxCsvOptions *options,
                      const gsize         *chunks,
                      guint                n_chunks)
{
  g_auto(Outcome) table = { 0 };

  outcome_of_table (&table, data, len, options);
  for (guint i = 0; i < n_chunks; i++)
    {
      g_autoptr(GInputStream) stream = chunk_stream_new (data, len, chunks[i]);
      g_auto(Outcome) streamed = { 0 };

      outcome_of_reader (&streamed, stream, options);
      assert_same_outcome (&table, &streamed);
    }
}

/* Whole, a byte at a time, and in 7-byte blocks. */
static const gsize small_chunks[] = { 0, 1, 7 };
/* For large inputs: whole, in 7-byte blocks and in blocks that are not a
 * power of two. */
static const gsize large_chunks[] = { 0, 7, 4093 };

/* ------------------------------------------------------------------ */
/* Conformance                                                        */

typedef struct
{
  const char *name;
  const char *input;
  gsize       len;          /* 0: strlen (input) */
  const char *encoding;     /* options */
  char        delimiter;
  gboolean    ragged;
  /* Success: the rows (see dump_table()), the delimiter, the encoding
   * ("UTF-8" when NULL) and the physical line of each row (when not NULL). */
  const char *rows;
  char        expected_delimiter;
  const char *expected_encoding;
  const char *lines;
  /* Failure: the code and the start of the message. */
  int         code;
  const char *message;
} ReadCase;

static const ReadCase read_cases[] = {
  /* csv-spectrum */
  { "comma-in-quotes", "first,last,address,city,zip\nJohn,Doe,120 any st.,\"Anytown, WW\",08123\n",
    .rows = "first|last|address|city|zip\nJohn|Doe|120 any st.|Anytown, WW|08123",
    .expected_delimiter = ',' },
  { "escaped-quotes", "a,b\n1,\"ha \"\"ha\"\" ha\"\n3,4\n",
    .rows = "a|b\n1|ha \"ha\" ha\n3|4", .expected_delimiter = ',' },
  { "newlines", "a,b,c\n1,2,3\n\"Once upon \na time\",5,6\n7,8,9\n",
    .rows = "a|b|c\n1|2|3\nOnce upon \\na time|5|6\n7|8|9", .expected_delimiter = ',',
    .lines = "1 2 3 5" },
  { "newlines-crlf", "a,b,c\r\n1,2,3\r\n\"Once upon \r\na time\",5,6\r\n7,8,9\r\n",
    .rows = "a|b|c\n1|2|3\nOnce upon \\r\\na time|5|6\n7|8|9", .expected_delimiter = ',',
    .lines = "1 2 3 5" },
  { "quotes-and-newlines", "a,b\n1,\"ha \n\"\"ha\"\" \nha\"\n3,4\n",
    .rows = "a|b\n1|ha \\n\"ha\" \\nha\n3|4", .expected_delimiter = ',', .lines = "1 2 5" },
  { "simple-crlf", "a,b,c\r\n1,2,3\r\n", .rows = "a|b|c\n1|2|3", .expected_delimiter = ',',
    .lines = "1 2" },
  { "empty-fields", "a,b,c\n1,\"\",\"\"\n2,3,4\n", .rows = "a|b|c\n1||\n2|3|4",
    .expected_delimiter = ',' },
  { "empty-fields-crlf", "a,b,c\r\n1,\"\",\"\"\r\n2,3,4\r\n", .rows = "a|b|c\n1||\n2|3|4",
    .expected_delimiter = ',', .lines = "1 2 3" },
  { "utf8", "a,b,c\n1,2,3\n4,5,ʤ\n", .rows = "a|b|c\n1|2|3\n4|5|ʤ", .expected_delimiter = ',' },
  { "json", "key,val\n1,\"{\"\"type\"\": \"\"Point\"\", \"\"coordinates\"\": [102.0, 0.5]}\"\n",
    .rows = "key|val\n1|{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}",
    .expected_delimiter = ',' },
  /* SAFETY.md's additions */
  { "bom", BOM "Name,E-Mail\nÄrger,a@example.org\n", .rows = "Name|E-Mail\nÄrger|a@example.org",
    .expected_delimiter = ',', .expected_encoding = "UTF-8" },
  { "cr-only", "a,b\r1,\"x\ry\"\r3,4", .rows = "a|b\n1|x\\ry\n3|4", .expected_delimiter = ',',
    .lines = "1 2 4" },
  { "semicolon", "Name;Betrag\nMüller;3,50\nSchmidt;\"4;5\"\n",
    .rows = "Name|Betrag\nMüller|3,50\nSchmidt|4;5", .expected_delimiter = ';' },
  { "tab", "a\tb c\n1,5\t\"2\t3\"\n", .rows = "a|b c\n1,5|2\t3", .expected_delimiter = '\t' },
  { "no-final-newline", "a,b\n1,2", .rows = "a|b\n1|2", .expected_delimiter = ',' },
  { "no-final-newline-quoted", "a,b\n1,\"2\"", .rows = "a|b\n1|2", .expected_delimiter = ',' },
  { "empty-trailing-field", "a,b,\n1,2,\n", .rows = "a|b|\n1|2|", .expected_delimiter = ',' },
  { "empty-trailing-field-at-end", "a,b\n1,", .rows = "a|b\n1|", .expected_delimiter = ',' },
  { "blank-lines-skipped", "\na,b\n\n1,2\r\n\r\n\r\n", .rows = "a|b\n1|2",
    .expected_delimiter = ',', .lines = "2 4" },
  { "bare-quote-kept", "a,b\n5\" Bildschirm,x\n", .rows = "a|b\n5\" Bildschirm|x",
    .expected_delimiter = ',' },
  { "spaces-kept", " a , b \n\" x \", y\n", .rows = " a | b \n x | y", .expected_delimiter = ',' },
  { "single-column", "Name\nAnna\nBob", .rows = "Name\nAnna\nBob", .expected_delimiter = ',' },
  { "decimal-commas-without-header", "1,5;2,5\n3,5;4,5\n", .rows = "1,5|2,5\n3,5|4,5",
    .expected_delimiter = ';' },
  { "semicolons-in-text", "name,notes\nAnna,\"a; b\"\nBob,c; d\n",
    .rows = "name|notes\nAnna|a; b\nBob|c; d", .expected_delimiter = ',' },
  { "quoted-semicolons-in-comma-file", "a,\"x;y\"\nb,\"z;w\"\n", .rows = "a|x;y\nb|z;w",
    .expected_delimiter = ',' },
  { "quoted-commas-in-semicolon-file", "\"a,b\";\"c,d\"\n\"e,f\";g\n",
    .rows = "a,b|c,d\ne,f|g", .expected_delimiter = ';' },
  { "chosen-delimiter", "a;b,c\n1;2,3\n", .delimiter = ',', .rows = "a;b|c\n1;2|3",
    .expected_delimiter = ',' },
  { "ragged-allowed", "a,b,c\n1,2\n3,4,5,6\n", .ragged = TRUE, .rows = "a|b|c\n1|2\n3|4|5|6",
    .expected_delimiter = ',' },
  /* Encodings */
  { "windows-1252", "Stra\xDF" "e;\x80 5\n\x84Zitat\x93;\x96\x97\n", .encoding = "WINDOWS-1252",
    .rows = "Straße|€ 5\n„Zitat“|–—", .expected_delimiter = ';',
    .expected_encoding = "WINDOWS-1252" },
  { "cp1252-alias", "\xE4,\xFF\n", .encoding = "cp1252", .rows = "ä|ÿ",
    .expected_encoding = "WINDOWS-1252", .expected_delimiter = ',' },
  { "utf16le-bom", BYTES ("\xFF\xFE" "a\0,\0b\0\n\0" "1\0,\0\xE4\0\n\0"), .rows = "a|b\n1|ä",
    .expected_encoding = "UTF-16LE", .expected_delimiter = ',' },
  { "utf16be-bom", BYTES ("\xFE\xFF" "\0a\0;\0b\0\r\0\n" "\x20\xAC\0;\xD8\x3D\xDE\x00"),
    .rows = "a|b\n€|😀", .expected_encoding = "UTF-16BE", .expected_delimiter = ';' },
  { "utf16le-chosen-bom-dropped", BYTES ("\xFF\xFE" "a\0,\0b\0"), .encoding = "UTF-16LE",
    .rows = "a|b", .expected_encoding = "UTF-16LE", .expected_delimiter = ',' },
  { "utf8-chosen-bom-dropped", BOM "a,b\n", .encoding = "utf-8", .rows = "a|b",
    .expected_encoding = "UTF-8", .expected_delimiter = ',' },

  /* Errors */
  { "empty-file", "", .code = KDX_CSV_ERROR_EMPTY, .message = "The file contains no data" },
  { "bom-only", BOM, .code = KDX_CSV_ERROR_EMPTY, .message = "The file contains no data" },
  { "blank-lines-only", "\r\n\n\r", .code = KDX_CSV_ERROR_EMPTY },
  { "ragged-fewer", "a,b,c\n1,2,3\n4,5\n", .code = KDX_CSV_ERROR_RAGGED,
    .message = "Line 3, column 3: the field is missing; the first row has 3 columns" },
  { "ragged-more", "a,b\n1,2\n\"x\ny\",2,3\n", .code = KDX_CSV_ERROR_RAGGED,
    .message = "Line 3, column 3: the row has more fields than the first row, which has 2 columns" },
  { "ragged-one-column", "a\nb,c\n", .delimiter = ',', .code = KDX_CSV_ERROR_RAGGED,
    .message = "Line 2, column 2: the row has more fields than the first row, which has 1 column" },
  { "ragged-after-multiline", "a,b\n\"1\n2\",3\n4\n", .code = KDX_CSV_ERROR_RAGGED,
    .message = "Line 4, column 2:" },
  { "unterminated-quote", "a,b\n1,2\n3,\"open\n4,5\n", .code = KDX_CSV_ERROR_UNTERMINATED_QUOTE,
    .message = "Line 3, column 2: a quoted field is not closed" },
  { "unterminated-quote-at-end", "a,b\n1,\"", .code = KDX_CSV_ERROR_UNTERMINATED_QUOTE,
    .message = "Line 2, column 2:" },
  { "text-after-quote", "a,b\n\"x\"y,2\n", .code = KDX_CSV_ERROR_QUOTE,
    .message = "Line 2, column 1: text follows the closing quote" },
  { "nul", BYTES ("a,b\n1,x\0y\n"), .code = KDX_CSV_ERROR_NUL, .message = "Line 2, column 2: " },
  { "nul-in-quoted-field", BYTES ("a,b\n1,\"x\n\0\"\n"), .code = KDX_CSV_ERROR_NUL,
    .message = "Line 3, column 2: " },
  { "nul-after-quote", BYTES ("a,b\n1,\"x\"\0\n"), .code = KDX_CSV_ERROR_NUL,
    .message = "Line 2, column 2: " },
  { "utf16-without-bom", BYTES ("a\0,\0b\0"), .code = KDX_CSV_ERROR_NUL,
    .message = "Line 1, column 1: " },
  { "not-utf8", "a,b\n1,M\xFCller\n", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 2, column 2: the file is not UTF-8 (byte 0xFC). Choose its encoding, "
               "for example Windows-1252." },
  { "not-utf8-in-multiline-field", "a,b\n\"x\ny\",\"p\r\nq\xE4\"\n", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 4, column 2: the file is not UTF-8 (byte 0xE4)" },
  { "not-utf8-at-field-start", "a,b\nx,\xFF", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 2, column 2:" },
  { "not-utf8-after-bom", BOM "a,b\n\xC3(,x\n", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 2, column 1: the file is not UTF-8 (byte 0xC3)" },
  { "not-utf8-chosen", "a,b\n1,\xFC\n", .encoding = "UTF-8", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 2, column 2: the byte 0xFC is not valid in the encoding UTF-8" },
  { "not-utf8-overlong", "a,b\n1,\xC0\xAF\n", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 2, column 2:" },
  { "earlier-problem-first", "a,b\n1,2,3\n\xFF\n", .code = KDX_CSV_ERROR_RAGGED,
    .message = "Line 2, column 3:" },
  { "windows-1252-undefined-byte", "a;b\n1;x\x81\n", .encoding = "WINDOWS-1252",
    .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 2, column 2: the byte 0x81 is not valid in the encoding WINDOWS-1252" },
  { "utf16le-odd-length", BYTES ("\xFF\xFE" "a\0,\0b\0\n\0" "1"), .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 2, column 1: the byte 0x31 is not valid in the encoding UTF-16LE" },
  { "utf16le-lone-surrogate", BYTES ("\xFF\xFE" "a\0,\0b\0\n\0" "x\0,\0\x00\xD8" "y\0"),
    .code = KDX_CSV_ERROR_ENCODING, .message = "Line 2, column 2:" },
  { "unknown-encoding", "a,b\n", .encoding = "NO-SUCH-ENCODING",
    .code = KDX_CSV_ERROR_UNKNOWN_ENCODING, .message = "Kodex cannot read the encoding" },
  { "utf16-bom-but-windows-1252-chosen", BYTES ("\xFF\xFE" "a\0,\0b\0"), .encoding = "cp1252",
    .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 1, column 1: the file begins with the byte order mark of UTF-16LE, not of "
               "the chosen encoding WINDOWS-1252" },
  { "utf8-bom-but-utf16le-chosen", BOM "a,b\n", .encoding = "UTF-16LE",
    .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 1, column 1: the file begins with the byte order mark of UTF-8, not of the "
               "chosen encoding UTF-16LE" },
  { "utf8-bom-but-utf16-chosen", BOM "a,b\n", .encoding = "UTF-16", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 1, column 1: the file begins with the byte order mark of UTF-8, not of the "
               "chosen encoding UTF-16" },
  { "utf16-chosen-reads-its-bom", BYTES ("\xFF\xFE" "a\0,\0b\0\n\0"), .encoding = "UTF-16",
    .rows = "a|b", .expected_encoding = "UTF-16", .expected_delimiter = ',' },
  { "utf16be-bom-but-utf8-chosen", BYTES ("\xFE\xFF" "\0a"), .encoding = "UTF-8",
    .code = KDX_CSV_ERROR_ENCODING, .message = "Line 1, column 1: the file begins with the byte "
                                               "order mark of UTF-16BE" },

  /* Excel's first line "sep=X": it names the delimiter and is no record;
   * the lines keep their numbers in the file. */
  { "sep-semicolon-over-commas", "sep=;\r\nName,Vorname,Ort\r\nMüller,Anna,Köln\r\n",
    .rows = "Name,Vorname,Ort\nMüller,Anna,Köln", .expected_delimiter = ';', .lines = "2 3" },
  { "sep-semicolon-lf", "sep=;\nName;Betrag\nMüller;3,50\n\nSchmidt;\"4;5\"\n",
    .rows = "Name|Betrag\nMüller|3,50\nSchmidt|4;5", .expected_delimiter = ';',
    .lines = "2 3 5" },
  { "sep-cr-only", "sep=;\ra;b\r1;2", .rows = "a|b\n1|2", .expected_delimiter = ';',
    .lines = "2 3" },
  { "sep-comma", "sep=,\na;b,c\n", .rows = "a;b|c", .expected_delimiter = ',', .lines = "2" },
  { "sep-tab", "sep=\t\r\na,b\tc;d\r\n", .rows = "a,b|c;d", .expected_delimiter = '\t',
    .lines = "2" },
  { "sep-after-bom", BOM "sep=;\r\na,b;c\r\n", .rows = "a,b|c", .expected_delimiter = ';',
    .expected_encoding = "UTF-8", .lines = "2" },
  { "sep-windows-1252", "sep=;\r\nStra\xDF" "e,Nr;\x80\r\n", .encoding = "WINDOWS-1252",
    .rows = "Straße,Nr|€", .expected_delimiter = ';', .expected_encoding = "WINDOWS-1252",
    .lines = "2" },
  { "sep-utf16le", BYTES ("\xFF\xFE" "s\0e\0p\0=\0;\0\r\0\n\0" "a\0,\0b\0;\0\xE4\0\r\0\n\0"),
    .rows = "a,b|ä", .expected_delimiter = ';', .expected_encoding = "UTF-16LE", .lines = "2" },
  { "sep-utf16be", BYTES ("\xFE\xFF" "\0s\0e\0p\0=\0;\0\n" "\0a\0,\0b\0;\x20\xAC"),
    .rows = "a,b|€", .expected_delimiter = ';', .expected_encoding = "UTF-16BE", .lines = "2" },
  { "sep-later-error-line", "sep=;\r\na;b\r\n1;2\r\n\"x\r\ny\";3;4\r\n",
    .code = KDX_CSV_ERROR_RAGGED,
    .message = "Line 4, column 3: the row has more fields than the first row, which has 2 columns" },
  { "sep-later-encoding-error-line", "sep=;\na;b\n1;M\xFCller\n", .code = KDX_CSV_ERROR_ENCODING,
    .message = "Line 3, column 2: the file is not UTF-8 (byte 0xFC)" },
  /* A delimiter chosen by the caller wins; the hint is still no record. */
  { "sep-chosen-delimiter-wins", "sep=;\na,b;c\n", .delimiter = ',', .rows = "a|b;c",
    .expected_delimiter = ',', .lines = "2" },
  { "sep-unknown-with-chosen-delimiter", "sep=|\na;b|c\n", .delimiter = ';', .rows = "a|b|c",
    .expected_delimiter = ';', .lines = "2" },
  /* A delimiter Kodex does not read. */
  { "sep-pipe", "sep=|\r\na|b\r\n1|2\r\n", .code = KDX_CSV_ERROR_DELIMITER,
    .message = "Line 1, column 1: the line “sep=|” names a delimiter that Kodex does not read. "
               "Save the file with a comma, a semicolon or a tab between the fields." },
  { "sep-pipe-after-bom-at-end", BOM "sep=|", .code = KDX_CSV_ERROR_DELIMITER,
    .message = "Line 1, column 1: the line “sep=|” names" },
  { "sep-multibyte", "sep=€\na€b\n", .code = KDX_CSV_ERROR_DELIMITER,
    .message = "Line 1, column 1: the line “sep=€” names" },
  { "sep-space", "sep= \na b\n", .code = KDX_CSV_ERROR_DELIMITER,
    .message = "Line 1, column 1: the line “sep=U+0020” names" },
  { "sep-quote", "sep=\"\na\n", .code = KDX_CSV_ERROR_DELIMITER,
    .message = "Line 1, column 1: the line “sep=\"” names" },
  { "sep-only", "sep=;\r\n", .code = KDX_CSV_ERROR_EMPTY, .message = "The file contains no data" },
  { "sep-only-no-line-end", "sep=,", .code = KDX_CSV_ERROR_EMPTY },
  /* Anything else than exactly "sep=", one character and a line end, on
   * the first line, is an ordinary record. */
  { "sep-alone-is-a-record", "sep=\na,b\n", .ragged = TRUE, .rows = "sep=\na|b",
    .expected_delimiter = ',', .lines = "1 2" },
  { "sep-alone-is-a-ragged-record", "sep=\na,b\n", .code = KDX_CSV_ERROR_RAGGED,
    .message = "Line 2, column 2: the row has more fields than the first row, which has 1 column" },
  { "sep-two-characters-is-a-record", "sep=;;\na;b;c\n", .rows = "sep=||\na|b|c",
    .expected_delimiter = ';', .lines = "1 2" },
  { "sep-text-after-is-a-record", "sep=; x\na;b\n", .rows = "sep=| x\na|b",
    .expected_delimiter = ';' },
  { "sep-quoted-is-a-record", "\"sep=;\"\n\"sep=,\"\n", .rows = "sep=;\nsep=,",
    .expected_delimiter = ',' },
  { "sep-not-on-first-line", "\nsep=;\na;b\n", .rows = "sep=|\na|b", .expected_delimiter = ';',
    .lines = "2 3" },
  { "sep-nul", BYTES ("sep=\0\na\n"), .code = KDX_CSV_ERROR_NUL,
    .message = "Line 1, column 1: " },
};

static void
test_read_case (gconstpointer data)
{
  const ReadCase *c = data;
  KdxCsvOptions options = { c->encoding, c->delimiter, c->ragged };
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCsvTable) table = NULL;
  gsize len = c->len > 0 ? c->len : strlen (c->input);

  table = read_string (c->input, len, &options, &error);

  /* The stream reader: the same records or the same error, however the
   * input is cut into blocks. */
  assert_readers_agree (c->input, len, &options, small_chunks, G_N_ELEMENTS (small_chunks));

  if (c->rows == NULL)
    {
      /* All or nothing: no table, an error that says where. */
      g_assert_null (table);
      g_assert_error (error, KDX_CSV_ERROR, c->code);
      if (c->message != NULL && !g_str_has_prefix (error->message, c->message))
        g_error ("“%s” does not start with “%s”", error->message, c->message);
      /* Every error about a place in the file says where. */
      if (c->code != KDX_CSV_ERROR_IO && c->code != KDX_CSV_ERROR_UNKNOWN_ENCODING &&
          c->code != KDX_CSV_ERROR_EMPTY && c->code != KDX_CSV_ERROR_TOO_LARGE)
        {
          guint line = 0, column = 0;
          int end = 0;

          g_assert_cmpint (sscanf (error->message, "Line %u, column %u: %n", &line, &column, &end),
                           ==, 2);
          g_assert_cmpint (end, >, 0);
          g_assert_cmpuint (line, >, 0);
          g_assert_cmpuint (column, >, 0);
        }
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (table);
  {
    g_autofree char *rows = dump_table (table);

    g_assert_cmpstr (rows, ==, c->rows);
  }
  g_assert_cmpint (kdx_csv_table_get_delimiter (table), ==, c->expected_delimiter);
  g_assert_cmpstr (kdx_csv_table_get_encoding (table), ==,
                   c->expected_encoding ? c->expected_encoding : "UTF-8");
  if (c->lines != NULL)
    {
      g_autofree char *lines = dump_lines (table);

      g_assert_cmpstr (lines, ==, c->lines);
    }
}

static void
test_ragged_table (void)
{
  KdxCsvOptions options = { .allow_ragged = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCsvTable) table = read_string ("a,b,c\n1\n2,3,4,5\n", 16, &options, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (kdx_csv_table_get_n_rows (table), ==, 3);
  g_assert_cmpuint (kdx_csv_table_get_n_columns (table), ==, 4);
  g_assert_cmpuint (kdx_csv_table_get_row_length (table, 1), ==, 1);
  g_assert_cmpstr (kdx_csv_table_get_field (table, 1, 0), ==, "1");
  g_assert_null (kdx_csv_table_get_field (table, 1, 1));
  g_assert_null (kdx_csv_table_get_field (table, 0, 3));
  g_assert_cmpstr (kdx_csv_table_get_field (table, 2, 3), ==, "5");
}

/* A field of 1 MiB, quoted with quotes and line ends inside, and one
 * unquoted, in a file without a final newline. */
static void
test_big_field (void)
{
  const gsize size = 1024 * 1024;
  g_autoptr(GString) quoted = g_string_sized_new (size);
  g_autoptr(GString) plain = g_string_sized_new (size);
  g_autoptr(GString) csv = g_string_new ("kurz,lang\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCsvTable) table = NULL;
  guint newlines = 0;

  for (gsize i = 0; quoted->len < size; i++)
    g_string_append (quoted, i % 7 == 0 ? "\"\r\n" : "Grüße, ");
  for (gsize i = 0; plain->len < size; i++)
    g_string_append_c (plain, 'a' + i % 26);

  g_string_append (csv, "x,");
  append_quoted (csv, quoted->str);
  g_string_append_printf (csv, "\ny,%s", plain->str);

  table = read_string (csv->str, csv->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kdx_csv_table_get_n_rows (table), ==, 3);
  g_assert_cmpstr (kdx_csv_table_get_field (table, 1, 1), ==, quoted->str);
  g_assert_cmpstr (kdx_csv_table_get_field (table, 2, 1), ==, plain->str);
  /* Row 3 starts after the line ends inside the big field. */
  for (const char *c = quoted->str; *c != '\0'; c++)
    newlines += *c == '\n';
  g_assert_cmpuint (kdx_csv_table_get_line (table, 2), ==, 3 + newlines);

  assert_readers_agree (csv->str, csv->len, NULL, large_chunks, G_N_ELEMENTS (large_chunks));
}

/* 100,000 columns; the header alone is longer than the sample the
 * delimiter is detected on. */
static void
test_wide (void)
{
  const guint n = 100000;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCsvTable) table = NULL;

  for (guint row = 0; row < 3; row++)
    {
      for (guint col = 0; col < n; col++)
        g_string_append_printf (csv, "%s%c%u", col > 0 ? ";" : "", row == 0 ? 'c' : 'v', col);
      g_string_append (csv, "\r\n");
    }

  table = read_string (csv->str, csv->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kdx_csv_table_get_delimiter (table), ==, ';');
  g_assert_cmpuint (kdx_csv_table_get_n_columns (table), ==, n);
  g_assert_cmpuint (kdx_csv_table_get_n_rows (table), ==, 3);
  g_assert_cmpstr (kdx_csv_table_get_field (table, 0, 0), ==, "c0");
  g_assert_cmpstr (kdx_csv_table_get_field (table, 2, n - 1), ==, "v99999");
  assert_readers_agree (csv->str, csv->len, NULL, large_chunks, G_N_ELEMENTS (large_chunks));

  /* One field missing in the last row, found after all the others. */
  g_string_truncate (csv, csv->len - strlen (";v99999\r\n"));
  g_clear_pointer (&table, kdx_csv_table_unref);
  table = read_string (csv->str, csv->len, NULL, &error);
  g_assert_null (table);
  g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_RAGGED);
  g_assert_true (g_str_has_prefix (error->message, "Line 3, column 100000:"));
  assert_readers_agree (csv->str, csv->len, NULL, large_chunks, G_N_ELEMENTS (large_chunks));
}

/* ------------------------------------------------------------------ */
/* Encodings                                                          */

/* Windows-1252 0x80–0x9F, written out here rather than taken from iconv,
 * so that the test checks iconv's table; 0 where the byte is undefined. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static GBytes *
encode_cp1252 (const char *utf8)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *c = utf8; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      guint8 b = 0;

      if (u < 0x80 || (u >= 0xA0 && u <= 0xFF))
        b = (guint8) u;
      for (guint i = 0; b == 0 && i < G_N_ELEMENTS (cp1252_high); i++)
        if (cp1252_high[i] == u)
          b = 0x80 + i;
      g_assert_cmpuint (b, !=, 0);
      g_byte_array_append (out, &b, 1);
    }

  return g_byte_array_free_to_bytes (out);
}

static GBytes *
encode_utf16le_bom (const char *utf8)
{
  glong n = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (utf8, -1, NULL, &n, NULL);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, (const guint8 *) "\xFF\xFE", 2);
  for (glong i = 0; i < n; i++)
    {
      guint8 le[2] = { units[i] & 0xFF, units[i] >> 8 };

      g_byte_array_append (out, le, 2);
    }

  return g_byte_array_free_to_bytes (out);
}

/* 500 rows of three fields with € „ “ – ß ä, every character of
 * Windows-1252's 0x80–0x9F, quotes, delimiters and line ends. The first
 * byte that is not ASCII is in line 2, column 3. */
static GPtrArray *
make_rows (void)
{
  static const char *words[] = {
    "Grüße", "Straße", "„Zitat“", "€ 12,50", "Mai – Juni", "ä ö ü Ä Ö Ü", "\"quoted\"",
    "a;b", "x,y", "Zeile 1\r\nZeile 2", "tab\there", "½ © ÿ é", "‚‘’”•—˜™šœžŸ",
    "ƒ…†‡ˆ‰Š‹ŒŽ›", "plain",
  };
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GRand *rand = g_rand_new_with_seed (1252);

  g_ptr_array_add (rows, g_strsplit ("id,name,text", ",", -1));
  for (guint i = 1; i < 500; i++)
    {
      char **fields = g_new0 (char *, 4);

      fields[0] = g_strdup_printf ("%u", i);
      fields[1] = g_strdup (words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      fields[2] = g_strdup_printf ("%s %s", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                   words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      if (i == 1)
        {
          g_free (fields[1]);
          fields[1] = g_strdup ("ASCII only");
          g_free (fields[2]);
          fields[2] = g_strdup ("Grüße vom Ausschuss");
        }
      g_ptr_array_add (rows, fields);
    }
  g_rand_free (rand);

  return rows;
}

/* Every field quoted, CRLF line ends. */
static char *
rows_to_csv (GPtrArray *rows)
{
  GString *csv = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      char **fields = g_ptr_array_index (rows, i);

      for (guint j = 0; fields[j] != NULL; j++)
        {
          if (j > 0)
            g_string_append_c (csv, ',');
          append_quoted (csv, fields[j]);
        }
      g_string_append (csv, "\r\n");
    }

  return g_string_free (csv, FALSE);
}

static void
assert_rows (KdxCsvTable *table,
             GPtrArray   *rows)
{
  g_assert_cmpuint (kdx_csv_table_get_n_rows (table), ==, rows->len);
  g_assert_cmpuint (kdx_csv_table_get_n_columns (table), ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      char **fields = g_ptr_array_index (rows, i);

      for (guint j = 0; j < 3; j++)
        g_assert_cmpstr (kdx_csv_table_get_field (table, i, j), ==, fields[j]);
    }
}

static void
test_encodings (void)
{
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autofree char *csv = rows_to_csv (rows);
  g_autofree char *with_bom = g_strconcat (BOM, csv, NULL);
  g_autoptr(GBytes) utf8 = g_bytes_new (csv, strlen (csv));
  g_autoptr(GBytes) utf8_bom = g_bytes_new (with_bom, strlen (with_bom));
  g_autoptr(GBytes) cp1252 = encode_cp1252 (csv);
  g_autoptr(GBytes) utf16 = encode_utf16le_bom (csv);
  KdxCsvOptions windows = { .encoding = "WINDOWS-1252" };
  struct
  {
    GBytes              *bytes;
    const KdxCsvOptions *options;
    const char          *encoding;
  } files[] = {
    { utf8, NULL, "UTF-8" },
    { utf8_bom, NULL, "UTF-8" },
    { cp1252, &windows, "WINDOWS-1252" },
    { utf16, NULL, "UTF-16LE" },
  };
  g_autofree char *reference_lines = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KdxCsvTable) table = kdx_csv_read (files[i].bytes, files[i].options, &error);
      g_autofree char *lines = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (kdx_csv_table_get_encoding (table), ==, files[i].encoding);
      g_assert_cmpint (kdx_csv_table_get_delimiter (table), ==, ',');
      assert_rows (table, rows);

      /* The stream reader, in blocks that cut characters and line ends. */
      assert_readers_agree (g_bytes_get_data (files[i].bytes, NULL),
                            g_bytes_get_size (files[i].bytes), files[i].options, small_chunks,
                            G_N_ELEMENTS (small_chunks));

      lines = dump_lines (table);
      if (reference_lines == NULL)
        reference_lines = g_steal_pointer (&lines);
      else
        g_assert_cmpstr (lines, ==, reference_lines);
    }

  /* Windows-1252 is never guessed. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KdxCsvTable) table = kdx_csv_read (cp1252, NULL, &error);

    g_assert_null (table);
    g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING);
    g_assert_true (g_str_has_prefix (error->message,
                                     "Line 2, column 3: the file is not UTF-8 (byte 0xFC)"));
    assert_readers_agree (g_bytes_get_data (cp1252, NULL), g_bytes_get_size (cp1252), NULL,
                          small_chunks, G_N_ELEMENTS (small_chunks));
  }
}

/* Excel's "sep=;" line in every encoding Kodex reads, with CR LF and with
 * LF: the same rows on the same lines, the delimiter ';' although the
 * rows would otherwise be read as comma-separated (where ';' leaves
 * quotes inside fields), and the same from the stream reader in blocks of
 * 1 and 7 bytes. */
static void
test_sep_hint_encodings (void)
{
  static const char text[] =
    "sep=;\r\n"
    "Name;Betrag,\"Währung\"\r\n"
    "Müller;3,\"50 €\"\r\n"
    "\r\n"
    "„Zitat“;x,\"a b\"\r\n";
  static const char *expected = "Name|Betrag,\"Währung\"\n"
                                "Müller|3,\"50 €\"\n"
                                "„Zitat“|x,\"a b\"";
  KdxCsvOptions windows = { .encoding = "WINDOWS-1252" };

  for (guint lf = 0; lf < 2; lf++)
    {
      g_autoptr(GString) utf8 = g_string_new (text);
      g_autoptr(GString) utf8_bom = NULL;
      g_autoptr(GString) utf16be = g_string_new ("\xFE\xFF");
      g_autoptr(GBytes) cp1252 = NULL;
      g_autoptr(GBytes) utf16le = NULL;
      g_autofree gunichar2 *units = NULL;

      if (lf)
        g_string_replace (utf8, "\r\n", "\n", 0);
      utf8_bom = g_string_new (BOM);
      g_string_append (utf8_bom, utf8->str);
      cp1252 = encode_cp1252 (utf8->str);
      utf16le = encode_utf16le_bom (utf8->str);
      units = g_utf8_to_utf16 (utf8->str, -1, NULL, NULL, NULL);
      for (gunichar2 *u = units; *u != 0; u++)
        {
          g_string_append_c (utf16be, *u >> 8);
          g_string_append_c (utf16be, *u & 0xFF);
        }

      {
        struct
        {
          const char          *data;
          gsize                len;
          const KdxCsvOptions *options;
          const char          *encoding;
        } files[] = {
          { utf8->str, utf8->len, NULL, "UTF-8" },
          { utf8_bom->str, utf8_bom->len, NULL, "UTF-8" },
          { g_bytes_get_data (cp1252, NULL), g_bytes_get_size (cp1252), &windows,
            "WINDOWS-1252" },
          { g_bytes_get_data (utf16le, NULL), g_bytes_get_size (utf16le), NULL, "UTF-16LE" },
          { utf16be->str, utf16be->len, NULL, "UTF-16BE" },
        };

        for (guint i = 0; i < G_N_ELEMENTS (files); i++)
          {
            g_autoptr(GError) error = NULL;
            g_autoptr(KdxCsvTable) table = read_string (files[i].data, files[i].len,
                                                        files[i].options, &error);
            g_autofree char *rows = NULL;
            g_autofree char *lines = NULL;

            g_assert_no_error (error);
            rows = dump_table (table);
            lines = dump_lines (table);
            g_assert_cmpstr (rows, ==, expected);
            g_assert_cmpstr (lines, ==, "2 3 5");
            g_assert_cmpint (kdx_csv_table_get_delimiter (table), ==, ';');
            g_assert_cmpstr (kdx_csv_table_get_encoding (table), ==, files[i].encoding);

            assert_readers_agree (files[i].data, files[i].len, files[i].options, small_chunks,
                                  G_N_ELEMENTS (small_chunks));
          }
      }
    }

  /* Without the line, the same rows are comma-separated. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KdxCsvTable) table = read_string (text + 7, strlen (text + 7), NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (kdx_csv_table_get_delimiter (table), ==, ',');
  }
}

/* The five bytes Windows-1252 leaves undefined are refused, named. */
static void
test_cp1252_undefined (void)
{
  static const guint8 undefined[] = { 0x81, 0x8D, 0x8F, 0x90, 0x9D };
  KdxCsvOptions windows = { .encoding = "WINDOWS-1252" };

  for (guint i = 0; i < G_N_ELEMENTS (undefined); i++)
    {
      g_autofree char *csv = g_strdup_printf ("a;b\n\"x\ny\";z%c\n", undefined[i]);
      g_autofree char *expected = g_strdup_printf ("Line 3, column 2: the byte 0x%02X is not "
                                                   "valid in the encoding WINDOWS-1252",
                                                   undefined[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(KdxCsvTable) table = read_string (csv, strlen (csv), &windows, &error);

      g_assert_null (table);
      g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING);
      g_assert_cmpstr (error->message, ==, expected);
      assert_readers_agree (csv, strlen (csv), &windows, small_chunks,
                            G_N_ELEMENTS (small_chunks));
    }
}

static void
test_read_file (void)
{
  g_autofree char *dir = kdx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "Schulungen.csv", NULL);
  g_autofree char *huge_path = g_build_filename (dir, "huge.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/kodex.csv");
  g_autoptr(GFile) huge = g_file_new_for_path (huge_path);
  g_autoptr(GPtrArray) rows = make_rows ();
  g_autofree char *csv = rows_to_csv (rows);
  g_autoptr(GBytes) utf16 = encode_utf16le_bom (csv);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCsvTable) table = NULL;
  int fd;

  kdx_test_write_file (path, g_bytes_get_data (utf16, NULL), g_bytes_get_size (utf16));
  table = kdx_csv_read_file (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kdx_csv_table_get_encoding (table), ==, "UTF-16LE");
  assert_rows (table, rows);

  g_assert_null (kdx_csv_read_file (missing, NULL, NULL, &error));
  g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "The CSV file cannot be read: "));
  g_clear_error (&error);

  /* 4 GiB, sparse: refused before it is read. */
  fd = g_open (huge_path, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) G_MAXUINT32 + 1), ==, 0);
  close (fd);
  g_assert_null (kdx_csv_read_file (huge, NULL, NULL, &error));
  g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_TOO_LARGE);

  kdx_test_rm_rf (dir);
}

/* ------------------------------------------------------------------ */
/* Streaming                                                          */

/* Every block size from 1 to 17 bytes, on inputs where blocks cut
 * multi-byte characters (UTF-8 of two, three and four bytes, UTF-16
 * surrogate pairs), CR LF pairs, "" escapes, the byte order mark and line
 * ends inside quoted fields; and on inputs with errors late in them. */
static void
test_stream_chunk_boundaries (void)
{
  static const char text[] =
    BOM "Name;Text;Betrag\r\n"
    "Müller;\"sagt \"\"Grüß Gott\"\"\r\nzweite Zeile\";3,50\r\n"
    "\r\n"
    "Ærø;\"€ „Zitat“ – 😀𝄞\";\"\"\r"
    "x;\"\"\"\";\"a\rb\nc\r\n\"\r"
    "\n"
    "ß;ä;\"\"\"\"\"\"";
  g_autoptr(GBytes) utf16 = encode_utf16le_bom (text + 3);
  g_autoptr(GString) utf16be = g_string_new ("\xFE\xFF");
  g_autoptr(GBytes) cp1252 = NULL;
  KdxCsvOptions windows = { .encoding = "WINDOWS-1252" };
  KdxCsvOptions comma = { .delimiter = ',', .allow_ragged = TRUE };
  struct
  {
    const char          *data;
    gsize                len;
    const KdxCsvOptions *options;
  } inputs[] = {
    { BYTES (text), NULL },
    { text + 3, sizeof text - 4, &comma },
    { g_bytes_get_data (utf16, NULL), g_bytes_get_size (utf16), NULL },
    { NULL, 0, NULL }, /* UTF-16BE */
    { NULL, 0, &windows },
    /* Errors late in the input, after a CR or in a quoted field. */
    { BYTES ("a;b\r\n\"x\r\ny\";\"z\r\n\xE2\x82\"\r\n"), NULL },
    { BYTES ("a;b\r\n\"x\r\ny\";z\r\xF0\x9F\x98"), NULL },
    { BYTES ("a;b\r\n\"x\"\"\r\ny\";z\r\n1;\"2\0\""), NULL },
    { BYTES ("a;b\r\n\"x\"\"\r\ny\";z\r\n1;\"2\"\""), NULL },
    { BYTES ("\xFF\xFE" "a\0;\0b\0\r\0\n\0" "1\0;\0\x3D\xD8\x00\xDE\r\0\n\0" "2\0;\0\x3D\xD8"),
      NULL },
    { BYTES ("a;b\r\n1;2\r\n3\r\n"), NULL },
    { BYTES ("a;b\r\n1;2;3\r\n"), NULL },
  };

  /* The same text in UTF-16BE and in Windows-1252 (without the emoji,
   * which it does not have). */
  {
    g_autofree gunichar2 *units = g_utf8_to_utf16 (text + 3, -1, NULL, NULL, NULL);
    g_autoptr(GString) plain = g_string_new (NULL);

    for (gunichar2 *u = units; *u != 0; u++)
      {
        g_string_append_c (utf16be, *u >> 8);
        g_string_append_c (utf16be, *u & 0xFF);
      }
    inputs[3].data = utf16be->str;
    inputs[3].len = utf16be->len;

    for (const char *c = text + 3; *c != '\0'; c = g_utf8_next_char (c))
      if (g_utf8_get_char (c) < 0x10000)
        g_string_append_unichar (plain, g_utf8_get_char (c));
    cp1252 = encode_cp1252 (plain->str);
    inputs[4].data = g_bytes_get_data (cp1252, NULL);
    inputs[4].len = g_bytes_get_size (cp1252);
  }

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      gsize chunks[17];

      for (guint j = 0; j < G_N_ELEMENTS (chunks); j++)
        chunks[j] = j + 1;
      assert_readers_agree (inputs[i].data, inputs[i].len, inputs[i].options, chunks,
                            G_N_ELEMENTS (chunks));
    }

  /* What the first input is, to be sure that the agreement is on the
   * right records. */
  {
    g_auto(Outcome) o = { 0 };
    g_autoptr(GInputStream) stream = chunk_stream_new (text, sizeof text - 1, 1);

    outcome_of_reader (&o, stream, NULL);
    g_assert_no_error (o.error);
    g_assert_cmpstr (o.rows, ==,
                     "Name|Text|Betrag\n"
                     "Müller|sagt \"Grüß Gott\"\\r\\nzweite Zeile|3,50\n"
                     "Ærø|€ „Zitat“ – 😀𝄞|\n"
                     "x|\"|a\\rb\\nc\\r\\n\n"
                     "ß|ä|\"\"");
    g_assert_cmpstr (o.lines, ==, "1 2 5 6 10");
    g_assert_cmpint (o.delimiter, ==, ';');
  }
}

typedef struct
{
  guint next;
  guint n_rows;
} RowGenerator;

/* A header, then rows of four fields, each row on two lines. */
static void
generate_rows (GString  *buffer,
               gpointer  data)
{
  RowGenerator *g = data;

  if (g->next == 0)
    g_string_append (buffer, "id;name;text;greeting\r\n");
  for (guint i = 0; i < 100 && g->next < g->n_rows; i++, g->next++)
    g_string_append_printf (buffer, "%u;Person %u;\"Zeile 1\r\nZeile \"\"%u\"\"\";Grüße €\r\n",
                            g->next, g->next, g->next);
}

/* 200,000 rows that are never in memory together, read in blocks of an
 * odd size; the reader reads no further ahead than it needs. */
static void
test_stream_large (void)
{
  const guint n_rows = 200000;
  RowGenerator generator = { 0, n_rows };
  g_autoptr(GInputStream) stream = generated_stream_new (generate_rows, &generator, 4093);
  KdxChunkStream *chunks = KDX_CHUNK_STREAM (stream);
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxCsvReader) reader = kdx_csv_reader_new (stream, NULL, NULL, &error);
  guint n = 0;
  guint64 last_offset = 0;

  g_assert_no_error (error);
  g_assert_cmpint (kdx_csv_reader_get_delimiter (reader), ==, ';');
  g_assert_cmpstr (kdx_csv_reader_get_encoding (reader), ==, "UTF-8");
  /* The sample and a block, not the file. */
  g_assert_cmpuint (chunks->n_read, <, 256 * 1024);

  g_assert_true (kdx_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (kdx_csv_reader_get_n_fields (reader), ==, 4);
  g_assert_cmpstr (kdx_csv_reader_get_field (reader, 3), ==, "greeting");

  while (kdx_csv_reader_next (reader, NULL, &error))
    {
      char id[16];

      g_snprintf (id, sizeof id, "%u", n);
      g_assert_cmpuint (kdx_csv_reader_get_n_fields (reader), ==, 4);
      g_assert_cmpstr (kdx_csv_reader_get_field (reader, 0), ==, id);
      g_assert_cmpuint (kdx_csv_reader_get_line (reader), ==, 2 + 2 * n);
      g_assert_cmpuint (kdx_csv_reader_get_record (reader), ==, n + 2);
      g_assert_cmpuint (kdx_csv_reader_get_offset (reader), >=, last_offset);
      g_assert_cmpuint (chunks->n_read - kdx_csv_reader_get_offset (reader), <, 64 * 1024);
      last_offset = kdx_csv_reader_get_offset (reader);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_rows);
  g_assert_cmpuint (kdx_csv_reader_get_offset (reader), ==, chunks->n_read);
  g_assert_cmpuint (chunks->n_read, >, 10 * 1000 * 1000);
}

/* A record that is a whole 1 MiB field, after many small ones, through
 * blocks of 7 bytes: the longest record decides the memory, and a record
 * that size is no trouble. */
static void
test_stream_long_record_late (void)
{
  g_autoptr(GString) csv = g_string_new ("a,b\n");
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(KdxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (csv, "%u,x\n", i);
  while (big->len < 1024 * 1024)
    g_string_append (big, "\"\"Grüße\r\n, ");
  g_string_append_printf (csv, "last,\"%s\"", big->str);

  stream = chunk_stream_new (csv->str, csv->len, 7);
  reader = kdx_csv_reader_new (stream, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20001; i++)
    g_assert_true (kdx_csv_reader_next (reader, NULL, &error));
  g_assert_true (kdx_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (kdx_csv_reader_get_field (reader, 0), ==, "last");
  {
    g_autofree char *unquoted = NULL;
    g_auto(GStrv) parts = g_strsplit (big->str, "\"\"", -1);

    unquoted = g_strjoinv ("\"", parts);
    g_assert_cmpstr (kdx_csv_reader_get_field (reader, 1), ==, unquoted);
  }
  g_assert_false (kdx_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

/* What is refused before the first record: an encoding iconv does not
 * know, a byte order mark that says otherwise than the chosen encoding, a
 * stream that cannot be read. Later: a read error, a cancellation. */
static void
test_stream_errors (void)
{
  KdxCsvOptions unknown = { .encoding = "NO-SUCH-ENCODING" };
  KdxCsvOptions windows = { .encoding = "WINDOWS-1252" };
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GInputStream) stream = chunk_stream_new (BYTES ("a,b\n"), 1);

    g_assert_null (kdx_csv_reader_new (stream, &unknown, NULL, &error));
    g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_UNKNOWN_ENCODING);
    g_assert_cmpstr (error->message, ==, "Kodex cannot read the encoding “NO-SUCH-ENCODING”");
    g_clear_error (&error);
  }

  {
    /* The mark comes in single bytes. */
    g_autoptr(GInputStream) stream = chunk_stream_new (BYTES (BOM "a,b\n"), 1);

    g_assert_null (kdx_csv_reader_new (stream, &windows, NULL, &error));
    g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING);
    g_assert_cmpstr (error->message, ==, "Line 1, column 1: the file begins with the byte order "
                                         "mark of UTF-8, not of the chosen encoding WINDOWS-1252");
    g_clear_error (&error);
  }

  {
    g_autoptr(GInputStream) stream = chunk_stream_new (BYTES ("a,b\n"), 0);

    g_input_stream_close (stream, NULL, NULL);
    g_assert_null (kdx_csv_reader_new (stream, NULL, NULL, &error));
    g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_IO);
    g_assert_true (g_str_has_prefix (error->message, "The CSV file cannot be read: "));
    g_clear_error (&error);
  }

  {
    RowGenerator generator = { 0, 100000 };
    g_autoptr(GInputStream) stream = generated_stream_new (generate_rows, &generator, 65536);
    g_autoptr(KdxCsvReader) reader = NULL;
    guint n = 0;

    KDX_CHUNK_STREAM (stream)->fail_at = 1000000;
    reader = kdx_csv_reader_new (stream, NULL, NULL, &error);
    g_assert_no_error (error);
    while (kdx_csv_reader_next (reader, NULL, &error))
      n++;
    g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_IO);
    g_assert_cmpstr (error->message, ==, "The CSV file cannot be read: The disk is on fire");
    g_assert_cmpuint (n, >, 1000);
    g_clear_error (&error);
    g_assert_false (kdx_csv_reader_next (reader, NULL, &error));
    g_assert_no_error (error);
  }

  {
    RowGenerator generator = { 0, 100000 };
    g_autoptr(GInputStream) stream = generated_stream_new (generate_rows, &generator, 65536);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(KdxCsvReader) reader = kdx_csv_reader_new (stream, NULL, cancellable, &error);

    g_assert_no_error (error);
    g_assert_true (kdx_csv_reader_next (reader, cancellable, &error));
    g_cancellable_cancel (cancellable);
    while (kdx_csv_reader_next (reader, cancellable, &error))
      ;
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

/* ------------------------------------------------------------------ */
/* Writing                                                            */

static char *
write_rows (char                delimiter,
            KdxCsvWriterFlags   flags,
            const char * const *fields,
            guint               n_fields)
{
  g_autoptr(KdxCsvWriter) writer = kdx_csv_writer_new (NULL, delimiter, flags);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (kdx_csv_writer_add_row (writer, fields, n_fields, NULL, &error));
  g_assert_no_error (error);
  bytes = kdx_csv_writer_free_to_bytes (g_steal_pointer (&writer));

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

typedef struct
{
  const char *name;
  char        delimiter;
  guint       n_fields;
  const char *fields[8];
  const char *expected;
} WriteCase;

static const WriteCase write_cases[] = {
  { "plain", ',', 3, { "a", "b c", "ä€😀" }, "a,b c,ä€😀\r\n" },
  { "quoting", ',', 7, { "a,b", "say \"hi\"", "x\ny", "x\ry", "", "a;b", "tab\there" },
    "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"x\ry\",,a;b,tab\there\r\n" },
  { "semicolon", ';', 3, { "a,b", "a;b", "" }, "a,b;\"a;b\";\r\n" },
  { "tab", '\t', 2, { "a,b", "tab\there" }, "a,b\t\"tab\there\"\r\n" },
  { "formula-guard", ',', 8,
    { "=SUM(A1:A9)", "+49 30 1234", "-5", "@cmd", "\tx", "\rx", "a=b", "'=x" },
    "'=SUM(A1:A9),'+49 30 1234,'-5,'@cmd,'\tx,\"'\rx\",a=b,'=x\r\n" },
  { "formula-guard-quoted", ';', 2, { "=HYPERLINK(\"x\";\"y\")", "\tz" },
    "\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\";'\tz\r\n" },
  { "formula-guard-tab-delimiter", '\t', 2, { "\tx", "-" }, "\"'\tx\"\t'-\r\n" },
  { "leading-bom-character", ',', 2, { BOM "x", "y" }, "\"" BOM "x\",y\r\n" },
  { "lone-empty-field", ',', 1, { "" }, "\"\"\r\n" },
  { "null-is-empty", ',', 3, { "a", NULL, "c" }, "a,,c\r\n" },
  /* Not to be read as Excel's delimiter line. */
  { "sep-first-field", ';', 2, { "sep=", "" }, "\"sep=\";\r\n" },
  { "sep-alone", ',', 1, { "sep=|" }, "\"sep=|\"\r\n" },
};

static void
test_write_case (gconstpointer data)
{
  const WriteCase *c = data;
  g_autofree char *out = write_rows (c->delimiter, KDX_CSV_WRITER_NO_BOM, c->fields,
                                     c->n_fields);

  g_assert_cmpstr (out, ==, c->expected);
}

static void
test_write_bom (void)
{
  const char *fields[] = { "Grüße", "x" };
  g_autofree char *with = write_rows (0, KDX_CSV_WRITER_DEFAULT, fields, 2);
  g_autofree char *without = write_rows (0, KDX_CSV_WRITER_NO_BOM, fields, 2);
  g_autoptr(KdxCsvWriter) empty = kdx_csv_writer_new (NULL, ';', KDX_CSV_WRITER_DEFAULT);
  g_autoptr(GBytes) bytes = kdx_csv_writer_free_to_bytes (g_steal_pointer (&empty));

  g_assert_cmpstr (with, ==, BOM "Grüße,x\r\n");
  g_assert_cmpstr (without, ==, "Grüße,x\r\n");
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 3);
}

/* A row with text that is not UTF-8 is refused whole; the rows before and
 * after it are written. */
static void
test_write_invalid_utf8 (void)
{
  const char *good[] = { "a", "b" };
  const char *bad[] = { "ok", "M\xFCller" };
  g_autoptr(KdxCsvWriter) writer = kdx_csv_writer_new (NULL, ',', KDX_CSV_WRITER_NO_BOM);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (kdx_csv_writer_add_row (writer, good, 2, NULL, &error));
  g_assert_false (kdx_csv_writer_add_row (writer, bad, 2, NULL, &error));
  g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "Row 2, column 2: the text is not valid UTF-8");
  g_clear_error (&error);
  g_assert_true (kdx_csv_writer_add_row (writer, good, 2, NULL, &error));

  bytes = kdx_csv_writer_free_to_bytes (g_steal_pointer (&writer));
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "a,b\r\na,b\r\n", 10);
}

/* Only the first field of the file could be taken for Excel's "sep="
 * line: it is quoted, and the file reads back the same, whether or not
 * the delimiter is chosen. */
static void
test_write_sep_hint (void)
{
  const char *row[] = { "sep=,", "sep=," };
  const char *alone[] = { "sep=;" };
  KdxCsvOptions detect = { .allow_ragged = TRUE };
  KdxCsvOptions comma = { .delimiter = ',', .allow_ragged = TRUE };
  g_autoptr(KdxCsvWriter) writer = kdx_csv_writer_new (NULL, ',', KDX_CSV_WRITER_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (kdx_csv_writer_add_row (writer, alone, 1, NULL, &error));
  g_assert_true (kdx_csv_writer_add_row (writer, row, 2, NULL, &error));
  bytes = kdx_csv_writer_free_to_bytes (g_steal_pointer (&writer));
  {
    static const char expected[] = BOM "\"sep=;\"\r\n\"sep=,\",\"sep=,\"\r\n";

    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected,
                     sizeof expected - 1);
  }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KdxCsvTable) table = kdx_csv_read (bytes, i == 0 ? &detect : &comma, &error);
      g_autofree char *rows = NULL;

      g_assert_no_error (error);
      rows = dump_table (table);
      g_assert_cmpstr (rows, ==, "sep=;\nsep=,|sep=,");
    }
}

/* Through a stream, in blocks: the same bytes as in memory. A stream that
 * cannot be written gives an error. */
static void
test_write_stream (void)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(KdxCsvWriter) to_stream = kdx_csv_writer_new (stream, ';', KDX_CSV_WRITER_DEFAULT);
  g_autoptr(KdxCsvWriter) in_memory = kdx_csv_writer_new (NULL, ';', KDX_CSV_WRITER_DEFAULT);
  g_autoptr(GOutputStream) closed = g_memory_output_stream_new_resizable ();
  g_autoptr(KdxCsvWriter) failing = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GError) error = NULL;
  const char *row[] = { "Anna Alt", "=1+1", "Vertrieb; Innendienst" };

  for (guint i = 0; i < 20000; i++)
    {
      g_assert_true (kdx_csv_writer_add_row (to_stream, row, 3, NULL, &error));
      g_assert_true (kdx_csv_writer_add_row (in_memory, row, 3, NULL, &error));
    }
  /* Most of it is already out. */
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), >,
                    500000);
  g_assert_true (kdx_csv_writer_finish (to_stream, NULL, &error));
  g_assert_no_error (error);

  expected = kdx_csv_writer_free_to_bytes (g_steal_pointer (&in_memory));
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  written = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  g_assert_cmpuint (g_bytes_get_size (written), ==, 3 + 20000 * strlen ("Anna Alt;'=1+1;\"Vertrieb; Innendienst\"\r\n"));
  g_assert_true (g_bytes_equal (written, expected));

  g_output_stream_close (closed, NULL, NULL);
  failing = kdx_csv_writer_new (closed, ',', KDX_CSV_WRITER_DEFAULT);
  g_assert_true (kdx_csv_writer_add_row (failing, row, 3, NULL, &error));
  g_assert_false (kdx_csv_writer_finish (failing, NULL, &error));
  g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_IO);
}

/* ------------------------------------------------------------------ */
/* Round trip                                                         */

static char *
random_field (GRand *rand)
{
  static const char *pieces[] = {
    "\"", ",", ";", "\t", "\r", "\n", "\r\n", "=", "+", "-", "@", "'", " ", "a", "Z", "0",
    "ä", "ß", "€", "„", "“", "😀", "𝄞", "\"\"", "Müller, Hans", "=SUM(A1)", BOM,
  };
  guint n = g_rand_int_range (rand, 0, 9);
  GString *field = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (field, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

  return g_string_free (field, FALSE);
}

/* 10,000 random records through writer and reader (SAFETY.md "Round
 * trips"), for each delimiter, through a file; the reader detects the
 * delimiter. Equal apart from the ' before a formula character. */
static void
test_round_trip (void)
{
  static const char delimiters[] = { ',', ';', '\t' };
  g_autofree char *dir = kdx_test_make_dir ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  for (guint d = 0; d < G_N_ELEMENTS (delimiters); d++)
    {
      g_autofree char *path = g_strdup_printf ("%s/export-%u.csv", dir, d);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileOutputStream) stream = NULL;
      g_autoptr(KdxCsvWriter) writer = NULL;
      g_autoptr(KdxCsvTable) table = NULL;
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_autoptr(GError) error = NULL;
      guint n_columns = g_rand_int_range (rand, 2, 7);

      stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
      g_assert_no_error (error);
      writer = kdx_csv_writer_new (G_OUTPUT_STREAM (stream), delimiters[d],
                                   KDX_CSV_WRITER_DEFAULT);
      for (guint i = 0; i < 10000; i++)
        {
          char **fields = g_new0 (char *, n_columns + 1);

          for (guint j = 0; j < n_columns; j++)
            fields[j] = random_field (rand);
          g_assert_true (kdx_csv_writer_add_row (writer, (const char * const *) fields,
                                                 n_columns, NULL, &error));
          g_ptr_array_add (records, fields);
        }
      g_assert_true (kdx_csv_writer_finish (writer, NULL, &error));
      g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
      g_assert_no_error (error);

      table = kdx_csv_read_file (file, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (kdx_csv_table_get_delimiter (table), ==, delimiters[d]);
      g_assert_cmpuint (kdx_csv_table_get_n_rows (table), ==, 10000);
      g_assert_cmpuint (kdx_csv_table_get_n_columns (table), ==, n_columns);
      for (guint i = 0; i < 10000; i++)
        {
          char **fields = g_ptr_array_index (records, i);

          for (guint j = 0; j < n_columns; j++)
            {
              const char *f = fields[j];
              g_autofree char *expected = NULL;

              if (f[0] != '\0' && strchr ("=+-@\t\r", f[0]) != NULL)
                expected = g_strconcat ("'", f, NULL);
              else
                expected = g_strdup (f);
              g_assert_cmpstr (kdx_csv_table_get_field (table, i, j), ==, expected);
            }
        }
    }

  kdx_test_rm_rf (dir);
}

/* ------------------------------------------------------------------ */
/* Performance (-m perf)                                              */

/* A line of /proc/self/status in KiB: VmRSS (now) or VmHWM (the peak). */
static double
status_mib (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, key);
  g_assert_nonnull (line);

  return strtol (line + strlen (key), NULL, 10) / 1024.0;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);

  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
measure_read (GFile               *file,
              goffset              size,
              const KdxCsvOptions *options,
              guint                n_rows,
              const char          *what)
{
  g_autoptr(KdxCsvTable) table = NULL;
  g_autoptr(GError) error = NULL;
  double rss_before, cpu;
  gint64 start;
  int fd;

  /* Resets VmHWM, the peak, to the present. */
  fd = g_open ("/proc/self/clear_refs", O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "5", 1), ==, 1);
  close (fd);
  rss_before = status_mib ("VmRSS:");
  cpu = cpu_seconds ();
  start = g_get_monotonic_time ();

  table = kdx_csv_read_file (file, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kdx_csv_table_get_n_rows (table), ==, n_rows);

  cpu = cpu_seconds () - cpu;
  g_test_message ("read %s: %.2f s, %.2f s of CPU (%.0f MB per CPU second); "
                  "peak %.0f MiB = %.2f × the file, the table keeps %.0f MiB",
                  what, (g_get_monotonic_time () - start) / 1e6, cpu, size / 1e6 / cpu,
                  status_mib ("VmHWM:") - rss_before,
                  (status_mib ("VmHWM:") - rss_before) * 1024 * 1024 / size,
                  status_mib ("VmRSS:") - rss_before);
}

/* The same through KdxCsvReader, which keeps one record. */
static void
measure_stream (GFile               *file,
                goffset              size,
                const KdxCsvOptions *options,
                guint                n_rows,
                const char          *what)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(KdxCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  double rss_before, cpu;
  gint64 start;
  guint n = 0;
  int fd;

  fd = g_open ("/proc/self/clear_refs", O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "5", 1), ==, 1);
  close (fd);
  rss_before = status_mib ("VmRSS:");
  cpu = cpu_seconds ();
  start = g_get_monotonic_time ();

  stream = g_file_read (file, NULL, &error);
  g_assert_no_error (error);
  reader = kdx_csv_reader_new (G_INPUT_STREAM (stream), options, NULL, &error);
  g_assert_no_error (error);
  while (kdx_csv_reader_next (reader, NULL, &error))
    n++;
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_rows);

  cpu = cpu_seconds () - cpu;
  g_test_message ("stream %s: %.2f s, %.2f s of CPU (%.0f MB per CPU second); peak %.1f MiB",
                  what, (g_get_monotonic_time () - start) / 1e6, cpu, size / 1e6 / cpu,
                  status_mib ("VmHWM:") - rss_before);
}

/* About 200 MB: 1.6 million rows of 8 fields, some quoted, read as UTF-8
 * and, through iconv, as Windows-1252, by the table and by the stream
 * reader. The machine may be busy: CPU time says more than the clock. */
static void
test_perf_large (void)
{
  g_autofree char *dir = kdx_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "large.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(KdxCsvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  const guint n_rows = 1600000;
  KdxCsvOptions windows = { .encoding = "WINDOWS-1252" };
  double cpu;
  goffset size;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
  g_assert_no_error (error);
  /* Without a byte order mark, which would contradict Windows-1252. */
  writer = kdx_csv_writer_new (G_OUTPUT_STREAM (stream), ';', KDX_CSV_WRITER_NO_BOM);
  cpu = cpu_seconds ();
  for (guint i = 0; i < n_rows; i++)
    {
      char id[16], date[16];
      const char *row[8] = { id, "Anna Müller-Lüdenscheidt", "anna.mueller@example.org",
                             "Vertrieb; Innendienst", date, "abgeschlossen",
                             "Kurs \"KI-Grundlagen\"", "" };

      g_snprintf (id, sizeof id, "%u", i);
      g_snprintf (date, sizeof date, "2024-%02u-%02u", 1 + i % 12, 1 + i % 28);
      g_assert_true (kdx_csv_writer_add_row (writer, row, 8, NULL, &error));
    }
  g_assert_true (kdx_csv_writer_finish (writer, NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
  cpu = cpu_seconds () - cpu;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, &error);
  size = g_file_info_get_size (info);
  g_test_message ("file %.1f MB, %u rows × 8 fields", size / 1e6, n_rows);
  g_test_message ("write: %.2f s of CPU (%.0f MB per CPU second)", cpu, size / 1e6 / cpu);

  measure_read (file, size, NULL, n_rows, "UTF-8");
  measure_read (file, size, &windows, n_rows, "as Windows-1252");
  measure_stream (file, size, NULL, n_rows, "UTF-8");
  measure_stream (file, size, &windows, n_rows, "as Windows-1252");

  kdx_test_rm_rf (dir);
}

/* One test per row of a table of cases whose rows begin with their name. */
static void
add_cases (const char    *group,
           gconstpointer  cases,
           gsize          row_size,
           guint          n_rows,
           GTestDataFunc  func)
{
  for (guint i = 0; i < n_rows; i++)
    {
      gconstpointer row = (const char *) cases + i * row_size;
      g_autofree char *path = g_strdup_printf ("/kdx/csv/%s/%s", group,
                                               *(const char * const *) row);

      g_test_add_data_func (path, row, func);
    }
}

int
main (int    argc,
      char **argv)
{
  /* These tests need no GIO module. GLib 2.74 leaves the GIOModule of
   * dconf's GSettings backend unreferenced when a process loads modules
   * (its first GFile) without using GSettings, and LeakSanitizer would
   * report it. */
  g_setenv ("GIO_MODULE_DIR", "/nonexistent", TRUE);
  g_test_init (&argc, &argv, NULL);

  add_cases ("read", read_cases, sizeof read_cases[0], G_N_ELEMENTS (read_cases),
             test_read_case);
  g_test_add_func ("/kdx/csv/read/ragged-table", test_ragged_table);
  g_test_add_func ("/kdx/csv/read/big-field", test_big_field);
  g_test_add_func ("/kdx/csv/read/100k-columns", test_wide);
  g_test_add_func ("/kdx/csv/read/file", test_read_file);
  g_test_add_func ("/kdx/csv/encodings/same-rows", test_encodings);
  g_test_add_func ("/kdx/csv/encodings/cp1252-undefined", test_cp1252_undefined);
  g_test_add_func ("/kdx/csv/encodings/sep-hint", test_sep_hint_encodings);
  g_test_add_func ("/kdx/csv/stream/chunk-boundaries", test_stream_chunk_boundaries);
  g_test_add_func ("/kdx/csv/stream/large", test_stream_large);
  g_test_add_func ("/kdx/csv/stream/long-record-late", test_stream_long_record_late);
  g_test_add_func ("/kdx/csv/stream/errors", test_stream_errors);

  add_cases ("write", write_cases, sizeof write_cases[0], G_N_ELEMENTS (write_cases),
             test_write_case);
  g_test_add_func ("/kdx/csv/write/bom", test_write_bom);
  g_test_add_func ("/kdx/csv/write/invalid-utf8", test_write_invalid_utf8);
  g_test_add_func ("/kdx/csv/write/sep-hint", test_write_sep_hint);
  g_test_add_func ("/kdx/csv/write/stream", test_write_stream);
  g_test_add_func ("/kdx/csv/round-trip", test_round_trip);

  if (g_test_perf ())
    g_test_add_func ("/kdx/csv/perf/large", test_perf_large);

  return g_test_run ();
}
