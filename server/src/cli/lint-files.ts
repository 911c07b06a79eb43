/**
 * The CLI's run over files: settings from the root's .perflens.json, files from the paths given
 * (folders walked with .gitignore honoured), each file read once. Two passes: the models of the
 * whole root (what lazy-loading checks need from other files), then the findings of each file.
 * Per-file work runs on worker threads when there is enough of it, and is skipped for files the
 * persistent cache already answers for.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileFilter, mergeSettings, readConfigFile } from '../engine/config';
import { discoverFiles, discoverFilesSync } from '../engine/file-discovery';
import { addToFileEdits, describeAddition } from '../engine/add-to-file';
import { applyEdits, eligible, type FixMode } from '../engine/fix-selection';
import { newMigrationFiles } from '../engine/migration-names';
import { readSource } from '../engine/read-source';
import type { AddToFile, Finding, NewMigration } from '../engine/finding';
import { SourceFile, languageOfPath } from '../engine/source-file';
import { defaultCacheDir } from '../database/cache-dir';
import type { ModelFact } from '../languages/facts';
import { isPrismaSchema, prismaSchemaModels } from '../languages/prisma/schema-models';
import { workspaceManifests } from '../engine/workspace-databases';
import { SCHEMA_BUILDER_HINT } from '../languages/typescript/hints';
import type { PerflensSettings } from '../protocol';
import type { LinterInit, LintOutcome } from '../workers/file-linter';
import { FileStates } from './file-states';
import { LintCache, contentHash, type CachedFile } from './lint-cache';
import { LINT_WORKER_SCRIPT, LocalRunner, WorkerPool, type LintRunner } from '../workers/lint-pool';

export interface LintOptions {
  only?: ReadonlySet<string>;
  fix?: FixMode;
  /** Where the adapters find their WASM assets (the bundle's folder); undefined from sources. */
  assetDir?: string;
  log?: (message: string) => void;
  /** Worker threads: 1 runs everything on the main thread; unset: one per core when there is enough work. */
  jobs?: number;
  /** Folder of the persistent cache, or false for none (`--no-cache`). Unset: the user's cache folder. */
  cache?: string | false;
  /** What identifies this build of PerfLens in the cache key. */
  build?: string;
  /**
   * Folder of V8's code cache for the lint worker's module (code-cache.ts): compiled code of
   * PerfLens itself, independent of `cache`. Unset: compiled in each run.
   */
  codeCache?: string;
}

export interface FileResult {
  /**
   * The file with its text, when this run read it: always when it has findings. A file the cache
   * answered for with no findings is not read (only its status is looked at).
   */
  file?: SourceFile;
  /** Root-relative, '/'-separated. */
  relative: string;
  findings: Finding[];
  fixesApplied: number;
}

/** The files with findings to show, each with its text (always read for them). */
export function filesWithFindings(results: LintResults): Array<FileResult & { file: SourceFile }> {
  return results.files.filter((r): r is FileResult & { file: SourceFile } => r.findings.length > 0 && r.file !== undefined);
}

export interface LintResults {
  root: string;
  files: FileResult[];
  skipped: Array<{ file: string; reason: string }>;
  fixesApplied: number;
  /** Files whose findings came from the persistent cache. */
  fromCache: number;
  /** Files whose text was read (the others were known by their status: see FileStates). */
  filesRead: number;
}

/**
 * Below this much text to analyse, workers cost more than they save: each one loads the bundle
 * and warms up its own JIT. Measured on a shared 2-vCPU VM: 6.5 MB (typeorm, 984 files) ran
 * slower on two workers than on the main thread, 11 MB of Python 1.12× faster.
 */
const MIN_CHARS_FOR_WORKERS = 8 * 1024 * 1024;
/**
 * With two cores, TS/JS pays only from here. TypeScript's parser allocates a node object per
 * token and keeps V8's collector busy: a single-threaded run already uses the second core for
 * it, and two threads parsing at once each ran 1.7× slower (on the 2-vCPU VM, where two threads
 * of plain arithmetic each ran at full speed). Whole runs: 15.5 MB of TS/JS took 1.08× longer on
 * two workers than on the main thread, with 35% more CPU and twice the memory; 46 MB the same
 * time; 89 MB of mixed TS/JS and Python 1.18× less. Python's parser runs in WASM, outside V8's
 * heap, and gains from 8 MB.
 */
const MIN_CHARS_FOR_WORKERS_TWO_CORES = 64 * 1024 * 1024;
/**
 * The work of a file before it is read: a low estimate (the corpora average 5 KB), so that the
 * workers start while the files are read only when their text will call for them.
 */
