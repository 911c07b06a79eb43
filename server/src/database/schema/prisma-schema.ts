/**
 * Reads a `schema.prisma` into models and enums: enough to write the PostgreSQL DDL Prisma Migrate
 * would (fields, types, attributes, relations, block attributes). Generator and datasource blocks
 * are skipped; comments are dropped.
 */

export interface PrismaAttribute {
  /** `id`, `default`, `db.VarChar`, `relation`. */
  name: string;
  /** The text between the parentheses, when there are any. */
  args?: string;
}

export interface PrismaField {
  name: string;
  type: string;
  optional: boolean;
  list: boolean;
  attributes: PrismaAttribute[];
}

export interface PrismaModel {
  name: string;
  fields: PrismaField[];
  /** `@@index(...)`, `@@unique(...)`, `@@id(...)`, `@@map(...)`. */
  blockAttributes: PrismaAttribute[];
}

export interface PrismaEnum {
  name: string;
  values: Array<{ name: string; dbName: string }>;
  dbName: string;
}

export interface PrismaSchema {
  models: PrismaModel[];
  enums: PrismaEnum[];
}

export function parsePrismaSchema(text: string): PrismaSchema {
  const schema: PrismaSchema = { models: [], enums: [] };
  const lines = stripComments(text).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*(model|enum|type|view|generator|datasource)\s+(\w+)\s*\{\s*$/.exec(lines[i]);
    if (!head) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*\}\s*$/.test(lines[i]); i++) if (lines[i].trim()) body.push(lines[i].trim());
    if (head[1] === 'model') schema.models.push(parseModel(head[2], body));
    else if (head[1] === 'enum') schema.enums.push(parseEnum(head[2], body));
  }
  return schema;
}

function parseModel(name: string, body: string[]): PrismaModel {
  const model: PrismaModel = { name, fields: [], blockAttributes: [] };
  for (const line of body) {
    if (line.startsWith('@@')) {
      model.blockAttributes.push(...parseAttributes(line.slice(1)));
      continue;
    }
    const m = /^(\w+)\s+(\w+(?:\.\w+)?)(\[\])?(\?)?\s*(.*)$/.exec(line);
    if (!m) continue;
    model.fields.push({ name: m[1], type: m[2], list: !!m[3], optional: !!m[4], attributes: parseAttributes(m[5]) });
  }
  return model;
}

function parseEnum(name: string, body: string[]): PrismaEnum {
  const e: PrismaEnum = { name, values: [], dbName: name };
  for (const line of body) {
    if (line.startsWith('@@')) {
      const map = parseAttributes(line.slice(1)).find((a) => a.name === 'map');
      if (map?.args) e.dbName = unquote(firstArg(map.args));
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const map = parseAttributes(m[2]).find((a) => a.name === 'map');
    e.values.push({ name: m[1], dbName: map?.args ? unquote(firstArg(map.args)) : m[1] });
  }
  return e;
}

/** `@id @default(autoincrement()) @db.VarChar(255)` → attributes, parentheses balanced, strings respected. */
export function parseAttributes(text: string): PrismaAttribute[] {
  const out: PrismaAttribute[] = [];
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    const name = /^@([\w.]+)/.exec(text.slice(at));
    if (!name) break;
    i = at + name[0].length;
    const attr: PrismaAttribute = { name: name[1] };
    if (text[i] === '(') {
      const end = closingParen(text, i);
      attr.args = text.slice(i + 1, end).trim();
      i = end + 1;
    }
    out.push(attr);
  }
  return out;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return text.length;
}

/** Splits arguments at top-level commas: `[a, b], map: "x"` → `[a, b]`, `map: "x"`. */
export function splitArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '"') {
      for (i++; i < args.length && args[i] !== '"'; i++) if (args[i] === '\\') i++;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (args.slice(start).trim()) out.push(args.slice(start).trim());
  return out;
}

/** The first positional argument (`fields: [...]` style named ones are skipped). */
export function firstArg(args: string): string {
  return splitArgs(args).find((a) => !/^\w+\s*:/.test(a)) ?? '';
}

export function namedArg(args: string | undefined, name: string): string | undefined {
  if (!args) return undefined;
  for (const a of splitArgs(args)) {
    const m = new RegExp(`^${name}\\s*:\\s*([\\s\\S]*)$`).exec(a);
    if (m) return m[1].trim();
  }
  return undefined;
}

/** `[a, b(sort: Desc)]` → `['a', 'b']`. */
export function fieldList(text: string | undefined): string[] {
  if (!text) return [];
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  return splitArgs(inner).map((f) => /^\w+/.exec(f)?.[0] ?? f).filter(Boolean);
}

export function unquote(text: string): string {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(text.trim());
  return m ? m[1].replace(/\\(.)/g, '$1') : text.trim();
}

function stripComments(text: string): string {
  // `//` outside strings, to the end of the line (`///` doc comments included).
  return text.replace(/\r\n?/g, '\n').replace(/("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*/g, (_comment, str: string | undefined) => str ?? '');
}
