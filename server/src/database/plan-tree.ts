/**
 * PostgreSQL's `EXPLAIN (FORMAT JSON)` output → a small typed tree that the summary, the warnings,
 * the CLI and the editor's plan view read. Row counts and times stay per loop, as PostgreSQL
 * reports them; `loops` says how many times the node ran.
 */
import type { PlanBuffersData, PlanNodeData } from '../protocol';
import type { RawPlan } from './connector';

export type PlanBuffers = PlanBuffersData;
export type PlanNode = PlanNodeData;

export interface NormalisedPlan {
  root: PlanNode;
  analyzed: boolean;
  planningMs?: number;
  executionMs?: number;
}

export function normalisePlan(raw: RawPlan): NormalisedPlan {
  const root = node(raw.Plan);
  const executionMs = num(raw['Execution Time']);
  return { root, analyzed: root.loops !== undefined, planningMs: num(raw['Planning Time']), executionMs };
}

function node(p: Record<string, unknown>): PlanNode {
  const children = Array.isArray(p.Plans) ? (p.Plans as Array<Record<string, unknown>>).map(node) : [];
  const out: PlanNode = {
    nodeType: str(p['Node Type']) ?? 'Unknown',
    rowsEstimated: num(p['Plan Rows']) ?? 0,
    cost: { startup: num(p['Startup Cost']) ?? 0, total: num(p['Total Cost']) ?? 0 },
    children,
  };
  // Plans of other databases (SQLite) name their nodes in their own words; a PostgreSQL write is
  // named by its operation, as psql shows it (`Update on posts`, not `ModifyTable`).
  const operation = out.nodeType === 'ModifyTable' ? str(p.Operation) : undefined;
  setIf(out, 'label', str(p.Label) ?? (operation && str(p['Relation Name']) ? `${operation} on ${str(p['Relation Name'])}` : undefined));
  setIf(out, 'relation', str(p['Relation Name']) ?? str(p['CTE Name']) ?? str(p['Function Name']));
  setIf(out, 'alias', str(p.Alias));
  setIf(out, 'index', str(p['Index Name']));
  setIf(out, 'joinType', str(p['Join Type']));
  setIf(out, 'condition', str(p['Index Cond']) ?? str(p['Hash Cond']) ?? str(p['Merge Cond']) ?? str(p['Join Filter']) ?? str(p['Recheck Cond']));
  setIf(out, 'filter', str(p.Filter));
  setIf(out, 'rowsActual', num(p['Actual Rows']));
  setIf(out, 'loops', num(p['Actual Loops']));
  setIf(out, 'rowsRemovedByFilter', num(p['Rows Removed by Filter']));
  setIf(out, 'startupMs', num(p['Actual Startup Time']));
  setIf(out, 'totalMs', num(p['Actual Total Time']));
  setIf(out, 'hashBatches', num(p['Hash Batches']));
  if ('Shared Hit Blocks' in p) {
    out.buffers = {
      sharedHit: num(p['Shared Hit Blocks']) ?? 0,
      sharedRead: num(p['Shared Read Blocks']) ?? 0,
      sharedDirtied: num(p['Shared Dirtied Blocks']) ?? 0,
      sharedWritten: num(p['Shared Written Blocks']) ?? 0,
      tempRead: num(p['Temp Read Blocks']) ?? 0,
      tempWritten: num(p['Temp Written Blocks']) ?? 0,
    };
  }
  // A write's actual rows are the ones it returns; the ones it wrote are its input's (or, with ON
  // CONFLICT, the tuples PostgreSQL counts as inserted).
  const verbs: Record<string, NonNullable<PlanNode['written']>['verb']> = { Insert: 'inserted', Update: 'updated', Delete: 'deleted', Merge: 'merged' };
  const input = children.length === 1 ? children[0] : undefined;
  if (operation && verbs[operation] && out.rowsActual !== undefined && input?.rowsActual !== undefined) {
    out.written = { rows: num(p['Tuples Inserted']) ?? input.rowsActual * (input.loops ?? 1), verb: verbs[operation] };
    setIf(out.written, 'conflicts', num(p['Conflicting Tuples']));
  }
  // MySQL's sorts are named by their keys (`Sort: posts.created_at DESC`), and carry them.
  if (out.nodeType === 'Sort' || out.nodeType === 'Incremental Sort' || Array.isArray(p['Sort Key'])) {
    const keys = Array.isArray(p['Sort Key']) ? (p['Sort Key'] as unknown[]).map(String) : [];
    out.sort = { keys };
    setIf(out.sort, 'method', str(p['Sort Method']));
    setIf(out.sort, 'spaceKb', num(p['Sort Space Used']));
    setIf(out.sort, 'spaceType', str(p['Sort Space Type']));
  }
  return out;
}

/** `Seq Scan on posts`, `Index Scan using posts_pkey on posts`, `Hash Join`. */
export function nodeLabel(n: PlanNode): string {
  if (n.label) return n.label;
  let label = n.nodeType;
  if (n.index) label += ` using ${n.index}`;
  if (n.relation) label += ` on ${n.relation}`;
  return label;
}

/** Rows a node handled over all its loops: for scans, the rows read (kept + filtered out). */
export function rowsHandled(n: PlanNode): number {
  // A write's own rows are what it returns (none without RETURNING): the rows it wrote are its input's.
  const input = n.nodeType === 'ModifyTable' && n.children.length === 1 ? n.children[0] : undefined;
  if (input) return input.rowsActual === undefined ? input.rowsEstimated : input.rowsActual * (input.loops ?? 1);
  if (n.rowsActual === undefined) return n.rowsEstimated;
  return (n.rowsActual + (n.rowsRemovedByFilter ?? 0)) * (n.loops ?? 1);
}

/** Time spent in the node itself, children excluded (ANALYZE), over all loops. */
export function selfMs(n: PlanNode): number | undefined {
  if (n.totalMs === undefined) return undefined;
  const own = n.totalMs * (n.loops ?? 1);
  const children = n.children.reduce((sum, c) => sum + (c.totalMs ?? 0) * (c.loops ?? 1), 0);
  return Math.max(0, own - children);
}

/** The node's own share of the cost estimate, children excluded. */
export function selfCost(n: PlanNode): number {
  return Math.max(0, n.cost.total - n.children.reduce((sum, c) => sum + c.cost.total, 0));
}

export function* allNodes(root: PlanNode): Generator<PlanNode> {
  yield root;
  for (const c of root.children) yield* allNodes(c);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
