/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-make-journal: makes a fresh workspace whose journal has COUNT
 * entries more than a new workspace's, appended with kdx_journal_append()
 * in transactions of BATCH — the input of the journal verification
 * benchmark.
 *
 * The entries are shaped like those the large demo writes: three of four
 * record a person being created (an "after" JSON of about 300 bytes), one
 * of four a change to a person (before and after).
 *
 * bench-make-journal FILE [COUNT [BATCH]]   (defaults: 1000000, 10000)
 *
 * The workspace is written to FILE.partial and renamed to FILE when
 * complete, so that an interrupted run leaves no FILE behind.
 */
#define G_LOG_DOMAIN "kdx-bench"

#include "config.h"

#include "kdx-journal.h"
#include "kdx-store.h"

#include "bench-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

static const char *first_names[] = { "Anna", "Jonas", "Lea", "Simon", "Mia", "Lukas", "Emma", "Felix" };
static const char *last_names[] = { "Müller", "Schmidt", "Nowak", "Weber", "Becker", "Yılmaz", "Fischer", "Wagner" };
static const char *departments[] = { "Vertrieb Innendienst Nord", "Vertrieb Außendienst Süd",
                                     "Key Account Management West", "Marketing DACH" };

static char *
person_json (const char *uuid,
             const char *name,
             const char *email,
             const char *department,
             gboolean    active)
{
  return g_strdup_printf ("{\"uuid\":\"%s\",\"name\":\"%s\",\"email\":\"%s\","
                          "\"department\":\"%s\",\"role\":\"Vertriebsmitarbeitende\","
                          "\"manager\":\"61eef801-77ce-4d0e-acd6-13d39a894351\","
                          "\"committee\":false,\"active\":%s,\"trashed\":null}",
                          uuid, name, email, department, active ? "true" : "false");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KdxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = NULL;
  gint64 count = 1000000, batch = 10000, done = 0;
  gint64 t0;

  setlocale (LC_ALL, "");

  if (argc < 2 || argc > 4)
    {
      g_printerr ("usage: %s FILE [COUNT [BATCH]]\n", argv[0]);
      return 2;
    }
  if (argc > 2)
    count = g_ascii_strtoll (argv[2], NULL, 10);
  if (argc > 3)
    batch = g_ascii_strtoll (argv[3], NULL, 10);
  if (count <= 0 || batch <= 0)
    {
      g_printerr ("%s: COUNT and BATCH must be positive\n", argv[0]);
      return 2;
    }

  partial = g_strconcat (argv[1], ".partial", NULL);
  bench_remove_workspace (partial);

  t0 = g_get_monotonic_time ();
  store = kdx_store_create (partial, "Journal Benchmark GmbH", "de", &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  while (done < count)
    {
      gint64 end = MIN (done + batch, count);

      if (!kdx_store_begin (store, &error))
        goto fail;

      for (; done < end; done++)
        {
          const char *first = first_names[done % G_N_ELEMENTS (first_names)];
          const char *last = last_names[(done / 8) % G_N_ELEMENTS (last_names)];
          const char *dept = departments[(done / 64) % G_N_ELEMENTS (departments)];
          g_autofree char *uuid = g_uuid_string_random ();
          g_autofree char *name = g_strconcat (first, " ", last, NULL);
          g_autofree char *email = g_strdup_printf ("%s.%" G_GINT64_FORMAT "@brenner-hoffmann.de",
                                                    first, done);
          g_autofree char *after = person_json (uuid, name, email, dept, TRUE);
          g_autofree char *before = NULL;
          const char *action = "create";

          if (done % 4 == 3)
            {
              action = "update";
              before = person_json (uuid, name, email,
                                    departments[(done / 64 + 1) % G_N_ELEMENTS (departments)],
                                    TRUE);
            }

          if (!kdx_journal_append (store, "person", uuid, action, name, before, after, &error))
            {
              kdx_store_rollback (store);
              goto fail;
            }
        }

      if (!kdx_store_commit (store, &error))
        goto fail;

      if (done % (batch * 10) == 0 || done == count)
        g_printerr ("bench-make-journal: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                    " entries, %.0f s\n",
                    done, count, (g_get_monotonic_time () - t0) / 1e6);
    }

  kdx_store_close (store);
  if (g_rename (partial, argv[1]) != 0)
    {
      g_printerr ("%s: cannot rename %s: %s\n", argv[0], partial, g_strerror (errno));
      bench_remove_workspace (partial);
      return 1;
    }

  return 0;

fail:
  g_printerr ("%s: %s\n", argv[0], error->message);
  kdx_store_close (store);
  bench_remove_workspace (partial);
  return 1;
}
