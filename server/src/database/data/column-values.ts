/**
 * The SQL expression that makes a column's value for row number `i` of a generated table. Unique
 * columns get a value injective in `i`; the others are random with skew (a few values common,
 * most rare), the way real data is; nullable ones are NULL now and then.
 */
import type { ColumnInfo } from './catalog';

export interface ColumnContext {
  unique: boolean;
  /** Name of the row-number expression, e.g. `s.i`. */
  i: string;
}

/** Names that usually hold few distinct values: a status, a type, a country. */
const LOW_CARDINALITY = /(status|state|type|kind|role|category|country|lang|locale|currency|level|tier|plan)$/i;

/** Undefined when the type is unknown: the column is left to its default or NULL. */
export function columnExpression(column: ColumnInfo, ctx: ColumnContext): string | undefined {
  const value = baseExpression(column, ctx);
  if (value === undefined) return undefined;
  if (!column.notNull && !ctx.unique) return `CASE WHEN random() < 0.05 THEN NULL ELSE ${value} END`;
  return value;
}

function baseExpression(column: ColumnInfo, { unique, i }: ColumnContext): string | undefined {
  const type = column.type;
  const label = sqlString(column.name);
  if (column.enumLabels?.length) {
    const labels = column.enumLabels.map(sqlString).join(', ');
    return `(ARRAY[${labels}]::${type}[])[1 + floor(power(random(), 2) * ${column.enumLabels.length})::int]`;
  }
  if (type.endsWith('[]')) return `'{}'`;
  const base = type.replace(/\(.*\)/, '').trim();
  const length = /^(character varying|character|varchar|char)\((\d+)\)/.exec(type)?.[2];
  switch (base) {
    case 'smallint':
      return unique ? `(${i} % 32767)::smallint` : `floor(power(random(), 2) * 100)::smallint`;
    case 'integer':
    case 'bigint':
      return unique ? `${i}` : `floor(power(random(), 2) * 1000)::bigint`;
    case 'numeric': {
      // numeric(3, 1) holds less than 100 (Waffle's percent): the values stay below its bound.
      const m = /^numeric\((\d+)(?:,\s*(\d+))?\)/.exec(type);
      const scale = m ? Number(m[2] ?? 0) : 2;
      const bound = m ? Math.min(100, 10 ** (Number(m[1]) - scale) - 10 ** -scale) : 100;
      if (unique) return m ? `(${i} % ${10 ** (Number(m[1]) - scale)})::${type}` : `${i}`;
      return `round((random() * ${bound})::numeric, ${scale})`;
    }
    case 'real':
    case 'double precision':
      return unique ? `${i}` : `round((random() * 100)::numeric, 2)`;
    case 'boolean':
      // Also in a unique key: there it is one of several columns (Keystone's assignments take
      // `inherited` into their primary key), whose others tell the rows apart.
      return `random() < 0.7`;
    case 'text':
    case 'character varying':
    case 'character':
    case 'citext': {
      let text: string;
      if (unique) text = /email/i.test(column.name) ? `'user' || ${i} || '@example.com'` : `${label} || '-' || ${i}`;
      else if (LOW_CARDINALITY.test(column.name)) text = `${label} || '-' || floor(power(random(), 3) * 8)::int`;
      else text = `md5(random()::text)`;
      return length ? `left(${text}, ${length})` : text;
    }
    case 'timestamp without time zone':
    case 'timestamp with time zone':
      return unique ? `timestamp '2020-01-01' + ${i} * interval '1 second'` : `now() - random() * interval '730 days'`;
    case 'date':
      return unique ? `date '1900-01-01' + ${i}::int` : `(now() - random() * interval '730 days')::date`;
    case 'time without time zone':
    case 'time with time zone':
      return `time '00:00' + random() * interval '24 hours'`;
    case 'uuid':
      return `md5(${i}::text || ${label})::uuid`;
    case 'json':
    case 'jsonb':
      return `jsonb_build_object('n', ${i})`;
    case 'bytea':
      return `decode(md5(${i}::text), 'hex')`;
    default:
      return undefined;
  }
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
