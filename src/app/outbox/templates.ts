import type { NoticeLang } from './enqueue.ts';

/** Which notice: one per audience, plus the escalation to a store that did not acknowledge, and the drill marker. */
export const NOTICE_KINDS = ['regulator', 'store', 'warehouse', 'distributor', 'consumer', 'public', 'escalation', 'drill'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_LANGS: readonly NoticeLang[] = ['zh-CN', 'en'];

/** Every variable a template may use. A template naming any other is rejected (a typo would otherwise reach the reader). */
export const NOTICE_VARIABLES = [
  'brand',
  'caseNumber',
  'productName',
  'lots',
  'level',
  'hazard',
  'instruction',
  'ackUrl',
  'deadline',
  'storeName',
  'units',
  'returnInstructions',
  'compensation',
] as const;
export type NoticeVariable = (typeof NOTICE_VARIABLES)[number];

/** Values for a rendering; every variable the template uses must be given. */
export type NoticeVars = Readonly<Partial<Record<NoticeVariable, string | number>>>;

/** A subject and a plain-text body with `{{variable}}` placeholders. */
export interface NoticeTemplate {
  readonly subject: string;
  readonly body: string;
}

/** A rendered notice: the text parts as stored in the outbox, and an HTML alternative for email. */
export interface RenderedNotice {
  readonly subject: string;
  readonly body: string;
  readonly html: string;
}

/** A template that names an unknown variable, or a rendering that lacks a value; `pointer` says where. */
export class TemplateError extends Error {
  readonly problems: readonly { readonly pointer: string; readonly message: string }[];

  constructor(message: string, problems: readonly { readonly pointer: string; readonly message: string }[]) {
    super(message);
    this.name = 'TemplateError';
    this.problems = problems;
  }
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The built-in templates. Plain words, the action first: a store clerk reads this on a phone. */
const builtIn: Readonly<Record<NoticeKind, Readonly<Record<NoticeLang, NoticeTemplate>>>> = {
  regulator: {
    'zh-CN': {
      subject: '【召回报告】{{brand}} {{productName}}（{{caseNumber}}，{{level}}级召回）',
      body:
        '{{brand}}现就以下食品启动{{level}}级召回，特此报告。\n\n' +
        '召回编号：{{caseNumber}}\n产品：{{productName}}\n批次：{{lots}}\n涉及数量：{{units}}\n' +
        '风险：{{hazard}}\n已采取的措施：{{instruction}}\n\n召回计划、进展和总结报告将按规定时限提交。',
    },
    en: {
      subject: '[Recall report] {{brand}} {{productName}} ({{caseNumber}}, level {{level}})',
      body:
        '{{brand}} is recalling the following food at level {{level}} and hereby reports it.\n\n' +
        'Recall number: {{caseNumber}}\nProduct: {{productName}}\nLots: {{lots}}\nUnits concerned: {{units}}\n' +
        'Hazard: {{hazard}}\nActions taken: {{instruction}}\n\nThe recall plan, progress and final reports follow within the legal deadlines.',
    },
  },
  store: {
    'zh-CN': {
      subject: '【立即下架】{{productName}} 批次 {{lots}}（{{caseNumber}}）',
      body:
        '{{storeName}}：\n\n请立即将以下产品下架并停止销售，单独存放，等待回收。\n\n' +
        '产品：{{productName}}\n批次：{{lots}}\n贵店预计数量：{{units}}\n要求：{{instruction}}\n\n' +
        '请在 {{deadline}} 前完成下架并确认：\n{{ackUrl}}\n\n召回编号：{{caseNumber}}（{{brand}}）',
    },
    en: {
      subject: '[Remove from shelf now] {{productName}} lot {{lots}} ({{caseNumber}})',
      body:
        '{{storeName}}:\n\nTake the following product off the shelf now and stop selling it. Keep it apart until it is collected.\n\n' +
        'Product: {{productName}}\nLots: {{lots}}\nExpected at your store: {{units}}\nInstruction: {{instruction}}\n\n' +
        'Confirm the removal before {{deadline}}:\n{{ackUrl}}\n\nRecall {{caseNumber}} ({{brand}})',
    },
  },
  warehouse: {
    'zh-CN': {
      subject: '【隔离封存】{{productName}} 批次 {{lots}}（{{caseNumber}}）',
      body:
        '{{storeName}}：\n\n请立即隔离封存以下产品，停止发货。\n\n产品：{{productName}}\n批次：{{lots}}\n预计库存：{{units}}\n' +
        '要求：{{instruction}}\n\n请在 {{deadline}} 前完成并确认：\n{{ackUrl}}\n\n召回编号：{{caseNumber}}（{{brand}}）',
    },
    en: {
      subject: '[Quarantine] {{productName}} lot {{lots}} ({{caseNumber}})',
      body:
        '{{storeName}}:\n\nQuarantine the following product now and stop shipping it.\n\nProduct: {{productName}}\nLots: {{lots}}\nExpected in stock: {{units}}\n' +
        'Instruction: {{instruction}}\n\nConfirm before {{deadline}}:\n{{ackUrl}}\n\nRecall {{caseNumber}} ({{brand}})',
    },
  },
  distributor: {
    'zh-CN': {
      subject: '【召回通知】{{brand}} {{productName}} 批次 {{lots}}（{{caseNumber}}）',
      body:
        '{{brand}}正在召回以下产品，请立即停止销售和发货，并通知您的下游客户。\n\n' +
        '产品：{{productName}}\n批次：{{lots}}\n涉及数量：{{units}}\n要求：{{instruction}}\n完成期限：{{deadline}}\n\n召回编号：{{caseNumber}}',
    },
    en: {
      subject: '[Recall notice] {{brand}} {{productName}} lot {{lots}} ({{caseNumber}})',
      body:
        '{{brand}} is recalling the following product. Stop selling and shipping it now, and tell your own customers.\n\n' +
        'Product: {{productName}}\nLots: {{lots}}\nUnits concerned: {{units}}\nInstruction: {{instruction}}\nDeadline: {{deadline}}\n\nRecall {{caseNumber}}',
    },
  },
  consumer: {
    'zh-CN': {
      subject: '【请勿食用】您购买的{{brand}} {{productName}}正在召回',
      body:
        '您好：\n\n您购买的{{productName}}（批次 {{lots}}）正在召回。原因：{{hazard}}\n\n{{instruction}}\n\n' +
        '退货方式：{{returnInstructions}}\n补偿：{{compensation}}\n\n给您带来不便，我们深表歉意。\n{{brand}}',
    },
    en: {
      subject: '[Do not eat] The {{brand}} {{productName}} you bought is being recalled',
      body:
        'Hello,\n\nThe {{productName}} you bought (lot {{lots}}) is being recalled. Reason: {{hazard}}\n\n{{instruction}}\n\n' +
        'How to return it: {{returnInstructions}}\nCompensation: {{compensation}}\n\nWe are sorry for the trouble.\n{{brand}}',
    },
  },
  public: {
    'zh-CN': {
      subject: '{{brand}}关于召回{{productName}}的公告',
      body:
        '{{brand}}决定召回以下产品（{{level}}级召回）。\n\n产品：{{productName}}\n批次：{{lots}}\n原因：{{hazard}}\n\n' +
        '{{instruction}}\n\n退货方式：{{returnInstructions}}\n补偿：{{compensation}}',
    },
    en: {
      subject: '{{brand}} recalls {{productName}}',
      body:
        '{{brand}} is recalling the following product (level {{level}} recall).\n\nProduct: {{productName}}\nLots: {{lots}}\nReason: {{hazard}}\n\n' +
        '{{instruction}}\n\nHow to return it: {{returnInstructions}}\nCompensation: {{compensation}}',
    },
  },
  escalation: {
    'zh-CN': {
      subject: '【未确认下架】{{storeName}} — {{productName}}（{{caseNumber}}）',
      body:
        '{{storeName}} 未在 {{deadline}} 前确认下架{{productName}}。\n请立即联系门店，确认产品已下架，并在此确认：\n{{ackUrl}}\n\n召回编号：{{caseNumber}}（{{brand}}）',
    },
    en: {
      subject: '[Not acknowledged] {{storeName}} — {{productName}} ({{caseNumber}})',
      body:
        '{{storeName}} has not confirmed removing {{productName}} from the shelf by {{deadline}}.\nCall the store now, make sure the product is off the shelf, and confirm here:\n{{ackUrl}}\n\nRecall {{caseNumber}} ({{brand}})',
    },
  },
  drill: {
    'zh-CN': {
      subject: '【演练】',
      body: '【演练，无需实际操作】这是召回演练 {{caseNumber}} 的通知，不是真实召回。',
    },
    en: {
      subject: '[DRILL]',
      body: '[DRILL, take no real action] This notice belongs to recall drill {{caseNumber}}; it is not a real recall.',
    },
  },
};

/** The built-in template of `kind` in `lang`. */
export function builtInTemplate(kind: NoticeKind, lang: NoticeLang): NoticeTemplate {
  return builtIn[kind][lang];
}

/** Whether `value` names a notice kind. */
export function isNoticeKind(value: unknown): value is NoticeKind {
  return typeof value === 'string' && (NOTICE_KINDS as readonly string[]).includes(value);
}

/** The variables `template` uses, in order of first use. */
export function templateVariables(template: NoticeTemplate): NoticeVariable[] {
  const seen = new Set<string>();
  for (const text of [template.subject, template.body]) for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1] ?? '');
  return [...seen].filter((v): v is NoticeVariable => (NOTICE_VARIABLES as readonly string[]).includes(v));
}

