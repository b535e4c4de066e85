/**
 * Label stock: A4 sheets of 3 × 8 labels (70 × 37 mm, the common 24-up stock) and 60 × 40 mm
 * thermal labels, one per page. Positions are in millimetres from the top-left of the page.
 */

/** The supported label stocks. */
export type LabelLayoutName = 'a4-3x8' | 'thermal-60x40';

/** Geometry of a label stock. */
export interface LabelLayout {
  readonly name: LabelLayoutName;
  readonly pageWidthMm: number;
  readonly pageHeightMm: number;
  readonly labelWidthMm: number;
  readonly labelHeightMm: number;
  readonly columns: number;
  readonly rows: number;
  /** Top-left corner of the first label. */
  readonly originXMm: number;
  readonly originYMm: number;
  /** Space between neighbouring labels. */
  readonly gapXMm: number;
  readonly gapYMm: number;
}

/** Every layout by name. */
export const LABEL_LAYOUTS: Readonly<Record<LabelLayoutName, LabelLayout>> = {
  'a4-3x8': { name: 'a4-3x8', pageWidthMm: 210, pageHeightMm: 297, labelWidthMm: 70, labelHeightMm: 37, columns: 3, rows: 8, originXMm: 0, originYMm: 0.5, gapXMm: 0, gapYMm: 0 },
  'thermal-60x40': { name: 'thermal-60x40', pageWidthMm: 60, pageHeightMm: 40, labelWidthMm: 60, labelHeightMm: 40, columns: 1, rows: 1, originXMm: 0, originYMm: 0, gapXMm: 0, gapYMm: 0 },
};

/** Where one label goes. */
export interface LabelSlot {
  /** Zero-based page index. */
  readonly page: number;
  readonly xMm: number;
  readonly yMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

/** Labels per page of a layout. */
export function labelsPerPage(layout: LabelLayout): number {
  return layout.columns * layout.rows;
}

/** The slot of label number `index` (0-based), filled row by row; `offset` shifts everything (printer calibration). */
export function labelSlot(layout: LabelLayout, index: number, offset: { readonly xMm: number; readonly yMm: number } = { xMm: 0, yMm: 0 }): LabelSlot {
  const per = labelsPerPage(layout);
  const k = index % per;
  const col = k % layout.columns;
  const row = Math.floor(k / layout.columns);
  return {
    page: Math.floor(index / per),
    xMm: layout.originXMm + offset.xMm + col * (layout.labelWidthMm + layout.gapXMm),
    yMm: layout.originYMm + offset.yMm + row * (layout.labelHeightMm + layout.gapYMm),
    widthMm: layout.labelWidthMm,
    heightMm: layout.labelHeightMm,
  };
}

/** Pages needed for `count` labels. */
export function pageCount(layout: LabelLayout, count: number): number {
  return Math.ceil(count / labelsPerPage(layout));
}
