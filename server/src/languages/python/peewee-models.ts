/**
 * Peewee models (`class Tweet(BaseModel): user = ForeignKeyField(User, backref="tweets")`) and the
 * `Model.select()` queries whose items read those relations lazily: a foreign key read on each row
 * (`tweet.user.username`) or a backref iterated per row (`user.tweets`) is a query per item unless
 * the query joined it (`.select(Tweet, User).join(User)`) or it was prefetched (`prefetch(q, User)`).
 */
import type { ModelFact, RelationFact } from '../facts';
import { builderChain, type IteratedQuery, type QuerySource } from './item-access';
import { modelClasses } from './model-classes';
import { modelFieldFacts } from './model-fields';
import { args, calleeName, field, keywordArg, stringValue, type Node } from './tree';

const MODEL_BASE = /(^|\.)(Model|BaseModel|\w+Model)$/;

/** Models with their foreign keys, many-to-many fields and the backrefs those put on the target, and their fields and indexes. */
export function peeweeModels(root: Node): ModelFact[] {
  const backrefs: Array<{ target: string; relation: RelationFact }> = [];
  const models = modelClasses(root, {
    orm: 'peewee',
    base: MODEL_BASE,
    relationCall: /(^|\.)(ForeignKeyField|ManyToManyField|DeferredForeignKey)$/,
    relation: (cls, name, call) => {
      const first = args(call)[0];
      const raw = first && first.type !== 'keyword_argument' ? (stringValue(first) ?? first.text) : stringValue(keywordArg(call, 'model'));
      const target = raw === "'self'" || raw === 'self' ? cls : (raw ?? '').split('.').pop() ?? '';
      if (!/^\w+$/.test(target)) return undefined;
      const manyToMany = /ManyToManyField$/.test(field(call, 'function')?.text ?? '');
      const backref = stringValue(keywordArg(call, 'backref'));
      if (backref && backref !== '+') backrefs.push({ target, relation: { field: backref, kind: 'to-many', target: cls } });
      return { field: name, kind: manyToMany ? 'to-many' : 'to-one', target };
    },
    more: (body) => modelFieldFacts(body, 'peewee'),
  });
  for (const b of backrefs) models.find((m) => m.name === b.target)?.relations.push(b.relation);
  // A class with neither relations nor fields is no model (a base class, a mixin).
  return models.filter((m) => m.relations.length > 0 || Object.keys(m.fieldTypes ?? {}).some((f) => f !== 'id'));
}

/** Methods that run the query: eager loading goes before them. */
const TERMINAL = /^(execute|iterator|dicts|tuples|namedtuples|objects|get|first|count|exists|scalar)$/;

/** Peewee: the `Model.select(...)` an iterable runs, and what it joins or prefetches. */
export const peeweeSelects: IteratedQuery = {
  orm: 'peewee',
  source(expr: Node): QuerySource | undefined {
    let inner = expr;
    // `prefetch(Tweet.select(), User)`: the select inside, and the prefetched models count as loaded.
    if (inner.type === 'call' && calleeName(inner) === 'prefetch' && args(inner)[0]) inner = args(inner)[0];
    const start = [inner, ...inner.descendantsOfType('call').filter((c): c is Node => !!c)].find((c) => c.type === 'call' && /^[A-Z]\w*\.select$/.test(field(c, 'function')?.text ?? ''));
    if (!start) return undefined;
    // Out from the query's first call through the builder methods, stopping before execution methods.
    const { calls, end } = builderChain(start, TERMINAL);
    if (inner !== expr) calls.push(expr);
    return { model: field(start, 'function')!.text.split('.')[0], calls, insertAt: end.endIndex };
  },
  eagerLoaded(calls: Node[]): string[] {
    // Joined and selected models (`.select(Tweet, User).join(User)`), prefetched ones: by model name.
    const out: string[] = [];
    const selected = new Set(args(calls[0]).map((a) => a.text));
    for (const c of calls) {
      const name = calleeName(c);
      if ((name === 'join' || name === 'switch') && args(c)[0] && selected.has(args(c)[0].text)) out.push(`model:${args(c)[0].text}`);
      if (name === 'prefetch') for (const a of args(c).slice(1)) out.push(`model:${a.text}`);
    }
    return out;
  },
};
