/**
 * Where a suggested index goes in the project, as an edit the editor applies: a Prisma project gets
 * `@@index([...])` in the model of `schema.prisma` (then `prisma migrate dev` writes the migration,
 * and the schema does not drift); a Drizzle project `index(…).on(…)` in the table's extra config
 * in the schema its drizzle.config names (drizzle-kit ignores SQL files missing from its journal);
 * a project with a folder of SQL migrations gets the next file in that folder's naming scheme
 * (Flyway `V<n>__…`, numbered `0007_…`, timestamped `20241125…_…`). Otherwise there is no edit,
 * and the user copies the DDL.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { addToExtraConfig, drizzleIndex, drizzleTables } from '../languages/typescript/drizzle-tables';
import { ensureImport } from '../languages/typescript/edits';
import { nextName } from '../engine/migration-names';
import { workspaceManifests } from '../engine/workspace-databases';
import { parsePrismaSchema, unquote, type PrismaModel } from './schema/prisma-schema';
import type { IndexCandidate } from './index-advisor';

export interface IndexMigration {
  /** `Add @@index([authorId, createdAt(sort: Desc)]) to model Post in prisma/schema.prisma`. */
  title: string;
  /** Absolute path of the file written or changed. */
  file: string;
  /** The file is new. */
  create: boolean;
  /** Insertions into the file, in order (one at 0 for a new file). */
  inserts: MigrationInsert[];
}

export interface MigrationInsert {
  offset: number;
  /** Line and character of `offset` (LSP positions, 0-based). */
  position: { line: number; character: number };
  text: string;
}

const SKIP = new Set(['node_modules', '.git', 'dist', 'build', 'out', '.venv', 'venv', '__pycache__']);

export function indexMigration(root: string, candidate: IndexCandidate, now = new Date()): IndexMigration | undefined {
  const drizzle = drizzleSchemaFiles(root);
  // A Drizzle project whose schema lacks the table gets no SQL file drizzle-kit would not run.
  if (drizzle) return drizzleIndexEdit(root, drizzle, candidate);
  return prismaIndex(root, candidate) ?? sqlMigration(root, candidate, now);
}

function findFiles(root: string, accept: (rel: string, isDir: boolean) => boolean, depth = 5): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number): void => {
    if (level > depth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (accept(rel, e.isDirectory())) out.push(full);
      if (e.isDirectory()) walk(full, level + 1);
    }
  };
  walk(root, 0);
  return out.sort();
}

function prismaIndex(root: string, candidate: IndexCandidate): IndexMigration | undefined {
  for (const file of findFiles(root, (rel, dir) => !dir && rel.endsWith('schema.prisma'))) {
    const text = fs.readFileSync(file, 'utf8');
    const model = parsePrismaSchema(text).models.find((m) => tableOf(m) === candidate.table);
    if (!model) continue;
    const fields = candidate.columns.map((c) => {
      const field = model.fields.find((f) => columnOf(f) === c.name);
      return field && `${field.name}${c.descending ? '(sort: Desc)' : ''}`;
    });
    if (fields.some((f) => !f)) return undefined;
    // The model's closing brace: the first line that is only `}` after `model Name {`.
    const head = new RegExp(`^model\\s+${model.name}\\s*\\{`, 'm').exec(text);
    if (!head) return undefined;
    const close = /^\}/m.exec(text.slice(head.index));
    if (!close) return undefined;
    const offset = head.index + close.index;
    const attribute = `@@index([${fields.join(', ')}])`;
    return {
      title: `Add ${attribute} to model ${model.name} in ${path.relative(root, file).split(path.sep).join('/')}`,
      file,
      create: false,
      inserts: [{ offset, position: positionAt(text, offset), text: `  ${attribute}\n` }],
    };
  }
  return undefined;
}

function tableOf(m: PrismaModel): string {
  const map = m.blockAttributes.find((a) => a.name === 'map')?.args;
  return map ? unquote(map.split(',')[0].trim()) : m.name;
}

function columnOf(f: PrismaModel['fields'][number]): string {
  const map = f.attributes.find((a) => a.name === 'map')?.args;
  return map ? unquote(map.split(',')[0].trim()) : f.name;
}

