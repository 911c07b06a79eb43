/** n-plus-one in JS/TS: ORM and builder queries run once per item of a loop or iteration callback. */
import type { Detection } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { TsFacts } from '../../languages/typescript/adapter';
import { importedQuery, isPerItemQuery, perItemMessage } from './message';
import { batchFix, dataLoaderFix } from './typescript-fixes';
import { lazyLoads, prismaFluent, prismaForeignKeyInclude } from './typescript-lazy';

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  // A create of a model the file does not say the library of: a query when the workspace defines it with Sequelize.
  const creates = (facts.modelCreates ?? []).filter((q) => ctx.models?.filesDefining(q.sequelizeIfModel!, 'sequelize').length);
  for (const q of [...facts.queries, ...creates]) {
    if (!isPerItemQuery(q)) continue;
    // In a GraphQL field resolver the fix is a DataLoader, which the resolver message says.
    if (q.fluent && q.loop?.kind !== 'resolver') {
      out.push(prismaFluent(q, facts, ctx));
      continue;
    }
    // A raw SQL query's batch is SQL of the user's to write: the message says what.
    const fix = facts.sourceFile && !q.write && q.orm !== 'sql' ? (q.loop?.kind === 'resolver' ? dataLoaderFix(q, facts.sourceFile) : batchFix(q, facts.sourceFile)) : undefined;
    // A lookup by the item's foreign key is a relation the items' query can include (safe, first).
    const include = facts.sourceFile && !q.write && q.loop?.kind !== 'resolver' ? prismaForeignKeyInclude(q, facts, ctx) : undefined;
    // The narrowest range: the callee (`prisma.user.findUnique`), not the whole statement.
    const callee = q.call.expression;
    out.push({ start: callee.getStart(), end: callee.getEnd(), message: perItemMessage(q, include?.relation), fixes: [include?.fix, fix].filter((f): f is NonNullable<typeof f> => !!f) });
  }
  // A call that is a query itself (`this.create` of a repository class) is not reported again
  // as a call of a helper that queries: one finding per call, the direct one, with its fix.
  const reported = new Set(out.map((d) => d.start));
  for (const q of facts.helperCalls ?? []) {
    if (!isPerItemQuery(q)) continue;
    const callee = q.call.expression;
    if (reported.has(callee.getStart())) continue;
    out.push({ start: callee.getStart(), end: callee.getEnd(), message: perItemMessage(q), fixes: [] });
  }
  for (const q of facts.taggedQueries ?? []) {
    if (isPerItemQuery(q)) out.push({ start: q.node.tag.getStart(), end: q.node.tag.getEnd(), message: perItemMessage(q), fixes: [] });
  }
  out.push(...lazyLoads(facts, ctx));
  for (const c of facts.importedCalls ?? []) {
    const q = importedQuery(c, ctx);
    if (q && isPerItemQuery(q) && !reported.has(q.start)) out.push({ start: q.start, end: q.end, message: perItemMessage(q), fixes: [] });
  }
  return out;
};
