/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV in and out (DESIGN §6, SAFETY.md "Input").
 *
 * Both readers, the table (kdx_csv_read) and the stream (KdxCsvReader),
 * are one Reader: what differs is only whether the records it finds stay
 * (a table) or each makes room for the next (a stream). A Reader is three
 * stages:
 * 1. Decoder: bytes from a GInputStream, in blocks, to UTF-8 text. A byte
 *    order mark or the caller's choice names the encoding. UTF-8 is
 *    validated where it lies; anything else goes through iconv. A
 *    character cut by the end of a block waits for the next one. At the
 *    first byte that is not text (or a NUL in UTF-8) the text ends there,
 *    and the parser reports it where it got to.
 * 2. The sample: the first 64 KiB of text, on which the delimiter is
 *    detected when it is not chosen (more when no whole row fits in).
 *    A first line "sep=X", Excel's hint, names it instead and is no
 *    record.
 * 3. Parser: a state machine that takes text in pieces of any size and
 *    writes the fields of the records, each ended by a NUL, to one
 *    buffer, so that a record (or a table) is that buffer plus one 32-bit
 *    offset per field. Its state between pieces says everything a piece
 *    boundary could cut: a CR that an LF may follow, a quote that may be
 *    the first of "", a line end inside a quoted field.
 */
#define G_LOG_DOMAIN "kdx-csv"

#include "config.h"

#include "kdx-csv.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* How much of a file the delimiter is detected on. */
#define SNIFF_BYTES (64 * 1024)
#define SNIFF_ROWS  100

/* Bytes read from the input at a time, and the room for what iconv makes
 * of them (when that is full, it goes on at the next call). */
#define RAW_SIZE       (64 * 1024)
#define CONVERTED_SIZE (64 * 1024)

/* A writer on a stream writes in blocks of about this size. */
#define WRITER_BLOCK (64 * 1024)

#define UTF8_BOM "\xEF\xBB\xBF"

/* Excel's first line that names the delimiter: "sep=", one character
 * (of up to four bytes of UTF-8), a line end. */
#define SEP_HINT     "sep="
#define SEP_HINT_MAX (4 + 4 + 1)

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

/* What the decoder gives. */
typedef enum
{
  DECODE_TEXT,    /* a piece of text */
  DECODE_END,     /* the input has ended */
  DECODE_BAD,     /* a byte that is not text in the encoding (or a NUL in UTF-8) */
  DECODE_FAILED,  /* the input cannot be read: error set */
} DecodeStatus;

typedef struct
{
  GInputStream *stream;
  char         *encoding;     /* the canonical name */
  gboolean      chosen;       /* by the caller, not by a byte order mark */
  GIConv        iconv;        /* (GIConv) -1 for UTF-8 */
  char         *raw;          /* RAW_SIZE bytes read */
  gsize         raw_len;
  gsize         raw_pos;      /* decoded up to here */
  gboolean      eof;
  gboolean      flushed;      /* iconv has been told the input ended */
  char         *converted;    /* CONVERTED_SIZE bytes of iconv's output */
  guint64       offset;       /* input bytes decoded */
  guint8        bad_byte;
} Decoder;

typedef enum
{
  STATE_RECORD,    /* between records, where blank lines are skipped */
  STATE_AFTER_CR,  /* the same, just after a CR, which an LF may complete */
  STATE_FIELD,     /* at the start of a field, whose number is counted */
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTE,     /* a quote in a quoted field: its end, or the first of "" */
} ParserState;

typedef enum
{
  PARSE_MORE,      /* the piece of text is used up */
  PARSE_RECORD,    /* a record is complete */
  PARSE_DONE,      /* no more records */
  PARSE_ERROR,
} ParseStatus;

typedef struct
{
  char         delimiter;
  gboolean     allow_ragged;
  /* Records stay in the buffer (a table) rather than each making room for
   * the next one (a stream). */
  gboolean     keep;
  guint8       stops[256];         /* what ends a run of an unquoted field */
  guint8       quoted_stops[256];  /* the same in a quoted field */

  ParserState  state;
  gboolean     after_cr;      /* in a quoted field: the last character was a CR */
  guint        line;          /* 1-based, physical */
  guint        column;        /* the number of the field being read */
  guint        record_line;   /* where the record being read started */
  guint        quote_line;    /* where the quote of the field being read opened */
  guint        n_records;
  guint        n_columns;
  guint        n_bare_quotes; /* quotes inside unquoted fields */

  char        *out;           /* fields, each ended by a NUL */
  gsize        out_len;
  gsize        out_size;
  guint32     *offsets;       /* where each field starts in out */
  gsize        n_offsets;
  gsize        offsets_size;
  gsize        record_first;  /* the first field of the record being read in offsets */
  gsize        field_start;   /* where the field being read starts in out */
} Parser;

