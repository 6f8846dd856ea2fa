/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-spawn: runs one program and measures wall-clock time from just
 * before fork/exec — so exec, dynamic linking and everything the program
 * does before its first output are included — to
 *
 *   - the first line of its standard output that begins with MARK
 *     (--mark MARK; e.g. "first-frame"), and
 *   - its exit.
 *
 * The program's standard output is passed through line by line; this
 * tool's own figures are lines that begin with "spawn-":
 *
 *   spawn-mark-ms 312.4
 *   spawn-exit-ms 1350.0
 *   spawn-cpu-ms 840.2       user + system CPU time of the program (and of
 *                            children it waited for): what the machine's
 *                            load does not inflate
 *   spawn-status 0
 *
 * bench-spawn [--mark MARK] [--timeout SECONDS] [--quiet] -- PROGRAM [ARG…]
 *
 * --quiet drops the program's output (only the spawn- lines are printed).
 * After --timeout (default 600 s) the program is killed and the status is
 * reported as 124. The exit status of bench-spawn is the program's.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
usage (void)
{
  fprintf (stderr,
           "usage: bench-spawn [--mark MARK] [--timeout SECONDS] [--quiet] -- PROGRAM [ARG…]\n");
  exit (2);
}

int
main (int   argc,
      char *argv[])
{
  const char *mark = NULL;
  double timeout_s = 600;
  int quiet = 0;
  int first = 1;
  int fds[2];
  posix_spawn_file_actions_t actions;
  pid_t pid;
  double t0, t_mark = -1, deadline;
  char buf[65536];
  size_t len = 0;
  int status = 0, timed_out = 0, eof = 0;
  struct rusage ru = { 0 };

  for (; first < argc; first++)
    {
      if (strcmp (argv[first], "--") == 0)
        {
          first++;
          break;
        }
      else if (strcmp (argv[first], "--mark") == 0 && first + 1 < argc)
        mark = argv[++first];
      else if (strcmp (argv[first], "--timeout") == 0 && first + 1 < argc)
        timeout_s = atof (argv[++first]);
      else if (strcmp (argv[first], "--quiet") == 0)
        quiet = 1;
      else
        usage ();
    }
  if (first >= argc)
    usage ();

  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      perror ("bench-spawn: pipe");
      return 2;
    }
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);

  fflush (stdout);
  t0 = now_ms ();
  errno = posix_spawnp (&pid, argv[first], &actions, NULL, argv + first, environ);
  if (errno != 0)
    {
      fprintf (stderr, "bench-spawn: cannot run %s: %s\n", argv[first], strerror (errno));
      return 127;
    }
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);
  deadline = t0 + timeout_s * 1e3;

  while (!eof)
    {
      struct pollfd pfd = { fds[0], POLLIN, 0 };
      double left = deadline - now_ms ();
      ssize_t n;

      if (left <= 0)
        {
          timed_out = 1;
          kill (pid, SIGKILL);
          break;
        }
      if (poll (&pfd, 1, (int) left + 1) <= 0)
        continue;

      n = read (fds[0], buf + len, sizeof buf - 1 - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          eof = 1;
          n = 0;
          if (len > 0)
            buf[len++] = '\n';  /* a last line without a newline */
        }
      len += (size_t) n;

      /* Hand on each complete line; note the first that carries the mark. */
      for (char *nl; (nl = memchr (buf, '\n', len)) != NULL; )
        {
          size_t line_len = (size_t) (nl - buf) + 1;

          if (mark != NULL && t_mark < 0 && strncmp (buf, mark, strlen (mark)) == 0)
            t_mark = now_ms ();
          if (!quiet)
            fwrite (buf, 1, line_len, stdout);
          memmove (buf, buf + line_len, len - line_len);
          len -= line_len;
        }
      if (len == sizeof buf - 1)  /* a line longer than the buffer: pass it on */
        {
          if (!quiet)
            fwrite (buf, 1, len, stdout);
          len = 0;
        }
      fflush (stdout);
    }
  close (fds[0]);

  while (wait4 (pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;

  if (mark != NULL)
    {
      if (t_mark >= 0)
        printf ("spawn-mark-ms %.1f\n", t_mark - t0);
      else
        printf ("spawn-mark-ms none\n");
    }
  printf ("spawn-exit-ms %.1f\n", now_ms () - t0);
  printf ("spawn-cpu-ms %.1f\n",
          (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
          (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);

  if (timed_out)
    status = 124;
  else if (WIFEXITED (status))
    status = WEXITSTATUS (status);
  else
    status = 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
  printf ("spawn-status %d\n", status);

  return status;
}
