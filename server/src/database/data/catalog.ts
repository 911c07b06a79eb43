/**
 * The tables to fill, read back from the database's catalog once the schema is loaded: whichever
 * way the DDL was written (a .sql file, a migration, schema.prisma), the catalog says the same
 * thing about types, NOT NULL, defaults, unique indexes and foreign keys.
 */
import type { Connector } from '../connector';

export interface ColumnInfo {
  name: string;
  /** `integer`, `character varying(255)`, `"Role"`, `text[]` (format_type). */
  type: string;
  notNull: boolean;
  /** Filled by the database itself: identity, generated, or a sequence default (serial). */
  autoFilled: boolean;
  hasDefault: boolean;
  /** Labels, when the type is an enum. */
  enumLabels?: string[];
}

export interface ForeignKeyInfo {
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableInfo {
  /** `"public"."Post"`: ready to put in SQL. */
  qualified: string;
  /** The table's own name (`Post`). */
  name: string;
  columns: ColumnInfo[];
  /** Column lists of every unique index (the primary key included). */
  uniques: string[][];
  foreignKeys: ForeignKeyInfo[];
}

const COLUMNS = `
SELECT format('%I.%I', n.nspname, c.relname) AS qualified, c.relname AS table_name, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       (a.attidentity <> '' OR a.attgenerated <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%') AS auto_filled,
       d.adbin IS NOT NULL AS has_default,
       CASE WHEN t.typtype = 'e' THEN array(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS enum_labels
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false))
ORDER BY c.oid, a.attnum`;

const UNIQUES = `
SELECT format('%I.%I', n.nspname, c.relname) AS qualified,
       array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num ORDER BY k.ord) AS columns
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE i.indisunique AND n.nspname = ANY (current_schemas(false))`;

const FOREIGN_KEYS = `
SELECT format('%I.%I', n.nspname, c.relname) AS qualified, format('%I.%I', rn.nspname, r.relname) AS ref_table,
       array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns,
       array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord) AS ref_columns
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class r ON r.oid = con.confrelid
JOIN pg_namespace rn ON rn.oid = r.relnamespace
WHERE con.contype = 'f' AND n.nspname = ANY (current_schemas(false))`;

export async function readTables(connector: Connector): Promise<TableInfo[]> {
  const tables = new Map<string, TableInfo>();
  for (const row of (await connector.run(COLUMNS)).rows) {
    const qualified = String(row.qualified);
    let table = tables.get(qualified);
    if (!table) tables.set(qualified, (table = { qualified, name: String(row.table_name), columns: [], uniques: [], foreignKeys: [] }));
    const column: ColumnInfo = { name: String(row.name), type: String(row.type), notNull: !!row.not_null, autoFilled: !!row.auto_filled, hasDefault: !!row.has_default };
    if (Array.isArray(row.enum_labels)) column.enumLabels = row.enum_labels.map(String);
    table.columns.push(column);
  }
  for (const row of (await connector.run(UNIQUES)).rows) tables.get(String(row.qualified))?.uniques.push((row.columns as string[]).map(String));
  for (const row of (await connector.run(FOREIGN_KEYS)).rows) {
    tables.get(String(row.qualified))?.foreignKeys.push({ columns: (row.columns as string[]).map(String), refTable: String(row.ref_table), refColumns: (row.ref_columns as string[]).map(String) });
  }
  return [...tables.values()];
}
