/**
 * Django models and their relations (`ForeignKey`, `OneToOneField`, `ManyToManyField`), and the
 * attribute reads on items of iterated querysets that may load those relations lazily.
 */
import type { ItemAccessFact, ModelFact, RelationFact } from '../facts';
import { enclosingLoop } from './loops';
import { args, calleeName, chainCalls, field, keywordArg, walk, type Node } from './tree';

const RELATION = /(^|\.)(ForeignKey|OneToOneField|ManyToManyField|ParentalKey|TreeForeignKey)$/;
const MODEL_BASE = /(^|\.)(Model|\w+Model|AbstractUser|AbstractBaseUser|MPTTModel)$/;

function stringValue(n: Node | undefined): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  return n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

function relationOf(className: string, fieldName: string, call: Node): RelationFact | undefined {
  const kind = calleeName(call) ?? '';
  const first = args(call)[0];
  if (!first) return undefined;
  const to = first.type === 'keyword_argument' ? field(first, 'value') : first;
  const targetText = stringValue(to ?? undefined) ?? to?.text ?? '';
  const target = targetText === 'self' ? className : targetText.split('.').pop()!;
  if (!/^\w+$/.test(target)) return undefined;
  const related = stringValue(keywordArg(call, 'related_name'));
  const toMany = kind === 'ManyToManyField';
  const oneToOne = kind === 'OneToOneField';
  // related_name="+" switches the reverse accessor off; one-to-one reverses are single rows.
  const reverseName = related === '+' || oneToOne ? undefined : (related ?? `${className.toLowerCase()}_set`);
  return { field: fieldName, kind: toMany ? 'to-many' : 'to-one', target, reverseName };
}

export function djangoModels(root: Node): ModelFact[] {
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
      if (left?.type !== 'identifier' || right?.type !== 'call' || !RELATION.test(field(right, 'function')?.text ?? '')) continue;
      const rel = relationOf(name, left.text, right);
      if (rel) relations.push(rel);
    }
    out.push({ name, orm: 'django', relations, start: cls.startIndex, end: cls.endIndex });
  }
  return out;
}

interface QuerysetSource {
  model: string;
  calls: Node[];
  /** End of the queryset expression, before a slice. */
  insertAt: number;
}

/** The Django queryset an iterable is: `Post.objects…`, or a variable assigned one earlier in the function. */
function querysetSource(expr: Node, depth = 0): QuerysetSource | undefined {
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
    return found ? querysetSource(found, depth + 1) : undefined;
  }
  const base = expr.type === 'subscript' ? field(expr, 'value') : expr;
  if (!base) return undefined;
  const calls = chainCalls(base);
  const head = calls[0] ? field(calls[0], 'function')?.text ?? '' : base.text;
  const m = /^(\w+)\.objects(\.\w+)?$/.exec(head);
  if (!m) return undefined;
  // values()/values_list() yield dicts and tuples: no related objects to load.
  if (calls.some((c) => /^(values|values_list|only|defer|iterator)$/.test(calleeName(c) ?? ''))) return undefined;
  return { model: m[1], calls, insertAt: base.endIndex };
}

function eagerLoaded(calls: Node[]): string[] {
  const out: string[] = [];
  for (const c of calls) {
    const name = calleeName(c);
    if (name !== 'select_related' && name !== 'prefetch_related') continue;
    // select_related() with no arguments follows every non-null foreign key.
    if (name === 'select_related' && args(c).length === 0) out.push('*');
    for (const a of args(c)) {
      const v = stringValue(a) ?? (a.type === 'call' && calleeName(a) === 'Prefetch' ? stringValue(args(a)[0]) : undefined);
      if (v) out.push(v.split('__')[0]);
    }
  }
  return out;
}

/** `item.field` reads in the bodies of loops over querysets. */
export function itemAccesses(root: Node): ItemAccessFact[] {
  const out: ItemAccessFact[] = [];
  const seen = new Set<string>();
  for (const attr of root.descendantsOfType('attribute')) {
    if (!attr) continue;
    const obj = field(attr, 'object');
    const name = field(attr, 'attribute')?.text;
    if (obj?.type !== 'identifier' || !name) continue;
    // A method call on the item (`post.save()`) is not a relation read.
    if (attr.parent?.type === 'call' && field(attr.parent, 'function')?.id === attr.id) continue;
    const loop = enclosingLoop(attr);
    if (!loop || !loop.fact.variables.includes(obj.text) || loop.fact.variables.length !== 1) continue;
    const key = `${loop.fact.start}:${name}`;
    if (seen.has(key)) continue;
    const iterable = iterableNode(attr, loop.fact.start);
    const source = iterable ? querysetSource(iterable) : undefined;
    if (!source) continue;
    seen.add(key);
    out.push({ orm: 'django', loop: loop.fact, model: source.model, field: name, eagerLoaded: eagerLoaded(source.calls), eagerInsert: source.insertAt, start: attr.startIndex, end: attr.endIndex });
  }
  return out;
}

/** The iterable expression of the loop that starts at `loopStart`, found from inside it. */
function iterableNode(inside: Node, loopStart: number): Node | undefined {
  for (let n = inside.parent; n; n = n.parent) {
    if (n.startIndex !== loopStart) continue;
    if (n.type === 'for_statement') return field(n, 'right') ?? undefined;
    const clause = n.namedChildren.find((c) => c?.type === 'for_in_clause');
    if (clause) return field(clause, 'right') ?? undefined;
  }
  return undefined;
}
