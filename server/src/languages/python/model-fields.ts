/**
 * A Django or Peewee model's own fields and the indexes the database has for them: what
 * unindexed-filter checks a query's filter against. Django indexes a field with `primary_key`,
 * `unique` or `db_index=True`, every `ForeignKey`/`OneToOneField` and `SlugField` unless told not
 * to, the implicit `id`, and `Meta.indexes`, `unique_together`, `index_together` and
 * `UniqueConstraint`s. Peewee the same with `index=True`, every `ForeignKeyField`, and its
 * `Meta.indexes = ((("a", "b"), True),)`. Fields a parent class declares are not here: a filter by
 * one of them is not judged.
 */
import type { ModelFact } from '../facts';
import { args, assignmentStatements, field, keywordArg, stringValue, type Node } from './tree';

const RELATION = /^(ForeignKey|OneToOneField|ParentalKey|TreeForeignKey|ForeignKeyField|DeferredForeignKey)$/;

export type FieldFlavor = 'django' | 'peewee';
/** The keyword that indexes a field. */
const INDEX_KEYWORD: Record<FieldFlavor, string> = { django: 'db_index', peewee: 'index' };
/** Fields the ORM indexes unless told not to. */
const INDEXED_BY_DEFAULT: Record<FieldFlavor, RegExp> = {
  django: /^(ForeignKey|OneToOneField|ParentalKey|TreeForeignKey|SlugField|AutoSlugField)$/,
  peewee: /^(ForeignKeyField|DeferredForeignKey)$/,
};

const lastName = (text: string): string => text.split('.').pop() ?? text;
const isFalse = (n: Node | undefined): boolean => n?.type === 'false';
/** `unique=True`, or a value not known here (`unique=app_settings.UNIQUE_EMAIL`): it may well be indexed. Django's, Peewee's and SQLAlchemy's keywords alike. */
export const maybeTrue = (n: Node | undefined): boolean => n !== undefined && !isFalse(n) && n.type !== 'none';

function strings(n: Node | null | undefined): string[] {
  if (!n || !/^(list|tuple|set)$/.test(n.type)) return [];
  return n.namedChildren.map((c) => stringValue(c)).filter((s): s is string => s !== undefined);
}

/** `unique_together = ("a", "b")` or `[("a", "b"), ("c", "d")]`. */
function groups(n: Node | null | undefined): string[][] {
  if (!n || !/^(list|tuple)$/.test(n.type)) return [];
  const items = n.namedChildren.filter((c): c is Node => !!c);
  if (items.every((i) => i.type === 'string')) return items.length ? [strings(n)] : [];
  return items.map(strings).filter((g) => g.length > 0);
}

export type ModelFieldFacts = Pick<ModelFact, 'fieldTypes' | 'indexes' | 'lowCardinality'>;

export function modelFieldFacts(body: Node, flavor: FieldFlavor): ModelFieldFacts {
  const fieldTypes: Record<string, string> = {};
  const indexes: Array<{ columns: string[] }> = [];
  const lowCardinality: string[] = [];
  let primaryKey = false;
  for (const { left, right } of assignmentStatements(body)) {
    if (left?.type !== 'identifier' || right?.type !== 'call') continue;
    const kind = lastName(field(right, 'function')?.text ?? '');
    // A many-to-many field is a table of its own: a filter by it joins that table (indexed by Django).
    if ((!/Field$/.test(kind) && !RELATION.test(kind)) || /ManyToManyField$/.test(kind)) continue;
    const name = left.text;
    fieldTypes[name] = kind;
    const dbIndex = keywordArg(right, INDEX_KEYWORD[flavor]);
    const pk = maybeTrue(keywordArg(right, 'primary_key'));
    primaryKey ||= pk;
    if (pk || maybeTrue(keywordArg(right, 'unique')) || maybeTrue(dbIndex) || (INDEXED_BY_DEFAULT[flavor].test(kind) && !isFalse(dbIndex))) indexes.push({ columns: [name] });
    if (/^(NullBooleanField|BooleanField)$/.test(kind) || keywordArg(right, 'choices')) lowCardinality.push(name);
  }
  if (!primaryKey) {
    fieldTypes.id ??= 'AutoField';
    indexes.push({ columns: ['id'] });
  }
  const meta = body.namedChildren.find((c) => c?.type === 'class_definition' && field(c, 'name')?.text === 'Meta');
  for (const { left, right } of assignmentStatements(meta ? field(meta, 'body') : null)) {
    const option = left?.text;
    if (option === 'unique_together' || option === 'index_together') for (const g of groups(right)) indexes.push({ columns: g });
    // Peewee: `indexes = ((("from_user", "to_user"), True),)`, each a tuple of names and whether it is unique.
    if (flavor === 'peewee' && option === 'indexes') {
      for (const entry of right && /^(list|tuple)$/.test(right.type) ? right.namedChildren : []) {
        const columns = strings(entry?.namedChildren[0]);
        if (entry?.type === 'tuple' && columns.length) indexes.push({ columns });
      }
      continue;
    }
    if (option !== 'indexes' && option !== 'constraints') continue;
    for (const entry of right && /^(list|tuple)$/.test(right.type) ? right.namedChildren : []) {
      if (entry?.type !== 'call' || !/^(Index|UniqueConstraint|GinIndex|BTreeIndex|HashIndex|BrinIndex|GistIndex)$/.test(lastName(field(entry, 'function')?.text ?? ''))) continue;
      // `Index(fields=["-created"])`, `UniqueConstraint(fields=[…], name=…)`; expressions (`Lower("email")`) are not a field's index.
      const columns = strings(keywordArg(entry, 'fields') ?? args(entry).find((a) => a.type !== 'keyword_argument')).map((f) => f.replace(/^-/, ''));
      if (columns.length) indexes.push({ columns });
    }
  }
  return { fieldTypes, indexes, lowCardinality };
}
