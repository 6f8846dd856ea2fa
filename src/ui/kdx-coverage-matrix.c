/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The coverage matrix of the Frameworks area: every AI system (a row)
 * against every policy (a column), each cell showing the compliance
 * status of the system with the policy, or nothing where the policy does
 * not apply to it. The data is kdx_coverage_matrix_load(): one byte per
 * cell, so 2,000 × 2,000 is 4 MB and loads in one query.
 *
 * A private widget, KdxMatrixGrid, draws it. It is a GtkScrollable in a
 * GtkScrolledWindow, sized only to the viewport, and its snapshot() draws
 * the cells that are visible and nothing else — a few hundred colour
 * nodes per frame whatever the size of the matrix — with the system
 * labels pinned on the left and the policy keys pinned on top. Colours
 * come from the theme's named colours (so dark style works), and each
 * status also has a shape and, in cells large enough, a symbol, so that
 * colour is never the only sign.
 */
#define G_LOG_DOMAIN "kdx-coverage-matrix"

#include "config.h"

#include "kdx-coverage-matrix.h"

#include "kdx-format.h"
#include "kdx-mapping.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* The zoom steps, in pixels per cell. */
static const int cell_sizes[] = { 8, 12, 16, 24, 32 };
#define DEFAULT_CELL_SIZE 24
/* From this size on, a cell shows its status's symbol too. */
#define SYMBOL_MIN_SIZE 16
#define HEADER_PADDING 6
/* With more shapes than this in view they are drawn as one image. */
#define MANY_CELLS 400

/* The symbols of the statuses, in the cells and the legend. */
static const char *const compliance_symbols[] = {
  "✓",   /* compliant */
  "◐",   /* partial */
  "✗",   /* non-compliant */
  "?",   /* not assessed */
  "–",   /* not applicable */
};
G_STATIC_ASSERT (G_N_ELEMENTS (compliance_symbols) == KDX_COMPLIANCE_N_STATES);

static const char *const compliance_classes[] = {
  "kdx-matrix-compliant", "kdx-matrix-partial", "kdx-matrix-non-compliant",
  "kdx-matrix-not-assessed", "kdx-matrix-not-applicable",
};
G_STATIC_ASSERT (G_N_ELEMENTS (compliance_classes) == KDX_COMPLIANCE_N_STATES);

/* ------------------------------------------------------------------ */
/* The grid                                                           */

#define KDX_TYPE_MATRIX_GRID (kdx_matrix_grid_get_type ())
G_DECLARE_FINAL_TYPE (KdxMatrixGrid, kdx_matrix_grid, KDX, MATRIX_GRID, GtkWidget)

typedef struct
{
  GdkRGBA fill[KDX_COMPLIANCE_N_STATES];
  GdkRGBA symbol[KDX_COMPLIANCE_N_STATES];
  GdkRGBA outline;       /* not assessed */
  GdkRGBA background;    /* behind a non-compliant cell's hole */
  GdkRGBA text;
  GdkRGBA dim_text;
  GdkRGBA stripe;
  GdkRGBA separator;
  GdkRGBA highlight;     /* the row and column under the pointer */
  GdkRGBA focus;
} Palette;

struct _KdxMatrixGrid
{
  GtkWidget           parent_instance;

  GtkAdjustment      *hadjustment;
  GtkAdjustment      *vadjustment;
  guint               hscroll_policy : 1;
  guint               vscroll_policy : 1;

  KdxCoverageMatrix  *matrix;        /* NULL: nothing to show */
  KdxStore           *store;         /* for the assessment in a tooltip */

  int                 cell;          /* pixels per cell */
  int                 header_width;  /* the system labels */
  int                 header_height; /* the policy keys */
  int                 line_height;   /* of a label */

  int                 focus_row;     /* -1: none */
  int                 focus_col;
  int                 hover_row;     /* -1: none */
  int                 hover_col;

  /* Made when first drawn, kept while the matrix and the font stay. */
  PangoLayout       **row_layouts;   /* n_systems */
  PangoLayout       **col_layouts;   /* n_policies */
  PangoLayout        *symbols[KDX_COMPLIANCE_N_STATES];
  PangoLayout        *corner;
  gboolean            measured;      /* line_height and header_height are valid */
  PangoFontDescription *font;        /* the layouts were made for it */

  /* The tooltip shown last, kept while the pointer stays on its cell so
   * that moving within a cell does not query the store again. */
  int                 tip_row;
  int                 tip_col;
  char               *tip_text;

  /* See draw_shapes_image(). */
  cairo_surface_t    *images[3];
  guint               image_turn;
};

enum
{
  GRID_PROP_0,
  GRID_PROP_HADJUSTMENT,
  GRID_PROP_VADJUSTMENT,
  GRID_PROP_HSCROLL_POLICY,
  GRID_PROP_VSCROLL_POLICY,
};

enum
{
  GRID_SIGNAL_ACTIVATE_CELL,
  GRID_N_SIGNALS
};

static guint grid_signals[GRID_N_SIGNALS];

static void kdx_matrix_grid_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KdxMatrixGrid, kdx_matrix_grid, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      kdx_matrix_grid_scrollable_init))

static guint
grid_n_rows (KdxMatrixGrid *self)
{
  return self->matrix != NULL ? self->matrix->n_systems : 0;
}

static guint
grid_n_cols (KdxMatrixGrid *self)
{
  return self->matrix != NULL ? self->matrix->n_policies : 0;
}

static void
clear_layouts (KdxMatrixGrid *self)
{
  for (guint i = 0; self->row_layouts != NULL && i < grid_n_rows (self); i++)
    g_clear_object (&self->row_layouts[i]);
  for (guint i = 0; self->col_layouts != NULL && i < grid_n_cols (self); i++)
    g_clear_object (&self->col_layouts[i]);
  g_clear_pointer (&self->row_layouts, g_free);
  g_clear_pointer (&self->col_layouts, g_free);
  for (guint i = 0; i < KDX_COMPLIANCE_N_STATES; i++)
    g_clear_object (&self->symbols[i]);
  g_clear_object (&self->corner);
  self->measured = FALSE;
}

static void
forget_tooltip (KdxMatrixGrid *self)
{
  self->tip_row = self->tip_col = -1;
  g_clear_pointer (&self->tip_text, g_free);
}

/* "POL-004 · Disclosure" → "POL-004": the column headers show the key. */
static char *
key_of (const char *label)
{
  const char *dot = strstr (label, " · ");

  return dot != NULL ? g_strndup (label, dot - label) : g_strdup (label);
}

/* The header sizes follow the font and the longest policy key; the keys
 * are measured by their length in characters first, so that only one of
 * them goes through Pango. */
static void
measure (KdxMatrixGrid *self)
{
  g_autoptr(PangoLayout) probe = NULL;
  g_autofree char *longest = NULL;
  glong longest_chars = 0;
  int width, height;

  if (self->measured)
    return;

  probe = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Xg");
  pango_layout_get_pixel_size (probe, NULL, &height);
  self->line_height = MAX (height, 1);

  for (guint c = 0; c < grid_n_cols (self); c++)
    {
      g_autofree char *key = key_of (self->matrix->policy_labels[c]);
      glong chars = g_utf8_strlen (key, -1);

      if (chars > longest_chars)
        {
          longest_chars = chars;
          g_free (longest);
          longest = g_steal_pointer (&key);
        }
    }
  pango_layout_set_text (probe, longest != NULL ? longest : "POL-000", -1);
  pango_layout_get_pixel_size (probe, &width, NULL);
  self->header_height = CLAMP (width + 2 * HEADER_PADDING, 48, 140);
  self->header_width = 240;
  self->measured = TRUE;
}

