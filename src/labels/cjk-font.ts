/**
 * Finding a font with Chinese glyphs for labels. PDF's standard fonts have none, so product
 * names in Chinese need a CJK font file. The lookup order is: an explicit path, the
 * LOTLINE_CJK_FONT environment variable (`/path/font.ttc` or `/path/font.ttc#PostScriptName`),
 * then the files of the Debian packages below. Install one with, for example,
 * `apt-get install fonts-wqy-microhei` (5 MB) or `fonts-noto-cjk` (larger, more weights).
 */
import { existsSync } from 'node:fs';
import { err, ok, type Result } from '../core/result.ts';
import type { LabelError } from './label-error.ts';

/** A font file and, for collections (.ttc), the PostScript name of the face to use. */
export interface CjkFont {
  readonly path: string;
  readonly postscriptName?: string;
  /** The Debian package that ships the file, when known. */
  readonly debianPackage?: string;
}

/** Known locations of CJK fonts from Debian packages, in order of preference. */
export const DEBIAN_CJK_FONTS: readonly CjkFont[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', postscriptName: 'WenQuanYiMicroHei', debianPackage: 'fonts-wqy-microhei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', postscriptName: 'WenQuanYiZenHei', debianPackage: 'fonts-wqy-zenhei' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular', debianPackage: 'fonts-noto-cjk' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular', debianPackage: 'fonts-noto-cjk' },
];

/** Where to look; every field is optional and the defaults are the real environment. */
export interface CjkFontLookup {
  /** An explicit font file (`path` or `path#PostScriptName`); `null` disables CJK fonts. */
  readonly path?: string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly candidates?: readonly CjkFont[];
  readonly exists?: (path: string) => boolean;
}

function fromSpec(spec: string): CjkFont {
  const hash = spec.lastIndexOf('#');
  return hash > 0 ? { path: spec.slice(0, hash), postscriptName: spec.slice(hash + 1) } : { path: spec };
}

/** The message used when no CJK font is available. */
export const MISSING_CJK_FONT_MESSAGE =
  'no CJK font found for Chinese text: install the Debian package fonts-wqy-microhei (or fonts-noto-cjk), or set LOTLINE_CJK_FONT to a .ttf/.otf/.ttc file';

/**
 * Find a CJK font file. Returns a `font` error naming the packages to install when none exists.
 * @example findCjkFont() // ok({ path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', ... }) on Debian with fonts-wqy-microhei
 */
export function findCjkFont(lookup: CjkFontLookup = {}): Result<CjkFont, LabelError> {
  const exists = lookup.exists ?? existsSync;
  if (lookup.path === null) return err({ kind: 'font', message: 'CJK font disabled by configuration' });
  if (lookup.path !== undefined) {
    const f = fromSpec(lookup.path);
    return exists(f.path) ? ok(f) : err({ kind: 'font', message: `CJK font file ${f.path} does not exist` });
  }
  const env = (lookup.env ?? process.env).LOTLINE_CJK_FONT;
  if (env !== undefined && env !== '') {
    const f = fromSpec(env);
    return exists(f.path) ? ok(f) : err({ kind: 'font', message: `LOTLINE_CJK_FONT points to ${f.path}, which does not exist` });
  }
  for (const f of lookup.candidates ?? DEBIAN_CJK_FONTS) if (exists(f.path)) return ok(f);
  return err({ kind: 'font', message: MISSING_CJK_FONT_MESSAGE });
}
