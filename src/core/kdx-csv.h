/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KDX_CSV_ERROR (kdx_csv_error_quark ())

/* Every message of a reading error names the physical line (1-based) and
 * the column (the 1-based field number) where the problem is, except
 * IO, UNKNOWN_ENCODING, EMPTY and TOO_LARGE, which concern the whole file.
 * Both readers give the same error, with the same message, for the same
 * bytes. */
typedef enum
{
  KDX_CSV_ERROR_IO,
  KDX_CSV_ERROR_UNKNOWN_ENCODING,   /* the caller chose an encoding iconv does not know */
  KDX_CSV_ERROR_ENCODING,           /* bytes that are not text in the (detected) encoding,
                                     * or a byte order mark of another encoding than the
                                     * chosen one (line 1, column 1) */
  KDX_CSV_ERROR_NUL,                /* a zero byte */
  KDX_CSV_ERROR_UNTERMINATED_QUOTE, /* names where the quote opened */
  KDX_CSV_ERROR_QUOTE,              /* text after the closing quote of a field */
  KDX_CSV_ERROR_RAGGED,             /* a row with another number of fields than the first */
  KDX_CSV_ERROR_EMPTY,              /* no rows at all */
  KDX_CSV_ERROR_TOO_LARGE,          /* 4 GiB of text or more (KdxCsvReader: in one record) */
  KDX_CSV_ERROR_DELIMITER,          /* a first line "sep=X" names a delimiter other than
                                     * ',' ';' or tab (line 1, column 1) */
} KdxCsvError;

/* How to read. NULL options, or all fields zero, mean: detect everything,
 * refuse ragged rows. */
typedef struct
{
  /* NULL: a byte order mark decides (UTF-8, UTF-16LE, UTF-16BE); without
   * one the file must be UTF-8. Otherwise an iconv name such as
   * "WINDOWS-1252"; a byte order mark of that encoding is dropped, and one
   * of UTF-8 or UTF-16 that contradicts it is an error (encodings such as
   * "UTF-16" or "UTF-32" read their own marks: only a UTF-8 mark
   * contradicts them). */
  const char *encoding;
  /* 0: detect ',' ';' or '\t'; or one of them. A first line "sep=X" (the
   * hint Excel writes and reads; exactly "sep=", one character and the
   * line end, after the byte order mark) is no record: with 0 it names
   * the delimiter, and one that is not ',' ';' or a tab is
   * KDX_CSV_ERROR_DELIMITER; a delimiter chosen here wins over it. Lines
   * keep their numbers in the file (the hint is line 1). */
  char        delimiter;
  /* Rows may have fewer or more fields than the first one. */
  gboolean    allow_ragged;
} KdxCsvOptions;

/* The records of a CSV file, immutable and reference counted. All fields
 * live in one buffer. */
typedef struct _KdxCsvTable KdxCsvTable;

#define KDX_TYPE_CSV_TABLE (kdx_csv_table_get_type ())

GQuark        kdx_csv_error_quark          (void);
GType         kdx_csv_table_get_type       (void) G_GNUC_CONST;

/* Reads every record of @bytes, or none: on any problem NULL and an
 * error. Blank lines are skipped (so a single empty field is written as
 * "" by KdxCsvWriter). Quotes are special only at the start of a field; a
 * quote inside an unquoted field is kept as it is. Line ends inside a
 * quoted field are kept as they are in the file. */
KdxCsvTable  *kdx_csv_read                 (GBytes              *bytes,
                                            const KdxCsvOptions *options,
                                            GError             **error);
/* The same for a file; a file of 4 GiB or more is refused before it is
 * read. */
KdxCsvTable  *kdx_csv_read_file            (GFile               *file,
                                            const KdxCsvOptions *options,
                                            GCancellable        *cancellable,
                                            GError             **error);

KdxCsvTable  *kdx_csv_table_ref            (KdxCsvTable         *self);
void          kdx_csv_table_unref          (KdxCsvTable         *self);

guint         kdx_csv_table_get_n_rows     (KdxCsvTable         *self);
/* The number of fields of the first row; with ragged rows, of the longest. */
guint         kdx_csv_table_get_n_columns  (KdxCsvTable         *self);
guint         kdx_csv_table_get_row_length (KdxCsvTable         *self,
                                            guint                row);
/* UTF-8 without NUL; NULL when a ragged row has no such field. */
const char   *kdx_csv_table_get_field      (KdxCsvTable         *self,
                                            guint                row,
                                            guint                column);
/* The physical line (1-based) of the file where @row starts. */
guint         kdx_csv_table_get_line       (KdxCsvTable         *self,
                                            guint                row);
/* "UTF-8", "UTF-16LE", "UTF-16BE", "WINDOWS-1252" or the name the caller
 * chose. */
const char   *kdx_csv_table_get_encoding   (KdxCsvTable         *self);
/* The delimiter used: the one chosen or the one detected. */
char          kdx_csv_table_get_delimiter  (KdxCsvTable         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCsvTable, kdx_csv_table_unref)