static PangoLayout *
row_layout (KdxMatrixGrid *self,
            guint          row)
{
  if (self->row_layouts == NULL)
    self->row_layouts = g_new0 (PangoLayout *, MAX (grid_n_rows (self), 1));
  if (self->row_layouts[row] == NULL)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                            self->matrix->system_labels[row]);

      pango_layout_set_width (layout, (self->header_width - 2 * HEADER_PADDING) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      self->row_layouts[row] = layout;
    }

  return self->row_layouts[row];
}

static PangoLayout *
col_layout (KdxMatrixGrid *self,
            guint          col)
{
  if (self->col_layouts == NULL)
    self->col_layouts = g_new0 (PangoLayout *, MAX (grid_n_cols (self), 1));
  if (self->col_layouts[col] == NULL)
    {
      g_autofree char *key = key_of (self->matrix->policy_labels[col]);
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), key);

      pango_layout_set_width (layout, (self->header_height - 2 * HEADER_PADDING) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      self->col_layouts[col] = layout;
    }

  return self->col_layouts[col];
}

static PangoLayout *
symbol_layout (KdxMatrixGrid *self,
               KdxCompliance  status)
{
  if (self->symbols[status] == NULL)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                            compliance_symbols[status]);
      PangoFontDescription *font = pango_font_description_copy (
        pango_context_get_font_description (pango_layout_get_context (layout)));

      pango_font_description_set_absolute_size (font, self->cell * 0.6 * PANGO_SCALE);
      pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
      self->symbols[status] = layout;
    }

  return self->symbols[status];
}

static void
lookup (GtkStyleContext *context,
        const char      *name,
        const char      *fallback,
        GdkRGBA         *color)
{
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  return (GdkRGBA) { color->red, color->green, color->blue, color->alpha * alpha };
}

/* The named colours of the theme, read at each frame: a handful of hash
 * lookups, and a switch to dark style needs nothing else. */
static void
palette_init (KdxMatrixGrid *self,
              Palette       *p)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA success, warning, error, fg, bg, accent;

  lookup (context, "success_color", "#1b8553", &success);
  lookup (context, "warning_color", "#9c6e03", &warning);
  lookup (context, "error_color", "#c01c28", &error);
  lookup (context, "view_fg_color", "rgba(0,0,0,0.8)", &fg);
  lookup (context, "view_bg_color", "#ffffff", &bg);
  lookup (context, "accent_color", "#1c71d8", &accent);
  G_GNUC_END_IGNORE_DEPRECATIONS

  p->fill[KDX_COMPLIANCE_COMPLIANT] = success;
  p->fill[KDX_COMPLIANCE_PARTIAL] = warning;
  p->fill[KDX_COMPLIANCE_NON_COMPLIANT] = error;
  p->fill[KDX_COMPLIANCE_NOT_ASSESSED] = (GdkRGBA) { 0, 0, 0, 0 };
  p->fill[KDX_COMPLIANCE_NOT_APPLICABLE] = with_alpha (&fg, 0.13f);
  bg.alpha = 1.0f;
  for (guint i = 0; i < KDX_COMPLIANCE_NOT_ASSESSED; i++)
    p->symbol[i] = bg;
  p->symbol[KDX_COMPLIANCE_NOT_ASSESSED] = with_alpha (&fg, 0.75f);
  p->symbol[KDX_COMPLIANCE_NOT_APPLICABLE] = with_alpha (&fg, 0.6f);
  p->outline = with_alpha (&fg, 0.5f);
  p->background = bg;
  p->text = fg;
  p->dim_text = with_alpha (&fg, 0.55f);
  p->stripe = with_alpha (&fg, 0.035f);
  p->separator = with_alpha (&fg, 0.15f);
  p->highlight = with_alpha (&accent, 0.12f);
  p->focus = accent;
}

/* The scroll offsets, in pixels from the first cell. */
static double
scroll_x (KdxMatrixGrid *self)
{
  return self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0;
}

static double
scroll_y (KdxMatrixGrid *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

/* The rows and columns at least partly in view; FALSE when none. */
static gboolean
visible_range (KdxMatrixGrid *self,
               int            width,
               int            height,
               int           *first_row,
               int           *last_row,
               int           *first_col,
               int           *last_col)
{
  int cells_w = width - self->header_width;
  int cells_h = height - self->header_height;
  double x0 = scroll_x (self), y0 = scroll_y (self);

  if (grid_n_rows (self) == 0 || grid_n_cols (self) == 0 || cells_w <= 0 || cells_h <= 0)
    return FALSE;

  *first_col = CLAMP ((int) floor (x0 / self->cell), 0, (int) grid_n_cols (self) - 1);
  *last_col = CLAMP ((int) floor ((x0 + cells_w - 1) / self->cell), 0, (int) grid_n_cols (self) - 1);
  *first_row = CLAMP ((int) floor (y0 / self->cell), 0, (int) grid_n_rows (self) - 1);
  *last_row = CLAMP ((int) floor ((y0 + cells_h - 1) / self->cell), 0, (int) grid_n_rows (self) - 1);

  return TRUE;
}

static void
draw_cell (KdxMatrixGrid *self,
           GtkSnapshot   *snapshot,
           const Palette *p,
           KdxCompliance  status,
           float          x,
           float          y)
{
  float inset = self->cell >= 12 ? 2.f : 1.f;
  float side = self->cell - 2 * inset;
  graphene_rect_t box = GRAPHENE_RECT_INIT (x + inset, y + inset, side, side);

  switch (status)
    {
    case KDX_COMPLIANCE_COMPLIANT:
      gtk_snapshot_append_color (snapshot, &p->fill[status], &box);
      break;

    case KDX_COMPLIANCE_PARTIAL:
      {
        /* Half solid, half faint: a shape of its own at any size. */
        GdkRGBA faint = with_alpha (&p->fill[status], 0.45f);

        gtk_snapshot_append_color (snapshot, &faint, &box);
        gtk_snapshot_append_color (snapshot, &p->fill[status],
                                   &GRAPHENE_RECT_INIT (x + inset, y + inset + side / 2, side, side / 2));
      }
      break;

    case KDX_COMPLIANCE_NON_COMPLIANT:
      gtk_snapshot_append_color (snapshot, &p->fill[status], &box);
      /* Too small for a symbol: a hole in the middle tells it from
       * compliant without its colour. */
      if (self->cell < SYMBOL_MIN_SIZE)
        {
          float hole = MAX (side / 3, 1.f);

          gtk_snapshot_append_color (snapshot, &p->background,
                                     &GRAPHENE_RECT_INIT (x + (self->cell - hole) / 2,
                                                          y + (self->cell - hole) / 2, hole, hole));
        }
      break;

    case KDX_COMPLIANCE_NOT_ASSESSED:
      {
        GskRoundedRect outline;
        float widths[4] = { 1, 1, 1, 1 };
        GdkRGBA colors[4] = { p->outline, p->outline, p->outline, p->outline };

        gsk_rounded_rect_init_from_rect (&outline, &box, 0);
        gtk_snapshot_append_border (snapshot, &outline, widths, colors);
      }
      break;

    case KDX_COMPLIANCE_NOT_APPLICABLE:
      gtk_snapshot_append_color (snapshot, &p->fill[status], &box);
      break;

    case KDX_COMPLIANCE_N_STATES:
    default:
      return;
    }

}

static void
draw_symbol (KdxMatrixGrid *self,
             GtkSnapshot   *snapshot,
             const Palette *p,
             KdxCompliance  status,
             float          x,
             float          y)
{
  PangoLayout *layout = symbol_layout (self, status);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + (self->cell - w) / 2.f,
                                                          y + (self->cell - h) / 2.f));
  gtk_snapshot_append_layout (snapshot, layout, &p->symbol[status]);
  gtk_snapshot_restore (snapshot);
}

