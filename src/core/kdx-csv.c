/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV in and out (DESIGN §6, SAFETY.md "Input").
 *
 * A file is read whole, in three steps:
 * 1. decode: a byte order mark or the caller's choice names the encoding.
 *    UTF-8 is validated where it lies; anything else is converted with
 *    iconv. At the first byte that is not text the text is cut, the parser
 *    runs up to there, and the error names the line and field it reached.
 * 2. detect the delimiter on the first records, when it is not chosen;
 * 3. parse in place: each field is written back into the buffer it is
 *    read from, ended by a NUL, so that a table is that buffer plus one
 *    32-bit offset per field. Writing never overtakes reading, because
 *    every field gives up at least one byte (its delimiter, its line end
 *    or its quotes), except the last field of a file without a final line
 *    end, which uses the spare byte every buffer has after its end.
 */
#define G_LOG_DOMAIN "kdx-csv"

#include "config.h"

#include "kdx-csv.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* How much of a file the delimiter is detected on. */
#define SNIFF_BYTES (64 * 1024)
#define SNIFF_ROWS  100

/* A writer on a stream writes in blocks of about this size. */
#define WRITER_BLOCK (64 * 1024)

#define UTF8_BOM "\xEF\xBB\xBF"

struct _KdxCsvTable
{
  gatomicrefcount  ref_count;
  char            *text;        /* the fields, each ended by a NUL */
  guint32         *offsets;     /* where each field starts in text */
  guint32         *row_starts;  /* n_rows + 1 indices into offsets */
  guint32         *lines;       /* the physical line where each row starts */
  guint            n_rows;
  guint            n_columns;
  char            *encoding;
  char             delimiter;
};

struct _KdxCsvWriter
{
  GOutputStream *stream;
  GString       *buffer;
  char           delimiter;
  guint          n_rows;
};

/* One run of the parser over a text. */
typedef struct
{
  char      delimiter;
  gboolean  allow_ragged;
  /* The text is only the beginning of the file (a sample, or the part
   * before a byte that is not text): at its end the parser stops without
   * complaint and drops the unfinished row. */
  gboolean  is_prefix;
  guint     max_rows;       /* 0: all */

  GArray   *offsets;        /* guint32 */
  GArray   *row_starts;     /* guint32 */
  GArray   *lines;          /* guint32 */
  guint     n_columns;
  guint     n_bare_quotes;  /* quotes inside unquoted fields */
  guint     end_line;       /* where a prefix ended */
  guint     end_column;
  gsize     n_written;
} Parser;

G_DEFINE_QUARK (kdx-csv-error-quark, kdx_csv_error)

G_DEFINE_BOXED_TYPE (KdxCsvTable, kdx_csv_table, kdx_csv_table_ref, kdx_csv_table_unref)

/* ------------------------------------------------------------------ */
/* Parsing                                                            */

/* Takes @io_error: a cancellation stays what it is, so that a job sees
 * it; anything else becomes KDX_CSV_ERROR_IO. */
static void
set_io_error (GError   **error,
              GError    *io_error,
              gboolean   writing)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, io_error);
      return;
    }

  if (writing)
    g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_IO,
                 _("The CSV file cannot be written: %s"), io_error->message);
  else
    g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_IO,
                 _("The CSV file cannot be read: %s"), io_error->message);
  g_error_free (io_error);
}

static gboolean
is_delimiter (char c)
{
  return c == ',' || c == ';' || c == '\t';
}

static gboolean
options_are_valid (const KdxCsvOptions *options)
{
  return options == NULL || options->delimiter == 0 || is_delimiter (options->delimiter);
}

