/**
 * EXPLAIN as the editor and the CLI show it: parameters filled, the plan normalised, a one-line
 * summary and warnings. EXPLAIN ANALYZE runs the statement inside a transaction that is rolled back.
 */
import type { Connector, RawPlan } from './connector';
import { planSummary } from './plan-summary';
import { normalisePlan, type NormalisedPlan } from './plan-tree';
import { planWarnings, type PlanWarning } from './plan-warnings';
import { fillParameters } from './query-parameters';

export interface ExplainRequest {
  analyze?: boolean;
  /** Values for `$1 … $n`; when absent they are sampled from the data or defaulted by type. */
  params?: unknown[];
  allowWrites?: boolean;
  timeoutMs?: number;
  /** PerfLens's own statements before the EXPLAIN, in the same rolled-back transaction (an index to try). */
  setup?: string[];
}

export interface ExplainResult {
  sql: string;
  database: string;
  params: unknown[];
  /** Where each parameter's value came from (`given`, `sampled from posts.author_id`, `default integer`). */
  paramSources: string[];
  plan: NormalisedPlan;
  summary: string;
  warnings: PlanWarning[];
  raw: RawPlan;
}

export async function explainQuery(connector: Connector, sql: string, request: ExplainRequest = {}): Promise<ExplainResult> {
  const filled = request.params ? { values: request.params, sources: request.params.map(() => 'given') } : await fillParameters(connector, sql, request.timeoutMs);
  const raw = await connector.explain(sql, { analyze: request.analyze, params: filled.values, allowWrites: request.allowWrites, timeoutMs: request.timeoutMs, setup: request.setup });
  const plan = normalisePlan(raw);
  const tableRows = await relationSizes(connector, plan, request.timeoutMs);
  return {
    sql,
    database: connector.description,
    params: filled.values,
    paramSources: filled.sources,
    plan,
    summary: planSummary(plan),
    warnings: planWarnings(plan, { tableRows }),
    raw,
  };
}

/** Rows per table from the statistics (reltuples; -1 before the first ANALYZE is left out). */
async function relationSizes(connector: Connector, plan: NormalisedPlan, timeoutMs?: number): Promise<Map<string, number>> {
  const names = new Set<string>();
  const visit = (n: NormalisedPlan['root']): void => {
    if (n.relation && (n.nodeType.endsWith('Scan') || connector.relationRows)) names.add(n.relation);
    n.children.forEach(visit);
  };
  visit(plan.root);
  const sizes = new Map<string, number>();
  if (names.size === 0) return sizes;
  if (connector.relationRows) return connector.relationRows([...names], { timeoutMs });
  const result = await connector.run("SELECT relname, reltuples::float8 AS rows FROM pg_class WHERE relkind IN ('r', 'p', 'm') AND relname = ANY($1::text[])", {
    params: [[...names]],
    timeoutMs,
  });
  for (const row of result.rows) if (Number(row.rows) >= 0) sizes.set(String(row.relname), Math.max(sizes.get(String(row.relname)) ?? 0, Number(row.rows)));
  return sizes;
}