/* Decoder, sample and parser: what both readers are. */
typedef struct
{
  Decoder       decoder;
  Parser        parser;
  GByteArray   *sample;       /* text read before the parser could start */
  const char   *text;         /* the piece of text the parser is on */
  gsize         text_len;
  gsize         text_pos;
  DecodeStatus  end;          /* DECODE_TEXT until the text has ended */
  gboolean      finished;     /* no more records, or an error */
} Reader;

struct _KdxCsvReader
{
  Reader  reader;
  guint   n_records;
};

G_DEFINE_QUARK (kdx-csv-error-quark, kdx_csv_error)

G_DEFINE_BOXED_TYPE (KdxCsvTable, kdx_csv_table, kdx_csv_table_ref, kdx_csv_table_unref)

/* ------------------------------------------------------------------ */
/* Errors                                                             */

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

static void
set_too_large_error (GError **error)
{
  g_autofree char *limit = g_format_size (G_MAXUINT32);

  g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_TOO_LARGE,
               _("The file is too large to be read; a CSV file may hold up to %s of text"),
               limit);
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

/* ------------------------------------------------------------------ */
/* Parsing                                                            */

static void
parser_init (Parser   *p,
             char      delimiter,
             gboolean  allow_ragged,
             gboolean  keep,
             gsize     size_hint)
{
  memset (p, 0, sizeof *p);
  p->delimiter = delimiter;
  p->allow_ragged = allow_ragged;
  p->keep = keep;
  p->stops[(guchar) delimiter] = 1;
  p->stops['"'] = p->stops['\r'] = p->stops['\n'] = p->stops['\0'] = 1;
  p->quoted_stops['"'] = p->quoted_stops['\r'] = p->quoted_stops['\n'] = 1;
  p->quoted_stops['\0'] = 1;
  p->state = STATE_RECORD;
  p->line = 1;
  p->out_size = MAX (size_hint, 256);
  p->out = g_malloc (p->out_size);
  p->offsets_size = 64;
  p->offsets = g_new (guint32, p->offsets_size);
}

static void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->out, g_free);
  g_clear_pointer (&p->offsets, g_free);
}

/* Where a text that ends now has stopped the parser: the column is that
 * of the field being read, or 1 between records. */
static guint
parser_stop_column (const Parser *p)
{
  return p->state == STATE_RECORD || p->state == STATE_AFTER_CR ? 1 : p->column;
}

/* Ends the field being read at @w, the end of the output. */
static gboolean
parser_end_field (Parser  *p,
                  char    *w,
                  GError **error)
{
  *w = '\0';
  if (p->n_offsets == p->offsets_size)
    {
      p->offsets_size *= 2;
      p->offsets = g_renew (guint32, p->offsets, p->offsets_size);
    }
  p->offsets[p->n_offsets++] = (guint32) p->field_start;

  if (!p->allow_ragged && p->n_records > 0 && p->column > p->n_columns)
    {
      g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_RAGGED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Line %u, column %u: the row has more fields than "
                                "the first row, which has %u column",
                                "Line %u, column %u: the row has more fields than "
                                "the first row, which has %u columns",
                                p->n_columns),
                   p->record_line, p->column, p->n_columns);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parser_end_record (Parser  *p,
                   GError **error)
{
  if (p->n_records == 0)
    p->n_columns = p->column;
  else if (p->column < p->n_columns && !p->allow_ragged)
    {
      g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_RAGGED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Line %u, column %u: the field is missing; the first row "
                                "has %u column",
                                "Line %u, column %u: the field is missing; the first row "
                                "has %u columns",
                                p->n_columns),
                   p->record_line, p->column + 1, p->n_columns);
      return FALSE;
    }
  else
    p->n_columns = MAX (p->n_columns, p->column);

  p->n_records++;

  return TRUE;
}

/* A stream's next record takes the place of the last one. */
static void
parser_forget_record (Parser *p)
{
  if (p->keep)
    return;

  g_assert (p->state == STATE_RECORD || p->state == STATE_AFTER_CR);
  p->out_len = 0;
  p->n_offsets = 0;
}

/* Reads @len bytes of text at @text, up to the end of the next record at
 * most; *@consumed says how far. The fields go to the output, which
 * first gets room for all of @text: every field gives up a byte of text
 * (its delimiter, its line end or its quotes) for its NUL, except the
 * last of a text without a final line end, which takes the byte that is
 * always spare. */
