/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kdx-store.h"

G_BEGIN_DECLS

/* The line every report prints so that an auditor can later prove the
 * workspace was not rewritten: "Journal: N entries, head HASH". */
char *kdx_report_dup_journal_head_line (KdxStore *store);

G_END_DECLS
