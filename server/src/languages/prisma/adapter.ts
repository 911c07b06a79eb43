/**
 * `schema.prisma` (and the files of a multi-file schema): its models, for the workspace's
 * knowledge of relations and indexes, and its relation keys, for unindexed-foreign-key. The
 * schema language is line-oriented: nothing to parse incrementally, nothing kept between calls.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../../engine/source-file';
import type { LanguageAdapter } from '../adapter';
import type { FileFacts } from '../facts';
import { prismaRelationKeys, type PrismaKeys } from './relation-keys';
import { prismaSchemaModels } from './schema-models';

export interface PrismaFacts extends FileFacts {
  language: 'prisma';
  keys: PrismaKeys;
}

export class PrismaAdapter implements LanguageAdapter<PrismaFacts> {
  readonly language = 'prisma' as const;

  init(): Promise<void> {
    return Promise.resolve();
  }

  facts(file: SourceFile): PrismaFacts {
    const facts: PrismaFacts = { language: 'prisma', queries: [], sql: [], problems: [], keys: { relations: [] } };
    if (file.text.slice(0, 8192).includes('\u0000')) {
      facts.skipped = 'binary file';
      return facts;
    }
    facts.models = prismaSchemaModels(file.text);
    facts.keys = prismaRelationKeys(file.text);
    // A multi-file schema (prisma/schema/*.prisma) has its datasource in one of the files.
    if (facts.keys.provider === undefined) Object.assign(facts.keys, siblingDatasource(file.path));
    return facts;
  }
}

/** `provider` and `relationMode` from the datasource block of another `.prisma` file of the folder. */
function siblingDatasource(file: string): Pick<PrismaKeys, 'provider' | 'relationMode'> {
  try {
    const dir = path.dirname(file);
    for (const name of fs.readdirSync(dir)) {
      if (!/\.prisma$/i.test(name) || path.join(dir, name) === file) continue;
      const { provider, relationMode } = prismaRelationKeys(fs.readFileSync(path.join(dir, name), 'utf8'));
      if (provider !== undefined) return { provider, relationMode };
    }
  } catch {
    // No folder on disk (an untitled buffer), or an unreadable one: the provider stays unknown.
  }
  return {};
}