static ParseStatus
parser_feed (Parser      *p,
             const char  *text,
             gsize        len,
             gsize       *consumed,
             GError     **error)
{
  const guchar *start = (const guchar *) text;
  const guchar *end = start + len;
  const guchar *s = start;
  char *w;

  if (p->out_size - p->out_len < len + 1)
    {
      if (p->out_len + len >= G_MAXUINT32)
        {
          set_too_large_error (error);
          return PARSE_ERROR;
        }
      p->out_size = MAX (p->out_size * 2, p->out_len + len + 1);
      p->out = g_realloc (p->out, p->out_size);
    }
  w = p->out + p->out_len;

  while (s < end)
    {
      guchar c;

      switch (p->state)
        {
        case STATE_AFTER_CR:
          p->state = STATE_RECORD;
          if (*s == '\n')
            {
              s++;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case STATE_RECORD:
          /* A blank line is no record. */
          if (*s == '\r' || *s == '\n')
            {
              p->state = *s == '\r' ? STATE_AFTER_CR : STATE_RECORD;
              p->line++;
              s++;
              break;
            }
          p->record_line = p->line;
          p->record_first = p->n_offsets;
          p->column = 1;
          p->field_start = w - p->out;
          G_GNUC_FALLTHROUGH;

        case STATE_FIELD:
          if (*s == '"')
            {
              p->state = STATE_QUOTED;
              p->quote_line = p->line;
              p->after_cr = FALSE;
              s++;
              break;
            }
          p->state = STATE_UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case STATE_UNQUOTED:
          {
            const guchar *run = s;

            while (s < end && !p->stops[*s])
              s++;
            memcpy (w, run, s - run);
            w += s - run;
          }
          if (s == end)
            break;

          c = *s;
          if (c == '"')
            {
              /* A quote inside an unquoted field is kept. */
              p->n_bare_quotes++;
              *w++ = '"';
              s++;
              break;
            }
          if (c == '\0')
            {
              set_nul_error (error, p->line, p->column);
              goto failed;
            }
          goto field_end;

        case STATE_QUOTED:
          {
            const guchar *run = s;

            while (s < end && !p->quoted_stops[*s])
              s++;
            if (s > run)
              {
                memcpy (w, run, s - run);
                w += s - run;
                p->after_cr = FALSE;
              }
          }
          if (s == end)
            break;

          c = *s++;
          if (c == '"')
            p->state = STATE_QUOTE;
          else if (c == '\0')
            {
              set_nul_error (error, p->line, p->column);
              goto failed;
            }
          else
            {
              /* Line ends are kept as they are; CR LF is one line. */
              if (c == '\r' || !p->after_cr)
                p->line++;
              p->after_cr = c == '\r';
              *w++ = (char) c;
            }
          break;

        case STATE_QUOTE:
          c = *s;
          if (c == '"')
            {
              *w++ = '"';
              p->after_cr = FALSE;
              p->state = STATE_QUOTED;
              s++;
              break;
            }
          if (c == (guchar) p->delimiter || c == '\r' || c == '\n')
            goto field_end;
          if (c == '\0')
            set_nul_error (error, p->line, p->column);
          else
            g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_QUOTE,
                         _("Line %u, column %u: text follows the closing quote of a "
                           "quoted field"),
                         p->line, p->column);
          goto failed;

        default:
          g_assert_not_reached ();
        }
      continue;

    field_end:
      /* @c, the delimiter or a line end at @s, ends the field. */
      s++;
      if (!parser_end_field (p, w++, error))
        goto failed;
      if (c == (guchar) p->delimiter)
        {
          p->column++;
          p->field_start = w - p->out;
          p->state = STATE_FIELD;
          continue;
        }
      p->line++;
      p->state = c == '\r' ? STATE_AFTER_CR : STATE_RECORD;
      if (!parser_end_record (p, error))
        goto failed;
      p->out_len = w - p->out;
      *consumed = s - start;
      return PARSE_RECORD;
    }

  p->out_len = w - p->out;
  *consumed = len;
  return PARSE_MORE;

failed:
  p->out_len = w - p->out;
  *consumed = s - start;
  return PARSE_ERROR;
}

/* The text has ended (no more pieces): the record being read ends too. */
static ParseStatus
parser_finish (Parser  *p,
               GError **error)
{
  char *w = p->out + p->out_len;

  switch (p->state)
    {
    case STATE_RECORD:
    case STATE_AFTER_CR:
      return PARSE_DONE;

    case STATE_QUOTED:
      g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_UNTERMINATED_QUOTE,
                   _("Line %u, column %u: a quoted field is not closed"),
                   p->quote_line, p->column);
      return PARSE_ERROR;

    case STATE_FIELD:
    case STATE_UNQUOTED:
    case STATE_QUOTE:
      /* parser_feed() left room for this NUL. */
      g_assert (p->out_len < p->out_size);
      p->state = STATE_RECORD;
      if (!parser_end_field (p, w, error) || !parser_end_record (p, error))
        return PARSE_ERROR;
      p->out_len++;
      return PARSE_RECORD;

    default:
      g_assert_not_reached ();
    }
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

/* Parses the first SNIFF_ROWS records of @sample with @delimiter. When
 * @is_prefix the text goes on after the sample, and a record it cuts is
 * not counted. */
