/**
 * The one line an editor shows at the end of a query: the node where the time goes, the rows it
 * handled and the whole statement's time — "Seq Scan on posts · 98,543 rows · 2,847 ms".
 */
import { allNodes, nodeLabel, rowsHandled, selfCost, selfMs, type NormalisedPlan, type PlanNode } from './plan-tree';

export function planSummary(plan: NormalisedPlan): string {
  const hot = hottestNode(plan);
  const rows = rowsHandled(hot);
  const rowText = `${formatCount(rows)} ${rows === 1 ? 'row' : 'rows'}${plan.analyzed ? '' : ' (estimated)'}`;
  const cost = plan.analyzed && plan.executionMs !== undefined ? formatMs(plan.executionMs) : `cost ${formatCount(plan.root.cost.total)}`;
  return `${nodeLabel(hot)} · ${rowText} · ${cost}`;
}

/** Where the time goes: the most self time (ANALYZE) or the biggest own cost (estimate only). */
export function hottestNode(plan: NormalisedPlan): PlanNode {
  let best = plan.root;
  let bestScore = -1;
  for (const n of allNodes(plan.root)) {
    const score = plan.analyzed ? selfMs(n) ?? 0 : selfCost(n);
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