const CHARS_PER_FILE = 4 * 1024;

/** Characters of text to analyse, Python apart (see MIN_CHARS_FOR_WORKERS_TWO_CORES). */
export interface Work {
  python: number;
  other: number;
}

function addWork(work: Work, file: string, chars: number): void {
  if (languageOfPath(file) === 'python') work.python += chars;
  else work.other += chars;
}

/** How many worker threads this much work is worth: 1 runs it on the main thread. */
export function threadsFor(work: Work, cores: number): number {
  const total = work.python + work.other;
  if (total < MIN_CHARS_FOR_WORKERS) return 1;
  if (cores <= 2 && work.python < MIN_CHARS_FOR_WORKERS && total < MIN_CHARS_FOR_WORKERS_TWO_CORES) return 1;
  return Math.min(cores, 8);
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

/** Text that declares ORM relations: only such files are parsed in the model pass. */
const DEFINES_MODELS: Record<string, RegExp> = {
  // Django, SQLAlchemy/SQLModel, and Peewee's ForeignKeyField/DeferredForeignKey; Alembic's
  // indexes (ALEMBIC_HINT), which count for the models' foreign keys.
  python: /\b(ForeignKey|ForeignKeyField|DeferredForeignKey|OneToOneField|ManyToManyField|relationship|Relationship)\s*\(|\bop\.(create_index|drop_index|create_table|create_unique_constraint|create_primary_key|batch_alter_table)\s*\(/,
  // TypeORM and sequelize-typescript decorators, Sequelize associations, Mongoose refs; TypeORM
  // entities without relations, Drizzle tables, Kysely's table interfaces and Sequelize attributes
  // (`DataTypes.UUID`) too (their columns' types, for the values fixes write).
  typescript: /@(ManyToOne|OneToMany|OneToOne|ManyToMany|BelongsTo|HasMany|HasOne|BelongsToMany|Entity)\b|\.(belongsTo|hasMany|hasOne|belongsToMany)\s*\(|\bref\s*:|\b(pg|sqlite|mysql|singlestore)Table\s*\(|\b(Generated|GeneratedAlways|ColumnType)<|\bDataTypes?\.[A-Z]/,
  // Indexes the schema has (CREATE INDEX, and the ones PRIMARY KEY and UNIQUE make), for advice
  // that would otherwise ask for one; and what DDL drops, which undoes what earlier migrations made.
  sql: /\bCREATE\s+(UNIQUE\s+)?INDEX\b|\bPRIMARY\s+KEY\b|\bUNIQUE\b|\bDROP\b/i,
};

/**
 * A Knex, Kysely or Sequelize migration: its tables' indexes and keys count for the foreign keys of
 * other migrations. Only files in a migrations folder: the libraries' own sources and other code
 * call `createTable(` and `addColumn(` too, and a file summarised here keeps its syntax tree until
 * it is linted (in the TS/JS benchmark corpus, 56 large files and ~180 MB more at the peak).
 */
function buildsMigrationTables(language: string, file: string, text: string): boolean {
  return language === 'typescript' && /(^|[\\/])migrations?[\\/]/.test(file) && SCHEMA_BUILDER_HINT.test(text);
}

/** Whether the model pass reads the file: its text declares ORM relations, or it is a migration that builds tables. */
export function definesModels(language: string, file: string, text: string): boolean {
  return !!DEFINES_MODELS[language]?.test(text) || buildsMigrationTables(language, file, text);
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

/**
 * Writes a fix's new migration, named the next of its folder now (after any this run wrote), never
 * over a file; false when the folder's names follow no known scheme or a file is in the way.
 */
async function writeMigration(m: NewMigration, root: string, log: (message: string) => void): Promise<boolean> {
  const files = newMigrationFiles(m);
  if (!files) return false;
  try {
    for (const f of files) await fs.writeFile(f.path, f.text, { flag: 'wx' });
  } catch (e) {
    log(`could not write the new migration: ${(e as Error).message}`);
    return false;
  }
  log(`wrote ${files.map((f) => relativeTo(root, f.path)).join(', ')}`);
  return true;
}

/**
 * Writes what a fix adds to another file, from its text now (an earlier fix of this run may have
 * added to it already), making the file when missing (not the file of a model to index).
 */
async function writeAddition(add: AddToFile, root: string, log: (message: string) => void): Promise<boolean> {
  let text: string | undefined;
  try {
    text = (await fs.readFile(add.path, 'utf8')).replace(/^\uFEFF/, '');
  } catch {
    // A new file.
  }
  if (add.kind === 'index' && text === undefined) {
    log(`could not read ${relativeTo(root, add.path)}, where ${add.model} is declared`);
    return false;
  }
  const edits = addToFileEdits(add, text ?? '');
  if (edits.length === 0) return true;
  try {
    const after = applyEdits(text ?? '', edits);
    if (text === undefined) await fs.writeFile(add.path, after, { flag: 'wx' });
    else await writeFixed(add.path, after);
    log(`added ${describeAddition(add)} to ${relativeTo(root, add.path)}`);
    return true;
  } catch (e) {
    log(`could not write ${relativeTo(root, add.path)}: ${(e as Error).message}`);
    return false;
  }
}

/** `abs` relative to `root`, '/'-separated (without path.relative's normalizing, for a walked path). */
function relativeTo(root: string, abs: string): string {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const rel = abs.startsWith(prefix) ? abs.slice(prefix.length) : path.relative(root, abs);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

export async function lintFiles(root: string, paths: readonly string[], options: LintOptions = {}): Promise<LintResults> {
  const log = options.log ?? ((m: string) => process.stderr.write(`perflens: ${m}\n`));
  const absRoot = path.resolve(root);
  const settings: PerflensSettings = mergeSettings(readConfigFile(absRoot, log));
  const filter = new FileFilter(absRoot, settings);
  // The database drivers and job queues the manifests name (and Drizzle's casing): read once here for every linter, and,
  // with the rest of `init`, part of the cache key (findings and fixes that depend on them).
  const manifests = workspaceManifests(absRoot);
  const databases = [...manifests.databases].sort();
  const jobQueues = [...manifests.jobQueues].sort();
  const init: LinterInit = { settings, only: options.only ? [...options.only].sort() : undefined, assetDir: options.assetDir, root: absRoot, databases, jobQueues, drizzleCasing: manifests.drizzleCasing, packages: manifests.packages };

  // --fix writes files as it goes: always a fresh run on this thread.
  const cacheDir = options.fix ? false : options.cache ?? defaultCacheDir();
  // The path aliases come from tsconfig.json: its text is part of the key.
  const tsconfig = new FileStates(undefined).depHash(path.join(absRoot, 'tsconfig.json'));
  const cacheKey = contentHash(JSON.stringify({ build: options.build ?? '', root: absRoot, init: { ...init, assetDir: undefined }, tsconfig }));
  const cache = cacheDir === false ? undefined : LintCache.open(cacheDir, absRoot, cacheKey);
  const files = new FileStates(cache);

  const onError = (dir: string, reason: string): void => log(`${dir}: ${reason}`);
  const wholeRoot = paths.length === 0 || (paths.length === 1 && path.resolve(paths[0]) === absRoot);
  // Nothing else runs on this thread meanwhile: the synchronous walk is the faster one.
  const rootFiles = discoverFilesSync(absRoot, { filter, schemas: true, onError: wholeRoot ? onError : undefined });
  let lintPaths: string[] = [];
  // Linting the whole root: the same walk, without the schemas that are only read for models.
  if (wholeRoot) lintPaths = rootFiles.filter((f) => languageOfPath(f));
  else for await (const abs of expand(paths, filter, log)) lintPaths.push(abs);

  let runner: LintRunner | undefined;
  let pooled = false;
  const runnerFor = async (work: Work): Promise<LintRunner> => {
    const size = options.fix ? 1 : options.jobs ?? threadsFor(work, cores());
    if (runner && (pooled || size <= 1)) return runner;
    await runner?.close();
    pooled = size > 1;
    runner = pooled
      ? new WorkerPool(LINT_WORKER_SCRIPT, size, init, log, undefined, options.codeCache)
      : await LocalRunner.start(init, log, options.codeCache);
    return runner;
  };

  try {
    // Nothing can come from the cache and there is enough to do: the workers start while the
    // files are read.
    if (!cache || cache.empty) {
      const estimate: Work = { python: 0, other: 0 };
      for (const f of lintPaths) addWork(estimate, f, CHARS_PER_FILE);
      if ((options.jobs ?? threadsFor(estimate, cores())) > 1) await runnerFor(estimate);
    }
    const toRead = [...new Set([...rootFiles, ...lintPaths.filter((f) => languageOfPath(f))])];

    // Pass 1: the models of the whole root, so that a view linted alone still knows that
    // `post.author` is a foreign key defined in models.py, a lazy relation of a TypeORM entity, or
    // a relation in schema.prisma.
    const lintSet = new Set(lintPaths);
    const modelEntries: Array<[string, ModelFact[]]> = [];
    const summaryJobs: Array<{ file: string; hash: string; text: string }> = [];
    for (const file of rootFiles) {
      if (isPrismaSchema(file)) {
        const read = files.withText(file);
        if ('text' in read) modelEntries.push([file, prismaSchemaModels(read.text)]);
        continue;
      }
      const language = languageOfPath(file);
      if (!language) continue;
      const state = files.state(file);
      if ('skipped' in state) continue;
      const entry = cache?.get(file, state.hash);
      if (entry?.summary) {
        modelEntries.push([file, entry.summary.models]);
        continue;
      }
      if (entry?.definesModels === false) continue;
      const read = files.withText(file);
      if (!('text' in read)) continue;
      if (!definesModels(language, file, read.text)) {
        cache?.update(file, read.hash, { definesModels: false });
        continue;
      }
      summaryJobs.push({ file, hash: read.hash, text: read.text });
    }

    // Findings kept in the cache hold while the file's text, every file its helper lookups looked
    // at and (for a file whose analysis read them) the workspace's models are what they were.
    const current = (entry: CachedFile | undefined): entry is CachedFile & { findings: Finding[] } =>
      !!entry?.findings && !!cache?.depsUnchanged(entry, (d) => files.depHash(d));
    const results: LintResults = { root: absRoot, files: [], skipped: [], fixesApplied: 0, fromCache: 0, filesRead: 0 };
    type Target = { file: string; relative: string; source: SourceFile; hash: string };
    // The files to lint, with their text (read now if only stat'ed), or the reason they are not;
    // `cachedFor`: the findings the cache has of them, which hold if the models they read (if any)
    // are still the workspace's (decided once those are known).
    const targets: Target[] = [];
    const cachedFor = new Map<string, CachedFile & { findings: Finding[] }>();
    const done = new Map<string, FileResult>();
    for (const abs of lintPaths) {
      const language = languageOfPath(abs);
      const relative = relativeTo(absRoot, abs);
      if (!language) {
        results.skipped.push({ file: relative, reason: 'not a supported language' });
        continue;
      }
      const state = files.state(abs);
      if ('skipped' in state) {
        results.skipped.push({ file: relative, reason: state.skipped });
        continue;
      }
      const entry = cache?.get(abs, state.hash);
      if (current(entry) && entry.findings.length === 0 && !entry.readModels) {
        // Known to have no findings whatever the models: not even read.
        done.set(abs, { relative, findings: [], fixesApplied: 0 });
        results.fromCache++;
        continue;
      }
      const read = files.withText(abs);
      if ('skipped' in read) {
        results.skipped.push({ file: relative, reason: read.skipped });
        continue;
      }
      const known = read.hash === state.hash ? entry : cache?.get(abs, read.hash);
      if (current(known)) cachedFor.set(abs, known);
      targets.push({ file: abs, relative, source: new SourceFile(abs, language, read.text), hash: read.hash });
    }

    // Files that have to be linted whatever the models are linted now, while the models are made
    // (the models of such a file come with its lint): two passes one after the other left a core
    // idle at the end of the first. A lint that read the models before they were all known is
    // made again after (WorkspaceModels.reads: 4 of 1,133 files of Django and SQLAlchemy, 11 of
    // 3,109 of the TS/JS corpus). With --fix a file is written from its lint: models first.
    const early = options.fix ? [] : targets.filter((t) => !cachedFor.has(t.file));
    const earlySet = new Set(early.map((t) => t.file));
    const modelsByLint = new Set(summaryJobs.filter((j) => earlySet.has(j.file)).map((j) => j.file));
    const summarized = summaryJobs.filter((j) => !modelsByLint.has(j.file));
    // The models' files first: the sooner the models are known, the fewer lints are made twice.
    early.sort((a, b) => Number(modelsByLint.has(b.file)) - Number(modelsByLint.has(a.file)));
    const lint = (r: LintRunner, t: Target): Promise<LintOutcome> =>
      r.lint({ path: t.file, language: t.source.language, text: t.source.text, fix: options.fix, ...(modelsByLint.has(t.file) ? { models: true } : {}) });
    const outcomes = new Map<string, Promise<LintOutcome>>();
    if (summarized.length || early.length) {
      const work: Work = { python: 0, other: 0 };
      for (const j of summarized) addWork(work, j.file, j.text.length);
      for (const t of early) addWork(work, t.file, t.source.text.length);
      const r = await runnerFor(work);
      const summaries = summarized.map((j) => ({
        file: j.file,
        hash: j.hash,
        pending: r.summarize({ path: j.file, language: languageOfPath(j.file)!, text: j.text, keep: lintSet.has(j.file) && !earlySet.has(j.file) }),
      }));
      for (const t of early) outcomes.set(t.file, lint(r, t));
      for (const s of summaries) {
        const summary = await s.pending;
        modelEntries.push([s.file, summary.models]);
        cache?.update(s.file, s.hash, { summary });
      }
      for (const j of summaryJobs) {
        if (!modelsByLint.has(j.file)) continue;
        const models = (await outcomes.get(j.file)!).models ?? [];
        modelEntries.push([j.file, models]);
        cache?.update(j.file, j.hash, { summary: { models, queryHelpers: [], effectHelpers: [] } });
      }
    }
    modelEntries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const usedModels = modelEntries.filter(([, m]) => m.length > 0);
    cache?.useModels(contentHash(JSON.stringify(usedModels)));

    // Pass 2: the findings of the files the cache does not answer for, with the models.
    const later: Target[] = [];
    for (const t of targets) {
      if (outcomes.has(t.file)) continue;
      const entry = cachedFor.get(t.file);
      // useModels dropped the findings that read models that are no longer the workspace's.
      if (entry?.findings && current(cache?.get(t.file, t.hash))) {
        done.set(t.file, { file: t.source, relative: t.relative, findings: entry.findings, fixesApplied: 0 });
        results.fromCache++;
      } else later.push(t);
    }
    if (later.length || outcomes.size) {
      const work: Work = { python: 0, other: 0 };
      for (const t of later) addWork(work, t.file, t.source.text.length);
      const r = await runnerFor(work);
      r.setModels(usedModels);
      // With --fix each file is written before the next is linted (it may import the fixed one).
      if (!options.fix) for (const t of later) outcomes.set(t.file, lint(r, t));
      for (const t of early) if ((await outcomes.get(t.file)!).provisional) outcomes.set(t.file, lint(r, t));
      // Files a fix added code to: linted (and fixed) from their text now, not as read at the start.
      const added = new Set<string>();
      for (const t of [...early, ...later]) {
        if (added.has(t.file)) {
          const now = await readSource(t.file);
          if ('text' in now) t.source = new SourceFile(t.file, t.source.language, now.text, t.source.version + 1);
        }
        const outcome = await (outcomes.get(t.file) ?? lint(r, t));
        let file = t.source;
        // What the fixes add to other files first: a file that calls what was not added is not written.
        let additions = true;
        for (const add of outcome.addToFiles ?? []) {
          if (await writeAddition(add, absRoot, log)) added.add(add.path);
          else additions = false;
        }
        if (outcome.fixedText !== undefined && additions) {
          await writeFixed(t.file, outcome.fixedText);
          file = new SourceFile(t.file, file.language, outcome.fixedText, file.version + 1);
        } else if (outcome.fixedText !== undefined) log(`${t.relative}: not fixed, as the code its fixes add elsewhere could not be written`);
        let findings = outcome.findings;
        let applied = outcome.fixesApplied;
        if (options.fix) {
          // Fixes that write a new migration beside the file (which has run already), or an index
          // where the model is declared: the file itself is unchanged.
          findings = [];
          for (const f of outcome.findings) {
            const fix = f.fixes.find((x) => eligible(x.applicability, options.fix!));
            if (fix?.newMigration && (await writeMigration(fix.newMigration, absRoot, log))) applied++;
            else if (fix?.addToFile?.kind === 'index' && fix.edits.length === 0 && (await writeAddition(fix.addToFile, absRoot, log))) applied++;
            else findings.push(f);
          }
        }
        results.fixesApplied += applied;
        done.set(t.file, { file, relative: t.relative, findings, fixesApplied: applied });
        cache?.update(t.file, t.hash, { findings: outcome.findings, deps: outcome.deps.map((d) => [d, files.depHash(d)]), readModels: !!outcome.readModels });
      }
    }
    for (const abs of lintPaths) {
      const r = done.get(abs);
      if (r) results.files.push(r);
    }
    results.files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
    // A run over the whole root has seen every file that still counts.
    if (wholeRoot) cache?.retain(new Set(toRead));
    results.filesRead = files.reads;
    try {
      cache?.save();
    } catch (e) {
      log(`could not write the cache: ${(e as Error).message}`);
    }
    return results;
  } finally {
    await runner?.close();
  }
}