static void
sniff_one (const char *sample,
           gsize       len,
           gboolean    is_prefix,
           char        delimiter,
           Sniff      *s)
{
  Parser p;
  gsize pos = 0;
  guint first_width = 0;

  parser_init (&p, delimiter, TRUE, FALSE, 0);
  memset (s, 0, sizeof *s);
  s->valid = TRUE;

  while (s->n_rows < SNIFF_ROWS)
    {
      gsize consumed = 0;
      ParseStatus status;

      if (pos < len)
        {
          status = parser_feed (&p, sample + pos, len - pos, &consumed, NULL);
          pos += consumed;
        }
      else if (!is_prefix)
        status = parser_finish (&p, NULL);
      else
        break;

      if (status == PARSE_ERROR)
        {
          s->valid = FALSE;
          break;
        }
      if (status == PARSE_DONE)
        break;
      if (status == PARSE_RECORD)
        {
          if (s->n_rows == 0)
            first_width = p.column;
          s->splits |= p.column > 1;
          s->matching += p.column == first_width;
          s->n_rows++;
          parser_forget_record (&p);
        }
    }

  s->bare_quotes = p.n_bare_quotes;
  parser_clear (&p);
}

/* Parses the first records of @sample (the first @len bytes of a text
 * that goes on when @is_prefix) with each candidate. A candidate wins
 * that causes no quoting trouble, splits rows into several fields, and
 * gives most rows as many fields as the first; when that does not
 * decide, a tab wins over ';', and ';' over ','. A text that no
 * candidate splits has a single column, and ',' is reported. */
static char
sniff_sample (const char *sample,
              gsize       len,
              gboolean    is_prefix,
              guint      *most_rows)
{
  static const char candidates[] = { '\t', ';', ',' };
  Sniff best = { 0 };
  char best_delimiter = ',';

  *most_rows = 0;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      Sniff s;

      sniff_one (sample, len, is_prefix, candidates[i], &s);
      *most_rows = MAX (*most_rows, s.n_rows);

      if (s.splits && (!best.splits || sniff_is_better (&s, &best)))
        {
          best = s;
          best_delimiter = candidates[i];
        }
    }

  return best_delimiter;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                           */

/* The encoding a byte order mark names, or NULL. */
static const char *
encoding_from_bom (const char *data,
                   gsize       len)
{
  if (len >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    return "UTF-8";
  if (len >= 2 && memcmp (data, "\xFF\xFE", 2) == 0)
    return "UTF-16LE";
  if (len >= 2 && memcmp (data, "\xFE\xFF", 2) == 0)
    return "UTF-16BE";

  return NULL;
}

/* @name in capitals without '-' and '_'. */
static char *
encoding_key (const char *name)
{
  GString *key = g_string_new (NULL);

  for (const char *c = name; *c != '\0'; c++)
    if (*c != '-' && *c != '_')
      g_string_append_c (key, g_ascii_toupper (*c));

  return g_string_free (key, FALSE);
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
  g_autofree char *key = encoding_key (name);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (key, known[i].key))
      return g_strdup (known[i].name);

  return g_strdup (name);
}

/* Whether a file in the chosen @encoding cannot begin with the byte order
 * mark of @bom. Other Unicode forms ("UTF-16" of either order, UTF-32,
 * …) read their own marks, and one that begins like a UTF-16 mark is left
 * to iconv; a UTF-8 mark is never theirs. */
static gboolean
bom_contradicts (const char *encoding,
                 const char *bom)
{
  g_autofree char *key = NULL;

  if (g_str_equal (encoding, bom))
    return FALSE;
  if (g_str_equal (encoding, "UTF-8") || g_str_equal (encoding, "UTF-16LE") ||
      g_str_equal (encoding, "UTF-16BE"))
    return TRUE;

  key = encoding_key (encoding);
  if (g_str_has_prefix (key, "UTF") || g_str_has_prefix (key, "UCS"))
    return g_str_equal (bom, "UTF-8");

  return TRUE;
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

/* Reads more of the input after what is not decoded yet. */
static gboolean
decoder_fill (Decoder       *d,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) read_error = NULL;
  gssize n;

  if (d->raw_pos > 0)
    {
      memmove (d->raw, d->raw + d->raw_pos, d->raw_len - d->raw_pos);
      d->raw_len -= d->raw_pos;
      d->raw_pos = 0;
    }
  g_assert (d->raw_len < RAW_SIZE);

  n = g_input_stream_read (d->stream, d->raw + d->raw_len, RAW_SIZE - d->raw_len, cancellable,
                           &read_error);
  if (n < 0)
    {
      set_io_error (error, g_steal_pointer (&read_error), FALSE);
      return FALSE;
    }
  if (n == 0)
    d->eof = TRUE;
  d->raw_len += n;

  return TRUE;
}

/* Opens the decoder on @stream: reads the first bytes, which may be a
 * byte order mark. */
