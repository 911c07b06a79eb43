/**
 * n-plus-one in Python: Django, SQLAlchemy/SQLModel and Peewee queries run once per item of a loop,
 * and Django relations read lazily on each item of an iterated queryset (`post.author.name`).
 */
import type { Detection, Fix } from '../../engine/finding';
import type { DetectContext, Detector } from '../../engine/rule';
import type { DrfViewFact, ItemAccessFact, SerializerFact } from '../../languages/facts';
import type { PyFacts } from '../../languages/python/adapter';
import type { PyQueryFact } from '../../languages/python/queries';
import { ensureImport } from '../../languages/python/edits';
import { importedQuery, isPerItemQuery, perItemMessage, type GroupedQuery } from './message';

/** SQLAlchemy: `.options(selectinload(Post.author))` on the select, with its import. */
function sqlalchemyLazyLoad(a: ItemAccessFact, facts: PyFacts, target: string): Detection {
  const items = a.loop.iterable ? `\`${a.loop.iterable}\`` : 'the loop';
  const option = `selectinload(${a.model}.${a.field})`;
  const message = `\`${a.loop.variables[0]}.${a.field}\` loads ${target} lazily per item of ${items} (a lazy relationship): N+1 queries. Add \`.options(${option})\` to the ${a.model} select to load them with one more query.`;
  const edits = [{ start: a.eagerInsert!, end: a.eagerInsert!, newText: `.options(${option})` }];
  if (!facts.imports.some((i) => i.names.includes('selectinload'))) {
    const orm = facts.imports.find((i) => i.module === 'sqlalchemy.orm' && i.names.length > 0);
    edits.push(orm ? { start: orm.namesEnd, end: orm.namesEnd, newText: ', selectinload' } : { start: facts.importInsert, end: facts.importInsert, newText: 'from sqlalchemy.orm import selectinload\n' });
  }
  return { start: a.start, end: a.end, message, fixes: a.eagerInsert === undefined ? [] : [{ title: `Load ${a.field} with selectinload`, applicability: 'safe', edits }] };
}

/**
 * `Author.objects.get(pk=post.author_id)` per item → one `in_bulk` before the loop and a dict
 * lookup. Unsafe: a missing row gives None instead of raising DoesNotExist, and the iterable is
 * read once more before the loop (a generator would be consumed).
 */
function djangoInBulkFix(q: PyQueryFact, text: string): Fix | undefined {
  const loop = q.loop!;
  const l = q.lookup;
  if (!l || !q.model || q.write || loop.kind !== 'for-of' || loop.variables.length !== 1 || !loop.iterable) return undefined;
  const item = loop.variables[0];
  if (!l.names.every((n) => n === item)) return undefined;
  const byPk = l.field === 'pk' || l.field === 'id';
  const mapName = `${q.model.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase())}_by_${byPk ? 'pk' : l.field}`;
  const keys = l.key.text === item ? loop.iterable : `[${l.key.text} for ${item} in ${loop.iterable}]`;
  const indent = /^[ \t]*/.exec(text.slice(loop.statementStart))![0];
  // The manager as written: `Author.objects`, `get_user_model().objects`.
  const manager = /^(.*?\.objects)\./s.exec(text.slice(q.start, q.end))?.[1] ?? `${q.model}.objects`;
  const hoisted = `${indent}${mapName} = ${manager}.in_bulk(${keys}${byPk ? '' : `, field_name="${l.field}"`})\n`;
  return {
    title: `Load all ${q.model} rows with one in_bulk before the loop`,
    applicability: 'unsafe',
    edits: [
      { start: loop.statementStart, end: loop.statementStart, newText: hoisted },
      { start: q.start, end: q.end, newText: `${mapName}.get(${l.key.text})` },
    ],
  };
}

/**
 * `session.get(User, item.user_id)` per item → one `select(User).where(User.id.in_(…))` before the
 * loop and a dict lookup. Unsafe for the same reasons as in_bulk. An `AsyncSession`'s scalars() is
 * awaited where the map is built, and the lookup loses the call's `await` (a dict's get is no
 * coroutine); an async session's get that is not awaited right there (gathered, passed on) is left
 * to the message.
 */
