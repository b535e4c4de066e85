/**
 * The parts of a recall report that state the case's facts: the header, and what the recall plan
 * must say under 《食品召回管理办法》 — producer, product and lots, reason and hazard, level and who
 * decided it, scope, notices and what consumers should do, start and end times, disposal method —
 * plus the dispositions, the clocks and the decision timeline that the later reports repeat.
 */
import { FDA_CLASS_TEXT, LEVEL_COLOURS } from '../../../core/recall/levels.ts';
import { COLOURS, CONTENT_WIDTH, PAGE, formatNumber, type TableRow } from '../../pdf/pdf-writer.ts';
import type { ReportContext } from './context.ts';
import { placeTotals } from './context.ts';
import {
  AUDIENCE_WORDS, CLOCK_STATUS_WORDS, COMMAND_WORDS, DISPOSITION_WORDS, HAZARD_WORDS, KIND_WORDS, ORIGIN_WORDS, RISK_KIND_WORDS, RISK_WORDS, STATUS_WORDS,
  STATUTORY_CLOCKS, wordsOf,
} from './labels.ts';

/** The drill marker, as the header and every page of a drill's reports show it. */
export const DRILL_MARKER = { zh: '演练 / ', en: 'DRILL — no external notices were sent' } as const;

/** Title, case, organisation, time, level badge and (on drills) the drill marker. */
export function drawHeader(ctx: ReportContext): void {
  const { w, data } = ctx;
  const c = data.case;
  const kind = KIND_WORDS[data.kind];
  w.newPage();
  w.doc.font(w.strong).fontSize(18).fillColor(COLOURS.accent);
  w.doc.text(ctx.say(kind), PAGE.left, w.y, { width: CONTENT_WIDTH, height: 24, ellipsis: true });
  w.y += 26;
  w.paragraph(w.bilingual(c.title), { size: 11.5, strong: true });
  w.space(3);

  // Badges: level in its colour, voluntary or ordered, FDA class, status.
  let x = PAGE.left;
  const top = w.y;
  const a = c.assessment;
  if (a === null) {
    x += w.badge(w.cap('尚未定级', 'Level not yet assessed'), x, top, { fill: COLOURS.totalFill, color: COLOURS.muted }) + 6;
  } else {
    const level = LEVEL_COLOURS[a.level];
    x += w.badge(w.cap(level['zh-CN'], level.en), x, top, { fill: level.hex, color: level.colour === 'yellow' ? COLOURS.ink : '#ffffff' }) + 6;
    x += w.badge(a.voluntary ? w.cap('主动召回', 'Voluntary') : w.cap('责令召回', 'Ordered'), x, top, { fill: COLOURS.headerFill, color: COLOURS.accent }) + 6;
    if (a.fdaClass !== null) x += w.badge(w.cap(FDA_CLASS_TEXT[a.fdaClass]['zh-CN'], FDA_CLASS_TEXT[a.fdaClass].en), x, top, { fill: COLOURS.headerFill, color: COLOURS.accent }) + 6;
  }
  w.badge(ctx.say(STATUS_WORDS[c.status]), x, top, { fill: COLOURS.totalFill, color: COLOURS.ink });
  w.y = top + 24;

  if (c.drill) {
    // The marker, then why it matters, in both languages: a drill's report must never pass for a real recall.
    const marker = w.clean(`${DRILL_MARKER.zh}${DRILL_MARKER.en}`);
    const notes = [
      ...(w.cjk ? ['本案为模拟召回：未向监管部门、门店、消费者或公众发送任何通知，封存仅为演练标记。'] : []),
      'This case is a mock recall: nothing was sent to regulators, stores, consumers or the public; holds were drill markers only.',
    ];
    const width = CONTENT_WIDTH - 16;
    w.doc.font(w.regular).fontSize(7.5);
    const noteHeights = notes.map((n) => w.doc.heightOfString(n, { width }));
    const h = 24 + noteHeights.reduce((a, b) => a + b + 1, 0) + 4;
    w.ensure(h + 6);
    w.doc.rect(PAGE.left, w.y, CONTENT_WIDTH, h).fill('#fff1e0');
    w.doc.rect(PAGE.left, w.y, 4, h).fill('#d46b08');
    w.doc.font(w.strong).fontSize(11).fillColor('#ad4e00');
    w.doc.text(marker, PAGE.left + 12, w.y + 6, { width, height: 14, ellipsis: true });
    let ny = w.y + 24;
    w.doc.font(w.regular).fontSize(7.5).fillColor('#ad4e00');
    notes.forEach((n, i) => {
      w.doc.text(n, PAGE.left + 12, ny, { width, height: (noteHeights[i] ?? 10) + 1, ellipsis: true });
      ny += (noteHeights[i] ?? 10) + 1;
    });
    w.y += h + 6;
  }

  w.keyValues([
    [w.cap('企业', 'Organisation'), w.bilingual(data.org.name)],
    [w.cap('案件编号', 'Case number'), c.caseNumber],
    [w.cap('报告', 'Report'), ctx.say(kind)],
    [w.cap('案件状态', 'Case status'), ctx.say(STATUS_WORDS[c.status])],
    [w.cap('生成时间', 'Generated'), `${ctx.when(data.generatedAt)} ${ctx.zone}`],
  ]);
}