static gboolean
decoder_open (Decoder             *d,
              GInputStream        *stream,
              const KdxCsvOptions *options,
              GCancellable        *cancellable,
              GError             **error)
{
  const char *bom;

  memset (d, 0, sizeof *d);
  d->stream = g_object_ref (stream);
  d->iconv = (GIConv) -1;
  d->chosen = options != NULL && options->encoding != NULL;
  d->raw = g_malloc (RAW_SIZE);

  if (d->chosen)
    {
      d->encoding = canonical_encoding (options->encoding);
      if (!g_str_equal (d->encoding, "UTF-8"))
        {
          d->iconv = g_iconv_open ("UTF-8", d->encoding);
          if (d->iconv == (GIConv) -1)
            {
              g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_UNKNOWN_ENCODING,
                           _("Kodex cannot read the encoding “%s”"), options->encoding);
              return FALSE;
            }
        }
    }

  while (d->raw_len < 3 && !d->eof)
    if (!decoder_fill (d, cancellable, error))
      return FALSE;

  bom = encoding_from_bom (d->raw, d->raw_len);
  if (d->chosen)
    {
      if (bom != NULL && bom_contradicts (d->encoding, bom))
        {
          g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING,
                       /* Translators: the %s are names of encodings, e.g. UTF-16LE. */
                       _("Line 1, column 1: the file begins with the byte order mark of %s, "
                         "not of the chosen encoding %s"),
                       bom, d->encoding);
          return FALSE;
        }
    }
  else
    {
      d->encoding = g_strdup (bom != NULL ? bom : "UTF-8");
      if (!g_str_equal (d->encoding, "UTF-8"))
        {
          d->iconv = g_iconv_open ("UTF-8", d->encoding);
          g_assert (d->iconv != (GIConv) -1);
        }
    }

  if (d->iconv != (GIConv) -1)
    d->converted = g_malloc (CONVERTED_SIZE);

  return TRUE;
}

static void
decoder_clear (Decoder *d)
{
  g_clear_object (&d->stream);
  g_clear_pointer (&d->encoding, g_free);
  if (d->iconv != (GIConv) -1)
    g_iconv_close (d->iconv);
  d->iconv = (GIConv) -1;
  g_clear_pointer (&d->raw, g_free);
  g_clear_pointer (&d->converted, g_free);
}

/* The next piece of text. It lies in the decoder's buffers and stays
 * valid until the next call. */
static DecodeStatus
decoder_next (Decoder       *d,
              const char   **text,
              gsize         *len,
              GCancellable  *cancellable,
              GError       **error)
{
  for (;;)
    {
      gsize avail = d->raw_len - d->raw_pos;

      if (avail > 0 && d->iconv == (GIConv) -1)
        {
          const char *start = d->raw + d->raw_pos;
          const char *end = NULL;

          validate_utf8 (start, avail, &end);
          if (end > start)
            {
              *text = start;
              *len = end - start;
              d->raw_pos += *len;
              d->offset += *len;
              return DECODE_TEXT;
            }
          /* A character that the end of the block cuts waits for the
           * rest; it has at most four bytes. */
          if (d->eof || avail >= 4 || *start == '\0')
            {
              d->bad_byte = (guint8) *start;
              return DECODE_BAD;
            }
        }
      else if (avail > 0)
        {
          gchar *in = d->raw + d->raw_pos;
          gsize in_left = avail;
          gchar *out = d->converted;
          gsize out_left = CONVERTED_SIZE;
          gsize result = g_iconv (d->iconv, &in, &in_left, &out, &out_left);
          int saved_errno = errno;

          d->raw_pos += avail - in_left;
          d->offset += avail - in_left;
          if (out > d->converted)
            {
              /* A problem, if there was one, comes again next time. */
              *text = d->converted;
              *len = out - d->converted;
              return DECODE_TEXT;
            }
          /* Not EINVAL, a character that the end of the block cuts. */
          if (result == (gsize) -1 && (saved_errno != EINVAL || d->eof))
            {
              d->bad_byte = (guint8) d->raw[d->raw_pos];
              return DECODE_BAD;
            }
        }
      else if (d->eof)
        {
          if (d->iconv != (GIConv) -1 && !d->flushed)
            {
              gchar *out = d->converted;
              gsize out_left = CONVERTED_SIZE;

              /* What a stateful encoding still holds. */
              d->flushed = TRUE;
              g_iconv (d->iconv, NULL, NULL, &out, &out_left);
              if (out > d->converted)
                {
                  *text = d->converted;
                  *len = out - d->converted;
                  return DECODE_TEXT;
                }
            }
          return DECODE_END;
        }

      if (d->eof && d->raw_pos == d->raw_len)
        continue;
      if (!decoder_fill (d, cancellable, error))
        return DECODE_FAILED;
    }
}

/* ------------------------------------------------------------------ */
/* Excel's "sep=" line                                                */

/* Whether @text, the start of a text after its byte order mark, is a line
 * "sep=X": then *@hint_len is the length of "sep=X", which a line end or
 * the end of the text follows. @text holds SEP_HINT_MAX bytes or all of
 * the text, so that the answer does not depend on how much was read. */
