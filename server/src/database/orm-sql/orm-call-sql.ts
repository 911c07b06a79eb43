/**
 * An ORM call (a query fact of a JS/TS or Python file) → the SQL it issues, by ORM family. The
 * models come from the workspace: schema.prisma for Prisma, the `models.py` that defines a Django
 * model, the module that declares a SQLAlchemy class or a Peewee model, TypeORM and MikroORM
 * entities, Sequelize models and Drizzle tables in the modules the calling file imports (or that
 * the index knows); Knex and Kysely name tables and columns in the chain itself. `sources` gives
 * this module files and syntax trees without it knowing about the editor.
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { QueryFact } from '../../languages/facts';
import type { DrizzleCasing } from '../../languages/typescript/drizzle-tables';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { parsePrismaSchema } from '../schema/prisma-schema';
import { DjangoModels } from './django-models';
import { translateMikroOrmCall } from './mikro-orm';
import { PeeweeModels, translatePeeweeQuery } from './peewee';
import { translateDjangoQuery } from './django';
import { PrismaModels } from './prisma-models';
import { translatePrismaCall } from './prisma';
import { SqlalchemyModels } from './sqlalchemy-models';
import { translateSqlalchemyQuery } from './sqlalchemy';
import { translateDrizzleQuery } from './drizzle';
import { translateKnexChain } from './knex';
import { translateKyselyChain } from './kysely';
import { translateSequelizeCall } from './sequelize';
import { translateTypeormCall } from './typeorm';
import { TsModules } from './typescript-modules';
import { UntranslatableCall, type OrmTranslation } from './translation';

export interface OrmSources {
  /** A file's text, undefined when it cannot be read. */
  read(file: string): string | undefined;
  /** Files the workspace index knows to define `model` through `orm` (may be empty while indexing). */
  modelFiles(orm: QueryFact['orm'], model: string): string[];
  /** The Python syntax tree of a file (valid until that file is parsed again). */
  pythonTree(file: string, text: string): Node | undefined;
  /** drizzle.config's `casing`: the names of columns declared without one. */
  drizzleCasing?: DrizzleCasing;
}

/** The ORMs whose calls are translated to SQL (code lenses offer comparisons only for these). */
export const TRANSLATED_ORMS: ReadonlySet<QueryFact['orm']> = new Set(['prisma', 'typeorm', 'sequelize', 'knex', 'kysely', 'drizzle', 'django', 'sqlalchemy', 'sqlmodel', 'peewee', 'mikro-orm']);

export function translateOrmCall(fact: QueryFact, file: string, text: string, sources: OrmSources): OrmTranslation {
  switch (fact.orm) {
    case 'prisma': {
      const call = (fact as TsQueryFact).call;
      if (!call) throw new UntranslatableCall(fact.callee, 'the call was not found in the syntax tree');
      const schema = prismaSchemaFor(file, fact.model, sources) ?? failWith(fact, 'no schema.prisma found (looked in the workspace index and in prisma/ folders above this file)');
      return translatePrismaCall(call, new PrismaModels(parsePrismaSchema(schema)));
    }
    case 'django': {
      const root = sources.pythonTree(file, text) ?? failWith(fact, 'the file could not be parsed');
      let node = nodeAt(root, fact.start, fact.end) ?? failWith(fact, 'the call was not found in the syntax tree');
      // `qs[:10]` with a constant slice is recorded as the chain alone; the slice is part of the query.
      while (node.parent?.type === 'subscript' && node.parent.childForFieldName('value')?.id === node.id) node = node.parent;
      return translateDjangoQuery(node, new DjangoModels(file, sources));
    }
    case 'sqlalchemy':
    case 'sqlmodel': {
      const root = sources.pythonTree(file, text) ?? failWith(fact, 'the file could not be parsed');
      const node = nodeAt(root, fact.start, fact.end) ?? failWith(fact, 'the call was not found in the syntax tree');
      return translateSqlalchemyQuery(node, new SqlalchemyModels(file, sources));
    }
    case 'peewee': {
      const root = sources.pythonTree(file, text) ?? failWith(fact, 'the file could not be parsed');
      const node = nodeAt(root, fact.start, fact.end) ?? failWith(fact, 'the call was not found in the syntax tree');
      return translatePeeweeQuery(node, new PeeweeModels(file, text, root, sources));
    }
    case 'typeorm': {
      const call = (fact as TsQueryFact).call;
      if (!call) throw new UntranslatableCall(fact.callee, 'the call was not found in the syntax tree');
      return translateTypeormCall(fact as TsQueryFact, new TsModules(sources), file);
    }
    case 'mikro-orm':
      // Other writes go through the unit of work: their SQL is what flush() makes of the entities.
      if (fact.write && !/^native(Update|Delete)$/.test(fact.operation)) return failWith(fact, 'only the native writes (nativeUpdate, nativeDelete) are translated');
      return translateMikroOrmCall(fact as TsQueryFact, new TsModules(sources), file);
    case 'sequelize':
      return translateSequelizeCall(fact as TsQueryFact, new TsModules(sources), file);
    case 'knex':
      if ((fact as TsQueryFact).inferred) return failWith(fact, 'the query builder was recognised by its method names only, not by an import of Knex');
      return translateKnexChain(fact as TsQueryFact);
    case 'kysely':
      return translateKyselyChain(fact as TsQueryFact, new TsModules(sources), file);
    case 'drizzle':
      return translateDrizzleQuery(fact as TsQueryFact, new TsModules(sources), file);
    default:
      return failWith(fact, `${fact.orm} calls are not translated yet (Prisma, TypeORM, MikroORM, Sequelize, Knex, Kysely, Drizzle, Django, SQLAlchemy and Peewee are)`);
  }
}

function failWith(fact: QueryFact, what: string): never {
  throw new UntranslatableCall(fact.callee, what);
}

/** The schema that defines the model: from the index, else `schema.prisma`/`prisma/schema.prisma` in a folder above. */
function prismaSchemaFor(file: string, delegate: string | undefined, sources: OrmSources): string | undefined {
  const model = delegate ? delegate.charAt(0).toUpperCase() + delegate.slice(1) : '';
  for (const f of sources.modelFiles('prisma', model)) {
    const text = sources.read(f);
    if (text) return text;
  }
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, 'prisma', 'schema.prisma'), path.join(dir, 'schema.prisma')]) {
      const text = sources.read(candidate);
      if (text) return text;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The node spanning exactly [start, end), or the smallest one around it. */
function nodeAt(root: Node, start: number, end: number): Node | undefined {
  let n: Node | null = root.descendantForIndex(start, end);
  while (n && (n.startIndex > start || n.endIndex < end)) n = n.parent;
  // The outermost expression of that range: a call written as a statement of its own is not its statement.
  while (n?.parent && n.parent.startIndex === start && n.parent.endIndex === end && !/statement$|^module$/.test(n.parent.type)) n = n.parent;
  return n ?? undefined;
}