/** Producer, product, lots, codes and how the problem was found. */
export function drawProduct(ctx: ReportContext): void {
  const { w, data } = ctx;
  const c = data.case;
  w.heading('产品与生产者', 'Product and producer');
  const lots = data.scope?.items.map((i) => ctx.lotLabel(i.lot)) ?? c.scopes.at(-1)?.lots.map(ctx.lotLabel) ?? [];
  w.keyValues([
    [w.cap('生产者', 'Producer'), w.bilingual(data.org.name)],
    [w.cap('产品名称', 'Product'), ctx.productName],
    [w.cap('规格 / GTIN', 'Specification / GTIN'), productSpec(ctx)],
    [w.cap('涉及批次', 'Lots'), lots.length ? lots.join(', ') : w.cap('尚未确定范围', 'scope not yet set')],
    [w.cap('最初可疑代码', 'Codes the case started from'), c.codes.join('\n') || '—'],
    [w.cap('发现途径', 'Found by'), ctx.say(ORIGIN_WORDS[c.origin])],
    [w.cap('立案', 'Opened'), `${ctx.when(c.opened.at)} · ${c.opened.by}`],
  ]);
}

function productSpec(ctx: ReportContext): string {
  const gtins = new Set([ctx.data.case.productGtin, ...(ctx.data.scope?.items.map((i) => i.gtin) ?? [])].filter((g): g is string => g !== null));
  return gtins.size ? [...gtins].map((g) => `GTIN ${g}`).join(', ') : '—';
}

/** Hazard, what happened, and the reason given for the level. */
export function drawHazard(ctx: ReportContext): void {
  const { w } = ctx;
  const c = ctx.data.case;
  w.heading('召回原因与危害', 'Reason and hazard');
  w.keyValues([
    [w.cap('危害类型', 'Hazard'), ctx.say(HAZARD_WORDS[c.hazard])],
    [w.cap('召回原因（情况说明）', 'Reason (what happened)'), w.bilingual(c.description) || '—'],
  ]);
}

/** Level, FDA class, voluntary or ordered, the four risk grades, and who decided when and why. */
export function drawLevel(ctx: ReportContext): void {
  const { w } = ctx;
  const c = ctx.data.case;
  w.heading('召回级别与风险评估', 'Recall level and risk assessment');
  const a = c.assessment;
  if (a === null) {
    ctx.notYet({ zh: '风险评估', en: 'Risk assessment' });
    return;
  }
  const level = LEVEL_COLOURS[a.level];
  w.keyValues([
    [w.cap('召回级别', 'Level'), w.cap(level['zh-CN'], level.en)],
    [w.cap('FDA 分类（参考）', 'FDA class (reference)'), a.fdaClass === null ? '—' : w.cap(FDA_CLASS_TEXT[a.fdaClass]['zh-CN'], FDA_CLASS_TEXT[a.fdaClass].en)],
    [w.cap('召回性质', 'Nature'), a.voluntary ? w.cap('主动召回（企业自主决定）', 'voluntary (decided by the producer)') : w.cap('责令召回', 'ordered by the regulator')],
    [w.cap('决定人 / 时间', 'Decided by / at'), `${a.by} · ${ctx.when(a.at)}`],
    [w.cap('决定理由', 'Why'), w.bilingual(a.reason)],
  ]);
  const grades = (['safety', 'regulatory', 'scope', 'reputation'] as const).map((k) => a.risks[k]);
  w.table(
    w.columns((['safety', 'regulatory', 'scope', 'reputation'] as const).map((k) => [w.head(RISK_KIND_WORDS[k].zh, `${RISK_KIND_WORDS[k].en} risk`), 0, 'center'] as const)),
    [{ cells: grades.map((g) => ctx.say(RISK_WORDS[g])), tone: grades.some((g) => g === 'critical' || g === 'high') ? 'alert' : undefined }],
  );
  if (c.superseded.length) {
    w.subheading('此前的评估（已被取代）', 'Earlier assessments (superseded)');
    w.table(
      w.columns([
        [w.head('时间', 'At'), 80],
        [w.head('决定人', 'By'), 90],
        [w.head('级别', 'Level'), 110],
        [w.head('理由', 'Why'), 0],
      ]),
      c.superseded.map((s) => ({ cells: [ctx.when(s.at), s.by, w.cap(LEVEL_COLOURS[s.level]['zh-CN'], LEVEL_COLOURS[s.level].en), w.bilingual(s.reason)] })),
    );
  }
}

