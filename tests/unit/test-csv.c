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

  if (c->rows == NULL)
    {
      /* All or nothing: no table, an error that says where. */
      g_assert_null (table);
      g_assert_error (error, KDX_CSV_ERROR, c->code);
      if (c->message != NULL && !g_str_has_prefix (error->message, c->message))
        g_error ("“%s” does not start with “%s”", error->message, c->message);
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

  /* One field missing in the last row, found after all the others. */
  g_string_truncate (csv, csv->len - strlen (";v99999\r\n"));
  g_clear_pointer (&table, kdx_csv_table_unref);
  table = read_string (csv->str, csv->len, NULL, &error);
  g_assert_null (table);
  g_assert_error (error, KDX_CSV_ERROR, KDX_CSV_ERROR_RAGGED);
  g_assert_true (g_str_has_prefix (error->message, "Line 3, column 100000:"));
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

/* About 200 MB: 1.6 million rows of 8 fields, some quoted, read as UTF-8
 * and, through iconv, as Windows-1252. The machine may be busy: CPU time
 * says more than the clock. */
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
  writer = kdx_csv_writer_new (G_OUTPUT_STREAM (stream), ';', KDX_CSV_WRITER_DEFAULT);
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

  add_cases ("write", write_cases, sizeof write_cases[0], G_N_ELEMENTS (write_cases),
             test_write_case);
  g_test_add_func ("/kdx/csv/write/bom", test_write_bom);
  g_test_add_func ("/kdx/csv/write/invalid-utf8", test_write_invalid_utf8);
  g_test_add_func ("/kdx/csv/write/stream", test_write_stream);
  g_test_add_func ("/kdx/csv/round-trip", test_round_trip);

  if (g_test_perf ())
    g_test_add_func ("/kdx/csv/perf/large", test_perf_large);

  return g_test_run ();
}
