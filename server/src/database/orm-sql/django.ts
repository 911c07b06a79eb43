/**
 * Django QuerySet chains → the SQL Django's PostgreSQL backend sends: `Model.objects` followed by
 * filter/exclude (field lookups across foreign keys and many-to-many joins), order_by (else
 * `Meta.ordering`), slicing, values/values_list, select_related (JOINs), distinct, and the terminal
 * get/first/last/count/exists. Django's own forms are kept where plans depend on them: `get()`
 * fetches up to 21 rows, `exclude()` on a nullable column adds `IS NOT NULL`, case-insensitive
 * lookups compare `UPPER(...)`, and other types are cast to text for pattern lookups.
 */
import type { Node } from 'web-tree-sitter';
import { assignedBefore } from '../../languages/python/item-access';
import { isTextField, type DjangoField, type DjangoModel, type DjangoModels } from './django-models';
import { pyCodeValue, pyConstant, pyString } from './python-values';
import { and, column, literal, not, or, Parameters, quoteName, renderInsert, renderSelect, renderWrite, valueSql, type CodeValue } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';

interface Step {
  method: string;
  args: Node[];
  /** A subscript: `[a:b]` or `[i]`. */
  slice?: { start?: Node; end?: Node; index?: Node };
}

const LOOKUPS = new Set(['exact', 'iexact', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'isnull', 'range']);
/** Django's MAX_GET_RESULTS: get() reads one row more than it needs, to report MultipleObjectsReturned. */
const GET_LIMIT = 21;