function sqlalchemyBatchFix(q: PyQueryFact, facts: PyFacts, text: string): Fix | undefined {
  const loop = q.loop!;
  const l = q.lookup;
  if (!l?.session || !q.model || loop.kind !== 'for-of' || loop.variables.length !== 1 || !loop.iterable) return undefined;
  if (l.asyncSession && l.awaitStart === undefined) return undefined;
  const item = loop.variables[0];
  if (!l.names.every((n) => n === item)) return undefined;
  const mapName = `${q.model.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase())}_by_id`;
  const keys = l.key.text === item ? loop.iterable : `[${l.key.text} for ${item} in ${loop.iterable}]`;
  const indent = /^[ \t]*/.exec(text.slice(loop.statementStart))![0];
  const rows = `${l.session}.scalars(select(${q.model}).where(${q.model}.id.in_(${keys})))`;
  const hoisted = `${indent}${mapName} = {row.id: row for row in ${l.asyncSession ? `(await ${rows})` : rows}}\n`;
  const edits = [
    { start: loop.statementStart, end: loop.statementStart, newText: hoisted },
    { start: l.awaitStart ?? q.start, end: q.end, newText: `${mapName}.get(${l.key.text})` },
  ];
  if (!facts.imports.some((i) => i.names.includes('select'))) {
    const module = q.orm === 'sqlmodel' ? 'sqlmodel' : 'sqlalchemy';
    const existing = facts.imports.find((i) => i.module === module && i.names.length > 0);
    edits.push(existing ? { start: existing.namesEnd, end: existing.namesEnd, newText: ', select' } : { start: facts.importInsert, end: facts.importInsert, newText: `from ${module} import select\n` });
  }
  return { title: `Load all ${q.model} rows with one select before the loop`, applicability: 'unsafe', edits };
}

/** A lookup already written into the key (`post__in`, `stars__gte`): no `__in` goes after it. */
const LOOKUP_SUFFIX = /__(exact|iexact|in|gt|gte|lt|lte|contains|icontains|startswith|istartswith|endswith|iendswith|range|isnull|regex|iregex|date|year|month|day)$/;

/**
 * Django: a count or an aggregate per item, filtered by the item (`Comment.objects.filter(post=p)
 * .count()`), as one grouped query over all the items' keys: `filter(post__in=posts).values("post")
 * .annotate(n=Count("pk"))`, each item's row found by its key.
 */
function djangoGrouped(q: PyQueryFact): GroupedQuery | undefined {
  const g = q.grouping;
  const loop = q.loop!;
  if (!g || loop.variables.length !== 1 || !loop.iterable) return undefined;
  const item = loop.variables[0];
  const byItem = g.filters.filter((f) => f.names.includes(item));
  if (byItem.length !== 1) return undefined;
  const key = byItem[0];
  if (!key.names.every((n) => n === item) || LOOKUP_SUFFIX.test(key.name)) return undefined;
  const keys = key.value === item ? loop.iterable : `[${key.value} for ${item} in ${loop.iterable}]`;
  const quote = g.aggregates && g.aggregates.includes("'") && !g.aggregates.includes('"') ? "'" : '"';
  const filter = [`${key.name}__in=${keys}`, ...g.filters.filter((f) => f !== key).map((f) => `${f.name}=${f.value}`)].join(', ');
  return {
    query: `${g.model}.objects.filter(${filter}).values(${quote}${key.name}${quote}).annotate(${g.aggregates ?? `n=Count(${quote}pk${quote})`})`,
    itemKey: key.value === item ? `${item}.pk` : key.value,
  };
}

/** The indentation of the line that holds `at`. */
function indentAt(text: string, at: number): { start: number; indent: string } {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  return { start, indent: /^[ \t]*/.exec(text.slice(start))![0] };
}

/**
 * `session.commit()` as the last statement of a `for` loop's body, alone on its line: dedented to the
 * loop's level, it runs once after the loop, so every row the loop added goes in one transaction.
 */
