/**
 * What in a plan is worth a warning: a sequential scan of a big table, a sort or hash that spills
 * to disk, and a row estimate off by ten times or more (the planner chose on wrong numbers). In
 * SQLite's plans: a `SCAN` of a big table without an index, and a temporary b-tree that sorts or
 * groups rows read from a big table. In MySQL's and MariaDB's: a full table scan of a big table
 * (`Full scan on posts`, `Table scan on posts`), and a filesort or temporary table over many rows.
 */
import { formatCount } from './plan-summary';
import { allNodes, nodeLabel, type NormalisedPlan, type PlanNode } from './plan-tree';

export type PlanWarningKind = 'seq-scan' | 'sort-spill' | 'hash-spill' | 'misestimate' | 'temp-btree' | 'filesort' | 'temporary';

export interface PlanWarning {
  kind: PlanWarningKind;
  /** The node's label: `Seq Scan on posts`. */
  node: string;
  message: string;
}

export interface WarningOptions {
  /** Rows per table (from pg_class.reltuples), to judge scans without ANALYZE. */
  tableRows?: ReadonlyMap<string, number>;
  /** A sequential scan of a table this big or bigger is reported. */
  bigTableRows?: number;
  /** A row estimate off by this factor or more is reported. */
  misestimateFactor?: number;
}

/** Tiny row counts are noise for estimates: 1 estimated vs 12 actual changes no plan. */
const MISESTIMATE_MIN_ROWS = 100;

