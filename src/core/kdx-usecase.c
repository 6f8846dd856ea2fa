/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kdx-usecase"

#include "config.h"

#include "kdx-usecase.h"

/* Being written: see issue 4. */