static void
parser_init (Parser   *p,
             char      delimiter,
             gboolean  allow_ragged,
             gboolean  is_prefix,
             guint     max_rows)
{
  memset (p, 0, sizeof *p);
  p->delimiter = delimiter;
  p->allow_ragged = allow_ragged;
  p->is_prefix = is_prefix;
  p->max_rows = max_rows;
  p->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  p->row_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  p->lines = g_array_new (FALSE, FALSE, sizeof (guint32));
  p->end_line = 1;
  p->end_column = 1;
}

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->offsets, g_array_unref);
  g_clear_pointer (&p->row_starts, g_array_unref);
  g_clear_pointer (&p->lines, g_array_unref);
}

static void
set_nul_error (GError **error,
               guint    line,
               guint    column)
{
  g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_NUL,
               /* Translators: "column" is the number of the field in its row. */
               _("Line %u, column %u: the file contains a zero byte (NUL). It is not a text "
                 "file, or it is UTF-16 without a byte order mark."),
               line, column);
}

/* Reads the records of @src (@len bytes, UTF-8) and writes their fields
 * to @dst, which is @src itself or lies before it in the same buffer, and
 * has room for one byte more than @src. */
static gboolean
parse (Parser      *p,
       const char  *src,
       gsize        len,
       char        *dst,
       GError     **error)
{
  guint8 stops[256] = { 0 };
  gsize r = 0;
  gsize w = 0;
  guint line = 1;
  guint column = 0;
  guint32 first = 0;

  g_assert (dst <= src);
  g_assert (len < G_MAXUINT32);

  stops[(guchar) p->delimiter] = 1;
  stops['"'] = stops['\r'] = stops['\n'] = stops['\0'] = 1;

  while (r < len && (p->max_rows == 0 || p->lines->len < p->max_rows))
    {
      guint32 record_line = line;

      /* A blank line is no record. */
      if (src[r] == '\r' || src[r] == '\n')
        {
          r += (src[r] == '\r' && r + 1 < len && src[r + 1] == '\n') ? 2 : 1;
          line++;
          continue;
        }

      first = p->offsets->len;
      column = 0;

      for (;;)
        {
          guint32 start = (guint32) w;
          char end;

          column++;

          if (r < len && src[r] == '"')
            {
              guint quote_line = line;
              gboolean after_cr = FALSE;

              for (r++;; r++)
                {
                  char c;

                  if (r == len)
                    {
                      if (p->is_prefix)
                        goto stopped;
                      g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_UNTERMINATED_QUOTE,
                                   _("Line %u, column %u: a quoted field is not closed"),
                                   quote_line, column);
                      return FALSE;
                    }

                  c = src[r];
                  if (c == '"')
                    {
                      if (r + 1 == len || src[r + 1] != '"')
                        break;
                      r++;
                    }
                  else if (c == '\0')
                    {
                      set_nul_error (error, line, column);
                      return FALSE;
                    }
                  else if (c == '\r' || (c == '\n' && !after_cr))
                    line++;

                  after_cr = c == '\r';
                  dst[w++] = c;
                }
              r++;

              if (r < len && src[r] != p->delimiter && src[r] != '\r' && src[r] != '\n')
                {
                  if (src[r] == '\0')
                    set_nul_error (error, line, column);
                  else
                    g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_QUOTE,
                                 _("Line %u, column %u: text follows the closing quote of a "
                                   "quoted field"),
                                 line, column);
                  return FALSE;
                }
            }
          else
            {
              for (;;)
                {
                  while (r < len && !stops[(guchar) src[r]])
                    dst[w++] = src[r++];
                  if (r == len || src[r] != '"')
                    break;
                  p->n_bare_quotes++;
                  dst[w++] = src[r++];
                }

              if (r < len && src[r] == '\0')
                {
                  set_nul_error (error, line, column);
                  return FALSE;
                }
            }

          if (r == len && p->is_prefix)
            goto stopped;

          /* What ended the field, read before its NUL may overwrite it. */
          end = r < len ? src[r] : '\0';
          dst[w++] = '\0';
          g_array_append_val (p->offsets, start);

          if (!p->allow_ragged && p->lines->len > 0 && column > p->n_columns)
            {
              g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_RAGGED,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "Line %u, column %u: the row has more fields than "
                                        "the first row, which has %u column",
                                        "Line %u, column %u: the row has more fields than "
                                        "the first row, which has %u columns",
                                        p->n_columns),
                           record_line, column, p->n_columns);
              return FALSE;
            }

          if (end == p->delimiter)
            {
              r++;
              continue;
            }
          if (end == '\r' || end == '\n')
            {
              r++;
              if (end == '\r' && r < len && src[r] == '\n')
                r++;
              line++;
            }
          break;
        }

      if (p->lines->len == 0)
        p->n_columns = column;
      else if (column < p->n_columns && !p->allow_ragged)
        {
          g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_RAGGED,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Line %u, column %u: the field is missing; the first row "
                                    "has %u column",
                                    "Line %u, column %u: the field is missing; the first row "
                                    "has %u columns",
                                    p->n_columns),
                       record_line, column + 1, p->n_columns);
          return FALSE;
        }
      else
        p->n_columns = MAX (p->n_columns, column);

      g_array_append_val (p->row_starts, first);
      g_array_append_val (p->lines, record_line);
    }

  p->end_line = line;
  p->n_written = w;

  return TRUE;