/**
 * The scope: the version in force and its basis, the lots with why each is in scope, quantities per
 * city and per store (a table that continues over as many pages as the stores need), and the
 * version history with what each amendment added or removed.
 */
export function drawScope(ctx: ReportContext, detail: 'full' | 'cities'): void {
  const { w, data } = ctx;
  w.heading('召回范围', 'Recall scope');
  const s = data.scope;
  if (s === null) {
    ctx.notYet({ zh: '召回范围', en: 'Scope' });
    return;
  }
  const approved = s.approvedAt === null ? w.cap('尚未批准（提案）', 'not yet approved (proposal)') : `${s.approvedBy ?? '—'} · ${ctx.when(s.approvedAt)}`;
  const pairs: [string, string][] = [
    [w.cap('范围版本', 'Scope version'), `v${s.version} · ${s.createdBy} · ${ctx.when(s.createdAt)}`],
    [w.cap('批准', 'Approved'), approved],
    [w.cap('理由', 'Reason'), w.bilingual(s.reason)],
    [
      w.cap('合计', 'Totals'),
      [[w.cap('批次', 'lots'), s.totals.lots], [w.cap('件数', 'units'), s.totals.units], [w.cap('地点', 'places'), s.totals.locations], [w.cap('城市', 'cities'), s.totals.cities]].map(([k, n]) => `${k} ${formatNumber(n as number)}`).join(' · '),
    ],
  ];
  if (detail === 'full') {
    const basis = [s.basis.codes.join(', '), s.basis.rules.length ? `${w.cap('规则', 'rules')}: ${s.basis.rules.join(', ')}` : '', s.basis.asOf === null ? '' : `${w.cap('截至', 'as of')} ${ctx.when(s.basis.asOf)}`];
    pairs.push([w.cap('追溯依据', 'Basis'), basis.filter((x) => x !== '').join('\n')]);
    if (s.diff.added.length || s.diff.removed.length) {
      const changes = [s.diff.added.length ? `${w.cap('新增', 'added')}: ${s.diff.added.map(ctx.lotLabel).join(', ')}` : '', s.diff.removed.length ? `${w.cap('移除', 'removed')}: ${s.diff.removed.map(ctx.lotLabel).join(', ')}` : ''];
      pairs.push([w.cap('本版变更', 'Changed in this version'), changes.filter((x) => x !== '').join('\n')]);
    }
  }
  w.keyValues(pairs);

  if (detail === 'full') {
    w.subheading('范围内批次及纳入理由', 'Lots in scope and why');
    w.table(
      w.columns([
        [w.head('批次', 'Lot'), 105],
        [w.head('产品', 'Product'), 95],
        [w.head('件数', 'Units'), 42, 'right'],
        [w.head('纳入理由 / 证据', 'Reason / evidence'), 0],
      ]),
      s.items.map((i) => ({
        cells: [
          `${ctx.lotLabel(i.lot)}${i.gtin ? `\nGTIN ${i.gtin}` : ''}`,
          i.productName === null ? '—' : w.bilingual([i.productName.zh, i.productName.en].filter((x) => x !== null).join(' / ')),
          formatNumber(lotUnits(i.locations)),
          i.evidence.length ? i.evidence.map((e) => w.cap(e.detailZh, e.detail)).join('\n') : w.cap('查询的批次本身', 'the queried lot itself'),
        ],
      })),
    );
  }

  const places = placeTotals(s.items.map((i) => [...i.locations]));
  const stores = places.filter((p) => p.place.type === null || p.place.type === 'store');
  const cities = new Map<string, { places: number; stores: number; received: number; sold: number; onHand: number }>();
  for (const p of places) {
    const key = p.place.city ?? '—';
    const t = cities.get(key) ?? { places: 0, stores: 0, received: 0, sold: 0, onHand: 0 };
    t.places += 1;
    if (p.place.type === 'store') t.stores += 1;
    t.received += p.received;
    t.sold += p.sold;
    t.onHand += p.onHand;
    cities.set(key, t);
  }
  w.subheading('按城市', 'By city');
  const cityRows: TableRow[] = [...cities].map(([city, t]) => ({ cells: [w.bilingual(city) || '—', String(t.places), String(t.stores), formatNumber(t.received), formatNumber(t.sold), formatNumber(t.onHand)] }));
  const sum = (f: (t: { places: number; stores: number; received: number; sold: number; onHand: number }) => number) => [...cities.values()].reduce((n, t) => n + f(t), 0);
  cityRows.push({ cells: [w.cap('合计', 'Total'), String(sum((t) => t.places)), String(sum((t) => t.stores)), formatNumber(sum((t) => t.received)), formatNumber(sum((t) => t.sold)), formatNumber(sum((t) => t.onHand))], tone: 'total' });
  w.table(
    w.columns([
      [w.head('城市', 'City'), 0],
      [w.head('地点', 'Places'), 60, 'right'],
      [w.head('门店', 'Stores'), 60, 'right'],
      [w.head('收货', 'Received'), 70, 'right'],
      [w.head('已售', 'Sold'), 70, 'right'],
      [w.head('在库', 'On hand'), 70, 'right'],
    ]),
    cityRows,
  );
  if (detail === 'full') {
    w.subheading('按门店 / 地点', 'By store / place');
    if (stores.length === 0 && places.length === 0) ctx.notYet();
    else {
      w.table(
        w.columns([
          [w.head('门店 / 地点', 'Store / place'), 0],
          [w.head('城市', 'City'), 60],
          [w.head('批次数', 'Lots'), 40, 'right'],
          [w.head('收货 / 生产', 'Received / made'), 62, 'right'],
          [w.head('已售', 'Sold'), 50, 'right'],
          [w.head('退回', 'Returned'), 50, 'right'],
          [w.head('在库', 'On hand'), 55, 'right'],
        ]),
        places.map((p) => ({
          cells: [ctx.placeName(p.place), (p.place.city === null ? '' : w.bilingual(p.place.city)) || '—', String(p.lots), formatNumber(p.received || p.produced), formatNumber(p.sold), formatNumber(p.returned), formatNumber(p.onHand)],
          tone: p.onHand < 0 ? 'alert' : undefined,
        })),
        { size: 7 },
      );
    }
  }

  const versions = data.case.scopes;
  if (detail === 'full' && versions.length > 1) {
    w.subheading('范围版本历史', 'Scope versions');
    w.table(
      w.columns([
        [w.head('版本', 'Version'), 40],
        [w.head('提出', 'Proposed'), 110],
        [w.head('批次 / 件数', 'Lots / units'), 65, 'right'],
        [w.head('变更', 'Change'), 0],
        [w.head('批准', 'Approved'), 110],
      ]),
      versions.map((v) => ({
        cells: [
          `v${v.version}`,
          `${ctx.when(v.at)}\n${v.by}`,
          `${v.totals.lots} / ${formatNumber(v.totals.units)}`,
          [w.bilingual(v.reason), v.added.length ? `+ ${v.added.map(ctx.lotLabel).join(', ')}` : '', v.removed.length ? `− ${v.removed.map(ctx.lotLabel).join(', ')}` : ''].filter((x) => x !== '').join('\n'),
          v.approved === null ? w.cap('未批准', 'not approved') : `${ctx.when(v.approved.at)}\n${v.approved.by}`,
        ],
      })),
    );
  }
}