static gboolean
find_sep_hint (const char *text,
               gsize       len,
               gsize      *hint_len)
{
  const gsize prefix = strlen (SEP_HINT);
  gsize char_len;

  if (len <= prefix || memcmp (text, SEP_HINT, prefix) != 0)
    return FALSE;
  /* "sep=" alone is an ordinary record; a NUL is left to the parser. */
  if (text[prefix] == '\r' || text[prefix] == '\n' || text[prefix] == '\0')
    return FALSE;

  /* The text is UTF-8 (valid, or from iconv). */
  char_len = g_utf8_skip[(guchar) text[prefix]];
  if (prefix + char_len > len)
    return FALSE;
  if (prefix + char_len < len && text[prefix + char_len] != '\r' &&
      text[prefix + char_len] != '\n')
    return FALSE;

  *hint_len = prefix + char_len;

  return TRUE;
}

static void
set_sep_hint_error (const char  *hint,
                    gsize        hint_len,
                    GError     **error)
{
  const char *named = hint + strlen (SEP_HINT);
  gunichar c = g_utf8_get_char_validated (named, hint_len - strlen (SEP_HINT));
  g_autofree char *shown = NULL;

  /* A character that cannot be seen is shown by its code. */
  if (c != (gunichar) -1 && c != (gunichar) -2 && g_unichar_isgraph (c))
    shown = g_strndup (hint, hint_len);
  else
    shown = g_strdup_printf (SEP_HINT "U+%04X", c < 0x110000 ? c : 0xFFFD);

  g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_DELIMITER,
               /* Translators: %s is the file's first line as Excel writes it, e.g.
                * "sep=|": it names the character between the fields. */
               _("Line 1, column 1: the line “%s” names a delimiter that Kodex does not "
                 "read. Save the file with a comma, a semicolon or a tab between the "
                 "fields."),
               shown);
}

/* ------------------------------------------------------------------ */
/* Reading: decoder, sample and parser                                */

/* Reads text into the sample until it holds more than @want bytes after
 * a byte order mark, or the text ends. */
static gboolean
reader_collect (Reader        *r,
                gsize          want,
                GCancellable  *cancellable,
                GError       **error)
{
  while (r->end == DECODE_TEXT && r->sample->len <= want + 3)
    {
      const char *text = NULL;
      gsize len = 0;
      DecodeStatus status = decoder_next (&r->decoder, &text, &len, cancellable, error);

      if (status == DECODE_FAILED)
        return FALSE;
      if (status == DECODE_TEXT)
        g_byte_array_append (r->sample, (const guint8 *) text, len);
      else
        r->end = status;
    }

  return TRUE;
}

/* Detects the delimiter on the first SNIFF_BYTES of the text, or on more
 * when that holds no whole row (a very wide header, a huge field). */
static gboolean
reader_detect_delimiter (Reader        *r,
                         gsize          skip,
                         char          *delimiter,
                         GCancellable  *cancellable,
                         GError       **error)
{
  gsize want = SNIFF_BYTES;

  for (;;)
    {
      /* While the text goes on, the sample holds more than @want bytes. */
      gsize len = r->sample->len - skip;
      gsize sample_len = MIN (len, want);
      guint most_rows = 0;

      *delimiter = sniff_sample ((const char *) r->sample->data + skip, sample_len,
                                 sample_len < len, &most_rows);
      if (most_rows > 0 || sample_len == len)
        return TRUE;

      want = sample_len * 4;
      if (!reader_collect (r, want, cancellable, error))
        return FALSE;
    }
}

/* @keep: a table, whose records stay; @size_hint: the size the table's
 * text will likely have. */
static gboolean
reader_open (Reader              *r,
             GInputStream        *stream,
             const KdxCsvOptions *options,
             gboolean             keep,
             gsize                size_hint,
             GCancellable        *cancellable,
             GError             **error)
{
  char delimiter = options != NULL ? options->delimiter : 0;
  const char *sample;
  gsize skip;
  gsize hint_len = 0;
  gboolean hint;

  memset (r, 0, sizeof *r);
  r->end = DECODE_TEXT;
  /* Never without a buffer, even when the text is empty. */
  r->sample = g_byte_array_sized_new (256);

  if (!decoder_open (&r->decoder, stream, options, cancellable, error) ||
      !reader_collect (r, delimiter == 0 ? SNIFF_BYTES : SEP_HINT_MAX, cancellable, error))
    return FALSE;

  sample = (const char *) r->sample->data;
  skip = bom_length (sample, r->sample->len);
  hint = find_sep_hint (sample + skip, r->sample->len - skip, &hint_len);
  if (hint && delimiter == 0)
    {
      /* One byte: what is_delimiter() accepts is ASCII. */
      if (hint_len != strlen (SEP_HINT) + 1 || !is_delimiter (sample[skip + hint_len - 1]))
        {
          set_sep_hint_error (sample + skip, hint_len, error);
          return FALSE;
        }
      delimiter = sample[skip + hint_len - 1];
    }
  else if (delimiter == 0 &&
           !reader_detect_delimiter (r, skip, &delimiter, cancellable, error))
    return FALSE;

  parser_init (&r->parser, delimiter, options != NULL && options->allow_ragged, keep,
               keep ? size_hint : 0);
  /* reader_detect_delimiter() may have read more. */
  r->text = (const char *) r->sample->data;
  r->text_pos = skip;
  r->text_len = r->sample->len;

  if (hint)
    {
      /* The hint is no record; its line keeps its number. */
      r->text_pos += hint_len;
      if (r->text_pos < r->text_len)
        {
          r->parser.state = r->text[r->text_pos] == '\r' ? STATE_AFTER_CR : STATE_RECORD;
          r->parser.line++;
          r->text_pos++;
        }
    }

  return TRUE;
}

