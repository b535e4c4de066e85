/**
 * The label stocks and symbologies `POST /api/labels/batch` prints, described for the console's
 * labels page, so its choices come from the server that will print them rather than a copy.
 */
import { LABEL_LAYOUTS, type LabelLayoutName, labelsPerPage } from '../../labels/label-layout.ts';

/** One label stock: its name for the API, its labels for people, and its geometry in millimetres. */
export interface LayoutView {
  readonly layout: LabelLayoutName;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly pageWidthMm: number;
  readonly pageHeightMm: number;
  readonly labelWidthMm: number;
  readonly labelHeightMm: number;
  readonly labelsPerPage: number;
}

const NAMES: Readonly<Record<LabelLayoutName, { readonly zh: string; readonly en: string }>> = {
  'a4-3x8': { zh: 'A4 不干胶 3×8（每页 24 张）', en: 'A4 sheet, 3 × 8 (24 per page)' },
  'thermal-60x40': { zh: '热敏标签 60×40 毫米', en: 'Thermal label, 60 × 40 mm' },
};

/** The unit-label symbologies, with their labels. */
export const LABEL_SYMBOLOGIES = [
  { symbology: 'qrCode', labelZh: '二维码（GS1 数字链接）', labelEn: 'QR Code (GS1 Digital Link)' },
  { symbology: 'gs1DataMatrix', labelZh: 'GS1 DataMatrix', labelEn: 'GS1 DataMatrix' },
] as const;

/** The layouts and symbologies for `GET /api/labels/layouts`; the first layout is the default. */
export function labelLayouts(): { readonly layouts: readonly LayoutView[]; readonly symbologies: typeof LABEL_SYMBOLOGIES; readonly defaultLayout: LabelLayoutName } {
  const layouts = (Object.keys(LABEL_LAYOUTS) as LabelLayoutName[]).map((name) => {
    const l = LABEL_LAYOUTS[name];
    return {
      layout: name, labelZh: NAMES[name].zh, labelEn: NAMES[name].en,
      pageWidthMm: l.pageWidthMm, pageHeightMm: l.pageHeightMm, labelWidthMm: l.labelWidthMm, labelHeightMm: l.labelHeightMm, labelsPerPage: labelsPerPage(l),
    };
  });
  return { layouts, symbologies: LABEL_SYMBOLOGIES, defaultLayout: 'a4-3x8' };
}