/* The shape of a status in a cell of @px device pixels, as premultiplied
 * ARGB32 pixels (cairo's and GDK's default): what draw_cell() draws. */
static void
make_stamp (KdxMatrixGrid *self,
            const Palette *p,
            KdxCompliance  status,
            int            px,
            int            scale,
            guint32       *pixels)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, px, px);
  int stride = cairo_image_surface_get_stride (surface);
  int inset = (self->cell >= 12 ? 2 : 1) * scale;
  int side = px - 2 * inset;
  cairo_t *cr = cairo_create (surface);
  const guint8 *data;

  switch (status)
    {
    case KDX_COMPLIANCE_PARTIAL:
      {
        GdkRGBA faint = with_alpha (&p->fill[status], 0.45f);

        gdk_cairo_set_source_rgba (cr, &faint);
        cairo_rectangle (cr, inset, inset, side, side / 2);
        cairo_fill (cr);
        gdk_cairo_set_source_rgba (cr, &p->fill[status]);
        cairo_rectangle (cr, inset, inset + side / 2, side, side - side / 2);
        cairo_fill (cr);
      }
      break;

    case KDX_COMPLIANCE_NOT_ASSESSED:
      gdk_cairo_set_source_rgba (cr, &p->outline);
      cairo_rectangle (cr, inset, inset, side, side);
      cairo_rectangle (cr, inset + scale, inset + side - scale, side - 2 * scale, -(side - 2 * scale));
      cairo_fill (cr);
      break;

    case KDX_COMPLIANCE_NON_COMPLIANT:
      gdk_cairo_set_source_rgba (cr, &p->fill[status]);
      cairo_rectangle (cr, inset, inset, side, side);
      cairo_fill (cr);
      if (self->cell < SYMBOL_MIN_SIZE)
        {
          int hole = MAX (side / 3, scale);

          /* Cleared, so that the stripe of the row shows through. */
          cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
          cairo_rectangle (cr, (px - hole) / 2, (px - hole) / 2, hole, hole);
          cairo_fill (cr);
        }
      break;

    case KDX_COMPLIANCE_COMPLIANT:
    case KDX_COMPLIANCE_NOT_APPLICABLE:
    case KDX_COMPLIANCE_N_STATES:
    default:
      gdk_cairo_set_source_rgba (cr, &p->fill[status]);
      cairo_rectangle (cr, inset, inset, side, side);
      cairo_fill (cr);
      break;
    }

  /* The symbol too, so that a cell is one copy and no text node. */
  if (self->cell >= SYMBOL_MIN_SIZE)
    {
      PangoLayout *layout = symbol_layout (self, status);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
      cairo_scale (cr, scale, scale);
      cairo_move_to (cr, (self->cell - w) / 2.0, (self->cell - h) / 2.0);
      gdk_cairo_set_source_rgba (cr, &p->symbol[status]);
      pango_cairo_show_layout (cr, layout);
    }

  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < px; y++)
    memcpy (pixels + y * px, data + y * stride, px * sizeof (guint32));
  cairo_surface_destroy (surface);
}

/* Many cells in view (a dense matrix, a small zoom): their shapes copied
 * as pixels into one image, painted at once. GSK's cairo renderer (no
 * GPU, and the tests) pays for each colour node on its own, and so does
 * a cairo path for each rectangle; a copy of a few bytes per pixel row of
 * a cell costs almost nothing, and a GL renderer uploads one texture. */
static void
draw_shapes_image (KdxMatrixGrid *self,
                   GtkSnapshot   *snapshot,
                   const Palette *p,
                   int            first_row,
                   int            last_row,
                   int            first_col,
                   int            last_col,
                   float          origin_x,
                   float          origin_y)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int cell = self->cell;
  int px = cell * scale;
  int n_rows = last_row - first_row + 1;
  int n_cols = last_col - first_col + 1;
  int all_cols = grid_n_cols (self);
  g_autofree guint32 *stamps = g_new (guint32, (gsize) KDX_COMPLIANCE_N_STATES * px * px);
  cairo_surface_t *image;
  graphene_rect_t bounds;
  guint8 *data;
  cairo_t *cr;
  int stride;

  /* The images of the last frames are used again: a new one of a few MB
   * each frame would have every page of it fault in. One that a render
   * node of an earlier frame still shows is copied by cairo before it
   * changes, so reuse is safe, and three in turn seldom need that. */
  self->image_turn = (self->image_turn + 1) % G_N_ELEMENTS (self->images);
  image = self->images[self->image_turn];
  if (image == NULL || cairo_image_surface_get_width (image) != n_cols * px ||
      cairo_image_surface_get_height (image) != n_rows * px)
    {
      g_clear_pointer (&self->images[self->image_turn], cairo_surface_destroy);
      image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, n_cols * px, n_rows * px);
      if (cairo_surface_status (image) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (image);
          return;
        }
      self->images[self->image_turn] = image;
    }

  for (guint status = 0; status < KDX_COMPLIANCE_N_STATES; status++)
    make_stamp (self, p, status, px, scale, stamps + (gsize) status * px * px);

  cairo_surface_flush (image);
  stride = cairo_image_surface_get_stride (image);
  data = cairo_image_surface_get_data (image);
  memset (data, 0, (gsize) stride * n_rows * px);
  for (int r = 0; r < n_rows; r++)
    {
      const guint8 *row = self->matrix->cells + (gsize) (first_row + r) * all_cols + first_col;

      for (int c = 0; c < n_cols; c++)
        {
          const guint32 *stamp;
          guint8 *to;

          if (row[c] == 0)
            continue;
          stamp = stamps + (gsize) (row[c] - 1) * px * px;
          to = data + (gsize) r * px * stride + (gsize) c * px * sizeof (guint32);
          for (int y = 0; y < px; y++)
            memcpy (to + (gsize) y * stride, stamp + y * px, px * sizeof (guint32));
        }
    }
  cairo_surface_mark_dirty (image);
  cairo_surface_set_device_scale (image, scale, scale);

  /* On whole pixels, so that the image is not resampled. */
  bounds = GRAPHENE_RECT_INIT (roundf (origin_x) + first_col * cell, roundf (origin_y) + first_row * cell,
                               n_cols * cell, n_rows * cell);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_set_source_surface (cr, image, bounds.origin.x, bounds.origin.y);
  cairo_paint (cr);
  cairo_destroy (cr);
}

