/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kdx-store.h"

G_BEGIN_DECLS

#define KDX_TYPE_JOURNAL_PAGE (kdx_journal_page_get_type ())
G_DECLARE_FINAL_TYPE (KdxJournalPage, kdx_journal_page, KDX, JOURNAL_PAGE, GtkWidget)

KdxJournalPage *kdx_journal_page_new          (void);
void            kdx_journal_page_set_store    (KdxJournalPage *self,
                                               KdxStore       *store);
void            kdx_journal_page_focus_search (KdxJournalPage *self);
GListModel     *kdx_journal_page_get_model    (KdxJournalPage *self);
void            kdx_journal_page_select       (KdxJournalPage *self,
                                               guint           position);

G_END_DECLS
