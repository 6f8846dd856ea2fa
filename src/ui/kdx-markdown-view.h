/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kdx-markdown.h"

G_BEGIN_DECLS

#define KDX_TYPE_MARKDOWN_VIEW (kdx_markdown_view_get_type ())
G_DECLARE_FINAL_TYPE (KdxMarkdownView, kdx_markdown_view, KDX, MARKDOWN_VIEW, GtkTextView)

GtkWidget      *kdx_markdown_view_new               (void);

/* Shows @markdown rendered. After a small edit only the part of the text
 * that changed is replaced, so that typing stays smooth and the view
 * keeps its scroll position. */
void            kdx_markdown_view_set_markdown      (KdxMarkdownView *self,
                                                     const char      *markdown);

/* What is shown (its outline lists the headings); NULL before the first
 * kdx_markdown_view_set_markdown(). */
KdxMarkdownDoc *kdx_markdown_view_get_doc           (KdxMarkdownView *self);

/* Scrolls heading @index of the outline to the top of the view. */
void            kdx_markdown_view_scroll_to_heading (KdxMarkdownView *self,
                                                     guint            index);

G_END_DECLS