stopped:
  /* The unfinished row of a prefix is dropped. */
  g_array_set_size (p->offsets, first);
  p->end_line = line;
  p->end_column = column;
  p->n_written = w;

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Detecting the delimiter                                            */

typedef struct
{
  gboolean valid;        /* no quoting error */
  guint    bare_quotes;  /* quotes inside unquoted fields: a sign of the wrong delimiter */
  gboolean splits;       /* some row has more than one field */
  guint    matching;     /* rows with as many fields as the first */
  guint    n_rows;
} Sniff;

/* Whether @a says more clearly than @b that its delimiter is the one. */
static gboolean
sniff_is_better (const Sniff *a,
                 const Sniff *b)
{
  if (a->valid != b->valid)
    return a->valid;
  if (a->bare_quotes != b->bare_quotes)
    return a->bare_quotes < b->bare_quotes;
  if (a->splits != b->splits)
    return a->splits;

  /* The greater share of rows as wide as the first. */
  return (guint64) a->matching * MAX (b->n_rows, 1) > (guint64) b->matching * MAX (a->n_rows, 1);
}

/* Parses the first @sample_len bytes of @text with each candidate; see
 * detect_delimiter(). */
static char
sniff_sample (const char *text,
              gsize       len,
              gsize       sample_len,
              guint      *most_rows)
{
  static const char candidates[] = { '\t', ';', ',' };
  g_autofree char *sample = g_malloc (sample_len + 1);
  Sniff best = { 0 };
  char best_delimiter = ',';

  *most_rows = 0;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      Parser p;
      Sniff s = { 0 };
      guint32 n_fields;

      memcpy (sample, text, sample_len);
      parser_init (&p, candidates[i], TRUE, sample_len < len, SNIFF_ROWS);
      s.valid = parse (&p, sample, sample_len, sample, NULL);
      s.bare_quotes = p.n_bare_quotes;
      s.n_rows = p.lines->len;
      *most_rows = MAX (*most_rows, s.n_rows);

      n_fields = p.offsets->len;
      g_array_append_val (p.row_starts, n_fields);
      for (guint row = 0; row < s.n_rows; row++)
        {
          const guint32 *starts = (const guint32 *) p.row_starts->data;
          guint width = starts[row + 1] - starts[row];

          s.splits |= width > 1;
          s.matching += width == starts[1] - starts[0];
        }
      parser_clear (&p);

      if (s.splits && (!best.splits || sniff_is_better (&s, &best)))
        {
          best = s;
          best_delimiter = candidates[i];
        }
    }

  return best_delimiter;
}

/* Parses the first records of @text with each candidate. A candidate
 * wins that causes no quoting trouble, splits rows into several fields,
 * and gives most rows as many fields as the first; when that does not
 * decide, a tab wins over ';', and ';' over ','. A text that no
 * candidate splits has a single column, and ',' is reported. When the
 * sample holds no whole row (a very wide header, a huge field) it grows. */
