/**
 * The trace report as a layered graph: raw lots → batches → units → cases/pallets → vehicles → places.
 * Edges follow each node's path (the walk's first path to it; production steps are folded into a
 * direct raw-lot → batch edge), and shipments add container → vehicle → destination.
 */
import type { TraceReport } from '../../../../src/app/trace/types.ts';
import type { ChartOption } from '../../components/trace-chart.tsx';
import { localName, productLabel, shortId } from './texts.ts';

export type GraphKind = 'raw' | 'batch' | 'unit' | 'container' | 'vehicle' | 'place';
const LAYERS: readonly GraphKind[] = ['raw', 'batch', 'unit', 'container', 'vehicle', 'place'];
/** Colours with ≥ 4.5:1 contrast against white for their labels' text, distinct by shape too. */
const STYLE: Readonly<Record<GraphKind, { colour: string; symbol: string }>> = {
  raw: { colour: '#7c4a03', symbol: 'diamond' },
  batch: { colour: '#1d39c4', symbol: 'roundRect' },
  unit: { colour: '#531dab', symbol: 'circle' },
  container: { colour: '#006d75', symbol: 'rect' },
  vehicle: { colour: '#ad4e00', symbol: 'triangle' },
  place: { colour: '#237804', symbol: 'pin' },
};
/** Beyond this many nodes the graph shows the nearest ones (the tables below have them all). */
export const MAX_GRAPH_NODES = 400;

export interface GraphNode {
  readonly id: string;
  readonly kind: GraphKind;
  readonly label: string;
  readonly origin: boolean;
  readonly depth: number;
}

export interface TraceGraph {
  readonly nodes: GraphNode[];
  readonly edges: { source: string; target: string }[];
  readonly total: number;
}

/** Nodes and edges of the report, nearest first, at most MAX_GRAPH_NODES. */
export function traceGraph(report: TraceReport, lang: string): TraceGraph {
  const batchLots = new Set(report.batches.map((b) => b.lot));
  const rawLots = new Set(report.rawLots.map((r) => r.lot));
  const nodes = new Map<string, GraphNode>();
  const add = (n: GraphNode) => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
  };
  const sorted = [...report.nodes].filter((n) => n.kind !== 'transformation' && n.kind !== 'product').sort((a, b) => a.depth - b.depth);
  for (const n of sorted) {
    const kind: GraphKind =
      n.kind === 'unit' ? 'unit' : n.kind === 'container' ? 'container' : rawLots.has(n.id) || (n.direction === 'upstream' && !batchLots.has(n.id)) ? 'raw' : 'batch';
    const name = productLabel(n.productName, lang);
    add({ id: n.id, kind, label: name && kind !== 'container' ? `${shortId(n.id)}\n${name}` : shortId(n.id), origin: n.direction === 'origin', depth: n.depth });
  }
  const edges = new Map<string, { source: string; target: string }>();
  const edge = (a: string, b: string) => {
    if (a !== b) edges.set(`${a}→${b}`, { source: a, target: b });
  };
  for (const n of report.nodes) {
    // The path runs from the query's node to this one; drop production steps (tx:) and orient by flow.
    const steps = n.path.map((s) => s.node).filter((id) => !id.startsWith('tx:'));
    for (let i = 1; i < steps.length; i++) {
      const a = steps[i - 1] as string;
      const b = steps[i] as string;
      if (n.direction === 'upstream') edge(b, a);
      else edge(a, b);
    }
  }
  let depth = Math.max(0, ...[...nodes.values()].map((n) => n.depth)) + 1;
  for (const s of report.shipments) {
    if (!s.vehicle && !s.to) continue;
    const vehicle = s.vehicle ?? `${s.eventId}#vehicle`;
    add({ id: vehicle, kind: 'vehicle', label: s.vehicle ? shortId(s.vehicle) : '?', origin: false, depth });
    for (const item of s.items) if (nodes.has(item)) edge(item, vehicle);
    if (s.to) {
      add({ id: s.to.id, kind: 'place', label: localName(s.to.name, lang) ?? shortId(s.to.id), origin: false, depth: depth + 1 });
      edge(vehicle, s.to.id);
    }
  }
  depth += 2;
  for (const l of report.locations) add({ id: l.place.id, kind: 'place', label: localName(l.place.name, lang) ?? shortId(l.place.id), origin: false, depth });
  const all = [...nodes.values()];
  const kept = all.slice(0, MAX_GRAPH_NODES);
  const keep = new Set(kept.map((n) => n.id));
  return { nodes: kept, edges: [...edges.values()].filter((e) => keep.has(e.source) && keep.has(e.target)), total: all.length };
}

/** The ECharts option: one column per layer present, nodes spread evenly down their column. */
export function graphOption(graph: TraceGraph, focus: string | null, names: Readonly<Record<GraphKind, string>>): ChartOption {
  const present = LAYERS.filter((k) => graph.nodes.some((n) => n.kind === k));
  const columns = new Map(present.map((k, i) => [k, i]));
  const counts = new Map<GraphKind, number>();
  const tallest = Math.max(1, ...present.map((k) => graph.nodes.filter((n) => n.kind === k).length));
  const data = graph.nodes.map((n) => {
    const i = counts.get(n.kind) ?? 0;
    counts.set(n.kind, i + 1);
    const inColumn = graph.nodes.filter((m) => m.kind === n.kind).length;
    const style = STYLE[n.kind];
    const big = n.origin || n.id === focus;
    return {
      id: n.id,
      name: n.id,
      value: names[n.kind],
      x: (columns.get(n.kind) ?? 0) * 300,
      // Centre each column on the tallest one.
      y: ((i + 0.5) * tallest) / inColumn * 40,
      symbol: style.symbol,
      symbolSize: big ? 26 : n.kind === 'container' && inColumn > 60 ? 7 : 13,
      itemStyle: { color: style.colour, borderColor: n.id === focus ? '#000' : '#fff', borderWidth: n.id === focus ? 3 : 1 },
      label: { show: big || inColumn <= 40, formatter: n.label, position: 'right', color: '#1f1f1f', fontSize: big ? 13 : 11, fontWeight: big ? 'bold' : 'normal', width: 210, overflow: 'truncate' },
      category: present.indexOf(n.kind),
    };
  });
  return {
    animation: false,
    tooltip: { formatter: (p: { data?: { id?: string; value?: string } }) => `${p.data?.value ?? ''}<br/>${escapeHtml(p.data?.id ?? '')}` },
    legend: { data: present.map((k) => names[k]), top: 0, selectedMode: false },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: true,
        scaleLimit: { min: 0.2, max: 8 },
        top: 40,
        bottom: 10,
        left: 20,
        right: 220,
        categories: present.map((k) => ({ name: names[k], itemStyle: { color: STYLE[k].colour }, symbol: STYLE[k].symbol })),
        data,
        links: graph.edges,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 6,
        lineStyle: { color: '#8c8c8c', opacity: 0.6, width: 1, curveness: 0.05 },
        emphasis: { focus: 'adjacency', lineStyle: { width: 2 } },
      },
    ],
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
