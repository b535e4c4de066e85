import { describe, expect, it } from 'vitest';
import {
  NOTICE_KINDS,
  NOTICE_LANGS,
  NOTICE_VARIABLES,
  TemplateError,
  builtInTemplate,
  checkTemplate,
  renderNotice,
  renderTemplate,
  templateVariables,
} from '../../src/app/outbox/templates.ts';

const everything = {
  brand: '月华坊',
  caseNumber: 'RC-2025-007',
  productName: '星辰月饼',
  lots: 'B1',
  level: '二',
  hazard: '可能含有未标示的花生',
  instruction: '停止销售',
  ackUrl: 'https://lotline.example/ack/x',
  deadline: '2025-09-10 18:00',
  storeName: '静安店',
  units: 12,
  returnInstructions: '凭购物小票到任一门店退货',
  compensation: '全额退款',
};

describe('notice templates', () => {
  it('has every kind in both languages, using only known variables, and renders with no placeholder left', () => {
    for (const kind of NOTICE_KINDS) {
      for (const lang of NOTICE_LANGS) {
        const template = builtInTemplate(kind, lang);
        expect(checkTemplate(template), `${kind}/${lang}`).toEqual([]);
        const rendered = renderNotice(kind, lang, everything);
        expect(rendered.subject, `${kind}/${lang}`).not.toMatch(/\{\{|\}\}/);
        expect(rendered.body, `${kind}/${lang}`).not.toMatch(/\{\{|\}\}/);
        expect(rendered.body.length).toBeGreaterThan(20);
      }
    }
    // The Chinese store notice says what to do, by when, and where to confirm.
    const store = renderNotice('store', 'zh-CN', everything);
    expect(store.subject).toBe('【立即下架】星辰月饼 批次 B1（RC-2025-007）');
    expect(store.body).toContain('请在 2025-09-10 18:00 前完成下架并确认：\nhttps://lotline.example/ack/x');
    expect(renderNotice('consumer', 'en', { ...everything, productName: 'Star Mooncake' }).subject).toBe('[Do not eat] The 月华坊 Star Mooncake you bought is being recalled');
  });

  it('refuses to render when a variable the template uses has no value', () => {
    const { ackUrl: _, ...withoutAck } = everything;
    expect(() => renderNotice('store', 'en', withoutAck)).toThrow(TemplateError);
    try {
      renderNotice('store', 'en', { ...everything, deadline: '  ' });
      expect.unreachable();
    } catch (error) {
      expect((error as TemplateError).problems).toEqual([{ pointer: '/vars/deadline', message: 'no value for {{deadline}}' }]);
    }
  });

  it('rejects unknown variables with a pointer, at check and at render time', () => {
    const template = { subject: 'Recall {{caseNumber}}', body: 'Dear {{storeName}},\nsee {{ackLink}} and {{ brand }}.' };
    expect(checkTemplate(template)).toEqual([{ pointer: '/body', message: expect.stringContaining('unknown variable {{ackLink}} at character 25') }]);
    expect(() => renderTemplate(template, everything)).toThrow(/unknown variable \{\{ackLink\}\}/);
    expect(checkTemplate({ subject: 'x {{brand}', body: 'ok' })).toEqual([{ pointer: '/subject', message: expect.stringContaining('unbalanced') }]);
    expect(templateVariables({ subject: '{{brand}} {{ caseNumber }}', body: '{{brand}}' })).toEqual(['brand', 'caseNumber']);
    expect(NOTICE_VARIABLES).toContain('returnInstructions');
  });

  it('escapes values in the HTML part and keeps the text part as written', () => {
    const r = renderTemplate({ subject: '{{productName}}', body: 'Product: {{productName}}\n\nSee {{ackUrl}}' }, { productName: '<script>alert("x")</script> & Co', ackUrl: 'https://a.example/?q=1&r="2"' });
    expect(r.body).toBe('Product: <script>alert("x")</script> & Co\n\nSee https://a.example/?q=1&r="2"');
    expect(r.html).toContain('<p>Product: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</p>');
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('<a href="https://a.example/?q=1&amp;r=&quot;2&quot;">');
  });

  it('marks drills in the subject and first line, in both languages', () => {
    const zh = renderNotice('store', 'zh-CN', everything, { drill: true });
    expect(zh.subject.startsWith('【演练】 【立即下架】')).toBe(true);
    expect(zh.body.startsWith('【演练，无需实际操作】这是召回演练 RC-2025-007 的通知，不是真实召回。\n\n静安店：')).toBe(true);
    const en = renderNotice('regulator', 'en', everything, { drill: true });
    expect(en.subject.startsWith('[DRILL] [Recall report]')).toBe(true);
  });

  it('uses an organisation override instead of the built-in wording', () => {
    const r = renderNotice('public', 'en', everything, { override: { subject: '{{brand}}: recall of {{productName}}', body: 'Lots {{lots}}. {{compensation}}.' } });
    expect(r).toMatchObject({ subject: '月华坊: recall of 星辰月饼', body: 'Lots B1. 全额退款.' });
  });
});
