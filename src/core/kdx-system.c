/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-system"

#include "config.h"

#include "kdx-system.h"

/* Being written: see issue 4. */
