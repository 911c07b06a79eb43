/**
 * `perflens explain --at FILE:LINE[:COLUMN]` (and bench): the query written there, as the editor's
 * Explain code lens finds it: SQL of a .sql file or in a string of code, else the ORM call there,
 * translated to the SQL it sends with the models of the workspace root (read from the files that
 * declare models, as the lint's model pass reads them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import { discoverFilesSync } from '../engine/file-discovery';
import { FileFilter, mergeSettings, readConfigFile } from '../engine/config';
import { SourceFile, languageOfPath } from '../engine/source-file';
import { WorkspaceModels } from '../engine/workspace-models';
import { createAdapters } from '../languages';
import { ALL_RULES } from '../rules';
import { translateOrmCall } from '../database/orm-sql/orm-call-sql';
import { workspaceOrmSources } from '../database/orm-sql/workspace-sources';
import { toDollarPlaceholders } from '../database/placeholders';
import { definesModels } from './lint-files';
import { isPrismaSchema, prismaSchemaModels } from '../languages/prisma/schema-models';
import { UsageError } from './argv';

export interface QueryAt {
  sql: string;
  /** Where, for the output: `src/posts.ts:12`. */
  where: string;
  /** An ORM call: `prisma.post.findMany → SQL`, and the translation's notes. */
  description?: string;
  notes: string[];
}

export async function queryAt(root: string, at: { file: string; line: number; column?: number }, log: (m: string) => void): Promise<QueryAt> {
  const file = path.resolve(at.file);
  const language = languageOfPath(file);
  if (!language) throw new UsageError(`${at.file}: not a file PerfLens reads (JS/TS, Python or SQL)`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${at.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const lines = text.split('\n');
  if (at.line > lines.length) throw new UsageError(`${at.file} has ${lines.length} lines, not ${at.line}`);
  const lineStart = lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0);
  const lineText = lines[at.line - 1];
  const offset = lineStart + (at.column !== undefined ? Math.min(at.column - 1, lineText.length) : lineText.length - lineText.trimStart().length);
  const lineEnd = lineStart + lineText.length;
  const engine = new Engine(ALL_RULES, createAdapters(), log);
  await engine.init();
  const facts = engine.facts(new SourceFile(file, language, text));
  const where = `${path.relative(process.cwd(), file) || file}:${at.line}`;
  // The innermost statement or call around the position; without a column, the first that starts on the line.
  const pick = <T extends { start: number; end: number }>(items: readonly T[]): T | undefined =>
    items.filter((x) => x.start <= offset && offset <= x.end).sort((a, b) => a.end - a.start - (b.end - b.start))[0] ??
    (at.column === undefined ? items.filter((x) => x.start >= lineStart && x.start <= lineEnd).sort((a, b) => a.start - b.start)[0] : undefined);
  const statement = pick(facts?.sql ?? []);
  if (statement) return { sql: statement.dialect === 'postgresql' ? statement.text : toDollarPlaceholders(statement.text), where, notes: [] };
  const call = pick(facts?.queries ?? []);
  if (!call) throw new UsageError(`${where}: no SQL statement or ORM query there`);
  const models = new WorkspaceModels();
  readModels(path.resolve(root), engine, models, file, log);
  models.set(file, facts?.models ?? []);
  const translated = translateOrmCall(call, file, text, workspaceOrmSources(engine, models, () => undefined));
  return { sql: translated.sql, where, description: translated.description, notes: translated.notes ?? [] };
}

/** The models of the root's files that declare some (the lint's model pass, on this thread). */
function readModels(root: string, engine: Engine, models: WorkspaceModels, skip: string, log: (m: string) => void): void {
  const settings = mergeSettings(readConfigFile(root));
  const filter = new FileFilter(root, settings);
  for (const f of discoverFilesSync(root, { filter, schemas: true, onError: (dir, reason) => log(`${dir}: ${reason}`) })) {
    const language = languageOfPath(f);
    if (f === skip || (!language && !isPrismaSchema(f))) continue;
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (!language) {
      models.set(f, prismaSchemaModels(text));
      continue;
    }
    if (!definesModels(language, f, text)) continue;
    const facts = engine.facts(new SourceFile(f, language, text));
    engine.forget(f);
    if (facts?.models?.length) models.set(f, facts.models);
  }
}
