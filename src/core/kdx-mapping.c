/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-mapping"

#include "config.h"

#include "kdx-mapping.h"

/* Being written: see issue 4. */
