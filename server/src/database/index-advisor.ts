/**
 * "Suggest index": reads a plan for the scans an index would replace, proposes the index (equality
 * columns first, then the sort keys or a range column), and tries it — on the embedded copy as a
 * real index inside the EXPLAIN's rolled-back transaction, on a real PostgreSQL as a HypoPG
 * hypothetical index (never a real CREATE INDEX there: it would lock the table). The result holds
 * the plan before and after, so the user sees what the index buys before writing a migration.
 */
import type { Connector } from './connector';
import { explainQuery, type ExplainResult } from './explain';
import type { NormalisedPlan, PlanNode } from './plan-tree';

export interface IndexColumn {
  name: string;
  descending?: boolean;
}

export interface IndexCandidate {
  table: string;
  columns: IndexColumn[];
  /** `CREATE INDEX posts_author_id_created_at_idx ON posts (author_id, created_at DESC);` */
  ddl: string;
  /** Why: `Seq Scan on posts filters on author_id and sorts on created_at`. */
  reason: string;
}

export interface TriedIndex extends IndexCandidate {
  /** The plan with the index; absent when it could not be tried (no HypoPG). */
  after?: ExplainResult;
  /** The planner chose the index. */
  used: boolean;
  /** Before ÷ after: execution time with ANALYZE, estimated cost otherwise (HypoPG). */
  speedup?: number;
  basis: 'time' | 'cost';
}

export interface IndexAdvice {
  before: ExplainResult;
  tried: TriedIndex[];
  /** How the indexes were tried, or why they could not be. */
  method: 'embedded' | 'hypopg' | 'none';
  notes: string[];
}

export interface AdviceRequest {
  params?: unknown[];
  timeoutMs?: number;
}

/** At most this many indexes are tried per query. */
const MAX_CANDIDATES = 3;

export async function suggestIndexes(connector: Connector, sql: string, request: AdviceRequest = {}): Promise<IndexAdvice> {
  // MySQL commits CREATE INDEX at once and has no hypothetical indexes: nothing could be tried safely.
  if (connector.kind === 'mysql') throw new Error(`Suggest Index needs PostgreSQL (the embedded database, or one with HypoPG): ${connector.description} would build a real index, which PerfLens never does.`);
  const embedded = connector.kind === 'pglite';
  const hypopg = embedded ? undefined : await hypopgSchema(connector, request.timeoutMs);
  const before = await explainQuery(connector, sql, { analyze: embedded || !hypopg, params: request.params, timeoutMs: request.timeoutMs });
  const columns = await tableColumns(connector, tablesOf(before.plan), request.timeoutMs);
  const candidates = indexCandidates(before.plan, columns).slice(0, MAX_CANDIDATES);
  const notes: string[] = [];
  if (candidates.length === 0) notes.push('No sequential scan or sort in this plan that an index would replace.');
  if (!embedded && !hypopg) {
    notes.push('This PostgreSQL has no HypoPG extension, so the indexes were not tried (PerfLens never builds a real index on your database). Install it (`postgresql-15-hypopg` on Debian) and run `CREATE EXTENSION hypopg`, or use the embedded database.');
    return { before, tried: candidates.map((c) => ({ ...c, used: false, basis: 'cost' })), method: 'none', notes };
  }
  const tried: TriedIndex[] = [];
  for (const candidate of candidates) {
    const setup = embedded ? [candidate.ddl, `ANALYZE ${quoteIdent(candidate.table)}`] : [`SELECT ${quoteIdent(hypopg!)}.hypopg_create_index(${quoteLiteral(candidate.ddl)})`];
    const after = await explainQuery(connector, sql, { analyze: embedded, params: before.params, timeoutMs: request.timeoutMs, setup });
    const used = usesIndex(after.plan.root, embedded ? indexName(candidate) : `btree_${candidate.table}`);
    const basis = embedded ? 'time' : 'cost';
    const cost = (r: ExplainResult) => (basis === 'time' ? r.plan.executionMs ?? r.plan.root.totalMs ?? 0 : r.plan.root.cost.total);
    const speedup = cost(after) > 0 ? cost(before) / cost(after) : undefined;
    tried.push({ ...candidate, after, used, speedup, basis });
  }
  tried.sort((a, b) => Number(b.used) - Number(a.used) || (b.speedup ?? 0) - (a.speedup ?? 0));
  const scanned = tried.length && !tried[0].used ? scannedRows(before.plan.root, tried[0].table) : undefined;
  if (scanned !== undefined) {
    // A small table is read whole as cheaply as through an index: the verdict is about this size only.
    notes.push(`The planner did not take the index: reading all ${scanned.toLocaleString('en-US')} rows of ${tried[0].table} costs it no more at this size. As the table grows it does${embedded ? ' (a larger perflens.database.dataSize shows it on the embedded database)' : ''}.`);
  }
  return { before, tried, method: embedded ? 'embedded' : 'hypopg', notes };
}