export function planWarnings(plan: NormalisedPlan, options: WarningOptions = {}): PlanWarning[] {
  const bigTable = options.bigTableRows ?? 10_000;
  const factor = options.misestimateFactor ?? 10;
  const out: PlanWarning[] = [];
  // Below a Limit the executor stops as soon as it has enough rows: fewer rows than estimated is the plan working.
  const stoppedEarly = new Set<PlanNode>();
  const markLimited = (n: PlanNode, limited: boolean): void => {
    if (limited) stoppedEarly.add(n);
    n.children.forEach((c) => markLimited(c, limited || n.nodeType === 'Limit' || n.nodeType.startsWith('Limit: ')));
  };
  markLimited(plan.root, false);
  // The biggest table a plan reads: what a SQLite temporary b-tree may have to hold.
  let biggest = 0;
  for (const n of allNodes(plan.root)) if (n.relation) biggest = Math.max(biggest, tableRows(n, options.tableRows));
  for (const n of allNodes(plan.root)) {
    const label = nodeLabel(n);
    if (/^SCAN \S+$/.test(n.nodeType) && n.relation) {
      const rows = tableRows(n, options.tableRows);
      if (rows >= bigTable) {
        out.push({ kind: 'seq-scan', node: label, message: `${label} reads all ~${formatCount(rows)} rows of the table: an index on the filtered or joined column would let SQLite SEARCH it instead.` });
      }
    }
    if (/^(Full scan|Table scan) on /.test(n.nodeType) && n.relation) {
      const rows = tableRows(n, options.tableRows);
      if (rows >= bigTable) {
        const why = n.filter ? ` to keep the rows matching ${n.filter}; an index on the filtered column would read only those` : '';
        out.push({ kind: 'seq-scan', node: label, message: `${label} reads all ~${formatCount(rows)} rows of the table${why}.` });
      }
    }
    // MySQL's `Sort (Using filesort)` (EXPLAIN JSON) and `Sort: …` (EXPLAIN ANALYZE's tree).
    if ((/Using filesort/.test(n.nodeType) || /^Sort(?: with duplicate removal)?: /.test(n.nodeType)) && inputRows(n, biggest) >= bigTable) {
      out.push({ kind: 'filesort', node: label, message: `${label}: MySQL sorts ~${formatCount(inputRows(n, biggest))} rows (Using filesort); an index in the ORDER BY order lets it read them in order (and stop at a LIMIT).` });
    }
    if ((/Using temporary/.test(n.nodeType) || /\btemporary table\b/i.test(n.nodeType)) && inputRows(n, biggest) >= bigTable) {
      out.push({ kind: 'temporary', node: label, message: `${label}: MySQL puts ~${formatCount(inputRows(n, biggest))} rows in a temporary table (Using temporary) to group, deduplicate or sort them; an index on the GROUP BY or DISTINCT columns avoids it.` });
    }
    if (n.nodeType.startsWith('USE TEMP B-TREE') && biggest >= bigTable) {
      const what = /FOR (.*)$/.exec(n.nodeType)?.[1] ?? 'sorting';
      out.push({ kind: 'temp-btree', node: label, message: `${label}: SQLite collects the rows in a temporary b-tree for ${what}, reading a table of ~${formatCount(biggest)} rows; an index in that order lets it read them in order (and stop at a LIMIT).` });
    }
    if (n.nodeType.endsWith('Seq Scan') && n.relation) {
      const rows = tableRows(n, options.tableRows);
      if (rows >= bigTable) {
        const why = n.filter ? ` to keep the rows matching ${n.filter}; an index on the filtered column would read only those` : '';
        out.push({ kind: 'seq-scan', node: label, message: `${label} reads all ~${formatCount(rows)} rows of the table${why}.` });
      }
    }
    if (n.sort && (n.sort.spaceType === 'Disk' || /external/i.test(n.sort.method ?? ''))) {
      const size = n.sort.spaceKb !== undefined ? `, ${formatCount(n.sort.spaceKb)} kB` : '';
      out.push({ kind: 'sort-spill', node: label, message: `${label} spills to disk (${n.sort.method ?? 'external sort'}${size}): an index in the sort order, a smaller result or more work_mem keeps it in memory.` });
    }
    if (n.hashBatches !== undefined && n.hashBatches > 1) {
      out.push({ kind: 'hash-spill', node: label, message: `${label} spills to disk in ${n.hashBatches} batches: the hashed side is bigger than work_mem.` });
    }
    const off = misestimate(n);
    if (off && off.ratio >= factor && Math.max(off.estimated, off.actual) >= MISESTIMATE_MIN_ROWS && !(stoppedEarly.has(n) && off.actual < off.estimated)) {
      out.push({
        kind: 'misestimate',
        node: label,
        message: `${label}: estimated ${formatCount(off.estimated)} rows, got ${formatCount(off.actual)} (×${formatCount(off.ratio)} off): stale statistics (run ANALYZE) or correlated columns can make the planner choose badly.`,
      });
    }
  }
  return out;
}

/** Rows going into a sort or temporary table: the node's own count or what its children produce, else the biggest table read. */
function inputRows(n: PlanNode, biggest: number): number {
  const rows = (x: PlanNode): number => (x.rowsActual !== undefined ? x.rowsActual * Math.max(1, x.loops ?? 1) : x.rowsEstimated);
  if (n.children.length === 0) return Math.max(rows(n), biggest);
  return Math.max(rows(n), ...n.children.map(rows));
}

function tableRows(n: PlanNode, known: ReadonlyMap<string, number> | undefined): number {
  const fromCatalog = n.relation ? known?.get(n.relation) : undefined;
  if (n.rowsActual !== undefined) return Math.max(fromCatalog ?? 0, n.rowsActual + (n.rowsRemovedByFilter ?? 0));
  return fromCatalog ?? n.rowsEstimated;
}

function misestimate(n: PlanNode): { estimated: number; actual: number; ratio: number } | undefined {
  // A node that never ran (loops 0) has no actual rows to compare.
  if (n.rowsActual === undefined || !n.loops) return undefined;
  const estimated = n.rowsEstimated;
  const actual = n.rowsActual;
  const ratio = Math.max(estimated, actual) / Math.max(1, Math.min(estimated, actual));
  return { estimated, actual, ratio };
}