function commitAfterLoopFix(q: PyQueryFact, text: string): Fix | undefined {
  const loop = q.loop!;
  if (loop.kind !== 'for-of') return undefined;
  const line = indentAt(text, q.start);
  const lineEnd = text.indexOf('\n', q.end) < 0 ? text.length : text.indexOf('\n', q.end);
  const loopIndent = text.slice(loop.statementStart, loop.start);
  if (line.start + line.indent.length !== q.start || text.slice(q.end, lineEnd).trim() !== '' || !/^[ \t]*$/.test(loopIndent)) return undefined;
  if (line.indent.length <= loopIndent.length || !line.indent.startsWith(loopIndent)) return undefined;
  // The body's statements are indented alike: a deeper commit is inside an `if`, a `try` or a `with`
  // (and a body on the loop's own line has none of its lines).
  const first = indentAt(text, loop.end);
  if (first.start === loop.statementStart || first.indent !== line.indent) return undefined;
  // Nothing of the loop's body may follow the commit.
  const rest = text.slice(lineEnd + 1).split('\n').find((l) => l.trim() !== '' && !/^\s*#/.test(l));
  if (rest !== undefined && /^[ \t]*/.exec(rest)![0].length > loopIndent.length) return undefined;
  return {
    title: `Commit once after the loop (all the rows in one transaction)`,
    applicability: 'unsafe',
    edits: [{ start: line.start, end: q.start, newText: loopIndent }],
  };
}

/**
 * Peewee: a relation read per row of a `Model.select()`. The fix prefetches the related model
 * (`prefetch(query, User)`, one more query for all rows) where the query is the loop's own iterable:
 * prefetch returns a list, which the loop reads just as it read the query, and puts a list in each
 * row's backref: a backref queried further (`.count()`, `.where(…)`) gets the message only.
 */
function peeweeLazyLoad(a: ItemAccessFact, facts: PyFacts, text: string, target: string, kind: 'to-one' | 'to-many'): Detection | undefined {
  if (a.eagerLoaded.includes(`model:${target}`)) return undefined;
  const items = a.loop.iterable ? `\`${a.loop.iterable}\`` : 'the loop';
  const access = `\`${a.loop.variables[0]}.${a.field}\``;
  // A backref queried further per row (`u.tweets.count()`, `.where(…)`): prefetch would make it a
  // list, which has none of those methods.
  const method = kind === 'to-many' ? /^\s*\.\s*(\w+)/.exec(text.slice(a.end, a.end + 80))?.[1] : undefined;
  if (method === 'count') {
    const message = `\`${a.loop.variables[0]}.${a.field}.count()\` runs a COUNT query per item of ${items} (a backref): N+1 queries. Count in the query instead: \`.select(${a.model}, fn.COUNT(${target}.id).alias('${a.field}_count')).join(${target}, JOIN.LEFT_OUTER).group_by(${a.model})\`.`;
    return { start: a.start, end: a.end, message, fixes: [] };
  }
  const what = kind === 'to-one' ? `loads one ${target} per item of ${items} (a lazy foreign key)` : `queries ${target} rows per item of ${items} (a backref)`;
  const message = `${access} ${what}: N+1 queries. Load them with the items: \`prefetch(<query>, ${target})\`${kind === 'to-one' ? ` or \`.select(${a.model}, ${target}).join(${target})\`` : ''}.`;
  const iterable = a.loop.iterable;
  const fixes: Fix[] = [];
  const queryStart = iterable && a.eagerInsert !== undefined ? a.eagerInsert - iterable.length : -1;
  if (!method && iterable && queryStart >= 0 && text.slice(queryStart, a.eagerInsert) === iterable && /^[A-Z]\w*\.select\(/.test(iterable)) {
    const edits = [{ start: queryStart, end: a.eagerInsert!, newText: `prefetch(${iterable}, ${target})` }, ...ensureImport(facts, 'peewee', 'prefetch')];
    fixes.push({ title: `Prefetch ${target} with the items`, applicability: 'safe', edits });
  }
  return { start: a.start, end: a.end, message, fixes };
}

function lazyLoad(access: ItemAccessFact, ctx: DetectContext, facts: PyFacts): Detection | undefined {
  // `article.comments.all()`: the items are the relation's target model.
  const target = access.through ? ctx.models?.relation(access.model, access.through, access.orm)?.target : access.model;
  if (!target) return undefined;
  const a = access.through ? { ...access, model: target } : access;
  // Models of the item's own ORM: a JS ORM in the same workspace may name a model alike.
  const rel = ctx.models?.relation(a.model, a.field, a.orm);
  if (!rel) return undefined;
  if (a.orm === 'sqlalchemy') return a.eagerLoaded.includes(a.field) ? undefined : sqlalchemyLazyLoad(a, facts, rel.target);
  if (a.orm === 'peewee') return peeweeLazyLoad(a, facts, ctx.file.text, rel.target, rel.kind);
  if (a.eagerLoaded.includes(a.field) || (rel.kind === 'to-one' && a.eagerLoaded.includes('*'))) return undefined;
  const method = rel.kind === 'to-one' ? 'select_related' : 'prefetch_related';
  const items = a.loop.iterable ? `\`${a.loop.iterable}\`` : 'the loop';
  const what = rel.kind === 'to-one' ? `loads one ${rel.target} per item of ${items} (a lazy foreign key)` : `queries ${rel.target} rows per item of ${items} (a lazy related manager)`;
  const message = `\`${a.loop.variables[0]}.${a.field}\` ${what}: N+1 queries. Add \`${method}("${a.field}")\` to the ${a.model} queryset to load them with the items.`;
  const fixes: Fix[] =
    a.eagerInsert === undefined
      ? []
      : [{ title: `Add ${method}("${a.field}") to the queryset`, applicability: 'safe', edits: [{ start: a.eagerInsert, end: a.eagerInsert, newText: `.${method}("${a.field}")` }] }];
  return { start: a.start, end: a.end, message, fixes };
}