/** The rows a sequential scan of `table` read (those it kept and those its filter removed), if the plan says. */
function scannedRows(n: PlanNode, table: string): number | undefined {
  if (n.nodeType.endsWith('Seq Scan') && n.relation === table) {
    const kept = n.rowsActual ?? n.rowsEstimated;
    return kept === undefined ? undefined : kept * (n.loops ?? 1) + (n.rowsRemovedByFilter ?? 0);
  }
  for (const c of n.children) {
    const rows = scannedRows(c, table);
    if (rows !== undefined) return rows;
  }
  return undefined;
}

/** Indexes that would replace the plan's sequential scans (and the sorts above them). */
export function indexCandidates(plan: NormalisedPlan, columnsByTable: ReadonlyMap<string, ReadonlySet<string>>): IndexCandidate[] {
  const out: IndexCandidate[] = [];
  const seen = new Set<string>();
  const visit = (n: PlanNode, sortAbove: PlanNode | undefined): void => {
    const sort = n.nodeType === 'Sort' || n.nodeType === 'Incremental Sort' ? n : n.nodeType === 'Limit' || n.nodeType.startsWith('Gather') ? sortAbove : undefined;
    if (n.nodeType.endsWith('Seq Scan') && n.relation) {
      const known = columnsByTable.get(n.relation);
      if (known) {
        const { equality, range } = filterColumns(n.filter ?? '', known);
        const sortKeys = (sortAbove?.sort?.keys ?? []).map((k) => sortKey(k, n.alias ?? n.relation!, known)).filter((k): k is IndexColumn => !!k);
        const usableSort = sortKeys.length === (sortAbove?.sort?.keys.length ?? 0) ? sortKeys.filter((k) => !equality.includes(k.name)) : [];
        const columns: IndexColumn[] = equality.map((name) => ({ name }));
        if (usableSort.length) columns.push(...usableSort);
        else if (range.length) columns.push({ name: range[0] });
        if (columns.length) {
          const key = `${n.relation}(${columns.map((c) => c.name).join(',')})`;
          if (!seen.has(key)) {
            seen.add(key);
            const candidate = { table: n.relation, columns, ddl: '', reason: reasonFor(n.relation, equality, usableSort.length ? usableSort : [], usableSort.length ? [] : range.slice(0, 1)) };
            candidate.ddl = `CREATE INDEX ${quoteIdent(indexName(candidate))} ON ${quoteIdent(candidate.table)} (${columns.map((c) => `${quoteIdent(c.name)}${c.descending ? ' DESC' : ''}`).join(', ')});`;
            out.push(candidate);
          }
        }
      }
    }
    n.children.forEach((c) => visit(c, sort));
  };
  visit(plan.root, undefined);
  return out;
}

function reasonFor(table: string, equality: string[], sort: IndexColumn[], range: string[]): string {
  const parts: string[] = [];
  if (equality.length) parts.push(`filters on ${equality.join(', ')}`);
  if (range.length) parts.push(`compares ${range.join(', ')}`);
  if (sort.length) parts.push(`sorts on ${sort.map((s) => `${s.name}${s.descending ? ' DESC' : ''}`).join(', ')}`);
  return `Seq Scan on ${table} ${parts.join(' and ')}`;
}

/** `posts_author_id_created_at_idx`, cut to PostgreSQL's 63 bytes. */
export function indexName(c: Pick<IndexCandidate, 'table' | 'columns'>): string {
  return `${c.table}_${c.columns.map((x) => x.name).join('_')}_idx`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63);
}

