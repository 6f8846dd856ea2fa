/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Without libFuzzer (gcc, or clang without -Dfuzzing=true) a fuzz target
 * is linked with this main(): it runs LLVMFuzzerTestOneInput() once on
 * every file of the folders (or on the files) given as arguments, and
 * reports each as a TAP test. That is how the corpus and every past
 * crash replay in `make test`.
 *
 * An input fails when the target aborts or crashes (the whole run stops
 * there, and meson reports it), or when it takes longer than
 * KDX_FUZZ_MAX_SECONDS (default 5: SAFETY.md allows 1 s for an XML
 * attack and 5 s for opening a workspace); one that still runs a second
 * after that ends the run with "Bail out!". Files whose names start with
 * "README" or "." are not inputs.
 */
#define G_LOG_DOMAIN "kdx-fuzz-replay"

#include "config.h"

#include "fuzz-common.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* In an AddressSanitizer build (make test-asan), every input is checked
 * for leaks right after it ran, as libFuzzer does, so that the report
 * names the input. */
#if defined(__SANITIZE_ADDRESS__)
# define HAVE_LSAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define HAVE_LSAN 1
# endif
#endif
#ifdef HAVE_LSAN
# include <sanitizer/lsan_interface.h>
#endif

static char bail_out[4096];
static size_t bail_out_len;

/* A hanging input ends the run at once, named, instead of at the test
 * timeout. */
static void
alarm_cb (int signum)
{
  ssize_t n G_GNUC_UNUSED = write (STDOUT_FILENO, bail_out, bail_out_len);
  _exit (1);
}

static gboolean
is_input_name (const char *name)
{
  return name[0] != '.' && !g_str_has_prefix (name, "README");
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The inputs of @arg, sorted: the file itself or the files in the folder. */
static gboolean
collect_inputs (const char  *arg,
                GPtrArray   *inputs,
                GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  const char *name;

  if (g_file_test (arg, G_FILE_TEST_IS_REGULAR))
    {
      g_ptr_array_add (inputs, g_strdup (arg));
      return TRUE;
    }

  dir = g_dir_open (arg, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      char *path;

      if (!is_input_name (name))
        continue;
      path = g_build_filename (arg, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (found, path);
      else
        g_free (path);
    }

  g_ptr_array_sort (found, compare_paths);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (inputs, g_ptr_array_index (found, i));

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  const char *max_env = g_getenv ("KDX_FUZZ_MAX_SECONDS");
  double max_seconds = max_env ? g_ascii_strtod (max_env, NULL) : 5.0;

  if (!(max_seconds > 0 && max_seconds < 3600))
    max_seconds = 5.0;
  guint failed = 0;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s FOLDER|FILE …\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!collect_inputs (argv[i], inputs, &error))
        {
          fprintf (stderr, "%s: %s\n", argv[0], error->message);
          return 2;
        }
    }

  LLVMFuzzerInitialize (&argc, &argv);
  signal (SIGALRM, alarm_cb);

  if (inputs->len == 0)
    {
      printf ("1..0 # SKIP no inputs\n");
      return 0;
    }

  printf ("1..%u\n", inputs->len);
  fflush (stdout);

  for (guint i = 0; i < inputs->len; i++)
    {
      const char *path = g_ptr_array_index (inputs, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      g_autofree guint8 *exact = NULL;
      gsize length = 0;
      gint64 start;
      double seconds;

      if (!g_file_get_contents (path, &data, &length, &error))
        {
          printf ("not ok %u - %s # %s\n", i + 1, path, error->message);
          failed++;
          continue;
        }

      /* Announced first: if the input crashes, the log says which one. */
      printf ("# replaying %s (%" G_GSIZE_FORMAT " bytes)\n", path, length);
      fflush (stdout);

      /* Exactly @length bytes, without the NUL that g_file_get_contents()
       * adds, as libFuzzer passes them: a read past the end is caught. */
      exact = g_malloc (MAX (length, 1));
      memcpy (exact, data, length);
      g_clear_pointer (&data, g_free);

      g_snprintf (bail_out, sizeof bail_out, "Bail out! %s took more than %.2f s\n",
                  path, max_seconds);
      bail_out_len = strlen (bail_out);
      alarm ((unsigned) ceil (max_seconds) + 1);

      start = g_get_monotonic_time ();
      LLVMFuzzerTestOneInput (exact, length);
      alarm (0);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

#ifdef HAVE_LSAN
      if (__lsan_do_recoverable_leak_check () != 0)
        {
          printf ("Bail out! %s leaks memory (see the report above)\n", path);
          return 1;
        }
#endif

      if (seconds > max_seconds)
        {
          printf ("not ok %u - %s # took %.2f s, more than %.2f s\n",
                  i + 1, path, seconds, max_seconds);
          failed++;
        }
      else
        printf ("ok %u - %s # %.3f s\n", i + 1, path, seconds);
      fflush (stdout);
    }

  return failed > 0 ? 1 : 0;
}
