/**
 * Hoisting a Prisma per-item lookup into one query before the loop, and a map lookup in the loop.
 * Unsafe: the rows are read once, before the loop's own writes, and missing rows become `null`
 * (as `findUnique` returns) — an honest rewrite, not an invisible one.
 */
import ts from 'typescript';
import type { Fix } from '../../engine/finding';
import { findProperty, propertyName, propertyValue } from '../../languages/typescript/ordering';
import { ensureDefaultImport, ensureImport } from '../../languages/typescript/edits';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { builderBatch, type BuilderBatch } from './typescript-builder-fixes';

/** The hoisted query is awaited where the loop statement is: that function must be async. */
function loopIsInAsyncFunction(call: ts.Node, loopStart: number): boolean {
  let loopNode: ts.Node = call;
  while (loopNode.parent && !(loopNode.getStart() === loopStart && !ts.isExpressionStatement(loopNode.parent))) loopNode = loopNode.parent;
  for (let n = loopNode.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return (ts.getCombinedModifierFlags(n as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
  }
  return false;
}

function mentionsOnly(expr: ts.Node, allowed: ReadonlySet<string>): boolean {
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isName && !allowed.has(n.text)) ok = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return ok;
}

/** What a per-item lookup looks up: the column, the key expression, and extra options to carry over. */
interface Lookup {
  field: string;
  key: ts.Expression;
  extra?: string;
}

function singleWhere(obj: ts.Expression | undefined): { field: string; key: ts.Expression } | undefined {
  if (!obj || !ts.isObjectLiteralExpression(obj) || obj.properties.length !== 1) return undefined;
  const field = propertyName(obj.properties[0]);
  const key = propertyValue(obj.properties[0]);
  return field && /^\w+$/.test(field) && key ? { field, key } : undefined;
}

/** `findUnique({ where: { id: x } })`, `findByPk(x)`, `findOneBy({ id: x })`, `findById(x)`, … */
function lookupOf(q: TsQueryFact, call: ts.CallExpression): Lookup | undefined {
  const args = call.arguments;
  const first = args[0];
  const operation = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : q.operation;
  switch (q.orm) {
    case 'prisma': {
      if (!/^(findUnique|findUniqueOrThrow|findFirst)$/.test(operation) || args.length !== 1 || !first || !ts.isObjectLiteralExpression(first)) return undefined;
      // Only `{ where: { field: <item expression> } }`, optionally with include kept as is.
      if (first.properties.some((p) => !['where', 'include'].includes(propertyName(p) ?? ''))) return undefined;
      const w = singleWhere(propertyValue(findProperty(first, 'where')));
      const include = findProperty(first, 'include');
      return w && { ...w, extra: include?.getText() };
    }
    case 'sequelize':
      if (operation === 'findByPk' && args.length === 1) return { field: 'id', key: first };
      if (operation === 'findOne' && args.length === 1 && first && ts.isObjectLiteralExpression(first) && first.properties.length === 1) {
        const w = singleWhere(propertyValue(findProperty(first, 'where')));
        return w;
      }
      return undefined;
    case 'typeorm':
      if (operation === 'findOneBy' && args.length === 1) return singleWhere(first);
      if (operation === 'findOne' && args.length === 1 && first && ts.isObjectLiteralExpression(first) && first.properties.length === 1) return singleWhere(propertyValue(findProperty(first, 'where')));
      return undefined;
    case 'mongoose':
      if (operation === 'findById' && args.length === 1) return { field: '_id', key: first };
      if (operation === 'findOne' && args.length === 1) return singleWhere(first);
      return undefined;
    default:
      return undefined;
  }
}

/** The one query that loads every row the loop needs, per ORM. */
function batchQuery(q: TsQueryFact, receiver: string, l: Lookup, keys: string): { text: string; method: string } | undefined {
  switch (q.orm) {
    case 'prisma':
      return { method: 'findMany', text: `${receiver}.findMany({ where: { ${l.field}: { in: ${keys} } }${l.extra ? `, ${l.extra}` : ''} })` };
    case 'sequelize':
      // Sequelize turns an array value into IN (…).
      return { method: 'findAll', text: `${receiver}.findAll({ where: { ${l.field}: ${keys} } })` };
    case 'typeorm':
      return { method: 'findBy', text: `${receiver}.findBy({ ${l.field}: In(${keys}) })` };
    case 'mongoose':
      return { method: 'find', text: `${receiver}.find({ ${l.field}: { $in: ${keys} } })` };
    default:
      return undefined;
  }
}

/**
 * Hoists a per-item lookup into one batched query before the loop, and a map lookup in the loop.
 * Unsafe: rows are read once, before the loop's own writes; a missing row becomes `null`, as the
 * lookup returned; duplicates keep the last row.
 */
export function batchFix(q: TsQueryFact, sf: ts.SourceFile): Fix | undefined {
  const loop = q.loop!;
  if (loop.variables.length === 0 || !loop.iterable || (loop.kind !== 'for-of' && loop.kind !== 'callback')) return undefined;
  const plan = builderBatch(q);
  if (plan) return builderFix(q, sf, plan);
  // `User.findById(id).lean()`: the lookup is the chain's first call; lean/exec only shape its result.
  const call = q.style === 'chain' && q.chain && q.chain.slice(1).every((c) => ts.isPropertyAccessExpression(c.expression) && /^(lean|exec)$/.test(c.expression.name.text)) ? q.chain[0] : q.call;
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const l = lookupOf(q, call);
  if (!l) return undefined;
  const item = loop.variables[0];
  // The key must be computable before the loop, from the item alone.
  if (!mentionsOnly(l.key, new Set([item]))) return undefined;
  if (!loopIsInAsyncFunction(call, loop.start)) return undefined;
  const receiver = call.expression.expression.getText();
  const keyText = l.key.getText();
  const keys = keyText === item ? loop.iterable : `${loop.iterable}.map((${item}) => ${keyText})`;
  const batch = batchQuery(q, receiver, l, keys);
  if (!batch) return undefined;
  const model = (q.model && /^\w+$/.test(q.model) ? q.model : 'row').replace(/^./, (c) => c.toLowerCase());
  const mapName = `${model}By${l.field.replace(/^_/, '').replace(/^./, (c) => c.toUpperCase())}`;
  // ObjectIds compare by identity: key Mongoose rows by their string form.
  const asKey = (e: string) => (q.orm === 'mongoose' ? `String(${e})` : e);
  const indent = /^[ \t]*/.exec(sf.text.slice(loop.statementStart))![0];
  const hoisted =
    `${indent}const ${mapName} = new Map(\n` +
    `${indent}  (await ${batch.text}).map((row) => [${asKey(`row.${l.field}`)}, row]),\n` +
    `${indent});\n`;
  // `.lean()`/`.exec()` after a Mongoose lookup belong to the replaced query.
  let replaced: ts.Node = call;
  while (ts.isPropertyAccessExpression(replaced.parent) && ts.isCallExpression(replaced.parent.parent) && /^(lean|exec)$/.test(replaced.parent.name.text)) replaced = replaced.parent.parent;
  const awaited = ts.isAwaitExpression(replaced.parent) ? replaced.parent : replaced;
  const orThrow = /OrThrow$/.test(q.operation);
  const lookup = orThrow ? `${mapName}.get(${asKey(keyText)})!` : `(${mapName}.get(${asKey(keyText)}) ?? null)`;
  const edits = [
    { start: loop.statementStart, end: loop.statementStart, newText: hoisted },
    { start: awaited.getStart(), end: awaited.getEnd(), newText: lookup },
  ];
  if (q.orm === 'typeorm') edits.push(...ensureImport(sf, 'typeorm', ['In']));
  return { title: `Load all ${model} rows with one ${batch.method} before the loop`, applicability: 'unsafe', edits };
}

/** The hoisted batch for a query-builder lookup: keys first, one query, rows by key; the call becomes a lookup. */
function builderFix(q: TsQueryFact, sf: ts.SourceFile, plan: BuilderBatch): Fix | undefined {
  const loop = q.loop!;
  const item = loop.variables[0];
  if (!mentionsOnly(plan.key, new Set([item])) || !loopIsInAsyncFunction(q.call, loop.start)) return undefined;
  const typed = /\.[cm]?tsx?$/.test(sf.fileName);
  const named = plan.model ?? q.model;
  const model = (named && /^\w+$/.test(named) ? named : 'row').replace(/^./, (c) => c.toLowerCase());
  const field = plan.field.replace(/^./, (c) => c.toUpperCase());
  const keysName = `${model}${field}s`;
  const mapName = `${model}By${field}`;
  if (new RegExp(`\\b(${keysName}|${mapName})\\b`).test(sf.text)) return undefined;
  const keyText = plan.key.getText();
  const indent = /^[ \t]*/.exec(sf.text.slice(loop.statementStart))![0];
  const keys = keyText === item ? `[...${loop.iterable}]` : `${loop.iterable}.map((${item}) => ${keyText})`;
  const rows = plan.guardEmpty ? `(${keysName}.length ? await ${plan.query(keysName)} : [])` : `(await ${plan.query(keysName)})`;
  const row = typed ? 'row: any' : 'row';
  let hoisted = `${indent}const ${keysName} = ${keys};\n`;
  if (plan.grouped) {
    hoisted +=
      `${indent}const ${mapName} = new Map${typed ? '<unknown, any[]>' : ''}();\n` +
      `${indent}for (const row of ${rows}) ${mapName}.set(row.${plan.field}, [...(${mapName}.get(row.${plan.field}) ?? []), row]);\n`;
  } else {
    hoisted += `${indent}const ${mapName} = new Map(${rows}.map((${row}) => [row.${plan.field}, row]));\n`;
  }
  const awaited = ts.isAwaitExpression(plan.replace.parent) ? plan.replace.parent : plan.replace;
  const get = `${mapName}.get(${keyText})`;
  const lookup = plan.grouped ? `(${get} ?? [])` : plan.missing === 'null' ? `(${get} ?? null)` : plan.missing === 'throw' && typed ? `${get}!` : get;
  const edits = [
    { start: loop.statementStart, end: loop.statementStart, newText: hoisted },
    { start: awaited.getStart(), end: awaited.getEnd(), newText: lookup },
    ...plan.imports(sf),
  ];
  return { title: `Load all ${model} rows with one query (${plan.method}) before the loop`, applicability: 'unsafe', edits };
}

/** The statement at the top level of the file that holds `node`: module-level code goes before it. */
function topLevelStatement(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && !ts.isSourceFile(n.parent)) n = n.parent;
  return n;
}

