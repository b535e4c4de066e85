import { beforeAll, describe, expect, it } from 'vitest';
import { LEVEL_COLOURS } from '../../core/recall/levels.ts';
import { findCjkFont } from '../../labels/cjk-font.ts';
import { BODY_BOTTOM, CONTENT_WIDTH, PAGE } from '../pdf/pdf-writer.ts';
import { countColour, folded, hasPoppler, pdfPixels, pdfText, pdfWords } from '../pdf/testing/pdf-text.ts';
import type { RecallReportData } from './report-data.ts';
import { type RecallReportFile, recallReportFileName, renderRecallReport } from './report-pdf.ts';
import { MOONCAKE_GTIN, drillReport, mooncakeReport, stores, withStores, withoutRecords } from './testing/report-fixture.ts';

// CI installs poppler-utils and a CJK font (.ci/run): there, these checks must run, never skip.
const hasCjkFont = process.env.CI === 'true' || findCjkFont().ok;
const canRead = hasPoppler && hasCjkFont;

const DRILL_MARKER = 'DRILL — no external notices were sent';

/** The report's text with whitespace folded (see `folded`), for facts however they wrapped. */
const factsOf = (file: RecallReportFile): string => folded(pdfText(file.body, { mode: 'raw' }));
/** Whether the text states `fact` (folded the same way). */
const states = (text: string, fact: string): boolean => text.includes(folded(fact));
const pageCount = (file: RecallReportFile): number => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(file.body.toString('latin1'))?.[1] ?? 0);

/**
 * Every word lies inside the page's content box, and below the body only in the footer band:
 * nothing runs off the right edge or under the footer, which is how an overflowing table or a
 * page pdfkit added on its own would show.
 */
function expectWithinBounds(file: RecallReportFile): void {
  const pages = pdfWords(file.body);
  expect(pages.length).toBe(pageCount(file));
  const footerTop = PAGE.height - PAGE.bottom + 14;
  pages.forEach((p, i) => {
    const outside = p.words.filter(
      (w) => w.xMin < PAGE.left - 1 || w.xMax > PAGE.left + CONTENT_WIDTH + 1 || w.yMin < 12 || (w.yMax > BODY_BOTTOM + 1 && (w.yMin < footerTop || w.yMax > PAGE.height - 14)),
    );
    expect(outside.map((w) => `page ${i + 1}: ${w.text} @ ${w.xMin},${w.yMin}–${w.xMax},${w.yMax}`)).toEqual([]);
    // Each page ends with its own footer: page x of y and the case number.
    const footer = p.words.filter((w) => w.yMin >= footerTop).map((w) => w.text).join(' ');
    expect(footer).toContain(`Page ${i + 1} of ${pages.length}`);
  });
}

