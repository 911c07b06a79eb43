/**
 * What a Django queryset filters by: the keyword arguments of its `filter(…)` and `get(…)` calls
 * (chained filters all apply), or of `get_object_or_404(Model, …)`, as FilterFact. `exclude(…)` is left out: a negated condition is not
 * one an index serves.
 */
import type { FilterFact } from '../facts';
import { args, calleeName, field, type Node } from './tree';

const OPS: Record<string, FilterFact['fields'][number]['op']> = {
  exact: 'eq',
  in: 'in',
  gt: 'range',
  gte: 'range',
  lt: 'range',
  lte: 'range',
  range: 'range',
};

/** `shortcut`: `get_object_or_404(Model, …)`, whose first argument is the model (or a queryset). */
export function djangoFilter(calls: readonly Node[], shortcut = false): FilterFact | undefined {
  const out: FilterFact = { fields: [], complete: true };
  for (const call of calls) {
    const method = calleeName(call);
    if (!shortcut && method !== 'filter' && method !== 'get') continue;
    for (const a of shortcut ? args(call).slice(1) : args(call)) {
      // `Q(…) | Q(…)`, `**filters`: conditions not read here.
      if (a.type !== 'keyword_argument') {
        out.complete = false;
        continue;
      }
      const key = field(a, 'name')!;
      const value = field(a, 'value');
      const [name, ...rest] = key.text.split('__');
      // `author__name=…` goes through a relation; `created__date=…` transforms the column.
      if (rest.length > 1 || (rest.length === 1 && !(rest[0] in OPS) && !/^(iexact|contains|icontains|startswith|istartswith|endswith|iendswith|regex|iregex|isnull|search)$/.test(rest[0]))) {
        out.complete = false;
        continue;
      }
      const op = rest.length === 0 ? 'eq' : (OPS[rest[0]] ?? 'other');
      out.fields.push({ name, op: value?.type === 'none' ? 'other' : op, start: key.startIndex, end: key.endIndex });
    }
  }
  return out.fields.length ? out : undefined;
}