static void
kdx_matrix_grid_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int first_row, last_row, first_col, last_col;
  int hw, hh, cell, n_cols, label_step;
  guint n_shown = 0;
  double x0, y0;
  Palette p;

  if (!visible_range (self, width, height, &first_row, &last_row, &first_col, &last_col))
    return;

  measure (self);
  palette_init (self, &p);
  hw = self->header_width;
  hh = self->header_height;
  cell = self->cell;
  n_cols = grid_n_cols (self);
  x0 = scroll_x (self);
  y0 = scroll_y (self);
  /* Labels taller than a cell would overlap: then every n-th one. */
  label_step = MAX (1, (self->line_height + cell - 1) / cell);

  /* The cells. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (hw, hh, width - hw, height - hh));
  for (int r = first_row; r <= last_row; r++)
    if (r % 2 == 1)
      gtk_snapshot_append_color (snapshot, &p.stripe,
                                 &GRAPHENE_RECT_INIT (hw, hh + r * cell - y0, width - hw, cell));
  if (self->hover_row >= 0 && self->hover_col >= 0)
    {
      gtk_snapshot_append_color (snapshot, &p.highlight,
                                 &GRAPHENE_RECT_INIT (hw, hh + self->hover_row * cell - y0,
                                                      width - hw, cell));
      gtk_snapshot_append_color (snapshot, &p.highlight,
                                 &GRAPHENE_RECT_INIT (hw + self->hover_col * cell - x0, hh,
                                                      cell, height - hh));
    }
  for (int r = first_row; r <= last_row; r++)
    {
      const guint8 *row = self->matrix->cells + (gsize) r * n_cols;

      for (int c = first_col; c <= last_col; c++)
        n_shown += row[c] != 0;
    }
  if (n_shown > MANY_CELLS)
    draw_shapes_image (self, snapshot, &p, first_row, last_row, first_col, last_col,
                       hw - x0, hh - y0);
  for (int r = first_row; r <= last_row && n_shown > 0 && n_shown <= MANY_CELLS; r++)
    {
      const guint8 *row = self->matrix->cells + (gsize) r * n_cols;
      float y = hh + r * cell - y0;

      for (int c = first_col; c <= last_col; c++)
        {
          if (row[c] == 0)
            continue;
          draw_cell (self, snapshot, &p, row[c] - 1, hw + c * cell - x0, y);
          if (cell >= SYMBOL_MIN_SIZE)
            draw_symbol (self, snapshot, &p, row[c] - 1, hw + c * cell - x0, y);
        }
    }
  if (self->focus_row >= 0 && self->focus_col >= 0 && gtk_widget_has_focus (widget))
    {
      GskRoundedRect ring;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA colors[4] = { p.focus, p.focus, p.focus, p.focus };

      gsk_rounded_rect_init_from_rect (&ring,
                                       &GRAPHENE_RECT_INIT (hw + self->focus_col * cell - x0,
                                                            hh + self->focus_row * cell - y0,
                                                            cell, cell), 2);
      gtk_snapshot_append_border (snapshot, &ring, widths, colors);
    }
  gtk_snapshot_pop (snapshot);

  /* The system labels, pinned on the left. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, hh, hw, height - hh));
  for (int r = first_row; r <= last_row; r++)
    {
      float y = hh + r * cell - y0;
      gboolean marked = r == self->hover_row || r == self->focus_row;

      if (marked)
        gtk_snapshot_append_color (snapshot, &p.highlight, &GRAPHENE_RECT_INIT (0, y, hw, cell));
      if (r % label_step != 0 && !marked)
        continue;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (HEADER_PADDING,
                                                    y + (cell - self->line_height) / 2.f));
      gtk_snapshot_append_layout (snapshot, row_layout (self, r), &p.text);
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_pop (snapshot);

  /* The policy keys, pinned on top, read from bottom to top. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (hw, 0, width - hw, hh));
  for (int c = first_col; c <= last_col; c++)
    {
      float x = hw + c * cell - x0;
      gboolean marked = c == self->hover_col || c == self->focus_col;

      if (marked)
        gtk_snapshot_append_color (snapshot, &p.highlight, &GRAPHENE_RECT_INIT (x, 0, cell, hh));
      if (c % label_step != 0 && !marked)
        continue;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (x + (cell - self->line_height) / 2.f,
                                                    hh - HEADER_PADDING));
      gtk_snapshot_rotate (snapshot, -90);
      gtk_snapshot_append_layout (snapshot, col_layout (self, c), &p.text);
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_pop (snapshot);

  /* The corner says which way is which. */
  if (self->corner == NULL)
    {
      self->corner = gtk_widget_create_pango_layout (widget, NULL);
      /* Translators: the corner of the coverage matrix: systems are its
       * rows, policies its columns */
      pango_layout_set_text (self->corner, _("AI systems ↓\nPolicies →"), -1);
      pango_layout_set_width (self->corner, (hw - 2 * HEADER_PADDING) * PANGO_SCALE);
      pango_layout_set_ellipsize (self->corner, PANGO_ELLIPSIZE_END);
    }
  {
    int corner_h;

    pango_layout_get_pixel_size (self->corner, NULL, &corner_h);
    gtk_snapshot_save (snapshot);
    gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (HEADER_PADDING,
                                                            MAX (0, hh - HEADER_PADDING - corner_h)));
    gtk_snapshot_append_layout (snapshot, self->corner, &p.dim_text);
    gtk_snapshot_restore (snapshot);
  }

  gtk_snapshot_append_color (snapshot, &p.separator, &GRAPHENE_RECT_INIT (hw - 1, 0, 1, height));
  gtk_snapshot_append_color (snapshot, &p.separator, &GRAPHENE_RECT_INIT (0, hh - 1, width, 1));
}

/* Where (x, y) of the widget falls: a row and/or a column, -1 where it
 * is outside the cells of that direction (on a header, or past the end). */
static void
hit (KdxMatrixGrid *self,
     double         x,
     double         y,
     int           *row,
     int           *col)
{
  *row = *col = -1;
  if (self->matrix == NULL)
    return;

  measure (self);
  if (y >= self->header_height)
    {
      int r = (int) floor ((y - self->header_height + scroll_y (self)) / self->cell);

      if (r >= 0 && r < (int) grid_n_rows (self))
        *row = r;
    }
  if (x >= self->header_width)
    {
      int c = (int) floor ((x - self->header_width + scroll_x (self)) / self->cell);

      if (c >= 0 && c < (int) grid_n_cols (self))
        *col = c;
    }
}

static void
configure_adjustments (KdxMatrixGrid *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double cells_w, cells_h, upper;

  measure (self);
  cells_w = MAX (width - self->header_width, 0);
  cells_h = MAX (height - self->header_height, 0);

  /* The adjustments count the pixels of the cells only: the headers do
   * not scroll. */
  if (self->hadjustment != NULL)
    {
      upper = (double) grid_n_cols (self) * self->cell;
      gtk_adjustment_configure (self->hadjustment,
                                CLAMP (gtk_adjustment_get_value (self->hadjustment), 0,
                                       MAX (upper - cells_w, 0)),
                                0, MAX (upper, cells_w), self->cell, MAX (cells_w * 0.9, self->cell),
                                cells_w);
    }
  if (self->vadjustment != NULL)
    {
      upper = (double) grid_n_rows (self) * self->cell;
      gtk_adjustment_configure (self->vadjustment,
                                CLAMP (gtk_adjustment_get_value (self->vadjustment), 0,
                                       MAX (upper - cells_h, 0)),
                                0, MAX (upper, cells_h), self->cell, MAX (cells_h * 0.9, self->cell),
                                cells_h);
    }
}

