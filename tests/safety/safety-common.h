/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the safety tests share: child processes (the helper runs the real
 * write paths and is killed, limited or paused), file copies, checksums
 * and the checks a workspace must pass after anything happened to it.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>
#include <sys/types.h>

#include "kdx-store.h"

G_BEGIN_DECLS

/* Exit codes of safety-helper. */
#define HELPER_OK         0
#define HELPER_ERROR      3   /* the write path reported an error (on stderr) */
#define HELPER_UNEXPECTED 4   /* something the helper did not expect */

typedef struct
{
  pid_t    pid;
  int      in_fd;   /* the child's stdin, or -1 */
  int      out_fd;  /* the child's stdout, or -1 after EOF */
  int      err_fd;  /* the child's stderr, or -1 after EOF */
  GString *out;
  GString *err;
  gsize    line_pos; /* how far safety_child_next_line() has read in out */
  int      status;
  gboolean reaped;
  gint64   started; /* monotonic µs */
} SafetyChild;

const char  *safety_helper_path       (void);

/* argv[0] is the program; NULL means the helper. @extra_fds (or NULL,
 * ended by -1) become fds 3, 4, … of the child. */
SafetyChild *safety_child_spawn       (const char * const *argv,
                                       gboolean            with_stdin,
                                       const int          *extra_fds);
SafetyChild *safety_helper_spawn      (const char         *first_arg,
                                       ...) G_GNUC_NULL_TERMINATED;
/* Reads what the child wrote until @deadline (monotonic µs) or EOF on
 * both pipes; returns FALSE at EOF. */
gboolean     safety_child_pump        (SafetyChild        *child,
                                       gint64              deadline);
/* The next complete line of stdout (without the newline), waiting until
 * @deadline; NULL on EOF or timeout. Free with g_free(). */
char        *safety_child_next_line   (SafetyChild        *child,
                                       gint64              deadline);
void         safety_child_close_stdin (SafetyChild        *child);
void         safety_child_signal      (SafetyChild        *child,
                                       int                 sig);
/* Reads to EOF and reaps; returns the wait status. */
int          safety_child_wait        (SafetyChild        *child);
void         safety_child_free        (SafetyChild        *child);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SafetyChild, safety_child_free)

char        *safety_describe_status   (int                 status);

/* Lines of the child's stdout that start with @prefix, without it. */
GPtrArray   *safety_child_lines_with  (SafetyChild        *child,
                                       const char         *prefix);

/* Files. */
char        *safety_make_dir          (const char         *name);
void         safety_copy_file         (const char         *from,
                                       const char         *to);
char        *safety_file_sha256       (const char         *path);
void         safety_remove_workspace  (const char         *path);
void         safety_rm_rf             (const char         *path);
guint        safety_count_files_with_prefix (const char   *dir,
                                             const char   *prefix);

/* A connection of our own, without Kodex: for raw checks and edits. */
sqlite3     *safety_raw_open          (const char         *path,
                                       gboolean            writable);
gint64       safety_raw_int           (sqlite3            *db,
                                       const char         *sql);
void         safety_raw_exec          (sqlite3            *db,
                                       const char         *sql);
/* integrity_check and foreign_key_check; NULL when both are clean,
 * otherwise what they reported. */
char        *safety_raw_problems      (sqlite3            *db);

/* Opens @path the way the app does (a stale lock is taken over), checks
 * integrity, foreign keys and the journal chain, and that every person
 * has its journal entry. Fails the test otherwise. */
KdxStore    *safety_open_checked      (const char         *path);
void         safety_assert_healthy    (KdxStore           *store);

/* Inserts @n people in one transaction (their journal entries with them). */
void         safety_insert_people     (KdxStore           *store,
                                       guint               n,
                                       const char         *prefix);
/* A workspace with @n people, closed; returns its path. */
char        *safety_make_workspace    (const char         *dir,
                                       const char         *name,
                                       guint               n_people);
/* An old (version 1) workspace with @n people and their journal, closed. */
char        *safety_make_v1_workspace (const char         *dir,
                                       const char         *name,
                                       guint               n_people);

gint64       safety_now_ms            (void);

/* Time limits of SAFETY.md hold for the normal build; under the
 * sanitizers (make test-asan) they are multiplied by this, as meson
 * multiplies the timeouts. */
guint        safety_slowdown          (void);

/* How many times to do something: @quick in make test, @slow in make
 * test-long (-m slow), and a quarter of @quick under the sanitizers,
 * which run the same suite a second time, ten times slower. */
guint        safety_count             (guint               quick,
                                       guint               slow);

/* g_test_message() for text of several lines: TAP wants each one a
 * comment of its own. */
void         safety_message_lines     (const char         *text);

G_END_DECLS