/**
 * A GraphQL field resolver that looks a row up per parent object: one DataLoader batches the
 * lookups of a whole list into one query (`findMany … in`), and the resolver calls `load`. The
 * loader is made with `cache: false`: a module-level loader that cached would serve stale rows
 * across requests and grow without bound; batching within a tick is what removes the N+1.
 * Unsafe: it needs the `dataloader` package, and rows are matched back by key (missing → null).
 */
/** `findMany({ where: { postId: x } })` and the like: the rows of one parent, grouped by a foreign key. */
function listLookupOf(q: TsQueryFact, call: ts.CallExpression): Lookup | undefined {
  const first = call.arguments[0];
  const operation = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : q.operation;
  if (call.arguments.length !== 1 || !first || !ts.isObjectLiteralExpression(first)) return undefined;
  const whereOnly = first.properties.length === 1 && propertyName(first.properties[0]) === 'where';
  if ((q.orm === 'prisma' && operation === 'findMany') || (q.orm === 'sequelize' && operation === 'findAll') || (q.orm === 'typeorm' && operation === 'find')) {
    return whereOnly ? singleWhere(propertyValue(findProperty(first, 'where'))) : undefined;
  }
  if ((q.orm === 'typeorm' && operation === 'findBy') || (q.orm === 'mongoose' && operation === 'find')) return singleWhere(first);
  return undefined;
}