/* Scrolls the least that brings the cell fully into view. */
static void
scroll_to_cell (KdxMatrixGrid *self,
                int            row,
                int            col)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double cells_w, cells_h, value, start;

  measure (self);
  cells_w = width - self->header_width;
  cells_h = height - self->header_height;

  if (self->hadjustment != NULL && col >= 0 && cells_w > 0)
    {
      value = gtk_adjustment_get_value (self->hadjustment);
      start = (double) col * self->cell;
      if (start < value)
        gtk_adjustment_set_value (self->hadjustment, start);
      else if (start + self->cell > value + cells_w)
        gtk_adjustment_set_value (self->hadjustment, start + self->cell - cells_w);
    }
  if (self->vadjustment != NULL && row >= 0 && cells_h > 0)
    {
      value = gtk_adjustment_get_value (self->vadjustment);
      start = (double) row * self->cell;
      if (start < value)
        gtk_adjustment_set_value (self->vadjustment, start);
      else if (start + self->cell > value + cells_h)
        gtk_adjustment_set_value (self->vadjustment, start + self->cell - cells_h);
    }
}

static char *dup_cell_text (KdxMatrixGrid *self, int row, int col);

static void
set_focus_cell (KdxMatrixGrid *self,
                int            row,
                int            col)
{
  g_autofree char *text = NULL;

  if (grid_n_rows (self) == 0 || grid_n_cols (self) == 0)
    return;

  row = CLAMP (row, 0, (int) grid_n_rows (self) - 1);
  col = CLAMP (col, 0, (int) grid_n_cols (self) - 1);
  scroll_to_cell (self, row, col);
  if (row == self->focus_row && col == self->focus_col)
    return;

  self->focus_row = row;
  self->focus_col = col;
  /* A screen reader hears the cell the keyboard is on. */
  text = dup_cell_text (self, row, col);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The keyboard starts on the first cell in view. */
static void
ensure_focus_cell (KdxMatrixGrid *self)
{
  int first_row, last_row, first_col, last_col;

  if (self->focus_row >= 0 || self->matrix == NULL)
    return;

  if (visible_range (self, gtk_widget_get_width (GTK_WIDGET (self)),
                     gtk_widget_get_height (GTK_WIDGET (self)),
                     &first_row, &last_row, &first_col, &last_col))
    set_focus_cell (self, first_row, first_col);
  else
    set_focus_cell (self, 0, 0);
}

static void
adjustment_value_changed_cb (GtkAdjustment *adjustment,
                             KdxMatrixGrid *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (KdxMatrixGrid  *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment && adjustment != NULL)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self);
  configure_adjustments (self);
}

/* ------------------------------------------------------------------ */
/* Pointer, keyboard and tooltip                                      */

static void
activate_row (KdxMatrixGrid *self,
              int            row)
{
  if (row >= 0 && row < (int) grid_n_rows (self))
    g_signal_emit (self, grid_signals[GRID_SIGNAL_ACTIVATE_CELL], 0, row, self->focus_col);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   KdxMatrixGrid   *self)
{
  int row, col;

  hit (self, x, y, &row, &col);
  if (row < 0)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  set_focus_cell (self, row, col >= 0 ? col : MAX (self->focus_col, 0));
  activate_row (self, row);
}

static void
set_hover (KdxMatrixGrid *self,
           int            row,
           int            col)
{
  /* Only a cell is a crosshair; a header marks its own row or column. */
  if (row == self->hover_row && col == self->hover_col)
    return;

  self->hover_row = row;
  self->hover_col = col;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           KdxMatrixGrid            *self)
{
  int row, col;

  hit (self, x, y, &row, &col);
  set_hover (self, row, col);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          KdxMatrixGrid            *self)
{
  set_hover (self, -1, -1);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                KdxMatrixGrid         *self)
{
  int rows = grid_n_rows (self), cols = grid_n_cols (self);
  int page = MAX (1, (gtk_widget_get_height (GTK_WIDGET (self)) - self->header_height) / self->cell - 1);
  gboolean control = (state & GDK_CONTROL_MASK) != 0;
  int row, col;

  if (rows == 0 || cols == 0)
    return FALSE;

  ensure_focus_cell (self);
  row = self->focus_row;
  col = self->focus_col;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      col--;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      col++;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      row--;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      row++;
      break;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      row -= page;
      break;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      row += page;
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      col = 0;
      if (control)
        row = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      col = cols - 1;
      if (control)
        row = rows - 1;
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
      set_focus_cell (self, row, col);
      activate_row (self, self->focus_row);
      return TRUE;
    default:
      return FALSE;
    }

  set_focus_cell (self, row, col);
  return TRUE;
}

static void
focus_changed_cb (GtkEventControllerFocus *controller,
                  GParamSpec              *pspec,
                  KdxMatrixGrid           *self)
{
  /* has-focus is not yet set when "enter" runs; is-focus is. */
  if (gtk_event_controller_focus_is_focus (controller))
    ensure_focus_cell (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* "SYS-012 · Lead scoring × POL-004 · Disclosure: Partial (assessed on
 * 2 Oct 2026 by Dana Dorn)"; the assessment is asked of the store. */
static char *
dup_cell_text (KdxMatrixGrid *self,
               int            row,
               int            col)
{
  const char *system, *policy;
  g_autoptr(GPtrArray) mappings = NULL;
  g_autofree char *detail = NULL;
  int value;

  if (row < 0 || col < 0 || row >= (int) grid_n_rows (self) || col >= (int) grid_n_cols (self))
    return NULL;

  system = self->matrix->system_labels[row];
  policy = self->matrix->policy_labels[col];
  value = self->matrix->cells[(gsize) row * grid_n_cols (self) + col];
  if (value == 0)
    /* Translators: a cell of the coverage matrix: "SYS-001 · Chatbot × POL-004 · Disclosure: not applied" */
    return g_strdup_printf (_("%s × %s: not applied"), system, policy);

  if (self->store != NULL)
    mappings = kdx_mapping_list_system_policies (self->store, self->matrix->system_uuids[row], NULL);
  for (guint i = 0; mappings != NULL && i < mappings->len; i++)
    {
      KdxMappingRow *mapping = mappings->pdata[i];
      g_autofree char *date = NULL;

      if (g_strcmp0 (mapping->uuid, self->matrix->policy_uuids[col]) != 0)
        continue;
      date = kdx_format_date (mapping->date);
      if (mapping->date != NULL && mapping->assessor_name != NULL)
        /* Translators: who assessed a system's compliance with a policy, and when */
        detail = g_strdup_printf (_("assessed on %s by %s"), date, mapping->assessor_name);
      else if (mapping->date != NULL)
        detail = g_strdup_printf (_("assessed on %s"), date);
      else if (mapping->assessor_name != NULL)
        detail = g_strdup_printf (_("assessed by %s"), mapping->assessor_name);
    }

  if (detail != NULL)
    /* Translators: a cell of the coverage matrix: system × policy: status (assessment) */
    return g_strdup_printf (_("%s × %s: %s (%s)"), system, policy,
                            kdx_compliance_get_label (value - 1), detail);
  /* Translators: a cell of the coverage matrix: system × policy: status */
  return g_strdup_printf (_("%s × %s: %s"), system, policy, kdx_compliance_get_label (value - 1));
}

static gboolean
cell_tooltip (KdxMatrixGrid *self,
              int            x,
              int            y,
              gboolean       keyboard_tooltip,
              GtkTooltip    *tooltip)
{
  int row, col;
  GdkRectangle area;

  if (keyboard_tooltip)
    {
      row = self->focus_row;
      col = self->focus_col;
    }
  else
    hit (self, x, y, &row, &col);

  if (row < 0)
    return FALSE;
  if (col < 0)
    {
      /* On a system's label: the whole label, which may be cut short. */
      gtk_tooltip_set_text (tooltip, self->matrix->system_labels[row]);
      area = (GdkRectangle) { 0, self->header_height + row * self->cell - (int) scroll_y (self),
                              self->header_width, self->cell };
      gtk_tooltip_set_tip_area (tooltip, &area);
      return TRUE;
    }

  if (row != self->tip_row || col != self->tip_col || self->tip_text == NULL)
    {
      g_free (self->tip_text);
      self->tip_text = dup_cell_text (self, row, col);
      self->tip_row = row;
      self->tip_col = col;
    }
  gtk_tooltip_set_text (tooltip, self->tip_text);
  area = (GdkRectangle) { self->header_width + col * self->cell - (int) scroll_x (self),
                          self->header_height + row * self->cell - (int) scroll_y (self),
                          self->cell, self->cell };
  gtk_tooltip_set_tip_area (tooltip, &area);

  return TRUE;
}

/* A policy's key is cut to fit, so its column header tells it whole. */
static gboolean
header_tooltip (KdxMatrixGrid *self,
                int            x,
                int            y,
                GtkTooltip    *tooltip)
{
  int row, col;

  hit (self, x, y, &row, &col);
  if (y >= self->header_height || col < 0)
    return FALSE;

  gtk_tooltip_set_text (tooltip, self->matrix->policy_labels[col]);
  return TRUE;
}

static gboolean
kdx_matrix_grid_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_tooltip,
                               GtkTooltip *tooltip)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (widget);

  if (self->matrix == NULL)
    return FALSE;
  if (!keyboard_tooltip && header_tooltip (self, x, y, tooltip))
    return TRUE;

  return cell_tooltip (self, x, y, keyboard_tooltip, tooltip);
}