static char
detect_delimiter (const char *text,
                  gsize       len)
{
  gsize sample_len = MIN (len, SNIFF_BYTES);

  for (;;)
    {
      guint most_rows = 0;
      char delimiter = sniff_sample (text, len, sample_len, &most_rows);

      if (most_rows > 0 || sample_len == len)
        return delimiter;
      sample_len = len / 4 < sample_len ? len : sample_len * 4;
    }
}

/* ------------------------------------------------------------------ */
/* Decoding                                                           */

/* The encoding a byte order mark names; UTF-8 without one. */
static const char *
encoding_from_bom (const char *data,
                   gsize       len)
{
  if (len >= 2 && memcmp (data, "\xFF\xFE", 2) == 0)
    return "UTF-16LE";
  if (len >= 2 && memcmp (data, "\xFE\xFF", 2) == 0)
    return "UTF-16BE";

  return "UTF-8";
}

/* The usual spelling of the encodings Kodex knows by name; any other name
 * is passed to iconv as it is. */
static char *
canonical_encoding (const char *name)
{
  static const struct
  {
    const char *key;
    const char *name;
  } known[] = {
    { "UTF8", "UTF-8" },
    { "UTF16LE", "UTF-16LE" },
    { "UTF16BE", "UTF-16BE" },
    { "WINDOWS1252", "WINDOWS-1252" },
    { "CP1252", "WINDOWS-1252" },
  };
  g_autoptr(GString) key = g_string_new (NULL);

  for (const char *c = name; *c != '\0'; c++)
    if (*c != '-' && *c != '_')
      g_string_append_c (key, g_ascii_toupper (*c));

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (key->str, known[i].key))
      return g_strdup (known[i].name);

  return g_strdup (name);
}

/* A decoded text starts after its byte order mark, whatever the encoding
 * was. */
static gsize
bom_length (const char *text,
            gsize       len)
{
  return len >= 3 && memcmp (text, UTF8_BOM, 3) == 0 ? 3 : 0;
}

/* g_utf8_validate_len(), with a quick way over ASCII (most of a CSV file):
 * eight bytes at a time while none has its high bit set or is NUL. */
static gboolean
validate_utf8 (const char  *data,
               gsize        len,
               const char **end)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const char *p = data;
  const char *stop = data + len;

  while (p < stop)
    {
      const char *chunk_end;

      for (; stop - p >= 8; p += 8)
        {
          guint64 word;

          memcpy (&word, p, 8);
          if ((word & high) != 0 || ((word - ones) & ~word & high) != 0)
            break;
        }

      /* The rest of the way up to 64 bytes on, and to the end of the
       * character there, the careful way. */
      chunk_end = p + MIN ((gsize) (stop - p), 64);
      while (chunk_end < stop && ((guchar) *chunk_end & 0xC0) == 0x80)
        chunk_end++;
      if (!g_utf8_validate_len (p, chunk_end - p, end))
        return FALSE;
      p = chunk_end;
    }

  *end = stop;

  return TRUE;
}

/* Parses @src into @dst (see parse()) with the caller's options,
 * detecting the delimiter when they do not name it. */
static gboolean
parse_text (Parser               *p,
            const char           *src,
            gsize                 len,
            char                 *dst,
            const KdxCsvOptions  *options,
            gboolean              is_prefix,
            GError              **error)
{
  char delimiter = options != NULL ? options->delimiter : 0;

  if (delimiter == 0)
    delimiter = detect_delimiter (src, len);
  parser_init (p, delimiter, options != NULL && options->allow_ragged, is_prefix, 0);

  return parse (p, src, len, dst, error);
}

/* The text ends before @bad_byte, which is not text in @encoding (or is a
 * NUL, which g_utf8_validate() stops at): the error names the line and
 * field where the parser stopped, or an earlier problem, when there is
 * one. @prefix is the text before that byte, decoded. */