export function translateDjangoQuery(node: Node, models: DjangoModels): OrmTranslation {
  const text = node.text.replace(/\s*\n\s*/g, ' ');
  const fail = (what: string): never => {
    throw new UntranslatableCall(text, what);
  };
  const { modelName, steps } = decompose(node, fail);
  const model = models.model(modelName) ?? fail(`no Django model \`${modelName}\` found (looked in the workspace index and the models.py files near this file)`);
  if (model.unsupported) fail(`model ${model.name} uses ${model.unsupported}`);
  const params = new Parameters();
  const notes: string[] = [];
  const where: string[] = [];
  const joins = new Map<string, string>();
  let ordering: string[] | undefined;
  let columns: string[] | undefined;
  /** only()/defer(): the model's fields read (the primary key always). */
  let onlyFields: Set<string> | undefined;
  const deferred = new Set<string>();
  /** values() after annotate(): its columns are the select list, the annotations it names among them. */
  let picked = false;
  let distinct = false;
  let limit: number | string | undefined;
  let offset: number | string | undefined;
  let terminal: 'rows' | 'count' | 'exists' | 'update' | 'delete' | 'insert' | 'aggregate' = 'rows';
  const assignments: Array<[string, string]> = [];
  const related: Array<{ field: DjangoField; target: DjangoModel }> = [];
  /** annotate(): alias → the aggregate's SQL, in order; the rows are then grouped. */
  const annotations = new Map<string, string>();
  const having: string[] = [];
  /** values() before annotate(): the columns the rows are grouped by (else the primary keys). */
  let groupedBy: string[] | undefined;
  /** aggregate(): its aggregates, alias → SQL. */
  let aggregates: Map<string, string> | undefined;
  const table = model.table;
  const pk = model.fields.find((f) => f.primaryKey)!;

  for (const step of steps) {
    if (terminal !== 'rows') fail(`\`.${step.method}\` after a terminal method`);
    if ((limit !== undefined || offset !== undefined) && step.method !== 'slice' && !['count', 'exists', 'values', 'values_list', 'iterator', 'only', 'defer', 'using'].includes(step.method)) fail(`\`.${step.method}()\` after a slice (Django refuses to filter or order a sliced queryset)`);
    switch (step.method) {
      case 'all':
        break;
      case 'filter':
      case 'exclude':
      case 'get':
      case 'get_or_create':
      case 'update_or_create': {
        let lookups = step.method.endsWith('_or_create') ? { ...step, args: step.args.filter((a) => !/^(create_)?defaults$/.test(a.childForFieldName('name')?.text ?? '')) } : step;
        // A filter on an annotation (`n__gt=5` after `annotate(n=Count(…))`) filters the groups: HAVING.
        const onAnnotation = (a: Node) => a.type === 'keyword_argument' && annotationIn(a.childForFieldName('name')!.text) !== undefined;
        if (lookups.args.some(onAnnotation)) {
          if (step.method !== 'filter') fail(`${step.method}() on an annotation is not translated`);
          for (const a of lookups.args.filter(onAnnotation)) having.push(annotationCondition(a));
          lookups = { ...lookups, args: lookups.args.filter((a) => !onAnnotation(a)) };
        }
        const conds = keywordConditions(lookups, step.method === 'exclude');
        if (conds.length) where.push(step.method === 'exclude' ? not(and(conds)) : and(conds));
        if (step.method !== 'filter' && step.method !== 'exclude') {
          limit = GET_LIMIT;
          notes.push(`get() reads up to ${GET_LIMIT} rows, to raise MultipleObjectsReturned when there is more than one`);
        }
        if (step.method === 'get_or_create') notes.push('this is the get; when no row matches, Django then INSERTs one (in a savepoint) and reads again if that INSERT meets a unique violation');
        if (step.method === 'update_or_create') notes.push('this is the get, which Django runs with SELECT … FOR UPDATE in a transaction; then it UPDATEs the row it found, or INSERTs one');
        break;
      }
      case 'update':
        for (const a of step.args) {
          if (a.type !== 'keyword_argument') fail('update() with positional arguments');
          const f = fieldOf(model, a.childForFieldName('name')!.text);
          if (!f.column) fail(`update(${f.name}=…): \`${f.name}\` is a many-to-many relation`);
          const value = a.childForFieldName('value')!;
          if (/(^|[^\w.])(models\.)?F\(/.test(value.text)) fail(`update(${f.name}=${value.text}): F() expressions are not translated`);
          assignments.push([f.column!, valueSql(pyCodeValue(value), params)]);
        }
        if (assignments.length === 0) fail('update() with nothing to set (Django runs no query)');
        terminal = 'update';
        break;
      case 'create': {
        const given = new Map<string, () => string>();
        for (const a of step.args) {
          if (a.type !== 'keyword_argument') fail(`create() with \`${a.text}\` (only keyword arguments are translated)`);
          give(given, step.method, a.childForFieldName('name')!.text, a.childForFieldName('value')!);
        }
        insertAll(given);
        terminal = 'insert';
        break;
      }
      case 'create_user':
      case 'create_superuser': {
        // UserManager: create_user(username, email=None, password=None, **extra_fields), the
        // password hashed (make_password), the email normalised, is_staff/is_superuser set.
        const given = new Map<string, () => string>();
        const names = ['username', 'email', 'password'];
        step.args.forEach((a, i) => {
          if (a.type === 'keyword_argument') give(given, step.method, a.childForFieldName('name')!.text, a.childForFieldName('value')!);
          else if (a.type === 'list_splat' || a.type === 'dictionary_splat' || i >= names.length) fail(`${step.method}() with \`${a.text}\` is not translated`);
          else give(given, step.method, names[i], a);
        });
        const password = fieldOf(model, 'password');
        given.set(password.column!, () => params.add(`the hash of the password (make_password)`));
        const superuser = step.method === 'create_superuser';
        for (const flag of ['is_staff', 'is_superuser']) {
          const f = model.fields.find((x) => x.name === flag);
          if (f?.column && !given.has(f.column)) given.set(f.column, () => (superuser ? 'true' : 'false'));
        }
        insertAll(given);
        terminal = 'insert';
        break;
      }
      case 'delete':
        terminal = 'delete';
        notes.push(`Django deletes this way when no other model's foreign key cascades from ${model.name} and no delete signal listens; else it first SELECTs the rows (and the related ones) and deletes them by id`);
        break;
      case 'order_by':
        ordering = step.args.map((a) => pyString(a) ?? fail(`order_by(${a.text}): only string field names are translated`));
        break;
      case 'reverse':
        ordering = (ordering ?? model.ordering).map((o) => (o.startsWith('-') ? o.slice(1) : `-${o}`));
        break;
      case 'only':
      case 'defer': {
        // only(): the primary key and the fields named (a later only() replaces it); defer(): every field but those (each adds).
        const names = step.args.map((a) => pyString(a) ?? fail(`${step.method}(${a.text}): only string field names are translated`));
        for (const n of names) if (n.includes('__')) fail(`${step.method}("${n}") of a related model's field is not translated`);
        for (const n of names) fieldOf(model, n);
        if (step.method === 'only') onlyFields = new Set(names.map((n) => fieldOf(model, n).name));
        else for (const n of names) deferred.add(fieldOf(model, n).name);
        break;
      }
      case 'iterator':
        notes.push('iterator() reads the rows through a server-side cursor, chunk_size (2000) at a time: the same query');
        break;
      case 'using':
        break;
      case 'none':
        fail('none() runs no query');
        break;
      case 'distinct':
        if (step.args.length) fail('distinct(fields) is not translated');
        distinct = true;
        break;
      case 'values':
      case 'values_list': {
        // values() with no names reads every column, like the model's own select.
        const names = step.args.filter((a) => a.type !== 'keyword_argument');
        columns = names.length
          ? names.map((a) => {
            const name = pyString(a) ?? fail(`${step.method}(${a.text}): only string field names are translated`);
            return annotations.has(name) ? `${annotations.get(name)} AS ${quoteName(name)}` : resolvePath(name, 'select').target;
          })
          : undefined;
        // After annotate(), values() selects what it names, annotations included; before it, the annotations follow.
        if (annotations.size) picked = true;
        break;
      }
      case 'select_related': {
        const names = step.args.length ? step.args.map((a) => pyString(a) ?? fail(`select_related(${a.text}) is not translated`)) : model.fields.filter((f) => f.kind === 'foreign-key' && !f.nullable).map((f) => f.name);
        for (const name of names) {
          if (name.includes('__')) fail(`select_related("${name}") across more than one relation is not translated`);
          const f = fieldOf(model, name);
          if (f.kind !== 'foreign-key') fail(`select_related("${name}"): \`${name}\` is not a foreign key`);
          const target = targetOf(f);
          join(target.table, `${f.nullable ? 'LEFT OUTER JOIN' : 'INNER JOIN'} ${quoteName(target.table)} ON (${column(table, f.column!)} = ${column(target.table, pkOf(target).column!)})`);
          related.push({ field: f, target });
        }
        break;
      }
      case 'annotate':
        for (const a of step.args) {
          const { alias, sql } = aggregateOf(a);
          if (annotations.has(alias) || model.fields.some((f) => f.name === alias)) fail(`the annotation \`${alias}\` conflicts with a field or another annotation`);
          annotations.set(alias, sql);
        }
        // values() before annotate() groups by its columns; values() after it only picks the columns.
        if (columns && !groupedBy) groupedBy = columns;
        break;
      case 'aggregate':
        if (annotations.size) fail('aggregate() over annotations (a subquery) is not translated');
        aggregates = new Map(step.args.map((a) => {
          const { alias, sql } = aggregateOf(a);
          return [alias, sql];
        }));
        if (aggregates.size === 0) fail('aggregate() with no aggregates');
        terminal = 'aggregate';
        break;
      case 'prefetch_related':
        for (const a of step.args) notes.push(`prefetch_related(${a.text}): Django runs one more query per relation, with the ids of the rows above (\`WHERE … IN (…)\`)`);
        break;
      case 'count':
        terminal = 'count';
        break;
      case 'exists':
        terminal = 'exists';
        break;
      case 'first':
      case 'last': {
        let o = ordering ?? model.ordering;
        if (o.length === 0) o = [pk.name];
        ordering = step.method === 'last' ? o.map((x) => (x.startsWith('-') ? x.slice(1) : `-${x}`)) : o;
        limit = 1;
        break;
      }
      case 'slice': {
        const s = step.slice!;
        if (s.index) {
          limit = 1;
          offset = sliceValue(s.index);
        } else {
          const start = s.start ? pyConstant(s.start) : 0;
          const end = s.end ? pyConstant(s.end) : undefined;
          if (s.start) offset = sliceValue(s.start);
          if (s.end) {
            if (typeof start === 'number' && typeof end === 'number') limit = end - start;
            else if (!s.start || (typeof start === 'number' && start === 0)) limit = sliceValue(s.end);
            else {
              // `[start:start + n]`: the page size is n, whatever start is.
              const right = s.end.type === 'binary_operator' && s.end.childForFieldName('operator')?.text === '+' && s.end.childForFieldName('left')?.text === s.start.text ? s.end.childForFieldName('right') : undefined;
              const size = right ? pyConstant(right) : undefined;
              limit = typeof size === 'number' ? size : params.add(`(${s.end.text}) - (${s.start.text})`);
            }
          }
        }
        break;
      }
      default:
        fail(`\`.${step.method}()\` is not translated`);
    }
  }

  // Grouped by the primary keys of the tables selected (PostgreSQL allows the other columns then), or values()'s columns.
  const groupBy = annotations.size ? groupedBy ?? [column(table, pk.column!), ...related.map((r) => column(r.target.table, pkOf(r.target).column!))] : [];
  // Django leaves Meta.ordering out of a grouped query (Django 3.1+).
  const orderBy = terminal === 'rows' ? (ordering ?? (annotations.size ? [] : model.ordering)).map(orderTerm) : [];
  if (terminal === 'rows' && ordering === undefined && model.ordering.length && !annotations.size) notes.push(`ordered by Meta.ordering of ${model.name} (${model.ordering.join(', ')})`);
  const from = quoteName(table);
  const limitSql = limit === undefined ? undefined : String(limit);
  const offsetSql = offset === undefined ? undefined : String(offset);
  const ownFields = model.fields.filter((f) => f.primaryKey || ((!onlyFields || onlyFields.has(f.name)) && !deferred.has(f.name)));
  for (const r of related) if (!ownFields.includes(r.field)) fail(`${model.name}.${r.field.name} cannot be both deferred and traversed with select_related (Django raises FieldError)`);
  const rowColumns = columns ?? [...ownFields, ...related.flatMap((r) => r.target.fields.map((f) => ({ ...f, owner: r.target.table })))]
    .filter((f) => f.column)
    .map((f) => column((f as { owner?: string }).owner ?? table, f.column!));
  const annotated = picked ? rowColumns : [...rowColumns, ...[...annotations].map(([alias, agg]) => `${agg} AS ${quoteName(alias)}`)];
  let sql: string;
  const base = { from, joins: [...joins.values()], where };
  const grouping = { groupBy, having };
  if (terminal === 'aggregate') {
    sql = renderSelect({ ...base, columns: [...aggregates!].map(([alias, agg]) => `${agg} AS ${quoteName(alias)}`) });
  } else if (terminal === 'count' && annotations.size) {
    // Counting groups: Django counts the rows of the grouped query in a subquery.
    sql = `SELECT COUNT(*) FROM (${renderSelect({ ...base, ...grouping, columns: [`${distinct ? 'DISTINCT ' : ''}${annotated.join(', ')}`], limit: limitSql, offset: offsetSql })}) subquery`;
  } else if (terminal !== 'rows' && annotations.size) {
    sql = fail(`${terminal}() after annotate() is not translated`);
  } else if (terminal === 'count') {
    sql = limitSql || offsetSql || distinct
      ? `SELECT COUNT(*) FROM (${renderSelect({ ...base, columns: [`${distinct ? 'DISTINCT ' : ''}${rowColumns.join(', ')}`], limit: limitSql, offset: offsetSql })}) subquery`
      : renderSelect({ ...base, columns: ['COUNT(*) AS "__count"'] });
  } else if (terminal === 'insert') {
    sql = `${renderInsert(quoteName(table), [new Map(assignments)], quoteName, (v) => v)} RETURNING ${column(table, pk.column!)}`;
  } else if (terminal === 'update' || terminal === 'delete') {
    sql = renderWrite({ table, key: pk.column!, set: terminal === 'update' ? assignments : undefined, joins: [...joins.values()], where });
  } else if (terminal === 'exists') {
    sql = renderSelect({ ...base, columns: ['1 AS "a"'], limit: '1' });
  } else {
    sql = renderSelect({ ...base, ...grouping, columns: [`${distinct ? 'DISTINCT ' : ''}${annotated.join(', ')}`], orderBy, limit: limitSql, offset: offsetSql });
  }
  const inserted = steps.find((st) => /^create(_user|_superuser)?$/.test(st.method))?.method ?? 'create';
  const description = terminal === 'update' || terminal === 'delete' ? `${model.name}.objects… ${terminal}() → SQL` : terminal === 'insert' ? `${model.name}.objects.${inserted}() → SQL` : `${model.name}.objects… → SQL`;
  return { sql, description, notes: [...params.notes(), ...notes] };

  /** A value given for a field of an insert (`create(title=…)`), by the field's name. */
  function give(given: Map<string, () => string>, method: string, name: string, value: Node): void {
    const f = fieldOf(model, name);
    if (!f.column) fail(`${method}(${f.name}=…): \`${f.name}\` is a many-to-many relation (set after the insert)`);
    given.set(f.column!, () => valueSql(pyCodeValue(value), params));
  }

  /** Django inserts every concrete field but an auto-increment key; a field not given gets its default. */
  function insertAll(given: ReadonlyMap<string, () => string>): void {
    const defaulted: string[] = [];
    for (const f of model.fields) {
      if (!f.column || (f.primaryKey && /AutoField$/.test(f.type))) continue;
      const value = given.get(f.column);
      if (!value) defaulted.push(f.name);
      assignments.push([f.column, value ? value() : params.add(`the default of ${model.name}.${f.name}`)]);
    }
    if (defaulted.length) notes.push(`Django sends every field: ${defaulted.join(', ')} get their defaults (placeholders here)`);
  }

  function sliceValue(n: Node): number | string {
    const c = pyConstant(n);
    if (typeof c === 'number' && c < 0) fail('negative slices are not supported by Django');
    return typeof c === 'number' ? c : params.add(n.text);
  }

  function orderTerm(o: string): string {
    if (o === '?') return 'RANDOM()';
    const desc = o.startsWith('-');
    // An annotation is ordered by its alias.
    if (annotations.has(desc ? o.slice(1) : o)) return `${quoteName(desc ? o.slice(1) : o)} ${desc ? 'DESC' : 'ASC'}`;
    const { target } = resolvePath(desc ? o.slice(1) : o, 'order');
    return `${target} ${desc ? 'DESC' : 'ASC'}`;
  }

  function join(key: string, sql: string): void {
    if (key === table || (joins.has(key) && joins.get(key) !== sql)) fail(`the table ${key} is joined twice (Django aliases it; not translated)`);
    joins.set(key, sql);
  }

  function fieldOf(m: DjangoModel, name: string): DjangoField {
    if (name === 'pk') return pkOf(m);
    return m.fields.find((f) => f.name === name || (f.kind === 'foreign-key' && f.column === name)) ?? fail(`\`${name}\` is not a field of ${m.name}, nor the related name of a foreign key to it`);
  }

  /**
   * `Count("comments")`, `n=Sum("comments__likes", distinct=True)`: the alias (Django's default:
   * `comments__count`) and the aggregate over the column the path names, its relations LEFT OUTER
   * joined as Django joins them for an annotation.
   */
  function aggregateOf(a: Node): { alias: string; sql: string } {
    const expr = a.type === 'keyword_argument' ? a.childForFieldName('value')! : a;
    const fn = expr.type === 'call' ? /^(?:models\.)?(Count|Sum|Avg|Max|Min)$/.exec(expr.childForFieldName('function')?.text ?? '')?.[1] : undefined;
    if (!fn) fail(`the annotation \`${expr.text}\` is not translated (Count, Sum, Avg, Max and Min of a field are)`);
    const args = expr.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
    const path = args[0] && args[0].type !== 'keyword_argument' ? pyString(args[0]) : undefined;
    if (path === undefined) fail(`${fn}(${args[0]?.text ?? ''}): only a field name written out is translated`);
    let distinctArg = false;
    for (const k of args.slice(1)) {
      const key = k.childForFieldName('name')?.text;
      if (key === 'distinct' && pyConstant(k.childForFieldName('value')!) === true) distinctArg = true;
      else if (key !== 'distinct') fail(`${fn}(…, ${k.text}) is not translated`);
    }
    const target = path === '*' && fn === 'Count' ? '*' : resolvePath(path!, 'annotate').target;
    const alias = a.type === 'keyword_argument' ? a.childForFieldName('name')!.text : `${path}__${fn!.toLowerCase()}`;
    return { alias, sql: `${fn!.toUpperCase()}(${distinctArg ? 'DISTINCT ' : ''}${target})` };
  }

  /** The annotation a filter's key starts with (`user__count` of `user__count__gt`; an alias may hold `__`). */
  function annotationIn(key: string): string | undefined {
    return [...annotations.keys()].filter((alias) => key === alias || key.startsWith(`${alias}__`)).sort((x, y) => y.length - x.length)[0];
  }

  /** `n__gte=5` on an annotation: the aggregate compared (HAVING repeats it, as Django writes it). */
  function annotationCondition(a: Node): string {
    const key = a.childForFieldName('name')!.text;
    const alias = annotationIn(key)!;
    const lookup = key === alias ? 'exact' : key.slice(alias.length + 2);
    if (!['exact', 'gt', 'gte', 'lt', 'lte', 'in', 'range', 'isnull'].includes(lookup)) fail(`the lookup \`${key}\` on an annotation is not translated`);
    const field: DjangoField = { name: alias, kind: 'column', type: 'IntegerField', nullable: true, primaryKey: false };
    return lookupSql(annotations.get(alias)!, field, lookup, a.childForFieldName('value')!);
  }

  function pkOf(m: DjangoModel): DjangoField {
    return m.fields.find((f) => f.primaryKey)!;
  }

  function targetOf(f: DjangoField): DjangoModel {
    const t = models.model(f.target ?? '') ?? fail(`the model ${f.target} of \`${f.name}\` was not found`);
    if (t.unsupported) fail(`model ${t.name} uses ${t.unsupported}`);
    return t;
  }

  /**
   * `author__name__icontains` → the column it compares (joining what it crosses) and the lookup.
   * `author` and `author__id` compare the foreign key column itself: Django joins nothing for them.
   */
  function resolvePath(path: string, use: 'filter' | 'select' | 'order' | 'annotate'): { target: string; field: DjangoField; lookup: string } {
    const parts = path.split('__');
    let lookup = 'exact';
    if (parts.length > 1 && LOOKUPS.has(parts[parts.length - 1])) lookup = parts.pop()!;
    let m = model;
    let t = table;
    let outer = false;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      // The way back along another model's foreign key (`comments` of Comment.post): a filter
      // inner-joins it; an annotation, values() and ordering keep the rows without any (LEFT OUTER).
      const back = parts[i] !== 'pk' && !m.fields.some((f) => f.name === parts[i] || (f.kind === 'foreign-key' && f.column === parts[i])) ? models.reverse(m, parts[i]) : undefined;
      if (back) {
        if (back.model.unsupported) fail(`model ${back.model.name} uses ${back.model.unsupported}`);
        outer ||= use !== 'filter';
        join(back.model.table, `${outer ? 'LEFT OUTER JOIN' : 'INNER JOIN'} ${quoteName(back.model.table)} ON (${column(t, pkOf(m).column!)} = ${column(back.model.table, back.field.column!)})`);
        m = back.model;
        t = back.model.table;
        if (last) return { target: column(t, pkOf(m).column!), field: pkOf(m), lookup };
        continue;
      }
      const f = fieldOf(m, parts[i]);
      if (f.kind === 'column') {
        if (!last) fail(`\`${parts[i + 1]}\` after the column \`${f.name}\` (transforms are not translated)`);
        return { target: column(t, f.column!), field: f, lookup };
      }
      if (f.kind === 'foreign-key') {
        const target = targetOf(f);
        const next = parts[i + 1];
        if (last || ((next === 'pk' || next === pkOf(target).name) && i + 1 === parts.length - 1)) {
          if (last && use === 'order' && target.ordering.length) fail(`ordering by the relation \`${f.name}\` uses ${target.name}'s Meta.ordering (not translated)`);
          return { target: column(t, f.column!), field: f, lookup };
        }
        // A filter across a nullable foreign key still inner-joins: the condition rejects NULL rows.
        // Ordering and values() keep the rows without one: a LEFT OUTER JOIN, and so every join after it.
        outer ||= use !== 'filter' && f.nullable;
        join(target.table, `${outer ? 'LEFT OUTER JOIN' : 'INNER JOIN'} ${quoteName(target.table)} ON (${column(t, f.column!)} = ${column(target.table, pkOf(target).column!)})`);
        m = target;
        t = target.table;
        continue;
      }
      // Many-to-many: through the join table; comparing the relation itself compares the target's id.
      if (use !== 'filter') fail(`\`${f.name}\` is a many-to-many relation (only filters across it are translated)`);
      const through = f.through ?? fail(`\`${f.name}\` has a custom through model (not translated)`);
      const target = targetOf(f);
      join(through.table, `INNER JOIN ${quoteName(through.table)} ON (${column(t, pkOf(m).column!)} = ${column(through.table, through.own)})`);
      const next = parts[i + 1];
      if (last || ((next === 'pk' || next === pkOf(target).name) && i + 1 === parts.length - 1)) return { target: column(through.table, through.other), field: pkOf(target), lookup };
      join(target.table, `INNER JOIN ${quoteName(target.table)} ON (${column(through.table, through.other)} = ${column(target.table, pkOf(target).column!)})`);
      m = target;
      t = target.table;
    }
    return fail(`\`${path}\` names no column`);
  }

  /** A filter's arguments: `field__lookup=value` keywords and Q objects (`Q(a=1) | ~Q(b=2)`), ANDed. */
  function keywordConditions(step: Step, exclude: boolean): string[] {
    return step.args.map((a) => (a.type === 'keyword_argument' ? keywordCondition(a, exclude) : qCondition(a, exclude)));
  }

  function keywordCondition(a: Node, negated: boolean): string {
    const key = a.childForFieldName('name')!.text;
    const value = a.childForFieldName('value')!;
    const { target, field, lookup } = resolvePath(key, 'filter');
    const cond = lookupSql(target, field, lookup, value);
    // NOT (col = x) is unknown, not true, when col is NULL: Django adds the NULL check under a negation.
    const isNull = lookup === 'isnull' || (lookup === 'exact' && pyConstant(value) === null);
    return negated && field.nullable && !isNull ? and([cond, `${target} IS NOT NULL`]) : cond;
  }

  /** `Q(a=1)`, `Q(…) | Q(…)`, `Q(…) & Q(…)`, `~Q(…)`; `negated`: under an odd number of negations (exclude, ~). */
  function qCondition(n: Node, negated: boolean): string {
    if (n.type === 'parenthesized_expression' && n.namedChildren[0]) return qCondition(n.namedChildren[0], negated);
    if (n.type === 'binary_operator') {
      const op = n.childForFieldName('operator')?.text;
      if (op !== '|' && op !== '&') fail(`\`${n.text}\` is not translated`);
      const parts = [qCondition(n.childForFieldName('left')!, negated), qCondition(n.childForFieldName('right')!, negated)];
      return op === '|' ? or(parts) : and(parts);
    }
    if (n.type === 'unary_operator' && n.childForFieldName('operator')?.text === '~') return not(qCondition(n.childForFieldName('argument')!, !negated));
    if (n.type === 'call' && /^(models\.)?Q$/.test(n.childForFieldName('function')?.text ?? '')) {
      const args = n.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
      if (args.length === 0) fail('an empty Q() is not translated');
      return and(args.map((a) => (a.type === 'keyword_argument' ? keywordCondition(a, negated) : qCondition(a, negated))));
    }
    return fail(`the argument \`${n.text}\` (an expression other than a Q object) is not translated`);
  }

  function lookupSql(target: string, field: DjangoField, lookup: string, value: Node): string {
    // `F("other_field")`: a comparison of two columns.
    if (value.type === 'call' && /^(models\.)?F$/.test(value.childForFieldName('function')?.text ?? '')) {
      const ref = pyString(value.childForFieldName('arguments')?.namedChildren[0] ?? null) ?? fail(`\`${value.text}\` names no field`);
      const ops: Record<string, string> = { exact: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };
      if (!ops[lookup]) fail(`__${lookup} with an F() expression is not translated`);
      return `${target} ${ops[lookup]} ${resolvePath(ref, 'filter').target}`;
    }
    const code = pyCodeValue(value);
    // A number compared with a text field is sent as text: Django's get_prep_value makes it a string.
    const v: CodeValue = field.kind === 'column' && isTextField(field) && 'literal' in code && typeof code.literal === 'number' ? { literal: String(code.literal) } : code;
    const val = (x: CodeValue = v): string => valueSql(x, params);
    const textual = field.kind === 'column' && isTextField(field) ? target : `${target}::text`;
    const pattern = (wrap: (s: string) => string): string => {
      if ('literal' in v && typeof v.literal === 'string') return literal(wrap(v.literal.replace(/[\\%_]/g, (c) => `\\${c}`)));
      return params.add(`${value.text} as a ${lookup} pattern`);
    };
    switch (lookup) {
      case 'exact':
        return 'literal' in v && v.literal === null ? `${target} IS NULL` : `${target} = ${val()}`;
      case 'iexact':
        return `UPPER(${textual}) = UPPER(${val()})`;
      case 'gt': return `${target} > ${val()}`;
      case 'gte': return `${target} >= ${val()}`;
      case 'lt': return `${target} < ${val()}`;
      case 'lte': return `${target} <= ${val()}`;
      case 'isnull': {
        const c = pyConstant(value);
        if (typeof c !== 'boolean') fail('__isnull with a value known only at run time is not translated');
        return `${target} ${c ? 'IS NULL' : 'IS NOT NULL'}`;
      }
      case 'in': {
        if (value.type === 'list' || value.type === 'tuple') {
          const items = value.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
          if (items.length === 0) fail('an empty __in list (Django runs no query for it)');
          return `${target} IN (${items.map((i) => val(pyCodeValue(i))).join(', ')})`;
        }
        // A list known only at run time: one array parameter (Django sends one per element).
        return `${target} = ANY(${params.add(value.text)})`;
      }
      case 'range': {
        const items = value.type === 'list' || value.type === 'tuple' ? value.namedChildren.filter((c): c is Node => !!c) : [];
        if (items.length !== 2) fail('__range needs a literal pair');
        return `${target} BETWEEN ${val(pyCodeValue(items[0]))} AND ${val(pyCodeValue(items[1]))}`;
      }
      case 'contains': return `${textual} LIKE ${pattern((s) => `%${s}%`)}`;
      case 'icontains': return `UPPER(${textual}) LIKE UPPER(${pattern((s) => `%${s}%`)})`;
      case 'startswith': return `${textual} LIKE ${pattern((s) => `${s}%`)}`;
      case 'istartswith': return `UPPER(${textual}) LIKE UPPER(${pattern((s) => `${s}%`)})`;
      case 'endswith': return `${textual} LIKE ${pattern((s) => `%${s}`)}`;
      case 'iendswith': return `UPPER(${textual}) LIKE UPPER(${pattern((s) => `%${s}`)})`;
      default:
        return fail(`the lookup __${lookup} is not translated`);
    }
  }
}