/**
 * Problems of a template a person wrote: unknown variables and unbalanced braces, each with a JSON pointer
 * (`/subject` or `/body`) and the character offset. Empty when the template is usable.
 */
export function checkTemplate(template: NoticeTemplate, pointerPrefix = ''): { pointer: string; message: string }[] {
  const problems: { pointer: string; message: string }[] = [];
  for (const field of ['subject', 'body'] as const) {
    const text = template[field];
    for (const m of text.matchAll(PLACEHOLDER)) {
      const name = m[1] ?? '';
      if (!(NOTICE_VARIABLES as readonly string[]).includes(name)) {
        problems.push({ pointer: `${pointerPrefix}/${field}`, message: `unknown variable {{${name}}} at character ${(m.index ?? 0) + 1}; known: ${NOTICE_VARIABLES.join(', ')}` });
      }
    }
    const leftover = text.replace(PLACEHOLDER, '');
    const stray = leftover.search(/\{\{|\}\}/);
    if (stray >= 0) problems.push({ pointer: `${pointerPrefix}/${field}`, message: 'unbalanced {{ or }}: write variables as {{name}}' });
  }
  return problems;
}

/**
 * Render `template` with `vars`. Throws a TemplateError naming every unknown variable and every
 * variable without a value, so a notice never goes out with a hole or a literal `{{…}}` in it.
 */