static void
set_encoding_error (const char           *prefix,
                    gsize                 prefix_len,
                    guint8                bad_byte,
                    const char           *encoding,
                    gboolean              chosen,
                    const KdxCsvOptions  *options,
                    GError              **error)
{
  gsize skip = bom_length (prefix, prefix_len);
  g_autofree char *copy = g_malloc (prefix_len + 1);
  Parser p;

  memcpy (copy, prefix, prefix_len);
  if (!parse_text (&p, copy + skip, prefix_len - skip, copy, options, TRUE, error))
    {
      parser_clear (&p);
      return;
    }

  if (bad_byte == 0 && g_str_equal (encoding, "UTF-8"))
    set_nul_error (error, p.end_line, p.end_column);
  else if (!chosen && g_str_equal (encoding, "UTF-8"))
    g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING,
                 _("Line %u, column %u: the file is not UTF-8 (byte 0x%02X). Choose its "
                   "encoding, for example Windows-1252."),
                 p.end_line, p.end_column, bad_byte);
  else
    g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING,
                 /* Translators: the last %s is the name of an encoding, e.g. WINDOWS-1252. */
                 _("Line %u, column %u: the byte 0x%02X is not valid in the encoding %s"),
                 p.end_line, p.end_column, bad_byte, encoding);
  parser_clear (&p);
}

static void
set_too_large_error (GError **error)
{
  g_autofree char *limit = g_format_size (G_MAXUINT32);

  g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_TOO_LARGE,
               _("The file is too large to be read; a CSV file may hold up to %s of text"),
               limit);
}

static void *
steal_array (GArray *array)
{
  gsize n = 0;
  void *data = g_array_steal (array, &n);

  /* A GArray keeps room to grow; the table keeps what it uses. */
  return g_realloc (data, MAX (n, 1) * g_array_get_element_size (array));
}

/* Decodes and parses @len bytes at @data. @owned is NULL or @data itself,
 * allocated with a byte to spare after it, and is then taken. */
