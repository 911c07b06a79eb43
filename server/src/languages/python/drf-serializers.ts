/**
 * Django REST framework: what a ModelSerializer reads of each object it serializes, and the view
 * classes that serialize a queryset with one. A list endpoint serializes every row of its queryset:
 * a relation the serializer reads (`source="author.name"`, a nested `AuthorSerializer()`, `obj.comments`
 * in a `get_…` method) is a query per row unless the queryset loads it (`select_related`,
 * `prefetch_related`).
 */
import type { DrfViewFact, SerializerFact } from '../facts';
import { throughVariables } from './item-access';
import { djangoQuerysets } from './models';
import { args, assignmentStatements, field, keywordArg, nodesOfType, stringValue, walk, type Node } from './tree';

const MODEL_SERIALIZER = /(^|\.)(ModelSerializer|HyperlinkedModelSerializer)$/;

function classBody(cls: Node): Node | null {
  return field(cls, 'body');
}

function bases(cls: Node): string[] {
  return field(cls, 'superclasses')?.namedChildren.map((b) => b?.text ?? '') ?? [];
}

/** The attributes of a class's `class Meta` (`model = Post`, `fields = [...]`, `depth = 1`). */
function meta(cls: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const inner of classBody(cls)?.namedChildren ?? []) {
    if (inner?.type !== 'class_definition' || field(inner, 'name')?.text !== 'Meta') continue;
    for (const { left, right } of assignmentStatements(field(inner, 'body'))) if (left?.type === 'identifier' && right) out.set(left.text, right);
  }
  return out;
}

export function drfSerializers(root: Node): SerializerFact[] {
  const out: SerializerFact[] = [];
  for (const cls of nodesOfType(root, 'class_definition')) {
    if (!cls || !bases(cls).some((b) => MODEL_SERIALIZER.test(b))) continue;
    const name = field(cls, 'name')?.text;
    const options = meta(cls);
    const model = options.get('model')?.type === 'identifier' ? options.get('model')!.text : undefined;
    if (!name || !model) continue;
    const reads: SerializerFact['reads'] = [];
    const declared = new Set<string>();
    for (const { left, right } of assignmentStatements(classBody(cls))) {
      if (left?.type === 'identifier') declared.add(left.text);
      if (left?.type !== 'identifier' || right?.type !== 'call') continue;
      const source = stringValue(keywordArg(right, 'source'));
      const callee = field(right, 'function')?.text ?? '';
      // `author_name = serializers.CharField(source="author.name")`, `count = IntegerField(source="comments.count")`.
      if (source?.includes('.')) {
        const [first, second] = source.split('.');
        reads.push({ field: first, via: `source="${source}"`, ...(second === 'count' ? { count: true } : {}) });
      } else if (/Serializer$/.test(callee) && !/^serializers\./.test(callee)) {
        // A nested serializer: `author = AuthorSerializer()`, `comments = CommentSerializer(many=True)`.
        reads.push({ field: source ?? left.text, via: `${callee}(${args(right).map((a) => a.text).join(', ')})`, serializer: callee });
      }
    }
    // `def get_comment_count(self, obj): return obj.comments.count()`, and what the serializer's own
    // methods it hands the object to read of it (`return self.count_of(obj)`).
    const methods = new Map<string, Node>();
    for (const st of classBody(cls)?.namedChildren ?? []) {
      const fn = st?.type === 'decorated_definition' ? field(st, 'definition') : st;
      const fname = fn?.type === 'function_definition' ? field(fn, 'name')?.text : undefined;
      if (fn && fname) methods.set(fname, fn);
    }
    for (const [fname, fn] of methods) {
      if (!fname.startsWith('get_')) continue;
      objectReads(fn, 1, methods, (attr, count, through) => {
        const via = through.length ? `${fname} → ${through.join(' → ')}` : fname;
        if (!reads.some((r) => r.field === attr && r.via === via)) reads.push({ field: attr, via, ...(count ? { count: true } : {}) });
      });
    }
    // `Meta.fields` not declared above (`fields = ["id", "tags"]`): a to-many relation listed becomes
    // a list of its keys, read per object; with `depth`, every relation listed is serialized nested,
    // a foreign key too.
    const depth = options.get('depth');
    const nested = depth?.type === 'integer' && depth.text !== '0';
    const listed = options.get('fields');
    const excluded = options.get('exclude');
    // `fields = "__all__"` or `exclude = [...]`: every field of the model (its own relations, not
    // the reverse ones), the relations the model declares at the rule's time.
    if (stringValue(listed) === '__all__' || excluded?.type === 'list' || excluded?.type === 'tuple') {
      const except = [...declared, ...(excluded?.namedChildren ?? []).map((f) => stringValue(f)).filter((v): v is string => !!v)];
      const via = excluded && stringValue(listed) !== '__all__' ? 'Meta.exclude' : 'Meta.fields = "__all__"';
      reads.push({ field: '*', except, via: nested ? `${via}, depth = ${depth!.text}` : via, ...(nested ? {} : { toManyOnly: true }) });
    } else if (listed?.type === 'list' || listed?.type === 'tuple') {
      for (const f of listed.namedChildren) {
        const v = f ? stringValue(f) : undefined;
        if (v && !declared.has(v)) reads.push({ field: v, via: nested ? `Meta.fields, depth = ${depth!.text}` : 'Meta.fields', ...(nested ? {} : { toManyOnly: true }) });
      }
    }
    if (reads.length) out.push({ name, model, reads });
  }
  return out;
}

