/**
 * SQLAlchemy/SQLModel/Flask-SQLAlchemy declarative models with `relationship()`, and the
 * `select(Model)`/`session.query(Model)` results whose items may load them lazily.
 * Relationships declared eager (`lazy="selectin"`, `"joined"`, …) are not lazy per item.
 */
import type { ModelFact, RelationFact } from '../facts';
import { assignedBefore, builderChain, type IteratedQuery, type QuerySource } from './item-access';
import { modelClasses } from './model-classes';
import { moduleIndexes } from './foreign-key-columns';
import { sqlalchemyColumnFacts } from './sqlalchemy-columns';
import { args, calleeName, field, keywordArg, stringValue, type Node } from './tree';

const MODEL_BASE = /(^|\.)(Base|DeclarativeBase|Model|SQLModel|\w+Base)$/;
const NOT_LAZY = /^(selectin|joined|subquery|immediate|raise|raise_on_sql|noload|dynamic|write_only)$/;

function relationOf(fieldName: string, call: Node, annotation: string): RelationFact | undefined {
  const lazy = stringValue(keywordArg(call, 'lazy'));
  if (lazy && NOT_LAZY.test(lazy)) return undefined;
  const first = args(call)[0];
  const fromArg = first && first.type !== 'keyword_argument' ? (stringValue(first) ?? first.text) : undefined;
  // Mapped["User"], Mapped[list["Item"]], Mapped[Optional["User"]]
  const fromType = /["']?(\w+)["']?\]*$/.exec(annotation.replace(/\s/g, ''))?.[1];
  const target = (fromArg ?? fromType ?? '').split('.').pop()!;
  if (!/^\w+$/.test(target) || target === 'Mapped') return undefined;
  const toMany = /\b(list|List|set|Set)\[/.test(annotation) || !!keywordArg(call, 'secondary');
  return { field: fieldName, kind: toMany ? 'to-many' : 'to-one', target };
}

export function sqlalchemyModels(root: Node): ModelFact[] {
  const keys = moduleIndexes(root);
  const models = modelClasses(root, {
    orm: 'sqlalchemy',
    base: MODEL_BASE,
    relationCall: /(^|\.)(relationship|Relationship)$/,
    relation: (_cls, name, call, annotation) => relationOf(name, call, annotation),
    more: (body, name, cls) => {
      const bases = field(cls, 'superclasses')?.namedChildren ?? [];
      const sqlmodel = bases.some((b) => b?.text === 'SQLModel');
      const table = bases.some((b) => b?.type === 'keyword_argument' && b.text.replace(/\s/g, '') === 'table=True');
      // A SQLModel class without `table=True` is a pydantic schema, not a table.
      return sqlmodel && !table ? {} : sqlalchemyColumnFacts(body, sqlmodel, keys.get(name));
    },
  });
  // A mapped class with neither relationships nor columns adds nothing; Django may define a model of that name.
  return models.filter((m) => m.relations.length > 0 || Object.keys(m.fieldTypes ?? {}).length > 0);
}

/** Methods that execute a statement or read its rows: eager options go before them. */
const TERMINAL = /^(all|first|one|one_or_none|scalar|scalars|scalar_one|scalar_one_or_none|unique|execute|fetchall|yield_per|partitions)$/;

/** SQLAlchemy: the `select(Model)`/`query(Model)` an iterable runs, and its eager-loading options. */
function selectSource(expr: Node, depth: number): QuerySource | undefined {
  // The select()/query() call: anywhere in the expression (session.scalars(select(Post)...).all()).
  const start = [expr, ...expr.descendantsOfType('call').filter((c): c is Node => !!c)].find(
    (c) => c.type === 'call' && /^((\w+\.)*(select|query))$/.test(field(c, 'function')?.text ?? '') && args(c).length === 1 && /^[A-Z]\w*$/.test(args(c)[0].text),
  );
  if (start) {
    // Out from the query's first call through the builder methods, stopping before execution methods.
    const { calls, end } = builderChain(start, TERMINAL);
    return { model: args(start)[0].text, calls, insertAt: end.endIndex };
  }
  // Flask-SQLAlchemy's `Product.query…`: a legacy Query of the model.
  const query = [expr, ...expr.descendantsOfType('attribute').filter((c): c is Node => !!c)].find(
    (a) => a.type === 'attribute' && field(a, 'attribute')?.text === 'query' && /^[A-Z]\w*$/.test(field(a, 'object')?.text ?? '') && a.parent?.type === 'attribute',
  );
  if (query) {
    const { calls, end } = builderChain(query, TERMINAL);
    return { model: field(query, 'object')!.text, calls, insertAt: end.endIndex };
  }
  // The statement or the result in a variable, as 2.0-style code keeps them:
  // `stmt = select(Post)…; session.scalars(stmt).all()`, `result = session.execute(…); result.scalars()`.
  if (depth >= 3) return undefined;
  for (const id of chainVariables(expr)) {
    const value = assignedBefore(id);
    const found = value ? selectSource(value, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The variables a call chain starts from or passes as its first argument (`session.scalars(stmt)`, `result.scalars()`). */
function chainVariables(expr: Node): Node[] {
  const out: Node[] = [];
  for (let cur: Node | null = expr; cur; ) {
    if (cur.type === 'call') {
      const first = args(cur)[0];
      if (first?.type === 'identifier') out.push(first);
      cur = field(cur, 'function');
    } else if (cur.type === 'attribute') cur = field(cur, 'object');
    else if (cur.type === 'await' || cur.type === 'parenthesized_expression') cur = cur.namedChildren[0] ?? null;
    else {
      if (cur.type === 'identifier') out.push(cur);
      break;
    }
  }
  return out;
}

export const sqlalchemySelects: IteratedQuery = {
  orm: 'sqlalchemy',
  source(expr: Node): QuerySource | undefined {
    return selectSource(expr, 0);
  },
  eagerLoaded(calls: Node[]): string[] {
    const out: string[] = [];
    for (const c of calls) {
      if (calleeName(c) !== 'options') continue;
      for (const a of args(c)) for (const m of a.text.matchAll(/(?:selectinload|joinedload|subqueryload|immediateload|contains_eager)\(\s*\w+\.(\w+)/g)) out.push(m[1]);
    }
    return out;
  },
};