/* ------------------------------------------------------------------ */

static void
kdx_matrix_grid_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (widget);

  measure (self);
  /* The viewport decides; a few cells beside the headers at least. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = self->header_width + 4 * self->cell;
      *natural = self->header_width + MIN ((int) grid_n_cols (self), 40) * self->cell;
    }
  else
    {
      *minimum = self->header_height + 4 * self->cell;
      *natural = self->header_height + MIN ((int) grid_n_rows (self), 30) * self->cell;
    }
  *natural = MAX (*natural, *minimum);
}

static void
kdx_matrix_grid_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  configure_adjustments (KDX_MATRIX_GRID (widget));
}

static void
kdx_matrix_grid_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (widget);

  const PangoFontDescription *font;

  GTK_WIDGET_CLASS (kdx_matrix_grid_parent_class)->css_changed (widget, change);

  /* Hover and focus change the CSS state too; only a new font makes the
   * layouts again. */
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (self->font != NULL && font != NULL && pango_font_description_equal (self->font, font))
    return;
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = font != NULL ? pango_font_description_copy (font) : NULL;
  clear_layouts (self);
  gtk_widget_queue_resize (widget);
}

static void
kdx_matrix_grid_system_setting_changed (GtkWidget         *widget,
                                        GtkSystemSetting   setting)
{
  GTK_WIDGET_CLASS (kdx_matrix_grid_parent_class)->system_setting_changed (widget, setting);

  clear_layouts (KDX_MATRIX_GRID (widget));
  gtk_widget_queue_resize (widget);
}

static gboolean
kdx_matrix_grid_get_border (GtkScrollable *scrollable,
                            GtkBorder     *border)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (scrollable);

  measure (self);
  border->left = self->header_width;
  border->top = self->header_height;
  border->right = border->bottom = 0;

  return TRUE;
}

static void
kdx_matrix_grid_scrollable_init (GtkScrollableInterface *iface)
{
  iface->get_border = kdx_matrix_grid_get_border;
}

