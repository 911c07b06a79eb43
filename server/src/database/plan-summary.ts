/**
 * The one line an editor shows at the end of a query: the node where the time goes, the rows it
 * handled and the whole statement's time — "Seq Scan on posts · 98,543 rows · 2,847 ms", "Sort over
 * Index Scan on posts · 20 rows · 1.20 ms".
 */
import { allNodes, nodeLabel, rowsHandled, selfCost, selfMs, type NormalisedPlan, type PlanNode } from './plan-tree';

export function planSummary(plan: NormalisedPlan): string {
  const hot = hottestNode(plan);
  const rows = rowsHandled(hot);
  const rowText = `${formatCount(rows)} ${rows === 1 ? 'row' : 'rows'}${plan.analyzed ? '' : ' (estimated)'}`;
  const cost = plan.analyzed && plan.executionMs !== undefined ? formatMs(plan.executionMs) : `cost ${formatCount(plan.root.cost.total)}`;
  return `${hotLabel(hot)} · ${rowText} · ${cost}`;
}

/**
 * The hot node's label; a node that names no table (a Sort, an Aggregate) over one input also names
 * the scan that feeds it, so that the line says which table the query reads: "Sort over Bitmap Heap
 * Scan on tweet".
 */
function hotLabel(hot: PlanNode): string {
  const label = nodeLabel(hot);
  if (hot.relation || hot.index || hot.label) return label;
  let n = hot;
  while (n.children.length === 1 && !n.relation && !n.index) n = n.children[0];
  return n !== hot && (n.relation || n.index) ? `${label} over ${nodeLabel(n)}` : label;
}

/**
 * Nodes that pass their child's rows on: their own time is bookkeeping (or, in a WASM build's coarse
 * clock, noise) and "Limit · 20 rows" says nothing about where the work is.
 */
const PASS_THROUGH = new Set(['Limit', 'Result', 'Gather', 'Gather Merge']);

/**
 * Where the time goes: the most self time (ANALYZE) or the biggest own cost (estimate only), among
 * the nodes that do work; a pass-through node only when it has no child.
 */
export function hottestNode(plan: NormalisedPlan): PlanNode {
  let best = plan.root;
  let bestScore = -Infinity;
  for (const n of allNodes(plan.root)) {
    const own = plan.analyzed ? selfMs(n) ?? 0 : selfCost(n);
    const score = PASS_THROUGH.has(n.nodeType) && n.children.length > 0 ? -1 : own;
    if (score > bestScore) {
      best = n;
      bestScore = score;
    }
  }
  return best;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `2,847 ms`, `48.2 ms`, `0.41 ms`: three significant figures at most below 100 ms. */
export function formatMs(ms: number): string {
  if (ms >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}
