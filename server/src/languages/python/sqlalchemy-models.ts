/**
 * SQLAlchemy/SQLModel/Flask-SQLAlchemy declarative models with `relationship()`, and the attribute
 * reads on items of iterated `select(Model)`/`session.query(Model)` results that load them lazily.
 * Relationships declared eager (`lazy="selectin"`, `"joined"`, …) are not lazy per item.
 */
import type { ItemAccessFact, ModelFact, RelationFact } from '../facts';
import { enclosingLoop } from './loops';
import { args, calleeName, chainCalls, field, keywordArg, walk, type Node } from './tree';

const MODEL_BASE = /(^|\.)(Base|DeclarativeBase|Model|SQLModel|\w+Base)$/;
const NOT_LAZY = /^(selectin|joined|subquery|immediate|raise|raise_on_sql|noload|dynamic|write_only)$/;

function stringValue(n: Node | undefined | null): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  return n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

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
  const out: ModelFact[] = [];
  for (const cls of root.descendantsOfType('class_definition')) {
    if (!cls) continue;
    const bases = field(cls, 'superclasses')?.namedChildren.map((b) => b?.text ?? '') ?? [];
    if (!bases.some((b) => MODEL_BASE.test(b))) continue;
    const name = field(cls, 'name')?.text;
    const body = field(cls, 'body');
    if (!name || !body) continue;
    const relations: RelationFact[] = [];
    for (const st of body.namedChildren) {
      const assign = st?.type === 'expression_statement' ? st.namedChildren[0] : undefined;
      if (assign?.type !== 'assignment') continue;
      const left = field(assign, 'left');
      const right = field(assign, 'right');
      if (left?.type !== 'identifier' || right?.type !== 'call' || !/(^|\.)(relationship|Relationship)$/.test(field(right, 'function')?.text ?? '')) continue;
      const rel = relationOf(left.text, right, field(assign, 'type')?.text ?? '');
      if (rel) relations.push(rel);
    }
    if (relations.length) out.push({ name, orm: 'sqlalchemy', relations, start: cls.startIndex, end: cls.endIndex });
  }
  return out;
}

/** Methods that execute a statement or read its rows: eager options go before them. */
const TERMINAL = /^(all|first|one|one_or_none|scalar|scalars|scalar_one|scalar_one_or_none|unique|execute|fetchall|yield_per|partitions)$/;

interface SelectSource {
  model: string;
  calls: Node[];
  insertAt: number;
  legacy: boolean;
}

function selectSource(expr: Node, depth = 0): SelectSource | undefined {
  if (depth > 3) return undefined;
  if (expr.type === 'identifier') {
    let scope: Node | null = expr.parent;
    while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
    let found: Node | undefined;
    if (scope) {
      walk(scope, (n) => {
        if (n.startIndex >= expr.startIndex) return false;
        if (n !== scope && (n.type === 'class_definition' || n.type === 'function_definition')) return false;
        if (n.type === 'assignment' && field(n, 'left')?.text === expr.text && field(n, 'right')) found = field(n, 'right')!;
      });
    }
    return found ? selectSource(found, depth + 1) : undefined;
  }
  // The select()/query() call: anywhere in the expression (session.scalars(select(Post)...).all()).
  const starts = [expr, ...expr.descendantsOfType('call').filter((c): c is Node => !!c)].filter(
    (c) => c.type === 'call' && /^((\w+\.)*(select|query))$/.test(field(c, 'function')?.text ?? '') && args(c).length === 1 && /^[A-Z]\w*$/.test(args(c)[0].text),
  );
  const start = starts[0];
  if (!start) return undefined;
  const legacy = calleeName(start) === 'query';
  // Walk out from select(Model) through the builder methods, stopping before execution methods.
  let end = start;
  const calls = [start];
  while (end.parent?.type === 'attribute' && end.parent.parent?.type === 'call') {
    const method = field(end.parent, 'attribute')?.text ?? '';
    if (TERMINAL.test(method)) break;
    end = end.parent.parent;
    calls.push(end);
  }
  return { model: args(start)[0].text, calls, insertAt: end.endIndex, legacy };
}

function eagerLoaded(calls: Node[]): string[] {
  const out: string[] = [];
  for (const c of calls) {
    if (calleeName(c) !== 'options') continue;
    for (const a of args(c)) for (const m of a.text.matchAll(/(?:selectinload|joinedload|subqueryload|immediateload|contains_eager)\(\s*\w+\.(\w+)/g)) out.push(m[1]);
  }
  return out;
}

export function selectItemAccesses(root: Node): ItemAccessFact[] {
  const out: ItemAccessFact[] = [];
  const seen = new Set<string>();
  for (const attr of root.descendantsOfType('attribute')) {
    if (!attr) continue;
    const obj = field(attr, 'object');
    const name = field(attr, 'attribute')?.text;
    if (obj?.type !== 'identifier' || !name) continue;
    if (attr.parent?.type === 'call' && field(attr.parent, 'function')?.id === attr.id) continue;
    const loop = enclosingLoop(attr);
    if (!loop || loop.fact.variables.length !== 1 || loop.fact.variables[0] !== obj.text) continue;
    const key = `${loop.fact.start}:${name}`;
    if (seen.has(key)) continue;
    const iterable = iterableOf(attr, loop.fact.start);
    const source = iterable ? selectSource(iterable) : undefined;
    if (!source) continue;
    seen.add(key);
    out.push({ orm: 'sqlalchemy', loop: loop.fact, model: source.model, field: name, eagerLoaded: eagerLoaded(source.calls), eagerInsert: source.insertAt, start: attr.startIndex, end: attr.endIndex });
  }
  return out;
}

function iterableOf(inside: Node, loopStart: number): Node | undefined {
  for (let n = inside.parent; n; n = n.parent) {
    if (n.startIndex !== loopStart) continue;
    if (n.type === 'for_statement') return field(n, 'right') ?? undefined;
    const clause = n.namedChildren.find((c) => c?.type === 'for_in_clause');
    if (clause) return field(clause, 'right') ?? undefined;
  }
  return undefined;
}

