/**
 * `perflens.compareFix` for an offset-pagination finding on a SQL statement: the statement as
 * written against the keyset rewrite the rule's fix makes, benchmarked at growing page depths on
 * the same database (see database/compare-pagination.ts). The rewrite is the fix itself, applied to
 * the statement's text, so what is measured is what the quick-fix would write.
 */
import { ErrorCodes, ResponseError, type Position } from 'vscode-languageserver';
import type { ServerContext } from '../context';
import { comparePagination } from '../database/compare-pagination';
import type { CompareFixCommandResult } from '../protocol';
import { sqlAtPosition } from './sql-at-position';
import type { Edit } from '../engine/finding';
import { SourceFile, languageOfDocument } from '../engine/source-file';
import type { PaginationFact, SqlStatementFact } from '../languages/facts';
import { hasKeysetSites } from '../languages/sql/statement';
import { isGrowingOffset, keysetKeys } from '../rules/offset-pagination/keyset';
import { cursorNumbers, detectSqlStatements, freedParams } from '../rules/offset-pagination/sql';
import { uriToPath } from '../uri';
import { readDocument } from './sql-at-position';

export interface CompareTarget {
  sql: string;
  range: { start: Position; end: Position };
  variants: Parameters<typeof comparePagination>[1];
}

/** The offset-paginated statement at a position, with both variants ready to run; an error says why there is none. */
export async function paginationAt(ctx: ServerContext, uri: string, position: Position): Promise<CompareTarget> {
  const doc = ctx.documents.get(uri) ?? readDocument(uri);
  const fail = (why: string) => new ResponseError(ErrorCodes.InvalidParams, why, { reason: 'no-query' });
  if (!doc) throw fail('the document could not be read');
  const path = uriToPath(uri);
  const language = languageOfDocument(doc.languageId, path);
  if (!language) throw fail('PerfLens does not analyse this kind of file');
  await ctx.engine.init();
  const text = doc.getText();
  const facts = ctx.engine.facts(new SourceFile(path, language, text, doc.version));
  const offset = doc.offsetAt(position);
  const statement = (facts?.sql ?? []).find((s) => s.start <= offset && offset <= s.end && s.pagination && isGrowingOffset(s.pagination));
  if (!statement) throw fail('no SQL statement with offset pagination here; "Compare with the fix" compares an offset query with its keyset rewrite');
  if (statement.dialect !== 'postgresql' || text.slice(statement.start, statement.end) !== statement.text || !hasKeysetSites(statement) || statement.keyset.params.kind !== 'dollar') {
    throw fail('the comparison runs PostgreSQL statements written with $1 … $n parameters, as they appear in the file');
  }
  const detection = detectSqlStatements([statement], { file: new SourceFile(path, language, text, doc.version) } as never)[0];
  const fix = detection?.fixes[0];
  if (!fix) throw fail('the keyset rewrite cannot be written for this statement (see the finding for why)');
  return { sql: statement.text, range: { start: doc.positionAt(statement.start), end: doc.positionAt(statement.end) }, variants: variants(statement, statement.pagination, fix.edits) };
}

function variants(s: SqlStatementFact, p: PaginationFact, fixEdits: readonly Edit[]): CompareTarget['variants'] {
  const keys = keysetKeys(p.orderBy, 'id');
  const highest = Math.max(0, ...[...s.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  // The numbers the fix gives the cursor (the offset's own first), and two fresh ones for the variants' offset and page size.
  const cursorParams = cursorNumbers(keys.length, { kind: 'dollar', next: highest + 1 }, freedParams(s, p));
  const free = Math.max(highest, ...cursorParams);
  const offsetParam = free + 1;
  const limitParam = p.limit ? free + 2 : undefined;
  const limitEdit: Edit[] = p.limit ? [{ start: p.limit.start, end: p.limit.end, newText: `$${limitParam}` }] : [];
  const offsetSql = applyEdits(s, [{ start: p.offset.start, end: p.offset.end, newText: `$${offsetParam}` }, ...limitEdit]);
  const keysetSql = applyEdits(s, [...fixEdits, ...limitEdit]);
  return { offsetSql, keysetSql, offsetParam, limitParam, cursorParams, keys, table: (hasKeysetSites(s) ? s.keyset.table : undefined) ?? s.tables[0] };
}

/** Edits in document offsets applied to the statement's text; overlapping edits are a bug in the caller. */
function applyEdits(s: SqlStatementFact, edits: readonly Edit[]): string {
  let text = s.text;
  let previousStart = Infinity;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    if (e.end > previousStart) throw new Error('overlapping edits in the pagination comparison');
    text = text.slice(0, e.start - s.start) + e.newText + text.slice(e.end - s.start);
    previousStart = e.start;
  }
  return text;
}

export type CompareFixResult = CompareFixCommandResult;

type QueryAt = { sql: string; range: CompareTarget['range']; notes: string[] };

/** The finding of `ruleId` at a position, with the document's analysis; undefined when there is none. */
async function findingAt(ctx: ServerContext, uri: string, position: Position, ruleId: string) {
  const doc = ctx.documents.get(uri) ?? readDocument(uri);
  if (!doc) return undefined;
  const analysis = await ctx.analyzer.analyze(doc);
  const offset = doc.offsetAt(position);
  const finding = analysis?.findings.find((f) => f.ruleId === ruleId && f.start <= offset && offset <= f.end);
  return finding && analysis ? { doc, analysis, finding } : undefined;
}

/** The SQL at a position, or the error that says the finding's query could not be translated. */
async function sqlOrFail(ctx: ServerContext, uri: string, position: Position | undefined, what: string): Promise<QueryAt> {
  const query = position ? await sqlAtPosition(ctx, uri, position) : undefined;
  if (!query) throw new ResponseError(ErrorCodes.InvalidParams, `${what} could not be turned into SQL`, { reason: 'no-query' });
  return { sql: query.sql, range: query.range, notes: query.notes ?? [] };
}

/**
 * The read of an unbounded-result-set finding at a position, as SQL, for the every-row against
 * a-page comparison; undefined when no such finding is there. The finding's own query is the one
 * inside its span (a Prisma call is the finding; a SQLAlchemy fetch holds its `select()`).
 */
export async function unboundedReadAt(ctx: ServerContext, uri: string, position: Position): Promise<QueryAt | undefined> {
  const at = await findingAt(ctx, uri, position, 'unbounded-result-set');
  if (!at) return undefined;
  const query = at.analysis.facts?.queries.find((q) => q.start >= at.finding.start && q.end <= at.finding.end && !q.write);
  return sqlOrFail(ctx, uri, query && at.doc.positionAt(query.start), 'the read of this finding');
}

/**
 * The per-item query of an N+1 finding at a position, as SQL (an ORM call translated, or SQL in
 * code), for the 1+N against batched comparison; undefined when no N+1 finding is there.
 */
export async function perItemQueryAt(ctx: ServerContext, uri: string, position: Position): Promise<QueryAt | undefined> {
  const at = await findingAt(ctx, uri, position, 'n-plus-one');
  if (!at) return undefined;
  return sqlOrFail(ctx, uri, at.doc.positionAt(at.finding.start), 'the per-item query of this N+1 finding');
}
