/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the fuzz targets share: quiet logging that still stops on a
 * critical, a private temporary folder, and small file helpers.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The libFuzzer entry points; replay-main.c calls them as well. */
int   LLVMFuzzerInitialize       (int           *argc,
                                  char        ***argv);
int   LLVMFuzzerTestOneInput     (const uint8_t *data,
                                  size_t         size);

/* Once per process: warnings, messages and debug output are dropped (a
 * hostile input is expected to cause warnings, and G_DEBUG=fatal-warnings
 * of the test environment must not turn them into aborts); a critical or
 * an error still aborts, because it means a broken precondition in core.
 * KDX_FUZZ_VERBOSE=1 prints everything. */
void  kdx_fuzz_init_logging      (void);

/* KDX_FUZZ_VERBOSE=1: the targets also say what became of each input. */
gboolean kdx_fuzz_is_verbose     (void);

/* A folder of its own under $TMPDIR, removed at exit (or by the next
 * run, when this one crashed). */
const char *kdx_fuzz_tmp_dir     (void);

/* Removes @path and its -wal, -shm and -journal companions. */
void  kdx_fuzz_remove_workspace  (const char    *path);

/* Writes @data to @path (0600), replacing it; aborts on failure. */
void  kdx_fuzz_write_file        (const char    *path,
                                  const void    *data,
                                  size_t         size);

/* TRUE when @path holds exactly @data. */
gboolean kdx_fuzz_file_equals    (const char    *path,
                                  const void    *data,
                                  size_t         size);

/* Reports a broken promise of core and aborts, so that libFuzzer keeps
 * the input as a crash. */
G_NORETURN
void  kdx_fuzz_fail              (const char    *format,
                                  ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