const DRIZZLE_CONFIG = /^drizzle\.config\.(ts|mts|cts|js|mjs|cjs|json)$/;
const SCRIPT = /\.(ts|mts|cts|js|mjs|cjs)$/;

/**
 * The schema files a drizzle.config at the root (or one folder down) names in `schema:` (a file,
 * a folder, a glob, or a list of them), or undefined when the project has no drizzle.config.
 */
function drizzleSchemaFiles(root: string): string[] | undefined {
  const configs = findFiles(root, (rel, dir) => !dir && DRIZZLE_CONFIG.test(path.basename(rel)), 1);
  if (configs.length === 0) return undefined;
  const files: string[] = [];
  for (const config of configs) {
    const text = fs.readFileSync(config, 'utf8');
    const value = /["']?\bschema["']?\s*:\s*(\[[^\]]*\]|["'][^"']+["'])/.exec(text)?.[1] ?? '';
    for (const m of value.matchAll(/["']([^"']+)["']/g)) {
      const pattern = m[1];
      // A glob: the folder before its first wildcard, and the files under it.
      const wild = pattern.search(/[*?{[]/);
      const base = path.resolve(path.dirname(config), wild < 0 ? pattern : pattern.slice(0, pattern.lastIndexOf('/', wild) + 1) || '.');
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(base);
      } catch {
        continue;
      }
      if (stat.isFile()) files.push(base);
      else if (stat.isDirectory()) files.push(...findFiles(base, (rel, dir) => !dir && SCRIPT.test(rel) && !/\.d\.[mc]?ts$/.test(rel), 4));
    }
  }
  return [...new Set(files)];
}

function drizzleIndexEdit(root: string, files: string[], candidate: IndexCandidate): IndexMigration | undefined {
  // The database's column names, as drizzle.config's `casing` makes them.
  const casing = workspaceManifests(root).drizzleCasing;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(candidate.table)) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const table = drizzleTables(sf, casing).find((t) => t.table === candidate.table);
    if (!table) continue;
    const keys = candidate.columns.map((c) => ({ key: table.keysByColumn.get(c.name) ?? '', descending: c.descending }));
    if (keys.some((k) => !k.key)) return undefined;
    const index = drizzleIndex(`${candidate.table}_${candidate.columns.map((c) => c.name).join('_')}_idx`, keys);
    const edits = addToExtraConfig(sf, table, index, `${keys[0].key}Idx`);
    if (!edits) return undefined;
    const all = [...edits, ...ensureImport(sf, table.module, ['index'])].sort((a, b) => a.start - b.start);
    return {
      title: `Add ${index('table')} to ${table.name} in ${path.relative(root, file).split(path.sep).join('/')}`,
      file,
      create: false,
      inserts: all.map((e) => ({ offset: e.start, position: positionAt(text, e.start), text: e.newText })),
    };
  }
  return undefined;
}

/** Folders of `.sql` migrations outside Prisma's (which `prisma migrate` owns). */
function sqlMigration(root: string, candidate: IndexCandidate, now: Date): IndexMigration | undefined {
  const dirs = findFiles(root, (rel, dir) => dir && /(^|\/)(migrations|migration|drizzle|sql\/migrations|db\/migrate)$/.test(rel) && !rel.startsWith('prisma/'));
  for (const dir of dirs) {
    // drizzle-kit's folder: it runs only the files its journal lists.
    if (fs.existsSync(path.join(dir, 'meta', '_journal.json'))) continue;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    if (files.length === 0) continue;
    const name = nextName(files, `add_${candidate.table}_${candidate.columns.map((c) => c.name).join('_')}_index`.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase(), now);
    if (!name) continue;
    const file = path.join(dir, name);
    const text = `-- Suggested by PerfLens: ${candidate.reason}.\n-- On a big production table, consider CREATE INDEX CONCURRENTLY (outside a transaction).\n${candidate.ddl}\n`;
    return { title: `Add migration ${path.relative(root, file).split(path.sep).join('/')}`, file, create: true, inserts: [{ offset: 0, position: { line: 0, character: 0 }, text }] };
  }
  return undefined;
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
