/**
 * Django models and their relations (`ForeignKey`, `OneToOneField`, `ManyToManyField`), and the
 * the Django querysets whose items may load them lazily.
 */
import type { ModelFact, RelationFact } from '../facts';
import { throughVariables, type IteratedQuery, type QuerySource } from './item-access';
import { modelFieldFacts } from './model-fields';
import { modelClasses } from './model-classes';
import { args, assignmentStatements, calleeName, chainCalls, enclosingClass, enclosingFunction, field, keywordArg, stringValue, walk, type Node } from './tree';

const RELATION = /(^|\.)(ForeignKey|OneToOneField|ManyToManyField|ParentalKey|TreeForeignKey)$/;
const MODEL_BASE = /(^|\.)(Model|\w+Model|AbstractUser|AbstractBaseUser|MPTTModel)$/;

/**
 * A relation's target that names the user model without naming it: `settings.AUTH_USER_MODEL`,
 * `get_user_model()`, or a reusable app's own copy of the setting (allauth's
 * `app_settings.USER_MODEL`, `getattr(settings, "AUTH_USER_MODEL", "auth.User")` under a name).
 */
export function isUserModelReference(text: string): boolean {
  return /(^|\.)(AUTH_)?USER_MODEL$|get_user_model\(\)$/.test(text.trim());
}

/**
 * The setting a relation's target names a swappable model by, other than the user model's:
 * django-oauth-toolkit's `oauth2_settings.APPLICATION_MODEL` → `APPLICATION_MODEL`. The model is
 * the one whose `Meta.swappable` is that setting (`OAUTH2_PROVIDER_APPLICATION_MODEL`).
 */
export function swappableSetting(text: string): string | undefined {
  const m = /(?:^|\.)([A-Z][A-Z0-9_]*_MODEL)$/.exec(text.trim());
  return m && !isUserModelReference(text) ? m[1] : undefined;
}

/** Whether a model's `Meta.swappable` is the setting `setting` names (with the app's prefix or without). */
export function swapsFor(swappable: string | undefined, setting: string): boolean {
  return !!swappable && (swappable === setting || swappable.endsWith(`_${setting}`));
}

function relationOf(className: string, fieldName: string, call: Node): RelationFact | undefined {
  const kind = calleeName(call) ?? '';
  const first = args(call)[0];
  if (!first) return undefined;
  const to = first.type === 'keyword_argument' ? field(first, 'value') : first;
  const targetText = stringValue(to ?? undefined) ?? to?.text ?? '';
  // The user model: `User` unless swapped.
  const target = targetText === 'self' ? className : isUserModelReference(targetText) ? 'User' : targetText.split('.').pop()!;
  if (!/^\w+$/.test(target)) return undefined;
  const related = stringValue(keywordArg(call, 'related_name'));
  const toMany = kind === 'ManyToManyField';
  const oneToOne = kind === 'OneToOneField';
  // related_name="+" switches the reverse accessor off; one-to-one reverses are single rows.
  const reverseName = related === '+' || oneToOne ? undefined : (related ?? `${className.toLowerCase()}_set`);
  return { field: fieldName, kind: toMany ? 'to-many' : 'to-one', target, reverseName };
}

export function djangoModels(root: Node): ModelFact[] {
  return modelClasses(root, { orm: 'django', base: MODEL_BASE, relationCall: RELATION, relation: (cls, name, call) => relationOf(cls, name, call), more: (body) => modelFieldFacts(body, 'django') });
}

/** Generic views that list a queryset: `self.object_list` is theirs. */
const LIST_VIEW = /(^|\.)(\w*ListView|MultipleObjectMixin|\w*ArchiveView|ArchiveIndexView)$/;

/**
 * A list view's own queryset, read in one of its methods: `self.object_list`, `self.get_queryset()`,
 * or `context["object_list"]` (the page of it `get_context_data` gives). It is what the class's
 * `get_queryset` returns, else its `queryset = …`, else `model = Post` (all of Post's rows, with no
 * expression for a fix to extend). Null: not such an expression; undefined: one whose queryset
 * is not known.
 */