export function renderTemplate(template: NoticeTemplate, vars: NoticeVars): RenderedNotice {
  const problems = checkTemplate(template);
  for (const name of templateVariables(template)) {
    const value = vars[name];
    if (value === undefined || value === null || String(value).trim() === '') problems.push({ pointer: `/vars/${name}`, message: `no value for {{${name}}}` });
  }
  if (problems.length) throw new TemplateError(`cannot render notice: ${problems.map((p) => p.message).join('; ')}`, problems);
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: NoticeVariable) => String(vars[name]));
  const body = fill(template.body);
  return { subject: fill(template.subject).replace(/\s+/g, ' ').trim(), body, html: textToHtml(body) };
}

/**
 * Render a built-in notice. With `drill`, the drill marker goes first in the subject and the body, so
 * nobody mistakes a drill for a real recall; `override` replaces the built-in template (an organisation's own).
 *
 * @example renderNotice('store', 'zh-CN', { brand: '月华坊', caseNumber: 'RC-2025-001', … })
 */
export function renderNotice(
  kind: NoticeKind,
  lang: NoticeLang,
  vars: NoticeVars,
  options: { readonly drill?: boolean; readonly override?: NoticeTemplate | null; readonly drillOverride?: NoticeTemplate | null } = {},
): RenderedNotice {
  const main = renderTemplate(options.override ?? builtIn[kind][lang], vars);
  if (!options.drill || kind === 'drill') return main;
  const marker = renderTemplate(options.drillOverride ?? builtIn.drill[lang], vars);
  const body = `${marker.body}\n\n${main.body}`;
  return { subject: `${marker.subject} ${main.subject}`, body, html: textToHtml(body) };
}

/** Plain text as a small HTML document: every character escaped, line breaks kept, links clickable. */
export function textToHtml(text: string): string {
  const escaped = escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  const paragraphs = escaped.split(/\n{2,}/).map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`);
  return `<!doctype html>\n<html><body style="font-family:sans-serif;line-height:1.5">\n${paragraphs.join('\n')}\n</body></html>\n`;
}

/** Escape the five characters that matter in HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