const IDENT = /"((?:[^"]|"")+)"|\b([A-Za-z_][A-Za-z0-9_$]*)\b/g;

/**
 * Columns a scan's filter tests, as PostgreSQL prints it: `(author_id = 7)`, `((status)::text = 'x'::text)`,
 * `(published AND ("createdAt" < $1))`. Equality (`=`, `IS NULL`, a bare boolean) and ranges (`<`, `>`,
 * `BETWEEN`, `~~` for LIKE) are told apart; columns under OR are left out (one index does not serve both sides).
 */
export function filterColumns(filter: string, known: ReadonlySet<string>): { equality: string[]; range: string[] } {
  const equality: string[] = [];
  const range: string[] = [];
  if (!filter || /\bOR\b/.test(filter)) return { equality, range };
  const text = filter.replace(/'(?:[^']|'')*'/g, "''");
  for (const m of text.matchAll(IDENT)) {
    const name = m[1]?.replace(/""/g, '"') ?? m[2];
    if (!known.has(name)) continue;
    const before = text.slice(0, m.index);
    // `alias.column`: the part after the dot is the column; `::type` casts are not columns.
    if (/::\s*$/.test(before)) continue;
    const after = text.slice(m.index! + m[0].length).replace(/^\)?(?:::[\w ]+(?:\[\])?\)?)*\s*/, '');
    const lead = before.replace(/[\s(]+$/, '');
    let kind: 'eq' | 'range' | undefined;
    if (/^(<>|!=)/.test(after) || /(<>|!=)$/.test(lead)) kind = undefined;
    else if (/^(=|IS\b)/i.test(after) || /[^<>!]=$/.test(lead)) kind = 'eq';
    else if (/^(<|>|~~|BETWEEN\b)/i.test(after) || /[<>]=?$/.test(lead)) kind = 'range';
    // A bare boolean column: `(published AND …)`, `(NOT archived)`.
    else if (/^(AND\b|\)|$)/i.test(after) && (lead === '' || /\b(AND|NOT)$/i.test(lead))) kind = 'eq';
    if (kind === 'eq' && !equality.includes(name)) equality.push(name);
    if (kind === 'range' && !range.includes(name) && !equality.includes(name)) range.push(name);
  }
  return { equality, range };
}

/** `posts.created_at DESC` / `p."createdAt"` → the column of this scan, or undefined when the key is an expression. */
function sortKey(key: string, alias: string, known: ReadonlySet<string>): IndexColumn | undefined {
  const m = /^(?:(?:"[^"]+"|[A-Za-z_][\w$]*)\.)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)(\s+DESC)?(\s+NULLS\s+(?:FIRST|LAST))?$/i.exec(key.trim());
  if (!m) return undefined;
  const prefix = key.trim().split('.')[0];
  if (key.includes('.') && prefix.replace(/"/g, '') !== alias) return undefined;
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1];
  return known.has(name) ? { name, descending: !!m[2] } : undefined;
}

function usesIndex(n: PlanNode, name: string): boolean {
  return (!!n.index && n.index.includes(name)) || n.children.some((c) => usesIndex(c, name));
}

function tablesOf(plan: NormalisedPlan): string[] {
  const names = new Set<string>();
  const visit = (n: PlanNode): void => {
    if (n.relation && n.nodeType.endsWith('Seq Scan')) names.add(n.relation);
    n.children.forEach(visit);
  };
  visit(plan.root);
  return [...names];
}

async function tableColumns(connector: Connector, tables: string[], timeoutMs?: number): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (tables.length === 0) return out;
  const result = await connector.run(
    'SELECT c.relname AS table, a.attname AS column FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped AND pg_table_is_visible(c.oid)',
    { params: [tables], timeoutMs },
  );
  for (const row of result.rows) {
    const table = String(row.table);
    if (!out.has(table)) out.set(table, new Set());
    out.get(table)!.add(String(row.column));
  }
  return out;
}

/** The schema HypoPG is installed in (its functions are called qualified: the search path may not include it). */
async function hypopgSchema(connector: Connector, timeoutMs?: number): Promise<string | undefined> {
  const result = await connector.run("SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg'", { timeoutMs });
  return result.rows[0] ? String(result.rows[0].schema) : undefined;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