static KdxCsvTable *
read_data (const char           *data,
           gsize                 len,
           char                 *owned,
           const KdxCsvOptions  *options,
           GError              **error)
{
  g_autofree char *buffer = owned;
  g_autofree char *encoding = NULL;
  gboolean chosen = options != NULL && options->encoding != NULL;
  const char *text;
  gsize text_len;
  gsize skip;
  KdxCsvTable *table;
  guint32 n_fields;
  Parser p;

  if (len >= G_MAXUINT32)
    {
      set_too_large_error (error);
      return NULL;
    }

  encoding = chosen ? canonical_encoding (options->encoding)
                    : g_strdup (encoding_from_bom (data, len));

  if (g_str_equal (encoding, "UTF-8"))
    {
      const char *end = NULL;

      if (!validate_utf8 (data, len, &end))
        {
          set_encoding_error (data, end - data, *end, encoding, chosen, options, error);
          return NULL;
        }
      if (buffer == NULL)
        {
          buffer = g_malloc (len + 1);
          memcpy (buffer, data, len);
        }
      text = buffer;
      text_len = len;
    }
  else
    {
      g_autoptr(GError) convert_error = NULL;
      gsize n_read = 0;
      gsize n_written = 0;
      char *converted = g_convert (data, len, "UTF-8", encoding, &n_read, &n_written,
                                   &convert_error);

      if (converted == NULL &&
          g_error_matches (convert_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
        {
          g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_UNKNOWN_ENCODING,
                       _("Kodex cannot read the encoding “%s”"), options->encoding);
          return NULL;
        }
      /* g_convert() stops without an error at an incomplete character at
       * the end. */
      if (converted != NULL && n_read < len)
        g_clear_pointer (&converted, g_free);
      if (converted == NULL)
        {
          /* iconv stopped at the first byte it could not read. */
          gsize bad = MIN (n_read, len > 0 ? len - 1 : 0);
          g_autofree char *prefix = g_convert (data, bad, "UTF-8", encoding, NULL, &n_written,
                                               NULL);

          set_encoding_error (prefix != NULL ? prefix : "", prefix != NULL ? n_written : 0,
                              len > 0 ? data[bad] : 0, encoding, chosen, options, error);
          return NULL;
        }

      /* The text is all there is now; a file read for it can go. */
      g_free (buffer);
      buffer = converted;
      text = buffer;
      text_len = n_written;
      if (text_len >= G_MAXUINT32)
        {
          set_too_large_error (error);
          return NULL;
        }
    }

  skip = bom_length (text, text_len);
  if (!parse_text (&p, text + skip, text_len - skip, buffer, options, FALSE, error))
    {
      parser_clear (&p);
      return NULL;
    }
  if (p.lines->len == 0)
    {
      g_set_error_literal (error, KDX_CSV_ERROR, KDX_CSV_ERROR_EMPTY,
                           _("The file contains no data"));
      parser_clear (&p);
      return NULL;
    }

  n_fields = p.offsets->len;
  g_array_append_val (p.row_starts, n_fields);

  table = g_new0 (KdxCsvTable, 1);
  g_atomic_ref_count_init (&table->ref_count);
  table->n_rows = p.lines->len;
  table->n_columns = p.n_columns;
  table->delimiter = p.delimiter;
  table->encoding = g_steal_pointer (&encoding);
  table->text = g_realloc (g_steal_pointer (&buffer), p.n_written);
  table->offsets = steal_array (p.offsets);
  table->row_starts = steal_array (p.row_starts);
  table->lines = steal_array (p.lines);
  parser_clear (&p);

  return table;
}

/* ------------------------------------------------------------------ */
/* Writing                                                            */

static gboolean
flush_writer (KdxCsvWriter  *self,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) write_error = NULL;
  gboolean ok;

  if (self->stream == NULL || self->buffer->len == 0)
    return TRUE;

  ok = g_output_stream_write_all (self->stream, self->buffer->str, self->buffer->len, NULL,
                                  cancellable, &write_error);
  g_string_truncate (self->buffer, 0);
  if (!ok)
    set_io_error (error, g_steal_pointer (&write_error), TRUE);

  return ok;
}

static void
append_field (GString    *out,
              const char *field,
              char        delimiter,
              gboolean    alone)
{
  gboolean guard = field[0] != '\0' && strchr ("=+-@\t\r", field[0]) != NULL;
  /* A lone empty field would make a blank line, which readers skip; a
   * field that begins with U+FEFF at the start of a file without a byte
   * order mark would be taken for one. */
  gboolean quote = (alone && field[0] == '\0') || g_str_has_prefix (field, UTF8_BOM);
  const char *c;

  for (c = field; *c != '\0' && !quote; c++)
    quote = *c == delimiter || *c == '"' || *c == '\r' || *c == '\n';

  if (quote)
    g_string_append_c (out, '"');
  if (guard)
    g_string_append_c (out, '\'');

  if (!quote)
    g_string_append (out, field);
  else
    {
      for (c = field; *c != '\0';)
        {
          const char *q = strchr (c, '"');

          if (q == NULL)
            {
              g_string_append (out, c);
              break;
            }
          g_string_append_len (out, c, q - c + 1);
          g_string_append_c (out, '"');
          c = q + 1;
        }
      g_string_append_c (out, '"');
    }
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

KdxCsvTable *
kdx_csv_read (GBytes               *bytes,
              const KdxCsvOptions  *options,
              GError              **error)
{
  const char *data;
  gsize len = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (options_are_valid (options), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);

  return read_data (data != NULL ? data : "", len, NULL, options, error);
}

KdxCsvTable *
kdx_csv_read_file (GFile                *file,
                   const KdxCsvOptions  *options,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) read_error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (options_are_valid (options), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &read_error);
  if (info != NULL && g_file_info_get_size (info) >= G_MAXUINT32)
    {
      set_too_large_error (error);
      return NULL;
    }

  /* The contents end with a NUL: the spare byte read_data() needs. */
  if (info == NULL ||
      !g_file_load_contents (file, cancellable, &contents, &len, NULL, &read_error))
    {
      set_io_error (error, g_steal_pointer (&read_error), FALSE);
      return NULL;
    }

  return read_data (contents, len, contents, options, error);
}