describe('recall report file', () => {
  it('is an A4 PDF named after the case, kind and local date of generation', async () => {
    const plan = mooncakeReport('plan');
    const file = await renderRecallReport(plan, {});
    expect(file.contentType).toBe('application/pdf');
    expect(file.fileName).toBe('RC-2025-0001-plan-20250905.pdf');
    expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(file.body.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    // 07:30 UTC is still the 4th in California.
    expect(recallReportFileName(plan, '-08:00')).toBe('RC-2025-0001-plan-20250904.pdf');
    expect(recallReportFileName({ ...plan, kind: 'drill', case: { ...plan.case, caseNumber: 'RC/2025 07' } })).toBe('RC_2025_07-drill-20250905.pdf');
  });

  it('refuses an offset that is not ±HH:MM', async () => {
    await expect(renderRecallReport(mooncakeReport('plan'), { timeZoneOffset: '8' })).rejects.toThrow(RangeError);
  });
});

describe.skipIf(!canRead)('recall reports in Chinese and English', () => {
  const files = new Map<string, RecallReportFile>();
  const text = new Map<string, string>();
  beforeAll(async () => {
    const all: [string, RecallReportData][] = [
      ['plan', mooncakeReport('plan')],
      ['progress', mooncakeReport('progress')],
      ['summary', mooncakeReport('summary')],
      ['closing', mooncakeReport('closing')],
      ['drill', drillReport()],
      ['drill-fail', drillReport({ passed: false })],
    ];
    for (const [name, data] of all) {
      const file = await renderRecallReport(data, {});
      files.set(name, file);
      text.set(name, factsOf(file));
    }
  });
  const t = (name: string): string => text.get(name) as string;
  const f = (name: string): RecallReportFile => files.get(name) as RecallReportFile;

  it('gives every report its header: organisation, case number, title, kind, time at +08:00, level', () => {
    const kinds = { plan: '召回计划 Recall plan', progress: '召回进展报告 Recall progress report', summary: '召回总结报告 Recall summary report', closing: '召回结案报告 Recall closing report' };
    for (const [name, title] of Object.entries(kinds)) {
      expect(f(name).warnings).toEqual([]);
      for (const fact of [title, 'RC-2025-0001', '星辰食品有限公司 / Xingchen Foods Co., Ltd.', '星辰月饼 250905-B-A-001 封口不良', '三级召回（蓝色） Level 3 recall (blue)', '主动召回 Voluntary']) {
        expect(states(t(name), fact), `${name}: ${fact}`).toBe(true);
      }
    }
    expect(states(t('plan'), '生成时间 Generated 2025-09-05 15:30 UTC+08:00')).toBe(true);
    expect(states(t('drill'), '模拟召回演练报告 Mock recall drill report')).toBe(true);
    expect(states(t('drill'), '二级召回（黄色） Level 2 recall (yellow)')).toBe(true);
  });

  it('marks every page of a drill as a drill, and no page of a real case', () => {
    for (const name of ['drill', 'drill-fail']) {
      const pages = pageCount(f(name));
      expect(pages).toBeGreaterThan(1);
      for (let p = 1; p <= pages; p++) expect(folded(pdfText(f(name).body, { page: p }))).toContain(DRILL_MARKER);
      expect(states(t(name), '演练 / DRILL — no external notices were sent')).toBe(true);
    }
    for (const name of ['plan', 'progress', 'summary', 'closing']) {
      expect(t(name)).not.toContain('DRILL');
      expect(t(name)).not.toContain('no external notices');
    }
  });

  it('states in the plan what 《食品召回管理办法》 asks of a recall plan', () => {
    const plan = t('plan');
    for (const fact of [
      '生产者 Producer 星辰食品有限公司 / Xingchen Foods Co., Ltd.',
      '星辰月饼（蛋黄莲蓉，4 枚装） / Xingchen mooncakes, lotus paste with yolk, box of 4',
      `GTIN ${MOONCAKE_GTIN}`,
      '涉及批次 Lots 250905-B-A-001, 250905-B-A-002',
      '危害类型 Hazard 包装密封缺陷 packaging seal defect',
      'Retained samples from line B failed the seal strength test',
      // Level, risks, who decided when and why.
      '中 medium 低 low 中 medium 高 high',
      'zhao.gang@xingchen.example · 2025-09-05 11:00',
      'voluntary level-3 recall',
      // Scope: lots with their reasons, cities, stores.
      '与 250905-B-A-001 使用同一包装膜批次 F-ECO-0828 sealed with the same packaging film lot F-ECO-0828 as 250905-B-A-001',
      '批次 lots 2 · 件数 units 2000 · 地点 places 36 · 城市 cities 3',
      '新增 added: 250905-B-A-002',
      // Notices: audiences, instructions in both languages, compensation.
      '监管部门 regulator, 门店 stores, 仓库 warehouses, 消费者 consumers, 社会公众 the public',
      '请立即停止食用批号为 250905-B-A-001、250905-B-A-002 的星辰月饼',
      'Bring the box or receipt to any store for a full refund or a replacement.',
      '全额退款 / full refund 同款替换 / replacement box',
      // Legal clocks with start and end, and the disposal method.
      'start within 72 h of learning of the risk and report this plan; complete within 30 working days',
      '召回开始 Recall started 2025-09-05 12:00 UTC+08:00',
      '计划完成 To be completed by 2025-10-23 24:00 UTC+08:00',
      '处置方式 Disposal method',
      '已记录的处置：尚未记录 Dispositions recorded: not yet recorded',
    ]) {
      expect(states(plan, fact), fact).toBe(true);
    }
    // Quantities per city and per store, one row each.
    const layout = pdfText(f('plan').body);
    expect(layout).toMatch(/上海\s+16\s+15\s+900\s+180\s+720/);
    expect(layout).toMatch(/合计 Total\s+36\s+35\s+2000\s+360\s+1640/);
    for (const s of stores(35)) expect(layout).toContain(s.name as string);
    expect(layout).toMatch(/昆山店 \/ Kunshan store\s+苏州\s+2\s+55\s+9\s+0\s+46/);
  });

  it('reports progress: clocks, recovery with its chart, cities, stores, acknowledgements, notices, returns and what is unaccounted for', () => {
    const progress = t('progress');
    for (const fact of [
      '启动召回并报告召回计划（72 小时内） Start the recall and report the plan (within 72 h)',
      '按时完成 met',
      '进行中 running',
      '已召回 / 应召回 Recovered / in scope 1700 / 2000 (85.0 %)',
      '逾期未确认的门店 Stores overdue',
      '良渚店 / Liangzhu store',
      '消费者 consumers 209 0 3 0',
      '已售未能通知 Sold, buyer not notified 148',
      '收货 55 盒，销售、退回与在库合计 49 盒 received 55 boxes; sold, returned and on hand add up to 49',
    ]) {
      expect(states(progress, fact), fact).toBe(true);
    }
    const layout = pdfText(f('progress').body);
    expect(layout).toMatch(/上海\s+900\s+\d+\s+\d+\.\d %/);
    expect(layout).toMatch(/门店任务\s.*\n.*\n\s+35\s+33\s+2\s+1\s+1640\s+1530/);
    // The chart's axes: 0–100 % and hours since the start up to 48 h.
    for (const tick of ['100 %', '75 %', '0 h', '48 h']) expect(layout).toContain(tick);
  });

  it('sums the outcome up for the regulator: recovered, dispositions with witnesses, clocks met, timeline', () => {
    const summary = t('summary');
    for (const fact of [
      '已召回 / 应召回 Recovered / in scope 1880 / 2000 (94.0 %)',
      '销毁 destroy 250905-B-A-001 250905-B-A-002 1200 boxes',
      '金山区市场监管局 王敏 / Wang Min, Jinshan SAMR',
      '合计 Total 1880 boxes',
      '完成召回（30 个工作日内） Complete the recall (within 30 working days) 2025-10-23 24:00 2025-09-12 16:00 按时完成 met',
      '批准召回范围 scope approved',
      '扩大范围至 250905-B-A-002 / extend the scope to 250905-B-A-002',
      '结案 closed',
    ]) {
      expect(states(summary, fact), fact).toBe(true);
    }
    expect(summary).not.toContain('Root cause analysis');
  });

  it('closes with the root cause analysis, the CAPA with owners and checks, and the closing summary', () => {
    const closing = t('closing');
    for (const fact of [
      '根本原因 Root cause 新环保膜与封口机不兼容 / new eco film incompatible with the sealing machine',
      '料 Material • 新环保膜 F-ECO-0828 热封起始温度更高',
      '环 Environment —',
      '1. 为什么封口不良？',
      '5. 为什么视为同规格？',
      '设备部 王磊 / Wang Lei, engineering',
      '质量部 李娜 / Li Na, QA',
      '2025-09-19',
      '连续 3 批封口强度 ≥ 15 N/15mm',
      '已完成，有效 done, effective',
      '未完成 open',
      '结案人 Closed by chen.wei@xingchen.example · 2025-09-12 16:00',
      '1,880 of 2,000 boxes (94 %) were recovered and destroyed under witness',
      // The closing report carries the summary too.
      '金山区市场监管局 王敏 / Wang Min, Jinshan SAMR',
    ]) {
      expect(states(closing, fact), fact).toBe(true);
    }
  });

  it('gives the auditor the drill timings against 4 hours, the score per criterion, pass or fail, findings and a sign-off block', () => {
    const drill = t('drill');
    for (const fact of [
      '通过 PASS',
      '得分 Score 96 / 100',
      '确定范围 To scope 2025-09-15 09:38 38 min 4 h 00 min 达标 within target',
      '封存 / 停售 To hold (stop sale) 2025-09-15 09:52 52 min 1 h 00 min 达标 within target',
      '物料平衡 To reconciliation 2025-09-15 12:12 3 h 12 min 4 h 00 min 达标 within target',
      '已核清比例 Accounted for 99.6 % 48 50',
      '未解释差异 Unexplained differences 1 8 10',
      '合计 Total 通过 PASS 96 100',
      '1 处差异未解释 1 unexplained difference(s)',
      '250910-A-A-003',
      '盘点少 3 盒，原因待查 3 boxes short at the count, cause not yet found',
      '演练（未发送） Drill (not sent)',
      '签字确认 Sign-off',
      '演练负责人 Drill lead',
      '审核员 Auditor',
    ]) {
      expect(states(drill, fact), fact).toBe(true);
    }
    const layout = pdfText(f('drill').body);
    expect(layout.match(/签名 Signature/g)).toHaveLength(2);
    expect(layout.match(/日期 Date/g)).toHaveLength(2);

    const failed = t('drill-fail');
    for (const fact of ['未通过 FAIL', '96.5 % accounted for, below 99 %', 'took 4.7 h, more than 4 h', '3 unexplained difference(s)', '物料平衡 To reconciliation 2025-09-15 13:40 4 h 40 min 4 h 00 min 超时 over target']) {
      expect(states(failed, fact), fact).toBe(true);
    }
    expect(failed).not.toContain('通过 PASS');
  });

  it('keeps every word of every report on its page, above the footer', () => {
    for (const name of files.keys()) expectWithinBounds(f(name));
  });

  it('draws the level badge in the level colour', async () => {
    const blue = pdfPixels(f('plan').body, 1);
    expect(countColour(blue, LEVEL_COLOURS[3].hex)).toBeGreaterThan(150);
    expect(countColour(blue, LEVEL_COLOURS[1].hex)).toBe(0);
    const plan = mooncakeReport('plan');
    const assessment = plan.case.assessment;
    if (assessment === null) throw new Error('the fixture plan is assessed');
    const red = await renderRecallReport({ ...plan, case: { ...plan.case, assessment: { ...assessment, level: 1 } } });
    expect(states(factsOf(red), '一级召回（红色） Level 1 recall (red)')).toBe(true);
    const pixels = pdfPixels(red.body, 1);
    expect(countColour(pixels, LEVEL_COLOURS[1].hex)).toBeGreaterThan(150);
    expect(countColour(pixels, LEVEL_COLOURS[3].hex)).toBe(0);
  });
});

describe.skipIf(!canRead)('large and incomplete recalls', () => {
  it('continues a 300-store scope over more pages, with the table heading on each and every store listed once', async () => {
    const small = await renderRecallReport(mooncakeReport('plan'));
    const big = await renderRecallReport(withStores(mooncakeReport('plan'), 300));
    expect(pageCount(big)).toBeGreaterThanOrEqual(pageCount(small) + 5);
    const pages = Array.from({ length: pageCount(big) }, (_, i) => pdfText(big.body, { page: i + 1 }));
    const storePages = pages.filter((p) => /store \d{3}\s/.test(p));
    expect(storePages.length).toBeGreaterThanOrEqual(5);
    for (const p of storePages) expect(p).toMatch(/门店 \/ 地点\s+城市\s+批次数\s+收货 \/ 生产\s+已售\s+退回\s+在库/);
    const all = pages.join('\n');
    for (const s of stores(300)) expect(all.split(s.name as string).length - 1, s.name as string).toBe(1);
    expect(all).toMatch(/苏州第300号店 \/ Suzhou store 300\s+苏州\s+2\s+55\s+9\s+0\s+46/);
    expectWithinBounds(big);
    // The progress report lists the same 300 stores' recovery, also across pages.
    const progress = await renderRecallReport(withStores(mooncakeReport('progress'), 300));
    expectWithinBounds(progress);
    expect(pdfText(progress.body)).toMatch(/上海第298号店 \/ Shanghai store 298\s+上海\s+60\s+\d+\s+\d+\.\d %/);
  });

  it('says "not yet recorded" where a part of the case is missing, for every kind', async () => {
    for (const kind of ['plan', 'progress', 'summary', 'closing'] as const) {
      const file = await renderRecallReport(withoutRecords(mooncakeReport(kind)));
      expectWithinBounds(file);
      const text = factsOf(file);
      if (kind === 'progress') expect(states(text, '涉及批次 Lots 尚未确定范围 scope not yet set')).toBe(true);
      else expect(states(text, '召回范围：尚未记录 Scope: not yet recorded'), kind).toBe(true);
      if (kind === 'plan') expect(states(text, '通知计划：尚未记录 Notice plan: not yet recorded')).toBe(true);
      if (kind !== 'plan') expect(states(text, '召回进度：尚未记录 Recovery progress: not yet recorded'), kind).toBe(true);
      if (kind === 'closing') {
        for (const fact of ['根本原因分析：尚未记录 Root cause analysis: not yet recorded', '纠正与预防措施：尚未记录 CAPA: not yet recorded', '结案：尚未记录 Closure: not yet recorded']) expect(states(text, fact), fact).toBe(true);
      }
    }
    const unassessed = mooncakeReport('plan');
    const file = await renderRecallReport(withoutRecords({ ...unassessed, case: { ...unassessed.case, assessment: null } }));
    const text = factsOf(file);
    expect(states(text, '尚未定级 Level not yet assessed')).toBe(true);
    expect(states(text, '风险评估：尚未记录 Risk assessment: not yet recorded')).toBe(true);

    const drill = await renderRecallReport(withoutRecords(drillReport()));
    const drillText = factsOf(drill);
    expect(states(drillText, '演练计时与评分：尚未记录 Drill timing and score: not yet recorded')).toBe(true);
    expect(drillText).toContain(DRILL_MARKER);
  });
});

describe.skipIf(!hasPoppler)('without a CJK font', () => {
  it('prints English captions and text, leaves Chinese out, and warns', async () => {
    const file = await renderRecallReport(mooncakeReport('closing'), { cjkFont: { path: null } });
    expect(file.warnings).toEqual([expect.stringMatching(/CJK font disabled.*Chinese text left out/)]);
    const text = factsOf(file);
    for (const fact of ['Recall closing report', 'RC-2025-0001', 'Level 3 recall (blue)', 'new eco film incompatible with the sealing machine', 'Wang Lei, engineering', 'Page 1 of',
      // Mixed text keeps its English part, with symbols the standard fonts lack spelled out.
      'Reason (what happened) Retained samples from line B failed the seal strength test (9.8 N/15mm, spec >= 15)',
      'Material • new eco film F-ECO-0828 needs a higher seal initiation temperature',
    ]) {
      expect(text, fact).toContain(fact);
    }
    expect(text).not.toMatch(/[\u3400-\u9fff]/);
    expectWithinBounds(file);
  });

  it('shows times at the offset asked for', async () => {
    const file = await renderRecallReport(mooncakeReport('plan'), { timeZoneOffset: '+00:00', cjkFont: { path: null } });
    const text = factsOf(file);
    expect(text).toContain('Generated 2025-09-05 07:30 UTC+00:00');
    expect(text).toContain('Recall started 2025-09-05 04:00 UTC+00:00');
  });
});
