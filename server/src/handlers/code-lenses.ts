/**
 * `textDocument/codeLens`: "Explain · Benchmark" above each query PerfLens can run ("Compare
 * offset vs keyset" above offset-paginated ones), "Compare 1+N vs batched" above N+1 findings
 * whose per-item query it can turn into SQL, "Compare every row vs first 100" above unbounded reads it can, and "Try the index"
 * (Suggest Index: the plan without and with it) above filters no index serves — a statement of a
 * .sql file, or SQL in a string or tagged template. The lenses run `perflens.explain` and
 * `perflens.benchmark` at the statement's start, so every LSP editor can use them; DDL and other
 * statements that have no plan get none. Off with `perflens.codeLens: false`.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { ServerContext } from '../context';
import type { SqlStatementFact } from '../languages/facts';
import { TRANSLATED_ORMS } from '../database/orm-sql/orm-call-sql';
import { Commands } from '../protocol';
import { isGrowingOffset } from '../rules/offset-pagination/keyset';

/** Statements with a plan worth reading: queries and the writes EXPLAIN accepts. */
const EXPLAINABLE = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*(?:select|with|insert|update|delete|values|table)\b/i;

export function explainableStatements(sql: readonly SqlStatementFact[]): SqlStatementFact[] {
  return sql.filter((s) => EXPLAINABLE.test(s.text));
}

export function registerCodeLenses(ctx: ServerContext): void {
  ctx.connection.onCodeLens(async (params, token) => {
    const doc = ctx.documents.get(params.textDocument.uri);
    if (!doc) return [];
    const settings = await ctx.settings.forDocument(doc.uri);
    if (!settings.enable || !settings.codeLens) return [];
    const analysis = await ctx.analyzer.analyze(doc, () => token.isCancellationRequested);
    if (!analysis?.facts) return [];
    const lenses: CodeLens[] = [];
    for (const statement of explainableStatements(analysis.facts.sql)) {
      const start = doc.positionAt(statement.start);
      const range = { start, end: start };
      const target = { uri: doc.uri, position: start };
      lenses.push(
        { range, command: { title: 'Explain', command: Commands.explain, arguments: [target] } },
        { range, command: { title: 'Benchmark', command: Commands.benchmark, arguments: [target] } },
      );
      // Above an offset-pagination finding: what the keyset fix would buy, measured.
      if (statement.pagination && isGrowingOffset(statement.pagination) && statement.dialect === 'postgresql') {
        lenses.push({ range, command: { title: 'Compare offset vs keyset', command: Commands.compareFix, arguments: [target] } });
      }
    }
    // Above the reads of ORMs PerfLens translates to SQL, and their updates and deletes: one pair per line.
    const lensed = new Set(lenses.map((l) => l.range.start.line));
    const text = doc.getText();
    for (const q of analysis.facts.queries) {
      if (!TRANSLATED_ORMS.has(q.orm) || (q.write && !explainableWrite(q.orm, text.slice(q.start, q.end)))) continue;
      const start = doc.positionAt(q.start);
      if (lensed.has(start.line)) continue;
      lensed.add(start.line);
      const target = { uri: doc.uri, position: start };
      lenses.push(
        { range: { start, end: start }, command: { title: 'Explain', command: Commands.explain, arguments: [target] } },
        { range: { start, end: start }, command: { title: 'Benchmark', command: Commands.benchmark, arguments: [target] } },
      );
    }
    // Above an N+1 finding whose per-item query PerfLens can run: 1+N lookups against one batched query.
    for (const finding of analysis.findings) {
      if (finding.ruleId !== 'n-plus-one') continue;
      const query = analysis.facts.queries.find((q) => q.start <= finding.start && finding.start < q.end && q.loop);
      const sqlInLoop = analysis.facts.sql.some((st) => st.start <= finding.start && finding.start < st.end);
      if (!sqlInLoop && !(query && TRANSLATED_ORMS.has(query.orm))) continue;
      const start = doc.positionAt(finding.start);
      lenses.push({ range: { start, end: start }, command: { title: 'Compare 1+N vs batched', command: Commands.compareFix, arguments: [{ uri: doc.uri, position: start }] } });
    }
    // Above an unbounded read PerfLens can run: every row against the first page.
    for (const finding of analysis.findings) {
      if (finding.ruleId !== 'unbounded-result-set') continue;
      const query = analysis.facts.queries.find((q) => q.start >= finding.start && q.end <= finding.end && !q.write);
      if (!query || !TRANSLATED_ORMS.has(query.orm)) continue;
      const start = doc.positionAt(finding.start);
      lenses.push({ range: { start, end: start }, command: { title: 'Compare every row vs first 100', command: Commands.compareFix, arguments: [{ uri: doc.uri, position: start }] } });
    }
    // Above a filter no index serves: the plan without and with the index, tried on the database ("Suggest Index").
    for (const finding of analysis.findings) {
      if (finding.ruleId !== 'unindexed-filter') continue;
      const query = analysis.facts.queries.find((q) => q.start <= finding.start && finding.end <= q.end);
      if (!query || !TRANSLATED_ORMS.has(query.orm)) continue;
      const start = doc.positionAt(finding.start);
      lenses.push({ range: { start, end: start }, command: { title: 'Try the index', command: Commands.suggestIndex, arguments: [{ uri: doc.uri, position: doc.positionAt(query.start) }] } });
    }
    return lenses;
  });
}

/**
 * A write whose SQL PerfLens translates: an update or a delete by a filter (`qs.update(…)`,
 * `prisma.post.updateMany`, `db.deleteFrom(…)`), where a plan tells something (an unindexed filter
 * scans the table). Inserts and creates get no lens, nor the writes no translator reads (MikroORM's
 * flush, TypeORM's save).
 */
const EXPLAINABLE_WRITES: Partial<Record<string, RegExp>> = {
  prisma: /\.(update|updateMany|updateManyAndReturn|delete|deleteMany)\s*\(/,
  django: /\.(update|delete)\s*\(/,
  sqlalchemy: /\.(update|delete)\s*\(|^(?:sa\.|sqlalchemy\.)?(?:update|delete)\s*\(/,
  peewee: /^[A-Z]\w*\.(update|delete|delete_by_id)\s*\(/,
  'mikro-orm': /\.(nativeUpdate|nativeDelete)\s*\(/,
  kysely: /\.(updateTable|deleteFrom)\s*\(/,
  knex: /\.(update|del|delete|increment|decrement)\s*\(/,
  drizzle: /\.(update|delete)\s*\(/,
  typeorm: /\.(update|delete|increment|decrement)\s*\(/,
  sequelize: /\.(update|destroy|increment|decrement)\s*\(/,
};

function explainableWrite(orm: string, call: string): boolean {
  return !!EXPLAINABLE_WRITES[orm]?.test(call) && !/\.(create|insert|insertInto|bulk_create|bulkCreate|save|upsert)\s*\(/.test(call);
}
