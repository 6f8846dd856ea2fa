/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Benchmark: coverage of all systems and one catalog (issue 4: "coverage
 * of all systems and one catalog ≤ 200 ms") on the large demo workspace,
 * and the matrix systems × policies that the coverage view draws.
 *
 * Method: kdx_coverage_systems() — what the coverage view, the register
 * and `kodex-cli coverage` call — for the EU AI Act (the obligations of
 * each system's classification) and for NIST AI RMF (every one of its 72
 * subcategories for every system), and kdx_coverage_matrix_load() for
 * every live system × every live policy. Each runs once to warm the page
 * cache, then RUNS times (default 7); the median wall time is judged.
 *
 * A workspace with fewer than 2,000 AI systems (the large demo before it
 * gained its systems) is measured on a copy, made in a private folder next
 * to it and removed afterwards, to which this program adds the missing
 * systems directly in one transaction: a mix of risk classes with the
 * obligations they imply, each system applied to 3–8 random policies
 * with random statuses, and — when the policies cover few requirements —
 * 1–4 random requirements per policy. The seed is fixed, so every run
 * measures the same data. The workspace given is never written.
 *
 * The first row names the workspace: live systems and policies, and the
 * links policy ↔ system + policy ↔ requirement.
 *
 *   bench-coverage LARGE.kodex [RUNS]
 */
#include "config.h"

#include "kdx-mapping.h"
#include "kdx-store.h"

#include "bench-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOAL_MS   200.0
#define N_SYSTEMS 2000
#define SEED      20240801

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static GArray *
query_ids (KdxStore   *store,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = kdx_store_prepare (store, sql, NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  return ids;
}

static gboolean
step (KdxStore      *store,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  gboolean ok = kdx_store_step_done (store, stmt, error);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

/* What a classification asks of a system, by its class and role:
 * obligation id, catalog and requirement code as kdx-classify.c has them. */
typedef struct
{
  const char *obligation;
  const char *catalog;
  const char *code;
} Obligation;

static const Obligation deployer_high[] = {
  { "ai-act-4", "eu-ai-act", "art-4" },
  { "ai-act-26", "eu-ai-act", "art-26" },
  { "gdpr-22", "gdpr", "art-22" },
  { "gdpr-35", "gdpr", "art-35" },
};
static const Obligation provider_high[] = {
  { "ai-act-4", "eu-ai-act", "art-4" },
  { "ai-act-9", "eu-ai-act", "art-9" },
  { "ai-act-10", "eu-ai-act", "art-10" },
  { "ai-act-11", "eu-ai-act", "art-11" },
  { "ai-act-12", "eu-ai-act", "art-12" },
  { "ai-act-13", "eu-ai-act", "art-13" },
  { "ai-act-14", "eu-ai-act", "art-14" },
  { "ai-act-15", "eu-ai-act", "art-15" },
  { "ai-act-26", "eu-ai-act", "art-26" },
  { "ai-act-72", "eu-ai-act", "art-72" },
  { "ai-act-73", "eu-ai-act", "art-73" },
};
static const Obligation limited[] = {
  { "ai-act-4", "eu-ai-act", "art-4" },
  { "ai-act-50", "eu-ai-act", "art-50" },
};
static const Obligation minimal[] = {
  { "ai-act-4", "eu-ai-act", "art-4" },
};

/* Adds systems until there are N_SYSTEMS live ones, with their mappings,
 * in one transaction and without the journal: a fixture, not a history. */
static gboolean
add_systems (KdxStore  *store,
             GError   **error)
{
  static const char *use_cases[] = {
    "lead-scoring", "sales-chatbot", "call-analysis", "dynamic-pricing", "next-best-offer",
    "rep-performance", "credit-check", "sales-forecasting", "generated-content",
  };
  static const char *lifecycles[] = { "planned", "pilot", "production", "production", "retired" };
  /* Weighted towards what a committee meets. */
  static const char *statuses[] = {
    "compliant", "compliant", "compliant", "partial", "partial", "non-compliant",
    "not-assessed", "not-assessed", "not-applicable",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(GArray) policies = query_ids (store, "SELECT id FROM policy WHERE trashed IS NULL");
  g_autoptr(GArray) requirements = NULL;
  g_autoptr(sqlite3_stmt) system = NULL;
  g_autoptr(sqlite3_stmt) obligation = NULL;
  g_autoptr(sqlite3_stmt) applied = NULL;
  g_autoptr(sqlite3_stmt) covers = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) time = g_date_time_new_now_utc ();
  gint64 live = kdx_store_count (store, "SELECT count(*) FROM ai_system WHERE trashed IS NULL");
  gint64 next = kdx_store_count (store, "SELECT coalesce(max(CAST(substr(key, 5) AS INTEGER)), 0) "
                                 "FROM ai_system WHERE key LIKE 'SYS-%'") + 1;
  gint64 links = kdx_store_count (store, "SELECT count(*) FROM policy_requirement");

  if (policies->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the workspace has no policies");
      return FALSE;
    }
  requirements = query_ids (store, "SELECT r.id FROM requirement r JOIN catalog c "
                            "ON c.id = r.catalog_id WHERE c.key IN ('eu-ai-act', 'nist-ai-rmf', "
                            "'gdpr', 'iso-42001')");
  now = g_date_time_format_iso8601 (time);

  if (!kdx_store_begin (store, error))
    return FALSE;

  system = kdx_store_prepare (store, "INSERT INTO ai_system (uuid, key, name, sort_key, use_case, "
                              "lifecycle, role, risk, classified, created, modified) "
                              "VALUES (?1, ?2, ?3, lower(?3), ?4, ?5, ?6, ?7, ?9, ?8, ?8)", error);
  obligation = kdx_store_prepare (store, "INSERT OR IGNORE INTO system_obligation (system_id, "
                                  "obligation, catalog, code) VALUES (?1, ?2, ?3, ?4)", error);
  applied = kdx_store_prepare (store, "INSERT OR IGNORE INTO policy_system (policy_id, system_id, "
                               "status, assessed) VALUES (?1, ?2, ?3, ?4)", error);
  covers = kdx_store_prepare (store, "INSERT OR IGNORE INTO policy_requirement (policy_id, "
                              "requirement_id, created) VALUES (?1, ?2, ?3)", error);
  if (system == NULL || obligation == NULL || applied == NULL || covers == NULL)
    goto fail;

  for (; live < N_SYSTEMS; live++, next++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *key = g_strdup_printf ("SYS-%03" G_GINT64_FORMAT, next);
      g_autofree char *name = g_strdup_printf ("Benchmark-System %" G_GINT64_FORMAT, next);
      guint kind = g_rand_int_range (rand, 0, 10);
      const Obligation *list;
      guint n_list;
      const char *risk;
      gint64 id;
      guint n_policies;

      /* 30 % high (a tenth of them built in-house), 30 % limited,
       * 30 % minimal, 10 % not yet classified. */
      if (kind < 3)
        {
          gboolean provider = g_rand_int_range (rand, 0, 10) == 0;

          risk = "high";
          list = provider ? provider_high : deployer_high;
          n_list = provider ? G_N_ELEMENTS (provider_high) : G_N_ELEMENTS (deployer_high);
        }
      else if (kind < 6)
        risk = "limited", list = limited, n_list = G_N_ELEMENTS (limited);
      else if (kind < 9)
        risk = "minimal", list = minimal, n_list = G_N_ELEMENTS (minimal);
      else
        risk = NULL, list = NULL, n_list = 0;

      sqlite3_bind_text (system, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (system, 2, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (system, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (system, 4, use_cases[g_rand_int_range (rand, 0, G_N_ELEMENTS (use_cases))],
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (system, 5, lifecycles[g_rand_int_range (rand, 0, G_N_ELEMENTS (lifecycles))],
                         -1, SQLITE_STATIC);
      if (risk != NULL)
        {
          sqlite3_bind_text (system, 6, list == provider_high ? "provider-deployer" : "deployer",
                             -1, SQLITE_STATIC);
          sqlite3_bind_text (system, 7, risk, -1, SQLITE_STATIC);
          sqlite3_bind_text (system, 9, now, -1, SQLITE_TRANSIENT);
        }
      sqlite3_bind_text (system, 8, now, -1, SQLITE_TRANSIENT);
      if (!step (store, system, error))
        goto fail;
      id = sqlite3_last_insert_rowid (kdx_store_get_db (store));

      for (guint i = 0; i < n_list; i++)
        {
          sqlite3_bind_int64 (obligation, 1, id);
          sqlite3_bind_text (obligation, 2, list[i].obligation, -1, SQLITE_STATIC);
          sqlite3_bind_text (obligation, 3, list[i].catalog, -1, SQLITE_STATIC);
          sqlite3_bind_text (obligation, 4, list[i].code, -1, SQLITE_STATIC);
          if (!step (store, obligation, error))
            goto fail;
        }

      n_policies = g_rand_int_range (rand, 3, 9);
      for (guint i = 0; i < n_policies; i++)
        {
          sqlite3_bind_int64 (applied, 1, g_array_index (policies, gint64,
                                                         g_rand_int_range (rand, 0, policies->len)));
          sqlite3_bind_int64 (applied, 2, id);
          sqlite3_bind_text (applied, 3, statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))],
                             -1, SQLITE_STATIC);
          sqlite3_bind_text (applied, 4, "2025-06-30", -1, SQLITE_STATIC);
          if (!step (store, applied, error))
            goto fail;
        }
    }

  if (links < policies->len && requirements->len > 0)
    for (guint p = 0; p < policies->len; p++)
      {
        guint n = g_rand_int_range (rand, 1, 5);

        for (guint i = 0; i < n; i++)
          {
            sqlite3_bind_int64 (covers, 1, g_array_index (policies, gint64, p));
            sqlite3_bind_int64 (covers, 2, g_array_index (requirements, gint64,
                                                          g_rand_int_range (rand, 0, requirements->len)));
            sqlite3_bind_text (covers, 3, now, -1, SQLITE_TRANSIENT);
            if (!step (store, covers, error))
              goto fail;
          }
      }

  return kdx_store_commit (store, error);

fail:
  kdx_store_rollback (store);
  return FALSE;
}

/* The copy is ours and was just made from a workspace that opened: its
 * deep check (minutes of reading for the large demo) is skipped, so that
 * it can be written at once. */
static KdxStore *
open_copy (const char  *path,
           GError     **error)
{
  KdxStore *store = kdx_store_open (path, KDX_STORE_OPEN_DEFER_CHECK, error);

  if (store != NULL)
    kdx_store_mark_checked (store);

  return store;
}

/* The median of @runs timings of the coverage of @catalog, or of the
 * matrix when @catalog is NULL; -1 when it fails. @rows and @columns
 * receive the size of the result. */
static double
measure (KdxStore    *store,
         const char  *catalog,
         guint        runs,
         guint       *rows,
         guint       *columns,
         GError     **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; r <= runs; r++)
    {
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (catalog != NULL)
        {
          g_autoptr(GPtrArray) systems = kdx_coverage_systems (store, catalog, error);

          if (systems == NULL)
            return -1;
          *rows = systems->len;
          *columns = 1;
        }
      else
        {
          g_autoptr(KdxCoverageMatrix) matrix = kdx_coverage_matrix_load (store, error);

          if (matrix == NULL)
            return -1;
          *rows = matrix->n_systems;
          *columns = matrix->n_policies;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (r > 0)
        g_array_append_val (times, ms);
    }
  return bench_median (times);
}

int
main (int argc, char **argv)
{
  static const char *catalogs[] = { "eu-ai-act", "nist-ai-rmf" };
  g_autoptr(GError) error = NULL;
  g_autoptr(KdxStore) store = NULL;
  g_autofree char *copy_dir = NULL;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 7;
  const char *path;
  gint64 n_systems;
  int status = 0;

  if (argc < 2 || runs == 0)
    {
      fprintf (stderr, "usage: bench-coverage LARGE.kodex [RUNS]\n");
      return 1;
    }
  path = argv[1];

  store = bench_open_workspace ("bench-coverage", path);
  if (store == NULL)
    return 1;
  /* A workspace from before AI systems (schema 5) has no such table. */
  n_systems = kdx_store_count (store, "SELECT count(*) FROM sqlite_schema WHERE name = 'ai_system'") > 0
              ? kdx_store_count (store, "SELECT count(*) FROM ai_system WHERE trashed IS NULL") : 0;
  if (n_systems < N_SYSTEMS)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *template = g_build_filename (dir, ".bench-coverage-XXXXXX", NULL);
      g_autofree char *copy = NULL;
      g_autoptr(GFile) src = g_file_new_for_path (path);
      g_autoptr(GFile) dest = NULL;
      gint64 start = g_get_monotonic_time ();

      kdx_store_close (store);
      g_clear_object (&store);

      copy_dir = g_mkdtemp (g_steal_pointer (&template));
      if (copy_dir == NULL)
        {
          fprintf (stderr, "bench-coverage: no private folder next to %s\n", path);
          return 1;
        }
      copy = g_build_filename (copy_dir, "coverage.kodex", NULL);
      dest = g_file_new_for_path (copy);
      fprintf (stderr, "bench-coverage: %" G_GINT64_FORMAT " systems; adding the rest to a copy\n",
               MAX (n_systems, 0));
      if (!g_file_copy (src, dest, G_FILE_COPY_NONE, NULL, NULL, NULL, &error) ||
          (store = open_copy (copy, &error)) == NULL || !add_systems (store, &error))
        {
          fprintf (stderr, "bench-coverage: %s\n", error->message);
          if (store != NULL)
            kdx_store_close (store);
          remove_dir (copy_dir);
          return 1;
        }
      kdx_store_close (store);
      g_clear_object (&store);
      store = bench_open_workspace ("bench-coverage", copy);
      if (store == NULL)
        {
          remove_dir (copy_dir);
          return 1;
        }
      fprintf (stderr, "bench-coverage: copy ready in %.1f s\n",
               (g_get_monotonic_time () - start) / 1e6);
    }

  {
    g_autofree char *what = g_strdup_printf ("  workspace: %" G_GINT64_FORMAT " systems, %"
                                             G_GINT64_FORMAT " policies",
                                             kdx_store_count (store, "SELECT count(*) FROM ai_system "
                                                              "WHERE trashed IS NULL"),
                                             kdx_store_count (store, "SELECT count(*) FROM policy "
                                                              "WHERE trashed IS NULL"));
    g_autofree char *links = g_strdup_printf ("%" G_GINT64_FORMAT " + %" G_GINT64_FORMAT " links",
                                              kdx_store_count (store, "SELECT count(*) FROM "
                                                               "policy_system"),
                                              kdx_store_count (store, "SELECT count(*) FROM "
                                                               "policy_requirement"));

    bench_row (what, links, "", "");
  }

  for (guint c = 0; c <= G_N_ELEMENTS (catalogs) && status == 0; c++)
    {
      const char *catalog = c < G_N_ELEMENTS (catalogs) ? catalogs[c] : NULL;
      g_autofree char *what = NULL;
      g_autofree char *measured = NULL;
      guint n = 0, m = 0;
      double median = measure (store, catalog, runs, &n, &m, &error);

      if (median < 0)
        {
          fprintf (stderr, "bench-coverage: %s\n", error->message);
          status = 1;
          break;
        }
      if (catalog != NULL)
        what = g_strdup_printf ("coverage of %u systems, %s", n, catalog);
      else
        what = g_strdup_printf ("coverage matrix %u x %u", n, m);
      measured = g_strdup_printf ("%.1f ms (median of %u)", median, runs);
      bench_row (what, measured, "<= 200 ms", median <= GOAL_MS ? "PASS" : "MISS");
    }

  kdx_store_close (store);
  if (copy_dir != NULL)
    remove_dir (copy_dir);

  return status;
}