export function dataLoaderFix(q: TsQueryFact, sf: ts.SourceFile): Fix | undefined {
  const loop = q.loop!;
  const parent = loop.variables[0];
  if (loop.kind !== 'resolver' || !parent) return undefined;
  const call = q.call;
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const many = listLookupOf(q, call);
  const l = many ?? lookupOf(q, call);
  if (!l || !mentionsOnly(l.key, new Set([parent]))) return undefined;
  const receiver = call.expression.expression.getText();
  // The receiver must exist at module level (`prisma.user`, `User`), not come from the resolver's context.
  const root = /^\w+/.exec(receiver)?.[0] ?? '';
  if (!new RegExp(`^(import|const|let|var|class)\\b[^\\n]*\\b${root}\\b`, 'm').test(sf.text)) return undefined;
  const batch = batchQuery(q, receiver, l, '[...keys]');
  if (!batch) return undefined;
  const model = (q.model && /^\w+$/.test(q.model) ? q.model : 'row').replace(/^./, (c) => c.toLowerCase());
  const loader = many ? `${model}sBy${l.field.replace(/^./, (c) => c.toUpperCase())}Loader` : `${model}Loader`;
  if (new RegExp(`\\b${loader}\\b`).test(sf.text)) return undefined;
  const typed = /\.[cm]?tsx?$/.test(sf.fileName);
  const asKey = (e: string) => (q.orm === 'mongoose' ? `String(${e})` : e);
  const statement = topLevelStatement(call);
  const at = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(statement.getStart()).line];
  const declaration =
    `const ${loader} = new DataLoader(\n` +
    `  async (keys${typed ? ': readonly any[]' : ''}) => {\n` +
    `    const rows = await ${batch.text};\n` +
    (many
      ? `    const byKey = new Map${typed ? '<unknown, any[]>' : ''}();\n` +
        `    for (const row of rows) byKey.set(${asKey(`row.${l.field}`)}, [...(byKey.get(${asKey(`row.${l.field}`)}) ?? []), row]);\n` +
        `    return keys.map((key) => byKey.get(${asKey('key')}) ?? []);\n`
      : `    const byKey = new Map(rows.map((row${typed ? ': any' : ''}) => [${asKey(`row.${l.field}`)}, row]));\n` +
        `    return keys.map((key) => byKey.get(${asKey('key')}) ?? null);\n`) +
    `  },\n` +
    `  { cache: false },\n` +
    `);\n\n`;
  // The import and the loader may go at the same place: one edit keeps their order.
  const imports = ensureDefaultImport(sf, 'dataloader', 'DataLoader');
  const together = imports.length === 1 && imports[0].start === at;
  const edits = [
    ...(together ? [] : imports),
    { start: at, end: at, newText: (together ? imports[0].newText : '') + declaration },
    { start: call.getStart(), end: call.getEnd(), newText: `${loader}.load(${l.key.getText()})` },
  ];
  if (q.orm === 'typeorm') edits.push(...ensureImport(sf, 'typeorm', ['In']));
  return { title: `Batch the lookups with a DataLoader (\`${loader}.load\`, one ${batch.method} per list)`, applicability: 'unsafe', edits };
}
