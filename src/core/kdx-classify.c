/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-classify"

#include "config.h"

#include "kdx-classify.h"

/* Being written: see issue 4. */