function lotUnits(locations: readonly { produced: number; received: number; place: { type: string | null } }[]): number {
  const produced = locations.reduce((n, l) => n + l.produced, 0);
  if (produced > 0) return produced;
  return locations.filter((l) => l.place.type === 'store' || l.place.type === null).reduce((n, l) => n + l.received, 0);
}

/** Audiences, instructions to consumers and stores (zh and en), compensation, acknowledgement time. */
export function drawNoticePlan(ctx: ReportContext): void {
  const { w } = ctx;
  w.heading('通知计划', 'Notice plan');
  const p = ctx.data.case.noticePlan;
  if (p === null) {
    ctx.notYet({ zh: '通知计划', en: 'Notice plan' });
    return;
  }
  w.keyValues([
    [w.cap('通知对象', 'Audiences'), p.audiences.map((a) => ctx.say(AUDIENCE_WORDS[a])).join(', ') || '—'],
    [w.cap('消费者应采取的措施（中文）', 'What consumers should do (Chinese)'), w.clean(p.instructions['zh-CN']) || (w.cjk ? '—' : '(Chinese text left out: no CJK font)')],
    [w.cap('消费者应采取的措施（英文）', 'What consumers should do (English)'), p.instructions.en],
    [w.cap('补偿方式', 'Compensation'), p.compensation.map(w.bilingual).join('\n') || '—'],
    [w.cap('门店确认时限', 'Stores acknowledge within'), w.cap(`${p.ackHours} 小时，逾期升级`, `${p.ackHours} h, then escalated`)],
  ]);
  if (ctx.data.case.drill) w.paragraph(w.cap('演练：以上通知均未对外发送。', 'Drill: none of these notices was sent outside the organisation.'), { size: 8, color: COLOURS.alertInk });
}

