/**
 * MySQL's and MariaDB's `EXPLAIN FORMAT=JSON` (and MariaDB's `ANALYZE FORMAT=JSON`) → the plan shape
 * every database's plan takes here (the keys of PostgreSQL's JSON plan, which `normalisePlan`
 * reads). Both servers nest a `query_block` around tables (`table`, or `nested_loop: [{ table }]`)
 * wrapped in what happens to their rows: MySQL writes `ordering_operation` / `grouping_operation`
 * with `using_filesort` / `using_temporary_table` flags, MariaDB `filesort` and `temporary_table`
 * nodes. Each table gets a label from its access type (`ALL` → `Full scan on posts`, `range` →
 * `Index range scan using idx on posts`); a sort that is a filesort or rows that go through a
 * temporary table get a node whose type says so (`Sort (Using filesort)`), which the warnings read.
 *
 * Estimates: `rows_examined_per_scan` (MySQL) or `rows` (MariaDB) per scan, MySQL's cost as the
 * node's own `read_cost + eval_cost`. MariaDB's ANALYZE adds `r_loops`, `r_rows` (per loop, as
 * PostgreSQL counts) and times in ms over all loops, turned into per-loop times here.
 */
import type { RawPlan } from './connector';

type Json = Record<string, unknown>;
type Node = Json & { 'Node Type': string; Plans: Node[] };

export interface MysqlPlanContext {
  /** Alias → table, from the statement: both servers print a table's alias as its name. */
  aliases?: ReadonlyMap<string, string>;
}

/** `ALL`, `ref`… → the words of the label, and whether an index is named after them. */
const ACCESS: Record<string, string> = {
  ALL: 'Full scan',
  index: 'Full index scan',
  range: 'Index range scan',
  ref: 'Index lookup',
  ref_or_null: 'Index lookup (or NULL)',
  eq_ref: 'Unique index lookup',
  const: 'Constant row lookup',
  system: 'Constant row lookup',
  fulltext: 'Full-text index search',
  index_merge: 'Index merge',
  unique_subquery: 'Unique subquery lookup',
  index_subquery: 'Subquery index lookup',
  hash: 'Hash join',
};

/** Parses the single cell EXPLAIN FORMAT=JSON returns and converts it. */
export function mysqlJsonPlan(json: string | Json, ctx: MysqlPlanContext = {}): RawPlan {
  const root = typeof json === 'string' ? (JSON.parse(json) as Json) : json;
  const block = root.query_block as Json | undefined;
  if (!block) throw new Error('EXPLAIN returned no query_block');
  const plan = queryBlock(block, ctx);
  const raw: RawPlan = { Plan: plan };
  const total = num(block.r_total_time_ms);
  if (total !== undefined) raw['Execution Time'] = total;
  const optimization = num((root.query_optimization as Json | undefined)?.r_total_time_ms);
  if (optimization !== undefined) raw['Planning Time'] = optimization;
  return raw;
}

function queryBlock(block: Json, ctx: MysqlPlanContext): Node {
  const inner = operation(block, ctx);
  const children = inner ? [inner] : [];
  // Subqueries hang off the block (MySQL: optimized_away_subqueries, MariaDB: subqueries).
  for (const key of ['subqueries', 'optimized_away_subqueries', 'attached_subqueries']) {
    for (const sub of arr(block[key])) if (obj(sub)?.query_block) children.push(queryBlock(obj(sub)!.query_block as Json, ctx));
  }
  const message = str(block.message) ?? str((block.table as Json | undefined)?.message);
  if (children.length === 1 && !message) {
    const only = children[0];
    copyCost(block, only);
    copyActual(block, only);
    return only;
  }
  const node = make(message ?? `Query block #${num(block.select_id) ?? 1}`);
  node.Plans = children;
  copyCost(block, node);
  copyActual(block, node);
  sumCost(node);
  return node;
}