/* Streaming: one record at a time, in memory bounded by the longest
 * record (and the 64 KiB sample that decides encoding and delimiter), so
 * that a file of millions of rows is read in a few megabytes. The same
 * rules and the same errors as kdx_csv_read(); a problem found at row n
 * is reported when row n is asked for, so an importer that must be all or
 * nothing reads to the end before it writes (or writes in a transaction
 * it rolls back).
 *
 * kdx_csv_read() is this reader keeping every record: the two share one
 * decoder and one parser. The stream is read in blocks of 64 KiB; where a
 * block ends (inside a character, between CR and LF, inside "") does not
 * change anything. Reading 45 MB of UTF-8 takes about 0.1 s. */
typedef struct _KdxCsvReader KdxCsvReader;

/* Takes a reference on @stream. Reads the sample at once: an encoding
 * that is unknown, a byte order mark that contradicts the chosen
 * encoding, a "sep=" line that names a delimiter Kodex does not read, or
 * a stream that cannot be read is an error here (and a
 * cancellation stays G_IO_ERROR_CANCELLED, here and in
 * kdx_csv_reader_next()). */
KdxCsvReader *kdx_csv_reader_new           (GInputStream        *stream,
                                            const KdxCsvOptions *options,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* TRUE with the next record; FALSE at the end (no error) or on a problem
 * (error set; the reader is then finished, and later calls give FALSE
 * without an error). Blank lines are skipped. A file without any record
 * is KDX_CSV_ERROR_EMPTY, at the first call. */
gboolean      kdx_csv_reader_next          (KdxCsvReader        *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* Of the current record. Fields are UTF-8 without NUL and stay valid until
 * the next call of kdx_csv_reader_next(). */
guint         kdx_csv_reader_get_n_fields  (KdxCsvReader        *self);
const char   *kdx_csv_reader_get_field     (KdxCsvReader        *self,
                                            guint                column);
/* The physical line (1-based) where the current record starts; 0 before
 * the first. */
guint         kdx_csv_reader_get_line      (KdxCsvReader        *self);
/* 1-based number of the current record (the header is record 1). */
guint         kdx_csv_reader_get_record    (KdxCsvReader        *self);
/* Bytes of the input consumed so far, for progress: the reader decodes
 * ahead of the record it gives (the sample first, then blocks of at most
 * 64 KiB). At the end, the size of the input. */
guint64       kdx_csv_reader_get_offset    (KdxCsvReader        *self);
const char   *kdx_csv_reader_get_encoding  (KdxCsvReader        *self);
char          kdx_csv_reader_get_delimiter (KdxCsvReader        *self);
void          kdx_csv_reader_free          (KdxCsvReader        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCsvReader, kdx_csv_reader_free)

/* Writing: RFC 4180 with CRLF line ends, UTF-8. A field is quoted when it
 * holds the delimiter, a quote, CR or LF, when it begins with U+FEFF
 * (which a reader would take for a byte order mark), when it is the
 * only field of its row and empty, or when it is the first field of the
 * first row and begins with "sep=" (which a reader could take for
 * Excel's delimiter line). A field that begins with = + - @, a tab or CR
 * gets a leading ' so that a spreadsheet does not run it as a formula; a
 * reader sees the ' as part of the field. */
typedef enum
{
  KDX_CSV_WRITER_DEFAULT = 0,      /* a UTF-8 byte order mark first, for Excel */
  KDX_CSV_WRITER_NO_BOM  = 1 << 0,
} KdxCsvWriterFlags;

typedef struct _KdxCsvWriter KdxCsvWriter;

/* @stream NULL: keep the output in memory for kdx_csv_writer_free_to_bytes().
 * Otherwise the output goes to @stream in blocks; the caller creates it
 * (a file 0600, SAFETY.md "Personal data") and closes it.
 * @delimiter: ',' ';' or '\t', 0 for ','. */
KdxCsvWriter *kdx_csv_writer_new           (GOutputStream       *stream,
                                            char                 delimiter,
                                            KdxCsvWriterFlags    flags);
/* Fields must be UTF-8 (NULL is an empty field); a row that is not is
 * refused whole, and the writer goes on. */
gboolean      kdx_csv_writer_add_row       (KdxCsvWriter        *self,
                                            const char * const  *fields,
                                            guint                n_fields,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* Writes what is still buffered to the stream (nothing to do in memory). */
gboolean      kdx_csv_writer_finish        (KdxCsvWriter        *self,
                                            GCancellable        *cancellable,
                                            GError             **error);
/* In memory only: everything written, and the writer is freed. */
GBytes       *kdx_csv_writer_free_to_bytes (KdxCsvWriter        *self);
/* Drops what kdx_csv_writer_finish() has not written. */
void          kdx_csv_writer_free          (KdxCsvWriter        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KdxCsvWriter, kdx_csv_writer_free)

G_END_DECLS