static void
kdx_matrix_grid_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (object);

  switch (prop_id)
    {
    case GRID_PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case GRID_PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case GRID_PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case GRID_PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_matrix_grid_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (object);

  switch (prop_id)
    {
    case GRID_PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case GRID_PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case GRID_PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case GRID_PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kdx_matrix_grid_dispose (GObject *object)
{
  KdxMatrixGrid *self = KDX_MATRIX_GRID (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  clear_layouts (self);
  forget_tooltip (self);
  g_clear_pointer (&self->matrix, kdx_coverage_matrix_free);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_object (&self->store);
  for (guint i = 0; i < G_N_ELEMENTS (self->images); i++)
    g_clear_pointer (&self->images[i], cairo_surface_destroy);

  G_OBJECT_CLASS (kdx_matrix_grid_parent_class)->dispose (object);
}

static void
kdx_matrix_grid_class_init (KdxMatrixGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_matrix_grid_dispose;
  object_class->get_property = kdx_matrix_grid_get_property;
  object_class->set_property = kdx_matrix_grid_set_property;
  widget_class->snapshot = kdx_matrix_grid_snapshot;
  widget_class->measure = kdx_matrix_grid_measure;
  widget_class->size_allocate = kdx_matrix_grid_size_allocate;
  widget_class->query_tooltip = kdx_matrix_grid_query_tooltip;
  widget_class->css_changed = kdx_matrix_grid_css_changed;
  widget_class->system_setting_changed = kdx_matrix_grid_system_setting_changed;

  g_object_class_override_property (object_class, GRID_PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, GRID_PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, GRID_PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, GRID_PROP_VSCROLL_POLICY, "vscroll-policy");

  /* (row, column): Enter or a click on a cell; column may be -1. */
  grid_signals[GRID_SIGNAL_ACTIVATE_CELL] =
    g_signal_new ("activate-cell", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "kdx-matrix-grid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
kdx_matrix_grid_init (KdxMatrixGrid *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->cell = DEFAULT_CELL_SIZE;
  self->focus_row = self->focus_col = -1;
  self->hover_row = self->hover_col = -1;
  self->tip_row = self->tip_col = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  g_signal_connect (focus, "notify::is-focus", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

}

static int
find_uuid (GStrv       uuids,
           guint       n,
           const char *uuid)
{
  for (guint i = 0; uuid != NULL && i < n; i++)
    if (g_str_equal (uuids[i], uuid))
      return i;

  return -1;
}

/* Takes @matrix; the keyboard stays on the same system and policy where
 * they are still there. */
static void
kdx_matrix_grid_set_matrix (KdxMatrixGrid     *self,
                            KdxCoverageMatrix *matrix)
{
  g_autofree char *focus_system = NULL;
  g_autofree char *focus_policy = NULL;

  if (self->matrix != NULL && self->focus_row >= 0 && self->focus_col >= 0)
    {
      focus_system = g_strdup (self->matrix->system_uuids[self->focus_row]);
      focus_policy = g_strdup (self->matrix->policy_uuids[self->focus_col]);
    }

  clear_layouts (self);
  forget_tooltip (self);
  g_clear_pointer (&self->matrix, kdx_coverage_matrix_free);
  self->matrix = matrix;
  self->hover_row = self->hover_col = -1;
  self->focus_row = self->focus_col = -1;

  if (matrix != NULL && focus_system != NULL)
    {
      int row = find_uuid (matrix->system_uuids, matrix->n_systems, focus_system);
      int col = find_uuid (matrix->policy_uuids, matrix->n_policies, focus_policy);

      if (row >= 0 && col >= 0)
        {
          self->focus_row = row;
          self->focus_col = col;
        }
    }

  if (gtk_widget_has_focus (GTK_WIDGET (self)))
    ensure_focus_cell (self);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
kdx_matrix_grid_set_cell_size (KdxMatrixGrid *self,
                               int            size)
{
  double first_x, first_y;

  size = CLAMP (size, cell_sizes[0], cell_sizes[G_N_ELEMENTS (cell_sizes) - 1]);
  if (size == self->cell)
    return;

  /* The cell in the top left corner stays there. */
  first_x = scroll_x (self) / self->cell;
  first_y = scroll_y (self) / self->cell;
  self->cell = size;
  clear_layouts (self);
  forget_tooltip (self);
  configure_adjustments (self);
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, first_x * size);
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, first_y * size);
  if (self->focus_row >= 0)
    scroll_to_cell (self, self->focus_row, self->focus_col);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ */
/* The view                                                           */

struct _KdxCoverageMatrixView
{
  GtkWidget          parent_instance;

  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkButton         *empty_button;
  GtkLabel          *summary_label;
  GtkFlowBox        *legend_box;
  GtkScrolledWindow *scroller;
  KdxMatrixGrid     *grid;

  GtkLabel          *legend_counts[KDX_COMPLIANCE_N_STATES];

  KdxStore          *store;
  guint              reload_id;   /* an idle that reloads once for many changes */
  gboolean           dirty;       /* changed while not shown */
};

G_DEFINE_FINAL_TYPE (KdxCoverageMatrixView, kdx_coverage_matrix_view, GTK_TYPE_WIDGET)

static void
update_zoom_actions (KdxCoverageMatrixView *self)
{
  int cell = self->grid->cell;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "matrix.zoom-out", cell > cell_sizes[0]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "matrix.zoom-in",
                                 cell < cell_sizes[G_N_ELEMENTS (cell_sizes) - 1]);
}

/* The summary line, the counts of the legend, and which page shows. */
static void
show_matrix (KdxCoverageMatrixView *self)
{
  KdxCoverageMatrix *matrix = self->grid->matrix;
  guint64 counts[KDX_COMPLIANCE_N_STATES + 1] = { 0 };
  g_autofree char *systems = NULL;
  g_autofree char *policies = NULL;
  g_autofree char *summary = NULL;
  gsize n;

  if (matrix == NULL || matrix->n_systems == 0 || matrix->n_policies == 0)
    {
      gboolean no_systems = matrix == NULL || matrix->n_systems == 0;

      adw_status_page_set_title (self->empty_page,
                                 no_systems ? _("No AI Systems Yet") : _("No Policies Yet"));
      adw_status_page_set_description (self->empty_page,
                                       no_systems
                                       ? _("The matrix shows which policies apply to which AI systems, and how far each system complies. Register the AI systems your organisation uses first.")
                                       : _("The matrix shows which policies apply to which AI systems, and how far each system complies. Write the first policy, then apply it to the systems."));
      gtk_button_set_label (self->empty_button,
                            no_systems ? _("Go to _AI Systems") : _("_New Policy"));
      /* 2: the index of "systems" among the window's areas. */
      if (no_systems)
        gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (self->empty_button), "win.area(uint32 2)");
      else
        gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (self->empty_button), "win.new-policy");
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  /* One pass over the bytes: 4 MB for 2,000 × 2,000 takes a few ms. */
  n = (gsize) matrix->n_systems * matrix->n_policies;
  for (gsize i = 0; i < n; i++)
    counts[MIN (matrix->cells[i], KDX_COMPLIANCE_N_STATES)]++;

  systems = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u AI system", "%u AI systems",
                                          matrix->n_systems), matrix->n_systems);
  policies = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u policy", "%u policies",
                                           matrix->n_policies), matrix->n_policies);
  /* Translators: "12 AI systems × 8 policies" */
  summary = g_strdup_printf (_("%s × %s"), systems, policies);
  gtk_label_set_label (self->summary_label, summary);

  for (guint s = 0; s < KDX_COMPLIANCE_N_STATES; s++)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, counts[s + 1]);

      gtk_label_set_label (self->legend_counts[s], count);
    }

  gtk_stack_set_visible_child_name (self->stack, "matrix");
}

static void
reload (KdxCoverageMatrixView *self)
{
  g_autoptr(GError) error = NULL;
  KdxCoverageMatrix *matrix = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;

  if (self->store != NULL)
    {
      matrix = kdx_coverage_matrix_load (self->store, &error);
      if (matrix == NULL)
        g_warning ("Cannot load the coverage matrix: %s", error->message);
    }
  kdx_matrix_grid_set_matrix (self->grid, matrix);
  show_matrix (self);
}

static gboolean
reload_idle_cb (gpointer data)
{
  KdxCoverageMatrixView *self = data;

  self->reload_id = 0;
  reload (self);

  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (KdxStore              *store,
                  const char            *entity,
                  GArray                *ids,
                  KdxCoverageMatrixView *self)
{
  /* One commit reports systems and policies apart: one reload for both. */
  if (g_strcmp0 (entity, "ai_system") != 0 && g_strcmp0 (entity, "policy") != 0 &&
      g_strcmp0 (entity, "import") != 0 && g_strcmp0 (entity, "workspace") != 0)
    return;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->dirty = TRUE;
  else if (self->reload_id == 0)
    self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle_cb, self, NULL);
}

static void
activate_cell_cb (KdxMatrixGrid         *grid,
                  int                    row,
                  int                    col,
                  KdxCoverageMatrixView *self)
{
  const char *uuid = kdx_coverage_matrix_view_get_system (self, row);

  /* The window opens the system once the AI Systems area is there. */
  if (uuid != NULL && !gtk_widget_activate_action (GTK_WIDGET (self), "win.show-system", "s", uuid))
    g_debug ("No window action to show system %s", uuid);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KdxCoverageMatrixView *self = KDX_COVERAGE_MATRIX_VIEW (widget);
  gboolean in = g_str_equal (action_name, "matrix.zoom-in");
  int cell = self->grid->cell;
  int next = cell;

  for (guint i = 0; i < G_N_ELEMENTS (cell_sizes); i++)
    {
      guint j = in ? i : G_N_ELEMENTS (cell_sizes) - 1 - i;

      if (in ? cell_sizes[j] > cell : cell_sizes[j] < cell)
        {
          next = cell_sizes[j];
          break;
        }
    }
  kdx_coverage_matrix_view_set_cell_size (self, next);
}

static GtkWidget *
legend_entry (KdxCoverageMatrixView *self,
              KdxCompliance          status)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_label_new (compliance_symbols[status]);
  GtkWidget *label = gtk_label_new (kdx_compliance_get_label (status));
  GtkWidget *count = gtk_label_new ("0");

  gtk_widget_add_css_class (swatch, "kdx-matrix-swatch");
  gtk_widget_add_css_class (swatch, compliance_classes[status]);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_accessible_update_state (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);
  self->legend_counts[status] = GTK_LABEL (count);

  return box;
}