/** Start and end of the recall, the statutory clocks for the level, and the case's own clocks. */
export function drawClocks(ctx: ReportContext, title: 'plan' | 'status'): void {
  const { w, data } = ctx;
  if (title === 'plan') w.heading('法定时限与起止时间', 'Legal clocks, start and end');
  else w.heading('法定时限执行情况', 'Legal clocks');
  const a = data.case.assessment;
  if (title === 'plan') {
    const statutory = a === null ? null : STATUTORY_CLOCKS[a.level];
    const end = [...data.clocks].sort((x, y) => Date.parse(y.dueAt) - Date.parse(x.dueAt))[0];
    w.keyValues([
      [
        w.cap('法定要求', 'Statutory'),
        statutory === null
          ? w.cap('定级后确定', 'set once the level is assessed')
          : w.cap(
              `知悉风险后 ${statutory.startHours} 小时内启动召回并报告召回计划；${statutory.completeWorkingDays} 个工作日内完成召回（《食品召回管理办法》）`,
              `start within ${statutory.startHours} h of learning of the risk and report this plan; complete within ${statutory.completeWorkingDays} working days`,
            ),
      ],
      [w.cap('召回开始', 'Recall started'), data.case.startedAt === null ? w.cap('尚未开始（范围未批准）', 'not yet (scope not approved)') : `${ctx.when(data.case.startedAt)} ${ctx.zone}`],
      [w.cap('计划完成', 'To be completed by'), end === undefined ? '—' : `${dueText(ctx, end.dueAt)} ${ctx.zone}`],
      [w.cap('实际结束', 'Ended'), data.case.closed === null ? '—' : `${ctx.when(data.case.closed.at)} ${ctx.zone}`],
    ]);
  }
  if (data.clocks.length === 0) {
    ctx.notYet({ zh: '时限', en: 'Clocks' });
    return;
  }
  w.table(
    w.columns([
      [w.head('时限', 'Clock'), 0],
      [w.head('截止', 'Due'), 90],
      [w.head('完成', 'Met at'), 90],
      [w.head('状态', 'Status'), 90],
      [w.head('剩余', 'Remaining'), 60, 'right'],
    ]),
    data.clocks.map((c) => ({
      cells: [w.cap(c.label['zh-CN'], c.label.en), dueText(ctx, c.dueAt), ctx.when(c.metAt), ctx.say(CLOCK_STATUS_WORDS[c.status]), c.metAt === null ? duration(c.remainingMs) : '—'],
      tone: c.status === 'overdue' || c.status === 'met_late' ? 'alert' : c.status === 'met' ? 'ok' : undefined,
    })),
  );
}

/**
 * A deadline: one that falls at local midnight is shown as 24:00 of the day before, as the law
 * counts it (a period ends at 24:00 of its last day), so `2025-10-23 24:00` rather than `10-24 00:00`.
 */