static void
reader_clear (Reader *r)
{
  decoder_clear (&r->decoder);
  parser_clear (&r->parser);
  g_clear_pointer (&r->sample, g_byte_array_unref);
}

/* The text stops at a byte that is not text: the error names where the
 * parser got to. */
static void
reader_set_bad_byte_error (Reader  *r,
                           GError **error)
{
  const Decoder *d = &r->decoder;
  gboolean utf8 = g_str_equal (d->encoding, "UTF-8");
  guint line = r->parser.line;
  guint column = parser_stop_column (&r->parser);

  if (d->bad_byte == 0 && utf8)
    set_nul_error (error, line, column);
  else if (!d->chosen && utf8)
    g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING,
                 _("Line %u, column %u: the file is not UTF-8 (byte 0x%02X). Choose its "
                   "encoding, for example Windows-1252."),
                 line, column, d->bad_byte);
  else
    g_set_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_ENCODING,
                 /* Translators: the last %s is the name of an encoding, e.g. WINDOWS-1252. */
                 _("Line %u, column %u: the byte 0x%02X is not valid in the encoding %s"),
                 line, column, d->bad_byte, d->encoding);
}

/* Reads up to the end of the next record. */
static ParseStatus
reader_next (Reader        *r,
             GCancellable  *cancellable,
             GError       **error)
{
  if (r->finished)
    return PARSE_DONE;

  parser_forget_record (&r->parser);

  for (;;)
    {
      ParseStatus status;

      if (r->text_pos < r->text_len)
        {
          gsize consumed = 0;

          status = parser_feed (&r->parser, r->text + r->text_pos, r->text_len - r->text_pos,
                                &consumed, error);
          r->text_pos += consumed;
          if (status == PARSE_MORE)
            continue;
        }
      else if (r->sample != NULL)
        {
          /* The sample is read; from now on the text comes in blocks. */
          g_clear_pointer (&r->sample, g_byte_array_unref);
          r->text = NULL;
          r->text_pos = r->text_len = 0;
          continue;
        }
      else if (r->end == DECODE_TEXT)
        {
          DecodeStatus decoded = decoder_next (&r->decoder, &r->text, &r->text_len, cancellable,
                                               error);

          r->text_pos = 0;
          if (decoded == DECODE_FAILED)
            {
              r->finished = TRUE;
              return PARSE_ERROR;
            }
          if (decoded != DECODE_TEXT)
            {
              r->end = decoded;
              r->text_len = 0;
            }
          continue;
        }
      else if (r->end == DECODE_BAD)
        {
          reader_set_bad_byte_error (r, error);
          status = PARSE_ERROR;
        }
      else
        status = parser_finish (&r->parser, error);

      if (status != PARSE_RECORD)
        r->finished = TRUE;
      return status;
    }
}

static void *
steal_array (GArray *array)
{
  gsize n = 0;
  void *data = g_array_steal (array, &n);

  /* A GArray keeps room to grow; the table keeps what it uses. */
  return g_realloc (data, MAX (n, 1) * g_array_get_element_size (array));
}

/* Reads all of @stream into a table. */
static KdxCsvTable *
read_table (GInputStream         *stream,
            gsize                 size_hint,
            const KdxCsvOptions  *options,
            GCancellable         *cancellable,
            GError              **error)
{
  g_autoptr(GArray) row_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint32));
  KdxCsvTable *table;
  ParseStatus status;
  guint32 n_fields;
  Reader r;

  if (!reader_open (&r, stream, options, TRUE, size_hint, cancellable, error))
    {
      reader_clear (&r);
      return NULL;
    }

  while ((status = reader_next (&r, cancellable, error)) == PARSE_RECORD)
    {
      guint32 first = (guint32) r.parser.record_first;

      g_array_append_val (row_starts, first);
      g_array_append_val (lines, r.parser.record_line);
    }
  if (status == PARSE_ERROR)
    {
      reader_clear (&r);
      return NULL;
    }
  if (lines->len == 0)
    {
      g_set_error_literal (error, KDX_CSV_ERROR, KDX_CSV_ERROR_EMPTY,
                           _("The file contains no data"));
      reader_clear (&r);
      return NULL;
    }

  n_fields = (guint32) r.parser.n_offsets;
  g_array_append_val (row_starts, n_fields);

  table = g_new0 (KdxCsvTable, 1);
  g_atomic_ref_count_init (&table->ref_count);
  table->n_rows = lines->len;
  table->n_columns = r.parser.n_columns;
  table->delimiter = r.parser.delimiter;
  table->encoding = g_steal_pointer (&r.decoder.encoding);
  table->text = g_realloc (g_steal_pointer (&r.parser.out), MAX (r.parser.out_len, 1));
  table->offsets = g_realloc (g_steal_pointer (&r.parser.offsets),
                              MAX (r.parser.n_offsets, 1) * sizeof (guint32));
  table->row_starts = steal_array (row_starts);
  table->lines = steal_array (lines);
  reader_clear (&r);

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