static void
kdx_coverage_matrix_view_map (GtkWidget *widget)
{
  KdxCoverageMatrixView *self = KDX_COVERAGE_MATRIX_VIEW (widget);

  GTK_WIDGET_CLASS (kdx_coverage_matrix_view_parent_class)->map (widget);

  if (self->dirty)
    reload (self);
}

static void
kdx_coverage_matrix_view_dispose (GObject *object)
{
  KdxCoverageMatrixView *self = KDX_COVERAGE_MATRIX_VIEW (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (object), KDX_TYPE_COVERAGE_MATRIX_VIEW);

  G_OBJECT_CLASS (kdx_coverage_matrix_view_parent_class)->dispose (object);
}

static void
kdx_coverage_matrix_view_class_init (KdxCoverageMatrixViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kdx_coverage_matrix_view_dispose;
  widget_class->map = kdx_coverage_matrix_view_map;

  g_type_ensure (KDX_TYPE_MATRIX_GRID);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kodexapp/Kodex/ui/kdx-coverage-matrix.ui");
  gtk_widget_class_bind_template_child (widget_class, KdxCoverageMatrixView, stack);
  gtk_widget_class_bind_template_child (widget_class, KdxCoverageMatrixView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KdxCoverageMatrixView, empty_button);
  gtk_widget_class_bind_template_child (widget_class, KdxCoverageMatrixView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KdxCoverageMatrixView, legend_box);
  gtk_widget_class_bind_template_child (widget_class, KdxCoverageMatrixView, scroller);
  gtk_widget_class_bind_template_child (widget_class, KdxCoverageMatrixView, grid);

  gtk_widget_class_install_action (widget_class, "matrix.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "matrix.zoom-out", NULL, zoom_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "matrix.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "matrix.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "matrix.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "matrix.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "matrix.zoom-out", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kdx_coverage_matrix_view_init (KdxCoverageMatrixView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint s = 0; s < KDX_COMPLIANCE_N_STATES; s++)
    {
      GtkWidget *entry = legend_entry (self, s);

      gtk_flow_box_append (self->legend_box, entry);
      /* The legend is read, not chosen: no stop for the keyboard. */
      gtk_widget_set_focusable (gtk_widget_get_parent (entry), FALSE);
    }
  g_signal_connect (self->grid, "activate-cell", G_CALLBACK (activate_cell_cb), self);
  update_zoom_actions (self);
  show_matrix (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                         */

KdxCoverageMatrixView *
kdx_coverage_matrix_view_new (void)
{
  return g_object_new (KDX_TYPE_COVERAGE_MATRIX_VIEW, NULL);
}

void
kdx_coverage_matrix_view_set_store (KdxCoverageMatrixView *self,
                                    KdxStore              *store)
{
  g_return_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self));
  g_return_if_fail (store == NULL || KDX_IS_STORE (store));

  if (self->store != store)
    {
      if (self->store != NULL)
        g_signal_handlers_disconnect_by_data (self->store, self);
      g_set_object (&self->store, store);
      if (store != NULL)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);
    }
  g_set_object (&self->grid->store, store);

  reload (self);
}

void
kdx_coverage_matrix_view_set_matrix (KdxCoverageMatrixView *self,
                                     KdxCoverageMatrix     *matrix)
{
  g_return_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->dirty = FALSE;
  kdx_matrix_grid_set_matrix (self->grid, matrix);
  show_matrix (self);
}

guint
kdx_coverage_matrix_view_get_n_rows (KdxCoverageMatrixView *self)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), 0);

  return grid_n_rows (self->grid);
}

guint
kdx_coverage_matrix_view_get_n_columns (KdxCoverageMatrixView *self)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), 0);

  return grid_n_cols (self->grid);
}

int
kdx_coverage_matrix_view_get_cell (KdxCoverageMatrixView *self,
                                   guint                  row,
                                   guint                  column)
{
  KdxMatrixGrid *grid;

  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), -1);

  grid = self->grid;
  g_return_val_if_fail (row < grid_n_rows (grid) && column < grid_n_cols (grid), -1);

  return (int) grid->matrix->cells[(gsize) row * grid_n_cols (grid) + column] - 1;
}

const char *
kdx_coverage_matrix_view_get_system (KdxCoverageMatrixView *self,
                                     guint                  row)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), NULL);

  return row < grid_n_rows (self->grid) ? self->grid->matrix->system_uuids[row] : NULL;
}

const char *
kdx_coverage_matrix_view_get_policy (KdxCoverageMatrixView *self,
                                     guint                  column)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), NULL);

  return column < grid_n_cols (self->grid) ? self->grid->matrix->policy_uuids[column] : NULL;
}

gboolean
kdx_coverage_matrix_view_get_focus_cell (KdxCoverageMatrixView *self,
                                         guint                 *row,
                                         guint                 *column)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), FALSE);

  if (self->grid->focus_row < 0 || self->grid->focus_col < 0)
    return FALSE;
  if (row != NULL)
    *row = self->grid->focus_row;
  if (column != NULL)
    *column = self->grid->focus_col;

  return TRUE;
}

void
kdx_coverage_matrix_view_set_focus_cell (KdxCoverageMatrixView *self,
                                         guint                  row,
                                         guint                  column)
{
  g_return_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self));

  set_focus_cell (self->grid, MIN (row, G_MAXINT), MIN (column, G_MAXINT));
}

char *
kdx_coverage_matrix_view_dup_cell_text (KdxCoverageMatrixView *self,
                                        guint                  row,
                                        guint                  column)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), NULL);

  return dup_cell_text (self->grid, MIN (row, G_MAXINT), MIN (column, G_MAXINT));
}

GtkWidget *
kdx_coverage_matrix_view_get_grid (KdxCoverageMatrixView *self)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), NULL);

  return GTK_WIDGET (self->grid);
}

gboolean
kdx_coverage_matrix_view_get_cell_area (KdxCoverageMatrixView *self,
                                        guint                  row,
                                        guint                  column,
                                        graphene_rect_t       *area)
{
  KdxMatrixGrid *grid;
  float x, y;

  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), FALSE);

  grid = self->grid;
  if (row >= grid_n_rows (grid) || column >= grid_n_cols (grid))
    return FALSE;

  measure (grid);
  x = grid->header_width + (float) column * grid->cell - scroll_x (grid);
  y = grid->header_height + (float) row * grid->cell - scroll_y (grid);
  graphene_rect_init (area, x, y, grid->cell, grid->cell);

  return x >= grid->header_width && y >= grid->header_height &&
         x + grid->cell <= gtk_widget_get_width (GTK_WIDGET (grid)) &&
         y + grid->cell <= gtk_widget_get_height (GTK_WIDGET (grid));
}

int
kdx_coverage_matrix_view_get_cell_size (KdxCoverageMatrixView *self)
{
  g_return_val_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self), DEFAULT_CELL_SIZE);

  return self->grid->cell;
}

void
kdx_coverage_matrix_view_set_cell_size (KdxCoverageMatrixView *self,
                                        int                    size)
{
  g_return_if_fail (KDX_IS_COVERAGE_MATRIX_VIEW (self));

  kdx_matrix_grid_set_cell_size (self->grid, size);
  update_zoom_actions (self);
}