/** Calls into other methods followed from a `get_` method: a helper of a helper, not further. */
const MAX_HELPER_DEPTH = 2;

/**
 * The attributes `fn` reads of its parameter number `param` (0: `self`), and of what it hands that
 * parameter to among the class's `methods` (`self.helper(obj)`, `self.helper(item=obj)`): `read`
 * gets each attribute, whether it is counted (`obj.comments.count()`) and the methods it went
 * through.
 */
function objectReads(fn: Node, param: number, methods: ReadonlyMap<string, Node>, read: (attr: string, count: boolean, through: string[]) => void, through: string[] = []): void {
  const params = field(fn, 'parameters')?.namedChildren.filter((p): p is Node => !!p) ?? [];
  const p = params[param];
  const obj = p?.type === 'identifier' ? p.text : p?.type === 'default_parameter' || p?.type === 'typed_parameter' || p?.type === 'typed_default_parameter' ? (field(p, 'name') ?? p.namedChildren[0])?.text : undefined;
  if (!obj) return;
  walk(fn, (n) => {
    if (n.type === 'attribute' && field(n, 'object')?.text === obj) {
      const attr = field(n, 'attribute')?.text;
      if (!attr) return;
      const next = n.parent?.type === 'attribute' && n.parent.parent?.type === 'call' ? field(n.parent, 'attribute')?.text : undefined;
      read(attr, next === 'count', through);
      return;
    }
    if (n.type !== 'call' || through.length >= MAX_HELPER_DEPTH) return;
    const callee = field(n, 'function');
    if (callee?.type !== 'attribute' || field(callee, 'object')?.text !== 'self') return;
    const name = field(callee, 'attribute')?.text ?? '';
    const target = methods.get(name);
    if (!target || target === fn || through.includes(name)) return;
    const targetParams = field(target, 'parameters')?.namedChildren.filter((x): x is Node => !!x) ?? [];
    args(n).forEach((a, i) => {
      if (a.type === 'identifier' && a.text === obj) objectReads(target, i + 1, methods, read, [...through, name]);
      else if (a.type === 'keyword_argument' && field(a, 'value')?.text === obj) {
        const at = targetParams.findIndex((x) => (x.type === 'identifier' ? x.text : (field(x, 'name') ?? x.namedChildren[0])?.text) === field(a, 'name')?.text);
        if (at > 0) objectReads(target, at, methods, read, [...through, name]);
      }
    });
  });
}

/** The `return` expressions of a method (`def get_queryset(self): return Post.objects…`). */
function returned(fn: Node): Node[] {
  const out: Node[] = [];
  walk(fn, (n) => {
    if (n !== fn && (n.type === 'function_definition' || n.type === 'lambda')) return false;
    if (n.type === 'return_statement' && n.namedChildren[0]) out.push(n.namedChildren[0]);
  });
  return out;
}

/**
 * Where querysets are serialized a row at a time: view classes with `serializer_class =
 * PostSerializer` and a `queryset = Post.objects…` (or a `get_queryset()` that returns one), and
 * `PostSerializer(posts, many=True)` on a queryset (through a variable) in any function.
 */
export function drfViews(root: Node, imported: ReadonlyMap<string, { module: string; name: string }>): DrfViewFact[] {
  const out: DrfViewFact[] = [];
  const add = (serializer: Node, queryset: Node) => {
    const source = throughVariables(queryset, (e) => djangoQuerysets.source(e));
    if (!source) return;
    const from = imported.get(serializer.text);
    const expr = source.calls[source.calls.length - 1] ?? queryset;
    out.push({
      serializer: { local: serializer.text, module: from?.module, name: from?.name ?? serializer.text },
      model: source.model,
      eagerLoaded: djangoQuerysets.eagerLoaded(source.calls),
      insertAt: source.insertAt,
      start: expr.startIndex,
      end: source.insertAt,
    });
  };
  for (const cls of nodesOfType(root, 'class_definition')) {
    if (!cls) continue;
    let serializer: Node | undefined;
    const querysets: Node[] = [];
    for (const { left, right } of assignmentStatements(classBody(cls))) {
      if (left?.text === 'serializer_class' && right?.type === 'identifier') serializer = right;
      if (left?.text === 'queryset' && right) querysets.push(right);
    }
    for (const st of classBody(cls)?.namedChildren ?? []) {
      const fn = st?.type === 'decorated_definition' ? field(st, 'definition') : st;
      if (fn?.type === 'function_definition' && field(fn, 'name')?.text === 'get_queryset') querysets.push(...returned(fn));
    }
    if (serializer) for (const q of querysets) add(serializer, q);
  }
  // `PostSerializer(posts, many=True).data` in a function view.
  for (const call of nodesOfType(root, 'call')) {
    const callee = call ? field(call, 'function') : null;
    if (!call || callee?.type !== 'identifier' || !/Serializer$/.test(callee.text)) continue;
    const many = keywordArg(call, 'many');
    const first = args(call)[0];
    if (many?.type === 'true' && first && first.type !== 'keyword_argument') add(callee, first);
  }
  return out;
}

/** Whether a file may hold serializers or DRF views (cheap, before walking its classes). */
export function mayUseDrf(text: string): boolean {
  return text.includes('Serializer');
}