/* @alone: the only field of its row; @first: the first field of the
 * file. */
static void
append_field (GString    *out,
              const char *field,
              char        delimiter,
              gboolean    alone,
              gboolean    first)
{
  gboolean guard = field[0] != '\0' && strchr ("=+-@\t\r", field[0]) != NULL;
  /* A lone empty field would make a blank line, which readers skip; a
   * field that begins with U+FEFF at the start of a file without a byte
   * order mark would be taken for one; a first line "sep=X" for Excel's
   * delimiter line. */
  gboolean quote = (alone && field[0] == '\0') || g_str_has_prefix (field, UTF8_BOM) ||
                   (first && g_str_has_prefix (field, SEP_HINT));
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
  g_autoptr(GInputStream) stream = NULL;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (options_are_valid (options), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = g_bytes_get_size (bytes);
  if (len >= G_MAXUINT32)
    {
      set_too_large_error (error);
      return NULL;
    }
  stream = g_memory_input_stream_new_from_bytes (bytes);

  return read_table (stream, len + 1, options, NULL, error);
}

KdxCsvTable *
kdx_csv_read_file (GFile                *file,
                   const KdxCsvOptions  *options,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) read_error = NULL;
  goffset size;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (options_are_valid (options), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &read_error);
  if (info != NULL)
    stream = g_file_read (file, cancellable, &read_error);
  if (stream == NULL)
    {
      set_io_error (error, g_steal_pointer (&read_error), FALSE);
      return NULL;
    }

  size = g_file_info_get_size (info);
  if (size >= G_MAXUINT32)
    {
      set_too_large_error (error);
      return NULL;
    }

  return read_table (G_INPUT_STREAM (stream), MAX (size, 0) + 1, options, cancellable, error);
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

KdxCsvReader *
kdx_csv_reader_new (GInputStream         *stream,
                    const KdxCsvOptions  *options,
                    GCancellable         *cancellable,
                    GError              **error)
{
  KdxCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (options_are_valid (options), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (KdxCsvReader, 1);
  if (!reader_open (&self->reader, stream, options, FALSE, 0, cancellable, error))
    {
      kdx_csv_reader_free (self);
      return NULL;
    }

  return self;
}

gboolean
kdx_csv_reader_next (KdxCsvReader  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  ParseStatus status;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->reader.finished)
    return FALSE;

  status = reader_next (&self->reader, cancellable, error);
  if (status == PARSE_RECORD)
    {
      self->n_records++;
      return TRUE;
    }

  if (status == PARSE_DONE && self->n_records == 0)
    g_set_error_literal (error, KDX_CSV_ERROR, KDX_CSV_ERROR_EMPTY,
                         _("The file contains no data"));
  /* The last record goes with the end. */
  self->reader.parser.out_len = 0;
  self->reader.parser.n_offsets = 0;

  return FALSE;
}

guint
kdx_csv_reader_get_n_fields (KdxCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->reader.parser.n_offsets - self->reader.parser.record_first;
}

const char *
kdx_csv_reader_get_field (KdxCsvReader *self,
                          guint         column)
{
  const Parser *p;

  g_return_val_if_fail (self != NULL, NULL);
  p = &self->reader.parser;
  g_return_val_if_fail (column < p->n_offsets - p->record_first, NULL);

  return p->out + p->offsets[p->record_first + column];
}

guint
kdx_csv_reader_get_line (KdxCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_records > 0 ? self->reader.parser.record_line : 0;
}

guint
kdx_csv_reader_get_record (KdxCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_records;
}

guint64
kdx_csv_reader_get_offset (KdxCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->reader.decoder.offset;
}

const char *
kdx_csv_reader_get_encoding (KdxCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->reader.decoder.encoding;
}

char
kdx_csv_reader_get_delimiter (KdxCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->reader.parser.delimiter;
}

void
kdx_csv_reader_free (KdxCsvReader *self)
{
  if (self == NULL)
    return;

  reader_clear (&self->reader);
  g_free (self);
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
      append_field (self->buffer, field, self->delimiter, n_fields == 1,
                    self->n_rows == 0 && i == 0);
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