export function dueText(ctx: ReportContext, iso: string): string {
  const shown = ctx.when(iso);
  if (!shown.endsWith(' 00:00')) return shown;
  return `${ctx.when(new Date(Date.parse(iso) - 60_000).toISOString()).slice(0, 10)} 24:00`;
}

/** `3 d 4 h`, `5 h 20 min`, `−2 h` for a time past. */
export function duration(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return sign + (d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`);
}

/** How recalled food is disposed of, and the dispositions recorded so far (class, quantity, place, witness). */
export function drawDisposal(ctx: ReportContext, planned: boolean): void {
  const { w } = ctx;
  w.heading(planned ? '处置方式' : '处置情况', planned ? 'Disposal method' : 'Dispositions');
  if (planned) {
    w.paragraph(
      w.cap(
        '召回的食品集中回收、封存并登记后处置：能通过补救措施保证安全的予以补救（返工），不能保证安全的进行无害化处理或销毁；每次处置记录类别、批次、数量、地点和见证人，并保留证据。',
        'Recalled food is collected, held and logged, then disposed of: reworked where a remedy makes it safe, otherwise rendered harmless or destroyed; each disposition records class, lots, quantity, place and witness, with evidence.',
      ),
      { size: 8.5 },
    );
  }
  const ds = ctx.data.case.dispositions;
  if (ds.length === 0) {
    ctx.notYet({ zh: '已记录的处置', en: 'Dispositions recorded' });
    return;
  }
  const names = placeNames(ctx);
  const total = new Map<string, number>();
  for (const d of ds) total.set(d.uom, (total.get(d.uom) ?? 0) + d.quantity);
  w.table(
    w.columns([
      [w.head('时间', 'At'), 70],
      [w.head('类别', 'Class'), 62],
      [w.head('批次', 'Lots'), 80],
      [w.head('数量', 'Quantity'), 52, 'right'],
      [w.head('地点', 'Place'), 0],
      [w.head('见证人', 'Witness'), 95],
      [w.head('证据', 'Evidence'), 50, 'right'],
    ]),
    [
      ...ds.map((d) => ({
        cells: [
          ctx.when(d.at),
          ctx.say(DISPOSITION_WORDS[d.class]),
          d.lots.map(ctx.lotLabel).join('\n'),
          `${formatNumber(d.quantity)} ${d.uom}`,
          `${names.get(d.locationId) ?? d.locationId}${d.note ? `\n${w.bilingual(d.note)}` : ''}`,
          w.bilingual(d.witness),
          String(d.evidence.length),
        ],
      })),
      ...[...total].map(([uom, q]) => ({ cells: ['', w.cap('合计', 'Total'), '', `${formatNumber(q)} ${uom}`, '', '', ''], tone: 'total' as const })),
    ],
  );
}

/** Names of the places the report knows: the scope's places and the recovery rows. */
export function placeNames(ctx: ReportContext): Map<string, string> {
  const names = new Map<string, string>();
  for (const i of ctx.data.scope?.items ?? []) for (const l of i.locations) names.set(l.place.id, ctx.placeName(l.place));
  for (const r of ctx.data.progress?.byStore ?? []) if (r.place !== null) names.set(r.place.id, ctx.placeName(r.place));
  for (const o of ctx.data.tasks.overdue) if (o.name !== null) names.set(o.locationId, ctx.w.bilingual(o.name));
  return names;
}

/** Every decision of the case, in order, with who took it and why. */
export function drawTimeline(ctx: ReportContext): void {
  const { w, data } = ctx;
  w.heading('决策时间线', 'Timeline of decisions');
  if (data.timeline.length === 0) {
    ctx.notYet();
    return;
  }
  w.table(
    w.columns([
      [w.head('序号', '#'), 26, 'right'],
      [w.head('时间', 'At'), 68],
      [w.head('决定人', 'By'), 122],
      [w.head('决定', 'Decision'), 100],
      [w.head('理由', 'Reason'), 0],
    ]),
    data.timeline.map((t) => ({
      cells: [
        String(t.seq),
        ctx.when(t.at),
        `${t.actor}${t.role ? `\n${t.role}` : ''}`,
        ctx.say(wordsOf(COMMAND_WORDS, t.command)),
        t.reason === null ? '—' : w.bilingual(t.reason),
      ],
    })),
    { size: 7 },
  );
}