/** `Post.objects.filter(…).order_by(…)[a:b]` → model `Post` and the steps in order; variables are followed. */
function decompose(node: Node, fail: (what: string) => never, depth = 0): { modelName: string; steps: Step[] } {
  if (depth > 4) fail('the queryset is built through too many variables');
  if (node.type === 'subscript') {
    const value = node.childForFieldName('value')!;
    const sub = node.childForFieldName('subscript');
    const inner = decompose(value, fail, depth);
    if (!sub) fail('an empty subscript');
    let slice: Step['slice'];
    if (sub!.type === 'slice') {
      const kids = sub!.children.filter((c): c is Node => !!c);
      const colons = kids.filter((c) => c.type === ':');
      if (colons.length > 1) fail('a slice with a step (Django runs it in Python)');
      const colon = kids.indexOf(colons[0]);
      slice = { start: kids.slice(0, colon).find((c) => c.isNamed), end: kids.slice(colon + 1).find((c) => c.isNamed) };
    } else slice = { index: sub! };
    return { modelName: inner.modelName, steps: [...inner.steps, { method: 'slice', args: [], slice }] };
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'attribute') fail('not a queryset method call');
    const method = fn!.childForFieldName('attribute')!.text;
    const args = node.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
    const inner = decompose(fn!.childForFieldName('object')!, fail, depth);
    return { modelName: inner.modelName, steps: [...inner.steps, { method, args }] };
  }
  if (node.type === 'attribute' && node.childForFieldName('attribute')?.text === 'objects') {
    const model = node.childForFieldName('object')!;
    // `get_user_model().objects`: the user model, as the project's settings name it.
    if (model.type === 'call' && /^get_user_model\(\s*\)$/.test(model.text)) return { modelName: 'User', steps: [] };
    if (model.type !== 'identifier') fail(`the model \`${model.text}\` is not a class name`);
    return { modelName: model.text, steps: [] };
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return decompose(node.namedChildren[0], fail, depth);
  if (node.type === 'identifier') {
    const value = assignedBefore(node);
    if (!value) fail(`the queryset \`${node.text}\` is not assigned in this function`);
    return decompose(value!, fail, depth + 1);
  }
  return fail(`\`${node.text.slice(0, 60)}\` is not a Django queryset (\`Model.objects…\`)`);
}
