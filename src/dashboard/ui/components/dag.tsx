/**
 * The PipelineRun's graph: pipeline tasks laid out by dagre (edges = runAfter and result references), finally
 * tasks after a junction that follows every last task, each node coloured and worded by its state, with matrix
 * fan-out (×N), retries and skips. Nodes are buttons (Tab, Enter) that select the task.
 */
import { graphlib, layout } from '@dagrejs/dagre';
import { useMemo } from 'preact/hooks';
import type { GraphNode } from '../../model/types.js';
import { icon, took } from '../format.js';

const W = 196;
const H = 50;
const JUNCTION = '\u0000finally';

interface Placed {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number }>;
  edges: Array<{ from: string; to: string; d: string }>;
}

/** Lays the graph out (pure; depends only on names and edges, not on states). */
export function layoutGraph(nodes: readonly GraphNode[], dir: 'LR' | 'TB'): Placed {
  const g = new graphlib.Graph();
  g.setGraph({ rankdir: dir, nodesep: 18, ranksep: 48, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const names = new Set(nodes.map((n) => n.name));
  const main = nodes.filter((n) => !n.finally);
  const fin = nodes.filter((n) => n.finally);
  for (const n of nodes) g.setNode(n.name, { width: W, height: H });
  for (const n of main) for (const d of n.deps) if (names.has(d)) g.setEdge(d, n.name);
  if (fin.length > 0) {
    g.setNode(JUNCTION, { width: 14, height: 14 });
    const hasChild = new Set(main.flatMap((n) => n.deps));
    for (const n of main) if (!hasChild.has(n.name)) g.setEdge(n.name, JUNCTION);
    for (const f of fin) g.setEdge(JUNCTION, f.name);
  }
  layout(g);
  const placed: Placed = { width: 0, height: 0, nodes: new Map(), edges: [] };
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number };
    placed.nodes.set(id, { x: n.x, y: n.y });
  }
  for (const e of g.edges()) {
    const pts = (g.edge(e) as { points?: Array<{ x: number; y: number }> }).points ?? [];
    placed.edges.push({ from: e.v, to: e.w, d: pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ') });
  }
  const label = g.graph() as { width?: number; height?: number };
  placed.width = label.width ?? 0;
  placed.height = label.height ?? 0;
  return placed;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The second line of a node: what is most worth knowing at a glance. */
function detail(n: GraphNode, now: number): string {
  if (n.state === 'skipped') return `skipped: ${n.skipped?.reason ?? ''}`;
  const bits: string[] = [];
  if (n.matrix) bits.push(`×${n.runs.length} matrix`);
  if (n.retries > 0) bits.push(`${n.retries} ${n.retries === 1 ? 'retry' : 'retries'}`);
  const starts = n.runs.map((r) => r.start).filter((s): s is string => Boolean(s)).sort();
  const ends = n.runs.map((r) => r.end).filter((s): s is string => Boolean(s)).sort();
  const open = n.runs.some((r) => !r.end);
  if (starts[0]) bits.push(took(starts[0], open ? undefined : ends[ends.length - 1], now));
  else if (n.state === 'waiting') bits.push('not started');
  if (n.finally) bits.unshift('finally');
  return bits.join(' · ');
}

export function Dag({ nodes, selected, onSelect, now, narrow }: { nodes: GraphNode[]; selected?: string | undefined; onSelect: (name: string) => void; now: number; narrow: boolean }) {
  const shape = nodes.map((n) => `${n.name}<${n.deps.join(',')}${n.finally ? '!' : ''}`).join(';');
  const dir = narrow && nodes.length > 1 ? 'TB' : 'LR';
  const placed = useMemo(() => layoutGraph(nodes, dir), [shape, dir]);
  const junction = placed.nodes.get(JUNCTION);
  return (
    <div class="dag-wrap">
      <svg class="dag" role="group" aria-label="Pipeline graph: tasks and their order" viewBox={`0 0 ${placed.width} ${placed.height}`}
        style={{ width: '100%', maxWidth: `${placed.width}px`, minWidth: `${Math.round(placed.width * (narrow ? 0.5 : 0.65))}px` }}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="arrow" />
          </marker>
        </defs>
        {placed.edges.map((e) => <path key={`${e.from}>${e.to}`} d={e.d} class={`edge ${e.to === JUNCTION || e.from === JUNCTION ? 'edge-finally' : ''}`} marker-end={e.to === JUNCTION ? undefined : 'url(#arrow)'} />)}
        {junction ? (
          <g transform={`translate(${junction.x},${junction.y})`} class="junction">
            <circle r="6" />
            <text y="-10" text-anchor="middle">finally</text>
          </g>
        ) : null}
        {nodes.map((n) => {
          const p = placed.nodes.get(n.name);
          if (!p) return null;
          const label = `${n.displayName ?? n.name}: ${n.state}${n.reason ? ` (${n.reason})` : ''}${n.skipped ? `, skipped: ${n.skipped.reason}` : ''}`;
          const select = (): void => onSelect(n.name);
          return (
            <g key={n.name} class={`node state-${n.state} ${n.finally ? 'finally' : ''} ${selected === n.name ? 'selected' : ''}`} data-task={n.name}
              transform={`translate(${p.x - W / 2},${p.y - H / 2})`} role="button" tabindex="0" aria-label={label} aria-pressed={selected === n.name}
              onClick={select} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(); } }}>
              <title>{label}</title>
              <rect width={W} height={H} rx="7" />
              <rect width="6" height={H} rx="3" class="bar" />
              <text x="16" y="20" class="node-name"><tspan class="node-icon">{icon(n.state)}</tspan> {clip(n.displayName ?? n.name, 22)}</text>
              <text x="16" y="38" class="node-detail">{clip(detail(n, now), 30)}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
