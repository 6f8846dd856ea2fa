/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-training"

#include "config.h"

#include "kdx-training-overview.h"

#include "kdx-date.h"
#include "kdx-store-private.h"
#include "kdx-training.h"

#include <string.h>

static gint64
count_with_dates (KdxStore   *store,
                  const char *sql,
                  const char *date1,
                  const char *date2)
{
  g_autoptr(KdxCachedStmt) stmt = kdx_store_prepare_cached (store, sql, NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, date1, -1, SQLITE_TRANSIENT);
  if (date2 != NULL)
    sqlite3_bind_text (stmt, 2, date2, -1, SQLITE_TRANSIENT);

  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

void
kdx_training_count_overview (KdxStore          *store,
                             const char        *today,
                             KdxTrainingCounts *counts)
{
  g_autofree char *now = today ? g_strdup (today) : kdx_date_today ();
  g_autofree char *in_30 = kdx_date_add_days (now, 30);

  memset (counts, 0, sizeof *counts);
  counts->courses = kdx_store_count (store, "SELECT count(*) FROM course WHERE trashed IS NULL");
  /* Of live, active people in live courses, as the status views and the
   * Overdue list count them. */
  counts->overdue = MAX (kdx_training_count_overdue (store, now), 0);
  counts->expiring_30 = MAX (kdx_training_count_expiring (store, now, in_30), 0);
  counts->literacy_courses =
    kdx_store_count (store, "SELECT count(*) FROM course WHERE trashed IS NULL AND ai_literacy = 1");
  if (counts->literacy_courses > 0)
    {
      counts->literacy_people =
        kdx_store_count (store,
                         "SELECT (SELECT count(*) FROM person)"
                         " - (SELECT count(*) FROM person WHERE trashed IS NOT NULL)"
                         " - (SELECT count(*) FROM person WHERE trashed IS NULL AND active = 0)");
      /* Everyone with a completion of some AI-literacy course that has
       * not expired; such rounds are found from the course, not by
       * reading every person. */
      counts->literacy_valid =
        count_with_dates (store,
                          "SELECT count(DISTINCT a.person_id) FROM course c"
                          " JOIN assignment a ON a.course_id = c.id"
                          " JOIN person p ON p.id = a.person_id"
                          " WHERE c.trashed IS NULL AND c.ai_literacy = 1"
                          "   AND a.completed IS NOT NULL AND (a.expires IS NULL OR a.expires > ?1)"
                          "   AND p.trashed IS NULL AND p.active = 1",
                          now, NULL);
    }
  counts->gated_systems = kdx_training_count_gated_systems (store, now);
}