/** What the block does with its rows, outermost first, down to the tables. */
function operation(o: Json, ctx: MysqlPlanContext): Node | undefined {
  // MySQL: ordering_operation / grouping_operation / duplicates_removal / windowing wrap the rest.
  for (const [key, what] of [
    ['ordering_operation', 'Sort'],
    ['grouping_operation', 'Group'],
    ['duplicates_removal', 'Duplicate removal'],
    ['windowing', 'Window'],
  ] as const) {
    const inner = obj(o[key]);
    if (!inner) continue;
    const below = operation(inner, ctx);
    const flags = [inner.using_temporary_table === true ? 'Using temporary' : '', inner.using_filesort === true ? 'Using filesort' : ''].filter(Boolean);
    if (!flags.length) return below;
    const node = make(`${what} (${flags.join('; ')})`);
    if (below) node.Plans.push(below);
    node['Plan Rows'] = below ? producedRows(below) : 0;
    copyCost(inner, node);
    sumCost(node);
    return node;
  }
  // MariaDB: filesort / temporary_table / read_sorted_file / window_functions_computation nodes.
  const read = obj(o.read_sorted_file);
  if (read) return operation(read, ctx);
  const filesort = obj(o.filesort);
  if (filesort) {
    const node = make('Sort (Using filesort)');
    const below = operation(filesort, ctx);
    if (below) node.Plans.push(below);
    const key = str(filesort.sort_key);
    if (key) node['Sort Key'] = [key];
    const limit = num(filesort.r_limit);
    const input = below ? producedRows(below) : 0;
    node['Plan Rows'] = input;
    // With a LIMIT the sort keeps only the first rows (a priority queue): its output is not what it sorted.
    actual(filesort, node, limit === undefined ? num(filesort.r_output_rows) : undefined);
    sumCost(node);
    return node;
  }
  const temporary = obj(o.temporary_table);
  if (temporary) {
    const below = operation(temporary, ctx);
    const node = make('Temporary table (Using temporary)');
    if (below) node.Plans.push(below);
    node['Plan Rows'] = below ? producedRows(below) : 0;
    sumCost(node);
    return node;
  }
  const window = obj(o.window_functions_computation);
  if (window) return operation(window, ctx);
  if (obj(o.union_result)) return union(obj(o.union_result)!, ctx);
  if (obj(o.table)) return table(obj(o.table)!, ctx);
  const loop = arr(o.nested_loop);
  if (loop.length) {
    const tables = loop.map((step) => step && typeof step === 'object' ? stepNode(step as Json, ctx) : undefined).filter((n): n is Node => !!n);
    if (tables.length === 1) return tables[0];
    const node = make('Nested loop join');
    node.Plans = tables;
    node['Plan Rows'] = joinRows(loop);
    sumCost(node);
    return node;
  }
  return undefined;
}

/**
 * Rows a nested loop produces: MySQL's `rows_produced_per_join` of the last table already counts
 * the whole join; MariaDB gives each table's rows per scan and the share its condition keeps.
 */
function joinRows(loop: unknown[]): number {
  const tables = loop.map((s) => obj(obj(s)?.table) ?? obj(obj(obj(s)?.['block-nl-join'])?.table)).filter((t): t is Json => !!t);
  const last = tables[tables.length - 1];
  const produced = last && num(last.rows_produced_per_join);
  if (produced !== undefined) return produced;
  return Math.round(tables.reduce((rows, t) => rows * (num(t.rows) ?? 1) * ((num(t.filtered) ?? 100) / 100), 1));
}

/** One step of a nested loop: a table, or a MariaDB `block-nl-join` around one. */
function stepNode(step: Json, ctx: MysqlPlanContext): Node | undefined {
  const bnl = obj(step['block-nl-join']);
  if (bnl && obj(bnl.table)) {
    const node = table(obj(bnl.table)!, ctx);
    const condition = str(bnl.attached_condition);
    if (condition) node.Filter = node.Filter ? `${node.Filter} AND ${condition}` : condition;
    node.Label = `${node.Label} (join buffer)`;
    node['Node Type'] = node.Label as string;
    return node;
  }
  return operation(step, ctx);
}

function union(u: Json, ctx: MysqlPlanContext): Node {
  const node = make(str(u.table_name) ? `Union ${str(u.table_name)}` : 'Union');
  const specs = arr(u.query_specifications);
  for (const spec of specs) {
    const block = obj(obj(spec)?.query_block);
    if (block) node.Plans.push(queryBlock(block, ctx));
  }
  actual(u, node, num(u.r_rows));
  sumCost(node);
  return node;
}