KdxCsvTable *
kdx_csv_table_ref (KdxCsvTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
kdx_csv_table_unref (KdxCsvTable *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->text);
  g_free (self->offsets);
  g_free (self->row_starts);
  g_free (self->lines);
  g_free (self->encoding);
  g_free (self);
}

guint
kdx_csv_table_get_n_rows (KdxCsvTable *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_rows;
}

guint
kdx_csv_table_get_n_columns (KdxCsvTable *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_columns;
}

guint
kdx_csv_table_get_row_length (KdxCsvTable *self,
                              guint        row)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < self->n_rows, 0);

  return self->row_starts[row + 1] - self->row_starts[row];
}

const char *
kdx_csv_table_get_field (KdxCsvTable *self,
                         guint        row,
                         guint        column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->n_rows, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  if (column >= self->row_starts[row + 1] - self->row_starts[row])
    return NULL;

  return self->text + self->offsets[self->row_starts[row] + column];
}

guint
kdx_csv_table_get_line (KdxCsvTable *self,
                        guint        row)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < self->n_rows, 0);

  return self->lines[row];
}

const char *
kdx_csv_table_get_encoding (KdxCsvTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->encoding;
}

char
kdx_csv_table_get_delimiter (KdxCsvTable *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->delimiter;
}

KdxCsvWriter *
kdx_csv_writer_new (GOutputStream     *stream,
                    char               delimiter,
                    KdxCsvWriterFlags  flags)
{
  KdxCsvWriter *self;

  g_return_val_if_fail (stream == NULL || G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (delimiter == 0 || is_delimiter (delimiter), NULL);

  self = g_new0 (KdxCsvWriter, 1);
  self->stream = stream != NULL ? g_object_ref (stream) : NULL;
  self->buffer = g_string_sized_new (stream != NULL ? WRITER_BLOCK * 2 : 4096);
  self->delimiter = delimiter != 0 ? delimiter : ',';
  if ((flags & KDX_CSV_WRITER_NO_BOM) == 0)
    g_string_append (self->buffer, UTF8_BOM);

  return self;
}

gboolean
kdx_csv_writer_add_row (KdxCsvWriter        *self,
                        const char * const  *fields,
                        guint                n_fields,
                        GCancellable        *cancellable,
                        GError             **error)
{
  gsize row_start;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (n_fields > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  row_start = self->buffer->len;
  for (guint i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";

      if (!g_utf8_validate (field, -1, NULL))
        {
          g_string_truncate (self->buffer, row_start);
          g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING,
                       _("Row %u, column %u: the text is not valid UTF-8"),
                       self->n_rows + 1, i + 1);
          return FALSE;
        }
      if (i > 0)
        g_string_append_c (self->buffer, self->delimiter);
      append_field (self->buffer, field, self->delimiter, n_fields == 1);
    }
  g_string_append (self->buffer, "\r\n");
  self->n_rows++;

  if (self->buffer->len >= WRITER_BLOCK)
    return flush_writer (self, cancellable, error);

  return TRUE;
}

gboolean
kdx_csv_writer_finish (KdxCsvWriter  *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return flush_writer (self, cancellable, error);
}

GBytes *
kdx_csv_writer_free_to_bytes (KdxCsvWriter *self)
{
  GBytes *bytes;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->stream == NULL, NULL);

  bytes = g_string_free_to_bytes (self->buffer);
  g_free (self);

  return bytes;
}

void
kdx_csv_writer_free (KdxCsvWriter *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_string_free (self->buffer, TRUE);
  g_free (self);
}
