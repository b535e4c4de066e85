/** A trace report as plain text for a terminal (`lotline trace`), in English and Chinese. */
import type { TraceReport, TracePlace } from './types.ts';

const place = (p: TracePlace | null): string => (p === null ? '?' : p.name ? `${p.name}${p.city ? ` (${p.city})` : ''}` : p.id);

export function formatTrace(r: TraceReport): string {
  const out: string[] = [];
  out.push(`${r.query.code} → ${r.query.node} (${r.query.kind}), ${r.query.direction}${r.query.asOf ? `, as of 截至 ${r.query.asOf}` : ''} — ${r.nodes.length} nodes 节点, ${r.tookMs} ms`);
  if (r.rawLots.length > 0) {
    out.push('', 'Raw lots 原料批次:');
    for (const l of r.rawLots) out.push(`  ${l.lotNumber ?? l.lot}  ${l.productName?.zh ?? ''} ${l.productName?.en ?? ''}  supplier 供应商: ${place(l.supplier)}  QC 质检: ${l.qc.map((q) => q.disposition ?? q.bizStep).join(', ') || '—'}`);
  }
  if (r.batches.length > 0) {
    out.push('', 'Batches 生产批次:');
    for (const b of r.batches) {
      out.push(`  ${b.lotNumber ?? b.lot}  ${b.producedAt}  line 产线: ${place(b.line)}  shift 班次: ${b.shift ?? '—'}  operators 操作员: ${b.operators.join(', ') || '—'}  equipment 设备: ${b.equipment.join(', ') || '—'}`);
      const env = b.environment.filter((e) => e.value !== null);
      if (env.length > 0) out.push(`    environment 环境: ${env.map((e) => `${e.type.split('/').pop()} ${e.value}${e.uom ? ` ${e.uom}` : ''}`).join('; ')}`);
    }
  }
  if (r.shipments.length > 0) {
    out.push('', 'Shipments 发运:');
    for (const s of r.shipments) out.push(`  ${s.time}  ${place(s.from)} → ${place(s.to)}  vehicle 车辆: ${s.vehicle ?? '—'}  units 件数: ${s.units ?? '?'}  received 收货: ${s.receivedAt ?? '—'}`);
  }
  if (r.locations.length > 0) {
    out.push('', 'Places 地点: produced 生产 / received 收货 / shipped 发出 / sold 售出 / returned 退回 / destroyed 销毁 / on hand 在库');
    for (const l of r.locations) out.push(`  ${place(l.place)}: ${l.produced} / ${l.received} / ${l.shipped} / ${l.sold} / ${l.returned} / ${l.destroyed} / ${l.onHand}${l.uom ? ` ${l.uom}` : ''}`);
  }
  return out.join('\n');
}
