/**
 * Where the keyset cursor comes from in a JS/TS fix: the same request object the page was read
 * from (`req.query.after`), or, failing that, a new optional parameter of the enclosing function
 * (in a NestJS route, one Nest fills: `@Query('after') after?: string`).
 */
import ts from 'typescript';
import type { Edit } from '../../engine/finding';
import type { OrderKey } from '../../languages/facts';
import { ensureImport, isBound } from '../../languages/typescript/edits';
import { isNestRoute } from '../../languages/typescript/handlers';

export interface Cursor {
  /** One expression per key, in key order, for the filter: `req.query.afterCreatedAt`, `Number(afterId)`. */
  values: string[];
  /** The same values as read, to test whether the request has a cursor: `afterId`, not `Number(afterId)`. */
  given: string[];
  /** Edits that bring the values into scope (a new parameter), if any. */
  edits: Edit[];
}

export interface CursorOptions {
  isTs: boolean;
  /** The TypeScript type of each key's value where a schema says it (`number` for an `Int` id); else guessed from the name. */
  types?: ReadonlyArray<string | undefined>;
  /** Convert values read from the request (text) to their keys' types: for an ORM that checks them (Prisma). */
  parseRequest?: boolean;
  /** Convert only the values whose key's type `types` knows (a TypeORM entity's column). */
  parseKnown?: boolean;
}

export function cursorName(keys: readonly OrderKey[], i: number): string {
  if (keys.length === 1) return 'after';
  const col = keys[i].column.replace(/^_/, '').replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return `after${col[0].toUpperCase()}${col.slice(1)}`;
}

function guessType(column: string): string {
  // MongoDB's _id is an ObjectId, passed around as its hex string.
  if (column === '_id') return 'string';
  if (/(^|_)id$|Id$/.test(column)) return 'number';
  if (/(At|_at|date|Date|time|Time)$/.test(column)) return 'Date';
  return 'string';
}

/**
 * Query-string text → the key's type. `read`: a read of the request in TypeScript (`req.query.after`
 * is `string | string[] | ParsedQs | …` in Express's types, `c.req.query('after')` may be
 * undefined, and a call is not narrowed by the test for a cursor): made a string first, for
 * `BigInt`, `new Date` and a string key to take it.
 */
function parse(value: string, type: string, read = false): string {
  const text = read ? `String(${value})` : value;
  if (type === 'number') return `Number(${value})`;
  if (type === 'bigint') return `BigInt(${text})`;
  if (type === 'Date') return `new Date(${text})`;
  return text;
}

function readFrom(requestObject: string, name: string): string {
  if (/searchParams$|\.req\.query$|\.req\.param$/.test(requestObject)) {
    return /searchParams$/.test(requestObject) ? `${requestObject}.get('${name}')` : `${requestObject}('${name}')`;
  }
  return `${requestObject}.${name}`;
}

export function cursorFor(at: ts.Node, keys: readonly OrderKey[], requestObject: string | undefined, options: CursorOptions): Cursor | undefined {
  const names = keys.map((_, i) => cursorName(keys, i));
  const type = (i: number) => options.types?.[i] ?? guessType(keys[i].column);
  if (requestObject) {
    const read = names.map((n) => readFrom(requestObject, n));
    const parsed = (i: number) => options.parseRequest || (options.parseKnown && options.types?.[i] !== undefined);
    return { values: read.map((v, i) => (parsed(i) ? parse(v, type(i), options.isTs) : v)), given: read, edits: [] };
  }
  let fn: ts.Node | undefined = at.parent;
  while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !ts.isFunctionLike(fn)) return undefined;
  const params = fn.parameters;
  // `x => …` has no parentheses to add a parameter to.
  if (ts.isArrowFunction(fn) && params.length === 1 && params[0].getStart() === fn.getStart()) return undefined;
  const declared = new Set(params.map((p) => p.name.getText()));
  if (names.some((n) => declared.has(n))) return { values: names, given: names, edits: [] };
  // Nothing may follow a rest parameter (`(...args)`).
  if (params.some((p) => p.dotDotDotToken)) return undefined;
  const sep = params.length ? ', ' : '';
  // After the last parameter, not the list's end: that would follow a trailing comma (`b: string,\n)`).
  const end = params.length ? params[params.length - 1].end : params.end;
  if (isNestRoute(fn)) {
    // Nest calls a route with what its parameters' decorators name, nothing else: a plain parameter
    // would stay undefined. A query parameter arrives as text, to be parsed to the key's type.
    const sf = fn.getSourceFile();
    const imports = ensureImport(sf, '@nestjs/common', ['Query']);
    if (imports.length && isBound(sf, 'Query')) return undefined;
    const decls = names.map((n) => `@Query('${n}') ${n}${options.isTs ? '?: string' : ''}`).join(', ');
    return { values: names.map((n, i) => parse(n, type(i))), given: names, edits: [...imports, { start: end, end, newText: sep + decls }] };
  }
  const decls = names.map((n, i) => (options.isTs ? `${n}?: ${type(i)}` : n)).join(', ');
  return { values: names, given: names, edits: [{ start: end, end, newText: sep + decls }] };
}
