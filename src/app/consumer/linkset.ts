/**
 * The resolver side of the consumer page (GS1-Conformant Resolver Standard 1.1): the links Lotline
 * has for a scanned code, as an RFC 9264 linkset, as an HTTP `Link` header, and the target of a
 * requested `linkType`. Every target is a section of the consumer page itself, so one page serves a
 * browser and a resolver client alike. Pure.
 */
import type { ConsumerCode } from './consumer-code.ts';

const VOC = 'https://gs1.org/voc/';

/** The link types Lotline answers, by their GS1 Web Vocabulary name. */
export const LINK_TYPES = ['defaultLink', 'pip', 'recallStatus', 'traceability'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export interface Link {
  readonly href: string;
  readonly title: string;
  readonly type: string;
  readonly hreflang: readonly string[];
}

/** `{ linkset: [{ anchor, "https://gs1.org/voc/pip": [...], … }] }` */
export interface Linkset {
  readonly linkset: readonly [Record<string, string | readonly Link[]>];
}

const TITLES: Readonly<Record<LinkType, string>> = {
  defaultLink: '产品信息 Product information',
  pip: '产品信息 Product information',
  recallStatus: '召回状态 Recall status',
  traceability: '生产与追溯 Production and traceability',
};

/** Where each link type points: the page, or one of its sections. */
function targetOf(anchor: string, type: LinkType): string {
  switch (type) {
    case 'defaultLink':
    case 'pip':
      return anchor;
    case 'recallStatus':
      return `${anchor}#recall`;
    case 'traceability':
      return `${anchor}#facts`;
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** The anchor of a code on this host: `{origin}/01/{gtin14}[/10/{lot}][/21/{serial}]` (no query). */
export function anchorOf(origin: string, code: ConsumerCode): string {
  return `${origin}${code.path}`;
}

/** The links of a code. */
export function linksOf(anchor: string): Record<LinkType, Link> {
  const out = {} as Record<LinkType, Link>;
  for (const t of LINK_TYPES) out[t] = { href: targetOf(anchor, t), title: TITLES[t], type: 'text/html', hreflang: ['zh-CN', 'en'] };
  return out;
}

/** The linkset document of a code. */
export function linksetOf(anchor: string): Linkset {
  const links = linksOf(anchor);
  const entry: Record<string, string | readonly Link[]> = { anchor };
  for (const t of LINK_TYPES) entry[`${VOC}${t}`] = [links[t]];
  return { linkset: [entry] };
}

/**
 * The `Link` header: the linkset itself, then every link (ASCII titles: header values are Latin-1).
 * @example linkHeader('https://h/01/06901234567892') // '<https://h/01/06901234567892?linkType=linkset>; rel="linkset"; type="application/linkset+json", …'
 */
export function linkHeader(anchor: string): string {
  const links = linksOf(anchor);
  const parts = [`<${anchor}?linkType=linkset>; rel="linkset"; type="application/linkset+json"`];
  for (const t of LINK_TYPES) {
    const l = links[t];
    parts.push(`<${l.href}>; rel="${VOC}${t}"; type="${l.type}"; hreflang="zh-CN"; hreflang="en"; title="${l.title.replace(/[^\x20-\x7e]+/g, '').trim()}"`);
  }
  return parts.join(', ');
}

/** What a `linkType` parameter asks for: the linkset, one known link type, or an unknown one. */
export type LinkTypeRequest = { readonly kind: 'linkset' } | { readonly kind: 'link'; readonly type: LinkType } | { readonly kind: 'unknown'; readonly value: string };

/**
 * Read `linkType`: `linkset` or `all` (the linkset), `gs1:x`, `https://gs1.org/voc/x` or `https://ref.gs1.org/voc/x`.
 * @example readLinkType('gs1:recallStatus') // { kind: 'link', type: 'recallStatus' }
 */
export function readLinkType(value: string): LinkTypeRequest {
  if (value === 'linkset' || value === 'all') return { kind: 'linkset' };
  const name = value.startsWith('gs1:') ? value.slice(4) : value.startsWith(VOC) ? value.slice(VOC.length) : value.startsWith('https://ref.gs1.org/voc/') ? value.slice('https://ref.gs1.org/voc/'.length) : null;
  const known = LINK_TYPES.find((t) => t === name);
  return known ? { kind: 'link', type: known } : { kind: 'unknown', value };
}