function table(t: Json, ctx: MysqlPlanContext): Node {
  const printed = str(t.table_name) ?? '?';
  const relation = ctx.aliases?.get(printed) ?? (/^<.*>$/.test(printed) ? undefined : printed);
  const access = str(t.access_type) ?? 'ALL';
  const key = str(t.key);
  const words = ACCESS[access] ?? access;
  const shown = relation ?? printed;
  const coveringNote = t.using_index === true && access !== 'index' ? ' (covering)' : '';
  const label = `${words}${key && access !== 'ALL' ? ` using ${key}` : ''} on ${shown}${coveringNote}`;
  const node = make(label);
  if (relation) node['Relation Name'] = relation;
  if (relation && printed !== relation) node.Alias = printed;
  if (key) node['Index Name'] = key;
  const ref = arr(t.ref).map(String);
  const parts = arr(t.used_key_parts).map(String);
  if (parts.length && ref.length === parts.length) node['Index Cond'] = parts.map((p, i) => `${p} = ${ref[i]}`).join(' AND ');
  else if (str(t.index_condition)) node['Index Cond'] = str(t.index_condition);
  const filter = str(t.attached_condition);
  if (filter) node.Filter = filter;
  // As in PostgreSQL, a scan's rows are those its condition keeps (per scan); the rows it reads
  // beyond those are "removed by filter".
  const rows = num(t.rows_examined_per_scan) ?? num(t.rows) ?? 0;
  node['Plan Rows'] = Math.round(rows * ((num(t.filtered) ?? 100) / 100));
  node[PRODUCED] = num(t.rows_produced_per_join) ?? node['Plan Rows'];
  const cost = obj(t.cost_info);
  if (cost) {
    const own = (num(cost.read_cost) ?? 0) + (num(cost.eval_cost) ?? 0);
    node['Total Cost'] = own;
  } else node['Total Cost'] = rows;
  const total = num(t.r_total_time_ms) ?? sumDefined(num(t.r_table_time_ms), num(t.r_other_time_ms));
  const read = num(t.r_rows);
  const kept = read !== undefined ? read * ((num(t.r_filtered) ?? 100) / 100) : undefined;
  actual(t, node, kept, total);
  if (read !== undefined && kept !== undefined && read > kept) node['Rows Removed by Filter'] = read - kept;
  // A derived table (`FROM (SELECT …) AS x`) or a subquery in the condition: its own block below.
  const derived = obj(obj(t.materialized_from_subquery)?.query_block);
  if (derived) node.Plans.push(queryBlock(derived, ctx));
  for (const key of ['attached_subqueries', 'subqueries']) {
    for (const sub of arr(t[key])) {
      const block = obj(obj(sub)?.query_block);
      if (block) node.Plans.push(queryBlock(block, ctx));
    }
  }
  if (node.Plans.length) node['Total Cost'] = Number(node['Total Cost']) + node.Plans.reduce((s, c) => s + Number(c['Total Cost'] ?? 0), 0);
  return node;
}

/** MariaDB's ANALYZE numbers: r_rows per loop, times over all loops (made per loop, as PostgreSQL's). */
function actual(o: Json, node: Node, rows: number | undefined, totalMs = num(o.r_total_time_ms)): void {
  const loops = num(o.r_loops);
  if (loops === undefined) return;
  node['Actual Loops'] = loops;
  // A block or join says how long it took, not how many rows it gave: left unknown rather than 0.
  if (rows !== undefined) node['Actual Rows'] = rows;
  node['Actual Startup Time'] = 0;
  if (totalMs !== undefined) node['Actual Total Time'] = loops > 0 ? totalMs / loops : 0;
}

function copyActual(block: Json, node: Node): void {
  if (node['Actual Loops'] !== undefined || num(block.r_loops) === undefined) return;
  actual(block, node, undefined);
}

/** MySQL's `cost_info.query_cost` (or `sort_cost`) for the whole block, when more than its parts. */
function copyCost(o: Json, node: Node): void {
  const cost = obj(o.cost_info);
  const total = num(cost?.query_cost) ?? num(cost?.sort_cost);
  if (total !== undefined && total > Number(node['Total Cost'] ?? 0)) node['Total Cost'] = total;
}

function sumCost(node: Node): void {
  const children = node.Plans.reduce((s, c) => s + Number(c['Total Cost'] ?? 0), 0);
  if (children > Number(node['Total Cost'] ?? 0)) node['Total Cost'] = children;
}

/** Not one of PostgreSQL's keys (normalisePlan ignores it): rows a table passes on after its condition. */
const PRODUCED = 'Rows Produced';

function producedRows(n: Node): number {
  return Number(n[PRODUCED] ?? n['Plan Rows'] ?? 0);
}

function make(label: string): Node {
  return { 'Node Type': label, Label: label, 'Plan Rows': 0, 'Startup Cost': 0, 'Total Cost': 0, Plans: [] };
}

function sumDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** MySQL writes numbers in cost_info and `filtered` as strings ("10.00"). */
function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
