/**
 * The CLI's run over files: settings from the root's .perflens.json, files from the paths given
 * (folders walked with .gitignore honoured), one engine, each file read once.
 */
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import { FileFilter, mergeSettings, readConfigFile } from '../engine/config';
import { discoverFiles } from '../engine/file-discovery';
import { readPathAliases } from '../engine/path-aliases';
import { WorkspaceFunctions } from '../engine/workspace-functions';
import { WorkspaceModels } from '../engine/workspace-models';
import type { Finding } from '../engine/finding';
import { SourceFile, languageOfPath } from '../engine/source-file';
import { isPrismaSchema, prismaSchemaModels } from '../languages/prisma/schema-models';
import { createAdapters } from '../languages';
import type { PerflensSettings } from '../protocol';
import { ALL_RULES } from '../rules';
import type { FixMode } from '../engine/fix-selection';
import { readSource } from '../engine/read-source';
import { applyFixesUntilStable } from './apply-fixes';

export interface LintOptions {
  only?: ReadonlySet<string>;
  fix?: FixMode;
  /** Where the adapters find their WASM assets (the bundle's folder); undefined from sources. */
  assetDir?: string;
  log?: (message: string) => void;
}

export interface FileResult {
  file: SourceFile;
  /** Root-relative, '/'-separated. */
  relative: string;
  findings: Finding[];
  fixesApplied: number;
}

export interface LintResults {
  root: string;
  files: FileResult[];
  skipped: Array<{ file: string; reason: string }>;
  fixesApplied: number;
}

let shared: { assetDir?: string; engine: Promise<Engine> } | undefined;

function engineFor(assetDir: string | undefined, log: (m: string) => void): Promise<Engine> {
  if (!shared || shared.assetDir !== assetDir) {
    const engine = new Engine(ALL_RULES, createAdapters(assetDir), (m) => log(m));
    shared = { assetDir, engine: engine.init().then(() => engine) };
  }
  return shared.engine;
}

async function* expand(paths: readonly string[], filter: FileFilter, log: (m: string) => void): AsyncGenerator<string> {
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    const stat = await fs.stat(abs);
    if (stat.isDirectory()) {
      for await (const f of discoverFiles(abs, { filter, onError: (dir, reason) => log(`${dir}: ${reason}`) })) {
        if (!seen.has(f)) yield (seen.add(f), f);
      }
    } else if (!seen.has(abs)) {
      seen.add(abs);
      // A file named explicitly is linted even if an exclude glob would skip it in a folder walk.
      yield abs;
    }
  }
}

/** Text that declares ORM relations: only such files are parsed in the knowledge pre-pass. */
const DEFINES_MODELS: Record<string, RegExp> = {
  python: /\b(ForeignKey|OneToOneField|ManyToManyField|relationship|Relationship)\s*\(/,
  // TypeORM and sequelize-typescript decorators, Sequelize associations, Mongoose refs.
  typescript: /@(ManyToOne|OneToMany|OneToOne|ManyToMany|BelongsTo|HasMany|HasOne|BelongsToMany)\b|\.(belongsTo|hasMany|hasOne|belongsToMany)\s*\(|\bref\s*:/,
  // Indexes the schema has, for advice that would otherwise ask for one.
  sql: /\bCREATE\s+(UNIQUE\s+)?INDEX\b/i,
};

/**
 * The models of the whole root (`--root`), so that a view linted alone still knows that
 * `post.author` is a foreign key defined in models.py, a lazy relation of a TypeORM entity, or a
 * relation in schema.prisma.
 */
async function workspaceModels(engine: Engine, root: string, filter: FileFilter): Promise<WorkspaceModels> {
  const models = new WorkspaceModels();
  for await (const file of discoverFiles(root, { filter, schemas: true })) {
    const language = languageOfPath(file);
    const prisma = isPrismaSchema(file);
    if (!prisma && (!language || !DEFINES_MODELS[language])) continue;
    const read = await readSource(file);
    if (!('text' in read)) continue;
    if (prisma) {
      models.set(file, prismaSchemaModels(read.text));
      continue;
    }
    if (!DEFINES_MODELS[language!].test(read.text)) continue;
    const facts = engine.facts(new SourceFile(file, language!, read.text));
    if (facts?.models) models.set(file, facts.models);
  }
  return models;
}

const BOM = '\uFEFF';

/** readSource drops a UTF-8 byte-order mark; a fixed file keeps the one it had on disk. */
async function writeFixed(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  const head = Buffer.alloc(3);
  try {
    await handle.read(head, 0, 3, 0);
  } finally {
    await handle.close();
  }
  const hadBom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  await fs.writeFile(file, hadBom ? BOM + text : text);
}

export async function lintFiles(root: string, paths: readonly string[], options: LintOptions = {}): Promise<LintResults> {
  const log = options.log ?? ((m: string) => process.stderr.write(`perflens: ${m}\n`));
  const absRoot = path.resolve(root);
  const settings: PerflensSettings = mergeSettings(readConfigFile(absRoot, log));
  const filter = new FileFilter(absRoot, settings);
  const engine = await engineFor(options.assetDir, log);
  const models = await workspaceModels(engine, absRoot, filter);
  // Helpers imported by a linted file are summarised on first use (one extra parse of that file).
  const functions = new WorkspaceFunctions((file) => {
    const language = languageOfPath(file);
    if (!language) return undefined;
    let text: string;
    try {
      text = fsSync.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    return engine.facts(new SourceFile(file, language, text));
  }, readPathAliases(absRoot, log));
  const results: LintResults = { root: absRoot, files: [], skipped: [], fixesApplied: 0 };
  const files: string[] = [];
  for await (const abs of expand(paths.length ? paths : [absRoot], filter, log)) files.push(abs);
  // The next file is read while this one is analysed: the loop no longer waits on the disk.
  const reads = new Map<number, ReturnType<typeof readSource>>();
  const readAhead = (i: number): void => {
    for (let j = i; j < files.length && j <= i + 1; j++) if (!reads.has(j) && languageOfPath(files[j])) reads.set(j, readSource(files[j]));
  };
  for (let i = 0; i < files.length; i++) {
    const abs = files[i];
    const language = languageOfPath(abs);
    const relative = path.relative(absRoot, abs).split(path.sep).join('/');
    if (!language) {
      results.skipped.push({ file: relative, reason: 'not a supported language' });
      continue;
    }
    readAhead(i);
    const read = await reads.get(i)!;
    reads.delete(i);
    readAhead(i + 1);
    if ('skipped' in read) {
      results.skipped.push({ file: relative, reason: read.skipped });
      continue;
    }
    let file = new SourceFile(abs, language, read.text);
    let findings = engine.analyze(file, settings, { only: options.only, models, functions }).findings;
    let fixesApplied = 0;
    if (options.fix && findings.some((f) => f.fixes.length > 0)) {
      const fixed = applyFixesUntilStable(file, findings, options.fix, (f) => engine.analyze(f, settings, { only: options.only, models, functions }).findings);
      if (fixed.applied > 0) {
        await writeFixed(abs, fixed.file.text);
        file = fixed.file;
        findings = fixed.findings;
        fixesApplied = fixed.applied;
      }
    }
    results.fixesApplied += fixesApplied;
    results.files.push({ file, relative, findings, fixesApplied });
    // The CLI never sees this file again: free its syntax tree (Python keeps one per file for
    // incremental re-parsing in the editor) instead of holding every tree of the workspace.
    engine.forget(abs);
  }
  results.files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return results;
}
