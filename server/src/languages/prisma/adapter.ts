/**
 * `schema.prisma` (and the files of a multi-file schema): its models, for the workspace's
 * knowledge of relations and indexes, and its relation keys, for unindexed-foreign-key. The
 * schema language is line-oriented: nothing to parse incrementally, nothing kept between calls.
 */
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
    return facts;
  }
}