/**
 * DRF: a view serializes every row of its queryset with a serializer that reads relations of each
 * object (`source="author.name"`, a nested serializer, `obj.comments` in a `get_…` method): a query
 * per row for each relation the queryset does not load. Reported on the queryset, where the fix
 * adds `select_related`/`prefetch_related` (a prefetched relation serves `.count()` too).
 */
function drfViewReads(v: DrfViewFact, facts: PyFacts, ctx: DetectContext): Detection[] {
  // Serializers named from the view's file: its own, or imported (a nested one is looked for in
  // the module of the serializer that nests it).
  const find = (name: string, module: string | undefined): SerializerFact | undefined =>
    (module === undefined ? facts.serializers?.find((x) => x.name === name) : undefined) ?? ctx.functions?.serializer(ctx.file.path, module, name);
  const serializer = find(v.serializer.name, v.serializer.module);
  if (!serializer || serializer.model !== v.model) return [];
  const out: Detection[] = [];
  const reported = new Set<string>();
  // `path`: the lookup from the view's model (`comments__author`); `outer`: whether a relation on
  // the way is to-many (then only prefetch_related follows it).
  const visit = (s: SerializerFact, model: string, prefix: string, outerToMany: boolean, depth: number): void => {
    // `*`: the fields of the model, that is its own relations (reverse accessors are not fields).
    const reads = s.reads.flatMap((read) =>
      read.field !== '*' ? [read] : (ctx.models?.relationsOf(model, 'django') ?? []).filter((r) => !r.reverse && !read.except?.includes(r.field)).map((r) => ({ ...read, field: r.field })),
    );
    for (const read of reads) {
      const rel = ctx.models?.relation(model, read.field, 'django');
      const path = prefix + read.field;
      if (!rel || reported.has(path) || (read.toManyOnly && rel.kind === 'to-one')) continue;
      reported.add(path);
      const toMany = outerToMany || rel.kind === 'to-many';
      if (!v.eagerLoaded.includes(path) && !(!toMany && v.eagerLoaded.includes('*'))) {
        const method = toMany ? 'prefetch_related' : 'select_related';
        const what = read.count ? `counts the ${rel.target} rows of each ${model}` : `reads \`${read.field}\` of each ${model}`;
        const count = read.count && !prefix ? ` (or annotate the count on the queryset: \`.annotate(${read.field}_count=Count("${read.field}"))\`, read by an IntegerField)` : '';
        const message = prefix
          ? `\`${serializer.name}\` serializes \`${prefix.slice(0, -2)}\` of each ${v.model} with \`${s.name}\`, which ${what} (\`${read.via}\`): a query per ${model} serialized (N+1). Add \`${method}("${path}")\` to the queryset.`
          : `\`${s.name}\` ${what} it serializes (\`${read.via}\`): a list of N rows runs N more queries (N+1). Add \`${method}("${path}")\` to the queryset${count}.`;
        out.push({
          start: v.start,
          end: v.end,
          message,
          fixes: [{ title: `Add ${method}("${path}") to the queryset`, applicability: 'safe', edits: [{ start: v.insertAt, end: v.insertAt, newText: `.${method}("${path}")` }] }],
        });
      }
      // A nested serializer reads its own objects' relations: `comments__author`.
      const nested = read.serializer && depth < 3 ? find(read.serializer, v.serializer.module) : undefined;
      if (nested && nested.model === rel.target) visit(nested, rel.target, `${path}__`, toMany, depth + 1);
    }
  };
  visit(serializer, v.model, '', false, 0);
  return out;
}

export const detectPython: Detector<PyFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    if (!isPerItemQuery(q)) continue;
    const fix = q.operation === 'commit' ? commitAfterLoopFix(q, ctx.file.text) : q.orm === 'django' ? djangoInBulkFix(q, ctx.file.text) : sqlalchemyBatchFix(q, facts, ctx.file.text);
    out.push({ start: q.start, end: q.end, message: perItemMessage(q, undefined, djangoGrouped(q)), fixes: fix ? [fix] : [] });
  }
  // A call that is a query itself is not reported again as a call of a helper that queries.
  const reported = new Set(out.map((d) => d.start));
  for (const q of facts.helperCalls ?? []) {
    if (isPerItemQuery(q) && !reported.has(q.start)) out.push({ start: q.start, end: q.end, message: perItemMessage(q), fixes: [] });
  }
  for (const a of facts.itemAccesses ?? []) {
    const d = lazyLoad(a, ctx, facts);
    if (d) out.push(d);
  }
  for (const c of facts.importedCalls ?? []) {
    const q = importedQuery(c, ctx);
    if (q && isPerItemQuery(q) && !reported.has(q.start)) out.push({ start: q.start, end: q.end, message: perItemMessage(q), fixes: [] });
  }
  for (const v of facts.drfViews ?? []) out.push(...drfViewReads(v, facts, ctx));
  return out;
};