function listViewQueryset(expr: Node): QuerySource | undefined | null {
  const own =
    (expr.type === 'attribute' && field(expr, 'object')?.text === 'self' && field(expr, 'attribute')?.text === 'object_list') ||
    (expr.type === 'call' && field(expr, 'function')?.text === 'self.get_queryset' && args(expr).length === 0) ||
    (expr.type === 'subscript' && field(expr, 'value')?.type === 'identifier' && stringValue(field(expr, 'subscript')) === 'object_list');
  if (!own) return null;
  const fn = enclosingFunction(expr);
  const cls = fn && enclosingClass(fn);
  const bases = cls ? field(cls, 'superclasses')?.namedChildren ?? [] : [];
  if (!cls || !bases.some((b) => b && LIST_VIEW.test(b.text))) return undefined;
  const body = field(cls, 'body');
  let model: Node | undefined;
  let queryset: Node | undefined;
  for (const { left, right } of assignmentStatements(body)) {
    if (left?.text === 'queryset' && right) queryset = right;
    if (left?.text === 'model' && right?.type === 'identifier') model = right;
  }
  for (const st of body?.namedChildren ?? []) {
    const def = st?.type === 'decorated_definition' ? field(st, 'definition') : st;
    if (def?.type !== 'function_definition' || field(def, 'name')?.text !== 'get_queryset') continue;
    let returned: Node | undefined;
    walk(def, (n) => {
      if (returned || (n.type === 'function_definition' && n !== def)) return false;
      if (n.type === 'return_statement') returned = n.namedChildren[0] ?? undefined;
    });
    // The method's own queryset, or (through `super().get_queryset()`) one not known here.
    return returned && !/\bself\.(object_list|get_queryset)\b/.test(returned.text) ? throughVariables(returned, djangoQuerysets.source) : undefined;
  }
  if (queryset) return throughVariables(queryset, djangoQuerysets.source);
  return model ? { model: model.text, calls: [], insertAt: model.endIndex, noFix: true } : undefined;
}

/** Django: the queryset an iterable is (`Post.objects…`), and what it select/prefetch-relates. */
export const djangoQuerysets: IteratedQuery = {
  orm: 'django',
  source(expr: Node): QuerySource | undefined {
    const listed = listViewQueryset(expr);
    if (listed !== null) return listed;
    // `[c async for c in qs]`, `list(qs)`: the queryset's items, as they were.
    if (expr.type === 'list_comprehension') {
      const clause = expr.namedChildren.find((c) => c?.type === 'for_in_clause');
      const right = clause ? field(clause, 'right') : null;
      if (right && field(expr, 'body')?.text === field(clause!, 'left')?.text) return throughVariables(right, djangoQuerysets.source);
      return undefined;
    }
    if (expr.type === 'call' && field(expr, 'function')?.text === 'list' && args(expr).length === 1) return throughVariables(args(expr)[0], djangoQuerysets.source);
    const base = expr.type === 'subscript' ? field(expr, 'value') : expr;
    if (!base) return undefined;
    const calls = chainCalls(base);
    const head = calls[0] ? field(calls[0], 'function')?.text ?? '' : base.text;
    // A related manager of an object: `article.comments.all()`, the object from a queryset.
    const related = /^([a-z_]\w*)\.(\w+)\.(all|filter|exclude|order_by|select_related|prefetch_related)$/.exec(head);
    if (related && related[2] !== 'objects') {
      const owner = field(field(field(calls[0], 'function')!, 'object')!, 'object');
      const from = owner ? throughVariables(owner, (e) => (e.type === 'call' && calleeName(e) === 'get_object_or_404' && args(e)[0]?.type === 'identifier' ? { model: args(e)[0].text, calls: [], insertAt: e.endIndex } : djangoQuerysets.source(e))) : undefined;
      if (!from || from.through || calls.some((c) => /^(values|values_list|only|defer|iterator)$/.test(calleeName(c) ?? ''))) return undefined;
      return { model: from.model, through: related[2], calls, insertAt: base.endIndex };
    }
    const m = /^(\w+)\.objects(\.\w+)?$/.exec(head);
    if (!m) return undefined;
    // values()/values_list() yield dicts and tuples: no related objects to load.
    if (calls.some((c) => /^(values|values_list|only|defer|iterator)$/.test(calleeName(c) ?? ''))) return undefined;
    return { model: m[1], calls, insertAt: base.endIndex };
  },
  eagerLoaded(calls: Node[]): string[] {
    const out: string[] = [];
    for (const c of calls) {
      const name = calleeName(c);
      if (name !== 'select_related' && name !== 'prefetch_related') continue;
      // select_related() with no arguments follows every non-null foreign key.
      if (name === 'select_related' && args(c).length === 0) out.push('*');
      for (const a of args(c)) {
        const v = stringValue(a) ?? (a.type === 'call' && calleeName(a) === 'Prefetch' ? stringValue(args(a)[0]) : undefined);
        // `comments__author`: `comments`, then their `author` (every prefix is loaded).
        if (v) v.split('__').forEach((_, i, parts) => out.push(parts.slice(0, i + 1).join('__')));
      }
    }
    return out;
  },
};
